package ans104

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
)

// MinItemSize is the smallest valid encoded item (arbundles
// MIN_BINARY_SIZE).
const MinItemSize = 80

// DefaultMaxItemSize is the item size limit Decode applies: 10 MiB, the
// legacy SU's request body limit.
const DefaultMaxItemSize = 10 << 20

// DataItem is an ANS-104 data item. Target and Anchor are either empty or
// exactly 32 bytes. Items returned by Decode alias the input buffer.
type DataItem struct {
	SignatureType int
	Signature     []byte
	Owner         []byte
	Target        []byte
	Anchor        []byte
	Tags          []Tag
	Data          []byte

	// rawTags are the tag bytes as decoded, which the signature covers;
	// they stay in use while Tags equals decodedTags.
	rawTags     []byte
	decodedTags []Tag
}

// TagBytes returns the encoded tag section that the signature covers: the
// exact bytes the item was decoded from while Tags is unchanged, otherwise
// EncodeTags(Tags).
func (d *DataItem) TagBytes() []byte {
	if d.rawTags != nil && slices.Equal(d.Tags, d.decodedTags) {
		return d.rawTags
	}
	return EncodeTags(d.Tags)
}

// RawID is SHA-256 of the signature.
func (d *DataItem) RawID() [32]byte { return sha256.Sum256(d.Signature) }

// ID is the item's ID: base64url-nopad(SHA-256(signature)); "" while the
// item is unsigned.
func (d *DataItem) ID() string {
	if len(d.Signature) == 0 {
		return ""
	}
	id := d.RawID()
	return base64.RawURLEncoding.EncodeToString(id[:])
}

// Tag returns the value of the first tag named name.
func (d *DataItem) Tag(name string) (string, bool) {
	for _, t := range d.Tags {
		if t.Name == name {
			return t.Value, true
		}
	}
	return "", false
}

// Decode parses an encoded data item of at most DefaultMaxItemSize bytes.
// It checks the layout, not the signature (see Verify).
func Decode(b []byte) (*DataItem, error) { return DecodeMax(b, DefaultMaxItemSize) }

// DecodeMax is Decode with an explicit size limit in bytes.
func DecodeMax(b []byte, maxSize int) (*DataItem, error) {
	if len(b) < MinItemSize {
		return nil, fmt.Errorf("ans104: item is %d bytes, minimum %d", len(b), MinItemSize)
	}
	if len(b) > maxSize {
		return nil, fmt.Errorf("ans104: item is %d bytes, limit %d", len(b), maxSize)
	}
	d := &DataItem{SignatureType: int(binary.LittleEndian.Uint16(b))}
	sigLen, ok := SignatureLength(d.SignatureType)
	if !ok {
		return nil, fmt.Errorf("ans104: signature type %d is unknown", d.SignatureType)
	}
	ownerLen, _ := OwnerLength(d.SignatureType)
	pos := 2
	take := func(n int, field string) ([]byte, error) {
		if n > len(b)-pos {
			return nil, fmt.Errorf("ans104: %s needs %d bytes, %d left", field, n, len(b)-pos)
		}
		s := b[pos : pos+n : pos+n]
		pos += n
		return s, nil
	}
	var err error
	if d.Signature, err = take(sigLen, "signature"); err != nil {
		return nil, err
	}
	if d.Owner, err = take(ownerLen, "owner"); err != nil {
		return nil, err
	}
	if d.Target, err = optional32(take, "target"); err != nil {
		return nil, err
	}
	if d.Anchor, err = optional32(take, "anchor"); err != nil {
		return nil, err
	}
	hdr, err := take(16, "tag header")
	if err != nil {
		return nil, err
	}
	nTags := binary.LittleEndian.Uint64(hdr)
	nTagBytes := binary.LittleEndian.Uint64(hdr[8:])
	if nTagBytes > MaxTagBytes {
		return nil, fmt.Errorf("ans104: tag bytes %d exceed the limit %d", nTagBytes, MaxTagBytes)
	}
	raw, err := take(int(nTagBytes), "tags")
	if err != nil {
		return nil, err
	}
	tags, err := DecodeTags(raw)
	if err != nil {
		return nil, err
	}
	if uint64(len(tags)) != nTags {
		return nil, fmt.Errorf("ans104: tag count header says %d, tag bytes hold %d", nTags, len(tags))
	}
	d.Tags, d.rawTags, d.decodedTags = tags, raw, slices.Clone(tags)
	d.Data = b[pos:len(b):len(b)]
	return d, nil
}

