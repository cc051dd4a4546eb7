# Shared settings for the scripts; sourced, not run.
# Compiled dependencies live outside the checkout, so a fresh clone reuses them.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/switchboard/target}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# cargo-leptos built by scripts/setup with the wasm splitter that moves each area's data out
# of the main module; wasm-opt from npm's binaryen (Debian's version breaks hydration).
export CARGO_LEPTOS_ROOT="$HOME/.cache/switchboard/tools/cargo-leptos-0.3.10-split-0.2.4"
export PATH="$CARGO_LEPTOS_ROOT/bin:$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# A fresh clone gains nothing from incremental builds, which grow the shared target
# directory by gigabytes a run.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
