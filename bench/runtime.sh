#!/bin/bash
# Runtime benchmark: mibc's SNMP client against its peers, in one run.
#
#   bench/runtime.sh [--seconds S] [--repeat N] [--pin CPU] [--keep]
#
# Agents: bench/responder.c (a fast C responder on 1000 ports of
# 127.0.0.1, so the agent is not what is measured) and, for one v2c case
# and the SNMPv3 case, a real snmpd started here with a generated config.
# Peers, each in its own process, one after another in the same run:
#   mibc     bench/snmpload.c --client mibc (generated typed getters)
#   net-snmp bench/snmpload.c --client netsnmp (snmp_sess_async_send, one
#            session per agent, all in one epoll loop, snmp_sess_read2)
#   pysnmp   bench/pysnmp-load.py (Debian python3-pysnmp4, asyncore hlapi)
#   gosnmp   bench/gosnmp-load/ (Debian golang-go and
#            golang-github-gosnmp-gosnmp-dev, built offline from
#            /usr/share/gocode; one goroutine and handle per request in flight)
#   snmpget  a shell loop of snmpget processes (K = 1 only)
# The ifTable walk: mibc's generated if_mib_if_entry_walk (typed rows),
# net-snmp and gosnmp GETBULK walks of the subtree with max-repetitions 50,
# pysnmp's bulkCmd likewise; there a "request" is one cell.
# Peers that are not installed are skipped with the reason.  Each load runs
# S seconds (default 2) after an untimed set-up; with --repeat N every case
# runs N times (rounds interleaved: all cases, then all again) and the table
# shows, per case and peer, the run with the median CPU per request.  Also runs bench/decode.c
# (decode cost per varbind, mibc vs net-snmp on the same bytes).
#
# --pin CPU runs the agents and every client on that one CPU (taskset): a
# diagnosis, not the standard run.  With client and agent on two CPUs, a
# busy pair pays the kernel's cross-CPU costs (deferred frees of sent
# buffers, cache misses on the other side's datagrams) on every request,
# the same for every peer; on one CPU those are gone and what remains is
# each client's own work.
# Prints a Markdown table (stdout) with, per case and peer: requests/s,
# client CPU (getrusage of the client process: user + system) per request
# and per varbind, that CPU as a multiple of mibc's, heap bytes per request
# in flight and per agent, file descriptors open with every request in
# flight, errors; then the issue's targets with PASS/MISS.  Progress goes
# to stderr.
#
# Environment: CC (default cc) for the measure helper; the C peers are
# built with meson + ninja in <repo>/build-bench-runtime (release).
set -u -o pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=2 keep=0 repeat=1 pin=()
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=$2; shift ;;
	--seconds=*) seconds=${1#*=} ;;
	--repeat) repeat=$2; shift ;;
	--repeat=*) repeat=${1#*=} ;;
	--keep) keep=1 ;;
	--pin) pin=(taskset -c "$2"); shift ;;
	--pin=*) pin=(taskset -c "${1#*=}") ;;
	-h|--help) sed -n '2,/^set /p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "runtime.sh: unknown argument $1" >&2; exit 64 ;;
	esac
	shift
done

case $repeat in ''|*[!0-9]*|0) echo "runtime.sh: --repeat wants a positive number" >&2; exit 64 ;; esac

