/* report: an incident now. `status` (text and the DESIGN.md JSON), the
 * incident list, the ICS-201 brief, the notices and the tasks across
 * incidents. Each draws a view; tables align by display width (CJK two
 * columns) and clip a long cell with "…", never mid-character. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report_int.h"

#define LABEL 12     /* the label column of the status and the brief */

static const char *nz(const char *s, const char *def)
{
	return s && *s ? s : def;
}

/* "  label      " : a label padded to the label column. */
static void label(struct strbuf *sb, const char *text)
{
	sb_adds(sb, "  ");
	rp_pad(sb, text, LABEL);
	sb_addc(sb, ' ');
}

static void heading(struct strbuf *sb, const char *text)
{
	sb_addc(sb, '\n');
	tx_escape(sb, text, 0);
	sb_addc(sb, '\n');
}

static const char *kind_text(int k)
{
	static const char *const text[] = { N_("obligation"), N_("task"), N_("follow-up") };
	return k >= 0 && k < OBLK__COUNT ? _(text[k]) : "?";
}

static const char *notice_state_text(int s)
{
	static const char *const text[] = { N_("not yet"), N_("due"), N_("sent"), N_("failed"),
					    N_("unknown") };
	return s >= 0 && s < NOTICE__COUNT ? _(text[s]) : "?";
}

/* ---- pieces shared by status and brief ---- */

static void level_line(struct strbuf *sb, const struct view_incident *v)
{
	char b[RP_TBUF], c[RP_TBUF];
	label(sb, _("state"));
	sb_adds(sb, phase_text(v->phase));
	if (v->phase == PHASE_RESPONSE && v->level.id) {
		/* TRANSLATORS: between the clauses of a phrase ("response, level II") */
		sb_adds(sb, i18n_pgettext("clause", NC_("clause", ", ")));
		sb_addf(sb, _("level %s"), v->level.id);
		if (v->level.name && strcmp(v->level.name, v->level.id)) {
			sb_adds(sb, _(": "));
			tx_escape(sb, v->level.name, 0);
		}
		if (v->level_since)
			sb_addf(sb, _("; since %s (%s ago)"), rp_local(v->level_since, b),
				rp_clock(v->at - v->level_since, c));
	}
	sb_addc(sb, '\n');
	if (v->warning) {
		label(sb, _("warning"));
		tx_escape(sb, v->warning, 0);
		if (v->warning_name && strcmp(v->warning_name, v->warning)) {
			sb_adds(sb, _(": "));
			tx_escape(sb, v->warning_name, 0);
		}
		if (v->warning_since)
			sb_addf(sb, _("; since %s (%s ago)"), rp_local(v->warning_since, b),
				rp_clock(v->at - v->warning_since, c));
		sb_addc(sb, '\n');
	}
}

static void metric_lines(struct strbuf *sb, const struct view_incident *v)
{
	char b[RP_TBUF];
	int any = 0, uw = 1;
	/* the units' column as wide as the widest shown ("% of daily average"
	 * was cut to "% o…"), within reason */
	for (size_t i = 0; i < v->nmetrics; i++)
		if (v->metrics[i].has_value && tx_width(nz(v->metrics[i].unit, "")) > uw)
			uw = tx_width(nz(v->metrics[i].unit, ""));
	if (uw > 24)
		uw = 24;
	for (size_t i = 0; i < v->nmetrics; i++) {
		const struct view_metric *m = &v->metrics[i];
		if (!m->has_value)
			continue;
		if (!any++)
			heading(sb, _("readings"));
		sb_adds(sb, "  ");
		tx_fit(sb, m->id, 20);
		sb_addf(sb, " %12.15g", m->value);
		sb_addc(sb, ' ');
		tx_fit(sb, nz(m->unit, ""), uw);
		sb_addf(sb, _("  age %s"), rp_clock(m->age, b));
		if (m->stale) {
			sb_adds(sb, "  ");
			sb_adds(sb, _("STALE"));
		}
		if (m->name && strcmp(m->name, m->id)) {
			sb_adds(sb, "  ");
			tx_escape(sb, m->name, 0);
		}
		sb_addc(sb, '\n');
		for (size_t k = 0; k < m->ntriggers; k++) {
			const struct view_trigger *t = &m->triggers[k];
			if (!t->firing)
				continue;
			sb_adds(sb, "      ");
			sb_addf(sb, _("trigger %s firing"), t->id);
			if (t->held >= 0)
				sb_addf(sb, _(" for %s"), rp_clock(t->held, b));
			if (t->title && strcmp(t->title, t->id)) {
				sb_adds(sb, ": ");
				tx_escape(sb, t->title, 0);
			}
			sb_addc(sb, '\n');
		}
	}
}

