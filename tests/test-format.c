/* libmibc's value formatting (mibc/format.h) against net-snmp's snmpget.
 *
 * The oracle: a real snmpd on 127.0.0.1 serves chosen values (`override`
 * lines for MIBC-TEST-MIB's scalars and table instances) and its own
 * (system, ifTable, hrStorage, laTable...).  snmpget -d prints both the
 * response datagram and its formatted line; the test decodes the datagram,
 * formats each varbind with mibc_format_varbind_line() and the descriptors
 * of generated/ and tests/golden/c, and wants snmpget's text exactly.
 *
 * Without snmpd/snmpget the oracle tests are skipped (exit 77 when nothing
 * else ran); the unit and fuzz tests always run. */
#include "agent.h"
#include "testlib.h"

#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include <mibc/format.h>

#include "entity-mib.h"
#include "entity-sensor-mib.h"
#include "host-resources-mib.h"
#include "if-mib.h"
#include "ip-mib.h"
#include "mibc-test-mib.h"
#include "mibc-test-tc.h"
#include "rfc1213-mib.h"
#include "snmp-framework-mib.h"
#include "snmpv2-mib.h"
#include "ucd-snmp-mib.h"
#include "ups-mib.h"
#include "powernet-mib.h"
#include "mbg-snmp-ltng-mib.h"
#include "ibootpdu-mib.h"
#include "net-snmp-agent-mib.h"
#include "net-snmp-extend-mib.h"

/* Searched in this order for descriptors and names: net-snmp, with -m ALL,
 * names ifTable columns after IF-MIB and ipAddrTable after RFC1213-MIB. */
static const struct mibc_module_desc *const modules[] = {
	&snmpv2_mib_module, &if_mib_module, &rfc1213_mib_module, &ip_mib_module,
	&host_resources_mib_module, &ucd_snmp_mib_module,
	&snmp_framework_mib_module, &entity_mib_module,
	&entity_sensor_mib_module, &ups_mib_module, &mibc_test_mib_module,
	&mibc_test_tc_module,
};

static const struct mibc_module_desc *const all_modules[] = {
	&snmpv2_mib_module, &if_mib_module, &rfc1213_mib_module, &ip_mib_module,
	&host_resources_mib_module, &ucd_snmp_mib_module,
	&snmp_framework_mib_module, &entity_mib_module,
	&entity_sensor_mib_module, &ups_mib_module, &mibc_test_mib_module,
	&mibc_test_tc_module, &powernet_mib_module, &mbg_snmp_ltng_mib_module,
	&ibootpdu_mib_module, &net_snmp_agent_mib_module,
	&net_snmp_extend_mib_module,
};

static const struct mibc_format_options symbolic = {
	.modules = modules, .n_modules = MIBC_N_ELEMENTS(modules),
};

static const struct mibc_format_options numeric = {
	.flags = MIBC_FORMAT_NUMERIC_OIDS,
	.modules = modules, .n_modules = MIBC_N_ELEMENTS(modules),
};

/* ---- the agent ------------------------------------------------------- */

#define S "1.3.6.1.4.1.32473.4242.2.1.1."   /* mibcScalars */
#define T "1.3.6.1.4.1.32473.4242.2.1.2."   /* mibcTables */

/* What snmpd serves besides its own objects. */
static const char *const overrides[] = {
	S "1.0 integer 3",
	S "2.0 integer -7",
	S "3.0 uinteger 4294967295",
	S "4.0 uinteger 999",
	S "5.0 counter 4000000000",
	S "7.0 timeticks 12345",
	S "10.0 octet_str 0x0001020304050607",
	/* a string with every kind of text character */
	S "11.0 octet_str \"hello \\\"there\\\" \\\\ x\"",
	/* 34 octets: Hex-STRING over three lines */
	S "12.0 octet_str 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021",
	S "13.0 octet_str \"\"",
	S "14.0 object_id 1.3.6.1.4.1.99999.1.2",
	S "15.0 octet_str 0xa020",
	S "16.0 octet_str \"\"",
	S "17.0 integer 77",
	S "18.0 integer 1",
	S "19.0 octet_str 0x41090a42",
	S "20.0 octet_str 0x07ea0b180a00000003",
	S "21.0 octet_str 0x001a2b3c4d5e",
	S "22.0 integer 2",
	S "23.0 octet_str 0x0a000001",
	S "26.0 timeticks 8640000",
	S "27.0 integer -2147483648",
	S "28.0 uinteger 42",
	S "40.0 integer -1",
	S "41.0 octet_str 0xe0a0",
	S "42.0 integer 100",
	S "43.0 integer -123456",
	S "44.0 octet_str 0x01020304050607080900",
	S "45.0 octet_str 0xc3a96e",
	S "46.0 uinteger 3054",
	S "47.0 integer 8",
	S "48.0 integer 5",
	S "50.0 octet_str 0x0a0b0c0d0e0f",
	S "51.0 octet_str 0xc0000201",
	S "52.0 octet_str 0x02010205",
	S "53.0 octet_str 0x",
	S "55.0 object_id 1.3.6.1.2.1.2.2.1.8.3",
	S "56.0 uinteger 7",
	S "60.0 octet_str 0x410042",
	S "61.0 integer 12",
	/* wrong types */
	S "9.0 integer 1",
	S "24.0 octet_str \"x\"",
	S "6.0 integer 5",
	/* hints on values that don't fit them */
	S "54.0 octet_str 0x0102",
	/* instances of tables: their indexes */
	T "1.1.2.7 octet_str \"seven\"",
	T "2.1.2.97.98.99.100.101.102 integer 1",
	T "3.1.2.3.97.34.99 integer 2",
	T "3.1.2.2.1.200 integer 3",
	T "3.1.2.0 integer 4",
	T "4.1.3.5.120.121.122 integer 5",
	T "5.1.2.10.0.0.1 integer 6",
	T "7.1.3.1.4.10.0.0.2 integer 7",
	T "7.1.3.2.16.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1 integer 8",
	T "8.1.4.4294967291.2.65.66.9 integer 9",
	T "9.1.1.7 counter 10",
	T "3.1.2.9.1.2 integer 11",
};

