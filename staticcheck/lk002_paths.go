package staticcheck

import (
	"fmt"
	"strings"

	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// This file decides whether the removals of a listener (LK002) or the
// clears of a timer (LK003) run on every way out of the lifetime they are
// tied to: a removal in an 'end' listener
// does not run when the stream errors or is destroyed ('close' does), and
// one after an await or after an early return in the function that added
// the listener does not run when the await throws or the function
// returns first.

// partialEndEvents are the events that end a stream or request on its
// success path only; 'close' comes on every path.
var partialEndEvents = map[string]bool{"end": true, "finish": true}

// removedOnEveryPath reports, for the listener or timer that call add
// registers and whose removals (or clears) are known, where the removals
// run when none of them runs on every way out (undo names the fix for
// messages: "remove the listener"): partial
// says where they run ("on 'end' of res"), missed what escapes them
// ("when it errors or is destroyed"). Both are "" when some removal
// covers every path, or when the code does not show which path it is on.
func (p *Pass) removedOnEveryPath(add syntax.Node, removals []CallSite, undo string) (partial, missed string) {
	for _, cs := range removals {
		where, skipped := p.removalPath(add, cs, undo)
		if where == "" {
			return "", ""
		}
		if partial == "" {
			partial, missed = where, skipped
		}
	}
	return partial, missed
}

// removalPath says on which way out removal cs runs when it does not run
// on every one (see removedOnEveryPath), or "" when it does as far as the
// code shows.
func (p *Pass) removalPath(add syntax.Node, cs CallSite, undo string) (where, skipped string) {
	if cs.Unit != p.Unit {
		return "", ""
	}
	t := p.Tree
	fn := p.Scope.EnclosingFunction(cs.Call)
	if fn == syntax.None {
		return "", ""
	}
	if calls := p.listenerCallsOf(fn); len(calls) > 0 {
		for _, call := range calls {
			if ev, ok := p.StringValue(p.Args(call)[0]); !ok || !partialEndEvents[ev] {
				return "", "" // also on 'close', 'error' …
			}
		}
		ev, _ := p.StringValue(p.Args(calls[0])[0])
		emitter := t.Text(p.CalleeOf(calls[0]).Object)
		return fmt.Sprintf("on %q of %s", ev, emitter), fmt.Sprintf("when %s errors or is destroyed first (%q comes on every path)", emitter, "close")
	}
	if fn != p.Scope.EnclosingFunction(add) || t.Start(cs.Call) < t.EndByte(add) || p.inHandlerClause(cs.Call, fn) {
		return "", ""
	}
	// The removal follows the add in the same function: what between them
	// leaves the function first?
	for n := t.End(add); n < cs.Call; n++ {
		if p.Scope.EnclosingFunction(n) != fn || p.inHandlerClause(n, fn) {
			continue
		}
		switch t.Kind(n) {
		case "await_expression":
			if !p.insideTry(n, fn) {
				return "after " + shortText(t, n), fmt.Sprintf("when it throws (%s in a finally block)", undo)
			}
		case "return_statement", "throw_statement":
			if !t.Contains(n, cs.Call) {
				return "further down", fmt.Sprintf("when an early %s leaves the function first", strings.TrimSuffix(t.Kind(n), "_statement"))
			}
		}
	}
	return "", ""
}

// shortText returns the source of n on one line, cut after 40 bytes.
func shortText(t *syntax.Tree, n syntax.Node) string {
	s := strings.Join(strings.Fields(t.Text(n)), " ")
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return "`" + s + "`"
}

// listenerCallsOf returns the listener registrations (X.on(ev, fn),
// X.once(ev, fn)) that run function fn: the one it is the callback of, or,
// for a function bound to a name (const cleanup = () => …), the ones its
// every use passes it to. Nil when fn runs some other way too.
func (p *Pass) listenerCallsOf(fn syntax.Node) []syntax.Node {
	t := p.Tree
	if call := p.listenerCallOf(fn); call != syntax.None {
		return []syntax.Node{call}
	}
	name := t.ChildByField(fn, "name")
	if parent := t.Parent(fn); t.Kind(parent) == "variable_declarator" {
		name = t.ChildByField(parent, "name")
	}
	d := p.Scope.DeclAt(name)
	if d == nil || len(d.Refs) == 0 {
		return nil
	}
	var calls []syntax.Node
	for _, r := range d.Refs {
		call := p.listenerCallOf(r.Ident)
		if call == syntax.None || p.Args(call)[1] != r.Ident {
			return nil
		}
		calls = append(calls, call)
	}
	return calls
}

// listenerCallOf returns the listener registration that passes n as an
// argument, or None.
func (p *Pass) listenerCallOf(n syntax.Node) syntax.Node {
	call := scope.CallOfArgument(p.Tree, n)
	if call == syntax.None || p.Tree.Kind(call) != "call_expression" {
		return syntax.None
	}
	c := p.CalleeOf(call)
	if !addListenerMethods[c.Prop] && !onceListenerMethods[c.Prop] || len(p.Args(call)) < 2 || c.Object == syntax.None {
		return syntax.None
	}
	return call
}

// inHandlerClause reports whether n is inside a catch or finally clause
// between itself and function fn: code that runs when the try block
// throws.
func (p *Pass) inHandlerClause(n, fn syntax.Node) bool {
	t := p.Tree
	for a := t.Parent(n); a != syntax.None && a != fn; a = t.Parent(a) {
		switch t.Kind(a) {
		case "catch_clause", "finally_clause":
			return true
		}
	}
	return false
}

// insideTry reports whether n, in function fn, is inside the block of a
// try statement with a catch or finally clause: where a throw goes from
// there is not followed.
func (p *Pass) insideTry(n, fn syntax.Node) bool {
	t := p.Tree
	for a := t.Parent(n); a != syntax.None && a != fn; a = t.Parent(a) {
		if t.Kind(a) == "try_statement" && t.Contains(t.ChildByField(a, "body"), n) {
			return true
		}
	}
	return false
}
