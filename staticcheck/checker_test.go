package staticcheck_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/modgraph"
	"github.com/leakls/leakls/staticcheck"
)

// crossFileDir returns testdata/crossfile, a workspace whose findings
// depend on other files: a Map exported by store.js and evicted by its
// importer janitor.js, and listeners added per request in server.mjs, one
// removed in the module it imports (hub.mjs), one never. It is the real
// path, as the module graph names files.
func crossFileDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "crossfile"))
	if err == nil {
		dir, err = filepath.EvalSymlinks(dir)
	}
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// crossFileGraph loads the module graph of crossFileDir, as the language
// server loads its workspace's.
func crossFileGraph(t *testing.T) (string, *modgraph.Graph) {
	t.Helper()
	root := crossFileDir(t)
	g, err := modgraph.Load(context.Background(), root, modgraph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return root, g
}

// edited returns the text of the file at path with old replaced by new.
func edited(t *testing.T, path, old, new string) []byte {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(src, []byte(old)) {
		t.Fatalf("%s: %v, or no %q in it", path, err, old)
	}
	return bytes.Replace(src, []byte(old), []byte(new), 1)
}

// ruleLines lists findings as "file:line rule" (1-based lines, base names).
func ruleLines(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, filepath.Base(f.File)+":"+strconv.Itoa(f.Range.Start.Line+1)+" "+f.Rule)
	}
	return out
}

// check runs c on one file of root with the graph and overlays given.
func check(t *testing.T, c *staticcheck.Checker, root, rel string, g *modgraph.Graph, overlays map[string][]byte) *staticcheck.Result {
	t.Helper()
	res, err := c.Check(context.Background(), staticcheck.Request{Files: readFiles(t, root, rel), Graph: g, Overlays: overlays})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) > 0 {
		t.Fatalf("skipped: %v", res.Skipped)
	}
	return res
}

// TestCheckerNeighbors checks one file at a time with the workspace graph,
// as the language server does: the facts of its importers and imports
// count, overlays replace the disk, and without a graph they are missed.
func TestCheckerNeighbors(t *testing.T) {
	root, g := crossFileGraph(t)
	c := staticcheck.NewChecker(0)
	for _, tc := range []struct {
		file      string
		graph     *modgraph.Graph
		overlays  map[string][]byte
		want      []string
		neighbors []string
	}{
		{file: "store.js", graph: g, neighbors: []string{"janitor.js"}},
		{file: "store.js", want: []string{"store.js:4 LK001"}},
		{file: "store.js", graph: g, overlays: map[string][]byte{
			filepath.Join(root, "janitor.js"): edited(t, filepath.Join(root, "janitor.js"), "delete", "get"),
		}, want: []string{"store.js:4 LK001"}, neighbors: []string{"janitor.js"}},
		{file: "server.mjs", graph: g, want: []string{"server.mjs:6 LK002"}, neighbors: []string{"hub.mjs"}},
		{file: "server.mjs", graph: g, overlays: map[string][]byte{
			filepath.Join(root, "hub.mjs"): edited(t, filepath.Join(root, "hub.mjs"), "hub.off('tick', onTick);", ""),
		}, want: []string{"server.mjs:5 LK002", "server.mjs:6 LK002"}, neighbors: []string{"hub.mjs"}},
	} {
		res := check(t, c, root, tc.file, tc.graph, tc.overlays)
		var nb []string
		for _, p := range res.Neighbors {
			nb = append(nb, filepath.Base(p))
		}
		if got := ruleLines(res.Findings); !slices.Equal(got, tc.want) || !slices.Equal(nb, tc.neighbors) {
			t.Errorf("%s (graph %v, %d overlays): findings %q with neighbours %q, want %q with %q",
				tc.file, tc.graph != nil, len(tc.overlays), got, nb, tc.want, tc.neighbors)
		}
	}
}

// TestCheckerNeighborLimit checks that Request.MaxFileSize applies to the
// neighbours: janitor.js, larger than the limit given, is left out, and the
// Map it evicts is flagged in store.js.
func TestCheckerNeighborLimit(t *testing.T) {
	root, g := crossFileGraph(t)
	info, err := os.Stat(filepath.Join(root, "janitor.js"))
	if err != nil {
		t.Fatal(err)
	}
	c := staticcheck.NewChecker(0)
	for _, tc := range []struct {
		limit     int64
		want      []string
		neighbors int
	}{
		{limit: 0, neighbors: 1},
		{limit: info.Size(), neighbors: 1},
		{limit: info.Size() - 1, want: []string{"store.js:4 LK001"}},
	} {
		res, err := c.Check(context.Background(), staticcheck.Request{Files: readFiles(t, root, "store.js"), Graph: g, MaxFileSize: tc.limit})
		if err != nil {
			t.Fatal(err)
		}
		if got := ruleLines(res.Findings); !slices.Equal(got, tc.want) || len(res.Neighbors) != tc.neighbors {
			t.Errorf("limit %d: findings %q with neighbours %q, want %q with %d", tc.limit, got, res.Neighbors, tc.want, tc.neighbors)
		}
	}
}

