package wasmdev

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/wasm"
)

// State keys. A state message is the base the device was given plus a
// nested message under stateKey:
//
//	wasm/instance       the state key K of the instance state
//	wasm/root           K0, the key of a fresh instance of the image
//	wasm/image          the image's hex SHA-256
//	wasm/format         "core" or the Module-Format it runs with
//	wasm/memory-limit   bytes
//	wasm/compute-limit  fuel per call
//
// Keys are content addresses of the instance's state, so the same state
// message always names the same instance state:
//
//	K0      = b64url(SHA-256("wasm-64@1.0/root\n" sha "\n" format "\n" memory "\n" fuel))
//	K'      = b64url(SHA-256("wasm-64@1.0/call\n" K "\n" function "\n" typed args))
//	K(snap) = b64url(SHA-256("wasm-64@1.0/snapshot\n" K0 "\n" SHA-256(snapshot)))
//
// A state whose instance is no longer live can be rebuilt when its key is
// K0 (a fresh instance) or K(snap) of the snapshot it carries.
const stateKey = "wasm"

// rootKey is K0 for img under lim.
func rootKey(img *image, lim limits) string {
	return keyOf(fmt.Sprintf("wasm-64@1.0/root\n%s\n%s\n%d\n%d", img.sha256, img.format, lim.memory, lim.fuel))
}

// callKey is the key of the state after fn(args) on state key.
func callKey(key, fn, args string) string {
	return keyOf("wasm-64@1.0/call\n" + key + "\n" + fn + "\n" + args)
}

// snapshotKey is the key of the state a snapshot holds.
func snapshotKey(root string, snap []byte) string {
	sum := sha256.Sum256(snap)
	return keyOf("wasm-64@1.0/snapshot\n" + root + "\n" + ao.EncodeID(sum[:]))
}

func keyOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return ao.EncodeID(sum[:])
}

// instState is the wasm part of a state message.
type instState struct {
	key  string // "" when the state names no instance (terminated)
	root string
}

// readState reads the base's wasm/instance and wasm/root; ok is false when
// the base has not been initialised.
func readState(base *ao.Message) (instState, bool, error) {
	w, ok := base.GetMessage(stateKey)
	if !ok {
		if base.Has(stateKey) {
			return instState{}, false, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: %s: not a message", stateKey)
		}
		return instState{}, false, nil
	}
	var st instState
	root, ok := w.GetString("root")
	if !ok || !ao.IsID(root) {
		return st, false, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: %s/root: missing or not a 43-character key", stateKey)
	}
	st.root = root
	if k, ok := w.GetString("instance"); ok {
		if !ao.IsID(k) {
			return st, false, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: %s/instance: not a 43-character key", stateKey)
		}
		st.key = k
	}
	return st, true, nil
}

// withState returns a copy of base naming instance key of img under lim.
func withState(base *ao.Message, img *image, lim limits, root, key string) *ao.Message {
	out := base.WithoutCommitments()
	out.Delete("path")
	w := ao.New().
		SetString("root", root).
		SetString("image", img.sha256).
		SetString("format", img.format).
		Set("memory-limit", ao.Int(int64(lim.memory))).
		Set("compute-limit", ao.Int(int64(lim.fuel)))
	if key != "" {
		w.SetString("instance", key)
	}
	out.Set(stateKey, ao.Msg(w))
	return out
}

// readLimits reads memory-limit and compute-limit from the base (the
// device's defaults when absent), refusing values above the maxima.
func (d *Device) readLimits(base *ao.Message) (limits, error) {
	lim := limits{deadline: d.opts.Deadline}
	var err error
	if lim.memory, err = readLimit(base, "memory-limit", d.opts.MemoryLimit, d.opts.MaxMemoryLimit, " bytes"); err != nil {
		return lim, err
	}
	if lim.fuel, err = readLimit(base, "compute-limit", d.opts.ComputeLimit, d.opts.MaxComputeLimit, ""); err != nil {
		return lim, err
	}
	return lim, nil
}

// readLimit is the base's limit key (def when absent), at most max;
// unit follows the number in the error for a value above max.
func readLimit(base *ao.Message, key string, def, max uint64, unit string) (uint64, error) {
	v, ok := base.Get(key)
	if !ok {
		return def, nil
	}
	n, err := limitValue(v, key == "memory-limit")
	if err != nil {
		return 0, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: %s: %v", key, err)
	}
	if n > max {
		return 0, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: %s: %d%s, more than this node allows (%d)", key, n, unit, max)
	}
	return n, nil
}

// limitValue reads a limit: a positive integer, or as text a memory size
// (wasm.ParseMemoryLimit) for memory and a decimal count otherwise.
func limitValue(v ao.Value, memory bool) (uint64, error) {
	if i, ok := v.AsInt(); ok {
		if i <= 0 {
			return 0, fmt.Errorf("%d: must be greater than zero", i)
		}
		return uint64(i), nil
	}
	s, ok := v.AsString()
	if !ok {
		return 0, fmt.Errorf("a %s, want a number", v.Kind())
	}
	if memory {
		return wasm.ParseMemoryLimit(s)
	}
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("%q: want a positive integer", s)
	}
	return n, nil
}
