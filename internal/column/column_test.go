package column

import (
	"testing"
	"unicode/utf8"
)

func TestUTF16(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"é", 1},        // 2 bytes, 1 unit
		{"€", 1},        // 3 bytes, 1 unit
		{"😀", 2},        // 4 bytes, a surrogate pair
		{"a😀b", 4},      // mixed
		{"\xff\xfe", 2}, // invalid bytes: one unit each
		{"\xf0\x9f", 2}, // a truncated 4-byte sequence: two invalid bytes
	} {
		if got := UTF16(tc.s); got != tc.want {
			t.Errorf("UTF16(%q) = %d, want %d", tc.s, got, tc.want)
		}
		if got := UTF16([]byte(tc.s)); got != tc.want {
			t.Errorf("UTF16([]byte(%q)) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

func TestByte(t *testing.T) {
	const line = "a😀é b"
	for _, tc := range []struct {
		units, want int
		ok          bool
	}{
		{0, 0, true},
		{1, 1, true},  // before the emoji
		{2, 1, true},  // inside the surrogate pair: the emoji's start
		{3, 5, true},  // after the emoji
		{4, 7, true},  // after é (2 bytes)
		{6, 9, true},  // the end of the line
		{7, 9, false}, // past the end
	} {
		got, ok := Byte(line, tc.units)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Byte(%q, %d) = %d, %v, want %d, %v", line, tc.units, got, ok, tc.want, tc.ok)
		}
		if gotB, okB := Byte([]byte(line), tc.units); gotB != got || okB != ok {
			t.Errorf("Byte([]byte, %d) = %d, %v, want the string's %d, %v", tc.units, gotB, okB, got, ok)
		}
	}
	// Round trip: the byte offset of a character's UTF-16 column is that
	// character's offset.
	for off := range line {
		if got, _ := Byte(line, UTF16(line[:off])); got != off {
			t.Errorf("Byte(UTF16(line[:%d])) = %d", off, got)
		}
	}
}

// TestIndex checks the index against the direct counts at every pair of
// offsets of a text with lines, multi-byte characters, surrogate pairs and
// invalid bytes.
func TestIndex(t *testing.T) {
	const text = "a😀é\nb\xffc€\n\n😀😀x"
	ix := NewIndex(text)
	if ix.Lines() != 4 || ix.LineStart(1) != 8 || ix.LineStart(2) != 15 || ix.LineStart(3) != 16 {
		t.Errorf("lines: %d, starts %v", ix.Lines(), ix.lines)
	}
	for off := 0; off <= len(text); off++ {
		want := 0
		for i := 0; i < off; i++ {
			if text[i] == '\n' {
				want++
			}
		}
		if got := ix.Line(off); got != want {
			t.Errorf("Line(%d) = %d, want %d", off, got, want)
		}
	}
	for from := 0; from <= len(text); from++ {
		for to := from; to <= len(text); to++ {
			if got, want := ix.UTF16(from, to), UTF16(text[from:to]); got != want && utf8Whole(text, from, to) {
				t.Errorf("UTF16(%d, %d) = %d, want %d", from, to, got, want)
			}
			if got, want := ix.Chars(from, to), len([]rune(text[from:to])); got != want && utf8Whole(text, from, to) {
				t.Errorf("Chars(%d, %d) = %d, want %d", from, to, got, want)
			}
		}
	}
}

// utf8Whole reports whether [from, to) cuts no character of s.
func utf8Whole(s string, from, to int) bool {
	return (from == len(s) || utf8.RuneStart(s[from])) && (to == len(s) || utf8.RuneStart(s[to]))
}
