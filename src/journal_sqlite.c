/* journal_sqlite: the SQLite backend of the journal, and the only file
 * that includes <sqlite3.h>. It moves rows in and out of one database file
 * (or ":memory:"), guards the file (who owns it, who may write it, that it
 * is still the file opened), keeps its schema (versions 1 and 2 upgrade to
 * 3 in place) and answers what only its SQL can: the JSON readings of a
 * payload, the file's integrity check. The rules live in journal.c. The
 * format: docs/journal-format.md. */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "journal_int.h"
#include "sitrep/util.h"

/* SQLITE_OPEN_NOFOLLOW (3.31); also row values, window functions, the
 * table rebuild of the 2 -> 3 upgrade and JSON functions, all older. */
#if SQLITE_VERSION_NUMBER < 3031000
#error "the journal needs SQLite 3.31 or later"
#endif

#define SCHEMA_VERSION 3
/* PRAGMA application_id: "sitr" in ASCII, tells our files from other SQLite files. */
#define APPLICATION_ID 0x73697472

/* ---------- the schema ---------- */

/* Version 3, as a fresh journal gets it. The migrations below end with the
 * very same objects. */
#define V3_INCIDENTS(name) \
	"CREATE TABLE " name " (\n" \
	"  id INTEGER PRIMARY KEY,\n" \
	"  title TEXT NOT NULL,\n" \
	"  plan_id TEXT NOT NULL,\n" \
	"  plan_text BLOB NOT NULL,\n" \
	"  plan_len INTEGER NOT NULL,\n" \
	"  plan_hash TEXT NOT NULL,\n" \
	"  drill INTEGER NOT NULL CHECK (drill IN (0, 1)),\n" \
	"  created_at INTEGER NOT NULL,\n" \
	"  genesis TEXT NOT NULL,\n" \
	"  CHECK (typeof(plan_text) = 'blob' AND length(plan_text) = plan_len)\n" \
	");\n"

#define V3_GUARDS(table, what) \
	"CREATE TRIGGER " table "_no_update BEFORE UPDATE ON " table "\n" \
	"  BEGIN SELECT RAISE(ABORT, '" what " are append-only'); END;\n" \
	"CREATE TRIGGER " table "_no_delete BEFORE DELETE ON " table "\n" \
	"  BEGIN SELECT RAISE(ABORT, '" what " are append-only'); END;\n"

/* What version 3 adds to a version-2 journal (besides the rebuilt
 * incidents table): readings, snapshots and their guards. */
#define V3_ADDED \
	"CREATE TABLE readings (\n" \
	"  entry INTEGER NOT NULL REFERENCES entries (id),\n" \
	"  incident INTEGER NOT NULL,\n" \
	"  occurred_at INTEGER NOT NULL,\n" \
	"  seq INTEGER NOT NULL,\n" \
	"  metric TEXT NOT NULL,\n" \
	"  value REAL NOT NULL,\n" \
	"  PRIMARY KEY (entry, seq)\n" \
	") WITHOUT ROWID;\n" \
	"CREATE INDEX readings_by_metric ON readings (incident, metric, occurred_at, entry);\n" \
	"CREATE INDEX entries_by_kind ON entries (incident, kind, occurred_at, id);\n" \
	"CREATE TABLE snapshots (\n" \
	"  incident INTEGER NOT NULL REFERENCES incidents (id),\n" \
	"  pos_occ INTEGER NOT NULL,\n" \
	"  pos_id INTEGER NOT NULL,\n" \
	"  max_id INTEGER NOT NULL,\n" \
	"  hash TEXT NOT NULL,\n" \
	"  blob BLOB NOT NULL,\n" \
	"  PRIMARY KEY (incident, pos_occ, pos_id)\n" \
	");\n" \
	V3_GUARDS("incidents", "incidents") \
	V3_GUARDS("readings", "readings")

static const char schema_v3[] =
	V3_INCIDENTS("incidents")
	"CREATE TABLE entries (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  incident INTEGER NOT NULL REFERENCES incidents (id),\n"
	"  recorded_at INTEGER NOT NULL,\n"
	"  occurred_at INTEGER NOT NULL,\n"
	"  actor TEXT NOT NULL,\n"
	"  role TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  payload TEXT NOT NULL CHECK (json_valid(payload)),\n"
	"  corrects INTEGER REFERENCES entries (id),\n"
	"  prev_hash TEXT NOT NULL,\n"
	"  hash TEXT NOT NULL\n"
	");\n"
	"CREATE INDEX entries_by_id ON entries (incident, id);\n"
	"CREATE INDEX entries_by_time ON entries (incident, occurred_at, id);\n"
	V3_GUARDS("entries", "journal entries")
	V3_ADDED;

/* Version 1 -> 2 (kept from version 2): the genesis column, checkpoints,
 * the time-order index and the append-only triggers. */
static const char v2_tail[] =
	"CREATE INDEX entries_by_time ON entries (incident, occurred_at, id);\n"
	"CREATE TABLE checkpoints (\n"
	"  incident INTEGER PRIMARY KEY REFERENCES incidents (id),\n"
	"  max_id INTEGER NOT NULL,\n"
	"  pos_occ INTEGER NOT NULL,\n"
	"  pos_id INTEGER NOT NULL,\n"
	"  blob BLOB NOT NULL\n"
	");\n"
	V3_GUARDS("entries", "journal entries")
	V3_GUARDS("incidents", "incidents");

/* Version 2 -> 3. The plan text moves to a BLOB with its length (version 2
 * kept TEXT, read back up to the first NUL); the incidents table is
 * rebuilt for that, the chain is untouched (no hashed column changes).
 * Readings are filled from the payloads with SQLite's own JSON parser, as
 * verify reads them: `$.readings` of every entry but refusals. The
 * single-row checkpoints (a cache) make way for snapshots. Runs with
 * foreign keys off (set before the transaction), as SQLite's documented
 * table rebuild requires. */
static const char v2_to_v3[] =
	"DROP TRIGGER IF EXISTS incidents_no_update;\n"
	"DROP TRIGGER IF EXISTS incidents_no_delete;\n"
	V3_INCIDENTS("incidents_v3")
	"INSERT INTO incidents_v3 (id, title, plan_id, plan_text, plan_len, plan_hash, drill,"
	"  created_at, genesis)\n"
	"  SELECT id, title, plan_id, CAST(plan_yaml AS BLOB), length(CAST(plan_yaml AS BLOB)),"
	"  plan_hash, drill, created_at, genesis FROM incidents;\n"
	"DROP TABLE incidents;\n"
	"ALTER TABLE incidents_v3 RENAME TO incidents;\n"
	"DROP TABLE IF EXISTS checkpoints;\n"
	V3_ADDED
	"INSERT INTO readings (entry, incident, occurred_at, seq, metric, value)\n"
	"  SELECT e.id, e.incident, e.occurred_at,"
	"  row_number() OVER (PARTITION BY e.id ORDER BY r.id) - 1, r.key, r.value\n"
	"  FROM entries e, json_each(e.payload, '$.readings') r\n"
	"  WHERE e.kind <> 'refused' AND instr(e.payload, char(92)) = 0\n"
	"  AND typeof(r.key) = 'text' AND r.type IN ('integer', 'real');\n"
	/* keys that may be escaped: decoded, the first `readings` member */
	"INSERT INTO readings (entry, incident, occurred_at, seq, metric, value)\n"
	"  SELECT e.id, e.incident, e.occurred_at,"
	"  row_number() OVER (PARTITION BY e.id ORDER BY r.id) - 1, r.key, r.value\n"
	"  FROM entries e, json_each(e.payload) t,"
	"  json_each(CASE WHEN t.type = 'object' THEN t.value ELSE '{}' END) r\n"
	"  WHERE e.kind <> 'refused' AND instr(e.payload, char(92)) > 0\n"
	"  AND t.id = (SELECT min(x.id) FROM json_each(e.payload) x WHERE x.key = 'readings')\n"
	"  AND t.type = 'object' AND r.type IN ('integer', 'real');\n";

/* ---------- statements ---------- */

#define ENTRY_COLS \
	"SELECT e.id, e.incident, e.recorded_at, e.occurred_at, e.actor, e.role, e.kind," \
	" CASE WHEN ?5 THEN e.payload END, e.corrects," \
	" CASE WHEN ?6 THEN e.prev_hash END, CASE WHEN ?6 THEN e.hash END"
/* (corrects NULL reads as 0; r.seq orders, it is not read: each column is
 * work on every row of a replay) */
#define READING_COLS ", r.metric, r.value"
#define FROM_PLAIN " FROM entries e"
#define FROM_JOIN " FROM entries e LEFT JOIN readings r ON r.entry = e.id"
/* kind, actions_only and contains filter rows the index walk yields: the
 * walk itself is (incident, occurred_at, id) or (incident, id). contains
 * (?9) comes folded: SQLite's lower() folds ASCII only, as tx_match does. */
#define FILTERS \
	" AND e.occurred_at <= ?4 AND (?7 IS NULL OR e.kind = ?7)" \
	" AND (?8 = 0 OR e.kind NOT IN " JOURNAL_READ_KINDS_SQL ")" \
	" AND (?9 IS NULL OR instr(lower(e.payload), ?9) > 0 OR instr(lower(e.actor), ?9) > 0" \
	" OR instr(lower(e.kind), ?9) > 0)"
#define AT_POS_ASC " WHERE e.incident = ?1 AND (e.occurred_at, e.id) > (?2, ?3)" FILTERS
#define AT_POS_DESC " WHERE e.incident = ?1 AND (e.occurred_at, e.id) < (?2, ?3)" FILTERS
#define AT_ID_ASC " WHERE e.incident = ?1 AND e.id > ?3" FILTERS
#define AT_ID_DESC " WHERE e.incident = ?1 AND e.id < ?3" FILTERS
/* With a kind, the walk is the (incident, kind, occurred_at, id) index:
 * the few corrections or level changes among a million readings are found
 * without reading the readings. */
#define AT_KIND_ASC " WHERE e.incident = ?1 AND e.kind = ?7 AND (e.occurred_at, e.id) > (?2, ?3)" FILTERS
#define AT_KIND_DESC " WHERE e.incident = ?1 AND e.kind = ?7 AND (e.occurred_at, e.id) < (?2, ?3)" FILTERS

enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_DATA_VERSION,
	ST_INCIDENT_NEXT_ID,
	ST_INCIDENT_INSERT,
	ST_INCIDENT_GET,
	ST_INCIDENTS,
	ST_GENESIS,
	ST_HEAD_LAST,
	ST_HEAD_POS,
	ST_HEAD_COUNT,
	ST_NEXT_ENTRY_ID,
	ST_ENTRY_LOCATE,
	ST_ENTRY_INSERT,
	ST_READING_INSERT,
	ST_PAYLOAD_READINGS,
	ST_PAYLOAD_READINGS_ESC,
	ST_JSON_VALID,
	ST_SNAP_PUT,
	ST_SNAP_BEFORE,
	ST_SNAP_LAST,
	ST_SNAP_DROP,
	ST_METRIC_LATEST,
	/* cursors: base + (descending | by_id << 1 | readings << 2) */
	ST_CURSOR,
	/* cursors of one kind in position order: base + (descending | readings << 1) */
	ST_CURSOR_KIND = ST_CURSOR + 8,
	ST__COUNT = ST_CURSOR_KIND + 4
};

static const char *const stmt_sql[ST__COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_DATA_VERSION] = "PRAGMA data_version",
	[ST_INCIDENT_NEXT_ID] = "SELECT coalesce(max(id), 0) + 1 FROM incidents",
	[ST_INCIDENT_INSERT] = "INSERT INTO incidents (id, title, plan_id, plan_text, plan_len,"
			       " plan_hash, drill, created_at, genesis)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_INCIDENT_GET] = "SELECT id, title, plan_id, CASE WHEN ?2 THEN plan_text END, plan_len,"
			    " plan_hash, drill, created_at, genesis FROM incidents WHERE id = ?1",
	[ST_INCIDENTS] = "SELECT id, title, plan_id, plan_len, plan_hash, drill, created_at,"
			 " genesis FROM incidents ORDER BY created_at DESC, id DESC",
	[ST_GENESIS] = "SELECT genesis FROM incidents WHERE id = ?1",
	[ST_HEAD_LAST] = "SELECT id, hash, recorded_at FROM entries WHERE incident = ?1"
			 " ORDER BY id DESC LIMIT 1",
	[ST_HEAD_POS] = "SELECT occurred_at, id FROM entries WHERE incident = ?1"
			" ORDER BY occurred_at DESC, id DESC LIMIT 1",
	[ST_HEAD_COUNT] = "SELECT count(*) FROM entries WHERE incident = ?1",
	[ST_NEXT_ENTRY_ID] = "SELECT coalesce(max(id), 0) + 1 FROM entries",
	[ST_ENTRY_LOCATE] = "SELECT incident, occurred_at, hash FROM entries WHERE id = ?1",
	[ST_ENTRY_INSERT] = "INSERT INTO entries (id, incident, recorded_at, occurred_at, actor, role,"
			    " kind, payload, corrects, prev_hash, hash)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[ST_READING_INSERT] = "INSERT INTO readings (entry, incident, occurred_at, seq, metric, value)"
			      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	/* The members of the payload's first top-level member `readings`;
	 * one that is not an object comes back as rows without a text key.
	 * The path is exact when no key can be escaped (no backslash in the
	 * payload); otherwise the slower form decodes every key, as SQLite
	 * before 3.45 does not for a path. */
	[ST_PAYLOAD_READINGS] = "SELECT key, value, type IN ('integer', 'real'),"
				" typeof(key) = 'text' FROM json_each(?1, '$.readings')",
	[ST_PAYLOAD_READINGS_ESC] = "SELECT r.key, r.value, r.type IN ('integer', 'real'),"
				    " t.type = 'object' FROM json_each(?1) t,"
				    " json_each(CASE WHEN t.type = 'object' THEN t.value"
				    " ELSE '[0]' END) r WHERE t.id = (SELECT min(x.id)"
				    " FROM json_each(?1) x WHERE x.key = 'readings')",
	[ST_JSON_VALID] = "SELECT json_valid(?1)",
	[ST_SNAP_PUT] = "INSERT OR REPLACE INTO snapshots (incident, pos_occ, pos_id, max_id, hash,"
			" blob) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_SNAP_BEFORE] = "SELECT pos_occ, pos_id, max_id, hash, blob FROM snapshots"
			   " WHERE incident = ?1 AND (pos_occ, pos_id) <= (?2, ?3)"
			   " ORDER BY pos_occ DESC, pos_id DESC",
	[ST_SNAP_LAST] = "SELECT pos_occ, pos_id FROM snapshots WHERE incident = ?1"
			 " ORDER BY pos_occ DESC, pos_id DESC LIMIT 1",
	[ST_SNAP_DROP] = "DELETE FROM snapshots WHERE incident = ?1 AND (pos_occ, pos_id) > (?2, ?3)",
	/* readings_by_metric walked backwards; the entry read by its key only
	 * when a kind is asked */
	[ST_METRIC_LATEST] = "SELECT r.occurred_at, r.entry, r.value FROM readings r"
			     " WHERE r.incident = ?1 AND r.metric = ?2 AND r.occurred_at <= ?3"
			     " AND (?4 IS NULL OR (SELECT e.kind FROM entries e WHERE e.id = r.entry) = ?4)"
			     " ORDER BY r.occurred_at DESC, r.entry DESC LIMIT ?5",
	[ST_CURSOR + 0] = ENTRY_COLS FROM_PLAIN AT_POS_ASC " ORDER BY e.occurred_at, e.id",
	[ST_CURSOR + 1] = ENTRY_COLS FROM_PLAIN AT_POS_DESC " ORDER BY e.occurred_at DESC, e.id DESC",
	[ST_CURSOR + 2] = ENTRY_COLS FROM_PLAIN AT_ID_ASC " ORDER BY e.id",
	[ST_CURSOR + 3] = ENTRY_COLS FROM_PLAIN AT_ID_DESC " ORDER BY e.id DESC",
	[ST_CURSOR + 4] = ENTRY_COLS READING_COLS FROM_JOIN AT_POS_ASC
			  " ORDER BY e.occurred_at, e.id, r.seq",
	[ST_CURSOR + 5] = ENTRY_COLS READING_COLS FROM_JOIN AT_POS_DESC
			  " ORDER BY e.occurred_at DESC, e.id DESC, r.seq",
	[ST_CURSOR + 6] = ENTRY_COLS READING_COLS FROM_JOIN AT_ID_ASC " ORDER BY e.id, r.seq",
	[ST_CURSOR + 7] = ENTRY_COLS READING_COLS FROM_JOIN AT_ID_DESC " ORDER BY e.id DESC, r.seq",
	[ST_CURSOR_KIND + 0] = ENTRY_COLS FROM_PLAIN AT_KIND_ASC " ORDER BY e.occurred_at, e.id",
	[ST_CURSOR_KIND + 1] = ENTRY_COLS FROM_PLAIN AT_KIND_DESC
			       " ORDER BY e.occurred_at DESC, e.id DESC",
	[ST_CURSOR_KIND + 2] = ENTRY_COLS READING_COLS FROM_JOIN AT_KIND_ASC
			       " ORDER BY e.occurred_at, e.id, r.seq",
	[ST_CURSOR_KIND + 3] = ENTRY_COLS READING_COLS FROM_JOIN AT_KIND_DESC
			       " ORDER BY e.occurred_at DESC, e.id DESC, r.seq",
};

/* A prepared statement kept for the life of the connection. `busy` while
 * a caller holds it (a cursor, or a walk that calls back): a second user
 * meanwhile gets a statement of its own, finalized when released. */
struct slot {
	sqlite3_stmt *st;
	int busy;
};

struct sq {
	struct journal base;         /* first: a struct journal * is a struct sq * */
	sqlite3 *db;
	int mem;                     /* ":memory:" */
	int busy_ms;                 /* the busy timeout */
	int have_id;                 /* dev/ino hold the file vetted at open */
	char *abs_path;              /* owned: the path made absolute at open (a later
	                                chdir must not look like a deleted file) */
	dev_t dev;
	ino_t ino;
	int64_t data_version;        /* as of the last journal_changed */
	int checking;                /* quick_check running for a damaged-file message */
	struct slot st[ST__COUNT];
};

struct sq_cursor {
	struct journal_cursor base;  /* first */
	sqlite3_stmt *st;
	int id;                      /* its slot */
	int64_t incident;            /* the incident walked (every row's) */
};

static struct sq *SQ(struct journal *j)
{
	return (struct sq *)j;
}

/* ---------- errors ---------- */

/* A SQLite failure as a journal_rc with a message: `verb` says what was
 * being done ("append to", "read"). */
static int sq_check_storage(struct journal *j, struct strbuf *msg, struct sitrep_error *err);

static int sq_fail(struct sq *q, int rc, const char *verb, struct sitrep_error *err)
{
	const char *where = q->base.where;
	const char *msg = q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc);
	char sys[128] = "";
	if (q->db && sqlite3_system_errno(q->db) && (rc & 0xff) != SQLITE_BUSY) {
		journal_errno_text(sqlite3_system_errno(q->db), sys, sizeof sys);
	}
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return journal_fail(err, JOURNAL_BUSY, "database '%s' is locked by another process",
				    where);
	case SQLITE_READONLY:
		return journal_fail(err, JOURNAL_READONLY, "database '%s' is read-only: %s", where,
				    q->base.ro_reason ? q->base.ro_reason : msg);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		if (q->db && !q->checking) {
			/* say where: quick_check reads the whole file, which costs
			 * only on the way out of a damaged one */
			struct strbuf m = STRBUF_INIT;
			char *first = xstrdup(msg);
			int rc2;
			sb_init(&m);
			q->checking = 1;
			rc2 = sq_check_storage(&q->base, &m, NULL);
			q->checking = 0;
			if (rc2 == JOURNAL_CORRUPT && m.len) {
				rc2 = journal_fail(err, JOURNAL_CORRUPT, "%s", m.buf);
				sb_release(&m);
				free(first);
				return rc2;
			}
			sb_release(&m);
			rc2 = journal_fail(err, JOURNAL_CORRUPT, "database '%s' is damaged: %s", where,
					   first);
			free(first);
			return rc2;
		}
		return journal_fail(err, JOURNAL_CORRUPT, "database '%s' is damaged: %s", where, msg);
	case SQLITE_CANTOPEN:
		if (q->base.readonly)
			return journal_fail(err, JOURNAL_READONLY, "database '%s' is read-only: %s",
					    where, q->base.ro_reason ? q->base.ro_reason : msg);
		/* fall through */
	default:
		if (sys[0] && strstr(msg, sys) == NULL)
			return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': %s (%s)",
					    verb, where, msg, sys);
		return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': %s", verb,
				    where, msg);
	}
}

