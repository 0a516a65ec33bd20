/* app: `verify`, `head` and `migrate`. The journal checks the chain; here
 * the anchors only a reader of payloads can check are added (docs/
 * guarantees.md): the head each export recorded, the plan hash each open
 * entry recorded against its incident's row, a head kept elsewhere
 * ("ENTRY:HASH"), and the snapshots against a full replay. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app_int.h"
#include "sitrep/i18n.h"

struct anchors {
	struct app *a;
	struct strbuf *msg;
	int64_t incident;        /* the row below belongs to it */
	char plan_hash[65];
	int64_t kept_entry;      /* --head ENTRY:HASH (0: hash only) */
	const char *kept_hash;
	int kept_seen;           /* the kept entry, or hash, was met */
	int kept_differs;        /* the kept entry's hash is another */
	char kept_actual[65];
	int64_t last_id;
};

static int anchor_entry(const struct journal_entry *e, void *vctx)
{
	struct anchors *c = vctx;
	json_error_t jerr;
	json_t *js;
	int bad = 0;

	if (e->incident != c->incident) {
		struct journal_incident row;
		memset(&row, 0, sizeof(row));
		c->incident = e->incident;
		c->plan_hash[0] = '\0';
		if (journal_incident_get(c->a->j, e->incident, 0, &row, NULL) == JOURNAL_OK)
			snprintf(c->plan_hash, sizeof(c->plan_hash), "%s", row.plan_hash);
		journal_incident_release(&row);
	}
	c->last_id = e->id;
	if (c->kept_hash) {
		if (c->kept_entry && e->id == c->kept_entry) {
			c->kept_seen = 1;
			if (strcmp(e->hash, c->kept_hash) != 0) {
				c->kept_differs = 1;
				snprintf(c->kept_actual, sizeof(c->kept_actual), "%s", e->hash);
			}
		} else if (!c->kept_entry && !strcmp(e->hash, c->kept_hash)) {
			c->kept_seen = 1;
		}
	}
	if (strcmp(e->kind, "open") && strcmp(e->kind, "export"))
		return 0;
	js = json_loadb(e->payload, e->payload_len, 0, &jerr);
	if (!js)
		return 0;
	if (!strcmp(e->kind, "open")) {
		const char *h = json_string_value(json_object_get(js, "plan_hash"));
		if (h && c->plan_hash[0] && strcmp(h, c->plan_hash) != 0) {
			sb_addf(c->msg, _("incident %" PRId64 ": the open entry %" PRId64 " recorded plan %s, "
					  "the incident row says %s (the plan snapshot was swapped)"),
				e->incident, e->id, h, c->plan_hash);
			bad = 1;
		}
	} else {
		const char *h = json_string_value(json_object_get(js, "head"));
		json_int_t at = json_integer_value(json_object_get(js, "head_entry"));
		if (h && at > 0) {
			struct journal_entry he;
			memset(&he, 0, sizeof(he));
			if (at >= e->id || journal_entry_get(c->a->j, at, &he, NULL) != JOURNAL_OK ||
			    he.incident != e->incident || strcmp(he.hash, h) != 0) {
				sb_addf(c->msg, _("incident %" PRId64 ": export %" PRId64 " showed head %s at "
						  "entry %" PRId64 ", which the chain no longer has (rewritten)"),
					e->incident, e->id, h, (int64_t)at);
				bad = 1;
			}
			journal_entry_free_owned(&he);
		}
	}
	json_decref(js);
	return bad;
}

/* The state through the latest snapshot against a full replay. 0 agree (or
 * no snapshot), 1 differ, or an exit code. */
