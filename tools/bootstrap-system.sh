#!/usr/bin/env bash
# Installs the Debian packages listed in tools/system-packages.txt that are missing (fonts for PDFs,
# Chromium for the browser tests). Idempotent and quiet when everything is present.
set -euo pipefail
list="$(dirname "$0")/system-packages.txt"
[ -f "$list" ] || exit 0
missing=()
while read -r pkg; do
  pkg="${pkg%%#*}"; pkg="$(echo "$pkg" | xargs)"
  [ -n "$pkg" ] || continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < "$list"
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing system packages: ${missing[*]}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