/* ---------- statements ---------- */

static sqlite3_stmt *acquire(struct sq *q, enum stmt_id id, struct sitrep_error *err)
{
	struct slot *s = &q->st[id];
	sqlite3_stmt *st = NULL;
	int rc;
	if (!s->busy) {
		if (!s->st) {
			rc = sqlite3_prepare_v3(q->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
						&s->st, NULL);
			if (rc != SQLITE_OK) {
				sq_fail(q, rc, "prepare a statement on", err);
				sqlite3_finalize(s->st);
				s->st = NULL;
				return NULL;
			}
		}
		s->busy = 1;
		return s->st;
	}
	rc = sqlite3_prepare_v2(q->db, stmt_sql[id], -1, &st, NULL);
	if (rc != SQLITE_OK) {
		sq_fail(q, rc, "prepare a statement on", err);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

static void release(struct sq *q, enum stmt_id id, sqlite3_stmt *st)
{
	if (!st)
		return;
	if (q->st[id].st == st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		q->st[id].busy = 0;
	} else {
		sqlite3_finalize(st);
	}
}

static int bind_i64(struct sq *q, sqlite3_stmt *st, int i, int64_t v, struct sitrep_error *err)
{
	int rc = sqlite3_bind_int64(st, i, v);
	return rc == SQLITE_OK ? JOURNAL_OK : sq_fail(q, rc, "bind a value on", err);
}

static int bind_text(struct sq *q, sqlite3_stmt *st, int i, const char *v, size_t len,
		     struct sitrep_error *err)
{
	if (len > INT_MAX)
		return journal_fail(err, JOURNAL_ERROR, "unable to write to database '%s': a text of"
				    " %zu bytes is too long", q->base.where, len);
	int rc = v ? sqlite3_bind_text(st, i, v, (int)len, SQLITE_STATIC) : sqlite3_bind_null(st, i);
	return rc == SQLITE_OK ? JOURNAL_OK : sq_fail(q, rc, "bind a value on", err);
}

static int bind_blob(struct sq *q, sqlite3_stmt *st, int i, const void *v, size_t len,
		     struct sitrep_error *err)
{
	if (len > INT_MAX)
		return journal_fail(err, JOURNAL_ERROR, "unable to write to database '%s': %zu bytes"
				    " are too many for one value", q->base.where, len);
	/* bind_blob(NULL, 0) would store NULL: an empty blob is a zeroblob. */
	int rc = len ? sqlite3_bind_blob(st, i, v, (int)len, SQLITE_STATIC)
		     : sqlite3_bind_zeroblob(st, i, 0);
	return rc == SQLITE_OK ? JOURNAL_OK : sq_fail(q, rc, "bind a value on", err);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

static void col_hash(sqlite3_stmt *st, int i, char out[65])
{
	const char *t = col_text(st, i);
	size_t n = strlen(t);
	if (n > 64)
		n = 64;
	memcpy(out, t, n);
	out[n] = '\0';
}

/* Step a statement expected to change rows. */
static int step_done(struct sq *q, sqlite3_stmt *st, const char *verb, struct sitrep_error *err)
{
	int rc = sqlite3_step(st);
	return rc == SQLITE_DONE ? JOURNAL_OK : sq_fail(q, rc, verb, err);
}

/* Run SQL text without results (schema, pragmas). */
static int exec(struct sq *q, const char *sql, const char *verb, struct sitrep_error *err)
{
	int rc = sqlite3_exec(q->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? JOURNAL_OK : sq_fail(q, rc, verb, err);
}

/* The first column of a one-row query as an integer (0 without a row). */
static int query_i64(struct sq *q, const char *sql, int64_t *out, struct sitrep_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
	*out = 0;
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*out = sqlite3_column_int64(st, 0);
		if (rc == SQLITE_ROW || rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	int jrc = rc == SQLITE_OK ? JOURNAL_OK : sq_fail(q, rc, "read", err);
	sqlite3_finalize(st);
	return jrc;
}

/* ---------- the file: what is refused, what is created ---------- */

/* The folder holding path ("." when none). Caller frees. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* A folder is group-shared when it has the setgid bit, or is writable by
 * its group and not by everyone: a world-writable folder (/tmp, sticky or
 * not) shares nothing with a group. */
static int folder_shared(const struct stat *dir)
{
	return (dir->st_mode & S_ISGID) ||
	       ((dir->st_mode & S_IWGRP) && !(dir->st_mode & S_IWOTH));
}

static int in_group(gid_t g)
{
	if (getegid() == g)
		return 1;
	int n = getgroups(0, NULL);
	if (n <= 0)
		return 0;
	gid_t *v = xmalloc((size_t)n * sizeof *v);
	int found = 0;
	n = getgroups(n, v);
	for (int i = 0; i < n && !found; i++)
		found = v[i] == g;
	free(v);
	return found;
}

static const char *kind_of(mode_t m)
{
	if (S_ISDIR(m))
		return "is a folder";
	if (S_ISLNK(m))
		return "is a symbolic link (sitrep opens the file itself, never through a link)";
	if (S_ISFIFO(m))
		return "is a FIFO, not a file";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "is a device, not a file";
	if (S_ISSOCK(m))
		return "is a socket, not a file";
	return "is not a regular file";
}

/* Whether this file may be trusted as a journal, from lstat alone (nothing
 * opens it before this: a FIFO would block the open). */
static int vet_file(struct sq *q, const struct stat *st, struct sitrep_error *err)
{
	const char *path = q->base.where;
	if (!S_ISREG(st->st_mode))
		return journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': it %s", path,
				    kind_of(st->st_mode));
	struct stat dst;
	char *dir = dir_of(path);
	int shared = stat(dir, &dst) == 0 && folder_shared(&dst);
	free(dir);
	if (st->st_uid != geteuid() &&
	    !(shared && st->st_gid == dst.st_gid && in_group(st->st_gid)))
		return journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': it belongs to"
				    " uid %lu, not to you (uid %lu), and is not shared with your"
				    " group in a group-shared folder", path,
				    (unsigned long)st->st_uid, (unsigned long)geteuid());
	if (st->st_mode & S_IWOTH)
		return journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': anyone may"
				    " write it (mode %04o): remove that permission (chmod o-w)",
				    path, (unsigned)(st->st_mode & 07777));
	if ((st->st_mode & S_IWGRP) && !shared)
		return journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': its group may"
				    " write it (mode %04o) but its folder is not group-shared:"
				    " remove that permission (chmod g-w) or share the folder",
				    path, (unsigned)(st->st_mode & 07777));
	if (st->st_size == 0)
		return journal_fail(err, JOURNAL_CORRUPT, "database '%s' is empty: a journal that"
				    " existed and is now empty is an integrity failure; remove it"
				    " to start a new one", path);
	return JOURNAL_OK;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	/* Some file systems cannot sync a folder: nothing more to do there. */
	if (rc != 0 && (errno == EINVAL || errno == ENOTSUP))
		rc = 0;
	int e = errno;
	(void)close(fd); /* read-only: nothing left to lose */
	errno = e;
	return rc;
}

/* Create a new journal at path: built complete in a file of its own
 * (created O_EXCL|O_NOFOLLOW with its final mode, whatever the umask),
 * then linked into place, which fails if anything is there by then. So the
 * path never holds a half-made journal, and an empty file found there is
 * never one of ours being made: it is refused, not adopted. Returns
 * JOURNAL_OK, or JOURNAL_NOTFOUND when another process linked its journal
 * first (use that one). */
/* Long by design: the checks of a new file and its schema, in the order they
 * must run. */
static int create_fresh(struct sq *q, struct sitrep_error *err)
{
	const char *path = q->base.where;
	char *dir = dir_of(path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct stat dst, wst;
	char e[128];
	int rc = JOURNAL_OK;
	char *tmp = NULL;
	struct strbuf side = STRBUF_INIT;
	sqlite3 *db = NULL;

	if (stat(dir, &dst) != 0) {
		journal_errno_text(errno, e, sizeof e);
		rc = journal_fail(err, JOURNAL_ERROR, "unable to create database '%s': folder '%s':"
				  " %s", path, dir, e);
		goto out;
	}
	/* A write-ahead log without its database: the journal was deleted
	 * while in use. A new journal here would take in its frames. */
	sb_init(&side);
	sb_addf(&side, "%s-wal", path);
	if (lstat(side.buf, &wst) == 0 && wst.st_size > 0) {
		rc = journal_fail(err, JOURNAL_CORRUPT, "database '%s' is missing but its"
				  " write-ahead log '%s' is not: the journal was deleted while in"
				  " use; move the log away to start a new journal", path, side.buf);
		goto out;
	}
	mode_t mode = folder_shared(&dst) ? 0660 : 0600;
	if (sodium_init() < 0) {
		rc = journal_fail(err, JOURNAL_ERROR, "unable to create database '%s': libsodium"
				  " failed to initialise", path);
		goto out;
	}
	tmp = xmalloc(strlen(dir) + strlen(base) + 32);
	int fd = -1;
	for (int tries = 0; fd < 0 && tries < 8; tries++) {
		unsigned char r[8];
		char hex[17];
		randombytes_buf(r, sizeof r);
		sodium_bin2hex(hex, sizeof hex, r, sizeof r);
		sprintf(tmp, "%s/.%s.new-%s", dir, base, hex);
		fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		journal_errno_text(errno, e, sizeof e);
		rc = journal_fail(err, JOURNAL_ERROR, "unable to create database '%s': %s", path, e);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, mode) != 0) {
		journal_errno_text(errno, e, sizeof e);
		(void)close(fd); /* failing already; the file goes below */
		rc = journal_fail(err, JOURNAL_ERROR, "unable to set the mode of database '%s': %s",
				  path, e);
		goto out;
	}
	/* A file nothing else has open: closing it loses no SQLite lock. */
	if (close(fd) != 0) {
		journal_errno_text(errno, e, sizeof e);
		rc = journal_fail(err, JOURNAL_ERROR, "unable to create database '%s': %s", path, e);
		goto out;
	}

	int src = sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d;", APPLICATION_ID);
	if (src == SQLITE_OK)
		src = sqlite3_exec(db, "PRAGMA synchronous = FULL;", NULL, NULL, NULL);
	if (src == SQLITE_OK)
		src = sqlite3_exec(db, pragma, NULL, NULL, NULL);
	if (src == SQLITE_OK)
		src = sqlite3_exec(db, "BEGIN IMMEDIATE;", NULL, NULL, NULL);
	if (src == SQLITE_OK)
		src = sqlite3_exec(db, schema_v3, NULL, NULL, NULL);
	if (src == SQLITE_OK)
		src = sqlite3_exec(db, "PRAGMA user_version = 3; COMMIT;", NULL, NULL, NULL);
	/* WAL is recorded in the header: whoever opens the linked file finds it. */
	if (src == SQLITE_OK)
		src = sqlite3_exec(db, "PRAGMA journal_mode = WAL;", NULL, NULL, NULL);
	if (src != SQLITE_OK) {
		rc = journal_fail(err, JOURNAL_ERROR, "unable to create database '%s': %s", path,
				  db ? sqlite3_errmsg(db) : sqlite3_errstr(src));
		goto out;
	}
	src = sqlite3_close(db);
	db = NULL;
	/* A clean close folds the log into the file and deletes it. */
	sb_reset(&side);
	sb_addf(&side, "%s-wal", tmp);
	if (src != SQLITE_OK || (lstat(side.buf, &wst) == 0 && wst.st_size > 0)) {
		rc = journal_fail(err, JOURNAL_ERROR, "unable to create database '%s': the new"
				  " journal could not be closed cleanly", path);
		goto out;
	}
	if (link(tmp, path) != 0) {
		if (errno == EEXIST) {
			rc = JOURNAL_NOTFOUND; /* another process made it first: use theirs */
			goto out;
		}
		journal_errno_text(errno, e, sizeof e);
		rc = journal_fail(err, JOURNAL_ERROR, "unable to create database '%s': %s", path, e);
		goto out;
	}
	if (fsync_dir(dir) != 0) {
		journal_errno_text(errno, e, sizeof e);
		rc = journal_fail(err, JOURNAL_ERROR, "unable to create database '%s': folder '%s'"
				  " cannot be synced: %s", path, dir, e);
	}
out:
	if (db)
		sqlite3_close(db);
	if (tmp) {
		(void)unlink(tmp); /* best effort: linked, or never to be */
		free(tmp);
	}
	sb_release(&side);
	free(dir);
	return rc;
}

/* path, made absolute against the working folder (as SQLite does with the
 * name it keeps). Caller frees; NULL with err filled when the working
 * folder cannot be read. */
static char *absolute(const char *path, struct sitrep_error *err)
{
	if (path[0] == '/')
		return xstrdup(path);
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	for (size_t size = 256;; size *= 2) {
		char *cwd = xmalloc(size);
		if (getcwd(cwd, size)) {
			sb_adds(&sb, cwd);
			free(cwd);
			break;
		}
		int e = errno;
		free(cwd);
		if (e != ERANGE) {
			char text[128];
			journal_errno_text(e, text, sizeof text);
			journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': the working"
				     " folder cannot be read: %s", path, text);
			sb_release(&sb);
			return NULL;
		}
	}
	sb_addf(&sb, "/%s", path);
	return sb_detach(&sb);
}

