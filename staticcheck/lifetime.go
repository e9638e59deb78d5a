package staticcheck

import (
	"regexp"

	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// This file decides how often code runs: whether a listener added at some
// point can be added again and again while its emitter lives. That is the
// difference between a leak and a one-time registration.

// oneShotEvents are event names that fire at most once per emitter (so a
// listener for them, or code inside such a listener, runs once).
var oneShotEvents = map[string]bool{
	"close": true, "end": true, "finish": true, "exit": true, "error": true,
	"open": true, "ready": true, "connect": true, "listening": true,
	"response": true, "abort": true, "aborted": true, "timeout": true,
	"beforeExit": true, "disconnect": true, "load": true, "DOMContentLoaded": true,
	"unload": true, "beforeunload": true, "SIGINT": true, "SIGTERM": true,
}

// terminalEvents are one-shot events that end an emitter's life, or may
// never come (error, abort, signals): a once-listener for them stays until
// then, so once() does not bound listeners added again and again to an
// emitter that lives on.
var terminalEvents = map[string]bool{
	"close": true, "end": true, "finish": true, "exit": true, "error": true,
	"abort": true, "aborted": true, "timeout": true, "beforeExit": true,
	"disconnect": true, "unload": true, "beforeunload": true, "SIGINT": true, "SIGTERM": true,
}

// routeMethods are methods whose function arguments are request handlers
// (express, koa-router, fastify, hono, restify …): they run once per request.
var routeMethods = map[string]bool{
	"get": true, "post": true, "put": true, "delete": true, "patch": true,
	"head": true, "options": true, "all": true, "use": true, "route": true,
	"handle": true, "subscribe": true, "handler": true,
}

// repeatingCalls are plain functions whose function arguments run many
// times: timers, servers, React effects (once per mount).
var repeatingCalls = map[string]bool{
	"setInterval": true, "createServer": true, "createSecureServer": true,
	"useEffect": true, "useLayoutEffect": true, "useInsertionEffect": true,
}

// addListenerMethods register an event listener.
var addListenerMethods = map[string]bool{
	"on": true, "addListener": true, "prependListener": true, "addEventListener": true,
}

// onceListenerMethods register a listener removed after its first event.
var onceListenerMethods = map[string]bool{"once": true, "prependOnceListener": true}

// tapMethods tap a hook of the tapable library (webpack's
// compiler.hooks.emit.tap(name, fn)): the function runs on every call of
// the hook, and tapable has no method to take a tap off again.
var tapMethods = map[string]bool{"tap": true, "tapAsync": true, "tapPromise": true}

// isHookTap reports whether c taps a tapable hook: X.hooks.name.tap(…) or
// hooks.name.tap(…).
func (u *Unit) isHookTap(c Callee) bool {
	t := u.Tree
	if !tapMethods[c.Prop] || t.Kind(c.Object) != "member_expression" {
		return false
	}
	hooks := t.Unparen(t.ChildByField(c.Object, "object"))
	switch t.Kind(hooks) {
	case "member_expression":
		return t.Text(t.ChildByField(hooks, "property")) == "hooks"
	case "identifier":
		return t.Text(hooks) == "hooks"
	}
	return false
}

// lifecycleName matches functions and methods that by their name set a
// program or an object up, or tear it down, once: main, start, init,
// setup, bootstrap, bind, attach … close, destroy, dispose (with optional
// leading underscores: _bindEvents).
var lifecycleName = regexp.MustCompile(`^_*(main|start|startup|init|initialize|initialise|setup|setUp|bootstrap|boot|launch|listen|run|install|configure|register|begin|bind|attach|connectedCallback|componentDidMount|end|close|destroy|dispose|teardown|stop|shutdown)([A-Z_].*)?$`)

// Repetition classifies a function by how often it runs relative to the
// code around it.
type Repetition uint8

// Repetitions.
const (
	// Transparent functions run at most once per run of their enclosing
	// code (IIFEs, timeouts, promise callbacks, once-listeners, array
	// callbacks and unknown callbacks), so they repeat exactly as often as
	// it does.
	Transparent Repetition = iota
	// Repeating functions can run any number of times while the code
	// around them lives: request handlers, listeners, interval callbacks,
	// methods, exported and other named functions.
	Repeating
)

// maxRepetitionDepth bounds the mutual recursion between constructors and
// the places their classes are instantiated (a class instantiated inside
// its own methods would otherwise loop).
const maxRepetitionDepth = 8

// RepetitionOf classifies the function node fn.
func (u *Unit) RepetitionOf(fn syntax.Node) Repetition { return u.repetitionOf(fn, 0) }

func (u *Unit) repetitionOf(fn syntax.Node, depth int) Repetition {
	if depth > maxRepetitionDepth {
		return Repeating
	}
	t := u.Tree
	parent := t.Parent(fn)
	for t.Kind(parent) == "parenthesized_expression" {
		parent = t.Parent(parent)
	}
	// (function () { … })() and (async () => …)()
	if t.Kind(parent) == "call_expression" && t.Contains(t.ChildByField(parent, "function"), fn) {
		return Transparent
	}
	if u.onceGuarded(fn) {
		return Transparent // if (flag) return; flag = true; …
	}
	if call := scope.CallOfArgument(t, fn); call != syntax.None {
		return u.callbackRepetition(call, fn)
	}
	switch t.Kind(fn) {
	case "method_definition":
		return u.methodRepetition(fn, depth)
	case "function_declaration", "generator_function_declaration":
		return u.namedRepetition(u.Scope.DeclAt(t.ChildByField(fn, "name")))
	}
	// const h = () => …, { handler: () => … }, this.h = function () {…}
	switch t.Kind(parent) {
	case "variable_declarator":
		name := t.ChildByField(parent, "name")
		if d := u.Scope.DeclAt(name); d != nil && d.Scope.Kind == scope.ModuleScope {
			return u.namedRepetition(d)
		}
		return Transparent // a local helper runs as often as its caller
	case "assignment_expression": // Pool.prototype.init = function () { … }
		if left := t.ChildByField(parent, "left"); t.Kind(left) == "member_expression" &&
			lifecycleName.MatchString(t.Text(t.ChildByField(left, "property"))) {
			return Transparent
		}
		return Repeating
	case "pair", "public_field_definition", "field_definition":
		key := t.ChildByField(parent, "key")
		if key == syntax.None {
			key = t.FieldName(parent) // class fields
		}
		if lifecycleName.MatchString(t.Text(key)) {
			return Transparent
		}
		return Repeating
	}
	return Repeating
}

// callbackRepetition classifies fn, an argument of call.
func (u *Unit) callbackRepetition(call, fn syntax.Node) Repetition {
	c := u.CalleeOf(call)
	if u.isObservable(call) {
		return Repeating // the subscribe function runs once per subscription
	}
	if c.Name != "" {
		if repeatingCalls[c.Name] {
			return Repeating
		}
		return Transparent
	}
	switch {
	case u.isHookTap(c):
		return Repeating
	case addListenerMethods[c.Prop]:
		args := u.Args(call)
		if len(args) > 0 {
			if ev, ok := u.StringValue(args[0]); ok && oneShotEvents[ev] {
				return Transparent
			}
		}
		if u.hasOnceOption(args) {
			return Transparent
		}
		return Repeating
	case routeMethods[c.Prop] || repeatingCalls[c.Prop]:
		return Repeating
	}
	return Transparent
}

// isObservable reports whether call is `new Observable(subscribe)` (RxJS
// and its kin), whose function runs again for every subscriber.
func (u *Unit) isObservable(call syntax.Node) bool {
	c := u.CalleeOf(call)
	return u.Tree.Kind(call) == "new_expression" && (c.Name == "Observable" || c.Prop == "Observable")
}

// hasOnceOption reports whether the third listener argument is an options
// object with `once: true`.
func (u *Unit) hasOnceOption(args []syntax.Node) bool {
	if len(args) < 3 {
		return false
	}
	v, ok := u.optionValue(args[2], "once")
	return ok && u.Tree.Text(v) == "true"
}

// optionValue returns the value of property key in an object literal
// (shorthand properties give the identifier itself).
func (u *Unit) optionValue(obj syntax.Node, key string) (syntax.Node, bool) {
	t := u.Tree
	obj = t.Unparen(obj)
	if t.Kind(obj) != "object" {
		return syntax.None, false
	}
	for _, c := range t.NamedChildren(obj) {
		switch t.Kind(c) {
		case "pair":
			k := t.ChildByField(c, "key")
			name := t.Text(k)
			if v, ok := u.StringValue(k); ok {
				name = v
			}
			if name == key {
				return t.ChildByField(c, "value"), true
			}
		case "shorthand_property_identifier":
			if t.Text(c) == key {
				return c, true
			}
		}
	}
	return syntax.None, false
}

// methodRepetition classifies a class or object method.
func (u *Unit) methodRepetition(m syntax.Node, depth int) Repetition {
	t := u.Tree
	name := t.Text(t.ChildByField(m, "name"))
	if lifecycleName.MatchString(name) {
		return Transparent
	}
	if name != "constructor" {
		return Repeating
	}
	cls := t.Ancestor(m, "class_declaration", "class", "abstract_class_declaration")
	if cls == syntax.None || u.instancesRepeat(cls, depth) {
		return Repeating
	}
	return Transparent
}

// instancesRepeat reports whether the program may create many instances of
// class cls: it is exported, passed around or extended, or `new C` runs
// inside repeating code or in several places.
func (u *Unit) instancesRepeat(cls syntax.Node, depth int) bool {
	t := u.Tree
	d := u.Scope.DeclAt(t.ChildByField(cls, "name"))
	if d == nil || d.Export != "" || d.Scope.Kind != scope.ModuleScope {
		return true
	}
	news := 0
	for _, r := range d.Refs {
		p := t.Parent(r.Ident)
		if t.Kind(p) != "new_expression" {
			return true // passed around or extended: unknown uses
		}
		if u.runsRepeatedly(p, nil, depth+1) {
			return true
		}
		news++
	}
	return news > 1
}

// RunsPerInstance reports whether node n is in the set-up code of a class
// of which the program may create many instances: a method that by its
// name or a guard runs once (start, init, _bindEvents …), which runs once
// per instance. What it adds to an emitter that outlives the instances
// (process, a module-level emitter) piles up, one per instance. It returns
// the method.
func (u *Unit) RunsPerInstance(n syntax.Node) (syntax.Node, bool) {
	t := u.Tree
	for fn := u.Scope.EnclosingFunction(n); fn != syntax.None; fn = u.Scope.EnclosingFunction(fn) {
		if t.Kind(fn) != "method_definition" {
			continue
		}
		name := t.Text(t.ChildByField(fn, "name"))
		if !lifecycleName.MatchString(name) && !u.onceGuarded(fn) {
			return syntax.None, false
		}
		cls := t.Ancestor(fn, "class_declaration", "class", "abstract_class_declaration")
		return fn, cls != syntax.None && u.instancesRepeat(cls, 0)
	}
	return syntax.None, false
}

// namedRepetition classifies a module-level named function by its uses:
// a function called only from module-level code, not exported, runs once
// per call site there; lifecycle names run once.
func (u *Unit) namedRepetition(d *scope.Decl) Repetition {
	if d == nil {
		return Repeating
	}
	if lifecycleName.MatchString(d.Name) {
		return Transparent
	}
	if d.Export != "" || d.Scope.Kind != scope.ModuleScope || len(d.Refs) == 0 {
		return Repeating
	}
	t := u.Tree
	for _, r := range d.Refs {
		p := t.Parent(r.Ident)
		if t.Kind(p) != "call_expression" || t.ChildByField(p, "function") != r.Ident {
			return Repeating // passed as a callback or stored: unknown calls
		}
		if u.Scope.EnclosingFunction(p) != syntax.None {
			return Repeating
		}
	}
	if len(d.Refs) > 1 {
		return Repeating
	}
	return Transparent
}

// RunsRepeatedly reports whether node n may run many times while the
// variables of scope within live (within nil: the module). It walks the
// functions between n and within and asks whether any of them repeats.
func (u *Unit) RunsRepeatedly(n syntax.Node, within *scope.Scope) bool {
	return u.runsRepeatedly(n, within, 0)
}

func (u *Unit) runsRepeatedly(n syntax.Node, within *scope.Scope, depth int) bool {
	stop := syntax.None
	if within != nil && within.Kind != scope.ModuleScope {
		stop = within.Node
	}
	for fn := u.Scope.EnclosingFunction(n); fn != syntax.None && fn != stop; fn = u.Scope.EnclosingFunction(fn) {
		if stop != syntax.None && !u.Tree.Contains(stop, fn) {
			break
		}
		if u.repetitionOf(fn, depth) == Repeating {
			return true
		}
	}
	return false
}

// RepeatingFunction returns the innermost function around n that repeats
// (see RepetitionOf), or None: the function whose every run adds another
// copy of what n creates.
func (u *Unit) RepeatingFunction(n syntax.Node) syntax.Node {
	for fn := u.Scope.EnclosingFunction(n); fn != syntax.None; fn = u.Scope.EnclosingFunction(fn) {
		if u.RepetitionOf(fn) == Repeating {
			return fn
		}
	}
	return syntax.None
}

// flagGuarded reports whether n runs inside `if (!flag) { …; flag = true; }`
// with a flag that outlives the function around n (a variable of an outer
// scope, or a property of this): it runs once for the flag's lifetime, not
// on every call.
func (u *Unit) flagGuarded(n syntax.Node) bool {
	t := u.Tree
	fn := u.Scope.EnclosingFunction(n)
	for a := t.Parent(n); a != syntax.None && a != fn; a = t.Parent(a) {
		if t.Kind(a) != "if_statement" || !t.Contains(t.ChildByField(a, "consequence"), n) {
			continue
		}
		cond := t.Unparen(t.ChildByField(a, "condition"))
		if t.Kind(cond) != "unary_expression" || t.Text(t.ChildByField(cond, "operator")) != "!" {
			continue
		}
		flag := t.Unparen(t.ChildByField(cond, "argument"))
		if !u.outlivesFunction(flag, fn) {
			continue
		}
		body := []syntax.Node{t.ChildByField(a, "consequence")}
		if t.Kind(body[0]) == "statement_block" {
			body = t.NamedChildren(body[0])
		}
		for _, st := range body {
			asg := t.FirstChild(st)
			if t.Kind(st) == "expression_statement" && t.Kind(asg) == "assignment_expression" &&
				t.Text(t.ChildByField(asg, "left")) == t.Text(flag) && t.Text(t.ChildByField(asg, "right")) == "true" {
				return true
			}
		}
	}
	return false
}

// outlivesFunction reports whether flag, an identifier or a property path
// (this.x, compiler.x), is kept outside function fn: declared in an outer
// scope, or a property of this or of such a variable.
func (u *Unit) outlivesFunction(flag, fn syntax.Node) bool {
	t := u.Tree
	switch t.Kind(flag) {
	case "identifier":
		d := u.Scope.Resolve(flag)
		return d != nil && (fn == syntax.None || !t.Contains(fn, d.Ident))
	case "member_expression":
		obj := t.Unparen(t.ChildByField(flag, "object"))
		return t.Kind(obj) == "this" || u.outlivesFunction(obj, fn)
	}
	return false
}

// onceGuarded reports whether function fn guards its body to run once:
//
//	if (this.bound) return;
//	this.bound = true;
//
// an early return on a flag that the function itself sets to true and that
// outlives the function (see outlivesFunction).
func (u *Unit) onceGuarded(fn syntax.Node) bool {
	t := u.Tree
	body := t.ChildByField(fn, "body")
	if body == syntax.None || t.Kind(body) != "statement_block" {
		return false
	}
	flags := map[string]bool{}
	for _, st := range t.NamedChildren(body) {
		switch t.Kind(st) {
		case "if_statement":
			cons := t.ChildByField(st, "consequence")
			if t.Kind(cons) == "statement_block" && len(t.NamedChildren(cons)) == 1 {
				cons = t.NamedChildren(cons)[0]
			}
			if cond := t.Unparen(t.ChildByField(st, "condition")); t.Kind(cons) == "return_statement" && u.outlivesFunction(cond, fn) {
				flags[t.Text(cond)] = true
			}
		case "expression_statement":
			asg := t.FirstChild(st)
			if t.Kind(asg) == "assignment_expression" && flags[t.Text(t.ChildByField(asg, "left"))] &&
				t.Text(t.ChildByField(asg, "right")) == "true" {
				return true
			}
		}
	}
	return false
}
