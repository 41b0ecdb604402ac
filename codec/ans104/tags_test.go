package ans104

import (
	"strings"
	"testing"
)

func TestTagsRoundTrip(t *testing.T) {
	tags := []Tag{{"a", "b"}, {"", ""}, {"Name", strings.Repeat("v", 300)}, {"\x00\xff", "ü"}}
	b := EncodeTags(tags)
	got, err := DecodeTags(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(tags) {
		t.Fatalf("%d tags", len(got))
	}
	for i := range tags {
		if got[i] != tags[i] {
			t.Errorf("tag %d: %q", i, got[i])
		}
	}
	if EncodeTags(nil) != nil {
		t.Error("no tags must encode to no bytes")
	}
	if got, err := DecodeTags([]byte{0}); err != nil || len(got) != 0 {
		t.Errorf("empty array: %v %v", got, err)
	}
}

func TestTagsAvroEncodingBytes(t *testing.T) {
	// Avro spec: long 1 -> 0x02, string "ab" -> 0x04 'a' 'b'; block count 1,
	// record {name:"ab", value:""}, terminator 0.
	b := EncodeTags([]Tag{{"ab", ""}})
	want := []byte{0x02, 0x04, 'a', 'b', 0x00, 0x00}
	if string(b) != string(want) {
		t.Errorf("% x, want % x", b, want)
	}
	// 64 encodes as zig-zag 128 -> 0x80 0x01.
	if got := appendLong(nil, 64); string(got) != "\x80\x01" {
		t.Errorf("long 64: % x", got)
	}
	if got := appendLong(nil, -1); string(got) != "\x01" {
		t.Errorf("long -1: % x", got)
	}
}

func TestTagsNegativeBlockCountAndBlocks(t *testing.T) {
	// Two blocks: the first with count -1 and its byte size, the second with
	// count 1; then the terminator.
	rec := func(n, v string) []byte {
		b := appendLong(nil, int64(len(n)))
		b = append(b, n...)
		b = appendLong(b, int64(len(v)))
		return append(b, v...)
	}
	r1 := rec("x", "1")
	var b []byte
	b = appendLong(b, -1)
	b = appendLong(b, int64(len(r1)))
	b = append(b, r1...)
	b = appendLong(b, 1)
	b = append(b, rec("y", "2")...)
	b = append(b, 0)
	got, err := DecodeTags(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (Tag{"x", "1"}) || got[1] != (Tag{"y", "2"}) {
		t.Errorf("%v", got)
	}
}

func TestTagsErrors(t *testing.T) {
	for _, c := range []struct {
		in   []byte
		want string
	}{
		{[]byte{0x02}, "block count 1 exceeds what 0 bytes"},
		{[]byte{0x02, 0x03, 0x00}, "tag 0 name length is negative"},
		{[]byte{0x02, 0x80}, "block count 1 exceeds what 1 bytes"},
		{[]byte{0x02, 0x80, 0x80}, "tag 0 name length: truncated"},
		{[]byte{0x02, 0x10, 'a'}, "tag 0 name length 8 exceeds"},
		{[]byte{0x02, 0x00, 0x00}, "block count: truncated"},
		{[]byte{0x00, 0x00}, "1 trailing bytes"},
		{[]byte{0xfe, 0xff, 0xff, 0xff, 0x0f, 0, 0}, "block count 2147483647 exceeds"},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, "overflows"},
		{[]byte{0x01, 0x7e}, "block size 63 exceeds"},
	} {
		_, err := DecodeTags(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("% x: %v, want %q", c.in, err, c.want)
		}
	}
}
