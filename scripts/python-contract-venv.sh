#!/usr/bin/env bash
# Makes (once) the Python virtual environment of the official-SDK contract suite (test/contract/python), from the
# pinned test/contract/python/requirements.txt, in a cache outside the repository, and prints its python as the LAST
# line of stdout. Progress goes to stderr.
#   Exit 0: ready.  Exit 3: python3 or its venv module is missing here (the suite can only be skipped).  Else: failed.
# Environment: PULUMI_ECD_CACHE (default $HOME/.cache/pulumi-ecd), PYTHON (default python3).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
requirements="$repo/test/contract/python/requirements.txt"
python="${PYTHON:-python3}"
log() { printf '[python-contract-venv] %s\n' "$*" >&2; }

if ! command -v "$python" >/dev/null 2>&1; then
  log "no '$python' on PATH"
  exit 3
fi
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  log "'$python' has no venv/ensurepip module (Debian: apt-get install python3-venv)"
  exit 3
fi

# A new pin list gets a new venv; an interrupted build never counts as ready.
key="$(sha256sum "$requirements" | cut -c1-12)"
venv="${PULUMI_ECD_CACHE:-$HOME/.cache/pulumi-ecd}/python-contract-$key"
if [ -f "$venv/.ready" ]; then
  log "using $venv"
  printf '%s\n' "$venv/bin/python"
  exit 0
fi
log "making $venv ($("$python" --version 2>&1)) from test/contract/python/requirements.txt"
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --no-deps \
  -r "$requirements" >&2
"$venv/bin/python" -m pip check >&2
touch "$venv/.ready"
log "ready"
printf '%s\n' "$venv/bin/python"
