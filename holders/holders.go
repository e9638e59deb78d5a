// Package holders joins heap-snapshot evidence to source code: for each
// leak cluster of an analysis.LeakReport it walks the retainer path to the
// first hop the user's code owns — a module variable, an event listener, a
// timer callback, a property of a long-lived object, a closure — finds that
// holder in the source (the declaration, the listener function, the class
// field) through source maps to the original file, then its growth sites:
// the statements that add to it (the push() or set() on the collection,
// the on() or setInterval() call that registers the function). It reports
// a finding of one of the LK1xx rules at the most likely growth site, with
// the holder, the other growth sites and every hop of the path that has a
// source position as related information. When a static rule fires on the
// same code, the finding carries its quick fixes; when it flags the growth
// site's statement, the heap confirms it (Finding.Confirmed, Confirm).
package holders

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/relpath"
	"github.com/leakls/leakls/internal/units"
	"github.com/leakls/leakls/srcloc"
	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// Options configure Find.
type Options struct {
	// Resolver maps script names to workspace files through source maps.
	// Required.
	Resolver *srcloc.Resolver
	// Paths are the snapshot's retainer paths, for FindHeld (nil: computed
	// there).
	Paths *analysis.Paths
}

// Find returns one finding per holder of rep that it can place in a
// file: the holders of its clusters (objects allocated between baseline
// and target, still alive in final), largest retained size first, then
// the holders that grew at every step of the series (rep.Growing). final
// is the snapshot the report was computed from (its node ordinals are
// those of the paths). Holders only Node's or V8's own code owns, and
// clusters marked Node, are left out. Find never fails: what cannot be placed is not reported, and a
// source map that cannot be used degrades to the generated file with a
// note in the message. The clusters' allocation stacks, from snapshots
// with allocation traces, are rewritten into the workspace's sources the
// way the findings show them: their frames at the program's lines,
// relative to the resolver's root.
func Find(ctx context.Context, final *analysis.Snapshot, rep *analysis.LeakReport, opts Options) []finding.Finding {
	j := newJoiner(ctx, final, opts.Resolver)
	j.confirm = true
	var out spots
	// Evidence summed up in a spot's finding takes its signature.
	place(ctx, &out, rep.Clusters, j.cluster, func(e *spotFinding, c *analysis.Cluster) {
		e.more.add(c)
		c.Signature = e.Signature
	})
	place(ctx, &out, rep.Growing, j.growth, func(e *spotFinding, g *analysis.Growth) {
		e.grew = append(e.grew, g.Summary())
		g.Signature = e.Signature
	})
	j.placeAllocations(rep.Clusters)
	return out.findings()
}

// place adds to out the finding placed (by find) for each of items, the
// leak evidence of one kind; an item placed at a spot that already has a
// finding goes to again instead. It stops when ctx ends.
func place[T any](ctx context.Context, out *spots, items []T, find func(*T) (finding.Finding, bool), again func(*spotFinding, *T)) {
	for i := range items {
		if ctx.Err() != nil {
			return
		}
		if f, ok := find(&items[i]); ok {
			if e, added := out.add(f); !added {
				again(e, &items[i])
			}
		}
	}
}

// spots collects findings, one per holder spot: evidence traced to a spot
// that already has a finding (one Map holding requests and the sockets
// they own, a Map that also grew) is summed up in that finding.
type spots struct {
	at   map[spot]int
	list []*spotFinding
}

// spot is where a finding is: its rule and start.
type spot struct {
	rule, file string
	line, col  int
}

// spotFinding is a finding with the further evidence held at its spot.
type spotFinding struct {
	finding.Finding
	more moreClusters // the clusters after the first
	grew []string     // the summaries of the holders that grew, after the first evidence
}

