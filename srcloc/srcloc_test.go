package srcloc

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/sourcemap/sourcemaptest"
)

// app is a TypeScript program that reports, through V8's own call-site API,
// the script name, line and column V8 gives to one expression: the
// "new Error" in store.ts. Non-ASCII text before it on its line makes V8's
// UTF-16 column differ from the byte column.
var app = map[string]string{
	"src/store.ts": `// Keeps every request: a leak on purpose.
const requestStore = new Map<string, string>();

export function remember(id: string): string {
  requestStore.set(id, "x".repeat(10));
  return where();
}

export function where(): string {
  const E = Error as any;
  const saved = E.prepareStackTrace;
  E.prepareStackTrace = (_e: unknown, frames: any[]) => frames;
  const frames = ["héllo wörld 😀"].length && (new Error() as any).stack;
  E.prepareStackTrace = saved;
  const f = frames[0];
  return JSON.stringify({ file: f.getFileName(), line: f.getLineNumber() - 1, col: f.getColumnNumber() - 1 });
}
`,
	"src/main.ts": `import { remember } from "./store";
declare const console: { log(...args: unknown[]): void };
console.log(remember("a"));
`,
}

// v8Pos is a position as V8 reports it: script name, 0-based line, 0-based
// UTF-16 column.
type v8Pos struct {
	File      string
	Line, Col int
}

// runApp runs the compiled entry point with real node and returns the
// position V8 reported.
func runApp(t *testing.T, entry string) v8Pos {
	t.Helper()
	out, err := exec.Command(testenv.Node(t), entry).Output()
	if err != nil {
		t.Fatalf("node %s: %v", entry, err)
	}
	var p v8Pos
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("node %s printed %q: %v", entry, out, err)
	}
	return p
}

// wantNewError returns the place of "new Error" in src/store.ts under dir:
// 0-based line, byte column and byte offset.
func wantNewError(t *testing.T, dir string) (line, col, off int) {
	t.Helper()
	text := app["src/store.ts"]
	off = strings.Index(text, "new Error")
	line = strings.Count(text[:off], "\n")
	col = off - (strings.LastIndex(text[:off], "\n") + 1)
	return line, col, off
}

// checkMapped locates p and requires the exact original place of
// "new Error" in src/store.ts, reached through a source map.
func checkMapped(t *testing.T, r *Resolver, dir string, p v8Pos, generated string) Place {
	t.Helper()
	pl, err := r.Locate(p.File, "", p.Line, p.Col)
	if err != nil {
		t.Fatalf("Locate(%q, %d, %d): %v", p.File, p.Line, p.Col, err)
	}
	line, col, off := wantNewError(t, dir)
	want := filepath.Join(dir, "src", "store.ts")
	st := pl.Location.Range.Start
	if pl.Location.File != want || st.Line != line || st.Col != col || st.Offset != off {
		t.Errorf("Locate(%q, %d, %d) = %s %d:%d @%d, want %s %d:%d @%d (note %q)",
			p.File, p.Line, p.Col, pl.Location.File, st.Line, st.Col, st.Offset, want, line, col, off, pl.Note)
	}
	if got, want := pl.String(), fmt.Sprintf("src/store.ts:%d:%d", line+1, col+1); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if pl.Rel != "src/store.ts" || pl.Kind != KindUser || pl.Note != "" {
		t.Errorf("Rel %q, Kind %v, Note %q; want src/store.ts, user, no note", pl.Rel, pl.Kind, pl.Note)
	}
	if pl.Generated == nil || pl.Generated.File != filepath.Join(dir, filepath.FromSlash(generated)) {
		t.Errorf("Generated = %+v, want the position in %s", pl.Generated, generated)
	}
	if pl.Location.Range.End != pl.Location.Range.Start {
		t.Errorf("range %+v is not a position", pl.Location.Range)
	}
	return pl
}

func TestTscCommonJS(t *testing.T) {
	dir := testenv.WriteTree(t, app)
	sourcemaptest.Tsc(t, dir, "--sourceMap", "--outDir", "dist", "--module", "commonjs", "--target", "es2020", "--lib", "es2020", "--strict", "src/main.ts")
	p := runApp(t, filepath.Join(dir, "dist", "main.js"))
	if p.File != filepath.Join(dir, "dist", "store.js") {
		t.Fatalf("V8 named the script %q", p.File)
	}
	pl := checkMapped(t, NewResolver(dir), dir, p, "dist/store.js")
	// tsc keeps the non-ASCII literal, so the generated column was
	// converted from UTF-16 too: it must point at "new Error" in bytes.
	gen := sourcemaptest.Read(t, dir, "dist/store.js")
	if g := pl.Generated.Range.Start; g.Offset < 0 || !strings.HasPrefix(gen[g.Offset:], "new Error") || g.Col == p.Col {
		t.Errorf("generated position %+v does not point at new Error in bytes (V8 column %d)", g, p.Col)
	}
}

