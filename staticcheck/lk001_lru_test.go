package staticcheck

import "testing"

func TestRangeMajor(t *testing.T) {
	for r, want := range map[string]int{"^10.2.0": 10, "~7.18.3": 7, ">=6": 6, "v11": 11, "latest": 0, "*": 0, "": 0, "99999999999": 0} {
		if got := rangeMajor(r); got != want {
			t.Errorf("rangeMajor(%q) = %d, want %d", r, got, want)
		}
	}
}
