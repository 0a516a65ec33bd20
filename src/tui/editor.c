/* The multi-line editor: a notice's draft, prefilled from the plan's
 * template, shown under its recipients, channel and approval. Lines wrap
 * at the screen's width by display columns (a Chinese character is never
 * split); the cursor moves by characters and visual rows. Ctrl-S (or F2)
 * sends, Ctrl-B records it as given by hand, Esc cancels and journals
 * nothing. When the notice still needs approval, sending is refused here
 * and the editor stays open. */
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

#define TEXT_MAX 8000

struct editor {
	struct view *owner;
	char *title;
	char **info;
	size_t ninfo;
	uint32_t buf[TEXT_MAX];
	size_t len, pos;
	int top;               /* first visual row shown */
	int width;             /* wrapped for, at the last draw */
	char *refuse;
	int by_hand;
	int approve;
	int tag;
	editor_done_fn done;
	char said[512];
	char hint[512];
};

/* The visual row holding character i, and its column: wrapping by width. */
struct vpos {
	int row, col;
};

/* A character of a word that wraps whole: narrow and not a blank (wide
 * characters, Chinese, may break anywhere, as Chinese text does). */
static int word_char(uint32_t cp)
{
	return cp != ' ' && cp != '\n' && cp != '\t' && form_cp_width(cp) == 1;
}

/* Lay character i out after the characters before it (p is where they
 * ended): returns the cell it takes and moves p past it. A line break takes
 * the cell where it stands and ends the row; a character that does not fit
 * starts the next row, and so does a word that does not fit the rest of
 * the row but fits a row ("Aff|ected" was cut). The one layout for the
 * cursor, clicks and drawing. */
static struct vpos place(const struct editor *e, struct vpos *p, size_t i)
{
	int w = e->width > 1 ? e->width : 1, cw;
	struct vpos at = *p;
	if (e->buf[i] == '\n') {
		p->row++;
		p->col = 0;
		return at;
	}
	cw = form_cp_width(e->buf[i]);
	if (p->col > 0 && word_char(e->buf[i]) && (i == 0 || !word_char(e->buf[i - 1]))) {
		int ww = 0;
		for (size_t j = i; j < e->len && word_char(e->buf[j]) && ww <= w; j++)
			ww++;
		if (p->col + ww > w && ww <= w) {
			p->row++;
			p->col = 0;
		}
	}
	if (p->col + cw > w) {
		p->row++;
		p->col = 0;
	}
	at = *p;
	p->col += cw;
	return at;
}

static struct vpos locate(const struct editor *e, size_t upto)
{
	struct vpos p = { 0, 0 };
	for (size_t i = 0; i < upto && i < e->len; i++)
		place(e, &p, i);
	/* the cursor on a character stands where that character goes (a word
	 * or a character that does not fit starts the next row) */
	if (upto < e->len) {
		struct vpos q = p;
		return place(e, &q, upto);
	}
	return p;
}

/* The index of the character at (row, col) or the nearest before it. */
static size_t index_at(const struct editor *e, int row, int col)
{
	struct vpos p = { 0, 0 };
	size_t i;
	if (row < 0)
		return 0;
	for (i = 0; i < e->len; i++) {
		int brk = e->buf[i] == '\n';
		int cw = brk ? 0 : form_cp_width(e->buf[i]);
		struct vpos at = place(e, &p, i);
		if (at.row > row || (at.row == row && (brk || at.col + (cw ? cw : 1) > col)))
			return i;
	}
	return e->len;
}

static void editor_release(struct editor *e)
{
	for (size_t i = 0; i < e->ninfo; i++)
		free(e->info[i]);
	free(e->info);
	free(e->title);
	free(e->refuse);
	free(e);
}

static void editor_free(struct view *v)
{
	if (v->priv) /* NULL: finish kept it, to open it again */
		editor_release(v->priv);
}

static const struct view_ops editor_ops;

static const char *editor_hint(struct view *v)
{
	struct editor *e = v->priv;
	if (e->said[0])
		return e->said;
	snprintf(e->hint, sizeof e->hint, "%s%s%s",
		 e->approve ? _("Ctrl-S approve this wording  ") : _("Ctrl-S send  "),
		 e->by_hand ? _("Ctrl-B given by hand  ") : "",
		 _("Enter new line  Esc cancel (nothing is journaled)"));
	return e->hint;
}

static void editor_draw(struct tui *t, struct view *v, struct canvas *c, int top, int rows)
{
	struct editor *e = v->priv;
	int y = top, area, x0 = 1;
	struct vpos cur;
	struct vpos p = { 0, 0 };
	struct strbuf cell = STRBUF_INIT;
	(void)t;
	for (int r = 0; r < rows; r++)
		cv_fill(c, top + r, 0, c->cols, ST_NORMAL);
	cv_fill(c, y, 0, c->cols, ST_TITLE);
	cv_putf(c, y++, 0, c->cols, ST_TITLE, " %s", e->title);
	for (size_t i = 0; i < e->ninfo && y < top + rows - 3; i++)
		cv_put(c, y++, 1, c->cols - 2, ST_BOLD, e->info[i]);
	if (e->refuse && y < top + rows - 3)
		cv_put(c, y++, 1, c->cols - 2, ST_ERR, e->refuse);
	cv_fill(c, y, 0, c->cols, ST_DIM);
	cv_put(c, y++, 1, c->cols - 2, ST_DIM, _("message:"));
	area = top + rows - y;
	if (area < 1)
		return;
	e->width = c->cols - 2;
	cur = locate(e, e->pos);
	if (cur.row < e->top)
		e->top = cur.row;
	if (cur.row >= e->top + area)
		e->top = cur.row - area + 1;
	sb_init(&cell);
	for (size_t i = 0; i < e->len; i++) {
		struct vpos at = place(e, &p, i);
		if (e->buf[i] != '\n' && at.row >= e->top && at.row < e->top + area) {
			sb_reset(&cell);
			form_encode(&e->buf[i], 1, &cell);
			cv_put(c, y + at.row - e->top, x0 + at.col, form_cp_width(e->buf[i]),
			       ST_NORMAL, cell.buf);
		}
	}
	sb_release(&cell);
	cv_cursor(c, y + cur.row - e->top, x0 + cur.col);
}

