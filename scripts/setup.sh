#!/usr/bin/env bash
# One-time setup on a fresh machine: system packages the tests need, then the npm dependencies.
# Used by `npm run setup` and by .ci/run, so developers and CI install the same things.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "setup: need root (or sudo) to run: $*" >&2; return 1; fi; }
apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null; then
    echo "setup: $* is missing and this machine has no apt-get; install it with your package manager." >&2
    return 1
  fi
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

node_major=$(node -p 'process.versions.node.split(".").map(Number).slice(0,2).join(".")')
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { echo "setup: Node $node_major found; Outpost needs Node 20.19 or newer." >&2; exit 1; }

# End-to-end tests drive Debian's Chromium (browser downloads are not possible here).
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "setup: installing chromium for the end-to-end tests"
  apt_install chromium
fi

# The relay's two-instance test starts a throwaway PostgreSQL cluster from Debian's binaries.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then echo "setup: installing postgresql for the relay tests"; apt_install postgresql; fi

echo "setup: npm ci"
npm ci --no-audit --no-fund
echo "setup: done. Run the stack with \`npm run dev\`, the tests with \`npm test\`."
