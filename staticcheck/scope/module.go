package scope

import (
	"path/filepath"
	"strings"

	"github.com/leakls/leakls/staticcheck/syntax"
)

// This file derives the module-level facts from the resolved model:
// module kind, strictness, requires and exports.

// moduleFacts finds the module kind, strictness, requires and exports.
func (m *Model) moduleFacts() {
	t := m.Tree
	ext := strings.ToLower(filepath.Ext(m.Path))
	hasESM, hasCJS := false, false
	for _, c := range t.NamedChildren(t.Root()) {
		switch t.Kind(c) {
		case "import_statement":
			if t.ChildOfKind(c, "import_require_clause") != syntax.None {
				hasCJS = true
			} else {
				hasESM = true
			}
		case "export_statement":
			hasESM = true
			m.esmExport(c)
		}
	}
	for i := range m.Refs {
		r := &m.Refs[i]
		if r.Decl != nil {
			continue
		}
		switch t.Text(r.Ident) {
		case "require":
			if call := CallOfCallee(t, r.Ident); call != syntax.None {
				hasCJS = true
				m.requireImport(call)
			}
		case "module", "exports":
			hasCJS = true
			m.cjsExport(r)
		}
	}
	switch {
	case ext == ".mjs" || ext == ".mts" || (hasESM && ext != ".cjs" && ext != ".cts"):
		m.Kind = ESM
	case ext == ".cjs" || ext == ".cts" || hasCJS:
		m.Kind = CommonJS
	default:
		m.Kind = Script
	}
	m.strict = m.Kind == ESM || hasUseStrict(t, t.Root())
}

// hasUseStrict reports a "use strict" directive at the start of body (a
// program or a statement block).
func hasUseStrict(t *syntax.Tree, body syntax.Node) bool {
	for c := t.FirstChild(body); c != syntax.None; c = t.NextSibling(c) {
		switch t.Kind(c) {
		case "comment", "{", "hash_bang_line":
			continue
		case "expression_statement":
			s := t.FirstChild(c)
			if s == syntax.None || t.Kind(s) != "string" {
				return false
			}
			if v := stringValue(t, s); v == "use strict" {
				return true
			}
			continue
		}
		return false
	}
	return false
}

// esmExport records the exports of one export statement.
func (m *Model) esmExport(n syntax.Node) {
	t := m.Tree
	from := stringValue(t, t.ChildByField(n, "source"))
	isDefault := t.ChildOfKind(n, "default") != syntax.None
	if decl := t.ChildByField(n, "declaration"); decl != syntax.None {
		for _, d := range m.declsOf(decl) {
			name := d.Name
			if isDefault {
				name = "default"
			}
			d.Export = name
			m.Exports = append(m.Exports, Export{Name: name, Local: d, Value: decl})
		}
		return
	}
	if v := t.ChildByField(n, "value"); v != syntax.None {
		e := Export{Name: "default", Value: v}
		if u := t.Unparen(v); t.Kind(u) == "identifier" {
			if d := m.Module.Lookup(t.Text(u)); d != nil {
				e.Local = d
				d.Export = "default"
			}
		}
		m.Exports = append(m.Exports, e)
		return
	}
	clause := t.ChildOfKind(n, "export_clause")
	if clause == syntax.None {
		return // export * from "x"
	}
	for _, spec := range t.NamedChildren(clause) {
		if t.Kind(spec) != "export_specifier" {
			continue
		}
		name := t.ChildByField(spec, "name")
		exported := nameText(t, name)
		if alias := t.ChildByField(spec, "alias"); alias != syntax.None {
			exported = nameText(t, alias)
		}
		e := Export{Name: exported, Value: name, From: from}
		if from == "" {
			if d := m.Module.Lookup(t.Text(name)); d != nil {
				e.Local = d
				if d.Export == "" {
					d.Export = exported
				}
			}
		}
		m.Exports = append(m.Exports, e)
	}
}

// declsOf returns the declarations made by a declaration node (a
// lexical/variable declaration, function, class or enum).
func (m *Model) declsOf(decl syntax.Node) []*Decl {
	var out []*Decl
	t := m.Tree
	for i := decl; i < t.End(decl); i++ {
		if m.ident[i] < 0 {
			d := m.Decls[-m.ident[i]-1]
			if d.Scope == m.Module && (d.Declarator == decl || t.Parent(d.Declarator) == decl) {
				out = append(out, d)
			}
		}
	}
	return out
}

