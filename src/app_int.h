/* Private to app's rooms:
 *   app.c     opening, the clock, the user, paths, the plan cache, the site files
 *   act.c     the one action path (and CSV import through it), corrections
 *   notify.c  notices: drafting from templates, sending through channels
 *   derive.c  replay: the state at a position from the nearest snapshot,
 *             timeline rows, verify, migrate
 *   entry.c   the payload codec (jansson) and the texts of entries and effects
 *   view.c    engine state -> views
 *   out.c     views -> report's renderers -> a FILE
 * Only these files include engine.h and journal.h. */
#ifndef SITREP_APP_INT_H
#define SITREP_APP_INT_H

#include <jansson.h>

#include "sitrep/app.h"
#include "sitrep/engine.h"
#include "sitrep/journal.h"
#include "sitrep/plan.h"
#include "sitrep/site.h"

#define PLAN_CACHE_MAX 16
#define SNAPSHOT_EVERY 64    /* entries between snapshots of derived state: a page of the
                                 timeline starts at most this far from one */

struct plan_slot {
	char hash[65];
	struct plan *plan;       /* owned */
	unsigned used;           /* LRU tick */
};

struct app {
	struct journal *j;
	char *where;             /* the database as given (path or URL) */
	char *plans_dir;
	char user[ENGINE_USER_MAX];
	int read_only;
	int64_t fixed_now;       /* app_set_now, 0 none */
	struct plan_slot cache[PLAN_CACHE_MAX];
	unsigned tick;
	struct site_contacts contacts;
	struct site_channels channels;
	struct arena people_mem; /* app_people */
	struct view_name *people;
	size_t npeople;
	int people_done;
	int no_snapshots;        /* SITREP_NO_CHECKPOINT=1: always replay in full (tests) */
	int64_t started_ns;      /* when this request began: the app's opening, then the end of
	                            the previous action (real clock, ns) */
};

/* ---- app.c ---- */

/* The plan an incident runs under, parsed from its snapshot (cached by
 * hash; the text is read only when it is not cached). Borrowed until
 * app_close. 3 when the snapshot does not load. */
/* The plan of this hash when this process has it loaded already, else NULL
 * (no journal read: the incident list knows the hashes). */
const struct plan *app_plan_cached(struct app *a, const char *hash);
int app_incident_plan(struct app *a, int64_t id, struct journal_incident *row,
		      const struct plan **p, struct sitrep_error *err);
