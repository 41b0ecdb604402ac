package node

import (
	"fmt"
	"slices"
	"strings"

	"aonode/ao/resolve"
	"aonode/device"
	"aonode/device/cache"
	"aonode/device/codec"
	"aonode/device/crondev"
	"aonode/device/message"
	"aonode/device/meta"
	"aonode/device/patch"
	"aonode/device/process"
	"aonode/device/pushdev"
	"aonode/device/relaydev"
	"aonode/device/schedulerdev"
	"aonode/device/wasmdev"
)

// Builtin is the node's device table, after HyperBEAM's
// preloaded_devices: one line per built-in device, its name and its
// constructor. Adding a device is a package under device/ and a line
// here (ARCHITECTURE.md, "Adding a device").
func Builtin() []device.Spec {
	return []device.Spec{
		{Name: message.Name, New: message.New},
		{Name: meta.Name, New: meta.New},
		{Name: codec.JSONName, New: codec.NewJSON},
		{Name: codec.FlatName, New: codec.NewFlat},
		{Name: codec.StructuredName, New: codec.NewStructured},
		{Name: codec.HTTPSigName, New: codec.NewHTTPSig},
		{Name: codec.ANS104Name, New: codec.NewANS104},
		{Name: process.Name, New: process.New, Rewrite: process.Rewrite},
		{Name: process.GenesisWasmName, New: process.NewGenesisWasm},
		{Name: schedulerdev.Name, New: schedulerdev.New, Rewrite: schedulerdev.Rewrite},
		{Name: pushdev.Name, New: pushdev.New},
		{Name: patch.Name, New: patch.New},
		{Name: cache.Name, New: cache.New, Rewrite: cache.Rewrite},
		{Name: relaydev.Name, New: relaydev.New, Rewrite: relaydev.Rewrite},
		{Name: wasmdev.Name, New: wasmdev.New},
		{Name: crondev.Name, New: crondev.New, Rewrite: crondev.Rewrite},
	}
}

// selectDevices is the entries of table that names lists (as device
// names, case-insensitive), in the table's order; empty names select the
// whole table. A name the table lacks is an error naming it and listing
// the known ones.
func selectDevices(table []device.Spec, names []string) ([]device.Spec, error) {
	if len(names) == 0 {
		return table, nil
	}
	known := make([]string, len(table))
	for i, s := range table {
		known[i] = strings.ToLower(s.Name)
	}
	want := make([]string, len(names))
	for i, n := range names {
		want[i] = strings.ToLower(n)
		if !slices.Contains(known, want[i]) {
			return nil, fmt.Errorf("node: unknown device %q (known: %s)", n, strings.Join(known, ", "))
		}
	}
	var out []device.Spec
	for i, s := range table {
		if slices.Contains(want, known[i]) {
			out = append(out, s)
		}
	}
	return out, nil
}

// newRegistry builds each device of specs over d into a new registry
// (device.NewRegistry). A constructor's error, or a name given twice, is
// New's error.
func newRegistry(specs []device.Spec, d device.Deps) (*resolve.Registry, error) {
	r, err := device.NewRegistry(specs, d)
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	return r, nil
}
