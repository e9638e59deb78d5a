package scope

import (
	"github.com/leakls/leakls/staticcheck/syntax"
)

// Kind sets are switches rather than maps: the walks ask about every node,
// and hashing its kind was 15% of analysing a file in an editor
// (BenchmarkDidChangeToDiagnostics).

// typeOnly reports whether kind is a TypeScript node kind whose subtree
// holds only types: names there are not uses of variables.
func typeOnly(kind string) bool {
	switch kind {
	case "type_annotation", "type_arguments", "type_parameters", "interface_declaration",
		"type_alias_declaration", "implements_clause", "opting_type_annotation",
		"omitting_type_annotation", "asserts_annotation", "type_predicate_annotation":
		return true
	}
	return false
}

// functionKind reports whether kind is a node kind that introduces a
// function scope.
func functionKind(kind string) bool {
	switch kind {
	case "function_declaration", "function_expression",
		"function", // older grammars' function expression
		"generator_function_declaration", "generator_function", "arrow_function",
		"method_definition", "function_signature":
		return true
	}
	return false
}

// IsFunction reports whether kind is a node kind that creates a function
// (and so a closure): declarations, expressions, arrows, methods.
func IsFunction(kind string) bool { return functionKind(kind) && kind != "function_signature" }

// blockKind reports whether kind is a node kind that introduces a block
// scope (unless it is a function's body, which shares the function's
// scope).
func blockKind(kind string) bool {
	switch kind {
	case "statement_block", "for_statement", "for_in_statement", "catch_clause",
		"switch_body", "class_static_block", "internal_module":
		return true
	}
	return false
}

// Build builds the scope model of tree, the parsed text of the file at path
// (the extension decides .mjs/.cjs module kinds; the path is kept in the
// model).
func Build(tree *syntax.Tree, path string) *Model {
	m := &Model{
		Tree:    tree,
		Path:    path,
		scopeOf: make(map[syntax.Node]*Scope),
		ident:   make([]int32, tree.Len()),
	}
	m.Module = m.newScope(ModuleScope, tree.Root(), nil)
	m.declare()
	m.resolve()
	m.moduleFacts()
	return m
}

func (m *Model) newScope(k ScopeKind, n syntax.Node, parent *Scope) *Scope {
	// byName is made on the first declaration: most block scopes declare
	// nothing, and an empty map per scope showed in profiles.
	s := &Scope{Kind: k, Node: n, Parent: parent}
	if parent != nil {
		parent.Children = append(parent.Children, s)
	}
	m.Scopes = append(m.Scopes, s)
	m.scopeOf[n] = s
	return s
}

// scopeKindOf says whether node n of the given kind opens a scope.
func (m *Model) scopeKindOf(n syntax.Node, kind string) (ScopeKind, bool) {
	t := m.Tree
	switch {
	case functionKind(kind):
		return FunctionScope, true
	case kind == "class_declaration" || kind == "class" || kind == "abstract_class_declaration":
		return ClassScope, true
	case blockKind(kind):
		if kind == "statement_block" {
			if p := t.Parent(n); p != syntax.None && functionKind(t.Kind(p)) && t.Field(n) == "body" {
				return 0, false
			}
		}
		return BlockScope, true
	}
	return 0, false
}

// scopeStack tracks the open scopes during a preorder walk.
type scopeStack struct {
	t     *syntax.Tree
	stack []*Scope
}

// at pops the scopes that do not contain n and returns the innermost one.
func (st *scopeStack) at(n syntax.Node) *Scope {
	for len(st.stack) > 1 && !st.t.Contains(st.stack[len(st.stack)-1].Node, n) {
		st.stack = st.stack[:len(st.stack)-1]
	}
	return st.stack[len(st.stack)-1]
}

// skipType reports whether n roots a subtree of types only.
func (m *Model) skipType(n syntax.Node, kind string) bool {
	if typeOnly(kind) {
		return true
	}
	t := m.Tree
	p := t.Parent(n)
	if p == syntax.None {
		return false
	}
	switch t.Kind(p) {
	case "as_expression", "satisfies_expression":
		// (expr as T): everything after the expression is the type.
		return t.Start(n) > t.Start(p) && t.IsNamed(n) && n != t.FirstChild(p)
	}
	return false
}

