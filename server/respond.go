package server

import (
	"fmt"
	"net/http"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/ans104msg"
	"aonode/codec/flat"
	"aonode/codec/httpsig"
	"aonode/codec/structured"
	"aonode/device/httpreply"
	"aonode/wallet"
)

// ContentTypeANS104 is the media type of a data item answer.
const ContentTypeANS104 = "application/ans104"

// writeResult answers a resolved value in the negotiated form. The
// default and json@1.0 forms are writeValue's (unsigned JSON or text);
// httpsig@1.0 and ans104@1.0 answers are messages signed by the node. A
// device's Verbatim reply is the answer in every form.
func (s *Server) writeResult(w http.ResponseWriter, res *resolve.Result, form answerForm) {
	if res.Reply != nil && res.Reply.Verbatim {
		// The device's bytes are the answer itself, in every form.
		writeReply(w, res)
		return
	}
	switch form.codec {
	case CodecHTTPSig, CodecANS104:
		w.Header().Set("Hashpath", res.Hashpath)
		m, status, err := answerMessage(res)
		if err != nil {
			httpreply.Error(w, http.StatusInternalServerError, "%v", err)
			return
		}
		if err := s.writeSigned(w, m, form, status, res.Hashpath); err != nil {
			httpreply.Error(w, http.StatusInternalServerError, "%v", err)
		}
	default:
		if form.codec == CodecJSON {
			w.Header().Set("Codec-Device", CodecJSON)
		}
		if res.Reply != nil {
			writeReply(w, res)
			return
		}
		writeValue(w, res)
	}
}

// writeReply writes the device's own rendering of the result (the
// unsigned forms, and every form for a Verbatim reply; see
// resolve.Reply), with the Hashpath header.
func writeReply(w http.ResponseWriter, res *resolve.Result) {
	h := w.Header()
	for k, vs := range res.Reply.Header {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	h.Set("Hashpath", res.Hashpath)
	if res.Reply.ContentType != "" {
		h.Set("Content-Type", res.Reply.ContentType)
	}
	status := res.Reply.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	w.Write(res.Reply.Body)
}

// fail answers an error. In the signed forms it is a node-signed message
// {status, error} (HyperBEAM signs its error answers too), with the error
// status as the HTTP status; otherwise, and should signing fail, it is
// httpreply.Error's JSON (the node's one error form).
func (s *Server) fail(w http.ResponseWriter, form answerForm, status int, format string, args ...any) {
	if form.codec == CodecHTTPSig || form.codec == CodecANS104 {
		m := ao.New()
		m.Set("status", ao.Int(int64(status)))
		m.SetString("error", fmt.Sprintf(format, args...))
		if err := s.writeSigned(w, m, form, status, ""); err == nil {
			return
		}
	}
	httpreply.Error(w, status, format, args...)
}

// writeSigned signs m with the node key in form's codec and writes it
// with the HTTP status. Nothing is written when it fails.
func (s *Server) writeSigned(w http.ResponseWriter, m *ao.Message, form answerForm, status int, hashpath string) error {
	if form.codec == CodecHTTPSig {
		return writeHTTPSig(w, m, s.d.Key, form.style, hashpath, status)
	}
	return writeANS104(w, m, s.d.Key, status)
}

// answerMessage is the message a signed answer carries and its HTTP
// status: the result message (a list or scalar as {body: value}) with the
// status and the result's hashpath added as keys, so both are signed. A
// result that carries an integer `status` of its own (100–599) keeps it
// and answers with it, as HyperBEAM does; otherwise the status is 200.
// Commitments the result carried are dropped: they covered the message
// without the added keys and would no longer verify.
func answerMessage(res *resolve.Result) (*ao.Message, int, error) {
	var m *ao.Message
	v := res.Value
	if l, ok := v.AsList(); ok {
		m = listMessage(l)
	} else if rm, ok := v.AsMessage(); ok {
		m = rm.WithoutCommitments()
	} else {
		if _, ok := v.Text(); !ok {
			return nil, 0, fmt.Errorf("result of kind %s has no message form", v.Kind())
		}
		m = ao.New()
		m.Set("body", v)
	}
	status := http.StatusOK
	if st, ok := m.GetInt("status"); ok && st >= 100 && st <= 599 {
		status = int(st)
	}
	m.Set("status", ao.Int(int64(status)))
	if res.Hashpath != "" {
		m.SetString("hashpath", res.Hashpath)
	}
	return m, status, nil
}

// writeHTTPSig signs m with the node key in the given style (the
// signature's tag parameter is the hashpath) and writes its httpsig form.
func writeHTTPSig(w http.ResponseWriter, m *ao.Message, key *wallet.Key, style httpsig.Style, hashpath string, status int) error {
	if _, err := httpsig.Sign(m, key, httpsig.SignOptions{Style: style, Tag: hashpath}); err != nil {
		return fmt.Errorf("signing the answer (httpsig@1.0): %w", err)
	}
	wire, err := httpsig.Encode(m, httpsig.Options{Style: style})
	if err != nil {
		return fmt.Errorf("encoding the answer (httpsig@1.0): %w", err)
	}
	h := w.Header()
	for k, v := range wire.Headers {
		h.Set(k, v)
	}
	if _, ok := wire.Headers["content-type"]; !ok {
		// No content type is part of the message: stop net/http from
		// sniffing one, which a client would decode as an unsigned key.
		h["Content-Type"] = nil
	}
	h.Set("Codec-Device", CodecHTTPSig)
	w.WriteHeader(status)
	w.Write(wire.Body)
	return nil
}

// writeANS104 signs m as a data item with the node key and writes the
// item's bytes. ans104msg carries no bundles, so nested messages travel
// flattened: their keys become slash-separated tag names (flat@1.0
// paths, e.g. build/go), which flat.Unflatten restores.
func writeANS104(w http.ResponseWriter, m *ao.Message, key *wallet.Key, status int) error {
	flatMsg, err := flattenNested(m)
	if err != nil {
		return fmt.Errorf("encoding the answer (ans104@1.0): %w", err)
	}
	item, err := ans104msg.Sign(flatMsg, key)
	if err != nil {
		return fmt.Errorf("signing the answer (ans104@1.0): %w", err)
	}
	raw, err := item.Encode()
	if err != nil {
		return fmt.Errorf("encoding the answer (ans104@1.0): %w", err)
	}
	h := w.Header()
	h.Set("Content-Type", ContentTypeANS104)
	h.Set("Codec-Device", CodecANS104)
	w.WriteHeader(status)
	w.Write(raw)
	return nil
}

// flattenNested returns m unchanged when its TABM (structured@1.0 form)
// is one level deep, else that TABM flattened to slash-separated binary
// keys.
func flattenNested(m *ao.Message) (*ao.Message, error) {
	tabm, err := structured.Encode(m)
	if err != nil {
		return nil, err
	}
	nested := false
	for _, k := range tabm.Keys() {
		if _, ok := tabm.GetMessage(k); ok {
			nested = true
			break
		}
	}
	if !nested {
		return m, nil
	}
	paths, err := flat.Flatten(tabm)
	if err != nil {
		return nil, err
	}
	out := ao.New()
	for k, v := range paths {
		out.Set(k, ao.Bytes(v))
	}
	return out, nil
}
