package schedulerdev

import (
	"encoding/json"
	"math"
	"testing"

	"aonode/ao"
	"aonode/codec/jsonmsg"
	"aonode/legacy/sujson"
)

// TestToValueIsJSONMsg: the value an answer carries is what jsonmsg
// reads from the JSON the answer renders, for every shape the device
// answers (slot, status, both page forms, a POST's assignment).
func TestToValueIsJSONMsg(t *testing.T) {
	anchor := "anchor <&>"
	item := sujson.Item{ID: "id", Owner: sujson.Owner{Address: "addr", Key: "key"}, Data: "data \uFFFD <b>",
		Tags: []sujson.Tag{{Name: "Action", Value: "Eval"}, {Name: "Action", Value: "twice"}}, Signature: "sig", Anchor: &anchor, Target: "t"}
	bare := sujson.Item{ID: "id2", Tags: []sujson.Tag{}}
	for name, body := range map[string]map[string]any{
		"slot":   {"process": "p", "current": uint64(7), "timestamp": int64(-3), "block-height": uint64(math.MaxInt64), "block-hash": zeroHash, "cache-control": "no-store"},
		"status": {"address": "a", "processes": []string{"p1", "p2"}},
		"empty":  {"address": "a", "processes": []string{}},
		"aos-2": {"page_info": map[string]any{"process": "p", "has_next_page": true, "timestamp": "12"},
			"edges": []map[string]any{{"cursor": uint64(0), "node": map[string]any{"message": any(item), "assignment": bare}},
				{"cursor": uint64(1), "node": map[string]any{"message": nil, "assignment": item}}}},
		"page": {"type": "schedule", "continues": false, "assignments": map[string]any{
			"0": map[string]any{"slot": uint64(0), "body": any(nil), "variant": "ao.TN.1"}, "1": map[string]any{"body": any(bare)}}},
		"post":  {"process": "p", "slot": uint64(1), "assignment": item},
		"other": {"unknown": struct{ A []int }{[]int{1, 2}}},
	} {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		want, err := jsonmsg.Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, ok := toValue(body).AsMessage()
		if !ok || !got.Equal(want) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, want)
		}
	}
	if v := toValue(uint64(math.MaxUint64)); v.Kind() != ao.KindFloat {
		t.Errorf("a uint64 past int64 is %v, want a float as jsonmsg reads it", v.Kind())
	}
}
