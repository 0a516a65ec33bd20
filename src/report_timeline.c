/* report: the timeline, streamed. begin writes the header, each row is
 * written the moment it comes, end writes the footer: nothing is kept
 * between rows but a few numbers, so a million rows take the memory of one.
 *
 *   text  fixed columns: local time, T+ since the open, actor (12), kind
 *         (12), summary; what the row caused below it ("-> ")
 *   md    the same as a Markdown table
 *   csv   RFC 4180, CRLF; a field that a spreadsheet would run as a formula
 *         gets a leading '; controls and bidi overrides escaped as text
 *   json  {"incident":..., ..., "rows":[ one object per row ], "head":...}
 *
 * The footer is the journal's head hash (text and md "head HASH", json a
 * "head" key). CSV has none: a comment line is no part of RFC 4180 and
 * would be read as a row; the export entry journals the head it showed. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

enum tl_format { TL_TEXT, TL_MD, TL_CSV, TL_JSON };

struct report_timeline {
	enum tl_format f;
	unsigned flags;
	FILE *out;               /* borrowed until end */
	int64_t t0;              /* T+0: the open, else the first row */
	int have_t0;
	size_t nrows;
	struct strbuf sb, tmp;   /* one row at a time */
	const char *kind;        /* the rows are only these (borrowed for begin) */
	const char *search;
	char word_of[24];        /* the last row's kind and its word, asked once */
	const char *word;        /*   per run of rows of one kind (gettext is not free) */
};

/* What a filtered export holds, said under its title: a reader must not
 * take a part for the whole. */
static void filter_line(const struct report_timeline *t, struct strbuf *out)
{
	if (t->kind && *t->kind)
		sb_addf(out, _("Only the entries of kind '%s', as the console showed them."), t->kind);
	if (t->search && *t->search) {
		if (t->kind && *t->kind)
			sb_addc(out, ' ');
		sb_addf(out, _("Only the entries containing '%s', as the console showed them."),
			t->search);
	}
}

#define W_TIME 19
#define W_TPLUS 13
#define W_ACTOR 12
#define W_KIND 12
#define INDENT (W_TIME + 1 + W_TPLUS + 1 + W_ACTOR + 1 + W_KIND + 1)

static const char *nz(const char *s, const char *def)
{
	return s && *s ? s : def;
}

/* The kind as people read it in text and Markdown ("指标读数"); the CSV and
 * JSON keep the journal's id. */
static const char *row_kind(struct report_timeline *t, const struct view_row *row)
{
	const char *k = nz(row->kind, "?");
	if (t->word && !strcmp(k, t->word_of))
		return t->word;
	const char *w = kind_word(k);
	if (w != k && strlen(k) < sizeof t->word_of) {
		memcpy(t->word_of, k, strlen(k) + 1);
		t->word = w;
	}
	return w;
}

/* ---- pieces every format shows ---- */

/* The marks a row carries after its summary, in the user's language. */
static void marks(struct strbuf *out, const struct view_row *row)
{
	if (row->refused && row->rule && *row->rule) {
		sb_adds(out, " [");
		sb_adds(out, _("rule"));
		sb_addc(out, ' ');
		sb_adds(out, row->rule);
		sb_addc(out, ']');
	}
	if (row->no_effect) {
		sb_addc(out, ' ');
		sb_adds(out, _("(no effect after a correction)"));
	}
	if (row->corrected_by)
		sb_addf(out, _(" (corrected by entry %" PRId64 ")"), row->corrected_by);
}

/* The summary with the user's text when the summary does not say it, and
 * the marks: raw (escape to show). */
static void what(struct strbuf *out, const struct view_row *row)
{
	sb_adds(out, nz(row->summary, ""));
	if (row->text && *row->text && !(row->summary && strstr(row->summary, row->text))) {
		sb_adds(out, ": ");
		sb_adds(out, row->text);
	}
	marks(out, row);
}

/* Effects that repeat the summary add nothing. */
static int effect_shown(const struct view_row *row, size_t k)
{
	return row->effects[k] && *row->effects[k] &&
	       !(row->summary && !strcmp(row->effects[k], row->summary));
}

