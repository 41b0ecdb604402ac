package cron

import (
	"strings"
	"testing"
)

func TestParseInterval(t *testing.T) {
	for in, want := range map[string]Interval{
		"10-seconds": {N: 10}, "1-minute": {N: 60}, "2-hours": {N: 7200}, "1-day": {N: 86400},
		"5-blocks": {N: 5, Blocks: true}, "1-block": {N: 1, Blocks: true}, "1500-ms": {N: 1},
	} {
		got, err := ParseInterval(in)
		if err != nil || got.N != want.N || got.Blocks != want.Blocks || got.Text != in {
			t.Errorf("%s: %+v %v, want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "10", "x-seconds", "0-seconds", "-1-seconds", "10-parsecs", "500-ms", "99999999999-seconds"} {
		if _, err := ParseInterval(bad); err == nil || !strings.Contains(err.Error(), "Cron-Interval") {
			t.Errorf("%q: %v, want an error naming Cron-Interval", bad, err)
		}
	}
}

func TestParseTags(t *testing.T) {
	crons, err := Parse([]Tag{{"Name", "x"}, {"Cron-Interval", "1-minute"}, {"Cron-Tag-Action", "Cron"},
		{"Cron-Tag-X", "1"}, {"Cron-Interval", "3-blocks"}, {"Cron-Tag-Action", "Blocky"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(crons) != 2 || crons[0].Interval.N != 60 || len(crons[0].Tags) != 2 || crons[0].Tags[1] != (Tag{"X", "1"}) ||
		!crons[1].Interval.Blocks || crons[1].Tags[0] != (Tag{"Action", "Blocky"}) {
		t.Fatalf("%+v", crons)
	}
	if _, err := Parse([]Tag{{"Cron-Tag-Action", "Cron"}}); err == nil {
		t.Fatal("Cron-Tag before Cron-Interval accepted")
	}
}

// FuzzParseInterval: any value parses to a positive interval or fails
// with an error naming the tag; never a panic.
func FuzzParseInterval(f *testing.F) {
	for _, s := range []string{"10-seconds", "5-blocks", "1-minute", "1-", "-", "1e9-years", "0-ms"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		iv, err := ParseInterval(s)
		if err != nil {
			if !strings.Contains(err.Error(), "Cron-Interval") {
				t.Fatalf("error %q names no tag", err)
			}
			return
		}
		if iv.N == 0 {
			t.Fatalf("%q: zero interval accepted", s)
		}
	})
}
