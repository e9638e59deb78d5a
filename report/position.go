package report

import (
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/column"
)

// sourceText is a file's text indexed once for position conversions, so
// that each conversion is a binary search however long its line: a
// minified bundle is one line of megabytes with thousands of fix edits.
type sourceText struct {
	src []byte
	ix  *column.Index
}

func newSourceText(src []byte) *sourceText {
	return &sourceText{src: src, ix: column.NewIndex(src)}
}

// utf16Col converts the 0-based byte column of pos to a 0-based column in
// UTF-16 code units. Bytes that are not valid UTF-8 count as one unit each
// (they decode to U+FFFD), and so do the bytes of a rune cut by the
// position. Without the text (t nil), or when the position does not fit
// it, the byte column is returned.
func (t *sourceText) utf16Col(pos finding.Pos) int {
	if t == nil {
		return pos.Col
	}
	start := t.lineStart(pos)
	if start < 0 || start+pos.Col > len(t.src) {
		return pos.Col
	}
	return t.ix.UTF16(start, start+pos.Col)
}

// lineStart returns the byte offset of the start of pos's line, or -1.
func (t *sourceText) lineStart(pos finding.Pos) int {
	if pos.Offset >= 0 && pos.Offset-pos.Col >= 0 && pos.Offset <= len(t.src) {
		return pos.Offset - pos.Col
	}
	if pos.Line >= t.ix.Lines() {
		return -1
	}
	return t.ix.LineStart(max(pos.Line, 0))
}

// pos returns the 0-based line and byte column of byte offset off (at
// most the end of the text).
func (t *sourceText) pos(off int) finding.Pos {
	off = min(off, len(t.src))
	if off < 0 {
		return finding.Pos{Offset: off}
	}
	line := t.ix.Line(off)
	return finding.Pos{Offset: off, Line: line, Col: off - t.ix.LineStart(line)}
}
