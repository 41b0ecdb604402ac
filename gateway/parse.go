package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// MaxHeight bounds a block height: the legacy SU writes Block-Height as a
// 12-digit zero-padded number, so no larger height can be recorded.
const MaxHeight = 999_999_999_999

// ParseHeight reads the height field of an Arweave /info or /block/current
// JSON answer. It accepts the height as a JSON number or as a decimal
// string, and rejects anything that is not a whole number in
// [0, MaxHeight], naming the reason.
func ParseHeight(body []byte) (uint64, error) {
	var doc struct {
		Height json.RawMessage `json:"height"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return 0, fmt.Errorf("answer is not a JSON object: %w", err)
	}
	raw := bytes.TrimSpace(doc.Height)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, errors.New("height: missing")
	}
	text := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &text); err != nil {
			return 0, fmt.Errorf("height: %w", err)
		}
	}
	h, err := strconv.ParseUint(text, 10, 64)
	if err != nil || h > MaxHeight {
		return 0, fmt.Errorf("height: %.40q is not a whole number between 0 and %d", text, uint64(MaxHeight))
	}
	return h, nil
}
