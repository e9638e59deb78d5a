package lsp

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck"
)

// definition jumps from snapshot evidence to the code that holds the
// memory: the holder (where the evidence is shown), then the locations of
// the retainer path's hops. Static findings have no definition of their
// own.
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
		locs = append(locs, s.location(texts, doc, finding.Location{File: f.File, Range: f.Range}, enc))
		for _, r := range f.Related {
			locs = append(locs, s.location(texts, doc, r.Location, enc))
		}
	}
	if len(locs) == 0 {
		return nil, nil
	}
	return locs, nil
}
