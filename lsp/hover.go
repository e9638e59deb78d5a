package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/holders"
	"github.com/leakls/leakls/staticcheck"
)

// hover shows, on a flagged range, the rule's documentation, and for
// snapshot evidence the counts and sizes (in the finding's message) and the
// retainer path, one hop per line.
func (s *Server) hover(ctx context.Context, rawURI string, p *protocol.HoverParams) (*protocol.Hover, error) {
	detach(ctx)
	doc, findings, enc, err := s.fileFindings(ctx, rawURI)
	if err != nil {
		return nil, err
	}
	here := findingsAt(doc, findings, doc.lines.offset(doc.text, p.Position, enc))
	if len(here) == 0 {
		return nil, nil
	}
	var b strings.Builder
	for i, f := range here {
		if i > 0 {
			b.WriteString("\n\n---\n\n")
		}
		writeHover(&b, &f)
	}
	r := doc.lines.protocolRange(doc.text, here[0].Range, enc)
	return &protocol.Hover{
		Contents: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: b.String()},
		Range:    &r,
	}, nil
}

// writeHover writes the markdown hover text of one finding.
func writeHover(b *strings.Builder, f *finding.Finding) {
	rule := staticcheck.Lookup(f.Rule)
	if rule != nil {
		fmt.Fprintf(b, "**%s %s** — %s\n\n%s\n\n%s", f.Rule, rule.Name, f.Message, strings.TrimSpace(rule.Doc), markdownLink(staticcheck.DocURL(f.Rule)))
		return
	}
	if ev := holders.Lookup(f.Rule); ev != nil {
		fmt.Fprintf(b, "**%s %s** — %s\n\n%s", f.Rule, ev.Name, f.Message, ev.Summary)
	} else {
		fmt.Fprintf(b, "**%s** — %s", f.Rule, f.Message)
	}
	if len(f.Related) > 0 {
		b.WriteString("\n\nRetainer path:\n")
		for i, r := range f.Related {
			fmt.Fprintf(b, "\n%d. %s — `%s:%d`", i+1, r.Message, filepath.Base(r.File), r.Range.Start.Line+1)
		}
	}
	if ev := holders.Lookup(f.Rule); ev != nil {
		b.WriteString("\n\n" + markdownLink(holders.DocURL(f.Rule)))
	}
}

func markdownLink(url string) string { return "[Documentation](" + url + ")" }
