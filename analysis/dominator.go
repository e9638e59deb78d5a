package analysis

import "math"

// Dominators returns the dominator tree of the snapshot under semantics m,
// with retained sizes. It is computed on first use and cached; concurrent
// callers share one computation.
func (s *Snapshot) Dominators(m Semantics) *DomTree {
	if m < 0 || m >= numSemantics {
		m = SemanticsNode
	}
	c := &s.doms[m]
	c.once.Do(func() { c.tree = s.buildDomTree(m) })
	return c.tree
}

// buildDomTree computes immediate dominators with the semi-NCA algorithm
// (Georgiadis' variant of Lengauer–Tarjan: semidominators with path
// compression, then immediate dominators as nearest common ancestors),
// iteratively over flat arrays indexed by DFS preorder number.
//
// Nodes that the retaining edges do not reach from the root are handled
// the way DevTools handles them. A node with no retaining retainer at all
// (an "orphan") hangs off the root: it and what only it reaches form a
// subtree under the root, and its edges count like any other. Nodes still
// unreached after that (members of cycles that nothing else retains) become
// leaves under the root that retain only their own size, and their edges
// do not affect anyone's dominator: they are garbage V8 had not collected.
// So every node has a dominator and the root's retained size is the whole
// heap.
//
// The work is laid out for the cache and for two cores: the semidominator
// loop reads the retaining predecessors of each number from one flat list
// already in preorder numbers (built for the purpose, so the loop never
// translates a node and never tests an edge), and a helper counts those
// predecessors, and works out DevTools' self sizes, while the depth-first
// numbering runs.
func (s *Snapshot) buildDomTree(m Semantics) *DomTree {
	n := len(s.nodeID)
	keep := s.retainingEdges(m)
	in := makeLarge[uint32](n, n+1) // retaining edges into each node
	self := s.selfSize
	helper := make(chan struct{})
	go func() {
		defer close(helper)
		for e, to := range s.edgeTarget {
			if keep.has(e) {
				in[to]++
			}
		}
		if m == SemanticsDevTools {
			self = s.devToolsSelfSizes()
		}
	}()
	g := s.numberDepthFirst(keep, func() []uint32 { <-helper; return in })
	g.predecessors(s, keep, in)
	// pre and in are spent: the semidominator loop reuses their memory,
	// as ancestor and lab.
	ancestor, lab := g.pre[:n+1], in[:n+1]
	semi := g.semidominators(ancestor, lab)
	idom := g.nearestCommonAncestors(semi)

	// lab is free now: it becomes the node-indexed idom array, and
	// ancestor the retained sizes, which take 32 bits each when the whole
	// heap fits, as it nearly always does: that halves the largest result
	// array.
	d := &DomTree{s: s, sem: m, self: self, idom: lab[:n]}
	d.idom[0] = 0
	var total uint64
	for _, sz := range self {
		total += uint64(sz)
	}
	if total <= math.MaxUint32 {
		d.retained32 = ancestor[:n]
		accumulate(d.retained32, self, g.vertex, idom, d.idom)
	} else {
		d.retained64 = makeLarge[uint64](n, n)
		accumulate(d.retained64, self, g.vertex, idom, d.idom)
	}
	return d
}

// domGraph is the retaining graph numbered in depth-first preorder, the
// state of buildDomTree. Numbers start at 1 (the root); arrays indexed by
// number have NodeCount()+1 entries.
type domGraph struct {
	pre    []uint32 // node → number
	vertex []uint32 // number → node
	parent []uint32 // number → its DFS parent's number (the root's is itself)
	// reached is the last number the retaining edges reach (from the root
	// or an orphan); the numbers after it are unreachable cycle members.
	reached uint32
	// Number i's retaining predecessors, as numbers, are
	// preds[first[i]:first[i+1]].
	first, preds []uint32
}

// numberDepthFirst numbers the nodes in depth-first preorder over the
// retaining edges keep: first from the root, then from every orphan (a
// node with no retaining edge in: counts gives each node's, waiting for
// them if needed), then the nodes still unreached, in node order.
func (s *Snapshot) numberDepthFirst(keep bitset, counts func() []uint32) *domGraph {
	n := len(s.nodeID)
	g := &domGraph{
		pre:    makeLarge[uint32](n, n+1), // 0: not numbered yet
		vertex: makeLarge[uint32](n+1, n+1),
		parent: makeLarge[uint32](n+1, n+1),
	}
	pre, vertex, parent := g.pre, g.vertex, g.parent
	k := uint32(0)
	var stack []uint32 // (node, next edge) pairs
	dfs := func(root, par uint32) {
		k++
		pre[root], vertex[k], parent[k] = k, root, par
		stack = append(stack, root, s.firstEdge[root])
		for len(stack) > 0 {
			top := len(stack) - 2
			v, e := stack[top], stack[top+1]
			end := s.firstEdge[v+1]
			for e < end && (!keep.has(int(e)) || pre[s.edgeTarget[e]] != 0) {
				e++
			}
			if e == end {
				stack = stack[:top]
				continue
			}
			stack[top+1] = e + 1
			w := s.edgeTarget[e]
			k++
			pre[w], vertex[k], parent[k] = k, w, pre[v]
			stack = append(stack, w, s.firstEdge[w])
		}
	}
	dfs(0, 1)
	in := counts()
	if int(k) < n {
		for v := range n {
			if pre[v] == 0 && in[v] == 0 {
				dfs(uint32(v), 1)
			}
		}
	}
	g.reached = k
	if int(k) < n {
		for v := range n {
			if pre[v] == 0 {
				k++
				pre[v], vertex[k], parent[k] = k, uint32(v), 1
			}
		}
	}
	return g
}

