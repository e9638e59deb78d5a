package modgraph

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// nodeWorkspace is the JavaScript workspace of TestAgreesWithNode.
var nodeWorkspace = map[string]string{
	"package.json": `{"name": "mono", "private": true, "workspaces": ["packages/*"]}`,
	"packages/bus/package.json": `{
  "name": "@acme/bus",
  "exports": {
    ".": { "import": "./esm/index.mjs", "require": "./cjs/index.cjs" },
    "./util": "./util.js",
    "./package.json": "./package.json"
  }
}`,
	"packages/bus/esm/index.mjs": "import { EventEmitter } from 'node:events';\nexport const bus = new EventEmitter();\n",
	"packages/bus/cjs/index.cjs": "const { EventEmitter } = require('events');\nexports.bus = new EventEmitter();\n",
	"packages/bus/util.js":       "module.exports = { util: true };\n",
	"packages/bus/secret.js":     "module.exports = 1;\n",
	"packages/app/package.json":  `{"name": "app", "type": "module"}`,
	"packages/app/server.js": `import { bus } from '@acme/bus';
import util from '@acme/bus/util';
import { handler } from './handlers/index.js';
import dep from 'dep';
import fs from 'fs';
import { cache } from '../../lib/cache.cjs';
import secret from '@acme/bus/secret.js';
import gone from './gone.js';
export { bus, util, handler, dep, fs, cache, secret, gone };
`,
	"packages/app/handlers/index.js": "export const handler = () => import('../../../lib/late.mjs');\n",
	"lib/cache.cjs":                  "const { bus } = require('@acme/bus');\nconst store = require('./store');\nconst dir = require('./dir');\nconst t = require('node:timers');\nconst nope = require('not-installed');\nmodule.exports = { cache: new Map(), bus, store, dir, t, nope };\n",
	"lib/store.js":                   "module.exports = new Set();\n",
	"lib/dir/index.js":               "module.exports = 'dir';\n",
	"lib/late.mjs":                   "export default 1;\n",
	"node_modules/@acme/bus":         "symlink:../../packages/bus",
	"node_modules/dep/package.json":  `{"name": "dep", "exports": {"import": "./dep.mjs", "require": "./dep.cjs"}}`,
	"node_modules/dep/dep.mjs":       "export default 'esm';\n",
	"node_modules/dep/dep.cjs":       "module.exports = 'cjs';\n",
}

// TestAgreesWithNode resolves every edge of a JavaScript workspace with
// Node.js itself and checks that the graph sends each one to the same place:
// conditional package exports (import vs require), a workspace package
// linked into node_modules, an installed package, extensionless and
// directory requires, built-ins, a subpath hidden by "exports", a missing
// package and a missing file. It runs with both scanners (see scanners).
func TestAgreesWithNode(t *testing.T) {
	node := testenv.Node(t)
	root := writeTree(t, nodeWorkspace)
	for _, sc := range scanners {
		t.Run(sc.name, func(t *testing.T) {
			agreesWithNode(t, node, root, load(t, root, Options{Scan: sc.scan}))
		})
	}
}

// agreesWithNode checks every edge of g against Node.js's own resolution.
func agreesWithNode(t *testing.T, node, root string, g *Graph) {
	type query struct {
		Importer  string `json:"importer"`
		Specifier string `json:"specifier"`
		Kind      string `json:"kind"`
	}
	type answer struct {
		File    string `json:"file"`
		Builtin string `json:"builtin"`
		Error   string `json:"error"`
	}
	var queries []query
	var imports []Import
	for _, f := range g.Files() {
		for _, imp := range g.Imports(f) {
			queries = append(queries, query{f, imp.Specifier, imp.Kind.String()})
			imports = append(imports, imp)
		}
	}
	if len(queries) != 16 {
		t.Fatalf("want the fixture's 16 edges in the graph, got %d: %+v", len(queries), queries)
	}
	in, err := json.Marshal(queries)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "--no-warnings", "--experimental-import-meta-resolve", filepath.Join("testdata", "resolve.mjs"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node resolve.mjs: %v\n%s", err, stderr.Bytes())
	}
	var answers []answer
	if err := json.Unmarshal(out, &answers); err != nil || len(answers) != len(queries) {
		t.Fatalf("node answered %d times for %d edges (%v): %s", len(answers), len(queries), err, out)
	}

	for i, q := range queries {
		imp, a := imports[i], answers[i]
		where := strings.TrimPrefix(q.Importer, root+string(filepath.Separator)) + ": " + q.Kind + " " + q.Specifier
		switch {
		case a.Error != "":
			if !imp.Unresolved {
				t.Errorf("%s: node fails (%s), the graph has %+v", where, a.Error, imp)
			}
		case a.Builtin != "":
			if !imp.Builtin || imp.Package != strings.SplitN(a.Builtin, "/", 2)[0] {
				t.Errorf("%s: node finds built-in %s, the graph has %+v", where, a.Builtin, imp)
			}
		default:
			if pkg, ok := installedPackage(a.File); ok {
				if !imp.External || imp.Package != pkg {
					t.Errorf("%s: node finds %s in package %s, the graph has %+v", where, a.File, pkg, imp)
				}
			} else if imp.Path != a.File {
				t.Errorf("%s: node finds %s, the graph has %+v", where, a.File, imp)
			}
		}
	}
}
