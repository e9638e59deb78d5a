#!/usr/bin/env bash
# On-demand recall benchmark for `leakls check` on real memory-leak fixes
# from published npm packages. Not part of `go test`.
#
# Usage (from the repository root):  bench/recall/run.sh [CASE_ID...]
# Needs: go, node, npm (registry access). Work dir: $RECALL_WORK or a temp dir.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/recall"
WORK=${RECALL_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/leakls-recall.XXXXXX")}
mkdir -p "$WORK/pkgs" "$WORK/out"
start=$(date +%s)

echo "work dir: $WORK" >&2
(cd "$ROOT" && go build -o "$WORK/leakls" ./cmd/leakls)

# The list of (package, version, dir) to fetch and check.
node -e '
const cases = require(process.argv[1]);
const want = process.argv.slice(2);
const seen = new Set();
for (const c of cases) {
  if (want.length && !want.includes(c.id)) continue;
  for (const v of [c.before, c.fixed]) {
    const k = c.package + "@" + v + " " + c.dir;
    if (!seen.has(k)) { seen.add(k); console.log(c.package, v, c.dir); }
  }
}' "$HERE/cases.json" "$@" > "$WORK/targets.txt"

while read -r pkg ver dir; do
  key=$(echo "$pkg@$ver" | tr '/' '_')
  dest="$WORK/pkgs/$key"
  if [ ! -d "$dest/package" ]; then
    mkdir -p "$dest"
    tgz=$(cd "$dest" && npm pack "$pkg@$ver" --silent 2>/dev/null | tail -1)
    tar xzf "$dest/$tgz" -C "$dest"
    rm -f "$dest/$tgz"
    # npm tarballs normally unpack to package/; a few old ones use another name
    if [ ! -d "$dest/package" ]; then
      top=$(find "$dest" -mindepth 1 -maxdepth 1 -type d | head -1)
      mv "$top" "$dest/package"
    fi
  fi
  out="$WORK/out/$key.$(echo "$dir" | tr '/.' '__').json"
  # exit status 1 means "findings", which is expected; 2 is a real error
  (cd "$dest/package" && "$WORK/leakls" check --no-cache --format json -o "$out" "$dir") 2>"$out.stderr" || {
    rc=$?; if [ $rc -ne 1 ]; then echo "leakls exit $rc on $pkg@$ver $dir (see $out.stderr)" >&2; fi; }
done < "$WORK/targets.txt"

node "$HERE/evaluate.js" "$HERE/cases.json" "$WORK" "$@"
echo "elapsed: $(( $(date +%s) - start ))s" >&2
