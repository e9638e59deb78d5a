package editors

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// TestMain removes the server binary built for the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// leaklsBinary builds the real leakls binary once per test run and returns
// its path. LEAKLS_TEST_BINARY names a prebuilt binary to test instead (a
// release build, or a build from a clean checkout).
func leaklsBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("LEAKLS_TEST_BINARY"); bin != "" {
		return bin
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "leakls-editors-")
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(buildDir, "leakls"), "./cmd/leakls")
		cmd.Dir = testenv.RepoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = &buildError{err: err, out: string(out)}
		}
	})
	if buildErr != nil {
		t.Fatalf("go build ./cmd/leakls: %v", buildErr)
	}
	return filepath.Join(buildDir, "leakls")
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// workspace returns a fresh directory holding the leaky source files of
// testdata/workspace and the snapshot-writing program of testdata/snapshots.
func workspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, src := range []string{"workspace/leaky.js", "snapshots/server.js", "profile/alloc.js", "profile/table.js"} {
		copyFile(t, filepath.Join("testdata", src), filepath.Join(dir, filepath.Base(src)))
	}
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
