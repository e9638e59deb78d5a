// Package npm_test tests the npm packages of leakls as a user gets them: it
// packs leakls and @leakls/linux-x64 with pack.sh, installs the tarballs
// into an empty project, and runs the leakls command and leak tests of
// leakls/test there in node:test, Jest, Vitest and Mocha.
package npm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/internal/testenv"
)

// project is an npm project holding only the leakls tarballs.
type project struct {
	dir  string
	root string // the repository
}

// TestPackages packs the packages this machine's tests build (leakls and
// @leakls/linux-x64; npm/pack.sh without a platform also cross-builds the
// others), installs the tarballs into an empty project and uses them there.
func TestPackages(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skipf("the packed binary is linux-x64's; this is %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	testenv.Node(t)
	testenv.Command(t, "npm")
	testenv.Command(t, "file")
	p := install(t)

	t.Run("check", func(t *testing.T) {
		out, code := p.run(t, nil, "npx", "--no-install", "leakls", "check", "service/...")
		want := fmt.Sprintf("service/cache.js:%d:5: LK001", testenv.LineOf(t, filepath.Join(p.dir, "service", "cache.js"), "profiles.set("))
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("npx leakls check: exit %d, want 1 and %q in:\n%s", code, want, out)
		}
	})
	t.Run("run", func(t *testing.T) {
		out, code := p.run(t, nil, "npx", "--no-install", "leakls", "run", "--scenario", "service/scenario.mjs", "--", "node", "service/server.js")
		want := fmt.Sprintf("service/handlers/prices.js:%d:3: LK102", testenv.LineOf(t, filepath.Join(p.dir, "service", "handlers", "prices.js"), "bus.on("))
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("npx leakls run: exit %d, want 1 and %q in:\n%s", code, want, out)
		}
	})
	t.Run("serve", func(t *testing.T) { p.serve(t) })
	t.Run("signals", func(t *testing.T) { p.signals(t) })
	t.Run("missing platform package", func(t *testing.T) {
		// The launcher alone, as npm leaves it with --omit=optional.
		dir := t.TempDir()
		if err := os.CopyFS(filepath.Join(dir, "leakls"), os.DirFS(filepath.Join(p.dir, "node_modules", "leakls"))); err != nil {
			t.Fatal(err)
		}
		launcher := filepath.Join(dir, "leakls", "bin", "leakls.js")
		out, code := p.run(t, nil, "node", launcher, "version")
		if code != 2 || !strings.Contains(out, "@leakls/linux-x64") || !strings.Contains(out, "npm install --save-optional @leakls/linux-x64@") {
			t.Errorf("without its platform package the launcher exited %d, want 2 and the package to install, saying:\n%s", code, out)
		}
		bin := filepath.Join(p.dir, "node_modules", "@leakls", "linux-x64", "bin", "leakls")
		out, code = p.run(t, []string{"LEAKLS_BINARY=" + bin}, "node", launcher, "version")
		if code != 0 || !strings.HasPrefix(out, "leakls ") {
			t.Errorf("with LEAKLS_BINARY the launcher exited %d, want 0 and the version:\n%s", code, out)
		}
	})
	t.Run("leak test errors", func(t *testing.T) {
		// A leak test that cannot run fails: it never passes.
		script := `require('leakls/test').assertNoLeak(() => {}).then(() => process.exit(0), (err) => { console.error(err.message); process.exit(3); })`
		notDir := filepath.Join(p.dir, "package.json")
		for _, c := range []struct{ env, want string }{
			{"TMPDIR=" + notDir, "cannot create a directory for the heap snapshots in " + notDir},
			{"LEAKLS_BINARY=" + filepath.Join(p.dir, "no-such-binary"), "LEAKLS_BINARY is set to"},
		} {
			out, code := p.run(t, []string{c.env}, "node", "-e", script)
			if code != 3 || !strings.Contains(out, c.want) {
				t.Errorf("assertNoLeak with %s: exit %d, want 3 and %q:\n%s", c.env, code, c.want, out)
			}
		}
	})
}

