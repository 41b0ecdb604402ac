package ans104

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"aonode/internal/nodejs"
	"aonode/internal/npmenv"
)

// interopPackages pins the JS oracles: aoconnect 0.0.98 and the arbundles
// version it depends on (npm view @permaweb/aoconnect@0.0.98 dependencies).
func interopPackages() []string {
	return []string{"@dha-team/arbundles@1.0.3", "@permaweb/aoconnect@0.0.98"}
}

// interopScript installs the JS environment and copies a testdata script
// into it.
func interopScript(t *testing.T, name string) string {
	t.Helper()
	env, err := npmenv.Install("ans104-interop", interopPackages(), npmenv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	script, err := npmenv.CopyScript(env, filepath.Join("testdata", "interop", name))
	if err != nil {
		t.Fatal(err)
	}
	return script
}

func runNode(t *testing.T, args ...string) []byte {
	t.Helper()
	out, err := nodejs.Output(args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// jwkPrivateHex returns the JWK's d member as hex.
func jwkPrivateHex(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "wallet", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var j struct{ D string }
	if err := json.Unmarshal(b, &j); err != nil {
		t.Fatal(err)
	}
	d, err := base64.RawURLEncoding.DecodeString(j.D)
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(d)
}

func TestInteropJSSignedVerifiesInGo(t *testing.T) {
	script := interopScript(t, "sign.mjs")
	dir := t.TempDir()
	out := runNode(t, script, dir, filepath.Join("..", "..", "wallet", "testdata", "arweave.json"),
		jwkPrivateHex(t, "ethereum.json"), jwkPrivateHex(t, "ed25519.json"))
	var manifest []struct {
		Name, File, ID, Address string
		ClientID                string
		SignatureType           int
		IDs                     []string
	}
	if err := json.Unmarshal(out, &manifest); err != nil {
		t.Fatalf("manifest: %v\n%s", err, out)
	}
	seen := map[string]bool{}
	for _, m := range manifest {
		seen[m.Name] = true
		raw, err := os.ReadFile(m.File)
		if err != nil {
			t.Fatal(err)
		}
		if m.Name == "bundle" {
			items, err := VerifyBundle(raw, 0)
			if err != nil {
				t.Fatalf("arbundles bundle: %v", err)
			}
			if len(items) != len(m.IDs) {
				t.Fatalf("bundle has %d items, JS says %d", len(items), len(m.IDs))
			}
			for i, it := range items {
				if it.ID() != m.IDs[i] {
					t.Errorf("bundle item %d: ID %s, JS %s", i, it.ID(), m.IDs[i])
				}
			}
			bad := bytes.Clone(raw)
			bad[len(bad)-1] ^= 1
			if _, err := VerifyBundle(bad, 0); err == nil {
				t.Error("bundle with a flipped byte verifies")
			}
			continue
		}
		d, err := Decode(raw)
		if err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if err := d.Verify(); err != nil {
			t.Errorf("%s: %v", m.Name, err)
		}
		if d.ID() != m.ID || d.SignatureType != m.SignatureType {
			t.Errorf("%s: ID %s type %d, JS %s type %d", m.Name, d.ID(), d.SignatureType, m.ID, m.SignatureType)
		}
		if m.ClientID != "" && m.ClientID != d.ID() {
			t.Errorf("%s: aoconnect returned message ID %s, Go %s", m.Name, m.ClientID, d.ID())
		}
		if addr, err := d.OwnerAddress(); err != nil || addr != m.Address {
			t.Errorf("%s: owner address %s %v, JS %s", m.Name, addr, err, m.Address)
		}
		if enc, err := d.Encode(); err != nil || !bytes.Equal(enc, raw) {
			t.Errorf("%s: re-encoding differs (%v)", m.Name, err)
		}
		// A flipped byte in the data (or, with no data, the signature).
		bad := bytes.Clone(raw)
		bad[len(bad)-1] ^= 1
		if d2, err := Decode(bad); err == nil {
			if err := d2.Verify(); !errors.Is(err, ErrInvalidSignature) {
				t.Errorf("%s: flipped byte: %v", m.Name, err)
			}
		}
	}
	for _, m := range manifest {
		if m.Name == "aoconnect-message" && m.ClientID == "" {
			t.Error("aoconnect message() returned no ID")
		}
	}
	for _, want := range []string{"arbundles-arweave", "arbundles-ethereum", "arbundles-ed25519", "arbundles-arweave-notags", "bundle", "aoconnect-createSigner", "aoconnect-message", "aoconnect-mainnet-request"} {
		if !seen[want] {
			t.Errorf("JS produced no %s", want)
		}
	}
}

func TestInteropGoSignedVerifiesInJS(t *testing.T) {
	script := interopScript(t, "verify.mjs")
	dir := t.TempDir()
	type want struct {
		id    string
		valid bool
		item  *DataItem
	}
	wantItems := map[string]want{}
	var req struct {
		Items   []string `json:"items"`
		Bundles []string `json:"bundles"`
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var signed []*DataItem
	for name, k := range testKeys(t) {
		for _, variant := range []string{"full", "bare", "pushed"} {
			d := sampleItem()
			switch variant {
			case "bare":
				d = &DataItem{Data: []byte("bare " + name)}
			case "pushed":
				d.Tags = []Tag{{"From-Process", "P"}, {"Type", "Message"}, {"Pushed-For", "X"},
					{"Action", "Transfer"}, {"Action", "Credit"}, {"Data-Protocol", "ao"}}
			}
			if err := d.Sign(k); err != nil {
				t.Fatal(err)
			}
			raw, err := d.Encode()
			if err != nil {
				t.Fatal(err)
			}
			signed = append(signed, d)
			p := write(name+"-"+variant+".bin", raw)
			req.Items = append(req.Items, p)
			wantItems[p] = want{d.ID(), true, d}
			bad := bytes.Clone(raw)
			bad[len(bad)-1] ^= 1
			p = write(name+"-"+variant+"-flipped.bin", bad)
			req.Items = append(req.Items, p)
			wantItems[p] = want{"", false, nil}
		}
	}
	bundle, err := EncodeBundle(signed)
	if err != nil {
		t.Fatal(err)
	}
	badBundle := bytes.Clone(bundle)
	badBundle[len(badBundle)-1] ^= 1
	req.Bundles = []string{write("bundle.bin", bundle), write("bundle-flipped.bin", badBundle)}
	reqJSON, _ := json.Marshal(req)
	out := runNode(t, script, write("request.json", reqJSON))
	var res struct {
		Items []struct {
			File, ID, Err            string
			CU, SUSorted, SUUnsorted string
			Valid                    bool
		}
		Bundles []struct {
			File, Err string
			Valid     bool
			IDs       []string
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(res.Items) != len(req.Items) || len(res.Bundles) != 2 {
		t.Fatalf("JS answered %d items, %d bundles", len(res.Items), len(res.Bundles))
	}
	for _, r := range res.Items {
		w := wantItems[r.File]
		if r.Valid != w.valid {
			t.Errorf("%s: arbundles valid=%v (%s), want %v", filepath.Base(r.File), r.Valid, r.Err, w.valid)
		}
		if !w.valid {
			continue
		}
		if r.ID != w.id {
			t.Errorf("%s: arbundles ID %s, Go %s", filepath.Base(r.File), r.ID, w.id)
		}
		// Fingerprints rebuilt in JS with arbundles, as the CU does.
		for _, c := range []struct {
			what, js string
			gohash   [48]byte
		}{
			{"CUDedupeHash", r.CU, CUDedupeHash(w.item)},
			{"DedupeHash sorted", r.SUSorted, DedupeHash(w.item, true)},
			{"DedupeHash unsorted", r.SUUnsorted, DedupeHash(w.item, false)},
		} {
			if got := base64.RawURLEncoding.EncodeToString(c.gohash[:]); got != c.js {
				t.Errorf("%s: %s %s, arbundles-built %s", filepath.Base(r.File), c.what, got, c.js)
			}
		}
	}
	if !res.Bundles[0].Valid || res.Bundles[1].Valid {
		t.Errorf("bundle valid=%v (%s), flipped bundle valid=%v", res.Bundles[0].Valid, res.Bundles[0].Err, res.Bundles[1].Valid)
	}
	for i, d := range signed {
		if i >= len(res.Bundles[0].IDs) || res.Bundles[0].IDs[i] != d.ID() {
			t.Errorf("bundle item %d: JS IDs %v, Go %s", i, res.Bundles[0].IDs, d.ID())
		}
	}
}
