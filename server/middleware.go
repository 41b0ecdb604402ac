package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"aonode/device/httpreply"
)

type ctxKey int

const requestIDKey ctxKey = 0

// RequestID returns the ID the server gave the request in ctx.
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey).(string)
	return s
}

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	code  int
	bytes int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// instrument wraps h with the request ID, the body cap, a log line and
// metrics.
func (s *Server) instrument(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		w.Header().Set("X-Request-Id", id)
		cors(w) // every answer, errors included, as HyperBEAM does
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey, id))
		sw := &statusWriter{ResponseWriter: w}
		route := routeClass(r.URL.Path)
		s.metrics.inflight.Inc()
		defer func() {
			s.metrics.inflight.Dec()
			if sw.code == 0 {
				sw.code = http.StatusOK
			}
			d := time.Since(start)
			s.metrics.observe(route, r.Method, sw.code, d.Seconds())
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("request_id", id), slog.String("method", r.Method),
				slog.String("path", r.URL.Path), slog.String("route", route),
				slog.String("remote", r.RemoteAddr),
				slog.Int("status", sw.code), slog.Int64("bytes", sw.bytes),
				slog.Duration("duration", d))
		}()
		if r.ContentLength > s.cfg.MaxBodyBytes {
			httpreply.Error(sw, http.StatusRequestEntityTooLarge, "request body of %d bytes exceeds the node's limit of %d bytes", r.ContentLength, s.cfg.MaxBodyBytes)
			return
		}
		r.Body = http.MaxBytesReader(sw, r.Body, s.cfg.MaxBodyBytes)
		h.ServeHTTP(sw, r)
	})
}

// readBody reads the capped request body; on failure it answers (413 for
// an oversized body, 400 otherwise) and returns ok=false.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	b, err := io.ReadAll(r.Body)
	if err == nil {
		return b, true
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		httpreply.Error(w, http.StatusRequestEntityTooLarge, "request body exceeds the node's limit of %d bytes", mbe.Limit)
		return nil, false
	}
	httpreply.Error(w, http.StatusBadRequest, "reading request body: %v", err)
	return nil, false
}
