package node

import (
	"context"
	"errors"
	"strings"
	"testing"

	"aonode/ao/resolve"
	"aonode/internal/testitem"
	"aonode/scheduler"
	"aonode/wallet"
)

func TestLoadStoredItem(t *testing.T) {
	n, err := New(Options{DataDir: t.TempDir(), KeyType: wallet.Ed25519})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	k := testitem.Key(t, wallet.Ed25519)
	schedule := func(tags ...string) string {
		it := testitem.Item{Data: "d", Tags: tags, NoAnchor: true}.Signed(t, k)
		raw := testitem.Encode(t, it)
		if _, err := n.Scheduler.Schedule(it.ID(), scheduler.Message{ID: it.ID(), Raw: raw}); err != nil {
			t.Fatal(err)
		}
		return it.ID()
	}
	id := schedule("Type", "Process", "Device", "process@1.0")
	m, err := n.Load(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := m.GetString("device"); d != "process@1.0" {
		t.Fatalf("device key %q in %v", d, m)
	}
	if got, _ := MessageID(m); got != id {
		t.Fatalf("loaded message ID %s, want the item's %s", got, id)
	}
	// Tags the message model cannot hold: the commitment alone.
	odd := schedule("X", "1", "x", "2")
	m, err = n.Load(context.Background(), odd)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := MessageID(m); got != odd || m.Len() != 0 {
		t.Fatalf("fallback message %v ID %s, want empty with ID %s", m, got, odd)
	}
	_, err = n.Load(context.Background(), strings.Repeat("Q", 43))
	var re *resolve.Error
	if !errors.As(err, &re) || re.Status != 404 || !strings.Contains(re.Msg, "not stored") {
		t.Fatalf("unknown ID: %v", err)
	}
}
