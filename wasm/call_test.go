package wasm

import (
	"errors"
	"strings"
	"testing"
)

// TestInstanceCall: exports called with numbers on aos 2.0.6; a failing
// call is a *CallError and rolled back; a successful call survives the
// rollback of a later failing message (it became the rollback base).
func TestInstanceCall(t *testing.T) {
	e := testEngine(t)
	for _, opts := range []Options{{}, {ComputeLimit: 1e12}} {
		in := spawn(t, loadStock(t, e, "aos2_0_6"), opts)
		malloc := func() uint64 {
			t.Helper()
			r, err := in.Call("malloc", []Val{ValI64(64)})
			if err != nil || len(r) != 1 || r[0].Kind() != I64 || r[0].I64() <= 0 {
				t.Fatalf("malloc(64) = %v, %v", r, err)
			}
			return uint64(r[0].I64())
		}
		p1 := malloc()
		// A failing message rolls back to the state after the call: the
		// block stays allocated, so malloc does not hand it out again.
		r, err := in.Handle(evalMsg(t, 2, `error("boom")`), testEnv(t))
		if err != nil || !r.Failed() {
			t.Fatalf("erroring message: %v, %v", r, err)
		}
		if p2 := malloc(); p2 == p1 {
			t.Fatalf("malloc after a rolled-back message reused the live block %d", p1)
		}
		// A trapping call.
		_, err = in.Call("free", []Val{ValI64(1 << 40)})
		var ce *CallError
		if !errors.As(err, &ce) || ce.Kind != KindTrap {
			t.Fatalf("free of a wild pointer: %v", err)
		}
		// The instance still handles messages.
		r, err = in.Handle(evalMsg(t, 3, "return 1+1"), testEnv(t))
		if err != nil || r.Failed() || outputData(t, r) != "2" {
			t.Fatalf("Eval after a trapped call: %v %v", r, err)
		}
		// Bad calls are plain errors naming the problem.
		for _, c := range []struct {
			name string
			args []Val
			want string
		}{
			{"nope", nil, `exports no function "nope"`},
			{"malloc", nil, "takes 1 parameter(s), got 0"},
			{"malloc", []Val{ValI32(1)}, "parameter 1 is i64, got i32"},
		} {
			if _, err := in.Call(c.name, c.args); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Call(%s, %v): %v, want %q", c.name, c.args, err, c.want)
			}
		}
	}
}

// TestImplements: the host's import table as seen from outside.
func TestImplements(t *testing.T) {
	if !Implements(FormatWasm64, "env", "emscripten_date_now") || !Implements(FormatWasm64, "env", "invoke_vii") {
		t.Fatal("known imports reported missing")
	}
	if Implements(FormatWasm64, "env", "no_such_import") || Implements(FormatWasm64, "host", "emscripten_date_now") {
		t.Fatal("unknown imports reported implemented")
	}
}
