package sourcemap

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/sourcemap/sourcemaptest"
)

// project is a small TypeScript service. Every identifier in idents occurs
// in exactly one of the two files, and as often in generated code, so that the n-th occurrence of it in any
// generated output must map back to its n-th occurrence in that file.
var project = map[string]string{
	"src/cache.ts": `// A cache that is never evicted.
const requestCache = new Map<string, { id: string; body: string }>();

export function rememberRequest(req: { id: string; body: string }): number {
  requestCache.set(req.id, req);
  return requestCache.size;
}
`,
	"src/server.ts": `import { rememberRequest } from "./cache";

declare const console: { log(...args: unknown[]): void };
declare function setInterval(f: () => void, ms: number): number;
interface Emitter { on(event: string, listener: () => void): void }
declare const busEmitter: Emitter;

const pendingTimers: number[] = [];
const seenIds = new Set<string>();

export function handleRequest(id: string, body: string): void {
  seenIds.add(id);
  const stored = rememberRequest({ id, body });
  busEmitter.on("tick", function onTick() {
    console.log(id, stored);
  });
  pendingTimers.push(setInterval(() => heartbeat(id), 1000));
}

function heartbeat(who: string): string {
  return who.toUpperCase();
}
`,
}

// idents maps each checked identifier to the source file it belongs to.
// They are module-local names: exported and declared ones occur a different
// number of times in generated code (export clauses, "exports.x = void 0").
var idents = map[string]string{
	"requestCache":  "src/cache.ts",
	"seenIds":       "src/server.ts",
	"stored":        "src/server.ts",
	"onTick":        "src/server.ts",
	"pendingTimers": "src/server.ts",
	"heartbeat":     "src/server.ts",
	"toUpperCase":   "src/server.ts",
}

// checkIdentifiers maps every occurrence of the checked identifiers in the
// generated text back through m and requires the exact original line and
// column of the same occurrence in the original file (under dir). It
// returns how many positions it checked.
func checkIdentifiers(t *testing.T, m *Map, dir, generated string) int {
	t.Helper()
	checked := 0
	for ident, file := range idents {
		gen := sourcemaptest.Occurrences(generated, ident)
		orig := sourcemaptest.Occurrences(project[file], ident)
		if len(gen) == 0 {
			continue // not part of this output (e.g. the other file's build)
		}
		if len(gen) != len(orig) {
			t.Errorf("%s occurs %d times in the generated code but %d times in %s", ident, len(gen), len(orig), file)
			continue
		}
		want := filepath.Join(dir, filepath.FromSlash(file))
		for i, g := range gen {
			mp, ok := m.Original(g.Line, g.Col)
			if !ok {
				t.Errorf("%s #%d at generated %d:%d: not mapped", ident, i, g.Line, g.Col)
				continue
			}
			if got := m.SourcePath(mp.Source); got != want {
				t.Errorf("%s #%d: source %q, want %q", ident, i, got, want)
			}
			if mp.OrigLine != orig[i].Line || mp.OrigCol != orig[i].Col {
				t.Errorf("%s #%d at generated %d:%d: maps to %d:%d, want %d:%d", ident, i, g.Line, g.Col, mp.OrigLine, mp.OrigCol, orig[i].Line, orig[i].Col)
			}
			checked++
		}
	}
	return checked
}

// checkGenerated maps the checked identifiers of file from original to
// generated: every mapping listed for the identifier's original line must be
// on that line, and one of them must point at the identifier itself (esbuild
// maps a statement from the indentation before it, hence the trim).
func checkGenerated(t *testing.T, m *Map, dir, file, generated string) {
	t.Helper()
	src := m.SourceIndex(filepath.Join(dir, filepath.FromSlash(file)))
	if src < 0 {
		t.Fatalf("%s is not among the map's sources %q", file, m.Sources)
	}
	lines := strings.Split(generated, "\n")
	for ident, f := range idents {
		if f != file {
			continue
		}
		for _, o := range sourcemaptest.Occurrences(project[file], ident) {
			found := false
			for _, g := range m.Generated(src, o.Line) {
				if g.Source != src || g.OrigLine != o.Line {
					t.Fatalf("Generated(%d, %d) returned a mapping of %d:%d", src, o.Line, g.Source, g.OrigLine)
				}
				if g.OrigCol == o.Col && strings.HasPrefix(strings.TrimLeft(lines[g.GenLine][g.GenCol:], " \t"), ident) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s at %s:%d:%d: no generated position points at it", ident, file, o.Line, o.Col)
			}
		}
	}
}

