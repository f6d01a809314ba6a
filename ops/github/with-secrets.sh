#!/usr/bin/env bash
# Runs a command (an npm script) with the credentials that a workflow step put in its environment
# from GitHub environment secrets, made safe to use:
#   - a secret that is not configured arrives as an empty string: it is unset, so that Terraform
#     and the provider see "absent" (e.g. TF_VAR_seed_user_password for a stack without seed users)
#     rather than an empty value;
#   - values derived from secrets are masked in the log (::add-mask::): GitHub masks each secret
#     as a whole, not the password inside PG_CONN_STR;
#   - it fails early, naming what is missing, when there are no Auth0 credentials at all.
# Nothing secret is printed; there is no `set -x`.
#
#   bash ops/github/with-secrets.sh npm run plan -- dev --report plan-dev.md
set -euo pipefail

[ "$#" -gt 0 ] || { echo "usage: with-secrets.sh COMMAND [ARG...]" >&2; exit 64; }

for name in AUTH0_DOMAIN AUTH0_CLIENT_ID AUTH0_CLIENT_SECRET AUTH0_API_TOKEN PG_CONN_STR $(compgen -e | grep '^TF_VAR_' || true); do
  if [ -z "${!name:-}" ]; then unset "$name"; fi
done

mask() { [ -n "${GITHUB_ACTIONS:-}" ] && [ -n "$1" ] && printf '::add-mask::%s\n' "$1"; return 0; }

if [ -n "${PG_CONN_STR:-}" ]; then
  # postgres://user:PASSWORD@host/db or "host=... password=PASSWORD ..."
  url_password="$(printf '%s' "$PG_CONN_STR" | sed -n 's|^[a-z]*://[^:/@]*:\([^@]*\)@.*$|\1|p')"
  kv_password="$(printf '%s' "$PG_CONN_STR" | sed -n "s|.*password=\\([^ ]*\\).*|\\1|p")"
  mask "$url_password"
  mask "$kv_password"
  # The decoded form, in case a tool prints it unescaped.
  [ -n "$url_password" ] && mask "$(printf '%b' "${url_password//%/\\x}")"
fi

if [ -z "${AUTH0_API_TOKEN:-}" ] && { [ -z "${AUTH0_CLIENT_ID:-}" ] || [ -z "${AUTH0_CLIENT_SECRET:-}" ]; }; then
  echo "with-secrets.sh: no Auth0 credentials: set the secrets AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (or AUTH0_API_TOKEN) on this job's GitHub environment" >&2
  exit 1
fi

exec "$@"