/* ---- text ---- */

static void text_begin(struct report_timeline *t, const struct view_incident *v)
{
	struct strbuf *sb = &t->sb;
	char b[RP_TBUF], c[RP_TBUF];
	rp_title_line(sb, v, NULL);
	sb_addf(sb, _("plan %s, opened %s (%s); T+ counts from the open"), rp_e(&t->tmp, v->plan),
		rp_local(v->opened_at, b), rp_utc(v->opened_at, c));
	sb_adds(sb, "\n\n");
	sb_reset(&t->tmp);
	filter_line(t, &t->tmp);
	if (t->tmp.len) {
		rp_esc(RP_TEXT, sb, t->tmp.buf, 0);
		sb_adds(sb, "\n\n");
	}
	rp_cell(sb, _("local time"), W_TIME);
	rp_cell(sb, "T+", W_TPLUS);
	rp_cell(sb, _("actor"), W_ACTOR);
	rp_cell(sb, _("kind"), W_KIND);
	sb_adds(sb, _("what"));
	sb_addc(sb, '\n');
}

static void text_row(struct report_timeline *t, const struct view_row *row)
{
	struct strbuf *sb = &t->sb;
	char b[RP_TBUF];
	sb_adds(sb, rp_local(row->occurred_at, b));
	sb_addc(sb, ' ');
	rp_pad(sb, rp_tplus(row->occurred_at - t->t0, b), W_TPLUS);
	sb_addc(sb, ' ');
	rp_cell(sb, nz(row->actor, "-"), W_ACTOR);
	rp_cell(sb, row_kind(t, row), W_KIND);
	sb_reset(&t->tmp);
	what(&t->tmp, row);
	tx_escape(sb, t->tmp.buf, 0);
	sb_addc(sb, '\n');
	for (size_t k = 0; k < row->neffects; k++) {
		if (!effect_shown(row, k))
			continue;
		sb_addf(sb, "%*s-> ", INDENT, "");
		tx_escape(sb, row->effects[k], 0);
		sb_addc(sb, '\n');
	}
}

/* ---- md ---- */

static void md_begin(struct report_timeline *t, const struct view_incident *v)
{
	struct strbuf *sb = &t->sb;
	char b[RP_TBUF], c[RP_TBUF];
	sb_adds(sb, "# ");
	sb_addf(&t->tmp, _("Timeline of incident %" PRId64 ": "), v->id);
	sb_adds(&t->tmp, nz(v->title, ""));
	rp_esc(RP_MD, sb, t->tmp.buf, 0);
	sb_adds(sb, "\n\n");
	if (v->drill) {
		sb_adds(sb, "**");
		rp_esc(RP_MD, sb, _("DRILL: this incident is an exercise."), 0);
		sb_adds(sb, "**\n\n");
	}
	sb_reset(&t->tmp);
	sb_addf(&t->tmp, _("Plan %s, opened %s (%s)."), nz(v->plan, "?"), rp_local(v->opened_at, b),
		rp_utc(v->opened_at, c));
	rp_esc(RP_MD, sb, t->tmp.buf, 0);
	sb_adds(sb, "\n\n");
	sb_reset(&t->tmp);
	filter_line(t, &t->tmp);
	if (t->tmp.len) {
		sb_adds(sb, "**");
		rp_esc(RP_MD, sb, t->tmp.buf, 0);
		sb_adds(sb, "**\n\n");
	}
	sb_adds(sb, "| ");
	rp_esc(RP_MD, sb, _("Local time"), 0);
	sb_adds(sb, " | T+ | ");
	rp_esc(RP_MD, sb, _("Who"), 0);
	sb_adds(sb, " | ");
	rp_esc(RP_MD, sb, _("Role"), 0);
	sb_adds(sb, " | ");
	rp_esc(RP_MD, sb, _("Kind"), 0);
	sb_adds(sb, " | ");
	rp_esc(RP_MD, sb, _("What"), 0);
	sb_adds(sb, " |\n|---|---|---|---|---|---|\n");
}

