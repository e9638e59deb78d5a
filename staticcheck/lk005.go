package staticcheck

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// LK005 reports assignments to undeclared names in sloppy-mode code, which
// silently create properties of the global object.
var LK005 = &Rule{Rule: rules.Must("LK005"), Run: runLK005}

// nodeGlobals are names Node.js or the CommonJS wrapper provide; assigning
// to them is deliberate, not an accident.
var nodeGlobals = map[string]bool{
	"module": true, "exports": true, "require": true, "__filename": true, "__dirname": true,
	"global": true, "globalThis": true, "process": true, "console": true, "Buffer": true,
	"window": true, "self": true, "undefined": true, "NaN": true, "Infinity": true,
}

func runLK005(pass *Pass) {
	m := pass.Scope
	t := pass.Tree
	if t.Lang != syntax.JavaScript || m.Kind == scope.ESM || m.Strict() {
		return
	}
	// First sloppy plain assignment of each undeclared name, in source order.
	var names []string
	first := map[string]*scope.Ref{}
	refs := map[string][]*scope.Ref{}
	var declared map[string]bool // /* global */ comments and typeof tests, built lazily
	for _, r := range m.Globals() {
		name := t.Text(r.Ident)
		refs[name] = append(refs[name], r)
		if !r.Write || nodeGlobals[name] || first[name] != nil || !plainAssignment(t, r.Ident) ||
			m.StrictAt(r.Ident) || t.Ancestor(r.Ident, "with_statement") != syntax.None {
			continue
		}
		if declared == nil {
			declared = knownGlobals(m)
		}
		if declared[name] {
			continue
		}
		first[name] = r
		names = append(names, name)
	}
	if len(names) == 0 || packageTypeModule(pass.Path) {
		return
	}
	for _, name := range names {
		r := first[name]
		f := finding.Finding{
			Range: t.Range(r.Ident),
			Message: fmt.Sprintf("assignment to undeclared %q creates a global variable (sloppy mode): what it holds is never collected; declare it",
				name),
		}
		if fix, ok := declareFix(m, name, refs[name]); ok {
			f.Fixes = []finding.Fix{fix}
		}
		pass.Report(f)
	}
}

// plainAssignment reports whether identifier id is written by a plain `=`
// assignment (possibly inside a destructuring pattern) or as a for-in/of
// target, not by a compound update that reads it first.
func plainAssignment(t *syntax.Tree, id syntax.Node) bool {
	for n := id; ; {
		p := t.Parent(n)
		switch t.Kind(p) {
		case "assignment_expression":
			return t.Field(n) == "left"
		case "for_in_statement":
			return t.Field(n) == "left"
		case "object_pattern", "array_pattern", "pair_pattern", "assignment_pattern",
			"object_assignment_pattern", "rest_pattern", "parenthesized_expression":
			n = p
		default:
			return false
		}
	}
}

// knownGlobals returns the names a file declares as globals on purpose:
// those listed in /* global a, b */ comments and those it tests with
// typeof (the define-if-missing pattern).
func knownGlobals(m *scope.Model) map[string]bool {
	t := m.Tree
	out := map[string]bool{}
	for n := syntax.Node(0); int(n) < t.Len(); n++ {
		switch t.Kind(n) {
		case "comment":
			text := t.Text(n)
			if !strings.HasPrefix(text, "/*") {
				continue
			}
			body := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(text, "/*"), "*/"))
			list, ok := strings.CutPrefix(body, "globals ")
			if !ok {
				list, ok = strings.CutPrefix(body, "global ")
			}
			if !ok {
				continue
			}
			for _, item := range strings.Split(list, ",") {
				name, _, _ := strings.Cut(strings.TrimSpace(item), ":")
				out[strings.TrimSpace(name)] = true
			}
		case "unary_expression":
			if t.Text(t.ChildByField(n, "operator")) == "typeof" {
				if arg := t.Unparen(t.ChildByField(n, "argument")); t.Kind(arg) == "identifier" {
					out[t.Text(arg)] = true
				}
			}
		}
	}
	return out
}

