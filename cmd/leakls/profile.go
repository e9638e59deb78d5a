package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/leakls/leakls/heapprofile"
	"github.com/leakls/leakls/internal/units"
	"github.com/leakls/leakls/srcloc"
)

var profileCommand = &command{
	name:    "profile",
	usage:   "[flags] FILE",
	summary: "the top allocation sites of a sampling heap profile",
	help: `Reads a sampling heap profile — a .heapprofile written by
node --heap-prof (or the result of the inspector's HeapProfiler.stopSampling)
— and prints the functions that allocated the most sampled bytes: SELF is
what a function allocated itself, TOTAL adds its callees, each with its
share of the profile, and the place where the function is defined,
file:line:column in the workspace given by --root (through source maps to
the original file when the code was compiled or bundled).

V8 samples allocations per function, not per line: the line shown is the
function's. Functions V8 inlined into their caller count in the caller.
docs/modes.md shows a worked example.

Exit status: 0 success, 2 usage or input errors.`,
	run: runProfile,
}

func runProfile(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
	format := fs.String("format", "text", "output `format`: text or json")
	top := fs.Int("top", 20, "show the top `N` sites (0: all)")
	root := fs.String("root", ".", "the workspace `DIR` that script paths and source maps are resolved in")
	var files []string
	for { // flags may follow the file
		if code, ok := parseFlags(fs, args); !ok {
			return code
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case *format != "text" && *format != "json":
		return fail(stderr, fs, fmt.Errorf("unknown --format %q (want text or json)", *format))
	case *top < 0:
		return fail(stderr, fs, errors.New("--top must be 0 or more"))
	case len(files) != 1:
		return fail(stderr, fs, errors.New("want exactly one FILE: a .heapprofile (node --heap-prof)"))
	}
	r := srcloc.NewResolver(*root)
	rep, err := heapprofile.ReadFile(files[0], heapprofile.Options{Resolver: r, Top: *top})
	if err != nil {
		return fail(stderr, fs, err)
	}
	if *format == "json" {
		if err := writeJSON(stdout, rep); err != nil {
			return fail(stderr, fs, err)
		}
		return exitClean
	}
	fmt.Fprintf(stdout, "%s: %s sampled", files[0], units.Bytes(rep.Total))
	if rep.Samples > 0 {
		fmt.Fprintf(stdout, " in %d samples", rep.Samples)
	}
	fmt.Fprint(stdout, "\n\n")
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "SELF\t%\tTOTAL\t%\t \tFUNCTION  WHERE")
	for _, s := range rep.Sites {
		fmt.Fprintf(tw, "%s\t%.1f%%\t%s\t%.1f%%\t \t%s  %s\n", units.Bytes(s.Self), s.SelfPercent, units.Bytes(s.Total), s.TotalPercent, s.Name(), siteWhere(s))
	}
	tw.Flush()
	return exitClean
}

// siteWhere is a site's place as file:line:column, or what V8 gave.
func siteWhere(s heapprofile.Site) string {
	switch {
	case s.Place != nil:
		return s.Place.String()
	case s.URL == "":
		return "(no script)"
	case s.LineNumber < 0:
		return s.URL
	}
	return s.URL + ":" + strconv.Itoa(s.LineNumber+1) + ":" + strconv.Itoa(s.ColumnNumber+1)
}
