/* The dashboard of one incident: a header that cannot be missed, then
 * deadlines with live countdowns, metrics (value, threshold, trigger window,
 * sparkline), proposals, the lift and termination checklists and the
 * latest entries. Every action goes through app_act; the engine decides,
 * a refusal shows its reason in the status line. */
#include "tui_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SPARK_N 24
#define LATEST_N 40
#define SOON_SECS (15 * 60)

struct latest {
	int64_t at;
	char *actor;
	char *kind;
	char *summary;
	int refused;
};

struct dash {
	int64_t id;
	int loaded;
	struct app_incident inc;
	double *spark;            /* nmetrics x SPARK_N, oldest first per metric */
	size_t *nspark;
	int64_t *seen;            /* readings counted per metric while walking */
	size_t nmetrics;
	struct latest latest[LATEST_N]; /* oldest first */
	size_t nlatest;
	char target[256];         /* a chained form's first answer (warning, user ...) */
	int seen_level;           /* escalate/downgrade: the level on screen when the form opened */
};

/* ------------------------------------------------------------ loading */

static void latest_clear(struct dash *d)
{
	for (size_t i = 0; i < d->nlatest; i++) {
		free(d->latest[i].actor);
		free(d->latest[i].kind);
		free(d->latest[i].summary);
	}
	d->nlatest = 0;
}

static void dash_unload(struct dash *d)
{
	if (d->loaded)
		app_incident_release(&d->inc);
	d->loaded = 0;
	free(d->spark);
	free(d->nspark);
	free(d->seen);
	d->spark = NULL;
	d->nspark = NULL;
	d->seen = NULL;
	d->nmetrics = 0;
	latest_clear(d);
}

static int history_item(const struct app_item *it, const struct engine_state *st, void *ctx)
{
	struct dash *d = ctx;
	if (d->nlatest == LATEST_N) {
		free(d->latest[0].actor);
		free(d->latest[0].kind);
		free(d->latest[0].summary);
		memmove(d->latest, d->latest + 1, (LATEST_N - 1) * sizeof d->latest[0]);
		d->nlatest--;
	}
	struct latest *l = &d->latest[d->nlatest++];
	l->at = it->occurred_at;
	l->actor = xstrdup(it->actor ? it->actor : "");
	l->kind = xstrdup(it->kind ? it->kind : "");
	l->summary = xstrdup(it->summary ? it->summary : "");
	l->refused = it->refused;
	/* A reading shows as a metric whose count went up. */
	size_t n = st->nmetrics < d->nmetrics ? st->nmetrics : d->nmetrics;
	for (size_t m = 0; m < n; m++) {
		const struct engine_metric_state *ms = &st->metrics[m];
		if (!ms->has_value || ms->count == d->seen[m])
			continue;
		d->seen[m] = ms->count;
		double *ring = d->spark + m * SPARK_N;
		if (d->nspark[m] == SPARK_N) {
			memmove(ring, ring + 1, (SPARK_N - 1) * sizeof *ring);
			d->nspark[m]--;
		}
		ring[d->nspark[m]++] = ms->value;
	}
	return 0;
}

static int dash_load(struct tui *t, struct view *v)
{
	struct dash *d = v->priv;
	dash_unload(d);
	struct sitrep_error err;
	memset(&err, 0, sizeof err);
	memset(&d->inc, 0, sizeof d->inc);
	if (app_incident_load(t->app, d->id, 0, &d->inc, &err) != 0) {
		tui_status(t, ST_ERR, "cannot load incident %" PRId64 ": %s", d->id,
			   err.msg ? err.msg : "");
		free(err.path);
		free(err.msg);
		snprintf(v->title, sizeof v->title, "incident %" PRId64, d->id);
		return -1;
	}
	d->loaded = 1;
	d->nmetrics = d->inc.plan->nmetrics;
	size_t nm = d->nmetrics ? d->nmetrics : 1;
	d->spark = xcalloc(nm * SPARK_N, sizeof *d->spark);
	d->nspark = xcalloc(nm, sizeof *d->nspark);
	d->seen = xcalloc(nm, sizeof *d->seen);
	memset(&err, 0, sizeof err);
	if (app_history(t->app, d->id, 0, history_item, d, &err) != 0) {
		tui_status(t, ST_ERR, "cannot read the history: %s", err.msg ? err.msg : "");
		free(err.path);
		free(err.msg);
	}
	struct strbuf title = STRBUF_INIT;
	sb_init(&title);
	sb_addf(&title, "incident %" PRId64 " \xc2\xb7 ", d->id);
	tui_clip(&title, d->inc.row.title ? d->inc.row.title : "", 60);
	snprintf(v->title, sizeof v->title, "%s", title.buf);
	sb_release(&title);
	return 0;
}

