// Package analysistest runs leakls rules over test files and checks their
// findings against `want` comments, and their quick fixes against golden
// files, in the manner of golang.org/x/tools/go/analysis/analysistest.
//
// A test directory holds JavaScript/TypeScript files (.js .mjs .cjs .jsx
// .ts .mts .cts .tsx), checked together as one program so that imports
// between them are resolved. A comment
//
//	bus.on("tick", onTick) // want LK002
//	bus.on("tick", onTick) // want LK002 "listener .* never removed"
//
// marks a line that must be flagged, optionally with a regular expression
// the message must match; several expectations may follow one `want`. Every
// finding must be expected and every expectation met.
//
// RunWithFixes also applies every quick fix on its own and requires that
// the result parses without ERROR or MISSING nodes (when the input did)
// and that the rule no longer reports the fixed finding; the fixed lines are
// compared with <file>.golden (rewrite with `go test -update`).
package analysistest

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/affix"
	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/syntax"
)

var update = flag.Bool("update", false, "rewrite the .golden files of fix tests")

// T is the part of *testing.T the helpers use (so that the helpers
// themselves can be tested with a recorder).
type T interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// expectation is one `want` entry: a rule ID and an optional message
// pattern, on a line.
type expectation struct {
	file string
	line int // 0-based
	rule string
	re   *regexp.Regexp
	met  bool
}

// LoadDir reads the source files of dir, sorted by name.
func LoadDir(t T, dir string) []staticcheck.File {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("analysistest: %v", err)
	}
	var files []staticcheck.File
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		if _, ok := staticcheck.Language(e.Name()); !ok {
			continue
		}
		p := filepath.Join(dir, e.Name())
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("analysistest: %v", err)
		}
		files = append(files, staticcheck.File{Path: p, Src: src})
	}
	if len(files) == 0 {
		t.Fatalf("analysistest: no JavaScript or TypeScript files in %s", dir)
	}
	return files
}

// Run checks rule over the files of dir against their want comments and
// returns the findings.
func Run(t T, dir string, rule *staticcheck.Rule) []finding.Finding {
	t.Helper()
	files := LoadDir(t, dir)
	fs, err := staticcheck.Check(context.Background(), files, staticcheck.Options{Rules: []*staticcheck.Rule{rule}})
	if err != nil {
		t.Fatalf("analysistest: Check: %v", err)
	}
	var wants []*expectation
	for _, f := range files {
		wants = append(wants, parseWants(t, f)...)
	}
	for _, f := range fs {
		if !matchWant(wants, f) {
			t.Errorf("%s:%d:%d: unexpected finding: %s %s", f.File, f.Range.Start.Line+1, f.Range.Start.Col+1, f.Rule, f.Message)
		}
	}
	for _, w := range wants {
		if !w.met {
			pat := ""
			if w.re != nil {
				pat = fmt.Sprintf(" matching %q", w.re)
			}
			t.Errorf("%s:%d: no %s finding%s", w.file, w.line+1, w.rule, pat)
		}
	}
	return fs
}

func matchWant(wants []*expectation, f finding.Finding) bool {
	for _, w := range wants {
		if !w.met && w.file == f.File && w.line == f.Range.Start.Line && w.rule == f.Rule &&
			(w.re == nil || w.re.MatchString(f.Message)) {
			w.met = true
			return true
		}
	}
	return false
}

// parseWants reads the want comments of a file (found as comment nodes of
// its syntax tree).
func parseWants(t T, f staticcheck.File) []*expectation {
	t.Helper()
	lang, _ := staticcheck.Language(f.Path)
	tree, err := syntax.Parse(context.Background(), lang, f.Src)
	if err != nil {
		t.Fatalf("analysistest: %s: %v", f.Path, err)
	}
	var out []*expectation
	for n := syntax.Node(0); n < syntax.Node(tree.Len()); n++ {
		if tree.Kind(n) != "comment" {
			continue
		}
		text := tree.Text(n)
		text = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(text, "//"), "/*"), "*/")
		text = strings.TrimSpace(text)
		rest, ok := strings.CutPrefix(text, "want ")
		if !ok {
			continue
		}
		line := tree.Pos(tree.Start(n)).Line
		for rest = strings.TrimSpace(rest); rest != ""; rest = strings.TrimSpace(rest) {
			id, tail, _ := strings.Cut(rest, " ")
			e := &expectation{file: f.Path, line: line, rule: id}
			rest = strings.TrimSpace(tail)
			if rest != "" && (rest[0] == '"' || rest[0] == '`') {
				q, err := strconv.QuotedPrefix(rest)
				if err != nil {
					t.Fatalf("%s:%d: bad want pattern: %v", f.Path, line+1, err)
				}
				pat, _ := strconv.Unquote(q)
				re, err := regexp.Compile(pat)
				if err != nil {
					t.Fatalf("%s:%d: bad want pattern: %v", f.Path, line+1, err)
				}
				e.re = re
				rest = rest[len(q):]
			}
			out = append(out, e)
		}
	}
	return out
}

