/* The review screen (`r`): the incident's figures, a text level chart,
 * follow-ups and the review notes, rendered by app_review_text (viewing
 * writes nothing; a report would journal an export). `N` writes the
 * team's note for one of the six review sections (source 002): pick the
 * section, then the text. `F` adds a follow-up (the review's action item:
 * text, owner, due). Both go through app_act; the screen re-renders. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

struct review {
	int64_t id;
	struct pager p;
	int cols;               /* the text was rendered for this width */
	struct view_incident inc;
	int loaded;
	int section;            /* N: the section picked */
};

enum { TAG_SECTION = 1, TAG_NOTE, TAG_FOLLOWUP };

static void build(struct tui *t, struct review *r, int cols)
{
	struct strbuf sb = STRBUF_INIT;
	struct sitrep_error err = SITREP_ERROR_INIT;
	sb_init(&sb);
	if (app_review_text(t->app, r->id, cols - 4, &sb, &err) != 0) {
		sb_addf(&sb, _("cannot load incident %" PRId64 ": %s\n"), r->id, err.msg ? err.msg : "");
		err_release(&err);
	}
	sb_adds(&sb, "\n");
	sb_addf(&sb, _("The full review: sitrep report %" PRId64 " --format md|html"), r->id);
	sb_adds(&sb, "\n");
	pager_set(&r->p, sb.buf);
	pager_wrap(&r->p, cols - 2);
	r->cols = cols;
	sb_release(&sb);
}

static int review_load(struct tui *t, struct view *v)
{
	struct review *r = v->priv;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct view_incident nv;
	if (app_incident(t->app, r->id, 0, &nv, &err) == 0) {
		if (r->loaded)
			view_incident_release(&r->inc);
		r->inc = nv;
		r->loaded = 1;
		snprintf(v->title, sizeof v->title, _("review of %" PRId64 " \xc2\xb7 %s"), r->id,
			 r->inc.title ? r->inc.title : "");
	}
	err_release(&err);
	build(t, r, t->cv.cols);
	v->lines = (int)r->p.n;
	return 0;
}

static void review_draw(struct tui *t, struct view *v, struct canvas *c, int top, int rows)
{
	struct review *r = v->priv;
	if (r->cols != c->cols)
		build(t, r, c->cols); /* the chart is as wide as the screen */
	pager_draw_lines(t, v, &r->p, c, top, rows);
}

static void review_row_text(struct view *v, int line, struct strbuf *out)
{
	struct review *r = v->priv;
	if (line >= 0 && (size_t)line < r->p.n)
		sb_adds(out, r->p.lines[line]);
}

static void formed(struct tui *t, struct view *v, int tag, const char *const *val, int toggle)
{
	struct review *r = v->priv;
	struct app_request rq;
	(void)toggle;
	memset(&rq, 0, sizeof rq);
	rq.incident = r->id;
	if (tag == TAG_NOTE) {
		rq.kind = ACT_NOTE_REVIEW;
		rq.target = section_name(r->section);
		rq.text = val[0];
		tui_act(t, &rq, NULL);
	} else if (tag == TAG_FOLLOWUP) {
		char msg[512];
		rq.kind = ACT_TASK;
		rq.followup = 1;
		rq.text = val[0];
		rq.person = val[1][0] ? val[1] : NULL;
		if (tui_due_said(val[2], t->now, &rq.due_in, &rq.due, msg, sizeof msg) != 0) {
			tui_status(t, ST_ERR, "%s", msg); /* checked in the form: not reached */
			return;
		}
		tui_act(t, &rq, NULL);
	}
}

static void picked(struct tui *t, struct view *v, int tag, const char *const *ids, size_t n,
		   int typed)
{
	struct review *r = v->priv;
	char prompt[400];
	int s;
	(void)tag;
	(void)typed;
	if (!n || (s = section_lookup(ids[0])) < 0)
		return;
	r->section = s;
	snprintf(prompt, sizeof prompt, _("review note on %s (%s): text"), _(section_title(s)),
		 section_name(s));
	form_ask(t, v, TAG_NOTE, prompt, NULL, 0, formed);
}

static void act_note(struct tui *t, struct view *v)
{
	struct picker_item items[SECTION__COUNT];
	struct picker_spec ps;
	memset(items, 0, sizeof items); /* no countdowns here */
	for (int i = 0; i < SECTION__COUNT; i++) {
		items[i].id = section_name(i);
		items[i].label = _(section_title(i));
		items[i].right = section_name(i);
		items[i].style = ST_DIM;
	}
	memset(&ps, 0, sizeof ps);
	ps.title = _("write a review note: which section?");
	ps.items = items;
	ps.n = SECTION__COUNT;
	ps.tag = TAG_SECTION;
	ps.done = picked;
	picker_open(t, v, &ps);
}

/* The follow-up form checked before it closes: a due that is neither a
 * duration nor a time is said in the form, the text kept. */
static int checked(struct tui *t, struct view *v, int tag, const char *const *val, char *msg,
		   size_t size)
{
	int64_t due_in = 0, due = 0;
	(void)v;
	if (tag != TAG_FOLLOWUP)
		return 0;
	return tui_due_said(val[2], t->now, &due_in, &due, msg, size) != 0 ? 3 : 0;
}

static void act_followup(struct tui *t, struct view *v)
{
	struct form_field fields[3] = {
		{ _("what is to be done"), NULL, 0, NULL, 0 },
		{ _("owner"), NULL, 1, NULL, 0 },
		{ _("due (empty: in 7 days)"), NULL, 1, NULL, 0 },
	};
	struct form_spec fs = { _("add a follow-up (the review's action item)"), fields, 3, NULL, 0,
				TAG_FOLLOWUP, formed, checked };
	form_open(t, v, &fs);
}

static const struct view_may *review_may(struct view *v, int act)
{
	struct review *r = v->priv;
	if (!r->loaded || act < 0 || act >= ACT__COUNT)
		return NULL;
	return &r->inc.may[act];
}

static void review_done(struct view *v)
{
	struct review *r = v->priv;
	pager_release(&r->p);
	if (r->loaded)
		view_incident_release(&r->inc);
	free(r);
}

static const struct tui_handler review_handlers[] = {
	{ A_NOTE, ACT_NOTE_REVIEW, act_note },
	{ A_FOLLOWUP, ACT_TASK, act_followup },
	{ A_NONE, -1, NULL },
};

static const struct view_ops review_ops = {
	.name = N_("review"),
	.scope = SCOPE_REVIEW | SCOPE_PAGER,
	.open = review_load,
	.draw = review_draw,
	.row_text = review_row_text,
	.may = review_may,
	.handlers = review_handlers,
	.done = review_done,
};

void review_open(struct tui *t, int64_t incident)
{
	struct review *r = xcalloc(1, sizeof *r);
	struct view *v;
	r->id = incident;
	r->p.indent = -1;
	v = tui_push(t, &review_ops, r, 0);
	v->scroll_only = 1;
}
