/* The incident list (home): the newest first, closed ones in place and
 * marked; per incident its badge (level, warning, monitoring, closed), the
 * title by its real width, the plan, its age and how many deadlines are
 * late. Columns are computed from the widths of what they hold, so the
 * list draws at 80x24 in English and in Chinese. `n` opens a new incident:
 * a plan picker, then the title (with a drill box). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#define RELOAD_EVERY 30 /* seconds: deadlines go late without a write */

struct list {
	struct view_list l;
	int loaded;
	char *new_plan;         /* the plan picked, waiting for its title */
	int w[6];               /* column widths at the last heading */
	int x[6];
};

enum { C_ID, C_BADGE, C_TITLE, C_PLAN, C_AGE, C_LATE, C__N };
enum { TAG_PLAN = 1, TAG_TITLE };

static int list_load(struct tui *t, struct view *v)
{
	struct list *l = v->priv;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct view_list nl;
	int64_t keep = l->loaded && v->cursor >= 0 && (size_t)v->cursor < l->l.n
		? l->l.v[v->cursor].id : 0;
	if (app_list(t->app, 1, &nl, &err) != 0) {
		tui_status(t, ST_ERR, _("cannot list the incidents: %s"), err.msg ? err.msg : "");
		err_release(&err);
		return -1;
	}
	if (l->loaded)
		view_list_release(&l->l);
	l->l = nl;
	l->loaded = 1;
	v->lines = (int)l->l.n;
	for (size_t i = 0; keep && i < l->l.n; i++)
		if (l->l.v[i].id == keep)
			v->cursor = (int)i;
	snprintf(v->title, sizeof v->title, _("incidents (%zu)"), l->l.n);
	tui_wake_at(t, t->now + RELOAD_EVERY);
	return 0;
}

static void badge_of(const struct view_summary *s, struct tui_badge *b)
{
	tui_badge_main(s->phase, s->level, s->level_colour, s->warning, NULL, b);
}

/* How long it ran: to now, or to its termination. */
static int64_t age_of(const struct tui *t, const struct view_summary *s)
{
	return (s->terminated_at ? s->terminated_at : t->now) - s->opened_at;
}

static void late_text(const struct view_summary *s, char *buf, size_t size, int *style)
{
	*style = ST_NORMAL;
	if (s->problem) {
		snprintf(buf, size, "%s", _("cannot be shown"));
		*style = ST_ERR;
	} else if (s->nlate) {
		snprintf(buf, size, P_("%d late", "%d late", s->nlate), s->nlate);
		*style = ST_OVERDUE;
	} else if (s->nopen) {
		/* a closed incident's follow-ups too: its badge says closed */
		snprintf(buf, size, P_("%d open", "%d open", s->nopen), s->nopen);
	} else if (s->phase == PHASE_TERMINATED) {
		snprintf(buf, size, "%s", _("closed"));
		*style = ST_DIM;
	} else {
		snprintf(buf, size, "-");
		*style = ST_DIM;
	}
}

/* Columns from what they hold: the title takes what is left (at least 10
 * columns); the plan goes first when the screen is narrow. */