// RunWithFixes runs Run, then checks every fix of every finding (see the
// package doc) and compares the fixed lines with the golden files.
func RunWithFixes(t T, dir string, rule *staticcheck.Rule) {
	t.Helper()
	fs := Run(t, dir, rule)
	files := LoadDir(t, dir)
	golden := map[string]*strings.Builder{}
	for _, f := range fs {
		idx := fileIndex(files, f.File)
		if idx < 0 {
			t.Fatalf("analysistest: finding in unknown file %s", f.File)
		}
		for _, fix := range f.Fixes {
			fixed, err := Apply(files[idx].Src, fix.Edits)
			if err != nil {
				t.Errorf("%s:%d: fix %q: %v", f.File, f.Range.Start.Line+1, fix.Message, err)
				continue
			}
			checkFixed(t, files, idx, fixed, f, fix, rule, fs)
			b := golden[f.File]
			if b == nil {
				b = &strings.Builder{}
				golden[f.File] = b
			}
			fmt.Fprintf(b, "-- %d:%d %s: %s --\n", f.Range.Start.Line+1, f.Range.Start.Col+1, f.Rule, fix.Message)
			b.WriteString(lineDiff(files[idx].Src, fixed))
		}
	}
	for _, f := range files {
		gpath := f.Path + ".golden"
		got := ""
		if b := golden[f.Path]; b != nil {
			got = b.String()
		}
		if *update {
			if got == "" {
				os.Remove(gpath)
				continue
			}
			if err := os.WriteFile(gpath, []byte(got), 0o644); err != nil {
				t.Fatalf("analysistest: %v", err)
			}
			continue
		}
		want, err := os.ReadFile(gpath)
		if os.IsNotExist(err) && got == "" {
			continue
		}
		if err != nil {
			t.Errorf("%s: fixes have no golden file (run go test -update): %v", f.Path, err)
			continue
		}
		if string(want) != got {
			t.Errorf("%s: fixes differ from %s (run go test -update to accept):\n--- got\n%s\n--- want\n%s", f.Path, gpath, got, want)
		}
	}
}

func fileIndex(files []staticcheck.File, path string) int {
	for i, f := range files {
		if f.Path == path {
			return i
		}
	}
	return -1
}

// checkFixed requires that the fixed file parses as well as the original
// and that the rule no longer reports the fixed finding: the messages of
// the rule's findings in the fixed file must be those before the fix, less
// the fixed one.
func checkFixed(t T, files []staticcheck.File, idx int, fixed []byte, f finding.Finding, fix finding.Fix, rule *staticcheck.Rule, before []finding.Finding) {
	t.Helper()
	where := fmt.Sprintf("%s:%d: fix %q", f.File, f.Range.Start.Line+1, fix.Message)
	lang, _ := staticcheck.Language(f.File)
	orig, err := syntax.Parse(context.Background(), lang, files[idx].Src)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	tree, err := syntax.Parse(context.Background(), lang, fixed)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	if bad := tree.ErrorNodes(); len(bad) > len(orig.ErrorNodes()) {
		p := tree.Pos(tree.Start(bad[0]))
		t.Errorf("%s: result does not parse: %s at %d:%d\n%s", where, tree.Kind(bad[0]), p.Line+1, p.Col+1, fixed)
		return
	}
	prog := append([]staticcheck.File(nil), files...)
	prog[idx] = staticcheck.File{Path: f.File, Src: fixed}
	after, err := staticcheck.Check(context.Background(), prog, staticcheck.Options{Rules: []*staticcheck.Rule{rule}})
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	remaining := map[string]int{}
	for _, b := range before {
		if b.File == f.File {
			remaining[b.Message]++
		}
	}
	remaining[f.Message]--
	for _, a := range after {
		if a.File != f.File {
			continue
		}
		remaining[a.Message]--
		if remaining[a.Message] < 0 {
			t.Errorf("%s: the rule still (or newly) reports %d:%d: %s\n%s", where, a.Range.Start.Line+1, a.Range.Start.Col+1, a.Message, fixed)
		}
	}
}

// Apply applies edits (all in one file; byte offsets into src) and returns
// the new text. Edits must not overlap.
func Apply(src []byte, edits []finding.Edit) ([]byte, error) {
	es := append([]finding.Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	var b []byte
	last := 0
	for _, e := range es {
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("edit [%d,%d) overlaps another or lies outside the file (%d bytes)", e.Start, e.End, len(src))
		}
		b = append(b, src[last:e.Start]...)
		b = append(b, e.NewText...)
		last = e.End
	}
	return append(b, src[last:]...), nil
}

// lineDiff renders the lines that differ between a and b as one hunk with
// its line numbers: the common prefix and suffix lines are left out.
func lineDiff(a, b []byte) string {
	al := strings.SplitAfter(string(a), "\n")
	bl := strings.SplitAfter(string(b), "\n")
	pre, suf := affix.Common(al, bl)
	var sb strings.Builder
	fmt.Fprintf(&sb, "@@ line %d @@\n", pre+1)
	for _, l := range al[pre : len(al)-suf] {
		sb.WriteString("-" + strings.TrimSuffix(l, "\n") + "\n")
	}
	for _, l := range bl[pre : len(bl)-suf] {
		sb.WriteString("+" + strings.TrimSuffix(l, "\n") + "\n")
	}
	return sb.String()
}
