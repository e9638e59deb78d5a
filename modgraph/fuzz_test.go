package modgraph

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// FuzzLoad loads a small workspace whose main file holds arbitrary text.
// Whatever the text, Load must succeed and give a consistent graph: every
// resolved edge points at a file of the graph or at a non-source file, and
// Importers is the reverse of Imports.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"import { b } from './b.js';\nexport * from './c';\nrequire('./b.js');\nimport('./c.ts');\n",
		"const = ;\nimport x from './b.js';\n",
		"import x from './missing';\nimport y from 'not-installed';\nimport fs from 'node:fs';\n",
		"require(\"\\u2028\\n\");\nrequire('');\nimport(`./b.js`);\nimport(`./${x}.js`);\nrequire('./' + y);\n",
		"import data from './data.json' with { type: 'json' };\nimport './style.css';\nimport 'data:text/javascript,export default 1';\n",
		"await import('./b.js');\nmodule.exports = require('../outside.js');\n",
		"import a from '.';\nimport b from '..';\nimport c from '/';\nimport d from '#internal';\nimport e from '@scope';\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		root := writeTree(t, map[string]string{
			"package.json": `{"name": "fuzz", "imports": {"#internal": "./b.js"}}`,
			"ws/b.js":      "export const b = 1;\n",
			"ws/c.ts":      "export const c: number = 2;\n",
			"ws/data.json": "{}",
			"ws/style.css": "a {}",
			"outside.js":   "module.exports = 1;\n",
			"ws/main.mjs":  "",
		})
		if err := os.WriteFile(filepath.Join(root, "ws", "main.mts"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		g, err := Load(context.Background(), filepath.Join(root, "ws"), Options{})
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		for _, file := range g.Files() {
			for _, imp := range g.Imports(file) {
				if imp.Path == "" {
					continue
				}
				if isSource(imp.Path) && !g.Has(imp.Path) {
					t.Errorf("%s imports %s, which is not in Files()", file, imp.Path)
				}
				if !slices.Contains(g.Importers(imp.Path), file) {
					t.Errorf("Importers(%s) misses %s", imp.Path, file)
				}
				if imp.External || imp.Unresolved {
					t.Errorf("%s: an import with a Path is neither external nor unresolved: %+v", file, imp)
				}
			}
		}
	})
}