// declare is the first pass: scopes and declarations.
func (m *Model) declare() {
	t := m.Tree
	st := scopeStack{t: t, stack: []*Scope{m.Module}}
	for n := syntax.Node(1); n < t.End(t.Root()); {
		kind := t.Kind(n)
		if m.skipType(n, kind) {
			n = t.End(n)
			continue
		}
		outer := st.at(n)
		cur := outer
		if sk, ok := m.scopeKindOf(n, kind); ok {
			cur = m.newScope(sk, n, outer)
			st.stack = append(st.stack, cur)
		}
		switch kind {
		case "function_declaration", "generator_function_declaration":
			m.addDecl(outer, Function, t.ChildByField(n, "name"), n, n)
		case "class_declaration", "abstract_class_declaration":
			m.addDecl(outer, Class, t.ChildByField(n, "name"), n, n)
		case "function_expression", "function", "generator_function":
			m.addDecl(cur, Function, t.ChildByField(n, "name"), n, n)
		case "class":
			m.addDecl(cur, Class, t.ChildByField(n, "name"), n, n)
		case "enum_declaration":
			m.addDecl(outer, Enum, t.ChildByField(n, "name"), n, n)
		case "internal_module", "module":
			if name := t.ChildByField(n, "name"); name != syntax.None && t.Kind(name) == "identifier" {
				m.addDecl(outer, Namespace, name, n, n)
			}
		case "arrow_function":
			if p := t.ChildByField(n, "parameter"); p != syntax.None {
				m.addDecl(cur, Param, p, n, syntax.None)
			}
		case "formal_parameters":
			for _, p := range t.NamedChildren(n) {
				m.declareParam(cur, p)
			}
		case "catch_clause":
			m.bindPattern(cur, Catch, t.ChildByField(n, "parameter"), n, syntax.None)
		case "for_in_statement":
			if kw := t.ChildByField(n, "kind"); kw != syntax.None {
				dk := declKindOf(t.Text(kw))
				target := cur
				if dk == Var {
					target = cur.Function()
				}
				m.bindPattern(target, dk, t.ChildByField(n, "left"), n, syntax.None)
			}
		case "variable_declarator":
			m.declareVariable(cur, n)
		case "import_statement":
			m.declareImport(n)
		}
		n++
	}
}

// declKindOf maps a declaration keyword to its kind.
func declKindOf(kw string) DeclKind {
	switch kw {
	case "var":
		return Var
	case "let":
		return Let
	}
	return Const
}

// addDecl declares the identifier ident (ignored unless it is an
// identifier-like node) in s.
func (m *Model) addDecl(s *Scope, k DeclKind, ident, declarator, init syntax.Node) *Decl {
	if ident == syntax.None {
		return nil
	}
	switch m.Tree.Kind(ident) {
	case "identifier", "type_identifier", "shorthand_property_identifier_pattern":
	default:
		return nil
	}
	if m.ident[ident] != 0 {
		return nil // already declared (a pattern seen twice)
	}
	d := &Decl{Name: m.Tree.Text(ident), Kind: k, Scope: s, Ident: ident, Declarator: declarator, Init: init}
	m.Decls = append(m.Decls, d)
	m.ident[ident] = -int32(len(m.Decls))
	s.Decls = append(s.Decls, d)
	if s.byName == nil {
		s.byName = make(map[string]*Decl)
	}
	// A later declaration of the same name in the same scope (var
	// redeclaration, overloads) resolves to the first one.
	if s.byName[d.Name] == nil {
		s.byName[d.Name] = d
	}
	return d
}

// declareVariable declares the names of a variable_declarator.
func (m *Model) declareVariable(cur *Scope, n syntax.Node) {
	t := m.Tree
	dk := Const
	if p := t.Parent(n); p != syntax.None {
		switch t.Kind(p) {
		case "variable_declaration":
			dk = Var
		case "lexical_declaration":
			if kw := t.ChildByField(p, "kind"); kw != syntax.None {
				dk = declKindOf(t.Text(kw))
			}
		}
	}
	target := cur
	if dk == Var {
		target = cur.Function()
	}
	name := t.ChildByField(n, "name")
	init := syntax.None
	if t.Kind(name) == "identifier" {
		init = t.ChildByField(n, "value")
	}
	m.bindPattern(target, dk, name, n, init)
}