static void proposal_lines(struct strbuf *sb, const struct view_incident *v)
{
	char b[RP_TBUF], c[RP_TBUF];
	struct strbuf e = STRBUF_INIT;
	if (!v->nproposals)
		return;
	sb_init(&e);
	heading(sb, _("proposals (most severe first)"));
	for (size_t i = 0; i < v->nproposals; i++) {
		const struct view_proposal *p = &v->proposals[i];
		sb_adds(sb, "  ");
		sb_addf(sb, p->downgrade ? _("down to level %s") : _("level %s"), rp_e(&e, nz(p->level, "?")));
		if (p->level_name && p->level && strcmp(p->level_name, p->level)) {
			sb_adds(sb, " (");
			tx_escape(sb, p->level_name, 0);
			sb_addc(sb, ')');
		}
		sb_adds(sb, ": ");
		sb_addf(sb, _("rule %s"), rp_e(&e, nz(p->rule, "?")));
		if (p->rule_text) {
			sb_adds(sb, " (");
			tx_escape(sb, p->rule_text, 0);
			sb_addc(sb, ')');
		}
		if (p->at)
			sb_addf(sb, _(", since %s (%s ago)"), rp_local(p->at, b),
				rp_clock(v->at - p->at, c));
		sb_addc(sb, '\n');
	}
	sb_release(&e);
}

static void deadline_line(struct strbuf *sb, const struct view_deadline *d, int64_t at)
{
	char b[RP_TBUF];
	struct strbuf id = STRBUF_INIT, who = STRBUF_INIT;
	sb_init(&id);
	sb_init(&who);
	sb_adds(&id, d->id);
	if (d->seq > 1)
		sb_addf(&id, " #%d", d->seq);
	rp_who(&who, d);
	sb_adds(sb, "  ");
	rp_pad(sb, rp_countdown(d->due, at, b), 16);
	sb_addc(sb, ' ');
	rp_cell(sb, id.buf, 18);
	rp_cell(sb, d->title, 36);
	tx_escape(sb, who.buf, 0);
	sb_addc(sb, '\n');
	sb_release(&id);
	sb_release(&who);
}

static void deadline_lines(struct strbuf *sb, const struct view_incident *v)
{
	if (!v->ndeadlines)
		return;
	heading(sb, _("deadlines"));
	for (size_t i = 0; i < v->ndeadlines; i++)
		deadline_line(sb, &v->deadlines[i], v->at);
}

/* The role that attests a criterion, as words people read. */
static const char *role_words(const struct view_incident *v, const char *id, struct strbuf *buf)
{
	for (size_t i = 0; i < v->nroles; i++)
		if (v->roles[i].id && !strcmp(v->roles[i].id, id))
			return i18n_named(id, v->roles[i].text, buf);
	return id;
}

static void criteria_lines(struct strbuf *sb, const struct view_incident *v, const char *title,
			   const struct view_criterion *c, size_t n)
{
	char b[RP_TBUF], p[RP_TBUF];
	if (!n)
		return;
	heading(sb, title);
	for (size_t i = 0; i < n; i++) {
		sb_addf(sb, "  [%c] ", c[i].met ? 'x' : ' ');
		tx_escape(sb, c[i].id, 0);
		sb_adds(sb, _(": "));
		tx_escape(sb, c[i].title, 0);
		if (c[i].attested_by) {
			struct strbuf w = STRBUF_INIT;
			sb_init(&w);
			sb_adds(&w, _("attested by"));
			sb_addc(&w, ' ');
			tx_escape(&w, c[i].attested_by, 0);
			if (c[i].attested_at) {
				sb_adds(&w, i18n_pgettext("clause", ", "));
				sb_adds(&w, rp_local(c[i].attested_at, b));
			}
			sb_addf(sb, _(" (%s)"), w.buf);
			sb_release(&w);
		} else if (c[i].need > 0 && c[i].held < 0) {
			sb_addf(sb, _(" (not holding now; needs %s)"), rp_param(c[i].need, p));
		} else if (c[i].need > 0) {
			sb_addf(sb, _(" (held %s of %s)"), rp_clock(c[i].held, b), rp_param(c[i].need, p));
		} else if (!c[i].met && c[i].role) {
			struct strbuf w = STRBUF_INIT, r = STRBUF_INIT;
			sb_init(&w);
			sb_init(&r);
			sb_adds(&w, _("to be attested by the role"));
			sb_addc(&w, ' ');
			tx_escape(&w, role_words(v, c[i].role, &r), 0);
			sb_addf(sb, _(" (%s)"), w.buf);
			sb_release(&w);
			sb_release(&r);
		}
		sb_addc(sb, '\n');
	}
}

