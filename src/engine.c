/* engine: the incident state machine (see include/sitrep/engine.h).
 *
 * Pure: every function here takes the time as an argument and touches
 * nothing but the state it is given. The shape of engine_apply is always
 * the same: validate the request (unknown names are malformed, not
 * refused), advance to the action's time, check the rules (refusals change
 * nothing), then change the state and record what happened as effects.
 * Deadlines live in engine_obl.c, snapshots in engine_codec.c. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

static const char *const why_texts[WHY__COUNT] = {
#define X(id, text) text,
	ENGINE_WHYS(X)
#undef X
};

const char *engine_why_text(int why)
{
	return why >= 0 && why < WHY__COUNT ? why_texts[why] : "";
}

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static int nonempty(const char *s)
{
	return s && *s;
}

static const char *lv(const struct plan *p, int l)
{
	const char *id = plan_level_id(p, l);
	return id ? id : "?";
}

static const char *wid(const struct plan *p, int w)
{
	const char *id = plan_warning_id(p, w);
	return id ? id : "?";
}

static int64_t stale_after(const struct plan *p, int m)
{
	int64_t s = m >= 0 && (size_t)m < p->nmetrics ? p->metrics[m].stale_after : 0;
	return s > 0 ? s : PLAN_STALE_AFTER;
}

/* ------------------------------------------------------------------ */
/* results                                                             */

static engine_translator translator;

void engine_set_translator(engine_translator tr)
{
	translator = tr;
}

void engine_result_init(struct engine_result *r)
{
	memset(r, 0, sizeof(*r));
	r->status = ENGINE_OK;
	r->from_level = r->to_level = -1;
}

void engine_result_release(struct engine_result *r)
{
	err_release(&r->err);
	free(r->shown);
	free(r->effects);
	engine_result_init(r);
}

void engine_result_reset(struct engine_result *r)
{
	struct engine_effect *e = r->effects;
	size_t a = r->aeffects;
	err_release(&r->err);
	free(r->shown);
	engine_result_init(r);
	r->effects = e;
	r->aeffects = a;
}

