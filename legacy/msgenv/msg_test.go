package msgenv

import (
	"encoding/json"
	"strings"
	"testing"
)

// Placeholders of the worked example (an ordinary wallet message whose ID,
// owner, process, module and hash chain are not given): 43 repeated letters.
var (
	pid43 = strings.Repeat("P", 43)
	own43 = strings.Repeat("O", 43)
	id43  = strings.Repeat("I", 43)
	mod43 = strings.Repeat("M", 43)
	hc43  = strings.Repeat("H", 43)
)

func ptr(s string) *string { return &s }

// TestWorkedExample pins the bytes of the worked example: an
// ordinary wallet message with a 683-character signature, 1145 bytes.
func TestWorkedExample(t *testing.T) {
	sig := strings.Repeat("S", 683)
	s := Scheduled{
		ID: id43, Signature: sig, Owner: own43, Target: pid43,
		Tags: []Tag{{"Action", "Eval"}}, Data: ptr("return 1"),
		Epoch: 0, Nonce: 1, Timestamp: 1730000000000, Height: 1500000, HashChain: Str(hc43),
	}
	m := s.Msg()
	got, err := m.JSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Id":"IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII","Signature":"<SIG683>","Data":"return 1","Owner":"OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO","Target":"PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP","Anchor":null,"From":"OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO","Tags":[{"name":"Action","value":"Eval"}],"Epoch":0,"Nonce":1,"Timestamp":1730000000000,"Block-Height":1500000,"Hash-Chain":"HHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHH","Cron":false,"Read-Only":false}`
	want = strings.Replace(want, "<SIG683>", sig, 1)
	if string(got) != want {
		t.Fatalf("msg bytes differ:\n got %s\nwant %s", got, want)
	}
	if len(got) != 1145 {
		t.Fatalf("msg is %d bytes, the note says 1145", len(got))
	}
}

func TestWorkedExampleEnv(t *testing.T) {
	e := Env{
		Process: Entity{ID: pid43, Owner: own43, Tags: []Tag{{"Data-Protocol", "ao"}, {"Variant", "ao.TN.1"}, {"Type", "Process"}, {"Module", mod43}}},
		Module:  Entity{ID: mod43, Owner: own43, Tags: []Tag{{"Data-Protocol", "ao"}, {"Type", "Module"}}},
	}
	got := e.JSON()
	want := `{"Process":{"Id":"PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP","Owner":"OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO","Tags":[{"name":"Data-Protocol","value":"ao"},{"name":"Variant","value":"ao.TN.1"},{"name":"Type","value":"Process"},{"name":"Module","value":"MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM"}]},"Module":{"Id":"MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM","Owner":"OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO","Tags":[{"name":"Data-Protocol","value":"ao"},{"name":"Type","value":"Module"}]}}`
	if string(got) != want {
		t.Fatalf("env bytes differ:\n got %s\nwant %s", got, want)
	}
	if len(got) != 504 {
		t.Fatalf("env is %d bytes, the note says 504", len(got))
	}
}

