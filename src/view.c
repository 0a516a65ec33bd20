/* app: engine state -> views (sitrep/view.h). Everything a screen or a
 * command shows of an incident is decided here once, from the engine's
 * answers (what is open, overdue, met, fresh, allowed) and the journal's
 * paged reads (the latest actions, the sparklines): never from a whole
 * replay. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app_int.h"
#include "sitrep/i18n.h"

#define LATEST_N 12

void view_incident_release(struct view_incident *v)
{
	arena_release(&v->mem);
	memset(v, 0, sizeof(*v));
}

void view_list_release(struct view_list *l)
{
	arena_release(&l->mem);
	memset(l, 0, sizeof(*l));
}

void view_page_release(struct view_page *pg)
{
	arena_release(&pg->mem);
	memset(pg, 0, sizeof(*pg));
}

void view_tasks_release(struct view_tasks *t)
{
	arena_release(&t->mem);
	memset(t, 0, sizeof(*t));
}

static void level_of(struct arena *m, const struct plan *p, int l, struct view_level *out)
{
	memset(out, 0, sizeof(*out));
	out->index = l;
	if (l < 0 || (size_t)l >= p->nlevels)
		return;
	out->id = p->levels[l].id;
	out->name = p->levels[l].name ? p->levels[l].name : p->levels[l].id;
	out->colour = p->levels[l].colour;
	(void)m;
}

static const char *role_name(const struct plan *p, int r)
{
	if (r < 0 || (size_t)r >= p->nroles)
		return NULL;
	return p->roles[r].name ? p->roles[r].name : p->roles[r].id;
}

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

/* The title of an open deadline. */
static const char *deadline_title(struct arena *m, const struct plan *p,
				  const struct engine_state *st, const struct engine_obligation *o)
{
	if (o->plan_index == ENGINE_CAP) {
		int w = o->warning;
		const char *name = w >= 0 && (size_t)w < p->nwarnings
			? (p->warnings[w].name ? p->warnings[w].name : p->warnings[w].id) : "?";
		return arena_printf(m, _("escalate or lift the %s"), name);
	}
	if (o->plan_index == ENGINE_TASK)
		return o->task >= 0 && (size_t)o->task < st->ntasks ? arena_strdup(m, st->tasks[o->task].title)
								 : "?";
	if (o->plan_index >= 0 && (size_t)o->plan_index < p->nobligations) {
		const struct plan_obligation *ob = &p->obligations[o->plan_index];
		return ob->title ? ob->title : ob->id;
	}
	return "?";
}

static int cmp_due(const void *x, const void *y)
{
	const struct view_deadline *a = x, *b = y;
	int64_t da = a->due ? a->due : INT64_MAX, db = b->due ? b->due : INT64_MAX;
	if (da != db)
		return da < db ? -1 : 1;
	return strcmp(a->id, b->id);
}

static void may_fill(struct arena *m, struct view_may *vm, const struct engine_result *r)
{
	vm->rule = vm->allowed ? "" : arena_strdup(m, r->err.rule ? r->err.rule : "");
	vm->why = vm->allowed ? "" : arena_strdup(m, r->shown ? r->shown : r->err.msg ? r->err.msg : "");
}

/* May this user take `kind` on `target` now (engine_may_on)? The text is a
 * stand-in: what is asked is whether the action would be taken, before the
 * user types it. r may be NULL. */

/* A deadline met by sending a notice: the dashboard lists those apart. */
static int is_notice(const struct plan *p, const struct engine_obligation *o)
{
	return o->plan_index >= 0 && (size_t)o->plan_index < p->nobligations &&
	       p->obligations[o->plan_index].notice >= 0 &&
	       (size_t)p->obligations[o->plan_index].notice < p->nnotices;
}

static enum engine_status may_target(struct app *a, const struct plan *p,
				     const struct engine_state *st, enum sitrep_action kind,
				     const char *target, struct engine_result *r)
{
	struct engine_action act;
	struct engine_result own;
	enum engine_status s;

	memset(&act, 0, sizeof(act));
	act.kind = kind;
	act.actor = a->user;
	act.target = target;
	act.text = "-";
	act.notify = NOTIFY_ATTEMPT;
	act.recorded_at = st->now;
	if (!r) {
		engine_result_init(&own);
		s = engine_may_on(st, p, &act, &own);
		engine_result_release(&own);
		return s;
	}
	return engine_may_on(st, p, &act, r);
}

