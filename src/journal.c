/* journal: the append-only store, the part every backend shares: the
 * public functions, their argument checks, the canonical encoding and the
 * hashes, the chain rules, the head cached inside a write transaction, the
 * snapshot hashes and what verify checks. Storage goes through the
 * backend's ops table (src/journal_int.h): src/journal_sqlite.c and
 * src/journal_pg.c. The format is specified in docs/journal-format.md: keep
 * the two in step. */

#include "sitrep/journal.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>

#include "journal_int.h"
#include "sitrep/text.h"
#include "sitrep/util.h"

#define SCHEMA_VERSION 3
#define ENTRY_TAG "sitrep-entry-v1"
#define INCIDENT_TAG "sitrep-incident-v1"
#define SNAPSHOT_TAG "sitrep-snapshot-v1"
/* The kind of an entry that records a refusal: it carries no readings,
 * whatever its payload echoes of the request. */
#define KIND_REFUSED "refused"

/* ---------- errors ---------- */

int journal_exit_code(int rc)
{
	switch (rc) {
	case JOURNAL_OK: return SITREP_EXIT_OK;
	case JOURNAL_NOTFOUND: return SITREP_EXIT_USAGE;
	case JOURNAL_CORRUPT: return SITREP_EXIT_INTEGRITY;
	default: return SITREP_EXIT_STORAGE;
	}
}

int journal_fail(struct sitrep_error *err, int rc, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	if (!err)
		return rc;
	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	err_set(err, journal_exit_code(rc), NULL, 0, 0, "%s", sb.buf);
	sb_release(&sb);
	return rc;
}

void journal_errno_text(int e, char *buf, size_t size)
{
	snprintf(buf, size, "%s", strerror(e));
	/* "No such file or directory" -> "no such file ...", but keep "I/O". */
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
}

/* ---------- the common part of a journal ---------- */

void journal_base_init(struct journal *j, const struct journal_ops *ops, const char *where)
{
	memset(j, 0, sizeof *j);
	j->ops = ops;
	j->where = xstrdup(where);
}

void journal_base_release(struct journal *j)
{
	free(j->where);
	free(j->ro_reason);
	j->where = NULL;
	j->ro_reason = NULL;
}

void journal_cache_clear(struct journal *j)
{
	memset(&j->cache, 0, sizeof j->cache);
}

char *journal_fold_ascii(const char *s)
{
	char *f = xstrdup(s);
	for (char *p = f; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return f;
}

int journal_kind_is_read(const char *kind)
{
	static const char *const reads[] = { JOURNAL_READ_KINDS };
	for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++)
		if (strcmp(kind, reads[i]) == 0)
			return 1;
	return 0;
}

static int pos_cmp(struct journal_pos a, struct journal_pos b)
{
	if (a.occ != b.occ)
		return a.occ < b.occ ? -1 : 1;
	if (a.id != b.id)
		return a.id < b.id ? -1 : 1;
	return 0;
}

/* ---------- open, close, the connection ---------- */

int journal_is_url(const char *where)
{
	return where && (strncasecmp(where, "postgresql://", 13) == 0 ||
			 strncasecmp(where, "postgres://", 11) == 0);
}

char *journal_url_redacted(const char *url)
{
	struct strbuf sb = STRBUF_INIT;
	const char *rest = strstr(url, "://");
	sb_init(&sb);
	if (!rest) {
		sb_adds(&sb, url);
		return sb_detach(&sb);
	}
	rest += 3;
	sb_add(&sb, url, (size_t)(rest - url));
	size_t auth_len = strcspn(rest, "/?#");
	const char *at = memchr(rest, '@', auth_len);
	if (at) {
		const char *colon = memchr(rest, ':', (size_t)(at - rest));
		sb_add(&sb, rest, (size_t)((colon ? colon : at) - rest));
		rest = at;
	}
	/* Copy the rest parameter by parameter, leaving out password=. */
	const char *q = strchr(rest, '?');
	if (!q) {
		sb_adds(&sb, rest);
		return sb_detach(&sb);
	}
	sb_add(&sb, rest, (size_t)(q - rest));
	char sep = '?';
	for (const char *p = q + 1; *p;) {
		size_t n = strcspn(p, "&#");
		if (!(n >= 9 && strncasecmp(p, "password=", 9) == 0)) {
			sb_addc(&sb, sep);
			sb_add(&sb, p, n);
			sep = '&';
		}
		p += n;
		if (*p == '#') {
			sb_adds(&sb, p);
			break;
		}
		if (*p == '&')
			p++;
	}
	return sb_detach(&sb);
}

struct journal *journal_open(const char *where, unsigned flags, struct sitrep_error *err)
{
	if (!where || !where[0]) {
		journal_fail(err, JOURNAL_ERROR, "unable to open a database: no path or URL given");
		return NULL;
	}
	if (flags & ~(unsigned)(JOURNAL_CREATE | JOURNAL_READ_ONLY)) {
		journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': unknown flags %#x",
			     where, flags);
		return NULL;
	}
	if (journal_is_url(where)) {
#ifdef SITREP_HAVE_LIBPQ
		return journal_pg_ops.open(where, flags, err);
#else
		char *shown = journal_url_redacted(where);
		journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': this sitrep was built"
			     " without PostgreSQL support", shown);
		free(shown);
		return NULL;
#endif
	}
	return journal_sqlite_ops.open(where, flags, err);
}

void journal_close(struct journal *j)
{
	if (j)
		j->ops->close(j);
}

const char *journal_where(const struct journal *j)
{
	return j->where;
}

int journal_readonly(const struct journal *j)
{
	return j->readonly;
}

int journal_schema_version(void)
{
	return SCHEMA_VERSION;
}

int journal_set_busy_timeout(struct journal *j, int ms, struct sitrep_error *err)
{
	if (ms < 0)
		return journal_fail(err, JOURNAL_ERROR, "unable to configure database '%s':"
				    " a negative busy timeout (%d ms)", j->where, ms);
	return j->ops->set_busy_timeout(j, ms, err);
}

int journal_clock(struct journal *j, int64_t *now, struct sitrep_error *err)
{
	return j->ops->clock(j, now, err);
}

int journal_changed(struct journal *j, int *changed, struct sitrep_error *err)
{
	*changed = 0;
	return j->ops->changed(j, changed, err);
}

