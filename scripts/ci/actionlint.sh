#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint (and shellcheck on their run: blocks).
#
#   bash scripts/ci/actionlint.sh            lint .github/workflows/*.yml
#   bash scripts/ci/actionlint.sh FILE...    lint these files
#
# actionlint is built once into .tools/bin from the Go module proxy: `go install mod@version` asks
# the proxy for the version list, which may be refused, so the exact version is downloaded and built
# inside its module directory. shellcheck is installed with apt-get when missing and possible;
# otherwise shellcheck is skipped with a note (set REQUIRE_SHELLCHECK=1 to make that an error).
# Idempotent: a second run builds and installs nothing.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
version="${ACTIONLINT_VERSION:-1.7.12}"
bin="$root/.tools/bin"
actionlint="$bin/actionlint"

log() { printf 'actionlint.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# A binary built from the module reports its version as "(devel)": a stamp file records it.
stamp="$actionlint.version"
if [ ! -x "$actionlint" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$version" ]; then
  command -v go >/dev/null 2>&1 || die "Go is needed to build actionlint and is not on PATH (install Go >= 1.22)"
  log "building github.com/rhysd/actionlint v$version into .tools/bin"
  json="$(go mod download -json "github.com/rhysd/actionlint@v$version")" ||
    die "the Go module proxy did not serve github.com/rhysd/actionlint@v$version"
  dir="$(printf '%s' "$json" | sed -n 's/^[[:space:]]*"Dir":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p')"
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    die "go mod download gave no module directory for actionlint v$version"
  fi
  mkdir -p "$bin"
  (cd "$dir" && GOFLAGS=-mod=readonly go build -trimpath -o "$actionlint.tmp" ./cmd/actionlint)
  mv "$actionlint.tmp" "$actionlint"
  printf '%s\n' "$version" >"$stamp"
fi

shellcheck_flag=()
if ! command -v shellcheck >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    log "shellcheck is missing: installing it with apt-get"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null 2>&1; then
      apt-get update -qq >/dev/null 2>&1 || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null 2>&1 ||
        log "apt-get could not install shellcheck"
    fi
  fi
fi
if ! command -v shellcheck >/dev/null 2>&1; then
  [ "${REQUIRE_SHELLCHECK:-0}" = 1 ] && die "shellcheck is not installed and REQUIRE_SHELLCHECK=1"
  log "NOTE: shellcheck is not installed (and could not be installed): run: blocks are NOT shell-checked"
  shellcheck_flag=(-shellcheck=)
fi

cd "$root"
if [ "$#" -gt 0 ]; then
  files=("$@")
else
  shopt -s nullglob
  files=(.github/workflows/*.yml .github/workflows/*.yaml)
  shopt -u nullglob
  [ "${#files[@]}" -gt 0 ] || die "no workflow files in .github/workflows"
fi
log "actionlint v$version on ${#files[@]} file(s)$([ "${#shellcheck_flag[@]}" -eq 0 ] && printf ' with %s' "$(shellcheck --version | sed -n 's/^version: /shellcheck /p')")"
"$actionlint" -no-color "${shellcheck_flag[@]}" "${files[@]}"
log "ok"
