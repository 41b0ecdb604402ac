package resolve

import "context"

// Body is the HTTP request's body as the server received it.
type Body struct {
	// Data is the body's bytes.
	Data []byte
	// ContentType is the request's Content-Type.
	ContentType string
	// Verified says the server decoded the body in the codec its
	// Content-Type names and checked its signature (for
	// application/ans104: a data item whose signature verifies). A
	// device that acts on who signed the body must require it.
	Verified bool
}

type bodyKey struct{}

// WithBody returns ctx carrying the request body. The body reaches
// devices through the context rather than as a key of the request
// message so that a read's hashpath does not depend on it: aoconnect
// posts a freshly signed item with every read (compute, slot), and those
// reads must still share their cached results.
func WithBody(ctx context.Context, b Body) context.Context {
	return context.WithValue(ctx, bodyKey{}, b)
}

// RequestBody returns the request body, if the request had one.
func RequestBody(ctx context.Context) (Body, bool) {
	b, ok := ctx.Value(bodyKey{}).(Body)
	return b, ok && len(b.Data) > 0
}
