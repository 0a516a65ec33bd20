/* app: the outputs. Each builds its view and hands it to report's
 * renderers, writing to a FILE as it goes; the timeline streams row by row
 * from the replay. Exports journal an `export` entry naming the head they
 * showed (its hash and entry), an anchor `verify` checks later. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app_int.h"
#include "sitrep/i18n.h"
#include "sitrep/report.h"

/* ---- exports ---- */

/* Journal an export (best effort: a read-only journal shows without it). */
static void journal_export(struct app *a, int64_t id, const char *what, const char *format,
			   const struct view_incident *v)
{
	struct txn t;
	struct app_outcome out;
	struct journal_entry e;
	json_t *js;
	char *payload;

	if (a->read_only || journal_readonly(a->j))
		return;
	app_outcome_init(&out);
	if (txn_begin(a, id, &t, &out) == 0) {
		js = json_object();
		json_object_set_new(js, "what", json_string(what));
		json_object_set_new(js, "format", json_string(format));
		json_object_set_new(js, "head", json_string(v->head));
		json_object_set_new(js, "head_entry", json_integer(v->last_entry));
		payload = entry_dump(js);
		json_decref(js);
		memset(&e, 0, sizeof(e));
		/* shown as of the decision clock: the export sits at the time it showed */
		e.occurred_at = app_now_upto(a, t.recorded);
		e.role = "";
		e.kind = "export";
		e.payload = payload;
		e.payload_len = strlen(payload);
		if (txn_append(&t, &e, &out) == 0)
			(void)txn_commit(&t, &out);
		free(payload);
	}
	txn_end(&t);
	app_outcome_release(&out);
}

int app_status(struct app *a, int64_t id, int64_t at, int json, FILE *out,
	       struct sitrep_error *err)
{
	struct view_incident v;
	int code = app_incident(a, id, at, &v, err);
	if (code)
		return code;
	if (json)
		report_status_json(&v, out);
	else
		report_status_text(&v, out);
	view_incident_release(&v);
	return 0;
}

int app_list_write(struct app *a, int all, FILE *out, struct sitrep_error *err)
{
	struct view_list l;
	int code = app_list(a, all, &l, err);
	if (code)
		return code;
	report_list(&l, out);
	/* a damaged incident is listed as unreadable, and the exit says so */
	if (l.problem_code) {
		code = l.problem_code;
		err_set(err, code, NULL, 0, 0, "%s", l.problem ? l.problem : "");
	}
	view_list_release(&l);
	return code;
}

int app_brief(struct app *a, int64_t id, FILE *out, struct sitrep_error *err)
{
	struct view_incident v;
	int code = app_incident(a, id, 0, &v, err);
	if (code)
		return code;
	report_brief(&v, out);
	journal_export(a, id, "brief", "text", &v);
	view_incident_release(&v);
	return 0;
}

int app_notices(struct app *a, int64_t id, int json, FILE *out, struct sitrep_error *err)
{
	struct view_incident v;
	int code = app_incident(a, id, 0, &v, err);
	if (code)
		return code;
	report_notices(&v, json, out);
	view_incident_release(&v);
	return 0;
}

/* ---- the timeline ---- */

static int timeline_row(const struct view_row *row, const struct view_pos *key,
			const struct engine_result *r, void *ctx)
{
	(void)key;
	(void)r;
	report_timeline_row(ctx, row);
	return 0;
}

int app_timeline(struct app *a, int64_t id, const struct app_export *x, FILE *out,
		 struct sitrep_error *err)
{
	struct view_incident v;
	struct report_timeline *t;
	struct journal_incident row;
	const struct plan *p;
	struct rows_query q;
	struct rows_result res;
	const char *format = x && x->format ? x->format : "text";
	int code;

	memset(&row, 0, sizeof(row));
	if ((code = app_incident(a, id, 0, &v, err)) != 0)
		return code;
	t = report_timeline_begin_filtered(format, x && x->bom ? REPORT_BOM : 0, &v,
					   x ? x->kind : NULL, x ? x->search : NULL, out);
	if (!t) {
		view_incident_release(&v);
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0,
			_("unknown timeline format '%s' (text, md, csv or json)"), format);
		return SITREP_EXIT_USAGE;
	}
	if ((code = app_incident_plan(a, id, &row, &p, err)) == 0) {
		memset(&q, 0, sizeof(q));
		q.after.occ = INT64_MIN;
		q.upto = v.at;
		q.kind = x ? x->kind : NULL;
		q.search = x ? x->search : NULL;
		q.fn = timeline_row;
		q.ctx = t;
		code = derive_rows(a, id, p, &q, &res, err);
	}
	report_timeline_end(t, v.head);
	if (code == 0)
		journal_export(a, id, "timeline", format, &v);
	journal_incident_release(&row);
	view_incident_release(&v);
	return code;
}

