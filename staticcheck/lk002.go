package staticcheck

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// ListenerLeak is LK002: a listener added, again and again, to an emitter
// that outlives the code adding it, and never removed.
var ListenerLeak = &Rule{Rule: rules.Must("LK002"), Run: runListenerLeak}

// removeMethods maps a listener-adding method to the method that removes
// the listener.
var removeMethods = map[string]string{
	"on": "off", "addListener": "removeListener", "prependListener": "removeListener",
	"addEventListener": "removeEventListener",
}

// onceMethods maps a listener-adding method to its one-shot form.
var onceMethods = map[string]string{
	"on": "once", "addListener": "once", "prependListener": "prependOnceListener",
}

// longLivedGlobals are global objects that live as long as the process or
// page.
var longLivedGlobals = map[string]bool{
	"process": true, "window": true, "document": true, "globalThis": true,
	"global": true, "self": true,
}

// closeableParams are parameter names of per-call objects that emit
// "close" when the call's work is over, in order of preference for
// cleanup code.
var closeableParams = []string{"res", "response", "socket", "ws", "conn", "connection", "client", "stream", "sock", "req", "request"}

// listenerAdd is one listener registration under analysis.
type listenerAdd struct {
	call     syntax.Node
	callee   Callee
	args     []syntax.Node
	emitter  string // the emitter's program-wide key
	event    string // the literal event name, or ""
	hasEvent bool
	tap      bool   // a tap on a tapable hook (see isHookTap), not a listener
	once     bool   // once(), prependOnceListener() or { once: true }
	handler  string // the handler's key, "" for a fresh function each time
	repeater syntax.Node
	// setup is the once-per-instance method the listener is added in when
	// no function around it repeats (see Unit.RunsPerInstance), else None.
	setup syntax.Node
	// partial says on which way out the only removals of the listener
	// run ("on 'end' of res"), when they do not run on every way out of
	// the lifetime they are tied to (see removedOnEveryPath); "" when the
	// listener is never removed.
	partial string
	// missed says which way out skips them ("when it errors or closes
	// early").
	missed string
}

func runListenerLeak(p *Pass) {
	for _, a := range p.listenerLeaks().adds {
		p.reportListenerLeak(a)
	}
}

// unitLeaks is LK002's verdict on one unit: the listener registrations
// that leak, built on first use and shared by the rules that ask (LK002
// reports them, LK006 and LK008 look them up).
type unitLeaks struct {
	once   sync.Once
	adds   []listenerAdd        // in source order
	byCall map[syntax.Node]bool // the calls of adds
}

// listenerLeaks returns the listener registrations of the pass's unit
// that leak (see listenerLeak), analysed once per unit and program.
func (p *Pass) listenerLeaks() *unitLeaks {
	p.Program.leaksMu.Lock()
	if p.Program.leaks == nil {
		p.Program.leaks = make(map[*Unit]*unitLeaks)
	}
	l := p.Program.leaks[p.Unit]
	if l == nil {
		l = &unitLeaks{}
		p.Program.leaks[p.Unit] = l
	}
	p.Program.leaksMu.Unlock()
	l.once.Do(func() {
		t := p.Tree
		for n := syntax.Node(0); n < syntax.Node(t.Len()); n++ {
			if t.Kind(n) != "call_expression" {
				continue
			}
			if a, ok := p.listenerLeak(n); ok {
				if l.byCall == nil {
					l.byCall = make(map[syntax.Node]bool) // most files have none
				}
				l.adds = append(l.adds, a)
				l.byCall[n] = true
			}
		}
	})
	return l
}

