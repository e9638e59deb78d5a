package syntax

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func mustParse(t testing.TB, lang Lang, src string) *Tree {
	t.Helper()
	tr, err := Parse(context.Background(), lang, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestLangOf(t *testing.T) {
	for path, want := range map[string]Lang{
		"a.js": JavaScript, "a.mjs": JavaScript, "a.cjs": JavaScript, "a.jsx": JavaScript,
		"a.ts": TypeScript, "a.mts": TypeScript, "a.cts": TypeScript, "x/a.d.ts": TypeScript,
		"a.tsx": TSX, "A.JS": JavaScript,
	} {
		got, ok := LangOf(path)
		if !ok || got != want {
			t.Errorf("LangOf(%q) = %v, %v; want %v", path, got, ok, want)
		}
	}
	for _, path := range []string{"a.json", "a", "a.js.map", "Makefile"} {
		if _, ok := LangOf(path); ok {
			t.Errorf("LangOf(%q) ok; want not ok", path)
		}
	}
}

func TestTreeShape(t *testing.T) {
	src := "const a = f(b, (c) => c + 1);\n// note\nlet é = 'ü'; x.on('y', z)\n"
	tr := mustParse(t, JavaScript, src)
	want := "(program (lexical_declaration (variable_declarator name: (identifier) value: (call_expression function: (identifier) arguments: (arguments (identifier) (arrow_function parameters: (formal_parameters (identifier)) body: (binary_expression left: (identifier) right: (number))))))) (comment) (lexical_declaration (variable_declarator name: (identifier) value: (string (string_fragment)))) (expression_statement (call_expression function: (member_expression object: (identifier) property: (property_identifier)) arguments: (arguments (string (string_fragment)) (identifier)))))"
	if got := tr.Sexp(tr.Root()); got != want {
		t.Fatalf("Sexp:\n got %s\nwant %s", got, want)
	}
	if tr.HasError {
		t.Fatal("HasError on valid source")
	}
	// Navigation agrees with the preorder layout.
	for n := Node(1); n < Node(tr.Len()); n++ {
		p := tr.Parent(n)
		if !tr.Contains(p, n) || tr.Start(p) > tr.Start(n) || tr.EndByte(n) > tr.EndByte(p) {
			t.Fatalf("node %d (%s) not inside its parent %d", n, tr.Kind(n), p)
		}
	}
	call := tr.NodeAt(strings.Index(src, "x.on"))
	for call != None && tr.Kind(call) != "call_expression" {
		call = tr.Parent(call)
	}
	if call == None || tr.Text(tr.ChildByField(call, "function")) != "x.on" {
		t.Fatalf("NodeAt/Parent did not reach x.on(...)")
	}
	pos := tr.Pos(strings.Index(src, "x.on"))
	if pos.Line != 2 || pos.Col != len("let é = 'ü'; ") {
		t.Errorf("Pos = %+v; want line 2, byte column %d", pos, len("let é = 'ü'; "))
	}
	if off := tr.Offset(pos.Line, pos.Col); off != pos.Offset {
		t.Errorf("Offset(%d,%d) = %d; want %d", pos.Line, pos.Col, off, pos.Offset)
	}
}

func TestUnparen(t *testing.T) {
	tr := mustParse(t, TypeScript, "((<any>( /* a note */ a as B)!) satisfies C);")
	stmt := tr.FirstChild(tr.Root())
	e := tr.FirstChild(stmt)
	if got := tr.Text(tr.Unparen(e)); got != "a" {
		t.Errorf("Unparen = %q; want a", got)
	}
}

func TestErrorTolerant(t *testing.T) {
	src := "function ok() { bus.on('x', h) }\nfunction broken( { \nconst y = 2;\n"
	tr := mustParse(t, JavaScript, src)
	if !tr.HasError || len(tr.ErrorNodes()) == 0 {
		t.Fatal("want syntax errors reported")
	}
	if !strings.Contains(tr.Sexp(tr.Root()), "(function_declaration name: (identifier)") {
		t.Errorf("the valid function is missing from the tree: %s", tr.Sexp(tr.Root()))
	}
}

func TestDeepNesting(t *testing.T) {
	const depth = 50000
	src := "x = " + strings.Repeat("(", depth) + "1" + strings.Repeat(")", depth) + ";\n" +
		"y = " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + ";\n"
	tr := mustParse(t, JavaScript, src)
	depths := make([]int, tr.Len())
	deepest := 0
	for n := Node(1); n < Node(tr.Len()); n++ {
		depths[n] = depths[tr.Parent(n)] + 1 // parents precede children
		deepest = max(deepest, depths[n])
	}
	if deepest < depth {
		t.Errorf("deepest path %d; want ≥ %d", deepest, depth)
	}
	_ = tr.Sexp(tr.Root()) // iterative: must not overflow the stack
}

func TestTooLarge(t *testing.T) {
	_, err := Parse(context.Background(), JavaScript, make([]byte, MaxFileSize+1))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v; want ErrTooLarge", err)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Parse(ctx, JavaScript, []byte("a(b);")); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: err = %v; want context.Canceled", err)
	}
	// Cancelled while parsing a large file.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	go func() {
		time.Sleep(5 * time.Millisecond)
		cancel()
	}()
	_, err := Parse(ctx, JavaScript, []byte(strings.Repeat("a(b, function () { return [c, {d: e}] });\n", 200000)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled during: err = %v; want context.Canceled", err)
	}
}

func TestNoneIsSafe(t *testing.T) {
	tr := mustParse(t, JavaScript, "a.b(c)")
	if tr.Kind(None) != "" || tr.Text(None) != "" || tr.Field(None) != "" || tr.IsNamed(None) {
		t.Error("accessors of None must answer nothing")
	}
	if tr.Parent(None) != None || tr.FirstChild(None) != None || tr.NextSibling(None) != None ||
		tr.ChildByField(None, "name") != None || tr.Contains(None, 0) || tr.Contains(0, None) {
		t.Error("navigation from None must answer None/false")
	}
	if got := tr.Text(tr.ChildByField(tr.ChildByField(tr.Root(), "nothing"), "name")); got != "" {
		t.Errorf("chained missing fields = %q", got)
	}
}

func TestParseBudget(t *testing.T) {
	// Found by fuzzing: TSX error recovery on these 69 bytes ran for minutes.
	src := []byte("/\nexports.seen=new Set();exports.queue=[;e.s.s=[r){module.s.s.h(r.e;t")
	if _, err := Parse(context.Background(), TSX, src); !errors.Is(err, ErrTooComplex) {
		t.Fatalf("err = %v; want ErrTooComplex", err)
	}
	// The same text as JavaScript parses normally.
	if _, err := Parse(context.Background(), JavaScript, src); err != nil {
		t.Fatalf("as JavaScript: %v", err)
	}
}
