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
func (s *Snapshot) buildDomTree(m Semantics) *DomTree {
	n := len(s.nodeID)
	keep := s.retainingEdges(m)
	// The semidominator loop walks reverse edges, which are stored by
	// position, not edge index: translate the set, and work out DevTools'
	// self sizes, on a second goroutine while this one does the DFS, which
	// needs neither.
	label := makeLarge[uint32](n+1, n+1)
	var keepRev bitset
	self := s.selfSize
	helper := make(chan struct{})
	go func() {
		defer close(helper)
		keepRev = s.reverseSet(keep, label[:n])
		if m == SemanticsDevTools {
			self = s.devToolsSelfSizes()
		}
	}()

	// Depth-first numbering. pre maps a node to its preorder number
	// (1-based, 0 = not visited); vertex and parent are indexed by number.
	pre := makeLarge[uint32](n, n)
	vertex := makeLarge[uint32](n+1, n+1)
	parent := makeLarge[uint32](n+1, n+1)
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
	<-helper
	if int(k) < n {
		for v := range n {
			if pre[v] == 0 && !s.hasRetainingRetainer(v, keepRev) {
				dfs(uint32(v), 1)
			}
		}
	}
	reached := k // numbers above reached are unreachable cycle members
	if int(k) < n {
		for v := range n {
			if pre[v] == 0 {
				k++
				pre[v], vertex[k], parent[k] = k, uint32(v), 1
			}
		}
	}

	// Semidominators, in decreasing preorder. The DFS parent (a real
	// retainer, or the root for orphans) seeds the minimum.
	semi := makeLarge[uint32](n+1, n+1)
	ancestor := makeLarge[uint32](n+1, n+1) // 0: not linked yet
	for i := range semi {
		semi[i], label[i] = uint32(i), uint32(i)
	}
	var path []uint32
	eval := func(v uint32) uint32 {
		if ancestor[v] == 0 {
			return v
		}
		path = path[:0]
		for x := v; ancestor[ancestor[x]] != 0; x = ancestor[x] {
			path = append(path, x)
		}
		for j := len(path) - 1; j >= 0; j-- {
			w := path[j]
			if a := ancestor[w]; semi[label[a]] < semi[label[w]] {
				label[w] = label[a]
			}
			ancestor[w] = ancestor[ancestor[w]]
		}
		return label[v]
	}
	for i := k; i >= 2; i-- {
		sd := parent[i]
		first, end := s.RetainerRange(int(vertex[i]))
		for r := first; r < end && i <= reached; r++ {
			if !keepRev.has(r) {
				continue
			}
			if v := pre[s.retainers[r]]; v <= reached {
				sd = min(sd, semi[eval(v)])
			}
		}
		semi[i] = sd
		ancestor[i] = parent[i]
	}
	ancestor = nil

	// Immediate dominators: the nearest ancestor of the DFS parent whose
	// number is at most the semidominator. parent becomes idom in place.
	idom := parent
	for i := uint32(2); i <= k; i++ {
		j := idom[i]
		for j > semi[i] {
			j = idom[j]
		}
		idom[i] = j
	}

	// label is free now: it becomes the node-indexed idom array. Retained
	// sizes take 32 bits each when the whole heap fits, as it nearly always
	// does: that halves the largest result array.
	d := &DomTree{s: s, sem: m, self: self, idom: label[:n]}
	d.idom[0] = 0
	var total uint64
	for _, sz := range self {
		total += uint64(sz)
	}
	if total <= math.MaxUint32 {
		d.retained32 = makeLarge[uint32](n, n)
		accumulate(d.retained32, self, vertex[:k+1], idom, d.idom)
	} else {
		d.retained64 = makeLarge[uint64](n, n)
		accumulate(d.retained64, self, vertex[:k+1], idom, d.idom)
	}
	return d
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

// hasRetainingRetainer reports whether any retaining edge points to v;
// keepRev is the set of retaining reverse-edge positions.
func (s *Snapshot) hasRetainingRetainer(v int, keepRev bitset) bool {
	first, end := s.RetainerRange(v)
	for r := first; r < end; r++ {
		if keepRev.has(r) {
			return true
		}
	}
	return false
}

// reverseSet translates a set of edge indices into the set of their
// positions in the reverse-edge array, using cursor (NodeCount() long) as
// scratch.
func (s *Snapshot) reverseSet(edges bitset, cursor []uint32) bitset {
	rev := newBitset(len(s.edgeTarget))
	copy(cursor, s.firstRetain)
	for e, to := range s.edgeTarget {
		if edges.has(e) {
			rev.set(int(cursor[to]))
		}
		cursor[to]++
	}
	return rev
}
