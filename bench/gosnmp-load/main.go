// gosnmp peer of bench/snmpload.c (run by bench/runtime.sh).
//
// Same options and the same one-line output as snmpload.  gosnmp's GoSNMP
// handle sends one request at a time and waits for its answer, so K
// requests in flight are K goroutines, each with its own handle (one UDP
// socket each), slot i asking agent i % A until the time is up.  Every
// handle is connected (and for SNMPv3 has its engine discovered by a first
// GET) before the clock starts.  CPU is getrusage of the process (all
// threads); memory is the RSS growth over the connected handles and their
// goroutines, over K.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	g "github.com/gosnmp/gosnmp"
)

func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func rssBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	var size, rss int64
	fmt.Sscan(strings.TrimSpace(string(b)), &size, &rss)
	return rss * int64(os.Getpagesize())
}

func countFds() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries) - 1
}

func main() {
	port := flag.Int("port", 0, "first agent port")
	agents := flag.Int("agents", 1, "agents")
	inflight := flag.Int("inflight", 1, "requests in flight")
	varbinds := flag.Int("varbinds", 1, "objects per GET")
	seconds := flag.Float64("seconds", 2, "duration")
	object := flag.String("object", "ifInOctets", "ifInOctets or sysUpTime")
	rows := flag.Int("rows", 10000, "rows of the agent's ifTable")
	version := flag.String("version", "2c", "1, 2c or 3")
	user := flag.String("user", "", "SNMPv3 user")
	authPass := flag.String("auth-pass", "", "SNMPv3 SHA password")
	privPass := flag.String("priv-pass", "", "SNMPv3 AES password")
	flag.String("client", "gosnmp", "accepted for symmetry")
	walk := flag.String("walk", "", "ifTable: BulkWalk ifTable's subtree (max-repetitions 50) again and again; requests count cells")
	flag.Parse()
	if *port == 0 {
		fmt.Fprintln(os.Stderr, "gosnmp-load: --port is required")
		os.Exit(64)
	}
	span := *rows - *varbinds + 1
	if span < 1 {
		span = 1
	}
	names := func(slot int, issued int64) []string {
		if *object == "sysUpTime" {
			return []string{".1.3.6.1.2.1.1.3.0"}
		}
		row := (int64(slot)*7919+issued*104729)%int64(span) + 1
		oids := make([]string, *varbinds)
		for i := range oids {
			oids[i] = fmt.Sprintf(".1.3.6.1.2.1.2.2.1.10.%d", row+int64(i))
		}
		return oids
	}

	rss0 := runtimeRSS()
	handles := make([]*g.GoSNMP, *inflight)
	for i := range handles {
		h := &g.GoSNMP{
			Target:         "127.0.0.1",
			Port:           uint16(*port + i%*agents),
			Community:      "public",
			Version:        g.Version2c,
			Timeout:        time.Second,
			Retries:        1,
			MaxOids:        64,
			MaxRepetitions: 50,
		}
		switch *version {
		case "1":
			h.Version = g.Version1
		case "3":
			h.Version = g.Version3
			h.SecurityModel = g.UserSecurityModel
			h.MsgFlags = g.AuthPriv
			h.SecurityParameters = &g.UsmSecurityParameters{
				UserName:                 *user,
				AuthenticationProtocol:   g.SHA,
				AuthenticationPassphrase: *authPass,
				PrivacyProtocol:          g.AES,
				PrivacyPassphrase:        *privPass,
			}
		}
		if err := h.Connect(); err != nil {
			fmt.Fprintln(os.Stderr, "gosnmp-load: connect:", err)
			os.Exit(1)
		}
		if _, err := h.Get(names(i, 0)); *walk == "" && err != nil {
			fmt.Fprintln(os.Stderr, "gosnmp-load: first GET:", err)
			os.Exit(1)
		}
		handles[i] = h
	}
	memPerInflight := float64(runtimeRSS()-rss0) / float64(*inflight)
	fds := countFds()

	var completed, vbs, errs, issued int64
	var sink uint64
	cpu0, wall0 := cpuSeconds(), time.Now()
	deadline := wall0.Add(time.Duration(*seconds * float64(time.Second)))
	var wg sync.WaitGroup
	for i := range handles {
		wg.Add(1)
		go func(slot int, h *g.GoSNMP) {
			defer wg.Done()
			errStop := fmt.Errorf("time is up")
			for *walk != "" && time.Now().Before(deadline) {
				atomic.AddInt64(&issued, 1)
				err := h.BulkWalk(".1.3.6.1.2.1.2.2.1", func(pdu g.SnmpPDU) error {
					atomic.AddUint64(&sink, g.ToBigInt(pdu.Value).Uint64())
					atomic.AddInt64(&completed, 1)
					atomic.AddInt64(&vbs, 1)
					if !time.Now().Before(deadline) {
						return errStop
					}
					return nil
				})
				if err != nil && err != errStop {
					atomic.AddInt64(&errs, 1)
				}
			}
			for *walk == "" && time.Now().Before(deadline) {
				n := atomic.AddInt64(&issued, 1)
				res, err := h.Get(names(slot, n))
				if err != nil || res.Error != g.NoError || len(res.Variables) != *varbinds {
					atomic.AddInt64(&errs, 1)
					continue
				}
				var sum uint64
				for _, v := range res.Variables {
					sum += g.ToBigInt(v.Value).Uint64()
				}
				atomic.AddUint64(&sink, sum)
				atomic.AddInt64(&completed, 1)
				atomic.AddInt64(&vbs, int64(len(res.Variables)))
			}
		}(i, handles[i])
	}
	wg.Wait()
	wall, cpu := time.Since(wall0).Seconds(), cpuSeconds()-cpu0
	perReq := 0.0
	if completed > 0 {
		perReq = cpu * 1e6 / float64(completed)
	}
	fmt.Printf("requests=%d varbinds=%d errors=%d wall_s=%.3f cpu_s=%.3f req_per_s=%.0f "+
		"cpu_us_per_req=%.2f mem_per_inflight=%.0f mem_per_agent=0 fds=%d counting_malloc=0\n",
		completed, vbs, errs, wall, cpu, float64(completed)/wall, perReq, memPerInflight, fds)
	if completed == 0 {
		os.Exit(1)
	}
}

func runtimeRSS() int64 { return rssBytes() }
