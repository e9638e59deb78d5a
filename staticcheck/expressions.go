package staticcheck

// Questions the rules ask about expressions and calls: the callee and
// arguments of a call, constant values, functions, enclosing statements.

import (
	"math"
	"strconv"
	"strings"

	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

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

// Args returns the argument nodes of a call (see callArgs).
func (u *Unit) Args(call syntax.Node) []syntax.Node { return callArgs(u.Tree, call) }

// callArgs returns the argument expressions of a call or new expression
// (comments excluded), or nil when it has no argument list (a tagged
// template).
func callArgs(t *syntax.Tree, call syntax.Node) []syntax.Node {
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

// methodCall splits a call `obj.name(args)` (also `obj?.name(args)`) into
// its receiver and method name. ok is false for any other call, including
// computed members such as obj[name](args).
func methodCall(t *syntax.Tree, call syntax.Node) (obj syntax.Node, name string, ok bool) {
	if t.Kind(call) != "call_expression" {
		return syntax.None, "", false
	}
	fn := t.Unparen(t.ChildByField(call, "function"))
	if fn == syntax.None || t.Kind(fn) != "member_expression" {
		return syntax.None, "", false
	}
	prop := t.ChildByField(fn, "property")
	if prop == syntax.None || t.Kind(prop) != "property_identifier" {
		return syntax.None, "", false
	}
	return t.ChildByField(fn, "object"), t.Text(prop), true
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

// stringLiteral returns the value of a plain string literal (no escapes
// interpreted beyond the quotes), and whether n is one.
func stringLiteral(t *syntax.Tree, n syntax.Node) (string, bool) {
	n = t.Unparen(n)
	if n == syntax.None || t.Kind(n) != "string" {
		return "", false
	}
	s := t.Text(n)
	if len(s) < 2 {
		return "", false
	}
	return s[1 : len(s)-1], true
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
	return u.declFunction(d)
}

// declFunction returns the function that declaration d of u names: a
// function declaration, or a variable bound once to a function; None
// otherwise.
func (u *Unit) declFunction(d *scope.Decl) syntax.Node {
	t := u.Tree
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

// outerExpr climbs from expression n through the parentheses and
// TypeScript assertions that wrap it, returning the outermost wrapper: the
// node whose parent gives n's syntactic role.
func outerExpr(t *syntax.Tree, n syntax.Node) syntax.Node {
	for {
		p := t.Parent(n)
		if p == syntax.None {
			return n
		}
		switch t.Kind(p) {
		case "parenthesized_expression", "non_null_expression", "satisfies_expression":
		case "as_expression", "type_assertion":
			if t.Unparen(p) != t.Unparen(n) {
				return n
			}
		default:
			return n
		}
		n = p
	}
}

// maxConstDepth bounds how many const indirections constNumber follows
// (const A = B; const B = 0), so that a cycle in broken code cannot loop.
const maxConstDepth = 8

// constNumber evaluates expression n to a number when it is a numeric
// literal, Infinity, one of the Number constants, or a const bound to one of
// those. ok is false when the value is not known statically.
func constNumber(m *scope.Model, n syntax.Node) (v float64, ok bool) {
	t := m.Tree
	for depth := 0; depth < maxConstDepth; depth++ {
		n = t.Unparen(n)
		if n == syntax.None {
			return 0, false
		}
		switch t.Kind(n) {
		case "number":
			return parseNumber(t.Text(n))
		case "identifier":
			if t.Text(n) == "Infinity" && m.Resolve(n) == nil {
				return math.Inf(1), true
			}
			d := m.Resolve(n)
			if d == nil || d.Kind != scope.Const || d.Init == syntax.None {
				return 0, false
			}
			n = d.Init
		case "member_expression":
			obj := t.ChildByField(n, "object")
			if t.Kind(obj) != "identifier" || t.Text(obj) != "Number" || m.Resolve(obj) != nil {
				return 0, false
			}
			switch t.Text(t.ChildByField(n, "property")) {
			case "POSITIVE_INFINITY":
				return math.Inf(1), true
			case "MAX_SAFE_INTEGER":
				return 1<<53 - 1, true
			case "MAX_VALUE":
				return math.MaxFloat64, true
			}
			return 0, false
		default:
			return 0, false
		}
	}
	return 0, false
}

// parseNumber parses a JavaScript numeric literal: decimal, exponent,
// hexadecimal, octal and binary forms, with numeric separators. BigInt
// literals (a trailing n) are not numbers a listener limit accepts.
func parseNumber(s string) (float64, bool) {
	s = strings.ReplaceAll(s, "_", "")
	if strings.HasSuffix(s, "n") {
		return 0, false
	}
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			u, err := strconv.ParseUint(s[2:], base, 64)
			return float64(u), err == nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// isLiteral reports whether n (unparenthesized) is a literal whose value
// never changes: a string, number, template without substitutions, boolean
// or null, or a const bound to one.
func isLiteral(m *scope.Model, n syntax.Node) bool {
	t := m.Tree
	for depth := 0; depth < maxConstDepth; depth++ {
		n = t.Unparen(n)
		if n == syntax.None {
			return false
		}
		switch t.Kind(n) {
		case "string", "number", "true", "false", "null":
			return true
		case "template_string":
			return t.ChildOfKind(n, "template_substitution") == syntax.None
		case "identifier":
			d := m.Resolve(n)
			if d == nil || d.Kind != scope.Const || d.Init == syntax.None {
				return false
			}
			n = d.Init
		default:
			return false
		}
	}
	return false
}
