package wasm

import (
	"fmt"
	"strings"
)

// Format is an ao Module-Format value.
type Format string

// The Module-Format values ao-loader 0.0.49 knows.
const (
	FormatEmscripten      Format = "wasm32-unknown-emscripten"
	FormatEmscripten2     Format = "wasm32-unknown-emscripten2"
	FormatEmscripten3     Format = "wasm32-unknown-emscripten3"
	FormatEmscripten4     Format = "wasm32-unknown-emscripten4"
	FormatWasm64          Format = "wasm64-unknown-emscripten-draft_2024_02_15"
	FormatWasm32Metering  Format = "wasm32-unknown-emscripten-metering"
	FormatWasm64Metering  Format = "wasm64-unknown-emscripten-draft_2024_10_16-metering"
	formatMaxKnownVersion        = 7
)

// Formats lists every supported Module-Format.
func Formats() []Format {
	return []Format{FormatEmscripten, FormatEmscripten2, FormatEmscripten3, FormatEmscripten4,
		FormatWasm64, FormatWasm32Metering, FormatWasm64Metering}
}

// ParseFormat checks that s names a supported Module-Format.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, 0, formatMaxKnownVersion)
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return "", fmt.Errorf("wasm: unknown Module-Format %q (supported: %s)", s, strings.Join(names, ", "))
}

// Is64 reports whether the format uses memory64 (i64 pointers).
func (f Format) Is64() bool { return strings.HasPrefix(string(f), "wasm64") }

// Metering reports whether ao-loader meters the module (reports GasUsed
// from a gas counter; for the "-metering" formats it instruments the module
// at load time).
func (f Format) Metering() bool {
	return f == FormatWasm32Metering || f == FormatWasm64Metering
}

// legacy reports whether the format uses the old glue (formats 1–3): Lua
// boots in main, strings sized by UTF-16 length, clock imports return 0.
func (f Format) legacy() bool {
	return f == FormatEmscripten || f == FormatEmscripten2 || f == FormatEmscripten3
}
