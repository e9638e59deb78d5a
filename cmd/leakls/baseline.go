package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/leakls/leakls/evidence"
)

// leakFlags are the flags of the commands that write a leak report
// (snapshot diff, capture, run): how paths are shown, and the baseline
// of known leaks.
type leakFlags struct {
	fullPath bool
	baseline string
	update   bool
}

func (l *leakFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&l.fullPath, "full-path", false, "show every hop of the retainer paths (default: the hops from the roots to the holder's owner in the program's code are folded into one line)")
	fs.StringVar(&l.baseline, "baseline", "", "the baseline `FILE` of known leaks: they are reported as known and do not fail the run (docs/cli.md#baseline)")
	fs.BoolVar(&l.update, "update-baseline", false, "write every leak of this report to the --baseline file, as known")
}

// apply writes the baseline file of rep with --update-baseline, then
// moves the leaks the baseline lists out of rep.
func (l *leakFlags) apply(rep *evidence.Report) error {
	switch {
	case l.baseline == "":
		return nil
	case rep.Leaks == nil:
		return errors.New("--baseline lists leaks: give three snapshots, BASELINE TARGET FINAL")
	}
	var bl *evidence.Baseline
	if l.update {
		bl = rep.Baseline()
		if err := writeBaseline(l.baseline, bl); err != nil {
			return err
		}
	} else {
		var err error
		if bl, err = evidence.ReadBaseline(l.baseline); err != nil {
			return fmt.Errorf("--baseline: %w", err)
		}
	}
	rep.ApplyBaseline(bl)
	return nil
}

// writeBaseline writes bl to path.
func writeBaseline(path string, bl *evidence.Baseline) error {
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--update-baseline: %w", err)
	}
	if _, err := bl.WriteTo(out); err != nil {
		out.Close()
		return fmt.Errorf("--update-baseline: %w", err)
	}
	return out.Close()
}