// requireImport records a require("x") call: bound to a name
// (const x = require("x")), destructured (const { a } = require("x")),
// a property of it (const a = require("x").a), or unbound.
func (m *Model) requireImport(call syntax.Node) {
	t := m.Tree
	args := t.ChildByField(call, "arguments")
	var src string
	if args != syntax.None {
		if a := t.NamedChildren(args); len(a) == 1 {
			src = stringValue(t, a[0])
		}
	}
	if src == "" {
		return // dynamic require: nothing static to say
	}
	imported, holder := "default", call
	if p := t.Parent(call); t.Kind(p) == "member_expression" && t.Field(call) == "object" {
		imported, holder = t.Text(t.ChildByField(p, "property")), p
	}
	decl := t.Parent(holder)
	if t.Kind(decl) != "variable_declarator" || t.Field(holder) != "value" {
		m.Imports = append(m.Imports, Import{Source: src, Imported: imported, Node: call, Require: true})
		return
	}
	name := t.ChildByField(decl, "name")
	if t.Kind(name) == "identifier" {
		m.Imports = append(m.Imports, Import{Source: src, Imported: imported, Local: m.DeclAt(name), Node: call, Require: true})
		return
	}
	if t.Kind(name) != "object_pattern" || imported != "default" {
		m.Imports = append(m.Imports, Import{Source: src, Imported: imported, Node: call, Require: true})
		return
	}
	for _, c := range t.NamedChildren(name) {
		switch t.Kind(c) {
		case "shorthand_property_identifier_pattern":
			m.Imports = append(m.Imports, Import{Source: src, Imported: t.Text(c), Local: m.DeclAt(c), Node: call, Require: true})
		case "pair_pattern":
			if v := t.ChildByField(c, "value"); t.Kind(v) == "identifier" {
				m.Imports = append(m.Imports, Import{Source: src, Imported: nameText(t, t.ChildByField(c, "key")), Local: m.DeclAt(v), Node: call, Require: true})
			}
		}
	}
}

// cjsExport records module.exports = v, module.exports = { a, b: c },
// exports.a = v and module.exports.a = v, given a reference to module or
// exports.
func (m *Model) cjsExport(r *Ref) {
	t := m.Tree
	target := r.Ident
	p := t.Parent(target)
	if t.Kind(p) != "member_expression" || t.Field(target) != "object" {
		return
	}
	prop := t.Text(t.ChildByField(p, "property"))
	if t.Text(r.Ident) == "module" {
		if prop != "exports" {
			return
		}
		target = p
		p = t.Parent(p)
		if t.Kind(p) == "member_expression" && t.Field(target) == "object" {
			prop = t.Text(t.ChildByField(p, "property")) // module.exports.a
		} else {
			prop = "" // module.exports itself
			p = target
		}
	}
	asg := t.Parent(p)
	if t.Kind(asg) != "assignment_expression" || t.Field(p) != "left" {
		return
	}
	val := t.ChildByField(asg, "right")
	if prop != "" {
		m.addExport(prop, val)
		return
	}
	m.addExport("default", val)
	if u := t.Unparen(val); t.Kind(u) == "object" {
		for _, c := range t.NamedChildren(u) {
			switch t.Kind(c) {
			case "shorthand_property_identifier":
				m.addExport(t.Text(c), c)
			case "pair":
				m.addExport(nameText(t, t.ChildByField(c, "key")), t.ChildByField(c, "value"))
			}
		}
	}
}

// addExport records an export of the expression val under name; when val
// is a name of a module-level declaration, that declaration is exported.
func (m *Model) addExport(name string, val syntax.Node) {
	t := m.Tree
	e := Export{Name: name, Value: val}
	if u := t.Unparen(val); u != syntax.None {
		switch t.Kind(u) {
		case "identifier", "shorthand_property_identifier":
			if d := m.Module.Lookup(t.Text(u)); d != nil {
				e.Local = d
				if d.Export == "" {
					d.Export = name
				}
			}
		}
	}
	m.Exports = append(m.Exports, e)
}
