package hyperpath

// splitDepth splits s on sep, except inside (...) and "...". It reports
// unbalanced parentheses or an unterminated quote.
func splitDepth(s string, sep byte) ([]string, error) {
	var parts []string
	depth, start, inQuote := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				return nil, errorf(s, "unbalanced ')'")
			}
			depth--
		case c == sep && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	if inQuote {
		return nil, errorf(s, "unterminated '\"'")
	}
	if depth != 0 {
		return nil, errorf(s, "unbalanced '('")
	}
	return append(parts, s[start:]), nil
}

// indexAnyDepth is the index of the first byte of s in set that is outside
// (...) and "...", or -1.
func indexAnyDepth(s, set string) int {
	depth, inQuote := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0:
			for j := 0; j < len(set); j++ {
				if set[j] == c {
					return i
				}
			}
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

// isID reports whether s is a 43-character base64url ID.
func isID(s string) bool {
	if len(s) != 43 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	// The last character carries 4 padding bits that must be zero.
	return true
}
