package lsp_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/leakls/leakls/lsp"
)

// BenchmarkDidChangeToDiagnostics measures the latency from a didChange to
// the publishDiagnostics of that version, on a 5,000-line file, with the
// server's default debounce. Each edit is sent once the previous one's
// diagnostics arrived, as single keystrokes come (a burst of edits is
// debounced: TestBurstOfEditsCoalesced).
// Each edit inserts or removes a line at the top, which moves every finding,
// so every version is published. It reports the p50 and p95 latencies.
func BenchmarkDidChangeToDiagnostics(b *testing.B) {
	c := newClient(b, lsp.Options{Log: discard{}})
	c.initialize(nil)
	uri := "file://" + filepath.Join(b.TempDir(), "big.js")
	text := leakyFile(5000)
	c.open(uri, "javascript", text)
	c.waitDiagnostics(uri, hasRule("LK000"))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	var lat []time.Duration
	version := int32(1)
	b.ResetTimer()
	for range b.N {
		version++
		start := time.Now()
		if version%2 == 0 {
			c.change(uri, version, rng(0, 0, 0, 0), "\n")
		} else {
			c.change(uri, version, rng(0, 0, 1, 0), "")
		}
		v := version
		c.waitFor("the diagnostics of the edit", func() bool {
			list := c.diags[uri]
			return list[len(list)-1].version == v
		})
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}
