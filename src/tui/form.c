/* Forms (one line of text) and pickers (choose one of a list, typing
 * filters), drawn over the view that opened them. Enter confirms, Esc
 * cancels and calls nothing, so nothing is journaled. The typed text lives
 * here, untouched by the reloads of the views below: a refresh from another
 * console never loses a half-typed form. */
#include "tui_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#define FORM_MAX 1000

static int is_enter(wint_t ch, int is_code)
{
	return is_code ? ch == KEY_ENTER : (ch == '\n' || ch == '\r');
}

static int is_backspace(wint_t ch, int is_code)
{
	return is_code ? ch == KEY_BACKSPACE : (ch == 127 || ch == 8);
}

static void wide_to_utf8(const wchar_t *w, size_t n, struct strbuf *out)
{
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	char tmp[MB_LEN_MAX > 8 ? MB_LEN_MAX : 8];
	for (size_t i = 0; i < n; i++) {
		size_t k = wcrtomb(tmp, w[i], &ps);
		if (k == (size_t)-1) {
			sb_addc(out, '?');
			memset(&ps, 0, sizeof ps);
		} else {
			sb_add(out, tmp, k);
		}
	}
}

static void utf8_to_wide(const char *s, wchar_t *w, size_t max, size_t *n)
{
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	size_t left = strlen(s);
	*n = 0;
	while (left && *n < max) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, left, &ps);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			wc = L'?';
			k = 1;
			memset(&ps, 0, sizeof ps);
		}
		w[(*n)++] = wc;
		s += k;
		left -= k;
	}
}

/* Columns a wide character takes in the form (controls cannot be typed). */
static int wcols(wchar_t c)
{
	int w = wcwidth(c);
	return w < 0 ? 1 : w;
}

/* ---------------------------------------------------------------- forms */

struct form {
	struct view *owner;
	char *prompt;
	wchar_t buf[FORM_MAX];
	size_t len, pos;
	int allow_empty;
	char **comp;                 /* completions (owned copies) */
	size_t ncomp;
	int tag;
	form_done_fn done;
	char *toggle;                /* check box label, or NULL */
	int toggle_on;
	form_toggle_fn done_toggle;
	char hint[512];
};

static void form_free(struct view *v)
{
	struct form *f = v->priv;
	free(f->prompt);
	free(f->toggle);
	for (size_t i = 0; i < f->ncomp; i++)
		free(f->comp[i]);
	free(f->comp);
	free(f);
}

/* The three rows at the bottom of the body: the prompt, the input, a hint. */
static void form_draw(struct tui *t, struct view *v, int top, int rows)
{
	struct form *f = v->priv;
	if (rows < 3)
		return;
	int y = top + rows - 3;
	tui_fill(t, y, 0, COLS, ST_TITLE);
	tui_putf(t, y, 0, COLS, ST_TITLE, " %s", f->prompt);
	tui_fill(t, y + 1, 0, COLS, ST_NORMAL);
	tui_put(t, y + 1, 0, 3, ST_FORM, " > ", 0);
	/* Scroll the text so the cursor stays visible. */
	int avail = COLS - 4;
	size_t start = 0;
	int wpos = 0;
	for (size_t i = 0; i < f->pos; i++)
		wpos += wcols(f->buf[i]);
	while (wpos >= avail && start < f->pos) {
		wpos -= wcols(f->buf[start]);
		start++;
	}
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	wide_to_utf8(f->buf + start, f->len - start, &sb);
	tui_put(t, y + 1, 3, avail, ST_NORMAL, sb.buf, 0);
	sb_release(&sb);
	const char *hint = f->hint[0] ? f->hint
		: f->ncomp ? "Enter confirm  Esc cancel  Tab complete the name"
			   : "Enter confirm  Esc cancel (nothing is journaled)";
	if (f->toggle) {
		struct strbuf h = STRBUF_INIT;
		sb_init(&h);
		tui_check_label(f->toggle_on, f->toggle, "Tab", &h);
		int used = tui_put(t, y + 2, 0, COLS, f->toggle_on ? ST_DRILL : ST_FORM, h.buf, 0);
		tui_fill(t, y + 2, used, COLS - used, ST_DIM);
		if (used + 2 < COLS)
			tui_put(t, y + 2, used + 2, COLS - used - 2, ST_DIM, hint, 1);
		sb_release(&h);
	} else {
		tui_put(t, y + 2, 0, COLS, ST_DIM, hint, 1);
	}
	t->cursor_y = y + 1;
	t->cursor_x = 3 + wpos;
}

