package staticcheck

import (
	"fmt"
	"iter"
	"regexp"
	"slices"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// LK008 is lifecycle-asymmetry: what a class registers in its set-up on
// something that outlives the instance (a listener, a timer kept on the
// instance, an entry in a collection) that its teardown does not undo, or
// undoes with another function identity.
var LK008 = &Rule{Rule: rules.Must("LK008"), Run: runLK008}

// teardownName matches methods that end an instance's life.
var teardownName = regexp.MustCompile(`^_*(destroy|dispose|close|stop|shutdown|teardown|tearDown|disconnect|unsubscribe|unmount|componentWillUnmount|disconnectedCallback|release|cleanup|cleanUp|detach|unbind|unwatch|unlisten|terminate|quit|end|kill|finalize)([A-Z_].*)?$`)

// setupName matches methods that set an instance up, once per instance or
// once per teardown: the constructor, start, connect, open …
var setupName = regexp.MustCompile(`^_*(constructor|init|initialize|initialise|setup|setUp|start|startup|open|connect|listen|bind|attach|mount|subscribe|watch|enable|activate|register|install|boot|bootstrap|begin|resume|componentDidMount|connectedCallback)([A-Z_].*)?$`)

// teardownPreference orders teardown method names for the quick fix: the
// removal goes into the first the class defines.
var teardownPreference = []string{"destroy", "dispose", "close", "stop", "shutdown", "teardown", "disconnect", "unsubscribe", "componentWillUnmount", "disconnectedCallback", "detach", "end"}

// regKind is what a set-up registers.
type regKind uint8

const (
	regListener regKind = iota // emitter.on(event, handler)
	regTimer                   // this.timer = setInterval(…)
	regEntry                   // registry.set(this.id, this)
)

// endMethods end an emitter: one that the teardown ends dies with the
// instance, and its listeners with it.
var endMethods = []string{"destroy", "close", "end", "terminate", "disconnect", "dispose"}

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
}

// lifecycle is the set-up and teardown code of one class, or of one
// constructor function and the methods assigned to its prototype.
type lifecycle struct {
	cls  syntax.Node // the class, or the constructor function
	name string
	// this is the class that this denotes in the methods (see
	// Unit.ThisClass): cls, or None for a constructor function.
	this syntax.Node
	// parts are the nodes that hold the type's code: the class, or the
	// constructor function and the prototype methods.
	parts []syntax.Node
	// methods are the method functions by name (method_definitions, or the
	// functions assigned to the prototype); "constructor" is the
	// constructor.
	methods map[string]syntax.Node
	setups  []syntax.Node
	// teardown is the code that runs when an instance ends: teardown
	// methods, listeners for terminal events, and the methods they call
	// on this.
	teardown []syntax.Node
	// target is the teardown method that fixes add their lines to, or None.
	target syntax.Node
	// fields are the properties of this that set-up code fills from
	// outside the instance, by name.
	fields map[string]field
	// closure reports a factory: the set-up is a function and the
	// teardown methods of the object it returns see its variables.
	closure bool
}

func runLK008(p *Pass) {
	t := p.Tree
	for n := syntax.Node(0); n < syntax.Node(t.Len()); n++ {
		switch t.Kind(n) {
		case "class_declaration", "class", "abstract_class_declaration":
			if lc := p.lifecycleOf(n); lc != nil {
				p.checkLifecycle(lc)
			}
		case "function_declaration":
			lc := p.prototypeLifecycleOf(n)
			if lc == nil {
				lc = p.factoryLifecycleOf(n)
			}
			if lc != nil {
				p.checkLifecycle(lc)
			}
		}
	}
}

// lifecycleOf reads the methods of class cls; nil when it has no set-up.
func (p *Pass) lifecycleOf(cls syntax.Node) *lifecycle {
	t := p.Tree
	body := t.ChildByField(cls, "body")
	if body == syntax.None {
		return nil
	}
	name := className(t, cls)
	if parent := t.Parent(cls); t.Kind(cls) == "class" && t.Kind(parent) == "variable_declarator" {
		name = t.Text(t.ChildByField(parent, "name")) // const Tab = class { … }
	}
	lc := newLifecycle(cls, name)
	lc.this, lc.parts = cls, []syntax.Node{cls}
	for _, m := range t.NamedChildren(body) {
		if t.Kind(m) == "method_definition" {
			lc.addMethod(t, t.Text(t.ChildByField(m, "name")), m)
		}
	}
	return p.completeLifecycle(lc)
}

