/* app: replay. The state of an incident is never stored, only derived: its
 * entries in (occurred_at, id) order, decoded into engine actions and
 * applied under the incident's plan snapshot. Snapshots of the derived
 * state, one every SNAPSHOT_EVERY entries, give every position a near
 * starting point: a read or a backfill replays a few hundred entries, not
 * the incident. Corrections are loaded first, so that a corrected reading
 * is read as corrected wherever the replay starts.
 *
 * The timeline is the same replay seen row by row: before each entry what
 * time did (trigger windows completing, deadlines passing: "auto" rows),
 * then the entry with what it caused. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app_int.h"
#include "sitrep/i18n.h"
#include "sitrep/text.h"

void derived_release(struct derived *d)
{
	engine_release(&d->st);
	corrections_release(&d->corr);
	memset(d, 0, sizeof(*d));
}

static int pos_le(struct journal_pos a, struct journal_pos b)
{
	return a.occ < b.occ || (a.occ == b.occ && a.id <= b.id);
}

/* Every correction of the incident: entry -> readings to use instead. */
static int load_corrections(struct app *a, int64_t id, const struct plan *p,
			    struct corrections *c, struct sitrep_error *err)
{
	struct journal_query q;
	struct journal_cursor *cur;
	const struct journal_entry *e;
	int rc;

	memset(&q, 0, sizeof(q));
	q.incident = id;
	q.after = JOURNAL_POS_FIRST;
	q.upto = INT64_MAX;
	q.fields = JF_PAYLOAD;
	q.kind = "correct";
	if ((rc = journal_cursor_open(a->j, &q, &cur, err)) != JOURNAL_OK)
		return err && err->code ? err->code : SITREP_EXIT_STORAGE;
	while ((rc = journal_cursor_next(cur, &e, err)) == JOURNAL_OK && e) {
		json_error_t jerr;
		json_t *js = json_loadb(e->payload, e->payload_len, 0, &jerr);
		struct correction *co;
		const char *key;
		json_t *v;
		int64_t target;

		if (!js)
			continue;
		target = json_integer_value(json_object_get(js, "entry"));
		if (target <= 0) {
			json_decref(js);
			continue;
		}
		/* a later correction of the same reading replaces an earlier one */
		co = (struct correction *)corrections_find(c, target);
		if (!co) {
			c->v = xgrow(c->v, sizeof(*c->v), c->n + 1, &c->alloc);
			co = &c->v[c->n++];
			memset(co, 0, sizeof(*co));
			co->entry = target;
			/* keep it sorted: insertion from the end */
			for (size_t i = c->n - 1; i > 0 && c->v[i - 1].entry > c->v[i].entry; i--) {
				struct correction t = c->v[i - 1];
				c->v[i - 1] = c->v[i];
				c->v[i] = t;
				co = &c->v[i - 1];
			}
		}
		free(co->rd);
		co->rd = NULL;
		co->nrd = 0;
		co->by = e->id;
		co->void_reading = json_is_true(json_object_get(js, "void"));
		json_object_foreach(json_object_get(js, "readings"), key, v) {
			int m = plan_metric_index(p, key);
			if (m < 0 || !json_is_number(v))
				continue;
			co->rd = xrealloc(co->rd, (co->nrd + 1) * sizeof(*co->rd));
			co->rd[co->nrd].metric = m;
			co->rd[co->nrd].value = json_number_value(v);
			co->nrd++;
		}
		json_decref(js);
	}
	journal_cursor_close(cur);
	if (rc != JOURNAL_OK)
		return err && err->code ? err->code : SITREP_EXIT_STORAGE;
	return 0;
}

int derive_apply(const struct plan *p, struct derived *d, const struct journal_entry *e,
		 struct engine_result *r, struct decoded *dec)
{
	struct decoded local;
	struct decoded *dd = dec ? dec : &local;
	int k, applied = 0;

	k = entry_decode(p, e, &d->corr, dd);
	if (k >= 0)
		applied = engine_apply(&d->st, p, &dd->act, r) == ENGINE_OK;
	d->pos.occ = e->occurred_at;
	d->pos.id = e->id;
	if (e->id > d->max_id)
		d->max_id = e->id;
	d->since_snapshot++;
	if (!dec)
		decoded_release(&local);
	return applied;
}

