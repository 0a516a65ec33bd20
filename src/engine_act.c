/* The engine's actions: one do_* per kind of action, engine_apply that
 * dispatches them, and what the screens ask before a form opens
 * (engine_may, engine_may_on). The rules they call on (roles, proposals,
 * levels, readings, queries, validation) are in engine.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/* ------------------------------------------------------------------ */
/* actions                                                             */

static enum engine_status do_open(struct engine_state *st, const struct plan *p,
				  const struct engine_action *a, int64_t at, struct engine_result *r)
{
	struct engine_effect *e;
	if (eng_plain_role(p, a, r))
		return r->status;
	st->opened = 1;
	st->opened_at = at;
	st->drill = a->drill ? 1 : 0;
	copy_str(st->commander, sizeof(st->commander), a->actor);
	eff_add(r, EFF_OPENED, at);
	if ((e = eff_add(r, EFF_COMMANDER, at)))
		copy_str(e->who, sizeof(e->who), st->commander);
	obl_event(st, p, ANCHOR_OPEN, -1, at, r);
	return ENGINE_OK;
}

static enum engine_status do_metric(struct engine_state *st, const struct plan *p,
				    const struct engine_action *a, int64_t at,
				    struct engine_result *r)
{
	size_t nprop;

	for (size_t i = 0; i < a->nreadings; i++) {
		const struct plan_metric *m = &p->metrics[a->readings[i].metric];
		double v = a->readings[i].value;
		if ((m->has_min && v < m->min) || (m->has_max && v > m->max)) {
			char lo[32] = "any", hi[32] = "any";
			if (m->has_min)
				snprintf(lo, sizeof(lo), "%g", m->min);
			if (m->has_max)
				snprintf(hi, sizeof(hi), "%g", m->max);
			return refuse(r, RULE_METRIC, "reading %g of '%s' is out of range (%s to %s)", v,
				      m->id, lo, hi);
		}
	}
	if (eng_plain_role(p, a, r))
		return r->status;
	if (a->kind == ACT_CORRECT) {
		/* The correction itself changes nothing here: the reading it
		 * corrects is read again as corrected when the state is derived
		 * (docs/decisions.md, "Corrections"). */
		eff_add(r, EFF_READING_CORRECTED, at);
		return ENGINE_OK;
	}
	nprop = st->nproposals;
	for (size_t i = 0; i < a->nreadings; i++)
		eng_reading(st, p, a->readings[i].metric, a->readings[i].value, a->at, at, r);
	if (st->nproposals != nprop) /* a trigger cleared: "while proposal" cadences */
		obl_sync_cadences(st, p, at, r);
	eng_time_passes(st, p, at, r);   /* windows of 0s fire at once */
	st->now = at;
	return ENGINE_OK;
}

static enum engine_status refuse_words(struct engine_result *r, int rule, const char *fmt,
				       const char *fmt_shown, const char *const *en,
				       const char *const *sh, int n);

/* A warning in a refusal: its id in the journal's English, the plan's name
 * for it on the screen (in the plan's language: "蓝级预警"). */
static const char *warning_shown(const struct plan *p, int w)
{
	return w >= 0 && (size_t)w < p->nwarnings && p->warnings[w].name ? p->warnings[w].name
									   : eng_wid(p, w);
}

/* "... (state monitoring)": the state's name translated on the screen. */
static enum engine_status refuse_state(struct engine_result *r, int rule, const char *fmt,
				       const struct engine_state *st)
{
	const char *en = phase_name(st->phase), *sh = engine_tr(en);
	return refuse_words(r, rule, fmt, NULL, &en, &sh, 1);
}

static enum engine_status do_warn(struct engine_state *st, const struct plan *p,
				  const struct engine_action *a, int64_t at, struct engine_result *r)
{
	int w = plan_warning_index(p, a->target);

	if (st->phase == PHASE_RESPONSE)
		return refuse(r, RULE_WARN_RESPONSE,
			      "a response is running at level %s: warnings come before a response",
			      eng_lv(p, st->level));
	if (st->phase == PHASE_WARNING && w == st->warning) {
		const char *en = eng_wid(p, w), *sh = warning_shown(p, w);
		return refuse_words(r, RULE_WARN_SAME, "the %s warning is already raised",
				    N_("%s is already raised"), &en, &sh, 1);
	}
	if (st->phase == PHASE_WARNING && w < st->warning) {
		const char *en[2] = { eng_wid(p, st->warning), eng_wid(p, w) };
		const char *sh[2] = { warning_shown(p, st->warning), warning_shown(p, w) };
		return refuse_words(r, RULE_WARN_LOWER,
				    "the %s warning is more severe than %s: lift it instead",
				    N_("%s is more severe than %s: lift it instead"), en, sh, 2);
	}
	if (!eng_said(a, a->text))
		return refuse(r, RULE_REASON, "warn needs a reason");
	if (eng_plain_role(p, a, r))
		return r->status;
	eng_raise_warning(st, p, w, -1, at, r);
	return ENGINE_OK;
}

static enum engine_status check_lift(const struct engine_state *st, const struct plan *p,
				     struct engine_result *r)
{
	struct strbuf ids = STRBUF_INIT, titles = STRBUF_INIT;
	enum engine_status s = ENGINE_OK;
	if (st->phase != PHASE_WARNING)
		return refuse_state(r, RULE_LIFT, N_("no warning to lift (state %s)"), st);
	sb_init(&ids);
	sb_init(&titles);
	if (eng_unmet_list(st, p, p->lift, p->nlift, &ids, &titles))
		s = eng_refuse_unmet(r, RULE_LIFT, "cannot lift the %s warning: unmet: %s",
				     N_("cannot lift %s: unmet: %s"), eng_wid(p, st->warning),
				     warning_shown(p, st->warning), &ids, &titles);
	sb_release(&ids);
	sb_release(&titles);
	return s;
}

