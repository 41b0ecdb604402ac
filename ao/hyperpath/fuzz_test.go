package hyperpath

import (
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"/~meta@1.0/info/address",
		"/" + pid + "~process@1.0/compute&slot+integer=5/results/outbox/1/data",
		"/" + pid + "~process@1.0/compute/results=12",
		"/" + pid + "~process@1.0/as=execution/compute&Action=Balance&Data=hi there",
		"/" + pid + "/slot/current",
		"/a/(x/y/z)/z?2.k+integer=1&k=v",
		"/part1/part2&test=1&b=(/x/y)/part3",
		`/a/b&k1="v/1"/c&k2=v2`,
		"/a&l+list=1,\"two\",three&m+map=a=1,b=?0",
		"/a&k=x%2Fy%26z?q+resolve=/x/y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		r, err := Parse(in)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(r.Steps) == 0 {
			t.Fatal("no steps")
		}
		_ = r.String()
		for _, st := range r.Steps {
			if st.Kind == StepID && len(st.ID) != 43 {
				t.Fatalf("ID step %q", st.ID)
			}
			if st.Kind == StepMessage && len(st.Key) > MaxSegmentLen {
				t.Fatalf("key of %d bytes", len(st.Key))
			}
			for i := 1; i < len(st.Params); i++ {
				if strings.Compare(st.Params[i-1].Key, st.Params[i].Key) >= 0 {
					t.Fatal("params not sorted/unique")
				}
			}
		}
	})
}