struct engine_effect *eff_add(struct engine_result *r, enum sitrep_effect kind, int64_t at)
{
	struct engine_effect *e;
	if (!r)
		return NULL;
	r->effects = xgrow(r->effects, sizeof(*r->effects), r->neffects + 1, &r->aeffects);
	e = &r->effects[r->neffects++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->at = at;
	e->ref = e->from = e->trigger = e->task = -1;
	return e;
}

static enum engine_status vrefuse(struct engine_result *r, enum engine_status st, int rule,
				  const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap2;
	sb_init(&sb);
	va_copy(ap2, ap);
	sb_vaddf(&sb, fmt, ap);
	free(r->shown);
	r->shown = NULL;
	if (translator) {
		struct strbuf t = STRBUF_INIT;
		sb_init(&t);
		sb_vaddf(&t, translator(fmt), ap2);
		r->shown = sb_detach(&t);
	}
	va_end(ap2);
	r->status = st;
	if (st == ENGINE_INVALID)
		err_set(&r->err, SITREP_EXIT_USAGE, NULL, 0, 0, "%s", sb.buf);
	else
		err_refuse(&r->err, rule_name(rule), "%s", sb.buf);
	if (st == ENGINE_INVALID && rule) {
		free(r->err.rule);
		r->err.rule = xstrdup(rule_name(rule));
	}
	sb_release(&sb);
	return st;
}

enum engine_status refuse(struct engine_result *r, int rule, const char *fmt, ...)
{
	va_list ap;
	enum engine_status s;
	va_start(ap, fmt);
	s = vrefuse(r, ENGINE_REFUSED, rule, fmt, ap);
	va_end(ap);
	return s;
}

enum engine_status invalid(struct engine_result *r, int rule, const char *fmt, ...)
{
	va_list ap;
	enum engine_status s;
	va_start(ap, fmt);
	s = vrefuse(r, ENGINE_INVALID, rule, fmt, ap);
	va_end(ap);
	return s;
}

/* ------------------------------------------------------------------ */
/* lifecycle                                                           */

void engine_init(struct engine_state *st, const struct plan *p)
{
	memset(st, 0, sizeof(*st));
	st->phase = PHASE_MONITORING;
	st->level = st->warning = st->peak_level = -1;
	st->nmetrics = p->nmetrics;
	st->metrics = p->nmetrics ? xcalloc(p->nmetrics, sizeof(*st->metrics)) : NULL;
	st->ntriggers = p->ntriggers;
	st->triggers = p->ntriggers ? xcalloc(p->ntriggers, sizeof(*st->triggers)) : NULL;
	st->ncriteria = p->ncriteria;
	st->criteria = p->ncriteria ? xcalloc(p->ncriteria, sizeof(*st->criteria)) : NULL;
	st->nresources = p->nresources;
	st->resources = p->nresources ? xcalloc(p->nresources, sizeof(*st->resources)) : NULL;
	st->nnotices = p->nnotices;
	st->notices = p->nnotices ? xcalloc(p->nnotices, sizeof(*st->notices)) : NULL;
	st->nstats = p->nobligations;
	st->stats = p->nobligations ? xcalloc(p->nobligations, sizeof(*st->stats)) : NULL;
	for (size_t i = 0; i < st->ntriggers; i++) {
		st->triggers[i].since = st->triggers[i].last = -1;
		st->triggers[i].fired_at = -1;
	}
	for (size_t i = 0; i < st->ncriteria; i++)
		for (size_t k = 0; k < ENGINE_MAX_CONDS; k++)
			st->criteria[i].since[k] = -1;
}

void engine_release(struct engine_state *st)
{
	free(st->metrics);
	free(st->triggers);
	free(st->criteria);
	free(st->resources);
	free(st->notices);
	free(st->stats);
	free(st->proposals);
	free(st->obls);
	free(st->tasks);
	free(st->responders);
	memset(st, 0, sizeof(*st));
	st->level = st->warning = st->peak_level = -1;
}

static void *dup_array(const void *src, size_t n, size_t size)
{
	void *d;
	if (!n || !src)
		return NULL;
	d = xmalloc(n * size);
	memcpy(d, src, n * size);
	return d;
}

void engine_copy(struct engine_state *dst, const struct engine_state *src)
{
	*dst = *src;
#define DUP(f, n) dst->f = dup_array(src->f, src->n, sizeof(*src->f))
	DUP(metrics, nmetrics);
	DUP(triggers, ntriggers);
	DUP(criteria, ncriteria);
	DUP(resources, nresources);
	DUP(notices, nnotices);
	DUP(stats, nstats);
	DUP(proposals, nproposals);
	DUP(obls, nobls);
	DUP(tasks, ntasks);
	DUP(responders, nresponders);
#undef DUP
	dst->aproposals = dst->proposals ? src->nproposals : 0;
	dst->aobls = dst->obls ? src->nobls : 0;
	dst->atasks = dst->tasks ? src->ntasks : 0;
	dst->aresponders = dst->responders ? src->nresponders : 0;
}

/* ------------------------------------------------------------------ */
/* roles                                                               */

uint32_t engine_user_roles(const struct plan *p, const char *user)
{
	size_t n = p->nroles < 32 ? p->nroles : 32;
	uint32_t all = n == 32 ? 0xffffffffu : ((1u << n) - 1u);

	if (!p->nroster)
		return all;
	if (!user)
		return 0;
	for (size_t i = 0; i < p->nroster; i++) {
		const struct plan_roster_entry *e = &p->roster[i];
		uint32_t m = 0;
		if (!e->user || strcmp(e->user, user))
			continue;
		for (size_t k = 0; k < e->nroles; k++)
			if (e->roles[k] >= 0 && e->roles[k] < (int)n)
				m |= 1u << e->roles[k];
		return m;
	}
	return 0;
}

/* The permission an action needs: accept is an escalation or a downgrade;
 * correcting a reading is recording one; unassign is assign. */
static enum sitrep_action permission(enum sitrep_action kind, int down)
{
	switch (kind) {
	case ACT_ACCEPT: return down ? ACT_DOWNGRADE : ACT_ESCALATE;
	case ACT_CORRECT: return ACT_METRIC;
	case ACT_UNASSIGN: return ACT_ASSIGN;
	default: return kind;
	}
}

/* Extra constraints an action puts on the role it is taken in. */
struct role_need {
	enum sitrep_action perm;  /* the permission needed */
	const int *allowed;       /* roles allowed (activated_by), NULL = any */
	size_t nallowed;
	int only;                 /* the one role allowed (attest, approve), -1 = any */
	int prefer;               /* role to pick first when held and fitting, -1 none */
	const char *what;         /* "escalate to level 'I'" for messages */
};

static void need_init(struct role_need *n, enum sitrep_action perm)
{
	memset(n, 0, sizeof(*n));
	n->perm = perm;
	n->only = n->prefer = -1;
}

static int role_fits(const struct plan *p, int role, const struct role_need *need)
{
	if (!((p->roles[role].actions >> need->perm) & 1u))
		return 0;
	if (need->only >= 0 && role != need->only)
		return 0;
	if (need->allowed) {
		for (size_t i = 0; i < need->nallowed; i++)
			if (need->allowed[i] == role)
				return 1;
		return 0;
	}
	return 1;
}

/* The role the action is taken in: --as (held and fitting) or the first
 * held role that fits. Fills r->role; refuses with rule `roles`. */
static enum engine_status pick_role(const struct plan *p, const char *actor, const char *as,
				    const struct role_need *need, struct engine_result *r)
{
	const char *what = need->what ? need->what : action_name(need->perm);
	const char *user = actor ? actor : "";
	size_t n = p->nroles < 32 ? p->nroles : 32;
	struct strbuf allow = STRBUF_INIT;
	uint32_t held;
	int pick = -1;
	enum engine_status s;

	if (!p->nroles) { /* a plan without roles: nothing to check */
		r->role[0] = '\0';
		return ENGINE_OK;
	}
	held = engine_user_roles(p, actor);
	if (as) {
		int ri = plan_role_index(p, as);
		if (ri < 0)
			return invalid(r, RULE_ROLES, "plan '%s' has no role '%s'", p->id, as);
		if (!((held >> ri) & 1u))
			return refuse(r, RULE_ROLES, "user '%s' does not hold role '%s'", user, as);
		if (role_fits(p, ri, need))
			pick = ri;
	} else {
		if (need->prefer >= 0 && (size_t)need->prefer < n && ((held >> need->prefer) & 1u) &&
		    role_fits(p, need->prefer, need))
			pick = need->prefer;
		for (size_t i = 0; pick < 0 && i < n; i++)
			if (((held >> i) & 1u) && role_fits(p, (int)i, need))
				pick = (int)i;
	}
	if (pick >= 0) {
		copy_str(r->role, sizeof(r->role), p->roles[pick].id);
		return ENGINE_OK;
	}
	sb_init(&allow);
	for (size_t i = 0; i < n; i++)
		if (role_fits(p, (int)i, need))
			sb_addf(&allow, "%s%s", allow.len ? ", " : "", p->roles[i].id);
	if (as)
		s = refuse(r, RULE_ROLES, "role '%s' may not %s (roles that may: %s)", as, what,
			   allow.len ? allow.buf : "none");
	else
		s = refuse(r, RULE_ROLES, "user '%s' holds no role that may %s (roles that may: %s)",
			   user, what, allow.len ? allow.buf : "none");
	sb_release(&allow);
	return s;
}

static enum engine_status plain_role(const struct plan *p, const struct engine_action *a,
				     struct engine_result *r)
{
	struct role_need need;
	need_init(&need, permission(a->kind, 0));
	return pick_role(p, a->actor, a->role, &need, r);
}

/* The role for a level change to `to`: its activated_by, if any. */
static enum engine_status level_role(const struct plan *p, const char *actor, const char *as,
				     enum sitrep_action perm, int to, struct engine_result *r)
{
	struct role_need need;
	char what[96];
	need_init(&need, perm);
	snprintf(what, sizeof(what), "%s to level %s", action_name(perm), lv(p, to));
	need.what = what;
	if (p->levels[to].nactivated_by) {
		need.allowed = p->levels[to].activated_by;
		need.nallowed = p->levels[to].nactivated_by;
	}
	return pick_role(p, actor, as, &need, r);
}

/* ------------------------------------------------------------------ */
/* proposals, warnings, levels                                         */

static void clear_attestations(struct engine_state *st)
{
	for (size_t i = 0; i < st->ncriteria; i++) {
		st->criteria[i].attested = 0;
		st->criteria[i].attested_at = 0;
		st->criteria[i].attested_by[0] = '\0';
	}
}

/* Remove proposal i. Withdrawn for a reason other than a level change
 * answering it: the deadlines it started are withdrawn once none is left. */
static void proposal_remove(struct engine_state *st, const struct plan *p, size_t i, int64_t at,
			    enum engine_why why, struct engine_result *r)
{
	struct engine_proposal pr = st->proposals[i];
	struct engine_effect *e;

