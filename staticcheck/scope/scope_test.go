package scope

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/leakls/leakls/staticcheck/syntax"
)

func build(t *testing.T, path, src string) *Model {
	t.Helper()
	lang, ok := syntax.LangOf(path)
	if !ok {
		t.Fatalf("no language for %s", path)
	}
	tr, err := syntax.Parse(context.Background(), lang, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return Build(tr, path)
}

// at returns the node of the n-th (0-based) occurrence of needle as an
// identifier-like node.
func at(t *testing.T, m *Model, needle string, nth int) syntax.Node {
	t.Helper()
	src := string(m.Tree.Src)
	off := -1
	for i := 0; i <= nth; i++ {
		k := strings.Index(src[off+1:], needle)
		if k < 0 {
			t.Fatalf("occurrence %d of %q not found", nth, needle)
		}
		off += 1 + k
	}
	return m.Tree.NodeAt(off)
}

func TestDeclarationsAndReferences(t *testing.T) {
	const src = `import { EventEmitter } from 'node:events';
const bus = new EventEmitter();
var counter = 0;
function handler(req, { a, b: [c = counter] }, ...rest) {
  let x = req.id;
  if (x) { const x = 2; use(x); }
  bus.on('tick', () => { counter++; send(x, req); });
  try { f() } catch (err) { log(err) }
  for (const k of rest) k;
  for (var i = 0; i < 2; i++) {}
  return i;
}
class Pool extends EventEmitter { m() { return bus; } }
undeclared = 1;
`
	m := build(t, "a.js", src)
	mod := m.Module
	for _, name := range []string{"EventEmitter", "bus", "counter", "handler", "Pool"} {
		d := m.DeclarationOf(name)
		if d == nil || d.Scope != mod || !d.ModuleLived() {
			t.Errorf("module declaration %s: %+v", name, d)
		}
	}
	if d := m.DeclarationOf("EventEmitter"); d.Kind != ImportDecl {
		t.Errorf("EventEmitter kind %v", d.Kind)
	}
	fn := m.ScopeOf(m.DeclarationOf("handler").Declarator)
	if fn == nil || fn.Kind != FunctionScope {
		t.Fatal("handler has no function scope")
	}
	var names []string
	for _, d := range fn.Decls {
		names = append(names, d.Kind.String()+" "+d.Name)
	}
	want := []string{"param req", "param a", "param c", "param rest", "let x", "var i"}
	if !slices.Equal(names, want) {
		t.Errorf("handler declarations %v; want %v", names, want)
	}
	// The inner x shadows the outer one; use(x) resolves to the inner.
	inner := m.Resolve(at(t, m, "x);", 0))
	if inner == nil || inner.Kind != Const || inner.Scope.Kind != BlockScope {
		t.Errorf("use(x) resolves to %+v; want the block's const x", inner)
	}
	outer := m.Resolve(at(t, m, "x, req", 0))
	if outer == nil || outer.Kind != Let {
		t.Errorf("send(x) resolves to %+v; want let x", outer)
	}
	if d := m.Resolve(at(t, m, "counter]", 0)); d != m.DeclarationOf("counter") {
		t.Errorf("default value counter resolves to %+v", d)
	}
	if r := m.RefAt(at(t, m, "counter++", 0)); r == nil || !r.Write || r.Decl != m.DeclarationOf("counter") {
		t.Errorf("counter++ ref = %+v", r)
	}
	if d := m.Resolve(at(t, m, "err)", 0)); d == nil || d.Kind != Catch {
		t.Errorf("log(err) resolves to %+v", d)
	}
	if d := m.Resolve(at(t, m, "i;", 0)); d == nil || d.Kind != Var || d.Scope != fn {
		t.Errorf("return i resolves to %+v; want var i of handler", d)
	}
	if d := m.Resolve(at(t, m, "k;", 0)); d == nil || d.Kind != Const {
		t.Errorf("k resolves to %+v", d)
	}
	// The arrow captures counter, x, req (not bus? it does not use bus).
	arrow := m.FunctionAt(6, 20)
	cl := m.Closure(arrow)
	if cl == nil {
		t.Fatalf("no closure at 7:21 (%s)", m.Tree.Kind(arrow))
	}
	var caps []string
	for _, d := range cl.Captures {
		caps = append(caps, d.Name)
	}
	if !slices.Equal(caps, []string{"counter", "x", "req"}) {
		t.Errorf("arrow captures %v", caps)
	}
	if !m.IsPerCall(arrow) || m.IsPerCall(m.DeclarationOf("bus").Declarator) {
		t.Error("IsPerCall wrong")
	}
	call := m.CallAt(6, 20)
	if call == syntax.None || !strings.HasPrefix(m.Tree.Text(call), "bus.on(") {
		t.Errorf("CallAt = %q", m.Tree.Text(call))
	}
	var globals []string
	for _, r := range m.Globals() {
		globals = append(globals, m.Tree.Text(r.Ident))
	}
	if !slices.Equal(globals, []string{"use", "send", "f", "log", "undeclared"}) {
		t.Errorf("globals %v", globals)
	}
	if m.Kind != ESM || !m.Strict() {
		t.Errorf("kind %v strict %v; want esm strict", m.Kind, m.Strict())
	}
}

func TestTypeScriptTypesAreNotUses(t *testing.T) {
	const src = `import type { Req } from './types';
import { Emitter } from './emitter';
interface Opts { bus: Emitter }
type H = (req: Req) => void;
export class Server<T extends Req> {
  constructor(private readonly opts: Opts, public n: number = 1) {}
  handle(req: Req): void { const r = req as unknown as T; (<any>r).go(); }
}
enum Color { Red }
`
	m := build(t, "a.ts", src)
	if d := m.DeclarationOf("Emitter"); d == nil || len(d.Refs) != 0 {
		t.Errorf("Emitter: %+v; a type position is not a reference", d)
	}
	for _, name := range []string{"Server", "Color"} {
		if m.DeclarationOf(name) == nil {
			t.Errorf("no declaration of %s", name)
		}
	}
	if d := m.Resolve(at(t, m, "r).go", 0)); d == nil || d.Name != "r" {
		t.Errorf("(<any>r) resolves to %+v", d)
	}
	if m.Kind != ESM {
		t.Errorf("kind %v", m.Kind)
	}
	if d := m.DeclarationOf("Server"); d.Export != "Server" {
		t.Errorf("Server export %q", d.Export)
	}
	for _, g := range m.Globals() {
		if name := m.Tree.Text(g.Ident); name != "undefined" {
			t.Errorf("unexpected global %s", name)
		}
	}
}

func TestCommonJSImportsAndExports(t *testing.T) {
	const src = `'use strict';
const EventEmitter = require('events');
const { Pool, connect: open } = require('./db');
const helper = require('./util').helper;
require('./side-effect');
const bus = new EventEmitter();
const cache = new Map();
module.exports = { bus, store: cache };
module.exports.extra = helper;
exports.other = open;
`
	m := build(t, "a.js", src)
	if m.Kind != CommonJS || !m.Strict() {
		t.Errorf("kind %v strict %v", m.Kind, m.Strict())
	}
	var imps []string
	for _, i := range m.Imports {
		local := "-"
		if i.Local != nil {
			local = i.Local.Name
		}
		imps = append(imps, i.Source+" "+i.Imported+" "+local)
	}
	wantImps := []string{"events default EventEmitter", "./db Pool Pool", "./db connect open", "./util helper helper", "./side-effect default -"}
	if !slices.Equal(imps, wantImps) {
		t.Errorf("imports %q\nwant %q", imps, wantImps)
	}
	var exps []string
	for _, e := range m.Exports {
		local := "-"
		if e.Local != nil {
			local = e.Local.Name
		}
		exps = append(exps, e.Name+" "+local)
	}
	wantExps := []string{"default -", "bus bus", "store cache", "extra helper", "other open"}
	if !slices.Equal(exps, wantExps) {
		t.Errorf("exports %q\nwant %q", exps, wantExps)
	}
	if d := m.DeclarationOf("cache"); d.Export != "store" {
		t.Errorf("cache export %q", d.Export)
	}
}

func TestModuleKinds(t *testing.T) {
	for _, c := range []struct {
		path, src string
		kind      ModuleKind
		strict    bool
	}{
		{"a.js", "x = 1;", Script, false},
		{"a.js", "'use strict'; x = 1;", Script, true},
		{"a.mjs", "x = 1;", ESM, true},
		{"a.cjs", "x = 1;", CommonJS, false},
		{"a.js", "export const a = 1;", ESM, true},
		{"a.ts", "import x = require('y'); x();", CommonJS, false},
		{"a.js", "// c\n\"use strict\"\nmodule.exports = 1", CommonJS, true},
	} {
		m := build(t, c.path, c.src)
		if m.Kind != c.kind || m.Strict() != c.strict {
			t.Errorf("%s %q: kind %v strict %v; want %v %v", c.path, c.src, m.Kind, m.Strict(), c.kind, c.strict)
		}
	}
	m := build(t, "a.js", "function f() { 'use strict'; y = 1 }\nclass C { m() { z = 1 } }\nw = 1")
	for name, strict := range map[string]bool{"y": true, "z": true, "w": false} {
		var ref *Ref
		for _, g := range m.Globals() {
			if m.Tree.Text(g.Ident) == name {
				ref = g
			}
		}
		if ref == nil || !ref.Write || m.StrictAt(ref.Ident) != strict {
			t.Errorf("%s: ref %+v, StrictAt want %v", name, ref, strict)
		}
	}
}
