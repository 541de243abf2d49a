#!/usr/bin/env bash
# The end-to-end tests drive Debian's Chromium (browser downloads by test tools do not work
# everywhere). Installs it when it is missing and we may; otherwise says what to do.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
	exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
	echo "Installing Debian's chromium for the end-to-end tests ..."
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq chromium fonts-liberation >/dev/null
	exit 0
fi
echo "Chromium not found at $CHROMIUM. Install it (Debian: sudo apt-get install chromium fonts-liberation)" >&2
echo "or point CHROMIUM_PATH at a Chromium binary." >&2
exit 1
