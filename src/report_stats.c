/* report: figures across incidents. Per plan, over the incidents that are
 * not drills: the count, and for each figure how many incidents it applies
 * to, its mean and its median. Drills alone: each drill's record as source
 * 003 §7 asks (when, participants, course, problems found, follow-ups). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

static const char *nz(const char *s, const char *def)
{
	return s && *s ? s : def;
}

static int cmp_review(const void *a, const void *b)
{
	const struct view_review *x = *(const struct view_review *const *)a;
	const struct view_review *y = *(const struct view_review *const *)b;
	int c = strcmp(nz(x->inc->plan, ""), nz(y->inc->plan, ""));
	if (c)
		return c;
	return x->inc->id < y->inc->id ? -1 : x->inc->id > y->inc->id;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void stat_text(enum rp_fig_kind k, double v, char *buf)
{
	if (k == RPF_DUR)
		rp_clock((int64_t)(v + 0.5), buf);
	else
		snprintf(buf, RP_TBUF, "%.1f", v);
}

#define W_FIG 36

static void plan_figures(const struct view_review *const *rv, size_t n, struct strbuf *sb)
{
	int64_t *v = xcalloc(n + 1, sizeof(*v));
	char b1[RP_TBUF], b2[RP_TBUF];
	struct strbuf peaks = STRBUF_INIT;
	sb_init(&peaks);
	sb_adds(sb, "  ");
	rp_pad(sb, _("figure"), W_FIG);
	sb_adds(sb, "     n  ");
	rp_pad(sb, _("mean"), 12);
	sb_adds(sb, " ");
	sb_adds(sb, _("median"));
	sb_addc(sb, '\n');
	for (size_t d = 0; d < rp_nfigures; d++) {
		const struct rp_figure *f = &rp_figures[d];
		double sum = 0, med;
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			int64_t x = rp_figure_value(&rv[i]->fig, f);
			if (f->kind == RPF_DUR && x < 0)
				continue; /* n/a: it never happened */
			v[m++] = x;
			sum += (double)x;
		}
		sb_adds(sb, "  ");
		rp_pad(sb, _(f->label), W_FIG);
		sb_addf(sb, " %5zu  ", m);
		if (!m) {
			rp_pad(sb, "-", 12);
			sb_adds(sb, " -\n");
			continue;
		}
		qsort(v, m, sizeof(*v), cmp_i64);
		med = m % 2 ? (double)v[m / 2] : ((double)v[m / 2 - 1] + (double)v[m / 2]) / 2;
		stat_text(f->kind, sum / (double)m, b1);
		stat_text(f->kind, med, b2);
		rp_pad(sb, b1, 12);
		sb_addf(sb, " %s\n", b2);
	}
	/* the peak level: a distribution rather than a mean (least severe first) */
	for (int l = -1; l < 8; l++) {
		int count = 0;
		const char *id = NULL;
		for (size_t i = 0; i < n; i++) {
			int p = rv[i]->fig.peak_level;
			if (p != l)
				continue;
			count++;
			if (!id)
				id = l < 0 ? _("none") : rp_level_id(rv[i]->inc, l);
		}
		if (count)
			sb_addf(&peaks, "%s%s x%d", peaks.len ? ", " : "", nz(id, "?"), count);
	}
	sb_adds(sb, "  ");
	rp_pad(sb, _("peak level"), W_FIG);
	sb_adds(sb, "        ");
	tx_escape(sb, peaks.buf, 0);
	sb_addc(sb, '\n');
	sb_release(&peaks);
	free(v);
}

/* Long by design: the drill record as a document, section after section (003
 * §7). */
