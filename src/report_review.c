/* report: the post-incident review of a view_review. Markdown and HTML are
 * written once through the document model (report_doc.c), JSON through
 * jansson; the level over time as an SVG step chart (inline in the HTML,
 * beside the Markdown) and as a text chart (the Markdown's fence, the
 * HTML's fallback for text browsers, the console's review screen).
 * The figures are defined in docs/review.md: keep the two in step. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

/* A warning as people read it: the plan's name for it ("Blue warning",
 * "蓝级预警"), else its id. */
static const char *warning_said(const struct view_name *w)
{
	return w->text && *w->text ? w->text : w->id;
}

static const char *nz(const char *s, const char *def)
{
	return s && *s ? s : def;
}

/* The span the review covers: the open to the end (termination, or the
 * view's time while the incident is open). */
static int64_t t_open(const struct view_review *r)
{
	if (r->inc->opened_at)
		return r->inc->opened_at;
	return r->nsegments ? r->segments[0].t0 : r->inc->at;
}

static int64_t t_end(const struct view_review *r)
{
	int64_t t0 = t_open(r), e = r->inc->terminated_at ? r->inc->terminated_at : r->inc->at;
	return e > t0 ? e : t0;
}

static int change_up(const struct view_incident *v, const struct view_change *c)
{
	int from = rp_level_index(v, c->from), to = rp_level_index(v, c->to);
	return from < 0 || to > from;
}

void report_svg_name(int64_t id, struct strbuf *out)
{
	sb_addf(out, "incident-%" PRId64 "-levels.svg", id);
}

/* ------------------------------------------------------------------ */
/* the SVG chart */

/* CSS colour for a plan colour name (terminal colour names), grey when unknown. */
static const char *css_colour(const char *name)
{
	static const char *const map[][2] = {
		{ "red", "#d62728" }, { "orange", "#ff7f0e" }, { "yellow", "#e6c200" },
		{ "blue", "#1f77b4" }, { "green", "#2ca02c" }, { "purple", "#9467bd" },
		{ "magenta", "#c2368f" }, { "cyan", "#17becf" }, { "white", "#bbbbbb" },
		{ "black", "#222222" }, { "grey", "#888888" }, { "gray", "#888888" },
		{ "brown", "#8c564b" }, { "pink", "#e377c2" },
	};
	if (!name)
		return "#888888";
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(name, map[i][0]))
			return map[i][1];
	return "#888888";
}

static int64_t chart_x(int64_t t, int64_t t0, int64_t t1, int x0, int w)
{
	if (t1 <= t0)
		return x0;
	if (t < t0)
		t = t0;
	if (t > t1)
		t = t1;
	return x0 + (t - t0) * w / (t1 - t0);
}

/* A tick step that gives at most about 8 ticks. */
static int64_t tick_step(int64_t span)
{
	static const int64_t steps[] = { 300, 900, 1800, 3600, 7200, 10800, 21600, 43200,
					 86400, 172800, 604800 };
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (span / steps[i] <= 8)
			return steps[i];
	return span / 8 + 1;
}

static const char *level_colour(const struct view_incident *v, int l)
{
	return l >= 0 && (size_t)l < v->nlevels ? css_colour(v->levels[l].colour) : "#555555";
}

/* Long by design: one drawing: axes, bands, steps and labels in drawing
 * order. */
static void svg_chart(const struct view_review *r, struct strbuf *out)
{
	const struct view_incident *v = r->inc;
	const int left = 110, right = 40, top = 30, rowh = 36, plotw = 640;
	int nrows = (int)v->nlevels + 1; /* + no level */
	int ploth = nrows * rowh;
	int width = left + plotw + right, height = top + ploth + 50;
	int64_t t0 = t_open(r), t1 = t_end(r) > t0 ? t_end(r) : t0 + 1;
	int64_t step;
	struct strbuf e = STRBUF_INIT;
	char b[RP_TBUF];
#define ROW_Y(lv) (top + ploth - ((lv) + 1) * rowh - rowh / 2) /* centre of level lv's row (-1: none) */
	sb_init(&e);
	sb_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\" "
		"role=\"img\" aria-label=\"", width, height, width, height);
	rp_esc(RP_HTML, out, _("level over time"), 0);
	sb_adds(out, "\">\n<title>");
	sb_reset(&e);
	sb_addf(&e, _("%s: level over time"), nz(v->title, ""));
	rp_esc(RP_HTML, out, e.buf, 0);
	sb_adds(out, "</title>\n");
	sb_addf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
		width, height);
	if (v->drill) {
		sb_addf(out, "<text x=\"%d\" y=\"18\" font-weight=\"bold\" fill=\"#d62728\">", left);
		rp_esc(RP_HTML, out, _("DRILL"), 0);
		sb_adds(out, "</text>\n");
	}
	/* warnings as shaded bands in their colour */
	for (size_t i = 0; i < r->nsegments; i++) {
		const struct view_segment *s = &r->segments[i];
		const char *wid = rp_warning_id(v, s->warning);
		int64_t x0, x1;
		if (s->warning < 0 || s->phase == PHASE_TERMINATED)
			continue;
		x0 = chart_x(s->t0, t0, t1, left, plotw);
		x1 = chart_x(s->t1, t0, t1, left, plotw);
		sb_addf(out, "<rect class=\"warning\" x=\"%" PRId64 "\" y=\"%d\" width=\"%" PRId64
			"\" height=\"%d\" fill=\"%s\" fill-opacity=\"0.18\"><title>",
			x0, top, x1 - x0 > 0 ? x1 - x0 : 1, ploth, css_colour(wid));
		sb_reset(&e);
		sb_addf(&e, _("%s warning"), nz(wid, "?"));
		rp_esc(RP_HTML, out, e.buf, 0);
		sb_adds(out, "</title></rect>\n");
	}
	/* rows: grid and labels (no level at the bottom, the most severe on top) */
	for (int l = -1; l < nrows - 1; l++) {
		int y = ROW_Y(l);
		sb_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#dddddd\"/>\n",
			left, y, left + plotw, y);
		sb_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"%s\">", left - 8,
			y + 4, level_colour(v, l));
		sb_reset(&e);
		if (l < 0)
			sb_adds(&e, _("no level"));
		else
			sb_addf(&e, _("level %s"), nz(v->levels[l].id, "?"));
		rp_esc(RP_HTML, out, e.buf, 0);
		sb_adds(out, "</text>\n");
	}
	/* the time axis, T+ from the open */
	sb_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\"/>\n", left,
		top + ploth, left + plotw, top + ploth);
	step = tick_step(t1 - t0);
	for (int64_t t = 0; t0 + t <= t1; t += step) {
		int64_t x = chart_x(t0 + t, t0, t1, left, plotw);
		sb_addf(out, "<line x1=\"%" PRId64 "\" y1=\"%d\" x2=\"%" PRId64 "\" y2=\"%d\" "
			"stroke=\"#333333\"/>\n", x, top + ploth, x, top + ploth + 4);
		sb_addf(out, "<text x=\"%" PRId64 "\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x,
			top + ploth + 18, rp_tplus(t, b));
	}
	sb_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555555\">",
		left + plotw / 2, top + ploth + 38);
	rp_esc(RP_HTML, out, _("time since the open; shaded: warnings; arrows: escalations and "
			       "downgrades"), 0);
	sb_adds(out, "</text>\n");
	/* the level as a step line, each stretch in its level's colour */
	for (size_t i = 0; i < r->nsegments; i++) {
		const struct view_segment *s = &r->segments[i];
		int64_t x0 = chart_x(s->t0, t0, t1, left, plotw);
		int64_t x1 = chart_x(s->t1, t0, t1, left, plotw);
		int lv = s->level >= 0 && (size_t)s->level < v->nlevels ? s->level : -1;
		int y = ROW_Y(lv);
		if (s->phase == PHASE_TERMINATED)
			continue;
		if (i > 0) {
			int pl = r->segments[i - 1].level;
			pl = pl >= 0 && (size_t)pl < v->nlevels ? pl : -1;
			if (pl != lv)
				sb_addf(out, "<line x1=\"%" PRId64 "\" y1=\"%d\" x2=\"%" PRId64
					"\" y2=\"%d\" stroke=\"#999999\" stroke-width=\"2\"/>\n",
					x0, ROW_Y(pl), x0, y);
		}
		sb_addf(out, "<line class=\"level\" x1=\"%" PRId64 "\" y1=\"%d\" x2=\"%" PRId64
			"\" y2=\"%d\" stroke=\"%s\" stroke-width=\"4\"/>\n", x0, y, x1, y,
			level_colour(v, lv));
	}
	/* escalations (red, up) and downgrades (green, down), the reason as a tooltip */
	for (size_t i = 0; i < r->nchanges; i++) {
		const struct view_change *c = &r->changes[i];
		int64_t x = chart_x(c->at, t0, t1, left, plotw);
		int to = rp_level_index(v, c->to);
		int y = ROW_Y(to);
		int up = change_up(v, c);
		sb_addf(out, "<path class=\"%s\" d=\"M%" PRId64 " %d l-6 %d h12 z\" fill=\"%s\">"
			"<title>", up ? "escalation" : "downgrade", x, y + (up ? -16 : 16),
			up ? 10 : -10, up ? "#d62728" : "#2ca02c");
		sb_reset(&e);
		sb_addf(&e, up ? _("escalation to %s") : _("downgrade to %s"), nz(c->to, "?"));
		if (c->reason && *c->reason) {
			sb_adds(&e, ": ");
			sb_adds(&e, c->reason);
		}
		rp_esc(RP_HTML, out, e.buf, 0);
		sb_adds(out, "</title></path>\n");
	}
	if (v->terminated_at) {
		int64_t x = chart_x(v->terminated_at, t0, t1, left, plotw);
		sb_addf(out, "<line class=\"terminated\" x1=\"%" PRId64 "\" y1=\"%d\" x2=\"%" PRId64
			"\" y2=\"%d\" stroke=\"#333333\" stroke-dasharray=\"4 3\"/>\n", x, top, x,
			top + ploth);
		sb_addf(out, "<text x=\"%" PRId64 "\" y=\"%d\" text-anchor=\"end\">", x - 2, top - 4);
		rp_esc(RP_HTML, out, _("terminated"), 0);
		sb_adds(out, "</text>\n");
	}
	sb_adds(out, "</svg>\n");
	sb_release(&e);
