package holders

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/srcloc"
)

// want is an expected finding, written in a fixture as
// `// want LK101 "text"` on the line of the holder: the finding's range
// must start on that line, at text.
type want struct {
	rule, file, text string
	line             int
}

var wantRE = regexp.MustCompile(`// want (LK\d+) "([^"]*)"`)

// wants reads the expectations of the fixture files under dir.
func wants(t *testing.T, dirs ...string) []want {
	t.Helper()
	var out []want
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			path := filepath.Join(dir, e.Name())
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(string(src), "\n") {
				if m := wantRE.FindStringSubmatch(line); m != nil {
					out = append(out, want{rule: m[1], file: path, line: i, text: m[2]})
				}
			}
		}
	}
	return out
}

// findings runs Find on a workspace's snapshots.
func findings(t *testing.T, ws workspace) []finding.Finding {
	t.Helper()
	rep, final := leakReport(t, ws)
	return Find(context.Background(), final, rep, Options{Resolver: srcloc.NewResolver(ws.root)})
}

// TestFind checks, for every holder kind in every flavour, that the
// finding is at the exact line and column of the holder in the original
// source, and that nothing else is reported.
func TestFind(t *testing.T) {
	for _, f := range []flavour{cjs, esm, tsc, bundle} {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			ws := run(t, f)
			got := findings(t, ws)
			expect := wants(t, filepath.Join(ws.root, "src"), filepath.Join(ws.root, "node_modules", "somepkg"))
			if len(expect) < 7 {
				t.Fatalf("the fixture has %d expectations, want one per holder kind and the dependency", len(expect))
			}
			matched := make([]bool, len(got))
			for _, w := range expect {
				found := false
				for i, g := range got {
					if g.Rule == w.rule && g.File == w.file && g.Range.Start.Line == w.line {
						matched[i], found = true, true
						if at := textAt(t, g); !strings.HasPrefix(at, w.text) {
							t.Errorf("%s:%d: %s starts at %q, want %q", w.file, w.line+1, w.rule, firstLine(at), w.text)
						}
					}
				}
				if !found {
					t.Errorf("%s:%d: no %s finding", w.file, w.line+1, w.rule)
				}
			}
			for i, g := range got {
				if !matched[i] {
					t.Errorf("unexpected finding %s %s:%d: %s", g.Rule, g.File, g.Range.Start.Line+1, g.Message)
				}
			}
		})
	}
}

