package capture

import (
	"context"
	"fmt"
	"path/filepath"
	"time"
)

// Phase names, in the order a run goes through them.
const (
	PhaseWarmup   = "warm-up"
	PhaseBaseline = "baseline"
	PhaseStep     = "step" // a snapshot between baseline and target: "step 1", …
	PhaseTarget   = "target"
	PhaseFinal    = "final"
)

// RunOptions configure Run.
type RunOptions struct {
	// Action is the work repeated against the program.
	Action Action
	// Iterations is the number of actions between snapshots (at least 1).
	Iterations int
	// Warmup is the number of actions before the baseline (caches, lazy
	// initialisation, JIT).
	Warmup int
	// Snapshots is the number of snapshots to take, at least 3 (0: 3):
	// baseline, one more after each round of Iterations actions up to
	// the target, then final. More than three make a series in which a
	// leak must grow at every step.
	Snapshots int
	// Dir receives baseline.heapsnapshot, step1.heapsnapshot … (with more
	// than three snapshots), target.heapsnapshot and final.heapsnapshot.
	Dir string
	// ActionTimeout bounds one action (default one minute).
	ActionTimeout time.Duration
	// Progress reports the phases and the snapshots (nil: none).
	Progress Progress
}

// Progress receives the progress of a run: the CLI's progress bar on
// stderr, the editor's work-done progress.
type Progress interface {
	// Func returns the callback that reports the progress of the work
	// labelled label (a phase, a snapshot file): stage names the step,
	// done and total count its units, total 0 when unknown. It may return
	// nil.
	Func(label string) func(stage string, done, total int64)
}

// progressFunc returns p's callback for label, nil when p is nil.
func progressFunc(p Progress, label string) func(stage string, done, total int64) {
	if p == nil {
		return nil
	}
	return p.Func(label)
}

// reportStage reports a step without measurable progress under label.
func reportStage(p Progress, label, step string) {
	if report := progressFunc(p, label); report != nil {
		report(step, 0, 0)
	}
}

// Sample is one reading of process.memoryUsage().
type Sample struct {
	// Phase is the phase the reading was taken in.
	Phase string `json:"phase"`
	// PostGC tells a reading taken right after a full collection: its
	// heapUsed is the floor of the live heap.
	PostGC bool `json:"postGC"`
	MemoryUsage
}

// Result is what Run collected.
type Result struct {
	// Baseline, Target and Final are the snapshot files; Steps those
	// taken between baseline and target, oldest first (with more than
	// three snapshots).
	Baseline, Target, Final string
	Steps                   []string
	// Samples are the memory readings in order: one after every action,
	// and one after each collection.
	Samples []Sample
	// Iterations is the number of actions between snapshots.
	Iterations int
	// BundleDir is the directory of the bundle Drive made of a TypeScript
	// entry point ("" when none): the snapshots' positions point into it,
	// so the caller removes it once they are analysed.
	BundleDir string
}

// Files returns the snapshot files of res in the order they were taken.
func (res *Result) Files() []string {
	return append(append([]string{res.Baseline}, res.Steps...), res.Target, res.Final)
}

