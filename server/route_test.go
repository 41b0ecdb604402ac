package server

import (
	"strings"
	"testing"
)

func TestRouteClass(t *testing.T) {
	for in, want := range map[string]string{
		"/":                                     "root",
		"/metrics":                              "metrics",
		"/~meta@1.0/info":                       "meta@1.0",
		"/~scheduler@1.0&x=1/slot":              "scheduler@1.0",
		"/" + strings.Repeat("A", 43) + "/slot": "id",
		"/" + strings.Repeat("A", 43) + "~process@1.0/compute": "process@1.0",
		"/~EVIL<script>@1.0/x":                                 "other",
		"/push":                                                "other",
	} {
		if got := routeClass(in); got != want {
			t.Errorf("routeClass(%q) = %q, want %q", in, got, want)
		}
	}
}
