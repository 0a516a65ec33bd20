/* Pagers: a page of text (the help, an entry in full), wrapped at word
 * boundaries (tx_wrap) to the screen's width with continuation lines
 * indented under their text, never split mid-word or mid-character. The
 * driver scrolls them and searches them (/, n, N). */
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

void pager_release(struct pager *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->lines[i]);
	free(p->lines);
	free(p->text);
	p->lines = NULL;
	p->text = NULL;
	p->n = 0;
	p->width = 0;
}

void pager_set(struct pager *p, const char *text)
{
	int help = p->help, indent = p->indent;
	pager_release(p);
	p->help = help;
	p->indent = indent;
	p->text = xstrdup(text ? text : "");
}

struct wrap {
	struct pager *p;
	size_t alloc;
	int indent;
	int first;
	const char *end_first; /* where the first row of a line ended */
};

#define NBSP "\xc2\xa0"

/* A short parenthesis ("(Tab: drill)") is one word for wrapping: its
 * blanks become no-break spaces, given back when the rows are made. */
static char *glue(const char *line)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	for (const char *s = line; *s; s++) {
		const char *close;
		if (*s == '(' && (close = strchr(s, ')')) && close - s <= 24) {
			for (; s < close; s++) {
				if (*s == ' ')
					sb_adds(&sb, NBSP);
				else
					sb_addc(&sb, *s);
			}
		}
		sb_addc(&sb, *s);
	}
	return sb_detach(&sb);
}

static void add_line(struct wrap *w, const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	for (int i = 0; !w->first && i < w->indent; i++)
		sb_addc(&sb, ' ');
	for (size_t i = 0; i < len; i++) {
		if (i + 1 < len && !memcmp(s + i, NBSP, 2)) {
			sb_addc(&sb, ' ');
			i++;
		} else {
			sb_addc(&sb, s[i]);
		}
	}
	w->p->lines = xgrow(w->p->lines, sizeof *w->p->lines, w->p->n + 1, &w->alloc);
	w->p->lines[w->p->n++] = sb_detach(&sb);
}

static void first_row(void *ctx, const char *s, size_t len)
{
	struct wrap *w = ctx;
	if (w->end_first)
		return;
	add_line(w, s, len);
	w->end_first = s + len;
}

static void next_row(void *ctx, const char *s, size_t len)
{
	add_line(ctx, s, len);
}

/* Where a line's text starts: under the help's text column (after the last
 * run of two blanks among the key columns), else two more than its own
 * indentation. */
static int indent_of(const struct pager *p, const char *line, size_t len)
{
	int lead = 0;
	while ((size_t)lead < len && line[lead] == ' ')
		lead++;
	if (p->help && lead > 0) {
		int at = -1;
		for (size_t i = 2; i < len && i < 32; i++)
			if (line[i - 1] == ' ' && line[i - 2] == ' ' && line[i] != ' ')
				at = (int)i;
		if (at > 0)
			return at;
	}
	return lead + 2;
}

void pager_wrap(struct pager *p, int width)
{
	struct wrap w;
	const char *s;
	if (width < 20)
		width = 20;
	for (size_t i = 0; i < p->n; i++)
		free(p->lines[i]);
	free(p->lines);
	p->lines = NULL;
	p->n = 0;
	p->width = width;
	memset(&w, 0, sizeof w);
	w.p = p;
	s = p->text ? p->text : "";
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char *raw = xstrndup(s, len), *line = glue(raw);
		free(raw);
		w.indent = indent_of(p, line, strlen(line));
		if (w.indent > width / 2)
			w.indent = width / 2;
		w.first = 1;
		w.end_first = NULL;
		if (!len) {
			add_line(&w, "", 0);
		} else {
			tx_wrap(line, width, first_row, &w);
			if (w.end_first && *w.end_first) {
				const char *rest = w.end_first;
				while (*rest == ' ')
					rest++;
				w.first = 0;
				if (*rest)
					tx_wrap(rest, width - w.indent, next_row, &w);
			}
		}
		free(line);
		s += len;
		if (*s == '\n')
			s++;
	}
}

void pager_draw_lines(struct tui *t, struct view *v, struct pager *p, struct canvas *c,
		      int top, int rows)
{
	(void)t;
	if (p->width != c->cols - 2)
		pager_wrap(p, c->cols - 2);
	v->lines = (int)p->n;
	tui_scroll_fit(v, rows);
	for (int r = 0; r < rows; r++) {
		size_t i = (size_t)(v->offset + r);
		int st;
		if (i >= p->n)
			break;
		/* headings (a line that does not start with a blank) stand out */
		st = p->help && p->lines[i][0] && p->lines[i][0] != ' ' ? ST_HEAD : ST_NORMAL;
		cv_put(c, top + r, 1, c->cols - 2, st, p->lines[i]);
		if (v->search && tx_match(p->lines[i], v->search) && (int)i == v->offset)
			cv_put(c, top + r, 0, 1, ST_KEY, ">");
	}
	if ((int)p->n > rows) {
		int end = v->offset + rows < (int)p->n ? v->offset + rows : (int)p->n;
		snprintf(v->where, sizeof v->where, "%d-%d/%zu", v->offset + 1, end, p->n);
	} else {
		v->where[0] = '\0';
	}
}

/* ---- the plain pager view ---- */

static void pager_draw(struct tui *t, struct view *v, struct canvas *c, int top, int rows)
{
	pager_draw_lines(t, v, v->priv, c, top, rows);
}

static void pager_row_text(struct view *v, int line, struct strbuf *out)
{
	struct pager *p = v->priv;
	if (line >= 0 && (size_t)line < p->n)
		sb_adds(out, p->lines[line]);
}

static void pager_done(struct view *v)
{
	pager_release(v->priv);
	free(v->priv);
}

static const struct view_ops pager_ops = {
	.name = N_("page"),
	.scope = SCOPE_PAGER,
	.draw = pager_draw,
	.row_text = pager_row_text,
	.done = pager_done,
};

static struct view *pager_new(struct tui *t, const char *title, const char *text, int help)
{
	struct pager *p = xcalloc(1, sizeof *p);
	struct view *v;
	p->help = help;
	p->indent = -1;
	pager_set(p, text);
	pager_wrap(p, t->cv.cols - 2);
	v = tui_push(t, &pager_ops, p, 0);
	v->scroll_only = 1;
	v->lines = (int)p->n;
	snprintf(v->title, sizeof v->title, "%s", title);
	return v;
}

void pager_open(struct tui *t, const char *title, const char *text)
{
	pager_new(t, title, text, 0);
}

void help_open(struct tui *t)
{
	struct strbuf sb = STRBUF_INIT;
	struct view *base = tui_base(t);
	if (base && base->ops == &pager_ops && ((struct pager *)base->priv)->help) {
		tui_status(t, ST_DIM, "%s", _("this is the help: q goes back"));
		return;
	}
	sb_init(&sb);
	tui_help_text(&sb);
	pager_new(t, _("help: every key (q goes back)"), sb.buf, 1);
	sb_release(&sb);
}
