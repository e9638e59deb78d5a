package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/capture"
	"github.com/leakls/leakls/internal/testenv"
)

// leakyScript keeps 20 new <div> elements, never attached to the
// document, each time leak() runs. It is evaluated in the page once the
// test is connected: a page loaded from the command line may still be
// loading when the test calls leak().
const leakyScript = `
window.kept = [];
window.leak = function leak() {
  for (let i = 0; i < 20; i++) {
    const el = document.createElement('div');
    el.textContent = 'row ' + i;
    window.kept.push(el);
  }
};
`

// TestChromeSnapshots reads heap snapshots of a page in real headless
// Chromium, taken through the DevTools protocol — the stream DevTools'
// "Save profile" writes to a file — with leak() run between baseline and
// target: V8's layout in a browser (a newer V8 than Node's, with Blink's
// objects) must give the same exact counts as in Node.
func TestChromeSnapshots(t *testing.T) {
	chromium := testenv.Command(t, "chromium")
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
		"--remote-debugging-port=0", "--user-data-dir="+filepath.Join(dir, "profile"), "about:blank")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	}()
	// Chromium prints the browser's endpoint; its /json/list gives the page.
	listening := regexp.MustCompile(`DevTools listening on ws://([^/]+)/`)
	var addr string
	for sc := bufio.NewScanner(stderr); addr == "" && sc.Scan(); {
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		t.Fatal("chromium printed no DevTools endpoint")
	}
	go func() { _, _ = bufio.NewReader(stderr).WriteTo(discardWriter{}) }()
	var c *capture.Client
	for c == nil {
		if c, err = capture.Dial(ctx, addr, false); err != nil {
			if ctx.Err() != nil {
				t.Fatalf("connect to the page: %v", err)
			}
			time.Sleep(100 * time.Millisecond) // the page target is not listed yet
		}
	}
	defer c.Close()
	evaluate := func(expr string) {
		t.Helper()
		var res struct {
			ExceptionDetails any `json:"exceptionDetails"`
		}
		if err := c.Call(ctx, "Runtime.evaluate", map[string]any{"expression": expr}, &res); err != nil || res.ExceptionDetails != nil {
			t.Fatalf("evaluate %q: %v %v", expr, err, res.ExceptionDetails)
		}
	}
	evaluate(leakyScript)
	var files []string
	for _, phase := range []string{"baseline", "target", "final"} {
		if phase == "target" {
			evaluate("leak()")
		}
		path := filepath.Join(dir, phase+".heapsnapshot")
		if err := c.CollectGarbage(ctx); err != nil {
			t.Fatal(err)
		}
		if err := c.TakeHeapSnapshot(ctx, path, nil); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}

	// Blink builds a prototype's methods on first use (createElement's
	// first call makes the Element prototype's): one-off objects, which
	// --min-count leaves out.
	code, out, errOut := run(append([]string{"snapshot", "diff", "--quiet", "--format", "json", "--min-count", "20"}, files...)...)
	var rep analysis.LeakReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitFindings {
		t.Fatalf("snapshot diff: exit %d, %v\nstderr:\n%s", code, err, errOut)
	}
	counts := map[string]int{}
	for _, r := range rep.Leaked {
		counts[r.Constructor] = r.Count
	}
	if counts["<div>"] != 20 {
		t.Errorf("%d <div> leaked, want 20; leaked: %+v", counts["<div>"], rep.Leaked)
	}
	// The names of the DOM methods first used by leak() are interned by
	// V8 for Blink's function templates; the page holds none of them.
	if n := counts["(string)"]; n != 0 {
		t.Errorf("%d strings reported leaked, want 0 (the names V8 keeps for Blink are not the page's)", n)
	}
	if code, _, errOut := run("snapshot", "summary", "--quiet", files[2]); code != exitClean {
		t.Errorf("snapshot summary: exit %d\n%s", code, errOut)
	}
}

// discardWriter drops what is written to it.
type discardWriter struct{}

func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }
