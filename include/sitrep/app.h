/* app: the one path every action takes, and the one place that says what
 * an incident looks like. The console (src/tui) and the command line
 * (src/cli.c) ask only this module; they get views (sitrep/view.h) and
 * outcomes, never engine state or journal rows.
 *
 * Write: BEGIN (the write lock); lock the incident; derive its state (the
 * nearest snapshot, then the entries after it); the engine decides; append
 * the entry, or a `refused` entry; COMMIT; return the outcome.
 * Read: a view built from the state at the asked time and the journal's
 * keyset-paged reads; exports stream row by row.
 *
 * Errors: every function that can fail returns an exit code (enum
 * sitrep_exit) and fills a struct sitrep_error (err may be NULL). */
#ifndef SITREP_APP_H
#define SITREP_APP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sitrep/names.h"
#include "sitrep/util.h"
#include "sitrep/view.h"

struct app; /* opaque */

struct app_options {
	const char *db;         /* path or postgresql:// URL; NULL: $SITREP_DB, else
	                           $XDG_DATA_HOME/sitrep/sitrep.db (~/.local/share/...) */
	const char *plans_dir;  /* NULL: $SITREP_PLANS, else ./plans, else the installed folder */
	const char *contacts;   /* NULL: site_contacts_path() */
	const char *channels;   /* NULL: site_channels_path() */
	int read_only;          /* status, timeline, report, verify: no write lock needed */
};

/* Open the journal (creating it and its folder on first use), load the
 * site's contacts and channels files when they exist, note the OS user
 * (getpwuid(getuid()), never a flag). NULL with err filled (4 storage,
 * 5 integrity, 3 a contacts or channels file that does not load). */
struct app *app_open(const struct app_options *o, struct sitrep_error *err);
void app_close(struct app *a);
/* The longest this app's writes held the journal's write lock (ns). */
int64_t app_longest_lock_ns(const struct app *a);
const char *app_user(const struct app *a);      /* borrowed, valid until app_close */
const char *app_where(const struct app *a);     /* the database, as shown */
const char *app_plans_dir(const struct app *a);
/* The decision clock: the real clock, or $SITREP_NOW (ISO 8601, a test and
 * drill aid: an implicit --at, so never later than the real clock and never
 * a recorded_at). */
int64_t app_now(const struct app *a);
/* Fix this app's decision clock at `now` (a simulation's step); 0 undoes it. */
void app_set_now(struct app *a, int64_t now);
/* Has another process committed since the last call? */
int app_changed(struct app *a);
/* A descriptor to wait on for other sites' commits (PostgreSQL), or -1. */
int app_poll_fd(struct app *a);
/* The paths app_open would use. Owned by the caller (free()). */
char *app_resolve_plans_dir(const char *dir);
char *app_resolve_db(const char *db);

/* Parse one reading: a plain decimal number (optional sign, digits with an
 * optional fraction and exponent), finite. "inf", "nan", hex, overflow,
 * trailing text and embedded NULs are refused. 0, or -1 (*out untouched). */
int app_parse_reading(const char *s, double *out);

/* ---- actions ---- */

/* An intent from the console or the command line. Strings borrowed. */
struct app_request {
	enum sitrep_action kind;
	int64_t incident;       /* 0 for ACT_OPEN */
	int64_t at;             /* occurred_at when has_at (else now). Later than now is a
	                           usage error. */
	int has_at;
	const char *role;       /* --as ROLE or NULL */
	const char *text;       /* reason / note / title */
	const char *target;     /* level, warning, criterion, obligation or task, user, role,
	                           item, notice, section */
	const char *person;     /* assign, unassign, owner; task --owner */
	const char *plan;       /* ACT_OPEN: plan id or file in the plans folder */
	int drill;              /* ACT_OPEN */
	const char *const *metric_names; /* ACT_METRIC / ACT_CORRECT: NAME=VALUE pairs */
	const double *metric_values;
	size_t nmetrics;
	const char *assess_dims[4];      /* ACT_ASSESS: dimension -> value */
	const char *assess_values[4];
	size_t nassess;
	int64_t entry;          /* ACT_CORRECT: the reading's entry */
	int has_seen;           /* escalate/downgrade one step: the caller states the level */
	const char *seen_level; /* ... it saw (NULL: no level). Without has_seen the level is
	                           read inside the write transaction, after the lock */
	int64_t due;            /* ACT_TASK: absolute due time, 0 none */
	int64_t due_in;         /* ACT_TASK: or a duration from now, 0 none */
	int followup;           /* ACT_TASK */
	int withdraw;           /* ACT_RESOURCE: 0 deploy, 1 withdraw */
	int64_t count;          /* ACT_RESOURCE: how many (1 when 0) */
	const char *scope;      /* ACT_WARN: --scope, --expected, --measures (000 §5.1) */
	const char *expected;
	const char *measures;
	const char *channel;    /* ACT_NOTIFY: --channel NAME, NULL: the notice's */
	const char *message;    /* ACT_NOTIFY: --text, NULL: the drafted text */
	const char *by_hand;    /* ACT_NOTIFY: --by-hand NOTE: given some other way */
};

struct app_outcome {
	int code;               /* 0 done, 1 refused, 2 usage, 3 plan, 4 storage, 5 integrity,
	                           6 a notice not delivered */
	int64_t incident;       /* the incident (the new id for ACT_OPEN) */
	int64_t entry;          /* the journal entry written (also for a refusal), 0 none */
	char id[32];            /* ACT_TASK: the new task's id ("t3") */
	struct sitrep_error err;/* code != 0: rule and message */
	char *message;          /* owned: what happened, one line, in the user's language */
};
void app_outcome_init(struct app_outcome *o);
void app_outcome_release(struct app_outcome *o);

