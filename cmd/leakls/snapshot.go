package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/evidence"
	"github.com/leakls/leakls/internal/progress"
	"github.com/leakls/leakls/internal/relpath"
	"github.com/leakls/leakls/internal/sysmem"
	"github.com/leakls/leakls/internal/units"
)

var snapshotCommand = &command{
	name:    "snapshot",
	usage:   "summary|diff|path [flags] FILE...",
	summary: "analyse V8 heap snapshots: summary, leaks between snapshots, retainer paths",
	help: `Analyses .heapsnapshot files written by Node.js (v8.writeHeapSnapshot,
--heapsnapshot-signal), Chrome DevTools or the inspector protocol.

    leakls snapshot summary FILE
        sizes, the classes and the objects that retain the most memory
    leakls snapshot diff BASELINE [STEP...] TARGET [FINAL]
        with three snapshots of one process: the objects allocated between
        BASELINE and TARGET that are still alive in FINAL, grouped by the
        path that retains them; with two: the per-class comparison
    leakls snapshot path FILE --id N
        the retainer path of one object

Run 'leakls snapshot SUBCOMMAND --help' for the flags of each. The JSON
output is described in docs/snapshots.md.

Before loading, the memory the analysis needs is estimated from the
files' headers' counts and the size of their strings; when it is more
than the memory available (MemAvailable, or the cgroup's limit), leakls
says so and stops.

Exit status: 0 success (for diff: no leak), 1 diff found leaks, 2 usage or
input errors.`,
	run: runSnapshot,
}

// snapshotSubcommands are the subcommands of "leakls snapshot".
var snapshotSubcommands = []*command{snapshotSummary, snapshotDiff, snapshotPath}

func runSnapshot(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		for _, c := range snapshotSubcommands {
			if c.name == "snapshot "+args[0] {
				return c.run(c.flagSet(usageOutput(args[1:], stdout, stderr)), args[1:], stdout, stderr)
			}
		}
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "leakls snapshot: missing subcommand (summary, diff or path)")
	} else {
		fmt.Fprintf(stderr, "leakls snapshot: unknown subcommand %q (want summary, diff or path)\n", fs.Arg(0))
	}
	fs.Usage()
	return exitError
}

// snapshotFlags are the flags every snapshot subcommand accepts.
type snapshotFlags struct {
	format    string
	semantics string
	top       int
	quiet     bool
	sem       analysis.Semantics
	sources   sourceFlags
	leaks     leakFlags
}

func (f *snapshotFlags) register(fs *flag.FlagSet) {
	f.sources.register(fs)
	f.registerCommon(fs)
	fs.IntVar(&f.top, "top", 10, "show the top `N` entries of each list (0: all)")
}

// registerPath registers the flags of "snapshot path", which prints one
// path: no lists to cut, no source findings.
func (f *snapshotFlags) registerPath(fs *flag.FlagSet) { f.registerCommon(fs) }

// registerCommon registers the flags every snapshot command takes.
func (f *snapshotFlags) registerCommon(fs *flag.FlagSet) {
	fs.StringVar(&f.format, "format", "text", "output `format`: "+f.sources.formats())
	fs.StringVar(&f.semantics, "semantics", "node", "retained-size `semantics`: node (memlab-like) or devtools (Chrome DevTools)")
	fs.BoolVar(&f.quiet, "quiet", false, "print no progress on stderr")
}

// parse parses args, allowing flags after the file arguments, and checks
// the flag values. It returns the positional arguments.
func (f *snapshotFlags) parse(fs *flag.FlagSet, args []string, stderr io.Writer) (files []string, code int, ok bool) {
	for {
		if code, ok := parseFlags(fs, args); !ok {
			return nil, code, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" || (len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--") {
			files = append(files, rest...)
			break
		}
		files = append(files, rest[0])
		args = rest[1:]
	}
	if err := checkReportFlags(f); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
		return nil, exitError, false
	}
	return files, 0, true
}

// availableMemory returns the memory an analysis may take (tests give
// their own figure).
var availableMemory = sysmem.Read