// keysOf returns the top-level keys of a JSON object in document order.
func keysOf(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", b)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func mustJSON(t *testing.T, m Msg) []byte {
	t.Helper()
	b, err := m.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fields(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return v
}

// TestCaseKeyOrders checks each case's key list and order against the
// outputs verified by running the CU's own modules (spawn, wallet, pushed,
// cron, assignment, dry-run).
func TestCaseKeyOrders(t *testing.T) {
	mu := strings.Repeat("U", 43)
	tests := []struct {
		name string
		msg  Msg
		keys string
	}{
		{"spawn", Scheduled{ID: pid43, Signature: "s", Owner: own43, Target: pid43, Tags: []Tag{{"Type", "Process"}}, Data: nil, Timestamp: 1, Height: 2, HashChain: Str(hc43)}.Msg(),
			"Id Signature Data Owner Target Anchor From Tags Epoch Nonce Timestamp Block-Height Hash-Chain Cron Read-Only"},
		{"wallet", Scheduled{ID: id43, Signature: "s", Owner: own43, Target: pid43, Data: ptr("x"), Anchor: ptr("a"), Nonce: 3, Timestamp: 1, Height: 2, HashChain: Str(hc43)}.Msg(),
			"Id Signature Data Owner Target Anchor From Tags Epoch Nonce Timestamp Block-Height Hash-Chain Cron Read-Only"},
		{"pushed", Scheduled{ID: id43, Signature: "s", Owner: mu, Target: pid43, Tags: []Tag{{"From-Process", "Q"}, {"Pushed-For", "R"}}, Data: ptr("x"), Timestamp: 1, Height: 2, HashChain: Str(hc43)}.Msg(),
			"Id Signature Data Owner Target Anchor From Forwarded-By Tags Epoch Nonce Timestamp Block-Height Hash-Chain Cron Read-Only"},
		{"coldstart", ColdStart{ID: pid43, Signature: Str("s"), Owner: own43, Anchor: Null(), Data: "d", Timestamp: 1, Height: 2}.Msg(),
			"Id Signature Data Owner Target Anchor From Tags Timestamp Block-Height Cron Read-Only"},
		{"cron", CronTick{ProcessID: pid43, ProcessOwner: own43, Tags: []Tag{{"Action", "Tick"}}, Timestamp: 1, Height: 2}.Msg(),
			"Owner Target From Tags Timestamp Block-Height Cron Read-Only"},
		{"assignment", Assigned{ID: id43, Signature: "s", Owner: own43, Anchor: Str(""), Data: "d", Nonce: 4, Timestamp: 1, Height: 2, HashChain: Str(hc43)}.Msg(),
			"Id Signature Data Owner Target Anchor From Tags Epoch Nonce Timestamp Block-Height Hash-Chain Cron Read-Only"},
		{"assignment-exclude-data", Assigned{ID: id43, Signature: "s", Owner: own43, Anchor: Str(""), Data: "d", ExcludeData: true, Timestamp: 1, Height: 2, HashChain: Str(hc43)}.Msg(),
			"Id Signature Owner Target Anchor From Tags Epoch Nonce Timestamp Block-Height Hash-Chain Cron Read-Only"},
		{"dryrun", DryRun{ID: Str("1234"), Owner: "1234", Data: Str("1234"), Target: Str(pid43), Anchor: Str("0")}.Msg(pid43, 5, 6),
			"Id Data Owner Target Anchor From Tags Timestamp Block-Height Cron Read-Only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := mustJSON(t, tc.msg)
			if got := strings.Join(keysOf(t, b), " "); got != tc.keys {
				t.Fatalf("keys\n got %s\nwant %s\n%s", got, tc.keys, b)
			}
		})
	}
}

func TestPushedFromAndForwardedBy(t *testing.T) {
	mu := strings.Repeat("U", 43)
	m := Scheduled{ID: id43, Signature: "s", Owner: mu, Target: pid43,
		Tags: []Tag{{"Data-Protocol", "ao"}, {"From-Process", "QQ"}, {"From", "evil"}, {"Owner", "evil"}, {"Pushed-For", "R"}, {"From-Process", "second"}},
		Data: ptr(""), Timestamp: 1, Height: 2}.Msg()
	v := fields(t, mustJSON(t, m))
	if v["From"] != "QQ" || v["Forwarded-By"] != mu || v["Owner"] != mu {
		t.Fatalf("From/Forwarded-By/Owner = %v/%v/%v", v["From"], v["Forwarded-By"], v["Owner"])
	}
	tags, _ := json.Marshal(v["Tags"])
	want := `[{"name":"Data-Protocol","value":"ao"},{"name":"From-Process","value":"QQ"},{"name":"Pushed-For","value":"R"},{"name":"From-Process","value":"second"}]`
	if string(tags) != want {
		t.Fatalf("tags %s, want %s", tags, want)
	}
	// An empty From-Process value: From falls back to the signer, but
	// Forwarded-By is still set (mapFrom checks the value, mapForwardedBy
	// only the tag).
	m = Scheduled{ID: id43, Signature: "s", Owner: mu, Target: pid43, Tags: []Tag{{"From-Process", ""}}, Timestamp: 1, Height: 2}.Msg()
	v = fields(t, mustJSON(t, m))
	if v["From"] != mu || v["Forwarded-By"] != mu {
		t.Fatalf("empty From-Process: From=%v Forwarded-By=%v", v["From"], v["Forwarded-By"])
	}
}

