package capture

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/leakls/leakls/internal/testenv"
)

// launch starts a test app from testdata and stops it at the end.
func launch(t testing.TB, opts LaunchOptions) *Process {
	t.Helper()
	testenv.Node(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := Launch(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	return p
}

// dial connects to the inspector at target, giving the connection and
// the test's calls limit to finish, and closes it at the end.
func dial(t testing.TB, target string, limit time.Duration) (context.Context, *Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel)
	c, err := Dial(ctx, target, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return ctx, c
}

// heapApp writes an HTTP server that keeps n small objects and returns
// its path.
func heapApp(t testing.TB, n int) string {
	t.Helper()
	app := filepath.Join(t.TempDir(), "heap.js")
	src := `globalThis.keep = Array.from({ length: ` + strconv.Itoa(n) + ` }, (_, i) => ({ id: i, name: 'n' + i }));
require('node:http').createServer((q, s) => s.end()).listen(0, '127.0.0.1', function () {
  console.log('http://127.0.0.1:' + this.address().port);
});
`
	if err := os.WriteFile(app, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return app
}

// groupGone reports whether no process of group pgid is left.
func groupGone(pgid int) bool {
	return errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH)
}

func TestSnapshotAndMemoryUsage(t *testing.T) {
	p := launch(t, LaunchOptions{Command: []string{"node", "testdata/leaky.js"}})
	if !strings.HasPrefix(p.URL, "http://127.0.0.1:") {
		t.Errorf("URL = %q, want the one the app printed", p.URL)
	}
	ctx, c := dial(t, p.Inspector, time.Minute)
	m, err := c.MemoryUsage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m.HeapUsed == 0 || m.RSS < m.HeapUsed {
		t.Errorf("memory usage %+v: want heapUsed > 0 and rss ≥ heapUsed", m)
	}
	path := filepath.Join(t.TempDir(), "a.heapsnapshot")
	var calls int
	var last int64
	if err := c.TakeHeapSnapshot(ctx, path, func(stage string, done, total int64) { calls++; last = done }); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), `{"snapshot":`) || !strings.HasSuffix(strings.TrimSpace(string(data)), "}") {
		t.Errorf("%s is not a whole snapshot: starts %.40q, %d bytes", path, data, len(data))
	}
	if calls == 0 || last == 0 {
		t.Errorf("progress called %d times, last done %d: want V8's progress", calls, last)
	}
}

func TestDialByHostPort(t *testing.T) {
	p := launch(t, LaunchOptions{Command: []string{"node", "testdata/leaky.js"}})
	hostPort := strings.SplitN(strings.TrimPrefix(p.Inspector, "ws://"), "/", 2)[0]
	ctx, c := dial(t, hostPort, 30*time.Second)
	if err := c.CollectGarbage(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestDialRefusesRemote(t *testing.T) {
	for _, target := range []string{"10.1.2.3:9229", "ws://example.com:9229/abc"} {
		_, err := Dial(context.Background(), target, false)
		if err == nil || !strings.Contains(err.Error(), "--allow-remote") {
			t.Errorf("Dial(%q) = %v, want a refusal naming --allow-remote", target, err)
		}
	}
}

func TestDisconnectMidSnapshot(t *testing.T) {
	p := launch(t, LaunchOptions{Command: []string{"node", "testdata/leaky.js"}})
	ctx, c := dial(t, p.Inspector, time.Minute)
	path := filepath.Join(t.TempDir(), "cut.heapsnapshot")
	var once sync.Once
	err := c.TakeHeapSnapshot(ctx, path, func(string, int64, int64) {
		once.Do(func() { syscall.Kill(-p.Pid(), syscall.SIGKILL) })
	})
	if err == nil {
		t.Fatal("TakeHeapSnapshot succeeded though the process was killed during it")
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "incomplete") {
		t.Errorf("error %q: want it to name the incomplete file %s", err, path)
	}
	if _, serr := os.Stat(path); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("the incomplete snapshot %s was left behind (stat: %v)", path, serr)
	}
}

func TestLaunchExitsEarly(t *testing.T) {
	testenv.Node(t)
	_, err := Launch(context.Background(), LaunchOptions{Command: []string{"node", "testdata/early.js"}, Timeout: 30 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "exited") || !strings.Contains(err.Error(), "config file missing") {
		t.Errorf("Launch = %v, want an error saying the program exited, with its output", err)
	}
}

func TestLaunchNeverReady(t *testing.T) {
	testenv.Node(t)
	_, err := Launch(context.Background(), LaunchOptions{Command: []string{"node", "testdata/never.js"}, Timeout: 2 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "no http:// URL within 2s") || !strings.Contains(err.Error(), "--ready-url") {
		t.Errorf("Launch = %v, want a timeout suggesting --ready-url", err)
	}
}

func TestStopEndsTheProcessGroup(t *testing.T) {
	p := launch(t, LaunchOptions{Command: []string{"node", "testdata/spawner.js"}})
	if groupGone(p.Pid()) {
		t.Fatal("the process group is gone before Stop")
	}
	p.Stop()
	// Stop waits for the leader; the child got SIGKILL, which the kernel
	// delivers at once, but its exit may take a moment to be reaped by
	// init: wait for it without timing the assertion.
	deadline := time.Now().Add(10 * time.Second)
	for !groupGone(p.Pid()) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if !groupGone(p.Pid()) {
		t.Errorf("process group %d still has processes after Stop", p.Pid())
	}
}

func TestPrepareTypeScript(t *testing.T) {
	out, dir, err := prepareTypeScript([]string{"node", "--trace-warnings", "testdata/tsapp/server.ts", "arg"}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	want := []string{"node", "--enable-source-maps", "--trace-warnings", filepath.Join(dir, "server.js"), "arg"}
	if strings.Join(out, " ") != strings.Join(want, " ") {
		t.Errorf("command = %q, want %q", out, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "server.js.map")); err != nil {
		t.Errorf("no source map: %v", err)
	}
	same, dir2, err := prepareTypeScript([]string{"node", "testdata/leaky.js"}, "")
	if err != nil || dir2 != "" || len(same) != 2 {
		t.Errorf("a JavaScript command was changed: %q, %q, %v", same, dir2, err)
	}
	if _, _, err := prepareTypeScript([]string{"testdata/missing.ts"}, ""); err == nil || !strings.Contains(err.Error(), "missing.ts") {
		t.Errorf("bundling a missing file: %v, want an error naming it", err)
	}
}

// TestSnapshotMemoryBounded checks that the chunks of a snapshot go to the
// file as they arrive: the Go heap never holds a large part of it.
func TestSnapshotMemoryBounded(t *testing.T) {
	app := heapApp(t, 200000)
	p := launch(t, LaunchOptions{Command: []string{"node", app}})
	ctx, c := dial(t, p.Inspector, 5*time.Minute)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak uint64
	path := filepath.Join(t.TempDir(), "big.heapsnapshot")
	// V8 reports progress while it builds the snapshot, before the chunks
	// flow; the sampler below covers the streaming.
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	err := c.TakeHeapSnapshot(ctx, path, nil)
	close(stop)
	<-sampled
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	grew := int64(peak) - int64(before.HeapInuse)
	t.Logf("snapshot %d bytes; Go heap in use grew by at most %d bytes", st.Size(), grew)
	if grew > st.Size()/4 {
		t.Errorf("the Go heap grew by %d bytes while streaming a %d-byte snapshot: chunks are being kept", grew, st.Size())
	}
}
