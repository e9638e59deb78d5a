package staticcheck

// What an LK008 set-up registers outside the instance, and whether the
// teardown undoes it.

import (
	"slices"

	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// registrations returns what set-up method s registers outside the
// instance, in source order.
func (p *Pass) registrations(lc *lifecycle, s syntax.Node) []registration {
	t := p.Tree
	var out []registration
	for n := s; n < t.End(s); n++ {
		if t.Kind(n) != "call_expression" || p.Scope.EnclosingFunction(n) != s {
			continue
		}
		if r, ok := p.registrationAt(lc, s, n); ok {
			out = append(out, r)
		}
	}
	return out
}

// registrationAt decides whether call, in set-up method s, registers
// something on a target outside the instance.
func (p *Pass) registrationAt(lc *lifecycle, s, call syntax.Node) (registration, bool) {
	t := p.Tree
	r := registration{call: call, setup: s, param: -1}
	c := p.CalleeOf(call)
	args := p.Args(call)
	switch {
	case (c.Prop == "subscribe" || addListenerMethods[c.Prop]) && c.Object != syntax.None && p.keptHandle(lc, call) != syntax.None:
		r.kind, r.target, r.handle = regSubscription, c.Object, p.keptHandle(lc, call)
	case addListenerMethods[c.Prop] && c.Object != syntax.None && len(args) >= 2:
		if p.resultKept(call) || len(args) >= 3 && !p.plainListenerOptions(args[2]) || p.isEventsModule(c.Object) {
			return r, false // an unsubscribe kept, once, a signal, or options we cannot see
		}
		r.kind, r.target = regListener, c.Object
		r.event, r.hasEvent = p.StringValue(args[0])
		r.handler = p.handlerKey(args[1])
		r.kept = p.keptAs(s, args[1])
	case p.timerFunction(call) != "":
		use, holder, _ := p.handleUse(call)
		kept := t.Kind(holder) == "member_expression" && t.Kind(memberRoot(t, holder)) == "this" ||
			lc.closure && t.Kind(holder) == "identifier" // a factory's teardown sees its variables
		if use != handleStored || !kept {
			return r, false
		}
		r.kind, r.target = regTimer, holder
	case entryMethods[c.Prop] && c.Object != syntax.None && p.holdsInstance(c.Prop, args):
		r.kind, r.target = regEntry, c.Object
	default:
		return r, false
	}
	if !p.placeTarget(lc, s, &r) {
		return r, false
	}
	if r.kind == regSubscription {
		// What undoes it is a call of the handle, or of a method on it.
		key, ok := p.holderKey(r.handle)
		r.keys, r.reach = []string{key}, t.Text(r.handle)
		return r, ok
	}
	return r, true
}

// keptHandle returns where the result of call, a subscription's handle or
// an unsubscribe function, is kept for the teardown: a property of this,
// or a factory's variable; None when it is not.
func (p *Pass) keptHandle(lc *lifecycle, call syntax.Node) syntax.Node {
	t := p.Tree
	use, holder, _ := p.handleUse(call)
	if use == handleStored && (t.Kind(holder) == "member_expression" && t.Kind(memberRoot(t, holder)) == "this" ||
		lc.closure && t.Kind(holder) == "identifier") {
		return holder
	}
	return syntax.None
}

// holderKey returns the key of n (see Program.KeyOf), an expression or the
// identifier a declaration declares (const timer = …).
func (p *Pass) holderKey(n syntax.Node) (string, bool) {
	if d := p.Scope.DeclAt(n); d != nil {
		return p.Program.declKey(p.Unit, d, nil, 0)
	}
	return p.Program.KeyOf(p.Unit, n)
}

// plainListenerOptions reports whether the options argument of
// addEventListener neither removes the listener by itself (once, signal)
// nor hides what it does (a variable).
func (p *Pass) plainListenerOptions(opts syntax.Node) bool {
	t := p.Tree
	switch opts = t.Unparen(opts); t.Kind(opts) {
	case "true", "false":
		return true
	case "object":
		_, signal := p.optionValue(opts, "signal")
		return !signal && !p.hasOnceOption([]syntax.Node{syntax.None, syntax.None, opts})
	}
	return false
}

// holdsInstance reports whether the arguments of an entry method put the
// instance itself in the collection, or key it by the instance or one of
// its properties (set(this.id, …)).
func (p *Pass) holdsInstance(method string, args []syntax.Node) bool {
	t := p.Tree
	for i, a := range args {
		a = t.Unparen(a)
		if t.Kind(a) == "this" || i == 0 && method == "set" && t.Kind(memberRoot(t, a)) == "this" {
			return true
		}
	}
	return false
}

// keptAs returns the key of the property of this that set-up method s
// assigns the local handler h to (this._onInput = onInput), or "".
func (p *Pass) keptAs(s, h syntax.Node) string {
	t := p.Tree
	if h = t.Unparen(h); t.Kind(h) != "identifier" {
		return ""
	}
	d := p.Scope.Resolve(h)
	if d == nil || d.ModuleLived() {
		return ""
	}
	for _, ref := range d.Refs {
		asg := t.Parent(ref.Ident)
		if t.Kind(asg) != "assignment_expression" || t.Field(ref.Ident) != "right" || !t.Contains(s, asg) {
			continue
		}
		if left := t.ChildByField(asg, "left"); t.Kind(memberRoot(t, left)) == "this" {
			if k, ok := p.Program.KeyOf(p.Unit, left); ok {
				return k
			}
		}
	}
	return ""
}

// placeTarget fills the keys and the reach of r's target, and reports
// whether it is outside the instance: a long-lived object, or one handed
// in through a parameter of the set-up (directly, or kept in this.x).
func (p *Pass) placeTarget(lc *lifecycle, s syntax.Node, r *registration) bool {
	t := p.Tree
	key, ok := p.holderKey(r.target)
	root, path, plain := memberPath(t, r.target)
	if !ok || !plain {
		return false
	}
	r.keys, r.reach = []string{key}, t.Text(t.Unparen(r.target))
	if r.kind == regTimer {
		return true // kept on the instance; the timer itself outlives it
	}
	if t.Kind(root) == "this" {
		if len(path) == 0 {
			return false
		}
		f, ok := lc.fields[path[0]]
		r.long = f.long
		if ok && !f.long {
			r.param = p.constructorParam(lc, f.from)
		}
		return ok
	}
	long, ok := p.outsideRoot(s, r.target)
	if !ok {
		return false
	}
	r.long = long
	if long {
		return true
	}
	r.param = p.constructorParam(lc, root)
	if lc.closure {
		return true // the teardown sees the parameter
	}
	r.reach = ""
	// The teardown reaches a parameter through the property it is kept in.
	for name, f := range lc.fields {
		if t.Kind(f.from) == "identifier" && t.Text(f.from) == t.Text(root) {
			r.reach = "this." + name
			for _, prop := range path {
				r.reach += "." + prop
			}
			if k, ok := p.thisPropertyKey(lc, name); ok {
				r.keys = append(r.keys, joinKey(k, path))
			}
		}
	}
	return true
}

// constructorParam returns the index of parameter e among the
// constructor's parameters, or -1.
func (p *Pass) constructorParam(lc *lifecycle, e syntax.Node) int {
	ctor, ok := lc.methods["constructor"]
	if !ok || p.Tree.Kind(e) != "identifier" {
		return -1
	}
	d := p.Scope.Resolve(e)
	if d == nil {
		d = p.Scope.DeclAt(e) // a TypeScript parameter property's own name
	}
	if d == nil || d.Kind != scope.Param || d.Scope.Function().Node != ctor {
		return -1
	}
	return p.paramIndex(ctor, d)
}

// thisPropertyKey returns the key of this.name inside the class (see
// Program.KeyOf), read from a use of it.
func (p *Pass) thisPropertyKey(lc *lifecycle, name string) (string, bool) {
	t := p.Tree
	for n := range lc.nodes(t) {
		if t.Kind(n) == "member_expression" && t.Kind(t.Unparen(t.ChildByField(n, "object"))) == "this" &&
			t.Text(t.ChildByField(n, "property")) == name && p.ThisClass(n) == lc.this {
			return p.Program.KeyOf(p.Unit, n)
		}
	}
	return "", false
}

// undoneIn looks for the undoing of r in the teardown code. other is a
// removal there of a listener of the same emitter and event with another
// function (so it removes nothing), or None.
func (p *Pass) undoneIn(lc *lifecycle, r registration) (undone bool, other syntax.Node) {
	t := p.Tree
	other = syntax.None
	for _, fn := range lc.teardown {
		for n := fn; n < t.End(fn); n++ {
			switch t.Kind(n) {
			case "call_expression":
				if ok, mismatch := p.undoes(r, n); ok {
					return true, syntax.None
				} else if mismatch && other == syntax.None {
					other = n
				}
			case "assignment_expression": // registry = registry.filter(…)
				if k, ok := p.Program.KeyOf(p.Unit, t.ChildByField(n, "left")); ok && r.kind == regEntry && slices.Contains(r.keys, k) {
					return true, syntax.None
				}
			}
		}
	}
	return false, other
}

// undoes reports whether call undoes r; mismatch reports a listener
// removal from the same emitter and event with another function.
func (p *Pass) undoes(r registration, call syntax.Node) (ok, mismatch bool) {
	if r.kind == regSubscription {
		return p.endsSubscription(r, call), false
	}
	c := p.CalleeOf(call)
	args := p.Args(call)
	undo := c.Prop
	target := c.Object
	if r.kind == regTimer {
		undo, target = c.Name, syntax.None
		if len(args) > 0 {
			target = args[0]
		}
	}
	ends := r.kind == regListener && slices.Contains(endMethods, undo)
	if !slices.Contains(undoMethods[r.kind], undo) && !ends || target == syntax.None {
		return false, false
	}
	if k, ok := p.Program.KeyOf(p.Unit, target); !ok || !slices.Contains(r.keys, k) {
		return false, false
	}
	if r.kind != regListener || ends {
		return true, false
	}
	if len(args) > 0 && r.hasEvent {
		if ev, ok := p.StringValue(args[0]); ok && ev != r.event {
			return false, false
		}
	}
	if undo == "removeAllListeners" {
		return true, false
	}
	if len(args) < 2 {
		return false, false
	}
	if k, ok := p.Program.KeyOf(p.Unit, args[1]); ok && r.handler != "" && (k == r.handler || k == r.kept) && p.sameCapture(p.Args(r.call), args) {
		return true, false
	}
	return false, true
}

// subscriptionEnds are the methods of a subscription's handle that end it.
var subscriptionEnds = map[string]bool{"unsubscribe": true, "dispose": true, "remove": true, "off": true, "cancel": true, "close": true, "destroy": true, "abort": true}

// endsSubscription reports whether call ends the subscription r: a call of
// its handle (an unsubscribe function) or of a method that ends it.
func (p *Pass) endsSubscription(r registration, call syntax.Node) bool {
	fn := p.Tree.Unparen(p.Tree.ChildByField(call, "function"))
	if k, ok := p.Program.KeyOf(p.Unit, fn); ok && slices.Contains(r.keys, k) {
		return true
	}
	c := p.CalleeOf(call)
	if !subscriptionEnds[c.Prop] || c.Object == syntax.None {
		return false
	}
	k, ok := p.Program.KeyOf(p.Unit, c.Object)
	return ok && slices.Contains(r.keys, k)
}

// sameCapture reports whether an addEventListener and a removal agree on
// the capture flag (true, or { capture: true }), which is part of a DOM
// listener's identity. Emitter methods take no third argument.
func (p *Pass) sameCapture(add, remove []syntax.Node) bool {
	return p.capture(add) == p.capture(remove)
}

// capture reports whether listener arguments ask for the capture phase.
func (p *Pass) capture(args []syntax.Node) bool {
	if len(args) < 3 {
		return false
	}
	opt := p.Tree.Unparen(args[2])
	if v, ok := p.optionValue(opt, "capture"); ok {
		opt = v
	}
	return p.Tree.Kind(opt) == "true"
}

// undoneSomewhere reports whether code outside the teardown undoes what
// r registers on its target, which shows that the target outlives the
// instance: a removal of a listener from the same emitter in the class
// (anywhere in the program for a long-lived one), a clear of the timer,
// a delete from the collection.
func (p *Pass) undoneSomewhere(lc *lifecycle, r registration) bool {
	if r.kind == regSubscription {
		return p.subscriptionEnd(lc, r) != syntax.None
	}
	for _, m := range undoMethods[r.kind] {
		for _, k := range r.keys {
			calls := p.Program.CallsOn(m, k)
			if r.kind == regTimer {
				calls = p.Program.CallsWith(m, k)
			}
			for _, cs := range calls {
				if cs.Unit == p.Unit && p.Tree.Contains(r.setup, cs.Call) && !p.inOtherMethod(lc, r.setup, cs.Call) {
					continue // a reset before registering again, or a listener that removes itself
				}
				if r.long || r.kind == regTimer || cs.Unit == p.Unit && lc.contains(p.Tree, cs.Call) {
					return true
				}
			}
		}
	}
	return false
}

// subscriptionEnd returns a call in the type's code, outside the set-up
// that subscribes, that ends subscription r; None when there is none.
func (p *Pass) subscriptionEnd(lc *lifecycle, r registration) syntax.Node {
	t := p.Tree
	for n := range lc.nodes(t) {
		if t.Kind(n) == "call_expression" && (!t.Contains(r.setup, n) || p.inOtherMethod(lc, r.setup, n)) && p.endsSubscription(r, n) {
			return n
		}
	}
	return syntax.None
}

// inOtherMethod reports whether node n, inside set-up s, is part of the
// teardown code or of another method (one of a factory's object).
func (p *Pass) inOtherMethod(lc *lifecycle, s, n syntax.Node) bool {
	for _, fn := range lc.teardown {
		if p.Tree.Contains(fn, n) {
			return true
		}
	}
	for _, fn := range lc.methods {
		if fn != s && p.Tree.Contains(fn, n) {
			return true
		}
	}
	return false
}

// entryMethods put an entry into a collection.
var entryMethods = map[string]bool{"set": true, "add": true, "push": true, "unshift": true}

// undoMethods are the calls on a target that undo a registration of each
// kind (for timers, the plain functions that clear them).
var undoMethods = map[regKind][]string{
	regListener: {"off", "removeListener", "removeEventListener", "removeAllListeners"},
	regTimer:    {"clearInterval", "clearTimeout"},
	regEntry:    {"delete", "splice", "clear"},
}

// endMethods end an emitter: one that the teardown ends dies with the
// instance, and its listeners with it.
var endMethods = []string{"destroy", "close", "end", "terminate", "disconnect", "dispose"}
