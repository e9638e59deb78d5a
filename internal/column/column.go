// Package column converts columns within a line of UTF-8 text between
// bytes and UTF-16 code units: V8, source maps, SARIF and the LSP (by
// default) count UTF-16 code units, while leakls keeps byte offsets.
//
// Bytes that are not valid UTF-8 count as one code unit each, as they
// decode to U+FFFD.
package column

import "unicode/utf8"

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
