package wasmdev

import (
	"context"
	"net/http"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/wasm"
)

// prepared is an image with the limits a base asks for.
type prepared struct {
	img  *image
	lim  limits
	root string
}

// prepare loads the base's image and limits.
func (d *Device) prepare(base *ao.Message) (*prepared, error) {
	ref, err := readImageRef(base)
	if err != nil {
		return nil, err
	}
	img, err := d.loadImage(ref)
	if err != nil {
		return nil, err
	}
	lim, err := d.readLimits(base)
	if err != nil {
		return nil, err
	}
	return &prepared{img: img, lim: lim, root: rootKey(img, lim)}, nil
}

// target is the instance a call works on, taken out of the table.
type target struct {
	e  *entry
	st instState
	// pure: the state is rebuildable from the base alone (its key is the
	// fresh K0 or that of the snapshot it carries), so the answer depends
	// on nothing but the base and the request.
	pure bool
}

// acquire takes the live instance the base names, or rebuilds it. A base
// that was never initialised names a fresh instance of its image.
func (d *Device) acquire(ctx context.Context, base *ao.Message) (*target, error) {
	st, ok, err := readState(base)
	if err != nil {
		return nil, err
	}
	var p *prepared
	if !ok {
		if p, err = d.prepare(base); err != nil {
			return nil, err
		}
		st = instState{key: p.root, root: p.root}
	}
	if st.key == "" {
		return nil, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: %s/instance: missing (the instance was terminated); call init again", stateKey)
	}
	snap, hasSnap := snapshotBytes(base)
	pure := func() bool { return st.key == st.root || hasSnap && snapshotKey(st.root, snap) == st.key }
	if e := d.live.take(st.key); e != nil {
		if e.root != st.root {
			d.live.put(st.key, e)
			return nil, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: %s/root does not match the instance %s names", stateKey, st.key)
		}
		return &target{e: e, st: st, pure: pure()}, nil
	}
	if p == nil {
		if p, err = d.prepare(base); err != nil {
			return nil, err
		}
		if p.root != st.root {
			return nil, resolve.Errorf(http.StatusBadRequest,
				"wasm-64@1.0: %s/root %s does not match the base's image and limits (%s): the state was altered", stateKey, st.root, p.root)
		}
	}
	var r runner
	switch {
	case st.key == p.root:
		r, err = d.start(ctx, p.img, p.lim)
	case hasSnap && snapshotKey(p.root, snap) == st.key:
		r, err = d.restore(p.img, p.lim, snap)
	default:
		return nil, resolve.Errorf(http.StatusGone,
			"wasm-64@1.0: instance %s is no longer in memory and the state carries no snapshot of it; add its snapshot (the snapshot key) and normalize, or start again from init", st.key)
	}
	if err != nil {
		return nil, err
	}
	return &target{e: &entry{r: r, img: p.img, lim: p.lim, root: p.root}, st: st, pure: true}, nil
}

// release puts a target's instance back under its key, or closes it when a
// failed call left it unusable.
func (d *Device) release(t *target) {
	if t.e.r.intact() {
		d.live.put(t.st.key, t.e)
		return
	}
	t.e.r.close()
}

// snapshotBytes reads the base's "snapshot": a message with a body, or the
// bytes.
func snapshotBytes(base *ao.Message) ([]byte, bool) {
	v, ok := base.Get("snapshot")
	if !ok {
		return nil, false
	}
	if m, ok := v.AsMessage(); ok {
		if v, ok = m.Get("body"); !ok {
			return nil, false
		}
	}
	b, ok := v.AsBytes()
	return b, ok && len(b) > 0
}

// first returns key from the request, else from the base.
func first(c *resolve.Call, key string) (ao.Value, bool) {
	if v, ok := c.Req.Get(key); ok {
		return v, true
	}
	return c.Base.Get(key)
}

// initKeys are the keys that choose an instance; init (and a compute or
// normalize on a base that was never initialised) takes them from the
// request as well, so /~wasm-64@1.0/init&image=<ID> works.
func initKeys() []string {
	return []string{"image", "process", "module-format", "memory-limit", "compute-limit"}
}

// initBase is the base with the request's init keys over it.
func initBase(c *resolve.Call) *ao.Message {
	var out *ao.Message
	for _, k := range initKeys() {
		if v, ok := c.Req.Get(k); ok {
			if out == nil {
				out = c.Base.Clone()
			}
			out.Set(k, v)
		}
	}
	if out == nil {
		return c.Base
	}
	return out
}

// baseFor is the base a call works on: initBase for a base that was never
// initialised, else the base itself.
func baseFor(c *resolve.Call) *ao.Message {
	if c.Base.Has(stateKey) {
		return c.Base
	}
	return initBase(c)
}

func (d *Device) init(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	base := initBase(c)
	p, err := d.prepare(base)
	if err != nil {
		return ao.Value{}, err
	}
	if !d.live.has(p.root) {
		r, err := d.start(ctx, p.img, p.lim)
		if err != nil {
			return ao.Value{}, err
		}
		d.live.put(p.root, &entry{r: r, img: p.img, lim: p.lim, root: p.root})
	}
	out := withState(base, p.img, p.lim, p.root, p.root)
	out.Delete("results")
	return ao.Msg(out), nil
}