static enum engine_status do_lift(struct engine_state *st, const struct plan *p,
				  const struct engine_action *a, int64_t at, struct engine_result *r)
{
	int w = st->warning;
	struct engine_effect *e;

	if (st->phase != PHASE_WARNING)
		return refuse_state(r, RULE_LIFT, N_("no warning to lift (state %s)"), st);
	if ((!a->replay && check_lift(st, p, r)) || eng_plain_role(p, a, r))
		return r->status;
	st->phase = PHASE_MONITORING;
	st->warning = -1;
	st->warning_since = 0;
	st->warning_started = 0;
	if ((e = eff_add(r, EFF_WARNING_LIFTED, at))) {
		e->ref = w;
		e->why = WHY_LIFTED;
	}
	obl_cap_met(st, p, at, WHY_LIFTED, r);
	obl_event(st, p, ANCHOR_LIFT, -1, at, r);
	return ENGINE_OK;
}

/* One step is relative to what the commander saw: two commanders who press
 * escalate on the same screen must not move two levels. */
/* "level II", or the phase when there is no level (st NULL: "no level"),
 * in English for the journal (en) and translated for the screen (sh). */
static void level_words(const struct engine_state *st, const struct plan *p, int level, char *en,
			size_t en_size, char *sh, size_t sh_size)
{
	if (level >= 0) {
		snprintf(en, en_size, "level %s", eng_lv(p, level));
		snprintf(sh, sh_size, engine_tr("level %s"), eng_lv(p, level));
	} else {
		const char *w = st ? phase_name(st->phase) : "no level";
		snprintf(en, en_size, "%s", w);
		snprintf(sh, sh_size, "%s", engine_tr(w));
	}
}

/* A refusal whose words differ by language: fmt takes n strings (at most
 * 4), en[] for the journal, sh[] for the screen, where fmt_shown (NULL:
 * fmt) is the message translated. */
static enum engine_status refuse_words(struct engine_result *r, int rule, const char *fmt,
				       const char *fmt_shown, const char *const *en,
				       const char *const *sh, int n)
{
	const char *e[4] = { "", "", "", "" }, *t[4] = { "", "", "", "" };
	enum engine_status s;
	for (int i = 0; i < n && i < 4; i++)
		e[i] = en[i], t[i] = sh[i];
	s = refuse(r, rule, fmt, e[0], e[1], e[2], e[3]);
	if (engine_translating()) {
		struct strbuf b = STRBUF_INIT;
		sb_init(&b);
		sb_addf(&b, engine_tr(fmt_shown ? fmt_shown : fmt), t[0], t[1], t[2], t[3]);
		free(r->shown);
		r->shown = sb_detach(&b);
	}
	return s;
}

static int stale(const struct engine_state *st, const struct plan *p,
		 const struct engine_action *a, struct engine_result *r)
{
	int now = st->phase == PHASE_RESPONSE ? st->level : -1;
	const char *what = action_name(a->kind);
	if (!a->has_seen && (a->seen_entry || a->seen_ns)) {
		/* a command: the level it meant is the one before any change journaled
		 * after it read the journal, or decided after it started (two
		 * commands running at once) */
		int moved = (a->seen_entry && st->level_entry > a->seen_entry) ||
			    (a->seen_ns && st->level_recorded_ns && st->level_recorded_ns >= a->seen_ns);
		if (!moved)
			return 0;
		char en[64], sh[128];
		const char *e4[4], *s4[4];
		level_words(st, p, now, en, sizeof en, sh, sizeof sh);
		e4[0] = en, s4[0] = sh;
		e4[1] = what, s4[1] = engine_tr(what);
		refuse_words(r, a->kind == ACT_ESCALATE ? RULE_ESCALATE_STALE : RULE_DOWNGRADE_STALE,
			     N_("the level changed as you asked: %s now; look again and %s if still "
				"needed (or say --from LEVEL)"), NULL, e4, s4, 2);
		return 1;
	}
	if (!a->has_seen || a->seen_level == now)
		return 0;
	{
		char en[64], sh[128], en2[64], sh2[128];
		const char *e4[4], *s4[4];
		level_words(st, p, now, en, sizeof en, sh, sizeof sh);
		level_words(NULL, p, a->seen_level, en2, sizeof en2, sh2, sizeof sh2);
		e4[0] = en, s4[0] = sh;
		e4[1] = en2, s4[1] = sh2;
		e4[2] = e4[3] = what;
		s4[2] = s4[3] = engine_tr(what); /* the action's word: "升级" */
		refuse_words(r, a->kind == ACT_ESCALATE ? RULE_ESCALATE_STALE : RULE_DOWNGRADE_STALE,
			     N_("the level changed since you looked: %s now, %s when you asked to %s "
				"one step; look again and %s if still needed"), NULL, e4, s4, 4);
	}
	return 1;
}

/* The level a one-step escalate would go to, or a refusal. */
static enum engine_status escalate_target(const struct engine_state *st, const struct plan *p,
					  int *to, struct engine_result *r)
{
	int in = st->phase == PHASE_RESPONSE;
	if (!p->nlevels)
		return refuse(r, RULE_ESCALATE, "the plan has no levels");
	*to = in ? st->level + 1 : 0;
	if ((size_t)*to >= p->nlevels)
		return refuse(r, RULE_ESCALATE_MAX, "already at level %s, the most severe",
			      eng_lv(p, st->level));
	return ENGINE_OK;
}

static enum engine_status downgrade_target(const struct engine_state *st, const struct plan *p,
					   int *to, struct engine_result *r)
{
	if (st->phase != PHASE_RESPONSE)
		return refuse_state(r, RULE_DOWNGRADE, N_("no response level to downgrade (state %s)"),
				    st);
	*to = st->level - 1;
	if (*to < 0)
		return refuse(r, RULE_DOWNGRADE_MIN,
			      "already at level %s, the least severe: terminate is the way out",
			      eng_lv(p, st->level));
	return ENGINE_OK;
}

static enum engine_status do_escalate(struct engine_state *st, const struct plan *p,
				      const struct engine_action *a, int64_t at,
				      struct engine_result *r)
{
	int in = st->phase == PHASE_RESPONSE;
	int to;

