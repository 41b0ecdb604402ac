package schedulerdev

import (
	"net/url"
	"strings"
	"testing"
)

const testPID = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// FuzzParsePage: any query parses or fails with an error naming a param;
// an accepted range is ordered.
func FuzzParsePage(f *testing.F) {
	for _, s := range []string{"target=" + testPID, "target=" + testPID + "&from=1&to=2", "from=2&to=1",
		"target=x", "target=" + testPID + "&from=-1", "target=" + testPID + "&to=99999999999999999999999", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		p, err := parsePage(q, "")
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "target") && !strings.HasPrefix(msg, "from") && !strings.HasPrefix(msg, "to") {
				t.Fatalf("error names no param: %q", msg)
			}
			return
		}
		if p.hasTo && p.from > p.to {
			t.Fatalf("accepted from %d > to %d", p.from, p.to)
		}
	})
}
