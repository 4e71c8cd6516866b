#!/usr/bin/env bash
# Runs the suites that touch @pulumi/pulumi (SDK, provider incl. the gRPC dynamic-provider host, client, real-CLI
# end to end) against other @pulumi/pulumi versions, each in a throwaway clone of the committed HEAD, to back the
# declared peer range. PULUMI_ECD_NODE=<folder holding node> runs them on that Node.js (.ci/run: Node 20 with the
# oldest supported version).
#   bash scripts/test-pulumi-versions.sh 3.160.0 3.200.0
#   PULUMI_ECD_NODE="$(bash scripts/get-node.sh 20.20.2 | tail -n1)" bash scripts/test-pulumi-versions.sh 3.160.0
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
[ "$#" -gt 0 ] || { echo "usage: $0 VERSION..." >&2; exit 2; }
if [ -n "${PULUMI_ECD_NODE:-}" ]; then PATH="$PULUMI_ECD_NODE:$PATH"; fi
for version in "$@"; do
  work="$(mktemp -d)"
  git clone -q "$repo" "$work/main"
  status=0
  (
    cd "$work/main"
    # npm warns (EBADENGINE) when the pinned dev @pulumi/pulumi wants a newer Node; the version under test replaces it.
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    npm install --no-save --no-audit --no-fund --loglevel=error "@pulumi/pulumi@$version" >/dev/null
    node scripts/link-self.js
    npm run build >/dev/null
    echo "==> node $(node --version), @pulumi/pulumi $(node -p 'require("@pulumi/pulumi/package.json").version')"
    # Older versions run the real CLI more slowly (the 320-desktop scenario took over 120 s with 3.160.0 on a busy
    # machine); the timeout only guards against a hang, so it is generous here.
    PULUMI_ECD_REQUIRE_E2E=1 npx jest --runInBand --testTimeout=600000 test/sdk test/provider test/client test/e2e
  ) || status=$?
  rm -rf "$work"
  [ "$status" -eq 0 ] || exit "$status"
done
