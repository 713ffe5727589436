#!/bin/sh
# generated/ must be what the built mibc makes of the shared corpus today:
# regenerate into a scratch directory and compare byte for byte.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$src/tools/regenerate.sh" "$MIBC" "$MIBC_CORPUS" "$tmp/generated"
cp "$src/generated/meson.build" "$tmp/generated/"
if ! diff -r -q "$src/generated" "$tmp/generated"; then
	echo "generated/ is stale: run 'ninja -C build regenerate' and commit the result" >&2
	diff -r "$src/generated" "$tmp/generated" | head -40 >&2
	exit 1
fi
echo "generated/ is up to date ($(wc -l < "$tmp/generated/sources.txt") modules)"
