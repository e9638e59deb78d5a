package main

import (
	"strings"
	"testing"

	"github.com/leakls/leakls/docs/rules"
)

func TestRulesList(t *testing.T) {
	code, out, errOut := run("rules")
	if code != exitClean || errOut != "" {
		t.Fatalf("rules: exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	all := rules.All()
	if len(lines) != len(all) {
		t.Fatalf("rules lists %d lines for %d rules:\n%s", len(lines), len(all), out)
	}
	for i, r := range all {
		f := strings.Fields(lines[i])
		if len(f) < 4 || f[0] != r.ID || f[1] != r.Name || f[2] != r.Severity.String() || !strings.HasSuffix(lines[i], "  "+r.Summary) {
			t.Errorf("line %d: %q, want %s %s %s %s", i, lines[i], r.ID, r.Name, r.Severity, r.Summary)
		}
	}
}

func TestRulesPage(t *testing.T) {
	want := rules.Must("LK002").Page
	for _, arg := range []string{"LK002", "lk002", "listener-leak"} {
		code, out, errOut := run("rules", arg)
		if code != exitClean || errOut != "" || out != want {
			t.Errorf("rules %s: exit %d, stderr %q, output is not the page:\n%.200s", arg, code, errOut, out)
		}
	}
	if code, out, errOut := run("rules", "LK999"); code != exitError || out != "" || !strings.Contains(errOut, `unknown rule "LK999"`) {
		t.Errorf("rules LK999: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, errOut := run("rules", "LK001", "LK002"); code != exitError || !strings.Contains(errOut, "got 2 arguments") {
		t.Errorf("rules with two arguments: exit %d, stderr %q", code, errOut)
	}
}

// TestHelpNamesTheRules checks that help texts name the rules the
// catalogue has.
func TestHelpNamesTheRules(t *testing.T) {
	for cmd, want := range map[string]string{"check": "rules LK000-LK009", "rules": "(LK101-LK105)"} {
		if _, out, _ := run("help", cmd); !strings.Contains(out, want) {
			t.Errorf("leakls %s --help does not name %q:\n%s", cmd, want, out)
		}
	}
}
