/* term: the terminal back end, the only file that includes <curses.h>
 * (src/tui/term.c). It shows a canvas and reads keys as screen.h's ints. */
#ifndef SITREP_TUI_TERM_H
#define SITREP_TUI_TERM_H

#include "screen.h"

/* Set the terminal up (the character type is already UTF-8: i18n_init ran
 * first). 0, or -1 with a message on stderr. mono: no colours (NO_COLOR). */
int term_open(int mono);
void term_close(void);
void term_size(int *cols, int *rows);
/* Show the canvas (curses sends only what changed). */
void term_show(const struct canvas *c);
/* The next key within timeout_ms (TK_NONE when none). When fd >= 0 it is
 * waited on too; *fd_ready says whether it became readable. */
int term_key(int timeout_ms, int fd, int *fd_ready);
/* A bell, and a visible flash where the terminal has one. */
void term_bell(void);

#endif
