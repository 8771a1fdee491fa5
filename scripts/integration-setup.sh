#!/usr/bin/env bash
# Installs what `npm run test:integration` needs beyond npm: Debian's pre-commit (with its
# nodeenv, which the hook's node environment is made with). Idempotent; as root with no stdin
# (CI). Fails, never skips, when it cannot install.
set -euo pipefail
if command -v pre-commit >/dev/null && /usr/bin/python3 -c 'import nodeenv' 2>/dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo 'integration-setup: pre-commit is missing; install Debian'"'"'s pre-commit package as root' >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq pre-commit nodeenv >/dev/null
pre-commit --version