// add returns the entry of f's spot and whether f was added as the spot's
// first evidence.
func (s *spots) add(f finding.Finding) (*spotFinding, bool) {
	k := spot{f.Rule, f.File, f.Range.Start.Line, f.Range.Start.Col}
	if i, ok := s.at[k]; ok {
		return s.list[i], false
	}
	if s.at == nil {
		s.at = map[spot]int{}
	}
	s.at[k] = len(s.list)
	e := &spotFinding{Finding: f}
	s.list = append(s.list, e)
	return e, true
}

// findings returns the collected findings in the order their spots were
// first seen, each message ending with the further evidence.
func (s *spots) findings() []finding.Finding {
	out := make([]finding.Finding, len(s.list))
	for i, e := range s.list {
		out[i] = e.Finding
		out[i].Message += e.more.text()
		if len(e.grew) > 0 {
			out[i].Message += "; grew at every step here: " + strings.Join(e.grew, "; ")
		}
	}
	return out
}

// moreClusters sums up the further clusters held at one finding's spot.
type moreClusters struct {
	clusters, objects int
	retained          uint64
}

func (m *moreClusters) add(c *analysis.Cluster) {
	m.clusters++
	m.objects += c.Objects
	m.retained += c.RetainedSize
}

// text is the sentence appended to the finding's message, or "".
func (m moreClusters) text() string {
	if m.clusters == 0 {
		return ""
	}
	return fmt.Sprintf("; %s more %s of %s held here (+%s)", units.Count(m.clusters), plural(m.clusters, "cluster", "clusters"),
		countOf(m.objects, "leaked"), units.Bytes(m.retained))
}

// Placer places the hops of retainer paths of one snapshot in the
// workspace's sources, through source maps. It caches the scripts' texts
// (for inline source maps); it is not safe for concurrent use.
type Placer struct {
	r     *srcloc.Resolver
	src   *analysis.Sources
	texts map[string]string
}

// NewPlacer returns a placer for the hops of snapshot s.
func NewPlacer(r *srcloc.Resolver, s *analysis.Snapshot) *Placer {
	return &Placer{r: r, src: analysis.NewSources(s), texts: map[string]string{}}
}

// Hop returns the source place of a hop (in the original file when a
// source map applies), and false when the hop has no position or its
// script name cannot be read.
func (p *Placer) Hop(h analysis.Hop) (srcloc.Place, bool) {
	if h.File == "" || h.Line <= 0 {
		return srcloc.Place{}, false
	}
	return p.locate(h.File, h.Line-1, h.Column-1)
}

// locate places a 0-based V8 position of script.
func (p *Placer) locate(script string, line, col int) (srcloc.Place, bool) {
	text, ok := p.texts[script]
	if !ok {
		text, _ = p.src.ScriptSource(script)
		p.texts[script] = text
	}
	pl, err := p.r.Locate(script, text, line, col)
	if err == nil && pl.Generated != nil && pl.Location.Range.Start.Offset < 0 && pl.Generated.Range.Start.Offset >= 0 {
		// The original is neither on disk nor embedded in the source
		// map: name the code that ran, which the user can open.
		pl.Note = fmt.Sprintf("the source map names %s, which is neither on disk nor embedded in the map; showing the generated code", pl.Rel)
		pl.Location, pl.Rel, pl.Generated = *pl.Generated, relpath.Display(p.r.Root, pl.Generated.File), nil
	}
	return pl, err == nil
}

// joiner holds the caches of one Find: placed scripts, parsed files and
// static findings.
type joiner struct {
	*Placer
	ctx    context.Context
	s      *analysis.Snapshot
	files  map[string]*staticcheck.Program // nil for files that cannot be parsed
	static map[string][]finding.Finding
	// confirm marks the findings at a growth site that a static rule
	// flags (see link): the evidence of a series, not of one snapshot.
	confirm bool
	// stacks are the placed allocation stacks (see allocationStack).
	stacks map[*analysis.Allocation][]placedFrame
	// lines are the files' lines, for signatures (see lineText).
	lines map[string][]string
}

