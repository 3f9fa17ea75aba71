#!/usr/bin/env bash
# Times `prodready review --llm off` on a real multi-package change beside
#   - the loading floor `go list -export -deps` of the changed packages, and
#   - golangci-lint v2 with the production-safety linters and --new-from-rev on
#     the same change, run over ./... (how it is run in CI) and over the changed
#     packages only (the same package set prodready loads).
# The change is two releases of a public module fetched through the Go module
# proxy and committed as base and head of a throwaway git repository.
#
#   .ci/bench-review.sh [module] [old-version] [new-version]
#
# Environment:
#   GOLANGCI_LINT   a golangci-lint v2 binary; when unset, golangci-lint
#                   $GOLANGCI_VERSION (default v2.15.0) is installed through the
#                   Go module proxy into the scratch directory.
#   ROUNDS          rounds of cold-then-warm runs (default 3);
#   WARM_ROUNDS     further rounds of warm runs only (default 6).
# The tables show the median of each row over all its runs.
#
# Caches, defined the same way for every tool:
#   cold  GOCACHE and GOLANGCI_LINT_CACHE point at fresh, empty directories;
#         the module cache (GOMODCACHE) stays warm, so nothing is downloaded;
#   warm  the same command again right after, with the caches it just filled.
# Each round runs every tool cold then warm, one tool after another, the order
# rotating from round to round (each tool keeps its own caches), so load from
# other jobs on the machine falls on all of them alike. Wall is elapsed
# seconds, cpu is user+sys of the process and the children it waited for (the
# go command's compilers), peak is the largest max RSS of a single process.
set -euo pipefail
MOD=${1:-github.com/redis/go-redis/v9}
OLD=${2:-v9.5.1}
NEW=${3:-v9.6.1}
ROUNDS=${ROUNDS:-3}
WARM_ROUNDS=${WARM_ROUNDS:-6}
GOLANGCI_VERSION=${GOLANGCI_VERSION:-v2.15.0}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

for tool in /usr/bin/time bc; do
  command -v "$tool" >/dev/null || { echo "bench-review: $tool is missing; install it (apt-get install time bc)" >&2; exit 2; }
done

go build -o "$WORK/prodready" "$ROOT/cmd/prodready"
REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
LINT=${GOLANGCI_LINT:-}
if [ -z "$LINT" ]; then
  GOBIN="$WORK/bin" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GOLANGCI_VERSION"
  LINT="$WORK/bin/golangci-lint"
fi
LINTVER="golangci-lint $("$LINT" version --short 2>/dev/null || echo unknown)"

# Exactly the production-safety linters; nothing else, no formatters.
cat >"$WORK/golangci.yml" <<'EOF'
version: "2"
linters:
  default: none
  enable:
    - errcheck
    - govet
    - staticcheck
    - ineffassign
    - unused
    - bodyclose
    - noctx
    - contextcheck
    - sqlclosecheck
    - rowserrcheck
    - gosec
    - nilerr
EOF

dir() { go mod download -json "$MOD@$1" | sed -n 's/.*"Dir": "\(.*\)",/\1/p'; }
OLDDIR=$(dir "$OLD"); NEWDIR=$(dir "$NEW")

REPO="$WORK/repo"
mkdir -p "$REPO" && cd "$REPO"
git init -q -b main && git config user.email b@example.com && git config user.name bench
cp -r "$OLDDIR"/. . && chmod -R u+w . && git add -A && git commit -qm "$OLD"
git checkout -q -b change
find . -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
cp -r "$NEWDIR"/. . && chmod -R u+w . && git add -A && git commit -qm "$NEW"
# A config the module ships would change what golangci-lint runs; we pass ours.
go mod download

PKGS=$(git diff --name-only main..change -- '*.go' | grep -v '_test.go$' | xargs -r -n1 dirname | sort -u | sed 's|^|./|')
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# run LABEL CACHE CMD...: one timed run, appended to rows as
# "label|cache|wall|cpu|kb". Exit status 1 means findings; above 1, the run
# measured nothing.
run() {
  local label=$1 cache=$2 rc=0 secs kb usr sys; shift 2
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/t" "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "bench-review: $label exited $rc:" >&2; tail -5 "$WORK/err" >&2; exit 3
  fi
  read -r secs kb usr sys < <(tail -n1 "$WORK/t")
  echo "$label|$cache|$secs|$(echo "$usr + $sys" | bc -l)|$kb" >>"$WORK/rows"
  printf '  %-28s %-4s %7.2f s wall %7.2f s cpu\n' "$label" "$cache" "$secs" "$(echo "$usr + $sys" | bc -l)" >&2
}

# cmd N: the command line of tool N.
cmd() {
  case $1 in
  0) echo go list -export -deps $PKGS ;;
  1) echo "$WORK/prodready" review --llm off --base main --format json ;;
  2) echo "$LINT" run --config "$WORK/golangci.yml" --new-from-rev main ./... ;;
  3) echo "$LINT" run --config "$WORK/golangci.yml" --new-from-rev main $PKGS ;;
  esac
}
LABELS=("floor go list -export -deps" "prodready review" "golangci-lint ./..." "golangci-lint changed pkgs")

# caches N: points GOCACHE and GOLANGCI_LINT_CACHE at tool N's own caches.
caches() { export GOCACHE="$WORK/cache$1/go" GOLANGCI_LINT_CACHE="$WORK/cache$1/lint"; }

