package holders

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/column"
	"github.com/leakls/leakls/srcloc"
	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// The holder kinds, each found in the original source: the call that
// registered a closure, the declaration of a variable, the field or
// assignment of a property.

// closure is the holder for the user's closure at chain[k], placed at pl:
// for a listener or a timer callback the call that registers it — the
// growth site — with the function as the holder; else the function
// itself.
func (j *joiner) closure(chain []analysis.Hop, k int, pl srcloc.Place) holder {
	h := holder{rule: registeredAs(chain, k), place: pl}
	reg, kind := listenerCalls, "the listener "
	switch h.rule {
	case RetainedByTimer:
		reg, kind = timerCalls, "the timer callback "
	case RetainedByClosure:
		h.what = "the closure " + funcName(chain[k].Name) + "created here"
		if _, u, fn, ok := j.function(pl); ok {
			h.place.Location.Range = u.Tree.Range(fn)
			if store := storing(u, fn); store != syntax.None {
				// The statement that stores it is the growth site.
				decl := h.place.Location
				h.decl, h.declText = &decl, "the function that creates the closure"
				h.place.Location.Range = u.Tree.Range(store)
				h.what = "the closure " + funcName(chain[k].Name) + "created and stored here"
			}
		}
		return h
	}
	emitter, event := listedAt(chain, k)
	for _, cb := range j.callbacks(chain[k].Node) {
		cpl, ok := j.Hop(analysis.NodeHop(j.s, j.src, cb))
		if !ok || !owned(cpl) {
			continue
		}
		p, u, fn, ok := j.function(cpl)
		if !ok {
			continue
		}
		if sites := reg.registrations(p, u, fn, event, emitter); len(sites) > 0 {
			// The function registered: the wrapped one, for a wrapper.
			noun := kind + funcName(analysis.NodeHop(j.s, j.src, cb).Name)
			h.what = noun + reg.verb + " here"
			h.place = cpl
			h.place.Location = sites[0].loc
			h.decl = &finding.Location{File: u.Path, Range: u.Tree.Range(fn)}
			h.declText = "the function: " + strings.TrimSpace(noun)
			h.sites = sites[1:]
			return h
		}
	}
	// No call that registers it: the function, said as such.
	h.what = kind + funcName(chain[k].Name) + "defined here (no call that registers it was found)"
	if _, u, fn, ok := j.function(pl); ok {
		h.place.Location.Range = u.Tree.Range(fn)
	}
	return h
}

// storing returns the statement that stores the function fn where it
// outlives the call: the assignment of which it is the value, or the
// push() or set() that adds it to a collection; syntax.None for others.
func storing(u *staticcheck.Unit, fn syntax.Node) syntax.Node {
	t := u.Tree
	n := fn
	for p := t.Parent(n); p != syntax.None && t.Kind(p) == "parenthesized_expression"; p = t.Parent(n) {
		n = p
	}
	if p := t.Parent(n); t.Kind(p) == "assignment_expression" && t.ChildByField(p, "right") == n {
		return p
	}
	if call := scope.CallOfArgument(t, fn); call != syntax.None && slices.Contains(addMethods, u.CalleeOf(call).Prop) {
		return call
	}
	return syntax.None
}

// function returns the function at pl in its original file, with the
// file's unit and program; false when pl is not in a readable file or not
// in a function.
func (j *joiner) function(pl srcloc.Place) (*staticcheck.Program, *staticcheck.Unit, syntax.Node, bool) {
	if _, _, ok := j.original(pl); !ok {
		return nil, nil, syntax.None, false
	}
	p, u := j.unit(pl.Location.File)
	st := pl.Location.Range.Start
	fn := u.Scope.FunctionAt(st.Line, st.Col)
	return p, u, fn, fn != syntax.None
}

// callbacks returns the closure node and then the closures its context
// holds: a debounce or throttle wrapper registered as a listener holds the
// function it wraps in its context.
func (j *joiner) callbacks(node int) []int {
	s := j.s
	out := []int{node}
	from, to := s.EdgeRange(node)
	for e := from; e < to; e++ {
		if s.EdgeName(e) != "context" {
			continue
		}
		cf, ct := s.EdgeRange(s.EdgeTo(e))
		for c := cf; c < ct; c++ {
			if s.EdgeType(c) == analysis.EdgeContext && s.NodeType(s.EdgeTo(c)) == analysis.NodeClosure {
				out = append(out, s.EdgeTo(c))
			}
		}
	}
	return out
}

