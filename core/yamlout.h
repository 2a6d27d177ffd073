/* core/yamlout.h: cJSON trees to YAML text through libyaml's emitter, so that
 * quoting is decided by rules, never by pasting strings. Every rendered YAML
 * file is built as cJSON (keys in insertion order) and written here. */
#ifndef CORE_YAMLOUT_H
#define CORE_YAMLOUT_H

#include <stdbool.h>
#include <stddef.h>

struct error;
struct cJSON;

/* Emits docs[0..n) as one YAML stream (block style, "---" between
 * documents). Strings that would read back as another type are quoted,
 * multi-line strings become literal blocks. *out is NUL-terminated; the
 * caller frees it. Fails on text that is not valid UTF-8. */
int yamlout_emit(struct cJSON *const *docs, size_t n, char **out, size_t *len, struct error *err);

/* True when a plain scalar spelled s would not read back as the string s
 * (null, booleans, numbers, timestamps, empty): such strings get quoted. */
bool yamlout_needs_quotes(const char *s);

#endif
