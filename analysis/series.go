package analysis

import (
	"context"
	"os"
	"runtime"

	"golang.org/x/sync/errgroup"
)

// DiffOptions configures DiffFiles and DiffSeries.
type DiffOptions struct {
	// Semantics selects the retained-size semantics (see LeakOptions).
	Semantics Semantics
	// MinCount drops small clusters (see LeakOptions).
	MinCount int
	// GrowthTop bounds the number of growing holders reported (see
	// GrowthOptions.Top; 0: all).
	GrowthTop int
	// Steps are snapshots of the same process taken between baseline and
	// target, oldest first: a series of more than three snapshots. A
	// cluster is then reported only when it grew at every step (see
	// LeakOptions.Steps), and a holder only when it grew from each
	// snapshot to the next.
	Steps []string
	// Progress, when set, returns the progress callback for loading the
	// named file (it may return nil).
	Progress func(path string) func(stage string, done, total int64)
	// Final, when set, is the final snapshot's Header (see
	// LoadOptions.Header).
	Final *Header
}

// DiffFiles is DiffSeries without cancellation, for callers that need
// only the report.
func DiffFiles(baseline, target, final string, opts DiffOptions) (*LeakReport, error) {
	rep, _, err := DiffSeries(context.Background(), baseline, target, final, opts)
	return rep, err
}

// DiffSeries loads three snapshots of one process (or more: see
// DiffOptions.Steps) and returns their leak report (see FindLeaks), with
// the holders that grew at every step (see FindGrowth), and the final
// snapshot, whose graph callers walk to place the clusters' holders in
// the source (package holders). The snapshots before the final are read
// as fingerprints only, so their graphs never exist in memory, and first,
// as many at a time as there are cores: the scratch of their reading is
// garbage before the final is loaded, so that the peak is the final's own
// load (see SeriesMemoryNeeded). It fails when a file cannot be read,
// when they are not a series of one process in order (see CheckSeries),
// or with ctx's error when ctx ends before the analysis of the final
// snapshot starts (loading a file is not interruptible).
//
// final may be "" for a pair of snapshots: target then serves as the
// final snapshot, and the report holds the objects new in target.
func DiffSeries(ctx context.Context, baseline, target, final string, opts DiffOptions) (*LeakReport, *Snapshot, error) {
	progress := func(path string) func(string, int64, int64) {
		if opts.Progress == nil {
			return nil
		}
		return opts.Progress(path)
	}
	files := append(append([]string{baseline}, opts.Steps...), target)
	if final == "" {
		final, files = target, files[:len(files)-1]
	}
	earlier := make([]*Fingerprint, len(files))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, path := range files {
		g.Go(func() (err error) {
			earlier[i], err = ReadFingerprint(path, LoadOptions{Progress: progress(path)})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	keepCommonHolders(earlier)
	fin, err := Load(final, LoadOptions{Progress: progress(final), Header: opts.Final})
	if err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	fp := fin.fingerprint(nil)
	fp.Path = final
	fp.info, _ = os.Stat(final)
	base, tgt := earlier[0], fp
	if len(files) > 1+len(opts.Steps) {
		tgt = earlier[len(earlier)-1]
	}
	var bounds []uint32
	for _, st := range earlier[1 : 1+len(opts.Steps)] {
		bounds = append(bounds, st.maxJS)
	}
	if err := CheckSeries(append(earlier, fp)...); err != nil {
		return nil, nil, err
	}
	if report := progress(final); report != nil {
		report("dominators, retainer paths and clusters", 0, 0)
	}
	paths := NewPaths(fin)
	src := NewSources(fin)
	growing := FindGrowth(earlier, fin, GrowthOptions{Top: opts.GrowthTop, Paths: paths, Sources: src})
	// Of the earlier snapshots only their id sets are needed from here on:
	// the rest of their fingerprints (about 20 bytes per JS object) is
	// freed before the dominator tree is built.
	baseIDs, tgtIDs := base.IDs, tgt.IDs
	base, tgt, earlier = nil, nil, nil
	rep := FindLeaks(baseIDs, tgtIDs, fin, LeakOptions{Semantics: opts.Semantics, MinCount: opts.MinCount, Steps: bounds, Paths: paths, Sources: src})
	rep.Growing = growing
	return rep, fin, nil
}
