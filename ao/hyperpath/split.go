package hyperpath

import (
	"strings"
)

// depthScan follows the nesting of (...) and "..." through a string.
type depthScan struct {
	depth   int
	inQuote bool
}

// step moves the scan over c and reports whether c is at the top level:
// outside quotes and parentheses and not itself one of them.
func (d *depthScan) step(c byte) (top bool) {
	switch {
	case c == '"':
		d.inQuote = !d.inQuote
	case d.inQuote:
	case c == '(':
		d.depth++
	case c == ')':
		d.depth--
	default:
		return d.depth == 0
	}
	return false
}

// splitDepth splits s on sep, except inside (...) and "...". It reports
// unbalanced parentheses or an unterminated quote.
func splitDepth(s string, sep byte) ([]string, error) {
	var parts []string
	var d depthScan
	start := 0
	for i := 0; i < len(s); i++ {
		top := d.step(s[i])
		if d.depth < 0 {
			return nil, errorf(s, "unbalanced ')'")
		}
		if top && s[i] == sep {
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	if d.inQuote {
		return nil, errorf(s, "unterminated '\"'")
	}
	if d.depth != 0 {
		return nil, errorf(s, "unbalanced '('")
	}
	return append(parts, s[start:]), nil
}

// indexAnyDepth is the index of the first byte of s in set that is outside
// (...) and "...", or -1.
func indexAnyDepth(s, set string) int {
	var d depthScan
	for i := 0; i < len(s); i++ {
		if d.step(s[i]) && strings.IndexByte(set, s[i]) >= 0 {
			return i
		}
	}
	return -1
}

// unquote removes one pair of surrounding double quotes.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// isSub reports whether s is a "(...)" sub-path.
func isSub(s string) bool { return len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' }

// IsID reports whether s is what a HyperPATH takes for a message ID: 43
// base64url characters. It checks the form only: ao.IsID also refuses
// an ID whose last character is not canonical (its 4 padding bits set),
// which a path still names as an ID (the devices' path rules and tests
// use such IDs, e.g. 43 "P"s).
func IsID(s string) bool { return len(s) == 43 && IsToken(s) }

// IsToken reports whether s is non-empty and only base64url characters
// ([A-Za-z0-9_-]), so it stands in a path as it is.
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
