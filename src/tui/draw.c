/* Drawing helpers: styles (colour or monochrome), badges, and text that is
 * escaped and measured before it reaches the terminal. */
#include "tui_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Colour pairs. */
enum {
	P_RED = 1, P_GREEN, P_YELLOW, P_BLUE, P_CYAN, P_MAGENTA,
	P_B_RED, P_B_ORANGE, P_B_YELLOW, P_B_BLUE, P_B_GREEN, P_B_CYAN, P_B_MAGENTA,
	P_B_WHITE, P_TITLE
};

static int init_pair_checked(short pair, short fg, short bg)
{
	return init_pair(pair, fg, bg) == ERR ? -1 : 0;
}

void tui_styles_init(struct tui *t)
{
	const char *nc = getenv("NO_COLOR");
	t->mono = (nc && *nc) || !has_colors();
	if (!t->mono && start_color() == ERR)
		t->mono = 1;
	short bg = COLOR_BLACK;
	if (!t->mono && use_default_colors() == OK)
		bg = -1;
	if (!t->mono) {
		short orange = COLORS >= 256 ? 208 : COLOR_YELLOW;
		int bad = 0;
		bad |= init_pair_checked(P_RED, COLOR_RED, bg);
		bad |= init_pair_checked(P_GREEN, COLOR_GREEN, bg);
		bad |= init_pair_checked(P_YELLOW, COLOR_YELLOW, bg);
		bad |= init_pair_checked(P_BLUE, COLOR_BLUE, bg);
		bad |= init_pair_checked(P_CYAN, COLOR_CYAN, bg);
		bad |= init_pair_checked(P_MAGENTA, COLOR_MAGENTA, bg);
		bad |= init_pair_checked(P_B_RED, COLOR_WHITE, COLOR_RED);
		bad |= init_pair_checked(P_B_ORANGE, COLOR_BLACK, orange);
		bad |= init_pair_checked(P_B_YELLOW, COLOR_BLACK, COLOR_YELLOW);
		bad |= init_pair_checked(P_B_BLUE, COLOR_WHITE, COLOR_BLUE);
		bad |= init_pair_checked(P_B_GREEN, COLOR_BLACK, COLOR_GREEN);
		bad |= init_pair_checked(P_B_CYAN, COLOR_BLACK, COLOR_CYAN);
		bad |= init_pair_checked(P_B_MAGENTA, COLOR_WHITE, COLOR_MAGENTA);
		bad |= init_pair_checked(P_B_WHITE, COLOR_BLACK, COLOR_WHITE);
		bad |= init_pair_checked(P_TITLE, COLOR_BLACK, COLOR_CYAN);
		if (bad)
			t->mono = 1;
	}
	attr_t *s = t->style;
	s[ST_NORMAL] = A_NORMAL;
	s[ST_SEL] = A_REVERSE;
	s[ST_BOLD] = A_BOLD;
	s[ST_DIM] = A_DIM;
	s[ST_HEAD] = A_BOLD | A_UNDERLINE;
	s[ST_FORM] = A_BOLD;
	if (t->mono) {
		s[ST_TITLE] = A_REVERSE;
		s[ST_OK] = A_BOLD;
		s[ST_ERR] = A_BOLD | A_REVERSE;
		s[ST_SOON] = A_BOLD | A_UNDERLINE;
		s[ST_OVERDUE] = A_BOLD | A_REVERSE;
		s[ST_MET] = A_NORMAL;
		s[ST_UNMET] = A_BOLD;
		s[ST_DRILL] = A_REVERSE | A_BOLD;
	} else {
		s[ST_TITLE] = COLOR_PAIR(P_TITLE);
		s[ST_OK] = COLOR_PAIR(P_GREEN) | A_BOLD;
		s[ST_ERR] = COLOR_PAIR(P_B_RED) | A_BOLD;
		s[ST_SOON] = COLOR_PAIR(P_YELLOW) | A_BOLD;
		s[ST_OVERDUE] = COLOR_PAIR(P_RED) | A_BOLD;
		s[ST_MET] = COLOR_PAIR(P_GREEN);
		s[ST_UNMET] = COLOR_PAIR(P_RED);
		s[ST_DRILL] = COLOR_PAIR(P_B_MAGENTA) | A_BOLD;
	}
}