static void dash_tick(struct tui *t, struct view *v)
{
	struct dash *d = v->priv;
	if (!d->loaded || d->inc.st.phase == PHASE_TERMINATED)
		return;
	/* Bring the state to now, as app_incident_load would: trigger windows
	 * complete and deadlines pass without a write. When that changed
	 * something, reload to show the derived entries too. */
	if (app_incident_advance(&d->inc, t->now))
		dash_load(t, v);
}

/* ------------------------------------------------------------ drawing */

/* A scrolled column of lines below the fixed header. */
struct canvas {
	struct tui *t;
	int top, rows, offset, line;
};

/* Screen row of the current line, or -1 when scrolled out. */
static int cv_y(const struct canvas *c)
{
	int r = c->line - c->offset;
	return r >= 0 && r < c->rows ? c->top + r : -1;
}

static void cv_heading(struct canvas *c, const char *text)
{
	int y = cv_y(c);
	if (y >= 0)
		tui_put(c->t, y, 1, COLS - 2, ST_HEAD, text, 0);
	c->line++;
}

static void draw_header(struct tui *t, struct dash *d, int y)
{
	const struct plan *p = d->inc.plan;
	const struct engine_state *st = &d->inc.st;
	struct tui_badge b, w;
	tui_badge_level(p, st, &b);
	tui_badge_warning(p, st, &w);
	int x = 1;
	char text[128];
	snprintf(text, sizeof text, " %s ", b.text);
	attr_t battr = b.colour ? tui_badge_attr(t, b.colour)
		: st->phase == PHASE_MONITORING ? t->style[ST_BOLD] : t->style[ST_DIM] | A_REVERSE;
	x += tui_put_attr(y, x, COLS - x - 1, battr, text, 0) + 1;
	if (w.text[0] && st->level >= 0) { /* a warning beside a level */
		snprintf(text, sizeof text, " %s ", w.text);
		x += tui_put_attr(y, x, COLS - x - 1, tui_badge_attr(t, w.colour), text, 0) + 1;
	}
	if (st->drill || d->inc.row.drill)
		x += tui_put(t, y, x, COLS - x - 1, ST_DRILL, " DRILL: AN EXERCISE ", 0) + 1;
	tui_put(t, y, x, COLS - x - 1, ST_BOLD, d->inc.row.title, 0);

	char el[48], opened[40];
	tui_elapsed(st->opened_at, st->phase == PHASE_TERMINATED ? st->terminated_at : t->now,
		    el, sizeof el);
	time_format_local(st->opened_at, opened, sizeof opened);
	struct strbuf l2 = STRBUF_INIT;
	sb_init(&l2);
	sb_addf(&l2, "#%" PRId64 "  %s  \xc2\xb7  %s", d->id, p->id, engine_phase_name(st->phase));
	if (st->level >= 0 && (size_t)st->level < p->nlevels && p->levels[st->level].name)
		sb_addf(&l2, " (%s)", p->levels[st->level].name);
	sb_addf(&l2, "  \xc2\xb7  %s  \xc2\xb7  commander %s  \xc2\xb7  opened %s", el,
		st->commander[0] ? st->commander : "-", opened);
	tui_put(t, y + 1, 1, COLS - 2, ST_NORMAL, l2.buf, 0);
	sb_release(&l2);
}

static int cmp_due(const void *a, const void *b)
{
	const struct engine_obligation *x = *(const struct engine_obligation *const *)a;
	const struct engine_obligation *y = *(const struct engine_obligation *const *)b;
	return x->due < y->due ? -1 : x->due > y->due;
}

