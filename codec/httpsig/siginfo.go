package httpsig

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"aonode/ao"
	"aonode/codec/structured"
	"aonode/wallet"
)

// Header names of RFC 9421.
const (
	HeaderSignature      = "signature"
	HeaderSignatureInput = "signature-input"
)

// sigEntry is one labelled signature as it appears on the wire.
type sigEntry struct {
	label      string
	components []string
	params     []structured.Param
	sig        []byte
}

// maxSignatures bounds how many signatures one message may carry.
const maxSignatures = 64

// parseSigEntries pairs the signature and signature-input dictionaries by
// label. Any label is accepted (`http-sig-…`, `sig-…`, `comm-…`).
func parseSigEntries(w Wire) ([]sigEntry, error) {
	sigH, hasSig := w.Headers[HeaderSignature]
	inH, hasIn := w.Headers[HeaderSignatureInput]
	if !hasSig && !hasIn {
		return nil, nil
	}
	if hasSig != hasIn {
		return nil, fmt.Errorf("httpsig: signature and signature-input must come together")
	}
	sigs, err := structured.ParseDictionary(HeaderSignature, sigH)
	if err != nil {
		return nil, err
	}
	inputs, err := structured.ParseDictionary(HeaderSignatureInput, inH)
	if err != nil {
		return nil, err
	}
	if len(sigs) > maxSignatures {
		return nil, fmt.Errorf("httpsig: signature: more than %d signatures", maxSignatures)
	}
	var out []sigEntry
	for _, s := range sigs {
		if s.Inner || s.Item.Kind != structured.SFBytes {
			return nil, fmt.Errorf("httpsig: signature %q: not a byte sequence", s.Key)
		}
		var in *structured.Member
		for i := range inputs {
			if inputs[i].Key == s.Key {
				in = &inputs[i]
			}
		}
		if in == nil {
			return nil, fmt.Errorf("httpsig: signature %q: no matching signature-input", s.Key)
		}
		if !in.Inner {
			return nil, fmt.Errorf("httpsig: signature-input %q: not an inner list", s.Key)
		}
		e := sigEntry{label: s.Key, sig: s.Item.Bytes, params: in.Params}
		for _, c := range in.List {
			if c.Kind != structured.SFString {
				return nil, fmt.Errorf("httpsig: signature-input %q: component %q is not a string", s.Key, c.String())
			}
			if len(c.Params) > 0 {
				return nil, fmt.Errorf("httpsig: signature-input %q: component %q has parameters (unsupported)", s.Key, c.Str)
			}
			e.components = append(e.components, c.Str)
		}
		if len(e.sig) == 0 {
			return nil, fmt.Errorf("httpsig: signature %q: empty", s.Key)
		}
		out = append(out, e)
	}
	return out, nil
}

// commitmentFromEntry turns a wire signature into a commitment: type from
// alg (a "device@v/type" alg names a foreign commitment device), key from
// keyid, committer from the key, ID = the signature itself when it is 32
// bytes (an HMAC), else SHA-256 of it.
func commitmentFromEntry(e sigEntry, expand map[string][]string, multipart bool) (ao.Commitment, error) {
	c := ao.Commitment{Device: ao.DeviceHTTPSig, Signature: e.sig, Label: e.label,
		Components: append([]string(nil), e.components...)}
	for _, p := range e.params {
		val := p.Value.String()
		switch p.Key {
		case "alg":
			if dev, typ, ok := strings.Cut(val, "/"); ok && strings.Contains(dev, "@") {
				c.Device, c.Type = dev, typ
			} else {
				c.Type = val
			}
		case "keyid":
			c.KeyID = val
		case "tag":
			c.Tag = val
		default:
			if c.Params == nil {
				c.Params = map[string]string{}
			}
			c.Params[p.Key] = val
		}
	}
	if c.Type == "" {
		return c, fmt.Errorf("httpsig: signature-input %q: no alg parameter", e.label)
	}
	if c.Type != ao.TypeHMACSHA256 && c.KeyID != "" {
		pub, err := decodeKeyID(c.KeyID)
		if err != nil {
			return c, fmt.Errorf("httpsig: signature-input %q: keyid: %w", e.label, err)
		}
		c.PublicKey = pub
		c.Committer = committerOf(c.Type, pub)
	}
	if len(e.sig) == 32 {
		c.ID = ao.EncodeID(e.sig)
	} else {
		c.ID = ao.SignatureID(e.sig)
	}
	c.Committed = committedKeys(e.components, expand, multipart)
	return c, nil
}