/* ---- pages for the console ---- */

struct page_ctx {
	struct view_page *pg;
	size_t alloc;
	size_t keep;              /* PAGE_BEFORE: keep the last `keep` rows */
	struct view_pos stop;     /* PAGE_BEFORE: rows before this key */
	int before;
	int dropped;              /* PAGE_BEFORE: rows slid out before the kept ones */
	size_t want;
};

static int key_lt(const struct view_pos *a, const struct view_pos *b)
{
	if (a->occ != b->occ)
		return a->occ < b->occ;
	if (a->id != b->id)
		return a->id < b->id;
	return a->sub < b->sub;
}

static const char *const *copy_strs(struct arena *m, const char *const *v, size_t n)
{
	const char **c;
	if (!n)
		return NULL;
	c = arena_alloc(m, n * sizeof(*c));
	for (size_t i = 0; i < n; i++)
		c[i] = arena_strdup(m, v[i]);
	return c;
}

static int page_row(const struct view_row *row, const struct view_pos *key,
		    const struct engine_result *r, void *vctx)
{
	struct page_ctx *c = vctx;
	struct view_page *pg = c->pg;
	struct arena *m = &pg->mem;
	struct view_row *d;
	(void)r;

	if (c->before && !key_lt(key, &c->stop))
		return 1;
	if (pg->nrows == c->alloc) {
		size_t na = c->alloc ? c->alloc * 2 : 64;
		struct view_row *nr = arena_alloc(m, na * sizeof(*nr));
		struct view_pos *np = arena_alloc(m, na * sizeof(*np));
		if (pg->nrows) {
			memcpy(nr, pg->rows, pg->nrows * sizeof(*nr));
			memcpy(np, pg->pos, pg->nrows * sizeof(*np));
		}
		pg->rows = nr;
		pg->pos = np;
		c->alloc = na;
	}
	d = &pg->rows[pg->nrows];
	*d = *row;
	d->actor = arena_strdup(m, row->actor);
	d->role = arena_strdup(m, row->role);
	d->kind = arena_strdup(m, row->kind);
	d->summary = arena_strdup(m, row->summary);
	d->text = arena_strdup(m, row->text);
	d->rule = arena_strdup(m, row->rule);
	d->phase = arena_strdup(m, row->phase);
	d->level = arena_strdup(m, row->level);
	d->warning = arena_strdup(m, row->warning);
	d->readings = copy_strs(m, row->readings, row->nreadings);
	d->effects = copy_strs(m, row->effects, row->neffects);
	d->payload = arena_strdup(m, row->payload);
	pg->pos[pg->nrows] = *key;
	pg->nrows++;
	if (c->before && pg->nrows > c->keep) {
		/* keep only the last `keep` rows: slide them down */
		memmove(pg->rows, pg->rows + 1, (pg->nrows - 1) * sizeof(*pg->rows));
		memmove(pg->pos, pg->pos + 1, (pg->nrows - 1) * sizeof(*pg->pos));
		pg->nrows--;
		c->dropped = 1;
	}
	return !c->before && pg->nrows >= c->want;
}

/* Where a page that ends `n` entries before `pos` starts: after the entry
 * n+1 back (its own row is not shown again, what came after it is), or
 * from the start when there are not that many. */
/* The position n entries before pos (of `kind` only, when given: a page of
 * one kind from the end holds n rows of it). */
