package httpsig

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"

	"aonode/ao"
	"aonode/codec/structured"
)

// Style selects the dialect of the signature and body-key headers.
type Style uint8

const (
	// StyleJS is what aoconnect and hbsig emit: `http-sig-<hex>` labels,
	// the raw base64url public key as keyid, `inline-body-key`, and
	// RSA-PSS with the maximum salt length. It is the default.
	StyleJS Style = iota
	// StyleHyperBEAM is HyperBEAM's newest form: `comm-<id>` labels,
	// `keyid="publickey:<b64url>"`, `ao-body-key`, and RSA-PSS with a
	// salt as long as the digest.
	StyleHyperBEAM
)

// Header names of the body-key indirection in each style.
const (
	HeaderInlineBodyKey = "inline-body-key" // JS clients
	HeaderAOBodyKey     = "ao-body-key"     // HyperBEAM
)

// Options tune encoding.
type Options struct {
	Style Style
}

func (o Options) bodyKeyHeader() string {
	if o.Style == StyleHyperBEAM {
		return HeaderAOBodyKey
	}
	return HeaderInlineBodyKey
}

// Encode converts a message to its HTTP form, including signature and
// signature-input headers for its httpsig commitments (those that carry
// their Components). Other commitments (e.g. ANS-104) are not carried.
func Encode(m *ao.Message, opts Options) (Wire, error) {
	w, err := encodeBare(m, opts)
	if err != nil {
		return Wire{}, err
	}
	if err := addSigInfo(&w, m.Commitments()); err != nil {
		return Wire{}, err
	}
	return w, nil
}

// bodyItem is a value destined for the body, at a slash path.
type bodyItem struct {
	path string
	bin  []byte
	msg  *ao.Message
}

// encodeBare encodes keys and body without any signature headers.
func encodeBare(m *ao.Message, opts Options) (Wire, error) {
	tabm, err := structured.Encode(m.WithoutCommitments())
	if err != nil {
		return Wire{}, err
	}
	w := Wire{Headers: map[string]string{}}
	var items []bodyItem
	for _, k := range tabm.Keys() {
		v, _ := tabm.Get(k)
		if sub, ok := v.AsMessage(); ok {
			if err := checkPartName(k); err != nil {
				return Wire{}, err
			}
			items = append(items, bodyItem{path: k, msg: sub})
			continue
		}
		b, _ := v.AsBytes()
		if headerSafeName(k) && headerSafeValue(b) && !IsTransportHeader(k) && k != "content-type" || k == "content-type" && headerSafeValue(b) {
			w.Headers[k] = string(b)
			continue
		}
		if err := checkPartName(k); err != nil {
			return Wire{}, err
		}
		items = append(items, bodyItem{path: k, bin: b})
	}
	switch {
	case len(items) == 0:
		return w, nil
	case len(items) == 1 && items[0].msg == nil:
		w.Body = items[0].bin
		if items[0].path != "body" {
			w.Headers[opts.bodyKeyHeader()] = items[0].path
		}
	default:
		var parts []Part
		for _, it := range items {
			if it.msg != nil {
				ps, err := nestedParts(it.path, it.msg, 1)
				if err != nil {
					return Wire{}, err
				}
				parts = append(parts, ps...)
				continue
			}
			if it.path == "body" {
				parts = append(parts, Part{Inline: true, Body: it.bin})
				continue
			}
			parts = append(parts, Part{Name: it.path, Body: it.bin})
		}
		if ct, ok := w.Headers["content-type"]; ok {
			// The message's own content-type yields to the multipart one.
			delete(w.Headers, "content-type")
			parts = append(parts, Part{Name: "content-type", Body: []byte(ct)})
		}
		sort.SliceStable(parts, func(i, j int) bool { return partKey(parts[i]) < partKey(parts[j]) })
		body, ct := EncodeMultipart(parts)
		w.Body = body
		w.Headers["content-type"] = ct
	}
	w.Headers["content-digest"] = ContentDigest(w.Body)
	return w, nil
}

// checkPartName rejects keys that cannot name a body part: empty, holding
// '/' (the path separator) or bytes outside printable ASCII.
func checkPartName(k string) error {
	if k == "" || strings.Contains(k, "/") || !structured.IsPrintableASCII(k) {
		return fmt.Errorf("httpsig: key %q cannot name a body part (empty, '/' or not printable ASCII)", k)
	}
	return nil
}

func partKey(p Part) string {
	if p.Inline {
		return "body"
	}
	return p.Name
}

// nestedParts renders a nested TABM at path as body parts: its header-safe
// fields become the headers of a part named path, its `body` field that
// part's content, and everything else further parts below path.
func nestedParts(path string, m *ao.Message, depth int) ([]Part, error) {
	if depth > 64 {
		return nil, fmt.Errorf("httpsig: nesting deeper than 64 at %q", path)
	}
	own := Part{Name: path, Headers: map[string]string{}}
	var body []byte
	hasBody := false
	var rest []Part
	for _, k := range m.Keys() {
		if err := checkPartName(k); err != nil {
			return nil, fmt.Errorf("%w (under %q)", err, path)
		}
		v, _ := m.Get(k)
		if sub, ok := v.AsMessage(); ok {
			ps, err := nestedParts(path+"/"+k, sub, depth+1)
			if err != nil {
				return nil, err
			}
			rest = append(rest, ps...)
			continue
		}
		b, _ := v.AsBytes()
		if k == "body" {
			body, hasBody = b, true
			continue
		}
		if headerSafeName(k) && headerSafeValue(b) && k != "content-disposition" {
			own.Headers[k] = string(b)
			continue
		}
		rest = append(rest, Part{Name: path + "/" + k, Body: b})
	}
	if len(own.Headers) == 0 {
		if hasBody {
			rest = append(rest, Part{Name: path + "/body", Body: body})
		}
		return rest, nil
	}
	own.Body = body
	return append([]Part{own}, rest...), nil
}

// ContentDigest renders the Content-Digest header value for body:
// `sha-256=:<standard base64>:` (RFC 9530).
func ContentDigest(body []byte) string {
	h := sha256.Sum256(body)
	return "sha-256=:" + base64.StdEncoding.EncodeToString(h[:]) + ":"
}
