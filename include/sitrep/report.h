/* report: renderers for timelines, reviews, briefings and statistics.
 * Pure: it renders what app.c read from the journal and replayed through the
 * engine; it never decides a rule and never touches SQLite or curses. */
#ifndef SITREP_REPORT_H
#define SITREP_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "sitrep/engine.h"
#include "sitrep/plan.h"
#include "sitrep/util.h"

/* One row of history, a deep copy of an app_item (strings owned by the input). */
struct report_item {
	int64_t entry_id;       /* 0 for derived (time-driven) transitions */
	int64_t occurred_at;
	int64_t recorded_at;
	char *actor;
	char *role;
	char *kind;             /* action name, "refused", "export", "auto" */
	char *summary;          /* one line, escaped */
	char *payload;          /* JSON */
	char *text;             /* raw user text or NULL */
	int refused;
	char *rule;
	enum engine_phase phase;/* after this row */
	int level;
	int warning;
	struct engine_effect *effects; size_t neffects;
};

/* Everything a renderer needs about one incident. */
struct report_input {
	int64_t id;
	char *title;
	const struct plan *plan;     /* borrowed: the incident's plan snapshot */
	char *plan_hash;
	int drill;
	int64_t at;                  /* "as of" time */
	char head[65];               /* the chain's head hash at render time */
	struct report_item *items; size_t nitems, aitems;
	const struct engine_state *final; /* borrowed: state at `at` */
};
void report_input_init(struct report_input *in);
void report_input_release(struct report_input *in);   /* frees items and owned strings */
/* Append a deep copy of an item. */
void report_input_add(struct report_input *in, const struct report_item *it);

/* Timeline: format "text" (aligned, local time, T+hh:mm since open), "md",
 * "csv" (RFC 4180), "json". Returns 0, or -1 for an unknown format. */
int report_timeline(const struct report_input *in, const char *format, struct strbuf *out);

/* Post-incident review: "md" or "html" (HTML embeds the SVG). svg, when
 * non-NULL, receives the standalone SVG step chart. Returns 0 or -1. */
int report_review(const struct report_input *in, const char *format, struct strbuf *out,
		  struct strbuf *svg);
/* Text step chart of the level over time, width columns (console `r`). */
void report_chart_text(const struct report_input *in, int width, struct strbuf *out);
/* ICS-201 style briefing. */
void report_brief(const struct report_input *in, struct strbuf *out);

/* Figures of one incident (definitions in docs/review.md); seconds, -1 = n/a. */
struct report_figures {
	int64_t to_ack, to_first_level, to_mitigation, to_termination;
	int peak_level;
	int64_t in_warning[8];       /* seconds per warning index */
	int64_t in_level[8];         /* seconds per level index */
	int escalations, downgrades, refusals;
	int obl_on_time, obl_late, obl_missed, obl_open;
};
void report_figures(const struct report_input *in, struct report_figures *f);

/* Statistics across incidents of one plan (or all). */
struct report_stats_row {
	char *plan_id;
	int64_t incident;
	int drill;
	struct report_figures f;
	/* Optional (NULL when unknown; report_stats_row_fill sets them all): */
	char *title;                 /* incident title */
	char *plan_title;
	int64_t opened_at;           /* 0 unknown */
	char *peak_level_id;         /* level id of f.peak_level */
	char *participants;          /* drills view: distinct actors, ", "-separated */
	char *problems;              /* drills view: one problem found per line (refusals,
	                                missed/late obligations, review notes) */
};
/* Fill a row (every field, owned strings) from one incident's input; release
 * it with report_stats_row_release. The easy way for app.c to build rows. */
void report_stats_row_fill(struct report_stats_row *row, const struct report_input *in);
void report_stats_row_release(struct report_stats_row *row);
/* Text table: per plan (sorted by plan id) count, mean and median of each
 * figure over the non-drill rows; drills = 1: the drills alone, each with
 * participants and problems found. Rows need not be sorted. */
void report_stats(const struct report_stats_row *rows, size_t n, int drills, struct strbuf *out);

/* The six review points of source 002 (note-review SECTION ids):
 * speed, performance, control, commander, plan, risk. */
#define REPORT_NSECTIONS 6
extern const char *const report_section_ids[REPORT_NSECTIONS];
extern const char *const report_section_titles[REPORT_NSECTIONS];
/* Index of a section id (case-sensitive), -1 when unknown. */
int report_section_index(const char *id);

/* The file name the Markdown review links its SVG chart as
 * ("incident-ID-levels.svg"): the CLI writes the svg there, beside the .md. */
void report_svg_name(int64_t id, struct strbuf *out);

#endif
