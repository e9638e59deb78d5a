package srcloc

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// pkgInfo is the identity of an npm package.
type pkgInfo struct{ name, version string }

const nodeModules = "node_modules"

// inNodeModules reports whether path has a node_modules directory among
// its elements.
func inNodeModules(path string) bool {
	_, _, ok := packageDir(path)
	return ok
}

// packageDir returns the directory of the package that holds path, and the
// package name as the path spells it ("lru-cache", "@scope/name"): the
// elements after the last node_modules (a dependency's own dependency is
// its own package).
func packageDir(path string) (dir, name string, ok bool) {
	if !strings.Contains(path, nodeModules) {
		return "", "", false
	}
	elems := strings.Split(filepath.ToSlash(path), "/")
	for i := len(elems) - 2; i >= 0; i-- {
		if elems[i] != nodeModules {
			continue
		}
		n := 1
		if strings.HasPrefix(elems[i+1], "@") && i+2 < len(elems)-1 {
			n = 2 // a scoped package: @scope/name
		}
		name = strings.Join(elems[i+1:i+1+n], "/")
		dir = filepath.FromSlash(strings.Join(elems[:i+1+n], "/"))
		return dir, name, true
	}
	return "", "", false
}

// pkg returns the package of a file under node_modules: name and version
// from its package.json, or the name from the path when that is missing.
func (r *Resolver) pkg(path string) pkgInfo {
	dir, name, ok := packageDir(path)
	if !ok {
		return pkgInfo{}
	}
	info, _ := cached(r, r.pkgs, dir, func() (pkgInfo, error) {
		info := pkgInfo{name: name}
		b, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if err != nil {
			return info, nil
		}
		var manifest struct{ Name, Version string }
		if json.Unmarshal(b, &manifest) == nil && manifest.Name != "" {
			info = pkgInfo{name: manifest.Name, version: manifest.Version}
		}
		return info, nil
	})
	return info
}
