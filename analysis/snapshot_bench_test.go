package analysis

import (
	"bytes"
	"os"
	"slices"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// The benchmarks load the snapshot named by LEAKLS_BENCH_SNAPSHOT (make one
// with testdata/gen/bigheap.js) and are skipped when it is unset, so that
// plain "go test" stays fast.
func benchSnapshot(b *testing.B) (string, int64) {
	b.Helper()
	path := testenv.Getenv(b, "LEAKLS_BENCH_SNAPSHOT", "a .heapsnapshot file (see testdata/gen/bigheap.js)")
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return path, st.Size()
}

// benchRead measures read on the benchmark snapshot, reporting the bytes
// of the file per second.
func benchRead[T any](b *testing.B, read func(string, LoadOptions) (T, error)) {
	path, size := benchSnapshot(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := read(path, LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad measures parsing alone.
func BenchmarkLoad(b *testing.B) {
	benchRead(b, Load)
}

// BenchmarkLoadSequential measures parsing with one goroutine decoding
// the number arrays, as when the input is a stream.
func BenchmarkLoadSequential(b *testing.B) {
	benchRead(b, func(path string, opts LoadOptions) (*Snapshot, error) {
		opts.Workers = 1
		return Load(path, opts)
	})
}

// BenchmarkPreScan measures the parallel decoder's sequential pre-scan of
// the nodes and edges arrays (finding their ends, counting their commas).
func BenchmarkPreScan(b *testing.B) {
	path, size := benchSnapshot(b)
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, 1<<20)
	n, _ := f.ReadAt(head, 0)
	open := int64(bytes.Index(head[:n], []byte(`"nodes":[`)) + len(`"nodes":`))
	if open < int64(len(`"nodes":`)) {
		b.Fatal("no nodes array in the first megabyte")
	}
	b.SetBytes(size)
	for b.Loop() {
		nodes, ok := scanArray(f, size, open)
		if !ok {
			b.Fatal("the nodes array does not end")
		}
		var sep [64]byte
		m, _ := f.ReadAt(sep[:], nodes.close)
		at := nodes.close + int64(bytes.IndexByte(sep[:m], '['))
		if _, ok := scanArray(f, size, at); !ok || at < nodes.close {
			b.Fatal("no edges array after the nodes")
		}
	}
}

// BenchmarkFloorRead is the floor of any parser: reading the file through
// a buffer of the scanner's size (what cat FILE >/dev/null costs).
func BenchmarkFloorRead(b *testing.B) {
	floor(b, func([]byte) {})
}

// BenchmarkFloorSum is the floor of tokenising on one core: a loop that
// only adds up the decimal numbers of the file (the digits of strings
// too), with no checks and no output.
func BenchmarkFloorSum(b *testing.B) {
	var sum, v uint64
	floor(b, func(buf []byte) {
		for _, c := range buf {
			if d := uint64(c - '0'); d < 10 {
				v = v*10 + d
			} else {
				sum, v = sum+v, 0
			}
		}
	})
	if sum == 0 {
		b.Fatal("no numbers")
	}
}

// floor reads the benchmark snapshot in scanner-sized blocks, handing each
// to each.
func floor(b *testing.B, each func([]byte)) {
	path, size := benchSnapshot(b)
	b.SetBytes(size)
	buf := make([]byte, scanBufSize)
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		for {
			n, err := f.Read(buf)
			each(buf[:n])
			if err != nil {
				break
			}
		}
		f.Close()
	}
}

// BenchmarkReadIDs measures reading a baseline or target snapshot.
func BenchmarkReadIDs(b *testing.B) {
	benchRead(b, ReadIDs)
}

// BenchmarkDominators measures dominators and retained sizes on a loaded
// snapshot, per semantics.
func BenchmarkDominators(b *testing.B) {
	path, size := benchSnapshot(b)
	s := mustRead(b, Load, path)
	for m := range Semantics(numSemantics) {
		b.Run(m.String(), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				s.buildDomTree(m)
			}
		})
	}
}

// BenchmarkSummary measures the whole single-snapshot report: parse,
// dominators, retained sizes, the top classes and the top holders.
func BenchmarkSummary(b *testing.B) {
	path, size := benchSnapshot(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		s := mustRead(b, Load, path)
		d := s.Dominators(SemanticsNode)
		classes := s.Classes(d)
		top := topRetained(s, d, 10)
		if len(classes) == 0 || len(top) == 0 {
			b.Fatal("empty report")
		}
	}
}

// topRetained returns the k non-synthetic nodes with the largest retained
// sizes, as the summary report lists them.
func topRetained(s *Snapshot, d *DomTree, k int) []int {
	var top []int
	for n := 1; n < s.NodeCount(); n++ {
		if t := s.NodeType(n); t == NodeSynthetic || t == NodeHidden {
			continue
		}
		if len(top) < k || d.Retained(n) > d.Retained(top[len(top)-1]) {
			i, _ := slices.BinarySearchFunc(top, d.Retained(n), func(m int, r uint64) int {
				if d.Retained(m) > r {
					return -1
				}
				return 1
			})
			top = slices.Insert(top, i, n)
			if len(top) > k {
				top = top[:k]
			}
		}
	}
	return top
}
