package capture

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkTakeHeapSnapshot streams snapshots of a node process holding
// about 100,000 small objects to a file; the bytes per second are those
// of the snapshot written.
func BenchmarkTakeHeapSnapshot(b *testing.B) {
	p := launch(b, LaunchOptions{Command: []string{"node", heapApp(b, 100000)}})
	ctx, c := dial(b, p.Inspector, 10*time.Minute)
	path := filepath.Join(b.TempDir(), "bench.heapsnapshot")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := c.TakeHeapSnapshot(ctx, path, nil); err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.Size())
		}
	}
}
