/* app: the only place that turns an intent into a journaled action.
 * The console (src/tui) and the command line (src/cli.c) call only this.
 *
 * Every action: BEGIN IMMEDIATE; derive the incident's state (checkpoint +
 * replay of the journal under the incident's plan snapshot); engine_apply;
 * append the entry (or a "refused" entry); COMMIT; return the outcome. */
#ifndef SITREP_APP_H
#define SITREP_APP_H

#include <stddef.h>
#include <stdint.h>
#include "sitrep/engine.h"
#include "sitrep/journal.h"
#include "sitrep/plan.h"
#include "sitrep/util.h"

struct app; /* opaque */

struct app_options {
	const char *db_path;    /* NULL: $SITREP_DB, else $XDG_DATA_HOME/sitrep/sitrep.db (~/.local/share/...) */
	const char *plans_dir;  /* NULL: $SITREP_PLANS, else ./plans, else the installed share folder */
	int read_only;          /* open the journal read-only (status, timeline, report, verify) */
};

/* Open the journal (creating the database and its folder on first use) and
 * note the OS user (getpwuid(getuid())). NULL with err filled on failure
 * (code SITREP_EXIT_STORAGE). Free with app_close. */
struct app *app_open(const struct app_options *o, struct sitrep_error *err);
void app_close(struct app *a);
const char *app_user(const struct app *a);      /* borrowed, valid until app_close */
const char *app_db_path(const struct app *a);
const char *app_plans_dir(const struct app *a);
/* The clock: time(NULL), or $SITREP_NOW (ISO 8601) when set: a test and
 * drill aid, documented in sitrep.1. */
int64_t app_now(const struct app *a);
/* Fix this app's clock at `now` (a simulation's step time); 0 goes back to
 * $SITREP_NOW or the system clock. */
void app_set_now(struct app *a, int64_t now);
/* Has another connection committed since the last call? (PRAGMA data_version) */
int app_changed(struct app *a);
/* The paths app_open would use: an explicit value, else the environment and
 * defaults above. Owned by the caller (free()). For commands that need a
 * plans folder without opening the database (plan show). */
char *app_resolve_plans_dir(const char *dir);
char *app_resolve_db_path(const char *path);

/* An intent from the console or the command line. Strings are borrowed. */
struct app_request {
	enum plan_action kind;
	int64_t incident;       /* 0 for ACT_OPEN */
	int64_t at;             /* occurred_at; 0 = now. Later than now is refused (usage). */
	const char *role;       /* --as ROLE or NULL */
	const char *text;       /* reason / note / title (open) */
	const char *target;     /* level, warning colour, criterion, obligation, user, section */
	const char *plan;       /* ACT_OPEN: plan name (looked up in the plans folder) */
	int drill;              /* ACT_OPEN */
	const char *const *metric_names; /* ACT_METRIC: names and values, n of each */
	const double *metric_values;
	size_t nmetrics;
	const char *assess_dims[4];   /* ACT_ASSESS: dimension id -> value pairs */
	const char *assess_values[4];
	size_t nassess;
	int64_t corrects;       /* ACT_LOG: the entry this note corrects (same incident), 0 none */
	int has_seen;           /* escalate/downgrade one step: the caller states the level it saw */
	const char *seen_level; /* ... (level id, NULL = no level). Without has_seen, app reads
	                           the level just before the write transaction, so two commands
	                           racing from one level cannot both move a step */
};

struct app_outcome {
	int code;               /* enum sitrep_exit: 0 done, 1 refused, 2 usage, 3 plan, 4 storage, 5 integrity */
	int64_t incident;       /* the incident (new id for ACT_OPEN) */
	int64_t entry;          /* the journal entry written (also for a refusal), 0 none */
	char message[1024];     /* what went wrong, or a one-line summary of what happened */
	struct engine_result result; /* effects, refusal rule; owned (app_outcome_release) */
};
void app_outcome_init(struct app_outcome *o);
void app_outcome_release(struct app_outcome *o);

/* Parse one metric reading: a plain decimal number (optional sign, digits
 * with an optional fraction, optional exponent), finite. "inf", "nan", hex
 * ("0x10"), overflow ("1e400") and trailing text are refused. Returns 0, or
 * -1 with *out untouched. Every reading (metric NAME=VALUE, --csv, scenarios)
 * goes through it; app_act refuses a non-finite value as usage. */
int app_parse_reading(const char *s, double *out);

/* Carry out one intent. Returns out->code. */
int app_act(struct app *a, const struct app_request *rq, struct app_outcome *out);
/* Import "time,name,value" lines (RFC 4180, an optional header line) in one
 * transaction; path "-" reads stdin. All or nothing. */
int app_import_csv(struct app *a, int64_t incident, const char *path, const char *role,
		   struct app_outcome *out);
/* Accept the engine's first pending proposal (escalate or downgrade to its
 * level, reason "accepting proposal RULE" plus text). */
int app_accept_proposal(struct app *a, int64_t incident, const char *text,
			struct app_outcome *out);

