package sourcemap

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/leakls/leakls/internal/testenv"
)

var bigMap struct {
	once sync.Once
	data []byte
}

// largeMap returns the source map of a real, large bundle: esbuild bundling
// the TypeScript compiler (typescript/lib/typescript.js, about 9 MB, from
// the npm tools the tests install), in memory.
func largeMap(b *testing.B) []byte {
	b.Helper()
	testenv.NPMBin(b, "tsc") // installs testdata/npm/node_modules
	bigMap.once.Do(func() {
		entry := filepath.Join(testenv.RepoRoot(b), "testdata", "npm", "node_modules", "typescript", "lib", "typescript.js")
		res := api.Build(api.BuildOptions{
			EntryPoints: []string{entry}, Bundle: true, Platform: api.PlatformNode,
			Outfile: "/virtual/ts.js", Sourcemap: api.SourceMapExternal, LogLevel: api.LogLevelSilent,
		})
		for _, m := range res.Errors {
			b.Fatalf("esbuild: %s", m.Text)
		}
		for _, f := range res.OutputFiles {
			if filepath.Ext(f.Path) == ".map" {
				bigMap.data = f.Contents
			}
		}
	})
	if bigMap.data == nil {
		b.Fatal("esbuild wrote no source map")
	}
	return bigMap.data
}

// BenchmarkParse decodes the whole map (JSON and mappings); MB/s are of the
// map file.
func BenchmarkParse(b *testing.B) {
	data := largeMap(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var m *Map
	for b.Loop() {
		var err error
		if m, err = Parse(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(m.Len()), "segments")
}

// BenchmarkOriginal measures generated-to-original lookups on the large map,
// at every segment's position in turn: with the line index, and without it
// (the fallback for very sparse index maps, a binary search over all
// segments).
func BenchmarkOriginal(b *testing.B) {
	m, err := Parse(largeMap(b))
	if err != nil {
		b.Fatal(err)
	}
	sparse := &Map{Sources: m.Sources, segs: m.segs} // no line index
	for _, bm := range []struct {
		name string
		m    *Map
	}{{"indexed", m}, {"sparse", sparse}} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s := m.segs[i%len(m.segs)]
				if _, ok := bm.m.Original(int(s.genLine), int(s.genCol)); !ok && s.source >= 0 {
					b.Fatalf("segment %d not found", i%len(m.segs))
				}
				i += 7919 // a prime stride, so that lookups do not walk memory in order
			}
		})
	}
}
