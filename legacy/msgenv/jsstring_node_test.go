package msgenv

import (
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"aonode/internal/nodejs"
)

// awkwardStrings are byte strings chosen to exercise every escaping and
// decoding rule: controls, quotes, HTML characters, line separators, every
// UTF-8 length, and ill-formed sequences (truncated, overlong, surrogates
// encoded as UTF-8, out of range, stray continuation bytes).
func awkwardStrings() []string {
	s := []string{
		"", "plain", `"quoted" \back\slash/`, "<script>&amp;</script>",
		"\x00\x01\x07\b\t\n\v\f\r\x0e\x1b\x1f\x7f", "line\u2028sep\u2029para",
		"héllo wörld", "日本語テキスト", "emoji 😀🎉 and 𝄞", "\uFEFFbom", "\uFFFD\uFFFF\U0010FFFF",
		"\x80", "\xbf\xbf", "\xc0\x80", "\xc1\xbf", "\xc2", "\xc2A", "\xe0\x80\x80", "\xe0\xa0", "\xe0\xa0A",
		"\xe2\x82", "\xe2\x82\x41", "\xed\xa0\x80", "\xed\xbf\xbf", "\xed\x9f\xbf", "\xf0\x80\x80\x80", "\xf0\x90\x80",
		"\xf4\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\xf5\x80\x80\x80", "\xff\xfe", "a\xffb\xc3(c", "\xf1\x80\x80\xe1\x80\xc2",
	}
	// Binary-looking data: every byte value, and random bytes.
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	s = append(s, string(all))
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		b := make([]byte, r.IntN(64))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		s = append(s, string(b))
	}
	return s
}

// awkwardUTF16 are JavaScript strings with lone and paired surrogates, as a
// dry-run body's "\ud800" escapes can produce them.
func awkwardUTF16() [][]uint16 {
	return [][]uint16{
		{0xD800}, {0xDC00}, {0xDBFF, 0xDFFF}, {0xD83D, 0xDE00}, {0xDC00, 0xD800}, {'a', 0xD800, 'b'},
		{0xD800, 0xD800, 0xDC00}, {0x2028, 0x2029, '<', '>', '&'}, {0, 0x1F, '"', '\\', 0x7F, 0xFFFF},
	}
}

func runNodeStringify(t *testing.T, reqs []string) []string {
	t.Helper()
	out, err := nodejs.Run{Args: []string{"testdata/stringify.mjs"}, Stdin: strings.NewReader(strings.Join(reqs, "\n") + "\n")}.Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(reqs) {
		t.Fatalf("node gave %d lines for %d requests", len(lines), len(reqs))
	}
	return lines
}

// TestEscaperMatchesNode compares AppendString, AppendUTF16 and
// AppendNumber with Node's JSON.stringify on awkward inputs.
func TestEscaperMatchesNode(t *testing.T) {
	strs := awkwardStrings()
	u16s := awkwardUTF16()
	ints := []int64{0, -1, 1730000000000, 1 << 53, 1<<53 + 1, 1 << 60, -(1 << 62), 9223372036854775807, 123456789012345678}
	var reqs []string
	for _, s := range strs {
		reqs = append(reqs, `{"hex":"`+hex.EncodeToString([]byte(s))+`"}`)
	}
	for _, u := range u16s {
		b, _ := json.Marshal(u)
		reqs = append(reqs, `{"u16":`+string(b)+`}`)
	}
	for _, n := range ints {
		reqs = append(reqs, `{"int":"`+strconv.FormatInt(n, 10)+`"}`)
	}
	want := runNodeStringify(t, reqs)
	i := 0
	for _, s := range strs {
		if got := string(AppendString(nil, s)); got != want[i] {
			t.Errorf("AppendString(%q)\n got %s\nwant %s", s, got, want[i])
		}
		i++
	}
	for _, u := range u16s {
		if got := string(AppendUTF16(nil, u)); got != want[i] {
			t.Errorf("AppendUTF16(%x)\n got %s\nwant %s", u, got, want[i])
		}
		i++
	}
	for _, n := range ints {
		if got := string(AppendNumber(nil, n)); got != want[i] {
			t.Errorf("AppendNumber(%d) = %s, want %s", n, got, want[i])
		}
		i++
	}
}
