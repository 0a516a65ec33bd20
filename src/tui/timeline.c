/* The timeline of one incident: every entry (actions, refusals, exports)
 * and the transitions the engine derived, with local time, T+, actor,
 * role, kind and text. `/` searches, `f` filters by kind, `x` exports,
 * Enter shows an entry in full. */
#include "tui_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct trow {
	int64_t entry_id;
	int64_t occurred, recorded;
	char *actor, *role, *kind, *summary, *payload, *text, *rule;
	int refused;
	char *effects;         /* one effect a line */
	char *state;           /* the state after it, in words */
};

struct timeline {
	int64_t id;
	int64_t opened_at;
	int drill;             /* an exercise: the DRILL badge shows */
	char *title;
	struct trow *rows;
	size_t n, alloc;
	size_t *shown;
	size_t nshown;
	char *search;          /* NULL: none */
	char *kind;            /* NULL: every kind */
	char *fmt;             /* export: the format picked */
	const struct plan *plan; /* valid during a load only */
};

enum { TAG_SEARCH = 1, TAG_FILTER, TAG_FORMAT, TAG_PATH };

static void rows_free(struct timeline *tl)
{
	for (size_t i = 0; i < tl->n; i++) {
		struct trow *r = &tl->rows[i];
		free(r->actor); free(r->role); free(r->kind); free(r->summary);
		free(r->payload); free(r->text); free(r->rule); free(r->effects); free(r->state);
	}
	free(tl->rows);
	free(tl->shown);
	tl->rows = NULL;
	tl->shown = NULL;
	tl->n = tl->alloc = tl->nshown = 0;
}

static void apply_filter(struct view *v)
{
	struct timeline *tl = v->priv;
	int64_t keep = v->cursor >= 0 && (size_t)v->cursor < tl->nshown
		? (int64_t)tl->shown[v->cursor] : -1;
	tl->nshown = 0;
	for (size_t i = 0; i < tl->n; i++) {
		const struct trow *r = &tl->rows[i];
		if (tl->kind && strcmp(r->kind, tl->kind) != 0)
			continue;
		if (tl->search && !tui_match(r->summary, tl->search) &&
		    !tui_match(r->actor, tl->search) && !tui_match(r->kind, tl->search) &&
		    !tui_match(r->role, tl->search) && !tui_match(r->text, tl->search))
			continue;
		tl->shown[tl->nshown++] = i;
	}
	v->lines = (int)tl->nshown;
	v->cursor = v->lines - 1; /* the newest, unless the one shown before is still here */
	for (size_t i = 0; keep >= 0 && i < tl->nshown; i++)
		if ((int64_t)tl->shown[i] == keep)
			v->cursor = (int)i;
	if (v->cursor < 0)
		v->cursor = 0;
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	sb_addf(&sb, "timeline of %" PRId64 " \xc2\xb7 %zu of %zu entries", tl->id, tl->nshown, tl->n);
	if (tl->kind)
		sb_addf(&sb, " \xc2\xb7 kind %s", tl->kind);
	if (tl->search)
		sb_addf(&sb, " \xc2\xb7 search \"%s\"", tl->search);
	snprintf(v->title, sizeof v->title, "%s", sb.buf);
	sb_release(&sb);
}

static int history_item(const struct app_item *it, const struct engine_state *st, void *ctx)
{
	struct timeline *tl = ctx;
	tl->rows = xgrow(tl->rows, sizeof *tl->rows, tl->n + 1, &tl->alloc);
	struct trow *r = &tl->rows[tl->n++];
	memset(r, 0, sizeof *r);
	r->entry_id = it->entry_id;
	r->occurred = it->occurred_at;
	r->recorded = it->recorded_at;
	r->actor = xstrdup(it->actor ? it->actor : "");
	r->role = xstrdup(it->role ? it->role : "");
	r->kind = xstrdup(it->kind ? it->kind : "");
	r->summary = xstrdup(it->summary ? it->summary : "");
	r->payload = xstrdup(it->payload ? it->payload : "");
	r->text = it->text ? xstrdup(it->text) : NULL;
	r->rule = xstrdup(it->rule ? it->rule : "");
	r->refused = it->refused;
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	for (size_t i = 0; i < it->neffects; i++)
		sb_addf(&sb, "%s\n", it->effects[i].text);
	r->effects = sb_detach(&sb);
	sb_init(&sb);
	sb_adds(&sb, engine_phase_name(it->phase));
	const struct plan *p = tl->plan;
	if (p && it->level >= 0 && (size_t)it->level < p->nlevels)
		sb_addf(&sb, ", level %s", p->levels[it->level].id);
	if (p && it->warning >= 0 && (size_t)it->warning < p->nwarnings)
		sb_addf(&sb, ", %s warning", p->warnings[it->warning].id);
	r->state = sb_detach(&sb);
	if (!tl->opened_at && st->opened)
		tl->opened_at = st->opened_at;
	return 0;
}

