package staticcheck

import (
	"fmt"
	"slices"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// IntervalLeak is LK003: an interval (or a self-rescheduling timeout) that
// is never cleared.
var IntervalLeak = &Rule{Rule: rules.Must("LK003"), Run: runIntervalLeak}

// globalObjects are the names under which timer functions are reached as
// methods (globalThis.setInterval, window.setInterval …).
var globalObjects = map[string]bool{"globalThis": true, "global": true, "window": true, "self": true, "timers": true}

func runIntervalLeak(p *Pass) {
	t := p.Tree
	for n := syntax.Node(0); n < syntax.Node(t.Len()); n++ {
		if t.Kind(n) != "call_expression" {
			continue
		}
		switch p.timerFunction(n) {
		case "setInterval":
			p.checkInterval(n)
		case "setTimeout":
			p.checkRescheduling(n)
		}
	}
}

// timerFunction returns "setInterval" or "setTimeout" when call starts a
// callback timer (the global function, or as a method of the global
// object or the timers module), "" otherwise. The promise timers of
// "timers/promises" take no callback and are ignored.
func (p *Pass) timerFunction(call syntax.Node) string {
	t := p.Tree
	c := p.CalleeOf(call)
	name := c.Name
	if name == "" {
		obj := c.Object
		if obj == syntax.None || t.Kind(obj) != "identifier" || !globalObjects[t.Text(obj)] {
			return ""
		}
		name = c.Prop
	} else if d := p.Scope.Resolve(t.Unparen(t.ChildByField(call, "function"))); d != nil {
		// A local or imported binding: only the timers module's own.
		imp := importOf(p.Unit, d)
		if imp == nil || (imp.Source != "timers" && imp.Source != "node:timers") {
			return ""
		}
		name = imp.Imported
	}
	if name != "setInterval" && name != "setTimeout" {
		return ""
	}
	args := p.Args(call)
	if len(args) == 0 {
		return ""
	}
	switch t.Kind(t.Unparen(args[0])) {
	case "number", "string":
		return "" // not a callback timer
	}
	return name
}

// timerUse says what happens to a timer handle.
type timerUse uint8

const (
	handleDiscarded timerUse = iota // setInterval(…);
	handleStored                    // const t = setInterval(…); this.t = setInterval(…)
	handleUnrefed                   // setInterval(…).unref();
	handleEscapes                   // returned, passed on, put in a collection
)

// handleUse classifies what happens to the value of the timer call and,
// for a stored handle, returns the expression it is stored in; unrefed
// reports a .unref() chained to the call.
func (p *Pass) handleUse(call syntax.Node) (use timerUse, holder syntax.Node, unrefed bool) {
	t := p.Tree
	n := call
	parent := t.Parent(n)
	for t.Kind(parent) == "parenthesized_expression" {
		n, parent = parent, t.Parent(parent)
	}
	use = handleDiscarded
	// setInterval(…).unref() (and .ref() back, which is unusual enough to ignore)
	if t.Kind(parent) == "member_expression" && t.Field(n) == "object" && t.Text(t.ChildByField(parent, "property")) == "unref" {
		if call2 := t.Parent(parent); t.Kind(call2) == "call_expression" {
			use, unrefed = handleUnrefed, true
			n, parent = call2, t.Parent(call2)
		}
	}
	switch t.Kind(parent) {
	case "expression_statement":
		return use, syntax.None, unrefed
	case "variable_declarator":
		if name := t.ChildByField(parent, "name"); t.Kind(name) == "identifier" && t.Field(n) == "value" {
			return handleStored, name, unrefed
		}
	case "assignment_expression":
		if t.Field(n) == "right" {
			left := t.ChildByField(parent, "left")
			switch t.Kind(left) {
			case "identifier", "member_expression":
				return handleStored, left, unrefed
			}
		}
	}
	return handleEscapes, syntax.None, unrefed
}

// checkInterval reports a setInterval call whose timer is never cleared.
func (p *Pass) checkInterval(call syntax.Node) {
	t := p.Tree
	use, holder, unrefed := p.handleUse(call)
	repeats := p.RunsRepeatedly(call, nil)
	repeater := p.RepeatingFunction(call)
	callee := t.ChildByField(call, "function")
	switch use {
	case handleEscapes:
		return
	case handleUnrefed:
		if !repeats {
			return
		}
		fallthrough
	case handleDiscarded:
		if !repeats {
			p.ReportNode(callee, "module-level setInterval is never cleared and keeps the process alive: call .unref() on a background timer, or keep its handle and clear it on shutdown",
				p.unrefFix(call))
			return
		}
		msg := fmt.Sprintf("setInterval started %s with its handle discarded: the timer is never cleared, runs forever and keeps its callback's closure alive", p.describeRepeater(repeater))
		var fixes []finding.Fix
		if f, ok := p.keepAndClearFix(call, repeater); ok {
			fixes = append(fixes, f)
		}
		p.ReportNode(callee, msg, fixes...)
		return
	}
	key, ok := p.Program.KeyOf(p.Unit, holder)
	if !ok || p.handleEscapes(holder) {
		return
	}
	name := t.Text(holder)
	if clears := p.timerClears(key); len(clears) > 0 {
		if !repeats {
			return
		}
		if partial, missed := p.removedOnEveryPath(call, clears, "clear it"); partial != "" {
			var fixes []finding.Fix
			if f, ok := p.clearOnCloseFix(call, repeater, name); ok {
				fixes = append(fixes, f)
			}
			p.ReportNode(callee, fmt.Sprintf("interval %s started %s is cleared %s but not %s: each run that ends that way leaves a timer running that keeps its callback's closure alive",
				name, p.describeRepeater(repeater), partial, missed), fixes...)
		}
		return
	}
	if !repeats {
		if unrefed || p.handleUnrefed(key) {
			return
		}
		p.ReportNode(callee, fmt.Sprintf("interval %s is never cleared nor unref()'d and keeps the process alive: call .unref() on a background timer, or clear it on shutdown", name),
			p.unrefFix(call))
		return
	}
	msg := fmt.Sprintf("interval %s is never cleared: a new timer starts %s, runs forever and keeps its callback's closure alive", name, p.describeRepeater(repeater))
	var fixes []finding.Fix
	if f, ok := p.clearOnCloseFix(call, repeater, name); ok {
		fixes = append(fixes, f)
	}
	p.ReportNode(callee, msg, fixes...)
}

// timerClears returns the clearInterval/clearTimeout calls of the handle
// key anywhere in the program.
func (p *Pass) timerClears(key string) []CallSite {
	return slices.Concat(p.Program.CallsWith("clearInterval", key), p.Program.CallsWith("clearTimeout", key))
}

// handleUnrefed reports a `handle.unref()` call anywhere in the program.
func (p *Pass) handleUnrefed(key string) bool {
	return len(p.Program.CallsOn("unref", key)) > 0
}

// handleEscapes reports whether a handle stored in a variable is handed to
// other code (returned, passed to a function other than clear/unref,
// stored elsewhere): then whoever receives it may clear it.
func (p *Pass) handleEscapes(holder syntax.Node) bool {
	t := p.Tree
	d := p.Scope.Resolve(holder)
	if d == nil {
		return false
	}
	for _, r := range d.Refs {
		if r.Write {
			continue
		}
		n := r.Ident
		parent := t.Parent(n)
		switch t.Kind(parent) {
		case "arguments":
			call := t.Parent(parent)
			c := p.CalleeOf(call)
			if c.Name != "clearInterval" && c.Name != "clearTimeout" {
				return true
			}
		case "return_statement", "variable_declarator", "assignment_expression", "array", "pair":
			return true
		}
		if t.Kind(n) == "shorthand_property_identifier" {
			return true
		}
	}
	return false
}

// unrefFix appends .unref() to the timer call (keeping any handle, since
// unref() returns the timer).
func (p *Pass) unrefFix(call syntax.Node) finding.Fix {
	end := p.Tree.EndByte(call)
	return finding.Fix{
		Message: "Call .unref() so this background timer does not keep the process alive",
		Edits:   []finding.Edit{{Start: end, End: end, NewText: ".unref()"}},
	}
}

// keepAndClearFix keeps the handle of a discarded interval and clears it
// when a per-call object of the repeating function closes:
//
//	const timer = setInterval(…);
//	res.once("close", () => clearInterval(timer));
func (p *Pass) keepAndClearFix(call, repeater syntax.Node) (finding.Fix, bool) {
	t := p.Tree
	closer := p.closeableParam(repeater, syntax.None)
	stmt := p.Statement(call)
	if closer == "" || stmt == syntax.None || t.Kind(stmt) != "expression_statement" || t.Unparen(t.FirstChild(stmt)) != call {
		return finding.Fix{}, false
	}
	name := p.FreshName("timer")
	end := p.AfterStatement(stmt)
	return finding.Fix{
		Message: fmt.Sprintf("Keep the interval handle and clear it when %s closes", closer),
		Edits: []finding.Edit{
			{Start: t.Start(stmt), End: t.Start(stmt), NewText: "const " + name + " = "},
			{Start: end, End: end, NewText: fmt.Sprintf("\n%s%s.once(\"close\", () => clearInterval(%s));", p.Tree.Indent(t.Start(stmt)), closer, name)},
		},
	}, true
}

// clearOnCloseFix clears a stored interval handle when a per-call object
// of the repeating function closes.
func (p *Pass) clearOnCloseFix(call, repeater syntax.Node, handle string) (finding.Fix, bool) {
	t := p.Tree
	closer := p.closeableParam(repeater, syntax.None)
	stmt := p.Statement(call)
	if closer == "" || stmt == syntax.None {
		return finding.Fix{}, false
	}
	end := p.AfterStatement(stmt)
	return finding.Fix{
		Message: fmt.Sprintf("Clear the interval when %s closes", closer),
		Edits: []finding.Edit{{Start: end, End: end,
			NewText: fmt.Sprintf("\n%s%s.once(\"close\", () => clearInterval(%s));", p.Tree.Indent(t.Start(stmt)), closer, handle)}},
	}, true
}

// checkRescheduling reports a setTimeout that reschedules the function it
// runs in, unconditionally and without keeping a handle: a loop nobody can
// stop.
func (p *Pass) checkRescheduling(call syntax.Node) {
	t := p.Tree
	fn := p.ResolveFunction(p.Args(call)[0])
	if fn == syntax.None || !t.Contains(fn, call) || p.Scope.EnclosingFunction(call) != fn {
		return
	}
	use, _, _ := p.handleUse(call)
	if use != handleDiscarded || p.hasStopCondition(fn) {
		return
	}
	name := p.functionName(fn)
	if name == "" {
		name = "the callback"
	} else {
		name += "()"
	}
	msg := fmt.Sprintf("%s reschedules itself with setTimeout on every run, unconditionally and without keeping the handle: the loop can never be stopped", name)
	var fixes []finding.Fix
	if p.startedOnceAtTopLevel(fn) {
		fixes = append(fixes, p.unrefFix(call))
	}
	p.ReportNode(t.ChildByField(call, "function"), msg, fixes...)
}

// hasStopCondition reports whether the body of fn (not counting nested
// functions) can end the loop: any branch, early return or throw.
func (p *Pass) hasStopCondition(fn syntax.Node) bool {
	t := p.Tree
	body := t.ChildByField(fn, "body")
	if body == syntax.None {
		return true
	}
	for n := body; n < t.End(body); n++ {
		if n != body && p.IsFunction(n) {
			n = t.End(n) - 1
			continue
		}
		switch t.Kind(n) {
		case "if_statement", "switch_statement", "return_statement", "throw_statement",
			"ternary_expression", "while_statement", "for_statement", "try_statement":
			return true
		case "binary_expression":
			switch t.Text(t.ChildByField(n, "operator")) {
			case "&&", "||", "??":
				return true
			}
		}
	}
	return false
}

// startedOnceAtTopLevel reports whether the named function fn is called,
// apart from its own rescheduling, exactly once, from module-level code.
func (p *Pass) startedOnceAtTopLevel(fn syntax.Node) bool {
	t := p.Tree
	name := t.ChildByField(fn, "name")
	if name == syntax.None {
		if parent := t.Parent(fn); t.Kind(parent) == "variable_declarator" {
			name = t.ChildByField(parent, "name")
		}
	}
	d := p.Scope.DeclAt(name)
	if d == nil || d.Export != "" {
		return false
	}
	calls := 0
	for _, r := range d.Refs {
		if t.Contains(fn, r.Ident) {
			continue
		}
		call := t.Parent(r.Ident)
		if t.Kind(call) != "call_expression" || t.ChildByField(call, "function") != r.Ident || p.RunsRepeatedly(call, nil) {
			return false
		}
		calls++
	}
	return calls == 1
}
