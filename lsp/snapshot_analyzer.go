package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	heap "github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/config"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/srcloc"
	"github.com/leakls/leakls/staticcheck"
)

// SnapshotRule is the rule ID of the evidence the built-in snapshot
// analyzer publishes: objects allocated between the baseline and target
// snapshots that are still alive in the final one, reported at the code
// that holds them.
const SnapshotRule = "LK100"

func init() { config.RegisterRules(SnapshotRule) }

// leakReportAnalyzer returns the built-in SnapshotAnalyzer for the
// workspace at root. It diffs the set with analysis.DiffFiles (a pair is
// diffed with its target as the final snapshot) and reports each cluster of
// leaked objects at its holder: the hop of the cluster's retainer path
// nearest to the leaked objects whose script position lies in a workspace
// file (through source maps, with srcloc). The hops with positions are the
// finding's related locations, in path order.
func leakReportAnalyzer(root string) SnapshotAnalyzer {
	return func(ctx context.Context, set SnapshotSet, report func(string, int)) ([]finding.Finding, error) {
		final := set.Final
		if final == "" {
			final = set.Target
		}
		type result struct {
			rep *heap.LeakReport
			err error
		}
		done := make(chan result, 1)
		var mu sync.Mutex
		loaded := map[string]int{}
		go func() {
			// DiffFiles takes no context: on cancellation its result is
			// dropped when it finishes.
			rep, err := heap.DiffFiles(set.Baseline, set.Target, final, heap.DiffOptions{
				Progress: func(path string) func(string, int64, int64) {
					return func(stage string, doneBytes, total int64) {
						mu.Lock()
						defer mu.Unlock()
						if total > 0 {
							loaded[path] = int(doneBytes * 100 / total)
						}
						sum := 0
						for _, pct := range loaded {
							sum += pct
						}
						report(fmt.Sprintf("%s: %s", filepath.Base(path), stage), sum*90/100/len(set.Paths()))
					}
				},
			})
			done <- result{rep, err}
		}()
		var res result
		select {
		case res = <-done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if res.err != nil {
			return nil, res.err
		}
		report("mapping holders to source", 95)
		return clusterFindings(ctx, srcloc.NewResolver(root), res.rep), nil
	}
}

// clusterFindings turns the clusters of a leak report into findings at
// their holders; clusters held only by code outside the workspace (Node
// internals, dependencies) are left out.
//
// The holder is, preferably, the declaration of the variable that holds the
// cluster: a retainer path that goes through a closure context of a
// workspace file and takes a variable edge names the variable, and the
// file's scope model finds its declaration. Otherwise it is the hop nearest
// to the leaked objects whose script position lies in a workspace file.
func clusterFindings(ctx context.Context, res *srcloc.Resolver, rep *heap.LeakReport) []finding.Finding {
	decls := &declFinder{ctx: ctx, units: map[string]*staticcheck.Unit{}}
	var out []finding.Finding
	for _, cl := range rep.Clusters {
		var related []finding.Related
		var holder *finding.Location
		holderText := ""
		for i, h := range cl.Path {
			if h.File == "" {
				continue
			}
			line, col := max(h.Line-1, 0), max(h.Column-1, 0)
			p, err := res.Locate(h.File, "", line, col)
			if err != nil || p.Kind != srcloc.KindUser {
				continue
			}
			if i+1 < len(cl.Path) && cl.Path[i+1].EdgeType == "context" {
				// h is a context of a workspace file; the next hop is one of
				// its variables.
				name := cl.Path[i+1].Edge
				if r, ok := decls.find(p.Location.File, name); ok {
					loc := finding.Location{File: p.Location.File, Range: r}
					holder, holderText = &loc, fmt.Sprintf("variable %s", name)
					related = append(related, finding.Related{Location: loc, Message: fmt.Sprintf("hop %d of %d: %s is declared here", i+2, len(cl.Path), name)})
					continue
				}
			}
			if h.Line <= 0 {
				continue // a file without a position: nothing to point at
			}
			loc := p.Location
			related = append(related, finding.Related{Location: loc, Message: fmt.Sprintf("hop %d of %d: %s %s", i+1, len(cl.Path), hopEdge(h), h.Name)})
			if holderText == "" || holder == nil {
				holder, holderText = &loc, h.Name
			}
		}
		if holder == nil {
			continue
		}
		loc := *holder
		// The whole line of the holder is flagged.
		loc.Range.End = finding.Pos{Offset: -1, Line: loc.Range.Start.Line, Col: 1 << 30}
		out = append(out, finding.Finding{
			Rule:     SnapshotRule,
			File:     loc.File,
			Range:    loc.Range,
			Severity: finding.SeverityWarning,
			Message: fmt.Sprintf("%d %s object(s) (%s retained) allocated between the snapshots are still alive, held by %s through %s",
				cl.Count, cl.Constructor, humanBytes(cl.RetainedSize), holderText, pathText(cl.Path)),
			Related: related,
		})
	}
	return out
}

// declFinder finds module-level declarations by name in workspace files,
// parsing each file once per report.
type declFinder struct {
	ctx   context.Context
	units map[string]*staticcheck.Unit // nil entry: the file cannot be parsed
}

// find returns the range of the identifier that declares name at module
// level in the file at path.
func (d *declFinder) find(path, name string) (finding.Range, bool) {
	u, seen := d.units[path]
	if !seen {
		if src, err := readSource(path); err == nil {
			if prog, err := staticcheck.Load(d.ctx, []staticcheck.File{{Path: path, Src: src}}, nil); err == nil {
				u = prog.Unit(path)
			}
		}
		d.units[path] = u
	}
	if u == nil || name == "" {
		return finding.Range{}, false
	}
	decl := u.Scope.DeclarationOf(name)
	if decl == nil {
		return finding.Range{}, false
	}
	return finding.Range{Start: u.Tree.Pos(u.Tree.Start(decl.Ident)), End: u.Tree.Pos(u.Tree.EndByte(decl.Ident))}, true
}

// pathText renders a retainer path as the edge names a program would use,
// from the root: V8's internal, hidden and weak edges and the GC roots'
// synthetic entries are left out.
func pathText(path []heap.Hop) string {
	var parts []string
	for _, h := range path {
		switch {
		case h.Edge == "", h.Type == "synthetic",
			h.EdgeType == "internal", h.EdgeType == "hidden", h.EdgeType == "weak", h.EdgeType == "shortcut":
			continue
		}
		parts = append(parts, hopEdge(h))
	}
	if len(parts) == 0 {
		return "V8 internals"
	}
	if len(parts) > 8 {
		parts = append(parts[:3], append([]string{"…"}, parts[len(parts)-4:]...)...)
	}
	return strings.Join(parts, " → ")
}

// hopEdge names the edge a hop takes.
func hopEdge(h heap.Hop) string {
	switch h.EdgeType {
	case "element":
		return "[" + h.Edge + "]"
	case "context":
		return "(closure variable) " + h.Edge
	}
	return "." + h.Edge
}

// humanBytes formats a byte count.
func humanBytes(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