// declareParam declares one parameter (JS: identifier or pattern; TS:
// required_parameter / optional_parameter with a pattern and a value).
func (m *Model) declareParam(s *Scope, p syntax.Node) {
	t := m.Tree
	switch t.Kind(p) {
	case "required_parameter", "optional_parameter":
		pat := t.ChildByField(p, "pattern")
		init := syntax.None
		if t.Kind(pat) == "identifier" {
			init = t.ChildByField(p, "value")
		}
		m.bindPattern(s, Param, pat, p, init)
	case "assignment_pattern":
		left := t.ChildByField(p, "left")
		init := syntax.None
		if t.Kind(left) == "identifier" {
			init = t.ChildByField(p, "right")
		}
		m.bindPattern(s, Param, left, p, init)
	default:
		m.bindPattern(s, Param, p, p, syntax.None)
	}
}

// patternBindings returns the identifiers a binding pattern binds, in
// source order. Default values and computed keys inside the pattern are
// not bindings (the second pass resolves them as references).
func patternBindings(t *syntax.Tree, pat syntax.Node) []syntax.Node {
	var out []syntax.Node
	stack := []syntax.Node{pat}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n == syntax.None {
			continue
		}
		var next []syntax.Node
		switch t.Kind(n) {
		case "identifier", "shorthand_property_identifier_pattern":
			out = append(out, n)
		case "object_pattern", "array_pattern":
			next = t.NamedChildren(n)
		case "pair_pattern":
			next = []syntax.Node{t.ChildByField(n, "value")}
		case "assignment_pattern", "object_assignment_pattern":
			next = []syntax.Node{t.ChildByField(n, "left")}
		case "rest_pattern":
			next = t.NamedChildren(n)
		}
		for i := len(next) - 1; i >= 0; i-- {
			stack = append(stack, next[i])
		}
	}
	return out
}

// bindPattern declares every name bound by pat in s.
func (m *Model) bindPattern(s *Scope, k DeclKind, pat, declarator, init syntax.Node) {
	if pat == syntax.None {
		return
	}
	for _, id := range patternBindings(m.Tree, pat) {
		m.addDecl(s, k, id, declarator, init)
	}
}

// declareImport declares the bindings of an import statement and records
// the imports.
func (m *Model) declareImport(n syntax.Node) {
	t := m.Tree
	src := stringValue(t, t.ChildByField(n, "source"))
	clause := t.ChildOfKind(n, "import_clause")
	if req := t.ChildOfKind(n, "import_require_clause"); req != syntax.None {
		// TypeScript: import x = require("y")
		src = stringValue(t, t.ChildByField(req, "source"))
		id := t.ChildOfKind(req, "identifier")
		m.Imports = append(m.Imports, Import{Source: src, Imported: "default", Local: m.addDecl(m.Module, ImportDecl, id, n, syntax.None), Node: n, Require: true})
		return
	}
	if clause == syntax.None {
		m.Imports = append(m.Imports, Import{Source: src, Node: n})
		return
	}
	for _, c := range t.NamedChildren(clause) {
		switch t.Kind(c) {
		case "identifier":
			m.Imports = append(m.Imports, Import{Source: src, Imported: "default", Local: m.addDecl(m.Module, ImportDecl, c, n, syntax.None), Node: n})
		case "namespace_import":
			id := t.ChildOfKind(c, "identifier")
			m.Imports = append(m.Imports, Import{Source: src, Imported: "*", Local: m.addDecl(m.Module, ImportDecl, id, n, syntax.None), Node: n})
		case "named_imports":
			for _, spec := range t.NamedChildren(c) {
				if t.Kind(spec) != "import_specifier" {
					continue
				}
				name := t.ChildByField(spec, "name")
				local := name
				if alias := t.ChildByField(spec, "alias"); alias != syntax.None {
					local = alias
				}
				m.Imports = append(m.Imports, Import{Source: src, Imported: nameText(t, name), Local: m.addDecl(m.Module, ImportDecl, local, spec, syntax.None), Node: n})
			}
		}
	}
}

