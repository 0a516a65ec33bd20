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
	/* snprintf's "%s" did the same at twenty times the cost, on every
	 * entry a replay applies */
	size_t n = src ? strlen(src) : 0;
	if (!size)
		return;
	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

int eng_nonempty(const char *s)
{
	return s && *s;
}

/* Blank: nothing but spaces, tabs, line breaks and the ideographic space
 * (U+3000, what a Chinese input method types). */
static int blank(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		if (*u == ' ' || *u == '\t' || *u == '\n' || *u == '\r')
			u++;
		else if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
			u += 3;
		else
			return 0;
	}
	return 1;
}

int eng_said(const struct engine_action *a, const char *s)
{
	/* a replay takes what was journaled: a blank one, from before this
	 * check, is replayed as it was taken */
	return eng_nonempty(s) && (a->replay || !blank(s));
}

const char *eng_lv(const struct plan *p, int l)
{
	const char *id = plan_level_id(p, l);
	return id ? id : "?";
}

const char *eng_wid(const struct plan *p, int w)
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

const char *engine_tr(const char *s)
{
	return translator ? translator(s) : s;
}

int engine_translating(void)
{
	return translator != NULL;
}

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
	/* an invalid request names its rule only when it has one */
	const char *name = rule || st != ENGINE_INVALID ? rule_name(rule) : NULL;
	va_list ap2;
	va_copy(ap2, ap);
	err_vset(&r->err, st == ENGINE_INVALID ? SITREP_EXIT_USAGE : SITREP_EXIT_REFUSED, NULL, 0,
		 0, name, fmt, ap);
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
enum sitrep_action eng_permission(enum sitrep_action kind, int down)
{
	switch (kind) {
	case ACT_ACCEPT: return down ? ACT_DOWNGRADE : ACT_ESCALATE;
	case ACT_CORRECT: return ACT_METRIC;
	case ACT_UNASSIGN: return ACT_ASSIGN;
	default: return kind;
	}
}

/* Extra constraints an action puts on the role it is taken in. */

void eng_need_init(struct role_need *n, enum sitrep_action perm)
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
enum engine_status eng_pick_role(const struct plan *p, const char *actor, const char *as,
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

enum engine_status eng_plain_role(const struct plan *p, const struct engine_action *a,
				     struct engine_result *r)
{
	struct role_need need;
	eng_need_init(&need, eng_permission(a->kind, 0));
	return eng_pick_role(p, a->actor, a->role, &need, r);
}

/* The role for a level change to `to`: its activated_by, if any. */
enum engine_status eng_level_role(const struct plan *p, const char *actor, const char *as,
				     enum sitrep_action perm, int to, struct engine_result *r)
{
	struct role_need need;
	char what[96];
	eng_need_init(&need, perm);
	snprintf(what, sizeof(what), "%s to level %s", action_name(perm), eng_lv(p, to));
	need.what = what;
	if (p->levels[to].nactivated_by) {
		need.allowed = p->levels[to].activated_by;
		need.nallowed = p->levels[to].nactivated_by;
	}
	return eng_pick_role(p, actor, as, &need, r);
}

/* ------------------------------------------------------------------ */
/* proposals, warnings, levels                                         */

void eng_clear_attestations(struct engine_state *st)
{
	for (size_t i = 0; i < st->ncriteria; i++) {
		st->criteria[i].attested = 0;
		st->criteria[i].attested_at = 0;
		st->criteria[i].attested_by[0] = '\0';
	}
}

/* Remove proposal i. Withdrawn for a reason other than a level change
 * answering it: the deadlines it started are withdrawn once none is left. */
void eng_proposal_remove(struct engine_state *st, const struct plan *p, size_t i, int64_t at,
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
void eng_proposal_add(struct engine_state *st, const struct plan *p, int level,
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
			eng_proposal_add(st, p, t->propose_level, PROP_TRIGGER, (int)i, t->id, at, r);
	}
}

void eng_raise_warning(struct engine_state *st, const struct plan *p, int w, int trigger,
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
	eng_clear_attestations(st);
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
			eng_proposal_remove(st, p, i, at, WHY_LEVEL_REACHED, r);
		else if (pr->source == PROP_TRIGGER && pr->level < st->level)
			eng_proposal_remove(st, p, i, at, WHY_LEVEL_HIGHER, r);
		else
			i++;
	}
}

