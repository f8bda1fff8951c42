#!/usr/bin/env bash
# Regenerates the golden corpus (Tests/MetaSwiftCLITests/GoldenCorpus/out/): runs every case of
# GoldenCorpus/cases.txt in-process through the same test that compares them, in recording mode.
# Run it when a change alters output on purpose, read the diff, and commit it with the change saying why.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf Tests/MetaSwiftCLITests/GoldenCorpus/out
METASWIFT_UPDATE_GOLDEN_CORPUS=1 swift test --disable-xctest --filter GoldenCorpusTests "$@"
git status --short Tests/MetaSwiftCLITests/GoldenCorpus
