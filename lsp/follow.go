package lsp

import (
	"slices"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/holders"
	"github.com/leakls/leakls/internal/affix"
)

// byteEdit replaces the bytes [start, end) of a text with n bytes.
type byteEdit struct{ start, end, n int }

// diffEdit returns the one edit that turns a into b: the bytes between
// their common prefix and suffix.
func diffEdit(a, b string) byteEdit {
	prefix, suffix := affix.Common([]byte(a), []byte(b))
	return byteEdit{start: prefix, end: len(a) - suffix, n: len(b) - prefix - suffix}
}

// delta is how much the edit moves the bytes after it.
func (e byteEdit) delta() int { return e.n - (e.end - e.start) }

// mapRange maps the range [a, b) of the text before the edit into the text
// after it. An edit before the range moves it; one after it leaves it; one
// inside it (typing in the flagged statement) stretches or shrinks its end.
// An edit across either end of the range, or one that empties it, hits it:
// ok is false, the range no longer says what it said.
func (e byteEdit) mapRange(a, b int) (int, int, bool) {
	switch {
	case e.end <= a:
		return a + e.delta(), b + e.delta(), true
	case e.start >= b:
		return a, b, true
	case a <= e.start && e.end <= b && (a == b || b+e.delta() > a):
		return a, b + e.delta(), true
	}
	return 0, 0, false
}

// mapEdit maps the fix edit [a, b) through the edit: it must not touch it
// (an edit ending where it starts, or starting where it ends, touches it:
// the fix's text around it may no longer fit).
func (e byteEdit) mapEdit(a, b int) (int, int, bool) {
	switch {
	case e.end < a:
		return a + e.delta(), b + e.delta(), true
	case e.start > b:
		return a, b, true
	}
	return 0, 0, false
}

// fileEvidence is the snapshot evidence of one file, its positions byte
// offsets in doc. The snapshots describe the program as it ran, that is the
// file on disk; edits move the evidence with the text they do not touch
// (follow), and drop the evidence and the fixes they hit.
type fileEvidence struct {
	doc      *document
	findings []finding.Finding
	// disk is the evidence in the text the snapshots describe, so that
	// the evidence an edit dropped comes back when an undo restores that
	// text.
	disk *fileEvidence
}

// newFileEvidence returns the findings of the file key as evidence in
// doc, resolving their positions to byte offsets in its text.
func newFileEvidence(key string, doc *document, found []finding.Finding) *fileEvidence {
	ev := &fileEvidence{doc: doc}
	resolve := func(r *finding.Range) {
		r.Start = doc.lines.pos(doc.lines.byteOffset(doc.text, r.Start))
		r.End = doc.lines.pos(max(doc.lines.byteOffset(doc.text, r.End), r.Start.Offset))
	}
	for _, f := range found {
		f.Related = slices.Clone(f.Related)
		resolve(&f.Range)
		for i := range f.Related {
			if sameFile(f.Related[i].File, key) {
				resolve(&f.Related[i].Range)
			}
		}
		ev.findings = append(ev.findings, f)
	}
	ev.disk = ev
	return ev
}

// sameFile reports whether a location's or an edit's file names the file
// key ("" names the finding's own file).
func sameFile(file, key string) bool { return file == "" || file == key }

// follow returns the evidence in doc, made from ev.doc by edits (applied in
// order, each in the text the ones before it produced). A finding an edit
// hits is dropped, and so are a related location and a fix it hits; the
// rest move with the text. In the text the snapshots describe, the
// evidence is all there again.
func (ev *fileEvidence) follow(key string, doc *document, edits []byteEdit) *fileEvidence {
	if doc.text == ev.disk.doc.text {
		return &fileEvidence{doc: doc, findings: ev.disk.findings, disk: ev.disk}
	}
	out := &fileEvidence{doc: doc, disk: ev.disk}
	for _, f := range ev.findings {
		f, ok := followFinding(key, f, edits)
		if !ok {
			continue
		}
		f.Range = doc.lines.rangeAt(f.Range.Start.Offset, f.Range.End.Offset)
		for k := range f.Related {
			if r := &f.Related[k]; sameFile(r.File, key) {
				r.Range = doc.lines.rangeAt(r.Range.Start.Offset, r.Range.End.Offset)
			}
		}
		out.findings = append(out.findings, f)
	}
	return out
}

