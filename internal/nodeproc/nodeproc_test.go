package nodeproc

import "testing"

func TestServingLine(t *testing.T) {
	m := servingLine.FindStringSubmatch("aonode dev serving abc_DEF at http://127.0.0.1:4321 (data /tmp/x)")
	if m == nil || m[1] != "abc_DEF" || m[2] != "http://127.0.0.1:4321" {
		t.Fatalf("serving line parsed as %q", m)
	}
}
