package ans104

import (
	"fmt"
)

// Tag is one ANS-104 tag. Names and values are Avro strings; they are kept
// as Go strings holding the exact bytes (not checked for UTF-8), so any
// tag a client signed round-trips byte for byte.
type Tag struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// MaxTagBytes is the largest encoded tag section an item may carry
// (arbundles MAX_TAG_BYTES).
const MaxTagBytes = 4096

// EncodeTags writes tags as one Avro datum of the schema
// array<record{name: string, value: string}>: a single block (count, then
// each name and value as length-prefixed bytes) closed by a zero count.
// No tags encode to no bytes at all, as arbundles does.
func EncodeTags(tags []Tag) []byte {
	if len(tags) == 0 {
		return nil
	}
	return appendAvroTags(nil, tags)
}

// appendAvroTags writes the Avro array datum, including the lone 0x00 that
// an empty array encodes to.
func appendAvroTags(b []byte, tags []Tag) []byte {
	if len(tags) > 0 {
		b = appendLong(b, int64(len(tags)))
		for _, t := range tags {
			b = appendLong(b, int64(len(t.Name)))
			b = append(b, t.Name...)
			b = appendLong(b, int64(len(t.Value)))
			b = append(b, t.Value...)
		}
	}
	return append(b, 0)
}

// appendLong appends v as an Avro long: zig-zag, then base-128 varint.
func appendLong(b []byte, v int64) []byte {
	u := uint64(v<<1) ^ uint64(v>>63)
	for u >= 0x80 {
		b = append(b, byte(u)|0x80)
		u >>= 7
	}
	return append(b, byte(u))
}

// readLong reads an Avro long at b[*pos], advancing *pos.
func readLong(b []byte, pos *int, field string) (int64, error) {
	var u uint64
	for shift := uint(0); ; shift += 7 {
		if *pos >= len(b) {
			return 0, fmt.Errorf("ans104: tags: %s: truncated varint", field)
		}
		c := b[*pos]
		*pos++
		if shift == 63 && c > 1 {
			return 0, fmt.Errorf("ans104: tags: %s: varint overflows 64 bits", field)
		}
		u |= uint64(c&0x7f) << shift
		if c < 0x80 {
			break
		}
	}
	return int64(u>>1) ^ -int64(u&1), nil
}

// readString reads an Avro string (long length, then bytes): the name
// or value of tag i.
func readString(b []byte, pos *int, i int, part string) (string, error) {
	start := *pos
	n, err := readLong(b, pos, "")
	if err != nil {
		*pos = start
		_, err = readLong(b, pos, fmt.Sprintf("tag %d %s length", i, part))
		return "", err
	}
	if n < 0 {
		return "", fmt.Errorf("ans104: tags: tag %d %s length is negative (%d)", i, part, n)
	}
	if n > int64(len(b)-*pos) {
		return "", fmt.Errorf("ans104: tags: tag %d %s length %d exceeds the %d bytes left", i, part, n, len(b)-*pos)
	}
	s := string(b[*pos : *pos+int(n)])
	*pos += int(n)
	return s, nil
}

// DecodeTags parses an Avro tag array as written by EncodeTags or any Avro
// writer: several blocks are allowed, and a negative block count (followed
// by the block's byte size) is read as its absolute value. Empty input is
// zero tags. Trailing bytes after the closing zero count are an error.
func DecodeTags(b []byte) ([]Tag, error) {
	if len(b) == 0 {
		return nil, nil
	}
	var tags []Tag
	pos := 0
	for {
		count, err := readLong(b, &pos, "block count")
		if err != nil {
			return nil, err
		}
		if count == 0 {
			break
		}
		if count < 0 {
			if count == -1<<63 {
				return nil, fmt.Errorf("ans104: tags: block count out of range")
			}
			count = -count
			size, err := readLong(b, &pos, "block size")
			if err != nil {
				return nil, err
			}
			if size < 0 || size > int64(len(b)-pos) {
				return nil, fmt.Errorf("ans104: tags: block size %d exceeds the %d bytes left", size, len(b)-pos)
			}
		}
		// Each tag takes at least two bytes (two zero lengths): bound the
		// count by what is left before growing the slice.
		if count > int64(len(b)-pos)/2 {
			return nil, fmt.Errorf("ans104: tags: block count %d exceeds what %d bytes can hold", count, len(b)-pos)
		}
		if tags == nil {
			tags = make([]Tag, 0, count)
		}
		for i := int64(0); i < count; i++ {
			name, err := readString(b, &pos, len(tags), "name")
			if err != nil {
				return nil, err
			}
			value, err := readString(b, &pos, len(tags), "value")
			if err != nil {
				return nil, err
			}
			tags = append(tags, Tag{Name: name, Value: value})
		}
	}
	if pos != len(b) {
		return nil, fmt.Errorf("ans104: tags: %d trailing bytes after the array", len(b)-pos)
	}
	return tags, nil
}
