package scheduler_test

import (
	"io"
	"net/http"
	"strconv"
	"testing"

	"aonode/internal/testitem"
	core "aonode/scheduler"
)

// BenchmarkSchedulePage reads a full 1000-assignment page over HTTP in
// the aos-2 form through the device engine (each entry: the assignment
// record, the message item decoded and rendered as SU JSON, and the
// page's message value built beside the JSON).
func BenchmarkSchedulePage(b *testing.B) {
	f := newFixture(b)
	proc := f.item(b, "", "", "Data-Protocol", "ao", "Variant", "ao.TN.1", "Type", "Process", "Module", f.tn.Module)
	pid := proc.ID()
	if _, err := f.tn.Node.Scheduler.Schedule(pid, core.Message{ID: pid, Raw: testitem.Encode(b, proc)}); err != nil {
		b.Fatal(err)
	}
	for i := 1; i < 1000; i++ {
		it := f.item(b, pid, "message "+strconv.Itoa(i), "Action", "Eval")
		if _, err := f.tn.Node.Scheduler.Schedule(pid, core.Message{ID: it.ID(), Raw: testitem.Encode(b, it)}); err != nil {
			b.Fatal(err)
		}
	}
	req, _ := http.NewRequest("GET", f.tn.Server.URL+"/"+pid+"/schedule", nil)
	req.Header.Set("Accept", "application/aos-2")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("status %d", res.StatusCode)
		}
		b.SetBytes(n)
	}
}
