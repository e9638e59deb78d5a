package rules

import (
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestPages checks that every Markdown file of the directory is a rule
// page in the catalogue, and that every rule is complete.
func TestPages(t *testing.T) {
	files, err := fs.Glob(os.DirFS("."), "*.md")
	if err != nil {
		t.Fatal(err)
	}
	var ids, names []string
	for _, r := range All() {
		ids = append(ids, r.ID+".md")
		if slices.Contains(names, r.Name) {
			t.Errorf("%s: the name %s is taken", r.ID, r.Name)
		}
		names = append(names, r.Name)
		if r.Category == "" || r.Since == "" || r.Summary == "" || r.Doc == "" || r.Page == "" {
			t.Errorf("%s: a field is empty: %+v", r.ID, r)
		}
		if strings.ContainsAny(r.Summary, "`\n") {
			t.Errorf("%s: the summary is not one line of plain text: %q", r.ID, r.Summary)
		}
		if !strings.Contains(r.Doc, "\n\n") {
			t.Errorf("%s: the introduction is only a summary; add why it leaks and how to fix it", r.ID)
		}
		if Lookup(r.ID) != r || Lookup(strings.ToLower(r.ID)) != r || Lookup(r.Name) != r || Must(r.ID) != r {
			t.Errorf("%s: not found by its ID or name", r.ID)
		}
		if want := "https://github.com/leakls/leakls/blob/main/docs/rules/" + r.ID + ".md"; r.URL() != want {
			t.Errorf("%s: URL %s, want %s", r.ID, r.URL(), want)
		}
	}
	if !slices.Equal(files, ids) {
		t.Errorf("the pages are %v, the catalogue holds %v", files, ids)
	}
	if Lookup("LK999") != nil || Lookup("") != nil {
		t.Error("Lookup of an unknown rule returned one")
	}
}

// TestKinds checks the kinds and severities the ID scheme and the pages give.
func TestKinds(t *testing.T) {
	for id, want := range map[string]Kind{"LK000": Static, "LK007": Static, "LK101": Snapshot, "LK105": Snapshot} {
		if got := Must(id).Kind; got != want {
			t.Errorf("%s: kind %v, want %v", id, got, want)
		}
	}
	if s := Must("LK000").Severity.String(); s != "error" {
		t.Errorf("LK000: severity %s, want error", s)
	}
	if r := Must("LK002"); r.Name != "listener-leak" || r.Category != "listeners" || r.Since != "0.1.0" {
		t.Errorf("LK002: %s %s %s", r.Name, r.Category, r.Since)
	}
}

// TestLinks checks that relative links are made absolute and others kept.
func TestLinks(t *testing.T) {
	for id, link := range map[string]string{
		"LK007": "](" + DocBase + "LK001.md)",
		"LK101": "](https://github.com/leakls/leakls/blob/main/docs/modes.md)",
		"LK001": "](https://www.npmjs.com/package/lru-cache)",
		"LK006": "](" + DocBase + "LK002.md)",
	} {
		if r := Must(id); !strings.Contains(r.Page, link) {
			t.Errorf("%s: the page has no link %s", id, link)
		}
	}
	if strings.Contains(Must("LK006").Doc, "](LK002.md)") {
		t.Error("LK006: a relative link in the introduction")
	}
}

// TestMalformedPages checks that a page without its title, header fields
// or introduction is refused, and names what is missing.
func TestMalformedPages(t *testing.T) {
	const (
		title  = "# LK199 some-rule\n\n"
		header = "**Severity:** warning · **Category:** retention · **Since:** 0.1.0\n\n"
		intro  = "A summary.\n\nWhy and how to fix.\n\n## What\n\nMore.\n"
	)
	if _, err := parseAll(fstest.MapFS{"LK199.md": {Data: []byte(title + header + intro)}}); err != nil {
		t.Fatalf("a well-formed page: %v", err)
	}
	for name, tc := range map[string]struct{ file, page, want string }{
		"no header":       {"LK199.md", title + intro, "header"},
		"no category":     {"LK199.md", title + "**Severity:** warning · **Since:** 0.1.0\n\n" + intro, "third line"},
		"no since":        {"LK199.md", title + "**Severity:** warning · **Category:** retention\n\n" + intro, "third line"},
		"bad severity":    {"LK199.md", title + strings.Replace(header, "warning", "fatal", 1) + intro, "unknown severity"},
		"other ID":        {"LK199.md", "# LK198 some-rule\n\n" + header + intro, "first line"},
		"no name":         {"LK199.md", "# LK199\n\n" + header + intro, "first line"},
		"no intro":        {"LK199.md", title + header + "## What\n\nMore.\n", "introduction"},
		"no kind":         {"LK900.md", title + header + intro, "rule ID"},
		"not an ID":       {"LKX.md", title + header + intro, "rule ID"},
		"other numbering": {"LK199x.md", title + header + intro, "rule ID"},
	} {
		_, err := parseAll(fstest.MapFS{tc.file: {Data: []byte(tc.page)}})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.file) {
			t.Errorf("%s: error %v, want one naming %s and %q", name, err, tc.file, tc.want)
		}
	}
}