// parseCommitments reads every signature on the wire as an (unverified)
// commitment.
func parseCommitments(w Wire, bodyKeys []string) ([]ao.Commitment, error) {
	entries, err := parseSigEntries(w)
	if err != nil {
		return nil, err
	}
	_, multipart, _ := MultipartBoundary(w.Headers["content-type"])
	expand := expansions(w, bodyKeys)
	out := make([]ao.Commitment, 0, len(entries))
	for _, e := range entries {
		c, err := commitmentFromEntry(e, expand, multipart)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// committedKeys maps covered components to message keys: derived
// components lose their '@'; content-digest stands for the body keys and
// ao-ids for the ID keys it packs (both given in expand); the
// body-key indirection headers and ao-types (consumed by decoding) drop
// out, and so does a multipart content-type.
func committedKeys(components []string, expand map[string][]string, multipart bool) []string {
	seen := map[string]bool{}
	var out []string
	add := func(k string) {
		k = ao.NormalizeKey(k)
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, c := range components {
		c = strings.TrimPrefix(c, "@")
		switch {
		case c == "content-digest" || c == HeaderAOIDs:
			for _, b := range expand[c] {
				add(b)
			}
		case c == HeaderAOBodyKey || c == HeaderInlineBodyKey || c == structured.TypesKey:
		case c == "content-type" && multipart:
		case IsTransportHeader(c):
		default:
			add(strings.TrimSuffix(c, structured.LinkSuffix))
		}
	}
	sort.Strings(out)
	return out
}

// expansions lists what the content-digest and ao-ids components stand
// for on w.
func expansions(w Wire, bodyKeys []string) map[string][]string {
	ex := map[string][]string{"content-digest": bodyKeys}
	if h, ok := w.Headers[HeaderAOIDs]; ok {
		if ms, err := structured.ParseDictionaryMixedCase(HeaderAOIDs, h); err == nil {
			for _, m := range ms {
				ex[HeaderAOIDs] = append(ex[HeaderAOIDs], m.Key)
			}
		}
	}
	return ex
}

// decodeKeyID extracts the public key bytes from a keyid: an optional
// "publickey:" scheme prefix, then standard or URL-safe base64.
func decodeKeyID(keyid string) ([]byte, error) {
	raw := keyid
	if scheme, rest, ok := strings.Cut(keyid, ":"); ok {
		if scheme != "publickey" {
			return nil, fmt.Errorf("unsupported keyid scheme %q", scheme)
		}
		raw = rest
	}
	if len(raw) > 4096 {
		return nil, fmt.Errorf("longer than 4096 characters")
	}
	b, err := structured.DecodeBase64Lenient(raw)
	if err != nil {
		return nil, fmt.Errorf("not base64: %v", err)
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("empty")
	}
	return b, nil
}

// committerOf is the signer's address: base64url(SHA-256(key)) for RSA and
// ed25519 keys, the Ethereum address for secp256k1 keys (as aonode/wallet
// defines addresses).
func committerOf(typ string, pub []byte) string {
	if typ == ao.TypeECDSASecp256k1 {
		if full, err := uncompressedSecp256k1(pub); err == nil {
			if a, err := wallet.EthereumAddress(full); err == nil {
				return a
			}
		}
		return ""
	}
	return wallet.HashAddress(pub)
}

// addSigInfo renders httpsig commitments that carry components as the
// signature and signature-input headers.
func addSigInfo(w *Wire, comms []ao.Commitment) error {
	var sigs, inputs []structured.Member
	for _, c := range comms {
		if c.Device != ao.DeviceHTTPSig || len(c.Components) == 0 {
			continue
		}
		label := c.Label
		if label == "" {
			label = "comm-" + strings.ToLower(c.ID)
		}
		sigs = append(sigs, structured.Member{Key: label, Item: structured.Item{Kind: structured.SFBytes, Bytes: c.Signature}})
		inputs = append(inputs, structured.Member{Key: label, Inner: true, List: componentItems(c.Components), Params: commitmentParams(c)})
	}
	if len(sigs) == 0 {
		return nil
	}
	w.Headers[HeaderSignature] = structured.SerializeDictionary(sigs)
	w.Headers[HeaderSignatureInput] = structured.SerializeDictionary(inputs)
	return nil
}

func componentItems(comps []string) []structured.Item {
	out := make([]structured.Item, len(comps))
	for i, c := range comps {
		out[i] = structured.Item{Kind: structured.SFString, Str: c}
	}
	return out
}

// commitmentParams renders the signature parameters, sorted by name as
// both the JS clients and HyperBEAM do.
func commitmentParams(c ao.Commitment) []structured.Param {
	alg := c.Type
	if c.Device != "" && c.Device != ao.DeviceHTTPSig {
		alg = c.Device + "/" + c.Type
	}
	str := func(s string) structured.Item { return structured.Item{Kind: structured.SFString, Str: s} }
	ps := []structured.Param{{Key: "alg", Value: str(alg)}}
	if c.KeyID != "" {
		ps = append(ps, structured.Param{Key: "keyid", Value: str(c.KeyID)})
	}
	if c.Tag != "" {
		ps = append(ps, structured.Param{Key: "tag", Value: str(c.Tag)})
	}
	for _, k := range c.ParamNames() {
		v := c.Params[k]
		if k == "created" || k == "expires" {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				ps = append(ps, structured.Param{Key: k, Value: structured.Item{Kind: structured.SFInteger, Int: n}})
				continue
			}
		}
		ps = append(ps, structured.Param{Key: k, Value: str(v)})
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Key < ps[j].Key })
	return ps
}

// jsLabel is the label aoconnect gives a signature: "http-sig-" and the
// hex of bytes 1..8 of the decoded address (or of SHA-256 of the key when
// the address is not base64url).
func jsLabel(address string, pub []byte) string {
	b, err := base64.RawURLEncoding.DecodeString(address)
	if err != nil || len(b) < 9 {
		h := sha256.Sum256(pub)
		b = h[:]
	}
	return "http-sig-" + hex.EncodeToString(b[1:9])
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
