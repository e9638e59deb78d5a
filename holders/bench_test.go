package holders

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/internal/testenv"
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

// BenchmarkFindHeld measures placing the biggest holders of one snapshot
// in the sources: the top holders and their paths, the holder search,
// parsing and static checks of the files. The snapshot is the one
// LEAKLS_BENCH_SNAPSHOT names (its workspace: LEAKLS_BENCH_ROOT), else the
// one node writes near the heap limit for testdata/growth/oom.js. The
// dominator tree is built once, before the loop, as a summary report
// that places its holders has it already. Bytes are the snapshot's.
func BenchmarkFindHeld(b *testing.B) {
	path, root := os.Getenv("LEAKLS_BENCH_SNAPSHOT"), os.Getenv("LEAKLS_BENCH_ROOT")
	if path == "" {
		script := filepath.Join(testenv.RepoRoot(b), "analysis", "testdata", "growth", "oom.js")
		path, root = nearHeapLimit(b, script), filepath.Dir(script)
	}
	s, err := analysis.Load(path, analysis.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	s.Dominators(analysis.SemanticsNode)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	var found int
	for b.Loop() {
		found = len(FindHeld(context.Background(), s, analysis.SemanticsNode, Options{Resolver: srcloc.NewResolver(root)}))
	}
	b.ReportMetric(float64(found), "findings")
}
