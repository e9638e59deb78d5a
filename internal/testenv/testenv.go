// Package testenv gives tests the real external programs they drive: node,
// the npm tools in testdata/npm (tsc, esbuild), and editors such as nvim.
//
// A missing program skips the test on a developer's machine but fails it
// when the CI environment variable is set, so that CI can never pass by
// skipping what it was meant to run.
package testenv

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// Command returns the path of the program name on PATH. It skips the test
// when the program is missing, or fails it under CI.
func Command(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, name+" is not on PATH")
	}
	return p
}

// Node returns the path of the node binary.
func Node(t testing.TB) string { return Command(t, "node") }

// RepoRoot returns the module root (the directory holding go.mod).
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("testenv: cannot locate the source file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// installs holds, per directory of test tools, the outcome of its "npm ci".
var installs sync.Map // dir → *install

type install struct {
	once sync.Once
	err  error
}

// npmPackages returns the node_modules of testdata/<name>, running "npm ci"
// there first when it is missing.
func npmPackages(t testing.TB, name string) string {
	t.Helper()
	return NPMModules(t, filepath.Join(RepoRoot(t), "testdata", name))
}

// NPMModules returns the node_modules of dir, a directory with a
// package.json and its package-lock.json, running "npm ci" there first when
// it is missing. Concurrent test binaries serialise on a lock file.
func NPMModules(t testing.TB, dir string) string {
	t.Helper()
	Command(t, "npm")
	v, _ := installs.LoadOrStore(dir, &install{})
	in := v.(*install)
	in.once.Do(func() { in.err = npmInstall(dir) })
	if in.err != nil {
		t.Fatalf("testenv: npm ci in %s: %v", dir, in.err)
	}
	return filepath.Join(dir, "node_modules")
}

// NPMBin returns the path of a binary installed by testdata/npm/package.json
// (for example "tsc" or "esbuild"), running "npm ci" there first when its
// node_modules is missing. Concurrent test binaries serialise on a lock file.
func NPMBin(t testing.TB, name string) string {
	t.Helper()
	bin := filepath.Join(npmPackages(t, "npm"), ".bin", name)
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("testenv: %s is not installed by testdata/npm/package.json", name)
	}
	return bin
}

// NodeReleases are the Node.js major releases testdata/nodes installs
// besides the machine's node: the oldest and newest that leakls supports
// and the one between.
var NodeReleases = []int{18, 22, 24}

// NodeRelease returns the path of the node binary of a major release of
// NodeReleases, installed from the npm registry by testdata/nodes (npm ci
// on first use).
func NodeRelease(t testing.TB, major int) string {
	t.Helper()
	bin := filepath.Join(npmPackages(t, "nodes"), fmt.Sprintf("node%d", major), "bin", "node")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("testenv: node %d is not installed by testdata/nodes/package.json", major)
	}
	return bin
}

func npmInstall(dir string) error {
	lock, err := os.OpenFile(filepath.Join(dir, ".install.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return err
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err == nil {
		return nil
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v\n%s", err, out)
	}
	return nil
}

func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("testenv: %s (required under CI)", why)
	}
	t.Skipf("testenv: %s", why)
}

// LineOf returns the 1-based number of the first line of the file at path
// that contains text, and fails the test when there is none: tests that
// expect a finding on a fixture's line name the line by its code.
func LineOf(t testing.TB, path, text string) int {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(src), "\n") {
		if strings.Contains(line, text) {
			return i + 1
		}
	}
	t.Fatalf("%s has no line containing %q", path, text)
	return 0
}

// BuildLeakls builds the leakls command into the test's temporary
// directory and returns its path, for tests that run the real binary.
func BuildLeakls(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "leakls")
	build := exec.Command("go", "build", "-o", bin, "./cmd/leakls")
	build.Dir = RepoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/leakls: %v\n%s", err, out)
	}
	return bin
}

// Getenv returns the value of the environment variable name for a test or
// benchmark that runs only when asked for (a large input, an external
// tool's checkout). When the variable is unset it skips, also under CI,
// with "set name to what".
func Getenv(t testing.TB, name, what string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Skipf("set %s to %s", name, what)
	}
	return v
}

// StartPiped starts cmd, a program the test talks to over its standard
// input and output (such as leakls serve), and returns those two pipes.
func StartPiped(t testing.TB, cmd *exec.Cmd) (stdin io.WriteCloser, stdout io.ReadCloser) {
	t.Helper()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err = cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return stdin, stdout
}