int journal_poll_fd(struct journal *j)
{
	return j->ops->poll_fd(j);
}

/* ---------- transactions ---------- */

static int fail_readonly(struct journal *j, struct sitrep_error *err)
{
	return journal_fail(err, JOURNAL_READONLY, "database '%s' is read-only: %s", j->where,
			    j->ro_reason ? j->ro_reason : "opened read-only");
}

static int fail_gone(struct journal *j, struct sitrep_error *err)
{
	return journal_fail(err, JOURNAL_GONE, "database '%s' was deleted or replaced while it"
			    " was open: the write is not saved", j->where);
}

/* May `what` write now? Inside a transaction of a writable, present
 * journal. The database may have rolled the transaction back by itself
 * after an error (SQLite does on a full disk): then say so. */
static int need_write_txn(struct journal *j, const char *what, struct sitrep_error *err)
{
	if (j->readonly)
		return fail_readonly(j, err);
	if (j->gone)
		return fail_gone(j, err);
	if (!j->ops->in_transaction(j)) {
		int was = j->in_txn;
		j->in_txn = 0;
		journal_cache_clear(j);
		return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': %s", what,
				    j->where, was ? "the database rolled the transaction back after"
				    " an earlier error" : "no transaction is open (journal_begin first)");
	}
	return JOURNAL_OK;
}

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int journal_begin(struct journal *j, struct sitrep_error *err)
{
	if (j->readonly)
		return fail_readonly(j, err);
	if (j->gone)
		return fail_gone(j, err);
	if (j->ops->in_transaction(j))
		return journal_fail(err, JOURNAL_ERROR, "unable to begin a transaction on database"
				    " '%s': one is already open", j->where);
	j->in_txn = 0;
	journal_cache_clear(j);
	int rc = j->ops->begin(j, err);
	if (rc == JOURNAL_OK) {
		j->in_txn = 1;
		j->begin_ns = mono_ns();
	}
	return rc;
}

/* The lock is released: how long was it held? */
static void lock_released(struct journal *j)
{
	if (j->begin_ns) {
		int64_t held = mono_ns() - j->begin_ns;
		if (held > j->longest_hold_ns)
			j->longest_hold_ns = held;
		j->begin_ns = 0;
	}
}

int64_t journal_longest_hold_ns(const struct journal *j)
{
	return j->longest_hold_ns;
}

/* Make the transaction's cache describe `incident`: take the incident's
 * lock (a no-op where the transaction holds the whole file) and read its
 * head under it, once per transaction, not per append. Every write to an
 * incident comes through here, so none happens without the lock. */
static int cache_head(struct journal *j, int64_t incident, struct sitrep_error *err)
{
	if (incident <= 0)
		return journal_fail(err, JOURNAL_NOTFOUND, "database '%s' has no incident %" PRId64,
				    j->where, incident);
	if (j->cache.incident == incident)
		return JOURNAL_OK;
	struct journal_head h;
	int rc = j->ops->lock_incident(j, incident, err);
	if (rc || (rc = j->ops->head(j, incident, 0, &h, err)))
		return rc;
	int64_t next_id = j->cache.next_id;
	journal_cache_clear(j);
	j->cache.next_id = next_id;
	j->cache.incident = incident;
	j->cache.last_id = h.last_id;
	memcpy(j->cache.hash, h.hash, sizeof h.hash);
	j->cache.last_recorded = h.last_recorded;
	return JOURNAL_OK;
}

int journal_lock_incident(struct journal *j, int64_t incident, struct sitrep_error *err)
{
	int rc = need_write_txn(j, "lock an incident of", err);
	return rc ? rc : cache_head(j, incident, err);
}

int journal_commit(struct journal *j, struct sitrep_error *err)
{
	if (!j->ops->in_transaction(j)) {
		int was = j->in_txn;
		j->in_txn = 0;
		journal_cache_clear(j);
		return journal_fail(err, JOURNAL_ERROR, "unable to commit to database '%s': %s",
				    j->where, was ? "the database rolled the transaction back after an"
				    " earlier error: nothing was saved" : "no transaction is open");
	}
	int rc = j->ops->commit(j, err);
	j->in_txn = 0;
	lock_released(j);
	journal_cache_clear(j);
	return rc;
}

void journal_rollback(struct journal *j)
{
	if (j->in_txn || j->ops->in_transaction(j))
		j->ops->rollback(j);
	j->in_txn = 0;
	lock_released(j);
	journal_cache_clear(j);
}

int journal_in_transaction(const struct journal *j)
{
	return j->ops->in_transaction(j);
}

/* ---------- the canonical encoding and hashes ---------- */

/* The encoding is fed to SHA-256 through a buffer: an entry is a dozen
 * small fields, and one update per field would cost a quarter of the hash
 * (a million appends in one import). */
struct hasher {
	crypto_hash_sha256_state st;
	size_t n;                    /* bytes waiting in buf */
	unsigned char buf[1024];
};

static void h_init(struct hasher *h)
{
	crypto_hash_sha256_init(&h->st);
	h->n = 0;
}

static void h_raw(struct hasher *h, const void *p, size_t len)
{
	if (h->n + len > sizeof h->buf) {
		crypto_hash_sha256_update(&h->st, h->buf, h->n);
		h->n = 0;
		if (len > sizeof h->buf) {
			crypto_hash_sha256_update(&h->st, p, len);
			return;
		}
	}
	if (len)
		memcpy(h->buf + h->n, p, len);
	h->n += len;
}

/* int(n): 8 bytes, big-endian two's complement. */
static void h_int(struct hasher *h, int64_t v)
{
	uint64_t u = (uint64_t)v;
	unsigned char b[8];
	for (int i = 7; i >= 0; i--) {
		b[i] = (unsigned char)(u & 0xff);
		u >>= 8;
	}
	h_raw(h, b, sizeof b);
}

/* text(s): int(length) then the bytes. */
static void h_bytes(struct hasher *h, const void *s, size_t n)
{
	h_int(h, (int64_t)n);
	h_raw(h, s, n);
}

static void h_text(struct hasher *h, const char *s)
{
	h_bytes(h, s, s ? strlen(s) : 0);
}

