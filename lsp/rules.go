package lsp

import (
	"github.com/leakls/leakls/holders"
	"github.com/leakls/leakls/staticcheck"
)

// docURL returns the address of a rule's documentation page, static or
// snapshot evidence, or "" for unknown rules.
func (s *Server) docURL(rule string) string {
	switch {
	case staticcheck.Lookup(rule) != nil:
		return staticcheck.DocURL(rule)
	case holders.Lookup(rule) != nil:
		return holders.DocURL(rule)
	}
	return ""
}
