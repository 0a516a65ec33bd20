/* The timeline of one incident, keyset-paged through app_timeline_page:
 * the view keeps a window of a few pages around the cursor, never the
 * whole incident, so it opens at once on a million entries (at the end,
 * the newest highlighted). Moving near an edge pages more in; End jumps
 * to the end. `/` shows the entries that contain a text and `f` one kind
 * of entry: both are asked of app, which scans a bounded number of entries
 * per page; when that budget is spent the scan resumes in the background
 * loop ("searching…"). Enter shows an entry in full, `c` corrects the
 * reading under the cursor, `x` exports what is shown. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui_int.h"

#define PAGE_ROWS 100
#define MAX_CHUNKS 5
#define EDGE 20

/* How a page was fetched, so that it can be fetched again. */
enum { FROM_START, FROM_AFTER, FROM_OTHER };

struct chunk {
	struct view_page pg;
	int from;
	struct view_pos after;  /* FROM_AFTER */
	size_t rows;            /* the rows asked (a search's first hit: 1) */
};

struct trail {                  /* pages dropped from the front (filtered mode) */
	int from;
	struct view_pos after;
	size_t rows;
};

struct timeline {
	int64_t id;
	struct view_incident inc;
	int loaded;
	struct chunk ch[MAX_CHUNKS + 2];
	size_t nch;
	int at_start, at_end;   /* the window holds the first / the last row */
	struct trail *trail;
	size_t ntrail, trail_alloc;
	char *kind;             /* only this kind, NULL every kind */
	char *search;           /* only rows containing it */
	int pending;            /* a forward scan resumes in the background */
	int seek_end;           /* ... and goes on to the end */
	struct view_pos resume;
	int following;          /* the cursor stays on the newest row */
	char *fmt;              /* export: the format picked */
	char *path;             /* export: the file, waiting for "overwrite?" */
	int64_t corr;           /* correct: the reading's entry */
};

enum { TAG_FILTER = 1, TAG_FORMAT, TAG_PATH, TAG_OVERWRITE, TAG_CORRECT };

static int filtered(const struct timeline *tl)
{
	return (tl->kind && *tl->kind) || (tl->search && *tl->search);
}

static int total(const struct timeline *tl)
{
	size_t n = 0;
	for (size_t i = 0; i < tl->nch; i++)
		n += tl->ch[i].pg.nrows;
	return (int)n;
}

static const struct view_row *row_at(const struct timeline *tl, int line,
				     const struct view_pos **key)
{
	for (size_t i = 0; i < tl->nch && line >= 0; i++) {
		if ((size_t)line < tl->ch[i].pg.nrows) {
			if (key)
				*key = &tl->ch[i].pg.pos[line];
			return &tl->ch[i].pg.rows[line];
		}
		line -= (int)tl->ch[i].pg.nrows;
	}
	return NULL;
}

static void window_clear(struct timeline *tl)
{
	for (size_t i = 0; i < tl->nch; i++)
		view_page_release(&tl->ch[i].pg);
	tl->nch = 0;
	tl->ntrail = 0;
	tl->at_start = tl->at_end = 0;
	tl->pending = tl->seek_end = 0;
}

static int fetch(struct tui *t, struct timeline *tl, enum app_page_from from,
		 const struct view_pos *pos, size_t rows, struct view_page *out)
{
	struct app_page_query q;
	struct sitrep_error err = SITREP_ERROR_INIT;
	int code;
	memset(&q, 0, sizeof q);
	q.from = from;
	if (pos)
		q.pos = *pos;
	q.rows = rows;
	q.kind = tl->kind;
	q.search = tl->search;
	code = app_timeline_page(t->app, tl->id, &q, out, &err);
	if (code != 0) {
		tui_status(t, ST_ERR, _("cannot read the timeline: %s"), err.msg ? err.msg : "");
		memset(out, 0, sizeof *out);
	}
	err_release(&err);
	return code;
}