static struct test_agent agent;
static char *mib_dir;      /* the MIBs snmpget loads: in the agent's dir */
static const char *agent_addr = agent.address;
static bool have_agent;

/* Symlinks to every MIB file of `dir` in mib_dir. */
static void link_mibs(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "meson.build")
		    || strstr(e->d_name, ".md"))
			continue;
		char *from, *to;
		if (asprintf(&from, "%s/%s", dir, e->d_name) < 0
		    || asprintf(&to, "%s/%s", mib_dir, e->d_name) < 0)
			abort();
		struct stat st;
		if (stat(from, &st) == 0 && S_ISREG(st.st_mode))
			(void)symlink(from, to);
		free(from);
		free(to);
	}
	closedir(d);
}

static struct test_run snmpget_try(const char *extra, const char *oid,
				   const char *timeout)
{
	const char *argv[20];
	size_t n = 0;
	argv[n++] = "snmpget";
	argv[n++] = "-d";
	argv[n++] = "-v2c";
	argv[n++] = "-c";
	argv[n++] = "public";
	argv[n++] = "-r";
	argv[n++] = "2";
	argv[n++] = "-t";
	argv[n++] = timeout;
	argv[n++] = "-m";
	argv[n++] = "ALL";
	argv[n++] = "-M";
	argv[n++] = mib_dir;
	if (extra)
		argv[n++] = extra;
	argv[n++] = agent_addr;
	argv[n++] = oid;
	argv[n] = NULL;
	return test_run_argv(NULL, argv, 60);
}

static struct test_run snmpget(const char *extra, const char *oid)
{
	return snmpget_try(extra, oid, "3");
}

static void agent_start(void)
{
	char *config;
	if (asprintf(&config, "syscontact Ops \"Desk\" <ops@example.org>\n"
			      "syslocation Dome\\ 2\n") < 0)
		abort();
	for (size_t i = 0; i < MIBC_N_ELEMENTS(overrides); i++) {
		char *next;
		if (asprintf(&next, "%soverride .%s\n", config, overrides[i]) < 0)
			abort();
		free(config);
		config = next;
	}
	test_agent_start(&agent, config);
	free(config);
	if (asprintf(&mib_dir, "%s/mibs", agent.dir) < 0)
		abort();
	char *p = test_corpus_path("ietf");
	link_mibs(p);
	free(p);
	p = test_corpus_path("iana");
	link_mibs(p);
	free(p);
	link_mibs("/usr/share/snmp/mibs");
	link_mibs(test_env("MIBC_PROJECT_MIBS"));
	have_agent = true;
}

static void agent_stop(void)
{
	test_agent_stop(&agent);
	free(mib_dir);
	mib_dir = NULL;
}

/* ---- BER: just enough to read a GetResponse ----------------------- */

struct tlv {
	unsigned tag;
	const uint8_t *p;
	size_t len;
};

static bool ber_next(const uint8_t **pp, const uint8_t *end, struct tlv *t)
{
	const uint8_t *p = *pp;
	if (end - p < 2)
		return false;
	t->tag = *p++;
	size_t len = *p++;
	if (len & 0x80) {
		size_t n = len & 0x7f;
		if (n == 0 || n > 4 || (size_t)(end - p) < n)
			return false;
		len = 0;
		while (n--)
			len = len << 8 | *p++;
	}
	if ((size_t)(end - p) < len)
		return false;
	t->p = p;
	t->len = len;
	*pp = p + len;
	return true;
}

struct varbind {
	uint32_t oid[MIBC_OID_MAX_LEN];
	size_t oid_len;
	struct mibc_raw_value value;
	uint32_t value_oid[MIBC_OID_MAX_LEN];
	uint8_t octets[2048];
};

static size_t ber_oid(const struct tlv *t, uint32_t *sub)
{
	size_t n = 0;
	uint32_t v = 0;
	for (size_t i = 0; i < t->len && n < MIBC_OID_MAX_LEN - 1; i++) {
		v = v << 7 | (t->p[i] & 0x7f);
		if (!(t->p[i] & 0x80)) {
			if (n == 0) {
				sub[n++] = v < 80 ? v / 40 : 2;
				sub[n++] = v < 80 ? v % 40 : v - 80;
			} else {
				sub[n++] = v;
			}
			v = 0;
		}
	}
	return n;
}