/* Is the file at the path still the one this journal opened? SQLite's own
 * check (SQLITE_FCNTL_HAS_MOVED: its file's inode against the path's) and
 * ours (the device and inode vetted at open). When not, every write from
 * now on is refused: it would go to a file nobody can find. */
static int still_there(struct sq *q, struct sitrep_error *err)
{
	if (q->mem || !q->have_id)
		return JOURNAL_OK;
	int moved = 0;
	struct stat st;
	int deleted = 0;
	if (sqlite3_file_control(q->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK)
		moved = 0;
	if (lstat(q->abs_path, &st) != 0) {
		if (errno != ENOENT && errno != ENOTDIR) {
			char e[128];
			journal_errno_text(errno, e, sizeof e);
			return journal_fail(err, JOURNAL_ERROR, "unable to check database '%s': %s",
					    q->base.where, e);
		}
		deleted = 1;
	} else if (!moved && st.st_dev == q->dev && st.st_ino == q->ino) {
		return JOURNAL_OK;
	}
	q->base.gone = 1;
	return journal_fail(err, JOURNAL_GONE, "database '%s' was %s while it was open: the"
			    " write is not saved", q->base.where,
			    deleted ? "deleted" : "replaced by another file");
}

/* ---------- opening ---------- */

static void close_db(struct sq *q)
{
	for (int i = 0; i < ST__COUNT; i++) {
		sqlite3_finalize(q->st[i].st);
		q->st[i].st = NULL;
		q->st[i].busy = 0;
	}
	if (q->db)
		sqlite3_close_v2(q->db);
	q->db = NULL;
}

/* "file:" URI for path with ?immutable=1 (percent-escaping what a URI needs). */
static char *immutable_uri(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	sb_adds(&sb, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ' || *p >= 0x7f)
			sb_addf(&sb, "%%%02X", *p);
		else
			sb_addc(&sb, (char)*p);
	}
	sb_adds(&sb, "?immutable=1");
	return sb_detach(&sb);
}

/* Open q->db; returns a SQLite rc. A first read (the probe) surfaces what
 * SQLite defers: not a database, damaged, locked, WAL files unreachable. */
static int open_db(struct sq *q, const char *name, int flags)
{
	close_db(q);
	/* NOMUTEX: a journal is used by one thread at a time (journal.h), so
	 * the connection's mutex, taken by every sqlite3_column_* call, only
	 * costs (a tenth of a replay). */
	int rc = sqlite3_open_v2(name, &q->db, flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_extended_result_codes(q->db, 1);
	rc = sqlite3_busy_timeout(q->db, q->busy_ms);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_stmt *st = NULL;
	rc = sqlite3_prepare_v2(q->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static int open_fail(struct sq *q, int rc, struct sitrep_error *err)
{
	const char *path = q->base.where;
	char e[128];
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return journal_fail(err, JOURNAL_BUSY, "database '%s' is locked by another process",
				    path);
	case SQLITE_NOTADB:
		return journal_fail(err, JOURNAL_CORRUPT, "database '%s' is not a sitrep journal: it"
				    " is not a SQLite database (damaged or truncated, or another"
				    " kind of file)", path);
	case SQLITE_CORRUPT:
		return journal_fail(err, JOURNAL_CORRUPT, "database '%s' is damaged: %s", path,
				    q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
	case SQLITE_CANTOPEN:
		if (q->db && sqlite3_system_errno(q->db)) {
			journal_errno_text(sqlite3_system_errno(q->db), e, sizeof e);
			return journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': %s",
					    path, e);
		}
		/* fall through */
	default:
		return journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': %s", path,
				    q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
	}
}

/* Why a writable open fell back to read-only, for messages. */
static void note_ro_reason(struct sq *q)
{
	char e[128];
	const char *path = q->base.where;
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	if (access(path, W_OK) != 0) {
		journal_errno_text(errno, e, sizeof e);
		sb_adds(&sb, e);
	} else {
		char *dir = dir_of(path);
		if (access(dir, W_OK) != 0) {
			journal_errno_text(errno, e, sizeof e);
			sb_addf(&sb, "folder '%s': %s", dir, e);
		} else {
			sb_adds(&sb, "the file cannot be written");
		}
		free(dir);
	}
	free(q->base.ro_reason);
	q->base.ro_reason = sb_detach(&sb);
}

/* Open read-only; when WAL's shared-memory file cannot be used (a read-only
 * folder or file system), fall back to immutable=1: SQLite then reads the
 * main file only, which is complete when the last writer closed cleanly. */
static int open_readonly(struct sq *q)
{
	int rc = open_db(q, q->base.where, SQLITE_OPEN_READONLY);
	int prim = rc & 0xff;
	if (rc != SQLITE_OK && (prim == SQLITE_CANTOPEN || prim == SQLITE_READONLY ||
				prim == SQLITE_IOERR)) {
		char *uri = immutable_uri(q->base.where);
		rc = open_db(q, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
		free(uri);
	}
	return rc;
}

/* PRAGMA journal_mode = WAL. Switching to WAL needs an exclusive lock, and
 * SQLite answers SQLITE_BUSY at once, without the busy handler, while
 * another process holds any lock: retry for as long as the busy timeout. */
static int set_wal(struct sq *q, char *mode, size_t size)
{
	for (int waited = 0;; waited += 10) {
		sqlite3_stmt *st = NULL;
		int rc = sqlite3_prepare_v2(q->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
		if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			snprintf(mode, size, "%s", col_text(st, 0));
			rc = SQLITE_OK;
		}
		sqlite3_finalize(st);
		if ((rc & 0xff) != SQLITE_BUSY || q->mem || waited >= q->busy_ms)
			return rc;
		sqlite3_sleep(10);
	}
}

struct header {
	int64_t version, app_id, objects, tables;
};

/* One statement, so one snapshot: a journal being upgraded by another
 * process at this very moment is seen before or after, never half-made. */
static int read_header(struct sq *q, struct header *h, struct sitrep_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(q->db,
		"SELECT (SELECT user_version FROM pragma_user_version),"
		" (SELECT application_id FROM pragma_application_id),"
		" (SELECT count(*) FROM sqlite_master),"
		" (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
		"  ('incidents', 'entries', 'readings', 'snapshots'))", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		h->version = sqlite3_column_int64(st, 0);
		h->app_id = sqlite3_column_int64(st, 1);
		h->objects = sqlite3_column_int64(st, 2);
		h->tables = sqlite3_column_int64(st, 3);
		rc = SQLITE_OK;
	}
	int jrc = rc == SQLITE_OK ? JOURNAL_OK : sq_fail(q, rc, "read", err);
	sqlite3_finalize(st);
	return jrc;
}

static int migrate_1_to_2(struct sq *q, struct sitrep_error *err)
{
	int jrc = exec(q, "ALTER TABLE incidents ADD COLUMN genesis TEXT NOT NULL DEFAULT ''",
		       "upgrade", err);
	if (jrc)
		return jrc;
	/* Version 1 computed the genesis hash when needed; store it. */
	sqlite3_stmt *sel = NULL, *upd = NULL;
	int rc = sqlite3_prepare_v2(q->db, "SELECT id, title, plan_id, plan_hash, drill, created_at"
				    " FROM incidents ORDER BY id", -1, &sel, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(q->db, "UPDATE incidents SET genesis = ?2 WHERE id = ?1",
					-1, &upd, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		struct journal_incident inc = {
			.id = sqlite3_column_int64(sel, 0),
			.title = (char *)col_text(sel, 1),
			.plan_id = (char *)col_text(sel, 2),
			.drill = sqlite3_column_int(sel, 4),
			.created_at = sqlite3_column_int64(sel, 5),
		};
		snprintf(inc.plan_hash, sizeof inc.plan_hash, "%s", col_text(sel, 3));
		char g[65];
		journal_genesis_hash(&inc, g);
		rc = sqlite3_bind_int64(upd, 1, inc.id);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(upd, 2, g, 64, SQLITE_TRANSIENT);
		if (rc == SQLITE_OK && (rc = sqlite3_step(upd)) == SQLITE_DONE)
			rc = sqlite3_reset(upd);
	}
	jrc = rc == SQLITE_DONE ? JOURNAL_OK : sq_fail(q, rc, "upgrade", err);
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	if (jrc)
		return jrc;
	return exec(q, v2_tail, "upgrade", err);
}

/* Check the header; upgrade an older schema inside BEGIN IMMEDIATE,
 * re-reading the version there (another process may have done it). */
static int ensure_schema(struct sq *q, struct sitrep_error *err)
{
	const char *path = q->base.where;
	struct header h;
	int rc = read_header(q, &h, err);
	if (rc)
		return rc;
	if (h.app_id != APPLICATION_ID)
		return journal_fail(err, JOURNAL_ERROR, "database '%s' is not a sitrep journal: %s",
				    path, h.objects ? "another program's SQLite database"
				    : "an empty SQLite database (a journal was never made in it)");
	if (h.version > SCHEMA_VERSION)
		/* not damage: this build cannot use it (a newer sitrep can) */
		return journal_fail(err, JOURNAL_ERROR, "database '%s' has schema version %" PRId64
				    ", newer than this sitrep (%d)", path, h.version, SCHEMA_VERSION);
	if (h.version < 1)
		return journal_fail(err, JOURNAL_CORRUPT, "database '%s' is damaged: a sitrep journal"
				    " without a schema version", path);
	if (h.version == SCHEMA_VERSION) {
		if (h.tables != 4)
			return journal_fail(err, JOURNAL_CORRUPT, "database '%s' is damaged: tables of"
					    " the journal are missing", path);
		return JOURNAL_OK;
	}
	if (q->base.readonly)
		return journal_fail(err, JOURNAL_ERROR, "database '%s' has schema version %" PRId64
				    ", older than this sitrep (%d): open it once with write access"
				    " to upgrade it", path, h.version, SCHEMA_VERSION);
	/* The table rebuild needs foreign keys off, which only takes effect
	 * outside a transaction; journal_open turns them on afterwards. */
	if ((rc = exec(q, "PRAGMA foreign_keys = OFF", "upgrade", err)) ||
	    (rc = exec(q, "BEGIN IMMEDIATE", "upgrade", err)))
		return rc;
	if ((rc = read_header(q, &h, err)))
		goto rollback;
	if (h.version == 1 && (rc = migrate_1_to_2(q, err)))
		goto rollback;
	if (h.version >= 1 && h.version <= 2 && (rc = exec(q, v2_to_v3, "upgrade", err)))
		goto rollback;
	if (h.version >= 1 && h.version <= 2 &&
	    (rc = exec(q, "PRAGMA user_version = 3", "upgrade", err)))
		goto rollback;
	if ((rc = exec(q, "COMMIT", "upgrade", err)))
		goto rollback;
	return JOURNAL_OK;
rollback:
	if (!sqlite3_get_autocommit(q->db))
		(void)sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL); /* rc says why */
	return rc;
}

static int sq_changed(struct journal *j, int *changed, struct sitrep_error *err);

/* Before SQLite starts: no allocation statistics (each allocation took a
 * global mutex for them; sitrep reads none). Refused, harmlessly, when
 * SQLite already started (a program that used it first). */
static void sq_configure(void)
{
	static int done;
	if (!done) {
		done = 1;
		(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	}
}

/* Long by design: the checks of an open, in order (the file, its owner and
 * mode, the header, the schema): each may end it. */
static struct journal *sq_open(const char *where, unsigned flags, struct sitrep_error *err)
{
	struct sq *q;
	sq_configure();
	q = xcalloc(1, sizeof *q);
	journal_base_init(&q->base, &journal_sqlite_ops, where);
	q->base.threads = sqlite3_threadsafe() != 0;
	q->busy_ms = JOURNAL_BUSY_TIMEOUT_MS;
	q->mem = strcmp(where, ":memory:") == 0;
	int want_ro = (flags & JOURNAL_READ_ONLY) != 0;
	int rc;
	struct stat st;
	char e[128];

	if (q->mem) {
		if (want_ro) {
			journal_fail(err, JOURNAL_ERROR, "unable to open database ':memory:' read-only:"
				     " a new in-memory journal is empty");
			goto fail;
		}
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d;", APPLICATION_ID);
		rc = open_db(q, where, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
		if (rc != SQLITE_OK) {
			open_fail(q, rc, err);
			goto fail;
		}
		if (exec(q, pragma, "create", err) || exec(q, schema_v3, "create", err) ||
		    exec(q, "PRAGMA user_version = 3", "create", err))
			goto fail;
	} else {
		/* lstat before anything opens the path: a FIFO would block, a
		 * link would lead elsewhere. */
		if (lstat(where, &st) != 0) {
			if (errno != ENOENT || !(flags & JOURNAL_CREATE) || want_ro) {
				journal_errno_text(errno, e, sizeof e);
				journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': %s",
					     where, e);
				goto fail;
			}
			rc = create_fresh(q, err);
			if (rc != JOURNAL_OK && rc != JOURNAL_NOTFOUND)
				goto fail;
			if (lstat(where, &st) != 0) {
				journal_errno_text(errno, e, sizeof e);
				journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': %s",
					     where, e);
				goto fail;
			}
		}
		if (vet_file(q, &st, err))
			goto fail;
		q->dev = st.st_dev;
		q->ino = st.st_ino;
		if (!(q->abs_path = absolute(where, err)))
			goto fail;
		q->have_id = 1;

		if (want_ro) {
			q->base.readonly = 1;
			q->base.ro_reason = xstrdup("opened read-only");
			rc = open_readonly(q);
		} else {
			rc = open_db(q, where, SQLITE_OPEN_READWRITE);
			int prim = rc & 0xff;
			if (rc == SQLITE_OK && sqlite3_db_readonly(q->db, "main") == 1) {
				q->base.readonly = 1; /* SQLite fell back to read-only: say why */
				note_ro_reason(q);
			} else if (prim == SQLITE_CANTOPEN || prim == SQLITE_READONLY) {
				/* The folder refuses the WAL files: read what we can. */
				note_ro_reason(q);
				q->base.readonly = 1;
				rc = open_readonly(q);
			}
		}
		if (rc != SQLITE_OK) {
			open_fail(q, rc, err);
			goto fail;
		}
		/* The file SQLite opened is the one vetted above, still at the path. */
		if (still_there(q, NULL) != JOURNAL_OK) {
			journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': it was"
				     " replaced while it was being opened", where);
			goto fail;
		}
	}

	if (!q->base.readonly) {
		char mode[32] = "";
		rc = set_wal(q, mode, sizeof mode);
		if (rc != SQLITE_OK) {
			open_fail(q, rc, err);
			goto fail;
		}
		if (!q->mem && strcmp(mode, "wal") != 0) {
			journal_fail(err, JOURNAL_ERROR, "unable to use write-ahead logging on database"
				     " '%s' (mode %s)", where, mode);
			goto fail;
		}
		if (exec(q, "PRAGMA synchronous = FULL", "configure", err))
			goto fail;
	}
	if (ensure_schema(q, err))
		goto fail;
	if (!q->base.readonly) {
		int64_t last;
		if (exec(q, "PRAGMA foreign_keys = ON", "configure", err))
			goto fail;
		/* The cheap check of a write open: read the pages the next append
		 * will touch (the right edges of the entries and readings trees).
		 * The whole file is checked by verify (PRAGMA quick_check). */
		if (query_i64(q, "SELECT (SELECT max(id) FROM entries) + (SELECT count(*) FROM"
			      " (SELECT 1 FROM readings ORDER BY entry DESC LIMIT 1))", &last, err))
			goto fail;
	}
	int changed;
	if (sq_changed(&q->base, &changed, err))
		goto fail;
	return &q->base;
fail:
	close_db(q);
	free(q->abs_path);
	journal_base_release(&q->base);
	free(q);
	return NULL;
}

static void sq_close(struct journal *j)
{
	struct sq *q = SQ(j);
	if (q->db && !sqlite3_get_autocommit(q->db))
		(void)sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL); /* closing regardless */
	/* A file deleted or moved while open: SQLite then leaves its log at
	 * the old name, unfolded, where a new journal made there would take
	 * in its frames (and a moved journal would lose them). Fold the log
	 * into the file it belongs to, wherever that is now, and empty it. */
	if (q->db && !q->base.readonly && still_there(q, NULL) != JOURNAL_OK)
		(void)sqlite3_exec(q->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL,
				   NULL); /* best effort: the file is gone either way */
	close_db(q);
	free(q->abs_path);
	journal_base_release(&q->base);
	free(q);
}

static int sq_set_busy_timeout(struct journal *j, int ms, struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	int rc = sqlite3_busy_timeout(q->db, ms);
	if (rc != SQLITE_OK)
		return sq_fail(q, rc, "configure", err);
	q->busy_ms = ms;
	return JOURNAL_OK;
}

static int sq_clock(struct journal *j, int64_t *now, struct sitrep_error *err)
{
	time_t t = time(NULL);
	if (t == (time_t)-1) {
		char e[128];
		journal_errno_text(errno, e, sizeof e);
		return journal_fail(err, JOURNAL_ERROR, "unable to read the clock for database '%s':"
				    " %s", j->where, e);
	}
	*now = (int64_t)t;
	return JOURNAL_OK;
}

/* PRAGMA data_version changes when another connection commits. */
static int sq_changed(struct journal *j, int *changed, struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = acquire(q, ST_DATA_VERSION, err);
	if (!st)
		return JOURNAL_ERROR;
	int rc = sqlite3_step(st), jrc = JOURNAL_OK;
	if (rc == SQLITE_ROW) {
		int64_t v = sqlite3_column_int64(st, 0);
		*changed = v != q->data_version;
		q->data_version = v;
	} else {
		jrc = sq_fail(q, rc, "read", err);
	}
	release(q, ST_DATA_VERSION, st);
	return jrc;
}

static int sq_poll_fd(struct journal *j)
{
	(void)j;
	return -1;
}

/* ---------- transactions ---------- */

static int run(struct sq *q, enum stmt_id id, const char *verb, struct sitrep_error *err)
{
	sqlite3_stmt *st = acquire(q, id, err);
	if (!st)
		return JOURNAL_ERROR;
	int rc = step_done(q, st, verb, err);
	release(q, id, st);
	return rc;
}

static int sq_begin(struct journal *j, struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	int rc = still_there(q, err);
	if (rc)
		return rc;
	/* IMMEDIATE takes the write lock now, through the busy handler; a
	 * deferred BEGIN that reads and then writes cannot wait (SQLITE_BUSY at
	 * once) and lets two writers decide on the same state. */
	return run(q, ST_BEGIN, "lock", err);
}

static int sq_lock_incident(struct journal *j, int64_t incident, struct sitrep_error *err)
{
	/* BEGIN IMMEDIATE holds the one write lock of the file already. */
	(void)j;
	(void)incident;
	(void)err;
	return JOURNAL_OK;
}

static void sq_rollback(struct journal *j)
{
	struct sq *q = SQ(j);
	/* Rolling back cannot be refused; when the cached statement cannot
	 * run (out of memory), try once more as plain SQL. */
	if (!sqlite3_get_autocommit(q->db) && run(q, ST_ROLLBACK, "roll back", NULL) != JOURNAL_OK)
		(void)sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sq_commit(struct journal *j, struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	/* Not into a file that can no longer be found. */
	int rc = still_there(q, err);
	if (rc) {
		sq_rollback(j);
		return rc;
	}
	rc = run(q, ST_COMMIT, "commit to", err);
	if (rc) {
		/* Never leave the caller inside a half-failed transaction. */
		sq_rollback(j);
		return rc;
	}
	/* Deleted while COMMIT ran: it went into a file nobody can find, so
	 * it is not acknowledged. */
	return still_there(q, err);
}

static int sq_in_transaction(const struct journal *j)
{
	const struct sq *q = (const struct sq *)j;
	return q->db && !sqlite3_get_autocommit(q->db);
}

/* ---------- incidents ---------- */

static int sq_incident_next_id(struct journal *j, int64_t *id, struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = acquire(q, ST_INCIDENT_NEXT_ID, err);
	if (!st)
		return JOURNAL_ERROR;
	int rc = sqlite3_step(st), jrc = JOURNAL_OK;
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else
		jrc = sq_fail(q, rc, "read", err);
	release(q, ST_INCIDENT_NEXT_ID, st);
	return jrc;
}

static int sq_incident_insert(struct journal *j, const struct journal_incident *inc,
			      struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = acquire(q, ST_INCIDENT_INSERT, err);
	if (!st)
		return JOURNAL_ERROR;
	int rc;
	if (!(rc = bind_i64(q, st, 1, inc->id, err)) &&
	    !(rc = bind_text(q, st, 2, inc->title, strlen(inc->title), err)) &&
	    !(rc = bind_text(q, st, 3, inc->plan_id, strlen(inc->plan_id), err)) &&
	    !(rc = bind_blob(q, st, 4, inc->plan_text, inc->plan_len, err)) &&
	    !(rc = bind_i64(q, st, 5, (int64_t)inc->plan_len, err)) &&
	    !(rc = bind_text(q, st, 6, inc->plan_hash, strlen(inc->plan_hash), err)) &&
	    !(rc = bind_i64(q, st, 7, inc->drill ? 1 : 0, err)) &&
	    !(rc = bind_i64(q, st, 8, inc->created_at, err)) &&
	    !(rc = bind_text(q, st, 9, inc->genesis, strlen(inc->genesis), err))) {
		int src = sqlite3_step(st);
		if (src == SQLITE_CONSTRAINT_PRIMARYKEY)
			rc = journal_fail(err, JOURNAL_ERROR, "unable to add an incident to database"
					  " '%s': incident %" PRId64 " already exists", j->where,
					  inc->id);
		else if (src != SQLITE_DONE)
			rc = sq_fail(q, src, "add an incident to", err);
	}
	release(q, ST_INCIDENT_INSERT, st);
	return rc;
}

/* Fill inc from a row of ST_INCIDENT_GET / ST_INCIDENTS: owned copies, or
 * borrowed pointers into the row (the walk's callback). */
static void row_incident(sqlite3_stmt *st, int full, int owned, struct journal_incident *inc)
{
	/* columns: full: id, title, plan_id, plan_text, plan_len, plan_hash,
	 * drill, created_at, genesis; else the same without plan_text. */
	int k = full ? 1 : 0;
	inc->id = sqlite3_column_int64(st, 0);
	inc->title = owned ? xstrdup(col_text(st, 1)) : (char *)col_text(st, 1);
	inc->plan_id = owned ? xstrdup(col_text(st, 2)) : (char *)col_text(st, 2);
	inc->plan_text = NULL;
	inc->plan_len = 0;
	if (full && sqlite3_column_type(st, 3) != SQLITE_NULL) {
		const void *b = sqlite3_column_blob(st, 3);
		size_t n = (size_t)sqlite3_column_bytes(st, 3);
		inc->plan_text = xmalloc(n + 1);
		if (n)
			memcpy(inc->plan_text, b, n);
		inc->plan_text[n] = '\0';
		inc->plan_len = n;
	}
	col_hash(st, 4 + k, inc->plan_hash);
	inc->drill = sqlite3_column_int(st, 5 + k);
	inc->created_at = sqlite3_column_int64(st, 6 + k);
	col_hash(st, 7 + k, inc->genesis);
}

static int sq_incident_get(struct journal *j, int64_t id, int with_plan,
			   struct journal_incident *out, struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = acquire(q, ST_INCIDENT_GET, err);
	if (!st)
		return JOURNAL_ERROR;
	int rc;
	if (!(rc = bind_i64(q, st, 1, id, err)) && !(rc = bind_i64(q, st, 2, !!with_plan, err))) {
		int src = sqlite3_step(st);
		if (src == SQLITE_ROW)
			row_incident(st, 1, 1, out);
		else if (src == SQLITE_DONE)
			rc = journal_fail(err, JOURNAL_NOTFOUND, "database '%s' has no incident %"
					  PRId64, j->where, id);
		else
			rc = sq_fail(q, src, "read", err);
	}
	release(q, ST_INCIDENT_GET, st);
	return rc;
}

static int sq_incidents(struct journal *j, journal_incident_fn fn, void *ctx,
			struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = acquire(q, ST_INCIDENTS, err);
	if (!st)
		return JOURNAL_ERROR;
	int src;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		struct journal_incident inc;
		row_incident(st, 0, 0, &inc);
		if (fn(&inc, ctx)) {
			src = SQLITE_DONE;
			break;
		}
	}
	int rc = src == SQLITE_DONE ? JOURNAL_OK : sq_fail(q, src, "read", err);
	release(q, ST_INCIDENTS, st);
	return rc;
}

/* ---------- entries ---------- */

/* One-row query of an incident-keyed statement: *found 0 without a row. */
static int one_row(struct sq *q, enum stmt_id id, int64_t key, int *found,
		   void (*take)(sqlite3_stmt *, void *), void *ctx, struct sitrep_error *err)
{
	sqlite3_stmt *st = acquire(q, id, err);
	if (!st)
		return JOURNAL_ERROR;
	int rc = bind_i64(q, st, 1, key, err);
	if (!rc) {
		int src = sqlite3_step(st);
		*found = src == SQLITE_ROW;
		if (src == SQLITE_ROW)
			take(st, ctx);
		else if (src != SQLITE_DONE)
			rc = sq_fail(q, src, "read", err);
	}
	release(q, id, st);
	return rc;
}

static void take_genesis(sqlite3_stmt *st, void *ctx)
{
	col_hash(st, 0, ((struct journal_head *)ctx)->hash);
}

static void take_last(sqlite3_stmt *st, void *ctx)
{
	struct journal_head *h = ctx;
	h->last_id = sqlite3_column_int64(st, 0);
	col_hash(st, 1, h->hash);
	h->last_recorded = sqlite3_column_int64(st, 2);
}

static void take_pos(sqlite3_stmt *st, void *ctx)
{
	struct journal_head *h = ctx;
	h->last_occ = sqlite3_column_int64(st, 0);
	h->last_occ_id = sqlite3_column_int64(st, 1);
}

static void take_count(sqlite3_stmt *st, void *ctx)
{
	((struct journal_head *)ctx)->count = sqlite3_column_int64(st, 0);
}

static int sq_head(struct journal *j, int64_t incident, int full, struct journal_head *out,
		   struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	int found = 0, rc;
	memset(out, 0, sizeof *out);
	if ((rc = one_row(q, ST_GENESIS, incident, &found, take_genesis, out, err)))
		return rc;
	if (!found)
		return journal_fail(err, JOURNAL_NOTFOUND, "database '%s' has no incident %" PRId64,
				    j->where, incident);
	if ((rc = one_row(q, ST_HEAD_LAST, incident, &found, take_last, out, err)))
		return rc;
	if (full && (rc = one_row(q, ST_HEAD_POS, incident, &found, take_pos, out, err)))
		return rc;
	out->count = -1;
	if (full == JOURNAL_HEAD_COUNT &&
	    (rc = one_row(q, ST_HEAD_COUNT, incident, &found, take_count, out, err)))
		return rc;
	return JOURNAL_OK;
}

static int sq_next_entry_id(struct journal *j, int64_t *id, struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = acquire(q, ST_NEXT_ENTRY_ID, err);
	if (!st)
		return JOURNAL_ERROR;
	int src = sqlite3_step(st), rc = JOURNAL_OK;
	if (src == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else
		rc = sq_fail(q, src, "read", err);
	release(q, ST_NEXT_ENTRY_ID, st);
	return rc;
}

static int sq_entry_locate(struct journal *j, int64_t id, int64_t *incident,
			   struct journal_pos *pos, char hash[65], struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = acquire(q, ST_ENTRY_LOCATE, err);
	if (!st)
		return JOURNAL_ERROR;
	int rc = bind_i64(q, st, 1, id, err);
	if (!rc) {
		int src = sqlite3_step(st);
		if (src == SQLITE_ROW) {
			*incident = sqlite3_column_int64(st, 0);
			pos->occ = sqlite3_column_int64(st, 1);
			pos->id = id;
			col_hash(st, 2, hash);
		} else if (src == SQLITE_DONE) {
			rc = JOURNAL_NOTFOUND; /* the caller says what was looked for */
		} else {
			rc = sq_fail(q, src, "read", err);
		}
	}
	release(q, ST_ENTRY_LOCATE, st);
	return rc;
}

static int insert_readings(struct sq *q, const struct journal_entry *e, struct sitrep_error *err)
{
	if (!e->nreadings)
		return JOURNAL_OK;
	sqlite3_stmt *st = acquire(q, ST_READING_INSERT, err);
	if (!st)
		return JOURNAL_ERROR;
	int rc = JOURNAL_OK;
	for (size_t i = 0; !rc && i < e->nreadings; i++) {
		const struct journal_reading *r = &e->readings[i];
		int src;
		if ((rc = bind_i64(q, st, 1, e->id, err)) ||
		    (rc = bind_i64(q, st, 2, e->incident, err)) ||
		    (rc = bind_i64(q, st, 3, e->occurred_at, err)) ||
		    (rc = bind_i64(q, st, 4, (int64_t)i, err)) ||
		    (rc = bind_text(q, st, 5, r->metric, strlen(r->metric), err)))
			break;
		if ((src = sqlite3_bind_double(st, 6, r->value)) != SQLITE_OK) {
			rc = sq_fail(q, src, "bind a value on", err);
			break;
		}
		rc = step_done(q, st, "append a reading to", err);
		sqlite3_reset(st);
	}
	release(q, ST_READING_INSERT, st);
	return rc;
}

static int sq_entry_insert(struct journal *j, const struct journal_entry *e,
			   struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = acquire(q, ST_ENTRY_INSERT, err);
	if (!st)
		return JOURNAL_ERROR;
	int rc;
	if (!(rc = bind_i64(q, st, 1, e->id, err)) &&
	    !(rc = bind_i64(q, st, 2, e->incident, err)) &&
	    !(rc = bind_i64(q, st, 3, e->recorded_at, err)) &&
	    !(rc = bind_i64(q, st, 4, e->occurred_at, err)) &&
	    !(rc = bind_text(q, st, 5, e->actor, strlen(e->actor), err)) &&
	    !(rc = bind_text(q, st, 6, e->role, strlen(e->role), err)) &&
	    !(rc = bind_text(q, st, 7, e->kind, strlen(e->kind), err)) &&
	    !(rc = bind_text(q, st, 8, e->payload, e->payload_len, err)) &&
	    !(rc = e->corrects ? bind_i64(q, st, 9, e->corrects, err) : JOURNAL_OK) &&
	    !(rc = bind_text(q, st, 10, e->prev_hash, strlen(e->prev_hash), err)) &&
	    !(rc = bind_text(q, st, 11, e->hash, strlen(e->hash), err))) {
		int src = sqlite3_step(st);
		if (src == SQLITE_CONSTRAINT_CHECK)
			rc = journal_fail(err, JOURNAL_ERROR, "unable to append to database '%s': the"
					  " payload is not valid JSON", j->where);
		else if (src == SQLITE_CONSTRAINT_PRIMARYKEY)
			rc = journal_fail(err, JOURNAL_ERROR, "unable to append to database '%s':"
					  " entry %" PRId64 " already exists", j->where, e->id);
		else if (src == SQLITE_CONSTRAINT_FOREIGNKEY)
			rc = journal_fail(err, JOURNAL_NOTFOUND, "unable to append to database '%s':"
					  " incident %" PRId64 " or the corrected entry does not exist",
					  j->where, e->incident);
		else if (src != SQLITE_DONE)
			rc = sq_fail(q, src, "append to", err);
	}
	release(q, ST_ENTRY_INSERT, st);
	return rc ? rc : insert_readings(q, e, err);
}

static int sq_payload_readings(struct journal *j, const char *payload, size_t len,
			       journal_payload_reading_fn fn, void *ctx, int *not_json,
			       struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	*not_json = 0;
	enum stmt_id id = memchr(payload, '\\', len) ? ST_PAYLOAD_READINGS_ESC : ST_PAYLOAD_READINGS;
	sqlite3_stmt *st = acquire(q, id, err);
	if (!st)
		return JOURNAL_ERROR;
	int rc = bind_text(q, st, 1, payload, len, err), src = SQLITE_DONE;
	while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
		int in_object = sqlite3_column_int(st, 3);
		const char *key = in_object ? col_text(st, 0) : NULL;
		size_t key_len = in_object ? (size_t)sqlite3_column_bytes(st, 0) : 0;
		int is_number = sqlite3_column_int(st, 2);
		if (fn(ctx, key, key_len, is_number, is_number ? sqlite3_column_double(st, 1) : 0))
			break;
	}
	if (!rc && src != SQLITE_ROW && src != SQLITE_DONE) {
		/* json_each fails on text that is not JSON: tell that apart. */
		int valid = 1;
		sqlite3_stmt *v = acquire(q, ST_JSON_VALID, NULL);
		if (v && bind_text(q, v, 1, payload, len, NULL) == JOURNAL_OK &&
		    sqlite3_step(v) == SQLITE_ROW)
			valid = sqlite3_column_int(v, 0);
		release(q, ST_JSON_VALID, v);
		if (!valid)
			*not_json = 1;
		else
			rc = sq_fail(q, src, "read", err);
	}
	release(q, id, st);
	return rc;
}

/* ---------- cursors ---------- */

static int sq_cursor_open(struct journal *j, const struct journal_query *q_,
			  struct journal_cursor **out, struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	int variant = (q_->descending ? 1 : 0) | (q_->by_id ? 2 : 0) |
		      ((q_->fields & JF_READINGS) ? 4 : 0);
	enum stmt_id id = (enum stmt_id)(ST_CURSOR + variant);
	if (q_->kind && !q_->by_id)
		id = (enum stmt_id)(ST_CURSOR_KIND + (q_->descending ? 1 : 0) +
				    ((q_->fields & JF_READINGS) ? 2 : 0));
	sqlite3_stmt *st = acquire(q, id, err);
	if (!st)
		return JOURNAL_ERROR;
	char *folded = q_->contains ? journal_fold_ascii(q_->contains) : NULL;
	int rc;
	if ((rc = bind_i64(q, st, 1, q_->incident, err)) ||
	    (rc = bind_i64(q, st, 2, q_->after.occ, err)) ||
	    (rc = bind_i64(q, st, 3, q_->after.id, err)) ||
	    (rc = bind_i64(q, st, 4, q_->upto, err)) ||
	    (rc = bind_i64(q, st, 5, (q_->fields & JF_PAYLOAD) || q_->contains ? 1 : 0, err)) ||
	    (rc = bind_i64(q, st, 6, (q_->fields & JF_HASHES) ? 1 : 0, err)) ||
	    (rc = bind_text(q, st, 7, q_->kind, q_->kind ? strlen(q_->kind) : 0, err)) ||
	    (rc = bind_i64(q, st, 8, q_->actions_only ? 1 : 0, err))) {
		free(folded);
		release(q, id, st);
		return rc;
	}
	/* The needle must outlive the statement's steps: SQLITE_TRANSIENT. */
	int src = folded ? sqlite3_bind_text(st, 9, folded, -1, SQLITE_TRANSIENT)
			 : sqlite3_bind_null(st, 9);
	free(folded);
	if (src != SQLITE_OK) {
		release(q, id, st);
		return sq_fail(q, src, "bind a value on", err);
	}
	struct sq_cursor *c = xcalloc(1, sizeof *c);
	c->st = st;
	c->id = id;
	c->incident = q_->incident;
	*out = &c->base;
	return JOURNAL_OK;
}

static int sq_cursor_step(struct journal_cursor *c_, struct journal_row *row,
			  struct sitrep_error *err)
{
	struct sq_cursor *c = (struct sq_cursor *)c_;
	sqlite3_stmt *st = c->st;
	int src = sqlite3_step(st);
	if (src == SQLITE_DONE)
		return JOURNAL_NOTFOUND;
	if (src != SQLITE_ROW)
		return sq_fail(SQ(c_->j), src, "read", err);
	struct journal_entry *e = &row->e;
	const unsigned char *t;
	memset(row, 0, sizeof *row);
	/* A full replay reads a million rows through here: no call it can do
	 * without (the incident is the walk's; a NULL is a NULL pointer). */
	e->id = sqlite3_column_int64(st, 0);
	e->incident = c->incident;
	e->recorded_at = sqlite3_column_int64(st, 2);
	e->occurred_at = sqlite3_column_int64(st, 3);
	e->actor = col_text(st, 4);
	e->role = col_text(st, 5);
	e->kind = col_text(st, 6);
	if ((c_->fields & JF_PAYLOAD) && (t = sqlite3_column_text(st, 7)) != NULL) {
		e->payload = (const char *)t;
		e->payload_len = (size_t)sqlite3_column_bytes(st, 7);
	}
	e->corrects = sqlite3_column_int64(st, 8);
	if (c_->fields & JF_HASHES) {
		col_hash(st, 9, e->prev_hash);
		col_hash(st, 10, e->hash);
	}
	if ((c_->fields & JF_READINGS) && (t = sqlite3_column_text(st, 11)) != NULL) {
		row->has_reading = 1;
		row->metric = (const char *)t;
		row->value = sqlite3_column_double(st, 12);
	}
	return JOURNAL_OK;
}

static void sq_cursor_close(struct journal_cursor *c_)
{
	struct sq_cursor *c = (struct sq_cursor *)c_;
	release(SQ(c_->j), (enum stmt_id)c->id, c->st);
	free(c);
}

/* ---------- snapshots ---------- */

static int sq_snapshot_put(struct journal *j, int64_t incident, const struct journal_snapshot *s,
			   const char hash[65], struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = acquire(q, ST_SNAP_PUT, err);
	if (!st)
		return JOURNAL_ERROR;
	int rc;
	if (!(rc = bind_i64(q, st, 1, incident, err)) &&
	    !(rc = bind_i64(q, st, 2, s->pos.occ, err)) &&
	    !(rc = bind_i64(q, st, 3, s->pos.id, err)) &&
	    !(rc = bind_i64(q, st, 4, s->max_id, err)) &&
	    !(rc = bind_text(q, st, 5, hash, strlen(hash), err)) &&
	    !(rc = bind_blob(q, st, 6, s->blob, s->len, err)))
		rc = step_done(q, st, "store a snapshot in", err);
	release(q, ST_SNAP_PUT, st);
	return rc;
}

static int sq_snapshots_before(struct journal *j, int64_t incident, struct journal_pos pos,
			       journal_snapshot_fn fn, void *ctx, struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = acquire(q, ST_SNAP_BEFORE, err);
	if (!st)
		return JOURNAL_ERROR;
	int rc, src = SQLITE_DONE;
	if (!(rc = bind_i64(q, st, 1, incident, err)) && !(rc = bind_i64(q, st, 2, pos.occ, err)) &&
	    !(rc = bind_i64(q, st, 3, pos.id, err))) {
		while ((src = sqlite3_step(st)) == SQLITE_ROW) {
			struct journal_snapshot s = {
				.pos = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1) },
				.max_id = sqlite3_column_int64(st, 2),
			};
			char hash[65];
			col_hash(st, 3, hash);
			s.blob = (void *)sqlite3_column_blob(st, 4);
			s.len = (size_t)sqlite3_column_bytes(st, 4);
			if (fn(ctx, &s, hash)) {
				src = SQLITE_DONE;
				break;
			}
		}
		if (src != SQLITE_DONE)
			rc = sq_fail(q, src, "read", err);
	}
	release(q, ST_SNAP_BEFORE, st);
	return rc;
}

