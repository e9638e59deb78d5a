package staticcheck

import (
	"fmt"
	"regexp"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// LK007 reports module-level Maps and Sets that collect per-call objects
// (requests, sockets, contexts, new instances) and never let them go, when
// a WeakMap or WeakSet can take their place.
var LK007 = &Rule{Rule: rules.Must("LK007"), Run: runLK007}

func runLK007(pass *Pass) {
	for _, c := range moduleCollections(pass) {
		if !c.weakCandidate() {
			continue
		}
		t := pass.Tree
		g := c.firstPerCallGrowth()
		at := c.ident
		if g.unit == pass.Unit {
			at = g.node
		}
		weak := "Weak" + c.kind.String()
		verb := "is keyed by"
		if c.kind == collSet {
			verb = "holds"
		}
		msg := fmt.Sprintf("%s %q %s per-call objects (%s) and nothing removes them: each stays alive as long as the process; a %s lets them go",
			c.kind, c.name, verb, g.unit.Tree.Text(g.key), weak)
		f := finding.Finding{
			Range:   t.Range(at),
			Message: msg,
			Related: []finding.Related{pass.Related(c.ident, "declared here")},
			Fixes:   []finding.Fix{{Message: "Use a " + weak, Edits: weakEdits(pass, c)}},
		}
		pass.Report(f)
	}
}

// weakCandidate reports whether the collection should be a WeakMap or
// WeakSet: a Map or Set that grows per call, only with per-call objects,
// is never emptied or handed off, and is used only in ways a weak
// collection supports.
func (c *collection) weakCandidate() bool {
	if (c.kind != collMap && c.kind != collSet) || c.seeded || c.bounded || len(c.deletes) > 0 || c.weakUnsafe {
		return false
	}
	if c.firstPerCallGrowth() == nil || primitiveKeyType(c.unit.Tree, c.declarator, c.init) {
		return false
	}
	for _, g := range c.growth {
		if g.key == syntax.None || !perCallObject(c.prog, g.unit, g.key) {
			return false
		}
	}
	return true
}

// perCallNames are parameter and variable names that, by Node convention,
// hold a per-call object: a request, response, socket, stream or context.
var perCallNames = map[string]bool{
	"req": true, "request": true, "res": true, "response": true, "socket": true, "sock": true,
	"conn": true, "connection": true, "client": true, "ws": true, "websocket": true, "stream": true,
	"ctx": true, "context": true, "peer": true, "duplex": true, "incoming": true, "outgoing": true,
}

// outsideObjectName matches the names programs give objects handed in
// from outside that are not per-call values but objects all the same: a
// DOM element, an instance, an emitter, an options object (el,
// rootElement, clientSocket, widgetInstance, options …).
var outsideObjectName = regexp.MustCompile(`^(el|elem|element|node|target|component|instance|widget|view|emitter|worker|options|opts)$|[a-z](Element|Node|Socket|Request|Response|Connection|Instance|Component|Emitter|Options)$`)

// perCallProps are properties of per-call objects that are themselves
// per-call objects (req.socket, res.connection).
var perCallProps = map[string]bool{
	"socket": true, "connection": true, "stream": true, "req": true, "request": true,
	"res": true, "response": true, "client": true,
}

// perCallObject reports whether expression key is an object created or
// received anew on each call: `this` in a method or constructor, a new
// object or literal made in the call, a parameter named or typed like a
// request/socket/context, or a per-call property of one (req.socket).
func perCallObject(prog *Program, u *Unit, key syntax.Node) bool {
	return perCallObjectDepth(prog, u, key, 0)
}

// perCallObjectDepth is perCallObject, depth steps into it (through
// variables and the calls of a function).
func perCallObjectDepth(prog *Program, u *Unit, key syntax.Node, depth int) bool {
	m := u.Scope
	t := m.Tree
	for ; depth < maxConstDepth; depth++ {
		key = t.Unparen(key)
		switch t.Kind(key) {
		case "this":
			return u.thisOwner(key) != syntax.None
		case "new_expression", "object", "array", "arrow_function", "function_expression", "class":
			return runsPerCall(prog, u, key)
		case "member_expression":
			if !perCallProps[t.Text(t.ChildByField(key, "property"))] {
				return false
			}
			key = t.ChildByField(key, "object")
		case "identifier":
			d := m.Resolve(key)
			if d == nil || d.ModuleLived() {
				return false
			}
			if perCallNames[d.Name] || outsideObjectName.MatchString(d.Name) {
				return true
			}
			switch d.Kind {
			case scope.Param:
				return objectTyped(t, d.Declarator) || passedPerCallObjects(prog, u, d, depth)
			case scope.Const, scope.Let, scope.Var:
				if d.Init == syntax.None {
					return false
				}
				key = d.Init
			default:
				return false
			}
		default:
			return false
		}
	}
	return false
}

// passedPerCallObjects reports whether parameter d belongs to a named
// function of the file whose every call, and there is one, passes a
// per-call object in its place (register(new Widget()), track(this)).
func passedPerCallObjects(prog *Program, u *Unit, d *scope.Decl, depth int) bool {
	t := u.Tree
	fn := d.Scope.Function().Node
	name := t.ChildByField(fn, "name")
	if parent := t.Parent(fn); name == syntax.None && t.Kind(parent) == "variable_declarator" {
		name = t.ChildByField(parent, "name")
	}
	f := u.Scope.DeclAt(name)
	i := u.paramIndex(fn, d)
	if f == nil || i < 0 || f.Export != "" || len(f.Refs) == 0 {
		return false
	}
	for _, r := range f.Refs {
		call := t.Parent(r.Ident)
		if t.Kind(call) != "call_expression" || t.ChildByField(call, "function") != r.Ident {
			return false // passed around: unknown callers
		}
		args := u.Args(call)
		if i >= len(args) || !perCallObjectDepth(prog, u, args[i], depth+1) {
			return false
		}
	}
	return true
}

// objectTyped reports whether a TypeScript parameter is annotated with an
// object type (a named or generic type, an object type literal, `object`).
func objectTyped(t *syntax.Tree, param syntax.Node) bool {
	ann := t.ChildByField(param, "type")
	if ann == syntax.None {
		return false
	}
	for _, ty := range t.NamedChildren(ann) {
		switch t.Kind(ty) {
		case "type_identifier", "generic_type", "nested_type_identifier", "object_type":
			return true
		case "predefined_type":
			return t.Text(ty) == "object"
		}
	}
	return false
}

// primitiveKeyType reports a TypeScript key type that a weak collection
// cannot hold: `Map<string, …>` on the declarator or the initializer.
func primitiveKeyType(t *syntax.Tree, declarator, init syntax.Node) bool {
	var args []syntax.Node
	if ann := t.ChildByField(declarator, "type"); ann != syntax.None {
		for _, ty := range t.NamedChildren(ann) {
			if t.Kind(ty) == "generic_type" {
				args = append(args, t.ChildByField(ty, "type_arguments"))
			}
		}
	}
	if init := t.Unparen(init); t.Kind(init) == "new_expression" {
		args = append(args, t.ChildByField(init, "type_arguments"))
	}
	for _, a := range args {
		if a == syntax.None {
			continue
		}
		tys := t.NamedChildren(a)
		if len(tys) > 0 && primitiveType(t, tys[0]) {
			return true
		}
	}
	return false
}

// primitiveType reports whether type node ty admits primitive values.
func primitiveType(t *syntax.Tree, ty syntax.Node) bool {
	switch t.Kind(ty) {
	case "predefined_type":
		switch t.Text(ty) {
		case "string", "number", "boolean", "symbol", "bigint":
			return true
		}
	case "literal_type", "template_literal_type":
		return true
	case "union_type", "parenthesized_type":
		for _, c := range t.NamedChildren(ty) {
			if primitiveType(t, c) {
				return true
			}
		}
	}
	return false
}

// weakEdits returns the edits that turn the collection's declaration into
// a WeakMap/WeakSet: the constructor and a Map<…>/Set<…> annotation.
func weakEdits(pass *Pass, c *collection) []finding.Edit {
	t := pass.Tree
	var edits []finding.Edit
	if ann := t.ChildByField(c.declarator, "type"); ann != syntax.None {
		for _, ty := range t.NamedChildren(ann) {
			if name := t.ChildByField(ty, "name"); t.Kind(ty) == "generic_type" && t.Text(name) == c.kind.String() {
				edits = append(edits, finding.Edit{Start: t.Start(name), End: t.EndByte(name), NewText: "Weak" + c.kind.String()})
			}
		}
	}
	ctor := t.ChildByField(t.Unparen(c.init), "constructor")
	return append(edits, finding.Edit{Start: t.Start(ctor), End: t.EndByte(ctor), NewText: "Weak" + c.kind.String()})
}
