package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/heapprofile"
)

// hover shows, on a flagged range, the rule's documentation, and for
// snapshot evidence the counts and sizes (in the finding's message) and the
// retainer path, one hop per line; on the line of a function of the
// allocation profile, what it allocated.
func (s *Server) hover(ctx context.Context, rawURI string, p *protocol.HoverParams) (*protocol.Hover, error) {
	detach(ctx)
	doc, findings, enc, err := s.fileFindings(ctx, rawURI)
	if err != nil {
		return nil, err
	}
	here := findingsAt(doc, findings, doc.lines.offset(doc.text, p.Position, enc))
	s.mu.Lock()
	prof := s.prof.shown
	s.mu.Unlock()
	var sites []heapprofile.Site
	for _, site := range prof.sitesIn(doc.key()) {
		if siteRange(doc, site, enc).Start.Line == p.Position.Line {
			sites = append(sites, site)
		}
	}
	if len(here) == 0 && len(sites) == 0 {
		return nil, nil
	}
	var b strings.Builder
	for _, f := range here {
		if b.Len() > 0 {
			b.WriteString(hoverSeparator)
		}
		writeHover(&b, &f)
	}
	for _, site := range sites {
		if b.Len() > 0 {
			b.WriteString(hoverSeparator)
		}
		writeAllocationHover(&b, site, prof)
	}
	h := &protocol.Hover{Contents: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: b.String()}}
	if len(here) > 0 {
		r := doc.lines.protocolRange(doc.text, here[0].Range, enc)
		h.Range = &r
	}
	return h, nil
}

// hoverSeparator separates the parts of a hover: a horizontal rule.
const hoverSeparator = "\n\n---\n\n"

// writeAllocationHover writes the markdown hover text of one function of
// the allocation profile prof.
func writeAllocationHover(b *strings.Builder, site heapprofile.Site, prof *allocationProfile) {
	fmt.Fprintf(b, "**Allocation profile** `%s` — `%s`\n\n", prof.name, site.Name())
	fmt.Fprintf(b, "- self (allocated by the function itself): %s\n", share(site.Self, site.SelfPercent))
	fmt.Fprintf(b, "- total (with its callees): %s\n\n", share(site.Total, site.TotalPercent))
	fmt.Fprintf(b, "The profile holds %s: allocations still live when it was written. V8 samples allocations per function, so the figures are the whole function's, shown on the line where it starts.", prof.sampled())
}

// writeHover writes the markdown hover text of one finding: the rule's
// introduction from the rule catalogue (summary, why it leaks, how to fix
// it), for snapshot evidence the retainer path, and the link to the rule's
// page.
func writeHover(b *strings.Builder, f *finding.Finding) {
	r := rules.Lookup(f.Rule)
	if r == nil {
		fmt.Fprintf(b, "**%s** — %s", f.Rule, f.Message)
	} else {
		fmt.Fprintf(b, "**%s %s** — %s\n\n%s", r.ID, r.Name, f.Message, r.Doc)
	}
	if r == nil || r.Kind == rules.Snapshot {
		for _, g := range hoverGroups {
			writeRelated(b, g.title, relatedOf(f, g.kind))
		}
	}
	if r != nil {
		b.WriteString("\n\n" + markdownLink(r.URL()))
	}
}

// hoverGroups are the groups of related locations a hover lists, in
// order, with their titles.
var hoverGroups = []struct {
	title string
	kind  finding.RelatedKind
}{
	{"Holder", finding.RelatedHolder},
	{"Growth sites", finding.RelatedGrowth},
	{"Allocation sites", finding.RelatedAllocation},
	{"Retainer path", finding.RelatedHop},
}

// writeRelated writes one group of related locations as a numbered list
// under its title, nothing when it is empty.
func writeRelated(b *strings.Builder, title string, related []finding.Related) {
	if len(related) == 0 {
		return
	}
	fmt.Fprintf(b, "\n\n%s:\n", title)
	for i, rel := range related {
		fmt.Fprintf(b, "\n%d. %s — `%s:%d`", i+1, rel.Message, filepath.Base(rel.File), rel.Range.Start.Line+1)
	}
}

// relatedOf returns the related locations of f of one kind; those without
// a kind count as hops of the retainer path.
func relatedOf(f *finding.Finding, kind finding.RelatedKind) []finding.Related {
	var out []finding.Related
	for _, r := range f.Related {
		if r.Kind == kind || r.Kind == "" && kind == finding.RelatedHop {
			out = append(out, r)
		}
	}
	return out
}

func markdownLink(url string) string { return "[Documentation](" + url + ")" }
