/* journal: the append-only store. Knows nothing of rules: it stores
 * incidents (each with the plan text it runs under), entries chained by
 * SHA-256, typed readings, snapshots of derived state; it reads them back in
 * pages keyed by (occurred_at, id) and verifies the chain.
 *
 * Two backends behind this one interface (src/journal.c dispatches):
 *   SQLite      a file path or ":memory:" (src/journal_sqlite.c, the only
 *               file that includes <sqlite3.h>)
 *   PostgreSQL  a postgresql:// or postgres:// URL (src/journal_pg.c, the
 *               only file that includes <libpq-fe.h>)
 * Both store the same bytes and compute the same hashes, so a journal
 * verifies identically on either. Format: docs/journal-format.md.
 *
 * Errors: every function that can fail returns an enum journal_rc and, when
 * err is not NULL, fills it (code: the exit code, 4 storage or 5 integrity,
 * 2 for JOURNAL_NOTFOUND; message naming the database and the cause). err
 * must be initialised (SITREP_ERROR_INIT); it is replaced, not appended to. */
#ifndef SITREP_JOURNAL_H
#define SITREP_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sitrep/util.h"

struct journal; /* opaque; used by one thread at a time */

enum journal_rc {
	JOURNAL_OK = 0,
	JOURNAL_NOTFOUND = 1,   /* no such incident / entry / snapshot */
	JOURNAL_BUSY = 2,       /* locked past the busy timeout */
	JOURNAL_READONLY = 3,   /* read-only file, folder or role */
	JOURNAL_ERROR = 4,      /* any other storage error (lost connection, disk full, a
	                           schema from a newer sitrep ...) */
	JOURNAL_CORRUPT = 5,    /* integrity: chain broken, damaged file, emptied journal */
	JOURNAL_GONE = 6        /* the database file was deleted or replaced under us:
	                           nothing written since can be found (exit 4) */
};

enum journal_open_flags {
	JOURNAL_CREATE = 1,     /* create the database (SQLite: the file, mode 0600, or 0660
	                           in a group-shared folder; never through a symlink) and
	                           its schema */
	JOURNAL_READ_ONLY = 2
};

/* Open `where`: a path, ":memory:", or a postgresql:// URL (connection
 * settings from the URL and libpq's own environment). NULL on failure with
 * err filled. Refused (JOURNAL_CORRUPT / JOURNAL_ERROR, exit 4 or 5):
 *   - a file that is not a sitrep journal, or an empty file this process did
 *     not create (an emptied journal is an integrity failure, not a start);
 *   - a file not owned by the user (in a group-shared folder: nor shared
 *     with a group of the user's), or writable by others (a group-shared
 *     folder allows group write), a symlink, a FIFO or device, a folder;
 *   - a schema newer than this build (JOURNAL_ERROR: exit 4, nothing is wrong
 *     with the file).
 * The checks, and what "group-shared" means: docs/journal-format.md.
 * An older schema is upgraded when opened with write access. A read-write
 * open of a file that cannot be written succeeds read-only; writes then
 * return JOURNAL_READONLY naming why. */
struct journal *journal_open(const char *where, unsigned flags, struct sitrep_error *err);
void journal_close(struct journal *j);
/* 1 when `where` names a PostgreSQL database (postgresql:// or postgres://). */
int journal_is_url(const char *where);
/* What was opened, for messages: the path, or the URL without its password.
 * Borrowed, valid until journal_close. */
const char *journal_where(const struct journal *j);
int journal_readonly(const struct journal *j);
int journal_schema_version(void);
/* Busy timeout of every lock wait in milliseconds (default below). */
#define JOURNAL_BUSY_TIMEOUT_MS 5000
int journal_set_busy_timeout(struct journal *j, int ms, struct sitrep_error *err);

/* The real clock for recorded_at (UTC seconds): time() for SQLite, the
 * server's clock for PostgreSQL (one clock for every site). Never a test
 * clock. */
int journal_clock(struct journal *j, int64_t *now, struct sitrep_error *err);

