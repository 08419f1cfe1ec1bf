#!/usr/bin/env bash
# Installs what is missing, then runs the whole test suite. Device tests drive the real libusb
# path against Swift device models behind an in-process umockdev testbed, so the suite runs under
# umockdev-wrapper; with CI=true a device test fails (not skips) when that emulation is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
swift build --build-tests
umockdev-wrapper swift test
