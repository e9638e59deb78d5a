package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/leakls/leakls/config"
	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/report"
	"github.com/leakls/leakls/staticcheck"
)

var checkCommand = &command{
	name:    "check",
	usage:   "[flags] PATH...",
	summary: "find leak shapes in JavaScript and TypeScript files",
	help: `Checks JavaScript and TypeScript files for the leak shapes of Node.js
programs (rules ` + ruleSpan(rules.Static) + `; 'leakls rules' lists them) and prints one
finding per line:

    path:line:column: LK002 message

with a 1-based line and a 1-based column counted in bytes.

Each PATH is a file, a directory (walked recursively), or a Go-style pattern
"dir/..." (the same as dir). Directory walks skip node_modules (unless
--include-node-modules), hidden directories, TypeScript declaration files,
files ignored by .gitignore files (of every directory down from the git
repository root), binary files, and files over --max-file-size, with a note
on stderr for each skipped file. Files named explicitly are checked even
where a walk would skip them (node_modules, .gitignore); binary files,
files over --max-file-size and files that leakls.json ignores are skipped
wherever they come from.

The module graph of the files (resolved like Node and TypeScript would,
with esbuild) gives cross-file facts: an exported Map evicted in another
module is not reported. Workspace files the checked files import are
analysed for those facts but not reported on.

The configuration is leakls.json, looked up from each PATH upward unless
--config names one (see docs/config.md). Lines can be silenced with
"// leakls-ignore LK002 reason" on the line or the line above.

Results are cached by content in the user cache directory; a run over
unchanged files reuses them (--no-cache disables this).

Exit status: 0 nothing found, 1 findings, 2 usage, configuration or I/O
errors (findings are still printed for the files that could be read).`,
	run: runCheck,
}

// checkFlags are the parsed flags of check.
type checkFlags struct {
	format             string
	output             string
	configPath         string
	rules              string
	includeNodeModules bool
	maxFileSize        int64
	noCache            bool
}

func runCheck(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
	var f checkFlags
	fs.StringVar(&f.format, "format", "text", "output `format`: text, json or sarif")
	fs.StringVar(&f.output, "o", "", "write the report to `file` instead of stdout")
	fs.StringVar(&f.configPath, "config", "", "use this leakls.json `file` instead of looking for one")
	fs.StringVar(&f.rules, "rules", "", "run only these comma-separated rule `IDs` (e.g. LK001,LK002); default all")
	fs.BoolVar(&f.includeNodeModules, "include-node-modules", false, "walk into node_modules directories too")
	fs.Int64Var(&f.maxFileSize, "max-file-size", staticcheck.MaxFileSize, "skip files larger than this many `bytes`")
	fs.BoolVar(&f.noCache, "no-cache", false, "neither read nor write the result cache")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "leakls check: "+format+"\n", a...)
		fmt.Fprintln(stderr, "Run 'leakls check --help' for usage.")
		return exitError
	}
	if fs.NArg() == 0 {
		return usage("no PATH given; try 'leakls check .'")
	}
	format, err := report.ParseFormat(f.format)
	if err != nil {
		return usage("--format: %v", err)
	}
	rules, err := selectRules(f.rules)
	if err != nil {
		return usage("--rules: %v", err)
	}
	if f.maxFileSize <= 0 {
		return usage("--max-file-size must be positive, got %d", f.maxFileSize)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	files, configs, code := selectFiles(f, fs.Args(), stderr)
	if len(files) == 0 {
		return code
	}
	findings, err := analyse(ctx, files, rules, f.noCache, stderr)
	if err == nil {
		findings = applyConfigs(findings, files, configs)
		err = writeCheckReport(f.output, stdout, format, findings, files)
	}
	if err != nil {
		fmt.Fprintf(stderr, "leakls check: %v\n", err)
		return exitError
	}
	if code == exitClean && len(findings) > 0 {
		code = exitFindings
	}
	return code
}

