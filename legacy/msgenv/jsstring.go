package msgenv

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// AppendString appends s as JavaScript's JSON.stringify writes a string,
// quotes included. s holds UTF-8 bytes; bytes that are not valid UTF-8 are
// decoded the way Node's Buffer.toString and TextDecoder do (the WHATWG
// decoder: one U+FFFD per maximal subpart of an ill-formed sequence), since
// that is how such bytes become a JavaScript string in the CU.
//
// JSON.stringify escapes only '"', '\\' and the characters below U+0020
// (\b \t \n \f \r by name, the rest as \u00xx with lower-case hex); '<',
// '>', '&', U+007F, U+2028 and U+2029 are written as they are, unlike Go's
// encoding/json.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = appendEscapedASCII(dst, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError || size != 1 {
			i += size
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, "\uFFFD"...)
		i += maximalSubpart(s[i:])
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendUTF16 appends the JavaScript string made of the UTF-16 code units u
// as JSON.stringify writes it. Unlike AppendString it can express lone
// surrogates, which JSON.stringify (ES2019 and later) writes as \udxxx.
func AppendUTF16(dst []byte, u []uint16) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c < utf8.RuneSelf:
			if c >= 0x20 && c != '"' && c != '\\' {
				dst = append(dst, byte(c))
			} else {
				dst = appendEscapedASCII(dst, byte(c))
			}
		case utf16.IsSurrogate(rune(c)):
			if c < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
				dst = utf8.AppendRune(dst, utf16.DecodeRune(rune(c), rune(u[i+1])))
				i++
				continue
			}
			dst = append(dst, '\\', 'u', hexDigits[c>>12], hexDigits[c>>8&0xF], hexDigits[c>>4&0xF], hexDigits[c&0xF])
		default:
			dst = utf8.AppendRune(dst, rune(c))
		}
	}
	return append(dst, '"')
}

// appendEscapedASCII writes the JSON.stringify escape for '"', '\\' or a
// control character below U+0020.
func appendEscapedASCII(dst []byte, c byte) []byte {
	// The characters with a two-character escape, and the letter of each.
	if i := strings.IndexByte("\"\\\b\t\n\f\r", c); i >= 0 {
		return append(dst, '\\', "\"\\btnfr"[i])
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}

// maximalSubpart returns the length of the maximal subpart of the ill-formed
// UTF-8 sequence at the start of s (Unicode §3.9, as the WHATWG decoder
// applies it): the lead byte plus the continuation bytes that are still in
// the range its position allows. It is at least 1.
func maximalSubpart(s string) int {
	lo, hi, need := byte(0x80), byte(0xBF), 0
	switch c := s[0]; {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		lo, need = 0xA0, 2
	case c == 0xED:
		hi, need = 0x9F, 2
	case c >= 0xE1 && c <= 0xEF:
		need = 2
	case c == 0xF0:
		lo, need = 0x90, 3
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	case c == 0xF4:
		hi, need = 0x8F, 3
	default:
		return 1
	}
	n := 1
	for ; n <= need && n < len(s); n++ {
		if s[n] < lo || s[n] > hi {
			return n
		}
		lo, hi = 0x80, 0xBF
	}
	return n
}
