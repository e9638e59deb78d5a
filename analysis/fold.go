package analysis

import (
	"cmp"
	"slices"
	"strings"
)

// One cluster per leak.
//
// Clustering by retainer path splits one leak into pieces: a Map that
// keeps requests also keeps, through each request, its socket and the
// socket's bound callbacks, which no request dominates (the response
// refers to the socket too), so each of them is a top object with a path
// of its own; and two requests held by one Map may differ in what they
// hold, which gives them different signatures. fold joins these pieces:
//
//   - a cluster whose retainer path runs through a leaked object, and from
//     there only through objects allocated after the baseline, is folded
//     into the cluster of that object (what the leaked object holds);
//   - clusters whose paths reach their members from the same object (the
//     same Map table, the same timer list) are one holder's: they become
//     one cluster, led by its largest class.
//
// The folded cluster keeps the lead's class, path and representative; its
// Breakdown counts the objects of every class it groups.

// group is a cluster being built: the report's fields and what FindLeaks
// and fold need to finish it.
type group struct {
	Cluster
	rep      int     // representative node: shortest path, then lowest id
	repDepth int     // length of rep's retainer path
	members  []int32 // the top nodes of the lead's class
	user     bool    // a member or nested object is a closure of the program
	parts    []*group
	kept     bool // reported: g or the group it is folded into is not omitted
}

// fold joins the groups of one leak (see above) and returns the groups
// that lead, in the order of order. up and groupOf map leaked nodes to the
// groups of their tops.
func fold(s *Snapshot, baseline *IDSet, paths *Paths, up *domWalker, groupOf, order []*group) []*group {
	index := make(map[*group]int, len(order))
	for k, g := range order {
		index[g] = k
	}
	// owner[k] is the group whose leaked object group k's path runs
	// through, or -1; parent[k] the node its members are reached from.
	owner := make([]int, len(order))
	parent := make([]int, len(order))
	var edges []int
	for k, g := range order {
		owner[k], parent[k] = -1, -1
		edges = paths.appendEdges(edges[:0], g.rep)
		if len(edges) == 0 {
			continue
		}
		parent[k] = s.EdgeFrom(edges[len(edges)-1])
		if t := through(s, baseline, up, edges); t >= 0 && index[groupOf[t]] != k {
			owner[k] = index[groupOf[t]]
		}
	}
	root := rootsOf(owner)
	// The lead of the groups reached from one parent (see ranks).
	lead := map[int]int{}
	for k, g := range order {
		if root[k] != k || parent[k] < 0 {
			continue
		}
		l, ok := lead[parent[k]]
		if !ok || ranks(g, order[l], s) {
			lead[parent[k]] = k
		}
	}
	leader := func(k int) int {
		r := root[k]
		if l, ok := lead[parent[r]]; ok && parent[r] >= 0 {
			return l
		}
		return r
	}
	var out []*group
	for k, g := range order {
		if l := leader(k); l != k {
			order[l].parts = append(order[l].parts, g)
		} else {
			out = append(out, g)
		}
	}
	for _, g := range out {
		g.merge()
	}
	return out
}

// rootsOf returns, for each group, the group its chain of owners ends at
// (owner -1: itself). The owners of a cycle (two pieces each reached
// through the other) all end at its lowest index.
func rootsOf(owner []int) []int {
	roots := make([]int, len(owner))
	for k := range roots {
		roots[k] = -1
	}
	pos := map[int]int{}
	var chain []int
	for k := range owner {
		clear(pos)
		chain = chain[:0]
		j := k
		for roots[j] < 0 {
			if p, seen := pos[j]; seen {
				lowest := slices.Min(chain[p:])
				for _, c := range chain[p:] {
					roots[c] = lowest
				}
				break
			}
			pos[j] = len(chain)
			chain = append(chain, j)
			if owner[j] < 0 {
				roots[j] = j
				break
			}
			j = owner[j]
		}
		for _, c := range chain {
			if roots[c] < 0 {
				roots[c] = roots[j]
			}
		}
	}
	return roots
}