static void draw_deadlines(struct canvas *c, struct dash *d, int cap)
{
	struct tui *t = c->t;
	const struct engine_state *st = &d->inc.st;
	const struct engine_obligation **open = xcalloc(st->nobls ? st->nobls : 1, sizeof *open);
	size_t n = 0;
	for (size_t i = 0; i < st->nobls; i++)
		if (st->obls[i].status == OBL_OPEN)
			open[n++] = &st->obls[i];
	qsort(open, n, sizeof *open, cmp_due);
	char head[64];
	snprintf(head, sizeof head, "DEADLINES (%zu open)", n);
	cv_heading(c, head);
	if (n == 0) {
		int y = cv_y(c);
		if (y >= 0)
			tui_put(t, y, 3, COLS - 4, ST_DIM, "none open", 0);
		c->line++;
	}
	size_t shown = n > (size_t)cap ? (size_t)cap - 1 : n;
	for (size_t i = 0; i < shown; i++, c->line++) {
		int y = cv_y(c);
		if (y < 0)
			continue;
		char cd[64];
		enum tui_due due = tui_countdown(open[i]->due, t->now, SOON_SECS, cd, sizeof cd);
		int stl = due == TUI_DUE_OVERDUE ? ST_OVERDUE : due == TUI_DUE_SOON ? ST_SOON : ST_NORMAL;
		tui_put(t, y, 3, 18, stl, cd, 1);
		struct strbuf title = STRBUF_INIT;
		sb_init(&title);
		engine_obligation_title(st, d->inc.plan, open[i], &title);
		const char *oid = engine_obligation_id(d->inc.plan, open[i]);
		if (oid && *oid)
			sb_addf(&title, "  [%s]", oid);
		tui_put(t, y, 22, COLS - 23, due == TUI_DUE_OVERDUE ? ST_OVERDUE : ST_NORMAL,
			title.buf, 0);
		sb_release(&title);
	}
	if (shown < n) {
		size_t late = 0;
		for (size_t i = shown; i < n; i++)
			late += engine_obligation_overdue(st, open[i]) ? 1 : 0;
		int y = cv_y(c);
		if (y >= 0 && late)
			tui_putf(t, y, 3, COLS - 4, ST_OVERDUE,
				 "+%zu more, %zu of them overdue: o lists them all", n - shown, late);
		else if (y >= 0)
			tui_putf(t, y, 3, COLS - 4, ST_DIM, "+%zu more: o lists them all", n - shown);
		c->line++;
	}
	free(open);
}

static void fmt_num(double v, char *buf, size_t size)
{
	if (v == (double)(int64_t)v && v < 1e15 && v > -1e15)
		snprintf(buf, size, "%" PRId64, (int64_t)v);
	else
		snprintf(buf, size, "%.2f", v);
}

static void draw_metrics(struct canvas *c, struct dash *d)
{
	struct tui *t = c->t;
	const struct plan *p = d->inc.plan;
	const struct engine_state *st = &d->inc.st;
	cv_heading(c, COLS > 86
		   ? "METRICS               latest        threshold      trigger window              recent"
		   : "METRICS               latest        threshold      trigger window");
	for (size_t m = 0; m < p->nmetrics && m < st->nmetrics; m++, c->line++) {
		int y = cv_y(c);
		if (y < 0)
			continue;
		const struct engine_metric_state *ms = &st->metrics[m];
		tui_put(t, y, 3, 19, ST_NORMAL, p->metrics[m].id, 1);
		char val[64] = "-";
		if (ms->has_value) {
			fmt_num(ms->value, val, sizeof val);
			/* The unit's first word: "%" of "% of daily average". */
			const char *u = p->metrics[m].unit;
			size_t ul = u ? strcspn(u, " ") : 0;
			if (ul && ul < 8 && strlen(val) + ul + 2 < sizeof val) {
				strcat(val, " ");
				strncat(val, u, ul);
			}
		}
		/* Thresholds: every trigger on this metric; the window of the one
		 * that holds or fires. */
		struct strbuf thr = STRBUF_INIT, win = STRBUF_INIT;
		sb_init(&thr);
		sb_init(&win);
		int firing = 0, holding = 0;
		for (size_t k = 0; k < p->ntriggers && k < st->ntriggers; k++) {
			const struct plan_trigger *tr = &p->triggers[k];
			if (tr->cond.metric != (int)m)
				continue;
			char num[48];
			fmt_num(tr->cond.value, num, sizeof num);
			sb_addf(&thr, "%s%s%s", thr.len ? " " : "", plan_cmp_name(tr->cond.op), num);
			if (st->triggers[k].firing) {
				if (!firing) {
					sb_reset(&win);
					sb_addf(&win, "FIRED %s", tr->id);
				}
				firing = 1;
			} else if (!firing && !holding) {
				int64_t held = engine_trigger_held(st, p, (int)k);
				if (held >= 0) {
					char h[40], f[40];
					tui_clock(held, h, sizeof h);
					tui_clock(tr->for_secs, f, sizeof f);
					sb_addf(&win, "held %s of %s", h, f);
					holding = 1;
				}
			}
		}
		int vstyle = firing ? ST_OVERDUE : holding ? ST_SOON : ST_BOLD;
		tui_put(t, y, 23, 13, ms->has_value ? vstyle : ST_DIM, val, 1);
		tui_put(t, y, 37, 14, ST_NORMAL, thr.len ? thr.buf : "-", 1);
		tui_put(t, y, 52, 27, firing ? ST_OVERDUE : holding ? ST_SOON : ST_DIM,
			win.len ? win.buf : "-", 1);
		/* The sparkline takes what is left (from 80 columns: 1 cell). */
		int sw = COLS - 81 < SPARK_N ? COLS - 81 : SPARK_N;
		if (sw > 0) {
			struct strbuf sp = STRBUF_INIT;
			sb_init(&sp);
			tui_sparkline(d->spark + m * SPARK_N, d->nspark[m], sw, &sp);
			tui_put(t, y, 80, COLS - 81, ST_NORMAL, sp.buf, 0);
			sb_release(&sp);
		}
		sb_release(&thr);
		sb_release(&win);
	}
}

