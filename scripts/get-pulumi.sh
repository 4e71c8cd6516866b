#!/usr/bin/env bash
# Obtain the Pulumi CLI and the Node.js, YAML and Python language hosts on a
# machine that can reach package registries (Go module proxy, npm) but not
# GitHub release downloads. Prints progress on stderr; the LAST line of stdout
# is the absolute path of the folder that holds `pulumi`,
# `pulumi-language-nodejs`, `pulumi-resource-pulumi-nodejs`,
# `pulumi-language-yaml`, `pulumi-language-python` and
# `pulumi-language-python-exec`. Use it as: PATH="$(scripts/get-pulumi.sh | tail -n1):$PATH"
#
# `scripts/get-pulumi.sh --codegen` instead prints the path of
# pulumi-ecd-codegen (scripts/codegen/main.go: Pulumi's own SDK codegen, which
# `npm run gen` runs for sdk/python and sdk/go), built in a copy of the CLI's
# throwaway module so it uses the CLI's exact pins; it is rebuilt only when its
# source changes.
#
# Order of preference:
#   1. `pulumi` (>= v3.200) and `pulumi-language-nodejs` already on PATH.
#   2. A previously built cache:
#        ${PULUMI_ECD_CACHE:-$HOME/.cache/pulumi-ecd}/pulumi-v3.274.1/bin
#   3. Build from the Go module proxy into that cache (several minutes on
#      2 cores the first time; the throwaway Go modules live beside bin/,
#      outside any git work tree).
#
# The Node.js language host lives in its own, untagged Go module
# (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), which the
# module proxy reachable here does not serve at any version. The script uses it
# when it is available: set PULUMI_ECD_NODEJS_HOST_VERSION to its pseudo-version,
# or the script finds one made at the release commit's time in the proxy's list.
# Otherwise it builds the host from the last Go SDK release that still had it
# inside the sdk/v3 module (PULUMI_ECD_LEGACY_SDK_VERSION, default v3.68.0).
#
# The YAML host is pulumi-yaml v1.25.0 built with its own pinned pkg/sdk
# (v3.206.0): it does not compile against the CLI's v3.274.1. The Python host
# exists only inside sdk/v3@v3.68.0 (the newer host module is not served); it
# ignores Pulumi.yaml's `virtualenv` option, so a Python program's virtualenv
# must be active when `pulumi` runs. Its helper script
# pulumi-language-python-exec comes from sdk/v3@v3.274.1. Each host is built
# once into the cache, beside `pulumi`, without rebuilding what is there.
#
# Environment:
#   PULUMI_ECD_CACHE                 cache root (default $HOME/.cache/pulumi-ecd)
#   PULUMI_ECD_FORCE_BUILD=1         ignore pulumi on PATH (cache is still used)
#   PULUMI_ECD_NODEJS_HOST_VERSION   pseudo-version of the language host module
#   PULUMI_ECD_LEGACY_SDK_VERSION    sdk/v3 version for the fallback host
set -Eeuo pipefail

PULUMI_VERSION="v3.274.1"
MIN_REUSE_MINOR=200 # reuse a pulumi on PATH if it is >= v3.200
NPM_PULUMI_VERSION="3.276.0"
PKG_MOD="github.com/pulumi/pulumi/pkg/v3"
SDK_MOD="github.com/pulumi/pulumi/sdk/v3"
CLI_PKG="github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
NODEJS_HOST_MOD="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
LEGACY_SDK_VERSION="${PULUMI_ECD_LEGACY_SDK_VERSION:-v3.68.0}"
LEGACY_HOST_PKG="github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
YAML_HOST_VERSION="v1.25.0"
YAML_HOST_MOD="github.com/pulumi/pulumi-yaml"
YAML_HOST_PKG="$YAML_HOST_MOD/cmd/pulumi-language-yaml"
YAML_HOST_PULUMI_PINS="v3.206.0" # pulumi-yaml v1.25.0's own pkg/v3 and sdk/v3
PYTHON_HOST_SDK_VERSION="v3.68.0"
PYTHON_HOST_PKG="github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python"
LANGUAGE_HOSTS=(pulumi-language-yaml pulumi-language-python pulumi-language-python-exec)
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
VERSION_LDFLAGS="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}"