static void md_row(struct report_timeline *t, const struct view_row *row)
{
	struct strbuf *sb = &t->sb;
	char b[RP_TBUF];
	sb_adds(sb, "| ");
	sb_adds(sb, rp_local(row->occurred_at, b));
	sb_adds(sb, " | ");
	sb_adds(sb, rp_tplus(row->occurred_at - t->t0, b));
	sb_adds(sb, " | ");
	rp_esc(RP_MD, sb, nz(row->actor, "-"), 0);
	sb_adds(sb, " | ");
	rp_esc(RP_MD, sb, nz(row->role, "-"), 0);
	sb_adds(sb, " | ");
	rp_esc(RP_MD, sb, row_kind(t, row), 0);
	sb_adds(sb, " | ");
	sb_reset(&t->tmp);
	what(&t->tmp, row);
	rp_esc(RP_MD, sb, t->tmp.buf, 0);
	for (size_t k = 0; k < row->neffects; k++) {
		if (!effect_shown(row, k))
			continue;
		sb_adds(sb, "<br>→ ");
		rp_esc(RP_MD, sb, row->effects[k], 0);
	}
	sb_adds(sb, " |\n");
}

/* ---- csv ---- */

/* One field: the formula guard on the raw value, the text policy (line
 * breaks kept: CSV quotes them), then RFC 4180 quoting. */
static void csv_field(struct report_timeline *t, const char *s, int last)
{
	struct strbuf *sb = &t->sb, *e = &t->tmp;
	sb_reset(e);
	if (s && *s && strchr("=+-@\t\r", *s))
		sb_addc(e, '\'');
	tx_escape(e, s, TX_KEEP_NL);
	if (strpbrk(e->buf, ",\"\r\n")) {
		sb_addc(sb, '"');
		for (const char *p = e->buf; *p; p++) {
			if (*p == '"')
				sb_addc(sb, '"');
			sb_addc(sb, *p);
		}
		sb_addc(sb, '"');
	} else {
		sb_adds(sb, e->buf);
	}
	sb_adds(sb, last ? "\r\n" : ",");
}

static void csv_begin(struct report_timeline *t)
{
	/* the columns of sitrep 1 first, in their order (scripts read them),
	 * then the newer ones */
	static const char *const heads[] = {
		"entry", "occurred_at", "recorded_at", "t_plus_s", "actor", "role", "kind", "refused",
		"rule", "phase", "level", "warning", "summary", "text", "no_effect", "corrected_by",
		"effects"
	};
	size_t n = sizeof(heads) / sizeof(heads[0]);
	if (t->flags & REPORT_BOM)
		sb_adds(&t->sb, "\xef\xbb\xbf");
	for (size_t i = 0; i < n; i++)
		csv_field(t, heads[i], i + 1 == n);
}

static void csv_row(struct report_timeline *t, const struct view_row *row)
{
	char b[RP_TBUF];
	struct strbuf eff = STRBUF_INIT;
	snprintf(b, sizeof b, "%" PRId64, row->entry);
	csv_field(t, b, 0);
	csv_field(t, rp_utc(row->occurred_at, b), 0);
	csv_field(t, row->recorded_at ? rp_utc(row->recorded_at, b) : "", 0);
	snprintf(b, sizeof b, "%" PRId64, row->occurred_at - t->t0);
	csv_field(t, b, 0);
	csv_field(t, row->actor, 0);
	csv_field(t, row->role, 0);
	csv_field(t, row->kind, 0);
	csv_field(t, row->refused ? "1" : "0", 0);
	csv_field(t, row->rule, 0);
	csv_field(t, row->phase, 0);
	csv_field(t, row->level, 0);
	csv_field(t, row->warning, 0);
	csv_field(t, row->summary, 0);
	csv_field(t, row->text, 0);
	csv_field(t, row->no_effect ? "1" : "0", 0);
	snprintf(b, sizeof b, "%" PRId64, row->corrected_by);
	csv_field(t, row->corrected_by ? b : "", 0);
	sb_init(&eff);
	for (size_t k = 0; k < row->neffects; k++) {
		if (!row->effects[k])
			continue;
		if (eff.len)
			sb_adds(&eff, "; ");
		sb_adds(&eff, row->effects[k]);
	}
	csv_field(t, eff.buf, 1);
	sb_release(&eff);
}