void view_deadline_of(struct app *a, struct arena *m, const struct plan *p,
		      const struct engine_state *st, const struct engine_obligation *o,
		      struct view_deadline *d)
{
	int role = engine_obligation_role(p, o);
	const char *person = nz(engine_obligation_person(st, o));

	memset(d, 0, sizeof(*d));
	d->id = arena_strdup(m, engine_obligation_id(st, p, o));
	d->title = deadline_title(m, p, st, o);
	d->kind = engine_obligation_kind(st, o);
	d->owner = plan_role_id(p, role);
	d->owner_name = role_name(p, role);
	if (!person && role >= 0)
		person = nz(engine_responder(st, role)); /* the person holding the role */
	d->person = arena_strdup(m, person);
	d->person_name = arena_strdup(m, app_person_name(a, person));
	d->started = o->started;
	d->due = o->due;
	d->overdue = engine_obligation_overdue(st, o);
	d->seq = o->seq;
	d->notice = is_notice(p, o);
}

static void criteria_of(struct arena *m, const struct plan *p, const struct engine_state *st,
			const int *idx, size_t n, struct view_criterion **out, size_t *nout)
{
	*out = arena_alloc(m, (n ? n : 1) * sizeof(**out));
	*nout = 0;
	for (size_t i = 0; i < n; i++) {
		const struct plan_criterion *c;
		struct view_criterion *vc;
		if (idx[i] < 0 || (size_t)idx[i] >= p->ncriteria)
			continue;
		c = &p->criteria[idx[i]];
		vc = &(*out)[(*nout)++];
		vc->id = c->id;
		vc->title = c->title ? c->title : c->id;
		vc->kind = c->kind == CRIT_METRIC ? "metric" : c->kind == CRIT_ATTEST ? "attest" : "resources";
		vc->met = engine_criterion_met(st, p, idx[i]);
		vc->held = engine_criterion_held(st, p, idx[i]);
		vc->need = c->kind == CRIT_METRIC ? c->for_secs : 0;
		vc->role = c->kind == CRIT_ATTEST ? plan_role_id(p, c->role) : NULL;
		if (c->kind == CRIT_ATTEST && st->criteria[idx[i]].attested) {
			vc->attested_by = arena_strdup(m, st->criteria[idx[i]].attested_by);
			vc->attested_at = st->criteria[idx[i]].attested_at;
		}
	}
}

/* The latest readings of every metric, oldest first: VIEW_SPARK of each
 * from its own index (journal_metric_latest), however far back they are and
 * however many other readings came in between. Readings as journaled by
 * `metric` entries (a correction shows in the value, not the sparkline). */
static void sparks(struct app *a, int64_t id, const struct plan *p, struct view_incident *v)
{
	struct journal_metric_reading r[VIEW_SPARK];
	for (size_t m = 0; m < v->nmetrics && m < p->nmetrics; m++) {
		struct view_metric *vm = &v->metrics[m];
		size_t n = 0;
		if (journal_metric_latest(a->j, id, p->metrics[m].id, "metric", v->at, r, VIEW_SPARK,
					  &n, NULL) != JOURNAL_OK)
			n = 0;
		/* newest first as read: turn them round */
		for (size_t i = 0; i < n; i++)
			vm->spark[i] = r[n - 1 - i].value;
		vm->nspark = n;
	}
}

