#!/usr/bin/env bash
# On-demand benchmark: does `leakls run` name the line a maintainer changed
# to fix a real, published memory leak? Each case runs a small program
# against the package's leaking and fixed versions from npm. Not part of
# `go test`.
#
# Usage (from anywhere):  bench/heap-recall/run.sh [CASE_ID...]
# Needs: go (unless LEAKLS is set), node, npm (registry access).
#   HEAP_RECALL_WORK  work dir (installs, outputs); default: a new temp dir
#   LEAKLS            the leakls binary to measure; default: built from ./cmd/leakls
#   HEAP_RECALL_RUNS  runs of each case and version (default 1; 3 to see stability)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/heap-recall"
WORK=${HEAP_RECALL_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/leakls-heap-recall.XXXXXX")}
RUNS=${HEAP_RECALL_RUNS:-1}
OUT="$WORK/out"
mkdir -p "$WORK/inst" "$OUT"
start=$(date +%s)
echo "work dir: $WORK" >&2

if [ -z "${LEAKLS:-}" ]; then
  (cd "$ROOT" && go build -o "$WORK/leakls" ./cmd/leakls)
  LEAKLS="$WORK/leakls"
fi

# One line per case and version: id side package version iterations flags install...
node "$HERE/cases.js" list "$@" > "$WORK/targets.txt"

while read -r id side pkg ver iterations flags extra; do
  args=()
  [ "$flags" = - ] || IFS=, read -ra args <<< "$flags"
  inst="$WORK/inst/$(echo "$pkg@$ver" | tr '/' '_')"
  missing=
  # shellcheck disable=SC2086 # $extra is a list of package@version
  for spec in "$pkg@$ver" $extra; do
    [ -d "$inst/node_modules/${spec%@*}" ] || missing=yes
  done
  if [ -n "$missing" ]; then
    echo "installing $pkg@$ver $extra" >&2
    mkdir -p "$inst"
    echo '{"private":true}' > "$inst/package.json"
    # shellcheck disable=SC2086 # $extra is a list of package@version
    (cd "$inst" && npm install --no-audit --no-fund --ignore-scripts --no-package-lock --save-exact \
      --loglevel=error "$pkg@$ver" $extra </dev/null >/dev/null)
  fi
  cp "$HERE/serve.js" "$inst/serve.js"
  cp "$HERE/cases/$id/program.js" "$inst/$id.js"
  for run in $(seq 1 "$RUNS"); do
    out="$OUT/$id.$side.$run.json"
    # exit status 1 means "leak found"; 2 is a real error. stdin is not
    # the list of targets: the loop reads that.
    (cd "$inst" && "$LEAKLS" run --quiet --format json --iterations "$iterations" "${args[@]}" \
      --scenario "$HERE/scenario.mjs" -- node "$id.js") </dev/null >"$out" 2>"$out.stderr" || {
      rc=$?; if [ $rc -ne 1 ]; then echo "leakls exit $rc on $id $side run $run (see $out.stderr)" >&2; fi; }
  done
done < "$WORK/targets.txt"

node "$HERE/evaluate.js" "$WORK" "$RUNS" "$@"
echo "elapsed: $(( $(date +%s) - start ))s" >&2