// limit returns n capped at top (0 meaning no cap).
func (f *snapshotFlags) limit(n int) int {
	if f.top > 0 && n > f.top {
		return f.top
	}
	return n
}

// fail prints err under the subcommand's name and returns exitError.
func fail(stderr io.Writer, fs *flag.FlagSet, err error) int {
	fmt.Fprintf(stderr, "leakls %s: %v\n", fs.Name(), err)
	return exitError
}

// loadSnapshot loads one snapshot with progress under its base name.
func loadSnapshot(path string, p *progress.Reporter) (*analysis.Snapshot, error) {
	return analysis.Load(path, analysis.LoadOptions{Progress: p.Func(filepath.Base(path))})
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

var snapshotSummary = &command{
	name:    "snapshot summary",
	usage:   "[flags] FILE",
	summary: "sizes, top classes and top holders of one snapshot",
	help: `Prints the size of the heap in FILE, the classes that retain the most
memory, and the objects that do (with the retainer path of each in JSON).
Use it on a single snapshot, such as one written near the heap limit
(node --heapsnapshot-near-heap-limit=1): what fills the heap is at the top.

The text report ends with the holders in the source: of the biggest
objects, those the program's own code holds — a module variable, a
listener, a timer, a property of a long-lived object — each at its line in
the original source (through source maps, in the workspace given by
--root), as ` + ruleSpan(rules.Snapshot) + ` findings of severity info ('leakls rules'). --format
sarif writes those findings as SARIF 2.1.0.`,
	run: func(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
		var f snapshotFlags
		f.register(fs)
		files, code, ok := f.parse(fs, args, stderr)
		if !ok {
			return code
		}
		if len(files) != 1 {
			return fail(stderr, fs, errors.New("want exactly one FILE"))
		}
		code, err := f.report(context.Background(), stdout, files, 0, progress.New(stderr, f.quiet))
		if err != nil {
			return fail(stderr, fs, err)
		}
		return code
	},
}

var snapshotDiff = &command{
	name:    "snapshot diff",
	usage:   "[flags] BASELINE [STEP...] TARGET [FINAL]",
	summary: "leaks across three snapshots or more, or a comparison of two",
	help: `With three snapshots of one process — BASELINE before the suspect work,
TARGET after it, FINAL after it has finished — reports the objects
allocated between BASELINE and TARGET that are still alive in FINAL. The
text leads with one line per leak: the statement that grows it
(file:line:column), the rule, what grows and how fast (per snapshot
step); then the clusters Node's own code holds, summed up in one line
(--top 0 lists them); then the details: each leak's message, signature,
clusters of objects retained the same way with their retainer paths (one
hop a line: edge, object, type, @id, and file:line when the snapshot
records it; the hops from the roots to the holder's owner in the
program's code folded into one line unless --full-path), and the leaked
objects per constructor. V8 and Node internals that any run leaves
behind (compiled code, feedback, hidden classes) are not reported;
objects nested in a leaked object count in its cluster.
Snapshots taken with V8's allocation tracker on (leakls run, leakls
capture --track-allocations, DevTools' "Allocation instrumentation on
timeline") also say where each cluster's objects were allocated: the top
frames of their allocation stacks in the program's code.
--min-count N leaves out clusters of fewer than N objects, such as a
module Node loads on first use (set it to the number of iterations of the
suspect work, or a fraction of it, in CI).

Positions are placed in the workspace given by --root (default: the
current directory), through source maps to the original file when the code
was compiled or bundled. Each leak is the holder of its clusters in the
source, at the statement that grows it — the push() or set() on the
variable or property, the on() or setInterval() call — as ` + ruleSpan(rules.Snapshot) + `
findings ('leakls rules'), marked confirmed when a static rule flags that
statement; --format sarif writes those findings as SARIF 2.1.0, the
holder's declaration and the retainer hops as related locations.

More than three snapshots (BASELINE, STEP... taken between, TARGET,
FINAL) make a series: a cluster is reported only when objects allocated
in every step of it are still alive in FINAL — it grows with the work —
and a holder only when it grew from each snapshot to the next.

Each leak has a signature, derived from what it is (rule, holder, file or
package@version and path inside node_modules, the text of the line,
class), the same on every run and machine. --baseline FILE names a file
of known leaks (docs/cli.md#baseline): they are listed as known and do
not count for the exit status; --update-baseline writes this report's
leaks to it.

With two snapshots, prints DevTools' comparison: per class, the objects
allocated and freed between them and the change in count and size.

Exit status: 0 no leak (and always for two snapshots), 1 leaks found
(besides those of --baseline), 2 errors.`,
	run: runSnapshotDiff,
}

func runSnapshotDiff(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
	var f snapshotFlags
	f.register(fs)
	f.leaks.register(fs)
	minCount := fs.Int("min-count", 1, "leave out clusters of fewer than `N` objects (one-off allocations)")
	files, code, ok := f.parse(fs, args, stderr)
	if !ok {
		return code
	}
	switch {
	case len(files) < 2:
		return fail(stderr, fs, errors.New("want BASELINE TARGET [FINAL]: two snapshot files or more of one process"))
	case len(files) == 2 && f.format == "sarif":
		return fail(stderr, fs, errors.New("--format sarif reports where leaks are held: give three snapshots, BASELINE TARGET FINAL"))
	}
	code, err := f.report(context.Background(), stdout, files, *minCount, progress.New(stderr, f.quiet))
	if err != nil {
		return fail(stderr, fs, err)
	}
	return code
}

var snapshotPath = &command{
	name:    "snapshot path",
	usage:   "[flags] FILE --id N",
	summary: "the retainer path of one object",
	help: `Prints the shortest path from the roots to the object with id N in FILE
(the @N shown by summary and diff), one hop a line, skipping V8 internals
the way DevTools does.`,
	run: func(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
		var f snapshotFlags
		f.registerPath(fs)
		id := fs.Uint64("id", 0, "the object's `id` (required)")
		files, code, ok := f.parse(fs, args, stderr)
		if !ok {
			return code
		}
		if len(files) != 1 {
			return fail(stderr, fs, errors.New("want exactly one FILE"))
		}
		if *id == 0 || *id > 1<<32-1 {
			return fail(stderr, fs, errors.New("--id N is required: the id of an object (the @N shown by summary and diff)"))
		}
		if _, err := evidence.PlanMemory(files, f.evidenceOptions()); err != nil {
			return fail(stderr, fs, err)
		}
		p := progress.New(stderr, f.quiet)
		s, err := loadSnapshot(files[0], p)
		p.Done()
		if err != nil {
			return fail(stderr, fs, err)
		}
		n, found := s.NodeByID(uint32(*id))
		if !found {
			return fail(stderr, fs, fmt.Errorf("%s has no object with id %d", files[0], *id))
		}
		paths := analysis.NewPaths(s)
		src := analysis.NewSources(s)
		d := s.Dominators(f.sem)
		result := analysis.Holder{
			Hop:          analysis.NodeHop(s, src, n),
			SelfSize:     d.Self(n),
			RetainedSize: d.Retained(n),
			Path:         analysis.PathHops(paths, src, n),
		}
		if result.Path == nil {
			result.Path = []analysis.Hop{}
		}
		// Files relative to the current directory, as diff prints them.
		if wd, err := os.Getwd(); err == nil {
			result.Hop.File = relpath.Display(wd, result.Hop.File)
			for k := range result.Path {
				result.Path[k].File = relpath.Display(wd, result.Path[k].File)
			}
		}
		if f.format == "json" {
			if err := writeJSON(stdout, result); err != nil {
				return fail(stderr, fs, err)
			}
			return exitClean
		}
		fmt.Fprintf(stdout, "%s: %s retained, %s self\n", evidence.NodeText(result.Hop), units.Bytes(result.RetainedSize), units.Bytes(result.SelfSize))
		if !paths.Reachable(n) {
			fmt.Fprintln(stdout, "    (not reachable from the roots over strong references: held only by weak references or compiled code)")
		}
		evidence.WritePath(stdout, result.Path)
		return exitClean
	},
}