	if (a->target) {
		to = plan_level_index(p, a->target);
		if (in && to == st->level)
			return refuse(r, RULE_ESCALATE_SAME, "already at level %s", eng_lv(p, to));
		if (in && to < st->level)
			return refuse(r, RULE_ESCALATE_LOWER, "level %s is less severe than %s: use downgrade",
				      eng_lv(p, to), eng_lv(p, st->level));
	} else if (stale(st, p, a, r) || escalate_target(st, p, &to, r)) {
		return r->status;
	}
	if (!eng_said(a, a->text))
		return refuse(r, RULE_REASON, "escalate needs a reason");
	if (eng_level_role(p, a->actor, a->role, ACT_ESCALATE, to, r))
		return r->status;
	eng_set_level(st, p, to, st->phase == PHASE_WARNING ? WHY_ESCALATE_WARNING : WHY_ESCALATE, at, r);
	eng_clear_attestations(st);
	return ENGINE_OK;
}

static enum engine_status do_downgrade(struct engine_state *st, const struct plan *p,
				       const struct engine_action *a, int64_t at,
				       struct engine_result *r)
{
	int to;

	if (a->target) {
		if (st->phase != PHASE_RESPONSE)
			return refuse_state(r, RULE_DOWNGRADE,
					    N_("no response level to downgrade (state %s)"), st);
		to = plan_level_index(p, a->target);
		if (to == st->level)
			return refuse(r, RULE_DOWNGRADE_SAME, "already at level %s", eng_lv(p, to));
		if (to > st->level)
			return refuse(r, RULE_DOWNGRADE_HIGHER, "level %s is more severe than %s: use escalate",
				      eng_lv(p, to), eng_lv(p, st->level));
	} else if (stale(st, p, a, r) || downgrade_target(st, p, &to, r)) {
		return r->status;
	}
	if (!eng_said(a, a->text))
		return refuse(r, RULE_REASON, "downgrade needs a reason");
	if (eng_level_role(p, a->actor, a->role, ACT_DOWNGRADE, to, r))
		return r->status;
	eng_set_level(st, p, to, WHY_DOWNGRADE, at, r);
	return ENGINE_OK;
}

/* The proposal accept takes: of `level`, or the most severe. */
static int accept_pick(const struct engine_state *st, const struct plan *p, const char *level)
{
	int l = level ? plan_level_index(p, level) : -1;
	if (!level)
		return st->nproposals ? 0 : -1;
	for (size_t i = 0; i < st->nproposals; i++)
		if (st->proposals[i].level == l)
			return (int)i;
	return -1;
}

/* Accepting a proposal escalates to its level, or downgrades when it is
 * less severe than the response's level. */
static int accept_down(const struct engine_state *st, int level)
{
	return st->phase == PHASE_RESPONSE && level < st->level;
}

static enum engine_status do_accept(struct engine_state *st, const struct plan *p,
				    const struct engine_action *a, int64_t at, struct engine_result *r)
{
	int i = accept_pick(st, p, a->target), to, down;

	if (i < 0 && a->replay && a->target) {
		/* the decision stands: the level it went to */
		to = plan_level_index(p, a->target);
		if (st->phase == PHASE_RESPONSE && to == st->level)
			return refuse(r, RULE_ACCEPT, "already at level %s", a->target);
		down = accept_down(st, to);
		if (eng_level_role(p, a->actor, a->role, down ? ACT_DOWNGRADE : ACT_ESCALATE, to, r))
			return r->status;
		eng_set_level(st, p, to, WHY_ACCEPT, at, r);
		if (!down) /* as when it was decided: a new risk voids the attestations */
			eng_clear_attestations(st);
		return ENGINE_OK;
	}
	if (i < 0) {
		if (a->target)
			return refuse(r, RULE_ACCEPT, "no pending proposal of level %s", a->target);
		return refuse(r, RULE_ACCEPT, "no pending proposal to accept");
	}
	to = st->proposals[i].level;
	down = accept_down(st, to);
	if (eng_level_role(p, a->actor, a->role, down ? ACT_DOWNGRADE : ACT_ESCALATE, to, r))
		return r->status;
	eng_set_level(st, p, to, WHY_ACCEPT, at, r);
	if (!down)
		eng_clear_attestations(st);
	return ENGINE_OK;
}

static enum engine_status do_assess(struct engine_state *st, const struct plan *p,
				    const struct engine_action *a, int64_t at,
				    struct engine_result *r)
{
	const struct plan_matrix *mx = &p->matrix;
	int vi[4] = { 0, 0, 0, 0 };
	int level = mx->default_level, rule = -1, old = -1;
	char name[ENGINE_ID_MAX];
	struct engine_effect *e;

	if (!mx->ndims)
		return refuse(r, RULE_ASSESS, "the plan has no level decision matrix");
	for (size_t d = 0; d < mx->ndims && d < 4; d++)
		vi[d] = plan_dim_value(p, d, a->assess[d]);
	if (eng_plain_role(p, a, r))
		return r->status;
	for (size_t i = 0; i < mx->nrules && rule < 0; i++) {
		int match = 1;
		for (size_t d = 0; d < mx->ndims && d < 4 && match; d++)
			if (mx->rules[i].allowed[d] && !((mx->rules[i].allowed[d] >> vi[d]) & 1u))
				match = 0;
		if (match) {
			rule = (int)i;
			level = mx->rules[i].level;
		}
	}
	if (rule >= 0)
		snprintf(name, sizeof(name), "matrix#%d", rule + 1);
	else
		snprintf(name, sizeof(name), "matrix");
	for (size_t i = 0; i < st->nproposals; i++)
		if (st->proposals[i].source == PROP_MATRIX)
			old = (int)i;
	if ((e = eff_add(r, EFF_ASSESSED, at))) {
		e->ref = level >= 0 && (size_t)level < p->nlevels ? level : -1;
		copy_str(e->rule, sizeof(e->rule), name);
	}
	if (level < 0 || (size_t)level >= p->nlevels || (st->phase == PHASE_RESPONSE && level == st->level)) {
		if (e)
			e->why = level >= 0 && (size_t)level < p->nlevels ? WHY_ASSESS_CONFIRMS : WHY_NO_LEVEL;
		/* the latest assessment replaces any earlier one */
		if (old >= 0)
			eng_proposal_remove(st, p, (size_t)old, at, WHY_NO_LEVEL, r);
		return ENGINE_OK;
	}
	if (e)
		e->why = WHY_ASSESS_GIVES;
	/* the new proposal first, so that its deadlines do not lapse between;
	 * the old one is marked to find it again after the insertion */
	if (old >= 0)
		st->proposals[old].trigger = -2;
	eng_proposal_add(st, p, level, PROP_MATRIX, -1, name, at, r);
	for (size_t i = 0; i < st->nproposals; i++)
		if (st->proposals[i].trigger == -2) {
			st->proposals[i].trigger = -1;
			eng_proposal_remove(st, p, i, at, WHY_SUPERSEDED, r);
			break;
		}
	return ENGINE_OK;
}

