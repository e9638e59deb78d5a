package scope

import "github.com/leakls/leakls/staticcheck/syntax"

// DeclAt returns the declaration whose declaring identifier is n, or nil.
func (m *Model) DeclAt(n syntax.Node) *Decl {
	if n < 0 || int(n) >= len(m.ident) || m.ident[n] >= 0 {
		return nil
	}
	return m.Decls[-m.ident[n]-1]
}

// RefAt returns the reference whose identifier is n, or nil.
func (m *Model) RefAt(n syntax.Node) *Ref {
	if n < 0 || int(n) >= len(m.ident) || m.ident[n] <= 0 {
		return nil
	}
	return &m.Refs[m.ident[n]-1]
}

// Resolve returns the declaration an identifier stands for, whether it is
// the declaring identifier or a reference; nil for globals and for nodes
// that are not variable names.
func (m *Model) Resolve(n syntax.Node) *Decl {
	if d := m.DeclAt(n); d != nil {
		return d
	}
	if r := m.RefAt(n); r != nil {
		return r.Decl
	}
	return nil
}

// ScopeOf returns the scope that node n introduces, or nil when n does not
// introduce one.
func (m *Model) ScopeOf(n syntax.Node) *Scope { return m.scopeOf[n] }

// DeclarationOf returns the module-level declaration of name, or nil.
func (m *Model) DeclarationOf(name string) *Decl { return m.Module.Own(name) }

// EnclosingFunction returns the innermost function node that contains n
// (n itself excluded), or syntax.None when n runs at module level.
func (m *Model) EnclosingFunction(n syntax.Node) syntax.Node {
	t := m.Tree
	for p := t.Parent(n); p != syntax.None; p = t.Parent(p) {
		if IsFunction(t.Kind(p)) {
			return p
		}
	}
	return syntax.None
}

// IsPerCall reports whether node n runs once per call of some function
// rather than once when the module loads.
func (m *Model) IsPerCall(n syntax.Node) bool { return m.EnclosingFunction(n) != syntax.None }

// Closure returns the function scope of the function node fn (whose
// Captures list what the closure keeps alive), or nil if fn is not a
// function.
func (m *Model) Closure(fn syntax.Node) *Scope {
	if s := m.scopeOf[fn]; s != nil && s.Kind == FunctionScope {
		return s
	}
	return nil
}

// FunctionAt returns the innermost function node whose range contains the
// position (0-based line, 0-based byte column), or syntax.None. Heap
// snapshots locate closures this way.
func (m *Model) FunctionAt(line, col int) syntax.Node {
	t := m.Tree
	n := t.NodeAt(t.Offset(line, col))
	for ; n != syntax.None; n = t.Parent(n) {
		if IsFunction(t.Kind(n)) {
			return n
		}
	}
	return syntax.None
}

// CallAt returns the call (or new) expression that receives, as a direct
// argument, the function at the position (0-based line, 0-based byte
// column) — the on()/setInterval() call that registered a closure found
// in a heap snapshot — or syntax.None.
func (m *Model) CallAt(line, col int) syntax.Node {
	t := m.Tree
	for fn := m.FunctionAt(line, col); fn != syntax.None; fn = m.EnclosingFunction(fn) {
		if call := CallOfArgument(t, fn); call != syntax.None {
			return call
		}
		// A position inside the body of an inner function that is not an
		// argument (a helper declared inside the callback): look outward
		// only when the position is the function's own start.
		if t.Pos(t.Start(fn)).Line != line {
			return syntax.None
		}
	}
	return syntax.None
}

// CallOfCallee returns the call expression whose callee (its function
// field) is n, or syntax.None: n(…) for an n already wrapped in any
// parentheses the caller wants to see through.
func CallOfCallee(t *syntax.Tree, n syntax.Node) syntax.Node {
	if p := t.Parent(n); t.Kind(p) == "call_expression" && t.Field(n) == "function" {
		return p
	}
	return syntax.None
}

// CallOfArgument returns the call or new expression of which arg is a
// direct argument (parentheses and TS assertions around arg allowed), or
// syntax.None.
func CallOfArgument(t *syntax.Tree, arg syntax.Node) syntax.Node {
	n := arg
	for {
		p := t.Parent(n)
		if p == syntax.None {
			return syntax.None
		}
		switch t.Kind(p) {
		case "parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression":
			n = p
			continue
		case "arguments":
			call := t.Parent(p)
			switch t.Kind(call) {
			case "call_expression", "new_expression":
				return call
			}
		}
		return syntax.None
	}
}

// StrictAt reports whether the code at node n runs in strict mode: an ES
// module, a file or function with a "use strict" directive, or a class body.
func (m *Model) StrictAt(n syntax.Node) bool {
	if m.strict {
		return true
	}
	t := m.Tree
	for p := n; p != syntax.None; p = t.Parent(p) {
		switch k := t.Kind(p); {
		case k == "class_body":
			return true
		case IsFunction(k):
			if body := t.ChildByField(p, "body"); body != syntax.None && t.Kind(body) == "statement_block" && hasUseStrict(t, body) {
				return true
			}
		}
	}
	return false
}

// Strict reports whether the file's top level is strict (an ES module or a
// "use strict" directive).
func (m *Model) Strict() bool { return m.strict }

// Globals returns the references that resolve to no declaration, in source
// order: uses of globals such as process, and assignments to undeclared
// names.
func (m *Model) Globals() []*Ref {
	var out []*Ref
	for i := range m.Refs {
		if m.Refs[i].Decl == nil {
			out = append(out, &m.Refs[i])
		}
	}
	return out
}

// NameInUse reports whether name is declared anywhere in the file or used
// in it as a global: a name that is neither can be introduced anywhere.
// The set of names is built on first use; NameInUse is safe for
// concurrent use.
func (m *Model) NameInUse(name string) bool {
	m.namesOnce.Do(func() {
		m.names = make(map[string]bool, len(m.Decls))
		for _, d := range m.Decls {
			m.names[d.Name] = true
		}
		for i := range m.Refs {
			if m.Refs[i].Decl == nil {
				m.names[m.Tree.Text(m.Refs[i].Ident)] = true
			}
		}
	})
	return m.names[name]
}
