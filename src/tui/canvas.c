/* The canvas the views draw on (screen.h): cells, clipping by display
 * width, and the text dump the screen goldens compare. No curses here. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "screen.h"
#include "sitrep/text.h"

int tui_colour_lookup(const char *name)
{
	static const struct { const char *name; int col; } map[] = {
#define X(id, n) { n, COL_##id },
		TUI_COLOURS(X)
#undef X
		{ "amber", COL_ORANGE }, { "purple", COL_MAGENTA }, { "grey", COL_WHITE },
		{ "gray", COL_WHITE },
	};
	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcasecmp(name, map[i].name))
			return map[i].col;
	return -1;
}

void cv_init(struct canvas *c, int cols, int rows)
{
	memset(c, 0, sizeof *c);
	cv_resize(c, cols, rows);
}

void cv_release(struct canvas *c)
{
	free(c->cells);
	memset(c, 0, sizeof *c);
}

void cv_resize(struct canvas *c, int cols, int rows)
{
	if (cols < 1)
		cols = 1;
	if (rows < 1)
		rows = 1;
	if (cols != c->cols || rows != c->rows) {
		free(c->cells);
		c->cells = xcalloc((size_t)cols * (size_t)rows, sizeof *c->cells);
		c->cols = cols;
		c->rows = rows;
	}
	cv_clear(c);
}

static void blank(struct cell *k, int style)
{
	k->s[0] = '\0';
	k->width = 1;
	k->style = (unsigned char)style;
}

void cv_clear(struct canvas *c)
{
	size_t n = (size_t)c->cols * (size_t)c->rows;
	for (size_t i = 0; i < n; i++)
		blank(&c->cells[i], ST_NORMAL);
	c->cur_y = c->cur_x = -1;
}

static struct cell *at(struct canvas *c, int y, int x)
{
	return &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
}

const struct cell *cv_cell(const struct canvas *c, int y, int x)
{
	if (y < 0 || y >= c->rows || x < 0 || x >= c->cols)
		return NULL;
	return &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
}

/* Before overwriting cell x: a wide character it is half of goes. */
static void unhalve(struct canvas *c, int y, int x)
{
	struct cell *k = at(c, y, x);
	if (k->width == -1 && x > 0)
		blank(at(c, y, x - 1), at(c, y, x - 1)->style);
	else if (k->width == 2 && x + 1 < c->cols)
		blank(at(c, y, x + 1), at(c, y, x + 1)->style);
}

static void set(struct canvas *c, int y, int x, const char *s, size_t len, int w, int style)
{
	struct cell *k;
	unhalve(c, y, x);
	if (w == 2)
		unhalve(c, y, x + 1);
	k = at(c, y, x);
	if (len >= sizeof k->s)
		len = sizeof k->s - 1;
	memcpy(k->s, s, len);
	k->s[len] = '\0';
	k->width = (signed char)w;
	k->style = (unsigned char)style;
	if (w == 2) {
		struct cell *r = at(c, y, x + 1);
		r->s[0] = '\0';
		r->width = -1;
		r->style = (unsigned char)style;
	}
}

/* Append a zero-width mark to the character before x. */
static void attach(struct canvas *c, int y, int x, const char *s, size_t len)
{
	struct cell *k;
	if (x <= 0)
		return;
	k = at(c, y, x - 1);
	if (k->width == -1 && x > 1)
		k = at(c, y, x - 2);
	if (strlen(k->s) + len < sizeof k->s)
		strncat(k->s, s, len);
}

int cv_put(struct canvas *c, int y, int x, int cols, int style, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	int used = 0;
	size_t i = 0;

	if (y < 0 || y >= c->rows || x < 0 || x >= c->cols || cols <= 0 || !s)
		return 0;
	if (x + cols > c->cols)
		cols = c->cols - x;
	sb_init(&sb);
	tx_clip(&sb, s, cols); /* escaped: only printable characters are left */
	while (i < sb.len) {
		uint32_t cp;
		int n = tx_decode(sb.buf + i, sb.len - i, &cp), w;
		if (n <= 0)
			n = 1;
		w = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
		if (w == 0) {
			attach(c, y, x + used, sb.buf + i, (size_t)n);
		} else {
			if (w < 0)
				w = 1;
			if (used + w > cols)
				break;
			set(c, y, x + used, sb.buf + i, (size_t)n, w, style);
			used += w;
		}
		i += (size_t)n;
	}
	sb_release(&sb);
	return used;
}

int cv_putf(struct canvas *c, int y, int x, int cols, int style, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	int used;
	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	used = cv_put(c, y, x, cols, style, sb.buf);
	sb_release(&sb);
	return used;
}

void cv_fill(struct canvas *c, int y, int x, int cols, int style)
{
	if (y < 0 || y >= c->rows || x < 0 || x >= c->cols || cols <= 0)
		return;
	if (x + cols > c->cols)
		cols = c->cols - x;
	for (int i = 0; i < cols; i++) {
		unhalve(c, y, x + i);
		blank(at(c, y, x + i), style);
	}
}

int cv_fit(struct canvas *c, int y, int x, int cols, int style, const char *s)
{
	int used = cv_put(c, y, x, cols, style, s);
	cv_fill(c, y, x + used, cols - used, style);
	return cols;
}

int cv_right(struct canvas *c, int y, int x, int cols, int style, const char *s)
{
	int w = tx_width(s);
	if (w > cols)
		w = cols;
	return cv_put(c, y, x + cols - w, w, style, s);
}

void cv_restyle(struct canvas *c, int y, int x, int cols, int style)
{
	if (y < 0 || y >= c->rows || x < 0 || x >= c->cols || cols <= 0)
		return;
	if (x + cols > c->cols)
		cols = c->cols - x;
	for (int i = 0; i < cols; i++)
		at(c, y, x + i)->style = (unsigned char)style;
}

void cv_cursor(struct canvas *c, int y, int x)
{
	if (y < 0 || y >= c->rows || x < 0 || x >= c->cols) {
		c->cur_y = c->cur_x = -1;
		return;
	}
	c->cur_y = y;
	c->cur_x = x;
}

void cv_row_text(const struct canvas *c, int y, struct strbuf *out)
{
	size_t keep = out->len;
	if (y < 0 || y >= c->rows)
		return;
	for (int x = 0; x < c->cols; x++) {
		const struct cell *k = &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
		if (k->width == -1)
			continue;
		if (k->s[0] && strcmp(k->s, " ") != 0) {
			sb_adds(out, k->s);
			keep = out->len;
		} else {
			sb_addc(out, ' ');
		}
	}
	out->len = keep; /* trailing blanks go */
	out->buf[keep] = '\0';
}

void cv_dump(const struct canvas *c, struct strbuf *out)
{
	for (int y = 0; y < c->rows; y++) {
		cv_row_text(c, y, out);
		sb_addc(out, '\n');
	}
}
