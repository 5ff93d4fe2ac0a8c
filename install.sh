#!/usr/bin/env bash
# Builds the release binary and leaves a `./wasmoon` symlink to it at the repository root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
swift build -c release --product wasmoon
ln -sfn "$(swift build -c release --show-bin-path)/wasmoon" wasmoon
echo "built ./wasmoon -> $(readlink wasmoon)"
