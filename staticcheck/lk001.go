package staticcheck

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// LK001 reports module-level Maps, Sets, arrays and objects that grow on
// every call and that nothing in the program ever shrinks.
var LK001 = &Rule{Rule: rules.Must("LK001"), Run: runLK001}

// defaultBound is the entry limit the quick fixes put on a collection.
const defaultBound = "1000"

func runLK001(pass *Pass) {
	fx := &fixContext{pass: pass}
	for _, c := range moduleCollections(pass) {
		g := c.firstPerCallGrowth()
		if g == nil || c.bounded || c.weakCandidate() {
			continue
		}
		kept := "nothing removes its entries: they stay alive as long as the process"
		if len(c.deletes) > 0 {
			if g.unit != pass.Unit {
				continue
			}
			partial, missed := pass.removedOnEveryPath(g.node, c.deletes, "delete the entry")
			if partial == "" {
				continue
			}
			kept = fmt.Sprintf("its entries are deleted %s but not %s: each call that ends that way leaves its entry, alive as long as the process",
				partial, missed)
		}
		msg := fmt.Sprintf("%s %q grows on every call (%s) and %s", c.kind, c.name, growthOp(g.op), kept)
		at := c.ident
		if g.unit == pass.Unit {
			at = g.node
		}
		f := finding.Finding{
			Range:   pass.Tree.Range(at),
			Message: msg,
			Related: []finding.Related{pass.Related(c.ident, "declared here")},
		}
		if fix, ok := lruFix(fx, c); ok {
			f.Fixes = append(f.Fixes, fix)
		}
		if fix, ok := evictionFix(fx, c); ok {
			f.Fixes = append(f.Fixes, fix)
		}
		pass.Report(f)
	}
	for _, s := range paramStores(pass) {
		pass.reportParamStore(s)
	}
}

// growthOp renders a growth operation for messages.
func growthOp(op string) string {
	if strings.HasPrefix(op, "[") {
		return op + " …"
	}
	return "." + op + "()"
}

// fixContext holds what the fixes of one file's findings share, computed
// on first use: the names the file declares and the lru-cache dependency.
type fixContext struct {
	pass     *Pass
	names    map[string]bool
	lruKnown bool
	lruOK    bool
	lruMajor int
}

// freshName returns name, or name with a numeric suffix, such that no
// declaration of the file uses it, and reserves it.
func (fx *fixContext) freshName(name string) string {
	if fx.names == nil {
		fx.names = make(map[string]bool, len(fx.pass.Scope.Decls))
		for _, d := range fx.pass.Scope.Decls {
			fx.names[d.Name] = true
		}
	}
	candidate := name
	for i := 2; fx.names[candidate]; i++ {
		candidate = name + "_" + strconv.Itoa(i)
	}
	fx.names[candidate] = true
	return candidate
}

// lru reports whether lru-cache is a dependency of the file's package,
// and its major version (0 when unknown).
func (fx *fixContext) lru() (major int, ok bool) {
	if !fx.lruKnown {
		fx.lruMajor, fx.lruOK = lruDependency(fx.pass.Path)
		fx.lruKnown = true
	}
	return fx.lruMajor, fx.lruOK
}

// evictionFix bounds the collection inline: a MAX_<NAME>_SIZE constant
// next to the declaration and, at every per-call growth site of the file,
// a statement that drops the oldest entry beyond it.
func evictionFix(fx *fixContext, c *collection) (finding.Fix, bool) {
	pass := fx.pass
	t := pass.Tree
	limit := fx.freshName("MAX_" + upperSnake(strings.ReplaceAll(c.name, ".", "_")) + "_SIZE")
	stmt := topStatement(t, c.declarator)
	limitDecl := "const " + limit + " = " + defaultBound + ";"
	edits := []finding.Edit{insertLineAfter(t, stmt, limitDecl)}
	if c.field {
		edits[0] = insertLineBefore(t, stmt, limitDecl)
	}
	done := map[int]bool{}
	for _, g := range c.growth {
		if g.unit != pass.Unit || !g.perCall || g.constKey {
			continue
		}
		e, ok := evictAround(t, g, c.kind, limit)
		if !ok || done[e.Start] {
			continue
		}
		done[e.Start] = true
		edits = append(edits, e)
	}
	if len(edits) == 1 {
		return finding.Fix{}, false
	}
	return finding.Fix{Message: "Evict the oldest entry beyond " + defaultBound, Edits: edits}, true
}

