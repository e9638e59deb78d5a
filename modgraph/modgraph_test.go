package modgraph

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// writeTree writes files (slash-separated path → content) under a new
// temporary directory and returns its real path. A content starting with
// "symlink:" makes a symbolic link to the rest of the string.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	regular := map[string]string{}
	for name, content := range files {
		target, ok := strings.CutPrefix(content, "symlink:")
		if !ok {
			regular[name] = content
			continue
		}
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	testenv.WriteFiles(t, root, regular)
	return root
}

func load(t *testing.T, root string, opts Options) *Graph {
	t.Helper()
	g, err := Load(context.Background(), root, opts)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return g
}

// edge is an Import as a test compares it: Path relative to the workspace
// root, slash-separated.
type edge = Import

func edges(t *testing.T, g *Graph, file string) []edge {
	t.Helper()
	var out []edge
	for _, imp := range g.Imports(filepath.Join(g.Root(), file)) {
		e := imp
		if imp.Path != "" {
			rel, err := filepath.Rel(g.Root(), imp.Path)
			if err != nil {
				t.Fatal(err)
			}
			e.Path = filepath.ToSlash(rel)
		}
		out = append(out, e)
	}
	return out
}

func checkEdges(t *testing.T, g *Graph, file string, want []edge) {
	t.Helper()
	got := edges(t, g, file)
	if !slices.Equal(got, want) {
		t.Errorf("Imports(%s):\n got  %+v\n want %+v\nnotes: %+v", file, got, want, g.AllNotes())
	}
}

// checkImporters checks the files that import file (relative to the
// workspace root), in order.
func checkImporters(t *testing.T, g *Graph, file string, want ...string) {
	t.Helper()
	if got := relFiles(t, g, g.Importers(filepath.Join(g.Root(), file))); !slices.Equal(got, want) {
		t.Errorf("Importers(%s) = %v, want %v", file, got, want)
	}
}

func relFiles(t *testing.T, g *Graph, abs []string) []string {
	t.Helper()
	out := make([]string, len(abs))
	for i, f := range abs {
		rel, err := filepath.Rel(g.Root(), f)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = filepath.ToSlash(rel)
	}
	return out
}

// mixedWorkspace mixes ESM, CommonJS, TypeScript, JSX, JSON and built-ins.
var mixedWorkspace = map[string]string{
	"package.json": `{"name": "app"}`,
	"src/main.mjs": `import { b } from './b.cjs';
import c from './c';
import * as lib from './lib';
export { d } from './d.mts';
import('./lazy.js').then(() => {});
const e = await import('./e.cts');
import fs from 'node:fs';
import { EventEmitter } from 'events';
import data from './data.json' with { type: 'json' };
console.log(b, c, lib, e, fs, EventEmitter, data);
`,
	"src/b.cjs":         "const c = require('./c');\nconst p = require.resolve('./lib');\nmodule.exports = { b: c, p };\n",
	"src/c.ts":          "import type { T } from './types';\nconst c: T = 1;\nexport default c;\n",
	"src/types.ts":      "export type T = number;\n",
	"src/lib/index.jsx": "export const View = () => <div/>;\n",
	"src/d.mts":         "export const d = 1;\n",
	"src/e.cts":         "export = { e: 2 };\n",
	"src/lazy.js":       "export default 1;\n",
	"src/lazy.cjs":      "require('./lazy.js');\n",
	"src/data.json":     `{"x": 1}`,
	"src/widget.tsx":    "import { View } from './lib';\nexport const W = () => <View/>;\n",
	"src/types.d.ts":    "declare const x: number;\n",
	".git/hooks/x.js":   "require('./nothing');\n",
}

