#!/usr/bin/env bash
# Fuzzes the glTF loader (fuzz/fuzz_targets/gltf_load.rs) for N seconds: `scripts/fuzz.sh [N]`,
# default 60. Seeds: the test corpus's gltf/ and gltf-invalid/ folders when present
# ($DISAN_CORPUS, else ../shared/corpus next to the repo). Installs cargo-fuzz if missing.
# Builds on stable Rust through RUSTC_BOOTSTRAP=1 (cargo-fuzz passes nightly-only flags) and
# without a sanitizer. Exits non-zero when the fuzzer finds a crash; the input is then in
# fuzz/artifacts/gltf_load/ (turn it into a test in crates/assets/tests/fuzz_regressions.rs).
set -euo pipefail

secs="${1:-60}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

corpus="${DISAN_CORPUS:-$root/../shared/corpus}"
seeds=()
for d in gltf-invalid gltf; do
    if [ -d "$corpus/$d" ]; then
        seeds+=("$corpus/$d")
    fi
done
if [ "${#seeds[@]}" -eq 0 ]; then
    echo "no test corpus at $corpus: fuzzing without seeds" >&2
fi

# New inputs the fuzzer finds go to fuzz/corpus/gltf_load (git-ignored); the seed folders are
# only read.
mkdir -p "$root/fuzz/corpus/gltf_load"
cd "$root/fuzz"
# -max_len: the largest seeds are several MB; 1 MiB keeps each run fast.
# -rss_limit_mb: a valid image header may ask for up to 16384×8192 pixels (about 1.5 GB while
#  decoding 16-bit RGBA), which is allowed; more than that is a bug.
RUSTC_BOOTSTRAP=1 cargo fuzz run gltf_load --sanitizer none \
    "$root/fuzz/corpus/gltf_load" ${seeds[@]+"${seeds[@]}"} \
    -- -max_total_time="$secs" -max_len=1048576 -timeout=30 -rss_limit_mb=4096 -print_final_stats=1