static void form_complete(struct form *f)
{
	/* The first word: up to a space or '='. */
	size_t end = 0;
	while (end < f->len && f->buf[end] != L' ' && f->buf[end] != L'=')
		end++;
	if (f->pos > end) {
		snprintf(f->hint, sizeof f->hint, "Tab completes the first word (the name)");
		return;
	}
	struct strbuf word = STRBUF_INIT;
	sb_init(&word);
	wide_to_utf8(f->buf, end, &word);
	size_t nmatch = 0, first = 0, common = 0;
	for (size_t i = 0; i < f->ncomp; i++) {
		if (strncmp(f->comp[i], word.buf, word.len) != 0)
			continue;
		if (nmatch == 0) {
			first = i;
			common = strlen(f->comp[i]);
		} else {
			size_t k = 0;
			while (k < common && f->comp[i][k] == f->comp[first][k])
				k++;
			common = k;
		}
		nmatch++;
	}
	if (nmatch == 0) {
		snprintf(f->hint, sizeof f->hint, "no name starts with '%s'", word.buf);
		sb_release(&word);
		return;
	}
	/* Replace the word by the common prefix (the whole name when one). */
	struct strbuf rep = STRBUF_INIT;
	sb_init(&rep);
	sb_add(&rep, f->comp[first], common);
	if (nmatch == 1 && (end == f->len))
		sb_addc(&rep, ' ');
	wchar_t wrep[FORM_MAX];
	size_t nrep;
	utf8_to_wide(rep.buf, wrep, FORM_MAX, &nrep);
	size_t tail = f->len - end;
	if (nrep + tail <= FORM_MAX) {
		memmove(f->buf + nrep, f->buf + end, tail * sizeof(wchar_t));
		memcpy(f->buf, wrep, nrep * sizeof(wchar_t));
		f->len = nrep + tail;
		f->pos = nrep;
	}
	if (nmatch > 1) {
		struct strbuf h = STRBUF_INIT;
		sb_init(&h);
		for (size_t i = 0; i < f->ncomp; i++)
			if (!strncmp(f->comp[i], word.buf, word.len))
				sb_addf(&h, "%s%s", h.len ? "  " : "", f->comp[i]);
		snprintf(f->hint, sizeof f->hint, "%s", h.buf);
		sb_release(&h);
	} else {
		f->hint[0] = '\0';
	}
	sb_release(&rep);
	sb_release(&word);
}

static int form_key(struct tui *t, struct view *v, wint_t ch, int is_code)
{
	struct form *f = v->priv;
	if (is_enter(ch, is_code)) {
		struct strbuf text = STRBUF_INIT;
		sb_init(&text);
		wide_to_utf8(f->buf, f->len, &text);
		/* Surrounding blanks are not part of a reason. */
		size_t s = 0, e = text.len;
		while (s < e && text.buf[s] == ' ')
			s++;
		while (e > s && text.buf[e - 1] == ' ')
			e--;
		if (s == e && !f->allow_empty) {
			snprintf(f->hint, sizeof f->hint,
				 "this cannot be empty: type it, or Esc to cancel");
			sb_release(&text);
			return 1;
		}
		char *value = xstrndup(text.buf + s, e - s);
		sb_release(&text);
		struct view *owner = f->owner;
		form_done_fn done = f->done;
		form_toggle_fn done_toggle = f->toggle ? f->done_toggle : NULL;
		int tag = f->tag, on = f->toggle_on;
		tui_pop(t); /* frees f */
		if (done_toggle)
			done_toggle(t, owner, tag, value, on);
		else if (done)
			done(t, owner, tag, value);
		free(value);
		return 1;
	}
	if (!is_code && ch == 27) {
		tui_pop(t);
		tui_status(t, ST_DIM, "cancelled: nothing journaled");
		return 1;
	}
	f->hint[0] = '\0';
	if (is_backspace(ch, is_code)) {
		if (f->pos > 0) {
			memmove(f->buf + f->pos - 1, f->buf + f->pos,
				(f->len - f->pos) * sizeof(wchar_t));
			f->pos--;
			f->len--;
		}
		return 1;
	}
	if (is_code) {
		switch (ch) {
		case KEY_DC:
			if (f->pos < f->len) {
				memmove(f->buf + f->pos, f->buf + f->pos + 1,
					(f->len - f->pos - 1) * sizeof(wchar_t));
				f->len--;
			}
			break;
		case KEY_LEFT: if (f->pos > 0) f->pos--; break;
		case KEY_RIGHT: if (f->pos < f->len) f->pos++; break;
		case KEY_HOME: f->pos = 0; break;
		case KEY_END: f->pos = f->len; break;
		case KEY_RESIZE: return 0;
		default: break;
		}
		return 1;
	}
	switch (ch) {
	case 1: f->pos = 0; return 1;                   /* Ctrl-A */
	case 5: f->pos = f->len; return 1;              /* Ctrl-E */
	case 21: f->len = f->pos = 0; return 1;         /* Ctrl-U */
	case '\t':
		if (f->ncomp)
			form_complete(f);
		else if (f->toggle)
			f->toggle_on = !f->toggle_on;
		return 1;
	case 4:                                         /* Ctrl-D */
		if (f->toggle)
			f->toggle_on = !f->toggle_on;
		return 1;
	default: break;
	}
	if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0) || !iswprint(ch))
		return 1; /* no control characters in the journal's text */
	if (f->len < FORM_MAX - 1) {
		memmove(f->buf + f->pos + 1, f->buf + f->pos, (f->len - f->pos) * sizeof(wchar_t));
		f->buf[f->pos++] = (wchar_t)ch;
		f->len++;
	}
	return 1;
}

