/* report: renderers for timelines, reviews, briefings and statistics.
 *
 * Everything here is a pure function of a struct report_input: no clock (the
 * input's `at` is "now"), no SQLite, no curses, no rule decisions. The figures
 * are defined in docs/review.md; keep the two in step. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/json.h"
#include "sitrep/report.h"

const char *const report_section_ids[REPORT_NSECTIONS] = {
	"speed", "performance", "control", "commander", "plan", "risk"
};
const char *const report_section_titles[REPORT_NSECTIONS] = {
	"Response speed",
	"Overall task performance",
	"Degree of control",
	"The commander's own performance",
	"Efficiency of the action plan",
	"Risk of future related incidents"
};

int report_section_index(const char *id)
{
	int i;
	if (!id)
		return -1;
	for (i = 0; i < REPORT_NSECTIONS; i++)
		if (!strcmp(id, report_section_ids[i]))
			return i;
	return -1;
}

void report_svg_name(int64_t id, struct strbuf *out)
{
	sb_addf(out, "incident-%" PRId64 "-levels.svg", id);
}

/* ------------------------------------------------------------------ */
/* input lifecycle */

void report_input_init(struct report_input *in)
{
	memset(in, 0, sizeof(*in));
}

static void item_release(struct report_item *it)
{
	free(it->actor);
	free(it->role);
	free(it->kind);
	free(it->summary);
	free(it->payload);
	free(it->text);
	free(it->rule);
	free(it->effects);
}

void report_input_release(struct report_input *in)
{
	size_t i;
	for (i = 0; i < in->nitems; i++)
		item_release(&in->items[i]);
	free(in->items);
	free(in->title);
	free(in->plan_hash);
	memset(in, 0, sizeof(*in));
}

void report_input_add(struct report_input *in, const struct report_item *it)
{
	struct report_item *d;
	in->items = xgrow(in->items, sizeof(*in->items), in->nitems + 1, &in->aitems);
	d = &in->items[in->nitems++];
	*d = *it;
	d->actor = xstrdup(it->actor ? it->actor : "");
	d->role = xstrdup(it->role ? it->role : "");
	d->kind = xstrdup(it->kind ? it->kind : "");
	d->summary = xstrdup(it->summary ? it->summary : "");
	d->payload = xstrdup(it->payload ? it->payload : "{}");
	d->text = xstrdup(it->text);
	d->rule = xstrdup(it->rule ? it->rule : "");
	d->effects = NULL;
	d->neffects = 0;
	if (it->neffects && it->effects) {
		d->effects = xcalloc(it->neffects, sizeof(*d->effects));
		memcpy(d->effects, it->effects, it->neffects * sizeof(*d->effects));
		d->neffects = it->neffects;
	}
}

/* ------------------------------------------------------------------ */
/* small helpers */

static const char *level_id(const struct report_input *in, int l)
{
	if (!in->plan || l < 0 || (size_t)l >= in->plan->nlevels)
		return NULL;
	return in->plan->levels[l].id;
}

static const char *warning_id(const struct report_input *in, int w)
{
	if (!in->plan || w < 0 || (size_t)w >= in->plan->nwarnings)
		return NULL;
	return in->plan->warnings[w].id;
}

static const char *trigger_id(const struct report_input *in, int t)
{
	if (!in->plan || t < 0 || (size_t)t >= in->plan->ntriggers)
		return NULL;
	return in->plan->triggers[t].id;
}

static const char *role_id(const struct report_input *in, int r)
{
	if (!in->plan || r < 0 || (size_t)r >= in->plan->nroles)
		return NULL;
	return in->plan->roles[r].id;
}

static const char *nz(const char *s, const char *def)
{
	return s && *s ? s : def;
}

static char *fmt_local(int64_t t, char *buf, size_t n)
{
	return time_format_local(t, buf, n);
}

static char *fmt_utc(int64_t t, char *buf, size_t n)
{
	return time_format_utc(t, buf, n);
}

/* "T+hh:mm" since open (hours are not wrapped into days: T+72:00). */
static char *fmt_tplus(int64_t d, char *buf, size_t n)
{
	char sign = '+';
	if (d < 0) {
		sign = '-';
		d = -d;
	}
	snprintf(buf, n, "T%c%02" PRId64 ":%02" PRId64, sign, d / 3600, d % 3600 / 60);
	return buf;
}

/* A duration figure, "n/a" for -1. */
static char *fmt_dur(int64_t secs, char *buf, size_t n)
{
	if (secs < 0) {
		snprintf(buf, n, "n/a");
		return buf;
	}
	return dur_format(secs, buf, n);
}

static const char *effect_kind_name(enum engine_effect_kind k)
{
	switch (k) {
	case EFF_OPENED: return "opened";
	case EFF_WARNING_RAISED: return "warning_raised";
	case EFF_WARNING_LIFTED: return "warning_lifted";
	case EFF_TRIGGER_FIRED: return "trigger_fired";
	case EFF_TRIGGER_CLEARED: return "trigger_cleared";
	case EFF_PROPOSAL: return "proposal";
	case EFF_PROPOSAL_WITHDRAWN: return "proposal_withdrawn";
	case EFF_LEVEL: return "level";
	case EFF_OBLIGATION_STARTED: return "obligation_started";
	case EFF_OBLIGATION_DONE: return "obligation_done";
	case EFF_OBLIGATION_CANCELLED: return "obligation_cancelled";
	case EFF_ATTESTED: return "attested";
	case EFF_COMMANDER: return "commander";
	case EFF_TERMINATED: return "terminated";
	case EFF_ASSESSED: return "assessed";
	default: break; /* a kind added later: still render */
	}
	return "?";
}

/* A string field of the item's JSON payload into out (empty when absent). */
static int payload_str(const struct report_item *it, const char *key, struct strbuf *out)
{
	struct json_value v;
	struct sitrep_error err = SITREP_ERROR_INIT;
	const char *s;
	int found = 0;
	if (!it->payload || !*it->payload)
		return 0;
	if (json_parse(it->payload, strlen(it->payload), &v, &err) < 0) {
		err_release(&err);
		return 0;
	}
	s = json_get_str(&v, key);
	if (s) {
		sb_adds(out, s);
		found = 1;
	}
	json_free(&v);
	return found;
}

/* The review section a note-review item targets. */
static int note_section(const struct report_item *it, struct strbuf *sec)
{
	sb_reset(sec);
	if (!payload_str(it, "section", sec) && !payload_str(it, "target", sec))
		return -1;
	return report_section_index(sec->buf);
}

static int is_kind(const struct report_item *it, const char *k)
{
	return it->kind && !strcmp(it->kind, k);
}

/* User actions that count as acknowledging an incident (docs/review.md):
 * any journaled entry after the open except readings, exports, review notes
 * and derived transitions. Refused attempts count: someone was acting. */
static int is_ack(const struct report_item *it)
{
	static const char *const skip[] = { "open", "metric", "export", "auto", "note-review" };
	size_t i;
	if (!it->entry_id)
		return 0;
	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (is_kind(it, skip[i]))
			return 0;
	return 1;
}

/* ------------------------------------------------------------------ */
/* analysis: one walk over the items computes everything the renderers use */

struct change {
	int64_t at;
	int from, to;
	const struct report_item *it;
	char answered[ENGINE_ID_MAX];   /* the proposal's rule, "" none */
	int64_t latency;                /* proposal -> decision, -1 none */
};

struct seg {
	int64_t t0, t1;
	enum engine_phase phase;
	int level, warning;
};

struct pending {
	int level;
	char rule[ENGINE_ID_MAX];
	int64_t at;
};

struct analysis {
	int64_t open_at;          /* the incident's T+0 */
	int64_t end_at;           /* terminated_at, else the input's `at` */
	int64_t term_at;          /* -1 while open */
	int64_t mitigation_at;    /* -1 none */
	const char *mitigation_how;
	const struct report_item *open_item;
	const struct report_item *term_item;
	struct report_figures f;
	struct change *ch; size_t nch, ach;
	struct seg *seg; size_t nseg, aseg;
	struct pending *pend; size_t npend, apend;
	int *fired;               /* per trigger: times fired */
	int nproposals, nanswered;
	int64_t answer_latency;   /* sum over answered proposals */
	int lifts;
	int ntriggers;
	int firing_at_end;
	int readings;
};

static void an_release(struct analysis *an)
{
	free(an->ch);
	free(an->seg);
	free(an->pend);
	free(an->fired);
	memset(an, 0, sizeof(*an));
}

static void seg_push(struct analysis *an, int64_t t0, enum engine_phase ph, int level, int warning)
{
	struct seg *s;
	if (an->nseg) {
		s = &an->seg[an->nseg - 1];
		if (s->phase == ph && s->level == level && s->warning == warning)
			return;
		s->t1 = t0;
		if (s->t1 == s->t0) { /* zero-length: replace */
			s->phase = ph;
			s->level = level;
			s->warning = warning;
			if (an->nseg > 1) { /* merge with an equal predecessor */
				struct seg *p = &an->seg[an->nseg - 2];
				if (p->phase == ph && p->level == level && p->warning == warning)
					an->nseg--;
			}
			return;
		}
	}
	an->seg = xgrow(an->seg, sizeof(*an->seg), an->nseg + 1, &an->aseg);
	s = &an->seg[an->nseg++];
	s->t0 = t0;
	s->t1 = t0;
	s->phase = ph;
	s->level = level;
	s->warning = warning;
}

static void proposal_rule(const struct report_input *in, const struct engine_effect *e, char *rule)
{
	const char *t = trigger_id(in, e->trigger);
	snprintf(rule, ENGINE_ID_MAX, "%s", t ? t : "matrix");
}

static void mitigated(struct analysis *an, int64_t at, const char *how)
{
	if (an->mitigation_at < 0 && at >= an->open_at) {
		an->mitigation_at = at;
		an->mitigation_how = how;
	}
}

