/* The console's driver: terminal set-up and tear-down, the stack of views,
 * the main loop (keys, the one-second tick, other writers via
 * app_changed()), the generic requests (movement, back, help) and the
 * title and status lines. */
#include "tui_int.h"

#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

struct view *tui_push(struct tui *t, const struct view_ops *ops, void *priv, int overlay)
{
	struct view *v = xcalloc(1, sizeof *v);
	v->ops = ops;
	v->priv = priv;
	v->overlay = overlay;
	v->below = t->top;
	t->top = v;
	if (ops->open && ops->open(t, v) < 0) {
		/* keep the view: it shows what it could load and the status says why */
	}
	return v;
}

void tui_pop(struct tui *t)
{
	struct view *v = t->top;
	if (!v)
		return;
	t->top = v->below;
	if (v->ops->done)
		v->ops->done(v);
	free(v);
	if (!t->top)
		t->quit = 1;
}

void tui_status(struct tui *t, int style, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->status, sizeof t->status, fmt, ap);
	va_end(ap);
	t->status_style = style;
}

void tui_outcome(struct tui *t, const struct app_outcome *o)
{
	const char *msg = o->message[0] ? o->message : o->result.message;
	if (o->code == SITREP_EXIT_OK)
		tui_status(t, ST_OK, "%s", msg[0] ? msg : "done");
	else if (o->code == SITREP_EXIT_REFUSED)
		tui_status(t, ST_ERR, "refused: %s",
			   o->result.message[0] ? o->result.message : msg);
	else
		tui_status(t, ST_ERR, "error: %s", msg[0] ? msg : "the action failed");
	t->reload = 1;
}

int tui_act(struct tui *t, const struct app_request *rq, int64_t *incident)
{
	struct app_outcome out;
	int code;
	app_outcome_init(&out);
	code = app_act(t->app, rq, &out);
	tui_outcome(t, &out);
	if (incident)
		*incident = out.incident;
	app_outcome_release(&out);
	return code;
}

void tui_scroll_fit(struct view *v, int rows)
{
	if (rows < 1)
		rows = 1;
	v->height = rows;
	if (v->scroll_only) {
		int max = v->lines - rows;
		if (max < 0)
			max = 0;
		if (v->offset > max)
			v->offset = max;
		if (v->offset < 0)
			v->offset = 0;
		v->cursor = v->offset;
		return;
	}
	if (v->cursor >= v->lines)
		v->cursor = v->lines - 1;
	if (v->cursor < 0)
		v->cursor = 0;
	if (v->cursor < v->offset)
		v->offset = v->cursor;
	if (v->cursor >= v->offset + rows)
		v->offset = v->cursor - rows + 1;
	int max = v->lines - rows;
	if (max < 0)
		max = 0;
	if (v->offset > max)
		v->offset = max;
	if (v->offset < 0)
		v->offset = 0;
}

/* Movement, back and help: what views hand back. */
static void generic_request(struct tui *t, struct view *v, enum tui_action a)
{
	int page = v->height > 1 ? v->height - 1 : 1;
	int *pos = v->scroll_only ? &v->offset : &v->cursor;
	switch (a) {
	case A_HELP:
		help_open(t);
		break;
	case A_BACK:
		tui_pop(t);
		break;
	case A_UP: *pos -= 1; break;
	case A_DOWN: *pos += 1; break;
	case A_PGUP: *pos -= page; break;
	case A_PGDN: *pos += page; break;
	case A_FIRST: *pos = 0; break;
	case A_LAST: *pos = v->lines; break;
	case A_REDRAW:
		if (clearok(curscr, TRUE) == ERR)
			tui_status(t, ST_ERR, "cannot redraw the screen");
		break;
	case A_NONE:
		break;
	default:
		tui_status(t, ST_DIM, "'%s' does nothing here: press ? for the keys",
			   tui_action_names[a]);
		break;
	}
	if (t->top == v)
		tui_scroll_fit(v, v->height);
}

static struct view *base_view(struct tui *t)
{
	struct view *v = t->top;
	while (v && v->overlay && v->below)
		v = v->below;
	return v;
}

