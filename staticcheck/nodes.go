package staticcheck

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// This file holds small syntactic helpers shared by the rules.

// Callee describes the function part of a call: `obj.prop(…)` has Object
// and Prop set; `name(…)` has Name set. Optional chaining is transparent.
type Callee struct {
	Object syntax.Node // the receiver of a method call, or None
	Prop   string      // the method name of a method call
	Name   string      // the function name of a plain call
}

// CalleeOf describes the callee of a call_expression or new_expression.
func (u *Unit) CalleeOf(call syntax.Node) Callee {
	t := u.Tree
	field := "function"
	if t.Kind(call) == "new_expression" {
		field = "constructor"
	}
	fn := t.Unparen(t.ChildByField(call, field))
	if fn == syntax.None {
		return Callee{Object: syntax.None}
	}
	switch t.Kind(fn) {
	case "identifier":
		return Callee{Object: syntax.None, Name: t.Text(fn)}
	case "member_expression":
		prop := t.ChildByField(fn, "property")
		if prop == syntax.None {
			return Callee{Object: syntax.None}
		}
		return Callee{Object: t.Unparen(t.ChildByField(fn, "object")), Prop: t.Text(prop)}
	}
	return Callee{Object: syntax.None}
}

// Args returns the argument nodes of a call (named children of its
// arguments; comments excluded).
func (u *Unit) Args(call syntax.Node) []syntax.Node {
	t := u.Tree
	args := t.ChildByField(call, "arguments")
	if args == syntax.None || t.Kind(args) != "arguments" {
		return nil
	}
	var out []syntax.Node
	for _, a := range t.NamedChildren(args) {
		if t.Kind(a) != "comment" {
			out = append(out, a)
		}
	}
	return out
}

// StringValue returns the value of a string literal or a template string
// without substitutions, and whether n is one.
func (u *Unit) StringValue(n syntax.Node) (string, bool) {
	t := u.Tree
	n = t.Unparen(n)
	if n == syntax.None {
		return "", false
	}
	switch t.Kind(n) {
	case "string":
		s := t.Text(n)
		if len(s) >= 2 {
			return s[1 : len(s)-1], true
		}
	case "template_string":
		if t.ChildOfKind(n, "template_substitution") == syntax.None {
			s := t.Text(n)
			if len(s) >= 2 {
				return s[1 : len(s)-1], true
			}
		}
	}
	return "", false
}

// IsFunction reports whether n is a function expression, arrow function or
// function declaration.
func (u *Unit) IsFunction(n syntax.Node) bool {
	return n != syntax.None && scope.IsFunction(u.Tree.Kind(n))
}

// ResolveFunction returns the function node an expression denotes: the
// expression itself when it is a function, or the function a local name is
// bound to (`const h = () => …`, `function h() {}`); None otherwise.
func (u *Unit) ResolveFunction(n syntax.Node) syntax.Node {
	t := u.Tree
	n = t.Unparen(n)
	if u.IsFunction(n) {
		return n
	}
	if t.Kind(n) != "identifier" {
		return syntax.None
	}
	d := u.Scope.Resolve(n)
	if d == nil {
		return syntax.None
	}
	if d.Kind == scope.Function && u.IsFunction(d.Declarator) {
		return d.Declarator
	}
	if d.Init != syntax.None && u.IsFunction(t.Unparen(d.Init)) && !hasWrites(d) {
		return t.Unparen(d.Init)
	}
	return syntax.None
}

// hasWrites reports whether a declaration is ever reassigned.
func hasWrites(d *scope.Decl) bool {
	for _, r := range d.Refs {
		if r.Write {
			return true
		}
	}
	return false
}

// Statement returns the statement that contains n and sits directly in a
// statement list (a block, program, switch case or class static block), or
// None. Fixes insert code before or after it.
func (u *Unit) Statement(n syntax.Node) syntax.Node {
	t := u.Tree
	for c := n; c != syntax.None; c = t.Parent(c) {
		p := t.Parent(c)
		if p == syntax.None {
			return syntax.None
		}
		switch t.Kind(p) {
		case "program", "statement_block", "switch_case", "switch_default", "class_static_block":
			if strings.HasSuffix(t.Kind(c), "statement") || strings.HasSuffix(t.Kind(c), "declaration") {
				return c
			}
			return syntax.None
		}
		if u.IsFunction(p) && t.Field(c) == "body" {
			return syntax.None // an arrow function's expression body
		}
	}
	return syntax.None
}

// AfterStatement returns the offset where code that should follow stmt on
// a new line is inserted: the end of stmt, or the end of its line when only
// a line comment follows it there (so the comment stays with stmt).
func (u *Unit) AfterStatement(stmt syntax.Node) int {
	end := u.Tree.EndByte(stmt)
	lineEnd := u.Tree.LineEnd(end)
	if bytes.HasPrefix(bytes.TrimSpace(u.Tree.Src[end:lineEnd]), []byte("//")) {
		return lineEnd
	}
	return end
}

// FreshName returns base, or base with a number appended, such that the
// name is declared nowhere in the file and used nowhere as a global, so a
// fix can introduce it anywhere.
func (u *Unit) FreshName(base string) string {
	if !u.Scope.NameInUse(base) {
		return base
	}
	for i := 2; ; i++ {
		name := base + strconv.Itoa(i)
		if !u.Scope.NameInUse(name) {
			return name
		}
	}
}

// identifierWords splits a string into words for building identifiers
// ("user:login" → ["user", "login"]).
func identifierWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '$')
	})
}

// CamelName joins words into a lowerCamel identifier ("on", "user login" →
// "onUserLogin"); the first word is kept as is.
func CamelName(first string, rest ...string) string {
	var b strings.Builder
	b.WriteString(first)
	for _, r := range rest {
		for _, w := range identifierWords(r) {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

// paramIndex returns the position of parameter d among fn's parameters
// when it is a whole parameter (not part of a destructuring pattern), or
// -1.
func (u *Unit) paramIndex(fn syntax.Node, d *scope.Decl) int {
	t := u.Tree
	if t.ChildByField(fn, "parameter") == d.Ident { // x => …
		return 0
	}
	i := 0
	for _, c := range t.NamedChildren(t.ChildByField(fn, "parameters")) {
		if t.Kind(c) == "comment" {
			continue
		}
		if c == d.Ident || t.ChildByField(c, "pattern") == d.Ident { // TypeScript: (x: T)
			return i
		}
		i++
	}
	return -1
}