static void an_effects(const struct report_input *in, struct analysis *an,
		       const struct report_item *it, int *firing)
{
	size_t k, p;
	struct strbuf ans = STRBUF_INIT;
	sb_init(&ans);
	/* proposals first, then level changes, then withdrawals: an escalation
	 * answers a proposal even when the engine withdraws it in the same step */
	for (k = 0; k < it->neffects; k++) {
		const struct engine_effect *e = &it->effects[k];
		if (e->kind != EFF_PROPOSAL)
			continue;
		an->pend = xgrow(an->pend, sizeof(*an->pend), an->npend + 1, &an->apend);
		an->pend[an->npend].level = e->ref;
		an->pend[an->npend].at = e->at;
		proposal_rule(in, e, an->pend[an->npend].rule);
		an->npend++;
		an->nproposals++;
	}
	for (k = 0; k < it->neffects; k++) {
		const struct engine_effect *e = &it->effects[k];
		struct change *c;
		if (e->kind != EFF_LEVEL)
			continue;
		an->ch = xgrow(an->ch, sizeof(*an->ch), an->nch + 1, &an->ach);
		c = &an->ch[an->nch++];
		c->at = e->at;
		c->from = e->from;
		c->to = e->ref;
		c->it = it;
		c->answered[0] = 0;
		c->latency = -1;
		for (p = 0; p < an->npend; p++)
			if (an->pend[p].level == e->ref)
				break;
		if (p < an->npend) {
			snprintf(c->answered, sizeof(c->answered), "%s", an->pend[p].rule);
			c->latency = e->at - an->pend[p].at;
			an->nanswered++;
			an->answer_latency += c->latency;
			memmove(&an->pend[p], &an->pend[p + 1], (an->npend - p - 1) * sizeof(*an->pend));
			an->npend--;
		} else {
			sb_reset(&ans);
			if (payload_str(it, "answered", &ans) && ans.len)
				snprintf(c->answered, sizeof(c->answered), "%s", ans.buf);
		}
		if (e->from < 0 || e->ref > e->from)
			an->f.escalations++;
		else if (e->ref < e->from) {
			an->f.downgrades++;
			mitigated(an, e->at, "first downgrade");
		}
		if (e->ref > an->f.peak_level)
			an->f.peak_level = e->ref;
	}
	for (k = 0; k < it->neffects; k++) {
		const struct engine_effect *e = &it->effects[k];
		switch (e->kind) {
		case EFF_PROPOSAL_WITHDRAWN:
			for (p = 0; p < an->npend; p++)
				if (an->pend[p].level == e->ref) {
					memmove(&an->pend[p], &an->pend[p + 1],
						(an->npend - p - 1) * sizeof(*an->pend));
					an->npend--;
					break;
				}
			break;
		case EFF_TRIGGER_FIRED:
			if (e->ref >= 0 && e->ref < an->ntriggers) {
				if (!firing[e->ref])
					an->firing_at_end++;
				firing[e->ref] = 1;
				an->fired[e->ref]++;
			}
			break;
		case EFF_TRIGGER_CLEARED:
			if (e->ref >= 0 && e->ref < an->ntriggers && firing[e->ref]) {
				firing[e->ref] = 0;
				if (--an->firing_at_end == 0)
					mitigated(an, e->at, "no trigger firing any more");
			}
			break;
		case EFF_WARNING_LIFTED:
			/* a warning that ends because a response starts is no mitigation */
			if (it->phase == PHASE_MONITORING || is_kind(it, "lift")) {
				an->lifts++;
				mitigated(an, e->at, "warning lifted");
			}
			break;
		case EFF_TERMINATED:
			if (an->term_at < 0) {
				an->term_at = e->at;
				an->term_item = it;
			}
			break;
		default:
			break;
		}
	}
	sb_release(&ans);
}

static void an_obligations(const struct report_input *in, struct analysis *an)
{
	size_t k;
	const struct engine_state *st = in->final;
	if (!st)
		return;
	for (k = 0; k < st->nobls; k++) {
		const struct engine_obligation *o = &st->obls[k];
		switch (o->status) {
		case OBL_DONE:
			if (o->closed_at <= o->due)
				an->f.obl_on_time++;
			else
				an->f.obl_late++;
			break;
		case OBL_CANCELLED:
			if (o->closed_at > o->due)
				an->f.obl_missed++;
			break;
		case OBL_OPEN:
			if (o->due < an->end_at)
				an->f.obl_missed++;
			else
				an->f.obl_open++;
			break;
		}
	}
}

static void analyse(const struct report_input *in, struct analysis *an)
{
	size_t i;
	int *firing;
	int64_t last_end;
	memset(an, 0, sizeof(*an));
	an->term_at = -1;
	an->mitigation_at = -1;
	an->f.to_ack = an->f.to_first_level = an->f.to_mitigation = an->f.to_termination = -1;
	an->f.peak_level = -1;
	an->ntriggers = in->plan ? (int)in->plan->ntriggers : 0;
	an->fired = xcalloc((size_t)an->ntriggers + 1, sizeof(int));
	firing = xcalloc((size_t)an->ntriggers + 1, sizeof(int));

	/* T+0: the accepted open entry, else the engine's opened_at, else the first item */
	an->open_at = INT64_MIN;
	for (i = 0; i < in->nitems; i++)
		if (is_kind(&in->items[i], "open") && !in->items[i].refused) {
			an->open_at = in->items[i].occurred_at;
			an->open_item = &in->items[i];
			break;
		}
	if (an->open_at == INT64_MIN)
		an->open_at = in->final && in->final->opened ? in->final->opened_at
			: in->nitems ? in->items[0].occurred_at : in->at;

	seg_push(an, an->open_at, PHASE_MONITORING, -1, -1);
	for (i = 0; i < in->nitems; i++) {
		const struct report_item *it = &in->items[i];
		if (it->occurred_at < an->open_at)
			continue;
		if (an->f.to_ack < 0 && it != an->open_item && is_ack(it) &&
		    (!an->open_item || it > an->open_item))
			an->f.to_ack = it->occurred_at - an->open_at;
		if (it->refused)
			an->f.refusals++;
		if (is_kind(it, "metric") && !it->refused)
			an->readings++;
		an_effects(in, an, it, firing);
		if (an->term_at >= 0 && it->occurred_at > an->term_at)
			continue; /* notes after the end do not move the chart */
		seg_push(an, it->occurred_at, it->phase, it->level, it->warning);
		if (it->level > an->f.peak_level)
			an->f.peak_level = it->level;
	}
	if (in->final && in->final->peak_level > an->f.peak_level)
		an->f.peak_level = in->final->peak_level;
	if (an->term_at < 0 && in->final && in->final->terminated_at)
		an->term_at = in->final->terminated_at;
	an->end_at = an->term_at >= 0 ? an->term_at : in->at;
	if (an->end_at < an->open_at)
		an->end_at = an->open_at;
	last_end = an->end_at;
	if (an->nseg) {
		struct seg *s = &an->seg[an->nseg - 1];
		s->t1 = last_end > s->t0 ? last_end : s->t0;
	}
	for (i = 0; i < an->nseg; i++) {
		const struct seg *s = &an->seg[i];
		int64_t d = s->t1 - s->t0;
		if (s->phase == PHASE_TERMINATED)
			continue;
		if (s->warning >= 0 && s->warning < 8)
			an->f.in_warning[s->warning] += d;
		if (s->level >= 0 && s->level < 8)
			an->f.in_level[s->level] += d;
		if (s->level >= 0 && an->f.to_first_level < 0)
			an->f.to_first_level = s->t0 - an->open_at;
	}
	if (an->mitigation_at >= 0)
		an->f.to_mitigation = an->mitigation_at - an->open_at;
	if (an->term_at >= 0)
		an->f.to_termination = an->term_at - an->open_at;
	an_obligations(in, an);
	free(firing);
}

void report_figures(const struct report_input *in, struct report_figures *f)
{
	struct analysis an;
	analyse(in, &an);
	*f = an.f;
	an_release(&an);
}

/* ------------------------------------------------------------------ */
/* escaping per output format */

enum fmt { F_TEXT, F_MD, F_HTML };

static void add_md(struct strbuf *out, const char *s)
{
	struct strbuf tmp = STRBUF_INIT;
	const char *p;
	sb_init(&tmp);
	sb_add_escaped(&tmp, s ? s : "");
	for (p = tmp.buf; *p; p++) {
		if (strchr("\\`*[]<>|", *p) || (*p == '#' && p == tmp.buf))
			sb_addc(out, '\\');
		sb_addc(out, *p);
	}
	sb_release(&tmp);
}

static void add_html(struct strbuf *out, const char *s)
{
	struct strbuf tmp = STRBUF_INIT;
	const char *p;
	sb_init(&tmp);
	sb_add_escaped(&tmp, s ? s : "");
	for (p = tmp.buf; *p; p++) {
		switch (*p) {
		case '&': sb_adds(out, "&amp;"); break;
		case '<': sb_adds(out, "&lt;"); break;
		case '>': sb_adds(out, "&gt;"); break;
		case '"': sb_adds(out, "&quot;"); break;
		case '\'': sb_adds(out, "&#39;"); break;
		default: sb_addc(out, *p); break;
		}
	}
	sb_release(&tmp);
}

static void add_fmt(enum fmt f, struct strbuf *out, const char *s)
{
	switch (f) {
	case F_TEXT: sb_add_escaped(out, s ? s : ""); break;
	case F_MD: add_md(out, s); break;
	case F_HTML: add_html(out, s); break;
	}
}

/* ------------------------------------------------------------------ */
/* a tiny document model so that the review is written once for md and html */

struct doc {
	enum fmt f;
	struct strbuf *out;
	int ncols;
};

static void doc_h(struct doc *d, int level, const char *text)
{
	if (d->f == F_HTML) {
		sb_addf(d->out, "<h%d>", level);
		add_html(d->out, text);
		sb_addf(d->out, "</h%d>\n", level);
	} else {
		int i;
		for (i = 0; i < level; i++)
			sb_addc(d->out, '#');
		sb_addc(d->out, ' ');
		add_md(d->out, text);
		sb_adds(d->out, "\n\n");
	}
}

/* A paragraph whose text is already formatted for the output (use doc_esc). */
static void doc_p_raw(struct doc *d, const char *raw)
{
	if (d->f == F_HTML)
		sb_addf(d->out, "<p>%s</p>\n", raw);
	else
		sb_addf(d->out, "%s\n\n", raw);
}

static void doc_esc(struct doc *d, struct strbuf *sb, const char *s)
{
	add_fmt(d->f, sb, s);
}

static void doc_p(struct doc *d, const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	doc_esc(d, &sb, text);
	doc_p_raw(d, sb.buf);
	sb_release(&sb);
}

static void doc_table(struct doc *d, int ncols, const char *const *heads)
{
	int i;
	d->ncols = ncols;
	if (d->f == F_HTML) {
		sb_adds(d->out, "<table>\n<thead><tr>");
		for (i = 0; i < ncols; i++) {
			sb_adds(d->out, "<th>");
			add_html(d->out, heads[i]);
			sb_adds(d->out, "</th>");
		}
		sb_adds(d->out, "</tr></thead>\n<tbody>\n");
	} else {
		sb_addc(d->out, '|');
		for (i = 0; i < ncols; i++) {
			sb_addc(d->out, ' ');
			add_md(d->out, heads[i]);
			sb_adds(d->out, " |");
		}
		sb_adds(d->out, "\n|");
		for (i = 0; i < ncols; i++)
			sb_adds(d->out, "---|");
		sb_addc(d->out, '\n');
	}
}

/* A row of plain strings (escaped here). */
static void doc_row(struct doc *d, const char *const *cells)
{
	int i;
	if (d->f == F_HTML) {
		sb_adds(d->out, "<tr>");
		for (i = 0; i < d->ncols; i++) {
			sb_adds(d->out, "<td>");
			add_html(d->out, cells[i] ? cells[i] : "");
			sb_adds(d->out, "</td>");
		}
		sb_adds(d->out, "</tr>\n");
	} else {
		sb_addc(d->out, '|');
		for (i = 0; i < d->ncols; i++) {
			sb_addc(d->out, ' ');
			add_md(d->out, cells[i] ? cells[i] : "");
			sb_adds(d->out, " |");
		}
		sb_addc(d->out, '\n');
	}
}

static void doc_table_end(struct doc *d)
{
	if (d->f == F_HTML)
		sb_adds(d->out, "</tbody>\n</table>\n");
	else
		sb_addc(d->out, '\n');
}

