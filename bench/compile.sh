#!/bin/bash
# Compiler benchmark: mibc against its peers on the same MIB modules, in one run.
#
#   bench/compile.sh [--quick] [--repeat N] [--each-repeat N] [--keep]
#                    [--tools T,T...] [CORPUS]
#
# CORPUS defaults to $MIBC_CORPUS, else ../shared/mibs beside the repository.
# Every module of CORPUS/{ietf,iana,tubs,vendor} is compiled by each tool
#   (a) whole:      one invocation over all modules (best of --repeat N runs,
#                   default 3, runs of the tools interleaved)
#   (b) per-module: one process per module (--quick: a fixed sample of ~50),
#                   best of --each-repeat N rounds (default 3), the tools
#                   taking turns, so a slower spell of the machine does not
#                   fall on one tool only (a single round per tool moved the
#                   mibc / smidump ratio by up to 7 % between runs)
# and the table (Markdown) goes to stdout; progress goes to stderr.
#
# Peers: mibc (c, null, json), Debian's mibdump (json, pysnmp), smidump -f scli
# (libsmi's C stub generator), smidump -f identifiers (libsmi's own parse and
# walk: the floor of the targets) and bench/smiload.c (smiLoadModule only;
# with -e also libsmi's error checks, which mibc turns on).
# --tools runs only the named ones (mibc-c mibc-null mibc-json mibdump-json
# mibdump-pysnmp smidump-scli smidump-identifiers smiload smiload-e
# mibc-c-rerun), e.g. mibc-c,smidump-identifiers while tuning; targets whose
# tools did not run show "-".
# Nobody touches the network: mibdump gets an empty borrower and searcher,
# mibc --no-system-sources, smidump an explicit SMIPATH.
#
# Environment: MIBC=path to a mibc binary (default: build one in
# <repo>/build-bench with meson + ninja), CC (default cc) for the helper.
set -u -o pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
quick=0 repeat=3 each_repeat=3 keep=0 only= corpus=${MIBC_CORPUS:-$repo/../shared/mibs}
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--repeat) repeat=$2; shift ;;
	--repeat=*) repeat=${1#*=} ;;
	--each-repeat) each_repeat=$2; shift ;;
	--each-repeat=*) each_repeat=${1#*=} ;;
	--keep) keep=1 ;;
	--tools) only=$2; shift ;;
	--tools=*) only=${1#*=} ;;
	-h|--help) sed -n '2,/^set /p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "compile.sh: unknown option $1" >&2; exit 64 ;;
	*) corpus=$1 ;;
	esac
	shift
done
case $repeat in ''|*[!0-9]*|0) echo "compile.sh: --repeat wants a positive number" >&2; exit 64 ;; esac
case $each_repeat in ''|*[!0-9]*|0) echo "compile.sh: --each-repeat wants a positive number" >&2; exit 64 ;; esac
corpus=$(cd "$corpus" 2>/dev/null && pwd) || { echo "compile.sh: no corpus at $corpus" >&2; exit 66; }
for t in mibdump smidump; do
	command -v $t >/dev/null || { echo "compile.sh: $t not installed" >&2; exit 69; }
done

say() { printf '%s\n' "$*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/mibc-bench.XXXXXX")
if [ $keep = 1 ]; then say "work directory: $work (kept)"; else trap 'rm -rf "$work"' EXIT; fi