static void responder_lines(struct strbuf *sb, const struct view_incident *v, int phones)
{
	char b[RP_TBUF];
	for (size_t i = 0; i < v->nresponders; i++) {
		const struct view_responder *r = &v->responders[i];
		sb_adds(sb, "  ");
		rp_cell(sb, nz(r->role_name, r->role), 20);
		tx_fit(sb, nz(r->person_name, r->person), 20);
		if (phones && r->phone) {
			sb_addc(sb, ' ');
			tx_fit(sb, r->phone, 16);
		}
		if (r->since)
			sb_addf(sb, _(" since %s"), rp_local(r->since, b));
		sb_addc(sb, '\n');
	}
}

static void resource_lines(struct strbuf *sb, const struct view_incident *v)
{
	char b[RP_TBUF];
	int any = 0;
	for (size_t i = 0; i < v->nresources; i++) {
		const struct view_resource *r = &v->resources[i];
		if (!r->deployed)
			continue;
		if (!any++)
			heading(sb, _("resources out"));
		sb_addf(sb, "  %4" PRId64 " / %-4" PRId64 " ", r->deployed, r->count);
		tx_escape(sb, nz(r->item, r->id), 0);
		if (r->since)
			sb_addf(sb, _(", since %s"), rp_local(r->since, b));
		if (r->by) {
			sb_adds(sb, " (");
			tx_escape(sb, r->by, 0);
			sb_addc(sb, ')');
		}
		sb_addc(sb, '\n');
	}
}

/* Soonest due first; one without a due after those with one. */
static int by_due(const void *x, const void *y)
{
	const struct view_notice *a = *(const struct view_notice *const *)x;
	const struct view_notice *b = *(const struct view_notice *const *)y;
	if (!a->due != !b->due)
		return a->due ? -1 : 1;
	return a->due < b->due ? -1 : a->due > b->due;
}

static void notice_due_lines(struct strbuf *sb, const struct view_incident *v)
{
	char b[RP_TBUF];
	const struct view_notice **due;
	size_t nd = 0;
	if (!v->nnotices)
		return;
	due = xcalloc(v->nnotices, sizeof *due);
	for (size_t i = 0; i < v->nnotices; i++)
		if (v->notices[i].state == NOTICE_DUE || v->notices[i].state == NOTICE_FAILED)
			due[nd++] = &v->notices[i];
	qsort(due, nd, sizeof *due, by_due);
	for (size_t i = 0; i < nd; i++) {
		const struct view_notice *n = due[i];
		if (!i)
			heading(sb, _("notices due"));
		sb_adds(sb, "  ");
		rp_pad(sb, rp_countdown(n->due, v->at, b), 16);
		sb_addc(sb, ' ');
		rp_cell(sb, n->id, 18);
		rp_cell(sb, n->title, 36);
		sb_adds(sb, _("to"));
		sb_addc(sb, ' ');
		tx_escape(sb, nz(n->to_people, nz(n->to_names, nz(n->to, "-"))), 0);
		if (n->state == NOTICE_FAILED) {
			sb_adds(sb, "  ");
			sb_adds(sb, _("(delivery failed)"));
		}
		sb_addc(sb, '\n');
	}
	free(due);
}

/* ---- status ---- */

void report_status_text(const struct view_incident *v, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;
	char b[RP_TBUF], c[RP_TBUF];
	sb_init(&sb);
	rp_title_line(&sb, v, NULL);
	label(&sb, _("plan"));
	tx_escape(&sb, v->plan, 0);
	if (v->plan_title && v->plan && strcmp(v->plan_title, v->plan)) {
		sb_adds(&sb, ": ");
		tx_escape(&sb, v->plan_title, 0);
	}
	sb_addc(&sb, '\n');
	level_line(&sb, v);
	if (v->peak.id && (!v->level.id || strcmp(v->peak.id, v->level.id))) {
		label(&sb, _("peak"));
		sb_addf(&sb, _("level %s"), v->peak.id);
		sb_addc(&sb, '\n');
	}
	label(&sb, _("commander"));
	tx_escape(&sb, nz(v->commander, "-"), 0);
	sb_addc(&sb, '\n');
	label(&sb, _("opened"));
	sb_addf(&sb, "%s (%s)\n", rp_local(v->opened_at, b), rp_utc(v->opened_at, c));
	if (v->terminated_at) {
		label(&sb, _("ended"));
		sb_addf(&sb, _("%s, %s after the open\n"), rp_local(v->terminated_at, b),
			rp_clock(v->terminated_at - v->opened_at, c));
	}
	label(&sb, _("as of"));
	sb_addf(&sb, _("%s, %s after the open\n"), rp_local(v->at, b),
		rp_clock(v->opened_at ? v->at - v->opened_at : -1, c));
	rp_flush(out, &sb);

	metric_lines(&sb, v);
	proposal_lines(&sb, v);
	deadline_lines(&sb, v);
	if (v->phase == PHASE_WARNING)
		criteria_lines(&sb, v, _("criteria to lift the warning"), v->lift, v->nlift);
	if (v->phase != PHASE_TERMINATED)
		criteria_lines(&sb, v, _("criteria to terminate"), v->termination, v->ntermination);
	if (v->nresponders) {
		heading(&sb, _("responders"));
		responder_lines(&sb, v, 0);
	}
	resource_lines(&sb, v);
	notice_due_lines(&sb, v);
	rp_flush(out, &sb);
	sb_release(&sb);
}

