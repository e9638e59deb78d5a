package analysis

import (
	"os"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// The leak benchmarks read a baseline/target/final series written by
// testdata/gen/bigheap.js --series: LEAKLS_BENCH_SERIES names its prefix
// (PREFIX-1.heapsnapshot, PREFIX-2…, PREFIX-3…). They are skipped when it
// is unset, so that plain "go test" stays fast.
func benchSeries(b *testing.B) (files [3]string, size int64) {
	b.Helper()
	prefix := testenv.Getenv(b, "LEAKLS_BENCH_SERIES", "the prefix of a bigheap.js --series set")
	for i := range files {
		files[i] = prefix + "-" + string(rune('1'+i)) + ".heapsnapshot"
		st, err := os.Stat(files[i])
		if err != nil {
			b.Fatal(err)
		}
		size += st.Size()
	}
	return files, size
}

// BenchmarkDiffFiles measures the whole 3-snapshot leak report, as
// "leakls snapshot diff" runs it: reading the three files (baseline and
// target as id sets), dominators, retainer paths, clustering.
func BenchmarkDiffFiles(b *testing.B) {
	files, size := benchSeries(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		rep, err := DiffFiles(files[0], files[1], files[2], DiffOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Count == 0 {
			b.Fatal("the series leaks nothing")
		}
	}
}

// BenchmarkPaths measures the retainer-path search over a whole snapshot.
func BenchmarkPaths(b *testing.B) {
	files, _ := benchSeries(b)
	s := mustRead(b, Load, files[2])
	b.ReportAllocs()
	for b.Loop() {
		NewPaths(s)
	}
	b.ReportMetric(float64(s.NodeCount()), "nodes")
}