/* A bulleted list item of plain text. */
static void doc_li(struct doc *d, const char *text)
{
	if (d->f == F_HTML) {
		sb_adds(d->out, "<li>");
		add_html(d->out, text);
		sb_adds(d->out, "</li>\n");
	} else {
		sb_adds(d->out, "- ");
		add_md(d->out, text);
		sb_addc(d->out, '\n');
	}
}

static void doc_ul(struct doc *d)
{
	if (d->f == F_HTML)
		sb_adds(d->out, "<ul>\n");
}

static void doc_ul_end(struct doc *d)
{
	if (d->f == F_HTML)
		sb_adds(d->out, "</ul>\n");
	else
		sb_addc(d->out, '\n');
}

/* ------------------------------------------------------------------ */
/* timeline */

static int64_t item_open_at(const struct report_input *in)
{
	struct analysis an;
	int64_t t;
	analyse(in, &an);
	t = an.open_at;
	an_release(&an);
	return t;
}

static void level_text(const struct report_input *in, int level, int warning,
		       enum engine_phase ph, struct strbuf *out)
{
	sb_adds(out, engine_phase_name(ph));
	if (level >= 0)
		sb_addf(out, " %s", nz(level_id(in, level), "?"));
	if (warning >= 0)
		sb_addf(out, " (%s warning)", nz(warning_id(in, warning), "?"));
}

static void timeline_text(const struct report_input *in, int64_t t0, struct strbuf *out)
{
	size_t i, k;
	int wa = 5, wk = 4;
	char b1[64], b2[32];
	struct strbuf head = STRBUF_INIT;
	sb_init(&head);
	for (i = 0; i < in->nitems; i++) {
		int w = utf8_width(in->items[i].actor);
		if (w > wa)
			wa = w;
		w = utf8_width(in->items[i].kind);
		if (w > wk)
			wk = w;
	}
	if (wa > 16)
		wa = 16;
	if (wk > 12)
		wk = 12;
	sb_addf(out, "incident %" PRId64 ": ", in->id);
	sb_add_escaped(out, in->title ? in->title : "");
	if (in->drill)
		sb_adds(out, "  [DRILL]");
	sb_addc(out, '\n');
	sb_addf(out, "plan %s, opened %s local (%s), T+ counts from the open\n\n",
		in->plan ? in->plan->id : "?", fmt_local(t0, b1, sizeof(b1)),
		fmt_utc(t0, b2, sizeof(b2)));
	sb_adds(out, "local time           T+       ");
	sb_add_padded(out, "actor", wa);
	sb_adds(out, "  ");
	sb_add_padded(out, "kind", wk);
	sb_adds(out, "  what\n");
	for (i = 0; i < in->nitems; i++) {
		const struct report_item *it = &in->items[i];
		sb_adds(out, fmt_local(it->occurred_at, b1, sizeof(b1)));
		sb_addc(out, ' ');
		sb_add_padded(out, fmt_tplus(it->occurred_at - t0, b2, sizeof(b2)), 8);
		sb_addc(out, ' ');
		sb_reset(&head);
		sb_add_escaped(&head, nz(it->actor, "-"));
		sb_add_padded(out, head.buf, wa);
		sb_adds(out, "  ");
		sb_reset(&head);
		sb_add_escaped(&head, it->refused ? "REFUSED" : it->kind);
		sb_add_padded(out, head.buf, wk);
		sb_adds(out, "  ");
		sb_add_escaped(out, it->summary);
		if (it->refused && it->rule && *it->rule) {
			sb_adds(out, " [rule ");
			sb_add_escaped(out, it->rule);
			sb_addc(out, ']');
		}
		sb_addc(out, '\n');
		for (k = 0; k < it->neffects; k++) {
			if (!strcmp(it->effects[k].text, it->summary ? it->summary : ""))
				continue;
			sb_addf(out, "%*s-> ", 19 + 1 + 8 + 1 + wa + 2 + wk + 2, "");
			sb_add_escaped(out, it->effects[k].text);
			sb_addc(out, '\n');
		}
	}
	sb_addf(out, "\nhead %s\n", in->head);
	sb_release(&head);
}

static void timeline_md(const struct report_input *in, int64_t t0, struct strbuf *out)
{
	static const char *const heads[] = { "Local time", "T+", "Who", "Role", "Kind", "What" };
	struct doc d = { F_MD, out, 0 };
	struct strbuf what = STRBUF_INIT, line = STRBUF_INIT;
	size_t i, k;
	char b1[64], b2[32];
	sb_init(&what);
	sb_init(&line);
	sb_addf(out, "# Timeline of incident %" PRId64 ": ", in->id);
	add_md(out, in->title ? in->title : "");
	sb_adds(out, "\n\n");
	if (in->drill)
		sb_adds(out, "**DRILL**: this incident is an exercise.\n\n");
	sb_adds(out, "Plan `");
	add_md(out, in->plan ? in->plan->id : "?");
	sb_addf(out, "`, opened %s local (%s).\n\n", fmt_local(t0, b1, sizeof(b1)),
		fmt_utc(t0, b2, sizeof(b2)));
	doc_table(&d, 6, heads);
	for (i = 0; i < in->nitems; i++) {
		const struct report_item *it = &in->items[i];
		sb_reset(&line);
		add_md(&line, fmt_local(it->occurred_at, b1, sizeof(b1)));
		sb_adds(&line, " | ");
		add_md(&line, fmt_tplus(it->occurred_at - t0, b2, sizeof(b2)));
		sb_adds(&line, " | ");
		add_md(&line, it->actor);
		sb_adds(&line, " | ");
		add_md(&line, it->role);
		sb_adds(&line, " | ");
		add_md(&line, it->refused ? "REFUSED" : it->kind);
		sb_adds(&line, " | ");
		add_md(&line, it->summary);
		if (it->refused && it->rule && *it->rule) {
			sb_adds(&line, " (rule `");
			add_md(&line, it->rule);
			sb_adds(&line, "`)");
		}
		for (k = 0; k < it->neffects; k++) {
			if (!strcmp(it->effects[k].text, it->summary ? it->summary : ""))
				continue;
			sb_adds(&line, "<br>→ ");
			add_md(&line, it->effects[k].text);
		}
		sb_addf(out, "| %s |\n", line.buf);
	}
	sb_addf(out, "\nJournal head: `%s`\n", in->head);
	sb_release(&what);
	sb_release(&line);
}

/* RFC 4180: quote when needed, double the quotes, CRLF line ends. */
static void csv_field(struct strbuf *out, const char *s)
{
	const char *p;
	s = s ? s : "";
	if (!strpbrk(s, ",\"\r\n")) {
		sb_adds(out, s);
		return;
	}
	sb_addc(out, '"');
	for (p = s; *p; p++) {
		if (*p == '"')
			sb_addc(out, '"');
		sb_addc(out, *p);
	}
	sb_addc(out, '"');
}

static void timeline_csv(const struct report_input *in, int64_t t0, struct strbuf *out)
{
	size_t i, k;
	char b[64];
	struct strbuf eff = STRBUF_INIT;
	sb_init(&eff);
	sb_adds(out, "entry,occurred_at,recorded_at,t_plus_s,actor,role,kind,refused,rule,"
		"phase,level,warning,summary,text,effects\r\n");
	for (i = 0; i < in->nitems; i++) {
		const struct report_item *it = &in->items[i];
		sb_addf(out, "%" PRId64 ",", it->entry_id);
		sb_addf(out, "%s,", fmt_utc(it->occurred_at, b, sizeof(b)));
		sb_addf(out, "%s,", it->recorded_at ? fmt_utc(it->recorded_at, b, sizeof(b)) : "");
		sb_addf(out, "%" PRId64 ",", it->occurred_at - t0);
		csv_field(out, it->actor);
		sb_addc(out, ',');
		csv_field(out, it->role);
		sb_addc(out, ',');
		csv_field(out, it->kind);
		sb_addf(out, ",%d,", it->refused ? 1 : 0);
		csv_field(out, it->rule);
		sb_addf(out, ",%s,", engine_phase_name(it->phase));
		csv_field(out, level_id(in, it->level));
		sb_addc(out, ',');
		csv_field(out, warning_id(in, it->warning));
		sb_addc(out, ',');
		csv_field(out, it->summary);
		sb_addc(out, ',');
		csv_field(out, it->text);
		sb_addc(out, ',');
		sb_reset(&eff);
		for (k = 0; k < it->neffects; k++) {
			if (k)
				sb_adds(&eff, "; ");
			sb_adds(&eff, it->effects[k].text);
		}
		csv_field(out, eff.buf);
		sb_adds(out, "\r\n");
	}
	sb_release(&eff);
}

static void json_opt_str(struct strbuf *out, const char *s)
{
	if (s)
		sb_add_json_str(out, s);
	else
		sb_adds(out, "null");
}

/* Embed a payload as JSON when it parses, else as a string. */
static void json_payload(struct strbuf *out, const char *payload)
{
	struct json_value v;
	struct sitrep_error err = SITREP_ERROR_INIT;
	if (payload && json_parse(payload, strlen(payload), &v, &err) == 0) {
		json_free(&v);
		sb_adds(out, payload);
		return;
	}
	err_release(&err);
	json_opt_str(out, payload);
}

static void timeline_json(const struct report_input *in, int64_t t0, struct strbuf *out)
{
	size_t i, k;
	char b[64];
	sb_addf(out, "{\"incident\":%" PRId64 ",\"title\":", in->id);
	sb_add_json_str(out, in->title ? in->title : "");
	sb_adds(out, ",\"plan\":");
	json_opt_str(out, in->plan ? in->plan->id : NULL);
	sb_adds(out, ",\"plan_hash\":");
	json_opt_str(out, in->plan_hash);
	sb_addf(out, ",\"drill\":%s,\"opened_at\":", in->drill ? "true" : "false");
	sb_add_json_str(out, fmt_utc(t0, b, sizeof(b)));
	sb_adds(out, ",\"as_of\":");
	sb_add_json_str(out, fmt_utc(in->at, b, sizeof(b)));
	sb_adds(out, ",\"head\":");
	sb_add_json_str(out, in->head);
	sb_adds(out, ",\"items\":[");
	for (i = 0; i < in->nitems; i++) {
		const struct report_item *it = &in->items[i];
		if (i)
			sb_addc(out, ',');
		sb_addf(out, "\n{\"entry\":%" PRId64 ",\"occurred_at\":", it->entry_id);
		sb_add_json_str(out, fmt_utc(it->occurred_at, b, sizeof(b)));
		sb_adds(out, ",\"recorded_at\":");
		if (it->recorded_at)
			sb_add_json_str(out, fmt_utc(it->recorded_at, b, sizeof(b)));
		else
			sb_adds(out, "null");
		sb_addf(out, ",\"t_plus_s\":%" PRId64 ",\"actor\":", it->occurred_at - t0);
		sb_add_json_str(out, it->actor);
		sb_adds(out, ",\"role\":");
		sb_add_json_str(out, it->role);
		sb_adds(out, ",\"kind\":");
		sb_add_json_str(out, it->kind);
		sb_addf(out, ",\"refused\":%s,\"rule\":", it->refused ? "true" : "false");
		json_opt_str(out, it->rule && *it->rule ? it->rule : NULL);
		sb_adds(out, ",\"phase\":");
		sb_add_json_str(out, engine_phase_name(it->phase));
		sb_adds(out, ",\"level\":");
		json_opt_str(out, level_id(in, it->level));
		sb_adds(out, ",\"warning\":");
		json_opt_str(out, warning_id(in, it->warning));
		sb_adds(out, ",\"summary\":");
		sb_add_json_str(out, it->summary);
		sb_adds(out, ",\"text\":");
		json_opt_str(out, it->text);
		sb_adds(out, ",\"payload\":");
		json_payload(out, it->payload);
		sb_adds(out, ",\"effects\":[");
		for (k = 0; k < it->neffects; k++) {
			const struct engine_effect *e = &it->effects[k];
			if (k)
				sb_addc(out, ',');
			sb_adds(out, "{\"kind\":");
			sb_add_json_str(out, effect_kind_name(e->kind));
			sb_adds(out, ",\"at\":");
			sb_add_json_str(out, fmt_utc(e->at, b, sizeof(b)));
			sb_adds(out, ",\"text\":");
			sb_add_json_str(out, e->text);
			sb_addc(out, '}');
		}
		sb_adds(out, "]}");
	}
	sb_adds(out, "\n]}\n");
}