/* ---- transactions ----
 * Every write happens between begin and commit. begin takes the write lock
 * (SQLite BEGIN IMMEDIATE with the busy timeout; PostgreSQL a transaction);
 * lock_incident then takes the incident's lock (PostgreSQL SELECT ... FOR
 * UPDATE on its row; SQLite has it already), so the rule check that follows
 * sees no concurrent change. commit returns only once the database says the
 * transaction is durable; a failed commit rolls back and the caller must not
 * acknowledge anything. Before it acknowledges, commit checks that the
 * database is still the one opened (JOURNAL_GONE when the file was deleted
 * or replaced). No nesting; rollback without a transaction is a no-op. */
int journal_begin(struct journal *j, struct sitrep_error *err);
int journal_lock_incident(struct journal *j, int64_t incident, struct sitrep_error *err);
int journal_commit(struct journal *j, struct sitrep_error *err);
void journal_rollback(struct journal *j);
int journal_in_transaction(const struct journal *j);
/* The longest any transaction of this connection held the write lock, from
 * journal_begin to commit or rollback (ns; 0 none): for `make bench` and
 * SITREP_TIMINGS (docs/performance.md). */
int64_t journal_longest_hold_ns(const struct journal *j);

/* Has another connection committed since the last call? (SQLite
 * data_version; PostgreSQL notifications on the sitrep channel, each commit
 * NOTIFYs with the incident id.) *changed 1/0. A lost PostgreSQL connection
 * is re-established here (JOURNAL_ERROR while it cannot be). */
int journal_changed(struct journal *j, int *changed, struct sitrep_error *err);
/* A file descriptor that becomes readable when a notification may have
 * arrived (the PostgreSQL socket), or -1 (SQLite: poll journal_changed). */
int journal_poll_fd(struct journal *j);

/* ---- incidents ---- */
struct journal_incident {
	int64_t id;
	char *title;         /* owned */
	char *plan_id;       /* owned */
	char *plan_text;     /* owned: the plan snapshot, byte for byte (may hold NULs;
	                        a NUL follows the plan_len bytes); NULL when loaded
	                        without it */
	size_t plan_len;     /* bytes of plan_text */
	char plan_hash[65];  /* SHA-256 hex of the plan text */
	int drill;
	int64_t created_at;  /* recorded_at of creation */
	char genesis[65];    /* the chain's genesis hash */
};
void journal_incident_release(struct journal_incident *inc);
/* Create an incident (inside a write transaction). in->id, genesis and
 * plan_hash are computed here (id: the next free one) and written back. */
int journal_incident_create(struct journal *j, struct journal_incident *in,
			    struct sitrep_error *err);
int journal_incident_get(struct journal *j, int64_t id, int with_plan,
			 struct journal_incident *out, struct sitrep_error *err);
/* Every incident without its plan text, newest first (created_at, id
 * descending). The row passed to fn is valid during the call; fn returning
 * non-zero stops the walk. */
typedef int (*journal_incident_fn)(const struct journal_incident *inc, void *ctx);
int journal_incidents(struct journal *j, journal_incident_fn fn, void *ctx,
		      struct sitrep_error *err);

/* ---- entries ---- */

/* A reading carried by an entry, stored in typed columns beside the entry
 * (so that replay parses no JSON); the payload holds the same readings: its
 * first top-level member "readings" is an object of name -> number, each
 * number reading back as exactly this double (write %.17g, not %.15g). An
 * entry of kind "refused" carries none (its payload may echo a request). */
struct journal_reading {
	const char *metric;  /* borrowed */
	double value;
};

struct journal_entry {
	int64_t id;
	int64_t incident;
	int64_t recorded_at;  /* the real clock, UTC seconds (journal_clock) */
	int64_t occurred_at;  /* <= recorded_at */
	const char *actor;
	const char *role;     /* "" when none */
	const char *kind;     /* an action name, "refused", "export", ... */
	const char *payload;  /* JSON text, UTF-8 without NUL; NULL is "{}" */
	size_t payload_len;   /* bytes of payload; 0 on input: up to its NUL */
	int64_t corrects;     /* the entry this one corrects, 0 none */
	const struct journal_reading *readings; size_t nreadings;
	char prev_hash[65];
	char hash[65];
};