# --- tools ---------------------------------------------------------------
${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror -o "$work/measure" "$repo/bench/measure.c" || exit 70
measure=$work/measure
${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror -o "$work/smiload" "$repo/bench/smiload.c" \
	$(pkg-config --cflags --libs libsmi) || exit 70
if [ -z "${MIBC:-}" ]; then
	say "building mibc in $repo/build-bench"
	if [ ! -f "$repo/build-bench/build.ninja" ]; then
		meson setup "$repo/build-bench" "$repo" >&2 || exit 70
	fi
	ninja -C "$repo/build-bench" mibc/mibc >&2 || exit 70
	MIBC=$repo/build-bench/mibc/mibc
fi

# --- inputs --------------------------------------------------------------
dirs=()
for d in ietf iana tubs vendor; do [ -d "$corpus/$d" ] && dirs+=("$d"); done
[ ${#dirs[@]} -gt 0 ] || { echo "compile.sh: $corpus has none of ietf iana tubs vendor" >&2; exit 66; }
(cd "$corpus" && find "${dirs[@]}" -type f ! -name '.*' ! -name 'README*' ! -name 'MANIFEST*') |
	sed -e 's,.*/,,' -e 's/\.\(mib\|my\|txt\|smi\)$//' | LC_ALL=C sort -u > "$work/modules"
nmod=$(wc -l < "$work/modules")
if [ $quick = 1 ]; then
	step=$(( (nmod + 49) / 50 ))
	awk -v s=$step '(NR - 1) % s == 0' "$work/modules" > "$work/sample"
else
	cp "$work/modules" "$work/sample"
fi
nsample=$(wc -l < "$work/sample")
mapfile -t modules < "$work/modules"

# mibc keeps its source scan cache in the work directory: the first run
# fills it (cold), later runs use it, as repeated runs of a user's build do.
mibc_src=(--no-system-sources --cache-directory "$work/mibc-cache") mibdump_src=() smipath=
for d in "${dirs[@]}"; do
	mibc_src+=(--mib-source "$corpus/$d")      # searched recursively
	mibdump_src+=(--mib-source "$corpus/$d")   # searched recursively
	if [ "$d" = vendor ]; then                 # libsmi: no recursion
		for v in "$corpus"/vendor/*/; do smipath+=${smipath:+:}${v%/}; done
	else
		smipath+=${smipath:+:}$corpus/$d
	fi
done
mkdir -p "$work/empty"
nonet=(--mib-borrower "file://$work/empty" --mib-searcher "$work/empty")

# Command lines per tool; DEST is the destination directory, MODS the modules.
# Each prints nothing itself: measure appends its output to the run's log.
cmd_for() { # tool dest -> sets cmd=()
	local tool=$1 dest=$2
	case $tool in
	mibc-c|mibc-null|mibc-json)
		cmd=("$MIBC" "${mibc_src[@]}" --ignore-errors --destination-format "${tool#mibc-}"
		     --destination-directory "$dest") ;;
	mibc-c-rerun)
		cmd=("$MIBC" "${mibc_src[@]}" --ignore-errors --destination-format c
		     --destination-directory "$dest") ;;
	mibdump-json|mibdump-pysnmp)
		cmd=(mibdump "${mibdump_src[@]}" "${nonet[@]}" --ignore-errors
		     --destination-format "${tool#mibdump-}" --destination-directory "$dest") ;;
	smidump-scli) cmd=(smidump -k -f scli) ;;
	smidump-identifiers) cmd=(smidump -k -f identifiers) ;;
	smiload) cmd=("$work/smiload" "$smipath") ;;
	smiload-e) cmd=("$work/smiload" -e "$smipath") ;;
	esac
}

# --- counting ------------------------------------------------------------
# ok / failed / none per run, restricted to the requested modules:
#  mibc, mibdump: their own summaries (Created/updated, or Up to date for a
#    rerun; Failed + Missing + Ignored), plus modules whose process crashed;
#    "none" are stubs (parsed, nothing generated) and modules never reached;
#  smidump: a module is ok when it produced output and smidump did not say
#    "module `X' contains errors" (dumped anyway with -k: counted failed).
count() { # tool log dest modlist statusfile -> "ok failed none"
	local tool=$1 log=$2 dest=$3 list=$4 status=$5
	case $tool in
	mibc-*|mibdump-*)
		local okhead='Created/updated MIBs'
		[ "$tool" = mibc-c-rerun ] && okhead='Up to date MIBs|Created/updated MIBs'
		tr -d '\r' < "$log" | awk -v okhead="^($okhead):" -v list="$list" -v status="$status" '
			BEGIN { while ((getline m < list) > 0) want[m] = 1
			        while ((getline l < status) > 0) { split(l, w, " ")
			                if (w[2] == "sig") bad[w[1]] = 1 } }
			function names(line, set,   i, n, t, tok) {
				sub(/^[^:]*: ?/, "", line); n = split(line, t, ", ")
				for (i = 1; i <= n; i++) if (match(t[i], /^[A-Za-z][A-Za-z0-9_-]*( \(|$)/)) {
					tok = t[i]; sub(/ \(.*/, "", tok); if (tok in want) set[tok] = 1 } }
			$0 ~ okhead { names($0, ok) }
			/^(Failed MIBs|Missing source MIBs|Ignored MIBs):/ { names($0, bad) }
			END { for (m in want) { if (m in bad) f++; else if (m in ok) o++; else z++ }
			      printf "%d %d %d\n", o, f, z }' ;;
	smiload*)
		awk -v list="$list" '
			BEGIN { while ((getline m < list) > 0) want[m] = 1 }
			FILENAME == ARGV[1] && ($1 == "failed" || $1 == "missing") { bad[$2] = 1 }
			FILENAME == ARGV[2] && $2 == "sig" { bad[$1] = 1 }
			END { for (m in want) { if (m in bad) f++; else o++ }
			      printf "%d %d %d\n", o, f, 0 }' "$dest/out" "$status" ;;
	smidump-*)
		{ if [ "$tool" = smidump-identifiers ]; then
			awk '!/^#/ && NF { print "OUT", $1 }' "$dest/out"
		  else
			ls "$dest" | sed -n 's/\.[ch]$//p' | sed 's/^/OUTLC /'
		  fi
		  sed -n "s/^smidump: module \`\([^']*\)' contains errors.*/ERR \1/p" "$log"
		  awk '$2 == "sig" { print "ERR", $1 }' "$status"
		} | awk -v list="$list" '
			BEGIN { while ((getline m < list) > 0) want[m] = 1 }
			$1 == "OUT" { out[$2] = 1 } $1 == "OUTLC" { outlc[$2] = 1 } $1 == "ERR" { bad[$2] = 1 }
			END { for (m in want) { if (m in bad) f++; else if (m in out || tolower(m) in outlc) o++; else z++ }
			      printf "%d %d %d\n", o, f, z }' ;;
	esac
}

