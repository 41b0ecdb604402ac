package structured

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// ItemKind is the type of an RFC 8941 bare item.
type ItemKind uint8

// Bare item kinds.
const (
	SFInteger ItemKind = iota
	SFDecimal
	SFString
	SFToken
	SFBytes
	SFBool
)

// Item is an RFC 8941 bare item with its parameters.
type Item struct {
	Kind   ItemKind
	Int    int64
	Dec    float64
	Str    string // SFString and SFToken
	Bytes  []byte
	Bool   bool
	Params []Param
}

// Param is one `;key=value` parameter.
type Param struct {
	Key   string
	Value Item // parameters carry no parameters of their own
}

// Member is a dictionary or list member: an item or an inner list.
type Member struct {
	Key   string // dictionary key ("" for list members)
	Inner bool   // an inner list `( … )`
	Item  Item   // when !Inner
	List  []Item // when Inner
	// Params are the inner list's parameters (for an item they are in
	// Item.Params).
	Params []Param
}

// Limits that keep a hostile header from costing more than its length.
const (
	maxMembers = 1024
)

// ParseError names where and why a structured field failed to parse.
type ParseError struct {
	Field  string // caller-supplied field name (e.g. "ao-types")
	Offset int
	Reason string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("structured field %s: offset %d: %s", e.Field, e.Offset, e.Reason)
}

type parser struct {
	field     string
	s         string
	i         int
	mixedCase bool // keys may hold A-Z (HyperBEAM's ao-ids extension)
}

func (p *parser) fail(format string, args ...any) error {
	return &ParseError{Field: p.field, Offset: p.i, Reason: fmt.Sprintf(format, args...)}
}

func (p *parser) skipSP() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *parser) skipOWS() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// ParseDictionary parses an RFC 8941 dictionary. It is lenient in one way
// AO needs: keys may also start with a digit or '%', and may contain '%'
// (ao-types keys are percent-escaped, list keys are numbers). field names
// the header in errors.
func ParseDictionary(field, s string) ([]Member, error) {
	return parseDictionary(&parser{field: field, s: s})
}

// ParseDictionaryMixedCase is ParseDictionary that also accepts upper-case
// letters in keys: HyperBEAM's `ao-ids` header keys a dictionary by
// case-sensitive IDs, a non-standard extension.
func ParseDictionaryMixedCase(field, s string) ([]Member, error) {
	return parseDictionary(&parser{field: field, s: s, mixedCase: true})
}

