package msgenv

import (
	"fmt"
	"strconv"
)

// Tag is one name/value pair; tag lists keep their data-item order.
type Tag struct {
	Name  string
	Value string
}

// Msg is a message exactly as the CU's messageSchema leaves it, the object
// whose JSON.stringify ao-loader hands to handle. Fields are written in the
// schema's key order: Id, Signature, Data, Owner, Target, Anchor, From,
// Forwarded-By, Tags, Epoch, Nonce, Timestamp, Block-Height, Hash-Chain,
// Cron, Read-Only. Optional fields that are unset are left out.
//
// Build one with a case constructor (Scheduled, ColdStart, Cron,
// Assignment, DryRun), which applies the CU's rules for From, Forwarded-By
// and tag filtering, rather than by hand.
type Msg struct {
	ID          OptString
	Signature   OptString
	Data        OptString
	Owner       string // required, non-empty
	Target      string // required (may be "" for an assignment without recipient)
	Anchor      OptString
	From        string // required, non-empty
	ForwardedBy OptString
	Tags        []Tag // already without From/Owner tags (see RemoveInvalidTags)
	Epoch       OptInt
	Nonce       OptInt
	Timestamp   int64 // milliseconds
	BlockHeight int64
	HashChain   OptString
	Cron        bool
	ReadOnly    bool
}

// maxSafe is 2^53: integers beyond it are not exact JavaScript numbers.
const maxSafe = 1 << 53

// JSON returns the bytes of JSON.stringify(msg) as the CU would produce
// them, or an error naming the field that the CU's schema would reject.
func (m *Msg) JSON() ([]byte, error) {
	if m.Owner == "" {
		return nil, fmt.Errorf("msgenv: msg Owner: empty (the CU's schema requires a non-empty string)")
	}
	if m.From == "" {
		return nil, fmt.Errorf("msgenv: msg From: empty (the CU's schema requires a non-empty string)")
	}
	size := 256 + len(m.ID.v) + len(m.Signature.v) + len(m.Data.v) + len(m.Owner) + len(m.Target) + len(m.Anchor.v) + len(m.From) + len(m.ForwardedBy.v) + len(m.HashChain.v)
	for _, t := range m.Tags {
		size += 32 + len(t.Name) + len(t.Value)
	}
	b := make([]byte, 0, size)
	b = append(b, '{')
	first := true
	key := func(k string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, '"', ':')
	}
	optStr := func(k string, o OptString) {
		switch o.kind {
		case null:
			key(k)
			b = append(b, "null"...)
		case present:
			key(k)
			b = AppendString(b, o.v)
		}
	}
	optStr("Id", m.ID)
	optStr("Signature", m.Signature)
	optStr("Data", m.Data)
	key("Owner")
	b = AppendString(b, m.Owner)
	key("Target")
	b = AppendString(b, m.Target)
	optStr("Anchor", m.Anchor)
	key("From")
	b = AppendString(b, m.From)
	optStr("Forwarded-By", m.ForwardedBy)
	key("Tags")
	b = AppendTags(b, m.Tags)
	if m.Epoch.set {
		key("Epoch")
		b = AppendNumber(b, m.Epoch.v)
	}
	if m.Nonce.set {
		key("Nonce")
		b = AppendNumber(b, m.Nonce.v)
	}
	key("Timestamp")
	b = AppendNumber(b, m.Timestamp)
	key("Block-Height")
	b = AppendNumber(b, m.BlockHeight)
	optStr("Hash-Chain", m.HashChain)
	key("Cron")
	b = strconv.AppendBool(b, m.Cron)
	key("Read-Only")
	b = strconv.AppendBool(b, m.ReadOnly)
	return append(b, '}'), nil
}

// AppendTags appends tags as the CU's rawTagSchema leaves them:
// [{"name":..,"value":..}, ...] in the given order.
func AppendTags(b []byte, tags []Tag) []byte {
	b = append(b, '[')
	for i, t := range tags {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = AppendString(b, t.Name)
		b = append(b, `,"value":`...)
		b = AppendString(b, t.Value)
		b = append(b, '}')
	}
	return append(b, ']')
}

// AppendNumber appends n as JavaScript writes the Number nearest to n:
// exact for |n| <= 2^53, and for larger values the double's shortest
// round-trip digits padded with zeros (what JSON.stringify prints for a
// number that parseInt rounded).
func AppendNumber(b []byte, n int64) []byte {
	if n >= -maxSafe && n <= maxSafe {
		return strconv.AppendInt(b, n, 10)
	}
	return strconv.AppendFloat(b, float64(n), 'f', -1, 64)
}

// RemoveInvalidTags drops the tags named From or Owner and keeps the rest
// in order, as the CU's evaluate step (removeInvalidTags) does for every
// message before handing it to the process.
func RemoveInvalidTags(tags []Tag) []Tag {
	out := make([]Tag, 0, len(tags))
	for _, t := range tags {
		if t.Name == "From" || t.Name == "Owner" {
			continue
		}
		out = append(out, t)
	}
	return out
}

// fromOf is the CU's mapFrom: the first From-Process tag's value when it is
// non-empty, else the owner.
func fromOf(tags []Tag, owner string) string {
	if t, ok := findTag(tags, "From-Process"); ok && t.Value != "" {
		return t.Value
	}
	return owner
}

// forwardedByOf is the CU's mapForwardedBy: the signer when a From-Process
// tag exists (even empty), else undefined.
func forwardedByOf(tags []Tag, owner string) OptString {
	if _, ok := findTag(tags, "From-Process"); ok {
		return Str(owner)
	}
	return OptString{}
}

func findTag(tags []Tag, name string) (Tag, bool) {
	for _, t := range tags {
		if t.Name == name {
			return t, true
		}
	}
	return Tag{}, false
}
