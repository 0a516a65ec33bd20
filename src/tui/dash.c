/* The dashboard of one incident: a header that cannot be missed (the
 * level badge, the warning badge in its own style, the title; then T+,
 * the commander, the plan), then proposals most severe first, deadlines
 * by due time with live countdowns and the person carrying each, notices
 * due, metrics with value, age, staleness and every trigger, the lift and
 * termination checklists, responders, resources deployed and the latest
 * actions. It draws one struct view_incident from app_incident; the
 * countdowns tick from the clock without reloading. Actions: dash_act.c. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"

#define SOON_SECS (15 * 60)
#define LATEST_MAX 12

const struct view_incident *dash_view(const struct view *v)
{
	const struct dash *d = v->priv;
	return d->loaded ? &d->v : NULL;
}

/* ------------------------------------------------------------ loading */

static int64_t earlier(int64_t a, int64_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

/* When time alone changes what the engine would say: a deadline falls
 * due, a window completes, a reading goes stale. The driver reloads then. */
static int64_t next_change(const struct view_incident *v)
{
	int64_t when = 0;
	for (size_t i = 0; i < v->ndeadlines; i++)
		if (v->deadlines[i].due > v->at)
			when = earlier(when, v->deadlines[i].due + 1);
	for (size_t i = 0; i < v->nmetrics; i++) {
		const struct view_metric *m = &v->metrics[i];
		if (m->has_value && !m->stale && m->stale_after > 0)
			when = earlier(when, m->at + m->stale_after + 1);
		for (size_t k = 0; k < m->ntriggers; k++) {
			const struct view_trigger *tr = &m->triggers[k];
			if (!tr->firing && tr->held >= 0 && tr->window > tr->held)
				when = earlier(when, v->at + tr->window - tr->held + 1);
		}
	}
	for (int pass = 0; pass < 2; pass++) {
		const struct view_criterion *c = pass ? v->termination : v->lift;
		size_t n = pass ? v->ntermination : v->nlift;
		for (size_t i = 0; i < n; i++)
			if (!c[i].met && c[i].held >= 0 && c[i].need > c[i].held)
				when = earlier(when, v->at + c[i].need - c[i].held + 1);
	}
	return when;
}

/* The bell: a deadline that went late, or a notice that fell due, since
 * the last look (not what was already so when the dashboard opened). */
static void alarms(struct tui *t, struct dash *d)
{
	struct strbuf now = STRBUF_INIT;
	const struct view_incident *v = &d->v;
	int ring = 0;
	sb_init(&now);
	for (size_t i = 0; i < v->ndeadlines; i++) {
		const struct view_deadline *dl = &v->deadlines[i];
		if (dl->due && t->now > dl->due && !dl->closed_at)
			sb_addf(&now, "late %s#%d\n", dl->id, dl->seq);
	}
	for (size_t i = 0; i < v->nnotices; i++)
		if (v->notices[i].state == NOTICE_DUE)
			sb_addf(&now, "due %s\n", v->notices[i].id);
	if (d->alarms_known) {
		/* a line is new when the last reading did not hold it */
		struct strbuf old = STRBUF_INIT, key = STRBUF_INIT;
		const char *s = now.buf;
		sb_init(&old);
		sb_init(&key);
		sb_addc(&old, '\n');
		sb_adds(&old, d->alarms.buf);
		while (*s) {
			const char *nl = strchr(s, '\n');
			size_t len = (size_t)(nl - s) + 1;
			sb_reset(&key);
			sb_addc(&key, '\n');
			sb_add(&key, s, len);
			if (!strstr(old.buf, key.buf))
				ring = 1;
			s += len;
		}
		sb_release(&old);
		sb_release(&key);
	}
	if (ring)
		t->bell = 1;
	sb_reset(&d->alarms);
	sb_adds(&d->alarms, now.buf);
	d->alarms_known = 1;
	sb_release(&now);
}

static int dash_load(struct tui *t, struct view *v)
{
	struct dash *d = v->priv;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct view_incident nv;
	int64_t when;
	if (app_incident(t->app, d->id, 0, &nv, &err) != 0) {
		tui_status(t, ST_ERR, _("cannot load incident %" PRId64 ": %s"), d->id,
			   err.msg ? err.msg : "");
		err_release(&err);
		if (!d->loaded)
			snprintf(v->title, sizeof v->title, _("incident %" PRId64), d->id);
		return -1;
	}
	if (d->loaded)
		view_incident_release(&d->v);
	d->v = nv;
	d->loaded = 1;
	snprintf(v->title, sizeof v->title, _("incident %" PRId64 " \xc2\xb7 %s"), d->id,
		 d->v.title ? d->v.title : "");
	when = next_change(&d->v);
	if (when)
		tui_wake_at(t, when);
	alarms(t, d);
	return 0;
}

static void dash_tick(struct tui *t, struct view *v)
{
	struct dash *d = v->priv;
	if (d->loaded && d->v.phase != PHASE_TERMINATED)
		alarms(t, d); /* countdowns are drawn from the clock: no reload */
}

/* ------------------------------------------------------------ drawing */

/* The scrolled body below the header: lines count whether shown or not. */
struct body {
	struct canvas *c;
	int top, rows, offset, line;
};

static int by(const struct body *b)
{
	int r = b->line - b->offset;
	return r >= 0 && r < b->rows ? b->top + r : -1;
}

static void heading(struct body *b, int x, int w, const char *text)
{
	int y = by(b);
	if (y >= 0)
		cv_put(b->c, y, x, w, ST_HEAD, text);
	b->line++;
}

static void none_line(struct body *b, int x, int w, const char *text)
{
	int y = by(b);
	if (y >= 0)
		cv_put(b->c, y, x, w, ST_DIM, text);
	b->line++;
}

static void draw_header(struct tui *t, const struct dash *d, struct canvas *c, int y)
{
	const struct view_incident *v = &d->v;
	struct tui_badge b;
	struct strbuf l2 = STRBUF_INIT;
	char el[48], opened[48];
	int x = 1, cols = c->cols;

	tui_badge_main(v->phase, v->level.id, v->level.colour, v->warning, v->peak.id, &b);
	x += cv_putf(c, y, x, cols - x - 1, b.style, " %s ", b.text) + 1;
	if (v->phase == PHASE_RESPONSE && v->warning) {
		/* a warning that stays up beside the level: its own badge */
		tui_badge_warning(v->warning, &b);
		x += cv_putf(c, y, x, cols - x - 1, b.style, " %s ", b.text) + 1;
	}
	if (v->drill)
		x += cv_putf(c, y, x, cols - x - 1, ST_DRILL, " %s ", _("DRILL: AN EXERCISE")) + 1;
	cv_put(c, y, x, cols - x - 1, ST_BOLD, v->title);

	/* the level is said once, by its badge; the commander early */
	tui_elapsed(v->opened_at, v->phase == PHASE_TERMINATED ? v->terminated_at : t->now, el,
		    sizeof el);
	sb_init(&l2);
	sb_addf(&l2, "#%" PRId64 "  \xc2\xb7  %s  \xc2\xb7  ", v->id, el);
	sb_addf(&l2, _("commander %s"), v->commander ? v->commander : _("nobody"));
	/* the plan last: at 80 columns it is what a long line cuts, not the
	 * time the incident was opened */
	sb_addf(&l2, "  \xc2\xb7  %s  \xc2\xb7  ", tui_phase_text(v->phase));
	sb_addf(&l2, _("opened %s"), tui_when(v->opened_at, t->now, opened, sizeof opened));
	sb_addf(&l2, "  \xc2\xb7  %s", v->plan);
	cv_put(c, y + 1, 1, cols - 2, ST_NORMAL, l2.buf);
	sb_release(&l2);
}

static void draw_proposals(struct body *b, const struct view_incident *v, int64_t now)
{
	int cols = b->c->cols;
	char h[200];
	if (!v->nproposals)
		return;
	snprintf(h, sizeof h, "%s", _("PROPOSALS (most severe first): p accepts"));
	heading(b, 1, cols - 2, h);
	for (size_t i = 0; i < v->nproposals; i++, b->line++) {
		const struct view_proposal *p = &v->proposals[i];
		struct tui_badge lb;
		char when[48];
		int y = by(b), x = 3;
		if (y < 0)
			continue;
		tui_badge_level(p->level, p->colour, &lb);
		x += cv_putf(b->c, y, x, cols - x - 1, lb.style, " %s ", lb.text) + 1;
		if (p->downgrade)
			x += cv_put(b->c, y, x, cols - x - 1, ST_DIM, _("(lower) ")) ;
		x += cv_putf(b->c, y, x, cols - x - 1, i == 0 ? ST_SOON : ST_NORMAL, _("by rule %s"),
			     p->rule);
		if (p->rule_text && *p->rule_text)
			x += cv_putf(b->c, y, x, cols - x - 1, ST_NORMAL, ": %s", p->rule_text);
		cv_putf(b->c, y, x, cols - x - 1, ST_DIM, "  %s", tui_when(p->at, now, when, sizeof when));
	}
	b->line++;
}

/* The person carrying a deadline, or its role marked as nobody named. */
static void carrier(const struct view_deadline *dl, struct strbuf *out, int *style)
{
	if (dl->person && *dl->person) {
		sb_adds(out, dl->person_name && *dl->person_name ? dl->person_name : dl->person);
		*style = ST_NORMAL;
	} else if (dl->owner) {
		/* the mark first: a long role name is clipped, the mark is not */
		sb_addf(out, _("nobody named (%s)"), dl->owner_name ? dl->owner_name : dl->owner);
		*style = ST_DIM;
	} else {
		sb_adds(out, "-");
		*style = ST_DIM;
	}
}

/* The countdown column: as wide as the widest countdown shown. */
static int countdown_width(const struct view_incident *v, int64_t now)
{
	char cd[64];
	int cw = tx_width(_("no deadline")), w;
	for (size_t i = 0; i < v->ndeadlines; i++)
		if (v->deadlines[i].due) {
			tui_countdown(v->deadlines[i].due, now, SOON_SECS, cd, sizeof cd);
			if ((w = tx_width(cd)) > cw)
				cw = w;
		}
	for (size_t i = 0; i < v->nnotices; i++)
		if (v->notices[i].due) {
			tui_countdown(v->notices[i].due, now, SOON_SECS, cd, sizeof cd);
			if ((w = tx_width(cd)) > cw)
				cw = w;
		}
	return cw > 20 ? 20 : cw;
}

/* "+N more (M late): K lists them all": the last line of a capped list. */
static void more_line(struct body *b, int rest, int rlate, char key)
{
	int y = by(b);
	if (y >= 0 && rlate)
		cv_putf(b->c, y, 3, b->c->cols - 4, ST_OVERDUE,
			P_("+%d more (%d late): %c lists them all",
			   "+%d more (%d late): %c lists them all", rest), rest, rlate, key);
	else if (y >= 0)
		cv_putf(b->c, y, 3, b->c->cols - 4, ST_DIM,
			P_("+%d more: %c lists them all", "+%d more: %c lists them all", rest), rest,
			key);
	b->line++;
}

static void draw_deadlines(struct body *b, const struct view_incident *v, int64_t now, int cap)
{
	struct canvas *c = b->c;
	int cols = c->cols, cw = countdown_width(v, now), pw = 0, n = 0, late = 0, shown = 0;
	char h[200], cd[64];
	for (size_t i = 0; i < v->ndeadlines; i++) {
		const struct view_deadline *dl = &v->deadlines[i];
		struct strbuf p = STRBUF_INIT;
		int st, w;
		if (dl->notice)
			continue;
		n++;
		if (dl->due && now > dl->due)
			late++;
		sb_init(&p);
		carrier(dl, &p, &st);
		if ((w = tx_width(p.buf)) > pw)
			pw = w;
		sb_release(&p);
	}
	if (pw > (cols - 4) / 3)
		pw = (cols - 4) / 3;
	if (late)
		snprintf(h, sizeof h, P_("DEADLINES (%d open, %d late): o marks done",
					 "DEADLINES (%d open, %d late): o marks done", n), n, late);
	else
		snprintf(h, sizeof h, P_("DEADLINES (%d open): o marks done",
					 "DEADLINES (%d open): o marks done", n), n);
	heading(b, 1, cols - 2, h);
	if (!n)
		none_line(b, 3, cols - 4, _("none open"));
	for (size_t i = 0; i < v->ndeadlines; i++) {
		const struct view_deadline *dl = &v->deadlines[i];
		struct strbuf p = STRBUF_INIT, title = STRBUF_INIT;
		int y, st = ST_NORMAL, pst, tw;
		if (dl->notice)
			continue;
		if (shown >= cap - 1 && n > cap) {
			int rest = n - shown, rlate = 0;
			for (size_t k = i; k < v->ndeadlines; k++)
				rlate += !v->deadlines[k].notice && v->deadlines[k].due &&
					 now > v->deadlines[k].due;
			more_line(b, rest, rlate, 'o');
			break;
		}
		shown++;
		if ((y = by(b)) < 0) {
			b->line++;
			continue;
		}
		if (dl->due) {
			enum tui_due due = tui_countdown(dl->due, now, SOON_SECS, cd, sizeof cd);
			st = due == TUI_DUE_OVERDUE ? ST_OVERDUE : due == TUI_DUE_SOON ? ST_SOON : ST_NORMAL;
			cv_put(c, y, 3, cw, st, cd);
		} else {
			cv_put(c, y, 3, cw, ST_DIM, _("no deadline"));
		}
		sb_init(&p);
		sb_init(&title);
		carrier(dl, &p, &pst);
		sb_adds(&title, dl->title ? dl->title : dl->id);
		if (dl->seq > 1)
			sb_addf(&title, " #%d", dl->seq);
		tw = cols - 3 - cw - 1 - pw - 2;
		cv_put(c, y, 4 + cw, tw, st == ST_OVERDUE ? ST_OVERDUE : ST_NORMAL, title.buf);
		cv_put(c, y, cols - 1 - pw, pw, pst, p.buf);
		sb_release(&p);
		sb_release(&title);
		b->line++;
	}
	b->line++;
}

static const char *notice_state(const struct view_notice *no, char *buf, size_t size)
{
	if (no->review && !no->approved)
		snprintf(buf, size, _("needs %s's approval"), no->review);
	else if (no->state == NOTICE_FAILED)
		snprintf(buf, size, "%s", _("not delivered: s sends again"));
	else if (no->state == NOTICE_UNKNOWN)
		snprintf(buf, size, "%s", _("unknown: check"));
	else
		snprintf(buf, size, _("to %s"), no->to_people && *no->to_people ? no->to_people
					 : no->to_names ? no->to_names : no->to);
	return buf;
}

static const struct view_incident *notice_sort_v;

static int notice_open_state(const struct view_notice *no)
{
	return no->state == NOTICE_DUE || no->state == NOTICE_FAILED || no->state == NOTICE_UNKNOWN;
}

/* soonest due first; those without a deadline last, in plan order */
static int notice_cmp(const void *x, const void *y)
{
	const struct view_notice *a = &notice_sort_v->notices[*(const size_t *)x];
	const struct view_notice *b = &notice_sort_v->notices[*(const size_t *)y];
	int64_t da = a->due ? a->due : INT64_MAX, db = b->due ? b->due : INT64_MAX;
	if (da != db)
		return da < db ? -1 : 1;
	return *(const size_t *)x < *(const size_t *)y ? -1 : 1;
}

/* The notices due, soonest first, at most `cap` lines (the rest one key
 * away: s lists them all). */
static void draw_notices(struct body *b, const struct view_incident *v, int64_t now, int cap)
{
	struct canvas *c = b->c;
	int cols = c->cols, n = 0, cw = countdown_width(v, now), shown = 0;
	char cd[64], st[300];
	size_t *order;
	for (size_t i = 0; i < v->nnotices; i++)
		n += notice_open_state(&v->notices[i]);
	if (!n)
		return;
	order = xcalloc((size_t)n, sizeof *order);
	n = 0;
	for (size_t i = 0; i < v->nnotices; i++)
		if (notice_open_state(&v->notices[i]))
			order[n++] = i;
	notice_sort_v = v;
	qsort(order, (size_t)n, sizeof *order, notice_cmp);
	heading(b, 1, cols - 2, _("NOTICES DUE: s sends, A approves"));
	for (int k = 0; k < n; k++) {
		const struct view_notice *no = &v->notices[order[k]];
		int y, sw, style = ST_NORMAL, tw;
		if (shown >= cap - 1 && n > cap) {
			int rest = n - shown, rlate = 0;
			for (int m = k; m < n; m++)
				rlate += v->notices[order[m]].overdue;
			more_line(b, rest, rlate, 's');
			break;
		}
		shown++;
		if ((y = by(b)) < 0) {
			b->line++;
			continue;
		}
		if (no->due) {
			enum tui_due due = tui_countdown(no->due, now, SOON_SECS, cd, sizeof cd);
			style = due == TUI_DUE_OVERDUE ? ST_OVERDUE : due == TUI_DUE_SOON ? ST_SOON
											  : ST_NORMAL;
			cv_put(c, y, 3, cw, style, cd);
		} else {
			cv_put(c, y, 3, cw, ST_DIM, "-");
		}
		notice_state(no, st, sizeof st);
		sw = tx_width(st);
		if (sw > (cols - 4) / 2)
			sw = (cols - 4) / 2;
		tw = cols - 3 - cw - 1 - sw - 2;
		cv_put(c, y, 4 + cw, tw, style == ST_OVERDUE ? ST_OVERDUE : ST_NORMAL, no->title);
		cv_put(c, y, cols - 1 - sw, sw,
		       no->state == NOTICE_FAILED || no->state == NOTICE_UNKNOWN ||
				       (no->review && !no->approved) ? ST_UNMET : ST_DIM,
		       st);
		b->line++;
	}
	free(order);
	b->line++;
}

static void fmt_num(double v, char *buf, size_t size)
{
	if (v == (double)(int64_t)v && v < 1e15 && v > -1e15)
		snprintf(buf, size, "%" PRId64, (int64_t)v);
	else
		snprintf(buf, size, "%.2f", v);
}

/* A reading as shown: the value and the unit's first word ("%" of "% of
 * daily average"). */
static void value_text(const struct view_metric *m, struct strbuf *out)
{
	char buf[64];
	if (!m->has_value) {
		sb_adds(out, _("no reading"));
		return;
	}
	fmt_num(m->value, buf, sizeof buf);
	sb_adds(out, buf);
	if (m->unit && *m->unit && strcspn(m->unit, " ") < 8) {
		sb_addc(out, ' ');
		sb_add(out, m->unit, strcspn(m->unit, " "));
	}
}

/* Long by design: one table drawn column by column; the widths are worked
 * out first, in the same function, from the same rows. */
static void draw_metrics(struct body *b, const struct view_incident *v, int64_t now)
{
	struct canvas *c = b->c;
	int cols = c->cols, nw = tx_width(_("METRICS")), vw = tx_width(_("value"));
	int aw = tx_width(_("age")), sw = 0, tx, y;
	char buf[64];
	if (!v->nmetrics)
		return;
	for (size_t i = 0; i < v->nmetrics; i++) {
		const struct view_metric *m = &v->metrics[i];
		struct strbuf val = STRBUF_INIT;
		char age[48];
		int w = tx_width(m->id);
		if (w > nw)
			nw = w;
		sb_init(&val);
		value_text(m, &val);
		if ((w = tx_width(val.buf)) > vw)
			vw = w;
		sb_release(&val);
		if (!m->has_value)
			continue;
		tui_clock(now - m->at, age, sizeof age);
		w = tx_width(age);
		if (m->stale || (m->stale_after > 0 && now - m->at > m->stale_after))
			w += 1 + tx_width(_("stale"));
		if (w > aw)
			aw = w;
	}
	if (nw > 20)
		nw = 20;
	if (vw > 14)
		vw = 14;
	/* a sparkline where the triggers keep 48 columns */
	sw = cols - (3 + nw + 1 + vw + 1 + aw + 1) - 48 - 1;
	if (sw > VIEW_SPARK)
		sw = VIEW_SPARK;
	if (sw < 6)
		sw = 0;
	tx = 3 + nw + 1 + vw + 1 + aw + 1;
	if ((y = by(b)) >= 0) {
		cv_put(c, y, 1, nw + 2, ST_HEAD, _("METRICS"));
		cv_put(c, y, 3 + nw + 1, vw, ST_HEAD, _("value"));
		cv_put(c, y, 3 + nw + 1 + vw + 1, aw, ST_HEAD, _("age"));
		cv_put(c, y, tx, cols - tx - sw - 2, ST_HEAD, _("triggers (window held)"));
		if (sw)
			cv_put(c, y, cols - 1 - sw, sw, ST_HEAD, _("recent"));
	}
	b->line++;
	for (size_t i = 0; i < v->nmetrics; i++, b->line++) {
		const struct view_metric *m = &v->metrics[i];
		int x, stale, tend = cols - 1 - (sw ? sw + 1 : 0), firing = 0, holding = 0;
		if ((y = by(b)) < 0)
			continue;
		cv_put(c, y, 3, nw, ST_NORMAL, m->id);
		stale = m->has_value && (m->stale || (m->stale_after > 0 && now - m->at > m->stale_after));
		for (size_t k = 0; k < m->ntriggers; k++) {
			firing |= m->triggers[k].firing;
			holding |= !m->triggers[k].firing && m->triggers[k].held >= 0;
		}
		{
			struct strbuf val = STRBUF_INIT;
			sb_init(&val);
			value_text(m, &val);
			cv_put(c, y, 3 + nw + 1, vw, !m->has_value ? ST_DIM : stale ? ST_STALE
				   : firing ? ST_OVERDUE : holding ? ST_SOON : ST_BOLD, val.buf);
			sb_release(&val);
		}
		if (m->has_value) {
			char age[48];
			tui_clock(now - m->at, age, sizeof age);
			x = 3 + nw + 1 + vw + 1;
			x += cv_put(c, y, x, aw, stale ? ST_STALE : ST_DIM, age);
			if (stale)
				cv_putf(c, y, x, aw, ST_STALE, " %s", _("stale"));
		}
		/* every trigger on the metric: what fires, what holds, the rest */
		x = tx;
		for (int pass = 0; pass < 3; pass++)
			for (size_t k = 0; k < m->ntriggers && x < tend - 1; k++) {
				const struct view_trigger *tr = &m->triggers[k];
				int is = pass == 0 ? tr->firing : pass == 1 ? !tr->firing && tr->held >= 0
									   : !tr->firing && tr->held < 0;
				struct strbuf s = STRBUF_INIT;
				int style;
				if (!is)
					continue;
				sb_init(&s);
				if (x > tx)
					sb_adds(&s, "  ");
				if (pass == 0) {
					sb_addf(&s, _("FIRED %s"), tr->id);
					style = ST_OVERDUE;
				} else if (pass == 1) {
					char h[40], w[40];
					int64_t held = tr->held + (now > v->at ? now - v->at : 0);
					/* "held 00:12:00 of 00:30:00" was cut at 80
					 * columns: the column's head says "held" */
					sb_addf(&s, _("%s %s/%s"), tr->id, tui_clock(held, h, sizeof h),
						tui_clock(tr->window, w, sizeof w));
					style = ST_SOON;
				} else {
					fmt_num(tr->value, buf, sizeof buf);
					sb_addf(&s, "%s%s", tr->op ? tr->op : "", buf);
					style = ST_DIM;
				}
				x += cv_put(c, y, x, tend - x, style, s.buf);
				sb_release(&s);
			}
		if (!m->ntriggers)
			cv_put(c, y, tx, tend - tx, ST_DIM, "-");
		if (sw && m->nspark) {
			struct strbuf sp = STRBUF_INIT;
			sb_init(&sp);
			tui_sparkline(m->spark, m->nspark, sw, &sp);
			cv_put(c, y, cols - 1 - sw, sw, ST_NORMAL, sp.buf);
			sb_release(&sp);
		}
	}
	b->line++;
}

/* A checklist column from line0: returns the lines used. */
static int checklist(struct body *b, const struct view_incident *v, int64_t now, int x, int w,
		     const char *title, const struct view_criterion *cr, size_t n, int line0)
{
	int save = b->line, y;
	b->line = line0;
	if ((y = by(b)) >= 0)
		cv_put(b->c, y, x, w, ST_HEAD, title);
	b->line++;
	for (size_t i = 0; i < n; i++, b->line++) {
		struct strbuf sb = STRBUF_INIT;
		const struct view_criterion *k = &cr[i];
		if ((y = by(b)) < 0)
			continue;
		sb_init(&sb);
		sb_adds(&sb, k->title ? k->title : k->id);
		if (!k->met && k->need > 0 && k->held >= 0) {
			char h[40], f[40];
			int64_t held = k->held + (now > v->at ? now - v->at : 0);
			sb_addf(&sb, _(" (held %s of %s)"), tui_clock(held, h, sizeof h),
				tui_clock(k->need, f, sizeof f));
		} else if (!k->met && k->kind && !strcmp(k->kind, "attest")) {
			sb_adds(&sb, _(" (a attests)"));
		} else if (k->attested_by) {
			sb_addf(&sb, _(" (by %s)"), k->attested_by);
		}
		cv_put(b->c, y, x, 4, k->met ? ST_MET : ST_UNMET, k->met ? "[x]" : "[ ]");
		cv_put(b->c, y, x + 4, w - 4, k->met ? ST_MET : ST_NORMAL, sb.buf);
		sb_release(&sb);
	}
	b->line = save;
	return 1 + (int)n;
}

static int count_met(const struct view_criterion *c, size_t n)
{
	int k = 0;
	for (size_t i = 0; i < n; i++)
		k += c[i].met;
	return k;
}

static void draw_checklists(struct body *b, const struct view_incident *v, int64_t now)
{
	int cols = b->c->cols, half = (cols - 3) / 2, line0 = b->line, used = 0, a, t;
	int lift = v->phase == PHASE_WARNING && v->nlift; /* only while a warning is up */
	int term = v->phase != PHASE_TERMINATED && v->ntermination;
	char lt[160], tt[160];
	snprintf(lt, sizeof lt, _("LIFT (%d/%zu met): L lifts"), count_met(v->lift, v->nlift), v->nlift);
	snprintf(tt, sizeof tt, _("TERMINATION (%d/%zu met): t terminates"),
		 count_met(v->termination, v->ntermination), v->ntermination);
	if (lift && term) {
		a = checklist(b, v, now, 1, half, lt, v->lift, v->nlift, line0);
		t = checklist(b, v, now, 2 + half, cols - 3 - half, tt, v->termination,
			      v->ntermination, line0);
		used = a > t ? a : t;
	} else if (lift) {
		used = checklist(b, v, now, 1, cols - 2, lt, v->lift, v->nlift, line0);
	} else if (term) {
		used = checklist(b, v, now, 1, cols - 2, tt, v->termination, v->ntermination, line0);
	}
	if (used)
		b->line = line0 + used + 1;
}

static int responders(struct body *b, const struct view_incident *v, int64_t now, int x, int w,
		      int line0)
{
	int save = b->line, y, rw = 0;
	char when[48];
	b->line = line0;
	if ((y = by(b)) >= 0)
		cv_put(b->c, y, x, w, ST_HEAD, _("RESPONDERS: R assigns"));
	b->line++;
	for (size_t i = 0; i < v->nresponders; i++) {
		int k = tx_width(v->responders[i].role_name ? v->responders[i].role_name
							    : v->responders[i].role);
		if (k > rw)
			rw = k;
	}
	if (rw > w / 3)
		rw = w / 3;
	if (!v->nresponders)
		none_line(b, x + 2, w - 2, _("nobody named yet"));
	for (size_t i = 0; i < v->nresponders; i++, b->line++) {
		const struct view_responder *r = &v->responders[i];
		int sx;
		if ((y = by(b)) < 0)
			continue;
		tui_when(r->since, now, when, sizeof when);
		sx = x + w - tx_width(when);
		cv_put(b->c, y, x + 2, rw, ST_NORMAL, r->role_name ? r->role_name : r->role);
		cv_put(b->c, y, x + 3 + rw, sx - (x + 3 + rw) - 1, ST_BOLD,
		       r->person_name ? r->person_name : r->person);
		cv_put(b->c, y, sx, x + w - sx, ST_DIM, when);
	}
	b->line = save;
	return 1 + (v->nresponders ? (int)v->nresponders : 1);
}

static int resources(struct body *b, const struct view_incident *v, int64_t now, int x, int w,
		     int line0)
{
	int save = b->line, y, n = 0;
	char when[48], cnt[64];
	b->line = line0;
	if ((y = by(b)) >= 0)
		cv_put(b->c, y, x, w, ST_HEAD, _("RESOURCES DEPLOYED: D deploys, W withdraws"));
	b->line++;
	for (size_t i = 0; i < v->nresources; i++) {
		const struct view_resource *r = &v->resources[i];
		struct strbuf right = STRBUF_INIT;
		int rw;
		if (r->deployed <= 0)
			continue;
		n++;
		if ((y = by(b)) < 0) {
			b->line++;
			continue;
		}
		snprintf(cnt, sizeof cnt, "%" PRId64 "/%" PRId64, r->deployed, r->count);
		sb_init(&right);
		sb_addf(&right, "%s %s", cnt, tui_when(r->since, now, when, sizeof when));
		if (r->by)
			sb_addf(&right, " %s", r->by);
		rw = tx_width(right.buf);
		if (rw > w / 2)
			rw = w / 2;
		cv_put(b->c, y, x + 2, w - 2 - rw - 1, ST_NORMAL, r->item);
		cv_put(b->c, y, x + w - rw, rw, ST_DIM, right.buf);
		sb_release(&right);
		b->line++;
	}
	if (!n)
		none_line(b, x + 2, w - 2, _("none deployed"));
	b->line = save;
	return 1 + (n ? n : 1);
}

static void draw_people(struct body *b, const struct view_incident *v, int64_t now)
{
	int cols = b->c->cols, half = (cols - 3) / 2, line0 = b->line, a, r;
	if (v->nresources) {
		a = responders(b, v, now, 1, half, line0);
		r = resources(b, v, now, 2 + half, cols - 3 - half, line0);
		b->line = line0 + (a > r ? a : r) + 1;
	} else {
		a = responders(b, v, now, 1, cols - 2, line0);
		b->line = line0 + a + 1;
	}
}

static void draw_latest(struct body *b, const struct view_incident *v, int64_t now)
{
	struct canvas *c = b->c;
	int cols = c->cols, aw = 8, kw = 8, y, n = 0;
	char when[48];
	for (size_t i = 0; i < v->nlatest; i++) {
		int w = tx_width(v->latest[i].actor);
		if (w > aw)
			aw = w;
		if ((w = tx_width(v->latest[i].kind)) > kw)
			kw = w;
	}
	if (aw > 12)
		aw = 12;
	if (kw > 11)
		kw = 11;
	heading(b, 1, cols - 2, _("LATEST ACTIONS: v shows the whole timeline"));
	for (size_t i = 0; i < v->nlatest && n < LATEST_MAX; i++) {
		const struct view_row *r = &v->latest[i];
		int x = 3, st = r->refused ? ST_UNMET : ST_NORMAL;
		if (r->kind && !strcmp(r->kind, "export"))
			continue; /* reads are not actions */
		n++;
		if ((y = by(b)) < 0) {
			b->line++;
			continue;
		}
		tui_when(r->occurred_at, now, when, sizeof when);
		x += cv_put(c, y, x, 11, ST_DIM, when);
		x = 3 + 12;
		cv_put(c, y, x, aw, ST_DIM, r->actor && *r->actor ? r->actor : _("(engine)"));
		x += aw + 1;
		cv_put(c, y, x, kw, r->refused ? ST_UNMET : ST_BOLD, r->kind);
		x += kw + 1;
		cv_put(c, y, x, cols - x - 1, st, r->summary);
		b->line++;
	}
	if (!n)
		none_line(b, 3, cols - 4, _("none yet"));
}

static void dash_draw(struct tui *t, struct view *v, struct canvas *c, int top, int rows)
{
	struct dash *d = v->priv;
	struct body b;
	int cap;
	if (!d->loaded) {
		cv_putf(c, top + 1, 2, c->cols - 4, ST_ERR, _("incident %" PRId64 " cannot be shown"),
			d->id);
		return;
	}
	draw_header(t, d, c, top);
	b.c = c;
	b.top = top + 3;
	b.rows = rows - 3;
	b.offset = v->offset;
	b.line = 0;
	if (b.rows < 1)
		return;
	draw_proposals(&b, &d->v, t->now);
	/* the soonest deadlines here; the rest one key away (o lists them all) */
	cap = b.rows / 3;
	draw_deadlines(&b, &d->v, t->now, cap < 4 ? 4 : cap);
	draw_notices(&b, &d->v, t->now, cap < 4 ? 4 : cap / 2 + 1);
	draw_metrics(&b, &d->v, t->now);
	draw_checklists(&b, &d->v, t->now);
	draw_people(&b, &d->v, t->now);
	draw_latest(&b, &d->v, t->now);
	v->lines = b.line;
	tui_scroll_fit(v, b.rows);
	if (v->lines > b.rows) {
		char more[96];
		int end = v->offset + b.rows < v->lines ? v->offset + b.rows : v->lines;
		snprintf(more, sizeof more, _(" j/k scroll: %d-%d of %d "), v->offset + 1, end, v->lines);
		cv_right(c, top + 2, 0, c->cols - 1, ST_DIM, more);
	}
}

/* Terminate and lift refused for unmet criteria: say which, by their
 * titles (the engine's message names them by id). */
static const struct view_may *dash_may(struct view *v, int act)
{
	struct dash *d = v->priv;
	const struct view_may *m;
	const struct view_criterion *c = NULL;
	size_t n = 0;
	struct strbuf sb = STRBUF_INIT;
	if (!d->loaded || act < 0 || act >= ACT__COUNT)
		return NULL;
	m = &d->v.may[act];
	if (m->allowed)
		return m;
	if (act == ACT_TERMINATE && m->rule && !strcmp(m->rule, "termination")) {
		c = d->v.termination;
		n = d->v.ntermination;
	} else if (act == ACT_LIFT && m->rule && !strcmp(m->rule, "lift") && d->v.warning) {
		c = d->v.lift;
		n = d->v.nlift;
	}
	if (!c)
		return m;
	sb_init(&sb);
	for (size_t i = 0; i < n; i++)
		if (!c[i].met)
			/* TRANSLATORS: between the items of a list in a sentence */
			sb_addf(&sb, "%s%s", sb.len ? _(", ") : "", c[i].title ? c[i].title : c[i].id);
	if (!sb.len) {
		sb_release(&sb);
		return m;
	}
	snprintf(d->why, sizeof d->why, _("unmet: %s"), sb.buf);
	sb_release(&sb);
	d->said = *m;
	d->said.why = d->why;
	return &d->said;
}

static void dash_done(struct view *v)
{
	struct dash *d = v->priv;
	if (d->loaded)
		view_incident_release(&d->v);
	sb_release(&d->alarms);
	dash_flow_clear(&d->flow);
	free(d);
}

static const struct view_ops dash_ops = {
	.name = N_("incident"),
	.scope = SCOPE_DASH,
	.open = dash_load,
	.draw = dash_draw,
	.may = dash_may,
	.handlers = dash_handlers,
	.done = dash_done,
	.tick = dash_tick,
};

void dash_open(struct tui *t, int64_t incident)
{
	struct dash *d = xcalloc(1, sizeof *d);
	struct view *v;
	d->id = incident;
	sb_init(&d->alarms);
	v = tui_push(t, &dash_ops, d, 0);
	v->scroll_only = 1;
}