/* The single varbind of a GetResponse. */
static bool decode_response(const uint8_t *pkt, size_t len, struct varbind *vb)
{
	const uint8_t *p = pkt, *end = pkt + len;
	struct tlv msg, t, pdu, list, bind, name, val;
	if (!ber_next(&p, end, &msg) || msg.tag != 0x30)
		return false;
	p = msg.p;
	end = msg.p + msg.len;
	if (!ber_next(&p, end, &t) || !ber_next(&p, end, &t)
	    || !ber_next(&p, end, &pdu) || pdu.tag != 0xa2)
		return false;
	p = pdu.p;
	end = pdu.p + pdu.len;
	for (int i = 0; i < 3; i++)
		if (!ber_next(&p, end, &t))
			return false;
	if (!ber_next(&p, end, &list) || list.tag != 0x30)
		return false;
	p = list.p;
	end = list.p + list.len;
	if (!ber_next(&p, end, &bind) || bind.tag != 0x30)
		return false;
	p = bind.p;
	end = bind.p + bind.len;
	if (!ber_next(&p, end, &name) || name.tag != 0x06
	    || !ber_next(&p, end, &val))
		return false;
	vb->oid_len = ber_oid(&name, vb->oid);
	memset(&vb->value, 0, sizeof vb->value);
	vb->value.tag = val.tag;
	switch (val.tag) {
	case MIBC_WIRE_INTEGER: {
		int64_t v = val.len && (val.p[0] & 0x80) ? -1 : 0;
		for (size_t i = 0; i < val.len; i++)
			v = (int64_t)((uint64_t)v << 8 | val.p[i]);
		vb->value.integer = v;
		break;
	}
	case MIBC_WIRE_COUNTER32: case MIBC_WIRE_GAUGE32:
	case MIBC_WIRE_TIMETICKS: case MIBC_WIRE_COUNTER64: {
		uint64_t v = 0;
		for (size_t i = 0; i < val.len; i++)
			v = v << 8 | val.p[i];
		vb->value.unsigned_ = v;
		break;
	}
	case MIBC_WIRE_OID:
		vb->value.oid_len = ber_oid(&val, vb->value_oid);
		vb->value.oid = vb->value_oid;
		break;
	default:
		if (val.len > sizeof vb->octets)
			return false;
		memcpy(vb->octets, val.p, val.len);
		vb->value.octets = vb->octets;
		vb->value.len = val.len;
		break;
	}
	return true;
}

/* snmpget -d's hex dump of the datagram it received (on stderr). */
static bool parse_dump(const char *out, uint8_t *pkt, size_t *pkt_len)
{
	const char *r = strstr(out, "Received ");
	unsigned n;
	if (!r || sscanf(r, "Received %u byte", &n) != 1 || n > 65535)
		return false;
	const char *line = strchr(r, '\n');
	size_t got = 0;
	while (line && got < n) {
		line++;
		unsigned off;
		if (sscanf(line, "%4u:", &off) != 1)
			return false;
		const char *q = line + 5;
		size_t want = n - got < 16 ? n - got : 16;
		for (size_t i = 0; i < want; i++) {
			unsigned byte;
			while (*q == ' ')
				q++;
			if (sscanf(q, "%2x", &byte) != 1)
				return false;
			pkt[got++] = (uint8_t)byte;
			q += 2;
		}
		line = strchr(line, '\n');
	}
	*pkt_len = got;
	return got == n;
}

static const struct mibc_object_desc *find_object(const uint32_t *oid,
						  size_t len)
{
	for (size_t m = 0; m < MIBC_N_ELEMENTS(modules); m++) {
		const struct mibc_object_desc *o =
			mibc_module_find_object(modules[m], oid, len);
		if (o)
			return o;
	}
	return NULL;
}

enum compare { LINE, VALUE };

/* GET `oid` with snmpget (and `extra` option) and compare its line with
 * ours, the whole line or the value after " = ". */