static void h_final(struct hasher *h, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_update(&h->st, h->buf, h->n);
	crypto_hash_sha256_final(&h->st, d);
	for (size_t i = 0; i < sizeof d; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

/* 64 lowercase hex digits -> 32 bytes; -1 otherwise. */
static int hex32(const char *hex, unsigned char bin[32])
{
	for (int i = 0; i < 64; i++) {
		char c = hex[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return -1;
		if (i & 1)
			bin[i / 2] = (unsigned char)(bin[i / 2] | v);
		else
			bin[i / 2] = (unsigned char)(v << 4);
	}
	return hex[64] == '\0' ? 0 : -1;
}

int journal_genesis_hash(const struct journal_incident *inc, char out[65])
{
	struct hasher h;
	h_init(&h);
	h_text(&h, INCIDENT_TAG);
	h_int(&h, inc->id);
	h_text(&h, inc->title);
	h_text(&h, inc->plan_id);
	h_text(&h, inc->plan_hash);
	h_int(&h, inc->drill ? 1 : 0);
	h_int(&h, inc->created_at);
	h_final(&h, out);
	return 0;
}

/* The payload bytes an entry is hashed and stored with: payload_len bytes,
 * or up to the NUL when payload_len is 0; "{}" when there is none. */
static const char *entry_payload(const struct journal_entry *e, size_t *len)
{
	if (!e->payload) {
		*len = 2;
		return "{}";
	}
	*len = e->payload_len ? e->payload_len : strlen(e->payload);
	return e->payload;
}

int journal_entry_hash(const char *prev_hex, const struct journal_entry *e, char out[65])
{
	unsigned char prev[32];
	size_t plen;
	if (!prev_hex || hex32(prev_hex, prev) != 0)
		return -1;
	const char *payload = entry_payload(e, &plen);
	struct hasher h;
	h_init(&h);
	h_raw(&h, prev, sizeof prev);
	h_text(&h, ENTRY_TAG);
	h_int(&h, e->id);
	h_int(&h, e->incident);
	h_int(&h, e->recorded_at);
	h_int(&h, e->occurred_at);
	h_text(&h, e->actor);
	h_text(&h, e->role);
	h_text(&h, e->kind);
	h_bytes(&h, payload, plen);
	h_int(&h, e->corrects);
	h_final(&h, out);
	return 0;
}

/* A snapshot's hash binds its blob to the chain: to the hash of entry
 * max_id (the genesis when 0), which covers every entry up to it, and to
 * the incident and the position it claims. */
static void snapshot_hash(int64_t incident, const struct journal_snapshot *s,
			  const char anchor[65], char out[65])
{
	struct hasher h;
	h_init(&h);
	h_text(&h, SNAPSHOT_TAG);
	h_int(&h, incident);
	h_int(&h, s->pos.occ);
	h_int(&h, s->pos.id);
	h_int(&h, s->max_id);
	h_text(&h, anchor);
	h_bytes(&h, s->blob, s->len);
	h_final(&h, out);
}

/* ---------- incidents ---------- */

void journal_incident_release(struct journal_incident *inc)
{
	if (!inc)
		return;
	free(inc->title);
	free(inc->plan_id);
	free(inc->plan_text);
	inc->title = inc->plan_id = inc->plan_text = NULL;
	inc->plan_len = 0;
}

/* The checks an incident row passes before it is stored (created or
 * copied): text that hashes as stored. */
static int check_incident_fields(struct journal *j, const struct journal_incident *in,
				 const char *what, struct sitrep_error *err)
{
	if (!in->title || !tx_valid_utf8(in->title, strlen(in->title)))
		return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': the title is"
				    " missing or not valid UTF-8", what, j->where);
	if (!in->plan_id || !in->plan_id[0] || !tx_valid_utf8(in->plan_id, strlen(in->plan_id)))
		return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': the plan id is"
				    " missing or not valid UTF-8", what, j->where);
	if (!in->plan_text)
		return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': the incident"
				    " has no plan text", what, j->where);
	return JOURNAL_OK;
}

int journal_incident_create(struct journal *j, struct journal_incident *in,
			    struct sitrep_error *err)
{
	int rc = need_write_txn(j, "add an incident to", err);
	if (rc || (rc = check_incident_fields(j, in, "add an incident to", err)))
		return rc;
	struct journal_incident row = *in;
	if ((rc = j->ops->incident_next_id(j, &row.id, err)))
		return rc;
	row.drill = in->drill ? 1 : 0;
	sha256_hex(in->plan_text, in->plan_len, row.plan_hash);
	journal_genesis_hash(&row, row.genesis);
	if ((rc = j->ops->incident_insert(j, &row, err)))
		return rc;
	in->id = row.id;
	in->drill = row.drill;
	memcpy(in->plan_hash, row.plan_hash, sizeof in->plan_hash);
	memcpy(in->genesis, row.genesis, sizeof in->genesis);
	return JOURNAL_OK;
}

int journal_incident_get(struct journal *j, int64_t id, int with_plan,
			 struct journal_incident *out, struct sitrep_error *err)
{
	memset(out, 0, sizeof *out);
	return j->ops->incident_get(j, id, with_plan, out, err);
}

int journal_incidents(struct journal *j, journal_incident_fn fn, void *ctx,
		      struct sitrep_error *err)
{
	return j->ops->incidents(j, fn, ctx, err);
}

/* ---------- entries: checks ---------- */

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
static int readings_agree(struct journal *j, const struct journal_entry *e, int strict,
			  struct strbuf *why, struct sitrep_error *err)
{
	size_t plen;
	const char *payload = entry_payload(e, &plen);
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

/* tx_valid_utf8, with a quick pass for the common all-ASCII text. */
static int valid_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] - 1u >= 0x7fu)
			return tx_valid_utf8(s, n);
	return 1;
}

static int check_text(struct journal *j, const char *what, const char *name, const char *s,
		      int may_be_empty, struct sitrep_error *err)
{
	if (!s || (!may_be_empty && !s[0]))
		return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': the entry"
				    " has no %s", what, j->where, name);
	if (!valid_text(s, strlen(s)))
		return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': the entry's"
				    " %s is not valid UTF-8", what, j->where, name);
	return JOURNAL_OK;
}

