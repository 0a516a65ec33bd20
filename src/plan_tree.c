/* plan_tree: typed access to the tree plan_yaml.c builds (see plan_int.h),
 * shared by the plan loader and the site files, and the list of errors they
 * collect. No libyaml here: only the tree. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sitrep/i18n.h"
#include "sitrep/plan.h"
#include "plan_int.h"

/* ------------------------------------------------------------------ */
/* The document                                                        */

void ydoc_init(struct ydoc *d, const char *path, const char *noun, const char *file_noun,
	       const char *lang)
{
	memset(d, 0, sizeof *d);
	d->path = path;
	d->noun = noun;
	d->file_noun = file_noun;
	d->lang = lang ? lang : i18n_lang();
	d->buf = "";
	d->root = -1;
	errlist_init(&d->errs);
}

void ydoc_release(struct ydoc *d)
{
	size_t i;
	for (i = 0; i < d->nnodes && !d->thawed_kids; i++) {
		free(d->nodes[i].s);
		free(d->nodes[i].kid);
	}
	free(d->thawed_kids);
	d->thawed_kids = NULL;
	free(d->nodes);
	d->nodes = NULL;
	d->nnodes = d->anodes = 0;
	d->root = -1;
	errlist_release(&d->errs);
}

int ydoc_read_file(const char *path, const char *noun, struct strbuf *out,
		   struct error_list *errs)
{
	char chunk[8192];
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		errlist_add(errs, SITREP_EXIT_PLAN, path, 0, 0, _("cannot open '%s': %s"), path,
			    strerror(errno));
		return -1;
	}
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			errlist_add(errs, SITREP_EXIT_PLAN, path, 0, 0, _("cannot read '%s': %s"), path,
				    strerror(errno));
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		sb_add(out, chunk, (size_t)r);
		if (out->len > PLAN_MAX_FILE) {
			errlist_add(errs, SITREP_EXIT_PLAN, path, 1, 1, _("%s is larger than %d bytes"),
				    noun, PLAN_MAX_FILE);
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

const struct ynode *ydoc_root(const struct ydoc *d)
{
	return d->root >= 0 ? &d->nodes[d->root] : NULL;
}

const struct ynode *ydoc_kid(const struct ydoc *d, const struct ynode *n, size_t i)
{
	return &d->nodes[n->kid[i]];
}

static void ydoc_verr(struct ydoc *d, int line, int col, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	if (ydoc_full(d))
		return;
	sb_init(&sb);
	/* the message in the user's language (the formats are msgids:
	 * xgettext --keyword=ydoc_err:3 --keyword=ydoc_err_at:4) */
	sb_vaddf(&sb, _(fmt), ap);
	errlist_add(&d->errs, SITREP_EXIT_PLAN, d->path, line, col, "%s", sb.buf);
	sb_release(&sb);
}

void ydoc_err_at(struct ydoc *d, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ydoc_verr(d, line, col, fmt, ap);
	va_end(ap);
}

void ydoc_err(struct ydoc *d, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ydoc_verr(d, at ? at->line : 1, at ? at->col : 1, fmt, ap);
	va_end(ap);
}

int ydoc_failed(const struct ydoc *d)
{
	return d->errs.n > 0 || d->overflow;
}

int ydoc_full(struct ydoc *d)
{
	if (d->errs.n < YDOC_MAX_ERRORS)
		return 0;
	d->overflow = 1;
	return 1;
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

/* Sorted by position: the sections are read in dependency order, not file
 * order. */
void ydoc_flush(struct ydoc *d, struct error_list *out)
{
	size_t i;
	for (i = 0; i < d->errs.n; i++)
		d->errs.v[i].code = (int)i;
	qsort(d->errs.v, d->errs.n, sizeof *d->errs.v, err_cmp);
	for (i = 0; out && i < d->errs.n; i++) {
		const struct sitrep_error *e = &d->errs.v[i];
		errlist_add(out, SITREP_EXIT_PLAN, e->path, e->line, e->col, "%s", e->msg);
	}
	if (d->overflow && out)
		errlist_add(out, SITREP_EXIT_PLAN, d->path, 0, 0,
			    _("too many errors, stopped after %d"), YDOC_MAX_ERRORS);
	errlist_release(&d->errs);
	d->overflow = 0;
}

/* ------------------------------------------------------------------ */
/* Positions                                                           */

/* Bytes of the line break at buf[i] as YAML counts them (LF, CR LF, a lone
 * CR, NEL, LS, PS), 0 when there is none. */
static size_t break_at(const char *buf, size_t len, size_t i)
{
	const unsigned char *s = (const unsigned char *)buf + i;
	size_t left = len - i;
	if (s[0] == '\n')
		return 1;
	if (s[0] == '\r')
		return left > 1 && s[1] == '\n' ? 2 : 1;
	if (left > 1 && s[0] == 0xc2 && s[1] == 0x85)
		return 2;
	if (left > 2 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9))
		return 3;
	return 0;
}

/* Move (line, col) from byte `from` to byte `to`. */
static void advance(const char *buf, size_t len, size_t from, size_t to, int *line, int *col)
{
	size_t i = from;
	while (i < to && i < len) {
		size_t br = break_at(buf, len, i);
		if (br) {
			(*line)++;
			*col = 1;
			i += br;
			continue;
		}
		if (((unsigned char)buf[i] & 0xc0) != 0x80)
			(*col)++;
		i++;
	}
}

void ydoc_offset_pos(const char *buf, size_t len, size_t off, int *line, int *col)
{
	size_t start = len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3) ? 3 : 0;
	*line = 1;
	*col = 1;
	advance(buf, len, start, off > len ? len : off, line, col);
}