// predecessors lays out the retaining predecessors of every number, in
// preorder numbers, from in, the number of retaining edges into each
// node.
func (g *domGraph) predecessors(s *Snapshot, keep bitset, in []uint32) {
	n := len(g.pre)
	first := makeLarge[uint32](n+2, n+2)
	for i, v := range g.vertex[1:] {
		first[i+2] = in[v]
	}
	for i := 1; i < len(first); i++ {
		first[i] += first[i-1]
	}
	// first[i] is now where number i's list starts; use it as a cursor,
	// which leaves it at the list's end (the start of i+1), then shift
	// back, as buildRetainers does.
	preds := makeLarge[uint32](int(first[n+1]), int(first[n+1]))
	for u, pu := range g.pre {
		for e := s.firstEdge[u]; e < s.firstEdge[u+1]; e++ {
			if keep.has(int(e)) {
				t := g.pre[s.edgeTarget[e]]
				preds[first[t]] = pu
				first[t]++
			}
		}
	}
	copy(first[1:], first[:n+1])
	g.first, g.preds = first, preds
}

// semidominators returns every number's semidominator, in decreasing
// preorder, with path compression over the numbers already processed.
// lab[v] holds the smallest semidominator on v's compressed path to its
// linked ancestor (Georgiadis: semi-NCA needs the value, never the vertex
// that has it, so one array does the work of Lengauer–Tarjan's label and
// semi). The DFS parent (a real retainer, or the root for orphans) seeds
// the minimum. ancestor and lab are scratch of len(vertex) entries; the
// result takes the memory of the predecessor lists' offsets (semi[i] is
// first[i+1], which step i is the last to read), and the lists are freed.
func (g *domGraph) semidominators(ancestor, lab []uint32) []uint32 {
	k := uint32(len(g.vertex) - 1)
	clear(ancestor) // 0: not linked yet
	for i := range lab {
		lab[i] = uint32(i)
	}
	var path []uint32
	// eval returns the smallest semidominator on the path from v, a linked
	// number, to the root of its linked tree, compressing the path.
	eval := func(v uint32) uint32 {
		path = path[:0]
		for x := v; ancestor[ancestor[x]] != 0; x = ancestor[x] {
			path = append(path, x)
		}
		for j := len(path) - 1; j >= 0; j-- {
			w := path[j]
			a := ancestor[w]
			lab[w] = min(lab[w], lab[a])
			ancestor[w] = ancestor[a]
		}
		return lab[v]
	}
	semi := g.first[1:]
	for i := k; i >= 2; i-- {
		sd := g.parent[i]
		if i <= g.reached {
			for _, v := range g.preds[g.first[i]:semi[i]] {
				switch {
				case v > g.reached: // from an unreachable cycle member
				case v > i: // processed, and so linked
					sd = min(sd, eval(v))
				default: // not processed: its own semidominator
					sd = min(sd, v)
				}
			}
		}
		semi[i], lab[i], ancestor[i] = sd, sd, g.parent[i]
	}
	g.first, g.preds, g.pre = nil, nil, nil
	return semi
}

// nearestCommonAncestors turns the DFS parents into immediate dominators,
// in place, and returns them: the nearest ancestor of the DFS parent whose
// number is at most the semidominator.
func (g *domGraph) nearestCommonAncestors(semi []uint32) []uint32 {
	idom := g.parent
	for i := 2; i < len(idom); i++ {
		j := idom[i]
		for j > semi[i] {
			j = idom[j]
		}
		idom[i] = j
	}
	return idom
}

// accumulate computes retained sizes bottom-up in reverse DFS order, and
// fills nodeIdom (node-indexed) from idom (indexed by DFS number).
func accumulate[T uint32 | uint64](retained []T, self, vertex, idom, nodeIdom []uint32) {
	for v, sz := range self {
		retained[v] = T(sz)
	}
	for i := len(vertex) - 1; i >= 2; i-- {
		v, dom := vertex[i], vertex[idom[i]]
		nodeIdom[v] = dom
		retained[dom] += retained[v]
	}
}
