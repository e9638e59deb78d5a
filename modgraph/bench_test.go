package modgraph

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/leakls/leakls/internal/testenv"
)

// benchPackages make the benchmark's real-world workspace: rxjs brings
// TypeScript sources with tsconfig files plus ESM and CommonJS builds,
// date-fns thousands of small ESM and CommonJS modules. Pinned so numbers
// stay comparable.
var benchPackages = []string{"rxjs@7.8.1", "date-fns@3.6.0"}

// benchWorkspace installs benchPackages once into the user cache directory
// and copies them out of node_modules into a workspace next to it, so that
// their files are workspace sources while their own dependencies (tslib)
// stay installed packages. It needs npm and the network, so it runs only
// when LEAKLS_BENCH_NPM=1.
func benchWorkspace(b *testing.B) string {
	b.Helper()
	if os.Getenv("LEAKLS_BENCH_NPM") != "1" {
		b.Skip("set LEAKLS_BENCH_NPM=1 to install the benchmark tree with npm")
	}
	npm := testenv.Command(b, "npm")
	cache, err := os.UserCacheDir()
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(cache, "leakls", "bench-modgraph-rxjs7.8.1-date-fns3.6.0")
	ws := filepath.Join(dir, "workspace")
	if _, err := os.Stat(ws); err == nil {
		return ws
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"private": true}`), 0o644); err != nil {
		b.Fatal(err)
	}
	args := append([]string{"install", "--no-audit", "--no-fund", "--ignore-scripts"}, benchPackages...)
	cmd := exec.Command(npm, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("npm install in %s: %v\n%s", dir, err, out)
	}
	tmp := ws + ".partial"
	os.RemoveAll(tmp)
	for _, name := range []string{"rxjs", "date-fns"} {
		if err := os.CopyFS(filepath.Join(tmp, name), os.DirFS(filepath.Join(dir, "node_modules", name))); err != nil {
			b.Fatalf("copying %s into the workspace: %v", name, err)
		}
	}
	if err := os.Rename(tmp, ws); err != nil {
		b.Fatal(err)
	}
	return ws
}

// cpuTime returns the CPU time the process has used so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLoad loads the graph of a real workspace of about 3,400
// JavaScript and TypeScript files. It reports the bytes of source per second
// and files/s. "esbuild" lists the imports with esbuild's parse, "given"
// with an Options.Scan that returns imports listed beforehand by
// TreeImports: the cost of the resolution alone, as in leakls check.
func BenchmarkLoad(b *testing.B) {
	ws := benchWorkspace(b)
	files, _, err := walk(context.Background(), ws)
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	specs := make(map[string][]Spec, len(files))
	for _, f := range files {
		info, err := os.Stat(f)
		if err != nil {
			b.Fatal(err)
		}
		size += info.Size()
		if specs[f], err = treeScan(context.Background(), f); err != nil {
			b.Fatal(err)
		}
	}
	given := func(_ context.Context, file string) ([]Spec, error) { return specs[file], nil }
	for _, c := range []struct {
		name string
		scan func(context.Context, string) ([]Spec, error)
	}{{"esbuild", nil}, {"given", given}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			var g *Graph
			cpu0 := cpuTime(b)
			for b.Loop() {
				if g, err = Load(context.Background(), ws, Options{Scan: c.scan}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
			// On a shared machine wall time depends on the neighbours; the
			// process's CPU time (user and system, all threads) does not.
			b.ReportMetric((cpuTime(b)-cpu0).Seconds()/float64(b.N), "cpu-s/op")
			if len(g.Files()) < len(files) {
				b.Fatalf("graph has %d files, the workspace %d", len(g.Files()), len(files))
			}
			edges := 0
			for _, f := range g.Files() {
				edges += len(g.Imports(f))
			}
			b.Logf("%d files, %d bytes, %d edges, %d notes", len(files), size, edges, len(g.AllNotes()))
		})
	}
}