// listenerLeak decides whether the call adds a listener that leaks.
func (p *Pass) listenerLeak(call syntax.Node) (listenerAdd, bool) {
	t := p.Tree
	a := listenerAdd{call: call, callee: p.CalleeOf(call), setup: syntax.None}
	a.once, a.tap = onceListenerMethods[a.callee.Prop], p.isHookTap(a.callee)
	if !addListenerMethods[a.callee.Prop] && !a.once && !a.tap || a.callee.Object == syntax.None {
		return a, false
	}
	a.args = p.Args(call)
	if len(a.args) < 2 || p.resultKept(call) {
		return a, false // a returned unsubscribe function is the caller's to call
	}
	if len(a.args) >= 3 && !a.tap {
		opts := t.Unparen(a.args[2])
		if t.Kind(opts) != "object" {
			if t.Kind(opts) != "true" && t.Kind(opts) != "false" {
				return a, false // an options object we cannot see: maybe once or signal
			}
		} else if _, ok := p.optionValue(opts, "signal"); ok {
			return a, false
		}
		a.once = a.once || p.hasOnceOption(a.args)
	}
	if p.isEventsModule(a.callee.Object) {
		return a, false // events.on(emitter, name) is an async iterator, not a listener
	}
	repeats, ok := p.emitterOutlivesRepeats(call, a.callee.Object)
	if !ok {
		return a, false
	}
	key, ok := p.Program.KeyOf(p.Unit, a.callee.Object)
	if !ok {
		return a, false
	}
	a.emitter = key
	if !a.tap { // a tap's first argument names the plugin, not an event
		a.event, a.hasEvent = p.StringValue(a.args[0])
	}
	// A signal the caller handed in (in its options) may serve many
	// calls: reported only when the code's own removal misses a way out.
	callerSignal := !repeats && p.callerSignal(a)
	if !repeats && !callerSignal {
		return a, false
	}
	if a.once && !(a.hasEvent && terminalEvents[a.event]) {
		return a, false // removed when the event comes, and it will come
	}
	if a.hasEvent && oneShotEvents[a.event] && !p.longLivedObject(a.callee.Object) &&
		!p.abortSignal(a) && !callerSignal && t.Kind(t.Unparen(a.callee.Object)) != "this" {
		// "close" on this.stream or on a connection: it fires once and the
		// emitter is usually gone after it. Only process-long emitters
		// (module-level, imported, process, window) collect such listeners,
		// AbortSignals (most are never aborted) and the instance itself,
		// which outlives the method calls that listen on it.
		return a, false
	}
	a.handler = p.handlerKey(a.args[1])
	if a.callee.Prop == "addEventListener" && a.handler != "" && p.stableFunction(a.args[1]) {
		return a, false // EventTarget ignores a second add of the same function
	}
	if p.flagGuarded(call) {
		return a, false
	}
	if removals := p.listenerRemovals(a); len(removals) > 0 {
		if a.partial, a.missed = p.removedOnEveryPath(a.call, removals, "remove the listener"); a.partial == "" {
			return a, false
		}
	} else if callerSignal {
		return a, false
	}
	if a.repeater = p.RepeatingFunction(call); a.repeater == syntax.None {
		if m, ok := p.RunsPerInstance(call); ok {
			a.setup = m
		}
	}
	return a, true
}

// signalName matches the names programs give AbortSignals: signal,
// outerSignal, abortSignal.
var signalName = regexp.MustCompile(`^(signal|[A-Za-z_$]*Signal)$`)

// abortSignal reports whether a listens for "abort" on what its name says
// is an AbortSignal that the code did not create for this run: one from a
// parameter (the caller's), of this, or module-level. A signal that is
// never aborted never fires: code that repeats while the signal lives (one
// subscription after another with the caller's signal) piles its
// listeners up.
func (p *Pass) abortSignal(a listenerAdd) bool {
	root, ok := p.signalRoot(a)
	if !ok {
		return false
	}
	if p.Tree.Kind(root) == "this" {
		return true
	}
	d := p.Scope.Resolve(root)
	return d != nil && (d.Kind == scope.Param || d.ModuleLived())
}

// signalRoot returns, when a listens for "abort" on what its name says is
// an AbortSignal (signal, opts.signal, this.abortSignal), the object at
// the bottom of that name: signal, opts, this.
func (p *Pass) signalRoot(a listenerAdd) (syntax.Node, bool) {
	t := p.Tree
	name, root := a.callee.Object, a.callee.Object
	if t.Kind(name) == "member_expression" {
		name = t.ChildByField(name, "property")
	}
	if a.event != "abort" || !signalName.MatchString(t.Text(name)) {
		return syntax.None, false
	}
	for t.Kind(root) == "member_expression" {
		root = t.Unparen(t.ChildByField(root, "object"))
	}
	return root, true
}

