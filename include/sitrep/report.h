/* report: renderers. Every text a command prints about an incident is
 * drawn here from a view (sitrep/view.h) into a FILE: the status (text and
 * JSON), the list, the brief, the notices, the tasks, the timeline (row by
 * row, streamed), the post-incident review (Markdown, HTML with its SVG
 * chart, JSON), the console's review screen, and statistics.
 *
 * report never decides a rule (the engine did, app put the answers in the
 * view) and never touches storage or the terminal. Every user text goes
 * through the one escaping policy (sitrep/text.h); JSON through jansson.
 * Human words go through gettext; ids, JSON keys and JSON values that are
 * ids never do. Write errors are the caller's to check (ferror). */
#ifndef SITREP_REPORT_H
#define SITREP_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sitrep/util.h"
#include "sitrep/view.h"

/* ---- an incident ---- */

/* `sitrep status ID`: a human summary. */
void report_status_text(const struct view_incident *v, FILE *out);
/* `sitrep status ID --json`: the DESIGN.md contract (one object, a newline).
 * Titles follow the language; ids, keys, times (ISO 8601 UTC) do not. */
void report_status_json(const struct view_incident *v, FILE *out);
/* `sitrep brief ID`: ICS-201 style (situation, level, deadlines, criteria,
 * responders, resources out, notices due, latest actions). */
void report_brief(const struct view_incident *v, FILE *out);
/* `sitrep notices ID [--json]`: json is the DESIGN.md array of
 * {id, title, state, due, to, channel, text}. */
void report_notices(const struct view_incident *v, int json, FILE *out);

/* `sitrep list`: a table, newest first. */
void report_list(const struct view_list *l, FILE *out);
/* `sitrep tasks [--json]`: soonest due first. */
void report_tasks(const struct view_tasks *t, int json, FILE *out);

/* ---- the timeline, streamed ---- */
struct report_timeline; /* opaque */
enum report_timeline_flags {
	REPORT_BOM = 1       /* csv: a UTF-8 byte-order mark first (spreadsheets on Chinese
	                        Windows need it) */
};
/* format: "text", "md", "csv" or "json"; NULL when unknown. The header
 * comes from v (title, plan, opened). Rows follow as they are replayed;
 * end writes the footer (the head hash) and frees t. CSV fields are quoted
 * as RFC 4180 wants; a field starting with = + - @ (or a tab or carriage
 * return) gets a leading ' so that a spreadsheet shows it as text; control
 * characters and bidi overrides are escaped in every format. */
struct report_timeline *report_timeline_begin(const char *format, unsigned flags,
					      const struct view_incident *v, FILE *out);
/* The same for rows of one kind or holding a text (the console's filter):
 * the text and Markdown say so under the title, the JSON has "filter"
 * ({"kind", "search"}); CSV holds the rows alone. NULL, NULL: all rows. */
struct report_timeline *report_timeline_begin_filtered(const char *format, unsigned flags,
						       const struct view_incident *v,
						       const char *kind, const char *search,
						       FILE *out);
void report_timeline_row(struct report_timeline *t, const struct view_row *row);
void report_timeline_end(struct report_timeline *t, const char *head);

/* ---- the review ---- */

/* format "md", "html" (the SVG chart inline) or "json" (at least
 * `obligations`: [{id, kept, late, missed}], and the figures). svg, when
 * not NULL, receives the standalone SVG chart a Markdown review links as
 * report_svg_name. Returns 0, or -1 for an unknown format. */
int report_review(const struct view_review *r, const char *format, FILE *out, FILE *svg);
void report_svg_name(int64_t id, struct strbuf *out);
/* The console's review screen: the figures, a text chart `width` columns
 * wide, the follow-ups and the review notes, as plain lines (unescaped: the
 * console escapes what it draws). */
void report_review_text(const struct view_review *r, int width, struct strbuf *out);

/* ---- statistics across incidents ---- */
struct report_stats_row {
	const struct view_review *r;   /* borrowed */
};
/* Per plan: count, mean and median of each figure over the incidents that
 * are not drills; drills = 1: the drills alone (003 §7 records: when,
 * participants, course, problems found, follow-ups). */
void report_stats(const struct report_stats_row *rows, size_t n, int drills, FILE *out);

#endif
