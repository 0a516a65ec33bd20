/* engine: deadlines. Obligations of the plan (and the notices' ones the
 * loader generates), the warning cap and tasks are open deadlines while
 * they run; when one ends, how it ended is counted (kept, late, missed,
 * no longer applies, withdrawn) and reported as an effect. */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

struct engine_obl_stats *obl_stats(struct engine_state *st, int pi)
{
	if (pi == ENGINE_CAP)
		return &st->cap_stats;
	if (pi == ENGINE_TASK || pi < 0 || (size_t)pi >= st->nstats)
		return &st->task_stats;
	return &st->stats[pi];
}

enum sitrep_outcome engine_outcome(int64_t due, int64_t closed_at, int done)
{
	if (done)
		return due == 0 || closed_at <= due ? OUT_KEPT : OUT_LATE;
	return due != 0 && closed_at > due ? OUT_MISSED : OUT_CANCELLED;
}

size_t obl_start(struct engine_state *st, const struct plan *p, int pi, int task, int warning,
		 int64_t at, int64_t due, int by_proposal, struct engine_result *r)
{
	struct engine_obl_stats *s = obl_stats(st, pi);
	struct engine_obligation *o;
	struct engine_effect *e;

	st->obls = xgrow(st->obls, sizeof(*st->obls), st->nobls + 1, &st->aobls);
	o = &st->obls[st->nobls];
	memset(o, 0, sizeof(*o));
	o->plan_index = pi;
	o->task = task;
	o->seq = pi == ENGINE_TASK ? 1 : ++s->started;
	if (pi == ENGINE_TASK)
		s->started++;
	o->started = at;
	o->due = due;
	o->warning = warning;
	o->by_proposal = by_proposal;
	if (pi >= 0 && (size_t)pi < p->nobligations && p->obligations[pi].notice >= 0 &&
	    (size_t)p->obligations[pi].notice < st->nnotices) {
		/* a notice falls due: a new wording to approve, a new message to send */
		struct engine_notice_state *n = &st->notices[p->obligations[pi].notice];
		n->state = NOTICE_DUE;
		n->approved = 0;
		n->approved_by[0] = '\0';
		n->approved_hash[0] = '\0';
		n->approved_entry = 0;
	}
	if ((e = eff_add(r, EFF_OBLIGATION_STARTED, at))) {
		e->ref = pi;
		e->task = task;
		e->seq = o->seq;
		e->due = due;
	}
	return st->nobls++;
}

void obl_close(struct engine_state *st, const struct plan *p, size_t idx, enum obl_end end,
	       const char *by, int64_t at, enum engine_why why, struct engine_result *r)
{
	struct engine_obligation o = st->obls[idx];
	struct engine_obl_stats *s = obl_stats(st, o.plan_index);
	enum sitrep_outcome out;
	enum sitrep_effect kind;
	struct engine_effect *e;

	(void)p;
	switch (end) {
	case END_DONE: out = engine_outcome(o.due, at, 1); break;
	case END_CANCELLED: out = engine_outcome(o.due, at, 0); break;
	case END_WITHDRAWN: out = OUT_WITHDRAWN; break;
	default: out = OUT_MISSED; break;
	}
	switch (out) {
	case OUT_KEPT: s->kept++; s->ever_done = 1; kind = EFF_OBLIGATION_DONE; break;
	case OUT_LATE: s->late++; s->ever_done = 1; kind = EFF_OBLIGATION_DONE; break;
	case OUT_MISSED: s->missed++; kind = EFF_OBLIGATION_MISSED; break;
	case OUT_WITHDRAWN: s->withdrawn++; kind = EFF_OBLIGATION_WITHDRAWN; break;
	default: s->cancelled++; kind = EFF_OBLIGATION_CANCELLED; break;
	}
	if (o.plan_index == ENGINE_TASK && o.task >= 0 && (size_t)o.task < st->ntasks) {
		struct engine_task *t = &st->tasks[o.task];
		t->outcome = out;
		t->closed_at = at;
		copy_str(t->closed_by, sizeof(t->closed_by), by);
	}
	memmove(&st->obls[idx], &st->obls[idx + 1], (st->nobls - idx - 1) * sizeof(*st->obls));
	st->nobls--;
	if ((e = eff_add(r, kind, at))) {
		e->ref = o.plan_index;
		e->task = o.task;
		e->seq = o.seq;
		e->due = o.due;
		e->outcome = out;
		e->why = why;
		copy_str(e->who, sizeof(e->who), by);
		e->from = o.warning;
	}
}

