/* plan_describe: a loaded plan in readable form (`sitrep plan show`).
 * Headings and words are English msgids shown through _(); ids, events and
 * conditions are the plan's own syntax and never translated. User text goes
 * through text.h: measured with its display width (CJK two columns) and
 * escaped, never written raw. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/i18n.h"
#include "sitrep/plan.h"
#include "sitrep/text.h"

/* A small table: rows of cells, printed with columns aligned by display
 * width, the last cell of a row unpadded. */
#define TAB_COLS 6
struct table {
	char **cells;        /* nrows * TAB_COLS, owned (NULL = empty) */
	size_t nrows, alloc;
};

static void tab_row(struct table *t, const char *c0, const char *c1, const char *c2,
		    const char *c3, const char *c4, const char *c5)
{
	const char *c[TAB_COLS];
	size_t i;
	c[0] = c0, c[1] = c1, c[2] = c2, c[3] = c3, c[4] = c4, c[5] = c5;
	t->cells = xgrow(t->cells, sizeof *t->cells, (t->nrows + 1) * TAB_COLS, &t->alloc);
	for (i = 0; i < TAB_COLS; i++)
		t->cells[t->nrows * TAB_COLS + i] = xstrdup(c[i]);
	t->nrows++;
}

static int cell_set(const char *s)
{
	return s && *s;
}

/* Print and empty the table. */
static void tab_print(struct table *t, struct strbuf *out, const char *indent)
{
	int w[TAB_COLS] = { 0 };
	size_t r, c;
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < TAB_COLS; c++) {
			const char *s = t->cells[r * TAB_COLS + c];
			if (cell_set(s) && tx_width(s) > w[c])
				w[c] = tx_width(s);
		}
	for (r = 0; r < t->nrows; r++) {
		char **row = &t->cells[r * TAB_COLS];
		size_t end = 0;
		for (c = 0; c < TAB_COLS; c++)
			if (cell_set(row[c]))
				end = c;
		sb_adds(out, indent);
		for (c = 0; c <= end; c++) {
			if (!w[c])
				continue;
			if (c == end) {
				tx_escape(out, row[c] ? row[c] : "", 0);
			} else {
				tx_fit(out, row[c] ? row[c] : "", w[c]);
				sb_adds(out, "  ");
			}
		}
		sb_addc(out, '\n');
	}
	for (r = 0; r < t->nrows * TAB_COLS; r++)
		free(t->cells[r]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = t->alloc = 0;
}

static const char *nz(const char *s) { return s ? s : ""; }

static void heading(struct strbuf *out, const char *text)
{
	sb_addc(out, '\n');
	sb_adds(out, text);
	sb_addc(out, '\n');
}

static void cond_text(const struct plan *p, const struct plan_cond *c, struct strbuf *sb)
{
	const char *m = plan_metric_id(p, c->metric);
	sb_addf(sb, "%s %s %g", m ? m : "?", plan_cmp_name(c->op), c->value);
}

/* An event or a state, as the plan writes it. */
static void anchor_text(const struct plan *p, const struct plan_anchor *a, struct strbuf *sb)
{
	switch (a->kind) {
	case ANCHOR_OPEN: sb_adds(sb, "open"); break;
	case ANCHOR_WARNING: sb_adds(sb, "warning"); break;
	case ANCHOR_WARNING_ID: sb_addf(sb, "warning:%s", nz(plan_warning_id(p, a->ref))); break;
	case ANCHOR_RESPONSE: sb_adds(sb, "response"); break;
	case ANCHOR_LEVEL:
		if (a->ref < 0)
			sb_adds(sb, "level");
		else
			sb_addf(sb, "level:%s", nz(plan_level_id(p, a->ref)));
		break;
	case ANCHOR_PROPOSAL: sb_adds(sb, "proposal"); break;
	case ANCHOR_DONE: sb_addf(sb, "done:%s", nz(plan_obligation_id(p, a->ref))); break;
	case ANCHOR_LIFT: sb_adds(sb, "lift"); break;
	case ANCHOR_TERMINATE: sb_adds(sb, "terminate"); break;
	case ANCHOR_TRIGGER: sb_addf(sb, "trigger:%s", nz(plan_trigger_id(p, a->ref))); break;
	}
}

static void anchors_text(const struct plan *p, const struct plan_anchor *a, size_t n,
			 struct strbuf *sb)
{
	size_t j;
	for (j = 0; j < n; j++) {
		if (j)
			sb_addc(sb, '|');
		anchor_text(p, &a[j], sb);
	}
}

