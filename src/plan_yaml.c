/* plan_yaml: bytes -> a tree of ynodes (see plan_int.h). The only file that
 * includes <yaml.h>.
 *
 * libyaml's event stream is read (never its document loader, which would
 * expand aliases) into a tree of our own, with hard limits on size, depth
 * and node count, aliases refused and duplicate keys found. The encoding is
 * checked before libyaml sees a byte: libyaml would happily decode a UTF-16
 * file, which the rest of sitrep (the journal's snapshot of the plan, every
 * string handed around as char *) could not use. */
#include <yaml.h>

#include <stdlib.h>
#include <string.h>

#include "sitrep/plan.h"
#include "plan_int.h"

static struct ynode *node_at(struct ydoc *d, size_t i) { return &d->nodes[i]; }

/* ------------------------------------------------------------------ */
/* The encoding                                                        */

/* The first byte sequence of s[0..n) that is not UTF-8: sets *bad to its
 * offset and returns what is wrong in libyaml's words (the messages people
 * may already know), or NULL when all of it is UTF-8. */
static const char *utf8_problem(const unsigned char *s, size_t n, size_t *bad, int *byte)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		uint32_t v;
		size_t w, k;
		if (c < 0x80) {
			i++;
			continue;
		}
		*bad = i;
		*byte = -1;
		if ((c & 0xe0) == 0xc0)
			w = 2, v = c & 0x1f;
		else if ((c & 0xf0) == 0xe0)
			w = 3, v = c & 0x0f;
		else if ((c & 0xf8) == 0xf0)
			w = 4, v = c & 0x07;
		else {
			*byte = c;
			return "invalid leading UTF-8 octet";
		}
		for (k = 1; k < w && i + k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return "invalid trailing UTF-8 octet";
			v = (v << 6) | (s[i + k] & 0x3f);
		}
		if (k < w)
			return "incomplete UTF-8 octet sequence";
		if ((w == 2 && v < 0x80) || (w == 3 && v < 0x800) || (w == 4 && v < 0x10000))
			return "invalid length of a UTF-8 sequence";
		if ((v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
			return "invalid Unicode character";
		i += w;
	}
	return NULL;
}

/* UTF-16 and UTF-32, with a byte-order mark or without one: a YAML file
 * starts with an ASCII character (a key, '-', '#', a space), which these
 * encodings write with NUL bytes beside it. */
static const char *wide_encoding(const unsigned char *s, size_t n)
{
	if (n >= 4 && ((s[0] == 0 && s[1] == 0 && s[2] == 0xfe && s[3] == 0xff) ||
		       (s[0] == 0xff && s[1] == 0xfe && s[2] == 0 && s[3] == 0)))
		return "UTF-32";
	if (n >= 4 && ((s[0] && !s[1] && !s[2] && !s[3]) || (!s[0] && !s[1] && !s[2] && s[3])))
		return "UTF-32";
	if (n >= 2 && ((s[0] == 0xfe && s[1] == 0xff) || (s[0] == 0xff && s[1] == 0xfe)))
		return "UTF-16";
	if (n >= 2 && ((s[0] && !s[1]) || (!s[0] && s[1])))
		return "UTF-16";
	return NULL;
}

