#!/usr/bin/env bash
# The Debian packages the tests need besides Node: Chromium for the end-to-end tests (browser
# downloads by test tools do not work everywhere) and faketime for the runs with a moved clock.
# Installs what is missing in one apt-get call when it runs as root; otherwise says what to do.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium fonts-liberation)
command -v faketime >/dev/null 2>&1 || missing+=(faketime)
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
	echo "Installing Debian packages for the tests: ${missing[*]} ..."
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq "${missing[@]}" >/dev/null
	exit 0
fi
echo "Missing for the tests: ${missing[*]}. Install them (Debian: sudo apt-get install ${missing[*]})" >&2
echo "or point CHROMIUM_PATH at a Chromium binary." >&2
exit 1