# --- running -------------------------------------------------------------
declare -A R   # R[mode/tool/field]
best() { # mode tool field value: keep the minimum
	local k=$1/$2/$3
	if [ -z "${R[$k]:-}" ] || awk -v a="$4" -v b="${R[$k]}" 'BEGIN { exit !(a < b) }'; then R[$k]=$4; fi
}
record() { # mode tool line(measure output) counts
	local mode=$1 tool=$2 line=$3 counts=$4 wall user sys rss runs nonzero signaled
	eval "$(echo "$line" | sed 's/maxrss_kb/rss/')"
	best "$mode" "$tool" wall "$wall"
	best "$mode" "$tool" cpu "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')"
	best "$mode" "$tool" rss "$rss"
	R[$mode/$tool/counts]=$counts
	local note=
	[ "$signaled" -gt 0 ] && note="killed by a signal: $signaled process$([ "$signaled" -gt 1 ] && echo es)"
	[ "$nonzero" -gt 0 ] && note="${note:+$note; }exit != 0 in $nonzero"
	R[$mode/$tool/note]=$note
	say "$(printf '  %-10s %-20s wall %7.2fs  cpu %7.2fs  rss %6.1f MB  ok/failed/none %s' \
		"$mode" "$tool" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" \
		"$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$(echo "$counts" | tr ' ' /)")${note:+  ($note)}"
}

run_whole() { # tool run
	local tool=$1 n=$2 dest=$work/whole/$1 line
	if [ "$tool" = mibc-c-rerun ]; then
		dest=$work/whole/mibc-c        # the full build's outputs, up to date
	else
		rm -rf "$dest"; mkdir -p "$dest"
	fi
	local log=$dest.$n.log status=$dest.$n.status
	rm -f "$log"
	cmd_for "$tool" "$dest"
	case $tool in
	smidump-scli)
		line=$(cd "$dest" && SMIPATH=$smipath "$measure" -o /dev/null -e "$log" -s "$status" -- \
			"${cmd[@]}" "${modules[@]}") ;;
	smidump-identifiers|smiload*)
		line=$(SMIPATH=$smipath "$measure" -o "$dest/out" -e "$log" -s "$status" -- \
			"${cmd[@]}" "${modules[@]}") ;;
	*)
		line=$("$measure" -o "$log" -e "$log" -s "$status" -- "${cmd[@]}" "${modules[@]}") ;;
	esac || exit 70
	record whole "$tool" "$line" "$(count "$tool" "$log" "$dest" "$work/modules" "$status")"
}