	memmove(&st->proposals[i], &st->proposals[i + 1],
		(st->nproposals - i - 1) * sizeof(*st->proposals));
	st->nproposals--;
	if ((e = eff_add(r, EFF_PROPOSAL_WITHDRAWN, at))) {
		e->ref = pr.level;
		e->trigger = pr.trigger;
		e->why = why;
		copy_str(e->rule, sizeof(e->rule), pr.rule);
	}
	if (why == WHY_TRIGGER_CLEARED || why == WHY_NO_LEVEL || why == WHY_SUPERSEDED)
		obl_withdraw_by_proposal(st, p, at, r);
}

/* Add a proposal, most severe first (equal levels: the older first). */
static void proposal_add(struct engine_state *st, const struct plan *p, int level,
			 enum engine_proposal_source src, int trigger, const char *rule,
			 int64_t at, struct engine_result *r)
{
	struct engine_proposal *pr;
	struct engine_effect *e;
	size_t pos = 0;

	while (pos < st->nproposals && st->proposals[pos].level >= level)
		pos++;
	st->proposals = xgrow(st->proposals, sizeof(*st->proposals), st->nproposals + 1,
			      &st->aproposals);
	memmove(&st->proposals[pos + 1], &st->proposals[pos],
		(st->nproposals - pos) * sizeof(*st->proposals));
	st->nproposals++;
	pr = &st->proposals[pos];
	memset(pr, 0, sizeof(*pr));
	pr->level = level;
	pr->source = src;
	pr->trigger = trigger;
	copy_str(pr->rule, sizeof(pr->rule), rule);
	pr->at = at;
	if ((e = eff_add(r, EFF_PROPOSAL, at))) {
		e->ref = level;
		e->trigger = trigger;
		copy_str(e->rule, sizeof(e->rule), rule);
	}
	obl_event(st, p, ANCHOR_PROPOSAL, -1, at, r);
}

static int has_trigger_proposal(const struct engine_state *st, int ti)
{
	for (size_t i = 0; i < st->nproposals; i++)
		if (st->proposals[i].source == PROP_TRIGGER && st->proposals[i].trigger == ti)
			return 1;
	return 0;
}

/* A firing trigger proposes its level while the incident is below it:
 * after a downgrade the proposal comes back (docs/decisions.md). */
static void repropose(struct engine_state *st, const struct plan *p, int64_t at,
		      struct engine_result *r)
{
	if (st->phase == PHASE_TERMINATED)
		return;
	for (size_t i = 0; i < p->ntriggers && i < st->ntriggers; i++) {
		const struct plan_trigger *t = &p->triggers[i];
		if (!st->triggers[i].firing || t->propose_level < 0 ||
		    (size_t)t->propose_level >= p->nlevels)
			continue;
		if (st->phase == PHASE_RESPONSE && t->propose_level <= st->level)
			continue;
		if (!has_trigger_proposal(st, (int)i))
			proposal_add(st, p, t->propose_level, PROP_TRIGGER, (int)i, t->id, at, r);
	}
}

static void raise_warning(struct engine_state *st, const struct plan *p, int w, int trigger,
			  int64_t at, struct engine_result *r)
{
	int from = st->warning;
	int first = st->phase != PHASE_WARNING;
	struct engine_effect *e;
	int cap;

	st->phase = PHASE_WARNING;
	st->warning = w;
	st->warning_since = at;
	if (first)
		st->warning_started = at;
	clear_attestations(st);
	if ((e = eff_add(r, EFF_WARNING_RAISED, at))) {
		e->ref = w;
		e->from = from;
		e->trigger = trigger;
		e->why = trigger >= 0 ? WHY_BY_TRIGGER : WHY_BY_HAND;
	}
	if (first)
		obl_event(st, p, ANCHOR_WARNING, -1, at, r);
	obl_event(st, p, ANCHOR_WARNING_ID, w, at, r);
	/* The cap counts from the first colour of the episode: a rise from
	 * blue to yellow keeps it (and it now caps the yellow warning); a colour
	 * with a cap after one without starts one, counted from the start. */
	cap = obl_open_index(st, ENGINE_CAP);
	if (cap >= 0)
		st->obls[cap].warning = w;
	else if (p->warnings[w].max_duration > 0)
		obl_start(st, p, ENGINE_CAP, -1, w, at, st->warning_started + p->warnings[w].max_duration,
			  0, r);
}

/* After a level change: answered proposals, stale proposals. */
static void tidy_proposals(struct engine_state *st, const struct plan *p, int64_t at,
			   struct engine_result *r)
{
	for (size_t i = 0; i < st->nproposals;) {
		const struct engine_proposal *pr = &st->proposals[i];
		if (pr->level == st->level)
			proposal_remove(st, p, i, at, WHY_LEVEL_REACHED, r);
		else if (pr->source == PROP_TRIGGER && pr->level < st->level)
			proposal_remove(st, p, i, at, WHY_LEVEL_HIGHER, r);
		else
			i++;
	}
}

static void set_level(struct engine_state *st, const struct plan *p, int to, enum engine_why how,
		      int64_t at, struct engine_result *r)
{
	int from = st->level;
	int entering = st->phase != PHASE_RESPONSE;
	struct engine_effect *e;

	if (r) {
		r->from_level = entering ? -1 : from;
		r->to_level = to;
		r->answered[0] = '\0';
		for (size_t i = 0; i < st->nproposals; i++)
			if (st->proposals[i].level == to) {
				copy_str(r->answered, sizeof(r->answered), st->proposals[i].rule);
				break;
			}
	}
	if (entering && st->phase == PHASE_WARNING) {
		if ((e = eff_add(r, EFF_WARNING_LIFTED, at))) {
			e->ref = st->warning;
			e->why = WHY_RESPONSE_STARTED;
		}
		obl_cap_met(st, p, at, WHY_RESPONSE_STARTED, r);
		st->warning = -1;
		st->warning_since = 0;
		st->warning_started = 0;
	}
	st->phase = PHASE_RESPONSE;
	st->level = to;
	st->level_since = at;
	st->level_entry = r ? (r->entry ? r->entry : ENGINE_ENTRY_PENDING) : 0;
	st->level_recorded_ns = r ? r->recorded_ns : 0;
	if (!st->response_since)
		st->response_since = at;
	if (st->peak_level < to)
		st->peak_level = to;
	if ((e = eff_add(r, EFF_LEVEL, at))) {
		e->ref = to;
		e->from = entering ? -1 : from;
		e->why = how;
	}
	tidy_proposals(st, p, at, r);
	if (entering)
		obl_event(st, p, ANCHOR_RESPONSE, -1, at, r);
	obl_event(st, p, ANCHOR_LEVEL, to, at, r);
	repropose(st, p, at, r);
}

/* ------------------------------------------------------------------ */
/* readings, triggers and time                                         */

/* Hysteresis: a firing trigger clears only once a reading is strictly on
 * the far side of clear_value (for "> 8, clear 6": below 6). */
static int past_clear(const struct plan_trigger *t, double v)
{
	if (!t->has_clear)
		return 1;
	switch (t->cond.op) {
	case CMP_GT:
	case CMP_GE: return v < t->clear_value;
	case CMP_LT:
	case CMP_LE: return v > t->clear_value;
	default: return 1;
	}
}

static void fire_trigger(struct engine_state *st, const struct plan *p, size_t ti, int64_t at,
			 struct engine_result *r)
{
	const struct plan_trigger *t = &p->triggers[ti];
	struct engine_trigger_state *ts = &st->triggers[ti];
	struct engine_effect *e;

