package aoloader

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"aonode/legacy/msgenv"
)

// ID returns a deterministic 43-character base64url identifier derived from
// label, standing in for a transaction ID or a wallet address.
func ID(label string) string {
	h := sha256.Sum256([]byte(label))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// signature returns a deterministic 683-character base64url string, the
// length of an RSA-4096 signature (the CU does not verify it).
func signature(label string) string {
	var b bytes.Buffer
	for i := 0; b.Len() < 512; i++ {
		h := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", label, i)))
		b.Write(h[:])
	}
	return base64.RawURLEncoding.EncodeToString(b.Bytes()[:512])
}

// Seq builds the msg lines of one process, as the legacy CU would evaluate
// them, and its env. The first line is the process (spawn) message.
type Seq struct {
	ProcessID string
	Owner     string // the process owner's wallet address
	MU        string // the MU wallet that signs pushed messages (an Authority)
	Env       msgenv.Env

	lines     [][]byte
	nonce     int64
	timestamp int64
	height    int64
	err       error
}

// Options shape a process.
type Options struct {
	Label           string       // seeds every ID; different labels give different processes
	Format          string       // the module's Module-Format tag
	ExtraTags       []msgenv.Tag // added to the process tags after the standard ones
	ExtraModuleTags []msgenv.Tag // added to the module tags (env only) after the standard ones
}

// NewSeq starts the sequence of a new process with its spawn message
// (nonce 0, Id = the process ID, as the SU returns a post-AOP-6 process).
func NewSeq(o Options) *Seq {
	s := &Seq{
		ProcessID: ID(o.Label + "/process"),
		Owner:     ID(o.Label + "/owner"),
		MU:        ID(o.Label + "/mu"),
		timestamp: 1730000000000,
		height:    1500000,
	}
	module := ID(o.Label + "/module")
	ptags := []msgenv.Tag{
		{Name: "Data-Protocol", Value: "ao"}, {Name: "Variant", Value: "ao.TN.1"}, {Name: "Type", Value: "Process"},
		{Name: "Module", Value: module}, {Name: "Scheduler", Value: ID(o.Label + "/scheduler")},
		{Name: "Authority", Value: s.MU}, {Name: "Name", Value: "difftest"},
		{Name: "SDK", Value: "aoconnect"}, {Name: "Content-Type", Value: "text/plain"},
	}
	ptags = append(ptags, o.ExtraTags...)
	mtags := []msgenv.Tag{{Name: "Data-Protocol", Value: "ao"}, {Name: "Variant", Value: "ao.TN.1"}, {Name: "Type", Value: "Module"}}
	mtags = append(mtags,
		msgenv.Tag{Name: "Module-Format", Value: o.Format}, msgenv.Tag{Name: "Input-Encoding", Value: "JSON-V1"},
		msgenv.Tag{Name: "Output-Encoding", Value: "JSON-V1"}, msgenv.Tag{Name: "Memory-Limit", Value: "1-gb"},
		msgenv.Tag{Name: "Compute-Limit", Value: "9000000000000"})
	mtags = append(mtags, o.ExtraModuleTags...)
	s.Env = msgenv.Env{
		Process: msgenv.Entity{ID: s.ProcessID, Owner: s.Owner, Tags: ptags},
		Module:  msgenv.Entity{ID: module, Owner: ID(o.Label + "/module-owner"), Tags: mtags},
	}
	data := "NODATA"
	s.add(msgenv.Scheduled{
		ID: s.ProcessID, Signature: signature(s.ProcessID), Owner: s.Owner, Target: s.ProcessID,
		Tags: ptags, Data: &data, Epoch: 0, Nonce: 0, Timestamp: s.timestamp, Height: s.height,
		HashChain: msgenv.Str(ID(o.Label + "/hash-chain/0")),
	}.Msg())
	return s
}

// Err returns the first error met while building.
func (s *Seq) Err() error { return s.err }

// Len returns the number of messages so far.
func (s *Seq) Len() int { return len(s.lines) }

func (s *Seq) add(m msgenv.Msg) {
	b, err := m.JSON()
	if err != nil && s.err == nil {
		s.err = fmt.Errorf("message %d: %w", len(s.lines)+1, err)
	}
	s.lines = append(s.lines, b)
}

// next advances the schedule: one more nonce, 1 s later, a block every 10
// messages.
func (s *Seq) next() (nonce, ts, height int64) {
	s.nonce++
	s.timestamp += 1000 + s.nonce%7
	if s.nonce%10 == 0 {
		s.height++
	}
	return s.nonce, s.timestamp, s.height
}

// aoconnectTags appends the tags aoconnect's message() adds after the
// caller's.
func aoconnectTags(tags []msgenv.Tag) []msgenv.Tag {
	out := append([]msgenv.Tag(nil), tags...)
	return append(out, msgenv.Tag{Name: "Data-Protocol", Value: "ao"}, msgenv.Tag{Name: "Variant", Value: "ao.TN.1"},
		msgenv.Tag{Name: "Type", Value: "Message"}, msgenv.Tag{Name: "SDK", Value: "aoconnect"})
}

// Message adds a message signed by the process owner's wallet.
func (s *Seq) Message(tags []msgenv.Tag, data string) {
	s.MessageFrom(s.Owner, tags, data)
}

// MessageFrom adds a message signed by the wallet address from.
func (s *Seq) MessageFrom(from string, tags []msgenv.Tag, data string) {
	nonce, ts, h := s.next()
	id := ID(fmt.Sprintf("%s/msg/%d", s.ProcessID, nonce))
	s.add(msgenv.Scheduled{
		ID: id, Signature: signature(id), Owner: from, Target: s.ProcessID, Tags: aoconnectTags(tags),
		Data: &data, Epoch: 0, Nonce: nonce, Timestamp: ts, Height: h,
		HashChain: msgenv.Str(ID(fmt.Sprintf("%s/hash-chain/%d", s.ProcessID, nonce))),
	}.Msg())
}

// Eval adds an Action=Eval message from the owner carrying code.
func (s *Seq) Eval(code string) { s.Message([]msgenv.Tag{{Name: "Action", Value: "Eval"}}, code) }

// Pushed adds a message an MU pushed from process fromProcess: signed by
// the MU wallet, with the MU's From-Process, From-Module and Pushed-For tags.
func (s *Seq) Pushed(fromProcess string, tags []msgenv.Tag, data string) {
	nonce, ts, h := s.next()
	id := ID(fmt.Sprintf("%s/pushed/%d", s.ProcessID, nonce))
	all := append([]msgenv.Tag(nil), tags...)
	all = append(all, msgenv.Tag{Name: "Data-Protocol", Value: "ao"}, msgenv.Tag{Name: "Type", Value: "Message"},
		msgenv.Tag{Name: "Variant", Value: "ao.TN.1"}, msgenv.Tag{Name: "From-Process", Value: fromProcess},
		msgenv.Tag{Name: "From-Module", Value: s.Env.Module.ID}, msgenv.Tag{Name: "Pushed-For", Value: ID(id + "/for")})
	anchor := fmt.Sprintf("%032d", nonce)
	s.add(msgenv.Scheduled{
		ID: id, Signature: signature(id), Owner: s.MU, Target: s.ProcessID, Anchor: &anchor, Tags: all,
		Data: &data, Epoch: 0, Nonce: nonce, Timestamp: ts, Height: h,
		HashChain: msgenv.Str(ID(fmt.Sprintf("%s/hash-chain/%d", s.ProcessID, nonce))),
	}.Msg())
}

// Cron adds a cron message with the given tags at the next tick.
func (s *Seq) Cron(tags []msgenv.Tag) {
	_, ts, h := s.next()
	s.nonce-- // cron messages take no nonce
	s.add(msgenv.CronTick{ProcessID: s.ProcessID, ProcessOwner: s.Owner, Tags: tags, Timestamp: ts, Height: h}.Msg())
}

// Assignment adds an assignment of a transaction signed by from.
func (s *Seq) Assignment(from string, tags []msgenv.Tag, data string) {
	nonce, ts, h := s.next()
	id := ID(fmt.Sprintf("%s/assigned/%d", s.ProcessID, nonce))
	s.add(msgenv.Assigned{
		ID: id, Signature: signature(id), Owner: from, Recipient: s.ProcessID, Anchor: msgenv.Str(""),
		Tags: tags, Data: data, Epoch: 0, Nonce: nonce, Timestamp: ts, Height: h,
		HashChain: msgenv.Str(ID(fmt.Sprintf("%s/hash-chain/%d", s.ProcessID, nonce))),
	}.Msg())
}

// DryRun adds a read-only message as aoconnect's dryrun sends it.
func (s *Seq) DryRun(tags []msgenv.Tag, data string) {
	d := msgenv.DryRun{ID: msgenv.Str("1234"), Owner: "1234", Target: msgenv.Str(s.ProcessID), Data: msgenv.Str(data),
		Tags: aoconnectTags(tags), Anchor: msgenv.Str("0")}
	s.add(d.Msg(s.ProcessID, s.timestamp, s.height))
}

// JSONL returns the messages, one JSON line each, LF-terminated.
func (s *Seq) JSONL() []byte {
	return append(bytes.Join(s.lines, []byte("\n")), '\n')
}

// Lines returns the message lines (shared; do not modify).
func (s *Seq) Lines() [][]byte { return s.lines }

// EnvJSON returns the env bytes followed by one LF (the file form: the LF
// is not part of what handle sees).
func (s *Seq) EnvJSON() []byte { return append(s.Env.JSON(), '\n') }

// luaLongString quotes s as a Lua long bracket string that s cannot close.
func luaLongString(s string) string {
	eq := ""
	for strings.Contains(s, "]"+eq+"]") {
		eq += "="
	}
	return "[" + eq + "[" + s + "]" + eq + "]"
}
