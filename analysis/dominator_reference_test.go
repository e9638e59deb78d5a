package analysis

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// referenceDominators computes idom and retained sizes with the simple
// iterative algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast
// Dominance Algorithm", 2001) on the retaining graph (retainingGraph):
// immediate dominators are refined in reverse postorder until none
// changes, each as the nearest common ancestor of the node's processed
// predecessors. It shares nothing with buildDomTree but the graph's
// definition; nodes it does not reach are leaves under the root.
func referenceDominators(s *Snapshot, m Semantics, self func(int) uint64) (idom []int, retained []uint64) {
	n := s.NodeCount()
	adj := retainingGraph(s, m)
	// Postorder numbers by an iterative depth-first search from the root.
	post := make([]int, n)
	for i := range post {
		post[i] = -1
	}
	visited := make([]bool, n)
	var order []int // nodes in postorder
	type frame struct{ v, next int }
	stack := []frame{{0, 0}}
	visited[0] = true
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.next < len(adj[f.v]) {
			w := adj[f.v][f.next]
			f.next++
			if !visited[w] {
				visited[w] = true
				stack = append(stack, frame{w, 0})
			}
			continue
		}
		post[f.v] = len(order)
		order = append(order, f.v)
		stack = stack[:len(stack)-1]
	}
	preds := make([][]int, n)
	for v := range n {
		if visited[v] {
			for _, w := range adj[v] {
				preds[w] = append(preds[w], v)
			}
		}
	}
	idom = make([]int, n)
	for i := range idom {
		idom[i] = -1
	}
	idom[0] = 0
	intersect := func(a, b int) int {
		for a != b {
			for post[a] < post[b] {
				a = idom[a]
			}
			for post[b] < post[a] {
				b = idom[b]
			}
		}
		return a
	}
	for changed := true; changed; {
		changed = false
		for i := len(order) - 2; i >= 0; i-- { // reverse postorder, root excluded
			v, d := order[i], -1
			for _, p := range preds[v] {
				switch {
				case idom[p] < 0:
				case d < 0:
					d = p
				default:
					d = intersect(p, d)
				}
			}
			if d != idom[v] {
				idom[v], changed = d, true
			}
		}
	}
	retained = make([]uint64, n)
	for v := range n {
		retained[v] = self(v)
		if !visited[v] {
			idom[v] = 0
			retained[0] += self(v)
		}
	}
	for _, v := range order[:len(order)-1] { // children before their dominators
		retained[idom[v]] += retained[v]
	}
	return idom, retained
}

// sameDominators compares d with the reference on every node.
func sameDominators(t *testing.T, what string, s *Snapshot, m Semantics, d *DomTree) {
	t.Helper()
	idom, retained := referenceDominators(s, m, d.Self)
	for v := range s.NodeCount() {
		if d.Idom(v) != idom[v] || d.Retained(v) != retained[v] {
			t.Fatalf("%s, %v semantics, node %d (@%d): idom %d retained %d, the reference says idom %d retained %d",
				what, m, v, s.NodeID(v), d.Idom(v), d.Retained(v), idom[v], retained[v])
		}
	}
}

// TestDominatorsMatchReference checks the dominator tree and retained
// sizes against referenceDominators on snapshots written by real node and
// on random graphs larger than the brute-force test can afford.
func TestDominatorsMatchReference(t *testing.T) {
	real := []string{realSnapshot(t)}
	baseline, target, final := snapshotFiles(fixture(t, "leaks.js", "20"))
	real = append(real, baseline, target, final)
	for _, path := range real {
		s := mustRead(t, Load, path)
		for m := range Semantics(numSemantics) {
			sameDominators(t, path, s, m, s.Dominators(m))
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 200 {
		s := randomSnapshot(t, r, 2000)
		for m := range Semantics(numSemantics) {
			sameDominators(t, fmt.Sprintf("random graph %d", i), s, m, s.buildDomTree(m))
		}
	}
}
