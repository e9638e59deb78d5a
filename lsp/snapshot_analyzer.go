package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"

	"golang.org/x/sync/errgroup"

	heap "github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/config"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/holders"
	"github.com/leakls/leakls/srcloc"
)

// The snapshot-evidence rules can be configured like the static ones.
func init() {
	for _, r := range holders.Rules() {
		if !config.KnownRule(r.ID) {
			config.RegisterRules(r.ID)
		}
	}
}

// leakReportAnalyzer returns the built-in SnapshotAnalyzer for the
// workspace at root: the set's leak report (analysis.FindLeaks; a pair is
// diffed with its target as the final snapshot) joined to the sources by
// holders.Find, which reports each cluster at the code that holds it
// (LK101-LK105) with the retainer path's hops as related locations.
func leakReportAnalyzer(root string) SnapshotAnalyzer {
	return func(ctx context.Context, set SnapshotSet, report func(string, int)) ([]finding.Finding, error) {
		final := set.Final
		if final == "" {
			final = set.Target
		}
		var mu sync.Mutex
		loaded := map[string]int{}
		load := func(path string) heap.LoadOptions {
			return heap.LoadOptions{Progress: func(stage string, done, total int64) {
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
			}}
		}
		var base, tgt *heap.IDSet
		var fin *heap.Snapshot
		var g errgroup.Group
		g.Go(func() (err error) { base, err = heap.ReadIDs(set.Baseline, load(set.Baseline)); return err })
		g.Go(func() (err error) { tgt, err = heap.ReadIDs(set.Target, load(set.Target)); return err })
		g.Go(func() (err error) { fin, err = heap.Load(final, load(final)); return err })
		if err := g.Wait(); err != nil {
			return nil, err
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if base.MaxID() > tgt.MaxID() {
			return nil, fmt.Errorf("%s was taken after %s (its largest object id is higher): a set is baseline, target, final, all from one process", set.Baseline, set.Target)
		}
		report("dominators, retainer paths and clusters", 85)
		rep := heap.FindLeaks(base, tgt, fin, heap.LeakOptions{})
		report("tracing holders to source", 95)
		return holders.Find(ctx, fin, rep, holders.Options{Resolver: srcloc.NewResolver(root)}), nil
	}
}
