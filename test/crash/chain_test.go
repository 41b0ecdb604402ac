package crash

import (
	"fmt"

	"aonode/codec/ans104"
	"aonode/scheduler"
)

// checkChain checks a schedule read back from the store: slots are
// contiguous from 0, slot 0 is the process, every later slot holds a
// message some client sent (sent) and no message holds two slots, the
// hash chain follows the legacy SU's rule (HC(0) = SHA-256(pid),
// HC(n+1) = SHA-256(assignment ID n ‖ HC(n))), and each assignment item
// is signed by signer, has the record's ID and carries its Hash-Chain.
func checkChain(pid string, as []*scheduler.Assignment, signer string, sent map[string]bool) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(pid+": "+format, args...)) }
	rawPID, err := scheduler.DecodeID(pid, "pid")
	if err != nil {
		return []error{err}
	}
	hc := scheduler.ChainStart(rawPID)
	seen := map[string]int{}
	for i, a := range as {
		if a.Slot != uint64(i) || a.Process != pid {
			bad("assignment %d is slot %d of %s", i, a.Slot, a.Process)
			return errs
		}
		if prev, dup := seen[a.Message]; dup {
			bad("message %s is at slot %d and again at %d", a.Message, prev, i)
		}
		seen[a.Message] = i
		if i == 0 && a.Message != pid {
			bad("slot 0 holds %s, want the process itself", a.Message)
		}
		if i > 0 && !sent[a.Message] {
			bad("slot %d holds %s, which no client sent", i, a.Message)
		}
		if a.HashChain != scheduler.EncodeID(hc) {
			bad("slot %d: hash chain %s, want %s", i, a.HashChain, scheduler.EncodeID(hc))
			return errs
		}
		it, err := ans104.Decode(a.Item)
		if err != nil {
			bad("slot %d: assignment item: %v", i, err)
			return errs
		}
		if err := it.Verify(); err != nil {
			bad("slot %d: assignment signature: %v", i, err)
		}
		if owner, _ := it.OwnerAddress(); owner != signer || it.ID() != a.ID {
			bad("slot %d: assignment %s signed by %s; the record says %s by %s", i, it.ID(), owner, a.ID, signer)
		}
		if v, _ := it.Tag("Hash-Chain"); v != a.HashChain {
			bad("slot %d: signed Hash-Chain tag %q, record %q", i, v, a.HashChain)
		}
		aid, err := scheduler.DecodeID(a.ID, "assignment id")
		if err != nil {
			bad("slot %d: %v", i, err)
			return errs
		}
		hc = scheduler.ChainNext(aid, hc)
	}
	return errs
}