static void metrics_of(struct app *a, int64_t id, const struct plan *p, const struct engine_state *st,
		       struct view_incident *v)
{
	struct arena *m = &v->mem;
	v->nmetrics = p->nmetrics;
	v->metrics = arena_alloc(m, (p->nmetrics ? p->nmetrics : 1) * sizeof(*v->metrics));
	for (size_t i = 0; i < p->nmetrics; i++) {
		const struct plan_metric *pm = &p->metrics[i];
		const struct engine_metric_state *ms = &st->metrics[i];
		struct view_metric *vm = &v->metrics[i];
		size_t nt = 0;
		vm->id = pm->id;
		vm->name = pm->name ? pm->name : pm->id;
		vm->unit = pm->unit;
		vm->has_value = ms->has_value;
		vm->value = ms->value;
		vm->at = ms->has_value ? ms->at : 0;
		vm->age = ms->has_value ? st->now - ms->at : 0;
		vm->stale = ms->has_value && !engine_metric_fresh(st, p, (int)i);
		vm->stale_after = pm->stale_after > 0 ? pm->stale_after : PLAN_STALE_AFTER;
		for (size_t k = 0; k < p->ntriggers; k++)
			nt += p->triggers[k].cond.metric == (int)i;
		vm->triggers = arena_alloc(m, (nt ? nt : 1) * sizeof(*vm->triggers));
		for (size_t k = 0; k < p->ntriggers; k++) {
			const struct plan_trigger *t = &p->triggers[k];
			struct view_trigger *vt;
			if (t->cond.metric != (int)i)
				continue;
			vt = &vm->triggers[vm->ntriggers++];
			vt->id = t->id;
			vt->title = t->title ? t->title : t->id;
			vt->op = plan_cmp_name(t->cond.op);
			vt->value = t->cond.value;
			vt->window = t->for_secs;
			vt->firing = st->triggers[k].firing;
			vt->held = engine_trigger_held(st, p, (int)k);
			vt->raises = plan_warning_id(p, t->raise_warning);
			vt->proposes = plan_level_id(p, t->propose_level);
		}
	}
	sparks(a, id, p, v);
}

static void latest_of(struct app *a, int64_t id, const struct plan *p, struct view_incident *v)
{
	struct journal_query q;
	struct journal_cursor *cur;
	const struct journal_entry *e;
	struct strbuf sb = STRBUF_INIT;

	v->latest = arena_alloc(&v->mem, LATEST_N * sizeof(*v->latest));
	memset(&q, 0, sizeof(q));
	q.incident = id;
	q.after = JOURNAL_POS_LAST;
	q.upto = v->at;
	q.descending = 1;
	q.fields = JF_PAYLOAD;
	q.actions_only = 1;
	if (journal_cursor_open(a->j, &q, &cur, NULL) != JOURNAL_OK)
		return;
	sb_init(&sb);
	while (v->nlatest < LATEST_N && journal_cursor_next(cur, &e, NULL) == JOURNAL_OK && e) {
		struct view_row *r = &v->latest[v->nlatest++];
		json_error_t jerr;
		json_t *js = json_loadb(e->payload, e->payload_len, 0, &jerr);
		int k = action_lookup(e->kind);
		sb_reset(&sb);
		entry_summary(p, e->kind, js, e->corrects, &sb);
		r->entry = e->id;
		r->occurred_at = e->occurred_at;
		r->recorded_at = e->recorded_at;
		r->actor = arena_strdup(&v->mem, e->actor);
		r->role = arena_strdup(&v->mem, e->role);
		r->kind = arena_strdup(&v->mem, e->kind);
		r->summary = arena_strdup(&v->mem, sb.buf);
		r->refused = !strcmp(e->kind, "refused");
		r->rule = "";
		if (js) {
			if (k >= 0)
				r->text = arena_strdup(&v->mem, json_string_value(json_object_get(
					js, action_info[k].text_key)));
			if (r->refused)
				r->rule = arena_strdup(&v->mem, json_string_value(json_object_get(js, "rule")));
			json_decref(js);
		}
		if (!r->rule)
			r->rule = "";
	}
	sb_release(&sb);
	journal_cursor_close(cur);
}

/* The names a notice goes to, resolved to people where the site knows them. */
void app_notice_recipients(struct app *a, const struct plan *p, const struct engine_state *st,
			   const struct plan_notice *no,
			   void (*fn)(const char *name, const struct site_contact *c, void *ctx),
			   void *ctx)
{
	for (size_t i = 0; i < no->nto; i++) {
		int r = plan_role_index(p, no->to[i]);
		const char *held = r >= 0 ? engine_responder(st, r) : "";
		if (held && *held)
			fn(app_person_name(a, held), site_contact_find(&a->contacts, held), ctx);
		for (size_t c = 0; c < a->contacts.n; c++) {
			const struct site_contact *ct = &a->contacts.v[c];
			int in = 0;
			for (size_t g = 0; g < ct->ngroups && !in; g++)
				in = !strcmp(ct->groups[g], no->to[i]);
			for (size_t g = 0; g < ct->nroles && !in && r >= 0; g++)
				in = !strcmp(ct->roles[g], no->to[i]) && !(held && *held);
			if (in)
				fn(ct->name, ct, ctx);
		}
	}
}