static struct view_pos back_from(struct app *a, int64_t id, struct view_pos pos, size_t n,
				 const char *kind)
{
	struct journal_query q;
	struct journal_cursor *cur;
	const struct journal_entry *e;
	struct view_pos at = { INT64_MIN, 0, 0 };
	size_t found = 0;
	memset(&q, 0, sizeof(q));
	q.incident = id;
	q.after.occ = pos.occ;
	q.after.id = pos.id;
	q.upto = INT64_MAX;
	q.descending = 1;
	/* "auto" rows are the effects of entries of any kind */
	q.kind = kind && *kind && strcmp(kind, "auto") != 0 ? kind : NULL;
	if (journal_cursor_open(a->j, &q, &cur, NULL) != JOURNAL_OK)
		return at;
	while (found <= n && journal_cursor_next(cur, &e, NULL) == JOURNAL_OK && e) {
		at.occ = e->occurred_at;
		at.id = e->id;
		found++;
	}
	journal_cursor_close(cur);
	if (found <= n)
		return (struct view_pos){ INT64_MIN, 0, 0 };
	return at;
}

int app_timeline_page(struct app *a, int64_t id, const struct app_page_query *q,
		      struct view_page *out, struct sitrep_error *err)
{
	struct journal_incident row;
	const struct plan *p;
	struct rows_query rq;
	struct rows_result res;
	struct page_ctx c;
	struct journal_head head;
	int code;

	memset(out, 0, sizeof(*out));
	memset(&row, 0, sizeof(row));
	if ((code = app_incident_plan(a, id, &row, &p, err)) != 0) {
		journal_incident_release(&row);
		return code;
	}
	memset(&c, 0, sizeof(c));
	c.pg = out;
	c.want = q->rows ? q->rows : 50;
	memset(&rq, 0, sizeof(rq));
	rq.upto = app_now(a);
	rq.kind = q->kind;
	rq.search = q->search;
	rq.fn = page_row;
	rq.ctx = &c;
	rq.after.occ = INT64_MIN;
	/* a filtered page may scan far: bound it, the console asks again */
	rq.budget = (q->kind && *q->kind) || (q->search && *q->search) ? 20000 : 0;
	switch (q->from) {
	case PAGE_START:
		break;
	case PAGE_AFTER:
		rq.after = q->pos;
		break;
	case PAGE_AT:
		/* from just before the entry the key names (a search hit) */
		rq.after = back_from(a, id, q->pos, 0, NULL);
		break;
	case PAGE_END:
	case PAGE_BEFORE:
		c.before = 1;
		c.keep = c.want;
		if (q->from == PAGE_END) {
			if (journal_tip(a->j, id, &head, err) != JOURNAL_OK) {
				journal_incident_release(&row);
				return err && err->code ? err->code : SITREP_EXIT_STORAGE;
			}
			c.stop.occ = c.stop.id = INT64_MAX;
			c.stop.sub = INT32_MAX;
			rq.after = back_from(a, id, (struct view_pos){ INT64_MAX, INT64_MAX, 0 }, c.want,
					     q->kind);
		} else {
			c.stop = q->pos;
			rq.after = back_from(a, id, q->pos, c.want, q->kind);
		}
		rq.budget = 0;
		break;
	}
	code = derive_rows(a, id, p, &rq, &res, err);
	if (code == 0) {
		out->at_end = c.before ? (q->from == PAGE_END) : res.at_end;
		out->at_start = q->from == PAGE_START ||
				(c.before && rq.after.occ == INT64_MIN && !c.dropped);
		if (!out->nrows && res.budget_spent) {
			/* nothing matched yet: say where the scan got to */
			out->pos = arena_alloc(&out->mem, sizeof(*out->pos));
			out->pos[0] = res.last;
		}
	} else {
		view_page_release(out);
	}
	journal_incident_release(&row);
	return code;
}

int app_entry_text(struct app *a, int64_t id, int64_t entry, struct strbuf *out,
		   struct sitrep_error *err)
{
	struct journal_entry e;
	json_error_t jerr;
	json_t *js;
	char t1[40], t2[40];
	int rc;

