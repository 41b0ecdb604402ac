package resolve

import (
	"context"

	"aonode/ao"
)

type signedKey struct{}

// WithSigned returns ctx carrying the request's verified message: its
// committed keys and the commitments whose signatures the front end
// checked. Devices read it with Signed to authorise operations.
func WithSigned(ctx context.Context, m *ao.Message) context.Context {
	return context.WithValue(ctx, signedKey{}, m)
}

// Signed returns the verified request message, or nil for an unsigned
// request.
func Signed(ctx context.Context) *ao.Message {
	m, _ := ctx.Value(signedKey{}).(*ao.Message)
	return m
}

// SignedBy reports whether the request carries a verified signature by
// the given address.
func SignedBy(ctx context.Context, address string) bool {
	m := Signed(ctx)
	if m == nil || address == "" {
		return false
	}
	for _, c := range m.Commitments() {
		if c.Committer == address {
			return true
		}
	}
	return false
}