static int sq_metric_latest(struct journal *j, int64_t incident, const char *metric,
			    const char *kind, int64_t upto, struct journal_metric_reading *out,
			    size_t max, size_t *n, struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = acquire(q, ST_METRIC_LATEST, err);
	int rc, src = SQLITE_DONE;
	if (!st)
		return JOURNAL_ERROR;
	if (!(rc = bind_i64(q, st, 1, incident, err)) &&
	    !(rc = bind_text(q, st, 2, metric, strlen(metric), err)) &&
	    !(rc = bind_i64(q, st, 3, upto, err)) &&
	    !(rc = bind_text(q, st, 4, kind, kind ? strlen(kind) : 0, err)) &&
	    !(rc = bind_i64(q, st, 5, (int64_t)max, err))) {
		while (*n < max && (src = sqlite3_step(st)) == SQLITE_ROW) {
			out[*n].occurred_at = sqlite3_column_int64(st, 0);
			out[*n].entry = sqlite3_column_int64(st, 1);
			out[*n].value = sqlite3_column_double(st, 2);
			(*n)++;
		}
		if (src != SQLITE_ROW && src != SQLITE_DONE)
			rc = sq_fail(q, src, "read", err);
	}
	release(q, ST_METRIC_LATEST, st);
	return rc;
}