int obl_open_index(const struct engine_state *st, int pi)
{
	for (size_t i = 0; i < st->nobls; i++)
		if (st->obls[i].plan_index == pi)
			return (int)i;
	return -1;
}

int obl_task_index(const struct engine_state *st, int ti)
{
	for (size_t i = 0; i < st->nobls; i++)
		if (st->obls[i].plan_index == ENGINE_TASK && st->obls[i].task == ti)
			return (int)i;
	return -1;
}

/* Does the state hold a cadence's `while` anchor? */
static int state_holds(const struct engine_state *st, const struct plan_anchor *an)
{
	switch (an->kind) {
	case ANCHOR_OPEN: return st->opened && st->phase != PHASE_TERMINATED;
	case ANCHOR_WARNING: return st->phase == PHASE_WARNING;
	case ANCHOR_WARNING_ID: return st->phase == PHASE_WARNING && st->warning == an->ref;
	case ANCHOR_RESPONSE: return st->phase == PHASE_RESPONSE;
	case ANCHOR_LEVEL: /* `level` alone is an event only; the loader refuses it in `while` */
		return st->phase == PHASE_RESPONSE && (an->ref < 0 || st->level == an->ref);
	case ANCHOR_PROPOSAL: return st->phase != PHASE_TERMINATED && st->nproposals > 0;
	case ANCHOR_TERMINATE: return st->phase == PHASE_TERMINATED;
	case ANCHOR_DONE:
	case ANCHOR_LIFT:
	case ANCHOR_TRIGGER: return 0;
	}
	return 0;
}

void obl_sync_cadences(struct engine_state *st, const struct plan *p, int64_t at,
		       struct engine_result *r)
{
	if (!st->opened)
		return;
	for (size_t i = 0; i < p->nobligations; i++) {
		const struct plan_obligation *ob = &p->obligations[i];
		int holds = 0, open;

		if (!ob->is_cadence)
			continue;
		for (size_t k = 0; k < ob->nduring && !holds; k++)
			holds = state_holds(st, &ob->during[k]);
		open = obl_open_index(st, (int)i);
		if (holds && open < 0 && ob->every > 0)
			obl_start(st, p, (int)i, -1, -1, at, at + ob->every, 0, r);
		else if (!holds && open >= 0)
			obl_close(st, p, (size_t)open, END_CANCELLED, "", at, WHY_NO_LONGER_APPLIES, r);
	}
}

static int anchor_is(const struct plan_anchor *an, enum plan_anchor_kind kind, int ref)
{
	if (an->kind != kind)
		return 0;
	switch (kind) {
	case ANCHOR_LEVEL: return an->ref < 0 || an->ref == ref; /* `level`: any change */
	case ANCHOR_WARNING_ID:
	case ANCHOR_DONE:
	case ANCHOR_TRIGGER: return an->ref == ref;
	default: return 1;
	}
}

/* The `done:X` of ob's met_by that has already happened, or -1. */
static int met_before(const struct engine_state *st, const struct plan_obligation *ob)
{
	for (size_t k = 0; k < ob->nmet_by; k++)
		if (ob->met_by[k].kind == ANCHOR_DONE && ob->met_by[k].ref >= 0 &&
		    (size_t)ob->met_by[k].ref < st->nstats && st->stats[ob->met_by[k].ref].ever_done)
			return ob->met_by[k].ref;
	return -1;
}

