// Package modgraph builds the module graph of a JavaScript/TypeScript
// workspace: which file imports which, resolved exactly as Node.js and
// TypeScript would resolve them (tsconfig "paths" and "baseUrl", package
// "exports", extensionless and directory imports, CommonJS require).
//
// Parsing and resolution are esbuild's (github.com/evanw/esbuild/pkg/api):
// Load runs in-memory bundle builds with every workspace file as an entry
// point, one to list each file's imports and one to resolve them, read from
// the build's metafile. A caller that has parsed the files already lists
// their imports itself (Options.Scan; TreeImports for tree-sitter trees),
// and only the resolution is left to esbuild. Files inside node_modules
// and Node built-ins are never parsed: they are recorded as external edges
// with their package name. Packages that live inside the workspace
// (npm/yarn/pnpm workspaces linked into node_modules, tsconfig path
// aliases) resolve to their source files and are part of the graph.
//
// The graph is the runtime graph: TypeScript imports that only bring in types
// (or are never used) are erased by the compiler and therefore have no edge.
// Imports whose specifier is not a string literal (require(name),
// import(`./locale/${lang}.js`)) have no edge either.
//
// A file with a syntax error, or an import that cannot be resolved, does not
// lose the rest of the graph: the problem is kept as a Note on the file.
//
// A Graph is immutable once loaded and safe for concurrent use. To follow
// edits, call Load again (see Load for its cost).
package modgraph

import (
	"slices"
	"sort"

	"github.com/leakls/leakls/finding"
)

// ImportKind is the syntactic form of an import.
type ImportKind uint8

// Import kinds. esbuild's resolver reports the form of every import record;
// it does not tell "export … from" apart from "import … from", so both are
// ESMImport. require.resolve("…") names a module without loading it and is
// not an edge of the runtime graph.
const (
	// ESMImport is a static "import … from", "import '…'" or "export … from".
	ESMImport ImportKind = iota + 1
	// Require is a CommonJS require("…") call with a string literal.
	Require
	// DynamicImport is an import("…") expression with a string literal.
	DynamicImport
)

// String returns the kind's name as used in messages and JSON.
func (k ImportKind) String() string {
	switch k {
	case ESMImport:
		return "import"
	case Require:
		return "require"
	case DynamicImport:
		return "dynamic-import"
	}
	return "unknown"
}

// Import is one import edge out of a file.
type Import struct {
	// Specifier is the module specifier as written in the source.
	Specifier string
	// Path is the absolute path of the file the specifier resolved to, or ""
	// when the import is external or unresolved. Imports of non-source files
	// inside the workspace (JSON, CSS, native addons) have a Path too, but
	// those files are not in Files.
	Path string
	// Kind is the syntactic form of the import.
	Kind ImportKind
	// External reports an import of a package outside the workspace (found
	// in node_modules) or of a Node built-in.
	External bool
	// Builtin reports an import of a Node built-in module ("fs",
	// "node:events"); External is then also true.
	Builtin bool
	// Package is the package the specifier names: "lodash" for
	// "lodash/fp", "@scope/pkg" for a workspace package, "events" for
	// "node:events". It is "" for relative and absolute specifiers and for
	// path aliases that do not point into a package.
	Package string
	// Unresolved reports a specifier that could not be resolved (a missing
	// file, a package that is not installed); a Note on the importing file
	// says why.
	Unresolved bool
}

// Note is a problem met while building the graph: a syntax error, an import
// that could not be resolved. Line and Col of Pos are 0-based (Col in
// bytes) and both 0 when no position is known; Offset is -1 unless
// Options.Scan gave the position.
type Note struct {
	File string
	Pos  finding.Pos
	Text string
}

// Graph is the module graph of a workspace. Files are identified by their
// absolute, symlink-free paths.
type Graph struct {
	root      string
	files     []string            // sorted
	imports   map[string][]Import // importer → edges, in source order
	importers map[string][]string // target path → sorted importers
	notes     map[string][]Note   // file → notes
}

// Root returns the absolute, symlink-free workspace root the graph was loaded
// from.
func (g *Graph) Root() string { return g.root }

// Files returns the absolute paths of the workspace's JavaScript and
// TypeScript files, sorted: the files Load was given or found, and the
// workspace files they import. The caller may modify the returned slice.
func (g *Graph) Files() []string { return slices.Clone(g.files) }

// Has reports whether file is one of Files.
func (g *Graph) Has(file string) bool {
	_, ok := slices.BinarySearch(g.files, file)
	return ok
}

// Imports returns the import edges of file in source order, one per distinct
// specifier and kind. The caller may modify the returned slice.
func (g *Graph) Imports(file string) []Import { return slices.Clone(g.imports[file]) }

// Importers returns the files that import file (by any kind of import),
// sorted. The caller may modify the returned slice.
func (g *Graph) Importers(file string) []string { return slices.Clone(g.importers[file]) }

// Resolve returns the file that specifier resolves to when imported from
// importer, as recorded in the graph. It reports false when importer has no
// such import or when the import is external or unresolved.
func (g *Graph) Resolve(importer, specifier string) (string, bool) {
	for _, imp := range g.imports[importer] {
		if imp.Specifier == specifier && imp.Path != "" {
			return imp.Path, true
		}
	}
	return "", false
}

// Notes returns the problems met in file (syntax errors, unresolved
// imports). The caller may modify the returned slice.
func (g *Graph) Notes(file string) []Note { return slices.Clone(g.notes[file]) }

// AllNotes returns every note of the graph, ordered by file and position.
func (g *Graph) AllNotes() []Note {
	var all []Note
	for _, ns := range g.notes {
		all = append(all, ns...)
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Col < b.Pos.Col
	})
	return all
}