// optional32 reads a presence flag (0 or 1) and, when 1, 32 bytes.
func optional32(take func(int, string) ([]byte, error), field string) ([]byte, error) {
	flag, err := take(1, field+" flag")
	if err != nil {
		return nil, err
	}
	switch flag[0] {
	case 0:
		return nil, nil
	case 1:
		return take(32, field)
	}
	return nil, fmt.Errorf("ans104: %s flag is %d, want 0 or 1", field, flag[0])
}

// checkShape validates the fields Encode and the signing code rely on.
func (d *DataItem) checkShape(signed bool) error {
	sigLen, ok := SignatureLength(d.SignatureType)
	if !ok {
		return fmt.Errorf("ans104: signature type %d is unknown", d.SignatureType)
	}
	ownerLen, _ := OwnerLength(d.SignatureType)
	if signed && len(d.Signature) != sigLen {
		return fmt.Errorf("ans104: signature is %d bytes, type %d needs %d", len(d.Signature), d.SignatureType, sigLen)
	}
	if len(d.Owner) != ownerLen {
		return fmt.Errorf("ans104: owner is %d bytes, type %d needs %d", len(d.Owner), d.SignatureType, ownerLen)
	}
	if n := len(d.Target); n != 0 && n != 32 {
		return fmt.Errorf("ans104: target is %d bytes, want 0 or 32", n)
	}
	if n := len(d.Anchor); n != 0 && n != 32 {
		return fmt.Errorf("ans104: anchor is %d bytes, want 0 or 32", n)
	}
	if n := len(d.TagBytes()); n > MaxTagBytes {
		return fmt.Errorf("ans104: tags encode to %d bytes, limit %d", n, MaxTagBytes)
	}
	return nil
}

// appendAfterOwner appends what follows the owner in the ANS-104 layout:
// the optional target and anchor (a presence byte, then the 32 bytes), the
// tag count and tag bytes' length (u64 little-endian), the tags, the data.
func appendAfterOwner(b, target, anchor []byte, ntags int, tags, data []byte) []byte {
	for _, f := range [][]byte{target, anchor} {
		if len(f) == 0 {
			b = append(b, 0)
		} else {
			b = append(append(b, 1), f...)
		}
	}
	b = binary.LittleEndian.AppendUint64(b, uint64(ntags))
	b = binary.LittleEndian.AppendUint64(b, uint64(len(tags)))
	return append(append(b, tags...), data...)
}

// Encode serialises a signed item in the ANS-104 binary layout.
func (d *DataItem) Encode() ([]byte, error) {
	if err := d.checkShape(true); err != nil {
		return nil, err
	}
	tags := d.TagBytes()
	n := 2 + len(d.Signature) + len(d.Owner) + 2 + len(d.Target) + len(d.Anchor) + 16 + len(tags) + len(d.Data)
	b := make([]byte, 0, n)
	b = binary.LittleEndian.AppendUint16(b, uint16(d.SignatureType))
	b = append(b, d.Signature...)
	b = append(b, d.Owner...)
	b = appendAfterOwner(b, d.Target, d.Anchor, len(d.Tags), tags, d.Data)
	if len(b) < MinItemSize {
		return nil, fmt.Errorf("ans104: item encodes to %d bytes, minimum %d", len(b), MinItemSize)
	}
	return b, nil
}
