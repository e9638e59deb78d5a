package column

import "testing"

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
