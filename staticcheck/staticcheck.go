// Package staticcheck finds the leak shapes of Node.js programs in
// JavaScript and TypeScript source: listeners added per call and never
// removed, intervals never cleared, closures that pin a whole request,
// unbounded module-level caches, accidental globals and more.
//
// A Rule is declared data in the spirit of golang.org/x/tools/go/analysis:
// an ID, a name, docs and a Run function that receives a Pass (one parsed
// file with its scope model and the cross-file facts of the program) and
// reports findings with quick fixes. Check parses a set of files together,
// runs the rules, applies `// leakls-ignore` suppressions and returns sorted
// findings.
//
// Parsing is tree-sitter's (package syntax); the scope model is package
// scope. Both are pure Go data after parsing: no C object outlives a Parse.
package staticcheck

import (
	"sort"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// Rule is one leak check.
type Rule struct {
	// ID is the stable code, "LK002".
	ID string
	// Name is the short kebab-case name, "listener-leak".
	Name string
	// Summary is one line for lists and SARIF short descriptions.
	Summary string
	// Doc is a short markdown text (what, why it leaks, how to fix) shown
	// on hover; the full page is at DocURL(ID).
	Doc string
	// Severity is the default severity of the rule's findings.
	Severity finding.Severity
	// Run analyses pass.File and reports through pass.Report.
	Run func(*Pass)
}

// registry lists every rule, sorted by ID. Hand-written on purpose: a test
// checks that IDs are unique and sorted and that each has a doc page.
var registry = []*Rule{
	Suppression,
	LK001,
	ListenerLeak,
	IntervalLeak,
	ClosureCapture,
	LK005,
	LK006,
	LK007,
}

// Rules returns every rule, sorted by ID. The caller must not modify the
// rules.
func Rules() []*Rule { return registry }

// Lookup returns the rule with the given ID (case-insensitive) or name, or
// nil.
func Lookup(id string) *Rule {
	for _, r := range registry {
		if equalFold(r.ID, id) || r.Name == id {
			return r
		}
	}
	return nil
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'a' <= x && x <= 'z' {
			x -= 'a' - 'A'
		}
		if 'a' <= y && y <= 'z' {
			y -= 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// DocBase is the address of the rule documentation pages.
const DocBase = "https://github.com/leakls/leakls/blob/main/docs/rules/"

// DocURL returns the address of the documentation page of rule id.
func DocURL(id string) string { return DocBase + id + ".md" }

// Lang is the grammar a file is parsed with (see syntax.Lang).
type Lang = syntax.Lang

// Language reports which grammar a path uses, by extension: .js .mjs .cjs
// .jsx → JavaScript, .ts .mts .cts → TypeScript, .tsx → TSX. ok is false
// for other files.
func Language(path string) (lang Lang, ok bool) { return syntax.LangOf(path) }

// sortFindings orders findings by file, position, rule and message.
func sortFindings(fs []finding.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Range.Start.Offset != b.Range.Start.Offset {
			return a.Range.Start.Offset < b.Range.Start.Offset
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}
