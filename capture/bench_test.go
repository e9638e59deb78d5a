package capture

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkTakeHeapSnapshot streams snapshots of a node process holding
// about 100,000 small objects to a file; the bytes per second are those
// of the snapshot written.
func BenchmarkTakeHeapSnapshot(b *testing.B) {
	app := filepath.Join(b.TempDir(), "heap.js")
	src := `globalThis.keep = Array.from({ length: 100000 }, (_, i) => ({ id: i, name: 'n' + i }));
require('node:http').createServer((q, s) => s.end()).listen(0, '127.0.0.1', function () {
  console.log('http://127.0.0.1:' + this.address().port);
});
`
	if err := os.WriteFile(app, []byte(src), 0o600); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	p := launch(b, LaunchOptions{Command: []string{"node", app}})
	c, err := Dial(ctx, p.Inspector, false)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
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
