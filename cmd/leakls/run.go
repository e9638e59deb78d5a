package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/capture"
	"github.com/leakls/leakls/internal/progress"
	"github.com/leakls/leakls/internal/units"
)

var runCommand = &command{
	name:    "run",
	usage:   "[--scenario FILE | --action-cmd CMD] [flags] -- COMMAND ARGS...",
	summary: "run a Node.js program under a repeated scenario and report its leaks",
	help: `Starts COMMAND (a Node.js program, in its own process group, with the
inspector on a free loopback port through NODE_OPTIONS), waits until it is
ready — it printed an http:// URL, or --ready-url answers — and repeats an
action against it: warm-up, GC, baseline snapshot, N actions, GC, target
snapshot, N actions, GC, final snapshot. Then prints the leak report of
"leakls snapshot diff" on the three snapshots and the memory trend: the
post-GC heap floor per phase and the growth of external memory
(Buffers, ArrayBuffers), which heap snapshots do not show.

The action is a scenario module (--scenario FILE, run by node in a process
of its own) exporting action(ctx), and optionally setup(ctx),
teardown(ctx) and iterations; ctx.url is the program's base URL and
ctx.iteration the iteration. Or a shell command (--action-cmd CMD) run
each iteration with LEAKLS_URL and LEAKLS_ITERATION set.

A TypeScript entry point (COMMAND is src/server.ts, or node src/server.ts)
is bundled with esbuild, with a source map, and run with
node --enable-source-maps.

The program is always stopped at the end, also on Ctrl-C.

Exit status: 1 when a cluster of leaked objects grows by at least
--min-count objects and --min-bytes bytes per iteration, a holder that
was in all three snapshots grew at every step (a listener added again and
again, a Map that only grows its table), or external memory grows by
--min-bytes per iteration in both rounds; 0 otherwise; 2 errors.`,
	run: runRun,
}

// runFlags are the flags of leakls run beyond the report flags.
type runFlags struct {
	scenario, actionCmd  string
	iterations, warmup   int
	url, readyURL, out   string
	minCount             int
	minBytes             uint64
	timeout, actionLimit time.Duration
	verbose              bool
}

func (r *runFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.scenario, "scenario", "", "the scenario module `FILE` exporting action(ctx)")
	fs.StringVar(&r.actionCmd, "action-cmd", "", "run the shell command `CMD` as each action")
	fs.IntVar(&r.iterations, "iterations", 0, "`N` actions between snapshots (default: the scenario's iterations, else 10)")
	fs.IntVar(&r.warmup, "warmup", 3, "`N` actions before the baseline")
	fs.StringVar(&r.url, "url", "", "the program's base `URL` for the action, polled until it answers unless --ready-url is given (default: the first http:// URL the program prints)")
	fs.StringVar(&r.readyURL, "ready-url", "", "poll `URL` until it answers instead of waiting for the program to print a URL")
	fs.StringVar(&r.out, "out", "", "keep the snapshots in `DIR` (default: a temporary directory, removed)")
	fs.IntVar(&r.minCount, "min-count", 1, "a leak grows by at least `N` objects per iteration")
	fs.Uint64Var(&r.minBytes, "min-bytes", 256, "a leak grows by at least `B` bytes per iteration")
	fs.DurationVar(&r.timeout, "timeout", 30*time.Second, "wait at most `D` for the program to be ready")
	fs.DurationVar(&r.actionLimit, "action-timeout", time.Minute, "give up on one action after `D`")
	fs.BoolVar(&r.verbose, "verbose", false, "pass the output of the program and the actions to stderr")
}

