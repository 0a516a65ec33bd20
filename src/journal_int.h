/* journal_int.h: what src/journal.c shares with its storage backends
 * (src/journal_sqlite.c, src/journal_pg.c). Not part of the public
 * interface: nothing outside src/journal*.c includes it.
 *
 * The split: journal.c holds every rule that does not depend on the
 * database (argument checks, the canonical encoding and hashes, the chain
 * links, the per-transaction head cache, snapshot hashes, what verify
 * checks); a backend moves rows in and out of its database and answers a
 * few questions only its SQL can (the JSON readings of a payload, the
 * file's own integrity check). A backend is a table of functions, the
 * habit of SQLite's sqlite3_vfs and tig's view_ops; its state is a struct
 * that begins with `struct journal` (and `struct journal_cursor`), so the
 * two convert by a cast.
 *
 * Errors: a backend function returns an enum journal_rc and fills err
 * through journal_fail() on every failure path (err may be NULL). */
#ifndef SITREP_JOURNAL_INT_H
#define SITREP_JOURNAL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "sitrep/journal.h"
#include "sitrep/util.h"

/* ---- the cache of the write transaction ----
 * An append must know the incident's head (last id, hash, newest
 * recorded_at), the next entry id and whether snapshots lie after the new
 * entry. Looking them up per row would cost more than the INSERT itself
 * (a CSV import appends a million rows in one transaction), so they are
 * read once, under the write lock, and kept until commit or rollback. */
struct journal_txn_cache {
	int64_t incident;            /* whose head is cached, 0 none */
	int64_t last_id;             /* that incident's last entry id, 0 none */
	char hash[65];               /* its hash, or the genesis */
	int64_t last_recorded;       /* its newest recorded_at, 0 none */
	int snap_known;              /* snap_any/snap_last are valid for `incident` */
	int snap_any;                /* the incident has snapshots */
	struct journal_pos snap_last;/* the position of its latest snapshot */
	int64_t next_id;             /* the next entry id, 0 unknown */
};

/* The last snapshot whose hash checked: the same inputs (incident,
 * position, anchor, bytes) and the same stored hash check again without
 * hashing 3.6 KB (a console reloads the same snapshot on every commit). */
struct journal_snap_memo {
	int64_t incident;            /* 0 none */
	struct journal_pos pos;
	int64_t max_id;
	char anchor[65];
	char hash[65];               /* the stored hash that matched */
	unsigned char *blob;         /* owned copy */
	size_t len;
};

/* ---- one journal ----
 * Allocated by the backend's open as the first member of its own state. */
struct journal {
	const struct journal_ops *ops;
	char *where;                 /* owned: the path, or the URL without password */
	int readonly;                /* writes are refused */
	char *ro_reason;             /* owned: why, for messages ("opened read-only") */
	int in_txn;                  /* journal_begin succeeded, no commit/rollback yet */
	int gone;                    /* the file was deleted or replaced: every write refused */
	struct journal_txn_cache cache;
	struct journal_snap_memo snap_memo;
	int64_t begin_ns;            /* when the open transaction took the write lock */
	int64_t longest_hold_ns;     /* the longest a transaction held it (journal_longest_hold_ns) */
	int threads;                 /* the backend's library may serve a cursor from another
	                                thread while this one waits (journal_ahead.c) */
};

/* Readings gathered from a walk's rows: values, and their metric names
 * kept by offset in a text buffer (which moves as it grows) until
 * journal_rdbuf_fix points them there. */
struct journal_rdbuf {
	struct journal_reading *rd;
	size_t *name;                /* offset of each metric name in the text */
	size_t n, ard, aname;
};
/* An entry's actor, role, kind and payload (when there is one) appended to
 * text, each ended by a NUL, where each begins in off[0..3]. */
void journal_text_put(struct strbuf *text, const struct journal_entry *e, size_t off[4]);
void journal_rdbuf_add(struct journal_rdbuf *b, struct strbuf *text, const char *metric,
		       double value);
void journal_rdbuf_fix(struct journal_rdbuf *b, const struct strbuf *text);
void journal_rdbuf_release(struct journal_rdbuf *b);

