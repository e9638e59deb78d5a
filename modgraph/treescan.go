package modgraph

import (
	"strings"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// Spec is one import that a Scan function (see Options.Scan) found in a
// file: what Load resolves.
type Spec struct {
	// Specifier is the module specifier, the text of the string literal.
	Specifier string
	// Kind is the syntactic form of the import.
	Kind ImportKind
	// Pos is where the specifier's string literal starts; the note of an
	// import that does not resolve is placed there.
	Pos finding.Pos
}

// TreeImports lists the imports of a file parsed with tree-sitter, in
// source order: the import records esbuild's own parse would give, for
// callers that have the syntax tree already (Options.Scan) and so need not
// parse the file a second time.
//
// They are static imports and "export … from" (ESMImport; TypeScript's
// "import x = require(…)" is a Require), require(…) calls with one string
// argument (Require) and import(…) expressions (DynamicImport), whose
// specifier is a string literal or a template literal without
// substitutions. TypeScript's "import type" and "export type" are left
// out, as the compiler erases them. Two differences from esbuild remain,
// both adding edges rather than losing any: TypeScript imports used only
// as types without saying so are kept, and a call of a local function
// named require counts as a require. Specifiers with escape sequences are
// left out, like non-literal ones.
func TreeImports(t *syntax.Tree) []Spec {
	var out []Spec
	add := func(str syntax.Node, kind ImportKind) {
		if s, ok := literalText(t, str); ok {
			out = append(out, Spec{Specifier: s, Kind: kind, Pos: t.Pos(t.Start(str))})
		}
	}
	for n := syntax.Node(0); int(n) < t.Len(); n++ {
		switch t.Kind(n) {
		case "import_statement":
			if t.ChildOfKind(n, "type") != syntax.None {
				continue // import type { T } from "./t"
			}
			if req := t.ChildOfKind(n, "import_require_clause"); req != syntax.None {
				add(t.ChildByField(req, "source"), Require)
				continue
			}
			add(t.ChildByField(n, "source"), ESMImport)
		case "export_statement":
			if t.ChildOfKind(n, "type") == syntax.None {
				add(t.ChildByField(n, "source"), ESMImport)
			}
		case "call_expression":
			fn := t.ChildByField(n, "function")
			arg, nargs := firstArg(t, t.ChildByField(n, "arguments"))
			switch {
			case nargs == 0:
			case t.Kind(fn) == "import" && nargs <= 2: // import("./x", { with: … })
				add(arg, DynamicImport)
			case t.Kind(fn) == "identifier" && t.Text(fn) == "require" && nargs == 1:
				add(arg, Require)
			}
		}
	}
	return out
}

// firstArg returns the first argument of an argument list and the number
// of arguments, comments aside.
func firstArg(t *syntax.Tree, args syntax.Node) (first syntax.Node, n int) {
	first = syntax.None
	for c := t.FirstChild(args); c != syntax.None; c = t.NextSibling(c) {
		if !t.IsNamed(c) || t.Kind(c) == "comment" {
			continue
		}
		if n == 0 {
			first = c
		}
		n++
	}
	return first, n
}

// literalText returns the value of a string literal, or of a template
// literal without substitutions, when it has no escape sequence.
func literalText(t *syntax.Tree, n syntax.Node) (string, bool) {
	switch t.Kind(n) {
	case "string":
	case "template_string":
		if t.ChildOfKind(n, "template_substitution") != syntax.None {
			return "", false
		}
	default:
		return "", false
	}
	s := t.Text(n)
	if len(s) < 2 || strings.IndexByte(s, '\\') >= 0 {
		return "", false
	}
	return s[1 : len(s)-1], true
}
