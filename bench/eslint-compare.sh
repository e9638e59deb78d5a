#!/usr/bin/env bash
# Compares leakls check with ESLint 9 + eslint-plugin-listeners (the closest
# existing linter for leak shapes) on the same large real-world tree: the
# JavaScript sources of popular npm packages.
#
# Usage: bench/eslint-compare.sh [WORKDIR]
#
# It npm-installs into WORKDIR (default: a new temporary directory) ESLint 9,
# eslint-plugin-listeners and the corpus packages, copies the corpus's
# .js/.mjs/.cjs files (no declaration or TypeScript files, no hidden
# directories, nothing over leakls's default 2 MiB size limit) into
# WORKDIR/corpus so that both tools see exactly the same files, then runs
# under /usr/bin/time -v:
#   - ESLint, cold and with --cache warm,
#   - leakls check, cold (empty cache) and warm (second run, unchanged files),
# and prints files/s, MB/s, wall times, peak RSS and the ratios.
# Needs: go, node, npm, /usr/bin/time. Run from anywhere in the repository.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d -t leakls-bench.XXXXXX)}
mkdir -p "$work"
cd "$work"
echo "== work directory: $work"

corpus_pkgs=(webpack eslint rxjs @babel/core @babel/parser @babel/traverse @babel/generator @babel/types
  mongoose socket.io ws express typeorm sequelize three lodash-es moment)

if [ ! -d node_modules/eslint-plugin-listeners ]; then
  echo "== npm install (ESLint 9, eslint-plugin-listeners, corpus: ${corpus_pkgs[*]})"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
    eslint@9 eslint-plugin-listeners@1 "${corpus_pkgs[@]}" >/dev/null
fi

if [ ! -d corpus ]; then
  echo "== corpus"
  mkdir corpus
  for p in "${corpus_pkgs[@]}"; do
    mkdir -p "corpus/$(dirname "$p")"
    cp -R "node_modules/$p" "corpus/$p"
  done
  # The same files for both tools: JavaScript only (ESLint needs a parser
  # plugin for TypeScript), no hidden directories, nothing over 2 MiB.
  find corpus -depth -type d -name '.*' -exec rm -rf {} +
  find corpus -type f ! \( -name '*.js' -o -name '*.mjs' -o -name '*.cjs' \) -delete
  find corpus -type f -size +2048k -delete
  find corpus -type d -empty -delete
fi
files=$(find corpus -type f | wc -l)
bytes=$(find corpus -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "corpus: $files files, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1048576}') MiB"

cat > eslint.config.cjs <<'CFG'
const listeners = require('eslint-plugin-listeners');
module.exports = [{
  files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
  plugins: { listeners },
  linterOptions: { reportUnusedDisableDirectives: 'off' },
  rules: {
    'listeners/no-missing-remove-event-listener': 'error',
    'listeners/matching-remove-event-listener': 'error',
    'listeners/no-inline-function-event-listener': 'error',
  },
}];
CFG

echo "== building leakls"
(cd "$repo" && go build -o "$work/leakls" ./cmd/leakls)

# measure NAME CMD...: runs CMD under /usr/bin/time -v and records its wall
# seconds, CPU seconds (user + system) and peak RSS (KiB) in NAME_wall,
# NAME_cpu and NAME_rss. On a shared machine wall time depends on the load;
# CPU time much less so: both are printed.
measure() {
  local name=$1
  shift
  /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || true
  local wall cpu rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/$name.time")
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$work/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.time")
  printf -v "${name}_wall" '%s' "$wall"
  printf -v "${name}_cpu" '%s' "$cpu"
  printf -v "${name}_rss" '%s' "$rss"
  printf '%-12s wall %8.2f s  CPU %8.2f s  RSS %7.1f MiB  %7.0f files/s  %6.2f MB/s (wall)\n' "$name" "$wall" "$cpu" \
    "$(awk -v r="$rss" 'BEGIN {print r/1024}')" \
    "$(awk -v f="$files" -v w="$wall" 'BEGIN {print f/w}')" "$(awk -v b="$bytes" -v w="$wall" 'BEGIN {print b/1e6/w}')"
}

echo "== runs ($(nproc) CPUs; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
rm -rf "$work/cache" "$work/.eslintcache"
# ESLint's cold run fills its --cache; the second run is its warm run.
eslint=(node node_modules/eslint/bin/eslint.js --no-warn-ignored --cache --cache-location "$work/.eslintcache" -f json)
measure eslint_cold "${eslint[@]}" -o "$work/eslint.json" corpus
measure eslint_warm "${eslint[@]}" -o "$work/eslint-warm.json" corpus
measure leakls_cold env XDG_CACHE_HOME="$work/cache" "$work/leakls" check corpus
measure leakls_warm env XDG_CACHE_HOME="$work/cache" "$work/leakls" check corpus

eslint_findings=$(node -e 'const r=require(process.argv[1]); let m=0,f=0,e=0; for (const x of r) { m+=x.messages.filter(q=>!q.fatal).length; if (x.messages.some(q=>q.fatal)) e++; } console.log(m+" findings, "+e+" files it could not parse")' "$work/eslint.json")
leakls_findings=$(wc -l <"$work/leakls_cold.out")
echo "== results"
echo "ESLint + eslint-plugin-listeners: $eslint_findings"
echo "leakls: $leakls_findings findings; skipped-file notes: $(grep -c 'note:' "$work/leakls_cold.err" || true)"
awk -v e="$eslint_cold_wall" -v l="$leakls_cold_wall" -v w="$leakls_warm_wall" -v ew="$eslint_warm_wall" \
  -v ec="$eslint_cold_cpu" -v lc="$leakls_cold_cpu" 'BEGIN {
  printf "leakls cold / ESLint cold: wall %.3f (%.1fx faster), CPU %.3f\n", l/e, e/l, lc/ec
  printf "leakls warm / ESLint warm (--cache): wall %.3f (%.1fx faster)\n", w/ew, ew/w
  printf "leakls warm / leakls cold: wall %.3f\n", w/l
}'
echo "outputs and /usr/bin/time reports are in $work"
