package resolve

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"aonode/ao"
)

// Call is one application of a key: the device resolves Key of Base with
// the request Req.
type Call struct {
	Key  string
	Base *ao.Message
	Req  *ao.Message
	// Resolver lets a device resolve further paths (sub-resolutions).
	Resolver *Resolver

	noCache bool
	reply   *Reply
}

// NoCache marks the call's result as not cacheable by hashpath: a device
// calls it when the result depends on more than Base and Req (the
// node's live configuration, the clock, a schedule that grows, the
// request body). Every later step of the same resolution is then
// uncached too, since its hashpath no longer names its input.
func (c *Call) NoCache() { c.noCache = true }

// Device resolves keys. Implementations must be safe for concurrent use.
type Device interface {
	Resolve(ctx context.Context, c *Call) (ao.Value, error)
}

// DeviceFunc adapts a function to Device.
type DeviceFunc func(ctx context.Context, c *Call) (ao.Value, error)

// Resolve implements Device.
func (f DeviceFunc) Resolve(ctx context.Context, c *Call) (ao.Value, error) { return f(ctx, c) }

// Error is a resolution failure with the HTTP status it maps to: the
// one error type of the engine and its HTTP edge. Devices return it
// (Errorf, NotFound) for failures a client can act on; the server
// answers its Status with its Msg, and any other error as a 500.
type Error struct {
	Status int
	Msg    string
	// err, when Errorf's format wrapped errors with %w, is fmt's error
	// holding them, so that errors.Is and errors.As see through an
	// *Error to a package's sentinel errors.
	err error
}

func (e *Error) Error() string { return e.Msg }

// Unwrap leads to the errors Errorf's format wrapped with %w (nil if none).
func (e *Error) Unwrap() error { return e.err }

// Errorf returns an *Error with status. As with fmt.Errorf, %w wraps an
// error (errors.Is and errors.As find it).
func Errorf(status int, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	e := &Error{Status: status, Msg: err.Error()}
	switch err.(type) {
	case interface{ Unwrap() error }, interface{ Unwrap() []error }:
		e.err = err
	}
	return e
}

// StatusOf is the HTTP status err maps to: the Status of the first
// *Error in its chain, else 500.
func StatusOf(err error) int {
	if re := (*Error)(nil); errors.As(err, &re) {
		return re.Status
	}
	return http.StatusInternalServerError
}

// NotFound is a 404 *Error.
func NotFound(format string, args ...any) error { return Errorf(http.StatusNotFound, format, args...) }

// Registry maps "name@version" (case-insensitive) to devices.
type Registry struct {
	devs map[string]Device
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{devs: map[string]Device{}} }

// Register adds d under name, which must look like "name@version" and
// must not be taken.
func (r *Registry) Register(name string, d Device) error {
	n := strings.ToLower(name)
	at := strings.IndexByte(n, '@')
	if at <= 0 || at == len(n)-1 || strings.ContainsAny(n, "/~&=() ") {
		return fmt.Errorf("resolve: device name %q: want name@version", name)
	}
	if _, dup := r.devs[n]; dup {
		return fmt.Errorf("resolve: device %q registered twice", name)
	}
	if d == nil {
		return fmt.Errorf("resolve: device %q is nil", name)
	}
	r.devs[n] = d
	return nil
}

// Lookup returns the device registered under name.
func (r *Registry) Lookup(name string) (Device, bool) {
	d, ok := r.devs[strings.ToLower(name)]
	return d, ok
}

// Names lists the registered devices, sorted.
func (r *Registry) Names() []string {
	out := make([]string, 0, len(r.devs))
	for n := range r.devs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
