package main

import (
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"

	"github.com/leakls/leakls/evidence"
	"github.com/leakls/leakls/internal/progress"
	"github.com/leakls/leakls/report"
)

// The evidence of a snapshot set, as the snapshot subcommands, capture and
// run write it: package evidence computes it, the writers below print it
// as text, JSON or SARIF.

// sourceFlags are the flags of the subcommands that place snapshot
// positions in the workspace's sources.
type sourceFlags struct {
	enabled bool
	root    string
}

func (f *sourceFlags) register(fs *flag.FlagSet) {
	f.enabled = true
	fs.StringVar(&f.root, "root", ".", "the workspace `DIR` that script paths and source maps are resolved in")
}

// formatOK reports whether format is one the subcommand writes: text and
// json always, sarif when the sources are joined.
func (f *sourceFlags) formatOK(format string) bool {
	return format == "text" || format == "json" || (f.enabled && format == "sarif")
}

// analyze runs the evidence pipeline on files under the flags, with
// progress on p under the files' base names, and applies the baseline
// flags to its report (see leakFlags.apply).
func (f *snapshotFlags) analyze(ctx context.Context, files []string, minCount int, p *progress.Reporter) (*evidence.Report, error) {
	defer p.Done()
	opts := f.evidenceOptions()
	opts.MinCount = minCount
	opts.Progress = func(path string) func(string, int64, int64) { return p.Func(filepath.Base(path)) }
	rep, err := evidence.Analyze(ctx, files, opts)
	if err == nil {
		err = f.leaks.apply(rep)
	}
	return rep, err
}

// evidenceOptions are the options of the evidence pipeline under the
// flags: this process runs one analysis, under the soft memory limit of
// its estimate (see evidence.PlanMemory).
func (f *snapshotFlags) evidenceOptions() evidence.Options {
	return evidence.Options{Root: f.sources.root, Semantics: f.sem, Top: f.top, Available: availableMemory, MemoryLimit: true}
}

// report runs the evidence pipeline on files and writes the report to w.
// It returns the exit status: exitFindings when the report holds leaks
// that the baseline does not list.
func (f *snapshotFlags) report(ctx context.Context, w io.Writer, files []string, minCount int, p *progress.Reporter) (int, error) {
	rep, err := f.analyze(ctx, files, minCount, p)
	if err == nil {
		err = writeReport(w, f, rep, f.textOptions())
	}
	switch {
	case err != nil:
		return exitError, err
	case rep.HasLeaks():
		return exitFindings, nil
	}
	return exitClean, nil
}

// textOptions are the options of the text report under the flags.
func (f *snapshotFlags) textOptions() evidence.TextOptions {
	return evidence.TextOptions{Top: f.top, FullPath: f.leaks.fullPath}
}

// writeReport writes rep in the chosen format: JSON as described in
// docs/json.md, SARIF as the holder findings, text as evidence writes it
// under o.
func writeReport(w io.Writer, f *snapshotFlags, rep *evidence.Report, o evidence.TextOptions) error {
	switch f.format {
	case "json":
		doc, err := rep.JSON(f.top)
		if err != nil {
			return err
		}
		return writeJSON(w, doc)
	case "sarif":
		return writeHolderSARIF(w, rep)
	}
	rep.WriteText(w, o)
	return nil
}

// writeHolderSARIF writes the holder findings as SARIF, paths relative to
// the root.
func writeHolderSARIF(w io.Writer, rep *evidence.Report) error {
	return report.Write(w, report.FormatSARIF, rep.Findings, report.Options{
		Base: rep.Root,
		Source: func(p string) ([]byte, bool) {
			b, err := os.ReadFile(p)
			return b, err == nil
		},
		ToolVersion: version(),
	})
}

// formats lists the formats formatOK accepts, for error messages.
func (f *sourceFlags) formats() string {
	if f.enabled {
		return "text, json or sarif"
	}
	return "text or json"
}
