package holders

import (
	"cmp"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/units"
	"github.com/leakls/leakls/srcloc"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// Allocation sites: where the objects of a cluster were allocated, from
// the allocation stacks of a snapshot taken with V8's allocation tracker
// on. A stack's frames are functions (V8 records each function's start);
// each is narrowed, in the function's original source, to the `new`
// expression of the cluster's class or to the call of the next frame.

// maxAllocationFrames bounds the frames of a placed allocation stack.
const maxAllocationFrames = 4

// The names of frames without a function name, once placed.
const (
	topLevel  = "(top level)"
	anonymous = "(anonymous function)"
)

// placedFrame is a frame of an allocation stack placed in the source.
type placedFrame struct {
	analysis.Frame
	place srcloc.Place
}

// allocationStack places the frames of stack a of cluster c: frames in
// Node's own code or without a file are left out, the program's frames
// come first and those of its dependencies (node_modules) after, at most
// maxAllocationFrames. Each frame is placed at the expression that made
// the next one (see narrow) when its function's source can be read.
// Stacks are placed once: the finding's related locations and the
// report's stacks (placeAllocations) share them.
func (j *joiner) allocationStack(c *analysis.Cluster, a *analysis.Allocation) []placedFrame {
	if placed, ok := j.stacks[a]; ok {
		return placed
	}
	var own, deps []placedFrame
	for _, f := range a.Frames {
		pl, ok := j.locate(f.File, f.Line-1, f.Column-1)
		if f.Line <= 0 || !ok || !owned(pl) {
			continue
		}
		pf := placedFrame{Frame: f, place: pl}
		j.narrow(&pf, c.Constructor)
		pf.Dependency = pl.Kind == srcloc.KindDependency
		if pf.Dependency {
			deps = append(deps, pf)
		} else {
			own = append(own, pf)
		}
	}
	out := append(own, deps...)
	out = out[:min(len(out), maxAllocationFrames)]
	j.stacks[a] = out
	return out
}

// narrow places pf at the expression of its function's body (nested
// functions excluded; the module's top level for the module's own frame)
// that led to the allocation: the call of the function it called on the
// stack, or, for the allocating frame, the `new` expression of class. It
// leaves pf at the function when there is none.
func (j *joiner) narrow(pf *placedFrame, class string) {
	m, _, ok := j.original(pf.place)
	if !ok {
		return
	}
	st := pf.place.Location.Range.Start
	body := m.FunctionAt(st.Line, st.Col)
	switch {
	case body == syntax.None:
		body, pf.Function = m.Tree.Root(), topLevel
	case pf.Function == "":
		pf.Function = anonymous
	}
	kind, field, name, text := "new_expression", "constructor", class, "new "+class+"()"
	if pf.Calls != "" {
		// V8 names a method "Class.method" or "obj.method": the call
		// names the method.
		name = pf.Calls[strings.LastIndexByte(pf.Calls, '.')+1:]
		kind, field, text = "call_expression", "function", name+"()"
	}
	if n := expressionIn(m.Tree, body, kind, field, name); n != syntax.None {
		pf.place.Location.Range = m.Tree.Range(n)
		pf.Expression = text
	}
}

// expressionIn returns the first expression of kind (a new or call
// expression) in the body of fn, nested functions excluded, whose field
// (the constructor or the function called) names name, or syntax.None. A
// bundler's renamed identifier ("Order2" for a second Order) matches its
// original name.
func expressionIn(t *syntax.Tree, fn syntax.Node, kind, field, name string) syntax.Node {
	name = strings.TrimRight(name, "0123456789")
	for n := fn + 1; n < t.End(fn); n++ {
		k := t.Kind(n)
		if scope.IsFunction(k) {
			n = t.End(n) - 1
			continue
		}
		if k != kind {
			continue
		}
		callee := t.Unparen(t.ChildByField(n, field))
		if t.Kind(callee) == "member_expression" {
			callee = t.ChildByField(callee, "property")
		}
		if text := strings.TrimRight(t.Text(callee), "0123456789"); text != "" && text == name {
			return n
		}
	}
	return syntax.None
}

// allocated returns the related locations of c's allocation stacks: for
// each stack, its allocating frame ("allocated here: new Order() in
// handle()"), and for the most common one, its callers.
func (j *joiner) allocated(c *analysis.Cluster) []finding.Related {
	var out []finding.Related
	for i := range c.Allocations {
		a := &c.Allocations[i]
		for k, pf := range j.allocationStack(c, a) {
			if !filepath.IsAbs(pf.place.Location.File) || (i > 0 && k > 0) {
				continue
			}
			out = append(out, finding.Related{Location: pf.place.Location, Message: frameText(pf, k, a.Count, c), Kind: finding.RelatedAllocation})
		}
	}
	return out
}

// frameText describes frame k of an allocation stack that allocated count
// of the objects of cluster c.
func frameText(pf placedFrame, k, count int, c *analysis.Cluster) string {
	fn := cmp.Or(pf.Function, anonymous)
	if !strings.HasPrefix(fn, "(") {
		fn += "()"
	}
	if k > 0 {
		return "called here, in " + fn + ", on the allocation stack"
	}
	if pf.Calls != "" && pf.Expression != "" {
		return fmt.Sprintf("allocated through %s in %s (%s of %s)", pf.Expression, fn, units.Count(count), countOf(c.Count, c.Constructor))
	}
	what := "allocated in " + fn
	if pf.Expression != "" {
		what = "allocated here: " + pf.Expression + " in " + fn
	}
	return fmt.Sprintf("%s (%s of %s)", what, units.Count(count), countOf(c.Count, c.Constructor))
}

// placeAllocations rewrites the allocation stacks of clusters into the
// workspace's sources the way the clusters' findings show them: frames in
// Node's own code or without a file left out, the program's frames first
// and its dependencies' after, files relative to the resolver's root,
// each frame at the expression that led to the allocation when found (see
// narrow). A stack left with no frame is dropped.
func (j *joiner) placeAllocations(clusters []analysis.Cluster) {
	for i := range clusters {
		c := &clusters[i]
		var placed []analysis.Allocation
		for k := range c.Allocations {
			a := &c.Allocations[k]
			var frames []analysis.Frame
			for _, pf := range j.allocationStack(c, a) {
				st := pf.place.Location.Range.Start
				pf.File, pf.Line, pf.Column = pf.place.Rel, st.Line+1, st.Col+1
				frames = append(frames, pf.Frame)
			}
			if len(frames) > 0 {
				placed = append(placed, analysis.Allocation{Count: a.Count, Frames: frames})
			}
		}
		c.Allocations = placed
	}
}
