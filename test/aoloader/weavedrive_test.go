package aoloader

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"aonode/wasm"
)

// weaveDriveSeq is boot, an Eval that opens /data/<id> (WeaveDrive, with no
// data available), and a follow-up Eval.
func weaveDriveSeq(format string) *Seq {
	s := NewSeq(Options{Label: "weavedrive", Format: format})
	s.Eval("return 1")
	s.Eval(fmt.Sprintf("local f = io.open('/data/%s'); return tostring(f)", ID("some-data")))
	s.Eval("return 2")
	return s
}

// readSizes reads the memory sizes ref.mjs wrote with --memsize-out.
func readSizes(t *testing.T, path string) []uint64 {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	var out []uint64
	for _, f := range strings.Fields(string(b)) {
		n, err := strconv.ParseUint(f, 10, 64)
		must(t, err)
		out = append(out, n)
	}
	return out
}

// gunzipFile reads a gzipped memory image.
func gunzipFile(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	must(t, err)
	b, err := io.ReadAll(zr)
	must(t, err)
	return b
}

// snapshotMemory returns the linear memory an aonode snapshot holds, read
// back through the wasm package's own Restore.
func snapshotMemory(t *testing.T, module, format, snapPath string) []byte {
	t.Helper()
	code, err := os.ReadFile(module)
	must(t, err)
	snap, err := os.ReadFile(snapPath)
	must(t, err)
	eng, err := wasm.NewEngine(wasm.EngineOptions{})
	must(t, err)
	defer eng.Close()
	f, err := wasm.ParseFormat(format)
	must(t, err)
	mod, err := eng.Load(code, f)
	must(t, err)
	inst, err := mod.Restore(snap, wasm.Options{})
	must(t, err)
	defer inst.Close()
	return inst.Memory()
}

// requireSameImage fails t when two memory images of one length differ,
// saying in how many bytes and where first.
func requireSameImage(t *testing.T, mem, refMem []byte) {
	t.Helper()
	if bytes.Equal(mem, refMem) {
		return
	}
	n, first := 0, -1
	for i := range mem {
		if mem[i] != refMem[i] {
			if first < 0 {
				first = i
			}
			n++
		}
	}
	t.Fatalf("memory images differ in %d bytes, first at offset %d", n, first)
}

// TestWeaveDriveMemoryGrowth: opening /data/<id> goes through the glue's
// Asyncify path, whose 40 MiB unwind buffer grows memory under ao-loader
// (malloc(24 + 41943040) before each unwind); aonode must grow it to the same size and give
// the same results. The whole memory image is compared as well.
func TestWeaveDriveMemoryGrowth(t *testing.T) {
	module, format := stockModule(t, "aos2_0_6")
	dir := t.TempDir()
	s := weaveDriveSeq(format)
	msgs, env := seqFiles(t, dir, "wd", s)
	sizes := filepath.Join(dir, "sizes.txt")
	img := filepath.Join(dir, "ref-memory.gz")
	snap := filepath.Join(dir, "aonode.snap")
	ref := runRef(t, module, format, msgs, env, "--memsize-out", sizes, "--memory-out", img)
	want := readSizes(t, sizes)
	if len(want) != 4 || want[2] <= want[1] {
		t.Fatalf("reference memory sizes %v: the /data open should grow memory", want)
	}
	got := runAonode(t, module, format, msgs, env, "--snapshot-out", snap)
	requireSame(t, ref, got, "ao-loader", "aonode", s.Lines())

	refMem := gunzipFile(t, img)
	mem := snapshotMemory(t, module, format, snap)
	if uint64(len(refMem)) != want[3] {
		t.Fatalf("ref.mjs memory image is %d bytes, its size report says %d", len(refMem), want[3])
	}
	if len(mem) != len(refMem) {
		t.Fatalf("memory after the sequence: aonode %d bytes, ao-loader %d bytes (sizes per message under ao-loader: %v)",
			len(mem), len(refMem), want)
	}
	requireSameImage(t, mem, refMem)
}