static void draw_proposals(struct canvas *c, struct dash *d)
{
	struct tui *t = c->t;
	const struct plan *p = d->inc.plan;
	const struct engine_state *st = &d->inc.st;
	if (st->nproposals == 0)
		return;
	cv_heading(c, "PROPOSALS (p accepts the first)");
	for (size_t i = 0; i < st->nproposals; i++, c->line++) {
		int y = cv_y(c);
		if (y < 0)
			continue;
		const struct engine_proposal *pr = &st->proposals[i];
		const char *lvl = pr->level >= 0 && (size_t)pr->level < p->nlevels
			? p->levels[pr->level].id : "?";
		char at[40];
		time_format_local(pr->at, at, sizeof at);
		tui_putf(t, y, 3, COLS - 4, i == 0 ? ST_SOON : ST_NORMAL,
			 "-> LEVEL %s  by rule %s  (since %s)", lvl, pr->rule, at);
	}
}

/* One checklist column: lines drawn from line0, returns the lines used. */
static int draw_checklist(struct canvas *c, struct dash *d, int x, int w, const char *title,
			  const int *idx, size_t n, int line0)
{
	struct tui *t = c->t;
	const struct plan *p = d->inc.plan;
	const struct engine_state *st = &d->inc.st;
	int saved = c->line;
	c->line = line0;
	int y = cv_y(c);
	if (y >= 0)
		tui_put(t, y, x, w, ST_HEAD, title, 0);
	c->line++;
	for (size_t i = 0; i < n; i++, c->line++) {
		y = cv_y(c);
		if (y < 0)
			continue;
		int ci = idx[i];
		if (ci < 0 || (size_t)ci >= p->ncriteria)
			continue;
		const struct plan_criterion *cr = &p->criteria[ci];
		int met = engine_criterion_met(st, p, ci);
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		sb_adds(&sb, cr->title ? cr->title : cr->id);
		if (cr->kind == CRIT_ATTEST && !met)
			sb_adds(&sb, " (attest: a)");
		else if (cr->kind == CRIT_METRIC && !met && cr->for_secs > 0) {
			int64_t held = engine_criterion_held(st, p, ci);
			if (held >= 0) {
				char h[40], f[40];
				sb_addf(&sb, " (held %s of %s)", tui_clock(held, h, sizeof h),
					tui_clock(cr->for_secs, f, sizeof f));
			}
		}
		tui_put(t, y, x, 4, met ? ST_MET : ST_UNMET, met ? "[x]" : "[ ]", 1);
		tui_put(t, y, x + 4, w - 4, met ? ST_MET : ST_NORMAL, sb.buf, 0);
		sb_release(&sb);
	}
	int used = c->line - line0;
	c->line = saved;
	return used;
}

static void draw_checklists(struct canvas *c, struct dash *d)
{
	const struct plan *p = d->inc.plan;
	int half = (COLS - 3) / 2;
	int line0 = c->line;
	char lt[64], tt[64];
	size_t lmet = 0, tmet = 0;
	for (size_t i = 0; i < p->nlift; i++)
		lmet += engine_criterion_met(&d->inc.st, p, p->lift[i]) ? 1 : 0;
	for (size_t i = 0; i < p->ntermination; i++)
		tmet += engine_criterion_met(&d->inc.st, p, p->termination[i]) ? 1 : 0;
	snprintf(lt, sizeof lt, "LIFT (%zu/%zu met)", lmet, p->nlift);
	snprintf(tt, sizeof tt, "TERMINATION (%zu/%zu met)", tmet, p->ntermination);
	int a = draw_checklist(c, d, 1, half, lt, p->lift, p->nlift, line0);
	int b = draw_checklist(c, d, 2 + half, COLS - 3 - half, tt, p->termination,
			       p->ntermination, line0);
	c->line = line0 + (a > b ? a : b);
}

