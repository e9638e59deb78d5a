package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/staticcheck"
)

// BenchmarkCheck measures the whole leakls check pipeline (walk, read,
// module graph, rules, report) over a tree: $LEAKLS_BENCH_CORPUS when set
// (bench/eslint-compare.sh prepares a large real-world one), else
// examples/. "cold" runs without the cache, "warm" over unchanged files
// with it.
func BenchmarkCheck(b *testing.B) {
	root := os.Getenv("LEAKLS_BENCH_CORPUS")
	if root == "" {
		root = filepath.Join(testenv.RepoRoot(b), "examples")
	}
	w := newWalker(walkOptions{maxFileSize: staticcheck.MaxFileSize})
	w.add(root)
	if len(w.files) == 0 {
		b.Fatalf("no files to check under %s", root)
	}
	var size int64
	for _, f := range w.files {
		size += int64(len(f.src))
	}
	check := func(b *testing.B, args ...string) {
		code := runMain(append([]string{"check"}, append(args, root)...), io.Discard, io.Discard)
		if code == exitError {
			b.Fatalf("check %s: exit %d", root, code)
		}
	}
	for _, c := range []struct {
		name string
		args []string
	}{{"cold", []string{"--no-cache"}}, {"warm", nil}} {
		b.Run(c.name, func(b *testing.B) {
			b.Setenv("XDG_CACHE_HOME", b.TempDir())
			check(b, c.args...) // fills the cache for the warm runs
			b.SetBytes(size)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				check(b, c.args...)
			}
			b.ReportMetric(float64(len(w.files))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
		})
	}
}