func parseDictionary(p *parser) ([]Member, error) {
	var out []Member
	err := p.members(func() int { return len(out) }, func() (string, error) {
		key, err := p.key()
		if err != nil {
			return "", err
		}
		var m Member
		if p.i < len(p.s) && p.s[p.i] == '=' {
			p.i++
			if m, err = p.member(); err != nil {
				return "", err
			}
		} else {
			params, err := p.params()
			if err != nil {
				return "", err
			}
			m = Member{Item: Item{Kind: SFBool, Bool: true, Params: params}}
		}
		m.Key = key
		replaced := false
		for j := range out {
			if out[j].Key == key { // RFC 8941: the last value wins
				out[j] = m
				replaced = true
			}
		}
		if !replaced {
			out = append(out, m)
		}
		return key, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ParseList parses an RFC 8941 list.
func ParseList(field, s string) ([]Member, error) {
	p := &parser{field: field, s: s}
	var out []Member
	err := p.members(func() int { return len(out) }, func() (string, error) {
		m, err := p.member()
		if err != nil {
			return "", err
		}
		out = append(out, m)
		return "", nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// members parses the comma-separated members of a list or dictionary, the
// rest of the field: one parses a member and returns its key ("" in a
// list, for errors); held is how many members are kept so far, at most
// maxMembers.
func (p *parser) members(held func() int, one func() (key string, err error)) error {
	p.skipSP()
	if p.i == len(p.s) {
		return nil
	}
	for {
		if held() >= maxMembers {
			return p.fail("more than %d members", maxMembers)
		}
		key, err := one()
		if err != nil {
			return err
		}
		p.skipOWS()
		if p.i == len(p.s) {
			return nil
		}
		if p.s[p.i] != ',' {
			if key != "" {
				return p.fail("expected ',' after member %q", key)
			}
			return p.fail("expected ','")
		}
		p.i++
		p.skipOWS()
		if p.i == len(p.s) {
			return p.fail("trailing ','")
		}
	}
}

// ParseItem parses a single RFC 8941 item (with parameters).
func ParseItem(field, s string) (Item, error) {
	p := &parser{field: field, s: s}
	p.skipSP()
	it, err := p.item()
	if err != nil {
		return Item{}, err
	}
	p.skipSP()
	if p.i != len(p.s) {
		return Item{}, p.fail("unexpected trailing characters")
	}
	return it, nil
}

func (p *parser) member() (Member, error) {
	if p.i < len(p.s) && p.s[p.i] == '(' {
		p.i++
		var items []Item
		for {
			p.skipSP()
			if p.i >= len(p.s) {
				return Member{}, p.fail("unterminated inner list")
			}
			if p.s[p.i] == ')' {
				p.i++
				params, err := p.params()
				if err != nil {
					return Member{}, err
				}
				return Member{Inner: true, List: items, Params: params}, nil
			}
			if len(items) >= maxMembers {
				return Member{}, p.fail("more than %d inner-list items", maxMembers)
			}
			it, err := p.item()
			if err != nil {
				return Member{}, err
			}
			items = append(items, it)
			if p.i < len(p.s) && p.s[p.i] != ' ' && p.s[p.i] != ')' {
				return Member{}, p.fail("expected ' ' or ')' in inner list")
			}
		}
	}
	it, err := p.item()
	if err != nil {
		return Member{}, err
	}
	return Member{Item: it}, nil
}

func (p *parser) item() (Item, error) {
	it, err := p.bare()
	if err != nil {
		return Item{}, err
	}
	it.Params, err = p.params()
	return it, err
}

func (p *parser) params() ([]Param, error) {
	var out []Param
	for p.i < len(p.s) && p.s[p.i] == ';' {
		p.i++
		p.skipSP()
		if len(out) >= maxMembers {
			return nil, p.fail("more than %d parameters", maxMembers)
		}
		k, err := p.key()
		if err != nil {
			return nil, err
		}
		v := Item{Kind: SFBool, Bool: true}
		if p.i < len(p.s) && p.s[p.i] == '=' {
			p.i++
			if v, err = p.bare(); err != nil {
				return nil, err
			}
		}
		replaced := false
		for j := range out {
			if out[j].Key == k {
				out[j].Value = v
				replaced = true
			}
		}
		if !replaced {
			out = append(out, Param{Key: k, Value: v})
		}
	}
	return out, nil
}

func isKeyStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c == '*' || c >= '0' && c <= '9' || c == '%'
}

func isKeyChar(c byte) bool {
	return isKeyStart(c) || c == '_' || c == '-' || c == '.'
}

func (p *parser) key() (string, error) {
	start := p.i
	upper := func(c byte) bool { return p.mixedCase && c >= 'A' && c <= 'Z' }
	if p.i >= len(p.s) || !(isKeyStart(p.s[p.i]) || upper(p.s[p.i]) || p.mixedCase && p.s[p.i] == '_' || p.mixedCase && p.s[p.i] == '-') {
		if p.i < len(p.s) && p.s[p.i] == '.' { // ao-types ".=list" (a list message)
			p.i++
			return ".", nil
		}
		return "", p.fail("expected a key")
	}
	for p.i < len(p.s) && (isKeyChar(p.s[p.i]) || upper(p.s[p.i])) {
		p.i++
	}
	return p.s[start:p.i], nil
}

func isTChar(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~:/", c) >= 0
}

func (p *parser) bare() (Item, error) {
	if p.i >= len(p.s) {
		return Item{}, p.fail("expected an item, found end of input")
	}
	c := p.s[p.i]
	switch {
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == '"':
		return p.str()
	case c == ':':
		return p.bytes()
	case c == '?':
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '0' || p.s[p.i] == '1') {
			b := p.s[p.i] == '1'
			p.i++
			return Item{Kind: SFBool, Bool: b}, nil
		}
		return Item{}, p.fail("bad boolean")
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '*':
		start := p.i
		for p.i < len(p.s) && isTChar(p.s[p.i]) {
			p.i++
		}
		return Item{Kind: SFToken, Str: p.s[start:p.i]}, nil
	}
	return Item{}, p.fail("unexpected character %q", c)
}

func (p *parser) number() (Item, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	digits, dot := 0, -1
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c >= '0' && c <= '9' {
			digits++
		} else if c == '.' && dot < 0 {
			dot = digits
		} else {
			break
		}
		p.i++
		if dot < 0 && digits > 15 {
			return Item{}, p.fail("integer longer than 15 digits")
		}
		if dot >= 0 && (digits > 15 || dot > 12) {
			return Item{}, p.fail("decimal too long")
		}
	}
	text := p.s[start:p.i]
	if digits == 0 {
		return Item{}, p.fail("number without digits")
	}
	if dot < 0 {
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return Item{}, p.fail("bad integer %q", text)
		}
		return Item{Kind: SFInteger, Int: n}, nil
	}
	if dot == digits || digits-dot > 3 {
		return Item{}, p.fail("bad decimal %q", text)
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return Item{}, p.fail("bad decimal %q", text)
	}
	return Item{Kind: SFDecimal, Dec: f}, nil
}

func (p *parser) str() (Item, error) {
	p.i++ // opening quote
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '\\':
			if p.i >= len(p.s) {
				return Item{}, p.fail("string ends in an escape")
			}
			n := p.s[p.i]
			if n != '"' && n != '\\' {
				return Item{}, p.fail("bad escape \\%c in string", n)
			}
			b.WriteByte(n)
			p.i++
		case c == '"':
			return Item{Kind: SFString, Str: b.String()}, nil
		case c < 0x20 || c > 0x7e:
			return Item{}, p.fail("non-printable byte 0x%02x in string", c)
		default:
			b.WriteByte(c)
		}
	}
	return Item{}, p.fail("unterminated string")
}