// callerSignal reports whether a listens for "abort" on an AbortSignal
// that a function running on every call reads from what its caller
// handed in — a parameter, or `const cfg = resolveConfig(config);
// cfg.signal` — rather than one it creates: one signal often serves many
// calls (a component's or a session's controller), and it keeps each
// call's listener until it is removed.
func (p *Pass) callerSignal(a listenerAdd) bool {
	t := p.Tree
	root, ok := p.signalRoot(a)
	if !ok {
		return false
	}
	d := p.Scope.Resolve(root)
	if t.Kind(root) != "identifier" || d == nil || p.RepeatingFunction(a.call) == syntax.None {
		return false
	}
	if d.Kind == scope.Param {
		return true
	}
	init := t.Unparen(d.Init)
	if d.Init == syntax.None || t.Kind(init) != "call_expression" || hasWrites(d) {
		return false
	}
	for _, arg := range p.Args(init) {
		if ad := p.Scope.Resolve(t.Unparen(arg)); ad != nil && ad.Kind == scope.Param {
			return true
		}
	}
	return false
}

// resultKept reports whether the value of call is stored, returned or
// passed on (an unsubscribe or dispose function to be called later).
func (p *Pass) resultKept(call syntax.Node) bool {
	t := p.Tree
	n := call
	parent := t.Parent(n)
	for t.Kind(parent) == "parenthesized_expression" || t.Kind(parent) == "await_expression" {
		n, parent = parent, t.Parent(parent)
	}
	switch t.Kind(parent) {
	case "variable_declarator", "assignment_expression", "return_statement", "arguments",
		"array", "pair", "yield_expression":
		return t.Field(n) != "left"
	case "arrow_function":
		return t.Field(n) == "body"
	}
	return false
}

// isEventsModule reports whether n names the "events" module itself.
func (p *Pass) isEventsModule(n syntax.Node) bool {
	t := p.Tree
	n = t.Unparen(n)
	if t.Kind(n) != "identifier" {
		return false
	}
	imp := importOf(p.Unit, p.Scope.Resolve(n))
	return imp != nil && (imp.Source == "events" || imp.Source == "node:events") &&
		(imp.Imported == "*" || imp.Imported == "default")
}

// emitterOutlivesRepeats decides, for a listener added at call to emitter,
// whether the emitter is (as far as the code shows) an event emitter that
// outlives code which runs repeatedly during its life. ok is false when
// the emitter cannot be judged (a call result, an unknown global).
func (p *Pass) emitterOutlivesRepeats(call, emitter syntax.Node) (repeats, ok bool) {
	t := p.Tree
	root := emitter
	for {
		switch t.Kind(root) {
		case "member_expression", "subscript_expression":
			root = t.Unparen(t.ChildByField(root, "object"))
			continue
		}
		break
	}
	switch t.Kind(root) {
	case "this":
		return p.thisEmitterRepeats(call, emitter)
	case "identifier":
	default:
		return false, false
	}
	d := p.Scope.Resolve(root)
	if d == nil {
		name := t.Text(root)
		if !longLivedGlobals[name] {
			return false, false
		}
		return p.repeatsForProgram(call), true
	}
	if d.Kind == scope.Function || d.Kind == scope.Class || d.Kind == scope.Enum || d.Kind == scope.Namespace {
		return false, false
	}
	if root == emitter && !p.couldBeEmitter(d) {
		return false, false
	}
	if d.Scope.IsPerCall() {
		// A per-call object (req, res, a socket of this connection) dies with
		// its call; only code that repeats within that call piles up —
		// unless it is a parameter that repeating code fills with a
		// long-lived emitter: attach(server) on every request.
		return p.RunsRepeatedly(call, d.Scope.Function()) || d.Kind == scope.Param && p.longLivedArgument(d), true
	}
	return p.repeatsForProgram(call), true
}

// longLivedArgument reports whether parameter d of a function declared in
// the file is given, at some call that runs repeatedly, an emitter that
// outlives that call: process or another long-lived global, a module-level
// emitter, or the server of a connection (req.connection.server). The
// calls are those of the file and, for an exported function, those of
// the checked files that import it (through the module graph).
func (p *Pass) longLivedArgument(d *scope.Decl) bool {
	fn := d.Scope.Function().Node
	index := p.paramIndex(fn, d)
	if index < 0 {
		return false
	}
	for _, b := range p.functionBindings(fn) {
		t := b.Unit.Tree
		for _, r := range b.Decl.Refs {
			callee := r.Ident
			if b.Member != "" { // ns.f(…), require('./m').f(…)
				callee = t.Parent(r.Ident)
				if t.Kind(callee) != "member_expression" || t.Text(t.ChildByField(callee, "property")) != b.Member {
					continue
				}
			}
			call := t.Parent(callee)
			if t.Kind(call) != "call_expression" || t.ChildByField(call, "function") != callee {
				continue
			}
			if args := b.Unit.Args(call); index < len(args) && b.Unit.longLivedEmitter(args[index]) && b.Unit.RunsRepeatedly(call, nil) {
				return true
			}
		}
	}
	return false
}