// followFinding maps the byte offsets of f through edits; ok is false when
// an edit hits its range. Its line and column are left for the caller.
func followFinding(key string, f finding.Finding, edits []byteEdit) (finding.Finding, bool) {
	a, b := f.Range.Start.Offset, f.Range.End.Offset
	related := slices.Clone(f.Related)
	fixes := slices.Clone(f.Fixes)
	for _, e := range edits {
		var ok bool
		if a, b, ok = e.mapRange(a, b); !ok {
			return f, false
		}
		related = followRelated(key, related, e)
		fixes = followFixes(key, fixes, e)
	}
	f.Range.Start.Offset, f.Range.End.Offset = a, b
	f.Related, f.Fixes = related, fixes
	return f, true
}

// followRelated maps the related locations in the file key through e,
// dropping those it hits.
func followRelated(key string, related []finding.Related, e byteEdit) []finding.Related {
	out := related[:0]
	for _, r := range related {
		if sameFile(r.File, key) {
			var ok bool
			if r.Range.Start.Offset, r.Range.End.Offset, ok = e.mapRange(r.Range.Start.Offset, r.Range.End.Offset); !ok {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

// followFixes maps the edits in the file key of fixes through e, dropping
// the fixes with an edit it touches.
func followFixes(key string, fixes []finding.Fix, e byteEdit) []finding.Fix {
	out := fixes[:0]
	for _, fix := range fixes {
		edits := slices.Clone(fix.Edits)
		ok := true
		for i := 0; i < len(edits) && ok; i++ {
			if sameFile(edits[i].File, key) {
				edits[i].Start, edits[i].End, ok = e.mapEdit(edits[i].Start, edits[i].End)
			}
		}
		if ok {
			fix.Edits = edits
			out = append(out, fix)
		}
	}
	return out
}

// current returns the evidence as the static findings of the same
// document version (static) leave it: the fixes of snapshot evidence are
// those of the static findings on the same code (holders.Find links
// them), so a fix that moved with the text is offered only while the
// analysis of the text finds it, edit for edit: a fix whose old text
// changed, or whose static finding is gone, is not offered. Likewise the
// evidence stays confirmed only while a static finding of the rules that
// confirmed it flags its statement (unconfirm).
func (ev *fileEvidence) current(key string, static []finding.Finding) []finding.Finding {
	if ev == nil {
		return nil
	}
	out := slices.Clone(ev.findings)
	for i := range out {
		f := &out[i]
		f.Fixes = slices.DeleteFunc(slices.Clone(f.Fixes), func(fix finding.Fix) bool {
			return !offers(key, static, fix)
		})
		if len(f.Confirmed) > 0 && !confirmedBy(static, *f) {
			holders.Unconfirm(f)
		}
	}
	return out
}

// confirmedBy reports whether a finding of static of a rule that
// confirmed the evidence f is still on its statement (as holders.Confirm
// decides it).
func confirmedBy(static []finding.Finding, f finding.Finding) bool {
	for _, s := range holders.Confirm(static, []finding.Finding{f}) {
		if slices.Contains(s.Confirmed, f.Rule) {
			return true
		}
	}
	return false
}

// offers reports whether a finding of static has the fix fix.
func offers(key string, static []finding.Finding, fix finding.Fix) bool {
	for _, s := range static {
		for _, sf := range s.Fixes {
			if sameFix(key, sf, fix) {
				return true
			}
		}
	}
	return false
}

// sameFix reports whether two fixes of the file key make the same edits.
func sameFix(key string, a, b finding.Fix) bool {
	return a.Message == b.Message && slices.EqualFunc(a.Edits, b.Edits, func(x, y finding.Edit) bool {
		return x.Start == y.Start && x.End == y.End && x.NewText == y.NewText &&
			(x.File == y.File || sameFile(x.File, key) && sameFile(y.File, key))
	})
}

// combined returns the findings of one file: the static ones, those on the
// statement where snapshot evidence shows growth marked confirmed
// (holders.Confirm), then the evidence (ev, in the same version of the
// text; may be nil) with the fixes the static findings still offer.
func combined(key string, static []finding.Finding, ev *fileEvidence) []finding.Finding {
	snaps := ev.current(key, static)
	return slices.Concat(holders.Confirm(static, snaps), snaps)
}
