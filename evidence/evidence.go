// Package evidence turns a set of heap snapshot files into the evidence
// leakls reports, in one pass shared by every entry point (leakls snapshot
// summary and diff, leakls capture and run, and the language server):
//
//   - one snapshot: its summary (sizes, top classes, top holders) and its
//     biggest holders placed at the source line that holds them
//     (holders.FindHeld);
//   - two snapshots: the per-class comparison, or, with Options.PairLeaks,
//     the leak report of the pair (the target serving as the final
//     snapshot);
//   - three snapshots (baseline, target, final), or more (baseline, the
//     snapshots between, target, final: clusters must grow at every step):
//     the leak report, checked to be one process's series, with its
//     clusters, the holders that grew at every step, and the holder of each placed at its source line
//     (holders.Find, LK101-LK105), with the static rules that flag the
//     same code named in the message, and, when the snapshots carry
//     allocation traces, where each cluster's objects were allocated
//     (placed by holders.Find too).
//
// Report.WriteText writes a report for people (text.go), Report.JSON as
// the versioned document; every leak carries a signature, which a
// Baseline of known leaks lists (baseline.go).
//
// Retainer-path hops of the clusters and growing holders are placed in the
// workspace once, here: in the original source through source maps, their
// files relative to the root when under it, so that every output shows the
// same positions.
package evidence

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/holders"
	"github.com/leakls/leakls/internal/relpath"
	"github.com/leakls/leakls/internal/sysmem"
	"github.com/leakls/leakls/srcloc"
)

// Options configure Analyze.
type Options struct {
	// Root is the workspace that script names and source maps are
	// resolved in ("": the current directory).
	Root string
	// Semantics selects the retained-size semantics.
	Semantics analysis.Semantics
	// MinCount leaves out leak clusters of fewer objects (see
	// analysis.LeakOptions).
	MinCount int
	// Top bounds the lists: the summary's classes and holders, the holders
	// of a single snapshot in the source, and the holders that grew at
	// every step (0: all; a summary then lists no holders).
	Top int
	// PairLeaks makes a pair of snapshots a leak report, the target
	// serving as the final snapshot, instead of a class comparison.
	PairLeaks bool
	// Progress, when set, returns the progress callback for the named
	// snapshot file (it may return nil). Stages without measurable
	// progress are reported with done and total 0.
	Progress func(file string) func(stage string, done, total int64)
	// Available returns the memory the analysis may take, which
	// PlanMemory compares with its estimate (nil: sysmem.Read, the memory
	// the kernel can give before its out-of-memory killer acts).
	Available func() (sysmem.Available, bool)
	// MemoryLimit sets the Go runtime's soft memory limit to the
	// analysis's estimated peak (at least 256 MiB) unless GOMEMLIMIT is
	// set: for a process that runs one analysis. Without a limit the
	// collector lets the heap grow to twice the live size; the analysis's
	// memory is a few large arrays without pointers, which the collector
	// does not scan, so collecting often near the limit costs little (on
	// a 363 MB snapshot the peak RSS went from 543 MB with a limit of 1.5
	// times the file to 485 MB, in the same time).
	MemoryLimit bool
	// headers are the files' headers PlanMemory read, by path, which
	// Analyze hands to their loading (see analysis.LoadOptions.Header).
	headers map[string]*analysis.Header
}

// Report is the evidence of one snapshot set. Exactly one of Summary,
// Comparison and Leaks is set.
type Report struct {
	// Files are the snapshot files, in the order given.
	Files []string
	// Root is the workspace root, absolute.
	Root string
	// Summary describes a single snapshot; HeldBy lists, for each of its
	// Holders, the variables of scripts that hold it directly.
	Summary *analysis.Summary
	HeldBy  [][]analysis.Hop
	// Comparison compares the classes of two snapshots.
	Comparison *analysis.Comparison
	// Leaks is the leak report of three snapshots (or two with
	// Options.PairLeaks), the hops of its paths placed in the workspace.
	Leaks *analysis.LeakReport
	// Findings are the holders in the source (LK101-LK105), files
	// absolute; none for a comparison.
	Findings []finding.Finding
	// Known, KnownClusters and KnownGrowing are the findings, clusters
	// and growing holders of the leaks a baseline lists, moved out of
	// Findings and Leaks by ApplyBaseline.
	Known         []finding.Finding
	KnownClusters []analysis.Cluster
	KnownGrowing  []analysis.Growth
}

