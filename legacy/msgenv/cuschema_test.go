package msgenv

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"aonode/internal/nodejs"
	"aonode/internal/npmenv"
)

// cuCase is one message as the CU receives it, in two forms: the raw
// inputs for testdata/cuschema.mjs (which rebuilds the CU's object and runs
// it through zod), and the msgenv value the Go side builds from the same
// inputs.
type cuCase struct {
	name string
	js   map[string]any
	msg  Msg
}

// jsNull is the marker cuschema.mjs turns into null.
func jsNull() map[string]bool { return map[string]bool{"null": true} }

func tagsJS(tags []Tag) []map[string]string {
	out := make([]map[string]string, len(tags))
	for i, t := range tags {
		out[i] = map[string]string{"name": t.Name, "value": t.Value}
	}
	return out
}

func cuCases() (env Env, cases []cuCase) {
	env = Env{
		Process: Entity{ID: pid43, Owner: own43, Tags: []Tag{{"Data-Protocol", "ao"}, {"Type", "Process"}, {"Owner", "kept in env"}, {"Name", "ünï <&> \u2028"}}},
		Module:  Entity{ID: mod43, Owner: "module-signer", Tags: []Tag{{"Data-Protocol", "ao"}, {"Module-Format", "wasm64-unknown-emscripten-draft_2024_02_15"}}},
	}
	mu := strings.Repeat("U", 43)
	awkward := "line\nbreak \"quoted\" \\ <script>&</script> \u2028\u2029 \x01\x1f\x7f 日本 😀"
	userTags := []Tag{{"Action", "Eval"}, {"From", "spoof"}, {"Owner", "spoof"}, {"Note", awkward}, {"Data-Protocol", "ao"}}
	pushedTags := []Tag{{"Action", "Transfer"}, {"From-Process", "QQQ"}, {"Pushed-For", "R"}, {"From-Process", "second"}}
	anchor := strings.Repeat("a", 32)

	sched := func(name, id, owner string, tags []Tag, data *string, anc *string, nonce int64) cuCase {
		js := map[string]any{"kind": "scheduled", "id": id, "signature": "sig-" + id, "owner": owner, "process": pid43,
			"tags": tagsJS(tags), "epoch": "0", "nonce": strconv.FormatInt(nonce, 10), "timestamp": "1730000000123",
			"height": "000001500000", "hashChain": hc43}
		if data == nil {
			js["data"] = jsNull()
		} else {
			js["data"] = *data
		}
		if anc == nil {
			js["anchor"] = jsNull()
		} else {
			js["anchor"] = *anc
		}
		return cuCase{name, js, Scheduled{ID: id, Signature: "sig-" + id, Owner: owner, Target: pid43, Anchor: anc, Tags: tags,
			Data: data, Epoch: 0, Nonce: nonce, Timestamp: 1730000000123, Height: 1500000, HashChain: Str(hc43)}.Msg()}
	}
	cases = append(cases,
		sched("spawn", pid43, own43, env.Process.Tags, nil, nil, 0),
		sched("wallet", id43, own43, userTags, ptr(awkward), nil, 1),
		sched("wallet-anchor", id43, own43, userTags, ptr(""), ptr(anchor), 2),
		sched("pushed", id43, mu, pushedTags, ptr("{\"a\":1}"), ptr(anchor), 3),
		sched("pushed-empty-from", id43, mu, []Tag{{"From-Process", ""}}, ptr("x"), nil, 4),
	)
	cases = append(cases, cuCase{"coldstart", map[string]any{"kind": "coldstart", "id": pid43, "signature": "sig", "owner": own43,
		"anchor": jsNull(), "tags": tagsJS(env.Process.Tags), "data": "1984", "timestamp": 1729999999000, "height": 1499999},
		ColdStart{ID: pid43, Signature: Str("sig"), Owner: own43, Anchor: Null(), Tags: env.Process.Tags, Data: "1984",
			Timestamp: 1729999999000, Height: 1499999}.Msg()})
	cases = append(cases, cuCase{"coldstart-no-anchor", map[string]any{"kind": "coldstart", "id": pid43, "signature": "sig", "owner": own43,
		"tags": tagsJS(env.Process.Tags), "data": "", "timestamp": 1729999999000, "height": 1499999},
		ColdStart{ID: pid43, Signature: Str("sig"), Owner: own43, Tags: env.Process.Tags, Timestamp: 1729999999000, Height: 1499999}.Msg()})
	cronTags := []Tag{{"Action", "Tick"}, {"Owner", "x"}}
	cases = append(cases, cuCase{"cron", map[string]any{"kind": "cron", "owner": own43, "process": pid43, "tags": tagsJS(cronTags),
		"timestamp": 1730000060000, "height": 1500002},
		CronTick{ProcessID: pid43, ProcessOwner: own43, Tags: cronTags, Timestamp: 1730000060000, Height: 1500002}.Msg()})
	for _, exclude := range []bool{false, true} {
		name := "assignment"
		if exclude {
			name += "-exclude-data"
		}
		cases = append(cases, cuCase{name, map[string]any{"kind": "assignment", "id": id43, "signature": "sig", "owner": own43,
			"recipient": "", "anchor": "", "tags": tagsJS(userTags), "data": awkward, "excludeData": exclude,
			"epoch": "0", "nonce": "7", "timestamp": "1730000000999", "height": "000001500003", "hashChain": hc43},
			Assigned{ID: id43, Signature: "sig", Owner: own43, Recipient: "", Anchor: Str(""), Tags: userTags, Data: awkward,
				ExcludeData: exclude, Nonce: 7, Timestamp: 1730000000999, Height: 1500003, HashChain: Str(hc43)}.Msg()})
	}
	dryTags := []Tag{{"Action", "Balance"}, {"Data-Protocol", "ao"}, {"Type", "Message"}, {"Variant", "ao.TN.1"}}
	cases = append(cases, cuCase{"dryrun", map[string]any{"kind": "dryrun", "process": pid43, "lastTimestamp": 1730000000123,
		"lastHeight": 1500001, "body": map[string]any{"Id": "1234", "Owner": "1234", "Target": pid43, "Data": "1234",
			"Tags": tagsJS(dryTags), "Anchor": "0"}},
		DryRun{ID: Str("1234"), Owner: "1234", Target: Str(pid43), Data: Str("1234"), Tags: dryTags, Anchor: Str("0")}.Msg(pid43, 1730000000123, 1500001)})
	cases = append(cases, cuCase{"dryrun-overrides", map[string]any{"kind": "dryrun", "process": pid43, "lastTimestamp": 1,
		"lastHeight": 2, "body": map[string]any{"Owner": "me", "Tags": tagsJS([]Tag{{"From-Process", "PP"}}), "Timestamp": 99, "Block-Height": 98}},
		DryRun{Owner: "me", Tags: []Tag{{"From-Process", "PP"}}, Timestamp: Int(99), Height: Int(98)}.Msg(pid43, 1, 2)})
	return env, cases
}

