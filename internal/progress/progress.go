// Package progress reports the progress of long-running work (parsing heap
// snapshots, capturing them) on stderr.
//
// When the writer is a terminal, a Reporter draws one self-updating bar
// line; otherwise it prints one plain line per stage, so that logs in CI
// stay readable; a quiet Reporter prints nothing. A Reporter is safe for
// concurrent use: several goroutines (one per file being loaded) may report
// through it at once, each under its own label.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// Func is the callback shape long-running work accepts: stage names the
// current step, done and total count its units (bytes, nodes); total is 0
// when unknown.
type Func = func(stage string, done, total int64)

// Reporter writes progress to one writer. The zero value is not usable;
// call New.
type Reporter struct {
	mu     sync.Mutex
	w      io.Writer
	quiet  bool
	bar    bool              // draw a self-updating bar (the writer is a terminal)
	width  int               // terminal width in columns, for the bar
	every  time.Duration     // minimum interval between bar redraws
	last   time.Time         // time of the last redraw
	drawn  int               // width of the bar line currently on screen
	stages map[string]string // label → current stage, for plain lines
	now    func() time.Time
}

// New returns a Reporter writing to w. Progress is drawn as a bar when w is
// a terminal (an *os.File for which term.IsTerminal holds), written as plain
// stage lines otherwise, and suppressed entirely when quiet is set.
func New(w io.Writer, quiet bool) *Reporter {
	r := &Reporter{w: w, quiet: quiet, every: 100 * time.Millisecond, stages: map[string]string{}, now: time.Now, width: 80}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		r.bar = true
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 20 {
			r.width = cols
		}
	}
	return r
}

// Func returns a callback that reports under label (typically a file
// name), suitable for analysis.LoadOptions.Progress. A nil Reporter returns
// nil, which callers treat as "no progress".
func (r *Reporter) Func(label string) Func {
	if r == nil || r.quiet {
		return nil
	}
	return func(stage string, done, total int64) { r.report(label, stage, done, total) }
}

// Stage announces the start of a step that has no measurable progress.
func (r *Reporter) Stage(label, stage string) {
	if r == nil || r.quiet {
		return
	}
	r.report(label, stage, 0, 0)
}

func (r *Reporter) report(label, stage string, done, total int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.bar {
		// Plain mode: one line when a label enters a new stage.
		if r.stages[label] == stage {
			return
		}
		r.stages[label] = stage
		fmt.Fprintf(r.w, "%s: %s\n", label, stage)
		return
	}
	now := r.now()
	finished := total > 0 && done >= total
	if !finished && r.stages[label] == stage && now.Sub(r.last) < r.every {
		return
	}
	r.stages[label] = stage
	r.last = now
	r.draw(barLine(label, stage, done, total, r.width))
}

// barLine renders "label: stage [#####     ]  45%" to fit width columns.
func barLine(label, stage string, done, total int64, width int) string {
	text := label + ": " + stage
	if total <= 0 {
		return truncate(text, width-1)
	}
	if done > total {
		done = total
	}
	if done < 0 {
		done = 0
	}
	pct := int(done * 100 / total)
	const cells = 24
	full := int(done * cells / total)
	bar := fmt.Sprintf(" [%s%s] %3d%%", strings.Repeat("#", full), strings.Repeat(" ", cells-full), pct)
	if width-1-len(bar) < 10 {
		// Too narrow for the bar: keep the label and the percentage.
		bar = fmt.Sprintf(" %3d%%", pct)
	}
	return truncate(text, width-1-len(bar)) + bar
}

// truncate shortens s to at most n bytes, marking the cut with "...".
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	if n <= 3 {
		return s[:n]
	}
	return s[:n-3] + "..."
}

// draw replaces the bar line on screen with line.
func (r *Reporter) draw(line string) {
	pad := ""
	if r.drawn > len(line) {
		pad = strings.Repeat(" ", r.drawn-len(line))
	}
	fmt.Fprintf(r.w, "\r%s%s", line, pad)
	r.drawn = len(line)
}

// Done clears the bar line (on a terminal) so that the next output starts
// on a clean line. It is safe to call more than once, and on a nil or quiet
// Reporter.
func (r *Reporter) Done() {
	if r == nil || r.quiet {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.bar && r.drawn > 0 {
		fmt.Fprintf(r.w, "\r%s\r", strings.Repeat(" ", r.drawn))
		r.drawn = 0
	}
	clear(r.stages)
}