static int sq_snapshot_last(struct journal *j, int64_t incident, int *any,
			    struct journal_pos *pos, struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = acquire(q, ST_SNAP_LAST, err);
	if (!st)
		return JOURNAL_ERROR;
	int rc = bind_i64(q, st, 1, incident, err);
	*any = 0;
	if (!rc) {
		int src = sqlite3_step(st);
		if (src == SQLITE_ROW) {
			*any = 1;
			pos->occ = sqlite3_column_int64(st, 0);
			pos->id = sqlite3_column_int64(st, 1);
		} else if (src != SQLITE_DONE) {
			rc = sq_fail(q, src, "read", err);
		}
	}
	release(q, ST_SNAP_LAST, st);
	return rc;
}

static int sq_snapshot_drop_after(struct journal *j, int64_t incident, struct journal_pos pos,
				  struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = acquire(q, ST_SNAP_DROP, err);
	if (!st)
		return JOURNAL_ERROR;
	int rc;
	if (!(rc = bind_i64(q, st, 1, incident, err)) && !(rc = bind_i64(q, st, 2, pos.occ, err)) &&
	    !(rc = bind_i64(q, st, 3, pos.id, err)))
		rc = step_done(q, st, "drop snapshots from", err);
	release(q, ST_SNAP_DROP, st);
	return rc;
}

