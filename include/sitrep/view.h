/* view: the read model. Plain structs of what a screen or a command shows,
 * built by app (src/view.c) from the engine's state and the journal, and
 * rendered by the console, the command line and report. A view never
 * exposes engine state or journal rows, so every renderer shows the same
 * thing: `status --json`, `status`, `list`, the dashboard and the brief
 * all draw a struct view_incident.
 *
 * Ownership: a view owns one arena; every string and array in it lives
 * there (borrowed by readers until view_*_release). Texts are in the user's
 * language (plan texts chosen at load, engine messages translated); ids,
 * times and numbers never are. Times are UTC seconds, 0 = none. */
#ifndef SITREP_VIEW_H
#define SITREP_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "sitrep/names.h"
#include "sitrep/util.h"

/* ---- pieces ---- */

/* A named thing of the plan: id and its text (title or name). */
struct view_name {
	const char *id;
	const char *text;        /* the plan's title/name in the user's language, or the id */
};

struct view_level {
	const char *id;          /* "II" */
	const char *name;        /* "Level II response (二级响应)" */
	const char *colour;      /* "orange" (a terminal colour name), may be NULL */
	int index;               /* 0 = least severe */
};

struct view_proposal {
	const char *level;       /* level id */
	const char *level_name;
	const char *colour;
	const char *rule;        /* trigger id or "matrix#N" */
	const char *rule_text;   /* the trigger's title, or the matrix row's why, may be NULL */
	int64_t at;
	int downgrade;           /* accepting it lowers the level */
};

struct view_deadline {
	const char *id;          /* obligation id, "warning_cap", or a task id (t1) */
	const char *title;
	enum sitrep_obl_kind kind;
	const char *owner;       /* the plan role that owns it, NULL none */
	const char *owner_name;  /* its name */
	const char *person;      /* the named person (owner/assign/--owner), NULL nobody */
	const char *person_name; /* the contact's name for a contact id, else = person */
	int64_t started;
	int64_t due;             /* 0: no deadline */
	int overdue;
	int seq;                 /* 1, 2, ... for a cadence's successive instances */
	int notice;              /* it is a notice: met by sending it */
	int can_done;            /* the user may mark it done now */
	enum sitrep_outcome outcome; /* OUT_OPEN while it runs (tasks: how it ended) */
	int64_t closed_at;       /* when it ended, 0 open */
	const char *closed_by;   /* who did it, NULL none */
};

struct view_criterion {
	const char *id;
	const char *title;
	const char *kind;        /* "metric", "attest", "resources" */
	int met;
	int64_t held;            /* how long it has held, -1 not holding */
	int64_t need;            /* metric: for how long it must hold */
	const char *role;        /* attest: the role that attests, NULL any */
	const char *attested_by; /* NULL when not attested */
	int64_t attested_at;
};

struct view_trigger {
	const char *id;
	const char *title;
	const char *op;          /* ">", ">=" ... */
	double value;
	int64_t window;          /* the plan's `for` */
	int firing;
	int64_t held;            /* the current run, -1 none */
	const char *raises;      /* warning id, NULL none */
	const char *proposes;    /* level id, NULL none */
};

#define VIEW_SPARK 24
struct view_metric {
	const char *id;          /* the JSON `name` */
	const char *name;        /* the plan's text */
	const char *unit;        /* may be NULL */
	int has_value;
	double value;
	int64_t at;              /* of the latest reading */
	int64_t age;             /* at the view's time */
	int stale;               /* older than stale_after: windows and criteria no longer hold */
	int64_t stale_after;
	struct view_trigger *triggers; size_t ntriggers;
	double spark[VIEW_SPARK]; size_t nspark; /* the latest readings, oldest first */
};

struct view_responder {
	const char *role;
	const char *role_name;
	const char *person;
	const char *person_name; /* from the contacts file when it knows them */
	const char *phone;       /* from the contacts file, may be NULL */
	int64_t since;
};

struct view_resource {
	const char *id;
	const char *item;        /* the ledger's text */
	int64_t deployed;
	int64_t count;           /* the ledger's */
	int64_t since;           /* 0 when none is out */
	const char *by;          /* who moved it last, NULL never */
	int64_t used_secs;       /* item-seconds out, for the review */
};