static int timeline_load(struct tui *t, struct view *v)
{
	struct timeline *tl = v->priv;
	rows_free(tl);
	struct app_incident inc;
	memset(&inc, 0, sizeof inc);
	struct sitrep_error err;
	memset(&err, 0, sizeof err);
	int loaded = app_incident_load(t->app, tl->id, 0, &inc, &err) == 0;
	if (!loaded) {
		tui_status(t, ST_ERR, "cannot load incident %" PRId64 ": %s", tl->id,
			   err.msg ? err.msg : "");
		free(err.path);
		free(err.msg);
		v->lines = 0;
		return -1;
	}
	tl->plan = inc.plan;
	tl->opened_at = inc.st.opened_at;
	tl->drill = inc.row.drill || inc.st.drill;
	free(tl->title);
	tl->title = xstrdup(inc.row.title ? inc.row.title : "");
	memset(&err, 0, sizeof err);
	int rc = app_history(t->app, tl->id, 0, history_item, tl, &err);
	tl->plan = NULL;
	app_incident_release(&inc);
	if (rc != 0) {
		tui_status(t, ST_ERR, "cannot read the timeline: %s", err.msg ? err.msg : "");
		free(err.path);
		free(err.msg);
	}
	tl->shown = xcalloc(tl->n ? tl->n : 1, sizeof *tl->shown);
	apply_filter(v);
	return rc == 0 ? 0 : -1;
}

enum { C_TIME, C_T, C_ACTOR, C_ROLE, C_KIND, C_TEXT, C__N };

static void timeline_draw(struct tui *t, struct view *v, int top, int rows)
{
	struct timeline *tl = v->priv;
	int wide = COLS >= 110;
	int min[C__N] = { wide ? 19 : 8, 11, 8, 10, 9, 20 };
	static const int grow[C__N] = { 0, 0, 1, 1, 1, 8 };
	int w[C__N], x[C__N];
	if (tui_layout(min, grow, C__N, 1, COLS - 2, w) < 0)
		return;
	x[0] = 1;
	for (int i = 1; i < C__N; i++)
		x[i] = x[i - 1] + w[i - 1] + 1;
	static const char *const head[C__N] = { "TIME", "T+", "ACTOR", "ROLE", "KIND", "TEXT" };
	for (int i = 0; i < C__N; i++)
		tui_put(t, top, x[i], w[i], ST_HEAD, head[i], 0);
	if (tl->drill) { /* at the right of the heading row, as on the dashboard */
		const char *badge = " DRILL: AN EXERCISE ";
		int bw = tui_width(badge);
		if (x[C_TEXT] + 6 > COLS - 1 - bw) {
			badge = " DRILL ";
			bw = tui_width(badge);
		}
		tui_put(t, top, COLS - 1 - bw, bw, ST_DRILL, badge, 0);
	}
	int body = rows - 1;
	if (tl->nshown == 0) {
		tui_put(t, top + 1, 2, COLS - 4, ST_DIM,
			tl->n ? "no entry matches: / with an empty search or f all shows them all"
			      : "no entries", 0);
		return;
	}
	tui_scroll_fit(v, body);
	for (int r = 0; r < body; r++) {
		int idx = v->offset + r;
		if (idx >= (int)tl->nshown)
			break;
		const struct trow *row = &tl->rows[tl->shown[idx]];
		int y = top + 1 + r, sel = idx == v->cursor;
		int base = sel ? ST_SEL : row->refused ? ST_UNMET : row->entry_id == 0 ? ST_DIM : ST_NORMAL;
		tui_fill(t, y, 0, COLS, base);
		char at[40], el[48];
		time_format_local(row->occurred, at, sizeof at);
		tui_put(t, y, x[C_TIME], w[C_TIME], base, wide || strlen(at) < 19 ? at : at + 11, 0);
		tui_elapsed(tl->opened_at, row->occurred, el, sizeof el);
		tui_put(t, y, x[C_T], w[C_T], base, el, 0);
		tui_put(t, y, x[C_ACTOR], w[C_ACTOR], base, row->actor[0] ? row->actor : "(engine)", 0);
		tui_put(t, y, x[C_ROLE], w[C_ROLE], base, row->role, 0);
		tui_put(t, y, x[C_KIND], w[C_KIND], sel ? ST_SEL : row->refused ? ST_UNMET : ST_BOLD,
			row->kind, 0);
		tui_put(t, y, x[C_TEXT], w[C_TEXT], base, row->summary, 0);
	}
}