static int snapshots_agree(struct app *a, int64_t id, struct strbuf *msg)
{
	struct journal_incident row;
	const struct plan *p;
	struct derived via, full;
	struct strbuf b1 = STRBUF_INIT, b2 = STRBUF_INIT;
	int nc = a->no_snapshots, code, differ = 0;

	memset(&row, 0, sizeof(row));
	if (app_incident_plan(a, id, &row, &p, NULL) != 0) {
		journal_incident_release(&row);
		return 0; /* a broken snapshot of the plan: nothing to derive */
	}
	journal_incident_release(&row);
	a->no_snapshots = 0;
	code = derive_upto(a, id, p, JOURNAL_POS_LAST, &via, NULL);
	a->no_snapshots = 1;
	if (!code)
		code = derive_upto(a, id, p, JOURNAL_POS_LAST, &full, NULL);
	else
		memset(&full, 0, sizeof(full));
	a->no_snapshots = nc;
	if (!code) {
		sb_init(&b1);
		sb_init(&b2);
		engine_encode(&via.st, &b1);
		engine_encode(&full.st, &b2);
		differ = b1.len != b2.len || memcmp(b1.buf, b2.buf, b1.len) != 0;
		sb_release(&b1);
		sb_release(&b2);
	}
	derived_release(&via);
	derived_release(&full);
	if (code)
		return code;
	if (differ) {
		if (msg->len && msg->buf[msg->len - 1] != '\n')
			sb_addc(msg, '\n');
		sb_addf(msg, _("incident %" PRId64 ": a snapshot of the derived state disagrees with the "
			       "journal"), id);
		if (!a->read_only && !journal_readonly(a->j) &&
		    journal_begin(a->j, NULL) == JOURNAL_OK) {
			if (journal_snapshot_drop_after(a->j, id, JOURNAL_POS_FIRST, NULL) == JOURNAL_OK &&
			    journal_commit(a->j, NULL) == JOURNAL_OK)
				sb_adds(msg, _("; the snapshots were dropped and the state will be replayed"));
			else
				journal_rollback(a->j);
		}
	}
	return differ;
}

static int collect_id(const struct journal_incident *inc, void *ctx)
{
	struct { int64_t *v; size_t n, a; } *ids = ctx;
	ids->v = xgrow(ids->v, sizeof(*ids->v), ids->n + 1, &ids->a);
	ids->v[ids->n++] = inc->id;
	return 0;
}

int app_verify(struct app *a, int64_t id, const char *head, struct strbuf *msg)
{
	struct anchors c;
	struct sitrep_error err = SITREP_ERROR_INIT;
	int64_t bad = 0;
	int rc, code = 0;

	memset(&c, 0, sizeof(c));
	c.a = a;
	c.msg = msg;
	c.incident = -1;
	if (id > 0) {
		struct journal_incident row;
		memset(&row, 0, sizeof(row));
		rc = journal_incident_get(a->j, id, 0, &row, &err);
		journal_incident_release(&row);
		if (rc == JOURNAL_NOTFOUND) {
			sb_addf(msg, _("no incident %" PRId64), id);
			err_release(&err);
			return SITREP_EXIT_USAGE;
		}
	} else if (head) {
		sb_adds(msg, _("a kept head belongs to one incident: name the incident"));
		return SITREP_EXIT_USAGE;
	}
	if (head) {
		/* HASH, ENTRY:HASH, or ID:ENTRY:HASH as `sitrep head` prints it */
		const char *colon = strrchr(head, ':'), *first = strchr(head, ':');
		c.kept_hash = colon ? colon + 1 : head;
		c.kept_entry = colon ? strtoll(first != colon ? first + 1 : head, NULL, 10) : 0;
		if (strlen(c.kept_hash) != 64) {
			sb_addf(msg, _("'%s' is not a kept head (ID:ENTRY:HASH, ENTRY:HASH or a 64-digit "
				       "hash)"), head);
			return SITREP_EXIT_USAGE;
		}
		if (first && first != colon && strtoll(head, NULL, 10) != id) {
			sb_addf(msg, _("the kept head '%s' is of incident %lld, not %" PRId64), head,
				strtoll(head, NULL, 10), id);
			return SITREP_EXIT_USAGE;
		}
	}
	rc = journal_verify(a->j, id, anchor_entry, &c, &bad, msg, &err);
	if (rc == JOURNAL_CORRUPT) {
		err_release(&err);
		return SITREP_EXIT_INTEGRITY;
	}
	if (rc != JOURNAL_OK) {
		if (!msg->len && err.msg)
			sb_adds(msg, err.msg);
		code = err.code ? err.code : SITREP_EXIT_STORAGE;
		err_release(&err);
		return code;
	}
	if (head && (!c.kept_seen || c.kept_differs)) {
		struct journal_incident row;
		memset(&row, 0, sizeof(row));
		/* the genesis is a head too: an incident with no entries kept */
		if (journal_incident_get(a->j, id, 0, &row, NULL) == JOURNAL_OK && !c.kept_entry &&
		    !strcmp(row.genesis, c.kept_hash)) {
			c.kept_seen = 1;
		}
		journal_incident_release(&row);
		if (c.kept_differs)
			sb_addf(msg, _("incident %" PRId64 ": rewritten: entry %" PRId64 " has hash %s, the "
				       "kept head says %s"), id, c.kept_entry, c.kept_actual, c.kept_hash);
		else if (!c.kept_seen && c.kept_entry && c.kept_entry > c.last_id)
			sb_addf(msg, _("incident %" PRId64 ": entries were removed from the end: the kept "
				       "head is entry %" PRId64 ", the chain ends at %" PRId64), id,
				c.kept_entry, c.last_id);
		else if (!c.kept_seen)
			sb_addf(msg, _("incident %" PRId64 ": the kept head %s is not in the chain: it was "
				       "rewritten, or entries were removed from the end"), id, c.kept_hash);
		if (c.kept_differs || !c.kept_seen)
			return SITREP_EXIT_INTEGRITY;
	}
	{
		struct { int64_t *v; size_t n, a; } ids = { NULL, 0, 0 };
		if (id > 0)
			collect_id(&(struct journal_incident){ .id = id }, &ids);
		else if (journal_incidents(a->j, collect_id, &ids, NULL) != JOURNAL_OK)
			code = SITREP_EXIT_STORAGE;
		for (size_t i = 0; i < ids.n && !code; i++) {
			int r = snapshots_agree(a, ids.v[i], msg);
			if (r == 1)
				code = SITREP_EXIT_INTEGRITY;
			else if (r)
				code = r;
		}
		free(ids.v);
	}
	err_release(&err);
	return code;
}

