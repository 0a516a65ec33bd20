/* The incident list (home): open incidents first, newest first; a badge in
 * the level's or warning's colour whose text says the level; the title
 * aligned by its real width; plan, age and the next deadline. `n` opens a
 * new incident: a plan picker, then the title. */
#include "tui_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct row {
	int64_t id;
	char *title;
	char *plan;
	char badge[200];
	char colour[32];      /* badge colour name, "" none */
	int drill;
	int closed;
	int64_t created;
	int has_due;
	int64_t due;
	char *due_title;
};

struct list {
	struct row *rows;
	size_t n;
	char *new_plan;       /* the plan picked, waiting for its title */
};

enum { TAG_PLAN = 1, TAG_TITLE };

static void rows_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->rows[i].title);
		free(l->rows[i].plan);
		free(l->rows[i].due_title);
	}
	free(l->rows);
	l->rows = NULL;
	l->n = 0;
}

static void row_fill(struct row *r, const struct app_incident *inc)
{
	const struct plan *p = inc->plan;
	const struct engine_state *st = &inc->st;
	r->id = inc->row.id;
	r->title = xstrdup(inc->row.title ? inc->row.title : "");
	r->plan = xstrdup(inc->row.plan_id ? inc->row.plan_id : "");
	r->drill = inc->row.drill || st->drill;
	r->closed = st->phase == PHASE_TERMINATED;
	r->created = st->opened_at ? st->opened_at : inc->row.created_at;
	struct tui_badge b;
	tui_badge_level(p, st, &b);
	if (st->phase == PHASE_RESPONSE && st->warning >= 0) {
		struct tui_badge w;
		tui_badge_warning(p, st, &w);
		snprintf(r->badge, sizeof r->badge, "%s +%s", b.text, w.text);
	} else {
		snprintf(r->badge, sizeof r->badge, "%s", b.text);
	}
	snprintf(r->colour, sizeof r->colour, "%s", b.colour ? b.colour : "");
	r->has_due = 0;
	for (size_t i = 0; i < st->nobls; i++) {
		const struct engine_obligation *o = &st->obls[i];
		if (o->status != OBL_OPEN)
			continue;
		if (!r->has_due || o->due < r->due) {
			struct strbuf title = STRBUF_INIT;
			sb_init(&title);
			engine_obligation_title(st, p, o, &title);
			free(r->due_title);
			r->due_title = sb_detach(&title);
			r->due = o->due;
			r->has_due = 1;
		}
	}
}

static int list_load(struct tui *t, struct view *v)
{
	struct list *l = v->priv;
	int64_t keep = v->cursor >= 0 && (size_t)v->cursor < l->n ? l->rows[v->cursor].id : 0;
	rows_free(l);
	int64_t *ids = NULL;
	size_t n = 0;
	struct sitrep_error err;
	memset(&err, 0, sizeof err);
	if (app_list(t->app, 1, &ids, &n, &err) != 0) {
		tui_status(t, ST_ERR, "cannot list the incidents: %s", err.msg ? err.msg : "");
		free(err.path);
		free(err.msg);
		free(ids);
		v->lines = 0;
		return -1;
	}
	l->rows = xcalloc(n ? n : 1, sizeof *l->rows);
	/* Newest first, as app_list gives them (DESIGN: "the newest is first");
	 * closed ones stay in place, marked, so Enter on the first row always
	 * opens the newest incident. */
	for (size_t i = 0; i < n; i++) {
		struct app_incident inc;
		memset(&inc, 0, sizeof inc);
		memset(&err, 0, sizeof err);
		if (app_incident_load(t->app, ids[i], 0, &inc, &err) != 0) {
			free(err.path);
			free(err.msg);
			continue;
		}
		row_fill(&l->rows[l->n++], &inc);
		app_incident_release(&inc);
	}
	free(ids);
	v->lines = (int)l->n;
	for (size_t i = 0; keep && i < l->n; i++)
		if (l->rows[i].id == keep)
			v->cursor = (int)i;
	snprintf(v->title, sizeof v->title, "incidents (%zu)", l->n);
	return 0;
}

