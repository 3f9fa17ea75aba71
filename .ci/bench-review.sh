#!/usr/bin/env bash
# Measures `prodready review --llm off` on a real multi-package change against
# the floor `go list -export -deps` of the same packages, cold and warm build
# cache. The change is two releases of a public module fetched through the Go
# module proxy and committed as base and head of a throwaway git repository.
#
#   .ci/bench-review.sh [module] [old-version] [new-version]
set -euo pipefail
MOD=${1:-github.com/redis/go-redis/v9}
OLD=${2:-v9.5.1}
NEW=${3:-v9.6.1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

go build -o "$WORK/prodready" "$ROOT/cmd/prodready"
dir() { go mod download -json "$MOD@$1" | sed -n 's/.*"Dir": "\(.*\)",/\1/p'; }
OLDDIR=$(dir "$OLD"); NEWDIR=$(dir "$NEW")

REPO="$WORK/repo"
mkdir -p "$REPO" && cd "$REPO"
git init -q -b main && git config user.email b@example.com && git config user.name bench
cp -r "$OLDDIR"/. . && chmod -R u+w . && git add -A && git commit -qm "$OLD"
git checkout -q -b change
find . -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
cp -r "$NEWDIR"/. . && chmod -R u+w . && git add -A && git commit -qm "$NEW"
go mod download

PKGS=$(git diff --name-only main..change -- '*.go' | grep -v '_test.go$' | xargs -r -n1 dirname | sort -u | sed 's|^|./|')
echo "module $MOD $OLD..$NEW: $(git diff --shortstat main..change -- '*.go')"
echo "changed packages: $(echo "$PKGS" | wc -l)"

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >/dev/null 2>"$WORK/err" || true
  read -r secs kb <"$WORK/t"
  printf '%-34s %7.2f s %8.0f MiB\n' "$label" "$secs" "$((kb / 1024))"
}

for cache in cold warm; do
  if [ "$cache" = cold ]; then export GOCACHE="$WORK/gocache-floor"; fi
  measure "floor go list -export -deps ($cache)" go list -export -deps $PKGS
  if [ "$cache" = cold ]; then export GOCACHE="$WORK/gocache-review"; fi
  measure "prodready review ($cache)" "$WORK/prodready" review --llm off --base main --format json
done
"$WORK/prodready" review --llm off --base main --format json | grep -c '"fingerprint"' | sed 's/^/findings: /' || true
