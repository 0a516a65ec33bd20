/* Forms: one or more one-line fields over the view that opened them.
 * Enter confirms (on a field that is not the last: the next field), Esc
 * cancels and calls nothing, so nothing is journaled. The text is kept as
 * code points, measured with the one width function, and scrolled so the
 * cursor stays visible: Chinese edits as well as English. The typed text
 * lives here, untouched by the reloads of the views below: a refresh from
 * another console never loses a half-typed form. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "tui_int.h"

#define FIELD_MAX 1000

struct field {
	char *label;
	uint32_t buf[FIELD_MAX];
	size_t len, pos;
	int optional;
	char **comp;           /* completions (owned copies) */
	size_t ncomp;
};

struct form {
	struct view *owner;
	char *title;
	struct field f[FORM_FIELDS_MAX];
	size_t n, cur;
	char *toggle;
	int toggle_on;
	int tag;
	form_done_fn done;
	form_check_fn check;
	char hint[600];
	char said[512];        /* a message of the form's own (empty field ...) */
};

int form_cp_width(uint32_t cp)
{
	int w;
	if (cp < 0x80)
		return 1;
	w = tx_is_unsafe(cp) ? 4 : wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

void form_encode(const uint32_t *cps, size_t n, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t c = cps[i];
		char b[4];
		if (c < 0x80) {
			sb_addc(out, (char)c);
		} else if (c < 0x800) {
			b[0] = (char)(0xc0 | (c >> 6));
			b[1] = (char)(0x80 | (c & 0x3f));
			sb_add(out, b, 2);
		} else if (c < 0x10000) {
			b[0] = (char)(0xe0 | (c >> 12));
			b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
			b[2] = (char)(0x80 | (c & 0x3f));
			sb_add(out, b, 3);
		} else {
			b[0] = (char)(0xf0 | (c >> 18));
			b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
			b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
			b[3] = (char)(0x80 | (c & 0x3f));
			sb_add(out, b, 4);
		}
	}
}

size_t form_decode(const char *s, uint32_t *out, size_t max)
{
	size_t n = 0, left = s ? strlen(s) : 0;
	while (left && n < max) {
		uint32_t cp;
		int k = tx_decode(s, left, &cp);
		if (k <= 0) {
			s++;
			left--;
			continue;
		}
		if (!tx_is_unsafe(cp) || cp == '\n')
			out[n++] = cp;
		s += k;
		left -= (size_t)k;
	}
	return n;
}

int form_typable(int key)
{
	if (key < 0x20 || key >= TK_BASE || key == 0x7f)
		return 0;
	if (tx_is_unsafe((uint32_t)key))
		return 0;
	return iswprint((wint_t)key) || key >= 0x80;
}

static void form_release(struct form *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->f[i].label);
		for (size_t k = 0; k < f->f[i].ncomp; k++)
			free(f->f[i].comp[k]);
		free(f->f[i].comp);
	}
	free(f->title);
	free(f->toggle);
	free(f);
}

static void form_free(struct view *v)
{
	if (v->priv) /* NULL: confirm kept it, to open it again */
		form_release(v->priv);
}

static void draw_field(struct canvas *c, int y, int lw, struct field *fl, int active)
{
	int avail, wpos = 0, x;
	size_t start = 0;
	struct strbuf sb = STRBUF_INIT;
	cv_fill(c, y, 0, c->cols, ST_NORMAL);
	x = 0;
	if (lw > 0) {
		cv_put(c, y, 1, lw, active ? ST_FORM : ST_NORMAL, fl->label);
		x = lw + 1;
	}
	x += cv_put(c, y, x, 3, ST_FORM, active ? " > " : "   ");
	avail = c->cols - x - 1;
	if (avail < 4)
		return;
	for (size_t i = 0; i < fl->pos; i++)
		wpos += form_cp_width(fl->buf[i]);
	while (wpos >= avail && start < fl->pos) {
		wpos -= form_cp_width(fl->buf[start]);
		start++;
	}
	sb_init(&sb);
	form_encode(fl->buf + start, fl->len - start, &sb);
	cv_put(c, y, x, avail, ST_NORMAL, sb.buf);
	sb_release(&sb);
	if (active)
		cv_cursor(c, y, x + wpos);
}

static void form_draw(struct tui *t, struct view *v, struct canvas *c, int top, int rows)
{
	struct form *f = v->priv;
	int need = 1 + (int)f->n, y, lw = 0;
	(void)t;
	if (rows < need)
		return;
	y = top + rows - need;
	cv_fill(c, y, 0, c->cols, ST_TITLE);
	cv_putf(c, y, 0, c->cols, ST_TITLE, " %s", f->title);
	for (size_t i = 0; i < f->n; i++) {
		int w = tx_width(f->f[i].label);
		if (w > lw)
			lw = w;
	}
	if (lw > c->cols / 3)
		lw = c->cols / 3;
	for (size_t i = 0; i < f->n; i++)
		draw_field(c, y + 1 + (int)i, lw, &f->f[i], i == f->cur);
}

