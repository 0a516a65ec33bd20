/* The terminal back end: the only file of sitrep that includes
 * <curses.h> (vis's habit; `make check-rooms` checks it). It maps styles
 * to colours or attributes, shows a canvas, and turns curses' keys into
 * screen.h's. Everything else in the console draws on a canvas. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "term.h"

static SCREEN *scr;
static attr_t attrs[ST__COUNT];

enum {
	P_TITLE = 1, P_GREEN, P_YELLOW, P_RED, P_ERR, P_DRILL, P_MAGENTA, P_CYAN,
	P_LEVEL,                      /* + colour: black on the colour */
	P_WARN = P_LEVEL + COL__COUNT /* + colour: the colour on black */
};

static short curses_colour(int col)
{
	switch (col) {
	case COL_RED: return COLOR_RED;
	case COL_ORANGE: return COLORS >= 256 ? 208 : COLOR_YELLOW;
	case COL_YELLOW: return COLOR_YELLOW;
	case COL_BLUE: return COLOR_BLUE;
	case COL_GREEN: return COLOR_GREEN;
	case COL_CYAN: return COLOR_CYAN;
	case COL_MAGENTA: return COLOR_MAGENTA;
	default: return COLOR_WHITE;
	}
}

static int styles(int mono)
{
	short bg = COLOR_BLACK;
	int bad = 0;
	if (!mono && (!has_colors() || start_color() == ERR))
		mono = 1;
	if (!mono) {
		if (use_default_colors() == OK)
			bg = -1;
		bad |= init_pair(P_TITLE, COLOR_BLACK, COLOR_CYAN) == ERR;
		bad |= init_pair(P_GREEN, COLOR_GREEN, bg) == ERR;
		bad |= init_pair(P_YELLOW, COLOR_YELLOW, bg) == ERR;
		bad |= init_pair(P_RED, COLOR_RED, bg) == ERR;
		bad |= init_pair(P_ERR, COLOR_WHITE, COLOR_RED) == ERR;
		bad |= init_pair(P_DRILL, COLOR_WHITE, COLOR_MAGENTA) == ERR;
		bad |= init_pair(P_MAGENTA, COLOR_MAGENTA, bg) == ERR;
		bad |= init_pair(P_CYAN, COLOR_CYAN, bg) == ERR;
		for (int k = 0; k < COL__COUNT; k++) {
			short fg = k == COL_RED || k == COL_BLUE || k == COL_MAGENTA ? COLOR_WHITE
										       : COLOR_BLACK;
			bad |= init_pair((short)(P_LEVEL + k), fg, curses_colour(k)) == ERR;
			bad |= init_pair((short)(P_WARN + k), curses_colour(k), COLOR_BLACK) == ERR;
		}
		if (bad)
			mono = 1;
	}
	attrs[ST_NORMAL] = A_NORMAL;
	attrs[ST_SEL] = A_REVERSE;
	attrs[ST_BOLD] = A_BOLD;
	attrs[ST_DIM] = A_DIM;
	attrs[ST_HEAD] = A_BOLD | A_UNDERLINE;
	attrs[ST_FORM] = A_BOLD;
	attrs[ST_KEY] = A_BOLD;
	attrs[ST_MARK] = A_BOLD;
	attrs[ST_BADGE] = A_BOLD | A_REVERSE;
	if (mono) {
		attrs[ST_TITLE] = A_REVERSE;
		attrs[ST_OK] = A_BOLD;
		attrs[ST_ERR] = A_BOLD | A_REVERSE;
		attrs[ST_SOON] = A_BOLD | A_UNDERLINE;
		attrs[ST_OVERDUE] = A_BOLD | A_REVERSE;
		attrs[ST_MET] = A_NORMAL;
		attrs[ST_UNMET] = A_BOLD;
		attrs[ST_DRILL] = A_REVERSE | A_BOLD;
		attrs[ST_STALE] = A_DIM | A_UNDERLINE;
		for (int k = 0; k < COL__COUNT; k++) {
			attrs[ST_LEVEL + k] = A_REVERSE | A_BOLD;
			attrs[ST_WARN + k] = A_BOLD | A_UNDERLINE; /* never like a level */
		}
	} else {
		attrs[ST_TITLE] = COLOR_PAIR(P_TITLE);
		attrs[ST_OK] = COLOR_PAIR(P_GREEN) | A_BOLD;
		attrs[ST_ERR] = COLOR_PAIR(P_ERR) | A_BOLD;
		attrs[ST_SOON] = COLOR_PAIR(P_YELLOW) | A_BOLD;
		attrs[ST_OVERDUE] = COLOR_PAIR(P_RED) | A_BOLD;
		attrs[ST_MET] = COLOR_PAIR(P_GREEN);
		attrs[ST_UNMET] = COLOR_PAIR(P_RED);
		attrs[ST_DRILL] = COLOR_PAIR(P_DRILL) | A_BOLD;
		attrs[ST_STALE] = COLOR_PAIR(P_MAGENTA) | A_BOLD;
		attrs[ST_MARK] = COLOR_PAIR(P_CYAN) | A_BOLD;
		attrs[ST_KEY] = COLOR_PAIR(P_CYAN) | A_BOLD;
		for (int k = 0; k < COL__COUNT; k++) {
			attrs[ST_LEVEL + k] = COLOR_PAIR(P_LEVEL + k) | A_BOLD;
			/* a warning: its colour on black, underlined, never solid */
			attrs[ST_WARN + k] = COLOR_PAIR(P_WARN + k) | A_BOLD | A_UNDERLINE;
		}
	}
	return 0;
}

