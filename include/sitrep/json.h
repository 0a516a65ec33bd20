/* json: a small JSON reader for journal payloads (objects, arrays, strings
 * with \u escapes and surrogate pairs, numbers, true/false/null).
 * The writer side is sb_add_json_str in util.h. */
#ifndef SITREP_JSON_H
#define SITREP_JSON_H

#include <stddef.h>
#include "sitrep/util.h"

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

/* A parsed value; a tree owned by its root (json_free). */
struct json_value {
	enum json_type type;
	int boolean;               /* JSON_BOOL */
	double number;             /* JSON_NUMBER */
	char *str;                 /* JSON_STRING: owned, NUL-terminated UTF-8 */
	size_t len;                /* JSON_STRING: bytes (a \u0000 may make it differ from strlen) */
	struct json_value *items;  /* JSON_ARRAY elements / JSON_OBJECT values: owned */
	char **keys;               /* JSON_OBJECT: owned keys, parallel to items */
	size_t n;                  /* count of items (and keys) */
};

#define JSON_MAX_DEPTH 64

/* Parse text[0..len) as one JSON value (whitespace around it allowed).
 * Returns 0, or -1 with err set (code SITREP_EXIT_USAGE, line/col of the
 * problem, message saying what was expected). On success release *out with
 * json_free. */
int json_parse(const char *text, size_t len, struct json_value *out, struct sitrep_error *err);
/* Frees what v owns (not v itself) and resets it to JSON_NULL. */
void json_free(struct json_value *v);

/* Lookups; borrowed results valid while the tree lives. */
const struct json_value *json_get(const struct json_value *obj, const char *key); /* NULL if absent or obj not an object */
const char *json_get_str(const struct json_value *obj, const char *key);          /* NULL if absent or not a string */
double json_get_num(const struct json_value *obj, const char *key, double def);
int json_get_bool(const struct json_value *obj, const char *key, int def);

#endif