/* ---- one cursor ----
 * Allocated by the backend's cursor_open as the first member of its own
 * state; journal.c owns the fields below and assembles entries from the
 * rows the backend steps through (one row per reading when readings are
 * joined). */
struct journal_row {
	struct journal_entry e;      /* readings unset; strings borrowed until the next step */
	int has_reading;             /* the row carries one reading (a LEFT JOIN may not) */
	const char *metric;          /* borrowed until the next step */
	double value;
};

struct journal_cursor {
	struct journal *j;
	unsigned fields;             /* enum journal_fields */
	int by_readings;             /* rows are entry x reading: group them */
	int have_row;                /* row holds the first row of the next entry */
	int ended;                   /* the backend returned its last row */
	int failed;                  /* the rc of a failed step: the walk is over */
	struct journal_row row;      /* the row read ahead */
	struct journal_entry out;    /* the entry handed out (grouped mode) */
	struct strbuf text;          /* owned: actor, role, kind, payload of `out` */
	struct strbuf names;         /* owned: the metric names of `out` */
	struct journal_rdbuf rds;    /* owned: the readings of `out` */
	int read_ahead;              /* journal_query.read_ahead, until it is tried */
	size_t handed;               /* entries handed out in this thread */
	struct journal_ahead *ahead; /* the second thread reading ahead, once started */
};

/* Where journal_cursor_gather puts an entry: begin gets the entry (its
 * strings are the backend's until the next step: copy them), reading each
 * of its readings in turn. */
struct journal_sink {
	void (*begin)(void *ctx, const struct journal_entry *e);
	void (*reading)(void *ctx, const char *metric, double value);
};
/* The next entry from the backend's rows into the sink (*got_entry 1), or
 * the end (*got_entry 0). After a failure the walk is over. */
int journal_cursor_gather(struct journal_cursor *c, const struct journal_sink *s, void *ctx,
			  int *got_entry, struct sitrep_error *err);
/* The next entry, assembled from the backend's rows in the calling thread
 * (journal_cursor_next without reading ahead). */
int journal_cursor_step_entry(struct journal_cursor *c, const struct journal_entry **e,
			      struct sitrep_error *err);
/* journal_ahead.c: start the second thread when the walk allows it and is
 * long enough (nothing happens otherwise); take its next entry; stop it
 * (at close, or when it is over). */
void journal_ahead_maybe_start(struct journal_cursor *c);
int journal_ahead_next(struct journal_cursor *c, const struct journal_entry **e,
		       struct sitrep_error *err);
void journal_ahead_stop(struct journal_cursor *c);

/* Called with each member of the payload's first top-level member named
 * "readings" (keys decoded). key is NULL when that member is not a JSON
 * object; is_number says whether the member is a JSON number (value is
 * then its nearest double). Returning non-zero stops the walk. */
typedef int (*journal_payload_reading_fn)(void *ctx, const char *key, size_t key_len,
					  int is_number, double value);

/* Called with each stored snapshot, newest position first; hash is the
 * stored hash (not yet checked). Returning non-zero stops the walk. */
typedef int (*journal_snapshot_fn)(void *ctx, const struct journal_snapshot *s,
				   const char *hash);

struct journal_ops {
	const char *name;            /* "sqlite", "postgresql": for messages */

	/* -- connection -- */
	/* Open `where` (already told apart by journal_is_url); NULL with err
	 * filled on failure. */
	struct journal *(*open)(const char *where, unsigned flags, struct sitrep_error *err);
	void (*close)(struct journal *j);        /* rolls back an open transaction */
	int (*set_busy_timeout)(struct journal *j, int ms, struct sitrep_error *err);
	int (*clock)(struct journal *j, int64_t *now, struct sitrep_error *err);
	/* Has another connection committed since the last call? */
	int (*changed)(struct journal *j, int *changed, struct sitrep_error *err);
	int (*poll_fd)(struct journal *j);

