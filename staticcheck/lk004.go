package staticcheck

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// ClosureCapture is LK004: a long-lived closure that keeps a whole
// per-call object (request, response, body, buffer) alive although it only
// reads some of its fields.
var ClosureCapture = &Rule{Rule: rules.Must("LK004"), Run: runClosureCapture}

// longTimeoutMillis is the delay from which a pending timeout counts as
// long-lived: a request is normally answered and freed well before.
const longTimeoutMillis = 10000

// heavyNames are variable names that, in Node code, hold a request,
// response, socket or payload: big objects that should die with the call.
var heavyNames = map[string]bool{
	"req": true, "request": true, "res": true, "response": true, "ctx": true,
	"body": true, "rawBody": true, "buffer": true, "buf": true, "payload": true,
	"chunk": true, "chunks": true, "file": true, "upload": true,
	"socket": true, "ws": true, "conn": true, "connection": true,
}

// heavyTypes are TypeScript type names of such objects.
var heavyTypes = map[string]bool{
	"Request": true, "Response": true, "IncomingMessage": true, "ServerResponse": true,
	"Buffer": true, "FastifyRequest": true, "FastifyReply": true, "Context": true,
	"NextRequest": true, "Socket": true, "WebSocket": true, "Blob": true,
	"ArrayBuffer": true, "Uint8Array": true, "Http2ServerRequest": true, "Http2ServerResponse": true,
}

func runClosureCapture(p *Pass) {
	t := p.Tree
	for n := syntax.Node(0); n < syntax.Node(t.Len()); n++ {
		if !p.IsFunction(n) {
			continue
		}
		site := p.longLivedSite(n)
		if site == "" {
			continue
		}
		cl := p.Scope.Closure(n)
		if cl == nil {
			continue
		}
		for _, d := range cl.Captures {
			if !d.Scope.IsPerCall() || !p.isPerCallObject(d) {
				continue
			}
			chains, ok := p.fieldReads(n, d)
			if !ok || len(chains) == 0 {
				continue
			}
			p.reportCapture(n, d, site, chains)
		}
	}
}

// longLivedSite describes why the closure fn outlives its call ("a
// 60-second timeout"), or returns "" when it does not.
func (p *Pass) longLivedSite(fn syntax.Node) string {
	t := p.Tree
	// The closure may sit in an object literal that is stored:
	// queue.push({ done: () => … }).
	arg := fn
	for t.Kind(t.Parent(arg)) == "pair" || t.Kind(t.Parent(arg)) == "object" {
		arg = t.Parent(arg)
	}
	if call := scope.CallOfArgument(t, arg); call != syntax.None {
		args := p.Args(call)
		switch {
		case arg == fn && p.timerFunction(call) == "setTimeout" && len(args) >= 2 && args[0] == fn:
			if ms, ok := p.constMillis(args[1]); ok && ms >= longTimeoutMillis {
				return fmt.Sprintf("a %s timeout", durationText(ms))
			}
		case arg == fn && p.onceOnLongLived(call, fn):
			return "a once-listener on a long-lived emitter (it lives until the event fires)"
		default:
			c := p.CalleeOf(call)
			if entryMethods[c.Prop] && p.longLivedObject(c.Object) {
				return fmt.Sprintf("the long-lived collection %s", t.Text(c.Object))
			}
		}
		return ""
	}
	// handlers[id] = () => …, global.onDone = () => …
	if parent := t.Parent(arg); t.Kind(parent) == "assignment_expression" && t.Field(arg) == "right" {
		left := t.ChildByField(parent, "left")
		switch t.Kind(left) {
		case "member_expression", "subscript_expression":
			if obj := t.Unparen(t.ChildByField(left, "object")); p.longLivedObject(obj) {
				return fmt.Sprintf("the long-lived object %s", t.Text(obj))
			}
		}
	}
	return ""
}