/* The text is found again in the scalar's source: the k-th occurrence in
 * the value is the k-th in the source, since plain, single-quoted and block
 * scalars write every character of a line as it is (folding and indentation
 * only touch line breaks and leading spaces). When escapes make the two
 * differ, the count misses and the scalar's start is the answer. */
/* The first occurrence of needle[0..len) in s[from..end) that starts
 * before `before`; end when there is none. memchr hops to the candidates,
 * which keeps a hostile text full of braces linear enough. */
static size_t find_from(const char *s, size_t from, size_t end, size_t before,
			const char *needle, size_t len)
{
	while (from + len <= end && from < before) {
		const char *p = memchr(s + from, needle[0], end - from - len + 1);
		if (!p)
			break;
		from = (size_t)(p - s);
		if (from >= before)
			break;
		if (!memcmp(p, needle, len))
			return from;
		from++;
	}
	return end;
}

void ydoc_locate(struct ydoc *d, const struct ynode *n, size_t off, size_t len,
		 int *line, int *col)
{
	const char *needle;
	size_t k = 0, i, from, end;
	*line = n->line;
	*col = n->col;
	if (n->type != Y_SCALAR || !len || off + len > n->len || n->src_end > d->len ||
	    n->src > n->src_end)
		return;
	needle = n->s + off;
	for (i = find_from(n->s, 0, n->len, off, needle, len); i < off;
	     i = find_from(n->s, i + 1, n->len, off, needle, len))
		k++;
	from = n->src;
	end = n->src_end;
	if (n->style == YS_LITERAL || n->style == YS_FOLDED) {
		/* the header line ("| # a comment") is not the value */
		while (from < end && !break_at(d->buf, d->len, from))
			from++;
	}
	for (i = find_from(d->buf, from, end, end, needle, len); i < end;
	     i = find_from(d->buf, i + 1, end, end, needle, len)) {
		if (k-- != 0)
			continue;
		if (d->last.node == n && d->last.byte <= i) {
			*line = d->last.line;
			*col = d->last.col;
			advance(d->buf, d->len, d->last.byte, i, line, col);
		} else {
			advance(d->buf, d->len, n->src, i, line, col);
		}
		d->last.node = n;
		d->last.byte = i;
		d->last.line = *line;
		d->last.col = *col;
		return;
	}
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

int y_is_null(const struct ynode *n)
{
	return n->type == Y_SCALAR && n->style == YS_PLAIN &&
	       (!n->s[0] || !strcmp(n->s, "~") || !strcmp(n->s, "null") ||
		!strcmp(n->s, "Null") || !strcmp(n->s, "NULL"));
}

const char *y_type_name(const struct ynode *n)
{
	switch (n->type) {
	case Y_SEQ: return _("a list");
	case Y_MAP: return _("a mapping");
	case Y_SCALAR: return y_is_null(n) ? _("nothing") : _("a string");
	default: return _("an alias");
	}
}

int y_valid_id(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!*p)
		return 0;
	for (; *p; p++)
		if (!isalnum(*p) && *p != '_' && *p != '-' && *p != '.')
			return 0;
	return 1;
}