static enum engine_status do_attest(struct engine_state *st, const struct plan *p,
				    const struct engine_action *a, int64_t at,
				    struct engine_result *r)
{
	int c = plan_criterion_index(p, a->target);
	struct role_need need;
	struct engine_effect *e;
	char what[96];

	if (p->criteria[c].kind != CRIT_ATTEST) {
		if (p->criteria[c].kind == CRIT_METRIC)
			return refuse(r, RULE_ATTEST, "criterion '%s' is measured, not attested",
				      p->criteria[c].id);
		return refuse(r, RULE_ATTEST, "criterion '%s' is the resources ledger, not attested",
			      p->criteria[c].id);
	}
	eng_need_init(&need, ACT_ATTEST);
	need.only = p->criteria[c].role;
	snprintf(what, sizeof(what), "attest '%s'", p->criteria[c].id);
	need.what = what;
	if (eng_pick_role(p, a->actor, a->role, &need, r))
		return r->status;
	st->criteria[c].attested = 1;
	st->criteria[c].attested_at = at;
	copy_str(st->criteria[c].attested_by, sizeof(st->criteria[c].attested_by), a->actor);
	if ((e = eff_add(r, EFF_ATTESTED, at))) {
		e->ref = c;
		copy_str(e->who, sizeof(e->who), a->actor);
	}
	return ENGINE_OK;
}

static enum engine_status do_done(struct engine_state *st, const struct plan *p,
				  const struct engine_action *a, int64_t at, struct engine_result *r)
{
	int ti = eng_find_task(st, a->target), oi, idx;
	const struct plan_obligation *ob;
	struct role_need need;
	char what[96];

	if (!strcmp(a->target, "warning_cap"))
		return refuse(r, RULE_DONE, "the warning cap is met by lifting the warning or escalating");
	eng_need_init(&need, ACT_DONE);
	snprintf(what, sizeof(what), "mark '%s' done", a->target);
	need.what = what;
	if (ti >= 0) {
		idx = obl_task_index(st, ti);
		if (idx < 0)
			return refuse(r, RULE_DONE, "task '%s' is not open", a->target);
		if (eng_pick_role(p, a->actor, a->role, &need, r))
			return r->status;
		obl_close(st, p, (size_t)idx, END_DONE, a->actor, at, WHY_NONE, r);
		return ENGINE_OK;
	}
	oi = plan_obligation_index(p, a->target);
	ob = &p->obligations[oi];
	if (ob->notice >= 0 && (size_t)ob->notice < p->nnotices)
		return refuse(r, RULE_DONE, "'%s' is a notice: it is met by sending it (notify), or "
			      "recording it given by hand (notify --by-hand)", ob->id);
	idx = obl_open_index(st, oi);
	if (idx < 0)
		return refuse(r, RULE_DONE, "obligation '%s' is not open", ob->id);
	if (ob->owner >= 0 && (size_t)ob->owner < p->nroles && ob->owner < 32 &&
	    !((engine_user_roles(p, a->actor) >> ob->owner) & 1u))
		return refuse(r, RULE_ROLES,
			      "obligation '%s' is owned by role '%s', which user '%s' does not hold",
			      ob->id, p->roles[ob->owner].id, a->actor ? a->actor : "");
	need.prefer = ob->owner;
	if (eng_pick_role(p, a->actor, a->role, &need, r))
		return r->status;
	obl_close(st, p, (size_t)idx, END_DONE, a->actor, at, WHY_NONE, r);
	if (ob->is_cadence && ob->every > 0 && st->phase != PHASE_TERMINATED)
		obl_start(st, p, oi, -1, -1, at, at + ob->every, 0, r);
	obl_event(st, p, ANCHOR_DONE, oi, at, r);
	return ENGINE_OK;
}

static enum engine_status check_termination(const struct engine_state *st, const struct plan *p,
					    struct engine_result *r)
{
	struct strbuf ids = STRBUF_INIT, titles = STRBUF_INIT;
	enum engine_status s = ENGINE_OK;
	sb_init(&ids);
	sb_init(&titles);
	if (eng_unmet_list(st, p, p->termination, p->ntermination, &ids, &titles))
		s = eng_refuse_unmet(r, RULE_TERMINATION, N_("cannot terminate: unmet: %s"), NULL,
				     NULL, NULL, &ids, &titles);
	sb_release(&ids);
	sb_release(&titles);
	return s;
}

static enum engine_status do_terminate(struct engine_state *st, const struct plan *p,
				       const struct engine_action *a, int64_t at,
				       struct engine_result *r)
{
	struct engine_effect *e;

	if (!a->replay && check_termination(st, p, r))
		return r->status;
	if (!eng_said(a, a->text))
		return refuse(r, RULE_REASON, "terminate needs a reason");
	if (eng_plain_role(p, a, r))
		return r->status;
	if (st->phase == PHASE_WARNING && (e = eff_add(r, EFF_WARNING_LIFTED, at))) {
		e->ref = st->warning;
		e->why = WHY_TERMINATED;
	}
	st->phase = PHASE_TERMINATED;
	st->terminated_at = at;
	st->warning = -1;
	st->warning_since = 0;
	st->warning_started = 0;
	while (st->nproposals)
		eng_proposal_remove(st, p, 0, at, WHY_TERMINATED, r);
	eff_add(r, EFF_TERMINATED, at);
	/* met_by terminate first, then everything else still open is moot */
	obl_event(st, p, ANCHOR_TERMINATE, -1, at, r);
	obl_terminate(st, p, at, r);
	return ENGINE_OK;
}

