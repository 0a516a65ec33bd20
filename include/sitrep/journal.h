/* journal: the append-only SQLite store (sqlite3.h lives only in journal.c).
 * Knows nothing of rules: it stores incidents, entries, checkpoints, and
 * verifies the hash chain. Format: docs/journal-format.md. */
#ifndef SITREP_JOURNAL_H
#define SITREP_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include "sitrep/util.h"

struct journal; /* opaque */

/* Return codes of every journal_* function that can fail. */
enum journal_rc {
	JOURNAL_OK = 0,
	JOURNAL_NOTFOUND = 1,   /* no such incident / entry */
	JOURNAL_BUSY = 2,       /* locked past the busy timeout */
	JOURNAL_READONLY = 3,   /* read-only file or folder */
	JOURNAL_ERROR = 4,      /* any other storage error */
	JOURNAL_CORRUPT = 5     /* integrity failure (chain, schema too new) */
};

enum journal_open_flags {
	JOURNAL_CREATE = 1,     /* create the file (mode 0600, 0660 in a group-shared folder) and schema */
	JOURNAL_READ_ONLY = 2
};

/* Open (":memory:" allowed). On failure returns NULL and fills err (code
 * SITREP_EXIT_STORAGE, message naming the path and the cause: "database is
 * locked", "read-only", ...). Free with journal_close.
 * err, if not NULL, must be initialised (SITREP_ERROR_INIT): err_set replaces it.
 * Messages: "unable to open database 'PATH': no such file or directory" (or
 * "read-only file system", "permission denied", ...), "database 'PATH' is
 * locked by another process", "database 'PATH' is not a sitrep journal",
 * "database 'PATH' has schema version N, newer than this sitrep (M)", and
 * "... older than this sitrep (M): open it once with write access to upgrade it".
 * An older schema is upgraded when opened with write access. A read-write open
 * of a file that cannot be written succeeds read-only (journal_readonly);
 * its writes return JOURNAL_READONLY naming the reason. */
struct journal *journal_open(const char *path, int flags, struct sitrep_error *err);
void journal_close(struct journal *j);
/* Message of the last failure on this handle (valid until the next call). */
const char *journal_errmsg(struct journal *j);
/* Schema version (PRAGMA user_version) this build writes. */
int journal_schema_version(void);

/* Transactions: every write happens between begin (BEGIN IMMEDIATE, with the
 * busy timeout) and commit. Reads may happen outside. begin inside a
 * transaction is an error (no nesting); a failed commit rolls back; rollback
 * without a transaction is a no-op. */
int journal_begin(struct journal *j);
int journal_commit(struct journal *j);
int journal_rollback(struct journal *j);
/* PRAGMA data_version: changes when another connection commits. */
int journal_data_version(struct journal *j, int64_t *out);

struct journal_incident {
	int64_t id;
	char *title;         /* owned */
	char *plan_id;       /* owned */
	char *plan_yaml;     /* owned: the snapshot text (NULL when loaded without it) */
	char *plan_hash;     /* owned: SHA-256 hex of plan_yaml */
	int drill;
	int64_t created_at;  /* recorded_at of creation */
};
void journal_incident_release(struct journal_incident *inc);

/* Create an incident row (inside a transaction). *id receives its id. */
int journal_incident_create(struct journal *j, const char *title, const char *plan_id,
			    const char *plan_yaml, size_t yaml_len, const char *plan_hash,
			    int drill, int64_t created_at, int64_t *id);
/* Fetch one incident; with_yaml = 0 leaves plan_yaml NULL. */
int journal_incident_get(struct journal *j, int64_t id, int with_yaml,
			 struct journal_incident *out);
/* All incident ids, newest first (created_at, then id, descending); *ids
 * owned by the caller (free()). */
int journal_incident_ids(struct journal *j, int64_t **ids, size_t *n);

struct journal_entry {
	int64_t id;
	int64_t incident;
	int64_t recorded_at;  /* real clock, UTC seconds */
	int64_t occurred_at;  /* <= recorded_at */
	char *actor;          /* owned */
	char *role;           /* owned, "" when none */
	char *kind;           /* owned: an action name, "refused", "export", ... */
	char *payload;        /* owned: JSON text */
	int64_t corrects;     /* id of the entry this one corrects, 0 none */
	char prev_hash[65];
	char hash[65];
};
void journal_entry_release(struct journal_entry *e);

/* Append one entry (inside a transaction): id, prev_hash and hash are
 * computed here and written back into *e. Strings are borrowed; role NULL
 * means "", payload NULL means "{}" (payload must be valid JSON). Refused:
 * outside a transaction (JOURNAL_ERROR), no such incident or a `corrects`
 * that is not an entry of the same incident (JOURNAL_NOTFOUND), empty actor or
 * kind, occurred_at > recorded_at (JOURNAL_ERROR), read-only (JOURNAL_READONLY). */