int term_open(int mono)
{
	struct termios tio;
	int bad = 0;
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		fprintf(stderr, "sitrep: cannot set up the terminal '%s'\n",
			getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	bad |= cbreak() == ERR;
	bad |= noecho() == ERR;
	bad |= keypad(stdscr, TRUE) == ERR;
	if (bad) {
		endwin();
		delscreen(scr);
		scr = NULL;
		fprintf(stderr, "sitrep: cannot set the terminal's input mode\n");
		return -1;
	}
	/* Not fatal when they fail: a longer Esc wait, no hardware scroll. */
	(void)set_escdelay(25);
	(void)nonl();
	(void)intrflush(stdscr, FALSE);
	/* Ctrl-S sends a notice: no XON/XOFF flow control in the console */
	if (tcgetattr(STDIN_FILENO, &tio) == 0) {
		tio.c_iflag &= ~(tcflag_t)IXON;
		if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) == 0)
			(void)def_prog_mode();
	}
	styles(mono);
	return 0;
}

void term_close(void)
{
	if (!scr)
		return;
	if (endwin() == ERR)
		fprintf(stderr, "sitrep: cannot restore the terminal\n");
	delscreen(scr);
	scr = NULL;
}

void term_size(int *cols, int *rows)
{
	*cols = COLS;
	*rows = LINES;
}

void term_show(const struct canvas *c)
{
	struct strbuf run;
	int rows = c->rows < LINES ? c->rows : LINES, cols = c->cols < COLS ? c->cols : COLS;
	sb_init(&run);
	for (int y = 0; y < rows; y++) {
		int x = 0;
		while (x < cols) {
			const struct cell *k = cv_cell(c, y, x);
			int style = k->style, x0 = x;
			sb_reset(&run);
			while (x < cols) {
				k = cv_cell(c, y, x);
				if (k->style != style)
					break;
				if (k->width == 2 && x + 1 >= cols) {
					sb_addc(&run, ' '); /* never half a wide character */
				} else if (k->width != -1) {
					sb_adds(&run, k->s[0] ? k->s : " ");
				}
				x++;
			}
			(void)attrset(attrs[style < ST__COUNT ? style : ST_NORMAL]);
			/* the bottom-right cell returns ERR although it is shown */
			(void)mvaddstr(y, x0, run.buf);
		}
	}
	(void)attrset(A_NORMAL);
	sb_release(&run);
	/* Failing curs_set only means the terminal cannot hide or show it. */
	if (c->cur_y >= 0 && c->cur_x >= 0 && c->cur_y < LINES && c->cur_x < COLS) {
		(void)curs_set(1);
		(void)move(c->cur_y, c->cur_x);
	} else {
		(void)curs_set(0);
	}
	(void)refresh();
}

static int map_code(wint_t ch)
{
	switch (ch) {
	case KEY_UP: return TK_UP;
	case KEY_DOWN: return TK_DOWN;
	case KEY_LEFT: return TK_LEFT;
	case KEY_RIGHT: return TK_RIGHT;
	case KEY_PPAGE: return TK_PGUP;
	case KEY_NPAGE: return TK_PGDN;
	case KEY_HOME: return TK_HOME;
	case KEY_END: return TK_END;
	case KEY_BACKSPACE: return TK_BACKSPACE;
	case KEY_DC: return TK_DELETE;
	case KEY_BTAB: return TK_BTAB;
	case KEY_RESIZE: return TK_RESIZE;
	case KEY_ENTER: return TK_ENTER;
	case KEY_F(2): return TK_F2;
	default: return TK_NONE;
	}
}

int term_key(int timeout_ms, int fd, int *fd_ready)
{
	wint_t ch;
	int rc;
	*fd_ready = 0;
	if (fd >= 0) {
		/* wait on the keyboard and the other sites' commits together */
		struct pollfd p[2] = { { STDIN_FILENO, POLLIN, 0 }, { fd, POLLIN, 0 } };
		timeout(0);
		rc = get_wch(&ch); /* what curses already read ahead */
		if (rc == ERR) {
			if (poll(p, 2, timeout_ms) > 0 && (p[1].revents & POLLIN))
				*fd_ready = 1;
			if (!(p[0].revents & POLLIN))
				return TK_NONE;
			timeout(50);
			rc = get_wch(&ch);
		}
	} else {
		timeout(timeout_ms);
		rc = get_wch(&ch);
	}
	if (rc == ERR)
		return TK_NONE;
	if (rc == KEY_CODE_YES)
		return map_code(ch);
	if (ch == '\r')
		return TK_ENTER;
	if (ch == 127 || ch == 8)
		return TK_BACKSPACE;
	return (int)ch;
}

void term_bell(void)
{
	(void)beep();
	(void)flash(); /* the visible bell, where the terminal has one */
}