#undef ROW_Y
}

/* ------------------------------------------------------------------ */
/* the text chart */

void rp_chart_text(const struct view_review *r, int width, struct strbuf *out)
{
	const struct view_incident *v = r->inc;
	int nl = (int)v->nlevels, lab = 8, cols;
	int64_t t0 = t_open(r), t1 = t_end(r) > t0 ? t_end(r) : t0 + 1;
	int *lev, *warn;
	char *mark;
	char b[RP_TBUF], b2[RP_TBUF];
	const char *wlabel = _("warning");

	if (tx_width(wlabel) + 1 > lab)
		lab = tx_width(wlabel) + 1;
	for (int l = 0; l < nl; l++)
		if (tx_width(v->levels[l].id) + 1 > lab)
			lab = tx_width(v->levels[l].id) + 1;
	if (lab > 16)
		lab = 16;
	cols = width - lab - 1;
	if (cols < 10)
		cols = 10;
	lev = xcalloc((size_t)cols, sizeof(int));
	warn = xcalloc((size_t)cols, sizeof(int));
	mark = xcalloc((size_t)cols + 1, 1);
	for (int c = 0; c < cols; c++) {
		lev[c] = warn[c] = -1;
		mark[c] = '-';
	}
	/* each column shows the most severe state of its stretch of time */
	for (size_t i = 0; i < r->nsegments; i++) {
		const struct view_segment *s = &r->segments[i];
		int64_t c0, c1;
		if (s->phase == PHASE_TERMINATED)
			continue;
		c0 = (s->t0 - t0) * cols / (t1 - t0);
		c1 = s->t1 > s->t0 ? ((s->t1 - t0) * cols - 1) / (t1 - t0) : c0;
		for (int64_t c = c0 < 0 ? 0 : c0; c <= c1 && c < cols; c++) {
			if (s->level > lev[c])
				lev[c] = s->level;
			if (s->warning > warn[c])
				warn[c] = s->warning;
		}
	}
	for (size_t i = 0; i < r->nchanges; i++) {
		int64_t cc = (r->changes[i].at - t0) * cols / (t1 - t0);
		if (cc >= cols)
			cc = cols - 1;
		if (cc >= 0)
			mark[cc] = change_up(v, &r->changes[i]) ? '^' : 'v';
	}
	if (v->terminated_at)
		mark[cols - 1] = '|';
	if (v->drill) {
		sb_adds(out, _("DRILL"));
		sb_addc(out, '\n');
	}
	for (int l = nl - 1; l >= 0; l--) {
		tx_fit(out, v->levels[l].id, lab);
		sb_addc(out, '|');
		for (int c = 0; c < cols; c++)
			sb_addc(out, lev[c] >= l ? '#' : ' ');
		sb_addc(out, '\n');
	}
	tx_fit(out, wlabel, lab);
	sb_addc(out, '|');
	for (int c = 0; c < cols; c++) {
		const char *w = rp_warning_id(v, warn[c]);
		/* the warning's initial (ids are ASCII; anything else shows '~') */
		sb_addc(out, !w ? ' ' : (w[0] > ' ' && w[0] < 0x7f) ? w[0] : '~');
	}
	sb_addc(out, '\n');
	sb_addf(out, "%*s+%s\n", lab, "", mark);
	rp_tplus(0, b);
	rp_tplus(t1 - t0, b2);
	sb_addf(out, "%*s%s%*s\n", lab + 1, "", b, cols - (int)strlen(b) > 0 ? cols - (int)strlen(b) : 1,
		b2);
	/* the legend: "# level  b blue, y yellow  ^ up  v down  | end" */
	sb_addf(out, "%*s", lab + 1, "");
	sb_adds(out, _("# level"));
	for (size_t i = 0; i < v->nwarnings; i++) {
		const char *w = v->warnings[i].id;
		if (!w || !*w)
			continue;
		sb_adds(out, i ? i18n_pgettext("names", ", ") : "  ");
		sb_addc(out, (w[0] > ' ' && w[0] < 0x7f) ? w[0] : '~');
		sb_addc(out, ' ');
		tx_escape(out, warning_said(&v->warnings[i]), 0);
	}
	sb_adds(out, "  ");
	sb_adds(out, _("^ up  v down  | end"));
	sb_addc(out, '\n');
	free(lev);
	free(warn);
	free(mark);
}

