package ans104

import (
	"crypto/sha512"
	"strconv"
)

// DeepHashBlob is Arweave's deep hash of one byte string:
// SHA-384(SHA-384("blob" ‖ decimal(len(b))) ‖ SHA-384(b)).
func DeepHashBlob(b []byte) [48]byte {
	tag := sha512.Sum384(append([]byte("blob"), strconv.Itoa(len(b))...))
	data := sha512.Sum384(b)
	return sha512.Sum384(append(tag[:], data[:]...))
}

// DeepHashList is the deep hash of a flat list of byte strings:
// acc = SHA-384("list" ‖ decimal(n)), then acc = SHA-384(acc ‖
// DeepHashBlob(e)) for each element. ANS-104 only ever hashes flat lists.
func DeepHashList(elems ...[]byte) [48]byte {
	acc := sha512.Sum384(append([]byte("list"), strconv.Itoa(len(elems))...))
	var buf [96]byte
	for _, e := range elems {
		h := DeepHashBlob(e)
		copy(buf[:48], acc[:])
		copy(buf[48:], h[:])
		acc = sha512.Sum384(buf[:])
	}
	return acc
}
