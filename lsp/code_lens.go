package lsp

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/heapprofile"
)

// lensCommand is the command id of the allocation lenses: none. A lens is
// information, but only a lens with a command shows a title. VS Code shows
// a lens whose command id is empty as plain text that cannot be clicked;
// Neovim shows the title of every lens, and the leakls plugin runs the
// empty command by echoing the title.
const lensCommand = ""

// codeLens puts the allocation figures of the workspace's allocation
// profile on the line of each function of the document that allocated at
// least minSitePercent of the profile's bytes itself.
func (s *Server) codeLens(ctx context.Context, rawURI string, _ *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	s.mu.Lock()
	fs := s.openFile(rawURI)
	if fs == nil {
		s.mu.Unlock()
		return nil, errNoDocument(rawURI)
	}
	doc, enc, prof := fs.doc, s.enc, s.prof.shown
	s.mu.Unlock()
	lenses := []protocol.CodeLens{}
	for _, site := range prof.sitesIn(doc.key()) {
		lenses = append(lenses, protocol.CodeLens{
			Range:   siteRange(doc, site, enc),
			Command: protocol.Command{Title: lensTitle(site, prof.name), Command: lensCommand},
		})
	}
	return lenses, nil
}

// lensTitle is the text of a site's lens: what the function allocated
// itself (self) and, when its callees allocated a visible amount too, with
// them (total).
func lensTitle(site heapprofile.Site, profile string) string {
	self, total := share(site.Self, site.SelfPercent), share(site.Total, site.TotalPercent)
	if self == total {
		return fmt.Sprintf("%s allocated %s still live at the end of the profile %s", site.Name(), self, profile)
	}
	return fmt.Sprintf("%s allocated %s itself, %s with callees, still live at the end of the profile %s", site.Name(), self, total, profile)
}
