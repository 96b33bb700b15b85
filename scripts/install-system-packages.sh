#!/usr/bin/env bash
# Installs, with apt-get, the Debian packages that the tests run and that are missing.
set -euo pipefail
missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
# tests/harness/mariadb.py runs these two, never the system's service.
{ [ -x /usr/sbin/mariadbd ] && [ -x /usr/bin/mariadb-install-db ]; } || missing+=(mariadb-server)
# CHROMIUM, as in tests/harness/browser.py, may name a browser that is there.
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
# As anyone but root, through sudo (GitHub's runner has it without a password);
# `sudo env` keeps the variable that sudo would otherwise drop.
as_root=(env DEBIAN_FRONTEND=noninteractive)
if [ "$(id -u)" -ne 0 ]; then
  # sudo may ask for a password only where someone can type it.
  if ! command -v sudo >/dev/null || { ! sudo -n true 2>/dev/null && ! [ -t 0 ]; }; then
    echo "make test needs the Debian packages ${missing[*]}: install them as root" \
      "(apt-get install ${missing[*]}), or give $(id -un) sudo without a password" >&2
    exit 1
  fi
  as_root=(sudo "${as_root[@]}")
fi
echo "Installing ${missing[*]} with apt-get"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
