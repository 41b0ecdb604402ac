package device

import (
	"strings"
	"testing"

	"aonode/ao"
	"aonode/ao/resolve"
)

func TestRegisterBuiltins(t *testing.T) {
	r := resolve.NewRegistry()
	deps := Deps{ID: func(*ao.Message) (string, error) { return "", nil }, Info: ao.New, Operator: "op"}
	if err := Register(r, deps); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Names(), ","); got != "ans104@1.0,flat@1.0,httpsig@1.0,json@1.0,message@1.0,meta@1.0,structured@1.0" {
		t.Fatalf("registered %s", got)
	}
	if err := Register(r, deps); err == nil {
		t.Fatal("registering the built-ins twice succeeded")
	}
}