/* ---------- verification ---------- */

/* The table or index that owns page `page` (a root page first, then
 * through dbstat when SQLite has it), for messages; "" when unknown. */
static void name_page(struct sq *q, unsigned long page, struct strbuf *out)
{
	static const char *const sql[] = {
		"SELECT type || ' ' || name FROM sqlite_master WHERE rootpage = ?1",
		"SELECT 'table or index ' || name FROM dbstat WHERE pageno = ?1",
	};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *st = NULL;
		int found = 0;
		if (sqlite3_prepare_v2(q->db, sql[i], -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_bind_int64(st, 1, (sqlite3_int64)page) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW) {
			sb_addf(out, " (%s)", col_text(st, 0));
			found = 1;
		}
		sqlite3_finalize(st);
		if (found)
			return;
	}
}

/* One line of quick_check's answer, with the b-tree it is about:
 * "Tree N page P ..." names the tree by its root page N, "Page P: ..."
 * names a page. */
static void add_problem(struct sq *q, const char *line, size_t len, struct strbuf *out)
{
	char buf[512];
	unsigned long root = 0, page = 0;
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (out->len)
		sb_adds(out, "; ");
	sb_adds(out, buf);
	if (sscanf(buf, "Tree %lu page %lu", &root, &page) >= 1)
		name_page(q, root, out);
	else if (sscanf(buf, "Page %lu", &page) == 1)
		name_page(q, page, out);
}