static json_t *criteria_json(const struct view_criterion *c, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"id", rp_jstr(c[i].id),
			"title", rp_jstr(c[i].title),
			"kind", rp_jstr(c[i].kind),
			"met", rp_jbool(c[i].met),
			"held_for", rp_jdur(c[i].held),
			"for", c[i].need > 0 ? rp_jint(c[i].need) : json_null(),
			"role", rp_jstr(c[i].role),
			"attested_by", rp_jstr(c[i].attested_by),
			"attested_at", rp_jtime(c[i].attested_at)));
	return a;
}

static json_t *deadline_json(const struct view_deadline *d)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"id", rp_jstr(d->id),
		"title", rp_jstr(d->title),
		"due", rp_jtime(d->due),
		"overdue", rp_jbool(d->overdue),
		"owner", rp_jstr(d->owner),
		"person", rp_jstr_nz(d->person),
		"kind", rp_jstr(obl_kind_name(d->kind)),
		"person_name", rp_jstr_nz(d->person_name),
		"started", rp_jtime(d->started),
		"seq", rp_jint(d->seq),
		"notice", rp_jbool(d->notice));
}

void report_status_json(const struct view_incident *v, FILE *out)
{
	json_t *o = json_object(), *a;

	json_object_set_new(o, "id", rp_jint(v->id));
	json_object_set_new(o, "title", rp_jstr(v->title));
	json_object_set_new(o, "plan", rp_jstr(v->plan));
	json_object_set_new(o, "plan_title", rp_jstr(v->plan_title));
	json_object_set_new(o, "plan_hash", rp_jstr(v->plan_hash));
	json_object_set_new(o, "state", rp_jstr(phase_name(v->phase)));
	json_object_set_new(o, "level", rp_jstr(v->level.id));
	json_object_set_new(o, "level_name", rp_jstr(v->level.id ? v->level.name : NULL));
	json_object_set_new(o, "peak_level", rp_jstr(v->peak.id));
	json_object_set_new(o, "warning", rp_jstr(v->warning));
	json_object_set_new(o, "warning_name", rp_jstr(v->warning ? v->warning_name : NULL));
	json_object_set_new(o, "warning_since", rp_jtime(v->warning ? v->warning_since : 0));
	json_object_set_new(o, "drill", rp_jbool(v->drill));
	json_object_set_new(o, "commander", rp_jstr_nz(v->commander));
	json_object_set_new(o, "opened_at", rp_jtime(v->opened_at));
	json_object_set_new(o, "level_since", rp_jtime(v->level.id ? v->level_since : 0));
	json_object_set_new(o, "terminated_at", rp_jtime(v->terminated_at));
	json_object_set_new(o, "at", rp_jtime(v->at));
	json_object_set_new(o, "last_entry", rp_jint(v->last_entry));
	json_object_set_new(o, "head", rp_jstr_nz(v->head));

	a = json_array();
	for (size_t i = 0; i < v->nproposals; i++) {
		const struct view_proposal *p = &v->proposals[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o}",
			"level", rp_jstr(p->level),
			"rule", rp_jstr(p->rule),
			"rule_text", rp_jstr(p->rule_text),
			"at", rp_jtime(p->at),
			"downgrade", rp_jbool(p->downgrade)));
	}
	json_object_set_new(o, "proposals", a);

	a = json_array();
	for (size_t i = 0; i < v->ndeadlines; i++)
		json_array_append_new(a, deadline_json(&v->deadlines[i]));
	json_object_set_new(o, "obligations", a);

	json_object_set_new(o, "lift", criteria_json(v->lift, v->nlift));
	json_object_set_new(o, "termination", criteria_json(v->termination, v->ntermination));

	a = json_array();
	for (size_t i = 0; i < v->nmetrics; i++) {
		const struct view_metric *m = &v->metrics[i];
		if (!m->has_value)
			continue;
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"name", rp_jstr(m->id),
			"value", rp_jnum(m->value),
			"at", rp_jtime(m->at),
			"stale", rp_jbool(m->stale),
			"age", rp_jint(m->age),
			"unit", rp_jstr(m->unit),
			"title", rp_jstr(m->name)));
	}
	json_object_set_new(o, "metrics", a);

	a = json_array();
	for (size_t i = 0; i < v->nresponders; i++) {
		const struct view_responder *r = &v->responders[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o}",
			"role", rp_jstr(r->role),
			"person", rp_jstr(r->person),
			"person_name", rp_jstr(r->person_name),
			"since", rp_jtime(r->since)));
	}
	json_object_set_new(o, "responders", a);

	a = json_array();
	for (size_t i = 0; i < v->nresources; i++) {
		const struct view_resource *r = &v->resources[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o}",
			"item", rp_jstr(r->id),
			"deployed", rp_jint(r->deployed),
			"count", rp_jint(r->count),
			"title", rp_jstr(r->item),
			"since", rp_jtime(r->deployed ? r->since : 0)));
	}
	json_object_set_new(o, "resources", a);

	/* the notices the incident has required so far: one not yet due
	 * (its event has not happened) is no notice of this incident yet */
	a = json_array();
	for (size_t i = 0; i < v->nnotices; i++) {
		const struct view_notice *n = &v->notices[i];
		if (n->state == NOTICE_PENDING)
			continue;
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
			"id", rp_jstr(n->id),
			"title", rp_jstr(n->title),
			"state", rp_jstr(notice_state_name(n->state)),
			"due", rp_jtime(n->due),
			"to", rp_jstr(n->to),
			"overdue", rp_jbool(n->overdue)));
	}
	json_object_set_new(o, "notices", a);

	rp_json_write(out, o, 1);
}

