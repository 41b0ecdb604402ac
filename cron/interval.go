package cron

import (
	"fmt"
	"strconv"
	"strings"
)

// Interval is a parsed Cron-Interval: every N seconds, or every N blocks.
type Interval struct {
	N      uint64
	Blocks bool
	// Text is the tag value as given (it names the cron in tick items).
	Text string
}

// unitSeconds maps the ms-package unit names the legacy CU accepts to
// seconds (months and years as ms counts them: 30.4375 and 365.25 days).
var unitSeconds = map[string]float64{
	"ms": 0.001, "msec": 0.001, "msecs": 0.001, "millisecond": 0.001, "milliseconds": 0.001,
	"s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
	"m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
	"h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
	"d": 86400, "day": 86400, "days": 86400,
	"w": 604800, "week": 604800, "weeks": 604800,
	"mo": 2629800, "month": 2629800, "months": 2629800,
	"y": 31557600, "yr": 31557600, "yrs": 31557600, "year": 31557600, "years": 31557600,
}

// ParseInterval reads "<n>-<unit>" (e.g. 10-seconds, 1-minute, 5-blocks).
// Time intervals are whole seconds, at least one.
func ParseInterval(s string) (Interval, error) {
	num, unit, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Interval{}, fmt.Errorf("Cron-Interval %q: want <n>-<unit>, e.g. 10-seconds or 5-blocks", s)
	}
	n, err := strconv.ParseUint(strings.TrimSpace(num), 10, 32)
	if err != nil || n == 0 {
		return Interval{}, fmt.Errorf("Cron-Interval %q: %q is not a positive whole number", s, num)
	}
	unit = strings.ToLower(strings.TrimSpace(unit))
	if unit == "block" || unit == "blocks" {
		return Interval{N: n, Blocks: true, Text: s}, nil
	}
	per, ok := unitSeconds[unit]
	if !ok {
		return Interval{}, fmt.Errorf("Cron-Interval %q: unknown unit %q", s, unit)
	}
	secs := uint64(float64(n) * per)
	if secs < 1 {
		return Interval{}, fmt.Errorf("Cron-Interval %q: shorter than one second", s)
	}
	return Interval{N: secs, Text: s}, nil
}

// Tag is one name/value pair.
type Tag struct{ Name, Value string }

// Cron is one of a process's crons: its interval and the tags of its
// messages.
type Cron struct {
	Interval Interval
	Tags     []Tag
}

// Parse reads a process's crons from its tags, as the legacy CU does:
// each Cron-Interval starts a cron, each following Cron-Tag-<X>: v adds
// X: v to it. A Cron-Tag before any Cron-Interval is an error.
func Parse(tags []Tag) ([]Cron, error) {
	var out []Cron
	for _, t := range tags {
		switch {
		case strings.EqualFold(t.Name, "Cron-Interval"):
			iv, err := ParseInterval(t.Value)
			if err != nil {
				return nil, err
			}
			out = append(out, Cron{Interval: iv})
		case len(t.Name) > len("Cron-Tag-") && strings.EqualFold(t.Name[:len("Cron-Tag-")], "Cron-Tag-"):
			if len(out) == 0 {
				return nil, fmt.Errorf("%s: a Cron-Tag needs a Cron-Interval before it", t.Name)
			}
			c := &out[len(out)-1]
			c.Tags = append(c.Tags, Tag{Name: t.Name[len("Cron-Tag-"):], Value: t.Value})
		}
	}
	return out, nil
}
