package server

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"aonode/codec/httpsig"
)

// Response codec names, as HyperBEAM spells them in accept-codec and the
// codec-device response header.
const (
	CodecHTTPSig = "httpsig@1.0"
	CodecJSON    = "json@1.0"
	CodecANS104  = "ans104@1.0"
)

// answerForm is how the engine answers one request.
type answerForm struct {
	// codec is "" for the default form (a message as JSON, a scalar as
	// text, unsigned), else one of the Codec constants.
	codec string
	// style is the signature dialect of an httpsig answer.
	style httpsig.Style
}

// mediaCodecs maps Accept media types to response codecs. HyperBEAM maps
// `application/<name>` to `<name>@1.0`; application/http and message/http
// are the RFC 9112 names of an HTTP message, which is what httpsig is.
var mediaCodecs = map[string]string{
	"application/json":    CodecJSON,
	"application/httpsig": CodecHTTPSig,
	"application/http":    CodecHTTPSig,
	"message/http":        CodecHTTPSig,
	"application/ans104":  CodecANS104,
}

// negotiate picks the answer form from the request: the accept-codec
// header (or query parameter), else require-codec (aoconnect's spelling),
// else the first Accept media type with a codec, else the default form.
// An accept-codec or require-codec naming no codec this node speaks is an
// error (the caller answers 406); Accept types without a codec (text/html,
// */*, …) are ignored, as HyperBEAM does.
func negotiate(r *http.Request, defaultStyle httpsig.Style) (answerForm, error) {
	form := answerForm{style: defaultStyle}
	for _, field := range []string{"accept-codec", "require-codec"} {
		v := r.Header.Get(field)
		if v == "" {
			v = r.URL.Query().Get(field)
		}
		if v == "" {
			continue
		}
		name, params := splitParams(v)
		codec, ok := codecByName(name)
		if !ok {
			return form, fmt.Errorf("%s: codec %q is not one this node answers with (%s, %s, %s)", field, name, CodecHTTPSig, CodecJSON, CodecANS104)
		}
		form.codec = codec
		if s, ok := params["style"]; ok {
			st, err := parseStyle(s)
			if err != nil {
				return form, fmt.Errorf("%s: %w", field, err)
			}
			form.style = st
		}
		return form, nil
	}
	form.codec = acceptCodec(r.Header.Values("Accept"))
	return form, nil
}

// codecByName resolves a codec name (`json@1.0`, `json`) or a media type
// (`application/json`) to a response codec.
func codecByName(name string) (string, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	if c, ok := mediaCodecs[name]; ok {
		return c, true
	}
	switch strings.TrimSuffix(name, "@1.0") {
	case "httpsig":
		return CodecHTTPSig, true
	case "json":
		return CodecJSON, true
	case "ans104":
		return CodecANS104, true
	}
	return "", false
}

// parseStyle reads a `style` parameter: js (http-sig-… labels, the
// default) or hyperbeam (comm-… labels).
func parseStyle(s string) (httpsig.Style, error) {
	switch strings.ToLower(strings.Trim(s, `"`)) {
	case "js", "http-sig":
		return httpsig.StyleJS, nil
	case "hyperbeam", "comm":
		return httpsig.StyleHyperBEAM, nil
	}
	return 0, fmt.Errorf("style %q is neither js nor hyperbeam", s)
}

// acceptCodec returns the codec of the most preferred Accept media type
// that has one ("" when none does). Preference is by q value, then order.
func acceptCodec(values []string) string {
	type ranged struct {
		codec string
		q     float64
		pos   int
	}
	var found []ranged
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			name, params := splitParams(item)
			c, ok := mediaCodecs[strings.ToLower(name)]
			if !ok {
				continue
			}
			q := 1.0
			if qs, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(qs, 64); err == nil {
					q = f
				}
			}
			if q <= 0 {
				continue
			}
			found = append(found, ranged{c, q, len(found)})
		}
	}
	if len(found) == 0 {
		return ""
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].q > found[j].q })
	return found[0].codec
}

// splitParams splits `name; k=v; …` into the trimmed name and its
// parameters (lower-cased keys).
func splitParams(s string) (string, map[string]string) {
	parts := strings.Split(s, ";")
	params := map[string]string{}
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(p, "=")
		params[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	return strings.TrimSpace(parts[0]), params
}
