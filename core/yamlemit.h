/* core/yamlemit.h: thin helpers over libyaml's emitter for the files this
 * program writes (answers, secrets): one block mapping per document, strings
 * quoted by yamlout_needs_quotes(), the one rule for what must be quoted. */
#ifndef CORE_YAMLEMIT_H
#define CORE_YAMLEMIT_H

#include <stdbool.h>
#include <yaml.h>

struct strbuf;

/* Starts a stream, a document and the top-level block mapping; output is
 * appended to out. Returns 0 or -1 (em->problem says why). */
int yamlemit_begin(yaml_emitter_t *em, struct strbuf *out);
/* Closes the top-level mapping, the document and the stream; flushes. The
 * caller still calls yaml_emitter_delete. */
int yamlemit_end(yaml_emitter_t *em);

/* A string value: plain when safe, double-quoted when force_quotes or when
 * it needs quotes. */
int yamlemit_scalar(yaml_emitter_t *em, const char *s, bool force_quotes);
/* A plain scalar: keys, numbers, booleans, enum names. */
int yamlemit_plain(yaml_emitter_t *em, const char *s);
int yamlemit_map_start(yaml_emitter_t *em);
int yamlemit_map_end(yaml_emitter_t *em);
/* flow: [a, b] on one line; otherwise a block list. */
int yamlemit_seq_start(yaml_emitter_t *em, bool flow);
int yamlemit_seq_end(yaml_emitter_t *em);

#endif