/* ---- json ---- */

static void json_begin(struct report_timeline *t, const struct view_incident *v)
{
	json_t *h = json_object();
	json_object_set_new(h, "incident", rp_jint(v->id));
	json_object_set_new(h, "title", rp_jstr(v->title));
	json_object_set_new(h, "plan", rp_jstr(v->plan));
	json_object_set_new(h, "plan_hash", rp_jstr(v->plan_hash));
	json_object_set_new(h, "drill", rp_jbool(v->drill));
	json_object_set_new(h, "opened_at", rp_jtime(v->opened_at));
	json_object_set_new(h, "at", rp_jtime(v->at));
	if ((t->kind && *t->kind) || (t->search && *t->search)) {
		json_t *f = json_object();
		if (t->kind && *t->kind)
			json_object_set_new(f, "kind", rp_jstr(t->kind));
		if (t->search && *t->search)
			json_object_set_new(f, "search", rp_jstr(t->search));
		json_object_set_new(h, "filter", f);
	}
	json_object_set_new(h, "rows", json_array());
	/* jansson writes the header, "rows" last as an empty array: keep it
	 * open ("...,"rows":[") and stream the rows into it */
	rp_json_add(&t->sb, h);
	json_decref(h);
	if (t->sb.len >= 2 && !strcmp(t->sb.buf + t->sb.len - 2, "]}"))
		t->sb.len -= 2;
	t->sb.buf[t->sb.len] = '\0';
}

static void json_row(struct report_timeline *t, const struct view_row *row)
{
	json_t *o = json_object(), *a;
	json_object_set_new(o, "entry", row->entry ? rp_jint(row->entry) : json_null());
	json_object_set_new(o, "occurred_at", rp_jtime(row->occurred_at));
	json_object_set_new(o, "recorded_at", rp_jtime(row->recorded_at));
	json_object_set_new(o, "t_plus", rp_jint(row->occurred_at - t->t0));
	json_object_set_new(o, "actor", rp_jstr_nz(row->actor));
	json_object_set_new(o, "role", rp_jstr_nz(row->role));
	json_object_set_new(o, "kind", rp_jstr(row->kind));
	json_object_set_new(o, "summary", rp_jstr(row->summary));
	json_object_set_new(o, "text", rp_jstr(row->text));
	json_object_set_new(o, "refused", rp_jbool(row->refused));
	json_object_set_new(o, "rule", rp_jstr_nz(row->rule));
	json_object_set_new(o, "no_effect", rp_jbool(row->no_effect));
	json_object_set_new(o, "corrected_by", row->corrected_by ? rp_jint(row->corrected_by)
								  : json_null());
	if (row->corrects)
		json_object_set_new(o, "corrects", rp_jint(row->corrects));
	json_object_set_new(o, "phase", rp_jstr(row->phase));
	json_object_set_new(o, "level", rp_jstr(row->level));
	json_object_set_new(o, "warning", rp_jstr(row->warning));
	a = json_array();
	for (size_t k = 0; k < row->nreadings; k++) {
		/* "name=value" as the view gives it: name and a number */
		const char *r = row->readings[k], *eq = r ? strrchr(r, '=') : NULL;
		char *name, *end;
		double val;
		if (!eq)
			continue;
		name = xstrndup(r, (size_t)(eq - r));
		val = strtod(eq + 1, &end);
		json_array_append_new(a, json_pack("{s:o, s:o}", "name", rp_jstr(name),
			"value", *end || end == eq + 1 ? rp_jstr(eq + 1) : rp_jnum(val)));
		free(name);
	}
	json_object_set_new(o, "readings", a);
	a = json_array();
	for (size_t k = 0; k < row->neffects; k++)
		if (row->effects[k])
			json_array_append_new(a, rp_jstr(row->effects[k]));
	json_object_set_new(o, "effects", a);
	if (t->nrows)
		sb_addc(&t->sb, ',');
	sb_addc(&t->sb, '\n');
	rp_json_add(&t->sb, o);
	json_decref(o);
	if (row->payload && t->sb.len && t->sb.buf[t->sb.len - 1] == '}') {
		/* the journal's payload as it is stored (valid JSON, checked when
		 * it was written): not parsed and written again for every row */
		t->sb.len--;
		sb_adds(&t->sb, ",\"payload\":");
		rp_json_raw(&t->sb, row->payload, strlen(row->payload));
		sb_addc(&t->sb, '}');
	}
}