// TestDryRunAoconnectBody reproduces the dry-run msg the CU's
// domain/api/dryRun.js builds (checked by running it) for aoconnect's body.
func TestDryRunAoconnectBody(t *testing.T) {
	tags := []Tag{{"Action", "Balance"}, {"Data-Protocol", "ao"}, {"Type", "Message"}, {"Variant", "ao.TN.1"}}
	d := DryRun{ID: Str("1234"), Owner: "1234", Target: Str(pid43), Data: Str("1234"), Tags: tags, Anchor: Str("0")}
	got := string(mustJSON(t, d.Msg(pid43, 1730000000123, 1500001)))
	want := `{"Id":"1234","Data":"1234","Owner":"1234","Target":"` + pid43 + `","Anchor":"0","From":"1234","Tags":[{"name":"Action","value":"Balance"},{"name":"Data-Protocol","value":"ao"},{"name":"Type","value":"Message"},{"name":"Variant","value":"ao.TN.1"}],"Timestamp":1730000000123,"Block-Height":1500001,"Cron":false,"Read-Only":true}`
	if got != want {
		t.Fatalf("dry-run\n got %s\nwant %s", got, want)
	}
	// The body may override the defaults.
	d.Timestamp, d.Height = Int(7), Int(8)
	v := fields(t, mustJSON(t, d.Msg(pid43, 1, 2)))
	if v["Timestamp"] != 7.0 || v["Block-Height"] != 8.0 {
		t.Fatalf("overrides ignored: %v %v", v["Timestamp"], v["Block-Height"])
	}
}

func TestCronMessage(t *testing.T) {
	c := CronTick{ProcessID: pid43, ProcessOwner: own43, Tags: []Tag{{"Action", "Cron"}, {"Owner", "x"}}, Timestamp: 1730000060000, Height: 1500002}
	got := string(mustJSON(t, c.Msg()))
	want := `{"Owner":"` + own43 + `","Target":"` + pid43 + `","From":"` + own43 + `","Tags":[{"name":"Action","value":"Cron"}],"Timestamp":1730000060000,"Block-Height":1500002,"Cron":true,"Read-Only":false}`
	if got != want {
		t.Fatalf("cron\n got %s\nwant %s", got, want)
	}
}

func TestRequiredFields(t *testing.T) {
	m := Msg{Target: pid43, From: "x"}
	if _, err := m.JSON(); err == nil || !strings.Contains(err.Error(), "Owner") {
		t.Fatalf("empty Owner: err = %v", err)
	}
	m = Msg{Owner: "x", Target: pid43}
	if _, err := m.JSON(); err == nil || !strings.Contains(err.Error(), "From") {
		t.Fatalf("empty From: err = %v", err)
	}
}

func TestNumbersBeyondSafeIntegers(t *testing.T) {
	// parseInt("9007199254740993") is 9007199254740992 in JavaScript, and
	// 2^60 prints as 1152921504606847000.
	for n, want := range map[int64]string{
		9007199254740993:    "9007199254740992",
		1 << 60:             "1152921504606847000",
		-(1 << 53):          "-9007199254740992",
		1730000000000:       "1730000000000",
		9223372036854775807: "9223372036854776000",
	} {
		if got := string(AppendNumber(nil, n)); got != want {
			t.Errorf("AppendNumber(%d) = %s, want %s", n, got, want)
		}
	}
}