func TestESMAndCommonJSMix(t *testing.T) {
	root := writeTree(t, mixedWorkspace)
	g := load(t, root, Options{})
	checkEdges(t, g, "src/main.mjs", []edge{
		{Specifier: "./b.cjs", Path: "src/b.cjs", Kind: ESMImport},
		{Specifier: "./c", Path: "src/c.ts", Kind: ESMImport},
		{Specifier: "./lib", Path: "src/lib/index.jsx", Kind: ESMImport},
		{Specifier: "./d.mts", Path: "src/d.mts", Kind: ESMImport},
		{Specifier: "node:fs", Kind: ESMImport, External: true, Builtin: true, Package: "fs"},
		{Specifier: "events", Kind: ESMImport, External: true, Builtin: true, Package: "events"},
		{Specifier: "./data.json", Path: "src/data.json", Kind: ESMImport},
		{Specifier: "./lazy.js", Path: "src/lazy.js", Kind: DynamicImport},
		{Specifier: "./e.cts", Path: "src/e.cts", Kind: DynamicImport},
	})
	checkEdges(t, g, "src/b.cjs", []edge{
		{Specifier: "./c", Path: "src/c.ts", Kind: Require},
	})
	// The type-only import is erased: it is not part of the runtime graph.
	checkEdges(t, g, "src/c.ts", nil)
	checkEdges(t, g, "src/widget.tsx", []edge{{Specifier: "./lib", Path: "src/lib/index.jsx", Kind: ESMImport}})

	// Two files that esbuild would give the same output name.
	checkEdges(t, g, "src/lazy.cjs", []edge{{Specifier: "./lazy.js", Path: "src/lazy.js", Kind: Require}})

	wantFiles := []string{"src/b.cjs", "src/c.ts", "src/d.mts", "src/e.cts", "src/lazy.cjs", "src/lazy.js", "src/lib/index.jsx", "src/main.mjs", "src/types.ts", "src/widget.tsx"}
	if got := relFiles(t, g, g.Files()); !slices.Equal(got, wantFiles) {
		t.Errorf("Files() = %v, want %v", got, wantFiles)
	}
	checkImporters(t, g, "src/c.ts", "src/b.cjs", "src/main.mjs")
	checkImporters(t, g, "src/data.json", "src/main.mjs")
	if p, ok := g.Resolve(filepath.Join(root, "src/main.mjs"), "./c"); !ok || p != filepath.Join(root, "src/c.ts") {
		t.Errorf("Resolve(main.mjs, ./c) = %q, %v", p, ok)
	}
	if p, ok := g.Resolve(filepath.Join(root, "src/main.mjs"), "events"); ok {
		t.Errorf("Resolve of a built-in = %q, true; want false", p)
	}
	if notes := g.AllNotes(); len(notes) != 0 {
		t.Errorf("unexpected notes: %+v", notes)
	}
}

// pathsWorkspace resolves through tsconfig "paths" and "baseUrl".
var pathsWorkspace = map[string]string{
	"tsconfig.json": `{
  // comments and trailing commas are allowed in tsconfig files
  "compilerOptions": {
    "baseUrl": ".",
    "paths": { "@app/*": ["src/*"], "~config": ["config/index.ts"], },
  },
}`,
	"src/server.ts":   "import { cache } from '@app/cache';\nimport cfg from '~config';\nimport { log } from 'src/log';\nexport { cache, cfg, log };\n",
	"src/cache.ts":    "export const cache = new Map();\n",
	"src/log.ts":      "export const log = console.log;\n",
	"config/index.ts": "export default { port: 1 };\n",
}

func TestTsconfigPathsAndBaseURL(t *testing.T) {
	root := writeTree(t, pathsWorkspace)
	g := load(t, root, Options{})
	checkEdges(t, g, "src/server.ts", []edge{
		{Specifier: "@app/cache", Path: "src/cache.ts", Kind: ESMImport},
		{Specifier: "~config", Path: "config/index.ts", Kind: ESMImport},
		{Specifier: "src/log", Path: "src/log.ts", Kind: ESMImport},
	})
	checkImporters(t, g, "src/cache.ts", "src/server.ts")
}

func TestExplicitTsconfig(t *testing.T) {
	root := writeTree(t, map[string]string{
		"tsconfig.build.json": `{"compilerOptions": {"paths": {"#lib/*": ["./lib/*"]}}}`,
		"app.ts":              "import { x } from '#lib/x';\nconsole.log(x);\n",
		"lib/x.ts":            "export const x = 1;\n",
	})
	g := load(t, root, Options{Tsconfig: "tsconfig.build.json"})
	checkEdges(t, g, "app.ts", []edge{{Specifier: "#lib/x", Path: "lib/x.ts", Kind: ESMImport}})

	if _, err := Load(context.Background(), root, Options{Tsconfig: "missing.json"}); err == nil {
		t.Error("Load with a missing tsconfig succeeded")
	}
}

