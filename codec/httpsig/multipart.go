package httpsig

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"aonode/codec/structured"
)

// Part is one multipart/form-data body part.
type Part struct {
	Name    string            // the content-disposition name (a slash path); "" for the inline part
	Inline  bool              // content-disposition: inline (the body key)
	Headers map[string]string // further part headers (fields of a nested message)
	Body    []byte
}

// Limits on hostile multipart bodies.
const (
	maxParts       = 4096
	maxPartHeaders = 1024
)

// renderPart renders a part without the boundary lines.
func renderPart(p Part) []byte {
	var b bytes.Buffer
	if p.Inline {
		b.WriteString("content-disposition: inline")
	} else {
		b.WriteString(`content-disposition: form-data;name=`)
		b.WriteString(structured.QuoteString(p.Name))
	}
	b.WriteString("\r\n")
	for _, k := range sortedKeys(p.Headers) {
		b.WriteString(k)
		b.WriteString(": ")
		b.WriteString(p.Headers[k])
		b.WriteString("\r\n")
	}
	b.WriteString("\r\n")
	b.Write(p.Body)
	return b.Bytes()
}

// EncodeMultipart renders parts (names must be printable ASCII; see
// partName) as a multipart/form-data body. The
// boundary is base64url(SHA-256(all rendered parts joined by CRLF)), as
// HyperBEAM and the JS clients derive it, so equal parts give equal
// bodies. It returns the body and the content-type header value.
func EncodeMultipart(parts []Part) (body []byte, contentType string) {
	rendered := make([][]byte, len(parts))
	for i, p := range parts {
		rendered[i] = renderPart(p)
	}
	h := sha256.Sum256(bytes.Join(rendered, []byte("\r\n")))
	boundary := base64.RawURLEncoding.EncodeToString(h[:])
	var b bytes.Buffer
	for _, r := range rendered {
		b.WriteString("--" + boundary + "\r\n")
		b.Write(r)
		b.WriteString("\r\n")
	}
	b.WriteString("--" + boundary + "--")
	return b.Bytes(), `multipart/form-data; boundary="` + boundary + `"`
}

// MultipartBoundary extracts the boundary from a multipart/form-data
// content type, or reports false when ct is not multipart.
func MultipartBoundary(ct string) (string, bool, error) {
	media, params, _ := strings.Cut(ct, ";")
	if !strings.EqualFold(strings.TrimSpace(media), "multipart/form-data") {
		return "", false, nil
	}
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "boundary") {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		if v == "" || len(v) > 200 {
			return "", true, fmt.Errorf("content-type: multipart boundary is empty or longer than 200 bytes")
		}
		return v, true, nil
	}
	return "", true, fmt.Errorf("content-type: multipart without a boundary parameter")
}

// DecodeMultipart splits a multipart/form-data body into parts. Every
// part must carry a content-disposition of form-data with a name, or
// inline. Errors name the part and the reason.
func DecodeMultipart(body []byte, boundary string) ([]Part, error) {
	delim := []byte("--" + boundary)
	rest := body
	// Skip any preamble up to the first delimiter.
	i := bytes.Index(rest, delim)
	if i < 0 {
		return nil, fmt.Errorf("multipart body: no opening boundary")
	}
	rest = rest[i+len(delim):]
	var parts []Part
	for n := 1; ; n++ {
		if bytes.HasPrefix(rest, []byte("--")) {
			return parts, nil // closing delimiter
		}
		if !bytes.HasPrefix(rest, []byte("\r\n")) {
			return nil, fmt.Errorf("multipart part %d: boundary not followed by CRLF", n)
		}
		rest = rest[2:]
		end := bytes.Index(rest, append([]byte("\r\n"), delim...))
		if end < 0 {
			return nil, fmt.Errorf("multipart part %d: no closing boundary", n)
		}
		if len(parts) >= maxParts {
			return nil, fmt.Errorf("multipart body: more than %d parts", maxParts)
		}
		p, err := parsePart(rest[:end])
		if err != nil {
			return nil, fmt.Errorf("multipart part %d: %w", n, err)
		}
		parts = append(parts, p)
		rest = rest[end+2+len(delim):]
	}
}

func parsePart(raw []byte) (Part, error) {
	var p Part
	head, body, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		// A part with headers only and no blank line (or an empty head).
		if bytes.HasPrefix(raw, []byte("\r\n")) {
			head, body = nil, raw[2:]
		} else {
			head, body = raw, nil
		}
	}
	p.Body = body
	p.Headers = map[string]string{}
	disposition := ""
	if len(head) > 0 {
		for _, line := range strings.Split(string(head), "\r\n") {
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				return p, fmt.Errorf("header line %q has no ':'", clip(line))
			}
			k = strings.ToLower(strings.TrimSpace(k))
			v = strings.TrimSpace(v)
			if k == "" {
				return p, fmt.Errorf("header line %q has an empty name", clip(line))
			}
			if k == "content-disposition" {
				disposition = v
				continue
			}
			if len(p.Headers) >= maxPartHeaders {
				return p, fmt.Errorf("more than %d headers", maxPartHeaders)
			}
			p.Headers[k] = v
		}
	}
	if disposition == "" {
		return p, fmt.Errorf("missing content-disposition")
	}
	kind, params, _ := strings.Cut(disposition, ";")
	switch strings.ToLower(strings.TrimSpace(kind)) {
	case "inline":
		p.Inline = true
		return p, nil
	case "form-data":
	default:
		return p, fmt.Errorf("content-disposition %q is neither form-data nor inline", clip(disposition))
	}
	for _, prm := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(prm), "=")
		if !ok || strings.TrimSpace(k) != "name" {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 1 && v[0] == '"' {
			it, err := structured.ParseItem("content-disposition name", v)
			if err != nil || it.Kind != structured.SFString {
				return p, fmt.Errorf("content-disposition: bad quoted name %q", clip(v))
			}
			v = it.Str
		}
		p.Name = v
	}
	if p.Name == "" {
		return p, fmt.Errorf("content-disposition form-data without a name")
	}
	return p, nil
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