// evictionStmt returns the statement that evicts the oldest entry of
// collection name once it holds more than (cmp ">") or at least (cmp ">=")
// limit entries.
func evictionStmt(t *syntax.Tree, name string, kind collKind, op, cmp, limit string) string {
	bang := ""
	if t.Lang != syntax.JavaScript {
		bang = "!" // the iterator's value is typed T | undefined
	}
	switch kind {
	case collMap:
		return fmt.Sprintf("if (%s.size %s %s) %s.delete(%s.keys().next().value%s);", name, cmp, limit, name, name, bang)
	case collSet:
		return fmt.Sprintf("if (%s.size %s %s) %s.delete(%s.values().next().value%s);", name, cmp, limit, name, name, bang)
	case collArray:
		drop := "shift"
		if op == "unshift" {
			drop = "pop"
		}
		return fmt.Sprintf("if (%s.length %s %s) %s.%s();", name, cmp, limit, name, drop)
	}
	return fmt.Sprintf("if (Object.keys(%s).length %s %s) delete %s[Object.keys(%s)[0]];", name, cmp, limit, name, name)
}

// evictAround places the eviction for growth site g: after it when it is
// a statement of its own, before the statement that contains it otherwise,
// and, in an arrow function with an expression body, inside a new block
// body.
func evictAround(t *syntax.Tree, g growth, kind collKind, limit string) (finding.Edit, bool) {
	name := t.Text(g.recv)
	outer := outerExpr(t, g.node)
	if p := t.Parent(outer); t.Kind(p) == "expression_statement" && statementList(t.Kind(t.Parent(p))) {
		return insertLineAfter(t, p, evictionStmt(t, name, kind, g.op, ">", limit)), true
	}
	before := evictionStmt(t, name, kind, g.op, ">=", limit)
	for n := outer; ; {
		p := t.Parent(n)
		if p == syntax.None {
			return finding.Edit{}, false
		}
		if t.Kind(p) == "arrow_function" && t.Field(n) == "body" {
			indent := t.Indent(t.Start(p))
			inner := indent + "  "
			return finding.Edit{Start: t.Start(n), End: t.EndByte(n),
				NewText: "{\n" + inner + before + "\n" + inner + "return " + t.Text(n) + ";\n" + indent + "}"}, true
		}
		if scope.IsFunction(t.Kind(p)) {
			return finding.Edit{}, false
		}
		if statementList(t.Kind(p)) {
			return insertLineBefore(t, n, before), true
		}
		n = p
	}
}

// statementList reports node kinds whose children are statements.
func statementList(kind string) bool {
	switch kind {
	case "program", "statement_block", "switch_case", "switch_default", "class_static_block":
		return true
	}
	return false
}

// topStatement returns the statement of the module's top level that holds
// node n (a declaration, possibly inside export).
func topStatement(t *syntax.Tree, n syntax.Node) syntax.Node {
	for p := t.Parent(n); p != syntax.None && t.Kind(p) != "program"; p = t.Parent(p) {
		n = p
	}
	return n
}

// upperSnake turns a camelCase identifier into UPPER_SNAKE_CASE.
func upperSnake(name string) string {
	var b strings.Builder
	for i, r := range name {
		if r >= 'A' && r <= 'Z' && i > 0 {
			prev := name[i-1]
			if prev >= 'a' && prev <= 'z' || prev >= '0' && prev <= '9' {
				b.WriteByte('_')
			}
		}
		b.WriteString(strings.ToUpper(string(r)))
	}
	return strings.Trim(b.String(), "_$")
}
