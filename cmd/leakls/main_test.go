package main

import (
	"bytes"
	"strings"
	"testing"
)

func run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = runMain(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelpListsEveryCommand(t *testing.T) {
	code, out, _ := run("help")
	if code != exitClean {
		t.Fatalf("help: exit %d", code)
	}
	for _, c := range commands {
		if !strings.Contains(out, c.name) {
			t.Errorf("help does not list %q:\n%s", c.name, out)
		}
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, c := range commands {
		code, out, errOut := run(c.name, "--help")
		if code != exitClean {
			t.Errorf("%s --help: exit %d, want 0", c.name, code)
		}
		if !strings.Contains(out, "usage: leakls "+c.name) || len(strings.TrimSpace(c.help)) == 0 {
			t.Errorf("%s --help lacks usage or description on stdout:\n%s", c.name, out)
		}
		if errOut != "" {
			t.Errorf("%s --help wrote to stderr: %q", c.name, errOut)
		}
	}
	for _, sub := range snapshotSubcommands {
		args := append(strings.Fields(sub.name), "-h")
		if code, out, errOut := run(args...); code != exitClean || !strings.Contains(out, "usage: leakls "+sub.name) || errOut != "" {
			t.Errorf("%s -h: exit %d, stdout %q, stderr %q; want the usage on stdout", sub.name, code, out, errOut)
		}
	}
	// A usage error still prints the usage on stderr.
	if code, out, errOut := run("check", "--bogus"); code != exitError || out != "" || !strings.Contains(errOut, "usage: leakls check") {
		t.Errorf("check --bogus: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestUnknownCommandAndNoArgs(t *testing.T) {
	if code, _, errOut := run("frobnicate"); code != exitError || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := run(); code != exitError || !strings.Contains(errOut, "usage: leakls") {
		t.Errorf("no args: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := run("version", "--bogus"); code != exitError || !strings.Contains(errOut, "bogus") {
		t.Errorf("bad flag: exit %d, stderr %q", code, errOut)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run("version")
	if code != exitClean || !strings.HasPrefix(out, "leakls ") {
		t.Fatalf("version: exit %d, %q", code, out)
	}
}
