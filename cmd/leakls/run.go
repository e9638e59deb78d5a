package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/capture"
	"github.com/leakls/leakls/evidence"
	"github.com/leakls/leakls/internal/progress"
)

var runCommand = &command{
	name:    "run",
	usage:   "[--scenario FILE | --action-cmd CMD] [flags] -- COMMAND ARGS...",
	summary: "run a Node.js program under a repeated scenario and report its leaks",
	help: `Starts COMMAND (a Node.js program, in its own process group, with the
inspector on a free loopback port through NODE_OPTIONS), waits until it is
ready — it printed an http:// URL, or --ready-url answers — and repeats an
action against it: warm-up, GC, baseline snapshot, N actions, GC, target
snapshot, N actions, GC, final snapshot. --snapshots with more than 3
takes a snapshot after each further N actions between baseline and
target; a cluster of leaked objects is then reported only when it grew at
every step (objects allocated in each step still alive at the end), which
leaves out what a program fills once, such as a pool or a warmed cache.
Then prints the verdict, the leak report of "leakls snapshot diff" on the
snapshots — one line per leak with how fast it grows per iteration, then
the details — with, before the details, the memory trend: the post-GC
heap floor per phase and the growth of external memory (Buffers,
ArrayBuffers), which heap snapshots do not show.

V8's allocation tracker runs from before the warm-up, so that each
cluster of leaked objects also says where they were allocated: the top
frames of their allocation stacks in the program's code, at source
lines. It slows allocation down and makes the snapshots larger
(docs/capture.md); --track-allocations=false turns it off.

The action is a scenario module (--scenario FILE, run by node in a process
of its own) exporting action(ctx), and optionally setup(ctx),
teardown(ctx) and iterations; ctx.url is the program's base URL and
ctx.iteration the iteration. Or a shell command (--action-cmd CMD) run
each iteration with LEAKLS_URL and LEAKLS_ITERATION set.

A TypeScript entry point (COMMAND is src/server.ts, or node src/server.ts)
is bundled with esbuild, with a source map, and run with
node --enable-source-maps.

The program is always stopped at the end, also on Ctrl-C.

Before the snapshots are analysed, the memory the analysis needs is
estimated from their headers' counts and the size of their strings;
when it is more than the memory available (MemAvailable, or the
cgroup's limit), leakls says so and stops, keeping the snapshots for
'leakls snapshot diff' on a machine with more memory.

In CI, --baseline FILE lists known leaks (a leak in a dependency that
must not block the build): they are reported as known and do not fail
the run; --update-baseline writes the leaks of this run to FILE
(docs/cli.md#baseline).

Exit status: 1 when a cluster of leaked objects not in --baseline grows
by at least --min-count objects and --min-bytes bytes per iteration (clusters that
only Node's own code holds, such as the stderr stream Node creates on
first use, never count), a holder that
was in all three snapshots grew at every step (a listener added again and
again, a Map that only grows its table), or external memory grows by
--min-bytes per iteration in both rounds; 0 otherwise; 2 errors.`,
	run: runRun,
}

// runFlags are the flags of leakls run beyond the report flags.
type runFlags struct {
	scenario, actionCmd  string
	iterations, warmup   int
	snapshots            int
	url, readyURL, out   string
	minCount             int
	minBytes             uint64
	timeout, actionLimit time.Duration
	verbose, track       bool
}

