package holders

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/units"
)

// heldCandidates is how many of a snapshot's biggest objects FindHeld
// looks at: the biggest are mostly Node's own (the global object, the
// module cache) or nested in one another, and a program's holders come
// after them.
const heldCandidates = 200

// minHeldShare is the share of the heap, in percent, below which a holder
// of a single snapshot is not reported: without a baseline, only size
// points at a leak.
const minHeldShare = 1

// FindHeld returns findings for the biggest holders of a single snapshot —
// one written near the heap limit, on a signal, or by the program itself —
// where no baseline tells what is new: for each of the snapshot's biggest
// objects (analysis.TopHolders under semantics sem) that the user's code
// holds and that retains at least 1% of the heap, the holder in the
// source with what it retains and its share of the heap, largest first.
//
// Each is reported at its most specific holder: a closure that retains a
// module's context retains the Map in that context's variable, and when
// such an object retains almost nothing but another placed holder (90% or
// more of its memory), only the inner one is reported. An object nested
// in a bigger one placed at the same spot adds nothing to its finding.
// The findings have SeverityInfo: size alone does not make a leak. Like
// Find, FindHeld never fails.
func FindHeld(ctx context.Context, s *analysis.Snapshot, sem analysis.Semantics, opts Options) []finding.Finding {
	d := s.Dominators(sem)
	heapSize := d.Retained(0)
	j := newJoiner(ctx, s, opts.Resolver)
	type placed struct {
		h *analysis.Holder
		f finding.Finding
	}
	var found []placed
	for _, h := range analysis.TopHolders(s, sem, heldCandidates, opts.Paths) {
		if ctx.Err() != nil || h.RetainedSize*100 < heapSize*minHeldShare {
			break
		}
		msg := func(hd holder) string {
			return heldMessage(hd, &h, heapSize, analysis.Contents(s, d, h.Node, heldContents))
		}
		f, ok := j.evidence(h.Path, msg)
		if !ok {
			f, ok = j.evidence(j.variablePath(&h), msg)
		}
		if ok {
			f.Severity = finding.SeverityInfo
			found = append(found, placed{&h, f})
		}
	}
	var out spots
	for _, outer := range found {
		inner := slices.ContainsFunc(found, func(p placed) bool {
			return p.h != outer.h && p.h.RetainedSize*10 >= outer.h.RetainedSize*9 && dominates(d, outer.h.Node, p.h.Node)
		})
		if !inner {
			out.add(outer.f)
		}
	}
	return out.findings()
}

// maxDominatorWalk bounds the walk up the dominator tree in dominates:
// chains of objects that each retain nearly the same (a long linked list)
// are not worth following to the end.
const maxDominatorWalk = 10000

// dominates reports whether node a dominates node b (a != b).
func dominates(d *analysis.DomTree, a, b int) bool {
	limit := d.Retained(a)
	for k := 0; k < maxDominatorWalk && b > 0; k++ {
		b = d.Idom(b)
		if b == a {
			return true
		}
		if d.Retained(b) > limit {
			return false
		}
	}
	return false
}

// variablePath returns a two-hop path to h from a context of the program's
// own scripts whose variable holds h directly, or nil. A snapshot taken
// while the program was using the holder — as one near the heap limit
// always is — has its shortest path through the stack, naming no
// variable, though a module variable holds it too.
func (j *joiner) variablePath(h *analysis.Holder) []analysis.Hop {
	for _, v := range analysis.HeldBy(j.s, j.src, h.Node) {
		if v.File == "" {
			continue
		}
		ctx := v
		ctx.Edge, ctx.EdgeType = "", ""
		held := h.Hop
		held.Edge, held.EdgeType = v.Edge, v.EdgeType
		return []analysis.Hop{ctx, held}
	}
	return nil
}

// heldContents is how many classes of what a holder keeps its message
// names.
const heldContents = 3

// heldMessage states what a holder of a single snapshot keeps: the object,
// the memory it retains, its share of the heap, and the classes of the
// objects in it (contents, largest first).
func heldMessage(hd holder, h *analysis.Holder, heapSize uint64, contents []analysis.ClassLeak) string {
	var b strings.Builder
	if h.Type == "closure" && hd.rule == RetainedByClosure {
		fmt.Fprintf(&b, "%s retains %s", hd.what, units.Bytes(h.RetainedSize))
	} else {
		fmt.Fprintf(&b, "%s holds %s %s retaining %s", hd.what, article(h.Name), h.Name, units.Bytes(h.RetainedSize))
	}
	if heapSize > 0 {
		fmt.Fprintf(&b, " (%.0f%% of the %s heap)", 100*float64(h.RetainedSize)/float64(heapSize), units.Bytes(heapSize))
	}
	b.WriteString(" when the snapshot was taken")
	for i, c := range contents {
		sep := ", "
		if i == 0 {
			sep = ", holding "
		}
		fmt.Fprintf(&b, "%s%s %s (%s)", sep, units.Count(c.Count), c.Constructor, units.Bytes(c.RetainedSize))
	}
	return b.String()
}

// article returns "an" before a vowel, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("AEIOUaeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
