package holders

import (
	"context"
	"os"
	"testing"

	"github.com/leakls/leakls/srcloc"
)

// BenchmarkFind measures the join of one leak report (the bundled
// TypeScript fixture: seven holders) with its sources: source maps,
// parsing and static checks of the original files, holder search. Bytes
// are those of the final snapshot.
func BenchmarkFind(b *testing.B) {
	ws := run(b, bundle)
	rep, final := leakReport(b, ws)
	st, err := os.Stat(ws.final)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		r := srcloc.NewResolver(ws.root)
		if got := Find(context.Background(), final, rep, Options{Resolver: r}); len(got) != 7 {
			b.Fatalf("%d findings, want 7", len(got))
		}
	}
}