static void set_title(struct view *v)
{
	struct timeline *tl = v->priv;
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	sb_addf(&sb, _("timeline of %" PRId64), tl->id);
	/* a filter first, before a long title can push it out of an 80-column
	 * title bar: a part must not pass for the whole */
	if (tl->kind)
		sb_addf(&sb, _(" \xc2\xb7 only %s"), tl->kind);
	if (tl->search)
		sb_addf(&sb, _(" \xc2\xb7 search \"%s\""), tl->search);
	if (tl->pending)
		sb_addf(&sb, " \xc2\xb7 %s", _("searching\xe2\x80\xa6"));
	if (tl->loaded && tl->inc.title)
		sb_addf(&sb, " \xc2\xb7 %s", tl->inc.title);
	snprintf(v->title, sizeof v->title, "%s", sb.buf);
	sb_release(&sb);
}

/* Append a page after the window; a filtered scan that spent its budget
 * without a row resumes in the background. A filtered window still empty
 * asks for one row: the first hit shows as soon as it is found, however
 * far the incident goes on, and the background fills the page after it. */
static void append(struct tui *t, struct view *v, int from, const struct view_pos *after)
{
	struct timeline *tl = v->priv;
	struct chunk c;
	int first = filtered(tl) && !tl->nch;
	memset(&c, 0, sizeof c);
	c.rows = first ? 1 : PAGE_ROWS;
	if (fetch(t, tl, from == FROM_START ? PAGE_START : PAGE_AFTER, after, c.rows, &c.pg) != 0) {
		tl->pending = 0;
		return;
	}
	c.from = from;
	if (after)
		c.after = *after;
	if (from == FROM_START)
		tl->at_start = 1;
	tl->at_end = c.pg.at_end;
	if (!c.pg.nrows) {
		if (!c.pg.at_end && c.pg.pos) {
			tl->pending = 1;
			tl->resume = c.pg.pos[0];
		} else {
			tl->pending = 0;
		}
		view_page_release(&c.pg);
		return;
	}
	if ((!tl->seek_end && !first) || c.pg.at_end) {
		tl->pending = 0;
	} else {
		tl->pending = 1;
		tl->resume = c.pg.pos[c.pg.nrows - 1];
	}
	tl->ch[tl->nch++] = c;
	v->lines = total(tl);
	/* too many pages: the one furthest from the cursor goes */
	while (tl->nch > MAX_CHUNKS) {
		struct chunk *f = &tl->ch[0];
		int n = (int)f->pg.nrows;
		if (filtered(tl)) {
			tl->trail = xgrow(tl->trail, sizeof *tl->trail, tl->ntrail + 1, &tl->trail_alloc);
			tl->trail[tl->ntrail].from = f->from;
			tl->trail[tl->ntrail].after = f->after;
			tl->trail[tl->ntrail].rows = f->rows;
			tl->ntrail++;
		}
		view_page_release(&f->pg);
		memmove(tl->ch, tl->ch + 1, (tl->nch - 1) * sizeof *tl->ch);
		tl->nch--;
		tl->at_start = 0;
		v->cursor -= n;
		v->offset -= n;
		if (v->cursor < 0)
			v->cursor = 0;
		if (v->offset < 0)
			v->offset = 0;
	}
	v->lines = total(tl);
}

static void prepend(struct tui *t, struct view *v)
{
	struct timeline *tl = v->priv;
	struct chunk c;
	const struct view_pos *first = NULL;
	int n;
	memset(&c, 0, sizeof c);
	if (tl->at_start || !tl->nch)
		return;
	if (filtered(tl)) {
		/* scans only go forward: back to where the dropped page began */
		struct trail tr;
		if (!tl->ntrail) {
			tl->at_start = 1;
			return;
		}
		tr = tl->trail[--tl->ntrail];
		if (fetch(t, tl, tr.from == FROM_START ? PAGE_START : PAGE_AFTER, &tr.after, tr.rows,
			  &c.pg))
			return;
		c.from = tr.from;
		c.after = tr.after;
		c.rows = tr.rows;
		tl->at_start = tr.from == FROM_START;
	} else {
		row_at(tl, 0, &first);
		if (fetch(t, tl, PAGE_BEFORE, first, PAGE_ROWS, &c.pg))
			return;
		c.from = FROM_OTHER;
		tl->at_start = c.pg.at_start || !c.pg.nrows;
	}
	if (!c.pg.nrows) {
		view_page_release(&c.pg);
		return;
	}
	n = (int)c.pg.nrows;
	memmove(tl->ch + 1, tl->ch, tl->nch * sizeof *tl->ch);
	tl->ch[0] = c;
	tl->nch++;
	v->cursor += n;
	v->offset += n;
	while (tl->nch > MAX_CHUNKS) {
		view_page_release(&tl->ch[tl->nch - 1].pg);
		tl->nch--;
		tl->at_end = 0;
		tl->following = 0;
	}
	v->lines = total(tl);
	if (v->cursor >= v->lines)
		v->cursor = v->lines - 1;
}

