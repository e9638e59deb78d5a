package staticcheck

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// Suppression is the pseudo-rule that reports malformed
// `// leakls-ignore` comments. It has no Run of its own: Check validates
// the comments of every file while applying them.
var Suppression = &Rule{Rule: rules.Must("LK000"), Run: func(*Pass) {}}

// ignoreDirective is the word that starts a suppression comment.
const ignoreDirective = "leakls-ignore"

// suppression is one parsed leakls-ignore comment.
type suppression struct {
	comment syntax.Node
	line    int      // line of the comment
	alone   bool     // nothing but the comment on its line: it covers the next line
	rules   []string // IDs, upper case
	problem string   // why the comment is invalid, "" when valid
}

// parseSuppressions finds the leakls-ignore comments of a tree. Syntax:
//
//	// leakls-ignore LK002 the emitter is closed by the pool
//	// leakls-ignore LK002,LK004 reason
//	/* leakls-ignore LK003 reason */
func parseSuppressions(t *syntax.Tree, lookup func(id string) *Rule) []suppression {
	var out []suppression
	for n := syntax.Node(0); n < syntax.Node(t.Len()); n++ {
		if t.Kind(n) != "comment" {
			continue
		}
		text := t.Text(n)
		body := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(text, "//"), "/*"), "*/"))
		if !strings.HasPrefix(body, ignoreDirective) {
			continue
		}
		rest := strings.TrimPrefix(body, ignoreDirective)
		if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			continue // leakls-ignored, leakls-ignore-next…: not ours
		}
		s := suppression{comment: n, line: t.Pos(t.Start(n)).Line}
		s.alone = len(bytes.TrimSpace(t.Src[t.LineStart(t.Start(n)):t.Start(n)])) == 0
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			s.problem = "leakls-ignore needs a rule ID and a reason: // leakls-ignore LK002 <why this is safe>"
			out = append(out, s)
			continue
		}
		for _, id := range strings.Split(fields[0], ",") {
			if id == "" {
				continue
			}
			r := lookup(id)
			if r == nil {
				s.problem = fmt.Sprintf("leakls-ignore names unknown rule %q", id)
				break
			}
			s.rules = append(s.rules, r.ID)
		}
		if s.problem == "" && len(fields) < 2 {
			s.problem = fmt.Sprintf("leakls-ignore %s needs a reason: // leakls-ignore %s <why this is safe>", fields[0], fields[0])
		}
		out = append(out, s)
	}
	return out
}

// covers reports whether a valid suppression silences rule on line.
func (s *suppression) covers(rule string, line int) bool {
	if s.problem != "" {
		return false
	}
	if line != s.line && !(s.alone && line == s.line+1) {
		return false
	}
	for _, r := range s.rules {
		if r == rule {
			return true
		}
	}
	return false
}

// applySuppressions drops the findings that a valid leakls-ignore comment
// covers and, when report is set, adds an LK000 finding for every invalid
// comment. Rule IDs are valid when they name a registered rule or one of
// rules.
func applySuppressions(u *Unit, fs []finding.Finding, rules []*Rule, report bool) []finding.Finding {
	lookup := func(id string) *Rule {
		for _, r := range rules {
			if strings.EqualFold(r.ID, id) {
				return r
			}
		}
		return Lookup(id)
	}
	sups := parseSuppressions(u.Tree, lookup)
	if len(sups) == 0 {
		return fs
	}
	onLine := make(map[int][]*suppression) // the suppressions that may cover a line
	for i := range sups {
		s := &sups[i]
		onLine[s.line] = append(onLine[s.line], s)
		if s.alone {
			onLine[s.line+1] = append(onLine[s.line+1], s)
		}
	}
	kept := fs[:0]
	for _, f := range fs {
		suppressed := false
		for _, s := range onLine[f.Range.Start.Line] {
			if s.covers(f.Rule, f.Range.Start.Line) {
				suppressed = true
				break
			}
		}
		if !suppressed {
			kept = append(kept, f)
		}
	}
	if report {
		for _, s := range sups {
			if s.problem != "" {
				kept = append(kept, finding.Finding{
					Rule: Suppression.ID, File: u.Path, Range: u.Tree.Range(s.comment),
					Message: s.problem, Severity: Suppression.Severity,
				})
			}
		}
	}
	return kept
}
