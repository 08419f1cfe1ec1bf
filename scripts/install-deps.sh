#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages BioCapture builds and tests with — only those missing.
# Uses sudo only when not root. Safe to run again.
set -euo pipefail

packages=(
  libusb-1.0-0-dev   # USBKit
  libjpeg-dev        # Imaging (libjpeg-turbo)
  zlib1g-dev         # Imaging (PNG)
  libsqlite3-dev     # the enrollment journal (GRDB links the system SQLite)
  sqlite3            # the raw-SQLite side of the journal benchmark
  umockdev           # umockdev-wrapper / umockdev-run: the real libusb path without hardware
  libumockdev-dev    # VirtualUSB's in-process testbed
  pkg-config
  libjpeg-turbo-progs  # tjbench, for side-by-side JPEG benchmarks
  opencv-data        # Viola–Jones cascades for face localisation (data only; evaluated by our code)
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  echo "install-deps: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "install-deps: the Swift 6 toolchain is not on PATH; install Swift 6.3 from swift.org first." >&2
  exit 1
fi