void eng_set_level(struct engine_state *st, const struct plan *p, int to, enum engine_why how,
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
		eng_raise_warning(st, p, t->raise_warning, (int)ti, at, r);
	if (t->propose_level >= 0 && (size_t)t->propose_level < p->nlevels &&
	    (st->phase != PHASE_RESPONSE || t->propose_level > st->level) &&
	    !has_trigger_proposal(st, (int)ti))
		eng_proposal_add(st, p, t->propose_level, PROP_TRIGGER, (int)ti, t->id, at, r);
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
void eng_time_passes(struct engine_state *st, const struct plan *p, int64_t t,
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
	eng_time_passes(st, p, t, r);
	st->now = t;
}

void eng_reading(struct engine_state *st, const struct plan *p, int m, double v, int64_t at,
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
				eng_proposal_remove(st, p, k, now, WHY_TRIGGER_CLEARED, r);
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
size_t eng_unmet_list(const struct engine_state *st, const struct plan *p, const int *idx,
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
		if (titles->len)
			/* TRANSLATORS: between the items of a list in a sentence */
			sb_adds(titles, engine_tr(N_(", ")));
		if (c->title && strcmp(c->title, c->id) != 0)
			/* TRANSLATORS: a criterion's title, then its id (typed on the command line) */
			sb_addf(titles, engine_tr(N_("%s (%s)")), c->title, c->id);
		else
			sb_adds(titles, c->id);
	}
	return count;
}

/* A refusal whose shown (translated) message names the criteria by title:
 * fmt and first for the journal, fmt_shown (NULL: fmt, translated) and
 * first_shown (NULL: first) for the screen. */
enum engine_status eng_refuse_unmet(struct engine_result *r, int rule, const char *fmt,
				       const char *fmt_shown, const char *first,
				       const char *first_shown, const struct strbuf *ids,
				       const struct strbuf *titles)
{
	enum engine_status s = first ? refuse(r, rule, fmt, first, ids->buf)
				     : refuse(r, rule, fmt, ids->buf);
	if (translator) {
		struct strbuf t = STRBUF_INIT;
		const char *shown = translator(fmt_shown ? fmt_shown : fmt);
		sb_init(&t);
		if (first)
			sb_addf(&t, shown, first_shown ? first_shown : first, titles->buf);
		else
			sb_addf(&t, shown, titles->buf);
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

int eng_find_task(const struct engine_state *st, const char *id)
{
	for (size_t i = 0; id && i < st->ntasks; i++)
		if (!strcmp(st->tasks[i].id, id))
			return (int)i;
	return -1;
}

/* Long by design: a switch with one short case per kind of action. */
enum engine_status eng_validate(const struct engine_state *st, const struct plan *p,
				   const struct engine_action *a, struct engine_result *r)
{
	const char *t = a->target;

	if (text_too_long(a->text) || text_too_long(a->person))
		return invalid(r, RULE_TEXT, "the text is longer than %d KiB", ENGINE_TEXT_MAX / 1024);
	switch (a->kind) {
	case ACT_OPEN:
		if (!eng_said(a, a->text))
			return invalid(r, RULE_TEXT, "open needs a title");
		break;
	case ACT_LOG:
		if (!eng_said(a, a->text))
			return invalid(r, RULE_TEXT, "log needs a text");
		break;
	case ACT_NOTE_REVIEW:
		if (!eng_nonempty(t) || section_lookup(t) < 0) {
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
		if (!eng_said(a, a->text))
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
		if (a->kind == ACT_CORRECT && !eng_said(a, a->text))
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
		if (plan_obligation_index(p, t) < 0 && eng_find_task(st, t) < 0 &&
		    !(t && !strcmp(t, "warning_cap")))
			return invalid(r, RULE_DONE, "incident has no obligation or task '%s'", t ? t : "");
		if (a->kind == ACT_OWNER && !eng_said(a, a->person))
			return invalid(r, RULE_OWNER, "owner needs a person");
		break;
	case ACT_HANDOVER:
		if (!eng_nonempty(t))
			return invalid(r, RULE_HANDOVER, "handover needs the user who takes command");
		break;
	case ACT_ASSIGN:
	case ACT_UNASSIGN:
		if (plan_role_index(p, t) < 0)
			return invalid(r, RULE_ASSIGN, "plan '%s' has no role '%s'", p->id, t ? t : "");
		if (!eng_said(a, a->person))
			return invalid(r, RULE_ASSIGN, "%s needs a person", action_name(a->kind));
		if (strlen(a->person) >= ENGINE_PERSON_MAX)
			return invalid(r, RULE_TEXT, "a person's name is at most %d bytes",
				       ENGINE_PERSON_MAX - 1);
		break;
	case ACT_TASK:
		if (!eng_said(a, a->text))
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

