package holders

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/units"
	"github.com/leakls/leakls/srcloc"
	"github.com/leakls/leakls/staticcheck"
)

// clusterMessage states the evidence of a cluster: what holds, how many
// objects of which class, and how much memory they keep.
func clusterMessage(h holder, c *analysis.Cluster) string {
	var b strings.Builder
	b.WriteString(h.what + " retains ")
	if len(c.Breakdown) > 1 {
		// One leak in several pieces (see analysis.Cluster.Breakdown).
		parts := make([]string, len(c.Breakdown))
		for i, r := range c.Breakdown {
			parts[i] = countOf(r.Count, r.Constructor)
		}
		b.WriteString(strings.Join(parts, ", "))
		writeHolding(&b, c.Nested)
	} else if c.Count == 1 && len(c.Nested) > 0 {
		// One new container (a timer list, a listener array, the head of
		// a chain of closures): what it holds is the news.
		parts := make([]string, len(c.Nested))
		for i, n := range c.Nested {
			parts[i] = countOf(n.Count, n.Constructor)
		}
		fmt.Fprintf(&b, "%s in a new %s", strings.Join(parts, ", "), c.Constructor)
	} else {
		b.WriteString(countOf(c.Count, c.Constructor))
		writeHolding(&b, c.Nested)
	}
	fmt.Fprintf(&b, " (+%s) allocated between baseline and target, still alive in final", units.Bytes(c.RetainedSize))
	return b.String()
}

// writeHolding writes what the objects of a cluster hold, " (holding 12
// Array, 12 Object)", or nothing.
func writeHolding(b *strings.Builder, nested []analysis.ClassLeak) {
	if len(nested) == 0 {
		return
	}
	parts := make([]string, len(nested))
	for i, n := range nested {
		parts[i] = units.Count(n.Count) + " " + n.Constructor
	}
	fmt.Fprintf(b, " (holding %s)", strings.Join(parts, ", "))
}

// growthMessage states the evidence of a holder that grew at every step:
// a listener or timer registered again and again, or a collection that
// keeps growing, with the numbers.
func growthMessage(h holder, g *analysis.Growth) string {
	switch h.rule {
	case RetainedByListener:
		return fmt.Sprintf("%s is added again and again, never removed: %s", h.what, g.Summary())
	case RetainedByTimer:
		return fmt.Sprintf("%s is scheduled again and again: %s", h.what, g.Summary())
	}
	return fmt.Sprintf("%s holds a collection that grew at every step: %s", h.what, g.Summary())
}

// placeNote says where a holder's place is when that matters: in a
// dependency (with its version), or only in the generated code.
func placeNote(pl srcloc.Place) string {
	var b strings.Builder
	if pl.Kind == srcloc.KindDependency {
		pkg := pl.Package
		if pl.Version != "" {
			pkg += "@" + pl.Version
		}
		fmt.Fprintf(&b, "; in the dependency %s", pkg)
	}
	if pl.Note != "" {
		fmt.Fprintf(&b, " (%s)", pl.Note)
	}
	return b.String()
}