int app_head(struct app *a, int64_t id, struct strbuf *out, struct sitrep_error *err)
{
	struct journal_head h;
	int rc = journal_tip(a->j, id, &h, err);
	if (rc == JOURNAL_NOTFOUND) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, _("no incident %" PRId64), id);
		return SITREP_EXIT_USAGE;
	}
	if (rc != JOURNAL_OK)
		return SITREP_EXIT_STORAGE;
	sb_addf(out, "%" PRId64 ":%" PRId64 ":%s\n", id, h.last_id, h.hash);
	return 0;
}

/* ---- migrate ---- */

static int copy_incident(struct app *a, struct journal *to, int64_t id, int64_t *nentries,
			 struct sitrep_error *err)
{
	struct journal_incident src, dst;
	struct journal_head th;
	struct journal_query q;
	struct journal_cursor *cur;
	const struct journal_entry *e;
	int rc, have;

	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	if (journal_incident_get(a->j, id, 1, &src, err) != JOURNAL_OK)
		return SITREP_EXIT_STORAGE;
	rc = journal_incident_get(to, id, 0, &dst, NULL);
	have = rc == JOURNAL_OK;
	if (have && strcmp(dst.genesis, src.genesis) != 0) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0,
			_("the target holds another incident %" PRId64 ": it is not this journal "
			  "continued"), id);
		rc = SITREP_EXIT_USAGE;
		goto out;
	}
	if (journal_begin(to, err) != JOURNAL_OK) {
		rc = SITREP_EXIT_STORAGE;
		goto out;
	}
	if (!have && journal_copy_incident(to, &src, err) != JOURNAL_OK) {
		journal_rollback(to);
		rc = err && err->code ? err->code : SITREP_EXIT_STORAGE;
		goto out;
	}
	if (journal_tip(to, id, &th, err) != JOURNAL_OK) {
		journal_rollback(to);
		rc = SITREP_EXIT_STORAGE;
		goto out;
	}
	memset(&q, 0, sizeof(q));
	q.incident = id;
	q.by_id = 1;
	q.after.id = th.last_id;
	q.after.occ = INT64_MIN;
	q.upto = INT64_MAX;
	q.fields = JF_PAYLOAD | JF_READINGS | JF_HASHES;
	if (journal_cursor_open(a->j, &q, &cur, err) != JOURNAL_OK) {
		journal_rollback(to);
		rc = SITREP_EXIT_STORAGE;
		goto out;
	}
	while ((rc = journal_cursor_next(cur, &e, err)) == JOURNAL_OK && e) {
		if (journal_copy_entry(to, e, err) != JOURNAL_OK) {
			rc = JOURNAL_ERROR;
			break;
		}
		(*nentries)++;
	}
	journal_cursor_close(cur);
	if (rc != JOURNAL_OK || journal_commit(to, err) != JOURNAL_OK) {
		journal_rollback(to);
		rc = err && err->code ? err->code : SITREP_EXIT_STORAGE;
		goto out;
	}
	rc = 0;
