// Package modules is the node's module store: WASM modules imported by the
// operator (or the stock aos modules), each kept as a content-addressed
// blob plus a record with the module's ID, Module-Format, owner and tags.
//
// The record is what a process's env.Module is built from (legacy CU
// semantics): Module.Id is the ID, Module.Owner the owner and Module.Tags
// the tags exactly as recorded, in order. Nothing is implied by the format:
// a module whose tags do not carry Module-Format has none in env.
package modules

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"aonode/store"
	"aonode/wasm"
)

// ErrNotFound is returned for a module ID the store does not hold.
var ErrNotFound = errors.New("modules: module not found")

// Tag is one name/value pair of a module's tags.
type Tag struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Module is one imported module's record.
type Module struct {
	// ID is the module's ID: its Arweave transaction ID for a published
	// module, or the base64url SHA-256 of the bytes by default.
	ID string `json:"id"`
	// Format is the Module-Format the node runs it with.
	Format string `json:"format"`
	// Owner is the address of the module's signer (env.Module.Owner).
	Owner string `json:"owner"`
	// Tags are env.Module.Tags, in order.
	Tags []Tag `json:"tags"`
	// SHA256 is the hex SHA-256 of the WASM bytes (the blob's name).
	SHA256 string `json:"sha256"`
	// Size is the WASM size in bytes.
	Size int64 `json:"size"`
}

// Tag returns the value of the first tag named name (case-insensitive).
func (m *Module) Tag(name string) (string, bool) {
	for _, t := range m.Tags {
		if strings.EqualFold(t.Name, name) {
			return t.Value, true
		}
	}
	return "", false
}

// Store keeps module records in a node store. It is safe for concurrent
// use (the underlying store is).
type Store struct {
	st *store.Store
}

// New returns the module store over st.
func New(st *store.Store) *Store { return &Store{st: st} }

func recordKey(id string) []byte { return []byte("mod/r/" + id) }

// DefaultID is the ID a module gets when none is given: the base64url
// (no padding) SHA-256 of its bytes.
func DefaultID(wasmBytes []byte) string {
	h := sha256.Sum256(wasmBytes)
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// CheckID reports whether id is a 43-character base64url ID.
func CheckID(id, field string) error {
	if len(id) != 43 {
		return fmt.Errorf("%s %q: want 43 base64url characters, got %d", field, id, len(id))
	}
	if _, err := base64.RawURLEncoding.DecodeString(id); err != nil {
		return fmt.Errorf("%s %q: not base64url", field, id)
	}
	return nil
}

// Add imports wasmBytes under m (ID, Format, Owner, Tags; SHA256 and Size
// are filled in). An empty m.ID means DefaultID. Adding the same bytes
// under the same ID again with the same record is a no-op; a different
// module under a taken ID is refused.
func (s *Store) Add(wasmBytes []byte, m Module) (Module, error) {
	if m.ID == "" {
		m.ID = DefaultID(wasmBytes)
	}
	if err := CheckID(m.ID, "module id"); err != nil {
		return Module{}, fmt.Errorf("modules: %w", err)
	}
	if _, err := wasm.ParseFormat(m.Format); err != nil {
		return Module{}, fmt.Errorf("modules: format: %w", err)
	}
	if m.Owner == "" {
		return Module{}, errors.New("modules: owner: empty (the module's signer address is env.Module.Owner)")
	}
	if len(wasmBytes) < 8 || string(wasmBytes[:4]) != "\x00asm" {
		return Module{}, errors.New("modules: wasm: not a WebAssembly binary (no \\0asm magic)")
	}
	for i, t := range m.Tags {
		if t.Name == "" {
			return Module{}, fmt.Errorf("modules: tag %d: empty name", i)
		}
	}
	sum := sha256.Sum256(wasmBytes)
	m.SHA256, m.Size = hex.EncodeToString(sum[:]), int64(len(wasmBytes))
	if m.Tags == nil {
		m.Tags = []Tag{}
	}
	rec, err := json.Marshal(m)
	if err != nil {
		return Module{}, err
	}
	if old, err := s.st.Get(recordKey(m.ID)); err == nil {
		if string(old) == string(rec) {
			return m, nil
		}
		return Module{}, fmt.Errorf("modules: id %s is already taken by a different module record", m.ID)
	} else if !errors.Is(err, store.ErrNotFound) {
		return Module{}, err
	}
	if _, err := s.st.PutBlobBytes(wasmBytes); err != nil {
		return Module{}, fmt.Errorf("modules: store wasm blob: %w", err)
	}
	var b store.Batch
	b.Set(recordKey(m.ID), rec)
	if err := s.st.Write(&b); err != nil {
		return Module{}, fmt.Errorf("modules: store record: %w", err)
	}
	return m, nil
}

// Get returns the record of module id.
func (s *Store) Get(id string) (Module, error) {
	v, err := s.st.Get(recordKey(id))
	if errors.Is(err, store.ErrNotFound) {
		return Module{}, fmt.Errorf("%w: %s (import it with `aonode module add` or `aonode module import-stock`)", ErrNotFound, id)
	}
	if err != nil {
		return Module{}, err
	}
	var m Module
	if err := json.Unmarshal(v, &m); err != nil {
		return Module{}, fmt.Errorf("modules: record of %s: %w", id, err)
	}
	return m, nil
}

// Wasm returns the module's bytes, checked against its recorded SHA-256.
func (s *Store) Wasm(m Module) ([]byte, error) {
	h, err := store.ParseHash(m.SHA256)
	if err != nil {
		return nil, fmt.Errorf("modules: record of %s: sha256: %w", m.ID, err)
	}
	b, err := s.st.GetBlob(h)
	if err != nil {
		return nil, fmt.Errorf("modules: wasm of %s: %w", m.ID, err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != m.SHA256 {
		return nil, fmt.Errorf("modules: wasm of %s: blob does not match its SHA-256", m.ID)
	}
	return b, nil
}

// List returns every module record, sorted by ID.
func (s *Store) List() ([]Module, error) {
	var out []Module
	var derr error
	p := []byte("mod/r/")
	err := s.st.Scan(p, store.PrefixEnd(p), func(_, v []byte) bool {
		var m Module
		if err := json.Unmarshal(v, &m); err != nil {
			derr = err
			return false
		}
		out = append(out, m)
		return true
	})
	if err == nil {
		err = derr
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}
