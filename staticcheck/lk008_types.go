package staticcheck

// The types LK008 reads: a class, a constructor function with its
// prototype methods, or a factory, each with its set-up and teardown.

import (
	"iter"
	"regexp"
	"slices"

	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// teardownName matches methods that end an instance's life.
var teardownName = regexp.MustCompile(`^_*(destroy|dispose|close|stop|shutdown|teardown|tearDown|disconnect|unsubscribe|unmount|componentWillUnmount|disconnectedCallback|release|cleanup|cleanUp|detach|unbind|unwatch|unlisten|terminate|quit|end|kill|finalize)([A-Z_].*)?$`)

// setupName matches methods that set an instance up, once per instance or
// once per teardown: the constructor, start, connect, open …
var setupName = regexp.MustCompile(`^_*(constructor|init|initialize|initialise|setup|setUp|start|startup|open|connect|listen|lift|launch|bind|attach|mount|subscribe|watch|enable|activate|register|install|boot|bootstrap|begin|resume|componentDidMount|connectedCallback)([A-Z_].*)?$`)

// teardownPreference orders teardown method names for the quick fix: the
// removal goes into the first the class defines.
var teardownPreference = []string{"destroy", "dispose", "close", "stop", "shutdown", "teardown", "disconnect", "unsubscribe", "componentWillUnmount", "disconnectedCallback", "detach", "end"}

// lifecycle is the set-up and teardown code of one type: a class, a
// constructor function and the methods assigned to its prototype, or a
// factory and the methods of the object it returns.
type lifecycle struct {
	cls  syntax.Node // the class, the constructor function or the factory
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
		right := t.Unparen(t.ChildByField(n, "right"))
		if t.Kind(right) == "null" || t.Kind(right) == "undefined" {
			continue // this.server = null: let go, not replaced
		}
		if _, outside := p.outsideRoot(p.Scope.EnclosingFunction(n), right); !outside {
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
	root, _, _ := memberPath(t, e)
	return root
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
	ok = true
	for e = t.Unparen(e); ; e = t.Unparen(t.ChildByField(e, "object")) {
		switch t.Kind(e) {
		case "member_expression":
			path = append([]string{t.Text(t.ChildByField(e, "property"))}, path...)
			continue
		case "subscript_expression":
			ok = false
			continue
		}
		return e, path, ok
	}
}
