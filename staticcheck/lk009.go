package staticcheck

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// LK009 is property-retention: a property keeps a value made for one call
// that holds far more than it shows — an Error made before anything
// failed, whose unread stack keeps every frame's function and receiver,
// or an 'upgrade' listener's head, a slice of the socket's read buffer —
// on an object that outlives the call, and nothing clears it.
var LK009 = &Rule{Rule: rules.Must("LK009"), Run: runLK009}

func runLK009(p *Pass) {
	t := p.Tree
	upgrades := p.upgradeListeners()
	for n := syntax.Node(0); n < syntax.Node(t.Len()); n++ {
		if t.Kind(n) != "assignment_expression" {
			continue
		}
		left := t.ChildByField(n, "left")
		key, ok := propertyKey(t, left)
		if !ok {
			continue
		}
		// The whole-file search for a clear comes last: few assignments
		// get there.
		right := t.Unparen(t.ChildByField(n, "right"))
		if p.isEagerError(n, left, right, key) && !p.clearedElsewhere(n, key) {
			p.ReportNode(left, fmt.Sprintf(
				"%s keeps an Error made on every call of %s before anything failed, and nothing clears it: until its stack is read, an Error keeps the function and receiver of every frame that was on the stack, for as long as %s lives",
				t.Text(left), p.callLabel(p.Scope.EnclosingFunction(n), "its function"), holderLabel(t, left)))
		} else if fn, ok := p.keptUpgradeHead(upgrades, left, right); ok && !p.clearedElsewhere(n, key) {
			p.reportKeptHead(left, right, fn)
		}
	}
}

// propertyKey returns the property an assignment target writes (x.name,
// or the source text of the index of x[index]); ok is false for other
// targets.
func propertyKey(t *syntax.Tree, left syntax.Node) (string, bool) {
	switch t.Kind(left) {
	case "member_expression":
		return t.Text(t.ChildByField(left, "property")), true
	case "subscript_expression":
		return t.Text(t.Unparen(t.ChildByField(left, "index"))), true
	}
	return "", false
}

// clearedElsewhere reports whether the file writes property key anywhere
// other than at assignment asg with something that lets the value go: a
// delete, or an assignment of anything but another value of the same
// kind (null, undefined, a new empty value).
func (p *Pass) clearedElsewhere(asg syntax.Node, key string) bool {
	t := p.Tree
	sameKind := p.sameKindOfValue(t.Unparen(t.ChildByField(asg, "right")))
	for n := syntax.Node(0); n < syntax.Node(t.Len()); n++ {
		var target syntax.Node
		switch t.Kind(n) {
		case "unary_expression":
			if t.Text(t.ChildByField(n, "operator")) != "delete" {
				continue
			}
			target = t.Unparen(t.ChildByField(n, "argument"))
		case "assignment_expression":
			if n == asg || sameKind(t.Unparen(t.ChildByField(n, "right"))) {
				continue
			}
			target = t.ChildByField(n, "left")
		default:
			continue
		}
		if k, ok := propertyKey(t, target); ok && k == key {
			return true
		}
	}
	return false
}

// sameKindOfValue returns the test of whether an assignment of b keeps the
// kind of value a is: another Error made ahead of time, or the same
// parameter. What a is, is found once, not for every assignment tested.
func (p *Pass) sameKindOfValue(a syntax.Node) func(b syntax.Node) bool {
	t := p.Tree
	if p.errorValue(a) {
		return p.errorValue
	}
	return func(b syntax.Node) bool {
		return t.Kind(a) == "identifier" && t.Kind(b) == "identifier" && t.Text(a) == t.Text(b)
	}
}

// isEagerError reports whether assignment asg (to left, property key) keeps
// an Error made ahead of time on this: on every call of a method or
// constructor (a statement of the function's own body, not a branch, a
// catch or a callback), of a type that is not an error itself, which does
// not throw, emit or pass it in the same call (it keeps it for later).
func (p *Pass) isEagerError(asg, left, right syntax.Node, key string) bool {
	t := p.Tree
	if t.Kind(memberRoot(t, left)) != "this" {
		return false
	}
	fn := p.Scope.EnclosingFunction(asg)
	stmt := p.Statement(asg)
	if fn == syntax.None || !p.isMethodOrConstructor(fn) || stmt == syntax.None || t.Parent(stmt) != t.ChildByField(fn, "body") || !p.errorValue(right) {
		return false
	}
	if strings.HasSuffix(p.callName(fn), "Error") || p.errorClass(p.ThisClass(asg)) {
		return false
	}
	for n := t.End(asg); n < t.End(fn); n++ {
		if k, ok := propertyKey(t, n); ok && k == key {
			return false // used in the same call: thrown, emitted or passed on
		}
	}
	return true
}