say() { printf '%s\n' "$*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/mibc-rtbench.XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	if [ $keep = 1 ]; then say "work directory: $work (kept)"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- tools ---------------------------------------------------------------
build=$repo/build-bench-runtime
if [ ! -f "$build/build.ninja" ]; then
	say "building the benchmark helpers in $build"
	# -Werror stays with the debug build CI makes: gcc 12 at -O3 sees
	# false positives (format-truncation, dangling-pointer) elsewhere
	meson setup --buildtype=release -Dtests=disabled -Dwerror=false "$build" "$repo" >&2 || exit 70
fi
ninja -C "$build" bench/responder bench/snmpload bench/decode >&2 || exit 70
${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror -o "$work/measure" "$repo/bench/measure.c" || exit 70

python=/usr/bin/python3
skip_pysnmp= skip_gosnmp= skip_snmpget= skip_snmpd=
$python -c 'import pysnmp.hlapi.asyncore' 2>/dev/null ||
	skip_pysnmp="not installed (apt-get install python3-pysnmp4)"
if ! command -v go >/dev/null; then
	skip_gosnmp="no Go compiler (apt-get install golang-go golang-github-gosnmp-gosnmp-dev)"
elif [ ! -d /usr/share/gocode/src/github.com/gosnmp/gosnmp ]; then
	skip_gosnmp="not installed (apt-get install golang-github-gosnmp-gosnmp-dev)"
else
	(cd "$repo/bench/gosnmp-load" && GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= \
		GOCACHE="$work/gocache" go build -o "$work/gosnmp-load" .) >&2 ||
		skip_gosnmp="does not build (see above)"
fi
command -v snmpget >/dev/null || skip_snmpget="snmpget not installed (snmp)"
snmpd=$(command -v snmpd || ls /usr/sbin/snmpd 2>/dev/null)
[ -n "$snmpd" ] || skip_snmpd="snmpd not installed (snmpd)"

# --- agents --------------------------------------------------------------
"${pin[@]}" "$build/bench/responder" --port 20100 --count 1000 --ready "$work/port" 2>"$work/responder.log" &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port" 2>/dev/null) || { echo "runtime.sh: the responder did not start" >&2; exit 70; }
say "responder on 127.0.0.1:$port..$((port + 999))"

v3user=benchuser v3auth=bench-auth-pass v3priv=bench-priv-pass
if [ -z "$skip_snmpd" ]; then
	mkdir -p "$work/snmpd"
	cat > "$work/snmpd/snmpd.conf" <<-EOF
	rocommunity public 127.0.0.1
	createUser $v3user SHA $v3auth AES $v3priv
	rouser $v3user priv
	dontLogTCPWrappersConnects yes
	EOF
	snmpd_port=$($python -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	SNMP_PERSISTENT_DIR=$work/snmpd SNMPCONFPATH=$work/snmpd \
		"${pin[@]}" "$snmpd" -f -Lf "$work/snmpd/log" -C -c "$work/snmpd/snmpd.conf" \
		-p "$work/snmpd/pid" "udp:127.0.0.1:$snmpd_port" &
	pids+=($!)
	up=0
	for _ in $(seq 50); do
		if snmpget -v2c -c public -r0 -t1 -On "127.0.0.1:$snmpd_port" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1; then
			up=1; break
		fi
		sleep 0.2
	done
	[ $up = 1 ] || skip_snmpd="snmpd did not answer (see its log)"
fi
[ -n "$skip_snmpd" ] && say "snmpd: $skip_snmpd"

# --- running the peers ---------------------------------------------------
rows=$work/rows
: > "$rows"
# run_peer CASE PEER ARGS...: one load, its line of key=value appended to rows
run_peer() {
	local case=$1 peer=$2; shift 2
	local cmd=() skip=
	case $peer in
	mibc) cmd=("$build/bench/snmpload" --client mibc) ;;
	net-snmp) cmd=("$build/bench/snmpload" --client netsnmp) ;;
	pysnmp) cmd=("$python" "$repo/bench/pysnmp-load.py"); skip=$skip_pysnmp ;;
	gosnmp) cmd=("$work/gosnmp-load"); skip=$skip_gosnmp ;;
	esac
	if [ -n "$skip" ]; then
		printf '%s|%s|skip|%s\n' "$case" "$peer" "$skip" >> "$rows"
		return
	fi
	say "  $case: $peer"
	local out
	out=$(timeout 120 "${pin[@]}" "${cmd[@]}" --seconds "$seconds" "$@" 2>"$work/err") || true
	if [ -z "$out" ]; then
		printf '%s|%s|fail|%s\n' "$case" "$peer" "$(head -c 200 "$work/err" | tr '\n|' '  ')" >> "$rows"
		return
	fi
	printf '%s|%s|ok|%s\n' "$case" "$peer" "$out" >> "$rows"
}

# snmpget in a shell loop, one process per GET, for S seconds
run_snmpget() {
	local case=$1 target=$2 oid=$3
	if [ -n "$skip_snmpget" ]; then
		printf '%s|snmpget|skip|%s\n' "$case" "$skip_snmpget" >> "$rows"
		return
	fi
	say "  $case: snmpget"
	cat > "$work/loop.sh" <<-EOF
	n=0; end=\$((SECONDS + ${seconds%.*}))
	while [ \$SECONDS -lt \$end ] || [ \$n -eq 0 ]; do
		snmpget -v2c -c public -r1 -t1 -On $target $oid >/dev/null || echo fail >&2
		n=\$((n + 1))
	done
	echo \$n > "$work/loop.n"
	EOF
	local m n errors
	m=$("$work/measure" -e "$work/loop.err" -- bash "$work/loop.sh")
	n=$(cat "$work/loop.n")
	errors=$(grep -c fail "$work/loop.err")
	local wall user sys rss
	wall=$(sed -n 's/.*wall=\([^ ]*\).*/\1/p' <<<"$m")
	user=$(sed -n 's/.*user=\([^ ]*\).*/\1/p' <<<"$m")
	sys=$(sed -n 's/.*sys=\([^ ]*\).*/\1/p' <<<"$m")
	rss=$(sed -n 's/.*maxrss_kb=\([^ ]*\).*/\1/p' <<<"$m")
	printf '%s|snmpget|ok|requests=%s varbinds=%s errors=%s wall_s=%s cpu_s=%s req_per_s=%s cpu_us_per_req=%s mem_per_inflight=%s mem_per_agent=0 fds=- counting_malloc=rss\n' \
		"$case" "$n" "$n" "$errors" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')" \
		"$(awk -v n="$n" -v w="$wall" 'BEGIN{printf "%.0f", n/w}')" \
		"$(awk -v n="$n" -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", (u+s)*1e6/n}')" \
		"$((rss * 1024))" >> "$rows"
}

