package ans104

import (
	"cmp"
	"slices"
	"strconv"
)

// DedupeHash is the legacy SU's message fingerprint for pushed messages
// (bytes.rs DataItem::deep_hash): the item's deep hash computed as if it
// were signature type 1 with an empty owner, with every "Pushed-For" tag
// removed and — when sorted — the rest ordered by (name, value). Two pushes
// of one outbox message by different MUs share it. sorted=true is the
// SU's deep-hash version "1.0"; false is the older unsorted form.
//
// As in the SU, the remaining tags are re-encoded (not taken from the raw
// tag bytes), and an item that had tags but only Pushed-For ones encodes
// its tags as the one-byte empty Avro array.
func DedupeHash(d *DataItem, sorted bool) [48]byte {
	var tagBytes []byte
	if len(d.Tags) > 0 {
		kept := make([]Tag, 0, len(d.Tags))
		for _, t := range d.Tags {
			if t.Name != "Pushed-For" {
				kept = append(kept, t)
			}
		}
		if sorted {
			slices.SortStableFunc(kept, func(a, b Tag) int {
				return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Value, b.Value))
			})
		}
		tagBytes = appendAvroTags(nil, kept)
	}
	return DeepHashList([]byte("dataitem"), []byte("1"), []byte(strconv.Itoa(SigArweave)),
		nil, d.Target, d.Anchor, tagBytes, d.Data)
}
