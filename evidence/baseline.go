package evidence

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/finding"
)

// BaselineVersion is the version of the baseline file (docs/cli.md);
// fields are only added within a version.
const BaselineVersion = 1

// Baseline lists known leaks by signature: leakls run and snapshot diff
// with --baseline FILE report them as known and fail only on the others
// (a known leak in a dependency that must not block a CI job).
type Baseline struct {
	Version int             `json:"version"`
	Leaks   []BaselineEntry `json:"leaks"`
}

// BaselineEntry is one known leak: its signature, and a description for
// people reading or reviewing the file (not compared).
type BaselineEntry struct {
	Signature   string `json:"signature"`
	Description string `json:"description"`
}

// ReadBaseline reads a baseline file.
func ReadBaseline(path string) (*Baseline, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var bl Baseline
	if err := json.Unmarshal(b, &bl); err != nil {
		return nil, fmt.Errorf("%s: not a leakls baseline (%v); write one with --update-baseline", path, err)
	}
	if bl.Version != BaselineVersion {
		return nil, fmt.Errorf("%s: baseline version %d, this leakls reads version %d; write it again with --update-baseline", path, bl.Version, BaselineVersion)
	}
	return &bl, nil
}

// WriteTo writes the baseline sorted by signature, one leak a line, so
// that its changes read well in a diff.
func (bl *Baseline) WriteTo(w io.Writer) (int64, error) {
	slices.SortFunc(bl.Leaks, func(a, b BaselineEntry) int { return strings.Compare(a.Signature, b.Signature) })
	bl.Leaks = slices.CompactFunc(bl.Leaks, func(a, b BaselineEntry) bool { return a.Signature == b.Signature })
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "{\n  \"version\": %d,\n  \"leaks\": [", bl.Version)
	for i, e := range bl.Leaks {
		line, err := json.Marshal(e)
		if err != nil {
			return 0, err
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n    ")
		buf.Write(line)
	}
	if len(bl.Leaks) > 0 {
		buf.WriteString("\n  ")
	}
	buf.WriteString("]\n}\n")
	n, err := w.Write(buf.Bytes())
	return int64(n), err
}

// set returns the signatures of bl as a set.
func (bl *Baseline) set() map[string]bool {
	set := make(map[string]bool, len(bl.Leaks))
	for _, e := range bl.Leaks {
		set[e.Signature] = true
	}
	return set
}

// Baseline returns the baseline of rep's leaks — its findings, known
// ones included, and the clusters and growing holders no finding
// reports — for --update-baseline.
func (rep *Report) Baseline() *Baseline {
	bl := &Baseline{Version: BaselineVersion, Leaks: []BaselineEntry{}}
	for _, f := range rep.relFindings(slices.Concat(rep.Findings, rep.Known)) {
		bl.Leaks = append(bl.Leaks, BaselineEntry{f.Signature, findingDescription(f)})
	}
	placed := rep.signatures()
	for _, c := range slices.Concat(rep.Leaks.Clusters, rep.KnownClusters) {
		if !placed[c.Signature] {
			bl.Leaks = append(bl.Leaks, BaselineEntry{c.Signature, c.Constructor + " held by " + ownerText(c.Path) + " (no line of the program's source)"})
		}
	}
	for _, g := range slices.Concat(rep.Leaks.Growing, rep.KnownGrowing) {
		if !placed[g.Signature] {
			bl.Leaks = append(bl.Leaks, BaselineEntry{g.Signature, g.Label + " held by " + ownerText(g.Path) + " (no line of the program's source)"})
		}
	}
	return bl
}

// findingDescription describes a finding for a baseline: rule, place
// and the message's first clause, without its numbers, so that the line
// changes only when the leak does.
func findingDescription(f finding.Finding) string {
	msg, _, _ := strings.Cut(f.Message, " retains ")
	msg, _, _ = strings.Cut(msg, ";")
	msg, _, _ = strings.Cut(msg, ": ")
	return fmt.Sprintf("%s %s:%d %s", f.Rule, f.File, f.Range.Start.Line+1, msg)
}

// ownerText names the first hop shown of path (see OwnerHop).
func ownerText(path []analysis.Hop) string {
	if len(path) == 0 {
		return "(no path)"
	}
	h := path[OwnerHop(path)]
	return strings.TrimSpace(h.EdgeText() + " " + h.Object())
}

// signatures returns the set of the signatures of rep's findings, known
// ones included.
func (rep *Report) signatures() map[string]bool {
	set := map[string]bool{}
	for _, f := range slices.Concat(rep.Findings, rep.Known) {
		set[f.Signature] = true
	}
	return set
}

// ApplyBaseline moves the leaks bl lists out of rep's leak report and
// findings into Known, KnownClusters and KnownGrowing: what remains are
// the leaks not in the baseline, the ones a CI job fails on.
func (rep *Report) ApplyBaseline(bl *Baseline) {
	if rep.Leaks == nil {
		return
	}
	known := bl.set()
	rep.Findings, rep.Known = split(rep.Findings, rep.Known, func(f finding.Finding) bool { return known[f.Signature] })
	rep.Leaks.Clusters, rep.KnownClusters = split(rep.Leaks.Clusters, rep.KnownClusters, func(c analysis.Cluster) bool { return known[c.Signature] })
	rep.Leaks.Growing, rep.KnownGrowing = split(rep.Leaks.Growing, rep.KnownGrowing, func(g analysis.Growth) bool { return known[g.Signature] })
}

// split moves the items of list that match to moved, keeping the order
// of both.
func split[T any](list, moved []T, match func(T) bool) (rest, out []T) {
	rest = list[:0:0]
	for _, x := range list {
		if match(x) {
			moved = append(moved, x)
		} else {
			rest = append(rest, x)
		}
	}
	return rest, moved
}

// signPaths gives the clusters and growing holders that no finding
// signed a signature of their own, from what their retainer path goes
// through from the holder's owner on (see OwnerHop): edge kinds and
// names, objects' names and scripts — never indices, sizes or ids.
func signPaths(lr *analysis.LeakReport) {
	for i := range lr.Clusters {
		if c := &lr.Clusters[i]; c.Signature == "" {
			c.Signature = pathSignature(c.Constructor, c.Path)
		}
	}
	for i := range lr.Growing {
		if g := &lr.Growing[i]; g.Signature == "" {
			g.Signature = pathSignature(g.Label, g.Path)
		}
	}
}

// pathSignature is the signature of objects of class at the end of path.
func pathSignature(class string, path []analysis.Hop) string {
	parts := []string{"path", class}
	for _, h := range path[OwnerHop(path):] {
		edge := h.Edge
		if h.EdgeType != "property" && h.EdgeType != "context" {
			edge = ""
		}
		name := h.Name
		if h.Type == "string" || h.Type == "concatenated string" || h.Type == "sliced string" {
			name = ""
		}
		parts = append(parts, h.EdgeType+" "+edge+" "+name+" "+h.Type+" "+h.File)
	}
	return finding.Sign(parts...)
}
