package staticcheck

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/leakls/leakls/staticcheck/syntax"
)

// This file is LK008's "undone in part": a class's method that adds an
// item (registerService) puts it in two collections of the instance
// (this.services.add(svc), this.localNode.services.push(svc)), and the
// method that removes it (unregisterService) takes it out of one only.
// Nothing in the class ever shrinks the other: each item added and
// removed again stays there for the life of the instance.

// addName and removeName are the verbs of methods that add an item and
// of those that take it out again, followed by the rest of the name.
var (
	addName    = regexp.MustCompile(`^_*(register|add|subscribe|attach|track|watch|install|mount)([A-Z_$]|$)`)
	removeName = regexp.MustCompile(`^_*(unregister|deregister|remove|delete|unsubscribe|detach|untrack|unwatch|uninstall|unmount)([A-Z_$]|$)`)
)

// shrinkMethods take items out of a collection (entryMethods put them in).
var shrinkMethods = map[string]bool{"remove": true, "delete": true, "splice": true, "pop": true, "shift": true, "clear": true}

// fieldCall is a call of a method on a collection held in this: its
// path below this (services, localNode.services) and the method.
type fieldCall struct {
	call   syntax.Node
	path   string
	method string
}

// checkPartialUndo reports, for class cls, the collections an adding
// method grows that no code of the class shrinks, when a removing method
// takes the same items out of another collection that the adding method
// also grows.
func (p *Pass) checkPartialUndo(cls syntax.Node) {
	t := p.Tree
	body := t.ChildByField(cls, "body")
	if body == syntax.None {
		return
	}
	var adders, removers []syntax.Node
	for _, m := range t.NamedChildren(body) {
		if t.Kind(m) != "method_definition" {
			continue
		}
		switch name := t.Text(t.ChildByField(m, "name")); {
		case removeName.MatchString(name):
			removers = append(removers, m)
		case addName.MatchString(name):
			adders = append(adders, m)
		}
	}
	if len(adders) == 0 || len(removers) == 0 {
		return
	}
	shrunk := map[string]syntax.Node{} // path → the removing method that shrinks it
	for _, r := range removers {
		for _, c := range p.fieldCalls(r) {
			if shrinkMethods[c.method] {
				shrunk[c.path] = r
			}
		}
	}
	for _, a := range adders {
		p.checkAdder(cls, a, shrunk)
	}
}

// checkAdder reports the collections adding method a grows that nothing
// in class cls shrinks, when a removing method shrinks another
// collection a grows (shrunk maps those paths to that method).
func (p *Pass) checkAdder(cls, a syntax.Node, shrunk map[string]syntax.Node) {
	t := p.Tree
	grown := p.fieldCalls(a)
	var undoneBy syntax.Node = syntax.None
	var undone string
	for _, c := range grown {
		if r, ok := shrunk[c.path]; ok && entryMethods[c.method] {
			undoneBy, undone = r, c.path
			break
		}
	}
	if undoneBy == syntax.None {
		return
	}
	for _, c := range grown {
		if !entryMethods[c.method] || c.path == undone || p.shrinksAnywhere(cls, c.path) {
			continue
		}
		name, remover := t.Text(t.ChildByField(a, "name")), t.Text(t.ChildByField(undoneBy, "name"))
		p.ReportNode(t.ChildByField(c.call, "function"), fmt.Sprintf(
			"%s() puts the item in this.%s and in this.%s; %s() takes it out of this.%s but nothing takes it out of this.%s: each item added and removed again stays there as long as the %s lives",
			name, undone, c.path, remover, undone, c.path, className(t, cls)))
	}
}

// fieldCalls returns the method calls in the own code of function fn (not
// of nested functions) on collections held in this.
func (p *Pass) fieldCalls(fn syntax.Node) []fieldCall {
	t := p.Tree
	var out []fieldCall
	for n := fn; n < t.End(fn); n++ {
		if t.Kind(n) != "call_expression" || p.Scope.EnclosingFunction(n) != fn {
			continue
		}
		c := p.CalleeOf(n)
		if c.Object == syntax.None || c.Prop == "" {
			continue
		}
		if root, path, ok := memberPath(t, c.Object); ok && len(path) > 0 && t.Kind(root) == "this" {
			out = append(out, fieldCall{call: n, path: strings.Join(path, "."), method: c.Prop})
		}
	}
	return out
}

// shrinksAnywhere reports whether class cls takes anything out of the
// collection at path below this, or replaces or empties it outside its
// constructor: a shrinking call, an assignment (this.path = [],
// this.path.length = 0), or a filter.
func (p *Pass) shrinksAnywhere(cls syntax.Node, path string) bool {
	t := p.Tree
	for n := cls; n < t.End(cls); n++ {
		var target syntax.Node
		switch t.Kind(n) {
		case "call_expression":
			if c := p.CalleeOf(n); shrinkMethods[c.Prop] || c.Prop == "filter" {
				target = c.Object
			}
		case "assignment_expression":
			if fn := p.Scope.EnclosingFunction(n); t.Kind(fn) == "method_definition" && t.Text(t.ChildByField(fn, "name")) == "constructor" {
				continue // the initial value
			}
			target = t.ChildByField(n, "left")
			if t.Kind(target) == "member_expression" && t.Text(t.ChildByField(target, "property")) == "length" {
				target = t.ChildByField(target, "object")
			}
		}
		if target == syntax.None {
			continue
		}
		if root, pth, ok := memberPath(t, target); ok && t.Kind(root) == "this" && strings.Join(pth, ".") == path {
			return true
		}
	}
	return false
}
