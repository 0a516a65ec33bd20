/* app: what the review shows (struct view_review), gathered in one walk
 * over the incident's rows: the level over time, the changes and the
 * proposals they answered, how every deadline ended (the engine says kept,
 * late or missed), refusals, notes, notices, follow-ups, who did what.
 * The figures' definitions are docs/review.md's. Memory grows with what
 * happened (changes, deadlines), never with the readings. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app_int.h"
#include "sitrep/i18n.h"

void view_review_release(struct view_review *r)
{
	if (r->inc) {
		view_incident_release(r->inc);
		free(r->inc);
	}
	arena_release(&r->mem);
	memset(r, 0, sizeof(*r));
}

struct pending {             /* a proposal not yet answered */
	int level;
	char rule[ENGINE_ID_MAX];
	int64_t at;
};

struct gather {
	struct app *a;
	const struct plan *p;
	struct view_review *r;
	struct arena *m;
	size_t aseg, ach, ainst, aref, anote, asent, aact;
	struct pending *pend; size_t npend, apend;
	int *firing; int nfiring;
	int64_t open_at, term_at, mit_at;
	int seen_open;
	char (*channel)[64];     /* per notice: the channel of its last attempt */
	int *acts; size_t aacts; /* actions per r->activity entry */
	int *failed;             /* per notice: attempts that failed since it was last sent */
};

#define GROW(g, arr, n, a) \
	((g)->r->arr = grow_arena((g)->m, (g)->r->arr, sizeof(*(g)->r->arr), (g)->r->n + 1, &(g)->a))

/* Arrays in the review's arena double as they grow (the old copies stay in
 * the arena until it is released: at most as much again). */
static void *grow_arena(struct arena *m, void *old, size_t size, size_t need, size_t *alloc)
{
	void *n;
	if (need <= *alloc)
		return old;
	*alloc = *alloc ? *alloc * 2 : 16;
	if (*alloc < need)
		*alloc = need;
	n = arena_alloc(m, *alloc * size);
	if (old)
		memcpy(n, old, (need - 1) * size);
	return n;
}

static void segment(struct gather *g, int64_t t, enum sitrep_phase ph, int level, int warning)
{
	struct view_review *r = g->r;
	struct view_segment *s;
	if (r->nsegments) {
		s = &r->segments[r->nsegments - 1];
		if (s->phase == ph && s->level == level && s->warning == warning)
			return;
		s->t1 = t;
		if (s->t1 == s->t0) {
			s->phase = ph;
			s->level = level;
			s->warning = warning;
			if (r->nsegments > 1) {
				struct view_segment *q = &r->segments[r->nsegments - 2];
				if (q->phase == ph && q->level == level && q->warning == warning)
					r->nsegments--;
			}
			return;
		}
	}
	GROW(g, segments, nsegments, aseg);
	s = &r->segments[r->nsegments++];
	s->t0 = s->t1 = t;
	s->phase = ph;
	s->level = level;
	s->warning = warning;
}

static void mitigated(struct gather *g, int64_t at, const char *how)
{
	if (g->mit_at < 0 && at >= g->open_at) {
		g->mit_at = at;
		g->r->fig.mitigation_how = how;
	}
}

/* Acknowledging: any journaled entry after the open but readings, exports
 * and review notes; a refused attempt counts (someone was acting). */
static int is_ack(const struct view_row *row)
{
	static const char *const skip[] = { "open", "metric", "export", "auto", "note-review" };
	if (!row->entry)
		return 0;
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strcmp(row->kind, skip[i]))
			return 0;
	return 1;
}

static const char *obl_title(const struct plan *p, const struct engine_effect *e)
{
	if (e->ref >= 0 && (size_t)e->ref < p->nobligations)
		return p->obligations[e->ref].title ? p->obligations[e->ref].title
						    : p->obligations[e->ref].id;
	return NULL;
}

static void instance(struct gather *g, const struct engine_effect *e, const struct view_row *row)
{
	const struct plan *p = g->p;
	struct view_instance *in;
	if (e->ref == ENGINE_TASK)
		return; /* tasks are listed with the follow-ups */
	GROW(g, instances, ninstances, ainst);
	in = &g->r->instances[g->r->ninstances++];
	memset(in, 0, sizeof(*in));
	in->id = e->ref == ENGINE_CAP ? "warning_cap" : plan_obligation_id(p, e->ref);
	in->title = e->ref == ENGINE_CAP ? _("escalate or lift the warning") : obl_title(p, e);
	in->owner = e->ref >= 0 ? plan_role_id(p, p->obligations[e->ref].owner) : NULL;
	in->seq = e->seq;
	in->due = e->due;
	in->closed_at = e->at;
	in->by = e->who[0] ? arena_strdup(g->m, e->who) : NULL;
	in->outcome = e->outcome;
	in->notice = e->ref >= 0 && p->obligations[e->ref].notice >= 0 &&
		     (size_t)p->obligations[e->ref].notice < p->nnotices;
	(void)row;
}

