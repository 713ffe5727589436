#!/usr/bin/env python3
"""Oracle test: mibc's JSON against pysmi's mibdump, module by module.

Both compile every module of the corpus' ietf/ and iana/ folders to JSON
with the same options; then, per symbol of each module, we compare what
both must agree on: OID, kind (class and nodetype), the syntax (the type
named and the refinement written: enumeration, range, size, bits),
MAX-ACCESS, STATUS, UNITS, table indexes and AUGMENTS, the objects of
notifications and groups, compliance groups and DEFVALs.

libsmi and pysmi disagree on a few things for reasons that are theirs,
not ours.  Each known disagreement is a rule in KNOWN below with the
reason; a difference no rule explains fails the test.  Rules that never
fire are reported too (so the list does not rot).

Environment: MIBC (the built mibc), MIBC_CORPUS (the shared MIB folder).
Exit 77 (skipped) when mibdump is not installed.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

MIBC = os.environ.get("MIBC")
CORPUS = os.environ.get("MIBC_CORPUS")
FOLDERS = ["ietf", "iana"]

# Type names the two spell differently for the same SMI type.
TYPE_SPELLING = {
    # libsmi cannot tell "INTEGER (1..10)" from "Integer32 (1..10)" (one
    # base type); pysmi keeps the word written.
    "INTEGER": "Integer32",
    # RFC1155-SMI's NetworkAddress: pysmi rewrites it to IpAddress.
    "NetworkAddress": "IpAddress",
}


def norm_name(name):
    # pysmi turns '-' in identifiers into '_' (a Python-ism); mibc keeps
    # the MIB's names.
    return name.replace("-", "_") if isinstance(name, str) else name


def norm_type(name):
    return TYPE_SPELLING.get(name, name)


def norm_syntax(syntax):
    if not isinstance(syntax, dict):
        return syntax
    out = {"type": norm_type(syntax.get("type"))}
    c = syntax.get("constraints") or {}
    for key in ("enumeration", "range", "size"):
        if key in c:
            out[key] = c[key]
    if "bits" in syntax:
        out["bits"] = syntax["bits"]
    return out


def norm_refs(refs, key_module="module"):
    return [(r.get("module"), norm_name(r.get("object"))) for r in refs or []]


TEXTS = ("description", "reference", "organization", "contactinfo")


def facts(sym, texts):
    """The comparable facts of one JSON symbol."""
    f = {}
    if texts:
        # mibdump keeps a space where a text began or ended with white
        # space; mibc trims (libsmi itself drops some of it).
        for key in TEXTS:
            if key in sym:
                f[key] = sym[key].strip()
        if "revisions" in sym:
            f["revision-texts"] = [r.get("description", "").strip()
                                   for r in sym["revisions"]]
        if "lastupdated" in sym:
            f["lastupdated"] = sym["lastupdated"]
    for key in ("oid", "class", "nodetype", "maxaccess", "status", "units"):
        if key in sym:
            f[key] = sym[key]
    if "syntax" in sym:
        f["syntax"] = norm_syntax(sym["syntax"])
    if "type" in sym and isinstance(sym["type"], dict):
        f["type"] = norm_syntax(sym["type"])
    if "displayhint" in sym:
        f["displayhint"] = sym["displayhint"]
    if "indices" in sym:
        f["indices"] = norm_refs(sym["indices"])
    if "augmention" in sym:
        f["augmention"] = norm_name(sym["augmention"].get("object"))
    if "objects" in sym:
        f["objects"] = norm_refs(sym["objects"])
    if "modulecompliance" in sym:
        f["modulecompliance"] = sorted(norm_refs(sym["modulecompliance"]))
    if "default" in sym:
        d = sym["default"]
        d = d.get("default", d)
        f["default"] = (d.get("format"), d.get("value"))
    if "revisions" in sym:
        f["revisions"] = [r.get("revision") for r in sym["revisions"]]
    return f


# ---- known disagreements ------------------------------------------------
#
# Each rule: (name, reason, predicate(module, symbol, key, ours, theirs)).
# `key` is the fact that differs ("missing" when mibdump has a symbol that
# mibc lacks, "extra" for the reverse).

def _trap_oid(mod, sym, key, ours, theirs, both):
    # pysmi builds a TRAP-TYPE's OID as enterprise + "0." + specific
    # without a dot between them: 1.3.6.1.2.1.10.5 -> 1.3.6.1.2.1.10.50.1.
    # libsmi (and RFC 1215) give enterprise.0.specific.
    if key != "oid" or both["theirs"].get("class") != "notificationtype":
        return False
    o, t = ours.split("."), theirs.split(".")
    return len(o) == len(t) + 1 and o[-2] == "0" and \
        ".".join(o[:-2]) + "0" == ".".join(t[:-1]) and o[-1] == t[-1]


def _merge(ranges):
    """Ranges as a sorted list of (min, max) with adjacent ones joined."""
    out = []
    for lo, hi in sorted((r["min"], r["max"]) for r in ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _ranges_merged(mod, sym, key, ours, theirs, both):
    # libsmi joins adjacent ranges ("-1 | 0..63" becomes -1..63, "1 | 2 |
    # 4 | 8" becomes 1..2 | 4 | 8): the same set of values.
    if key not in ("syntax", "type"):
        return False
    o, t = dict(ours), dict(theirs)
    for k in ("range", "size"):
        if k in o or k in t:
            if _merge(o.pop(k, [])) != _merge(t.pop(k, [])):
                return False
    return o == t


# SMIv1 modules import RFC1213-MIB's objects; pysmi rewrites those imports
# to the SMIv2 modules that replaced RFC 1213 (and the stub RFC1213-MIB is
# not compiled); libsmi names the module the MIB imports from.
RFC1213_SUCCESSORS = {"IF-MIB", "IP-MIB", "TCP-MIB", "UDP-MIB", "SNMPv2-MIB"}


def _rfc1213_successors(mod, sym, key, ours, theirs, both):
    if key not in ("indices", "objects") or len(ours) != len(theirs):
        return False
    for (mo, no), (mt, nt) in zip(ours, theirs):
        if no != nt:
            return False
        if mo != mt and not (mo == "RFC1213-MIB" and mt in RFC1213_SUCCESSORS):
            return False
    return True


def _defval_dropped(mod, sym, key, ours, theirs, both):
    # pysmi drops DEFVALs that are false in Python (0, "", an empty BITS
    # set) and the {0 0} OID value form.
    if key != "default" or theirs is not None:
        return False
    fmt, value = ours
    if fmt == "bits":
        return value == {"type": "Bits", "class": "type", "bits": {}}
    return value in (0, "", "(0, 0)")


def _defval_octets(mod, sym, key, ours, theirs, both):
    # libsmi keeps a DEFVAL's octets, not how they were written ('..'H or
    # "..."): mibc writes printable octets as a string, others as hex.
    if key != "default" or not theirs or not ours:
        return False
    def octets(fv):
        fmt, v = fv
        if fmt == "hex":
            return bytes.fromhex(v) if len(v) % 2 == 0 else None
        if fmt == "string":
            return v.encode("latin-1")
        return None
    o, t = octets(ours), octets(theirs)
    return o is not None and o == t


def _compliance_groups(mod, sym, key, ours, theirs, both):
    # pysmi loses the GROUP clauses that follow an OBJECT refinement in a
    # MODULE-COMPLIANCE (ARC-MIB arcCompliance: only its MANDATORY-GROUPS).
    return key == "modulecompliance" and set(map(tuple, theirs or [])) < \
        set(map(tuple, ours or []))


def _two_digit_year(mod, sym, key, ours, theirs, both):
    # LAST-UPDATED "9606040900Z": mibdump shows it as written, mibc with the
    # century (libsmi gives the date, not the text).
    return key == "lastupdated" and len(theirs) == 11 and ours == "19" + theirs


def _compliance_module(mod, sym, key, ours, theirs, both):
    # A group named in a MODULE clause of the wrong module (IPSEC-SPD-MIB
    # lists DIFFSERV-MIB's diffServMIBMultiFieldClfrGroup under "MODULE --
    # this module"): pysmi says the clause's module, libsmi the module
    # that defines the group.
    if key != "modulecompliance" or not ours or not theirs:
        return False
    return sorted(n for _, n in ours) == sorted(n for _, n in theirs)


def _smiv1_deprecated(mod, sym, key, ours, theirs, both):
    # libsmi reports an SMIv1 "STATUS deprecated" as obsolete.
    return key == "status" and ours == "obsolete" and theirs == "deprecated" \
        and both["smiv1"]


def _oid_alias(mod, sym, key, ours, theirs, both):
    # Two names for one OID in one module (ISDN-MIB isdnMibTrapPrefix and
    # isdnMibConformance): libsmi keeps one of them.
    return key == "missing" and theirs.get("oid") in both["our_oids"]


KNOWN = [
    ("trap-oid", "pysmi glues TRAP-TYPE OIDs wrongly (enterprise+'0.'+n)",
     _trap_oid),
    ("ranges-merged", "libsmi joins adjacent ranges", _ranges_merged),
    ("rfc1213-import", "pysmi maps RFC1213-MIB imports to IF-MIB etc.",
     _rfc1213_successors),
    ("defval-dropped", "pysmi drops false DEFVALs (0, \"\", {})",
     _defval_dropped),
    ("defval-octets", "libsmi keeps DEFVAL octets, not hex/string form",
     _defval_octets),
    ("compliance-groups", "pysmi loses GROUPs after an OBJECT clause",
     _compliance_groups),
    ("compliance-module", "pysmi names the MODULE clause, libsmi the definer",
     _compliance_module),
    ("smiv1-deprecated", "libsmi makes SMIv1 'deprecated' obsolete",
     _smiv1_deprecated),
    ("oid-alias", "libsmi keeps one of two names for one OID", _oid_alias),
    ("two-digit-year", "mibdump shows LAST-UPDATED as written",
     _two_digit_year),
]


def compare_module(mod, ours, theirs, problems, fired, texts):
    names_o = {norm_name(k): v for k, v in ours.items()
               if k not in ("imports", "meta") and isinstance(v, dict)}
    names_t = {k: v for k, v in theirs.items()
               if k not in ("imports", "meta") and isinstance(v, dict)}
    our_oids = {v.get("oid") for v in names_o.values() if "oid" in v}
    # SMIv1: no MODULE-IDENTITY (the JSON has no language field).
    smiv1 = not any(v.get("class") == "moduleidentity"
                    for v in names_o.values())
    for name in sorted(set(names_o) | set(names_t)):
        so, st = names_o.get(name), names_t.get(name)
        both = {"ours": so or {}, "theirs": st or {}, "our_oids": our_oids,
                "smiv1": smiv1}
        if so is None or st is None:
            key = "missing" if so is None else "extra"
            check(mod, name, key, so, st, both, problems, fired)
            continue
        fo, ft = facts(so, texts), facts(st, texts)
        for key in sorted(set(fo) | set(ft)):
            if fo.get(key) != ft.get(key):
                check(mod, name, key, fo.get(key), ft.get(key), both,
                      problems, fired)


def check(mod, name, key, ours, theirs, both, problems, fired):
    for rule, _reason, pred in KNOWN:
        try:
            ok = pred(mod, name, key, ours, theirs, both)
        except Exception:  # a rule that does not apply
            ok = False
        if ok:
            fired[rule] = fired.get(rule, 0) + 1
            return
    problems.append((mod, name, key, ours, theirs))


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, **kw)


def compare_run(mibdump, sources, modules, tmp, texts, problems, fired):
    """Compile with both tools, compare; (modules compared, set of modules
    only mibc wrote), or (None, None) when mibc failed."""
    tag = "texts" if texts else "plain"
    d_o, d_t = os.path.join(tmp, "mibc-" + tag), os.path.join(tmp, "mibdump-" + tag)
    os.mkdir(d_o)
    os.mkdir(d_t)
    common = ["--ignore-errors", "--destination-format", "json"]
    if texts:
        common.append("--generate-mib-texts")
    for s in sources:
        common += ["--mib-source", s]
    if os.environ.get("ORACLE_DIRS"):  # development: reuse outputs
        d_o, d_t = os.environ["ORACLE_DIRS"].split(":")
        if texts:
            return 0, set()
    else:
        run([mibdump] + common + ["--destination-directory", d_t] + modules)
        r = run([MIBC] + common + ["--destination-directory", d_o] + modules)
        if r.returncode != 0:
            print("mibc failed (exit %d):\n%s" % (r.returncode, r.stdout[-3000:]))
            return None, None
    compared = 0
    for f in sorted(os.listdir(d_t)):
        mod = f[:-5]
        po, pt = os.path.join(d_o, f), os.path.join(d_t, f)
        if not os.path.exists(po):
            problems.append((mod, "-", "module", None, "written by mibdump"))
            continue
        with open(po) as a, open(pt) as b:
            compare_module(mod, json.load(a), json.load(b), problems, fired,
                           texts)
        compared += 1
    only = {f[:-5] for f in os.listdir(d_o)
            if not os.path.exists(os.path.join(d_t, f))}
    return compared, only


def main():
    if not MIBC or not CORPUS:
        print("MIBC and MIBC_CORPUS must be set")
        return 1
    mibdump = shutil.which("mibdump")
    if not mibdump:
        print("mibdump is not installed: skipped")
        return 77
    sources = [os.path.join(CORPUS, f) for f in FOLDERS]
    modules = sorted(m for s in sources for m in os.listdir(s)
                     if not m.startswith("."))
    if len(sys.argv) > 1:
        modules = sys.argv[1:]
    tmp = tempfile.mkdtemp(prefix="mibc-oracle-")
    try:
        problems, fired = [], {}
        compared = 0
        only_ours = set()
        # Twice: without texts (what mibdump writes by default), and with
        # --generate-mib-texts (texts compared too).
        for texts in (False, True):
            n, only = compare_run(mibdump, sources, modules, tmp, texts,
                                  problems, fired)
            if n is None:
                return 1
            compared += n
            only_ours |= only
        print("compared %d module outputs with mibdump's" % compared)
        if only_ours:
            print("written by mibc only (mibdump failed on them): %s"
                  % ", ".join(sorted(only_ours)))
        for rule, reason, _ in KNOWN:
            print("known disagreement %-16s %5d  (%s)"
                  % (rule, fired.get(rule, 0), reason))
        for p in problems[:int(os.environ.get("ORACLE_MAX", "300"))]:
            print("DIFF %s %s %s\n   mibc:    %s\n   mibdump: %s"
                  % (p[0], p[1], p[2], json.dumps(p[3]), json.dumps(p[4])))
        if problems:
            print("%d unexplained differences" % len(problems))
            return 1
        unused = [k[0] for k in KNOWN if not fired.get(k[0])]
        if unused and len(sys.argv) == 1:
            print("rules that never fired (remove them?): %s" % ", ".join(unused))
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
