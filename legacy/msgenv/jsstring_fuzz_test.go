package msgenv

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// refDecode is the WHATWG "UTF-8 decoder" algorithm written step by step
// from the Encoding Standard (bytes needed, bytes seen, lower and upper
// boundary, prepend on error): the reference that AppendString's
// maximal-subpart shortcut must agree with.
func refDecode(b []byte) []rune {
	var out []rune
	var cp rune
	needed, seen := 0, 0
	lower, upper := byte(0x80), byte(0xBF)
	for i := 0; i < len(b); i++ {
		c := b[i]
		if needed == 0 {
			switch {
			case c <= 0x7F:
				out = append(out, rune(c))
			case c >= 0xC2 && c <= 0xDF:
				needed, cp = 1, rune(c&0x1F)
			case c >= 0xE0 && c <= 0xEF:
				if c == 0xE0 {
					lower = 0xA0
				}
				if c == 0xED {
					upper = 0x9F
				}
				needed, cp = 2, rune(c&0xF)
			case c >= 0xF0 && c <= 0xF4:
				if c == 0xF0 {
					lower = 0x90
				}
				if c == 0xF4 {
					upper = 0x8F
				}
				needed, cp = 3, rune(c&0x7)
			default:
				out = append(out, 0xFFFD)
			}
			continue
		}
		if c < lower || c > upper {
			cp, needed, seen = 0, 0, 0
			lower, upper = 0x80, 0xBF
			out = append(out, 0xFFFD)
			i-- // prepend: process this byte again
			continue
		}
		lower, upper = 0x80, 0xBF
		cp = cp<<6 | rune(c&0x3F)
		seen++
		if seen == needed {
			out = append(out, cp)
			cp, needed, seen = 0, 0, 0
		}
	}
	if needed != 0 {
		out = append(out, 0xFFFD)
	}
	return out
}

// refStringify writes the decoded string under ECMA-262's QuoteJSONString:
// short escapes for \b \t \n \f \r " \\, \u00xx for other code units below
// U+0020, \uxxxx for lone surrogates, everything else as UTF-8.
func refStringify(units []uint16) string {
	var sb strings.Builder
	sb.WriteByte('"')
	short := map[uint16]string{'\b': `\b`, '\t': `\t`, '\n': `\n`, '\f': `\f`, '\r': `\r`, '"': `\"`, '\\': `\\`}
	for i := 0; i < len(units); i++ {
		u := units[i]
		if e, ok := short[u]; ok {
			sb.WriteString(e)
			continue
		}
		if u < 0x20 {
			fmt.Fprintf(&sb, `\u%04x`, u)
			continue
		}
		if u >= 0xD800 && u <= 0xDBFF && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF {
			sb.WriteRune(utf16.DecodeRune(rune(u), rune(units[i+1])))
			i++
			continue
		}
		if u >= 0xD800 && u <= 0xDFFF {
			fmt.Fprintf(&sb, `\u%04x`, u)
			continue
		}
		sb.WriteRune(rune(u))
	}
	sb.WriteByte('"')
	return sb.String()
}

func FuzzAppendString(f *testing.F) {
	for _, s := range awkwardStrings() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got := string(AppendString(nil, string(b)))
		want := refStringify(utf16.Encode(refDecode(b)))
		if got != want {
			t.Fatalf("AppendString(%q)\n got %s\nwant %s", b, got, want)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("output is not UTF-8: %q", got)
		}
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Fatalf("output is not JSON: %v: %s", err, got)
		}
	})
}

func FuzzAppendUTF16(f *testing.F) {
	for _, u := range awkwardUTF16() {
		b := make([]byte, 0, 2*len(u))
		for _, x := range u {
			b = append(b, byte(x>>8), byte(x))
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		if got, want := string(AppendUTF16(nil, u)), refStringify(u); got != want {
			t.Fatalf("AppendUTF16(%x)\n got %s\nwant %s", u, got, want)
		}
	})
}
