package staticcheck

// The collection model shared by LK001 (unbounded-collection) and LK007
// (object-keyed-map): which module-level collections a file declares, where
// the program grows them, and whether anything bounds, empties or hands
// them off.

import (
	"slices"

	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// collKind is the shape of a tracked collection.
type collKind uint8

const (
	collMap collKind = iota
	collSet
	collArray
	collObject
)

// String returns the name used in messages.
func (k collKind) String() string {
	return [...]string{"Map", "Set", "array", "object"}[k]
}

// growth is one place where a collection gains an entry.
type growth struct {
	unit *Unit
	// node is the call (m.set(k, v), a.push(x)) or assignment (o[k] = v).
	node syntax.Node
	// op names the operation in messages: "set", "add", "push", "[key] =".
	op string
	// recv is the expression denoting the collection at the site
	// ("cache", "this.items").
	recv syntax.Node
	// key is the key (set), the value (Set add) or the index (o[k] = v);
	// syntax.None for push and unshift.
	key syntax.Node
	// perCall reports growth that runs on every call of a function, not
	// once at module load (top-level code and module-level IIFEs).
	perCall bool
	// constKey reports a literal key: re-setting it never adds entries.
	constKey bool
}

// collection is a module-level Map, Set, array or plain object — a
// variable, a static field of a module-level class, or an instance field
// of a class whose instances are all created while the program loads — and
// what the program does with it.
type collection struct {
	prog *Program
	unit *Unit
	// name names the collection in messages: "cache", "Store.items".
	name string
	// ident is the declaring identifier or field name.
	ident syntax.Node
	// declarator is the variable_declarator, the field definition, or the
	// constructor's `this.x = …` assignment.
	declarator syntax.Node
	// init is the initializer (new Map(), [], {} …).
	init syntax.Node
	// field reports a class field: the fix constants go before the class.
	field bool
	kind  collKind
	// seeded reports constructor arguments (new Map(entries)).
	seeded bool
	growth []growth
	// bounded reports anything that removes entries, resets the
	// variable, checks its size, or hands the collection to code that
	// might do so.
	bounded bool
	// deletes are the deletes of single entries (m.delete(k), delete
	// o[k]); they bound the collection when one of them runs on every way
	// out of the call that adds (see Pass.removedOnEveryPath).
	deletes []CallSite
	// weakUnsafe reports a use a WeakMap/WeakSet does not support:
	// iteration, size, clear, copying, or any method but get/set/has/
	// add/delete.
	weakUnsafe bool
}

// moduleCollections returns the collections declared at the top level of
// pass's file — variables, class fields, CommonJS export properties — with
// their uses across the program.
func moduleCollections(pass *Pass) []*collection {
	m := pass.Scope
	t := pass.Tree
	var out []*collection
	var roots []syntax.Node // cjsRoots, found when an export chain needs them
	cjs := func() []syntax.Node {
		if roots == nil {
			roots = cjsRoots(m)
		}
		return roots
	}
	for _, d := range m.Module.Decls {
		if d.Kind != scope.Var && d.Kind != scope.Let && d.Kind != scope.Const {
			continue
		}
		if d.Init == syntax.None || t.Kind(d.Declarator) != "variable_declarator" {
			continue
		}
		// const cache = (exports.cache = new Map()): the variable and the
		// export are one collection.
		type export struct {
			left syntax.Node
			name string
		}
		init, exported := d.Init, []export(nil)
		for v := t.Unparen(init); t.Kind(v) == "assignment_expression"; v = t.Unparen(init) {
			left := t.ChildByField(v, "left")
			name, ok := cjsExportName(t, cjs(), left)
			if !ok {
				init = syntax.None // handed to another place too: its uses are unknown
				break
			}
			exported, init = append(exported, export{left, name}), t.ChildByField(v, "right")
		}
		if init == syntax.None {
			continue
		}
		kind, seeded, ok := collectionInit(m, init)
		if !ok {
			continue
		}
		c := &collection{prog: pass.Program, unit: pass.Unit, name: d.Name, ident: d.Ident,
			declarator: d.Declarator, init: init, kind: kind, seeded: seeded}
		for _, b := range pass.Program.Aliases(pass.Unit, d) {
			c.addUses(b)
		}
		for _, e := range exported {
			c.addExportUses(pass, e.name, e.left, cjs())
		}
		out = append(out, c)
	}
	for _, d := range m.Module.Decls {
		if d.Kind == scope.Class && t.Kind(d.Declarator) == "class_declaration" {
			out = append(out, classCollections(pass, d)...)
		}
	}
	return append(out, exportCollections(pass)...)
}

// collectionInit recognizes the initializers of tracked collections:
// new Map(…), new Set(…), array literals, new Array(), {} and
// Object.create(null).
func collectionInit(m *scope.Model, init syntax.Node) (kind collKind, seeded, ok bool) {
	t := m.Tree
	init = t.Unparen(init)
	switch t.Kind(init) {
	case "new_expression", "call_expression":
		fn := t.ChildByField(init, "constructor")
		if fn == syntax.None {
			fn = t.ChildByField(init, "function")
		}
		args := callArgs(t, init)
		if t.Kind(fn) == "identifier" && m.Resolve(fn) == nil {
			switch t.Text(fn) {
			case "Map":
				return collMap, len(args) > 0, t.Kind(init) == "new_expression"
			case "Set":
				return collSet, len(args) > 0, t.Kind(init) == "new_expression"
			case "Array":
				return collArray, len(args) > 0, len(args) == 0
			}
		}
		if obj, name, isMethod := methodCall(t, init); isMethod && name == "create" && t.Kind(obj) == "identifier" &&
			t.Text(obj) == "Object" && m.Resolve(obj) == nil && len(args) == 1 && t.Kind(t.Unparen(args[0])) == "null" {
			return collObject, false, true
		}
	case "array":
		return collArray, false, true
	case "object":
		for _, c := range t.NamedChildren(init) {
			if t.Kind(c) != "comment" {
				return 0, false, false
			}
		}
		return collObject, false, true
	}
	return 0, false, false
}

// addUses classifies every use of the collection through binding b.
func (c *collection) addUses(b Binding) {
	for _, r := range b.Decl.Refs {
		occ, ok := memberOccurrence(b, r)
		if !ok {
			continue // another export of the same module
		}
		if b.Member == "" && r.Write {
			// Reassigned: a reset (or an unknown value) — unless it is set
			// to false, which switches the collection off (an opt-out),
			// leaving what it holds and its growth while on.
			if !assignedFalse(b.Unit.Tree, r.Ident) {
				c.bounded = true
			}
			continue
		}
		if isExportUse(b.Unit, b.Decl, occ) {
			continue
		}
		c.classify(b.Unit, occ)
	}
}

// assignedFalse reports whether the identifier id is the target of
// `id = false`.
func assignedFalse(t *syntax.Tree, id syntax.Node) bool {
	asg := t.Parent(id)
	return t.Kind(asg) == "assignment_expression" && t.ChildByField(asg, "left") == id &&
		t.Kind(t.Unparen(t.ChildByField(asg, "right"))) == "false"
}

// isExportUse reports whether occurrence n of d only exports it
// (export { d }, module.exports = { d }): the importers' uses are
// classified through Program.Aliases instead.
func isExportUse(u *Unit, d *scope.Decl, n syntax.Node) bool {
	t := u.Tree
	switch t.Kind(t.Parent(n)) {
	case "export_specifier", "export_statement":
		return true
	}
	for _, e := range u.Scope.Exports {
		// `export class C {…}` exports the declaration itself: uses of C
		// inside it are real uses.
		if e.Local == d && e.Value != syntax.None && t.Field(e.Value) != "declaration" && t.Contains(e.Value, n) {
			return true
		}
	}
	return false
}

// classify records what occurrence occ (an expression denoting the
// collection) does to it.
func (c *collection) classify(u *Unit, occ syntax.Node) {
	m := u.Scope
	t := m.Tree
	outer := outerExpr(t, occ)
	p := t.Parent(outer)
	switch t.Kind(p) {
	case "member_expression":
		if t.Field(outer) != "object" {
			c.escape()
			return
		}
		c.member(u, p)
	case "subscript_expression":
		if t.Field(outer) != "object" {
			c.weakUnsafe = true // used as a key or index: a read
			return
		}
		c.subscript(u, p)
	case "binary_expression":
		switch t.Text(t.ChildByField(p, "operator")) {
		case "||", "&&", "??":
			// cache && cache[k], if (cache || other): a truthiness test (an
			// object on the left of && never is the result); else the
			// value flows on: cache || fallback.
			if !(t.Text(t.ChildByField(p, "operator")) == "&&" && t.Field(outer) == "left") && !testedOnly(t, p) {
				c.escape()
			}
		default:
			c.weakUnsafe = true // a comparison or arithmetic: a read
		}
	case "for_in_statement", "spread_element", "template_substitution",
		"unary_expression", "await_expression", "expression_statement":
		c.weakUnsafe = true // a read: iteration, copy, typeof …
	case "if_statement", "while_statement", "do_statement":
		// A truthiness test.
	case "ternary_expression":
		if t.Field(outer) != "condition" {
			c.escape()
		}
	case "arguments":
		call := t.Parent(p)
		if readerCall(m, call) {
			c.weakUnsafe = true
			return
		}
		c.escape()
	default:
		c.escape()
	}
}

// testedOnly reports whether the value of expression n is only tested for
// truthiness: it is, through logical operators and parentheses, the
// condition of an if, a loop or a ternary, or the operand of !.
func testedOnly(t *syntax.Tree, n syntax.Node) bool {
	for {
		p := t.Parent(n)
		switch t.Kind(p) {
		case "parenthesized_expression":
		case "binary_expression":
			switch t.Text(t.ChildByField(p, "operator")) {
			case "||", "&&", "??":
			default:
				return false
			}
		case "unary_expression":
			return t.Text(t.ChildByField(p, "operator")) == "!"
		case "if_statement", "while_statement", "do_statement":
			return t.Field(n) == "condition"
		case "ternary_expression":
			return t.Field(n) == "condition"
		default:
			return false
		}
		n = p
	}
}

// escape records that the collection flows somewhere leakls does not follow
// (a variable, a call, a return value): that code may evict it.
func (c *collection) escape() {
	c.bounded = true
	c.weakUnsafe = true
}

// member classifies coll.prop and coll.method(…), given the member
// expression.
func (c *collection) member(u *Unit, mem syntax.Node) {
	m := u.Scope
	t := m.Tree
	prop := t.Text(t.ChildByField(mem, "property"))
	outer := outerExpr(t, mem)
	p := t.Parent(outer)
	if scope.CallOfCallee(t, outer) != syntax.None {
		args := callArgs(t, p)
		switch prop {
		case "set", "add":
			if (prop == "set" && c.kind != collMap) || (prop == "add" && c.kind != collSet) {
				c.weakUnsafe = true
				return
			}
			key := syntax.None
			if len(args) > 0 {
				key = args[0]
			}
			c.grow(u, p, t.ChildByField(mem, "object"), prop, key)
		case "push", "unshift":
			c.weakUnsafe = true
			if c.kind == collArray {
				c.grow(u, p, t.ChildByField(mem, "object"), prop, syntax.None)
			}
		case "delete":
			c.deletes = append(c.deletes, CallSite{Unit: u, Call: p})
		case "clear", "splice", "shift", "pop":
			c.bounded = true
			c.weakUnsafe = true
		case "get", "has":
		default:
			c.weakUnsafe = true
		}
		return
	}
	c.weakUnsafe = true
	switch {
	case t.Kind(p) == "unary_expression" && t.Text(t.ChildByField(p, "operator")) == "delete":
		c.bounded = true // delete o.key
	case (t.Kind(p) == "assignment_expression" || t.Kind(p) == "augmented_assignment_expression") && t.Field(outer) == "left",
		t.Kind(p) == "update_expression":
		if prop == "length" {
			c.bounded = true // a.length = 0, a.length--
		}
	case prop == "size" || prop == "length":
		if t.Kind(p) == "binary_expression" && sizeCheck(m, p, outer) {
			c.bounded = true
		}
	}
}

// sizeCheck reports whether binary expression bin compares the size
// operand with something other than the literal 0: a bound, not an
// emptiness test.
func sizeCheck(m *scope.Model, bin, operand syntax.Node) bool {
	t := m.Tree
	switch t.Text(t.ChildByField(bin, "operator")) {
	case "<", "<=", ">", ">=", "==", "===", "!=", "!==":
	default:
		return false
	}
	other := t.ChildByField(bin, "right")
	if other == operand {
		other = t.ChildByField(bin, "left")
	}
	v, ok := constNumber(m, other)
	return !ok || v != 0
}

// subscript classifies coll[key] uses, given the subscript expression.
func (c *collection) subscript(u *Unit, sub syntax.Node) {
	t := u.Tree
	c.weakUnsafe = true
	outer := outerExpr(t, sub)
	p := t.Parent(outer)
	switch t.Kind(p) {
	case "unary_expression":
		if t.Text(t.ChildByField(p, "operator")) == "delete" {
			c.deletes = append(c.deletes, CallSite{Unit: u, Call: p})
		}
	case "assignment_expression", "augmented_assignment_expression":
		if t.Field(outer) == "left" {
			c.subscriptWrite(u, p, sub)
		}
	case "update_expression":
		c.subscriptWrite(u, p, sub)
	}
}

// subscriptWrite records o[key] = v (a new property of an object) and
// a[a.length] = v (an append to an array), given the write and the
// subscript expression, as growth.
func (c *collection) subscriptWrite(u *Unit, write, sub syntax.Node) {
	t := u.Tree
	recv, index := t.ChildByField(sub, "object"), t.ChildByField(sub, "index")
	switch c.kind {
	case collObject:
		c.grow(u, write, recv, "[key] =", index)
	case collArray:
		if i := t.Unparen(index); t.Kind(i) == "member_expression" && t.Text(t.ChildByField(i, "property")) == "length" {
			c.grow(u, write, recv, "[length] =", syntax.None)
		}
	}
}

// grow records a growth site.
func (c *collection) grow(u *Unit, n, recv syntax.Node, op string, key syntax.Node) {
	g := growth{unit: u, node: n, recv: recv, op: op, key: key, perCall: runsPerCall(c.prog, u, n)}
	g.constKey = key != syntax.None && (isLiteral(u.Scope, key) || constantArgument(c.prog, u, key))
	c.growth = append(c.growth, g)
}

// constantArgument reports whether key is a parameter of the function
// around it that every call of that name in the program fills with a
// constant — consoleAlertOnce('… is deprecated') from each deprecated
// method — so the keys are a fixed set. The function must be called at
// least once, keep its parameter unassigned, and, when it is declared in
// the file, be used only by calling or exporting it. Calls through another
// name (a callback, an alias) are not seen.
func constantArgument(prog *Program, u *Unit, key syntax.Node) bool {
	t := u.Tree
	key = t.Unparen(key)
	if t.Kind(key) != "identifier" {
		return false
	}
	d := u.Scope.Resolve(key)
	if d == nil || d.Kind != scope.Param || slices.ContainsFunc(d.Refs, func(r *scope.Ref) bool { return r.Write }) {
		return false
	}
	fn := d.Scope.Function().Node
	index := u.paramIndex(fn, d)
	name := calledName(u, fn)
	if index < 0 || name == "" {
		return false
	}
	calls := prog.Calls(name)
	for _, cs := range calls {
		args := cs.Unit.Args(cs.Call)
		if index >= len(args) || !isLiteral(cs.Unit.Scope, args[index]) {
			return false
		}
	}
	return len(calls) > 0
}

// calledName returns the name calls use for function fn: its declared name
// when every use of it in the file calls or exports it, or the property it
// is assigned to (module.exports.alertOnce = function …); "" otherwise.
func calledName(u *Unit, fn syntax.Node) string {
	t := u.Tree
	if d := functionDecl(u.Scope, fn); d != nil {
		for _, outer := range valueUses(Binding{Unit: u, Decl: d}) {
			if scope.CallOfCallee(t, outer) == syntax.None {
				return ""
			}
		}
		return d.Name
	}
	outer := outerExpr(t, fn)
	if p := t.Parent(outer); t.Kind(p) == "assignment_expression" && t.Field(outer) == "right" {
		if left := t.ChildByField(p, "left"); t.Kind(left) == "member_expression" {
			return t.Text(t.ChildByField(left, "property"))
		}
	}
	return ""
}

// maxCallDepth bounds how far runsPerCall follows calls outward (a helper
// called from init() called from the top level).
const maxCallDepth = 3

// runsPerCall reports whether node n of unit u runs on every call of some
// function, rather than a fixed number of times while the program loads:
// code at module level, in an immediately invoked function, or in a
// module-level function that the program only calls from such code (an
// init() or register() called at start-up) runs a fixed number of times.
func runsPerCall(prog *Program, u *Unit, n syntax.Node) bool {
	return runsPerCallDepth(prog, u, n, maxCallDepth)
}

func runsPerCallDepth(prog *Program, u *Unit, n syntax.Node, depth int) bool {
	m := u.Scope
	t := m.Tree
	for fn := m.EnclosingFunction(n); fn != syntax.None; fn = m.EnclosingFunction(fn) {
		if immediatelyInvoked(t, fn) || u.iterationCallback(fn) {
			continue
		}
		if depth == 0 || !calledOnlyAtLoad(prog, u, fn, depth-1) {
			return true
		}
	}
	return false
}

// calledOnlyAtLoad reports whether function fn is a module-level function
// that the program calls directly, and only from code that does not run
// per call. A function passed as a callback, or never called in the
// program (an export for code leakls does not see), may run per call.
func calledOnlyAtLoad(prog *Program, u *Unit, fn syntax.Node, depth int) bool {
	d := functionDecl(u.Scope, fn)
	if d == nil || !d.ModuleLived() {
		return false
	}
	calls := 0
	for _, b := range prog.Aliases(u, d) {
		bt := b.Unit.Tree
		for _, outer := range valueUses(b) {
			call := scope.CallOfCallee(bt, outer)
			if call == syntax.None || runsPerCallDepth(prog, b.Unit, call, depth) {
				return false
			}
			calls++
		}
	}
	return calls > 0
}

// functionDecl returns the declaration naming function fn: a function
// declaration's name, or the variable a function expression or arrow is
// assigned to when it is declared (const f = () => …). Nil otherwise.
func functionDecl(m *scope.Model, fn syntax.Node) *scope.Decl {
	t := m.Tree
	if t.Kind(fn) == "function_declaration" || t.Kind(fn) == "generator_function_declaration" {
		return m.DeclAt(t.ChildByField(fn, "name"))
	}
	outer := outerExpr(t, fn)
	if p := t.Parent(outer); t.Kind(p) == "variable_declarator" && t.Field(outer) == "value" {
		if name := t.ChildByField(p, "name"); t.Kind(name) == "identifier" {
			return m.DeclAt(name)
		}
	}
	return nil
}

// syncIterators are the methods of arrays, Maps and Sets that call their
// function argument synchronously, a fixed number of times for a given
// collection, before they return.
var syncIterators = map[string]bool{
	"forEach": true, "map": true, "filter": true, "reduce": true, "reduceRight": true,
	"some": true, "every": true, "find": true, "findIndex": true, "findLast": true,
	"findLastIndex": true, "flatMap": true, "sort": true, "toSorted": true,
}

// iterationCallback reports whether fn is passed to a synchronous iteration
// method (['a', 'b'].forEach(fn), Object.keys(o).forEach(fn)): it runs as
// often as the code around that call, like an immediately invoked
// function.
func (u *Unit) iterationCallback(fn syntax.Node) bool {
	call := scope.CallOfArgument(u.Tree, fn)
	return call != syntax.None && syncIterators[u.CalleeOf(call).Prop]
}

// immediatelyInvoked reports whether function fn is called where it is
// defined: (function () {…})(), (() => {…})(), (function () {…}).call(this).
func immediatelyInvoked(t *syntax.Tree, fn syntax.Node) bool {
	outer := outerExpr(t, fn)
	p := t.Parent(outer)
	switch t.Kind(p) {
	case "call_expression":
		return t.Field(outer) == "function"
	case "member_expression":
		prop := t.Text(t.ChildByField(p, "property"))
		return t.Field(outer) == "object" && (prop == "call" || prop == "apply") &&
			scope.CallOfCallee(t, p) != syntax.None
	}
	return false
}

// readerCalls are the functions known to read a collection passed to them
// without keeping or changing it.
var readerCalls = map[string]bool{
	"console.log": true, "console.info": true, "console.warn": true, "console.error": true,
	"console.debug": true, "console.trace": true, "console.dir": true, "console.table": true,
	"JSON.stringify": true, "Array.from": true, "Array.isArray": true,
	"Object.keys": true, "Object.values": true, "Object.entries": true, "Object.fromEntries": true,
	"util.inspect": true, "structuredClone": true, "Map": true, "Set": true,
}

// readerCall reports whether call (a call or new expression) is a known
// reader of its arguments: a global from readerCalls (console.log,
// JSON.stringify, new Map(…) …) or util.inspect of an imported util.
func readerCall(m *scope.Model, call syntax.Node) bool {
	t := m.Tree
	fn := t.ChildByField(call, "function")
	if fn == syntax.None {
		fn = t.ChildByField(call, "constructor")
	}
	fn = t.Unparen(fn)
	root := fn
	if t.Kind(fn) == "member_expression" {
		root = t.ChildByField(fn, "object")
	}
	if t.Kind(root) != "identifier" || (m.Resolve(root) != nil && t.Text(root) != "util") {
		return false
	}
	return readerCalls[t.Text(fn)]
}

// firstPerCallGrowth returns the first growth site that runs per call with
// a key that is not a constant, or nil: a collection without one has a
// size fixed by the program text.
func (c *collection) firstPerCallGrowth() *growth {
	for i := range c.growth {
		if g := &c.growth[i]; g.perCall && !g.constKey {
			return g
		}
	}
	return nil
}