func (r *runFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.scenario, "scenario", "", "the scenario module `FILE` exporting action(ctx)")
	fs.StringVar(&r.actionCmd, "action-cmd", "", "run the shell command `CMD` as each action")
	fs.IntVar(&r.iterations, "iterations", 0, "`N` actions between snapshots (default: the scenario's iterations, else 10)")
	fs.IntVar(&r.warmup, "warmup", 3, "`N` actions before the baseline")
	fs.IntVar(&r.snapshots, "snapshots", 3, "take `N` snapshots, N actions apart; with more than 3 a leak must grow at every step")
	fs.StringVar(&r.url, "url", "", "the program's base `URL` for the action, polled until it answers unless --ready-url is given (default: the first http:// URL the program prints)")
	fs.StringVar(&r.readyURL, "ready-url", "", "poll `URL` until it answers instead of waiting for the program to print a URL")
	fs.StringVar(&r.out, "out", "", "keep the snapshots in `DIR` (default: a temporary directory, removed)")
	fs.IntVar(&r.minCount, "min-count", 1, "a leak grows by at least `N` objects per iteration")
	fs.Uint64Var(&r.minBytes, "min-bytes", 256, "a leak grows by at least `B` bytes per iteration")
	fs.DurationVar(&r.timeout, "timeout", 30*time.Second, "wait at most `D` for the program to be ready")
	fs.DurationVar(&r.actionLimit, "action-timeout", time.Minute, "give up on one action after `D`")
	fs.BoolVar(&r.verbose, "verbose", false, "pass the output of the program and the actions to stderr")
	fs.BoolVar(&r.track, "track-allocations", true, "record where objects are allocated (V8's allocation tracker; --track-allocations=false: off, for a faster run)")
}

func runRun(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
	var f snapshotFlags
	var r runFlags
	f.register(fs)
	f.leaks.register(fs)
	r.register(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if err := r.check(&f, fs); err != nil {
		return fail(stderr, fs, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p := progress.New(stderr, f.quiet)
	defer p.Done()
	dir, cleanup, err := r.snapshotDir()
	if err != nil {
		return fail(stderr, fs, err)
	}
	keep := false // the snapshots of a run too big to analyse here
	defer func() {
		if !keep {
			cleanup()
		}
	}()
	opts := r.driveOptions(fs.Args(), dir, p)
	if r.verbose {
		opts.Log = stderr
	}
	res, err := capture.Drive(ctx, opts)
	p.Done()
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("interrupted, stopping the program: %w", err)
		}
		return fail(stderr, fs, err)
	}
	if res.BundleDir != "" {
		defer os.RemoveAll(res.BundleDir)
	}
	files := res.Files()
	actions := res.Iterations * (len(files) - 2) // between baseline and target
	rep, err := f.analyze(ctx, files, r.minCount*actions, p)
	if memErr := (*evidence.MemoryError)(nil); errors.As(err, &memErr) {
		keep = true
		return fail(stderr, fs, fmt.Errorf("%w; the snapshots are in %s, for leakls snapshot diff where more memory is available", err, dir))
	}
	if err != nil {
		return fail(stderr, fs, err)
	}
	v := verdict{Trend: res.Trend(r.minBytes), Iterations: res.Iterations, Growing: growingClusters(rep.Leaks, actions, r.minBytes), Snapshots: keptFiles(r.out, files)}
	v.Leaking = v.Growing > 0 || len(rep.Leaks.Growing) > 0 || v.Trend.OffHeap
	if err := writeRun(stdout, &f, rep, &v); err != nil {
		return fail(stderr, fs, err)
	}
	if v.Leaking {
		return exitFindings
	}
	return exitClean
}

// check checks the flags once parsed.
func (r *runFlags) check(f *snapshotFlags, fs *flag.FlagSet) error {
	if err := checkReportFlags(f); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 0:
		return errors.New("give the program to run after --, as in: leakls run --scenario s.mjs -- node server.js")
	case (r.scenario == "") == (r.actionCmd == ""):
		return errors.New("give exactly one of --scenario FILE and --action-cmd CMD")
	case r.iterations < 0 || r.warmup < 0 || r.minCount < 0:
		return errors.New("--iterations, --warmup and --min-count must be 0 or more")
	case r.snapshots < 3:
		return errors.New("--snapshots must be 3 or more: baseline, target and final")
	}
	if r.scenario != "" {
		// Before the program is started and waited for.
		if _, err := os.Stat(r.scenario); err != nil {
			return fmt.Errorf("--scenario: %w", err)
		}
	}
	return nil
}