// onceOnLongLived reports whether fn is registered with once (or
// { once: true }) on an emitter that outlives the repeating code.
func (p *Pass) onceOnLongLived(call, fn syntax.Node) bool {
	c := p.CalleeOf(call)
	args := p.Args(call)
	if len(args) < 2 || args[1] != fn || c.Object == syntax.None {
		return false
	}
	switch {
	case c.Prop == "once" || c.Prop == "prependOnceListener":
	case addListenerMethods[c.Prop] && p.hasOnceOption(args):
	default:
		return false
	}
	repeats, ok := p.emitterOutlivesRepeats(call, c.Object)
	return ok && repeats
}

// longLivedObject reports whether expression n is rooted at a module-level
// or imported declaration or a long-lived global.
func (u *Unit) longLivedObject(n syntax.Node) bool {
	t := u.Tree
	for n != syntax.None {
		switch t.Kind(n) {
		case "member_expression", "subscript_expression":
			n = t.Unparen(t.ChildByField(n, "object"))
			continue
		case "identifier":
			d := u.Scope.Resolve(n)
			if d == nil {
				return longLivedGlobals[t.Text(n)]
			}
			return d.ModuleLived()
		}
		return false
	}
	return false
}

// constMillis evaluates a timeout delay written as a number, a product of
// numbers (60 * 1000), or a constant bound to one.
func (p *Pass) constMillis(n syntax.Node) (float64, bool) {
	t := p.Tree
	n = t.Unparen(n)
	switch t.Kind(n) {
	case "number":
		v, err := strconv.ParseFloat(strings.ReplaceAll(t.Text(n), "_", ""), 64)
		return v, err == nil
	case "binary_expression":
		if t.Text(t.ChildByField(n, "operator")) != "*" {
			return 0, false
		}
		a, ok1 := p.constMillis(t.ChildByField(n, "left"))
		b, ok2 := p.constMillis(t.ChildByField(n, "right"))
		return a * b, ok1 && ok2
	case "identifier":
		d := p.Scope.Resolve(n)
		if d == nil || d.Kind != scope.Const || d.Init == syntax.None || t.Contains(d.Init, n) {
			return 0, false
		}
		return p.constMillis(d.Init)
	}
	return 0, false
}

// durationText renders milliseconds as "30-second" or "5-minute".
func durationText(ms float64) string {
	if ms >= 60000 && int(ms)%60000 == 0 {
		return strconv.Itoa(int(ms/60000)) + "-minute"
	}
	return strconv.FormatFloat(ms/1000, 'f', -1, 64) + "-second"
}

// isPerCallObject reports whether d holds a request, response, socket or
// payload: by its name, its TypeScript type, or its initializer.
func (p *Pass) isPerCallObject(d *scope.Decl) bool {
	if heavyNames[d.Name] {
		return true
	}
	t := p.Tree
	if typ := t.ChildByField(d.Declarator, "type"); typ != syntax.None && t.Kind(d.Ident) == "identifier" {
		words := identifierWords(t.Text(typ))
		if len(words) > 0 && heavyTypes[words[len(words)-1]] {
			return true
		}
	}
	if d.Init == syntax.None {
		return false
	}
	init := t.Unparen(d.Init)
	if t.Kind(init) == "await_expression" {
		init = t.Unparen(t.NamedChildren(init)[0])
	}
	if t.Kind(init) != "call_expression" {
		return false
	}
	c := p.CalleeOf(init)
	switch {
	case c.Object != syntax.None && t.Text(c.Object) == "Buffer":
		return true
	case c.Object != syntax.None && t.Text(c.Object) == "JSON" && c.Prop == "parse":
		return true
	case c.Prop == "json" || c.Prop == "text" || c.Prop == "arrayBuffer" || c.Prop == "blob" || c.Prop == "formData":
		return true
	case c.Name == "readFileSync" || c.Prop == "readFileSync" || c.Name == "readFile" || c.Prop == "readFile":
		return true
	}
	return false
}

