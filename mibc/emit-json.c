/* placeholder: being written */
typedef int mibc_placeholder_emit_json;