static void event_depth(struct engine_state *st, const struct plan *p, enum plan_anchor_kind kind,
			int ref, int64_t at, struct engine_result *r, int depth)
{
	int closed[64];
	size_t nclosed = 0;

	if (depth > 8)
		return;
	for (size_t i = 0; i < st->nobls;) {
		const struct engine_obligation *o = &st->obls[i];
		const struct plan_obligation *ob;
		int met = 0;

		if (o->plan_index < 0 || (size_t)o->plan_index >= p->nobligations) {
			i++;
			continue;
		}
		ob = &p->obligations[o->plan_index];
		for (size_t k = 0; k < ob->nmet_by && !met; k++)
			met = anchor_is(&ob->met_by[k], kind, ref);
		if (!met) {
			i++;
			continue;
		}
		if (nclosed < ARRAY_SIZE(closed))
			closed[nclosed++] = o->plan_index;
		obl_close(st, p, i, END_DONE, "", at, WHY_MET, r);
	}
	for (size_t i = 0; i < p->nobligations; i++) {
		const struct plan_obligation *ob = &p->obligations[i];
		int done_by;

		if (ob->is_cadence || !anchor_is(&ob->anchor, kind, ref))
			continue;
		if (ob->repeat ? obl_open_index(st, (int)i) >= 0 : st->stats[i].started > 0)
			continue;
		obl_start(st, p, (int)i, -1, -1, at, at + ob->within, kind == ANCHOR_PROPOSAL, r);
		done_by = met_before(st, ob);
		if (done_by >= 0) {
			obl_close(st, p, st->nobls - 1, END_DONE, "", at, WHY_MET_BEFORE, r);
			if (nclosed < ARRAY_SIZE(closed))
				closed[nclosed++] = (int)i;
		}
	}
	/* an obligation met by an event is done: its `done:` chain goes on */
	for (size_t i = 0; i < nclosed; i++)
		event_depth(st, p, ANCHOR_DONE, closed[i], at, r, depth + 1);
}

void obl_event(struct engine_state *st, const struct plan *p, enum plan_anchor_kind kind,
	       int ref, int64_t at, struct engine_result *r)
{
	event_depth(st, p, kind, ref, at, r, 0);
}

void obl_cap_met(struct engine_state *st, const struct plan *p, int64_t at, enum engine_why why,
		 struct engine_result *r)
{
	int i = obl_open_index(st, ENGINE_CAP);
	if (i >= 0)
		obl_close(st, p, (size_t)i, END_DONE, "", at, why, r);
}

void obl_withdraw_by_proposal(struct engine_state *st, const struct plan *p, int64_t at,
			      struct engine_result *r)
{
	if (st->nproposals)
		return;
	for (size_t i = 0; i < st->nobls;) {
		if (st->obls[i].by_proposal)
			obl_close(st, p, i, END_WITHDRAWN, "", at, WHY_PROPOSAL_WITHDRAWN, r);
		else
			i++;
	}
}

/* A cadence deadline is missed once a whole period has passed after its due
 * time without it being done: a half-hourly report due at 10:28 and still
 * not done at 10:58 is missed, and the next one is due at 10:58. So every
 * period that passes without a report counts once (docs/decisions.md). */
static int64_t miss_time(const struct plan *p, const struct engine_obligation *o)
{
	const struct plan_obligation *ob;
	if (o->plan_index < 0 || (size_t)o->plan_index >= p->nobligations)
		return INT64_MAX;
	ob = &p->obligations[o->plan_index];
	if (!ob->is_cadence || ob->every <= 0 || !o->due)
		return INT64_MAX;
	return o->due + ob->every;
}

int64_t obl_next_miss(const struct engine_state *st, const struct plan *p)
{
	int64_t best = INT64_MAX;
	for (size_t i = 0; i < st->nobls; i++) {
		int64_t t = miss_time(p, &st->obls[i]);
		if (t < best)
			best = t;
	}
	return best;
}

void obl_miss_due(struct engine_state *st, const struct plan *p, int64_t at,
		  struct engine_result *r)
{
	for (size_t i = 0; i < st->nobls;) {
		const struct engine_obligation *o = &st->obls[i];
		int64_t t = miss_time(p, o);
		int pi = o->plan_index;
		int64_t due = o->due;
		if (t > at) {
			i++;
			continue;
		}
		obl_close(st, p, i, END_MISSED, "", t, WHY_PERIOD_PASSED, r);
		/* the next period ended as this one was missed: it is due now */
		obl_start(st, p, pi, -1, -1, t, due + p->obligations[pi].every, 0, r);
		/* it went to the end of the array: look at index i again */
	}
}

void obl_terminate(struct engine_state *st, const struct plan *p, int64_t at,
		   struct engine_result *r)
{
	for (size_t i = 0; i < st->nobls;) {
		const struct engine_obligation *o = &st->obls[i];
		int keep = 0;
		if (o->plan_index == ENGINE_TASK && o->task >= 0 && (size_t)o->task < st->ntasks)
			keep = st->tasks[o->task].followup;
		else if (o->plan_index >= 0 && o->started == at &&
			 p->obligations[o->plan_index].anchor.kind == ANCHOR_TERMINATE &&
			 !p->obligations[o->plan_index].is_cadence)
			keep = 1;
		if (keep)
			i++;
		else
			obl_close(st, p, i, END_CANCELLED, "", at, WHY_TERMINATED, r);
	}
}