static void draw_latest(struct canvas *c, struct dash *d)
{
	struct tui *t = c->t;
	cv_heading(c, "LATEST (v: the whole timeline)");
	for (size_t k = 0; k < d->nlatest && k < 12; k++, c->line++) {
		int y = cv_y(c);
		if (y < 0)
			continue;
		const struct latest *l = &d->latest[d->nlatest - 1 - k];
		char at[40], el[48];
		time_format_local(l->at, at, sizeof at);
		tui_elapsed(d->inc.st.opened_at, l->at, el, sizeof el);
		const char *hms = strlen(at) >= 19 ? at + 11 : at;
		tui_put(t, y, 3, 9, ST_DIM, hms, 1);
		tui_put(t, y, 12, 12, ST_DIM, el, 1);
		tui_put(t, y, 25, 10, ST_NORMAL, l->actor[0] ? l->actor : "(engine)", 1);
		tui_put(t, y, 36, 10, l->refused ? ST_UNMET : ST_BOLD, l->kind, 1);
		tui_put(t, y, 47, COLS - 48, l->refused ? ST_UNMET : ST_NORMAL, l->summary, 0);
	}
}

static void dash_draw(struct tui *t, struct view *v, int top, int rows)
{
	struct dash *d = v->priv;
	if (!d->loaded) {
		tui_putf(t, top + 1, 2, COLS - 4, ST_ERR, "incident %" PRId64 " cannot be shown", d->id);
		return;
	}
	draw_header(t, d, top);
	struct canvas c = { t, top + 3, rows - 3, v->offset, 0 };
	if (d->inc.st.nproposals) {
		draw_proposals(&c, d);
		c.line++;
	}
	/* The soonest deadlines; the rest one key away (o lists them all). */
	int cap = (rows - 3) / 3;
	draw_deadlines(&c, d, cap < 4 ? 4 : cap);
	c.line++;
	draw_metrics(&c, d);
	c.line++;
	draw_checklists(&c, d);
	c.line++;
	draw_latest(&c, d);
	v->lines = c.line;
	int old = v->offset;
	tui_scroll_fit(v, rows - 3);
	if (v->lines > rows - 3) {
		char more[64];
		snprintf(more, sizeof more, " j/k scroll: %d-%d of %d ", v->offset + 1,
			 v->offset + rows - 3 < v->lines ? v->offset + rows - 3 : v->lines, v->lines);
		int w = tui_width(more);
		tui_put(t, top + 2, COLS - w - 1, w, ST_DIM, more, 0);
	}
	(void)old;
}

/* ------------------------------------------------------------ actions */

/* Tags of the chained forms beyond the plan's own actions. */
enum { TAG_ACCEPT = ACT__COUNT + 1, TAG_HANDOVER_USER };

static const char *level_id(const struct plan *p, int level)
{
	return level >= 0 && (size_t)level < p->nlevels ? p->levels[level].id : NULL;
}

static void submit(struct tui *t, struct dash *d, enum plan_action kind, const char *target,
		   const char *text)
{
	struct app_request rq;
	memset(&rq, 0, sizeof rq);
	rq.kind = kind;
	rq.incident = d->id;
	rq.target = target;
	rq.text = text && *text ? text : NULL;
	if ((kind == ACT_ESCALATE || kind == ACT_DOWNGRADE) && !target) {
		/* one step from the level the commander was looking at, not from
		 * whatever another console made of it while the form was open */
		rq.has_seen = 1;
		rq.seen_level = level_id(d->inc.plan, d->seen_level);
	}
	tui_act(t, &rq, NULL);
}

