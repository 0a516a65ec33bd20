/* report_int.h: what the report rooms share, private to src/report*.c.
 *
 *   report_common.c   times and durations (one style), JSON values and the
 *                     one JSON writer (jansson, controls and bidi escaped)
 *   report_doc.c      escaping per format, the Markdown/HTML document writer
 *   report_status.c   status (text, JSON), list, brief, notices, tasks
 *   report_timeline.c the streamed timeline (text, md, csv, json)
 *   report_review.c   the review (md, html, json), its charts, the console's text
 *   report_stats.c    figures across incidents, drills
 *
 * Every string a caller hands in is borrowed for the call; nothing here
 * keeps a pointer after it returns (the timeline keeps only numbers). */
#ifndef SITREP_REPORT_INT_H
#define SITREP_REPORT_INT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sitrep/i18n.h"
#include "sitrep/names.h"
#include "sitrep/report.h"
#include "sitrep/text.h"
#include "sitrep/util.h"

/* ---- writing ---- */

/* Write sb to out and empty it (the renderers build a line or a row at a
 * time, never a whole document). */
void rp_flush(FILE *out, struct strbuf *sb);

/* ---- times and durations: one style everywhere ----
 * Measured spans (countdowns, ages, held-for, late-by, elapsed) are clocks,
 * hh:mm:ss or Nd hh:mm:ss; plan parameters (a window, a cadence) keep the
 * plan's compact form (30m, 2h). Each returns buf. */
#define RP_TBUF 48
char *rp_utc(int64_t t, char *buf);          /* "2026-11-20T01:12:00Z"; "-" for 0 */
char *rp_local(int64_t t, char *buf);        /* "2026-11-20 09:12:00"; "-" for 0 */
char *rp_clock(int64_t secs, char *buf);     /* "00:14:59", "3d 01:00:00"; "n/a" when < 0 */
char *rp_tplus(int64_t d, char *buf);        /* "T+00:42:00", "T-00:05:00" */
char *rp_param(int64_t secs, char *buf);     /* "30m", "2h" */
/* "in 00:14:59", "LATE 00:01:00"; "-" without a due time. */
char *rp_countdown(int64_t due, int64_t at, char *buf);

/* ---- JSON (jansson) ----
 * Value makers never return NULL: an absent value is JSON null. */
json_t *rp_jstr(const char *s);              /* NULL -> null; bad UTF-8 bytes -> U+FFFD */
json_t *rp_jstr_nz(const char *s);           /* NULL or "" -> null */
json_t *rp_jtime(int64_t t);                 /* ISO 8601 UTC, 0 -> null */
json_t *rp_jnum(double v);                   /* integral values as integers; NaN/inf -> null */
json_t *rp_jint(int64_t v);
json_t *rp_jdur(int64_t secs);               /* seconds, < 0 -> null */
json_t *rp_jbool(int v);
/* Append j compact (JSON_REAL_PRECISION(15)); DEL, C1 controls, bidi
 * overrides and isolates, U+2028/2029 written as \uXXXX escapes (jansson
 * escapes the C0 controls itself). */
void rp_json_add(struct strbuf *out, const json_t *j);
/* JSON text written by jansson (or stored by the journal, which keeps only
 * valid JSON), with DEL, C1 controls, bidi overrides and U+2028/9 inside its
 * strings written as \uXXXX, as rp_json_add does. */
void rp_json_raw(struct strbuf *out, const char *raw, size_t len);
/* rp_json_add to out, a newline when nl, then json_decref(j). */
void rp_json_write(FILE *out, json_t *j, int nl);

/* ---- escaping per format (report_doc.c) ---- */
enum rp_fmt { RP_TEXT, RP_MD, RP_HTML };
/* Append s escaped for f: the text policy (tx_escape) first, then the
 * format's own: Markdown backslash escapes, HTML entities. TX_KEEP_NL keeps
 * line breaks. */
void rp_esc(enum rp_fmt f, struct strbuf *out, const char *s, unsigned flags);

/* ---- a Markdown or HTML document, written as it goes ---- */
struct rp_doc {
	enum rp_fmt f;           /* RP_MD or RP_HTML */
	FILE *out;               /* borrowed */
	struct strbuf sb;        /* the block being written */
	int ncols;               /* of the open table */
};
void doc_init(struct rp_doc *d, enum rp_fmt f, FILE *out);
void doc_release(struct rp_doc *d);
void doc_h(struct rp_doc *d, int level, const char *text);
void doc_p(struct rp_doc *d, const char *text);
/* Text written as is: the caller escaped it for d->f. */
void doc_raw(struct rp_doc *d, const char *raw);
void doc_table(struct rp_doc *d, int ncols, const char *const *heads);
void doc_row(struct rp_doc *d, const char *const *cells);   /* NULL cell: "-" */
void doc_table_end(struct rp_doc *d);
void doc_ul(struct rp_doc *d);
void doc_li(struct rp_doc *d, const char *text);
void doc_ul_end(struct rp_doc *d);
/* Preformatted lines (a text chart): Markdown fences, HTML <pre>; line
 * breaks kept as line breaks, everything else escaped. */
void doc_pre(struct rp_doc *d, const char *text);

/* ---- shared pieces ---- */

/* A table's cell: s fitted to cols columns (tx_fit: escaped, clipped with
 * an ellipsis, padded), then the space between columns. */
void rp_cell(struct strbuf *out, const char *s, int cols);
/* s escaped by the text policy, then spaces up to cols columns; never
 * clipped (labels, numbers: columns that must stay whole). */
void rp_pad(struct strbuf *out, const char *s, int cols);
/* tmp reset to s escaped by the text policy; returns tmp->buf (for a
 * translated format: sb_addf(out, _("rule %s"), rp_e(&tmp, rule))). */
const char *rp_e(struct strbuf *tmp, const char *s);
/* "incident 7: title  [DRILL]" and a line break, after `what` (a heading,
 * NULL none). */
void rp_title_line(struct strbuf *sb, const struct view_incident *v, const char *what);
/* s escaped (line breaks kept), every line after the first starting with
 * `indent`. */
void rp_indented(struct strbuf *out, const char *s, const char *indent);

/* "response, level II", "warning (blue)", "monitoring" ... of an incident. */
void rp_state(struct strbuf *out, const struct view_incident *v);
/* The person beside a deadline: the person's name, else "role X (nobody
 * named)", else "-". Raw (escape to show). */
void rp_who(struct strbuf *out, const struct view_deadline *d);
/* A level's index in v->levels by id, -1 when none. */
int rp_level_index(const struct view_incident *v, const char *id);
/* The id of level index i / warning index i, NULL out of range. */
const char *rp_level_id(const struct view_incident *v, int i);
const char *rp_warning_id(const struct view_incident *v, int i);
/* The translated words for an outcome ("kept", "late" ...). */
const char *rp_outcome_text(int o);

/* The figures of a review (docs/review.md), in the order they are shown. */
enum rp_fig_kind { RPF_DUR, RPF_INT };
struct rp_figure {
	const char *key;         /* JSON key */
	const char *label;       /* English msgid, N_() */
	enum rp_fig_kind kind;
	size_t off;              /* in struct view_figures */
};
extern const struct rp_figure rp_figures[];
extern const size_t rp_nfigures;
int64_t rp_figure_value(const struct view_figures *f, const struct rp_figure *d);

/* The review's text chart of the level over time, `width` columns wide,
 * as plain lines (level ids escaped by the text policy). */
void rp_chart_text(const struct view_review *r, int width, struct strbuf *out);

#endif
