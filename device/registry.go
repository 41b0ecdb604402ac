package device

import (
	"fmt"

	"aonode/ao/resolve"
)

// NewRegistry builds each device of specs over d into a new registry: a
// node's table, or the few devices a test resolves with. A constructor's
// error, or a name given twice, is an error naming the device.
func NewRegistry(specs []Spec, d Deps) (*resolve.Registry, error) {
	r := resolve.NewRegistry()
	for _, s := range specs {
		dev, err := s.New(d)
		if err != nil {
			return nil, fmt.Errorf("device %s: %w", s.Name, err)
		}
		if err := r.Register(s.Name, dev); err != nil {
			return nil, fmt.Errorf("device %s: %w", s.Name, err)
		}
	}
	return r, nil
}