// packagesWorkspace has a workspace package with an "exports" map linked into
// node_modules, installed packages and a missing one.
var packagesWorkspace = map[string]string{
	"package.json": `{"name": "mono", "private": true, "workspaces": ["packages/*"]}`,
	"packages/lib/package.json": `{
  "name": "@acme/lib",
  "exports": {
    ".": { "import": "./esm/index.mjs", "require": "./cjs/index.cjs" },
    "./feature": "./src/feature.js",
    "./internal/*": null
  }
}`,
	"packages/lib/esm/index.mjs":                 "export const bus = new (await import('node:events')).EventEmitter();\n",
	"packages/lib/cjs/index.cjs":                 "const { EventEmitter } = require('events');\nexports.bus = new EventEmitter();\n",
	"packages/lib/src/feature.js":                "export const f = 1;\n",
	"packages/lib/internal/x.js":                 "export const x = 1;\n",
	"packages/app/package.json":                  `{"name": "app", "dependencies": {"@acme/lib": "*", "leftpad": "*"}}`,
	"packages/app/server.mjs":                    "import { bus } from '@acme/lib';\nimport { f } from '@acme/lib/feature';\nimport pad from 'leftpad';\nimport { w } from '@types-free/wrap/sub';\nimport { x } from '@acme/lib/internal/x.js';\nconsole.log(bus, f, pad, w, x);\n",
	"packages/app/worker.cjs":                    "const { bus } = require('@acme/lib');\nconst missing = require('not-installed');\nmodule.exports = { bus, missing };\n",
	"node_modules/@acme/lib":                     "symlink:../../packages/lib",
	"node_modules/leftpad/package.json":          `{"name": "leftpad", "main": "lib/pad.js"}`,
	"node_modules/leftpad/lib/pad.js":            "module.exports = require('./impl');\n",
	"node_modules/leftpad/lib/impl.js":           "module.exports = (s) => s;\n",
	"node_modules/@types-free/wrap/package.json": `{"name": "@types-free/wrap", "exports": {"./sub": "./sub.js"}}`,
	"node_modules/@types-free/wrap/sub.js":       "export const w = 1;\n",
}

func TestWorkspacePackagesAndInstalledPackages(t *testing.T) {
	root := writeTree(t, packagesWorkspace)
	g := load(t, root, Options{})
	checkEdges(t, g, "packages/app/server.mjs", []edge{
		{Specifier: "@acme/lib", Path: "packages/lib/esm/index.mjs", Kind: ESMImport, Package: "@acme/lib"},
		{Specifier: "@acme/lib/feature", Path: "packages/lib/src/feature.js", Kind: ESMImport, Package: "@acme/lib"},
		{Specifier: "leftpad", Kind: ESMImport, External: true, Package: "leftpad"},
		{Specifier: "@types-free/wrap/sub", Kind: ESMImport, External: true, Package: "@types-free/wrap"},
		// The package's exports map hides internal/: Node refuses it too.
		{Specifier: "@acme/lib/internal/x.js", Kind: ESMImport, Package: "@acme/lib", Unresolved: true},
	})
	checkEdges(t, g, "packages/app/worker.cjs", []edge{
		{Specifier: "@acme/lib", Path: "packages/lib/cjs/index.cjs", Kind: Require, Package: "@acme/lib"},
		{Specifier: "not-installed", Kind: Require, Package: "not-installed", Unresolved: true},
	})
	for _, f := range g.Files() {
		if strings.Contains(f, "node_modules") {
			t.Errorf("Files() holds an installed file: %s", f)
		}
	}
	notes := g.AllNotes()
	if len(notes) != 2 {
		t.Fatalf("want 2 notes (hidden export, missing package), got %+v", notes)
	}
	for _, n := range notes {
		if !strings.Contains(n.Text, "@acme/lib/internal/x.js") && !strings.Contains(n.Text, "not-installed") {
			t.Errorf("unexpected note %+v", n)
		}
	}
}