func newJoiner(ctx context.Context, s *analysis.Snapshot, r *srcloc.Resolver) *joiner {
	return &joiner{Placer: NewPlacer(r, s), ctx: ctx, s: s,
		files: map[string]*staticcheck.Program{}, static: map[string][]finding.Finding{},
		stacks: map[*analysis.Allocation][]placedFrame{}, lines: map[string][]string{}}
}

// owned reports whether a place is code of the workspace or of its
// dependencies, as opposed to Node's own code or code without a file.
func owned(pl srcloc.Place) bool {
	switch pl.Kind {
	case srcloc.KindUser, srcloc.KindDependency, srcloc.KindExternal:
		return true
	}
	return false
}

// unit returns the file at path parsed, with its scope model, as a
// program of its own (for the identities of staticcheck.Program.KeyOf),
// parsing it once; nil when it cannot be read or is not JavaScript or
// TypeScript.
func (j *joiner) unit(path string) (*staticcheck.Program, *staticcheck.Unit) {
	p, ok := j.files[path]
	if !ok {
		p = parseFile(j.ctx, path)
		j.files[path] = p
	}
	if p == nil {
		return nil, nil
	}
	return p, p.Units[0]
}

// model returns the scope model of the file at path (see unit), or nil.
func (j *joiner) model(path string) *scope.Model {
	if _, u := j.unit(path); u != nil {
		return u.Scope
	}
	return nil
}

