package lsp

import (
	"strings"
	"testing"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
)

// TestWriteHover checks that the hover of a finding shows its rule's
// introduction from the catalogue, static and snapshot evidence alike, for
// snapshot evidence only the related locations grouped by kind (holder,
// growth sites, retainer path), and the link to the page.
func TestWriteHover(t *testing.T) {
	related := []finding.Related{
		{Location: finding.Location{File: "/w/src/cache.js", Range: finding.Range{Start: finding.Pos{Line: 4}}}, Message: "Map sessions", Kind: finding.RelatedHop},
		{Location: finding.Location{File: "/w/src/cache.js", Range: finding.Range{Start: finding.Pos{Line: 2}}}, Message: "declared here", Kind: finding.RelatedHolder},
		{Location: finding.Location{File: "/w/src/cache.js", Range: finding.Range{Start: finding.Pos{Line: 9}}}, Message: "also adds to it", Kind: finding.RelatedGrowth},
	}
	for _, tc := range []struct {
		rule     string
		path     bool
		contains []string
	}{
		{"LK002", false, []string{"**LK002 listener-leak** — m", "Fix: use `once()`"}},
		{"LK101", true, []string{"**LK101 retained-by-variable** — m", "Fix: bound the collection", "Holder:\n\n1. declared here — `cache.js:3`\n\nGrowth sites:\n\n1. also adds to it — `cache.js:10`\n\nRetainer path:\n\n1. Map sessions — `cache.js:5`"}},
	} {
		var b strings.Builder
		writeHover(&b, &finding.Finding{Rule: tc.rule, Message: "m", Related: related})
		h := b.String()
		r := rules.Must(tc.rule)
		for _, want := range append(tc.contains, r.Doc, "[Documentation]("+r.URL()+")") {
			if !strings.Contains(h, want) {
				t.Errorf("%s: the hover lacks %q:\n%s", tc.rule, want, h)
			}
		}
		if strings.Contains(h, "Retainer path") != tc.path {
			t.Errorf("%s: retainer path shown: %v, want %v:\n%s", tc.rule, !tc.path, tc.path, h)
		}
	}
	var b strings.Builder
	writeHover(&b, &finding.Finding{Rule: "LK999", Message: "m", Related: related})
	if h := b.String(); !strings.HasPrefix(h, "**LK999** — m") || strings.Contains(h, "Documentation") {
		t.Errorf("the hover of a rule the catalogue does not know:\n%s", h)
	}
}
