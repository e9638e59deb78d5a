package syntax

import (
	"bytes"
	"context"
	"sync"

	"github.com/leakls/leakls/internal/affix"
)

// A Reparser parses successive versions of one file, each time reusing
// the parts of the previous version's tree that the edit did not touch:
// on a 5,000-line file, retyping a line costs a fraction of a full parse
// (BenchmarkReparse). It is what an editor's open document needs; one-off
// parses use Parse.
//
// A Reparser keeps the previous version's tree in C memory until Close.
// It is safe for concurrent use; its parses run one at a time.
type Reparser struct {
	lang Lang

	mu   sync.Mutex
	old  ctree  // the tree of src; nil before the first parse and after Close
	src  []byte // the text old was parsed from (a copy)
	prev []node // the flat nodes of old (shared with the Tree returned for it, which never changes them)
}

// NewReparser returns a Reparser for files of lang.
func NewReparser(lang Lang) *Reparser { return &Reparser{lang: lang} }

// Lang returns the grammar the Reparser parses with.
func (r *Reparser) Lang() Lang { return r.lang }

// Parse parses src as Parse does, reusing the tree of the text the last
// successful call parsed. The edit between the two texts is found by
// comparing them (their common prefix and suffix), so callers need not
// track edits. The result is the tree a full Parse gives: a text with
// syntax errors is parsed in full. A failed or cancelled parse keeps the
// previous tree for the next call.
func (r *Reparser) Parse(ctx context.Context, src []byte) (*Tree, error) {
	if err := checkInput(r.lang, src); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	t := &Tree{Src: src, Lang: r.lang, g: grammarOf(r.lang)}
	var ct ctree
	if r.old != nil {
		e := diffEdit(r.src, src)
		old := editedCopy(r.old, e)
		defer deleteTree(old)
		var err error
		if ct, err = t.parseOnly(ctx, t.g, old); err != nil {
			return nil, err
		}
		if hasError(ct) {
			// Error recovery that starts from an old tree may place ERROR
			// nodes differently from a full parse of the same text, and
			// findings must depend on the text alone: parse broken text
			// in full.
			deleteTree(ct)
			ct = nil
		} else {
			t.flattenReusing(ct, old, r.prev, e)
		}
	}
	if ct == nil {
		var err error
		if ct, err = t.parseWith(ctx, t.g, nil); err != nil {
			return nil, err
		}
	}
	if r.old != nil {
		deleteTree(r.old)
	}
	r.old, r.src, r.prev = ct, bytes.Clone(src), t.nodes
	t.lines = lineStarts(src)
	return t, nil
}

// Close frees the kept tree. The Reparser can be used again: its next
// parse is a full one.
func (r *Reparser) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.old != nil {
		deleteTree(r.old)
		r.old, r.src, r.prev = nil, nil, nil
	}
}

// edit is a change of a text as tree-sitter takes it: the bytes from start
// to oldEnd were replaced by those from start to newEnd.
type edit struct{ start, oldEnd, newEnd point }

// point is a byte offset with its row and byte column.
type point struct{ off, row, col int }

// diffEdit describes the change from old to src as one edit: the bytes
// between their common prefix and their common suffix were replaced.
func diffEdit(old, src []byte) edit {
	start, suffix := affix.Common(old, src)
	return edit{
		start:  pointAt(src, start),
		oldEnd: pointAt(old, len(old)-suffix),
		newEnd: pointAt(src, len(src)-suffix),
	}
}

// pointAt returns the point of byte offset off of text.
func pointAt(text []byte, off int) point {
	return point{
		off: off,
		row: bytes.Count(text[:off], []byte{'\n'}),
		col: off - (bytes.LastIndexByte(text[:off], '\n') + 1),
	}
}