int report_timeline(const struct report_input *in, const char *format, struct strbuf *out)
{
	int64_t t0;
	if (!format)
		format = "text";
	if (strcmp(format, "text") && strcmp(format, "md") && strcmp(format, "csv") &&
	    strcmp(format, "json"))
		return -1;
	t0 = item_open_at(in);
	if (!strcmp(format, "text"))
		timeline_text(in, t0, out);
	else if (!strcmp(format, "md"))
		timeline_md(in, t0, out);
	else if (!strcmp(format, "csv"))
		timeline_csv(in, t0, out);
	else
		timeline_json(in, t0, out);
	return 0;
}

/* ------------------------------------------------------------------ */
/* charts */

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
	size_t i;
	if (!name)
		return "#888888";
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
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
	size_t i;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (span / steps[i] <= 8)
			return steps[i];
	return span / 8 + 1;
}

static void svg_chart(const struct report_input *in, const struct analysis *an, struct strbuf *out)
{
	const int left = 110, right = 40, top = 30, rowh = 36, plotw = 640;
	int nrows = (in->plan ? (int)in->plan->nlevels : 0) + 1; /* + monitoring */
	int ploth = nrows * rowh;
	int width = left + plotw + right, height = top + ploth + 50;
	int64_t t0 = an->open_at, t1 = an->end_at > an->open_at ? an->end_at : an->open_at + 1;
	int64_t step, t;
	size_t i;
	int r;
	char b[32];
#define ROW_Y(lv) (top + ploth - ((lv) + 1) * rowh - rowh / 2) /* centre of the row of level lv (-1 = monitoring) */
	sb_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\" "
		"role=\"img\" aria-label=\"level over time\">\n", width, height, width, height);
	sb_adds(out, "<title>");
	add_html(out, in->title ? in->title : "");
	sb_adds(out, ": level over time</title>\n");
	sb_addf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
		width, height);
	if (in->drill)
		sb_addf(out, "<text x=\"%d\" y=\"18\" font-weight=\"bold\" fill=\"#d62728\">"
			"DRILL</text>\n", left);
	/* warnings as bands */
	for (i = 0; i < an->nseg; i++) {
		const struct seg *s = &an->seg[i];
		int64_t x0, x1;
		const char *wid;
		if (s->warning < 0 || s->phase == PHASE_TERMINATED)
			continue;
		wid = warning_id(in, s->warning);
		x0 = chart_x(s->t0, t0, t1, left, plotw);
		x1 = chart_x(s->t1, t0, t1, left, plotw);
		sb_addf(out, "<rect class=\"warning\" x=\"%" PRId64 "\" y=\"%d\" width=\"%" PRId64
			"\" height=\"%d\" fill=\"%s\" fill-opacity=\"0.18\"><title>",
			x0, top, x1 - x0 > 0 ? x1 - x0 : 1, ploth, css_colour(wid));
		add_html(out, nz(wid, "?"));
		sb_adds(out, " warning</title></rect>\n");
	}
	/* rows: grid and labels (monitoring at the bottom, the most severe level on top) */
	for (r = -1; r < nrows - 1; r++) {
		int y = ROW_Y(r);
		const char *lid = r < 0 ? "no level" : level_id(in, r);
		const char *col = r < 0 ? "#555555" : css_colour(in->plan->levels[r].colour);
		sb_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#dddddd\"/>\n",
			left, y, left + plotw, y);
		sb_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"%s\">", left - 8,
			y + 4, col);
		if (r >= 0)
			sb_adds(out, "level ");
		add_html(out, nz(lid, "?"));
		sb_adds(out, "</text>\n");
	}
	/* time axis */
	sb_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\"/>\n", left,
		top + ploth, left + plotw, top + ploth);
	step = tick_step(t1 - t0);
	for (t = 0; t0 + t <= t1; t += step) {
		int64_t x = chart_x(t0 + t, t0, t1, left, plotw);
		sb_addf(out, "<line x1=\"%" PRId64 "\" y1=\"%d\" x2=\"%" PRId64 "\" y2=\"%d\" "
			"stroke=\"#333333\"/>\n", x, top + ploth, x, top + ploth + 4);
		sb_addf(out, "<text x=\"%" PRId64 "\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x,
			top + ploth + 18, fmt_tplus(t, b, sizeof(b)));
	}
	sb_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555555\">time since "
		"open (hh:mm); shaded: warnings; arrows: escalations and downgrades</text>\n",
		left + plotw / 2, top + ploth + 38);
	/* the level as a step line: each level's stretch in its colour */
	for (i = 0; i < an->nseg; i++) {
		const struct seg *s = &an->seg[i];
		int64_t x0 = chart_x(s->t0, t0, t1, left, plotw);
		int64_t x1 = chart_x(s->t1, t0, t1, left, plotw);
		int y = ROW_Y(s->level);
		const char *col = s->level >= 0 ? css_colour(in->plan->levels[s->level].colour)
			: "#555555";
		if (s->phase == PHASE_TERMINATED)
			continue;
		if (i > 0 && an->seg[i - 1].level != s->level)
			sb_addf(out, "<line x1=\"%" PRId64 "\" y1=\"%d\" x2=\"%" PRId64 "\" y2=\"%d\" "
				"stroke=\"#999999\" stroke-width=\"2\"/>\n", x0,
				ROW_Y(an->seg[i - 1].level), x0, y);
		sb_addf(out, "<line class=\"level\" x1=\"%" PRId64 "\" y1=\"%d\" x2=\"%" PRId64
			"\" y2=\"%d\" stroke=\"%s\" stroke-width=\"4\"/>\n", x0, y, x1, y, col);
	}
	/* escalations and downgrades marked */
	for (i = 0; i < an->nch; i++) {
		const struct change *c = &an->ch[i];
		int64_t x = chart_x(c->at, t0, t1, left, plotw);
		int y = ROW_Y(c->to);
		int up = c->from < 0 || c->to > c->from;
		/* an arrowhead beside the new level: up above it, down below it */
		sb_addf(out, "<path class=\"%s\" d=\"M%" PRId64 " %d l-6 %d h12 z\" fill=\"%s\">"
			"<title>", up ? "escalation" : "downgrade", x, y + (up ? -16 : 16),
			up ? 10 : -10, up ? "#d62728" : "#2ca02c");
		add_html(out, up ? "escalation to " : "downgrade to ");
		add_html(out, nz(level_id(in, c->to), "?"));
		if (c->it && c->it->text) {
			add_html(out, ": ");
			add_html(out, c->it->text);
		}
		sb_adds(out, "</title></path>\n");
	}
	if (an->term_at >= 0) {
		int64_t x = chart_x(an->term_at, t0, t1, left, plotw);
		sb_addf(out, "<line class=\"terminated\" x1=\"%" PRId64 "\" y1=\"%d\" x2=\"%" PRId64
			"\" y2=\"%d\" stroke=\"#333333\" stroke-dasharray=\"4 3\"/>\n", x, top, x,
			top + ploth);
		sb_addf(out, "<text x=\"%" PRId64 "\" y=\"%d\" text-anchor=\"end\">terminated</text>\n",
			x - 2, top - 4);
	}
	sb_adds(out, "</svg>\n");
#undef ROW_Y
}

static void chart_text(const struct report_input *in, const struct analysis *an, int width,
		       struct strbuf *out)
{
	int nl = in->plan ? (int)in->plan->nlevels : 0;
	int label = 8, cols, c, r;
	int64_t t0 = an->open_at, t1 = an->end_at > an->open_at ? an->end_at : an->open_at + 1;
	int *lev, *warn;
	char *mark;
	size_t i;
	char b[32];
	for (r = 0; r < nl; r++) {
		int w = utf8_width(in->plan->levels[r].id) + 1;
		if (w > label)
			label = w;
	}
	cols = width - label - 1;
	if (cols < 10)
		cols = 10;
	lev = xcalloc((size_t)cols, sizeof(int));
	warn = xcalloc((size_t)cols, sizeof(int));
	mark = xcalloc((size_t)cols + 1, 1);
	for (c = 0; c < cols; c++) {
		lev[c] = -1;
		warn[c] = -1;
		mark[c] = '-';
	}
	/* each column shows the most severe state of its stretch of time */
	for (i = 0; i < an->nseg; i++) {
		const struct seg *s = &an->seg[i];
		int64_t c0, c1;
		if (s->phase == PHASE_TERMINATED)
			continue;
		c0 = (s->t0 - t0) * cols / (t1 - t0);
		c1 = s->t1 > s->t0 ? ((s->t1 - t0) * cols - 1) / (t1 - t0) : c0;
		for (c = (int)c0; c <= (int)c1 && c < cols; c++) {
			if (c < 0)
				continue;
			if (s->level > lev[c])
				lev[c] = s->level;
			if (s->warning > warn[c])
				warn[c] = s->warning;
		}
	}
	for (i = 0; i < an->nch; i++) {
		int64_t cc = (an->ch[i].at - t0) * cols / (t1 - t0);
		if (cc >= cols)
			cc = cols - 1;
		if (cc >= 0)
			mark[cc] = an->ch[i].from < 0 || an->ch[i].to > an->ch[i].from ? '^' : 'v';
	}
	if (an->term_at >= 0)
		mark[cols - 1] = '|';
	if (in->drill)
		sb_adds(out, "DRILL\n");
	for (r = nl - 1; r >= 0; r--) {
		sb_add_padded(out, in->plan->levels[r].id, label);
		sb_addc(out, '|');
		for (c = 0; c < cols; c++)
			sb_addc(out, lev[c] >= r ? '#' : ' ');
		sb_addc(out, '\n');
	}
	sb_add_padded(out, "warning", label);
	sb_addc(out, '|');
	for (c = 0; c < cols; c++) {
		const char *w = warning_id(in, warn[c]);
		sb_addc(out, w ? w[0] : ' ');
	}
	sb_addc(out, '\n');
	sb_add_padded(out, "", label);
	sb_addc(out, '+');
	sb_adds(out, mark);
	sb_addc(out, '\n');
	sb_add_padded(out, "", label + 1);
	fmt_tplus(0, b, sizeof(b));
	sb_adds(out, b);
	fmt_tplus(t1 - t0, b, sizeof(b));
	sb_addf(out, "%*s\n", cols - 7, b);
	sb_add_padded(out, "", label + 1);
	sb_adds(out, "# level  b/y warning  ^ up  v down  | end\n");
	free(lev);
	free(warn);
	free(mark);
}

