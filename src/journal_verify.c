/* journal: verification of the chain (journal_verify) and copying a journal
 * into another database (journal_copy_incident, journal_copy_entry). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal_int.h"
#include "sitrep/text.h"
#include "sitrep/util.h"

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
	rc = journal_readings_agree(v->j, e, 0, &why, v->err);
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
	int rc = journal_need_write_txn(j, what, err);
	if (rc || (rc = journal_check_incident_fields(j, inc, what, err)))
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
	int rc = journal_need_write_txn(j, what, err);
	if (rc || (rc = journal_check_entry_fields(j, e, what, 0, err)) ||
	    (rc = journal_cache_head(j, e->incident, err)))
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
	if ((rc = journal_check_corrects(j, e, what, JOURNAL_CORRUPT, err)))
		return rc;
	struct journal_entry n = *e;
	n.role = e->role ? e->role : "";
	n.payload = journal_entry_payload(e, &n.payload_len);
	if ((rc = journal_drop_stale_snapshots(j, &n, err)) || (rc = j->ops->entry_insert(j, &n, err)))
		return rc;
	j->cache.last_id = e->id;
	j->cache.last_recorded = e->recorded_at;
	memcpy(j->cache.hash, e->hash, sizeof j->cache.hash);
	j->cache.next_id = 0; /* copied ids need not follow the others: ask again */
	return JOURNAL_OK;
}