int y_parse_number(const char *s, double *out)
{
	char *end;
	const char *p;
	if (!*s)
		return -1;
	for (p = s; *p; p++)
		if (!strchr("0123456789+-.eE", *p))
			return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (*end || errno == ERANGE || !isfinite(*out))
		return -1;
	return 0;
}

const char *y_suggest(const char *word, const char *const *cands, size_t n)
{
	size_t i, wl = strlen(word);
	const char *best = NULL;
	int bestd = 0, lim = (int)(wl / 3);
	if (lim < 2)
		lim = 2;
	for (i = 0; i < n; i++) {
		int dist;
		if (!cands[i])
			continue;
		dist = str_distance(word, cands[i]);
		if (dist <= lim && (size_t)dist < wl && (!best || dist < bestd)) {
			best = cands[i];
			bestd = dist;
		}
	}
	return best;
}

const struct ynode *y_get(const struct ydoc *d, const struct ynode *m, const char *key)
{
	size_t i;
	if (!m || m->type != Y_MAP)
		return NULL;
	for (i = 0; i + 1 < m->nkid; i += 2) {
		const struct ynode *k = ydoc_kid(d, m, i);
		if (k->type == Y_SCALAR && !k->dup && !strcmp(k->s, key))
			return ydoc_kid(d, m, i + 1);
	}
	return NULL;
}

const struct ynode *y_opt_map(struct ydoc *d, const struct ynode *m, const char *key,
			      const char *what)
{
	const struct ynode *v = y_get(d, m, key);
	if (!v || y_is_null(v) || v->type == Y_BAD)
		return NULL;
	if (v->type != Y_MAP) {
		ydoc_err(d, v, "expected a mapping of %s for '%s', found %s", _(what), key,
			 y_type_name(v));
		return NULL;
	}
	return v;
}

void y_check_keys(struct ydoc *d, const struct ynode *m, const char *what,
		  const char *const *allowed)
{
	size_t i, na = 0;
	while (allowed[na])
		na++;
	for (i = 0; i + 1 < m->nkid; i += 2) {
		const struct ynode *k = ydoc_kid(d, m, i);
		const char *s;
		size_t j;
		if (k->type != Y_SCALAR || k->dup)
			continue;
		for (j = 0; j < na; j++)
			if (!strcmp(k->s, allowed[j]))
				break;
		if (j < na)
			continue;
		s = y_suggest(k->s, allowed, na);
		if (s)
			ydoc_err(d, k, "unknown key '%s' in %s (did you mean '%s'?)", k->s, what, s);
		else
			ydoc_err(d, k, "unknown key '%s' in %s", k->s, what);
	}
}

int y_missing(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	      int required)
{
	if (!required)
		return Y_NONE;
	ydoc_err(d, m, "missing key '%s' in %s", key, what);
	return Y_ERR;
}

int y_scalar(struct ydoc *d, const struct ynode *v, const char *key, const char **out)
{
	if (v->type == Y_BAD)
		return Y_ERR;
	if (v->type != Y_SCALAR) {
		ydoc_err(d, v, "expected a string for '%s', found %s", key, y_type_name(v));
		return Y_ERR;
	}
	if (y_is_null(v))
		return Y_NONE;
	*out = v->s;
	return Y_GOT;
}

int y_str(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	  int required, char **out)
{
	const struct ynode *v = y_get(d, m, key);
	const char *s;
	int r;
	if (!v)
		return y_missing(d, m, key, what, required);
	r = y_scalar(d, v, key, &s);
	if (r == Y_NONE && required) {
		ydoc_err(d, v, "missing value for '%s' in %s", key, what);
		return Y_ERR;
	}
	if (r == Y_GOT)
		*out = xstrdup(s);
	return r;
}

int y_id(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	 int required, char **out)
{
	char *s = NULL;
	int r = y_str(d, m, key, what, required, &s);
	if (r != Y_GOT)
		return r;
	if (!y_valid_id(s)) {
		ydoc_err(d, y_get(d, m, key),
			 "invalid %s '%s': use ASCII letters, digits, '_', '-' or '.'", key, s);
		free(s);
		return Y_ERR;
	}
	*out = s;
	return Y_GOT;
}

