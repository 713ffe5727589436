#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <smi.h>

#include "arena.h"
#include "diag.h"
#include "load.h"
#include "sha256.h"
#include "tempdir.h"

/* No word from the worker for this long means libsmi hangs. */
#define WORKER_SILENCE_LIMIT_MS (120 * 1000)

/* Messages, one per line, child -> parent:
 *   B idx            starts parsing module idx
 *   C idx            created (outputs written, or would be in a dry run)
 *   E idx reason     created despite errors (--ignore-errors)
 *   F idx reason     failed
 *   I idx reason     ignored (needs a module that failed)
 *   X module name kind oid  an index entry
 *   Q idx            done with module idx
 *   Z message        libsmi gave up (severity 0); the child exits next */

struct child {
	struct plan *plan;
	const struct driver_options *o;
	struct diag_list *diags; /* per plan entry */
	const char *staging;
	FILE *out;
	size_t current;
	unsigned *visited; /* per plan entry: the last walk that saw it */
	unsigned walk;
};

static void send_line(struct child *c, char kind, size_t idx, const char *text)
{
	fprintf(c->out, "%c %zu", kind, idx);
	if (text) {
		fputc(' ', c->out);
		for (const char *p = text; *p; p++)
			fputc(*p == '\n' || *p == '\r' ? ' ' : *p, c->out);
	}
	fputc('\n', c->out);
	fflush(c->out);
}

static size_t module_of_path(const struct plan *plan, const char *path)
{
	if (!path)
		return SIZE_MAX;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (size_t i = 0; i < plan->n_modules; i++)
		if (strcmp(plan->modules[i].name, base) == 0)
			return i;
	return SIZE_MAX;
}

/* Diagnostics are shown for the modules being compiled only: the base
 * modules themselves make libsmi complain. */
static bool judged(const struct module_entry *m)
{
	return m->compile && m->state != MODULE_STUB;
}

static void on_diag(const char *path, int line, int severity, const char *message,
		    const char *tag, void *data)
{
	struct child *c = data;
	(void)tag;
	size_t idx = module_of_path(c->plan, path);
	if (idx == SIZE_MAX)
		idx = c->current;
	if (severity == 0) {
		const char *where = idx != SIZE_MAX && c->plan->modules[idx].source
					    ? c->plan->modules[idx].source->path : "libsmi";
		char *text = line > 0 ? xasprintf("%s:%d: %s", where, line, message)
				      : xasprintf("%s: %s", where, message);
		send_line(c, 'Z', c->current, text);
		free(text);
		_exit(3);
	}
	if (idx == SIZE_MAX)
		return;
	struct module_entry *m = &c->plan->modules[idx];
	if (!judged(m) || !diag_add(&c->diags[idx], line, severity, message))
		return;
	int limit = c->o->debug ? 6 : c->o->quiet ? DIAG_FAIL_SEVERITY : DIAG_WARN_SEVERITY;
	if (severity <= limit)
		diag_print(stderr, m->source->path, line, severity, message);
}

static char *failed_import(const struct plan *plan, const struct module_entry *m)
{
	for (size_t i = 0; i < m->n_imports; i++) {
		const struct module_entry *dep = &plan->modules[m->imports[i]];
		if (dep->state == MODULE_FAILED || dep->state == MODULE_IGNORED)
			return xasprintf("needs %s, which %s", dep->name,
					 dep->state == MODULE_FAILED ? "failed" : "was ignored");
	}
	return NULL;
}