static void open_start(struct tui *t, struct view *v)
{
	struct timeline *tl = v->priv;
	window_clear(tl);
	tl->following = 0;
	v->cursor = v->offset = 0;
	append(t, v, FROM_START, NULL);
	v->lines = total(tl);
	set_title(v);
}

static void open_end(struct tui *t, struct view *v)
{
	struct timeline *tl = v->priv;
	struct chunk c;
	if (filtered(tl)) {
		/* a filtered page from the end could hold nothing: scan forward */
		if (!tl->at_end) {
			if (!tl->nch)
				open_start(t, v);
			tl->seek_end = 1;
			if (!tl->pending && !tl->at_end && tl->nch) {
				const struct view_pos *last = NULL;
				if (row_at(tl, total(tl) - 1, &last) && last) {
					tl->resume = *last;
					tl->pending = 1;
				}
			}
		}
		v->cursor = v->lines - 1;
		tl->following = tl->at_end;
		set_title(v);
		return;
	}
	window_clear(tl);
	memset(&c, 0, sizeof c);
	if (fetch(t, tl, PAGE_END, NULL, PAGE_ROWS, &c.pg) == 0) {
		c.from = FROM_OTHER;
		tl->at_end = 1;
		tl->at_start = c.pg.at_start;
		if (c.pg.nrows)
			tl->ch[tl->nch++] = c;
		else
			view_page_release(&c.pg);
	}
	v->lines = total(tl);
	v->cursor = v->lines - 1;
	v->offset = v->lines;
	tl->following = 1;
	set_title(v);
}

/* Page in around the cursor. */
static void timeline_moved(struct tui *t, struct view *v)
{
	struct timeline *tl = v->priv;
	if (v->cursor < EDGE && !tl->at_start)
		prepend(t, v);
	if (v->cursor > v->lines - EDGE && !tl->at_end && !tl->pending && tl->nch) {
		const struct view_pos *last = NULL;
		if (row_at(tl, v->lines - 1, &last) && last) {
			struct view_pos at = *last; /* the page it points into may go */
			append(t, v, FROM_AFTER, &at);
		}
	}
	tl->following = tl->at_end && v->cursor >= v->lines - 1;
	set_title(v);
}

static int timeline_work(struct tui *t, struct view *v)
{
	struct timeline *tl = v->priv;
	struct view_pos at;
	int had = v->lines;
	if (!tl->pending)
		return 0;
	at = tl->resume;
	append(t, v, FROM_AFTER, &at);
	if (tl->seek_end && !tl->pending)
		v->cursor = v->lines - 1;
	else if (!had && v->lines)
		v->cursor = 0; /* the first hit */
	if (!tl->pending) {
		if (!strcmp(t->status, _("searching\xe2\x80\xa6")))
			t->status[0] = '\0';
		tl->seek_end = 0;
		tl->following = tl->at_end && v->cursor >= v->lines - 1;
		if (!v->lines && filtered(tl))
			tui_status(t, ST_ERR, "%s", _("no entry matches: / with an empty search, or f "
						      "all, shows them all"));
	}
	set_title(v);
	return tl->pending;
}

