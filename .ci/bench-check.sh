#!/usr/bin/env bash
# Measures `prodready check ./...` over a large real module, fetched through
# the Go module proxy, beside `go vet ./...` and the package-loading floor on
# the same tree.
#
#   .ci/bench-check.sh [module] [version]     (default k8s.io/client-go v0.37.2)
#
# Rows of each table:
#   go list -export -deps   what go/packages asks the go command for: export
#                           data of every package (the go command's floor);
#   prodready, no checks    prodready check with every check disabled: the go
#                           command plus parsing and type-checking the module's
#                           own packages from source (prodready's loading floor);
#   prodready check         the full catalogue;
#   go vet                  the reference the README compares against.
#
# Two scenarios, both with the dependencies' build cache warm:
#   unchanged  each command runs once to warm, then RUNS times (default 3).
#              go vet caches its results (Go 1.26 stores vet output in the
#              build cache), so its row is a cache replay, not analysis;
#   edited     before every run a comment in each .go file of the module is
#              changed, so the go command must recompile and re-vet the module's
#              own packages while the dependencies stay cached: the cost of a
#              run after a change that touches every package. EDIT_RUNS runs
#              (default 1; 0 skips this scenario).
# Wall time is the median; CPU is user+sys of the median run; peak is the
# largest max RSS over the runs (GNU time's %M: the biggest single process, not
# a sum over the go command's children).
#
# Set BENCH_OUT=DIR to keep the findings (findings.json) and the tables there.
# Run it alone: wall times mean little while other heavy jobs share the cores.
set -euo pipefail
MOD=${1:-k8s.io/client-go}
VER=${2:-v0.37.2}
RUNS=${RUNS:-3}
EDIT_RUNS=${EDIT_RUNS:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

for tool in jq bc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench-check: $tool is missing; install it (apt-get install jq bc time)" >&2; exit 2; }
done

go build -o "$WORK/prodready" "$ROOT/cmd/prodready"

SRCDIR=$(go mod download -json "$MOD@$VER" | jq -r '.Dir // empty')
if [ -z "$SRCDIR" ]; then
  echo "bench-check: go mod download $MOD@$VER gave no directory; check the module path and version" >&2
  exit 2
fi
TREE="$WORK/tree"
cp -r "$SRCDIR" "$TREE" && chmod -R u+w "$TREE"
cd "$TREE"
# A config at the tree's root would change what prodready runs; use only ours.
# A go.work in the zip names modules the zip does not hold.
rm -f .prodready.yml go.work go.work.sum
go mod download

# Every check disabled (a config may name only checks that exist).
IDS=$("$WORK/prodready" checks --wide | awk 'NR > 1 && NF > 0 {print $1}' | paste -sd, -)
printf 'checks:\n  disable: [%s]\n' "$IDS" >"$WORK/none.yml"

gofiles() { # non-test Go files outside vendor and testdata
  find . -name '*.go' ! -name '*_test.go' -not -path './vendor/*' -not -path '*/testdata/*' -print0
}
LINES=$(gofiles | xargs -0 cat | wc -l)
HANDLINES=$(gofiles | xargs -0 grep -L '^// Code generated .* DO NOT EDIT\.$' | tr '\n' '\0' | xargs -0 cat | wc -l)
PKGS=$(go list ./... | wc -l)

# stamp changes one comment line at the end of every .go file of the module,
# which gives each of the module's packages a new build action ID.
STAMP=0
stamp() {
  STAMP=$((STAMP + 1))
  if [ "$STAMP" = 1 ]; then
    find . -name '*.go' -not -path './vendor/*' -print0 | xargs -0 sed -i '$a// bench-check stamp 1'
  else
    find . -name '*.go' -not -path './vendor/*' -print0 | xargs -0 sed -i "s|^// bench-check stamp .*|// bench-check stamp $STAMP|"
  fi
}

# run CMD...: one timed run into $WORK/t. prodready exits 1 on findings and
# go vet on diagnostics; anything above 1 means the run measured nothing.
run() {
  local rc=0
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/t" "$@" >/dev/null 2>"$WORK/err" || rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "bench-check: $* exited $rc:" >&2; tail -5 "$WORK/err" >&2; exit 3
  fi
}

# measure SCENARIO LABEL CMD...: appends "scenario|label|wall|cpu|kb|walls".
measure() {
  local scenario=$1 label=$2; shift 2
  local n=$RUNS
  if [ "$scenario" = unchanged ]; then run "$@"; else n=$EDIT_RUNS; fi
  local walls=() kbmax=0 secs kb usr sys
  : >"$WORK/one"
  for _ in $(seq 1 "$n"); do
    [ "$scenario" = edited ] && stamp
    run "$@"
    # GNU time writes "Command exited with non-zero status 1" first on exit 1.
    read -r secs kb usr sys < <(tail -n1 "$WORK/t")
    walls+=("$secs")
    echo "$secs $(echo "$usr + $sys" | bc -l)" >>"$WORK/one"
    [ "$kb" -gt "$kbmax" ] && kbmax=$kb
  done
  local med
  med=$(sort -n "$WORK/one" | awk '{w[NR]=$1; c[NR]=$2} END {i=int((NR+1)/2); print w[i], c[i]}')
  echo "$scenario|$label|${med% *}|${med#* }|$kbmax|${walls[*]}" >>"$WORK/rows"
}

: >"$WORK/rows"
SCENARIOS=unchanged
[ "$EDIT_RUNS" -gt 0 ] && SCENARIOS="unchanged edited"
for scenario in $SCENARIOS; do
  measure $scenario "go list -export -deps" go list -export -deps -test=false ./...
  measure $scenario "prodready, no checks" "$WORK/prodready" check --config "$WORK/none.yml" --format json ./...
  measure $scenario "prodready check" "$WORK/prodready" check --format json ./...
  measure $scenario "go vet" go vet ./...
done

"$WORK/prodready" check --format json ./... >"$WORK/findings.json" || true
FINDINGS=$(jq '.findings | length' "$WORK/findings.json")

val() { awk -F'|' -v s="$1" -v l="$2" -v f="$3" '$1 == s && $2 == l {print $f}' "$WORK/rows"; }
pct() { echo "($1 - $2) * 100 / $2" | bc -l; }

{
  echo "module $MOD@$VER: $PKGS packages, $LINES non-test Go lines ($HANDLINES outside generated files)"
  echo "go $(go env GOVERSION), $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  for scenario in $SCENARIOS; do
    local_runs=$RUNS; [ $scenario = edited ] && local_runs=$EDIT_RUNS
    echo
    echo "$scenario tree, dependencies cached, median of $local_runs run(s):"
    printf '%-24s %8s %8s %9s %8s  %s\n' command "wall s" "cpu s" "peak MiB" "vs vet" "wall of each run"
    vet=$(val $scenario "go vet" 3)
    awk -F'|' -v s=$scenario '$1 == s' "$WORK/rows" | while IFS='|' read -r _ label wall cpu kb walls; do
      printf '%-24s %8.2f %8.2f %9d %7.2fx  %s\n' "$label" "$wall" "$cpu" "$((kb / 1024))" "$(echo "$wall / $vet" | bc -l)" "$walls"
    done
    printf 'checklist analysis over the loading floor: wall +%.0f%%, cpu +%.0f%%\n' \
      "$(pct "$(val $scenario "prodready check" 3)" "$(val $scenario "prodready, no checks" 3)")" \
      "$(pct "$(val $scenario "prodready check" 4)" "$(val $scenario "prodready, no checks" 4)")"
  done
  echo
  printf 'findings: %d, %.2f per 10k lines (%.2f per 10k lines outside generated files)\n' \
    "$FINDINGS" "$(echo "$FINDINGS * 10000 / $LINES" | bc -l)" "$(echo "$FINDINGS * 10000 / $HANDLINES" | bc -l)"
  echo "findings by check:"
  jq -r '.findings[].check' "$WORK/findings.json" | sort | uniq -c | sort -rn
} | tee "$WORK/table.txt"

if [ -n "${BENCH_OUT:-}" ]; then
  mkdir -p "$BENCH_OUT"
  cp "$WORK/findings.json" "$WORK/table.txt" "$BENCH_OUT/"
fi
