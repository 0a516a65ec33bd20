/* Private to the engine's files (engine.c: rules and queries; engine_act.c:
 * the actions, engine_apply and engine_may;
 * engine_obl.c: deadlines, tasks and events; engine_codec.c: snapshots). */
#ifndef SITREP_ENGINE_INT_H
#define SITREP_ENGINE_INT_H

#include "sitrep/engine.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A new effect at the end of r (NULL when r is NULL: nobody listens). Its
 * index fields start at -1. */
struct engine_effect *eff_add(struct engine_result *r, enum sitrep_effect kind, int64_t at);

/* Refusals: status, rule and message into r->err. Return the status. */
enum engine_status refuse(struct engine_result *r, int rule, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum engine_status invalid(struct engine_result *r, int rule, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void copy_str(char *dst, size_t size, const char *src);

/* ---- deadlines (engine_obl.c) ---- */

/* Start an open deadline: plan obligation pi (or ENGINE_CAP / ENGINE_TASK
 * with `task`), due at `due` (0: none). by_proposal: started by a level
 * proposal. Returns its index in st->obls. */
size_t obl_start(struct engine_state *st, const struct plan *p, int pi, int task, int warning,
		 int64_t at, int64_t due, int by_proposal, struct engine_result *r);
/* Close open deadline idx at `at`: done (by `by`, "" for an event), or not
 * (cancelled: kept out of the count unless overdue, then missed), or
 * withdrawn (its proposal went). */
enum obl_end { END_DONE, END_CANCELLED, END_WITHDRAWN, END_MISSED };
void obl_close(struct engine_state *st, const struct plan *p, size_t idx, enum obl_end end,
	       const char *by, int64_t at, enum engine_why why, struct engine_result *r);
/* The open instance of plan obligation pi (ENGINE_CAP: the cap), -1 none. */
int obl_open_index(const struct engine_state *st, int pi);
/* The open deadline of task ti, -1 none. */
int obl_task_index(const struct engine_state *st, int ti);
/* The stats block of a deadline (plan obligation, cap or tasks). */
struct engine_obl_stats *obl_stats(struct engine_state *st, int pi);

/* An event happened (an anchor kind with its ref): deadlines it meets are
 * done, one-shots anchored on it start. */
void obl_event(struct engine_state *st, const struct plan *p, enum plan_anchor_kind kind,
	       int ref, int64_t at, struct engine_result *r);
/* Cadences follow the state: one open instance while a `while` holds. */
void obl_sync_cadences(struct engine_state *st, const struct plan *p, int64_t at,
		       struct engine_result *r);
/* The warning cap of the current episode is met (lift, response). */
void obl_cap_met(struct engine_state *st, const struct plan *p, int64_t at, enum engine_why why,
		 struct engine_result *r);
/* No proposal is pending any more: deadlines started by one are withdrawn. */
void obl_withdraw_by_proposal(struct engine_state *st, const struct plan *p, int64_t at,
			      struct engine_result *r);
/* The earliest time after st->now (and <= t) at which a cadence deadline is
 * a whole period past due, or INT64_MAX. */
int64_t obl_next_miss(const struct engine_state *st, const struct plan *p);
/* Close every cadence deadline a whole period past due at `at` as missed and
 * start the next, due a period later. */
void obl_miss_due(struct engine_state *st, const struct plan *p, int64_t at,
		  struct engine_result *r);
/* Termination: everything open ends, but follow-ups and what termination
 * itself starts. */
void obl_terminate(struct engine_state *st, const struct plan *p, int64_t at,
		   struct engine_result *r);

/* ---- shared by engine.c (rules, queries) and engine_act.c (actions) ---- */

/* The translation of an English message (fmt or word) for the screen: the
 * translator engine_set_translator set, or s itself. */
const char *engine_tr(const char *s);
int engine_translating(void);

struct role_need {
	enum sitrep_action perm;  /* the permission needed */
	const int *allowed;       /* roles allowed (activated_by), NULL = any */
	size_t nallowed;
	int only;                 /* the one role allowed (attest, approve), -1 = any */
	int prefer;               /* role to pick first when held and fitting, -1 none */
	const char *what;         /* "escalate to level 'I'" for messages */
};

void eng_clear_attestations(struct engine_state *st);
int eng_find_task(const struct engine_state *st, const char *id);
enum engine_status eng_level_role(const struct plan *p, const char *actor, const char *as,
		enum sitrep_action perm, int to, struct engine_result *r);
const char *eng_lv(const struct plan *p, int l);
void eng_need_init(struct role_need *n, enum sitrep_action perm);
int eng_nonempty(const char *s);
/* A text the user said: not empty, and (but in a replay) not blank. */
int eng_said(const struct engine_action *a, const char *s);
enum sitrep_action eng_permission(enum sitrep_action kind, int down);
enum engine_status eng_pick_role(const struct plan *p, const char *actor, const char *as,
		const struct role_need *need, struct engine_result *r);
enum engine_status eng_plain_role(const struct plan *p, const struct engine_action *a,
		struct engine_result *r);
void eng_proposal_add(struct engine_state *st, const struct plan *p, int level,
		enum engine_proposal_source src, int trigger, const char *rule, int64_t at,
		struct engine_result *r);
void eng_proposal_remove(struct engine_state *st, const struct plan *p, size_t i, int64_t at,
		enum engine_why why, struct engine_result *r);
void eng_raise_warning(struct engine_state *st, const struct plan *p, int w, int trigger,
		int64_t at, struct engine_result *r);
void eng_reading(struct engine_state *st, const struct plan *p, int m, double v, int64_t at,
		int64_t now, struct engine_result *r);
enum engine_status eng_refuse_unmet(struct engine_result *r, int rule, const char *fmt,
		const char *fmt_shown, const char *first, const char *first_shown,
		const struct strbuf *ids, const struct strbuf *titles);
void eng_set_level(struct engine_state *st, const struct plan *p, int to, enum engine_why how,
		int64_t at, struct engine_result *r);
void eng_time_passes(struct engine_state *st, const struct plan *p, int64_t t,
		struct engine_result *r);
size_t eng_unmet_list(const struct engine_state *st, const struct plan *p, const int *idx,
		size_t n, struct strbuf *ids, struct strbuf *titles);
enum engine_status eng_validate(const struct engine_state *st, const struct plan *p,
		const struct engine_action *a, struct engine_result *r);
const char *eng_wid(const struct plan *p, int w);

#endif