	/* -- transactions (journal.c has checked readonly, gone, nesting) -- */
	int (*begin)(struct journal *j, struct sitrep_error *err);
	/* Take the incident's lock for the rest of the transaction (called
	 * once per incident and transaction, before its head is read). The
	 * incident may not exist: the backend (when its lock is the
	 * incident's row) or head then says JOURNAL_NOTFOUND. */
	int (*lock_incident)(struct journal *j, int64_t incident, struct sitrep_error *err);
	/* Durable or rolled back; JOURNAL_GONE when the database is no longer
	 * the one opened (then j->gone is set). */
	int (*commit)(struct journal *j, struct sitrep_error *err);
	void (*rollback)(struct journal *j);
	/* Is the database inside a transaction? (It may have rolled one back
	 * by itself after an error.) */
	int (*in_transaction)(const struct journal *j);

	/* -- incidents -- */
	int (*incident_next_id)(struct journal *j, int64_t *id, struct sitrep_error *err);
	/* Insert the row as given (id, plan bytes, hashes: all computed or
	 * checked by journal.c). */
	int (*incident_insert)(struct journal *j, const struct journal_incident *inc,
			       struct sitrep_error *err);
	int (*incident_get)(struct journal *j, int64_t id, int with_plan,
			    struct journal_incident *out, struct sitrep_error *err);
	int (*incidents)(struct journal *j, journal_incident_fn fn, void *ctx,
			 struct sitrep_error *err);

	/* -- entries -- */
	/* The incident's head from storage: last_id, hash (the genesis when
	 * there is no entry), last_recorded; last_occ/last_occ_id too when
	 * `full`, and count when full is JOURNAL_HEAD_COUNT (else -1: counting
	 * walks every entry). JOURNAL_NOTFOUND when there is no such incident. */
#define JOURNAL_HEAD_POS 1
#define JOURNAL_HEAD_COUNT 2
	int (*head)(struct journal *j, int64_t incident, int full, struct journal_head *out,
		    struct sitrep_error *err);
	int (*next_entry_id)(struct journal *j, int64_t *id, struct sitrep_error *err);
	/* Where entry `id` is: its incident, position and hash.
	 * JOURNAL_NOTFOUND when there is none. */
	int (*entry_locate)(struct journal *j, int64_t id, int64_t *incident,
			    struct journal_pos *pos, char hash[65], struct sitrep_error *err);
	/* Insert the entry row and its readings exactly as given. */
	int (*entry_insert)(struct journal *j, const struct journal_entry *e,
			    struct sitrep_error *err);
	/* Walk the members of the payload's `$.readings` with the database's
	 * own JSON parser (the one verify trusts). A payload that is not JSON
	 * sets *not_json (JOURNAL_OK, no call of fn). */
	int (*payload_readings)(struct journal *j, const char *payload, size_t len,
				journal_payload_reading_fn fn, void *ctx, int *not_json,
				struct sitrep_error *err);

	/* -- cursors: the query is checked; the backend fills c->j and
	 * c->fields, journal.c the rest. step returns JOURNAL_NOTFOUND after
	 * the last row (no message). -- */
	int (*cursor_open)(struct journal *j, const struct journal_query *q,
			   struct journal_cursor **out, struct sitrep_error *err);
	int (*cursor_step)(struct journal_cursor *c, struct journal_row *row,
			   struct sitrep_error *err);
	void (*cursor_close)(struct journal_cursor *c);  /* frees c */

	/* -- snapshots: hashes are computed and checked by journal.c -- */
	int (*snapshot_put)(struct journal *j, int64_t incident, const struct journal_snapshot *s,
			    const char hash[65], struct sitrep_error *err);
	/* Stored snapshots at or before pos, newest first, streamed. */
	int (*snapshots_before)(struct journal *j, int64_t incident, struct journal_pos pos,
				journal_snapshot_fn fn, void *ctx, struct sitrep_error *err);
	/* journal_metric_latest */
	int (*metric_latest)(struct journal *j, int64_t incident, const char *metric,
			     const char *kind, int64_t upto, struct journal_metric_reading *out,
			     size_t max, size_t *n, struct sitrep_error *err);
	/* The position of the incident's latest snapshot (*any 0: none). */
	int (*snapshot_last)(struct journal *j, int64_t incident, int *any,
			     struct journal_pos *pos, struct sitrep_error *err);
	int (*snapshot_drop_after)(struct journal *j, int64_t incident, struct journal_pos pos,
				   struct sitrep_error *err);