static void notice_closed(struct gather *g, const struct engine_effect *e)
{
	const struct plan *p = g->p;
	int n = e->ref >= 0 && (size_t)e->ref < p->nobligations ? p->obligations[e->ref].notice : -1;
	struct view_sent *s;
	if (n < 0 || (size_t)n >= p->nnotices)
		return;
	GROW(g, sent, nsent, asent);
	s = &g->r->sent[g->r->nsent++];
	memset(s, 0, sizeof(*s));
	s->id = p->notices[n].id;
	s->title = p->notices[n].title ? p->notices[n].title : s->id;
	s->due = e->due;
	s->outcome = e->outcome;
	s->failed = g->failed[n];
	g->failed[n] = 0;
	if (e->kind == EFF_OBLIGATION_DONE) {
		s->sent_at = e->at;
		s->by = e->who[0] ? arena_strdup(g->m, e->who) : NULL;
		s->channel = g->channel[n][0] ? arena_strdup(g->m, g->channel[n]) : _("by hand");
	}
}

static void effects(struct gather *g, const struct view_row *row, const struct engine_result *res)
{
	const struct plan *p = g->p;
	struct view_review *r = g->r;
	for (size_t k = 0; res && k < res->neffects; k++) {
		const struct engine_effect *e = &res->effects[k];
		struct pending *pd;
		switch (e->kind) {
		case EFF_PROPOSAL:
			g->pend = xgrow(g->pend, sizeof(*g->pend), g->npend + 1, &g->apend);
			pd = &g->pend[g->npend++];
			pd->level = e->ref;
			pd->at = e->at;
			snprintf(pd->rule, sizeof(pd->rule), "%s", e->rule);
			break;
		case EFF_LEVEL: {
			struct view_change *c;
			size_t q;
			GROW(g, changes, nchanges, ach);
			c = &r->changes[r->nchanges++];
			memset(c, 0, sizeof(*c));
			c->at = e->at;
			c->kind = row->entry ? arena_strdup(g->m, row->kind) : "auto";
			c->from = plan_level_id(p, e->from);
			c->to = plan_level_id(p, e->ref);
			c->actor = arena_strdup(g->m, row->actor);
			c->role = arena_strdup(g->m, row->role);
			c->reason = arena_strdup(g->m, row->text);
			c->answered_after = -1;
			for (q = 0; q < g->npend; q++)
				if (g->pend[q].level == e->ref)
					break;
			if (q < g->npend) {
				c->answered = arena_strdup(g->m, g->pend[q].rule);
				c->answered_after = e->at - g->pend[q].at;
				memmove(&g->pend[q], &g->pend[q + 1], (g->npend - q - 1) * sizeof(*g->pend));
				g->npend--;
			}
			if (e->from < 0 || e->ref > e->from) {
				r->fig.escalations++;
			} else if (e->ref < e->from) {
				r->fig.downgrades++;
				mitigated(g, e->at, _("first downgrade"));
			}
			if (e->ref > r->fig.peak_level)
				r->fig.peak_level = e->ref;
			break;
		}
		case EFF_PROPOSAL_WITHDRAWN:
			for (size_t q = 0; q < g->npend; q++)
				if (g->pend[q].level == e->ref) {
					memmove(&g->pend[q], &g->pend[q + 1],
						(g->npend - q - 1) * sizeof(*g->pend));
					g->npend--;
					break;
				}
			break;
		case EFF_TRIGGER_FIRED:
			if (e->ref >= 0 && e->ref < g->nfiring && !g->firing[e->ref])
				g->firing[e->ref] = 1;
			break;
		case EFF_TRIGGER_CLEARED:
			if (e->ref >= 0 && e->ref < g->nfiring && g->firing[e->ref]) {
				int any = 0;
				g->firing[e->ref] = 0;
				for (int i = 0; i < g->nfiring; i++)
					any |= g->firing[i];
				if (!any)
					mitigated(g, e->at, _("no trigger firing any more"));
			}
			break;
		case EFF_WARNING_LIFTED:
			if (e->why == WHY_LIFTED)
				mitigated(g, e->at, _("warning lifted"));
			break;
		case EFF_TERMINATED:
			if (g->term_at < 0)
				g->term_at = e->at;
			break;
		case EFF_NOTICE_FAILED:
			if (e->ref >= 0 && (size_t)e->ref < p->nnotices)
				g->failed[e->ref]++;
			break;
		case EFF_OBLIGATION_DONE:
		case EFF_OBLIGATION_MISSED:
		case EFF_OBLIGATION_CANCELLED:
		case EFF_OBLIGATION_WITHDRAWN:
			if (e->kind != EFF_OBLIGATION_CANCELLED || e->outcome != OUT_CANCELLED)
				instance(g, e, row);
			notice_closed(g, e);
			break;
		default:
			break;
		}
	}
}

