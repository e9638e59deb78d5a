package editors

import (
	"archive/zip"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakls/leakls/internal/testenv"
)

// TestVSCodeExtension type-checks and bundles the extension, runs its
// node --test suites against the real server (the real bundled extension
// with the real vscode-languageclient and a fake vscode module, and a
// vscode-languageserver-protocol client), and packages the .vsix.
func TestVSCodeExtension(t *testing.T) {
	node := testenv.Node(t)
	bin := leaklsBinary(t)
	dir, err := filepath.Abs("vscode")
	if err != nil {
		t.Fatal(err)
	}
	npmCI(t, dir)

	npm(t, dir, nil, "run", "typecheck")
	npm(t, dir, nil, "run", "bundle")
	for _, suite := range []string{"extension", "multiroot", "protocol"} {
		t.Run(suite, func(t *testing.T) {
			run(t, dir, []string{"LEAKLS_BIN=" + bin, "LEAKLS_WS=" + workspace(t)},
				node, "--test", filepath.Join("test", suite+".test.js"))
		})
	}
	t.Run("package", func(t *testing.T) {
		if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
			t.Skipf("the package targets linux-x64; this is %s/%s", runtime.GOOS, runtime.GOARCH)
		}
		vsix := filepath.Join(dir, "leakls-linux-x64.vsix")
		os.Remove(vsix)
		npm(t, dir, []string{"LEAKLS_BINARY=" + bin}, "run", "package")
		checkVSIX(t, vsix)
	})
}

// checkVSIX checks that the package holds the bundle and the executable
// server, and none of the sources, tests or node_modules.
func checkVSIX(t *testing.T, vsix string) {
	t.Helper()
	zr, err := zip.OpenReader(vsix)
	if err != nil {
		t.Fatalf("npm run package did not produce a readable .vsix: %v", err)
	}
	defer zr.Close()
	want := map[string]bool{
		"extension/package.json":     false,
		"extension/readme.md":        false,
		"extension/out/extension.js": false,
		"extension/bin/leakls":       false,
		"extension.vsixmanifest":     false,
	}
	for _, f := range zr.File {
		if _, ok := want[f.Name]; ok {
			want[f.Name] = true
		}
		for _, banned := range []string{"extension/node_modules/", "extension/src/", "extension/test/", "extension/scripts/"} {
			if strings.HasPrefix(f.Name, banned) {
				t.Errorf("the package holds %s", f.Name)
			}
		}
		if strings.HasSuffix(f.Name, ".vsix") {
			t.Errorf("the package holds an older package, %s", f.Name)
		}
		if f.Name == "extension/bin/leakls" {
			if f.Mode()&0o111 == 0 {
				t.Errorf("bin/leakls has mode %v in the package: it lost its exec bit", f.Mode())
			}
			if f.UncompressedSize64 < 1<<20 {
				t.Errorf("bin/leakls is %d bytes: not a server binary", f.UncompressedSize64)
			}
		}
	}
	for name, found := range want {
		if !found {
			t.Errorf("the package lacks %s", name)
		}
	}
}

// npmCI installs editors/vscode's locked dependencies with npm ci when its
// node_modules is missing; concurrent test binaries serialise on a lock file.
func npmCI(t *testing.T, dir string) {
	t.Helper()
	testenv.Command(t, "npm")
	lock, err := os.OpenFile(filepath.Join(dir, "node_modules.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err == nil {
		return
	}
	npm(t, dir, nil, "ci", "--no-audit", "--no-fund")
}

func npm(t *testing.T, dir string, env []string, args ...string) {
	t.Helper()
	run(t, dir, env, testenv.Command(t, "npm"), args...)
}

// run runs a program in dir, bounded, and fails the test with its output
// when it fails.
func run(t *testing.T, dir string, env []string, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	t.Logf("%s %s:\n%s", filepath.Base(name), strings.Join(args, " "), tail(string(out), 40))
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