func newLifecycle(cls syntax.Node, name string) *lifecycle {
	return &lifecycle{cls: cls, name: name, methods: map[string]syntax.Node{}, target: syntax.None, fields: map[string]field{}}
}

// addMethod records method fn called name, a set-up or teardown by its
// name.
func (lc *lifecycle) addMethod(t *syntax.Tree, name string, fn syntax.Node) {
	if t.Kind(t.ChildByField(fn, "body")) != "statement_block" {
		return
	}
	lc.methods[name] = fn
	if setupName.MatchString(name) && !teardownName.MatchString(name) {
		lc.setups = append(lc.setups, fn)
	}
}

// prototypeLifecycleOf reads a module-level constructor function and the
// functions assigned to its prototype (Conn.prototype.close = function
// () { … }); nil when there are none, or no set-up.
func (p *Pass) prototypeLifecycleOf(fn syntax.Node) *lifecycle {
	t := p.Tree
	d := p.Scope.DeclAt(t.ChildByField(fn, "name"))
	if d == nil || !d.ModuleLived() {
		return nil
	}
	lc := newLifecycle(fn, d.Name)
	lc.this, lc.parts = syntax.None, []syntax.Node{fn}
	lc.addMethod(t, "constructor", fn)
	for _, r := range d.Refs {
		proto := t.Parent(r.Ident)
		if t.Kind(proto) != "member_expression" || t.Text(t.ChildByField(proto, "property")) != "prototype" {
			continue
		}
		m := t.Parent(proto)
		asg := t.Parent(m)
		if t.Kind(m) != "member_expression" || t.Kind(asg) != "assignment_expression" || t.ChildByField(asg, "left") != m {
			continue
		}
		if f := t.Unparen(t.ChildByField(asg, "right")); t.Kind(f) == "function_expression" || t.Kind(f) == "function" {
			lc.parts = append(lc.parts, f)
			lc.addMethod(t, t.Text(t.ChildByField(m, "property")), f)
		}
	}
	if len(lc.parts) == 1 {
		return nil // a plain function
	}
	return p.completeLifecycle(lc)
}

// factoryLifecycleOf reads a factory: a function that returns an object
// literal with teardown methods (return { close() { … } }). The function
// itself is the set-up; nil when it is not a factory.
func (p *Pass) factoryLifecycleOf(fn syntax.Node) *lifecycle {
	t := p.Tree
	d := p.Scope.DeclAt(t.ChildByField(fn, "name"))
	body := t.ChildByField(fn, "body")
	if d == nil || !d.ModuleLived() || body == syntax.None {
		return nil
	}
	lc := newLifecycle(fn, d.Name)
	lc.this, lc.parts, lc.closure = syntax.None, []syntax.Node{fn}, true
	lc.setups = []syntax.Node{fn}
	for _, st := range t.NamedChildren(body) {
		if t.Kind(st) != "return_statement" || len(t.NamedChildren(st)) == 0 {
			continue
		}
		obj := t.Unparen(t.NamedChildren(st)[0])
		if t.Kind(obj) != "object" {
			continue
		}
		for _, m := range t.NamedChildren(obj) {
			name, f := t.Text(t.ChildByField(m, "name")), m
			if t.Kind(m) == "pair" {
				name, f = t.Text(t.ChildByField(m, "key")), t.Unparen(t.ChildByField(m, "value"))
			}
			if p.IsFunction(f) || t.Kind(f) == "method_definition" {
				lc.methods[name] = f
			}
		}
	}
	for name := range lc.methods {
		if teardownName.MatchString(name) {
			return p.completeLifecycle(lc)
		}
	}
	return nil
}