int derive_upto(struct app *a, int64_t id, const struct plan *p, struct journal_pos upto,
		struct derived *d, struct sitrep_error *err)
{
	struct journal_snapshot snap;
	struct journal_query q;
	struct journal_cursor *cur;
	const struct journal_entry *e;
	struct engine_result r;
	int rc, code;

	memset(d, 0, sizeof(*d));
	d->pos = JOURNAL_POS_FIRST;
	if ((code = load_corrections(a, id, p, &d->corr, err)) != 0) {
		engine_init(&d->st, p);
		return code;
	}
	memset(&snap, 0, sizeof(snap));
	rc = a->no_snapshots ? JOURNAL_NOTFOUND : journal_snapshot_before(a->j, id, upto, &snap, NULL);
	if (rc == JOURNAL_OK && engine_decode(&d->st, p, snap.blob, snap.len) == 0) {
		d->pos = snap.pos;
		d->max_id = snap.max_id;
	} else {
		engine_init(&d->st, p);
	}
	journal_snapshot_release(&snap);

	memset(&q, 0, sizeof(q));
	q.incident = id;
	q.after = d->pos;
	q.upto = upto.occ;
	q.fields = JF_PAYLOAD | JF_READINGS;
	q.read_ahead = 1; /* the loop below only applies entries */
	if ((rc = journal_cursor_open(a->j, &q, &cur, err)) != JOURNAL_OK)
		return err && err->code ? err->code : SITREP_EXIT_STORAGE;
	engine_result_init(&r);
	while ((rc = journal_cursor_next(cur, &e, err)) == JOURNAL_OK && e) {
		struct journal_pos ep = { e->occurred_at, e->id };
		if (!pos_le(ep, upto))
			break;
		engine_result_reset(&r);
		derive_apply(p, d, e, &r, NULL);
	}
	engine_result_release(&r);
	journal_cursor_close(cur);
	if (rc != JOURNAL_OK)
		return err && err->code ? err->code : SITREP_EXIT_STORAGE;
	return 0;
}

void derive_snapshot(struct app *a, int64_t id, struct derived *d, int force)
{
	struct journal_snapshot s;
	struct strbuf blob = STRBUF_INIT;

	if (a->read_only || journal_readonly(a->j) || d->pos.id <= 0)
		return;
	if (!force && d->since_snapshot < SNAPSHOT_EVERY)
		return;
	sb_init(&blob);
	engine_encode(&d->st, &blob);
	memset(&s, 0, sizeof(s));
	s.pos = d->pos;
	s.max_id = d->max_id;
	s.blob = blob.buf;
	s.len = blob.len;
	/* a cache: a failure here costs a longer replay later, nothing else */
	if (journal_snapshot_put(a->j, id, &s, NULL) == JOURNAL_OK)
		d->since_snapshot = 0;
	sb_release(&blob);
}

/* ---- rows ---- */

/* Which effect of a group names the row: the one that matters most. */
static int effect_rank(enum sitrep_effect k)
{
	static const enum sitrep_effect order[] = {
		EFF_TERMINATED, EFF_LEVEL, EFF_WARNING_RAISED, EFF_WARNING_LIFTED, EFF_PROPOSAL,
		EFF_PROPOSAL_WITHDRAWN, EFF_TRIGGER_FIRED, EFF_TRIGGER_CLEARED, EFF_OBLIGATION_MISSED,
		EFF_OBLIGATION_WITHDRAWN, EFF_OBLIGATION_CANCELLED, EFF_OBLIGATION_DONE,
		EFF_OBLIGATION_STARTED,
	};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (order[i] == k)
			return (int)i;
	return 100;
}

struct row_builder {
	struct arena mem;        /* the strings of the row being built */
	struct view_row row;
	const char **lines;      /* effect lines */
	size_t nlines, alines;
};

static void rb_reset(struct row_builder *b)
{
	arena_release(&b->mem);
	memset(&b->row, 0, sizeof(b->row));
	b->nlines = 0;
}

