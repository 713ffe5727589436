/* Runtime descriptors (struct mibc_module_desc / mibc_object_desc, see
 * runtime/include/mibc/desc.h) built in memory from models, the same
 * tables mibc's C emitter writes as source: how mibget uses MIBs loaded at
 * start-up without a C compiler.
 *
 * Row structs do not exist for such modules, so column storage, offsets
 * and row sizes stay zero; everything else (OIDs, kinds, types, hints,
 * ranges, names, indexes, hierarchy, the module's sorted lookups) is
 * filled as the emitter fills it. */
#ifndef MIBC_DESC_BUILD_H
#define MIBC_DESC_BUILD_H

#include <stddef.h>

#include <mibc/desc.h>

#include "model.h"

struct desc_set;

/* Descriptors for `models` (taken over: freed with the set).  References
 * between modules (an INDEX object or AUGMENTS base row in another module)
 * are looked up in the models, then in `known` (e.g. compiled-in
 * modules); a row whose INDEX names an object found nowhere gets no index,
 * as the C emitter does. */
struct desc_set *desc_set_build(struct model_module **models, size_t n_models,
				const struct mibc_module_desc *const *known,
				size_t n_known);

/* The modules, in the order of `models`; valid until desc_set_free. */
const struct mibc_module_desc *const *desc_set_modules(const struct desc_set *set,
						       size_t *n);

void desc_set_free(struct desc_set *set);

#endif
