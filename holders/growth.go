package holders

import (
	"slices"
	"strings"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// Growth sites: the statements of the program that add to a holder — the
// push/set/add or obj[key] = … on a collection, the on()/addListener()
// call that registers a listener, the setInterval() that schedules a
// timer callback. The most likely one becomes the finding's location, the
// holder's declaration and the other sites related locations.

// site is a statement that adds to a holder.
type site struct {
	loc  finding.Location
	text string // the statement for a message: "startedAt.set()", "bus.on()"
}

// The calls that add to a collection, and those that take from it.
var (
	addMethods    = []string{"push", "unshift", "splice", "set", "add"}
	removeMethods = []string{"delete", "pop", "shift", "clear"}
)

// collectionSites returns the statements of unit u that add to the
// collection whose identity is key (see staticcheck.Program.KeyOf): the
// calls of addMethods on it and the assignments obj[key] = … to it. The
// ones whose function takes nothing out of the collection (removeMethods,
// delete obj[key]) and that run repeatedly come first.
func collectionSites(p *staticcheck.Program, u *staticcheck.Unit, key string) []site {
	t := u.Tree
	var adds []syntax.Node
	removers := map[syntax.Node]bool{} // functions that take from the collection
	for _, name := range addMethods {
		for _, c := range p.CallsOn(name, key) {
			if c.Unit == u {
				adds = append(adds, c.Call)
			}
		}
	}
	for _, name := range removeMethods {
		for _, c := range p.CallsOn(name, key) {
			if c.Unit == u {
				removers[u.Scope.EnclosingFunction(c.Call)] = true
			}
		}
	}
	for n := syntax.Node(0); n < syntax.Node(t.Len()); n++ {
		switch t.Kind(n) {
		case "assignment_expression":
			if subscriptOf(p, u, t.ChildByField(n, "left"), key) {
				adds = append(adds, n)
			}
		case "unary_expression":
			if op := t.ChildByField(n, "operator"); op != syntax.None && t.Text(op) == "delete" && subscriptOf(p, u, t.ChildByField(n, "argument"), key) {
				removers[u.Scope.EnclosingFunction(n)] = true
			}
		}
	}
	return sitesOf(u, adds, func(n syntax.Node) bool { return removers[u.Scope.EnclosingFunction(n)] })
}

// sitesOf returns the sites of the calls or assignments nodes of unit u,
// most likely first: those whose function does not also take from the
// holder (unlikely, nil: none does), then those that run repeatedly, then
// in source order.
func sitesOf(u *staticcheck.Unit, nodes []syntax.Node, unlikely func(syntax.Node) bool) []site {
	rank := func(n syntax.Node) int {
		r := 0
		if unlikely != nil && unlikely(n) {
			r += 2
		}
		if !u.RunsRepeatedly(n, nil) {
			r++
		}
		return r
	}
	slices.SortStableFunc(nodes, func(a, b syntax.Node) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return int(a) - int(b)
	})
	out := make([]site, len(nodes))
	for i, n := range nodes {
		out[i] = siteAt(u, n)
	}
	return out
}

// subscriptOf reports whether n is obj[…] with obj of identity key.
func subscriptOf(p *staticcheck.Program, u *staticcheck.Unit, n syntax.Node, key string) bool {
	t := u.Tree
	n = t.Unparen(n)
	if n == syntax.None || t.Kind(n) != "subscript_expression" {
		return false
	}
	k, ok := p.KeyOf(u, t.ChildByField(n, "object"))
	return ok && k == key
}

// siteAt is the site of the call or assignment n: its range, and its text
// up to the arguments or the assigned value.
func siteAt(u *staticcheck.Unit, n syntax.Node) site {
	t := u.Tree
	var text string
	switch t.Kind(n) {
	case "assignment_expression":
		text = t.Text(t.ChildByField(n, "left")) + " = …"
	default:
		text = t.Text(t.ChildByField(n, "function")) + "()"
	}
	text = strings.Join(strings.Fields(text), " ")
	if len(text) > maxSiteText {
		text = text[:maxSiteText] + "…"
	}
	return site{loc: finding.Location{File: u.Path, Range: t.Range(n)}, text: text}
}

// maxSiteText bounds the text of a site in messages.
const maxSiteText = 60

// A registration passes a listener or callback to one of these calls, the
// function at argument index arg, the event (when event is true) first.
type registrar struct {
	names []string
	arg   int
	event bool
	verb  string // what the call does to the function: "registered"
}

