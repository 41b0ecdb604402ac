package msgenv

// Scheduled is one entry of the SU's schedule: a data item and the
// assignment that ordered it. It covers the process message of a post-AOP-6
// process (the nonce-0 entry, ID = the process ID), a wallet's message, and
// a message pushed by another process through an MU (From-Process tag).
type Scheduled struct {
	ID        string
	Signature string    // base64url of the raw signature
	Owner     string    // the signer's address (EIP-55 for Ethereum keys)
	Target    string    // the assignment's Process tag: the process being evaluated
	Anchor    *string   // nil when the data item has none or it is not UTF-8 (written as null)
	Tags      []Tag     // the data item's tags, in order
	Data      *string   // the data as UTF-8 text; nil when not valid UTF-8 (written as null)
	Epoch     int64     // assignment Epoch tag
	Nonce     int64     // assignment Nonce tag
	Timestamp int64     // assignment Timestamp tag, ms
	Height    int64     // assignment Block-Height tag, its zero padding parsed away
	HashChain OptString // assignment Hash-Chain tag; unset when the assignment has none
}

// Msg returns the message the CU evaluates for s (servers/cu in
// github.com/permaweb/ao: effects/ao-su.js mapNode, then
// domain/lib/evaluate.js removeInvalidTags): From is the From-Process tag's
// value when there is one (and Forwarded-By the signer), tags named From or
// Owner are removed, Cron and
// Read-Only are false.
func (s Scheduled) Msg() Msg {
	return Msg{
		ID:          Str(s.ID),
		Signature:   Str(s.Signature),
		Data:        StrOrNull(s.Data),
		Owner:       s.Owner,
		Target:      s.Target,
		Anchor:      StrOrNull(s.Anchor),
		From:        fromOf(s.Tags, s.Owner),
		ForwardedBy: forwardedByOf(s.Tags, s.Owner),
		Tags:        RemoveInvalidTags(s.Tags),
		Epoch:       Int(s.Epoch),
		Nonce:       Int(s.Nonce),
		Timestamp:   s.Timestamp,
		BlockHeight: s.Height,
		HashChain:   s.HashChain,
	}
}

// ColdStart is the process message the CU injects before the schedule of a
// pre-AOP-6 process (whose schedule does not start with its own Type=Process
// entry), built from the process's metadata (maybePrependProcessMessage).
type ColdStart struct {
	ID        string
	Signature OptString // as the SU's /processes/<id> reports it
	Owner     string    // the process signer's address
	Anchor    OptString // unset when the SU reports none, Null when it reports null
	Tags      []Tag     // the process's tags
	Data      string    // the process's data from the gateway, as text
	Timestamp int64     // the process's block timestamp, ms
	Height    int64     // the process's block height
}

// Msg returns the injected process message: no Epoch, Nonce, Hash-Chain or
// Forwarded-By; Target is the process itself.
func (c ColdStart) Msg() Msg {
	return Msg{
		ID:          Str(c.ID),
		Signature:   c.Signature,
		Data:        Str(c.Data),
		Owner:       c.Owner,
		Target:      c.ID,
		Anchor:      c.Anchor,
		From:        fromOf(c.Tags, c.Owner),
		Tags:        RemoveInvalidTags(c.Tags),
		Timestamp:   c.Timestamp,
		BlockHeight: c.Height,
	}
}

// CronTick is one cron message the CU generates between scheduled messages
// (cronMessagesBetweenWith).
type CronTick struct {
	ProcessID    string
	ProcessOwner string
	Tags         []Tag // the Cron-Tag-<X> process tags with the prefix stripped, in order
	Timestamp    int64 // the tick, ms
	Height       int64 // the current block height
}

// Msg returns the cron message: Owner and From are the process owner,
// Cron is true, and there is no Id, Signature, Data, Anchor, Epoch, Nonce
// or Hash-Chain.
func (c CronTick) Msg() Msg {
	return Msg{
		Owner:       c.ProcessOwner,
		Target:      c.ProcessID,
		From:        c.ProcessOwner,
		Tags:        RemoveInvalidTags(c.Tags),
		Timestamp:   c.Timestamp,
		BlockHeight: c.Height,
		Cron:        true,
	}
}

// Assigned is an assignment of an existing Arweave transaction or data item
// to the process (an SU entry whose message is null), after the CU loaded
// the transaction from the gateway (maybeAoAssignment).
type Assigned struct {
	ID          string    // the assigned transaction (the assignment's Message tag)
	Signature   string    // from the gateway's metadata
	Owner       string    // the assigned transaction's signer address
	Recipient   string    // its target; "" when it has none
	Anchor      OptString // the gateway's anchor value ("" for none)
	Tags        []Tag     // its tags
	Data        string    // its data as text (res.text())
	ExcludeData bool      // the assignment's Exclude list names Data: Data is left out
	Epoch       int64
	Nonce       int64
	Timestamp   int64
	Height      int64
	HashChain   OptString
}

// Msg returns the assignment as evaluated: Target is the transaction's
// recipient (not the process), no Forwarded-By, the Message key stripped.
func (a Assigned) Msg() Msg {
	m := Msg{
		ID:          Str(a.ID),
		Signature:   Str(a.Signature),
		Data:        Str(a.Data),
		Owner:       a.Owner,
		Target:      a.Recipient,
		Anchor:      a.Anchor,
		From:        fromOf(a.Tags, a.Owner),
		Tags:        RemoveInvalidTags(a.Tags),
		Epoch:       Int(a.Epoch),
		Nonce:       Int(a.Nonce),
		Timestamp:   a.Timestamp,
		BlockHeight: a.Height,
		HashChain:   a.HashChain,
	}
	if a.ExcludeData {
		m.Data = OptString{}
	}
	return m
}

// DryRun is the body of a dry-run request (POST /dry-run?process-id=) with
// the keys the client sent; unset fields were not in the body.
type DryRun struct {
	ID        OptString
	Signature OptString
	Data      OptString
	Owner     string
	Target    OptString // overrides the process ID when sent
	Anchor    OptString
	Tags      []Tag
	Timestamp OptInt // defaults to the last evaluated message's
	Height    OptInt // defaults to the last evaluated message's
}

// Msg returns the dry-run message for process processID whose last
// evaluated message had lastTimestamp and lastHeight: Read-Only true, no
// Epoch, Nonce or Hash-Chain, From from the body's tags and Owner.
func (d DryRun) Msg(processID string, lastTimestamp, lastHeight int64) Msg {
	m := Msg{
		ID:          d.ID,
		Signature:   d.Signature,
		Data:        d.Data,
		Owner:       d.Owner,
		Target:      processID,
		Anchor:      d.Anchor,
		From:        fromOf(d.Tags, d.Owner),
		Tags:        RemoveInvalidTags(d.Tags),
		Timestamp:   lastTimestamp,
		BlockHeight: lastHeight,
		ReadOnly:    true,
	}
	if d.Target.kind == present {
		m.Target = d.Target.v
	}
	if v, ok := d.Timestamp.Value(); ok {
		m.Timestamp = v
	}
	if v, ok := d.Height.Value(); ok {
		m.BlockHeight = v
	}
	return m
}