static void draw_title(struct tui *t, struct view *base)
{
	char clock[40], right[160];
	time_format_local(t->now, clock, sizeof clock);
	const char *hms = strlen(clock) >= 19 ? clock + 11 : clock;
	snprintf(right, sizeof right, " %s  %s ", app_user(t->app), hms);
	tui_fill(t, 0, 0, COLS, ST_TITLE);
	int rw = tui_width(right);
	tui_putf(t, 0, 0, COLS - rw, ST_TITLE, " sitrep \xc2\xb7 %s",
		 !base ? "" : base->title[0] ? base->title : base->ops->name);
	tui_put(t, 0, COLS - rw, rw, ST_TITLE, right, 0);
}

/* Status: up to three lines when the message is long (a refusal naming
 * every unmet criterion). Returns the rows it takes. */
static int status_rows(struct tui *t)
{
	if (!t->status[0])
		return 1;
	int w = tui_width(t->status);
	int rows = (w + COLS - 1) / (COLS > 0 ? COLS : 1);
	if (rows < 1)
		rows = 1;
	if (rows > 3)
		rows = 3;
	return rows;
}

static void draw_status(struct tui *t, int rows, struct view *base)
{
	int y0 = LINES - rows;
	if (!t->status[0]) {
		const char *hint = "? help  q back";
		if (base && base->ops->scope & SCOPE_LIST)
			hint = "Enter open  n new incident  ? help  q quit";
		else if (base && base->ops->scope & SCOPE_DASH)
			hint = "l log  m metric  w warn  e/d escalate/downgrade  p accept  "
			       "t terminate  v timeline  r review  ? all keys";
		else if (base && base->ops->scope & SCOPE_TIMELINE)
			hint = "Enter entry  / search  f filter  x export  ? help  q back";
		else if (base && base->ops->scope & SCOPE_REVIEW)
			hint = "N write a review note  ? help  q back";
		tui_put(t, y0, 0, COLS, ST_DIM, hint, 1);
		return;
	}
	/* Split the message over the rows by columns, never mid-character. */
	struct strbuf all = STRBUF_INIT;
	sb_init(&all);
	tui_clip(&all, t->status, COLS * rows);
	const char *p = all.buf;
	for (int r = 0; r < rows; r++) {
		struct strbuf line = STRBUF_INIT;
		sb_init(&line);
		int used = 0;
		while (*p) {
			int len = 1;
			unsigned char c = (unsigned char)*p;
			if (c >= 0xf0) len = 4;
			else if (c >= 0xe0) len = 3;
			else if (c >= 0xc0) len = 2;
			char tmp[5] = { 0 };
			memcpy(tmp, p, (size_t)len);
			int w = tui_width(tmp);
			if (used + w > COLS)
				break;
			sb_add(&line, p, (size_t)len);
			used += w;
			p += len;
		}
		tui_put(t, y0 + r, 0, COLS, t->status_style, line.buf, 1);
		sb_release(&line);
	}
	sb_release(&all);
}

static void draw_too_small(struct tui *t)
{
	char msg[128];
	tui_size_ok(COLS, LINES, msg, sizeof msg);
	const char *lines[] = { "sitrep: terminal too small", msg, "enlarge it, or press q" };
	int n = 3, y = LINES / 2 - 1;
	if (y < 0)
		y = 0;
	for (int i = 0; i < n && y + i < LINES; i++) {
		int w = tui_width(lines[i]);
		int x = w < COLS ? (COLS - w) / 2 : 0;
		tui_put(t, y + i, x, COLS - x, i == 0 ? ST_BOLD : ST_NORMAL, lines[i], 0);
	}
}

static void draw_all(struct tui *t)
{
	if (erase() == ERR)
		return;
	struct view *base = base_view(t);
	if (!tui_size_ok(COLS, LINES, NULL, 0)) {
		draw_too_small(t);
		(void)curs_set(0); /* ERR: no cursor control here, harmless */
		(void)refresh();
		return;
	}
	int srows = status_rows(t);
	t->cursor_y = t->cursor_x = -1;
	draw_title(t, base);
	int top = 1, rows = LINES - 1 - srows;
	/* The base view, then the overlays above it, bottom to top. */
	struct view *chain[16];
	int n = 0;
	for (struct view *v = t->top; v && n < 16; v = v->below) {
		chain[n++] = v;
		if (!v->overlay)
			break;
	}
	for (int i = n - 1; i >= 0; i--)
		if (chain[i]->ops->draw)
			chain[i]->ops->draw(t, chain[i], top, rows);
	draw_status(t, srows, base);
	/* A form puts the cursor where the user types. Failing curs_set only
	 * means the terminal cannot hide or show it: harmless. */
	if (t->cursor_y >= 0 && t->cursor_x >= 0) {
		(void)curs_set(1);
		(void)move(t->cursor_y, t->cursor_x);
	} else {
		(void)curs_set(0);
	}
	(void)refresh();
}

