package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/codec/httpsig"
	"aonode/wallet"
)

// DefaultMaxBodyBytes is the request body limit when Config leaves it 0.
const DefaultMaxBodyBytes = 10 << 20

// Config configures a Server. The zero value is usable.
type Config struct {
	// MaxBodyBytes caps request bodies; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives one line per request; nil discards them.
	Logger *slog.Logger
	// SignatureStyle is the dialect of node-signed httpsig@1.0 answers
	// when the request's accept-codec has no style parameter: StyleJS
	// (http-sig-… labels, the zero value) or StyleHyperBEAM (comm-…).
	SignatureStyle httpsig.Style
	// Rewriters translate the HTTP path shapes that are not HyperPATHs
	// (aoconnect's process routes, the legacy SU's, device routes with
	// an HTTP form of their own) into the HyperPATHs the engine
	// resolves; the server applies them in order to every request before
	// the engine (hyperpath.Rewrite).
	Rewriters []hyperpath.Rewriter
}

// Deps are the parts of a node the server answers with.
type Deps struct {
	// Resolver resolves each request's HyperPATH (required).
	Resolver *resolve.Resolver
	// Key signs the httpsig@1.0 and ans104@1.0 answers (required).
	Key *wallet.Key
}

// Server serves one node over HTTP.
type Server struct {
	d       Deps
	cfg     Config
	log     *slog.Logger
	metrics *metrics
	handler http.Handler
	http    *http.Server
}

// New returns a server answering with d.
func New(d Deps, cfg Config) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	s := &Server{d: d, cfg: cfg, log: cfg.Logger, metrics: newMetrics()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	mux.Handle("/", http.HandlerFunc(s.serveAO))
	s.handler = s.instrument(mux)
	return s
}

// Handler is the server's complete HTTP handler (for tests and embedding).
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers requests on ln until Shutdown; it returns nil after a
// graceful shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.http = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	err := s.http.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections and waits, up to ctx's deadline,
// for in-flight requests to finish.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.http == nil {
		return nil
	}
	return s.http.Shutdown(ctx)
}