func checkContent(t *testing.T, m *Map, dir string) {
	t.Helper()
	for file, text := range project {
		i := m.SourceIndex(filepath.Join(dir, filepath.FromSlash(file)))
		if i < 0 {
			continue
		}
		got, ok := m.SourceContent(i)
		if !ok {
			t.Errorf("%s: no sourcesContent", file)
		} else if got != text {
			t.Errorf("%s: sourcesContent differs from the file:\n%s", file, got)
		}
	}
}

func TestEsbuildBundleLinked(t *testing.T) {
	dir := sourcemaptest.EsbuildProject(t, project, api.BuildOptions{
		EntryPoints: []string{"src/server.ts"}, Bundle: true, Platform: api.PlatformNode,
		Outfile: "dist/bundle.js", Sourcemap: api.SourceMapLinked,
	})
	out := filepath.Join(dir, "dist", "bundle.js")
	m, err := Find(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.URL != out+".map" {
		t.Errorf("URL = %q, want %q", m.URL, out+".map")
	}
	gen := sourcemaptest.Read(t, dir, "dist/bundle.js")
	if n := checkIdentifiers(t, m, dir, gen); n < 12 {
		t.Errorf("only %d identifier positions checked", n)
	}
	checkGenerated(t, m, dir, "src/server.ts", gen)
	checkGenerated(t, m, dir, "src/cache.ts", gen)
	checkContent(t, m, dir)
}

func TestEsbuildExternalMapNextToFile(t *testing.T) {
	// SourceMapExternal writes the .map without a comment: Find falls back
	// to the file next to the output.
	dir := sourcemaptest.EsbuildProject(t, project, api.BuildOptions{
		EntryPoints: []string{"src/server.ts"}, Bundle: true, Platform: api.PlatformNode,
		Outfile: "dist/bundle.js", Sourcemap: api.SourceMapExternal, SourcesContent: api.SourcesContentExclude,
	})
	gen := sourcemaptest.Read(t, dir, "dist/bundle.js")
	if _, ok := URLComment([]byte(gen)); ok {
		t.Fatal("esbuild wrote a sourceMappingURL comment for an external map")
	}
	m, err := Find(filepath.Join(dir, "dist", "bundle.js"), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkIdentifiers(t, m, dir, gen)
	if _, ok := m.SourceContent(0); ok {
		t.Error("SourceContent found content in a map built without sourcesContent")
	}
}

func TestEsbuildInlinePerFile(t *testing.T) {
	dir := sourcemaptest.EsbuildProject(t, project, api.BuildOptions{
		EntryPoints: []string{"src/server.ts", "src/cache.ts"}, Outdir: "out",
		Format: api.FormatESModule, Sourcemap: api.SourceMapInline,
	})
	for _, name := range []string{"server", "cache"} {
		gen := sourcemaptest.Read(t, dir, "out/"+name+".js")
		// The map is in the text only: pass it as a snapshot would, with
		// no file on disk.
		m, err := Find(filepath.Join(dir, "out", name+".js"), []byte(gen))
		if err != nil {
			t.Fatal(err)
		}
		if m.URL != "data:" {
			t.Errorf("URL = %q, want data:", m.URL)
		}
		if n := checkIdentifiers(t, m, dir, gen); n == 0 {
			t.Errorf("%s: no identifier checked", name)
		}
		checkContent(t, m, dir)
	}
}

func TestEsbuildSourceRoot(t *testing.T) {
	dir := sourcemaptest.EsbuildProject(t, project, api.BuildOptions{
		EntryPoints: []string{"src/server.ts"}, Bundle: true, Outfile: "dist/bundle.js",
		Sourcemap: api.SourceMapLinked, SourceRoot: "../",
	})
	m, err := Find(filepath.Join(dir, "dist", "bundle.js"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// esbuild writes sources relative to dist/ ("../src/server.ts") and the
	// root is prepended, so the paths resolve one level further up.
	for i, s := range m.Sources {
		if !strings.HasPrefix(s, "../../src/") {
			t.Errorf("source %d = %q, want ../ prepended to ../src/…", i, s)
		}
		if got, want := m.SourcePath(i), filepath.Join(filepath.Dir(dir), "src", filepath.Base(s)); got != want {
			t.Errorf("SourcePath(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestTscMaps(t *testing.T) {
	dir := testenv.WriteTree(t, project)
	// --lib es2020 leaves out the DOM declarations, which took most of
	// tsc's time; the project declares the two globals it uses.
	common := []string{"--target", "es2020", "--lib", "es2020", "--module", "commonjs", "--strict", "src/server.ts", "src/cache.ts"}
	sourcemaptest.Tsc(t, dir, append([]string{"--sourceMap", "--outDir", "out"}, common...)...)
	sourcemaptest.Tsc(t, dir, append([]string{"--inlineSourceMap", "--inlineSources", "--outDir", "inline"}, common...)...)
	sourcemaptest.Tsc(t, dir, append([]string{"--sourceMap", "--sourceRoot", "file://" + filepath.ToSlash(dir) + "/src/", "--outDir", "rooted"}, common...)...)
	for _, out := range []string{"out", "inline", "rooted"} {
		total := 0
		for _, name := range []string{"server", "cache"} {
			gen := sourcemaptest.Read(t, dir, out+"/"+name+".js")
			m, err := Find(filepath.Join(dir, out, name+".js"), nil)
			if err != nil {
				t.Fatal(err)
			}
			total += checkIdentifiers(t, m, dir, gen)
			file := "src/" + name + ".ts"
			checkGenerated(t, m, dir, file, gen)
			if out == "inline" {
				checkContent(t, m, dir)
			}
			if out == "rooted" && !strings.HasPrefix(m.Sources[0], "file://") {
				t.Errorf("%s: sourceRoot not applied: %q", out, m.Sources)
			}
		}
		if total < 12 {
			t.Errorf("%s: only %d identifier positions checked", out, total)
		}
	}
}

// TestIndexMap concatenates two real esbuild outputs and describes them by
// an index map whose sections embed the real maps; the second one is
// shifted by a column offset too and nested in an index map of its own.
func TestIndexMap(t *testing.T) {
	dir := sourcemaptest.EsbuildProject(t, project, api.BuildOptions{
		EntryPoints: []string{"src/cache.ts", "src/server.ts"}, Outdir: "parts",
		Format: api.FormatESModule, Sourcemap: api.SourceMapExternal,
	})
	read := func(name string) (code, mp string) {
		code = strings.TrimRight(sourcemaptest.Read(t, dir, "parts/"+name+".js"), "\n")
		return code, sourcemaptest.Read(t, dir, "parts/"+name+".js.map")
	}
	cacheJS, cacheMap := read("cache")
	serverJS, serverMap := read("server")
	const prefix = "/* joined */ "
	joined := cacheJS + "\n" + prefix + serverJS + "\n"
	line := strings.Count(cacheJS, "\n") + 1
	index := `{"version":3,"file":"joined.js","sections":[
	  {"offset":{"line":0,"column":0},"map":` + cacheMap + `},
	  {"offset":{"line":` + strconv.Itoa(line) + `,"column":` + strconv.Itoa(len(prefix)) + `},"map":
	    {"version":3,"sections":[{"offset":{"line":0,"column":0},"map":` + serverMap + `}]}}]}`
	testenv.WriteFiles(t, dir, map[string]string{
		"parts/joined.js":     joined + "//# sourceMappingURL=joined.js.map\n",
		"parts/joined.js.map": index,
	})
	m, err := Find(filepath.Join(dir, "parts", "joined.js"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Sources) != 2 {
		t.Fatalf("merged sources = %q, want the two files", m.Sources)
	}
	if n := checkIdentifiers(t, m, dir, joined); n < 12 {
		t.Errorf("only %d identifier positions checked", n)
	}
	checkGenerated(t, m, dir, "src/server.ts", joined)
	checkContent(t, m, dir)
	// The prefix itself is generated only: nothing maps there.
	if mp, ok := m.Original(line, 2); ok {
		t.Errorf("position inside the section prefix maps to %+v", mp)
	}
}
