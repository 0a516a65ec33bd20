/* engine: the incident state machine, and every rule. Pure: no I/O, no
 * clock, no storage, no screens; time is an argument.
 *
 *   state + action + plan + time -> new state and effects, or a refusal
 *   naming the rule (exit 1, journaled), or a malformed request (exit 2).
 *
 * The state at time T is: engine_init, then each journaled action in
 * (occurred_at, id) order through engine_apply, then engine_advance(T).
 * Time only moves forward inside a state: engine_advance(st, t) brings it to
 * t (trigger windows complete, readings go stale, cadence deadlines pass);
 * engine_apply advances to the action's time first.
 *
 * Besides applying actions, the engine answers the questions every screen
 * and command asks of the rules: may this user do this now, and if not
 * which rule refuses (engine_may); which deadlines are open, overdue, how
 * each one ended (kept, late, missed: engine_outcome); which criteria hold;
 * whether a reading is fresh. */
#ifndef SITREP_ENGINE_H
#define SITREP_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "sitrep/names.h"
#include "sitrep/plan.h"
#include "sitrep/util.h"

#define ENGINE_MAX_CONDS PLAN_MAX_CONDS /* conditions per metric criterion */
#define ENGINE_ID_MAX 64
#define ENGINE_USER_MAX 64
#define ENGINE_PERSON_MAX 128
#define ENGINE_TEXT_MAX (64 * 1024)    /* notes, reasons, titles: longer is refused */
#define ENGINE_TASK_TITLE_MAX 512

struct engine_metric_state {
	int has_value;       /* a reading has been seen */
	double value;        /* the latest reading */
	int64_t at;          /* its time */
	int64_t count;       /* readings seen */
};

struct engine_trigger_state {
	int64_t since;       /* first reading of the current fresh run where the condition
	                        held; -1 = not holding */
	int64_t last;        /* the latest reading of that run (freshness) */
	int firing;          /* the window completed and it has not cleared */
	int64_t fired_at;    /* when it last fired, -1 never */
};

struct engine_criterion_state {
	int64_t since[ENGINE_MAX_CONDS]; /* CRIT_METRIC: per condition, as for triggers */
	int attested;                    /* CRIT_ATTEST */
	int64_t attested_at;
	char attested_by[ENGINE_USER_MAX];
};

enum engine_proposal_source { PROP_TRIGGER, PROP_MATRIX };
struct engine_proposal {
	int level;           /* level index proposed */
	enum engine_proposal_source source;
	int trigger;         /* PROP_TRIGGER: trigger index, else -1 */
	char rule[ENGINE_ID_MAX]; /* trigger id, or "matrix" / "matrix#N" */
	int64_t at;
};

/* An open deadline: an instance of a plan obligation (or of a notice, whose
 * obligation the loader generated), the warning cap, or a task. Only open
 * ones are kept; how each closed one ended is counted in engine_obl_stats
 * and reported as an effect when it happens. */
#define ENGINE_CAP (-1)  /* plan_index of the warning cap */
#define ENGINE_TASK (-2) /* plan_index of a task or follow-up (task = index) */
struct engine_obligation {
	int plan_index;      /* index into plan.obligations, ENGINE_CAP or ENGINE_TASK */
	int task;            /* ENGINE_TASK: index into state.tasks, else -1 */
	int seq;             /* 1, 2, ... successive instances of one obligation */
	int64_t started;     /* anchor time */
	int64_t due;         /* 0: no deadline (a task without --due) */
	int warning;         /* the warning cap: the colour it caps now, else -1 */
	int by_proposal;     /* started by a level proposal: withdrawn with the last one */
};

/* Per plan obligation: what happened to its instances (the review's
 * kept/late/missed counts; the `done:X` anchors). */
struct engine_obl_stats {
	int started;
	int kept, late, missed, cancelled, withdrawn;
	int ever_done;       /* an instance was done (kept or late) */
	char person[ENGINE_PERSON_MAX]; /* `owner`: the named person who carries it, "" none */
};

