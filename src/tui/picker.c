/* Pickers: choose one (or mark several) of a list, drawn over the view
 * that opened them, in the order the view sorts (deadlines by due time,
 * proposals most severe first). Typing filters on what is shown and on
 * the id, Chinese included (tx_match); arrows, Ctrl-N/Ctrl-P and PgUp/PgDn
 * move, and j/k too until something is typed (then they are letters of the
 * filter). Enter takes the highlighted item; in a multi picker Space marks
 * and Enter takes every marked one. Esc cancels: nothing is journaled. */
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#define FILTER_MAX 128

struct item {
	char *id, *label, *right;
	int style;
	int64_t due;            /* counts down on the right when set */
	int marked;
};

struct picker {
	struct view *owner;
	char *title;
	struct item *items;
	size_t n;
	size_t *shown, nshown;  /* indices of the items that match */
	int typed_row;          /* the last row is what was typed (free-text pickers) */
	uint32_t filter[FILTER_MAX];
	size_t flen;
	int multi;
	char *free_text;
	char *empty;
	int tag;
	picker_done_fn done;
	char hint[400];
};

static void picker_free(struct view *v)
{
	struct picker *p = v->priv;
	for (size_t i = 0; i < p->n; i++) {
		free(p->items[i].id);
		free(p->items[i].label);
		free(p->items[i].right);
	}
	free(p->items);
	free(p->shown);
	free(p->title);
	free(p->free_text);
	free(p->empty);
	free(p);
}

static void filter_text(const struct picker *p, struct strbuf *out)
{
	form_encode(p->filter, p->flen, out);
}

static void refilter(struct view *v)
{
	struct picker *p = v->priv;
	struct strbuf f = STRBUF_INIT;
	sb_init(&f);
	filter_text(p, &f);
	p->nshown = 0;
	for (size_t i = 0; i < p->n; i++)
		if (tx_match(p->items[i].label, f.buf) || tx_match(p->items[i].id, f.buf))
			p->shown[p->nshown++] = i;
	p->typed_row = p->free_text && f.len > 0;
	sb_release(&f);
	v->lines = (int)p->nshown + p->typed_row;
	if (v->cursor >= v->lines)
		v->cursor = v->lines - 1;
	if (v->cursor < 0)
		v->cursor = 0;
}

static size_t nmarked(const struct picker *p)
{
	size_t k = 0;
	for (size_t i = 0; i < p->n; i++)
		k += p->items[i].marked;
	return k;
}

static const char *picker_hint(struct view *v)
{
	struct picker *p = v->priv;
	size_t k = nmarked(p);
	if (p->multi && k)
		snprintf(p->hint, sizeof p->hint,
			 P_("%zu marked: Enter confirms it  Space marks  Esc cancel",
			    "%zu marked: Enter confirms them all  Space marks  Esc cancel", k), k);
	else if (p->multi)
		snprintf(p->hint, sizeof p->hint, "%s",
			 _("Up/Down Ctrl-N/P (j/k before typing) move  type to filter  "
			   "Space marks several  Enter choose  Esc cancel"));
	else
		snprintf(p->hint, sizeof p->hint, "%s",
			 _("Up/Down Ctrl-N/P (j/k before typing) move  type to filter  "
			   "Enter choose  Esc cancel"));
	return p->hint;
}

struct hint_lines {
	char *l[2];
	size_t n;
};

static void hint_line(void *ctx, const char *s, size_t len)
{
	struct hint_lines *h = ctx;
	if (h->n < 2)
		h->l[h->n] = xstrndup(s, len);
	h->n++;
}