// listedAt returns where a listener at chain[k] is listed: the names of
// the emitter (the variable or property it was reached by, its class), and
// the event it is registered for (the property of the emitter's _events
// under which it is listed; "" when not known).
func listedAt(chain []analysis.Hop, k int) (emitter []string, event string) {
	for i := k - 1; i > 1; i-- {
		if chain[i-1].Edge == "_events" && chain[i].EdgeType == "property" {
			em := chain[i-2]
			if em.EdgeType == "context" || em.EdgeType == "property" {
				emitter = append(emitter, em.Edge)
			}
			return append(emitter, em.Name), chain[i].Edge
		}
	}
	return nil, ""
}

// funcName quotes a closure's name for a message, "" for anonymous ones.
func funcName(name string) string {
	if name == "" || name == "(anonymous function)" {
		return ""
	}
	return name + " "
}

// original returns the scope model of the file of pl and pl's byte offset
// in it, when the file is readable and pl has an exact position.
func (j *joiner) original(pl srcloc.Place) (*scope.Model, int, bool) {
	if !owned(pl) || pl.Location.Range.Start.Offset < 0 {
		return nil, 0, false
	}
	m := j.model(pl.Location.File)
	if m == nil {
		return nil, 0, false
	}
	return m, pl.Location.Range.Start.Offset, true
}

// locateNode places the start of node n of the code that ran (script,
// parsed as t) the way V8 would report it: V8 counts columns in UTF-16
// code units, the tree in bytes.
func (j *joiner) locateNode(script string, t *syntax.Tree, n syntax.Node) (srcloc.Place, bool) {
	off := t.Start(n)
	p := t.Pos(off)
	col := column.UTF16(t.Src[off-p.Col : off])
	return j.locate(script, p.Line, col)
}

// generated returns the path of the script that ran, script as V8 names
// it, or "" when it is not a file.
func (j *joiner) generated(script string) string {
	pl, ok := j.locate(script, 0, 0)
	if !ok {
		return ""
	}
	loc := pl.Location
	if pl.Generated != nil {
		loc = *pl.Generated
	}
	if !filepath.IsAbs(loc.File) {
		return ""
	}
	return loc.File
}

// variable is the holder for the context variable reached by path[i] (the
// edge from the context path[i-1]) when it is a module-level variable of
// the user's code: its declaration in the original source, or the
// property of the object literal it is initialised with when the path
// continues through that property.
func (j *joiner) variable(path []analysis.Hop, i int) (holder, bool) {
	name, script := path[i].Edge, path[i-1].File
	if script == "" {
		return holder{}, false
	}
	gen := j.generated(script)
	if gen == "" {
		return holder{}, false
	}
	gm := j.model(gen)
	if gm == nil {
		return holder{}, false
	}
	decl := gm.DeclarationOf(name)
	// The closure whose context chain leads here: the variable is the
	// one its scope sees.
	k := i - 2
	for k >= 0 && path[k].Name == "system / Context" {
		k--
	}
	if k >= 0 && path[k].Type == "closure" && path[k].File == script {
		if cp, ok := j.Hop(path[k]); ok {
			loc := cp.Location
			if cp.Generated != nil {
				loc = *cp.Generated
			}
			if fn := gm.FunctionAt(loc.Range.Start.Line, loc.Range.Start.Col); fn != syntax.None {
				if sc := gm.ScopeOf(fn); sc != nil {
					decl = sc.Lookup(name)
				}
			}
		}
	}
	if decl == nil {
		return holder{}, false
	}
	pl, ok := j.locateNode(script, gm.Tree, decl.Ident)
	if !ok || !owned(pl) {
		return holder{}, false
	}
	h := holder{rule: RetainedByVariable, place: pl, what: "the module variable " + name}
	m, at, ok := j.original(pl)
	var od *scope.Decl
	if ok {
		od = declNear(m, at, name, pl.Name)
	}
	if od == nil {
		// No original source to look at: judge by the code that ran.
		return h, decl.ModuleLived()
	}
	// Judge by the original source: a bundler wraps CommonJS modules in
	// functions, which makes their top-level variables look per-call.
	if !od.ModuleLived() {
		return holder{}, false
	}
	h.what = "the module variable " + od.Name
	h.place.Location.Range = m.Tree.Range(od.Ident)
	prop := ""
	if i+1 < len(path) && path[i+1].EdgeType == "property" && od.Init != syntax.None {
		if key := literalProperty(m.Tree, od.Init, path[i+1].Edge); key != syntax.None {
			h.rule, h.what = RetainedByProperty, "the property "+od.Name+"."+path[i+1].Edge
			h.place.Location.Range = m.Tree.Range(key)
			prop = path[i+1].Edge
		}
	}
	j.growCollection(&h, od.Ident, prop)
	return h, true
}

