package staticcheck

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/scope"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// File is one source file to check.
type File struct {
	// Path names the file in findings and decides its grammar (Language).
	Path string
	// Src is the file's text. Check does not modify it.
	Src []byte
	// Parser, when set, parses Src incrementally from the version of the
	// file it parsed before (an editor's open document); the trees are
	// those of a full parse. Check uses it when its language is the
	// file's.
	Parser *syntax.Reparser
}

// Options configure Check.
type Options struct {
	// Rules to run; nil runs all of Rules(). Suppression problems (LK000)
	// are reported only when Suppression is among them.
	Rules []*Rule
}

// realPath returns the absolute, symlink-free form of path (as the module
// graph names files), or the cleaned path when that fails.
func realPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}

// Check parses and analyses files together (facts cross files: an emitter
// exported by one file and cleaned up in another), applies
// `// leakls-ignore` suppressions, and returns the findings sorted by file,
// position and rule.
//
// Files are parsed in parallel. Syntax errors do not stop the analysis:
// the valid parts of a file are checked. Check fails only for a file
// whose extension is not JavaScript or TypeScript, a file larger than
// syntax.MaxFileSize (syntax.ErrTooLarge), a file on which the parser's
// error recovery runs away (syntax.ErrTooComplex), a cancelled ctx, or an
// internal error of a rule; file errors name the file. It is safe for
// concurrent use. Relative import specifiers are resolved among files as
// Node and TypeScript would; Checker resolves them with the module graph.
func Check(ctx context.Context, files []File, opts Options) ([]finding.Finding, error) {
	units, err := parseFiles(ctx, files)
	if err != nil {
		return nil, err
	}
	return checkProgram(ctx, newProgram(units, nil), units, opts.Rules)
}

// Check runs opts.Rules (nil: every rule) on every unit of a program that
// Load returned, as Check does on the files it parses.
func (p *Program) Check(ctx context.Context, opts Options) ([]finding.Finding, error) {
	return checkProgram(ctx, p, p.Units, opts.Rules)
}

// Load parses files in parallel, builds their scope models and indexes the
// cross-file facts. resolve may be nil: relative specifiers are then
// resolved among files, the way Node and TypeScript would.
func Load(ctx context.Context, files []File, resolve func(importer, specifier string) (string, bool)) (*Program, error) {
	units, err := parseFiles(ctx, files)
	if err != nil {
		return nil, err
	}
	return newProgram(units, resolve), nil
}

// parseFiles parses files in parallel (see parseFile) and fails with the
// first file's error.
func parseFiles(ctx context.Context, files []File) ([]*Unit, error) {
	units, errs := parseEach(ctx, files, parseFile)
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return units, nil
}

// parseEach parses files in parallel with parse; errs[i] says why files[i]
// could not be parsed.
func parseEach(ctx context.Context, files []File, parse func(context.Context, File) (*Unit, error)) (units []*Unit, errs []error) {
	units, errs = make([]*Unit, len(files)), make([]error, len(files))
	inParallel(ctx, len(files), func(_ context.Context, i int) error {
		units[i], errs[i] = parse(ctx, files[i])
		return nil
	})
	return units, errs
}

// inParallel calls f for 0 ≤ i < n, GOMAXPROCS calls at a time, and
// returns the first error; the ctx f receives is cancelled by that error.
func inParallel(ctx context.Context, n int, f func(ctx context.Context, i int) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range n {
		g.Go(func() error { return f(gctx, i) })
	}
	return g.Wait()
}

// parseFile parses one file and builds its scope model. It fails as Check
// does for a file: an extension that is not JavaScript or TypeScript,
// syntax.ErrTooLarge, syntax.ErrTooComplex (errors name the file), or a
// cancelled ctx. It is safe for concurrent use.
func parseFile(ctx context.Context, f File) (*Unit, error) {
	lang, ok := syntax.LangOf(f.Path)
	if !ok {
		return nil, fmt.Errorf("%s: not a JavaScript or TypeScript file (want .js .mjs .cjs .jsx .ts .mts .cts or .tsx)", f.Path)
	}
	var t *syntax.Tree
	var err error
	if f.Parser != nil && f.Parser.Lang() == lang {
		t, err = f.Parser.Parse(ctx, f.Src)
	} else {
		t, err = syntax.Parse(ctx, lang, f.Src)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	return &Unit{Path: f.Path, Tree: t, Scope: scope.Build(t, f.Path)}, nil
}

// runRules runs rules on one unit and applies its suppressions; a
// cancelled ctx stops it between rules with ctx's error. A rule
// that panics (a bug in leakls, never an input problem) is reported as an
// error naming the rule and the file instead of bringing the process down.
func runRules(ctx context.Context, prog *Program, u *Unit, rules []*Rule) (fs []finding.Finding, err error) {
	for _, r := range rules {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if r == Suppression {
			continue // reported by applySuppressions
		}
		p := &Pass{Rule: r, Unit: u, Program: prog, report: func(f finding.Finding) { fs = append(fs, f) }}
		if err := runRule(r, p); err != nil {
			return nil, err
		}
	}
	return applySuppressions(u, fs, rules, containsRule(rules, Suppression)), nil
}

func runRule(r *Rule, p *Pass) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%s: internal error in rule %s (please report this with the file): %v", p.Path, r.ID, v)
		}
	}()
	r.Run(p)
	return nil
}

func containsRule(rules []*Rule, r *Rule) bool {
	for _, x := range rules {
		if x == r {
			return true
		}
	}
	return false
}

// Pass is what a rule's Run receives: one file, its syntax tree and scope
// model, the whole program for cross-file facts, and Report.
type Pass struct {
	Rule *Rule
	// Unit is the file being analysed (Path, Tree, Scope).
	*Unit
	// Program holds every file checked together, for cross-file facts.
	Program *Program

	report func(finding.Finding)
}

// Report records a finding. Rule and File are filled in; a zero
// (warning) Severity becomes the rule's default severity.
func (p *Pass) Report(f finding.Finding) {
	f.Rule = p.Rule.ID
	f.File = p.Path
	if f.Severity == finding.SeverityWarning {
		f.Severity = p.Rule.Severity
	}
	p.report(f)
}

// ReportNode reports a finding on node n with the message and alternative
// fixes.
func (p *Pass) ReportNode(n syntax.Node, message string, fixes ...finding.Fix) {
	p.Report(finding.Finding{Range: p.Tree.Range(n), Message: message, Fixes: fixes})
}

// Related returns related information at node n of the file (for a Pass,
// the pass's file).
func (u *Unit) Related(n syntax.Node, message string) finding.Related {
	return finding.Related{Location: finding.Location{File: u.Path, Range: u.Tree.Range(n)}, Message: message}
}