// TestMatchesCUSchema compares every case's bytes with the CU's own
// construction and zod parse (testdata/cuschema.mjs with zod 3.24.1, the
// version in the CU's lockfile), and the env likewise.
func TestMatchesCUSchema(t *testing.T) {
	dir, err := npmenv.Install("msgenv-zod", []string{"zod@3.24.1"}, npmenv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	script, err := npmenv.CopyScript(dir, "testdata/cuschema.mjs")
	if err != nil {
		t.Fatal(err)
	}
	env, cases := cuCases()
	envJS := map[string]any{
		"Process": map[string]any{"Id": env.Process.ID, "Owner": env.Process.Owner, "Tags": tagsJS(env.Process.Tags)},
		"Module":  map[string]any{"Id": env.Module.ID, "Owner": env.Module.Owner, "Tags": tagsJS(env.Module.Tags)},
	}
	var in bytes.Buffer
	for _, c := range cases {
		c.js["env"] = envJS
		b, err := json.Marshal(c.js)
		if err != nil {
			t.Fatal(err)
		}
		in.Write(b)
		in.WriteByte('\n')
	}
	out, err := nodejs.Run{Args: []string{script}, Stdin: &in}.Output()
	if err != nil {
		t.Fatalf("cuschema.mjs: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("cuschema.mjs gave %d lines for %d cases", len(lines), len(cases))
	}
	wantEnv := string(env.JSON())
	for i, c := range cases {
		var want struct{ Msg, Env string }
		if err := json.Unmarshal([]byte(lines[i]), &want); err != nil {
			t.Fatal(err)
		}
		got, err := c.msg.JSON()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if string(got) != want.Msg {
			t.Errorf("%s: msg differs from the CU's\n got %s\nwant %s", c.name, got, want.Msg)
		}
		if wantEnv != want.Env {
			t.Errorf("%s: env differs from the CU's\n got %s\nwant %s", c.name, wantEnv, want.Env)
		}
	}
}
