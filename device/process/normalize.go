package process

import (
	"net/url"
	"strings"

	"aonode/ao/hyperpath"
)

// Rewrite is process@1.0's hyperpath.Rewriter: it rewrites aoconnect
// 0.0.98's mainnet process routes into the device engine's HyperPATHs
// (Normalize). It holds no process logic: the engine resolves every
// route with the devices of this package.
func Rewrite(s hyperpath.Shape) (hyperpath.Shape, bool) {
	p, q, ok := Normalize(s.Path, s.Query, s.ForceQuery)
	if !ok {
		return s, false
	}
	s.Path, s.Query = p, q
	return s, true
}

// Normalize rewrites one of aoconnect's process routes (escaped path and
// raw query as received) into engine terms; ok is false for any other
// path, which is left alone. pid is a 43-character ID; its device may be
// left off (process@1.0 is then named) or be process@1.0 or
// scheduler@1.0 (aonode/device/schedulerdev's device, which answers slot;
// its own HTTP-only routes have their normaliser there):
//
//	/push                                   → /~process@1.0/push
//	/<pid>/push                             → /<pid>~process@1.0/push
//	/<pid>/slot/current                     → /<pid>~process@1.0/slot/current
//	/<pid>/compute[/results]                → /<pid>~process@1.0/compute
//	/<pid>/compute/results=<sel>            → /<pid>~process@1.0/compute&slot=<sel>
//	/<pid>/now                              → /<pid>~process@1.0/now
//	/<pid>/compute/cache/<k…>               → /<pid>~process@1.0/cache?1.key=<k…>
//	/<pid>/now/cache/<k…>                   → /<pid>~process@1.0/cache&now?1.key=<k…>
//	/<pid>/as=execution/compute&K=V…        → /<pid>~process@1.0/as=execution/compute?2.dryrun=<&K=V…>
//	/<pid>/dead-letters                     → /<pid>~process@1.0/dead-letters
//
// Values aoconnect writes into the path unencoded travel as form-encoded
// query keys scoped to their step: a dry-run's "&K=V…" (a "/" in a value
// splits the path and a "?" starts the query, so both are rejoined), a
// cache key (a/b reads nested keys), and a slot selector that is not a
// plain token. The original query is kept, except for a dry-run, where it
// belongs to the last value.
func Normalize(path, query string, forceQuery bool) (string, string, bool) {
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(segs) == 1 && segs[0] == "push" {
		return "/~process@1.0/push", query, true
	}
	pid, dev, _ := strings.Cut(segs[0], "~")
	if !hyperpath.IsID(pid) || len(segs) < 2 {
		return "", "", false
	}
	switch dev {
	case "":
		dev = "process@1.0"
	case "process@1.0", "scheduler@1.0":
	default:
		return "", "", false
	}
	base := "/" + pid + "~" + dev
	rest := segs[1:]
	withQuery := func(extra string) string {
		switch {
		case extra == "":
			return query
		case query == "":
			return extra
		}
		return extra + "&" + query
	}
	switch {
	case len(rest) == 1 && (rest[0] == "push" || rest[0] == "now" || rest[0] == "dead-letters" || rest[0] == "compute"):
		return base + "/" + rest[0], query, true
	case len(rest) == 2 && rest[0] == "slot" && rest[1] == "current":
		return base + "/slot/current", query, true
	case len(rest) == 2 && rest[0] == "compute" && rest[1] == "results":
		return base + "/compute", query, true
	case len(rest) == 2 && rest[0] == "compute" && strings.HasPrefix(rest[1], "results="):
		sel := strings.TrimPrefix(rest[1], "results=")
		if hyperpath.IsToken(sel) {
			return base + "/compute&slot=" + sel, query, true
		}
		return base + "/compute", withQuery("1.slot=" + url.QueryEscape(hyperpath.UnescapePath(sel))), true
	case len(rest) >= 3 && (rest[0] == "compute" || rest[0] == "now") && rest[1] == "cache":
		key := url.QueryEscape(hyperpath.UnescapePath(strings.Join(rest[2:], "/")))
		if rest[0] == "now" {
			return base + "/cache&now", withQuery("1.key=" + key), true
		}
		return base + "/cache", withQuery("1.key=" + key), true
	case len(rest) >= 2 && rest[0] == "as=execution" && strings.HasPrefix(rest[1], "compute"):
		params := strings.TrimPrefix(strings.Join(rest[1:], "/"), "compute")
		if query != "" || forceQuery {
			params += "?" + query
		}
		return base + "/as=execution/compute", "2.dryrun=" + url.QueryEscape(params), true
	}
	return "", "", false
}