// functionBindings returns the bindings through which the program calls
// function fn: its declaration's (see functionDecl) with their imports,
// or, for a CommonJS export property (exports.watch = function …), the
// bindings of the files that require it.
func (p *Pass) functionBindings(fn syntax.Node) []Binding {
	t := p.Tree
	if f := functionDecl(p.Scope, fn); f != nil {
		return p.Program.Aliases(p.Unit, f)
	}
	outer := outerExpr(t, fn)
	if asg := t.Parent(outer); t.Kind(asg) == "assignment_expression" && t.Field(outer) == "right" {
		if name, ok := cjsExportName(t, cjsRoots(p.Scope), t.ChildByField(asg, "left")); ok {
			return requireBindings(p.Program, p.Unit, name)
		}
	}
	return nil
}

// longLivedEmitter reports whether expression e names an emitter that
// outlives the code around it (see longLivedObject), or the server a
// request's connection belongs to (req.connection.server, socket.server).
func (u *Unit) longLivedEmitter(e syntax.Node) bool {
	t := u.Tree
	for m := t.Unparen(e); t.Kind(m) == "member_expression"; m = t.Unparen(t.ChildByField(m, "object")) {
		if t.Text(t.ChildByField(m, "property")) == "server" {
			return true
		}
	}
	return u.longLivedObject(e)
}

// repeatsForProgram reports whether call may run many times while the
// program runs: in repeating code, or once per instance of a class the
// program may instantiate many times.
func (p *Pass) repeatsForProgram(call syntax.Node) bool {
	if p.RunsRepeatedly(call, nil) {
		return true
	}
	_, ok := p.RunsPerInstance(call)
	return ok
}

// thisEmitterRepeats handles this.on(…) and this.x.on(…) inside methods:
// the instance outlives each method call, so a method that adds a listener
// leaks one per call, while the constructor adds it once per instance.
func (p *Pass) thisEmitterRepeats(call, emitter syntax.Node) (bool, bool) {
	t := p.Tree
	method := syntax.None
	for fn := p.Scope.EnclosingFunction(call); fn != syntax.None; fn = p.Scope.EnclosingFunction(fn) {
		if t.Kind(fn) == "method_definition" || p.isFieldArrow(fn) {
			method = fn // a method, an arrow function stored in a class field, X.prototype.m = function
			break
		}
		if t.Kind(fn) != "arrow_function" {
			return false, false
		}
	}
	if method == syntax.None || t.Ancestor(method, "class_body") == syntax.None {
		return false, false
	}
	if t.Kind(emitter) == "member_expression" && p.assignedFreshIn(method, emitter, call) {
		return false, false // this.socket = connect(); this.socket.on(…): a new emitter per call
	}
	isCtor := t.Text(t.ChildByField(method, "name")) == "constructor"
	for fn := p.Scope.EnclosingFunction(call); fn != syntax.None; fn = p.Scope.EnclosingFunction(fn) {
		if fn == method {
			if !isCtor && p.RepetitionOf(fn) == Repeating {
				return true, true
			}
			break
		}
		if p.RepetitionOf(fn) == Repeating {
			return true, true
		}
	}
	return false, true
}

// isFieldArrow reports whether fn is the value of a class field
// (`handle = (req) => { … }`), which acts as a method bound to the instance.
func (p *Pass) isFieldArrow(fn syntax.Node) bool {
	t := p.Tree
	switch t.Kind(t.Parent(fn)) {
	case "public_field_definition", "field_definition":
		return t.Field(fn) == "value" && t.Kind(fn) == "arrow_function"
	}
	return false
}

// assignedFreshIn reports whether the member path target (this.x) is
// assigned inside fn before node at (this.socket = connect(…),
// this.engine = engine): each call then listens on the emitter it has
// just installed.
func (p *Pass) assignedFreshIn(fn, target, at syntax.Node) bool {
	t := p.Tree
	want := t.Text(target)
	for n := fn; n < t.End(fn) && n < at; n++ {
		if t.Kind(n) == "assignment_expression" && t.Text(t.ChildByField(n, "left")) == want {
			return true
		}
	}
	return false
}