/* "within 5m of open", "every 30m while response", ", met by ..." */
static void timing_text(const struct plan *p, const struct plan_obligation *o,
			struct strbuf *sb)
{
	char d[32];
	if (o->is_cadence) {
		sb_addf(sb, _("every %s while"), dur_format(o->every, d, sizeof d));
		sb_addc(sb, ' ');
		anchors_text(p, o->during, o->nduring, sb);
	} else {
		sb_addf(sb, _("within %s of"), dur_format(o->within, d, sizeof d));
		sb_addc(sb, ' ');
		anchor_text(p, &o->anchor, sb);
		if (o->repeat)
			sb_addf(sb, " (%s)", _("each time"));
	}
	if (o->nmet_by) {
		sb_addf(sb, ", %s ", _("met by"));
		anchors_text(p, o->met_by, o->nmet_by, sb);
	}
}

static void ids_text(const char *const *v, size_t n, struct strbuf *sb)
{
	size_t j;
	for (j = 0; j < n; j++)
		sb_addf(sb, "%s%s", j ? ", " : "", v[j]);
}

/* ------------------------------------------------------------------ */
/* Sections                                                            */

static void describe_head(const struct plan *p, struct strbuf *out)
{
	sb_addf(out, "%s  ", nz(p->id));
	tx_escape(out, nz(p->title), 0);
	sb_addc(out, '\n');
	if (p->original_title) {
		sb_adds(out, "  ");
		tx_escape(out, p->original_title, 0);
		sb_addc(out, '\n');
	}
	if (p->source) {
		sb_addf(out, "  %s: ", _("source"));
		tx_escape(out, p->source, 0);
		sb_addc(out, '\n');
	}
	if (p->path) {
		sb_addf(out, "  %s: ", _("file"));
		tx_escape(out, p->path, 0);
		sb_addc(out, '\n');
	}
	sb_addf(out, "  sha256: %s\n", p->hash);
}

static void describe_levels(const struct plan *p, struct strbuf *out)
{
	struct table t = { NULL, 0, 0 };
	struct strbuf tmp = STRBUF_INIT;
	size_t i, j;
	sb_init(&tmp);
	heading(out, _("Levels (least severe first)"));
	for (i = 0; i < p->nlevels; i++) {
		const struct plan_level *l = &p->levels[i];
		sb_reset(&tmp);
		if (l->nactivated_by) {
			sb_addf(&tmp, "%s ", _("activated by"));
			for (j = 0; j < l->nactivated_by; j++)
				sb_addf(&tmp, "%s%s", j ? ", " : "", nz(plan_role_id(p, l->activated_by[j])));
		} else {
			sb_adds(&tmp, _("activated by any role that may escalate"));
		}
		tab_row(&t, l->id, nz(l->name), nz(l->colour), tmp.buf, NULL, NULL);
	}
	tab_print(&t, out, "  ");
	for (i = 0; i < p->nlevels; i++)
		for (j = 0; j < p->levels[i].nconditions; j++) {
			sb_addf(out, "  %s: ", p->levels[i].id);
			tx_escape(out, p->levels[i].conditions[j], 0);
			sb_addc(out, '\n');
		}
	sb_release(&tmp);
}

static void describe_warnings(const struct plan *p, struct strbuf *out)
{
	struct table t = { NULL, 0, 0 };
	struct strbuf tmp = STRBUF_INIT;
	char d[32];
	size_t i;
	if (!p->nwarnings)
		return;
	sb_init(&tmp);
	heading(out, _("Warnings (least severe first)"));
	for (i = 0; i < p->nwarnings; i++) {
		const struct plan_warning *w = &p->warnings[i];
		sb_reset(&tmp);
		if (w->nnotify) {
			sb_addf(&tmp, "%s: ", _("notify"));
			ids_text((const char *const *)w->notify, w->nnotify, &tmp);
		}
		tab_row(&t, w->id, nz(w->name),
			w->max_duration ? dur_format(w->max_duration, d, sizeof d) : _("no cap"),
			tmp.buf, NULL, NULL);
	}
	tab_print(&t, out, "  ");
	sb_release(&tmp);
}

