package schedulerdev

import (
	"aonode/ao/hyperpath"
	"net/http"
	"net/url"
	"strings"
)

// Rewrite is scheduler@1.0's hyperpath.Rewriter: it rewrites the
// scheduler's HTTP-only shapes into the device engine's HyperPATHs
// (Normalize). It holds no scheduling logic: the engine resolves every
// route with Device.
//
// One more HTTP-only shape is the legacy SU's "Accept:
// application/ans104" on a schedule POST, which asks for the signed
// assignment item itself. To the engine that Accept header would ask
// for a node-signed answer (ans104@1.0), so, unless accept-codec or
// require-codec chooses the codec, Rewrite moves it into an accept query
// key that Device reads.
func Rewrite(s hyperpath.Shape) (hyperpath.Shape, bool) {
	p, q, ok := Normalize(s.Path, s.Query)
	if !ok {
		p, q = s.Path, s.Query
	}
	moveAccept := s.Method == http.MethodPost && isSchedule(p) &&
		strings.Contains(s.Header.Get("Accept"), "application/ans104") && !choosesCodec(s)
	if !ok && !moveAccept {
		return s, false
	}
	out := s
	out.Path, out.Query = p, q
	if moveAccept {
		if out.Query != "" {
			out.Query += "&"
		}
		out.Query += "accept=" + url.QueryEscape("application/ans104")
		out.Header = s.Header.Clone()
		out.Header.Del("Accept")
	}
	return out, true
}

// choosesCodec reports whether the request names its answer's codec
// explicitly (the server's accept-codec and require-codec).
func choosesCodec(s hyperpath.Shape) bool {
	q, _ := url.ParseQuery(s.Query)
	for _, f := range []string{"accept-codec", "require-codec"} {
		if s.Header.Get(f) != "" || q.Get(f) != "" {
			return true
		}
	}
	return false
}

// isSchedule reports whether an (escaped, normalised) path is a
// scheduler@1.0 schedule key: /~scheduler@1.0/schedule[&…] or
// /<pid>~scheduler@1.0/schedule[&…].
func isSchedule(p string) bool {
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if len(segs) != 2 || !strings.HasSuffix(segs[0], "~"+Name) {
		return false
	}
	key, _, _ := strings.Cut(segs[1], "&")
	return key == "schedule"
}

// Normalize rewrites scheduler@1.0's HTTP-only routes (escaped path and
// raw query as received) into engine terms; ok is false for any other
// path, which is left alone. pid is a 43-character process ID:
//
//	/<pid>/slot                    → /~scheduler@1.0/slot&target=<pid>
//	/<pid>/schedule                → /~scheduler@1.0/schedule&target=<pid>
//	/<pid>~process@1.0/slot        → /~scheduler@1.0/slot&target=<pid>
//	/<pid>~process@1.0/schedule    → /~scheduler@1.0/schedule&target=<pid>
//
// The process travels as a key rather than as a loaded base, as these
// routes always worked: nothing is read from the store before the
// scheduler answers (an unknown process is the scheduler's 404, a POST
// whose item targets another process its 400). The query (target, from,
// to, accept) is kept; the path's process wins over a target in it.
// /~scheduler@1.0/<key> and /<pid>~scheduler@1.0/<key> are HyperPATHs
// already and are left alone.
func Normalize(path, query string) (string, string, bool) {
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(segs) != 2 || (segs[1] != "slot" && segs[1] != "schedule") {
		return "", "", false
	}
	pid, dev, _ := strings.Cut(segs[0], "~")
	if !hyperpath.IsID(pid) || (dev != "" && dev != "process@1.0") {
		return "", "", false
	}
	return "/~" + Name + "/" + segs[1] + "&target=" + pid, query, true
}