// growCollection moves h to the growth sites of the collection that the
// expression n of h's original file denotes, followed by the property
// prop when not "".
func (j *joiner) growCollection(h *holder, n syntax.Node, prop string) {
	if p, u := j.unit(h.place.Location.File); u != nil {
		h.grow(keyedSites(p, u, n, prop))
	}
}

// keyedSites returns the growth sites in unit u of the collection that
// the expression n denotes, followed by the property path rest when not
// "".
func keyedSites(p *staticcheck.Program, u *staticcheck.Unit, n syntax.Node, rest string) []site {
	key, ok := p.KeyOf(u, n)
	if !ok {
		return nil
	}
	if rest != "" {
		key += "." + rest
	}
	return collectionSites(p, u, key)
}

// declNear returns the declaration, in m, of the identifier at offset at,
// or the nearest declaration of one of names: the name in the code that
// ran and the original name a source map gives.
func declNear(m *scope.Model, at int, names ...string) *scope.Decl {
	t := m.Tree
	n := t.NodeAt(at)
	if d := m.Resolve(n); d != nil {
		return d
	}
	line := t.Pos(at).Line
	for _, d := range m.Decls {
		for _, name := range names {
			if name != "" && d.Name == name && d.ModuleLived() && t.Pos(t.Start(d.Ident)).Line == line {
				return d
			}
		}
	}
	for _, name := range names {
		if d := m.DeclarationOf(name); name != "" && d != nil {
			return d
		}
	}
	return nil
}

// literalProperty returns the pair of object literal init whose key is
// name, or syntax.None.
func literalProperty(t *syntax.Tree, init syntax.Node, name string) syntax.Node {
	init = t.Unparen(init)
	if t.Kind(init) != "object" {
		return syntax.None
	}
	for _, c := range t.NamedChildren(init) {
		switch t.Kind(c) {
		case "pair":
			if key := t.ChildByField(c, "key"); key != syntax.None && propertyName(t, key) == name {
				return c
			}
		case "shorthand_property_identifier":
			if t.Text(c) == name {
				return c
			}
		}
	}
	return syntax.None
}

// propertyName returns the name a property key stands for: an identifier's
// text or a string's value.
func propertyName(t *syntax.Tree, key syntax.Node) string {
	text := t.Text(key)
	if t.Kind(key) == "string" && len(text) >= 2 {
		return text[1 : len(text)-1]
	}
	return text
}

// classKinds are the nodes that declare a class.
var classKinds = []string{"class_declaration", "class", "abstract_class_declaration"}

// property is the holder for the property path[i] of the object path[i-1]
// when that object is an instance of a class of the user's code (V8 gives
// an object the position of its constructor): the field declaration or the
// this.name assignment in the class or constructor function, else the
// class; moved to the statements that add to the property, in its class or
// in the class of an object that holds it.
func (j *joiner) property(path []analysis.Hop, i int) (holder, bool) {
	pl, ok := j.Hop(path[i-1])
	if !ok || !owned(pl) {
		return holder{}, false
	}
	name := path[i].Edge
	h := holder{rule: RetainedByProperty, place: pl, what: "the property " + name + " of " + path[i-1].Name}
	p, u, owner, ok := j.owner(pl)
	if !ok {
		return h, true
	}
	t := u.Tree
	h.place.Location.Range = t.Range(owner)
	if n := classProperty(t, owner, name); n != syntax.None {
		h.place.Location.Range = t.Range(n)
	}
	if sites := propertySites(p, u, owner, name, ""); len(sites) > 0 {
		h.grow(sites)
		return h, true
	}
	// Added to through an object that holds this one, by the property
	// path the snapshot took (this.nodes.localNode.services.push(…) in
	// the registry that holds the node).
	rest := name
	for k := i - 2; k >= 1 && k >= i-1-maxOuterObjects && path[k+1].EdgeType == "property"; k-- {
		if opl, ok := j.Hop(path[k]); ok && owned(opl) {
			if op, ou, oo, ok := j.owner(opl); ok {
				if sites := propertySites(op, ou, oo, path[k+1].Edge, rest); len(sites) > 0 {
					h.grow(sites)
					return h, true
				}
			}
		}
		rest = path[k+1].Edge + "." + rest
	}
	h.grow(nil)
	return h, true
}

// maxOuterObjects bounds how many objects outward from a property's
// object property looks for the statements that add to it.
const maxOuterObjects = 4