static void describe_metrics(const struct plan *p, struct strbuf *out)
{
	struct table t = { NULL, 0, 0 };
	struct strbuf tmp = STRBUF_INIT;
	char d[32], fresh[64];
	size_t i;
	if (!p->nmetrics)
		return;
	sb_init(&tmp);
	heading(out, _("Metrics"));
	for (i = 0; i < p->nmetrics; i++) {
		const struct plan_metric *m = &p->metrics[i];
		fresh[0] = '\0';
		if (m->stale_after != PLAN_STALE_AFTER)
			snprintf(fresh, sizeof fresh, _("stale after %s"),
				 dur_format(m->stale_after, d, sizeof d));
		sb_reset(&tmp);
		if (m->has_normal)
			sb_addf(&tmp, _("normal %g"), m->normal);
		if (m->normal_text && m->has_normal)
			sb_addf(&tmp, " = %s", m->normal_text);
		else if (m->normal_text)
			sb_addf(&tmp, "%s: %s", _("normal"), m->normal_text);
		tab_row(&t, m->id, nz(m->name), nz(m->unit), fresh, tmp.buf, NULL);
	}
	tab_print(&t, out, "  ");
	sb_release(&tmp);
}

static void describe_triggers(const struct plan *p, struct strbuf *out)
{
	struct table t = { NULL, 0, 0 };
	struct strbuf cond = STRBUF_INIT, act = STRBUF_INIT;
	char d1[32], d2[48];
	size_t i;
	if (!p->ntriggers)
		return;
	sb_init(&cond);
	sb_init(&act);
	heading(out, _("Triggers"));
	for (i = 0; i < p->ntriggers; i++) {
		const struct plan_trigger *tr = &p->triggers[i];
		sb_reset(&cond);
		sb_reset(&act);
		cond_text(p, &tr->cond, &cond);
		if (tr->raise_warning >= 0)
			sb_addf(&act, _("raise %s"), nz(plan_warning_id(p, tr->raise_warning)));
		if (tr->propose_level >= 0) {
			if (act.len)
				sb_adds(&act, ", ");
			sb_addf(&act, _("propose %s"), nz(plan_level_id(p, tr->propose_level)));
		}
		d2[0] = '\0';
		if (tr->has_clear)
			snprintf(d2, sizeof d2, _("clear %g"), tr->clear_value);
		tab_row(&t, tr->id, cond.buf,
			tr->for_secs ? dur_format(tr->for_secs, d1, sizeof d1) : _("at once"), d2,
			act.buf, nz(tr->title));
	}
	tab_print(&t, out, "  ");
	sb_release(&cond);
	sb_release(&act);
}

/* "scope=national|multi_region recovery=24h" */
static void rule_text(const struct plan_matrix *mx, const struct plan_matrix_rule *r,
		      struct strbuf *sb)
{
	size_t d, j;
	for (d = 0; d < mx->ndims; d++) {
		int first = 1;
		if (!r->allowed[d])
			continue;
		sb_addf(sb, "%s%s=", sb->len ? " " : "", mx->dims[d].id);
		for (j = 0; j < mx->dims[d].nvalues; j++)
			if (r->allowed[d] & (1u << j)) {
				sb_addf(sb, "%s%s", first ? "" : "|", mx->dims[d].values[j]);
				first = 0;
			}
	}
}

static void describe_matrix(const struct plan *p, struct strbuf *out)
{
	const struct plan_matrix *mx = &p->matrix;
	struct table t = { NULL, 0, 0 };
	struct strbuf tmp = STRBUF_INIT;
	char num[32];
	size_t i, j;
	if (!mx->ndims)
		return;
	sb_init(&tmp);
	heading(out, _("Level decision matrix (first matching rule wins)"));
	for (i = 0; i < mx->ndims; i++) {
		const struct plan_dimension *dim = &mx->dims[i];
		sb_reset(&tmp);
		for (j = 0; j < dim->nvalues; j++) {
			sb_addf(&tmp, "%s%s", j ? " | " : "", dim->values[j]);
			if (dim->labels && dim->labels[j] && strcmp(dim->labels[j], dim->values[j]))
				sb_addf(&tmp, _(" (%s)"), dim->labels[j]);
		}
		if (dim->naliases)
			sb_addf(&tmp, "  (%s ", _("also"));
		for (j = 0; j < dim->naliases; j++)
			sb_addf(&tmp, "%s%s=%s", j ? ", " : "", dim->alias_names[j],
				dim->values[dim->alias_values[j]]);
		if (dim->naliases)
			sb_addc(&tmp, ')');
		tab_row(&t, dim->id, nz(dim->name), tmp.buf, NULL, NULL, NULL);
	}
	tab_print(&t, out, "  ");
	for (i = 0; i < mx->nrules; i++) {
		const struct plan_matrix_rule *r = &mx->rules[i];
		const char *lv = plan_level_id(p, r->level);
		sb_reset(&tmp);
		rule_text(mx, r, &tmp);
		snprintf(num, sizeof num, "%zu.", i + 1);
		tab_row(&t, num, tmp.len ? tmp.buf : _("(any)"), "->", lv ? lv : "?", nz(r->why),
			NULL);
	}
	tab_row(&t, "", _("otherwise"), "->",
		mx->default_level >= 0 ? nz(plan_level_id(p, mx->default_level)) : _("no proposal"),
		NULL, NULL);
	tab_print(&t, out, "  ");
	sb_release(&tmp);
}