static int node_number(struct ydoc *d, const struct ynode *v, const char *key, double *out)
{
	const char *s;
	int r = y_scalar(d, v, key, &s);
	if (r == Y_NONE) {
		ydoc_err(d, v, "expected a number for '%s', found nothing", key);
		return Y_ERR;
	}
	if (r != Y_GOT)
		return r;
	if (y_parse_number(s, out)) {
		ydoc_err(d, v, "expected a number for '%s', found '%s'", key, s);
		return Y_ERR;
	}
	return Y_GOT;
}

int y_num(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	  int required, double *out)
{
	const struct ynode *v = y_get(d, m, key);
	if (!v || y_is_null(v))
		return y_missing(d, m, key, what, required);
	return node_number(d, v, key, out);
}

int y_int(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	  int required, int64_t *out)
{
	double x;
	int r = y_num(d, m, key, what, required, &x);
	if (r != Y_GOT)
		return r;
	/* in range first, so that the cast is defined */
	if (fabs(x) > 1e15 || x != (double)(int64_t)x) {
		ydoc_err(d, y_get(d, m, key), "expected a whole number for '%s', found '%s'", key,
			 y_get(d, m, key)->s);
		return Y_ERR;
	}
	*out = (int64_t)x;
	return Y_GOT;
}

static int node_dur(struct ydoc *d, const struct ynode *v, const char *key, int64_t *out)
{
	const char *s;
	int64_t ignored;
	int r = y_scalar(d, v, key, &s);
	if (r == Y_NONE) {
		ydoc_err(d, v, "expected a duration for '%s', found nothing", key);
		return Y_ERR;
	}
	if (r != Y_GOT)
		return r;
	if (!strcmp(s, "0")) {
		*out = 0;
		return Y_GOT;
	}
	if (s[0] == '-' && !dur_parse(s + 1, &ignored)) {
		ydoc_err(d, v, "negative duration '%s' for '%s'", s, key);
		return Y_ERR;
	}
	if (dur_parse(s, out)) {
		ydoc_err(d, v, "expected a duration like 30s, 5m, 2h or 3d for '%s', found '%s'",
			 key, s);
		return Y_ERR;
	}
	return Y_GOT;
}

int y_dur(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	  int required, int64_t *out)
{
	const struct ynode *v = y_get(d, m, key);
	if (!v || y_is_null(v))
		return y_missing(d, m, key, what, required);
	return node_dur(d, v, key, out);
}

int y_bool(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	   int required, int *out)
{
	const struct ynode *v = y_get(d, m, key);
	const char *s;
	int r;
	if (!v)
		return y_missing(d, m, key, what, required);
	r = y_scalar(d, v, key, &s);
	if (r == Y_NONE) {
		ydoc_err(d, v, "expected true or false for '%s', found nothing", key);
		return Y_ERR;
	}
	if (r != Y_GOT)
		return r;
	if (!strcmp(s, "true") || !strcmp(s, "false")) {
		*out = s[0] == 't';
		return Y_GOT;
	}
	ydoc_err(d, v, "expected true or false for '%s', found '%s'", key, s);
	return Y_ERR;
}

/* ------------------------------------------------------------------ */
/* Texts in several languages                                          */

/* "en", "zh", "zh_CN": a language, and a territory when it matters. */
static int lang_key_ok(const char *s)
{
	size_t n = 0;
	while (s[n] >= 'a' && s[n] <= 'z')
		n++;
	if (n < 2 || n > 3)
		return 0;
	if (!s[n])
		return 1;
	return s[n] == '_' && isupper((unsigned char)s[n + 1]) &&
	       isupper((unsigned char)s[n + 2]) && !s[n + 3];
}

/* Length of the language part: "zh_CN" -> 2. */
static size_t lang_base(const char *s)
{
	return strcspn(s, "_.@");
}

/* How well key fits the wanted language: 3 exact, 2 the bare language
 * ("zh" for zh_CN), 1 the same language elsewhere ("zh_TW"), 0 none. */
static int lang_fit(const char *want, const char *key)
{
	size_t bw = lang_base(want), bk = lang_base(key);
	if (!strcmp(want, key))
		return 3;
	if (bw != bk || strncmp(want, key, bw) != 0)
		return 0;
	return key[bk] ? 1 : 2;
}