	ts->firing = 1;
	ts->fired_at = at;
	if ((e = eff_add(r, EFF_TRIGGER_FIRED, at))) {
		e->ref = (int)ti;
		e->trigger = (int)ti;
	}
	if (t->raise_warning >= 0 && (size_t)t->raise_warning < p->nwarnings &&
	    (st->phase == PHASE_MONITORING ||
	     (st->phase == PHASE_WARNING && t->raise_warning > st->warning)))
		raise_warning(st, p, t->raise_warning, (int)ti, at, r);
	if (t->propose_level >= 0 && (size_t)t->propose_level < p->nlevels &&
	    (st->phase != PHASE_RESPONSE || t->propose_level > st->level) &&
	    !has_trigger_proposal(st, (int)ti))
		proposal_add(st, p, t->propose_level, PROP_TRIGGER, (int)ti, t->id, at, r);
	obl_event(st, p, ANCHOR_TRIGGER, (int)ti, at, r);
	obl_sync_cadences(st, p, at, r);
}

/* When trigger i's window completes on fresh readings: since + for, if its
 * readings are still fresh then. A run whose readings went stale first is
 * broken (since = -1) once that time is reached. INT64_MAX: nothing due. */
static int64_t window_time(struct engine_state *st, const struct plan *p, size_t i, int64_t t)
{
	struct engine_trigger_state *ts = &st->triggers[i];
	int64_t w, fresh;

	if (ts->firing || ts->since < 0)
		return INT64_MAX;
	w = ts->since + p->triggers[i].for_secs;
	fresh = ts->last + stale_after(p, p->triggers[i].cond.metric);
	if (w <= fresh)
		return w;
	if (fresh < t) { /* silence broke the run before the window completed */
		ts->since = ts->last = -1;
	}
	return INT64_MAX;
}

/* Everything time does up to t, in time order: trigger windows complete,
 * cadence deadlines a whole period past due are missed. */
static void time_passes(struct engine_state *st, const struct plan *p, int64_t t,
			struct engine_result *r)
{
	if (!st->opened || st->phase == PHASE_TERMINATED)
		return;
	for (;;) {
		int best = -1;
		int64_t when = INT64_MAX, miss;

		for (size_t i = 0; i < st->ntriggers && i < p->ntriggers; i++) {
			int64_t w = window_time(st, p, i, t);
			if (w <= t && w < when) {
				best = (int)i;
				when = w;
			}
		}
		miss = obl_next_miss(st, p);
		if (miss <= t && miss < when) {
			if (miss > st->now)
				st->now = miss;
			obl_miss_due(st, p, miss, r);
			continue;
		}
		if (best < 0)
			break;
		if (when < st->now) /* a window completed by a backfilled reading */
			when = st->now;
		st->now = when;
		fire_trigger(st, p, (size_t)best, when, r);
	}
}

void engine_advance(struct engine_state *st, const struct plan *p, int64_t t,
		    struct engine_result *r)
{
	if (t <= st->now)
		return;
	time_passes(st, p, t, r);
	st->now = t;
}

static void reading(struct engine_state *st, const struct plan *p, int m, double v, int64_t at,
		    int64_t now, struct engine_result *r)
{
	struct engine_metric_state *ms = &st->metrics[m];
	int64_t prev = ms->has_value ? ms->at : -1;
	int64_t stale = stale_after(p, m);

	ms->has_value = 1;
	ms->value = v;
	ms->at = at;
	ms->count++;
	for (size_t i = 0; i < p->ntriggers; i++) {
		const struct plan_trigger *t = &p->triggers[i];
		struct engine_trigger_state *ts = &st->triggers[i];
		struct engine_effect *e;

		if (t->cond.metric != m)
			continue;
		if (plan_cond_holds(&t->cond, v)) {
			/* a run holds while fresh readings keep arriving */
			if (ts->since < 0 || (ts->last >= 0 && at - ts->last > stale))
				ts->since = at;
			ts->last = at;
			continue;
		}
		ts->since = ts->last = -1;
		if (!ts->firing || !past_clear(t, v))
			continue;
		ts->firing = 0;
		if ((e = eff_add(r, EFF_TRIGGER_CLEARED, now))) {
			e->ref = (int)i;
			e->trigger = (int)i;
		}
		for (size_t k = 0; k < st->nproposals; k++)
			if (st->proposals[k].source == PROP_TRIGGER && st->proposals[k].trigger == (int)i) {
				proposal_remove(st, p, k, now, WHY_TRIGGER_CLEARED, r);
				break;
			}
	}
	for (size_t i = 0; i < p->ncriteria; i++) {
		const struct plan_criterion *c = &p->criteria[i];
		if (c->kind != CRIT_METRIC)
			continue;
		for (size_t k = 0; k < c->nconds && k < ENGINE_MAX_CONDS; k++) {
			if (c->conds[k].metric != m)
				continue;
			if (!plan_cond_holds(&c->conds[k], v))
				st->criteria[i].since[k] = -1;
			else if (st->criteria[i].since[k] < 0 || (prev >= 0 && at - prev > stale))
				st->criteria[i].since[k] = at;
		}
	}
}

/* ------------------------------------------------------------------ */
/* queries                                                             */

int engine_metric_fresh(const struct engine_state *st, const struct plan *p, int m)
{
	if (m < 0 || (size_t)m >= st->nmetrics || !st->metrics[m].has_value)
		return 0;
	return st->now - st->metrics[m].at <= stale_after(p, m);
}

static int all_withdrawn(const struct engine_state *st)
{
	for (size_t i = 0; i < st->nresources; i++)
		if (st->resources[i].deployed > 0)
			return 0;
	return 1;
}

/* The latest `since` of a metric criterion's conditions, -1 when one does
 * not hold on a fresh reading now. */
static int64_t criterion_since(const struct engine_state *st, const struct plan *p, int crit)
{
	const struct plan_criterion *c = &p->criteria[crit];
	int64_t latest = -1;
	if (!c->nconds)
		return -1;
	for (size_t k = 0; k < c->nconds && k < ENGINE_MAX_CONDS; k++) {
		int64_t s = st->criteria[crit].since[k];
		if (s < 0 || !engine_metric_fresh(st, p, c->conds[k].metric))
			return -1;
		if (s > latest)
			latest = s;
	}
	return latest;
}

int engine_criterion_met(const struct engine_state *st, const struct plan *p, int crit)
{
	const struct plan_criterion *c;
	int64_t since;

	if (crit < 0 || (size_t)crit >= p->ncriteria || (size_t)crit >= st->ncriteria)
		return 0;
	c = &p->criteria[crit];
	switch (c->kind) {
	case CRIT_ATTEST: return st->criteria[crit].attested;
	case CRIT_RESOURCES: return all_withdrawn(st);
	case CRIT_METRIC: break;
	}
	since = criterion_since(st, p, crit);
	return since >= 0 && st->now - since >= c->for_secs;
}

int64_t engine_criterion_held(const struct engine_state *st, const struct plan *p, int crit)
{
	const struct plan_criterion *c;
	int64_t since;

	if (crit < 0 || (size_t)crit >= p->ncriteria || (size_t)crit >= st->ncriteria)
		return -1;
	c = &p->criteria[crit];
	if (c->kind == CRIT_ATTEST)
		return st->criteria[crit].attested ? st->now - st->criteria[crit].attested_at : -1;
	if (c->kind == CRIT_RESOURCES)
		return all_withdrawn(st) ? 0 : -1;
	since = criterion_since(st, p, crit);
	if (since < 0)
		return -1;
	return st->now > since ? st->now - since : 0;
}

int64_t engine_trigger_held(const struct engine_state *st, const struct plan *p, int trig)
{
	const struct engine_trigger_state *ts;
	if (trig < 0 || (size_t)trig >= p->ntriggers || (size_t)trig >= st->ntriggers)
		return -1;
	ts = &st->triggers[trig];
	if (ts->since < 0 || st->now - ts->last > stale_after(p, p->triggers[trig].cond.metric))
		return -1;
	return st->now > ts->since ? st->now - ts->since : 0;
}

int engine_obligation_overdue(const struct engine_state *st, const struct engine_obligation *o)
{
	return o->due != 0 && st->now > o->due;
}

const char *engine_obligation_id(const struct engine_state *st, const struct plan *p,
				 const struct engine_obligation *o)
{
	if (o->plan_index == ENGINE_CAP)
		return "warning_cap";
	if (o->plan_index == ENGINE_TASK)
		return o->task >= 0 && (size_t)o->task < st->ntasks ? st->tasks[o->task].id : "?";
	return plan_obligation_id(p, o->plan_index) ? plan_obligation_id(p, o->plan_index) : "?";
}

enum sitrep_obl_kind engine_obligation_kind(const struct engine_state *st,
					    const struct engine_obligation *o)
{
	if (o->plan_index != ENGINE_TASK)
		return OBLK_OBLIGATION;
	if (o->task >= 0 && (size_t)o->task < st->ntasks && st->tasks[o->task].followup)
		return OBLK_FOLLOWUP;
	return OBLK_TASK;
}

int engine_obligation_role(const struct plan *p, const struct engine_obligation *o)
{
	if (o->plan_index < 0 || (size_t)o->plan_index >= p->nobligations)
		return -1;
	return p->obligations[o->plan_index].owner;
}

const char *engine_obligation_person(const struct engine_state *st,
				     const struct engine_obligation *o)
{
	if (o->plan_index == ENGINE_TASK)
		return o->task >= 0 && (size_t)o->task < st->ntasks ? st->tasks[o->task].person : "";
	if (o->plan_index >= 0 && (size_t)o->plan_index < st->nstats)
		return st->stats[o->plan_index].person;
	return "";
}

const char *engine_responder(const struct engine_state *st, int role)
{
	for (size_t i = 0; i < st->nresponders; i++)
		if (st->responders[i].role == role)
			return st->responders[i].person;
	return "";
}

/* The unmet criteria among idx[]: their ids, ", "-joined, for the journaled
 * message (which must not depend on the language the plan's titles were
 * loaded in), and "title (id)" for the message shown; how many. */
static size_t unmet_list(const struct engine_state *st, const struct plan *p, const int *idx,
			 size_t n, struct strbuf *ids, struct strbuf *titles)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		const struct plan_criterion *c;
		if (idx[i] < 0 || (size_t)idx[i] >= p->ncriteria || engine_criterion_met(st, p, idx[i]))
			continue;
		c = &p->criteria[idx[i]];
		count++;
		sb_addf(ids, "%s%s", ids->len ? ", " : "", c->id);
		if (c->title && strcmp(c->title, c->id) != 0)
			sb_addf(titles, "%s%s (%s)", titles->len ? ", " : "", c->title, c->id);
		else
			sb_addf(titles, "%s%s", titles->len ? ", " : "", c->id);
	}
	return count;
}