static void describe_criteria(const struct plan *p, const int *list, size_t n,
			      const char *title, struct strbuf *out)
{
	static const char *const kinds[] = { "metric", "attest", "resources" };
	struct table t = { NULL, 0, 0 };
	struct strbuf what = STRBUF_INIT;
	char d[32];
	size_t i, j;
	if (!n)
		return;
	sb_init(&what);
	sb_addc(out, '\n');
	sb_addf(out, _("%s (all must hold)"), title);
	sb_addc(out, '\n');
	for (i = 0; i < n; i++) {
		const struct plan_criterion *c = &p->criteria[list[i]];
		sb_reset(&what);
		if (c->kind == CRIT_METRIC) {
			for (j = 0; j < c->nconds; j++) {
				if (j)
					sb_addf(&what, " %s ", _("and"));
				cond_text(p, &c->conds[j], &what);
			}
			if (c->for_secs)
				sb_addf(&what, " %s %s", _("for"), dur_format(c->for_secs, d, sizeof d));
		} else if (c->kind == CRIT_ATTEST) {
			sb_addf(&what, _("attested by %s"),
				c->role >= 0 ? nz(plan_role_id(p, c->role)) : _("any role"));
		} else {
			sb_adds(&what, _("everything deployed is withdrawn"));
		}
		tab_row(&t, c->id, kinds[c->kind], what.buf, nz(c->title), NULL, NULL);
	}
	tab_print(&t, out, "  ");
	sb_release(&what);
}

static void describe_obligations(const struct plan *p, struct strbuf *out)
{
	struct table t = { NULL, 0, 0 };
	struct strbuf tmp = STRBUF_INIT;
	size_t i;
	if (!p->nobligations)
		return;
	sb_init(&tmp);
	heading(out, _("Obligations (deadlines and cadences)"));
	for (i = 0; i < p->nobligations; i++) {
		const struct plan_obligation *o = &p->obligations[i];
		const char *owner = plan_role_id(p, o->owner);
		if (o->notice >= 0)
			continue; /* under Notices */
		sb_reset(&tmp);
		timing_text(p, o, &tmp);
		tab_row(&t, o->id, tmp.buf, owner ? owner : "-", nz(o->title), NULL, NULL);
	}
	tab_print(&t, out, "  ");
	sb_release(&tmp);
}

static void describe_notices(const struct plan *p, struct strbuf *out)
{
	struct table t = { NULL, 0, 0 };
	struct strbuf when = STRBUF_INIT, to = STRBUF_INIT;
	size_t i;
	if (!p->nnotices)
		return;
	sb_init(&when);
	sb_init(&to);
	heading(out, _("Notices (who is told what, by when)"));
	for (i = 0; i < p->nnotices; i++) {
		const struct plan_notice *n = &p->notices[i];
		const struct plan_obligation *o = &p->obligations[n->obligation];
		sb_reset(&when);
		sb_reset(&to);
		timing_text(p, o, &when);
		sb_addf(&to, "%s ", _("to"));
		ids_text((const char *const *)n->to, n->nto, &to);
		if (n->channel)
			sb_addf(&to, " %s %s", _("via"), n->channel);
		if (n->review >= 0)
			sb_addf(&to, ", %s %s", _("reviewed by"), nz(plan_role_id(p, n->review)));
		tab_row(&t, n->id, when.buf, to.buf, nz(n->title), NULL, NULL);
	}
	tab_print(&t, out, "  ");
	sb_release(&when);
	sb_release(&to);
}