/* Carry out one intent. Returns out->code. */
int app_act(struct app *a, const struct app_request *rq, struct app_outcome *out);
/* Import "time,name,value" lines (RFC 4180; an optional header line; an
 * optional UTF-8 byte-order mark) in one transaction, through the same path
 * as app_act; "-" reads stdin. All or nothing. */
int app_import_csv(struct app *a, int64_t incident, const char *path, const char *role,
		   struct app_outcome *out);

/* ---- views ---- */

/* The incident as of `at` (0: now). 2 no such incident, 3 its plan snapshot
 * does not load, 4 storage. */
int app_incident(struct app *a, int64_t id, int64_t at, struct view_incident *out,
		 struct sitrep_error *err);
/* Every incident (all = 0: leave out terminated ones), newest first. */
int app_list(struct app *a, int all, struct view_list *out, struct sitrep_error *err);

/* A page of the timeline. */
enum app_page_from { PAGE_START, PAGE_END, PAGE_AFTER, PAGE_BEFORE, PAGE_AT };
struct app_page_query {
	enum app_page_from from;
	struct view_pos pos;    /* PAGE_AFTER / PAGE_BEFORE / PAGE_AT: the key */
	size_t rows;            /* at most this many */
	const char *kind;       /* only rows of this kind, NULL all */
	const char *search;     /* only rows whose summary, text, actor or kind contain it
	                           (ASCII case folded), NULL all */
};
int app_timeline_page(struct app *a, int64_t id, const struct app_page_query *q,
		      struct view_page *out, struct sitrep_error *err);
/* One entry in full, as text (the console's Enter on a row). */
int app_entry_text(struct app *a, int64_t id, int64_t entry, struct strbuf *out,
		   struct sitrep_error *err);

/* Open deadlines of every live incident, and open follow-ups of terminated
 * ones (all = 1: also terminated incidents' other deadlines); person: only
 * theirs (id or name). */
int app_tasks(struct app *a, int all, const char *person, struct view_tasks *out,
	      struct sitrep_error *err);
/* The plans of the plans folder. */
void app_plans(struct app *a, struct view_plans *out);
/* The people of the contacts file (id and name), for pickers. */
size_t app_people(struct app *a, struct view_name **out); /* *out borrowed until app_close */
/* Everything the review shows. */
int app_review(struct app *a, int64_t id, struct view_review *out, struct sitrep_error *err);

/* ---- outputs ----
 * Each renders through report and writes to `out` as it goes (nothing
 * holds a whole incident in memory). Exports (timeline, report, brief)
 * journal an `export` entry with the head hash they showed, unless the
 * journal is read-only. Every user text is escaped by the one policy
 * (sitrep/text.h); CSV also neutralises formula prefixes. */
int app_status(struct app *a, int64_t id, int64_t at, int json, FILE *out,
	       struct sitrep_error *err);
int app_list_write(struct app *a, int all, FILE *out, struct sitrep_error *err);
struct app_export {
	const char *format;     /* text, md, csv, json */
	int bom;                /* csv: a UTF-8 byte-order mark first */
	const char *kind;       /* only rows of this kind (what the console's filter shows) */
	const char *search;     /* only rows containing this */
};
int app_timeline(struct app *a, int64_t id, const struct app_export *x, FILE *out,
		 struct sitrep_error *err);
/* format "md", "html" or "json"; svg (may be NULL) gets the standalone
 * level chart for a Markdown report. */
int app_report(struct app *a, int64_t id, const char *format, FILE *out, FILE *svg,
	       struct sitrep_error *err);
/* The file name the Markdown report links its chart as. */
void app_report_svg_name(int64_t id, struct strbuf *out);
int app_brief(struct app *a, int64_t id, FILE *out, struct sitrep_error *err);
int app_notices(struct app *a, int64_t id, int json, FILE *out, struct sitrep_error *err);
int app_tasks_write(struct app *a, int all, const char *person, int json, FILE *out,
		    struct sitrep_error *err);
int app_stats(struct app *a, const char *plan, int drills, FILE *out, struct sitrep_error *err);
/* The console's review screen: figures, a text level chart `width` columns
 * wide, follow-ups and the review notes. Writes nothing to the journal. */
int app_review_text(struct app *a, int64_t id, int width, struct strbuf *out,
		    struct sitrep_error *err);

/* Plans without a database: `plan check` (out gets "PATH: ok (ID)" or the
 * diagnostics; 0 or 3) and `plan show` (NAME: a plan id in the plans
 * folder, or a path). Contacts and channels files are checked too when
 * given (plan check FILE accepts them: recognised by their first key). */
int app_plan_check(const char *path, struct strbuf *out);
int app_plan_show(const char *plans_dir, const char *name, struct strbuf *out);

/* Verify one incident (id > 0) or all: every anchor the journal holds (see
 * docs/guarantees.md). head: "[ENTRY:]HASH" kept elsewhere, or NULL.
 * 0, 5 (integrity: msg says what and where, "rewritten" when it was) or 4. */
int app_verify(struct app *a, int64_t id, const char *head, struct strbuf *msg);
/* "ID:ENTRY:HASH" of an incident's head, to keep where the writer cannot reach. */
int app_head(struct app *a, int64_t id, struct strbuf *out, struct sitrep_error *err);
/* Copy every incident of this journal, hashes intact, into the database
 * `to` (empty, or the same journal continued), then verify it there. */
int app_migrate(struct app *a, const char *to, struct strbuf *msg, struct sitrep_error *err);

#endif
