package scheduler

import (
	"encoding/json"
	"fmt"
)

// Variants of AO processes.
const (
	VariantLegacy  = "ao.TN.1" // legacynet, legacy SU/CU
	VariantMainnet = "ao.N.1"  // mainnet / HyperBEAM
)

// Assignment is one slot of a process's schedule.
type Assignment struct {
	// Process is the process ID (43-char base64url).
	Process string `json:"process"`
	// Slot is the slot number (the legacy SU's "Nonce"); 0 is the process.
	Slot uint64 `json:"slot"`
	// Epoch is always 0, as on the legacy SU.
	Epoch uint64 `json:"epoch"`
	// Message is the ID of the assigned message (the process ID at slot 0).
	Message string `json:"message"`
	// Timestamp is the scheduler's clock in Unix ms; it never decreases
	// along one schedule.
	Timestamp int64 `json:"timestamp"`
	// BlockHeight is the block height recorded with Timestamp; it never
	// decreases along one schedule either.
	BlockHeight uint64 `json:"block-height"`
	// HashChain is this slot's link (see the package doc), base64url.
	HashChain string `json:"hash-chain"`
	// Variant is the process's variant (ao.TN.1 or ao.N.1).
	Variant string `json:"variant"`
	// ID is the assignment's ID, set by the Signer (base64url, 43 chars).
	ID string `json:"id"`
	// Item is the signed assignment as encoded by the Signer (for the
	// ANS-104 signer, a binary data item).
	Item []byte `json:"item,omitempty"`
}

func encodeRecord(a *Assignment) ([]byte, error) { return json.Marshal(a) }

// decodeRecord parses a stored assignment and checks the fields the chain
// depends on, so a damaged record is reported rather than extended.
func decodeRecord(b []byte) (*Assignment, error) {
	var a Assignment
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("scheduler: stored assignment: %w", err)
	}
	if _, err := DecodeID(a.ID, "stored assignment id"); err != nil {
		return nil, fmt.Errorf("scheduler: slot %d: %w", a.Slot, err)
	}
	if _, err := DecodeID(a.HashChain, "stored assignment hash-chain"); err != nil {
		return nil, fmt.Errorf("scheduler: slot %d: %w", a.Slot, err)
	}
	return &a, nil
}
