package staticcheck

import (
	"fmt"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// This file is LK006's wider half: a listener limit that is not huge but
// is raised where it hides a leak all the same — raised again on every
// run of repeating code (emitter.setMaxListeners(emitter.getMaxListeners()
// + 1)), or raised on an emitter that gains a listener per call which
// nothing removes (LK002 reports the listener).

// raisedLimit reports emitter.setMaxListeners(limit) calls (methods on an
// emitter, not the events module's function) that keep raising the limit
// in repeating code, or raise it on an emitter that LK002 shows gaining
// listeners per call (see leakingOn). It returns the finding, or false
// when the call is neither.
func (p *Pass) raisedLimit(call syntax.Node) (finding.Finding, bool) {
	t := p.Tree
	c := p.CalleeOf(call)
	args := p.Args(call)
	if c.Prop != "setMaxListeners" || c.Object == syntax.None || len(args) == 0 || p.isEventsModule(c.Object) {
		return finding.Finding{}, false
	}
	emitter := t.Text(c.Object)
	if repeats, ok := p.emitterOutlivesRepeats(call, c.Object); ok && repeats && p.growsLimit(c.Object, args[0]) {
		return p.raisedLimitFinding(call, fmt.Sprintf("%s.setMaxListeners() raises the limit again %s, from its current value or a counter: the MaxListenersExceededWarning that reports listener leaks never comes; keep a fixed bound",
			emitter, p.describeRepeater(p.RepeatingFunction(call)))), true
	}
	if v, ok := constNumber(p.Scope, args[0]); ok && v <= defaultListenerLimit {
		return finding.Finding{}, false
	}
	if add := p.leakingOn(c.Object); add != syntax.None {
		f := p.raisedLimitFinding(call, fmt.Sprintf("%s.setMaxListeners() raises the limit of an emitter that gains a listener per call which nothing removes: it only delays the MaxListenersExceededWarning that reports that leak; fix the listener instead",
			emitter))
		f.Related = []finding.Related{p.Related(add, "listener added per call")}
		return f, true
	}
	return finding.Finding{}, false
}

// defaultListenerLimit is Node's default listener limit: setting it (or
// lower) raises nothing.
const defaultListenerLimit = 10

// growsLimit reports whether limit is computed from the emitter's current
// limit (emitter.getMaxListeners() + n) or from a counter the expression
// itself increments (++n, n += 1): each run raises it further.
func (p *Pass) growsLimit(emitter, limit syntax.Node) bool {
	t := p.Tree
	key, ok := p.Program.KeyOf(p.Unit, emitter)
	for n := limit; n < t.End(limit); n++ {
		switch t.Kind(n) {
		case "update_expression", "augmented_assignment_expression":
			return true
		case "call_expression":
			c := p.CalleeOf(n)
			if c.Prop != "getMaxListeners" || c.Object == syntax.None {
				continue
			}
			if k, same := p.Program.KeyOf(p.Unit, c.Object); ok && same && k == key {
				return true
			}
		}
	}
	return false
}

// leakingOn returns the first listener registration of the pass's file on
// the same emitter as e that LK002 reports as added per call and never
// removed, or None.
func (p *Pass) leakingOn(e syntax.Node) syntax.Node {
	key, ok := p.Program.KeyOf(p.Unit, e)
	if !ok {
		return syntax.None
	}
	for _, a := range p.listenerLeaks().adds {
		if addListenerMethods[a.callee.Prop] && a.partial == "" && a.emitter == key {
			return a.call
		}
	}
	return syntax.None
}

// raisedLimitFinding is the finding for a raised limit: the fix removes
// the call when it is a statement of its own.
func (p *Pass) raisedLimitFinding(call syntax.Node, msg string) finding.Finding {
	t := p.Tree
	f := finding.Finding{Range: t.Range(call), Message: msg}
	if stmt := t.Parent(outerExpr(t, call)); t.Kind(stmt) == "expression_statement" {
		f.Fixes = []finding.Fix{{Message: "Remove the call", Edits: []finding.Edit{removeStatement(t, stmt)}}}
	}
	return f
}