// couldBeEmitter reports whether the value of d may be an event emitter: it
// is not when it is created from a class of this program that defines its
// own `on` without extending anything, or is an object literal with its
// own `on`.
func (p *Pass) couldBeEmitter(d *scope.Decl) bool {
	u, d := p.Program.Origin(p.Unit, d)
	if d.Init == syntax.None {
		return true
	}
	t := u.Tree
	init := t.Unparen(d.Init)
	switch t.Kind(init) {
	case "object":
		for _, c := range t.NamedChildren(init) {
			if k := t.ChildByField(c, "key"); k == syntax.None && t.Kind(c) == "method_definition" {
				if t.Text(t.ChildByField(c, "name")) == "on" {
					return false
				}
			} else if t.Text(k) == "on" {
				return false
			}
		}
	case "new_expression":
		ctor := t.Unparen(t.ChildByField(init, "constructor"))
		if t.Kind(ctor) != "identifier" {
			return true
		}
		cd := u.Scope.Resolve(ctor)
		if cd == nil {
			return true
		}
		cu, cd := p.Program.Origin(u, cd)
		if cd.Kind != scope.Class {
			return true
		}
		return !ownOnWithoutBase(cu.Tree, cd.Declarator)
	}
	return true
}

// ownOnWithoutBase reports whether class cls defines an `on` method and
// extends nothing: a home-made event API, not a Node EventEmitter.
func ownOnWithoutBase(t *syntax.Tree, cls syntax.Node) bool {
	if t.ChildOfKind(cls, "class_heritage") != syntax.None {
		return false
	}
	body := t.ChildByField(cls, "body")
	if body == syntax.None {
		return false
	}
	for _, m := range t.NamedChildren(body) {
		if t.Kind(m) == "method_definition" && t.Text(t.ChildByField(m, "name")) == "on" {
			return true
		}
	}
	return false
}

// handlerKey returns the identity of a listener argument, or "" when each
// evaluation creates a new function (inline functions, .bind()).
func (p *Pass) handlerKey(h syntax.Node) string {
	t := p.Tree
	h = t.Unparen(h)
	switch t.Kind(h) {
	case "identifier", "member_expression", "subscript_expression":
		if k, ok := p.Program.KeyOf(p.Unit, h); ok {
			return k
		}
	}
	return ""
}

// stableFunction reports whether a listener argument is the same function
// object on every run: a module-level function, an import, or a property
// of `this` (a handler bound once, in the constructor).
func (p *Pass) stableFunction(h syntax.Node) bool {
	t := p.Tree
	h = t.Unparen(h)
	switch t.Kind(h) {
	case "identifier":
		d := p.Scope.Resolve(h)
		return d != nil && d.ModuleLived()
	case "member_expression":
		return t.Kind(t.Unparen(t.ChildByField(h, "object"))) == "this"
	}
	return false
}

// listenerRemovals searches the whole program for the removals of the
// listener: off/removeListener/removeEventListener of the same function
// on the same emitter for the same event, or removeAllListeners.
func (p *Pass) listenerRemovals(a listenerAdd) []CallSite {
	var out []CallSite
	for _, m := range []string{"off", "removeListener", "removeEventListener", "removeAllListeners"} {
		for _, cs := range p.removals(m, a) {
			args := cs.Unit.Args(cs.Call)
			if m == "removeAllListeners" {
				// process.removeAllListeners() would remove Node's own
				// listeners too: programs call it when they shut down (or
				// in tests), which does not bound the listeners before.
				if len(args) == 0 && !p.isProcess(a.callee.Object) || len(args) > 0 && p.sameEvent(a, cs.Unit, args[0]) {
					out = append(out, cs)
				}
				continue
			}
			if len(args) < 2 || a.handler == "" || !p.sameEvent(a, cs.Unit, args[0]) {
				continue
			}
			if k, ok := p.Program.KeyOf(cs.Unit, args[1]); ok && k == a.handler {
				out = append(out, cs)
				continue
			}
			if name := handlerProperty(p.Tree, a.args[1]); a.hasEvent && name != "" && name == handlerProperty(cs.Unit.Tree, args[1]) {
				// on('exit', listeners.exit) … off('exit', saved.exit): a
				// handler kept in an object that is stored and read back
				// elsewhere, which the keys do not follow.
				out = append(out, cs)
			}
		}
	}
	return out
}