static int timeline_load(struct tui *t, struct view *v)
{
	struct timeline *tl = v->priv;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct view_incident nv;
	if (app_incident(t->app, tl->id, 0, &nv, &err) == 0) {
		if (tl->loaded)
			view_incident_release(&tl->inc);
		tl->inc = nv;
		tl->loaded = 1;
	} else {
		tui_status(t, ST_ERR, _("cannot load incident %" PRId64 ": %s"), tl->id,
			   err.msg ? err.msg : "");
	}
	err_release(&err);
	if (!tl->nch && !tl->pending) {
		if (filtered(tl))
			open_start(t, v);
		else
			open_end(t, v);
	} else if (tl->at_end && !tl->pending) {
		/* new entries (and what time did since) come after the last row */
		const struct view_pos *last = NULL;
		int follow = tl->following;
		row_at(tl, v->lines - 1, &last);
		if (last) {
			struct view_pos at = *last;
			append(t, v, FROM_AFTER, &at);
			tl->at_end = 1;
		}
		if (follow)
			v->cursor = v->lines - 1;
	}
	set_title(v);
	return 0;
}

/* ------------------------------------------------------------ drawing */

enum { C_TIME, C_T, C_ACTOR, C_KIND, C_TEXT, C__N };

/* TIME, T+ (from 100 columns), ACTOR, KIND, and the text takes the rest. */
static void columns(const struct canvas *c, int *w, int *x)
{
	static const int grow[C__N] = { 0, 0, 0, 0, 1 };
	int min[C__N] = { c->cols >= 120 ? 19 : 8, c->cols >= 100 ? 11 : 0, 8, 9, 20 };
	static const char *const head[C__N] = { N_("TIME"), "T+", N_("ACTOR"), N_("KIND"),
						N_("TEXT") };
	for (int i = 0; i < C__N; i++) {
		int hw = tx_width(i == 1 ? head[i] : _(head[i]));
		if (hw > min[i] && i != C_TEXT && min[i])
			min[i] = hw;
	}
	if (tui_layout(min, grow, C__N, 1, c->cols - 2, w) < 0) {
		min[C_TEXT] = 10;
		(void)tui_layout(min, grow, C__N, 1, c->cols - 2, w);
	}
	x[0] = 1;
	for (int i = 1; i < C__N; i++)
		x[i] = x[i - 1] + w[i - 1] + (w[i - 1] ? 1 : 0);
}

static int timeline_head(struct tui *t, struct view *v, struct canvas *c, int top)
{
	struct timeline *tl = v->priv;
	static const char *const head[C__N] = { N_("TIME"), "T+", N_("ACTOR"), N_("KIND"),
						N_("TEXT") };
	int w[C__N], x[C__N];
	(void)t;
	columns(c, w, x);
	for (int i = 0; i < C__N; i++)
		if (w[i])
			cv_put(c, top, x[i], w[i], ST_HEAD, i == 1 ? head[i] : _(head[i]));
	if (tl->loaded && tl->inc.drill) {
		/* at the right of the heading row, as on the dashboard */
		const char *badge = _("DRILL: AN EXERCISE");
		int bw = tx_width(badge) + 2;
		if (x[C_TEXT] + 6 > c->cols - 1 - bw) {
			badge = _("DRILL");
			bw = tx_width(badge) + 2;
		}
		cv_putf(c, top, c->cols - 1 - bw, bw, ST_DRILL, " %s ", badge);
	}
	return 1;
}

static void timeline_row(struct tui *t, struct view *v, struct canvas *c, int y, int line, int sel)
{
	struct timeline *tl = v->priv;
	const struct view_row *r = row_at(tl, line, NULL);
	int w[C__N], x[C__N], base;
	char at[40], el[48];
	struct strbuf text = STRBUF_INIT;
	(void)t;
	(void)sel;
	if (!r)
		return;
	columns(c, w, x);
	base = r->refused ? ST_UNMET : r->entry == 0 ? ST_DIM : ST_NORMAL;
	time_format_local(r->occurred_at, at, sizeof at);
	cv_put(c, y, x[C_TIME], w[C_TIME], base, w[C_TIME] >= 19 || strlen(at) < 19 ? at : at + 11);
	tui_elapsed(tl->loaded ? tl->inc.opened_at : r->occurred_at, r->occurred_at, el, sizeof el);
	if (w[C_T])
		cv_put(c, y, x[C_T], w[C_T], base, el);
	cv_put(c, y, x[C_ACTOR], w[C_ACTOR], base, r->actor && *r->actor ? r->actor : _("(engine)"));
	cv_put(c, y, x[C_KIND], w[C_KIND], r->refused ? ST_UNMET : ST_BOLD, kind_word(r->kind));
	sb_init(&text);
	sb_adds(&text, r->summary ? r->summary : "");
	if (r->corrected_by)
		sb_addf(&text, _(" (corrected by entry %" PRId64 ")"), r->corrected_by);
	if (r->no_effect)
		sb_adds(&text, _(" (no effect since a correction)"));
	cv_put(c, y, x[C_TEXT], w[C_TEXT], base, text.buf);
	sb_release(&text);
}