int journal_append(struct journal *j, struct journal_entry *e);

/* Iterate an incident's entries in (occurred_at, id) order, those with
 * occurred_at <= upto (INT64_MAX for all) and (occurred_at, id) > (after_occ,
 * after_id) (pass INT64_MIN, 0 for all). The entry passed to fn is valid only
 * during the call. fn returning non-zero stops the walk (that value is
 * returned as JOURNAL_OK; the walk's own failures return a journal_rc). */
typedef int (*journal_entry_fn)(const struct journal_entry *e, void *ctx);
int journal_each(struct journal *j, int64_t incident, int64_t after_occ, int64_t after_id,
		 int64_t upto, journal_entry_fn fn, void *ctx);
/* Smallest occurred_at among entries with id > after_id (INT64_MAX if none):
 * tells whether a checkpoint was overtaken by a backfilled entry. */
int journal_min_occurred_since(struct journal *j, int64_t incident, int64_t after_id,
			       int64_t *out);
/* Largest entry id of the incident (0 if none), and the head hash (the hash
 * of the last appended entry, or the incident's genesis hash). */
int journal_head(struct journal *j, int64_t incident, int64_t *last_id, char head[65]);

/* Checkpoint of derived state: an opaque blob covering every entry with
 * id <= max_id, whose (occurred_at, id) position is (pos_occ, pos_id). */
struct journal_checkpoint {
	int64_t max_id;
	int64_t pos_occ;
	int64_t pos_id;
	void *blob;          /* owned */
	size_t len;
};
/* get: JOURNAL_NOTFOUND when none (blob NULL when len is 0). put replaces
 * (INSERT OR REPLACE), inside or outside a transaction; on a read-only
 * journal it returns JOURNAL_READONLY, which a caller may ignore. */
int journal_checkpoint_get(struct journal *j, int64_t incident, struct journal_checkpoint *out);
int journal_checkpoint_put(struct journal *j, int64_t incident, const struct journal_checkpoint *cp);
void journal_checkpoint_release(struct journal_checkpoint *cp);

/* Is this handle read-only (opened with JOURNAL_READ_ONLY, or the file,
 * folder or file system refuses writes)? Writes then return JOURNAL_READONLY. */
int journal_readonly(const struct journal *j);
/* The path given to journal_open (borrowed, valid until journal_close). */
const char *journal_path(const struct journal *j);
/* Is a transaction (journal_begin) open on this handle? */
int journal_in_transaction(struct journal *j);
/* Busy timeout of every lock wait, in milliseconds (default
 * JOURNAL_BUSY_TIMEOUT_MS). Past it a write returns JOURNAL_BUSY. */
#define JOURNAL_BUSY_TIMEOUT_MS 5000
int journal_set_busy_timeout(struct journal *j, int ms);

/* Fetch one entry by id with owned strings (free with journal_entry_release). */
int journal_entry_get(struct journal *j, int64_t id, struct journal_entry *out);

/* Hash of the canonical encoding (docs/journal-format.md): the genesis hash of
 * an incident row (title, plan_id, plan_hash, drill, created_at, id are read;
 * plan_yaml is not), and an entry's hash given its prev_hash (lowercase hex).
 * Return 0, or -1 when prev_hex is not 64 hex digits. */
int journal_genesis_hash(const struct journal_incident *inc, char out[65]);
int journal_entry_hash(const char *prev_hex, const struct journal_entry *e, char out[65]);

/* Verify the hash chain of one incident (incident > 0) or of all (0).
 * Returns JOURNAL_OK, or JOURNAL_CORRUPT with *bad_id the first bad entry
 * (0 for the incident row itself) and a message appended to msg. When head is
 * non-NULL it must be the hash of an entry of the chain, or its genesis (a
 * head kept elsewhere, e.g. printed on a report; entries appended after it
 * are fine; only with incident > 0, else JOURNAL_ERROR). Other failures (JOURNAL_NOTFOUND,
 * JOURNAL_BUSY, ...) also append their message to msg. A cut tail is only
 * detected with a kept head. */
int journal_verify(struct journal *j, int64_t incident, const char *head,
		   int64_t *bad_id, struct strbuf *msg);

/* For tests and tools only: run SQL as is, bypassing every check (the
 * append-only triggers still apply unless the SQL drops them). Tests use it
 * to tamper with a journal and to build old schemas without <sqlite3.h>.
 * journal_query_text puts the first column of the first row (as text, ""
 * for NULL or no row) into out. Both return a journal_rc. */
int journal_exec_unchecked(struct journal *j, const char *sql);
int journal_query_text(struct journal *j, const char *sql, struct strbuf *out);

#endif
