package testenv

import (
	"os/exec"
	"strings"
	"testing"
)

func TestNPMBinRunsRealTools(t *testing.T) {
	for _, name := range []string{"tsc", "esbuild"} {
		out, err := exec.Command(NPMBin(t, name), "--version").CombinedOutput()
		if err != nil {
			t.Fatalf("%s --version: %v\n%s", name, err, out)
		}
		if strings.TrimSpace(string(out)) == "" {
			t.Fatalf("%s --version printed nothing", name)
		}
	}
}