static void add_name(const char *name, const struct site_contact *c, void *ctx)
{
	struct strbuf *sb = ctx;
	(void)c;
	sb_addf(sb, "%s%s", sb->len ? ", " : "", name);
}

/* A recipient as people read it: a role's or a group's name in the plan,
 * else (a contact group of the site) as the plan names it. */
static const char *recipient_name(const struct plan *p, const char *id)
{
	int r = plan_role_index(p, id);
	if (r >= 0 && p->roles[r].name)
		return p->roles[r].name;
	for (size_t g = 0; g < p->ngroups; g++)
		if (!strcmp(p->groups[g].id, id) && p->groups[g].name)
			return p->groups[g].name;
	for (size_t g = 0; g < p->naudiences; g++)
		if (!strcmp(p->audience_ids[g], id))
			return p->audience_names[g];
	for (size_t c = 0; c < p->nchannels; c++)
		if (!strcmp(p->channels[c].id, id) && p->channels[c].audience)
			return p->channels[c].audience;
	return id;
}

static const char *notice_people(struct app *a, struct arena *m, const struct plan *p,
				 const struct engine_state *st, const struct plan_notice *no)
{
	struct strbuf sb = STRBUF_INIT;
	const char *out;
	sb_init(&sb);
	app_notice_recipients(a, p, st, no, add_name, &sb);
	out = sb.len ? arena_strdup(m, sb.buf) : NULL;
	sb_release(&sb);
	return out;
}

static void notices_of(struct app *a, int64_t id, const struct plan *p,
		       const struct engine_state *st, struct view_incident *v)
{
	struct strbuf subject = STRBUF_INIT, text = STRBUF_INIT, to = STRBUF_INIT;
	v->nnotices = p->nnotices;
	v->notices = arena_alloc(&v->mem, (p->nnotices ? p->nnotices : 1) * sizeof(*v->notices));
	sb_init(&subject);
	sb_init(&text);
	sb_init(&to);
	for (size_t i = 0; i < p->nnotices; i++) {
		const struct plan_notice *no = &p->notices[i];
		const struct engine_notice_state *ns = &st->notices[i];
		struct view_notice *vn = &v->notices[i];
		int open = -1;
		for (size_t k = 0; k < st->nobls; k++)
			if (st->obls[k].plan_index == no->obligation)
				open = (int)k;
		vn->id = no->id;
		vn->title = no->title ? no->title : no->id;
		vn->state = ns->state;
		if (open >= 0) {
			vn->due = st->obls[open].due;
			vn->overdue = engine_obligation_overdue(st, &st->obls[open]);
			if (vn->state == NOTICE_SENT)
				vn->state = NOTICE_DUE; /* a cadence's next one */
		} else if (vn->state == NOTICE_DUE) {
			/* its deadline ended without it (the warning lifted, the
			 * incident terminated): no longer due; the review counts it
			 * missed */
			vn->state = NOTICE_PENDING;
			vn->lapsed = 1;
		}
		sb_reset(&to);
		for (size_t k = 0; k < no->nto; k++)
			sb_addf(&to, "%s%s", k ? ", " : "", no->to[k]);
		vn->to = arena_strdup(&v->mem, to.buf);
		sb_reset(&to);
		for (size_t k = 0; k < no->nto; k++)
			/* TRANSLATORS: between names in a list ("Dave Wu, Erin Xu") */
			sb_addf(&to, "%s%s", k ? i18n_pgettext("names", NC_("names", ", ")) : "",
				recipient_name(p, no->to[k]));
		vn->to_names = arena_strdup(&v->mem, to.buf);
		vn->to_people = notice_people(a, &v->mem, p, st, no);
		vn->channel = no->channel;
		vn->review = plan_role_id(p, no->review);
		vn->approved = ns->approved;
		vn->approved_by = nz(ns->approved_by) ? arena_strdup(&v->mem, ns->approved_by) : NULL;
		vn->sent_at = ns->sent_at;
		vn->sent = ns->sent;
		vn->failed = ns->failed;
		{
			struct view_may *send = arena_alloc(&v->mem, sizeof(*send));
			struct engine_result r;
			engine_result_init(&r);
			send->allowed = may_target(a, p, st, ACT_NOTIFY, no->id, &r) == ENGINE_OK;
			may_fill(&v->mem, send, &r);
			engine_result_release(&r);
			vn->send = send;
		}
		sb_reset(&subject);
		sb_reset(&text);
		if ((vn->state != NOTICE_DUE && ns->last_entry > 0) ||
		    (vn->state == NOTICE_DUE && ns->approved && ns->approved_entry > 0)) {
			/* what was sent (or attempted), or the wording approved to go
			 * out: from its journal entry */
			struct journal_entry e;
			memset(&e, 0, sizeof(e));
			if (journal_entry_get(a->j, vn->state == NOTICE_DUE ? ns->approved_entry
									 : ns->last_entry,
					      &e, NULL) == JOURNAL_OK) {
				json_error_t jerr;
				json_t *js = json_loadb(e.payload, e.payload_len, 0, &jerr);
				const char *t = js ? json_string_value(json_object_get(js, "text")) : NULL;
				const char *s;
				json_int_t att = js ? json_integer_value(json_object_get(js, "attempt")) : 0;
				if (!t && att > 0) {
					/* an outcome: the text is its attempt's */
					struct journal_entry ae;
					memset(&ae, 0, sizeof(ae));
					if (journal_entry_get(a->j, att, &ae, NULL) == JOURNAL_OK &&
					    ae.incident == id) {
						json_decref(js);
						js = json_loadb(ae.payload, ae.payload_len, 0, &jerr);
						t = js ? json_string_value(json_object_get(js, "text")) : NULL;
					}
					journal_entry_free_owned(&ae);
				}
				s = js ? json_string_value(json_object_get(js, "subject")) : NULL;
				if (vn->state != NOTICE_DUE && js) {
					const char *step = json_string_value(json_object_get(js, "step"));
					const char *via = json_string_value(json_object_get(js, "channel"));
					vn->by_hand = step && !strcmp(step, "by-hand");
					vn->sent_via = via && !vn->by_hand ? arena_strdup(&v->mem, via) : NULL;
				}
				if (t)
					sb_adds(&text, t);
				if (s)
					sb_adds(&subject, s);
				if (js)
					json_decref(js);
			}
			journal_entry_free_owned(&e);
		}
		if (!text.len)
			notify_draft(a, id, p, st, (int)i, &subject, &text);
		vn->subject = arena_strdup(&v->mem, subject.buf);
		vn->text = arena_strdup(&v->mem, text.buf);
	}
	sb_release(&subject);
	sb_release(&text);
	sb_release(&to);
}

