#!/bin/sh
# Sort the MIB target's crash-* files: fuzz/triage-mib.sh [ASAN_BUILD] FILE...
# Replays each through ASAN_BUILD/fuzz/fuzz-replay-mib (default build-asan,
# a gcc -Db_sanitize=address,undefined build) and prints the file with the
# sanitizer's SUMMARY line and the first frame in mibc's own code, so crashes
# inside libsmi (which the worker isolates) and crashes in mibc stand apart.
# Exit status 1 when the replay itself failed (a check in the parent).
set -u
cd "$(dirname "$0")/.."
build=build-asan
if [ $# -gt 0 ] && [ -d "$1" ]; then build=$1; shift; fi
export MIBC_CORPUS="${MIBC_CORPUS:-$(cd .. && pwd)/shared/mibs}"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
status=0
for f in "$@"; do
	log=$("$build/fuzz/fuzz-replay-mib" "$f" 2>&1) || status=1
	summary=$(printf '%s\n' "$log" | grep -m1 -E 'SUMMARY|runtime error|check failed' || echo "no report")
	frame=$(printf '%s\n' "$log" | grep -m1 -E '#[0-9]+ .* \.\./(mibc|runtime|fuzz)/' | sed 's/.* in //')
	echo "$f: $summary | first mibc frame: ${frame:-none}"
done
exit $status
