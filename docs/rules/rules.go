// Package rules is the catalogue of leakls rules: the static rules that
// find leak shapes in source (LK0xx) and the heap-snapshot evidence rules
// (LK1xx). Each rule is one Markdown page, docs/rules/<ID>.md, embedded in
// the binary; the page is the single source of the rule's name, severity,
// category, version, summary and documentation. The command line, the
// language server, the reports and the configuration all read them here.
//
// A page starts with a title, a header line and an introduction:
//
//	# LK002 listener-leak
//
//	**Severity:** warning · **Category:** listeners · **Since:** 0.1.0
//
//	One paragraph: the summary.
//
//	More paragraphs: why it leaks and how to fix it.
//
//	## First section …
//
// The package lives next to the pages because go:embed cannot reach a
// parent directory, and the pages stay where their public addresses
// (DocBase) point. It depends on the standard library and package finding
// only, so that any package may ask which rules exist.
package rules

import (
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/leakls/leakls/finding"
)

// DocBase is the address of the rule documentation pages.
const DocBase = "https://github.com/leakls/leakls/blob/main/docs/rules/"

// Kind says where a rule finds its evidence. The ID tells: LK0xx rules
// are static, LK1xx rules are heap-snapshot evidence.
type Kind int

// The kinds of rules.
const (
	// Static rules find leak shapes in JavaScript and TypeScript source
	// (leakls check, and the language server on every edit).
	Static Kind = iota
	// Snapshot rules place heap-snapshot evidence at the source line that
	// holds the memory (leakls snapshot, capture, run, and the language
	// server when snapshots land in the workspace).
	Snapshot
)

// Rule is one rule of the catalogue. Its fields come from its page.
type Rule struct {
	// ID is the stable code, "LK002".
	ID string
	// Name is the short kebab-case name, "listener-leak".
	Name string
	// Kind says whether the rule is static or snapshot evidence.
	Kind Kind
	// Severity is the default severity of the rule's findings.
	Severity finding.Severity
	// Category groups related rules: "retention", "listeners", …
	Category string
	// Since is the leakls version that introduced the rule.
	Since string
	// Summary is the first paragraph of the introduction as one line of
	// plain text (code marks removed), for lists and short descriptions.
	Summary string
	// Doc is the introduction in Markdown: the summary and the paragraphs
	// that say why it leaks and how to fix it, as shown on hover.
	Doc string
	// Page is the whole page in Markdown, relative links made absolute.
	Page string
}

// URL returns the address of the rule's documentation page.
func (r *Rule) URL() string { return DocBase + r.ID + ".md" }

//go:embed LK*.md
var pages embed.FS

// catalogue is every rule, sorted by ID.
var catalogue = mustParse(pages)

// All returns every rule, sorted by ID. The caller must not modify them.
func All() []*Rule { return catalogue }

// Lookup returns the rule with the given ID (case-insensitive) or name, or
// nil.
func Lookup(idOrName string) *Rule {
	for _, r := range catalogue {
		if strings.EqualFold(r.ID, idOrName) || r.Name == idOrName {
			return r
		}
	}
	return nil
}

// Must returns the rule with the given ID and panics when the catalogue has
// no page for it: for package-level declarations of the rules a package
// implements, so that a missing page stops every test at once.
func Must(id string) *Rule {
	r := Lookup(id)
	if r == nil || r.ID != id {
		panic("rules: no documentation page docs/rules/" + id + ".md")
	}
	return r
}

// mustParse reads every page of fsys; a malformed page is a programming
// error caught by any test.
func mustParse(fsys fs.FS) []*Rule {
	rs, err := parseAll(fsys)
	if err != nil {
		panic(err)
	}
	return rs
}

// parseAll reads the pages LK*.md of fsys, sorted by ID.
func parseAll(fsys fs.FS) ([]*Rule, error) {
	names, err := fs.Glob(fsys, "LK*.md")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	rs := make([]*Rule, 0, len(names))
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		r, err := parse(strings.TrimSuffix(name, ".md"), string(b))
		if err != nil {
			return nil, fmt.Errorf("docs/rules/%s: %w", name, err)
		}
		rs = append(rs, r)
	}
	return rs, nil
}

var (
	idPattern     = regexp.MustCompile(`^LK[01][0-9][0-9]$`)
	titlePattern  = regexp.MustCompile(`^# (LK[0-9]+) ([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$`)
	headerPattern = regexp.MustCompile(`^\*\*Severity:\*\* (\S+) · \*\*Category:\*\* ([a-z][a-z-]*) · \*\*Since:\*\* ([0-9]+\.[0-9]+\.[0-9]+)$`)
	linkPattern   = regexp.MustCompile(`\]\(([^)\s]+)\)`)
)

// parse reads the page of rule id.
func parse(id, page string) (*Rule, error) {
	if !idPattern.MatchString(id) {
		return nil, fmt.Errorf("the file name must be a rule ID: LK0nn.md for a static rule, LK1nn.md for snapshot evidence")
	}
	page = absoluteLinks(strings.ReplaceAll(page, "\r\n", "\n"))
	lines := strings.Split(page, "\n")
	if len(lines) < 5 || lines[1] != "" || lines[3] != "" {
		return nil, fmt.Errorf("want a title line, a blank line, the header line, a blank line and the introduction")
	}
	title := titlePattern.FindStringSubmatch(lines[0])
	if title == nil || title[1] != id {
		return nil, fmt.Errorf("the first line must be %q followed by the kebab-case name", "# "+id)
	}
	header := headerPattern.FindStringSubmatch(lines[2])
	if header == nil {
		return nil, fmt.Errorf("the third line must be the header %q", "**Severity:** warning · **Category:** retention · **Since:** 0.1.0")
	}
	sev, err := finding.ParseSeverity(header[1])
	if err != nil {
		return nil, fmt.Errorf("**Severity:** %w", err)
	}
	var intro []string
	for _, l := range lines[4:] {
		if strings.HasPrefix(l, "## ") {
			break
		}
		intro = append(intro, l)
	}
	doc := strings.TrimSpace(strings.Join(intro, "\n"))
	summary, _, _ := strings.Cut(doc, "\n\n")
	if summary == "" {
		return nil, fmt.Errorf("no introduction before the first section: want a summary paragraph, then why it leaks and how to fix it")
	}
	kind := Static
	if id[2] == '1' {
		kind = Snapshot
	}
	return &Rule{
		ID:       id,
		Name:     title[2],
		Kind:     kind,
		Severity: sev,
		Category: header[2],
		Since:    header[3],
		Summary:  strings.Join(strings.Fields(strings.ReplaceAll(summary, "`", "")), " "),
		Doc:      doc,
		Page:     page,
	}, nil
}

// absoluteLinks rewrites the relative links of a page against DocBase, so
// that the page reads the same in a terminal, an editor's hover or a
// code-scanning service as on the web.
func absoluteLinks(page string) string {
	base, _ := url.Parse(DocBase)
	return linkPattern.ReplaceAllStringFunc(page, func(m string) string {
		target := m[2 : len(m)-1]
		u, err := url.Parse(target)
		if err != nil || u.IsAbs() || strings.HasPrefix(target, "#") || path.IsAbs(u.Path) {
			return m
		}
		return "](" + base.ResolveReference(u).String() + ")"
	})
}