/* "name value", "name=value", several pairs allowed. */
static void submit_metric(struct tui *t, struct dash *d, const char *text)
{
	char *copy = xstrdup(text);
	const char *names[32];
	double values[32];
	size_t n = 0;
	char *tok[64];
	size_t ntok = 0;
	for (char *s = strtok(copy, " =\t"); s && ntok < 64; s = strtok(NULL, " =\t"))
		tok[ntok++] = s;
	int bad = ntok == 0 || ntok % 2 != 0;
	for (size_t i = 0; !bad && i + 1 < ntok && n < 32; i += 2) {
		double val;
		if (app_parse_reading(tok[i + 1], &val) != 0) {
			tui_status(t, ST_ERR, "'%s' is not a number: type name value, e.g. "
				   "complaints_pct 135", tok[i + 1]);
			free(copy);
			return;
		}
		names[n] = tok[i];
		values[n++] = val;
	}
	if (bad) {
		tui_status(t, ST_ERR, "type a name and a value, e.g. complaints_pct 135");
		free(copy);
		return;
	}
	struct app_request rq;
	memset(&rq, 0, sizeof rq);
	rq.kind = ACT_METRIC;
	rq.incident = d->id;
	rq.metric_names = names;
	rq.metric_values = values;
	rq.nmetrics = n;
	tui_act(t, &rq, NULL);
	free(copy);
}

static void form_done(struct tui *t, struct view *owner, int tag, const char *text)
{
	struct dash *d = owner->priv;
	switch (tag) {
	case ACT_METRIC:
		submit_metric(t, d, text);
		break;
	case ACT_WARN: case ACT_ATTEST: case ACT_DONE: case ACT_HANDOVER:
		submit(t, d, (enum plan_action)tag, d->target, text);
		break;
	case TAG_ACCEPT: {
		struct app_outcome out;
		app_outcome_init(&out);
		app_accept_proposal(t->app, d->id, text && *text ? text : NULL, &out);
		tui_outcome(t, &out);
		app_outcome_release(&out);
		break;
	}
	case TAG_HANDOVER_USER: {
		snprintf(d->target, sizeof d->target, "%s", text);
		char prompt[320];
		snprintf(prompt, sizeof prompt, "hand command over to %s: reason", text);
		struct form_spec fs = { .prompt = prompt, .tag = ACT_HANDOVER, .done = form_done };
		form_open(t, owner, &fs);
		break;
	}
	default:
		submit(t, d, (enum plan_action)tag, NULL, text);
		break;
	}
}

static void ask(struct tui *t, struct view *v, int tag, const char *prompt, int allow_empty)
{
	struct form_spec fs = { .prompt = prompt, .tag = tag, .allow_empty = allow_empty,
				.done = form_done };
	form_open(t, v, &fs);
}

static void picked(struct tui *t, struct view *owner, int tag, size_t index, const char *id)
{
	struct dash *d = owner->priv;
	(void)index;
	snprintf(d->target, sizeof d->target, "%s", id);
	char prompt[400];
	switch (tag) {
	case ACT_WARN:
		snprintf(prompt, sizeof prompt, "raise the %s warning: reason", id);
		ask(t, owner, ACT_WARN, prompt, 0);
		break;
	case ACT_ATTEST:
		snprintf(prompt, sizeof prompt, "attest '%s': note (optional)", id);
		ask(t, owner, ACT_ATTEST, prompt, 1);
		break;
	case ACT_DONE:
		snprintf(prompt, sizeof prompt, "mark '%s' done: note (optional)", id);
		ask(t, owner, ACT_DONE, prompt, 1);
		break;
	default:
		break;
	}
}

static void act_log(struct tui *t, struct view *v)
{
	ask(t, v, ACT_LOG, "log a note", 0);
}

static void act_metric(struct tui *t, struct view *v)
{
	struct dash *d = v->priv;
	const struct plan *p = d->inc.plan;
	const char **names = xcalloc(p->nmetrics ? p->nmetrics : 1, sizeof *names);
	for (size_t i = 0; i < p->nmetrics; i++)
		names[i] = p->metrics[i].id;
	struct form_spec fs = { .prompt = "metric reading: name value (Tab completes the name)",
				.tag = ACT_METRIC, .completions = names,
				.ncompletions = p->nmetrics, .done = form_done };
	form_open(t, v, &fs);
	free(names);
}

static void act_warn(struct tui *t, struct view *v)
{
	struct dash *d = v->priv;
	const struct plan *p = d->inc.plan;
	const char **ids = xcalloc(p->nwarnings, sizeof *ids);
	char **labels = xcalloc(p->nwarnings, sizeof *labels);
	for (size_t i = 0; i < p->nwarnings; i++) {
		ids[i] = p->warnings[i].id;
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		sb_addf(&sb, "%-8s %s", p->warnings[i].id, p->warnings[i].name ? p->warnings[i].name : "");
		labels[i] = sb_detach(&sb);
	}
	picker_open(t, v, "raise a warning: which colour?", ids, (const char *const *)labels,
		    p->nwarnings, ACT_WARN, picked);
	for (size_t i = 0; i < p->nwarnings; i++)
		free(labels[i]);
	free(labels);
	free(ids);
}