static void check_oracle(const char *oid, const char *extra, enum compare how)
{
	if (!have_agent)
		return;
	struct test_run r = snmpget(extra, oid);
	ck_assert_msg(r.status == 0, "snmpget %s: %d\n%s", oid, r.status, r.err);
	static uint8_t pkt[65536];
	size_t pkt_len;
	const char *text = r.out;
	ck_assert_msg(parse_dump(r.err, pkt, &pkt_len),
		      "no dump for %s:\n%s", oid, r.err);
	static struct varbind vb;
	ck_assert_msg(decode_response(pkt, pkt_len, &vb), "bad response %s", oid);

	static const struct mibc_format_options numeric_enums = {
		.flags = MIBC_FORMAT_NUMERIC_ENUMS,
		.modules = modules, .n_modules = MIBC_N_ELEMENTS(modules),
	};
	const struct mibc_format_options *opt = &symbolic;
	if (extra && !strcmp(extra, "-On"))
		opt = &numeric;
	else if (extra && !strcmp(extra, "-Oe"))
		opt = &numeric_enums;
	const struct mibc_object_desc *obj = find_object(vb.oid, vb.oid_len);
	char line[8192];
	int n = mibc_format_varbind_line(obj, vb.oid, vb.oid_len, &vb.value, opt,
					 line, sizeof line);
	ck_assert_int_ge(n, 0);
	ck_assert_int_lt(n, (int)sizeof line);
	ck_assert_uint_eq(strlen(line), (size_t)n);

	/* snmpget's text ends with one newline */
	size_t tl = strlen(text);
	ck_assert_msg(tl > 0 && text[tl - 1] == '\n', "%s: %s", oid, text);
	char *want = strndup(text, tl - 1);
	const char *w = want, *g = line;
	if (how == VALUE) {
		w = strstr(want, " = ");
		g = strstr(line, " = ");
		ck_assert_ptr_nonnull(w);
		ck_assert_ptr_nonnull(g);
	}
	ck_assert_msg(!strcmp(w, g), "%s:\n snmpget: [%s]\n    mibc: [%s]", oid,
		      want, line);
	/* the value alone is the line's tail */
	char value[8192];
	int vn = mibc_format_value(obj, &vb.value, opt, value, sizeof value);
	ck_assert_int_ge(vn, 0);
	ck_assert_str_eq(value, strstr(line, " = ") + 3);
	free(want);
	test_run_free(&r);
}

/* ---- oracle tests ----------------------------------------------------- */

START_TEST(agent_objects)
{
	if (!have_agent)
		return;
	check_oracle("1.3.6.1.2.1.1.1.0", NULL, LINE);       /* sysDescr */
	check_oracle("1.3.6.1.2.1.1.2.0", "-On", LINE);      /* sysObjectID */
	check_oracle("1.3.6.1.2.1.1.3.0", NULL, VALUE);      /* sysUpTime */
	check_oracle("1.3.6.1.2.1.1.3.0", "-On", LINE);
	check_oracle("1.3.6.1.2.1.1.4.0", NULL, LINE);       /* sysContact */
	check_oracle("1.3.6.1.2.1.1.6.0", NULL, LINE);       /* sysLocation */
	check_oracle("1.3.6.1.2.1.1.7.0", NULL, LINE);       /* sysServices */
	check_oracle("1.3.6.1.2.1.1.9.1.2.1", NULL, LINE);   /* sysORID */
	check_oracle("1.3.6.1.2.1.1.9.1.3.1", NULL, LINE);   /* sysORDescr */
	check_oracle("1.3.6.1.2.1.2.1.0", NULL, LINE);       /* ifNumber */
	check_oracle("1.3.6.1.2.1.2.2.1.2.1", NULL, LINE);   /* ifDescr */
	check_oracle("1.3.6.1.2.1.2.2.1.3.1", NULL, LINE);   /* ifType */
	check_oracle("1.3.6.1.2.1.2.2.1.4.1", NULL, LINE);   /* ifMtu */
	check_oracle("1.3.6.1.2.1.2.2.1.5.1", NULL, LINE);   /* ifSpeed */
	check_oracle("1.3.6.1.2.1.2.2.1.6.1", NULL, LINE);   /* ifPhysAddress */
	check_oracle("1.3.6.1.2.1.2.2.1.6.2", NULL, LINE);
	check_oracle("1.3.6.1.2.1.2.2.1.7.1", NULL, LINE);   /* ifAdminStatus */
	check_oracle("1.3.6.1.2.1.2.2.1.8.1", NULL, LINE);   /* ifOperStatus */
	check_oracle("1.3.6.1.2.1.2.2.1.8.1", "-On", LINE);
	check_oracle("1.3.6.1.2.1.2.2.1.9.1", NULL, LINE);   /* ifLastChange */
	check_oracle("1.3.6.1.2.1.2.2.1.10.1", NULL, LINE);  /* ifInOctets */
	check_oracle("1.3.6.1.2.1.2.2.1.2.999", NULL, LINE); /* no instance */
	check_oracle("1.3.6.1.2.1.31.1.1.1.1.1", NULL, LINE); /* ifName */
	check_oracle("1.3.6.1.2.1.31.1.1.1.6.1", NULL, LINE); /* ifHCInOctets */
	check_oracle("1.3.6.1.2.1.31.1.1.1.15.1", NULL, LINE); /* ifHighSpeed */
	check_oracle("1.3.6.1.2.1.31.1.1.1.17.1", NULL, LINE); /* ifConnectorPresent */
	check_oracle("1.3.6.1.2.1.4.20.1.1.127.0.0.1", NULL, LINE); /* ipAdEntAddr */
	check_oracle("1.3.6.1.2.1.4.20.1.3.127.0.0.1", NULL, LINE); /* ipAdEntNetMask */
	check_oracle("1.3.6.1.2.1.25.1.1.0", NULL, LINE);    /* hrSystemUptime */
	check_oracle("1.3.6.1.2.1.25.1.2.0", NULL, LINE);    /* hrSystemDate */
	check_oracle("1.3.6.1.2.1.25.2.2.0", NULL, LINE);    /* hrMemorySize */
	check_oracle("1.3.6.1.2.1.25.2.3.1.2.1", "-On", LINE); /* hrStorageType */
	check_oracle("1.3.6.1.2.1.25.2.3.1.3.1", NULL, LINE); /* hrStorageDescr */
	check_oracle("1.3.6.1.2.1.25.2.3.1.4.1", NULL, LINE); /* hrStorageAllocationUnits */
	check_oracle("1.3.6.1.2.1.25.4.2.1.2.1", NULL, LINE); /* hrSWRunName */
	check_oracle("1.3.6.1.2.1.25.4.2.1.7.1", NULL, LINE); /* hrSWRunStatus */
	check_oracle("1.3.6.1.4.1.2021.10.1.2.1", NULL, LINE); /* laNames */
	check_oracle("1.3.6.1.4.1.2021.10.1.3.1", NULL, LINE); /* laLoad */
	check_oracle("1.3.6.1.4.1.2021.10.1.5.1", NULL, LINE); /* laLoadInt */
	check_oracle("1.3.6.1.4.1.2021.10.1.6.1", NULL, LINE); /* laLoadFloat */
	check_oracle("1.3.6.1.4.1.2021.4.5.0", NULL, LINE);  /* memTotalReal */
	check_oracle("1.3.6.1.2.1.99.1.1.1.1.5", NULL, LINE); /* no object */
	check_oracle("1.3.6.1.2.1.33.1.2.4.0", NULL, LINE);  /* upsEstimatedChargeRemaining */
}
END_TEST