func TestSyntaxErrorAndMissingFileKeepTheRest(t *testing.T) {
	root := writeTree(t, map[string]string{
		"a.js":      "import { b } from './b.js';\nimport './broken.js';\nexport const a = b;\n",
		"b.js":      "import { a } from './a.js';\nimport { c } from './c.js';\nexport const b = () => a + c;\n",
		"c.js":      "export const c = 1;\n",
		"broken.js": "import { c } from './c.js';\nconst = ;\n",
		"d.ts":      "import { gone } from './gone';\n\n  import { c } from './c.js';\nexport const d = [gone, c];\n",
	})
	g := load(t, root, Options{})
	// The circular pair a ⇄ b.
	checkEdges(t, g, "a.js", []edge{
		{Specifier: "./b.js", Path: "b.js", Kind: ESMImport},
		{Specifier: "./broken.js", Path: "broken.js", Kind: ESMImport},
	})
	checkEdges(t, g, "b.js", []edge{
		{Specifier: "./a.js", Path: "a.js", Kind: ESMImport},
		{Specifier: "./c.js", Path: "c.js", Kind: ESMImport},
	})
	checkImporters(t, g, "a.js", "b.js")
	// The missing file is an unresolved edge, and the file's other import is kept.
	checkEdges(t, g, "d.ts", []edge{
		{Specifier: "./gone", Kind: ESMImport, Unresolved: true},
		{Specifier: "./c.js", Path: "c.js", Kind: ESMImport},
	})
	checkImporters(t, g, "c.js", "b.js", "d.ts")
	// A file that does not parse has no edges, but stays a file of the graph.
	checkEdges(t, g, "broken.js", nil)
	if !g.Has(filepath.Join(root, "broken.js")) {
		t.Error("broken.js is missing from Files()")
	}

	brokenNotes := g.Notes(filepath.Join(root, "broken.js"))
	if len(brokenNotes) != 1 || brokenNotes[0].Pos.Line != 1 || brokenNotes[0].Pos.Col != 6 {
		t.Errorf("notes on broken.js = %+v, want one at line 1 (0-based), column 6", brokenNotes)
	}
	goneNotes := g.Notes(filepath.Join(root, "d.ts"))
	if len(goneNotes) != 1 || goneNotes[0].Pos.Line != 0 || goneNotes[0].Pos.Col != 21 || !strings.Contains(goneNotes[0].Text, "./gone") {
		t.Errorf("notes on d.ts = %+v, want one naming ./gone at 0:21", goneNotes)
	}
}

func TestExplicitFiles(t *testing.T) {
	root := writeTree(t, map[string]string{
		"src/entry.ts":   "import { helper } from './helper';\nhelper();\n",
		"src/helper.ts":  "import { deep } from '../shared/deep.js';\nexport const helper = deep;\n",
		"shared/deep.js": "export const deep = () => 1;\n",
		"src/other.ts":   "export const other = 1;\n",
	})
	g := load(t, root, Options{Files: []string{"src/entry.ts", filepath.Join(root, "src/entry.ts")}})
	want := []string{"shared/deep.js", "src/entry.ts", "src/helper.ts"}
	if got := relFiles(t, g, g.Files()); !slices.Equal(got, want) {
		t.Errorf("Files() = %v, want %v", got, want)
	}

	for _, bad := range []string{"src/nope.ts", "src"} {
		if _, err := Load(context.Background(), root, Options{Files: []string{bad}}); err == nil {
			t.Errorf("Load with the explicit file %q succeeded", bad)
		}
	}
}

func TestSymlinkedRoot(t *testing.T) {
	real := writeTree(t, map[string]string{
		"a.js": "export * from './b.js';\n",
		"b.js": "export const b = 1;\n",
	})
	link := filepath.Join(t.TempDir(), "ws")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	g := load(t, link, Options{})
	if g.Root() != real {
		t.Errorf("Root() = %s, want %s", g.Root(), real)
	}
	checkEdges(t, g, "a.js", []edge{{Specifier: "./b.js", Path: "b.js", Kind: ESMImport}})
}