/* What an entry must satisfy by itself, before it meets the chain. */
static int check_entry_fields(struct journal *j, const struct journal_entry *e, const char *what,
			      int strict, struct sitrep_error *err)
{
	int rc;
	if (e->incident <= 0)
		return journal_fail(err, JOURNAL_NOTFOUND, "unable to %s database '%s': no incident"
				    " %" PRId64, what, j->where, e->incident);
	if ((rc = check_text(j, what, "actor", e->actor, 0, err)) ||
	    (rc = check_text(j, what, "kind", e->kind, 0, err)) ||
	    (rc = check_text(j, what, "role", e->role ? e->role : "", 1, err)))
		return rc;
	if (e->occurred_at > e->recorded_at)
		return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': the entry"
				    " occurred (%" PRId64 ") after it was recorded (%" PRId64 ")",
				    what, j->where, e->occurred_at, e->recorded_at);
	size_t plen;
	const char *payload = entry_payload(e, &plen);
	if (!valid_text(payload, plen))
		return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': the payload is"
				    " not valid UTF-8 (or holds a NUL byte)", what, j->where);
	if (e->nreadings && !e->readings)
		return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': %zu readings"
				    " announced, none given", what, j->where, e->nreadings);
	for (size_t i = 0; i < e->nreadings; i++) {
		const struct journal_reading *r = &e->readings[i];
		if (!r->metric || !r->metric[0] || !valid_text(r->metric, strlen(r->metric)))
			return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': reading"
					    " %zu has no metric name, or one that is not valid"
					    " UTF-8", what, j->where, i + 1);
		if (!isfinite(r->value))
			return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': reading"
					    " '%s' is not a finite number", what, j->where, r->metric);
		for (size_t k = 0; strict && k < i; k++)
			if (strcmp(e->readings[k].metric, r->metric) == 0)
				return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s':"
						    " metric '%s' is read twice in one entry", what,
						    j->where, r->metric);
	}
	struct strbuf why = STRBUF_INIT;
	sb_init(&why);
	rc = readings_agree(j, e, strict, &why, err);
	if (rc == JOURNAL_CORRUPT)
		rc = journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': %s%s", what,
				  j->where, strcmp(why.buf, "its payload is not JSON") == 0 ?
				  "" : "the entry's readings and its payload differ: ",
				  strcmp(why.buf, "its payload is not JSON") == 0 ?
				  "the payload is not valid JSON" : why.buf);
	sb_release(&why);
	return rc;
}

/* A snapshot after `from` no longer describes the incident once an entry
 * lands before it (a backfill) or an earlier reading is corrected: drop it
 * in the same transaction, so that no read ever starts from it. */
static int drop_stale_snapshots(struct journal *j, const struct journal_entry *e,
				struct sitrep_error *err)
{
	int rc;
	if (!j->cache.snap_known) {
		if ((rc = j->ops->snapshot_last(j, e->incident, &j->cache.snap_any,
						&j->cache.snap_last, err)))
			return rc;
		j->cache.snap_known = 1;
	}
	if (!j->cache.snap_any)
		return JOURNAL_OK;
	struct journal_pos from = { e->occurred_at, e->id };
	if (e->corrects) {
		struct journal_pos c;
		int64_t inc;
		char h[65];
		if ((rc = j->ops->entry_locate(j, e->corrects, &inc, &c, h, err)))
			return rc;
		/* Snapshots at the corrected entry folded the old values too. */
		c.id--;
		if (pos_cmp(c, from) < 0)
			from = c;
	}
	if (pos_cmp(from, j->cache.snap_last) >= 0)
		return JOURNAL_OK;
	if ((rc = j->ops->snapshot_drop_after(j, e->incident, from, err)))
		return rc;
	j->cache.snap_known = 0;
	return JOURNAL_OK;
}

/* Does `corrects` name an earlier entry of the same incident? */
static int check_corrects(struct journal *j, const struct journal_entry *e, const char *what,
			  int fail_rc, struct sitrep_error *err)
{
	if (!e->corrects)
		return JOURNAL_OK;
	int64_t inc = 0;
	struct journal_pos p;
	char h[65];
	int rc = e->corrects > 0 ? j->ops->entry_locate(j, e->corrects, &inc, &p, h, err)
				 : JOURNAL_NOTFOUND;
	if (rc && rc != JOURNAL_NOTFOUND)
		return rc;
	if (rc == JOURNAL_NOTFOUND || inc != e->incident || e->corrects >= e->id)
		return journal_fail(err, fail_rc, "unable to %s database '%s': entry %"
				    PRId64 " to correct is not an earlier entry of incident %" PRId64,
				    what, j->where, e->corrects, e->incident);
	return JOURNAL_OK;
}

int journal_append(struct journal *j, struct journal_entry *e, struct sitrep_error *err)
{
	static const char what[] = "append to";
	int rc = need_write_txn(j, what, err);
	if (rc || (rc = check_entry_fields(j, e, what, 1, err)))
		return rc;
	if ((rc = cache_head(j, e->incident, err)))
		return rc;
	if (e->recorded_at < j->cache.last_recorded)
		return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': the clock went"
				    " backwards (recorded at %" PRId64 ", incident %" PRId64
				    " has an entry recorded at %" PRId64 ")", what, j->where,
				    e->recorded_at, e->incident, j->cache.last_recorded);
	if (!j->cache.next_id && (rc = j->ops->next_entry_id(j, &j->cache.next_id, err)))
		return rc;
	/* e->id is ours to fill, not the caller's to give. */
	struct journal_entry n = *e;
	n.id = j->cache.next_id;
	if ((rc = check_corrects(j, &n, what, JOURNAL_NOTFOUND, err)))
		return rc;
	n.role = e->role ? e->role : "";
	n.payload = entry_payload(e, &n.payload_len);
	memcpy(n.prev_hash, j->cache.hash, sizeof n.prev_hash);
	if (journal_entry_hash(n.prev_hash, &n, n.hash) != 0)
		return journal_fail(err, JOURNAL_CORRUPT, "unable to %s database '%s': incident %"
				    PRId64 " has a malformed head hash", what, j->where, e->incident);
	if ((rc = drop_stale_snapshots(j, &n, err)) || (rc = j->ops->entry_insert(j, &n, err)))
		return rc;

	j->cache.next_id = n.id + 1;
	j->cache.last_id = n.id;
	j->cache.last_recorded = n.recorded_at;
	memcpy(j->cache.hash, n.hash, sizeof n.hash);
	e->id = n.id;
	memcpy(e->prev_hash, n.prev_hash, sizeof e->prev_hash);
	memcpy(e->hash, n.hash, sizeof e->hash);
	return JOURNAL_OK;
}