START_TEST(test_mib_scalars)
{
	if (!have_agent)
		return;
	static const int scalars[] = {
		1, 2, 3, 4, 5, 7, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
		21, 22, 23, 26, 27, 28, 40, 41, 42, 43, 44, 45, 46, 47, 48, 50,
		51, 52, 53, 55, 56, 60, 61, 9, 24, 6, 54,
	};
	for (size_t i = 0; i < MIBC_N_ELEMENTS(scalars); i++) {
		char oid[64];
		snprintf(oid, sizeof oid, S "%d.0", scalars[i]);
		check_oracle(oid, NULL, LINE);
	}
	check_oracle(S "14.0", "-On", LINE);
	check_oracle(S "55.0", "-On", LINE);
	check_oracle(S "17.0", "-Oe", LINE);
	check_oracle(S "15.0", "-Oe", LINE);
}
END_TEST

START_TEST(test_mib_indexes)
{
	if (!have_agent)
		return;
	static const char *const instances[] = {
		T "1.1.2.7", T "2.1.2.97.98.99.100.101.102", T "3.1.2.3.97.34.99",
		T "3.1.2.2.1.200", T "3.1.2.0", T "4.1.3.5.120.121.122",
		T "5.1.2.10.0.0.1", T "7.1.3.1.4.10.0.0.2",
		T "7.1.3.2.16.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1",
		T "8.1.4.4294967291.2.65.66.9", T "9.1.1.7", T "3.1.2.9.1.2",
	};
	for (size_t i = 0; i < MIBC_N_ELEMENTS(instances); i++) {
		check_oracle(instances[i], NULL, LINE);
		check_oracle(instances[i], "-On", LINE);
	}
}
END_TEST

/* ---- unit tests --------------------------------------------------------- */

static const char *fmt(const struct mibc_object_desc *obj,
		       struct mibc_raw_value v)
{
	static char buf[4096];
	int n = mibc_format_value(obj, &v, &symbolic, buf, sizeof buf);
	ck_assert_int_ge(n, 0);
	return buf;
}

