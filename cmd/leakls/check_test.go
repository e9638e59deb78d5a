package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/checkcache"
	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/report/sariftest"
	"github.com/leakls/leakls/staticcheck"
)

// isolate gives the test its own user cache directory, so that runs never
// share cache entries with other tests or with the developer's cache.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", dir)
	return filepath.Join(dir, "leakls")
}

// badIgnore is a suppression comment without a rule or reason: the LK000
// rule reports it wherever it is.
const badIgnore = "// leakls-ignore\n"

// lines splits output into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

func TestCheckExitCodes(t *testing.T) {
	isolate(t)
	dir := testenv.WriteTree(t, map[string]string{
		"clean/a.js": "const x = 1;\nmodule.exports = x;\n",
		"dirty/a.js": "const x = 1;\n" + badIgnore,
	})
	for _, c := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{filepath.Join(dir, "clean")}, exitClean, ""},
		{[]string{filepath.Join(dir, "dirty")}, exitFindings, ""},
		{[]string{}, exitError, "no PATH given"},
		{[]string{"--bogus", dir}, exitError, "bogus"},
		{[]string{"--format", "xml", dir}, exitError, `unknown format "xml"`},
		{[]string{"--rules", "LK999", dir}, exitError, `unknown rule "LK999"`},
		{[]string{"--max-file-size", "0", dir}, exitError, "--max-file-size must be positive"},
		{[]string{filepath.Join(dir, "missing")}, exitError, "missing: no such file or directory"},
		{[]string{"-o", filepath.Join(dir, "no", "such", "dir", "out.txt"), filepath.Join(dir, "dirty")}, exitError, "-o: "},
	} {
		code, _, errOut := run(append([]string{"check"}, c.args...)...)
		if code != c.code || !strings.Contains(errOut, c.stderr) {
			t.Errorf("check %q: exit %d, stderr %q; want exit %d, stderr containing %q", c.args, code, errOut, c.code, c.stderr)
		}
	}
}

