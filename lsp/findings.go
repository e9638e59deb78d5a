package lsp

import (
	"context"

	"github.com/leakls/leakls/finding"
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
	for {
		_, res, err := s.awaitResult(ctx, key)
		if err != nil {
			return nil, nil, 0, err
		}
		s.mu.Lock()
		fs := s.files[key]
		if fs == nil || !fs.open {
			s.mu.Unlock()
			return nil, nil, 0, errNoDocument(rawURI)
		}
		doc := fs.doc
		var static []finding.Finding
		if res != nil {
			doc, static = res.doc, res.findings
		}
		ev := s.snap.files[key]
		if ev != nil && ev.doc != doc {
			if fs.run != nil {
				s.mu.Unlock() // a newer version came: wait for its analysis
				continue
			}
			ev = nil
		}
		found, enc := s.settings.cfg.Apply(combined(key, static, ev)), s.enc
		s.mu.Unlock()
		return doc, found, enc, nil
	}
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
