/* plan_int.h: private to the YAML files' readers. One reader serves the
 * plan and the site's own files:
 *
 *   plan_yaml.c      bytes -> a tree of ynodes (libyaml's event stream, never
 *                    its document loader), with hard limits; the only file
 *                    that includes <yaml.h>
 *   plan_tree.c      typed access to the tree: strings, texts in several
 *                    languages, numbers, durations, lists, sections; "did
 *                    you mean"; the errors, sorted by position
 *   plan_load.c      the tree -> struct plan: the section reader, the plan's
 *                    top, roles, levels, warnings, roster and ledgers
 *   plan_rules.c     what the engine's rules read: metrics, conditions,
 *                    criteria, triggers, the level decision matrix
 *   plan_deadlines.c events, obligations and notices (with their templates)
 *   plan_describe.c  struct plan -> plan show
 *   site.c           the tree -> the contacts and channels files
 *
 * A struct ydoc owns its tree and the errors found so far; the source bytes
 * are borrowed and must outlive it. Every node pointer handed out points
 * into the tree and lives as long as the ydoc. */
#ifndef SITREP_PLAN_INT_H
#define SITREP_PLAN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "sitrep/plan.h"
#include "sitrep/util.h"

#define YDOC_MAX_ERRORS 100  /* past this, one "too many errors" line */

enum ytype { Y_SCALAR, Y_SEQ, Y_MAP, Y_BAD /* an alias, or a string holding NUL */ };
enum ystyle { YS_PLAIN, YS_SINGLE, YS_DOUBLE, YS_LITERAL, YS_FOLDED };

struct ynode {
	enum ytype type;
	int line, col;       /* 1-based start, columns in characters */
	char *s;             /* Y_SCALAR: the text, owned, NUL-free */
	size_t len;          /* its length in bytes */
	enum ystyle style;   /* Y_SCALAR: how it was written */
	size_t src, src_end; /* Y_SCALAR: its bytes in the source, indicators
	                        and quotes included (ydoc_locate) */
	int dup;             /* a key seen before in its mapping: it and its
	                        value are ignored (already reported) */
	size_t *kid;         /* children (node indexes); a mapping alternates key, value */
	size_t nkid, akid;
};

struct ydoc {
	const char *path;        /* for messages; borrowed */
	const char *noun;        /* "plan", "contacts file": "%s is larger than ..." */
	const char *file_noun;   /* "plan file": "a %s holds one YAML document" */
	const char *lang;        /* the language texts are chosen in; borrowed */
	const char *buf;         /* the source, borrowed */
	size_t len;
	struct ynode *nodes;     /* the tree, owned */
	size_t nnodes, anodes;
	long root;               /* index of the top node, -1 when the file is empty */
	struct error_list errs;  /* in the order found; ydoc_flush sorts them */
	int overflow;            /* errors past YDOC_MAX_ERRORS were dropped */
	size_t *thawed_kids;     /* ydoc_thaw: every node's children in one block, and
	                            the strings borrowed from the blob (not freed) */
	/* ydoc_locate's last answer: the errors of one scalar come in order,
	 * so the next one counts lines from there rather than from its start */
	struct { const struct ynode *node; size_t byte; int line, col; } last;
};

/* Results of the getters: Y_GOT a value, Y_NONE absent or null (no error),
 * Y_ERR an error was recorded (or the node was already bad). */
enum { Y_ERR = -1, Y_NONE = 0, Y_GOT = 1 };

/* ------------------------------------------------------------------ */
/* The document (plan_tree.c; ydoc_parse in plan_yaml.c)              */

/* path: messages only; nouns as above; lang: NULL for i18n_lang(). */
void ydoc_init(struct ydoc *d, const char *path, const char *noun, const char *file_noun,
	       const char *lang);
/* Build the tree of buf[0..len) (borrowed). Refuses, with a message naming
 * the problem, a file over PLAN_MAX_FILE, one that is not UTF-8 (UTF-16 or
 * UTF-32 with or without a byte-order mark, a NUL byte, invalid bytes; a
 * UTF-8 byte-order mark is fine), a YAML syntax error, a second document,
 * nesting past PLAN_MAX_DEPTH, more than PLAN_MAX_NODES values, any alias.
 * Duplicate keys and keys that are not strings are reported and marked
 * `dup`. Returns 0, or -1 when the tree cannot be trusted (errors recorded). */
int ydoc_parse(struct ydoc *d, const char *buf, size_t len);
/* Frees the tree and any errors not flushed. */
void ydoc_release(struct ydoc *d);
/* The tree in binary (appended to out), and back: thaw fills an
 * initialised, empty d (its buf set by the caller) and returns 0, or -1
 * for a blob that does not decode exactly (d left empty). A thawed tree's
 * strings point into the blob, which must outlive it. */