/* ---- the brief (ICS 201) ---- */

static void brief_h(struct strbuf *sb, const char *title)
{
	int w = tx_width(title);
	sb_addc(sb, '\n');
	tx_escape(sb, title, 0);
	sb_addc(sb, '\n');
	for (int i = 0; i < w; i++)
		sb_addc(sb, '-');
	sb_addc(sb, '\n');
}

/* The latest level decision among the latest actions, with its reason. */
static const struct view_row *latest_level_change(const struct view_incident *v)
{
	for (size_t i = 0; i < v->nlatest; i++) {
		const struct view_row *r = &v->latest[i];
		if (r->refused || !r->kind)
			continue;
		if (!strcmp(r->kind, "escalate") || !strcmp(r->kind, "downgrade") ||
		    !strcmp(r->kind, "accept"))
			return r;
	}
	return NULL;
}

/* Long by design: the brief as a document, section after section, in the
 * order it is read. */
void report_brief(const struct view_incident *v, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;
	char b[RP_TBUF], c[RP_TBUF];
	const struct view_row *why;
	int any;
	sb_init(&sb);

	rp_title_line(&sb, v, _("INCIDENT BRIEFING (ICS 201)"));
	if (v->drill) {
		sb_adds(&sb, _("*** DRILL: this incident is an exercise ***"));
		sb_addc(&sb, '\n');
	}
	label(&sb, _("plan"));
	tx_escape(&sb, v->plan, 0);
	if (v->plan_title && v->plan && strcmp(v->plan_title, v->plan)) {
		sb_adds(&sb, ": ");
		tx_escape(&sb, v->plan_title, 0);
	}
	sb_addc(&sb, '\n');
	label(&sb, _("as of"));
	sb_addf(&sb, "%s (%s)\n", rp_local(v->at, b), rp_utc(v->at, c));

	brief_h(&sb, _("1. Situation"));
	label(&sb, _("opened"));
	sb_addf(&sb, _("%s, %s ago\n"), rp_local(v->opened_at, b),
		rp_clock(v->opened_at ? v->at - v->opened_at : -1, c));
	if (v->terminated_at) {
		label(&sb, _("ended"));
		sb_addf(&sb, "%s\n", rp_local(v->terminated_at, b));
	}
	level_line(&sb, v);
	metric_lines(&sb, v);
	rp_flush(out, &sb);

	brief_h(&sb, _("2. Level and why"));
	if (v->phase == PHASE_RESPONSE && v->level.id) {
		sb_adds(&sb, "  ");
		sb_addf(&sb, _("level %s"), v->level.id);
		if (v->level.name && strcmp(v->level.name, v->level.id)) {
			sb_adds(&sb, " (");
			tx_escape(&sb, v->level.name, 0);
			sb_addc(&sb, ')');
		}
		if (v->level_since)
			sb_addf(&sb, _(" since %s"), rp_local(v->level_since, b));
		sb_addc(&sb, '\n');
		if ((why = latest_level_change(v)) != NULL) {
			struct strbuf e1 = STRBUF_INIT, e2 = STRBUF_INIT;
			sb_init(&e1);
			sb_init(&e2);
			sb_adds(&sb, "  ");
			sb_addf(&sb, _("%s by %s"), rp_e(&e1, kind_word(why->kind)),
				rp_e(&e2, nz(why->actor, "-")));
			sb_release(&e1);
			sb_release(&e2);
			/* TRANSLATORS: between what was done and why */
			sb_adds(&sb, _(": "));
			tx_escape(&sb, nz(why->text, why->summary), 0);
			sb_addc(&sb, '\n');
		}
	} else {
		sb_adds(&sb, "  ");
		sb_adds(&sb, _("no response level"));
		sb_addc(&sb, '\n');
	}
	if (v->peak.id && (!v->level.id || strcmp(v->peak.id, v->level.id))) {
		sb_adds(&sb, "  ");
		sb_addf(&sb, _("peak level %s"), v->peak.id);
		sb_addc(&sb, '\n');
	}
	proposal_lines(&sb, v);
	rp_flush(out, &sb);

	brief_h(&sb, _("3. Objectives"));
	if (v->phase == PHASE_TERMINATED) {
		sb_adds(&sb, "  ");
		sb_adds(&sb, _("none: the incident is over"));
		sb_addc(&sb, '\n');
	} else {
		if (v->phase == PHASE_WARNING)
			criteria_lines(&sb, v, _("to lift the warning"), v->lift, v->nlift);
		criteria_lines(&sb, v, _("to terminate"), v->termination, v->ntermination);
	}
	rp_flush(out, &sb);

	brief_h(&sb, _("4. Organisation"));
	label(&sb, _("commander"));
	tx_escape(&sb, nz(v->commander, "-"), 0);
	sb_addc(&sb, '\n');
	if (v->nresponders)
		responder_lines(&sb, v, 1);
	else {
		sb_adds(&sb, "  ");
		sb_adds(&sb, _("nobody assigned to a role yet"));
		sb_addc(&sb, '\n');
	}
	rp_flush(out, &sb);

	brief_h(&sb, _("5. Open deadlines"));
	for (size_t i = 0; i < v->ndeadlines; i++)
		deadline_line(&sb, &v->deadlines[i], v->at);
	if (!v->ndeadlines) {
		sb_adds(&sb, "  ");
		sb_adds(&sb, _("none"));
		sb_addc(&sb, '\n');
	}
	rp_flush(out, &sb);

	brief_h(&sb, _("6. Resources and notices"));
	resource_lines(&sb, v);
	notice_due_lines(&sb, v);
	any = 0;
	for (size_t i = 0; i < v->nresources; i++)
		any |= v->resources[i].deployed != 0;
	for (size_t i = 0; i < v->nnotices; i++)
		any |= v->notices[i].state == NOTICE_DUE || v->notices[i].state == NOTICE_FAILED;
	if (!any) {
		sb_adds(&sb, "  ");
		sb_adds(&sb, _("no resources out, no notices due"));
		sb_addc(&sb, '\n');
	}
	rp_flush(out, &sb);

	brief_h(&sb, _("7. Latest actions (newest first)"));
	for (size_t i = 0; i < v->nlatest; i++) {
		const struct view_row *r = &v->latest[i];
		sb_addf(&sb, "  %s %s ", rp_local(r->occurred_at, b),
			rp_tplus(r->occurred_at - v->opened_at, c));
		rp_cell(&sb, nz(r->actor, "-"), 12);
		tx_escape(&sb, r->summary, 0);
		if (r->refused && r->rule && *r->rule) {
			sb_adds(&sb, " [");
			sb_adds(&sb, _("rule"));
			sb_addc(&sb, ' ');
			tx_escape(&sb, r->rule, 0);
			sb_addc(&sb, ']');
		}
		sb_addc(&sb, '\n');
	}
	if (!v->nlatest) {
		sb_adds(&sb, "  ");
		sb_adds(&sb, _("none"));
		sb_addc(&sb, '\n');
	}
	sb_addf(&sb, "\n%s %s\n", _("journal head"), v->head[0] ? v->head : "-");
	rp_flush(out, &sb);
	sb_release(&sb);
}