func runRun(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
	var f snapshotFlags
	var r runFlags
	f.register(fs)
	f.sources.register(fs)
	r.register(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if err := checkReportFlags(&f); err != nil {
		return fail(stderr, fs, err)
	}
	switch {
	case fs.NArg() == 0:
		return fail(stderr, fs, errors.New("give the program to run after --, as in: leakls run --scenario s.mjs -- node server.js"))
	case (r.scenario == "") == (r.actionCmd == ""):
		return fail(stderr, fs, errors.New("give exactly one of --scenario FILE and --action-cmd CMD"))
	case r.iterations < 0 || r.warmup < 0 || r.minCount < 0:
		return fail(stderr, fs, errors.New("--iterations, --warmup and --min-count must be 0 or more"))
	}
	if r.scenario != "" {
		// Before the program is started and waited for.
		if _, err := os.Stat(r.scenario); err != nil {
			return fail(stderr, fs, fmt.Errorf("--scenario: %w", err))
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p := progress.New(stderr, f.quiet)
	defer p.Done()
	var log io.Writer
	if r.verbose {
		log = stderr
	}

	dir := r.out
	if dir == "" {
		tmp, err := os.MkdirTemp("", "leakls-run-")
		if err != nil {
			return fail(stderr, fs, err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail(stderr, fs, err)
	}
	command, bundleDir, err := capture.PrepareTypeScript(fs.Args())
	if err != nil {
		return fail(stderr, fs, err)
	}
	if bundleDir != "" {
		defer os.RemoveAll(bundleDir)
	}
	p.Stage("run", "starting "+filepath.Base(command[0]))
	proc, err := capture.Launch(ctx, capture.LaunchOptions{Command: command, ReadyURL: cmp.Or(r.readyURL, r.url), Timeout: r.timeout, Stdout: log, Stderr: log})
	if err != nil {
		p.Done()
		return fail(stderr, fs, err)
	}
	defer proc.Stop()
	if r.url != "" {
		proc.URL = r.url
	}
	res, err := drive(ctx, &r, proc, dir, p, log)
	if err != nil {
		p.Done()
		if ctx.Err() != nil {
			err = fmt.Errorf("interrupted, stopping the program: %w", err)
		}
		return fail(stderr, fs, err)
	}
	proc.Stop()

	files := []string{res.Baseline, res.Target, res.Final}
	rep, final, err := diffWithFinal(files, analysis.DiffOptions{
		Semantics: f.sem,
		MinCount:  r.minCount * res.Iterations,
		Progress:  func(path string) func(string, int64, int64) { return p.Func(filepath.Base(path)) },
	})
	p.Done()
	if err != nil {
		return fail(stderr, fs, err)
	}
	trend := res.Trend(r.minBytes)
	growing := growingClusters(rep, r.minBytes*uint64(res.Iterations))
	leaking := growing > 0 || len(rep.Growing) > 0 || trend.OffHeap
	if f.format == "json" {
		var found json.RawMessage
		if found, err = holderFindings(&f.sources, final, rep); err == nil {
			err = writeJSON(stdout, struct {
				Report   *analysis.LeakReport `json:"report"`
				Trend    capture.Trend        `json:"trend"`
				Growing  int                  `json:"growingClusters"`
				Leaking  bool                 `json:"leaking"`
				Snapshot []string             `json:"snapshots,omitempty"`
				Findings json.RawMessage      `json:"findings"`
			}{rep, trend, growing, leaking, keptFiles(r.out, files), found})
		}
	} else {
		err = writeLeaks(stdout, &f, final, rep)
		if err == nil && f.format == "text" {
			printTrend(stdout, trend, res.Iterations, growing, len(rep.Growing), keptFiles(r.out, files))
		}
	}
	if err != nil {
		return fail(stderr, fs, err)
	}
	if leaking {
		return exitFindings
	}
	return exitClean
}

// drive starts the action and runs the phases against proc.
func drive(ctx context.Context, r *runFlags, proc *capture.Process, dir string, p *progress.Reporter, log io.Writer) (*capture.Result, error) {
	var action capture.Action
	iterations := r.iterations
	if r.scenario != "" {
		s, err := capture.StartScenario(r.scenario, proc.URL, log)
		if err != nil {
			return nil, err
		}
		if iterations == 0 {
			iterations = s.Iterations
		}
		action = s
	} else {
		action = &capture.ShellAction{Command: r.actionCmd, URL: proc.URL, Log: log}
	}
	defer action.Close()
	if iterations == 0 {
		iterations = 10
	}
	dctx, cancel := context.WithTimeout(ctx, r.timeout)
	c, err := capture.Dial(dctx, proc.Inspector, false)
	cancel()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	// The program may die during the run: end the run then.
	rctx, cancelRun := context.WithCancelCause(ctx)
	defer cancelRun(nil)
	go func() {
		select {
		case <-proc.Exited():
			cancelRun(errors.New("the program exited during the run"))
		case <-rctx.Done():
		}
	}()
	res, err := capture.Run(rctx, c, capture.RunOptions{
		Action: action, Iterations: iterations, Warmup: r.warmup,
		Dir: dir, ActionTimeout: r.actionLimit, Progress: p,
	})
	if err != nil && context.Cause(rctx) != nil && ctx.Err() == nil {
		return nil, fmt.Errorf("%w: %w", context.Cause(rctx), err)
	}
	return res, err
}

// growingClusters counts the clusters of rep retaining at least minBytes
// (MinCount already left out the clusters with too few objects).
func growingClusters(rep *analysis.LeakReport, minBytes uint64) int {
	n := 0
	for _, c := range rep.Clusters {
		if c.RetainedSize >= minBytes {
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

// printTrend writes the memory trend and the verdict of a run: growing is
// the number of clusters of leaked objects that grow with the iterations,
// grown the number of holders that grew at every step.
func printTrend(w io.Writer, t capture.Trend, iterations, growing, grown int, kept []string) {
	fmt.Fprintf(w, "\nMemory after GC (%d actions per phase):\n", iterations)
	for _, s := range t.Floors {
		fmt.Fprintf(w, "  %-9s heapUsed %10s  external %10s  arrayBuffers %10s  rss %10s\n",
			s.Phase, units.Bytes(s.HeapUsed), units.Bytes(s.External), units.Bytes(s.ArrayBuffers), units.Bytes(s.RSS))
	}
	fmt.Fprintf(w, "  growth    heapUsed %10s  external %10s  arrayBuffers %10s\n",
		units.SignedBytes(t.HeapGrowth), units.SignedBytes(t.ExternalGrowth), units.SignedBytes(t.ArrayBuffersGrowth))
	if t.OffHeap {
		fmt.Fprintln(w, "\nMemory outside the JavaScript heap (Buffers, ArrayBuffers, native memory) grew in both rounds:")
		fmt.Fprintln(w, "the snapshots show only the small objects that own it; look for Buffers or typed arrays kept alive.")
	}
	switch {
	case growing > 0:
		fmt.Fprintf(w, "\nVerdict: leak: %d cluster(s) grow with the iterations.\n", growing)
	case grown > 0:
		fmt.Fprintf(w, "\nVerdict: leak: %d holder(s) grew at every step.\n", grown)
	case t.OffHeap:
		fmt.Fprintln(w, "\nVerdict: leak: off-heap memory grows with the iterations.")
	default:
		fmt.Fprintln(w, "\nVerdict: no leak grows with the iterations.")
	}
	if len(kept) > 0 {
		fmt.Fprintf(w, "Snapshots: %s %s %s\n", kept[0], kept[1], kept[2])
	}
}