// completeLifecycle finds the teardown of lc and the fields its set-up
// fills; nil when lc has no set-up.
func (p *Pass) completeLifecycle(lc *lifecycle) *lifecycle {
	if len(lc.setups) == 0 {
		return nil
	}
	var teardowns []syntax.Node
	for name, m := range lc.methods {
		if teardownName.MatchString(name) {
			teardowns = append(teardowns, m)
		}
	}
	slices.Sort(teardowns)
	for _, name := range teardownPreference {
		if m, ok := lc.methods[name]; ok {
			lc.target = m
			break
		}
	}
	if lc.target == syntax.None && len(teardowns) > 0 {
		lc.target = teardowns[0]
	}
	lc.teardown = p.teardownCode(lc, append(teardowns, p.terminalListeners(lc)...))
	for _, s := range lc.setups {
		p.readFields(lc, s)
	}
	p.dropOwnFields(lc)
	return lc
}

// dropOwnFields forgets the fields that the type also fills with objects
// of its own (this._socket = options.socket in the constructor, but
// this._socket = net.connect(…) in connect()): they may die with it.
func (p *Pass) dropOwnFields(lc *lifecycle) {
	t := p.Tree
	for n := range lc.nodes(t) {
		if t.Kind(n) != "assignment_expression" {
			continue
		}
		left := t.ChildByField(n, "left")
		if t.Kind(left) != "member_expression" || t.Kind(t.Unparen(t.ChildByField(left, "object"))) != "this" {
			continue
		}
		name := t.Text(t.ChildByField(left, "property"))
		if _, ok := lc.fields[name]; !ok {
			continue
		}
		if _, outside := p.outsideRoot(p.Scope.EnclosingFunction(n), t.ChildByField(n, "right")); !outside {
			delete(lc.fields, name)
		}
	}
}

// nodes yields every node of lc's code.
func (lc *lifecycle) nodes(t *syntax.Tree) iter.Seq[syntax.Node] {
	return func(yield func(syntax.Node) bool) {
		for _, part := range lc.parts {
			for n := part; n < t.End(part); n++ {
				if !yield(n) {
					return
				}
			}
		}
	}
}

// contains reports whether node n is part of lc's code.
func (lc *lifecycle) contains(t *syntax.Tree, n syntax.Node) bool {
	for _, part := range lc.parts {
		if t.Contains(part, n) {
			return true
		}
	}
	return false
}

// methodName returns the name of the method of lc that contains node n,
// or "".
func (lc *lifecycle) methodName(t *syntax.Tree, n syntax.Node) string {
	best, name := syntax.None, ""
	for m, fn := range lc.methods {
		if t.Contains(fn, n) && (best == syntax.None || t.Contains(best, fn)) {
			best, name = fn, m
		}
	}
	return name
}

// teardownEvents end the life of the emitter that emits them: listeners
// for them are teardown code.
var teardownEvents = map[string]bool{"close": true, "end": true, "finish": true, "exit": true, "disconnect": true}

// terminalListeners returns the functions the class passes as listeners
// for events that end an emitter's life (see teardownEvents): they run
// when the instance's resources end.
func (p *Pass) terminalListeners(lc *lifecycle) []syntax.Node {
	t := p.Tree
	var out []syntax.Node
	for n := range lc.nodes(t) {
		if t.Kind(n) != "call_expression" {
			continue
		}
		c := p.CalleeOf(n)
		if !addListenerMethods[c.Prop] && !onceListenerMethods[c.Prop] {
			continue
		}
		args := p.Args(n)
		if len(args) < 2 {
			continue
		}
		if ev, ok := p.StringValue(args[0]); !ok || !teardownEvents[ev] {
			continue
		}
		out = append(out, t.Unparen(args[1]))
	}
	return out
}

// teardownCode closes roots (functions and method references) over the
// methods they call on this: `close() { this._cleanup(); }` tears down in
// _cleanup too.
func (p *Pass) teardownCode(lc *lifecycle, roots []syntax.Node) []syntax.Node {
	t := p.Tree
	seen := map[syntax.Node]bool{}
	var out []syntax.Node
	queue := roots
	for len(queue) > 0 {
		fn := queue[0]
		queue = queue[1:]
		if seen[fn] {
			continue
		}
		seen[fn] = true
		out = append(out, fn)
		for n := fn; n < t.End(fn); n++ {
			if t.Kind(n) != "member_expression" || t.Kind(t.Unparen(t.ChildByField(n, "object"))) != "this" {
				continue
			}
			if m, ok := lc.methods[t.Text(t.ChildByField(n, "property"))]; ok && !seen[m] {
				queue = append(queue, m)
			}
		}
	}
	return out
}