int y_text_pick(struct ydoc *d, const struct ynode *v, const char *key,
		const struct ynode **chosen)
{
	size_t i;
	int best = -1, ok = 1;
	if (!v || v->type == Y_BAD)
		return v ? Y_ERR : Y_NONE;
	if (v->type == Y_SCALAR) {
		if (y_is_null(v))
			return Y_NONE;
		*chosen = v;
		return Y_GOT;
	}
	if (v->type != Y_MAP) {
		ydoc_err(d, v, "expected a string for '%s', found %s", key, y_type_name(v));
		return Y_ERR;
	}
	*chosen = NULL;
	for (i = 0; i + 1 < v->nkid; i += 2) {
		const struct ynode *k = ydoc_kid(d, v, i), *t = ydoc_kid(d, v, i + 1);
		int fit;
		if (k->type != Y_SCALAR || k->dup) {
			ok = 0;
			continue;
		}
		if (!lang_key_ok(k->s)) {
			ydoc_err(d, k, "invalid language '%s' in '%s': write it like 'en', 'zh' or 'zh_CN'",
				 k->s, key);
			ok = 0;
			continue;
		}
		if (t->type == Y_BAD || t->type != Y_SCALAR || y_is_null(t)) {
			if (t->type != Y_BAD)
				ydoc_err(d, t, "expected a string for '%s' in '%s', found %s", k->s,
					 key, y_type_name(t));
			ok = 0;
			continue;
		}
		fit = lang_fit(d->lang, k->s);
		if (fit > best) {
			best = fit;
			*chosen = t;
		}
	}
	if (v->nkid == 0) {
		ydoc_err(d, v, "expected at least one language in '%s', found an empty mapping",
			 key);
		return Y_ERR;
	}
	return ok && *chosen ? Y_GOT : Y_ERR;
}

int y_text(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	   int required, char **out)
{
	const struct ynode *v = y_get(d, m, key), *t = NULL;
	int r;
	if (!v)
		return y_missing(d, m, key, what, required);
	r = y_text_pick(d, v, key, &t);
	if (r == Y_NONE && required) {
		ydoc_err(d, v, "missing value for '%s' in %s", key, what);
		return Y_ERR;
	}
	if (r == Y_GOT)
		*out = xstrdup(t->s);
	return r;
}

int y_texts(struct ydoc *d, const struct ynode *m, const char *key, char ***out, size_t *n)
{
	const struct ynode *v = y_get(d, m, key), *t = NULL;
	char **arr;
	size_t i, got = 0;
	int bad = 0;
	if (!v || y_is_null(v))
		return Y_NONE;
	if (v->type != Y_SEQ) {
		if (v->type == Y_SCALAR || v->type == Y_MAP) {
			if (y_text_pick(d, v, key, &t) != Y_GOT)
				return Y_ERR;
			*out = xcalloc(1, sizeof **out);
			(*out)[0] = xstrdup(t->s);
			*n = 1;
			return Y_GOT;
		}
		return Y_ERR; /* an alias, reported */
	}
	if (!v->nkid)
		return Y_NONE;
	arr = xcalloc(v->nkid, sizeof *arr);
	for (i = 0; i < v->nkid; i++) {
		const struct ynode *k = ydoc_kid(d, v, i);
		if (k->type == Y_SEQ || (k->type == Y_SCALAR && y_is_null(k))) {
			ydoc_err(d, k, "expected a string in '%s', found %s", key, y_type_name(k));
			bad = 1;
		} else if (y_text_pick(d, k, key, &t) == Y_GOT) {
			arr[got++] = xstrdup(t->s);
		} else {
			bad = 1;
		}
	}
	if (bad || !got) {
		y_strv_free(arr, got);
		return Y_ERR;
	}
	*out = arr;
	*n = got;
	return Y_GOT;
}

int y_text_is(const struct ydoc *d, const struct ynode *v, const char *s)
{
	size_t i;
	if (v && v->type == Y_SCALAR)
		return !strcmp(v->s, s);
	if (!v || v->type != Y_MAP || !v->nkid)
		return 0;
	for (i = 1; i < v->nkid; i += 2) {
		const struct ynode *t = ydoc_kid(d, v, i);
		if (t->type != Y_SCALAR || strcmp(t->s, s) != 0)
			return 0;
	}
	return 1;
}

/* ------------------------------------------------------------------ */
/* Lists                                                               */

