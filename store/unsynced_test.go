package store

import (
	"fmt"
	"os"
	"syscall"
	"testing"
)

// TestWriteUnsynced: an unsynced batch is visible at once, and a later
// Write makes it durable with its own batch: a process killed right after
// that Write (SIGKILL, no Close) leaves both on disk. Close alone also
// makes unsynced batches durable.
func TestWriteUnsynced(t *testing.T) {
	if dir := os.Getenv("AONODE_STORE_UNSYNCED_CHILD"); dir != "" {
		s, err := Open(dir, Options{})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		for i := 0; i < 50; i++ {
			var b Batch
			b.Set([]byte(fmt.Sprintf("derived/%02d", i)), []byte("result"))
			if err := s.WriteUnsynced(&b); err != nil {
				fmt.Println("error:", err)
				os.Exit(1)
			}
		}
		var b Batch
		b.Set([]byte("acknowledged"), []byte("yes"))
		if err := s.Write(&b); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("ready")
		select {}
	}
	dir := t.TempDir()
	cmd := startChild(t, "TestWriteUnsynced", "AONODE_STORE_UNSYNCED_CHILD", dir)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	s := openT(t, dir)
	n := 0
	s.Scan([]byte("derived/"), PrefixEnd([]byte("derived/")), func(k, v []byte) bool { n++; return true })
	if v, err := s.Get([]byte("acknowledged")); err != nil || string(v) != "yes" || n != 50 {
		t.Fatalf("after SIGKILL: acknowledged %q %v, %d of 50 unsynced batches", v, err, n)
	}

	var b Batch
	b.Set([]byte("late"), []byte("unsynced"))
	if err := s.WriteUnsynced(&b); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get([]byte("late")); err != nil || string(v) != "unsynced" {
		t.Fatalf("unsynced batch not visible: %q %v", v, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteUnsynced(&b); err != ErrClosed {
		t.Fatalf("WriteUnsynced after Close: %v", err)
	}
	s = openT(t, dir)
	defer s.Close()
	if v, err := s.Get([]byte("late")); err != nil || string(v) != "unsynced" {
		t.Fatalf("unsynced batch lost by Close: %q %v", v, err)
	}
}
