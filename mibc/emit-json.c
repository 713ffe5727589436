/* placeholder: being written */
#include "emit.h"
const struct emitter emitter_json = { .format = "json" };