int journal_head(struct journal *j, int64_t incident, struct journal_head *out,
		 struct sitrep_error *err)
{
	memset(out, 0, sizeof *out);
	return j->ops->head(j, incident, JOURNAL_HEAD_COUNT, out, err);
}

int journal_tip(struct journal *j, int64_t incident, struct journal_head *out,
		struct sitrep_error *err)
{
	memset(out, 0, sizeof *out);
	return j->ops->head(j, incident, JOURNAL_HEAD_POS, out, err);
}

int journal_metric_latest(struct journal *j, int64_t incident, const char *metric,
			  const char *kind, int64_t upto, struct journal_metric_reading *out,
			  size_t max, size_t *n, struct sitrep_error *err)
{
	*n = 0;
	if (!max)
		return JOURNAL_OK;
	return j->ops->metric_latest(j, incident, metric, kind, upto, out, max, n, err);
}

/* ---------- cursors ---------- */

int journal_cursor_open(struct journal *j, const struct journal_query *q,
			struct journal_cursor **out, struct sitrep_error *err)
{
	*out = NULL;
	if (q->incident <= 0)
		return journal_fail(err, JOURNAL_NOTFOUND, "unable to read database '%s': no"
				    " incident %" PRId64, j->where, q->incident);
	if (q->fields & ~(unsigned)(JF_PAYLOAD | JF_READINGS | JF_HASHES))
		return journal_fail(err, JOURNAL_ERROR, "unable to read database '%s': unknown"
				    " fields %#x", j->where, q->fields);
	/* Walking back from after to upto: start at upto, not at after, or
	 * every newer entry is read only to be filtered out. */
	struct journal_query nq = *q;
	if (nq.descending && !nq.by_id && nq.after.occ > nq.upto)
		nq.after = (struct journal_pos){ nq.upto, INT64_MAX };
	struct journal_cursor *c = NULL;
	int rc = j->ops->cursor_open(j, &nq, &c, err);
	if (rc)
		return rc;
	c->j = j;
	c->fields = q->fields;
	c->by_readings = (q->fields & JF_READINGS) != 0;
	sb_init(&c->text);
	sb_init(&c->names);
	*out = c;
	return JOURNAL_OK;
}

/* Copy the read-ahead row into c->out with the strings kept in c->text:
 * the backend's row is gone once the next row is stepped to. */
static void start_entry(struct journal_cursor *c)
{
	const struct journal_entry *r = &c->row.e;
	size_t off[4];
	sb_reset(&c->text);
	off[0] = c->text.len;
	sb_add(&c->text, r->actor, strlen(r->actor) + 1);
	off[1] = c->text.len;
	sb_add(&c->text, r->role, strlen(r->role) + 1);
	off[2] = c->text.len;
	sb_add(&c->text, r->kind, strlen(r->kind) + 1);
	off[3] = c->text.len;
	if (r->payload)
		sb_add(&c->text, r->payload, r->payload_len);
	c->out = *r;
	c->out.actor = c->text.buf + off[0];
	c->out.role = c->text.buf + off[1];
	c->out.kind = c->text.buf + off[2];
	c->out.payload = r->payload ? c->text.buf + off[3] : NULL;
	sb_reset(&c->names);
	c->nrd = 0;
}

static void add_reading(struct journal_cursor *c)
{
	if (!c->row.has_reading)
		return;
	c->rd = xgrow(c->rd, sizeof *c->rd, c->nrd + 1, &c->ard);
	c->name_off = xgrow(c->name_off, sizeof *c->name_off, c->nrd + 1, &c->aoff);
	c->name_off[c->nrd] = c->names.len;
	sb_add(&c->names, c->row.metric, strlen(c->row.metric) + 1);
	c->rd[c->nrd].value = c->row.value;
	c->nrd++;
}

int journal_cursor_next(struct journal_cursor *c, const struct journal_entry **e,
			struct sitrep_error *err)
{
	struct journal *j = c->j;
	int rc;
	*e = NULL;
	/* After a failure the statement would start over: say it failed. */
	if (c->failed)
		return journal_fail(err, c->failed, "unable to read database '%s': this walk failed"
				    " already", j->where);
	if (c->ended)
		return JOURNAL_OK;
	if (!c->by_readings) {
		rc = j->ops->cursor_step(c, &c->row, err);
		if (rc == JOURNAL_NOTFOUND) {
			c->ended = 1;
			return JOURNAL_OK;
		}
		if (rc)
			return c->failed = rc;
		*e = &c->row.e; /* borrowed straight from the backend's row */
		return JOURNAL_OK;
	}
	/* Rows are entry x reading, in entry order: gather one entry's. */
	if (!c->have_row) {
		rc = j->ops->cursor_step(c, &c->row, err);
		if (rc == JOURNAL_NOTFOUND) {
			c->ended = 1;
			return JOURNAL_OK;
		}
		if (rc)
			return c->failed = rc;
	}
	c->have_row = 0;
	start_entry(c);
	add_reading(c);
	for (;;) {
		rc = j->ops->cursor_step(c, &c->row, err);
		if (rc == JOURNAL_NOTFOUND) {
			c->ended = 1;
			break;
		}
		if (rc)
			return c->failed = rc;
		if (c->row.e.id != c->out.id) {
			c->have_row = 1;
			break;
		}
		add_reading(c);
	}
	for (size_t i = 0; i < c->nrd; i++)
		c->rd[i].metric = c->names.buf + c->name_off[i];
	c->out.readings = c->nrd ? c->rd : NULL;
	c->out.nreadings = c->nrd;
	*e = &c->out;
	return JOURNAL_OK;
}

void journal_cursor_close(struct journal_cursor *c)
{
	if (!c)
		return;
	sb_release(&c->text);
	sb_release(&c->names);
	free(c->rd);
	free(c->name_off);
	c->j->ops->cursor_close(c);
}