static void act_lift(struct tui *t, struct view *v)
{
	ask(t, v, ACT_LIFT, "lift the warning: reason (optional)", 1);
}

/* One step up or down, from the level on screen: remembered so that a
 * commander who answers after another console moved the level is refused
 * as stale instead of stepping again. */
static void ask_step(struct tui *t, struct view *v, enum plan_action kind)
{
	struct dash *d = v->priv;
	const char *from = level_id(d->inc.plan, d->inc.st.level);
	char prompt[200];
	snprintf(prompt, sizeof prompt, "%s from %s%s one step: reason", plan_action_names[kind],
		 from ? "level " : "", from ? from : engine_phase_name(d->inc.st.phase));
	d->seen_level = d->inc.st.phase == PHASE_RESPONSE ? d->inc.st.level : -1;
	ask(t, v, kind, prompt, 0);
}

static void act_escalate(struct tui *t, struct view *v)
{
	ask_step(t, v, ACT_ESCALATE);
}

static void act_downgrade(struct tui *t, struct view *v)
{
	ask_step(t, v, ACT_DOWNGRADE);
}

static void act_attest(struct tui *t, struct view *v)
{
	struct dash *d = v->priv;
	const struct plan *p = d->inc.plan;
	const char **ids = xcalloc(p->ncriteria ? p->ncriteria : 1, sizeof *ids);
	char **labels = xcalloc(p->ncriteria ? p->ncriteria : 1, sizeof *labels);
	size_t n = 0;
	for (size_t i = 0; i < p->ncriteria; i++) {
		if (p->criteria[i].kind != CRIT_ATTEST)
			continue;
		ids[n] = p->criteria[i].id;
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		sb_addf(&sb, "%s %s", engine_criterion_met(&d->inc.st, p, (int)i) ? "[x]" : "[ ]",
			p->criteria[i].title ? p->criteria[i].title : p->criteria[i].id);
		labels[n++] = sb_detach(&sb);
	}
	picker_open(t, v, "attest a criterion", ids, (const char *const *)labels, n, ACT_ATTEST,
		    picked);
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(ids);
}

static void act_done(struct tui *t, struct view *v)
{
	struct dash *d = v->priv;
	const struct engine_state *st = &d->inc.st;
	const char **ids = xcalloc(st->nobls ? st->nobls : 1, sizeof *ids);
	char **labels = xcalloc(st->nobls ? st->nobls : 1, sizeof *labels);
	size_t n = 0;
	for (size_t i = 0; i < st->nobls; i++) {
		const struct engine_obligation *o = &st->obls[i];
		if (o->status != OBL_OPEN)
			continue;
		const char *oid = engine_obligation_id(d->inc.plan, o);
		ids[n] = oid ? oid : "";
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		char cd[64];
		tui_countdown(o->due, t->now, SOON_SECS, cd, sizeof cd);
		sb_addf(&sb, "%-16s ", cd);
		engine_obligation_title(st, d->inc.plan, o, &sb);
		labels[n++] = sb_detach(&sb);
	}
	picker_open(t, v, "mark an obligation done", ids, (const char *const *)labels, n,
		    ACT_DONE, picked);
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(ids);
}

static void act_accept(struct tui *t, struct view *v)
{
	struct dash *d = v->priv;
	const struct engine_proposal *pr = &d->inc.st.proposals[0];
	const char *lvl = level_id(d->inc.plan, pr->level);
	char prompt[300];
	snprintf(prompt, sizeof prompt, "accept the proposal: level %s by rule %s; note (optional)",
		 lvl ? lvl : "?", pr->rule);
	ask(t, v, TAG_ACCEPT, prompt, 1);
}

static void act_handover(struct tui *t, struct view *v)
{
	ask(t, v, TAG_HANDOVER_USER, "hand command over to which user?", 0);
}

static void act_terminate(struct tui *t, struct view *v)
{
	ask(t, v, ACT_TERMINATE,
	    "terminate: reason (refused unless every termination criterion holds)", 0);
}

static void act_timeline(struct tui *t, struct view *v)
{
	struct dash *d = v->priv;
	timeline_open(t, d->id);
}

static void act_review(struct tui *t, struct view *v)
{
	struct dash *d = v->priv;
	review_open(t, d->id);
}

