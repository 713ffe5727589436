#!/bin/sh
# One libFuzzer campaign: fuzz/run.sh TARGET SECONDS [BUILD_DIR] [extra libFuzzer options]
#   TARGET     ber, format, index or mib (fuzz/fuzz-TARGET.c)
#   BUILD_DIR  a clang build with -Dfuzzing=true (default build-fuzz; see
#              fuzz/README.md for its set-up)
# Work files go to BUILD_DIR/fuzz-work/TARGET/: corpus/ (what the fuzzer
# found, kept between runs), artifacts/ (crash-*, leak-*, timeout-*), log.
# Seeds: fuzz/corpus/TARGET and fuzz/regressions/TARGET; for mib also our
# own mibs/ and tests/bad-mibs, and the shared MIB corpus ($MIBC_CORPUS,
# default ../shared/mibs), its files under 64 KiB linked at start (the
# corpus is not ours: it is read where it is, never copied into the tree).
set -eu
cd "$(dirname "$0")/.."
target=$1
seconds=$2
build=${3:-build-fuzz}
[ $# -ge 3 ] && shift 3 || shift $#
corpus=${MIBC_CORPUS:-$(cd .. && pwd)/shared/mibs}
work=$build/fuzz-work/$target
mkdir -p "$work/corpus" "$work/artifacts"

seeds="fuzz/corpus/$target"
[ -d "fuzz/regressions/$target" ] && seeds="$seeds fuzz/regressions/$target"
options="-max_total_time=$seconds -timeout=30 -print_final_stats=1"
if [ "$target" = mib ]; then
	rm -rf "$work/shared-seeds"
	mkdir -p "$work/shared-seeds"
	n=0
	for dir in ietf iana tubs vendor; do
		[ -d "$corpus/$dir" ] || continue
		find "$corpus/$dir" -type f -size -64k | sort | while read -r f; do
			ln -s "$f" "$work/shared-seeds/$dir-$(basename "$f")"
		done
	done
	seeds="$seeds mibs tests/bad-mibs $work/shared-seeds"
	# mibc's own diagnostics for every input would drown the log
	options="$options -max_len=65536 -close_fd_mask=3"
	export MIBC_CORPUS="$corpus" MIBC_PROJECT_MIBS="$PWD/mibs"
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
# With -close_fd_mask the worker children's sanitizer reports would land in
# ./.PID files: keep them with the work files instead.
[ "$target" = mib ] && ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$PWD/$work/child-report"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
echo "== $(date -u '+%F %T') UTC: $build/fuzz/fuzz-$target $options -artifact_prefix=$work/artifacts/ $work/corpus $seeds $*"
# shellcheck disable=SC2086
exec nice -n 10 "$build/fuzz/fuzz-$target" $options -artifact_prefix="$work/artifacts/" \
	"$@" "$work/corpus" $seeds 2>&1
