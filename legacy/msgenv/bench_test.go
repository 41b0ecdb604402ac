package msgenv

import (
	"strings"
	"testing"
)

// BenchmarkScheduledJSON builds the msg bytes of a typical wallet message
// with a 683-character signature and 1 KiB of data.
func BenchmarkScheduledJSON(b *testing.B) {
	data := strings.Repeat("héllo <world> ", 73)
	s := Scheduled{ID: id43, Signature: strings.Repeat("S", 683), Owner: own43, Target: pid43,
		Tags: []Tag{{"Action", "Transfer"}, {"Recipient", own43}, {"Quantity", "1000"}, {"Data-Protocol", "ao"}, {"Type", "Message"}},
		Data: &data, Nonce: 12, Timestamp: 1730000000000, Height: 1500000, HashChain: Str(hc43)}
	b.ReportAllocs()
	for b.Loop() {
		m := s.Msg()
		if _, err := m.JSON(); err != nil {
			b.Fatal(err)
		}
	}
}