	memset(&e, 0, sizeof(e));
	rc = journal_entry_get(a->j, entry, &e, err);
	if (rc == JOURNAL_NOTFOUND || (rc == JOURNAL_OK && e.incident != id)) {
		journal_entry_free_owned(&e);
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, _("incident %" PRId64 " has no entry %" PRId64),
			id, entry);
		return SITREP_EXIT_USAGE;
	}
	if (rc != JOURNAL_OK)
		return err && err->code ? err->code : SITREP_EXIT_STORAGE;
	sb_addf(out, _("entry %" PRId64 " of incident %" PRId64 "\n"), e.id, e.incident);
	sb_addf(out, _("kind:      %s\n"), e.kind);
	sb_addf(out, _("actor:     %s%s%s%s\n"), e.actor, e.role && *e.role ? " (" : "",
		e.role ? e.role : "", e.role && *e.role ? ")" : "");
	sb_addf(out, _("happened:  %s\n"), time_format_local(e.occurred_at, t1, sizeof(t1)));
	sb_addf(out, _("recorded:  %s\n"), time_format_local(e.recorded_at, t2, sizeof(t2)));
	if (e.corrects)
		sb_addf(out, _("corrects:  entry %" PRId64 "\n"), e.corrects);
	sb_addf(out, _("hash:      %s\nprevious:  %s\n\n"), e.hash, e.prev_hash);
	js = json_loadb(e.payload, e.payload_len, 0, &jerr);
	if (js) {
		char *pretty = json_dumps(js, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		sb_adds(out, pretty ? pretty : "");
		free(pretty);
		json_decref(js);
	} else {
		sb_add(out, e.payload, e.payload_len);
	}
	sb_addc(out, '\n');
	journal_entry_free_owned(&e);
	return 0;
}

/* ---- the review ---- */

void app_report_svg_name(int64_t id, struct strbuf *out)
{
	report_svg_name(id, out);
}

int app_report(struct app *a, int64_t id, const char *format, FILE *out, FILE *svg,
	       struct sitrep_error *err)
{
	struct view_review r;
	int code;
	if (!format)
		format = "md";
	if (strcmp(format, "md") && strcmp(format, "html") && strcmp(format, "json")) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0,
			_("unknown report format '%s' (md, html or json)"), format);
		return SITREP_EXIT_USAGE;
	}
	if ((code = app_review(a, id, &r, err)) != 0)
		return code;
	report_review(&r, format, out, svg);
	journal_export(a, id, "report", format, r.inc);
	view_review_release(&r);
	return 0;
}

int app_review_text(struct app *a, int64_t id, int width, struct strbuf *out,
		    struct sitrep_error *err)
{
	struct view_review r;
	int code = app_review(a, id, &r, err);
	if (code)
		return code;
	report_review_text(&r, width, out);
	view_review_release(&r);
	return 0;
}

struct stats_ctx {
	struct app *a;
	const char *plan;
	struct view_review *v;
	size_t n, alloc;
	size_t seen;                /* incidents of the plan asked, read or not */
	struct sitrep_error worst;  /* the worst error of an incident that could not be read */
};

/* Keep the worst error of an incident left out (exit 5 over 4 over 3). */
static void keep_worst(struct sitrep_error *worst, struct sitrep_error *e, int code)
{
	if (code > worst->code) {
		err_copy(worst, e);
		worst->code = code;
	}
	err_release(e);
}

static int stats_cb(const struct journal_incident *inc, void *vctx)
{
	struct stats_ctx *c = vctx;
	struct sitrep_error e = SITREP_ERROR_INIT;
	int code;
	if (c->plan && strcmp(c->plan, inc->plan_id) != 0)
		return 0;
	c->seen++;
	c->v = xgrow(c->v, sizeof(*c->v), c->n + 1, &c->alloc);
	if ((code = app_review(c->a, inc->id, &c->v[c->n], &e)) == 0)
		c->n++;
	keep_worst(&c->worst, &e, code);
	return 0;
}

int app_stats(struct app *a, const char *plan, int drills, FILE *out, struct sitrep_error *err)
{
	struct stats_ctx c;
	struct report_stats_row *rows;
	int code = 0;
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.plan = plan;
	if (journal_incidents(a->j, stats_cb, &c, err) != JOURNAL_OK)
		code = err && err->code ? err->code : SITREP_EXIT_STORAGE;
	if (!code && plan && !c.seen) {
		/* no incident of it: a plan of the plans folder has none yet; a
		 * name that is no plan at all is a typo, said as one (exit 3) */
		struct error_list el;
		struct plan *p;
		errlist_init(&el);
		p = plan_find(a->plans_dir, plan, NULL, &el);
		errlist_release(&el);
		if (!p) {
			free(c.v);
			err_set(err, SITREP_EXIT_PLAN, NULL, 0, 0,
				_("no plan '%s': not in '%s', and no incident of the journal ran under it"),
				plan, a->plans_dir);
			return SITREP_EXIT_PLAN;
		}
		plan_free(p);
	}
	rows = xcalloc(c.n ? c.n : 1, sizeof(*rows));
	for (size_t i = 0; i < c.n; i++)
		rows[i].r = &c.v[i];
	if (!code)
		report_stats(rows, c.n, drills, out);
	for (size_t i = 0; i < c.n; i++)
		view_review_release(&c.v[i]);
	free(c.v);
	free(rows);
	/* the figures of the incidents that could be read are shown; the exit
	 * says one could not */
	if (!code && c.worst.code) {
		code = c.worst.code;
		err_copy(err, &c.worst);
	}
	err_release(&c.worst);
	return code;
}