struct engine_task {
	char id[16];         /* "t1", "t2" ... */
	char title[ENGINE_TASK_TITLE_MAX];
	char person[ENGINE_PERSON_MAX];  /* "" when nobody is named */
	int followup;        /* a review action item: stays open after termination */
	int64_t created;
	int64_t due;         /* 0 none */
	enum sitrep_outcome outcome; /* OUT_OPEN until it ends */
	int64_t closed_at;
	char closed_by[ENGINE_USER_MAX];
};

struct engine_responder {
	int role;            /* plan role index */
	char person[ENGINE_PERSON_MAX];
	int64_t since;
};

struct engine_resource_state {
	int64_t deployed;    /* how many are out now */
	int64_t since;       /* first deployment of the current run, 0 none */
	int64_t used_secs;   /* item-seconds deployed, summed (the review) */
	int64_t last_change;
	char by[ENGINE_USER_MAX];
};

/* A notice's delivery: the engine knows only what was journaled. */
struct engine_notice_state {
	enum sitrep_notice_state state; /* PENDING until it first falls due */
	int approved;        /* the wording of the current due instance is approved */
	char approved_by[ENGINE_USER_MAX];
	char approved_hash[65];  /* SHA-256 (hex) of the wording approved: only it goes out */
	int64_t approved_entry;  /* the approve entry (its payload holds the wording) */
	int64_t last_attempt;/* occurred_at of the latest attempt, 0 none */
	int64_t last_entry;  /* journal entry of the latest attempt or outcome (the text) */
	int sent, failed;    /* counts */
	int64_t sent_at;     /* latest delivery */
};

struct engine_state {
	enum sitrep_phase phase;
	int opened;          /* an ACT_OPEN has been applied */
	int drill;
	int level;           /* level index or -1 */
	int warning;         /* warning index or -1 */
	int peak_level;      /* most severe level reached, -1 none */
	int64_t now;         /* the time the state has been advanced to */
	int64_t opened_at;
	int64_t warning_since;   /* start of the current warning colour, 0 none */
	int64_t level_since;     /* entry into the current level, 0 none */
	int64_t response_since;  /* first entry into response, 0 never */
	int64_t terminated_at;   /* 0 while open */
	int64_t warning_started; /* start of the current warning episode, 0 none */
	int64_t last_change;     /* occurred_at of the latest state-changing action */
	int64_t level_entry;     /* journal entry of the latest level change, 0 none */
	int64_t level_recorded_ns; /* when it was decided (the real clock, nanoseconds) */
	char commander[ENGINE_USER_MAX];

	size_t nmetrics;     /* = plan.nmetrics */
	struct engine_metric_state *metrics;
	size_t ntriggers;    /* = plan.ntriggers */
	struct engine_trigger_state *triggers;
	size_t ncriteria;    /* = plan.ncriteria */
	struct engine_criterion_state *criteria;
	size_t nresources;   /* = plan.nresources */
	struct engine_resource_state *resources;
	size_t nnotices;     /* = plan.nnotices */
	struct engine_notice_state *notices;
	size_t nstats;       /* = plan.nobligations */
	struct engine_obl_stats *stats;
	struct engine_obl_stats cap_stats;   /* the warning cap's */
	struct engine_obl_stats task_stats;  /* tasks' and follow-ups' */

	struct engine_proposal *proposals; size_t nproposals, aproposals; /* most severe first */
	struct engine_obligation *obls; size_t nobls, aobls; /* open deadlines */
	struct engine_task *tasks; size_t ntasks, atasks;    /* every task ever */
	struct engine_responder *responders; size_t nresponders, aresponders;
};

/* A metric reading inside an ACT_METRIC or ACT_CORRECT action. */
struct engine_reading {
	int metric;          /* index into plan.metrics */
	double value;
};

enum engine_notify_step {
	NOTIFY_ATTEMPT,      /* about to run the channel program */
	NOTIFY_DELIVERED,    /* the program said delivered (exit 0) */
	NOTIFY_FAILED,       /* it did not (exit status, timeout, no such program) */
	NOTIFY_BY_HAND       /* given some other way (phoned, read out at the meeting) */
};

