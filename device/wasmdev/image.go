package wasmdev

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/modules"
	"aonode/wasm"
)

// formatCore names images that run as plain core modules.
const formatCore = "core"

// hostNamespace reports whether ns is an import module aonode's
// Emscripten host serves; an image importing from any of them runs on
// that host.
func hostNamespace(ns string) bool {
	switch ns {
	case "env", "wasi_snapshot_preview1", "metering":
		return true
	}
	return false
}

// image is a compiled image: a plain core module or an Emscripten module.
type image struct {
	sha256 string // hex SHA-256 of the bytes
	format string // formatCore or a wasm.Format
	core   *wasm.CoreModule
	em     *wasm.Module
	// exports are the module's exports: a signature for functions, nil
	// for anything else.
	exports map[string]*wasm.FuncType
}

// imageRef is where an image's bytes come from.
type imageRef struct {
	id     string // a module-store ID ("" for bytes)
	bytes  []byte
	format string // an explicit module-format ("" if none)
}

// imageRef reads the image reference of a base message: its "image" key,
// else "process/image", else its body when that is a WebAssembly binary.
// The value may be a module ID (a 43-character string or a link), a
// message with a body, or the module bytes themselves.
func readImageRef(base *ao.Message) (imageRef, error) {
	var ref imageRef
	if f, ok := base.GetString("module-format"); ok {
		if f != formatCore {
			if _, err := wasm.ParseFormat(f); err != nil {
				return ref, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: module-format: %v", err)
			}
		}
		ref.format = f
	}
	v, ok := base.Get("image")
	where := "image"
	if !ok {
		if p, pok := base.GetMessage("process"); pok {
			v, ok = p.Get("image")
			where = "process/image"
		}
	}
	if !ok {
		if b, bok := base.Get("body"); bok {
			if raw, _ := b.AsBytes(); isWasm(raw) {
				ref.bytes = raw
				return ref, nil
			}
		}
		return ref, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: image: missing; give a module ID as \"image\" (or \"process/image\"), or the module bytes as \"body\"")
	}
	for depth := 0; ; depth++ {
		if m, ok := v.AsMessage(); ok && depth < 4 {
			// A message carrying the image: its body.
			b, bok := m.Get("body")
			if !bok {
				return ref, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: %s: a message without a body", where)
			}
			v, where = b, where+"/body"
			continue
		}
		break
	}
	if id, ok := v.AsLink(); ok {
		ref.id = id
		return ref, nil
	}
	raw, ok := v.AsBytes()
	if !ok {
		return ref, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: %s: a %s, want a module ID or the module bytes", where, v.Kind())
	}
	switch {
	case isWasm(raw):
		ref.bytes = raw
	case ao.IsID(string(raw)):
		ref.id = string(raw)
	default:
		return ref, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: %s: neither a 43-character module ID nor a WebAssembly binary (%d bytes, no \\0asm magic)", where, len(raw))
	}
	return ref, nil
}

func isWasm(b []byte) bool { return len(b) >= 8 && bytes.HasPrefix(b, []byte("\x00asm")) }

