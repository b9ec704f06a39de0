#!/usr/bin/env bash
# Installs Debian's chromium, which the browser tests drive through Playwright (Playwright's own
# browser download is not reachable from these machines).
set -euo pipefail
[[ -x /usr/bin/chromium ]] && exit 0
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >/dev/null 2>&1; then
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
fi
