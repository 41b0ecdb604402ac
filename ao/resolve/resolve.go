package resolve

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"aonode/ao"
	"aonode/ao/hyperpath"
)

// DefaultDevice interprets messages that name no device.
const DefaultDevice = "message@1.0"

// Options configure a Resolver.
type Options struct {
	// Registry holds the devices (required).
	Registry *Registry
	// ID computes a message's ID for hashpaths (required).
	ID func(*ao.Message) (string, error)
	// Load returns the message with the given ID for ID steps; nil means
	// no message can be loaded (every ID step is a 404).
	Load func(ctx context.Context, id string) (*ao.Message, error)
	// Cache keeps results by hashpath; nil disables caching.
	Cache Cache
	// MaxSteps bounds the steps of one resolution, sub-paths included;
	// 0 means 64.
	MaxSteps int
}

// Resolver runs resolutions. It is safe for concurrent use.
type Resolver struct {
	opts Options
}

// New returns a resolver.
func New(opts Options) (*Resolver, error) {
	if opts.Registry == nil || opts.ID == nil {
		return nil, errors.New("resolve: Options.Registry and Options.ID are required")
	}
	if opts.MaxSteps <= 0 {
		opts.MaxSteps = 64
	}
	return &Resolver{opts: opts}, nil
}

// Registry is the resolver's device registry.
func (r *Resolver) Registry() *Registry { return r.opts.Registry }

// ID is the message ID the resolver uses for hashpaths (Options.ID).
func (r *Resolver) ID(m *ao.Message) (string, error) { return r.opts.ID(m) }

// Result is a resolved value and its hashpath.
type Result struct {
	Value ao.Value
	// Hashpath is "<43 chars>/<token>" for a resolved step, or just the
	// base's ID for a request with no step after its base.
	Hashpath string
	// Cached says the value came from the cache.
	Cached bool
	// Reply is the device's HTTP rendering of the value, if it gave one
	// (see Reply).
	Reply *Reply
	// Volatile says the value is not determined by its hashpath: this
	// step or an earlier one depended on more than its base and request
	// (Call.NoCache), so neither it nor any later step is read from or
	// written to the cache.
	Volatile bool
}

// state carries one resolution's budget across sub-resolutions.
type state struct {
	steps int
}

// Resolve resolves every step of req in order and returns the last result.
func (r *Resolver) Resolve(ctx context.Context, req *hyperpath.Request) (*Result, error) {
	return r.resolve(ctx, req, &state{})
}

func (r *Resolver) resolve(ctx context.Context, req *hyperpath.Request, st *state) (*Result, error) {
	if len(req.Steps) == 0 {
		return nil, Errorf(http.StatusBadRequest, "empty request")
	}
	first := req.Steps[0]
	steps := req.Steps[1:]
	if first.Kind == hyperpath.StepMessage && first.Key != "" && first.Device != "" {
		// "key~device@v" first: the base is {device} (with the step's
		// keys), and key is then resolved on it.
		steps = append([]hyperpath.Step{{Kind: hyperpath.StepMessage, Key: first.Key, Params: first.Params}}, steps...)
		first.Key = ""
	}
	cur, err := r.base(ctx, first, st)
	if err != nil {
		return nil, err
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if st.steps++; st.steps > r.opts.MaxSteps {
			return nil, Errorf(http.StatusBadRequest, "request needs more than %d steps", r.opts.MaxSteps)
		}
		cur, err = r.step(ctx, cur, s, st)
		if err != nil {
			return nil, err
		}
	}
	return cur, nil
}