// handlerProperty returns the property name of a listener argument that
// reads a property (listeners.exit, this.handlers.onData), or "".
func handlerProperty(t *syntax.Tree, h syntax.Node) string {
	h = t.Unparen(h)
	if t.Kind(h) != "member_expression" {
		return ""
	}
	return t.Text(t.ChildByField(h, "property"))
}

// isProcess reports whether n is Node's global process object.
func (p *Pass) isProcess(n syntax.Node) bool {
	t := p.Tree
	n = t.Unparen(n)
	return t.Kind(n) == "identifier" && t.Text(n) == "process" && p.Scope.Resolve(n) == nil
}

// sameEvent reports whether the event argument ev (in unit u) may name the
// event of a: equal literals, or either one not a literal.
func (p *Pass) sameEvent(a listenerAdd, u *Unit, ev syntax.Node) bool {
	name, ok := u.StringValue(ev)
	return !ok || !a.hasEvent || name == a.event
}

// reportListenerLeak reports a with its fixes.
func (p *Pass) reportListenerLeak(a listenerAdd) {
	t := p.Tree
	emitter := t.Text(a.callee.Object)
	ev := "an event"
	if a.hasEvent {
		ev = fmt.Sprintf("%q", a.event)
	}
	when := p.describeRepeater(a.repeater)
	if a.setup != syntax.None {
		cls := t.Ancestor(a.setup, "class_declaration", "class", "abstract_class_declaration")
		when = fmt.Sprintf("by %s() of every %s instance", p.functionName(a.setup), className(t, cls))
	}
	msg := fmt.Sprintf("listener for %s added to long-lived %s %s and never removed: each run adds another listener and keeps its closure alive",
		ev, emitter, when)
	switch {
	case a.tap:
		msg = fmt.Sprintf("tap added to long-lived hook %s %s and never taken off: each run adds another tap and keeps its closure alive",
			emitter, when)
	case a.once:
		msg = fmt.Sprintf("once-listener for %s added to long-lived %s %s: it stays until that event, which may never come, so each run adds another listener and keeps its closure alive",
			ev, emitter, when)
	case a.partial != "":
		msg = fmt.Sprintf("listener for %s added to long-lived %s %s is removed %s but not %s: each run that ends that way leaves another listener and keeps its closure alive",
			ev, emitter, when, a.partial, a.missed)
	}
	h := t.Unparen(a.args[1])
	switch {
	case t.Kind(h) == "call_expression" && p.CalleeOf(h).Prop == "bind":
		msg += " (.bind() makes a new function each time, so off() with another .bind() cannot remove it)"
	case p.IsFunction(h) && p.hasAnyRemoval(a):
		msg += " (an inline function is a new listener each time, so off() with another function cannot remove it)"
	}
	callee := t.ChildByField(a.call, "function")
	var fixes []finding.Fix
	if f, ok := p.onceFix(a); ok {
		fixes = append(fixes, f)
	}
	if f, ok := p.removeOnCloseFix(a); ok {
		fixes = append(fixes, f)
	}
	if f, ok := p.effectCleanupFix(a); ok {
		fixes = append(fixes, f)
	}
	// A one-shot event wants once() first; otherwise removal comes first.
	if len(fixes) > 1 && !(a.hasEvent && oneShotEvents[a.event]) {
		fixes[0], fixes[1] = fixes[1], fixes[0]
	}
	p.Report(finding.Finding{Range: t.Range(callee), Message: msg, Fixes: fixes})
}

// removals returns the calls of method m on a's emitter that may remove
// its listener: with a literal event, only those that may name it.
func (p *Pass) removals(m string, a listenerAdd) []CallSite {
	if a.hasEvent {
		return p.Program.CallsOnMaybe(m, a.emitter, a.event)
	}
	return p.Program.CallsOn(m, a.emitter)
}

// hasAnyRemoval reports whether some removal call targets a's emitter and
// event (with another function, or removeListener would have matched).
func (p *Pass) hasAnyRemoval(a listenerAdd) bool {
	for _, m := range []string{"off", "removeListener", "removeEventListener"} {
		for _, cs := range p.removals(m, a) {
			if args := cs.Unit.Args(cs.Call); len(args) > 0 && p.sameEvent(a, cs.Unit, args[0]) {
				return true
			}
		}
	}
	return false
}

