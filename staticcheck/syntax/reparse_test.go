package syntax

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// edits are the kinds of change TestReparseMatchesParse makes: typing,
// deleting, pasting code, breaking and fixing the syntax.
var editTexts = []string{"x", "\n", "  ", "(", ")", "{", "}", "const a = new Map();\n", "bus.on('tick', () => res.write(req.id));\n", "/* ü 🙂 */", "'", "`${", "<div>{a}</div>"}

// TestReparseMatchesParse edits every rule fixture many times at random and
// checks that each incremental parse gives the tree a full parse of the
// same text gives, node for node.
func TestReparseMatchesParse(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "LK00*", "*.*s*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	for _, path := range files {
		lang, ok := LangOf(path)
		if !ok {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rp := NewReparser(lang)
		for step := range 40 {
			if step > 0 {
				src = randomEdit(r, src)
			}
			got, err := rp.Parse(ctx, src)
			if err != nil {
				t.Fatalf("%s step %d: %v", path, step, err)
			}
			want, err := Parse(ctx, lang, src)
			if err != nil {
				t.Fatal(err)
			}
			if d := treeDiff(got, want); d != "" {
				t.Fatalf("%s step %d: the incremental tree differs from a full parse: %s\ntext:\n%s", path, step, d, src)
			}
		}
		rp.Close()
	}
}

// TestReparseValidEdits makes edits that keep a file valid — top-level
// statements added, removed and changed, text typed at their boundaries —
// so that the unchanged top-level code is copied from the previous tree,
// and checks each result against a full parse, in JavaScript and
// TypeScript.
func TestReparseValidEdits(t *testing.T) {
	units := []string{
		"const cache = new Map();\n",
		"export function handle(req, res) {\n  cache.set(req.id, { body: req.body, n: 1 });\n  bus.on('tick', (t) => res.write(String(t)));\n}\n",
		"class Store {\n  items = [];\n  add(x) { this.items.push(x); }\n}\n",
		"setInterval(() => poll(1), 1000);\n",
		"// a comment\n",
		"\n",
	}
	edits := []func(r *rand.Rand, parts []string) []string{
		func(r *rand.Rand, parts []string) []string { // add a statement
			return slices.Insert(parts, r.IntN(len(parts)+1), units[r.IntN(len(units))])
		},
		func(r *rand.Rand, parts []string) []string { // remove one
			if len(parts) < 2 {
				return parts
			}
			i := r.IntN(len(parts))
			return slices.Delete(parts, i, i+1)
		},
		func(r *rand.Rand, parts []string) []string { // change a literal inside one
			i := r.IntN(len(parts))
			parts[i] = strings.Replace(parts[i], "1", fmt.Sprint(r.IntN(100)), 1)
			return parts
		},
		func(r *rand.Rand, parts []string) []string { // type at its end
			i := r.IntN(len(parts))
			parts[i] = strings.TrimSuffix(parts[i], "\n") + " x;\n"
			return parts
		},
	}
	ctx := context.Background()
	for _, lang := range []Lang{JavaScript, TypeScript} {
		r := rand.New(rand.NewPCG(3, uint64(lang)))
		var parts []string
		for range 30 {
			parts = append(parts, units[r.IntN(len(units))])
		}
		rp := NewReparser(lang)
		for step := range 300 {
			if step > 0 {
				parts = edits[r.IntN(len(edits))](r, parts)
			}
			src := []byte(strings.Join(parts, ""))
			got, err := rp.Parse(ctx, src)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := Parse(ctx, lang, src)
			if want.HasError {
				t.Fatalf("step %d: the edits broke the text:\n%s", step, src)
			}
			if d := treeDiff(got, want); d != "" {
				t.Fatalf("%v step %d: the incremental tree differs from a full parse: %s\ntext:\n%s", lang, step, d, src)
			}
		}
		rp.Close()
	}
}

// randomEdit inserts, deletes or replaces a random span of src.
func randomEdit(r *rand.Rand, src []byte) []byte {
	at := r.IntN(len(src) + 1)
	end := min(len(src), at+r.IntN(12))
	if r.IntN(3) == 0 {
		end = at // insert only
	}
	text := ""
	if r.IntN(4) != 0 {
		text = editTexts[r.IntN(len(editTexts))]
	}
	return slices.Concat(src[:at], []byte(text), src[end:])
}

// treeDiff describes the first difference between two trees, or "".
func treeDiff(a, b *Tree) string {
	if a.HasError != b.HasError {
		return fmt.Sprintf("HasError %v, want %v", a.HasError, b.HasError)
	}
	for i := range min(len(a.nodes), len(b.nodes)) {
		if a.nodes[i] != b.nodes[i] {
			return fmt.Sprintf("node %d is %s %+v, want %s %+v", i, a.Kind(Node(i)), a.nodes[i], b.Kind(Node(i)), b.nodes[i])
		}
	}
	if len(a.nodes) != len(b.nodes) {
		return fmt.Sprintf("%d nodes, want %d", len(a.nodes), len(b.nodes))
	}
	return ""
}

