/* The dashboard's actions: the handler table (action -> the engine's
 * `may` it needs -> handler) and the chains of pickers and forms each
 * handler opens. The driver asks `may` before a handler runs, so a
 * refused action says why at once and opens nothing (terminate with unmet
 * criteria). Every intent goes through app_act (tui_act); the engine
 * decides, and a refusal shows its reason in the status line. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"

#define SOON_SECS (15 * 60)

/* Steps of the chains: the tag a picker or form hands back. */
enum {
	T_LOG = 1, T_METRIC, T_WARN_PICK, T_WARN_FORM, T_LIFT, T_STEP, T_ATTEST_PICK, T_ATTEST_FORM,
	T_DONE_PICK, T_DONE_FORM, T_ACCEPT_PICK, T_ACCEPT_FORM, T_HANDOVER_PICK, T_HANDOVER_FORM,
	T_TERMINATE, T_NOTICE_PICK, T_NOTICE_EDIT, T_NOTICE_HAND, T_APPROVE_PICK, T_APPROVE_FORM,
	T_ROLE_PICK, T_ROLE_PERSON, T_OWNER_PICK, T_OWNER_PERSON, T_TASK_FORM, T_ITEM_PICK,
	T_ITEM_FORM, T_DIM_PICK, T_ASSESS_FORM, T_APPROVE_EDIT
};

void dash_flow_clear(struct dash_flow *f)
{
	for (size_t i = 0; i < f->nids; i++)
		free(f->ids[i]);
	free(f->ids);
	free(f->text);
	free(f->draft);
	memset(f, 0, sizeof *f);
}

static struct dash *D(struct view *v)
{
	return v->priv;
}

static void rq_init(struct app_request *rq, const struct dash *d, enum sitrep_action kind)
{
	memset(rq, 0, sizeof *rq);
	rq->kind = kind;
	rq->incident = d->id;
}

