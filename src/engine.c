/* engine: the incident state machine (see include/sitrep/engine.h).
 *
 * Pure: every function here takes the time as an argument and touches
 * nothing but the state it is given. The shape of engine_apply is always
 * the same: advance to the action's time, check (refusals change nothing),
 * then change the state and record what happened as effects. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/engine.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static void copy_str(char *dst, size_t size, const char *src)
{
	if (!src)
		src = "";
	snprintf(dst, size, "%s", src);
}

/* Hysteresis: a firing trigger clears only once a reading is strictly on
 * the far side of clear_value (for "> 8, clear 6": below 6). Comparisons
 * without a side (==, !=) clear as soon as the condition is false. */
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

static int level_lookup(const struct plan *p, const char *id)
{
	if (!id)
		return -1;
	for (size_t i = 0; i < p->nlevels; i++)
		if (p->levels[i].id && !strcmp(p->levels[i].id, id))
			return (int)i;
	return -1;
}

static int warning_lookup(const struct plan *p, const char *id)
{
	if (!id)
		return -1;
	for (size_t i = 0; i < p->nwarnings; i++)
		if (p->warnings[i].id && !strcmp(p->warnings[i].id, id))
			return (int)i;
	return -1;
}

static int criterion_lookup(const struct plan *p, const char *id)
{
	if (!id)
		return -1;
	for (size_t i = 0; i < p->ncriteria; i++)
		if (p->criteria[i].id && !strcmp(p->criteria[i].id, id))
			return (int)i;
	return -1;
}

static int obligation_lookup(const struct plan *p, const char *id)
{
	if (!id)
		return -1;
	for (size_t i = 0; i < p->nobligations; i++)
		if (p->obligations[i].id && !strcmp(p->obligations[i].id, id))
			return (int)i;
	return -1;
}

static int role_lookup(const struct plan *p, const char *id)
{
	if (!id)
		return -1;
	for (size_t i = 0; i < p->nroles && i < 32; i++)
		if (p->roles[i].id && !strcmp(p->roles[i].id, id))
			return (int)i;
	return -1;
}

static const char *level_id(const struct plan *p, int l)
{
	return l >= 0 && (size_t)l < p->nlevels ? p->levels[l].id : "?";
}

static const char *warning_id(const struct plan *p, int w)
{
	return w >= 0 && (size_t)w < p->nwarnings ? p->warnings[w].id : "?";
}

static const char *action_name(enum plan_action k)
{
	static const char *const names[ACT__COUNT] = {
#define X(id, name) name,
		SITREP_ACTIONS(X)
#undef X
	};
	return (unsigned)k < ACT__COUNT ? names[k] : "?";
}

static int nonempty(const char *s)
{
	return s && *s;
}

const char *engine_phase_name(enum engine_phase ph)
{
	switch (ph) {
	case PHASE_MONITORING: return "monitoring";
	case PHASE_WARNING: return "warning";
	case PHASE_RESPONSE: return "response";
	case PHASE_TERMINATED: return "terminated";
	}
	return "?";
}

/* ------------------------------------------------------------------ */
/* results                                                             */

void engine_result_init(struct engine_result *r)
{
	memset(r, 0, sizeof(*r));
	r->status = ENGINE_OK;
	r->from_level = r->to_level = -1;
}

void engine_result_release(struct engine_result *r)
{
	free(r->effects);
	engine_result_init(r);
}

void engine_result_reset(struct engine_result *r)
{
	struct engine_effect *e = r->effects;
	size_t a = r->aeffects;
	engine_result_init(r);
	r->effects = e;
	r->aeffects = a;
}