/* ---- tasks across incidents ---- */

struct tasks_ctx {
	struct app *a;
	int all;
	const char *person;
	struct view_tasks *out;
	size_t alloc;
	int64_t now;
	struct sitrep_error worst;  /* the worst error of an incident that could not be read */
};

static int person_matches(struct app *a, const char *who, const char *want)
{
	if (!want || !*want)
		return 1;
	if (!who)
		return 0;
	return !strcmp(who, want) || !strcmp(app_person_name(a, who), want) ||
	       !strcmp(app_person_name(a, want), app_person_name(a, who));
}

static int tasks_cb(const struct journal_incident *inc, void *vctx)
{
	struct tasks_ctx *c = vctx;
	struct view_tasks *t = c->out;
	struct journal_incident row;
	const struct plan *p = NULL;
	struct derived d;

	memset(&row, 0, sizeof(row));
	memset(&d, 0, sizeof(d));
	{
		struct sitrep_error e = SITREP_ERROR_INIT;
		int code = app_incident_plan(c->a, inc->id, &row, &p, &e);
		if (!code)
			code = derive_upto(c->a, inc->id, p, JOURNAL_POS_LAST, &d, &e);
		keep_worst(&c->worst, &e, code);
		if (code)
			goto out;
	}
	engine_advance(&d.st, p, c->now, NULL);
	for (size_t i = 0; i < d.st.nobls; i++) {
		struct view_task vt;
		memset(&vt, 0, sizeof(vt));
		if (d.st.phase == PHASE_TERMINATED && !c->all &&
		    engine_obligation_kind(&d.st, &d.st.obls[i]) != OBLK_FOLLOWUP)
			continue;
		view_deadline_of(c->a, &t->mem, p, &d.st, &d.st.obls[i], &vt.d);
		if (!person_matches(c->a, vt.d.person, c->person))
			continue;
		vt.incident = inc->id;
		vt.incident_title = arena_strdup(&t->mem, inc->title);
		t->v = xgrow(t->v, sizeof(*t->v), t->n + 1, &c->alloc);
		t->v[t->n++] = vt;
	}
out:
	derived_release(&d);
	journal_incident_release(&row);
	return 0;
}

static int cmp_task(const void *x, const void *y)
{
	const struct view_task *a = x, *b = y;
	int64_t da = a->d.due ? a->d.due : INT64_MAX, db = b->d.due ? b->d.due : INT64_MAX;
	if (da != db)
		return da < db ? -1 : 1;
	if (a->incident != b->incident)
		return a->incident < b->incident ? -1 : 1;
	return strcmp(a->d.id, b->d.id);
}