long y_items(struct ydoc *d, const struct ynode *v, const char *key, struct yitems *it)
{
	size_t i;
	memset(it, 0, sizeof *it);
	it->d = d;
	if (!v || y_is_null(v))
		return 0;
	if (v->type == Y_BAD)
		return -1;
	if (v->type == Y_SCALAR) {
		it->one = v;
		it->n = 1;
		return 1;
	}
	if (v->type != Y_SEQ) {
		ydoc_err(d, v, "expected a string or a list of strings for '%s', found %s", key,
			 y_type_name(v));
		return -1;
	}
	for (i = 0; i < v->nkid; i++) {
		const struct ynode *k = ydoc_kid(d, v, i);
		if (k->type == Y_BAD)
			return -1;
		if (k->type != Y_SCALAR || y_is_null(k)) {
			ydoc_err(d, k, "expected a string in '%s', found %s", key, y_type_name(k));
			return -1;
		}
	}
	it->kid = v->kid;
	it->n = v->nkid;
	return (long)v->nkid;
}

const struct ynode *y_item(const struct yitems *it, size_t i)
{
	return it->one ? it->one : &it->d->nodes[it->kid[i]];
}

int y_idlist(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	     char ***out, size_t *n)
{
	struct yitems it;
	long c = y_items(d, y_get(d, m, key), key, &it), i;
	int r = Y_GOT;
	if (c <= 0)
		return c < 0 ? Y_ERR : Y_NONE;
	for (i = 0; i < c; i++) {
		const struct ynode *k = y_item(&it, (size_t)i);
		if (!y_valid_id(k->s)) {
			ydoc_err(d, k, "invalid %s '%s': use ASCII letters, digits, '_', '-' or '.'",
				 what, k->s);
			r = Y_ERR;
		}
	}
	if (r != Y_GOT)
		return r;
	*out = xcalloc((size_t)c, sizeof **out);
	for (i = 0; i < c; i++)
		(*out)[i] = xstrdup(y_item(&it, (size_t)i)->s);
	*n = (size_t)c;
	return Y_GOT;
}

long y_section(struct ydoc *d, const struct ynode *m, const char *key, const char *what,
	       size_t max, const struct ynode ***out)
{
	const struct ynode *v = y_get(d, m, key);
	const struct ynode **arr;
	size_t i, n = 0;
	*out = NULL;
	if (!v || y_is_null(v))
		return 0;
	if (v->type == Y_BAD)
		return -1;
	if (v->type != Y_SEQ) {
		ydoc_err(d, v, "expected a list of %ss for '%s', found %s", what, key, y_type_name(v));
		return -1;
	}
	if (v->nkid > max) {
		ydoc_err(d, ydoc_kid(d, v, max), "too many entries in '%s' (at most %zu)", key, max);
		return -1;
	}
	if (!v->nkid)
		return 0;
	arr = xcalloc(v->nkid, sizeof *arr);
	for (i = 0; i < v->nkid; i++) {
		const struct ynode *k = ydoc_kid(d, v, i);
		if (k->type == Y_BAD)
			continue;
		if (k->type != Y_MAP) {
			ydoc_err(d, k, "expected a mapping for each entry of '%s', found %s", key,
				 y_type_name(k));
			continue;
		}
		arr[n++] = k;
	}
	if (!n) {
		free(arr);
		arr = NULL;
	}
	*out = arr;
	return (long)n;
}