static void describe_roles(const struct plan *p, struct strbuf *out)
{
	struct table t = { NULL, 0, 0 };
	struct strbuf tmp = STRBUF_INIT;
	size_t i, j;
	sb_init(&tmp);
	heading(out, _("Roles"));
	for (i = 0; i < p->nroles; i++) {
		const struct plan_role *r = &p->roles[i];
		int a;
		sb_reset(&tmp);
		if (r->actions == (1u << ACT__COUNT) - 1)
			sb_adds(&tmp, _("all actions"));
		else
			for (a = 0; a < ACT__COUNT; a++)
				if (r->actions & (1u << a))
					sb_addf(&tmp, "%s%s", tmp.len ? " " : "", action_name(a));
		tab_row(&t, r->id, nz(r->name), tmp.buf, NULL, NULL, NULL);
	}
	tab_print(&t, out, "  ");
	if (!p->nroster) {
		sb_addf(out, "  %s\n", _("(no roster: every user holds every role)"));
		sb_release(&tmp);
		return;
	}
	heading(out, _("Roster"));
	for (i = 0; i < p->nroster; i++) {
		sb_reset(&tmp);
		for (j = 0; j < p->roster[i].nroles; j++)
			sb_addf(&tmp, "%s%s", j ? ", " : "", nz(plan_role_id(p, p->roster[i].roles[j])));
		tab_row(&t, p->roster[i].user, tmp.buf, NULL, NULL, NULL, NULL);
	}
	tab_print(&t, out, "  ");
	sb_release(&tmp);
}

static void describe_audiences(const struct plan *p, struct strbuf *out)
{
	struct table t = { NULL, 0, 0 };
	if (!p->naudiences)
		return;
	heading(out, _("Audiences"));
	for (size_t i = 0; i < p->naudiences; i++)
		tab_row(&t, p->audience_ids[i], p->audience_names[i], NULL, NULL, NULL, NULL);
	tab_print(&t, out, "  ");
}

static void describe_groups(const struct plan *p, struct strbuf *out)
{
	struct table t = { NULL, 0, 0 };
	struct strbuf tmp = STRBUF_INIT;
	size_t i;
	if (!p->ngroups)
		return;
	sb_init(&tmp);
	heading(out, _("Groups"));
	for (i = 0; i < p->ngroups; i++) {
		const struct plan_group *g = &p->groups[i];
		sb_reset(&tmp);
		if (g->lead)
			sb_addf(&tmp, "%s: %s", _("lead"), g->lead);
		if (g->nmembers) {
			sb_addf(&tmp, "%s%s: ", tmp.len ? "; " : "", _("members"));
			ids_text((const char *const *)g->members, g->nmembers, &tmp);
		}
		tab_row(&t, g->id, nz(g->name), tmp.buf, NULL, NULL, NULL);
	}
	tab_print(&t, out, "  ");
	sb_release(&tmp);
}

static void describe_ledgers(const struct plan *p, struct strbuf *out)
{
	struct table t = { NULL, 0, 0 };
	char d[32];
	size_t i;
	if (p->nresources) {
		heading(out, _("Resources"));
		for (i = 0; i < p->nresources; i++) {
			const struct plan_resource *r = &p->resources[i];
			snprintf(d, sizeof d, "x%lld", (long long)r->count);
			tab_row(&t, r->id, nz(r->item), r->count ? d : "", nz(r->location),
				nz(r->owner), nz(r->renewal));
		}
		tab_print(&t, out, "  ");
	}
	if (p->nchannels) {
		heading(out, _("Channels"));
		for (i = 0; i < p->nchannels; i++) {
			const struct plan_channel *c = &p->channels[i];
			char every[64] = "";
			if (c->every)
				snprintf(every, sizeof every, _("every %s"),
					 dur_format(c->every, d, sizeof d));
			tab_row(&t, c->id, nz(c->name), nz(c->audience), every, nz(c->owner), NULL);
		}
		tab_print(&t, out, "  ");
	}
	if (p->nroutines) {
		heading(out, _("Routines (outside incidents)"));
		for (i = 0; i < p->nroutines; i++) {
			const struct plan_routine *u = &p->routines[i];
			char every[64];
			snprintf(every, sizeof every, _("every %s"), dur_format(u->every, d, sizeof d));
			tab_row(&t, u->id, every, nz(u->owner), nz(u->title), NULL, NULL);
		}
		tab_print(&t, out, "  ");
	}
}

void plan_describe(const struct plan *p, struct strbuf *out)
{
	describe_head(p, out);
	describe_levels(p, out);
	describe_warnings(p, out);
	describe_metrics(p, out);
	describe_triggers(p, out);
	describe_matrix(p, out);
	describe_criteria(p, p->lift, p->nlift, _("Lift criteria"), out);
	describe_criteria(p, p->termination, p->ntermination, _("Termination criteria"), out);
	describe_obligations(p, out);
	describe_notices(p, out);
	describe_roles(p, out);
	describe_groups(p, out);
	describe_audiences(p, out);
	describe_ledgers(p, out);
}