run_each() { # tool
	local tool=$1 dest=$work/each/$1 line
	rm -rf "$dest"; mkdir -p "$dest"
	local log=$dest.log status=$dest.status
	cmd_for "$tool" "$dest"
	case $tool in
	mibc-*|mibdump-*) cmd+=(--no-dependencies) ;;
	esac
	case $tool in
	smidump-scli)
		line=$(cd "$dest" && SMIPATH=$smipath "$measure" -l "$work/sample" -p "$tool" \
			-o /dev/null -e "$log" -s "$status" -- "${cmd[@]}" {}) ;;
	smidump-identifiers|smiload*)
		line=$(SMIPATH=$smipath "$measure" -l "$work/sample" -p "$tool" \
			-o "$dest/out" -e "$log" -s "$status" -- "${cmd[@]}" {}) ;;
	*)
		line=$("$measure" -l "$work/sample" -p "$tool" -o "$log" -e "$log" -s "$status" -- \
			"${cmd[@]}" {}) ;;
	esac || exit 70
	record each "$tool" "$line" "$(count "$tool" "$log" "$dest" "$work/sample" "$status")"
}

whole_tools=(mibc-c mibc-null mibc-json mibdump-json mibdump-pysnmp smidump-scli smidump-identifiers smiload smiload-e mibc-c-rerun)
each_tools=(mibc-c mibc-null mibdump-json mibdump-pysnmp smidump-scli smidump-identifiers smiload smiload-e)
if [ -n "$only" ]; then
	keep_only() { local t; for t in "$@"; do case ,$only, in *,$t,*) printf '%s\n' "$t" ;; esac; done; }
	mapfile -t whole_tools < <(keep_only "${whole_tools[@]}")
	mapfile -t each_tools < <(keep_only "${each_tools[@]}")
	[ ${#whole_tools[@]} -gt 0 ] || [ ${#each_tools[@]} -gt 0 ] ||
		{ echo "compile.sh: --tools names none of the tools" >&2; exit 64; }
fi

say "corpus $corpus: $nmod modules; per-module: $nsample; whole-corpus runs: best of $repeat"
for ((r = 1; r <= repeat; r++)); do
	say "whole corpus, run $r/$repeat"
	for t in "${whole_tools[@]}"; do run_whole "$t" "$r"; done
done
for ((r = 1; r <= each_repeat; r++)); do
	say "module by module ($nsample processes per tool), run $r/$each_repeat"
	for t in "${each_tools[@]}"; do run_each "$t"; done
done

# --- report --------------------------------------------------------------
set +u # with --tools, the tools that did not run have no figures
label() {
	case $1 in
	mibc-c) echo 'mibc `c`' ;; mibc-null) echo 'mibc `null`' ;; mibc-json) echo 'mibc `json`' ;;
	mibc-c-rerun) echo 'mibc `c`, up-to-date rerun' ;;
	mibdump-json) echo 'mibdump `json`' ;; mibdump-pysnmp) echo 'mibdump `pysnmp`' ;;
	smidump-scli) echo 'smidump `-f scli`' ;; smidump-identifiers) echo 'smidump `-f identifiers` (floor)' ;;
	smiload) echo 'libsmi load only (bench/smiload.c)' ;;
	smiload-e) echo 'libsmi load with error checks (smiload -e)' ;;
	esac
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "-" }'; }

echo "mibc compiler benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPU ($(lscpu 2>/dev/null |
	sed -n 's/^Model name: *//p' | head -1)), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "$($MIBC --version 2>&1 | head -1); $(mibdump --version 2>&1 | sed -n 's/.*library version \([^,]*\),.*/pysmi \1/p' | head -1); $(smidump -V 2>&1 | head -1)"
echo "corpus: $corpus ($(printf '%s/ ' "${dirs[@]}")), $nmod modules; whole corpus: best of $repeat; module by module: $nsample module$([ $quick = 1 ] && echo 's (--quick sample)' || echo s), best of $each_repeat"
echo
echo '| mode | tool | wall s | CPU s | peak RSS MB | ok | failed | none | wall / mibc c | CPU / mibc c | notes |'
echo '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|'
for mode in whole each; do
	if [ $mode = whole ]; then tools=("${whole_tools[@]}"); mname="whole corpus ($nmod)"
	else tools=("${each_tools[@]}"); mname="one process per module ($nsample)"; fi
	bw=${R[$mode/mibc-c/wall]} bc=${R[$mode/mibc-c/cpu]}
	for t in "${tools[@]}"; do
		read -r o f z <<< "${R[$mode/$t/counts]}"
		printf '| %s | %s | %.2f | %.2f | %.1f | %s | %s | %s | %s | %s | %s |\n' "$mname" "$(label "$t")" \
			"${R[$mode/$t/wall]}" "${R[$mode/$t/cpu]}" "$(awk -v k="${R[$mode/$t/rss]}" 'BEGIN { print k / 1024 }')" \
			"$o" "$f" "$z" "$(ratio "${R[$mode/$t/wall]}" "$bw")" "$(ratio "${R[$mode/$t/cpu]}" "$bc")" "${R[$mode/$t/note]}"
	done