func TestCheckFormats(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	t.Chdir(dir)
	// The comment sits after non-ASCII text, so byte and UTF-16 columns differ.
	testenv.WriteFiles(t, dir, map[string]string{"src/app.js": "const s = 'é😀'; " + badIgnore})

	code, out, errOut := run("check", "src/...")
	if code != exitFindings {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	// "const s = 'é😀'; " is 20 bytes: the comment starts at byte column 21.
	if want := "src/app.js:1:21: LK000 leakls-ignore needs a rule ID and a reason"; !strings.HasPrefix(out, want) || len(lines(out)) != 1 {
		t.Errorf("text output:\n%s\nwant one line starting %q", out, want)
	}

	code, out, _ = run("check", "--format", "json", "src")
	var doc struct {
		Version  int
		Findings []struct {
			Rule, File, Severity string
			Range                struct {
				Start struct{ Line, Column, Offset int }
			}
		}
		Rules []struct{ ID, HelpURI string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitFindings {
		t.Fatalf("json: exit %d, %v\n%s", code, err, out)
	}
	f := doc.Findings[0]
	if doc.Version != 1 || f.Rule != "LK000" || f.File != filepath.Join("src", "app.js") || f.Severity != "error" ||
		f.Range.Start.Line != 1 || f.Range.Start.Column != 21 || f.Range.Start.Offset != 20 || !strings.HasSuffix(doc.Rules[0].HelpURI, "LK000.md") {
		t.Errorf("json: %+v", doc)
	}

	code, _, errOut = run("check", "--format", "sarif", "-o", "out.sarif", "src")
	if code != exitFindings {
		t.Fatalf("sarif: exit %d, stderr %s", code, errOut)
	}
	data, err := os.ReadFile("out.sarif")
	if err != nil {
		t.Fatal(err)
	}
	if err := sariftest.Validate(data); err != nil {
		t.Fatalf("invalid SARIF: %v\n%s", err, data)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	loc := log.Runs[0].Results[0].Locations[0].PhysicalLocation
	// 'é😀' is 3 UTF-16 code units (6 bytes): the column is 18 in SARIF.
	if loc.ArtifactLocation.URI != "src/app.js" || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || loc.Region.StartLine != 1 || loc.Region.StartColumn != 18 {
		t.Errorf("sarif location: %+v", loc)
	}

	// An empty result is valid SARIF too, and exits 0.
	testenv.WriteFiles(t, dir, map[string]string{"clean/a.ts": "export const a: number = 1;\n"})
	code, out, _ = run("check", "--format", "sarif", "clean")
	if err := sariftest.Validate([]byte(out)); err != nil || code != exitClean {
		t.Errorf("clean sarif: exit %d, %v", code, err)
	}
}

func TestCheckConfig(t *testing.T) {
	isolate(t)
	dir := testenv.WriteTree(t, map[string]string{
		"leakls.json":         `{"rules": {"LK000": "warning"}, "ignore": ["gen/**"]}`,
		"src/a.js":            badIgnore,
		"gen/b.js":            badIgnore,
		"off/leakls.json":     `{"rules": {"LK000": "off"}}`,
		"off/c.js":            badIgnore,
		"broken/leakls.json":  "{\n  \"rules\": {\"LK999\": \"off\"}\n}",
		"broken/d.js":         badIgnore,
		"elsewhere/cfg.json":  `{"rules": {"LK000": "hint"}}`,
		"elsewhere/empty.txt": "",
	})
	// The configuration is found upward from each PATH: for dir it is the
	// root leakls.json, which governs every file under it (gen/ ignored,
	// LK000 lowered to a warning); leakls.json files further down are not
	// consulted for that PATH.
	code, out, errOut := run("check", "--format", "json", dir)
	if code != exitFindings {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	var doc struct {
		Findings []struct{ File, Severity string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range doc.Findings {
		rel, _ := filepath.Rel(dir, f.File)
		files = append(files, filepath.ToSlash(rel)+":"+f.Severity)
	}
	if got, want := strings.Join(files, " "), "broken/d.js:warning off/c.js:warning src/a.js:warning"; got != want {
		t.Errorf("findings:\n got %s\nwant %s", got, want)
	}

	// A path below off/ finds off/leakls.json: the rule is off.
	if code, out, errOut := run("check", filepath.Join(dir, "off")); code != exitClean || out != "" {
		t.Errorf("off: exit %d, out %q, stderr %q", code, out, errOut)
	}
	// A path below broken/ finds broken/leakls.json, which names an unknown rule.
	code, _, errOut = run("check", filepath.Join(dir, "broken", "d.js"))
	if want := filepath.Join(dir, "broken", "leakls.json") + `:2:13: unknown rule "LK999"`; code != exitError || !strings.Contains(errOut, want) {
		t.Errorf("broken: exit %d, stderr %q, want %q", code, errOut, want)
	}
	// --config replaces the lookup.
	code, out, _ = run("check", "--config", filepath.Join(dir, "elsewhere", "cfg.json"), "--format", "json", filepath.Join(dir, "broken", "d.js"))
	if code != exitFindings || !strings.Contains(out, `"severity": "hint"`) {
		t.Errorf("--config: exit %d\n%s", code, out)
	}
	code, _, errOut = run("check", "--config", filepath.Join(dir, "nope.json"), dir)
	if code != exitError || !strings.Contains(errOut, "nope.json") {
		t.Errorf("missing --config: exit %d, stderr %q", code, errOut)
	}
	// A file named explicitly but ignored by the config is skipped with a note.
	code, out, errOut = run("check", filepath.Join(dir, "gen", "b.js"))
	if !strings.Contains(errOut, "ignored by "+filepath.Join(dir, "leakls.json")) || out != "" {
		t.Errorf("ignored explicit file: exit %d, out %q, stderr %q", code, out, errOut)
	}
}

func TestCheckWalk(t *testing.T) {
	isolate(t)
	dir := testenv.WriteTree(t, map[string]string{
		".git/HEAD":                     "ref: refs/heads/main\n",
		".gitignore":                    "build/\n*.gen.js\n",
		"app/main.js":                   badIgnore,
		"app/main.gen.js":               badIgnore,
		"app/build/out.js":              badIgnore,
		"app/.gitignore":                "local/\n",
		"app/local/x.js":                badIgnore,
		"app/lib/.gitignore":            "secret.ts\n",
		"app/lib/secret.ts":             badIgnore,
		"app/lib/public.ts":             badIgnore,
		"app/lib/types.d.ts":            badIgnore,
		"app/node_modules/dep/index.js": badIgnore,
		"app/.cache/tmp.js":             badIgnore,
		"app/notes.md":                  badIgnore,
		"app/component.tsx":             "export const C = () => <div />;\n" + badIgnore,
		"app/esm.mjs":                   badIgnore,
		"app/cjs.cts":                   badIgnore,
	})
	found := func(args ...string) string {
		t.Helper()
		_, out, errOut := run(append([]string{"check"}, args...)...)
		var names []string
		for _, l := range lines(out) {
			p := l[:strings.Index(l, ":")]
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, filepath.ToSlash(rel))
		}
		if strings.Contains(errOut, "panic") {
			t.Fatalf("stderr: %s", errOut)
		}
		return strings.Join(names, " ")
	}
	want := "app/cjs.cts app/component.tsx app/esm.mjs app/lib/public.ts app/main.js"
	if got := found(filepath.Join(dir, "app") + "/..."); got != want {
		t.Errorf("walk:\n got %s\nwant %s", got, want)
	}
	if got := found(filepath.Join(dir, "app"), filepath.Join(dir, "app", "main.js")); got != want {
		t.Errorf("walk with a duplicate argument:\n got %s\nwant %s", got, want)
	}
	withDeps := "app/cjs.cts app/component.tsx app/esm.mjs app/lib/public.ts app/main.js app/node_modules/dep/index.js"
	if got := found("--include-node-modules", filepath.Join(dir, "app")); got != withDeps {
		t.Errorf("--include-node-modules:\n got %s\nwant %s", got, withDeps)
	}
	// Files named explicitly are checked even when a .gitignore lists them.
	if got := found(filepath.Join(dir, "app", "lib", "secret.ts")); got != "app/lib/secret.ts" {
		t.Errorf("explicit ignored file: %s", got)
	}
}

func TestCheckBadInput(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	deep := 20000
	testenv.WriteFiles(t, dir, map[string]string{
		"nojs/readme.md":     "# nothing here\n",
		"mixed/binary.js":    "const a = 1;\x00\x01\x02" + badIgnore,
		"mixed/latin1.js":    "const s = '\xe9\xff';\n" + badIgnore,
		"mixed/deep.js":      "const x = " + strings.Repeat("(", deep) + "1" + strings.Repeat(")", deep) + ";\n" + badIgnore,
		"mixed/nested.js":    "f(" + strings.Repeat("a => f(", 5000) + "1" + strings.Repeat(")", 5001) + ";\n",
		"mixed/broken.ts":    "function ( {{{ \n" + badIgnore,
		"mixed/empty.js":     "",
		"minified/bundle.js": minified(5 << 20),
	})
	if err := os.Symlink(filepath.Join(dir, "gone.js"), filepath.Join(dir, "mixed", "dangling.js")); err != nil {
		t.Fatal(err)
	}

	code, _, errOut := run("check", filepath.Join(dir, "nojs"))
	if code != exitError || !strings.Contains(errOut, "no JavaScript or TypeScript files") {
		t.Errorf("directory without JS: exit %d, stderr %q", code, errOut)
	}

	code, out, errOut := run("check", filepath.Join(dir, "mixed"))
	if code != exitError {
		t.Errorf("mixed: exit %d, want %d for the unreadable file", code, exitError)
	}
	for _, want := range []string{
		filepath.Join(dir, "mixed", "dangling.js") + ": no such file or directory",
		filepath.Join(dir, "mixed", "binary.js") + ": skipped: binary file",
		filepath.Join(dir, "mixed", "latin1.js") + ": not valid UTF-8",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	// The readable files are still checked, syntax errors included.
	for _, name := range []string{"latin1.js:2:1: LK000", "deep.js:2:1: LK000", "broken.ts:2:1: LK000"} {
		if !strings.Contains(out, filepath.Join(dir, "mixed", name)) {
			t.Errorf("output lacks %s:\n%s", name, out)
		}
	}
	if strings.Contains(out, "binary.js") {
		t.Errorf("binary file checked:\n%s", out)
	}

	// A 5 MB minified bundle is over the default size limit: skipped with a
	// note naming the limit, and since nothing is left, exit 2.
	big := filepath.Join(dir, "minified", "bundle.js")
	code, out, errOut = run("check", big)
	if code != exitError || out != "" || !strings.Contains(errOut, big+": skipped: 5.0 MiB is over the 2.0 MiB limit (see --max-file-size)") ||
		!strings.Contains(errOut, "no JavaScript or TypeScript files to check") {
		t.Errorf("5 MB file: exit %d, out %q, stderr %q", code, out, errOut)
	}

	if os.Getuid() != 0 { // root reads files whatever their mode
		locked := filepath.Join(dir, "locked.js")
		testenv.WriteFiles(t, dir, map[string]string{"locked.js": badIgnore})
		os.Chmod(locked, 0)
		code, _, errOut = run("check", locked)
		if code != exitError || !strings.Contains(errOut, locked+": permission denied") {
			t.Errorf("unreadable file: exit %d, stderr %q", code, errOut)
		}
	}
}

// minified returns about n bytes of real-looking minified JavaScript on one
// line: many small functions that use module-level state.
func minified(n int) string {
	var b bytes.Buffer
	b.WriteString("!function(){var c=new Map;")
	for i := 0; b.Len() < n; i++ {
		b.WriteString("function f")
		b.WriteString(strings.Repeat("x", i%7+1))
		b.WriteString("(a,b){return c.has(a)?c.get(a):(b=a*2+1,b)}")
		b.WriteString("var v=[1,2,3].map(function(q){return q+1}).filter(Boolean);")
	}
	b.WriteString("}();\n")
	return b.String()
}

func TestCheckCache(t *testing.T) {
	cacheDir := isolate(t)
	dir := testenv.WriteTree(t, map[string]string{
		"app.js": "const { bus } = require('./lib.js');\n" + badIgnore,
		"lib.js": "const bus = 1;\nmodule.exports = { bus };\n",
	})
	app := filepath.Join(dir, "app.js")
	entries := func() []string {
		t.Helper()
		m, _ := filepath.Glob(filepath.Join(cacheDir, "*.check"))
		return m
	}

	if code, _, _ := run("check", "--no-cache", app); code != exitFindings || len(entries()) != 0 {
		t.Fatalf("--no-cache: exit %d, entries %v", code, entries())
	}
	_, cold, _ := run("check", app)
	ents := entries()
	if len(ents) != 1 {
		t.Fatalf("cache entries after a run: %v", ents)
	}
	stored, _ := os.ReadFile(ents[0])
	_, warm, _ := run("check", app)
	if warm != cold {
		t.Errorf("warm run differs:\n%s\ncold:\n%s", warm, cold)
	}
	if again, _ := os.ReadFile(ents[0]); !bytes.Equal(again, stored) {
		t.Error("a warm run rewrote the entry: it was not a hit")
	}

	// lib.js is not checked but is imported: it is a dependency of the
	// entry, and changing it makes the next run analyse again.
	testenv.WriteFiles(t, dir, map[string]string{"lib.js": "const bus = 2;\nmodule.exports = { bus };\n"})
	run("check", app)
	if again, _ := os.ReadFile(ents[0]); bytes.Equal(again, stored) {
		t.Error("the entry was reused after an imported file changed")
	}

	// A corrupt entry is ignored.
	os.WriteFile(ents[0], []byte("garbage"), 0o644)
	if _, out, errOut := run("check", app); out != cold {
		t.Errorf("with a corrupt entry:\n%s\nstderr %s", out, errOut)
	}
}

// TestCheckCacheHitIsUsed proves that a warm run returns what the cache
// holds (the entry is keyed exactly as the command keys it), and that a
// changed file is a miss.
func TestCheckCacheHitIsUsed(t *testing.T) {
	cacheDir := isolate(t)
	dir := testenv.WriteTree(t, map[string]string{"a.js": "const a = 1;\n"})
	w := newWalker(walkOptions{maxFileSize: staticcheck.MaxFileSize})
	w.add(dir)
	c, err := checkcache.Open(cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	marker := finding.Finding{Rule: "LK000", File: w.files[0].display, Message: "from the cache"}
	if err := c.Put(cacheKey(w.files, staticcheck.Rules()), []finding.Finding{marker}, nil); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := run("check", dir); !strings.Contains(out, "from the cache") {
		t.Errorf("warm run did not use the cache:\n%s", out)
	}
	testenv.WriteFiles(t, dir, map[string]string{"a.js": "const a = 2;\n"})
	if code, out, _ := run("check", dir); code != exitClean || out != "" {
		t.Errorf("changed file: exit %d\n%s", code, out)
	}
}

func TestCheckSuppression(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	leak := func(comment string) string {
		return "const cache = new Map();\nfunction remember(req) {\n" + comment + "  cache.set(req.id, req.body);\n}\nmodule.exports = { remember };\n"
	}
	testenv.WriteFiles(t, dir, map[string]string{
		"plain.js":      leak(""),
		"above.js":      leak("  // leakls-ignore LK001 ids are bounded by the session store\n"),
		"other_rule.js": leak("  // leakls-ignore LK002 wrong rule: suppresses nothing here\n"),
		"no_reason.js":  leak("  // leakls-ignore LK001\n"),
		"same_line.js":  "const cache = new Map();\nfunction remember(req) {\n  cache.set(req.id, req.body); // leakls-ignore LK001 bounded upstream\n}\nmodule.exports = { remember };\n",
	})
	_, out, errOut := run("check", dir)
	var got []string
	for _, l := range lines(out) {
		rel, _ := filepath.Rel(dir, l)
		got = append(got, strings.Join(strings.SplitN(rel, " ", 3)[:2], " "))
	}
	want := []string{
		"no_reason.js:3:3: LK000",
		"no_reason.js:4:3: LK001",
		"other_rule.js:4:3: LK001",
		"plain.js:3:3: LK001",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s\nstderr: %s", strings.Join(got, "\n"), strings.Join(want, "\n"), errOut)
	}
}

func TestCheckSkipsFileTheParserGivesUpOn(t *testing.T) {
	isolate(t)
	dir := testenv.WriteTree(t, map[string]string{
		// Found by fuzzing: TSX error recovery on this text exceeds the
		// parser's work budget (syntax.ErrTooComplex).
		"hostile.tsx": "/\nexports.seen=new Set();exports.queue=[;e.s.s=[r){module.s.s.h(r.e;t",
		"leak.js":     "const bus = require('./bus');\nmodule.exports = (req) => { bus.on('tick', () => req.id); };\n",
		"bus.js":      "const { EventEmitter } = require('node:events');\nmodule.exports = new EventEmitter();\n",
	})
	code, out, errOut := run("check", dir)
	if code != exitFindings {
		t.Fatalf("exit %d, want %d (the other files are still checked)\nstdout:\n%s\nstderr:\n%s", code, exitFindings, out, errOut)
	}
	if !strings.Contains(out, "leak.js:2:") || !strings.Contains(out, "LK002") {
		t.Errorf("the leak in leak.js is not reported:\n%s", out)
	}
	if !strings.Contains(errOut, "skipped") || !strings.Contains(errOut, "hostile.tsx") {
		t.Errorf("stderr does not say hostile.tsx was skipped: %q", errOut)
	}
}