static const char *nz(const char *s)
{
	return s && *s ? s : NULL;
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* A picker's items and the texts they show, owned here until the picker
 * has copied them. */
struct items {
	struct picker_item *v;
	char **texts; /* two a slot: the label, the right part (or NULL) */
	size_t n;
};

static void items_init(struct items *it, size_t cap)
{
	it->v = xcalloc(cap ? cap : 1, sizeof *it->v);
	it->texts = xcalloc(2 * (cap ? cap : 1), sizeof *it->texts);
	it->n = 0;
}

/* One more item; the list takes label and right (NULL none). */
static struct picker_item *items_add(struct items *it, const char *id, char *label, char *right)
{
	struct picker_item *p = &it->v[it->n];
	it->texts[2 * it->n] = label;
	it->texts[2 * it->n + 1] = right;
	p->id = id;
	p->label = label;
	p->right = right;
	it->n++;
	return p;
}

static void items_release(struct items *it)
{
	for (size_t i = 0; i < 2 * it->n; i++)
		free(it->texts[i]);
	free(it->texts);
	free(it->v);
	memset(it, 0, sizeof *it);
}

/* Long by design: one case per picker of the dashboard (its tag). */
static void dash_picked(struct tui *t, struct view *v, int tag, const char *const *ids, size_t n,
			int typed);

/* ------------------------------------------------------------ people */

/* The site's contacts, or any name typed. */
static void pick_person(struct tui *t, struct view *v, int tag, const char *title)
{
	struct view_name *people = NULL;
	size_t n = app_people(t->app, &people);
	struct items it;
	struct picker_spec ps;
	items_init(&it, n);
	for (size_t i = 0; i < n; i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		sb_adds(&sb, people[i].text ? people[i].text : people[i].id);
		if (people[i].text && strcmp(people[i].text, people[i].id))
			sb_addf(&sb, " (%s)", people[i].id);
		items_add(&it, people[i].id, sb_detach(&sb), NULL);
	}
	memset(&ps, 0, sizeof ps);
	ps.title = title;
	ps.items = it.v;
	ps.n = it.n;
	ps.free_text = _("the name typed");
	ps.empty = _("no contacts file: type the name");
	ps.tag = tag;
	ps.done = dash_picked;
	picker_open(t, v, &ps);
	items_release(&it);
}

/* ------------------------------------------------------------ forms' answers */

/* "name value" or "name=value", several pairs (checked by the form). */
static void submit_metric(struct tui *t, struct dash *d, const char *text)
{
	char *words = xstrdup(text), msg[512];
	const char *names[TUI_READINGS_MAX];
	double values[TUI_READINGS_MAX];
	int n = tui_readings_said(words, names, values, 0, msg, sizeof msg);
	struct app_request rq;
	if (n < 0) {
		tui_status(t, ST_ERR, "%s", msg);
	} else {
		rq_init(&rq, d, ACT_METRIC);
		rq.metric_names = names;
		rq.metric_values = values;
		rq.nmetrics = (size_t)n;
		tui_act(t, &rq, NULL);
	}
	free(words);
}

static void done_many(struct tui *t, struct dash *d, const char *note)
{
	struct dash_flow *f = &d->flow;
	int ok = 0, bad = 0;
	char last[1024] = "";
	for (size_t i = 0; i < f->nids; i++) {
		struct app_request rq;
		rq_init(&rq, d, ACT_DONE);
		rq.target = f->ids[i];
		rq.text = nz(note);
		if (tui_act(t, &rq, NULL) == SITREP_EXIT_OK)
			ok++;
		else {
			bad++;
			copy(last, sizeof last, t->status);
		}
	}
	if (bad)
		tui_status(t, ST_ERR, _("%d marked done, %d not: %s"), ok, bad, last);
	else if (f->nids > 1)
		tui_status(t, ST_OK, P_("%d deadline marked done", "%d deadlines marked done", ok), ok);
}

/* A task's due: a duration or a time; -1 with msg when it is neither. */
static int due_of(struct tui *t, const char *s, struct app_request *rq, char *msg, size_t size)
{
	return tui_due_said(s, t->now, &rq->due_in, &rq->due, msg, size);
}

static int parse_due(struct tui *t, const char *s, struct app_request *rq)
{
	char msg[512];
	if (due_of(t, s, rq, msg, sizeof msg) == 0)
		return 0;
	tui_status(t, ST_ERR, "%s", msg);
	return -1;
}

/* The dashboard's forms checked before they close: a reading that is not
 * a number, a due that is not a time, are said in the form, the text kept. */
static int checked(struct tui *t, struct view *v, int tag, const char *const *val, char *msg,
		   size_t size)
{
	struct app_request rq;
	(void)v;
	switch (tag) {
	case T_METRIC:
		return tui_readings_problem(val[0], 0, msg, size) != 0 ? 1 : 0;
	case T_TASK_FORM: /* the due is the third field */
		memset(&rq, 0, sizeof rq);
		return due_of(t, val[2], &rq, msg, size) != 0 ? 3 : 0;
	case T_WARN_FORM: { /* the expected duration, as the command line takes it */
		int64_t secs;
		if (val[2][0] && dur_parse(val[2], &secs) != 0) {
			snprintf(msg, size, _("'%s' is not a duration (30m, 2h, 1h30m, 3d)"), val[2]);
			return 3;
		}
		return 0;
	}
	default:
		return 0;
	}
}

/* Long by design: one case per form of the dashboard (its tag), each
 * building its request. */
static void formed(struct tui *t, struct view *v, int tag, const char *const *val, int toggle)
{
	struct dash *d = D(v);
	struct dash_flow *f = &d->flow;
	struct app_request rq;
	(void)toggle;
	switch (tag) {
	case T_LOG:
		rq_init(&rq, d, ACT_LOG);
		rq.text = val[0];
		tui_act(t, &rq, NULL);
		break;
	case T_METRIC:
		submit_metric(t, d, val[0]);
		break;
	case T_WARN_FORM:
		rq_init(&rq, d, ACT_WARN);
		rq.target = f->target;
		rq.text = val[0];
		rq.scope = nz(val[1]);
		rq.expected = nz(val[2]);
		rq.measures = nz(val[3]);
		tui_act(t, &rq, NULL);
		break;
	case T_LIFT:
		rq_init(&rq, d, ACT_LIFT);
		rq.text = nz(val[0]);
		tui_act(t, &rq, NULL);
		break;
	case T_STEP:
		rq_init(&rq, d, (enum sitrep_action)(f->withdraw ? ACT_DOWNGRADE : ACT_ESCALATE));
		rq.text = val[0];
		/* one step from the level the commander was looking at: a console
		 * that moved it meanwhile makes this a stale refusal, not a step */
		rq.has_seen = 1;
		rq.seen_level = f->has_seen ? f->seen_level : NULL;
		tui_act(t, &rq, NULL);
		break;
	case T_ATTEST_FORM:
		rq_init(&rq, d, ACT_ATTEST);
		rq.target = f->target;
		rq.text = nz(val[0]);
		tui_act(t, &rq, NULL);
		break;
	case T_DONE_FORM:
		done_many(t, d, val[0]);
		break;
	case T_ACCEPT_FORM:
		rq_init(&rq, d, ACT_ACCEPT);
		rq.target = f->target;
		rq.text = nz(val[0]);
		tui_act(t, &rq, NULL);
		break;
	case T_HANDOVER_FORM:
		rq_init(&rq, d, ACT_HANDOVER);
		rq.target = f->person;
		rq.text = val[0];
		tui_act(t, &rq, NULL);
		break;
	case T_TERMINATE:
		rq_init(&rq, d, ACT_TERMINATE);
		rq.text = val[0];
		tui_act(t, &rq, NULL);
		break;
	case T_NOTICE_HAND:
		rq_init(&rq, d, ACT_NOTIFY);
		rq.target = f->target;
		rq.by_hand = val[0];
		rq.message = f->text && f->draft && strcmp(f->text, f->draft) ? f->text : NULL;
		tui_act(t, &rq, NULL);
		break;
	case T_APPROVE_FORM:
		rq_init(&rq, d, ACT_APPROVE);
		rq.target = f->target;
		rq.text = nz(val[0]);
		rq.message = f->text; /* the wording the approver saw (and may have mended) */
		tui_act(t, &rq, NULL);
		break;
	case T_TASK_FORM:
		rq_init(&rq, d, ACT_TASK);
		rq.text = val[0];
		rq.person = nz(val[1]);
		if (parse_due(t, val[2], &rq) == 0)
			tui_act(t, &rq, NULL);
		break;
	case T_ITEM_FORM: {
		char *end = NULL;
		/* nothing typed: one (the prompt says so) */
		long long k = *val[0] ? strtoll(val[0], &end, 10) : 1;
		if ((*val[0] && *end) || k <= 0) {
			tui_status(t, ST_ERR, _("'%s' is not a count: a whole number above 0"), val[0]);
			break;
		}
		rq_init(&rq, d, ACT_RESOURCE);
		rq.target = f->target;
		rq.withdraw = f->withdraw;
		rq.count = (int64_t)k;
		tui_act(t, &rq, NULL);
		break;
	}
	case T_ASSESS_FORM:
		rq_init(&rq, d, ACT_ASSESS);
		for (size_t i = 0; i < f->ndims && i < 4; i++) {
			rq.assess_dims[i] = f->dims[i];
			rq.assess_values[i] = f->vals[i];
		}
		rq.nassess = f->ndims;
		rq.text = nz(val[0]);
		tui_act(t, &rq, NULL);
		break;
	default:
		break;
	}
}

static void ask(struct tui *t, struct view *v, int tag, const char *prompt, int optional)
{
	form_ask(t, v, tag, prompt, NULL, optional, formed);
}

/* ------------------------------------------------------------ pickers' answers */

static void pick_dimension(struct tui *t, struct view *v);
static void edit_notice(struct tui *t, struct view *v);
static void review_wording(struct tui *t, struct view *v);


/* What people call a role, a resource or a deadline the user picked: the
 * plan's name for it, or its id when the view has none. */
static const char *shown_name(const struct view_incident *vi, int tag, const char *id)
{
	if (!vi)
		return id;
	if (tag == T_ROLE_PICK)
		for (size_t i = 0; i < vi->nroles; i++)
			if (!strcmp(vi->roles[i].id, id) && vi->roles[i].text)
				return vi->roles[i].text;
	if (tag == T_ITEM_PICK)
		for (size_t i = 0; i < vi->nresources; i++)
			if (!strcmp(vi->resources[i].id, id) && vi->resources[i].item)
				return vi->resources[i].item;
	if (tag == T_OWNER_PICK)
		for (size_t i = 0; i < vi->ndeadlines; i++)
			if (!strcmp(vi->deadlines[i].id, id) && vi->deadlines[i].title)
				return vi->deadlines[i].title;
	return id;
}

static void dash_picked(struct tui *t, struct view *v, int tag, const char *const *ids, size_t n,
		 int typed)
{
	struct dash *d = D(v);
	struct dash_flow *f = &d->flow;
	const struct view_incident *vi = d->loaded ? &d->v : NULL;
	char prompt[600];
	struct app_request rq;
	(void)typed;
	if (!n)
		return;
	switch (tag) {
	case T_WARN_PICK: {
		struct form_field fields[4] = {
			{ _("reason"), NULL, 0, NULL, 0 },
			{ _("scope"), NULL, 1, NULL, 0 },
			{ _("expected duration"), NULL, 1, NULL, 0 },
			{ _("initial measures"), NULL, 1, NULL, 0 },
		};
		struct form_spec fs = { prompt, fields, 4, NULL, 0, T_WARN_FORM, formed, checked };
		const char *name = NULL;
		copy(f->target, sizeof f->target, ids[0]);
		for (size_t i = 0; vi && i < vi->nwarnings; i++)
			if (!strcmp(vi->warnings[i].id, ids[0]) && vi->warnings[i].text &&
			    *vi->warnings[i].text)
				name = vi->warnings[i].text;
		if (name) /* the plan's name, in the user's language ("黄色预警") */
			snprintf(prompt, sizeof prompt, _("raise: %s (scope, duration and measures fill "
							  "its notice)"), name);
		else
			snprintf(prompt, sizeof prompt, _("raise the %s warning (scope, duration and "
							  "measures fill its notice)"), ids[0]);
		form_open(t, v, &fs);
		break;
	}
	case T_ATTEST_PICK:
		copy(f->target, sizeof f->target, ids[0]);
		snprintf(prompt, sizeof prompt, _("attest '%s': note (optional)"), ids[0]);
		ask(t, v, T_ATTEST_FORM, prompt, 1);
		break;
	case T_DONE_PICK:
		dash_flow_clear(f);
		f->ids = xcalloc(n, sizeof *f->ids);
		for (size_t i = 0; i < n; i++)
			f->ids[i] = xstrdup(ids[i]);
		f->nids = n;
		if (n == 1)
			snprintf(prompt, sizeof prompt, _("mark '%s' done: note (optional)"), ids[0]);
		else
			snprintf(prompt, sizeof prompt,
				 P_("mark %zu deadline done: note (optional)",
				    "mark %zu deadlines done: note (optional)", n), n);
		ask(t, v, T_DONE_FORM, prompt, 1);
		break;
	case T_ACCEPT_PICK:
		copy(f->target, sizeof f->target, ids[0]);
		snprintf(prompt, sizeof prompt, _("accept the proposal: level %s; note (optional)"),
			 ids[0]);
		ask(t, v, T_ACCEPT_FORM, prompt, 1);
		break;
	case T_HANDOVER_PICK:
		copy(f->person, sizeof f->person, ids[0]);
		snprintf(prompt, sizeof prompt, _("hand command over to %s: reason"), ids[0]);
		ask(t, v, T_HANDOVER_FORM, prompt, 0);
		break;
	case T_NOTICE_PICK:
		copy(f->target, sizeof f->target, ids[0]);
		edit_notice(t, v);
		break;
	case T_APPROVE_PICK:
		copy(f->target, sizeof f->target, ids[0]);
		review_wording(t, v);
		break;
	case T_ROLE_PICK:
		copy(f->target, sizeof f->target, ids[0]);
		snprintf(prompt, sizeof prompt, _("who takes the role '%s'?"),
			 shown_name(vi, tag, ids[0]));
		pick_person(t, v, T_ROLE_PERSON, prompt);
		break;
	case T_ROLE_PERSON:
		rq_init(&rq, d, ACT_ASSIGN);
		rq.target = f->target;
		rq.person = ids[0];
		tui_act(t, &rq, NULL);
		break;
	case T_OWNER_PICK:
		copy(f->target, sizeof f->target, ids[0]);
		snprintf(prompt, sizeof prompt, _("who carries '%s'?"), shown_name(vi, tag, ids[0]));
		pick_person(t, v, T_OWNER_PERSON, prompt);
		break;
	case T_OWNER_PERSON:
		rq_init(&rq, d, ACT_OWNER);
		rq.target = f->target;
		rq.person = ids[0];
		tui_act(t, &rq, NULL);
		break;
	case T_ITEM_PICK:
		copy(f->target, sizeof f->target, ids[0]);
		snprintf(prompt, sizeof prompt,
			 f->withdraw ? _("withdraw how many of '%s'? (Enter: 1)")
				     : _("deploy how many of '%s'? (Enter: 1)"),
			 shown_name(vi, tag, ids[0]));
		/* empty, not "1": what is typed is the count, not appended to it */
		form_ask(t, v, T_ITEM_FORM, prompt, "", 0, formed);
		break;
	case T_DIM_PICK:
		if (f->ndims < 4 && vi && f->ndims < vi->ndims) {
			copy(f->dims[f->ndims], sizeof f->dims[0], vi->dims[f->ndims].id);
			copy(f->vals[f->ndims], sizeof f->vals[0], ids[0]);
			f->ndims++;
		}
		if (vi && f->ndims < vi->ndims && f->ndims < 4)
			pick_dimension(t, v);
		else
			ask(t, v, T_ASSESS_FORM, _("assess: reason (optional)"), 1);
		break;
	default:
		break;
	}
}

/* Open a picker on the list, then release the list (the picker has copied
 * what it shows). */
static void open_picker(struct tui *t, struct view *v, const char *title, struct items *it,
			int multi, int tag, const char *empty)
{
	struct picker_spec ps;
	memset(&ps, 0, sizeof ps);
	ps.title = title;
	ps.items = it->v;
	ps.n = it->n;
	ps.multi = multi;
	ps.tag = tag;
	ps.empty = empty;
	ps.done = dash_picked;
	picker_open(t, v, &ps);
	items_release(it);
}

/* ------------------------------------------------------------ handlers */

static const struct view_incident *V(struct view *v)
{
	return dash_view(v);
}

static void act_log(struct tui *t, struct view *v)
{
	ask(t, v, T_LOG, _("log a note"), 0);
}

static void act_metric(struct tui *t, struct view *v)
{
	const struct view_incident *vi = V(v);
	const char **names = xcalloc(vi->nmetrics ? vi->nmetrics : 1, sizeof *names);
	struct form_field fl;
	struct form_spec fs;
	if (!vi->nmetrics) {
		tui_status(t, ST_ERR, "%s", _("the plan defines no metrics"));
		free(names);
		return;
	}
	for (size_t i = 0; i < vi->nmetrics; i++)
		names[i] = vi->metrics[i].id;
	memset(&fl, 0, sizeof fl);
	fl.label = "";
	fl.completions = names;
	fl.ncompletions = vi->nmetrics;
	memset(&fs, 0, sizeof fs);
	fs.title = _("metric reading: name value (Tab completes the name)");
	fs.fields = &fl;
	fs.nfields = 1;
	fs.tag = T_METRIC;
	fs.done = formed;
	fs.check = checked;
	form_open(t, v, &fs);
	free(names);
}

static void act_warn(struct tui *t, struct view *v)
{
	const struct view_incident *vi = V(v);
	struct items it;
	items_init(&it, vi->nwarnings);
	for (size_t i = 0; i < vi->nwarnings; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (vi->warning && !strcmp(vi->warning, vi->warnings[i].id))
			continue; /* raised already: the rules would refuse it after the form */
		sb_init(&sb);
		tx_fit(&sb, vi->warnings[i].id, 8);
		sb_addf(&sb, " %s", vi->warnings[i].text ? vi->warnings[i].text : "");
		items_add(&it, vi->warnings[i].id, sb_detach(&sb), NULL);
	}
	open_picker(t, v, _("raise a warning: which colour?"), &it, 0, T_WARN_PICK,
		    _("the plan defines no warnings"));
}

static void act_lift(struct tui *t, struct view *v)
{
	ask(t, v, T_LIFT, _("lift the warning: reason (optional)"), 1);
}

static void step(struct tui *t, struct view *v, int down)
{
	struct dash *d = D(v);
	const struct view_incident *vi = &d->v;
	char prompt[300];
	d->flow.withdraw = down;
	d->flow.has_seen = vi->phase == PHASE_RESPONSE && vi->level.id;
	copy(d->flow.seen_level, sizeof d->flow.seen_level, d->flow.has_seen ? vi->level.id : "");
	if (d->flow.has_seen)
		snprintf(prompt, sizeof prompt,
			 down ? _("downgrade from level %s one step: reason")
			      : _("escalate from level %s one step: reason"), vi->level.id);
	else
		snprintf(prompt, sizeof prompt,
			 down ? _("downgrade from %s one step: reason")
			      : _("escalate from %s one step: reason"), tui_phase_text(vi->phase));
	ask(t, v, T_STEP, prompt, 0);
}

static void act_escalate(struct tui *t, struct view *v)
{
	step(t, v, 0);
}

static void act_downgrade(struct tui *t, struct view *v)
{
	step(t, v, 1);
}

static void act_attest(struct tui *t, struct view *v)
{
	const struct view_incident *vi = V(v);
	struct items it;
	items_init(&it, vi->nattestable);
	for (size_t i = 0; i < vi->nattestable; i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		sb_addf(&sb, "%s %s", vi->attestable[i].met ? "[x]" : "[ ]",
			vi->attestable[i].title ? vi->attestable[i].title : vi->attestable[i].id);
		items_add(&it, vi->attestable[i].id, sb_detach(&sb), NULL);
	}
	open_picker(t, v, _("attest a criterion"), &it, 0, T_ATTEST_PICK,
		    _("the plan has no criterion to attest"));
}

/* Deadlines as the view sorts them (soonest due first), with countdowns
 * and the person carrying each. notices: 0 without the notices' own. */
static void deadline_items(const struct view_incident *vi, int notices, struct items *it)
{
	items_init(it, vi->ndeadlines);
	for (size_t i = 0; i < vi->ndeadlines; i++) {
		const struct view_deadline *dl = &vi->deadlines[i];
		struct strbuf sb = STRBUF_INIT;
		if (dl->notice && !notices)
			continue;
		sb_init(&sb);
		/* the id first: a long title is clipped, the id stays in sight */
		sb_addf(&sb, "[%s] ", dl->id);
		sb_adds(&sb, dl->title ? dl->title : dl->id);
		if (dl->seq > 1)
			sb_addf(&sb, " #%d", dl->seq);
		if (dl->person)
			sb_addf(&sb, " \xc2\xb7 %s", dl->person_name ? dl->person_name : dl->person);
		/* counts down while the picker is open */
		items_add(it, dl->id, sb_detach(&sb), NULL)->due = dl->due;
	}
}

static void act_done(struct tui *t, struct view *v)
{
	struct items it;
	deadline_items(V(v), 0, &it);
	open_picker(t, v, _("mark deadlines done (Space marks several)"), &it, 1, T_DONE_PICK,
		    _("no deadline is open"));
}

static void act_owner(struct tui *t, struct view *v)
{
	struct items it;
	deadline_items(V(v), 1, &it);
	open_picker(t, v, _("name who carries a deadline: which one?"), &it, 0, T_OWNER_PICK,
		    _("no deadline is open"));
}

static void act_accept(struct tui *t, struct view *v)
{
	const struct view_incident *vi = V(v);
	struct items it;
	if (!vi->nproposals) {
		tui_status(t, ST_ERR, "%s", _("nothing to accept: the engine proposes no level"));
		return;
	}
	items_init(&it, vi->nproposals);
	for (size_t i = 0; i < vi->nproposals; i++) {
		const struct view_proposal *p = &vi->proposals[i];
		struct strbuf sb = STRBUF_INIT;
		char when[48];
		struct tui_badge b;
		sb_init(&sb);
		tui_badge_level(p->level, p->colour, &b);
		sb_addf(&sb, "%s  ", b.text);
		sb_addf(&sb, _("by rule %s"), p->rule);
		if (p->rule_text && *p->rule_text)
			sb_addf(&sb, ": %s", p->rule_text);
		items_add(&it, p->level, sb_detach(&sb),
			  xstrdup(tui_when(p->at, t->now, when, sizeof when)));
	}
	open_picker(t, v, _("accept a proposal (most severe first)"), &it, 0, T_ACCEPT_PICK, NULL);
}

static void act_handover(struct tui *t, struct view *v)
{
	pick_person(t, v, T_HANDOVER_PICK, _("hand command over to whom?"));
}

static void act_terminate(struct tui *t, struct view *v)
{
	ask(t, v, T_TERMINATE, _("terminate: reason"), 0);
}

static void act_timeline(struct tui *t, struct view *v)
{
	timeline_open(t, D(v)->id);
}

static void act_review(struct tui *t, struct view *v)
{
	review_open(t, D(v)->id);
}

static int notice_open(const struct view_notice *no)
{
	return no->state == NOTICE_DUE || no->state == NOTICE_FAILED || no->state == NOTICE_UNKNOWN;
}

/* Soonest due first, as the dashboard lists them (none last; ties in the
 * plan's order). */
static int cmp_notice_due(const void *x, const void *y)
{
	const struct view_notice *a = *(const struct view_notice *const *)x;
	const struct view_notice *b = *(const struct view_notice *const *)y;
	int64_t da = a->due ? a->due : INT64_MAX, db = b->due ? b->due : INT64_MAX;
	if (da != db)
		return da < db ? -1 : 1;
	return a < b ? -1 : a > b;
}

static void notice_items(const struct view_incident *vi, int approval, struct items *it)
{
	const struct view_notice **order = xcalloc(vi->nnotices ? vi->nnotices : 1, sizeof *order);
	size_t n = 0;
	for (size_t i = 0; i < vi->nnotices; i++)
		if (notice_open(&vi->notices[i]) &&
		    !(approval && (!vi->notices[i].review || vi->notices[i].approved)))
			order[n++] = &vi->notices[i];
	qsort(order, n, sizeof *order, cmp_notice_due);
	items_init(it, n);
	for (size_t i = 0; i < n; i++) {
		const struct view_notice *no = order[i];
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		sb_addf(&sb, "[%s] %s", no->id, no->title);
		if (no->review && !no->approved)
			sb_addf(&sb, _(" (needs %s's approval)"), no->review);
		if (no->state == NOTICE_FAILED)
			sb_addf(&sb, " (%s)", _("not delivered"));
		items_add(it, no->id, sb_detach(&sb), NULL)->due = no->due;
	}
	free(order);
}

static void act_notify(struct tui *t, struct view *v)
{
	struct items it;
	notice_items(V(v), 0, &it);
	open_picker(t, v, _("send a notice: which one?"), &it, 0, T_NOTICE_PICK,
		    _("no notice is due"));
}

static void notice_done(struct tui *t, struct view *v, int tag, int how, const char *text)
{
	struct dash *d = D(v);
	struct dash_flow *f = &d->flow;
	struct app_request rq;
	char prompt[300];
	(void)tag;
	free(f->text);
	f->text = xstrdup(text);
	if (how == EDIT_BY_HAND) {
		snprintf(prompt, sizeof prompt,
			 _("notice '%s' given by hand: how (phoned, read out at the meeting ...)"),
			 f->target);
		ask(t, v, T_NOTICE_HAND, prompt, 0);
		return;
	}
	rq_init(&rq, d, ACT_NOTIFY);
	rq.target = f->target;
	rq.message = f->draft && strcmp(f->text, f->draft) ? f->text : NULL;
	tui_act(t, &rq, NULL);
}

/* The notice the flow is about, or NULL (said) when it is gone. */
static const struct view_notice *flow_notice(struct tui *t, struct dash *d)
{
	for (size_t i = 0; d->loaded && i < d->v.nnotices; i++)
		if (!strcmp(d->v.notices[i].id, d->flow.target))
			return &d->v.notices[i];
	tui_status(t, ST_ERR, _("no notice '%s'"), d->flow.target);
	return NULL;
}

/* "to: Dave Wu, Erin Xu (duty_manager, leaders)": the people, then whom
 * the plan names when that says more. */
static void to_line(const struct view_notice *no, char *to, size_t size)
{
	snprintf(to, size, _("to: %s"), no->to_people && *no->to_people ? no->to_people
					 : no->to_names ? no->to_names : no->to);
	if (no->to_people && *no->to_people && no->to && strcmp(no->to, no->to_people))
		snprintf(to + strlen(to), size - strlen(to), " (%s)", no->to);
}

static void edit_notice(struct tui *t, struct view *v)
{
	struct dash *d = D(v);
	struct dash_flow *f = &d->flow;
	const struct view_notice *no = NULL;
	char to[600], ch[300], ap[300], title[400], refuse[400];
	const char *info[3];
	struct editor_spec es;
	if (!(no = flow_notice(t, d)))
		return;
	free(f->draft);
	f->draft = xstrdup(no->text ? no->text : "");
	snprintf(title, sizeof title, _("notice %s: %s"), no->id, no->subject && *no->subject
								   ? no->subject : no->title);
	to_line(no, to, sizeof to);
	snprintf(ch, sizeof ch, _("channel: %s"),
		 no->channel ? no->channel : _("none: Ctrl-B records it as given by hand"));
	if (no->review && no->approved)
		snprintf(ap, sizeof ap, _("approved by %s"), no->approved_by ? no->approved_by
									     : no->review);
	else if (no->review)
		snprintf(ap, sizeof ap, _("needs approval by %s before it is sent"), no->review);
	else
		snprintf(ap, sizeof ap, "%s", _("no approval needed"));
	info[0] = to;
	info[1] = ch;
	info[2] = ap;
	/* a refusal to come says the same as the approval line: once */
	memset(&es, 0, sizeof es);
	es.title = title;
	es.info = info;
	es.ninfo = 3;
	es.text = no->text;
	es.by_hand = 1;
	es.tag = T_NOTICE_EDIT;
	es.done = notice_done;
	if (no->send && !no->send->allowed && no->review && !no->approved &&
	    !strcmp(no->send->rule, "notice.approval")) {
		/* the engine's answer, said with what to do about it */
		snprintf(refuse, sizeof refuse,
			 _("not sent: %s must approve it first (Esc, then A approves)"), no->review);
		es.refuse = refuse;
		es.ninfo = 2;
	} else if (no->send && !no->send->allowed) {
		/* the engine's answer, when app gives it per notice */
		snprintf(refuse, sizeof refuse, _("not sent: %s"), no->send->why && *no->send->why
									   ? no->send->why : no->send->rule);
		es.refuse = refuse;
	} else if (!no->send && no->review && !no->approved) {
		snprintf(refuse, sizeof refuse,
			 _("not sent: %s must approve it first (Esc, then A approves)"), no->review);
		es.refuse = refuse;
		es.ninfo = 2;
	} else if (!no->channel) {
		snprintf(refuse, sizeof refuse, "%s",
			 _("no channel for this notice: Ctrl-B records it as given by hand"));
		es.refuse = refuse;
	}
	editor_open(t, v, &es);
}

/* The approver reads the wording before approving it (an approval is of
 * that text): the editor shows it, Ctrl-S approves it as it stands. */
static void wording_reviewed(struct tui *t, struct view *v, int tag, int how, const char *text)
{
	struct dash_flow *f = &D(v)->flow;
	char prompt[300];
	(void)tag;
	(void)how;
	free(f->text);
	f->text = xstrdup(text);
	snprintf(prompt, sizeof prompt, _("approve the wording of notice '%s': note (optional)"),
		 f->target);
	ask(t, v, T_APPROVE_FORM, prompt, 1);
}

static void review_wording(struct tui *t, struct view *v)
{
	struct dash *d = D(v);
	const struct view_notice *no = NULL;
	char title[400], to[600];
	const char *info[1];
	if (!(no = flow_notice(t, d)))
		return;
	snprintf(title, sizeof title, _("approve the wording of notice %s: %s"), no->id,
		 no->subject && *no->subject ? no->subject : no->title);
	to_line(no, to, sizeof to);
	info[0] = to;
	{
		const struct editor_spec es = { .title = title, .info = info, .ninfo = 1,
						.text = no->text, .approve = 1,
						.tag = T_APPROVE_EDIT, .done = wording_reviewed };
		editor_open(t, v, &es);
	}
}

static void act_approve(struct tui *t, struct view *v)
{
	struct items it;
	notice_items(V(v), 1, &it);
	open_picker(t, v, _("approve a notice's wording: which one?"), &it, 0, T_APPROVE_PICK,
		    _("no notice waits for approval"));
}

static void act_assign(struct tui *t, struct view *v)
{
	const struct view_incident *vi = V(v);
	struct items it;
	items_init(&it, vi->nroles);
	for (size_t i = 0; i < vi->nroles; i++) {
		struct strbuf sb = STRBUF_INIT, held = STRBUF_INIT;
		sb_init(&sb);
		sb_init(&held);
		sb_addf(&sb, "%s (%s)", vi->roles[i].text ? vi->roles[i].text : vi->roles[i].id,
			vi->roles[i].id);
		for (size_t k = 0; k < vi->nresponders; k++)
			if (vi->responders[k].role && !strcmp(vi->responders[k].role, vi->roles[i].id))
				sb_addf(&held, "%s%s", held.len ? ", " : "",
					vi->responders[k].person_name ? vi->responders[k].person_name
								      : vi->responders[k].person);
		items_add(&it, vi->roles[i].id, sb_detach(&sb),
			  held.len ? sb_detach(&held) : xstrdup(_("nobody")));
		sb_release(&held);
	}
	open_picker(t, v, _("put a person in a role: which role?"), &it, 0, T_ROLE_PICK,
		    _("the plan defines no roles"));
}

static void act_task(struct tui *t, struct view *v)
{
	struct form_field fields[3] = {
		{ _("title"), NULL, 0, NULL, 0 },
		{ _("owner"), NULL, 1, NULL, 0 },
		{ _("due (30m, 2h, or a time)"), NULL, 1, NULL, 0 },
	};
	struct form_spec fs = { _("add a task"), fields, 3, NULL, 0, T_TASK_FORM, formed, checked };
	form_open(t, v, &fs);
}

static void items_of_resources(struct tui *t, struct view *v, int withdraw)
{
	const struct view_incident *vi = V(v);
	struct items it;
	items_init(&it, vi->nresources);
	D(v)->flow.withdraw = withdraw;
	for (size_t i = 0; i < vi->nresources; i++) {
		const struct view_resource *r = &vi->resources[i];
		struct strbuf sb = STRBUF_INIT, out = STRBUF_INIT;
		if (withdraw && r->deployed <= 0)
			continue;
		sb_init(&sb);
		sb_addf(&sb, "[%s] %s", r->id, r->item);
		sb_init(&out);
		sb_addf(&out, _("%" PRId64 " of %" PRId64 " out"), r->deployed, r->count);
		items_add(&it, r->id, sb_detach(&sb), sb_detach(&out));
	}
	open_picker(t, v, withdraw ? _("withdraw resources: which item?")
				   : _("deploy resources: which item?"),
		    &it, 0, T_ITEM_PICK,
		    withdraw ? _("nothing is deployed") : _("the plan has no resources ledger"));
}

static void act_deploy(struct tui *t, struct view *v)
{
	items_of_resources(t, v, 0);
}

static void act_withdraw(struct tui *t, struct view *v)
{
	items_of_resources(t, v, 1);
}

static void pick_dimension(struct tui *t, struct view *v)
{
	struct dash *d = D(v);
	const struct view_dimension *dim = &d->v.dims[d->flow.ndims];
	struct items it;
	char title[300];
	items_init(&it, dim->nvalues);
	/* the plan's word for a value, its id on the right (what --scope takes) */
	for (size_t i = 0; i < dim->nvalues; i++) {
		const char *label = dim->labels && dim->labels[i] ? dim->labels[i] : NULL;
		items_add(&it, dim->values[i], xstrdup(label ? label : dim->values[i]),
			  label ? xstrdup(dim->values[i]) : NULL);
	}
	snprintf(title, sizeof title, _("assess (%zu/%zu): %s"), d->flow.ndims + 1,
		 d->v.ndims < 4 ? d->v.ndims : 4, dim->name ? dim->name : dim->id);
	open_picker(t, v, title, &it, 0, T_DIM_PICK, NULL);
}

static void act_assess(struct tui *t, struct view *v)
{
	struct dash *d = D(v);
	if (!d->v.ndims) {
		tui_status(t, ST_ERR, "%s", _("the plan has no decision matrix"));
		return;
	}
	d->flow.ndims = 0;
	pick_dimension(t, v);
}

const struct tui_handler dash_handlers[] = {
	{ A_LOG,       ACT_LOG,       act_log },
	{ A_METRIC,    ACT_METRIC,    act_metric },
	{ A_WARN,      ACT_WARN,      act_warn },
	{ A_LIFT,      ACT_LIFT,      act_lift },
	{ A_ESCALATE,  ACT_ESCALATE,  act_escalate },
	{ A_DOWNGRADE, ACT_DOWNGRADE, act_downgrade },
	{ A_ATTEST,    ACT_ATTEST,    act_attest },
	{ A_DONE,      ACT_DONE,      act_done },
	{ A_ACCEPT,    ACT_ACCEPT,    act_accept },
	{ A_HANDOVER,  ACT_HANDOVER,  act_handover },
	{ A_TERMINATE, ACT_TERMINATE, act_terminate },
	{ A_TIMELINE,  -1,            act_timeline },
	{ A_REVIEW,    -1,            act_review },
	{ A_NOTIFY,    ACT_NOTIFY,    act_notify },
	{ A_APPROVE,   ACT_APPROVE,   act_approve },
	{ A_ASSIGN,    ACT_ASSIGN,    act_assign },
	{ A_OWNER,     ACT_OWNER,     act_owner },
	{ A_TASK,      ACT_TASK,      act_task },
	{ A_DEPLOY,    ACT_RESOURCE,  act_deploy },
	{ A_WITHDRAW,  ACT_RESOURCE,  act_withdraw },
	{ A_ASSESS,    ACT_ASSESS,    act_assess },
	{ A_NONE,      -1,            NULL },
};
