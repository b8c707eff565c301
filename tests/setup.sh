#!/bin/sh
# Everything the tests need, on a fresh Debian/Ubuntu machine with python3 (part of the README's
# test command; .ci/run calls it): the venv with the project and its test extras, and from the
# system packages Chromium (the Datasette browser test), redis-server (the distributed crawl) and a
# CJK font (the OCR tests render the project's tables as pictures: pdfium needs it to draw Chinese).
set -eu
cd "$(dirname "$0")/.."
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v redis-server >/dev/null 2>&1 || need="$need redis-server"
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need="$need fonts-wqy-microhei"
if [ -n "$need" ]; then
    if command -v apt-get >/dev/null 2>&1; then
        SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
        echo "tests/setup.sh: installing$need from the system packages"
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $need \
            || { $SUDO apt-get update && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $need; }
    else
        echo "tests/setup.sh: no apt-get here; install$need yourself (the tests that need them will say so)" >&2
    fi
fi
python3 -m venv .venv
.venv/bin/pip install -q -e '.[test]'