peers=(mibc net-snmp pysnmp gosnmp)
resp=(--port "$port" --object ifInOctets)
for round in $(seq "$repeat"); do
	say "round $round of $repeat (${seconds} s per load)"
	for k in 1 10 100 1000; do
		for p in "${peers[@]}"; do run_peer "K=$k, 1 agent, 1 varbind" "$p" "${resp[@]}" --inflight $k; done
		[ $k = 1 ] && run_snmpget "K=$k, 1 agent, 1 varbind" "127.0.0.1:$port" 1.3.6.1.2.1.2.2.1.10.1
	done
	for p in "${peers[@]}"; do run_peer "1000 agents x 1 request" "$p" "${resp[@]}" --agents 1000 --inflight 1000; done
	for p in "${peers[@]}"; do run_peer "K=10, 1 agent, 50 varbinds" "$p" "${resp[@]}" --inflight 10 --varbinds 50; done
	# one walk at a time; a "request" is a cell (mibc: typed ifEntry rows)
	for p in "${peers[@]}"; do run_peer "ifTable walk, 10k rows x 9 columns (per cell)" "$p" "${resp[@]}" --walk ifTable; done
	if [ -z "$skip_snmpd" ]; then
		sd=(--port "$snmpd_port" --object sysUpTime --inflight 10)
		for p in "${peers[@]}"; do run_peer "snmpd v2c, K=10" "$p" "${sd[@]}"; done
		for p in "${peers[@]}"; do
			run_peer "snmpd v3 authPriv (SHA/AES), K=10" "$p" "${sd[@]}" --version 3 \
				--user $v3user --auth-pass $v3auth --priv-pass $v3priv
		done
	else
		printf 'snmpd cases|all|skip|%s\n' "$skip_snmpd" >> "$rows"
	fi
done
say "  decode micro-benchmark"
"$build/bench/decode" --seconds "$seconds" > "$work/decode" || true
kill "${pids[0]}" 2>/dev/null
sleep 0.3

# --- the table -----------------------------------------------------------
# per case and peer, the run with the median CPU per request (or, when no
# run succeeded, the first)
all_rows=$work/rows.all
mv "$rows" "$all_rows"
awk -F'|' '!seen[$1 FS $2]++ { print $1 FS $2 }' "$all_rows" > "$work/keys"
while IFS='|' read -r c p; do
	awk -F'|' -v c="$c" -v p="$p" '$1 == c && $2 == p && $3 == "ok" {
		n = split($4, a, " ")
		for (i = 1; i <= n; i++) if (a[i] ~ /^cpu_us_per_req=/) { v = a[i]; sub(/^[^=]*=/, "", v); print v "\t" $0 } }' "$all_rows" |
		sort -g | awk -F'\t' '{ l[NR] = $2 } END { if (NR) print l[int((NR + 1) / 2)] }' > "$work/pick"
	if [ -s "$work/pick" ]; then cat "$work/pick"
	else awk -F'|' -v c="$c" -v p="$p" '$1 == c && $2 == p { print; exit }' "$all_rows"; fi
