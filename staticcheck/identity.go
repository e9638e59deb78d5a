package staticcheck

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// This file gives values a program-wide identity, so that a rule can tell
// that `bus.off("tick", onTick)` in one file removes the listener that
// `bus.on("tick", onTick)` added in another.

// maxAliasHops bounds how many `const b = a` aliases KeyOf follows.
const maxAliasHops = 8

// KeyOf returns a program-wide identity for the value of expression n in
// unit u, and false when n has none that can be named statically (a call
// result, an inline function, a computed member). Two expressions with the
// same key denote the same variable or property path:
//
//   - a declared name, followed through `const alias = x` and through
//     imports, requires and re-exports to its declaration;
//   - a member path on such a name (bus.events, ns.bus through an
//     `import * as ns`);
//   - a path on `this`, within one class (or, outside classes, one file);
//   - a global (process, window …) and paths on it;
//   - a name imported from a package that is not checked, by package and
//     export name.
func (p *Program) KeyOf(u *Unit, n syntax.Node) (string, bool) {
	return p.keyOf(u, n, 0)
}

func (p *Program) keyOf(u *Unit, n syntax.Node, hops int) (string, bool) {
	t := u.Tree
	var path []string // outermost property first after reversal
	n = t.Unparen(n)
	for n != syntax.None {
		switch t.Kind(n) {
		case "member_expression":
			prop := t.ChildByField(n, "property")
			if prop == syntax.None {
				return "", false
			}
			path = append(path, t.Text(prop))
			n = t.Unparen(t.ChildByField(n, "object"))
			continue
		case "subscript_expression":
			idx, ok := u.StringValue(t.ChildByField(n, "index"))
			if !ok {
				return "", false
			}
			path = append(path, idx)
			n = t.Unparen(t.ChildByField(n, "object"))
			continue
		}
		break
	}
	if n == syntax.None {
		return "", false
	}
	// path was collected innermost-last; reverse into source order.
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	switch t.Kind(n) {
	case "this":
		// In a class, `this` is an instance of that class; in a plain
		// function (a prototype method, or a function bound to an object:
		// `this.onMove = onMove.bind(this)`) the file is the best scope we
		// can name.
		cls := u.ThisClass(n)
		return joinKey("this:"+u.Path+":"+strconv.Itoa(int(cls)), path), true
	case "identifier", "shorthand_property_identifier":
	default:
		return "", false
	}
	d := u.Scope.Resolve(n)
	if d == nil {
		return joinKey("global:"+t.Text(n), path), true
	}
	return p.declKey(u, d, path, hops)
}

// declKey names declaration d of unit u followed by a member path.
func (p *Program) declKey(u *Unit, d *scope.Decl, path []string, hops int) (string, bool) {
	for ; hops < maxAliasHops; hops++ {
		// const alias = other.path
		if d.Init != syntax.None && (d.Kind == scope.Const || !hasWrites(d)) {
			switch u.Tree.Kind(u.Tree.Unparen(d.Init)) {
			case "identifier", "member_expression", "this":
				k, ok := p.keyOf(u, d.Init, hops+1)
				if !ok {
					return "", false
				}
				return joinKey(k, path), true
			}
		}
		ou, od := p.Origin(u, d)
		imp := importOf(ou, od)
		if imp == nil {
			return joinKey("decl:"+ou.Path+":"+strconv.Itoa(int(od.Ident)), path), true
		}
		to := p.ResolveImport(ou, imp.Source)
		whole := imp.Imported == "*" || (imp.Require && imp.Imported == "default")
		if to != nil && whole && len(path) > 0 {
			// ns.bus through `import * as ns` or a whole require.
			if e := exportNamed(to, path[0]); e != nil && e.Local != nil {
				u, d, path = to, e.Local, path[1:]
				continue
			}
		}
		return joinKey("import:"+imp.Source+":"+imp.Imported, path), true
	}
	return "", false
}

func joinKey(base string, path []string) string {
	if len(path) == 0 {
		return base
	}
	return base + "." + strings.Join(path, ".")
}