/* The real clock, for recorded_at (the journal's). */
int app_real_clock(struct app *a, int64_t *now, struct sitrep_error *err);
/* The real clock in nanoseconds (act.c). */
/* Fail an outcome: code and message (formatted) into out; returns code. */
int app_fail(struct app_outcome *out, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int64_t real_ns(void);
int64_t app_now_upto(const struct app *a, int64_t recorded);
/* A person's shown name: the contact's name for a contact id, else as given. */
const char *app_person_name(struct app *a, const char *who);

/* ---- entry.c: payloads ---- */

/* Corrections of readings, loaded before a replay: entry id -> the
 * readings to use instead (void: none). */
struct correction {
	int64_t entry;           /* the reading corrected */
	int64_t by;              /* the correcting entry */
	int void_reading;
	struct engine_reading *rd; size_t nrd; /* owned */
};
struct corrections {
	struct correction *v; size_t n, alloc;  /* sorted by entry */
};
void corrections_release(struct corrections *c);
const struct correction *corrections_find(const struct corrections *c, int64_t entry);

/* An entry decoded into an engine action. */
struct decoded {
	json_t *js;              /* owned payload, NULL when not parsed */
	struct engine_action act;
	struct engine_reading rd_store[8];
	struct engine_reading *rd; size_t nrd, ard; /* rd_store or owned */
	const char *assess[4];
	int64_t corrected_by;    /* a reading corrected later */
	char text_hash[65];      /* approve / notify: the wording's SHA-256 (act.text_hash) */
};
/* Decode e (its payload, or for metric entries its typed readings) into
 * d->act. Returns the action kind, or -1 when e is not an action (a
 * refusal, an export) or does not decode. */
int entry_decode(const struct plan *p, const struct journal_entry *e,
		 const struct corrections *c, struct decoded *d);
void decoded_release(struct decoded *d);

/* The payload of a request the engine accepted (res) or refused. */
json_t *entry_payload(const struct plan *p, const struct app_request *rq, int64_t at,
		      const struct engine_result *res);
/* Compact UTF-8 JSON text of a payload (owned, free()). */
char *entry_dump(const json_t *js);
/* Readings of a request as journal readings (borrowed names). */
size_t entry_readings(const struct app_request *rq, struct journal_reading *out, size_t max);

/* ---- entry.c: texts, in the user's language ---- */

/* One line for a journal entry (its kind and payload). js may be NULL. */
void entry_summary(const struct plan *p, const char *kind, const json_t *js, int64_t corrects,
		   struct strbuf *out);
/* One line for an effect (st: the state after it, for task titles). */
void effect_text(const struct plan *p, const struct engine_state *st,
		 const struct engine_effect *e, struct strbuf *out);
/* A duration as every screen shows it: "00:14:59", "3d 00:51:00". */
void span_text(int64_t secs, struct strbuf *out);

/* ---- derive.c ---- */

struct derived {
	struct engine_state st;      /* after every entry up to pos (not advanced past it) */
	struct journal_pos pos;      /* the last entry applied (JOURNAL_POS_FIRST: none) */
	int64_t max_id;              /* the largest id applied */
	int64_t since_snapshot;      /* entries applied after the snapshot it started from */
	struct corrections corr;
};
void derived_release(struct derived *d);
/* The state after every entry at or before `upto` (and with occurred_at <=
 * upto.occ), from the nearest snapshot. */
int derive_upto(struct app *a, int64_t id, const struct plan *p, struct journal_pos upto,
		struct derived *d, struct sitrep_error *err);
/* Apply one entry to d (replay): the engine's result in r. Returns 1 when
 * it applied, 0 when it is not an action or no longer applies. */
int derive_apply(const struct plan *p, struct derived *d, const struct journal_entry *e,
		 struct engine_result *r, struct decoded *dec);
/* Store a snapshot of d's state when it is due (inside or outside a write;
 * read-only journals skip it). */
void derive_snapshot(struct app *a, int64_t id, struct derived *d, int force);

/* Rows of the history: every entry and what time did between them. The
 * row and its strings are valid during the call; non-zero stops the walk.
 * r: the engine's result for an entry row, or the effects of an auto row's
 * moment (its other fields empty). */
typedef int (*derive_row_fn)(const struct view_row *row, const struct view_pos *key,
			     const struct engine_result *r, void *ctx);
struct rows_query {
	struct view_pos after;   /* rows after this key; occ INT64_MIN: from the start */
	int64_t upto;            /* entries up to this time, then what time did until it
	                            (0: every entry, nothing after) */
	const char *kind;        /* filters, as struct app_page_query */
	const char *search;
	size_t budget;           /* at most this many entries (0: all) */
	derive_row_fn fn;
	void *ctx;
};
struct rows_result {
	struct view_pos last;    /* the last key walked */
	int at_end;              /* the walk reached the end */
	int budget_spent;        /* it stopped for the budget */
};
int derive_rows(struct app *a, int64_t id, const struct plan *p, const struct rows_query *q,
		struct rows_result *res, struct sitrep_error *err);

/* ---- act.c: the transaction every write goes through ---- */
struct txn {
	struct app *a;
	int64_t id;
	const struct plan *p;
	struct journal_incident row;
	int64_t recorded;            /* the real clock: every entry's recorded_at */
	struct journal_head head;
	struct derived d;            /* the state at the head */
	int open;
	int batch;                   /* an import: a refusal is not journaled here (the caller
	                                rolls back, then journals it alone) */
};
/* Begin, lock the incident, read it, check the clock, derive the head
 * state. 0, or an exit code with out filled (call txn_end either way). */
int txn_begin(struct app *a, int64_t id, struct txn *t, struct app_outcome *out);
/* One action at `at`. marks (or NULL): what the request cannot say but the
 * engine action needs (a one-step command's seen_entry/seen_clock, a
 * notice's step). extra (or NULL): fields merged into the payload. res: the
 * engine's answer. A refusal is journaled and committed (exit 1); anything
 * else but 0 leaves the transaction to roll back. */
int txn_act(struct txn *t, const struct app_request *rq, const struct engine_action *marks,
	    json_t *extra, int64_t at, struct engine_result *res, struct app_outcome *out);
/* Append one entry with the transaction's clock and actor. */
int txn_append(struct txn *t, struct journal_entry *e, struct app_outcome *out);
/* Journal a refusal and commit: exit 1. */
int txn_refusal(struct txn *t, const struct app_request *rq, int64_t at,
		const struct engine_result *res, struct app_outcome *out);
int txn_commit(struct txn *t, struct app_outcome *out);
void txn_end(struct txn *t);
/* out->message: what the action caused, one line. */
void txn_outcome_message(const struct txn *t, const struct engine_result *res,
			 const struct app_request *rq, struct app_outcome *out);

/* ---- notify.c ---- */
/* The people a notice goes to, in the plan's order: the person holding
 * each role it names (with their contact, when the contacts file has
 * them), and the contacts of each role or group it names (view.c). */
void app_notice_recipients(struct app *a, const struct plan *p, const struct engine_state *st,
			   const struct plan_notice *no,
			   void (*fn)(const char *name, const struct site_contact *c, void *ctx),
			   void *ctx);
/* approve: the wording approved (the draft as it stands, or rq->message)
 * is journaled with it; only that wording goes out (notify.c). */
int approve_act(struct app *a, const struct app_request *rq, struct app_outcome *out);
int notify_act(struct app *a, const struct app_request *rq, struct app_outcome *out);
/* The text of notice n drafted from its template for the incident now. */
void notify_draft(struct app *a, int64_t id, const struct plan *p, const struct engine_state *st,
		  int n, struct strbuf *subject, struct strbuf *text);

/* ---- view.c ---- */
/* One open deadline as shown (strings in m). */
void view_deadline_of(struct app *a, struct arena *m, const struct plan *p,
		      const struct engine_state *st, const struct engine_obligation *o,
		      struct view_deadline *d);
int view_build_incident(struct app *a, int64_t id, const struct journal_incident *row,
			const struct plan *p, const struct engine_state *st,
			const struct journal_head *head, int64_t at, struct view_incident *v,
			struct sitrep_error *err);

#endif