static void may_of(struct app *a, const struct plan *p, const struct engine_state *st,
		   struct view_incident *v)
{
	struct engine_result r;
	engine_result_init(&r);
	for (int k = 0; k < ACT__COUNT; k++) {
		struct view_may *m = &v->may[k];
		engine_result_reset(&r);
		m->allowed = engine_may(st, p, a->user, NULL, (enum sitrep_action)k, &r) == ENGINE_OK;
		may_fill(&v->mem, m, &r);
	}
	engine_result_release(&r);
}

static void choices_of(const struct plan *p, const struct engine_state *st, struct view_incident *v)
{
	struct arena *m = &v->mem;
	v->nlevels = p->nlevels;
	v->levels = arena_alloc(m, (p->nlevels ? p->nlevels : 1) * sizeof(*v->levels));
	for (size_t i = 0; i < p->nlevels; i++)
		level_of(m, p, (int)i, &v->levels[i]);
	v->nwarnings = p->nwarnings;
	v->warnings = arena_alloc(m, (p->nwarnings ? p->nwarnings : 1) * sizeof(*v->warnings));
	for (size_t i = 0; i < p->nwarnings; i++) {
		v->warnings[i].id = p->warnings[i].id;
		v->warnings[i].text = p->warnings[i].name ? p->warnings[i].name : p->warnings[i].id;
	}
	v->attestable = arena_alloc(m, (p->ncriteria ? p->ncriteria : 1) * sizeof(*v->attestable));
	for (size_t i = 0; i < p->ncriteria; i++) {
		int idx = (int)i;
		if (p->criteria[i].kind != CRIT_ATTEST)
			continue;
		struct view_criterion *c;
		size_t one = 0;
		criteria_of(m, p, st, &idx, 1, &c, &one);
		if (one)
			v->attestable[v->nattestable++] = c[0];
	}
	v->nroles = p->nroles;
	v->roles = arena_alloc(m, (p->nroles ? p->nroles : 1) * sizeof(*v->roles));
	for (size_t i = 0; i < p->nroles; i++) {
		v->roles[i].id = p->roles[i].id;
		v->roles[i].text = role_name(p, (int)i);
	}
	v->ndims = p->matrix.ndims;
	v->dims = arena_alloc(m, (v->ndims ? v->ndims : 1) * sizeof(*v->dims));
	for (size_t i = 0; i < v->ndims; i++) {
		v->dims[i].id = p->matrix.dims[i].id;
		v->dims[i].name = p->matrix.dims[i].name ? p->matrix.dims[i].name : p->matrix.dims[i].id;
		v->dims[i].values = (const char *const *)p->matrix.dims[i].values;
		v->dims[i].nvalues = p->matrix.dims[i].nvalues;
		v->dims[i].labels = (const char *const *)p->matrix.dims[i].labels;
	}
}