// stringValue returns the contents of a string literal node ("" if n is
// not a plain string).
func stringValue(t *syntax.Tree, n syntax.Node) string {
	if n == syntax.None || t.Kind(n) != "string" {
		return ""
	}
	s := t.Text(n)
	if len(s) >= 2 {
		return s[1 : len(s)-1]
	}
	return ""
}

// nameText returns an identifier's text or a string literal's contents
// (import { "a-b" as x }).
func nameText(t *syntax.Tree, n syntax.Node) string {
	if t.Kind(n) == "string" {
		return stringValue(t, n)
	}
	return t.Text(n)
}

// resolve is the second pass: references.
func (m *Model) resolve() {
	t := m.Tree
	st := scopeStack{t: t, stack: []*Scope{m.Module}}
	for n := syntax.Node(1); n < t.End(t.Root()); {
		kind := t.Kind(n)
		if m.skipType(n, kind) || m.notReferences(n, kind) {
			n = t.End(n)
			continue
		}
		if s, ok := m.scopeOf[n]; ok {
			st.at(n)
			st.stack = append(st.stack, s)
		}
		switch kind {
		case "identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern":
			if m.ident[n] == 0 && m.isReference(n) {
				cur := st.at(n)
				name := t.Text(n)
				r := Ref{Ident: n, Scope: cur, Decl: cur.Lookup(name), Write: isWriteTarget(t, n)}
				m.Refs = append(m.Refs, r)
				m.ident[n] = int32(len(m.Refs))
			}
		}
		n++
	}
	for i := range m.Refs {
		r := &m.Refs[i]
		if r.Decl == nil {
			continue
		}
		r.Decl.Refs = append(r.Decl.Refs, r)
		// Every function between the use and the declaration captures it.
		for s := r.Scope; s != nil && s != r.Decl.Scope; s = s.Parent {
			if s.Kind == FunctionScope && !containsDecl(s.Captures, r.Decl) {
				s.Captures = append(s.Captures, r.Decl)
			}
		}
	}
}

func containsDecl(ds []*Decl, d *Decl) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

// notReferences reports subtrees that contain no variable references:
// import statements (all bindings), re-exports, and the names in
// export { a as b } aliases.
func (m *Model) notReferences(n syntax.Node, kind string) bool {
	t := m.Tree
	switch kind {
	case "import_statement", "namespace_export", "jsx_closing_element":
		return true
	case "export_statement":
		return t.ChildByField(n, "source") != syntax.None
	}
	if t.Field(n) == "alias" && t.Kind(t.Parent(n)) == "export_specifier" {
		return true
	}
	return false
}

// isReference filters identifiers in positions that are not uses.
func (m *Model) isReference(n syntax.Node) bool {
	t := m.Tree
	p := t.Parent(n)
	switch t.Kind(p) {
	case "jsx_opening_element", "jsx_self_closing_element":
		// <div> is an intrinsic element; <Foo> uses the variable Foo.
		txt := t.Text(n)
		return txt != "" && !(txt[0] >= 'a' && txt[0] <= 'z')
	case "labeled_statement", "break_statement", "continue_statement":
		return false
	case "required_parameter", "optional_parameter":
		return t.Field(n) != "pattern" // `this` parameters and the like
	}
	return true
}

// isWriteTarget reports whether identifier n is assigned: the left of an
// assignment (possibly inside a destructuring pattern), the argument of ++
// or --, or the target of a for-in/of without a declaration.
func isWriteTarget(t *syntax.Tree, n syntax.Node) bool {
	for {
		p := t.Parent(n)
		if p == syntax.None {
			return false
		}
		switch t.Kind(p) {
		case "assignment_expression", "augmented_assignment_expression":
			return t.Field(n) == "left"
		case "update_expression":
			return true
		case "for_in_statement":
			return t.Field(n) == "left"
		case "object_pattern", "array_pattern", "rest_pattern", "parenthesized_expression":
			n = p
		case "pair_pattern", "assignment_pattern", "object_assignment_pattern":
			f := t.Field(n)
			if f != "value" && f != "left" {
				return false
			}
			n = p
		default:
			return false
		}
	}
}