static const char *form_hint(struct view *v)
{
	struct form *f = v->priv;
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	if (f->said[0]) {
		sb_adds(&sb, f->said);
	} else {
		if (f->toggle) {
			tui_check_label(f->toggle_on, f->toggle, "Tab", &sb);
			sb_adds(&sb, "  ");
		}
		if (f->n > 1)
			/* whole at 80 columns with what follows */
			sb_adds(&sb, _("Enter next, the last confirms  Up/Down move  "));
		else
			sb_adds(&sb, _("Enter confirm  "));
		sb_adds(&sb, _("Esc cancel (nothing is journaled)"));
		if (f->f[f->cur].ncomp)
			sb_addf(&sb, "  %s", _("Tab completes the name"));
	}
	snprintf(f->hint, sizeof f->hint, "%s", sb.buf);
	sb_release(&sb);
	return f->hint;
}

static void complete(struct form *f, struct field *fl)
{
	size_t end = 0, nmatch = 0, first = 0, common = 0;
	struct strbuf word = STRBUF_INIT, rep = STRBUF_INIT;
	uint32_t wrep[FIELD_MAX];
	size_t nrep, tail;

	while (end < fl->len && fl->buf[end] != ' ' && fl->buf[end] != '=')
		end++;
	if (fl->pos > end) {
		snprintf(f->said, sizeof f->said, "%s", _("Tab completes the first word (the name)"));
		return;
	}
	sb_init(&word);
	form_encode(fl->buf, end, &word);
	for (size_t i = 0; i < fl->ncomp; i++) {
		if (strncmp(fl->comp[i], word.buf, word.len) != 0)
			continue;
		if (nmatch == 0) {
			first = i;
			common = strlen(fl->comp[i]);
		} else {
			size_t k = 0;
			while (k < common && fl->comp[i][k] == fl->comp[first][k])
				k++;
			common = k;
		}
		nmatch++;
	}
	if (nmatch == 0) {
		snprintf(f->said, sizeof f->said, _("no name starts with '%s'"), word.buf);
		sb_release(&word);
		return;
	}
	sb_init(&rep);
	sb_add(&rep, fl->comp[first], common);
	if (nmatch == 1 && end == fl->len)
		sb_addc(&rep, ' ');
	nrep = form_decode(rep.buf, wrep, FIELD_MAX);
	tail = fl->len - end;
	if (nrep + tail < FIELD_MAX) {
		memmove(fl->buf + nrep, fl->buf + end, tail * sizeof *fl->buf);
		memcpy(fl->buf, wrep, nrep * sizeof *fl->buf);
		fl->len = nrep + tail;
		fl->pos = nrep;
	}
	if (nmatch > 1) {
		struct strbuf h = STRBUF_INIT;
		sb_init(&h);
		for (size_t i = 0; i < fl->ncomp; i++)
			if (!strncmp(fl->comp[i], word.buf, word.len))
				sb_addf(&h, "%s%s", h.len ? "  " : "", fl->comp[i]);
		snprintf(f->said, sizeof f->said, "%s", h.buf);
		sb_release(&h);
	}
	sb_release(&rep);
	sb_release(&word);
}

static char *field_text(const struct field *fl)
{
	struct strbuf sb = STRBUF_INIT;
	size_t s = 0, e;
	char *out;
	sb_init(&sb);
	form_encode(fl->buf, fl->len, &sb);
	/* surrounding blanks are not part of a reason */
	e = sb.len;
	while (s < e && sb.buf[s] == ' ')
		s++;
	while (e > s && sb.buf[e - 1] == ' ')
		e--;
	out = xstrndup(sb.buf + s, e - s);
	sb_release(&sb);
	return out;
}

static const struct view_ops form_ops;