/* Long by design: fills the view part after part, each from its own helper;
 * what is left is the order. */
int view_build_incident(struct app *a, int64_t id, const struct journal_incident *row,
			const struct plan *p, const struct engine_state *st,
			const struct journal_head *head, int64_t at, struct view_incident *v,
			struct sitrep_error *err)
{
	struct arena *m = &v->mem;
	(void)err;

	v->id = id;
	v->title = arena_strdup(m, row->title);
	v->plan = arena_strdup(m, row->plan_id);
	v->plan_title = p->title ? p->title : p->id;
	v->plan_hash = arena_strdup(m, row->plan_hash);
	v->lang = p->lang;
	v->drill = st->drill || row->drill;
	v->phase = st->phase;
	level_of(m, p, st->phase == PHASE_RESPONSE ? st->level : -1, &v->level);
	level_of(m, p, st->peak_level, &v->peak);
	v->warning = plan_warning_id(p, st->warning);
	if (st->warning >= 0) {
		v->warning_name = p->warnings[st->warning].name ? p->warnings[st->warning].name : v->warning;
		v->warning_colour = v->warning; /* blue, yellow: the colour is the id */
	}
	v->opened_at = st->opened_at;
	v->warning_since = st->warning >= 0 ? st->warning_since : 0;
	v->level_since = st->level_since;
	v->response_since = st->response_since;
	v->terminated_at = st->terminated_at;
	v->at = at;
	v->commander = arena_strdup(m, nz(st->commander));
	v->user = a->user;
	v->last_entry = head->last_id;
	memcpy(v->head, head->hash, sizeof(v->head));

	v->proposals = arena_alloc(m, (st->nproposals ? st->nproposals : 1) * sizeof(*v->proposals));
	for (size_t i = 0; i < st->nproposals; i++) {
		const struct engine_proposal *pr = &st->proposals[i];
		struct view_proposal *vp = &v->proposals[v->nproposals++];
		struct view_level l;
		level_of(m, p, pr->level, &l);
		vp->level = l.id;
		vp->level_name = l.name;
		vp->colour = l.colour;
		vp->rule = arena_strdup(m, pr->rule);
		if (pr->source == PROP_TRIGGER && pr->trigger >= 0 && (size_t)pr->trigger < p->ntriggers)
			vp->rule_text = p->triggers[pr->trigger].title;
		else if (!strncmp(pr->rule, "matrix#", 7)) {
			long n = strtol(pr->rule + 7, NULL, 10);
			if (n >= 1 && (size_t)n <= p->matrix.nrules)
				vp->rule_text = p->matrix.rules[n - 1].why;
		}
		vp->at = pr->at;
		vp->downgrade = st->phase == PHASE_RESPONSE && pr->level < st->level;
	}

	v->deadlines = arena_alloc(m, (st->nobls ? st->nobls : 1) * sizeof(*v->deadlines));
	for (size_t i = 0; i < st->nobls; i++) {
		struct view_deadline *d = &v->deadlines[v->ndeadlines++];
		view_deadline_of(a, m, p, st, &st->obls[i], d);
		d->can_done = !d->notice && may_target(a, p, st, ACT_DONE, d->id, NULL) == ENGINE_OK;
		v->nlate += d->overdue;
	}
	qsort(v->deadlines, v->ndeadlines, sizeof(*v->deadlines), cmp_due);

