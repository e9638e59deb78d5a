package capture

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Process is a program started by Launch, in its own process group, with
// the inspector listening on a free loopback port.
type Process struct {
	// Inspector is the inspector's ws:// URL.
	Inspector string
	// URL is the base URL the program serves: the first http:// URL it
	// printed, or the ready URL it was started with.
	URL string

	cmd     *exec.Cmd
	exited  chan struct{} // closed when the program has exited
	ended   chan struct{} // closed when it has exited or waits for the debugger to go
	endOnce sync.Once
	err     error // its exit status, once exited
	tail    *tail // the end of its output, for error messages
}

// inspectorTimeout is the least time a program gets to start its
// inspector.
const inspectorTimeout = 30 * time.Second

// LaunchOptions configure Launch.
type LaunchOptions struct {
	// Command is the program and its arguments.
	Command []string
	// Dir is the program's working directory ("": the caller's).
	Dir string
	// ReadyURL, when set, is polled until it answers; otherwise the program
	// is ready when it prints an http:// URL.
	ReadyURL string
	// Timeout bounds the wait for readiness once the inspector is up (the
	// inspector itself gets at least 30 seconds).
	Timeout time.Duration
	// Stdout and Stderr receive the program's output (nil: discarded).
	Stdout, Stderr io.Writer
}

var (
	inspectorLine = regexp.MustCompile(`Debugger listening on (ws://\S+)`)
	httpURL       = regexp.MustCompile(`https?://[^\s"'<>)]+`)
)

// Launch starts opts.Command with NODE_OPTIONS asking for the inspector on
// 127.0.0.1 with a free port, and waits until the program is ready. The
// program runs in its own process group: call Stop to end it and whatever
// it started.
func Launch(ctx context.Context, opts LaunchOptions) (*Process, error) {
	if len(opts.Command) == 0 {
		return nil, errors.New("no command to run: give it after --")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	cmd := exec.Command(opts.Command[0], opts.Command[1:]...)
	cmd.Dir = opts.Dir
	cmd.Env = append(os.Environ(), "NODE_OPTIONS="+strings.TrimSpace(os.Getenv("NODE_OPTIONS")+" --inspect=127.0.0.1:0"))
	ownGroup(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", opts.Command[0], err)
	}
	p := &Process{cmd: cmd, exited: make(chan struct{}), ended: make(chan struct{}), tail: &tail{}}
	inspector := make(chan string, 1)
	urls := make(chan string, 1)
	var wg sync.WaitGroup
	scan := func(r io.Reader, out io.Writer, isStderr bool) {
		defer wg.Done()
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.tail.add(line)
			if out != nil {
				fmt.Fprintln(out, line)
			}
			if m := inspectorLine.FindStringSubmatch(line); isStderr && m != nil {
				select {
				case inspector <- m[1]:
				default:
				}
				continue
			}
			if strings.HasPrefix(line, "Waiting for the debugger to disconnect") {
				p.endOnce.Do(func() { close(p.ended) })
				continue
			}
			if strings.HasPrefix(line, "For help, see:") || strings.HasPrefix(line, "Debugger attached") {
				continue
			}
			if u := httpURL.FindString(line); u != "" {
				select {
				case urls <- strings.TrimRight(u, ".,;"):
				default:
				}
			}
		}
		// Drain the rest so that the program never blocks on a full pipe.
		io.Copy(io.Discard, r)
	}
	wg.Add(2)
	go scan(stdout, opts.Stdout, false)
	go scan(stderr, opts.Stderr, true)
	go func() {
		wg.Wait()
		p.err = cmd.Wait()
		close(p.exited)
		p.endOnce.Do(func() { close(p.ended) })
	}()

	// Starting node takes seconds on a loaded machine: the inspector gets
	// at least inspectorTimeout, and Timeout counts from when it is up.
	timer := time.NewTimer(max(opts.Timeout, inspectorTimeout))
	defer timer.Stop()
	fail := func(err error) (*Process, error) {
		p.Stop()
		return nil, err
	}
	p.Inspector, err = p.await(ctx, inspector, timer.C, "before its inspector started", func() error {
		return fmt.Errorf("%s did not start the inspector within %v: is it a Node.js program (does it honour NODE_OPTIONS)?%s", opts.Command[0], max(opts.Timeout, inspectorTimeout), p.tail.text())
	})
	if err != nil {
		return fail(err)
	}
	timer.Reset(opts.Timeout)
	if opts.ReadyURL != "" {
		p.URL = opts.ReadyURL
		if err := p.poll(ctx, opts.ReadyURL, timer.C); err != nil {
			return fail(err)
		}
		return p, nil
	}
	p.URL, err = p.await(ctx, urls, timer.C, "before it printed an http:// URL", func() error {
		return fmt.Errorf("%s printed no http:// URL within %v: pass --ready-url URL to poll instead%s", opts.Command[0], opts.Timeout, p.tail.text())
	})
	if err != nil {
		return fail(err)
	}
	return p, nil
}

// await returns the first line the program's output gives on lines, or
// an error: the program exited before (the exit error says it did so
// before what), timeout fired (late makes the error then), or ctx ended.
func (p *Process) await(ctx context.Context, lines <-chan string, timeout <-chan time.Time, before string, late func() error) (string, error) {
	select {
	case line := <-lines:
		return line, nil
	case <-p.exited:
		return "", p.exitError(before)
	case <-timeout:
		return "", late()
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// poll waits until url answers an HTTP GET.
func (p *Process) poll(ctx context.Context, url string, timeout <-chan time.Time) error {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("--ready-url %q: %w", url, err)
		}
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-tick.C:
		case <-p.exited:
			return p.exitError("before " + url + " answered")
		case <-timeout:
			return fmt.Errorf("%s did not answer before the timeout: is the program listening there?%s", url, p.tail.text())
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (p *Process) exitError(when string) error {
	status := "exit status 0"
	if p.err != nil {
		status = p.err.Error() // "exit status 1", "signal: killed"
	}
	return fmt.Errorf("%s exited %s (%s)%s", p.cmd.Path, when, status, p.tail.text())
}

// Ended is closed when the program has exited, or has ended and waits for
// the inspector's client to disconnect before it exits (Node does that
// when a debugger is attached: "Waiting for the debugger to disconnect").
func (p *Process) Ended() <-chan struct{} { return p.ended }

// Pid is the program's process id, which is also its process group id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Stop ends the program's process group: SIGTERM, then SIGKILL after two
// seconds, and waits for the program to exit. It is safe to call more
// than once.
func (p *Process) Stop() {
	pgid := p.cmd.Process.Pid
	terminateGroup(pgid)
	select {
	case <-p.exited:
	case <-time.After(2 * time.Second):
	}
	// Children may outlive the leader; kill what is left of the group.
	killGroup(pgid)
	<-p.exited
}

// tail keeps the last lines a program printed.
type tail struct {
	mu    sync.Mutex
	lines []string
}

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == 10 {
		copy(t.lines, t.lines[1:])
		t.lines = t.lines[:9]
	}
	t.lines = append(t.lines, line)
}

// text returns the kept lines as the end of an error message.
func (t *tail) text() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.lines) == 0 {
		return ""
	}
	return "; its last output:\n  " + strings.Join(t.lines, "\n  ")
}
