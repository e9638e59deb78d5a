package staticcheck

// The lru-cache quick fix of LK001: used when the nearest package.json
// lists lru-cache as a dependency.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// lruPackage is the npm package the fix imports.
const lruPackage = "lru-cache"

// lruFix replaces a module-level Map by an LRUCache bounded to
// defaultBound entries, importing it the way the file imports (ES import
// or require). ok is false when lru-cache is not a dependency, the Map is
// seeded with entries, or the binding name is taken.
func lruFix(fx *fixContext, c *collection) (finding.Fix, bool) {
	if c.kind != collMap || c.seeded {
		return finding.Fix{}, false
	}
	pass := fx.pass
	major, ok := fx.lru()
	if !ok {
		return finding.Fix{}, false
	}
	// lru-cache 8 and later export the class by name; older majors export
	// it as the module itself.
	name, imported := "LRUCache", "LRUCache"
	if major > 0 && major < 8 {
		name, imported = "LRU", "default"
	}
	t := pass.Tree
	m := pass.Scope
	needImport := true
	if d := m.Module.Own(name); d != nil {
		if !importsFrom(m, d, lruPackage, imported) {
			return finding.Fix{}, false
		}
		needImport = false
	}
	init := t.Unparen(c.init)
	typeArgs := ""
	if ta := t.ChildByField(init, "type_arguments"); ta != syntax.None {
		typeArgs = t.Text(ta)
	}
	edits := []finding.Edit{{Start: t.Start(init), End: t.EndByte(init),
		NewText: "new " + name + typeArgs + "({ max: " + defaultBound + " })"}}
	if ann := t.ChildByField(c.declarator, "type"); ann != syntax.None {
		for _, ty := range t.NamedChildren(ann) {
			if n := t.ChildByField(ty, "name"); t.Kind(ty) == "generic_type" && t.Text(n) == "Map" {
				edits = append(edits, finding.Edit{Start: t.Start(n), End: t.EndByte(n), NewText: name})
			}
		}
	}
	if needImport {
		edits = append(edits, lruImport(pass, c, name, imported))
	}
	return finding.Fix{Message: "Bound it with lru-cache (max " + defaultBound + " entries)", Edits: edits}, true
}

// lruImport returns the edit that imports the LRU class: an import
// statement in an ES module, a require elsewhere, placed after the file's
// last import of the same kind, or before the collection's declaration.
func lruImport(pass *Pass, c *collection, name, imported string) finding.Edit {
	t := pass.Tree
	m := pass.Scope
	esm := m.Kind == scope.ESM
	var text string
	switch {
	case esm && imported == "default":
		text = "import " + name + " from '" + lruPackage + "';"
	case esm:
		text = "import { " + name + " } from '" + lruPackage + "';"
	case imported == "default":
		text = "const " + name + " = require('" + lruPackage + "');"
	default:
		text = "const { " + name + " } = require('" + lruPackage + "');"
	}
	after := syntax.None
	for _, imp := range m.Imports {
		if imp.Require == esm {
			continue
		}
		stmt := topStatement(t, imp.Node)
		if t.Parent(stmt) == t.Root() && (after == syntax.None || stmt > after) {
			after = stmt
		}
	}
	if after != syntax.None {
		return insertLineAfter(t, after, text)
	}
	return insertLineBefore(t, topStatement(t, c.declarator), text)
}

// importsFrom reports whether d is bound by an import (or require) of
// export `imported` from package pkg.
func importsFrom(m *scope.Model, d *scope.Decl, pkg, imported string) bool {
	for _, imp := range m.Imports {
		if imp.Local == d && imp.Source == pkg && imp.Imported == imported {
			return true
		}
	}
	return false
}

// maxPackageDepth bounds the walk up the directory tree for package.json.
const maxPackageDepth = 64

// lruDependency reads the package.json nearest to the file at path and
// reports whether it lists lru-cache as a run-time dependency, with the
// major version of the range when it can tell (0 when it cannot).
func lruDependency(path string) (major int, ok bool) {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return 0, false
	}
	for range maxPackageDepth {
		data, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if err == nil {
			var pkg struct {
				Dependencies         map[string]string `json:"dependencies"`
				PeerDependencies     map[string]string `json:"peerDependencies"`
				OptionalDependencies map[string]string `json:"optionalDependencies"`
			}
			if json.Unmarshal(data, &pkg) != nil {
				return 0, false
			}
			for _, deps := range []map[string]string{pkg.Dependencies, pkg.PeerDependencies, pkg.OptionalDependencies} {
				if v, ok := deps[lruPackage]; ok {
					return rangeMajor(v), true
				}
			}
			return 0, false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return 0, false
}

// rangeMajor returns the major version a semver range starts with
// ("^10.2.0" → 10, "~7" → 7), or 0 when it names none ("latest", "*").
func rangeMajor(r string) int {
	r = strings.TrimLeft(strings.TrimSpace(r), "^~>=v ")
	major := 0
	for _, ch := range r {
		if ch < '0' || ch > '9' {
			break
		}
		major = major*10 + int(ch-'0')
		if major > 1000 {
			return 0
		}
	}
	return major
}