enum { C_ID, C_BADGE, C_TITLE, C_PLAN, C_AGE, C_NEXT, C__N };

static void list_draw(struct tui *t, struct view *v, int top, int rows)
{
	struct list *l = v->priv;
	if (l->n == 0) {
		tui_put(t, top + 1, 2, COLS - 4, ST_BOLD, "No incidents yet.", 0);
		tui_put(t, top + 3, 2, COLS - 4, ST_NORMAL,
			"Press n to open one: pick the plan, then type the title.", 0);
		tui_put(t, top + 4, 2, COLS - 4, ST_NORMAL,
			"For a worked example, quit and run `sitrep demo`, then start sitrep again.", 0);
		tui_put(t, top + 6, 2, COLS - 4, ST_DIM, "? shows every key, q quits.", 0);
		v->lines = 0;
		return;
	}
	static const int min[C__N] = { 4, 16, 12, 14, 6, 22 };
	static const int grow[C__N] = { 0, 0, 4, 1, 0, 2 };
	int w[C__N];
	if (tui_layout(min, grow, C__N, 1, COLS - 2, w) < 0)
		return;
	int x[C__N];
	x[0] = 1;
	for (int i = 1; i < C__N; i++)
		x[i] = x[i - 1] + w[i - 1] + 1;
	static const char *const head[C__N] = { "#", "STATE", "TITLE", "PLAN", "AGE",
						"NEXT DEADLINE" };
	for (int i = 0; i < C__N; i++)
		tui_put(t, top, x[i], w[i], ST_HEAD, head[i], 0);
	int body = rows - 1;
	tui_scroll_fit(v, body);
	for (int r = 0; r < body; r++) {
		int idx = v->offset + r;
		if (idx >= (int)l->n)
			break;
		const struct row *row = &l->rows[idx];
		int y = top + 1 + r, sel = idx == v->cursor;
		int base = sel ? ST_SEL : row->closed ? ST_DIM : ST_NORMAL;
		tui_fill(t, y, 0, COLS, base);
		char buf[64];
		snprintf(buf, sizeof buf, "%" PRId64, row->id);
		tui_put(t, y, x[C_ID], w[C_ID], base, buf, 0);
		attr_t battr = row->closed ? t->style[base] : tui_badge_attr(t, row->colour[0] ? row->colour : NULL);
		if (!row->closed && !row->colour[0] && !strncmp(row->badge, "MONITORING", 10))
			battr = t->style[base];
		tui_put_attr(y, x[C_BADGE], w[C_BADGE], battr, row->badge, 0);
		int tx = x[C_TITLE], tw = w[C_TITLE];
		if (row->drill) {
			int dw = tui_put(t, y, tx, tw, ST_DRILL, "DRILL", 0);
			tx += dw + 1;
			tw -= dw + 1;
		}
		tui_put(t, y, tx, tw, base, row->title, 0);
		tui_put(t, y, x[C_PLAN], w[C_PLAN], base, row->plan, 0);
		tui_age(t->now - row->created, buf, sizeof buf);
		tui_put(t, y, x[C_AGE], w[C_AGE], base, buf, 0);
		if (row->closed) {
			tui_put(t, y, x[C_NEXT], w[C_NEXT], base, "closed", 0);
		} else if (row->has_due) {
			enum tui_due d = tui_countdown(row->due, t->now, 15 * 60, buf, sizeof buf);
			int st = sel ? ST_SEL : d == TUI_DUE_OVERDUE ? ST_OVERDUE
				: d == TUI_DUE_SOON ? ST_SOON : ST_NORMAL;
			int cw = tui_put(t, y, x[C_NEXT], w[C_NEXT], st, buf, 0);
			tui_put(t, y, x[C_NEXT] + cw + 1, w[C_NEXT] - cw - 1, base, row->due_title, 0);
		} else {
			tui_put(t, y, x[C_NEXT], w[C_NEXT], base, "-", 0);
		}
	}
}