# tool N: runs tool N cold (fresh caches), then warm.
tool() {
  chmod -R u+w "$WORK/cache$1" 2>/dev/null || true
  rm -rf "$WORK/cache$1" && mkdir -p "$WORK/cache$1/go" "$WORK/cache$1/lint"
  caches "$1"
  # shellcheck disable=SC2046 # cmd prints words without spaces in them
  run "${LABELS[$1]}" cold $(cmd "$1")
  # shellcheck disable=SC2046
  run "${LABELS[$1]}" warm $(cmd "$1")
}

: >"$WORK/rows"
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round of $ROUNDS (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  for i in 0 1 2 3; do tool $(((i + round - 1) % 4)); done
done
# More warm runs, interleaved, on the caches the rounds above filled (filled
# here, unrecorded, when ROUNDS is 0): warm runs are short, so noise from the
# machine weighs more on them.
for i in 0 1 2 3; do
  [ -d "$WORK/cache$i" ] && continue
  mkdir -p "$WORK/cache$i/go" "$WORK/cache$i/lint" && caches $i
  # shellcheck disable=SC2046
  $(cmd $i) >/dev/null 2>&1 || true
done
for round in $(seq 1 "$WARM_ROUNDS"); do
  echo "warm round $round of $WARM_ROUNDS (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  for i in 0 1 2 3; do
    n=$(((i + round - 1) % 4)); caches $n
    # shellcheck disable=SC2046
    run "${LABELS[$n]}" warm $(cmd $n)
  done
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# Counts of what each tool reports on the change, with warm caches.
caches 1
FINDINGS=$("$WORK/prodready" review --llm off --base main --format json | grep -c '"fingerprint"' || true)
caches 2
ISSUES=$("$LINT" run --config "$WORK/golangci.yml" --new-from-rev main --output.text.path stdout --show-stats=false ./... | grep -c '^[^ ].*:[0-9]*:[0-9]*: ' || true)

# med LABEL CACHE FIELD: the median over rounds of field 3 (wall) or 4 (cpu).
med() {
  awk -F'|' -v l="$1" -v c="$2" -v f="$3" '$1 == l && $2 == c {print $f}' "$WORK/rows" |
    sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}
peak() { awk -F'|' -v l="$1" -v c="$2" '$1 == l && $2 == c && $5 > m {m=$5} END {print int(m/1024)}' "$WORK/rows"; }
ratio() { echo "$(med "$1" "$3" "$4") / $(med "$2" "$3" "$4")" | bc -l; }

R="prodready review"; F="floor go list -export -deps"; G="golangci-lint ./..."; P="golangci-lint changed pkgs"
{
  echo "module $MOD $OLD..$NEW:$(git diff --shortstat main..change -- '*.go'), $(echo "$PKGS" | wc -l) changed packages"
  echo "prodready at $REV, $LINTVER, go $(go env GOVERSION), $(nproc) cores"
  echo "load average before: $LOAD0, after: $LOAD1; medians of $ROUNDS cold and $((ROUNDS + WARM_ROUNDS)) warm interleaved runs"
  echo
  printf '%-28s %-5s %8s %8s %9s\n' command cache "wall s" "cpu s" "peak MiB"
  for label in "$F" "$R" "$G" "$P"; do
    for cache in cold warm; do
      printf '%-28s %-5s %8.2f %8.2f %9d\n' "$label" $cache "$(med "$label" $cache 3)" "$(med "$label" $cache 4)" "$(peak "$label" $cache)"
    done
  done
  echo
  printf '%-40s %7s %7s %7s\n' ratio target wall cpu
  printf '%-40s %7s %6.2fx %6.2fx\n' "review / golangci-lint ./..., cold" 0.5x "$(ratio "$R" "$G" cold 3)" "$(ratio "$R" "$G" cold 4)"
  printf '%-40s %7s %6.2fx %6.2fx\n' "review / golangci-lint ./..., warm" 0.8x "$(ratio "$R" "$G" warm 3)" "$(ratio "$R" "$G" warm 4)"
  printf '%-40s %7s %6.2fx %6.2fx\n' "review / golangci-lint changed, cold" 0.5x "$(ratio "$R" "$P" cold 3)" "$(ratio "$R" "$P" cold 4)"
  printf '%-40s %7s %6.2fx %6.2fx\n' "review / golangci-lint changed, warm" 0.8x "$(ratio "$R" "$P" warm 3)" "$(ratio "$R" "$P" warm 4)"
  printf '%-40s %7s %6.2fx %6.2fx\n' "review / floor, cold" 1.3x "$(ratio "$R" "$F" cold 3)" "$(ratio "$R" "$F" cold 4)"
  printf '%-40s %7s %6.2fx %6.2fx\n' "review / floor, warm" - "$(ratio "$R" "$F" warm 3)" "$(ratio "$R" "$F" warm 4)"
  echo
  echo "prodready findings: $FINDINGS; golangci-lint issues on new code: $ISSUES"
} | tee "$WORK/table.txt"

if [ -n "${BENCH_OUT:-}" ]; then
  mkdir -p "$BENCH_OUT"
  cp "$WORK/table.txt" "$WORK/rows" "$BENCH_OUT/"
fi
