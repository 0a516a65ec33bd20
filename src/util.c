#include "sitrep/util.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <sodium.h>

static void die_oom(size_t n)
{
	fprintf(stderr, "sitrep: out of memory (%zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die_oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	char *p;
	size_t len = 0;
	if (!s)
		return NULL;
	while (len < n && s[len])
		len++;
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void *xgrow(void *arr, size_t size, size_t need, size_t *alloc)
{
	size_t n;
	if (need <= *alloc && arr)
		return arr;
	n = *alloc ? *alloc : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			die_oom(SIZE_MAX);
		n *= 2;
	}
	arr = xrealloc(arr, n * size);
	*alloc = n;
	return arr;
}

/* --- strbuf --- */

static char sb_empty[1];

void sb_init(struct strbuf *sb)
{
	sb->buf = sb_empty;
	sb->len = 0;
	sb->alloc = 0;
}

void sb_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

static void sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->alloc && sb->alloc)
		return;
	if (!sb->alloc) {
		size_t n = need < 64 ? 64 : need;
		sb->buf = xmalloc(n);
		sb->alloc = n;
		sb->buf[0] = '\0';
		sb->len = 0;
		if (n >= need)
			return;
	}
	{
		size_t n = sb->alloc;
		while (n < need)
			n *= 2;
		sb->buf = xrealloc(sb->buf, n);
		sb->alloc = n;
	}
}

char *sb_detach(struct strbuf *sb)
{
	char *p;
	if (!sb->alloc)
		sb_grow(sb, 0);
	p = sb->buf;
	sb_init(sb);
	return p;
}

void sb_add(struct strbuf *sb, const void *data, size_t len)
{
	if (!sb->buf)
		sb_init(sb);
	sb_grow(sb, len);
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
	if (s)
		sb_add(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	if (!sb->buf)
		sb_init(sb);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	sb_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

/* --- arena --- */

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];       /* size bytes */
};

#define ARENA_BLOCK 8192

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t align = sizeof(max_align_t), need = (n + align - 1) / align * align;
	void *p;
	if (!need)
		need = align;
	if (!b || b->size - b->used < need) {
		size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		b = xmalloc(sizeof(*b) + size);
		b->used = 0;
		b->size = size;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += need;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d;
	if (!s)
		return NULL;
	d = arena_alloc(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	char *d;
	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	d = arena_strndup(a, sb.buf, sb.len);
	sb_release(&sb);
	return d;
}

void arena_release(struct arena *a)
{
	while (a->head) {
		struct arena_block *b = a->head;
		a->head = b->next;
		free(b);
	}
}

/* --- durations --- */

int dur_parse(const char *s, int64_t *out)
{
	int64_t total = 0;
	int any = 0;
	if (!s || !*s)
		return -1;
	while (*s) {
		int64_t v = 0, mul;
		int digits = 0;
		while (*s >= '0' && *s <= '9') {
			if (v > (INT64_MAX - 9) / 10)
				return -1;
			v = v * 10 + (*s - '0');
			s++;
			digits++;
		}
		if (!digits)
			return -1;
		switch (*s) {
		case 's': mul = 1; break;
		case 'm': mul = 60; break;
		case 'h': mul = 3600; break;
		case 'd': mul = 86400; break;
		case 'w': mul = 7 * 86400; break;
		default: return -1;
		}
		s++;
		if (v > DUR_MAX / mul || total + v * mul > DUR_MAX)
			return -1;
		total += v * mul;
		any = 1;
	}
	if (!any)
		return -1;
	*out = total;
	return 0;
}

char *dur_format_units(int64_t secs, const char *const units[4], char *buf, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	long long part[4];
	sb_init(&sb);
	if (secs < 0) {
		sb_addc(&sb, '-');
		secs = -secs;
	}
	part[0] = secs / 86400;
	part[1] = secs % 86400 / 3600;
	part[2] = secs % 3600 / 60;
	part[3] = secs % 60;
	for (int i = 0; i < 4; i++)
		if (part[i] || (i == 3 && !secs))
			sb_addf(&sb, units[i], part[i]);
	snprintf(buf, size, "%s", sb.buf);
	sb_release(&sb);
	return buf;
}

char *dur_format(int64_t secs, char *buf, size_t size)
{
	static const char *const units[4] = { "%lldd", "%lldh", "%lldm", "%llds" };
	return dur_format_units(secs, units, buf, size);
}

char *dur_clock(int64_t secs, char *buf, size_t size)
{
	const char *sign = "";
	uint64_t u, d, h, m, s;
	if (secs < 0) {
		sign = "-";
		u = (uint64_t)(-(secs + 1)) + 1; /* INT64_MIN too */
	} else {
		u = (uint64_t)secs;
	}
	d = u / 86400;
	h = u % 86400 / 3600;
	m = u % 3600 / 60;
	s = u % 60;
	if (d)
		snprintf(buf, size, "%s%" PRIu64 "d %02" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			 sign, d, h, m, s);
	else
		snprintf(buf, size, "%s%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64, sign, h, m, s);
	return buf;
}

/* --- times --- */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Whether Y-M-D is a day of the calendar: no rolling over, February 30th
 * is not March 2nd. */
static int civil_day_ok(int64_t y, int m, int d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] + (m == 2 && leap);
}

static int parse_digits(const char **s, int n, int *out)
{
	int v = 0, i;
	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return 0;
}

int time_parse(const char *s, int64_t now, int64_t *out)
{
	int Y, M, D, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
	int has_off = 0, sign = 1;
	const char *p = s;
	int64_t t;
	if (!s)
		return -1;
	if (!strcmp(s, "now")) {
		*out = now;
		return 0;
	}
	if (parse_digits(&p, 4, &Y) || *p++ != '-' || parse_digits(&p, 2, &M) ||
	    *p++ != '-' || parse_digits(&p, 2, &D))
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (parse_digits(&p, 2, &h) || *p++ != ':' || parse_digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (parse_digits(&p, 2, &sec))
				return -1;
			if (*p == '.') { /* fractions are dropped */
				p++;
				while (*p >= '0' && *p <= '9')
					p++;
			}
		}
	}
	if (*p == 'Z' || *p == 'z') {
		has_off = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		p++;
		has_off = 1;
		if (parse_digits(&p, 2, &oh))
			return -1;
		if (*p == ':')
			p++;
		if (*p && parse_digits(&p, 2, &om))
			return -1;
		if (oh > 23 || om > 59)
			return -1;
	}
	if (*p)
		return -1;
	if (!civil_day_ok(Y, M, D) || h > 23 || mi > 59 || sec > 60)
		return -1;
	if (has_off) {
		t = days_from_civil(Y, M, D) * 86400 + h * 3600 + mi * 60 + sec;
		t -= sign * (oh * 3600 + om * 60);
	} else {
		struct tm tm;
		time_t tt;
		memset(&tm, 0, sizeof tm);
		tm.tm_year = Y - 1900;
		tm.tm_mon = M - 1;
		tm.tm_mday = D;
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = sec;
		tm.tm_isdst = -1;
		tt = mktime(&tm);
		if (tt == (time_t)-1)
			return -1;
		t = (int64_t)tt;
	}
	*out = t;
	return 0;
}

