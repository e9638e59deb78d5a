// Package syntax parses JavaScript and TypeScript with tree-sitter into a
// flat, immutable, pure-Go syntax tree.
//
// Parsing converts the tree-sitter tree into a preorder array of nodes and
// closes every tree-sitter object (parser, tree, cursor) before returning, so
// a Tree holds no C memory, needs no Close, is safe for concurrent readers and
// can be kept as long as it is useful. The preorder layout makes every walk a
// loop over an index range: the descendants of node n are exactly the nodes
// n+1 … End(n)-1, so no walker in leakls needs recursion, however deep the
// source nests.
//
// Positions are byte offsets; lines and byte columns are computed on demand
// from a table of line starts.
package syntax

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unsafe"

	sitter "github.com/tree-sitter/go-tree-sitter"
	tsjs "github.com/tree-sitter/tree-sitter-javascript/bindings/go"
	tsts "github.com/tree-sitter/tree-sitter-typescript/bindings/go"

	"github.com/leakls/leakls/finding"
)

// Lang is the grammar a file is parsed with.
type Lang uint8

// The grammars leakls parses. The zero Lang is not a valid grammar.
const (
	JavaScript Lang = iota + 1 // .js .mjs .cjs .jsx
	TypeScript                 // .ts .mts .cts
	TSX                        // .tsx
)

// String returns "javascript", "typescript" or "tsx".
func (l Lang) String() string {
	switch l {
	case JavaScript:
		return "javascript"
	case TypeScript:
		return "typescript"
	case TSX:
		return "tsx"
	}
	return fmt.Sprintf("Lang(%d)", uint8(l))
}

// LangOf reports which grammar parses the file at path, judged by its
// extension (case-insensitive). Declaration files (.d.ts) are TypeScript.
// ok is false for any other extension.
func LangOf(path string) (lang Lang, ok bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".js", ".mjs", ".cjs", ".jsx":
		return JavaScript, true
	case ".ts", ".mts", ".cts":
		return TypeScript, true
	case ".tsx":
		return TSX, true
	}
	return 0, false
}

// MaxFileSize is the largest source text Parse accepts. Larger files are
// almost always generated bundles; leakls refuses them with an error rather
// than spending seconds and hundreds of megabytes on them.
const MaxFileSize = 16 << 20

// ErrTooLarge is returned (wrapped) by Parse for sources over MaxFileSize.
var ErrTooLarge = errors.New("file too large to analyse")

// grammar is the per-language data shared by every tree of that language.
type grammar struct {
	ptr    unsafe.Pointer // the C TSLanguage
	lang   *sitter.Language
	kinds  []string // node kind by kind id
	named  []bool   // whether a kind id is a named node
	fields []string // field name by field id (0 = no field)
}

var (
	grammarOnce [4]sync.Once
	grammars    [4]*grammar
)

func grammarOf(l Lang) *grammar {
	grammarOnce[l].Do(func() {
		var ptr unsafe.Pointer
		switch l {
		case JavaScript:
			ptr = tsjs.Language()
		case TypeScript:
			ptr = tsts.LanguageTypescript()
		case TSX:
			ptr = tsts.LanguageTSX()
		}
		sl := sitter.NewLanguage(ptr)
		g := &grammar{ptr: ptr, lang: sl}
		nk := sl.NodeKindCount()
		g.kinds = make([]string, nk)
		g.named = make([]bool, nk)
		for i := range nk {
			g.kinds[i] = sl.NodeKindForId(uint16(i))
			g.named[i] = sl.NodeKindIsNamed(uint16(i))
		}
		nf := sl.FieldCount()
		g.fields = make([]string, nf+1)
		for i := uint32(1); i <= nf; i++ {
			g.fields[i] = sl.FieldNameForId(uint16(i))
		}
		grammars[l] = g
	})
	return grammars[l]
}

// Node identifies a node of a Tree by its preorder index. The root is 0.
// The navigation and text accessors accept None and answer "nothing"
// (None, "", false), so that chains like t.Text(t.ChildByField(n, "name"))
// are safe on incomplete code. Positions (Start, EndByte, End, Range) need
// a real node.
type Node int32

