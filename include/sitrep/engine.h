/* engine: the incident state machine. Pure: no I/O, no clock, no SQLite, no
 * curses. State + action + plan + time -> new state and effects, or a refusal
 * naming the rule that refused it.
 *
 * Time only moves forward inside one state: engine_advance(st, t) brings the
 * state to time t (trigger windows that complete, obligations that fall due);
 * engine_apply advances to the action's time first. The state at time T is
 * therefore: init, then for each accepted journal entry in (occurred_at, id)
 * order engine_apply, then engine_advance(T). */
#ifndef SITREP_ENGINE_H
#define SITREP_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include "sitrep/plan.h"
#include "sitrep/util.h"

enum engine_phase { PHASE_MONITORING, PHASE_WARNING, PHASE_RESPONSE, PHASE_TERMINATED };
const char *engine_phase_name(enum engine_phase ph); /* "monitoring" ... */

#define ENGINE_MAX_CONDS 8   /* conditions per metric criterion (the loader enforces it) */
#define ENGINE_ID_MAX 64
#define ENGINE_USER_MAX 64

struct engine_metric_state {
	int has_value;       /* a reading has been seen */
	double value;        /* the latest reading */
	int64_t at;          /* its time */
	int64_t count;       /* readings seen */
};

struct engine_trigger_state {
	int64_t since;       /* first reading of the current run where cond held; -1 = not holding */
	int firing;          /* the window completed and it has not cleared */
	int64_t fired_at;    /* when it fired (since + for; later only for a backfilled reading), -1 never */
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

enum engine_obl_status { OBL_OPEN, OBL_DONE, OBL_CANCELLED };
/* Obligation instances. One-shots start when their anchor event happens
 * for the first time in the incident, and never again; with `repeat` they
 * start on every occurrence (at most one open instance per obligation). A
 * one-shot whose met_by names `done:X` when X is already done starts met
 * (done at once, closed_by ""). The event `level` (ANCHOR_LEVEL, ref -1)
 * happens on every change of level: entry into the response, escalate,
 * downgrade. Cadences have exactly one
 * open instance while any of their `during` states holds (done re-arms it at
 * done time + every; leaving the states cancels it). met_by events close an
 * instance as done with closed_by "". The warning cap (plan_index -1) is due
 * max_duration after the first colour of a warning episode and is met by
 * lifting or entering a response. Termination cancels everything open and
 * starts the obligations anchored on it. */
struct engine_obligation {
	int plan_index;      /* index into plan.obligations, -1 = the engine's own warning cap */
	int seq;             /* 1, 2, ... for a cadence's successive instances */
	int64_t started;     /* anchor time */
	int64_t due;
	enum engine_obl_status status;
	int64_t closed_at;   /* done or cancelled at, 0 while open */
	char closed_by[ENGINE_USER_MAX]; /* who did it ("" when met by an event or cancelled) */
	int warning;         /* warning cap: the warning index it caps, else -1 */
};

struct engine_state {
	enum engine_phase phase;
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
	int64_t warning_started; /* start of the current warning episode (first colour raised), 0 none */
	char commander[ENGINE_USER_MAX];

	size_t nmetrics;     /* = plan.nmetrics */
	struct engine_metric_state *metrics;
	size_t ntriggers;    /* = plan.ntriggers */
	struct engine_trigger_state *triggers;
	size_t ncriteria;    /* = plan.ncriteria */
	struct engine_criterion_state *criteria;