/* An intent. Strings are borrowed for the duration of the call. */
struct engine_action {
	enum sitrep_action kind;
	int64_t at;          /* occurred_at */
	const char *actor;   /* OS user name */
	const char *role;    /* --as ROLE, or NULL to pick one of the actor's roles */
	const char *text;    /* reason / note / title; NULL when absent */
	const char *target;  /* escalate/downgrade/accept: level id or NULL (one step / the most
	                        severe proposal); warn: warning id; attest: criterion id;
	                        done/owner: obligation or task id; handover: user;
	                        assign/unassign: role id; resource: item id;
	                        approve/notify: notice id; note-review: section */
	const char *person;  /* assign/unassign/owner: the person; task: --owner */
	const struct engine_reading *readings; size_t nreadings; /* ACT_METRIC, ACT_CORRECT */
	int void_reading;    /* ACT_CORRECT: the reading is voided (no replacement values) */
	const char *assess[4]; /* ACT_ASSESS: one value per matrix dimension, in plan order */
	int has_seen;        /* escalate/downgrade one step: the level the user saw is known */
	int seen_level;      /* ... that level (index, -1 = none): refused as stale when it changed */
	int64_t seen_entry;  /* one step without has_seen (a command): the journal's last entry when
	                        it started; a level change journaled after it makes the step stale */
	int64_t seen_ns;     /* ... and when it started (the real clock, ns): a level change
	                        decided after it started makes the step stale too, so two
	                        commands that run at once never move two levels */
	int64_t recorded_at; /* the entry's recorded_at (replay), or the real clock (deciding) */
	int64_t recorded_ns; /* a level change: when it was decided (ns; the payload keeps it) */
	int drill;           /* ACT_OPEN */
	int64_t due;         /* ACT_TASK: absolute due time, 0 none */
	int followup;        /* ACT_TASK */
	int withdraw;        /* ACT_RESOURCE: 0 deploy, 1 withdraw */
	int64_t count;       /* ACT_RESOURCE: how many (> 0) */
	enum engine_notify_step notify; /* ACT_NOTIFY */
	const char *text_hash; /* ACT_APPROVE: SHA-256 (hex) of the wording approved; ACT_NOTIFY
	                          (attempt, by hand): of the wording sent. NULL: not known */
	int64_t entry;       /* the journal entry this action is (0 while deciding) */
	int replay;          /* re-derived from the journal: a decision people took stands even
	                        when a correction removed its grounds (the lift or termination
	                        criteria, the proposal accepted): docs/decisions.md */
};

/* Why an effect happened, where its kind alone does not say. */
#define ENGINE_WHYS(X)                                                          \
	X(NONE,              "")                                                \
	X(BY_HAND,           N_("by hand"))                                     \
	X(BY_TRIGGER,        N_("by a trigger"))                                \
	X(ESCALATE,          N_("escalate"))                                    \
	X(ESCALATE_WARNING,  N_("escalate from the warning"))                   \
	X(DOWNGRADE,         N_("downgrade"))                                   \
	X(ACCEPT,            N_("accepting a proposal"))                        \
	X(LEVEL_REACHED,     N_("level reached"))                               \
	X(LEVEL_HIGHER,      N_("level already more severe"))                   \
	X(TRIGGER_CLEARED,   N_("trigger cleared"))                             \
	X(SUPERSEDED,        N_("superseded by a new assessment"))              \
	X(NO_LEVEL,          N_("the assessment gives no level"))               \
	X(TERMINATED,        N_("incident terminated"))                         \
	X(RESPONSE_STARTED,  N_("response started"))                            \
	X(LIFTED,            N_("warning lifted"))                              \
	X(MET,               N_("met"))                                         \
	X(MET_BEFORE,        N_("met: already done"))                           \
	X(NO_LONGER_APPLIES, N_("no longer applies"))                           \
	X(PROPOSAL_WITHDRAWN, N_("its proposal was withdrawn"))                 \
	X(PERIOD_PASSED,     N_("a whole period passed without it"))            \
	X(ASSESS_CONFIRMS,   N_("the assessment confirms the level"))           \
	X(ASSESS_GIVES,      N_("the assessment gives a level"))                \
	X(SENT,              N_("sent"))
enum engine_why {
#define X(id, text) WHY_##id,
	ENGINE_WHYS(X)
#undef X
	WHY__COUNT
};
/* English msgid of a why (translate where shown). */
const char *engine_why_text(int why);

