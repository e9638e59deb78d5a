package capture

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// isTypeScript reports whether path names a TypeScript module.
func isTypeScript(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ts", ".mts", ".cts", ".tsx":
		return true
	}
	return false
}

// prepareTypeScript rewrites a command whose entry point is TypeScript
// ("src/server.ts ..." or "node [flags] src/server.ts ...") to run a
// bundle of it: esbuild writes the bundle and its source map into a new
// temporary directory, and the command becomes "node --enable-source-maps
// BUNDLE ...", so that stack traces and snapshot positions lead back to
// the .ts source. A relative entry is resolved in workDir ("": the
// current directory). It returns the command unchanged, and an empty
// directory, when the entry is not TypeScript. The caller removes dir.
func prepareTypeScript(command []string, workDir string) (out []string, dir string, err error) {
	entry := -1
	switch {
	case len(command) > 0 && isTypeScript(command[0]):
		entry = 0
	case len(command) > 1 && strings.TrimSuffix(filepath.Base(command[0]), ".exe") == "node":
		for i := 1; i < len(command); i++ {
			if !strings.HasPrefix(command[i], "-") {
				if isTypeScript(command[i]) {
					entry = i
				}
				break
			}
		}
	}
	if entry < 0 {
		return command, "", nil
	}
	src := command[entry]
	if workDir != "" && !filepath.IsAbs(src) {
		src = filepath.Join(workDir, src)
	}
	src, err = filepath.Abs(src)
	if err != nil {
		return nil, "", err
	}
	dir, err = os.MkdirTemp("", "leakls-bundle-")
	if err != nil {
		return nil, "", fmt.Errorf("make a directory for the bundle of %s: %w", command[entry], err)
	}
	bundle := filepath.Join(dir, strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))+".js")
	res := api.Build(api.BuildOptions{
		EntryPoints: []string{src},
		Outfile:     bundle,
		Bundle:      true,
		Platform:    api.PlatformNode,
		Format:      api.FormatCommonJS,
		Sourcemap:   api.SourceMapLinked,
		Write:       true,
		LogLevel:    api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		os.RemoveAll(dir)
		e := res.Errors[0]
		where := ""
		if e.Location != nil {
			where = fmt.Sprintf("%s:%d:%d: ", e.Location.File, e.Location.Line, e.Location.Column+1)
		}
		return nil, "", fmt.Errorf("bundle %s with esbuild: %s%s", command[entry], where, e.Text)
	}
	out = []string{"node", "--enable-source-maps"}
	if entry > 0 {
		out = append([]string{command[0], "--enable-source-maps"}, command[1:entry]...)
	}
	out = append(out, bundle)
	out = append(out, command[entry+1:]...)
	return out, dir, nil
}
