package wasm

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"aonode/test/aoloader"
)

// memfsEvals are Evals that reach MEMFS through what aos 2.0.x leaves of
// Lua's file functions: its fopen, fread and fclose go to WeaveDrive only
// (so io.open, read('a'), read(n) and close do not reach MEMFS, and under
// ao-loader without a drive fread and fclose throw), but io.tmpfile,
// write, seek, line reads (getc), os.tmpname, os.remove, os.rename and the
// standard streams go through the __syscall_* and fd_* imports. Handles
// stay referenced from KEEP so that no garbage collection closes them.
var memfsEvals = []string{
	// A temporary file: write, seek, read lines, append at the end. (aos
	// routes fread, so read('a') and read(n), to WeaveDrive; lines use
	// getc and reach fd_read.)
	aoloader.TmpFileEval,
	// A descriptor that stays open across messages (a warm instance).
	`TMP = assert(io.tmpfile()); TMP:write(string.rep('x', 5000)); TMP:write('\nend'); return TMP:seek('cur')`,
	`TMP:seek('set', 4998); return TMP:read('l') .. '|' .. TMP:read('l') .. '|' .. TMP:seek('end')`,
	// Names from os.tmpname (the clock and the buffer address).
	`return os.tmpname() .. ' ' .. os.tmpname()`,
	// Errors, as Lua reports them (message and errno).
	`local out = {}
local function add(...) local t = {} for i = 1, select('#', ...) do t[#t+1] = tostring((select(i, ...))) end out[#out+1] = table.concat(t, ' ') end
add('rm missing', os.remove('/tmp/missing'))
add('rm deep', os.remove('/nope/x'))
add('mv missing', os.rename('/tmp/missing', '/tmp/b'))
add('rm nonempty', os.remove('/home'))
add('rm file/x', os.remove('/dev/null/x'))
add('mv into self', os.rename('/home', '/home/web_user/h'))
add('mv dir over file', os.rename('/dev/shm', '/dev/null'))
add('mv file over dir', os.rename('/dev/null', '/tmp'))
add('mv dir over nonempty', os.rename('/tmp', '/dev'))
add('mv dir', os.rename('/home/web_user', '/home/u2'))
add('rm dir', os.remove('/home/u2'))
add('rm again', os.remove('/home/u2'))
add('mv same', os.rename('/tmp', '/tmp'))
add('rm tty', os.remove('/dev/tty1'))
KEEP[#KEEP+1] = io.tmpfile()
add('tmpfile', KEEP[#KEEP])
add('rm tmp', os.remove('/dev/shm/tmp'))
return table.concat(out, '\n')`,
	// The standard streams are TTYs: writes stamp them (clock ticks).
	`io.write('to stdout\n'); io.stderr:write('to stderr\n'); io.stdout:write('a', 'b', '\n'); io.stdout:flush(); return os.tmpname()`,
	// /tmp gone: tmpfile fails as under ao-loader.
	`local ok = os.remove('/tmp'); return tostring(ok) .. ' ' .. tostring(select(3, io.tmpfile()))`,
	`return TMP:seek('set', 4990) .. TMP:read('l')`,
}

// TestMemFSMatchesAOLoader runs the MEMFS Evals on aonode and on
// ao-loader 0.0.49 and requires the same results and the same memory
// (size and SHA-256) after every message.
func TestMemFSMatchesAOLoader(t *testing.T) {
	e := testEngine(t)
	for _, name := range []string{"aos2_0_6", "aos2_0_4_32"} {
		t.Run(name, func(t *testing.T) {
			lines := [][]byte{basicLines(t)[0]}
			for i, code := range memfsEvals {
				lines = append(lines, evalMsg(t, i+1, code))
			}
			msgs := filepath.Join(t.TempDir(), "msgs.jsonl")
			if err := os.WriteFile(msgs, append(bytes.Join(lines, []byte("\n")), '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
			ref := runAOLoader(t, stockPathFor(t, name), stockFormats[name], msgs, "testdata/env.json")
			if len(ref) != len(lines) {
				t.Fatalf("ao-loader gave %d lines for %d messages", len(ref), len(lines))
			}
			in, err := loadStock(t, e, name).Instantiate(t.Context(), Options{CheckpointEvery: 3})
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			for i, line := range lines {
				r, err := in.Handle(line, testEnv(t))
				if err != nil {
					t.Fatalf("message %d: %v", i, err)
				}
				want := ref[i]
				if want.Error != nil {
					t.Fatalf("message %d fails under ao-loader too: %s", i, want.Error)
				}
				for _, f := range []struct {
					name      string
					got, want json.RawMessage
				}{{"Output", r.Output, want.Output}, {"Messages", r.Messages, want.Messages},
					{"Error", r.Error, want.Error}} {
					if !sameJSON(f.got, f.want) {
						t.Errorf("message %d %s:\n got %s\nwant %s", i, f.name, f.got, f.want)
					}
				}
				if got := in.MemorySize(); got != want.MemSize {
					t.Errorf("message %d memory size: got %d, ao-loader %d", i, got, want.MemSize)
				}
				if got := in.MemoryHash(); got != want.MemSha256 {
					t.Errorf("message %d memory SHA-256: got %s, ao-loader %s", i, got, want.MemSha256)
				}
			}
		})
	}
}