struct engine_effect {
	enum sitrep_effect kind;
	int64_t at;
	int ref;             /* warning / trigger / level / criterion / role / resource / notice
	                        index, the plan obligation index (ENGINE_CAP, ENGINE_TASK) */
	int from;            /* EFF_LEVEL: the old level (-1 none); EFF_WARNING_RAISED: the old colour */
	int trigger;         /* the trigger that caused it, -1 none */
	int task;            /* obligation effects of a task: its index, else -1 */
	int seq;             /* obligation effects: the instance */
	int64_t due;         /* obligation effects: its deadline */
	enum sitrep_outcome outcome; /* obligation closing effects: kept/late/missed/... */
	int64_t count;       /* EFF_DEPLOYED / EFF_WITHDRAWN: how many */
	char who[ENGINE_PERSON_MAX]; /* EFF_COMMANDER: the new commander; EFF_ASSIGNED: the person;
	                                EFF_OWNER: the person; EFF_ATTESTED: by whom */
	char old[ENGINE_PERSON_MAX]; /* EFF_ASSIGNED / EFF_OWNER: who it was before, "" none */
	char rule[ENGINE_ID_MAX];    /* EFF_PROPOSAL(_WITHDRAWN): the proposal's rule */
	enum engine_why why; /* why it happened, WHY_NONE when the kind says it all */
};

enum engine_status {
	ENGINE_OK = 0,
	ENGINE_REFUSED = 1,  /* a rule refused it (exit 1, journaled) */
	ENGINE_INVALID = 2   /* the request is malformed: an unknown name, no text, a text over
	                        ENGINE_TEXT_MAX (exit 2, not journaled) */
};
struct engine_result {
	enum engine_status status;
	struct sitrep_error err;   /* refusal or invalid: rule and message, in English with ids
	                              only: what the journal records, whatever the language */
	char *shown;               /* the same message in the user's language (owned), NULL
	                              when no translator is set */
	char role[ENGINE_ID_MAX];  /* the role the action was taken in ("" when none applies) */
	int from_level, to_level;  /* escalate/downgrade/accept */
	char answered[ENGINE_ID_MAX]; /* level changes: rule of the proposal it answered, "" none */
	char task_id[16];          /* ACT_TASK: the new task's id */
	int64_t entry;             /* the action's journal entry and decision time (copied from */
	int64_t recorded_at;       /* the action by engine_apply: level changes remember them) */
	int64_t recorded_ns;
	struct engine_effect *effects; size_t neffects, aeffects; /* owned */
};
void engine_result_init(struct engine_result *r);
void engine_result_release(struct engine_result *r);
void engine_result_reset(struct engine_result *r); /* keep storage, clear contents */

/* The engine's messages are English msgids (xgettext finds them as the
 * format of refuse() and invalid(): po/Makefile's keywords). When a
 * translator is set (app sets gettext), a refusal is also formatted
 * translated into engine_result.shown for the screen; the journal keeps the
 * English. NULL: none. */
typedef const char *(*engine_translator)(const char *msgid);
void engine_set_translator(engine_translator tr);

/* Lifecycle of a state for plan p (arrays sized from p). */
void engine_init(struct engine_state *st, const struct plan *p);
void engine_release(struct engine_state *st);
/* Deep copy; dst must be released (or never initialised). */
void engine_copy(struct engine_state *dst, const struct engine_state *src);

/* Bring the state to time t (earlier than st->now is a no-op): trigger
 * windows that complete fire (warnings, proposals), runs of readings that
 * go stale break, cadence deadlines a whole period past due are missed and
 * the next falls due. Effects are appended to r when r is non-NULL. */
void engine_advance(struct engine_state *st, const struct plan *p, int64_t t,
		    struct engine_result *r);

/* Check and apply one action at a->at. ENGINE_OK: the state has changed and
 * r lists the effects. Otherwise the state is as after engine_advance(a->at)
 * and r->err names the rule (rule_name) and says why. Effects are appended
 * to r (engine_result_reset it between actions). An action earlier than
 * st->now is applied at st->now (readings keep their own time). The rules
 * are listed in names.h (SITREP_RULES) and docs/decisions.md. */
enum engine_status engine_apply(struct engine_state *st, const struct plan *p,
				const struct engine_action *a, struct engine_result *r);

