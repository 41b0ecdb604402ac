// Package teststore opens stores for tests.
package teststore

import (
	"testing"

	"aonode/store"
)

// Open opens the store in dir with default options; an error fails t.
// The caller closes it.
func Open(t testing.TB, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Temp is a store in a new temporary directory, closed when the test
// ends.
func Temp(t testing.TB) *store.Store {
	t.Helper()
	st := Open(t, t.TempDir())
	t.Cleanup(func() { st.Close() })
	return st
}