static void show_entry(struct tui *t, struct timeline *tl, const struct trow *r)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	char at[40], rec[40], utc[40], el[48];
	time_format_local(r->occurred, at, sizeof at);
	time_format_local(r->recorded, rec, sizeof rec);
	time_format_utc(r->occurred, utc, sizeof utc);
	tui_elapsed(tl->opened_at, r->occurred, el, sizeof el);
	if (r->entry_id)
		sb_addf(&sb, "entry %" PRId64 " of incident %" PRId64 "\n\n", r->entry_id, tl->id);
	else
		sb_addf(&sb, "derived by the engine (time passed) in incident %" PRId64 "\n\n", tl->id);
	sb_addf(&sb, "kind      %s%s\n", r->kind, r->refused ? " (REFUSED)" : "");
	sb_addf(&sb, "occurred  %s  (%s, %s)\n", at, utc, el);
	if (r->entry_id)
		sb_addf(&sb, "recorded  %s\n", rec);
	sb_addf(&sb, "actor     %s\n", r->actor[0] ? r->actor : "(engine)");
	sb_addf(&sb, "role      %s\n", r->role[0] ? r->role : "-");
	if (r->rule[0])
		sb_addf(&sb, "rule      %s\n", r->rule);
	sb_addf(&sb, "summary   %s\n", r->summary);
	if (r->text) {
		/* The user's text, escaped line by line when drawn. */
		sb_adds(&sb, "text      ");
		for (const char *s = r->text; *s; s++) {
			if (*s == '\n')
				sb_adds(&sb, "\n          ");
			else
				sb_addc(&sb, *s);
		}
		sb_addc(&sb, '\n');
	}
	sb_addf(&sb, "state     %s\n", r->state);
	if (r->effects[0]) {
		sb_adds(&sb, "\ncaused:\n");
		for (const char *s = r->effects; *s;) {
			const char *nl = strchr(s, '\n');
			size_t len = nl ? (size_t)(nl - s) : strlen(s);
			sb_adds(&sb, "  - ");
			sb_add(&sb, s, len);
			sb_addc(&sb, '\n');
			s += len + (nl ? 1 : 0);
		}
	}
	sb_addf(&sb, "\npayload:\n  %s\n", r->payload);
	char title[128];
	if (r->entry_id)
		snprintf(title, sizeof title, "entry %" PRId64 " (q back)", r->entry_id);
	else
		snprintf(title, sizeof title, "derived transition (q back)");
	pager_open(t, title, sb.buf);
	sb_release(&sb);
}

static int write_file(const char *path, const char *data, size_t len, char *why, size_t size)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(why, size, "%s", strerror(errno));
		return -1;
	}
	int bad = fwrite(data, 1, len, f) != len;
	if (bad)
		snprintf(why, size, "%s", strerror(errno));
	if (fclose(f) != 0 && !bad) {
		snprintf(why, size, "%s", strerror(errno));
		bad = 1;
	}
	return bad ? -1 : 0;
}

static void form_done(struct tui *t, struct view *owner, int tag, const char *text)
{
	struct timeline *tl = owner->priv;
	if (tag == TAG_SEARCH) {
		free(tl->search);
		tl->search = *text ? xstrdup(text) : NULL;
		owner->cursor = -1;
		apply_filter(owner);
		if (tl->search && tl->nshown == 0)
			tui_status(t, ST_ERR, "nothing matches \"%s\"", tl->search);
		return;
	}
	if (tag == TAG_PATH && tl->fmt) {
		struct strbuf out = STRBUF_INIT;
		sb_init(&out);
		struct sitrep_error err;
		memset(&err, 0, sizeof err);
		int rc = app_timeline(t->app, tl->id, tl->fmt, &out, &err);
		if (rc != 0) {
			tui_status(t, ST_ERR, "export failed: %s", err.msg ? err.msg : "");
			free(err.path);
			free(err.msg);
		} else {
			char why[256];
			if (write_file(text, out.buf, out.len, why, sizeof why) < 0)
				tui_status(t, ST_ERR, "cannot write '%s': %s", text, why);
			else
				tui_status(t, ST_OK, "exported the timeline (%s, %zu bytes) to '%s'",
					   tl->fmt, out.len, text);
			t->reload = 1; /* the export is journaled */
		}
		sb_release(&out);
	}
}

