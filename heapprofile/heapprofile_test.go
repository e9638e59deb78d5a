package heapprofile

import (
	"errors"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/srcloc"
)

// profileOf runs script under real node --heap-prof and returns the path
// of the profile it wrote.
func profileOf(t *testing.T, script string) string {
	t.Helper()
	node := testenv.Node(t)
	dir := t.TempDir()
	cmd := exec.Command(node, "--heap-prof", "--heap-prof-interval=4096", "--heap-prof-dir="+dir, script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("node --heap-prof %s: %v\n%s", script, err, out)
	}
	found, err := filepath.Glob(filepath.Join(dir, "*.heapprofile"))
	if err != nil || len(found) != 1 {
		t.Fatalf("node --heap-prof wrote %v (%v), want one .heapprofile", found, err)
	}
	return found[0]
}

// checkTop checks that the top site of the profile at path is function fn
// defined at rel:line (1-based) under root, with most of the bytes.
func checkTop(t *testing.T, path, root, fn, rel string, line int) *Report {
	t.Helper()
	rep, err := ReadFile(path, Options{Resolver: srcloc.NewResolver(root)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sites) == 0 {
		t.Fatal("no sites")
	}
	top := rep.Sites[0]
	t.Logf("%d bytes, %d samples; top: %s %d B (%.1f%%) at %v", rep.Total, rep.Samples, top.FunctionName, top.Self, top.SelfPercent, top.Place)
	if top.FunctionName != fn || top.Place == nil || top.Place.Rel != rel || top.Place.Location.Range.Start.Line+1 != line {
		t.Fatalf("top site %s at %v, want %s at %s:%d", top.FunctionName, top.Place, fn, rel, line)
	}
	if top.SelfPercent < 50 || top.Self < 5<<20 {
		t.Errorf("top site has %d B (%.1f%%), want most of the ~15 MB allocated", top.Self, top.SelfPercent)
	}
	var sum uint64
	for _, s := range rep.Sites {
		sum += s.Self
		if s.Total < s.Self || s.Total > rep.Total {
			t.Errorf("%s: total %d, self %d, profile %d", s.FunctionName, s.Total, s.Self, rep.Total)
		}
	}
	if sum != rep.Total {
		t.Errorf("self sizes add up to %d, the profile's total is %d", sum, rep.Total)
	}
	return rep
}

// TestJavaScriptProfile checks a real profile of a CommonJS program: the
// top site is buildTable, on its line of lib.js.
func TestJavaScriptProfile(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("testdata", "js"))
	if err != nil {
		t.Fatal(err)
	}
	rep := checkTop(t, profileOf(t, filepath.Join(root, "main.js")), root, "buildTable", "lib.js", 4)
	for _, s := range rep.Sites {
		if s.FunctionName == "describe" && s.Self >= rep.Sites[0].Self/10 {
			t.Errorf("describe allocated %d B, buildTable %d B", s.Self, rep.Sites[0].Self)
		}
	}
}

// TestTypeScriptProfile bundles a TypeScript program with esbuild (source
// maps on), profiles the bundle with real node, and checks that the top
// site is placed at buildRows in the original rows.ts.
func TestTypeScriptProfile(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("testdata", "ts"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "bundle.mjs")
	res := api.Build(api.BuildOptions{
		EntryPoints: []string{filepath.Join(root, "main.ts")},
		Outfile:     out,
		Bundle:      true,
		Platform:    api.PlatformNode,
		Format:      api.FormatESModule,
		Sourcemap:   api.SourceMapLinked,
		Write:       true,
		LogLevel:    api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		t.Fatalf("esbuild: %v", res.Errors)
	}
	checkTop(t, profileOf(t, out), root, "buildRows", "rows.ts", 7)
}

// TestBadInput checks that what is not a heap profile gets an error that
// says what it is, and never a panic.
func TestBadInput(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "empty"},
		{"not JSON", "hello", "not JSON"},
		{"a heap snapshot", `{"snapshot":{"meta":{}},"nodes":[]}`, `no "head"`},
		{"a CPU profile", `{"nodes":[],"startTime":0,"endTime":1,"samples":[],"timeDeltas":[]}`, `no "head"`},
		{"wrong type", `{"head":{"callFrame":{"functionName":3}}}`, "not a V8 heap profile"},
		{"negative size", `{"head":{"callFrame":{},"selfSize":-5,"id":1,"children":[]}}`, "not a byte count"},
		{"fractional size", `{"head":{"callFrame":{},"selfSize":1.5,"id":1,"children":[]}}`, "not a byte count"},
		{"null child", `{"head":{"callFrame":{},"selfSize":1,"id":1,"children":[null]}}`, "null"},
		{"truncated", `{"head":{"callFrame":{},"selfSize":1,"id":1,"children":[`, "truncated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Read = %v, want an error about %q", err, tc.want)
			}
		})
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing.heapprofile"), Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of a missing file: %v", err)
	}
}

// TestRecursion checks that a recursive function's bytes count once in
// its total, and its callers' totals include everything below them.
func TestRecursion(t *testing.T) {
	const in = `{"head":{"callFrame":{"functionName":"(root)","url":"","lineNumber":-1,"columnNumber":-1},"selfSize":0,"id":1,"children":[
	  {"callFrame":{"functionName":"walk","url":"/w.js","lineNumber":1,"columnNumber":13},"selfSize":100,"id":2,"children":[
	    {"callFrame":{"functionName":"walk","url":"/w.js","lineNumber":1,"columnNumber":13},"selfSize":50,"id":3,"children":[
	      {"callFrame":{"functionName":"leaf","url":"/w.js","lineNumber":5,"columnNumber":13},"selfSize":25,"id":4,"children":[]}]}]}]},
	  "samples":[{"size":100,"nodeId":2,"ordinal":1}]}`
	rep, err := Read(strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]uint64{}
	for _, s := range rep.Sites {
		got[s.FunctionName] = [2]uint64{s.Self, s.Total}
	}
	want := map[string][2]uint64{"walk": {150, 175}, "leaf": {25, 25}, "(root)": {0, 175}}
	for fn, w := range want {
		if got[fn] != w {
			t.Errorf("%s: self, total = %v, want %v", fn, got[fn], w)
		}
	}
	if rep.Total != 175 || rep.Samples != 1 || rep.Sites[0].FunctionName != "walk" {
		t.Errorf("total %d, samples %d, top %s", rep.Total, rep.Samples, rep.Sites[0].FunctionName)
	}
}
