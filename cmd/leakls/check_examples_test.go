package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakls/leakls/internal/testenv"
)

// exampleLeaks are the leaks in examples/: the file, the rule, and a piece
// of text that occurs exactly once in the file, on the line the finding
// must be on. README.md's main command must report exactly these, and
// nothing on the correct code next to them.
var exampleLeaks = []struct{ file, rule, line string }{
	{"examples/chat/clients.ts", "LK002", "hub.on(room, this.deliver.bind(this));"},
	{"examples/chat/clients.ts", "LK003", "setInterval(() => res.write(': ping\\n\\n'), 15_000);"},
	{"examples/chat/hub.ts", "LK001", "history.set(msg.room, [...past, msg]);"},
	{"examples/service/bus.js", "LK006", "bus.setMaxListeners(0);"},
	{"examples/service/cache.js", "LK001", "profiles.set(id, body);"},
	{"examples/service/handlers/jobs.js", "LK003", "setInterval(() => res.write(`${progressOf(id)}%\\n`), 100);\n}"},
	{"examples/service/handlers/jobs.js", "LK004", "setTimeout(() => console.log(`reminder for ${req.headers['x-user']}`)"},
	{"examples/service/handlers/prices.js", "LK002", "bus.on('price', (tick) => sendEvent(res, tick));"},
	{"examples/service/metrics.js", "LK007", "startedAt.set(req, performance.now());"},
	{"examples/service/metrics.js", "LK005", "lastRequest = req;"},
}

func TestCheckExamples(t *testing.T) {
	isolate(t)
	t.Chdir(testenv.RepoRoot(t))
	var want []string
	for _, l := range exampleLeaks {
		src, err := os.ReadFile(filepath.FromSlash(l.file))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(src), l.line); n != 1 {
			t.Fatalf("%s: %q occurs %d times, want once", l.file, l.line, n)
		}
		line := 1 + strings.Count(string(src[:strings.Index(string(src), l.line)]), "\n")
		want = append(want, l.file+":"+strconv.Itoa(line)+": "+l.rule)
	}
	code, out, errOut := run("check", "--format", "json", "examples/...")
	if code != exitFindings {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if errOut != "" {
		t.Errorf("stderr is not empty:\n%s", errOut)
	}
	var doc struct {
		Findings []struct {
			Rule, File, Message string
			Range               struct{ Start struct{ Line int } }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range doc.Findings {
		got = append(got, filepath.ToSlash(f.File)+":"+strconv.Itoa(f.Range.Start.Line)+": "+f.Rule)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("findings in examples/:\n got %s\nwant %s\noutput:\n%s", strings.Join(got, "\n     "), strings.Join(want, "\n     "), out)
	}
}

// TestExamplesRun starts the example programs with real node: the service
// as it is, the TypeScript chat bundled by the real esbuild. Each runs its
// --self-test (real HTTP requests against itself) and must exit 0.
func TestExamplesRun(t *testing.T) {
	node := testenv.Node(t)
	root := testenv.RepoRoot(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	out, err := exec.CommandContext(ctx, node, filepath.Join(root, "examples", "service", "server.js"), "--self-test").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "self-test ok") {
		t.Errorf("examples/service: %v\n%s", err, out)
	}

	bundle := filepath.Join(t.TempDir(), "server.js")
	esbuild := testenv.NPMBin(t, "esbuild")
	if out, err := exec.CommandContext(ctx, esbuild, filepath.Join(root, "examples", "chat", "server.ts"),
		"--bundle", "--platform=node", "--format=esm", "--sourcemap", "--outfile="+bundle).CombinedOutput(); err != nil {
		t.Fatalf("esbuild: %v\n%s", err, out)
	}
	out, err = exec.CommandContext(ctx, node, bundle, "--self-test").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "self-test ok") {
		t.Errorf("examples/chat: %v\n%s", err, out)
	}
}