int date_parse_utc(const char *s, int64_t *out)
{
	const char *p = s;
	int y, m, d;
	if (parse_digits(&p, 4, &y) || *p++ != '-' || parse_digits(&p, 2, &m) ||
	    *p++ != '-' || parse_digits(&p, 2, &d) || *p)
		return -1;
	if (y < 1970 || !civil_day_ok(y, m, d))
		return -2;
	*out = days_from_civil(y, m, d) * 86400;
	return 0;
}

char *time_format_utc(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, size, "@%" PRId64, t);
	return buf;
}

char *time_format_local(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm) || !strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, size, "@%" PRId64, t);
	return buf;
}

int str_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int *prev, *cur, r;
	prev = xmalloc((lb + 1) * sizeof *prev);
	cur = xmalloc((lb + 1) * sizeof *cur);
	for (j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (i = 1; i <= la; i++) {
		int *t;
		cur[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			int v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			cur[j] = v;
		}
		t = prev;
		prev = cur;
		cur = t;
	}
	r = prev[lb];
	free(prev);
	free(cur);
	return r;
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	static const char hex[] = "0123456789abcdef";
	size_t i;
	/* sodium_init is idempotent and only needed for the random generator,
	 * but it is cheap and keeps libsodium's contract. */
	if (sodium_init() < 0) {
		fprintf(stderr, "sitrep: libsodium failed to initialise\n");
		abort();
	}
	crypto_hash_sha256(h, (const unsigned char *)data, (unsigned long long)len);
	for (i = 0; i < sizeof h; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[64] = '\0';
}

/* --- errors --- */

void errlist_init(struct error_list *el)
{
	el->v = NULL;
	el->n = 0;
	el->alloc = 0;
}

void errlist_release(struct error_list *el)
{
	size_t i;
	for (i = 0; i < el->n; i++)
		err_release(&el->v[i]);
	free(el->v);
	errlist_init(el);
}

void err_init(struct sitrep_error *e)
{
	memset(e, 0, sizeof *e);
}

int err_vset(struct sitrep_error *e, int code, const char *path, int line, int col,
	     const char *rule, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	if (!e)
		return code;
	err_release(e);
	e->code = code;
	e->path = xstrdup(path);
	e->line = line;
	e->col = col;
	e->rule = xstrdup(rule);
	sb_init(&sb);
	sb_vaddf(&sb, fmt, ap);
	e->msg = sb_detach(&sb);
	return code;
}

int err_set(struct sitrep_error *e, int code, const char *path, int line, int col,
	    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(e, code, path, line, col, NULL, fmt, ap);
	va_end(ap);
	return code;
}

int err_refuse(struct sitrep_error *e, const char *rule, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(e, SITREP_EXIT_REFUSED, NULL, 0, 0, rule, fmt, ap);
	va_end(ap);
	return SITREP_EXIT_REFUSED;
}

void err_copy(struct sitrep_error *dst, const struct sitrep_error *src)
{
	if (!dst || dst == src)
		return;
	err_release(dst);
	dst->code = src->code;
	dst->path = xstrdup(src->path);
	dst->line = src->line;
	dst->col = src->col;
	dst->rule = xstrdup(src->rule);
	dst->msg = xstrdup(src->msg);
}

void errlist_add(struct error_list *el, int code, const char *path, int line, int col,
		 const char *fmt, ...)
{
	struct sitrep_error *e;
	va_list ap;
	el->v = xgrow(el->v, sizeof *el->v, el->n + 1, &el->alloc);
	e = &el->v[el->n++];
	memset(e, 0, sizeof *e);
	va_start(ap, fmt);
	err_vset(e, code, path, line, col, NULL, fmt, ap);
	va_end(ap);
}

void err_release(struct sitrep_error *e)
{
	if (!e)
		return;
	free(e->path);
	free(e->rule);
	free(e->msg);
	memset(e, 0, sizeof *e);
}

void err_format(const struct sitrep_error *e, struct strbuf *out)
{
	const char *msg = e->msg ? e->msg : "unknown error";
	if (e->path && e->line)
		sb_addf(out, "%s:%d:%d: %s", e->path, e->line, e->col, msg);
	else if (e->path)
		sb_addf(out, "%s: %s", e->path, msg);
	else
		sb_adds(out, msg);
}

void errlist_format(const struct error_list *el, struct strbuf *out)
{
	size_t i;
	for (i = 0; i < el->n; i++) {
		err_format(&el->v[i], out);
		sb_addc(out, '\n');
	}
}

void errlist_join(const struct error_list *el, struct strbuf *out)
{
	errlist_format(el, out);
	while (out->len && out->buf[out->len - 1] == '\n')
		out->buf[--out->len] = '\0';
}

/* ------------------------------------------------------------------ */
/* Numbers as "%.15g": when v is the double nearest n / 10^d (|n| < 10^15,
 * d minimal), rounding v to 15 significant digits gives n / 10^d itself
 * (v is within half an ulp, 1.1e-16 of it, far inside half a unit of the
 * fifteenth digit), and %g writes its digits with the point d places from
 * the right, no trailing zeros. Anything else (-0, infinities, NaN, tiny
 * or huge values, binary fractions with more digits) goes to snprintf. */
size_t num_g15(double v, char out[NUM_G15_MAX])
{
	static const double p10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	int n;
	if (isfinite(v) && ((v == 0 && !signbit(v)) || (fabs(v) >= 1e-4 && fabs(v) < 1e15))) {
		for (int d = 0; d < (int)(sizeof p10 / sizeof p10[0]); d++) {
			double s = v * p10[d];
			long long m;
			unsigned long long u;
			char digits[24];
			int nd = 0, len = 0;
			if (fabs(s) >= 1e15)
				break;
			m = (long long)(s < 0 ? s - 0.5 : s + 0.5); /* the nearest integer */
			if ((double)m / p10[d] != v)
				continue;
			u = m < 0 ? (unsigned long long)-m : (unsigned long long)m;
			do
				digits[nd++] = (char)('0' + u % 10);
			while ((u /= 10) != 0);
			while (nd <= d) /* 0.05: a leading zero and the fraction's */
				digits[nd++] = '0';
			if (m < 0)
				out[len++] = '-';
			for (int i = nd - 1; i >= 0; i--) {
				out[len++] = digits[i];
				if (i == d && d > 0)
					out[len++] = '.';
			}
			out[len] = '\0';
			return (size_t)len;
		}
	}
	n = snprintf(out, NUM_G15_MAX, "%.15g", v);
	return n > 0 ? (size_t)n : 0;
}
