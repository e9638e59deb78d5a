package modgraph

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/leakls/leakls/finding"
)

// sourceExts are the file extensions Load treats as JavaScript or TypeScript
// modules.
var sourceExts = map[string]bool{
	".js": true, ".mjs": true, ".cjs": true, ".jsx": true,
	".ts": true, ".mts": true, ".cts": true, ".tsx": true,
}

// isSource reports whether path names a JavaScript or TypeScript module.
// Declaration files (.d.ts, .d.mts, .d.cts) hold no runtime code and are not
// modules of the runtime graph.
func isSource(path string) bool {
	ext := filepath.Ext(path)
	if !sourceExts[ext] {
		return false
	}
	switch ext {
	case ".ts", ".mts", ".cts":
		return !strings.HasSuffix(strings.TrimSuffix(path, ext), ".d")
	}
	return true
}

// skipDir reports whether the walk should not descend into the directory
// called name: installed packages and hidden directories (.git, .cache, …).
func skipDir(name string) bool {
	return name == "node_modules" || (len(name) > 1 && name[0] == '.')
}

// walk returns the source files under root, in lexical order. Directories it
// cannot read are skipped and reported as notes.
func walk(ctx context.Context, root string) ([]string, []Note, error) {
	var files []string
	var notes []Note
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if err != nil {
			if path == root {
				return err
			}
			notes = append(notes, Note{File: path, Pos: finding.Pos{Offset: -1}, Text: "skipped: " + err.Error()})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != root && skipDir(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && isSource(path) {
			files = append(files, path)
		}
		return nil
	})
	return files, notes, err
}