// owner returns the class, or constructor function, of the object placed
// at pl (V8 places an object at its constructor), with its file's unit;
// false when its original file cannot be read or has neither.
func (j *joiner) owner(pl srcloc.Place) (*staticcheck.Program, *staticcheck.Unit, syntax.Node, bool) {
	_, at, ok := j.original(pl)
	if !ok {
		return nil, nil, syntax.None, false
	}
	p, u := j.unit(pl.Location.File)
	t := u.Tree
	owner := t.NodeAt(at)
	if !isKind(t, owner, classKinds) {
		owner = t.Ancestor(owner, classKinds...)
	}
	if owner == syntax.None {
		// A constructor function: function Server() { this.clients = {}; }
		st := pl.Location.Range.Start
		owner = u.Scope.FunctionAt(st.Line, st.Col)
	}
	return p, u, owner, owner != syntax.None
}

// propertySites returns the growth sites of the collection this.name.rest
// ("" rest: this.name) of the class or constructor function owner.
func propertySites(p *staticcheck.Program, u *staticcheck.Unit, owner syntax.Node, name, rest string) []site {
	member := thisMember(u.Tree, owner, name)
	if member == syntax.None {
		return nil
	}
	return keyedSites(p, u, member, rest)
}

// isKind reports whether n is one of kinds.
func isKind(t *syntax.Tree, n syntax.Node, kinds []string) bool {
	if n == syntax.None {
		return false
	}
	k := t.Kind(n)
	for _, want := range kinds {
		if k == want {
			return true
		}
	}
	return false
}

// classProperty finds where class declares its property name: a field
// (`name = …`, `name: T = …`), else the first `this.name = …` assignment in
// its body; syntax.None when neither exists.
func classProperty(t *syntax.Tree, class syntax.Node, name string) syntax.Node {
	body := t.ChildByField(class, "body")
	if body == syntax.None {
		return syntax.None
	}
	for _, c := range t.NamedChildren(body) {
		switch t.Kind(c) {
		case "field_definition", "public_field_definition":
			if key := t.FieldName(c); key != syntax.None && propertyName(t, key) == name {
				return c
			}
		}
	}
	for n := body + 1; n < t.End(body); n++ {
		if t.Kind(n) != "assignment_expression" {
			continue
		}
		if isThisMember(t, t.ChildByField(n, "left"), name) {
			return n
		}
	}
	return syntax.None
}

// thisMember returns the first this.name in owner, or syntax.None.
func thisMember(t *syntax.Tree, owner syntax.Node, name string) syntax.Node {
	for n := owner + 1; n < t.End(owner); n++ {
		if isThisMember(t, n, name) {
			return n
		}
	}
	return syntax.None
}

// isThisMember reports whether n is this.name.
func isThisMember(t *syntax.Tree, n syntax.Node, name string) bool {
	if n == syntax.None || t.Kind(n) != "member_expression" {
		return false
	}
	obj, prop := t.ChildByField(n, "object"), t.ChildByField(n, "property")
	return obj != syntax.None && t.Kind(obj) == "this" && prop != syntax.None && t.Text(prop) == name
}

// exported is the holder for the property path[i] of a CommonJS module's
// exports object (path[i-1], reached from its Module): the export in the
// module's original source — `export const history = []` that tsc
// compiled to `exports.history = []`.
func (j *joiner) exported(path []analysis.Hop, i int) (holder, bool) {
	if i < 2 || path[i-1].Edge != "exports" || path[i-2].Name != "Module" {
		return holder{}, false
	}
	file := j.moduleFile(path[i-2].Node)
	gm := j.model(file)
	if gm == nil {
		return holder{}, false
	}
	name := path[i].Edge
	for _, ex := range gm.Exports {
		if ex.Name != name || ex.From != "" || ex.Value == syntax.None || gm.Tree.Kind(ex.Value) == "unary_expression" {
			continue // `exports.x = void 0` only declares the export
		}
		pl, ok := j.locateNode(file, gm.Tree, ex.Value)
		if !ok || !owned(pl) {
			return holder{}, false
		}
		h := holder{rule: RetainedByVariable, place: pl, what: "the exported variable " + name}
		if m, at, ok := j.original(pl); ok {
			if od := declNear(m, at, name); od != nil {
				h.place.Location.Range = m.Tree.Range(od.Ident)
				j.growCollection(&h, od.Ident, "")
			}
		}
		return h, true
	}
	return holder{}, false
}

// moduleFile returns the filename of a CommonJS Module object, or "".
func (j *joiner) moduleFile(module int) string {
	s := j.s
	first, end := s.EdgeRange(module)
	for e := first; e < end; e++ {
		if s.EdgeType(e) == analysis.EdgeProperty && s.EdgeName(e) == "filename" {
			if to := s.EdgeTo(e); s.NodeType(to).IsString() && filepath.IsAbs(s.StringValue(to)) {
				return s.StringValue(to)
			}
		}
	}
	return ""
}