/* An owned copy of e: its strings and readings (one block). */
static void entry_copy_owned(const struct journal_entry *e, struct journal_entry *out)
{
	*out = *e;
	out->actor = xstrdup(e->actor);
	out->role = xstrdup(e->role);
	out->kind = xstrdup(e->kind);
	out->payload = e->payload ? xstrndup(e->payload, e->payload_len) : NULL;
	out->readings = NULL;
	if (!e->nreadings)
		return;
	size_t bytes = e->nreadings * sizeof *e->readings;
	for (size_t i = 0; i < e->nreadings; i++)
		bytes += strlen(e->readings[i].metric) + 1;
	struct journal_reading *rd = xmalloc(bytes);
	char *names = (char *)(rd + e->nreadings);
	for (size_t i = 0; i < e->nreadings; i++) {
		size_t n = strlen(e->readings[i].metric) + 1;
		memcpy(names, e->readings[i].metric, n);
		rd[i].metric = names;
		rd[i].value = e->readings[i].value;
		names += n;
	}
	out->readings = rd;
}

int journal_entry_get(struct journal *j, int64_t id, struct journal_entry *out,
		      struct sitrep_error *err)
{
	int64_t incident = 0;
	struct journal_pos pos;
	char hash[65];
	memset(out, 0, sizeof *out);
	int rc = id > 0 ? j->ops->entry_locate(j, id, &incident, &pos, hash, err) : JOURNAL_NOTFOUND;
	if (rc == JOURNAL_NOTFOUND)
		return journal_fail(err, rc, "database '%s' has no entry %" PRId64, j->where, id);
	if (rc)
		return rc;
	struct journal_query q = {
		.incident = incident, .after = { INT64_MIN, id - 1 }, .upto = INT64_MAX,
		.fields = JF_PAYLOAD | JF_READINGS | JF_HASHES, .by_id = 1,
	};
	struct journal_cursor *c;
	const struct journal_entry *e = NULL;
	if ((rc = journal_cursor_open(j, &q, &c, err)))
		return rc;
	rc = journal_cursor_next(c, &e, err);
	if (rc == JOURNAL_OK && e && e->id == id)
		entry_copy_owned(e, out);
	else if (rc == JOURNAL_OK)
		rc = journal_fail(err, JOURNAL_NOTFOUND, "database '%s' has no entry %" PRId64,
				  j->where, id);
	journal_cursor_close(c);
	return rc;
}

void journal_entry_free_owned(struct journal_entry *e)
{
	if (!e)
		return;
	free((char *)e->actor);
	free((char *)e->role);
	free((char *)e->kind);
	free((char *)e->payload);
	free((void *)e->readings);
	memset(e, 0, sizeof *e);
}

/* ---------- snapshots ---------- */

void journal_snapshot_release(struct journal_snapshot *s)
{
	if (!s)
		return;
	free(s->blob);
	s->blob = NULL;
	s->len = 0;
}

/* The hash a snapshot of `incident` covering entries up to max_id is
 * anchored to: that entry's hash, or the genesis when max_id is 0.
 * JOURNAL_NOTFOUND when max_id is not an entry of the incident. */
static int snapshot_anchor(struct journal *j, int64_t incident, int64_t max_id, char out[65],
			   struct sitrep_error *err)
{
	if (max_id == 0) {
		struct journal_incident inc;
		int rc = journal_incident_get(j, incident, 0, &inc, err);
		if (rc == JOURNAL_OK)
			memcpy(out, inc.genesis, 65);
		journal_incident_release(&inc);
		return rc;
	}
	int64_t inc = 0;
	struct journal_pos p;
	int rc = max_id > 0 ? j->ops->entry_locate(j, max_id, &inc, &p, out, err) : JOURNAL_NOTFOUND;
	if (rc == JOURNAL_OK && inc != incident)
		rc = JOURNAL_NOTFOUND;
	if (rc == JOURNAL_NOTFOUND)
		return journal_fail(err, rc, "database '%s' has no entry %" PRId64 " in incident %"
				    PRId64, j->where, max_id, incident);
	return rc;
}

int journal_snapshot_put(struct journal *j, int64_t incident, const struct journal_snapshot *s,
			 struct sitrep_error *err)
{
	if (j->readonly)
		return fail_readonly(j, err);
	if (j->gone)
		return fail_gone(j, err);
	if (s->max_id < 0 || s->pos.id < 0 || s->pos.id > s->max_id || (s->len && !s->blob))
		return journal_fail(err, JOURNAL_ERROR, "unable to store a snapshot in database"
				    " '%s': position entry %" PRId64 " is not covered by max_id %"
				    PRId64 " (or the blob is missing)", j->where, s->pos.id, s->max_id);
	char anchor[65], hash[65];
	int rc = snapshot_anchor(j, incident, s->max_id, anchor, err);
	if (rc)
		return rc;
	snapshot_hash(incident, s, anchor, hash);
	if ((rc = j->ops->snapshot_put(j, incident, s, hash, err)))
		return rc;
	if (j->in_txn && j->cache.incident == incident && j->cache.snap_known &&
	    (!j->cache.snap_any || pos_cmp(s->pos, j->cache.snap_last) > 0)) {
		j->cache.snap_any = 1;
		j->cache.snap_last = s->pos;
	}
	return JOURNAL_OK;
}

struct snap_find {
	struct journal *j;
	int64_t incident;
	struct journal_snapshot *out;
	int found;
	int rc;                  /* a storage error met on the way */
	struct sitrep_error *err;
};

static int snap_check(void *ctx, const struct journal_snapshot *s, const char *hash)
{
	struct snap_find *f = ctx;
	char anchor[65], want[65];
	struct sitrep_error ignored = SITREP_ERROR_INIT;
	if (s->pos.id > s->max_id)
		return 0;
	int rc = snapshot_anchor(f->j, f->incident, s->max_id, anchor, &ignored);
	err_release(&ignored);
	if (rc == JOURNAL_NOTFOUND)
		return 0; /* anchored to an entry that is not there: ignored */
	if (rc) {
		f->rc = journal_fail(f->err, rc, "unable to read a snapshot from database '%s'",
				     f->j->where);
		return 1;
	}
	snapshot_hash(f->incident, s, anchor, want);
	if (strcmp(want, hash) != 0)
		return 0; /* planted, stale or edited: never trusted */
	f->out->pos = s->pos;
	f->out->max_id = s->max_id;
	f->out->len = s->len;
	f->out->blob = xmalloc(s->len ? s->len : 1);
	if (s->len)
		memcpy(f->out->blob, s->blob, s->len);
	f->found = 1;
	return 1;
}

