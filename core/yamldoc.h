/* core/yamldoc.h: a small YAML document tree that remembers where every node
 * came from (line and column), so that readers of answers files, kubeconfigs
 * and scenarios can say FILE:LINE:COL: key.path: message. libyaml parses; the
 * tree is plain structs, freed with yamldoc_free. Anchors and aliases are
 * refused (no file this program reads needs them, and they invite bombs). */
#ifndef CORE_YAMLDOC_H
#define CORE_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>

struct error;

enum ynode_kind { YNODE_SCALAR, YNODE_MAP, YNODE_SEQ };

struct ynode {
    enum ynode_kind kind;
    int line, col; /* 1-based start of the node */
    char *value;   /* YNODE_SCALAR: the text (never NULL) */
    bool quoted;   /* YNODE_SCALAR: written in quotes: a string, never null/bool/int */
    char **keys;   /* YNODE_MAP: keys in file order */
    int *key_line; /* YNODE_MAP: where each key is */
    int *key_col;
    struct ynode **items; /* YNODE_MAP: values by key index; YNODE_SEQ: items */
    size_t n;             /* number of keys or items */
};

/* Parses a file that holds one document (answers, secrets, kubeconfig). name
 * is used in messages ("answers.yaml"). An empty document gives an empty map.
 * Refused, each at its position: a second document, YAML tags ("!!str 1",
 * "!foo"), and bytes that are not UTF-8 (at their real line and column).
 * Errors: "NAME:LINE:COL: message". */
int yamldoc_parse(const char *name, const char *text, size_t len, struct ynode **out,
                  struct error *err);
/* Parses every document of a multi-document stream (manifests, scenarios);
 * empty documents are skipped. Tags are tolerated: "!!str" reads as text. */
int yamldoc_parse_all(const char *name, const char *text, size_t len, struct ynode ***out,
                      size_t *n, struct error *err);
void yamldoc_free(struct ynode *n);

/* Map lookup; NULL when n is not a map or has no such key. */
struct ynode *ynode_get(const struct ynode *n, const char *key);
/* Index of key in a map, or -1. */
int ynode_key_index(const struct ynode *n, const char *key);
/* Scalar text of map[key], or NULL when absent or not a scalar. */
const char *ynode_get_str(const struct ynode *n, const char *key);
/* What a plain (unquoted) scalar is under the YAML 1.2 core schema: null
 * (empty, ~, null), a bool (true/false in three spellings), an int
 * ([-+]?[0-9]+, 0o17, 0x1F), a float (1.5, .5, 1e3, .inf, .nan), else a
 * string. The one scalar typing: yamldoc's readers and the simulator's
 * YAML bodies use it. */
enum yscalar { YSCALAR_NULL, YSCALAR_BOOL, YSCALAR_INT, YSCALAR_FLOAT, YSCALAR_STR };
enum yscalar yscalar_resolve(const char *s);
/* The value of an int scalar (false when it is not one or overflows). */
bool yscalar_long(const char *s, long *out);
/* The value of an int or a finite float scalar. */
bool yscalar_double(const char *s, double *out);

/* True for an unquoted scalar spelled null, ~ or empty. */
bool ynode_is_null(const struct ynode *n);
/* YAML 1.2 core-schema readings of an unquoted scalar; false when not one. */
bool ynode_as_bool(const struct ynode *n, bool *out);
bool ynode_as_long(const struct ynode *n, long *out);
bool ynode_as_double(const struct ynode *n, double *out);
const char *ynode_kind_name(enum ynode_kind k); /* "a string", "a mapping", "a list" */

#endif
