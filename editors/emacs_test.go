package editors

import (
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// TestEmacsEglot drives batch Emacs with eglot (Debian's emacs-nox and
// elpa-eglot) against the real server, configured as editors/README.md
// says: the LK002 diagnostic through Flymake on the right line with the
// severity of eglot-workspace-configuration, the once() code action from
// eglot-code-actions applied, the diagnostic gone, hover, then heap
// snapshots written by real node into the workspace, the LK101 evidence on
// the holder line and xref's definition landing there, and the server shut
// down. The script (testdata/emacs/e2e.el) reports each step in a log file.
func TestEmacsEglot(t *testing.T) {
	emacs := testenv.Command(t, "emacs")
	r := newEditorRun(t, "emacs/e2e.el")
	// HOME: no user init files, no packages of the user's.
	r.run(t, []string{"HOME=" + r.state}, nil, emacs, "--batch", "-Q", "-l", r.script)
}