int app_tasks(struct app *a, int all, const char *person, struct view_tasks *out,
	      struct sitrep_error *err)
{
	struct tasks_ctx c = { a, all, person, out, 0, app_now(a), SITREP_ERROR_INIT };
	struct view_task *heap;
	int64_t *since;
	memset(out, 0, sizeof(*out));
	if (journal_incidents(a->j, tasks_cb, &c, err) != JOURNAL_OK) {
		free(out->v);
		out->v = NULL;
		err_release(&c.worst);
		return err && err->code ? err->code : SITREP_EXIT_STORAGE;
	}
	if (c.worst.code) {
		out->problem_code = c.worst.code;
		out->problem = arena_strdup(&out->mem, c.worst.msg ? c.worst.msg : "");
	}
	err_release(&c.worst);
	/* the tasks live in the arena, like every other view */
	heap = out->v;
	out->v = arena_alloc(&out->mem, (out->n ? out->n : 1) * sizeof(*out->v));
	if (out->n)
		memcpy(out->v, heap, out->n * sizeof(*out->v));
	free(heap);
	qsort(out->v, out->n, sizeof(*out->v), cmp_task);
	/* 000 §8.1: every contact confirmed at least every check_every */
	out->unconfirmed = arena_alloc(&out->mem, (a->contacts.n ? a->contacts.n : 1) *
				       sizeof(*out->unconfirmed));
	since = arena_alloc(&out->mem, (a->contacts.n ? a->contacts.n : 1) * sizeof(*since));
	for (size_t i = 0; i < a->contacts.n; i++) {
		const struct site_contact *ct = &a->contacts.v[i];
		int64_t every = a->contacts.check_every > 0 ? a->contacts.check_every : 90 * 86400;
		if (ct->confirmed && ct->confirmed + every >= c.now)
			continue;
		if (person && !person_matches(a, ct->id, person))
			continue;
		out->unconfirmed[out->nunconfirmed].id = ct->id;
		out->unconfirmed[out->nunconfirmed].text = ct->name;
		since[out->nunconfirmed++] = ct->confirmed;
	}
	out->unconfirmed_since = since;
	return 0;
}

int app_tasks_write(struct app *a, int all, const char *person, int json, FILE *out,
		    struct sitrep_error *err)
{
	struct view_tasks t;
	int code = app_tasks(a, all, person, &t, err);
	if (code)
		return code;
	report_tasks(&t, json, out);
	if (t.problem_code) {
		code = t.problem_code;
		err_set(err, code, NULL, 0, 0, "%s", t.problem ? t.problem : "");
	}
	view_tasks_release(&t);
	return code;
}

/* ---- plans ---- */

/* What kind of file is it: a plan, a contacts file or a channels file? */
static int sniff(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char buf[4096];
	size_t n;
	int kind = 0;
	if (!fp)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	if (strstr(buf, "sitrep_contacts:"))
		kind = 1;
	else if (!strstr(buf, "sitrep_plan:") && strstr(buf, "command:"))
		kind = 2;
	return kind;
}

int app_plan_check(const char *path, struct strbuf *out)
{
	struct error_list el;
	int code = 0, kind = sniff(path);

	errlist_init(&el);
	if (kind == 1 || kind == 2) {
		struct site_contacts c;
		struct site_channels ch;
		memset(&c, 0, sizeof(c));
		memset(&ch, 0, sizeof(ch));
		code = kind == 1 ? site_contacts_load(path, &c, &el) : site_channels_load(path, &ch, &el);
		if (!code)
			sb_addf(out, kind == 1 ? _("%s: ok (%zu contacts)\n") : _("%s: ok (%zu channels)\n"),
				path, kind == 1 ? c.n : ch.n);
		site_contacts_release(&c);
		site_channels_release(&ch);
	} else {
		struct plan *p = plan_load_file(path, NULL, &el);
		if (p) {
			sb_addf(out, _("%s: ok (%s)\n"), path, p->id);
			plan_free(p);
		} else {
			code = SITREP_EXIT_PLAN;
		}
	}
	if (code) {
		errlist_format(&el, out);
		if (!el.n)
			sb_addf(out, _("%s: cannot load\n"), path);
		code = SITREP_EXIT_PLAN;
	}
	errlist_release(&el);
	return code;
}

int app_plan_show(const char *plans_dir, const char *name, struct strbuf *out)
{
	struct error_list el;
	struct plan *p;
	size_t nl = strlen(name);
	errlist_init(&el);
	if (strchr(name, '/') || (nl > 5 && strcmp(name + nl - 5, ".yaml") == 0)) {
		p = plan_load_file(name, NULL, &el);
	} else {
		char *dir = app_resolve_plans_dir(plans_dir);
		p = plan_find(dir, name, NULL, &el);
		free(dir);
	}
	if (!p) {
		for (size_t i = 0; i < el.n; i++) {
			if (!el.v[i].line)
				sb_adds(out, "sitrep: ");
			err_format(&el.v[i], out);
			if (!out->len || out->buf[out->len - 1] != '\n')
				sb_addc(out, '\n');
		}
		if (!el.n)
			sb_addf(out, _("sitrep: no plan '%s'\n"), name);
		errlist_release(&el);
		return SITREP_EXIT_PLAN;
	}
	errlist_release(&el);
	plan_describe(p, out);
	plan_free(p);
	return 0;
}
