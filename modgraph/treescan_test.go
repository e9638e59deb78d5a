package modgraph

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// treeScan is an Options.Scan that parses the file with tree-sitter, as
// leakls check does.
func treeScan(ctx context.Context, file string) ([]Spec, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	lang, ok := syntax.LangOf(file)
	if !ok {
		return nil, errors.New("not a JavaScript or TypeScript file")
	}
	t, err := syntax.Parse(ctx, lang, src)
	if err != nil {
		return nil, err
	}
	return TreeImports(t), nil
}

// scanners are the two ways Load lists imports: esbuild's parse (the
// default) and a caller's Scan.
var scanners = []struct {
	name string
	scan func(context.Context, string) ([]Spec, error)
}{{"esbuild", nil}, {"tree-sitter", treeScan}}

func TestTreeImports(t *testing.T) {
	for _, c := range []struct {
		path, src string
		want      []Spec
	}{{
		path: "a.ts",
		src: `import type { T } from './types';
import { type Q, r } from './q';
import x = require('./eq');
import y = Foo.Bar;
export * from './star';
export type { U } from './u';
export { v } from "./v";
const lazy = () => import('./lazy', { with: { type: 'json' } });
`,
		want: []Spec{
			{Specifier: "./q", Kind: ESMImport, Pos: pos(1, 26)},
			{Specifier: "./eq", Kind: Require, Pos: pos(2, 19)},
			{Specifier: "./star", Kind: ESMImport, Pos: pos(4, 14)},
			{Specifier: "./v", Kind: ESMImport, Pos: pos(6, 18)},
			{Specifier: "./lazy", Kind: DynamicImport, Pos: pos(7, 26)},
		},
	}, {
		path: "b.cjs",
		src: "const a = require('./a'), b = require(`./b`) /* ok */;\n" +
			"require(/* why */ './c');\n" +
			"require('./two', 2); require(`./${x}`); require('./' + y); require.resolve('./r');\n" +
			"require('./esc\\u0041'); import(name); obj.require('./member');\n" +
			"if (x) { const c = require('./nested'); }\n",
		want: []Spec{
			{Specifier: "./a", Kind: Require, Pos: pos(0, 18)},
			{Specifier: "./b", Kind: Require, Pos: pos(0, 38)},
			{Specifier: "./c", Kind: Require, Pos: pos(1, 18)},
			{Specifier: "./nested", Kind: Require, Pos: pos(4, 27)},
		},
	}, {
		// Error-tolerant: the imports around a syntax error are kept.
		path: "c.jsx",
		src:  "import a from './a';\nconst = ;\nexport default () => <div>{require('./b')}</div>;\n",
		want: []Spec{
			{Specifier: "./a", Kind: ESMImport, Pos: pos(0, 14)},
			{Specifier: "./b", Kind: Require, Pos: pos(2, 35)},
		},
	}} {
		lang, _ := syntax.LangOf(c.path)
		tr, err := syntax.Parse(context.Background(), lang, []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		got := TreeImports(tr)
		for i := range got {
			got[i].Pos.Offset = 0 // compared by line and column
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: TreeImports =\n %+v\nwant\n %+v", c.path, got, c.want)
		}
	}
}

func pos(line, col int) finding.Pos { return finding.Pos{Line: line, Col: col} }

// TestScanAgreesWithEsbuild loads workspaces with both scanners: the
// files, edges and resolution notes must be the same, edge order aside
// (esbuild lists static imports before dynamic ones, TreeImports in source
// order).
func TestScanAgreesWithEsbuild(t *testing.T) {
	for name, ws := range map[string]map[string]string{
		"mixed": mixedWorkspace, "paths": pathsWorkspace, "packages": packagesWorkspace, "node": nodeWorkspace,
	} {
		root := writeTree(t, ws)
		es := load(t, root, Options{})
		ts := load(t, root, Options{Scan: treeScan})
		if !slices.Equal(es.Files(), ts.Files()) {
			t.Errorf("%s: files differ:\n esbuild     %v\n tree-sitter %v", name, es.Files(), ts.Files())
		}
		for _, f := range es.Files() {
			a, b := sortedEdges(t, es, f), sortedEdges(t, ts, f)
			if !slices.Equal(a, b) {
				t.Errorf("%s: edges of %s differ:\n esbuild     %+v\n tree-sitter %+v", name, f, a, b)
			}
		}
		if a, b := noteTexts(es), noteTexts(ts); !slices.Equal(a, b) {
			t.Errorf("%s: notes differ:\n esbuild     %q\n tree-sitter %q", name, a, b)
		}
	}
}

func sortedEdges(t *testing.T, g *Graph, abs string) []edge {
	rel, err := filepath.Rel(g.Root(), abs)
	if err != nil {
		t.Fatal(err)
	}
	es := edges(t, g, rel)
	slices.SortFunc(es, func(a, b edge) int {
		return cmp.Or(strings.Compare(a.Specifier, b.Specifier), cmp.Compare(a.Kind, b.Kind))
	})
	return es
}

// noteTexts returns the notes as "file:line:col: text" (Offset aside: the
// scan knows it, esbuild does not say).
func noteTexts(g *Graph) []string {
	var out []string
	for _, n := range g.AllNotes() {
		out = append(out, fmt.Sprintf("%s:%d:%d: %s", n.File, n.Pos.Line, n.Pos.Col, n.Text))
	}
	return out
}

func TestScanNotes(t *testing.T) {
	root := writeTree(t, map[string]string{
		"a.js":      "import { b } from './b.js';\nimport './broken.js';\nexport const a = b;\n",
		"b.js":      "export const b = 1;\n",
		"broken.js": "import { b } from './b.js';\nconst = ;\nrequire('./gone');\n",
		"bad.js":    "export const bad = 1;\n",
	})
	failing := func(ctx context.Context, file string) ([]Spec, error) {
		if filepath.Base(file) == "bad.js" {
			return nil, errors.New("boom")
		}
		return treeScan(ctx, file)
	}
	g := load(t, root, Options{Scan: failing})
	// tree-sitter recovers from the syntax error: broken.js keeps its
	// edges, and the missing file is noted at its specifier.
	checkEdges(t, g, "broken.js", []edge{
		{Specifier: "./b.js", Path: "b.js", Kind: ESMImport},
		{Specifier: "./gone", Kind: Require, Unresolved: true},
	})
	want := []string{
		filepath.Join(root, "bad.js") + ":0:0: not scanned: boom",
		filepath.Join(root, "broken.js") + `:2:8: Could not resolve "./gone"`,
	}
	if got := noteTexts(g); !slices.Equal(got, want) {
		t.Errorf("notes = %q, want %q", got, want)
	}
	if n := g.Notes(filepath.Join(root, "broken.js")); len(n) != 1 || n[0].Pos.Offset != len("import { b } from './b.js';\nconst = ;\nrequire(") {
		t.Errorf("note on broken.js = %+v, want it at the specifier's offset", n)
	}
	if !g.Has(filepath.Join(root, "bad.js")) {
		t.Error("bad.js, whose scan failed, is missing from Files()")
	}
}
