package store

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

func TestLockSecondOpenFails(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	if err := s.SetOwner("http://127.0.0.1:8734"); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir, Options{})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second Open: %v, want ErrInUse", err)
	}
	if want := "store in use by the node at http://127.0.0.1:8734"; err.Error() != want {
		t.Fatalf("error = %q, want %q", err, want)
	}
	s.Close()
	s2, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	s2.Close()
}

// TestLockDiesWithProcess holds the lock in a child process, SIGKILLs it,
// and checks the directory opens at once afterwards.
func TestLockDiesWithProcess(t *testing.T) {
	if dir := os.Getenv("AONODE_STORE_LOCK_CHILD"); dir != "" {
		s, err := Open(dir, Options{})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		s.SetOwner("http://child")
		fmt.Println("ready")
		select {}
	}
	dir := t.TempDir()
	cmd := startChild(t, "TestLockDiesWithProcess", "AONODE_STORE_LOCK_CHILD", dir)
	if _, err := Open(dir, Options{}); err == nil || err.Error() != "store in use by the node at http://child" {
		t.Fatalf("Open while child holds lock: %v", err)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open after SIGKILL: %v", err)
	}
	s.Close()
}

// startChild runs test in a child copy of the test binary with env set to
// dir, and returns once the child printed "ready" (failing the test
// otherwise). The caller ends it with SIGKILL.
func startChild(t *testing.T, test, env, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$")
	cmd.Env = append(os.Environ(), env+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q", line)
	}
	return cmd
}