struct view_notice {
	const char *id;
	const char *title;
	enum sitrep_notice_state state;
	int64_t due;             /* of the open deadline, 0 none */
	int overdue;
	const char *to;          /* recipients as the plan names them, ", "-joined */
	const char *to_people;   /* resolved through roles and contact groups, may be NULL */
	const char *to_names;    /* the recipients by the plan's names for its roles and
	                            groups (others as named), ", "-joined: what to show
	                            when to_people is NULL */
	const char *channel;     /* the default channel, NULL: given by hand */
	const char *review;      /* the role that must approve first, NULL none */
	int approved;
	const char *approved_by;
	const char *subject;
	const char *text;        /* drafted from the template while due; the text sent once sent */
	int64_t sent_at;
	int sent, failed;        /* counts */
	int lapsed;              /* was due, its deadline ended without it (state PENDING) */
	int by_hand;             /* the last time it went out, it was given by hand */
	const char *sent_via;    /* ... else the channel it went through, NULL none yet */
	/* Whether this user may send it now, and if not why (engine_may for
	 * ACT_NOTIFY with this notice: approval missing, not due, roles), in the
	 * view's arena. The console opens the editor either way and refuses
	 * Ctrl-S with send->why. NULL: not filled (the console then reads
	 * review/approved). */
	const struct view_may *send;
};

/* Whether the user may take an action now (engine_may), and if not why. */
struct view_may {
	int allowed;
	const char *rule;        /* "" when allowed */
	const char *why;         /* the refusal, translated; "" when allowed */
};

/* A matrix dimension, for the assess form. */
struct view_dimension {
	const char *id;
	const char *name;
	const char *const *values; size_t nvalues;
	const char *const *labels; /* what each value is called (NULL: the values) */
};

/* ---- a timeline row ---- */
struct view_row {
	int64_t entry;           /* journal entry id, 0 for what time did (kind "auto") */
	int64_t occurred_at;
	int64_t recorded_at;
	const char *actor;       /* "" for "auto" */
	const char *role;
	const char *kind;        /* action name, "refused", "export", "auto" */
	const char *summary;     /* one line, in the user's language; raw (escape to show) */
	const char *text;        /* the user's text (reason, note), raw, NULL none */
	int refused;
	const char *rule;        /* refusal rule, "" none */
	int no_effect;           /* a decision that stands in the record but changes nothing
	                            since a correction re-derived what came before */
	int64_t corrected_by;    /* a reading corrected later: that entry, 0 none */
	const char *phase;       /* after this row */
	const char *level;       /* level id after it, NULL none */
	const char *warning;     /* warning id after it, NULL none */
	const char *const *readings; size_t nreadings; /* metric entries: "name=value" */
	const char *const *effects; size_t neffects;   /* what it caused, one line each */
	int64_t corrects;        /* the entry this one corrects (correct, log --corrects), 0 none */
	const char *payload;     /* the entry's payload as journaled (JSON), NULL for auto rows */
};

/* ---- an incident ---- */
struct view_incident {
	struct arena mem;        /* owns everything below */
	int64_t id;
	const char *title;
	const char *plan;        /* plan id */
	const char *plan_title;
	const char *plan_hash;
	const char *lang;        /* the language plan texts are in */
	int drill;
	enum sitrep_phase phase;
	struct view_level level; /* level.id NULL: no level */
	struct view_level peak;
	const char *warning;     /* warning id, NULL none */
	const char *warning_name;
	const char *warning_colour;
	int64_t opened_at, warning_since, level_since, response_since, terminated_at;
	int64_t at;              /* the view is of this time */
	const char *commander;
	const char *user;        /* whom `may` answers for */
	int64_t last_entry;
	char head[65];           /* the chain's head hash */
	int nlate;               /* overdue deadlines */

	struct view_proposal *proposals; size_t nproposals;   /* most severe first */
	struct view_deadline *deadlines; size_t ndeadlines;   /* open, soonest due first */
	struct view_criterion *lift; size_t nlift;
	struct view_criterion *termination; size_t ntermination;
	struct view_metric *metrics; size_t nmetrics;
	struct view_responder *responders; size_t nresponders;
	struct view_resource *resources; size_t nresources;
	struct view_notice *notices; size_t nnotices;
	struct view_row *latest; size_t nlatest;              /* newest first, actions only */
	struct view_deadline *tasks; size_t ntasks;           /* every task and follow-up, open or not */
	struct view_may may[ACT__COUNT];

	/* choices for forms and pickers */
	struct view_level *levels; size_t nlevels;            /* least severe first */
	struct view_name *warnings; size_t nwarnings;         /* least severe first */
	struct view_criterion *attestable; size_t nattestable;
	struct view_name *roles; size_t nroles;
	struct view_dimension *dims; size_t ndims;
};
void view_incident_release(struct view_incident *v);

/* One line of `sitrep list` and the console's incident list. */
struct view_summary {
	int64_t id;
	const char *title;
	const char *plan;
	enum sitrep_phase phase;
	const char *level;       /* NULL none */
	const char *level_colour;
	const char *warning;     /* NULL none */
	int drill;
	int64_t opened_at;
	int64_t terminated_at;   /* 0 while live: the age stops there */
	int nopen, nlate;        /* open deadlines (notices apart, as the dashboard
	                            counts them), and how many are overdue */
	const char *problem;     /* the incident cannot be shown: why (NULL when fine) */
};
struct view_list {
	struct arena mem;
	struct view_summary *v; size_t n;  /* newest first */
	int problem_code;                  /* the worst exit code of an incident that could
	                                      not be read (its row says why), 0 none */
	const char *problem;               /* that incident's message */
};
void view_list_release(struct view_list *l);

