package scheduler

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"aonode/store"
	"aonode/wallet"
)

// TestResumeAfterSIGKILL schedules in a child process, kills it with
// SIGKILL mid-stream, and checks that every acknowledged slot survived and
// that the chain continues from the last persisted slot.
func TestResumeAfterSIGKILL(t *testing.T) {
	if dir := os.Getenv("AONODE_SCHED_CRASH_DIR"); dir != "" {
		crashChild(dir)
		return
	}
	dir := t.TempDir()
	keyPath := filepath.Join(t.TempDir(), "key.json")
	key := edKey(t)
	if err := key.Save(keyPath); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestResumeAfterSIGKILL$")
	cmd.Env = append(os.Environ(), "AONODE_SCHED_CRASH_DIR="+dir, "AONODE_SCHED_CRASH_KEY="+keyPath)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	acked := -1
	for sc.Scan() && acked < 40 {
		slot, ok := strings.CutPrefix(sc.Text(), "acked ")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(slot)
		if err != nil {
			t.Fatalf("child said %q", sc.Text())
		}
		acked = n
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if acked < 40 {
		t.Fatalf("child acknowledged only up to slot %d", acked)
	}

	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v", err)
	}
	defer st.Close()
	s := newTestScheduler(t, st, key, nil)
	pid := testID("crash-process")
	cur, ok, err := s.Current(pid)
	if err != nil || !ok || int(cur) < acked {
		t.Fatalf("after SIGKILL current slot %d (ok=%v, %v), but slot %d was acknowledged", cur, ok, err, acked)
	}
	a, err := s.Schedule(pid, Message{ID: testID("after-crash")})
	if err != nil {
		t.Fatal(err)
	}
	if a.Slot != cur+1 {
		t.Fatalf("resumed at slot %d, want %d", a.Slot, cur+1)
	}
	verifySchedule(t, s, pid, int(cur)+2, key.Address())
}

// crashChild schedules forever, printing each acknowledged slot.
func crashChild(dir string) {
	key, err := wallet.Load(os.Getenv("AONODE_SCHED_CRASH_KEY"))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	s, err := New(st, ANS104Signer{Key: key}, Options{})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	pid := testID("crash-process")
	if _, err := s.Schedule(pid, Message{ID: pid}); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("acked 0")
	for i := 1; ; i++ {
		a, err := s.Schedule(pid, Message{ID: testID(fmt.Sprint("crash-msg-", i))})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("acked", a.Slot)
	}
}
