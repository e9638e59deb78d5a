package syntax

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// cursorWalk is the reference for flatten: the same preorder walk through
// go-tree-sitter's public API, one cgo call at a time.
func cursorWalk(st *sitter.Tree, hasError bool) []node {
	c := st.Walk()
	defer c.Close()
	var nodes []node
	add := func(parent int32) int32 {
		n := c.Node()
		nd := node{start: uint32(n.StartByte()), end: uint32(n.EndByte()), parent: parent, kind: n.KindId(), field: c.FieldId()}
		if hasError && n.IsMissing() {
			nd.flags = flagMissing
		}
		nodes = append(nodes, nd)
		return int32(len(nodes) - 1)
	}
	cur := add(-1)
	for {
		if c.GotoFirstChild() {
			cur = add(cur)
			continue
		}
		for {
			nodes[cur].last = int32(len(nodes))
			if c.GotoNextSibling() {
				cur = add(nodes[cur].parent)
				break
			}
			if !c.GotoParent() {
				return nodes
			}
			cur = nodes[cur].parent
		}
	}
}

func TestFlattenMatchesCursorWalk(t *testing.T) {
	inputs := map[string][]byte{
		"broken.js":  []byte("function f( { if (x) { a.on('x', () => {) } }\nconst = ;\n`${"),
		"missing.ts": []byte("let x: number = (1 + ;\nclass C { m() { return <T>(y as any }"),
		"empty.js":   nil,
		"jsx.tsx":    []byte("export const A = () => <div a={1}>{b}<B/></div>;"),
	}
	err := filepath.WalkDir("../testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if _, ok := LangOf(p); ok {
			src, err := os.ReadFile(p)
			inputs[p] = src
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for path, src := range inputs {
		lang, _ := LangOf(path)
		p := sitter.NewParser()
		if err := p.SetLanguage(grammarOf(lang).lang); err != nil {
			t.Fatal(err)
		}
		st := p.Parse(src, nil)
		hasError := st.RootNode().HasError()
		want := cursorWalk(st, hasError)
		st.Close()
		p.Close()
		tr, err := Parse(context.Background(), lang, src)
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.nodes) != len(want) {
			t.Errorf("%s: %d nodes, the cursor walk has %d", path, len(tr.nodes), len(want))
			continue
		}
		for i := range want {
			if tr.nodes[i] != want[i] {
				t.Errorf("%s: node %d = %+v, the cursor walk has %+v", path, i, tr.nodes[i], want[i])
				break
			}
		}
	}
}