func TestEsbuildESMFileURL(t *testing.T) {
	// A directory with a space: V8 names ES modules by file: URLs with
	// percent-escapes.
	dir := filepath.Join(t.TempDir(), "my app")
	testenv.WriteFiles(t, dir, app)
	sourcemaptest.Esbuild(t, dir, api.BuildOptions{
		EntryPoints: []string{"src/main.ts"}, Bundle: true, Platform: api.PlatformNode,
		Format: api.FormatESModule, Outfile: "dist/app.mjs", Sourcemap: api.SourceMapLinked,
	})
	p := runApp(t, filepath.Join(dir, "dist", "app.mjs"))
	if !strings.HasPrefix(p.File, "file://") || !strings.Contains(p.File, "my%20app") {
		t.Fatalf("V8 named the module %q, want a file: URL with an escaped space", p.File)
	}
	checkMapped(t, NewResolver(dir), dir, p, "dist/app.mjs")
}

// TestInlineMapFromSnapshotText maps a bundle that is no longer on disk,
// through the inline map in the script text a snapshot holds.
func TestInlineMapFromSnapshotText(t *testing.T) {
	dir := sourcemaptest.EsbuildProject(t, app, api.BuildOptions{
		EntryPoints: []string{"src/main.ts"}, Bundle: true, Platform: api.PlatformNode,
		Outfile: "dist/app.js", Sourcemap: api.SourceMapInline,
	})
	entry := filepath.Join(dir, "dist", "app.js")
	p := runApp(t, entry)
	source := sourcemaptest.Read(t, dir, "dist/app.js")
	if err := os.Remove(entry); err != nil {
		t.Fatal(err)
	}
	r := NewResolver(dir)
	pl, err := r.Locate(p.File, source, p.Line, p.Col)
	if err != nil {
		t.Fatal(err)
	}
	line, col, _ := wantNewError(t, dir)
	if st := pl.Location.Range.Start; pl.Rel != "src/store.ts" || st.Line != line || st.Col != col {
		t.Errorf("got %s %d:%d, want src/store.ts %d:%d (note %q)", pl.Rel, st.Line, st.Col, line, col, pl.Note)
	}
	// The generated file is gone, but its text came with the snapshot.
	if g := pl.Generated.Range.Start; g.Offset < 0 || !strings.HasPrefix(source[g.Offset:], "new Error") {
		t.Errorf("generated position %+v does not point at new Error in the snapshot's text", g)
	}
}

// TestTranspiledInMemory is what TypeScript loaders (tsx, ts-node) do: the
// script V8 runs is named after the .ts file on disk, but its text is the
// transpiled code with an inline map, and only the snapshot has that text.
func TestTranspiledInMemory(t *testing.T) {
	dir := testenv.WriteTree(t, app)
	res := api.Transform(app["src/store.ts"], api.TransformOptions{
		Loader: api.LoaderTS, Format: api.FormatCommonJS, Sourcemap: api.SourceMapInline, Sourcefile: "store.ts",
	})
	if len(res.Errors) > 0 {
		t.Fatalf("esbuild: %s", res.Errors[0].Text)
	}
	code := string(res.Code)
	g := sourcemaptest.Occurrences(code, "requestStore")
	o := sourcemaptest.Occurrences(app["src/store.ts"], "requestStore")
	if len(g) != len(o) || len(g) == 0 {
		t.Fatalf("requestStore: %d generated, %d original occurrences", len(g), len(o))
	}
	r := NewResolver(dir)
	// Without the transpiled text, there is no map: the note says so.
	if pl, err := NewResolver(dir).Locate(filepath.Join(dir, "src", "store.ts"), "", g[0].Line, g[0].Col); err != nil || !strings.Contains(pl.Note, "TypeScript ran without a source map") {
		t.Errorf("no map for a .ts script: note %q, error %v", pl.Note, err)
	}
	for i := range g {
		pl, err := r.Locate(filepath.Join(dir, "src", "store.ts"), code, g[i].Line, g[i].Col)
		if err != nil {
			t.Fatal(err)
		}
		if st := pl.Location.Range.Start; pl.Rel != "src/store.ts" || st.Line != o[i].Line || st.Col != o[i].Col || pl.Generated == nil {
			t.Errorf("occurrence %d: %s %d:%d (generated %v), want src/store.ts %d:%d", i, pl.Rel, st.Line, st.Col, pl.Generated, o[i].Line, o[i].Col)
		}
	}
}

