#!/usr/bin/env bash
# On-demand recall benchmark for `leakls check` on real memory-leak fixes
# from published npm packages. Not part of `go test`.
#
# Usage (from the repository root):  bench/recall/run.sh [CASE_ID...]
# Needs: go, node, npm (registry access). Work dir: $RECALL_WORK or a temp dir.
# RECALL_TOOL=eslint scores ESLint 9 + eslint-plugin-listeners (with the
# typescript-eslint parser for .ts files) on the same cases instead, for
# comparison; its outputs go to $WORK/out-eslint.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/recall"
WORK=${RECALL_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/leakls-recall.XXXXXX")}
TOOL=${RECALL_TOOL:-leakls}
OUT="$WORK/out"
[ "$TOOL" = leakls ] || OUT="$WORK/out-$TOOL"
mkdir -p "$WORK/pkgs" "$OUT"
start=$(date +%s)

echo "work dir: $WORK" >&2
case "$TOOL" in
leakls)
  (cd "$ROOT" && go build -o "$WORK/leakls" ./cmd/leakls)
  ;;
eslint)
  ESL="$WORK/eslint"
  if [ ! -d "$ESL/node_modules/eslint-plugin-listeners" ]; then
    mkdir -p "$ESL"
    (cd "$ESL" && npm init -y >/dev/null && npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
      eslint@9 eslint-plugin-listeners@1 @typescript-eslint/parser@8 typescript@5 >/dev/null)
  fi
  # The plugin's three rules, as in bench/eslint-compare.sh; JavaScript as
  # CommonJS scripts or as modules (two runs, see eslint-findings.js).
  for kind in commonjs module; do
    cat > "$ESL/$kind.config.cjs" <<CFG
const listeners = require('eslint-plugin-listeners');
const tsParser = require('@typescript-eslint/parser');
const rules = {
  'listeners/no-missing-remove-event-listener': 'error',
  'listeners/matching-remove-event-listener': 'error',
  'listeners/no-inline-function-event-listener': 'error',
};
module.exports = [
  { files: ['**/*.js', '**/*.cjs', '**/*.mjs', '**/*.jsx'], plugins: { listeners }, rules,
    languageOptions: { sourceType: '$kind', ecmaVersion: 'latest' } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
  { files: ['**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx'], plugins: { listeners }, rules,
    languageOptions: { parser: tsParser } },
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
];
CFG
  done
  ;;
*)
  echo "RECALL_TOOL must be leakls or eslint, not $TOOL" >&2
  exit 2
  ;;
esac

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
  out="$OUT/$key.$(echo "$dir" | tr '/.' '__').json"
  # exit status 1 means "findings", which is expected; 2 is a real error
  if [ "$TOOL" = leakls ]; then
    (cd "$dest/package" && "$WORK/leakls" check --no-cache --format json -o "$out" "$dir") 2>"$out.stderr" || {
      rc=$?; if [ $rc -ne 1 ]; then echo "leakls exit $rc on $pkg@$ver $dir (see $out.stderr)" >&2; fi; }
  else
    for kind in commonjs module; do
      (cd "$dest/package" && "$ESL/node_modules/.bin/eslint" --no-config-lookup -c "$ESL/$kind.config.cjs" \
        --no-warn-ignored --format json -o "$out.$kind" "$dir") 2>"$out.stderr" || {
        rc=$?; if [ $rc -ne 1 ]; then echo "eslint exit $rc on $pkg@$ver $dir (see $out.stderr)" >&2; fi; }
    done
    node "$HERE/eslint-findings.js" "$dest/package" "$out.commonjs" "$out.module" > "$out"
  fi
done < "$WORK/targets.txt"

node "$HERE/evaluate.js" "$HERE/cases.json" "$WORK" "$OUT" "$@"
echo "elapsed: $(( $(date +%s) - start ))s" >&2
