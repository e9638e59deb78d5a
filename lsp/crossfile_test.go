package lsp_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/lsp"
	"github.com/leakls/leakls/staticcheck"
)

// crossFiles are the files of staticcheck/testdata/crossfile: a Map
// exported by store.js and evicted by its importer janitor.js, and
// listeners added per request in server.mjs, one removed in the module it
// imports (hub.mjs), one never.
var crossFiles = []string{"hub.mjs", "janitor.js", "server.mjs", "store.js"}

// crossFileWorkspace copies staticcheck/testdata/crossfile into a temporary
// directory and returns its real path.
func crossFileWorkspace(t *testing.T) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range crossFiles {
		data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "staticcheck", "testdata", "crossfile", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name), string(data))
	}
	return dir
}

// cliFindings runs `leakls check --format json` on dir and returns the
// findings of each file as "line:column rule" (1-based).
func cliFindings(t *testing.T, bin, dir string) map[string][]string {
	t.Helper()
	cmd := exec.Command(bin, "check", "--no-cache", "--format", "json", ".")
	cmd.Dir = dir
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		t.Fatalf("leakls check: %v\n%s", err, out)
	}
	var report struct {
		Findings []struct {
			Rule  string
			File  string
			Range struct{ Start struct{ Line, Column int } }
		}
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("leakls check: %v\n%s", err, out)
	}
	got := make(map[string][]string)
	for _, f := range report.Findings {
		got[f.File] = append(got[f.File], fmt.Sprintf("%d:%d %s", f.Range.Start.Line, f.Range.Start.Column, f.Rule))
	}
	return got
}

// sameAs reports whether a publication holds exactly the findings want,
// as "line:column rule" (1-based; the files are ASCII, so UTF-16 columns
// are byte columns).
func sameAs(want []string) func(published) bool {
	return func(p published) bool {
		var got []string
		for _, d := range p.diagnostics {
			got = append(got, fmt.Sprintf("%d:%d %s", d.Range.Start.Line+1, d.Range.Start.Character+1, code(d)))
		}
		return slices.Equal(got, want)
	}
}

// TestSameFindingsAsCheck checks that the editor and `leakls check` of the
// whole tree agree on findings that depend on other files, before and
// after an edit of the file that holds the fact: the edit is unsaved in
// the editor and saved for the CLI.
func TestSameFindingsAsCheck(t *testing.T) {
	bin := testenv.BuildLeakls(t)
	dir := crossFileWorkspace(t)
	want := cliFindings(t, bin, dir)
	if got := fmt.Sprint(want); got != "map[server.mjs:[6:3 LK002]]" {
		t.Fatalf("leakls check found %s, want the never-removed listener of server.mjs only", got)
	}
	c := newClient(t, lsp.Options{})
	c.initializeIn(dir, nil)
	texts := make(map[string]string) // the editor's text of each file
	for _, name := range crossFiles {
		texts[name] = readText(t, filepath.Join(dir, name))
		c.open("file://"+filepath.Join(dir, name), "javascript", texts[name])
	}
	for _, name := range crossFiles {
		c.waitDiagnostics("file://"+filepath.Join(dir, name), sameAs(want[name]))
	}

	for i, edit := range []struct{ file, old, new string }{
		{"hub.mjs", "  hub.off('tick', onTick);\n", ""},
		{"janitor.js", "delete", "get"},
	} {
		text := texts[edit.file]
		at := strings.Index(text, edit.old)
		line := uint32(strings.Count(text[:at], "\n"))
		col := uint32(at - strings.LastIndex(text[:at], "\n") - 1)
		r := rng(line, col, line, col+uint32(len(edit.old)))
		if strings.HasSuffix(edit.old, "\n") {
			r = rng(line, col, line+1, 0)
		}
		c.change("file://"+filepath.Join(dir, edit.file), int32(2+i), r, edit.new)
		texts[edit.file] = strings.Replace(text, edit.old, edit.new, 1)
		saved := t.TempDir()
		for name, text := range texts {
			writeFile(t, filepath.Join(saved, name), text)
		}
		want = cliFindings(t, bin, saved)
		for _, name := range crossFiles {
			c.waitDiagnostics("file://"+filepath.Join(dir, name), sameAs(want[name]))
		}
	}
	if got := fmt.Sprint(want); got != "map[server.mjs:[5:3 LK002 6:3 LK002] store.js:[4:3 LK001]]" {
		t.Errorf("after the edits, leakls check found %s, want both listeners of server.mjs and the Map of store.js", got)
	}
}

// TestEditParsesOnlyEditedFile checks, through the parse cache's counters,
// that an edit re-parses the edited document only: its neighbours, and the
// neighbours re-analysed because of it, come from the cache.
func TestEditParsesOnlyEditedFile(t *testing.T) {
	dir := crossFileWorkspace(t)
	checker := staticcheck.NewChecker(1 << 20)
	c := newClient(t, lsp.Options{Check: checker.Check})
	c.initializeIn(dir, nil)
	c.waitLog("watching ")
	for _, name := range crossFiles {
		c.open("file://"+filepath.Join(dir, name), "javascript", readText(t, filepath.Join(dir, name)))
	}
	server := "file://" + filepath.Join(dir, "server.mjs")
	c.waitDiagnostics(server, sameAs([]string{"6:3 LK002"}))
	quiet := func() staticcheck.ParseStats {
		for _, name := range crossFiles {
			c.hoverAt("file://"+filepath.Join(dir, name), pos(0, 0)) // waits for the analysis of the latest version
		}
		return checker.Stats()
	}
	before := quiet()
	c.change(server, 2, rng(0, 0, 0, 0), "// edited\n")
	c.waitDiagnostics(server, func(p published) bool { return p.version == 2 })
	after := quiet()
	if parses := after.Parses - before.Parses; parses != 1 || after.Hits <= before.Hits {
		t.Errorf("the edit parsed %d files (cache %+v before, %+v after), want 1, the others from the cache", parses, before, after)
	}
}

// readText returns the content of a file.
func readText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