static void picked(struct tui *t, struct view *owner, int tag, size_t index, const char *id)
{
	struct timeline *tl = owner->priv;
	if (tag == TAG_FILTER) {
		free(tl->kind);
		tl->kind = index == 0 ? NULL : xstrdup(id);
		owner->cursor = -1;
		apply_filter(owner);
		return;
	}
	if (tag == TAG_FORMAT) {
		free(tl->fmt);
		tl->fmt = xstrdup(id);
		char path[128], prompt[160];
		snprintf(path, sizeof path, "sitrep-%" PRId64 "-timeline.%s", tl->id,
			 !strcmp(id, "text") ? "txt" : id);
		snprintf(prompt, sizeof prompt, "export the timeline as %s to the file", id);
		struct form_spec fs = { .prompt = prompt, .initial = path, .tag = TAG_PATH,
					.done = form_done };
		form_open(t, owner, &fs);
	}
}

static void pick_kind(struct tui *t, struct view *v)
{
	struct timeline *tl = v->priv;
	const char **ids = xcalloc(tl->n + 1, sizeof *ids);
	char **labels = xcalloc(tl->n + 1, sizeof *labels);
	size_t n = 0;
	ids[n] = "all";
	labels[n++] = xstrdup("all kinds");
	for (size_t i = 0; i < tl->n; i++) {
		size_t k = 1;
		while (k < n && strcmp(ids[k], tl->rows[i].kind) != 0)
			k++;
		if (k < n)
			continue;
		size_t count = 0;
		for (size_t j = 0; j < tl->n; j++)
			count += !strcmp(tl->rows[j].kind, tl->rows[i].kind);
		ids[n] = tl->rows[i].kind;
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		sb_addf(&sb, "%-14s %zu", tl->rows[i].kind, count);
		labels[n++] = sb_detach(&sb);
	}
	picker_open(t, v, "show one kind of entry", ids, (const char *const *)labels, n,
		    TAG_FILTER, picked);
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(ids);
}

static enum req_result timeline_request(struct tui *t, struct view *v, enum tui_action a)
{
	struct timeline *tl = v->priv;
	switch (a) {
	case A_ENTER: /* precondition: an entry is highlighted */
		if (tl->nshown == 0)
			return REQ_HANDLED;
		show_entry(t, tl, &tl->rows[tl->shown[v->cursor]]);
		return REQ_HANDLED;
	case A_SEARCH: {
		struct form_spec fs = { .prompt = "search the timeline (empty clears)",
					.initial = tl->search, .allow_empty = 1,
					.tag = TAG_SEARCH, .done = form_done };
		form_open(t, v, &fs);
		return REQ_HANDLED;
	}
	case A_FILTER:
		pick_kind(t, v);
		return REQ_HANDLED;
	case A_EXPORT: {
		static const char *const ids[] = { "text", "md", "csv", "json" };
		static const char *const labels[] = { "text  aligned, for reading",
						      "md    Markdown", "csv   for a spreadsheet",
						      "json  for programs" };
		picker_open(t, v, "export the timeline: which format?", ids, labels, 4,
			    TAG_FORMAT, picked);
		return REQ_HANDLED;
	}
	default:
		return REQ_UNHANDLED;
	}
}

static void timeline_done(struct view *v)
{
	struct timeline *tl = v->priv;
	rows_free(tl);
	free(tl->title);
	free(tl->search);
	free(tl->kind);
	free(tl->fmt);
	free(tl);
}

static const struct view_ops timeline_ops = {
	.name = "timeline",
	.scope = SCOPE_TIMELINE,
	.open = timeline_load,
	.draw = timeline_draw,
	.request = timeline_request,
	.done = timeline_done,
};

void timeline_open(struct tui *t, int64_t incident)
{
	struct timeline *tl = xcalloc(1, sizeof *tl);
	tl->id = incident;
	tui_push(t, &timeline_ops, tl, 0);
}
