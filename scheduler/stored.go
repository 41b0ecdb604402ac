package scheduler

import (
	"errors"
	"fmt"
	"strings"

	"aonode/codec/ans104"
	"aonode/store"
)

// Errors returned by MessageItem.
var (
	// ErrNoMessage: the message's bytes are not stored on this node (it
	// was never scheduled here, or was scheduled without its bytes).
	ErrNoMessage = errors.New("scheduler: message not stored")
	// ErrBadMessage: the stored bytes are not an ANS-104 item.
	ErrBadMessage = errors.New("scheduler: stored message is not an ANS-104 item")
)

// MessageItem returns the ANS-104 item message id was scheduled with
// (Message.Raw, stored with its assignment), decoded, and its stored
// bytes. Every process and message this node scheduled is stored under
// its ID. An ID not stored is ErrNoMessage, stored bytes that are not an
// ANS-104 item ErrBadMessage; other errors are the store's. The bytes
// are the caller's. It reads the store once: the tip (see Tip) is found by
// process and slot, not by message ID.
func (s *Scheduler) MessageItem(id string) (*ans104.DataItem, []byte, error) {
	raw, err := s.st.Get(messageKey(id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, fmt.Errorf("%w: %s", ErrNoMessage, id)
	}
	if err != nil {
		return nil, nil, err
	}
	it, err := ans104.Decode(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %w", ErrBadMessage, id, err)
	}
	return it, raw, nil
}

// Processes returns the ID of every process with a schedule here, in
// byte order of the IDs. It skips from one process's keys to the next
// (one store seek per process), so it costs no more for long schedules.
func (s *Scheduler) Processes() ([]string, error) {
	prefix := procsPrefix()
	out := []string{}
	lower := prefix
	upper := store.PrefixEnd(prefix)
	for {
		var pid string
		err := s.st.Scan(lower, upper, func(k, _ []byte) bool {
			pid, _, _ = strings.Cut(string(k[len(prefix):]), "/")
			return false
		})
		if err != nil {
			return nil, err
		}
		if pid == "" {
			return out, nil
		}
		out = append(out, pid)
		lower = append(append(procsPrefix(), pid...), '0') // '0' sorts right after '/'
	}
}
