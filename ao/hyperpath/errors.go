package hyperpath

import "fmt"

// Error is a parse failure: the segment (or key) at fault and why.
type Error struct {
	Segment string
	Reason  string
}

func (e *Error) Error() string {
	seg := e.Segment
	if len(seg) > 80 {
		seg = seg[:77] + "..."
	}
	return fmt.Sprintf("hyperpath: segment %q: %s", seg, e.Reason)
}

func errorf(seg, format string, args ...any) *Error {
	return &Error{Segment: seg, Reason: fmt.Sprintf(format, args...)}
}
