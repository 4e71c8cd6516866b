#!/usr/bin/env bash
# Commits the contents of a packed tarball (what `npm pack` ships: dist/, the schema, README, CHANGELOG,
# package.json) as the branch release/v<version>, so that `npm install github:<owner>/pulumi-ecd#release/v<version>`
# installs the built package from git. npm builds git dependencies only through a `prepare` script, which this
# package does not have; this branch needs none. The current branch, index and work tree are left alone.
#
#   npm pack && bash scripts/release-branch.sh pulumi-ecd-0.1.0.tgz   # then: git push origin release/v0.1.0
set -euo pipefail

tarball=$(realpath "${1:?usage: release-branch.sh <pulumi-ecd-x.y.z.tgz>}")
version=$(tar -xOzf "$tarball" package/package.json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).version))')
branch="release/v${version}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tar -xzf "$tarball" -C "$work"
export GIT_INDEX_FILE="$work/index"
git --work-tree="$work/package" add -A .
tree=$(git write-tree)
parent=$(git rev-parse -q --verify "refs/heads/$branch" || true)
commit=$(git commit-tree "$tree" ${parent:+-p "$parent"} -m "pulumi-ecd ${version}: packed files, built from $(git rev-parse --short HEAD)")
git update-ref "refs/heads/$branch" "$commit"
echo "$branch -> $commit"