static void layout(struct tui *t, struct list *l, int cols)
{
	static const char *const head[C__N] = {
		"#", N_("STATE"), N_("TITLE"), N_("PLAN"), N_("AGE"), N_("DEADLINES"),
	};
	int want[C__N] = { 0 };
	char buf[64], el[48];
	for (int i = 0; i < C__N; i++)
		want[i] = tx_width(i == 0 ? head[i] : _(head[i]));
	for (size_t i = 0; i < l->l.n; i++) {
		const struct view_summary *s = &l->l.v[i];
		struct tui_badge b;
		int st, w;
		snprintf(buf, sizeof buf, "%" PRId64, s->id);
		if ((w = tx_width(buf)) > want[C_ID])
			want[C_ID] = w;
		badge_of(s, &b);
		if ((w = tx_width(b.text)) > want[C_BADGE])
			want[C_BADGE] = w;
		if ((w = tx_width(s->plan)) > want[C_PLAN])
			want[C_PLAN] = w;
		tui_clock(age_of(t, s), el, sizeof el);
		if ((w = tx_width(el)) > want[C_AGE])
			want[C_AGE] = w;
		late_text(s, buf, sizeof buf, &st);
		if ((w = tx_width(buf)) > want[C_LATE])
			want[C_LATE] = w;
	}
	if (want[C_BADGE] > 20)
		want[C_BADGE] = 20;
	if (want[C_PLAN] > 16)
		want[C_PLAN] = 16;
	/* 1 margin each side, a gap between columns */
	{
		int fixed = want[C_ID] + want[C_BADGE] + want[C_AGE] + want[C_LATE] + 5 + 2;
		int rest = cols - fixed;
		l->w[C_ID] = want[C_ID];
		l->w[C_BADGE] = want[C_BADGE];
		l->w[C_AGE] = want[C_AGE];
		l->w[C_LATE] = want[C_LATE];
		if (rest - want[C_PLAN] >= 10) {
			l->w[C_PLAN] = want[C_PLAN];
			l->w[C_TITLE] = rest - want[C_PLAN];
		} else {
			l->w[C_PLAN] = 0;
			l->w[C_TITLE] = rest + 1; /* the plan's gap too */
			if (l->w[C_TITLE] < 4)
				l->w[C_TITLE] = 4;
		}
	}
	l->x[0] = 1;
	for (int i = 1; i < C__N; i++)
		l->x[i] = l->x[i - 1] + l->w[i - 1] + (l->w[i - 1] ? 1 : 0);
}

static int list_head(struct tui *t, struct view *v, struct canvas *c, int top)
{
	struct list *l = v->priv;
	static const char *const head[C__N] = {
		"#", N_("STATE"), N_("TITLE"), N_("PLAN"), N_("AGE"), N_("DEADLINES"),
	};
	layout(t, l, c->cols);
	for (int i = 0; i < C__N; i++)
		if (l->w[i])
			cv_put(c, top, l->x[i], l->w[i], ST_HEAD, i == 0 ? head[i] : _(head[i]));
	return 1;
}

static void list_row(struct tui *t, struct view *v, struct canvas *c, int y, int line, int sel)
{
	struct list *l = v->priv;
	const struct view_summary *s = &l->l.v[line];
	struct tui_badge b;
	char buf[64], el[48];
	int base = s->phase == PHASE_TERMINATED ? ST_DIM : ST_NORMAL, st, tx, tw;
	(void)sel;
	snprintf(buf, sizeof buf, "%" PRId64, s->id);
	cv_right(c, y, l->x[C_ID], l->w[C_ID], base, buf);
	badge_of(s, &b);
	cv_put(c, y, l->x[C_BADGE], l->w[C_BADGE], b.style, b.text);
	tx = l->x[C_TITLE];
	tw = l->w[C_TITLE];
	if (s->drill) {
		int dw = cv_put(c, y, tx, tw, ST_DRILL, _("DRILL"));
		tx += dw + 1;
		tw -= dw + 1;
	}
	cv_put(c, y, tx, tw, base, s->problem ? s->problem : s->title);
	if (l->w[C_PLAN])
		cv_put(c, y, l->x[C_PLAN], l->w[C_PLAN], base, s->plan);
	tui_clock(age_of(t, s), el, sizeof el);
	cv_right(c, y, l->x[C_AGE], l->w[C_AGE], base, el);
	late_text(s, buf, sizeof buf, &st);
	cv_put(c, y, l->x[C_LATE], l->w[C_LATE], st, buf);
}

static void list_empty(struct tui *t, struct view *v, struct canvas *c, int top, int rows)
{
	int w = c->cols - 4;
	(void)t;
	(void)v;
	if (rows < 6)
		return;
	cv_put(c, top + 1, 2, w, ST_BOLD, _("No incidents yet."));
	cv_put(c, top + 3, 2, w, ST_NORMAL,
	       _("Press n to open one: pick the plan, then type the title."));
	cv_put(c, top + 4, 2, w, ST_NORMAL,
	       _("For a worked example, quit and run `sitrep demo`, then open its database."));
	cv_put(c, top + 6, 2, w, ST_DIM, _("? shows every key, q quits."));
}