/* Append (inside a write transaction): id, prev_hash and hash are computed
 * here and written back into *e. Strings borrowed. Refused: outside a
 * transaction, an empty actor or kind, occurred_at > recorded_at, a
 * recorded_at earlier than the incident's newest (the clock must not go
 * backwards within an incident), a `corrects` that is not an earlier entry
 * of the same incident (JOURNAL_NOTFOUND), a payload that is not valid
 * UTF-8 JSON, readings that differ from the payload's. Drops, in the same
 * transaction, the snapshots it makes stale (see snapshots below). */
int journal_append(struct journal *j, struct journal_entry *e, struct sitrep_error *err);

/* One entry with owned copies of its strings and readings (free with
 * journal_entry_free_owned). */
int journal_entry_get(struct journal *j, int64_t id, struct journal_entry *out,
		      struct sitrep_error *err);
void journal_entry_free_owned(struct journal_entry *e);

/* The newest state of an incident's chain. */
struct journal_head {
	int64_t last_id;          /* 0 when the incident has no entries */
	char hash[65];            /* the last entry's hash, or the genesis */
	int64_t last_recorded;    /* the newest recorded_at, 0 none */
	int64_t count;            /* entries */
	int64_t last_occ, last_occ_id; /* the last position in (occurred_at, id) order */
};
int journal_head(struct journal *j, int64_t incident, struct journal_head *out,
		 struct sitrep_error *err);
/* journal_head without the count (count -1): counting walks every entry of
 * the incident; the rest is a few index lookups. What every command and
 * screen reads. */
int journal_tip(struct journal *j, int64_t incident, struct journal_head *out,
		struct sitrep_error *err);

/* ---- reads: keyset-paged cursors ----
 * An entry's place is its position (occurred_at, id). A cursor walks one
 * incident's entries in position order (or reversed), strictly after `after`
 * (before `after` when descending), those with occurred_at <= upto, streaming
 * row by row: nothing holds the incident in memory. An incident without
 * entries (or none at all) yields no entry. */
struct journal_pos {
	int64_t occ;
	int64_t id;
};
#define JOURNAL_POS_FIRST ((struct journal_pos){ INT64_MIN, 0 })
#define JOURNAL_POS_LAST ((struct journal_pos){ INT64_MAX, INT64_MAX })

enum journal_fields {
	JF_PAYLOAD = 1,       /* fill payload (else NULL, payload_len 0) */
	JF_READINGS = 2,      /* fill readings from the typed columns */
	JF_HASHES = 4         /* fill prev_hash and hash */
};

struct journal_query {
	int64_t incident;
	struct journal_pos after; /* exclusive start (JOURNAL_POS_FIRST; descending: _LAST) */
	int64_t upto;             /* occurred_at <= upto (INT64_MAX: all) */
	int descending;
	unsigned fields;          /* enum journal_fields */
	const char *kind;         /* only entries of this kind, or NULL */
	int actions_only;         /* leave out "export" and other reads (the dashboard's latest) */
	const char *contains;     /* only entries whose actor, kind or payload contains this
	                             (ASCII case folded; other text exact), or NULL */
	int by_id;                /* walk in id order instead (verify, migrate); after.id only */
	int read_ahead;           /* the caller makes no other call on this journal until it
	                             closes the cursor: a long walk may then be read ahead on a
	                             second thread while the caller uses the entries */
};
struct journal_cursor;
int journal_cursor_open(struct journal *j, const struct journal_query *q,
			struct journal_cursor **out, struct sitrep_error *err);
/* The next entry in *e (borrowed, valid until the next call or close), or
 * *e = NULL at the end. After a failure the walk is over: later calls fail. */
int journal_cursor_next(struct journal_cursor *c, const struct journal_entry **e,
			struct sitrep_error *err);
void journal_cursor_close(struct journal_cursor *c);

/* ---- readings of one metric ----
 * The latest readings of `metric` in the incident, newest first: at most
 * `max` of them with occurred_at <= upto, from entries of `kind` (NULL:
 * any). A walk of the (incident, metric, time) index: a sparkline does not
 * read the entries in between. */
struct journal_metric_reading {
	int64_t occurred_at;
	int64_t entry;
	double value;
};
int journal_metric_latest(struct journal *j, int64_t incident, const char *metric,
			  const char *kind, int64_t upto, struct journal_metric_reading *out,
			  size_t max, size_t *n, struct sitrep_error *err);

