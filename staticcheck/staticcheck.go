// Package staticcheck finds the leak shapes of Node.js programs in
// JavaScript and TypeScript source: listeners added per call and never
// removed, intervals never cleared, closures that pin a whole request,
// unbounded module-level caches, accidental globals and more.
//
// A Rule is declared data in the spirit of golang.org/x/tools/go/analysis:
// its entry in the rule catalogue (package rules: ID, name, severity, docs)
// and a Run function that receives a Pass (one parsed file with its scope
// model and the cross-file facts of the program) and reports findings with
// quick fixes. Check parses a set of files together,
// runs the rules, applies `// leakls-ignore` suppressions and returns sorted
// findings.
//
// Parsing is tree-sitter's (package syntax); the scope model is package
// scope. Both are pure Go data after parsing: no C object outlives a Parse.
package staticcheck

import (
	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// Rule is one leak check: its entry in the rule catalogue (ID, name,
// default severity and documentation, from docs/rules/<ID>.md) and the
// function that runs it.
type Rule struct {
	*rules.Rule
	// Run analyses pass.File and reports through pass.Report.
	Run func(*Pass)
}

// registry lists every rule, sorted by ID. Hand-written on purpose: a test
// checks that IDs are unique and sorted and that the catalogue's static
// rules are exactly these.
var registry = []*Rule{
	Suppression,
	LK001,
	ListenerLeak,
	IntervalLeak,
	ClosureCapture,
	LK005,
	LK006,
	LK007,
	LK008,
	LK009,
}

// Rules returns every rule, sorted by ID. The caller must not modify the
// rules.
func Rules() []*Rule { return registry }

// Lookup returns the rule with the given ID (case-insensitive) or name, or
// nil.
func Lookup(id string) *Rule {
	if info := rules.Lookup(id); info != nil {
		for _, r := range registry {
			if r.Rule == info {
				return r
			}
		}
	}
	return nil
}

// Lang is the grammar a file is parsed with (see syntax.Lang).
type Lang = syntax.Lang

// Language reports which grammar a path uses, by extension: .js .mjs .cjs
// .jsx → JavaScript, .ts .mts .cts → TypeScript, .tsx → TSX. ok is false
// for other files.
func Language(path string) (lang Lang, ok bool) { return syntax.LangOf(path) }
