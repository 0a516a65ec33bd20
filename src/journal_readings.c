/* journal: the readings a payload holds, against the typed ones an entry
 * carries. A small scanner reads the payload's first `readings` member
 * (most payloads, a million in an import, at a fraction of a database JSON
 * parse); the database's own parser has the last word. journal_append
 * checks with it (strict), journal_verify too. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal_int.h"
#include "sitrep/text.h"
#include "sitrep/util.h"


/* Might this payload hold a `readings` member? Not when neither the word
 * nor an escape (which could spell it) occurs: then no JSON parse is
 * needed to know. */
static int may_hold_readings(const char *p, size_t n)
{
	if (memchr(p, '\\', n))
		return 1;
	for (const char *s = p; (s = memchr(s, 'r', n - (size_t)(s - p))) != NULL; s++)
		if (n - (size_t)(s - p) >= 8 && memcmp(s, "readings", 8) == 0)
			return 1;
	return 0;
}

struct agree {
	const struct journal_entry *e;
	unsigned char *used;     /* one flag per reading of e */
	size_t matched;
	int strict;              /* refuse what verify would merely skip */
	int bad;
	struct strbuf *why;
};

static int agree_member(void *ctx, const char *key, size_t key_len, int is_number, double value)
{
	struct agree *a = ctx;
	if (!key) {
		if (!a->strict)
			return 1; /* not an object: the entry has no readings there */
		sb_adds(a->why, "$.readings is not an object");
		a->bad = 1;
		return 1;
	}
	if (!is_number) {
		if (!a->strict)
			return 0;
		sb_adds(a->why, "the payload's reading '");
		sb_add(a->why, key, key_len);
		sb_adds(a->why, "' is not a number");
		a->bad = 1;
		return 1;
	}
	for (size_t i = 0; i < a->e->nreadings; i++) {
		const struct journal_reading *r = &a->e->readings[i];
		if (!a->used[i] && strlen(r->metric) == key_len &&
		    memcmp(r->metric, key, key_len) == 0 && r->value == value) {
			a->used[i] = 1;
			a->matched++;
			return 0;
		}
	}
	sb_adds(a->why, "the payload's reading '");
	sb_add(a->why, key, key_len);
	sb_addf(a->why, "' = %.17g is not among the entry's readings", value);
	a->bad = 1;
	return 1;
}

/* ---- a JSON scanner for the append path ----
 * Just enough JSON to walk the members of a payload's first top-level
 * `readings` member, in C: asking SQLite (json_each) costs more than the
 * INSERT of the entry, and a CSV import appends a million of them. Used
 * only on payloads without a backslash, where no key can be escaped, so
 * that a key is the bytes between its quotes; numbers are read by strtod
 * (correctly rounded, as the databases' own JSON parsers read them). It
 * returns -1 on anything it does not expect, and the database's parser
 * decides instead; a payload that is not valid JSON is refused by the
 * database when it is stored. */
struct scan {
	const char *p, *end;
};

static void sc_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int sc_is(struct scan *s, char c)
{
	sc_ws(s);
	if (s->p < s->end && *s->p == c) {
		s->p++;
		return 1;
	}
	return 0;
}

/* A string without escapes: its bytes are [*k, *k + *n). */
static int sc_string(struct scan *s, const char **k, size_t *n)
{
	sc_ws(s);
	if (s->p >= s->end || *s->p != '"')
		return -1;
	const char *q = memchr(s->p + 1, '"', (size_t)(s->end - s->p - 1));
	if (!q)
		return -1;
	for (const char *c = s->p + 1; c < q; c++)
		if ((unsigned char)*c < 0x20)
			return -1;
	*k = s->p + 1;
	*n = (size_t)(q - s->p - 1);
	s->p = q + 1;
	return 0;
}

static int sc_digits(struct scan *s)
{
	const char *b = s->p;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > b ? 0 : -1;
}

/* A number by the JSON grammar; -1 when the value is not one. */
static int sc_number(struct scan *s, double *v)
{
	sc_ws(s);
	const char *b = s->p;
	if (s->p < s->end && *s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0')
		s->p++;
	else if (sc_digits(s))
		return -1;
	if (s->p < s->end && *s->p == '.' && (s->p++, sc_digits(s)))
		return -1;
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (sc_digits(s))
			return -1;
	}
	char buf[64], *end;
	size_t n = (size_t)(s->p - b);
	if (n >= sizeof buf)
		return -1;
	memcpy(buf, b, n);
	buf[n] = '\0';
	/* A locale whose decimal point is not '.' stops strtod early: then
	 * the database's parser decides. */
	*v = strtod(buf, &end);
	return end == buf + n ? 0 : -1;
}

/* Skip one value (leniently: whether it is valid JSON is the database's
 * to say when the payload is stored). */