static void rb_line(struct row_builder *b, const char *s)
{
	b->lines = xgrow(b->lines, sizeof(*b->lines), b->nlines + 1, &b->alines);
	b->lines[b->nlines++] = arena_strdup(&b->mem, s);
}

static void rb_state(struct row_builder *b, const struct plan *p, const struct engine_state *st)
{
	b->row.phase = phase_name(st->phase);
	b->row.level = plan_level_id(p, st->level);
	b->row.warning = plan_warning_id(p, st->warning);
}

struct walk {
	struct app *a;
	const struct plan *p;
	const struct rows_query *q;
	struct derived d;
	struct row_builder b;
	struct strbuf sb;
	int stopped;
	struct view_pos last;    /* the last key produced */
	const char *metric_word; /* _("metric"), asked once (gettext reads the
	                            environment on every call) */
	const char *kind_words[ACT__COUNT]; /* kind_word of each action, asked once each */
};

/* The word a row's kind shows as (the console's KIND column), asked of
 * gettext once per action a walk meets (a search passes a million rows). */
static const char *row_kind_word(struct walk *w, const char *kind)
{
	int a = action_lookup(kind);
	if (a < 0)
		return kind_word(kind); /* refused, auto, export: rare beside the actions */
	if (!w->kind_words[a])
		w->kind_words[a] = kind_word(kind);
	return w->kind_words[a];
}

static int row_wanted(struct walk *w, const struct view_row *row)
{
	const char *s = w->q->search;
	if (w->q->kind && *w->q->kind && strcmp(row->kind, w->q->kind) != 0)
		return 0;
	if (!s || !*s)
		return 1;
	if (tx_match(row->summary, s) || tx_match(row->text, s) || tx_match(row->actor, s) ||
	    tx_match(row->kind, s) || tx_match(row_kind_word(w, row->kind), s))
		return 1;
	for (size_t i = 0; i < row->neffects; i++)
		if (tx_match(row->effects[i], s))
			return 1;
	return 0;
}

static int key_after(const struct view_pos *k, const struct view_pos *after)
{
	if (k->occ != after->occ)
		return k->occ > after->occ;
	if (k->id != after->id)
		return k->id > after->id;
	return k->sub > after->sub;
}

static void emit(struct walk *w, const struct view_pos *key, const struct engine_result *r)
{
	w->last = *key;
	if (w->stopped || !key_after(key, &w->q->after))
		return;
	w->b.row.effects = (const char *const *)w->b.lines;
	w->b.row.neffects = w->b.nlines;
	if (!row_wanted(w, &w->b.row))
		return;
	if (w->q->fn(&w->b.row, key, r, w->q->ctx))
		w->stopped = 1;
}

/* The effects time produced before entry `next_key` (or at the end): one
 * auto row per moment, named by its weightiest effect. */
static void emit_auto(struct walk *w, const struct engine_result *r, struct journal_pos prev)
{
	size_t i = 0;
	int sub = 0;
	while (i < r->neffects && !w->stopped) {
		size_t j = i, head = i;
		struct view_pos key;
		while (j < r->neffects && r->effects[j].at == r->effects[i].at) {
			if (effect_rank(r->effects[j].kind) < effect_rank(r->effects[head].kind))
				head = j;
			j++;
		}
		rb_reset(&w->b);
		sb_reset(&w->sb);
		effect_text(w->p, &w->d.st, &r->effects[head], &w->sb);
		w->b.row.summary = arena_strdup(&w->b.mem, w->sb.buf);
		for (size_t k = i; k < j; k++) {
			int rearm = 0;
			if (k == head)
				continue;
			/* a cadence missed is due again at once: one line says it */
			for (size_t m = i; m < j && r->effects[k].kind == EFF_OBLIGATION_STARTED; m++)
				rearm |= r->effects[m].kind == EFF_OBLIGATION_MISSED &&
					 r->effects[m].ref == r->effects[k].ref;
			if (rearm)
				continue;
			sb_reset(&w->sb);
			effect_text(w->p, &w->d.st, &r->effects[k], &w->sb);
			rb_line(&w->b, w->sb.buf);
		}
		w->b.row.occurred_at = w->b.row.recorded_at = r->effects[i].at;
		w->b.row.actor = "";
		w->b.row.role = "";
		w->b.row.kind = "auto";
		w->b.row.rule = "";
		rb_state(&w->b, w->p, &w->d.st);
		key.occ = prev.occ;
		key.id = prev.id;
		key.sub = ++sub;
		{
			/* this moment's effects, for the callers that count them (the review) */
			struct engine_result slice;
			engine_result_init(&slice);
			slice.effects = r->effects + i;
			slice.neffects = j - i;
			emit(w, &key, &slice);
		}
		i = j;
	}
}