/* ---- snapshots of derived state ----
 * An opaque blob (the engine's encoding of the state after every entry up
 * to position `pos`), covering every entry with id <= max_id. Several per
 * incident, so that any position has a near starting point. A snapshot is
 * bound to the chain: its hash is SHA-256 over the blob and the hash of
 * entry max_id (the genesis when 0), with the incident and position,
 * checked on every read (a planted or stale blob is ignored:
 * JOURNAL_NOTFOUND). Snapshots are a cache: an append placed before
 * existing snapshots (a backfill) drops those after its position, a
 * correction those at or after the corrected entry's; journal_append does
 * it inside the same transaction (journal_snapshot_drop_after is there for
 * the caller's own reasons). pos may be JOURNAL_POS_FIRST with max_id 0. */
struct journal_snapshot {
	struct journal_pos pos;
	int64_t max_id;
	void *blob;          /* owned after _get */
	size_t len;
};
void journal_snapshot_release(struct journal_snapshot *s);
/* Store one (inside or outside a write transaction; on a read-only journal
 * JOURNAL_READONLY, which callers may ignore). */
int journal_snapshot_put(struct journal *j, int64_t incident, const struct journal_snapshot *s,
			 struct sitrep_error *err);
/* The latest snapshot at or before position `pos` whose hash checks. */
int journal_snapshot_before(struct journal *j, int64_t incident, struct journal_pos pos,
			    struct journal_snapshot *out, struct sitrep_error *err);
/* Drop the snapshots after `pos` (inside a write transaction). */
int journal_snapshot_drop_after(struct journal *j, int64_t incident, struct journal_pos pos,
				struct sitrep_error *err);

/* ---- the chain ----
 * The canonical encoding and the hashes (docs/journal-format.md): the
 * genesis hash of an incident (id, title, plan_id, plan_hash, drill,
 * created_at) and an entry's hash given its prev_hash. 0, or -1 when
 * prev_hex is not 64 lowercase hex digits. */
int journal_genesis_hash(const struct journal_incident *inc, char out[65]);
int journal_entry_hash(const char *prev_hex, const struct journal_entry *e, char out[65]);

/* Verify one incident's chain (incident > 0) or every incident's (0):
 * the incident row against its genesis hash, the plan text against its
 * hash, each entry's hash, its link to the one before, recorded_at never
 * going backwards, `corrects` pointing at an earlier entry of the incident,
 * the typed readings against the entry they belong to, entries that belong
 * to no incident; SQLite also runs PRAGMA quick_check. fn (may be NULL) is
 * called for every entry that verified, in id order, with its payload, for
 * the anchors only the caller can read (a head recorded in a payload); fn
 * returning non-zero stops with JOURNAL_CORRUPT. On failure *bad_id is the
 * first bad entry (0: the incident row, or the file) and msg says what and
 * where. */
typedef int (*journal_verify_fn)(const struct journal_entry *e, void *ctx);
/* bad_id and msg may be NULL. */
int journal_verify(struct journal *j, int64_t incident, journal_verify_fn fn, void *ctx,
		   int64_t *bad_id, struct strbuf *msg, struct sitrep_error *err);

/* ---- copying a journal (sitrep migrate) ----
 * Insert an incident row and entries exactly as they are in another journal
 * (ids, times, hashes), inside a write transaction. The row's genesis must
 * match its fields; each entry must link to the incident's current head and
 * match its own hash (JOURNAL_CORRUPT otherwise). */
int journal_copy_incident(struct journal *j, const struct journal_incident *inc,
			  struct sitrep_error *err);
int journal_copy_entry(struct journal *j, const struct journal_entry *e,
		       struct sitrep_error *err);

/* ---- for tests and tools only ----
 * Run SQL as is, bypassing every check (the append-only triggers still
 * apply unless the SQL drops them): tests tamper with a journal this way.
 * journal_query_text puts the first column of the first row (as text, ""
 * for NULL or no row) into out. */
int journal_exec_unchecked(struct journal *j, const char *sql, struct sitrep_error *err);
int journal_query_text(struct journal *j, const char *sql, struct strbuf *out,
		       struct sitrep_error *err);

#endif