// loadImage fetches and compiles the image ref names (compiled images are
// kept in a bounded cache by SHA-256 and format).
func (d *Device) loadImage(ref imageRef) (*image, error) {
	raw := ref.bytes
	recFormat := ""
	if ref.id != "" {
		if d.opts.Modules == nil {
			return nil, resolve.NotFound("wasm-64@1.0: image %s: this node has no module store", ref.id)
		}
		rec, err := d.opts.Modules.Get(ref.id)
		if errors.Is(err, modules.ErrNotFound) {
			return nil, resolve.NotFound("wasm-64@1.0: image %s: not in this node's module store (add it with `aonode module add`)", ref.id)
		}
		if err != nil {
			return nil, fmt.Errorf("wasm-64@1.0: image %s: %w", ref.id, err)
		}
		if rec.Size > d.opts.MaxImageSize {
			return nil, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: image %s: %d bytes, more than the %d allowed", ref.id, rec.Size, d.opts.MaxImageSize)
		}
		if img, ok := d.images.Get(rec.SHA256 + "/" + ref.format + "/" + rec.Format); ok {
			return img, nil
		}
		if raw, err = d.opts.Modules.Wasm(rec); err != nil {
			return nil, fmt.Errorf("wasm-64@1.0: image %s: %w", ref.id, err)
		}
		recFormat = rec.Format
	}
	if int64(len(raw)) > d.opts.MaxImageSize {
		return nil, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: image: %d bytes, more than the %d allowed", len(raw), d.opts.MaxImageSize)
	}
	sum := sha256.Sum256(raw)
	hash := hex.EncodeToString(sum[:])
	cacheKey := hash + "/" + ref.format + "/" + recFormat
	if img, ok := d.images.Get(cacheKey); ok {
		return img, nil
	}
	core, err := d.opts.Engine.LoadCore(raw)
	if err != nil {
		return nil, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: image: not a valid WebAssembly module: %v", err)
	}
	img := &image{sha256: hash, format: formatCore, core: core, exports: exportTable(core)}
	if ref.format != formatCore && (ref.format != "" || usesHost(core)) {
		f := ref.format
		if f == "" {
			f = recFormat
		}
		if _, err := wasm.ParseFormat(f); ref.format == "" && (err != nil || wasm.Format(f).Is64() != core.Memory64()) {
			// No usable format recorded (only an explicit module-format is
			// taken as given): the module's memory decides.
			f = string(wasm.FormatEmscripten4)
			if core.Memory64() {
				f = string(wasm.FormatWasm64)
			}
		}
		em, err := d.opts.Engine.Load(raw, wasm.Format(f))
		if err != nil {
			return nil, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: image imports aonode's Emscripten host but cannot run on it: %v", err)
		}
		img.format, img.core, img.em = f, nil, em
	}
	d.images.Add(cacheKey, img)
	return img, nil
}

// usesHost reports whether the module imports from the Emscripten host's
// namespaces.
func usesHost(m *wasm.CoreModule) bool {
	for _, im := range m.Imports() {
		if hostNamespace(im.Module) {
			return true
		}
	}
	return false
}

// exportTable reads the module's exports once.
func exportTable(m *wasm.CoreModule) map[string]*wasm.FuncType {
	out := map[string]*wasm.FuncType{}
	for _, ex := range m.Exports() {
		out[ex.Name] = ex.Func
	}
	return out
}

// funcType returns the parameter and result kinds of the image's export
// fn, or a 400 naming it.
func (img *image) funcType(fn string) (params, results []wasm.ValKind, err error) {
	sig, ok := img.exports[fn]
	switch {
	case !ok:
		return nil, nil, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: function %q: the image exports no such function", fn)
	case sig == nil:
		return nil, nil, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: function %q: the export is not a function", fn)
	}
	return sig.Params, sig.Results, nil
}

// start instantiates the image under lim.
func (d *Device) start(ctx context.Context, img *image, lim limits) (runner, error) {
	if img.em == nil {
		return newCoreRunner(img.core, lim)
	}
	inst, err := img.em.Start(ctx, d.emOptions(lim))
	if err != nil {
		return nil, err
	}
	return &emRunner{inst: inst}, nil
}

// restore builds an instance of img from snapshot bytes.
func (d *Device) restore(img *image, lim limits, snap []byte) (runner, error) {
	if img.em != nil {
		inst, err := img.em.Restore(snap, d.emOptions(lim))
		if err != nil {
			return nil, &wasm.SnapshotError{Msg: err.Error()}
		}
		return &emRunner{inst: inst}, nil
	}
	return restoreCoreRunner(img.core, lim, snap)
}

func (d *Device) emOptions(lim limits) wasm.Options {
	// Every successful call checkpoints (wasm.Instance.Call), so the
	// message-replay window is unused here.
	return lim.options()
}
