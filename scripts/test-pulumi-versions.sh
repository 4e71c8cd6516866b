#!/usr/bin/env bash
# Runs the suites that touch @pulumi/pulumi (SDK, provider incl. the gRPC dynamic-provider host, client, real-CLI
# end to end) against other @pulumi/pulumi versions, each in a throwaway clone, to back the declared peer range.
#   bash scripts/test-pulumi-versions.sh 3.160.0 3.200.0
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
[ "$#" -gt 0 ] || { echo "usage: $0 VERSION..." >&2; exit 2; }
for version in "$@"; do
  work="$(mktemp -d)"
  git clone -q "$repo" "$work/main"
  (
    cd "$work/main"
    npm ci --no-audit --no-fund >/dev/null
    npm install --no-save --no-audit --no-fund "@pulumi/pulumi@$version" >/dev/null
    node scripts/link-self.js
    npm run build >/dev/null
    echo "==> @pulumi/pulumi $(node -p 'require("@pulumi/pulumi/package.json").version')"
    PULUMI_ECD_REQUIRE_E2E=1 npx jest --runInBand test/sdk test/provider test/client test/e2e 2>&1 | tail -4
  )
  rm -rf "$work"
done
