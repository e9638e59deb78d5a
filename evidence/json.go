package evidence

import (
	"encoding/json"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/report"
)

// Version is the version of the JSON documents of snapshot evidence
// (docs/json.md); fields are only added within a version.
const Version = 1

// LeaksJSON is the JSON document of a leak report, written by leakls
// snapshot diff with three files, leakls capture and, with the memory
// trend and verdict added beside these fields, leakls run: the version,
// the fields of the leak report (hops placed as the text prints them),
// and the holders in the source as the findings of leakls check --format
// json, files relative to the root.
type LeaksJSON struct {
	Version int `json:"version"`
	*analysis.LeakReport
	Findings json.RawMessage `json:"findings"`
}

// summaryJSON is the JSON document of a single snapshot.
type summaryJSON struct {
	Version int `json:"version"`
	*analysis.Summary
	Findings json.RawMessage `json:"findings"`
}

// comparisonJSON is the JSON document of two snapshots' comparison.
type comparisonJSON struct {
	Version int `json:"version"`
	*analysis.Comparison
}

// JSON returns the JSON document of rep: a LeaksJSON for a leak report,
// the summary or the comparison otherwise, each with the version.
func (rep *Report) JSON() (any, error) {
	switch {
	case rep.Leaks != nil:
		return rep.LeaksJSON()
	case rep.Summary != nil:
		found, err := report.FindingsJSON(rep.RelFindings())
		return &summaryJSON{Version, rep.Summary, found}, err
	}
	return &comparisonJSON{Version, rep.Comparison}, nil
}

// LeaksJSON returns the JSON document of rep's leak report; rep.Leaks
// must be set.
func (rep *Report) LeaksJSON() (*LeaksJSON, error) {
	found, err := report.FindingsJSON(rep.RelFindings())
	if err != nil {
		return nil, err
	}
	return &LeaksJSON{Version, rep.Leaks, found}, nil
}
