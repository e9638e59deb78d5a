package analysis

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/sync/errgroup"
)

// DiffOptions configures DiffFiles.
type DiffOptions struct {
	// Semantics selects the retained-size semantics (see LeakOptions).
	Semantics Semantics
	// MinCount drops small clusters (see LeakOptions).
	MinCount int
	// Progress, when set, returns the progress callback for loading the
	// named file (it may return nil).
	Progress func(path string) func(stage string, done, total int64)
}

// DiffFiles loads three snapshots of one process and returns their leak
// report (see FindLeaks), with the holders that grew at every step (see
// FindGrowth). The files are read concurrently; baseline and
// target are read as id sets only, so their graphs never exist in memory.
// It fails when a file cannot be read or when the three are not a series
// of one process in order (see CheckSeries).
func DiffFiles(baseline, target, final string, opts DiffOptions) (*LeakReport, error) {
	progress := func(path string) func(string, int64, int64) {
		if opts.Progress == nil {
			return nil
		}
		return opts.Progress(path)
	}
	var base, tgt *Fingerprint
	var fin *Snapshot
	var g errgroup.Group
	g.Go(func() (err error) {
		base, err = ReadFingerprint(baseline, LoadOptions{Progress: progress(baseline)})
		return withPath(baseline, err)
	})
	g.Go(func() (err error) {
		tgt, err = ReadFingerprint(target, LoadOptions{Progress: progress(target)})
		return withPath(target, err)
	})
	g.Go(func() (err error) {
		fin, err = Load(final, LoadOptions{Progress: progress(final)})
		return withPath(final, err)
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	fp := fin.Fingerprint()
	fp.Path = final
	fp.info, _ = os.Stat(final)
	if err := CheckSeries(base, tgt, fp); err != nil {
		return nil, err
	}
	if report := progress(final); report != nil {
		report("dominators, retainer paths and clusters", 0, 0)
	}
	paths := NewPaths(fin)
	src := NewSources(fin)
	rep := FindLeaks(base.IDs, tgt.IDs, fin, LeakOptions{Semantics: opts.Semantics, MinCount: opts.MinCount, Paths: paths, Sources: src})
	rep.Growing = FindGrowth([]*Fingerprint{base, tgt}, fin, GrowthOptions{Paths: paths, Sources: src})
	return rep, nil
}

// withPath makes sure a non-nil err names the file it is about.
func withPath(path string, err error) error {
	if err == nil || strings.Contains(err.Error(), path) {
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}
