package strtab

import (
	"slices"
	"testing"
)

func TestIndex(t *testing.T) {
	var tab Table[int32]
	var got []int32
	for _, s := range []string{"a", "b", "a", "", "b", "c", ""} {
		got = append(got, tab.Index(s))
	}
	if want := []int32{0, 1, 0, 2, 1, 3, 2}; !slices.Equal(got, want) {
		t.Errorf("indices %v, want %v", got, want)
	}
	if want := []string{"a", "b", "", "c"}; !slices.Equal(tab.Strings, want) {
		t.Errorf("Strings = %q, want %q", tab.Strings, want)
	}
}