static void timeline_empty(struct tui *t, struct view *v, struct canvas *c, int top, int rows)
{
	struct timeline *tl = v->priv;
	char when[48];
	(void)rows;
	if (tl->pending)
		cv_putf(c, top + 1, 2, c->cols - 4, ST_DIM, _("searching\xe2\x80\xa6 (at %s)"),
			tui_when(tl->resume.occ, t->now, when, sizeof when));
	else
		cv_put(c, top + 1, 2, c->cols - 4, ST_DIM,
		       filtered(tl) ? _("no entry matches: / with an empty search, or f all, shows "
					"them all")
				    : _("no entries"));
}

static void timeline_row_text(struct view *v, int line, struct strbuf *out)
{
	const struct view_row *r = row_at(v->priv, line, NULL);
	if (r)
		sb_addf(out, "%s %s %s", r->kind, r->actor, r->summary);
}

/* ------------------------------------------------------------ search, filter */

static void timeline_search(struct tui *t, struct view *v, const char *query)
{
	struct timeline *tl = v->priv;
	free(tl->search);
	tl->search = query && *query ? xstrdup(query) : NULL;
	if (filtered(tl))
		open_start(t, v);
	else
		open_end(t, v);
	if (tl->pending)
		tui_status(t, ST_DIM, "%s", _("searching\xe2\x80\xa6"));
}

static void picked(struct tui *t, struct view *v, int tag, const char *const *ids, size_t n,
		   int typed);

static void pick_kind(struct tui *t, struct view *v)
{
	struct picker_item items[ACT__COUNT + 4];
	struct picker_spec ps;
	size_t n = 0;
	memset(items, 0, sizeof items); /* no countdowns here */
	items[n].id = "all";
	items[n].label = _("all kinds");
	items[n].right = NULL;
	items[n++].style = 0;
	for (int k = 0; k < ACT__COUNT; k++) {
		items[n].id = action_name(k);
		items[n].label = action_word(k);
		items[n].right = _(action_info[k].help);
		items[n++].style = ST_DIM;
	}
	items[n].id = "refused";
	items[n].label = kind_word("refused");
	items[n].right = _("what the rules refused");
	items[n++].style = ST_DIM;
	items[n].id = "auto";
	items[n].label = kind_word("auto");
	items[n].right = _("what time did (deadlines, windows)");
	items[n++].style = ST_DIM;
	items[n].id = "export";
	items[n].label = kind_word("export");
	items[n].right = _("exports and reports written");
	items[n++].style = ST_DIM;
	memset(&ps, 0, sizeof ps);
	ps.title = _("show one kind of entry");
	ps.items = items;
	ps.n = n;
	ps.tag = TAG_FILTER;
	ps.done = picked;
	picker_open(t, v, &ps);
}

/* ------------------------------------------------------------ export */

static void formed(struct tui *t, struct view *v, int tag, const char *const *val, int toggle);

