package aoloader

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// diffCase is one module of the differential test.
type diffCase struct {
	module string
	seq    func(Options) *Seq
	probes func(t *testing.T, ref []result)
}

// aosCase runs AOSSequence with the given number of transfers.
func aosCase(module string, transfers int) diffCase {
	return diffCase{module: module, seq: func(o Options) *Seq { return AOSSequence(o, transfers) },
		probes: func(t *testing.T, ref []result) { aosProbes(t, ref, transfers) }}
}

// runBoth runs the sequence through ao-loader and aonode exec at the same
// time (one process each, so two cores) and returns both results.
func runBoth(t *testing.T, module, format, msgs, env string, refExtra, execExtra []string) (ref, got []result) {
	t.Helper()
	var wg sync.WaitGroup
	var refErr any
	wg.Go(func() {
		defer func() { refErr = recover() }()
		ref = runRefNoFatal(t, module, format, msgs, env, refExtra...)
	})
	got = runAonode(t, module, format, msgs, env, execExtra...)
	wg.Wait()
	if refErr != nil {
		t.Fatalf("ref.mjs: %v", refErr)
	}
	return ref, got
}

// runRefNoFatal is runRef for use off the test goroutine: it panics
// instead of calling t.Fatal, and runBoth turns the panic into a failure.
func runRefNoFatal(t *testing.T, module, format, msgs, env string, extra ...string) []result {
	var out []result
	ft := &panicTB{TB: t}
	out = runRef(ft, module, format, msgs, env, extra...)
	return out
}

// panicTB turns Fatal into a panic so that a helper can run on another
// goroutine.
type panicTB struct{ testing.TB }

func (p *panicTB) Fatal(args ...any)                 { panic(fmt.Sprint(args...)) }
func (p *panicTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (p *panicTB) Helper()                           {}

// TestDifferential runs the scripted sequences through ao-loader and aonode
// exec and requires identical Output, Messages, Spawns, Assignments and
// Error for every message.
func TestDifferential(t *testing.T) {
	cases := []diffCase{
		// 200 transfers on the fastest module; fewer on the others keeps
		// the package within a few minutes on a 2-core machine.
		aosCase("aos2_0_6", 200),
		aosCase("aos2_0_1", 30),
		aosCase("aos", 30),
		aosCase("aos2_0_4_32", 30),
		{module: "sqlite", seq: SQLiteSequence, probes: sqliteProbes},
	}
	for _, c := range cases {
		t.Run(c.module, func(t *testing.T) {
			module, format := stockModule(t, c.module)
			s := c.seq(Options{Label: "diff/" + c.module, Format: format})
			msgs, env := seqFiles(t, t.TempDir(), "seq", s)
			ref, got := runBoth(t, module, format, msgs, env, nil, nil)
			if len(ref) != s.Len() {
				t.Fatalf("ref.mjs gave %d lines for %d messages", len(ref), s.Len())
			}
			c.probes(t, ref)
			requireSame(t, ref, got, "ao-loader", "aonode", s.Lines())
		})
	}
}

// aosProbes checks that the reference run itself behaved as the sequence
// intends (so that agreeing with it means something): the errors are
// errors, the rolled-back variables are unset, the transfers produced
// notices.
func aosProbes(t *testing.T, ref []result, transfers int) {
	t.Helper()
	errs, rolledBack, notices := 0, 0, 0
	for _, r := range ref {
		if hasError(r) {
			errs++
		}
		// aos 2.0.4 prefixes a "Nonce did not match" warning after a
		// rolled-back message: the probe's answer is the last line.
		if lastLine(outputText(r)) == "nil" {
			rolledBack++
		}
		if strings.Contains(string(r["Messages"]), "Credit-Notice") {
			notices++
		}
	}
	if errs < 4 {
		t.Errorf("reference: %d messages with Error, want at least 4 (error(), runtime errors, syntax error)", errs)
	}
	if rolledBack < 2 {
		t.Errorf("reference: %d rollback probes answered nil, want 2", rolledBack)
	}
	if notices != transfers {
		t.Errorf("reference: %d transfers sent a Credit-Notice, want %d", notices, transfers)
	}
}

func lastLine(s string) string {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func sqliteProbes(t *testing.T, ref []result) {
	t.Helper()
	found := false
	for _, r := range ref {
		if strings.HasPrefix(outputText(r), "nil 0") {
			found = true
		}
	}
	if !found {
		t.Errorf("reference: the sqlite rollback probe did not answer \"nil 0\"")
	}
}
