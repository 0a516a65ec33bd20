/* tui: the console. Views draw on a canvas (src/tui/screen.h); only the
 * terminal back end (src/tui/term.c) includes <curses.h>. The console asks
 * `app` for everything: views (sitrep/view.h) to show, app_act to act.
 * Text is measured and escaped by sitrep/text.h. */
#ifndef SITREP_TUI_H
#define SITREP_TUI_H

#include <stddef.h>
#include <stdint.h>
#include "sitrep/app.h"
#include "sitrep/util.h"

/* Run the console until the user quits. Returns an exit code (0 on a normal
 * quit, 2 when the terminal cannot be set up). The app stays the caller's.
 * Settings from the environment: NO_COLOR (monochrome), SITREP_BELL=0 (no
 * bell or flash when a notice falls due or a deadline goes late). */
int tui_run(struct app *a);

/* View logic that needs no terminal (src/tui/layout.c), unit-tested in
 * tests/unit/test_tui.c. */

/* The console's smallest comfortable size; below it the screen says how much
 * room it needs. */
#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24
/* 1 when cols x rows is big enough; else 0 and msg says what is needed. */
int tui_size_ok(int cols, int rows, char *msg, size_t size);

/* The one duration style: "hh:mm:ss", or "Nd hh:mm:ss" from one day on;
 * negative gets '-'. */
char *tui_clock(int64_t secs, char *buf, size_t size);
/* Elapsed time since `since`: "T+01:02:03". */
char *tui_elapsed(int64_t since, int64_t now, char *buf, size_t size);

enum tui_due { TUI_DUE_OK, TUI_DUE_SOON, TUI_DUE_OVERDUE };
/* Countdown to `due` at `now`: "in 00:14:59", or "LATE 00:01:00" once past
 * (how late), translated. Due within `soon` seconds is TUI_DUE_SOON. */
enum tui_due tui_countdown(int64_t due, int64_t now, int64_t soon, char *buf, size_t size);

/* A sparkline of the last `width` of n values (▁ lowest .. █ highest of those
 * shown; all equal -> ▄). Appends at most width cells. */
void tui_sparkline(const double *v, size_t n, int width, struct strbuf *out);

/* Share `total` columns between n columns separated by `gap` spaces: each
 * gets min[i]; what is left goes to the columns with grow[i] > 0 in
 * proportion (the remainder to the last growing one). Returns 0, or -1 when
 * even the minimums do not fit (out then holds the minimums). */
int tui_layout(const int *min, const int *grow, int n, int gap, int total, int *out);

/* A form's check box as the console shows it: "[x] drill (Tab)" when on,
 * "[ ] drill (Tab)" when off (key NULL: no parenthesis). Appends to out. */
void tui_check_label(int on, const char *label, const char *key, struct strbuf *out);

/* The help screen's text (keys.c), generated from the action list and the
 * key table, translated: one section per screen, then the forms' keys. */
void tui_help_text(struct strbuf *out);

#endif
