package analysis

import (
	"slices"
	"testing"
)

// TestDistances checks DevTools' distance rules: user roots first, system
// objects offset by BaseSystemDistance, no weak edges, no descriptor slots
// of "(map descriptors)", and WeakMap values reached by their second edge.
func TestDistances(t *testing.T) {
	pair := " / part of key (K @9) -> value (V @11) pair in WeakMap (table @13)"
	s := newTestSnapshot(t, []testNode{
		{NodeSynthetic, "", 0},              // 0
		{NodeObject, "global", 1},           // 1
		{NodeSynthetic, "(GC roots)", 0},    // 2
		{NodeObject, "a", 1},                // 3: global.a
		{NodeObject, "K", 1},                // 4: the key, at 3
		{NodeObject, "V", 1},                // 5: the value
		{NodeObject, "WeakMap", 1},          // 6: the table, at 2
		{NodeArray, "(map descriptors)", 1}, // 7
		{NodeObject, "descriptor", 1},       // 8: only in slot 4 (4%3 == 1)
		{NodeObject, "weakly held", 1},      // 9
		{NodeObject, "system", 1},           // 10: only under (GC roots)
		{NodeObject, "unreachable", 1},      // 11
	}, []testEdge{
		{0, 1, EdgeShortcut, "1"}, {0, 2, EdgeElement, "2"},
		{1, 3, EdgeProperty, "a"}, {1, 6, EdgeProperty, "wm"}, {1, 7, EdgeInternal, "d"}, {1, 9, EdgeWeak, "w"},
		{3, 4, EdgeProperty, "k"},
		{6, 5, EdgeInternal, "1" + pair}, {4, 5, EdgeInternal, "2" + pair},
		{7, 8, EdgeElement, "4"},
		{2, 10, EdgeElement, "0"},
	})
	got := s.Distances()
	want := []int32{BaseSystemDistance, 1, BaseSystemDistance + 1, 2, 3, 4, 2, 2, -1, -1, BaseSystemDistance + 2, -1}
	if !slices.Equal(got, want) {
		t.Errorf("Distances = %v\nwant %v", got, want)
	}
}