int journal_snapshot_before(struct journal *j, int64_t incident, struct journal_pos pos,
			    struct journal_snapshot *out, struct sitrep_error *err)
{
	memset(out, 0, sizeof *out);
	struct snap_find f = { .j = j, .incident = incident, .out = out, .err = err };
	int rc = j->ops->snapshots_before(j, incident, pos, snap_check, &f, err);
	if (rc)
		return rc;
	if (f.rc)
		return f.rc;
	if (!f.found)
		return journal_fail(err, JOURNAL_NOTFOUND, "database '%s' has no usable snapshot of"
				    " incident %" PRId64 " at or before that position", j->where,
				    incident);
	return JOURNAL_OK;
}

int journal_snapshot_drop_after(struct journal *j, int64_t incident, struct journal_pos pos,
				struct sitrep_error *err)
{
	int rc = need_write_txn(j, "drop snapshots from", err);
	if (rc)
		return rc;
	if ((rc = j->ops->snapshot_drop_after(j, incident, pos, err)))
		return rc;
	if (j->cache.incident == incident)
		j->cache.snap_known = 0;
	return JOURNAL_OK;
}

/* ---------- verification ---------- */

struct verify_state {
	struct journal *j;
	int64_t incident;
	journal_verify_fn fn;
	void *ctx;
	int64_t *bad_id;
	struct strbuf *msg;
	size_t start;            /* what msg held before verify */
	struct sitrep_error *err;
};