/* ------------------------------------------------------------------ */
/* shared sums */

struct sums {
	int answered;            /* changes that answered a proposal */
	int64_t answer_total;    /* and the seconds they took */
	int commander_refusals;
	int firing;              /* triggers firing at the end */
};

static void sums_of(const struct view_review *r, struct sums *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < r->nchanges; i++)
		if (r->changes[i].answered && r->changes[i].answered_after >= 0) {
			s->answered++;
			s->answer_total += r->changes[i].answered_after;
		}
	for (size_t i = 0; i < r->nrefusals; i++)
		s->commander_refusals += r->refusals[i].role && !strcmp(r->refusals[i].role, "commander");
	for (size_t i = 0; i < r->inc->nmetrics; i++)
		for (size_t k = 0; k < r->inc->metrics[i].ntriggers; k++)
			s->firing += r->inc->metrics[i].triggers[k].firing != 0;
}

static const struct rp_figure *figure(const char *key)
{
	for (size_t i = 0; i < rp_nfigures; i++)
		if (!strcmp(rp_figures[i].key, key))
			return &rp_figures[i];
	return NULL;
}

/* A figure's value as shown: a clock, "n/a", or a count. */
static const char *figure_text(const struct view_review *r, const struct rp_figure *f, char *buf)
{
	int64_t x = rp_figure_value(&r->fig, f);
	if (f->kind == RPF_DUR)
		return rp_clock(x, buf);
	snprintf(buf, RP_TBUF, "%" PRId64, x);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Markdown and HTML */

struct rv {
	const struct view_review *r;
	const struct view_incident *v;
	struct rp_doc d;
	struct sums s;
	int64_t t0;
	struct strbuf a, b, c;   /* scratch cells */
};

static void fig_row(struct rv *x, const char *label, const char *value)
{
	const char *cells[2] = { label, value };
	doc_row(&x->d, cells);
}

static void fig_key(struct rv *x, const char *key)
{
	const struct rp_figure *f = figure(key);
	char b[RP_TBUF];
	if (!f)
		return;
	if (!strcmp(key, "to_mitigation") && x->r->fig.to_mitigation >= 0 &&
	    x->r->fig.mitigation_how) {
		sb_reset(&x->a);
		sb_addf(&x->a, "%s (%s)", figure_text(x->r, f, b), x->r->fig.mitigation_how);
		fig_row(x, _(f->label), x->a.buf);
		return;
	}
	fig_row(x, _(f->label), figure_text(x->r, f, b));
}

static void fig_int(struct rv *x, const char *label, int64_t n)
{
	char b[32];
	snprintf(b, sizeof b, "%" PRId64, n);
	fig_row(x, label, b);
}

static void fig_peak(struct rv *x)
{
	fig_row(x, _("peak level"), nz(rp_level_id(x->v, x->r->fig.peak_level), _("none")));
}

static void fig_times(struct rv *x)
{
	char b[RP_TBUF];
	for (size_t i = 0; i < x->v->nwarnings && i < 8; i++) {
		sb_reset(&x->b);
		sb_addf(&x->b, _("time under %s"), warning_said(&x->v->warnings[i]));
		fig_row(x, x->b.buf, rp_clock(x->r->fig.in_warning[i], b));
	}
	for (size_t i = 0; i < x->v->nlevels && i < 8; i++) {
		sb_reset(&x->b);
		sb_addf(&x->b, _("time at level %s"), x->v->levels[i].id);
		fig_row(x, x->b.buf, rp_clock(x->r->fig.in_level[i], b));
	}
}

static void fig_table(struct rv *x)
{
	const char *heads[2] = { _("Figure"), _("Value") };
	doc_table(&x->d, 2, heads);
}

static void rv_header(struct rv *x)
{
	const struct view_incident *v = x->v;
	const char *heads[2] = { _("Incident"), "" };
	char b1[RP_TBUF], b2[RP_TBUF];
	sb_reset(&x->a);
	sb_addf(&x->a, _("Post-incident review: incident %" PRId64 ": %s"), v->id, nz(v->title, ""));
	doc_h(&x->d, 1, x->a.buf);
	if (v->drill) {
		const char *t = _("DRILL: this incident was an exercise; it is left out of the statistics.");
		sb_reset(&x->b);
		if (x->d.f == RP_HTML) {
			sb_adds(&x->b, "<p class=\"drill\"><strong>");
			rp_esc(RP_HTML, &x->b, t, 0);
			sb_adds(&x->b, "</strong></p>\n");
		} else {
			sb_adds(&x->b, "> **");
			rp_esc(RP_MD, &x->b, t, 0);
			sb_adds(&x->b, "**\n\n");
		}
		doc_raw(&x->d, x->b.buf);
	}
	doc_table(&x->d, 2, heads);
	sb_reset(&x->a);
	sb_addf(&x->a, "%s: %s", nz(v->plan, "?"), nz(v->plan_title, ""));
	fig_row(x, _("Plan"), x->a.buf);
	fig_row(x, _("Plan snapshot (SHA-256)"), nz(v->plan_hash, "-"));
	sb_reset(&x->a);
	sb_addf(&x->a, "%s (%s)", rp_local(v->opened_at, b1), rp_utc(v->opened_at, b2));
	fig_row(x, _("Opened"), x->a.buf);
	sb_reset(&x->a);
	if (v->terminated_at)
		sb_addf(&x->a, "%s (%s)", rp_local(v->terminated_at, b1), rp_utc(v->terminated_at, b2));
	else
		sb_addf(&x->a, _("not terminated (as of %s)"), rp_utc(v->at, b2));
	fig_row(x, _("Terminated"), x->a.buf);
	fig_row(x, _("Duration"), rp_clock(t_end(x->r) - x->t0, b1));
	sb_reset(&x->a);
	rp_state(&x->a, v);
	fig_row(x, _("State at the end"), x->a.buf);
	fig_row(x, _("Peak level"), nz(rp_level_id(v, x->r->fig.peak_level), _("none")));
	fig_row(x, _("Commander at the end"), nz(v->commander, "-"));
	fig_row(x, _("Drill"), v->drill ? _("yes") : _("no"));
	doc_table_end(&x->d);
}

static void rv_figures(struct rv *x)
{
	doc_h(&x->d, 2, _("Figures"));
	doc_p(&x->d, _("Definitions: docs/review.md. Times are measured from the open (T+0)."));
	fig_table(x);
	for (size_t i = 0; i < rp_nfigures; i++)
		if (rp_figures[i].kind == RPF_DUR)
			fig_key(x, rp_figures[i].key);
	fig_peak(x);
	fig_times(x);
	for (size_t i = 0; i < rp_nfigures; i++)
		if (rp_figures[i].kind == RPF_INT)
			fig_key(x, rp_figures[i].key);
	doc_table_end(&x->d);
}

static void rv_chart(struct rv *x, FILE *svg)
{
	struct strbuf chart = STRBUF_INIT;
	sb_init(&chart);
	doc_h(&x->d, 2, _("Level over time"));
	if (x->d.f == RP_HTML) {
		svg_chart(x->r, &chart);
		doc_raw(&x->d, chart.buf);
	} else if (svg) {
		svg_chart(x->r, &chart);
		fwrite(chart.buf, 1, chart.len, svg);
		sb_reset(&x->a);
		sb_adds(&x->a, "![");
		rp_esc(RP_MD, &x->a, _("Level over time"), 0);
		sb_adds(&x->a, "](");
		report_svg_name(x->v->id, &x->a);
		sb_adds(&x->a, ")\n\n");
		doc_raw(&x->d, x->a.buf);
	}
	/* the text chart: for terminals, text browsers, and Markdown on stdout */
	sb_reset(&chart);
	rp_chart_text(x->r, 72, &chart);
	doc_pre(&x->d, chart.buf);
	sb_release(&chart);
}

static void who_of(struct strbuf *out, const char *actor, const char *role)
{
	sb_adds(out, nz(actor, "-"));
	if (role && *role)
		sb_addf(out, " (%s)", role);
}

static void rv_changes(struct rv *x)
{
	const char *heads[6] = { _("Local time"), "T+", _("Change"), _("By"), _("Reason"),
				 _("Answered proposal") };
	char b1[RP_TBUF], b2[RP_TBUF], b3[RP_TBUF];
	doc_h(&x->d, 2, _("Escalations and downgrades"));
	if (!x->r->nchanges) {
		doc_p(&x->d, _("No level changes."));
		return;
	}
	doc_table(&x->d, 6, heads);
	for (size_t i = 0; i < x->r->nchanges; i++) {
		const struct view_change *c = &x->r->changes[i];
		const char *cells[6];
		sb_reset(&x->a);
		sb_addf(&x->a, change_up(x->v, c) ? _("escalation %s → %s") : _("downgrade %s → %s"),
			nz(c->from, _("none")), nz(c->to, "?"));
		sb_reset(&x->b);
		if (c->kind && !strcmp(c->kind, "auto"))
			sb_adds(&x->b, _("(automatic)"));
		else
			who_of(&x->b, c->actor, c->role);
		sb_reset(&x->c);
		if (c->answered && c->answered_after >= 0)
			sb_addf(&x->c, _("%s (proposed %s before)"), c->answered,
				rp_clock(c->answered_after, b3));
		else
			sb_adds(&x->c, nz(c->answered, "-"));
		cells[0] = rp_local(c->at, b1);
		cells[1] = rp_tplus(c->at - x->t0, b2);
		cells[2] = x->a.buf;
		cells[3] = x->b.buf;
		cells[4] = nz(c->reason, "-");
		cells[5] = x->c.buf;
		doc_row(&x->d, cells);
	}
	doc_table_end(&x->d);
}

static void verdict(struct strbuf *out, int outcome, int64_t due, int64_t closed)
{
	char b[RP_TBUF];
	if (outcome == OUT_LATE && closed && due)
		sb_addf(out, _("late by %s"), rp_clock(closed - due, b));
	else
		sb_adds(out, rp_outcome_text(outcome));
}

static void rv_obligations(struct rv *x)
{
	const char *cheads[8] = { _("Deadline"), _("Title"), _("Kept"), _("Late"), _("Missed"),
				  _("Open"), _("No longer applies"), _("Withdrawn") };
	const char *iheads[8] = { _("Deadline"), "#", _("Title"), _("Owner"), _("Due"), _("Closed"),
				  _("By"), _("Verdict") };
	const struct view_figures *f = &x->r->fig;
	char b1[RP_TBUF], b2[RP_TBUF], n[6][16];
	doc_h(&x->d, 2, _("Obligations"));
	sb_reset(&x->a);
	sb_addf(&x->a, _("Kept: %d. Late: %d. Missed: %d. Open, not yet due: %d."), f->kept, f->late,
		f->missed, f->open);
	doc_p(&x->d, x->a.buf);
	if (x->r->ncompliance) {
		doc_table(&x->d, 8, cheads);
		for (size_t i = 0; i < x->r->ncompliance; i++) {
			const struct view_compliance *c = &x->r->compliance[i];
			const char *cells[8];
			snprintf(n[0], sizeof n[0], "%d", c->kept);
			snprintf(n[1], sizeof n[1], "%d", c->late);
			snprintf(n[2], sizeof n[2], "%d", c->missed);
			snprintf(n[3], sizeof n[3], "%d", c->open);
			snprintf(n[4], sizeof n[4], "%d", c->cancelled);
			snprintf(n[5], sizeof n[5], "%d", c->withdrawn);
			cells[0] = c->id;
			cells[1] = nz(c->title, c->id);
			for (int k = 0; k < 6; k++)
				cells[2 + k] = n[k];
			doc_row(&x->d, cells);
		}
		doc_table_end(&x->d);
	}
	if (x->r->ninstances) {
		doc_table(&x->d, 8, iheads);
		for (size_t i = 0; i < x->r->ninstances; i++) {
			const struct view_instance *in = &x->r->instances[i];
			const char *cells[8];
			snprintf(n[0], sizeof n[0], "%d", in->seq);
			sb_reset(&x->a);
			if (in->person && *in->person)
				who_of(&x->a, in->person, in->owner);
			else
				sb_adds(&x->a, nz(in->owner, "-"));
			sb_reset(&x->c);
			verdict(&x->c, in->outcome, in->due, in->closed_at);
			cells[0] = nz(in->id, "?");
			cells[1] = n[0];
			cells[2] = nz(in->title, in->id);
			cells[3] = x->a.buf;
			cells[4] = rp_local(in->due, b1);
			cells[5] = in->closed_at ? rp_local(in->closed_at, b2) : "-";
			cells[6] = nz(in->by, "-");
			cells[7] = x->c.buf;
			doc_row(&x->d, cells);
		}
		doc_table_end(&x->d);
	}
}

static void rv_notices(struct rv *x)
{
	const char *heads[7] = { _("Notice"), _("Title"), _("Due"), _("Sent"), _("By"), _("Channel"),
				 _("Verdict") };
	char b1[RP_TBUF], b2[RP_TBUF];
	doc_h(&x->d, 2, _("Communications"));
	if (!x->r->nsent) {
		doc_p(&x->d, _("No notice fell due."));
		return;
	}
	doc_table(&x->d, 7, heads);
	for (size_t i = 0; i < x->r->nsent; i++) {
		const struct view_sent *s = &x->r->sent[i];
		const char *cells[7];
		sb_reset(&x->a);
		if (s->outcome == OUT_KEPT)
			sb_adds(&x->a, _("on time"));
		else
			verdict(&x->a, s->outcome, s->due, s->sent_at);
		if (s->failed) {
			sb_adds(&x->a, _("; "));
			sb_addf(&x->a, P_("%d failed attempt", "%d failed attempts", s->failed), s->failed);
		}
		cells[0] = nz(s->id, "?");
		cells[1] = nz(s->title, s->id);
		cells[2] = rp_local(s->due, b1);
		cells[3] = s->sent_at ? rp_local(s->sent_at, b2) : "-";
		cells[4] = nz(s->by, "-");
		cells[5] = nz(s->channel, "-");
		cells[6] = x->a.buf;
		doc_row(&x->d, cells);
	}
	doc_table_end(&x->d);
}

static void rv_resources(struct rv *x)
{
	const char *heads[5] = { _("Item"), _("In the ledger"), _("Out at the end"),
				 _("Time out (per item, summed)"), _("Last moved by") };
	char b[RP_TBUF], n1[24], n2[24];
	int any = 0;
	doc_h(&x->d, 2, _("Resources"));
	for (size_t i = 0; i < x->v->nresources; i++) {
		const struct view_resource *r = &x->v->resources[i];
		const char *cells[5];
		if (!r->used_secs && !r->deployed)
			continue;
		if (!any++)
			doc_table(&x->d, 5, heads);
		snprintf(n1, sizeof n1, "%" PRId64, r->count);
		snprintf(n2, sizeof n2, "%" PRId64, r->deployed);
		cells[0] = nz(r->item, r->id);
		cells[1] = n1;
		cells[2] = n2;
		cells[3] = rp_clock(r->used_secs, b);
		cells[4] = nz(r->by, "-");
		doc_row(&x->d, cells);
	}
	if (any)
		doc_table_end(&x->d);
	else
		doc_p(&x->d, _("No resources were deployed."));
}

static void rv_responders(struct rv *x)
{
	const char *heads[4] = { _("Role"), _("Person"), _("Phone"), _("Since") };
	char b[RP_TBUF];
	doc_h(&x->d, 2, _("Responders"));
	if (!x->v->nresponders) {
		doc_p(&x->d, _("Nobody was assigned to a role."));
		return;
	}
	doc_table(&x->d, 4, heads);
	for (size_t i = 0; i < x->v->nresponders; i++) {
		const struct view_responder *r = &x->v->responders[i];
		const char *cells[4];
		cells[0] = nz(r->role_name, r->role);
		cells[1] = nz(r->person_name, r->person);
		cells[2] = nz(r->phone, "-");
		cells[3] = rp_local(r->since, b);
		doc_row(&x->d, cells);
	}
	doc_table_end(&x->d);
}

static void rv_refusals(struct rv *x)
{
	const char *heads[5] = { _("Local time"), "T+", _("Who"), _("Rule"), _("What") };
	char b1[RP_TBUF], b2[RP_TBUF];
	doc_h(&x->d, 2, _("Refusals"));
	if (!x->r->nrefusals) {
		doc_p(&x->d, _("No action was refused."));
		return;
	}
	doc_table(&x->d, 5, heads);
	for (size_t i = 0; i < x->r->nrefusals; i++) {
		const struct view_row *row = &x->r->refusals[i];
		const char *cells[5];
		sb_reset(&x->a);
		who_of(&x->a, row->actor, row->role);
		sb_reset(&x->b);
		sb_adds(&x->b, nz(row->summary, ""));
		if (row->text && *row->text && !(row->summary && strstr(row->summary, row->text))) {
			sb_adds(&x->b, ": ");
			sb_adds(&x->b, row->text);
		}
		cells[0] = rp_local(row->occurred_at, b1);
		cells[1] = rp_tplus(row->occurred_at - x->t0, b2);
		cells[2] = x->a.buf;
		cells[3] = nz(row->rule, "-");
		cells[4] = x->b.buf;
		doc_row(&x->d, cells);
	}
	doc_table_end(&x->d);
}

static void section_figures(struct rv *x, int sec)
{
	char b[RP_TBUF];
	const struct view_figures *f = &x->r->fig;
	fig_table(x);
	switch (sec) {
	case SECTION_SPEED:
		fig_key(x, "to_ack");
		fig_key(x, "to_first_level");
		fig_key(x, "to_mitigation");
		fig_key(x, "to_termination");
		fig_row(x, _("mean time from a level proposal to the decision"),
			x->s.answered ? rp_clock(x->s.answer_total / x->s.answered, b) : _("n/a"));
		break;
	case SECTION_PERFORMANCE:
		fig_key(x, "kept");
		fig_key(x, "late");
		fig_key(x, "missed");
		fig_key(x, "open");
		fig_key(x, "to_termination");
		break;
	case SECTION_CONTROL:
		fig_peak(x);
		fig_key(x, "escalations");
		fig_key(x, "downgrades");
		fig_key(x, "to_mitigation");
		fig_times(x);
		break;
	case SECTION_COMMANDER:
		fig_row(x, _("commander at the end"), nz(x->v->commander, "-"));
		sb_reset(&x->a);
		sb_addf(&x->a, _("%d of %zu"), x->s.answered, x->r->nchanges);
		fig_row(x, _("level changes that answered a proposal"), x->a.buf);
		fig_row(x, _("mean time from a level proposal to the decision"),
			x->s.answered ? rp_clock(x->s.answer_total / x->s.answered, b) : _("n/a"));
		fig_int(x, _("refusals in the commander role"), x->s.commander_refusals);
		break;
	case SECTION_PLAN:
		fig_key(x, "refusals");
		fig_int(x, _("deadlines late or missed"), (int64_t)f->late + f->missed);
		fig_key(x, "corrections");
		fig_int(x, _("proposals pending at the end"), (int64_t)x->v->nproposals);
		break;
	case SECTION_RISK:
		fig_peak(x);
		fig_int(x, _("triggers still firing at the end"), x->s.firing);
		fig_int(x, _("proposals pending at the end"), (int64_t)x->v->nproposals);
		break;
	default:
		break;
	}
	doc_table_end(&x->d);
}

static void note_line(struct rv *x, const struct view_note *n)
{
	char b[RP_TBUF];
	sb_reset(&x->a);
	sb_addf(&x->a, "%s, %s: %s", nz(n->actor, "-"), rp_local(n->at, b), nz(n->text, ""));
	doc_li(&x->d, x->a.buf);
}

static void rv_sections(struct rv *x)
{
	int other = 0;
	doc_h(&x->d, 2, _("Review (the six points of source 002)"));
	for (int s = 0; s < SECTION__COUNT; s++) {
		int n = 0;
		sb_reset(&x->b);
		sb_addf(&x->b, "%d. %s (%s)", s + 1, _(section_title(s)), section_name(s));
		doc_h(&x->d, 3, x->b.buf);
		section_figures(x, s);
		for (size_t i = 0; i < x->r->nnotes; i++) {
			if (x->r->notes[i].section != s)
				continue;
			if (!n++)
				doc_ul(&x->d);
			note_line(x, &x->r->notes[i]);
		}
		if (n) {
			doc_ul_end(&x->d);
		} else {
			sb_reset(&x->b);
			sb_addf(&x->b, _("No notes yet (sitrep note-review %" PRId64 " %s TEXT)."),
				x->v->id, section_name(s));
			doc_p(&x->d, x->b.buf);
		}
	}
	for (size_t i = 0; i < x->r->nnotes; i++) {
		int s = x->r->notes[i].section;
		if (s >= 0 && s < SECTION__COUNT)
			continue;
		if (!other++) {
			doc_h(&x->d, 3, _("Other notes"));
			doc_ul(&x->d);
		}
		note_line(x, &x->r->notes[i]);
	}
	if (other)
		doc_ul_end(&x->d);
}

static void rv_followups(struct rv *x)
{
	const char *heads[6] = { _("Id"), _("Title"), _("Who"), _("Due"), _("State"), _("Closed") };
	char b1[RP_TBUF], b2[RP_TBUF];
	doc_h(&x->d, 2, _("Follow-ups"));
	if (!x->r->nfollowups) {
		doc_p(&x->d, _("No follow-ups (sitrep task ID TITLE --followup)."));
		return;
	}
	doc_table(&x->d, 6, heads);
	for (size_t i = 0; i < x->r->nfollowups; i++) {
		const struct view_deadline *f = &x->r->followups[i];
		const char *cells[6];
		sb_reset(&x->a);
		rp_who(&x->a, f);
		sb_reset(&x->b);
		if (f->outcome == OUT_OPEN)
			sb_adds(&x->b, f->overdue ? _("open, overdue") : _("open"));
		else
			verdict(&x->b, f->outcome, f->due, f->closed_at);
		cells[0] = nz(f->id, "?");
		cells[1] = nz(f->title, "");
		cells[2] = x->a.buf;
		cells[3] = rp_local(f->due, b1);
		cells[4] = x->b.buf;
		cells[5] = f->closed_at ? rp_local(f->closed_at, b2) : "-";
		doc_row(&x->d, cells);
	}
	doc_table_end(&x->d);
}

static void rv_activity(struct rv *x)
{
	const char *heads[2] = { _("Person"), _("Journaled actions") };
	doc_h(&x->d, 2, _("Activity"));
	if (x->r->participants && *x->r->participants) {
		sb_reset(&x->a);
		sb_addf(&x->a, _("Participants: %s."), x->r->participants);
		doc_p(&x->d, x->a.buf);
	}
	if (!x->r->nactivity) {
		doc_p(&x->d, _("Nobody acted."));
		return;
	}
	doc_table(&x->d, 2, heads);
	for (size_t i = 0; i < x->r->nactivity; i++)
		fig_row(x, nz(x->r->activity[i].id, "-"), nz(x->r->activity[i].text, "-"));
	doc_table_end(&x->d);
}

static void rv_journal(struct rv *x)
{
	char b[RP_TBUF];
	doc_h(&x->d, 2, _("Journal"));
	sb_reset(&x->a);
	if (!x->v->terminated_at)
		sb_addf(&x->a, _("Rendered as of %s."), rp_utc(x->v->at, b));
	if (x->a.len)
		doc_p(&x->d, x->a.buf);
	/* the head last, as code: a reader copies it into `sitrep verify --head`
	 * (it is 64 hex digits: nothing to escape) */
	sb_reset(&x->a);
	if (x->d.f == RP_HTML)
		sb_addf(&x->a, "<p>%s <code>%s</code></p>\n", _("Journal head:"),
			x->v->head[0] ? x->v->head : "-");
	else
		sb_addf(&x->a, "%s `%s`\n\n", _("Journal head:"), x->v->head[0] ? x->v->head : "-");
	doc_raw(&x->d, x->a.buf);
}

static const char html_style[] =
	"body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
	"table{border-collapse:collapse;margin:0.5em 0 1em}"
	"th,td{border:1px solid #ccc;padding:0.2em 0.5em;text-align:left;vertical-align:top}"
	"th{background:#f4f4f4}.drill{background:#d62728;color:#fff;padding:0.5em}"
	"pre{background:#f8f8f8;padding:0.5em;overflow-x:auto}svg{max-width:100%;height:auto}";

static void html_begin(struct rv *x)
{
	struct strbuf *sb = &x->b;
	const char *lang = x->v->lang && *x->v->lang ? x->v->lang : "en";
	sb_reset(sb);
	sb_adds(sb, "<!DOCTYPE html>\n<html lang=\"");
	/* zh_CN -> zh-CN (BCP 47) */
	for (const char *p = lang; *p; p++) {
		if (*p == '_')
			sb_addc(sb, '-');
		else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			 (*p >= '0' && *p <= '9') || *p == '-')
			sb_addc(sb, *p);
	}
	sb_adds(sb, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	sb_reset(&x->a);
	sb_addf(&x->a, _("Review of incident %" PRId64 ": %s"), x->v->id, nz(x->v->title, ""));
	rp_esc(RP_HTML, sb, x->a.buf, 0);
	sb_addf(sb, "</title>\n<style>%s</style>\n</head>\n<body>\n", html_style);
	doc_raw(&x->d, sb->buf);
}

static void review_doc(const struct view_review *r, enum rp_fmt f, FILE *out, FILE *svg)
{
	struct rv x;
	memset(&x, 0, sizeof(x));
	x.r = r;
	x.v = r->inc;
	x.t0 = t_open(r);
	sums_of(r, &x.s);
	sb_init(&x.a);
	sb_init(&x.b);
	sb_init(&x.c);
	doc_init(&x.d, f, out);
	if (f == RP_HTML)
		html_begin(&x);
	rv_header(&x);
	rv_figures(&x);
	rv_chart(&x, svg);
	rv_changes(&x);
	rv_obligations(&x);
	rv_notices(&x);
	rv_resources(&x);
	rv_responders(&x);
	rv_refusals(&x);
	rv_sections(&x);
	rv_followups(&x);
	rv_activity(&x);
	rv_journal(&x);
	if (f == RP_HTML)
		doc_raw(&x.d, "</body>\n</html>\n");
	doc_release(&x.d);
	sb_release(&x.a);
	sb_release(&x.b);
	sb_release(&x.c);
}

/* ------------------------------------------------------------------ */
/* JSON */

static json_t *figures_json(const struct view_review *r)
{
	const struct view_incident *v = r->inc;
	json_t *o = json_object(), *w = json_object(), *l = json_object();
	for (size_t i = 0; i < rp_nfigures; i++) {
		int64_t x = rp_figure_value(&r->fig, &rp_figures[i]);
		json_object_set_new(o, rp_figures[i].key,
				    rp_figures[i].kind == RPF_DUR ? rp_jdur(x) : rp_jint(x));
	}
	json_object_set_new(o, "mitigation_how", rp_jstr(r->fig.to_mitigation >= 0
							   ? r->fig.mitigation_how : NULL));
	json_object_set_new(o, "peak_level", rp_jstr(rp_level_id(v, r->fig.peak_level)));
	for (size_t i = 0; i < v->nwarnings && i < 8; i++)
		if (v->warnings[i].id)
			json_object_set_new(w, v->warnings[i].id, rp_jint(r->fig.in_warning[i]));
	for (size_t i = 0; i < v->nlevels && i < 8; i++)
		if (v->levels[i].id)
			json_object_set_new(l, v->levels[i].id, rp_jint(r->fig.in_level[i]));
	json_object_set_new(o, "in_warning", w);
	json_object_set_new(o, "in_level", l);
	return o;
}

/* Long by design: one JSON member after another in the order the contract
 * lists them: long, flat, read top to bottom. */
static void review_json(const struct view_review *r, FILE *out)
{
	const struct view_incident *v = r->inc;
	json_t *o = json_object(), *a;

	json_object_set_new(o, "incident", rp_jint(v->id));
	json_object_set_new(o, "title", rp_jstr(v->title));
	json_object_set_new(o, "plan", rp_jstr(v->plan));
	json_object_set_new(o, "plan_title", rp_jstr(v->plan_title));
	json_object_set_new(o, "plan_hash", rp_jstr(v->plan_hash));
	json_object_set_new(o, "drill", rp_jbool(v->drill));
	json_object_set_new(o, "state", rp_jstr(phase_name(v->phase)));
	json_object_set_new(o, "level", rp_jstr(v->level.id));
	json_object_set_new(o, "commander", rp_jstr_nz(v->commander));
	json_object_set_new(o, "opened_at", rp_jtime(v->opened_at));
	json_object_set_new(o, "terminated_at", rp_jtime(v->terminated_at));
	json_object_set_new(o, "at", rp_jtime(v->at));
	json_object_set_new(o, "head", rp_jstr_nz(v->head));
	json_object_set_new(o, "figures", figures_json(r));

	a = json_array();
	for (size_t i = 0; i < r->ncompliance; i++) {
		const struct view_compliance *c = &r->compliance[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"id", rp_jstr(c->id),
			"kept", rp_jint(c->kept),
			"late", rp_jint(c->late),
			"missed", rp_jint(c->missed),
			"open", rp_jint(c->open),
			"cancelled", rp_jint(c->cancelled),
			"withdrawn", rp_jint(c->withdrawn),
			"title", rp_jstr(c->title),
			"kind", rp_jstr(obl_kind_name(c->kind))));
	}
	json_object_set_new(o, "obligations", a);

	a = json_array();
	for (size_t i = 0; i < r->ninstances; i++) {
		const struct view_instance *in = &r->instances[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"id", rp_jstr(in->id),
			"seq", rp_jint(in->seq),
			"title", rp_jstr(in->title),
			"owner", rp_jstr(in->owner),
			"person", rp_jstr_nz(in->person),
			"due", rp_jtime(in->due),
			"closed_at", rp_jtime(in->closed_at),
			"by", rp_jstr_nz(in->by),
			"outcome", rp_jstr(outcome_name(in->outcome)),
			"notice", rp_jbool(in->notice)));
	}
	json_object_set_new(o, "instances", a);

	a = json_array();
	for (size_t i = 0; i < r->nchanges; i++) {
		const struct view_change *c = &r->changes[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"at", rp_jtime(c->at),
			"kind", rp_jstr(c->kind),
			"direction", rp_jstr(change_up(v, c) ? "escalation" : "downgrade"),
			"from", rp_jstr(c->from),
			"to", rp_jstr(c->to),
			"actor", rp_jstr_nz(c->actor),
			"role", rp_jstr_nz(c->role),
			"reason", rp_jstr(c->reason),
			"answered", rp_jstr(c->answered),
			"answered_after", rp_jdur(c->answered_after)));
	}
	json_object_set_new(o, "changes", a);

	a = json_array();
	for (size_t i = 0; i < r->nsegments; i++) {
		const struct view_segment *s = &r->segments[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o}",
			"from", rp_jtime(s->t0),
			"to", rp_jtime(s->t1),
			"state", rp_jstr(phase_name(s->phase)),
			"level", rp_jstr(rp_level_id(v, s->level)),
			"warning", rp_jstr(rp_warning_id(v, s->warning))));
	}
	json_object_set_new(o, "segments", a);

	a = json_array();
	for (size_t i = 0; i < r->nrefusals; i++) {
		const struct view_row *row = &r->refusals[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"entry", row->entry ? rp_jint(row->entry) : json_null(),
			"at", rp_jtime(row->occurred_at),
			"actor", rp_jstr_nz(row->actor),
			"role", rp_jstr_nz(row->role),
			"rule", rp_jstr_nz(row->rule),
			"summary", rp_jstr(row->summary),
			"text", rp_jstr(row->text)));
	}
	json_object_set_new(o, "refusals", a);

	a = json_array();
	for (size_t i = 0; i < r->nsent; i++) {
		const struct view_sent *s = &r->sent[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"id", rp_jstr(s->id),
			"title", rp_jstr(s->title),
			"due", rp_jtime(s->due),
			"sent_at", rp_jtime(s->sent_at),
			"by", rp_jstr_nz(s->by),
			"channel", rp_jstr(s->channel),
			"outcome", rp_jstr(outcome_name(s->outcome)),
			"failed", rp_jint(s->failed)));
	}
	json_object_set_new(o, "notices", a);

	a = json_array();
	for (size_t i = 0; i < r->nfollowups; i++) {
		const struct view_deadline *f = &r->followups[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"id", rp_jstr(f->id),
			"title", rp_jstr(f->title),
			"person", rp_jstr_nz(f->person),
			"due", rp_jtime(f->due),
			"overdue", rp_jbool(f->overdue),
			"outcome", rp_jstr(outcome_name(f->outcome)),
			"closed_at", rp_jtime(f->closed_at),
			"closed_by", rp_jstr_nz(f->closed_by)));
	}
	json_object_set_new(o, "followups", a);

	a = json_array();
	for (size_t i = 0; i < v->nresources; i++) {
		const struct view_resource *rs = &v->resources[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o}",
			"item", rp_jstr(rs->id),
			"title", rp_jstr(rs->item),
			"count", rp_jint(rs->count),
			"deployed", rp_jint(rs->deployed),
			"used_secs", rp_jint(rs->used_secs)));
	}
	json_object_set_new(o, "resources", a);

	a = json_array();
	for (size_t i = 0; i < v->nresponders; i++) {
		const struct view_responder *rs = &v->responders[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o}",
			"role", rp_jstr(rs->role),
			"person", rp_jstr(rs->person),
			"person_name", rp_jstr(rs->person_name),
			"since", rp_jtime(rs->since)));
	}
	json_object_set_new(o, "responders", a);

	a = json_array();
	for (size_t i = 0; i < r->nnotes; i++) {
		const struct view_note *n = &r->notes[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o}",
			"section", n->section >= 0 && n->section < SECTION__COUNT
				? rp_jstr(section_name(n->section)) : json_null(),
			"actor", rp_jstr_nz(n->actor),
			"at", rp_jtime(n->at),
			"text", rp_jstr(n->text)));
	}
	json_object_set_new(o, "notes", a);

	a = json_array();
	for (size_t i = 0; i < r->nactivity; i++)
		json_array_append_new(a, json_pack("{s:o, s:o}",
			"person", rp_jstr(r->activity[i].id),
			"text", rp_jstr(r->activity[i].text)));
	json_object_set_new(o, "activity", a);
	json_object_set_new(o, "participants", rp_jstr_nz(r->participants));

	rp_json_write(out, o, 1);
}