// None is the absent node (no parent, no such child).
const None Node = -1

// errorKind is the kind id tree-sitter gives ERROR nodes.
const errorKind = 0xFFFF

const (
	flagMissing uint8 = 1 << iota
)

// node is one syntax node in preorder: 24 bytes, since trees of large
// files hold millions of them. Its layout is shared with C (flatten.go).
type node struct {
	start, end uint32 // byte range
	parent     int32
	last       int32 // one past the last descendant's index
	kind       uint16
	field      uint16 // field id of this node in its parent, 0 if none
	flags      uint8
}

// Tree is a parsed source file.
type Tree struct {
	// Src is the source text. The Tree keeps a reference; do not modify it.
	Src []byte
	// Lang is the grammar that parsed Src.
	Lang Lang
	// HasError reports whether the tree contains ERROR or MISSING nodes,
	// that is whether Src has syntax errors. The valid parts are still
	// fully represented.
	HasError bool

	g     *grammar
	nodes []node
	lines []uint32 // byte offset where each line starts
}

// Parse parses src with the grammar of lang. It never fails on syntax
// errors (the tree then has ERROR nodes and HasError); it fails only on a
// cancelled ctx, an invalid lang, a source larger than MaxFileSize
// (ErrTooLarge), or a text on which error recovery runs away
// (ErrTooComplex).
func Parse(ctx context.Context, lang Lang, src []byte) (*Tree, error) {
	if err := checkInput(lang, src); err != nil {
		return nil, err
	}
	t := &Tree{Src: src, Lang: lang, g: grammarOf(lang)}
	if err := t.parseC(ctx, t.g); err != nil {
		return nil, err
	}
	t.lines = lineStarts(src)
	return t, nil
}

// checkInput refuses what Parse cannot parse: an invalid lang, a source
// larger than MaxFileSize.
func checkInput(lang Lang, src []byte) error {
	if lang < JavaScript || lang > TSX {
		return fmt.Errorf("invalid language %d", lang)
	}
	if len(src) > MaxFileSize {
		return fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(src), MaxFileSize)
	}
	return nil
}

func lineStarts(src []byte) []uint32 {
	n := 1
	for _, b := range src {
		if b == '\n' {
			n++
		}
	}
	lines := make([]uint32, 1, n)
	for i, b := range src {
		if b == '\n' {
			lines = append(lines, uint32(i+1))
		}
	}
	return lines
}

// Root returns the root node (kind "program").
func (t *Tree) Root() Node { return 0 }

// Len returns the number of nodes in the tree.
func (t *Tree) Len() int { return len(t.nodes) }

// Kind returns the grammar's name for n's kind ("call_expression",
// "identifier", "(" …). ERROR nodes have kind "ERROR".
func (t *Tree) Kind(n Node) string {
	if n < 0 {
		return ""
	}
	k := t.nodes[n].kind
	if k == errorKind {
		return "ERROR"
	}
	if int(k) < len(t.g.kinds) {
		return t.g.kinds[k]
	}
	return ""
}

// IsNamed reports whether n is a named node (not punctuation or a keyword).
func (t *Tree) IsNamed(n Node) bool {
	if n < 0 {
		return false
	}
	k := t.nodes[n].kind
	return k == errorKind || (int(k) < len(t.g.named) && t.g.named[k])
}

// IsMissing reports whether n is a MISSING node inserted by error recovery.
func (t *Tree) IsMissing(n Node) bool { return t.nodes[n].flags&flagMissing != 0 }

// Field returns the name of the field n occupies in its parent ("function",
// "arguments", …), or "" when it has none.
func (t *Tree) Field(n Node) string {
	if n < 0 {
		return ""
	}
	return t.g.fields[t.nodes[n].field]
}

// Parent returns n's parent, or None for the root.
func (t *Tree) Parent(n Node) Node {
	if n < 0 {
		return None
	}
	return Node(t.nodes[n].parent)
}

