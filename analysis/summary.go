package analysis

import (
	"cmp"
	"container/heap"
)

// Summary describes one snapshot: its size, the classes and the single
// objects that retain the most memory.
type Summary struct {
	Semantics string `json:"semantics"`
	Nodes     int    `json:"nodes"`
	Edges     int    `json:"edges"`
	// TotalSize is the sum of all self sizes: the heap's size.
	TotalSize uint64 `json:"totalSize"`
	// Classes are the classes with the largest retained size.
	Classes []ClassSummary `json:"classes"`
	// Holders are the objects with the largest retained size, with their
	// retainer paths.
	Holders []Holder `json:"holders"`
}

// ClassSummary is one row of Summary.Classes (see ClassStat).
type ClassSummary struct {
	Name         string `json:"name"`
	Count        int    `json:"count"`
	SelfSize     uint64 `json:"selfSize"`
	RetainedSize uint64 `json:"retainedSize"`
}

// Holder is an object with its sizes and retainer path: an entry of
// Summary.Holders, or the answer to "why is this object alive".
type Holder struct {
	Hop
	SelfSize     uint64 `json:"selfSize"`
	RetainedSize uint64 `json:"retainedSize"`
	// Path is the holder's retainer path; its last hop is the holder.
	Path []Hop `json:"path"`
}

// Summarize returns the summary of s under semantics sem, with the top
// classes and holders (TopHolders) by retained size; paths are the
// snapshot's retainer paths, or nil to compute them.
func Summarize(s *Snapshot, sem Semantics, top int, paths *Paths) *Summary {
	d := s.Dominators(sem)
	sum := &Summary{Semantics: sem.String(), Nodes: s.NodeCount(), Edges: s.EdgeCount(), Classes: []ClassSummary{}, Holders: []Holder{}}
	for n := 0; n < s.NodeCount(); n++ {
		sum.TotalSize += d.Self(n)
	}
	for i, c := range s.Classes(d) {
		if i == top {
			break
		}
		sum.Classes = append(sum.Classes, ClassSummary{Name: c.Name, Count: c.Count, SelfSize: c.Self, RetainedSize: c.Retained})
	}
	sum.Holders = TopHolders(s, sem, top, paths)
	return sum
}

// TopHolders returns the k objects of s that retain the most memory under
// semantics sem, largest first, with their retainer paths (paths: the
// snapshot's, or nil to compute them). Holders are what a program holds
// memory through: objects, closures, strings and the contexts that keep
// closures' variables (V8's arrays, code and hidden classes are counted in
// their owners).
func TopHolders(s *Snapshot, sem Semantics, k int, paths *Paths) []Holder {
	out := []Holder{}
	if k <= 0 {
		return out
	}
	d := s.Dominators(sem)
	// Keep the top holders in a min-heap of size k.
	h := &holderHeap{d: d}
	for n := 1; n < s.NodeCount(); n++ {
		if !reportable(s, n) && s.NodeName(n) != "system / Context" {
			continue
		}
		if h.Len() < k {
			heap.Push(h, n)
		} else if h.less(h.nodes[0], n) {
			h.nodes[0] = n
			heap.Fix(h, 0)
		}
	}
	nodes := make([]int, h.Len())
	for i := len(nodes) - 1; i >= 0; i-- {
		nodes[i] = heap.Pop(h).(int)
	}
	if paths == nil {
		paths = NewPaths(s)
	}
	src := NewSources(s)
	for _, n := range nodes {
		out = append(out, Holder{
			Hop:          hop(s, src, -1, n),
			SelfSize:     d.Self(n),
			RetainedSize: d.Retained(n),
			Path:         PathHops(paths, src, n),
		})
	}
	return out
}

// holderHeap is a min-heap of nodes by retained size (ties: the higher
// ordinal is smaller, so that the lowest ordinals are kept).
type holderHeap struct {
	d     *DomTree
	nodes []int
}

func (h *holderHeap) less(a, b int) bool {
	return cmp.Or(cmp.Compare(h.d.Retained(a), h.d.Retained(b)), cmp.Compare(b, a)) < 0
}
func (h *holderHeap) Len() int           { return len(h.nodes) }
func (h *holderHeap) Less(i, j int) bool { return h.less(h.nodes[i], h.nodes[j]) }
func (h *holderHeap) Swap(i, j int)      { h.nodes[i], h.nodes[j] = h.nodes[j], h.nodes[i] }
func (h *holderHeap) Push(x any)         { h.nodes = append(h.nodes, x.(int)) }
func (h *holderHeap) Pop() any {
	n := h.nodes[len(h.nodes)-1]
	h.nodes = h.nodes[:len(h.nodes)-1]
	return n
}

// Contents groups what holder n keeps by class: the objects, closures and
// strings it dominates, reached through the V8 arrays and tables between
// them (a Map's table, an array's elements) but not through each other,
// so that a Map of 10,000 sessions is "10,000 Session" whatever each
// session holds. Rows are sorted by retained size, largest first, and cut
// to the top k (0: all). Count and SelfSize are the grouped objects'; their
// RetainedSize includes what each object holds.
func Contents(s *Snapshot, d *DomTree, n, k int) []ClassLeak {
	rows := map[string]*ClassLeak{}
	stack := []int32{int32(n)}
	for len(stack) > 0 {
		m := int(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
		for _, c32 := range d.Children(m) {
			c := int(c32)
			if !reportable(s, c) {
				stack = append(stack, c32)
				continue
			}
			class := leakClass(s, c)
			r := rows[class]
			if r == nil {
				r = &ClassLeak{Constructor: class}
				rows[class] = r
			}
			r.Count++
			r.SelfSize += d.Self(c)
			r.RetainedSize += d.Retained(c)
		}
	}
	out := make([]ClassLeak, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sortClassLeaks(out)
	if k > 0 && len(out) > k {
		out = out[:k]
	}
	return out
}