/* A refusal whose shown (translated) message names the criteria by title. */
static enum engine_status refuse_unmet(struct engine_result *r, int rule, const char *fmt,
				       const char *first, const struct strbuf *ids,
				       const struct strbuf *titles)
{
	enum engine_status s = first ? refuse(r, rule, fmt, first, ids->buf)
				     : refuse(r, rule, fmt, ids->buf);
	if (translator) {
		struct strbuf t = STRBUF_INIT;
		sb_init(&t);
		if (first)
			sb_addf(&t, translator(fmt), first, titles->buf);
		else
			sb_addf(&t, translator(fmt), titles->buf);
		free(r->shown);
		r->shown = sb_detach(&t);
	}
	return s;
}

/* ------------------------------------------------------------------ */
/* validation: malformed requests (exit 2, not journaled)              */

static int text_too_long(const char *s)
{
	return s && strlen(s) > ENGINE_TEXT_MAX;
}

static int find_task(const struct engine_state *st, const char *id)
{
	for (size_t i = 0; id && i < st->ntasks; i++)
		if (!strcmp(st->tasks[i].id, id))
			return (int)i;
	return -1;
}

static enum engine_status validate(const struct engine_state *st, const struct plan *p,
				   const struct engine_action *a, struct engine_result *r)
{
	const char *t = a->target;

	if (text_too_long(a->text) || text_too_long(a->person))
		return invalid(r, RULE_TEXT, "the text is longer than %d KiB", ENGINE_TEXT_MAX / 1024);
	switch (a->kind) {
	case ACT_OPEN:
		if (!nonempty(a->text))
			return invalid(r, RULE_TEXT, "open needs a title");
		break;
	case ACT_LOG:
		if (!nonempty(a->text))
			return invalid(r, RULE_TEXT, "log needs a text");
		break;
	case ACT_NOTE_REVIEW:
		if (!nonempty(t) || section_lookup(t) < 0) {
			struct strbuf ids = STRBUF_INIT;
			enum engine_status s;
			sb_init(&ids);
			for (int i = 0; i < SECTION__COUNT; i++)
				sb_addf(&ids, "%s%s", i ? ", " : "", section_name(i));
			s = invalid(r, RULE_NOTE_REVIEW, "unknown review section '%s' (one of: %s)",
				    t ? t : "", ids.buf);
			sb_release(&ids);
			return s;
		}
		if (!nonempty(a->text))
			return invalid(r, RULE_TEXT, "note-review needs a text");
		break;
	case ACT_METRIC:
	case ACT_CORRECT:
		if (a->kind == ACT_METRIC && !a->nreadings)
			return invalid(r, RULE_METRIC, "metric needs NAME=VALUE readings");
		if (a->kind == ACT_CORRECT && !a->void_reading && !a->nreadings)
			return invalid(r, RULE_CORRECT, "correct needs NAME=VALUE readings, or none to void the reading");
		for (size_t i = 0; i < a->nreadings; i++) {
			if (a->readings[i].metric < 0 || (size_t)a->readings[i].metric >= p->nmetrics)
				return invalid(r, RULE_METRIC, "plan '%s' has no such metric", p->id);
			if (!isfinite(a->readings[i].value))
				return invalid(r, RULE_METRIC, "reading '%s' is not a finite number",
					       p->metrics[a->readings[i].metric].id);
		}
		if (a->kind == ACT_CORRECT && !nonempty(a->text))
			return invalid(r, RULE_REASON, "correct needs a reason");
		break;
	case ACT_WARN:
		if (plan_warning_index(p, t) < 0)
			return invalid(r, RULE_WARN, "plan '%s' has no warning '%s'", p->id, t ? t : "");
		break;
	case ACT_ESCALATE:
	case ACT_DOWNGRADE:
	case ACT_ACCEPT:
		if (t && plan_level_index(p, t) < 0)
			return invalid(r, RULE_ESCALATE, "plan '%s' has no level '%s'", p->id, t);
		break;
	case ACT_ATTEST:
		if (plan_criterion_index(p, t) < 0)
			return invalid(r, RULE_ATTEST, "plan '%s' has no criterion '%s'", p->id, t ? t : "");
		break;
	case ACT_DONE:
	case ACT_OWNER:
		if (plan_obligation_index(p, t) < 0 && find_task(st, t) < 0 &&
		    !(t && !strcmp(t, "warning_cap")))
			return invalid(r, RULE_DONE, "incident has no obligation or task '%s'", t ? t : "");
		if (a->kind == ACT_OWNER && !nonempty(a->person))
			return invalid(r, RULE_OWNER, "owner needs a person");
		break;
	case ACT_HANDOVER:
		if (!nonempty(t))
			return invalid(r, RULE_HANDOVER, "handover needs the user who takes command");
		break;
	case ACT_ASSIGN:
	case ACT_UNASSIGN:
		if (plan_role_index(p, t) < 0)
			return invalid(r, RULE_ASSIGN, "plan '%s' has no role '%s'", p->id, t ? t : "");
		if (!nonempty(a->person))
			return invalid(r, RULE_ASSIGN, "%s needs a person", action_name(a->kind));
		if (strlen(a->person) >= ENGINE_PERSON_MAX)
			return invalid(r, RULE_TEXT, "a person's name is at most %d bytes",
				       ENGINE_PERSON_MAX - 1);
		break;
	case ACT_TASK:
		if (!nonempty(a->text))
			return invalid(r, RULE_TASK, "task needs a title");
		if (strlen(a->text) >= ENGINE_TASK_TITLE_MAX)
			return invalid(r, RULE_TASK, "a task's title is at most %d bytes",
				       ENGINE_TASK_TITLE_MAX - 1);
		if (a->person && strlen(a->person) >= ENGINE_PERSON_MAX)
			return invalid(r, RULE_TEXT, "a person's name is at most %d bytes",
				       ENGINE_PERSON_MAX - 1);
		break;
	case ACT_RESOURCE:
		if (plan_resource_index(p, t) < 0)
			return invalid(r, RULE_RESOURCE, "plan '%s' has no resource '%s'", p->id,
				       t ? t : "");
		if (a->count <= 0)
			return invalid(r, RULE_RESOURCE, "a count must be a positive whole number");
		break;
	case ACT_APPROVE:
	case ACT_NOTIFY:
		if (plan_notice_index(p, t) < 0)
			return invalid(r, RULE_NOTICE, "plan '%s' has no notice '%s'", p->id, t ? t : "");
		break;
	case ACT_ASSESS:
		for (size_t d = 0; d < p->matrix.ndims && d < 4; d++) {
			const struct plan_dimension *dim = &p->matrix.dims[d];
			struct strbuf vals = STRBUF_INIT;
			enum engine_status s;
			if (a->assess[d] && plan_dim_value(p, d, a->assess[d]) >= 0)
				continue;
			sb_init(&vals);
			for (size_t v = 0; v < dim->nvalues; v++)
				sb_addf(&vals, "%s%s", v ? ", " : "", dim->values[v]);
			if (!a->assess[d])
				s = invalid(r, RULE_ASSESS, "assess needs --%s (one of: %s)", dim->id, vals.buf);
			else
				s = invalid(r, RULE_ASSESS, "'%s' is not a value of '%s' (one of: %s)",
					    a->assess[d], dim->id, vals.buf);
			sb_release(&vals);
			return s;
		}
		break;
	default:
		break;
	}
	return ENGINE_OK;
}

