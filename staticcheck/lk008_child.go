package staticcheck

import (
	"fmt"
	"slices"

	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// This file is LK008's "child kept by its parent": a method that makes
// a new object and returns it (a child: db.db(name) returns a new Db)
// adds to this a listener that holds the child. Each call adds one, and
// nothing takes them off: the parent keeps every child it ever made,
// however short-lived the caller meant it to be.

// checkChildListener reports call when it is such a listener.
func (p *Pass) checkChildListener(call syntax.Node) {
	t := p.Tree
	c := p.CalleeOf(call)
	if !addListenerMethods[c.Prop] && !onceListenerMethods[c.Prop] || t.Kind(c.Object) != "this" {
		return
	}
	args := p.Args(call) // after the callee: LK008 asks this of every call
	if len(args) < 2 {
		return
	}
	fn := p.Scope.EnclosingFunction(call)
	if fn == syntax.None || !p.isMethod(fn) {
		return
	}
	child := p.returnedNew(fn)
	if child == nil || child.Declarator > call || !p.mentions(args[1], child) {
		return
	}
	ev, ok := p.StringValue(args[0])
	if !ok || p.removedAnywhere(ev) || p.reportedByListenerLeak(call) {
		return
	}
	cls := t.Text(t.ChildByField(t.Unparen(child.Init), "constructor"))
	name := p.callName(fn)
	p.ReportNode(t.ChildByField(call, "function"), fmt.Sprintf(
		"listener for %q added to this in %s() holds the %s that %s() makes and returns: each call adds another, and none is taken off while this lives, so it keeps every %s it made alive",
		ev, name, cls, name, cls))
}

// isMethod reports whether function fn is a method that runs on an
// instance, other than its constructor: a class method, or a function
// assigned to a property (Db.prototype.db = function …).
func (p *Pass) isMethod(fn syntax.Node) bool {
	t := p.Tree
	switch t.Kind(fn) {
	case "method_definition":
		return t.Text(t.ChildByField(fn, "name")) != "constructor"
	case "function_expression", "function":
		parent := t.Parent(fn)
		return t.Kind(parent) == "assignment_expression" && t.Kind(t.ChildByField(parent, "left")) == "member_expression"
	}
	return false
}

// returnedNew returns the local variable that function fn returns when
// it holds an object fn makes with new (var db = new Db(…); … return
// db), or nil.
func (p *Pass) returnedNew(fn syntax.Node) *scope.Decl {
	t := p.Tree
	for _, v := range p.returnedValues(fn) {
		if t.Kind(v) != "identifier" {
			continue
		}
		d := p.Scope.Resolve(v)
		if d != nil && d.Init != syntax.None && d.Scope.Function().Node == fn && t.Kind(t.Unparen(d.Init)) == "new_expression" && !hasWrites(d) {
			return d
		}
	}
	return nil
}

// inTeardownMethod reports whether n is in the own code of a teardown
// method of a type: a class method or a prototype function
// (Db.prototype.close = function …) named as one (see teardownName).
func (p *Pass) inTeardownMethod(n syntax.Node) bool {
	t := p.Tree
	fn := p.Scope.EnclosingFunction(n)
	switch {
	case fn == syntax.None:
		return false
	case t.Kind(fn) == "method_definition":
	case !p.isMethod(fn):
		return false
	default: // X.prototype.name = function …
		left := t.ChildByField(t.Parent(fn), "left")
		if t.Text(t.ChildByField(t.ChildByField(left, "object"), "property")) != "prototype" {
			return false
		}
	}
	return teardownName.MatchString(p.callName(fn))
}

// returnedValues returns the value of each return statement of function
// fn's own body (not of nested functions), unparenthesized; None for a
// return without one.
func (p *Pass) returnedValues(fn syntax.Node) []syntax.Node {
	t := p.Tree
	var out []syntax.Node
	for n := fn; n < t.End(fn); n++ {
		if t.Kind(n) != "return_statement" || p.Scope.EnclosingFunction(n) != fn {
			continue
		}
		v := syntax.None
		for _, c := range t.NamedChildren(n) {
			if t.Kind(c) != "comment" {
				v = t.Unparen(c)
				break
			}
		}
		out = append(out, v)
	}
	return out
}

// mentions reports whether expression e refers to declaration d: an
// inline function that reads it, a call that is passed it
// (createListener(this, 'error', db)), db.emit.bind(db).
func (p *Pass) mentions(e syntax.Node, d *scope.Decl) bool {
	t := p.Tree
	for n := e; n < t.End(e); n++ {
		if t.Kind(n) == "identifier" && p.Scope.Resolve(n) == d {
			return true
		}
	}
	return false
}

// removedAnywhere reports whether the file takes a listener for event ev
// off any emitter (off, removeListener, removeEventListener, or
// removeAllListeners for ev or for every event) other than in a
// teardown (close(), destroy() …): that runs once, at the end of the
// parent's life, and the children made until then stay.
func (p *Pass) removedAnywhere(ev string) bool {
	t := p.Tree
	for n := syntax.Node(0); n < syntax.Node(t.Len()); n++ {
		if t.Kind(n) != "call_expression" || !slices.Contains(undoMethods[regListener], p.CalleeOf(n).Prop) || p.inTeardownMethod(n) {
			continue
		}
		args := p.Args(n)
		if len(args) == 0 {
			return true
		}
		if s, ok := p.StringValue(args[0]); !ok || s == ev {
			return true
		}
	}
	return false
}
