package sourcemap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/sourcemap/sourcemaptest"
)

// realOutputs builds the test project with esbuild in several ways and
// returns the generated files (name → content), maps included: the seeds of
// the fuzz targets are real tool output.
func realOutputs(tb testing.TB) map[string]string {
	dir := tb.TempDir()
	testenv.WriteFiles(tb, dir, project)
	sourcemaptest.Esbuild(tb, dir, api.BuildOptions{
		EntryPoints: []string{"src/server.ts"}, Bundle: true, Outfile: "bundle/out.js",
		Sourcemap: api.SourceMapLinked, MinifyWhitespace: true, MinifyIdentifiers: true,
	})
	sourcemaptest.Esbuild(tb, dir, api.BuildOptions{
		EntryPoints: []string{"src/server.ts", "src/cache.ts"}, Outdir: "files",
		Sourcemap: api.SourceMapInline, SourceRoot: "/app/", SourcesContent: api.SourcesContentExclude,
	})
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(p, filepath.Join(dir, "src")) {
			return err
		}
		b, err := os.ReadFile(p)
		out[filepath.Base(p)] = string(b)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// FuzzParse checks that no input makes Parse panic, and that a map it
// accepts answers lookups consistently with its own segments.
func FuzzParse(f *testing.F) {
	for name, text := range realOutputs(f) {
		if strings.HasSuffix(name, ".map") {
			f.Add([]byte(text))
			// An index map around the real map, and a truncated copy.
			f.Add([]byte(`{"version":3,"sections":[{"offset":{"line":2,"column":4},"map":` + text + `}]}`))
			f.Add([]byte(text[:len(text)/2]))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			if m != nil {
				t.Fatal("Parse returned a map and an error")
			}
			return
		}
		checkInvariants(t, m)
	})
}

// FuzzInline checks generated code whose map is inline: the comment
// scanner, the data: URL decoder and Parse, through Find. Code naming a map
// on disk is skipped so that the fuzzer never reads files.
func FuzzInline(f *testing.F) {
	for name, text := range realOutputs(f) {
		if strings.HasSuffix(name, ".js") {
			f.Add([]byte(text))
		}
	}
	f.Add([]byte("x\n//# sourceMappingURL=data:application/json;charset=utf-8," +
		`%7B%22version%22%3A3%2C%22sources%22%3A%5B%22a.js%22%5D%2C%22mappings%22%3A%22AAAA%22%7D`))
	f.Fuzz(func(t *testing.T, src []byte) {
		u, ok := URLComment(src)
		if ok && strings.ContainsAny(u, " \t\n\r") {
			t.Fatalf("URLComment returned %q, with whitespace", u)
		}
		if !strings.HasPrefix(u, "data:") {
			return
		}
		m, err := Find("/nonexistent/gen.js", src)
		if err == nil {
			checkInvariants(t, m)
		}
	})
}

// checkInvariants verifies a parsed map: segments sorted, indices in range,
// and every segment found again by both lookups.
func checkInvariants(t *testing.T, m *Map) {
	t.Helper()
	for i, s := range m.segs {
		if i > 0 {
			p := m.segs[i-1]
			if p.genLine > s.genLine || p.genLine == s.genLine && p.genCol > s.genCol {
				t.Fatalf("segments %d and %d out of order", i-1, i)
			}
		}
		if s.source < -1 || int(s.source) >= len(m.Sources) || s.name < -1 || int(s.name) >= len(m.Names) {
			t.Fatalf("segment %d has indices out of range: %+v", i, s)
		}
		if i >= 2000 {
			continue // enough for a fuzz iteration
		}
		mp, ok := m.Original(int(s.genLine), int(s.genCol))
		if ok && (mp.GenLine != int(s.genLine) || mp.GenCol != int(s.genCol)) {
			t.Fatalf("Original at segment %d (%d:%d) returned %+v", i, s.genLine, s.genCol, mp)
		}
		if s.source >= 0 && !ok && (i+1 == len(m.segs) || m.segs[i+1].genLine != s.genLine || m.segs[i+1].genCol != s.genCol) {
			t.Fatalf("segment %d (%d:%d) with a source is not found by Original", i, s.genLine, s.genCol)
		}
		if s.source >= 0 {
			found := false
			for _, g := range m.Generated(int(s.source), int(s.origLine)) {
				found = found || g.GenLine == int(s.genLine) && g.GenCol == int(s.genCol) && g.OrigCol == int(s.origCol)
			}
			if !found {
				t.Fatalf("segment %d is not among Generated(%d, %d)", i, s.source, s.origLine)
			}
		}
	}
	for i := range m.Sources {
		m.SourcePath(i)
		m.SourceContent(i)
	}
}