// End returns one past the index of n's last descendant: the subtree of n is
// the index range [n, End(n)).
func (t *Tree) End(n Node) Node { return Node(t.nodes[n].last) }

// FirstChild returns n's first child, or None.
func (t *Tree) FirstChild(n Node) Node {
	if n >= 0 && t.nodes[n].last > int32(n)+1 {
		return n + 1
	}
	return None
}

// NextSibling returns the node after n in its parent, or None.
func (t *Tree) NextSibling(n Node) Node {
	if n < 0 {
		return None
	}
	p := t.nodes[n].parent
	if p < 0 {
		return None
	}
	next := t.nodes[n].last
	if next < t.nodes[p].last {
		return Node(next)
	}
	return None
}

// Children returns n's children in order, named and anonymous.
func (t *Tree) Children(n Node) []Node {
	var out []Node
	for c := t.FirstChild(n); c != None; c = t.NextSibling(c) {
		out = append(out, c)
	}
	return out
}

// NamedChildren returns n's named children in order.
func (t *Tree) NamedChildren(n Node) []Node {
	var out []Node
	for c := t.FirstChild(n); c != None; c = t.NextSibling(c) {
		if t.IsNamed(c) {
			out = append(out, c)
		}
	}
	return out
}

// ChildByField returns n's first child in the named field, or None.
func (t *Tree) ChildByField(n Node, field string) Node {
	for c := t.FirstChild(n); c != None; c = t.NextSibling(c) {
		if t.Field(c) == field {
			return c
		}
	}
	return None
}

// FieldName returns the name node of a class field definition: its
// "property" child in JavaScript, its "name" child in TypeScript.
func (t *Tree) FieldName(field Node) Node {
	if name := t.ChildByField(field, "property"); name != None {
		return name
	}
	return t.ChildByField(field, "name")
}

// ChildOfKind returns n's first child of the given kind, or None.
func (t *Tree) ChildOfKind(n Node, kind string) Node {
	for c := t.FirstChild(n); c != None; c = t.NextSibling(c) {
		if t.Kind(c) == kind {
			return c
		}
	}
	return None
}

// Start returns the byte offset where n starts.
func (t *Tree) Start(n Node) int { return int(t.nodes[n].start) }

// EndByte returns the byte offset one past n's last byte.
func (t *Tree) EndByte(n Node) int { return int(t.nodes[n].end) }

// Text returns n's source text.
func (t *Tree) Text(n Node) string {
	if n < 0 {
		return ""
	}
	return string(t.Src[t.nodes[n].start:t.nodes[n].end])
}

// Contains reports whether a is b or an ancestor of b.
func (t *Tree) Contains(a, b Node) bool {
	return a >= 0 && b >= 0 && a <= b && b < Node(t.nodes[a].last)
}

// Pos converts a byte offset into a position (0-based line, byte column).
// Offsets outside the source are clamped.
func (t *Tree) Pos(offset int) finding.Pos {
	offset = max(0, min(offset, len(t.Src)))
	line := sort.Search(len(t.lines), func(i int) bool { return int(t.lines[i]) > offset }) - 1
	return finding.Pos{Offset: offset, Line: line, Col: offset - int(t.lines[line])}
}

// Offset converts a 0-based line and byte column into a byte offset,
// clamped to the line and the source.
func (t *Tree) Offset(line, col int) int {
	if line < 0 {
		return 0
	}
	if line >= len(t.lines) {
		return len(t.Src)
	}
	end := len(t.Src)
	if line+1 < len(t.lines) {
		end = int(t.lines[line+1]) - 1
	}
	return max(int(t.lines[line]), min(int(t.lines[line])+max(col, 0), end))
}

// LineStart returns the offset where the line holding offset starts.
// Offsets outside the source are clamped.
func (t *Tree) LineStart(offset int) int {
	p := t.Pos(offset)
	return p.Offset - p.Col
}

