package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
)

// TestEveryRuleKnown checks that a configuration may name every rule of
// the catalogue, static and snapshot evidence, by its ID.
func TestEveryRuleKnown(t *testing.T) {
	for _, r := range rules.All() {
		if _, err := Parse([]byte(`{"rules": {"`+r.ID+`": "error"}}`), FileName); err != nil {
			t.Errorf("a configuration naming %s: %v", r.ID, err)
		}
	}
}

func TestParse(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, FileName)
	c, err := Parse([]byte(`{
  "$schema": "https://example.org/leakls.schema.json",
  "rules": {"LK101": "off", "LK102": "error"},
  "ignore": ["dist/**", "**/*.min.js", "vendor/", "{a,b}/gen"]
}`), name)
	if err != nil {
		t.Fatal(err)
	}
	if c.Path != name || c.Dir != dir {
		t.Errorf("Path %q Dir %q", c.Path, c.Dir)
	}
	if !c.Rules["LK101"].Off || c.Rules["LK102"] != (Level{Severity: finding.SeverityError}) || c.Enabled("LK101") || !c.Enabled("LK102") {
		t.Errorf("rules: %v", c.Rules)
	}
	if c.Rules["LK102"].String() != "error" || c.Rules["LK101"].String() != "off" {
		t.Errorf("level names: %v", c.Rules)
	}
	in := filepath.Join(dir, "src", "server.js")
	fs := []finding.Finding{
		{Rule: "LK101", File: in},
		{Rule: "LK102", File: in, Severity: finding.SeverityHint},
		{Rule: "LK103", File: in, Severity: finding.SeverityInfo},
		{Rule: "LK103", File: filepath.Join(dir, "dist", "bundle.js")},
		{Rule: "LK103", File: filepath.Join(dir, "a", "b", "x.min.js")},
		{Rule: "LK103", File: filepath.Join(dir, "b", "gen", "x.ts")},
	}
	got := c.Apply(fs)
	if len(got) != 2 || got[0].Rule != "LK102" || got[0].Severity != finding.SeverityError ||
		got[1].Rule != "LK103" || got[1].Severity != finding.SeverityInfo {
		t.Errorf("Apply: %+v", got)
	}
	if fs[1].Severity != finding.SeverityHint {
		t.Error("Apply modified its input")
	}
	var none *Config
	if len(none.Apply(fs)) != len(fs) || none.Ignored(in) || !none.Enabled("LK101") {
		t.Error("the nil config must keep everything")
	}
}

// TestParseNamesAndBOM checks that rules may be named as --rules names
// them (ID in any case, or kebab-case name) and that a UTF-8 byte order
// mark, which some Windows editors write, is accepted.
func TestParseNamesAndBOM(t *testing.T) {
	c, err := Parse([]byte("\uFEFF"+`{"rules": {"listener-leak": "off", "lk003": "error"}}`), FileName)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Rules["LK002"].Off || c.Rules["LK003"].Severity != finding.SeverityError || len(c.Rules) != 2 {
		t.Errorf("rules: %v, want LK002 off and LK003 error", c.Rules)
	}
}