static enum engine_status do_handover(struct engine_state *st, const struct plan *p,
				      const struct engine_action *a, int64_t at,
				      struct engine_result *r)
{
	struct engine_effect *e;
	int found = 0;

	if (!strcmp(a->target, st->commander))
		return refuse(r, RULE_HANDOVER_SAME, "'%s' is already the commander", a->target);
	if (p->nroster) {
		for (size_t i = 0; i < p->nroster; i++)
			if (p->roster[i].user && !strcmp(p->roster[i].user, a->target))
				found = 1;
		if (!found)
			return refuse(r, RULE_HANDOVER_ROSTER, "user '%s' is not in the plan's roster",
				      a->target);
	}
	if (!eng_said(a, a->text))
		return refuse(r, RULE_REASON, "handover needs a reason");
	if (eng_plain_role(p, a, r))
		return r->status;
	if ((e = eff_add(r, EFF_COMMANDER, at))) {
		copy_str(e->who, sizeof(e->who), a->target);
		copy_str(e->old, sizeof(e->old), st->commander);
	}
	copy_str(st->commander, sizeof(st->commander), a->target);
	return ENGINE_OK;
}

static enum engine_status do_assign(struct engine_state *st, const struct plan *p,
				    const struct engine_action *a, int64_t at, struct engine_result *r)
{
	int role = plan_role_index(p, a->target);
	struct engine_effect *e;
	size_t i;

	for (i = 0; i < st->nresponders; i++)
		if (st->responders[i].role == role)
			break;
	if (a->kind == ACT_ASSIGN && i < st->nresponders && !strcmp(st->responders[i].person, a->person))
		return refuse(r, RULE_ASSIGN, "'%s' already holds role '%s'", a->person, a->target);
	if (a->kind == ACT_UNASSIGN && (i == st->nresponders || strcmp(st->responders[i].person, a->person)))
		return refuse(r, RULE_ASSIGN, "'%s' does not hold role '%s'", a->person, a->target);
	if (eng_plain_role(p, a, r))
		return r->status;
	e = eff_add(r, a->kind == ACT_ASSIGN ? EFF_ASSIGNED : EFF_UNASSIGNED, at);
	if (e) {
		e->ref = role;
		copy_str(e->who, sizeof(e->who), a->kind == ACT_ASSIGN ? a->person : "");
		copy_str(e->old, sizeof(e->old), i < st->nresponders ? st->responders[i].person : "");
	}
	if (a->kind == ACT_UNASSIGN) {
		memmove(&st->responders[i], &st->responders[i + 1],
			(st->nresponders - i - 1) * sizeof(*st->responders));
		st->nresponders--;
		return ENGINE_OK;
	}
	if (i == st->nresponders) {
		st->responders = xgrow(st->responders, sizeof(*st->responders), st->nresponders + 1,
				       &st->aresponders);
		st->nresponders++;
	}
	st->responders[i].role = role;
	copy_str(st->responders[i].person, sizeof(st->responders[i].person), a->person);
	st->responders[i].since = at;
	return ENGINE_OK;
}

static enum engine_status do_owner(struct engine_state *st, const struct plan *p,
				   const struct engine_action *a, int64_t at, struct engine_result *r)
{
	int ti = eng_find_task(st, a->target);
	char *slot;
	struct engine_effect *e;

	if (!strcmp(a->target, "warning_cap"))
		return refuse(r, RULE_OWNER, "the warning cap is the commander's");
	if (eng_plain_role(p, a, r))
		return r->status;
	if (ti >= 0) {
		slot = st->tasks[ti].person;
	} else {
		int oi = plan_obligation_index(p, a->target);
		slot = st->stats[oi].person;
	}
	if ((e = eff_add(r, EFF_OWNER, at))) {
		e->task = ti;
		e->ref = ti >= 0 ? ENGINE_TASK : plan_obligation_index(p, a->target);
		copy_str(e->who, sizeof(e->who), a->person);
		copy_str(e->old, sizeof(e->old), slot);
	}
	copy_str(slot, ENGINE_PERSON_MAX, a->person);
	return ENGINE_OK;
}

#define FOLLOWUP_DUE (7 * 86400) /* a follow-up without --due: a week (the review's habit) */

static enum engine_status do_task(struct engine_state *st, const struct plan *p,
				  const struct engine_action *a, int64_t at, struct engine_result *r)
{
	struct engine_task *t;
	struct engine_effect *e;
	int64_t due = a->due;

	if (st->phase == PHASE_TERMINATED && !a->followup)
		return refuse(r, RULE_TERMINATED, "the incident is terminated: only follow-ups "
			      "(task --followup) can be added");
	if (due && due <= at)
		return refuse(r, RULE_TASK, "the due time is not in the future");
	if (!due && a->followup)
		due = at + FOLLOWUP_DUE;
	if (eng_plain_role(p, a, r))
		return r->status;
	st->tasks = xgrow(st->tasks, sizeof(*st->tasks), st->ntasks + 1, &st->atasks);
	t = &st->tasks[st->ntasks];
	memset(t, 0, sizeof(*t));
	snprintf(t->id, sizeof(t->id), "t%zu", st->ntasks + 1);
	copy_str(t->title, sizeof(t->title), a->text);
	copy_str(t->person, sizeof(t->person), a->person);
	t->followup = a->followup ? 1 : 0;
	t->created = at;
	t->due = due;
	t->outcome = OUT_OPEN;
	st->ntasks++;
	copy_str(r->task_id, sizeof(r->task_id), t->id);
	if ((e = eff_add(r, EFF_TASK, at))) {
		e->task = (int)st->ntasks - 1;
		e->ref = ENGINE_TASK;
		e->due = due;
		copy_str(e->who, sizeof(e->who), t->person);
	}
	obl_start(st, p, ENGINE_TASK, (int)st->ntasks - 1, -1, at, due, 0, r);
	return ENGINE_OK;
}

