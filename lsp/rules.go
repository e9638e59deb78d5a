package lsp

import "github.com/leakls/leakls/staticcheck"

// docURL returns the address of a rule's documentation page, or "" for
// rules without one (snapshot evidence has no static rule).
func (s *Server) docURL(rule string) string {
	if staticcheck.Lookup(rule) == nil {
		return ""
	}
	return staticcheck.DocURL(rule)
}
