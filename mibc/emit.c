#include "emit.h"

#include <string.h>

static int null_emit(const struct model_module *module,
		     const struct emit_options *options, size_t i, FILE *out,
		     char **error)
{
	(void)module;
	(void)options;
	(void)i;
	(void)out;
	(void)error;
	return 0;
}

/* The null format parses and checks, and writes nothing (as mibdump's). */
const struct emitter emitter_null = {
	.format = "null",
	.n_outputs = 0,
	.output_name = NULL,
	.emit = null_emit,
};

static const struct emitter *const emitters[] = {
	&emitter_c,
	&emitter_json,
	&emitter_null,
};

const struct emitter *emitter_find(const char *format)
{
	for (size_t i = 0; i < sizeof(emitters) / sizeof(emitters[0]); i++)
		if (strcmp(emitters[i]->format, format) == 0)
			return emitters[i];
	return NULL;
}

const char *emitter_formats(void)
{
	return "c, json, null";
}
