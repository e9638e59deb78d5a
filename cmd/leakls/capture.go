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

Before the snapshots are analysed, the memory the analysis needs is
estimated from their headers' counts and the size of their strings;
when it is more than the memory available (MemAvailable, or the
cgroup's limit), leakls says so and stops.

Exit status: 0 snapshots written (and no leak with three), 1 leaks found,
2 errors.`,
	run: runCapture,
}

// captureFlags are the flags of leakls capture beyond the report flags.
type captureFlags struct {
	inspect, out       string
	count, minCount    int
	interval, timeout  time.Duration
	allowRemote, track bool
}

func (c *captureFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.inspect, "inspect", "", "the inspector: `HOST:PORT` or its ws:// URL")
	fs.StringVar(&c.out, "out", ".", "write the snapshots into `DIR`")
	fs.IntVar(&c.count, "count", 1, "take `N` snapshots")
	fs.DurationVar(&c.interval, "interval", 10*time.Second, "wait `D` between snapshots")
	fs.BoolVar(&c.allowRemote, "allow-remote", false, "allow an inspector that is not on a loopback address")
	fs.DurationVar(&c.timeout, "timeout", 5*time.Minute, "give up on one snapshot after `D`")
	fs.IntVar(&c.minCount, "min-count", 1, "with three snapshots, leave out clusters of fewer than `N` objects")
	fs.BoolVar(&c.track, "track-allocations", false, "start V8's allocation tracker before the first snapshot, to record where objects are allocated")
}

// check checks the flags once parsed.
func (c *captureFlags) check(fs *flag.FlagSet) error {
	switch {
	case c.inspect == "":
		return errors.New("--inspect is required: give the HOST:PORT of node --inspect, or its ws:// URL")
	case c.count < 1:
		return errors.New("--count must be at least 1")
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return os.MkdirAll(c.out, 0o755)
}

func runCapture(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
	var f snapshotFlags
	var cf captureFlags
	f.register(fs)
	f.leaks.register(fs)
	cf.register(fs)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if err := checkReportFlags(&f); err != nil {
		return fail(stderr, fs, err)
	}
	if err := cf.check(fs); err != nil {
		return fail(stderr, fs, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p := progress.New(stderr, f.quiet)
	defer p.Done()
	files, err := cf.take(ctx, p, stdout)
	if err != nil {
		return fail(stderr, fs, err)
	}
	if len(files) != 3 {
		return exitClean
	}
	fmt.Fprintln(stdout)
	code, err := f.report(ctx, stdout, files, cf.minCount, p)
	if err != nil {
		return fail(stderr, fs, err)
	}
	return code
}

// take connects to the inspector and takes the snapshots, --interval
// apart, printing each file once written.
func (c *captureFlags) take(ctx context.Context, p *progress.Reporter, stdout io.Writer) ([]string, error) {
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	client, err := capture.Dial(dctx, c.inspect, c.allowRemote)
	cancel()
	if err != nil {
		return nil, err
	}
	defer client.Close()
	if c.track {
		if err := client.TrackAllocations(ctx); err != nil {
			return nil, fmt.Errorf("start tracking allocations: %w", err)
		}
	}
	stamp := time.Now().UTC().Format("20060102T150405")
	var files []string
	for i := range c.count {
		if i > 0 {
			p.Stage("capture", fmt.Sprintf("waiting %v", c.interval))
			select {
			case <-time.After(c.interval):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		path := filepath.Join(c.out, fmt.Sprintf("leakls-%s-%d.heapsnapshot", stamp, i+1))
		sctx, cancel := context.WithTimeout(ctx, c.timeout)
		err := client.TakeHeapSnapshot(sctx, path, p.Func(filepath.Base(path)))
		cancel()
		p.Done()
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(stdout, path)
		files = append(files, path)
	}
	return files, nil
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
	if f.leaks.update && f.leaks.baseline == "" {
		// Before a run's minutes of work, not after them.
		return errors.New("--update-baseline writes the --baseline FILE: give both")
	}
	return nil
}