func TestIgnored(t *testing.T) {
	for _, c := range []struct {
		pattern string
		path    string
		want    bool
	}{
		{"dist/**", "dist/a.js", true},
		{"dist/**", "dist/x/y/a.js", true},
		{"dist", "dist/x/a.js", true},
		{"dist/", "dist/x/a.js", true},
		{"/dist", "dist/a.js", true},
		{"./dist", "dist/a.js", true},
		{"dist/**", "src/dist.js", false},
		{"dist/**", "src/dist/a.js", false},
		{"*.min.js", "a.min.js", true},
		{"*.min.js", "lib/a.min.js", false},
		{"**/*.min.js", "lib/deep/a.min.js", true},
		{"**/*.min.js", "a.min.js", true},
		{"src/**/gen/*.ts", "src/gen/a.ts", true},
		{"src/**/gen/*.ts", "src/x/y/gen/a.ts", true},
		{"src/**/gen/*.ts", "src/x/y/gen/a.js", false},
		{"src/?.js", "src/a.js", true},
		{"src/?.js", "src/ab.js", false},
		{"src/[a-c].js", "src/b.js", true},
		{"src/[a-c].js", "src/d.js", false},
		{"{lib,dist}/**", "lib/a.js", true},
		{"{lib,dist}/**", "dist/a.js", true},
		{"{lib,dist}/**", "src/a.js", false},
		{"**/fixtures/{a,b{c,d}}.js", "x/fixtures/bd.js", true},
		{"**/**/**/**/**/**/**/**/z", strings.Repeat("a/", 60) + "y", false},
	} {
		dir := t.TempDir()
		cfg, err := Parse([]byte(`{"ignore": [`+quote(c.pattern)+`]}`), filepath.Join(dir, FileName))
		if err != nil {
			t.Errorf("%q: %v", c.pattern, err)
			continue
		}
		if got := cfg.Ignored(filepath.Join(dir, filepath.FromSlash(c.path))); got != c.want {
			t.Errorf("pattern %q, path %q: Ignored = %v, want %v", c.pattern, c.path, got, c.want)
		}
		if cfg.Ignored(filepath.Join(filepath.Dir(dir), "outside", filepath.FromSlash(c.path))) {
			t.Errorf("pattern %q ignores a path outside the config directory", c.pattern)
		}
	}
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func TestErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{``, "leakls.json: the file is empty"},
		{`[]`, "leakls.json:1:1: the configuration must be a JSON object, not an array"},
		{"{\n  \"rules\": {\"LK999\": \"off\"}\n}", `leakls.json:2:13: unknown rule "LK999" (known rules: LK000, LK001, `},
		{`{"rules": {"LK002": "off", "listener-leak": "error"}}`, `leakls.json:1:28: rule LK002 is configured twice`},
		{"{\n  \"rulez\": {}\n}", `leakls.json:2:3: unknown key "rulez"`},
		{`{"rules": []}`, `leakls.json:1:11: "rules" must be an object`},
		{`{"rules": {"LK101": 3}}`, `leakls.json:1:21: the level of LK101 must be a string`},
		{`{"rules": {"LK101": {"level": "off"}}}`, `the level of LK101 must be a string ("off", "hint", "info", "warning" or "error"), not an object`},
		{`{"rules": {"LK101": "warn"}}`, `leakls.json:1:21: rule LK101: unknown level "warn"`},
		{`{"rules": {"LK101": "off", "LK101": "error"}}`, `leakls.json:1:28: rule LK101 is configured twice`},
		{`{"ignore": "dist"}`, `leakls.json:1:12: "ignore" must be an array`},
		{`{"ignore": [1]}`, `leakls.json:1:13: an ignore pattern must be a string, not a number`},
		{`{"ignore": ["../x"]}`, `".." is not allowed`},
		{`{"ignore": ["a/[b"]}`, `malformed segment "[b"`},
		{`{"ignore": ["a**"]}`, `must be a whole path segment`},
		{`{"ignore": ["{a,b"]}`, `unmatched "{"`},
		{`{"ignore": [""]}`, `empty ignore pattern`},
		{`{"ignore": ["/"]}`, `matches nothing`},
		{`{"ignore": ["` + strings.Repeat("{a,b}", 12) + `"]}`, `more than 1024 alternatives`},
		{`{"rules": {}, "rules": {}}`, `leakls.json:1:15: duplicate key "rules"`},
		{`{"rules": {}} x`, `leakls.json:1:15: unexpected text after the configuration object`},
		{"{\n \"rules\": {\"LK101\": \"off\",}\n}", `leakls.json:2:`},
		{`{"rules": {"LK101": "off"`, `unexpected end of file`},
		{`{"$schema": 1}`, `"$schema" must be a string`},
		{"\xff", `malformed JSON`},
	} {
		_, err := Parse([]byte(c.in), FileName)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", c.in, err, c.want)
		}
	}
}

func TestFindAndLoad(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	// A directory named leakls.json is not a config file.
	if err := os.Mkdir(filepath.Join(root, "a", FileName), 0o755); err != nil {
		t.Fatal(err)
	}
	c, err := Find(deep)
	if err != nil || c.Path != "" || c.Dir != deep || c.Ignored(filepath.Join(deep, "x.js")) {
		t.Fatalf("Find without a config: %+v, %v", c, err)
	}
	cfgPath := filepath.Join(root, FileName)
	if err := os.WriteFile(cfgPath, []byte(`{"ignore": ["a/b/**"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = Find(deep)
	if err != nil || c.Path != cfgPath || c.Dir != root || !c.Ignored(filepath.Join(deep, "x.js")) {
		t.Fatalf("Find: %+v, %v", c, err)
	}
	if err := os.WriteFile(cfgPath, []byte(`{"rules": 1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Find(deep); err == nil || !strings.HasPrefix(err.Error(), cfgPath+":1:11:") {
		t.Errorf("Find with a bad config: %v", err)
	}
	missing := filepath.Join(root, "nope.json")
	if _, err := Load(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Load(missing) = %v, want an error naming the file", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"rules": {"LK101": "off"}, "ignore": ["dist/**"]}`,
		`{"ignore": ["{a,{b,c}}/**/x[0-9].js"]}`,
		`{"rules": {"LK101": [1, {"a": null}]}}`,
		`{`, `[`, `"x"`, `{"rules": {}} {}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, FileName)
		if err == nil {
			c.Ignored("a/b/c.js")
			return
		}
		if !strings.HasPrefix(err.Error(), FileName+":") {
			t.Errorf("error does not name the file: %v", err)
		}
	})
}