// TestReparseKeepsTreeOnFailure checks that a cancelled parse leaves the
// Reparser usable: the next parse still matches a full parse.
func TestReparseKeepsTreeOnFailure(t *testing.T) {
	src := []byte("const bus = new EventEmitter();\nfunction f(req) { bus.on('x', () => req); }\n")
	rp := NewReparser(JavaScript)
	defer rp.Close()
	if _, err := rp.Parse(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := rp.Parse(ctx, append([]byte("let x;\n"), src...)); err == nil {
		t.Fatal("a cancelled parse succeeded")
	}
	next := append(slices.Clone(src), "f(1);\n"...)
	got, err := rp.Parse(context.Background(), next)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Parse(context.Background(), JavaScript, next)
	if d := treeDiff(got, want); d != "" {
		t.Error(d)
	}
}

// TestReparseMemoryFlat edits and reparses one file 6,000 times — valid
// and broken texts, cancelled parses, the Reparser closed and reused now
// and then — and requires the resident set to stay flat: every kept tree
// and every edited copy is freed.
func TestReparseMemoryFlat(t *testing.T) {
	base := strings.Repeat("export function handler(req, res) {\n  bus.on('tick', (t) => res.write(String(t)));\n}\n", 50)
	rp := NewReparser(JavaScript)
	defer rp.Close()
	cancelled, stop := context.WithCancel(context.Background())
	stop()
	parse := func(i int) {
		edit := strings.Repeat(" ", i%7)
		if i%10 == 0 {
			edit = "((" // broken text: parsed in full after the incremental try
		}
		src := []byte(base[:len(base)/2] + edit + base[len(base)/2:])
		if i%500 == 0 {
			rp.Close()
		}
		if i%5 == 0 {
			if _, err := rp.Parse(cancelled, src); err == nil {
				t.Fatal("a cancelled parse succeeded")
			}
			return
		}
		if _, err := rp.Parse(context.Background(), src); err != nil {
			t.Fatal(err)
		}
	}
	rssFlat(t, parse, 1000, 6000, "reparses", "kept trees are leaking")
}

// benchSource is a 5,000-line JavaScript file of request handlers.
func benchSource() []byte {
	var b strings.Builder
	for i := 0; b.Len() == 0 || strings.Count(b.String(), "\n") < 5000; i++ {
		fmt.Fprintf(&b, "const cache%d = new Map();\nexport function handle%d(req, res) {\n  cache%d.set(req.id, { body: req.body, at: Date.now() });\n  bus.on('tick', (t) => res.write(String(t) + %d));\n}\n", i, i, i, i)
	}
	return []byte(b.String())
}

// BenchmarkReparse measures an edit of a 5,000-line file as an editor
// makes it (a line inserted, then removed, at the top, which moves every
// node), parsed incrementally; BenchmarkReparseFull parses the same texts
// in full, for comparison.
func BenchmarkReparse(b *testing.B) {
	benchEdits(b, func(rp *Reparser, src []byte) (*Tree, error) { return rp.Parse(context.Background(), src) })
}

func BenchmarkReparseFull(b *testing.B) {
	benchEdits(b, func(_ *Reparser, src []byte) (*Tree, error) { return Parse(context.Background(), JavaScript, src) })
}

func benchEdits(b *testing.B, parse func(*Reparser, []byte) (*Tree, error)) {
	src := benchSource()
	edited := append([]byte("// a comment\n"), src...)
	rp := NewReparser(JavaScript)
	defer rp.Close()
	if _, err := parse(rp, src); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		text := src
		if i++; i%2 == 1 {
			text = edited
		}
		if _, err := parse(rp, text); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzReparse parses a text, then an edited text, incrementally, and
// requires the tree a full parse of the edited text gives. The input is
// the first text; the edit replaces the bytes [at, at+del) with ins.
func FuzzReparse(f *testing.F) {
	f.Add([]byte("const a = new Map();\nfunction f(req) { a.set(req.id, req); }\n"), uint16(20), uint16(0), []byte("\n"), uint8(0))
	f.Add([]byte("class A { x = 1; m() { return `${this.x}`; } }\n"), uint16(10), uint16(5), []byte("y = 2; "), uint8(1))
	f.Add([]byte("const el = <div>{a}</div>;\n"), uint16(12), uint16(3), []byte("span"), uint8(2))
	f.Fuzz(func(t *testing.T, text []byte, at, del uint16, ins []byte, lang uint8) {
		l := Lang(int(lang)%3) + JavaScript
		if len(text) > 4096 || len(ins) > 256 {
			return
		}
		start := min(int(at), len(text))
		end := min(start+int(del), len(text))
		edited := slices.Concat(text[:start], ins, text[end:])
		ctx := context.Background()
		rp := NewReparser(l)
		defer rp.Close()
		if _, err := rp.Parse(ctx, text); err != nil {
			return // a text the parser gives up on (ErrTooComplex)
		}
		got, gotErr := rp.Parse(ctx, edited)
		want, wantErr := Parse(ctx, l, edited)
		if (gotErr != nil) != (wantErr != nil) {
			t.Fatalf("incremental parse error %v, full parse error %v", gotErr, wantErr)
		}
		if gotErr == nil {
			if d := treeDiff(got, want); d != "" {
				t.Fatalf("%s\nold: %q\nnew: %q", d, text, edited)
			}
		}
	})
}