START_TEST(units)
{
	ck_assert_str_eq(fmt(&if_mib_if_oper_status_desc, mibc_raw_integer(1)),
			 "INTEGER: up(1)");
	ck_assert_str_eq(fmt(&if_mib_if_oper_status_desc, mibc_raw_integer(99)),
			 "INTEGER: 99");
	ck_assert_str_eq(fmt(NULL, mibc_raw_integer(7)), "INTEGER: 7");
	ck_assert_str_eq(fmt(&mibc_test_mib_mibc_tc_hundredths_desc,
			     mibc_raw_integer(0)), "INTEGER: .00 degrees Celsius");
	ck_assert_str_eq(fmt(&mibc_test_mib_mibc_tc_hundredths_desc,
			     mibc_raw_integer(1234)),
			 "INTEGER: 12.34 degrees Celsius");
	ck_assert_str_eq(fmt(&mibc_test_mib_mibc_tc_hundredths_desc,
			     mibc_raw_integer(-100000)),
			 "INTEGER: -1000.00 degrees Celsius");
	ck_assert_str_eq(fmt(&mibc_test_mib_mibc_tc_hundredths_desc,
			     mibc_raw_integer(INT64_MIN)),
			 "INTEGER: -92233720368547758.08 degrees Celsius");
	ck_assert_str_eq(fmt(&mibc_test_mib_mibc_tc_binary_desc,
			     mibc_raw_integer(5)),
			 "INTEGER: 00000000000000000000000000000101");
	ck_assert_str_eq(fmt(NULL, mibc_raw_unsigned(MIBC_WIRE_TIMETICKS,
						     8640000)),
			 "Timeticks: (8640000) 1 day, 0:00:00.00");
	ck_assert_str_eq(fmt(NULL, mibc_raw_unsigned(MIBC_WIRE_TIMETICKS,
						     UINT32_MAX)),
			 "Timeticks: (4294967295) 497 days, 2:27:52.95");
	ck_assert_str_eq(fmt(NULL, mibc_raw_tag(MIBC_TAG_NO_SUCH_OBJECT)),
			 "No Such Object available on this agent at this OID");
	ck_assert_str_eq(fmt(NULL, mibc_raw_tag(MIBC_TAG_NO_SUCH_INSTANCE)),
			 "No Such Instance currently exists at this OID");
	ck_assert_str_eq(fmt(&if_mib_if_descr_desc,
			     mibc_raw_tag(MIBC_TAG_END_OF_MIB_VIEW)),
			 "No more variables left in this MIB View (It is past "
			 "the end of the MIB tree)");
	ck_assert_str_eq(fmt(NULL, mibc_raw_tag(MIBC_TAG_NULL)), "NULL");
	ck_assert_str_eq(fmt(NULL, mibc_raw_tag(0x99)), "Variable has bad type");

	static const uint8_t ip[4] = { 192, 0, 2, 1 };
	ck_assert_str_eq(fmt(NULL, mibc_raw_octets(MIBC_WIRE_IPADDRESS, ip, 4)),
			 "IpAddress: 192.0.2.1");
	static const uint8_t flt[] = { 0x9f, 0x78, 0x04, 0x3d, 0xf5, 0xc2, 0x8f };
	ck_assert_str_eq(fmt(&ucd_snmp_mib_la_load_float_desc,
			     mibc_raw_octets(MIBC_WIRE_OPAQUE, flt, sizeof flt)),
			 "Opaque: Float: 0.120000");
	static const uint8_t dbl[] = { 0x9f, 0x79, 0x08, 0x3f, 0xf8, 0, 0, 0, 0,
				       0, 0 };
	ck_assert_str_eq(fmt(NULL, mibc_raw_octets(MIBC_WIRE_OPAQUE, dbl,
						   sizeof dbl)),
			 "Opaque: Double: 1.500000");
	static const uint8_t opq[] = { 0x01, 0xab };
	ck_assert_str_eq(fmt(NULL, mibc_raw_octets(MIBC_WIRE_OPAQUE, opq, 2)),
			 "OPAQUE: 01 AB ");
	static const uint8_t bits[] = { 0xa0, 0x80 };
	ck_assert_str_eq(fmt(&mibc_test_mib_mibc_bits_desc,
			     mibc_raw_octets(MIBC_WIRE_OCTET_STRING, bits, 2)),
			 "BITS: A0 80 first(0) third(2) ninth(8) ");
	static const uint8_t dat[] = { 0x07, 0xea, 11, 24, 10, 0, 0, 0, '+', 0, 0 };
	ck_assert_str_eq(fmt(&host_resources_mib_hr_system_date_desc,
			     mibc_raw_octets(MIBC_WIRE_OCTET_STRING, dat, 11)),
			 "STRING: 2026-11-24,10:0:0.0,+0:0");
	static const uint8_t mac[] = { 0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e };
	ck_assert_str_eq(fmt(&if_mib_if_phys_address_desc,
			     mibc_raw_octets(MIBC_WIRE_OCTET_STRING, mac, 6)),
			 "STRING: 0:1a:2b:3c:4d:5e");
	ck_assert_str_eq(fmt(NULL, mibc_raw_octets(MIBC_WIRE_OCTET_STRING, mac, 6)),
			 "Hex-STRING: 00 1A 2B 3C 4D 5E ");
	ck_assert_str_eq(fmt(&if_mib_if_descr_desc,
			     mibc_raw_integer(3)),
			 "Wrong Type (should be OCTET STRING): INTEGER: 3");

	/* a bad octet-format letter: snmpget's "Bad hint ignored" */
	struct mibc_object_desc bad = if_mib_if_phys_address_desc;
	bad.display_hint = "1q";
	ck_assert_str_eq(fmt(&bad, mibc_raw_octets(MIBC_WIRE_OCTET_STRING, mac, 2)),
			 "(Bad hint ignored: 1q) Hex-STRING: 00 1A ");
	/* zero-padded hex when nothing follows a 1x field */
	bad.display_hint = "1x";
	ck_assert_str_eq(fmt(&bad, mibc_raw_octets(MIBC_WIRE_OCTET_STRING, mac, 3)),
			 "STRING: 001a2b");
	/* a numeric field longer than the value: the octets there are */
	bad.display_hint = "4d";
	ck_assert_str_eq(fmt(&bad, mibc_raw_octets(MIBC_WIRE_OCTET_STRING, mac, 3)),
			 "STRING: 6699");
}
END_TEST

