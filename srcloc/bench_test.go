package srcloc

import (
	"path/filepath"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/leakls/leakls/sourcemap/sourcemaptest"
)

// BenchmarkLocate maps positions of a bundle through its (cached) source
// map, as the snapshot report does for every hop of every retainer path.
func BenchmarkLocate(b *testing.B) {
	dir := sourcemaptest.EsbuildProject(b, app, api.BuildOptions{
		EntryPoints: []string{"src/main.ts"}, Bundle: true, Outfile: "dist/app.js", Sourcemap: api.SourceMapLinked,
	})
	gen := filepath.Join(dir, "dist", "app.js")
	pos := sourcemaptest.Occurrences(sourcemaptest.Read(b, dir, "dist/app.js"), "requestStore")
	r := NewResolver(dir)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := pos[i%len(pos)]
		if _, err := r.Locate(gen, "", p.Line, p.Col); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