	/* -- verification -- */
	/* The database's own integrity check (SQLite: PRAGMA quick_check).
	 * JOURNAL_CORRUPT with msg saying where; JOURNAL_OK when clean. */
	int (*check_storage)(struct journal *j, struct strbuf *msg, struct sitrep_error *err);
	/* The first entry (lowest id) that belongs to no incident, 0 none. */
	int (*orphan_entry)(struct journal *j, int64_t *id, struct sitrep_error *err);
	/* The first entry id of a reading of `incident` (or any incident when
	 * 0) stored out of place: its entry missing, of another incident, or
	 * at another occurred_at. 0 none. */
	int (*misplaced_reading)(struct journal *j, int64_t incident, int64_t *entry,
				 struct sitrep_error *err);

	/* -- for tests and tools -- */
	int (*exec_unchecked)(struct journal *j, const char *sql, struct sitrep_error *err);
	int (*query_text)(struct journal *j, const char *sql, struct strbuf *out,
			  struct sitrep_error *err);
};

/* PostgreSQL is built in (libpq is a dependency, scripts/deps.sh) unless
 * the build defines SITREP_NO_LIBPQ: then journal_open refuses a URL,
 * saying so, and src/journal_pg.c compiles to nothing. */
#if !defined(SITREP_NO_LIBPQ) && !defined(SITREP_HAVE_LIBPQ)
#define SITREP_HAVE_LIBPQ 1
/* ---- shared by journal.c, journal_readings.c and journal_verify.c ---- */

#define KIND_REFUSED "refused"   /* the kind of a refusal: holds no readings */
int journal_need_write_txn(struct journal *j, const char *what, struct sitrep_error *err);
int journal_cache_head(struct journal *j, int64_t incident, struct sitrep_error *err);
const char *journal_entry_payload(const struct journal_entry *e, size_t *len);
int journal_check_incident_fields(struct journal *j, const struct journal_incident *in,
		const char *what, struct sitrep_error *err);
int journal_check_entry_fields(struct journal *j, const struct journal_entry *e, const char *what,
		int strict, struct sitrep_error *err);
int journal_drop_stale_snapshots(struct journal *j, const struct journal_entry *e,
		struct sitrep_error *err);
int journal_check_corrects(struct journal *j, const struct journal_entry *e, const char *what,
		int fail_rc, struct sitrep_error *err);
int journal_readings_agree(struct journal *j, const struct journal_entry *e, int strict,
		struct strbuf *why, struct sitrep_error *err);

#endif

extern const struct journal_ops journal_sqlite_ops;
#ifdef SITREP_HAVE_LIBPQ
extern const struct journal_ops journal_pg_ops;
#endif

/* Kinds that record a read, not an action: actions_only leaves them out.
 * The same list twice, for C and for SQL: keep them in step. */
#define JOURNAL_READ_KINDS "export"
#define JOURNAL_READ_KINDS_SQL "('export')"

/* ---- helpers journal.c gives the backends ---- */

/* Fill err (may be NULL) with the exit code of rc and the message; returns
 * rc. Messages: lower case, naming the database and the cause. */
int journal_fail(struct sitrep_error *err, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The exit code (enum sitrep_exit) of a journal_rc. */
int journal_exit_code(int rc);
/* strerror(e) with a lower-case first letter, into buf. */
void journal_errno_text(int e, char *buf, size_t size);
/* The URL without its password (user:secret@host -> user@host, and a
 * password=... parameter left out), for j->where and messages. Caller
 * frees. */
char *journal_url_redacted(const char *url);
/* Initialise the common part of a journal a backend allocated. */
void journal_base_init(struct journal *j, const struct journal_ops *ops, const char *where);
void journal_base_release(struct journal *j);
/* Forget what the transaction cached (commit, rollback, unchecked SQL). */
void journal_cache_clear(struct journal *j);
/* The folded form of a `contains` needle: ASCII letters lower-cased, every
 * other byte as is (SQL lower() without ICU does the same). Caller frees. */
char *journal_fold_ascii(const char *s);
/* 1 when kind is a read (left out by actions_only). */
int journal_kind_is_read(const char *kind);

#endif
