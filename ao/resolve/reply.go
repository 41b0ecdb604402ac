package resolve

import "net/http"

// Reply is a device's own HTTP rendering of a result for clients that
// ask for no signed form: the server writes it instead of encoding the
// value when the answer is unsigned (the default form and json@1.0).
// Devices use it where a client reads a shape the message model cannot
// carry, such as aoconnect's legacy result under "raw" (whose keys keep
// their case) or the new process ID in a "process" response header.
// Signed answers (httpsig@1.0, ans104@1.0) encode the value, unless the
// reply is Verbatim.
type Reply struct {
	// Status is the HTTP status; 0 means 200.
	Status int
	// Header holds extra response headers.
	Header http.Header
	// ContentType is the body's media type.
	ContentType string
	// Body is written byte for byte.
	Body []byte
	// Verbatim says the reply is the answer in every form, the signed
	// ones too: its bytes are the thing asked for rather than a rendering
	// of the value (a stored item's own bytes, a relayed HTTP response),
	// so no codec re-encodes or signs them.
	Verbatim bool
}

// SetReply gives the call's result an HTTP rendering (see Reply). It
// belongs to this step's result only: a later step's result has its own
// (or none), and a cached result keeps the reply it was cached with.
func (c *Call) SetReply(r *Reply) { c.reply = r }