static void picker_draw(struct tui *t, struct view *v, struct canvas *c, int top, int rows)
{
	struct picker *p = v->priv;
	struct strbuf f = STRBUF_INIT;
	struct hint_lines h = { { NULL, NULL }, 0 };
	int w = c->cols - 6, x, y, list, fx, nh;
	if (w > 100)
		w = 100;
	picker_hint(v);
	tx_wrap(p->hint, w - 2, hint_line, &h);
	nh = h.n > 2 ? 2 : (int)h.n;
	list = v->lines > 0 ? v->lines : 1;
	if (list > rows - 3 - nh)
		list = rows - 3 - nh;
	if (list < 1)
		goto out;
	x = (c->cols - w) / 2;
	y = top + (rows - (list + 2 + nh)) / 2;
	tui_scroll_fit(v, list);
	/* the rows it covers are its own, edge to edge (as a form's are): no
	 * cut words of the screen below beside it */
	for (int r = 0; r < list + 2 + nh; r++)
		cv_fill(c, y + r, 0, c->cols, ST_NORMAL);
	cv_fill(c, y, x, w, ST_TITLE);
	cv_putf(c, y, x, w, ST_TITLE, " %s", p->title);
	sb_init(&f);
	filter_text(p, &f);
	cv_fill(c, y + 1, x, w, ST_NORMAL);
	cv_put(c, y + 1, x, 1, ST_TITLE, " ");
	fx = cv_putf(c, y + 1, x + 2, w - 4, ST_FORM, _("filter: %s"), f.buf);
	cv_put(c, y + 1, x + w - 1, 1, ST_TITLE, " ");
	for (int r = 0; r < list; r++) {
		int row = y + 2 + r, idx = v->offset + r, sel = idx == v->cursor, cx = x + 1;
		int iw = w - 2, st = sel ? ST_SEL : ST_NORMAL;
		cv_fill(c, row, x, w, ST_NORMAL);
		cv_put(c, row, x, 1, ST_TITLE, " ");
		cv_put(c, row, x + w - 1, 1, ST_TITLE, " ");
		if (v->lines == 0 && r == 0) {
			cv_put(c, row, x + 2, w - 4, ST_DIM,
			       p->n ? _("nothing matches") : p->empty ? p->empty : _("nothing to choose"));
			continue;
		}
		if (idx >= v->lines)
			continue;
		cv_fill(c, row, cx, iw, st);
		if (p->typed_row && (size_t)idx == p->nshown) {
			char *typed;
			typed = xstrdup(f.buf);
			cv_putf(c, row, cx + 1, iw - 2, sel ? ST_SEL : ST_FORM, "\"%s\"  (%s)", typed,
				p->free_text);
			free(typed);
			continue;
		}
		{
			const struct item *it = &p->items[p->shown[idx]];
			char cd[64];
			const char *right = it->right;
			int rstyle = it->style, rw, lx = cx + 1;
			if (it->due) {
				enum tui_due due = tui_countdown(it->due, t->now, 15 * 60, cd, sizeof cd);
				right = cd;
				rstyle = due == TUI_DUE_OVERDUE ? ST_OVERDUE : due == TUI_DUE_SOON ? ST_SOON
												 : ST_NORMAL;
			}
			rw = right ? tx_width(right) : 0;
			if (rw > iw / 2)
				rw = iw / 2;
			if (p->multi)
				lx += cv_put(c, row, lx, 4, sel ? ST_SEL : ST_MARK,
					     it->marked ? "[x] " : "[ ] ");
			cv_put(c, row, lx, iw - (lx - cx) - rw - 2, it->marked && !sel ? ST_MARK : st,
			       it->label);
			if (rw)
				cv_right(c, row, cx, iw - 1, sel ? ST_SEL : rstyle ? rstyle : st, right);
		}
	}
	for (int i = 0; i < nh; i++) {
		cv_fill(c, y + 2 + list + i, x, w, ST_TITLE);
		cv_put(c, y + 2 + list + i, x + 1, w - 2, ST_TITLE, h.l[i]);
	}
	cv_cursor(c, y + 1, x + 2 + fx);
	sb_release(&f);
out:
	for (size_t i = 0; i < h.n && i < 2; i++)
		free(h.l[i]);
}