static void confirm(struct tui *t, struct view *v, struct form *f)
{
	char *values[FORM_FIELDS_MAX] = { NULL };
	struct view *owner = f->owner;
	form_done_fn done = f->done;
	int tag = f->tag, on = f->toggle_on;
	size_t n = f->n;
	for (size_t i = 0; i < n; i++) {
		values[i] = field_text(&f->f[i]);
		if (!values[i][0] && !f->f[i].optional) {
			snprintf(f->said, sizeof f->said, "%s",
				 _("this cannot be empty: type it, or Esc to cancel"));
			f->cur = i;
			for (size_t k = 0; k <= i; k++)
				free(values[k]);
			return;
		}
	}
	if (f->check) {
		char msg[sizeof f->said];
		msg[0] = '\0';
		int bad = f->check(t, owner, tag, (const char *const *)values, msg, sizeof msg);
		if (bad != 0) {
			/* said in the form, which keeps what was typed */
			snprintf(f->said, sizeof f->said, "%s", msg);
			if (bad > 0 && (size_t)bad <= n)
				f->cur = (size_t)bad - 1;
			for (size_t i = 0; i < n; i++)
				free(values[i]);
			return;
		}
	}
	{
		unsigned acts = t->acts;
		v->priv = NULL; /* kept across done: it may open again */
		tui_pop(t);
		if (done)
			done(t, owner, tag, (const char *const *)values, on);
		if (tui_act_refused_since(t, acts, owner)) {
			tui_said_from_status(t, f->said, sizeof f->said);
			tui_push(t, &form_ops, f, 1);
		} else {
			form_release(f);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(values[i]);
}

static int form_key(struct tui *t, struct view *v, int key)
{
	struct form *f = v->priv;
	struct field *fl = &f->f[f->cur];
	if (key == TK_RESIZE)
		return 0;
	f->said[0] = '\0';
	if (key == TK_ENTER) {
		if (f->cur + 1 < f->n) {
			char *text = field_text(fl);
			if (!text[0] && !fl->optional)
				snprintf(f->said, sizeof f->said, "%s",
					 _("this cannot be empty: type it, or Esc to cancel"));
			else
				f->cur++;
			free(text);
			return 1;
		}
		confirm(t, v, f);
		return 1;
	}
	if (key == TK_ESC) {
		tui_pop(t);
		tui_status(t, ST_DIM, "%s", _("cancelled: nothing journaled"));
		return 1;
	}
	switch (key) {
	case TK_BACKSPACE:
		if (fl->pos > 0) {
			memmove(fl->buf + fl->pos - 1, fl->buf + fl->pos,
				(fl->len - fl->pos) * sizeof *fl->buf);
			fl->pos--;
			fl->len--;
		}
		return 1;
	case TK_DELETE:
		if (fl->pos < fl->len) {
			memmove(fl->buf + fl->pos, fl->buf + fl->pos + 1,
				(fl->len - fl->pos - 1) * sizeof *fl->buf);
			fl->len--;
		}
		return 1;
	case TK_LEFT: if (fl->pos > 0) fl->pos--; return 1;
	case TK_RIGHT: if (fl->pos < fl->len) fl->pos++; return 1;
	case TK_HOME: case TK_CTRL('a'): fl->pos = 0; return 1;
	case TK_END: case TK_CTRL('e'): fl->pos = fl->len; return 1;
	case TK_CTRL('u'): fl->len = fl->pos = 0; return 1;
	case TK_UP: case TK_BTAB:
		if (f->cur > 0)
			f->cur--;
		return 1;
	case TK_DOWN:
		if (f->cur + 1 < f->n)
			f->cur++;
		return 1;
	case TK_TAB:
		if (fl->ncomp)
			complete(f, fl);
		else if (f->toggle)
			f->toggle_on = !f->toggle_on;
		else if (f->cur + 1 < f->n)
			f->cur++;
		return 1;
	case TK_CTRL('d'):
		if (f->toggle)
			f->toggle_on = !f->toggle_on;
		return 1;
	default:
		break;
	}
	if (!form_typable(key))
		return 1; /* no control characters in the journal's text */
	if (fl->len < FIELD_MAX - 1) {
		memmove(fl->buf + fl->pos + 1, fl->buf + fl->pos, (fl->len - fl->pos) * sizeof *fl->buf);
		fl->buf[fl->pos++] = (uint32_t)key;
		fl->len++;
	}
	return 1;
}

static const struct view_ops form_ops = {
	.name = N_("form"),
	.draw = form_draw,
	.done = form_free,
	.key = form_key,
	.hint = form_hint,
};

void form_open(struct tui *t, struct view *owner, const struct form_spec *spec)
{
	struct form *f = xcalloc(1, sizeof *f);
	f->owner = owner;
	f->title = xstrdup(spec->title ? spec->title : "");
	f->n = spec->nfields > FORM_FIELDS_MAX ? FORM_FIELDS_MAX : spec->nfields;
	if (f->n == 0)
		f->n = 1;
	for (size_t i = 0; i < f->n && i < spec->nfields; i++) {
		const struct form_field *sf = &spec->fields[i];
		struct field *fl = &f->f[i];
		fl->label = xstrdup(sf->label ? sf->label : "");
		fl->optional = sf->optional;
		if (sf->initial) {
			fl->len = form_decode(sf->initial, fl->buf, FIELD_MAX - 1);
			fl->pos = fl->len;
		}
		if (sf->ncompletions) {
			fl->comp = xcalloc(sf->ncompletions, sizeof *fl->comp);
			for (size_t k = 0; k < sf->ncompletions; k++)
				fl->comp[k] = xstrdup(sf->completions[k]);
			fl->ncomp = sf->ncompletions;
		}
	}
	if (!f->f[0].label)
		f->f[0].label = xstrdup("");
	if (spec->toggle) {
		f->toggle = xstrdup(spec->toggle);
		f->toggle_on = !!spec->toggle_on;
	}
	f->tag = spec->tag;
	f->done = spec->done;
	f->check = spec->check;
	tui_push(t, &form_ops, f, 1);
}

void form_ask(struct tui *t, struct view *owner, int tag, const char *prompt,
	      const char *initial, int optional, form_done_fn done)
{
	struct form_field fl = { "", initial, optional, NULL, 0 };
	struct form_spec fs = { prompt, &fl, 1, NULL, 0, tag, done, NULL };
	form_open(t, owner, &fs);
}
