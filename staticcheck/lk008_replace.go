package staticcheck

import (
	"fmt"
	"slices"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// This file is LK008's "replace without release": a method that puts a
// new object in a property of this (this.conn = new Conn(…), or a new
// interval: this.timer = setInterval(…)) while the type releases what that
// property holds elsewhere (this.conn.disconnect() or
// clearInterval(this.timer) in stop()). The type shows that the object holds resources of its own
// (a socket, timers, listeners on it), so the one replaced is left open:
// nothing releases it any more, and its resources keep it alive.

// releaseMethods end the resources of the object they are called on: the
// methods that end an emitter (endMethods), and those that stop a process,
// a server or a timer.
var releaseMethods = slices.Concat(endMethods, []string{"quit", "kill", "stop", "abort", "unref"})

// replacement is an assignment of a new object, or of a new interval's
// handle, to a property of this.
type replacement struct {
	assign syntax.Node // this.conn = new Conn(…), this.timer = setInterval(…)
	field  string
	fn     syntax.Node // the function the assignment is in
	timer  bool        // an interval, released with clearInterval(this.timer)
}

// checkReplaced reports the properties of this that a repeating method of
// lc fills with a new object (or interval) without releasing the one
// there, where the type releases that property elsewhere.
func (p *Pass) checkReplaced(lc *lifecycle) {
	if lc.closure {
		return
	}
	t := p.Tree
	// The first call that releases each field: this.f.close() for an
	// object, clearInterval(this.f) for a timer.
	released, cleared := map[string]syntax.Node{}, map[string]syntax.Node{}
	first := func(m map[string]syntax.Node, f string, n syntax.Node) {
		if _, seen := m[f]; !seen {
			m[f] = n
		}
	}
	var repl []replacement
	for n := range lc.nodes(t) {
		switch t.Kind(n) {
		case "call_expression":
			c := p.CalleeOf(n)
			if f, ok := thisField(t, c.Object); ok && slices.Contains(releaseMethods, c.Prop) {
				first(released, f, n)
			} else if args := p.Args(n); (c.Name == "clearInterval" || c.Name == "clearTimeout") && len(args) == 1 {
				if f, ok := thisField(t, args[0]); ok {
					first(cleared, f, n)
				}
			}
		case "assignment_expression":
			f, ok := thisField(t, t.ChildByField(n, "left"))
			right := t.Unparen(t.ChildByField(n, "right"))
			timer := t.Kind(right) == "call_expression" && p.timerFunction(right) == "setInterval"
			if ok && (timer || t.Kind(right) == "new_expression") {
				repl = append(repl, replacement{assign: n, field: f, fn: p.Scope.EnclosingFunction(n), timer: timer})
			}
		}
	}
	for _, r := range repl {
		rel, ok := released[r.field]
		if r.timer {
			rel, ok = cleared[r.field]
		}
		if !ok || !p.replacesLive(lc, r) {
			continue
		}
		p.reportReplaced(lc, r, rel)
	}
}

// reportReplaced reports replacement r, which drops what the type
// releases at call rel; the fix releases it first.
func (p *Pass) reportReplaced(lc *lifecycle, r replacement, rel syntax.Node) {
	t := p.Tree
	right := t.Unparen(t.ChildByField(r.assign, "right"))
	created, release, fix, after := "interval", "clearInterval(this."+r.field+")", "clearInterval(this."+r.field+");",
		"keeps running and keeps its callback's closure alive"
	if !r.timer {
		m := p.CalleeOf(rel).Prop
		created = t.Text(t.ChildByField(right, "constructor"))
		release = fmt.Sprintf("this.%s.%s()", r.field, m)
		fix = fmt.Sprintf("if (this.%s) this.%s.%s();", r.field, r.field, m)
		after = "stays open, and its listeners and timers keep it alive"
	}
	f := finding.Finding{
		Range: t.Range(t.ChildByField(r.assign, "left")),
		Message: fmt.Sprintf("this.%s is replaced with a new %s in %s() without releasing the one it holds (%s() calls %s): the old one %s",
			r.field, created, lc.methodName(t, r.assign), lc.methodName(t, rel), release, after),
		Related: []finding.Related{p.Related(rel, "released here")},
	}
	if stmt := p.Statement(r.assign); t.Kind(t.Parent(stmt)) == "statement_block" {
		f.Fixes = []finding.Fix{{
			Message: fmt.Sprintf("Release the previous this.%s first", r.field),
			Edits:   []finding.Edit{insertLineBefore(t, stmt, fix)},
		}}
	}
	p.Report(f)
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
