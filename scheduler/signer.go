package scheduler

import (
	"crypto/rand"
	"fmt"
	"strconv"

	"aonode/codec/ans104"
	"aonode/wallet"
)

// Signer signs an assignment with the scheduler's identity: it sets a.ID
// (which the next slot's hash chain consumes) and a.Item (the encoded,
// signed assignment).
type Signer interface {
	SignAssignment(a *Assignment) error
	// Address is the scheduler identity's address.
	Address() string
}

// ANS104Signer signs assignments as ANS-104 data items with the legacy
// SU's Assignment tags: Process, Epoch, Nonce, Hash-Chain, Block-Height
// (12-digit zero-padded), Timestamp, Data-Protocol: ao, Type: Assignment,
// Variant and last, except for the process's own slot 0, Message. The target is
// empty, the anchor random and the data empty, as on the SU.
type ANS104Signer struct {
	Key *wallet.Key
}

// Address implements Signer.
func (s ANS104Signer) Address() string { return s.Key.Address() }

// SignAssignment implements Signer.
func (s ANS104Signer) SignAssignment(a *Assignment) error {
	item := &ans104.DataItem{Tags: AssignmentTags(a)}
	item.Anchor = make([]byte, 32)
	if _, err := rand.Read(item.Anchor); err != nil {
		return fmt.Errorf("scheduler: anchor: %w", err)
	}
	if err := item.Sign(s.Key); err != nil {
		return fmt.Errorf("scheduler: sign assignment: %w", err)
	}
	enc, err := item.Encode()
	if err != nil {
		return fmt.Errorf("scheduler: encode assignment: %w", err)
	}
	a.ID = item.ID()
	a.Item = enc
	return nil
}

// AssignmentTags are the ANS-104 tags of a's assignment item, in the
// legacy SU's order.
func AssignmentTags(a *Assignment) []ans104.Tag {
	tags := []ans104.Tag{
		{Name: "Process", Value: a.Process},
		{Name: "Epoch", Value: strconv.FormatUint(a.Epoch, 10)},
		{Name: "Nonce", Value: strconv.FormatUint(a.Slot, 10)},
		{Name: "Hash-Chain", Value: a.HashChain},
		{Name: "Block-Height", Value: fmt.Sprintf("%012d", a.BlockHeight)},
		{Name: "Timestamp", Value: strconv.FormatInt(a.Timestamp, 10)},
	}
	tags = append(tags,
		ans104.Tag{Name: "Data-Protocol", Value: "ao"},
		ans104.Tag{Name: "Type", Value: "Assignment"},
		ans104.Tag{Name: "Variant", Value: a.Variant},
	)
	if a.Slot != 0 {
		tags = append(tags, ans104.Tag{Name: "Message", Value: a.Message})
	}
	return tags
}