// describeRepeater says when the repeating code runs ("on every request").
func (p *Pass) describeRepeater(fn syntax.Node) string {
	t := p.Tree
	if fn == syntax.None {
		return "on every call"
	}
	if call := scope.CallOfArgument(t, fn); call != syntax.None {
		c := p.CalleeOf(call)
		switch {
		case c.Name == "setInterval" || c.Prop == "setInterval":
			return "on every interval tick"
		case c.Name == "useEffect" || c.Name == "useLayoutEffect" || c.Name == "useInsertionEffect":
			return "on every effect run"
		case p.isObservable(call):
			return "on every subscription"
		case p.isHookTap(c):
			return fmt.Sprintf("on every call of hook %s", t.Text(c.Object))
		case addListenerMethods[c.Prop]:
			if args := p.Args(call); len(args) > 0 {
				if ev, ok := p.StringValue(args[0]); ok {
					return fmt.Sprintf("on every %q event", ev)
				}
			}
			return "on every event"
		case routeMethods[c.Prop] || repeatingCalls[c.Name] || repeatingCalls[c.Prop]:
			return "on every request"
		}
	}
	if name := p.functionName(fn); name != "" {
		return "on every call of " + name + "()"
	}
	return "on every call"
}

// className returns the name of class cls, "anonymous class" for a class
// expression without one.
func className(t *syntax.Tree, cls syntax.Node) string {
	if n := t.ChildByField(cls, "name"); n != syntax.None {
		return t.Text(n)
	}
	return "anonymous class"
}

// functionName returns the name a function is known by, or "".
func (p *Pass) functionName(fn syntax.Node) string {
	t := p.Tree
	if n := t.ChildByField(fn, "name"); n != syntax.None {
		return t.Text(n)
	}
	switch parent := t.Parent(fn); t.Kind(parent) {
	case "variable_declarator":
		return t.Text(t.ChildByField(parent, "name"))
	case "pair":
		return t.Text(t.ChildByField(parent, "key"))
	case "public_field_definition", "field_definition":
		return t.Text(t.FieldName(parent))
	case "assignment_expression":
		if left := t.ChildByField(parent, "left"); t.Kind(left) == "member_expression" {
			return t.Text(t.ChildByField(left, "property"))
		}
	}
	return ""
}

// onceFix turns on/addListener/prependListener into their once forms, and
// adds { once: true } to addEventListener.
func (p *Pass) onceFix(a listenerAdd) (finding.Fix, bool) {
	t := p.Tree
	if a.once || a.hasEvent && terminalEvents[a.event] {
		return finding.Fix{}, false // an event that may never come keeps once-listeners too
	}
	if a.partial != "" {
		return finding.Fix{}, false // removed later on purpose: it must hear more than one event
	}
	if once, ok := onceMethods[a.callee.Prop]; ok {
		prop := t.ChildByField(t.Unparen(t.ChildByField(a.call, "function")), "property")
		return finding.Fix{
			Message: fmt.Sprintf("Use %s() so the listener is removed after the first event", once),
			Edits:   []finding.Edit{{Start: t.Start(prop), End: t.EndByte(prop), NewText: once}},
		}, true
	}
	if a.callee.Prop == "addEventListener" && len(a.args) == 2 {
		at := t.EndByte(a.args[1])
		return finding.Fix{
			Message: "Pass { once: true } so the listener is removed after the first event",
			Edits:   []finding.Edit{{Start: at, End: at, NewText: ", { once: true }"}},
		}, true
	}
	return finding.Fix{}, false
}

// removeOnCloseFix hoists the handler into a constant (when it is inline)
// and removes it when a per-call object of the repeating function closes:
//
//	const onTick = (t) => res.write(t);
//	bus.on("tick", onTick);
//	res.once("close", () => bus.off("tick", onTick));
func (p *Pass) removeOnCloseFix(a listenerAdd) (finding.Fix, bool) {
	t := p.Tree
	closer := p.closeableParam(a.repeater, a.callee.Object)
	if closer == "" || removeMethods[a.callee.Prop] == "" {
		return finding.Fix{}, false
	}
	stmt := p.Statement(a.call)
	if stmt == syntax.None || t.Kind(stmt) != "expression_statement" || t.Unparen(t.FirstChild(stmt)) != a.call {
		return finding.Fix{}, false
	}
	indent := p.Tree.Indent(t.Start(stmt))
	handler, edits := p.hoistHandler(a, stmt, indent)
	end := p.AfterStatement(stmt)
	remove := fmt.Sprintf("\n%s%s.once(\"close\", () => %s.%s(%s, %s));",
		indent, closer, t.Text(a.callee.Object), removeMethods[a.callee.Prop], t.Text(a.args[0]), handler)
	edits = append(edits, finding.Edit{Start: end, End: end, NewText: remove})
	return finding.Fix{
		Message: fmt.Sprintf("Remove the listener when %s closes", closer),
		Edits:   edits,
	}, true
}

