package holders

import (
	"os"
	"path"
	"strings"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/srcloc"
)

// signature returns the signature of the evidence of holder h holding
// objects of class (see finding.Finding.Signature): a hash of the rule,
// the holder as the message names it ("the module variable sessions"),
// where its finding is — the file relative to the workspace root, or the
// package, its version and the path inside it for a dependency — the
// text of that line, and the class. The line's text stands for its
// number, so that editing other parts of the file keeps the signature.
func (j *joiner) signature(h holder, class string) string {
	pl := h.place
	return finding.Sign(h.rule.ID, h.what, signatureFile(pl), j.lineText(pl.Location), class)
}

// signatureFile names the file of pl the same way on every machine: the
// workspace-relative path, package@version/path for a dependency, the
// base name for a file outside the workspace.
func signatureFile(pl srcloc.Place) string {
	rel := pl.Rel
	if pl.Kind == srcloc.KindDependency && pl.Package != "" {
		inside := rel
		if i := strings.LastIndex(rel, "node_modules/"+pl.Package+"/"); i >= 0 {
			inside = rel[i+len("node_modules/"+pl.Package+"/"):]
		}
		return pl.Package + "@" + pl.Version + "/" + inside
	}
	if path.IsAbs(rel) || strings.Contains(rel, `\`) || strings.HasPrefix(rel, "../") {
		return path.Base(strings.ReplaceAll(rel, `\`, "/"))
	}
	return rel
}

// lineText returns the line of loc without its surrounding white space,
// or "" when the file cannot be read.
func (j *joiner) lineText(loc finding.Location) string {
	lines, ok := j.lines[loc.File]
	if !ok {
		if b, err := os.ReadFile(loc.File); err == nil {
			lines = strings.Split(string(b), "\n")
		}
		j.lines[loc.File] = lines
	}
	if n := loc.Range.Start.Line; n >= 0 && n < len(lines) {
		return strings.TrimSpace(lines[n])
	}
	return ""
}