// Analyze reads the snapshot files (one, two, three or more, oldest first) and
// returns their evidence. It fails before loading anything when the
// analysis would need more memory than is available (a *MemoryError, see
// PlanMemory), when a file cannot be read, when the files are not one
// process's series in order (an *analysis.MismatchError), or with ctx's
// error.
func Analyze(ctx context.Context, files []string, opts Options) (*Report, error) {
	var err error
	if _, opts.headers, err = planMemory(files, opts); err != nil {
		return nil, err
	}
	root := opts.Root
	if root == "" {
		root = "."
	}
	r := srcloc.NewResolver(root)
	rep := &Report{Files: files, Root: r.Root}
	switch {
	case len(files) == 1:
		err = rep.single(ctx, r, opts)
	case len(files) == 2 && !opts.PairLeaks:
		rep.Comparison, err = compare(ctx, files, opts)
	case len(files) >= 2:
		err = rep.series(ctx, r, opts)
	default:
		err = errors.New("no snapshot file given: give one snapshot, or BASELINE TARGET [FINAL] of one process")
	}
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// progress returns the progress callback of file under opts, or nil.
func (o *Options) progress(file string) func(string, int64, int64) {
	if o.Progress == nil {
		return nil
	}
	return o.Progress(file)
}

// loadOptions returns the options of loading file under o: its progress,
// and the header the memory plan read.
func (o *Options) loadOptions(file string) analysis.LoadOptions {
	return analysis.LoadOptions{Progress: o.progress(file), Header: o.headers[file]}
}

// stage reports a stage without measurable progress on file.
func (o *Options) stage(file, stage string) {
	if report := o.progress(file); report != nil {
		report(stage, 0, 0)
	}
}

// single summarises one snapshot and places its biggest holders, with one
// retainer-path search for both.
func (rep *Report) single(ctx context.Context, r *srcloc.Resolver, opts Options) error {
	file := rep.Files[0]
	s, err := analysis.Load(file, opts.loadOptions(file))
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	opts.stage(file, "dominators and retained sizes")
	// The dominator tree before the paths: its scratch is the analysis's
	// peak of memory, which the paths would raise.
	s.Dominators(opts.Semantics)
	paths := analysis.NewPaths(s)
	// The summary and the holders in the source read the same snapshot,
	// tree and paths, which are safe for concurrent use: one core each.
	opts.stage(file, "tracing holders to source")
	held := make(chan []finding.Finding)
	go func() {
		held <- holders.FindHeld(ctx, s, opts.Semantics, holders.Options{Resolver: r, Paths: paths})
	}()
	rep.Summary = analysis.Summarize(s, opts.Semantics, opts.Top, paths)
	src := analysis.NewSources(s)
	for _, h := range rep.Summary.Holders {
		rep.HeldBy = append(rep.HeldBy, analysis.HeldBy(s, src, h.Node))
	}
	found := <-held
	if opts.Top > 0 && len(found) > opts.Top {
		found = found[:opts.Top]
	}
	rep.Findings = found
	return ctx.Err()
}

// series diffs a series of two snapshots or more (baseline, the
// snapshots between, target, final), places the holders of
// its clusters and growing holders in the source, then the hops of their
// paths.
func (rep *Report) series(ctx context.Context, r *srcloc.Resolver, opts Options) error {
	files := rep.Files
	n := len(files)
	final, target, steps := "", files[1], []string(nil)
	if n >= 3 {
		final, target, steps = files[n-1], files[n-2], files[1:n-2]
	}
	leaks, fin, err := analysis.DiffSeries(ctx, files[0], target, final, analysis.DiffOptions{
		Semantics: opts.Semantics,
		MinCount:  opts.MinCount,
		GrowthTop: opts.Top,
		Steps:     steps,
		Progress:  opts.Progress,
		Final:     opts.headers[files[n-1]],
	})
	if err != nil {
		return err
	}
	opts.stage(files[len(files)-1], "tracing holders to source")
	// holders.Find reads the hops' V8 positions: place them after it.
	rep.Findings = holders.Find(ctx, fin, leaks, holders.Options{Resolver: r})
	finding.Sort(rep.Findings)
	placer := holders.NewPlacer(r, fin)
	for i := range leaks.Clusters {
		placeHops(placer, r.Root, leaks.Clusters[i].Path)
	}
	for i := range leaks.Growing {
		placeHops(placer, r.Root, leaks.Growing[i].Path)
	}
	// Signed once the files are relative to the root, the same on every
	// machine.
	signPaths(leaks)
	rep.Leaks = leaks
	return ctx.Err()
}

// placeHops rewrites the positions of path to the original sources, files
// relative to root when under it; a hop that cannot be placed keeps its
// position, its file made relative to root when it is a path under it.
func placeHops(p *holders.Placer, root string, path []analysis.Hop) {
	for k, h := range path {
		pl, ok := p.Hop(h)
		if !ok {
			path[k].File = relpath.Display(root, h.File)
			continue
		}
		st := pl.Location.Range.Start
		path[k].File, path[k].Line, path[k].Column = pl.Rel, st.Line+1, st.Col+1
	}
}

// compare checks that two snapshots are one process's series in order
// (their id arithmetic would give wrong numbers otherwise), then loads
// both and compares their classes.
func compare(ctx context.Context, files []string, opts Options) (*analysis.Comparison, error) {
	fps, err := readAll(files, analysis.ReadFingerprint, &opts)
	if err != nil {
		return nil, err
	}
	if err := analysis.CheckSeries(fps...); err != nil {
		return nil, err
	}
	fps = nil
	snaps, err := readAll(files, analysis.Load, &opts)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return analysis.Compare(snaps[0], snaps[1]), nil
}

// readAll reads files concurrently with read, with progress.
func readAll[T any](files []string, read func(string, analysis.LoadOptions) (T, error), opts *Options) ([]T, error) {
	out := make([]T, len(files))
	var g errgroup.Group
	for i, path := range files {
		g.Go(func() (err error) {
			out[i], err = read(path, opts.loadOptions(path))
			return err
		})
	}
	return out, g.Wait()
}

// HasLeaks reports whether the report holds clusters of leaked objects
// or holders that grew at every step, besides those a baseline lists.
func (rep *Report) HasLeaks() bool {
	return rep.Leaks != nil && (len(rep.Leaks.Clusters) > 0 || len(rep.Leaks.Growing) > 0)
}

// RelFindings returns a copy of the findings with their files, and their
// related locations' files, relative to the root when under it.
func (rep *Report) RelFindings() []finding.Finding { return rep.relFindings(rep.Findings) }

// relFindings returns a copy of found with their files, and their
// related locations' files, relative to the root when under it.
func (rep *Report) relFindings(found []finding.Finding) []finding.Finding {
	out := make([]finding.Finding, len(found))
	for i, f := range found {
		f.File = relpath.Display(rep.Root, f.File)
		f.Related = append([]finding.Related(nil), f.Related...)
		for k := range f.Related {
			f.Related[k].File = relpath.Display(rep.Root, f.Related[k].File)
		}
		out[i] = f
	}
	return out
}