/* ------------------------------------------------------------------ */
/* actions                                                             */

static enum engine_status do_open(struct engine_state *st, const struct plan *p,
				  const struct engine_action *a, int64_t at, struct engine_result *r)
{
	struct engine_effect *e;
	if (plain_role(p, a, r))
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
	if (plain_role(p, a, r))
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
		reading(st, p, a->readings[i].metric, a->readings[i].value, a->at, at, r);
	if (st->nproposals != nprop) /* a trigger cleared: "while proposal" cadences */
		obl_sync_cadences(st, p, at, r);
	time_passes(st, p, at, r);   /* windows of 0s fire at once */
	st->now = at;
	return ENGINE_OK;
}

static enum engine_status do_warn(struct engine_state *st, const struct plan *p,
				  const struct engine_action *a, int64_t at, struct engine_result *r)
{
	int w = plan_warning_index(p, a->target);

	if (st->phase == PHASE_RESPONSE)
		return refuse(r, RULE_WARN_RESPONSE,
			      "a response is running at level %s: warnings come before a response",
			      lv(p, st->level));
	if (st->phase == PHASE_WARNING && w == st->warning)
		return refuse(r, RULE_WARN_SAME, "the %s warning is already raised", wid(p, w));
	if (st->phase == PHASE_WARNING && w < st->warning)
		return refuse(r, RULE_WARN_LOWER, "the %s warning is more severe than %s: lift it instead",
			      wid(p, st->warning), wid(p, w));
	if (!nonempty(a->text))
		return refuse(r, RULE_REASON, "warn needs a reason");
	if (plain_role(p, a, r))
		return r->status;
	raise_warning(st, p, w, -1, at, r);
	return ENGINE_OK;
}