static int sc_skip(struct scan *s)
{
	const char *k;
	size_t n;
	sc_ws(s);
	if (s->p >= s->end)
		return -1;
	if (*s->p == '"')
		return sc_string(s, &k, &n);
	if (*s->p == '{' || *s->p == '[') {
		int depth = 0;
		while (s->p < s->end) {
			if (*s->p == '"') {
				if (sc_string(s, &k, &n))
					return -1;
				continue;
			}
			if (*s->p == '{' || *s->p == '[')
				depth++;
			else if ((*s->p == '}' || *s->p == ']') && --depth == 0) {
				s->p++;
				return 0;
			}
			s->p++;
		}
		return -1;
	}
	const char *b = s->p;
	while (s->p < s->end && !strchr(",}] \t\r\n", *s->p))
		s->p++;
	return s->p > b ? 0 : -1;
}

/* Call fn for each member of the payload's first top-level `readings`, as
 * the backend's payload_readings would. 0 done, -1 not understood. */
static int scan_readings(const char *payload, size_t len, journal_payload_reading_fn fn,
			 void *ctx)
{
	struct scan s = { payload, payload + len };
	const char *k;
	size_t n;
	if (!sc_is(&s, '{'))
		return -1;
	if (sc_is(&s, '}'))
		return 0;
	for (;;) {
		if (sc_string(&s, &k, &n) || !sc_is(&s, ':'))
			return -1;
		if (n == 8 && memcmp(k, "readings", 8) == 0)
			break;
		if (sc_skip(&s))
			return -1;
		if (sc_is(&s, ','))
			continue;
		return sc_is(&s, '}') ? 0 : -1;
	}
	if (!sc_is(&s, '{')) {
		fn(ctx, NULL, 0, 0, 0); /* `readings` is not an object */
		return 0;
	}
	if (sc_is(&s, '}'))
		return 0;
	for (;;) {
		double v;
		if (sc_string(&s, &k, &n) || !sc_is(&s, ':'))
			return -1;
		sc_ws(&s);
		struct scan at = s;
		if (sc_number(&s, &v) == 0) {
			if (fn(ctx, k, n, 1, v))
				return 0;
		} else {
			s = at;
			if (sc_skip(&s))
				return -1;
			if (fn(ctx, k, n, 0, 0))
				return 0;
		}
		if (sc_is(&s, ','))
			continue;
		return sc_is(&s, '}') ? 0 : -1;
	}
}

/* Do the entry's typed readings and its payload's `readings` (an object of
 * name -> number) hold the same readings? A refused entry holds none,
 * whatever its payload echoes. The payload is read by the scanner above
 * when it can; the database's own JSON parser has the last word when the
 * scanner cannot read it, and in verify (not strict) on any disagreement.
 * JOURNAL_CORRUPT with `why` when they differ. */
int journal_readings_agree(struct journal *j, const struct journal_entry *e, int strict,
			  struct strbuf *why, struct sitrep_error *err)
{
	size_t plen;
	const char *payload = journal_entry_payload(e, &plen);
	if (strcmp(e->kind, KIND_REFUSED) == 0 || !may_hold_readings(payload, plen)) {
		if (e->nreadings == 0)
			return JOURNAL_OK;
		sb_addf(why, "its reading '%s' is not in its payload", e->readings[0].metric);
		return JOURNAL_CORRUPT;
	}
	unsigned char small[64];
	struct agree a = { .e = e, .strict = strict, .why = why };
	int not_json = 0, rc = JOURNAL_OK;
	size_t why_len = why->len;
	a.used = e->nreadings <= sizeof small ? small : xmalloc(e->nreadings);
	memset(a.used, 0, e->nreadings);
	/* The scanner first; when it cannot read the payload, or (verify) when
	 * what it read disagrees, the database's parser decides, from a clean
	 * slate: an agreement read by strtod is exact, a disagreement is the
	 * database's to confirm. */
	int scanned = !memchr(payload, '\\', plen) &&
		      scan_readings(payload, plen, agree_member, &a) == 0;
	if (!scanned || (!strict && (a.bad || a.matched != e->nreadings))) {
		memset(a.used, 0, e->nreadings);
		a.matched = 0;
		a.bad = 0;
		why->len = why_len;
		why->buf[why_len] = '\0';
		rc = j->ops->payload_readings(j, payload, plen, agree_member, &a, &not_json, err);
	}
	if (rc == JOURNAL_OK && not_json) {
		sb_adds(why, "its payload is not JSON");
		a.bad = 1;
	} else if (rc == JOURNAL_OK && !a.bad && a.matched != e->nreadings) {
		for (size_t i = 0; i < e->nreadings; i++)
			if (!a.used[i]) {
				sb_addf(why, "its reading '%s' = %.17g is not in its payload",
					e->readings[i].metric, e->readings[i].value);
				break;
			}
		a.bad = 1;
	}
	if (a.used != small)
		free(a.used);
	if (rc)
		return rc;
	return a.bad ? JOURNAL_CORRUPT : JOURNAL_OK;
}