static enum engine_status do_resource(struct engine_state *st, const struct plan *p,
				      const struct engine_action *a, int64_t at,
				      struct engine_result *r)
{
	int i = plan_resource_index(p, a->target);
	const struct plan_resource *res = &p->resources[i];
	struct engine_resource_state *rs = &st->resources[i];
	struct engine_effect *e;

	if (!a->withdraw && rs->deployed + a->count > res->count)
		return refuse(r, RULE_RESOURCE, "the ledger holds %lld of '%s' and %lld are out: "
			      "%lld more cannot be deployed", (long long)res->count, res->id,
			      (long long)rs->deployed, (long long)a->count);
	if (a->withdraw && a->count > rs->deployed)
		return refuse(r, RULE_RESOURCE, "only %lld of '%s' are deployed: %lld cannot be withdrawn",
			      (long long)rs->deployed, res->id, (long long)a->count);
	if (eng_plain_role(p, a, r))
		return r->status;
	if (rs->deployed && at > rs->last_change)
		rs->used_secs += rs->deployed * (at - rs->last_change);
	if (!rs->deployed)
		rs->since = at;
	rs->deployed += a->withdraw ? -a->count : a->count;
	rs->last_change = at;
	copy_str(rs->by, sizeof(rs->by), a->actor);
	if (!rs->deployed)
		rs->since = 0;
	if ((e = eff_add(r, a->withdraw ? EFF_WITHDRAWN : EFF_DEPLOYED, at))) {
		e->ref = i;
		e->count = a->count;
		copy_str(e->who, sizeof(e->who), a->actor);
	}
	return ENGINE_OK;
}

static enum engine_status do_approve(struct engine_state *st, const struct plan *p,
				     const struct engine_action *a, int64_t at,
				     struct engine_result *r)
{
	int n = plan_notice_index(p, a->target);
	const struct plan_notice *no = &p->notices[n];
	struct engine_notice_state *ns = &st->notices[n];
	struct role_need need;
	struct engine_effect *e;
	char what[96];

	if (no->review < 0)
		return refuse(r, RULE_NOTICE, "notice '%s' needs no approval", no->id);
	if (obl_open_index(st, no->obligation) < 0)
		return refuse(r, RULE_NOTICE, "notice '%s' is not due: nothing to approve", no->id);
	/* approved already: again only for another wording */
	if (ns->approved && (!a->text_hash || !ns->approved_hash[0] ||
			     !strcmp(ns->approved_hash, a->text_hash)))
		return refuse(r, RULE_NOTICE, "notice '%s' is already approved by %s", no->id,
			      ns->approved_by);
	eng_need_init(&need, ACT_APPROVE);
	need.only = no->review;
	snprintf(what, sizeof(what), "approve notice '%s'", no->id);
	need.what = what;
	if (eng_pick_role(p, a->actor, a->role, &need, r))
		return r->status;
	ns->approved = 1;
	copy_str(ns->approved_by, sizeof(ns->approved_by), a->actor);
	copy_str(ns->approved_hash, sizeof(ns->approved_hash), a->text_hash ? a->text_hash : "");
	ns->approved_entry = a->entry ? a->entry : ENGINE_ENTRY_PENDING;
	if ((e = eff_add(r, EFF_APPROVED, at))) {
		e->ref = n;
		copy_str(e->who, sizeof(e->who), a->actor);
	}
	return ENGINE_OK;
}

static enum engine_status do_notify(struct engine_state *st, const struct plan *p,
				    const struct engine_action *a, int64_t at,
				    struct engine_result *r)
{
	int n = plan_notice_index(p, a->target);
	const struct plan_notice *no = &p->notices[n];
	struct engine_notice_state *ns = &st->notices[n];
	int open = obl_open_index(st, no->obligation);
	struct engine_effect *e;

	if (a->notify == NOTIFY_ATTEMPT || a->notify == NOTIFY_BY_HAND) {
		if (open < 0 && ns->sent == 0)
			return refuse(r, RULE_NOTICE, "notice '%s' is not due: its event has not happened",
				      no->id);
		if (open >= 0 && no->review >= 0 && !ns->approved)
			return refuse(r, RULE_NOTICE_APPROVAL,
				      "notice '%s' needs the approval of role '%s' before it is sent",
				      no->id, plan_role_id(p, no->review));
		/* the approval is of a wording: another one needs approving again */
		if (open >= 0 && no->review >= 0 && ns->approved_hash[0] && a->text_hash &&
		    strcmp(ns->approved_hash, a->text_hash) != 0)
			return refuse(r, RULE_NOTICE_APPROVAL,
				      "notice '%s': this wording is not the one %s approved; role '%s' "
				      "approves it again before it is sent", no->id, ns->approved_by,
				      plan_role_id(p, no->review));
	}
	if (eng_plain_role(p, a, r))
		return r->status;
	ns->last_entry = a->entry ? a->entry : ENGINE_ENTRY_PENDING;
	switch (a->notify) {
	case NOTIFY_ATTEMPT:
		ns->state = NOTICE_UNKNOWN;
		ns->last_attempt = at;
		return ENGINE_OK;
	case NOTIFY_FAILED:
		ns->state = NOTICE_FAILED;
		ns->failed++;
		if ((e = eff_add(r, EFF_NOTICE_FAILED, at)))
			e->ref = n;
		return ENGINE_OK;
	case NOTIFY_DELIVERED:
	case NOTIFY_BY_HAND:
		ns->state = NOTICE_SENT;
		ns->sent++;
		ns->sent_at = at;
		if (a->notify == NOTIFY_BY_HAND)
			ns->last_attempt = at;
		if ((e = eff_add(r, EFF_NOTICE_SENT, at))) {
			e->ref = n;
			copy_str(e->who, sizeof(e->who), a->actor);
			e->why = a->notify == NOTIFY_BY_HAND ? WHY_BY_HAND : WHY_SENT;
		}
		open = obl_open_index(st, no->obligation);
		if (open >= 0) {
			const struct plan_obligation *ob = &p->obligations[no->obligation];
			obl_close(st, p, (size_t)open, END_DONE, a->actor, at, WHY_SENT, r);
			if (ob->is_cadence && ob->every > 0 && st->phase != PHASE_TERMINATED)
				obl_start(st, p, no->obligation, -1, -1, at, at + ob->every, 0, r);
			obl_event(st, p, ANCHOR_DONE, no->obligation, at, r);
			if (obl_open_index(st, no->obligation) < 0)
				ns->state = NOTICE_SENT;
		}
		return ENGINE_OK;
	}
	return ENGINE_OK;
}

