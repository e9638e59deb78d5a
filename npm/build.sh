#!/usr/bin/env bash
# build.sh PLATFORM OUTFILE: builds the leakls binary for one npm platform
# (linux-x64, linux-arm64, win32-x64, darwin-x64, darwin-arm64) into OUTFILE
# and checks it with `file`. This is the one way release binaries are built:
# npm/pack.sh, the release workflow and the VS Code extension's package call it.
#
# The binary needs cgo (tree-sitter). Linux binaries are linked statically
# (netgo and osusergo keep glibc's NSS out), so they run on any distribution
# whatever its glibc or musl; linux-arm64 is cross-compiled with Debian's
# gcc-aarch64-linux-gnu and win32-x64 with gcc-mingw-w64 (static too, no
# MinGW DLLs needed). macOS binaries are built on macOS with the system clang.
# CC overrides the C compiler.
set -euo pipefail
if (($# != 2)); then
  echo "usage: npm/build.sh PLATFORM OUTFILE (PLATFORM: linux-x64 linux-arm64 win32-x64 darwin-x64 darwin-arm64)" >&2
  exit 2
fi
platform=$1 out=$2
root=$(cd "$(dirname "$0")/.." && pwd)

static=(-tags netgo,osusergo)
extld='-static'
case $platform in
  linux-x64)    goos=linux   goarch=amd64 cc=${CC:-gcc}                    want='ELF 64-bit.*x86-64.*statically linked' ;;
  linux-arm64)  goos=linux   goarch=arm64 cc=${CC:-aarch64-linux-gnu-gcc}  want='ELF 64-bit.*ARM aarch64.*statically linked' ;;
  win32-x64)    goos=windows goarch=amd64 cc=${CC:-x86_64-w64-mingw32-gcc} want='PE32\+ executable.*x86-64' ;;
  darwin-x64)   goos=darwin  goarch=amd64 cc=${CC:-clang} want='Mach-O 64-bit.*x86_64' static=() extld='' ;;
  darwin-arm64) goos=darwin  goarch=arm64 cc=${CC:-clang} want='Mach-O 64-bit.*arm64' static=() extld='' ;;
  *) echo "npm/build.sh: unknown platform $platform (want linux-x64, linux-arm64, win32-x64, darwin-x64 or darwin-arm64)" >&2; exit 2 ;;
esac
if ! command -v "$cc" >/dev/null; then
  echo "npm/build.sh: the C compiler $cc for $platform is missing (Debian: apt-get install gcc-aarch64-linux-gnu for linux-arm64, gcc-mingw-w64-x86-64 for win32-x64; set CC to use another)" >&2
  exit 2
fi

ldflags='-s -w'
[[ -n $extld ]] && ldflags+=" -linkmode external -extldflags $extld"
mkdir -p "$(dirname "$out")"
(cd "$root" && CGO_ENABLED=1 GOOS=$goos GOARCH=$goarch CC=$cc \
  go build -trimpath "${static[@]}" -ldflags "$ldflags" -o "$out" ./cmd/leakls)

desc=$(file -b "$out")
if ! grep -Eq "$want" <<<"$desc"; then
  echo "npm/build.sh: $out is not a $platform binary: $desc" >&2
  exit 1
fi
if [[ $goos == linux ]] && objdump -T "$out" 2>/dev/null | grep -q GLIBC_; then
  echo "npm/build.sh: $out links glibc dynamically; it must be static" >&2
  exit 1
fi
echo "$platform: $out: $desc"