static int sq_check_storage(struct journal *j, struct strbuf *msg, struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = NULL;
	struct strbuf found = STRBUF_INIT;
	sb_init(&found);
	int src = sqlite3_prepare_v2(q->db, "PRAGMA quick_check(10)", -1, &st, NULL);
	while (src == SQLITE_OK || src == SQLITE_ROW) {
		if ((src = sqlite3_step(st)) != SQLITE_ROW)
			break;
		/* A row may hold several lines, after "*** in database main ***". */
		for (const char *p = col_text(st, 0); *p;) {
			size_t n = strcspn(p, "\n");
			if (!(n == 2 && memcmp(p, "ok", 2) == 0) && strncmp(p, "*** ", 4) != 0 && n)
				add_problem(q, p, n, &found);
			p += n;
			if (*p == '\n')
				p++;
		}
	}
	int rc = JOURNAL_OK;
	int prim = src & 0xff;
	if (src != SQLITE_DONE && prim != SQLITE_CORRUPT && prim != SQLITE_NOTADB) {
		rc = sq_fail(q, src, "check", err);
	} else if (found.len || src != SQLITE_DONE) {
		sb_addf(msg, "database '%s' is damaged: %s%s", j->where,
			found.len ? "quick_check found " : "", found.len ? found.buf
			: sqlite3_errmsg(q->db));
		rc = journal_fail(err, JOURNAL_CORRUPT, "%s", msg->buf);
	}
	sqlite3_finalize(st);
	sb_release(&found);
	return rc;
}

static int sq_orphan_entry(struct journal *j, int64_t *id, struct sitrep_error *err)
{
	return query_i64(SQ(j), "SELECT coalesce(min(id), 0) FROM entries WHERE incident NOT IN"
			 " (SELECT id FROM incidents)", id, err);
}

static int sq_misplaced_reading(struct journal *j, int64_t incident, int64_t *entry,
				struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	/* Readings filed under the incident whose entry is not there as
	 * filed, and readings of its entries filed elsewhere. */
	static const char one[] =
		"SELECT coalesce(min(x), 0) FROM ("
		" SELECT min(r.entry) AS x FROM readings r WHERE r.incident = ?1 AND NOT EXISTS"
		"  (SELECT 1 FROM entries e WHERE e.id = r.entry AND e.incident = r.incident"
		"   AND e.occurred_at = r.occurred_at)"
		" UNION ALL"
		" SELECT min(e.id) FROM entries e JOIN readings r ON r.entry = e.id"
		"  WHERE e.incident = ?1 AND (r.incident <> e.incident"
		"  OR r.occurred_at <> e.occurred_at))";
	static const char all[] =
		"SELECT coalesce(min(r.entry), 0) FROM readings r WHERE NOT EXISTS"
		" (SELECT 1 FROM entries e WHERE e.id = r.entry AND e.incident = r.incident"
		"  AND e.occurred_at = r.occurred_at)";
	sqlite3_stmt *st = NULL;
	int src = sqlite3_prepare_v2(q->db, incident ? one : all, -1, &st, NULL);
	if (src == SQLITE_OK && incident)
		src = sqlite3_bind_int64(st, 1, incident);
	if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		*entry = sqlite3_column_int64(st, 0);
		src = SQLITE_OK;
	}
	int rc = src == SQLITE_OK ? JOURNAL_OK : sq_fail(q, src, "read", err);
	sqlite3_finalize(st);
	return rc;
}

/* ---------- for tests and tools ---------- */

static int sq_exec_unchecked(struct journal *j, const char *sql, struct sitrep_error *err)
{
	return exec(SQ(j), sql, "run SQL on", err);
}

static int sq_query_text(struct journal *j, const char *sql, struct strbuf *out,
			 struct sitrep_error *err)
{
	struct sq *q = SQ(j);
	sqlite3_stmt *st = NULL;
	int src = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
	if (src == SQLITE_OK) {
		src = sqlite3_step(st);
		if (src == SQLITE_ROW)
			sb_add(out, col_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
		if (src == SQLITE_ROW || src == SQLITE_DONE)
			src = SQLITE_OK;
	}
	int rc = src == SQLITE_OK ? JOURNAL_OK : sq_fail(q, src, "read", err);
	sqlite3_finalize(st);
	return rc;
}

const struct journal_ops journal_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.set_busy_timeout = sq_set_busy_timeout,
	.clock = sq_clock,
	.changed = sq_changed,
	.poll_fd = sq_poll_fd,
	.begin = sq_begin,
	.lock_incident = sq_lock_incident,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.in_transaction = sq_in_transaction,
	.incident_next_id = sq_incident_next_id,
	.incident_insert = sq_incident_insert,
	.incident_get = sq_incident_get,
	.incidents = sq_incidents,
	.head = sq_head,
	.next_entry_id = sq_next_entry_id,
	.entry_locate = sq_entry_locate,
	.entry_insert = sq_entry_insert,
	.payload_readings = sq_payload_readings,
	.cursor_open = sq_cursor_open,
	.cursor_step = sq_cursor_step,
	.cursor_close = sq_cursor_close,
	.snapshot_put = sq_snapshot_put,
	.snapshots_before = sq_snapshots_before,
	.snapshot_last = sq_snapshot_last,
	.metric_latest = sq_metric_latest,
	.snapshot_drop_after = sq_snapshot_drop_after,
	.check_storage = sq_check_storage,
	.orphan_entry = sq_orphan_entry,
	.misplaced_reading = sq_misplaced_reading,
	.exec_unchecked = sq_exec_unchecked,
	.query_text = sq_query_text,
};
