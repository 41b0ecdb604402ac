package resolve

import (
	"context"

	"aonode/ao"
	"aonode/ao/hyperpath"
)

// message builds a step's message from its parsed keys, resolving any
// sub-path values ("k=(/a/b)" or "k+resolve=/a/b") first, as HyperBEAM
// normalises {resolve, ...} values before a device sees them.
func (r *Resolver) message(ctx context.Context, ps hyperpath.Params, st *state) (*ao.Message, error) {
	m := ao.New()
	for _, p := range ps {
		v, err := r.value(ctx, p.Value, st)
		if err != nil {
			return nil, err
		}
		m.Set(p.Key, v)
	}
	return m, nil
}

// value converts a parsed HyperPATH value to a message value.
func (r *Resolver) value(ctx context.Context, v hyperpath.Value, st *state) (ao.Value, error) {
	switch v.Kind {
	case hyperpath.KindInt:
		return ao.Int(v.Int), nil
	case hyperpath.KindFloat:
		return ao.Float(v.Float), nil
	case hyperpath.KindBool:
		return ao.Bool(v.Bool), nil
	case hyperpath.KindAtom:
		return ao.Atom(v.Str), nil
	case hyperpath.KindList:
		items := make([]ao.Value, len(v.List))
		for i, x := range v.List {
			var err error
			if items[i], err = r.value(ctx, x, st); err != nil {
				return ao.Value{}, err
			}
		}
		return ao.List(items...), nil
	case hyperpath.KindMap:
		m, err := r.message(ctx, v.Map, st)
		if err != nil {
			return ao.Value{}, err
		}
		return ao.Msg(m), nil
	case hyperpath.KindResolve:
		res, err := r.resolve(ctx, v.Sub, st)
		if err != nil {
			return ao.Value{}, err
		}
		return res.Value, nil
	}
	return ao.String(v.Str), nil
}
