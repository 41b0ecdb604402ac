package ans104

import (
	"encoding/binary"
	"fmt"
)

// Bundle layout (ANS-104 binary bundles): a 32-byte little-endian item
// count N, N 64-byte headers (32-byte little-endian item size, then the
// item's raw 32-byte ID), then the items back to back.
const (
	bundleCountSize  = 32
	bundleHeaderSize = 64
)

// EncodeBundle serialises signed items into a binary bundle.
func EncodeBundle(items []*DataItem) ([]byte, error) {
	encoded := make([][]byte, len(items))
	total := bundleCountSize + bundleHeaderSize*len(items)
	for i, it := range items {
		b, err := it.Encode()
		if err != nil {
			return nil, fmt.Errorf("ans104: bundle item %d: %w", i, err)
		}
		encoded[i] = b
		total += len(b)
	}
	out := make([]byte, bundleCountSize, total)
	binary.LittleEndian.PutUint64(out, uint64(len(items)))
	for i, it := range items {
		var size [32]byte
		binary.LittleEndian.PutUint64(size[:], uint64(len(encoded[i])))
		id := it.RawID()
		out = append(append(out, size[:]...), id[:]...)
	}
	for _, b := range encoded {
		out = append(out, b...)
	}
	return out, nil
}

// le256 reads a 32-byte little-endian integer that must fit in 63 bits.
func le256(b []byte, field string) (int64, error) {
	for _, c := range b[8:32] {
		if c != 0 {
			return 0, fmt.Errorf("ans104: bundle: %s does not fit in 64 bits", field)
		}
	}
	v := binary.LittleEndian.Uint64(b)
	if v > 1<<62 {
		return 0, fmt.Errorf("ans104: bundle: %s %d is out of range", field, v)
	}
	return int64(v), nil
}

// DecodeBundle parses a binary bundle, decoding each item (each at most
// maxItemSize bytes; 0 means DefaultMaxItemSize) and checking that every
// header ID equals its item's ID and that no bytes trail the last item.
// Items alias b. Signatures are not checked: see VerifyBundle.
func DecodeBundle(b []byte, maxItemSize int) ([]*DataItem, error) {
	if maxItemSize <= 0 {
		maxItemSize = DefaultMaxItemSize
	}
	if len(b) < bundleCountSize {
		return nil, fmt.Errorf("ans104: bundle is %d bytes, shorter than its %d-byte count", len(b), bundleCountSize)
	}
	n, err := le256(b, "item count")
	if err != nil {
		return nil, err
	}
	if n > int64((len(b)-bundleCountSize)/bundleHeaderSize) {
		return nil, fmt.Errorf("ans104: bundle: item count %d needs more header bytes than the %d-byte bundle has", n, len(b))
	}
	pos := int64(bundleCountSize + bundleHeaderSize*n)
	items := make([]*DataItem, 0, n)
	for i := int64(0); i < n; i++ {
		h := b[bundleCountSize+bundleHeaderSize*i:][:bundleHeaderSize]
		size, err := le256(h, fmt.Sprintf("item %d size", i))
		if err != nil {
			return nil, err
		}
		if size > int64(len(b))-pos {
			return nil, fmt.Errorf("ans104: bundle: item %d size %d exceeds the %d bytes left", i, size, int64(len(b))-pos)
		}
		it, err := DecodeMax(b[pos:pos+size:pos+size], maxItemSize)
		if err != nil {
			return nil, fmt.Errorf("ans104: bundle item %d: %w", i, err)
		}
		if id := it.RawID(); string(id[:]) != string(h[32:]) {
			return nil, fmt.Errorf("ans104: bundle item %d: header ID does not match the item's ID %s", i, it.ID())
		}
		items = append(items, it)
		pos += size
	}
	if pos != int64(len(b)) {
		return nil, fmt.Errorf("ans104: bundle: %d trailing bytes after the last item", int64(len(b))-pos)
	}
	return items, nil
}

// VerifyBundle decodes a bundle and verifies every item's signature.
func VerifyBundle(b []byte, maxItemSize int) ([]*DataItem, error) {
	items, err := DecodeBundle(b, maxItemSize)
	if err != nil {
		return nil, err
	}
	for i, it := range items {
		if err := it.Verify(); err != nil {
			return nil, fmt.Errorf("ans104: bundle item %d: %w", i, err)
		}
	}
	return items, nil
}