attr_t tui_badge_attr(struct tui *t, const char *colour)
{
	static const struct { const char *name; short pair; } map[] = {
		{ "red", P_B_RED }, { "orange", P_B_ORANGE }, { "amber", P_B_ORANGE },
		{ "yellow", P_B_YELLOW }, { "blue", P_B_BLUE }, { "green", P_B_GREEN },
		{ "cyan", P_B_CYAN }, { "magenta", P_B_MAGENTA }, { "purple", P_B_MAGENTA },
		{ "white", P_B_WHITE }, { "grey", P_B_WHITE }, { "gray", P_B_WHITE },
	};
	if (t->mono || !colour)
		return A_REVERSE | A_BOLD;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcasecmp(colour, map[i].name))
			return COLOR_PAIR(map[i].pair) | A_BOLD;
	return A_REVERSE | A_BOLD;
}

int tui_put_attr(int y, int x, int cols, attr_t attr, const char *s, int pad)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS || cols <= 0)
		return 0;
	if (x + cols > COLS)
		cols = COLS - x;
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	int used;
	if (pad) {
		tui_fit(&sb, s ? s : "", cols);
		used = cols;
	} else {
		used = tui_clip(&sb, s ? s : "", cols);
	}
	attr_t old_attr;
	short old_pair;
	if (attr_get(&old_attr, &old_pair, NULL) == ERR) {
		old_attr = A_NORMAL;
		old_pair = 0;
	}
	attrset(attr);
	/* Writing the bottom-right cell returns ERR (the cursor cannot move on)
	 * although the text is shown: not a failure worth reporting. */
	(void)mvaddstr(y, x, sb.buf);
	attr_set(old_attr, old_pair, NULL);
	sb_release(&sb);
	return used;
}

int tui_put(struct tui *t, int y, int x, int cols, int style, const char *s, int pad)
{
	return tui_put_attr(y, x, cols, t->style[style], s, pad);
}

int tui_putf(struct tui *t, int y, int x, int cols, int style, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	int used = tui_put(t, y, x, cols, style, sb.buf, 0);
	sb_release(&sb);
	return used;
}

void tui_fill(struct tui *t, int y, int x, int cols, int style)
{
	tui_put(t, y, x, cols, style, "", 1);
}

static void upcase(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

void tui_badge_level(const struct plan *p, const struct engine_state *st, struct tui_badge *b)
{
	b->colour = NULL;
	if (st->phase == PHASE_TERMINATED) {
		if (p && st->peak_level >= 0 && (size_t)st->peak_level < p->nlevels)
			snprintf(b->text, sizeof b->text, "CLOSED (peak %s)",
				 p->levels[st->peak_level].id);
		else
			snprintf(b->text, sizeof b->text, "CLOSED");
		return;
	}
	if (p && st->level >= 0 && (size_t)st->level < p->nlevels) {
		snprintf(b->text, sizeof b->text, "LEVEL %s", p->levels[st->level].id);
		b->colour = p->levels[st->level].colour;
		return;
	}
	if (p && st->warning >= 0 && (size_t)st->warning < p->nwarnings) {
		tui_badge_warning(p, st, b);
		return;
	}
	snprintf(b->text, sizeof b->text, "MONITORING");
}

void tui_badge_warning(const struct plan *p, const struct engine_state *st, struct tui_badge *b)
{
	b->text[0] = '\0';
	b->colour = NULL;
	if (!p || st->warning < 0 || (size_t)st->warning >= p->nwarnings)
		return;
	snprintf(b->text, sizeof b->text, "%s WARNING", p->warnings[st->warning].id);
	upcase(b->text);
	/* Warnings are named after their colour (blue, yellow). */
	b->colour = p->warnings[st->warning].id;
}
