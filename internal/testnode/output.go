package testnode

import (
	"encoding/json"
	"testing"
)

// Output is raw.Output.data of a process result's JSON answer (nil when
// it has none); a body that is not JSON fails t.
func Output(t testing.TB, body []byte) any {
	t.Helper()
	var r struct {
		Raw struct {
			Output struct {
				Data any `json:"data"`
			}
		} `json:"raw"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("result %s: %v", body, err)
	}
	return r.Raw.Output.Data
}