// snapshotDir returns the directory the snapshots are written to: --out,
// or a temporary directory that cleanup removes.
func (r *runFlags) snapshotDir() (dir string, cleanup func(), err error) {
	if r.out != "" {
		return r.out, func() {}, os.MkdirAll(r.out, 0o755)
	}
	tmp, err := os.MkdirTemp("", "leakls-run-")
	return tmp, func() { os.RemoveAll(tmp) }, err
}

// driveOptions returns the options of the scenario driver for command.
func (r *runFlags) driveOptions(command []string, dir string, p *progress.Reporter) capture.DriveOptions {
	return capture.DriveOptions{
		Command: command, Scenario: r.scenario, ActionCmd: r.actionCmd,
		URL: r.url, ReadyURL: r.readyURL, Iterations: r.iterations, Warmup: r.warmup, Snapshots: r.snapshots,
		Timeout: r.timeout, Dir: dir, ActionTimeout: r.actionLimit, Progress: p,
		SkipAllocationTracking: !r.track,
	}
}

// verdict is what a run adds to the leak report: its memory trend, the
// actions per step, the number of clusters that grow with the iterations, whether it leaks, and
// the snapshots when they are kept.
type verdict struct {
	Trend capture.Trend `json:"trend"`
	// Iterations is the number of actions between two snapshots, the
	// measure of the clusters' Steps.
	Iterations int      `json:"iterations"`
	Growing    int      `json:"growingClusters"`
	Leaking    bool     `json:"leaking"`
	Snapshots  []string `json:"snapshots,omitempty"`
}

// writeRun writes the leak report of a run with its verdict: in JSON the
// report's document with the verdict's fields beside its own, in text
// the verdict first and the memory trend before the details.
func writeRun(w io.Writer, f *snapshotFlags, rep *evidence.Report, v *verdict) error {
	if f.format == "json" {
		doc, err := rep.LeaksJSON(f.top)
		if err != nil {
			return err
		}
		return writeJSON(w, struct {
			*evidence.LeaksJSON
			verdict
		}{doc, *v})
	}
	o := f.textOptions()
	o.Iterations, o.Verdict = v.Iterations, v.text(len(rep.Leaks.Growing))
	o.Memory = v.Trend.Text(v.Iterations)
	if len(v.Snapshots) > 0 {
		o.Memory += "Snapshots: " + strings.Join(v.Snapshots, " ") + "\n"
	}
	return writeReport(w, f, rep, o)
}

// growingClusters counts the clusters of rep that grow with the
// iterations: retaining at least minBytes per iteration (MinCount already
// left out the clusters with too few objects). Clusters only Node's own
// code holds never count: Node creates objects of its own on first use
// and keeps process-wide pools (the stderr stream, a keep-alive socket and
// its timer, diagnostics channels) in any run.
func growingClusters(rep *analysis.LeakReport, iterations int, minBytes uint64) int {
	n := 0
	for _, c := range rep.Clusters {
		if !c.Node && c.RetainedSize >= minBytes*uint64(iterations) {
			n++
		}
	}
	return n
}

// keptFiles returns files when the user asked to keep them in out.
func keptFiles(out string, files []string) []string {
	if out == "" {
		return nil
	}
	return files
}

// text is the verdict's line: grown is the number of holders that grew
// at every step.
func (v *verdict) text(grown int) string {
	switch {
	case v.Growing > 0:
		return fmt.Sprintf("Verdict: leak: %d cluster(s) grow with the iterations.", v.Growing)
	case grown > 0:
		return fmt.Sprintf("Verdict: leak: %d holder(s) grew at every step.", grown)
	case v.Trend.OffHeap:
		return "Verdict: leak: off-heap memory grows with the iterations."
	}
	return "Verdict: no leak grows with the iterations."
}
