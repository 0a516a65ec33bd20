/* The console's terminal loop: keys from the terminal back end (term.c),
 * the one-second tick, other writers' commits (app_changed, or
 * app_poll_fd for PostgreSQL), the background work of the views (a
 * search resuming), and a draw only when something changed: an idle
 * console under a metric feed reloads what is shown once per commit and
 * otherwise only redraws its clocks. */
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "term.h"
#include "tui_int.h"

#define SAFETY_RELOAD 60   /* seconds: reload what is shown at least this often */

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

int tui_run(struct app *a)
{
	struct sigaction sa, old_int, old_term, old_hup;
	struct tui *t;
	const char *nc = getenv("NO_COLOR");
	int64_t last_tick, last_safety;
	int cols, rows, dirty = 1;

	/* main() set the character type up (i18n_init) before anything else;
	 * make sure of it, since curses reads it once, at set-up */
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		i18n_init();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a signal wakes the key wait */
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	if (term_open(nc && *nc) < 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
		return SITREP_EXIT_USAGE; /* no usable terminal: not a storage error */
	}
	term_size(&cols, &rows);
	t = tui_new(a, cols, rows);
	(void)app_changed(a); /* start from the current data version */
	list_open(t);
	last_tick = last_safety = t->now;

	while (!t->quit && !got_signal) {
		int fd = app_poll_fd(a), ready = 0, key, busy;
		t->now = app_now(a);
		if (app_changed(a)) {
			tui_changed(t);
			dirty = 1;
		}
		if (t->now != last_tick) {
			last_tick = t->now;
			if (t->now - last_safety >= SAFETY_RELOAD) {
				last_safety = t->now;
				tui_changed(t);
			}
			tui_tick(t);
			dirty = 1;
		}
		tui_refresh(t);
		if (dirty) {
			tui_render(t);
			term_show(&t->cv);
			if (t->bell) {
				t->bell = 0;
				t->bells++;
				if (!t->bell_off)
					term_bell();
			}
			dirty = 0;
		}
		busy = tui_work(t);
		key = term_key(busy ? 0 : 250, fd, &ready);
		if (busy)
			dirty = 1;
		if (ready)
			dirty = 1; /* app_changed says what, at the top of the loop */
		if (key == TK_NONE)
			continue;
		dirty = 1;
		if (key == TK_RESIZE) {
			term_size(&cols, &rows);
			cv_resize(&t->cv, cols, rows);
			continue;
		}
		t->now = app_now(a);
		if (!tui_size_ok(t->cv.cols, t->cv.rows, NULL, 0) && !(t->top && t->top->overlay)) {
			/* too small to show anything: only quitting makes sense */
			if (key == 'q' || key == TK_ESC)
				tui_pop(t);
			continue;
		}
		tui_key(t, key);
		/* what the key did shows at once: reload before the next draw */
		tui_refresh(t);
	}
	tui_free(t);
	term_close();
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	return SITREP_EXIT_OK;
}