int report_review(const struct view_review *r, const char *format, FILE *out, FILE *svg)
{
	if (!format || !strcmp(format, "md"))
		review_doc(r, RP_MD, out, svg);
	else if (!strcmp(format, "html"))
		review_doc(r, RP_HTML, out, NULL);
	else if (!strcmp(format, "json"))
		review_json(r, out);
	else
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* the console's review screen: plain lines, unescaped */

static void text_fig(struct strbuf *out, const char *label, const char *value)
{
	int w = tx_width(label);
	sb_adds(out, "  ");
	sb_adds(out, label);
	for (; w < 40; w++)
		sb_addc(out, ' ');
	sb_addc(out, ' ');
	sb_adds(out, value);
	sb_addc(out, '\n');
}

void report_review_text(const struct view_review *r, int width, struct strbuf *out)
{
	const struct view_incident *v = r->inc;
	char b[RP_TBUF], b2[RP_TBUF];
	struct strbuf tmp = STRBUF_INIT;
	int n;
	sb_init(&tmp);
	sb_addf(out, _("Review of incident %" PRId64 ": %s"), v->id, nz(v->title, ""));
	if (v->drill) {
		sb_adds(out, "  ");
		sb_adds(out, _("[DRILL]"));
	}
	sb_addc(out, '\n');
	/* TRANSLATORS: the heading of the review's figures, then where they are defined */
	sb_addf(out, _("%s: %s\n"), _("Figures"), _("(definitions: docs/review.md)"));
	for (size_t i = 0; i < rp_nfigures; i++) {
		const struct rp_figure *f = &rp_figures[i];
		if (f->kind != RPF_DUR)
			continue;
		sb_reset(&tmp);
		sb_adds(&tmp, figure_text(r, f, b));
		if (!strcmp(f->key, "to_mitigation") && r->fig.to_mitigation >= 0 &&
		    r->fig.mitigation_how)
			sb_addf(&tmp, " (%s)", r->fig.mitigation_how);
		text_fig(out, _(f->label), tmp.buf);
	}
	text_fig(out, _("peak level"), nz(rp_level_id(v, r->fig.peak_level), _("none")));
	for (size_t i = 0; i < v->nwarnings && i < 8; i++) {
		sb_reset(&tmp);
		sb_addf(&tmp, _("time under %s"), warning_said(&v->warnings[i]));
		text_fig(out, tmp.buf, rp_clock(r->fig.in_warning[i], b));
	}
	for (size_t i = 0; i < v->nlevels && i < 8; i++) {
		sb_reset(&tmp);
		sb_addf(&tmp, _("time at level %s"), v->levels[i].id);
		text_fig(out, tmp.buf, rp_clock(r->fig.in_level[i], b));
	}
	for (size_t i = 0; i < rp_nfigures; i++)
		if (rp_figures[i].kind == RPF_INT)
			text_fig(out, _(rp_figures[i].label), figure_text(r, &rp_figures[i], b));

	sb_addc(out, '\n');
	sb_adds(out, _("Level over time"));
	sb_addc(out, '\n');
	rp_chart_text(r, width, out);

	sb_addc(out, '\n');
	sb_adds(out, _("Follow-ups"));
	sb_addc(out, '\n');
	for (size_t i = 0; i < r->nfollowups; i++) {
		const struct view_deadline *f = &r->followups[i];
		sb_reset(&tmp);
		rp_who(&tmp, f);
		sb_addf(out, "  [%c] %s  %s  (%s", f->outcome == OUT_OPEN ? ' ' : 'x', nz(f->id, "?"),
			nz(f->title, ""), tmp.buf);
		if (f->due)
			sb_addf(out, _(", due %s"), rp_local(f->due, b));
		if (f->outcome == OUT_OPEN && f->overdue)
			sb_addf(out, ", %s", _("OVERDUE"));
		else if (f->outcome != OUT_OPEN)
			sb_addf(out, ", %s %s", rp_outcome_text(f->outcome),
				f->closed_at ? rp_local(f->closed_at, b2) : "");
		sb_adds(out, ")\n");
	}
	if (!r->nfollowups) {
		sb_adds(out, "  ");
		sb_adds(out, _("none"));
		sb_addc(out, '\n');
	}

	sb_addc(out, '\n');
	sb_adds(out, _("Review notes"));
	sb_addc(out, '\n');
	n = 0;
	for (int k = 0; k <= SECTION__COUNT; k++) {
		int s = k < SECTION__COUNT ? k : -1; /* the six points, then the others */
		int first = 1;
		for (size_t i = 0; i < r->nnotes; i++) {
			const struct view_note *note = &r->notes[i];
			int ns = note->section >= 0 && note->section < SECTION__COUNT ? note->section : -1;
			if (ns != s)
				continue;
			if (first) {
				sb_addf(out, "  %s\n", s >= 0 ? _(section_title(s)) : _("Other notes"));
				first = 0;
			}
			sb_addf(out, "    %s, %s: %s\n", nz(note->actor, "-"), rp_local(note->at, b),
				nz(note->text, ""));
			n++;
		}
	}
	if (!n) {
		sb_adds(out, "  ");
		sb_adds(out, _("none yet"));
		sb_addc(out, '\n');
	}
	sb_release(&tmp);
}