// parseFile parses the file at path into a program of one unit, or
// returns nil.
func parseFile(ctx context.Context, path string) *staticcheck.Program {
	if _, ok := syntax.LangOf(path); !ok {
		return nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	// Bundles the snapshot's scripts ran from may exceed the static check's
	// staticcheck.MaxFileSize; Parse itself refuses sources past its cap.
	p, err := staticcheck.Load(ctx, []staticcheck.File{{Path: path, Src: src}}, nil)
	if err != nil {
		return nil
	}
	return p
}

// holder is where a cluster is held: the rule, the range in the original
// file, and what is known about it.
type holder struct {
	rule *rules.Rule
	// place is where the finding goes: the growth site (the statement that
	// adds to the holder) when one was found, else the holder itself.
	place srcloc.Place
	// what names the holder for the message: "the module variable
	// requestCache", "the listener registered here", ...
	what string
	// decl is the holder's own place — the declaration, the listener
	// function — when place is a growth site; declText labels it.
	decl     *finding.Location
	declText string
	// sites are the other growth sites, less likely than place.
	sites []site
	// note ends the message: the growth site's statement, or that none
	// was found.
	note string
}

// grow moves h to the first of the growth sites of a collection, keeping
// its declaration as a related location, or notes that none was found.
func (h *holder) grow(sites []site) {
	if len(sites) == 0 {
		h.note = "; no statement that adds to it was found: this is its declaration"
		return
	}
	decl := h.place.Location
	h.decl, h.declText = &decl, "declared here: "+strings.TrimPrefix(h.what, "the ")
	h.place.Location = sites[0].loc
	h.sites = sites[1:]
	h.note = "; it grows here: " + sites[0].text
}

// related returns the holder's declaration and its other growth sites as
// related locations.
func (h *holder) related() []finding.Related {
	var out []finding.Related
	if h.decl != nil {
		out = append(out, finding.Related{Location: *h.decl, Message: h.declText, Kind: finding.RelatedHolder})
	}
	for _, s := range h.sites {
		out = append(out, finding.Related{Location: s.loc, Message: "also adds to it: " + s.text, Kind: finding.RelatedGrowth})
	}
	return out
}

// cluster turns one cluster into a finding. Clusters only Node holds
// (analysis.Cluster.Node) are Node's, not the program's: none.
func (j *joiner) cluster(c *analysis.Cluster) (finding.Finding, bool) {
	if _, dictionary := propertyKey(c.Path); c.Node || dictionary && c.Count < 2 {
		return finding.Finding{}, false
	}
	f, ok := j.evidence(c.Path, func(h holder) string {
		c.Signature = j.signature(h, c.Constructor)
		return clusterMessage(h, c)
	})
	f.Signature = c.Signature
	f.Related = append(f.Related, j.allocated(c)...)
	return f, ok
}

// growth turns a holder that grew at every step into a finding.
func (j *joiner) growth(g *analysis.Growth) (finding.Finding, bool) {
	f, ok := j.evidence(g.Path, func(h holder) string {
		g.Signature = j.signature(h, g.Holder.Name)
		return growthMessage(h, g)
	})
	f.Signature = g.Signature
	return f, ok
}

// evidence turns the retainer path of some evidence into a finding at
// the holder the path leads to, with the message message gives for it.
func (j *joiner) evidence(path []analysis.Hop, message func(holder) string) (finding.Finding, bool) {
	if len(path) == 0 {
		return finding.Finding{}, false
	}
	h, chain, ok := j.find(path)
	if !ok {
		return finding.Finding{}, false
	}
	f := finding.Finding{
		Rule:     h.rule.ID,
		File:     h.place.Location.File,
		Range:    h.place.Location.Range,
		Severity: h.rule.Severity,
		Message:  message(h) + h.note + placeNote(h.place),
		Related:  append(h.related(), j.related(chain)...),
	}
	j.link(&f, h.decl != nil && j.confirm)
	return f, true
}

// find looks for the holder of a path: the leaked object itself when it
// is a closure of the user's code; else a listener or timer callback the
// leaked object holds (the leaked object is an internal list of them);
// else the first hop outward from the leaked object that the user's code
// owns. It returns the chain of hops the holder was found in.
func (j *joiner) find(path []analysis.Hop) (holder, []analysis.Hop, bool) {
	leaf := len(path) - 1
	if shape, _ := propertyKey(path); shape {
		return holder{}, nil, false
	}
	if path[leaf].Type == "closure" {
		if pl, ok := j.Hop(path[leaf]); ok && owned(pl) {
			return j.closure(path, leaf, pl), path, true
		}
	}
	if chain, ok := j.inward(path); ok {
		pl, _ := j.Hop(chain[len(chain)-1])
		if h := j.closure(chain, len(chain)-1, pl); h.rule != RetainedByClosure {
			return h, chain, true
		}
	}
	for i := leaf; i >= 1; i-- {
		hp := path[i]
		switch {
		case i < leaf && hp.Type == "closure":
			if pl, ok := j.Hop(hp); ok && owned(pl) {
				return j.closure(path, i, pl), path, true
			}
		case hp.EdgeType == "context":
			if h, ok := j.variable(path, i); ok {
				return h, path, true
			}
		case hp.EdgeType == "property" && path[i-1].Type == "object":
			if h, ok := j.property(path, i); ok {
				return h, path, true
			}
			if h, ok := j.exported(path, i); ok {
				return h, path, true
			}
		}
	}
	return holder{}, nil, false
}

// propertyKey reports whether the leaked object at the end of path is a
// property name: a key V8 keeps in a descriptor array once per object
// shape, or a key of an object in dictionary mode (under its "(object
// properties)"). Dictionary keys are the program's own when they pile up
// (`seen[message] = true` keeps each message), so a cluster of several is
// placed (see cluster); a single one is a table's key made on first use,
// such as an emitter's event name.
func propertyKey(path []analysis.Hop) (shape, dictionary bool) {
	leaf := len(path) - 1
	if leaf < 1 || !strings.HasPrefix(path[leaf].Name, `"`) || path[leaf].EdgeType != "internal" {
		return false, false
	}
	from := path[leaf-1].Name
	return from == "system / DescriptorArray", from == "(object properties)"
}

// maxInward bounds the search below a leaked object for the callbacks it
// holds: a timer list holds its timers' callbacks two edges down
// (_idleNext, _onTimeout), a listener array its listeners one edge down.
// maxInwardNodes bounds the nodes it visits.
const (
	maxInward      = 3
	maxInwardNodes = 4096
)

// step is a node reached by the inward search: the edge it was reached
// through and the index of the step it was reached from.
type step struct{ node, via, parent int }

// inward searches, breadth first from the leaked object at the end of
// path, a closure of the user's code registered as a listener or a timer
// callback, and returns path extended to it.
func (j *joiner) inward(path []analysis.Hop) ([]analysis.Hop, bool) {
	if chain, ok := j.mostAdded(path); ok {
		return chain, true
	}
	s := j.s
	start := path[len(path)-1].Node
	steps := []step{{node: start, via: -1, parent: -1}}
	seen := map[int]bool{start: true}
	for level, first := 0, 0; level < maxInward && first < len(steps); level++ {
		end := len(steps)
		for k := first; k < end && len(steps) < maxInwardNodes; k++ {
			from, last := s.EdgeRange(steps[k].node)
			for e := from; e < last; e++ {
				if t := s.EdgeType(e); t == analysis.EdgeWeak || t == analysis.EdgeShortcut {
					continue
				}
				to := s.EdgeTo(e)
				if seen[to] || !listEdge(s, e, steps[k].via) {
					continue
				}
				seen[to] = true
				steps = append(steps, step{node: to, via: e, parent: k})
				if s.NodeType(to) != analysis.NodeClosure {
					continue
				}
				chain := j.extend(path, steps, len(steps)-1)
				if kind := registeredAs(chain, len(chain)-1); kind == RetainedByClosure {
					continue
				}
				if pl, ok := j.Hop(chain[len(chain)-1]); ok && owned(pl) {
					return chain, true
				}
			}
		}
		first = end
	}
	return nil, false
}

// listEdge reports whether the edge e, from an object reached through the
// edge via (-1 for the leaked object), can lead from a list of listeners
// or timers to one of them: an element or internal edge, the links of
// Node's timer and EventTarget lists, the listener of a once() wrapper,
// an emitter's _events and the event names under it. Other properties
// lead away from the list (a leaked Socket's server, whose own request
// listener does not hold the Socket).
func listEdge(s *analysis.Snapshot, e, via int) bool {
	switch s.EdgeType(e) {
	case analysis.EdgeElement, analysis.EdgeInternal, analysis.EdgeHidden:
		return true
	case analysis.EdgeProperty:
	default:
		return false
	}
	switch name := s.EdgeName(e); name {
	case "_events", "_onTimeout", "_idleNext", "_idlePrev", "listener", "callback", "next", "previous":
		return true
	default:
		return strings.Contains(name, "kEvents") || via >= 0 && s.EdgeName(via) == "_events"
	}
}

// extend returns path followed by the hops of the inward search that lead
// to steps[k].
func (j *joiner) extend(path []analysis.Hop, steps []step, k int) []analysis.Hop {
	var ext []analysis.Hop
	for ; k > 0; k = steps[k].parent {
		h := analysis.NodeHop(j.s, j.src, steps[k].node)
		h.Edge, h.EdgeType = j.s.EdgeName(steps[k].via), j.s.EdgeType(steps[k].via).String()
		ext = append(ext, h)
	}
	chain := append(make([]analysis.Hop, 0, len(path)+len(ext)), path...)
	for i := len(ext) - 1; i >= 0; i-- {
		chain = append(chain, ext[i])
	}
	return chain
}

// maxListenerDepth is how far above a listener closure its emitter's
// listener table can be: _events → .name → [i] → closure, or for an
// EventTarget, its kEvents map → table → record → next → .listener.
const maxListenerDepth = 5

// registeredAs classifies the closure at chain[k] by how it is held: a
// timer's callback (_onTimeout), an emitter's listener (under _events, or an
// EventTarget's kEvents), or any other closure.
func registeredAs(chain []analysis.Hop, k int) *rules.Rule {
	if chain[k].Edge == "_onTimeout" {
		return RetainedByTimer
	}
	for i := k; i > 0 && i > k-maxListenerDepth; i-- {
		if e := chain[i].Edge; e == "_events" || strings.Contains(e, "kEvents") {
			return RetainedByListener
		}
	}
	return RetainedByClosure
}
