package msgenv

// presence says whether an optional field is left out, written as null, or
// written with its value. The zero value leaves the field out, as
// JSON.stringify drops undefined.
type presence uint8

const (
	absent presence = iota
	null
	present
)

// OptString is a string field of the CU's schema that may be undefined
// (left out of the JSON) or null (written as null). The zero value is
// undefined.
type OptString struct {
	v    string
	kind presence
}

// Str returns an OptString holding s.
func Str(s string) OptString { return OptString{v: s, kind: present} }

// Null returns an OptString that is written as JSON null.
func Null() OptString { return OptString{kind: null} }

// StrOrNull returns Null for a nil p and Str(*p) otherwise: the SU's
// Option<String> fields (anchor, data) come out this way.
func StrOrNull(p *string) OptString {
	if p == nil {
		return Null()
	}
	return Str(*p)
}

// IsSet reports whether the field is written at all (null or a value).
func (o OptString) IsSet() bool { return o.kind != absent }

// OptInt is a number field of the CU's schema that may be undefined (left
// out). The zero value is undefined.
type OptInt struct {
	v   int64
	set bool
}

// Int returns an OptInt holding n.
func Int(n int64) OptInt { return OptInt{v: n, set: true} }

// IsSet reports whether the field is written.
func (o OptInt) IsSet() bool { return o.set }

// Value returns the number and whether it is set.
func (o OptInt) Value() (int64, bool) { return o.v, o.set }