/* ---- notices ---- */

void report_notices(const struct view_incident *v, int json, FILE *out)
{
	struct strbuf sb = STRBUF_INIT, e = STRBUF_INIT;
	char b[RP_TBUF];
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < v->nnotices; i++) {
			const struct view_notice *n = &v->notices[i];
			if (n->state == NOTICE_PENDING)
				continue; /* as in status --json: not required yet */
			json_array_append_new(a, json_pack(
				"{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
				"id", rp_jstr(n->id),
				"title", rp_jstr(n->title),
				"state", rp_jstr(notice_state_name(n->state)),
				"due", rp_jtime(n->due),
				"to", rp_jstr(n->to),
				"channel", rp_jstr(n->channel),
				"text", rp_jstr(n->text),
				"subject", rp_jstr(n->subject),
				"overdue", rp_jbool(n->overdue),
				"to_people", rp_jstr(n->to_people),
				"review", rp_jstr(n->review),
				"approved", rp_jbool(n->approved),
				"approved_by", rp_jstr(n->approved_by),
				"sent_at", rp_jtime(n->sent_at),
				"sent", rp_jint(n->sent),
				"failed", rp_jint(n->failed)));
			/* how it went out last: given by hand, or through which channel */
			json_object_set_new(json_array_get(a, json_array_size(a) - 1), "by_hand",
					    rp_jbool(n->by_hand));
			json_object_set_new(json_array_get(a, json_array_size(a) - 1), "sent_via",
					    rp_jstr(n->sent_via));
		}
		rp_json_write(out, a, 1);
		return;
	}
	sb_init(&sb);
	sb_init(&e);
	sb_adds(&sb, _("Notices of incident"));
	sb_addf(&sb, " %" PRId64 ": ", v->id);
	tx_escape(&sb, v->title, 0);
	sb_adds(&sb, "\n\n");
	rp_cell(&sb, _("ID"), 18);
	rp_cell(&sb, _("STATE"), 8);
	rp_cell(&sb, _("DUE OR SENT"), 19);
	rp_cell(&sb, _("CHANNEL"), 12);
	rp_cell(&sb, _("TO"), 24);
	sb_adds(&sb, _("TITLE"));
	sb_addc(&sb, '\n');
	for (size_t i = 0; i < v->nnotices; i++) {
		const struct view_notice *n = &v->notices[i];
		rp_cell(&sb, n->id, 18);
		rp_cell(&sb, n->lapsed ? _("lapsed") : notice_state_text(n->state), 8);
		if (n->state == NOTICE_SENT && n->sent_at)
			rp_cell(&sb, rp_local(n->sent_at, b), 19);
		else
			rp_cell(&sb, rp_countdown(n->due, v->at, b), 19);
		/* how it went out, once it did; else how it will */
		rp_cell(&sb,
			n->by_hand ? _("by hand") : nz(n->sent_via, nz(n->channel, _("by hand"))),
			12);
		rp_cell(&sb, nz(n->to_people, nz(n->to_names, nz(n->to, "-"))), 24);
		tx_clip(&sb, n->title, 40);
		sb_addc(&sb, '\n');
		rp_flush(out, &sb);
	}
	if (!v->nnotices) {
		sb_adds(&sb, _("the plan requires no notices"));
		sb_addc(&sb, '\n');
	}
	/* what to send: the drafts of the notices due */
	for (size_t i = 0; i < v->nnotices; i++) {
		const struct view_notice *n = &v->notices[i];
		if (n->state != NOTICE_DUE && n->state != NOTICE_FAILED)
			continue;
		sb_addc(&sb, '\n');
		sb_addf(&sb, _("draft of %s"), rp_e(&e, n->id));
		if (n->review && !n->approved) {
			sb_adds(&sb, " (");
			sb_addf(&sb, _("needs the approval of the %s role"), rp_e(&e, n->review));
			sb_addc(&sb, ')');
		}
		sb_adds(&sb, ":\n");
		if (n->subject && *n->subject) {
			sb_adds(&sb, "    ");
			sb_adds(&sb, _("subject:"));
			sb_addc(&sb, ' ');
			tx_escape(&sb, n->subject, 0);
			sb_addc(&sb, '\n');
		}
		sb_adds(&sb, "    ");
		rp_indented(&sb, nz(n->text, ""), "    ");
		sb_addc(&sb, '\n');
		rp_flush(out, &sb);
	}
	rp_flush(out, &sb);
	sb_release(&sb);
	sb_release(&e);
}

