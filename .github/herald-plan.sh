#!/usr/bin/env bash
# Used by .github/workflows/deploy.yml: runs `herald plan` for one environment, writes the plan to
# the job summary and sets the step output changes=true|false. herald plan exits 0 when nothing
# changes, 2 when it has changes, 1 on an error (API.md, "Configuration as code").
# Needs HERALD_URL, HERALD_KEY and HERALD_CONFIG in the environment.
set -uo pipefail
env_name="$1"
plan=$(./herald plan -f "$HERALD_CONFIG" --env "$env_name" 2>&1)
code=$?
{
  echo "### herald plan: $env_name"
  echo
  echo '```'
  echo "$plan"
  echo '```'
} >> "${GITHUB_STEP_SUMMARY:-/dev/stdout}"
echo "$plan"
case "$code" in
  0) echo "changes=false" >> "${GITHUB_OUTPUT:-/dev/null}" ;;
  2) echo "changes=true" >> "${GITHUB_OUTPUT:-/dev/null}" ;;
  *) echo "herald plan failed for $env_name (exit $code)" >&2; exit 1 ;;
esac
