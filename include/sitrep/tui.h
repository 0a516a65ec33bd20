/* tui: the ncurses console. The only module that includes <curses.h> (under
 * src/tui/). It asks `app` for everything. */
#ifndef SITREP_TUI_H
#define SITREP_TUI_H

#include <stddef.h>
#include <stdint.h>
#include "sitrep/app.h"
#include "sitrep/util.h"

/* Run the console until the user quits. Returns an exit code (0 on a normal
 * quit, 4 when the terminal cannot be set up). The app stays owned by the caller. */
int tui_run(struct app *a);

/* View logic that needs no terminal (src/tui/layout.c), unit-tested in
 * tests/unit/test_tui.c. Text functions need a UTF-8 LC_CTYPE for non-ASCII. */

/* The console's smallest comfortable size; below it the screen says how much
 * room it needs. */
#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24
/* 1 when cols x rows is big enough; else 0 and msg says what is needed. */
int tui_size_ok(int cols, int rows, char *msg, size_t size);

/* Display width of s as the console shows it: control characters escaped
 * (\xNN, 4 columns), invalid bytes as '?', wide (CJK) characters 2 columns. */
int tui_width(const char *s);
/* Append s to out clipped to at most cols columns (never splitting a
 * character; a clipped string ends in "…"); control characters escaped.
 * Returns the columns used. */
int tui_clip(struct strbuf *out, const char *s, int cols);
/* Same, then padded with spaces to exactly cols columns. */
void tui_fit(struct strbuf *out, const char *s, int cols);

/* Bytes of the longest prefix of s that fits in cols columns as tui_clip
 * would show it, never splitting a character; at least one character when
 * s is not empty (for wrapping long lines). */
size_t tui_prefix_fit(const char *s, int cols);

/* "hh:mm:ss", or "Nd hh:mm:ss" from one day on; negative gets '-'. */
char *tui_clock(int64_t secs, char *buf, size_t size);
/* Elapsed time since `since`: "T+01:02:03". */
char *tui_elapsed(int64_t since, int64_t now, char *buf, size_t size);
/* Compact age: "45s", "12m", "3h05m", "2d04h". */
char *tui_age(int64_t secs, char *buf, size_t size);

enum tui_due { TUI_DUE_OK, TUI_DUE_SOON, TUI_DUE_OVERDUE };
/* Countdown to `due` at `now`: "in 00:14:59", or "LATE 00:01:00" once past
 * (how late). Due within `soon` seconds is TUI_DUE_SOON. */
enum tui_due tui_countdown(int64_t due, int64_t now, int64_t soon, char *buf, size_t size);

/* A sparkline of the last `width` of n values (▁ lowest .. █ highest of those
 * shown; all equal -> ▄). Appends at most width cells. */
void tui_sparkline(const double *v, size_t n, int width, struct strbuf *out);

/* Share `total` columns between n columns separated by `gap` spaces: each
 * gets min[i]; what is left goes to the columns with grow[i] > 0 in
 * proportion (the remainder to the last growing one). Returns 0, or -1 when
 * even the minimums do not fit (out then holds the minimums). */
int tui_layout(const int *min, const int *grow, int n, int gap, int total, int *out);

/* Case-insensitive (ASCII) substring test; an empty needle matches. */
int tui_match(const char *hay, const char *needle);

/* A form's check box as the console shows it: "[x] drill (Tab)" when on,
 * "[ ] drill (Tab)" when off (key NULL: no parenthesis). Appends to out. */
void tui_check_label(int on, const char *label, const char *key, struct strbuf *out);

/* The help screen's text (keys.c), generated from the action list and the
 * key table: one section per screen, then the forms' fixed keys. */
void tui_help_text(struct strbuf *out);

#endif
