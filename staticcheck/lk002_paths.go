package staticcheck

import (
	"fmt"
	"maps"
	"slices"
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
// returns first; one in a helper that only some of the handlers the
// adding function installs for an object's ends call (done() from
// request.onload, not from onerror) does not run on the others.

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
// The removals in helpers outside the adding function are judged
// together (see handlerPath): one helper per way out covers them all.
func (p *Pass) removedOnEveryPath(add syntax.Node, removals []CallSite, undo string) (partial, missed string) {
	var outside []syntax.Node
	for _, cs := range removals {
		where, skipped, out := p.removalPath(add, cs, undo)
		if out {
			outside = append(outside, cs.Call)
			continue
		}
		if where == "" {
			return "", ""
		}
		if partial == "" {
			partial, missed = where, skipped
		}
	}
	if len(outside) > 0 {
		where, skipped := p.handlerPath(add, outside)
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
// code shows. outside reports a removal in this file outside the adding
// function and outside any listener: handlerPath judges those.
func (p *Pass) removalPath(add syntax.Node, cs CallSite, undo string) (where, skipped string, outside bool) {
	if cs.Unit != p.Unit {
		return "", "", false
	}
	t := p.Tree
	fn := p.Scope.EnclosingFunction(cs.Call)
	if fn == syntax.None {
		return "", "", false
	}
	if calls := p.listenerCallsOf(fn); len(calls) > 0 {
		for _, call := range calls {
			if ev, ok := p.StringValue(p.Args(call)[0]); !ok || !partialEndEvents[ev] {
				return "", "", false // also on 'close', 'error' …
			}
		}
		ev, _ := p.StringValue(p.Args(calls[0])[0])
		emitter := t.Text(p.CalleeOf(calls[0]).Object)
		return fmt.Sprintf("on %q of %s", ev, emitter), fmt.Sprintf("when %s errors or is destroyed first (%q comes on every path)", emitter, "close"), false
	}
	if fn != p.Scope.EnclosingFunction(add) {
		return "", "", true
	}
	if t.Start(cs.Call) < t.EndByte(add) || p.inHandlerClause(cs.Call, fn) {
		return "", "", false
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
				return "after " + shortText(t, n), fmt.Sprintf("when it throws (%s in a finally block)", undo), false
			}
		case "return_statement", "throw_statement":
			if !t.Contains(n, cs.Call) {
				return "further down", fmt.Sprintf("when an early %s leaves the function first", strings.TrimSuffix(t.Kind(n), "_statement")), false
			}
		}
	}
	return "", "", false
}

// endEvent reports whether ev is an event on which an object's work ends
// one way or another: a terminal event, or an XMLHttpRequest's load and
// loadend.
func endEvent(ev string) bool { return terminalEvents[ev] || ev == "load" || ev == "loadend" }

// endHandler is a function that the adding function installs for one
// way an object's work ends: request.onerror = …, socket.on('end', …).
type endHandler struct {
	object string // the object's source text: "request"
	event  string
	name   string      // how messages name it: "onerror", `"end"`
	call   syntax.Node // the listener registration, None for an assignment
}

// endHandlers returns the handlers that function fn installs, in its own
// body, for the end events of the objects it works with, by function (one
// function may handle several: req.on('end', finish); req.on('error',
// finish)).
func (p *Pass) endHandlers(fn syntax.Node) map[syntax.Node][]endHandler {
	t := p.Tree
	out := map[syntax.Node][]endHandler{}
	for n := fn + 1; n < t.End(fn); n++ {
		if p.Scope.EnclosingFunction(n) != fn {
			continue
		}
		switch t.Kind(n) {
		case "assignment_expression": // request.onerror = function () { … }
			left := t.ChildByField(n, "left")
			prop := t.Text(t.ChildByField(left, "property"))
			h := p.ResolveFunction(t.ChildByField(n, "right"))
			if t.Kind(left) == "member_expression" && strings.HasPrefix(prop, "on") && endEvent(prop[2:]) && h != syntax.None {
				out[h] = append(out[h], endHandler{object: t.Text(t.ChildByField(left, "object")), event: prop[2:], name: prop, call: syntax.None})
			}
		case "call_expression": // socket.on('end', onEnd)
			if !p.isListenerCall(n) {
				continue
			}
			args := p.Args(n)
			ev, ok := p.StringValue(args[0])
			if h := p.ResolveFunction(args[1]); ok && endEvent(ev) && h != syntax.None {
				out[h] = append(out[h], endHandler{object: t.Text(p.CalleeOf(n).Object), event: ev, name: fmt.Sprintf("%q", ev), call: n})
			}
		}
	}
	return out
}

// handlerPath decides, for removals outside the function that adds (at
// add), whether they run in some of the handlers that function installs
// for the ends of one object and not in the others: removed when the
// request loads, but not when it errors, aborts or times out. A 'close'
// handler runs on every path, and so does a once-listener's own event,
// which takes it off. See removalPath for the results.
func (p *Pass) handlerPath(add syntax.Node, removals []syntax.Node) (where, skipped string) {
	fn := p.Scope.EnclosingFunction(add)
	if fn == syntax.None {
		return "", "" // added at the top level: no handlers to tell apart
	}
	handlers := p.endHandlers(fn)
	once := onceListenerMethods[p.CalleeOf(add).Prop] || p.hasOnceOption(p.Args(add))
	count := 0
	for h, es := range handlers {
		if once {
			es = slices.DeleteFunc(es, func(e endHandler) bool { return e.call == add })
			handlers[h] = es
			if len(es) == 0 {
				delete(handlers, h)
			}
		}
		count += len(es)
	}
	if count < 2 {
		return "", ""
	}
	reached := map[syntax.Node]bool{}
	for _, r := range removals {
		p.handlersRunning(r, fn, handlers, reached, maxRunDepth)
	}
	for h := range reached {
		if slices.ContainsFunc(handlers[h], func(e endHandler) bool { return e.event == "close" }) {
			return "", ""
		}
	}
	for _, h := range slices.Sorted(maps.Keys(reached)) { // the first in the source names the object
		if len(handlers[h]) == 0 {
			continue
		}
		obj := handlers[h][0].object
		var ran, missed []string
		for g, es := range handlers {
			for _, e := range es {
				switch {
				case e.object != obj:
				case reached[g]:
					ran = append(ran, e.name)
				default:
					missed = append(missed, e.name)
				}
			}
		}
		if len(missed) > 0 {
			slices.Sort(ran)
			slices.Sort(missed)
			return fmt.Sprintf("in the %s %s of %s", joinWords(ran), plural("handler", len(ran)), obj),
				fmt.Sprintf("in its %s %s", joinWords(missed), plural("handler", len(missed)))
		}
	}
	return "", ""
}

// handlersRunning adds to reached the handlers (see endHandlers) that run
// node n: the one around it, and, when n is in a named helper (done()),
// those that run its calls, up to depth helpers away. It stops at fn.
func (p *Pass) handlersRunning(n, fn syntax.Node, handlers map[syntax.Node][]endHandler, reached map[syntax.Node]bool, depth int) {
	t := p.Tree
	for f := p.Scope.EnclosingFunction(n); f != syntax.None && f != fn; f = p.Scope.EnclosingFunction(f) {
		_, handler := handlers[f]
		if handler {
			reached[f] = true
		}
		d := functionDecl(p.Scope, f)
		if d == nil {
			if handler {
				return
			}
			continue // a callback: runs where it is passed
		}
		for _, use := range valueUses(Binding{Unit: p.Unit, Decl: d}) {
			if call := scope.CallOfCallee(t, use); depth > 0 && call != syntax.None {
				p.handlersRunning(call, fn, handlers, reached, depth-1)
			}
		}
		return
	}
}

// plural returns word for one, and its plural (with an s) for more.
func plural(word string, n int) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// joinWords joins words as a list in prose: "a", "a and b", "a, b and c".
func joinWords(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
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
	if call == syntax.None || p.Tree.Kind(call) != "call_expression" || !p.isListenerCall(call) {
		return syntax.None
	}
	return call
}

// isListenerCall reports whether call registers a listener on an object:
// emitter.on(event, listener), target.addEventListener(…), emitter.once(…).
func (p *Pass) isListenerCall(call syntax.Node) bool {
	c := p.CalleeOf(call)
	return (addListenerMethods[c.Prop] || onceListenerMethods[c.Prop]) && c.Object != syntax.None && len(p.Args(call)) >= 2
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
