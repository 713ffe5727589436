/* Built-in and loaded modules (see mibs.h). */
#include "mibs.h"

#include <stdio.h>
#include <stdlib.h>

#include "builtin.h"
#include "desc-build.h"
#include "dynamic.h"
#include "smi-module.h"

int cli_mibs_load(const struct cli_options *o, struct cli_mibs *m)
{
	size_t n_loaded = 0;
	const struct mibc_module_desc *const *loaded = NULL;
	m->loaded = NULL;
	if (o->n_mib_modules) {
		struct dynamic_request request = {
			.sources = o->mib_sources,
			.n_sources = o->n_mib_sources,
			.modules = o->mib_modules,
			.n_modules = o->n_mib_modules,
			.system_sources = true,
			.debug = o->debug,
			.known = cli_builtin_modules,
			.n_known = cli_n_builtin_modules,
		};
		char *error = NULL;
		m->loaded = dynamic_load(&request, &error);
		if (!m->loaded) {
			fprintf(stderr, "%s: %s\n", o->tool->name, error ? error : "cannot load MIBs");
			free(error);
			return CLI_EXIT_FAILURE;
		}
		loaded = desc_set_modules(m->loaded, &n_loaded);
	} else if (o->n_mib_sources) {
		fprintf(stderr, "%s: --mib-source (-M) without -m MODULE loads nothing\n"
			"Try '%s --help' for more information.\n", o->tool->name, o->tool->name);
		return CLI_EXIT_USAGE;
	}
	size_t n = 1 + n_loaded + cli_n_builtin_modules;
	m->storage = calloc(n, sizeof(*m->storage));
	if (!m->storage) {
		perror(o->tool->name);
		return CLI_EXIT_FAILURE;
	}
	/* SNMPv2-SMI's own nodes first (see smi-module.h) */
	m->storage[0] = &cli_smi_module;
	for (size_t i = 0; i < n_loaded; i++)
		m->storage[1 + i] = loaded[i];
	for (size_t i = 0; i < cli_n_builtin_modules; i++)
		m->storage[1 + n_loaded + i] = cli_builtin_modules[i];
	m->list.modules = m->storage;
	m->list.n = n;
	return 0;
}

void cli_mibs_free(struct cli_mibs *m)
{
	free(m->storage);
	desc_set_free(m->loaded);
	m->storage = NULL;
	m->loaded = NULL;
}
