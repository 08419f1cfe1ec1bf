#!/usr/bin/env bash
# Installs what is missing, builds, and runs the station's main job on the simulated station:
# what the station sees, whether it is set up, a self-test of every device (with an HTML
# report), and one enrollment into a journal that is then verified.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
swift build --product biocapture
biocapture=$(swift build --product biocapture --show-bin-path)/biocapture

"$biocapture" devices --simulated
# doctor reports on the machine itself; a machine without USB (a container) is not an error here.
"$biocapture" doctor || true

report=${BIOCAPTURE_REPORT_DIR:-station-report}
"$biocapture" selftest --simulated --report "$report"

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
"$biocapture" enroll --journal "$workdir/journal.sqlite" --subject 3174051708850123 --simulated
"$biocapture" journal list "$workdir/journal.sqlite"
"$biocapture" journal verify "$workdir/journal.sqlite"