// TestDependency places code in node_modules, directly and through a
// bundle's map, with the package's name and version.
func TestDependency(t *testing.T) {
	dir := t.TempDir()
	lib := "let hits = 0;\nexport function track(key) {\n  hits++;\n  return globalCache.set(key, hits);\n}\nconst globalCache = new Map();\n"
	testenv.WriteFiles(t, dir, map[string]string{
		"node_modules/@acme/memo/package.json": `{"name":"@acme/memo","version":"2.4.1","main":"index.js"}`,
		"node_modules/@acme/memo/index.js":     lib,
		"node_modules/bare/lib/x.js":           "module.exports = 1;\n",
		"src/main.js":                          "import { track } from '@acme/memo';\ntrack('k');\n",
	})
	sourcemaptest.Esbuild(t, dir, api.BuildOptions{
		EntryPoints: []string{"src/main.js"}, Bundle: true, Platform: api.PlatformNode,
		Outfile: "dist/main.js", Sourcemap: api.SourceMapLinked,
	})
	r := NewResolver(dir)
	pl, err := r.Locate(filepath.Join(dir, "node_modules", "@acme", "memo", "index.js"), "", 3, 9)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Kind != KindDependency || pl.Package != "@acme/memo" || pl.Version != "2.4.1" || pl.Rel != "node_modules/@acme/memo/index.js" {
		t.Errorf("direct: %+v", pl)
	}
	pl, err = r.Locate(filepath.Join(dir, "node_modules", "bare", "lib", "x.js"), "", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Kind != KindDependency || pl.Package != "bare" || pl.Version != "" {
		t.Errorf("package without package.json: %+v", pl)
	}
	// Through the bundle: find globalCache.set in the generated code.
	gen := sourcemaptest.Read(t, dir, "dist/main.js")
	g := sourcemaptest.Occurrences(gen, "globalCache")
	o := sourcemaptest.Occurrences(lib, "globalCache")
	if len(g) == 0 {
		t.Fatal("globalCache not in the bundle")
	}
	pl, err = r.Locate(filepath.Join(dir, "dist", "main.js"), "", g[0].Line, g[0].Col)
	if err != nil {
		t.Fatal(err)
	}
	st := pl.Location.Range.Start
	if pl.Kind != KindDependency || pl.Package != "@acme/memo" || st.Line != o[0].Line || st.Col != o[0].Col {
		t.Errorf("bundled: %s %d:%d kind %v package %q; want node_modules/@acme/memo/index.js %d:%d", pl.Rel, st.Line, st.Col, pl.Kind, pl.Package, o[0].Line, o[0].Col)
	}
}

// TestDegradedMaps: missing, broken and unmapped cases fall back to the
// generated file, with a note that says why.
func TestDegradedMaps(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{
		"dist/plain.js":       "const a = 1;\n",
		"dist/missing.js":     "const a = 1;\n//# sourceMappingURL=missing.js.map\n",
		"dist/broken.js":      "const a = 1;\n//# sourceMappingURL=broken.js.map\n",
		"dist/broken.js.map":  `{"version":3,"sources":["../src/a.ts"],"mappings":"AAAA,AAAA!"}`,
		"dist/sparse.js":      "const a = 1;\nconst b = 2;\n//# sourceMappingURL=sparse.js.map\n",
		"dist/sparse.js.map":  `{"version":3,"sources":["../src/a.ts"],"mappings":"AAAA"}`,
		"dist/gone.js":        "const a = 1;\n//# sourceMappingURL=gone.js.map\n",
		"dist/gone.js.map":    `{"version":3,"sources":["../src/deleted.ts"],"sourcesContent":["let a = 1;\n"],"mappings":"AAAA,IAAI"}`,
		"dist/webpack.js":     "const a = 1;\n//# sourceMappingURL=webpack.js.map\n",
		"dist/webpack.js.map": `{"version":3,"sources":["webpack://app/./src/a.ts"],"mappings":"AAAA"}`,
		"dist/wp.js":          "const a = 1;\n//# sourceMappingURL=wp.js.map\n",
		"dist/wp.js.map":      `{"version":3,"sources":["webpack://app/./src/wp.ts?ts-loader"],"mappings":"AAAA"}`,
		"src/wp.ts":           "const a = 1;\n",
	})
	r := NewResolver(dir)
	tests := []struct {
		file      string
		line, col int
		rel       string
		note      string
	}{
		{"plain.js", 0, 6, "dist/plain.js", ""},
		{"missing.js", 0, 6, "dist/missing.js", "source map not used"},
		{"broken.js", 0, 6, "dist/broken.js", "invalid base64 character '!'"},
		{"sparse.js", 1, 6, "dist/sparse.js", "has no mapping for line 2 column 7"},
		{"gone.js", 0, 6, "src/deleted.ts", "not readable"},
		{"webpack.js", 0, 0, "webpack://app/./src/a.ts", "not a file path"},
		{"wp.js", 0, 0, "src/wp.ts", ""},
	}
	for _, tt := range tests {
		pl, err := r.Locate(filepath.Join(dir, "dist", tt.file), "", tt.line, tt.col)
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if pl.Rel != tt.rel || (tt.note == "") != (pl.Note == "") || !strings.Contains(pl.Note, tt.note) {
			t.Errorf("%s: Rel %q note %q; want %q and a note containing %q", tt.file, pl.Rel, pl.Note, tt.rel, tt.note)
		}
	}
	// The deleted source's text is in the map: its columns still convert.
	pl, _ := r.Locate(filepath.Join(dir, "dist", "gone.js"), "", 0, 6)
	if st := pl.Location.Range.Start; st.Line != 0 || st.Col != 4 || st.Offset != 4 || !strings.Contains(pl.Note, "embeds its text") {
		t.Errorf("gone.js: %+v, note %q", st, pl.Note)
	}
}