static int corrupt(struct verify_state *v, int64_t bad, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int corrupt(struct verify_state *v, int64_t bad, const char *fmt, ...)
{
	va_list ap;
	size_t start = v->msg->len;
	*v->bad_id = bad;
	va_start(ap, fmt);
	sb_vaddf(v->msg, fmt, ap);
	va_end(ap);
	return journal_fail(v->err, JOURNAL_CORRUPT, "database '%s': %s", v->j->where,
			    v->msg->buf + start);
}

/* One entry against its predecessor in id order. */
static int verify_entry(struct verify_state *v, const struct journal_entry *e,
			const char *prev, int64_t last_id, int64_t last_recorded)
{
	char h[65];
	long long inc = (long long)v->incident, id = (long long)e->id;
	int rc;
	if (journal_entry_hash(e->prev_hash, e, h) != 0 || strcmp(h, e->hash) != 0)
		return corrupt(v, e->id, "incident %lld: entry %lld does not match its hash (edited,"
			       " moved or inserted by hand)", inc, id);
	if (strcmp(e->prev_hash, prev) != 0)
		return corrupt(v, e->id, "incident %lld: entry %lld does not follow %s (an entry"
			       " before it was deleted, inserted or moved)", inc, id,
			       last_id ? "the entry before it" : "the incident's genesis");
	if (last_id && e->recorded_at < last_recorded) {
		char a[40], b[40];
		return corrupt(v, e->id, "incident %lld: entry %lld was recorded at %s, before entry"
			       " %lld (%s): the clock went backwards", inc, id,
			       time_format_utc(e->recorded_at, a, sizeof a), (long long)last_id,
			       time_format_utc(last_recorded, b, sizeof b));
	}
	if (e->occurred_at > e->recorded_at)
		return corrupt(v, e->id, "incident %lld: entry %lld occurred after it was recorded",
			       inc, id);
	if (e->corrects) {
		int64_t cinc = 0;
		struct journal_pos p;
		rc = e->corrects > 0 && e->corrects < e->id
			? v->j->ops->entry_locate(v->j, e->corrects, &cinc, &p, h, v->err)
			: JOURNAL_NOTFOUND;
		if (rc && rc != JOURNAL_NOTFOUND)
			return rc;
		if (rc == JOURNAL_NOTFOUND || cinc != v->incident)
			return corrupt(v, e->id, "incident %lld: entry %lld corrects entry %lld, which"
				       " is not an earlier entry of the incident", inc, id,
				       (long long)e->corrects);
	}
	struct strbuf why = STRBUF_INIT;
	sb_init(&why);
	rc = readings_agree(v->j, e, 0, &why, v->err);
	if (rc == JOURNAL_CORRUPT)
		rc = corrupt(v, e->id, "incident %lld: the readings stored for entry %lld do not"
			     " match its payload (%s)", inc, id, why.buf);
	sb_release(&why);
	return rc;
}

static int verify_incident(struct verify_state *v, int64_t id)
{
	struct journal *j = v->j;
	struct journal_incident inc;
	char want[65];
	int rc = journal_incident_get(j, id, 1, &inc, v->err);
	if (rc)
		return rc;
	v->incident = id;
	journal_genesis_hash(&inc, want);
	if (strcmp(want, inc.genesis) != 0)
		rc = corrupt(v, 0, "incident %lld: the incident row does not match its genesis hash"
			     " (title, plan, drill flag or creation time edited)", (long long)id);
	else if (sha256_hex(inc.plan_text, inc.plan_len, want), strcmp(want, inc.plan_hash) != 0)
		rc = corrupt(v, 0, "incident %lld: the stored plan text does not match its plan"
			     " hash", (long long)id);
	char prev[65];
	memcpy(prev, inc.genesis, sizeof prev);
	journal_incident_release(&inc);
	if (rc)
		return rc;

	/* Readings stored under another incident, entry or time than their
	 * entry's are reported in id order with the rest. */
	int64_t misplaced = 0;
	if ((rc = j->ops->misplaced_reading(j, id, &misplaced, v->err)))
		return rc;
	struct journal_query q = {
		.incident = id, .after = JOURNAL_POS_FIRST, .upto = INT64_MAX, .by_id = 1,
		.fields = JF_PAYLOAD | JF_READINGS | JF_HASHES,
	};
	struct journal_cursor *c;
	if ((rc = journal_cursor_open(j, &q, &c, v->err)))
		return rc;
	int64_t last_id = 0, last_recorded = 0;
	const struct journal_entry *e;
	while ((rc = journal_cursor_next(c, &e, v->err)) == JOURNAL_OK && e) {
		if (misplaced && e->id > misplaced)
			break;
		if ((rc = verify_entry(v, e, prev, last_id, last_recorded)))
			break;
		if (misplaced == e->id)
			break;
		if (v->fn && v->fn(e, v->ctx)) {
			if (v->msg->len == v->start)
				sb_addf(v->msg, "incident %lld: entry %lld failed the caller's check",
					(long long)id, (long long)e->id);
			*v->bad_id = e->id;
			rc = journal_fail(v->err, JOURNAL_CORRUPT, "database '%s': %s", j->where,
					  v->msg->buf + v->start);
			break;
		}
		memcpy(prev, e->hash, sizeof prev);
		last_id = e->id;
		last_recorded = e->recorded_at;
	}
	journal_cursor_close(c);
	if (rc == JOURNAL_OK && misplaced)
		rc = corrupt(v, misplaced, "incident %lld: a reading stored for entry %lld does not"
			     " belong to it (its entry, incident or time differs)", (long long)id,
			     (long long)misplaced);
	return rc;
}

static int collect_id(const struct journal_incident *inc, void *ctx)
{
	struct { int64_t *v; size_t n, alloc; } *ids = ctx;
	ids->v = xgrow(ids->v, sizeof *ids->v, ids->n + 1, &ids->alloc);
	ids->v[ids->n++] = inc->id;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int journal_verify(struct journal *j, int64_t incident, journal_verify_fn fn, void *ctx,
		   int64_t *bad_id, struct strbuf *msg, struct sitrep_error *err)
{
	int64_t bad_dummy;
	struct strbuf own = STRBUF_INIT;
	sb_init(&own);
	struct verify_state v = {
		.j = j, .fn = fn, .ctx = ctx, .bad_id = bad_id ? bad_id : &bad_dummy,
		.msg = msg ? msg : &own, .err = err,
	};
	*v.bad_id = 0;
	size_t start = v.msg->len;
	v.start = start;
	int rc = j->ops->check_storage(j, v.msg, err);
	if (rc == JOURNAL_OK && incident == 0) {
		int64_t orphan = 0;
		if ((rc = j->ops->orphan_entry(j, &orphan, err)) == JOURNAL_OK && orphan)
			rc = corrupt(&v, orphan, "entry %lld belongs to no incident", (long long)orphan);
		if (rc == JOURNAL_OK && (rc = j->ops->misplaced_reading(j, 0, &orphan, err)) ==
		    JOURNAL_OK && orphan)
			rc = corrupt(&v, orphan, "a reading stored for entry %lld does not belong to"
				     " it (its entry, incident or time differs)", (long long)orphan);
		struct { int64_t *v; size_t n, alloc; } ids = { NULL, 0, 0 };
		if (rc == JOURNAL_OK)
			rc = j->ops->incidents(j, collect_id, &ids, err);
		/* In id order, so that the first bad entry reported is the oldest. */
		if (ids.n)
			qsort(ids.v, ids.n, sizeof *ids.v, cmp_id);
		for (size_t i = 0; rc == JOURNAL_OK && i < ids.n; i++)
			rc = verify_incident(&v, ids.v[i]);
		free(ids.v);
	} else if (rc == JOURNAL_OK) {
		rc = verify_incident(&v, incident);
	}
	/* Storage errors say so in msg too, for callers that print only it. */
	if (rc && rc != JOURNAL_CORRUPT && v.msg->len == start && err && err->msg)
		sb_adds(v.msg, err->msg);
	sb_release(&own);
	return rc;
}

/* ---------- copying a journal ---------- */

int journal_copy_incident(struct journal *j, const struct journal_incident *inc,
			  struct sitrep_error *err)
{
	static const char what[] = "copy an incident into";
	int rc = need_write_txn(j, what, err);
	if (rc || (rc = check_incident_fields(j, inc, what, err)))
		return rc;
	char want[65];
	sha256_hex(inc->plan_text, inc->plan_len, want);
	if (strcmp(want, inc->plan_hash) != 0)
		return journal_fail(err, JOURNAL_CORRUPT, "unable to %s database '%s': incident %"
				    PRId64 "'s plan text does not match its plan hash", what, j->where,
				    inc->id);
	journal_genesis_hash(inc, want);
	if (inc->id <= 0 || strcmp(want, inc->genesis) != 0)
		return journal_fail(err, JOURNAL_CORRUPT, "unable to %s database '%s': incident %"
				    PRId64 " does not match its genesis hash", what, j->where, inc->id);
	return j->ops->incident_insert(j, inc, err);
}

int journal_copy_entry(struct journal *j, const struct journal_entry *e,
		       struct sitrep_error *err)
{
	static const char what[] = "copy an entry into";
	int rc = need_write_txn(j, what, err);
	if (rc || (rc = check_entry_fields(j, e, what, 0, err)) ||
	    (rc = cache_head(j, e->incident, err)))
		return rc;
	char h[65];
	long long id = (long long)e->id, inc = (long long)e->incident;
	if (strcmp(e->prev_hash, j->cache.hash) != 0 || e->id <= j->cache.last_id)
		return journal_fail(err, JOURNAL_CORRUPT, "unable to %s database '%s': entry %lld"
				    " does not follow the head of incident %lld", what, j->where,
				    id, inc);
	if (journal_entry_hash(e->prev_hash, e, h) != 0 || strcmp(h, e->hash) != 0)
		return journal_fail(err, JOURNAL_CORRUPT, "unable to %s database '%s': entry %lld"
				    " does not match its hash", what, j->where, id);
	if (j->cache.last_id && e->recorded_at < j->cache.last_recorded)
		return journal_fail(err, JOURNAL_CORRUPT, "unable to %s database '%s': entry %lld"
				    " was recorded before the entry preceding it", what, j->where, id);
	if ((rc = check_corrects(j, e, what, JOURNAL_CORRUPT, err)))
		return rc;
	struct journal_entry n = *e;
	n.role = e->role ? e->role : "";
	n.payload = entry_payload(e, &n.payload_len);
	if ((rc = drop_stale_snapshots(j, &n, err)) || (rc = j->ops->entry_insert(j, &n, err)))
		return rc;
	j->cache.last_id = e->id;
	j->cache.last_recorded = e->recorded_at;
	memcpy(j->cache.hash, e->hash, sizeof j->cache.hash);
	j->cache.next_id = 0; /* copied ids need not follow the others: ask again */
	return JOURNAL_OK;
}

/* ---------- for tests and tools ---------- */

int journal_exec_unchecked(struct journal *j, const char *sql, struct sitrep_error *err)
{
	/* Anything may have changed: nothing cached still holds. */
	journal_cache_clear(j);
	return j->ops->exec_unchecked(j, sql, err);
}

int journal_query_text(struct journal *j, const char *sql, struct strbuf *out,
		       struct sitrep_error *err)
{
	return j->ops->query_text(j, sql, out, err);
}
