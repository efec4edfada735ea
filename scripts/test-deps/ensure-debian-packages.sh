#!/usr/bin/env bash
# Makes sure every package in debian-packages.txt (beside this script, or the list named
# as the first argument) is installed.
# As root: installs the missing ones with apt-get (one `apt-get update` first).
# As anyone else: prints the exact command to run and fails, before any test starts.
set -euo pipefail
list="${1:-$(dirname "$0")/debian-packages.txt}"
mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$')

if ! command -v dpkg-query >/dev/null; then
  echo "ensure-debian-packages: no dpkg-query here; the tests need a Debian 12 machine with: ${packages[*]}" >&2
  exit 1
fi

missing=()
while read -r name status; do
  [ "$status" = installed ] || missing+=("$name")
done < <(for p in "${packages[@]}"; do
  printf '%s %s\n' "$p" "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)"
done)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
install_line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  {
    echo "The tests need Debian packages that are not installed: ${missing[*]}"
    echo "Install them as root, then run the tests again:"
    echo
    echo "  apt-get update && $install_line"
    echo
  } >&2
  exit 1
fi
echo "installing Debian packages the tests need: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
$install_line -qq >/dev/null
