package main

import (
	"context"
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
)

var captureCommand = &command{
	name:    "capture",
	usage:   "--inspect HOST:PORT|ws://URL [flags]",
	summary: "take heap snapshots of a running Node.js process",
	help: `Connects to the inspector of a running Node.js process (started with
node --inspect, or after kill -USR1 PID) and writes heap snapshots to
--out, each after a full garbage collection, printing the files written.
--count N takes N snapshots, --interval apart. With three snapshots the
leak report of "leakls snapshot diff" follows, the first being the
baseline, the second the target and the third the final snapshot: drive
the suspect work during the intervals.

Only loopback addresses are accepted unless --allow-remote is given: the
inspector runs any code in the process it debugs.

Exit status: 0 snapshots written (and no leak with three), 1 leaks found,
2 errors.`,
	run: runCapture,
}

func runCapture(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
	var f snapshotFlags
	f.register(fs)
	f.sources.register(fs)
	inspect := fs.String("inspect", "", "the inspector: `HOST:PORT` or its ws:// URL")
	out := fs.String("out", ".", "write the snapshots into `DIR`")
	count := fs.Int("count", 1, "take `N` snapshots")
	interval := fs.Duration("interval", 10*time.Second, "wait `D` between snapshots")
	allowRemote := fs.Bool("allow-remote", false, "allow an inspector that is not on a loopback address")
	timeout := fs.Duration("timeout", 5*time.Minute, "give up on one snapshot after `D`")
	minCount := fs.Int("min-count", 1, "with three snapshots, leave out clusters of fewer than `N` objects")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if err := checkReportFlags(&f); err != nil {
		return fail(stderr, fs, err)
	}
	switch {
	case *inspect == "":
		return fail(stderr, fs, errors.New("--inspect is required: give the HOST:PORT of node --inspect, or its ws:// URL"))
	case *count < 1:
		return fail(stderr, fs, errors.New("--count must be at least 1"))
	case fs.NArg() > 0:
		return fail(stderr, fs, fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fail(stderr, fs, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p := progress.New(stderr, f.quiet)
	defer p.Done()

	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	c, err := capture.Dial(dctx, *inspect, *allowRemote)
	cancel()
	if err != nil {
		return fail(stderr, fs, err)
	}
	defer c.Close()
	stamp := time.Now().UTC().Format("20060102T150405")
	var files []string
	for i := range *count {
		if i > 0 {
			p.Stage("capture", fmt.Sprintf("waiting %v", *interval))
			select {
			case <-time.After(*interval):
			case <-ctx.Done():
				return fail(stderr, fs, ctx.Err())
			}
		}
		path := filepath.Join(*out, fmt.Sprintf("leakls-%s-%d.heapsnapshot", stamp, i+1))
		sctx, cancel := context.WithTimeout(ctx, *timeout)
		err := c.TakeHeapSnapshot(sctx, path, p.Func(filepath.Base(path)))
		cancel()
		if err != nil {
			p.Done()
			return fail(stderr, fs, err)
		}
		p.Done()
		fmt.Fprintln(stdout, path)
		files = append(files, path)
	}
	if len(files) != 3 {
		return exitClean
	}
	fmt.Fprintln(stdout)
	rep, err := f.analyze(ctx, files, *minCount, p)
	if err == nil {
		err = writeReport(stdout, &f, rep)
	}
	if err != nil {
		return fail(stderr, fs, err)
	}
	if rep.HasLeaks() {
		return exitFindings
	}
	return exitClean
}

// checkReportFlags checks the report flags once they are parsed (by
// snapshotFlags.parse, or by a command that parses its own arguments):
// the format, the retained-size semantics and --top.
func checkReportFlags(f *snapshotFlags) error {
	if !f.sources.formatOK(f.format) {
		return fmt.Errorf("unknown --format %q (want %s)", f.format, f.sources.formats())
	}
	sem, err := analysis.ParseSemantics(f.semantics)
	if err != nil {
		return err
	}
	f.sem = sem
	if f.top < 0 {
		return errors.New("--top must be 0 or more")
	}
	return nil
}
