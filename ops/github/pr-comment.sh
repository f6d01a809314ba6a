#!/usr/bin/env bash
# Posts BODY_FILE as the pull request's plan comment, or updates that comment if it exists: the one
# comment written by this workflow's bot whose body holds the marker. One comment per PR, updated
# on every push, so the conversation does not fill with stale plans.
#
#   GH_TOKEN=... GITHUB_REPOSITORY=owner/repo PR_NUMBER=12 bash ops/github/pr-comment.sh comment.md
#
# Environment: MARKER (default <!-- auth0-mfa-plan -->), BOT_LOGIN (default github-actions[bot]).
set -euo pipefail

file="${1:?usage: pr-comment.sh BODY_FILE}"
: "${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is not set}" "${PR_NUMBER:?PR_NUMBER is not set}"
marker="${MARKER:-<!-- auth0-mfa-plan -->}"
bot="${BOT_LOGIN:-github-actions[bot]}"
[ -s "$file" ] || { echo "pr-comment.sh: $file is empty or missing" >&2; exit 1; }
grep -qF -- "$marker" "$file" || { echo "pr-comment.sh: $file lacks the marker $marker" >&2; exit 1; }

id="$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
  --jq ".[] | select(.user.login == \"$bot\" and (.body | contains(\"$marker\"))) | .id" | head -n 1)"

if [ -n "$id" ]; then
  url="$(gh api -X PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F "body=@$file" --jq .html_url)"
  echo "pr-comment.sh: updated $url" >&2
else
  url="$(gh api -X POST "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" -F "body=@$file" --jq .html_url)"
  echo "pr-comment.sh: created $url" >&2
fi
