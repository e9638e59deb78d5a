package report

import (
	"sort"
	"unicode/utf8"

	"github.com/leakls/leakls/finding"
)

// sourceText is a file's text indexed once for position conversions, so
// that each conversion is a binary search however long its line: a
// minified bundle is one line of megabytes with thousands of fix edits.
type sourceText struct {
	src   []byte
	lines []int // offset where each line starts
	// wide are the valid multi-byte runes, in order: they take fewer
	// UTF-16 code units than bytes.
	wide []wideRune
}

// wideRune is one multi-byte rune: its byte range, and the bytes in excess
// of UTF-16 code units of it and every wide rune before it.
type wideRune struct{ start, end, excess int }

func newSourceText(src []byte) *sourceText {
	t := &sourceText{src: src, lines: []int{0}}
	excess := 0
	for i := 0; i < len(src); {
		if src[i] < utf8.RuneSelf {
			if src[i] == '\n' {
				t.lines = append(t.lines, i+1)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		units := 1
		if r >= 0x10000 {
			units = 2 // a surrogate pair
		}
		if size > units {
			excess += size - units
			t.wide = append(t.wide, wideRune{start: i, end: i + size, excess: excess})
		}
		i += size
	}
	return t
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
	end := start + pos.Col
	// The wide runes wholly inside [start, end) are wide[from:to].
	from := sort.Search(len(t.wide), func(i int) bool { return t.wide[i].start >= start })
	to := sort.Search(len(t.wide), func(i int) bool { return t.wide[i].end > end })
	if to <= from {
		return pos.Col
	}
	excess := t.wide[to-1].excess
	if from > 0 {
		excess -= t.wide[from-1].excess
	}
	return pos.Col - excess
}

// lineStart returns the byte offset of the start of pos's line, or -1.
func (t *sourceText) lineStart(pos finding.Pos) int {
	if pos.Offset >= 0 && pos.Offset-pos.Col >= 0 && pos.Offset <= len(t.src) {
		return pos.Offset - pos.Col
	}
	if pos.Line >= len(t.lines) {
		return -1
	}
	return t.lines[max(pos.Line, 0)]
}

// pos returns the 0-based line and byte column of byte offset off (at
// most the end of the text).
func (t *sourceText) pos(off int) finding.Pos {
	off = min(off, len(t.src))
	if off < 0 {
		return finding.Pos{Offset: off}
	}
	line := sort.Search(len(t.lines), func(i int) bool { return t.lines[i] > off }) - 1
	return finding.Pos{Offset: off, Line: line, Col: off - t.lines[line]}
}