	criteria_of(m, p, st, p->lift, p->nlift, &v->lift, &v->nlift);
	criteria_of(m, p, st, p->termination, p->ntermination, &v->termination, &v->ntermination);
	metrics_of(a, id, p, st, v);

	v->responders = arena_alloc(m, (st->nresponders ? st->nresponders : 1) * sizeof(*v->responders));
	for (size_t i = 0; i < st->nresponders; i++) {
		const struct engine_responder *re = &st->responders[i];
		const struct site_contact *ct = site_contact_find(&a->contacts, re->person);
		struct view_responder *vr = &v->responders[v->nresponders++];
		vr->role = plan_role_id(p, re->role);
		vr->role_name = role_name(p, re->role);
		vr->person = arena_strdup(m, re->person);
		vr->person_name = ct ? ct->name : vr->person;
		vr->phone = ct ? ct->phone : NULL;
		vr->since = re->since;
	}
	v->resources = arena_alloc(m, (p->nresources ? p->nresources : 1) * sizeof(*v->resources));
	for (size_t i = 0; i < p->nresources; i++) {
		const struct engine_resource_state *rs = &st->resources[i];
		struct view_resource *vr = &v->resources[v->nresources++];
		vr->id = p->resources[i].id;
		vr->item = p->resources[i].item ? p->resources[i].item : vr->id;
		vr->deployed = rs->deployed;
		vr->count = p->resources[i].count;
		vr->since = rs->since;
		vr->by = nz(rs->by) ? arena_strdup(m, rs->by) : NULL;
		vr->used_secs = rs->used_secs + (rs->deployed && st->now > rs->last_change
						 ? rs->deployed * (st->now - rs->last_change) : 0);
	}
	v->tasks = arena_alloc(m, (st->ntasks ? st->ntasks : 1) * sizeof(*v->tasks));
	for (size_t i = 0; i < st->ntasks; i++) {
		const struct engine_task *tk = &st->tasks[i];
		struct view_deadline *d = &v->tasks[v->ntasks++];
		memset(d, 0, sizeof(*d));
		d->id = arena_strdup(m, tk->id);
		d->title = arena_strdup(m, tk->title);
		d->kind = tk->followup ? OBLK_FOLLOWUP : OBLK_TASK;
		d->person = nz(tk->person) ? arena_strdup(m, tk->person) : NULL;
		d->person_name = arena_strdup(m, app_person_name(a, d->person));
		d->started = tk->created;
		d->due = tk->due;
		d->overdue = tk->outcome == OUT_OPEN && tk->due && st->now > tk->due;
		d->seq = 1;
		d->outcome = tk->outcome;
		d->closed_at = tk->closed_at;
		d->closed_by = nz(tk->closed_by) ? arena_strdup(m, tk->closed_by) : NULL;
	}
	notices_of(a, id, p, st, v);
	latest_of(a, id, p, v);
	may_of(a, p, st, v);
	choices_of(p, st, v);
	return 0;
}

/* ---- the app functions ---- */

int app_incident(struct app *a, int64_t id, int64_t at, struct view_incident *out,
		 struct sitrep_error *err)
{
	struct journal_incident row;
	struct journal_head head;
	const struct plan *p;
	struct derived d;
	struct journal_pos upto;
	int64_t now = app_now(a);
	int code;

