#!/usr/bin/env bash
# Builds the real auth0 Terraform provider from the Go module proxy, lays it out as a filesystem
# mirror, finds or builds a Terraform-compatible binary, and (with --schema) refreshes the committed
# provider schema that `cdktf get` reads offline. Idempotent: every step reuses what it built.
#
#   scripts/provider/install.sh            provider mirror + terraform/tofu + CLI config in .tools/
#   scripts/provider/install.sh --schema   also rewrites providers/ from the built provider
#
# Environment: AUTH0_PROVIDER_VERSION (default below), OPENTOFU_VERSION, FORCE_OPENTOFU=1 to build
# OpenTofu even when terraform is on PATH. Prints nothing secret; needs Go only when a build is due.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
version="${AUTH0_PROVIDER_VERSION:-1.54.1}"
tofu_version="${OPENTOFU_VERSION:-1.12.6}"
tools="$root/.tools"
mirror="$tools/mirror"
bin="$tools/bin"
arch="linux_amd64"
module="github.com/auth0/terraform-provider-auth0"

log() { printf 'provider-install: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

need_go() {
  command -v go >/dev/null 2>&1 || die "Go is needed to build $1 and is not on PATH (install Go >= 1.25 from go.dev or your distribution)"
}

# `go install module@version` asks the proxy for the module's version list, which the proxy may
# refuse; downloading the exact version and building inside it needs only that version's zip.
go_build_module() { # module version out-binary [package] [ldflags]
  local mod="$1" ver="$2" out="$3" pkg="${4:-.}" ldflags="${5:-}" dir
  dir="$(go mod download -json "$mod@v$ver" | node -e 'let s="";process.stdin.on("data",(c)=>{s+=c}).on("end",()=>{console.log(JSON.parse(s).Dir??"")})')" || true
  [ -n "$dir" ] || die "the Go module proxy did not serve $mod@v$ver"
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags="$ldflags" -o "$out" "$pkg")
}

provider_dir="$mirror/registry.terraform.io/auth0/auth0/$version/$arch"
provider_bin="$provider_dir/terraform-provider-auth0_v$version"
# As the provider's release (.goreleaser.yml) builds it: static, no symbol table or DWARF, and its own
# version in the User-Agent it sends to Auth0 (a plain build says "dev"). Terraform hashes the whole
# binary against the lock file on every plan, show and apply: the debug sections cost a third of that.
provider_ldflags="-s -w -X $module/internal/config.version=$version"
# The flags it was built with, beside the mirror (a file in the mirror would be part of its hash): a
# binary built otherwise (by an older version of this script) is rebuilt once.
provider_stamp="$tools/provider-build.txt"
if [ ! -x "$provider_bin" ] || [ "$(cat "$provider_stamp" 2>/dev/null)" != "$provider_ldflags" ]; then
  need_go "the auth0 provider"
  log "building $module v$version (about 2 minutes on 2 cores)"
  mkdir -p "$provider_dir"
  go_build_module "$module" "$version" "$provider_bin.tmp" . "$provider_ldflags"
  mv "$provider_bin.tmp" "$provider_bin"
  printf '%s\n' "$provider_ldflags" >"$provider_stamp"
fi
# OpenTofu resolves the same provider under its own registry host.
tofu_dir="$mirror/registry.opentofu.org/auth0/auth0/$version"
mkdir -p "$tofu_dir"
ln -sfn "../../../../registry.terraform.io/auth0/auth0/$version/$arch" "$tofu_dir/$arch"

mkdir -p "$bin"
if [ "${FORCE_OPENTOFU:-0}" != 1 ] && command -v terraform >/dev/null 2>&1; then
  tf_name=terraform
  tf_path="$(command -v terraform)"
else
  tf_name=tofu
  tf_path="$bin/tofu"
  if [ ! -x "$tf_path" ]; then
    need_go "OpenTofu"
    log "building OpenTofu v$tofu_version for lack of terraform on PATH (several minutes on 2 cores)"
    go_build_module github.com/opentofu/opentofu "$tofu_version" "$tf_path.tmp" ./cmd/tofu
    mv "$tf_path.tmp" "$tf_path"
  fi
fi

cat >"$tools/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/auth0/auth0", "registry.opentofu.org/auth0/auth0"]
  }
  direct {
    exclude = ["registry.terraform.io/auth0/auth0", "registry.opentofu.org/auth0/auth0"]
  }
}
RC

# Everything the project's scripts need to run the binary offline, in one file to source.
cat >"$tools/env.sh" <<ENV
export TERRAFORM_BINARY_NAME="$tf_path"
export TF_CLI_CONFIG_FILE="$tools/terraformrc"
export CHECKPOINT_DISABLE=1
export CDKTF_DISABLE_PLUGIN_CACHE_ENV=1
export PATH="$bin:\$PATH"
ENV
log "ready: $tf_name at $tf_path, auth0 provider $version in $mirror"

if [ "${1:-}" = "--schema" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cat >"$work/main.tf.json" <<JSON
{"terraform":{"required_providers":{"auth0":{"source":"auth0/auth0","version":"$version"}}}}
JSON
  # shellcheck disable=SC1091
  . "$tools/env.sh"
  (cd "$work" && "$tf_path" init -input=false -no-color >/dev/null && "$tf_path" providers schema -json >schema.json)
  out="$root/providers"
  mkdir -p "$out"
  # cdktf-cli's schema cache: name@constraint, URI-encoded, with the resolved version beside the schema.
  constraint="~> ${version%.*}"
  file="$out/$(node -p 'encodeURIComponent(process.argv[1])+"@"+encodeURIComponent(process.argv[2])' auth0 "$constraint").json"
  # Keys sorted so that a regenerated schema diffs only where the provider changed.
  node - "$work/schema.json" "$file" "$version" <<'JS'
const fs = require('node:fs');
const [input, output, version] = process.argv.slice(2);
const sorted = (v) => Array.isArray(v) ? v.map(sorted)
  : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v;
const schema = JSON.parse(fs.readFileSync(input, 'utf8'));
const [only] = Object.values(schema.provider_schemas);
schema.provider_schemas = { 'registry.terraform.io/auth0/auth0': only };
schema.provider_versions = { 'registry.terraform.io/auth0/auth0': version };
fs.writeFileSync(output, `${JSON.stringify(sorted(schema), null, 2)}\n`);
JS
  log "wrote $(basename "$file") ($(wc -c <"$file") bytes); cdktf.json must say auth0/auth0@$constraint"
fi