static void drill_record(const struct view_review *r, struct strbuf *sb)
{
	const struct view_incident *v = r->inc;
	struct strbuf t = STRBUF_INIT;
	char b1[RP_TBUF], b2[RP_TBUF];
	int64_t t0 = v->opened_at;
	int problems = 0;
	sb_init(&t);

	sb_addf(sb, _("\nincident %" PRId64 " (drill, %s): "), v->id, rp_e(&t, v->plan));
	tx_escape(sb, v->title, 0);
	sb_addc(sb, '\n');
	sb_adds(sb, "  ");
	rp_pad(sb, _("date"), 14);
	sb_addf(sb, " %s", rp_local(v->opened_at, b1));
	if (v->terminated_at)
		sb_addf(sb, _(" to %s"), rp_local(v->terminated_at, b2));
	sb_addc(sb, '\n');

	sb_adds(sb, "  ");
	rp_pad(sb, _("participants"), 14);
	sb_addc(sb, ' ');
	sb_reset(&t);
	if (r->participants && *r->participants)
		sb_adds(&t, r->participants);
	else
		for (size_t i = 0; i < r->nactivity; i++) {
			if (i)
				sb_adds(&t, i18n_pgettext("names", ", "));
			sb_addf(&t, _("%s (%s)"), nz(r->activity[i].id, "-"), nz(r->activity[i].text, "-"));
		}
	tx_escape(sb, t.len ? t.buf : "-", 0);
	sb_addc(sb, '\n');

	sb_adds(sb, "  ");
	rp_pad(sb, _("course"), 14);
	sb_addc(sb, ' ');
	sb_addf(sb, _("peak level %s"), rp_e(&t, nz(rp_level_id(v, r->fig.peak_level), _("none"))));
	sb_adds(sb, _("; "));
	sb_addf(sb, P_("%d escalation", "%d escalations", r->fig.escalations), r->fig.escalations);
	sb_adds(sb, i18n_pgettext("names", ", "));
	sb_addf(sb, P_("%d downgrade", "%d downgrades", r->fig.downgrades), r->fig.downgrades);
	sb_adds(sb, _("; "));
	if (r->fig.to_termination >= 0)
		sb_addf(sb, _("terminated after %s"), rp_clock(r->fig.to_termination, b1));
	else
		sb_adds(sb, _("not terminated"));
	sb_addc(sb, '\n');
	for (size_t i = 0; i < r->nchanges; i++) {
		const struct view_change *c = &r->changes[i];
		int up = rp_level_index(v, c->from) < 0 ||
			 rp_level_index(v, c->to) > rp_level_index(v, c->from);
		sb_reset(&t);
		sb_addf(&t, up ? _("escalation %s → %s") : _("downgrade %s → %s"),
			nz(c->from, _("none")), nz(c->to, "?"));
		if (c->actor && *c->actor)
			sb_addf(&t, _(" by %s"), c->actor);
		if (c->reason && *c->reason)
			sb_addf(&t, ": %s", c->reason);
		sb_addf(sb, "%*s%s ", 2 + 14 + 1, "", rp_tplus(c->at - t0, b1));
		tx_escape(sb, t.buf, 0);
		sb_addc(sb, '\n');
	}

	sb_adds(sb, "  ");
	sb_adds(sb, _("problems found"));
	sb_addc(sb, '\n');
	for (size_t i = 0; i < r->nrefusals; i++) {
		const struct view_row *row = &r->refusals[i];
		sb_reset(&t);
		sb_addf(&t, _("refused at %s: %s"), rp_tplus(row->occurred_at - t0, b1),
			nz(row->actor, "-"));
		if (row->rule && *row->rule)
			sb_addf(&t, _(" (rule %s)"), row->rule);
		sb_addf(&t, ": %s", nz(row->summary, ""));
		sb_adds(sb, "    - ");
		tx_escape(sb, t.buf, 0);
		sb_addc(sb, '\n');
		problems++;
	}
	for (size_t i = 0; i < r->ninstances; i++) {
		const struct view_instance *in = &r->instances[i];
		if (in->outcome != OUT_LATE && in->outcome != OUT_MISSED)
			continue;
		sb_reset(&t);
		sb_addf(&t, _("deadline %s #%d due %s: "), nz(in->id, "?"), in->seq,
			rp_tplus(in->due - t0, b1));
		if (in->outcome == OUT_LATE && in->closed_at)
			sb_addf(&t, _("late by %s"), rp_clock(in->closed_at - in->due, b2));
		else
			sb_adds(&t, rp_outcome_text(in->outcome));
		sb_adds(sb, "    - ");
		tx_escape(sb, t.buf, 0);
		sb_addc(sb, '\n');
		problems++;
	}
	for (size_t i = 0; i < r->nnotes; i++) {
		const struct view_note *n = &r->notes[i];
		sb_reset(&t);
		sb_addf(&t, _("review note [%s] by %s: %s"),
			n->section >= 0 && n->section < SECTION__COUNT ? section_name(n->section) : "?",
			nz(n->actor, "-"), nz(n->text, ""));
		sb_adds(sb, "    - ");
		tx_escape(sb, t.buf, 0);
		sb_addc(sb, '\n');
		problems++;
	}
	if (!problems) {
		sb_adds(sb, "    ");
		sb_adds(sb, _("none recorded"));
		sb_addc(sb, '\n');
	}

	sb_adds(sb, "  ");
	sb_adds(sb, _("follow-ups"));
	sb_addc(sb, '\n');
	for (size_t i = 0; i < r->nfollowups; i++) {
		const struct view_deadline *f = &r->followups[i];
		sb_reset(&t);
		sb_addf(&t, "[%c] %s %s (", f->outcome == OUT_OPEN ? ' ' : 'x', nz(f->id, "?"),
			nz(f->title, ""));
		rp_who(&t, f);
		sb_adds(&t, ", ");
		if (f->outcome == OUT_OPEN)
			sb_adds(&t, f->overdue ? _("open, overdue") : _("open"));
		else
			sb_adds(&t, rp_outcome_text(f->outcome));
		sb_addc(&t, ')');
		sb_adds(sb, "    - ");
		tx_escape(sb, t.buf, 0);
		sb_addc(sb, '\n');
	}
	if (!r->nfollowups) {
		sb_adds(sb, "    ");
		sb_adds(sb, _("none"));
		sb_addc(sb, '\n');
	}
	sb_release(&t);
}