// ThisClass returns the class whose instance `this` denotes at node n: the
// class of the nearest enclosing method or class field (arrow functions
// see through to their enclosing function), or None.
func (u *Unit) ThisClass(n syntax.Node) syntax.Node {
	t := u.Tree
	for p := t.Parent(n); p != syntax.None; p = t.Parent(p) {
		switch t.Kind(p) {
		case "arrow_function":
			continue
		case "method_definition", "public_field_definition", "field_definition", "class_static_block":
			return t.Ancestor(p, "class_declaration", "class", "abstract_class_declaration")
		}
		if u.IsFunction(p) {
			return syntax.None // a plain function: `this` depends on the call
		}
	}
	return syntax.None
}

// CallSite is one call in a program.
type CallSite struct {
	Unit *Unit
	Call syntax.Node
}

// Calls returns every call in the program whose method name (obj.name(…))
// or function name (name(…)) is name, in file and source order.
func (p *Program) Calls(name string) []CallSite {
	p.callsOnce.Do(func() {
		p.calls = make(map[string][]CallSite)
		for _, u := range p.Units {
			t := u.Tree
			for n := syntax.Node(0); n < syntax.Node(t.Len()); n++ {
				if t.Kind(n) != "call_expression" {
					continue
				}
				c := u.CalleeOf(n)
				key := c.Prop
				if key == "" {
					key = c.Name
				}
				if key != "" {
					p.calls[key] = append(p.calls[key], CallSite{Unit: u, Call: n})
				}
			}
		}
	})
	return p.calls[name]
}

// CallsOn returns the calls obj.name(…) of the program whose receiver obj
// has the identity key (see KeyOf), in file and source order.
func (p *Program) CallsOn(name, key string) []CallSite {
	if g := p.keyedCalls(keyedCallsOf{name: name}).byKey[key]; g != nil {
		return g.all
	}
	return nil
}

// CallsOnMaybe narrows CallsOn to the calls whose first argument may be
// the string s: none, one whose string value is not known statically (see
// Unit.StringValue), or one whose value is s.
func (p *Program) CallsOnMaybe(name, key, s string) []CallSite {
	g := p.keyedCalls(keyedCallsOf{name: name}).byKey[key]
	if g == nil {
		return nil
	}
	return slices.Concat(g.byFirst[s], g.unknown)
}

// CallsWith returns the calls of the program named name (see Calls) whose
// first argument has the identity key (see KeyOf), in file and source
// order.
func (p *Program) CallsWith(name, key string) []CallSite {
	if g := p.keyedCalls(keyedCallsOf{name: name, firstArg: true}).byKey[key]; g != nil {
		return g.all
	}
	return nil
}

// keyedCallsOf names an index of CallsOn (the calls of name by the key of
// their receiver) or of CallsWith (by the key of their first argument).
type keyedCallsOf struct {
	name     string
	firstArg bool
}

// keyedCalls is one index of calls by key, built on first use: rules look
// up removals and clears once per finding, and a bundle has thousands of
// both.
type keyedCalls struct {
	once  sync.Once
	byKey map[string]*callGroup
}

// callGroup is the calls of one key, and the same split by the string
// value of their first argument.
type callGroup struct {
	all     []CallSite
	byFirst map[string][]CallSite
	unknown []CallSite // no first argument, or one of no known string value
}

func (p *Program) keyedCalls(of keyedCallsOf) *keyedCalls {
	p.keyedMu.Lock()
	if p.keyed == nil {
		p.keyed = make(map[keyedCallsOf]*keyedCalls)
	}
	kc := p.keyed[of]
	if kc == nil {
		kc = &keyedCalls{}
		p.keyed[of] = kc
	}
	p.keyedMu.Unlock()
	kc.once.Do(func() {
		kc.byKey = make(map[string]*callGroup)
		for _, cs := range p.Calls(of.name) {
			args := cs.Unit.Args(cs.Call)
			n := cs.Unit.CalleeOf(cs.Call).Object
			if of.firstArg {
				n = syntax.None
				if len(args) > 0 {
					n = args[0]
				}
			}
			if n == syntax.None {
				continue
			}
			key, ok := p.KeyOf(cs.Unit, n)
			if !ok {
				continue
			}
			g := kc.byKey[key]
			if g == nil {
				g = &callGroup{byFirst: make(map[string][]CallSite)}
				kc.byKey[key] = g
			}
			g.all = append(g.all, cs)
			if len(args) == 0 {
				g.unknown = append(g.unknown, cs)
			} else if s, ok := cs.Unit.StringValue(args[0]); ok {
				g.byFirst[s] = append(g.byFirst[s], cs)
			} else {
				g.unknown = append(g.unknown, cs)
			}
		}
	})
	return kc
}
