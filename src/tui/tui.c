/* The console's generic driver (tig's): a stack of views; movement,
 * scrolling, clipping and search for every list view; the title bar, the
 * status line (wrapped at word boundaries) and the key bar; the handler
 * table's `may` check before any form opens; reloads of the visible views
 * only, when another writer commits or time changes what the engine says.
 * The terminal loop is run.c's; all of this runs on a canvas, so the
 * unit tests drive it without a terminal. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#define STATUS_ROWS_MAX 3

struct tui *tui_new(struct app *a, int cols, int rows)
{
	struct tui *t = xcalloc(1, sizeof *t);
	const char *bell = getenv("SITREP_BELL");
	t->app = a;
	t->now = app_now(a);
	t->bell_off = bell && !strcmp(bell, "0");
	cv_init(&t->cv, cols, rows);
	return t;
}

static void view_free(struct view *v)
{
	if (v->ops->done)
		v->ops->done(v);
	free(v->search);
	free(v);
}

void tui_free(struct tui *t)
{
	while (t->top) {
		struct view *v = t->top;
		t->top = v->below;
		view_free(v);
	}
	cv_release(&t->cv);
	free(t);
}

struct view *tui_push(struct tui *t, const struct view_ops *ops, void *priv, int overlay)
{
	struct view *v = xcalloc(1, sizeof *v);
	v->ops = ops;
	v->priv = priv;
	v->overlay = overlay;
	v->below = t->top;
	v->height = t->cv.rows > 4 ? t->cv.rows - 4 : 1;
	t->top = v;
	if (overlay)
		t->status[0] = '\0'; /* the form's own hint shows instead */
	if (ops->open)
		(void)ops->open(t, v); /* on failure it shows what it could, the status says why */
	return v;
}

void tui_pop(struct tui *t)
{
	struct view *v = t->top;
	if (!v)
		return;
	t->top = v->below;
	view_free(v);
	if (!t->top)
		t->quit = 1;
}

void tui_status(struct tui *t, int style, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->status, sizeof t->status, fmt, ap);
	va_end(ap);
	t->status_style = style;
}

void tui_changed(struct tui *t)
{
	for (struct view *v = t->top; v; v = v->below)
		v->stale = 1;
}

void tui_wake_at(struct tui *t, int64_t when)
{
	if (when > 0 && (!t->wake || when < t->wake))
		t->wake = when;
}

int tui_act_refused_since(const struct tui *t, unsigned acts_before, const struct view *owner)
{
	return t->acts == acts_before + 1 && t->top == owner &&
	       (t->last_code == SITREP_EXIT_REFUSED || t->last_code == SITREP_EXIT_USAGE);
}

void tui_said_from_status(const struct tui *t, char *said, size_t size)
{
	size_t n = strlen(t->status);
	if (!size)
		return;
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)t->status[n] & 0xc0) == 0x80)
			n--; /* not inside a character */
	}
	memcpy(said, t->status, n);
	said[n] = '\0';
}

int tui_act(struct tui *t, const struct app_request *rq, int64_t *incident)
{
	struct app_outcome out;
	int code;
	app_outcome_init(&out);
	code = app_act(t->app, rq, &out);
	t->acts++;
	t->last_code = code;
	if (code == SITREP_EXIT_OK && rq->kind == ACT_TASK && out.id[0])
		tui_status(t, ST_OK, rq->followup ? _("follow-up %s added: %s") : _("task %s added: %s"),
			   out.id, rq->text ? rq->text : "");
	else if (code == SITREP_EXIT_OK)
		tui_status(t, ST_OK, "%s", out.message && *out.message ? out.message : _("done"));
	else if (code == SITREP_EXIT_REFUSED && out.err.rule && *out.err.rule)
		/* as the command line says it: which rule refused */
		tui_status(t, ST_ERR, _("refused by rule '%s': %s"), out.err.rule,
			   out.err.msg ? out.err.msg : out.message ? out.message : "");
	else if (code == SITREP_EXIT_REFUSED)
		tui_status(t, ST_ERR, _("refused: %s"),
			   out.err.msg ? out.err.msg : out.message ? out.message : "");
	else if (code == SITREP_EXIT_STORAGE || code == SITREP_EXIT_INTEGRITY)
		/* the database could not take it: say plainly nothing was kept,
		 * with what was typed, so it can be given again */
		tui_status(t, ST_ERR, _("NOT SAVED (%s)%s%s"),
			   out.err.msg ? out.err.msg : _("the database failed"),
			   rq->text && *rq->text ? _("; what you typed: ") : "",
			   rq->text && *rq->text ? rq->text : "");
	else
		tui_status(t, ST_ERR, _("error: %s"),
			   out.err.msg ? out.err.msg : out.message ? out.message : _("the action failed"));
	if (incident)
		*incident = out.incident;
	app_outcome_release(&out);
	tui_changed(t);
	return code;
}

