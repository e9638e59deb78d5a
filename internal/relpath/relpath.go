// Package relpath places file paths relative to a root folder: the one
// place that decides whether a path lies inside a folder (a file named
// "..x.js" does; "../x.js" does not) and how it is shown relative to it.
package relpath

import "path/filepath"

// Under returns path relative to root, slash-separated, and whether path
// is root itself (".") or lies inside it. Both are cleaned; they must be
// both absolute or both relative, as for filepath.Rel.
func Under(root, path string) (string, bool) {
	rel, err := filepath.Rel(root, path)
	if err != nil || !filepath.IsLocal(rel) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// Display returns path relative to root, slash-separated, when it lies
// inside root, and path unchanged otherwise.
func Display(root, path string) string {
	if rel, ok := Under(root, path); ok {
		return rel
	}
	return path
}
