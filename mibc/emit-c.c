/* placeholder: being written */
#include "emit.h"
const struct emitter emitter_c = { .format = "c" };