static void reload_all(struct tui *t)
{
	for (struct view *v = t->top; v; v = v->below)
		if (v->ops->open)
			v->ops->open(t, v);
}

static void dispatch(struct tui *t, wint_t ch, int is_code)
{
	struct view *v = t->top;
	if (!v)
		return;
	if (v->ops->key && v->ops->key(t, v, ch, is_code))
		return;
	enum tui_action a = tui_key_action(v->ops->scope, (int)ch, is_code);
	if (a == A_NONE) {
		if (!is_code && ch == 27)
			return; /* Esc outside a form: nothing to cancel */
		tui_status(t, ST_DIM, "no action on that key: press ? for the keys");
		return;
	}
	if (v->ops->request && v->ops->request(t, v, a) == REQ_HANDLED)
		return;
	generic_request(t, v, a);
}

static SCREEN *screen;

static int term_setup(struct tui *t)
{
	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		fprintf(stderr, "sitrep: cannot set up the terminal '%s'\n",
			getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	int bad = 0;
	bad |= cbreak() == ERR;
	bad |= noecho() == ERR;
	bad |= keypad(stdscr, TRUE) == ERR;
	if (bad) {
		endwin();
		delscreen(screen);
		fprintf(stderr, "sitrep: cannot set the terminal's input mode\n");
		return -1;
	}
	/* Not fatal when they fail: a longer Esc wait, no hardware scroll. */
	(void)set_escdelay(25);
	(void)nonl();
	(void)intrflush(stdscr, FALSE);
	timeout(250);
	tui_styles_init(t);
	return 0;
}

int tui_run(struct app *a)
{
	/* Only the character type: LC_NUMERIC must stay "C" while app writes
	 * numbers into the journal (a decimal comma would corrupt its JSON). */
	if (!setlocale(LC_CTYPE, ""))
		(void)setlocale(LC_CTYPE, "C.UTF-8");
	struct tui t;
	memset(&t, 0, sizeof t);
	t.app = a;
	t.now = app_now(a);

	struct sigaction sa, old_int, old_term, old_hup;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a signal wakes up the key wait */
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);

	if (term_setup(&t) < 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
		return SITREP_EXIT_USAGE; /* no usable terminal: not a storage error */
	}
	(void)app_changed(a); /* start from the current data version */
	list_open(&t);

	int64_t last_tick = t.now;
	int dirty = 1;
	while (!t.quit && !got_signal) {
		t.now = app_now(a);
		if (app_changed(a))
			t.reload = 1;
		if (t.reload) {
			t.reload = 0;
			reload_all(&t);
			dirty = 1;
		}
		if (t.now != last_tick) {
			last_tick = t.now;
			for (struct view *v = t.top; v; v = v->below)
				if (v->ops->tick)
					v->ops->tick(&t, v);
			dirty = 1;
		}
		if (dirty) {
			draw_all(&t);
			dirty = 0;
		}
		wint_t ch;
		int rc = get_wch(&ch);
		if (rc == ERR)
			continue; /* timeout or a signal */
		dirty = 1;
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
			continue;
		/* A key clears the last message, unless a form is being typed. */
		if (!(t.top && t.top->overlay))
			t.status[0] = '\0';
		t.now = app_now(a);
		if (!tui_size_ok(COLS, LINES, NULL, 0) && !(t.top && t.top->overlay)) {
			/* Too small to show anything: only quitting makes sense. */
			if (rc != KEY_CODE_YES && (ch == 'q' || ch == 27))
				tui_pop(&t);
			continue;
		}
		dispatch(&t, ch, rc == KEY_CODE_YES);
	}
	while (t.top) {
		struct view *v = t.top;
		t.top = v->below;
		if (v->ops->done)
			v->ops->done(v);
		free(v);
	}
	if (endwin() == ERR)
		fprintf(stderr, "sitrep: cannot restore the terminal\n");
	delscreen(screen);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	return SITREP_EXIT_OK;
}
