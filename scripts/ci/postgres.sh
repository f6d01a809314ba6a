#!/usr/bin/env bash
# A throwaway PostgreSQL for the Terraform pg backend: Debian's server binaries, a private data
# directory, listening on 127.0.0.1 only, one database and role "terraform" with a random password.
#
#   eval "$(bash scripts/ci/postgres.sh start)"   start (or reuse) it and export PG_CONN_STR
#   bash scripts/ci/postgres.sh env                print the export line of a running server
#   bash scripts/ci/postgres.sh status             exit 0 when it runs
#   bash scripts/ci/postgres.sh stop               stop it (the data directory stays; `purge` deletes it)
#
# Settings (environment): PGCI_DIR (default ${TMPDIR:-/tmp}/auth0-mfa-postgres-<uid>), PGCI_PORT
# (default 54329; a server already running in PGCI_DIR keeps its port).
# Idempotent: `start` on a running server only prints its PG_CONN_STR. stdout carries nothing but
# the export line (the password is in it: eval it, do not log it); progress goes to stderr.
# Under GitHub Actions the password is masked and PG_CONN_STR is appended to $GITHUB_ENV.
# As root, the server runs as the "postgres" user (initdb refuses root) via runuser.
set -euo pipefail

cmd="${1:-start}"
dir="${PGCI_DIR:-${TMPDIR:-/tmp}/auth0-mfa-postgres-$(id -u)}"
port="${PGCI_PORT:-54329}"
data="$dir/data"
self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

find_bin() {
  local d
  # Newest major version first.
  while IFS= read -r d; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { printf '%s' "$d"; return 0; }
  done < <(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -t/ -k5 -n -r)
  return 1
}

pgbin="$(find_bin || true)"
if [ -z "$pgbin" ] && [ "$cmd" = start ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    log "PostgreSQL server binaries are missing: apt-get install -y postgresql"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 || {
      apt-get update -qq >/dev/null 2>&1 || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1
    } || die "apt-get could not install postgresql"
    pgbin="$(find_bin || true)"
  fi
  [ -n "$pgbin" ] || die "no PostgreSQL server in /usr/lib/postgresql/*/bin (install the Debian package postgresql)"
fi

# The OS user the server runs as: ourselves, or "postgres" (created if needed) when we are root.
db_user="$(id -un)"
if [ "$(id -u)" = 0 ]; then
  db_user=postgres
  if ! id -u "$db_user" >/dev/null 2>&1; then
    [ "$cmd" = start ] || die "no server: the postgres user does not exist"
    useradd --system --no-create-home --shell /usr/sbin/nologin "$db_user"
  fi
fi
as_db_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$db_user" -- "$@"; else "$@"; fi
}

running() { [ -n "$pgbin" ] && [ -f "$data/PG_VERSION" ] && as_db_user "$pgbin/pg_ctl" status -D "$data" >/dev/null 2>&1; }

conn_str() {
  local password p
  password="$(cat "$dir/password")"
  p="$(cat "$dir/port")"
  printf 'postgres://terraform:%s@127.0.0.1:%s/terraform?sslmode=disable' "$password" "$p"
}

print_env() {
  local c
  c="$(conn_str)"
  if [ -n "${GITHUB_ACTIONS:-}" ]; then
    echo "::add-mask::$(cat "$dir/password")" >&2
    [ -n "${GITHUB_ENV:-}" ] && printf 'PG_CONN_STR=%s\n' "$c" >>"$GITHUB_ENV"
  fi
  printf "export PG_CONN_STR='%s'\n" "$c"
  log "PostgreSQL ready on 127.0.0.1:$(cat "$dir/port") (data in $data); stop with: PGCI_DIR='$dir' bash '$self' stop"
}

psql_super() { # runs SQL as the superuser over the private socket
  as_db_user "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$(cat "$dir/port")" -U postgres -d postgres "$@"
}

case "$cmd" in
  start)
    if running; then
      log "already running"
      print_env
      exit 0
    fi
    mkdir -p "$dir"
    chmod 700 "$dir"
    [ "$(id -u)" = 0 ] && chown "$db_user" "$dir"
    if [ ! -f "$data/PG_VERSION" ]; then
      log "initdb in $data"
      # shellcheck disable=SC2016 # $0 is expanded by the inner shell, on purpose
      head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' | as_db_user sh -c 'umask 077 && cat >"$0"' "$dir/password"
      printf '%s\n' "$port" | as_db_user tee "$dir/port" >/dev/null
      as_db_user "$pgbin/initdb" -D "$data" --username=postgres --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 --no-instructions >/dev/null
    fi
    p="$(cat "$dir/port")"
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      die "127.0.0.1:$p is taken by another process (set PGCI_PORT, or PGCI_DIR for a new server)"
    fi
    rm -f "$data/postmaster.pid"
    as_db_user "$pgbin/pg_ctl" start -w -t 60 -D "$data" -l "$dir/postgres.log" \
      -o "-c listen_addresses=127.0.0.1 -p $p -k $dir" >/dev/null ||
      die "PostgreSQL did not start; see $dir/postgres.log"
    if [ "$(psql_super -tA -c "select count(*) from pg_roles where rolname = 'terraform'")" != 1 ]; then
      # The password goes through a psql variable, never a command line that ps could show.
      psql_super -v "pw=$(cat "$dir/password")" <<'SQL'
CREATE ROLE terraform LOGIN PASSWORD :'pw';
CREATE DATABASE terraform OWNER terraform;
SQL
    fi
    print_env
    ;;
  env)
    running || die "no PostgreSQL running in $dir (run: bash $self start)"
    print_env
    ;;
  status)
    running
    ;;
  stop | purge)
    if running; then
      as_db_user "$pgbin/pg_ctl" stop -w -m fast -D "$data" >/dev/null
      log "stopped"
    else
      log "not running"
    fi
    if [ "$cmd" = purge ]; then
      rm -rf "$dir"
      log "removed $dir"
    fi
    ;;
  *)
    die "unknown command '$cmd' (start, env, status, stop, purge)"
    ;;
esac
