package staticcheck

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
)

// TestRegistry checks that the rules are unique, sorted, runnable, and
// exactly the static rules of the catalogue.
func TestRegistry(t *testing.T) {
	var ids []string
	for _, r := range Rules() {
		if len(ids) > 0 && r.ID <= ids[len(ids)-1] {
			t.Errorf("rules not unique or not sorted by ID: %s after %s", r.ID, ids[len(ids)-1])
		}
		ids = append(ids, r.ID)
		if r.Run == nil {
			t.Errorf("%s: Run is required", r.ID)
		}
		if Lookup(r.ID) != r || Lookup(strings.ToLower(r.ID)) != r || Lookup(r.Name) != r {
			t.Errorf("Lookup(%s) does not find the rule", r.ID)
		}
	}
	var static []string
	for _, r := range rules.All() {
		if r.Kind == rules.Static {
			static = append(static, r.ID)
		}
	}
	if !slices.Equal(ids, static) {
		t.Errorf("the registry runs %v, the catalogue documents the static rules %v", ids, static)
	}
	if Lookup("LK999") != nil || Lookup("LK101") != nil {
		t.Error("Lookup of an unknown ID or of a snapshot rule returned a rule")
	}
}

// probe is a test rule that reports every call of a function named leak.
var probe = &Rule{
	Rule: &rules.Rule{ID: "LK002", Name: "probe"},
	Run: func(p *Pass) {
		t := p.Tree
		for n := t.Root(); n < t.End(t.Root()); n++ {
			if t.Kind(n) == "call_expression" && t.Text(t.ChildByField(n, "function")) == "leak" {
				p.ReportNode(n, "leak called")
			}
		}
	},
}

func TestCheckSuppressionsAndOrder(t *testing.T) {
	files := []File{
		{Path: "b.ts", Src: []byte("leak(); leak();\n")},
		{Path: "a.js", Src: []byte(`leak(); // leakls-ignore LK002 tested elsewhere
// leakls-ignore LK002 covers the next line
leak();
leak(); // leakls-ignore LK002
leak(); // leakls-ignore LK042 typo
/* leakls-ignore LK000,LK002 block comment */ leak();
// leakls-ignore LK000 wrong rule
leak();
const broken = ;
leak();
`)},
	}
	fs, err := Check(context.Background(), files, Options{Rules: []*Rule{probe, Suppression}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.File+":"+strconv.Itoa(f.Range.Start.Line+1)+" "+f.Rule)
	}
	want := []string{
		"a.js:4 LK002", "a.js:4 LK000",
		"a.js:5 LK002", "a.js:5 LK000",
		"a.js:8 LK002",
		"a.js:10 LK002",
		"b.ts:1 LK002", "b.ts:1 LK002",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range fs {
		if f.Rule == "LK000" && f.Severity != finding.SeverityError {
			t.Errorf("LK000 severity %v", f.Severity)
		}
	}
}

func TestCheckErrors(t *testing.T) {
	_, err := Check(context.Background(), []File{{Path: "x.json", Src: []byte("{}")}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "x.json") {
		t.Errorf("err = %v; want one naming x.json", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Check(ctx, []File{{Path: "a.js", Src: []byte("x")}}, Options{}); err == nil {
		t.Error("cancelled Check succeeded")
	}
}

func TestLanguage(t *testing.T) {
	if l, ok := Language("src/app.tsx"); !ok || l.String() != "tsx" {
		t.Errorf("Language(app.tsx) = %v %v", l, ok)
	}
}