/* Refuse what is not UTF-8 text; 0 when the bytes are fine. */
static int check_encoding(struct ydoc *d)
{
	const unsigned char *s = (const unsigned char *)d->buf;
	const unsigned char *nul = memchr(s, 0, d->len);
	const char *wide = wide_encoding(s, d->len), *problem;
	size_t bad = 0;
	int line, col, byte = -1;

	if (wide && (nul || s[0] == 0xfe || s[0] == 0xff)) {
		ydoc_err_at(d, 1, 1, "the %s is %s; save it as UTF-8", d->noun, wide);
		return -1;
	}
	problem = utf8_problem(s, nul ? (size_t)(nul - s) : d->len, &bad, &byte);
	if (!problem && nul) {
		ydoc_offset_pos(d->buf, d->len, (size_t)(nul - s), &line, &col);
		ydoc_err_at(d, line, col, "the %s holds a NUL byte; save it as UTF-8 text",
			    d->noun);
		return -1;
	}
	if (problem) {
		ydoc_offset_pos(d->buf, d->len, bad, &line, &col);
		if (byte >= 0)
			ydoc_err_at(d, line, col, "invalid text: %s (byte 0x%02x)", problem, byte);
		else
			ydoc_err_at(d, line, col, "invalid text: %s", problem);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Positions                                                           */

/* libyaml's marks count characters (a CR LF pair as two) from the first
 * character after a leading byte-order mark; the tree keeps byte offsets.
 * Marks arrive in increasing order, so a cursor walks the buffer once. */
struct cursor {
	size_t index;        /* characters */
	size_t byte;
};

static void cursor_start(const struct ydoc *d, struct cursor *c)
{
	c->index = 0;
	c->byte = d->len >= 3 && !memcmp(d->buf, "\xef\xbb\xbf", 3) ? 3 : 0;
}

static size_t mark_byte(const struct ydoc *d, struct cursor *c, size_t index)
{
	if (index < c->index)
		cursor_start(d, c);
	while (c->index < index && c->byte < d->len) {
		unsigned char ch = (unsigned char)d->buf[c->byte++];
		while (c->byte < d->len && ((unsigned char)d->buf[c->byte] & 0xc0) == 0x80 &&
		       ch >= 0xc0)
			c->byte++;
		c->index++;
	}
	return c->byte;
}

/* ------------------------------------------------------------------ */
/* The tree                                                            */

static size_t node_new(struct ydoc *d, enum ytype t, const yaml_mark_t *m)
{
	struct ynode *n;
	d->nodes = xgrow(d->nodes, sizeof *d->nodes, d->nnodes + 1, &d->anodes);
	n = &d->nodes[d->nnodes];
	memset(n, 0, sizeof *n);
	n->type = t;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return d->nnodes++;
}

static void node_add_kid(struct ydoc *d, size_t parent, size_t kid)
{
	struct ynode *p = node_at(d, parent);
	p->kid = xgrow(p->kid, sizeof *p->kid, p->nkid + 1, &p->akid);
	p->kid[p->nkid++] = kid;
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
static void map_finish(struct ydoc *d, size_t mi)
{
	struct ynode *m = node_at(d, mi);
	size_t nk = m->nkid / 2, i, nd = 0, first = 0;
	struct keyref *k, *dups;
	if (!nk)
		return;
	k = xcalloc(nk, sizeof *k);
	dups = xcalloc(nk, sizeof *dups);
	for (i = 0; i < nk; i++) {
		struct ynode *key = node_at(d, m->kid[2 * i]);
		k[i].pos = i;
		k[i].node = m->kid[2 * i];
		k[i].s = key->type == Y_SCALAR ? key->s : "";
		if (key->type != Y_SCALAR) {
			if (key->type != Y_BAD)
				ydoc_err(d, key, "a key must be a plain string");
			key->dup = 1;
		}
	}
	qsort(k, nk, sizeof *k, keyref_cmp);
	for (i = 0; i < nk; i++) {
		if (node_at(d, k[i].node)->dup)
			continue;
		if (i > 0 && !node_at(d, k[first].node)->dup && !strcmp(k[first].s, k[i].s)) {
			dups[nd] = k[i];
			dups[nd].first = k[first].node;
			nd++;
		} else {
			first = i;
		}
	}
	for (i = 0; i < nd; i++)
		node_at(d, dups[i].node)->dup = 1;
	qsort(dups, nd, sizeof *dups, keyref_pos_cmp);
	for (i = 0; i < nd; i++)
		ydoc_err(d, node_at(d, dups[i].node), "duplicate key '%s' (first at line %d)",
			 node_at(d, dups[i].node)->s, node_at(d, dups[i].first)->line);
	free(k);
	free(dups);
}

static void parser_problem(struct ydoc *d, yaml_parser_t *ps)
{
	int line, col;
	switch (ps->error) {
	case YAML_READER_ERROR:
		/* the encoding was checked: what is left are characters YAML
		 * refuses (control characters) */
		ydoc_offset_pos(d->buf, d->len, ps->problem_offset, &line, &col);
		if (ps->problem_value != -1)
			ydoc_err_at(d, line, col, "invalid text: %s (byte 0x%02x)",
				    ps->problem ? ps->problem : "unreadable input",
				    (unsigned)ps->problem_value & 0xff);
		else
			ydoc_err_at(d, line, col, "invalid text: %s",
				    ps->problem ? ps->problem : "unreadable input");
		break;
	case YAML_MEMORY_ERROR:
		ydoc_err_at(d, 1, 1, "out of memory while parsing");
		break;
	default:
		line = (int)ps->problem_mark.line + 1;
		col = (int)ps->problem_mark.column + 1;
		if (ps->context)
			ydoc_err_at(d, line, col, "syntax error: %s (%s at line %d)",
				    ps->problem ? ps->problem : "malformed YAML", ps->context,
				    (int)ps->context_mark.line + 1);
		else
			ydoc_err_at(d, line, col, "syntax error: %s",
				    ps->problem ? ps->problem : "malformed YAML");
		break;
	}
}

static enum ystyle scalar_style(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: return YS_SINGLE;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return YS_DOUBLE;
	case YAML_LITERAL_SCALAR_STYLE: return YS_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE: return YS_FOLDED;
	default: return YS_PLAIN;
	}
}

/* The builder's state between events. */
struct build {
	size_t stack[PLAN_MAX_DEPTH + 1]; /* open lists and mappings */
	size_t depth;
	int ndocs, done, fatal;
	size_t naliases, alias_err;       /* the first alias's error, for the count */
	struct cursor cur;
};

static size_t add_scalar(struct ydoc *d, struct build *b, const yaml_event_t *ev)
{
	size_t ni = node_new(d, Y_SCALAR, &ev->start_mark);
	struct ynode *n = node_at(d, ni);
	n->s = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
	n->len = ev->data.scalar.length;
	n->style = scalar_style(ev->data.scalar.style);
	n->src = mark_byte(d, &b->cur, ev->start_mark.index);
	n->src_end = mark_byte(d, &b->cur, ev->end_mark.index);
	/* "\0" in a double-quoted string */
	if (memchr(ev->data.scalar.value, 0, ev->data.scalar.length)) {
		ydoc_err(d, n, "a string holds a NUL character");
		n->type = Y_BAD;
	}
	return ni;
}

/* Refused, never expanded: a plan has no use for them, and refusing makes
 * alias bombs and cycles harmless. One error for the first; the count of
 * the rest is added at the end. */
static size_t add_alias(struct ydoc *d, struct build *b, const yaml_event_t *ev)
{
	size_t ni = node_new(d, Y_BAD, &ev->start_mark);
	if (!b->naliases++) {
		b->alias_err = d->errs.n;
		ydoc_err(d, node_at(d, ni), "aliases are not allowed in a %s ('*%s')",
			 d->noun, (const char *)ev->data.alias.anchor);
	}
	return ni;
}

/* A structural error: nothing after it can be trusted. */
static void stop(struct build *b)
{
	b->fatal = b->done = 1;
}

/* One event into the tree. */
static void add_event(struct ydoc *d, struct build *b, const yaml_event_t *ev)
{
	size_t ni = 0;
	int attach = 0;
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		b->done = 1;
		return;
	case YAML_DOCUMENT_START_EVENT:
		if (++b->ndocs > 1) {
			ydoc_err_at(d, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
				    "a %s holds one YAML document, found a second one",
				    d->file_noun);
			stop(b);
		}
		return;
	case YAML_SCALAR_EVENT:
		ni = add_scalar(d, b, ev);
		attach = 1;
		break;
	case YAML_ALIAS_EVENT:
		ni = add_alias(d, b, ev);
		attach = 1;
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (b->depth >= PLAN_MAX_DEPTH) {
			ydoc_err_at(d, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
				    "nesting deeper than %d levels", PLAN_MAX_DEPTH);
			stop(b);
			return;
		}
		ni = node_new(d, ev->type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP,
			      &ev->start_mark);
		attach = 2;
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth > 0) {
			b->depth--;
			if (ev->type == YAML_MAPPING_END_EVENT)
				map_finish(d, b->stack[b->depth]);
		}
		return;
	default:
		return;
	}
	if (d->nnodes > PLAN_MAX_NODES) {
		ydoc_err_at(d, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
			    "more than %d values in one %s", PLAN_MAX_NODES, d->noun);
		stop(b);
		return;
	}
	if (b->depth > 0)
		node_add_kid(d, b->stack[b->depth - 1], ni);
	else if (d->root < 0)
		d->root = (long)ni;
	if (attach == 2)
		b->stack[b->depth++] = ni;
}