void report_chart_text(const struct report_input *in, int width, struct strbuf *out)
{
	struct analysis an;
	analyse(in, &an);
	chart_text(in, &an, width, out);
	an_release(&an);
}

/* ------------------------------------------------------------------ */
/* review */

static void obl_status(const struct report_input *in, const struct analysis *an,
		       const struct engine_obligation *o, struct strbuf *out)
{
	char b[32];
	(void)in;
	switch (o->status) {
	case OBL_DONE:
		if (o->closed_at <= o->due)
			sb_adds(out, "kept on time");
		else
			sb_addf(out, "late by %s", dur_format(o->closed_at - o->due, b, sizeof(b)));
		break;
	case OBL_CANCELLED:
		if (o->closed_at > o->due)
			sb_addf(out, "missed (cancelled %s after due)",
				dur_format(o->closed_at - o->due, b, sizeof(b)));
		else
			sb_adds(out, "cancelled before due");
		break;
	case OBL_OPEN:
		if (o->due < an->end_at)
			sb_addf(out, "missed (open, %s overdue at the end)",
				dur_format(an->end_at - o->due, b, sizeof(b)));
		else
			sb_adds(out, "open, not yet due");
		break;
	}
}

static void obl_title(const struct report_input *in, const struct engine_obligation *o,
		      struct strbuf *out)
{
	if (o->plan_index >= 0 && in->plan && (size_t)o->plan_index < in->plan->nobligations) {
		sb_adds(out, in->plan->obligations[o->plan_index].title);
		if (in->plan->obligations[o->plan_index].is_cadence)
			sb_addf(out, " (#%d)", o->seq);
	} else {
		sb_addf(out, "escalate or lift the %s warning", nz(warning_id(in, o->warning), "?"));
	}
}

static const char *obl_id(const struct report_input *in, const struct engine_obligation *o)
{
	if (o->plan_index >= 0 && in->plan && (size_t)o->plan_index < in->plan->nobligations)
		return in->plan->obligations[o->plan_index].id;
	return "warning_cap";
}

static const char *obl_owner(const struct report_input *in, const struct engine_obligation *o)
{
	if (o->plan_index >= 0 && in->plan && (size_t)o->plan_index < in->plan->nobligations)
		return nz(role_id(in, in->plan->obligations[o->plan_index].owner), "-");
	return "commander";
}

/* One figure line: "label: value" as a table row. */
static void fig_row(struct doc *d, const char *label, const char *value)
{
	const char *cells[2];
	cells[0] = label;
	cells[1] = value;
	doc_row(d, cells);
}

static void fig_dur(struct doc *d, const char *label, int64_t v)
{
	char b[32];
	fig_row(d, label, fmt_dur(v, b, sizeof(b)));
}

static void fig_int(struct doc *d, const char *label, int v)
{
	char b[32];
	snprintf(b, sizeof(b), "%d", v);
	fig_row(d, label, b);
}

static void figures_begin(struct doc *d)
{
	static const char *const heads[] = { "Figure", "Value" };
	doc_table(d, 2, heads);
}

static void section_figures(const struct report_input *in, const struct analysis *an,
			    struct doc *d, int sec)
{
	const struct report_figures *f = &an->f;
	char b[128], b2[32];
	size_t i;
	figures_begin(d);
	switch (sec) {
	case 0: /* speed */
		fig_dur(d, "time to acknowledge", f->to_ack);
		fig_dur(d, "time to the first response level", f->to_first_level);
		fig_dur(d, "time to mitigation", f->to_mitigation);
		fig_dur(d, "time to termination", f->to_termination);
		if (an->nanswered) {
			fig_dur(d, "mean time from a level proposal to the decision",
				an->answer_latency / an->nanswered);
		}
		break;
	case 1: /* performance */
		fig_int(d, "obligations kept on time", f->obl_on_time);
		fig_int(d, "obligations late", f->obl_late);
		fig_int(d, "obligations missed", f->obl_missed);
		fig_int(d, "obligations still open, not yet due", f->obl_open);
		fig_dur(d, "time to termination", f->to_termination);
		break;
	case 2: /* control */
		fig_row(d, "peak level", nz(level_id(in, f->peak_level), "none"));
		fig_int(d, "escalations", f->escalations);
		fig_int(d, "downgrades", f->downgrades);
		fig_dur(d, "time to mitigation", f->to_mitigation);
		for (i = 0; in->plan && i < in->plan->nwarnings && i < 8; i++) {
			snprintf(b, sizeof(b), "time in the %s warning", in->plan->warnings[i].id);
			fig_dur(d, b, f->in_warning[i]);
		}
		for (i = 0; in->plan && i < in->plan->nlevels && i < 8; i++) {
			snprintf(b, sizeof(b), "time at level %s", in->plan->levels[i].id);
			fig_dur(d, b, f->in_level[i]);
		}
		break;
	case 3: { /* commander */
		int ncmd = 0, nref = 0;
		const char *cmd = an->open_item ? an->open_item->actor : "";
		for (i = 0; i < in->nitems; i++) {
			const struct report_item *it = &in->items[i];
			size_t k;
			for (k = 0; k < it->neffects; k++)
				if (it->effects[k].kind == EFF_COMMANDER && is_kind(it, "handover"))
					ncmd++;
			if (it->refused && !strcmp(it->role, "commander"))
				nref++;
		}
		(void)cmd;
		fig_row(d, "commander at the end",
			in->final ? nz(in->final->commander, "-") : "-");
		fig_int(d, "handovers of command", ncmd);
		snprintf(b, sizeof(b), "%d of %d", an->nanswered, an->nproposals);
		fig_row(d, "level proposals answered by a decision", b);
		fig_row(d, "mean time from a level proposal to the decision",
			an->nanswered ? fmt_dur(an->answer_latency / an->nanswered, b2, sizeof(b2))
			: "n/a");
		fig_int(d, "level changes without a pending proposal",
			(int)an->nch - an->nanswered);
		fig_int(d, "refusals in the commander role", nref);
		break;
	}
	case 4: /* plan */
		fig_int(d, "refusals by the plan's rules", f->refusals);
		fig_int(d, "obligations late or missed", f->obl_late + f->obl_missed);
		snprintf(b, sizeof(b), "%d of %d", an->nproposals - an->nanswered, an->nproposals);
		fig_row(d, "level proposals not acted upon", b);
		fig_int(d, "warning lifts", an->lifts);
		break;
	case 5: /* risk */
		fig_row(d, "peak level", nz(level_id(in, f->peak_level), "none"));
		for (i = 0; i < (size_t)an->ntriggers; i++) {
			if (!an->fired[i])
				continue;
			snprintf(b, sizeof(b), "trigger %s fired", in->plan->triggers[i].id);
			snprintf(b2, sizeof(b2), "%d time%s", an->fired[i], an->fired[i] == 1 ? "" : "s");
			fig_row(d, b, b2);
		}
		fig_int(d, "triggers still firing at the end", an->firing_at_end);
		break;
	}
	doc_table_end(d);
}

static void review_header(const struct report_input *in, const struct analysis *an, struct doc *d)
{
	char b1[64], b2[64], b3[32];
	struct strbuf sb = STRBUF_INIT;
	const char *cells[2];
	static const char *const heads[] = { "", "" };
	sb_init(&sb);
	sb_addf(&sb, "Post-incident review: incident %" PRId64 ": %s", in->id,
		in->title ? in->title : "");
	if (d->f == F_HTML) {
		sb_adds(d->out, "<h1>");
		add_html(d->out, sb.buf);
		sb_adds(d->out, "</h1>\n");
	} else {
		sb_adds(d->out, "# ");
		add_md(d->out, sb.buf);
		sb_adds(d->out, "\n\n");
	}
	if (in->drill) {
		if (d->f == F_HTML)
			sb_adds(d->out, "<p class=\"drill\"><strong>DRILL</strong>: this incident "
				"was an exercise; it is left out of the statistics.</p>\n");
		else
			sb_adds(d->out, "> **DRILL**: this incident was an exercise; it is left "
				"out of the statistics.\n\n");
	}
	doc_table(d, 2, heads);
	sb_reset(&sb);
	if (in->plan) {
		sb_addf(&sb, "%s: %s", in->plan->id, in->plan->title ? in->plan->title : "");
		if (in->plan->original_title)
			sb_addf(&sb, " (%s)", in->plan->original_title);
	}
	cells[0] = "Plan";
	cells[1] = sb.buf;
	doc_row(d, cells);
	cells[0] = "Plan snapshot (SHA-256)";
	cells[1] = nz(in->plan_hash, in->plan ? in->plan->hash : "-");
	doc_row(d, cells);
	sb_reset(&sb);
	sb_addf(&sb, "%s local (%s)", fmt_local(an->open_at, b1, sizeof(b1)),
		fmt_utc(an->open_at, b2, sizeof(b2)));
	cells[0] = "Opened";
	cells[1] = sb.buf;
	doc_row(d, cells);
	sb_reset(&sb);
	if (an->term_at >= 0)
		sb_addf(&sb, "%s local (%s)", fmt_local(an->term_at, b1, sizeof(b1)),
			fmt_utc(an->term_at, b2, sizeof(b2)));
	else
		sb_addf(&sb, "not terminated (as of %s)", fmt_utc(in->at, b2, sizeof(b2)));
	cells[0] = "Terminated";
	cells[1] = sb.buf;
	doc_row(d, cells);
	cells[0] = "Duration";
	cells[1] = fmt_dur(an->end_at - an->open_at, b3, sizeof(b3));
	doc_row(d, cells);
	sb_reset(&sb);
	if (in->final)
		level_text(in, in->final->level, in->final->warning, in->final->phase, &sb);
	cells[0] = "State at the end";
	cells[1] = sb.buf;
	doc_row(d, cells);
	cells[0] = "Drill";
	cells[1] = in->drill ? "yes" : "no";
	doc_row(d, cells);
	doc_table_end(d);
	sb_release(&sb);
}

static void review_figures(const struct report_input *in, const struct analysis *an, struct doc *d)
{
	char b[128];
	const struct report_figures *f = &an->f;
	size_t i;
	doc_h(d, 2, "Figures");
	doc_p(d, "Definitions: docs/review.md. Times are measured from the open (T+0).");
	figures_begin(d);
	fig_dur(d, "time to acknowledge", f->to_ack);
	fig_dur(d, "time to the first response level", f->to_first_level);
	if (an->mitigation_at >= 0) {
		char v[96], t[32];
		snprintf(v, sizeof(v), "%s (%s)", fmt_dur(f->to_mitigation, t, sizeof(t)),
			 an->mitigation_how);
		fig_row(d, "time to mitigation", v);
	} else {
		fig_dur(d, "time to mitigation", -1);
	}
	fig_dur(d, "time to termination", f->to_termination);
	fig_row(d, "peak level", nz(level_id(in, f->peak_level), "none"));
	for (i = 0; in->plan && i < in->plan->nwarnings && i < 8; i++) {
		snprintf(b, sizeof(b), "time in the %s warning", in->plan->warnings[i].id);
		fig_dur(d, b, f->in_warning[i]);
	}
	for (i = 0; in->plan && i < in->plan->nlevels && i < 8; i++) {
		snprintf(b, sizeof(b), "time at level %s", in->plan->levels[i].id);
		fig_dur(d, b, f->in_level[i]);
	}
	fig_int(d, "escalations", f->escalations);
	fig_int(d, "downgrades", f->downgrades);
	fig_int(d, "obligations kept on time", f->obl_on_time);
	fig_int(d, "obligations late", f->obl_late);
	fig_int(d, "obligations missed", f->obl_missed);
	fig_int(d, "obligations open, not yet due", f->obl_open);
	fig_int(d, "refusals", f->refusals);
	doc_table_end(d);
}