static enum engine_status check_lift(const struct engine_state *st, const struct plan *p,
				     struct engine_result *r)
{
	struct strbuf ids = STRBUF_INIT, titles = STRBUF_INIT;
	enum engine_status s = ENGINE_OK;
	if (st->phase != PHASE_WARNING)
		return refuse(r, RULE_LIFT, "no warning to lift (state %s)", phase_name(st->phase));
	sb_init(&ids);
	sb_init(&titles);
	if (unmet_list(st, p, p->lift, p->nlift, &ids, &titles))
		s = refuse_unmet(r, RULE_LIFT, "cannot lift the %s warning: unmet: %s",
				 wid(p, st->warning), &ids, &titles);
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
		return refuse(r, RULE_LIFT, "no warning to lift (state %s)", phase_name(st->phase));
	if ((!a->replay && check_lift(st, p, r)) || plain_role(p, a, r))
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
		snprintf(en, en_size, "level %s", lv(p, level));
		snprintf(sh, sh_size, translator ? translator("level %s") : "level %s", lv(p, level));
	} else {
		const char *w = st ? phase_name(st->phase) : "no level";
		snprintf(en, en_size, "%s", w);
		snprintf(sh, sh_size, "%s", translator ? translator(w) : w);
	}
}

/* A refusal whose words differ by language: fmt takes n strings (at most
 * 4), en[] for the journal, sh[] for the screen. */
static enum engine_status refuse_words(struct engine_result *r, int rule, const char *fmt,
				       const char *const *en, const char *const *sh, int n)
{
	const char *e[4] = { "", "", "", "" }, *t[4] = { "", "", "", "" };
	enum engine_status s;
	for (int i = 0; i < n && i < 4; i++)
		e[i] = en[i], t[i] = sh[i];
	s = refuse(r, rule, fmt, e[0], e[1], e[2], e[3]);
	if (translator) {
		struct strbuf b = STRBUF_INIT;
		sb_init(&b);
		sb_addf(&b, translator(fmt), t[0], t[1], t[2], t[3]);
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
		e4[1] = s4[1] = what;
		refuse_words(r, a->kind == ACT_ESCALATE ? RULE_ESCALATE_STALE : RULE_DOWNGRADE_STALE,
			     N_("the level changed as you asked: %s now; look again and %s if still "
				"needed (or say --from LEVEL)"), e4, s4, 2);
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
		e4[2] = s4[2] = what;
		e4[3] = s4[3] = what;
		refuse_words(r, a->kind == ACT_ESCALATE ? RULE_ESCALATE_STALE : RULE_DOWNGRADE_STALE,
			     N_("the level changed since you looked: %s now, %s when you asked to %s "
				"one step; look again and %s if still needed"), e4, s4, 4);
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
			      lv(p, st->level));
	return ENGINE_OK;
}

static enum engine_status downgrade_target(const struct engine_state *st, const struct plan *p,
					   int *to, struct engine_result *r)
{
	if (st->phase != PHASE_RESPONSE)
		return refuse(r, RULE_DOWNGRADE, "no response level to downgrade (state %s)",
			      phase_name(st->phase));
	*to = st->level - 1;
	if (*to < 0)
		return refuse(r, RULE_DOWNGRADE_MIN,
			      "already at level %s, the least severe: terminate is the way out",
			      lv(p, st->level));
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
			return refuse(r, RULE_ESCALATE_SAME, "already at level %s", lv(p, to));
		if (in && to < st->level)
			return refuse(r, RULE_ESCALATE_LOWER, "level %s is less severe than %s: use downgrade",
				      lv(p, to), lv(p, st->level));
	} else if (stale(st, p, a, r) || escalate_target(st, p, &to, r)) {
		return r->status;
	}
	if (!nonempty(a->text))
		return refuse(r, RULE_REASON, "escalate needs a reason");
	if (level_role(p, a->actor, a->role, ACT_ESCALATE, to, r))
		return r->status;
	set_level(st, p, to, st->phase == PHASE_WARNING ? WHY_ESCALATE_WARNING : WHY_ESCALATE, at, r);
	clear_attestations(st);
	return ENGINE_OK;
}