static void choose(struct tui *t, struct view *v)
{
	struct picker *p = v->priv;
	struct view *owner = p->owner;
	picker_done_fn done = p->done;
	int tag = p->tag, typed = 0;
	const char **ids;
	char **own;
	size_t n = 0;

	if (v->lines == 0)
		return;
	own = xcalloc(p->n + 1, sizeof *own);
	if (p->multi && nmarked(p)) {
		for (size_t i = 0; i < p->n; i++)
			if (p->items[i].marked)
				own[n++] = xstrdup(p->items[i].id);
	} else if (p->typed_row && (size_t)v->cursor == p->nshown) {
		struct strbuf f = STRBUF_INIT;
		sb_init(&f);
		filter_text(p, &f);
		own[n++] = sb_detach(&f);
		typed = 1;
	} else {
		own[n++] = xstrdup(p->items[p->shown[v->cursor]].id);
	}
	ids = (const char **)own;
	tui_pop(t); /* frees p */
	if (done)
		done(t, owner, tag, ids, n, typed);
	for (size_t i = 0; i < n; i++)
		free(own[i]);
	free(own);
}

static int picker_key(struct tui *t, struct view *v, int key)
{
	struct picker *p = v->priv;
	int page = v->height > 1 ? v->height - 1 : 1;
	switch (key) {
	case TK_RESIZE:
		return 0;
	case TK_ENTER:
		choose(t, v);
		return 1;
	case TK_ESC:
		tui_pop(t);
		tui_status(t, ST_DIM, "%s", _("cancelled: nothing journaled"));
		return 1;
	case TK_BACKSPACE:
		if (p->flen)
			p->flen--;
		refilter(v);
		return 1;
	case TK_CTRL('u'):
		p->flen = 0;
		refilter(v);
		return 1;
	case TK_UP: case TK_CTRL('p'): v->cursor--; break;
	case TK_DOWN: case TK_CTRL('n'): v->cursor++; break;
	case TK_PGUP: v->cursor -= page; break;
	case TK_PGDN: v->cursor += page; break;
	case TK_HOME: v->cursor = 0; break;
	case TK_END: v->cursor = v->lines - 1; break;
	default:
		if (key == ' ' && p->multi) {
			if (v->lines > 0 && (size_t)v->cursor < p->nshown) {
				struct item *it = &p->items[p->shown[v->cursor]];
				it->marked = !it->marked;
				v->cursor++;
			}
			break;
		}
		if ((key == 'j' || key == 'k') && p->flen == 0) {
			v->cursor += key == 'j' ? 1 : -1;
			break;
		}
		if (form_typable(key) && p->flen < FILTER_MAX - 1) {
			p->filter[p->flen++] = (uint32_t)key;
			v->cursor = 0;
			refilter(v);
		}
		return 1;
	}
	if (v->cursor >= v->lines)
		v->cursor = v->lines - 1;
	if (v->cursor < 0)
		v->cursor = 0;
	return 1;
}

static void picker_row_text(struct view *v, int line, struct strbuf *out)
{
	struct picker *p = v->priv;
	if (line >= 0 && (size_t)line < p->nshown)
		sb_adds(out, p->items[p->shown[line]].label);
}

static const struct view_ops picker_ops = {
	.name = N_("picker"),
	.draw = picker_draw,
	.done = picker_free,
	.key = picker_key,
	.row_text = picker_row_text,
};

void picker_open(struct tui *t, struct view *owner, const struct picker_spec *spec)
{
	struct picker *p = xcalloc(1, sizeof *p);
	struct view *v;
	p->owner = owner;
	p->title = xstrdup(spec->title ? spec->title : "");
	p->n = spec->n;
	p->items = xcalloc(p->n ? p->n : 1, sizeof *p->items);
	p->shown = xcalloc(p->n ? p->n : 1, sizeof *p->shown);
	for (size_t i = 0; i < p->n; i++) {
		const struct picker_item *s = &spec->items[i];
		p->items[i].id = xstrdup(s->id ? s->id : "");
		p->items[i].label = xstrdup(s->label ? s->label : s->id ? s->id : "");
		p->items[i].right = s->right ? xstrdup(s->right) : NULL;
		p->items[i].style = s->style;
		p->items[i].due = s->due;
	}
	p->multi = spec->multi;
	p->free_text = spec->free_text ? xstrdup(spec->free_text) : NULL;
	p->empty = spec->empty ? xstrdup(spec->empty) : NULL;
	p->tag = spec->tag;
	p->done = spec->done;
	v = tui_push(t, &picker_ops, p, 1);
	refilter(v);
}
