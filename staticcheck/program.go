package staticcheck

import (
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// Unit is one parsed file: its path, syntax tree and scope model.
type Unit struct {
	Path  string
	Tree  *syntax.Tree
	Scope *scope.Model
}

// Program is a set of files analysed together, with the cross-file links
// between their imports and exports.
type Program struct {
	// Units are the files in the order they were given.
	Units []*Unit

	byPath  map[string]*Unit
	resolve func(importer, specifier string) (string, bool) // returns the Path of a unit
	// importers maps a unit to the (unit, import) pairs that import it.
	importers map[*Unit][]importEdge
	// reexports maps a unit to the `export … from` clauses naming it.
	reexports map[*Unit][]reexportEdge

	callsOnce sync.Once
	calls     map[string][]CallSite // see Calls
	keyedMu   sync.Mutex
	keyed     map[keyedCallsOf]*keyedCalls // see CallsOn and CallsWith
	leaksMu   sync.Mutex
	leaks     map[*Unit]*unitLeaks // see Pass.listenerLeaks
}

type reexportEdge struct {
	u   *Unit
	exp *scope.Export
}

type importEdge struct {
	from *Unit
	imp  *scope.Import
}

func newProgram(units []*Unit, resolve func(importer, specifier string) (string, bool)) *Program {
	p := &Program{Units: units, byPath: make(map[string]*Unit, len(units)), resolve: resolve, importers: make(map[*Unit][]importEdge), reexports: make(map[*Unit][]reexportEdge)}
	for _, u := range units {
		p.byPath[filepath.Clean(u.Path)] = u
	}
	for _, u := range units {
		for i := range u.Scope.Imports {
			imp := &u.Scope.Imports[i]
			if to := p.ResolveImport(u, imp.Source); to != nil && to != u {
				p.importers[to] = append(p.importers[to], importEdge{from: u, imp: imp})
			}
		}
		for i := range u.Scope.Exports {
			e := &u.Scope.Exports[i]
			if e.From == "" {
				continue
			}
			if to := p.ResolveImport(u, e.From); to != nil && to != u {
				p.reexports[to] = append(p.reexports[to], reexportEdge{u: u, exp: e})
			}
		}
	}
	return p
}

// Unit returns the unit of the file at path, or nil.
func (p *Program) Unit(path string) *Unit { return p.byPath[filepath.Clean(path)] }

// resolveExts are the extensions tried for an extensionless relative
// specifier, in Node/TypeScript order.
var resolveExts = []string{".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx"}

// ResolveImport returns the checked file that specifier, imported from u,
// refers to, or nil (a package, a built-in, or a file not checked).
func (p *Program) ResolveImport(u *Unit, specifier string) *Unit {
	if specifier == "" {
		return nil
	}
	if p.resolve != nil {
		if to, ok := p.resolve(u.Path, specifier); ok {
			return p.Unit(to)
		}
		return nil
	}
	if !strings.HasPrefix(specifier, "./") && !strings.HasPrefix(specifier, "../") && specifier != "." && specifier != ".." {
		return nil
	}
	base := filepath.Join(filepath.Dir(u.Path), filepath.FromSlash(specifier))
	if to := p.Unit(base); to != nil {
		return to
	}
	// TypeScript's "./x.js" names ./x.ts.
	stem := base
	if ext := path.Ext(specifier); ext == ".js" || ext == ".mjs" || ext == ".cjs" || ext == ".jsx" {
		stem = strings.TrimSuffix(base, filepath.Ext(base))
	}
	for _, dir := range []string{stem, filepath.Join(base, "index")} {
		for _, ext := range resolveExts {
			if to := p.Unit(dir + ext); to != nil {
				return to
			}
		}
	}
	return nil
}

// Binding is one way a program reaches a module-level declaration: the
// declaration itself, or a binding in another file that imports it. When
// Member is set, the declaration is reached as a property of Decl
// (`import * as ns` → ns.bus, `const lib = require("./bus")` → lib.bus).
type Binding struct {
	Unit   *Unit
	Decl   *scope.Decl
	Member string
}

// maxImportHops bounds how many re-export hops Origin and Aliases follow
// (cycles and absurd chains end there).
const maxImportHops = 8

// Origin follows an import binding d of unit u to the module-level
// declaration it imports, through re-exports. It returns (u, d) itself when
// d is not an import, or when the imported module is not checked.
func (p *Program) Origin(u *Unit, d *scope.Decl) (*Unit, *scope.Decl) {
	for range maxImportHops {
		imp := importOf(u, d)
		if imp == nil || imp.Imported == "*" {
			return u, d
		}
		to := p.ResolveImport(u, imp.Source)
		if to == nil {
			return u, d
		}
		e := exportNamed(to, imp.Imported)
		if e == nil || e.Local == nil {
			return u, d
		}
		u, d = to, e.Local
	}
	return u, d
}

// importOf returns the import that created binding d, or nil.
func importOf(u *Unit, d *scope.Decl) *scope.Import {
	if d == nil {
		return nil
	}
	for i := range u.Scope.Imports {
		if u.Scope.Imports[i].Local == d {
			return &u.Scope.Imports[i]
		}
	}
	return nil
}

// exportNamed returns u's export called name, or nil.
func exportNamed(u *Unit, name string) *scope.Export {
	for i := range u.Scope.Exports {
		if u.Scope.Exports[i].Name == name {
			return &u.Scope.Exports[i]
		}
	}
	return nil
}

// Aliases returns every binding through which the program reaches the
// module-level declaration d of unit u: d itself first, then the import
// bindings of other checked files (following re-exports), in file order.
func (p *Program) Aliases(u *Unit, d *scope.Decl) []Binding {
	out := []Binding{{Unit: u, Decl: d}}
	if d == nil || d.Export == "" {
		return out
	}
	type target struct {
		u    *Unit
		name string // export name in u
	}
	queue := []target{}
	for i := range u.Scope.Exports {
		if e := &u.Scope.Exports[i]; e.Local == d {
			queue = append(queue, target{u, e.Name})
		}
	}
	seen := map[target]bool{}
	for hops := 0; len(queue) > 0 && hops < maxImportHops*len(p.Units)+1; hops++ {
		tg := queue[0]
		queue = queue[1:]
		if seen[tg] {
			continue
		}
		seen[tg] = true
		for _, e := range p.importers[tg.u] {
			imp := e.imp
			switch {
			case imp.Imported == tg.name && imp.Local != nil:
				out = append(out, Binding{Unit: e.from, Decl: imp.Local})
				if imp.Local.Export != "" {
					for i := range e.from.Scope.Exports {
						if ex := &e.from.Scope.Exports[i]; ex.Local == imp.Local {
							queue = append(queue, target{e.from, ex.Name})
						}
					}
				}
			case (imp.Imported == "*" || (imp.Require && imp.Imported == "default" && tg.name != "default")) && imp.Local != nil:
				out = append(out, Binding{Unit: e.from, Decl: imp.Local, Member: tg.name})
			}
		}
		// export { x as y } from "./x" in another file.
		for _, e := range p.reexports[tg.u] {
			if e.u.Tree.Text(e.exp.Value) == tg.name {
				queue = append(queue, target{e.u, e.exp.Name})
			}
		}
	}
	return out
}