// through returns the leaked index of the top of the leaked object a
// retainer path (edges, ending at a cluster's member) runs through on its
// way from the last object that existed at the baseline, or -1. An object
// reached through a leaked one only by way of an older object (a leaked
// timer's callback, its context, the module's context, the module's Map)
// is not held by the leaked one: the path merely passes it.
func through(s *Snapshot, baseline *IDSet, up *domWalker, edges []int) int {
	leakedAt := -1
	for _, e := range edges[:len(edges)-1] {
		to := s.EdgeTo(e)
		switch i := up.index(to); {
		case i >= 0:
			if leakedAt < 0 {
				leakedAt = up.top(i)
			}
		case baseline.Has(s.NodeID(to)):
			leakedAt = -1
		}
	}
	return leakedAt
}

// ranks reports whether g leads rather than h among one holder's groups:
// objects before strings (a Map's values before its keys), then more
// members, then class name, then the lower representative id.
func ranks(g, h *group, s *Snapshot) bool {
	return cmp.Or(cmp.Compare(isString(s, g.rep), isString(s, h.rep)), cmp.Compare(h.Count, g.Count),
		strings.Compare(g.Constructor, h.Constructor), cmp.Compare(s.NodeID(g.rep), s.NodeID(h.rep))) < 0
}

// isString is 1 for a string node, 0 otherwise.
func isString(s *Snapshot, n int) int {
	if s.NodeType(n).IsString() {
		return 1
	}
	return 0
}

// merge adds the parts folded into g to its numbers: objects, sizes,
// nested classes, the Breakdown per class (its own class first), and the
// members of its class.
func (g *group) merge() {
	if len(g.parts) == 0 {
		return
	}
	g.Breakdown = []ClassLeak{{Constructor: g.Constructor, Count: g.Count, SelfSize: g.SelfSize, RetainedSize: g.RetainedSize}}
	for _, p := range g.parts {
		if p.Constructor == g.Constructor {
			g.Count += p.Count
			g.members = append(g.members, p.members...)
		}
		g.Objects += p.Objects
		g.SelfSize += p.SelfSize
		g.RetainedSize += p.RetainedSize
		g.user = g.user || p.user
		for i, n := range p.Steps {
			g.Steps[i] += n
		}
		for _, n := range p.Nested {
			addRow(&g.Nested, n)
		}
		addRow(&g.Breakdown, ClassLeak{Constructor: p.Constructor, Count: p.Count, SelfSize: p.SelfSize, RetainedSize: p.RetainedSize})
	}
	slices.Sort(g.members)
	sortClassLeaks(g.Breakdown[1:]) // the lead's row stays first
}

// addRow adds r to the row of its class in rows.
func addRow(rows *[]ClassLeak, r ClassLeak) {
	i := slices.IndexFunc(*rows, func(x ClassLeak) bool { return x.Constructor == r.Constructor })
	if i < 0 {
		*rows = append(*rows, r)
		return
	}
	x := &(*rows)[i]
	x.Count += r.Count
	x.SelfSize += r.SelfSize
	x.RetainedSize += r.RetainedSize
}

// userClosure reports whether node n is a closure of the program's code:
// its script is known and is not one of Node's built-in modules. A timer
// or listener that runs such a closure is the program's, even when only
// Node's lists hold it.
func userClosure(s *Snapshot, src *Sources, n int) bool {
	if s.NodeType(n) != NodeClosure {
		return false
	}
	h, ok := src.Hint(n)
	return ok && h.ScriptName != "" && !NodeScript(h.ScriptName)
}

// sortClusters orders clusters by retained size, then objects, then
// class, then the text of their paths, then their first ids: no tie is
// left to the order of nodes in the snapshot.
func sortClusters(clusters []Cluster) {
	slices.SortFunc(clusters, func(a, b Cluster) int {
		return cmp.Or(cmp.Compare(b.RetainedSize, a.RetainedSize), cmp.Compare(b.Objects, a.Objects),
			strings.Compare(a.Constructor, b.Constructor), slices.CompareFunc(a.Path, b.Path, compareHops),
			slices.Compare(a.IDs, b.IDs))
	})
}

// compareHops orders hops by edge, then node name: the parts of a path
// that do not change from run to run.
func compareHops(a, b Hop) int {
	return cmp.Or(strings.Compare(a.EdgeText(), b.EdgeText()), strings.Compare(a.Name, b.Name))
}
