package analysistest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// recorder collects what the helpers report instead of failing.
type recorder struct{ msgs []string }

type fatal struct{}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	panic(fatal{})
}

// run calls f, which reports to r, and returns what it reported, one
// report a line.
func (r *recorder) run(f func()) string {
	r.msgs = nil
	func() {
		defer func() {
			if v := recover(); v != nil {
				if _, ok := v.(fatal); !ok {
					panic(v)
				}
			}
		}()
		f()
	}()
	return strings.Join(r.msgs, "\n")
}

// callRule reports every call of a function named leak; its fix renames the
// call to fixed, or (for calls named brokenfix) writes unbalanced code.
var callRule = &staticcheck.Rule{
	Rule: &rules.Rule{ID: "LK002", Name: "call"},
	Run: func(p *staticcheck.Pass) {
		t := p.Tree
		for n := syntax.Node(0); n < syntax.Node(t.Len()); n++ {
			if t.Kind(n) != "call_expression" {
				continue
			}
			fn := t.ChildByField(n, "function")
			switch t.Text(fn) {
			case "leak":
				p.ReportNode(n, "leak called", finding.Fix{Message: "Rename", Edits: []finding.Edit{{Start: t.Start(fn), End: t.EndByte(fn), NewText: "fixed"}}})
			case "brokenfix":
				p.ReportNode(n, "brokenfix called", finding.Fix{Message: "Break", Edits: []finding.Edit{{Start: t.Start(fn), End: t.EndByte(fn), NewText: "(("}}})
			case "stillfires":
				p.ReportNode(n, "stillfires called", finding.Fix{Message: "No-op", Edits: []finding.Edit{{Start: t.Start(fn), End: t.Start(fn), NewText: ""}}})
			}
		}
	},
}

func TestRunReportsMismatches(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{
		"a.js": "leak(); // want LK002\nleak();\nok(); // want LK002\nleak(); // want LK002 \"other message\"\n",
	})
	var r recorder
	got := r.run(func() { Run(&r, dir, callRule) })
	for _, want := range []string{
		"a.js:2:1: unexpected finding: LK002 leak called",
		"a.js:3: no LK002 finding",
		"a.js:4:1: unexpected finding",
		`a.js:4: no LK002 finding matching "other message"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing report %q in:\n%s", want, got)
		}
	}
	if len(r.msgs) != 4 {
		t.Errorf("%d reports, want 4:\n%s", len(r.msgs), got)
	}
}

func TestRunWithFixesChecksEveryFix(t *testing.T) {
	dir := testenv.WriteTree(t, map[string]string{
		"a.js": "leak(); // want LK002\nbrokenfix(); // want LK002\nstillfires(); // want LK002\n",
	})
	var r recorder
	*update = true
	got := r.run(func() { RunWithFixes(&r, dir, callRule) })
	*update = false
	if !strings.Contains(got, `fix "Break": result does not parse`) {
		t.Errorf("a fix that breaks the syntax was not reported:\n%s", got)
	}
	if !strings.Contains(got, `fix "No-op": the rule still (or newly) reports`) {
		t.Errorf("a fix after which the rule still fires was not reported:\n%s", got)
	}
	if strings.Contains(got, `"Rename"`) {
		t.Errorf("the good fix was reported:\n%s", got)
	}
	golden, err := os.ReadFile(filepath.Join(dir, "a.js.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(golden), "-leak(); // want LK002\n+fixed(); // want LK002\n") {
		t.Errorf("golden file:\n%s", golden)
	}
	// Without -update, a changed golden file is a failure.
	if err := os.WriteFile(filepath.Join(dir, "a.js.golden"), []byte("stale\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := r.run(func() { RunWithFixes(&r, dir, callRule) }); !strings.Contains(got, "fixes differ from") {
		t.Errorf("a stale golden file was not reported:\n%s", got)
	}
}

func TestApply(t *testing.T) {
	got, err := Apply([]byte("abcdef"), []finding.Edit{{Start: 4, End: 5, NewText: "X"}, {Start: 0, End: 1, NewText: "YY"}})
	if err != nil || string(got) != "YYbcdXf" {
		t.Errorf("Apply = %q, %v", got, err)
	}
	if _, err := Apply([]byte("abc"), []finding.Edit{{Start: 0, End: 2}, {Start: 1, End: 3}}); err == nil {
		t.Error("overlapping edits accepted")
	}
	if _, err := Apply([]byte("abc"), []finding.Edit{{Start: 2, End: 9}}); err == nil {
		t.Error("an edit past the end accepted")
	}
}