	memset(out, 0, sizeof(*out));
	memset(&row, 0, sizeof(row));
	if (at == 0)
		at = now;
	if (at > now) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, _("--at is in the future"));
		return SITREP_EXIT_USAGE;
	}
	if ((code = app_incident_plan(a, id, &row, &p, err)) != 0) {
		journal_incident_release(&row);
		return code;
	}
	if (journal_tip(a->j, id, &head, err) != JOURNAL_OK) {
		journal_incident_release(&row);
		return err && err->code ? err->code : SITREP_EXIT_STORAGE;
	}
	upto.occ = at;
	upto.id = INT64_MAX;
	if ((code = derive_upto(a, id, p, upto, &d, err)) != 0) {
		derived_release(&d);
		journal_incident_release(&row);
		return code;
	}
	if (!d.st.opened && head.last_id) {
		char b[40];
		struct journal_query q;
		struct journal_cursor *cur;
		const struct journal_entry *e = NULL;
		int64_t first = 0;
		memset(&q, 0, sizeof(q));
		q.incident = id;
		q.after = JOURNAL_POS_FIRST;
		q.upto = INT64_MAX;
		if (journal_cursor_open(a->j, &q, &cur, NULL) == JOURNAL_OK) {
			if (journal_cursor_next(cur, &e, NULL) == JOURNAL_OK && e)
				first = e->occurred_at;
			journal_cursor_close(cur);
		}
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0,
			_("incident %" PRId64 " was opened at %s: --at is before that"), id,
			time_format_utc(first, b, sizeof(b)));
		derived_release(&d);
		journal_incident_release(&row);
		return SITREP_EXIT_USAGE;
	}
	engine_advance(&d.st, p, at, NULL);
	code = view_build_incident(a, id, &row, p, &d.st, &head, at, out, err);
	derived_release(&d);
	journal_incident_release(&row);
	return code;
}

struct list_ctx {
	struct app *a;
	int all;
	struct view_list *out;
	size_t alloc;
	int64_t now;
};

static int list_cb(const struct journal_incident *inc, void *vctx)
{
	struct list_ctx *c = vctx;
	struct view_list *l = c->out;
	struct view_summary s;
	struct journal_incident row;
	struct sitrep_error e = SITREP_ERROR_INIT;
	const struct plan *p = NULL;
	struct derived d;

	memset(&d, 0, sizeof(d));
	memset(&s, 0, sizeof(s));
	memset(&row, 0, sizeof(row));
	s.id = inc->id;
	s.title = arena_strdup(&l->mem, inc->title);
	s.plan = arena_strdup(&l->mem, inc->plan_id);
	s.drill = inc->drill;
	s.opened_at = inc->created_at;
	if (!(p = app_plan_cached(c->a, inc->plan_hash)) &&
	    app_incident_plan(c->a, inc->id, &row, &p, &e) != 0)
		p = NULL;
	if (!p ||
	    derive_upto(c->a, inc->id, p, JOURNAL_POS_LAST, &d, &e) != 0) {
		s.problem = arena_strdup(&l->mem, e.msg ? e.msg : "?");
		if (e.code > l->problem_code) {
			l->problem_code = e.code ? e.code : SITREP_EXIT_STORAGE;
			l->problem = s.problem;
		}
		derived_release(&d);
	} else {
		engine_advance(&d.st, p, c->now, NULL);
		s.phase = d.st.phase;
		s.level = d.st.phase == PHASE_RESPONSE ? plan_level_id(p, d.st.level) : NULL;
		s.level_colour = d.st.phase == PHASE_RESPONSE && d.st.level >= 0
			? p->levels[d.st.level].colour : NULL;
		s.warning = plan_warning_id(p, d.st.warning);
		s.opened_at = d.st.opened_at ? d.st.opened_at : inc->created_at;
		s.terminated_at = d.st.terminated_at;
		s.drill = s.drill || d.st.drill;
		/* the deadlines the dashboard counts: notices are listed apart */
		for (size_t i = 0; i < d.st.nobls; i++) {
			if (is_notice(p, &d.st.obls[i]))
				continue;
			s.nopen++;
			s.nlate += engine_obligation_overdue(&d.st, &d.st.obls[i]);
		}
		derived_release(&d);
	}
	err_release(&e);
	journal_incident_release(&row);
	if (!c->all && !s.problem && s.phase == PHASE_TERMINATED)
		return 0;
	if (l->n == c->alloc) {
		size_t na = c->alloc ? c->alloc * 2 : 32;
		struct view_summary *nv = arena_alloc(&l->mem, na * sizeof(*nv));
		if (l->n)
			memcpy(nv, l->v, l->n * sizeof(*nv));
		l->v = nv;
		c->alloc = na;
	}
	l->v[l->n++] = s;
	return 0;
}

int app_list(struct app *a, int all, struct view_list *out, struct sitrep_error *err)
{
	struct list_ctx c = { a, all, out, 0, app_now(a) };
	memset(out, 0, sizeof(*out));
	if (journal_incidents(a->j, list_cb, &c, err) != JOURNAL_OK)
		return err && err->code ? err->code : SITREP_EXIT_STORAGE;
	return 0;
}
