package capture

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Action is the suspect work a run repeats against the program.
type Action interface {
	// Setup runs once before the warm-up.
	Setup(ctx context.Context) error
	// Do runs iteration i (counted from 1 within its phase).
	Do(ctx context.Context, i int) error
	// Teardown runs once after the last iteration.
	Teardown(ctx context.Context) error
	// Close releases the action's resources.
	Close()
}

//go:embed driver.js
var driverJS []byte

// Scenario runs a JavaScript scenario module (exporting action(ctx) and
// optionally setup, teardown and iterations) in a node process of its own,
// separate from the program under test so that its allocations do not
// appear in the program's snapshots.
type Scenario struct {
	// Iterations is the module's iterations export, 0 when absent.
	Iterations int

	cmd    *exec.Cmd
	dir    string
	in     io.WriteCloser
	out    *bufio.Scanner
	stderr *tail
}

// StartScenario starts node on the scenario module file with ctx.url set
// to baseURL. Its console output goes to log (nil: discarded).
func StartScenario(file, baseURL string, log io.Writer) (*Scenario, error) {
	if _, err := os.Stat(file); err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	dir, err := os.MkdirTemp("", "leakls-driver-")
	if err != nil {
		return nil, err
	}
	driver := filepath.Join(dir, "driver.cjs")
	if err := os.WriteFile(driver, driverJS, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &Scenario{dir: dir, stderr: &tail{}}
	s.cmd = exec.Command("node", driver, file, baseURL)
	s.cmd.Env = withoutNodeOptions(os.Environ())
	ownGroup(s.cmd)
	s.cmd.Stderr = &lineWriter{tail: s.stderr, w: log}
	if s.in, err = s.cmd.StdinPipe(); err == nil {
		var out io.Reader
		if out, err = s.cmd.StdoutPipe(); err == nil {
			s.out = bufio.NewScanner(out)
			s.out.Buffer(make([]byte, 64<<10), 4<<20)
			err = s.cmd.Start()
		}
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start the scenario driver: %w", err)
	}
	var hello struct {
		Ready      bool   `json:"ready"`
		Iterations int    `json:"iterations"`
		Error      string `json:"error"`
	}
	if err := s.read(&hello); err != nil {
		s.Close()
		return nil, err
	}
	if hello.Error != "" {
		s.Close()
		return nil, errors.New(hello.Error)
	}
	s.Iterations = hello.Iterations
	return s, nil
}

// withoutNodeOptions drops NODE_OPTIONS, so that the driver does not start
// an inspector of its own.
func withoutNodeOptions(env []string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, "NODE_OPTIONS=") {
			out = append(out, e)
		}
	}
	return out
}

func (s *Scenario) read(v any) error {
	if !s.out.Scan() {
		err := s.out.Err()
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("the scenario driver stopped: %v%s", err, s.stderr.text())
	}
	if err := json.Unmarshal(s.out.Bytes(), v); err != nil {
		return fmt.Errorf("the scenario driver wrote %q: %w", s.out.Text(), err)
	}
	return nil
}

// call runs one hook of the module and waits for it to settle.
func (s *Scenario) call(ctx context.Context, op string, i int) error {
	req, _ := json.Marshal(map[string]any{"op": op, "i": i})
	if _, err := s.in.Write(append(req, '\n')); err != nil {
		return fmt.Errorf("scenario %s: %w%s", op, err, s.stderr.text())
	}
	done := make(chan error, 1)
	go func() {
		var r struct {
			Error string `json:"error"`
		}
		err := s.read(&r)
		if err == nil && r.Error != "" {
			err = errors.New(r.Error)
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("scenario %s: %w", op, err)
		}
		return nil
	case <-ctx.Done():
		s.Close() // unblocks the reader
		<-done
		return fmt.Errorf("scenario %s: %w", op, ctx.Err())
	}
}

// Setup calls the module's setup(ctx), if any.
func (s *Scenario) Setup(ctx context.Context) error { return s.call(ctx, "setup", 0) }

// Do calls the module's action(ctx) with ctx.iteration set to i.
func (s *Scenario) Do(ctx context.Context, i int) error { return s.call(ctx, "action", i) }

// Teardown calls the module's teardown(ctx), if any.
func (s *Scenario) Teardown(ctx context.Context) error { return s.call(ctx, "teardown", 0) }

// Close stops the driver and removes its files.
func (s *Scenario) Close() {
	if s.cmd.Process != nil && s.cmd.ProcessState == nil {
		s.in.Close()
		killGroup(s.cmd.Process.Pid)
		s.cmd.Wait()
	}
	os.RemoveAll(s.dir)
}

// ShellAction runs a shell command as each iteration, with LEAKLS_URL set
// to the program's base URL and LEAKLS_ITERATION to the iteration.
type ShellAction struct {
	// Command is the shell command (run with sh -c).
	Command string
	// URL is the program's base URL.
	URL string
	// Log receives the command's output (nil: discarded).
	Log io.Writer
}

// Setup does nothing.
func (a *ShellAction) Setup(context.Context) error { return nil }

// Do runs the command once; a non-zero exit is an error.
func (a *ShellAction) Do(ctx context.Context, i int) error {
	cmd := exec.CommandContext(ctx, "sh", "-c", a.Command)
	cmd.Env = append(withoutNodeOptions(os.Environ()), "LEAKLS_URL="+a.URL, "LEAKLS_ITERATION="+strconv.Itoa(i))
	t := &tail{}
	cmd.Stdout = &lineWriter{tail: t, w: a.Log}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("--action-cmd %q failed in iteration %d: %v%s", a.Command, i, err, t.text())
	}
	return nil
}

// Teardown does nothing.
func (a *ShellAction) Teardown(context.Context) error { return nil }

// Close does nothing.
func (a *ShellAction) Close() {}

// lineWriter keeps the last lines written to it and passes them on to w.
type lineWriter struct {
	tail    *tail
	w       io.Writer
	partial []byte
}

func (l *lineWriter) Write(p []byte) (int, error) {
	if l.w != nil {
		l.w.Write(p)
	}
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.tail.add(string(l.partial[:i]))
		l.partial = l.partial[i+1:]
	}
	if len(l.partial) > 4096 {
		l.tail.add(string(l.partial))
		l.partial = l.partial[:0]
	}
	return len(p), nil
}
