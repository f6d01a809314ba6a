#!/usr/bin/env bash
# Regenerates .gen/ (the TypeScript bindings of the auth0 provider) from the schema committed in
# providers/, so that `npm ci` needs neither Go, Terraform nor a registry. Skips when .gen/ is newer.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
schema="$(ls providers/*.json)"
if [ -f .gen/providers/auth0/provider/index.ts ] && [ .gen/providers/auth0/provider/index.ts -nt "$schema" ] \
  && [ .gen/providers/auth0/provider/index.ts -nt cdktf.json ]; then
  exit 0
fi
export CDKTF_EXPERIMENTAL_PROVIDER_SCHEMA_CACHE_PATH="$root/providers"
export TF_CLI_CONFIG_FILE="${TF_CLI_CONFIG_FILE:-/dev/null}" CHECKPOINT_DISABLE=1 CDKTF_DISABLE_PLUGIN_CACHE_ENV=1 DISABLE_VERSION_CHECK=1 CI="${CI:-1}"
npx --no-install cdktf get >/dev/null
[ -f .gen/providers/auth0/provider/index.ts ] || { echo "generate-bindings: cdktf get produced no .gen/providers/auth0" >&2; exit 1; }
echo "generate-bindings: .gen/providers/auth0 regenerated from $schema" >&2