static enum engine_status do_downgrade(struct engine_state *st, const struct plan *p,
				       const struct engine_action *a, int64_t at,
				       struct engine_result *r)
{
	int to;

	if (a->target) {
		if (st->phase != PHASE_RESPONSE)
			return refuse(r, RULE_DOWNGRADE, "no response level to downgrade (state %s)",
				      phase_name(st->phase));
		to = plan_level_index(p, a->target);
		if (to == st->level)
			return refuse(r, RULE_DOWNGRADE_SAME, "already at level %s", lv(p, to));
		if (to > st->level)
			return refuse(r, RULE_DOWNGRADE_HIGHER, "level %s is more severe than %s: use escalate",
				      lv(p, to), lv(p, st->level));
	} else if (stale(st, p, a, r) || downgrade_target(st, p, &to, r)) {
		return r->status;
	}
	if (!nonempty(a->text))
		return refuse(r, RULE_REASON, "downgrade needs a reason");
	if (level_role(p, a->actor, a->role, ACT_DOWNGRADE, to, r))
		return r->status;
	set_level(st, p, to, WHY_DOWNGRADE, at, r);
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
		if (level_role(p, a->actor, a->role, down ? ACT_DOWNGRADE : ACT_ESCALATE, to, r))
			return r->status;
		set_level(st, p, to, WHY_ACCEPT, at, r);
		if (!down) /* as when it was decided: a new risk voids the attestations */
			clear_attestations(st);
		return ENGINE_OK;
	}
	if (i < 0) {
		if (a->target)
			return refuse(r, RULE_ACCEPT, "no pending proposal of level %s", a->target);
		return refuse(r, RULE_ACCEPT, "no pending proposal to accept");
	}
	to = st->proposals[i].level;
	down = accept_down(st, to);
	if (level_role(p, a->actor, a->role, down ? ACT_DOWNGRADE : ACT_ESCALATE, to, r))
		return r->status;
	set_level(st, p, to, WHY_ACCEPT, at, r);
	if (!down)
		clear_attestations(st);
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
	if (plain_role(p, a, r))
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
			proposal_remove(st, p, (size_t)old, at, WHY_NO_LEVEL, r);
		return ENGINE_OK;
	}
	if (e)
		e->why = WHY_ASSESS_GIVES;
	/* the new proposal first, so that its deadlines do not lapse between;
	 * the old one is marked to find it again after the insertion */
	if (old >= 0)
		st->proposals[old].trigger = -2;
	proposal_add(st, p, level, PROP_MATRIX, -1, name, at, r);
	for (size_t i = 0; i < st->nproposals; i++)
		if (st->proposals[i].trigger == -2) {
			st->proposals[i].trigger = -1;
			proposal_remove(st, p, i, at, WHY_SUPERSEDED, r);
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
	need_init(&need, ACT_ATTEST);
	need.only = p->criteria[c].role;
	snprintf(what, sizeof(what), "attest '%s'", p->criteria[c].id);
	need.what = what;
	if (pick_role(p, a->actor, a->role, &need, r))
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
	int ti = find_task(st, a->target), oi, idx;
	const struct plan_obligation *ob;
	struct role_need need;
	char what[96];

	if (!strcmp(a->target, "warning_cap"))
		return refuse(r, RULE_DONE, "the warning cap is met by lifting the warning or escalating");
	need_init(&need, ACT_DONE);
	snprintf(what, sizeof(what), "mark '%s' done", a->target);
	need.what = what;
	if (ti >= 0) {
		idx = obl_task_index(st, ti);
		if (idx < 0)
			return refuse(r, RULE_DONE, "task '%s' is not open", a->target);
		if (pick_role(p, a->actor, a->role, &need, r))
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
	if (pick_role(p, a->actor, a->role, &need, r))
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
	if (unmet_list(st, p, p->termination, p->ntermination, &ids, &titles))
		s = refuse_unmet(r, RULE_TERMINATION, "cannot terminate: unmet: %s", NULL, &ids,
				 &titles);
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
	if (!nonempty(a->text))
		return refuse(r, RULE_REASON, "terminate needs a reason");
	if (plain_role(p, a, r))
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
		proposal_remove(st, p, 0, at, WHY_TERMINATED, r);
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
	if (!nonempty(a->text))
		return refuse(r, RULE_REASON, "handover needs a reason");
	if (plain_role(p, a, r))
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
	if (plain_role(p, a, r))
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
	int ti = find_task(st, a->target);
	char *slot;
	struct engine_effect *e;

	if (!strcmp(a->target, "warning_cap"))
		return refuse(r, RULE_OWNER, "the warning cap is the commander's");
	if (plain_role(p, a, r))
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
	if (plain_role(p, a, r))
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
	if (plain_role(p, a, r))
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
	need_init(&need, ACT_APPROVE);
	need.only = no->review;
	snprintf(what, sizeof(what), "approve notice '%s'", no->id);
	need.what = what;
	if (pick_role(p, a->actor, a->role, &need, r))
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
	if (plain_role(p, a, r))
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
		ti = find_task(st, a->target);
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
	if (validate(st, p, a, r))
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
	case ACT_NOTE_REVIEW: s = plain_role(p, a, r); break;
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
	need_init(&need, perm);
	return pick_role(p, actor, as, &need, r);
}

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
		return level_role(p, actor, as, ACT_ESCALATE, to, r);
	case ACT_DOWNGRADE:
		if (downgrade_target(st, p, &to, r))
			return r->status;
		return level_role(p, actor, as, ACT_DOWNGRADE, to, r);
	case ACT_ACCEPT:
		if (!st->nproposals)
			return refuse(r, RULE_ACCEPT, "nothing to accept: no level is proposed");
		to = st->proposals[0].level;
		return level_role(p, actor, as, accept_down(st, to) ? ACT_DOWNGRADE : ACT_ESCALATE,
				  to, r);
	case ACT_WARN:
		if (!p->nwarnings)
			return refuse(r, RULE_WARN, "the plan defines no warnings");
		if (st->phase == PHASE_RESPONSE)
			return refuse(r, RULE_WARN_RESPONSE, "a response is running: warnings come before it");
		if (st->phase == PHASE_WARNING && (size_t)st->warning + 1 >= p->nwarnings)
			return refuse(r, RULE_WARN_SAME, "the %s warning, the most severe, is already raised",
				      wid(p, st->warning));
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
	return may_role(p, actor, as, permission(kind, 0), r);
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
