/* Private to the engine's files (engine.c: actions and queries;
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

#endif
