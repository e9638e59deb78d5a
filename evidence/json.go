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
	// LeftOut counts the clusters the text report does not list one by
	// one, and why.
	LeftOut LeftOut `json:"leftOut"`
	// Known holds the leaks a baseline lists (see Report.ApplyBaseline).
	Known *KnownJSON `json:"known,omitempty"`
}

// LeftOut counts the clusters of a leak report left out of its text
// report, by reason. Those of MinCount are in no list (nor in the
// totals); the others are in the JSON's clusters.
type LeftOut struct {
	// MinCount counts the clusters (and their objects) of fewer objects
	// than --min-count.
	MinCount LeftOutCount `json:"minCount"`
	// Node counts the clusters only Node's own code holds, summed up in
	// one line ("created by Node during the run") unless --top 0.
	Node LeftOutCount `json:"node"`
	// Top counts the clusters past --top in the details.
	Top int `json:"top"`
}

// LeftOutCount is a number of clusters and of the objects they group.
type LeftOutCount struct {
	Clusters int `json:"clusters"`
	Objects  int `json:"objects"`
}

// KnownJSON is the part of a leak report that a baseline lists: the
// findings, clusters and growing holders moved out of the report.
type KnownJSON struct {
	Findings json.RawMessage    `json:"findings"`
	Clusters []analysis.Cluster `json:"clusters"`
	Growing  []analysis.Growth  `json:"growing,omitempty"`
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

// JSON returns the JSON document of rep: a LeaksJSON for a leak report
// (counting what a text report under top leaves out), the summary or
// the comparison otherwise, each with the version.
func (rep *Report) JSON(top int) (any, error) {
	switch {
	case rep.Leaks != nil:
		return rep.LeaksJSON(top)
	case rep.Summary != nil:
		found, err := report.FindingsJSON(rep.RelFindings())
		return &summaryJSON{Version, rep.Summary, found}, err
	}
	return &comparisonJSON{Version, rep.Comparison}, nil
}

// LeaksJSON returns the JSON document of rep's leak report, counting the
// clusters a text report under top leaves out; rep.Leaks must be set.
func (rep *Report) LeaksJSON(top int) (*LeaksJSON, error) {
	found, err := report.FindingsJSON(rep.RelFindings())
	if err != nil {
		return nil, err
	}
	doc := &LeaksJSON{Version: Version, LeakReport: rep.Leaks, Findings: found, LeftOut: rep.leftOut(top)}
	if len(rep.Known) > 0 || len(rep.KnownClusters) > 0 || len(rep.KnownGrowing) > 0 {
		known, err := report.FindingsJSON(rep.relFindings(rep.Known))
		if err != nil {
			return nil, err
		}
		doc.Known = &KnownJSON{Findings: known, Clusters: rep.KnownClusters, Growing: rep.KnownGrowing}
	}
	return doc, nil
}

// leftOut counts the clusters the text report under top leaves out.
func (rep *Report) leftOut(top int) LeftOut {
	lo := LeftOut{MinCount: LeftOutCount{rep.Leaks.OmittedClusters, rep.Leaks.OmittedObjects}}
	node, other := rep.otherClusters()
	if top > 0 {
		lo.Node = LeftOutCount{len(node), objectsOf(node)}
	}
	o := TextOptions{Top: top}
	leaks := len(rep.Findings)
	lo.Top = leaks - o.limit(leaks) + len(other) - o.limit(len(other))
	return lo
}