// fieldReads returns, when every use of d inside fn reads a field path
// (req.id, req.headers.host) — not a method call on d, not d itself, not a
// write — the distinct paths in source order with their nodes. ok is false
// when the closure needs d itself.
func (p *Pass) fieldReads(fn syntax.Node, d *scope.Decl) (chains []fieldChain, ok bool) {
	t := p.Tree
	for _, r := range d.Refs {
		if !t.Contains(fn, r.Ident) {
			continue
		}
		if r.Write {
			return nil, false
		}
		top := r.Ident
		for {
			parent := t.Parent(top)
			if t.Kind(parent) != "member_expression" || t.Field(top) != "object" || t.ChildOfKind(parent, "optional_chain") != syntax.None {
				break
			}
			top = parent
		}
		// A method call keeps its receiver: req.get('x') needs req.
		if parent := t.Parent(top); t.Kind(parent) == "call_expression" && t.ChildByField(parent, "function") == top && top != r.Ident {
			top = t.ChildByField(top, "object")
		}
		if top == r.Ident || isAssigned(t, top) {
			return nil, false
		}
		text := t.Text(top)
		found := false
		for i := range chains {
			if chains[i].text == text {
				chains[i].nodes = append(chains[i].nodes, top)
				found = true
			}
		}
		if !found {
			chains = append(chains, fieldChain{text: text, nodes: []syntax.Node{top}})
		}
	}
	return chains, true
}

// fieldChain is one field path read by a closure, with its occurrences.
type fieldChain struct {
	text  string
	nodes []syntax.Node
}

// isAssigned reports whether n is the target of an assignment or update
// (or deleted).
func isAssigned(t *syntax.Tree, n syntax.Node) bool {
	parent := t.Parent(n)
	switch t.Kind(parent) {
	case "assignment_expression", "augmented_assignment_expression":
		return t.Field(n) == "left"
	case "update_expression":
		return true
	case "unary_expression":
		return t.Text(t.ChildByField(parent, "operator")) == "delete"
	}
	return false
}

// reportCapture reports that closure fn pins d, with the fix that copies
// the fields into locals before the statement holding the closure.
func (p *Pass) reportCapture(fn syntax.Node, d *scope.Decl, site string, chains []fieldChain) {
	t := p.Tree
	var reads []string
	for _, c := range chains {
		reads = append(reads, c.text)
	}
	msg := fmt.Sprintf("closure kept alive by %s captures the whole %s but only reads %s: %s stays in memory until the closure is released",
		site, d.Name, strings.Join(reads, ", "), d.Name)
	var fixes []finding.Fix
	if stmt := p.Statement(fn); stmt != syntax.None && !t.Contains(fn, stmt) && t.Start(stmt) > t.Start(d.Ident) {
		indent := p.Tree.Indent(t.Start(stmt))
		var decls strings.Builder
		var edits []finding.Edit
		used := map[string]bool{}
		for _, c := range chains {
			name := p.copyName(d.Name, c.text, used)
			fmt.Fprintf(&decls, "const %s = %s;\n%s", name, c.text, indent)
			for _, n := range c.nodes {
				edits = append(edits, finding.Edit{Start: t.Start(n), End: t.EndByte(n), NewText: name})
			}
		}
		edits = append(edits, finding.Edit{Start: t.Start(stmt), End: t.Start(stmt), NewText: decls.String()})
		locals := "a local"
		if len(chains) > 1 {
			locals = "locals"
		}
		fixes = append(fixes, finding.Fix{
			Message: fmt.Sprintf("Copy %s into %s before the closure", strings.Join(reads, ", "), locals),
			Edits:   edits,
		})
	}
	first := chains[0].nodes[0]
	p.Report(finding.Finding{Range: t.Range(first), Message: msg, Fixes: fixes})
}

// copyName builds a fresh local name for a field path: req.headers.host →
// reqHeadersHost (at most the last two fields).
func (p *Pass) copyName(root, path string, used map[string]bool) string {
	words := identifierWords(strings.TrimPrefix(path, root))
	if len(words) > 2 {
		words = words[len(words)-2:]
	}
	base := CamelName(root, words...)
	name := p.FreshName(base)
	for i := 2; used[name]; i++ {
		name = p.FreshName(base + strconv.Itoa(i))
	}
	used[name] = true
	return name
}
