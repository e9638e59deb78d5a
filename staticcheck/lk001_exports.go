package staticcheck

// Collections created directly as CommonJS exports: exports.cache = new
// Map(), module.exports.queue = [].

import (
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// exportCollections returns the collections pass's file creates as
// CommonJS export properties at its top level, with their uses in the file
// (exports.cache, module.exports.cache) and in the files that require it.
func exportCollections(pass *Pass) []*collection {
	u := pass.Unit
	m := pass.Scope
	t := pass.Tree
	var out []*collection
	var roots []syntax.Node // uses of the globals module and exports, found once
	for _, e := range m.Exports {
		if e.Local != nil || e.From != "" || e.Name == "default" || e.Value == syntax.None {
			continue
		}
		outer := outerExpr(t, e.Value)
		asg := t.Parent(outer)
		if t.Kind(asg) != "assignment_expression" || t.Field(outer) != "right" || t.Parent(t.Parent(asg)) != t.Root() {
			continue // not a top-level exports.name = value statement
		}
		left := t.ChildByField(asg, "left")
		kind, seeded, ok := collectionInit(m, e.Value)
		if !ok || t.Kind(left) != "member_expression" {
			continue
		}
		c := &collection{prog: pass.Program, unit: u, name: e.Name, ident: t.ChildByField(left, "property"),
			declarator: asg, init: e.Value, kind: kind, seeded: seeded}
		if roots == nil {
			roots = cjsRoots(m)
		}
		c.addExportUses(pass, e.Name, left, roots)
		out = append(out, c)
	}
	return out
}

// addExportUses classifies the uses of the collection as export name of
// its file, assigned at left: exports.name and module.exports.name in the
// file (roots are cjsRoots), and the files that require it.
func (c *collection) addExportUses(pass *Pass, name string, left syntax.Node, roots []syntax.Node) {
	t := pass.Tree
	for _, r := range roots {
		if occ := exportProperty(t, r, name); occ != syntax.None && occ != left {
			c.classify(pass.Unit, occ)
		}
	}
	for _, b := range requireBindings(pass.Program, pass.Unit, name) {
		for _, r := range b.Decl.Refs {
			if occ, ok := memberOccurrence(b, r); ok {
				c.classify(b.Unit, occ)
			}
		}
	}
}

// cjsExportName returns name when left is exports.name or
// module.exports.name (exports and module being CommonJS's, whose uses are
// roots; see cjsRoots).
func cjsExportName(t *syntax.Tree, roots []syntax.Node, left syntax.Node) (string, bool) {
	if t.Kind(left) != "member_expression" {
		return "", false
	}
	prop := t.ChildByField(left, "property")
	for _, r := range roots {
		if exportProperty(t, r, t.Text(prop)) == left {
			return t.Text(prop), true
		}
	}
	return "", false
}

// cjsRoots returns the uses of the CommonJS globals module and exports
// (never nil).
func cjsRoots(m *scope.Model) []syntax.Node {
	roots := []syntax.Node{}
	for _, r := range m.Globals() {
		if name := m.Tree.Text(r.Ident); name == "module" || name == "exports" {
			roots = append(roots, r.Ident)
		}
	}
	return roots
}

// exportProperty returns exports.name or module.exports.name when id is
// the exports or module identifier at its start, or syntax.None.
func exportProperty(t *syntax.Tree, id syntax.Node, name string) syntax.Node {
	n := id
	switch t.Text(id) {
	case "module":
		p := t.Parent(n)
		if t.Kind(p) != "member_expression" || t.Text(t.ChildByField(p, "property")) != "exports" {
			return syntax.None
		}
		n = p
	case "exports":
	default:
		return syntax.None
	}
	p := t.Parent(n)
	if t.Kind(p) != "member_expression" || t.Field(n) != "object" || t.Text(t.ChildByField(p, "property")) != name {
		return syntax.None
	}
	return p
}

// requireBindings returns the bindings through which the other checked
// files reach export name of u: a destructured or named import of it, or
// the whole module (require, default or namespace import) whose member it
// is.
func requireBindings(prog *Program, u *Unit, name string) []Binding {
	var out []Binding
	for _, e := range prog.importers[u] {
		if e.imp.Local == nil {
			continue
		}
		switch e.imp.Imported {
		case name:
			out = append(out, Binding{Unit: e.from, Decl: e.imp.Local})
		case "default", "*":
			out = append(out, Binding{Unit: e.from, Decl: e.imp.Local, Member: name})
		}
	}
	return out
}
