package affix

import "testing"

func TestCommon(t *testing.T) {
	for _, tc := range []struct {
		a, b           string
		prefix, suffix int
	}{
		{"", "", 0, 0},
		{"abc", "abc", 3, 0},
		{"abc", "", 0, 0},
		{"abXc", "abYc", 2, 1},
		{"abc", "abXbc", 2, 1},
		// The suffix never reaches back into the prefix: "aa" → "aaa" is
		// one "a" inserted after the common "aa".
		{"aa", "aaa", 2, 0},
		{"xab", "yab", 0, 2},
	} {
		prefix, suffix := Common([]byte(tc.a), []byte(tc.b))
		if prefix != tc.prefix || suffix != tc.suffix {
			t.Errorf("Common(%q, %q) = %d, %d, want %d, %d", tc.a, tc.b, prefix, suffix, tc.prefix, tc.suffix)
		}
	}
}
