/* core/kube_jparse.h: the client's JSON parser for what servers send (list
 * pages, watch events). It builds the same read-only tree as cJSON (struct
 * cJSON, so the projection, the type checks and kj_* read it unchanged)
 * but allocates nodes and strings from a few large chunks instead of one
 * malloc per node, key and string: a 500-pod page is one or two
 * allocations, and the chunk is reused for the next page (docs/bench.md
 * has the measurements).
 *
 * Differences from cJSON_ParseWithLength, all stricter: content after the
 * value (other than whitespace) is an error; numbers follow JSON's grammar
 * (no "01", "1.", "-"); a string may not run past the end of the text.
 * The tree must be freed with kube_jparse_free, never cJSON_Delete, and is
 * never modified (cJSON_Duplicate gives a normal heap copy).
 *
 * Each object member carries its name's number (core/kube_keys.h) in bits
 * of its type that cJSON leaves alone, and each object the type check
 * (core/kube_check.h), applied member by member as they are read, finds
 * clean is marked KUBE_CHECK_OK: kube_obj_check returns at once for it. */
#ifndef CORE_KUBE_JPARSE_H
#define CORE_KUBE_JPARSE_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;

/* Nesting deeper than this is an error (cJSON's CJSON_NESTING_LIMIT). */
#define KUBE_JPARSE_MAX_DEPTH 1000

/* Parses len bytes of text (a UTF-8 BOM is skipped). NULL when it is not
 * JSON; then *err_at (when not NULL) is the byte where parsing failed, as
 * cJSON_GetErrorPtr reports it (the last byte when the text ended early). */
struct cJSON *kube_jparse(const char *text, size_t len, size_t *err_at);
/* Flags of kube_jparse_opts. */
enum {
    /* Leave out metadata.managedFields (checked as JSON, not kept). Nothing
     * the client shows reads them, kubectl hides them too (its
     * --show-managed-fields), and on a real server they are often a third
     * of an object's bytes. */
    KUBE_JPARSE_NO_MANAGED_FIELDS = 1u << 0,
    /* The text is writable, with a NUL after its len bytes, and outlives
     * the tree: the parser works in it (strings are ended and unescaped in
     * place) instead of in a copy. The text is changed. */
    KUBE_JPARSE_IN_PLACE = 1u << 1,
};
struct cJSON *kube_jparse_opts(const char *text, size_t len, unsigned flags, size_t *err_at);
/* A list page one item at a time: as kube_jparse_opts, but each item of
 * the root's "items" list (its first member of that name, when a list) is
 * handed to item as soon as it is read, valid during the call, then dropped
 * from the tree and its memory reused for the next. The items are read and
 * checked (projected) while they are in the cache, and the tree of a page
 * of 500 pods needs tens of kilobytes instead of megabytes. The tree
 * returned has the rest (kind, metadata, and "items" without the items
 * handed over). Items before a syntax error have been handed over when it
 * returns NULL. */
typedef void (*kube_jparse_item_cb)(const struct cJSON *item, void *arg);
struct cJSON *kube_jparse_list(const char *text, size_t len, unsigned flags,
                               kube_jparse_item_cb item, void *arg, size_t *err_at);
/* For tests: the JSON value at the start of text (len bytes, a NUL after
 * them; the text may be written) read as a left-out member is: by the fast
 * path alone (fast; -1 when it is not sure) or by the exact reader alone
 * (-1 when it is not JSON). The offset after the value. */
long kube_jparse_skip_for_test(char *text, size_t len, bool fast);
/* Frees a tree kube_jparse returned (NULL is ignored). */
void kube_jparse_free(struct cJSON *root);
/* Gives back the chunk kept for the next parse (up to 4 MiB of a list
 * page's tree) and the heap's free top to the system: once a list is in,
 * watch events need a few kilobytes (kube_watch calls this after a list). */
void kube_jparse_release(void);

#endif
