#!/bin/sh
# The whole test suite, as CI runs it (README: "Run the whole test suite"):
#   1. every test in build/ (set up by ./setup.sh);
#   2. the same tests built with AddressSanitizer + UndefinedBehaviorSanitizer
#      in build-asan/ (configured here on first use, with the same MIB
#      corpus; libsmi's own leaks are suppressed by tests/lsan.supp);
#   3. the end-to-end tests (suite e2e: the client against a real snmpd)
#      and the source finder (suite valgrind holds both) under valgrind
#      memcheck: no errors, no definite leaks.
# Stops at the first step that fails.  MIBC_TEST_QUICK=1 runs step 1 only.
# Cost, measured 2026-11-24 from a fresh build-asan on the 2-vCPU dev box
# while it was shared (load average 10-14): 21m55s wall, 9m22s CPU
# (user+sys); step 3 alone 26 s wall.
set -eu
cd "$(dirname "$0")/.."
corpus=${MIBC_CORPUS:-$(cd .. && pwd)/shared/mibs}

echo "== tests (build/)"
meson test -C build --print-errorlogs
[ "${MIBC_TEST_QUICK:-}" = 1 ] && exit 0

echo "== tests under ASan + UBSan (build-asan/)"
if [ ! -f build-asan/build.ninja ]; then
	meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
		-Dmib_corpus="$corpus" >/dev/null
fi
ninja -C build-asan
meson test -C build-asan --print-errorlogs

if command -v valgrind >/dev/null; then
	echo "== end-to-end and source tests under valgrind (build/, suite valgrind)"
	# CK_FORK=no: one process per test program, so a leak is reported
	# against the test that made it; snmpd (exec'd) runs natively.
	CK_FORK=no meson test -C build --print-errorlogs --suite valgrind \
		--timeout-multiplier 4 \
		--wrap='valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-fds=no --quiet'
else
	echo "== valgrind is not installed: end-to-end tests under valgrind skipped"
fi