__attribute__((format(printf, 7, 8)))
static void effect(struct engine_result *r, enum engine_effect_kind kind, int64_t at,
		   int ref, int from, int trigger, const char *fmt, ...)
{
	struct engine_effect *e;
	va_list ap;

	if (!r)
		return;
	r->effects = xgrow(r->effects, sizeof(*r->effects), r->neffects + 1, &r->aeffects);
	e = &r->effects[r->neffects++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->at = at;
	e->ref = ref;
	e->from = from;
	e->trigger = trigger;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static enum engine_status refuse(struct engine_result *r, const char *rule, const char *fmt, ...)
{
	va_list ap;

	r->status = ENGINE_REFUSED;
	copy_str(r->rule, sizeof(r->rule), rule);
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
	return ENGINE_REFUSED;
}

/* ------------------------------------------------------------------ */
/* lifecycle                                                           */

static void state_arrays(struct engine_state *st, size_t nm, size_t nt, size_t nc)
{
	st->nmetrics = nm;
	st->metrics = nm ? xcalloc(nm, sizeof(*st->metrics)) : NULL;
	st->ntriggers = nt;
	st->triggers = nt ? xcalloc(nt, sizeof(*st->triggers)) : NULL;
	st->ncriteria = nc;
	st->criteria = nc ? xcalloc(nc, sizeof(*st->criteria)) : NULL;
}

void engine_init(struct engine_state *st, const struct plan *p)
{
	memset(st, 0, sizeof(*st));
	st->phase = PHASE_MONITORING;
	st->level = st->warning = st->peak_level = -1;
	state_arrays(st, p->nmetrics, p->ntriggers, p->ncriteria);
	for (size_t i = 0; i < st->ntriggers; i++) {
		st->triggers[i].since = -1;
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
	free(st->proposals);
	free(st->obls);
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
	dst->metrics = dup_array(src->metrics, src->nmetrics, sizeof(*src->metrics));
	dst->triggers = dup_array(src->triggers, src->ntriggers, sizeof(*src->triggers));
	dst->criteria = dup_array(src->criteria, src->ncriteria, sizeof(*src->criteria));
	dst->proposals = dup_array(src->proposals, src->nproposals, sizeof(*src->proposals));
	dst->aproposals = dst->proposals ? src->nproposals : 0;
	dst->obls = dup_array(src->obls, src->nobls, sizeof(*src->obls));
	dst->aobls = dst->obls ? src->nobls : 0;
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

static int role_permits(const struct plan *p, int role, enum plan_action kind)
{
	return (p->roles[role].actions >> kind) & 1u;
}

/* Extra constraint an action puts on the role it is taken in. */
struct role_need {
	const int *allowed;  /* roles allowed (activated_by), NULL = any */
	size_t nallowed;
	int only;            /* the one role allowed (attest), -1 = any */
	int prefer;          /* role to pick first when held and fitting, -1 none */
	const char *what;    /* "escalate to level 'I'" for messages */
};

static int role_fits(const struct plan *p, int role, enum plan_action kind,
		     const struct role_need *need)
{
	if (!role_permits(p, role, kind))
		return 0;
	if (need && need->only >= 0 && role != need->only)
		return 0;
	if (need && need->allowed) {
		for (size_t i = 0; i < need->nallowed; i++)
			if (need->allowed[i] == role)
				return 1;
		return 0;
	}
	return 1;
}

/* The role the action is taken in: --as (must be held and fit) or the first
 * held role that fits. Fills r->role; refuses with rule "roles". */
static enum engine_status pick_role(const struct plan *p, const struct engine_action *a,
				    const struct role_need *need, struct engine_result *r)
{
	uint32_t held;
	const char *what = need && need->what ? need->what : action_name(a->kind);
	const char *user = a->actor ? a->actor : "";
	char allow[512];
	size_t n = p->nroles < 32 ? p->nroles : 32;
	int pick = -1;

	if (!p->nroles) { /* a plan without roles: nothing to check */
		r->role[0] = '\0';
		return ENGINE_OK;
	}
	held = engine_user_roles(p, a->actor);
	if (a->role) {
		int ri = role_lookup(p, a->role);
		if (ri < 0)
			return refuse(r, "roles", "unknown role '%s'", a->role);
		if (!((held >> ri) & 1u))
			return refuse(r, "roles", "user '%s' does not hold role '%s'", user, a->role);
		if (role_fits(p, ri, a->kind, need))
			pick = ri;
	} else {
		if (need && need->prefer >= 0 && (size_t)need->prefer < n &&
		    ((held >> need->prefer) & 1u) && role_fits(p, need->prefer, a->kind, need))
			pick = need->prefer;
		for (size_t i = 0; pick < 0 && i < n; i++)
			if (((held >> i) & 1u) && role_fits(p, (int)i, a->kind, need))
				pick = (int)i;
	}
	if (pick >= 0) {
		copy_str(r->role, sizeof(r->role), p->roles[pick].id);
		return ENGINE_OK;
	}
	allow[0] = '\0';
	for (size_t i = 0, len = 0; i < n; i++) {
		if (!role_fits(p, (int)i, a->kind, need))
			continue;
		len += (size_t)snprintf(allow + len, len < sizeof(allow) ? sizeof(allow) - len : 0,
					"%s%s", len ? ", " : "", p->roles[i].id);
		if (len >= sizeof(allow))
			break;
	}
	if (a->role)
		return refuse(r, "roles", "role '%s' may not %s (roles that may: %s)", a->role, what,
			      allow[0] ? allow : "none");
	return refuse(r, "roles", "user '%s' holds no role that may %s (roles that may: %s)", user,
		      what, allow[0] ? allow : "none");
}

/* ------------------------------------------------------------------ */
/* obligations                                                         */

const char *engine_obligation_id(const struct plan *p, const struct engine_obligation *o)
{
	if (o->plan_index < 0)
		return "warning_cap";
	if ((size_t)o->plan_index >= p->nobligations)
		return "?";
	return p->obligations[o->plan_index].id;
}

void engine_obligation_title(const struct engine_state *st, const struct plan *p,
			     const struct engine_obligation *o, struct strbuf *out)
{
	(void)st;
	if (o->plan_index < 0) {
		sb_addf(out, "escalate or lift the %s warning", warning_id(p, o->warning));
		return;
	}
	if ((size_t)o->plan_index >= p->nobligations) {
		sb_adds(out, "?");
		return;
	}
	sb_adds(out, p->obligations[o->plan_index].title ? p->obligations[o->plan_index].title
							 : p->obligations[o->plan_index].id);
}

int engine_obligation_overdue(const struct engine_state *st, const struct engine_obligation *o)
{
	return o->status == OBL_OPEN && st->now > o->due;
}

/* The earliest open instance of plan obligation pi (-1: the warning cap). */
static int open_instance(const struct engine_state *st, int pi)
{
	for (size_t i = 0; i < st->nobls; i++)
		if (st->obls[i].plan_index == pi && st->obls[i].status == OBL_OPEN)
			return (int)i;
	return -1;
}

static void obl_start(struct engine_state *st, const struct plan *p, int pi, int warning,
		      int64_t at, int64_t due, struct engine_result *r)
{
	struct engine_obligation *o;
	char d[32];
	int seq = 1;

	for (size_t i = 0; i < st->nobls; i++)
		if (st->obls[i].plan_index == pi && (pi >= 0 || st->obls[i].warning >= 0))
			seq++;
	st->obls = xgrow(st->obls, sizeof(*st->obls), st->nobls + 1, &st->aobls);
	o = &st->obls[st->nobls++];
	memset(o, 0, sizeof(*o));
	o->plan_index = pi;
	o->seq = seq;
	o->started = at;
	o->due = due;
	o->status = OBL_OPEN;
	o->warning = warning;
	dur_format(due - at, d, sizeof(d));
	effect(r, EFF_OBLIGATION_STARTED, at, (int)(st->nobls - 1), -1, -1,
	       "obligation %s due in %s", engine_obligation_id(p, o), d);
}

static void obl_close(struct engine_state *st, const struct plan *p, size_t idx,
		      enum engine_obl_status status, const char *by, int64_t at,
		      const char *why, struct engine_result *r)
{
	struct engine_obligation *o = &st->obls[idx];

	o->status = status;
	o->closed_at = at;
	copy_str(o->closed_by, sizeof(o->closed_by), by);
	if (status == OBL_DONE)
		effect(r, EFF_OBLIGATION_DONE, at, (int)idx, -1, -1, "obligation %s done%s%s",
		       engine_obligation_id(p, o), why ? " " : "", why ? why : "");
	else
		effect(r, EFF_OBLIGATION_CANCELLED, at, (int)idx, -1, -1, "obligation %s cancelled%s%s",
		       engine_obligation_id(p, o), why ? " " : "", why ? why : "");
}

/* Does the state hold a cadence's `during` anchor? */
static int state_holds(const struct engine_state *st, const struct plan_anchor *an)
{
	switch (an->kind) {
	case ANCHOR_OPEN: return st->opened && st->phase != PHASE_TERMINATED;
	case ANCHOR_WARNING: return st->phase == PHASE_WARNING;
	case ANCHOR_WARNING_ID: return st->phase == PHASE_WARNING && st->warning == an->ref;
	case ANCHOR_RESPONSE: return st->phase == PHASE_RESPONSE;
	case ANCHOR_LEVEL: /* ref -1 (`level`) is an event only; the loader refuses it in `while` */
		return st->phase == PHASE_RESPONSE && (an->ref < 0 || st->level == an->ref);
	case ANCHOR_PROPOSAL: return st->phase != PHASE_TERMINATED && st->nproposals > 0;
	case ANCHOR_TERMINATE: return st->phase == PHASE_TERMINATED;
	case ANCHOR_DONE:
	case ANCHOR_LIFT: return 0;
	}
	return 0;
}

/* Cadences: while any `during` state holds there is exactly one open
 * instance; when none holds, the open instance is cancelled. */
static void sync_cadences(struct engine_state *st, const struct plan *p, int64_t at,
			  struct engine_result *r)
{
	int stack[64], *open_of = stack;

	if (!st->opened || !p->nobligations)
		return;
	/* one pass over the instances: a long incident has thousands */
	if (p->nobligations > ARRAY_SIZE(stack))
		open_of = xmalloc(p->nobligations * sizeof(*open_of));
	for (size_t i = 0; i < p->nobligations; i++)
		open_of[i] = -1;
	for (size_t i = st->nobls; i-- > 0;) {
		const struct engine_obligation *o = &st->obls[i];
		if (o->status == OBL_OPEN && o->plan_index >= 0 &&
		    (size_t)o->plan_index < p->nobligations)
			open_of[o->plan_index] = (int)i;
	}
	for (size_t i = 0; i < p->nobligations; i++) {
		const struct plan_obligation *ob = &p->obligations[i];
		int holds = 0, open;

		if (!ob->is_cadence)
			continue;
		for (size_t k = 0; k < ob->nduring && !holds; k++)
			holds = state_holds(st, &ob->during[k]);
		open = open_of[i];
		if (holds && open < 0 && ob->every > 0)
			obl_start(st, p, (int)i, -1, at, at + ob->every, r);
		else if (!holds && open >= 0)
			obl_close(st, p, (size_t)open, OBL_CANCELLED, "", at, "(no longer applies)", r);
	}
	if (open_of != stack)
		free(open_of);
}

static int anchor_is(const struct plan_anchor *an, enum plan_anchor_kind kind, int ref)
{
	if (an->kind != kind)
		return 0;
	switch (kind) {
	case ANCHOR_LEVEL: return an->ref < 0 || an->ref == ref; /* `level`: any change */
	case ANCHOR_WARNING_ID:
	case ANCHOR_DONE: return an->ref == ref;
	default: return 1;
	}
}

/* Has plan obligation pi ever had an instance in this incident? */
static int ever_started(const struct engine_state *st, int pi)
{
	for (size_t i = 0; i < st->nobls; i++)
		if (st->obls[i].plan_index == pi)
			return 1;
	return 0;
}

/* The `done:X` of ob's met_by that has already happened (an instance of X
 * is done), or -1. */
static int met_before(const struct engine_state *st, const struct plan_obligation *ob)
{
	for (size_t k = 0; k < ob->nmet_by; k++) {
		if (ob->met_by[k].kind != ANCHOR_DONE)
			continue;
		for (size_t i = 0; i < st->nobls; i++)
			if (st->obls[i].plan_index == ob->met_by[k].ref &&
			    st->obls[i].status == OBL_DONE)
				return ob->met_by[k].ref;
	}
	return -1;
}

/* An event happened: obligations it meets are done, one-shots anchored on
 * it start. A one-shot starts on the first occurrence of its anchor only
 * (once per incident) unless it has `repeat`, which starts it on every
 * occurrence (at most one open instance at a time). A one-shot whose
 * met_by names a `done:X` that already happened starts already met. */
static void event(struct engine_state *st, const struct plan *p, enum plan_anchor_kind kind,
		  int ref, int64_t at, struct engine_result *r, int depth)
{
	int closed[64];
	size_t nclosed = 0;

	if (depth > 8)
		return;
	for (size_t i = 0; i < st->nobls; i++) {
		const struct engine_obligation *o = &st->obls[i];
		const struct plan_obligation *ob;

		if (o->status != OBL_OPEN || o->plan_index < 0 ||
		    (size_t)o->plan_index >= p->nobligations)
			continue;
		ob = &p->obligations[o->plan_index];
		for (size_t k = 0; k < ob->nmet_by; k++) {
			if (!anchor_is(&ob->met_by[k], kind, ref))
				continue;
			obl_close(st, p, i, OBL_DONE, "", at, "(met)", r);
			if (nclosed < ARRAY_SIZE(closed))
				closed[nclosed++] = o->plan_index;
			break;
		}
	}
	for (size_t i = 0; i < p->nobligations; i++) {
		const struct plan_obligation *ob = &p->obligations[i];

		int done_by;

		if (ob->is_cadence || !anchor_is(&ob->anchor, kind, ref))
			continue;
		if (ob->repeat ? open_instance(st, (int)i) >= 0 : ever_started(st, (int)i))
			continue;
		obl_start(st, p, (int)i, -1, at, at + ob->within, r);
		done_by = met_before(st, ob);
		if (done_by >= 0) {
			char why[ENGINE_ID_MAX + 32];
			snprintf(why, sizeof(why), "(met: %s already done)", p->obligations[done_by].id);
			obl_close(st, p, st->nobls - 1, OBL_DONE, "", at, why, r);
			if (nclosed < ARRAY_SIZE(closed))
				closed[nclosed++] = (int)i;
		}
	}
	/* an obligation met by an event is done: its `done:` chain goes on */
	for (size_t i = 0; i < nclosed; i++)
		event(st, p, ANCHOR_DONE, closed[i], at, r, depth + 1);
}

/* The warning cap of the current episode is met (lift, response). */
static void cap_met(struct engine_state *st, const struct plan *p, int64_t at, const char *why,
		    struct engine_result *r)
{
	for (size_t i = 0; i < st->nobls; i++)
		if (st->obls[i].plan_index < 0 && st->obls[i].status == OBL_OPEN)
			obl_close(st, p, i, OBL_DONE, "", at, why, r);
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

static void proposal_remove(struct engine_state *st, const struct plan *p, size_t i,
			    int64_t at, const char *why, struct engine_result *r)
{
	struct engine_proposal pr = st->proposals[i];

	memmove(&st->proposals[i], &st->proposals[i + 1],
		(st->nproposals - i - 1) * sizeof(*st->proposals));
	st->nproposals--;
	if (why)
		effect(r, EFF_PROPOSAL_WITHDRAWN, at, pr.level, -1, pr.trigger,
		       "proposal of level %s (%s) withdrawn: %s", level_id(p, pr.level), pr.rule, why);
}

static void proposal_add(struct engine_state *st, const struct plan *p, int level,
			 enum engine_proposal_source src, int trigger, const char *rule,
			 int64_t at, struct engine_result *r)
{
	struct engine_proposal *pr;

	st->proposals = xgrow(st->proposals, sizeof(*st->proposals), st->nproposals + 1,
			      &st->aproposals);
	pr = &st->proposals[st->nproposals++];
	memset(pr, 0, sizeof(*pr));
	pr->level = level;
	pr->source = src;
	pr->trigger = trigger;
	copy_str(pr->rule, sizeof(pr->rule), rule);
	pr->at = at;
	effect(r, EFF_PROPOSAL, at, level, -1, trigger, "level %s proposed by %s",
	       level_id(p, level), pr->rule);
	event(st, p, ANCHOR_PROPOSAL, -1, at, r, 0);
}

static void raise_warning(struct engine_state *st, const struct plan *p, int w, int trigger,
			  int64_t at, struct engine_result *r)
{
	int from = st->warning;
	int first = st->phase != PHASE_WARNING;

	st->phase = PHASE_WARNING;
	st->warning = w;
	st->warning_since = at;
	if (first)
		st->warning_started = at;
	clear_attestations(st);
	if (trigger >= 0)
		effect(r, EFF_WARNING_RAISED, at, w, from, trigger, "%s warning raised by trigger %s",
		       warning_id(p, w), p->triggers[trigger].id);
	else
		effect(r, EFF_WARNING_RAISED, at, w, from, -1, "%s warning raised by hand",
		       warning_id(p, w));
	if (first)
		event(st, p, ANCHOR_WARNING, -1, at, r, 0);
	event(st, p, ANCHOR_WARNING_ID, w, at, r, 0);
	/* The cap counts from the first colour of the episode: a rise from
	 * blue to yellow keeps it; a colour with a cap after one without
	 * starts one, still counted from the episode's start. */
	if (p->warnings[w].max_duration > 0) {
		int have = 0;
		for (size_t i = 0; i < st->nobls; i++)
			if (st->obls[i].plan_index < 0 && st->obls[i].status == OBL_OPEN)
				have = 1;
		if (!have)
			obl_start(st, p, -1, w, at, st->warning_started + p->warnings[w].max_duration, r);
	}
}

/* After a level change: answered proposal, stale proposals. */
static void tidy_proposals(struct engine_state *st, const struct plan *p, int64_t at,
			   struct engine_result *r)
{
	for (size_t i = 0; i < st->nproposals;) {
		const struct engine_proposal *pr = &st->proposals[i];
		if (pr->level == st->level)
			proposal_remove(st, p, i, at, "level reached", r);
		else if (pr->source == PROP_TRIGGER && pr->level < st->level)
			proposal_remove(st, p, i, at, "level already more severe", r);
		else
			i++;
	}
}

static void set_level(struct engine_state *st, const struct plan *p, int to, const char *how,
		      int64_t at, struct engine_result *r)
{
	int from = st->level;
	int entering = st->phase != PHASE_RESPONSE;

	if (r) {
		r->from_level = from;
		r->to_level = to;
		r->answered[0] = '\0';
		for (size_t i = 0; i < st->nproposals; i++)
			if (st->proposals[i].level == to) {
				copy_str(r->answered, sizeof(r->answered), st->proposals[i].rule);
				break;
			}
	}
	if (entering && st->phase == PHASE_WARNING) {
		effect(r, EFF_WARNING_LIFTED, at, st->warning, -1, -1, "%s warning ends: response level %s",
		       warning_id(p, st->warning), level_id(p, to));
		cap_met(st, p, at, "(response started)", r);
		st->warning = -1;
		st->warning_since = 0;
		st->warning_started = 0;
	}
	st->phase = PHASE_RESPONSE;
	st->level = to;
	st->level_since = at;
	if (!st->response_since)
		st->response_since = at;
	if (st->peak_level < to)
		st->peak_level = to;
	if (from >= 0 && !entering)
		effect(r, EFF_LEVEL, at, to, from, -1, "level %s -> %s (%s)", level_id(p, from),
		       level_id(p, to), how);
	else
		effect(r, EFF_LEVEL, at, to, -1, -1, "response at level %s (%s)", level_id(p, to), how);
	tidy_proposals(st, p, at, r);
	if (entering)
		event(st, p, ANCHOR_RESPONSE, -1, at, r, 0);
	event(st, p, ANCHOR_LEVEL, to, at, r, 0);
}

/* ------------------------------------------------------------------ */
/* triggers and time                                                   */

static void fire_trigger(struct engine_state *st, const struct plan *p, size_t ti, int64_t at,
			 struct engine_result *r)
{
	const struct plan_trigger *t = &p->triggers[ti];
	struct engine_trigger_state *ts = &st->triggers[ti];
	char d[32];

	ts->firing = 1;
	ts->fired_at = at;
	dur_format(t->for_secs, d, sizeof(d));
	effect(r, EFF_TRIGGER_FIRED, at, (int)ti, -1, (int)ti, "trigger %s fired (%s %s %g for %s)",
	       t->id, t->cond.metric >= 0 && (size_t)t->cond.metric < p->nmetrics
			      ? p->metrics[t->cond.metric].id : "?",
	       plan_cmp_name(t->cond.op), t->cond.value, d);
	if (t->raise_warning >= 0 && (size_t)t->raise_warning < p->nwarnings &&
	    (st->phase == PHASE_MONITORING ||
	     (st->phase == PHASE_WARNING && t->raise_warning > st->warning)))
		raise_warning(st, p, t->raise_warning, (int)ti, at, r);
	if (t->propose_level >= 0 && (size_t)t->propose_level < p->nlevels &&
	    (st->phase != PHASE_RESPONSE || t->propose_level > st->level)) {
		int have = 0;
		for (size_t i = 0; i < st->nproposals; i++)
			if (st->proposals[i].source == PROP_TRIGGER && st->proposals[i].trigger == (int)ti)
				have = 1;
		if (!have)
			proposal_add(st, p, t->propose_level, PROP_TRIGGER, (int)ti, t->id, at, r);
	}
	sync_cadences(st, p, at, r);
}

/* Fire, in time order, every trigger whose window completes by t. */
static void fire_due(struct engine_state *st, const struct plan *p, int64_t t,
		     struct engine_result *r)
{
	if (!st->opened || st->phase == PHASE_TERMINATED)
		return;
	for (;;) {
		int best = -1;
		int64_t when = 0;

		for (size_t i = 0; i < st->ntriggers && i < p->ntriggers; i++) {
			const struct engine_trigger_state *ts = &st->triggers[i];
			int64_t w;

			if (ts->firing || ts->since < 0)
				continue;
			w = ts->since + p->triggers[i].for_secs;
			if (w > t)
				continue;
			if (best < 0 || w < when) {
				best = (int)i;
				when = w;
			}
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
	fire_due(st, p, t, r);
	st->now = t;
}

static void reading(struct engine_state *st, const struct plan *p, int m, double v,
		    int64_t at, int64_t now, struct engine_result *r)
{
	struct engine_metric_state *ms = &st->metrics[m];

	ms->has_value = 1;
	ms->value = v;
	ms->at = at;
	ms->count++;
	for (size_t i = 0; i < p->ntriggers; i++) {
		const struct plan_trigger *t = &p->triggers[i];
		struct engine_trigger_state *ts = &st->triggers[i];

		if (t->cond.metric != m)
			continue;
		if (plan_cond_holds(&t->cond, v)) {
			if (ts->since < 0)
				ts->since = at;
			continue;
		}
		ts->since = -1;
		if (ts->firing && past_clear(t, v)) {
			ts->firing = 0;
			effect(r, EFF_TRIGGER_CLEARED, now, (int)i, -1, (int)i,
			       "trigger %s cleared (%s = %g)", t->id, p->metrics[m].id, v);
			for (size_t k = 0; k < st->nproposals; k++)
				if (st->proposals[k].source == PROP_TRIGGER &&
				    st->proposals[k].trigger == (int)i) {
					proposal_remove(st, p, k, now, "trigger cleared", r);
					break;
				}
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
			else if (st->criteria[i].since[k] < 0)
				st->criteria[i].since[k] = at;
		}
	}
}

/* ------------------------------------------------------------------ */
/* queries                                                             */

int engine_criterion_met(const struct engine_state *st, const struct plan *p, int crit)
{
	const struct plan_criterion *c;

	if (crit < 0 || (size_t)crit >= p->ncriteria || (size_t)crit >= st->ncriteria)
		return 0;
	c = &p->criteria[crit];
	if (c->kind == CRIT_ATTEST)
		return st->criteria[crit].attested;
	if (!c->nconds)
		return 0;
	for (size_t k = 0; k < c->nconds && k < ENGINE_MAX_CONDS; k++) {
		int64_t s = st->criteria[crit].since[k];
		if (s < 0 || st->now - s < c->for_secs)
			return 0;
	}
	return 1;
}

int64_t engine_criterion_held(const struct engine_state *st, const struct plan *p, int crit)
{
	const struct plan_criterion *c;
	int64_t latest = -1;

	if (crit < 0 || (size_t)crit >= p->ncriteria || (size_t)crit >= st->ncriteria)
		return -1;
	c = &p->criteria[crit];
	if (c->kind == CRIT_ATTEST)
		return st->criteria[crit].attested ? st->now - st->criteria[crit].attested_at : -1;
	if (!c->nconds)
		return -1;
	for (size_t k = 0; k < c->nconds && k < ENGINE_MAX_CONDS; k++) {
		int64_t s = st->criteria[crit].since[k];
		if (s < 0)
			return -1;
		if (s > latest)
			latest = s;
	}
	return st->now > latest ? st->now - latest : 0;
}

int64_t engine_trigger_held(const struct engine_state *st, const struct plan *p, int trig)
{
	if (trig < 0 || (size_t)trig >= p->ntriggers || (size_t)trig >= st->ntriggers)
		return -1;
	if (st->triggers[trig].since < 0)
		return -1;
	return st->now > st->triggers[trig].since ? st->now - st->triggers[trig].since : 0;
}

/* "a (title), b (title)" of the unmet criteria among idx[]; returns how many. */
static size_t unmet_list(const struct engine_state *st, const struct plan *p, const int *idx,
			 size_t n, char *buf, size_t size)
{
	size_t len = 0, count = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct plan_criterion *c;
		int w;

		if (idx[i] < 0 || (size_t)idx[i] >= p->ncriteria || engine_criterion_met(st, p, idx[i]))
			continue;
		c = &p->criteria[idx[i]];
		count++;
		if (len >= size)
			continue;
		if (c->title)
			w = snprintf(buf + len, size - len, "%s%s (%s)", len ? ", " : "", c->id, c->title);
		else
			w = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", c->id);
		if (w > 0)
			len += (size_t)w;
	}
	return count;
}

/* ------------------------------------------------------------------ */
/* actions                                                             */

static enum engine_status do_open(struct engine_state *st, const struct plan *p,
				  const struct engine_action *a, int64_t at, struct engine_result *r)
{
	if (pick_role(p, a, NULL, r))
		return ENGINE_REFUSED;
	st->opened = 1;
	st->opened_at = at;
	st->drill = a->drill ? 1 : 0;
	copy_str(st->commander, sizeof(st->commander), a->actor);
	effect(r, EFF_OPENED, at, -1, -1, -1, "incident opened under plan %s by %s%s",
	       p->id ? p->id : "?", st->commander, st->drill ? " (drill)" : "");
	effect(r, EFF_COMMANDER, at, -1, -1, -1, "%s", st->commander);
	event(st, p, ANCHOR_OPEN, -1, at, r, 0);
	return ENGINE_OK;
}

static enum engine_status do_text(const struct plan *p, const struct engine_action *a,
				  struct engine_result *r)
{
	if (!nonempty(a->text))
		return refuse(r, action_name(a->kind), "%s needs a text", action_name(a->kind));
	if (a->kind == ACT_NOTE_REVIEW && !nonempty(a->target))
		return refuse(r, "note-review", "note-review needs a section");
	return pick_role(p, a, NULL, r);
}

static enum engine_status do_metric(struct engine_state *st, const struct plan *p,
				    const struct engine_action *a, int64_t at,
				    struct engine_result *r)
{
	size_t nprop;

	if (!a->nreadings || !a->readings)
		return refuse(r, "metric", "no readings");
	for (size_t i = 0; i < a->nreadings; i++) {
		const struct plan_metric *m;
		double v = a->readings[i].value;

		if (a->readings[i].metric < 0 || (size_t)a->readings[i].metric >= p->nmetrics)
			return refuse(r, "metric", "unknown metric (index %d)", a->readings[i].metric);
		m = &p->metrics[a->readings[i].metric];
		if (!isfinite(v))
			return refuse(r, "metric", "reading of '%s' is not a number", m->id);
		if ((m->has_min && v < m->min) || (m->has_max && v > m->max)) {
			char lo[32] = "", hi[32] = "";
			if (m->has_min)
				snprintf(lo, sizeof(lo), "%g", m->min);
			if (m->has_max)
				snprintf(hi, sizeof(hi), "%g", m->max);
			return refuse(r, "metric", "reading %g of '%s' is out of range (%s to %s)", v,
				      m->id, m->has_min ? lo : "any", m->has_max ? hi : "any");
		}
	}
	if (pick_role(p, a, NULL, r))
		return ENGINE_REFUSED;
	nprop = st->nproposals;
	for (size_t i = 0; i < a->nreadings; i++)
		reading(st, p, a->readings[i].metric, a->readings[i].value, a->at, at, r);
	if (st->nproposals != nprop) /* a trigger cleared: "while proposal" cadences */
		sync_cadences(st, p, at, r);
	fire_due(st, p, at, r);  /* each firing syncs itself */
	st->now = at;
	return ENGINE_OK;
}

static enum engine_status do_warn(struct engine_state *st, const struct plan *p,
				  const struct engine_action *a, int64_t at, struct engine_result *r)
{
	int w = warning_lookup(p, a->target);

	if (w < 0)
		return refuse(r, "warn", "unknown warning '%s'", a->target ? a->target : "");
	if (st->phase == PHASE_RESPONSE)
		return refuse(r, "warn.response", "a response is running at level %s: warnings come before a response",
			      level_id(p, st->level));
	if (st->phase == PHASE_WARNING && w == st->warning)
		return refuse(r, "warn.same", "the %s warning is already raised", warning_id(p, w));
	if (st->phase == PHASE_WARNING && w < st->warning)
		return refuse(r, "warn.lower", "the %s warning is more severe than %s: lift it instead",
			      warning_id(p, st->warning), warning_id(p, w));
	if (pick_role(p, a, NULL, r))
		return ENGINE_REFUSED;
	raise_warning(st, p, w, -1, at, r);
	return ENGINE_OK;
}

static enum engine_status do_lift(struct engine_state *st, const struct plan *p,
				  const struct engine_action *a, int64_t at, struct engine_result *r)
{
	char list[768];
	int w = st->warning;

	if (st->phase != PHASE_WARNING)
		return refuse(r, "lift", "no warning to lift (state %s)", engine_phase_name(st->phase));
	if (unmet_list(st, p, p->lift, p->nlift, list, sizeof(list)))
		return refuse(r, "lift", "cannot lift the %s warning: unmet: %s", warning_id(p, w), list);
	if (pick_role(p, a, NULL, r))
		return ENGINE_REFUSED;
	st->phase = PHASE_MONITORING;
	st->warning = -1;
	st->warning_since = 0;
	st->warning_started = 0;
	effect(r, EFF_WARNING_LIFTED, at, w, -1, -1, "%s warning lifted", warning_id(p, w));
	cap_met(st, p, at, "(warning lifted)", r);
	event(st, p, ANCHOR_LIFT, -1, at, r, 0);
	return ENGINE_OK;
}

static enum engine_status level_role(const struct plan *p, const struct engine_action *a,
				     int to, struct engine_result *r)
{
	struct role_need need = { NULL, 0, -1, -1, NULL };
	char what[96];

	snprintf(what, sizeof(what), "%s to level %s", action_name(a->kind), level_id(p, to));
	need.what = what;
	if (p->levels[to].nactivated_by) {
		need.allowed = p->levels[to].activated_by;
		need.nallowed = p->levels[to].nactivated_by;
	}
	return pick_role(p, a, &need, r);
}

/* One step is relative to what the commander saw: two commanders who press
 * escalate on the same screen must not move two levels. When the level has
 * changed since (another commander was first), the second step is refused. */
static int stale(const struct engine_state *st, const struct plan *p,
		 const struct engine_action *a, const char *what, struct engine_result *r)
{
	int now = st->phase == PHASE_RESPONSE ? st->level : -1;
	char rule[ENGINE_ID_MAX];
	if (!a->has_seen || a->seen_level == now)
		return 0;
	snprintf(rule, sizeof rule, "%s.stale", what);
	refuse(r, rule, "the level changed since you looked: %s%s now, %s%s when you asked to %s "
	       "one step; look again and %s if still needed",
	       now >= 0 ? "level " : "", now >= 0 ? level_id(p, now) : engine_phase_name(st->phase),
	       a->seen_level >= 0 ? "level " : "",
	       a->seen_level >= 0 ? level_id(p, a->seen_level) : "no level", what, what);
	return 1;
}

static enum engine_status do_escalate(struct engine_state *st, const struct plan *p,
				      const struct engine_action *a, int64_t at,
				      struct engine_result *r)
{
	int in = st->phase == PHASE_RESPONSE;
	int to;

	if (!p->nlevels)
		return refuse(r, "escalate", "the plan has no levels");
	if (a->target) {
		to = level_lookup(p, a->target);
		if (to < 0)
			return refuse(r, "escalate", "unknown level '%s'", a->target);
		if (in && to == st->level)
			return refuse(r, "escalate.same", "already at level %s", level_id(p, to));
		if (in && to < st->level)
			return refuse(r, "escalate.lower", "level %s is less severe than %s: use downgrade",
				      level_id(p, to), level_id(p, st->level));
	} else {
		if (stale(st, p, a, "escalate", r))
			return ENGINE_REFUSED;
		to = in ? st->level + 1 : 0;
		if ((size_t)to >= p->nlevels)
			return refuse(r, "escalate.max", "already at level %s, the most severe",
				      level_id(p, st->level));
	}
	if (!nonempty(a->text))
		return refuse(r, "reason", "escalate needs a reason");
	if (level_role(p, a, to, r))
		return ENGINE_REFUSED;
	if (st->phase == PHASE_WARNING)
		set_level(st, p, to, "escalate from the warning", at, r);
	else
		set_level(st, p, to, "escalate", at, r);
	clear_attestations(st);
	return ENGINE_OK;
}

static enum engine_status do_downgrade(struct engine_state *st, const struct plan *p,
				       const struct engine_action *a, int64_t at,
				       struct engine_result *r)
{
	int to;

	if (st->phase != PHASE_RESPONSE)
		return refuse(r, "downgrade", "no response level to downgrade (state %s)",
			      engine_phase_name(st->phase));
	if (a->target) {
		to = level_lookup(p, a->target);
		if (to < 0)
			return refuse(r, "downgrade", "unknown level '%s'", a->target);
		if (to == st->level)
			return refuse(r, "downgrade.same", "already at level %s", level_id(p, to));
		if (to > st->level)
			return refuse(r, "downgrade.higher", "level %s is more severe than %s: use escalate",
				      level_id(p, to), level_id(p, st->level));
	} else {
		if (stale(st, p, a, "downgrade", r))
			return ENGINE_REFUSED;
		to = st->level - 1;
		if (to < 0)
			return refuse(r, "downgrade.min",
				      "already at level %s, the least severe: terminate is the way out",
				      level_id(p, st->level));
	}
	if (!nonempty(a->text))
		return refuse(r, "reason", "downgrade needs a reason");
	if (level_role(p, a, to, r))
		return ENGINE_REFUSED;
	set_level(st, p, to, "downgrade", at, r);
	return ENGINE_OK;
}

static enum engine_status do_assess(struct engine_state *st, const struct plan *p,
				    const struct engine_action *a, int64_t at,
				    struct engine_result *r)
{
	const struct plan_matrix *mx = &p->matrix;
	int vi[4] = { 0, 0, 0, 0 };
	int level = mx->default_level, rule = -1;
	char name[ENGINE_ID_MAX];

	if (!mx->ndims)
		return refuse(r, "assess", "the plan has no level decision matrix");
	for (size_t d = 0; d < mx->ndims && d < 4; d++) {
		const struct plan_dimension *dim = &mx->dims[d];
		char allowed[256];
		size_t len = 0;

		vi[d] = plan_dim_value(p, d, a->assess[d]);
		if (vi[d] >= 0)
			continue;
		allowed[0] = '\0';
		for (size_t k = 0; k < dim->nvalues && len < sizeof(allowed); k++) {
			int w = snprintf(allowed + len, sizeof(allowed) - len, "%s%s", k ? ", " : "",
					 dim->values[k]);
			if (w > 0)
				len += (size_t)w;
		}
		if (!a->assess[d])
			return refuse(r, "assess", "no value for '%s' (one of: %s)", dim->id, allowed);
		return refuse(r, "assess", "unknown %s '%s' (one of: %s)", dim->id, a->assess[d], allowed);
	}
	if (pick_role(p, a, NULL, r))
		return ENGINE_REFUSED;
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
	/* the latest assessment replaces any earlier one */
	for (size_t i = 0; i < st->nproposals; i++)
		if (st->proposals[i].source == PROP_MATRIX) {
			proposal_remove(st, p, i, at, "superseded by a new assessment", r);
			break;
		}
	if (level < 0 || (size_t)level >= p->nlevels) {
		effect(r, EFF_ASSESSED, at, -1, -1, -1, "assessment gives no level (%s)", name);
		return ENGINE_OK;
	}
	if (st->phase == PHASE_RESPONSE && level == st->level) {
		effect(r, EFF_ASSESSED, at, level, -1, -1, "assessment confirms level %s (%s)",
		       level_id(p, level), name);
		return ENGINE_OK;
	}
	effect(r, EFF_ASSESSED, at, level, -1, -1, "assessment gives level %s (%s)", level_id(p, level),
	       name);
	proposal_add(st, p, level, PROP_MATRIX, -1, name, at, r);
	return ENGINE_OK;
}

static enum engine_status do_attest(struct engine_state *st, const struct plan *p,
				    const struct engine_action *a, int64_t at,
				    struct engine_result *r)
{
	int c = criterion_lookup(p, a->target);
	struct role_need need = { NULL, 0, -1, -1, NULL };
	char what[96];

	if (c < 0)
		return refuse(r, "attest", "unknown criterion '%s'", a->target ? a->target : "");
	if (p->criteria[c].kind != CRIT_ATTEST)
		return refuse(r, "attest", "criterion '%s' is measured, not attested", p->criteria[c].id);
	need.only = p->criteria[c].role;
	snprintf(what, sizeof(what), "attest '%s'", p->criteria[c].id);
	need.what = what;
	if (pick_role(p, a, &need, r))
		return ENGINE_REFUSED;
	st->criteria[c].attested = 1;
	st->criteria[c].attested_at = at;
	copy_str(st->criteria[c].attested_by, sizeof(st->criteria[c].attested_by), a->actor);
	effect(r, EFF_ATTESTED, at, c, -1, -1, "%s attested by %s", p->criteria[c].id,
	       st->criteria[c].attested_by);
	return ENGINE_OK;
}

static enum engine_status do_done(struct engine_state *st, const struct plan *p,
				  const struct engine_action *a, int64_t at, struct engine_result *r)
{
	int oi = obligation_lookup(p, a->target);
	const struct plan_obligation *ob;
	struct role_need need = { NULL, 0, -1, -1, NULL };
	char what[96];
	int idx;

	if (a->target && !strcmp(a->target, "warning_cap"))
		return refuse(r, "done", "the warning cap is met by lifting the warning or escalating");
	if (oi < 0)
		return refuse(r, "done", "unknown obligation '%s'", a->target ? a->target : "");
	ob = &p->obligations[oi];
	idx = open_instance(st, oi);
	if (idx < 0)
		return refuse(r, "done", "obligation '%s' is not open", ob->id);
	if (ob->owner >= 0 && (size_t)ob->owner < p->nroles && ob->owner < 32 &&
	    !((engine_user_roles(p, a->actor) >> ob->owner) & 1u))
		return refuse(r, "roles", "obligation '%s' is owned by role '%s', which user '%s' does not hold",
			      ob->id, p->roles[ob->owner].id, a->actor ? a->actor : "");
	need.prefer = ob->owner;
	snprintf(what, sizeof(what), "mark '%s' done", ob->id);
	need.what = what;
	if (pick_role(p, a, &need, r))
		return ENGINE_REFUSED;
	obl_close(st, p, (size_t)idx, OBL_DONE, a->actor, at, NULL, r);
	if (ob->is_cadence && ob->every > 0 && st->phase != PHASE_TERMINATED)
		obl_start(st, p, oi, -1, at, at + ob->every, r);
	event(st, p, ANCHOR_DONE, oi, at, r, 0);
	return ENGINE_OK;
}

static enum engine_status do_terminate(struct engine_state *st, const struct plan *p,
				       const struct engine_action *a, int64_t at,
				       struct engine_result *r)
{
	char list[768];

	if (unmet_list(st, p, p->termination, p->ntermination, list, sizeof(list)))
		return refuse(r, "termination", "cannot terminate: unmet: %s", list);
	if (!nonempty(a->text))
		return refuse(r, "reason", "terminate needs a reason");
	if (pick_role(p, a, NULL, r))
		return ENGINE_REFUSED;
	if (st->phase == PHASE_WARNING)
		effect(r, EFF_WARNING_LIFTED, at, st->warning, -1, -1, "%s warning ends: terminated",
		       warning_id(p, st->warning));
	st->phase = PHASE_TERMINATED;
	st->terminated_at = at;
	st->warning = -1;
	st->warning_since = 0;
	st->warning_started = 0;
	while (st->nproposals)
		proposal_remove(st, p, 0, at, "incident terminated", r);
	effect(r, EFF_TERMINATED, at, -1, -1, -1, "incident terminated");
	/* met_by terminate first, then everything else still open is moot */
	event(st, p, ANCHOR_TERMINATE, -1, at, r, 0);
	for (size_t i = 0; i < st->nobls; i++) {
		const struct engine_obligation *o = &st->obls[i];
		if (o->status != OBL_OPEN)
			continue;
		if (o->plan_index >= 0 && o->started == at &&
		    p->obligations[o->plan_index].anchor.kind == ANCHOR_TERMINATE &&
		    !p->obligations[o->plan_index].is_cadence)
			continue;
		obl_close(st, p, i, OBL_CANCELLED, "", at, "(incident terminated)", r);
	}
	return ENGINE_OK;
}

static enum engine_status do_handover(struct engine_state *st, const struct plan *p,
				      const struct engine_action *a, int64_t at,
				      struct engine_result *r)
{
	int found = 0;

	if (!nonempty(a->target))
		return refuse(r, "handover", "handover needs the user who takes command");
	if (!strcmp(a->target, st->commander))
		return refuse(r, "handover.same", "'%s' is already the commander", a->target);
	if (p->nroster) {
		for (size_t i = 0; i < p->nroster; i++)
			if (p->roster[i].user && !strcmp(p->roster[i].user, a->target))
				found = 1;
		if (!found)
			return refuse(r, "handover.roster", "user '%s' is not in the plan's roster", a->target);
	}
	if (pick_role(p, a, NULL, r))
		return ENGINE_REFUSED;
	effect(r, EFF_COMMANDER, at, -1, -1, -1, "%s", a->target);
	copy_str(st->commander, sizeof(st->commander), a->target);
	return ENGINE_OK;
}

enum engine_status engine_apply(struct engine_state *st, const struct plan *p,
				const struct engine_action *a, struct engine_result *r)
{
	int64_t at = a->at > st->now ? a->at : st->now;
	enum engine_status s;

	r->status = ENGINE_OK;
	r->rule[0] = r->message[0] = r->role[0] = r->answered[0] = '\0';
	r->from_level = r->to_level = -1;
	engine_advance(st, p, at, r);
	if ((unsigned)a->kind >= ACT__COUNT)
		return refuse(r, "action", "unknown action");
	if (a->kind == ACT_OPEN) {
		if (st->opened)
			return refuse(r, "open", "the incident is already open");
		s = do_open(st, p, a, at, r);
		goto out;
	}
	if (!st->opened)
		return refuse(r, "open", "the incident is not open");
	/* After termination only notes, and `done` for the obligations that
	 * termination itself starts (the termination report, the review). */
	if (st->phase == PHASE_TERMINATED && a->kind != ACT_LOG && a->kind != ACT_NOTE_REVIEW) {
		int oi = a->kind == ACT_DONE ? obligation_lookup(p, a->target) : -1;
		if (oi < 0 || open_instance(st, oi) < 0)
			return refuse(r, "terminated", "the incident is terminated: only log, note-review "
				      "and done for what termination started");
	}
	switch (a->kind) {
	case ACT_LOG:
	case ACT_NOTE_REVIEW: s = do_text(p, a, r); break;
	case ACT_METRIC: s = do_metric(st, p, a, at, r); break;
	case ACT_WARN: s = do_warn(st, p, a, at, r); break;
	case ACT_LIFT: s = do_lift(st, p, a, at, r); break;
	case ACT_ESCALATE: s = do_escalate(st, p, a, at, r); break;
	case ACT_DOWNGRADE: s = do_downgrade(st, p, a, at, r); break;
	case ACT_ASSESS: s = do_assess(st, p, a, at, r); break;
	case ACT_ATTEST: s = do_attest(st, p, a, at, r); break;
	case ACT_DONE: s = do_done(st, p, a, at, r); break;
	case ACT_TERMINATE: s = do_terminate(st, p, a, at, r); break;
	case ACT_HANDOVER: s = do_handover(st, p, a, at, r); break;
	default: return refuse(r, "action", "unknown action");
	}
out:
	/* Cadences follow the state; actions that cannot change the phase,
	 * level, warning or proposals skip the walk (readings are most of a
	 * long incident's journal). */
	if (s == ENGINE_OK && a->kind != ACT_METRIC && a->kind != ACT_LOG &&
	    a->kind != ACT_NOTE_REVIEW && a->kind != ACT_ATTEST && a->kind != ACT_HANDOVER)
		sync_cadences(st, p, at, r);
	return s;
}

/* ------------------------------------------------------------------ */
/* checkpoints                                                         */

#define ENC_MAGIC "SRST"
#define ENC_VERSION 1u

static void put_u32(struct strbuf *out, uint32_t v)
{
	unsigned char b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	sb_add(out, b, 4);
}

static void put_i64(struct strbuf *out, int64_t v)
{
	unsigned char b[8];
	uint64_t u = (uint64_t)v;
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(u >> (8 * i));
	sb_add(out, b, 8);
}

static void put_i32(struct strbuf *out, int v)
{
	put_u32(out, (uint32_t)(int32_t)v);
}

static void put_f64(struct strbuf *out, double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof(u));
	put_i64(out, (int64_t)u);
}

static void put_str(struct strbuf *out, const char *s)
{
	size_t n = strlen(s);
	put_u32(out, (uint32_t)n);
	sb_add(out, s, n);
}

struct reader {
	const unsigned char *p;
	size_t len, pos;
	int bad;
};

static uint32_t get_u32(struct reader *rd)
{
	uint32_t v = 0;
	if (rd->bad || rd->len - rd->pos < 4) {
		rd->bad = 1;
		return 0;
	}
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)rd->p[rd->pos + i] << (8 * i);
	rd->pos += 4;
	return v;
}

static int get_i32(struct reader *rd)
{
	return (int)(int32_t)get_u32(rd);
}

static int64_t get_i64(struct reader *rd)
{
	uint64_t v = 0;
	if (rd->bad || rd->len - rd->pos < 8) {
		rd->bad = 1;
		return 0;
	}
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)rd->p[rd->pos + i] << (8 * i);
	rd->pos += 8;
	return (int64_t)v;
}

static double get_f64(struct reader *rd)
{
	uint64_t u = (uint64_t)get_i64(rd);
	double d;
	memcpy(&d, &u, sizeof(d));
	return d;
}

static void get_str(struct reader *rd, char *dst, size_t size)
{
	uint32_t n = get_u32(rd);
	if (rd->bad || n >= size || rd->len - rd->pos < n) {
		rd->bad = 1;
		dst[0] = '\0';
		return;
	}
	memcpy(dst, rd->p + rd->pos, n);
	dst[n] = '\0';
	rd->pos += n;
}

void engine_encode(const struct engine_state *st, struct strbuf *out)
{
	sb_add(out, ENC_MAGIC, 4);
	put_u32(out, ENC_VERSION);
	put_u32(out, (uint32_t)st->nmetrics);
	put_u32(out, (uint32_t)st->ntriggers);
	put_u32(out, (uint32_t)st->ncriteria);
	put_u32(out, ENGINE_MAX_CONDS);
	put_i32(out, (int)st->phase);
	put_i32(out, st->opened);
	put_i32(out, st->drill);
	put_i32(out, st->level);
	put_i32(out, st->warning);
	put_i32(out, st->peak_level);
	put_i64(out, st->now);
	put_i64(out, st->opened_at);
	put_i64(out, st->warning_since);
	put_i64(out, st->level_since);
	put_i64(out, st->response_since);
	put_i64(out, st->terminated_at);
	put_i64(out, st->warning_started);
	put_str(out, st->commander);
	for (size_t i = 0; i < st->nmetrics; i++) {
		const struct engine_metric_state *m = &st->metrics[i];
		put_i32(out, m->has_value);
		put_f64(out, m->value);
		put_i64(out, m->at);
		put_i64(out, m->count);
	}
	for (size_t i = 0; i < st->ntriggers; i++) {
		put_i64(out, st->triggers[i].since);
		put_i32(out, st->triggers[i].firing);
		put_i64(out, st->triggers[i].fired_at);
	}
	for (size_t i = 0; i < st->ncriteria; i++) {
		const struct engine_criterion_state *c = &st->criteria[i];
		for (size_t k = 0; k < ENGINE_MAX_CONDS; k++)
			put_i64(out, c->since[k]);
		put_i32(out, c->attested);
		put_i64(out, c->attested_at);
		put_str(out, c->attested_by);
	}
	put_u32(out, (uint32_t)st->nproposals);
	for (size_t i = 0; i < st->nproposals; i++) {
		const struct engine_proposal *pr = &st->proposals[i];
		put_i32(out, pr->level);
		put_i32(out, (int)pr->source);
		put_i32(out, pr->trigger);
		put_str(out, pr->rule);
		put_i64(out, pr->at);
	}
	put_u32(out, (uint32_t)st->nobls);
	for (size_t i = 0; i < st->nobls; i++) {
		const struct engine_obligation *o = &st->obls[i];
		put_i32(out, o->plan_index);
		put_i32(out, o->seq);
		put_i64(out, o->started);
		put_i64(out, o->due);
		put_i32(out, (int)o->status);
		put_i64(out, o->closed_at);
		put_str(out, o->closed_by);
		put_i32(out, o->warning);
	}
}

static int in_range(int v, int lo, size_t n)
{
	return v >= lo && (v < 0 || (size_t)v < n);
}

int engine_decode(struct engine_state *st, const struct plan *p, const void *buf, size_t len)
{
	struct reader rd = { buf, len, 0, 0 };
	uint32_t n;
	int ph;

	engine_init(st, p);
	if (!buf || len < 4 || memcmp(buf, ENC_MAGIC, 4))
		goto bad;
	rd.pos = 4;
	if (get_u32(&rd) != ENC_VERSION || get_u32(&rd) != p->nmetrics ||
	    get_u32(&rd) != p->ntriggers || get_u32(&rd) != p->ncriteria ||
	    get_u32(&rd) != ENGINE_MAX_CONDS)
		goto bad;
	ph = get_i32(&rd);
	if (ph < PHASE_MONITORING || ph > PHASE_TERMINATED)
		goto bad;
	st->phase = (enum engine_phase)ph;
	st->opened = get_i32(&rd);
	st->drill = get_i32(&rd);
	st->level = get_i32(&rd);
	st->warning = get_i32(&rd);
	st->peak_level = get_i32(&rd);
	if (!in_range(st->level, -1, p->nlevels) || !in_range(st->warning, -1, p->nwarnings) ||
	    !in_range(st->peak_level, -1, p->nlevels))
		goto bad;
	st->now = get_i64(&rd);
	st->opened_at = get_i64(&rd);
	st->warning_since = get_i64(&rd);
	st->level_since = get_i64(&rd);
	st->response_since = get_i64(&rd);
	st->terminated_at = get_i64(&rd);
	st->warning_started = get_i64(&rd);
	get_str(&rd, st->commander, sizeof(st->commander));
	for (size_t i = 0; i < st->nmetrics; i++) {
		struct engine_metric_state *m = &st->metrics[i];
		m->has_value = get_i32(&rd);
		m->value = get_f64(&rd);
		m->at = get_i64(&rd);
		m->count = get_i64(&rd);
	}
	for (size_t i = 0; i < st->ntriggers; i++) {
		st->triggers[i].since = get_i64(&rd);
		st->triggers[i].firing = get_i32(&rd);
		st->triggers[i].fired_at = get_i64(&rd);
	}
	for (size_t i = 0; i < st->ncriteria; i++) {
		struct engine_criterion_state *c = &st->criteria[i];
		for (size_t k = 0; k < ENGINE_MAX_CONDS; k++)
			c->since[k] = get_i64(&rd);
		c->attested = get_i32(&rd);
		c->attested_at = get_i64(&rd);
		get_str(&rd, c->attested_by, sizeof(c->attested_by));
	}
	n = get_u32(&rd);
	if (rd.bad || n > (rd.len - rd.pos) / 16)
		goto bad;
	if (n) {
		st->proposals = xcalloc(n, sizeof(*st->proposals));
		st->aproposals = n;
	}
	for (uint32_t i = 0; i < n && !rd.bad; i++) {
		struct engine_proposal *pr = &st->proposals[i];
		int src;
		pr->level = get_i32(&rd);
		src = get_i32(&rd);
		pr->trigger = get_i32(&rd);
		get_str(&rd, pr->rule, sizeof(pr->rule));
		pr->at = get_i64(&rd);
		if (!in_range(pr->level, 0, p->nlevels) || (src != PROP_TRIGGER && src != PROP_MATRIX) ||
		    !in_range(pr->trigger, -1, p->ntriggers))
			goto bad;
		pr->source = (enum engine_proposal_source)src;
		st->nproposals++;
	}
	n = get_u32(&rd);
	if (rd.bad || n > (rd.len - rd.pos) / 16)
		goto bad;
	if (n) {
		st->obls = xcalloc(n, sizeof(*st->obls));
		st->aobls = n;
	}
	for (uint32_t i = 0; i < n && !rd.bad; i++) {
		struct engine_obligation *o = &st->obls[i];
		int status;
		o->plan_index = get_i32(&rd);
		o->seq = get_i32(&rd);
		o->started = get_i64(&rd);
		o->due = get_i64(&rd);
		status = get_i32(&rd);
		o->closed_at = get_i64(&rd);
		get_str(&rd, o->closed_by, sizeof(o->closed_by));
		o->warning = get_i32(&rd);
		if (!in_range(o->plan_index, -1, p->nobligations) || status < OBL_OPEN ||
		    status > OBL_CANCELLED || !in_range(o->warning, -1, p->nwarnings))
			goto bad;
		o->status = (enum engine_obl_status)status;
		st->nobls++;
	}
	if (rd.bad || rd.pos != rd.len)
		goto bad;
	return 0;
bad:
	engine_release(st);
	return -1;
}