/* After termination only notes, review notes, follow-ups and what is
 * still open (the termination report, follow-ups, a notice termination
 * made due) go on; and the outcome of a notice attempt made before. */
static int allowed_after_termination(const struct engine_state *st, const struct plan *p,
				     const struct engine_action *a)
{
	int ti, n;
	switch (a->kind) {
	case ACT_APPROVE:
	case ACT_NOTIFY:
		n = plan_notice_index(p, a->target);
		if (n < 0)
			return 0;
		if (obl_open_index(st, p->notices[n].obligation) >= 0)
			return 1;
		return a->kind == ACT_NOTIFY && st->notices[n].state == NOTICE_UNKNOWN &&
		       (a->notify == NOTIFY_DELIVERED || a->notify == NOTIFY_FAILED);
	case ACT_LOG:
	case ACT_NOTE_REVIEW:
	case ACT_TASK: /* do_task refuses all but follow-ups */
		return 1;
	case ACT_DONE:
	case ACT_OWNER:
		ti = eng_find_task(st, a->target);
		if (ti >= 0)
			return obl_task_index(st, ti) >= 0;
		return obl_open_index(st, plan_obligation_index(p, a->target)) >= 0;
	default:
		return 0;
	}
}

enum engine_status engine_apply(struct engine_state *st, const struct plan *p,
				const struct engine_action *a, struct engine_result *r)
{
	int64_t at;
	enum engine_status s;

	r->status = ENGINE_OK;
	err_release(&r->err);
	r->role[0] = r->answered[0] = r->task_id[0] = '\0';
	r->from_level = r->to_level = -1;
	r->entry = a->entry;
	r->recorded_at = a->recorded_at;
	r->recorded_ns = a->recorded_ns;
	/* advance first: refused or malformed, the state is then as after
	 * engine_advance(a->at), whichever check finds it (engine.h) */
	at = a->at > st->now ? a->at : st->now;
	engine_advance(st, p, at, r);
	if ((unsigned)a->kind >= ACT__COUNT)
		return invalid(r, RULE_NONE, "unknown action");
	if (eng_validate(st, p, a, r))
		return r->status;
	if (a->kind == ACT_OPEN) {
		if (st->opened)
			return refuse(r, RULE_OPEN, "the incident is already open");
		s = do_open(st, p, a, at, r);
		goto out;
	}
	if (!st->opened)
		return refuse(r, RULE_OPEN, "the incident is not open");
	if (st->phase == PHASE_TERMINATED && !allowed_after_termination(st, p, a))
		return refuse(r, RULE_TERMINATED, "the incident is terminated: only notes, review notes, "
			      "follow-ups and what is still open go on");
	switch (a->kind) {
	case ACT_LOG:
	case ACT_NOTE_REVIEW: s = eng_plain_role(p, a, r); break;
	case ACT_METRIC:
	case ACT_CORRECT: s = do_metric(st, p, a, at, r); break;
	case ACT_WARN: s = do_warn(st, p, a, at, r); break;
	case ACT_LIFT: s = do_lift(st, p, a, at, r); break;
	case ACT_ESCALATE: s = do_escalate(st, p, a, at, r); break;
	case ACT_DOWNGRADE: s = do_downgrade(st, p, a, at, r); break;
	case ACT_ACCEPT: s = do_accept(st, p, a, at, r); break;
	case ACT_ASSESS: s = do_assess(st, p, a, at, r); break;
	case ACT_ATTEST: s = do_attest(st, p, a, at, r); break;
	case ACT_DONE: s = do_done(st, p, a, at, r); break;
	case ACT_TERMINATE: s = do_terminate(st, p, a, at, r); break;
	case ACT_HANDOVER: s = do_handover(st, p, a, at, r); break;
	case ACT_ASSIGN:
	case ACT_UNASSIGN: s = do_assign(st, p, a, at, r); break;
	case ACT_OWNER: s = do_owner(st, p, a, at, r); break;
	case ACT_TASK: s = do_task(st, p, a, at, r); break;
	case ACT_RESOURCE: s = do_resource(st, p, a, at, r); break;
	case ACT_APPROVE: s = do_approve(st, p, a, at, r); break;
	case ACT_NOTIFY: s = do_notify(st, p, a, at, r); break;
	default: return invalid(r, RULE_NONE, "unknown action");
	}
out:
	if (s != ENGINE_OK)
		return s;
	if (action_info[a->kind].changes_state) {
		st->last_change = a->at > st->last_change ? a->at : st->last_change;
		/* cadences follow the phase, level and warning */
		obl_sync_cadences(st, p, at, r);
	}
	return ENGINE_OK;
}

void engine_bind_entry(struct engine_state *st, int64_t entry)
{
	if (st->level_entry == ENGINE_ENTRY_PENDING)
		st->level_entry = entry;
	for (size_t i = 0; i < st->nnotices; i++) {
		if (st->notices[i].last_entry == ENGINE_ENTRY_PENDING)
			st->notices[i].last_entry = entry;
		if (st->notices[i].approved_entry == ENGINE_ENTRY_PENDING)
			st->notices[i].approved_entry = entry;
	}
}

/* ------------------------------------------------------------------ */
/* may: what the screens and commands ask before a form opens           */

enum engine_status engine_may_on(const struct engine_state *st, const struct plan *p,
				 const struct engine_action *a, struct engine_result *r)
{
	struct engine_state copy;
	struct engine_action at_now = *a;
	enum engine_status s;

	at_now.at = st->now;
	at_now.entry = 0;
	at_now.replay = 0;
	engine_copy(&copy, st);
	s = engine_apply(&copy, p, &at_now, r);
	engine_release(&copy);
	return s;
}