void report_stats(const struct report_stats_row *rows, size_t n, int drills, FILE *out)
{
	const struct view_review **rv = xcalloc(n + 1, sizeof(*rv));
	struct strbuf sb = STRBUF_INIT, tmp = STRBUF_INIT;
	size_t m = 0;
	sb_init(&sb);
	sb_init(&tmp);
	for (size_t i = 0; i < n; i++)
		if (rows[i].r && rows[i].r->inc && !rows[i].r->inc->drill == !drills)
			rv[m++] = rows[i].r;
	qsort(rv, m, sizeof(*rv), cmp_review);
	if (!drills) {
		sb_adds(&sb, _("Figures across incidents (drills left out; definitions in docs/review.md)"));
		sb_addc(&sb, '\n');
		if (!m) {
			sb_addc(&sb, '\n');
			sb_adds(&sb, _("no incidents"));
			sb_addc(&sb, '\n');
		}
		for (size_t start = 0; start < m;) {
			size_t end = start;
			const struct view_incident *v = rv[start]->inc;
			while (end < m && !strcmp(nz(rv[end]->inc->plan, ""), nz(v->plan, "")))
				end++;
			sb_addc(&sb, '\n');
			sb_addf(&sb, _("plan %s"), rp_e(&tmp, nz(v->plan, "?")));
			if (v->plan_title && strcmp(v->plan_title, nz(v->plan, ""))) {
				sb_adds(&sb, ": ");
				tx_escape(&sb, v->plan_title, 0);
			}
			sb_adds(&sb, "  (");
			sb_addf(&sb, P_("%zu incident", "%zu incidents", end - start), end - start);
			sb_adds(&sb, ")\n");
			plan_figures(rv + start, end - start, &sb);
			rp_flush(out, &sb);
			start = end;
		}
	} else {
		sb_adds(&sb, _("Drills (source 003 §7: when, participants, course, problems found, "
			       "follow-ups)"));
		sb_addc(&sb, '\n');
		if (!m) {
			sb_addc(&sb, '\n');
			sb_adds(&sb, _("no drills"));
			sb_addc(&sb, '\n');
		}
		for (size_t i = 0; i < m; i++) {
			drill_record(rv[i], &sb);
			rp_flush(out, &sb);
		}
	}
	rp_flush(out, &sb);
	sb_release(&sb);
	sb_release(&tmp);
	free(rv);
}