func TestEmptyAndBadRoots(t *testing.T) {
	empty := writeTree(t, map[string]string{"README.md": "no code here\n"})
	g := load(t, empty, Options{})
	if len(g.Files()) != 0 || len(g.AllNotes()) != 0 {
		t.Errorf("empty workspace: files %v notes %v", g.Files(), g.AllNotes())
	}
	if _, err := Load(context.Background(), filepath.Join(empty, "does-not-exist"), Options{}); err == nil {
		t.Error("Load of a missing root succeeded")
	}
}

func TestCanceledContext(t *testing.T) {
	root := writeTree(t, map[string]string{"a.js": "export {};\n"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Load(ctx, root, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Load with a canceled context: err = %v, want context.Canceled", err)
	}
}

func TestPackageOfSpecifier(t *testing.T) {
	for spec, want := range map[string]string{
		"lodash": "lodash", "lodash/fp": "lodash", "@scope/pkg": "@scope/pkg",
		"@scope/pkg/deep/x.js": "@scope/pkg", "@scope": "", "@scope/": "",
		"./x": "", "../x": "", "/abs": "", "#internal": "", "node:fs": "",
		"https://x.test/m.js": "", "": "",
	} {
		if got := packageOfSpecifier(spec); got != want {
			t.Errorf("packageOfSpecifier(%q) = %q, want %q", spec, got, want)
		}
	}
}

func TestDeepNestingAndHugeFiles(t *testing.T) {
	// esbuild's parser recurses per level of nesting: two million nested
	// parentheses overflow the Go stack, which kills the process. Load must
	// keep such a file away from it.
	huge := "export const x = " + strings.Repeat("(", 1<<20) + "1" + strings.Repeat(")", 1<<20) + ";\n"
	root := writeTree(t, map[string]string{
		"huge.js": huge,
		"deep.js": "import './main.js';\nexport const y = " + strings.Repeat("!", 10_000) + "1;\n",
		"main.js": "import { x } from './huge.js';\nimport { y } from './deep.js';\nexport { x, y };\n",
	})
	g := load(t, root, Options{})
	checkEdges(t, g, "main.js", []edge{
		{Specifier: "./huge.js", Path: "huge.js", Kind: ESMImport},
		{Specifier: "./deep.js", Path: "deep.js", Kind: ESMImport},
	})
	checkEdges(t, g, "deep.js", []edge{{Specifier: "./main.js", Path: "main.js", Kind: ESMImport}})
	checkEdges(t, g, "huge.js", nil)
	notes := g.Notes(filepath.Join(root, "huge.js"))
	if len(notes) != 1 || !strings.Contains(notes[0].Text, "not parsed") {
		t.Errorf("notes on huge.js = %+v, want one saying it was not parsed", notes)
	}
	if !g.Has(filepath.Join(root, "huge.js")) {
		t.Error("huge.js is missing from Files()")
	}
}

func TestNonLiteralImports(t *testing.T) {
	// esbuild would expand these patterns by walking the directory tree
	// under their literal prefix (all of node_modules, here); the graph has
	// no edge for them and notes that they were not resolved.
	root := writeTree(t, map[string]string{
		"index.js":                      "const name = process.argv[2];\nmodule.exports = [require('./' + name), import(`../${name}.js`), require('./lib.js')];\n",
		"lib.js":                        "module.exports = 1;\n",
		"node_modules/big/package.json": `{"name": "big"}`,
		"node_modules/big/index.js":     "module.exports = 2;\n",
	})
	g := load(t, root, Options{})
	checkEdges(t, g, "index.js", []edge{{Specifier: "./lib.js", Path: "lib.js", Kind: Require}})
	notes := g.Notes(filepath.Join(root, "index.js"))
	if len(notes) != 2 || notes[0].Pos.Line != 1 || notes[1].Pos.Line != 1 {
		t.Errorf("notes on index.js = %+v, want two on line 1 (0-based)", notes)
	}
}
