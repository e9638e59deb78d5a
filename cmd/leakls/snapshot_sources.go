package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/holders"
	"github.com/leakls/leakls/report"
	"github.com/leakls/leakls/srcloc"
)

// The join of `leakls snapshot diff` with the sources: the holder of each
// leak cluster placed in the original source (LK1xx findings), retainer
// hops printed at their original file:line, and SARIF output.

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

// diffWithFinal runs analysis.DiffSeries on BASELINE TARGET FINAL: the
// leak report, checked to be one process's series, with its growing
// holders, and the final snapshot, whose graph the holder search walks.
func diffWithFinal(files []string, opts analysis.DiffOptions) (*analysis.LeakReport, *analysis.Snapshot, error) {
	return analysis.DiffSeries(context.Background(), files[0], files[1], files[2], opts)
}

// wrapPath is fileError for a possibly nil error.
func wrapPath(path string, err error) error {
	if err == nil {
		return nil
	}
	return fileError(path, err)
}

// joinSources finds the holder of every cluster of rep and rewrites the
// positions of the clusters' hops to the original sources (relative to
// the root when under it), so that the text report shows file:line where
// the code was written.
func joinSources(f *sourceFlags, final *analysis.Snapshot, rep *analysis.LeakReport) (*srcloc.Resolver, []finding.Finding) {
	r := srcloc.NewResolver(f.root)
	found := holders.Find(context.Background(), final, rep, holders.Options{Resolver: r})
	placer := holders.NewPlacer(r, final)
	for i := range rep.Clusters {
		path := rep.Clusters[i].Path
		for k, h := range path {
			pl, ok := placer.Hop(h)
			if !ok {
				if filepath.IsAbs(h.File) {
					path[k].File = relPath(r.Root, h.File)
				}
				continue
			}
			st := pl.Location.Range.Start
			path[k].File, path[k].Line, path[k].Column = pl.Rel, st.Line+1, st.Col+1
		}
	}
	return r, found
}

// heldInSources finds the holders of the biggest objects of a single
// snapshot in the sources (at most --top of them).
func heldInSources(f *snapshotFlags, s *analysis.Snapshot) (*srcloc.Resolver, []finding.Finding) {
	r := srcloc.NewResolver(f.sources.root)
	found := holders.FindHeld(context.Background(), s, f.sem, holders.Options{Resolver: r})
	return r, found[:f.limit(len(found))]
}

// printHolders prints the holder findings, one a line, as
// file:line:column: rule message.
func printHolders(w io.Writer, r *srcloc.Resolver, found []finding.Finding) {
	if len(found) == 0 {
		return
	}
	fmt.Fprintln(w, "\nHolders in the source:")
	for _, f := range found {
		st := f.Range.Start
		fmt.Fprintf(w, "  %s:%d:%d: %s %s\n", relPath(r.Root, f.File), st.Line+1, st.Col+1, f.Rule, f.Message)
	}
}

// holderFindings returns the holders of rep's leaks in the sources as
// the "findings" array of leakls check's JSON, files relative to the root.
func holderFindings(f *sourceFlags, final *analysis.Snapshot, rep *analysis.LeakReport) (json.RawMessage, error) {
	r := srcloc.NewResolver(f.root)
	return findingsJSON(r.Root, holders.Find(context.Background(), final, rep, holders.Options{Resolver: r}))
}

// findingsJSON encodes found in the shape of leakls check's JSON findings,
// their files relative to root when under it.
func findingsJSON(root string, found []finding.Finding) (json.RawMessage, error) {
	for i := range found {
		found[i].File = relPath(root, found[i].File)
		for k := range found[i].Related {
			found[i].Related[k].File = relPath(root, found[i].Related[k].File)
		}
	}
	return report.FindingsJSON(found)
}

// relPath returns path relative to root when it is under it.
func relPath(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return path
}

// writeHolderSARIF writes the holder findings as SARIF, paths relative to
// the root.
func writeHolderSARIF(w io.Writer, r *srcloc.Resolver, found []finding.Finding) error {
	return report.Write(w, report.FormatSARIF, found, report.Options{
		Base: r.Root,
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

// writeLeaks writes the leak report of diff in the chosen format: JSON as
// analysed with the holder findings added, SARIF as holder findings, text
// with hops at their original file:line followed by the holders.
func writeLeaks(w io.Writer, f *snapshotFlags, final *analysis.Snapshot, rep *analysis.LeakReport) error {
	if f.format == "json" {
		found, err := holderFindings(&f.sources, final, rep)
		if err != nil {
			return err
		}
		return writeJSON(w, struct {
			*analysis.LeakReport
			Findings json.RawMessage `json:"findings"`
		}{rep, found})
	}
	r, found := joinSources(&f.sources, final, rep)
	if f.format == "sarif" {
		return writeHolderSARIF(w, r, found)
	}
	printLeaks(w, f, rep)
	printGrowth(w, f.sources.root, rep.Growing)
	printHolders(w, r, found)
	return nil
}