// countOf says how many objects of a class: "12,000 Order objects",
// "1 Poller object".
func countOf(n int, class string) string {
	return units.Count(n) + " " + class + " " + plural(n, "object", "objects")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// related lists every hop of chain that has a source position in a file,
// in path order, so that an editor can jump along the retainer chain.
// Hops in Node's own code ("node:internal/timers") are left out: no editor
// or code-scanning service can open them.
func (j *joiner) related(chain []analysis.Hop) []finding.Related {
	var out []finding.Related
	for _, h := range chain {
		pl, ok := j.Hop(h)
		if !ok || !filepath.IsAbs(pl.Location.File) {
			continue
		}
		out = append(out, finding.Related{Location: pl.Location, Message: HopText(h), Kind: finding.RelatedHop})
	}
	return out
}

// HopText describes a hop of a retainer path in one line: the edge the
// way JavaScript writes it, then the object reached, "._onTimeout → onPoll
// (closure)".
func HopText(h analysis.Hop) string {
	if edge := h.EdgeText(); edge != "" {
		return edge + " → " + h.Object()
	}
	return h.Object()
}

// link attaches to f the quick fixes of the static findings on the same
// code (the LK001 of the Map that the snapshot shows growing, the LK002 of
// the listener it shows piling up) and names them in the message. When f
// is at a growth site (site) and a static finding is on that statement,
// the heap confirms it: f lists the static rules in Confirmed, says so,
// and becomes an error.
func (j *joiner) link(f *finding.Finding, site bool) {
	static, ok := j.static[f.File]
	if !ok {
		// The file as the growth sites were found in, parsed once.
		if p, _ := j.unit(f.File); p != nil {
			static, _ = p.Check(j.ctx, staticcheck.Options{})
		}
		j.static[f.File] = static
	}
	var flagged, confirmed []string
	for _, s := range static {
		if !sameCode(s, f.Range) {
			continue
		}
		f.Fixes = append(f.Fixes, s.Fixes...)
		name := s.Rule
		if r := staticcheck.Lookup(s.Rule); r != nil {
			name += " " + r.Name
		}
		if site && sameStatement(s.Range, f.Range) {
			f.Confirmed = append(f.Confirmed, s.Rule)
			confirmed = append(confirmed, name)
		} else {
			flagged = append(flagged, name)
		}
	}
	if len(confirmed) > 0 {
		f.Severity = finding.SeverityError
		f.Message += confirmedNote + strings.Join(confirmed, ", ") + confirmedNoteEnd
	}
	if len(flagged) > 0 {
		f.Message += "; the static rule " + strings.Join(flagged, ", ") + " flags the same code"
	}
}

// sameStatement reports whether a static finding's range a and the range
// b of a growth site — the call or assignment that adds to a holder — are
// on the same statement: their bytes overlap, or, without byte offsets,
// their lines.
func sameStatement(a, b finding.Range) bool {
	if a.Start.Offset < 0 || b.Start.Offset < 0 {
		return overlaps(a, b)
	}
	return a.Start.Offset < max(b.End.Offset, b.Start.Offset+1) && b.Start.Offset < max(a.End.Offset, a.Start.Offset+1)
}

// Confirm returns static with each finding that is on the same
// statement as the growth site of a finding of evidence confirming its
// rule (see finding.Finding.Confirmed) marked confirmed: the evidence's
// rule in its Confirmed, said in its message, and severity error — the
// static finding the heap snapshots show leaking. static is not modified.
func Confirm(static, evidence []finding.Finding) []finding.Finding {
	out, cloned := static, false
	for i, s := range static {
		for _, e := range evidence {
			if filepath.Clean(e.File) != filepath.Clean(s.File) || !slices.Contains(e.Confirmed, s.Rule) || !sameStatement(s.Range, e.Range) {
				continue
			}
			if !cloned {
				out, cloned = slices.Clone(static), true
			}
			f := &out[i]
			f.Confirmed = append(slices.Clip(f.Confirmed), e.Rule)
			f.Severity = finding.SeverityError
			f.Message += "; confirmed by the heap snapshots (" + e.Rule + "): it grows here"
		}
	}
	return out
}

// confirmedNote and confirmedNoteEnd frame what the message of evidence
// says when static rules flag its statement: "; confirmed: the static
// rule LK002 listener-leak flags this statement".
const confirmedNote, confirmedNoteEnd = "; confirmed: the static rule ", " flags this statement"

// Unconfirm makes f evidence that no static finding confirms (once the
// flagged statement was fixed in the editor): its rule's severity, and
// its message without the confirmation.
func Unconfirm(f *finding.Finding) {
	f.Confirmed = nil
	if r := rules.Lookup(f.Rule); r != nil {
		f.Severity = r.Severity
	}
	if before, after, ok := strings.Cut(f.Message, confirmedNote); ok {
		if _, rest, ok := strings.Cut(after, confirmedNoteEnd); ok {
			f.Message = before + rest
		}
	}
}

// sameCode reports whether static finding s is about the code at r: its
// range or one of its related locations (the declaration of the Map it
// flags at the set() call) shares a line with r.
func sameCode(s finding.Finding, r finding.Range) bool {
	if overlaps(s.Range, r) {
		return true
	}
	for _, rel := range s.Related {
		if (rel.File == "" || rel.File == s.File) && overlaps(rel.Range, r) {
			return true
		}
	}
	return false
}

// overlaps reports whether two ranges of one file share a line.
func overlaps(a, b finding.Range) bool {
	return a.Start.Line <= b.End.Line && b.Start.Line <= a.End.Line
}
