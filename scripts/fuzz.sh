#!/usr/bin/env bash
# Builds a libFuzzer target with ASan and runs it for a fixed time.
#
#   scripts/fuzz.sh TARGET SECONDS [extra libFuzzer flags...]
#   e.g. scripts/fuzz.sh FuzzJPEG 60
#
# TARGET is an executable product written for libFuzzer (see Docs/Fuzzing.md): top-level code that,
# under -DFUZZING, calls LLVMFuzzerRunDriver. Build products go to .build-fuzz, the corpus to
# fuzz-corpus/TARGET and crash inputs to fuzz-artifacts/TARGET (both gitignored). An empty corpus
# is seeded by running the target once with BIOCAPTURE_FUZZ_SEED_DIR set; targets that ignore the
# variable just start from nothing. Environment: FUZZ_MAX_LEN (default 4096), FUZZ_RSS_MB (2048),
# FUZZ_TIMEOUT (per-input seconds, default 10).
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 TARGET SECONDS [libFuzzer flags...]" >&2
    exit 2
fi
target=$1
seconds=$2
shift 2
if ! [[ $target =~ ^[A-Za-z0-9_-]+$ ]]; then
    echo "fuzz.sh: target name '$target' is not a plain product name" >&2
    exit 2
fi
if ! [[ $seconds =~ ^[0-9]+$ ]] || [[ $seconds -eq 0 ]]; then
    echo "fuzz.sh: SECONDS must be a positive whole number, got '$seconds'" >&2
    exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

echo "fuzz.sh: building $target with -sanitize=fuzzer,address into .build-fuzz" >&2
swift build -c release --product "$target" --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING \
    -Xcc -fsanitize=fuzzer-no-link,address

binary=".build-fuzz/release/$target"
corpus="fuzz-corpus/$target"
artifacts="fuzz-artifacts/$target"
mkdir -p "$corpus" "$artifacts"

# Swift's backtracer and ASan both want the crash signal; let ASan have it.
export SWIFT_BACKTRACE=enable=no

if [[ -z $(ls -A "$corpus") ]]; then
    empty=$(mktemp -d)
    # -runs=0 makes a target that ignores the seed variable exit at once instead of fuzzing.
    BIOCAPTURE_FUZZ_SEED_DIR="$corpus" "$binary" -runs=0 "$empty" >/dev/null 2>&1 || true
    rmdir "$empty"
    echo "fuzz.sh: seeded $corpus with $(ls "$corpus" | wc -l) file(s)" >&2
fi

echo "fuzz.sh: running $target for ${seconds}s on $corpus" >&2
exec "$binary" \
    -max_total_time="$seconds" \
    -rss_limit_mb="${FUZZ_RSS_MB:-2048}" \
    -max_len="${FUZZ_MAX_LEN:-4096}" \
    -timeout="${FUZZ_TIMEOUT:-10}" \
    -artifact_prefix="$artifacts/" \
    -print_final_stats=1 \
    "$@" "$corpus"