// isMethodOrConstructor reports whether this in function fn is an
// instance the function belongs to: fn is a method (see isMethod), a
// class constructor, or a function named as a constructor is (Runnable,
// const Client = function () { … }). A callback's this is whatever its
// caller binds (a test framework's context).
func (p *Pass) isMethodOrConstructor(fn syntax.Node) bool {
	t := p.Tree
	if t.Kind(fn) == "method_definition" || p.isMethod(fn) {
		return true
	}
	if t.Kind(fn) == "arrow_function" || scope.CallOfArgument(t, fn) != syntax.None {
		return false
	}
	name := p.functionName(fn)
	return name != "" && unicode.IsUpper([]rune(name)[0])
}

// errorValue reports whether e makes a new Error: `new Error(…)`, `new
// VersionError(…)` (any constructor named …Error), or a call of a local
// function whose every return of a value makes one.
func (p *Pass) errorValue(e syntax.Node) bool {
	t := p.Tree
	switch t.Kind(e) {
	case "new_expression":
		c := p.CalleeOf(e)
		return strings.HasSuffix(c.Name+c.Prop, "Error")
	case "call_expression":
		fn := p.ResolveFunction(t.ChildByField(e, "function"))
		if fn == syntax.None || t.Kind(t.ChildByField(fn, "body")) != "statement_block" {
			return false
		}
		made := false
		for _, v := range p.returnedValues(fn) {
			switch {
			case v == syntax.None || t.Kind(v) == "null" || t.Kind(v) == "undefined":
			case t.Kind(v) == "new_expression" && p.errorValue(v):
				made = true
			default:
				return false
			}
		}
		return made
	}
	return false
}

// errorClass reports whether class cls is an error type itself (named
// …Error, or extending a class so named): keeping an Error is its job.
func (p *Pass) errorClass(cls syntax.Node) bool {
	t := p.Tree
	if cls == syntax.None {
		return false
	}
	if strings.HasSuffix(className(t, cls), "Error") {
		return true
	}
	h := t.ChildOfKind(cls, "class_heritage")
	return h != syntax.None && strings.Contains(t.Text(h), "Error")
}

// callName returns the name of function fn: its own name, the property
// or variable it is assigned to, or the class of a constructor; "" when
// it has none.
func (p *Pass) callName(fn syntax.Node) string {
	t := p.Tree
	if t.Kind(fn) == "method_definition" {
		if name := t.Text(t.ChildByField(fn, "name")); name != "constructor" {
			return name
		}
		return className(t, p.ThisClass(t.ChildByField(fn, "body")))
	}
	return p.functionName(fn)
}

// callLabel names function fn in messages as name(), or as unnamed when
// it has no name.
func (p *Pass) callLabel(fn syntax.Node, unnamed string) string {
	if name := p.callName(fn); name != "" {
		return name + "()"
	}
	return unnamed
}

// holderLabel names the object that holds the property left writes:
// "the instance" for this, else its source text.
func holderLabel(t *syntax.Tree, left syntax.Node) string {
	if obj := t.Unparen(t.ChildByField(left, "object")); t.Kind(obj) != "this" {
		return t.Text(obj)
	}
	return "the instance"
}