int ydoc_parse(struct ydoc *d, const char *buf, size_t len)
{
	yaml_parser_t ps;
	yaml_event_t ev;
	struct build b;

	d->buf = buf ? buf : "";
	d->len = buf ? len : 0;
	d->root = -1;
	if (d->len > PLAN_MAX_FILE) {
		ydoc_err_at(d, 1, 1, "%s is larger than %d bytes", d->noun, PLAN_MAX_FILE);
		return -1;
	}
	if (check_encoding(d))
		return -1;
	if (!yaml_parser_initialize(&ps)) {
		ydoc_err_at(d, 1, 1, "out of memory while parsing");
		return -1;
	}
	memset(&b, 0, sizeof b);
	b.alias_err = (size_t)-1;
	cursor_start(d, &b.cur);
	yaml_parser_set_input_string(&ps, (const unsigned char *)d->buf, d->len);
	while (!b.done) {
		if (!yaml_parser_parse(&ps, &ev)) {
			parser_problem(d, &ps);
			b.fatal = 1;
			break;
		}
		add_event(d, &b, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&ps);
	if (b.naliases > 1 && b.alias_err < d->errs.n) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		sb_addf(&sb, "%s; %zu more alias%s", d->errs.v[b.alias_err].msg, b.naliases - 1,
			b.naliases > 2 ? "es" : "");
		free(d->errs.v[b.alias_err].msg);
		d->errs.v[b.alias_err].msg = sb_detach(&sb);
	}
	return b.fatal ? -1 : 0;
}