static void review_changes(const struct report_input *in, const struct analysis *an, struct doc *d)
{
	static const char *const heads[] = { "Local time", "T+", "Change", "By", "Reason",
					     "Answered proposal" };
	size_t i;
	doc_h(d, 2, "Escalations and downgrades");
	if (!an->nch) {
		doc_p(d, "No level changes.");
		return;
	}
	doc_table(d, 6, heads);
	for (i = 0; i < an->nch; i++) {
		const struct change *c = &an->ch[i];
		char t1[64], t2[32], chg[160], who[160], ans[128], lat[32];
		const char *cells[6];
		snprintf(chg, sizeof(chg), "%s %s → %s",
			 c->from < 0 || c->to > c->from ? "escalation" : "downgrade",
			 nz(level_id(in, c->from), "none"), nz(level_id(in, c->to), "?"));
		if (c->it && c->it->entry_id)
			snprintf(who, sizeof(who), "%s%s%s%s", c->it->actor,
				 *c->it->role ? " (" : "", c->it->role, *c->it->role ? ")" : "");
		else
			snprintf(who, sizeof(who), "(automatic)");
		if (*c->answered && c->latency >= 0)
			snprintf(ans, sizeof(ans), "%s (proposed %s before)", c->answered,
				 dur_format(c->latency, lat, sizeof(lat)));
		else
			snprintf(ans, sizeof(ans), "%s", nz(c->answered, "-"));
		cells[0] = fmt_local(c->at, t1, sizeof(t1));
		cells[1] = fmt_tplus(c->at - an->open_at, t2, sizeof(t2));
		cells[2] = chg;
		cells[3] = who;
		cells[4] = c->it && c->it->text ? c->it->text : "-";
		cells[5] = ans;
		doc_row(d, cells);
	}
	doc_table_end(d);
}

static void review_obligations(const struct report_input *in, const struct analysis *an,
			       struct doc *d)
{
	static const char *const heads[] = { "Obligation", "Title", "Owner", "Due (local)",
					     "Closed (local)", "By", "Verdict" };
	const struct engine_state *st = in->final;
	struct strbuf title = STRBUF_INIT, verdict = STRBUF_INIT, sb = STRBUF_INIT;
	size_t k;
	doc_h(d, 2, "Obligations");
	sb_init(&title);
	sb_init(&verdict);
	sb_init(&sb);
	sb_addf(&sb, "Kept on time: %d. Late: %d. Missed: %d. Open, not yet due: %d.",
		an->f.obl_on_time, an->f.obl_late, an->f.obl_missed, an->f.obl_open);
	doc_p(d, sb.buf);
	if (st && st->nobls) {
		doc_table(d, 7, heads);
		for (k = 0; k < st->nobls; k++) {
			const struct engine_obligation *o = &st->obls[k];
			char due[64], closed[64];
			const char *cells[7];
			sb_reset(&title);
			sb_reset(&verdict);
			obl_title(in, o, &title);
			obl_status(in, an, o, &verdict);
			cells[0] = obl_id(in, o);
			cells[1] = title.buf;
			cells[2] = obl_owner(in, o);
			cells[3] = fmt_local(o->due, due, sizeof(due));
			cells[4] = o->status != OBL_OPEN ? fmt_local(o->closed_at, closed, sizeof(closed)) : "-";
			cells[5] = nz(o->closed_by, "-");
			cells[6] = verdict.buf;
			doc_row(d, cells);
		}
		doc_table_end(d);
	}
	sb_release(&title);
	sb_release(&verdict);
	sb_release(&sb);
}

static void review_refusals(const struct report_input *in, const struct analysis *an,
			    struct doc *d)
{
	static const char *const heads[] = { "Local time", "T+", "Who", "Tried", "Rule", "Why" };
	struct strbuf tried = STRBUF_INIT, why = STRBUF_INIT;
	size_t i;
	int any = 0;
	doc_h(d, 2, "Refusals");
	sb_init(&tried);
	sb_init(&why);
	for (i = 0; i < in->nitems; i++) {
		const struct report_item *it = &in->items[i];
		char t1[64], t2[32], who[160];
		const char *cells[6];
		if (!it->refused)
			continue;
		if (!any)
			doc_table(d, 6, heads);
		any = 1;
		sb_reset(&tried);
		sb_reset(&why);
		if (!payload_str(it, "action", &tried))
			sb_adds(&tried, is_kind(it, "refused") ? "?" : it->kind);
		if (it->text && *it->text)
			sb_addf(&tried, ": %s", it->text);
		if (!payload_str(it, "message", &why))
			sb_adds(&why, it->summary);
		snprintf(who, sizeof(who), "%s%s%s%s", it->actor, *it->role ? " (" : "", it->role,
			 *it->role ? ")" : "");
		cells[0] = fmt_local(it->occurred_at, t1, sizeof(t1));
		cells[1] = fmt_tplus(it->occurred_at - an->open_at, t2, sizeof(t2));
		cells[2] = who;
		cells[3] = tried.buf;
		cells[4] = nz(it->rule, "-");
		cells[5] = why.buf;
		doc_row(d, cells);
	}
	if (any)
		doc_table_end(d);
	else
		doc_p(d, "No action was refused.");
	sb_release(&tried);
	sb_release(&why);
}

static void review_sections(const struct report_input *in, const struct analysis *an,
			    struct doc *d)
{
	struct strbuf sec = STRBUF_INIT, line = STRBUF_INIT;
	size_t i;
	int s, other = 0;
	char t1[64];
	sb_init(&sec);
	sb_init(&line);
	doc_h(d, 2, "Review (the six points of source 002)");
	for (s = 0; s < REPORT_NSECTIONS; s++) {
		int n = 0;
		sb_reset(&line);
		sb_addf(&line, "%d. %s (%s)", s + 1, report_section_titles[s], report_section_ids[s]);
		doc_h(d, 3, line.buf);
		section_figures(in, an, d, s);
		for (i = 0; i < in->nitems; i++) {
			const struct report_item *it = &in->items[i];
			if (!is_kind(it, "note-review") || it->refused)
				continue;
			if (note_section(it, &sec) != s)
				continue;
			if (!n++)
				doc_ul(d);
			sb_reset(&line);
			sb_addf(&line, "%s, %s: %s", it->actor, fmt_local(it->occurred_at, t1, sizeof(t1)),
				it->text ? it->text : it->summary);
			doc_li(d, line.buf);
		}
		if (n)
			doc_ul_end(d);
		else
			doc_p(d, "No notes yet (sitrep note-review ID SECTION TEXT).");
	}
	for (i = 0; i < in->nitems; i++) {
		const struct report_item *it = &in->items[i];
		if (!is_kind(it, "note-review") || it->refused || note_section(it, &sec) >= 0)
			continue;
		if (!other++) {
			doc_h(d, 3, "Other notes");
			doc_ul(d);
		}
		sb_reset(&line);
		sb_addf(&line, "%s, %s [%s]: %s", it->actor, fmt_local(it->occurred_at, t1, sizeof(t1)),
			sec.buf, it->text ? it->text : it->summary);
		doc_li(d, line.buf);
	}
	if (other)
		doc_ul_end(d);
	sb_release(&sec);
	sb_release(&line);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Distinct actors of journaled entries, sorted; *n set; array owned, strings borrowed. */
static const char **actors(const struct report_input *in, size_t *n)
{
	const char **v = xcalloc(in->nitems + 1, sizeof(*v));
	size_t i, k, m = 0;
	for (i = 0; i < in->nitems; i++) {
		const char *a = in->items[i].actor;
		if (!in->items[i].entry_id || !a || !*a)
			continue;
		for (k = 0; k < m; k++)
			if (!strcmp(v[k], a))
				break;
		if (k == m)
			v[m++] = a;
	}
	qsort(v, m, sizeof(*v), cmp_str);
	*n = m;
	return v;
}

static void review_activity(const struct report_input *in, const struct analysis *an,
			    struct doc *d)
{
	static const char *const heads[] = { "Local time", "T+", "Role", "Activity" };
	size_t na, a, i;
	const char **who = actors(in, &na);
	struct strbuf act = STRBUF_INIT, sb = STRBUF_INIT;
	sb_init(&act);
	sb_init(&sb);
	doc_h(d, 2, "Activity log per person (ICS-214)");
	for (a = 0; a < na; a++) {
		int readings = 0;
		int64_t first = 0, last = 0;
		int rows = 0;
		doc_h(d, 3, who[a]);
		for (i = 0; i < in->nitems; i++) {
			const struct report_item *it = &in->items[i];
			char t1[64], t2[32];
			const char *cells[4];
			if (!it->entry_id || strcmp(it->actor, who[a]))
				continue;
			if (is_kind(it, "metric") && !it->refused) {
				if (!readings++)
					first = it->occurred_at;
				last = it->occurred_at;
				continue;
			}
			if (!rows++)
				doc_table(d, 4, heads);
			sb_reset(&act);
			if (it->refused)
				sb_adds(&act, "REFUSED: ");
			sb_addf(&act, "%s", it->summary);
			cells[0] = fmt_local(it->occurred_at, t1, sizeof(t1));
			cells[1] = fmt_tplus(it->occurred_at - an->open_at, t2, sizeof(t2));
			cells[2] = nz(it->role, "-");
			cells[3] = act.buf;
			doc_row(d, cells);
		}
		if (rows)
			doc_table_end(d);
		if (readings) {
			char t1[64], t2[64];
			sb_reset(&sb);
			sb_addf(&sb, "Also %d metric reading%s, from %s to %s.", readings,
				readings == 1 ? "" : "s", fmt_local(first, t1, sizeof(t1)),
				fmt_local(last, t2, sizeof(t2)));
			doc_p(d, sb.buf);
		}
	}
	free(who);
	sb_release(&act);
	sb_release(&sb);
}

static const char html_style[] =
	"body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
	"table{border-collapse:collapse;margin:0.5em 0 1em}"
	"th,td{border:1px solid #ccc;padding:0.2em 0.5em;text-align:left;vertical-align:top}"
	"th{background:#f4f4f4}.drill{background:#d62728;color:#fff;padding:0.5em}"
	"code{font-size:0.9em}pre{background:#f8f8f8;padding:0.5em;overflow-x:auto}";

int report_review(const struct report_input *in, const char *format, struct strbuf *out,
		  struct strbuf *svg)
{
	struct analysis an;
	struct doc d;
	struct strbuf chart = STRBUF_INIT, sb = STRBUF_INIT;
	char b1[64];
	if (!format)
		format = "md";
	if (strcmp(format, "md") && strcmp(format, "html"))
		return -1;
	d.f = !strcmp(format, "html") ? F_HTML : F_MD;
	d.out = out;
	d.ncols = 0;
	analyse(in, &an);
	sb_init(&chart);
	sb_init(&sb);
	svg_chart(in, &an, &chart);
	if (d.f == F_HTML) {
		sb_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			"<title>");
		sb_addf(&sb, "Review of incident %" PRId64 ": %s", in->id, in->title ? in->title : "");
		add_html(out, sb.buf);
		sb_addf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", html_style);
	}
	review_header(in, &an, &d);
	review_figures(in, &an, &d);
	doc_h(&d, 2, "Level over time");
	if (d.f == F_HTML) {
		sb_adds(out, chart.buf);
	} else {
		sb_reset(&sb);
		report_svg_name(in->id, &sb);
		sb_addf(out, "![Level over time](%s)\n\n", sb.buf);
	}
	sb_reset(&sb);
	chart_text(in, &an, 72, &sb);
	if (d.f == F_HTML) {
		sb_adds(out, "<pre>");
		add_html(out, sb.buf);
		sb_adds(out, "</pre>\n");
	} else {
		sb_addf(out, "```\n%s```\n", sb.buf);
	}
	review_changes(in, &an, &d);
	review_obligations(in, &an, &d);
	review_refusals(in, &an, &d);
	review_sections(in, &an, &d);
	review_activity(in, &an, &d);
	doc_h(&d, 2, "Journal");
	sb_reset(&sb);
	if (d.f == F_HTML) {
		sb_adds(out, "<p>");
		if (an.term_at < 0)
			sb_addf(out, "Rendered as of %s. ", fmt_utc(in->at, b1, sizeof(b1)));
		sb_addf(out, "Journal head: <code>%s</code></p>\n", in->head);
		sb_adds(out, "</body>\n</html>\n");
	} else {
		if (an.term_at < 0)
			sb_addf(out, "Rendered as of %s. ", fmt_utc(in->at, b1, sizeof(b1)));
		sb_addf(out, "Journal head: `%s`\n", in->head);
	}
	if (svg)
		sb_add(svg, chart.buf, chart.len);
	sb_release(&chart);
	sb_release(&sb);
	an_release(&an);
	return 0;
}