static enum engine_status may_role(const struct plan *p, const char *actor, const char *as,
				   enum sitrep_action perm, struct engine_result *r)
{
	struct role_need need;
	eng_need_init(&need, perm);
	return eng_pick_role(p, actor, as, &need, r);
}

/* Long by design: a switch with one short case per kind of action. */
enum engine_status engine_may(const struct engine_state *st, const struct plan *p,
			      const char *actor, const char *as, enum sitrep_action kind,
			      struct engine_result *r)
{
	int to, any = 0;

	r->status = ENGINE_OK;
	err_release(&r->err);
	if (kind == ACT_OPEN)
		return st->opened ? refuse(r, RULE_OPEN, "the incident is already open")
				  : may_role(p, actor, as, ACT_OPEN, r);
	if (!st->opened)
		return refuse(r, RULE_OPEN, "the incident is not open");
	if (st->phase == PHASE_TERMINATED) {
		switch (kind) {
		case ACT_LOG: case ACT_NOTE_REVIEW: case ACT_TASK: case ACT_OWNER:
			break;
		case ACT_DONE:
			if (!st->nobls)
				return refuse(r, RULE_TERMINATED, "the incident is terminated and nothing is open");
			break;
		case ACT_APPROVE:
		case ACT_NOTIFY: /* a notice termination made due */
			for (size_t i = 0; i < p->nnotices && !any; i++)
				any = obl_open_index(st, p->notices[i].obligation) >= 0;
			if (!any)
				return refuse(r, RULE_TERMINATED,
					      "the incident is terminated and no notice is due");
			any = 0;
			break;
		default:
			return refuse(r, RULE_TERMINATED, "the incident is terminated");
		}
	}
	switch (kind) {
	case ACT_LIFT:
		if (check_lift(st, p, r))
			return r->status;
		break;
	case ACT_TERMINATE:
		if (check_termination(st, p, r))
			return r->status;
		break;
	case ACT_ESCALATE:
		if (escalate_target(st, p, &to, r))
			return r->status;
		return eng_level_role(p, actor, as, ACT_ESCALATE, to, r);
	case ACT_DOWNGRADE:
		if (downgrade_target(st, p, &to, r))
			return r->status;
		return eng_level_role(p, actor, as, ACT_DOWNGRADE, to, r);
	case ACT_ACCEPT:
		if (!st->nproposals)
			return refuse(r, RULE_ACCEPT, "nothing to accept: no level is proposed");
		to = st->proposals[0].level;
		return eng_level_role(p, actor, as, accept_down(st, to) ? ACT_DOWNGRADE : ACT_ESCALATE,
				  to, r);
	case ACT_WARN:
		if (!p->nwarnings)
			return refuse(r, RULE_WARN, "the plan defines no warnings");
		if (st->phase == PHASE_RESPONSE)
			return refuse(r, RULE_WARN_RESPONSE, "a response is running: warnings come before it");
		if (st->phase == PHASE_WARNING && (size_t)st->warning + 1 >= p->nwarnings)
			return refuse(r, RULE_WARN_SAME, "the %s warning, the most severe, is already raised",
				      eng_wid(p, st->warning));
		break;
	case ACT_METRIC:
	case ACT_CORRECT:
		if (!p->nmetrics)
			return refuse(r, RULE_METRIC, "the plan defines no metrics");
		break;
	case ACT_ATTEST:
		for (size_t i = 0; i < p->ncriteria; i++)
			any |= p->criteria[i].kind == CRIT_ATTEST;
		if (!any)
			return refuse(r, RULE_ATTEST, "the plan has no criterion to attest");
		break;
	case ACT_DONE:
		for (size_t i = 0; i < st->nobls && !any; i++) {
			const struct engine_obligation *o = &st->obls[i];
			any = o->plan_index == ENGINE_TASK ||
			      (o->plan_index >= 0 &&
			       (p->obligations[o->plan_index].notice < 0 ||
				(size_t)p->obligations[o->plan_index].notice >= p->nnotices));
		}
		if (!any)
			return refuse(r, RULE_DONE, "no obligation or task is open");
		break;
	case ACT_ASSESS:
		if (!p->matrix.ndims)
			return refuse(r, RULE_ASSESS, "the plan has no level decision matrix");
		break;
	case ACT_RESOURCE:
		if (!p->nresources)
			return refuse(r, RULE_RESOURCE, "the plan has no resources ledger");
		break;
	case ACT_APPROVE:
		for (size_t i = 0; i < p->nnotices && !any; i++)
			any = p->notices[i].review >= 0 && !st->notices[i].approved &&
			      obl_open_index(st, p->notices[i].obligation) >= 0;
		if (!any)
			return refuse(r, RULE_NOTICE, "no notice is waiting for approval");
		break;
	case ACT_NOTIFY:
		for (size_t i = 0; i < p->nnotices && !any; i++)
			any = obl_open_index(st, p->notices[i].obligation) >= 0 || st->notices[i].sent;
		if (!any)
			return refuse(r, RULE_NOTICE, "no notice is due");
		break;
	default:
		break;
	}
	return may_role(p, actor, as, eng_permission(kind, 0), r);
}

enum engine_status engine_may_place(const struct engine_state *head, enum sitrep_action kind,
				    int64_t at, struct engine_result *r)
{
	char b1[40], b2[40];
	if ((unsigned)kind >= ACT__COUNT || !action_info[kind].changes_state || at >= head->last_change)
		return ENGINE_OK;
	return refuse(r, RULE_BACKFILL, "'%s' cannot be placed at %s, before the state change "
		      "recorded at %s", action_name(kind), time_format_utc(at, b1, sizeof(b1)),
		      time_format_utc(head->last_change, b2, sizeof(b2)));
}

enum engine_status engine_check_clock(int64_t clock, int64_t newest, struct engine_result *r)
{
	char b1[40], b2[40];
	if (clock >= newest)
		return ENGINE_OK;
	return refuse(r, RULE_CLOCK, "this machine's clock says %s, before the journal's newest "
		      "entry (recorded %s): set the clock right, then try again",
		      time_format_utc(clock, b1, sizeof(b1)), time_format_utc(newest, b2, sizeof(b2)));
}