int ydoc_freeze(const struct ydoc *d, struct strbuf *out);
int ydoc_thaw(struct ydoc *d, const void *blob, size_t len);
/* Read a whole file (at most PLAN_MAX_FILE bytes) into out. Returns 0, or
 * -1 with an error (path, "cannot open ...") appended to errs. */
int ydoc_read_file(const char *path, const char *noun, struct strbuf *out,
		   struct error_list *errs);

const struct ynode *ydoc_root(const struct ydoc *d);  /* NULL when empty */
const struct ynode *ydoc_kid(const struct ydoc *d, const struct ynode *n, size_t i);

void ydoc_err_at(struct ydoc *d, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* An error at a node's position (1:1 when at is NULL). */
void ydoc_err(struct ydoc *d, const struct ynode *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ydoc_failed(const struct ydoc *d);
/* 1 (and the overflow noted) when no more errors will be kept: a check
 * whose errors cost something to place stops there. */
int ydoc_full(struct ydoc *d);
/* Hand the errors over to out (may be NULL) sorted by position, equal
 * positions in the order found, then "too many errors" when some were
 * dropped; d keeps none. */
void ydoc_flush(struct ydoc *d, struct error_list *out);
/* Line and column of the text value[off .. off+n) of scalar n as written in
 * the source: exact for plain, single-quoted, literal and folded scalars and
 * for double-quoted ones without escapes before it; else the scalar's start. */
void ydoc_locate(struct ydoc *d, const struct ynode *n, size_t off, size_t len,
		 int *line, int *col);
/* Line and column of byte offset off, counted from the start of the buffer. */
void ydoc_offset_pos(const char *buf, size_t len, size_t off, int *line, int *col);

/* ------------------------------------------------------------------ */
/* Typed access (plan_tree.c)                                          */

int y_is_null(const struct ynode *n);         /* a plain ~, null or nothing */
const char *y_type_name(const struct ynode *n);   /* "a list", "a string" ... */
int y_valid_id(const char *s);                /* ASCII letters, digits, _ - . */
int y_parse_number(const char *s, double *out);   /* 0 or -1 */
/* The closest of cands[0..n) to word (edit distance), NULL when none is
 * close; cands may hold NULLs. Borrowed from cands. */
const char *y_suggest(const char *word, const char *const *cands, size_t n);

/* The value of key in mapping m (NULL when absent, or m not a mapping). */
const struct ynode *y_get(const struct ydoc *d, const struct ynode *m, const char *key);
/* The mapping under key, or NULL when it is absent, null, already refused,
 * or not a mapping (then said: "expected a mapping of WHAT for 'KEY'";
 * WHAT a msgid, N_-marked by the caller). */
const struct ynode *y_opt_map(struct ydoc *d, const struct ynode *m, const char *key,
			      const char *what);
/* Unknown keys of m, with "did you mean"; allowed ends in NULL. */
void y_check_keys(struct ydoc *d, const struct ynode *m, const char *what,
		  const char *const *allowed);
/* "missing key 'id' in level" when required (Y_ERR), else Y_NONE. */
int y_missing(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	      int required);

/* A scalar value v; *out borrowed from the tree. */
int y_scalar(struct ydoc *d, const struct ynode *v, const char *key, const char **out);
/* The getters below read key of mapping m; *out is set only on Y_GOT
 * (strings: a new copy owned by the caller). */
int y_str(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	  int required, char **out);
int y_id(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	 int required, char **out);
int y_num(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	  int required, double *out);
int y_int(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	  int required, int64_t *out);
int y_dur(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	  int required, int64_t *out);
int y_bool(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	   int required, int *out);

/* Texts: a string, or a mapping of language to string ({zh_CN: 核实,
 * en: Verify}). y_text_pick checks every language key and value of v and
 * sets *chosen to the scalar of d->lang (exact, else the same language,
 * else the first). */
int y_text_pick(struct ydoc *d, const struct ynode *v, const char *key,
		const struct ynode **chosen);
int y_text(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	   int required, char **out);
/* One text or a list of texts, copied into a new array (*out, *n; set
 * only on Y_GOT). */
int y_texts(struct ydoc *d, const struct ynode *m, const char *key, char ***out, size_t *n);
/* 1 when v is the string s, or a text mapping whose every value is s. */
int y_text_is(const struct ydoc *d, const struct ynode *v, const char *s);

/* The items of a value that is one string or a list of strings, without
 * copying: the view points into the tree. */
struct yitems {
	const struct ydoc *d;
	const struct ynode *one;  /* the value itself when it is one string */
	const size_t *kid;        /* else the list's children */
	size_t n;
};
/* Returns the count (0 when v is NULL or null) or -1 after an error. */
long y_items(struct ydoc *d, const struct ynode *v, const char *key, struct yitems *it);
const struct ynode *y_item(const struct yitems *it, size_t i);
/* One string or a list of ids, copied into a new array (*out, *n; set only
 * on Y_GOT); "invalid WHAT 'x'" for one that is not an id. */
int y_idlist(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	     char ***out, size_t *n);

/* A section: key of m is a list of mappings (at most max). Returns the
 * count of mapping entries (entries that are not mappings are reported and
 * left out) or -1 after an error; *out is a new array of borrowed nodes
 * (free it), NULL when the count is not positive. */
long y_section(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	       size_t max, const struct ynode ***out);

/* Free an array of n strings (NULL is fine). */
void y_strv_free(char **v, size_t n);

/* ------------------------------------------------------------------ */
/* The plan loader (plan_load.c, plan_rules.c, plan_deadlines.c)       */

/* Kinds of id: each has its own namespace, for duplicates and references. */
enum idkind { K_METRIC, K_LEVEL, K_WARNING, K_ROLE, K_CRITERION, K_OBLIGATION, K_TRIGGER,
	      K_DIM, K_RESOURCE, K_NOTICE, K_GROUP, K_CHANNEL, K_ROUTINE, K__COUNT,
	      K_NONE = K__COUNT };

struct loader {
	struct ydoc d;
	struct plan *p;      /* being filled; freed by the caller on errors */
	/* ids per kind, for references: borrowed strings (the plan's), owned arrays */
	const char **ids[K__COUNT];
	size_t nids[K__COUNT];
};

/* How one key of an entry is read into its struct (a table of these
 * replaces a getter call per key). */
enum ftype {
	F_ID,        /* char *: a plain identifier */
	F_STR,       /* char *: a string, the same in every language */
	F_TEXT,      /* char *: a text, in the plan's language */
	F_TEXTS,     /* char ** and its size_t count: one text or a list */
	F_DUR,       /* int64_t: a duration, 0 or more */
	F_EVERY,     /* int64_t: a duration longer than 0 */
	F_COUNT      /* int64_t: a whole number, 0 or more */
};
struct field {
	const char *key;
	enum ftype type;
	int required;
	size_t off;          /* offset of the member in the entry */
	size_t noff;         /* F_TEXTS: offset of its count */
};
#define FIELD(st, key, type, req, member) { key, type, req, offsetof(st, member), 0 }
#define TEXTS(st, key, member, count) \
	{ key, F_TEXTS, 0, offsetof(st, member), offsetof(st, count) }
#define FIELDS_END { NULL, F_ID, 0, 0, 0 }

/* A section that is a list of entries of one shape. */
struct section {
	const char *key, *what;      /* "levels", "level" */
	size_t max;                  /* entries at most */
	size_t size;                 /* sizeof one entry */
	const struct field *fields;  /* read for every entry; ends with FIELDS_END */
	const char *const *more;     /* keys `entry` reads; NULL-terminated, or NULL */
	enum idkind kind;            /* the kind of its "id" field (first), or K_NONE */
	void (*entry)(struct loader *L, const struct ynode *m, void *e, size_t i);
};

/* Read section s of m: keys and fields of every entry, then the ids (so
 * that an entry may name a later one), then each entry's callback. Returns
 * a new array (NULL when there is no entry) and its count in *n (-1 after
 * an error in the section's own value); *nodes (when asked for) gets the
 * entries' nodes, freed by the caller. */
void *pl_section(struct loader *L, const struct ynode *m, const struct section *s, long *n,
		 const struct ynode ***nodes);
size_t pl_count(long n);  /* a section's count as a size: -1 -> 0 */
/* The index of `name` among the ids of kind k; -1 with "undefined ..." */
int pl_resolve(struct loader *L, const struct ynode *at, enum idkind k, const char *name);
/* The reference in key of m (an id of kind k) into *out. */
int pl_ref(struct loader *L, const struct ynode *m, const char *key, const char *what,
	   enum idkind k, int required, int *out);
/* One reference or a list of them in v: a new array of indexes. */
void pl_refs(struct loader *L, const struct ynode *v, const char *key, enum idkind k,
	     int **out, size_t *n);

/* plan_rules.c */
void pl_load_metrics(struct loader *L, const struct ynode *root);
void pl_load_criteria(struct loader *L, const struct ynode *root);  /* after the ledgers */
void pl_load_triggers(struct loader *L, const struct ynode *root);
void pl_load_matrix(struct loader *L, const struct ynode *root);
/* lift, termination: criterion ids */
void pl_load_crit_list(struct loader *L, const struct ynode *root, const char *key,
		       int **out, size_t *n);
/* plan_deadlines.c: obligations, and notices with the obligation each
 * generates; after every other section they may name */
void pl_load_deadlines(struct loader *L, const struct ynode *root);

#endif
