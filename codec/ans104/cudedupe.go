package ans104

import (
	"encoding/binary"
	"unicode/utf8"
)

// CUDedupeHash is the legacy compute unit's fingerprint of a forwarded
// message (servers/cu hydrateMessages.js maybeMessageIdWith), reproduced
// byte for byte. The CU rebuilds the message with arbundles' createData
// using a type-1 "signer" whose owner is empty (ownerLength 0), then calls
// getSignatureData on it. arbundles' DataItem, however, always reads a
// type-1 owner as 512 bytes, so the deep hash is taken over a misframed
// view of that buffer: the "owner" is the next 512 bytes (target, anchor,
// tags and data), and target, anchor, tags and data are then read from
// offset 1026 on, mostly past the end. Duplicates still collide (the
// buffer is a function of target, anchor, tags and data), which is all the
// CU needs; aonode reproduces it exactly so the two agree.
//
// Inputs are the message as the CU sees it: data that is not valid UTF-8
// (which the SU reports as null) becomes empty, as does an anchor that is
// not valid UTF-8; tags are re-encoded in order, Pushed-For included.
func CUDedupeHash(d *DataItem) [48]byte {
	data := d.Data
	if !utf8.Valid(data) {
		data = nil
	}
	anchor := d.Anchor
	if !utf8.Valid(anchor) {
		anchor = nil
	}
	// createData's buffer: u16 type 1, 512 zero signature bytes, no owner.
	tags := EncodeTags(d.Tags)
	b := make([]byte, 0, 2+512+2+len(d.Target)+len(anchor)+16+len(tags)+len(data))
	b = binary.LittleEndian.AppendUint16(b, SigArweave)
	b = append(b, make([]byte, 512)...)
	b = appendAfterOwner(b, d.Target, anchor, len(d.Tags), tags, data)
	return arbundlesSignatureData(b, 512, 512)
}

// arbundlesSignatureData is arbundles' DataItem.getSignatureData over b for
// a signature type whose lengths it takes as sigLen and ownerLen, with
// JavaScript's out-of-range semantics: bytes past the end read as absent,
// subarray bounds clamp to the buffer, and the 8-byte tag length is summed
// in float64 like byteArrayToLong.
func arbundlesSignatureData(b []byte, sigLen, ownerLen int) [48]byte {
	sub := func(start, end float64) []byte {
		n := float64(len(b))
		start, end = min(max(start, 0), n), min(max(end, 0), n)
		if end <= start {
			return nil
		}
		return b[int(start):int(end)]
	}
	at := func(i int) byte {
		if i < len(b) {
			return b[i]
		}
		return 0
	}
	owner := sub(2+float64(sigLen), 2+float64(sigLen+ownerLen))
	targetStart := 2 + sigLen + ownerLen
	var target, anchor []byte
	anchorStart := targetStart + 1
	if at(targetStart) == 1 {
		target = sub(float64(targetStart+1), float64(targetStart+33))
		anchorStart += 32
	}
	tagsStart := anchorStart + 1
	if at(anchorStart) == 1 {
		anchor = sub(float64(anchorStart+1), float64(anchorStart+33))
		tagsStart += 32
	}
	var tagLen float64
	lenBytes := sub(float64(tagsStart+8), float64(tagsStart+16))
	for i := len(lenBytes) - 1; i >= 0; i-- {
		tagLen = tagLen*256 + float64(lenBytes[i])
	}
	tagBytes := sub(float64(tagsStart+16), float64(tagsStart+16)+tagLen)
	data := sub(float64(tagsStart+16)+tagLen, float64(len(b)))
	return DeepHashList([]byte("dataitem"), []byte("1"), []byte("1"), owner, target, anchor, tagBytes, data)
}