// textAt returns the text of a finding's file from its start.
func textAt(t *testing.T, f finding.Finding) string {
	t.Helper()
	src, err := os.ReadFile(f.File)
	if err != nil {
		t.Fatal(err)
	}
	if f.Range.Start.Offset < 0 || f.Range.Start.Offset > len(src) {
		t.Fatalf("%s: finding %s has no byte offset", f.File, f.Rule)
	}
	return string(src[f.Range.Start.Offset:])
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestFindEvidence checks what a finding says and links: the counts of
// the cluster, the dependency's package, the retainer hops in the
// original TypeScript, and the static finding of the same code with its
// fixes.
func TestFindEvidence(t *testing.T) {
	ws := run(t, bundle)
	byRule := map[string][]finding.Finding{}
	for _, f := range findings(t, ws) {
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	var cache, dep *finding.Finding
	for i, f := range byRule["LK101"] {
		switch filepath.Base(f.File) {
		case "cache.ts":
			cache = &byRule["LK101"][i]
		case "index.js":
			dep = &byRule["LK101"][i]
		}
	}
	if cache == nil || dep == nil {
		t.Fatalf("missing the LK101 findings of cache.ts and somepkg: %v", byRule["LK101"])
	}
	for _, s := range []string{"requestCache", "retains 20 CacheEntry objects", "allocated between baseline and target", "LK001 unbounded-collection"} {
		if !strings.Contains(cache.Message, s) {
			t.Errorf("LK101 message %q does not contain %q", cache.Message, s)
		}
	}
	if len(cache.Fixes) == 0 {
		t.Error("the LK101 finding of requestCache carries no fix of the LK001 finding on the same Map")
	}
	if !strings.Contains(dep.Message, "in the dependency somepkg@1.2.3") {
		t.Errorf("dependency finding %q does not name the package", dep.Message)
	}
	if len(byRule["LK102"]) != 1 {
		t.Fatalf("want one LK102 finding, got %v", byRule["LK102"])
	}
	listener := byRule["LK102"][0]
	if !strings.Contains(listener.Message, "LK002 listener-leak") || len(listener.Fixes) == 0 {
		t.Errorf("LK102 is not linked to LK002: %q, %d fixes", listener.Message, len(listener.Fixes))
	}
	// The new listener array is not the news; the listeners and what they
	// hold are.
	for _, s := range []string{"20 Subscription objects", "in a new Array"} {
		if !strings.Contains(listener.Message, s) {
			t.Errorf("LK102 message %q does not contain %q", listener.Message, s)
		}
	}
	// The related hops of the interval-held cache: Node's timer list, then
	// the interval's callback in the original interval.ts.
	var hops []string
	for _, r := range cache.Related {
		hops = append(hops, r.File)
		if strings.HasSuffix(r.File, ".js") && !strings.Contains(r.File, "node_modules") {
			t.Errorf("related hop %s:%d is in the generated bundle, want the original source", r.File, r.Range.Start.Line+1)
		}
	}
	if !containsSuffix(hops, filepath.Join("src", "interval.ts")) || !containsSuffix(hops, filepath.Join("src", "cache.ts")) {
		t.Errorf("related hops %v do not lead through the interval callback in src/interval.ts to src/cache.ts", hops)
	}
}

func containsSuffix(list []string, suffix string) bool {
	for _, s := range list {
		if strings.HasSuffix(s, suffix) {
			return true
		}
	}
	return false
}

// Without a usable source map, the holders are reported in the generated
// file, with a note that says why.
var (
	brokenMap = flavour{name: "esbuild-broken-map", build: func(t testing.TB, dir string) (string, error) {
		entry, err := bundle.build(t, dir)
		if err != nil {
			return "", err
		}
		return entry, os.WriteFile(entry+".map", []byte(`{"version": 3, "mappings": "!!"`), 0o644)
	}}
	missingMap = flavour{name: "tsc-missing-map", build: func(t testing.TB, dir string) (string, error) {
		entry, err := tsc.build(t, dir)
		if err != nil {
			return "", err
		}
		maps, _ := filepath.Glob(filepath.Join(dir, "dist", "*.js.map"))
		for _, m := range maps {
			if err := os.Remove(m); err != nil {
				return "", err
			}
		}
		return entry, nil
	}}
)

// Without the original sources — neither on disk nor embedded in the
// map — the findings name the bundle, a file the user can open.
var deletedSources = flavour{name: "esbuild-deleted-sources", build: func(t testing.TB, dir string) (string, error) {
	entry, err := esbuildApp(t, dir, api.SourcesContentExclude)
	if err != nil {
		return "", err
	}
	return entry, os.RemoveAll(filepath.Join(dir, "src"))
}}

func TestFindDegradesWithoutMaps(t *testing.T) {
	for _, tc := range []struct {
		f    flavour
		note string
	}{
		{brokenMap, "source map not used"},
		{missingMap, ".js.map: no such file"},
		{deletedSources, "neither on disk nor embedded in the map"},
	} {
		t.Run(tc.f.name, func(t *testing.T) {
			t.Parallel()
			ws := run(t, tc.f)
			got := findings(t, ws)
			if len(got) < 6 {
				t.Fatalf("got %d findings without source maps, want the 7 holders in the generated code", len(got))
			}
			rules := map[string]int{}
			for _, f := range got {
				rules[f.Rule]++
				rel, err := filepath.Rel(ws.root, f.File)
				if err != nil || !(strings.HasPrefix(rel, "dist"+string(filepath.Separator)) || strings.HasPrefix(rel, "node_modules")) {
					t.Errorf("%s at %s: want the generated file under dist/", f.Rule, f.File)
				}
				if tc.note != "" && strings.HasPrefix(rel, "dist") && !strings.Contains(f.Message, tc.note) {
					t.Errorf("%s message %q has no note %q", f.Rule, f.Message, tc.note)
				}
			}
			for _, r := range []string{"LK101", "LK102", "LK103", "LK104", "LK105"} {
				if rules[r] == 0 {
					t.Errorf("no %s finding in the generated code: %v", r, rules)
				}
			}
		})
	}
}
