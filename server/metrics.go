package server

import (
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are one server's Prometheus collectors, in their own registry.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inflight prometheus.Gauge
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aonode_http_requests_total",
			Help: "HTTP requests answered, by route class, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "aonode_http_request_duration_seconds",
			Help:    "HTTP request latency by route class.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 10),
		}, []string{"route"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "aonode_http_requests_in_flight",
			Help: "HTTP requests being served.",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.inflight,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observe(route, method string, code int, seconds float64) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route).Observe(seconds)
}

// routeClass maps a path to a small fixed set of labels so metric
// cardinality stays bounded whatever clients send: the device named in the
// first segment ("meta@1.0" for /~meta@1.0/...), "id" for a path starting
// with a 43-character ID, "metrics", "root", or "other".
func routeClass(path string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	switch {
	case first == "":
		return "root"
	case first == "metrics":
		return "metrics"
	}
	if i := strings.IndexByte(first, '~'); i >= 0 {
		dev := first[i+1:]
		if j := strings.IndexAny(dev, "&?"); j >= 0 {
			dev = dev[:j]
		}
		if knownDevice(dev) {
			return dev
		}
		return "other"
	}
	if j := strings.IndexAny(first, "&?"); j >= 0 {
		first = first[:j]
	}
	if len(first) == 43 {
		return "id"
	}
	return "other"
}

// knownDevice limits device labels to well-formed short names.
func knownDevice(d string) bool {
	if len(d) == 0 || len(d) > 32 || !strings.Contains(d, "@") {
		return false
	}
	for _, c := range d {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '@' || c == '_') {
			return false
		}
	}
	return true
}
