package wasm

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseMemoryLimit(t *testing.T) {
	good := map[string]uint64{
		"512-mb": 512 << 20, "1-gb": 1 << 30, "16-gb": 16 << 30, "1048576": 1 << 20,
		"64-kb": 64 << 10, "2-tb": 2 << 40, "512mb": 512 << 20, " 1-GB ": 1 << 30, "100-b": 100,
	}
	for in, want := range good {
		got, err := ParseMemoryLimit(in)
		if err != nil || got != want {
			t.Errorf("ParseMemoryLimit(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "mb", "-1-gb", "1.5-gb", "0", "1-pb", "99999999999999999999-gb", "18446744073709551615-tb", "gb-1"} {
		if _, err := ParseMemoryLimit(in); err == nil || !strings.Contains(err.Error(), "Memory-Limit") {
			t.Errorf("ParseMemoryLimit(%q): got %v, want an error naming Memory-Limit", in, err)
		}
	}
}

func TestParseResponse(t *testing.T) {
	r, err := parseResponse([]byte(`{"ok":true,"response":{"Output":{"data":12345678901234567890},"Messages":[],"Spawns":[],"Assignments":[],"Patches":[{"a":1}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	var res Result
	r.fill(&res)
	if res.Failed() || string(res.Output) != `{"data":12345678901234567890}` || string(res.Patches) != `[{"a":1}]` {
		t.Fatalf("got %+v", res)
	}
	r, err = parseResponse([]byte(`{"ok":false,"response":"lua error: boom"}`))
	if err != nil {
		t.Fatal(err)
	}
	res = Result{}
	r.fill(&res)
	if !res.Failed() || res.OK || res.ErrorString() != "lua error: boom" {
		t.Fatalf("got %+v", res)
	}
	r, _ = parseResponse([]byte(`{"ok":true,"response":{"Error":{"code":1},"Output":"x"}}`))
	res = Result{}
	r.fill(&res)
	if !res.Failed() || res.ErrorString() != `{"code":1}` {
		t.Fatalf("Error object: %+v", res)
	}
	r, _ = parseResponse([]byte(`{"ok":true,"response":{"Error":null,"Output":"x"}}`))
	res = Result{}
	r.fill(&res)
	if res.Failed() {
		t.Fatal("null Error counted as a failure")
	}
	for in, want := range map[string]string{
		``:                              "invalid JSON",
		`[1]`:                           "invalid JSON",
		`null`:                          "want an object",
		`{"response":{}}`:               `no "ok"`,
		`{"ok":"yes","response":1}`:     `"ok" is`,
		`{"ok":true}`:                   `no "response"`,
		`{"ok":true,"response":{}} x`:   "trailing",
		`{"ok":true,"response":{"a":}}`: "invalid JSON",
	} {
		if _, err := parseResponse([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseResponse(%q): got %v, want an error containing %q", in, err, want)
		}
	}
}

func TestSnapHeaderRoundTrip(t *testing.T) {
	sh := snapHeader{memSize: 1088 * 65536, clock: 10042}
	sh.module[0], sh.module[31] = 0xab, 0xcd
	got, err := parseSnapHeader(sh.encode())
	if err != nil || got != sh {
		t.Fatalf("got %+v, %v", got, err)
	}
	bad := sh.encode()
	bad[16] = 1 // memory size not a page multiple
	if _, err := parseSnapHeader(bad); err == nil || !strings.Contains(err.Error(), "64 KiB") {
		t.Fatalf("got %v", err)
	}
}

func TestStrftime(t *testing.T) {
	// 2024-02-29 13:05:09 UTC, a Thursday, day 59 of a leap year.
	tm := cTm{sec: 9, min: 5, hour: 13, mday: 29, mon: 1, year: 124, wday: 4, yday: 59}
	cases := map[string]string{
		"%Y-%m-%d %H:%M:%S": "2024-02-29 13:05:09",
		"%c":                "Thu Feb 29 13:05:09 2024",
		"%a %A %b %B":       "Thu Thursday Feb February",
		"%j %U %W %V %u %w": "060 08 09 09 4 4",
		"%I %p %e %y %C":    "01 PM 29 24 20",
		"%G %g %z %%":       "2024 24 +0000 %",
		"%D %F %R %T":       "02/29/24 2024-02-29 13:05 13:05:09",
	}
	for in, want := range cases {
		if got := strftime(in, tm, "UTC"); got != want {
			t.Errorf("strftime(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseResponse(f *testing.F) {
	for _, s := range []string{`{"ok":true,"response":{"Output":"x","Messages":[]}}`, `{"ok":false,"response":"e"}`,
		`{"ok":true,"response":{"Error":null}}`, `{}`, `[`, "\xff\xfe"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := parseResponse(b)
		if err != nil {
			return
		}
		var res Result
		r.fill(&res)
		for _, v := range []json.RawMessage{res.Output, res.Messages, res.Spawns, res.Assignments, res.Patches, res.Error} {
			if v != nil && !json.Valid(v) {
				t.Fatalf("invalid raw field %q from %q", v, b)
			}
		}
	})
}

func FuzzParseSnapHeader(f *testing.F) {
	sh := snapHeader{memSize: 65536, clock: 1}
	f.Add(sh.encode())
	f.Add([]byte(snapMagic))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := parseSnapHeader(b)
		if err != nil {
			return
		}
		if got.memSize == 0 || got.memSize%wasmPag != 0 {
			t.Fatalf("accepted memory size %d", got.memSize)
		}
		if again, err := parseSnapHeader(got.encode()); err != nil || again != got {
			t.Fatalf("round trip: %+v %v", again, err)
		}
	})
}

func FuzzParseMemoryLimit(f *testing.F) {
	for _, s := range []string{"1-gb", "512-mb", "123", "", "1-xb", "18446744073709551615"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseMemoryLimit(s)
		if err == nil && n == 0 {
			t.Fatalf("%q: accepted zero", s)
		}
	})
}

func FuzzScatterPages(f *testing.F) {
	mem := make([]byte, 3*wasmPag)
	mem[wasmPag+5] = 7
	f.Add(sparsePages(mem, nil), uint8(3))
	f.Add([]byte{0xff}, uint8(2))
	f.Fuzz(func(t *testing.T, body []byte, pages uint8) {
		p := uint64(pages%8) + 1
		dst := make([]byte, p*wasmPag)
		if err := scatterPages(dst, body, p, initImage{}); err != nil {
			return
		}
		if got := sparsePages(dst, nil); len(got) > len(body) {
			t.Fatalf("re-encoding grew: %d > %d", len(got), len(body))
		}
	})
}
