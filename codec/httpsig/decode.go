package httpsig

import (
	"fmt"
	"strings"

	"aonode/ao"
	"aonode/codec/structured"
)

// maxPathDepth bounds body part paths.
const maxPathDepth = 64

// Decode converts an HTTP form back to a message. Signatures are parsed
// into commitments but NOT verified: call VerifyWire on the same Wire
// before trusting them. Transport headers (framing, signature machinery)
// are not message keys.
func Decode(w Wire) (*ao.Message, error) {
	tabm, bodyKeys, err := decodeTABM(w)
	if err != nil {
		return nil, err
	}
	comms, err := parseCommitments(w, bodyKeys)
	if err != nil {
		return nil, err
	}
	for _, c := range comms {
		tabm.AddCommitment(c)
	}
	return structured.Decode(tabm)
}

// decodeTABM rebuilds the TABM and reports which top-level keys came from
// the body (what a covered content-digest vouches for).
func decodeTABM(w Wire) (*ao.Message, []string, error) {
	tabm := ao.New()
	boundary, multipart, err := MultipartBoundary(w.Headers["content-type"])
	if err != nil {
		return nil, nil, err
	}
	for k, v := range w.Headers {
		if IsTransportHeader(k) || (multipart && k == "content-type") {
			continue
		}
		if k == "" {
			return nil, nil, fmt.Errorf("httpsig: header with an empty name")
		}
		tabm.SetString(k, v)
	}
	if ids, ok := w.Headers[HeaderAOIDs]; ok {
		if err := ungroupIDs(tabm, ids); err != nil {
			return nil, nil, err
		}
	}
	bodyKey := "body"
	if k, ok := w.Headers[HeaderAOBodyKey]; ok && k != "" {
		bodyKey = k
	} else if k, ok := w.Headers[HeaderInlineBodyKey]; ok && k != "" {
		bodyKey = k
	}
	bodyKey = ao.NormalizeKey(bodyKey)
	var bodyKeys []string
	if len(w.Body) == 0 {
		return tabm, nil, nil
	}
	if !multipart {
		if tabm.Has(bodyKey) {
			return nil, nil, fmt.Errorf("httpsig: body key %q is also a header", bodyKey)
		}
		tabm.Set(bodyKey, ao.Bytes(w.Body))
		return tabm, []string{bodyKey}, nil
	}
	parts, err := DecodeMultipart(w.Body, boundary)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for i, p := range parts {
		name := p.Name
		if p.Inline {
			name = bodyKey
		}
		var v ao.Value
		if len(p.Headers) == 0 {
			v = ao.Bytes(p.Body)
		} else {
			sub := ao.New()
			for k, hv := range p.Headers {
				sub.SetString(k, hv)
			}
			if len(p.Body) > 0 {
				sub.Set("body", ao.Bytes(p.Body))
			}
			v = ao.Msg(sub)
		}
		if err := place(tabm, name, v); err != nil {
			return nil, nil, fmt.Errorf("multipart part %d (%q): %w", i+1, clip(name), err)
		}
		top, _, _ := strings.Cut(name, "/")
		top = ao.NormalizeKey(top)
		if !seen[top] {
			seen[top] = true
			bodyKeys = append(bodyKeys, top)
		}
	}
	return tabm, bodyKeys, nil
}

// HeaderAOIDs is HyperBEAM's header packing binary values under
// case-sensitive ID keys, which cannot be header names.
const HeaderAOIDs = "ao-ids"

// ungroupIDs unpacks an ao-ids dictionary (ID → SF string) into tabm.
func ungroupIDs(tabm *ao.Message, header string) error {
	ms, err := structured.ParseDictionaryMixedCase(HeaderAOIDs, header)
	if err != nil {
		return err
	}
	tabm.Delete(HeaderAOIDs)
	for _, m := range ms {
		if m.Inner || m.Item.Kind != structured.SFString {
			return fmt.Errorf("httpsig: %s: value of %q is not a string", HeaderAOIDs, m.Key)
		}
		if tabm.Has(m.Key) {
			return fmt.Errorf("httpsig: %s: key %q given twice", HeaderAOIDs, m.Key)
		}
		tabm.SetString(m.Key, m.Item.Str)
	}
	return nil
}

// place stores v at a slash path inside m, creating or merging nested
// messages on the way.
func place(m *ao.Message, path string, v ao.Value) error {
	segs := strings.Split(path, "/")
	if len(segs) > maxPathDepth {
		return fmt.Errorf("path deeper than %d", maxPathDepth)
	}
	for _, s := range segs {
		if s == "" {
			return fmt.Errorf("empty path segment")
		}
	}
	cur := m
	for _, s := range segs[:len(segs)-1] {
		sub, ok := cur.Child(s)
		if !ok {
			return fmt.Errorf("segment %q is already a value, not a message", s)
		}
		cur = sub
	}
	last := segs[len(segs)-1]
	old, exists := cur.Get(last)
	if !exists {
		cur.Set(last, v)
		return nil
	}
	oldMsg, ok1 := old.AsMessage()
	newMsg, ok2 := v.AsMessage()
	if !ok1 || !ok2 {
		return fmt.Errorf("key %q given twice", last)
	}
	for _, k := range newMsg.Keys() {
		if oldMsg.Has(k) {
			return fmt.Errorf("key %q given twice under %q", k, last)
		}
		nv, _ := newMsg.Get(k)
		oldMsg.Set(k, nv)
	}
	return nil
}
