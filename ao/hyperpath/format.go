package hyperpath

import (
	"strconv"
	"strings"
)

// String renders r in a compact canonical form for logs and tests:
// steps joined by " | "; the implicit base is "{}", an ID "#<id>", a
// message its key; then "~device" and the keys in braces, e.g.
// `#<pid>~process@1.0 | compute{slot=int:5}`.
func (r *Request) String() string {
	var b strings.Builder
	for i, st := range r.Steps {
		if i > 0 {
			b.WriteString(" | ")
		}
		st.format(&b)
	}
	return b.String()
}

func (st Step) format(b *strings.Builder) {
	switch st.Kind {
	case StepID:
		b.WriteString("#" + st.ID)
	case StepSub:
		b.WriteString("(" + st.Sub.String() + ")")
	default:
		b.WriteString(st.Key)
	}
	if st.Device != "" {
		b.WriteString("~" + st.Device)
	}
	if st.Kind == StepMessage && (st.Key == "" && st.Device == "" || len(st.Params) > 0) {
		st.Params.format(b)
	}
}

func (ps Params) format(b *strings.Builder) {
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p.Key + "=")
		p.Value.format(b)
	}
	b.WriteByte('}')
}

func (v Value) format(b *strings.Builder) {
	switch v.Kind {
	case KindString:
		b.WriteString(strconv.Quote(v.Str))
	case KindInt:
		b.WriteString("int:" + strconv.FormatInt(v.Int, 10))
	case KindFloat:
		b.WriteString("float:" + strconv.FormatFloat(v.Float, 'g', -1, 64))
	case KindBool:
		b.WriteString("bool:" + strconv.FormatBool(v.Bool))
	case KindAtom:
		b.WriteString("atom:" + v.Str)
	case KindList:
		b.WriteByte('[')
		for i, x := range v.List {
			if i > 0 {
				b.WriteByte(',')
			}
			x.format(b)
		}
		b.WriteByte(']')
	case KindMap:
		b.WriteString("map:")
		v.Map.format(b)
	case KindResolve:
		b.WriteString("resolve:(" + v.Sub.String() + ")")
	}
}