func TestScriptNames(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{"lib/vmscript.js": "x();\n"})
	outside := testenv.WriteTree(t, map[string]string{"tool.js": "y();\n"})
	r := NewResolver(dir)
	tests := []struct {
		script string
		kind   Kind
		rel    string
		note   string
	}{
		{"node:internal/timers", KindInternal, "node:internal/timers", ""},
		{"node:events", KindInternal, "node:events", ""},
		{"evalmachine.<anonymous>", KindUnknown, "evalmachine.<anonymous>", "evaluated at run time"},
		{"[eval]", KindUnknown, "[eval]", "evaluated at run time"},
		{"lib/vmscript.js", KindUser, "lib/vmscript.js", ""},
		{"nothere.js", KindUnknown, "nothere.js", "no file nothere.js"},
		{"https://example.com/a.js", KindUnknown, "https://example.com/a.js", "is a URL"},
		{"file://" + filepath.ToSlash(dir) + "/lib/vmscript.js", KindUser, "lib/vmscript.js", ""},
		{"file://localhost" + filepath.ToSlash(dir) + "/lib/vm%73cript.js", KindUser, "lib/vmscript.js", ""},
		{"file://" + filepath.ToSlash(dir) + "/lib/vmscript.js?v=2#top", KindUser, "lib/vmscript.js", ""},
		{filepath.Join(outside, "tool.js"), KindExternal, filepath.Join(outside, "tool.js"), ""},
	}
	for _, tt := range tests {
		pl, err := r.Locate(tt.script, "", 0, 1)
		if err != nil {
			t.Errorf("%s: %v", tt.script, err)
			continue
		}
		if pl.Kind != tt.kind || pl.Rel != tt.rel || (tt.note == "") != (pl.Note == "") || !strings.Contains(pl.Note, tt.note) {
			t.Errorf("%s: kind %v rel %q note %q; want %v %q %q", tt.script, pl.Kind, pl.Rel, pl.Note, tt.kind, tt.rel, tt.note)
		}
		if st := pl.Location.Range.Start; st.Line != 0 || st.Col != 1 {
			t.Errorf("%s: position %+v, want 0:1", tt.script, st)
		}
	}
	for _, bad := range []string{"", `C:\app\server.js`, "c:/app/server.js", `\\server\share\a.js`, "file:///C:/app/a.js", "file://otherhost/a.js", "file://%zz"} {
		if _, err := r.Locate(bad, "", 0, 0); err == nil {
			t.Errorf("Locate(%q) succeeded, want an error", bad)
		}
	}
	if _, err := r.Locate("node:events", "", -1, 0); err == nil {
		t.Error("negative line accepted")
	}
}

// TestConcurrentLocate shares one resolver (and its caches) between
// goroutines, as the server does.
func TestConcurrentLocate(t *testing.T) {
	dir := sourcemaptest.EsbuildProject(t, app, api.BuildOptions{
		EntryPoints: []string{"src/main.ts"}, Bundle: true, Outfile: "dist/app.js", Sourcemap: api.SourceMapLinked,
	})
	gen := sourcemaptest.Read(t, dir, "dist/app.js")
	g := sourcemaptest.Occurrences(gen, "requestStore")
	o := sourcemaptest.Occurrences(app["src/store.ts"], "requestStore")
	r := NewResolver(dir)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 50 {
				k := (w + i) % len(g)
				pl, err := r.Locate(filepath.Join(dir, "dist", "app.js"), "", g[k].Line, g[k].Col)
				if err != nil {
					t.Error(err)
					return
				}
				if st := pl.Location.Range.Start; pl.Rel != "src/store.ts" || st.Line != o[k].Line || st.Col != o[k].Col {
					t.Errorf("occurrence %d: %s %d:%d, want %d:%d", k, pl.Rel, st.Line, st.Col, o[k].Line, o[k].Col)
					return
				}
			}
		})
	}
	wg.Wait()
}