// packageTypeModule reports whether the package.json nearest to the file
// at path declares "type": "module", which makes .js and .jsx files ES
// modules (strict) in Node.
func packageTypeModule(path string) bool {
	if ext := strings.ToLower(filepath.Ext(path)); ext != ".js" && ext != ".jsx" {
		return false
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return false
	}
	for range maxPackageDepth {
		data, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if err == nil {
			var pkg struct {
				Type string `json:"type"`
			}
			return json.Unmarshal(data, &pkg) == nil && pkg.Type == "module"
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false
		}
		dir = parent
	}
	return false
}

// declareFix declares the undeclared name, whose references are refs in
// source order, in the innermost function that contains them all (or at
// the top of the file): as `for (let i …` when they are all in one loop
// that assigns it first, as `let x = …` when the first is an assignment
// statement of that function, and as `let x;` at the start of the
// function otherwise.
func declareFix(m *scope.Model, name string, refs []*scope.Ref) (finding.Fix, bool) {
	t := m.Tree
	firstRef := refs[0].Ident
	fix := func(e finding.Edit) (finding.Fix, bool) {
		return finding.Fix{Message: fmt.Sprintf("Declare %q with let", name), Edits: []finding.Edit{e}}, true
	}
	// A loop that assigns the name in its header and holds every use.
	if loop := t.Ancestor(firstRef, "for_statement", "for_in_statement"); loop != syntax.None && loopDeclares(t, loop, firstRef) && allWithin(t, loop, refs) {
		return fix(finding.Edit{Start: t.Start(firstRef), End: t.Start(firstRef), NewText: "let "})
	}
	holder := m.EnclosingFunction(firstRef)
	for _, r := range refs[1:] {
		for holder != syntax.None && !t.Contains(holder, r.Ident) {
			holder = m.EnclosingFunction(holder)
		}
	}
	body := t.Root()
	for holder != syntax.None {
		body = t.ChildByField(holder, "body")
		if t.Kind(body) == "statement_block" {
			break
		}
		holder = m.EnclosingFunction(holder) // an arrow with an expression body
		body = t.Root()
	}
	// `x = …;` as a statement of the holder's body, before any other use.
	if asg := t.Parent(firstRef); t.Kind(asg) == "assignment_expression" && t.Field(firstRef) == "left" {
		if stmt := t.Parent(outerExpr(t, asg)); t.Kind(stmt) == "expression_statement" && t.Parent(stmt) == body {
			return fix(finding.Edit{Start: t.Start(stmt), End: t.Start(stmt), NewText: "let "})
		}
	}
	for c := t.FirstChild(body); c != syntax.None; c = t.NextSibling(c) {
		switch t.Kind(c) {
		case "{", "comment", "hash_bang_line":
			continue
		}
		if !t.IsNamed(c) {
			break
		}
		return fix(insertLineBefore(t, c, "let "+name+";"))
	}
	return finding.Fix{}, false
}

// loopDeclares reports whether loop assigns id in its header: the whole
// initializer of a for statement (i = 0), or the target of a for-in/of.
func loopDeclares(t *syntax.Tree, loop, id syntax.Node) bool {
	switch t.Kind(loop) {
	case "for_statement":
		init := t.ChildByField(loop, "initializer")
		if t.Kind(init) == "expression_statement" {
			init = t.FirstChild(init)
		}
		return t.Kind(init) == "assignment_expression" && t.ChildByField(init, "left") == id
	case "for_in_statement":
		return t.ChildByField(loop, "left") == id
	}
	return false
}

// allWithin reports whether every reference lies inside node n.
func allWithin(t *syntax.Tree, n syntax.Node, refs []*scope.Ref) bool {
	for _, r := range refs {
		if !t.Contains(n, r.Ident) {
			return false
		}
	}
	return true
}
