// Package column converts columns within a line of UTF-8 text between
// bytes and UTF-16 code units: V8, source maps, SARIF and the LSP (by
// default) count UTF-16 code units, while leakls keeps byte offsets.
//
// Bytes that are not valid UTF-8 count as one code unit each, as they
// decode to U+FFFD.
package column

import (
	"sort"
	"unicode/utf8"
)

// UTF16 returns the length of the UTF-8 text s in UTF-16 code units.
func UTF16[T ~string | ~[]byte](s T) int {
	n := 0
	for i := 0; i < len(s); {
		r, size := decode(s, i)
		n += width(r)
		i += size
	}
	return n
}

// Byte returns the byte offset in line of the UTF-16 column units. A
// column in the middle of a character (between the two halves of a
// surrogate pair) resolves to the start of that character. A column past
// the end of line gives len(line) and false.
func Byte[T ~string | ~[]byte](line T, units int) (int, bool) {
	n := 0
	for i := 0; i < len(line); {
		r, size := decode(line, i)
		w := width(r)
		if n+w > units {
			return i, true
		}
		n += w
		i += size
	}
	return len(line), n == units
}

// decode decodes the rune of s starting at byte i.
func decode[T ~string | ~[]byte](s T, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
}

// width is the number of UTF-16 code units of r: 2 beyond the basic
// multilingual plane, else 1.
func width(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// Index holds a text's line starts and its multi-byte characters, built
// once, so that converting a byte offset to a line and a column costs a
// binary search however long the line is (a minified bundle is one line of
// megabytes, with thousands of positions to convert). Lines end at '\n'.
type Index struct {
	lines []int      // offset where each line starts
	wide  []wideRune // the valid multi-byte characters, in order
}

// wideRune is a multi-byte character: its byte range, and how many bytes
// exceed the UTF-16 code units (ex16) and the characters (ex32) of it and
// of every multi-byte character before it.
type wideRune struct{ start, end, ex16, ex32 int }

// NewIndex indexes text.
func NewIndex[T ~string | ~[]byte](text T) *Index {
	ix := &Index{lines: []int{0}}
	var ex16, ex32 int
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if c == '\n' {
				ix.lines = append(ix.lines, i+1)
			}
			i++
			continue
		}
		r, size := decode(text, i)
		if size > 1 { // a valid multi-byte character
			ex16 += size - width(r)
			ex32 += size - 1
			ix.wide = append(ix.wide, wideRune{start: i, end: i + size, ex16: ex16, ex32: ex32})
		}
		i += size
	}
	return ix
}

// Lines returns the number of lines (one more than the '\n's).
func (ix *Index) Lines() int { return len(ix.lines) }

// LineStart returns the byte offset where line starts; line must be in
// [0, Lines()).
func (ix *Index) LineStart(line int) int { return ix.lines[line] }

// Line returns the 0-based line of byte offset off (0 for a negative one).
func (ix *Index) Line(off int) int {
	return max(sort.Search(len(ix.lines), func(i int) bool { return ix.lines[i] > off })-1, 0)
}

// UTF16 returns the length in UTF-16 code units of the text's bytes
// [from, to). The bytes of a character the range cuts count one unit each.
func (ix *Index) UTF16(from, to int) int {
	return to - from - ix.excess(from, to, func(w wideRune) int { return w.ex16 })
}

// Chars returns the number of characters (Unicode code points) of the
// text's bytes [from, to), counted as UTF16 counts units.
func (ix *Index) Chars(from, to int) int {
	return to - from - ix.excess(from, to, func(w wideRune) int { return w.ex32 })
}

// excess sums, over the multi-byte characters wholly inside [from, to),
// the bytes in excess of what ex counts.
func (ix *Index) excess(from, to int, ex func(wideRune) int) int {
	lo := sort.Search(len(ix.wide), func(i int) bool { return ix.wide[i].start >= from })
	hi := sort.Search(len(ix.wide), func(i int) bool { return ix.wide[i].end > to })
	if hi <= lo {
		return 0
	}
	n := ex(ix.wide[hi-1])
	if lo > 0 {
		n -= ex(ix.wide[lo-1])
	}
	return n
}
