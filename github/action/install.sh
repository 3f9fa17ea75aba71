#!/usr/bin/env bash
# install.sh puts the prodready binary for the Action's own ref in
# $RUNNER_TEMP/prodready-bin and writes its path to $GITHUB_OUTPUT (path=…).
#
# For a release tag (v1, v1.4, v1.4.2) it downloads the release's archive for
# this runner and checks it against the release's checksums.txt: a mismatch
# stops the step, it never falls back. For any other ref (a branch, a SHA, a
# local `uses: ./`), or a tag with no release, it builds from the Action's
# source. The build's Go settings and caches are private to this script
# (under $RUNNER_TEMP/prodready-go), and nothing is written to $GITHUB_ENV or
# $GITHUB_PATH, so the job's own Go, caches and later steps are untouched.
set -euo pipefail

src="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
tmpdir="${RUNNER_TEMP:?RUNNER_TEMP is not set}"
ref="${ACTION_REF:-}"
repo="${ACTION_REPO:-}"
releases="${PRODREADY_RELEASES_URL:-https://github.com/$repo/releases/download}"
dest="$tmpdir/prodready-bin"
mkdir -p "$dest"

case "${RUNNER_OS:-Linux}" in
Linux) os=linux ;;
macOS) os=darwin ;;
Windows) os=windows ;;
*) os=unknown ;;
esac
case "${RUNNER_ARCH:-X64}" in
X64) arch=amd64 ;;
ARM64) arch=arm64 ;;
*) arch=unknown ;;
esac
exe=prodready
[ "$os" = windows ] && exe=prodready.exe
asset="prodready_${os}_${arch}.tar.gz"

sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d' ' -f1
	else
		shasum -a 256 "$1" | cut -d' ' -f1
	fi
}

fetch() { curl -fsSL --retry 3 --connect-timeout 10 --max-time 300 -o "$2" "$1"; }

installed=false
if [ -n "$repo" ] && [[ "$ref" =~ ^v[0-9]+(\.[0-9]+){0,2}$ ]]; then
	dl="$(mktemp -d)"
	if fetch "$releases/$ref/checksums.txt" "$dl/checksums.txt" 2>/dev/null &&
		fetch "$releases/$ref/$asset" "$dl/$asset" 2>/dev/null; then
		want="$(awk -v a="$asset" '$2 == a || $2 == "*" a { print $1 }' "$dl/checksums.txt")"
		got="$(sha256 "$dl/$asset")"
		if [ -z "$want" ] || [ "$want" != "$got" ]; then
			echo "::error::prodready $ref: $asset does not match the release's checksums.txt (want ${want:-no entry}, got $got); not running it" >&2
			exit 1
		fi
		tar -xzf "$dl/$asset" -C "$dest" "$exe"
		installed=true
		echo "prodready $ref: installed the released $asset (sha256 $got)"
	else
		echo "::notice::prodready: no released $asset for $ref; building from source"
	fi
	rm -rf "$dl"
else
	echo "prodready: ref '${ref:-local}' is not a release tag; building from source"
fi

if ! $installed; then
	work="$tmpdir/prodready-go"
	export GOPATH="$work/path" GOMODCACHE="$work/path/pkg/mod" GOCACHE="${PRODREADY_GOCACHE:-$work/cache}"
	export GOTOOLCHAIN=auto CGO_ENABLED=0 GOFLAGS=-mod=readonly GOWORK=off GOENV=off
	gocmd=go
	if ! command -v go >/dev/null 2>&1; then
		# No Go on the runner: fetch the latest release into the private
		# directory; go.mod's toolchain line then selects ours.
		v="$(curl -fsSL --retry 3 'https://go.dev/VERSION?m=text' | head -n1)"
		mkdir -p "$work"
		fetch "https://go.dev/dl/$v.$os-$arch.tar.gz" "$work/go.tar.gz"
		tar -xzf "$work/go.tar.gz" -C "$work"
		gocmd="$work/go/bin/go"
		echo "go-bin=$work/go/bin" >>"$GITHUB_OUTPUT"
	fi
	(cd "$src" && "$gocmd" build -trimpath -o "$dest/$exe" ./cmd/prodready)
	echo "prodready: built from source at ${ref:-the local checkout}"
fi
echo "path=$dest/$exe" >>"$GITHUB_OUTPUT"
