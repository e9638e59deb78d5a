package analysis

import (
	"slices"
	"testing"
)

func TestParseSemantics(t *testing.T) {
	for in, want := range map[string]Semantics{"": SemanticsNode, "node": SemanticsNode, "memlab": SemanticsNode, "DevTools": SemanticsDevTools} {
		if got, err := ParseSemantics(in); err != nil || got != want {
			t.Errorf("ParseSemantics(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseSemantics("chromium"); err == nil {
		t.Error("ParseSemantics accepted an unknown name")
	}
}

// TestDevToolsSelfSizes checks that single-owner arrays and hidden nodes
// give their size to their owner, and shared ones keep it.
func TestDevToolsSelfSizes(t *testing.T) {
	s := newTestSnapshot(t, []testNode{
		{NodeSynthetic, "", 0},
		{NodeObject, "A", 10},       // 1: a user root (shortcut from the root)
		{NodeArray, "elements", 50}, // 2: owned by A only
		{NodeHidden, "cell", 5},     // 3: reached through 2 only: A's too
		{NodeArray, "shared", 7},    // 4: held by A and B
		{NodeObject, "B", 20},       // 5
		{NodeSynthetic, "(GC roots)", 0},
		{NodeArray, "under synthetic", 9}, // 7: owned by a synthetic node: stays
	}, []testEdge{
		{0, 1, EdgeShortcut, "1"}, {0, 6, EdgeElement, "1"},
		{1, 2, EdgeInternal, "elements"}, {2, 3, EdgeHidden, "0"},
		{1, 4, EdgeInternal, "s"}, {1, 5, EdgeProperty, "b"}, {5, 4, EdgeInternal, "s"},
		{6, 7, EdgeElement, "0"}, {3, 5, EdgeWeak, "w"},
	})
	got := s.Dominators(SemanticsDevTools)
	var self []uint64
	for n := range s.NodeCount() {
		self = append(self, got.Self(n))
	}
	if want := []uint64{0, 65, 0, 0, 7, 20, 0, 9}; !slices.Equal(self, want) {
		t.Errorf("devtools self sizes = %v, want %v", self, want)
	}
	if node := s.Dominators(SemanticsNode); node.Self(1) != 10 || node.Retained(1) != 92 {
		t.Errorf("node semantics: A self %d retained %d, want 10, 92", node.Self(1), node.Retained(1))
	}
}

func TestParseWeakMapEdge(t *testing.T) {
	w, ok := parseWeakMapEdge("12 / part of key (Object @31) -> value (Array @45) pair in WeakMap (table @77)")
	if !ok || w.table != 77 || w.pair != " / part of key (Object @31) -> value (Array @45) pair in WeakMap (table @77)" {
		t.Errorf("parseWeakMapEdge = %+v, %v", w, ok)
	}
	for _, bad := range []string{
		"", "value", "x / part of key (Object @31) -> value (Array @45) pair in WeakMap (table @77)",
		"12 / part of key (Object @31) -> value (Array @45) pair in WeakMap (table @x)",
		"12 / part of key (Object) -> value (Array @45) pair in WeakMap (table @77)",
	} {
		if _, ok := parseWeakMapEdge(bad); ok {
			t.Errorf("parseWeakMapEdge(%q) accepted", bad)
		}
	}
}