var (
	listenerCalls = registrar{names: []string{"on", "addListener", "prependListener", "once", "prependOnceListener", "addEventListener"}, arg: 1, event: true, verb: "registered"}
	timerCalls    = registrar{names: []string{"setInterval", "setTimeout", "setImmediate"}, arg: 0, verb: "scheduled"}
)

// registrations returns the calls of unit u that register the function
// fn (a listener for event, "" for any, or a timer callback): those on the
// emitter first when some are — a receiver named as the variable or
// property the snapshot reached the emitter by, or `this` in a method of
// the emitter's class (emitter: those names) — then those that run
// repeatedly.
func (reg registrar) registrations(p *staticcheck.Program, u *staticcheck.Unit, fn syntax.Node, event string, emitter []string) []site {
	var calls []syntax.Node
	named := map[syntax.Node]bool{} // calls on the emitter
	for _, name := range reg.names {
		for _, c := range p.Calls(name) {
			if c.Unit != u {
				continue
			}
			args := u.Args(c.Call)
			if len(args) <= reg.arg {
				continue
			}
			if reg.event && event != "" {
				if ev, ok := u.StringValue(args[0]); ok && ev != event {
					continue
				}
			}
			if denotes(u, args[reg.arg], fn, 0) {
				calls = append(calls, c.Call)
				named[c.Call] = slices.Contains(emitter, receiverName(u, c.Call))
			}
		}
	}
	if !slices.ContainsFunc(calls, func(c syntax.Node) bool { return named[c] }) {
		return sitesOf(u, calls, nil)
	}
	return sitesOf(u, calls, func(c syntax.Node) bool { return !named[c] })
}

// receiverName returns the name of the receiver of the method call: the
// identifier (bus.on) or the last property (this.server.on), for `this`
// the name of its class (a class method, or a function assigned to
// Db.prototype.db), else "-".
func receiverName(u *staticcheck.Unit, call syntax.Node) string {
	t := u.Tree
	switch obj := u.CalleeOf(call).Object; {
	case obj == syntax.None:
	case t.Kind(obj) == "identifier":
		return t.Text(obj)
	case t.Kind(obj) == "member_expression":
		return t.Text(t.ChildByField(obj, "property"))
	case t.Kind(obj) == "this":
		if cls := u.ThisClass(obj); cls != syntax.None {
			return t.Text(t.ChildByField(cls, "name"))
		}
		return prototypeOf(u, u.Scope.EnclosingFunction(obj))
	}
	return "-"
}

// prototypeOf returns X for a function assigned to X.prototype.name, else
// "-".
func prototypeOf(u *staticcheck.Unit, fn syntax.Node) string {
	t := u.Tree
	p := t.Parent(fn)
	if fn == syntax.None || t.Kind(p) != "assignment_expression" {
		return "-"
	}
	left := t.ChildByField(p, "left")
	if t.Kind(left) != "member_expression" {
		return "-"
	}
	proto := t.ChildByField(left, "object")
	if t.Kind(proto) != "member_expression" || t.Text(t.ChildByField(proto, "property")) != "prototype" {
		return "-"
	}
	return t.Text(t.ChildByField(proto, "object"))
}

// maxDenoteDepth bounds how far denotes follows names and wrappers.
const maxDenoteDepth = 4

// denotes reports whether expression n evaluates to the function fn or to
// a function that calls it: fn itself, a name bound to it, a method
// reference obj.name to the method fn, fn.bind(…), a wrapper call that
// takes it (debounce(fn), once(fn)), a call of the factory that creates it
// (createListener(…), arr.notify('save') for a fn returned by notify), or
// a name bound to any of these.
func denotes(u *staticcheck.Unit, n, fn syntax.Node, depth int) bool {
	t := u.Tree
	n = t.Unparen(n)
	if n == syntax.None || depth > maxDenoteDepth {
		return false
	}
	if n == fn {
		return true
	}
	switch t.Kind(n) {
	case "identifier":
		if u.ResolveFunction(n) == fn {
			return true
		}
		if d := u.Scope.Resolve(n); d != nil && d.Init != syntax.None {
			return denotes(u, d.Init, fn, depth+1)
		}
	case "member_expression":
		prop := t.ChildByField(n, "property")
		return prop != syntax.None && t.Text(prop) == functionName(t, fn)
	case "call_expression":
		c := u.CalleeOf(n)
		if c.Prop == "bind" {
			return denotes(u, c.Object, fn, depth+1)
		}
		if calls(u, n, u.Scope.EnclosingFunction(fn)) {
			return true
		}
		for _, a := range u.Args(n) {
			if denotes(u, a, fn, depth+1) {
				return true
			}
		}
	}
	return false
}