static int gather_row(const struct view_row *row, const struct view_pos *key,
		      const struct engine_result *res, void *ctx)
{
	struct gather *g = ctx;
	struct view_review *r = g->r;
	enum sitrep_phase ph = PHASE_MONITORING;
	(void)key;

	for (int i = 0; i < PHASE__COUNT; i++)
		if (!strcmp(row->phase, phase_name(i)))
			ph = (enum sitrep_phase)i;
	if (!g->seen_open && row->entry && !strcmp(row->kind, "open") && !row->refused) {
		g->seen_open = 1;
		g->open_at = row->occurred_at;
		segment(g, g->open_at, PHASE_MONITORING, -1, -1);
	}
	if (!g->seen_open)
		return 0;
	if (r->fig.to_ack < 0 && is_ack(row))
		r->fig.to_ack = row->occurred_at - g->open_at;
	if (row->refused) {
		r->fig.refusals++;
		GROW(g, refusals, nrefusals, aref);
		r->refusals[r->nrefusals] = *row;
		r->refusals[r->nrefusals].actor = arena_strdup(g->m, row->actor);
		r->refusals[r->nrefusals].kind = "refused";
		r->refusals[r->nrefusals].summary = arena_strdup(g->m, row->summary);
		r->refusals[r->nrefusals].text = arena_strdup(g->m, row->text);
		r->refusals[r->nrefusals].rule = arena_strdup(g->m, row->rule);
		r->refusals[r->nrefusals].role = arena_strdup(g->m, row->role);
		r->refusals[r->nrefusals].effects = NULL;
		r->refusals[r->nrefusals].neffects = 0;
		r->refusals[r->nrefusals].readings = NULL;
		r->refusals[r->nrefusals].nreadings = 0;
		r->nrefusals++;
	}
	if (row->entry && !strcmp(row->kind, "correct"))
		r->fig.corrections++;
	if (row->entry && !strcmp(row->kind, "note-review") && !row->refused) {
		struct view_note *n;
		GROW(g, notes, nnotes, anote);
		n = &r->notes[r->nnotes++];
		n->section = -1;
		/* "review note [speed]: ..." is the summary; the section is the target */
		{
			const char *b = strchr(row->summary, '['), *e = b ? strchr(b, ']') : NULL;
			if (b && e) {
				char sec[32];
				snprintf(sec, sizeof(sec), "%.*s", (int)(e - b - 1), b + 1);
				n->section = section_lookup(sec);
			}
		}
		n->actor = arena_strdup(g->m, row->actor);
		n->at = row->occurred_at;
		n->text = arena_strdup(g->m, row->text);
	}
	if (row->entry && !strcmp(row->kind, "notify") && row->payload) {
		/* how each notice went out last: its attempt's channel, or by hand
		 * (from the payload: the summary is in the reader's language) */
		json_error_t jerr;
		json_t *js = json_loads(row->payload, 0, &jerr);
		const char *step = js ? json_string_value(json_object_get(js, "step")) : NULL;
		const char *chan = js ? json_string_value(json_object_get(js, "channel")) : NULL;
		int i = js ? plan_notice_index(g->p, json_string_value(json_object_get(js, "notice")))
			   : -1;
		if (i >= 0 && step && !strcmp(step, "attempt") && chan)
			snprintf(g->channel[i], sizeof(g->channel[i]), "%s", chan);
		else if (i >= 0 && step && !strcmp(step, "by-hand"))
			g->channel[i][0] = '\0'; /* shown as "by hand" */
		if (js)
			json_decref(js);
	}
	if (row->entry && row->actor && *row->actor) {
		size_t i;
		for (i = 0; i < r->nactivity; i++)
			if (!strcmp(r->activity[i].id, row->actor))
				break;
		if (i == r->nactivity) {
			GROW(g, activity, nactivity, aact);
			g->acts = xgrow(g->acts, sizeof(*g->acts), r->nactivity + 1, &g->aacts);
			r->activity[i].id = arena_strdup(g->m, row->actor);
			r->activity[i].text = NULL;
			g->acts[i] = 0;
			r->nactivity++;
		}
		g->acts[i]++;
	}
	effects(g, row, res);
	if (g->term_at < 0 || row->occurred_at <= g->term_at) {
		int level = -1, warning = -1;
		if (row->level)
			level = plan_level_index(g->p, row->level);
		if (row->warning)
			warning = plan_warning_index(g->p, row->warning);
		segment(g, row->occurred_at, ph, level, warning);
	}
	return 0;
}

