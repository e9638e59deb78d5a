package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/leakls/leakls/docs/rules"
)

var rulesCommand = &command{
	name:    "rules",
	usage:   "[ID|NAME]",
	summary: "list the rules, or print the documentation of one",
	help: `Without an argument, lists every rule, one per line: its ID, name,
default severity and summary. The static rules (` + ruleSpan(rules.Static) + `) are the leak
shapes 'leakls check' and the language server find in source; the
snapshot-evidence rules (` + ruleSpan(rules.Snapshot) + `) are the holders 'leakls snapshot',
'leakls capture', 'leakls run' and the language server find in heap
snapshots.

With a rule ID (LK002, in any case) or name (listener-leak), prints that
rule's documentation page in Markdown: what it flags, why it leaks, how to
fix it and when it does not apply. The same pages are in docs/rules/ of the
repository.

Exit status: 0, or 2 for an unknown rule or a usage error.`,
	run: runRules,
}

func runRules(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	switch fs.NArg() {
	case 0:
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		for _, r := range rules.All() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Name, r.Severity, r.Summary)
		}
		tw.Flush()
		return exitClean
	case 1:
		r := rules.Lookup(fs.Arg(0))
		if r == nil {
			fmt.Fprintf(stderr, "leakls rules: unknown rule %q\nRun 'leakls rules' for the list of rules.\n", fs.Arg(0))
			return exitError
		}
		fmt.Fprint(stdout, strings.TrimRight(r.Page, "\n")+"\n")
		return exitClean
	}
	fmt.Fprintf(stderr, "leakls rules: want one rule ID or name, or none, got %d arguments\nRun 'leakls rules --help' for usage.\n", fs.NArg())
	return exitError
}

// ruleSpan names the rules of a kind for help texts: "LK000-LK009".
func ruleSpan(k rules.Kind) string {
	var ids []string
	for _, r := range rules.All() {
		if r.Kind == k {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) < 2 {
		return strings.Join(ids, "")
	}
	return ids[0] + "-" + ids[len(ids)-1]
}