static const struct view_ops form_ops = {
	.name = "form",
	.scope = SCOPE_FORM,
	.draw = form_draw,
	.done = form_free,
	.key = form_key,
};

void form_open(struct tui *t, struct view *owner, const struct form_spec *spec)
{
	struct form *f = xcalloc(1, sizeof *f);
	f->owner = owner;
	f->prompt = xstrdup(spec->prompt ? spec->prompt : "");
	f->allow_empty = spec->allow_empty;
	f->tag = spec->tag;
	f->done = spec->done;
	if (spec->toggle) {
		f->toggle = xstrdup(spec->toggle);
		f->toggle_on = !!spec->toggle_on;
		f->done_toggle = spec->done_toggle;
	}
	if (spec->initial) {
		utf8_to_wide(spec->initial, f->buf, FORM_MAX - 1, &f->len);
		f->pos = f->len;
	}
	if (spec->ncompletions) {
		f->comp = xcalloc(spec->ncompletions, sizeof *f->comp);
		for (size_t i = 0; i < spec->ncompletions; i++)
			f->comp[i] = xstrdup(spec->completions[i]);
		f->ncomp = spec->ncompletions;
	}
	tui_push(t, &form_ops, f, 1);
}

/* -------------------------------------------------------------- pickers */

struct picker {
	struct view *owner;
	char *title;
	char **ids, **labels;
	size_t n;
	size_t *shown, nshown;
	wchar_t filter[128];
	size_t flen;
	int tag;
	picker_done_fn done;
};

static void picker_free(struct view *v)
{
	struct picker *p = v->priv;
	for (size_t i = 0; i < p->n; i++) {
		free(p->ids[i]);
		free(p->labels[i]);
	}
	free(p->ids);
	free(p->labels);
	free(p->shown);
	free(p->title);
	free(p);
}

static void picker_filter(struct view *v)
{
	struct picker *p = v->priv;
	struct strbuf f = STRBUF_INIT;
	sb_init(&f);
	wide_to_utf8(p->filter, p->flen, &f);
	p->nshown = 0;
	for (size_t i = 0; i < p->n; i++)
		if (tui_match(p->labels[i], f.buf) || tui_match(p->ids[i], f.buf))
			p->shown[p->nshown++] = i;
	sb_release(&f);
	v->lines = (int)p->nshown;
	if (v->cursor >= v->lines)
		v->cursor = v->lines - 1;
	if (v->cursor < 0)
		v->cursor = 0;
}

