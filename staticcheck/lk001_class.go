package staticcheck

// Collections held in class fields: a static field of a module-level class
// lives as long as the module, and so does an instance field when every
// instance is created while the program loads (a singleton service).

import (
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// classCollections returns the collections held in the fields of the
// module-level class declared by d: its static fields, and its instance
// fields when every instance is a module-level variable created at load
// time.
func classCollections(pass *Pass, d *scope.Decl) []*collection {
	t := pass.Tree
	body := t.ChildByField(d.Declarator, "body")
	if body == syntax.None {
		return nil
	}
	instances, singleton := loadTimeInstances(pass, d)
	var out []*collection
	add := func(static bool, name, declarator, init syntax.Node) {
		if t.Kind(name) != "property_identifier" || init == syntax.None || (!static && !singleton) {
			return
		}
		kind, seeded, ok := collectionInit(pass.Scope, init)
		if !ok {
			return
		}
		c := &collection{prog: pass.Program, unit: pass.Unit, name: d.Name + "." + t.Text(name), ident: name,
			declarator: declarator, init: init, field: true, kind: kind, seeded: seeded}
		c.addThisUses(body, static, t.Text(name), declarator)
		if static {
			for _, b := range pass.Program.Aliases(pass.Unit, d) {
				c.addMemberUses(b, t.Text(name), false)
			}
		} else {
			for _, b := range instances {
				c.addMemberUses(b, t.Text(name), true)
			}
		}
		out = append(out, c)
	}
	for _, mem := range t.NamedChildren(body) {
		switch t.Kind(mem) {
		case "field_definition", "public_field_definition":
			add(t.ChildOfKind(mem, "static") != syntax.None, t.FieldName(mem), mem, t.ChildByField(mem, "value"))
		case "method_definition":
			if t.Text(t.ChildByField(mem, "name")) != "constructor" {
				continue
			}
			for _, stmt := range t.NamedChildren(t.ChildByField(mem, "body")) {
				asg := t.FirstChild(stmt)
				if t.Kind(stmt) != "expression_statement" || t.Kind(asg) != "assignment_expression" {
					continue
				}
				left := t.ChildByField(asg, "left")
				if t.Kind(left) == "member_expression" && t.Kind(t.ChildByField(left, "object")) == "this" {
					add(false, t.ChildByField(left, "property"), asg, t.ChildByField(asg, "right"))
				}
			}
		}
	}
	return out
}

// loadTimeInstances returns the bindings holding the instances of the
// class declared by d — module-level variables with their aliases in other
// files, or the importers of a `module.exports = new C()` — and whether
// those are all its instances: every `new` of the class runs at load time
// and is stored in a module-level variable or exported, and the class is
// neither extended nor handed around.
func loadTimeInstances(pass *Pass, d *scope.Decl) ([]Binding, bool) {
	var out []Binding
	for _, b := range pass.Program.Aliases(pass.Unit, d) {
		bt := b.Unit.Tree
		for _, outer := range valueUses(b) {
			p := bt.Parent(outer)
			switch {
			case bt.Kind(p) == "member_expression" && bt.Field(outer) == "object":
				// A static member: Store.all, Store.create().
			case bt.Kind(p) == "new_expression" && bt.Field(outer) == "constructor":
				if runsPerCall(pass.Program, b.Unit, p) {
					return nil, false
				}
				newOuter := outerExpr(bt, p)
				vd := bt.Parent(newOuter)
				if isDefaultExport(b.Unit, newOuter) {
					// module.exports = new C(): the importers hold it.
					out = append(out, defaultImports(pass.Program, b.Unit)...)
					continue
				}
				if bt.Kind(vd) != "variable_declarator" || bt.Field(newOuter) != "value" {
					return nil, false
				}
				inst := b.Unit.Scope.DeclAt(bt.ChildByField(vd, "name"))
				if inst == nil || !inst.ModuleLived() {
					return nil, false
				}
				out = append(out, pass.Program.Aliases(b.Unit, inst)...)
			default:
				return nil, false
			}
		}
	}
	return out, len(out) > 0
}

// isDefaultExport reports whether expression n is the module's default
// export itself (module.exports = n, export default n).
func isDefaultExport(u *Unit, n syntax.Node) bool {
	for _, e := range u.Scope.Exports {
		if e.Name == "default" && e.Value == n {
			return true
		}
	}
	return false
}

// defaultImports returns the bindings through which the other checked
// files import u's default export (import x from, const x = require).
func defaultImports(prog *Program, u *Unit) []Binding {
	var out []Binding
	for _, e := range prog.importers[u] {
		if e.imp.Local != nil && e.imp.Imported == "default" {
			out = append(out, Binding{Unit: e.from, Decl: e.imp.Local})
		}
	}
	return out
}

// valueUses returns, for each reference of binding b that denotes the bound
// declaration and is not only an export of it, the outermost expression
// that is still the same value (outerExpr of the occurrence): what the
// code does with it is decided by that expression's parent.
func valueUses(b Binding) []syntax.Node {
	t := b.Unit.Tree
	var out []syntax.Node
	for _, r := range b.Decl.Refs {
		occ, ok := memberOccurrence(b, r)
		if !ok || isExportUse(b.Unit, b.Decl, occ) {
			continue
		}
		out = append(out, outerExpr(t, occ))
	}
	return out
}

// memberOccurrence returns the expression through which reference r of
// binding b denotes the bound declaration: the identifier itself, or
// ns.name for a namespace or whole-module binding. ok is false when r
// reaches another export of the module.
func memberOccurrence(b Binding, r *scope.Ref) (syntax.Node, bool) {
	if b.Member == "" {
		return r.Ident, true
	}
	t := b.Unit.Tree
	p := t.Parent(r.Ident)
	if t.Kind(p) != "member_expression" || t.Field(r.Ident) != "object" || t.Text(t.ChildByField(p, "property")) != b.Member {
		return syntax.None, false
	}
	return p, true
}

// addMemberUses classifies the uses of field name through binding b (the
// class for a static field, an instance variable for an instance field):
// b.name is the collection. When other is set, any use of b other than a
// member access hands the instance (and so the field) to unknown code.
func (c *collection) addMemberUses(b Binding, name string, other bool) {
	t := b.Unit.Tree
	for _, outer := range valueUses(b) {
		p := t.Parent(outer)
		if t.Kind(p) == "member_expression" && t.Field(outer) == "object" {
			if t.Text(t.ChildByField(p, "property")) == name {
				c.classify(b.Unit, p)
			}
			continue
		}
		if other {
			c.escape()
		}
	}
}

// addThisUses classifies this.name inside the class body: in static
// methods, static blocks and static field initializers for a static field,
// in the other members for an instance field. The initializing assignment
// init (a constructor's this.x = …) is not a use.
func (c *collection) addThisUses(body syntax.Node, static bool, name string, init syntax.Node) {
	t := c.unit.Tree
	for n := body; n < t.End(body); n++ {
		if t.Kind(n) != "this" || t.Contains(init, n) && t.Kind(init) == "assignment_expression" {
			continue
		}
		mem := t.Parent(n)
		if t.Kind(mem) != "member_expression" || t.Text(t.ChildByField(mem, "property")) != name {
			continue
		}
		if s, ok := thisMember(t, n, body); ok && s == static {
			c.classify(c.unit, mem)
		}
	}
}

// thisMember reports which member of the class with body body `this` at
// node n belongs to: whether that member is static, and ok false when n
// is in a nested function or class with its own `this`.
func thisMember(t *syntax.Tree, n, body syntax.Node) (static, ok bool) {
	for p := t.Parent(n); p != syntax.None && p != body; p = t.Parent(p) {
		k := t.Kind(p)
		switch {
		case k == "arrow_function":
		case k == "class_static_block":
			return true, t.Parent(p) == body
		case k == "method_definition", k == "field_definition", k == "public_field_definition":
			return t.ChildOfKind(p, "static") != syntax.None, t.Parent(p) == body
		case scope.IsFunction(k), k == "class_body":
			return false, false
		}
	}
	return false, false
}