static void list_row_text(struct view *v, int line, struct strbuf *out)
{
	struct list *l = v->priv;
	const struct view_summary *s = &l->l.v[line];
	sb_addf(out, "#%" PRId64 " %s %s", s->id, s->title ? s->title : "", s->plan ? s->plan : "");
}

/* The title form's answer; toggle: the drill box. */
static void title_done(struct tui *t, struct view *owner, int tag, const char *const *values,
		       int drill)
{
	struct list *l = owner->priv;
	struct app_request rq;
	int64_t id = 0;
	(void)tag;
	if (!l->new_plan)
		return;
	memset(&rq, 0, sizeof rq);
	rq.kind = ACT_OPEN;
	rq.plan = l->new_plan;
	rq.text = values[0];
	rq.drill = drill;
	if (tui_act(t, &rq, &id) == SITREP_EXIT_OK && id > 0)
		dash_open(t, id);
	free(l->new_plan);
	l->new_plan = NULL;
}

static void plan_picked(struct tui *t, struct view *owner, int tag, const char *const *ids,
			size_t n, int typed)
{
	struct list *l = owner->priv;
	struct form_field fl = { "", NULL, 0, NULL, 0 };
	struct form_spec fs;
	char prompt[300];
	(void)tag;
	(void)typed;
	if (!n)
		return;
	free(l->new_plan);
	l->new_plan = xstrdup(ids[0]);
	snprintf(prompt, sizeof prompt, _("new %s incident: title"), ids[0]);
	memset(&fs, 0, sizeof fs);
	fs.title = prompt;
	fs.fields = &fl;
	fs.nfields = 1;
	fs.toggle = _("drill");
	fs.tag = TAG_TITLE;
	fs.done = title_done;
	form_open(t, owner, &fs);
}

static void act_new(struct tui *t, struct view *v)
{
	struct view_plans p;
	struct picker_item *items;
	char **labels;
	struct picker_spec ps;
	app_plans(t->app, &p);
	if (p.n == 0) {
		tui_status(t, ST_ERR, _("no plans in '%s': nothing to open an incident with%s%s"),
			   app_plans_dir(t->app) ? app_plans_dir(t->app) : "",
			   p.nproblems ? ": " : "", p.nproblems ? p.problems[0] : "");
		view_plans_release(&p);
		return;
	}
	items = xcalloc(p.n, sizeof *items);
	labels = xcalloc(p.n, sizeof *labels);
	for (size_t i = 0; i < p.n; i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		tx_fit(&sb, p.v[i].id, 18);
		sb_addf(&sb, " %s", p.v[i].text ? p.v[i].text : "");
		labels[i] = sb_detach(&sb);
		items[i].id = p.v[i].id;
		items[i].label = labels[i];
	}
	memset(&ps, 0, sizeof ps);
	ps.title = _("new incident: pick the plan");
	ps.items = items;
	ps.n = p.n;
	ps.tag = TAG_PLAN;
	ps.done = plan_picked;
	picker_open(t, v, &ps);
	for (size_t i = 0; i < p.n; i++)
		free(labels[i]);
	free(labels);
	free(items);
	view_plans_release(&p);
}

static void act_open(struct tui *t, struct view *v)
{
	struct list *l = v->priv;
	if (!l->loaded || l->l.n == 0) {
		tui_status(t, ST_DIM, "%s", _("no incident yet: press n to open one"));
		return;
	}
	dash_open(t, l->l.v[v->cursor].id);
}

static void list_done(struct view *v)
{
	struct list *l = v->priv;
	if (l->loaded)
		view_list_release(&l->l);
	free(l->new_plan);
	free(l);
}

static const struct tui_handler list_handlers[] = {
	{ A_ENTER, -1, act_open },
	{ A_NEW, -1, act_new },
	{ A_NONE, -1, NULL },
};

static const struct view_ops list_ops = {
	.name = N_("incidents"),
	.scope = SCOPE_LIST,
	.open = list_load,
	.draw_head = list_head,
	.draw_row = list_row,
	.draw_empty = list_empty,
	.row_text = list_row_text,
	.handlers = list_handlers,
	.done = list_done,
};

void list_open(struct tui *t)
{
	tui_push(t, &list_ops, xcalloc(1, sizeof(struct list)), 0);
}