/* ------------------------------------------------------------------ */
/* briefing */

static void brief_h(struct strbuf *out, const char *title)
{
	sb_addf(out, "\n%s\n", title);
	for (size_t i = 0; i < strlen(title); i++)
		sb_addc(out, '-');
	sb_addc(out, '\n');
}

void report_brief(const struct report_input *in, struct strbuf *out)
{
	struct analysis an;
	const struct plan *p = in->plan;
	const struct engine_state *st = in->final;
	char b1[64], b2[64], b3[32];
	size_t i, k;
	int n;
	analyse(in, &an);
	sb_addf(out, "INCIDENT BRIEFING (ICS 201)  incident %" PRId64 ": ", in->id);
	sb_add_escaped(out, in->title ? in->title : "");
	sb_addc(out, '\n');
	if (in->drill)
		sb_adds(out, "*** DRILL: this incident is an exercise ***\n");
	sb_addf(out, "plan %s", p ? p->id : "?");
	if (p && p->title) {
		sb_adds(out, ": ");
		sb_add_escaped(out, p->title);
	}
	sb_addf(out, "\nas of %s local (%s)\n", fmt_local(in->at, b1, sizeof(b1)),
		fmt_utc(in->at, b2, sizeof(b2)));

	brief_h(out, "1. Situation");
	sb_addf(out, "opened %s local, %s ago; state ", fmt_local(an.open_at, b1, sizeof(b1)),
		fmt_dur(an.end_at - an.open_at, b3, sizeof(b3)));
	if (st)
		level_text(in, st->level, st->warning, st->phase, out);
	sb_addc(out, '\n');
	if (an.term_at >= 0)
		sb_addf(out, "terminated %s local\n", fmt_local(an.term_at, b1, sizeof(b1)));
	if (st && p) {
		for (i = 0; i < p->nmetrics && i < st->nmetrics; i++) {
			const struct engine_metric_state *m = &st->metrics[i];
			if (!m->has_value)
				continue;
			sb_adds(out, "  ");
			sb_add_padded(out, p->metrics[i].id, 18);
			sb_addf(out, " %g%s", m->value, p->metrics[i].unit ? p->metrics[i].unit : "");
			if (p->metrics[i].has_normal)
				sb_addf(out, " (normal %g)", p->metrics[i].normal);
			sb_addf(out, " at %s\n", fmt_local(m->at, b1, sizeof(b1)));
		}
		for (i = 0; i < p->ntriggers && i < st->ntriggers; i++)
			if (st->triggers[i].firing) {
				sb_addf(out, "  trigger %s firing since %s", p->triggers[i].id,
					fmt_local(st->triggers[i].fired_at, b1, sizeof(b1)));
				if (p->triggers[i].title) {
					sb_adds(out, ": ");
					sb_add_escaped(out, p->triggers[i].title);
				}
				sb_addc(out, '\n');
			}
	}
	for (i = in->nitems; i-- > 0;) { /* the latest situation note */
		const struct report_item *it = &in->items[i];
		if (is_kind(it, "log") && !it->refused) {
			sb_addf(out, "  latest note (%s, %s): ", it->actor,
				fmt_local(it->occurred_at, b1, sizeof(b1)));
			sb_add_escaped(out, it->text ? it->text : it->summary);
			sb_addc(out, '\n');
			break;
		}
	}

	brief_h(out, "2. Level and why");
	if (st && st->level >= 0 && p) {
		const struct plan_level *l = &p->levels[st->level];
		sb_addf(out, "level %s", l->id);
		if (l->name) {
			sb_adds(out, " (");
			sb_add_escaped(out, l->name);
			sb_addc(out, ')');
		}
		sb_addf(out, " since %s local\n", fmt_local(st->level_since, b1, sizeof(b1)));
		if (an.nch) {
			const struct change *c = &an.ch[an.nch - 1];
			sb_addf(out, "  set by %s: ", c->it && *c->it->actor ? c->it->actor : "(automatic)");
			sb_add_escaped(out, c->it && c->it->text ? c->it->text : "-");
			if (*c->answered)
				sb_addf(out, " (answering proposal %s)", c->answered);
			sb_addc(out, '\n');
		}
	} else {
		sb_adds(out, "no response level\n");
	}
	if (st && st->warning >= 0)
		sb_addf(out, "%s warning since %s local\n", nz(warning_id(in, st->warning), "?"),
			fmt_local(st->warning_since, b1, sizeof(b1)));
	for (i = 0; st && i < st->nproposals; i++)
		sb_addf(out, "  pending proposal: level %s (rule %s) since %s local\n",
			nz(level_id(in, st->proposals[i].level), "?"), st->proposals[i].rule,
			fmt_local(st->proposals[i].at, b1, sizeof(b1)));

	brief_h(out, "3. Objectives");
	if (st && p && st->phase != PHASE_TERMINATED) {
		if (st->phase == PHASE_WARNING && p->nlift) {
			sb_adds(out, "to lift the warning:\n");
			for (k = 0; k < p->nlift; k++) {
				int c = p->lift[k];
				sb_addf(out, "  [%s] %s: ", engine_criterion_met(st, p, c) ? "x" : " ",
					p->criteria[c].id);
				sb_add_escaped(out, nz(p->criteria[c].title, ""));
				sb_addc(out, '\n');
			}
		}
		sb_adds(out, "to terminate:\n");
		for (k = 0; k < p->ntermination; k++) {
			int c = p->termination[k];
			sb_addf(out, "  [%s] %s: ", engine_criterion_met(st, p, c) ? "x" : " ",
				p->criteria[c].id);
			sb_add_escaped(out, nz(p->criteria[c].title, ""));
			sb_addc(out, '\n');
		}
	} else {
		sb_adds(out, "none: the incident is over\n");
	}

	brief_h(out, "4. Actions taken");
	n = 0;
	for (i = 0; i < in->nitems; i++) {
		const struct report_item *it = &in->items[i];
		if (!it->entry_id || it->refused || is_kind(it, "metric") || is_kind(it, "export"))
			continue;
		sb_addf(out, "  %s  %s  ", fmt_local(it->occurred_at, b1, sizeof(b1)),
			fmt_tplus(it->occurred_at - an.open_at, b3, sizeof(b3)));
		sb_add_padded(out, it->actor, 12);
		sb_adds(out, "  ");
		sb_add_escaped(out, it->summary);
		sb_addc(out, '\n');
		n++;
	}
	if (an.readings)
		sb_addf(out, "  (and %d metric reading%s)\n", an.readings, an.readings == 1 ? "" : "s");
	else if (!n)
		sb_adds(out, "  none\n");

	brief_h(out, "5. Open obligations");
	n = 0;
	for (i = 0; st && i < st->nobls; i++) {
		const struct engine_obligation *o = &st->obls[i];
		struct strbuf t = STRBUF_INIT;
		if (o->status != OBL_OPEN)
			continue;
		sb_init(&t);
		obl_title(in, o, &t);
		sb_addf(out, "  %s %-20s due %s local (%s)", o->due < in->at ? "OVERDUE" : "       ",
			obl_id(in, o), fmt_local(o->due, b1, sizeof(b1)), obl_owner(in, o));
		sb_adds(out, ": ");
		sb_add_escaped(out, t.buf);
		sb_addc(out, '\n');
		sb_release(&t);
		n++;
	}
	if (!n)
		sb_adds(out, "  none\n");

	brief_h(out, "6. Organisation");
	sb_addf(out, "  commander: %s\n", st ? nz(st->commander, "-") : "-");
	for (i = 0; p && i < p->nroles; i++) {
		const struct plan_role *r = &p->roles[i];
		sb_adds(out, "  ");
		sb_add_padded(out, r->id, 18);
		sb_addc(out, ' ');
		sb_add_escaped(out, nz(r->name, ""));
		if (p->nroster) {
			int first = 1;
			sb_adds(out, ": ");
			for (k = 0; k < p->nroster; k++) {
				size_t m;
				for (m = 0; m < p->roster[k].nroles; m++)
					if (p->roster[k].roles[m] == (int)i) {
						sb_addf(out, "%s%s", first ? "" : ", ", p->roster[k].user);
						first = 0;
					}
			}
			if (first)
				sb_adds(out, "(nobody)");
		}
		sb_addc(out, '\n');
	}
	if (p && !p->nroster)
		sb_adds(out, "  (no roster: every user holds every role)\n");
	for (i = 0; p && i < p->ngroups; i++) {
		const struct plan_group *g = &p->groups[i];
		sb_adds(out, "  group ");
		sb_add_escaped(out, nz(g->name, g->id));
		if (g->lead) {
			sb_adds(out, ", lead ");
			sb_add_escaped(out, g->lead);
		}
		sb_addc(out, '\n');
	}

	brief_h(out, "7. Resources");
	for (i = 0; p && i < p->nresources; i++) {
		const struct plan_resource *r = &p->resources[i];
		sb_addf(out, "  %4" PRId64 " x ", r->count);
		sb_add_escaped(out, nz(r->item, "?"));
		if (r->location) {
			sb_adds(out, ", ");
			sb_add_escaped(out, r->location);
		}
		if (r->owner) {
			sb_adds(out, " (");
			sb_add_escaped(out, r->owner);
			sb_addc(out, ')');
		}
		sb_addc(out, '\n');
	}
	if (!p || !p->nresources)
		sb_adds(out, "  none listed in the plan\n");
	for (i = 0; p && i < p->nchannels; i++) {
		const struct plan_channel *c = &p->channels[i];
		sb_adds(out, "  channel ");
		sb_add_escaped(out, nz(c->name, c->id));
		if (c->audience) {
			sb_adds(out, " to ");
			sb_add_escaped(out, c->audience);
		}
		if (c->every)
			sb_addf(out, " every %s", dur_format(c->every, b3, sizeof(b3)));
		sb_addc(out, '\n');
	}
	sb_addf(out, "\njournal head %s\n", in->head);
	an_release(&an);
}

