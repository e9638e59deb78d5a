// Package sourcemaptest gives tests real compiled JavaScript with source
// maps: it writes small TypeScript/JavaScript projects to a directory and
// compiles them with esbuild (through its Go API) or tsc (the npm package
// installed by internal/testenv), then helps find known identifiers in the
// original and generated text.
package sourcemaptest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/leakls/leakls/internal/testenv"
)

// Esbuild runs an esbuild build with opts in dir (entry points and output
// paths relative to dir), writing its output to disk, and fails the test on
// any error esbuild reports.
func Esbuild(t testing.TB, dir string, opts api.BuildOptions) {
	t.Helper()
	opts.AbsWorkingDir = dir
	opts.Write = true
	opts.LogLevel = api.LogLevelSilent
	res := api.Build(opts)
	for _, m := range res.Errors {
		t.Errorf("esbuild: %s", m.Text)
	}
	if len(res.Errors) > 0 {
		t.FailNow()
	}
}

// EsbuildProject writes files into a new temporary directory, builds them
// there with esbuild and opts (see Esbuild) and returns the directory.
func EsbuildProject(t testing.TB, files map[string]string, opts api.BuildOptions) string {
	t.Helper()
	dir := testenv.WriteTree(t, files)
	Esbuild(t, dir, opts)
	return dir
}

// Tsc runs the real TypeScript compiler in dir with args.
func Tsc(t testing.TB, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(testenv.NPMBin(t, "tsc"), args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tsc %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// Pos is a 0-based line and byte column.
type Pos struct{ Line, Col int }

// Occurrences returns the positions where ident occurs in text as a whole
// word (not preceded or followed by an identifier character), in order.
// Tests use it to find a known identifier in original and generated code.
func Occurrences(text, ident string) []Pos {
	var out []Pos
	for line, s := range strings.Split(text, "\n") {
		for off := 0; ; {
			i := strings.Index(s[off:], ident)
			if i < 0 {
				break
			}
			i += off
			end := i + len(ident)
			if (i == 0 || !isIdentByte(s[i-1])) && (end == len(s) || !isIdentByte(s[end])) {
				out = append(out, Pos{line, i})
			}
			off = end
		}
	}
	return out
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// Read returns the content of the file dir/name.
func Read(t testing.TB, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
