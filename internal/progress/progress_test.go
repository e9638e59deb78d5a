package progress

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPlainLinesOncePerStage(t *testing.T) {
	var buf bytes.Buffer
	r := New(&buf, false)
	f := r.Func("a.heapsnapshot")
	for i := int64(0); i <= 10; i++ {
		f("parsing nodes", i, 10)
	}
	f("parsing edges", 5, 10)
	r.Stage("report", "clustering")
	r.Done()
	want := "a.heapsnapshot: parsing nodes\na.heapsnapshot: parsing edges\nreport: clustering\n"
	if buf.String() != want {
		t.Errorf("plain output:\n%q\nwant\n%q", buf.String(), want)
	}
}

func TestQuietAndNilAreSilent(t *testing.T) {
	var buf bytes.Buffer
	r := New(&buf, true)
	if f := r.Func("x"); f != nil {
		t.Error("quiet reporter returned a callback")
	}
	r.Stage("x", "y")
	r.Done()
	var nilR *Reporter
	if nilR.Func("x") != nil {
		t.Error("nil reporter returned a callback")
	}
	nilR.Stage("x", "y")
	nilR.Done()
	if buf.Len() != 0 {
		t.Errorf("quiet reporter wrote %q", buf.String())
	}
}

func TestBarRedrawsInPlaceAndClears(t *testing.T) {
	var buf bytes.Buffer
	r := New(&buf, false)
	r.bar = true // a bytes.Buffer is not a terminal; draw as if it were
	clock := time.Unix(0, 0)
	r.now = func() time.Time { return clock }
	f := r.Func("big.heapsnapshot")
	f("parsing", 0, 100)
	f("parsing", 10, 100) // throttled: same stage, no time passed
	clock = clock.Add(time.Second)
	f("parsing", 50, 100)
	f("parsing", 100, 100) // completion is always drawn
	out := buf.String()
	if n := strings.Count(out, "\r"); n != 3 {
		t.Errorf("want 3 redraws, got %d: %q", n, out)
	}
	if strings.Contains(out, "\n") {
		t.Errorf("bar wrote a newline: %q", out)
	}
	if !strings.Contains(out, " 50%") || !strings.HasSuffix(out, "100%") {
		t.Errorf("bar lacks percentages: %q", out)
	}
	buf.Reset()
	r.Done()
	if got := buf.String(); !strings.HasPrefix(got, "\r ") || !strings.HasSuffix(got, "\r") {
		t.Errorf("Done did not blank the line: %q", got)
	}
}

func TestBarLineFitsWidth(t *testing.T) {
	for _, w := range []int{21, 40, 80, 200} {
		line := barLine(strings.Repeat("long-file-name/", 10), "parsing strings", 7, 9, w)
		if len(line) > w-1 {
			t.Errorf("width %d: line of %d bytes: %q", w, len(line), line)
		}
		if !strings.HasSuffix(line, " 77%") {
			t.Errorf("width %d: %q lacks the percentage", w, line)
		}
	}
	if got := barLine("f", "reading", 0, 0, 80); got != "f: reading" {
		t.Errorf("unknown total: %q", got)
	}
	if got := barLine("f", "s", 20, 10, 80); !strings.HasSuffix(got, "100%") {
		t.Errorf("overshoot not clamped: %q", got)
	}
}

func TestConcurrentReporters(t *testing.T) {
	var buf bytes.Buffer
	r := New(&buf, false)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			f := r.Func(fmt.Sprintf("file%d", i))
			for j := int64(0); j < 1000; j++ {
				f("parsing", j, 1000)
			}
		}(i)
	}
	wg.Wait()
	if got := strings.Count(buf.String(), "\n"); got != 3 {
		t.Errorf("want 3 stage lines, got %d:\n%s", got, buf.String())
	}
}