/* A page of timeline rows, in (occurred_at, entry) order. The keys of its
 * first and last rows page on. */
struct view_pos {
	int64_t occ;
	int64_t id;              /* entry id (auto rows: the entry they come before,
	                            INT64_MAX after the last) */
	int sub;                 /* auto rows: their place among those before `id` */
};
struct view_page {
	struct arena mem;
	struct view_row *rows; size_t nrows;
	struct view_pos *pos;    /* the key of each row */
	int at_start, at_end;    /* nothing before / after this page */
};
void view_page_release(struct view_page *pg);

/* One open deadline of `sitrep tasks`: across incidents. */
struct view_task {
	int64_t incident;
	const char *incident_title;
	struct view_deadline d;
};
struct view_tasks {
	struct arena mem;
	struct view_task *v; size_t n;     /* soonest due first (no due: last) */
	/* contacts whose confirmation is overdue (000 §8.1) */
	struct view_name *unconfirmed; size_t nunconfirmed;
	const int64_t *unconfirmed_since;  /* their last confirmation, 0 never */
	int problem_code;        /* the worst exit code of an incident that could not be
	                            read (its tasks are missing), 0 none */
	const char *problem;     /* its message */
};
void view_tasks_release(struct view_tasks *t);

/* The plans in the plans folder (the console's new-incident picker). */
struct view_plans {
	struct arena mem;
	struct view_name *v; size_t n;
	const char *const *problems; size_t nproblems; /* "FILE: why" for those that do not load */
};
void view_plans_release(struct view_plans *p);

/* ---- the review ---- */

/* How each deadline of the plan came out (report --format json obligations). */
struct view_compliance {
	const char *id;
	const char *title;
	enum sitrep_obl_kind kind;
	int kept, late, missed, open, cancelled, withdrawn;
};

/* One instance that ended (or is still open at the end). */
struct view_instance {
	const char *id;
	const char *title;
	const char *owner;       /* role id */
	const char *person;
	int seq;
	int64_t due, closed_at;  /* closed_at 0: still open */
	const char *by;          /* who did it, NULL none */
	enum sitrep_outcome outcome;
	int notice;
};

struct view_change {         /* a level change */
	int64_t at;
	const char *kind;        /* "escalate", "downgrade", "accept", "auto" */
	const char *from, *to;   /* level ids, NULL none */
	const char *actor, *role;
	const char *reason;
	const char *answered;    /* the proposal's rule, NULL none */
	int64_t answered_after;  /* seconds from the proposal to the change, -1 none */
};

struct view_segment {        /* the level chart: a phase/level/warning from t0 to t1 */
	int64_t t0, t1;
	enum sitrep_phase phase;
	int level;               /* index, -1 none */
	int warning;             /* index, -1 none */
};

struct view_note {           /* a review note */
	int section;             /* enum sitrep_section */
	const char *actor;
	int64_t at;
	const char *text;
};

struct view_sent {           /* a notice that fell due, for the communications section */
	const char *id;
	const char *title;
	int64_t due;
	int64_t sent_at;         /* 0 never */
	const char *by;
	const char *channel;     /* "by hand" when given another way */
	enum sitrep_outcome outcome;
	int failed;              /* attempts that failed */
};

struct view_figures {
	int64_t to_ack, to_first_level, to_mitigation, to_termination; /* -1 n/a */
	const char *mitigation_how;
	int peak_level;          /* index, -1 none */
	int64_t in_warning[8];   /* seconds per warning index */
	int64_t in_level[8];     /* seconds per level index */
	int escalations, downgrades, refusals, corrections;
	int kept, late, missed, open;
};

struct view_review {
	struct arena mem;
	struct view_incident *inc;            /* the incident at the end */
	struct view_figures fig;
	struct view_segment *segments; size_t nsegments;
	struct view_change *changes; size_t nchanges;
	struct view_compliance *compliance; size_t ncompliance;
	struct view_instance *instances; size_t ninstances;
	struct view_row *refusals; size_t nrefusals;
	struct view_note *notes; size_t nnotes;
	struct view_deadline *followups; size_t nfollowups;     /* open and done (outcome) */
	struct view_sent *sent; size_t nsent;
	struct view_name *activity; size_t nactivity;           /* actor -> "3 actions" */
	const char *participants;             /* drills: distinct people, ", "-joined */
};
void view_review_release(struct view_review *r);

#endif