done
echo
echo 'ok/failed/none: per requested module, from each tool'"'"'s own summary (mibc, mibdump: Created/updated'
echo 'vs Failed/Missing/Ignored; none = stubs, parsed but not generated) or outputs (smidump: output'
echo 'written, failed = "contains errors", i.e. libsmi severity <= 2, dumped anyway with -k); a crashed'
echo 'process fails its module. All runs use --ignore-errors (mibc, mibdump) or -k (smidump).'
echo

# Targets: a ratio passes only if it holds for both wall and CPU time.
target() { # name wall-ratio cpu-ratio op limit
	local pass
	if [ "$2" = - ] || [ "$3" = - ]; then
		printf -- '- n/a %s: not measured in this run\n' "$1"
		return
	fi
	pass=$(awk -v w="$2" -v c="$3" -v op="$4" -v l="$5" 'BEGIN {
		ok = (op == ">=") ? (w >= l && c >= l) : (w < l && c < l); print ok ? "PASS" : "MISS" }')
	printf -- '- %s %s: wall %s, CPU %s (target %s %s)\n' "$pass" "$1" "$2" "$3" "$4" "$5"
}
faster() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "") ? b : (b == "" || a < b) ? a : b }'; }
md_w=$(faster "${R[whole/mibdump-json/wall]}" "${R[whole/mibdump-pysnmp/wall]}")
md_c=$(faster "${R[whole/mibdump-json/cpu]}" "${R[whole/mibdump-pysnmp/cpu]}")
echo 'Targets (ratios from this run):'
target 'whole corpus, mibdump (faster of json/pysnmp) / mibc c' \
	"$(ratio "$md_w" "${R[whole/mibc-c/wall]}")" "$(ratio "$md_c" "${R[whole/mibc-c/cpu]}")" '>=' 20
target 'whole corpus, mibc c / smidump -f identifiers' \
	"$(ratio "${R[whole/mibc-c/wall]}" "${R[whole/smidump-identifiers/wall]}")" \
	"$(ratio "${R[whole/mibc-c/cpu]}" "${R[whole/smidump-identifiers/cpu]}")" '<' 1.5
target 'one process per module, mibc c / smidump -f identifiers' \
	"$(ratio "${R[each/mibc-c/wall]}" "${R[each/smidump-identifiers/wall]}")" \
	"$(ratio "${R[each/mibc-c/cpu]}" "${R[each/smidump-identifiers/cpu]}")" '<' 1.5
printf -- '- info: mibc c / libsmi load only (smiLoadModule, no walk): whole corpus wall %s, CPU %s; per module wall %s, CPU %s\n' \
	"$(ratio "${R[whole/mibc-c/wall]}" "${R[whole/smiload/wall]}")" "$(ratio "${R[whole/mibc-c/cpu]}" "${R[whole/smiload/cpu]}")" \
	"$(ratio "${R[each/mibc-c/wall]}" "${R[each/smiload/wall]}")" "$(ratio "${R[each/mibc-c/cpu]}" "${R[each/smiload/cpu]}")"
printf -- '- info: mibc c / libsmi load with error checks (smiload -e): whole corpus wall %s, CPU %s; per module wall %s, CPU %s\n' \
	"$(ratio "${R[whole/mibc-c/wall]}" "${R[whole/smiload-e/wall]}")" "$(ratio "${R[whole/mibc-c/cpu]}" "${R[whole/smiload-e/cpu]}")" \
	"$(ratio "${R[each/mibc-c/wall]}" "${R[each/smiload-e/wall]}")" "$(ratio "${R[each/mibc-c/cpu]}" "${R[each/smiload-e/cpu]}")"
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.1f", 100 * a / b; else print "-" }'; }
rw=$(pct "${R[whole/mibc-c-rerun/wall]}" "${R[whole/mibc-c/wall]}")
rc=$(pct "${R[whole/mibc-c-rerun/cpu]}" "${R[whole/mibc-c/cpu]}")
target 'up-to-date rerun of mibc c, % of its full build' "$rw" "$rc" '<' 5
