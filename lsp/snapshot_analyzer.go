package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"

	heap "github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/holders"
	"github.com/leakls/leakls/srcloc"
)

// leakReportAnalyzer returns the built-in SnapshotAnalyzer for the
// workspace at root: the set's leak report (analysis.DiffSeries, which
// refuses snapshots that are not one process's series; a pair is diffed
// with its target as the final snapshot) joined to the sources by
// holders.Find, which reports each cluster and each holder that grew at
// every step at the code that holds it (LK101-LK105) with the retainer
// path's hops as related locations. A single snapshot's biggest holders
// are placed by holders.FindHeld, as information. semantics returns the
// retained-size semantics of the current settings.
func leakReportAnalyzer(root string, semantics func() heap.Semantics) SnapshotAnalyzer {
	return func(ctx context.Context, set SnapshotSet, report func(string, int)) ([]finding.Finding, error) {
		var mu sync.Mutex
		loaded := map[string]int{}
		progress := func(path string) func(string, int64, int64) {
			return func(stage string, done, total int64) {
				mu.Lock()
				defer mu.Unlock()
				if total > 0 {
					loaded[path] = int(done * 100 / total)
				}
				sum := 0
				for _, pct := range loaded {
					sum += pct
				}
				report(fmt.Sprintf("%s: %s", filepath.Base(path), stage), sum*80/100/len(set.Paths()))
			}
		}
		opts := holders.Options{Resolver: srcloc.NewResolver(root)}
		if set.Single() {
			s, err := heap.Load(set.Final, heap.LoadOptions{Progress: progress(set.Final)})
			if err != nil {
				return nil, err
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			report("tracing holders to source", 90)
			return holders.FindHeld(ctx, s, semantics(), opts), nil
		}
		rep, fin, err := heap.DiffSeries(ctx, set.Baseline, set.Target, set.Final, heap.DiffOptions{Semantics: semantics(), Progress: progress})
		if err != nil {
			return nil, err
		}
		report("tracing holders to source", 95)
		return holders.Find(ctx, fin, rep, opts), nil
	}
}
