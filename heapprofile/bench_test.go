package heapprofile

import (
	"bytes"
	"os"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// BenchmarkRead measures reading and attributing the profile named by
// LEAKLS_BENCH_HEAPPROFILE (write one with node --heap-prof); it is
// skipped when the variable is unset.
func BenchmarkRead(b *testing.B) {
	path := testenv.Getenv(b, "LEAKLS_BENCH_HEAPPROFILE", "a .heapprofile file (node --heap-prof)")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(bytes.NewReader(data), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