START_TEST(oids)
{
	char buf[256];
	static const uint32_t ent[] = { 1, 3, 6, 1, 4, 1, 99999, 1 };
	mibc_format_oid(NULL, ent, 8, &symbolic, buf, sizeof buf);
	ck_assert_str_eq(buf, "SNMPv2-SMI::enterprises.99999.1");
	static const uint32_t iso[] = { 1, 2, 3 };
	mibc_format_oid(NULL, iso, 3, &symbolic, buf, sizeof buf);
	ck_assert_str_eq(buf, "iso.2.3");
	static const uint32_t odd[] = { 5, 6 };
	mibc_format_oid(NULL, odd, 2, &symbolic, buf, sizeof buf);
	ck_assert_str_eq(buf, ".5.6");
	mibc_format_oid(NULL, odd, 0, &symbolic, buf, sizeof buf);
	ck_assert_str_eq(buf, "");
	static const uint32_t oper[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 3 };
	mibc_format_oid(NULL, oper, 11, &symbolic, buf, sizeof buf);
	ck_assert_str_eq(buf, "IF-MIB::ifOperStatus.3");
	mibc_format_oid(&if_mib_if_oper_status_desc, oper, 11, NULL, buf,
			sizeof buf);
	ck_assert_str_eq(buf, "IF-MIB::ifOperStatus.3");
	mibc_format_oid(NULL, oper, 11, &numeric, buf, sizeof buf);
	ck_assert_str_eq(buf, ".1.3.6.1.2.1.2.2.1.8.3");
}
END_TEST

/* snprintf's contract at every buffer size. */
static void check_sizes(const struct mibc_object_desc *obj,
			const uint32_t *oid, size_t oid_len,
			const struct mibc_raw_value *v,
			const struct mibc_format_options *opt)
{
	static char full[1 << 17], part[1 << 17];
	int n = mibc_format_varbind_line(obj, oid, oid_len, v, opt, full,
					 sizeof full);
	ck_assert_int_ge(n, 0);
	ck_assert_int_lt(n, (int)sizeof full);
	ck_assert_uint_eq(strlen(full), (size_t)n);
	ck_assert_int_eq(mibc_format_varbind_line(obj, oid, oid_len, v, opt,
						  NULL, 0), n);
	size_t sizes[] = { 1, 2, 7, (size_t)n / 2 + 1, (size_t)n, (size_t)n + 1 };
	for (size_t i = 0; i < MIBC_N_ELEMENTS(sizes); i++) {
		size_t s = sizes[i];
		memset(part, 'Z', s + 1);
		ck_assert_int_eq(mibc_format_varbind_line(obj, oid, oid_len, v,
							  opt, part, s), n);
		ck_assert_int_eq(part[s], 'Z');
		size_t kept = (size_t)n < s - 1 ? (size_t)n : s - 1;
		ck_assert_int_eq(part[kept], '\0');
		ck_assert(memcmp(part, full, kept) == 0);
	}
	char value[4096];
	ck_assert_int_ge(mibc_format_value(obj, v, opt, value, sizeof value), 0);
}

static uint64_t rng_state = 88172645463325252u;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static const unsigned tags[] = {
	MIBC_WIRE_INTEGER, MIBC_WIRE_OCTET_STRING, MIBC_WIRE_OID,
	MIBC_WIRE_IPADDRESS, MIBC_WIRE_COUNTER32, MIBC_WIRE_GAUGE32,
	MIBC_WIRE_TIMETICKS, MIBC_WIRE_OPAQUE, MIBC_WIRE_NSAP,
	MIBC_WIRE_COUNTER64, MIBC_TAG_NULL, MIBC_TAG_NO_SUCH_OBJECT,
	MIBC_TAG_NO_SUCH_INSTANCE, MIBC_TAG_END_OF_MIB_VIEW, 0x30, 0,
};

/* A random value, mostly of the object's own wire type. */
static struct mibc_raw_value random_value(const struct mibc_object_desc *o,
					  uint8_t *octets, uint32_t *sub)
{
	struct mibc_raw_value v = { 0 };
	v.tag = o && o->wire && rnd() % 4 ? (unsigned)o->wire
		: tags[rnd() % MIBC_N_ELEMENTS(tags)];
	switch (rnd() % 4) {
	case 0: v.integer = (int64_t)rnd(); break;
	case 1: v.integer = (int64_t)(rnd() % 20) - 10; break;
	case 2: v.integer = rnd() % 2 ? INT64_MIN : INT64_MAX; break;
	default: v.integer = (int32_t)rnd(); break;
	}
	v.unsigned_ = rnd() % 2 ? rnd() : rnd() % 300;
	v.len = rnd() % 5 == 0 ? rnd() % 300 : rnd() % 24;
	for (size_t i = 0; i < v.len; i++)
		octets[i] = (uint8_t)(rnd() % 3 ? 0x20 + rnd() % 95 : rnd());
	if (v.tag == MIBC_WIRE_OPAQUE && rnd() % 2 && v.len >= 3) {
		static const uint8_t kinds[] = { 0x78, 0x79, 0x76, 0x7a, 0x7b };
		octets[0] = 0x9f;
		octets[1] = kinds[rnd() % 5];
		octets[2] = (uint8_t)(rnd() % 2 ? v.len - 3 : rnd() % 12);
	}
	v.octets = octets;
	v.oid_len = rnd() % 3 == 0 ? rnd() % (MIBC_OID_MAX_LEN + 1) : rnd() % 16;
	for (size_t i = 0; i < v.oid_len; i++)
		sub[i] = rnd() % 3 ? (uint32_t)(rnd() % 300) : (uint32_t)rnd();
	if (o && o->oid && rnd() % 2 && o->oid_len <= v.oid_len) {
		memcpy(sub, o->oid, o->oid_len * sizeof *sub);
	}
	v.oid = sub;
	return v;
}

