#!/usr/bin/env bash
# Keeps ONE open issue (label auth0-drift) about drift, from the reports of a drift run:
#   drift found     -> open the issue, or update its title and body; comment when what drifted
#                      changed since the last update (so subscribers hear of new drift, not of
#                      every daily check);
#   all in sync     -> close the open issue with a comment;
#   check errors    -> the issue is left open (an error is not "in sync"), the run fails anyway.
#
#   GH_TOKEN=... GITHUB_REPOSITORY=owner/repo bash ops/github/drift-issue.sh ENVIRONMENTS REPORT_DIR
#   (ENVIRONMENTS: comma-separated, e.g. dev,prod; a missing report counts as a failed check)
set -euo pipefail

environments="${1:?usage: drift-issue.sh ENVIRONMENTS REPORT_DIR}"
dir="${2:?usage: drift-issue.sh ENVIRONMENTS REPORT_DIR}"
: "${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is not set}"
label="${DRIFT_LABEL:-auth0-drift}"
run_url="${GITHUB_SERVER_URL:-https://github.com}/$GITHUB_REPOSITORY/actions/runs/${GITHUB_RUN_ID:-0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

gh label create "$label" --color D93F0B --force \
  --description "An Auth0 tenant no longer matches its configuration (opened by the drift workflow)" >/dev/null

number="$(gh issue list --label "$label" --state open --limit 1 --json number --jq '.[0].number // empty')"
previous=()
if [ -n "$number" ]; then
  gh issue view "$number" --json body --jq .body >"$work/previous.md"
  previous=(--previous "$work/previous.md")
fi

shopt -s nullglob
reports=("$dir"/*.json)   # the data each check wrote beside its Markdown report
shopt -u nullglob
decision="$(npm run --silent drift:issue -- "${reports[@]}" --environments "$environments" \
  --out "$work/body.md" "${previous[@]}" \
  --context "Checked by [drift run ${GITHUB_RUN_ID:-}]($run_url) at $(date -u '+%Y-%m-%d %H:%M UTC').")"
title="$(jq -r .title <<<"$decision")"
drifted="$(jq -r '.drift | join(", ")' <<<"$decision")"
errors="$(jq -r '.error | join(", ")' <<<"$decision")"
changed="$(jq -r .changed <<<"$decision")"

if [ -n "$drifted" ]; then
  if [ -n "$number" ]; then
    gh issue edit "$number" --title "$title" --body-file "$work/body.md" >/dev/null
    if [ "$changed" = true ]; then
      gh issue comment "$number" --body "What drifted changed ($drifted): see the updated description and [the run]($run_url)." >/dev/null
    fi
    echo "drift-issue.sh: updated issue #$number (drift in $drifted)" >&2
  else
    url="$(gh issue create --title "$title" --label "$label" --body-file "$work/body.md")"
    echo "drift-issue.sh: opened $url (drift in $drifted)" >&2
  fi
elif [ -n "$errors" ]; then
  echo "drift-issue.sh: no drift found, but $errors could not be checked: issue left as it is" >&2
elif [ -n "$number" ]; then
  gh issue close "$number" --comment "No drift found by [this run]($run_url): every tenant matches its configuration." >/dev/null
  echo "drift-issue.sh: closed issue #$number" >&2
else
  echo "drift-issue.sh: no drift" >&2
fi
