package schedulerdev_test

import (
	"io"
	"net/http"
	"strconv"
	"testing"
)

// BenchmarkSchedulePage reads a full 1000-assignment page over HTTP in
// the aos-2 form through the device engine (each entry: the assignment
// record, the message item decoded and rendered as SU JSON, and the
// page's message value built beside the JSON).
func BenchmarkSchedulePage(b *testing.B) {
	f := newFixture(b)
	pid := f.fill(b, 1000, func(i int) string { return "message " + strconv.Itoa(i) }, "Action", "Eval")
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
