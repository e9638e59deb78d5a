package analysis

import "testing"

// BenchmarkReadFingerprint measures reading a baseline or target snapshot
// for the series checks and the growth search (nodes and edges, not
// strings), on LEAKLS_BENCH_SNAPSHOT.
func BenchmarkReadFingerprint(b *testing.B) {
	benchRead(b, ReadFingerprint)
}

// BenchmarkFindGrowth measures the growth search of a loaded snapshot
// against the fingerprint of itself (every holder is followed; none grows),
// paths included.
func BenchmarkFindGrowth(b *testing.B) {
	path, size := benchSnapshot(b)
	s := mustRead(b, Load, path)
	fp := s.Fingerprint()
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		FindGrowth([]*Fingerprint{fp, fp}, s, GrowthOptions{})
	}
}