void tui_scroll_fit(struct view *v, int rows)
{
	int max;
	if (rows < 1)
		rows = 1;
	v->height = rows;
	max = v->lines - rows;
	if (max < 0)
		max = 0;
	if (v->scroll_only) {
		if (v->offset > max)
			v->offset = max;
		if (v->offset < 0)
			v->offset = 0;
		v->cursor = v->offset;
		return;
	}
	if (v->cursor >= v->lines)
		v->cursor = v->lines - 1;
	if (v->cursor < 0)
		v->cursor = 0;
	if (v->cursor < v->offset)
		v->offset = v->cursor;
	if (v->cursor >= v->offset + rows)
		v->offset = v->cursor - rows + 1;
	if (v->offset > max)
		v->offset = max;
	if (v->offset < 0)
		v->offset = 0;
}

struct view *tui_base(struct tui *t)
{
	struct view *v = t->top;
	while (v && v->overlay && v->below)
		v = v->below;
	return v;
}

/* ------------------------------------------------------------ search */

/* The driver's own search: the next line (dir 1) or previous (-1) from
 * the cursor whose text contains the query, wrapping around. */
static int scan(struct tui *t, struct view *v, int dir, int from_here)
{
	struct strbuf sb = STRBUF_INIT;
	int n = v->lines, start = v->scroll_only ? v->offset : v->cursor;
	if (!v->ops->row_text || n <= 0)
		return 0;
	sb_init(&sb);
	for (int k = from_here ? 0 : 1; k <= n; k++) {
		int line = ((start + dir * k) % n + n) % n;
		sb_reset(&sb);
		v->ops->row_text(v, line, &sb);
		if (tx_match(sb.buf, v->search)) {
			if (v->scroll_only)
				v->offset = line;
			else
				v->cursor = line;
			tui_scroll_fit(v, v->height);
			if (dir > 0 ? line < start : line > start)
				tui_status(t, ST_DIM, "%s", _("search wrapped around"));
			sb_release(&sb);
			return 1;
		}
	}
	sb_release(&sb);
	tui_status(t, ST_ERR, _("nothing matches \"%s\""), v->search);
	return 0;
}

static void search_done(struct tui *t, struct view *owner, int tag, const char *const *values,
			int toggle)
{
	(void)tag;
	(void)toggle;
	free(owner->search);
	owner->search = values[0][0] ? xstrdup(values[0]) : NULL;
	if (owner->ops->search)
		owner->ops->search(t, owner, owner->search);
	else if (owner->search)
		scan(t, owner, 1, 1);
}

static void search_open(struct tui *t, struct view *v)
{
	/* opens empty: an empty search ends the one before */
	form_ask(t, v, 0, _("search: type the text (empty ends the search)"), NULL, 1,
		 search_done);
}

/* ------------------------------------------------------------ generic requests */

static void generic(struct tui *t, struct view *v, enum tui_action a)
{
	int page = v->height > 1 ? v->height - 1 : 1;
	int *pos = v->scroll_only ? &v->offset : &v->cursor;
	switch (a) {
	case A_HELP:
		help_open(t);
		return;
	case A_BACK:
		tui_pop(t);
		return;
	case A_UP: *pos -= 1; break;
	case A_DOWN: *pos += 1; break;
	case A_PGUP: *pos -= page; break;
	case A_PGDN: *pos += page; break;
	case A_FIRST: *pos = 0; break;
	case A_LAST: *pos = v->lines; break;
	case A_REDRAW:
		cv_clear(&t->cv);
		return;
	case A_SEARCH:
		if (!v->ops->row_text && !v->ops->search) {
			tui_status(t, ST_DIM, "%s", _("nothing to search here"));
			return;
		}
		search_open(t, v);
		return;
	case A_NEXT:
	case A_PREV:
		if (!v->search)
			return;
		if (v->ops->search)
			*pos += a == A_NEXT ? 1 : -1; /* the view shows matches only */
		else {
			scan(t, v, a == A_NEXT ? 1 : -1, 0);
			return;
		}
		break;
	case A_CLEAR:
		free(v->search);
		v->search = NULL;
		if (v->ops->search)
			v->ops->search(t, v, NULL);
		tui_status(t, ST_DIM, "%s", _("search ended"));
		return;
	case A_NONE:
		return;
	default:
		tui_status(t, ST_DIM, _("'%s' does nothing here: press ? for the keys"),
			   tui_actions[a].name);
		return;
	}
	tui_scroll_fit(v, v->height);
	if (v->ops->moved)
		v->ops->moved(t, v);
}

static const struct tui_handler *handler_of(const struct view *v, enum tui_action a)
{
	for (const struct tui_handler *h = v->ops->handlers; h && h->action != A_NONE; h++)
		if (h->action == a)
			return h;
	return NULL;
}

