// Package b64lines reads fixture files that hold one base64url (unpadded)
// value per line, as the recorded SU items and bundles in the tests'
// testdata are stored.
package b64lines

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"os"
	"strings"
)

// maxLine is the longest line read (a recorded bundle is under 1 MiB).
const maxLine = 1 << 20

// Read returns the decoded values of the file at path, one per non-blank
// line, in order.
func Read(path string) ([][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, maxLine)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		b, err := base64.RawURLEncoding.DecodeString(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: base64: %v", path, n, err)
		}
		out = append(out, b)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return out, nil
}