// closeableParam picks the parameter of fn that is a per-call object
// emitting "close" (res, socket, ws …), other than the emitter itself.
func (p *Pass) closeableParam(fn, emitter syntax.Node) string {
	if fn == syntax.None {
		return ""
	}
	s := p.Scope.Closure(fn)
	if s == nil {
		return ""
	}
	root := ""
	if emitter != syntax.None {
		root = p.Tree.Text(emitter)
		if i := strings.IndexAny(root, ".["); i >= 0 {
			root = root[:i]
		}
	}
	for _, name := range closeableParams {
		if d := s.Own(name); d != nil && d.Kind == scope.Param && name != root {
			return name
		}
	}
	return ""
}

// effectCleanupFix removes the listener in the cleanup function of the
// React effect (or the teardown of the Observable subscription) that adds
// it:
//
//	useEffect(() => {
//	  const onResize = () => setWidth(window.innerWidth);
//	  window.addEventListener("resize", onResize);
//	  return () => window.removeEventListener("resize", onResize);
//	}, []);
func (p *Pass) effectCleanupFix(a listenerAdd) (finding.Fix, bool) {
	t := p.Tree
	fn := a.repeater
	if fn == syntax.None || removeMethods[a.callee.Prop] == "" {
		return finding.Fix{}, false
	}
	call := scope.CallOfArgument(t, fn)
	if call == syntax.None {
		return finding.Fix{}, false
	}
	message := "Remove the listener in the effect's cleanup"
	if p.isObservable(call) {
		message = "Remove the listener in the subscription's teardown"
	} else if c := p.CalleeOf(call); c.Name != "useEffect" && c.Name != "useLayoutEffect" {
		return finding.Fix{}, false
	}
	body := t.ChildByField(fn, "body")
	if t.Kind(body) != "statement_block" || t.ChildOfKind(body, "return_statement") != syntax.None {
		return finding.Fix{}, false
	}
	stmt := p.Statement(a.call)
	if stmt == syntax.None || t.Parent(stmt) != body || t.Kind(stmt) != "expression_statement" || t.Unparen(t.FirstChild(stmt)) != a.call {
		return finding.Fix{}, false
	}
	indent := p.Tree.Indent(t.Start(stmt))
	handler, edits := p.hoistHandler(a, stmt, indent)
	// Insert the cleanup as the effect's last statement.
	last := syntax.None
	for _, c := range t.NamedChildren(body) {
		if t.Kind(c) != "comment" {
			last = c
		}
	}
	end := p.AfterStatement(last)
	edits = append(edits, finding.Edit{Start: end, End: end, NewText: fmt.Sprintf("\n%sreturn () => %s.%s(%s, %s);",
		p.Tree.Indent(t.Start(last)), t.Text(a.callee.Object), removeMethods[a.callee.Prop], t.Text(a.args[0]), handler)})
	return finding.Fix{Message: message, Edits: edits}, true
}

// hoistHandler returns the name under which the listener of a can be
// removed: the identifier passed, or a fresh constant declared before stmt
// that holds the inline function (or .bind() result), with the edits that
// declare it and pass it instead.
func (p *Pass) hoistHandler(a listenerAdd, stmt syntax.Node, indent string) (string, []finding.Edit) {
	t := p.Tree
	h := t.Unparen(a.args[1])
	if t.Kind(h) == "identifier" {
		return t.Text(h), nil
	}
	evName := "event"
	if a.hasEvent && len(identifierWords(a.event)) > 0 {
		evName = a.event
	}
	handler := p.FreshName(CamelName("on", evName))
	return handler, []finding.Edit{
		{Start: t.Start(stmt), End: t.Start(stmt), NewText: "const " + handler + " = " + t.Text(a.args[1]) + ";\n" + indent},
		{Start: t.Start(a.args[1]), End: t.EndByte(a.args[1]), NewText: handler},
	}
}
