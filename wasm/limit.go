package wasm

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseMemoryLimit parses an ao Memory-Limit value: a byte count ("1048576")
// or a size with a 1024-based unit ("512-kb", "512-mb", "1-gb", "2-tb",
// also without the dash: "512mb"). It returns the limit in bytes.
func ParseMemoryLimit(s string) (uint64, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	if in == "" {
		return 0, fmt.Errorf("wasm: Memory-Limit: empty value")
	}
	units := []struct {
		suffix string
		mul    uint64
	}{{"kb", 1 << 10}, {"mb", 1 << 20}, {"gb", 1 << 30}, {"tb", 1 << 40}, {"b", 1}}
	mul := uint64(1)
	num := in
	for _, u := range units {
		if strings.HasSuffix(in, u.suffix) {
			num = strings.TrimSuffix(strings.TrimSuffix(in, u.suffix), "-")
			mul = u.mul
			break
		}
	}
	if num == "" || len(num) > 20 {
		return 0, fmt.Errorf("wasm: Memory-Limit %q: want a number with an optional unit (b, kb, mb, gb, tb)", s)
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("wasm: Memory-Limit %q: %q is not a non-negative integer", s, num)
	}
	if n == 0 {
		return 0, fmt.Errorf("wasm: Memory-Limit %q: must be greater than zero", s)
	}
	if n > math.MaxUint64/mul {
		return 0, fmt.Errorf("wasm: Memory-Limit %q: too large", s)
	}
	return n * mul, nil
}