func (d *Device) compute(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	fv, ok := first(c, "function")
	fn, _ := fv.AsString()
	if !ok || fn == "" {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: function: missing; name the export to call as \"function\"")
	}
	pv, present := first(c, "parameters")
	params, err := paramList(pv, present)
	if err != nil {
		return ao.Value{}, err
	}
	base := baseFor(c)
	t, err := d.acquire(ctx, base)
	if err != nil {
		return ao.Value{}, err
	}
	kinds, results, err := t.e.img.funcType(fn)
	if err == nil {
		err = checkResults(fn, results)
	}
	var args []wasm.Val
	if err == nil {
		args, err = toArgs(fn, params, kinds)
	}
	if err != nil {
		d.release(t)
		return ao.Value{}, err
	}
	vals, err := t.e.r.call(fn, args)
	if err != nil {
		d.release(t)
		return ao.Value{}, err
	}
	out, err := fromResults(vals)
	if err != nil {
		t.e.r.close()
		return ao.Value{}, err
	}
	next := callKey(t.st.key, fn, argsKey(args))
	d.live.put(next, t.e)
	// The new state's instance exists only in this table (it cannot be
	// rebuilt from the message), so a cached answer could later name an
	// instance that is gone: compute answers are never cached.
	c.NoCache()
	state := withState(base, t.e.img, t.e.lim, t.st.root, next)
	state.Delete("snapshot")
	res := ao.New().SetString("type", "ok").Set("output", ao.List(out...))
	state.Set("results", ao.Msg(ao.New().Set(stateKey, ao.Msg(res))))
	return ao.Msg(state), nil
}

// checkResults refuses functions whose results cannot be answered, before
// they run.
func checkResults(fn string, kinds []wasm.ValKind) error {
	for i, k := range kinds {
		if !k.Number() {
			return resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: function %q: result %d has type %s, which cannot be returned (only i32, i64, f32, f64)", fn, i+1, k)
		}
	}
	return nil
}

func (d *Device) snapshot(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	t, err := d.acquire(ctx, baseFor(c))
	if err != nil {
		return ao.Value{}, err
	}
	b, err := t.e.r.snapshot()
	d.release(t)
	if err != nil {
		return ao.Value{}, err
	}
	if !t.pure {
		c.NoCache()
	}
	return ao.Msg(ao.New().Set("body", ao.Bytes(b)).
		SetString("instance", t.st.key).
		SetString("image", t.e.img.sha256).
		SetString("format", t.e.img.format)), nil
}

func (d *Device) normalize(_ context.Context, c *resolve.Call) (ao.Value, error) {
	base := baseFor(c)
	snap, ok := snapshotBytes(base)
	if !ok {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: snapshot: missing; set \"snapshot\" to the message the snapshot key answered (or its body)")
	}
	st, inited, err := readState(base)
	if err != nil {
		return ao.Value{}, err
	}
	p, err := d.prepare(base)
	if err != nil {
		return ao.Value{}, err
	}
	if inited && st.root != p.root {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest,
			"wasm-64@1.0: %s/root %s does not match the base's image and limits (%s): the state was altered", stateKey, st.root, p.root)
	}
	key := snapshotKey(p.root, snap)
	if !d.live.has(key) {
		r, err := d.restore(p.img, p.lim, snap)
		if err != nil {
			return ao.Value{}, err
		}
		d.live.put(key, &entry{r: r, img: p.img, lim: p.lim, root: p.root})
	}
	out := withState(base, p.img, p.lim, p.root, key)
	out.Delete("results")
	return ao.Msg(out), nil
}

func (d *Device) terminate(c *resolve.Call) (ao.Value, error) {
	c.NoCache()
	st, ok, err := readState(c.Base)
	if err != nil {
		return ao.Value{}, err
	}
	if !ok {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: nothing to terminate: the base was never initialised")
	}
	if st.key != "" {
		if e := d.live.take(st.key); e != nil {
			e.r.close()
		}
	}
	out := c.Base.WithoutCommitments()
	out.Delete("path")
	w, _ := out.GetMessage(stateKey)
	w = w.Clone()
	w.Delete("instance")
	out.Set(stateKey, ao.Msg(w))
	return ao.Msg(out), nil
}

// imports answers how the image's imports are resolved: a list of
// {module, func, provider} (provider "emscripten-host" when aonode's host
// implements it, "none" when a call traps), or the one import the
// request names with "module" and "func".
func (d *Device) imports(c *resolve.Call) (ao.Value, error) {
	ref, err := readImageRef(baseFor(c))
	if err != nil {
		return ao.Value{}, err
	}
	img, err := d.loadImage(ref)
	if err != nil {
		return ao.Value{}, err
	}
	var names [][2]string
	if img.em != nil {
		for _, full := range img.em.Imports() {
			mod, name, _ := strings.Cut(full, ".")
			names = append(names, [2]string{mod, name})
		}
	} else {
		for _, im := range img.core.Imports() {
			names = append(names, [2]string{im.Module, im.Name})
		}
	}
	wantMod, byMod := c.Req.GetString("module")
	wantFn, byFn := c.Req.GetString("func")
	var list []ao.Value
	for _, n := range names {
		if (byMod && n[0] != wantMod) || (byFn && n[1] != wantFn) {
			continue
		}
		provider := "none"
		if img.em != nil && wasm.Implements(wasm.Format(img.format), n[0], n[1]) {
			provider = "emscripten-host"
		}
		m := ao.New().SetString("module", n[0]).SetString("func", n[1]).SetString("provider", provider)
		if byMod && byFn {
			return ao.Msg(m), nil
		}
		list = append(list, ao.Msg(m))
	}
	if byMod && byFn {
		return ao.Value{}, resolve.NotFound("wasm-64@1.0: import %s.%s: the image has no such import", wantMod, wantFn)
	}
	return ao.Msg(ao.New().Set("imports", ao.List(list...))), nil
}