void y_strv_free(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ------------------------------------------------------------------ */
/* The tree frozen: a parsed document kept in binary, so that a plan
 * already parsed once is not parsed by libyaml again (plan_freeze).
 * Little-endian fixed-width integers; every read is bounds-checked, a
 * blob that does not decode exactly is refused (-1), never trusted. */

#define YFREEZE_MAGIC "sitrep-ydoc-2\n"

static void put_u64(struct strbuf *b, uint64_t v)
{
	unsigned char x[8];
	for (int i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	sb_add(b, x, 8);
}

int ydoc_freeze(const struct ydoc *d, struct strbuf *out)
{
	sb_add(out, YFREEZE_MAGIC, sizeof YFREEZE_MAGIC - 1);
	put_u64(out, (uint64_t)d->nnodes);
	put_u64(out, (uint64_t)(d->root < 0 ? UINT64_MAX : (uint64_t)d->root));
	for (size_t i = 0; i < d->nnodes; i++) {
		const struct ynode *n = &d->nodes[i];
		put_u64(out, (uint64_t)n->type);
		put_u64(out, (uint64_t)n->line);
		put_u64(out, (uint64_t)n->col);
		put_u64(out, (uint64_t)n->style);
		put_u64(out, (uint64_t)n->src);
		put_u64(out, (uint64_t)n->src_end);
		put_u64(out, (uint64_t)n->dup);
		put_u64(out, (uint64_t)(n->s ? n->len : UINT64_MAX));
		if (n->s)
			sb_add(out, n->s, n->len + 1); /* with its NUL: thawed, it is used in place */
		put_u64(out, (uint64_t)n->nkid);
		for (size_t k = 0; k < n->nkid; k++)
			put_u64(out, (uint64_t)n->kid[k]);
	}
	return 0;
}

struct thaw {
	const unsigned char *p, *end;
	int bad;
};

static uint64_t get_u64(struct thaw *t)
{
	const unsigned char *b = t->p;
	if (t->bad || t->end - b < 8) {
		t->bad = 1;
		return 0;
	}
	t->p += 8;
	/* written out, not looped: the compiler makes it one load (a loop
	 * was a fifth of a `sitrep log`'s instructions) */
	return (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 |
	       (uint64_t)b[3] << 24 | (uint64_t)b[4] << 32 | (uint64_t)b[5] << 40 |
	       (uint64_t)b[6] << 48 | (uint64_t)b[7] << 56;
}

int ydoc_thaw(struct ydoc *d, const void *blob, size_t len)
{
	struct thaw t = { blob, (const unsigned char *)blob + len, 0 };
	uint64_t n, root;
	size_t nkids = 0, akids;

	if (len < sizeof YFREEZE_MAGIC - 1 || memcmp(blob, YFREEZE_MAGIC, sizeof YFREEZE_MAGIC - 1))
		return -1;
	t.p += sizeof YFREEZE_MAGIC - 1;
	n = get_u64(&t);
	root = get_u64(&t);
	/* each node takes at least 9 words: a count past that is a lie */
	if (t.bad || n > (uint64_t)(t.end - t.p) / 72 || n > PLAN_MAX_NODES ||
	    (root != UINT64_MAX && root >= n))
		return -1;
	d->nodes = xcalloc(n ? (size_t)n : 1, sizeof *d->nodes);
	d->anodes = d->nnodes = (size_t)n;
	d->root = root == UINT64_MAX ? -1 : (long)root;
	/* every node but the root is some node's child: n - 1 children at most */
	akids = n ? (size_t)n : 1;
	d->thawed_kids = xcalloc(akids, sizeof *d->thawed_kids);
	for (size_t i = 0; i < d->nnodes && !t.bad; i++) {
		struct ynode *y = &d->nodes[i];
		uint64_t type = get_u64(&t), line = get_u64(&t), col = get_u64(&t),
			 style = get_u64(&t), src = get_u64(&t), src_end = get_u64(&t),
			 dup = get_u64(&t), slen = get_u64(&t), nkid;
		if (t.bad || type > Y_BAD || style > YS_FOLDED || line > INT_MAX || col > INT_MAX ||
		    dup > 1) {
			t.bad = 1;
			break;
		}
		y->type = (enum ytype)type;
		y->line = (int)line;
		y->col = (int)col;
		y->style = (enum ystyle)style;
		y->src = (size_t)src;
		y->src_end = (size_t)src_end;
		y->dup = (int)dup;
		if (slen != UINT64_MAX) {
			/* the text and its NUL, in place */
			if (slen >= (uint64_t)(t.end - t.p) || t.p[slen] != '\0' ||
			    memchr(t.p, '\0', (size_t)slen)) {
				t.bad = 1;
				break;
			}
			y->s = (char *)t.p;
			y->len = (size_t)slen;
			t.p += slen + 1;
		}
		nkid = get_u64(&t);
		if (t.bad || nkid > (uint64_t)(t.end - t.p) / 8 || nkid > akids - nkids) {
			t.bad = 1;
			break;
		}
		y->kid = d->thawed_kids + nkids;
		y->nkid = y->akid = (size_t)nkid;
		nkids += (size_t)nkid;
		for (size_t k = 0; k < y->nkid; k++) {
			uint64_t c = get_u64(&t);
			/* children come after their parent: no cycle can be built */
			if (c >= n || c <= i)
				t.bad = 1;
			y->kid[k] = (size_t)c;
		}
	}
	if (t.bad || t.p != t.end) {
		ydoc_release(d);
		return -1;
	}
	return 0;
}