/* Does the JSON text hold this quoted key anywhere (a cheap pre-check:
 * false means certainly not)? */
static int holds_key(const char *s, size_t n, const char *quoted)
{
	size_t k = strlen(quoted);
	for (const char *p = s; (p = memchr(p, '"', n - (size_t)(p - s))) != NULL; p++)
		if ((size_t)(s + n - p) >= k && memcmp(p, quoted, k) == 0)
			return 1;
	return 0;
}

static void emit_entry(struct walk *w, const struct journal_entry *e, const struct engine_result *r,
		       const struct decoded *dec, int applied)
{
	json_t *js = dec->js;
	json_error_t jerr;
	struct view_pos key = { e->occurred_at, e->id, 0 };
	int k = action_lookup(e->kind);
	const char **rd = NULL;
	size_t nrd = 0;

	rb_reset(&w->b);
	sb_reset(&w->sb);
	if (k == ACT_METRIC && e->nreadings) {
		/* each reading written once, NAME=VALUE: the row's list and,
		 * without a note, its summary */
		rd = arena_alloc(&w->b.mem, e->nreadings * sizeof(*rd));
		for (size_t i = 0; i < e->nreadings; i++) {
			char num[NUM_G15_MAX];
			size_t ml = strlen(e->readings[i].metric), nl = num_g15(e->readings[i].value, num);
			char *s = arena_alloc(&w->b.mem, ml + 1 + nl + 1);
			memcpy(s, e->readings[i].metric, ml);
			s[ml] = '=';
			memcpy(s + ml + 1, num, nl + 1);
			rd[nrd++] = s;
		}
	}
	if (!js && k == ACT_METRIC && e->nreadings && e->payload &&
	    !holds_key(e->payload, e->payload_len, "\"note\"")) {
		/* a reading without a note (most of a long incident): its summary
		 * from the typed readings, no JSON to parse */
		sb_adds(&w->sb, w->metric_word);
		for (size_t i = 0; i < nrd; i++) {
			sb_adds(&w->sb, i ? ", " : " ");
			sb_adds(&w->sb, rd[i]);
		}
	} else {
		if (!js && e->payload)
			js = json_loadb(e->payload, e->payload_len, 0, &jerr);
		entry_summary(w->p, e->kind, js, e->corrects, &w->sb);
	}
	w->b.row.summary = arena_strdup(&w->b.mem, w->sb.buf);
	w->b.row.entry = e->id;
	w->b.row.occurred_at = e->occurred_at;
	w->b.row.recorded_at = e->recorded_at;
	w->b.row.actor = arena_strdup(&w->b.mem, e->actor);
	w->b.row.role = arena_strdup(&w->b.mem, e->role ? e->role : "");
	w->b.row.kind = arena_strdup(&w->b.mem, e->kind);
	w->b.row.refused = !strcmp(e->kind, "refused");
	w->b.row.rule = "";
	if (js) {
		const char *text = k >= 0 ? json_string_value(json_object_get(js, action_info[k].text_key))
					  : json_string_value(json_object_get(js, "message"));
		w->b.row.text = arena_strdup(&w->b.mem, text);
		if (w->b.row.refused && json_string_value(json_object_get(js, "rule")))
			w->b.row.rule = arena_strdup(&w->b.mem, json_string_value(json_object_get(js, "rule")));
	}
	w->b.row.no_effect = k >= 0 && !applied;
	w->b.row.corrects = e->corrects;
	w->b.row.payload = e->payload ? arena_strndup(&w->b.mem, e->payload, e->payload_len) : NULL;
	w->b.row.corrected_by = dec->corrected_by;
	w->b.row.readings = rd;
	w->b.row.nreadings = nrd;
	for (size_t i = 0; applied && i < r->neffects; i++) {
		sb_reset(&w->sb);
		effect_text(w->p, &w->d.st, &r->effects[i], &w->sb);
		rb_line(&w->b, w->sb.buf);
	}
	rb_state(&w->b, w->p, &w->d.st);
	if (js && js != dec->js)
		json_decref(js);
	emit(w, &key, r);
}