done < "$work/keys" > "$rows"
cpus=$(nproc)
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "mibc runtime benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $cpus CPU ($model), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
[ ${#pin[@]} -gt 0 ] && echo "(--pin: agents and clients all on CPU ${pin[2]}, a diagnosis run)"
echo
echo "net-snmp $(net-snmp-config --version 2>/dev/null); pysnmp $($python -c 'import pysnmp; print(pysnmp.__version__)' 2>/dev/null || echo -); $(go version 2>/dev/null | cut -d' ' -f3 || echo -); ${seconds} s per load, $repeat run(s) per case (median by CPU per request); responder: $(tail -1 "$work/responder.log")"
echo
echo '| case | peer | requests/s | CPU us/request | CPU us/varbind | CPU / mibc | heap B per request in flight | heap B per agent | fds | errors |'
echo '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|'
awk -F'|' '
function kv(s, key,   n, a, i, p) {
	n = split(s, a, " ")
	for (i = 1; i <= n; i++) { p = index(a[i], "="); if (substr(a[i], 1, p - 1) == key) return substr(a[i], p + 1) }
	return ""
}
{
	c = $1; peer = $2
	if ($3 != "ok") { printf "| %s | %s | %s: %s | | | | | | | |\n", c, peer, $3, $4; next }
	cpu = kv($4, "cpu_us_per_req") + 0; req = kv($4, "requests") + 0; vb = kv($4, "varbinds") + 0
	if (peer == "mibc") base[c] = cpu
	ratio = (c in base && base[c] > 0) ? sprintf("%.2f", cpu / base[c]) : "-"
	mem = kv($4, "mem_per_inflight"); how = kv($4, "counting_malloc")
	if (how == "0") mem = mem " (RSS)"; else if (how == "rss") mem = sprintf("%.0f MB RSS/process", mem / 1048576)
	agent = kv($4, "mem_per_agent"); if (how != "1") agent = "-"
	printf "| %s | %s | %s | %.2f | %.3f | %s | %s | %s | %s | %s |\n", c, peer, kv($4, "req_per_s"), cpu,
		(vb > 0 ? cpu * req / vb : 0), ratio, mem, agent, kv($4, "fds"), kv($4, "errors")
}' "$rows"
echo
echo '| decode (same Response bytes) | mibc ns/varbind | net-snmp ns/varbind | mibc / net-snmp |'
echo '|---|---:|---:|---:|'
awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	printf "| %s varbind(s), %s bytes | %s | %s | %s |\n", v["varbinds"], v["bytes"], v["mibc_ns_per_vb"], v["netsnmp_ns_per_vb"], v["ratio"] }' "$work/decode"

# --- targets -------------------------------------------------------------
echo
get() { # get CASE PEER KEY
	awk -F'|' -v c="$1" -v p="$2" -v k="$3" '$1 == c && $2 == p && $3 == "ok" {
		n = split($4, a, " "); for (i = 1; i <= n; i++) { split(a[i], kv, "="); if (kv[1] == k) print kv[2] } }' "$rows"
}
verdict() { # verdict TEXT VALUE LIMIT: PASS when VALUE <= LIMIT
	if [ -z "$2" ] || [ -z "$3" ]; then echo "- n/a: $1 (a peer is missing)"; return; fi
	awk -v t="$1" -v v="$2" -v l="$3" 'BEGIN { printf "- %s: %s (%s, limit %s)\n", (v + 0 <= l + 0) ? "PASS" : "MISS", t, v, l }'
}
k100="K=100, 1 agent, 1 varbind"
m=$(get "$k100" mibc cpu_us_per_req) n=$(get "$k100" net-snmp cpu_us_per_req) p=$(get "$k100" pysnmp cpu_us_per_req)
verdict "K=100 CPU per typed GET <= 0.6 x net-snmp async" "$([ -n "$m" ] && [ -n "$n" ] && awk -v a="$m" -v b="$n" 'BEGIN{printf "%.3f", a/b}')" 0.6
verdict "K=100 CPU per typed GET <= 1/100 of pysnmp" "$([ -n "$m" ] && [ -n "$p" ] && awk -v a="$m" -v b="$p" 'BEGIN{printf "%.4f", a/b}')" 0.01
while read -r line; do
	vbn=$(sed -n 's/.*varbinds=\([0-9]*\).*/\1/p' <<<"$line"); r=$(sed -n 's/.*ratio=\([0-9.]*\).*/\1/p' <<<"$line")
	verdict "decode per varbind <= 1/10 of net-snmp ($vbn-varbind Response)" "$r" 0.1
done < "$work/decode"
verdict "heap per request in flight <= 256 B (K=1000)" "$(get "K=1000, 1 agent, 1 varbind" mibc mem_per_inflight)" 256
f1=$(get "K=1, 1 agent, 1 varbind" mibc fds) f1000=$(get "1000 agents x 1 request" mibc fds)
verdict "no fd per agent (fds with 1000 agents minus fds with 1)" "$([ -n "$f1" ] && [ -n "$f1000" ] && echo $((f1000 - f1)))" 0
v3="snmpd v3 authPriv (SHA/AES), K=10"
m=$(get "$v3" mibc cpu_us_per_req) n=$(get "$v3" net-snmp cpu_us_per_req)
verdict "v3 authPriv CPU per request <= net-snmp's" "$([ -n "$m" ] && [ -n "$n" ] && awk -v a="$m" -v b="$n" 'BEGIN{printf "%.3f", a/b}')" 1.0