// calls reports whether call calls the function f: a name bound to it, or
// a method of its name.
func calls(u *staticcheck.Unit, call, f syntax.Node) bool {
	if f == syntax.None {
		return false
	}
	t := u.Tree
	callee := t.Unparen(t.ChildByField(call, "function"))
	switch t.Kind(callee) {
	case "identifier":
		return u.ResolveFunction(callee) == f
	case "member_expression":
		name := functionName(t, f)
		return name != "" && t.Text(t.ChildByField(callee, "property")) == name
	}
	return false
}

// functionName returns the name a function is reached by as a property:
// a method's name, or the property or variable it is assigned to; "" for
// others.
func functionName(t *syntax.Tree, fn syntax.Node) string {
	if t.Kind(fn) == "method_definition" {
		return propertyName(t, t.ChildByField(fn, "name"))
	}
	switch p := t.Parent(fn); t.Kind(p) {
	case "assignment_expression":
		if left := t.ChildByField(p, "left"); t.Kind(left) == "member_expression" {
			return t.Text(t.ChildByField(left, "property"))
		}
	case "pair", "public_field_definition", "field_definition":
		if key := t.FieldName(p); key != syntax.None {
			return propertyName(t, key)
		}
	}
	return ""
}

// maxListenerCount bounds the elements of a listener array mostAdded
// looks at.
const maxListenerCount = 1 << 16

// mostAdded returns, for a listener array (the leaked or growing object at
// the end of path, listed under an emitter's _events), path extended to
// the element whose function was added the most times — a listener added
// on every request, not the library's own first listener — and that
// function's closure, through a bound function's target or a once()
// wrapper's listener; false when path does not end at such an array.
func (j *joiner) mostAdded(path []analysis.Hop) ([]analysis.Hop, bool) {
	leaf := len(path) - 1
	if leaf < 1 || path[leaf-1].Edge != "_events" {
		return nil, false
	}
	s := j.s
	array := path[leaf].Node
	if s.NodeType(array) != analysis.NodeObject {
		return nil, false
	}
	type group struct {
		count int
		chain []step // the last element's way to its closure
	}
	groups := map[analysis.Hop]*group{}
	best := (*group)(nil)
	first, end := s.EdgeRange(array)
	for e := first; e < end && e-first < maxListenerCount; e++ {
		if s.EdgeType(e) != analysis.EdgeElement {
			continue
		}
		steps := j.listenerOf(e)
		if steps == nil {
			continue
		}
		h := analysis.NodeHop(s, j.src, steps[len(steps)-1].node)
		id := analysis.Hop{File: h.File, Line: h.Line, Column: h.Column}
		g := groups[id]
		if g == nil {
			g = &group{}
			groups[id] = g
		}
		g.count++
		g.chain = steps
		if best == nil || g.count >= best.count {
			best = g
		}
	}
	if best == nil {
		return nil, false
	}
	chain := append([]analysis.Hop(nil), path...)
	for _, st := range best.chain {
		h := analysis.NodeHop(s, j.src, st.node)
		h.Edge, h.EdgeType = s.EdgeName(st.via), s.EdgeType(st.via).String()
		chain = append(chain, h)
	}
	return chain, true
}

// listenerOf returns the steps from an element edge of a listener array to
// the closure of the program's code it stands for: the element itself, a
// once() wrapper's listener or a bound function's target; nil when there
// is none.
func (j *joiner) listenerOf(e int) []step {
	s := j.s
	el := step{node: s.EdgeTo(e), via: e}
	if j.ownClosure(el.node) {
		return []step{el}
	}
	from, to := s.EdgeRange(el.node)
	for _, name := range []string{"listener", "bound_function"} {
		for k := from; k < to; k++ {
			if s.EdgeName(k) == name && j.ownClosure(s.EdgeTo(k)) {
				return []step{el, {node: s.EdgeTo(k), via: k}}
			}
		}
	}
	return nil
}

// ownClosure reports whether node is a closure of the program's code.
func (j *joiner) ownClosure(node int) bool {
	if j.s.NodeType(node) != analysis.NodeClosure {
		return false
	}
	pl, ok := j.Hop(analysis.NodeHop(j.s, j.src, node))
	return ok && owned(pl)
}