int derive_rows(struct app *a, int64_t id, const struct plan *p, const struct rows_query *q,
		struct rows_result *res, struct sitrep_error *err)
{
	struct walk w;
	struct journal_query jq;
	struct journal_cursor *cur;
	const struct journal_entry *e;
	struct engine_result r;
	struct journal_pos start = { q->after.occ, q->after.id };
	size_t scanned = 0;
	int rc, code;

	memset(&w, 0, sizeof(w));
	memset(res, 0, sizeof(*res));
	w.a = a;
	w.p = p;
	w.q = q;
	w.metric_word = _("metric");
	sb_init(&w.sb);
	w.last = q->after;
	/* the state after the entry the rows continue from (or before the
	 * first): its own row and the auto rows after it are skipped by key */
	if (q->after.occ == INT64_MIN) {
		memset(&w.d, 0, sizeof(w.d));
		w.d.pos = JOURNAL_POS_FIRST;
		if ((code = derive_upto(a, id, p, JOURNAL_POS_FIRST, &w.d, err)) != 0)
			goto out_err;
		start = JOURNAL_POS_FIRST;
	} else {
		if ((code = derive_upto(a, id, p, start, &w.d, err)) != 0)
			goto out_err;
		start = w.d.pos;
		/* replay the auto rows after `after`'s entry: re-derive them by
		 * starting from the entry itself when it was applied */
	}
	memset(&jq, 0, sizeof(jq));
	jq.incident = id;
	jq.after = start;
	jq.upto = q->upto ? q->upto : INT64_MAX;
	jq.fields = JF_PAYLOAD | JF_READINGS;
	if ((rc = journal_cursor_open(a->j, &jq, &cur, err)) != JOURNAL_OK) {
		code = err && err->code ? err->code : SITREP_EXIT_STORAGE;
		goto out_err;
	}
	engine_result_init(&r);
	while (!w.stopped && (rc = journal_cursor_next(cur, &e, err)) == JOURNAL_OK && e) {
		struct decoded dec;
		int applied;
		struct journal_pos prev = w.d.pos;
		engine_result_reset(&r);
		engine_advance(&w.d.st, p, e->occurred_at, &r);
		emit_auto(&w, &r, prev);
		if (w.stopped)
			break;
		engine_result_reset(&r);
		applied = derive_apply(p, &w.d, e, &r, &dec);
		emit_entry(&w, e, &r, &dec, applied);
		decoded_release(&dec);
		if (q->budget && ++scanned >= q->budget && !w.stopped) {
			res->budget_spent = 1;
			break;
		}
	}
	journal_cursor_close(cur);
	if (rc != JOURNAL_OK) {
		engine_result_release(&r);
		code = err && err->code ? err->code : SITREP_EXIT_STORAGE;
		goto out_err;
	}
	if (!w.stopped && !res->budget_spent) {
		/* what time did after the last entry, up to the asked time */
		engine_result_reset(&r);
		if (q->upto)
			engine_advance(&w.d.st, p, q->upto, &r);
		emit_auto(&w, &r, w.d.pos);
		if (!w.stopped)
			res->at_end = 1;
	}
	engine_result_release(&r);
	res->last = w.last;
	code = 0;
out_err:
	rb_reset(&w.b);
	free(w.b.lines);
	sb_release(&w.sb);
	derived_release(&w.d);
	return code;
}
