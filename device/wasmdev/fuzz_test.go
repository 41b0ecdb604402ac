package wasmdev

import (
	"context"
	"errors"
	"testing"
	"time"

	"aonode/ao"
	"aonode/ao/resolve"
)

// FuzzCompute: arbitrary function names, parameters and limits never make
// the device panic or answer anything but a state or a resolve.Error.
func FuzzCompute(f *testing.F) {
	for _, c := range [][5]string{
		{"fac", "5", "", "", ""},
		{"add", "4294967295", "1", "128-kb", "1000000"},
		{"mix", "-3", "2.5", "", ""},
		{"spin", "", "", "", "100000"},
		{"grow", "3", "", "65536", ""},
		{"boom", "", "", "", ""},
		{"memory", "1", "", "", ""},
		{"", "x", "", "0", "-1"},
	} {
		f.Add(c[0], c[1], c[2], c[3], c[4])
	}
	e := newEnv(f, Options{Deadline: 200 * time.Millisecond, MaxComputeLimit: 10_000_000, MaxMemoryLimit: 1 << 20})
	id := e.add("fac32")
	f.Fuzz(func(t *testing.T, fnName, p1, p2, mem, fuel string) {
		base := imageBase(id)
		if mem != "" {
			base.SetString("memory-limit", mem)
		}
		if fuel != "" {
			base.SetString("compute-limit", fuel)
		}
		req := ao.New().SetString("path", "compute").SetString("function", fnName)
		var params []ao.Value
		for _, p := range []string{p1, p2} {
			if p != "" {
				params = append(params, ao.String(p))
			}
		}
		req.Set("parameters", ao.List(params...))
		v, err := e.d.Resolve(context.Background(), &resolve.Call{Key: "compute", Base: base, Req: req, Resolver: e.res})
		if err != nil {
			var re *resolve.Error
			if !errors.As(err, &re) {
				t.Fatalf("not a resolve.Error: %T %v", err, err)
			}
			return
		}
		if _, ok := v.AsMessage(); !ok {
			t.Fatalf("answered a %s", v.Kind())
		}
	})
}
