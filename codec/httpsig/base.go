package httpsig

import (
	"fmt"
	"strings"

	"aonode/codec/structured"
)

// Request carries the request context that derived components (@method,
// @path, …) are read from. When it is nil, or a field is empty, the value
// comes from the message key of the same name without '@' (HyperBEAM's
// reading).
type Request struct {
	Method    string // e.g. "POST"
	Path      string // the path, without query
	Query     string // with the leading '?', or ""
	Authority string // host[:port]
	Scheme    string // "http" or "https"
}

// isDerivedComponent reports whether name is one of the RFC 9421 derived
// components HyperBEAM knows (which take an '@' in signature inputs).
func isDerivedComponent(name string) bool {
	switch name {
	case "method", "target-uri", "authority", "scheme", "request-target", "path", "query", "query-param":
		return true
	}
	return false
}

// lineStyle selects how a derived component's line is named.
type lineStyle uint8

const (
	lineRFC      lineStyle = iota // `"@path": …` as RFC 9421 says
	lineNoPrefix                  // `"path": …` as HyperBEAM mid-2025 and hbsig write
)

// componentValue returns a component's value.
func componentValue(w Wire, comp string, req *Request) (string, error) {
	if name, ok := strings.CutPrefix(comp, "@"); ok {
		if req != nil {
			var v string
			switch name {
			case "method":
				v = req.Method
			case "path":
				v = req.Path
			case "query":
				v = req.Query
				if v == "" && req.Method != "" {
					v = "?"
				}
			case "authority":
				v = req.Authority
			case "scheme":
				v = req.Scheme
			case "request-target":
				v = req.Path + req.Query
			case "target-uri":
				if req.Scheme != "" && req.Authority != "" {
					v = req.Scheme + "://" + req.Authority + req.Path + req.Query
				}
			}
			if v != "" {
				return v, nil
			}
		}
		if v, ok := w.Headers[name]; ok {
			return v, nil
		}
		return "", fmt.Errorf("derived component %q has no value", comp)
	}
	v, ok := w.Headers[comp]
	if !ok {
		return "", fmt.Errorf("covered component %q is missing", comp)
	}
	return strings.TrimSpace(v), nil
}

// signatureBase builds the RFC 9421 signature base for components with
// the given parameters.
func signatureBase(w Wire, comps []string, params []structured.Param, req *Request, style lineStyle) ([]byte, error) {
	var b strings.Builder
	for _, c := range comps {
		if strings.ContainsAny(c, "\"\\\r\n") {
			return nil, fmt.Errorf("component name %q has forbidden characters", clip(c))
		}
		v, err := componentValue(w, c, req)
		if err != nil {
			return nil, err
		}
		name := c
		if style == lineNoPrefix {
			name = strings.TrimPrefix(c, "@")
		}
		b.WriteString(`"` + name + `": ` + v + "\n")
	}
	b.WriteString(`"@signature-params": `)
	b.WriteString(structured.SerializeList([]structured.Member{{Inner: true, List: componentItems(comps), Params: params}}))
	return []byte(b.String()), nil
}
