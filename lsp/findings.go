package lsp

import (
	"context"
	"slices"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/holders"
)

// fileFindings waits for the analysis of the latest version of the open
// document rawURI and returns the document it analysed with its findings,
// static and from snapshots, under the current configuration, and the
// position encoding negotiated with the client.
func (s *Server) fileFindings(ctx context.Context, rawURI string) (*document, []finding.Finding, encoding, error) {
	key := filePath(rawURI)
	if key == "" {
		key = rawURI
	}
	_, res, err := s.awaitResult(ctx, key)
	if err != nil {
		return nil, nil, 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fs := s.files[key]
	if fs == nil || !fs.open {
		return nil, nil, 0, errNoDocument(rawURI)
	}
	doc := fs.doc
	var static []finding.Finding
	if res != nil {
		doc, static = res.doc, res.findings
	}
	return doc, s.settings.cfg.Apply(combined(static, s.snap.findings[key])), s.enc, nil
}

// combined returns the findings of one file: the static ones, those on the
// statement where snapshot evidence shows growth marked confirmed
// (holders.Confirm), then the snapshots' own.
func combined(static, snaps []finding.Finding) []finding.Finding {
	return slices.Concat(holders.Confirm(static, snaps), snaps)
}

// findingsAt returns the findings whose range contains the byte offset off
// (a range's end counts, so that a cursor just after a token finds it).
func findingsAt(doc *document, findings []finding.Finding, off int) []finding.Finding {
	var out []finding.Finding
	for _, f := range findings {
		start := doc.lines.byteOffset(doc.text, f.Range.Start)
		end := doc.lines.byteOffset(doc.text, f.Range.End)
		if start <= off && off <= end {
			out = append(out, f)
		}
	}
	return out
}
