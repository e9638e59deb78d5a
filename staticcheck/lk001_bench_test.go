package staticcheck

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkLeakRules measures LK001, LK005, LK006 and LK007 alone (files
// parsed and scope models built once, outside the loop) over their
// testdata, or over the JavaScript/TypeScript tree named by
// LEAKLS_BENCH_TREE (node_modules included, .d.ts and files over 4 MB
// left out) — for example /usr/lib/node_modules/npm.
func BenchmarkLeakRules(b *testing.B) {
	roots := []string{"testdata/LK001", "testdata/LK005", "testdata/LK006", "testdata/LK007"}
	if tree := os.Getenv("LEAKLS_BENCH_TREE"); tree != "" {
		roots = []string{tree}
	}
	var files []File
	size := 0
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if _, ok := Language(p); !ok || strings.HasSuffix(p, ".d.ts") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil || len(src) > 4<<20 {
				return err
			}
			size += len(src)
			files = append(files, File{Path: p, Src: src})
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	prog, err := Load(context.Background(), files, nil)
	if err != nil {
		b.Fatal(err)
	}
	rules := []*Rule{LK001, LK005, LK006, LK007}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, u := range prog.Units {
			runRules(context.Background(), prog, u, rules)
		}
	}
	b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