func (p *parser) bytes() (Item, error) {
	p.i++
	end := strings.IndexByte(p.s[p.i:], ':')
	if end < 0 {
		return Item{}, p.fail("unterminated byte sequence")
	}
	raw := p.s[p.i : p.i+end]
	p.i += end + 1
	b, err := DecodeBase64Lenient(raw)
	if err != nil {
		return Item{}, p.fail("bad base64 in byte sequence: %v", err)
	}
	return Item{Kind: SFBytes, Bytes: b}, nil
}

// DecodeBase64Lenient decodes standard or URL-safe base64, padded or not.
// (aoconnect writes Content-Digest in base64url; RFC 8941 says standard.)
func DecodeBase64Lenient(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "-_") {
		if strings.ContainsAny(s, "+/") {
			return nil, fmt.Errorf("mixes base64 and base64url alphabets")
		}
		return base64.RawURLEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// SerializeItem renders a bare item and its parameters.
func SerializeItem(it Item) string {
	var b strings.Builder
	writeBare(&b, it)
	writeParams(&b, it.Params)
	return b.String()
}

// SerializeDictionary renders a dictionary.
func SerializeDictionary(ms []Member) string {
	return serializeMembers(ms, func(b *strings.Builder, m Member) {
		b.WriteString(m.Key)
		if !m.Inner && m.Item.Kind == SFBool && m.Item.Bool {
			writeParams(b, m.Item.Params)
			return
		}
		b.WriteByte('=')
		writeMember(b, m)
	})
}

// SerializeList renders a list.
func SerializeList(ms []Member) string { return serializeMembers(ms, writeMember) }

// serializeMembers renders ms with write, separated by ", ".
func serializeMembers(ms []Member, write func(b *strings.Builder, m Member)) string {
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteString(", ")
		}
		write(&b, m)
	}
	return b.String()
}

func writeMember(b *strings.Builder, m Member) {
	if !m.Inner {
		writeBare(b, m.Item)
		writeParams(b, m.Item.Params)
		return
	}
	b.WriteByte('(')
	for i, it := range m.List {
		if i > 0 {
			b.WriteByte(' ')
		}
		writeBare(b, it)
		writeParams(b, it.Params)
	}
	b.WriteByte(')')
	writeParams(b, m.Params)
}

func writeParams(b *strings.Builder, ps []Param) {
	for _, p := range ps {
		b.WriteByte(';')
		b.WriteString(p.Key)
		if p.Value.Kind == SFBool && p.Value.Bool {
			continue
		}
		b.WriteByte('=')
		writeBare(b, p.Value)
	}
}

func writeBare(b *strings.Builder, it Item) {
	switch it.Kind {
	case SFInteger:
		b.WriteString(strconv.FormatInt(it.Int, 10))
	case SFDecimal:
		s := strconv.FormatFloat(it.Dec, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		b.WriteString(s)
	case SFString:
		b.WriteString(QuoteString(it.Str))
	case SFToken:
		b.WriteString(it.Str)
	case SFBytes:
		b.WriteByte(':')
		b.WriteString(base64.StdEncoding.EncodeToString(it.Bytes))
		b.WriteByte(':')
	case SFBool:
		if it.Bool {
			b.WriteString("?1")
		} else {
			b.WriteString("?0")
		}
	}
}

// QuoteString renders s as an SF string, escaping '"' and '\'. Bytes
// outside printable ASCII are not representable; callers check with
// IsPrintableASCII first.
func QuoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// IsPrintableASCII reports whether s fits in an SF string.
func IsPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// String returns an item's text: the string or token, or the
// serialised form of other kinds.
func (it Item) String() string {
	if it.Kind == SFString || it.Kind == SFToken {
		return it.Str
	}
	var b strings.Builder
	writeBare(&b, it)
	return b.String()
}
