/* plan: the YAML preparedness plan -> struct plan.
 *
 * Two passes. The first reads libyaml's event stream (never its document
 * loader) into a small tree of our own, with hard limits on size, depth and
 * node count, aliases refused and duplicate keys found. The second walks
 * that tree section by section and fills struct plan, collecting every error
 * it finds; errors are sorted by position before they are handed back.
 * The format is described in docs/plan-format.md. */
#include <yaml.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sitrep/plan.h"

#define PLAN_FORMAT_VERSION 1
#define MAX_ERRORS 100       /* past this, one "too many errors" line */
#define MAX_LIST 1000        /* entries in any one section */
#define MAX_DIMS 4

const char *const plan_action_names[ACT__COUNT] = {
#define X(id, name) name,
	SITREP_ACTIONS(X)
#undef X
};

int plan_action_lookup(const char *name)
{
	int i;
	if (!name)
		return -1;
	for (i = 0; i < ACT__COUNT; i++)
		if (!strcmp(plan_action_names[i], name))
			return i;
	return -1;
}

static const char *const cmp_names[] = { ">", ">=", "<", "<=", "==", "!=" };

const char *plan_cmp_name(enum plan_cmp op)
{
	if ((int)op < 0 || (size_t)op >= sizeof cmp_names / sizeof *cmp_names)
		return "?";
	return cmp_names[op];
}