// LineEnd returns the offset where the line holding offset ends: its
// newline, or the end of the source. Offsets outside the source are
// clamped.
func (t *Tree) LineEnd(offset int) int {
	return t.Offset(t.Pos(offset).Line, len(t.Src))
}

// Indent returns the leading white space (spaces and tabs) of the line
// holding offset.
func (t *Tree) Indent(offset int) string {
	start := t.LineStart(offset)
	end := start
	for end < len(t.Src) && (t.Src[end] == ' ' || t.Src[end] == '\t') {
		end++
	}
	return string(t.Src[start:end])
}

// Range returns n's range.
func (t *Tree) Range(n Node) finding.Range {
	return finding.Range{Start: t.Pos(t.Start(n)), End: t.Pos(t.EndByte(n))}
}

// NodeAt returns the innermost named node whose range contains the byte
// offset (start ≤ offset < end), or the root.
func (t *Tree) NodeAt(offset int) Node {
	n := t.Root()
	for {
		next := None
		for c := t.FirstChild(n); c != None; c = t.NextSibling(c) {
			if t.Start(c) <= offset && offset < t.EndByte(c) && t.IsNamed(c) {
				next = c
				break
			}
		}
		if next == None {
			return n
		}
		n = next
	}
}

// Ancestor returns the nearest proper ancestor of n whose kind is one of
// kinds, or None.
func (t *Tree) Ancestor(n Node, kinds ...string) Node {
	for p := t.Parent(n); p != None; p = t.Parent(p) {
		k := t.Kind(p)
		for _, want := range kinds {
			if k == want {
				return p
			}
		}
	}
	return None
}

// Unparen strips parentheses, TypeScript non-null assertions, "as"/
// "satisfies" expressions and type assertions around an expression.
func (t *Tree) Unparen(n Node) Node {
	for n != None {
		switch t.Kind(n) {
		case "type_assertion": // <T>x: the expression comes last
			c := t.lastNamedChild(n)
			if c == None {
				return n
			}
			n = c
		case "parenthesized_expression", "non_null_expression", "as_expression",
			"satisfies_expression":
			// The expression is the first named child in all of these,
			// comments aside: return ( /* note */ x ).
			c := t.FirstChild(n)
			for c != None && (!t.IsNamed(c) || t.Kind(c) == "comment") {
				c = t.NextSibling(c)
			}
			if c == None {
				return n
			}
			n = c
		default:
			return n
		}
	}
	return n
}

// ErrorNodes returns the ERROR and MISSING nodes of the tree (empty when
// HasError is false).
func (t *Tree) ErrorNodes() []Node {
	if !t.HasError {
		return nil
	}
	var out []Node
	for i := range t.nodes {
		if t.nodes[i].kind == errorKind || t.nodes[i].flags&flagMissing != 0 {
			out = append(out, Node(i))
		}
	}
	return out
}

func (t *Tree) lastNamedChild(n Node) Node {
	last := None
	for c := t.FirstChild(n); c != None; c = t.NextSibling(c) {
		if t.IsNamed(c) {
			last = c
		}
	}
	return last
}

// Sexp renders the named nodes of n's subtree as an S-expression with field
// names, like tree-sitter's own ToSexp, for tests and debugging.
func (t *Tree) Sexp(n Node) string {
	var b strings.Builder
	depth := []Node{} // open ancestors, to close parentheses without recursion
	for i := n; i < t.End(n); i++ {
		for len(depth) > 0 && !t.Contains(depth[len(depth)-1], i) {
			b.WriteByte(')')
			depth = depth[:len(depth)-1]
		}
		if !t.IsNamed(i) && !t.IsMissing(i) {
			continue
		}
		if i != n {
			b.WriteByte(' ')
		}
		if f := t.Field(i); f != "" && i != n {
			b.WriteString(f + ": ")
		}
		b.WriteByte('(')
		if t.IsMissing(i) {
			b.WriteString("MISSING ")
		}
		b.WriteString(t.Kind(i))
		depth = append(depth, i)
	}
	for range depth {
		b.WriteByte(')')
	}
	return b.String()
}