/* The title form's callback; drill: the form's "drill" box. */
static void title_done(struct tui *t, struct view *owner, int tag, const char *text, int drill)
{
	struct list *l = owner->priv;
	(void)tag;
	if (!l->new_plan)
		return;
	struct app_request rq;
	memset(&rq, 0, sizeof rq);
	rq.kind = ACT_OPEN;
	rq.plan = l->new_plan;
	rq.text = text;
	rq.drill = drill;
	int64_t id = 0;
	int code = tui_act(t, &rq, &id);
	free(l->new_plan);
	l->new_plan = NULL;
	if (code == SITREP_EXIT_OK && id > 0)
		dash_open(t, id);
}

/* The plan picker's callback (named apart from the plan module's plan_*). */
static void new_plan_picked(struct tui *t, struct view *owner, int tag, size_t index, const char *id)
{
	struct list *l = owner->priv;
	(void)tag;
	(void)index;
	free(l->new_plan);
	l->new_plan = xstrdup(id);
	char prompt[256];
	snprintf(prompt, sizeof prompt, "new %s incident: title", id);
	struct form_spec fs = { .prompt = prompt, .tag = TAG_TITLE, .toggle = "drill",
				.toggle_on = 0, .done_toggle = title_done };
	form_open(t, owner, &fs);
}

/* n: precondition: the plans folder has at least one plan. */
static void new_incident(struct tui *t, struct view *v)
{
	char **ids = NULL, **titles = NULL;
	size_t n = app_plans(t->app, &ids, &titles);
	if (n == 0) {
		tui_status(t, ST_ERR, "no plans in '%s': nothing to open an incident with",
			   app_plans_dir(t->app) ? app_plans_dir(t->app) : "");
		app_plans_free(ids, titles, n);
		return;
	}
	char **labels = xcalloc(n, sizeof *labels);
	for (size_t i = 0; i < n; i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		tui_fit(&sb, ids[i], 20);
		sb_addf(&sb, " %s", titles[i] ? titles[i] : "");
		labels[i] = sb_detach(&sb);
	}
	picker_open(t, v, "new incident: pick the plan", (const char *const *)ids,
		    (const char *const *)labels, n, TAG_PLAN, new_plan_picked);
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	app_plans_free(ids, titles, n);
}

static enum req_result list_request(struct tui *t, struct view *v, enum tui_action a)
{
	struct list *l = v->priv;
	switch (a) {
	case A_ENTER: /* precondition: an incident is highlighted */
		if (l->n == 0) {
			tui_status(t, ST_DIM, "no incident yet: press n to open one");
			return REQ_HANDLED;
		}
		dash_open(t, l->rows[v->cursor].id);
		return REQ_HANDLED;
	case A_NEW:
		new_incident(t, v);
		return REQ_HANDLED;
	default:
		return REQ_UNHANDLED;
	}
}

static void list_tick(struct tui *t, struct view *v)
{
	/* Ages and countdowns are drawn from t->now; deadlines that fall due
	 * without a write come in with a reload every ten seconds. */
	if (t->now % 10 == 0)
		list_load(t, v);
}

static void list_done(struct view *v)
{
	struct list *l = v->priv;
	rows_free(l);
	free(l->new_plan);
	free(l);
}

static const struct view_ops list_ops = {
	.name = "incidents",
	.scope = SCOPE_LIST,
	.open = list_load,
	.draw = list_draw,
	.request = list_request,
	.done = list_done,
	.tick = list_tick,
};

void list_open(struct tui *t)
{
	struct list *l = xcalloc(1, sizeof *l);
	tui_push(t, &list_ops, l, 0);
}
