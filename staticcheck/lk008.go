package staticcheck

import (
	"fmt"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// LK008 is lifecycle-asymmetry: what a type (a class, a constructor
// function with prototype methods, a factory) registers in its set-up on
// something that outlives the instance (a listener, a timer kept on the
// instance, an entry in a collection) that its teardown does not undo, or
// undoes with another function identity.
var LK008 = &Rule{Rule: rules.Must("LK008"), Run: runLK008}

// regKind is what a set-up registers.
type regKind uint8

const (
	regListener     regKind = iota // emitter.on(event, handler)
	regTimer                       // this.timer = setInterval(…)
	regEntry                       // registry.set(this.id, this)
	regSubscription                // this.sub = store.subscribe(…), this.off = bus.on(…)
)

// registration is one thing a set-up method registers outside the
// instance.
type registration struct {
	kind  regKind
	call  syntax.Node // the registering call
	setup syntax.Node // the set-up method
	// target is the emitter, the collection or (for a timer) the property
	// of this that keeps the handle.
	target syntax.Node
	keys   []string // identities of target (see Program.KeyOf), with this.x for a stored parameter
	// reach is how the teardown writes target ("" when it cannot reach
	// it: a parameter that the instance does not keep).
	reach string
	// long reports a target that outlives every instance by itself
	// (process, a module-level or imported object), rather than one handed
	// in by the caller.
	long     bool
	event    string
	hasEvent bool
	handler  string // the listener's key, "" for a fresh function each time
	// kept is the key of the property of this that set-up stores a local
	// handler in (this._onInput = onInput), which removes it as well.
	kept  string
	param int // for a target handed in as a parameter of the constructor: its index, else -1
	// handle is where a subscription's handle is kept (this.sub), else None.
	handle syntax.Node
}

func runLK008(p *Pass) {
	t := p.Tree
	for n := syntax.Node(0); n < syntax.Node(t.Len()); n++ {
		switch t.Kind(n) {
		case "class_declaration", "class", "abstract_class_declaration":
			if lc := p.lifecycleOf(n); lc != nil {
				p.checkLifecycle(lc)
			}
			p.checkPartialUndo(n)
		case "function_declaration":
			lc := p.prototypeLifecycleOf(n)
			if lc == nil {
				lc = p.factoryLifecycleOf(n)
			}
			if lc != nil {
				p.checkLifecycle(lc)
			}
		case "call_expression":
			p.checkChildListener(n)
		}
	}
}

// checkLifecycle reports the registrations of lc's set-up that its
// teardown does not undo, and, for a class without teardown that is
// created again and again with a long-lived object, what it registers on
// that object.
func (p *Pass) checkLifecycle(lc *lifecycle) {
	p.checkReplaced(lc)
	repeats := p.classInstancesRepeat(lc.cls)
	for _, s := range lc.setups {
		for _, r := range p.registrations(lc, s) {
			if r.kind == regListener && p.reportedByListenerLeak(r.call) {
				continue // LK002's finding, with its own fixes
			}
			switch {
			case len(lc.teardown) > 0 && repeats:
				p.checkUndone(lc, r)
			case len(lc.teardown) == 0 && r.kind == regListener:
				if at := p.repeatedNewWithLongLived(lc, r); at != syntax.None {
					p.ReportNode(p.Tree.ChildByField(r.call, "function"), fmt.Sprintf(
						"%s in %s() of %s, which has no teardown and is created %s with a long-lived %s: each instance stays alive through the listener",
						p.describeRegistration(lc, r), p.functionName(r.setup), lc.name, p.describeRepeater(p.RepeatingFunction(at)), p.Tree.Text(p.Args(at)[r.param])))
				}
			}
		}
	}
}

// classInstancesRepeat reports whether the program may create many
// instances of cls (see Unit.instancesRepeat); a class expression may be.
func (p *Pass) classInstancesRepeat(cls syntax.Node) bool {
	if p.Tree.Kind(cls) == "class" {
		return true
	}
	return p.instancesRepeat(cls, 0)
}

// reportedByListenerLeak reports whether LK002 reports the listener added
// at call: one finding per listener.
func (p *Pass) reportedByListenerLeak(call syntax.Node) bool {
	return p.listenerLeaks().byCall[call]
}

// checkUndone reports r when the teardown does not undo it although the
// code shows that it must be undone: the teardown removes it with another
// function, or the class (for a long-lived target, the program) undoes it
// somewhere else.
func (p *Pass) checkUndone(lc *lifecycle, r registration) {
	if !lc.closure && !p.keepsInstance(r) || p.removesItself(lc, r) {
		return
	}
	undone, other := p.undoneIn(lc, r)
	if undone || other == syntax.None && !p.undoneSomewhere(lc, r) {
		return
	}
	t := p.Tree
	what := p.describeRegistration(lc, r)
	setup := p.functionName(r.setup)
	var msg string
	if other != syntax.None {
		why := p.freshFunctionNote(p.Args(r.call)[1])
		if why == "" {
			why = p.freshFunctionNote(p.Args(other)[1])
		}
		how := "another function"
		if why == "" && !p.sameCapture(p.Args(r.call), p.Args(other)) {
			how, why = "another capture flag", " (the capture flag is part of a DOM listener's identity)"
		}
		msg = fmt.Sprintf("%s in %s() is removed in %s with %s%s: it stays, and keeps every %s instance alive",
			what, setup, p.teardownLabel(lc, other), how, why, lc.name)
	} else {
		msg = p.notUndoneMessage(lc, r, what, setup)
	}
	var fixes []finding.Fix
	if f, ok := p.teardownFix(lc, r, other); ok {
		fixes = append(fixes, f)
	}
	p.ReportNode(t.ChildByField(r.call, "function"), msg, fixes...)
}

// keepsInstance reports whether what r registers keeps the instance
// alive (a factory's callbacks keep its variables, the object's state,
// whatever they read): an entry or a listener or timer callback that is not an inline
// function, or one that reaches the instance (this, or a name bound to
// it). A callback that reaches it only through a WeakRef does not.
func (p *Pass) keepsInstance(r registration) bool {
	t := p.Tree
	if r.kind == regEntry {
		return true
	}
	args := p.Args(r.call)
	if len(args) == 0 {
		return true
	}
	fn := t.Unparen(args[0])
	if addListenerMethods[p.CalleeOf(r.call).Prop] {
		fn = t.Unparen(args[1])
	}
	if !p.IsFunction(fn) {
		return true
	}
	for n := fn; n < t.End(fn); n++ {
		switch t.Kind(n) {
		case "this":
			if t.Kind(fn) == "arrow_function" { // in a function expression, this is the emitter
				return true
			}
		case "identifier":
			if d := p.Scope.Resolve(n); d != nil && d.Init != syntax.None && t.Kind(t.Unparen(d.Init)) == "this" {
				return true // const self = this
			}
		}
	}
	return false
}

// removesItself reports whether the listener of r takes itself off when
// it runs (function onReady() { emitter.off('ready', onReady); … }): a
// hand-written once.
func (p *Pass) removesItself(lc *lifecycle, r registration) bool {
	t := p.Tree
	if r.kind != regListener {
		return false
	}
	h := t.Unparen(p.Args(r.call)[1])
	fn := p.ResolveFunction(h)
	if fn == syntax.None && t.Kind(h) == "member_expression" && t.Kind(t.Unparen(t.ChildByField(h, "object"))) == "this" {
		if m, ok := lc.methods[t.Text(t.ChildByField(h, "property"))]; ok {
			fn = m
		}
	}
	if fn == syntax.None {
		return false
	}
	for n := fn; n < t.End(fn); n++ {
		if t.Kind(n) == "call_expression" {
			if ok, _ := p.undoes(r, n); ok {
				return true
			}
		}
	}
	return false
}

// freshFunctionNote says why listener argument h is a new function on
// every evaluation, or "" when it is not.
func (p *Pass) freshFunctionNote(h syntax.Node) string {
	t := p.Tree
	switch h = t.Unparen(h); {
	case t.Kind(h) == "call_expression" && p.CalleeOf(h).Prop == "bind":
		return " (.bind() makes a new function each time)"
	case p.IsFunction(h):
		return " (an inline function is a new function each time)"
	}
	return ""
}

// notUndoneMessage says that the teardown does not undo r, and how the
// code shows that it should.
func (p *Pass) notUndoneMessage(lc *lifecycle, r registration, what, setup string) string {
	target, teardown := p.Tree.Text(p.Tree.Unparen(r.target)), p.teardownLabel(lc, syntax.None)
	switch r.kind {
	case regTimer:
		return fmt.Sprintf("%s started in %s() is cleared elsewhere but not by %s: after %s it keeps running and keeps each %s instance alive",
			what, setup, teardown, teardown, lc.name)
	case regEntry:
		return fmt.Sprintf("%s in %s() is deleted elsewhere but not by %s: each %s instance torn down stays in %s",
			what, setup, teardown, lc.name, target)
	case regSubscription:
		return fmt.Sprintf("%s in %s() is ended elsewhere but not by %s: after %s %s keeps calling back and keeps each %s instance alive",
			what, setup, teardown, teardown, target, lc.name)
	}
	return fmt.Sprintf("%s in %s() is not removed by %s, though %s outlives the instance (listeners are removed from it elsewhere): each %s instance torn down stays alive through it",
		what, setup, teardown, target, lc.name)
}

// teardownLabel names the teardown in messages: the method that holds
// node at (else the one fixes go to), or the terminal-event listeners.
func (p *Pass) teardownLabel(lc *lifecycle, at syntax.Node) string {
	if at == syntax.None {
		at = lc.target
	}
	name := ""
	if at != syntax.None {
		name = lc.methodName(p.Tree, at)
	}
	if name == "" {
		return "its 'close' listener"
	}
	return name + "()"
}

// describeRegistration says what r registers, for messages.
func (p *Pass) describeRegistration(lc *lifecycle, r registration) string {
	t := p.Tree
	target := t.Text(t.Unparen(r.target))
	switch r.kind {
	case regTimer:
		return fmt.Sprintf("timer %s", target)
	case regEntry:
		return fmt.Sprintf("%s instance put in %s", lc.name, target)
	case regSubscription:
		return fmt.Sprintf("subscription %s to %s", t.Text(r.handle), target)
	}
	ev := "an event"
	if r.hasEvent {
		ev = fmt.Sprintf("%q", r.event)
	}
	return fmt.Sprintf("listener for %s added to %s", ev, target)
}

// repeatedNewWithLongLived returns a `new` of lc's class, in code that
// runs repeatedly, that passes a long-lived emitter (see longLivedEmitter)
// as the constructor parameter r listens on; None when there is none.
func (p *Pass) repeatedNewWithLongLived(lc *lifecycle, r registration) syntax.Node {
	t := p.Tree
	if r.param < 0 || t.Kind(lc.cls) != "class_declaration" && t.Kind(lc.cls) != "function_declaration" {
		return syntax.None
	}
	d := p.Scope.DeclAt(t.ChildByField(lc.cls, "name"))
	if d == nil {
		return syntax.None
	}
	for _, ref := range d.Refs {
		n := t.Parent(ref.Ident)
		if t.Kind(n) != "new_expression" {
			continue
		}
		if args := p.Args(n); r.param < len(args) && p.longLivedEmitter(args[r.param]) && p.RunsRepeatedly(n, nil) {
			return n
		}
	}
	return syntax.None
}