static void json_end(struct report_timeline *t, const char *head)
{
	json_t *k = json_string("head"), *v = rp_jstr_nz(head);
	sb_adds(&t->sb, "\n],");
	rp_json_add(&t->sb, k);
	sb_addc(&t->sb, ':');
	rp_json_add(&t->sb, v);
	sb_adds(&t->sb, "}\n");
	json_decref(k);
	json_decref(v);
}

/* ---- the stream ---- */

struct report_timeline *report_timeline_begin(const char *format, unsigned flags,
					      const struct view_incident *v, FILE *out)
{
	return report_timeline_begin_filtered(format, flags, v, NULL, NULL, out);
}

struct report_timeline *report_timeline_begin_filtered(const char *format, unsigned flags,
						       const struct view_incident *v,
						       const char *kind, const char *search,
						       FILE *out)
{
	struct report_timeline *t;
	enum tl_format f;
	if (!format || !strcmp(format, "text"))
		f = TL_TEXT;
	else if (!strcmp(format, "md"))
		f = TL_MD;
	else if (!strcmp(format, "csv"))
		f = TL_CSV;
	else if (!strcmp(format, "json"))
		f = TL_JSON;
	else
		return NULL;
	t = xcalloc(1, sizeof(*t));
	t->f = f;
	t->flags = flags;
	t->out = out;
	t->t0 = v->opened_at;
	t->have_t0 = v->opened_at != 0;
	t->kind = kind;
	t->search = search;
	sb_init(&t->sb);
	sb_init(&t->tmp);
	switch (f) {
	case TL_TEXT: text_begin(t, v); break;
	case TL_MD: md_begin(t, v); break;
	case TL_CSV: csv_begin(t); break;
	case TL_JSON: json_begin(t, v); break;
	}
	t->kind = t->search = NULL; /* said; borrowed no longer */
	rp_flush(out, &t->sb);
	return t;
}

void report_timeline_row(struct report_timeline *t, const struct view_row *row)
{
	if (!t || !row)
		return;
	if (!t->have_t0) {
		t->t0 = row->occurred_at;
		t->have_t0 = 1;
	}
	switch (t->f) {
	case TL_TEXT: text_row(t, row); break;
	case TL_MD: md_row(t, row); break;
	case TL_CSV: csv_row(t, row); break;
	case TL_JSON: json_row(t, row); break;
	}
	t->nrows++;
	rp_flush(t->out, &t->sb);
	/* a long text once must not keep its buffers big for the rest */
	if (t->tmp.alloc > 65536) {
		sb_release(&t->tmp);
		sb_init(&t->tmp);
	}
	if (t->sb.alloc > 65536) {
		sb_release(&t->sb);
		sb_init(&t->sb);
	}
}

void report_timeline_end(struct report_timeline *t, const char *head)
{
	if (!t)
		return;
	switch (t->f) {
	case TL_TEXT:
		sb_addf(&t->sb, "\n%s %s\n", _("head"), head && *head ? rp_e(&t->tmp, head) : "-");
		break;
	case TL_MD:
		sb_addf(&t->sb, "\n%s `%s`\n", _("head"), head && *head ? rp_e(&t->tmp, head) : "-");
		break;
	case TL_CSV:
		break;
	case TL_JSON:
		json_end(t, head);
		break;
	}
	rp_flush(t->out, &t->sb);
	sb_release(&t->sb);
	sb_release(&t->tmp);
	free(t);
}