/* Preconditions of the console's handlers (the engine still decides every
 * rule: these only stop forms that could not make sense). */
enum {
	PRE_LOADED = 1,      /* the incident loaded */
	PRE_OPEN = 2,        /* not terminated */
	PRE_PROPOSAL = 4,    /* the engine proposes a level */
	PRE_ATTESTABLE = 8,  /* the plan has criteria to attest */
	PRE_OBLIGATION = 16, /* an obligation is open */
	PRE_WARNINGS = 32,   /* the plan defines warnings */
	PRE_METRICS = 64     /* the plan defines metrics */
};

static const struct {
	enum tui_action action;
	unsigned pre;
	void (*fn)(struct tui *t, struct view *v);
} handlers[] = {
	{ A_LOG,       PRE_LOADED,                      act_log },
	{ A_METRIC,    PRE_LOADED | PRE_OPEN | PRE_METRICS, act_metric },
	{ A_WARN,      PRE_LOADED | PRE_OPEN | PRE_WARNINGS, act_warn },
	{ A_LIFT,      PRE_LOADED | PRE_OPEN,           act_lift },
	{ A_ESCALATE,  PRE_LOADED | PRE_OPEN,           act_escalate },
	{ A_DOWNGRADE, PRE_LOADED | PRE_OPEN,           act_downgrade },
	{ A_ATTEST,    PRE_LOADED | PRE_OPEN | PRE_ATTESTABLE, act_attest },
	{ A_DONE,      PRE_LOADED | PRE_OPEN | PRE_OBLIGATION, act_done },
	{ A_ACCEPT,    PRE_LOADED | PRE_OPEN | PRE_PROPOSAL, act_accept },
	{ A_HANDOVER,  PRE_LOADED | PRE_OPEN,           act_handover },
	{ A_TERMINATE, PRE_LOADED | PRE_OPEN,           act_terminate },
	{ A_TIMELINE,  PRE_LOADED,                      act_timeline },
	{ A_REVIEW,    PRE_LOADED,                      act_review },
};

static const char *unmet_pre(const struct dash *d, unsigned pre)
{
	if ((pre & PRE_LOADED) && !d->loaded)
		return "the incident could not be loaded";
	if (!d->loaded)
		return NULL;
	const struct plan *p = d->inc.plan;
	const struct engine_state *st = &d->inc.st;
	if ((pre & PRE_OPEN) && st->phase == PHASE_TERMINATED)
		return "the incident is terminated";
	if ((pre & PRE_PROPOSAL) && st->nproposals == 0)
		return "nothing to accept: the engine proposes no level";
	if (pre & PRE_ATTESTABLE) {
		int any = 0;
		for (size_t i = 0; i < p->ncriteria; i++)
			any |= p->criteria[i].kind == CRIT_ATTEST;
		if (!any)
			return "the plan has no criterion to attest";
	}
	if (pre & PRE_OBLIGATION) {
		int any = 0;
		for (size_t i = 0; i < st->nobls; i++)
			any |= st->obls[i].status == OBL_OPEN;
		if (!any)
			return "no obligation is open";
	}
	if ((pre & PRE_WARNINGS) && p->nwarnings == 0)
		return "the plan defines no warnings";
	if ((pre & PRE_METRICS) && p->nmetrics == 0)
		return "the plan defines no metrics";
	return NULL;
}

static enum req_result dash_request(struct tui *t, struct view *v, enum tui_action a)
{
	struct dash *d = v->priv;
	for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++) {
		if (handlers[i].action != a)
			continue;
		const char *why = unmet_pre(d, handlers[i].pre);
		if (why) {
			tui_status(t, ST_ERR, "%s: %s", tui_action_names[a], why);
			return REQ_HANDLED;
		}
		handlers[i].fn(t, v);
		return REQ_HANDLED;
	}
	return REQ_UNHANDLED;
}

static void dash_done(struct view *v)
{
	struct dash *d = v->priv;
	dash_unload(d);
	free(d);
}

static const struct view_ops dash_ops = {
	.name = "incident",
	.scope = SCOPE_DASH,
	.open = dash_load,
	.draw = dash_draw,
	.request = dash_request,
	.done = dash_done,
	.tick = dash_tick,
};

void dash_open(struct tui *t, int64_t incident)
{
	struct dash *d = xcalloc(1, sizeof *d);
	d->id = incident;
	struct view *v = tui_push(t, &dash_ops, d, 0);
	v->scroll_only = 1;
}