/* ---- the list ---- */

void report_list(const struct view_list *l, FILE *out)
{
	struct strbuf sb = STRBUF_INIT, st = STRBUF_INIT;
	char b[RP_TBUF];
	sb_init(&sb);
	sb_init(&st);
	tx_fit_right(&sb, _("ID"), 5);
	sb_addc(&sb, ' ');
	/* "warning yellow" is 14 wide; "22 open, 3 late" needs 15 (80 columns
	 * leave the title 9) */
	rp_cell(&sb, _("STATE"), 14);
	rp_cell(&sb, _("OPENED"), 19);
	rp_cell(&sb, _("DEADLINES"), 16);
	rp_cell(&sb, _("PLAN"), 16);
	sb_adds(&sb, _("TITLE"));
	sb_addc(&sb, '\n');
	rp_flush(out, &sb);
	for (size_t i = 0; i < l->n; i++) {
		const struct view_summary *s = &l->v[i];
		sb_reset(&st);
		if (s->problem) {
			sb_adds(&st, _("unreadable"));
		} else {
			sb_adds(&st, phase_text(s->phase));
			if (s->phase == PHASE_RESPONSE && s->level)
				sb_addf(&st, " %s", s->level);
			else if (s->warning)
				sb_addf(&st, " %s", s->warning);
		}
		sb_addf(&sb, "%5" PRId64 " ", s->id);
		rp_cell(&sb, st.buf, 14);
		rp_cell(&sb, rp_local(s->opened_at, b), 19);
		sb_reset(&st);
		if (s->nlate)
			sb_addf(&st, _("%d open, %d late"), s->nopen, s->nlate);
		else if (s->nopen)
			sb_addf(&st, P_("%d open", "%d open", s->nopen), s->nopen);
		else
			sb_adds(&st, "-");
		rp_cell(&sb, st.buf, 16);
		rp_cell(&sb, s->plan, 16);
		if (s->drill) {
			sb_adds(&sb, _("[DRILL]"));
			sb_addc(&sb, ' ');
		}
		tx_clip(&sb, s->title, 48);
		if (s->problem) {
			sb_adds(&sb, "  (");
			tx_clip(&sb, s->problem, 60);
			sb_addc(&sb, ')');
		}
		sb_addc(&sb, '\n');
		rp_flush(out, &sb);
	}
	if (!l->n) {
		sb_adds(&sb, _("no incidents"));
		sb_addc(&sb, '\n');
		rp_flush(out, &sb);
	}
	sb_release(&sb);
	sb_release(&st);
}

