package holders

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/internal/testenv"
)

// The fixture app (testdata/app: one module per holder kind, plus a
// dependency written by the tests into node_modules/somepkg) is built in
// each flavour and run by real node under testdata/harness.cjs, once per
// test binary, into a temporary workspace removed by TestMain.

var workRoot string

func TestMain(m *testing.M) {
	testenv.MainInTempDir(m, "leakls-holders-", &workRoot)
}

// flavour is one way of building and running the fixture app.
type flavour struct {
	name string
	// build lays the workspace out in dir and returns the entry point
	// node runs.
	build func(t testing.TB, dir string) (string, error)
}

// workspace is a built and run flavour: its root and its snapshots.
type workspace struct {
	root                    string
	baseline, target, final string
}

var workspaces testenv.Once[workspace] // flavour name → workspace

// dependencies are the packages the app imports from node_modules:
// somepkg's module-level Set keeps every upload it is given; debouncer's
// debounce wraps a function as lodash's does, keeping it in the
// wrapper's context.
var dependencies = map[string]map[string]string{"somepkg": somepkg, "debouncer": debouncer}

var somepkg = map[string]string{
	"package.json": `{"name": "somepkg", "version": "1.2.3", "main": "index.js", "types": "index.d.ts"}` + "\n",
	"index.js": `'use strict';
const kept = new Set();
exports.keep = function keep(obj) {
  kept.add(obj); // want LK101 "kept.add("
};
`,
	"index.d.ts": "export declare function keep(obj: object): void;\n",
}

var debouncer = map[string]string{
	"package.json": `{"name": "debouncer", "version": "4.17.4", "main": "index.js"}` + "\n",
	"index.js": `'use strict';
module.exports = function debounce(func, wait) {
  let timerId;
  let lastArgs;
  function invoke() {
    const args = lastArgs;
    lastArgs = undefined;
    return func.apply(undefined, args);
  }
  function debounced(...args) {
    lastArgs = args;
    clearTimeout(timerId);
    timerId = setTimeout(invoke, wait);
  }
  return debounced;
};
`,
}

// run builds flavour f once per test binary, runs it under node between
// snapshots and returns the workspace.
func run(t testing.TB, f flavour) workspace {
	t.Helper()
	node := testenv.Node(t)
	ws, err := workspaces.Do(f.name, func() (workspace, error) { return buildAndRun(t, node, f) })
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func buildAndRun(t testing.TB, node string, f flavour) (workspace, error) {
	root := filepath.Join(workRoot, f.name)
	for name, files := range dependencies {
		pkg := filepath.Join(root, "node_modules", name)
		if err := os.MkdirAll(pkg, 0o755); err != nil {
			return workspace{}, err
		}
		for file, text := range files {
			if err := os.WriteFile(filepath.Join(pkg, file), []byte(text), 0o644); err != nil {
				return workspace{}, err
			}
		}
	}
	entry, err := f.build(t, root)
	if err != nil {
		return workspace{}, fmt.Errorf("building %s: %v", f.name, err)
	}
	out := filepath.Join(root, "snapshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return workspace{}, err
	}
	harness := filepath.Join(testenv.RepoRoot(t), "holders", "testdata", "harness.cjs")
	cmd := exec.Command(node, "--expose-gc", harness, out, entry)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return workspace{}, fmt.Errorf("node %s: %v\n%s", f.name, err, b)
	}
	return workspace{
		root:     root,
		baseline: filepath.Join(out, "baseline.heapsnapshot"),
		target:   filepath.Join(out, "target.heapsnapshot"),
		final:    filepath.Join(out, "final.heapsnapshot"),
	}, nil
}

// copyDir copies the files of testdata/<from> into dir/<to>.
func copyDir(t testing.TB, from, dir, to string) error {
	src := filepath.Join(testenv.RepoRoot(t), "holders", "testdata", from)
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, to), 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, to, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// The flavours: plain CommonJS and ES modules, TypeScript compiled by tsc
// and TypeScript bundled by esbuild, both with linked source maps.
var (
	cjs = flavour{name: "cjs", build: func(t testing.TB, dir string) (string, error) {
		return filepath.Join(dir, "src", "app.js"), copyDir(t, "app-cjs", dir, "src")
	}}
	esm = flavour{name: "esm", build: func(t testing.TB, dir string) (string, error) {
		return filepath.Join(dir, "src", "app.mjs"), copyDir(t, "app-esm", dir, "src")
	}}
	tsc = flavour{name: "tsc", build: func(t testing.TB, dir string) (string, error) {
		if err := copyDir(t, "app/src", dir, "src"); err != nil {
			return "", err
		}
		cmd := exec.Command(testenv.NPMBin(t, "tsc"), "--sourceMap", "--outDir", "dist", "--rootDir", "src",
			"--module", "commonjs", "--target", "es2022", "--moduleResolution", "node", "--strict",
			"--lib", "es2022",
			"src/env.d.ts", "src/app.ts")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("tsc: %v\n%s", err, out)
		}
		return filepath.Join(dir, "dist", "app.js"), nil
	}}
	bundle = flavour{name: "esbuild", build: func(t testing.TB, dir string) (string, error) {
		return esbuildApp(t, dir, api.SourcesContentInclude)
	}}
)

// esbuildApp bundles the TypeScript app into dir/dist/app.js with a linked
// source map, its sources embedded or not.
func esbuildApp(t testing.TB, dir string, content api.SourcesContent) (string, error) {
	if err := copyDir(t, "app/src", dir, "src"); err != nil {
		return "", err
	}
	res := api.Build(api.BuildOptions{
		EntryPoints: []string{"src/app.ts"}, Bundle: true, Platform: api.PlatformNode,
		Format: api.FormatCommonJS, Outfile: "dist/app.js", Sourcemap: api.SourceMapLinked,
		SourcesContent: content, AbsWorkingDir: dir, Write: true,
	})
	if len(res.Errors) > 0 {
		return "", fmt.Errorf("esbuild: %v", res.Errors[0].Text)
	}
	return filepath.Join(dir, "dist", "app.js"), nil
}

// leakReport returns the leak report of a workspace's snapshots with the
// final snapshot.
func leakReport(t testing.TB, ws workspace) (*analysis.LeakReport, *analysis.Snapshot) {
	t.Helper()
	base, err := analysis.ReadIDs(ws.baseline, analysis.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tgt, err := analysis.ReadIDs(ws.target, analysis.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fin, err := analysis.Load(ws.final, analysis.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return analysis.FindLeaks(base, tgt, fin, analysis.LeakOptions{}), fin
}