// selectFiles walks the arguments of check and finds the configuration of
// each file (by absolute path), leaving out the files it ignores. Notes
// and errors go to stderr; code is exitError after an error, and when no
// file is left.
func selectFiles(f checkFlags, args []string, stderr io.Writer) (files []sourceFile, configs map[string]*config.Config, code int) {
	code = exitClean
	fail := func(err error) {
		fmt.Fprintf(stderr, "leakls check: %v\n", err)
		code = exitError
	}
	w := newWalker(walkOptions{includeNodeModules: f.includeNodeModules, maxFileSize: f.maxFileSize})
	configs = make(map[string]*config.Config)
	var explicit *config.Config
	var err error
	if f.configPath != "" {
		if explicit, err = config.Load(f.configPath); err != nil {
			fail(err)
			return nil, nil, code
		}
	}
	for _, arg := range args {
		before := len(w.files)
		w.add(arg)
		cfg := explicit
		if cfg == nil {
			if cfg, err = findConfig(arg); err != nil {
				fail(err)
				return nil, nil, code
			}
		}
		kept := w.files[:before]
		for _, sf := range w.files[before:] {
			if cfg.Ignored(sf.display) {
				if !isDirArg(arg) {
					w.notes = append(w.notes, fmt.Sprintf("%s: skipped: ignored by %s", sf.display, cfg.Path))
				}
				continue
			}
			configs[sf.abs] = cfg
			kept = append(kept, sf)
		}
		w.files = kept
	}
	for _, n := range w.notes {
		fmt.Fprintf(stderr, "leakls check: note: %s\n", n)
	}
	for _, err := range w.errs {
		fail(err)
	}
	if len(w.files) == 0 && code == exitClean {
		fail(errors.New("no JavaScript or TypeScript files to check"))
	}
	for _, sf := range w.files {
		if !utf8.Valid(sf.src) {
			fmt.Fprintf(stderr, "leakls check: note: %s: not valid UTF-8; checked byte by byte\n", sf.display)
		}
	}
	return w.files, configs, code
}

// writeCheckReport writes the findings of files in format to the file at
// path, or to stdout when path is "".
func writeCheckReport(path string, stdout io.Writer, format report.Format, findings []finding.Finding, files []sourceFile) error {
	out := stdout
	if path != "" {
		file, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("-o: %w", err)
		}
		defer file.Close()
		out = file
	}
	sources := make(map[string][]byte, len(files))
	for _, sf := range files {
		sources[sf.display] = sf.src
	}
	cwd, _ := os.Getwd()
	err := report.Write(out, format, findings, report.Options{
		Base:        cwd,
		Source:      func(p string) ([]byte, bool) { src, ok := sources[p]; return src, ok },
		ToolVersion: version(),
	})
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if path != "" {
		if err := out.(*os.File).Close(); err != nil {
			return fmt.Errorf("-o: %w", err)
		}
	}
	return nil
}

// isDirArg reports whether a check argument names a directory or pattern.
func isDirArg(arg string) bool {
	if strings.HasSuffix(arg, "...") {
		return true
	}
	info, err := os.Stat(arg)
	return err == nil && info.IsDir()
}

// findConfig finds the leakls.json that governs arg.
func findConfig(arg string) (*config.Config, error) {
	dir := strings.TrimSuffix(arg, "...")
	if dir == "" {
		dir = "."
	}
	if !isDirArg(arg) {
		dir = filepath.Dir(dir)
	}
	return config.Find(dir)
}

// selectRules parses --rules. Empty means every rule.
func selectRules(list string) ([]*staticcheck.Rule, error) {
	if strings.TrimSpace(list) == "" {
		return staticcheck.Rules(), nil
	}
	var rules []*staticcheck.Rule
	for _, id := range strings.Split(list, ",") {
		id = strings.TrimSpace(id)
		r := staticcheck.Lookup(id)
		if r == nil {
			var ids []string
			for _, r := range staticcheck.Rules() {
				ids = append(ids, r.ID)
			}
			return nil, fmt.Errorf("unknown rule %q (known rules: %s)", id, strings.Join(ids, ", "))
		}
		if !slices.Contains(rules, r) {
			rules = append(rules, r)
		}
	}
	return rules, nil
}

// applyConfigs applies to each finding the configuration of its file.
func applyConfigs(fs []finding.Finding, files []sourceFile, configs map[string]*config.Config) []finding.Finding {
	byDisplay := make(map[string]*config.Config, len(files))
	for _, sf := range files {
		byDisplay[sf.display] = configs[sf.abs]
	}
	groups := make(map[*config.Config][]finding.Finding)
	var order []*config.Config
	for _, f := range fs {
		c := byDisplay[f.File]
		if _, ok := groups[c]; !ok {
			order = append(order, c)
		}
		groups[c] = append(groups[c], f)
	}
	var out []finding.Finding
	for _, c := range order {
		out = append(out, c.Apply(groups[c])...)
	}
	finding.Sort(out)
	return out
}
