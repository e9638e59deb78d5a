package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"

	heap "github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/evidence"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/sysmem"
)

// leakReportAnalyzer returns the built-in SnapshotAnalyzer for the
// workspace at root: the evidence of the set (evidence.Analyze, which
// refuses snapshots that are not one process's series; a pair is diffed
// with its target as the final snapshot), that is the holder of each
// cluster and of each holder that grew at every step at the code that
// holds it (LK101-LK105), with the retainer path's hops as related
// locations, or a single snapshot's biggest holders, as information.
// semantics returns the retained-size semantics of the current settings;
// a set whose analysis needs more memory than available returns is
// refused before it is loaded.
func leakReportAnalyzer(root string, semantics func() heap.Semantics, available func() (sysmem.Available, bool)) SnapshotAnalyzer {
	return func(ctx context.Context, set SnapshotSet, report func(string, int)) ([]finding.Finding, error) {
		rep, err := evidence.Analyze(ctx, set.Paths(), evidence.Options{
			Root:      root,
			Semantics: semantics(),
			PairLeaks: true,
			Progress:  loadProgress(len(set.Paths()), report),
			Available: available,
		})
		if err != nil {
			return nil, err
		}
		return rep.Findings, nil
	}
}

// loadProgress returns the progress callbacks of the evidence pipeline on
// n files for report: the mean of the files' loading, up to 80%; a stage
// without measurable progress keeps the percentage.
func loadProgress(n int, report func(string, int)) func(string) func(string, int64, int64) {
	var mu sync.Mutex
	loaded := map[string]int{}
	return func(path string) func(string, int64, int64) {
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
			report(fmt.Sprintf("%s: %s", filepath.Base(path), stage), sum*80/100/n)
		}
	}
}