	struct engine_proposal *proposals; size_t nproposals, aproposals;
	struct engine_obligation *obls; size_t nobls, aobls; /* every instance ever, in creation order */
};

/* A metric reading inside an ACT_METRIC action. */
struct engine_reading {
	int metric;          /* index into plan.metrics */
	double value;
};

/* An intent. All strings are borrowed for the duration of the call. */
struct engine_action {
	enum plan_action kind;
	int64_t at;          /* occurred_at */
	const char *actor;   /* OS user name */
	const char *role;    /* --as ROLE, or NULL to pick one of the actor's roles */
	const char *text;    /* reason / note / title; NULL when absent */
	const char *target;  /* escalate/downgrade: level id or NULL (one step);
	                        warn: warning id; attest: criterion id; done: obligation id;
	                        handover: user; note-review: section */
	const struct engine_reading *readings; size_t nreadings; /* ACT_METRIC */
	const char *assess[4]; /* ACT_ASSESS: one value per matrix dimension, in plan order */
	int has_seen;        /* escalate/downgrade one step: the level the user saw is known */
	int seen_level;      /* ... that level (index, -1 = none): refused as stale when it changed */
	int drill;           /* ACT_OPEN */
};

enum engine_effect_kind {
	EFF_OPENED,
	EFF_WARNING_RAISED,      /* ref = warning; by a trigger when trigger >= 0 */
	EFF_WARNING_LIFTED,      /* ref = warning that ended */
	EFF_TRIGGER_FIRED,       /* ref = trigger */
	EFF_TRIGGER_CLEARED,     /* ref = trigger */
	EFF_PROPOSAL,            /* ref = level */
	EFF_PROPOSAL_WITHDRAWN,  /* ref = level */
	EFF_LEVEL,               /* ref = new level, from = old level (-1 none) */
	EFF_OBLIGATION_STARTED,  /* ref = index into state.obls */
	EFF_OBLIGATION_DONE,     /* ref = index into state.obls */
	EFF_OBLIGATION_CANCELLED,/* ref = index into state.obls */
	EFF_ATTESTED,            /* ref = criterion */
	EFF_COMMANDER,           /* text = new commander */
	EFF_TERMINATED,
	EFF_ASSESSED             /* ref = level the matrix gives (-1 none); a proposal follows unless it confirms the level */
};
struct engine_effect {
	enum engine_effect_kind kind;
	int64_t at;
	int ref;
	int from;
	int trigger;         /* trigger index that caused it, -1 none */
	char text[256];      /* human summary, e.g. "blue warning raised by queue_long" */
};

enum engine_status { ENGINE_OK = 0, ENGINE_REFUSED = 1 };
struct engine_result {
	enum engine_status status;
	char rule[ENGINE_ID_MAX];  /* refusal: the rule that refused ("escalate.max", "termination", "roles", ...) */
	char message[1024];        /* refusal: human message naming the rule / unmet criteria */
	char role[ENGINE_ID_MAX];  /* the role the action was taken in ("" when none applies) */
	int from_level, to_level;  /* escalate/downgrade */
	char answered[ENGINE_ID_MAX]; /* escalate/downgrade: rule of the proposal it answered, "" none */
	struct engine_effect *effects; size_t neffects, aeffects; /* owned */
};
void engine_result_init(struct engine_result *r);
void engine_result_release(struct engine_result *r);
void engine_result_reset(struct engine_result *r); /* keep storage, clear contents */

/* Lifecycle of a state for plan p (arrays sized from p). */
void engine_init(struct engine_state *st, const struct plan *p);
void engine_release(struct engine_state *st);
/* Deep copy; dst must be released (or never initialised). */
void engine_copy(struct engine_state *dst, const struct engine_state *src);

/* Bring the state to time t (t earlier than st->now is a no-op): triggers
 * whose window completes fire (warnings, proposals), warning caps start.
 * Effects are appended to r when r is non-NULL. */
void engine_advance(struct engine_state *st, const struct plan *p, int64_t t,
		    struct engine_result *r);

/* Check and apply one action at a->at. On ENGINE_OK the state has changed and
 * r lists the effects; on ENGINE_REFUSED the state is as after
 * engine_advance(a->at) and r->rule / r->message say why. Effects are
 * appended to r (engine_result_reset it between actions). An action with
 * a->at earlier than st->now is applied at st->now (readings keep their own
 * time in the metric state and trigger windows).
 *
 * Refusal rules (r->rule):
 *   open          before ACT_OPEN, or a second ACT_OPEN
 *   terminated    after termination (only log, note-review, and done for the
 *                 obligations termination starts, are accepted)
 *   roles         the user holds no role that may do it (or --as is not held /
 *                 not allowed); the message names the roles that may
 *   reason        escalate, downgrade, terminate without a text
 *   log, note-review   no text (note-review: no section in target)
 *   metric        no readings, unknown metric, not a number, outside the
 *                 metric's min/max
 *   warn, warn.same, warn.lower, warn.response
 *   lift          not in a warning, or lift criteria unmet (listed)
 *   escalate      unknown level; escalate.max, escalate.same, escalate.lower
 *   downgrade     not in a response, unknown level; downgrade.min,
 *                 downgrade.same, downgrade.higher
 *   assess        no matrix, unknown or missing value (allowed ones listed)
 *   attest        unknown criterion, or a metric criterion
 *   done          unknown obligation, none open, or the warning cap
 *   termination   criteria unmet: "cannot terminate: unmet: id (title), ..."
 *   handover, handover.same, handover.roster */
enum engine_status engine_apply(struct engine_state *st, const struct plan *p,
				const struct engine_action *a, struct engine_result *r);

/* Queries at the state's current time (st->now). */
int engine_criterion_met(const struct engine_state *st, const struct plan *p, int crit);
/* How long a metric criterion / trigger has held (seconds), -1 if not holding */
int64_t engine_criterion_held(const struct engine_state *st, const struct plan *p, int crit);
int64_t engine_trigger_held(const struct engine_state *st, const struct plan *p, int trig);
int engine_obligation_overdue(const struct engine_state *st, const struct engine_obligation *o);
/* Title of an obligation instance (plan title, or "escalate or lift the blue warning"). */
void engine_obligation_title(const struct engine_state *st, const struct plan *p,
			     const struct engine_obligation *o, struct strbuf *out);
const char *engine_obligation_id(const struct plan *p, const struct engine_obligation *o);
/* Roles of a user under the plan's roster (all roles without a roster):
 * fills a bitmask over role indexes (plans have at most 32 roles). */
uint32_t engine_user_roles(const struct plan *p, const char *user);

/* Checkpoints: a compact binary encoding of a state (stable across runs of the
 * same build and plan; little-endian, versioned, sized by the plan).
 * decode initialises st (pass an uninitialised or released state) and returns
 * 0, or -1 if buf does not fit plan p; on -1 st is left empty (releasing it
 * is harmless). */
void engine_encode(const struct engine_state *st, struct strbuf *out);
int engine_decode(struct engine_state *st, const struct plan *p, const void *buf, size_t len);

#endif