// readFields records the properties of this that set-up method s fills
// from its parameters or from long-lived objects (this.server = server,
// this.bus = bus), and TypeScript parameter properties
// (constructor(private server: Server)).
func (p *Pass) readFields(lc *lifecycle, s syntax.Node) {
	t := p.Tree
	if params := t.ChildByField(s, "parameters"); params != syntax.None {
		for _, prm := range t.NamedChildren(params) {
			if t.ChildOfKind(prm, "accessibility_modifier") != syntax.None || t.ChildOfKind(prm, "readonly") != syntax.None {
				if pat := t.ChildByField(prm, "pattern"); t.Kind(pat) == "identifier" {
					lc.fields[t.Text(pat)] = field{from: pat}
				}
			}
		}
	}
	for n := s; n < t.End(s); n++ {
		if t.Kind(n) != "assignment_expression" || p.Scope.EnclosingFunction(n) != s {
			continue
		}
		left := t.ChildByField(n, "left")
		if t.Kind(left) != "member_expression" || t.Kind(t.Unparen(t.ChildByField(left, "object"))) != "this" {
			continue
		}
		right := t.Unparen(t.ChildByField(n, "right"))
		if long, ok := p.outsideRoot(s, right); ok {
			lc.fields[t.Text(t.ChildByField(left, "property"))] = field{from: right, long: long}
		}
	}
}

// outsideRoot reports whether expression e, in set-up method s, is reached
// from outside the instance: a parameter of s (or a path on one), or a
// long-lived object (process, window …, a module-level or imported
// binding). long is true for the latter.
func (p *Pass) outsideRoot(s, e syntax.Node) (long, ok bool) {
	t := p.Tree
	root := memberRoot(t, e)
	if t.Kind(root) != "identifier" {
		return false, false
	}
	d := p.Scope.Resolve(root)
	switch {
	case d == nil:
		return true, longLivedGlobals[t.Text(root)]
	case d.Kind == scope.Param:
		return false, d.Scope.Function().Node == s
	case d.Kind == scope.Function || d.Kind == scope.Class || d.Kind == scope.Enum || d.Kind == scope.Namespace:
		return false, false
	}
	return true, d.ModuleLived()
}

// memberRoot returns the object at the bottom of a member path (bus in
// bus.events.x, this in this.server).
func memberRoot(t *syntax.Tree, e syntax.Node) syntax.Node {
	e = t.Unparen(e)
	for t.Kind(e) == "member_expression" || t.Kind(e) == "subscript_expression" {
		e = t.Unparen(t.ChildByField(e, "object"))
	}
	return e
}

// field is a property of this that set-up code fills from outside the
// instance.
type field struct {
	from syntax.Node // the assigned expression (the parameter itself for a TypeScript parameter property)
	long bool        // from a long-lived object rather than a parameter
}

// memberPath returns the object at the bottom of a member path (bus in
// bus.events.x, this in this.server) and the property names above it;
// ok is false for a computed member.
func memberPath(t *syntax.Tree, e syntax.Node) (root syntax.Node, path []string, ok bool) {
	e = t.Unparen(e)
	for t.Kind(e) == "member_expression" {
		path = append([]string{t.Text(t.ChildByField(e, "property"))}, path...)
		e = t.Unparen(t.ChildByField(e, "object"))
	}
	return e, path, t.Kind(e) != "subscript_expression"
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

// checkLifecycle reports the registrations of lc's set-up that its
// teardown does not undo, and, for a class without teardown that is
// created again and again with a long-lived object, what it registers on
// that object.
func (p *Pass) checkLifecycle(lc *lifecycle) {
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
	_, ok := p.listenerLeak(call)
	return ok
}

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
	return r, p.placeTarget(lc, s, &r)
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
	key, ok := p.Program.KeyOf(p.Unit, r.target)
	if d := p.Scope.DeclAt(r.target); d != nil {
		key, ok = p.Program.declKey(p.Unit, d, nil, 0) // const timer = setInterval(…)
	}
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
	fn := t.Unparen(args[0])
	if r.kind == regListener {
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
	}
	ev := "an event"
	if r.hasEvent {
		ev = fmt.Sprintf("%q", r.event)
	}
	return fmt.Sprintf("listener for %s added to %s", ev, target)
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
