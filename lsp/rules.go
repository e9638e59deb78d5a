package lsp

import "github.com/leakls/leakls/docs/rules"

// docURL returns the address of a rule's documentation page, static or
// snapshot evidence, or "" for unknown rules.
func (s *Server) docURL(rule string) string {
	if r := rules.Lookup(rule); r != nil {
		return r.URL()
	}
	return ""
}