/* A loaded incident: its row, its plan snapshot and its state at `at`. */
struct app_incident {
	struct journal_incident row;  /* owned */
	struct plan *plan;            /* owned: parsed from the snapshot */
	struct engine_state st;       /* owned: state advanced to `at` */
	int64_t at;
	int64_t last_entry;           /* id of the newest entry */
	char head[65];                /* the chain's head hash */
};
/* at = 0: now. Returns an exit code (0, or 4 storage / 3 plan snapshot broken /
 * 2 no such incident) with err filled. */
int app_incident_load(struct app *a, int64_t id, int64_t at, struct app_incident *out,
		      struct sitrep_error *err);
void app_incident_release(struct app_incident *inc);
/* Bring a loaded incident's state forward to `now` without writing anything
 * (trigger windows complete, obligations fall due), as app_incident_load
 * would; an earlier `now` is a no-op. Returns 1 when that produced effects
 * (something changed: reload to see the derived history), else 0. */
int app_incident_advance(struct app_incident *inc, int64_t now);
/* The status --json object (DESIGN.md contract), newline-terminated. */
void app_status_json(const struct app_incident *inc, struct strbuf *out);
/* Human-readable status (sitrep status ID). */
void app_status_text(const struct app_incident *inc, struct strbuf *out);

/* Incident ids, newest first; all = 0 leaves out terminated ones. *ids owned by the caller. */
int app_list(struct app *a, int all, int64_t **ids, size_t *n, struct sitrep_error *err);

/* Plans available in the plans folder: ids and titles (owned arrays of owned
 * strings; free with app_plans_free). */
size_t app_plans(struct app *a, char ***ids, char ***titles);
void app_plans_free(char **ids, char **titles, size_t n);

/* One row of an incident's history, with derived context: every journal entry
 * (actions, refusals, exports), and the time-driven transitions the engine
 * derived between entries (entry_id 0, kind "auto"). */
struct app_item {
	int64_t entry_id;       /* 0 for derived transitions */
	int64_t occurred_at;
	int64_t recorded_at;
	const char *actor;      /* "" for derived */
	const char *role;
	const char *kind;       /* action name, "refused", "export", "auto" */
	const char *summary;    /* one line, control characters escaped */
	const char *payload;    /* JSON text ("{}" for derived) */
	const char *text;       /* the user's text (reason/note), raw, may be NULL */
	int refused;
	const char *rule;       /* refusal rule, or "" */
	enum engine_phase phase;/* state after this row */
	int level;
	int warning;
	const struct engine_effect *effects; size_t neffects; /* what it caused */
};
/* Walk the incident's history up to `at` (0 = now). Pointers in the item are
 * valid only during the call; fn returning non-zero stops the walk. */
typedef int (*app_item_fn)(const struct app_item *it, const struct engine_state *st,
			   void *ctx);
int app_history(struct app *a, int64_t id, int64_t at, app_item_fn fn, void *ctx,
		struct sitrep_error *err);

/* Renderings (through report.c). Each writes to out and journals an "export"
 * entry (who, what, format, head hash) unless the journal is read-only.
 * Formats: timeline text|md|csv|json; report md|html; brief text. */
int app_timeline(struct app *a, int64_t id, const char *format, struct strbuf *out,
		 struct sitrep_error *err);
int app_report(struct app *a, int64_t id, const char *format, struct strbuf *out,
	       struct strbuf *svg, struct sitrep_error *err);
int app_brief(struct app *a, int64_t id, struct strbuf *out, struct sitrep_error *err);
int app_stats(struct app *a, const char *plan, int drills, struct strbuf *out,
	      struct sitrep_error *err);
/* The console's review screen: figures, a text level chart `width`
 * columns wide, and the review notes written per section, as of now.
 * Writes nothing (no "export" entry). */
int app_review_text(struct app *a, int64_t id, int width, struct strbuf *out,
		    struct sitrep_error *err);
/* The six review sections a note-review targets (report.c's list): ids and
 * titles, borrowed static arrays. Returns how many. */
size_t app_review_sections(const char *const **ids, const char *const **titles);
/* The file name the Markdown report links its SVG chart as (write the SVG
 * from app_report beside the .md under this name). */
void app_report_svg_name(int64_t id, struct strbuf *out);

/* Plans without a database. `sitrep plan check PATH`: out gets
 * "PATH: ok (ID)\n", or the diagnostics (one per line) when it does not load;
 * returns 0 or 3 (plan). */
int app_plan_check(const char *path, struct strbuf *out);
/* `sitrep plan show NAME`: NAME is a plan id in the plans folder (plans_dir
 * resolved as app_resolve_plans_dir does), or a path when it has a '/' or
 * ends in ".yaml". out gets the description, or the diagnostics when it
 * cannot be loaded; returns 0 or 3 (plan). */
int app_plan_show(const char *plans_dir, const char *name, struct strbuf *out);

/* Verify one incident's chain (id > 0) or all; head: a head hash kept elsewhere, or NULL.
 * Returns 0, 5 (integrity) or 4 (storage); msg says what and where. */
int app_verify(struct app *a, int64_t id, const char *head, struct strbuf *msg);

#endif