/* The staged copy of a module's file, or NULL. */
static char *read_staged(const struct child *c, const char *name, size_t *len)
{
	char *path = xasprintf("%s/%s", c->staging, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	/* sized by the file (the parent bounded it); grows if it grew */
	size_t cap = (size_t)st.st_size + 1;
	char *buf = xmalloc(cap);
	*len = 0;
	for (;;) {
		if (*len == cap)
			buf = xrealloc(buf, cap *= 2);
		ssize_t r = read(fd, buf + *len, cap - *len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		*len += (size_t)r;
	}
	close(fd);
	return buf;
}

static void hash_source(struct child *c, size_t idx, char hex[65])
{
	size_t len;
	char *text = read_staged(c, c->plan->modules[idx].name, &len);
	hex[0] = '\0';
	if (text)
		sha256_hex(text, len, hex);
	free(text);
}

/* May libsmi's redefinition check report anything while parsing
 * `idx`?  It reports only on the module being parsed, so the modules that
 * this parse loads count: idx and whatever it needs that libsmi has not
 * loaded yet; of those only the ones whose diagnostics are shown. */
static bool redefinition_possible(struct child *c, size_t idx)
{
	if (c->visited[idx] == c->walk)
		return false;
	c->visited[idx] = c->walk;
	struct module_entry *m = &c->plan->modules[idx];
	if (!m->source || load_is_loaded(m->name))
		return false;
	if (judged(m)) {
		/* judged when the module was scanned (see sources.h) */
		if (m->source->may_redefine)
			return true;
	}
	for (size_t i = 0; i < m->n_imports; i++)
		if (redefinition_possible(c, m->imports[i]))
			return true;
	for (size_t i = 0; i < m->n_references; i++)
		if (redefinition_possible(c, m->references[i]))
			return true;
	return false;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static void send_index(struct child *c, const struct model_module *model)
{
	for (size_t i = 0; i < model->n_nodes; i++) {
		const struct model_node *n = &model->nodes[i];
		fprintf(c->out, "X %s %s %d ", model->name, n->name, (int)n->kind);
		for (size_t j = 0; j < n->oid_len; j++)
			fprintf(c->out, j ? ".%" PRIu32 : "%" PRIu32, n->oid[j]);
		fputc('\n', c->out);
	}
	fflush(c->out);
}

/* libsmi 0.4.8's loadModule() reads a stack variable it never sets
 * (valgrind: "uninitialised value created by a stack allocation in
 * loadModule", then a bogus syntax error in SNMPv2-SMI or "illegal base
 * type" in IF-MIB).  On a fresh stack it reads zeros, as in smilint; here
 * the stack below us holds our own earlier frames.  So zero it first. */
static __attribute__((noinline)) void scrub_stack(void)
{
	volatile unsigned char area[256 * 1024];
	memset((unsigned char *)area, 0, sizeof(area));
	__asm__ volatile("" : : "r"(area) : "memory");
}

static __attribute__((noinline)) int parse_on_clean_stack(const char *module)
{
	scrub_stack();
	return load_parse(module);
}

/* Fault injection for the tests: proves that a parser crash costs one
 * module, not the run. */
static void crash_if_asked(const char *module)
{
	const char *victim = getenv("MIBC_TEST_CRASH_IN");
	if (victim && strcmp(victim, module) == 0)
		raise(SIGABRT);
}

static void compile_one(struct child *c, size_t idx, bool want_index)
{
	struct module_entry *m = &c->plan->modules[idx];
	const struct driver_options *o = c->o;
	bool index_only = m->state == MODULE_UP_TO_DATE;

	if (!index_only && !o->ignore_errors) {
		char *why = failed_import(c->plan, m);
		if (why) {
			m->state = MODULE_IGNORED;
			send_line(c, 'I', idx, why);
			free(why);
			return;
		}
	}
	c->current = idx;
	send_line(c, 'B', idx, NULL);
	crash_if_asked(m->name);
	/* At level 3 libsmi's quadratic name check (see child_main) can
	 * only say "redefinition of identifier": skip it where no name is
	 * defined twice, keep it (and its exact messages) elsewhere. */
	if (!o->debug) {
		c->walk++;
		load_redefinition_check(redefinition_possible(c, idx));
	}
	if (parse_on_clean_stack(m->name) != 0) {
		const struct diag *d = diag_first_at(&c->diags[idx], DIAG_FAIL_SEVERITY);
		char *why = d ? xasprintf("%s:%d: %s", m->source->path, d->line, d->message)
			      : xstrdup("libsmi could not load it");
		m->state = MODULE_FAILED;
		send_line(c, 'F', idx, why);
		free(why);
		return;
	}
	char *reason = NULL;
	const struct diag *d = diag_first_at(&c->diags[idx], DIAG_FAIL_SEVERITY);
	if (d)
		reason = xasprintf("%s:%d: %s", m->source->path, d->line, d->message);
	else if (m->reason)
		reason = xstrdup(m->reason);
	if (reason && !o->ignore_errors && !index_only) {
		m->state = MODULE_FAILED;
		send_line(c, 'F', idx, reason);
		free(reason);
		return;
	}

	struct load_options lo = {
		.texts = o->generate_texts,
		.keep_texts_layout = o->keep_texts_layout,
	};
	struct model_module *model = load_model(m->name, base_name(m->source->path), &lo);
	if (!model) {
		m->state = MODULE_FAILED;
		send_line(c, 'F', idx, "libsmi loaded it but mibc could not read it back");
		free(reason);
		return;
	}
	hash_source(c, idx, model->source_hash);
	if (want_index)
		send_index(c, model);
	if (!index_only) {
		char *error = NULL;
		if (!o->dry_run && output_write_module(o, model, m->source->path, &error) != 0) {
			m->state = MODULE_FAILED;
			send_line(c, 'F', idx, error);
			free(error);
		} else {
			m->state = MODULE_CREATED;
			send_line(c, reason ? 'E' : 'C', idx, reason);
		}
	}
	model_module_free(model);
	free(reason);
}

static void child_main(struct child *c, const size_t *order, size_t n, bool want_index)
{
	/* libsmi reads memory it never initialised (valgrind shows it in
	 * smiyyerror and the index checks): with MALLOC_PERTURB_ set, IF-MIB
	 * gets a bogus "illegal base type" error.  Keep the parser's heap as
	 * glibc gives it by default. */
	mallopt(M_PERTURB, 0);
	if (load_init(c->staging, on_diag, c) != 0) {
		fputs("mibc: error: libsmi failed to initialise\n", stderr);
		_exit(4);
	}
	/* Notices cost: at level 6 libsmi compares every new name with every
	 * name of every loaded module (quadratic; 37 s for the vendor corpus
	 * instead of 1 s).  mibc shows nothing above level 2 without --debug. */
	smiSetErrorLevel(c->o->debug ? 6 : 3);
	c->visited = xcalloc(c->plan->n_modules, sizeof(*c->visited));
	for (size_t i = 0; i < n; i++) {
		compile_one(c, order[i], want_index);
		c->current = SIZE_MAX;
		send_line(c, 'Q', order[i], NULL);
	}
	/* no load_exit(): freeing what libsmi loaded, node by node, only to
	 * _exit next, cost up to a tenth of a small compile */
	free(c->visited);
	fflush(stderr);
	_exit(0);
}

/* Depth-first post-order: imports before importers, deterministic. */
static void topo_visit(struct plan *plan, size_t idx, bool *seen, size_t *order,
		       size_t *n, bool want_index)
{
	if (seen[idx])
		return;
	seen[idx] = true;
	struct module_entry *m = &plan->modules[idx];
	for (size_t i = 0; i < m->n_imports; i++)
		topo_visit(plan, m->imports[i], seen, order, n, want_index);
	if (m->state == MODULE_PENDING || (want_index && m->state == MODULE_UP_TO_DATE))
		order[(*n)++] = idx;
}

static void mark_closure(const struct plan *plan, size_t idx, bool *need)
{
	if (need[idx])
		return;
	need[idx] = true;
	const struct module_entry *m = &plan->modules[idx];
	for (size_t i = 0; i < m->n_imports; i++)
		mark_closure(plan, m->imports[i], need);
	for (size_t i = 0; i < m->n_references; i++)
		mark_closure(plan, m->references[i], need);
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Remove the staging directory: the entries staged (need[i]), then the
 * directory; whatever else is in it (nothing, normally) by a walk. */
static void unstage(const struct plan *plan, const bool *need, const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		for (size_t i = 0; i < plan->n_modules; i++)
			if (need[i] && plan->modules[i].source)
				unlinkat(fd, plan->modules[i].source->name, 0);
		close(fd);
	}
	if (rmdir(dir) != 0)
		nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Stage what the modules of `order` need into a new directory; *need_out
 * says which plan entries that is (for unstage). */
static char *stage_modules(struct plan *plan, struct source_set *sources,
			   const size_t *order, size_t n, bool **need_out)
{
	char *tried;
	char *dir = tempdir_make("mibc-", &tried);
	if (!dir) {
		fprintf(stderr, "mibc: error: cannot create a temporary directory %s: %s\n",
			tried, strerror(errno));
		free(tried);
		return NULL;
	}
	bool *need = xcalloc(plan->n_modules + 1, sizeof(*need));
	for (size_t i = 0; i < n; i++)
		mark_closure(plan, order[i], need);
	for (size_t i = 0; i < plan->n_modules; i++) {
		struct module_entry *m = &plan->modules[i];
		if (!need[i] || !m->source)
			continue;
		char *error = NULL;
		if (sources_stage(sources, m->source, dir, &error) != 0) {
			if (m->state == MODULE_PENDING) {
				m->state = MODULE_FAILED;
				free(m->reason);
				m->reason = error;
			} else {
				fprintf(stderr, "mibc: warning: %s\n", error);
				free(error);
			}
		}
	}
	*need_out = need;
	return dir;
}

struct parent {
	struct plan *plan;
	struct output_index *index;
	size_t current;     /* the module the child is parsing */
	size_t done;        /* modules of the order the child finished */
	char *fatal;        /* libsmi's last words */
};

static void set_state(struct parent *p, const char *idx_text, enum module_state state,
		      const char *reason, bool with_errors)
{
	char *end;
	unsigned long long idx = strtoull(idx_text, &end, 10);
	if (idx >= p->plan->n_modules)
		return;
	struct module_entry *m = &p->plan->modules[idx];
	m->state = state;
	m->with_errors = with_errors;
	if (reason) {
		free(m->reason);
		m->reason = xstrdup(reason);
	}
}

static void handle_index_line(struct parent *p, char *rest)
{
	char *module = strtok(rest, " ");
	char *name = strtok(NULL, " ");
	char *kind = strtok(NULL, " ");
	char *oid_text = strtok(NULL, " ");
	if (!module || !name || !kind || !oid_text || !p->index)
		return;
	uint32_t oid[MODEL_OID_MAX];
	size_t len = 0;
	for (char *s = strtok(oid_text, "."); s && len < MODEL_OID_MAX; s = strtok(NULL, "."))
		oid[len++] = (uint32_t)strtoul(s, NULL, 10);
	output_index_add(p->index, module, name, (enum model_node_kind)atoi(kind), oid, len);
}

static void handle_line(struct parent *p, char *line)
{
	if (!line[0] || line[1] != ' ')
		return;
	char kind = line[0];
	char *rest = line + 2;
	char *reason = strchr(rest, ' ');
	if (reason)
		*reason++ = '\0';
	switch (kind) {
	case 'B':
		p->current = strtoull(rest, NULL, 10);
		break;
	case 'C':
		set_state(p, rest, MODULE_CREATED, NULL, false);
		break;
	case 'E':
		set_state(p, rest, MODULE_CREATED, reason, true);
		break;
	case 'F':
		set_state(p, rest, MODULE_FAILED, reason, false);
		break;
	case 'I':
		set_state(p, rest, MODULE_IGNORED, reason, false);
		break;
	case 'Q':
		p->current = SIZE_MAX;
		p->done++;
		break;
	case 'Z':
		free(p->fatal);
		p->fatal = xstrdup(reason ? reason : "libsmi gave up");
		break;
	case 'X':
		if (reason)
			reason[-1] = ' '; /* the whole rest is the entry */
		handle_index_line(p, rest);
		break;
	}
}

/* Read the child's reports until it exits.  Returns false when it went
 * silent for too long (and was killed). */
static bool read_reports(struct parent *p, int fd)
{
	/* a few lines per module: grows when an index is sent */
	size_t len = 0, cap = 4096;
	char *buf = xmalloc(cap);
	bool ok = true;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int r = poll(&pfd, 1, WORKER_SILENCE_LIMIT_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			ok = false;
			break;
		}
		if (len == cap)
			buf = xrealloc(buf, cap *= 2);
		ssize_t got = read(fd, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
		char *start = buf, *nl;
		while ((nl = memchr(start, '\n', len - (size_t)(start - buf)))) {
			*nl = '\0';
			handle_line(p, start);
			start = nl + 1;
		}
		len -= (size_t)(start - buf);
		memmove(buf, start, len);
	}
	free(buf);
	return ok;
}

static char *death_reason(int status, bool silent, const char *fatal)
{
	if (silent)
		return xasprintf("libsmi did not finish parsing it within %d s",
				 WORKER_SILENCE_LIMIT_MS / 1000);
	if (fatal)
		return xasprintf("libsmi gave up: %s", fatal);
	if (WIFSIGNALED(status))
		return xasprintf("libsmi crashed while parsing it (%s)",
				 strsignal(WTERMSIG(status)));
	return xasprintf("the parser exited with status %d while parsing it",
			 WEXITSTATUS(status));
}

static int run_child(struct parent *p, struct plan *plan, const struct driver_options *o,
		     const char *staging, const size_t *order, size_t n, bool want_index,
		     struct diag_list *diags)
{
	int fds[2];
	if (pipe(fds) != 0) {
		perror("mibc: pipe");
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		perror("mibc: fork");
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		struct child c = {
			.plan = plan, .o = o, .diags = diags, .staging = staging,
			.out = fdopen(fds[1], "w"), .current = SIZE_MAX,
		};
		if (!c.out)
			_exit(5);
		child_main(&c, order, n, want_index);
	}
	close(fds[1]);
	p->current = SIZE_MAX;
	p->done = 0;
	bool answered = read_reports(p, fds[0]);
	close(fds[0]);
	if (!answered)
		kill(pid, SIGKILL);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (answered && WIFEXITED(status) && WEXITSTATUS(status) == 0 && p->done == n)
		return 0;
	/* The child died: blame the module it was parsing. */
	size_t victim = p->current != SIZE_MAX ? p->current
		       : p->done < n ? order[p->done] : SIZE_MAX;
	if (victim == SIZE_MAX)
		return 0;
	struct module_entry *m = &plan->modules[victim];
	free(m->reason);
	m->reason = death_reason(status, !answered, p->fatal);
	if (m->state != MODULE_UP_TO_DATE)
		m->state = MODULE_FAILED;
	fprintf(stderr, "%s: error: %s\n", m->source ? m->source->path : m->name, m->reason);
	free(p->fatal);
	p->fatal = NULL;
	/* Skip the victim too. */
	if (p->current != SIZE_MAX || p->done < n)
		p->done++;
	return 1;
}

int worker_compile(struct plan *plan, struct source_set *sources,
		   const struct driver_options *o, struct output_index *index)
{
	bool want_index = index != NULL;
	size_t *order = xcalloc(plan->n_modules + 1, sizeof(*order));
	bool *seen = xcalloc(plan->n_modules + 1, sizeof(*seen));
	size_t n = 0;
	for (size_t i = 0; i < plan->n_modules; i++)
		topo_visit(plan, i, seen, order, &n, want_index);
	free(seen);
	if (n == 0) {
		if (o->debug)
			fputs("mibc: debug: nothing to parse: libsmi not started\n", stderr);
		free(order);
		return 0;
	}
	bool *staged = NULL;
	char *staging = stage_modules(plan, sources, order, n, &staged);
	if (!staging) {
		free(order);
		return MIBC_EXIT_SOFTWARE;
	}
	if (o->debug)
		fprintf(stderr, "mibc: debug: staged %zu modules to parse in %s\n", n, staging);

	struct diag_list *diags = xcalloc(plan->n_modules, sizeof(*diags));
	struct parent p = { .plan = plan, .index = index };
	int status = 0;
	size_t pos = 0;
	while (pos < n) {
		/* Modules failed at staging are not handed to the child. */
		while (pos < n && plan->modules[order[pos]].state == MODULE_FAILED)
			pos++;
		if (pos == n)
			break;
		int r = run_child(&p, plan, o, staging, order + pos, n - pos, want_index, diags);
		if (r < 0) {
			status = MIBC_EXIT_SOFTWARE;
			break;
		}
		pos += p.done;
		if (r == 0)
			break;
	}
	free(p.fatal);
	free(diags);
	unstage(plan, staged, staging);
	free(staged);
	free(staging);
	free(order);
	return status;
}
