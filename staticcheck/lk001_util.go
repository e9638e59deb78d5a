package staticcheck

// Syntax and edit helpers shared by LK001, LK005, LK006 and LK007.

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

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

// callArgs returns the argument expressions of a call or new expression
// (comments excluded).
func callArgs(t *syntax.Tree, call syntax.Node) []syntax.Node {
	args := t.ChildByField(call, "arguments")
	if args == syntax.None {
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

// aloneOnLines reports whether only white space precedes n on its first
// line and only white space or a line comment follows it on its last line.
// It returns the byte range of those whole lines, newline included.
func aloneOnLines(t *syntax.Tree, n syntax.Node) (start, end int, ok bool) {
	src := t.Src
	start = t.LineStart(t.Start(n))
	if len(bytes.TrimSpace(src[start:t.Start(n)])) != 0 {
		return 0, 0, false
	}
	end = t.EndByte(n)
	rest := t.LineEnd(end)
	if !blankOrComment(src[end:rest]) {
		return 0, 0, false
	}
	if rest < len(src) {
		rest++
	}
	return start, rest, true
}

// blankOrComment reports whether the rest of a line is white space,
// possibly followed by a line comment.
func blankOrComment(rest []byte) bool {
	tail := bytes.TrimSpace(rest)
	return len(tail) == 0 || bytes.HasPrefix(tail, []byte("//"))
}

// removeStatement returns the edit that deletes statement stmt: its whole
// lines when it stands alone on them, otherwise just its text.
func removeStatement(t *syntax.Tree, stmt syntax.Node) finding.Edit {
	if start, end, ok := aloneOnLines(t, stmt); ok {
		return finding.Edit{Start: start, End: end}
	}
	return finding.Edit{Start: t.Start(stmt), End: t.EndByte(stmt)}
}

// insertLineAfter returns the edit that adds text as a new line after
// statement stmt, indented like stmt. A line comment that follows stmt on
// its line stays with stmt.
func insertLineAfter(t *syntax.Tree, stmt syntax.Node, text string) finding.Edit {
	end := t.EndByte(stmt)
	if rest := t.LineEnd(end); blankOrComment(t.Src[end:rest]) {
		end = rest
		if end > 0 && t.Src[end-1] == '\r' {
			end--
		}
	}
	return finding.Edit{Start: end, End: end, NewText: "\n" + t.Indent(t.Start(stmt)) + text}
}

// insertLineBefore returns the edit that adds text as a new line before
// statement stmt, indented like stmt. stmt must start its line.
func insertLineBefore(t *syntax.Tree, stmt syntax.Node, text string) finding.Edit {
	start := t.Start(stmt)
	return finding.Edit{Start: start, End: start, NewText: text + "\n" + t.Indent(start)}
}
