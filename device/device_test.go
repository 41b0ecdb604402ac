package device

import (
	"strings"
	"testing"
)

type service struct{}

func TestService(t *testing.T) {
	s := &service{}
	if got, err := Service[*service](any(s), "x@1.0", "Pusher"); err != nil || got != s {
		t.Fatalf("Service = %v, %v", got, err)
	}
	_, err := Service[*service](nil, "x@1.0", "Pusher")
	if err == nil || !strings.Contains(err.Error(), "x@1.0: device.Deps.Pusher is <nil>, want *device.service") {
		t.Fatalf("nil service: %v", err)
	}
}
