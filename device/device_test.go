package device

import (
	"context"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/ao/resolve"
)

type service struct{}

func (*service) Resolve(context.Context, *resolve.Call) (ao.Value, error) { return ao.Value{}, nil }

func TestOver(t *testing.T) {
	s := &service{}
	build := func(s *service) resolve.Device { return s }
	if got, err := Over(any(s), "x@1.0", "Pusher", build); err != nil || got != resolve.Device(s) {
		t.Fatalf("Over = %v, %v", got, err)
	}
	_, err := Over(nil, "x@1.0", "Pusher", build)
	if err == nil || !strings.Contains(err.Error(), "x@1.0: device.Deps.Pusher is <nil>, want *device.service") {
		t.Fatalf("nil service: %v", err)
	}
}
