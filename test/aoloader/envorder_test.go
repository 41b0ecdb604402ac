package aoloader

import (
	"fmt"
	"strings"
	"testing"

	"aonode/legacy/msgenv"
)

// TestEnvLengthChangesTableOrder runs the same sequence with two envs whose
// lengths differ (a module tag's value). Under ao-loader the first call's
// env length moves the Lua hash seed (Lua 5.3's makeseed mixes in the address
// of a stack local, and msg and env sit on the wasm stack), so the two
// reference runs must differ somewhere (table order in json output and
// outgoing tags); aonode must reproduce each variant exactly.
//
// Measured: on aos2_0_4_32 (wasm32) 32 more bytes change the order; on
// aos2_0_6 (wasm64) changes of up to 100 bytes left it unchanged and
// 1000 bytes changed it, so each module gets a delta that matters.
func TestEnvLengthChangesTableOrder(t *testing.T) {
	for _, c := range []struct {
		module string
		extra  int
	}{{"aos2_0_4_32", 32}, {"aos2_0_6", 1000}} {
		t.Run(fmt.Sprintf("%s/+%d", c.module, c.extra), func(t *testing.T) {
			module, format := stockModule(t, c.module)
			dir := t.TempDir()
			var refs [2][]result
			for i, pad := range []string{"short", "short" + strings.Repeat("-", c.extra)} {
				s := OrderProbeSequence(Options{Label: "envorder", Format: format,
					ExtraModuleTags: []msgenv.Tag{{Name: "Build-Note", Value: pad}}})
				msgs, env := seqFiles(t, dir, fmt.Sprintf("variant%d", i), s)
				ref, got := runBoth(t, module, format, msgs, env, nil, nil)
				requireSame(t, ref, got, "ao-loader", "aonode", s.Lines())
				refs[i] = ref
			}
			d := diffResults(refs[0], refs[1], "env A", "env B", nil, 1000)
			if len(d) == 0 {
				t.Fatal("the two env lengths gave identical ao-loader results; the sequence no longer exposes table order")
			}
			t.Logf("%d of %d messages differ between the two env lengths under ao-loader", len(d), len(refs[0]))
		})
	}
}
