/* app: the one action path (DESIGN.md "Architecture").
 *
 *   begin (the write lock); lock the incident; the real clock for
 *   recorded_at, which must not be behind the journal (rule `clock`);
 *   derive the state at the head; the placement rule (`backfill`); the
 *   state at the action's time; the engine decides; append the entry or a
 *   `refused` one; a backfill must leave every later entry applying as it
 *   did; snapshots after it are dropped; commit; the outcome.
 *
 * A CSV import runs every reading through the same steps inside one
 * transaction (struct txn keeps the head state between them), all or
 * nothing. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_int.h"
#include "sitrep/i18n.h"
#include "sitrep/text.h"

void app_outcome_init(struct app_outcome *o)
{
	memset(o, 0, sizeof(*o));
}

void app_outcome_release(struct app_outcome *o)
{
	err_release(&o->err);
	free(o->message);
	memset(o, 0, sizeof(*o));
}

int app_fail(struct app_outcome *out, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(&out->err, code, NULL, 0, 0, NULL, fmt, ap);
	va_end(ap);
	return out->code = code;
}

/* The engine's refusal for the user: the rule, the message in their
 * language (the journal keeps the English). */
static void take_refusal(struct app_outcome *out, const struct engine_result *res)
{
	err_copy(&out->err, &res->err);
	if (res->shown) {
		free(out->err.msg);
		out->err.msg = xstrdup(res->shown);
	}
}

/* A refusal decided here rather than by the engine, kept as the engine
 * keeps its own: the journal gets the English message, the user sees it
 * translated (res->shown). fmt is an English msgid (N_). */