static void picker_draw(struct tui *t, struct view *v, int top, int rows)
{
	struct picker *p = v->priv;
	int w = COLS - 8;
	if (w > 76)
		w = 76;
	int list_rows = (int)p->nshown;
	if (list_rows < 1)
		list_rows = 1;
	if (list_rows > rows - 5)
		list_rows = rows - 5;
	if (list_rows < 1)
		return;
	int h = list_rows + 4, x = (COLS - w) / 2, y = top + (rows - h) / 2;
	tui_scroll_fit(v, list_rows);
	/* Frame */
	tui_fill(t, y, x, w, ST_TITLE);
	tui_putf(t, y, x, w, ST_TITLE, " %s", p->title);
	struct strbuf f = STRBUF_INIT;
	sb_init(&f);
	wide_to_utf8(p->filter, p->flen, &f);
	tui_fill(t, y + 1, x, w, ST_NORMAL);
	tui_put(t, y + 1, x, 1, ST_TITLE, " ", 0);
	int fx = tui_putf(t, y + 1, x + 2, w - 4, ST_FORM, "filter: %s", f.buf);
	tui_put(t, y + 1, x + w - 1, 1, ST_TITLE, " ", 0);
	for (int r = 0; r < list_rows; r++) {
		int row = y + 2 + r, idx = v->offset + r;
		tui_fill(t, row, x, w, ST_NORMAL);
		tui_put(t, row, x, 1, ST_TITLE, " ", 0);
		tui_put(t, row, x + w - 1, 1, ST_TITLE, " ", 0);
		if (p->nshown == 0 && r == 0) {
			tui_put(t, row, x + 2, w - 4, ST_DIM, "nothing matches", 0);
			continue;
		}
		if (idx >= (int)p->nshown)
			continue;
		int st = idx == v->cursor ? ST_SEL : ST_NORMAL;
		tui_put(t, row, x + 1, w - 2, st, p->labels[p->shown[idx]], 1);
	}
	tui_fill(t, y + 2 + list_rows, x, w, ST_TITLE);
	tui_put(t, y + 2 + list_rows, x + 1, w - 2, ST_TITLE,
		"Up/Down move  type to filter  Enter choose  Esc cancel", 0);
	tui_fill(t, y + 3 + list_rows, x, w, ST_NORMAL);
	t->cursor_y = y + 1;
	t->cursor_x = x + 2 + fx;
	sb_release(&f);
}

static int picker_key(struct tui *t, struct view *v, wint_t ch, int is_code)
{
	struct picker *p = v->priv;
	if (is_enter(ch, is_code)) {
		if (p->nshown == 0)
			return 1;
		size_t idx = p->shown[v->cursor];
		char *id = xstrdup(p->ids[idx]);
		struct view *owner = p->owner;
		picker_done_fn done = p->done;
		int tag = p->tag;
		tui_pop(t);
		if (done)
			done(t, owner, tag, idx, id);
		free(id);
		return 1;
	}
	if (!is_code && ch == 27) {
		tui_pop(t);
		tui_status(t, ST_DIM, "cancelled: nothing journaled");
		return 1;
	}
	if (is_backspace(ch, is_code)) {
		if (p->flen)
			p->flen--;
		picker_filter(v);
		return 1;
	}
	if (is_code) {
		int page = v->height > 1 ? v->height - 1 : 1;
		switch (ch) {
		case KEY_UP: v->cursor--; break;
		case KEY_DOWN: v->cursor++; break;
		case KEY_PPAGE: v->cursor -= page; break;
		case KEY_NPAGE: v->cursor += page; break;
		case KEY_HOME: v->cursor = 0; break;
		case KEY_END: v->cursor = v->lines - 1; break;
		case KEY_RESIZE: return 0;
		default: break;
		}
		if (v->cursor >= v->lines)
			v->cursor = v->lines - 1;
		if (v->cursor < 0)
			v->cursor = 0;
		return 1;
	}
	if (ch == 21) { /* Ctrl-U */
		p->flen = 0;
		picker_filter(v);
		return 1;
	}
	if (ch < 0x20 || ch == 0x7f || !iswprint(ch))
		return 1;
	if (p->flen < sizeof p->filter / sizeof p->filter[0] - 1) {
		p->filter[p->flen++] = (wchar_t)ch;
		v->cursor = 0;
		picker_filter(v);
	}
	return 1;
}

static const struct view_ops picker_ops = {
	.name = "picker",
	.scope = SCOPE_FORM,
	.draw = picker_draw,
	.done = picker_free,
	.key = picker_key,
};

void picker_open(struct tui *t, struct view *owner, const char *title,
		 const char *const *ids, const char *const *labels, size_t n, int tag,
		 picker_done_fn done)
{
	struct picker *p = xcalloc(1, sizeof *p);
	p->owner = owner;
	p->title = xstrdup(title);
	p->n = n;
	p->ids = xcalloc(n ? n : 1, sizeof *p->ids);
	p->labels = xcalloc(n ? n : 1, sizeof *p->labels);
	p->shown = xcalloc(n ? n : 1, sizeof *p->shown);
	for (size_t i = 0; i < n; i++) {
		p->ids[i] = xstrdup(ids[i]);
		p->labels[i] = xstrdup(labels[i]);
	}
	p->tag = tag;
	p->done = done;
	struct view *v = tui_push(t, &picker_ops, p, 1);
	picker_filter(v);
}
