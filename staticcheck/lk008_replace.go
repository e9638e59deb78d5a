package staticcheck

import (
	"fmt"
	"slices"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// This file is LK008's "replace without release": a method that puts a
// new object in a property of this (this.conn = new Conn(…)) while the
// type releases what that property holds elsewhere (this.conn.disconnect()
// in stop()). The type shows that the object holds resources of its own
// (a socket, timers, listeners on it), so the one replaced is left open:
// nothing releases it any more, and its resources keep it alive.

// releaseMethods end the resources of the object they are called on.
var releaseMethods = []string{"destroy", "close", "end", "terminate", "disconnect", "dispose", "quit", "kill", "stop", "abort", "unref"}

// replacement is an assignment of a new object to a property of this.
type replacement struct {
	assign syntax.Node // this.conn = new Conn(…)
	field  string
	fn     syntax.Node // the function the assignment is in
}

// checkReplaced reports the properties of this that a repeating method of
// lc fills with a new object without releasing the one there, where the
// type releases that property elsewhere.
func (p *Pass) checkReplaced(lc *lifecycle) {
	if lc.closure {
		return
	}
	t := p.Tree
	released := map[string]syntax.Node{} // field → the first call that releases it
	var repl []replacement
	for n := range lc.nodes(t) {
		switch t.Kind(n) {
		case "call_expression":
			c := p.CalleeOf(n)
			if f, ok := thisField(t, c.Object); ok && slices.Contains(releaseMethods, c.Prop) {
				if _, seen := released[f]; !seen {
					released[f] = n
				}
			}
		case "assignment_expression":
			f, ok := thisField(t, t.ChildByField(n, "left"))
			if ok && t.Kind(t.Unparen(t.ChildByField(n, "right"))) == "new_expression" {
				repl = append(repl, replacement{assign: n, field: f, fn: p.Scope.EnclosingFunction(n)})
			}
		}
	}
	for _, r := range repl {
		rel, ok := released[r.field]
		if !ok || !p.replacesLive(lc, r) {
			continue
		}
		method := lc.methodName(t, r.assign)
		created := t.Text(t.ChildByField(t.Unparen(t.ChildByField(r.assign, "right")), "constructor"))
		release := p.CalleeOf(rel).Prop
		f := finding.Finding{
			Range: t.Range(t.ChildByField(r.assign, "left")),
			Message: fmt.Sprintf("this.%s is replaced with a new %s in %s() without releasing the one it holds (%s() calls this.%s.%s()): the old one stays open, and its listeners and timers keep it alive",
				r.field, created, method, lc.methodName(t, rel), r.field, release),
			Related: []finding.Related{p.Related(rel, "released here")},
		}
		if stmt := p.Statement(r.assign); t.Kind(t.Parent(stmt)) == "statement_block" {
			f.Fixes = []finding.Fix{{
				Message: fmt.Sprintf("Release the previous this.%s first", r.field),
				Edits:   []finding.Edit{insertLineBefore(t, stmt, fmt.Sprintf("if (this.%s) this.%s.%s();", r.field, r.field, release))},
			}}
		}
		p.Report(f)
	}
}

// replacesLive reports whether replacement r may drop a live object: it
// is in a method other than the constructor and the set-up methods (which
// run once per instance, before anything is there), in code that runs
// again and again, and nothing before it in its function reads the
// property (a check, a release, a copy kept to release later) or runs it
// because the old object ended (a 'close' listener on it).
func (p *Pass) replacesLive(lc *lifecycle, r replacement) bool {
	t := p.Tree
	method := lc.methodName(t, r.assign)
	if method == "" || method == "constructor" || setupName.MatchString(method) || !p.RunsRepeatedly(r.assign, nil) {
		return false
	}
	for n := r.fn; n < r.assign; n++ {
		if f, ok := thisField(t, n); ok && f == r.field && !isAssignedTo(t, n) {
			return false
		}
	}
	for fn := r.fn; fn != syntax.None && lc.contains(t, fn); fn = p.Scope.EnclosingFunction(fn) {
		if call := p.listenerCallOf(fn); call != syntax.None {
			f, own := thisField(t, p.CalleeOf(call).Object)
			ev, _ := p.StringValue(p.Args(call)[0])
			if own && f == r.field && (teardownEvents[ev] || ev == "error") {
				return false
			}
		}
	}
	return true
}

// isAssignedTo reports whether e is the left side of an assignment.
func isAssignedTo(t *syntax.Tree, e syntax.Node) bool {
	parent := t.Parent(e)
	return t.Kind(parent) == "assignment_expression" && t.ChildByField(parent, "left") == e
}

// thisField returns name when e is this.name.
func thisField(t *syntax.Tree, e syntax.Node) (string, bool) {
	if e == syntax.None {
		return "", false
	}
	e = t.Unparen(e)
	if t.Kind(e) != "member_expression" || t.Kind(t.Unparen(t.ChildByField(e, "object"))) != "this" {
		return "", false
	}
	return t.Text(t.ChildByField(e, "property")), true
}
