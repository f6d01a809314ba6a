#!/usr/bin/env bash
# A real browser for the login tests: Debian's chromium, installed once with apt (idempotent: nothing
# to do when /usr/bin/chromium is there). Prints the browser's path on stdout; progress on stderr.
set -euo pipefail
bin=/usr/bin/chromium
log() { printf 'chromium.sh: %s\n' "$*" >&2; }
if [ ! -x "$bin" ]; then
  command -v apt-get >/dev/null 2>&1 || { log "error: $bin is missing and apt-get is not available: install chromium"; exit 1; }
  [ "$(id -u)" = 0 ] || { log "error: $bin is missing; install it as root: apt-get install -y chromium"; exit 1; }
  log "installing Debian's chromium with apt-get (once)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null; }
fi
"$bin" --version >&2
printf '%s\n' "$bin"
