#!/usr/bin/python3
"""pysnmp peer of bench/snmpload.c (run by bench/runtime.sh).

Same options and the same one-line output as snmpload: K requests kept in
flight with pysnmp's asyncore hlapi (getCmd with a callback, as the seed's
users drive it), one engine, slot i asking agent i % A, each completed
request starting the next on its slot until the time is up.  lookupMib is
off (no MIB resolution of the responses): pysnmp's cheapest hlapi path.
Before the clock starts every agent is asked once (pysnmp configures a
target at its first request; SNMPv3 discovers the engine ID).
CPU is getrusage of this process; memory is the RSS growth while K
requests are issued, over K (Python has no cheap counting malloc)."""
import argparse
import os
import resource
import sys
import time

from pysnmp.hlapi.asyncore import (CommunityData, ContextData, ObjectIdentity,
                                   ObjectType, SnmpEngine, UdpTransportTarget,
                                   UsmUserData, bulkCmd, getCmd, usmAesCfb128Protocol,
                                   usmHMACSHAAuthProtocol)

IF_IN_OCTETS = (1, 3, 6, 1, 2, 1, 2, 2, 1, 10)
SYS_UP_TIME_0 = (1, 3, 6, 1, 2, 1, 1, 3, 0)


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def rss_bytes():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--agents', type=int, default=1)
    ap.add_argument('--inflight', type=int, default=1)
    ap.add_argument('--varbinds', type=int, default=1)
    ap.add_argument('--seconds', type=float, default=2)
    ap.add_argument('--object', choices=['ifInOctets', 'sysUpTime'], default='ifInOctets')
    ap.add_argument('--rows', type=int, default=10000)
    ap.add_argument('--version', choices=['1', '2c', '3'], default='2c')
    ap.add_argument('--user')
    ap.add_argument('--auth-pass')
    ap.add_argument('--priv-pass')
    ap.add_argument('--client', default='pysnmp')  # accepted for symmetry
    ap.add_argument('--walk', choices=['ifTable'])
    o = ap.parse_args()

    engine = SnmpEngine()
    if o.version == '3':
        auth = UsmUserData(o.user, o.auth_pass, o.priv_pass,
                           authProtocol=usmHMACSHAAuthProtocol,
                           privProtocol=usmAesCfb128Protocol)
    else:
        auth = CommunityData('public', mpModel=0 if o.version == '1' else 1)
    targets = [UdpTransportTarget(('127.0.0.1', o.port + a), timeout=1, retries=1)
               for a in range(o.agents)]
    context = ContextData()
    st = {'completed': 0, 'varbinds': 0, 'errors': 0, 'issued': 0, 'sink': 0,
          'deadline': 0.0}
    span = max(o.rows - o.varbinds + 1, 1)

    def names(slot):
        if o.object == 'sysUpTime':
            return [ObjectType(ObjectIdentity(SYS_UP_TIME_0))]
        row = (slot * 7919 + st['issued'] * 104729) % span + 1
        return [ObjectType(ObjectIdentity(IF_IN_OCTETS + (row + i,)))
                for i in range(o.varbinds)]

    def on_response(snmpEngine, sendRequestHandle, errorIndication, errorStatus,
                    errorIndex, varBinds, slot):
        if errorIndication or errorStatus or len(varBinds) != o.varbinds:
            st['errors'] += 1
        else:
            for _, value in varBinds:
                st['sink'] += int(value)
            st['completed'] += 1
            st['varbinds'] += len(varBinds)
        issue(slot)

    # --walk ifTable: bulkCmd (max-repetitions 50) over ifTable's subtree,
    # walked again until the time is up; requests and varbinds count cells
    IF_TABLE = (1, 3, 6, 1, 2, 1, 2, 2, 1)

    def on_bulk(snmpEngine, sendRequestHandle, errorIndication, errorStatus,
                errorIndex, varBindTable, slot):
        if errorIndication or errorStatus:
            st['errors'] += 1
            issue(slot)
            return False
        for row in varBindTable:
            for name, value in row:
                oid = tuple(name)
                if oid[:9] != IF_TABLE or value.tagSet == EndOfMibView.tagSet:
                    issue(slot)
                    return False
                st['varbinds'] += 1
                st['completed'] += 1
                if oid[9] == 10:
                    st['sink'] += int(value)
        if time.monotonic() >= st['deadline']:
            return False
        return True

    def issue(slot):
        if time.monotonic() >= st['deadline']:
            return
        st['issued'] += 1
        if o.walk:
            bulkCmd(engine, auth, targets[slot % o.agents], context, 0, 50,
                    ObjectType(ObjectIdentity(IF_TABLE)),
                    cbFun=on_bulk, cbCtx=slot, lookupMib=False)
            return
        getCmd(engine, auth, targets[slot % o.agents], context, *names(slot),
               cbFun=on_response, cbCtx=slot, lookupMib=False)

    from pysnmp.proto.rfc1905 import EndOfMibView
    # warm-up: one request per agent, untimed
    st['deadline'] = time.monotonic() + 3600
    for a in range(o.agents):
        getCmd(engine, auth, targets[a], context, *names(a),
               cbFun=lambda *args: None, lookupMib=False)
    engine.transportDispatcher.runDispatcher()

    st['issued'] = 0
    cpu0, wall0 = cpu_seconds(), time.monotonic()
    st['deadline'] = wall0 + o.seconds
    rss0 = rss_bytes()
    for slot in range(o.inflight):
        issue(slot)
    rss1 = rss_bytes()
    fds = len(os.listdir('/proc/self/fd')) - 1
    engine.transportDispatcher.runDispatcher()
    wall, cpu = time.monotonic() - wall0, cpu_seconds() - cpu0
    engine.transportDispatcher.closeDispatcher()
    n = st['completed']
    print('requests=%d varbinds=%d errors=%d wall_s=%.3f cpu_s=%.3f req_per_s=%.0f '
          'cpu_us_per_req=%.2f mem_per_inflight=%.0f mem_per_agent=0 fds=%d counting_malloc=0'
          % (n, st['varbinds'], st['errors'], wall, cpu, n / wall if wall else 0,
             cpu * 1e6 / n if n else 0, (rss1 - rss0) / o.inflight, fds))
    return 0 if n else 1


if __name__ == '__main__':
    sys.exit(main())
