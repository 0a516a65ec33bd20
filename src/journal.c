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
	va_list ap;
	va_start(ap, fmt);
	err_vset(err, journal_exit_code(rc), NULL, 0, 0, NULL, fmt, ap);
	va_end(ap);
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
	free(j->snap_memo.blob);
	j->snap_memo.blob = NULL;
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
int journal_need_write_txn(struct journal *j, const char *what, struct sitrep_error *err)
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
int journal_cache_head(struct journal *j, int64_t incident, struct sitrep_error *err)
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
	int rc = journal_need_write_txn(j, "lock an incident of", err);
	return rc ? rc : journal_cache_head(j, incident, err);
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
const char *journal_entry_payload(const struct journal_entry *e, size_t *len)
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
	const char *payload = journal_entry_payload(e, &plen);
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
int journal_check_incident_fields(struct journal *j, const struct journal_incident *in,
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
	int rc = journal_need_write_txn(j, "add an incident to", err);
	if (rc || (rc = journal_check_incident_fields(j, in, "add an incident to", err)))
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
int journal_check_entry_fields(struct journal *j, const struct journal_entry *e, const char *what,
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
	const char *payload = journal_entry_payload(e, &plen);
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
	rc = journal_readings_agree(j, e, strict, &why, err);
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
int journal_drop_stale_snapshots(struct journal *j, const struct journal_entry *e,
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
int journal_check_corrects(struct journal *j, const struct journal_entry *e, const char *what,
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
	int rc = journal_need_write_txn(j, what, err);
	if (rc || (rc = journal_check_entry_fields(j, e, what, 1, err)))
		return rc;
	if ((rc = journal_cache_head(j, e->incident, err)))
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
	if ((rc = journal_check_corrects(j, &n, what, JOURNAL_NOTFOUND, err)))
		return rc;
	n.role = e->role ? e->role : "";
	n.payload = journal_entry_payload(e, &n.payload_len);
	memcpy(n.prev_hash, j->cache.hash, sizeof n.prev_hash);
	if (journal_entry_hash(n.prev_hash, &n, n.hash) != 0)
		return journal_fail(err, JOURNAL_CORRUPT, "unable to %s database '%s': incident %"
				    PRId64 " has a malformed head hash", what, j->where, e->incident);
	if ((rc = journal_drop_stale_snapshots(j, &n, err)) || (rc = j->ops->entry_insert(j, &n, err)))
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
	c->read_ahead = q->read_ahead;
	sb_init(&c->text);
	sb_init(&c->names);
	*out = c;
	return JOURNAL_OK;
}

/* The sink of journal_cursor_step_entry: the entry into c->out, its strings
 * kept in c->text (the backend's row is gone once the next row is stepped
 * to), its readings in c->rds with their names in c->names. */
void journal_text_put(struct strbuf *text, const struct journal_entry *e, size_t off[4])
{
	off[0] = text->len;
	sb_add(text, e->actor, strlen(e->actor) + 1);
	off[1] = text->len;
	sb_add(text, e->role, strlen(e->role) + 1);
	off[2] = text->len;
	sb_add(text, e->kind, strlen(e->kind) + 1);
	off[3] = text->len;
	if (e->payload) {
		sb_add(text, e->payload, e->payload_len);
		sb_addc(text, '\0'); /* ended, as the backend's text is */
	}
}

static void out_begin(void *ctx, const struct journal_entry *r)
{
	struct journal_cursor *c = ctx;
	size_t off[4];
	sb_reset(&c->text);
	journal_text_put(&c->text, r, off);
	c->out = *r;
	c->out.actor = c->text.buf + off[0];
	c->out.role = c->text.buf + off[1];
	c->out.kind = c->text.buf + off[2];
	c->out.payload = r->payload ? c->text.buf + off[3] : NULL;
	sb_reset(&c->names);
	c->rds.n = 0;
}

static void out_reading(void *ctx, const char *metric, double value)
{
	struct journal_cursor *c = ctx;
	journal_rdbuf_add(&c->rds, &c->names, metric, value);
}

void journal_rdbuf_add(struct journal_rdbuf *b, struct strbuf *text, const char *metric,
		       double value)
{
	b->rd = xgrow(b->rd, sizeof *b->rd, b->n + 1, &b->ard);
	b->name = xgrow(b->name, sizeof *b->name, b->n + 1, &b->aname);
	b->name[b->n] = text->len;
	sb_add(text, metric, strlen(metric) + 1);
	b->rd[b->n].value = value;
	b->n++;
}

void journal_rdbuf_fix(struct journal_rdbuf *b, const struct strbuf *text)
{
	for (size_t i = 0; i < b->n; i++)
		b->rd[i].metric = text->buf + b->name[i];
}

void journal_rdbuf_release(struct journal_rdbuf *b)
{
	free(b->rd);
	free(b->name);
	memset(b, 0, sizeof *b);
}

/* One backend row into c->row: 1 a row, 0 the walk has ended, -1 it failed
 * (c->failed holds the code). */
static int step_row(struct journal_cursor *c, struct sitrep_error *err)
{
	int rc = c->j->ops->cursor_step(c, &c->row, err);
	if (rc == JOURNAL_NOTFOUND) {
		c->ended = 1;
		return 0;
	}
	if (rc) {
		c->failed = rc;
		return -1;
	}
	return 1;
}

int journal_cursor_gather(struct journal_cursor *c, const struct journal_sink *s, void *ctx,
			  int *got_entry, struct sitrep_error *err)
{
	int got;
	int64_t id;
	*got_entry = 0;
	/* After a failure the statement would start over: say it failed. */
	if (c->failed)
		return journal_fail(err, c->failed, "unable to read database '%s': this walk failed"
				    " already", c->j->where);
	if (c->ended)
		return JOURNAL_OK;
	if (!c->have_row && (got = step_row(c, err)) <= 0)
		return got ? c->failed : JOURNAL_OK;
	c->have_row = 0;
	id = c->row.e.id;
	s->begin(ctx, &c->row.e);
	if (c->row.has_reading)
		s->reading(ctx, c->row.metric, c->row.value);
	/* Rows are entry x reading, in entry order: gather one entry's. */
	while (c->by_readings && (got = step_row(c, err)) > 0) {
		if (c->row.e.id != id) {
			c->have_row = 1;
			break;
		}
		if (c->row.has_reading)
			s->reading(ctx, c->row.metric, c->row.value);
	}
	if (c->failed)
		return c->failed;
	*got_entry = 1;
	return JOURNAL_OK;
}

int journal_cursor_step_entry(struct journal_cursor *c, const struct journal_entry **e,
			      struct sitrep_error *err)
{
	static const struct journal_sink to_out = { out_begin, out_reading };
	int got, rc;
	*e = NULL;
	if (!c->by_readings && !c->failed && !c->ended) {
		if ((got = step_row(c, err)) <= 0)
			return got ? c->failed : JOURNAL_OK;
		*e = &c->row.e; /* borrowed straight from the backend's row */
		return JOURNAL_OK;
	}
	if ((rc = journal_cursor_gather(c, &to_out, c, &got, err)) != JOURNAL_OK || !got)
		return rc;
	journal_rdbuf_fix(&c->rds, &c->names);
	c->out.readings = c->rds.n ? c->rds.rd : NULL;
	c->out.nreadings = c->rds.n;
	*e = &c->out;
	return JOURNAL_OK;
}

int journal_cursor_next(struct journal_cursor *c, const struct journal_entry **e,
			struct sitrep_error *err)
{
	int rc;
	*e = NULL;
	if (!c->ahead)
		journal_ahead_maybe_start(c);
	if (c->ahead)
		return journal_ahead_next(c, e, err);
	rc = journal_cursor_step_entry(c, e, err);
	if (rc == JOURNAL_OK && *e)
		c->handed++;
	return rc;
}

void journal_cursor_close(struct journal_cursor *c)
{
	if (!c)
		return;
	journal_ahead_stop(c);
	sb_release(&c->text);
	sb_release(&c->names);
	journal_rdbuf_release(&c->rds);
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

/* Every input of snapshot_hash and the stored hash as last checked? */
static int snap_memo_holds(const struct journal_snap_memo *m, int64_t incident,
			   const struct journal_snapshot *s, const char *anchor, const char *hash)
{
	return m->incident == incident && m->incident != 0 && m->pos.occ == s->pos.occ &&
	       m->pos.id == s->pos.id && m->max_id == s->max_id && m->len == s->len &&
	       strcmp(m->anchor, anchor) == 0 && strcmp(m->hash, hash) == 0 &&
	       (s->len == 0 || memcmp(m->blob, s->blob, s->len) == 0);
}

static void snap_memo_keep(struct journal_snap_memo *m, int64_t incident,
			   const struct journal_snapshot *s, const char *anchor, const char *hash)
{
	free(m->blob);
	m->blob = xmalloc(s->len ? s->len : 1);
	if (s->len)
		memcpy(m->blob, s->blob, s->len);
	m->len = s->len;
	m->incident = incident;
	m->pos = s->pos;
	m->max_id = s->max_id;
	snprintf(m->anchor, sizeof m->anchor, "%s", anchor);
	snprintf(m->hash, sizeof m->hash, "%s", hash);
}

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
	if (!snap_memo_holds(&f->j->snap_memo, f->incident, s, anchor, hash)) {
		snapshot_hash(f->incident, s, anchor, want);
		if (strcmp(want, hash) != 0)
			return 0; /* planted, stale or edited: never trusted */
		snap_memo_keep(&f->j->snap_memo, f->incident, s, anchor, hash);
	}
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
	int rc = journal_need_write_txn(j, "drop snapshots from", err);
	if (rc)
		return rc;
	if ((rc = j->ops->snapshot_drop_after(j, incident, pos, err)))
		return rc;
	if (j->cache.incident == incident)
		j->cache.snap_known = 0;
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
