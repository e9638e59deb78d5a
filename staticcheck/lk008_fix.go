package staticcheck

import (
	"fmt"
	"slices"
	"strings"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// teardownFix adds to the teardown method the line that undoes r: the
// removal of the listener (kept on the instance first when each
// evaluation makes a new function, and replacing the handler of a removal
// that names another function), the clear of the timer, the delete of the
// entry. There is none when the class has no teardown method or the
// teardown cannot reach the target.
func (p *Pass) teardownFix(lc *lifecycle, r registration, other syntax.Node) (finding.Fix, bool) {
	t := p.Tree
	if lc.target == syntax.None || r.reach == "" {
		return finding.Fix{}, false
	}
	where := lc.methodName(t, lc.target) + "()"
	args := p.Args(r.call)
	var fix finding.Fix
	switch r.kind {
	case regTimer:
		clear := "clearTimeout"
		if p.timerFunction(r.call) == "setInterval" {
			clear = "clearInterval"
		}
		fix = finding.Fix{Message: "Clear the timer in " + where, Edits: []finding.Edit{p.teardownLine(lc, fmt.Sprintf("%s(%s);", clear, r.reach))}}
	case regEntry:
		c := p.CalleeOf(r.call)
		if c.Prop != "set" && c.Prop != "add" {
			return finding.Fix{}, false // an array: no one-line removal
		}
		fix = finding.Fix{Message: "Delete the entry in " + where, Edits: []finding.Edit{p.teardownLine(lc, fmt.Sprintf("%s.delete(%s);", r.reach, t.Text(args[0])))}}
	case regSubscription:
		end := p.subscriptionEnd(lc, r)
		if end == syntax.None {
			return finding.Fix{}, false
		}
		// End it the way the type ends it elsewhere: this.sub?.unsubscribe().
		fix = finding.Fix{Message: "End the subscription in " + where, Edits: []finding.Edit{p.teardownLine(lc, t.Text(end)+";")}}
	default:
		var ok bool
		if fix, ok = p.listenerTeardownFix(lc, r, other, where); !ok {
			return finding.Fix{}, false
		}
	}
	slices.SortFunc(fix.Edits, func(a, b finding.Edit) int { return a.Start - b.Start })
	return fix, true
}

// listenerTeardownFix removes r's listener in the teardown. A handler
// that is not the same function on every evaluation is first kept on the
// instance (this.onTick = …), or in a factory in a constant, and passed
// from there.
func (p *Pass) listenerTeardownFix(lc *lifecycle, r registration, other syntax.Node, where string) (finding.Fix, bool) {
	t := p.Tree
	args := p.Args(r.call)
	h := t.Unparen(args[1])
	handler := t.Text(h)
	msg := "Remove the listener in " + where
	var edits []finding.Edit
	if r.handler == "" || !p.stableFunction(h) && !(lc.closure && t.Kind(h) == "identifier") {
		stmt := p.Statement(r.call)
		if stmt == syntax.None || t.Kind(stmt) != "expression_statement" || t.Unparen(t.FirstChild(stmt)) != r.call {
			return finding.Fix{}, false
		}
		if lc.closure {
			// A factory's teardown sees its constants.
			handler, edits = p.hoistHandler(listenerAdd{args: args, event: r.event, hasEvent: r.hasEvent}, stmt, t.Indent(t.Start(stmt)))
			return p.removalFix(lc, r, other, "Keep the listener in a constant and remove it in "+where, handler, edits)
		}
		name := "on"
		if r.hasEvent {
			name = CamelName("on", r.event)
		}
		if t.Kind(h) == "call_expression" && p.CalleeOf(h).Prop == "bind" {
			if m := p.CalleeOf(h).Object; t.Kind(m) == "member_expression" {
				name = CamelName("bound", t.Text(t.ChildByField(m, "property"))) // this.onRequest.bind(this)
			}
		}
		handler = "this." + p.freshProperty(lc, name)
		msg = "Keep the listener on the instance and remove it in " + where
		edits = append(edits,
			insertLineBefore(t, stmt, fmt.Sprintf("%s = %s;", handler, t.Text(args[1]))),
			finding.Edit{Start: t.Start(args[1]), End: t.EndByte(args[1]), NewText: handler})
	}
	return p.removalFix(lc, r, other, msg, handler, edits)
}

// removalFix completes a listener fix with the removal of handler in the
// teardown: the same function (and capture flag) passed to the removal
// there that named another, or a new line.
func (p *Pass) removalFix(lc *lifecycle, r registration, other syntax.Node, msg, handler string, edits []finding.Edit) (finding.Fix, bool) {
	t := p.Tree
	args := p.Args(r.call)
	remove := removeMethods[p.CalleeOf(r.call).Prop]
	if len(args) >= 3 {
		handler += ", " + t.Text(args[2]) // the capture flag must match
	}
	if other != syntax.None {
		// Pass the same function (and flag) to the removal there.
		oargs := p.Args(other)
		return finding.Fix{Message: msg, Edits: append(edits, finding.Edit{Start: t.Start(oargs[1]), End: t.EndByte(oargs[len(oargs)-1]), NewText: handler})}, true
	}
	if remove == "" {
		return finding.Fix{}, false
	}
	line := fmt.Sprintf("%s.%s(%s, %s);", r.reach, remove, t.Text(args[0]), handler)
	return finding.Fix{Message: msg, Edits: append(edits, p.teardownLine(lc, line))}, true
}

// freshProperty returns base, or base with a number appended, that the
// class does not use as a property name.
func (p *Pass) freshProperty(lc *lifecycle, base string) string {
	t := p.Tree
	used := map[string]bool{}
	for n := range lc.nodes(t) {
		switch t.Kind(n) {
		case "property_identifier", "private_property_identifier":
			used[t.Text(n)] = true
		}
	}
	name := base
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	return name
}

// teardownLine returns the edit that adds the statement text to the end
// of the teardown method (before a final return).
func (p *Pass) teardownLine(lc *lifecycle, text string) finding.Edit {
	t := p.Tree
	body := t.ChildByField(lc.target, "body")
	if kids := t.NamedChildren(body); len(kids) > 0 {
		last := kids[len(kids)-1]
		if t.Kind(last) == "return_statement" {
			return insertLineBefore(t, last, text)
		}
		return insertLineAfter(t, last, text)
	}
	indent := t.Indent(t.Start(lc.target))
	return finding.Edit{Start: t.Start(body) + 1, End: t.EndByte(body) - 1, NewText: "\n" + indent + p.indentUnit(lc) + text + "\n" + indent}
}

// indentUnit returns the indentation the type's code adds per block, read
// from its set-up's first statement ("  " when there is none).
func (p *Pass) indentUnit(lc *lifecycle) string {
	t := p.Tree
	for _, s := range lc.setups {
		if kids := t.NamedChildren(t.ChildByField(s, "body")); len(kids) > 0 {
			if unit := strings.TrimPrefix(t.Indent(t.Start(kids[0])), t.Indent(t.Start(s))); unit != "" {
				return unit
			}
		}
	}
	return "  "
}
