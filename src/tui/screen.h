/* screen: what the console's views draw on, without curses (vis's habit:
 * the terminal library lives in one file, src/tui/term.c).
 *
 * A canvas is a grid of cells; each cell holds one character (its UTF-8
 * bytes, escaped by the one policy of sitrep/text.h), its width and a
 * style. Views write text clipped to a number of columns; nothing is ever
 * written past the right edge or split mid-character. Two back ends show a
 * canvas: the terminal (term.c) and a text dump (cv_dump, for the screen
 * goldens in tests/golden/screens/).
 *
 * Keys are plain ints: a Unicode character, or one of TK_* below (term.c
 * maps curses' KEY_* codes to them), so the driver and the views are
 * tested without a terminal. */
#ifndef SITREP_TUI_SCREEN_H
#define SITREP_TUI_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "sitrep/util.h"

/* ---- keys ---- */
#define TK_CTRL(c) ((c) & 0x1f)
#define TK_ESC 27
#define TK_ENTER '\n'          /* '\r' and KEY_ENTER arrive as '\n' */
#define TK_TAB '\t'
enum tui_special_key {
	TK_NONE = -1,          /* no key (a timeout) */
	TK_BASE = 0x110000,    /* past the last Unicode character */
	TK_UP, TK_DOWN, TK_LEFT, TK_RIGHT, TK_PGUP, TK_PGDN, TK_HOME, TK_END,
	TK_BACKSPACE,          /* 127, 8 and KEY_BACKSPACE */
	TK_DELETE, TK_BTAB, TK_RESIZE, TK_F2
};
/* "Up", "Ctrl-S", "a" ...: for the help screen. buf >= 16 bytes. */
const char *tk_name(int key, char *buf, size_t size);

/* ---- styles ---- the terminal maps them to colours, or to attributes on
 * a monochrome terminal (NO_COLOR). Level badges are solid (black on the
 * level's colour); warning badges are the warning's colour on the normal
 * background with a mark, so LEVEL III (yellow) and a YELLOW WARNING never
 * look alike. */
#define TUI_COLOURS(X) X(RED, "red") X(ORANGE, "orange") X(YELLOW, "yellow") \
	X(BLUE, "blue") X(GREEN, "green") X(CYAN, "cyan") X(MAGENTA, "magenta") X(WHITE, "white")
enum tui_colour {
#define X(id, name) COL_##id,
	TUI_COLOURS(X)
#undef X
	COL__COUNT
};
enum tui_style {
	ST_NORMAL, ST_TITLE, ST_HEAD, ST_SEL, ST_DIM, ST_BOLD, ST_OK, ST_ERR,
	ST_SOON, ST_OVERDUE, ST_MET, ST_UNMET, ST_DRILL, ST_FORM, ST_KEY, ST_STALE,
	ST_MARK,               /* a marked row of a picker */
	ST_BADGE,              /* a badge without colour (MONITORING, CLOSED) */
	ST_LEVEL,              /* + enum tui_colour: a level's badge */
	ST_WARN = ST_LEVEL + COL__COUNT, /* + enum tui_colour: a warning's badge */
	ST__COUNT = ST_WARN + COL__COUNT
};
/* The colour named by a plan ("orange", "amber", "Red" ...), or -1. */
int tui_colour_lookup(const char *name);

/* ---- the canvas ---- */
struct cell {
	char s[16];            /* the character's bytes (+ combining marks), "" = blank */
	signed char width;     /* 1 or 2; -1 on the right half of a wide character */
	unsigned char style;
};
struct canvas {
	int cols, rows;
	struct cell *cells;    /* owned, rows x cols */
	int cur_y, cur_x;      /* where the terminal cursor shows, -1: hidden */
};
void cv_init(struct canvas *c, int cols, int rows);
void cv_release(struct canvas *c);
/* New size; clears. */
void cv_resize(struct canvas *c, int cols, int rows);
void cv_clear(struct canvas *c);
/* Write s at (y, x), escaped and clipped to `cols` columns (a clipped text
 * ends in "…"), never past the right edge. Returns the columns written. */
int cv_put(struct canvas *c, int y, int x, int cols, int style, const char *s);
int cv_putf(struct canvas *c, int y, int x, int cols, int style, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* cv_put, then blanks in `style` up to exactly `cols` columns. */
int cv_fit(struct canvas *c, int y, int x, int cols, int style, const char *s);
/* Right-aligned in cols columns ending at x + cols. */
int cv_right(struct canvas *c, int y, int x, int cols, int style, const char *s);
/* Blank cells in a style. */
void cv_fill(struct canvas *c, int y, int x, int cols, int style);
/* Change the style of cells, keeping their text. */
void cv_restyle(struct canvas *c, int y, int x, int cols, int style);
void cv_cursor(struct canvas *c, int y, int x);
const struct cell *cv_cell(const struct canvas *c, int y, int x);
/* The text of row y (wide characters once, trailing blanks dropped). */
void cv_row_text(const struct canvas *c, int y, struct strbuf *out);
/* Every row, one line each: the screen golden's text. */
void cv_dump(const struct canvas *c, struct strbuf *out);

#endif