SCRIPT_NAME="get-pulumi.sh"
log() { printf '[%s] %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
ERR_REPORTED=""
on_err() {
  local rc=$? line=$1 cmd=$2
  [[ -z "$ERR_REPORTED" ]] || return 0
  ERR_REPORTED=1
  printf '[%s] FAILED (exit %s) at line %s: %s\n' "$SCRIPT_NAME" "$rc" "$line" "$cmd" >&2
}
trap 'on_err "$LINENO" "$BASH_COMMAND"' ERR

WANT_CODEGEN=""
case "${1:-}" in
  "") ;;
  --codegen) WANT_CODEGEN=1 ;;
  *) die "unknown argument '$1' (expected nothing or --codegen)" ;;
esac

HEARTBEAT_PID=""
stop_heartbeat() {
  if [[ -n "$HEARTBEAT_PID" ]]; then
    kill "$HEARTBEAT_PID" 2>/dev/null || true
    wait "$HEARTBEAT_PID" 2>/dev/null || true
    HEARTBEAT_PID=""
  fi
}
start_heartbeat() { # $1 = label
  stop_heartbeat
  local label=$1 start=$SECONDS
  (
    trap - ERR
    sleep_pid=""
    trap 'if [[ -n "$sleep_pid" ]]; then kill "$sleep_pid" 2>/dev/null; fi; exit 0' TERM
    while :; do
      sleep 30 &
      sleep_pid=$!
      wait "$sleep_pid"
      printf '[%s] ... still %s (%ss)\n' "$SCRIPT_NAME" "$label" "$((SECONDS - start))" >&2
    done
  ) >/dev/null &
  HEARTBEAT_PID=$!
}
cleanup() {
  stop_heartbeat
  if [[ -n "${TMP_DIR:-}" && -d "$TMP_DIR" ]]; then rm -rf "$TMP_DIR"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- 1. on PATH
version_ok() { # $1 = "vX.Y.Z..." -> true when >= v3.MIN_REUSE_MINOR
  local v=${1#v} major minor
  major=${v%%.*}
  minor=${v#*.}
  minor=${minor%%.*}
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  ((major > 3 || (major == 3 && minor >= MIN_REUSE_MINOR)))
}

on_path() { # every named command is on PATH
  local c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || return 1; done
}

# pulumi-ecd-codegen is built against the CLI's module pins, which only a cached build has.
if [[ "${PULUMI_ECD_FORCE_BUILD:-}" != "1" && -z "$WANT_CODEGEN" ]] &&
  on_path pulumi pulumi-language-nodejs "${LANGUAGE_HOSTS[@]}"; then
  existing_dir=$(cd "$(dirname "$(command -v pulumi)")" && pwd -P)
  existing_version=$(PULUMI_SKIP_UPDATE_CHECK=true pulumi version 2>/dev/null | tail -n1 || true)
  if version_ok "$existing_version"; then
    log "using pulumi $existing_version already on PATH ($existing_dir)"
    printf '%s\n' "$existing_dir"
    exit 0
  fi
  log "pulumi on PATH is '${existing_version:-unknown}' (< v3.$MIN_REUSE_MINOR); using the cache"
fi

# ---------------------------------------------------------------- 2. cache
CACHE_ROOT="${PULUMI_ECD_CACHE:-$HOME/.cache/pulumi-ecd}"
mkdir -p "$CACHE_ROOT"
CACHE_ROOT=$(cd "$CACHE_ROOT" && pwd -P)
CACHE_DIR="$CACHE_ROOT/pulumi-${PULUMI_VERSION}"
BIN_DIR="$CACHE_DIR/bin"
BUILD_DIR="$CACHE_DIR/build"
LEGACY_BUILD_DIR="$CACHE_DIR/build-nodejs-host-legacy"
REQUIRED_FILES=(pulumi pulumi-language-nodejs pulumi-resource-pulumi-nodejs)

cache_complete() {
  local f
  for f in "${REQUIRED_FILES[@]}"; do
    [[ -x "$BIN_DIR/$f" ]] || return 1
  done
}

# Which Node.js language host the cache holds; an explicitly requested host rebuilds a cache made with another.
HOST_MARKER="$BIN_DIR/.nodejs-host"
cached_host=$(cat "$HOST_MARKER" 2>/dev/null || echo "$SDK_MOD@$LEGACY_SDK_VERSION (legacy)")
wanted_host="${PULUMI_ECD_NODEJS_HOST_VERSION:+$NODEJS_HOST_MOD@$PULUMI_ECD_NODEJS_HOST_VERSION}"

# ---------------------------------------------------------------- 3. build

# Runs `go build -v ...`, printing a progress line every 20 packages on stderr
# while letting compiler errors through; fails when go build fails.
go_build_with_progress() { # $1 = label, rest = go build args
  local label=$1
  shift
  start_heartbeat "building $label"
  local rc=0
  go build -v "$@" 2>&1 | {
    n=0
    while IFS= read -r line; do
      if [[ "$line" =~ ^[A-Za-z0-9._~/-]+$ ]]; then
        n=$((n + 1))
        if ((n % 20 == 0)); then printf '[%s] %s: compiled %d packages (last: %s)\n' "$SCRIPT_NAME" "$label" "$n" "$line" >&2; fi
      else
        printf '%s\n' "$line" >&2
      fi
    done
    printf '[%s] %s: go build finished (%d packages compiled, the rest cached)\n' "$SCRIPT_NAME" "$label" "$n" >&2
  } || rc=$?
  stop_heartbeat
  if ((rc != 0)); then
    log "command failed (exit $rc) in $PWD: go build -v $*"
    ERR_REPORTED=1
  fi
  return "$rc"
}

# Module-mode commands run in $1, with all their output on stderr.
in_dir() { # $1 = dir, rest = command
  local dir=$1 rc=0
  shift
  (cd "$dir" && "$@") >&2 || rc=$?
  if ((rc != 0)); then
    log "command failed (exit $rc) in $dir: $*"
    ERR_REPORTED=1
    return "$rc"
  fi
}

# -- the language hosts beside `pulumi`, each in a throwaway module of its own; what is cached is kept
build_yaml_host() {
  local dir="$CACHE_DIR/build-yaml-host" pins
  mkdir -p "$dir"
  rm -f "$dir/go.mod" "$dir/go.sum"
  in_dir "$dir" go mod init pulumi-ecd-build-yaml-host
  start_heartbeat "downloading modules"
  in_dir "$dir" go get "$YAML_HOST_PKG@$YAML_HOST_VERSION"
  stop_heartbeat
  pins=$(cd "$dir" && go list -m -f '{{.Version}}' "$PKG_MOD" "$SDK_MOD" | sort -u)
  [[ "$pins" == "$YAML_HOST_PULUMI_PINS" ]] ||
    die "pulumi-yaml $YAML_HOST_VERSION resolved pkg/sdk '$pins', expected its own pins $YAML_HOST_PULUMI_PINS"
  (cd "$dir" && go_build_with_progress "pulumi-language-yaml $YAML_HOST_VERSION" \
    -ldflags "-X $YAML_HOST_MOD/pkg/version.Version=${YAML_HOST_VERSION#v}" \
    -o "$BIN_DIR/pulumi-language-yaml.tmp" "$YAML_HOST_PKG")
  mv -f "$BIN_DIR/pulumi-language-yaml.tmp" "$BIN_DIR/pulumi-language-yaml"
  log "built $BIN_DIR/pulumi-language-yaml"
}

build_python_host() {
  local dir="$CACHE_DIR/build-python-host"
  mkdir -p "$dir"
  rm -f "$dir/go.mod" "$dir/go.sum"
  in_dir "$dir" go mod init pulumi-ecd-build-python-host
  start_heartbeat "downloading modules"
  in_dir "$dir" go get "$PYTHON_HOST_PKG@$PYTHON_HOST_SDK_VERSION"
  stop_heartbeat
  (cd "$dir" && go_build_with_progress "pulumi-language-python (from sdk $PYTHON_HOST_SDK_VERSION)" \
    -ldflags "-X $SDK_MOD/go/common/version.Version=$PYTHON_HOST_SDK_VERSION" \
    -o "$BIN_DIR/pulumi-language-python.tmp" "$PYTHON_HOST_PKG")
  mv -f "$BIN_DIR/pulumi-language-python.tmp" "$BIN_DIR/pulumi-language-python"
  log "built $BIN_DIR/pulumi-language-python"
}

# The host runs this Python script to start a program; it is a plain file of sdk/v3, nothing to compile.
install_python_exec() {
  local sdk_dir
  sdk_dir=$(go mod download -json "$SDK_MOD@$PULUMI_VERSION" | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      const j = JSON.parse(s);
      if (j.Error || !j.Dir) { console.error(j.Error || "no Dir in go mod download -json output"); process.exit(1); }
      console.log(j.Dir);
    });')
  install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$BIN_DIR/pulumi-language-python-exec.tmp"
  mv -f "$BIN_DIR/pulumi-language-python-exec.tmp" "$BIN_DIR/pulumi-language-python-exec"
  log "installed $BIN_DIR/pulumi-language-python-exec (from sdk $PULUMI_VERSION)"
}

ensure_language_hosts() {
  local missing=() host
  for host in "${LANGUAGE_HOSTS[@]}"; do [[ -x "$BIN_DIR/$host" ]] || missing+=("$host"); done
  ((${#missing[@]} > 0)) || return 0
  # The CLI and the Node.js host are enough for TypeScript programs: without Go, go on without the others.
  if ! command -v go >/dev/null 2>&1; then
    log "WARNING: 'go' is not on PATH, so ${missing[*]} cannot be built: YAML and Python programs will not run"
    return 0
  fi
  command -v node >/dev/null 2>&1 || die "'node' is not on PATH; it is needed to parse go JSON output"
  mkdir -p "$BIN_DIR"
  [[ -x "$BIN_DIR/pulumi-language-yaml" ]] || build_yaml_host
  [[ -x "$BIN_DIR/pulumi-language-python" ]] || build_python_host
  [[ -x "$BIN_DIR/pulumi-language-python-exec" ]] || install_python_exec
}

# -- pulumi-ecd-codegen, in a copy of the CLI's module (same go.mod and go.sum), named by its source's hash
CODEGEN_SRC="$REPO_ROOT/scripts/codegen/main.go"
codegen_binary() {
  local dir="$CACHE_DIR/build-codegen" hash bin
  hash=$(sha256sum "$CODEGEN_SRC" | cut -c1-16)
  bin="$dir/bin/pulumi-ecd-codegen-$hash"
  if [[ ! -x "$bin" ]]; then
    command -v go >/dev/null 2>&1 || die "'go' is not on PATH; it is needed to build pulumi-ecd-codegen"
    [[ -f "$BUILD_DIR/go.mod" && -f "$BUILD_DIR/go.sum" ]] || die "no CLI module in $BUILD_DIR to copy"
    mkdir -p "$dir/bin"
    cp -f "$BUILD_DIR/go.mod" "$BUILD_DIR/go.sum" "$CODEGEN_SRC" "$dir/"
    # The CLI does not import the SDK generators: their few extra modules need go.sum lines, at versions
    # pkg/v3's own go.mod already fixes. Nothing the CLI module pins may move.
    local before after
    before=$(cd "$dir" && go list -m all)
    start_heartbeat "downloading modules"
    in_dir "$dir" go get "$PKG_MOD/codegen/go@$PULUMI_VERSION" "$PKG_MOD/codegen/python@$PULUMI_VERSION"
    stop_heartbeat
    after=$(cd "$dir" && go list -m all)
    [[ -z "$(comm -23 <(sort <<<"$before") <(sort <<<"$after"))" ]] ||
      die "building pulumi-ecd-codegen would move the CLI module's pins: $(comm -23 <(sort <<<"$before") <(sort <<<"$after") | tr '\n' ' ')"
    (cd "$dir" && go_build_with_progress "pulumi-ecd-codegen" -o "$bin.tmp" .)
    mv -f "$bin.tmp" "$bin"
    log "built $bin"
  fi
  printf '%s\n' "$bin"
}

# Prints what the caller asked for (the folder of `pulumi`, or the codegen binary) and ends the script.
finish() {
  if [[ -n "$WANT_CODEGEN" ]]; then codegen_binary; else printf '%s\n' "$BIN_DIR"; fi
  exit 0
}

if cache_complete && { [[ -z "$wanted_host" ]] || [[ "$cached_host" == "$wanted_host" ]]; }; then
  log "using cached Pulumi $PULUMI_VERSION in $BIN_DIR (Node.js language host: $cached_host)"
  ensure_language_hosts
  finish
fi

command -v go >/dev/null 2>&1 || die "'go' is not on PATH; it is needed to build Pulumi $PULUMI_VERSION"
command -v node >/dev/null 2>&1 || die "'node' is not on PATH; it is needed to parse go.mod JSON and to run Pulumi Node.js programs"
mkdir -p "$BIN_DIR" "$BUILD_DIR"
TMP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/get-pulumi.XXXXXX")
build_start=$SECONDS
log "building Pulumi $PULUMI_VERSION into $BIN_DIR (first run: several minutes on 2 cores)"

# -- 3a. the throwaway module for the CLI
log "preparing throwaway Go module in $BUILD_DIR"
rm -f "$BUILD_DIR/go.mod" "$BUILD_DIR/go.sum"
in_dir "$BUILD_DIR" go mod init pulumi-ecd-build
in_dir "$BUILD_DIR" go mod edit -require="$PKG_MOD@$PULUMI_VERSION" -require="$SDK_MOD@$PULUMI_VERSION"

pkg_json=$(cd "$BUILD_DIR" && go mod download -json "$PKG_MOD@$PULUMI_VERSION")
pkg_gomod=$(printf '%s' "$pkg_json" | node -e '
  let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
    const j = JSON.parse(s);
    if (j.Error) { console.error(j.Error); process.exit(1); }
    if (!j.GoMod) { console.error("no GoMod in go mod download -json output"); process.exit(1); }
    console.log(j.GoMod);
  });')
pkg_time=$(printf '%s' "$pkg_json" | node -e '
  let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
    const j = JSON.parse(s); const fs = require("fs");
    const info = JSON.parse(fs.readFileSync(j.Info, "utf8"));
    // 2026-11-05T12:45:06Z -> 20261105124506 (pseudo-version timestamp)
    console.log(new Date(info.Time).toISOString().replace(/[-:T]/g, "").slice(0, 14));
  });')
log "pkg/v3 go.mod: $pkg_gomod (release commit time $pkg_time)"

# Copy pkg's replace directives whose target is a module version (not a path).
replace_out=$(go mod edit -json "$pkg_gomod" | node -e '
  let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
    for (const r of JSON.parse(s).Replace || []) {
      if (!r.New.Version) continue; // relative/filesystem replacement, skip
      const oldSide = r.Old.Path + (r.Old.Version ? "@" + r.Old.Version : "");
      console.log("-replace=" + oldSide + "=" + r.New.Path + "@" + r.New.Version);
    }
  });')
replace_flags=()
if [[ -n "$replace_out" ]]; then mapfile -t replace_flags <<<"$replace_out"; fi
for flag in "${replace_flags[@]}"; do log "copying replace directive: ${flag#-replace=}"; done
if ((${#replace_flags[@]} > 0)); then
  in_dir "$BUILD_DIR" go mod edit "${replace_flags[@]}"
fi

# -- 3b. which Node.js language host?
host_version="${PULUMI_ECD_NODEJS_HOST_VERSION:-}"
if [[ -z "$host_version" ]]; then
  proxy=$(go env GOPROXY)
  proxy=${proxy%%[,|]*}
  if [[ "$proxy" == http* ]] && command -v curl >/dev/null 2>&1; then
    listing=$(curl -fsS --max-time 30 "$proxy/$NODEJS_HOST_MOD/@v/list" 2>/dev/null || true)
    host_version=$(printf '%s\n' "$listing" | grep -E "^v3\.0\.0-${pkg_time}-[0-9a-f]{12}\$" | head -n1 || true)
  fi
fi
if [[ -n "$host_version" ]]; then
  log "Node.js language host: $NODEJS_HOST_MOD@$host_version"
  in_dir "$BUILD_DIR" go mod edit -require="$NODEJS_HOST_MOD@$host_version"
else
  log "Node.js language host module $NODEJS_HOST_MOD is not served at the $PULUMI_VERSION commit;"
  log "  falling back to the host inside $SDK_MOD@$LEGACY_SDK_VERSION (set PULUMI_ECD_NODEJS_HOST_VERSION to override)"
fi

# -- 3c. resolve and build the CLI
log "resolving dependencies (go get $CLI_PKG@$PULUMI_VERSION)"
start_heartbeat "downloading modules"
in_dir "$BUILD_DIR" go get "$CLI_PKG@$PULUMI_VERSION"
if [[ -n "$host_version" ]]; then
  in_dir "$BUILD_DIR" go get "$NODEJS_HOST_MOD@$host_version"
fi
stop_heartbeat

(cd "$BUILD_DIR" && go_build_with_progress "pulumi" -ldflags "$VERSION_LDFLAGS" -o "$BIN_DIR/pulumi.tmp" "$CLI_PKG")
mv -f "$BIN_DIR/pulumi.tmp" "$BIN_DIR/pulumi"
log "built $BIN_DIR/pulumi"

# -- 3d. build the Node.js language host
if [[ -n "$host_version" ]]; then
  (cd "$BUILD_DIR" && go_build_with_progress "pulumi-language-nodejs" -ldflags "$VERSION_LDFLAGS" \
    -o "$BIN_DIR/pulumi-language-nodejs.tmp" "$NODEJS_HOST_MOD")
else
  mkdir -p "$LEGACY_BUILD_DIR"
  rm -f "$LEGACY_BUILD_DIR/go.mod" "$LEGACY_BUILD_DIR/go.sum"
  in_dir "$LEGACY_BUILD_DIR" go mod init pulumi-ecd-build-nodejs-host
  start_heartbeat "downloading modules"
  in_dir "$LEGACY_BUILD_DIR" go get "$LEGACY_HOST_PKG@$LEGACY_SDK_VERSION"
  stop_heartbeat
  (cd "$LEGACY_BUILD_DIR" && go_build_with_progress "pulumi-language-nodejs (from sdk $LEGACY_SDK_VERSION)" \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$LEGACY_SDK_VERSION" \
    -o "$BIN_DIR/pulumi-language-nodejs.tmp" "$LEGACY_HOST_PKG")
fi
mv -f "$BIN_DIR/pulumi-language-nodejs.tmp" "$BIN_DIR/pulumi-language-nodejs"
if [[ -n "$host_version" ]]; then
  printf '%s\n' "$NODEJS_HOST_MOD@$host_version" >"$HOST_MARKER"
else
  printf '%s\n' "$SDK_MOD@$LEGACY_SDK_VERSION (legacy)" >"$HOST_MARKER"
fi
log "built $BIN_DIR/pulumi-language-nodejs"

# -- 3e. the dynamic-provider shim from @pulumi/pulumi
shim_src="$REPO_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
if [[ ! -f "$shim_src" ]]; then
  log "no $shim_src; fetching @pulumi/pulumi@$NPM_PULUMI_VERSION with npm pack"
  command -v npm >/dev/null 2>&1 || die "'npm' is not on PATH; needed to fetch @pulumi/pulumi@$NPM_PULUMI_VERSION"
  tarball=$(cd "$TMP_DIR" && npm pack --silent "@pulumi/pulumi@$NPM_PULUMI_VERSION" | tail -n1)
  tar -xzf "$TMP_DIR/$tarball" -C "$TMP_DIR" package/pulumi-resource-pulumi-nodejs
  shim_src="$TMP_DIR/package/pulumi-resource-pulumi-nodejs"
fi
cp -f "$shim_src" "$BIN_DIR/pulumi-resource-pulumi-nodejs.tmp"
chmod 0755 "$BIN_DIR/pulumi-resource-pulumi-nodejs.tmp"
mv -f "$BIN_DIR/pulumi-resource-pulumi-nodejs.tmp" "$BIN_DIR/pulumi-resource-pulumi-nodejs"

# ---------------------------------------------------------------- 4. verify
got_version=$(PULUMI_SKIP_UPDATE_CHECK=true "$BIN_DIR/pulumi" version | tail -n1)
[[ "$got_version" == "$PULUMI_VERSION" ]] || die "$BIN_DIR/pulumi version printed '$got_version', expected $PULUMI_VERSION"
cache_complete || die "cache $BIN_DIR is incomplete after the build"
ensure_language_hosts
log "done in $((SECONDS - build_start))s: $(du -h "$BIN_DIR/pulumi" | cut -f1) pulumi, $(du -h "$BIN_DIR/pulumi-language-nodejs" | cut -f1) pulumi-language-nodejs"
finish
