/* console_bench: the console's response times, in process, on a real
 * journal: the real app and the real views, drawn on the canvas the
 * terminal back end would show (src/tui/term.c, the only curses file, is
 * left out: what is timed is what the console computes and draws, not the
 * terminal's own output).
 *
 *   console_bench DB ROW [NEEDLE]
 *
 * ROW is the incident's row in the incident list (0 the top). Prints one
 * line per measurement, "name ms", then "rss_kb N" (resident memory after
 * leaving the timeline) and "peak_kb N":
 *   list         the incident list's first frame (app_open included)
 *   dashboard    Enter on the incident: its dashboard's first frame
 *   key          a key on the dashboard (j) until the frame is drawn
 *   commit       another writer's commit (a `sitrep log` run first, not
 *                timed) until the frame shows it
 *   timeline     v: the timeline's first frame
 *   end          g, then G (timed): the newest page of the timeline
 *   search       / NEEDLE Enter: until the first hit is shown (the search's
 *                background steps included, until one has a row)
 *   search_all   ... and on until the search has read every entry
 * The writer is $SITREP_BIN (the binary under test). Used by
 * tests/bench/run.sh; no thresholds here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../../src/tui/tui_int.h"
#include "sitrep/i18n.h"

static double ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void frame(struct tui *t)
{
	t->now = app_now(t->app);
	tui_refresh(t);
	tui_render(t);
}

static void key(struct tui *t, int k)
{
	t->now = app_now(t->app);
	tui_key(t, k);
	frame(t);
}

/* until the view's background work (a search resuming) is done */
static void settle(struct tui *t)
{
	while (tui_work(t))
		frame(t);
	frame(t);
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, resident = 0;
	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
		resident = -1;
	fclose(f);
	return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

int main(int argc, char **argv)
{
	struct app_options o;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct app *a;
	struct tui *t;
	struct rusage ru;
	const char *bin = getenv("SITREP_BIN");
	char cmd[4096];
	double t0;
	int row;

	if (argc < 3) {
		fprintf(stderr, "usage: console_bench DB ROW [NEEDLE]\n");
		return 2;
	}
	i18n_init();
	row = atoi(argv[2]);
	memset(&o, 0, sizeof o);
	o.db = argv[1];

	t0 = ms_now();
	a = app_open(&o, &err);
	if (!a) {
		fprintf(stderr, "console_bench: %s\n", err.msg ? err.msg : "cannot open");
		return 4;
	}
	t = tui_new(a, 100, 30);
	(void)app_changed(a);
	list_open(t);
	frame(t);
	printf("list %.3f\n", ms_now() - t0);
	for (int i = 0; i < row; i++)
		key(t, 'j');

	t0 = ms_now();
	key(t, TK_ENTER);
	printf("dashboard %.3f\n", ms_now() - t0);

	t0 = ms_now();
	key(t, 'j');
	printf("key %.3f\n", ms_now() - t0);
	key(t, 'k');

	if (bin) {
		int64_t id = 0;
		/* the incident shown: its row in the list the console shows */
		struct view_list l;
		if (app_list(a, 0, &l, &err) == 0 && (size_t)row < l.n)
			id = l.v[row].id;
		view_list_release(&l);
		snprintf(cmd, sizeof cmd, "'%s' --db '%s' log %lld 'console bench: another writer' >/dev/null",
			 bin, argv[1], (long long)id);
		if (id && system(cmd) == 0) {
			t0 = ms_now();
			if (app_changed(a))
				tui_changed(t);
			frame(t);
			printf("commit %.3f\n", ms_now() - t0);
		}
	}

	t0 = ms_now();
	key(t, 'v');
	printf("timeline %.3f\n", ms_now() - t0);

	key(t, 'g'); /* End from the first rows: a page to fetch, not a cursor move */
	t0 = ms_now();
	key(t, 'G');
	printf("end %.3f\n", ms_now() - t0);

	if (argc > 3) {
		key(t, 'g');
		t0 = ms_now();
		key(t, '/');
		for (const char *p = argv[3]; *p; p++)
			key(t, (unsigned char)*p);
		key(t, TK_ENTER);
		while (!t->top->lines && tui_work(t))
			frame(t);
		printf("search %.3f\n", ms_now() - t0);
		settle(t);
		printf("search_all %.3f\n", ms_now() - t0);
		key(t, TK_ESC);
	}
	key(t, TK_ESC); /* leave the timeline */
	frame(t);
	printf("rss_kb %ld\n", rss_kb());
	getrusage(RUSAGE_SELF, &ru);
	printf("peak_kb %ld\n", ru.ru_maxrss);
	tui_free(t);
	app_close(a);
	err_release(&err);
	return 0;
}