// TestCheckerLoadGraph checks every file together with the graph loaded
// from them, as leakls check does, and gets what checking each file with
// the workspace graph gets.
func TestCheckerLoadGraph(t *testing.T) {
	root, g := crossFileGraph(t)
	rels := []string{"hub.mjs", "janitor.js", "server.mjs", "store.js"}
	res, err := staticcheck.NewChecker(0).Check(context.Background(), staticcheck.Request{Files: readFiles(t, root, rels...), LoadGraph: true})
	if err != nil || res.GraphErr != nil {
		t.Fatal(err, res.GraphErr)
	}
	var each []finding.Finding
	c := staticcheck.NewChecker(0)
	for _, rel := range rels {
		each = append(each, check(t, c, root, rel, g, nil).Findings...)
	}
	if want := []string{"server.mjs:6 LK002"}; !slices.Equal(ruleLines(res.Findings), want) || !reflect.DeepEqual(res.Findings, each) {
		t.Errorf("together: %q; one by one: %q; want %q", ruleLines(res.Findings), ruleLines(each), want)
	}
}

// TestCheckerParsesOnlyChanged checks that checking a file again after an
// edit parses the edited file only: its neighbours come from the cache.
func TestCheckerParsesOnlyChanged(t *testing.T) {
	root, g := crossFileGraph(t)
	c := staticcheck.NewChecker(1 << 20)
	req := staticcheck.Request{Files: readFiles(t, root, "server.mjs"), Graph: g}
	steps := []struct {
		edit   string // appended to server.mjs
		parses int64
	}{
		{"", 2},              // server.mjs and hub.mjs
		{"\n// edited\n", 3}, // server.mjs again
		{"\n// edited\n", 3}, // nothing changed
		{"", 4},              // back to the first text: one version per file is kept
	}
	src := req.Files[0].Src
	for i, s := range steps {
		req.Files[0].Src = append(slices.Clip(src), s.edit...)
		if _, err := c.Check(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if got := c.Stats().Parses; got != s.parses {
			t.Errorf("check %d: %d parses in all, want %d", i+1, got, s.parses)
		}
	}
	if st := c.Stats(); st.Hits != 4 || st.Evictions != 0 {
		t.Errorf("stats %+v, want 4 hits (hub.mjs three times, server.mjs once) and no eviction", st)
	}
}

// TestCheckerCacheBudget checks that a cache smaller than the files checked
// drops parsed files (and parses them again when needed) without changing
// the findings.
func TestCheckerCacheBudget(t *testing.T) {
	root, g := crossFileGraph(t)
	small := staticcheck.NewChecker(int64(len(readFiles(t, root, "server.mjs")[0].Src)))
	unbounded := staticcheck.NewChecker(0)
	for range 2 {
		got := check(t, small, root, "server.mjs", g, nil).Findings
		want := check(t, unbounded, root, "server.mjs", g, nil).Findings
		if !reflect.DeepEqual(got, want) {
			t.Errorf("with a small cache: %q, want %q", ruleLines(got), ruleLines(want))
		}
	}
	if st := small.Stats(); st.Evictions == 0 || st.Parses != 4 {
		t.Errorf("small cache: %+v, want evictions and every check parsing both files", st)
	}
}

// TestNeighbors checks which files are neighbours: imports and importers,
// through other files, but not a file that only shares a dependency.
func TestNeighbors(t *testing.T) {
	files := map[string]string{"c.js": "", "alone.js": ""}
	for from, to := range map[string]string{"a": "b", "b": "c", "d": "a", "e": "d", "sibling": "c"} {
		files[from+".js"] = "require('./" + to + "');\n"
	}
	root := testenv.WriteTree(t, files)
	g, err := modgraph.Load(context.Background(), root, modgraph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range staticcheck.Neighbors(g, filepath.Join(root, "a.js")) {
		got = append(got, filepath.Base(p))
	}
	if want := []string{"b.js", "c.js", "d.js", "e.js"}; !slices.Equal(got, want) {
		t.Errorf("neighbours of a.js: %q, want %q", got, want)
	}
}

// TestSkipReason checks the size limit and the binary sniff.
func TestSkipReason(t *testing.T) {
	over := []byte(strings.Repeat("a", staticcheck.MaxFileSize+1))
	for _, tc := range []struct {
		src   []byte
		limit int64
		want  string
	}{
		{[]byte("let a = 1;\n"), staticcheck.MaxFileSize, ""},
		{[]byte("// caf\xe9\n"), staticcheck.MaxFileSize, ""}, // Latin-1 is still text
		{append([]byte("let a;\n"), 0, 1, 2), staticcheck.MaxFileSize, "binary"},
		{append(make([]byte, 8000), 'x'), staticcheck.MaxFileSize, "binary"},
		{append([]byte(strings.Repeat("a", 8000)), 0), staticcheck.MaxFileSize, ""}, // NUL past the sniffed bytes
		{over, staticcheck.MaxFileSize, "larger than the 2097152-byte limit"},
		{over, 2 * staticcheck.MaxFileSize, ""},
		{[]byte("let a = 1;\n"), 10, "it is 11 bytes, larger than the 10-byte limit"},
	} {
		got := staticcheck.SkipReason(tc.src, tc.limit)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("SkipReason(%.20q…, %d) = %q, want %q", tc.src, tc.limit, got, tc.want)
		}
	}
}
