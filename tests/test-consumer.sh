#!/bin/sh
# Install mibc into a scratch prefix (meson install), then build
# tests/consumer, a project outside this tree that finds mibc through
# pkg-config, compiles UPS-MIB at build time with --depfile and links the
# installed runtime; run it; check that touching an imported MIB rebuilds.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

meson setup "$tmp/build" "$src" --prefix="$prefix" -Dtests=disabled \
	-Dmib_corpus="$MIBC_CORPUS" >/dev/null
ninja -C "$tmp/build" >/dev/null
meson install -C "$tmp/build" --quiet >/dev/null
test -x "$prefix/bin/mibc"
test -f "$prefix/share/man/man1/mibc.1"
test -f "$prefix/include/mibc/desc.h"
test -f "$prefix/include/mibc/generated/if-mib.h"
ls "$prefix"/lib/*/libmibc.so* "$prefix"/lib/*/libmibc.a >/dev/null
ls "$prefix"/share/mibc/mibs/MIBC-TEST-MIB >/dev/null

pcdir=$(dirname "$(ls "$prefix"/lib/*/pkgconfig/mibc.pc)")
export PKG_CONFIG_PATH="$pcdir"
test "$(pkg-config --variable=mibc mibc)" = "$prefix/bin/mibc"

# The consumer's MIBs: a private copy, so the test can touch one.
mkdir "$tmp/mibs"
for m in UPS-MIB SNMPv2-SMI SNMPv2-TC SNMPv2-CONF; do
	cp "$MIBC_CORPUS/ietf/$m" "$tmp/mibs/"
done
meson setup "$tmp/consumer" "$src/tests/consumer" -Dmib_dir="$tmp/mibs" >/dev/null
ninja -C "$tmp/consumer" >/dev/null
export LD_LIBRARY_PATH="$(dirname "$(ls "$prefix"/lib/*/libmibc.so | head -1)")"
out=$("$tmp/consumer/ups-consumer")
echo "$out"
echo "$out" | grep -qx "module UPS-MIB revision 1994-02-23 00:00"
echo "$out" | grep -qx "upsBatteryStatus upsBatteryStatus 1.3.6.1.2.1.33.1.2.1"
echo "$out" | grep -qx "status 2 is batteryNormal"
echo "$out" | grep -qx "instance .0 belongs to upsBatteryStatus"

# Up to date: nothing to do.  An imported MIB newer than the outputs: the
# depfile makes ninja run mibc again.
ninja -C "$tmp/consumer" -n | grep -q "no work to do"
sleep 1
touch "$tmp/mibs/SNMPv2-TC"
ninja -C "$tmp/consumer" -n | grep -q "ups-mib"
echo "consumer OK"