static void export_to(struct tui *t, struct view *v, const char *path, int overwrite)
{
	struct timeline *tl = v->priv;
	struct app_export x;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct strbuf what = STRBUF_INIT;
	FILE *f;
	int fd, code;
	/* never over an existing file unasked: O_EXCL unless confirmed */
	fd = open(path, O_WRONLY | O_CREAT | (overwrite ? O_TRUNC : O_EXCL), 0644);
	if (fd < 0 && errno == EEXIST && !overwrite) {
		char prompt[600];
		free(tl->path);
		tl->path = xstrdup(path);
		snprintf(prompt, sizeof prompt,
			 _("'%s' exists: overwrite it? type y to overwrite (Esc keeps it)"), path);
		form_ask(t, v, TAG_OVERWRITE, prompt, NULL, 0, formed);
		return;
	}
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		tui_status(t, ST_ERR, _("cannot write '%s': %s"), path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	memset(&x, 0, sizeof x);
	x.format = tl->fmt ? tl->fmt : "text";
	x.kind = tl->kind;
	x.search = tl->search;
	code = app_timeline(t->app, tl->id, &x, f, &err);
	if (fclose(f) != 0 && code == 0) {
		tui_status(t, ST_ERR, _("cannot write '%s': %s"), path, strerror(errno));
		err_release(&err);
		return;
	}
	if (code != 0) {
		tui_status(t, ST_ERR, _("export failed: %s"), err.msg ? err.msg : "");
		err_release(&err);
		return;
	}
	sb_init(&what);
	if (tl->kind)
		sb_addf(&what, _("only %s entries"), tl->kind);
	if (tl->search)
		sb_addf(&what, _("%sonly entries containing \"%s\""), what.len ? ", " : "", tl->search);
	tui_status(t, ST_OK, _("exported the timeline (%s) to '%s': %s, as shown"), x.format, path,
		   what.len ? what.buf : _("every entry"));
	sb_release(&what);
	tui_changed(t); /* the export is journaled */
}

/* The export's file, checked before the form closes: a folder that is not
 * there or not writable is said in the form, the path kept to be mended. */
static int path_checked(struct tui *t, struct view *v, int tag, const char *const *val, char *msg,
			size_t size)
{
	char *dir, *slash;
	int bad;
	(void)t;
	(void)v;
	if (tag != TAG_PATH)
		return 0;
	dir = xstrdup(val[0]);
	slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = '\0'; /* "/x" -> "/", "a/b/x" -> "a/b" */
	bad = access(slash ? dir : ".", W_OK | X_OK) != 0;
	if (bad)
		snprintf(msg, size, _("cannot write '%s': %s"), val[0], strerror(errno));
	free(dir);
	return bad;
}

static void picked(struct tui *t, struct view *v, int tag, const char *const *ids, size_t n,
		   int typed)
{
	struct timeline *tl = v->priv;
	(void)typed;
	if (!n)
		return;
	if (tag == TAG_FILTER) {
		free(tl->kind);
		tl->kind = strcmp(ids[0], "all") ? xstrdup(ids[0]) : NULL;
		if (filtered(tl))
			open_start(t, v);
		else
			open_end(t, v);
		return;
	}
	if (tag == TAG_FORMAT) {
		char path[128], prompt[300];
		free(tl->fmt);
		tl->fmt = xstrdup(ids[0]);
		snprintf(path, sizeof path, "sitrep-%" PRId64 "-timeline.%s", tl->id,
			 !strcmp(ids[0], "text") ? "txt" : ids[0]);
		snprintf(prompt, sizeof prompt, _("export the timeline as %s to the file (%s)"), ids[0],
			 filtered(tl) ? _("what is shown: the filter applies") : _("every entry"));
		{
			struct form_field fl = { "", path, 0, NULL, 0 };
			struct form_spec fs = { prompt, &fl, 1, NULL, 0, TAG_PATH, formed, path_checked };
			form_open(t, v, &fs);
		}
	}
}

static int yes(const char *s)
{
	return !strcmp(s, "y") || !strcmp(s, "Y") || !strcmp(s, "yes") || !strcmp(s, _("yes"));
}

/* The correction form is checked before it closes: what was typed stays. */
static int checked(struct tui *t, struct view *v, int tag, const char *const *val, char *msg,
		   size_t size)
{
	(void)t;
	(void)v;
	/* the values are the first field */
	return tag == TAG_CORRECT && tui_readings_problem(val[0], 1, msg, size) != 0 ? 1 : 0;
}

static void correct_submit(struct tui *t, struct view *v, const char *values, const char *reason)
{
	struct timeline *tl = v->priv;
	char *words = xstrdup(values), msg[512];
	const char *names[TUI_READINGS_MAX];
	double vals[TUI_READINGS_MAX];
	int n = tui_readings_said(words, names, vals, 1, msg, sizeof msg);
	struct app_request rq;
	if (n < 0) {
		tui_status(t, ST_ERR, "%s", msg);
		free(words);
		return;
	}
	memset(&rq, 0, sizeof rq);
	rq.kind = ACT_CORRECT;
	rq.incident = tl->id;
	rq.entry = tl->corr;
	rq.text = reason;
	rq.metric_names = n ? names : NULL;
	rq.metric_values = n ? vals : NULL;
	rq.nmetrics = (size_t)n;
	tui_act(t, &rq, NULL);
	free(words);
	/* the corrected row shows its mark: fetch the window again */
	{
		int keep = v->cursor;
		if (filtered(tl))
			open_start(t, v);
		else
			open_end(t, v);
		if (keep < v->lines)
			v->cursor = keep;
	}
}

static void formed(struct tui *t, struct view *v, int tag, const char *const *val, int toggle)
{
	struct timeline *tl = v->priv;
	(void)toggle;
	if (tag == TAG_PATH)
		export_to(t, v, val[0], 0);
	else if (tag == TAG_OVERWRITE && tl->path) {
		if (yes(val[0]))
			export_to(t, v, tl->path, 1);
		else
			tui_status(t, ST_DIM, _("'%s' kept: nothing exported"), tl->path);
	} else if (tag == TAG_CORRECT)
		correct_submit(t, v, val[0], val[1]);
}

/* ------------------------------------------------------------ handlers */

static void act_entry(struct tui *t, struct view *v)
{
	struct timeline *tl = v->priv;
	const struct view_row *r = row_at(tl, v->cursor, NULL);
	struct strbuf sb = STRBUF_INIT;
	char title[128], at[40];
	if (!r)
		return;
	sb_init(&sb);
	if (r->entry > 0) {
		struct sitrep_error err = SITREP_ERROR_INIT;
		if (app_entry_text(t->app, tl->id, r->entry, &sb, &err) != 0) {
			tui_status(t, ST_ERR, _("cannot show entry %" PRId64 ": %s"), r->entry,
				   err.msg ? err.msg : "");
			err_release(&err);
			sb_release(&sb);
			return;
		}
		sb_adds(&sb, "\n");
		sb_addf(&sb, _("summary:   %s\n"), r->summary);
		snprintf(title, sizeof title, _("entry %" PRId64 " (q back)"), r->entry);
	} else {
		sb_addf(&sb, _("derived by the engine (time passed) in incident %" PRId64 "\n\n"), tl->id);
		sb_addf(&sb, _("happened:  %s\n"), time_format_local(r->occurred_at, at, sizeof at));
		sb_addf(&sb, _("summary:   %s\n"), r->summary);
		snprintf(title, sizeof title, "%s", _("derived transition (q back)"));
	}
	if (r->text && *r->text)
		sb_addf(&sb, _("text:      %s\n"), r->text);
	if (r->neffects) {
		sb_addf(&sb, "\n%s\n", _("caused:"));
		for (size_t i = 0; i < r->neffects; i++)
			sb_addf(&sb, "  - %s\n", r->effects[i]);
	}
	/* the row keeps the state's id; its word is a catalogue entry (names.c) */
	sb_addf(&sb, _("state after: %s"), r->phase && *r->phase ? _(r->phase) : "");
	if (r->level)
		sb_addf(&sb, _(", level %s"), r->level);
	if (r->warning)
		sb_addf(&sb, _(", %s warning"), _(r->warning)); /* a colour's word (entry.c) */
	sb_addc(&sb, '\n');
	pager_open(t, title, sb.buf);
	sb_release(&sb);
}

static void act_filter(struct tui *t, struct view *v)
{
	pick_kind(t, v);
}

static void act_export(struct tui *t, struct view *v)
{
	struct picker_item items[4] = {
		{ "text", "text", N_("aligned, for reading"), ST_DIM, 0 },
		{ "md", "md", N_("Markdown"), ST_DIM, 0 },
		{ "csv", "csv", N_("for a spreadsheet"), ST_DIM, 0 },
		{ "json", "json", N_("for programs"), ST_DIM, 0 },
	};
	struct picker_spec ps;
	for (int i = 0; i < 4; i++)
		items[i].right = _(items[i].right);
	memset(&ps, 0, sizeof ps);
	ps.title = _("export the timeline: which format?");
	ps.items = items;
	ps.n = 4;
	ps.tag = TAG_FORMAT;
	ps.done = picked;
	picker_open(t, v, &ps);
}

static void act_correct(struct tui *t, struct view *v)
{
	struct timeline *tl = v->priv;
	const struct view_row *r = row_at(tl, v->cursor, NULL);
	struct strbuf vals = STRBUF_INIT;
	char title[300];
	struct form_field fields[2];
	struct form_spec fs;
	if (!r || r->entry <= 0 || strcmp(r->kind, "metric") || !r->nreadings) {
		tui_status(t, ST_ERR, "%s", _("not a reading: move the cursor to a metric entry"));
		return;
	}
	tl->corr = r->entry;
	sb_init(&vals);
	for (size_t i = 0; i < r->nreadings; i++)
		sb_addf(&vals, "%s%s", i ? " " : "", r->readings[i]);
	snprintf(title, sizeof title, _("correct reading %" PRId64 ": new values, or empty to void it"),
		 r->entry);
	memset(fields, 0, sizeof fields);
	fields[0].label = _("values");
	fields[0].initial = vals.buf;
	fields[0].optional = 1;
	fields[1].label = _("reason");
	memset(&fs, 0, sizeof fs);
	fs.title = title;
	fs.fields = fields;
	fs.nfields = 2;
	fs.tag = TAG_CORRECT;
	fs.done = formed;
	fs.check = checked;
	form_open(t, v, &fs);
	sb_release(&vals);
}

static void act_first(struct tui *t, struct view *v)
{
	struct timeline *tl = v->priv;
	if (tl->at_start) {
		v->cursor = 0;
		return;
	}
	open_start(t, v);
}

static void act_last(struct tui *t, struct view *v)
{
	struct timeline *tl = v->priv;
	if (tl->at_end && !filtered(tl) && v->lines > 0) {
		/* the newest row is already held (a commit since would have
		 * reloaded the view): as Home does at the start, no page again */
		v->cursor = v->lines - 1;
		tl->following = 1;
		set_title(v);
		return;
	}
	open_end(t, v);
	if (((struct timeline *)v->priv)->pending)
		tui_status(t, ST_DIM, "%s", _("searching\xe2\x80\xa6"));
}

static const struct view_may *timeline_may(struct view *v, int act)
{
	struct timeline *tl = v->priv;
	if (!tl->loaded || act < 0 || act >= ACT__COUNT)
		return NULL;
	return &tl->inc.may[act];
}

static void timeline_done(struct view *v)
{
	struct timeline *tl = v->priv;
	window_clear(tl);
	if (tl->loaded)
		view_incident_release(&tl->inc);
	free(tl->trail);
	free(tl->kind);
	free(tl->search);
	free(tl->fmt);
	free(tl->path);
	free(tl);
}

static const struct tui_handler timeline_handlers[] = {
	{ A_ENTER, -1, act_entry },
	{ A_FILTER, -1, act_filter },
	{ A_EXPORT, -1, act_export },
	{ A_CORRECT, ACT_CORRECT, act_correct },
	{ A_FIRST, -1, act_first },
	{ A_LAST, -1, act_last },
	{ A_NONE, -1, NULL },
};

static const struct view_ops timeline_ops = {
	.name = N_("timeline"),
	.scope = SCOPE_TIMELINE,
	.open = timeline_load,
	.draw_head = timeline_head,
	.draw_row = timeline_row,
	.draw_empty = timeline_empty,
	.row_text = timeline_row_text,
	.search = timeline_search,
	.moved = timeline_moved,
	.may = timeline_may,
	.handlers = timeline_handlers,
	.done = timeline_done,
	.work = timeline_work,
};

void timeline_open(struct tui *t, int64_t incident)
{
	struct timeline *tl = xcalloc(1, sizeof *tl);
	tl->id = incident;
	tui_push(t, &timeline_ops, tl, 0);
}