/* ---- tasks across incidents ---- */

void report_tasks(const struct view_tasks *t, int json, FILE *out)
{
	struct strbuf sb = STRBUF_INIT, who = STRBUF_INIT, id = STRBUF_INIT;
	char b[RP_TBUF];
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < t->n; i++) {
			const struct view_task *k = &t->v[i];
			json_t *o = deadline_json(&k->d);
			json_object_set_new(o, "incident", rp_jint(k->incident));
			json_object_set_new(o, "incident_title", rp_jstr(k->incident_title));
			json_object_set_new(o, "owner_name", rp_jstr(k->d.owner_name));
			json_array_append_new(a, o);
		}
		rp_json_write(out, a, 1);
		return;
	}
	sb_init(&sb);
	sb_init(&who);
	sb_init(&id);
	tx_fit_right(&sb, _("INCIDENT"), 8);
	sb_addc(&sb, ' ');
	rp_cell(&sb, _("ID"), 18);
	rp_cell(&sb, _("KIND"), 10);
	rp_cell(&sb, _("TITLE"), 32);
	rp_cell(&sb, _("WHO"), 28);
	sb_adds(&sb, _("DUE"));
	sb_addc(&sb, '\n');
	rp_flush(out, &sb);
	for (size_t i = 0; i < t->n; i++) {
		const struct view_task *k = &t->v[i];
		sb_reset(&who);
		sb_reset(&id);
		rp_who(&who, &k->d);
		sb_adds(&id, k->d.id);
		if (k->d.seq > 1)
			sb_addf(&id, " #%d", k->d.seq);
		sb_addf(&sb, "%8" PRId64 " ", k->incident);
		rp_cell(&sb, id.buf, 18);
		rp_cell(&sb, kind_text(k->d.kind), 10);
		rp_cell(&sb, k->d.title, 32);
		rp_cell(&sb, who.buf, 28);
		sb_adds(&sb, k->d.due ? rp_local(k->d.due, b) : "-");
		if (k->d.overdue) {
			sb_adds(&sb, "  ");
			sb_adds(&sb, _("OVERDUE"));
		}
		sb_addc(&sb, '\n');
		rp_flush(out, &sb);
	}
	if (!t->n) {
		sb_adds(&sb, _("nothing open"));
		sb_addc(&sb, '\n');
	}
	if (t->nunconfirmed) {
		sb_addc(&sb, '\n');
		sb_adds(&sb, _("contacts whose details are not confirmed this quarter:"));
		sb_addc(&sb, '\n');
		for (size_t i = 0; i < t->nunconfirmed; i++) {
			int64_t since = t->unconfirmed_since ? t->unconfirmed_since[i] : 0;
			sb_adds(&sb, "  ");
			rp_cell(&sb, nz(t->unconfirmed[i].text, t->unconfirmed[i].id), 24);
			if (since)
				sb_addf(&sb, _("last confirmed %s"), rp_local(since, b));
			else
				sb_adds(&sb, _("never confirmed"));
			sb_addc(&sb, '\n');
		}
	}
	rp_flush(out, &sb);
	sb_release(&sb);
	sb_release(&who);
	sb_release(&id);
}