/* Long by design: one walk over the rows, then the figures in the order the
 * review shows them; each step feeds the next, so it reads best in one
 * piece. */
int app_review(struct app *a, int64_t id, struct view_review *out, struct sitrep_error *err)
{
	struct gather g;
	struct rows_query q;
	struct rows_result res;
	struct journal_incident row;
	const struct plan *p;
	struct view_review *r = out;
	int code;
	int64_t end;

	memset(out, 0, sizeof(*out));
	memset(&row, 0, sizeof(row));
	r->inc = xcalloc(1, sizeof(*r->inc));
	if ((code = app_incident(a, id, 0, r->inc, err)) != 0) {
		view_review_release(out);
		return code;
	}
	if ((code = app_incident_plan(a, id, &row, &p, err)) != 0) {
		journal_incident_release(&row);
		view_review_release(out);
		return code;
	}
	memset(&g, 0, sizeof(g));
	g.a = a;
	g.p = p;
	g.r = r;
	g.m = &r->mem;
	g.term_at = g.mit_at = -1;
	g.nfiring = (int)p->ntriggers;
	g.firing = xcalloc(p->ntriggers + 1, sizeof(*g.firing));
	g.channel = xcalloc(p->nnotices + 1, sizeof(*g.channel));
	g.failed = xcalloc(p->nnotices + 1, sizeof(*g.failed));
	r->fig.to_ack = r->fig.to_first_level = r->fig.to_mitigation = r->fig.to_termination = -1;
	r->fig.peak_level = -1;
	memset(&q, 0, sizeof(q));
	q.after.occ = INT64_MIN;
	q.upto = r->inc->at;
	q.fn = gather_row;
	q.ctx = &g;
	code = derive_rows(a, id, p, &q, &res, err);
	if (code == 0) {
		end = g.term_at >= 0 ? g.term_at : r->inc->at;
		if (end < g.open_at)
			end = g.open_at;
		if (r->nsegments)
			r->segments[r->nsegments - 1].t1 = end > r->segments[r->nsegments - 1].t0
				? end : r->segments[r->nsegments - 1].t0;
		for (size_t i = 0; i < r->nsegments; i++) {
			const struct view_segment *s = &r->segments[i];
			int64_t d = s->t1 - s->t0;
			if (s->phase == PHASE_TERMINATED)
				continue;
			if (s->warning >= 0 && s->warning < 8)
				r->fig.in_warning[s->warning] += d;
			if (s->level >= 0 && s->level < 8)
				r->fig.in_level[s->level] += d;
			if (s->level >= 0 && r->fig.to_first_level < 0)
				r->fig.to_first_level = s->t0 - g.open_at;
		}
		if (r->inc->peak.index > r->fig.peak_level)
			r->fig.peak_level = r->inc->peak.index;
		if (g.mit_at >= 0)
			r->fig.to_mitigation = g.mit_at - g.open_at;
		if (g.term_at >= 0)
			r->fig.to_termination = g.term_at - g.open_at;
		/* tasks with a due time count as deadlines too (follow-ups are the
		 * review's own items, listed apart) */
		for (size_t i = 0; i < r->inc->ntasks; i++) {
			const struct view_deadline *t = &r->inc->tasks[i];
			struct view_instance *in;
			if (t->kind != OBLK_TASK || !t->due || t->outcome == OUT_OPEN)
				continue;
			GROW(&g, instances, ninstances, ainst);
			in = &r->instances[r->ninstances++];
			memset(in, 0, sizeof(*in));
			in->id = t->id;
			in->title = t->title;
			in->person = t->person;
			in->seq = 1;
			in->due = t->due;
			in->closed_at = t->closed_at;
			in->by = t->closed_by;
			in->outcome = t->outcome;
		}
		for (size_t i = 0; i < r->ninstances; i++) {
			r->fig.kept += r->instances[i].outcome == OUT_KEPT;
			r->fig.late += r->instances[i].outcome == OUT_LATE;
			r->fig.missed += r->instances[i].outcome == OUT_MISSED;
		}
		/* still open at the end: overdue ones count as missed so far */
		for (size_t i = 0; i < r->inc->ndeadlines; i++) {
			const struct view_deadline *d = &r->inc->deadlines[i];
			if (d->kind != OBLK_OBLIGATION && !(d->kind == OBLK_TASK && d->due))
				continue;
			if (d->overdue)
				r->fig.missed++;
			else
				r->fig.open++;
		}
		/* how every deadline of the plan came out */
		r->compliance = arena_alloc(&r->mem, (p->nobligations + r->inc->ntasks + 2) *
						       sizeof(*r->compliance));
		for (size_t i = 0; i < p->nobligations; i++) {
			struct view_compliance *c = &r->compliance[r->ncompliance++];
			c->id = p->obligations[i].id;
			c->title = p->obligations[i].title ? p->obligations[i].title : c->id;
			c->kind = OBLK_OBLIGATION;
		}
		for (size_t i = 0; i < r->inc->ntasks; i++) {
			const struct view_deadline *t = &r->inc->tasks[i];
			struct view_compliance *c;
			if (t->kind != OBLK_TASK || !t->due)
				continue;
			c = &r->compliance[r->ncompliance++];
			c->id = t->id;
			c->title = t->title;
			c->kind = OBLK_TASK;
		}
		for (size_t i = 0; i < r->ninstances; i++)
			for (size_t k = 0; k < r->ncompliance; k++) {
				struct view_compliance *c = &r->compliance[k];
				if (strcmp(c->id, r->instances[i].id ? r->instances[i].id : ""))
					continue;
				c->kept += r->instances[i].outcome == OUT_KEPT;
				c->late += r->instances[i].outcome == OUT_LATE;
				c->missed += r->instances[i].outcome == OUT_MISSED;
				c->withdrawn += r->instances[i].outcome == OUT_WITHDRAWN;
			}
		for (size_t i = 0; i < r->inc->ndeadlines; i++)
			for (size_t k = 0; k < r->ncompliance; k++)
				if (!strcmp(r->compliance[k].id, r->inc->deadlines[i].id)) {
					if (r->inc->deadlines[i].overdue)
						r->compliance[k].missed++;
					else
						r->compliance[k].open++;
				}
		/* activity counts into words */
		for (size_t i = 0; i < r->nactivity; i++)
			r->activity[i].text = arena_printf(&r->mem, P_("%d action", "%d actions", g.acts[i]),
							   g.acts[i]);
		/* who took part (a drill's record, 003 §7) */
		{
			struct strbuf pt = STRBUF_INIT;
			sb_init(&pt);
			/* those who acted, then those named in a role who did not */
			for (size_t i = 0; i < r->nactivity; i++)
				sb_addf(&pt, "%s%s", i ? ", " : "", app_person_name(a, r->activity[i].id));
			for (size_t i = 0; i < r->inc->nresponders; i++) {
				const struct view_responder *rp = &r->inc->responders[i];
				int acted = 0;
				for (size_t k = 0; k < r->nactivity && !acted; k++)
					acted = !strcmp(r->activity[k].id, rp->person);
				if (!acted && !strstr(pt.buf, rp->person_name ? rp->person_name : rp->person))
					sb_addf(&pt, "%s%s", pt.len ? ", " : "",
						rp->person_name ? rp->person_name : rp->person);
			}
			r->participants = arena_strdup(&r->mem, pt.buf);
			sb_release(&pt);
		}
		/* the review's action items */
		r->followups = arena_alloc(&r->mem, (r->inc->ntasks ? r->inc->ntasks : 1) *
					   sizeof(*r->followups));
		for (size_t i = 0; i < r->inc->ntasks; i++)
			if (r->inc->tasks[i].kind == OBLK_FOLLOWUP)
				r->followups[r->nfollowups++] = r->inc->tasks[i];
	}
	free(g.firing);
	free(g.channel);
	free(g.acts);
	free(g.failed);
	free(g.pend);
	journal_incident_release(&row);
	if (code)
		view_review_release(out);
	return code;
}