// base turns the first step into the starting message and its hashpath.
func (r *Resolver) base(ctx context.Context, s hyperpath.Step, st *state) (*Result, error) {
	var m *ao.Message
	switch s.Kind {
	case hyperpath.StepID:
		if r.opts.Load == nil {
			return nil, NotFound("message %s not found", s.ID)
		}
		loaded, err := r.opts.Load(ctx, s.ID)
		if err != nil {
			return nil, err
		}
		m = loaded
		// A loaded message's hashpath starts at the ID it was asked by;
		// viewing it as another device than its own adds "as~device", so
		// two devices' answers for the same ID never share a hashpath.
		hp := s.ID
		if own, _ := m.GetString("device"); s.Device != "" && !strings.EqualFold(own, s.Device) {
			m = m.Clone()
			m.SetString("device", s.Device)
			var err error
			if hp, err = ao.Hashpath(hp, "as~"+s.Device); err != nil {
				return nil, fmt.Errorf("resolve: hashpath: %w", err)
			}
		}
		return &Result{Value: ao.Msg(m), Hashpath: hp}, nil
	case hyperpath.StepSub:
		res, err := r.resolve(ctx, s.Sub, st)
		if err != nil {
			return nil, err
		}
		if _, ok := res.Value.AsMessage(); !ok {
			return nil, Errorf(http.StatusBadRequest, "sub-resolution gave a %s, not a message", res.Value.Kind())
		}
		return res, nil
	default:
		var err error
		if m, err = r.message(ctx, s.Params, st); err != nil {
			return nil, err
		}
		if s.Key != "" {
			m.SetString("path", s.Key)
		}
		if s.Device != "" {
			m.SetString("device", s.Device)
		}
		id, err := r.opts.ID(m)
		if err != nil {
			return nil, fmt.Errorf("resolve: base message ID: %w", err)
		}
		return &Result{Value: ao.Msg(m), Hashpath: id}, nil
	}
}

// step applies one step to the current result.
func (r *Resolver) step(ctx context.Context, cur *Result, s hyperpath.Step, st *state) (*Result, error) {
	base, ok := cur.Value.AsMessage()
	if !ok {
		return nil, NotFound("cannot resolve %q on a %s value", stepName(s), cur.Value.Kind())
	}
	var req *ao.Message
	switch s.Kind {
	case hyperpath.StepMessage:
		var err error
		if req, err = r.message(ctx, s.Params, st); err != nil {
			return nil, err
		}
		req.SetString("path", s.Key)
	case hyperpath.StepSub:
		res, err := r.resolve(ctx, s.Sub, st)
		if err != nil {
			return nil, err
		}
		m, ok := res.Value.AsMessage()
		if !ok || !m.Has("path") {
			return nil, Errorf(http.StatusBadRequest, "a sub-resolution used as a request must give a message with a path")
		}
		req = m
	default:
		return nil, Errorf(http.StatusBadRequest, "an ID (%s) can only start a path", s.ID)
	}
	key, _ := req.GetString("path")
	if key == "" {
		return nil, Errorf(http.StatusBadRequest, "empty key")
	}
	if s.Device != "" {
		base = base.Clone()
		base.SetString("device", s.Device)
	}
	token := ao.HashpathToken(req, "")
	if token == "" {
		id, err := r.opts.ID(req)
		if err != nil {
			return nil, fmt.Errorf("resolve: request ID: %w", err)
		}
		token = id
	}
	hp, err := ao.Hashpath(cur.Hashpath, token)
	if err != nil {
		return nil, fmt.Errorf("resolve: hashpath: %w", err)
	}
	if s.Device != "" {
		// The viewed-as device is part of what the step computes.
		hp, err = ao.Hashpath(hp, "as~"+s.Device)
		if err != nil {
			return nil, fmt.Errorf("resolve: hashpath: %w", err)
		}
	}
	if r.opts.Cache != nil && !cur.Volatile {
		if e, ok := r.opts.Cache.Get(hp); ok {
			return &Result{Value: e.Value, Hashpath: hp, Cached: true, Reply: e.Reply}, nil
		}
	}
	devName := DefaultDevice
	if d, ok := base.GetString("device"); ok && d != "" {
		devName = d
	}
	dev, ok := r.opts.Registry.Lookup(devName)
	if !ok {
		return nil, NotFound("device %s is not loaded on this node", devName)
	}
	call := &Call{Key: key, Base: base, Req: req, Resolver: r}
	v, err := dev.Resolve(ctx, call)
	if err != nil {
		return nil, err
	}
	volatile := cur.Volatile || call.noCache
	if r.opts.Cache != nil && !volatile {
		r.opts.Cache.Put(hp, Entry{Value: v, Reply: call.reply})
	}
	return &Result{Value: v, Hashpath: hp, Reply: call.reply, Volatile: volatile}, nil
}

func stepName(s hyperpath.Step) string {
	if s.Kind == hyperpath.StepID {
		return s.ID
	}
	return s.Key
}
