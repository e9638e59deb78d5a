package staticcheck

import (
	"fmt"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// hugeListenerLimit is the listener limit from which leakls considers the
// MaxListenersExceededWarning silenced: a hundred times Node's default of
// 10, far beyond what any emitter legitimately needs.
const hugeListenerLimit = 1000

// realListenerLimit is the bound the quick fix puts instead: twice Node's
// default, enough for an emitter with a few genuine subscribers.
const realListenerLimit = "20"

// LK006 reports code that switches off Node's MaxListenersExceededWarning,
// the warning that reports listener leaks.
var LK006 = &Rule{Rule: rules.Must("LK006"), Run: runLK006}

func runLK006(pass *Pass) {
	m := pass.Scope
	t := m.Tree
	report := pass.Report
	for n := syntax.Node(0); int(n) < t.Len(); n++ {
		switch t.Kind(n) {
		case "call_expression":
			if limit, removal, ok := silencingCall(m, n); ok {
				f := lk006Finding(m, n, limit, removal,
					fmt.Sprintf("setMaxListeners(%s) silences the MaxListenersExceededWarning that reports listener leaks; keep a real bound", t.Text(limit)))
				if c := pass.CalleeOf(n); c.Object != syntax.None && pass.leakingOn(c.Object) != syntax.None {
					f.Fixes = f.Fixes[1:] // a real bound only delays the warning of the listener that leaks
				}
				report(f)
			} else if f, ok := pass.raisedLimit(n); ok {
				report(f)
			}
		case "assignment_expression":
			left := t.Unparen(t.ChildByField(n, "left"))
			if t.Kind(left) != "member_expression" || t.Text(t.ChildByField(left, "property")) != "defaultMaxListeners" ||
				!isEventsModule(m, t.ChildByField(left, "object")) {
				continue
			}
			right := t.ChildByField(n, "right")
			if v, ok := constNumber(m, right); !ok || !silencingLimit(v) {
				continue
			}
			removal := syntax.None
			if stmt := t.Parent(outerExpr(t, n)); t.Kind(stmt) == "expression_statement" {
				removal = stmt
			}
			report(lk006Finding(m, n, right, removal,
				fmt.Sprintf("defaultMaxListeners = %s silences the MaxListenersExceededWarning for every emitter in the process; keep a real bound", t.Text(right))))
		}
	}
}

// silencingLimit reports whether a listener limit switches the warning off.
func silencingLimit(v float64) bool { return v == 0 || v >= hugeListenerLimit }

// silencingCall recognizes emitter.setMaxListeners(limit),
// events.setMaxListeners(limit, ...targets) and an imported
// setMaxListeners(limit, ...targets) whose limit silences the warning. It
// returns the limit argument and what the "remove" fix deletes: the
// statement, the call itself (replaced by its receiver, which
// emitter.setMaxListeners returns), or syntax.None when removal is not safe.
func silencingCall(m *scope.Model, call syntax.Node) (limit, removal syntax.Node, ok bool) {
	t := m.Tree
	args := callArgs(t, call)
	if len(args) == 0 {
		return syntax.None, syntax.None, false
	}
	obj, name, isMethod := methodCall(t, call)
	switch {
	case isMethod && name == "setMaxListeners":
	case !isMethod:
		fn := t.Unparen(t.ChildByField(call, "function"))
		if t.Kind(fn) != "identifier" || !importedFromEvents(m, fn, "setMaxListeners") {
			return syntax.None, syntax.None, false
		}
	default:
		return syntax.None, syntax.None, false
	}
	v, known := constNumber(m, args[0])
	if !known || !silencingLimit(v) {
		return syntax.None, syntax.None, false
	}
	removal = syntax.None
	outer := outerExpr(t, call)
	switch {
	case t.Kind(t.Parent(outer)) == "expression_statement":
		removal = t.Parent(outer)
	case isMethod && !isEventsModule(m, obj):
		removal = call
	}
	return args[0], removal, true
}

// lk006Finding builds the finding for the silencing node n with its two
// fixes: a real bound instead of limit, and removing removal (a statement,
// or a method call replaced by its receiver).
func lk006Finding(m *scope.Model, n, limit, removal syntax.Node, msg string) finding.Finding {
	t := m.Tree
	f := finding.Finding{
		Range:   t.Range(n),
		Message: msg,
		Fixes: []finding.Fix{{
			Message: "Set a real bound (" + realListenerLimit + " listeners)",
			Edits:   []finding.Edit{{Start: t.Start(limit), End: t.EndByte(limit), NewText: realListenerLimit}},
		}},
	}
	switch {
	case removal == syntax.None:
	case t.Kind(removal) == "expression_statement":
		what := "call"
		if t.Kind(n) == "assignment_expression" {
			what = "assignment"
		}
		f.Fixes = append(f.Fixes, finding.Fix{Message: "Remove the " + what, Edits: []finding.Edit{removeStatement(t, removal)}})
	default:
		obj, _, _ := methodCall(t, removal)
		f.Fixes = append(f.Fixes, finding.Fix{Message: "Remove the call", Edits: []finding.Edit{
			{Start: t.Start(removal), End: t.EndByte(removal), NewText: t.Text(obj)},
		}})
	}
	return f
}

// eventsSource reports whether a module specifier names Node's events
// module.
func eventsSource(s string) bool { return s == "events" || s == "node:events" }

// isEventsModule reports whether expression n denotes Node's events module
// or its EventEmitter class (in CommonJS they are the same object):
// require("events"), an import of it, or .EventEmitter / .default of one.
func isEventsModule(m *scope.Model, n syntax.Node) bool {
	t := m.Tree
	for depth := 0; depth < maxConstDepth; depth++ {
		n = t.Unparen(n)
		switch t.Kind(n) {
		case "call_expression":
			fn := t.ChildByField(n, "function")
			args := callArgs(t, n)
			if t.Kind(fn) != "identifier" || t.Text(fn) != "require" || m.Resolve(fn) != nil || len(args) != 1 {
				return false
			}
			s, ok := stringLiteral(t, args[0])
			return ok && eventsSource(s)
		case "member_expression":
			switch t.Text(t.ChildByField(n, "property")) {
			case "EventEmitter", "default":
				n = t.ChildByField(n, "object")
				continue
			}
			return false
		case "identifier":
			return importedFromEvents(m, n, "default", "*", "EventEmitter")
		}
		return false
	}
	return false
}

// importedFromEvents reports whether identifier id names a binding imported
// (or required) from the events module under one of the given export
// names ("default" for the module object, "*" for a namespace import).
func importedFromEvents(m *scope.Model, id syntax.Node, names ...string) bool {
	d := m.Resolve(id)
	if d == nil {
		return false
	}
	for _, imp := range m.Imports {
		if imp.Local != d || !eventsSource(imp.Source) {
			continue
		}
		for _, name := range names {
			if imp.Imported == name {
				return true
			}
		}
	}
	return false
}