static const char *const extra_hints[] = {
	"", "*", "**", "x", "d", "d-", "d-0", "d-9999999999999", "b", "o",
	"1x:", "*1x:", "255a", "2d-1d-1d,1d:1d:1d.1d,1a1d:1d", "0x", "00000a",
	"9999999999d", "1d.", "1x:/", "4x-2x-2x-1x1x-6x", "*2d", "1a1", "3t",
	"8d", "16x", "1q", "x-3", "1o1b", "2x:2x:2x:2x:2x:2x:2x:2x%4d",
};

START_TEST(fuzz)
{
	static uint8_t octets[512];
	static uint32_t sub[MIBC_OID_MAX_LEN], inst[MIBC_OID_MAX_LEN];
	const struct mibc_format_options opts[] = {
		symbolic, numeric,
		{ .flags = MIBC_FORMAT_NUMERIC_ENUMS,
		  .modules = all_modules, .n_modules = MIBC_N_ELEMENTS(all_modules) },
		{ 0 },
	};
	size_t objects = 0;
	for (size_t m = 0; m < MIBC_N_ELEMENTS(all_modules); m++) {
		const struct mibc_module_desc *mod = all_modules[m];
		for (size_t i = 0; i < mod->n_objects; i++) {
			const struct mibc_object_desc *o = mod->objects[i];
			int rounds = o->display_hint || o->n_names || o->n_index
				     ? 12 : 2;
			objects++;
			for (int r = 0; r < rounds; r++) {
				struct mibc_raw_value v = random_value(o, octets, sub);
				/* an instance of the object with a random index */
				size_t len = o->oid_len;
				memcpy(inst, o->oid, len * sizeof *inst);
				size_t extra = rnd() % 24;
				for (size_t k = 0; k < extra && len < MIBC_OID_MAX_LEN; k++)
					inst[len++] = rnd() % 2 ? (uint32_t)(rnd() % 12)
								: (uint32_t)rnd();
				check_sizes(o, inst, len, &v,
					    &opts[rnd() % MIBC_N_ELEMENTS(opts)]);
			}
		}
	}
	ck_assert_uint_gt(objects, 1000);

	/* every hint of the tables, and broken ones, over random values */
	struct mibc_object_desc copy = mibc_test_mib_mibc_octet_any_desc;
	for (int r = 0; r < 20000; r++) {
		const struct mibc_module_desc *mod =
			all_modules[rnd() % MIBC_N_ELEMENTS(all_modules)];
		const struct mibc_object_desc *o = mod->n_objects
			? mod->objects[rnd() % mod->n_objects] : NULL;
		copy = o ? *o : mibc_test_mib_mibc_octet_any_desc;
		if (rnd() % 2)
			copy.display_hint =
				extra_hints[rnd() % MIBC_N_ELEMENTS(extra_hints)];
		struct mibc_raw_value v = random_value(&copy, octets, sub);
		check_sizes(&copy, copy.oid, copy.oid_len, &v,
			    &opts[rnd() % MIBC_N_ELEMENTS(opts)]);
		check_sizes(NULL, v.oid, v.oid_len, &v, &opts[0]);
	}
}
END_TEST

START_TEST(invalid)
{
	char buf[8];
	struct mibc_raw_value v = mibc_raw_integer(1);
	ck_assert_int_eq(mibc_format_value(NULL, NULL, NULL, buf, sizeof buf),
			 MIBC_E_INVAL);
	ck_assert_int_eq(mibc_format_value(NULL, &v, NULL, NULL, 5), MIBC_E_INVAL);
	v = mibc_raw_octets(MIBC_WIRE_OCTET_STRING, NULL, 3);
	ck_assert_int_eq(mibc_format_value(NULL, &v, NULL, buf, sizeof buf),
			 MIBC_E_INVAL);
	ck_assert_int_eq(mibc_format_oid(NULL, NULL, 2, NULL, buf, sizeof buf),
			 MIBC_E_INVAL);
	v = mibc_raw_octets(MIBC_WIRE_OCTET_STRING, NULL, 0);
	ck_assert_int_eq(mibc_format_value(NULL, &v, NULL, buf, sizeof buf), 2);
	ck_assert_str_eq(buf, "\"\"");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("format");
	TCase *unit = tcase_create("unit");
	tcase_add_test(unit, units);
	tcase_add_test(unit, oids);
	tcase_add_test(unit, invalid);
	tcase_set_timeout(unit, 600);
	tcase_add_test(unit, fuzz);
	suite_add_tcase(s, unit);

	TCase *oracle = tcase_create("snmpget");
	tcase_set_timeout(oracle, 600);
	tcase_add_test(oracle, agent_objects);
	tcase_add_test(oracle, test_mib_scalars);
	tcase_add_test(oracle, test_mib_indexes);
	suite_add_tcase(s, oracle);

	if (test_agent_available())
		tcase_add_unchecked_fixture(oracle, agent_start, agent_stop);
	else
		fprintf(stderr, "snmpd/snmpget not available: oracle tests skipped\n");

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