void tui_key(struct tui *t, int key)
{
	struct view *v = t->top;
	const struct tui_handler *h;
	enum tui_action a;
	unsigned scope;

	if (!v)
		return;
	if (key == TK_RESIZE)
		return;
	/* a key clears the last message, unless a form is being typed */
	if (!v->overlay)
		t->status[0] = '\0';
	if (v->ops->key && v->ops->key(t, v, key))
		return;
	scope = v->ops->scope | (v->search ? SCOPE_SEARCH : 0);
	a = tui_key_action(scope, key);
	if (a == A_NONE) {
		if (key != TK_ESC)
			tui_status(t, ST_DIM, "%s", _("no action on that key: press ? for the keys"));
		return;
	}
	h = handler_of(v, a);
	if (!h) {
		generic(t, v, a);
		return;
	}
	if (h->may >= 0 && v->ops->may) {
		/* the engine says first whether it would be refused: no form then */
		const struct view_may *m = v->ops->may(v, h->may);
		if (!m) {
			tui_status(t, ST_ERR, "%s", _("the incident could not be loaded"));
			return;
		}
		if (!m->allowed) {
			/* the action's key-bar word, translated, and the rule */
			const char *word = tui_action_word(a);
			if (m->rule && *m->rule)
				tui_status(t, ST_ERR, _("%s: not now, by rule '%s': %s"), word, m->rule,
					   m->why && *m->why ? m->why : m->rule);
			else
				tui_status(t, ST_ERR, _("%s: not now: %s"), word,
					   m->why && *m->why ? m->why : "");
			return;
		}
	}
	h->fn(t, v);
}

/* ------------------------------------------------------------ drawing */

static void draw_title(struct tui *t, struct view *base)
{
	struct canvas *c = &t->cv;
	char clock[40], right[200];
	const char *hms;
	int rw;
	time_format_local(t->now, clock, sizeof clock);
	hms = strlen(clock) >= 19 ? clock + 11 : clock;
	snprintf(right, sizeof right, " %s%s%s  %s ", base && base->where[0] ? base->where : "",
		 base && base->where[0] ? "  " : "", app_user(t->app) ? app_user(t->app) : "", hms);
	cv_fill(c, 0, 0, c->cols, ST_TITLE);
	rw = tx_width(right);
	if (rw > c->cols / 2)
		rw = c->cols / 2;
	cv_putf(c, 0, 0, c->cols - rw, ST_TITLE, " sitrep \xc2\xb7 %s",
		!base ? "" : base->title[0] ? base->title : _(base->ops->name));
	cv_right(c, 0, c->cols - rw, rw, ST_TITLE, right);
}

struct wrap_ctx {
	char **lines;
	size_t n, max;
};

static void wrap_line(void *vctx, const char *s, size_t len)
{
	struct wrap_ctx *w = vctx;
	if (w->n < w->max)
		w->lines[w->n] = xstrndup(s, len);
	w->n++;
}

/* The status message wrapped at word boundaries, at most three rows. */
static size_t status_lines(struct tui *t, char **lines)
{
	struct wrap_ctx w = { lines, 0, STATUS_ROWS_MAX };
	if (!t->status[0])
		return 0;
	tx_wrap(t->status, t->cv.cols, wrap_line, &w);
	if (w.n > STATUS_ROWS_MAX) {
		/* the rest does not fit: the last row says so with "…" */
		char *last = lines[STATUS_ROWS_MAX - 1];
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		if (tx_width(last) + 2 <= t->cv.cols) {
			sb_adds(&sb, last);
			sb_adds(&sb, " \xe2\x80\xa6");
		} else {
			/* clipped, it ends in the one "…" (two were shown) */
			struct strbuf full = STRBUF_INIT;
			sb_init(&full);
			sb_adds(&full, last);
			sb_adds(&full, " \xe2\x80\xa6");
			tx_clip(&sb, full.buf, t->cv.cols);
			sb_release(&full);
		}
		free(last);
		lines[STATUS_ROWS_MAX - 1] = sb_detach(&sb);
		w.n = STATUS_ROWS_MAX;
	}
	return w.n;
}

static void draw_too_small(struct tui *t)
{
	struct canvas *c = &t->cv;
	char msg[128];
	const char *lines[3];
	int y = c->rows / 2 - 1;
	tui_size_ok(c->cols, c->rows, msg, sizeof msg);
	lines[0] = _("sitrep: terminal too small");
	lines[1] = msg;
	lines[2] = _("enlarge it, or press q");
	if (y < 0)
		y = 0;
	for (int i = 0; i < 3 && y + i < c->rows; i++) {
		int w = tx_width(lines[i]);
		int x = w < c->cols ? (c->cols - w) / 2 : 0;
		cv_put(c, y + i, x, c->cols - x, i == 0 ? ST_BOLD : ST_NORMAL, lines[i]);
	}
}

