#!/usr/bin/env bash
# pack.sh OUTDIR [PLATFORM...]: writes into OUTDIR the npm tarballs of
# leakls and of the platform packages (@leakls/PLATFORM) whose binaries it
# builds with npm/build.sh.
#
# Without PLATFORM, it builds every platform this machine can build:
# linux-x64 natively, linux-arm64 when Debian's gcc-aarch64-linux-gnu is
# installed, win32-x64 when gcc-mingw-w64-x86-64 is, and on macOS both
# darwin platforms; it says which it left out. A PLATFORM named on the
# command line that cannot be built is an error. LEAKLS_NPM_VERSION sets the
# version of every package (the release workflow passes the tag's);
# otherwise they keep npm/leakls/package.json's.
set -euo pipefail
if (($# < 1)); then
  echo "usage: npm/pack.sh OUTDIR [PLATFORM...]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
shift

cc_of() {
  case $1 in
    linux-x64) [[ $(uname -s)-$(uname -m) == Linux-x86_64 ]] && echo "${CC:-gcc}" ;;
    linux-arm64) echo aarch64-linux-gnu-gcc ;;
    win32-x64) echo x86_64-w64-mingw32-gcc ;;
    darwin-*) [[ $(uname -s) == Darwin ]] && echo clang ;;
  esac
  return 0
}

platforms=("$@")
if ((${#platforms[@]} == 0)); then
  for p in linux-x64 linux-arm64 win32-x64 darwin-x64 darwin-arm64; do
    cc=$(cc_of "$p")
    if [[ -n $cc ]] && command -v "$cc" >/dev/null; then
      platforms+=("$p")
    else
      case $p in
        darwin-*) echo "pack.sh: leaving out $p: it is built on macOS (.github/workflows/release.yml)" >&2 ;;
        *) echo "pack.sh: leaving out $p: ${cc:-its C compiler} is not on this machine (see npm/build.sh)" >&2 ;;
      esac
    fi
  done
fi

version=${LEAKLS_NPM_VERSION:-$(node -p "require('$here/leakls/package.json').version")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# stage DIR: copies the package in DIR to $work and sets its version and
# that of its optional dependencies to $version.
stage() {
  local dst="$work/$(basename "$1")"
  cp -R "$1" "$dst"
  node -e '
    const fs = require("fs");
    const [file, version] = process.argv.slice(1);
    const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
    pkg.version = version;
    for (const name of Object.keys(pkg.optionalDependencies || {})) pkg.optionalDependencies[name] = version;
    fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
  ' "$dst/package.json" "$version"
  echo "$dst"
}

for p in "${platforms[@]}"; do
  [[ -d $here/platforms/$p ]] || { echo "pack.sh: unknown platform $p" >&2; exit 2; }
  dir=$(stage "$here/platforms/$p")
  exe=leakls
  [[ $p == win32-* ]] && exe=leakls.exe
  "$here/build.sh" "$p" "$dir/bin/$exe"
  (cd "$dir" && npm pack --silent --pack-destination "$out" >/dev/null)
done
dir=$(stage "$here/leakls")
(cd "$dir" && npm pack --silent --pack-destination "$out" >/dev/null)
ls -l "$out"/*.tgz
