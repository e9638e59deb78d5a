package analysis

import (
	"slices"
	"testing"
)

func TestClassName(t *testing.T) {
	s := newTestSnapshot(t, []testNode{
		{NodeSynthetic, "", 0}, {NodeObject, "Session", 1}, {NodeClosure, "onTick", 1},
		{NodeNative, `<div id="a">`, 1}, {NodeNative, "Detached <span class=x>", 1},
		{NodeHidden, "system / Context", 1}, {NodeCode, "(code)", 1}, {NodeString, "abc", 1},
		{NodeConsString, "abc", 1}, {NodeRegExp, "/x/", 1},
	}, nil)
	var got []string
	for n := range s.NodeCount() {
		got = append(got, s.ClassName(n))
	}
	want := []string{"(synthetic)", "Session", "Function", "<div>", "Detached <span>", "(system)", "(compiled code)", "(string)", "(concatenated string)", "RegExp"}
	if !slices.Equal(got, want) {
		t.Errorf("class names = %q, want %q", got, want)
	}
}

// TestClassesNested checks that a class's retained size does not count an
// instance dominated by another instance of the same class twice, and that
// nodes without a self size are not counted.
func TestClassesNested(t *testing.T) {
	s := newTestSnapshot(t, []testNode{
		{NodeSynthetic, "", 0},
		{NodeObject, "Tree", 10}, // 1 holds 2
		{NodeObject, "Tree", 20}, // 2 holds 3
		{NodeObject, "Leaf", 5},  // 3
		{NodeObject, "Tree", 40}, // 4: a separate tree
		{NodeObject, "Tree", 0},  // 5: no self size
	}, []testEdge{
		{0, 1, EdgeElement, "1"}, {1, 2, EdgeProperty, "kid"}, {2, 3, EdgeProperty, "leaf"},
		{0, 4, EdgeElement, "2"}, {0, 5, EdgeElement, "3"},
	})
	got := s.Classes(s.Dominators(SemanticsNode))
	want := []ClassStat{
		{Name: "Tree", Count: 3, Self: 70, Retained: 75},
		{Name: "Leaf", Count: 1, Self: 5, Retained: 5},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Classes = %+v, want %+v", got, want)
	}
}