static void insert(struct editor *e, uint32_t cp)
{
	if (e->len >= TEXT_MAX - 1)
		return;
	memmove(e->buf + e->pos + 1, e->buf + e->pos, (e->len - e->pos) * sizeof *e->buf);
	e->buf[e->pos++] = cp;
	e->len++;
}

static void finish(struct tui *t, struct view *v, int how)
{
	struct editor *e = v->priv;
	struct strbuf sb = STRBUF_INIT;
	struct view *owner = e->owner;
	editor_done_fn done = e->done;
	int tag = e->tag;
	unsigned acts = t->acts;
	sb_init(&sb);
	form_encode(e->buf, e->len, &sb);
	v->priv = NULL; /* kept across done: a refusal opens it again, text and all */
	tui_pop(t);
	if (done)
		done(t, owner, tag, how, sb.buf);
	if (tui_act_refused_since(t, acts, owner)) {
		tui_said_from_status(t, e->said, sizeof e->said);
		tui_push(t, &editor_ops, e, 1);
	} else {
		editor_release(e);
	}
	sb_release(&sb);
}

static int editor_key(struct tui *t, struct view *v, int key)
{
	struct editor *e = v->priv;
	struct vpos p;
	e->said[0] = '\0';
	switch (key) {
	case TK_RESIZE:
		return 0;
	case TK_ESC:
		tui_pop(t);
		tui_status(t, ST_DIM, "%s", _("cancelled: nothing journaled"));
		return 1;
	case TK_CTRL('s'):
	case TK_F2:
		if (e->refuse) {
			snprintf(e->said, sizeof e->said, "%s", e->refuse);
			return 1;
		}
		finish(t, v, EDIT_SEND);
		return 1;
	case TK_CTRL('b'):
		if (e->by_hand)
			finish(t, v, EDIT_BY_HAND);
		return 1;
	case TK_ENTER:
		insert(e, '\n');
		return 1;
	case TK_BACKSPACE:
		if (e->pos > 0) {
			memmove(e->buf + e->pos - 1, e->buf + e->pos, (e->len - e->pos) * sizeof *e->buf);
			e->pos--;
			e->len--;
		}
		return 1;
	case TK_DELETE:
		if (e->pos < e->len) {
			memmove(e->buf + e->pos, e->buf + e->pos + 1,
				(e->len - e->pos - 1) * sizeof *e->buf);
			e->len--;
		}
		return 1;
	case TK_LEFT: if (e->pos > 0) e->pos--; return 1;
	case TK_RIGHT: if (e->pos < e->len) e->pos++; return 1;
	case TK_UP: case TK_DOWN: case TK_PGUP: case TK_PGDN: {
		int step = key == TK_UP ? -1 : key == TK_DOWN ? 1 : key == TK_PGUP ? -10 : 10;
		p = locate(e, e->pos);
		if (p.row + step < 0)
			e->pos = 0;
		else
			e->pos = index_at(e, p.row + step, p.col);
		return 1;
	}
	case TK_HOME: case TK_CTRL('a'):
		p = locate(e, e->pos);
		e->pos = index_at(e, p.row, 0);
		return 1;
	case TK_END: case TK_CTRL('e'):
		p = locate(e, e->pos);
		e->pos = index_at(e, p.row, 1 << 20);
		return 1;
	case TK_TAB:
		insert(e, ' ');
		return 1;
	default:
		break;
	}
	if (form_typable(key))
		insert(e, (uint32_t)key);
	return 1;
}

static const struct view_ops editor_ops = {
	.name = N_("editor"),
	.draw = editor_draw,
	.done = editor_free,
	.key = editor_key,
	.hint = editor_hint,
};

void editor_open(struct tui *t, struct view *owner, const struct editor_spec *spec)
{
	struct editor *e = xcalloc(1, sizeof *e);
	e->owner = owner;
	e->title = xstrdup(spec->title ? spec->title : "");
	e->ninfo = spec->ninfo;
	e->info = xcalloc(e->ninfo ? e->ninfo : 1, sizeof *e->info);
	for (size_t i = 0; i < e->ninfo; i++)
		e->info[i] = xstrdup(spec->info[i] ? spec->info[i] : "");
	e->len = form_decode(spec->text, e->buf, TEXT_MAX - 1);
	e->pos = e->len;
	e->refuse = spec->refuse ? xstrdup(spec->refuse) : NULL;
	e->by_hand = spec->by_hand;
	e->approve = spec->approve;
	e->tag = spec->tag;
	e->done = spec->done;
	e->width = t->cv.cols - 2;
	tui_push(t, &editor_ops, e, 1);
}
