#!/bin/sh
# Set up mibc on a fresh Debian 12 machine and run the main job:
#   1. install the Debian packages the project needs (as root, or via sudo);
#   2. configure and build with meson and ninja (into ./build);
#   3. compile the seed's example MIB, Meinberg's MBG-SNMP-LTNG-MIB, with
#      everything it imports, into ./out, and show the result.
# `./setup.sh --no-run` stops after step 2 (what CI uses).
# The shared MIB corpus is ../shared/mibs unless MIBC_CORPUS says otherwise.
set -eu

cd "$(dirname "$0")"
corpus=${MIBC_CORPUS:-$(cd .. && pwd)/shared/mibs}

packages="build-essential g++ meson ninja-build pkg-config check
	libsmi2-dev smitools libsnmp-dev snmp snmpd libzip-dev libjansson-dev libevent-dev
	python3 python3-pysmi python3-pysnmp4 snmpsim valgrind"

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "== installing:$missing"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# snmpd's package starts a system agent on port 161; tests start their own.
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing >/dev/null
fi

echo "== configuring and building (build/)"
if [ -d build ]; then
	meson setup --reconfigure build -Dmib_corpus="$corpus" >/dev/null
else
	meson setup build -Dmib_corpus="$corpus" >/dev/null
fi
ninja -C build

[ "${1:-}" = "--no-run" ] && exit 0

echo "== mibc: MBG-SNMP-LTNG-MIB and its imports into out/"
# --ignore-errors: the vendor's 2022 revision indexes a table by an object it
# never defines (line 743); mibc reports it and still generates the rest.
set +e
build/mibc/mibc --rebuild --ignore-errors \
	--mib-source "$corpus/ietf" --mib-source "$corpus/iana" \
	--mib-source "$corpus/vendor/meinberg" \
	--destination-directory out MBG-SNMP-LTNG-MIB
status=$?
set -e
echo "== mibc exited with status $status (79: a module had errors, see above)"
echo "== generated files:"
ls -l out
echo "== from out/mbg-snmp-ltng-mib.h: the seed's mbgLtNgRefclockState"
sed -n '/^ \* MBG-SNMP-LTNG-MIB::mbgLtNgRefclockState /,/^}/p' out/mbg-snmp-ltng-mib.h | head -40
[ $status -eq 0 ] || [ $status -eq 79 ]