// Run drives a launched program through the phases of a leak hunt: setup,
// warm-up, GC, baseline snapshot, N actions, GC, target snapshot, N
// actions, GC, final snapshot, teardown; with more than three snapshots,
// N actions, GC and a step snapshot for each after the baseline, before
// the target's N actions. Every snapshot is preceded by a full
// collection. It does not stop the program.
func Run(ctx context.Context, c *Client, opts RunOptions) (*Result, error) {
	if opts.Iterations < 1 {
		return nil, fmt.Errorf("iterations must be at least 1, not %d", opts.Iterations)
	}
	if opts.Snapshots == 0 {
		opts.Snapshots = 3
	}
	if opts.Snapshots < 3 {
		return nil, fmt.Errorf("a run takes at least 3 snapshots, not %d", opts.Snapshots)
	}
	if opts.ActionTimeout <= 0 {
		opts.ActionTimeout = time.Minute
	}
	res := &Result{
		Baseline:   filepath.Join(opts.Dir, "baseline.heapsnapshot"),
		Target:     filepath.Join(opts.Dir, "target.heapsnapshot"),
		Final:      filepath.Join(opts.Dir, "final.heapsnapshot"),
		Iterations: opts.Iterations,
	}
	for i := 1; i <= opts.Snapshots-3; i++ {
		res.Steps = append(res.Steps, filepath.Join(opts.Dir, fmt.Sprintf("step%d.heapsnapshot", i)))
	}
	sample := func(phase string, postGC bool) error {
		m, err := c.MemoryUsage(ctx)
		if err != nil {
			return err
		}
		res.Samples = append(res.Samples, Sample{Phase: phase, PostGC: postGC, MemoryUsage: m})
		return nil
	}
	report := progressFunc(opts.Progress, "run")
	actions := func(phase string, n int) error {
		for i := 1; i <= n; i++ {
			if report != nil {
				report(phase+" actions", int64(i-1), int64(n))
			}
			actx, cancel := context.WithTimeout(ctx, opts.ActionTimeout)
			err := opts.Action.Do(actx, i)
			cancel()
			if err != nil {
				return err
			}
			if err := sample(phase, false); err != nil {
				return err
			}
		}
		return nil
	}
	snapshot := func(phase, path string) error {
		reportStage(opts.Progress, "run", "GC and "+phase+" snapshot")
		if err := c.CollectGarbage(ctx); err != nil {
			return err
		}
		if err := sample(phase, true); err != nil {
			return err
		}
		return c.TakeHeapSnapshot(ctx, path, progressFunc(opts.Progress, filepath.Base(path)))
	}
	if err := opts.Action.Setup(ctx); err != nil {
		return nil, err
	}
	steps := []func() error{
		func() error { return actions(PhaseWarmup, opts.Warmup) },
		func() error { return snapshot(PhaseBaseline, res.Baseline) },
	}
	for i, path := range res.Steps {
		phase := fmt.Sprintf("%s %d", PhaseStep, i+1)
		steps = append(steps,
			func() error { return actions(phase, opts.Iterations) },
			func() error { return snapshot(phase, path) })
	}
	steps = append(steps,
		func() error { return actions(PhaseTarget, opts.Iterations) },
		func() error { return snapshot(PhaseTarget, res.Target) },
		func() error { return actions(PhaseFinal, opts.Iterations) },
		func() error { return snapshot(PhaseFinal, res.Final) },
		func() error { return opts.Action.Teardown(ctx) },
	)
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// Trend summarises the memory readings of a run.
type Trend struct {
	// Floors are the post-GC readings at the snapshots: baseline, the
	// steps, target and final.
	Floors []Sample `json:"floors"`
	// HeapGrowth, ExternalGrowth and ArrayBuffersGrowth are final minus
	// baseline post-GC (negative: shrank). External memory includes the
	// ArrayBuffers' backing stores.
	HeapGrowth         int64 `json:"heapGrowth"`
	ExternalGrowth     int64 `json:"externalGrowth"`
	ArrayBuffersGrowth int64 `json:"arrayBuffersGrowth"`
	// PeakRSS is the largest resident set size read.
	PeakRSS uint64 `json:"peakRSS"`
	// OffHeap is set when memory outside the JavaScript heap (Buffers,
	// ArrayBuffers, native addons' external memory) grew in both rounds
	// of actions by at least the threshold per action: heap snapshots
	// show only the small JavaScript objects that own such memory.
	OffHeap bool `json:"offHeap"`
}

// Trend summarises res's samples; minBytes is the growth per action below
// which off-heap memory is not reported as growing.
func (res *Result) Trend(minBytes uint64) Trend {
	var t Trend
	for _, s := range res.Samples {
		t.PeakRSS = max(t.PeakRSS, s.RSS)
		if s.PostGC {
			t.Floors = append(t.Floors, s)
		}
	}
	n := len(t.Floors)
	if n < 3 {
		return t
	}
	b, m, f := t.Floors[0], t.Floors[n-2], t.Floors[n-1]
	t.HeapGrowth = int64(f.HeapUsed) - int64(b.HeapUsed)
	t.ExternalGrowth = int64(f.External) - int64(b.External)
	t.ArrayBuffersGrowth = int64(f.ArrayBuffers) - int64(b.ArrayBuffers)
	round := int64(minBytes) * int64(res.Iterations)
	t.OffHeap = int64(m.External)-int64(b.External) >= round*int64(n-2) && int64(f.External)-int64(m.External) >= round
	return t
}