int plan_cond_holds(const struct plan_cond *c, double v)
{
	switch (c->op) {
	case CMP_GT: return v > c->value;
	case CMP_GE: return v >= c->value;
	case CMP_LT: return v < c->value;
	case CMP_LE: return v <= c->value;
	case CMP_EQ: return v == c->value;
	case CMP_NE: return v != c->value;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The tree                                                            */

enum ytype { Y_SCALAR, Y_SEQ, Y_MAP, Y_BAD };

struct ynode {
	enum ytype type;
	int line, col;       /* 1-based */
	char *s;             /* scalar text (NUL-free) */
	int plain;           /* plain (unquoted) scalar */
	int dup;             /* a duplicate key (its value is ignored) */
	size_t *kid;         /* children; a mapping alternates key, value */
	size_t nkid, akid;
};

enum idkind { K_METRIC, K_LEVEL, K_WARNING, K_ROLE, K_CRITERION, K_OBLIGATION, K_TRIGGER,
	      K_DIM, K__COUNT };
static const char *const kind_names[K__COUNT] = {
	"metric", "level", "warning", "role", "criterion", "obligation", "trigger", "dimension"
};

struct loader {
	const char *path;
	const char *buf;
	size_t len;
	struct ynode *nodes;
	size_t nnodes, anodes;
	struct error_list errs;
	size_t seq;          /* order errors were found, for a stable sort */
	size_t *order;
	size_t aorder;
	int overflow;
	struct plan *p;
	/* ids per kind for resolving references (borrowed from p) */
	const char **ids[K__COUNT];
	size_t nids[K__COUNT];
};

static void verr(struct loader *L, int line, int col, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	if (L->errs.n >= MAX_ERRORS) {
		L->overflow = 1;
		return;
	}
	sb_init(&sb);
	sb_vaddf(&sb, fmt, ap);
	errlist_add(&L->errs, SITREP_EXIT_PLAN, L->path, line, col, "%s", sb.buf);
	sb_release(&sb);
}

static void lerr(struct loader *L, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void lerr(struct loader *L, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(L, line, col, fmt, ap);
	va_end(ap);
}

static void nerr(struct loader *L, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void nerr(struct loader *L, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(L, n ? n->line : 1, n ? n->col : 1, fmt, ap);
	va_end(ap);
}

static struct ynode *NODE(struct loader *L, size_t i) { return &L->nodes[i]; }

static size_t node_new(struct loader *L, enum ytype t, const yaml_mark_t *m)
{
	struct ynode *n;
	L->nodes = xgrow(L->nodes, sizeof *L->nodes, L->nnodes + 1, &L->anodes);
	n = &L->nodes[L->nnodes];
	memset(n, 0, sizeof *n);
	n->type = t;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return L->nnodes++;
}

static void node_add_kid(struct loader *L, size_t parent, size_t kid)
{
	struct ynode *p = NODE(L, parent);
	p->kid = xgrow(p->kid, sizeof *p->kid, p->nkid + 1, &p->akid);
	p->kid[p->nkid++] = kid;
}

static void tree_free(struct loader *L)
{
	size_t i;
	for (i = 0; i < L->nnodes; i++) {
		free(L->nodes[i].s);
		free(L->nodes[i].kid);
	}
	free(L->nodes);
	L->nodes = NULL;
	L->nnodes = L->anodes = 0;
}

/* Line and column (1-based, columns in characters as libyaml counts them)
 * of a byte offset, for reader errors that carry only the offset. */
static void offset_pos(const struct loader *L, size_t off, int *line, int *col)
{
	size_t i;
	int l = 1, c = 1;
	if (off > L->len)
		off = L->len;
	for (i = 0; i < off; i++) {
		unsigned char ch = (unsigned char)L->buf[i];
		if (ch == '\n') {
			l++;
			c = 1;
		} else if ((ch & 0xc0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

struct keyref { const char *s; size_t pos; size_t node; size_t first; };

static int keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int keyref_pos_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* At the end of a mapping: keys must be scalars, and unique. Sorting keeps
 * this O(n log n) even for a hostile mapping with thousands of keys. */
static void map_finish(struct loader *L, size_t mi)
{
	struct ynode *m = NODE(L, mi);
	size_t nk = m->nkid / 2, i, nd = 0, first = 0;
	struct keyref *k, *dups;
	if (!nk)
		return;
	k = xcalloc(nk, sizeof *k);
	dups = xcalloc(nk, sizeof *dups);
	for (i = 0; i < nk; i++) {
		struct ynode *key = NODE(L, m->kid[2 * i]);
		k[i].pos = i;
		k[i].node = m->kid[2 * i];
		k[i].s = key->type == Y_SCALAR ? key->s : "";
		if (key->type != Y_SCALAR) {
			if (key->type != Y_BAD)
				nerr(L, key, "a key must be a plain string");
			key->dup = 1;
		}
	}
	qsort(k, nk, sizeof *k, keyref_cmp);
	for (i = 0; i < nk; i++) {
		if (NODE(L, k[i].node)->dup)
			continue;
		if (i > 0 && !NODE(L, k[first].node)->dup && !strcmp(k[first].s, k[i].s)) {
			dups[nd] = k[i];
			dups[nd].first = k[first].node;
			nd++;
		} else {
			first = i;
		}
	}
	for (i = 0; i < nd; i++)
		NODE(L, dups[i].node)->dup = 1;
	qsort(dups, nd, sizeof *dups, keyref_pos_cmp);
	for (i = 0; i < nd; i++)
		nerr(L, NODE(L, dups[i].node), "duplicate key '%s' (first at line %d)",
		     NODE(L, dups[i].node)->s, NODE(L, dups[i].first)->line);
	free(k);
	free(dups);
}

static void yaml_problem(struct loader *L, yaml_parser_t *ps)
{
	int line, col;
	switch (ps->error) {
	case YAML_READER_ERROR: {
		size_t off = ps->problem_offset;
		/* a bad trailing octet: point at the start of its sequence */
		if (ps->problem && strstr(ps->problem, "trailing") && off > 0 && off <= L->len) {
			size_t back = off;
			while (back > 0 && back + 4 > off &&
			       ((unsigned char)L->buf[back - 1] & 0xc0) == 0x80)
				back--;
			if (back > 0 && ((unsigned char)L->buf[back - 1] & 0xc0) == 0xc0)
				off = back - 1;
		}
		offset_pos(L, off, &line, &col);
		if (ps->problem && strstr(ps->problem, "trailing"))
			lerr(L, line, col, "invalid text: %s", ps->problem);
		else if (ps->problem_value != -1)
			lerr(L, line, col, "invalid text: %s (byte 0x%02x)",
			     ps->problem ? ps->problem : "unreadable input",
			     (unsigned)ps->problem_value & 0xff);
		else
			lerr(L, line, col, "invalid text: %s",
			     ps->problem ? ps->problem : "unreadable input");
		break;
	}
	case YAML_MEMORY_ERROR:
		lerr(L, 1, 1, "out of memory while parsing");
		break;
	default:
		line = (int)ps->problem_mark.line + 1;
		col = (int)ps->problem_mark.column + 1;
		if (ps->context)
			lerr(L, line, col, "syntax error: %s (%s at line %d)",
			     ps->problem ? ps->problem : "malformed YAML", ps->context,
			     (int)ps->context_mark.line + 1);
		else
			lerr(L, line, col, "syntax error: %s",
			     ps->problem ? ps->problem : "malformed YAML");
		break;
	}
}

/* Events -> tree. Returns the root node index, or -1 (errors recorded).
 * *fatal is set when the tree is unusable (syntax, limits, documents). */
static long tree_build(struct loader *L, int *fatal)
{
	yaml_parser_t ps;
	yaml_event_t ev;
	size_t stack[PLAN_MAX_DEPTH + 1];
	size_t depth = 0;
	long root = -1;
	int ndocs = 0, done = 0;
	size_t naliases = 0, alias_err = (size_t)-1;

	*fatal = 0;
	if (!yaml_parser_initialize(&ps)) {
		lerr(L, 1, 1, "out of memory while parsing");
		*fatal = 1;
		return -1;
	}
	yaml_parser_set_input_string(&ps, (const unsigned char *)L->buf, L->len);
	while (!done) {
		size_t ni = 0;
		int attach = 0;
		if (!yaml_parser_parse(&ps, &ev)) {
			yaml_problem(L, &ps);
			*fatal = 1;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++ndocs > 1) {
				lerr(L, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
				     "a plan file holds one YAML document, found a second one");
				*fatal = 1;
				done = 1;
			}
			break;
		case YAML_SCALAR_EVENT: {
			struct ynode *n;
			ni = node_new(L, Y_SCALAR, &ev.start_mark);
			n = NODE(L, ni);
			n->s = xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
			n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			if (strlen(n->s) != ev.data.scalar.length) {
				nerr(L, n, "a string holds a NUL character");
				n->type = Y_BAD;
			}
			attach = 1;
			break;
		}
		case YAML_ALIAS_EVENT: {
			/* Refused, never expanded: a plan has no use for them, and
			 * refusing makes alias bombs and cycles harmless. One error
			 * for the first; the count of the rest is added at the end. */
			struct ynode *n;
			ni = node_new(L, Y_BAD, &ev.start_mark);
			n = NODE(L, ni);
			if (!naliases++) {
				alias_err = L->errs.n;
				nerr(L, n, "aliases are not allowed in a plan ('*%s')",
				     (const char *)ev.data.alias.anchor);
			}
			attach = 1;
			break;
		}
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth >= PLAN_MAX_DEPTH) {
				lerr(L, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
				     "nesting deeper than %d levels", PLAN_MAX_DEPTH);
				*fatal = 1;
				done = 1;
				break;
			}
			ni = node_new(L, ev.type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP,
				      &ev.start_mark);
			attach = 2;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0) {
				depth--;
				if (ev.type == YAML_MAPPING_END_EVENT)
					map_finish(L, stack[depth]);
			}
			break;
		default:
			break;
		}
		if (attach) {
			if (L->nnodes > PLAN_MAX_NODES) {
				lerr(L, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
				     "more than %d values in one plan", PLAN_MAX_NODES);
				*fatal = 1;
				done = 1;
			} else if (depth > 0) {
				node_add_kid(L, stack[depth - 1], ni);
			} else if (root < 0) {
				root = (long)ni;
			}
			if (attach == 2 && !done)
				stack[depth++] = ni;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&ps);
	if (naliases > 1 && alias_err < L->errs.n) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		sb_addf(&sb, "%s; %zu more alias%s", L->errs.v[alias_err].msg, naliases - 1,
			naliases > 2 ? "es" : "");
		free(L->errs.v[alias_err].msg);
		L->errs.v[alias_err].msg = sb_detach(&sb);
	}
	return root;
}

/* ------------------------------------------------------------------ */
/* Typed access to the tree                                            */

static int is_null(const struct ynode *n)
{
	return n->type == Y_SCALAR && n->plain &&
	       (!n->s[0] || !strcmp(n->s, "~") || !strcmp(n->s, "null") ||
		!strcmp(n->s, "Null") || !strcmp(n->s, "NULL"));
}

static const char *type_name(const struct ynode *n)
{
	switch (n->type) {
	case Y_SEQ: return "a list";
	case Y_MAP: return "a mapping";
	case Y_SCALAR: return is_null(n) ? "nothing" : "a string";
	default: return "an alias";
	}
}

static const struct ynode *map_get(struct loader *L, const struct ynode *m, const char *key)
{
	size_t i;
	if (!m || m->type != Y_MAP)
		return NULL;
	for (i = 0; i + 1 < m->nkid; i += 2) {
		const struct ynode *k = NODE(L, m->kid[i]);
		if (k->type == Y_SCALAR && !k->dup && !strcmp(k->s, key))
			return NODE(L, m->kid[i + 1]);
	}
	return NULL;
}

static const char *suggest(const char *word, const char *const *cands, size_t n)
{
	size_t i;
	const char *best = NULL;
	int bestd = 0, lim;
	lim = (int)strlen(word) / 3;
	if (lim < 2)
		lim = 2;
	for (i = 0; i < n; i++) {
		int d;
		if (!cands[i])
			continue;
		d = str_distance(word, cands[i]);
		if (d <= lim && (size_t)d < strlen(word) && (!best || d < bestd)) {
			best = cands[i];
			bestd = d;
		}
	}
	return best;
}

/* Unknown keys, with a suggestion for near misses. `allowed` ends in NULL. */
static void check_keys(struct loader *L, const struct ynode *m, const char *what,
		       const char *const *allowed)
{
	size_t i, na = 0;
	while (allowed[na])
		na++;
	for (i = 0; i + 1 < m->nkid; i += 2) {
		const struct ynode *k = NODE(L, m->kid[i]);
		size_t j;
		int ok = 0;
		if (k->type != Y_SCALAR || k->dup)
			continue;
		for (j = 0; j < na && !ok; j++)
			ok = !strcmp(k->s, allowed[j]);
		if (!ok) {
			const char *s = suggest(k->s, allowed, na);
			if (s)
				nerr(L, k, "unknown key '%s' in %s (did you mean '%s'?)", k->s, what, s);
			else
				nerr(L, k, "unknown key '%s' in %s", k->s, what);
		}
	}
}

/* Results of the getters: GOT a value, NONE absent (no error), BAD error. */
enum { BAD = -1, NONE = 0, GOT = 1 };

static int missing(struct loader *L, const struct ynode *m, const char *key,
		   const char *what, int required)
{
	if (required)
		nerr(L, m, "missing key '%s' in %s", key, what);
	return required ? BAD : NONE;
}

static int node_scalar(struct loader *L, const struct ynode *v, const char *key, const char **out)
{
	if (v->type == Y_BAD)
		return BAD;
	if (v->type != Y_SCALAR) {
		nerr(L, v, "expected a string for '%s', found %s", key, type_name(v));
		return BAD;
	}
	if (is_null(v))
		return NONE;
	*out = v->s;
	return GOT;
}

/* A string value. */
static int get_str(struct loader *L, const struct ynode *m, const char *key, const char *what,
		   int required, char **out)
{
	const struct ynode *v = map_get(L, m, key);
	const char *s;
	int r;
	if (!v)
		return missing(L, m, key, what, required);
	r = node_scalar(L, v, key, &s);
	if (r == NONE && required) {
		nerr(L, v, "missing value for '%s' in %s", key, what);
		return BAD;
	}
	if (r == GOT)
		*out = xstrdup(s);
	return r;
}

static int valid_id(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!*p)
		return 0;
	for (; *p; p++)
		if (!isalnum(*p) && *p != '_' && *p != '-' && *p != '.')
			return 0;
	return 1;
}

static int get_id(struct loader *L, const struct ynode *m, const char *key, const char *what,
		  int required, char **out)
{
	int r = get_str(L, m, key, what, required, out);
	if (r == GOT && !valid_id(*out)) {
		nerr(L, map_get(L, m, key),
		     "invalid %s '%s': use ASCII letters, digits, '_', '-' or '.'", key, *out);
		free(*out);
		*out = NULL;
		return BAD;
	}
	return r;
}

static int parse_number(const char *s, double *out)
{
	char *end;
	const char *p;
	if (!*s)
		return -1;
	for (p = s; *p; p++)
		if (!strchr("0123456789+-.eE_", *p))
			return -1;
	if (strchr(s, '_'))
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (*end || errno == ERANGE || !isfinite(*out))
		return -1;
	return 0;
}

static int node_number(struct loader *L, const struct ynode *v, const char *key, double *out)
{
	const char *s;
	int r = node_scalar(L, v, key, &s);
	if (r == NONE) {
		nerr(L, v, "expected a number for '%s', found nothing", key);
		return BAD;
	}
	if (r != GOT)
		return r;
	if (parse_number(s, out)) {
		nerr(L, v, "expected a number for '%s', found '%s'", key, s);
		return BAD;
	}
	return GOT;
}

static int get_num(struct loader *L, const struct ynode *m, const char *key, const char *what,
		   int required, double *out)
{
	const struct ynode *v = map_get(L, m, key);
	if (!v || is_null(v))
		return missing(L, m, key, what, required);
	return node_number(L, v, key, out);
}

static int get_int(struct loader *L, const struct ynode *m, const char *key, const char *what,
		   int required, int64_t *out)
{
	double d;
	int r = get_num(L, m, key, what, required, &d);
	if (r != GOT)
		return r;
	if (d != floor(d) || fabs(d) > 1e15) {
		nerr(L, map_get(L, m, key), "expected a whole number for '%s', found '%s'", key,
		     map_get(L, m, key)->s);
		return BAD;
	}
	*out = (int64_t)d;
	return GOT;
}

static int node_dur(struct loader *L, const struct ynode *v, const char *key, int64_t *out)
{
	const char *s;
	int r = node_scalar(L, v, key, &s);
	if (r == NONE) {
		nerr(L, v, "expected a duration for '%s', found nothing", key);
		return BAD;
	}
	if (r != GOT)
		return r;
	if (!strcmp(s, "0")) {
		*out = 0;
		return GOT;
	}
	if (s[0] == '-') {
		int64_t d;
		if (!dur_parse(s + 1, &d))
			nerr(L, v, "negative duration '%s' for '%s'", s, key);
		else
			nerr(L, v, "expected a duration like 30s, 5m, 2h or 3d for '%s', found '%s'", key, s);
		return BAD;
	}
	if (dur_parse(s, out)) {
		nerr(L, v, "expected a duration like 30s, 5m, 2h or 3d for '%s', found '%s'", key, s);
		return BAD;
	}
	return GOT;
}

static int get_dur(struct loader *L, const struct ynode *m, const char *key, const char *what,
		   int required, int64_t *out)
{
	const struct ynode *v = map_get(L, m, key);
	if (!v || is_null(v))
		return missing(L, m, key, what, required);
	return node_dur(L, v, key, out);
}

/* A flag: `true` or `false`. */
static int get_bool(struct loader *L, const struct ynode *m, const char *key, const char *what,
		    int required, int *out)
{
	const struct ynode *v = map_get(L, m, key);
	const char *s;
	int r;
	if (!v)
		return missing(L, m, key, what, required);
	r = node_scalar(L, v, key, &s);
	if (r == NONE) {
		nerr(L, v, "expected true or false for '%s', found nothing", key);
		return BAD;
	}
	if (r != GOT)
		return r;
	if (!strcmp(s, "true"))
		*out = 1;
	else if (!strcmp(s, "false"))
		*out = 0;
	else {
		nerr(L, v, "expected true or false for '%s', found '%s'", key, s);
		return BAD;
	}
	return GOT;
}

/* The items of a value that may be one string or a list of strings.
 * Returns the count (0 when absent or null) or -1 after an error;
 * *items points into the tree (do not free) or at *one. */
static long str_items(struct loader *L, const struct ynode *v, const char *key,
		      const struct ynode ***items, const struct ynode **one)
{
	const struct ynode **arr;
	size_t i;
	if (!v || is_null(v))
		return 0;
	if (v->type == Y_BAD)
		return -1;
	if (v->type == Y_SCALAR) {
		*one = v;
		*items = one;
		return 1;
	}
	if (v->type != Y_SEQ) {
		nerr(L, v, "expected a string or a list of strings for '%s', found %s", key,
		     type_name(v));
		return -1;
	}
	arr = xcalloc(v->nkid ? v->nkid : 1, sizeof *arr);
	for (i = 0; i < v->nkid; i++) {
		const struct ynode *k = NODE(L, v->kid[i]);
		if (k->type == Y_BAD) {
			free(arr);
			return -1;
		}
		if (k->type != Y_SCALAR || is_null(k)) {
			nerr(L, k, "expected a string in '%s', found %s", key, type_name(k));
			free(arr);
			return -1;
		}
		arr[i] = k;
	}
	*items = arr;
	return (long)v->nkid;
}

static void str_items_free(const struct ynode **items, const struct ynode **one)
{
	if (items != one)
		free((void *)items);
}

/* A list of strings copied out. */
static int get_strlist(struct loader *L, const struct ynode *m, const char *key,
		       char ***out, size_t *n)
{
	const struct ynode **items = NULL, *one = NULL;
	long c = str_items(L, map_get(L, m, key), key, &items, &one);
	long i;
	if (c <= 0)
		return c < 0 ? BAD : NONE;
	*out = xcalloc((size_t)c, sizeof **out);
	for (i = 0; i < c; i++)
		(*out)[i] = xstrdup(items[i]->s);
	*n = (size_t)c;
	str_items_free(items, &one);
	return GOT;
}

/* A section that is a list of mappings. Returns the count or -1. */
static long section(struct loader *L, const struct ynode *root, const char *key,
		    const char *what, size_t max, const struct ynode ***out)
{
	const struct ynode *v = map_get(L, root, key);
	const struct ynode **arr;
	size_t i, n = 0;
	*out = NULL;
	if (!v || is_null(v))
		return 0;
	if (v->type == Y_BAD)
		return -1;
	if (v->type != Y_SEQ) {
		nerr(L, v, "expected a list of %ss for '%s', found %s", what, key, type_name(v));
		return -1;
	}
	if (v->nkid > max) {
		nerr(L, NODE(L, v->kid[max]), "too many entries in '%s' (at most %zu)", key, max);
		return -1;
	}
	arr = xcalloc(v->nkid ? v->nkid : 1, sizeof *arr);
	for (i = 0; i < v->nkid; i++) {
		const struct ynode *k = NODE(L, v->kid[i]);
		if (k->type == Y_BAD)
			continue;
		if (k->type != Y_MAP) {
			nerr(L, k, "expected a mapping for each entry of '%s', found %s", key,
			     type_name(k));
			continue;
		}
		arr[n++] = k;
	}
	*out = arr;
	return (long)n;
}

/* Register ids of one kind (borrowed pointers), reporting duplicates. */
static void ids_set(struct loader *L, enum idkind k, const char **ids, size_t n,
		    const struct ynode *const *where)
{
	size_t i, j;
	L->ids[k] = ids;
	L->nids[k] = n;
	for (i = 0; i < n; i++) {
		if (!ids[i])
			continue;
		for (j = 0; j < i; j++) {
			if (ids[j] && !strcmp(ids[i], ids[j])) {
				const struct ynode *v = map_get(L, where[i], "id");
				nerr(L, v ? v : where[i], "duplicate %s id '%s' (first at line %d)",
				     kind_names[k], ids[i], map_get(L, where[j], "id")->line);
				break;
			}
		}
	}
}

/* Resolve a reference; -1 with an error when undefined. */
static int resolve(struct loader *L, const struct ynode *at, enum idkind k, const char *name)
{
	size_t i;
	const char *s;
	for (i = 0; i < L->nids[k]; i++)
		if (L->ids[k][i] && !strcmp(L->ids[k][i], name))
			return (int)i;
	s = suggest(name, L->ids[k], L->nids[k]);
	if (s)
		nerr(L, at, "undefined %s '%s' (did you mean '%s'?)", kind_names[k], name, s);
	else
		nerr(L, at, "undefined %s '%s'", kind_names[k], name);
	return -1;
}

static int get_ref(struct loader *L, const struct ynode *m, const char *key, const char *what,
		   enum idkind k, int required, int *out)
{
	const struct ynode *v = map_get(L, m, key);
	const char *s;
	int r;
	if (!v)
		return missing(L, m, key, what, required);
	r = node_scalar(L, v, key, &s);
	if (r == NONE)
		return missing(L, m, key, what, required);
	if (r != GOT)
		return r;
	*out = resolve(L, v, k, s);
	return *out < 0 ? BAD : GOT;
}

/* ------------------------------------------------------------------ */
/* Sections                                                            */

static void metric_range(const struct plan_metric *m, double *lo, double *hi)
{
	*lo = m->has_min ? m->min : -HUGE_VAL;
	*hi = m->has_max ? m->max : HUGE_VAL;
}

static void check_value(struct loader *L, const struct ynode *at, int metric, double v,
			const char *what)
{
	const struct plan_metric *m;
	double lo, hi;
	if (metric < 0)
		return;
	m = &L->p->metrics[metric];
	metric_range(m, &lo, &hi);
	if (v < lo || v > hi) {
		if (m->has_min && m->has_max)
			nerr(L, at, "%s %g is out of range for metric '%s' (%g to %g%s)", what, v,
			     m->id, m->min, m->max, m->unit && !strcmp(m->unit, "%") ? "%" : "");
		else if (m->has_max)
			nerr(L, at, "%s %g is above the maximum %g of metric '%s'", what, v, m->max, m->id);
		else
			nerr(L, at, "%s %g is below the minimum %g of metric '%s'", what, v, m->min, m->id);
	}
}

/* "METRIC OP NUMBER" */
static int parse_cond(struct loader *L, const struct ynode *at, const char *key,
		      struct plan_cond *c)
{
	const char *s = at->s, *p = s, *idb;
	char name[128], num[64];
	size_t idn, nn;
	int op = -1;
	while (*p == ' ' || *p == '\t')
		p++;
	idb = p;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.')
		p++;
	idn = (size_t)(p - idb);
	while (*p == ' ' || *p == '\t')
		p++;
	if (!strncmp(p, ">=", 2)) op = CMP_GE, p += 2;
	else if (!strncmp(p, "<=", 2)) op = CMP_LE, p += 2;
	else if (!strncmp(p, "==", 2)) op = CMP_EQ, p += 2;
	else if (!strncmp(p, "!=", 2)) op = CMP_NE, p += 2;
	else if (*p == '>') op = CMP_GT, p++;
	else if (*p == '<') op = CMP_LT, p++;
	while (*p == ' ' || *p == '\t')
		p++;
	nn = strcspn(p, " \t");
	if (!idn || idn >= sizeof name || op < 0 || !nn || nn >= sizeof num ||
	    p[nn + strspn(p + nn, " \t")]) {
		nerr(L, at, "expected 'METRIC OP NUMBER' (e.g. 'queue_min > 8') for '%s', found '%s'",
		     key, s);
		return BAD;
	}
	memcpy(name, idb, idn);
	name[idn] = 0;
	memcpy(num, p, nn);
	num[nn] = 0;
	if (parse_number(num, &c->value)) {
		nerr(L, at, "expected a number after '%s' in '%s', found '%s'", cmp_names[op], s, num);
		return BAD;
	}
	c->op = (enum plan_cmp)op;
	c->metric = resolve(L, at, K_METRIC, name);
	if (c->metric < 0)
		return BAD;
	check_value(L, at, c->metric, c->value, "threshold");
	return GOT;
}

static const char *const top_keys[] = {
	"sitrep_plan", "id", "title", "original_title", "source", "description",
	"metrics", "levels", "warnings", "triggers", "matrix", "criteria", "lift",
	"termination", "obligations", "roles", "roster", "groups", "resources",
	"channels", "routines", NULL
};

static void load_top(struct loader *L, const struct ynode *root)
{
	struct plan *p = L->p;
	int64_t ver;
	const char *what = "the plan";
	check_keys(L, root, what, top_keys);
	if (get_int(L, root, "sitrep_plan", what, 1, &ver) == GOT) {
		if (ver != PLAN_FORMAT_VERSION)
			nerr(L, map_get(L, root, "sitrep_plan"),
			     "unsupported plan format %lld (this sitrep reads format %d)",
			     (long long)ver, PLAN_FORMAT_VERSION);
		p->version = (int)ver;
	}
	get_id(L, root, "id", what, 1, &p->id);
	get_str(L, root, "title", what, 1, &p->title);
	get_str(L, root, "original_title", what, 0, &p->original_title);
	get_str(L, root, "source", what, 0, &p->source);
	get_str(L, root, "description", what, 0, &p->description);
}

static void load_roles(struct loader *L, const struct ynode *root)
{
	static const char *const keys[] = { "id", "name", "actions", "description", NULL };
	struct plan *p = L->p;
	const struct ynode **it;
	const char **ids;
	long n = section(L, root, "roles", "role", PLAN_MAX_ROLES, &it), i;
	const struct ynode *rv = map_get(L, root, "roles");
	if (n == 0 && !(rv && rv->type == Y_BAD))
		nerr(L, rv ? rv : root, "a plan needs at least one role in 'roles'");
	if (n <= 0) {
		free(it);
		return;
	}
	p->roles = xcalloc((size_t)n, sizeof *p->roles);
	p->nroles = (size_t)n;
	ids = xcalloc((size_t)n, sizeof *ids);
	for (i = 0; i < n; i++) {
		struct plan_role *r = &p->roles[i];
		const struct ynode **acts = NULL, *one = NULL;
		long na, j;
		check_keys(L, it[i], "role", keys);
		get_id(L, it[i], "id", "role", 1, &r->id);
		get_str(L, it[i], "name", "role", 0, &r->name);
		get_str(L, it[i], "description", "role", 0, &r->description);
		ids[i] = r->id;
		if (!map_get(L, it[i], "actions")) {
			nerr(L, it[i], "missing key 'actions' in role");
			continue;
		}
		na = str_items(L, map_get(L, it[i], "actions"), "actions", &acts, &one);
		for (j = 0; j < na; j++) {
			int a;
			if (!strcmp(acts[j]->s, "all")) {
				r->actions = (1u << ACT__COUNT) - 1;
				continue;
			}
			a = plan_action_lookup(acts[j]->s);
			if (a < 0) {
				const char *s = suggest(acts[j]->s, plan_action_names, ACT__COUNT);
				if (s)
					nerr(L, acts[j], "unknown action '%s' (did you mean '%s'?)",
					     acts[j]->s, s);
				else
					nerr(L, acts[j], "unknown action '%s'", acts[j]->s);
				continue;
			}
			r->actions |= 1u << a;
		}
		if (na > 0)
			str_items_free(acts, &one);
	}
	ids_set(L, K_ROLE, ids, (size_t)n, it);
	free(it);
}

static void load_metrics(struct loader *L, const struct ynode *root)
{
	static const char *const keys[] = { "id", "name", "unit", "normal", "normal_text",
					    "min", "max", NULL };
	struct plan *p = L->p;
	const struct ynode **it;
	const char **ids;
	long n = section(L, root, "metrics", "metric", MAX_LIST, &it), i;
	if (n <= 0) {
		free(it);
		return;
	}
	p->metrics = xcalloc((size_t)n, sizeof *p->metrics);
	p->nmetrics = (size_t)n;
	ids = xcalloc((size_t)n, sizeof *ids);
	for (i = 0; i < n; i++) {
		struct plan_metric *m = &p->metrics[i];
		check_keys(L, it[i], "metric", keys);
		get_id(L, it[i], "id", "metric", 1, &m->id);
		get_str(L, it[i], "name", "metric", 0, &m->name);
		get_str(L, it[i], "unit", "metric", 0, &m->unit);
		get_str(L, it[i], "normal_text", "metric", 0, &m->normal_text);
		m->has_min = get_num(L, it[i], "min", "metric", 0, &m->min) == GOT;
		m->has_max = get_num(L, it[i], "max", "metric", 0, &m->max) == GOT;
		/* a plain percentage cannot leave 0..100 unless the plan says so */
		if (m->unit && !strcmp(m->unit, "%")) {
			if (!m->has_min && !map_get(L, it[i], "min"))
				m->has_min = 1, m->min = 0;
			if (!m->has_max && !map_get(L, it[i], "max"))
				m->has_max = 1, m->max = 100;
		}
		if (m->has_min && m->has_max && m->min > m->max)
			nerr(L, map_get(L, it[i], "min"), "min %g is above max %g", m->min, m->max);
		ids[i] = m->id;
		if (get_num(L, it[i], "normal", "metric", 0, &m->normal) == GOT) {
			m->has_normal = 1;
			if (m->id)
				check_value(L, map_get(L, it[i], "normal"), (int)i, m->normal, "normal");
		}
	}
	ids_set(L, K_METRIC, ids, (size_t)n, it);
	free(it);
}

static void load_levels(struct loader *L, const struct ynode *root)
{
	static const char *const keys[] = { "id", "name", "colour", "conditions",
					    "activated_by", "description", NULL };
	struct plan *p = L->p;
	const struct ynode **it;
	const char **ids;
	const struct ynode *lv = map_get(L, root, "levels");
	long n = section(L, root, "levels", "level", PLAN_MAX_LEVELS, &it), i;
	if (n == 0 && !(lv && lv->type == Y_BAD))
		nerr(L, lv ? lv : root, "a plan needs at least one level in 'levels'");
	if (n <= 0) {
		free(it);
		return;
	}
	p->levels = xcalloc((size_t)n, sizeof *p->levels);
	p->nlevels = (size_t)n;
	ids = xcalloc((size_t)n, sizeof *ids);
	for (i = 0; i < n; i++) {
		struct plan_level *l = &p->levels[i];
		const struct ynode **rs = NULL, *one = NULL;
		long nr, j;
		check_keys(L, it[i], "level", keys);
		get_id(L, it[i], "id", "level", 1, &l->id);
		get_str(L, it[i], "name", "level", 0, &l->name);
		get_str(L, it[i], "colour", "level", 0, &l->colour);
		get_str(L, it[i], "description", "level", 0, &l->description);
		get_strlist(L, it[i], "conditions", &l->conditions, &l->nconditions);
		ids[i] = l->id;
		nr = str_items(L, map_get(L, it[i], "activated_by"), "activated_by", &rs, &one);
		if (nr > 0) {
			l->activated_by = xcalloc((size_t)nr, sizeof *l->activated_by);
			for (j = 0; j < nr; j++) {
				int r = resolve(L, rs[j], K_ROLE, rs[j]->s);
				if (r >= 0)
					l->activated_by[l->nactivated_by++] = r;
			}
			str_items_free(rs, &one);
		}
	}
	ids_set(L, K_LEVEL, ids, (size_t)n, it);
	free(it);
}

static void load_warnings(struct loader *L, const struct ynode *root)
{
	static const char *const keys[] = { "id", "name", "notify", "max_duration", NULL };
	struct plan *p = L->p;
	const struct ynode **it;
	const char **ids;
	long n = section(L, root, "warnings", "warning", PLAN_MAX_WARNINGS, &it), i;
	if (n <= 0) {
		free(it);
		return;
	}
	p->warnings = xcalloc((size_t)n, sizeof *p->warnings);
	p->nwarnings = (size_t)n;
	ids = xcalloc((size_t)n, sizeof *ids);
	for (i = 0; i < n; i++) {
		struct plan_warning *w = &p->warnings[i];
		check_keys(L, it[i], "warning", keys);
		get_id(L, it[i], "id", "warning", 1, &w->id);
		get_str(L, it[i], "name", "warning", 0, &w->name);
		get_strlist(L, it[i], "notify", &w->notify, &w->nnotify);
		get_dur(L, it[i], "max_duration", "warning", 0, &w->max_duration);
		ids[i] = w->id;
	}
	ids_set(L, K_WARNING, ids, (size_t)n, it);
	free(it);
}

static void load_criteria(struct loader *L, const struct ynode *root)
{
	static const char *const keys[] = { "id", "title", "when", "for", "attest", "cite", NULL };
	struct plan *p = L->p;
	const struct ynode **it;
	const char **ids;
	long n = section(L, root, "criteria", "criterion", MAX_LIST, &it), i;
	if (n <= 0) {
		free(it);
		return;
	}
	p->criteria = xcalloc((size_t)n, sizeof *p->criteria);
	p->ncriteria = (size_t)n;
	ids = xcalloc((size_t)n, sizeof *ids);
	for (i = 0; i < n; i++) {
		struct plan_criterion *c = &p->criteria[i];
		const struct ynode *when = map_get(L, it[i], "when");
		const struct ynode *att = map_get(L, it[i], "attest");
		check_keys(L, it[i], "criterion", keys);
		get_id(L, it[i], "id", "criterion", 1, &c->id);
		get_str(L, it[i], "title", "criterion", 0, &c->title);
		get_str(L, it[i], "cite", "criterion", 0, &c->cite);
		ids[i] = c->id;
		c->role = -1;
		if (when && att) {
			nerr(L, att, "a criterion has either 'when' or 'attest', not both");
			continue;
		}
		if (!when && !att) {
			nerr(L, it[i], "a criterion needs 'when' (metric conditions) or 'attest' (a role)");
			continue;
		}
		if (when) {
			const struct ynode **cs = NULL, *one = NULL;
			long nc = str_items(L, when, "when", &cs, &one), j;
			c->kind = CRIT_METRIC;
			get_dur(L, it[i], "for", "criterion", 0, &c->for_secs);
			if (nc == 0)
				nerr(L, when, "expected at least one condition in 'when'");
			if (nc > PLAN_MAX_CONDS)
				nerr(L, cs[PLAN_MAX_CONDS], "too many conditions in 'when' (at most %d)",
				     PLAN_MAX_CONDS);
			if (nc > 0) {
				c->conds = xcalloc((size_t)nc, sizeof *c->conds);
				for (j = 0; j < nc && j < PLAN_MAX_CONDS; j++)
					if (parse_cond(L, cs[j], "when", &c->conds[c->nconds]) == GOT)
						c->nconds++;
				str_items_free(cs, &one);
			}
		} else {
			const char *s;
			c->kind = CRIT_ATTEST;
			if (map_get(L, it[i], "for"))
				nerr(L, map_get(L, it[i], "for"), "'for' only applies to 'when' criteria");
			if (node_scalar(L, att, "attest", &s) == GOT) {
				if (strcmp(s, "any") != 0)
					c->role = resolve(L, att, K_ROLE, s);
			} else if (att->type == Y_SCALAR) {
				nerr(L, att, "missing value for 'attest' (a role id or 'any')");
			}
		}
	}
	ids_set(L, K_CRITERION, ids, (size_t)n, it);
	free(it);
}

static void load_triggers(struct loader *L, const struct ynode *root)
{
	static const char *const keys[] = { "id", "title", "when", "for", "clear", "raise",
					    "propose", "cite", NULL };
	struct plan *p = L->p;
	const struct ynode **it;
	const char **ids;
	long n = section(L, root, "triggers", "trigger", MAX_LIST, &it), i;
	if (n <= 0) {
		free(it);
		return;
	}
	p->triggers = xcalloc((size_t)n, sizeof *p->triggers);
	p->ntriggers = (size_t)n;
	ids = xcalloc((size_t)n, sizeof *ids);
	for (i = 0; i < n; i++) {
		struct plan_trigger *t = &p->triggers[i];
		const struct ynode *when = map_get(L, it[i], "when");
		const char *s;
		int okc = 0, r1, r2;
		check_keys(L, it[i], "trigger", keys);
		get_id(L, it[i], "id", "trigger", 1, &t->id);
		get_str(L, it[i], "title", "trigger", 0, &t->title);
		get_str(L, it[i], "cite", "trigger", 0, &t->cite);
		ids[i] = t->id;
		t->raise_warning = t->propose_level = -1;
		t->cond.metric = -1;
		if (!when)
			nerr(L, it[i], "missing key 'when' in trigger");
		else if (node_scalar(L, when, "when", &s) == GOT)
			okc = parse_cond(L, when, "when", &t->cond) == GOT;
		else if (when->type == Y_SCALAR)
			nerr(L, when, "missing value for 'when' in trigger");
		get_dur(L, it[i], "for", "trigger", 0, &t->for_secs);
		if (get_num(L, it[i], "clear", "trigger", 0, &t->clear_value) == GOT) {
			const struct ynode *cv = map_get(L, it[i], "clear");
			t->has_clear = 1;
			if (okc) {
				double th = t->cond.value;
				switch (t->cond.op) {
				case CMP_GT: case CMP_GE:
					if (t->clear_value > th)
						nerr(L, cv, "clear value %g must not be above the threshold %g",
						     t->clear_value, th);
					break;
				case CMP_LT: case CMP_LE:
					if (t->clear_value < th)
						nerr(L, cv, "clear value %g must not be below the threshold %g",
						     t->clear_value, th);
					break;
				default:
					nerr(L, cv, "'clear' needs a '>', '>=', '<' or '<=' condition");
				}
				check_value(L, cv, t->cond.metric, t->clear_value, "clear value");
			}
		}
		r1 = get_ref(L, it[i], "raise", "trigger", K_WARNING, 0, &t->raise_warning);
		r2 = get_ref(L, it[i], "propose", "trigger", K_LEVEL, 0, &t->propose_level);
		if (r1 == NONE && r2 == NONE)
			nerr(L, it[i], "a trigger needs 'raise' (a warning) or 'propose' (a level)");
		if (r1 != GOT)
			t->raise_warning = -1;
		if (r2 != GOT)
			t->propose_level = -1;
	}
	ids_set(L, K_TRIGGER, ids, (size_t)n, it);
	free(it);
}

/* aliases: {regional: single_region, nationwide: national}: the words people
 * type for a value (the issue's own example says `--scope regional`). */
static void load_dim_aliases(struct loader *L, const struct ynode *dn, struct plan_dimension *d)
{
	const struct ynode *m = map_get(L, dn, "aliases");
	size_t i;
	if (!m || is_null(m) || m->type == Y_BAD)
		return;
	if (m->type != Y_MAP) {
		nerr(L, m, "expected a mapping of alias: value for 'aliases', found %s", type_name(m));
		return;
	}
	d->alias_names = xcalloc(m->nkid / 2 + 1, sizeof *d->alias_names);
	d->alias_values = xcalloc(m->nkid / 2 + 1, sizeof *d->alias_values);
	for (i = 0; i + 1 < m->nkid; i += 2) {
		const struct ynode *k = NODE(L, m->kid[i]), *v = NODE(L, m->kid[i + 1]);
		size_t j;
		int found = -1;
		if (k->type != Y_SCALAR || k->dup)
			continue;
		if (!valid_id(k->s)) {
			nerr(L, k, "invalid alias '%s': use ASCII letters, digits, '_', '-' or '.'", k->s);
			continue;
		}
		if (v->type != Y_SCALAR) {
			nerr(L, v, "expected a value of dimension '%s' for alias '%s', found %s",
			     d->id ? d->id : "?", k->s, type_name(v));
			continue;
		}
		for (j = 0; j < d->nvalues; j++) {
			if (!strcmp(d->values[j], k->s)) {
				nerr(L, k, "alias '%s' is already a value of dimension '%s'", k->s,
				     d->id ? d->id : "?");
				break;
			}
			if (!strcmp(d->values[j], v->s))
				found = (int)j;
		}
		if (j < d->nvalues)
			continue;
		if (found < 0) {
			nerr(L, v, "undefined value '%s' of dimension '%s'", v->s, d->id ? d->id : "?");
			continue;
		}
		d->alias_names[d->naliases] = xstrdup(k->s);
		d->alias_values[d->naliases++] = found;
	}
}

static void load_matrix(struct loader *L, const struct ynode *root)
{
	static const char *const keys[] = { "dimensions", "rules", "default", NULL };
	static const char *const dkeys[] = { "id", "name", "values", "aliases", NULL };
	static const char *const rkeys[] = { "when", "level", "why", NULL };
	struct plan_matrix *mx = &L->p->matrix;
	const struct ynode *m = map_get(L, root, "matrix");
	const struct ynode **it;
	const char **ids;
	long n, i;
	mx->default_level = -1;
	if (!m || is_null(m) || m->type == Y_BAD)
		return;
	if (m->type != Y_MAP) {
		nerr(L, m, "expected a mapping for 'matrix', found %s", type_name(m));
		return;
	}
	check_keys(L, m, "matrix", keys);
	n = section(L, m, "dimensions", "dimension", MAX_DIMS, &it);
	if (n == 0 && map_get(L, m, "dimensions") && map_get(L, m, "dimensions")->type != Y_BAD)
		nerr(L, map_get(L, m, "dimensions"), "a matrix needs at least one dimension");
	else if (n == 0 && !map_get(L, m, "dimensions"))
		nerr(L, m, "missing key 'dimensions' in matrix");
	if (n <= 0) {
		free(it);
		return;
	}
	mx->ndims = (size_t)n;
	ids = xcalloc((size_t)n, sizeof *ids);
	for (i = 0; i < n; i++) {
		struct plan_dimension *d = &mx->dims[i];
		const struct ynode **vs = NULL, *one = NULL;
		long nv, j;
		check_keys(L, it[i], "dimension", dkeys);
		get_id(L, it[i], "id", "dimension", 1, &d->id);
		get_str(L, it[i], "name", "dimension", 0, &d->name);
		ids[i] = d->id;
		if (!map_get(L, it[i], "values")) {
			nerr(L, it[i], "missing key 'values' in dimension");
			continue;
		}
		nv = str_items(L, map_get(L, it[i], "values"), "values", &vs, &one);
		if (nv > PLAN_MAX_DIM_VALUES) {
			nerr(L, vs[PLAN_MAX_DIM_VALUES], "too many values in a dimension (at most %d)",
			     PLAN_MAX_DIM_VALUES);
			nv = PLAN_MAX_DIM_VALUES;
		} else if (nv == 0) {
			nerr(L, map_get(L, it[i], "values"), "a dimension needs at least one value");
		}
		if (nv > 0) {
			d->values = xcalloc((size_t)nv, sizeof *d->values);
			for (j = 0; j < nv; j++) {
				long k;
				if (!valid_id(vs[j]->s)) {
					nerr(L, vs[j], "invalid value '%s': use ASCII letters, digits, '_', '-' or '.'",
					     vs[j]->s);
					continue;
				}
				for (k = 0; k < (long)d->nvalues; k++)
					if (!strcmp(d->values[k], vs[j]->s))
						break;
				if (k < (long)d->nvalues) {
					nerr(L, vs[j], "duplicate value '%s' in dimension", vs[j]->s);
					continue;
				}
				d->values[d->nvalues++] = xstrdup(vs[j]->s);
			}
			str_items_free(vs, &one);
		}
		load_dim_aliases(L, it[i], d);
	}
	ids_set(L, K_DIM, ids, (size_t)n, it);
	free(it);

	n = section(L, m, "rules", "rule", MAX_LIST, &it);
	if (n == 0 && !map_get(L, m, "rules"))
		nerr(L, m, "missing key 'rules' in matrix");
	if (n > 0) {
		mx->rules = xcalloc((size_t)n, sizeof *mx->rules);
		mx->nrules = (size_t)n;
	}
	for (i = 0; i < n; i++) {
		struct plan_matrix_rule *r = &mx->rules[i];
		const struct ynode *w = map_get(L, it[i], "when");
		size_t j;
		check_keys(L, it[i], "matrix rule", rkeys);
		get_str(L, it[i], "why", "matrix rule", 0, &r->why);
		r->level = -1;
		if (get_ref(L, it[i], "level", "matrix rule", K_LEVEL, 1, &r->level) != GOT)
			r->level = -1;
		if (!w || is_null(w))
			continue; /* matches everything */
		if (w->type == Y_BAD)
			continue;
		if (w->type != Y_MAP) {
			nerr(L, w, "expected a mapping of dimension: value(s) for 'when', found %s",
			     type_name(w));
			continue;
		}
		for (j = 0; j + 1 < w->nkid; j += 2) {
			const struct ynode *k = NODE(L, w->kid[j]);
			const struct ynode **vs = NULL, *one = NULL;
			long nv, v;
			int d;
			if (k->type != Y_SCALAR || k->dup)
				continue;
			d = resolve(L, k, K_DIM, k->s);
			if (d < 0)
				continue;
			nv = str_items(L, NODE(L, w->kid[j + 1]), k->s, &vs, &one);
			for (v = 0; v < nv; v++) {
				const struct plan_dimension *dim = &mx->dims[d];
				size_t x;
				for (x = 0; x < dim->nvalues; x++)
					if (!strcmp(dim->values[x], vs[v]->s))
						break;
				if (x == dim->nvalues) {
					const char *s = suggest(vs[v]->s, (const char *const *)dim->values,
								dim->nvalues);
					if (s)
						nerr(L, vs[v], "undefined value '%s' of dimension '%s' (did you mean '%s'?)",
						     vs[v]->s, dim->id, s);
					else
						nerr(L, vs[v], "undefined value '%s' of dimension '%s'",
						     vs[v]->s, dim->id);
					continue;
				}
				r->allowed[d] |= 1u << x;
			}
			if (nv > 0)
				str_items_free(vs, &one);
		}
	}
	free(it);
	{
		const struct ynode *dv = map_get(L, m, "default");
		const char *s;
		if (dv && node_scalar(L, dv, "default", &s) == GOT && strcmp(s, "none") != 0)
			mx->default_level = resolve(L, dv, K_LEVEL, s);
	}
}

static void load_crit_list(struct loader *L, const struct ynode *root, const char *key,
			   int **out, size_t *n)
{
	const struct ynode **items = NULL, *one = NULL;
	long c = str_items(L, map_get(L, root, key), key, &items, &one), i;
	if (c <= 0)
		return;
	*out = xcalloc((size_t)c, sizeof **out);
	for (i = 0; i < c; i++) {
		int k = resolve(L, items[i], K_CRITERION, items[i]->s);
		size_t j;
		if (k < 0)
			continue;
		for (j = 0; j < *n; j++)
			if ((*out)[j] == k)
				break;
		if (j < *n) {
			nerr(L, items[i], "criterion '%s' is listed twice in '%s'", items[i]->s, key);
			continue;
		}
		(*out)[(*n)++] = k;
	}
	str_items_free(items, &one);
}

static const char anchor_help[] =
	"open, warning, warning:ID, response, level, level:ID, proposal, done:ID, lift or terminate";
static const char state_help[] = "open, warning, warning:ID, response or level:ID";

static int parse_anchor(struct loader *L, const struct ynode *at, int state_only,
			struct plan_anchor *a)
{
	const char *s = at->s, *colon = strchr(s, ':');
	size_t hl = colon ? (size_t)(colon - s) : strlen(s);
	const char *arg = colon ? colon + 1 : NULL;
	a->ref = -1;
#define HEAD(w) (hl == strlen(w) && !strncmp(s, w, hl))
	if (HEAD("open") && !arg) a->kind = ANCHOR_OPEN;
	else if (HEAD("warning") && !arg) a->kind = ANCHOR_WARNING;
	else if (HEAD("warning") && *arg) a->kind = ANCHOR_WARNING_ID;
	else if (HEAD("response") && !arg) a->kind = ANCHOR_RESPONSE;
	else if (HEAD("level") && (!arg || *arg)) a->kind = ANCHOR_LEVEL;
	else if (HEAD("proposal") && !arg) a->kind = ANCHOR_PROPOSAL;
	else if (HEAD("done") && arg && *arg) a->kind = ANCHOR_DONE;
	else if (HEAD("lift") && !arg) a->kind = ANCHOR_LIFT;
	else if (HEAD("terminate") && !arg) a->kind = ANCHOR_TERMINATE;
	else {
		if (state_only)
			nerr(L, at, "unknown state '%s' (expected %s)", s, state_help);
		else
			nerr(L, at, "unknown event '%s' (expected %s)", s, anchor_help);
		return BAD;
	}
#undef HEAD
	if (state_only && (a->kind == ANCHOR_PROPOSAL || a->kind == ANCHOR_DONE ||
			   a->kind == ANCHOR_LIFT || a->kind == ANCHOR_TERMINATE)) {
		nerr(L, at, "'%s' is an event, not a state (expected %s)", s, state_help);
		return BAD;
	}
	if (a->kind == ANCHOR_LEVEL && !arg) {
		/* any change of level: an event only */
		if (state_only) {
			nerr(L, at, "'level' is an event (any change of level), not a state: use "
			     "'response' for any level or 'level:ID' for one");
			return BAD;
		}
		return GOT;
	}
	if (a->kind == ANCHOR_WARNING_ID)
		a->ref = resolve(L, at, K_WARNING, arg);
	else if (a->kind == ANCHOR_LEVEL)
		a->ref = resolve(L, at, K_LEVEL, arg);
	else if (a->kind == ANCHOR_DONE)
		a->ref = resolve(L, at, K_OBLIGATION, arg);
	else
		return GOT;
	return a->ref < 0 ? BAD : GOT;
}

static int get_anchors(struct loader *L, const struct ynode *m, const char *key, int state_only,
		       struct plan_anchor **out, size_t *n)
{
	const struct ynode **items = NULL, *one = NULL;
	long c = str_items(L, map_get(L, m, key), key, &items, &one), i;
	if (c <= 0)
		return c < 0 ? BAD : NONE;
	*out = xcalloc((size_t)c, sizeof **out);
	for (i = 0; i < c; i++)
		if (parse_anchor(L, items[i], state_only, &(*out)[*n]) == GOT)
			(*n)++;
	str_items_free(items, &one);
	return GOT;
}

static void load_obligations(struct loader *L, const struct ynode *root)
{
	static const char *const keys[] = { "id", "title", "owner", "within", "of", "every",
					    "while", "met_by", "repeat", "cite", NULL };
	struct plan *p = L->p;
	const struct ynode **it;
	const char **ids;
	long n = section(L, root, "obligations", "obligation", MAX_LIST, &it), i;
	if (n <= 0) {
		free(it);
		return;
	}
	p->obligations = xcalloc((size_t)n, sizeof *p->obligations);
	p->nobligations = (size_t)n;
	ids = xcalloc((size_t)n, sizeof *ids);
	/* ids first: `done:ID` may name a later obligation */
	for (i = 0; i < n; i++) {
		get_id(L, it[i], "id", "obligation", 1, &p->obligations[i].id);
		ids[i] = p->obligations[i].id;
	}
	ids_set(L, K_OBLIGATION, ids, (size_t)n, it);
	for (i = 0; i < n; i++) {
		struct plan_obligation *o = &p->obligations[i];
		const struct ynode *wi = map_get(L, it[i], "within"), *ev = map_get(L, it[i], "every");
		check_keys(L, it[i], "obligation", keys);
		get_str(L, it[i], "title", "obligation", 1, &o->title);
		get_str(L, it[i], "cite", "obligation", 0, &o->cite);
		o->owner = -1;
		o->anchor.ref = -1;
		if (get_ref(L, it[i], "owner", "obligation", K_ROLE, 0, &o->owner) != GOT)
			o->owner = -1;
		get_anchors(L, it[i], "met_by", 0, &o->met_by, &o->nmet_by);
		if (wi && ev) {
			nerr(L, ev, "an obligation has either 'within' (a deadline) or 'every' (a cadence), not both");
			continue;
		}
		if (!wi && !ev) {
			nerr(L, it[i], "an obligation needs 'within' and 'of' (a deadline) or 'every' and 'while' (a cadence)");
			continue;
		}
		if (wi) {
			const struct ynode *of = map_get(L, it[i], "of");
			const char *s;
			get_dur(L, it[i], "within", "obligation", 1, &o->within);
			if (map_get(L, it[i], "while"))
				nerr(L, map_get(L, it[i], "while"), "'while' goes with 'every', not 'within'");
			if (!of)
				nerr(L, it[i], "missing key 'of' in obligation (the event the deadline runs from)");
			else if (node_scalar(L, of, "of", &s) == GOT) {
				if (parse_anchor(L, of, 0, &o->anchor) == GOT && o->anchor.kind == ANCHOR_DONE &&
				    o->anchor.ref == (int)i)
					nerr(L, of, "obligation '%s' cannot run from its own completion", o->id);
			} else if (of->type == Y_SCALAR) {
				nerr(L, of, "missing value for 'of' in obligation");
			}
			get_bool(L, it[i], "repeat", "obligation", 0, &o->repeat);
		} else {
			o->is_cadence = 1;
			if (map_get(L, it[i], "repeat"))
				nerr(L, map_get(L, it[i], "repeat"),
				     "'repeat' goes with 'within', not 'every' (a cadence runs again each time its state holds)");
			if (get_dur(L, it[i], "every", "obligation", 1, &o->every) == GOT && o->every <= 0)
				nerr(L, ev, "'every' must be longer than 0");
			if (map_get(L, it[i], "of"))
				nerr(L, map_get(L, it[i], "of"), "'of' goes with 'within', not 'every'");
			if (!map_get(L, it[i], "while"))
				nerr(L, it[i], "missing key 'while' in obligation (the states the cadence runs in)");
			else if (get_anchors(L, it[i], "while", 1, &o->during, &o->nduring) == NONE)
				nerr(L, map_get(L, it[i], "while"), "missing value for 'while' in obligation");
		}
	}
	/* `done:` chains must end somewhere */
	for (i = 0; i < n; i++) {
		int cur = (int)i;
		size_t steps = 0;
		while (cur >= 0 && !p->obligations[cur].is_cadence &&
		       p->obligations[cur].anchor.kind == ANCHOR_DONE && steps <= (size_t)n) {
			cur = p->obligations[cur].anchor.ref;
			steps++;
			if (cur == (int)i && steps > 1) {
				nerr(L, map_get(L, it[i], "of"),
				     "obligation '%s' runs from a chain of 'done:' events that leads back to it",
				     p->obligations[i].id);
				break;
			}
		}
	}
	free(it);
}

int plan_dim_value(const struct plan *p, size_t dim, const char *name)
{
	const struct plan_dimension *d;
	int64_t want, best_secs = 0;
	size_t i;
	int best = -1;
	if (!p || dim >= p->matrix.ndims || !name)
		return -1;
	d = &p->matrix.dims[dim];
	for (i = 0; i < d->nvalues; i++)
		if (!strcmp(d->values[i], name))
			return (int)i;
	for (i = 0; i < d->naliases; i++)
		if (!strcmp(d->alias_names[i], name))
			return d->alias_values[i];
	if (d->nvalues == 0 || dur_parse(name, &want) != 0)
		return -1;
	/* every value a duration: the smallest bucket that holds `want` */
	for (i = 0; i < d->nvalues; i++) {
		int64_t secs;
		if (dur_parse(d->values[i], &secs) != 0)
			return -1;
		if (secs >= want && (best < 0 || secs < best_secs)) {
			best = (int)i;
			best_secs = secs;
		}
	}
	if (best < 0) { /* longer than every bucket: the longest */
		for (i = 0; i < d->nvalues; i++) {
			int64_t secs;
			(void)dur_parse(d->values[i], &secs);
			if (best < 0 || secs > best_secs) {
				best = (int)i;
				best_secs = secs;
			}
		}
	}
	return best;
}

static void load_roster(struct loader *L, const struct ynode *root)
{
	struct plan *p = L->p;
	const struct ynode *m = map_get(L, root, "roster");
	size_t i;
	if (!m || is_null(m) || m->type == Y_BAD)
		return;
	if (m->type != Y_MAP) {
		nerr(L, m, "expected a mapping of user: role(s) for 'roster', found %s", type_name(m));
		return;
	}
	p->roster = xcalloc(m->nkid / 2 + 1, sizeof *p->roster);
	for (i = 0; i + 1 < m->nkid; i += 2) {
		const struct ynode *k = NODE(L, m->kid[i]);
		const struct ynode **rs = NULL, *one = NULL;
		struct plan_roster_entry *e;
		long nr, j;
		const char *c;
		if (k->type != Y_SCALAR || k->dup)
			continue;
		for (c = k->s; *c; c++)
			if (isspace((unsigned char)*c) || *c == ':' || *c == '/')
				break;
		if (!*k->s || *c) {
			nerr(L, k, "invalid user name '%s'", k->s);
			continue;
		}
		nr = str_items(L, NODE(L, m->kid[i + 1]), k->s, &rs, &one);
		if (nr == 0)
			nerr(L, NODE(L, m->kid[i + 1]), "user '%s' has no roles", k->s);
		if (nr <= 0)
			continue;
		e = &p->roster[p->nroster++];
		e->user = xstrdup(k->s);
		e->roles = xcalloc((size_t)nr, sizeof *e->roles);
		for (j = 0; j < nr; j++) {
			int r = resolve(L, rs[j], K_ROLE, rs[j]->s);
			if (r >= 0)
				e->roles[e->nroles++] = r;
		}
		str_items_free(rs, &one);
	}
}

static void load_ledgers(struct loader *L, const struct ynode *root)
{
	static const char *const gkeys[] = { "id", "name", "lead", "members", "duties", NULL };
	static const char *const rkeys[] = { "item", "count", "location", "owner", "renewal", NULL };
	static const char *const ckeys[] = { "id", "name", "audience", "every", "owner", NULL };
	static const char *const ukeys[] = { "id", "title", "every", "owner", "records", NULL };
	struct plan *p = L->p;
	const struct ynode **it;
	long n, i;

	n = section(L, root, "groups", "group", MAX_LIST, &it);
	if (n > 0) {
		p->groups = xcalloc((size_t)n, sizeof *p->groups);
		p->ngroups = (size_t)n;
	}
	for (i = 0; i < n; i++) {
		struct plan_group *g = &p->groups[i];
		check_keys(L, it[i], "group", gkeys);
		get_id(L, it[i], "id", "group", 1, &g->id);
		get_str(L, it[i], "name", "group", 0, &g->name);
		get_str(L, it[i], "lead", "group", 0, &g->lead);
		get_str(L, it[i], "duties", "group", 0, &g->duties);
		get_strlist(L, it[i], "members", &g->members, &g->nmembers);
	}
	free(it);

	n = section(L, root, "resources", "resource", MAX_LIST, &it);
	if (n > 0) {
		p->resources = xcalloc((size_t)n, sizeof *p->resources);
		p->nresources = (size_t)n;
	}
	for (i = 0; i < n; i++) {
		struct plan_resource *r = &p->resources[i];
		check_keys(L, it[i], "resource", rkeys);
		get_str(L, it[i], "item", "resource", 1, &r->item);
		if (get_int(L, it[i], "count", "resource", 0, &r->count) == GOT && r->count < 0)
			nerr(L, map_get(L, it[i], "count"), "negative count %lld", (long long)r->count);
		get_str(L, it[i], "location", "resource", 0, &r->location);
		get_str(L, it[i], "owner", "resource", 0, &r->owner);
		get_str(L, it[i], "renewal", "resource", 0, &r->renewal);
	}
	free(it);

	n = section(L, root, "channels", "channel", MAX_LIST, &it);
	if (n > 0) {
		p->channels = xcalloc((size_t)n, sizeof *p->channels);
		p->nchannels = (size_t)n;
	}
	for (i = 0; i < n; i++) {
		struct plan_channel *c = &p->channels[i];
		check_keys(L, it[i], "channel", ckeys);
		get_id(L, it[i], "id", "channel", 1, &c->id);
		get_str(L, it[i], "name", "channel", 0, &c->name);
		get_str(L, it[i], "audience", "channel", 0, &c->audience);
		get_dur(L, it[i], "every", "channel", 0, &c->every);
		get_str(L, it[i], "owner", "channel", 0, &c->owner);
	}
	free(it);

	n = section(L, root, "routines", "routine", MAX_LIST, &it);
	if (n > 0) {
		p->routines = xcalloc((size_t)n, sizeof *p->routines);
		p->nroutines = (size_t)n;
	}
	for (i = 0; i < n; i++) {
		struct plan_routine *u = &p->routines[i];
		check_keys(L, it[i], "routine", ukeys);
		get_id(L, it[i], "id", "routine", 1, &u->id);
		get_str(L, it[i], "title", "routine", 1, &u->title);
		if (get_dur(L, it[i], "every", "routine", 1, &u->every) == GOT && u->every <= 0)
			nerr(L, map_get(L, it[i], "every"), "'every' must be longer than 0");
		get_str(L, it[i], "owner", "routine", 0, &u->owner);
		get_str(L, it[i], "records", "routine", 0, &u->records);
	}
	free(it);
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */

static void strv_free(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void plan_free(struct plan *p)
{
	size_t i;
	if (!p)
		return;
	free(p->path);
	free(p->id);
	free(p->title);
	free(p->original_title);
	free(p->source);
	free(p->description);
	free(p->yaml);
	for (i = 0; i < p->nmetrics; i++) {
		free(p->metrics[i].id);
		free(p->metrics[i].name);
		free(p->metrics[i].unit);
		free(p->metrics[i].normal_text);
	}
	free(p->metrics);
	for (i = 0; i < p->nlevels; i++) {
		struct plan_level *l = &p->levels[i];
		free(l->id);
		free(l->name);
		free(l->colour);
		strv_free(l->conditions, l->nconditions);
		free(l->activated_by);
		free(l->description);
	}
	free(p->levels);
	for (i = 0; i < p->nwarnings; i++) {
		free(p->warnings[i].id);
		free(p->warnings[i].name);
		strv_free(p->warnings[i].notify, p->warnings[i].nnotify);
	}
	free(p->warnings);
	for (i = 0; i < p->ntriggers; i++) {
		free(p->triggers[i].id);
		free(p->triggers[i].title);
		free(p->triggers[i].cite);
	}
	free(p->triggers);
	for (i = 0; i < p->matrix.ndims; i++) {
		free(p->matrix.dims[i].id);
		free(p->matrix.dims[i].name);
		strv_free(p->matrix.dims[i].values, p->matrix.dims[i].nvalues);
		strv_free(p->matrix.dims[i].alias_names, p->matrix.dims[i].naliases);
		free(p->matrix.dims[i].alias_values);
	}
	for (i = 0; i < p->matrix.nrules; i++)
		free(p->matrix.rules[i].why);
	free(p->matrix.rules);
	for (i = 0; i < p->ncriteria; i++) {
		free(p->criteria[i].id);
		free(p->criteria[i].title);
		free(p->criteria[i].conds);
		free(p->criteria[i].cite);
	}
	free(p->criteria);
	free(p->lift);
	free(p->termination);
	for (i = 0; i < p->nobligations; i++) {
		struct plan_obligation *o = &p->obligations[i];
		free(o->id);
		free(o->title);
		free(o->during);
		free(o->met_by);
		free(o->cite);
	}
	free(p->obligations);
	for (i = 0; i < p->nroles; i++) {
		free(p->roles[i].id);
		free(p->roles[i].name);
		free(p->roles[i].description);
	}
	free(p->roles);
	for (i = 0; i < p->nroster; i++) {
		free(p->roster[i].user);
		free(p->roster[i].roles);
	}
	free(p->roster);
	for (i = 0; i < p->ngroups; i++) {
		struct plan_group *g = &p->groups[i];
		free(g->id);
		free(g->name);
		free(g->lead);
		strv_free(g->members, g->nmembers);
		free(g->duties);
	}
	free(p->groups);
	for (i = 0; i < p->nresources; i++) {
		struct plan_resource *r = &p->resources[i];
		free(r->item);
		free(r->location);
		free(r->owner);
		free(r->renewal);
	}
	free(p->resources);
	for (i = 0; i < p->nchannels; i++) {
		struct plan_channel *c = &p->channels[i];
		free(c->id);
		free(c->name);
		free(c->audience);
		free(c->owner);
	}
	free(p->channels);
	for (i = 0; i < p->nroutines; i++) {
		struct plan_routine *u = &p->routines[i];
		free(u->id);
		free(u->title);
		free(u->owner);
		free(u->records);
	}
	free(p->routines);
	free(p);
}

static int err_cmp(const void *a, const void *b)
{
	const struct sitrep_error *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	/* stable: code holds the order found (see below) */
	return x->code < y->code ? -1 : x->code > y->code;
}

/* Hand the errors over sorted by position (the sections are read in
 * dependency order, not file order), equal positions in the order found. */
static void errs_flush(struct loader *L, struct error_list *out)
{
	size_t i;
	for (i = 0; i < L->errs.n; i++)
		L->errs.v[i].code = (int)i;
	qsort(L->errs.v, L->errs.n, sizeof *L->errs.v, err_cmp);
	for (i = 0; i < L->errs.n; i++) {
		const struct sitrep_error *e = &L->errs.v[i];
		if (out)
			errlist_add(out, SITREP_EXIT_PLAN, e->path, e->line, e->col, "%s", e->msg);
	}
	if (L->overflow && out)
		errlist_add(out, SITREP_EXIT_PLAN, L->path, 0, 0,
			    "too many errors, stopped after %d", MAX_ERRORS);
	errlist_release(&L->errs);
}

struct plan *plan_load_buffer(const char *path, const char *yaml, size_t len,
			      struct error_list *errs)
{
	struct loader L;
	struct plan *p;
	long root;
	int fatal, k;
	memset(&L, 0, sizeof L);
	L.path = path ? path : "<plan>";
	L.buf = yaml ? yaml : "";
	L.len = yaml ? len : 0;
	errlist_init(&L.errs);

	if (L.len > PLAN_MAX_FILE) {
		lerr(&L, 1, 1, "plan is larger than %d bytes", PLAN_MAX_FILE);
		errs_flush(&L, errs);
		return NULL;
	}
	p = xcalloc(1, sizeof *p);
	L.p = p;
	root = tree_build(&L, &fatal);
	if (!fatal) {
		const struct ynode *r = root >= 0 ? NODE(&L, (size_t)root) : NULL;
		if (!r || is_null(r)) {
			lerr(&L, 1, 1, "empty plan (expected a mapping with 'sitrep_plan', 'id', 'title', 'levels' and 'roles')");
		} else if (r->type == Y_BAD) {
			/* reported */
		} else if (r->type != Y_MAP) {
			nerr(&L, r, "expected a mapping at the top of the plan, found %s", type_name(r));
		} else {
			load_top(&L, r);
			load_roles(&L, r);
			load_metrics(&L, r);
			load_levels(&L, r);
			load_warnings(&L, r);
			load_criteria(&L, r);
			load_triggers(&L, r);
			load_matrix(&L, r);
			load_crit_list(&L, r, "lift", &p->lift, &p->nlift);
			load_crit_list(&L, r, "termination", &p->termination, &p->ntermination);
			load_obligations(&L, r);
			load_roster(&L, r);
			load_ledgers(&L, r);
		}
	}
	for (k = 0; k < K__COUNT; k++)
		free((void *)L.ids[k]);
	tree_free(&L);
	if (L.errs.n || L.overflow) {
		errs_flush(&L, errs);
		plan_free(p);
		return NULL;
	}
	errlist_release(&L.errs);
	p->path = xstrdup(L.path);
	p->yaml = xmalloc(L.len + 1);
	memcpy(p->yaml, L.buf, L.len);
	p->yaml[L.len] = '\0';
	p->yaml_len = L.len;
	sha256_hex(p->yaml, p->yaml_len, p->hash);
	return p;
}

struct plan *plan_load_file(const char *path, struct error_list *errs)
{
	struct strbuf sb = STRBUF_INIT;
	struct plan *p;
	char chunk[8192];
	int fd;
	sb_init(&sb);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		errlist_add(errs, SITREP_EXIT_PLAN, path, 0, 0, "cannot open '%s': %s", path,
			    strerror(errno));
		sb_release(&sb);
		return NULL;
	}
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			errlist_add(errs, SITREP_EXIT_PLAN, path, 0, 0, "cannot read '%s': %s", path,
				    strerror(errno));
			close(fd);
			sb_release(&sb);
			return NULL;
		}
		if (r == 0)
			break;
		sb_add(&sb, chunk, (size_t)r);
		if (sb.len > PLAN_MAX_FILE) {
			errlist_add(errs, SITREP_EXIT_PLAN, path, 1, 1, "plan is larger than %d bytes",
				    PLAN_MAX_FILE);
			close(fd);
			sb_release(&sb);
			return NULL;
		}
	}
	close(fd);
	p = plan_load_buffer(path, sb.buf, sb.len, errs);
	sb_release(&sb);
	return p;
}

static int has_yaml_ext(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && !strcmp(name + n - 5, ".yaml");
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t plan_list_dir(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, alloc = 0;
	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		struct strbuf sb = STRBUF_INIT;
		struct stat st;
		if (de->d_name[0] == '.' || !has_yaml_ext(de->d_name))
			continue;
		sb_init(&sb);
		sb_addf(&sb, "%s/%s", dir, de->d_name);
		if (stat(sb.buf, &st) || !S_ISREG(st.st_mode)) {
			sb_release(&sb);
			continue;
		}
		v = xgrow(v, sizeof *v, n + 1, &alloc);
		v[n++] = sb_detach(&sb);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof *v, str_cmp);
	*out = v;
	return n;
}

struct plan *plan_find(const char *dir, const char *name, struct error_list *errs)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	char **files;
	size_t n, i;
	struct plan *found = NULL;
	if (!name || !*name) {
		errlist_add(errs, SITREP_EXIT_PLAN, NULL, 0, 0, "no plan name given");
		return NULL;
	}
	/* a path names the file itself */
	if (strchr(name, '/') || has_yaml_ext(name))
		return plan_load_file(name, errs);
	sb_init(&sb);
	sb_addf(&sb, "%s/%s.yaml", dir, name);
	if (!stat(sb.buf, &st)) {
		found = plan_load_file(sb.buf, errs);
		sb_release(&sb);
		return found;
	}
	sb_release(&sb);
	n = plan_list_dir(dir, &files);
	for (i = 0; i < n; i++) {
		struct error_list quiet;
		struct plan *p;
		errlist_init(&quiet);
		if (!found) {
			p = plan_load_file(files[i], &quiet);
			if (p && p->id && !strcmp(p->id, name))
				found = p;
			else
				plan_free(p);
		}
		errlist_release(&quiet);
		free(files[i]);
	}
	free(files);
	if (!found)
		errlist_add(errs, SITREP_EXIT_PLAN, NULL, 0, 0, "no plan '%s' in '%s'", name, dir);
	return found;
}

#define LOOKUP(fn, arr, n)                                       \
	int fn(const struct plan *p, const char *id)             \
	{                                                        \
		size_t i;                                        \
		if (!p || !id)                                   \
			return -1;                               \
		for (i = 0; i < p->n; i++)                       \
			if (p->arr[i].id && !strcmp(p->arr[i].id, id)) \
				return (int)i;                   \
		return -1;                                       \
	}
LOOKUP(plan_metric_index, metrics, nmetrics)
LOOKUP(plan_level_index, levels, nlevels)
LOOKUP(plan_warning_index, warnings, nwarnings)
LOOKUP(plan_role_index, roles, nroles)
LOOKUP(plan_criterion_index, criteria, ncriteria)
LOOKUP(plan_obligation_index, obligations, nobligations)
#undef LOOKUP

/* ------------------------------------------------------------------ */
/* plan show                                                           */

/* A small table: rows of cells, printed with columns aligned by display
 * width (CJK counts two), the last column unpadded. */
#define TAB_COLS 6
struct table {
	char **cells;        /* nrows * TAB_COLS, owned (NULL = empty) */
	size_t nrows, alloc;
};

static void tab_row(struct table *t, const char *c0, const char *c1, const char *c2,
		    const char *c3, const char *c4, const char *c5)
{
	const char *c[TAB_COLS];
	size_t i;
	c[0] = c0, c[1] = c1, c[2] = c2, c[3] = c3, c[4] = c4, c[5] = c5;
	t->cells = xgrow(t->cells, sizeof *t->cells, (t->nrows + 1) * TAB_COLS, &t->alloc);
	for (i = 0; i < TAB_COLS; i++)
		t->cells[t->nrows * TAB_COLS + i] = xstrdup(c[i]);
	t->nrows++;
}

static void tab_print(struct table *t, struct strbuf *out, const char *indent)
{
	int w[TAB_COLS] = { 0 };
	size_t r, c, last = 0;
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < TAB_COLS; c++) {
			const char *s = t->cells[r * TAB_COLS + c];
			if (s && *s) {
				int x = utf8_width(s);
				if (x > w[c])
					w[c] = x;
				if (c > last)
					last = c;
			}
		}
	for (r = 0; r < t->nrows; r++) {
		size_t end = 0;
		for (c = 0; c < TAB_COLS; c++)
			if (t->cells[r * TAB_COLS + c] && *t->cells[r * TAB_COLS + c])
				end = c;
		sb_adds(out, indent);
		for (c = 0; c <= end; c++) {
			const char *s = t->cells[r * TAB_COLS + c];
			if (!w[c])
				continue;
			if (c == end) {
				struct strbuf e = STRBUF_INIT;
				sb_init(&e);
				sb_add_escaped(&e, s ? s : "");
				sb_add(out, e.buf, e.len);
				sb_release(&e);
			} else {
				sb_add_padded(out, s ? s : "", w[c]);
				sb_adds(out, "  ");
			}
		}
		sb_addc(out, '\n');
	}
	for (r = 0; r < t->nrows * TAB_COLS; r++)
		free(t->cells[r]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->alloc = 0;
	(void)last;
}

static const char *nz(const char *s) { return s ? s : ""; }

static void add_text(struct strbuf *out, const char *s)
{
	sb_add_escaped(out, s ? s : "");
}

static void cond_text(const struct plan *p, const struct plan_cond *c, struct strbuf *sb)
{
	const struct plan_metric *m = c->metric >= 0 ? &p->metrics[c->metric] : NULL;
	sb_addf(sb, "%s %s %g", m ? m->id : "?", plan_cmp_name(c->op), c->value);
}

static void anchor_text(const struct plan *p, const struct plan_anchor *a, struct strbuf *sb)
{
	switch (a->kind) {
	case ANCHOR_OPEN: sb_adds(sb, "open"); break;
	case ANCHOR_WARNING: sb_adds(sb, "warning"); break;
	case ANCHOR_WARNING_ID: sb_addf(sb, "warning:%s", p->warnings[a->ref].id); break;
	case ANCHOR_RESPONSE: sb_adds(sb, "response"); break;
	case ANCHOR_LEVEL:
		if (a->ref < 0)
			sb_adds(sb, "level");
		else
			sb_addf(sb, "level:%s", p->levels[a->ref].id);
		break;
	case ANCHOR_PROPOSAL: sb_adds(sb, "proposal"); break;
	case ANCHOR_DONE: sb_addf(sb, "done:%s", p->obligations[a->ref].id); break;
	case ANCHOR_LIFT: sb_adds(sb, "lift"); break;
	case ANCHOR_TERMINATE: sb_adds(sb, "terminate"); break;
	}
}

static const char *role_id(const struct plan *p, int r)
{
	return r >= 0 && (size_t)r < p->nroles ? p->roles[r].id : NULL;
}

static void describe_criteria(const struct plan *p, const int *list, size_t n,
			      const char *heading, struct strbuf *out)
{
	struct table t = { NULL, 0, 0 };
	size_t i, j;
	if (!n)
		return;
	sb_addf(out, "\n%s (all must hold)\n", heading);
	for (i = 0; i < n; i++) {
		const struct plan_criterion *c = &p->criteria[list[i]];
		struct strbuf what = STRBUF_INIT;
		char d[32];
		sb_init(&what);
		if (c->kind == CRIT_METRIC) {
			for (j = 0; j < c->nconds; j++) {
				if (j)
					sb_adds(&what, " and ");
				cond_text(p, &c->conds[j], &what);
			}
			if (c->for_secs)
				sb_addf(&what, " for %s", dur_format(c->for_secs, d, sizeof d));
		} else {
			sb_addf(&what, "attested by %s", c->role >= 0 ? role_id(p, c->role) : "any role");
		}
		tab_row(&t, c->id, c->kind == CRIT_METRIC ? "metric" : "attest", what.buf,
			nz(c->title), NULL, NULL);
		sb_release(&what);
	}
	tab_print(&t, out, "  ");
}

void plan_describe(const struct plan *p, struct strbuf *out)
{
	struct table t = { NULL, 0, 0 };
	struct strbuf tmp = STRBUF_INIT;
	char d1[32], d2[32];
	size_t i, j;

	sb_init(&tmp);
	sb_addf(out, "%s  ", nz(p->id));
	add_text(out, p->title);
	sb_addc(out, '\n');
	if (p->original_title) {
		sb_adds(out, "  ");
		add_text(out, p->original_title);
		sb_addc(out, '\n');
	}
	if (p->source)
		sb_addf(out, "  source: %s\n", p->source);
	if (p->path)
		sb_addf(out, "  file: %s\n", p->path);
	sb_addf(out, "  sha256: %s\n", p->hash);

	sb_adds(out, "\nLevels (least severe first)\n");
	for (i = 0; i < p->nlevels; i++) {
		const struct plan_level *l = &p->levels[i];
		sb_reset(&tmp);
		if (l->nactivated_by) {
			sb_adds(&tmp, "activated by ");
			for (j = 0; j < l->nactivated_by; j++)
				sb_addf(&tmp, "%s%s", j ? ", " : "", role_id(p, l->activated_by[j]));
		} else {
			sb_adds(&tmp, "activated by any role that may escalate");
		}
		tab_row(&t, l->id, nz(l->name), nz(l->colour), tmp.buf, NULL, NULL);
	}
	tab_print(&t, out, "  ");
	for (i = 0; i < p->nlevels; i++)
		for (j = 0; j < p->levels[i].nconditions; j++) {
			sb_addf(out, "  %s: ", p->levels[i].id);
			add_text(out, p->levels[i].conditions[j]);
			sb_addc(out, '\n');
		}

	if (p->nwarnings) {
		sb_adds(out, "\nWarnings (least severe first)\n");
		for (i = 0; i < p->nwarnings; i++) {
			const struct plan_warning *w = &p->warnings[i];
			sb_reset(&tmp);
			for (j = 0; j < w->nnotify; j++)
				sb_addf(&tmp, "%s%s", j ? ", " : "notify: ", w->notify[j]);
			tab_row(&t, w->id, nz(w->name),
				w->max_duration ? dur_format(w->max_duration, d1, sizeof d1) : "no cap",
				tmp.buf, NULL, NULL);
		}
		tab_print(&t, out, "  ");
	}

	if (p->nmetrics) {
		sb_adds(out, "\nMetrics\n");
		for (i = 0; i < p->nmetrics; i++) {
			const struct plan_metric *m = &p->metrics[i];
			sb_reset(&tmp);
			if (m->has_normal)
				sb_addf(&tmp, "normal %g", m->normal);
			if (m->normal_text)
				sb_addf(&tmp, "%s%s", m->has_normal ? " = " : "normal: ", m->normal_text);
			tab_row(&t, m->id, nz(m->name), nz(m->unit), tmp.buf, NULL, NULL);
		}
		tab_print(&t, out, "  ");
	}

	if (p->ntriggers) {
		sb_adds(out, "\nTriggers\n");
		for (i = 0; i < p->ntriggers; i++) {
			const struct plan_trigger *tr = &p->triggers[i];
			struct strbuf act = STRBUF_INIT;
			sb_init(&act);
			sb_reset(&tmp);
			cond_text(p, &tr->cond, &tmp);
			if (tr->raise_warning >= 0)
				sb_addf(&act, "raise %s", p->warnings[tr->raise_warning].id);
			if (tr->propose_level >= 0)
				sb_addf(&act, "%spropose %s", act.len ? ", " : "",
					p->levels[tr->propose_level].id);
			if (tr->has_clear)
				snprintf(d2, sizeof d2, "clear %g", tr->clear_value);
			else
				d2[0] = 0;
			tab_row(&t, tr->id, tmp.buf,
				tr->for_secs ? dur_format(tr->for_secs, d1, sizeof d1) : "at once",
				d2, act.buf, nz(tr->title));
			sb_release(&act);
		}
		tab_print(&t, out, "  ");
	}

	if (p->matrix.ndims) {
		const struct plan_matrix *mx = &p->matrix;
		sb_adds(out, "\nLevel decision matrix (first matching rule wins)\n");
		for (i = 0; i < mx->ndims; i++) {
			sb_reset(&tmp);
			for (j = 0; j < mx->dims[i].nvalues; j++)
				sb_addf(&tmp, "%s%s", j ? " | " : "", mx->dims[i].values[j]);
			for (j = 0; j < mx->dims[i].naliases; j++)
				sb_addf(&tmp, "%s%s=%s", j ? ", " : "  (also ", mx->dims[i].alias_names[j],
					mx->dims[i].values[mx->dims[i].alias_values[j]]);
			if (mx->dims[i].naliases)
				sb_addc(&tmp, ')');
			tab_row(&t, mx->dims[i].id, nz(mx->dims[i].name), tmp.buf, NULL, NULL, NULL);
		}
		tab_print(&t, out, "  ");
		for (i = 0; i < mx->nrules; i++) {
			const struct plan_matrix_rule *r = &mx->rules[i];
			size_t d;
			sb_reset(&tmp);
			for (d = 0; d < mx->ndims; d++) {
				int first = 1;
				if (!r->allowed[d])
					continue;
				sb_addf(&tmp, "%s%s=", tmp.len ? " " : "", mx->dims[d].id);
				for (j = 0; j < mx->dims[d].nvalues; j++)
					if (r->allowed[d] & (1u << j)) {
						sb_addf(&tmp, "%s%s", first ? "" : "|", mx->dims[d].values[j]);
						first = 0;
					}
			}
			snprintf(d1, sizeof d1, "%zu.", i + 1);
			tab_row(&t, d1, tmp.len ? tmp.buf : "(any)", "->",
				r->level >= 0 ? p->levels[r->level].id : "?", nz(r->why), NULL);
		}
		tab_row(&t, "", "otherwise", "->",
			mx->default_level >= 0 ? p->levels[mx->default_level].id : "no proposal",
			NULL, NULL);
		tab_print(&t, out, "  ");
	}

	describe_criteria(p, p->lift, p->nlift, "Lift criteria", out);
	describe_criteria(p, p->termination, p->ntermination, "Termination criteria", out);

	if (p->nobligations) {
		sb_adds(out, "\nObligations (deadlines and cadences)\n");
		for (i = 0; i < p->nobligations; i++) {
			const struct plan_obligation *o = &p->obligations[i];
			sb_reset(&tmp);
			if (o->is_cadence) {
				sb_addf(&tmp, "every %s while ", dur_format(o->every, d1, sizeof d1));
				for (j = 0; j < o->nduring; j++) {
					if (j)
						sb_adds(&tmp, "|");
					anchor_text(p, &o->during[j], &tmp);
				}
			} else {
				sb_addf(&tmp, "within %s of ", dur_format(o->within, d1, sizeof d1));
				anchor_text(p, &o->anchor, &tmp);
				if (o->repeat)
					sb_adds(&tmp, " (each time)");
			}
			if (o->nmet_by) {
				sb_adds(&tmp, ", met by ");
				for (j = 0; j < o->nmet_by; j++) {
					if (j)
						sb_adds(&tmp, "|");
					anchor_text(p, &o->met_by[j], &tmp);
				}
			}
			tab_row(&t, o->id, tmp.buf, o->owner >= 0 ? role_id(p, o->owner) : "-",
				nz(o->title), NULL, NULL);
		}
		tab_print(&t, out, "  ");
	}

	sb_adds(out, "\nRoles\n");
	for (i = 0; i < p->nroles; i++) {
		const struct plan_role *r = &p->roles[i];
		int a;
		sb_reset(&tmp);
		if (r->actions == (1u << ACT__COUNT) - 1)
			sb_adds(&tmp, "all actions");
		else
			for (a = 0; a < ACT__COUNT; a++)
				if (r->actions & (1u << a))
					sb_addf(&tmp, "%s%s", tmp.len ? " " : "", plan_action_names[a]);
		tab_row(&t, r->id, nz(r->name), tmp.buf, NULL, NULL, NULL);
	}
	tab_print(&t, out, "  ");
	if (p->nroster) {
		sb_adds(out, "\nRoster\n");
		for (i = 0; i < p->nroster; i++) {
			sb_reset(&tmp);
			for (j = 0; j < p->roster[i].nroles; j++)
				sb_addf(&tmp, "%s%s", j ? ", " : "", role_id(p, p->roster[i].roles[j]));
			tab_row(&t, p->roster[i].user, tmp.buf, NULL, NULL, NULL, NULL);
		}
		tab_print(&t, out, "  ");
	} else {
		sb_adds(out, "  (no roster: every user holds every role)\n");
	}

	if (p->ngroups) {
		sb_adds(out, "\nGroups\n");
		for (i = 0; i < p->ngroups; i++) {
			const struct plan_group *g = &p->groups[i];
			sb_reset(&tmp);
			if (g->lead)
				sb_addf(&tmp, "lead: %s", g->lead);
			for (j = 0; j < g->nmembers; j++)
				sb_addf(&tmp, "%s%s", j ? ", " : (tmp.len ? "; members: " : "members: "),
					g->members[j]);
			tab_row(&t, g->id, nz(g->name), tmp.buf, NULL, NULL, NULL);
		}
		tab_print(&t, out, "  ");
	}
	if (p->nresources) {
		sb_adds(out, "\nResources\n");
		for (i = 0; i < p->nresources; i++) {
			const struct plan_resource *r = &p->resources[i];
			snprintf(d1, sizeof d1, "x%lld", (long long)r->count);
			tab_row(&t, r->item, r->count ? d1 : "", nz(r->location), nz(r->owner),
				nz(r->renewal), NULL);
		}
		tab_print(&t, out, "  ");
	}
	if (p->nchannels) {
		sb_adds(out, "\nChannels\n");
		for (i = 0; i < p->nchannels; i++) {
			const struct plan_channel *c = &p->channels[i];
			sb_reset(&tmp);
			if (c->every)
				sb_addf(&tmp, "every %s", dur_format(c->every, d1, sizeof d1));
			tab_row(&t, c->id, nz(c->name), nz(c->audience), tmp.buf, nz(c->owner), NULL);
		}
		tab_print(&t, out, "  ");
	}
	if (p->nroutines) {
		sb_adds(out, "\nRoutines (outside incidents)\n");
		for (i = 0; i < p->nroutines; i++) {
			const struct plan_routine *u = &p->routines[i];
			sb_reset(&tmp);
			sb_addf(&tmp, "every %s", dur_format(u->every, d1, sizeof d1));
			tab_row(&t, u->id, tmp.buf, nz(u->owner), nz(u->title), NULL, NULL);
		}
		tab_print(&t, out, "  ");
	}
	sb_release(&tmp);
}
