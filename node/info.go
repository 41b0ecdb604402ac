package node

import (
	"fmt"
	"runtime/debug"

	"aonode/ao"
)

// Info is the node's info message, served by meta@1.0: address, version,
// build, devices, port and url.
func (n *Node) Info() *ao.Message {
	n.mu.Lock()
	url, port := n.url, n.port
	n.mu.Unlock()
	m := ao.New()
	m.SetString("address", n.Address())
	m.SetString("version", n.version)
	build := ao.New()
	for k, v := range BuildInfo() {
		build.SetString(k, v)
	}
	m.Set("build", ao.Msg(build))
	var devs []ao.Value
	for _, d := range n.Devices.Names() {
		devs = append(devs, ao.String(d))
	}
	m.Set("devices", ao.List(devs...))
	m.Set("port", ao.Int(int64(port)))
	if url != "" {
		m.SetString("url", url)
	}
	n.mu.Lock()
	cfg := n.config
	n.mu.Unlock()
	for _, k := range cfg.Keys() {
		v, _ := cfg.Get(k)
		m.Set(k, v)
	}
	return m
}

// protectedInfo are info keys the node derives itself; configuration
// cannot set them.
var protectedInfo = map[string]bool{
	"address": true, "version": true, "build": true, "devices": true, "port": true, "url": true,
}

// requestKeys are keys of a configuration request that describe the
// request rather than configuration.
var requestKeys = map[string]bool{
	"path": true, "method": true, "content-digest": true, "content-length": true,
	"signature": true, "signature-input": true, "commitments": true,
}

// Configure merges the keys of an operator-signed configuration message
// into the node's configuration, which Info reports. The caller has
// checked the operator's signature (meta@1.0 does). Configuration lives
// in memory: a restart starts from the defaults again.
func (n *Node) Configure(m *ao.Message) error {
	set := ao.New()
	for _, k := range m.Keys() {
		switch {
		case requestKeys[k]:
			continue
		case protectedInfo[k]:
			return fmt.Errorf("key %q is set by the node itself", k)
		case len(k) >= 4 && k[:4] == "priv":
			return fmt.Errorf("key %q is private", k)
		}
		v, _ := m.Get(k)
		set.Set(k, v)
	}
	if set.Len() == 0 {
		return fmt.Errorf("the signed request sets no configuration key")
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	next := n.config.Clone()
	if next == nil {
		next = ao.New()
	}
	for _, k := range set.Keys() {
		v, _ := set.Get(k)
		next.Set(k, v)
	}
	n.config = next
	n.Logger.Info("configuration changed by the operator", "keys", set.Keys())
	return nil
}

// BuildInfo describes the running binary for /~meta@1.0/info.
func BuildInfo() map[string]string {
	out := map[string]string{}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return out
	}
	out["go"] = bi.GoVersion
	out["module"] = bi.Main.Path
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision", "vcs.time", "vcs.modified", "GOOS", "GOARCH", "CGO_ENABLED":
			out[s.Key] = s.Value
		}
	}
	return out
}