// keptUpgradeHead reports whether right is the head of an HTTP 'upgrade'
// (a parameter the function receives as an upgrade listener's third
// argument) and left a property of an object that outlives the call: this
// or another parameter (the request, the socket). upgrades are the file's
// 'upgrade' listener registrations (see upgradeListeners). It returns the
// function.
func (p *Pass) keptUpgradeHead(upgrades []syntax.Node, left, right syntax.Node) (syntax.Node, bool) {
	t := p.Tree
	if len(upgrades) == 0 || t.Kind(right) != "identifier" {
		return syntax.None, false
	}
	d := p.Scope.Resolve(right)
	if d == nil || d.Kind != scope.Param {
		return syntax.None, false
	}
	fn := d.Scope.Function().Node
	if p.paramIndex(fn, d) != 2 || !p.upgradeHandler(upgrades, fn, 0) {
		return syntax.None, false
	}
	root := memberRoot(t, left)
	if t.Kind(root) == "this" {
		return fn, true
	}
	holder := p.Scope.Resolve(root)
	return fn, holder != nil && holder.Kind == scope.Param && holder.Scope.Function().Node == fn
}

// upgradeHandler reports whether fn receives an 'upgrade' event's
// arguments (request, socket, head): it is an 'upgrade' listener, or a
// method passed to one (this.onUpgrade.bind(this)), or a function of this
// file that such a handler calls by name with its head as the third
// argument (handleUpgrade(req, socket, head)).
func (p *Pass) upgradeHandler(upgrades []syntax.Node, fn syntax.Node, depth int) bool {
	t := p.Tree
	if calls := p.listenerCallsOf(fn); len(calls) > 0 {
		for _, call := range calls {
			if ev, _ := p.StringValue(p.Args(call)[0]); ev != "upgrade" {
				return false
			}
		}
		return true
	}
	name := p.functionName(fn)
	if name == "" || depth > 2 {
		return false
	}
	if p.upgradeListenerNamed(upgrades, name) {
		return true
	}
	for _, c := range p.Program.Calls(name) {
		if c.Unit != p.Unit {
			continue
		}
		args := p.Args(c.Call)
		if len(args) < 3 || t.Kind(args[2]) != "identifier" {
			continue
		}
		d := p.Scope.Resolve(args[2])
		if d != nil && d.Kind == scope.Param {
			caller := d.Scope.Function().Node
			if caller != fn && p.paramIndex(caller, d) == 2 && p.upgradeHandler(upgrades, caller, depth+1) {
				return true
			}
		}
	}
	return false
}

// upgradeListeners returns the file's registrations of an 'upgrade'
// listener (server.on('upgrade', …)); without one, no head is followed.
func (p *Pass) upgradeListeners() []syntax.Node {
	var out []syntax.Node
	for _, m := range []string{"on", "addListener", "prependListener"} {
		for _, c := range p.Program.Calls(m) {
			if c.Unit != p.Unit || len(p.Args(c.Call)) < 2 {
				continue
			}
			if ev, _ := p.StringValue(p.Args(c.Call)[0]); ev == "upgrade" {
				out = append(out, c.Call)
			}
		}
	}
	return out
}

// upgradeListenerNamed reports whether one of the 'upgrade' listener
// registrations upgrades passes a method called name: server.on('upgrade',
// this.name) or this.name.bind(this).
func (p *Pass) upgradeListenerNamed(upgrades []syntax.Node, name string) bool {
	t := p.Tree
	for _, call := range upgrades {
		h := t.Unparen(p.Args(call)[1])
		if t.Kind(h) == "call_expression" && p.CalleeOf(h).Prop == "bind" {
			h = p.CalleeOf(h).Object
		}
		if t.Kind(h) == "member_expression" && t.Text(t.ChildByField(h, "property")) == name {
			return true
		}
	}
	return false
}

// reportKeptHead reports the head of an upgrade kept at left; the fix
// keeps a copy, which lets the socket's read buffer go.
func (p *Pass) reportKeptHead(left, head, fn syntax.Node) {
	t := p.Tree
	name := t.Text(head)
	p.ReportNode(left, fmt.Sprintf(
		"%s keeps %s, the head of an HTTP upgrade received by %s, and nothing clears it: the head is a slice of the socket's read buffer, so the whole buffer stays alive with %s",
		t.Text(left), name, p.callLabel(fn, "the 'upgrade' listener"), holderLabel(t, left)),
		finding.Fix{
			Message: fmt.Sprintf("Keep a copy of %s (Buffer.from), not the slice", name),
			Edits:   []finding.Edit{{Start: t.Start(head), End: t.EndByte(head), NewText: "Buffer.from(" + name + ")"}},
		})
}