/* A list view: heading, then the visible lines; the driver scrolls,
 * highlights and clips. */
static void draw_list(struct tui *t, struct view *v, int top, int rows)
{
	struct canvas *c = &t->cv;
	int head = v->ops->draw_head ? v->ops->draw_head(t, v, c, top) : 0;
	int body = rows - head;
	if (body < 1)
		return;
	if (v->lines <= 0) {
		v->where[0] = '\0';
		v->height = body;
		if (v->ops->draw_empty)
			v->ops->draw_empty(t, v, c, top + head, body);
		return;
	}
	tui_scroll_fit(v, body);
	for (int r = 0; r < body; r++) {
		int line = v->offset + r, sel;
		if (line >= v->lines)
			break;
		sel = line == v->cursor;
		cv_fill(c, top + head + r, 0, c->cols, sel ? ST_SEL : ST_NORMAL);
		v->ops->draw_row(t, v, c, top + head + r, line, sel);
		if (sel)
			cv_restyle(c, top + head + r, 0, c->cols, ST_SEL);
	}
	if (v->lines > body)
		snprintf(v->where, sizeof v->where, "%d/%d", v->cursor + 1, v->lines);
	else
		v->where[0] = '\0';
}

void tui_render(struct tui *t)
{
	struct canvas *c = &t->cv;
	struct view *base = tui_base(t), *chain[16];
	char *lines[STATUS_ROWS_MAX];
	size_t nst;
	int n = 0, top = 1, rows;

	cv_clear(c);
	if (!tui_size_ok(c->cols, c->rows, NULL, 0)) {
		draw_too_small(t);
		return;
	}
	nst = status_lines(t, lines);
	rows = c->rows - 1 - (nst ? (int)nst : 1);
	for (struct view *v = t->top; v && n < 16; v = v->below) {
		chain[n++] = v;
		if (!v->overlay)
			break;
	}
	for (int i = n - 1; i >= 0; i--) {
		struct view *v = chain[i];
		if (v->ops->draw)
			v->ops->draw(t, v, c, top, rows);
		else if (v->ops->draw_row)
			draw_list(t, v, top, rows);
	}
	/* after the views: drawing a list sets its position ("12/400"), which
	 * the title shows (drawn first, it showed the previous key's) */
	draw_title(t, base);
	if (nst) {
		for (size_t i = 0; i < nst; i++) {
			cv_fit(c, c->rows - (int)nst + (int)i, 0, c->cols, t->status_style, lines[i]);
			free(lines[i]);
		}
	} else if (t->top) {
		struct view *v = t->top;
		const char *extra = v->ops->hint ? v->ops->hint(v) : NULL;
		char buf[320];
		unsigned scope = base ? base->ops->scope : 0;
		if (!v->overlay && v->search) {
			snprintf(buf, sizeof buf, _("search \"%s\":"), v->search);
			extra = buf;
			scope = SCOPE_SEARCH;
		}
		if (v->overlay) {
			cv_fill(c, c->rows - 1, 0, c->cols, ST_DIM);
			cv_put(c, c->rows - 1, 0, c->cols, ST_DIM, extra ? extra : "");
		} else {
			tui_draw_keybar(c, c->rows - 1, scope, extra);
		}
	}
}

/* ------------------------------------------------------------ time and reloads */

static void visible(struct tui *t, struct view **out, int *n)
{
	*n = 0;
	for (struct view *v = t->top; v && *n < 16; v = v->below) {
		out[(*n)++] = v;
		if (!v->overlay)
			break;
	}
}

void tui_refresh(struct tui *t)
{
	struct view *vis[16];
	int n;
	visible(t, vis, &n);
	for (int i = n - 1; i >= 0; i--)
		if (vis[i]->stale) {
			vis[i]->stale = 0;
			if (vis[i]->ops->open)
				vis[i]->ops->open(t, vis[i]);
		}
}

void tui_tick(struct tui *t)
{
	struct view *vis[16];
	int n;
	if (t->wake && t->now >= t->wake) {
		/* time changed what the engine says: the visible views reload */
		t->wake = 0;
		visible(t, vis, &n);
		for (int i = 0; i < n; i++)
			vis[i]->stale = 1;
	}
	visible(t, vis, &n);
	for (int i = n - 1; i >= 0; i--)
		if (vis[i]->ops->tick)
			vis[i]->ops->tick(t, vis[i]);
	tui_refresh(t);
}

int tui_work(struct tui *t)
{
	struct view *vis[16];
	int n, more = 0;
	visible(t, vis, &n);
	for (int i = 0; i < n; i++)
		if (vis[i]->ops->work)
			more |= vis[i]->ops->work(t, vis[i]);
	return more;
}