static void refuse_here(struct engine_result *res, int rule, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void refuse_here(struct engine_result *res, int rule, const char *fmt, ...)
{
	struct strbuf en = STRBUF_INIT, shown = STRBUF_INIT;
	va_list ap;

	sb_init(&en);
	sb_init(&shown);
	va_start(ap, fmt);
	sb_vaddf(&en, fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	sb_vaddf(&shown, _(fmt), ap);
	va_end(ap);
	err_refuse(&res->err, rule_name(rule), "%s", en.buf);
	free(res->shown);
	res->shown = sb_detach(&shown);
	sb_release(&en);
	res->status = ENGINE_REFUSED;
}

/* out->err already filled by the journal or the engine. */
static int failed(struct app_outcome *out, int code)
{
	if (!out->err.code)
		err_set(&out->err, code, NULL, 0, 0, "%s", _("the action failed"));
	return out->code = out->err.code ? out->err.code : code;
}

int app_parse_reading(const char *s, double *out)
{
	const char *p = s;
	char *end;
	double v;
	int digits = 0, sig = 0, lead = 1;

	if (!s)
		return -1;
	if (*p == '+' || *p == '-')
		p++;
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		if (!(lead && *p == '0'))
			lead = 0, sig++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, digits++)
			if (!(lead && *p == '0'))
				lead = 0, sig++;
	if (!digits || sig > 15) /* at most 15 significant digits: exact in the journal */
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (*end || !isfinite(v) || (errno == ERANGE && v != 0.0))
		return -1;
	*out = v;
	return 0;
}

/* The real clock in nanoseconds: when a level change is decided, and when
 * a command started (two commands that run at once, docs/decisions.md). */
int64_t real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- the transaction (app_int.h) ---- */

/* The time of an action given no --at: now, but never past the recorded_at
 * read at the start of its transaction (deriving a long incident may take
 * longer than a second; the action happened when it was asked for). */
int64_t app_now_upto(const struct app *a, int64_t recorded)
{
	int64_t now = app_now(a);
	return now < recorded ? now : recorded;
}

void txn_end(struct txn *t)
{
	if (t->open)
		journal_rollback(t->a->j);
	journal_incident_release(&t->row);
	derived_release(&t->d);
	t->open = 0;
}

/* Begin, lock, read the incident, check the clock, derive the head state. */
/* The open entry recorded the hash of the plan the incident runs under: a
 * plan snapshot swapped since (the genesis rewritten with it) is refused
 * before anything is decided under it (exit 5; verify says the same). */
static int check_open_anchor(struct app *a, int64_t id, const struct journal_incident *row,
			     struct app_outcome *out)
{
	struct journal_query q;
	struct journal_cursor *cur;
	const struct journal_entry *e;
	int code = 0;

	memset(&q, 0, sizeof(q));
	q.incident = id;
	q.after = JOURNAL_POS_FIRST;
	q.upto = INT64_MAX;
	/* in position order, as corrections are read: the open entry comes
	 * first either way (nothing may be dated before it), and the walk of
	 * one kind is a statement this command prepares anyway */
	q.kind = "open";
	q.fields = JF_PAYLOAD;
	if (journal_cursor_open(a->j, &q, &cur, &out->err) != JOURNAL_OK)
		return failed(out, SITREP_EXIT_STORAGE);
	if (journal_cursor_next(cur, &e, &out->err) != JOURNAL_OK) {
		code = failed(out, SITREP_EXIT_STORAGE);
	} else if (e) {
		json_error_t jerr;
		json_t *js = json_loadb(e->payload, e->payload_len, 0, &jerr);
		const char *h = js ? json_string_value(json_object_get(js, "plan_hash")) : NULL;
		if (h && strcmp(h, row->plan_hash) != 0)
			code = app_fail(out, SITREP_EXIT_INTEGRITY,
				    _("incident %" PRId64 ": its open entry recorded plan %s, the incident "
				      "row says %s (the plan snapshot was swapped): run 'sitrep verify'"),
				    id, h, row->plan_hash);
		if (js)
			json_decref(js);
	}
	journal_cursor_close(cur);
	return code;
}

int txn_begin(struct app *a, int64_t id, struct txn *t, struct app_outcome *out)
{
	struct engine_result r;
	int code;

	memset(t, 0, sizeof(*t));
	t->a = a;
	t->id = id;
	if (a->read_only)
		return app_fail(out, SITREP_EXIT_STORAGE, _("database '%s' is open read-only"), a->where);
	if (journal_begin(a->j, &out->err) != JOURNAL_OK)
		return failed(out, SITREP_EXIT_STORAGE);
	t->open = 1;
	switch (journal_lock_incident(a->j, id, &out->err)) {
	case JOURNAL_OK:
		break;
	case JOURNAL_NOTFOUND:
		return app_fail(out, SITREP_EXIT_USAGE, _("no incident %" PRId64), id);
	default:
		return failed(out, SITREP_EXIT_STORAGE);
	}
	if ((code = app_incident_plan(a, id, &t->row, &t->p, &out->err)) != 0)
		return out->code = code;
	if ((code = check_open_anchor(a, id, &t->row, out)) != 0)
		return code;
	if (app_real_clock(a, &t->recorded, &out->err) != 0 ||
	    journal_tip(a->j, id, &t->head, &out->err) != JOURNAL_OK)
		return failed(out, SITREP_EXIT_STORAGE);
	engine_result_init(&r);
	if (engine_check_clock(t->recorded, t->head.last_recorded, &r) != ENGINE_OK) {
		/* Not journaled: its recorded_at would go backwards. */
		take_refusal(out, &r);
		engine_result_release(&r);
		return out->code = SITREP_EXIT_REFUSED;
	}
	engine_result_release(&r);
	if ((code = derive_upto(a, id, t->p, JOURNAL_POS_LAST, &t->d, &out->err)) != 0)
		return out->code = code;
	return 0;
}

/* Append one entry with the txn's clock. */
int txn_append(struct txn *t, struct journal_entry *e, struct app_outcome *out)
{
	e->incident = t->id;
	e->recorded_at = t->recorded;
	e->actor = t->a->user;
	if (journal_append(t->a->j, e, &out->err) != JOURNAL_OK)
		return failed(out, SITREP_EXIT_STORAGE);
	t->head.last_id = e->id;
	t->head.last_recorded = t->recorded;
	memcpy(t->head.hash, e->hash, sizeof(t->head.hash));
	if (e->occurred_at > t->head.last_occ ||
	    (e->occurred_at == t->head.last_occ && e->id > t->head.last_occ_id)) {
		t->head.last_occ = e->occurred_at;
		t->head.last_occ_id = e->id;
	}
	return 0;
}

/* Journal a refusal (who tried what, why) and commit: exit 1. */
int txn_refusal(struct txn *t, const struct app_request *rq, int64_t at,
		const struct engine_result *res, struct app_outcome *out)
{
	struct journal_entry e;
	json_t *js = entry_payload(t->p, rq, at, res);
	char *payload;
	int64_t now = app_now_upto(t->a, t->recorded);
	int code;

	if (t->batch) {
		json_decref(js);
		take_refusal(out, res);
		return out->code = SITREP_EXIT_REFUSED;
	}
	payload = entry_dump(js);
	json_decref(js);
	memset(&e, 0, sizeof(e));
	/* the attempt happened now, whatever --at it claimed */
	e.occurred_at = now;
	e.role = res->role;
	e.kind = "refused";
	e.payload = payload;
	e.payload_len = strlen(payload);
	code = txn_append(t, &e, out);
	free(payload);
	if (code)
		return code;
	if (journal_commit(t->a->j, &out->err) != JOURNAL_OK) {
		t->open = 0;
		return failed(out, SITREP_EXIT_STORAGE);
	}
	t->open = 0;
	out->entry = e.id;
	take_refusal(out, res);
	return out->code = SITREP_EXIT_REFUSED;
}

/* The request as an engine action; names looked up in the plan (a name the
 * plan does not have is a usage error: the request is malformed). The
 * readings are put in rd (n of them). */
static int build_action(struct txn *t, const struct app_request *rq, const struct engine_action *marks,
			int64_t at, struct engine_action *act, struct engine_reading *rd,
			struct app_outcome *out)
{
	const struct plan *p = t->p;

	memset(act, 0, sizeof(*act));
	if (marks) {
		act->seen_entry = marks->seen_entry;
		act->seen_ns = marks->seen_ns;
		act->notify = marks->notify;
		act->text_hash = marks->text_hash;
	}
	act->kind = rq->kind;
	act->at = at;
	act->actor = t->a->user;
	act->role = rq->role;
	act->text = rq->text;
	act->target = rq->target;
	act->person = rq->person;
	act->recorded_at = t->recorded;
	act->recorded_ns = real_ns();
	for (size_t i = 0; i < rq->nmetrics; i++) {
		rd[i].metric = plan_metric_index(p, rq->metric_names[i]);
		rd[i].value = rq->metric_values[i];
		if (rd[i].metric < 0)
			return app_fail(out, SITREP_EXIT_USAGE, _("plan '%s' has no metric '%s'"), p->id,
				    rq->metric_names[i]);
		for (size_t k = 0; k < i; k++)
			if (rd[k].metric == rd[i].metric)
				return app_fail(out, SITREP_EXIT_USAGE,
					    _("metric '%s' is given twice: one reading per metric"),
					    rq->metric_names[i]);
	}
	act->readings = rd;
	act->nreadings = rq->nmetrics;
	act->void_reading = rq->kind == ACT_CORRECT && !rq->nmetrics;
	for (size_t i = 0; i < rq->nassess; i++) {
		size_t d;
		for (d = 0; d < p->matrix.ndims; d++)
			if (!strcmp(p->matrix.dims[d].id, rq->assess_dims[i]))
				break;
		if (d == p->matrix.ndims)
			return app_fail(out, SITREP_EXIT_USAGE, _("plan '%s' has no assessment dimension '%s'"),
				    p->id, rq->assess_dims[i]);
		act->assess[d] = rq->assess_values[i];
	}
	if ((rq->kind == ACT_ESCALATE || rq->kind == ACT_DOWNGRADE) && !rq->target) {
		if (rq->has_seen) {
			act->has_seen = 1;
			act->seen_level = rq->seen_level ? plan_level_index(p, rq->seen_level) : -1;
			if (rq->seen_level && act->seen_level < 0)
				return app_fail(out, SITREP_EXIT_USAGE, _("plan '%s' has no level '%s'"), p->id,
					    rq->seen_level);
		}
	}
	act->drill = rq->drill;
	act->due = rq->due ? rq->due : rq->due_in ? at + rq->due_in : 0;
	act->followup = rq->followup;
	act->withdraw = rq->withdraw;
	act->count = rq->kind == ACT_RESOURCE && !rq->count ? 1 : rq->count;
	return 0;
}

/* A correction names a reading of this incident. */
static int check_correction(struct txn *t, const struct app_request *rq, struct journal_pos *pos,
			    struct app_outcome *out)
{
	struct journal_entry e;
	int rc;
	if (!rq->entry)
		return app_fail(out, SITREP_EXIT_USAGE, _("correct needs the entry of the reading"));
	memset(&e, 0, sizeof(e));
	rc = journal_entry_get(t->a->j, rq->entry, &e, &out->err);
	if (rc == JOURNAL_NOTFOUND || (rc == JOURNAL_OK && e.incident != t->id)) {
		journal_entry_free_owned(&e);
		err_release(&out->err);
		return app_fail(out, SITREP_EXIT_USAGE, _("incident %" PRId64 " has no entry %" PRId64),
			    t->id, rq->entry);
	}
	if (rc != JOURNAL_OK)
		return failed(out, SITREP_EXIT_STORAGE);
	pos->occ = e.occurred_at;
	pos->id = e.id;
	rc = strcmp(e.kind, "metric") == 0;
	journal_entry_free_owned(&e);
	if (!rc)
		return -1; /* not a reading: the engine's rule `correct` says so */
	return 0;
}

/* Would the entries after the backfilled one still apply as they did?
 * st_old and st_new: the state at its place without and with it. Advances
 * st_new over them (the new head). 0, 1 (refused: res says which entry) or
 * an exit code. */
static int backfill_holds(struct txn *t, int64_t at, struct derived *with, struct derived *without,
			  struct engine_result *res, struct app_outcome *out)
{
	struct journal_query q;
	struct journal_cursor *cur;
	const struct journal_entry *e;
	struct engine_result r1, r2;
	int rc, verdict = 0;

	memset(&q, 0, sizeof(q));
	q.incident = t->id;
	q.after.occ = at;
	q.after.id = INT64_MAX;
	q.upto = INT64_MAX;
	q.fields = JF_PAYLOAD | JF_READINGS;
	if (journal_cursor_open(t->a->j, &q, &cur, &out->err) != JOURNAL_OK)
		return failed(out, SITREP_EXIT_STORAGE);
	engine_result_init(&r1);
	engine_result_init(&r2);
	while ((rc = journal_cursor_next(cur, &e, &out->err)) == JOURNAL_OK && e) {
		int before, after;
		engine_result_reset(&r1);
		engine_result_reset(&r2);
		before = derive_apply(t->p, without, e, &r1, NULL);
		after = derive_apply(t->p, with, e, &r2, NULL);
		if (before && !after) {
			char b1[40], b2[40];
			refuse_here(res, RULE_BACKFILL,
				    N_("placed at %s it would make entry %" PRId64 " (%s, %s) no longer "
				       "apply: %s"),
				    time_format_utc(at, b1, sizeof(b1)), e->id, e->kind,
				    time_format_utc(e->occurred_at, b2, sizeof(b2)),
				    r2.err.msg ? r2.err.msg : "");
			res->status = ENGINE_REFUSED;
			verdict = 1;
			break;
		}
	}
	engine_result_release(&r1);
	engine_result_release(&r2);
	journal_cursor_close(cur);
	if (rc != JOURNAL_OK)
		return failed(out, SITREP_EXIT_STORAGE);
	return verdict;
}

/* A person named by the contacts file is journaled by their id, whichever
 * of id or name was typed (site_contact_find); anyone else as typed. */
static const char *person_id(struct app *a, const char *who)
{
	const struct site_contact *c = who && *who ? site_contact_find(&a->contacts, who) : NULL;
	return c ? c->id : who;
}

/* Long by design: the one action path, its steps in the order
 * docs/architecture.md lists them: kept in one piece so that the order is
 * seen. */
int txn_act(struct txn *t, const struct app_request *rq_in, const struct engine_action *marks,
	    json_t *extra, int64_t at, struct engine_result *res, struct app_outcome *out)
{
	struct app_request rq_resolved = *rq_in, *rq = &rq_resolved;
	struct engine_reading rd_store[64], *rd = rd_store;
	struct engine_action act;
	struct derived at_state, *dec = &t->d;
	struct journal_pos head_pos = { t->head.last_occ, t->head.last_occ_id };
	struct journal_pos fix = JOURNAL_POS_LAST; /* snapshots after this are stale */
	struct journal_reading jr[64];
	struct journal_entry e;
	json_t *js;
	char *payload;
	int code = 0, backfill, not_reading = 0;

	memset(&at_state, 0, sizeof(at_state));
	rq->person = person_id(t->a, rq->person);
	if (rq->kind == ACT_HANDOVER)
		rq->target = person_id(t->a, rq->target);
	if (rq->nmetrics > 64)
		rd = xcalloc(rq->nmetrics, sizeof(*rd));
	if ((code = build_action(t, rq, marks, at, &act, rd, out)) != 0)
		goto out;
	if (rq->kind == ACT_LOG && rq->entry) {
		struct journal_pos ignored;
		code = check_correction(t, rq, &ignored, out);
		if (code > 0)
			goto out;
		code = 0; /* a note may say what was wrong with any entry */
	}
	if (rq->kind == ACT_CORRECT) {
		code = check_correction(t, rq, &fix, out);
		if (code > 0)
			goto out;
		not_reading = code < 0;
		code = 0;
	}
	if (at > t->recorded) {
		code = app_fail(out, SITREP_EXIT_USAGE, _("--at is in the future"));
		goto out;
	}
	if (t->d.st.opened_at && at < t->d.st.opened_at) {
		char b[40];
		refuse_here(res, RULE_BACKFILL, N_("%s is before the incident was opened"),
			    time_format_utc(at, b, sizeof(b)));
		res->status = ENGINE_REFUSED;
		code = txn_refusal(t, rq, at, res, out);
		goto out;
	}
	if (engine_may_place(&t->d.st, rq->kind, at, res) != ENGINE_OK) {
		code = txn_refusal(t, rq, at, res, out);
		goto out;
	}
	if (not_reading) {
		refuse_here(res, RULE_CORRECT,
			    N_("entry %" PRId64 " is not a reading: only readings are corrected (a note "
			       "can say what was wrong)"), rq->entry);
		res->status = ENGINE_REFUSED;
		code = txn_refusal(t, rq, at, res, out);
		goto out;
	}
	backfill = at < head_pos.occ;
	if (backfill) {
		struct journal_pos upto = { at, INT64_MAX };
		if ((code = derive_upto(t->a, t->id, t->p, upto, &at_state, &out->err)) != 0)
			goto out;
		dec = &at_state;
	}
	engine_advance(&dec->st, t->p, at, NULL);
	if (backfill) {
		/* the state without the new entry, for backfill_holds */
		struct derived without;
		memset(&without, 0, sizeof(without));
		engine_copy(&without.st, &dec->st);
		without.corr = dec->corr; /* borrowed: released with at_state */
		if (engine_apply(&dec->st, t->p, &act, res) == ENGINE_OK) {
			int v = backfill_holds(t, at, dec, &without, res, out);
			engine_release(&without.st);
			if (v > 1) {
				code = v;
				goto out;
			}
		} else {
			engine_release(&without.st);
		}
	} else {
		engine_apply(&dec->st, t->p, &act, res);
	}
	if (res->status == ENGINE_INVALID) {
		take_refusal(out, res);
		code = out->code = SITREP_EXIT_USAGE;
		goto out;
	}
	if (res->status == ENGINE_REFUSED) {
		code = txn_refusal(t, rq, at, res, out);
		goto out;
	}

	js = entry_payload(t->p, rq, at, res);
	if (res->to_level >= 0 && (rq->kind == ACT_ESCALATE || rq->kind == ACT_DOWNGRADE ||
				   rq->kind == ACT_ACCEPT))
		json_object_set_new(js, "decided_ns", json_integer(act.recorded_ns));
	if (extra)
		json_object_update(js, extra);
	payload = entry_dump(js);
	json_decref(js);
	memset(&e, 0, sizeof(e));
	e.occurred_at = at;
	e.role = res->role;
	e.kind = action_name(rq->kind);
	e.payload = payload;
	e.payload_len = strlen(payload);
	e.corrects = rq->kind == ACT_CORRECT || rq->kind == ACT_LOG ? rq->entry : 0;
	e.nreadings = entry_readings(rq, jr, sizeof(jr) / sizeof(jr[0]));
	e.readings = jr;
	code = txn_append(t, &e, out);
	free(payload);
	if (code)
		goto out;
	out->entry = e.id;
	engine_bind_entry(&dec->st, e.id);
	snprintf(out->id, sizeof(out->id), "%s", res->task_id);
	if (backfill) {
		fix.occ = at;
		fix.id = e.id;
	}
	if (fix.occ != INT64_MAX) {
		/* what came after is derived anew: from the nearest snapshot */
		if (journal_snapshot_drop_after(t->a->j, t->id, fix, &out->err) != JOURNAL_OK) {
			code = failed(out, SITREP_EXIT_STORAGE);
			goto out;
		}
		derived_release(&t->d);
		if ((code = derive_upto(t->a, t->id, t->p, JOURNAL_POS_LAST, &t->d, &out->err)) != 0)
			goto out;
	} else {
		t->d.pos.occ = at;
		t->d.pos.id = e.id;
		t->d.max_id = e.id;
		t->d.since_snapshot++;
	}
	derive_snapshot(t->a, t->id, &t->d, 0);
out:
	derived_release(&at_state);
	if (rd != rd_store)
		free(rd);
	return code;
}

void txn_outcome_message(const struct txn *t, const struct engine_result *res,
			 const struct app_request *rq, struct app_outcome *out)
{
	struct strbuf sb = STRBUF_INIT, one = STRBUF_INIT;
	sb_init(&sb);
	sb_init(&one);
	for (size_t i = 0; i < res->neffects; i++) {
		if (res->effects[i].kind == EFF_OBLIGATION_STARTED && rq->kind != ACT_TASK)
			continue;
		sb_reset(&one);
		effect_text(t->p, &t->d.st, &res->effects[i], &one);
		if (!one.len)
			continue;
		if (sb.len)
			/* TRANSLATORS: between the clauses of one sentence */
			sb_adds(&sb, _("; "));
		sb_add(&sb, one.buf, one.len);
	}
	if (!sb.len)
		sb_addf(&sb, _("%s recorded (entry %" PRId64 ")"), action_word(rq->kind), out->entry);
	free(out->message);
	out->message = sb_detach(&sb);
	sb_release(&one);
}

int txn_commit(struct txn *t, struct app_outcome *out)
{
	int rc = journal_commit(t->a->j, &out->err);
	t->open = 0;
	if (rc != JOURNAL_OK)
		return failed(out, SITREP_EXIT_STORAGE);
	return 0;
}

/* ---- open ---- */

/* The plan the journal already runs under this id: the newest incident's
 * snapshot. Anyone may open under it; a different text of the same id may
 * only be opened by a user its roster lets open (docs/guarantees.md). */
struct auth_find {
	const char *plan_id;
	int64_t id;
};

static int auth_cb(const struct journal_incident *inc, void *ctx)
{
	struct auth_find *f = ctx;
	if (strcmp(inc->plan_id, f->plan_id) != 0)
		return 0;
	f->id = inc->id;
	return 1;
}

/* Every action the user may take under plan p (a bit per enum sitrep_action). */
static uint64_t user_actions(const struct plan *p, const char *user)
{
	uint32_t roles = engine_user_roles(p, user);
	uint64_t acts = 0;
	for (size_t i = 0; i < p->nroles && i < 32; i++)
		if ((roles >> i) & 1u)
			acts |= (uint64_t)p->roles[i].actions;
	return acts;
}

static int check_authoritative(struct app *a, const struct plan *p, int64_t *differs,
			       struct app_outcome *out)
{
	struct auth_find f = { p->id, 0 };
	struct journal_incident row;
	const struct plan *ap;
	int code;

	*differs = 0;
	if (journal_incidents(a->j, auth_cb, &f, &out->err) != JOURNAL_OK)
		return failed(out, SITREP_EXIT_STORAGE);
	if (!f.id)
		return 0;
	memset(&row, 0, sizeof(row));
	if ((code = app_incident_plan(a, f.id, &row, &ap, &out->err)) != 0) {
		journal_incident_release(&row);
		err_release(&out->err);
		return 0; /* an unreadable snapshot decides nothing */
	}
	if (strcmp(row.plan_hash, p->hash) != 0) {
		uint64_t had = user_actions(ap, a->user), would = user_actions(p, a->user);
		*differs = f.id;
		if (!((had >> ACT_OPEN) & 1u)) {
			err_refuse(&out->err, rule_name(RULE_ROLES),
				   _("plan '%s' differs from the one this journal runs (incident %" PRId64
				     "), whose roster does not let user '%s' open incidents"),
				   p->id, f.id, a->user);
			journal_incident_release(&row);
			return out->code = SITREP_EXIT_REFUSED;
		}
		if (would & ~had) {
			/* another copy of the plan (--plans) must not widen what this
			 * user may do: the journal's roster decides */
			struct strbuf gained = STRBUF_INIT;
			sb_init(&gained);
			for (int k = 0; k < ACT__COUNT; k++)
				if (((would & ~had) >> k) & 1u)
					sb_addf(&gained, "%s%s", gained.len ? ", " : "", action_name(k));
			err_refuse(&out->err, rule_name(RULE_ROLES),
				   _("plan '%s' differs from the one this journal runs (incident %" PRId64
				     "): it would let user '%s' %s, which the journal's roster does not"),
				   p->id, f.id, a->user, gained.buf);
			sb_release(&gained);
			journal_incident_release(&row);
			return out->code = SITREP_EXIT_REFUSED;
		}
	}
	journal_incident_release(&row);
	return 0;
}

/* Long by design: opening differs from every other action (no incident yet):
 * its own path, step by step. */
static int act_open(struct app *a, const struct app_request *rq, struct app_outcome *out)
{
	struct error_list el;
	struct plan *p;
	struct journal_incident row;
	struct engine_state st;
	struct engine_action act;
	struct engine_result res;
	struct journal_entry e;
	int64_t recorded, at, differs = 0;
	json_t *js;
	char *payload;
	int code;

	if (!rq->plan || !*rq->plan)
		return app_fail(out, SITREP_EXIT_USAGE, _("open needs a plan (--plan NAME)"));
	if (!rq->text || !*rq->text)
		return app_fail(out, SITREP_EXIT_USAGE, _("open needs a title"));
	errlist_init(&el);
	p = plan_find(a->plans_dir, rq->plan, NULL, &el);
	if (!p) {
		struct strbuf m = STRBUF_INIT;
		sb_init(&m);
		errlist_join(&el, &m);
		app_fail(out, SITREP_EXIT_PLAN, _("cannot use plan '%s': %s"), rq->plan,
		     m.len ? m.buf : _("not found"));
		sb_release(&m);
		errlist_release(&el);
		return out->code;
	}
	errlist_release(&el);
	if (a->read_only) {
		plan_free(p);
		return app_fail(out, SITREP_EXIT_STORAGE, _("database '%s' is open read-only"), a->where);
	}
	if (journal_begin(a->j, &out->err) != JOURNAL_OK) {
		plan_free(p);
		return failed(out, SITREP_EXIT_STORAGE);
	}
	if ((code = check_authoritative(a, p, &differs, out)) != 0 ||
	    (code = app_real_clock(a, &recorded, &out->err)) != 0) {
		journal_rollback(a->j);
		plan_free(p);
		return code == 0 ? failed(out, SITREP_EXIT_STORAGE) : (out->code = code);
	}
	at = rq->has_at ? rq->at : app_now_upto(a, recorded);
	if (at < SITREP_EPOCH_MIN) {
		/* an opening time of 0 would read as "not opened" everywhere */
		journal_rollback(a->j);
		plan_free(p);
		return app_fail(out, SITREP_EXIT_USAGE, _("--at is before 2000: an incident opens after that"));
	}
	if (at > recorded) {
		journal_rollback(a->j);
		plan_free(p);
		return app_fail(out, SITREP_EXIT_USAGE, _("--at is in the future"));
	}
	engine_init(&st, p);
	engine_result_init(&res);
	memset(&act, 0, sizeof(act));
	act.kind = ACT_OPEN;
	act.at = at;
	act.actor = a->user;
	act.role = rq->role;
	act.text = rq->text;
	act.drill = rq->drill;
	act.recorded_at = recorded;
	if (engine_apply(&st, p, &act, &res) != ENGINE_OK) {
		/* nothing to hang a refusal on: the incident is not created */
		journal_rollback(a->j);
		take_refusal(out, &res);
		code = out->code = res.status == ENGINE_INVALID ? SITREP_EXIT_USAGE : SITREP_EXIT_REFUSED;
		goto done;
	}
	memset(&row, 0, sizeof(row));
	row.title = (char *)rq->text;
	row.plan_id = p->id;
	row.plan_text = p->yaml;
	row.plan_len = p->yaml_len;
	row.drill = rq->drill;
	row.created_at = recorded;
	if (journal_incident_create(a->j, &row, &out->err) != JOURNAL_OK) {
		journal_rollback(a->j);
		code = failed(out, SITREP_EXIT_STORAGE);
		goto done;
	}
	js = json_object();
	json_object_set_new(js, "title", json_string(rq->text));
	json_object_set_new(js, "plan", json_string(p->id));
	json_object_set_new(js, "plan_hash", json_string(p->hash));
	json_object_set_new(js, "drill", json_boolean(rq->drill));
	if (differs)
		json_object_set_new(js, "plan_differs_from", json_integer(differs));
	if (rq->role)
		json_object_set_new(js, "as", json_string(rq->role));
	payload = entry_dump(js);
	json_decref(js);
	memset(&e, 0, sizeof(e));
	e.incident = row.id;
	e.recorded_at = recorded;
	e.occurred_at = at;
	e.actor = a->user;
	e.role = res.role;
	e.kind = "open";
	e.payload = payload;
	e.payload_len = strlen(payload);
	code = journal_append(a->j, &e, &out->err);
	free(payload);
	if (code != JOURNAL_OK || journal_commit(a->j, &out->err) != JOURNAL_OK) {
		journal_rollback(a->j);
		code = failed(out, SITREP_EXIT_STORAGE);
		goto done;
	}
	out->incident = row.id;
	out->entry = e.id;
	out->message = xstrdup(_("opened"));
	code = out->code = 0;
done:
	engine_result_release(&res);
	engine_release(&st);
	plan_free(p);
	return code;
}

/* ---- every other action ---- */

/* The journal's last entry and the real clock when a one-step command
 * started: the level it means is the one before any change after them. */
static void seen_marks(struct app *a, const struct app_request *rq, struct engine_action *marks)
{
	struct journal_head h;
	memset(marks, 0, sizeof(*marks));
	if ((rq->kind != ACT_ESCALATE && rq->kind != ACT_DOWNGRADE) || rq->target || rq->has_seen)
		return;
	if (journal_tip(a->j, rq->incident, &h, NULL) == JOURNAL_OK)
		marks->seen_entry = h.last_id ? h.last_id : -1;
	marks->seen_ns = a->started_ns;
}

static int act_marked(struct app *a, const struct app_request *rq, const struct engine_action *marks,
		      struct app_outcome *out);

static int act_dispatch(struct app *a, const struct app_request *rq, struct app_outcome *out);

int app_act(struct app *a, const struct app_request *rq, struct app_outcome *out)
{
	int code = act_dispatch(a, rq, out);
	/* the next request of this process comes after this one: it sees what
	 * this one did (a scenario's steps; one step from the level it left) */
	a->started_ns = real_ns();
	return code;
}

static int act_dispatch(struct app *a, const struct app_request *rq, struct app_outcome *out)
{
	struct engine_action marks;

	out->code = 0;
	out->incident = rq->incident;
	out->entry = 0;
	out->id[0] = '\0';
	err_release(&out->err);
	free(out->message);
	out->message = NULL;
	if ((int)rq->kind < 0 || rq->kind >= ACT__COUNT)
		return app_fail(out, SITREP_EXIT_USAGE, _("unknown action"));
	{
		/* every text a request carries, before anything is decided or journaled */
		const char *texts[] = { rq->text, rq->target, rq->person, rq->role, rq->scope,
					rq->expected, rq->measures, rq->message, rq->by_hand,
					rq->channel, rq->plan };
		for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
			if (texts[i] && strlen(texts[i]) > ENGINE_TEXT_MAX)
				return app_fail(out, SITREP_EXIT_USAGE,
					    _("a text is longer than %d KiB: nothing was recorded"),
					    ENGINE_TEXT_MAX / 1024);
			/* the journal holds UTF-8 only: refused here, not dropped later */
			if (texts[i] && !tx_valid_utf8(texts[i], strlen(texts[i])))
				return app_fail(out, SITREP_EXIT_USAGE,
					    _("a text is not valid UTF-8 (check the terminal's or the "
					      "file's encoding): nothing was recorded"));
		}
		for (size_t i = 0; i < rq->nassess; i++)
			if ((rq->assess_values[i] &&
			     !tx_valid_utf8(rq->assess_values[i], strlen(rq->assess_values[i]))) ||
			    (rq->assess_dims[i] &&
			     !tx_valid_utf8(rq->assess_dims[i], strlen(rq->assess_dims[i]))))
				return app_fail(out, SITREP_EXIT_USAGE,
					    _("a text is not valid UTF-8 (check the terminal's or the "
					      "file's encoding): nothing was recorded"));
		for (size_t i = 0; i < rq->nmetrics; i++)
			if (rq->metric_names[i] &&
			    !tx_valid_utf8(rq->metric_names[i], strlen(rq->metric_names[i])))
				return app_fail(out, SITREP_EXIT_USAGE,
					    _("a text is not valid UTF-8 (check the terminal's or the "
					      "file's encoding): nothing was recorded"));
	}
	if (rq->kind == ACT_OPEN)
		return act_open(a, rq, out);
	if (rq->kind == ACT_NOTIFY)
		return notify_act(a, rq, out);
	if (rq->kind == ACT_APPROVE)
		return approve_act(a, rq, out);
	seen_marks(a, rq, &marks);
	return act_marked(a, rq, &marks, out);
}

static int act_marked(struct app *a, const struct app_request *rq, const struct engine_action *marks,
		      struct app_outcome *out)
{
	struct txn t;
	struct engine_result res;
	int64_t at;
	int code;

	if ((code = txn_begin(a, rq->incident, &t, out)) != 0) {
		txn_end(&t);
		return code;
	}
	at = rq->has_at ? rq->at : app_now_upto(a, t.recorded);
	engine_result_init(&res);
	code = txn_act(&t, rq, marks, NULL, at, &res, out);
	if (code == 0 && (code = txn_commit(&t, out)) == 0)
		txn_outcome_message(&t, &res, rq, out);
	engine_result_release(&res);
	txn_end(&t);
	return out->code = code;
}