// installed is the project that install made, shared by the tests, and
// work the directory it and the tarballs are in (one subdirectory per
// attempt), removed by TestMain.
var (
	installed *project
	work      string
)

func TestMain(m *testing.M) { testenv.MainInTempDir(m, "leakls-npm-", &work) }

// install packs the tarballs with pack.sh and installs them into an empty
// project, with a copy of examples/service to check and run, once per test
// binary.
func install(t *testing.T) *project {
	if installed != nil {
		return installed
	}
	root, err := filepath.Abs(testenv.RepoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	// A new directory for each attempt: a failed one leaves its files.
	attempt, err := os.MkdirTemp(work, "install-")
	if err != nil {
		t.Fatal(err)
	}
	p := &project{dir: filepath.Join(attempt, "project"), root: root}
	out := filepath.Join(attempt, "tarballs")
	if err := os.Mkdir(p.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p.must(t, root, "bash", "npm/pack.sh", out, "linux-x64")
	tarballs, err := filepath.Glob(filepath.Join(out, "*.tgz"))
	if err != nil || len(tarballs) != 2 {
		t.Fatalf("pack.sh wrote %v, want the tarballs of leakls and @leakls/linux-x64", tarballs)
	}
	if err := os.WriteFile(filepath.Join(p.dir, "package.json"), []byte(`{"name":"leak-tests","private":true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.must(t, p.dir, "npm", append([]string{"install", "--no-audit", "--no-fund"}, tarballs...)...)
	for _, pkg := range []string{"leakls", "@leakls/linux-x64"} {
		t.Logf("installed %s: %d bytes", pkg, treeSize(t, filepath.Join(p.dir, "node_modules", pkg)))
	}
	if err := os.CopyFS(filepath.Join(p.dir, "service"), os.DirFS(filepath.Join(root, "examples", "service"))); err != nil {
		t.Fatal(err)
	}
	installed = p
	return p
}

// run runs a command in the project and returns its combined output and
// exit code.
func (p *project) run(t *testing.T, env []string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = p.dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	case err != nil:
		t.Fatalf("%s: %v", name, err)
	}
	return string(out), 0
}

// must runs a command in dir and fails the test when it fails.
func (p *project) must(t *testing.T, dir, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// serve starts `npx leakls serve` and checks that it answers initialize.
func (p *project) serve(t *testing.T) {
	cmd := exec.Command("npx", "--no-install", "leakls", "serve")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	conn, _ := p.start(t, cmd)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := initialize(ctx, conn)
	if err != nil {
		t.Fatalf("initialize through npx leakls serve: %v\nstderr:\n%s", err, stderr.String())
	}
	if res.ServerInfo.Name != "leakls" || res.Capabilities["textDocumentSync"] == nil {
		t.Errorf("initialize answered %+v, want leakls's server info and text document sync", res)
	}
	if _, err := conn.Call(ctx, protocol.MethodShutdown, nil, nil); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if err := conn.Notify(ctx, protocol.MethodExit, nil); err != nil {
		t.Errorf("exit: %v", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("npx leakls serve after exit: %v\nstderr:\n%s", err, stderr.String())
	}
}

// start starts a language server command in the project and connects to
// its stdin and stdout; closing the connection closes its stdin.
func (p *project) start(t *testing.T, cmd *exec.Cmd) (jsonrpc2.Conn, io.Closer) {
	t.Helper()
	cmd.Dir = p.dir
	stdin, stdout := testenv.StartPiped(t, cmd)
	conn := jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(struct {
		io.Reader
		io.WriteCloser
	}{stdout, stdin}))
	conn.Go(context.Background(), jsonrpc2.MethodNotFoundHandler)
	return conn, stdin
}

// initializeResult is the part of the answer to initialize the tests read.
type initializeResult struct {
	Capabilities map[string]any `json:"capabilities"`
	ServerInfo   struct {
		Name string `json:"name"`
	} `json:"serverInfo"`
}

// initialize sends the initialize request of a client with no workspace.
func initialize(ctx context.Context, conn jsonrpc2.Conn) (initializeResult, error) {
	var res initializeResult
	params := map[string]any{"processId": os.Getpid(), "rootUri": nil, "capabilities": map[string]any{}}
	_, err := conn.Call(ctx, protocol.MethodInitialize, params, &res)
	return res, err
}

// signals checks that the launcher passes SIGTERM to the server and then
// dies of it: the server's stdout, which only the server holds open,
// closes, and the launcher's status is the signal.
func (p *project) signals(t *testing.T) {
	cmd := exec.Command(testenv.Node(t), filepath.Join(p.dir, "node_modules", "leakls", "bin", "leakls.js"), "serve")
	conn, stdin := p.start(t, cmd)
	defer stdin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Once the server has answered, it runs and has its signal handlers.
	if _, err := initialize(ctx, conn); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-conn.Done():
	case <-ctx.Done():
		t.Fatal("the server still holds its stdout two minutes after the launcher got SIGTERM")
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
		t.Errorf("the launcher ended with %v, want death by SIGTERM", err)
	}
}

// treeSize returns the bytes of the regular files under dir.
func treeSize(t *testing.T, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		n += info.Size()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// runner is a test runner and what its output says about the leak tests.
type runner struct {
	name string
	args []string // the command, from the project directory
	// The module under test, a line of it that the leak is reported at, and
	// the rule.
	source, line, rule string
	// fixedPassed and counts match the runner's report of the fixed test
	// passing, and of one failure and one pass.
	fixedPassed, counts string
}

// TestLeakTests runs, in each runner, the leak test of a leaky module, which
// must fail and name the line holding the leak, and of its fixed version,
// which must pass; with the runners' tools from npm/testdata/runners and
// leakls only from the tarballs.
func TestLeakTests(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skipf("the packed binary is linux-x64's; this is %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	node := testenv.Node(t)
	testenv.Command(t, "npm")
	testenv.Command(t, "file")
	p := install(t)
	tools := testenv.NPMModules(t, filepath.Join(p.root, "npm", "testdata", "runners"))
	if err := os.CopyFS(p.dir, os.DirFS(filepath.Join(p.root, "npm", "testdata", "leaktests"))); err != nil {
		t.Fatal(err)
	}
	// The runners are linked in: leakls/test is resolved from the project.
	for _, pkg := range []string{"jest", "vitest", "mocha", "tsx", "typescript", "@types"} {
		if err := os.Symlink(filepath.Join(tools, pkg), filepath.Join(p.dir, "node_modules", pkg)); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("types", func(t *testing.T) {
		if out, code := p.run(t, nil, node, "node_modules/typescript/bin/tsc", "--noEmit", "--strict", "--module", "preserve",
			"--moduleResolution", "bundler", "--target", "es2022", "--types", "node", "vitest/queue.test.ts"); code != 0 {
			t.Errorf("tsc on the TypeScript leak tests, with leakls/test's types: exit %d\n%s", code, out)
		}
	})
	for _, r := range []runner{
		{name: "node:test", args: []string{node, "--test", "node-test/"},
			source: "src/sessions-leaky.mjs", line: "sessions.set(id, session)", rule: "LK101",
			fixedPassed: `(?m)^ok \d+ - sessions \(fixed\) do not leak$`, counts: `(?m)^# pass 1\n# fail 1$`},
		{name: "Jest", args: []string{node, "node_modules/jest/bin/jest.js", "--ci", "--verbose", "jest/"},
			source: "src/bus-leaky.cjs", line: "bus.on('price', sub.onPrice)", rule: "LK102",
			fixedPassed: `subscriptions \(fixed\)\n +✓ do not leak`, counts: `Tests: +1 failed, 1 passed, 2 total`},
		{name: "Vitest", args: []string{node, "node_modules/vitest/vitest.mjs", "run", "--reporter=verbose", "vitest/"},
			source: "src/queue-leaky.ts", line: "export class Queue", rule: "LK104",
			fixedPassed: `✓ .*the queue \(fixed\) does not leak`, counts: `Tests +1 failed \| 1 passed \(2\)`},
		{name: "Mocha", args: []string{node, "--import", "tsx", "node_modules/mocha/bin/mocha.js", "--reporter", "tap", "mocha/queue.test.ts"},
			source: "src/queue-leaky.ts", line: "export class Queue", rule: "LK104",
			fixedPassed: `(?m)^ok \d+ the queue \(fixed\) does not leak$`, counts: `(?m)^# pass 1\n# fail 1$`},
		{name: "Mocha hooks", args: []string{node, "node_modules/mocha/bin/mocha.js", "--reporter", "tap", "mocha/hooks.test.cjs"},
			source: "src/sessions-leaky.mjs", line: "sessions.set(id, session)", rule: "LK101",
			// The last run of each suite judges it: 3 + 20×2 runs.
			fixedPassed: `(?m)^ok \d+ sessions \(fixed\), one run per test opens and closes session 42$`, counts: `(?m)^# pass 86\n# fail 1$`},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			out, code := p.run(t, []string{"NO_COLOR=1", "FORCE_COLOR=0"}, r.args[0], r.args[1:]...)
			t.Logf("%s ran the leaky and the fixed leak test in %v", r.name, time.Since(start).Round(time.Second))
			want := fmt.Sprintf("%s:%d %s ", r.source, testenv.LineOf(t, filepath.Join(p.dir, r.source), r.line), r.rule)
			if code == 0 || !strings.Contains(out, want) || !strings.Contains(out, "(+1 per iteration)") {
				t.Errorf("%s: exit %d, want a failure naming %q(+1 per iteration):\n%s", r.name, code, want, out)
			}
			for _, re := range []string{r.fixedPassed, r.counts} {
				if !regexp.MustCompile(re).MatchString(out) {
					t.Errorf("%s: the output does not match %s (the fixed test must pass, the leaky one fail):\n%s", r.name, re, out)
				}
			}
		})
	}
}

// TestManifests checks that the package.json files agree on the
// version of leakls and of the optional platform packages.
func TestManifests(t *testing.T) {
	var launcher struct {
		Version  string            `json:"version"`
		Optional map[string]string `json:"optionalDependencies"`
	}
	read(t, filepath.Join("leakls", "package.json"), &launcher)
	dirs, err := filepath.Glob(filepath.Join("platforms", "*", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) != len(launcher.Optional) {
		t.Errorf("%d platform packages, but leakls lists %d optional dependencies", len(dirs), len(launcher.Optional))
	}
	for _, file := range dirs {
		var pkg struct {
			Name    string   `json:"name"`
			Version string   `json:"version"`
			OS      []string `json:"os"`
			CPU     []string `json:"cpu"`
		}
		read(t, file, &pkg)
		platform := filepath.Base(filepath.Dir(file))
		if pkg.Name != "@leakls/"+platform || pkg.Version != launcher.Version || launcher.Optional[pkg.Name] != launcher.Version {
			t.Errorf("%s: %s@%s, leakls %s lists it at %q", file, pkg.Name, pkg.Version, launcher.Version, launcher.Optional[pkg.Name])
		}
		if got := pkg.OS[0] + "-" + pkg.CPU[0]; len(pkg.OS) != 1 || len(pkg.CPU) != 1 || got != platform {
			t.Errorf("%s: os %v and cpu %v, want %s", file, pkg.OS, pkg.CPU, platform)
		}
	}
}

func read(t *testing.T, file string, v any) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}