/* May `actor` (in `role`, or any of theirs when NULL) take action `kind`
 * now, before they type a reason or pick a target? Checks everything that
 * does not depend on what they would type: the phase, their roles, that
 * something is there to act on (a proposal to accept, a deadline open, a
 * criterion to attest), and for terminate and lift the criteria. ENGINE_OK,
 * or ENGINE_REFUSED with r->err saying which rule and why. */
enum engine_status engine_may(const struct engine_state *st, const struct plan *p,
			      const char *actor, const char *role, enum sitrep_action kind,
			      struct engine_result *r);

/* An action decided before it was journaled (engine_action.entry 0) leaves
 * ENGINE_ENTRY_PENDING where the state keeps its entry (the level change's,
 * a notice's latest attempt); once the journal gave it an id, this puts the
 * id there, so the state is what a replay of the journal derives. */
#define ENGINE_ENTRY_PENDING (-1)
void engine_bind_entry(struct engine_state *st, int64_t entry);

/* engine_may for one target: would `a` (its kind, target, text, ...) be
 * accepted at st->now? Decided by applying it to a copy of st, so every
 * rule of the target is asked (the approval a notice needs, who owns a
 * deadline, the criterion's role). st is not changed. */
enum engine_status engine_may_on(const struct engine_state *st, const struct plan *p,
				 const struct engine_action *a, struct engine_result *r);

/* The backfill rule, asked of the state at the journal's head: may an
 * action of `kind` be placed at `at`? State-changing actions may not go
 * before the latest state change. ENGINE_REFUSED with rule `backfill`. */
enum engine_status engine_may_place(const struct engine_state *head, enum sitrep_action kind,
				    int64_t at, struct engine_result *r);
/* The clock rule: this machine's clock (`clock`) must not be behind the
 * journal's newest recorded_at (`newest`). ENGINE_REFUSED with rule
 * `clock`, saying both times. */
enum engine_status engine_check_clock(int64_t clock, int64_t newest, struct engine_result *r);

/* ---- queries at the state's current time (st->now) ---- */
int engine_criterion_met(const struct engine_state *st, const struct plan *p, int crit);
/* How long a metric criterion / trigger has held (seconds), -1 if not holding. */
int64_t engine_criterion_held(const struct engine_state *st, const struct plan *p, int crit);
int64_t engine_trigger_held(const struct engine_state *st, const struct plan *p, int trig);
/* Is metric m's latest reading fresh (within its stale_after)? 0 when none. */
int engine_metric_fresh(const struct engine_state *st, const struct plan *p, int m);
int engine_obligation_overdue(const struct engine_state *st, const struct engine_obligation *o);
/* The id of an open deadline: the plan obligation's, "warning_cap", or the task's. */
const char *engine_obligation_id(const struct engine_state *st, const struct plan *p,
				 const struct engine_obligation *o);
/* Its kind: obligation, task or followup. */
enum sitrep_obl_kind engine_obligation_kind(const struct engine_state *st,
					    const struct engine_obligation *o);
/* The plan role that owns it (-1 none) and the named person ("" none). */
int engine_obligation_role(const struct plan *p, const struct engine_obligation *o);
const char *engine_obligation_person(const struct engine_state *st,
				     const struct engine_obligation *o);
/* How a deadline ending at `closed_at` (done then, or still open at the end
 * when `done` is 0) came out: kept (done by its due time), late (done
 * after), missed (never done and overdue when it ended), or no longer
 * applies. The one place that classifies. */
enum sitrep_outcome engine_outcome(int64_t due, int64_t closed_at, int done);
/* The person holding role r on the incident ("" none). */
const char *engine_responder(const struct engine_state *st, int role);
/* Roles of a user under the plan's roster (all roles without one): a
 * bitmask over role indexes (plans have at most 32 roles). */
uint32_t engine_user_roles(const struct plan *p, const char *user);

/* ---- snapshots ----
 * A compact binary encoding of a state (little-endian, versioned, sized by
 * the plan). decode initialises st and returns 0, or -1 when buf does not fit
 * plan p (st is then left empty; releasing it is harmless). */
void engine_encode(const struct engine_state *st, struct strbuf *out);
int engine_decode(struct engine_state *st, const struct plan *p, const void *buf, size_t len);

#endif
