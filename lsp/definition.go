package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck"
)

// definition jumps from snapshot evidence to the code that holds the
// memory: the holder, then the allocation sites, then the growth sites
// (the first is where the evidence is shown), then the hops of the
// retainer path. Static findings have no definition of their own.
func (s *Server) definition(ctx context.Context, rawURI string, p *protocol.DefinitionParams) (protocol.DefinitionResult, error) {
	detach(ctx)
	doc, findings, enc, err := s.fileFindings(ctx, rawURI)
	if err != nil {
		return nil, err
	}
	texts := map[string]*document{doc.path: doc}
	var locs protocol.LocationSlice
	for _, f := range findingsAt(doc, findings, doc.lines.offset(doc.text, p.Position, enc)) {
		if staticcheck.Lookup(f.Rule) != nil {
			continue
		}
		for _, l := range definitionOrder(&f) {
			locs = append(locs, s.location(texts, doc, l, enc))
		}
	}
	if len(locs) == 0 {
		return nil, nil
	}
	return locs, nil
}

// definitionOrder returns the locations of snapshot evidence f in the
// order definition visits them. Without a related holder, f's own
// location is the holder; with one, f is at the first growth site.
func definitionOrder(f *finding.Finding) []finding.Location {
	own := finding.Location{File: f.File, Range: f.Range}
	if len(relatedOf(f, finding.RelatedHolder)) == 0 {
		return append([]finding.Location{own}, locationsOf(f, finding.RelatedAllocation, finding.RelatedGrowth, finding.RelatedHop)...)
	}
	out := append(locationsOf(f, finding.RelatedHolder, finding.RelatedAllocation), own)
	return append(out, locationsOf(f, finding.RelatedGrowth, finding.RelatedHop)...)
}

// locationsOf returns the related locations of f of the kinds, kind by
// kind.
func locationsOf(f *finding.Finding, kinds ...finding.RelatedKind) []finding.Location {
	var out []finding.Location
	for _, kind := range kinds {
		for _, r := range relatedOf(f, kind) {
			out = append(out, r.Location)
		}
	}
	return out
}
