package staticcheck

// Collections that grow through a helper: fill(obj, name, wrap, originals)
// pushes into its parameter, and a caller that runs on every request (or
// every call of a wrapper it installs) hands it a module-level array or a
// field of an object that outlives those runs. LK001's module-level model
// sees such an argument only as "handed off"; this file follows it into the
// helper.
//
// The runs that count are narrower than the repetition LK002 works with
// (where every method repeats): libraries fill such tables from their
// install and instrument methods, which run once in practice. A run counts
// when a listener, interval or route hands it out, or when the function is
// handed out itself (returned: a wrapper installed in place of another
// function runs on every call of that function), directly or through the
// local helpers that call it (see perRun).

import (
	"fmt"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// evictionOps are the methods that remove entries from the collection they
// are called on.
var evictionOps = map[string]bool{"shift": true, "pop": true, "splice": true, "delete": true, "clear": true}

// maxRunDepth bounds how far perRun follows a local helper to its callers.
const maxRunDepth = 3

// paramStore is a call that hands a long-lived collection to a function
// that grows its parameter, from code that runs again and again while the
// collection lives.
type paramStore struct {
	call   syntax.Node
	arg    syntax.Node
	helper string      // the helper's name
	param  string      // the parameter's name
	op     string      // the growth operation, "push"
	at     *Unit       // the unit of the growth site
	site   syntax.Node // the growth site in the helper
	held   string      // what the argument is: `module-level array "originals"`
	owner  string      // what keeps it: "the process", "that object"
	when   string      // when the call runs: "on every request"
}

// growthVerbs render the growth operations of entryMethods in messages.
var growthVerbs = map[string]string{"push": "pushes onto", "unshift": "unshifts onto", "set": "sets entries in", "add": "adds to"}

// paramStores returns the calls of the pass's file that hand a long-lived
// collection to a helper that grows it (see the file comment), with no
// eviction of the collection on the same runs.
func paramStores(pass *Pass) []paramStore {
	t := pass.Tree
	effects := helperEffects{}
	var out []paramStore
	for n := syntax.Node(0); n < syntax.Node(t.Len()); n++ {
		if t.Kind(n) != "call_expression" {
			continue
		}
		args := pass.Args(n)
		callee := t.Unparen(t.ChildByField(n, "function"))
		if len(args) == 0 || t.Kind(callee) != "identifier" {
			continue
		}
		hu, fn := pass.calledFunction(callee)
		if fn == syntax.None {
			continue
		}
		for _, g := range effects.of(hu, fn).grows {
			if g.index >= len(args) {
				continue
			}
			s := paramStore{call: n, arg: args[g.index], helper: t.Text(callee), param: g.param, op: g.op, at: hu, site: g.site}
			owner, held, ok := pass.heldCollection(s.arg)
			if !ok {
				continue
			}
			if s.when = pass.perRun(n, owner, maxRunDepth); s.when == "" || pass.evictedPerRun(s.arg, owner, effects) {
				continue
			}
			s.held, s.owner = held, "the process"
			if owner != syntax.None {
				s.owner = "that object"
			}
			out = append(out, s)
			break
		}
	}
	return out
}

// helperEffects caches paramEffectsOf by function, for the calls of one
// file.
type helperEffects map[helperKey]paramEffects

// helperKey names a function of the program.
type helperKey struct {
	unit *Unit
	fn   syntax.Node
}

// of returns the paramEffects of function fn of unit u.
func (h helperEffects) of(u *Unit, fn syntax.Node) paramEffects {
	k := helperKey{u, fn}
	e, ok := h[k]
	if !ok {
		e = u.paramEffectsOf(fn)
		h[k] = e
	}
	return e
}

// reportParamStore reports s.
func (pass *Pass) reportParamStore(s paramStore) {
	msg := fmt.Sprintf("%s() %s its parameter %q, and this call hands it %s %s: each run adds an entry that nothing removes on those runs, alive as long as %s",
		s.helper, growthVerbs[s.op], s.param, s.held, s.when, s.owner)
	pass.Report(finding.Finding{
		Range:   pass.Tree.Range(s.call),
		Message: msg,
		Related: []finding.Related{s.at.Related(s.site, fmt.Sprintf("%s() grows %q here", s.helper, s.param))},
	})
}

// paramGrowth is a parameter that a function adds entries to.
type paramGrowth struct {
	index int
	param string
	op    string
	site  syntax.Node
}

// paramEffects is what a function does to the collections it is handed.
type paramEffects struct {
	// grows are the parameters it adds entries to in its own body:
	// p.push(x), p.set(k, v), p.add(v), p[type].push(x), for a parameter
	// that is never reassigned. A function that also removes entries
	// (moves an item from one list to another, keeps the newest n) grows
	// nothing.
	grows []paramGrowth
	// evicts holds the positions of the parameters it removes entries
	// from: p.shift(), p[type].splice(…), p.delete(k).
	evicts map[int]bool
}

// paramEffectsOf walks function fn once for its paramEffects.
func (u *Unit) paramEffectsOf(fn syntax.Node) paramEffects {
	t := u.Tree
	var e paramEffects
	seen := map[*scope.Decl]bool{}
	removes := false
	for n := fn + 1; n < t.End(fn); n++ {
		obj, op, ok := methodCall(t, n)
		if !ok || !evictionOps[op] && !entryMethods[op] {
			continue
		}
		removes = removes || evictionOps[op]
		d := u.paramOf(obj)
		if d == nil || hasWrites(d) {
			continue
		}
		i := u.paramIndex(fn, d)
		switch {
		case i < 0:
		case evictionOps[op]:
			if e.evicts == nil {
				e.evicts = map[int]bool{}
			}
			e.evicts[i] = true
		case !seen[d] && u.Scope.EnclosingFunction(n) == fn:
			seen[d] = true
			e.grows = append(e.grows, paramGrowth{index: i, param: d.Name, op: op, site: n})
		}
	}
	if removes {
		e.grows = nil
	}
	return e
}

// paramOf returns the parameter that collection expression e denotes —
// the parameter itself or one of its entries (p[type]) — or nil.
func (u *Unit) paramOf(e syntax.Node) *scope.Decl {
	t := u.Tree
	e = t.Unparen(e)
	if t.Kind(e) == "subscript_expression" {
		e = t.Unparen(t.ChildByField(e, "object"))
	}
	if t.Kind(e) != "identifier" {
		return nil
	}
	if d := u.Scope.Resolve(e); d != nil && d.Kind == scope.Param {
		return d
	}
	return nil
}

// calledFunction returns the function a called identifier names, in this
// file or, through imports, in another checked file: a function
// declaration, or a variable bound once to a function.
func (pass *Pass) calledFunction(callee syntax.Node) (*Unit, syntax.Node) {
	d := pass.Scope.Resolve(callee)
	if d == nil {
		return nil, syntax.None
	}
	u, d := pass.Program.Origin(pass.Unit, d)
	if fn := u.declFunction(d); fn != syntax.None {
		return u, fn
	}
	return nil, syntax.None
}

// heldCollection decides whether argument e is a collection that outlives
// the runs of the code around it: a module-level Map, Set, array or
// object (in this file or imported), or a property of `this` (directly or
// through `const self = this`). owner is the function whose variables
// hold it (None for the module): runs count only inside it.
func (pass *Pass) heldCollection(e syntax.Node) (owner syntax.Node, held string, ok bool) {
	t := pass.Tree
	e = t.Unparen(e)
	switch t.Kind(e) {
	case "identifier":
		d := pass.Scope.Resolve(e)
		if d == nil {
			return syntax.None, "", false
		}
		u, d := pass.Program.Origin(pass.Unit, d)
		if !d.ModuleLived() || d.Init == syntax.None {
			return syntax.None, "", false
		}
		kind, _, ok := collectionInit(u.Scope, d.Init)
		if !ok {
			if !tableInit(u.Scope, d.Init) {
				return syntax.None, "", false
			}
			kind = collObject
		}
		return syntax.None, fmt.Sprintf("module-level %s %q", kind, d.Name), true
	case "member_expression":
		owner = syntax.None
		root := t.Unparen(t.ChildByField(e, "object"))
		if t.Kind(root) == "this" {
			owner = pass.thisOwner(root)
		} else if d := pass.Scope.Resolve(root); t.Kind(root) == "identifier" && d != nil && d.Init != syntax.None &&
			t.Kind(t.Unparen(d.Init)) == "this" && !hasWrites(d) {
			owner = pass.thisOwner(t.Unparen(d.Init))
		}
		if owner == syntax.None {
			return syntax.None, "", false
		}
		if name := pass.functionName(owner); name != "" {
			return owner, fmt.Sprintf("%s, kept on the object %s() runs on,", t.Text(e), name), true
		}
		return owner, fmt.Sprintf("%s, kept on an object that outlives these runs,", t.Text(e)), true
	}
	return syntax.None, "", false
}

// tableInit reports whether init is an object literal of collections,
// one per kind of entry: { network: [], log: [] }.
func tableInit(m *scope.Model, init syntax.Node) bool {
	t := m.Tree
	init = t.Unparen(init)
	if t.Kind(init) != "object" {
		return false
	}
	pairs := 0
	for _, c := range t.NamedChildren(init) {
		switch t.Kind(c) {
		case "comment":
			continue
		case "pair":
			if _, _, ok := collectionInit(m, t.ChildByField(c, "value")); ok {
				pairs++
				continue
			}
		}
		return false
	}
	return pairs > 0
}

// thisOwner returns the function whose `this` the `this` node denotes:
// the nearest enclosing function that is not an arrow function, or None
// at the top level.
func (u *Unit) thisOwner(this syntax.Node) syntax.Node {
	t := u.Tree
	for fn := u.Scope.EnclosingFunction(this); fn != syntax.None; fn = u.Scope.EnclosingFunction(fn) {
		if t.Kind(fn) != "arrow_function" {
			return fn
		}
	}
	return syntax.None
}

// perRun says when node n runs again and again inside owner (None: the
// module) — "on every request", "on every call of the function wrap()
// returns" — or "" when the code does not show such runs. Functions
// between n and owner count when an event, interval or route runs them,
// when they are handed out by a return, or, for a local helper, when one
// of its callers does (depth bounds that).
func (pass *Pass) perRun(n, owner syntax.Node, depth int) string {
	t := pass.Tree
	for fn := pass.Scope.EnclosingFunction(n); fn != syntax.None && fn != owner; fn = pass.Scope.EnclosingFunction(fn) {
		if owner != syntax.None && !t.Contains(owner, fn) {
			return ""
		}
		if immediatelyInvoked(t, fn) || pass.iterationCallback(fn) {
			continue
		}
		if when := pass.returnedRun(fn); when != "" {
			return when
		}
		if call := scope.CallOfArgument(t, fn); call != syntax.None {
			if pass.callbackRepetition(call, fn) == Repeating {
				return pass.describeRepeater(fn)
			}
			continue
		}
		d := functionDecl(pass.Scope, fn)
		if d == nil || d.Export != "" {
			continue // a method, a property: runs as often as whoever calls it
		}
		return pass.helperRun(d, owner, depth)
	}
	return ""
}

// helperRun says when a named function runs again and again inside owner:
// when one of its uses is a call that does (see perRun), a return that
// hands it out, or a callback that an event, interval or route runs.
func (pass *Pass) helperRun(d *scope.Decl, owner syntax.Node, depth int) string {
	if depth == 0 {
		return ""
	}
	t := pass.Tree
	for _, use := range valueUses(Binding{Unit: pass.Unit, Decl: d}) {
		switch call := scope.CallOfCallee(t, use); {
		case call != syntax.None:
			if when := pass.perRun(call, owner, depth-1); when != "" {
				return when
			}
		case returnedValue(t, use):
			return fmt.Sprintf("on every call of %s(), which a return hands out", d.Name)
		default:
			if call := scope.CallOfArgument(t, use); call != syntax.None && pass.callbackRepetition(call, use) == Repeating {
				return pass.describeRepeater(use) // passed to a listener or route by name
			}
		}
	}
	return ""
}

// returnedRun says when function fn runs again and again because the
// function around it hands it out (return function (…) {…}): on every
// call of whatever installs it. "" when fn is not returned.
func (pass *Pass) returnedRun(fn syntax.Node) string {
	t := pass.Tree
	if returnedValue(t, outerExpr(t, fn)) {
		if name := pass.functionName(pass.Scope.EnclosingFunction(fn)); name != "" {
			return fmt.Sprintf("on every call of the function %s() returns", name)
		}
		return "on every call of the returned function it is in"
	}
	return ""
}

// returnedValue reports whether expression e is what a function returns:
// return e, or an arrow function's expression body.
func returnedValue(t *syntax.Tree, e syntax.Node) bool {
	p := t.Parent(e)
	return t.Kind(p) == "return_statement" || t.Kind(p) == "arrow_function" && t.Field(e) == "body"
}

// evictedPerRun reports whether the file removes entries from the
// collection that argument e denotes on runs that repeat inside owner as
// the growth does: a shift/pop/splice/delete/clear on it (or on one of its
// entries), or a call handing it to a local function that does so to its
// parameter. A removal only in a teardown (restore(), uninstall()) does not
// bound the entries added between teardowns.
func (pass *Pass) evictedPerRun(e, owner syntax.Node, effects helperEffects) bool {
	t := pass.Tree
	key, ok := pass.Program.KeyOf(pass.Unit, e)
	if !ok {
		return true // cannot follow it: assume the code evicts
	}
	same := func(x syntax.Node) bool {
		x = t.Unparen(x)
		if t.Kind(x) == "subscript_expression" {
			x = t.ChildByField(x, "object")
		}
		k, ok := pass.Program.KeyOf(pass.Unit, x)
		return ok && k == key
	}
	for n := syntax.Node(0); n < syntax.Node(t.Len()); n++ {
		evicts := false
		if obj, op, ok := methodCall(t, n); ok && evictionOps[op] {
			evicts = same(obj)
		} else if t.Kind(n) == "call_expression" {
			evicts = pass.handsToEvictor(n, same, effects)
		}
		if evicts && pass.perRun(n, owner, maxRunDepth) != "" {
			return true
		}
	}
	return false
}

// handsToEvictor reports whether call passes an argument for which same
// holds to a function of the program that removes entries from that
// parameter.
func (pass *Pass) handsToEvictor(call syntax.Node, same func(syntax.Node) bool, effects helperEffects) bool {
	t := pass.Tree
	callee := t.Unparen(t.ChildByField(call, "function"))
	if t.Kind(callee) != "identifier" {
		return false
	}
	u, fn := pass.calledFunction(callee)
	if fn == syntax.None {
		return false
	}
	evicts := effects.of(u, fn).evicts
	for i, a := range pass.Args(call) {
		if evicts[i] && same(a) {
			return true
		}
	}
	return false
}
