#!/usr/bin/env bash
# Installs what is missing, builds, and runs the station's main job on the simulated station:
# what the station can see, whether it is set up, and a self-test of every device.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
swift build --product biocapture
biocapture=$(swift build --product biocapture --show-bin-path)/biocapture

"$biocapture" devices --simulated
"$biocapture" doctor || true   # doctor reports; a station without USB (a container) is not an error of this demo