/* ------------------------------------------------------------------ */
/* statistics */

void report_stats_row_fill(struct report_stats_row *row, const struct report_input *in)
{
	struct analysis an;
	struct strbuf sb = STRBUF_INIT, sec = STRBUF_INIT;
	const char **who;
	size_t n, i, k;
	char b[64], b2[32];
	memset(row, 0, sizeof(*row));
	analyse(in, &an);
	row->plan_id = xstrdup(in->plan ? in->plan->id : "?");
	row->plan_title = xstrdup(in->plan ? in->plan->title : NULL);
	row->incident = in->id;
	row->drill = in->drill;
	row->f = an.f;
	row->title = xstrdup(in->title ? in->title : "");
	row->opened_at = an.open_at;
	row->peak_level_id = xstrdup(level_id(in, an.f.peak_level));
	sb_init(&sb);
	sb_init(&sec);
	who = actors(in, &n);
	for (i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", who[i]);
	free(who);
	row->participants = sb_detach(&sb);
	sb_init(&sb);
	for (i = 0; i < in->nitems; i++) {
		const struct report_item *it = &in->items[i];
		if (it->refused) {
			sb_addf(&sb, "refused at %s: %s", fmt_tplus(it->occurred_at - an.open_at, b2,
								    sizeof(b2)), it->actor);
			if (*it->rule)
				sb_addf(&sb, " (rule %s)", it->rule);
			sb_adds(&sb, ": ");
			sb_add_escaped(&sb, it->summary);
			sb_addc(&sb, '\n');
		} else if (is_kind(it, "note-review")) {
			int s = note_section(it, &sec);
			sb_addf(&sb, "review note [%s] by %s: ", s >= 0 ? report_section_ids[s] : sec.buf,
				it->actor);
			sb_add_escaped(&sb, it->text ? it->text : it->summary);
			sb_addc(&sb, '\n');
		}
	}
	for (k = 0; in->final && k < in->final->nobls; k++) {
		const struct engine_obligation *o = &in->final->obls[k];
		int late = o->status == OBL_DONE && o->closed_at > o->due;
		int missed = (o->status == OBL_CANCELLED && o->closed_at > o->due) ||
			     (o->status == OBL_OPEN && o->due < an.end_at);
		struct strbuf v = STRBUF_INIT;
		if (!late && !missed)
			continue;
		sb_init(&v);
		obl_status(in, &an, o, &v);
		sb_addf(&sb, "obligation %s due %s: %s\n", obl_id(in, o),
			fmt_tplus(o->due - an.open_at, b, sizeof(b)), v.buf);
		sb_release(&v);
	}
	row->problems = sb_detach(&sb);
	sb_release(&sec);
	an_release(&an);
}

void report_stats_row_release(struct report_stats_row *row)
{
	free(row->plan_id);
	free(row->plan_title);
	free(row->title);
	free(row->peak_level_id);
	free(row->participants);
	free(row->problems);
	memset(row, 0, sizeof(*row));
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The rows' order for display: by plan id, then incident id. */
static const struct report_stats_row *g_rows;
static int cmp_row(const void *a, const void *b)
{
	const struct report_stats_row *x = &g_rows[*(const size_t *)a];
	const struct report_stats_row *y = &g_rows[*(const size_t *)b];
	int c = strcmp(x->plan_id ? x->plan_id : "", y->plan_id ? y->plan_id : "");
	if (c)
		return c;
	return x->incident < y->incident ? -1 : x->incident > y->incident;
}

enum stat_kind { ST_DUR, ST_COUNT };
struct stat_def {
	const char *name;
	enum stat_kind kind;
	size_t off;
};

static int64_t stat_value(const struct report_figures *f, const struct stat_def *s)
{
	const char *p = (const char *)f + s->off;
	if (s->kind == ST_DUR)
		return *(const int64_t *)(const void *)p;
	return *(const int *)(const void *)p;
}

static void stat_fmt(enum stat_kind k, double v, char *buf, size_t n)
{
	if (k == ST_DUR) {
		char t[32];
		dur_format((int64_t)(v + 0.5), t, sizeof(t));
		snprintf(buf, n, "%s", t);
	} else {
		snprintf(buf, n, "%.1f", v);
	}
}

static void stats_plan(const struct report_stats_row *rows, const size_t *idx, size_t n,
		       struct strbuf *out)
{
#define SD(name, kind, field) { name, kind, offsetof(struct report_figures, field) }
	static const struct stat_def defs[] = {
		SD("time to acknowledge", ST_DUR, to_ack),
		SD("time to first response level", ST_DUR, to_first_level),
		SD("time to mitigation", ST_DUR, to_mitigation),
		SD("time to termination", ST_DUR, to_termination),
		SD("escalations", ST_COUNT, escalations),
		SD("downgrades", ST_COUNT, downgrades),
		SD("refusals", ST_COUNT, refusals),
		SD("obligations kept on time", ST_COUNT, obl_on_time),
		SD("obligations late", ST_COUNT, obl_late),
		SD("obligations missed", ST_COUNT, obl_missed),
	};
#undef SD
	int64_t *v = xcalloc(n + 1, sizeof(*v));
	size_t d, i, m;
	char b1[32], b2[32];
	const char *peak_ids[64];
	int peak_counts[64];
	size_t npeak = 0;
	sb_adds(out, "  ");
	sb_add_padded(out, "figure", 32);
	sb_adds(out, "     n  mean       median\n");
	for (d = 0; d < sizeof(defs) / sizeof(defs[0]); d++) {
		double sum = 0, med;
		m = 0;
		for (i = 0; i < n; i++) {
			int64_t x = stat_value(&rows[idx[i]].f, &defs[d]);
			if (defs[d].kind == ST_DUR && x < 0)
				continue; /* n/a: not reached */
			v[m++] = x;
			sum += (double)x;
		}
		sb_adds(out, "  ");
		sb_add_padded(out, defs[d].name, 32);
		sb_addf(out, " %5zu", m);
		if (!m) {
			sb_adds(out, "  -          -\n");
			continue;
		}
		qsort(v, m, sizeof(*v), cmp_i64);
		med = m % 2 ? (double)v[m / 2] : ((double)v[m / 2 - 1] + (double)v[m / 2]) / 2;
		stat_fmt(defs[d].kind, sum / (double)m, b1, sizeof(b1));
		stat_fmt(defs[d].kind, med, b2, sizeof(b2));
		sb_adds(out, "  ");
		sb_add_padded(out, b1, 10);
		sb_addf(out, " %s\n", b2);
	}
	/* peak level: a distribution rather than a mean */
	for (i = 0; i < n; i++) {
		const char *id = rows[idx[i]].peak_level_id;
		size_t k;
		if (!id)
			id = rows[idx[i]].f.peak_level < 0 ? "none" : "?";
		for (k = 0; k < npeak; k++)
			if (!strcmp(peak_ids[k], id))
				break;
		if (k == npeak && npeak < 64) {
			peak_ids[npeak] = id;
			peak_counts[npeak++] = 0;
		}
		if (k < npeak)
			peak_counts[k]++;
	}
	sb_adds(out, "  ");
	sb_add_padded(out, "peak level", 32);
	sb_adds(out, "       ");
	for (i = 0; i < npeak; i++)
		sb_addf(out, "%s%s x%d", i ? ", " : "", peak_ids[i], peak_counts[i]);
	sb_addc(out, '\n');
	free(v);
}

void report_stats(const struct report_stats_row *rows, size_t n, int drills, struct strbuf *out)
{
	size_t *idx = xcalloc(n + 1, sizeof(*idx));
	size_t i, m = 0, start;
	char b[64];
	for (i = 0; i < n; i++)
		if (!rows[i].drill == !drills)
			idx[m++] = i;
	g_rows = rows;
	qsort(idx, m, sizeof(*idx), cmp_row);
	g_rows = NULL;
	if (!drills) {
		sb_adds(out, "Figures across incidents (drills excluded; definitions in docs/review.md)\n");
		if (!m)
			sb_adds(out, "\nno incidents\n");
		for (start = 0; start < m;) {
			size_t end = start;
			const struct report_stats_row *r = &rows[idx[start]];
			while (end < m && !strcmp(rows[idx[end]].plan_id ? rows[idx[end]].plan_id : "",
						  r->plan_id ? r->plan_id : ""))
				end++;
			sb_addf(out, "\nplan %s", r->plan_id ? r->plan_id : "?");
			if (r->plan_title) {
				sb_adds(out, ": ");
				sb_add_escaped(out, r->plan_title);
			}
			sb_addf(out, "  (%zu incident%s)\n", end - start, end - start == 1 ? "" : "s");
			stats_plan(rows, idx + start, end - start, out);
			start = end;
		}
	} else {
		sb_adds(out, "Drills (exercises only; source 003 asks for participants, course and problems found)\n");
		if (!m)
			sb_adds(out, "\nno drills\n");
		for (i = 0; i < m; i++) {
			const struct report_stats_row *r = &rows[idx[i]];
			char t[32];
			sb_addf(out, "\nincident %" PRId64 " (%s): ", r->incident, r->plan_id ? r->plan_id : "?");
			sb_add_escaped(out, r->title ? r->title : "");
			sb_addc(out, '\n');
			if (r->opened_at)
				sb_addf(out, "  opened       %s local\n", fmt_local(r->opened_at, b, sizeof(b)));
			sb_addf(out, "  course       peak level %s, %d escalation%s, %d downgrade%s, ",
				r->peak_level_id ? r->peak_level_id : (r->f.peak_level < 0 ? "none" : "?"),
				r->f.escalations, r->f.escalations == 1 ? "" : "s",
				r->f.downgrades, r->f.downgrades == 1 ? "" : "s");
			sb_addf(out, "terminated after %s\n", fmt_dur(r->f.to_termination, t, sizeof(t)));
			sb_addf(out, "  participants %s\n", r->participants && *r->participants
				? r->participants : "-");
			sb_addf(out, "  obligations  %d on time, %d late, %d missed; %d refusal%s\n",
				r->f.obl_on_time, r->f.obl_late, r->f.obl_missed, r->f.refusals,
				r->f.refusals == 1 ? "" : "s");
			if (r->problems && *r->problems) {
				const char *p = r->problems;
				sb_adds(out, "  problems found:\n");
				while (*p) {
					const char *nl = strchr(p, '\n');
					size_t len = nl ? (size_t)(nl - p) : strlen(p);
					sb_adds(out, "    - ");
					sb_add(out, p, len);
					sb_addc(out, '\n');
					p += len + (nl ? 1 : 0);
				}
			} else {
				sb_adds(out, "  problems found: none recorded\n");
			}
		}
	}
	free(idx);
}