out:
	journal_incident_release(&src);
	journal_incident_release(&dst);
	return rc;
}

static int cmp_id(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

int app_migrate(struct app *a, const char *to, struct strbuf *msg, struct sitrep_error *err)
{
	struct { int64_t *v; size_t n, a; } ids = { NULL, 0, 0 }, tids = { NULL, 0, 0 };
	struct journal *tj;
	struct app_options o;
	struct app *ta;
	int64_t nentries = 0;
	int code = 0;

	if (!strcmp(to, a->where)) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, _("the target is this journal"));
		return SITREP_EXIT_USAGE;
	}
	tj = journal_open(to, JOURNAL_CREATE, err);
	if (!tj)
		return err && err->code ? err->code : SITREP_EXIT_STORAGE;
	if (journal_incidents(a->j, collect_id, &ids, err) != JOURNAL_OK ||
	    journal_incidents(tj, collect_id, &tids, err) != JOURNAL_OK) {
		code = SITREP_EXIT_STORAGE;
		goto out;
	}
	/* a target with incidents must be this journal, continued */
	for (size_t i = 0; i < tids.n && !code; i++) {
		int found = 0;
		for (size_t k = 0; k < ids.n; k++)
			found |= ids.v[k] == tids.v[i];
		if (!found) {
			err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0,
				_("the target already holds incidents (%" PRId64 " is not in this journal): "
				  "migrate needs an empty database, or this journal continued"), tids.v[i]);
			code = SITREP_EXIT_USAGE;
		}
	}
	/* every shared incident must be the same one (its genesis), before
	 * anything is copied */
	for (size_t i = 0; i < tids.n && !code; i++) {
		struct journal_incident s, t;
		memset(&s, 0, sizeof(s));
		memset(&t, 0, sizeof(t));
		if (journal_incident_get(a->j, tids.v[i], 0, &s, err) != JOURNAL_OK ||
		    journal_incident_get(tj, tids.v[i], 0, &t, err) != JOURNAL_OK)
			code = SITREP_EXIT_STORAGE;
		else if (strcmp(s.genesis, t.genesis) != 0) {
			err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0,
				_("the target holds another incident %" PRId64 ": it is not this journal "
				  "continued"), tids.v[i]);
			code = SITREP_EXIT_USAGE;
		}
		journal_incident_release(&s);
		journal_incident_release(&t);
	}
	qsort(ids.v, ids.n, sizeof(*ids.v), cmp_id);
	for (size_t i = 0; i < ids.n && !code; i++)
		code = copy_incident(a, tj, ids.v[i], &nentries, err);
	journal_close(tj);
	tj = NULL;
	if (code)
		goto out;
	/* the target verifies by itself */
	memset(&o, 0, sizeof(o));
	o.db = to;
	o.read_only = 1;
	ta = app_open(&o, err);
	if (!ta) {
		code = err && err->code ? err->code : SITREP_EXIT_STORAGE;
		goto out;
	}
	code = app_verify(ta, 0, NULL, msg);
	app_close(ta);
	if (!code) {
		sb_addf(msg, P_("copied %zu incident, %" PRId64 " entries; the target verifies",
				"copied %zu incidents, %" PRId64 " entries; the target verifies", ids.n),
			ids.n, nentries);
	}
out:
	if (tj)
		journal_close(tj);
	free(ids.v);
	free(tids.v);
	return code;
}
