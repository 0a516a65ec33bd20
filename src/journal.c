/* journal: the append-only SQLite store. The only file that includes
 * <sqlite3.h>. It stores and verifies; it knows nothing of rules.
 * The format (schema, canonical encoding, hash chain) is specified in
 * docs/journal-format.md: keep the two in step. */

#include "sitrep/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SCHEMA_VERSION 2
/* PRAGMA application_id: "sitr" in ASCII, tells our files from other SQLite files. */
#define APPLICATION_ID 0x73697472
#define ENTRY_TAG "sitrep-entry-v1"
#define INCIDENT_TAG "sitrep-incident-v1"

/* Cached statements (prepared once, reset after each use). Walks
 * (journal_each, journal_verify) prepare their own so that a callback may
 * call back into the journal. */
enum stmt_id {
	ST_INCIDENT_GENESIS,
	ST_HEAD,
	ST_NEXT_ENTRY_ID,
	ST_INSERT_ENTRY,
	ST_ENTRY_INCIDENT,
	ST_NEXT_INCIDENT_ID,
	ST_INSERT_INCIDENT,
	ST_GET_INCIDENT,
	ST_INCIDENT_IDS,
	ST_GET_ENTRY,
	ST_MIN_OCC,
	ST_CP_GET,
	ST_CP_PUT,
	ST_DATA_VERSION,
	ST__COUNT
};

static const char *const stmt_sql[ST__COUNT] = {
	[ST_INCIDENT_GENESIS] = "SELECT genesis FROM incidents WHERE id = ?1",
	[ST_HEAD] = "SELECT id, hash FROM entries WHERE incident = ?1 ORDER BY id DESC LIMIT 1",
	[ST_NEXT_ENTRY_ID] = "SELECT coalesce(max(id), 0) + 1 FROM entries",
	[ST_INSERT_ENTRY] = "INSERT INTO entries (id, incident, recorded_at, occurred_at, actor, role,"
			    " kind, payload, corrects, prev_hash, hash)"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[ST_ENTRY_INCIDENT] = "SELECT incident FROM entries WHERE id = ?1",
	[ST_NEXT_INCIDENT_ID] = "SELECT coalesce(max(id), 0) + 1 FROM incidents",
	[ST_INSERT_INCIDENT] = "INSERT INTO incidents (id, title, plan_id, plan_yaml, plan_hash, drill,"
			       " created_at, genesis) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_GET_INCIDENT] = "SELECT id, title, plan_id, CASE WHEN ?2 THEN plan_yaml END, plan_hash,"
			    " drill, created_at FROM incidents WHERE id = ?1",
	[ST_INCIDENT_IDS] = "SELECT id FROM incidents ORDER BY created_at DESC, id DESC",
	[ST_GET_ENTRY] = "SELECT id, incident, recorded_at, occurred_at, actor, role, kind, payload,"
			 " coalesce(corrects, 0), prev_hash, hash FROM entries WHERE id = ?1",
	/* The few entries after a checkpoint, by id: not a scan of the incident. */
	[ST_MIN_OCC] = "SELECT min(occurred_at) FROM entries INDEXED BY entries_by_id"
		       " WHERE incident = ?1 AND id > ?2",
	[ST_CP_GET] = "SELECT max_id, pos_occ, pos_id, blob FROM checkpoints WHERE incident = ?1",
	[ST_CP_PUT] = "INSERT OR REPLACE INTO checkpoints (incident, max_id, pos_occ, pos_id, blob)"
		      " VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_DATA_VERSION] = "PRAGMA data_version",
};

#define ENTRY_COLUMNS "id, incident, recorded_at, occurred_at, actor, role, kind, payload," \
		      " coalesce(corrects, 0), prev_hash, hash"

struct journal {
	sqlite3 *db;
	char *path;
	int ro;                     /* writes refused */
	int busy_ms;                /* busy timeout */
	char ro_reason[160];        /* why, for messages */
	sqlite3_stmt *st[ST__COUNT];
	char msg[1024];             /* last failure */
};

/* ---------- the schema ---------- */

/* Version 1 (never shipped beyond early drills) had incidents without the
 * genesis column, entries with their (incident, id) index, and nothing else.
 * Version 2 stores the genesis hash, adds checkpoints, the time-order index
 * and the append-only triggers. SCHEMA_V2_TAIL is shared by a fresh create
 * and the migration, so both end with the same objects. */
#define SCHEMA_V2_TAIL \
	"CREATE INDEX entries_by_time ON entries (incident, occurred_at, id);\n" \
	"CREATE TABLE checkpoints (\n" \
	"  incident INTEGER PRIMARY KEY REFERENCES incidents (id),\n" \
	"  max_id INTEGER NOT NULL,\n" \
	"  pos_occ INTEGER NOT NULL,\n" \
	"  pos_id INTEGER NOT NULL,\n" \
	"  blob BLOB NOT NULL\n" \
	");\n" \
	"CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries\n" \
	"  BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;\n" \
	"CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries\n" \
	"  BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;\n" \
	"CREATE TRIGGER incidents_no_update BEFORE UPDATE ON incidents\n" \
	"  BEGIN SELECT RAISE(ABORT, 'incidents are append-only'); END;\n" \
	"CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents\n" \
	"  BEGIN SELECT RAISE(ABORT, 'incidents are append-only'); END;\n" \
	"PRAGMA user_version = 2;\n"

static const char schema_v2[] =
	"CREATE TABLE incidents (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  title TEXT NOT NULL,\n"
	"  plan_id TEXT NOT NULL,\n"
	"  plan_yaml TEXT NOT NULL,\n"
	"  plan_hash TEXT NOT NULL,\n"
	"  drill INTEGER NOT NULL CHECK (drill IN (0, 1)),\n"
	"  created_at INTEGER NOT NULL,\n"
	"  genesis TEXT NOT NULL\n"
	");\n"
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
	SCHEMA_V2_TAIL;

/* ---------- errors ---------- */

static int map_rc(const struct journal *j, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: case SQLITE_ROW: case SQLITE_DONE: return JOURNAL_OK;
	case SQLITE_BUSY: case SQLITE_LOCKED: return JOURNAL_BUSY;
	case SQLITE_READONLY: return JOURNAL_READONLY;
	case SQLITE_CANTOPEN: return j->ro ? JOURNAL_READONLY : JOURNAL_ERROR;
	case SQLITE_CORRUPT: case SQLITE_NOTADB: return JOURNAL_CORRUPT;
	default: return JOURNAL_ERROR;
	}
}

static int set_msg(struct journal *j, int jrc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int set_msg(struct journal *j, int jrc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(j->msg, sizeof j->msg, fmt, ap);
	va_end(ap);
	return jrc;
}

static int ro_fail(struct journal *j)
{
	return set_msg(j, JOURNAL_READONLY, "database '%s' is read-only: %s", j->path,
		       j->ro_reason[0] ? j->ro_reason : "opened read-only");
}

/* Record a SQLite failure: `what` is the verb ("append to", "read"). */
static int db_fail(struct journal *j, int rc, const char *what)
{
	int jrc = map_rc(j, rc);
	switch (jrc) {
	case JOURNAL_BUSY:
		return set_msg(j, jrc, "database '%s' is locked by another process", j->path);
	case JOURNAL_READONLY:
		if (!j->ro_reason[0])
			snprintf(j->ro_reason, sizeof j->ro_reason, "%s", sqlite3_errmsg(j->db));
		return ro_fail(j);
	case JOURNAL_CORRUPT:
		return set_msg(j, jrc, "database '%s' is damaged: %s", j->path, sqlite3_errmsg(j->db));
	default:
		return set_msg(j, jrc, "unable to %s database '%s': %s", what, j->path,
			       sqlite3_errmsg(j->db));
	}
}

const char *journal_errmsg(struct journal *j)
{
	return j ? j->msg : "no journal";
}

int journal_schema_version(void)
{
	return SCHEMA_VERSION;
}

int journal_readonly(const struct journal *j)
{
	return j->ro;
}

const char *journal_path(const struct journal *j)
{
	return j->path;
}

int journal_in_transaction(struct journal *j)
{
	return !sqlite3_get_autocommit(j->db);
}

/* ---------- statements ---------- */

static sqlite3_stmt *stmt(struct journal *j, enum stmt_id id, int *jrc)
{
	if (!j->st[id]) {
		int rc = sqlite3_prepare_v3(j->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
					    &j->st[id], NULL);
		if (rc != SQLITE_OK) {
			*jrc = db_fail(j, rc, "prepare a statement on");
			sqlite3_finalize(j->st[id]);
			j->st[id] = NULL;
			return NULL;
		}
	}
	return j->st[id];
}

static void done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

static int bind_i64(struct journal *j, sqlite3_stmt *s, int i, int64_t v)
{
	int rc = sqlite3_bind_int64(s, i, v);
	return rc == SQLITE_OK ? JOURNAL_OK : db_fail(j, rc, "bind a value on");
}

static int bind_text(struct journal *j, sqlite3_stmt *s, int i, const char *v, size_t len)
{
	if (len > INT_MAX)
		return set_msg(j, JOURNAL_ERROR, "text too long for database '%s'", j->path);
	int rc = sqlite3_bind_text(s, i, v, (int)len, SQLITE_STATIC);
	return rc == SQLITE_OK ? JOURNAL_OK : db_fail(j, rc, "bind a value on");
}

static const char *col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? (const char *)t : "";
}

/* Run SQL text without results (schema, pragmas, transactions). */
static int exec(struct journal *j, const char *sql, const char *what)
{
	int rc = sqlite3_exec(j->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? JOURNAL_OK : db_fail(j, rc, what);
}

/* First column of a one-row query as an integer. */
static int query_i64(struct journal *j, const char *sql, int64_t *out)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(j->db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(s, 0);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			*out = 0;
			rc = SQLITE_OK;
		}
	}
	int jrc = rc == SQLITE_OK ? JOURNAL_OK : db_fail(j, rc, "read");
	sqlite3_finalize(s);
	return jrc;
}

/* ---------- the canonical encoding and hashes ---------- */

static void h_int(crypto_hash_sha256_state *h, int64_t v)
{
	uint64_t u = (uint64_t)v;
	unsigned char b[8];
	for (int i = 7; i >= 0; i--) {
		b[i] = (unsigned char)(u & 0xff);
		u >>= 8;
	}
	crypto_hash_sha256_update(h, b, sizeof b);
}

static void h_text(crypto_hash_sha256_state *h, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	h_int(h, (int64_t)n);
	if (n)
		crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

static void h_final(crypto_hash_sha256_state *h, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(h, d);
	sodium_bin2hex(out, 65, d, sizeof d);
}

static int hex32(const char *hex, unsigned char bin[32])
{
	size_t n = 0;
	if (!hex || strlen(hex) != 64)
		return -1;
	for (int i = 0; i < 64; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
			return -1;
	if (sodium_hex2bin(bin, 32, hex, 64, NULL, &n, NULL) != 0 || n != 32)
		return -1;
	return 0;
}

int journal_genesis_hash(const struct journal_incident *inc, char out[65])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	h_text(&h, INCIDENT_TAG);
	h_int(&h, inc->id);
	h_text(&h, inc->title);
	h_text(&h, inc->plan_id);
	h_text(&h, inc->plan_hash);
	h_int(&h, inc->drill ? 1 : 0);
	h_int(&h, inc->created_at);
	h_final(&h, out);
	return 0;
}

int journal_entry_hash(const char *prev_hex, const struct journal_entry *e, char out[65])
{
	unsigned char prev[32];
	if (hex32(prev_hex, prev) != 0)
		return -1;
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, prev, sizeof prev);
	h_text(&h, ENTRY_TAG);
	h_int(&h, e->id);
	h_int(&h, e->incident);
	h_int(&h, e->recorded_at);
	h_int(&h, e->occurred_at);
	h_text(&h, e->actor);
	h_text(&h, e->role);
	h_text(&h, e->kind);
	h_text(&h, e->payload ? e->payload : "{}");
	h_int(&h, e->corrects);
	h_final(&h, out);
	return 0;
}

/* ---------- open ---------- */

/* Fill err (if any) with a storage error; the message names the path. */
static void open_err(struct sitrep_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void open_err(struct sitrep_error *err, const char *fmt, ...)
{
	if (!err)
		return;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	err_set(err, SITREP_EXIT_STORAGE, NULL, 0, 0, "%s", sb.buf);
	sb_release(&sb);
}

/* strerror, lower-cased first letter to match our message style. */
static void errno_text(int e, char *buf, size_t size)
{
	snprintf(buf, size, "%s", strerror(e));
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
}

static int is_memory(const char *path)
{
	return strcmp(path, ":memory:") == 0 || path[0] == '\0';
}

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

/* 0660 when the folder is group-shared (setgid, or writable by its group),
 * else 0600. Documented in docs/journal-format.md. */
static mode_t create_mode(const char *path)
{
	char *dir = dir_of(path);
	struct stat st;
	mode_t m = 0600;
	if (stat(dir, &st) == 0 && (st.st_mode & (S_ISGID | S_IWGRP)))
		m = 0660;
	free(dir);
	return m;
}

/* Create the empty database file with its mode (regardless of umask) before
 * SQLite opens it, so it never exists with wider permissions. */
static int create_file(const char *path, struct sitrep_error *err)
{
	mode_t m = create_mode(path);
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, m);
	if (fd < 0) {
		if (errno == EEXIST)
			return 0; /* someone else created it first: fine */
		char e[128];
		errno_text(errno, e, sizeof e);
		open_err(err, "unable to open database '%s': %s", path, e);
		return -1;
	}
	if (fchmod(fd, m) != 0) {
		char e[128];
		errno_text(errno, e, sizeof e);
		close(fd);
		unlink(path);
		open_err(err, "unable to set the mode of database '%s': %s", path, e);
		return -1;
	}
	close(fd);
	return 0;
}

/* "file:" URI for path with ?immutable=1 (percent-escaping what a URI needs). */
static char *immutable_uri(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
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

static void close_db(struct journal *j)
{
	for (int i = 0; i < ST__COUNT; i++) {
		sqlite3_finalize(j->st[i]);
		j->st[i] = NULL;
	}
	if (j->db)
		sqlite3_close_v2(j->db);
	j->db = NULL;
}

/* Open j->db; returns a SQLite rc. A first read (the probe) surfaces the
 * errors SQLite defers: not a database, locked, WAL files unreachable. */
static int open_db(struct journal *j, const char *name, int flags)
{
	close_db(j);
	int rc = sqlite3_open_v2(name, &j->db, flags, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_extended_result_codes(j->db, 1);
	rc = sqlite3_busy_timeout(j->db, JOURNAL_BUSY_TIMEOUT_MS);
	if (rc != SQLITE_OK)
		return rc;
	int64_t n;
	rc = query_i64(j, "SELECT count(*) FROM sqlite_master", &n);
	return rc == JOURNAL_OK ? SQLITE_OK : sqlite3_errcode(j->db);
}

static int open_fail(struct journal *j, struct sitrep_error *err, int rc)
{
	char e[128];
	switch (rc & 0xff) {
	case SQLITE_BUSY: case SQLITE_LOCKED:
		open_err(err, "database '%s' is locked by another process", j->path);
		break;
	case SQLITE_NOTADB:
		open_err(err, "database '%s' is not a sitrep journal", j->path);
		break;
	case SQLITE_CANTOPEN:
		if (j->db && sqlite3_system_errno(j->db)) {
			errno_text(sqlite3_system_errno(j->db), e, sizeof e);
			open_err(err, "unable to open database '%s': %s", j->path, e);
		} else {
			open_err(err, "unable to open database '%s': %s", j->path,
				j->db ? sqlite3_errmsg(j->db) : sqlite3_errstr(rc));
		}
		break;
	default:
		open_err(err, "unable to open database '%s': %s", j->path,
			j->db ? sqlite3_errmsg(j->db) : sqlite3_errstr(rc));
	}
	return -1;
}

/* Why a writable open fell back to read-only, for messages. */
static void note_ro_reason(struct journal *j)
{
	char e[128];
	if (access(j->path, W_OK) != 0) {
		errno_text(errno, e, sizeof e);
		snprintf(j->ro_reason, sizeof j->ro_reason, "%s", e);
		return;
	}
	char *dir = dir_of(j->path);
	if (access(dir, W_OK) != 0) {
		errno_text(errno, e, sizeof e);
		snprintf(j->ro_reason, sizeof j->ro_reason, "folder '%s': %s", dir, e);
	} else {
		snprintf(j->ro_reason, sizeof j->ro_reason, "the file cannot be written");
	}
	free(dir);
}

/* Open read-only; when WAL's shared-memory file cannot be used (a read-only
 * folder or file system), fall back to immutable=1: SQLite then reads the
 * main file only, which is complete when the last writer closed cleanly. */
static int open_readonly(struct journal *j)
{
	int rc = open_db(j, j->path, SQLITE_OPEN_READONLY);
	int prim = rc & 0xff;
	if (rc != SQLITE_OK && (prim == SQLITE_CANTOPEN || prim == SQLITE_READONLY ||
				prim == SQLITE_IOERR)) {
		char *uri = immutable_uri(j->path);
		rc = open_db(j, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
		free(uri);
	}
	return rc;
}

static int migrate_1_to_2(struct journal *j)
{
	int jrc = exec(j, "ALTER TABLE incidents ADD COLUMN genesis TEXT NOT NULL DEFAULT ''",
		       "upgrade");
	if (jrc)
		return jrc;
	/* The genesis hash was computed on the fly in version 1; store it. */
	sqlite3_stmt *sel = NULL, *upd = NULL;
	int rc = sqlite3_prepare_v2(j->db, "SELECT id, title, plan_id, plan_hash, drill, created_at"
				    " FROM incidents ORDER BY id", -1, &sel, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(j->db, "UPDATE incidents SET genesis = ?2 WHERE id = ?1",
					-1, &upd, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		struct journal_incident inc = {
			.id = sqlite3_column_int64(sel, 0),
			.title = (char *)col_text(sel, 1),
			.plan_id = (char *)col_text(sel, 2),
			.plan_hash = (char *)col_text(sel, 3),
			.drill = sqlite3_column_int(sel, 4),
			.created_at = sqlite3_column_int64(sel, 5),
		};
		char g[65];
		journal_genesis_hash(&inc, g);
		rc = sqlite3_bind_int64(upd, 1, inc.id);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(upd, 2, g, 64, SQLITE_TRANSIENT);
		if (rc == SQLITE_OK && (rc = sqlite3_step(upd)) == SQLITE_DONE)
			rc = sqlite3_reset(upd);
	}
	jrc = rc == SQLITE_DONE ? JOURNAL_OK : db_fail(j, rc, "upgrade");
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	if (jrc)
		return jrc;
	return exec(j, SCHEMA_V2_TAIL, "upgrade");
}

static int read_header(struct journal *j, int64_t *ver, int64_t *app_id, int64_t *ntables)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(j->db, "SELECT (SELECT user_version FROM pragma_user_version),"
				    " (SELECT application_id FROM pragma_application_id),"
				    " (SELECT count(*) FROM sqlite_master)", -1, &s, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		*ver = sqlite3_column_int64(s, 0);
		*app_id = sqlite3_column_int64(s, 1);
		*ntables = sqlite3_column_int64(s, 2);
		rc = SQLITE_OK;
	}
	int jrc = rc == SQLITE_OK ? JOURNAL_OK : db_fail(j, rc, "read");
	sqlite3_finalize(s);
	return jrc;
}

/* PRAGMA journal_mode = WAL. Switching a new file to WAL needs an exclusive
 * lock, and SQLite answers SQLITE_BUSY at once, without the busy handler,
 * while another process holds any lock (seen when several processes create
 * the journal together): retry for as long as the busy timeout. */
static int set_wal(struct journal *j, int mem, char *mode, size_t size)
{
	int rc = SQLITE_BUSY;
	for (int waited = 0; ; waited += 10) {
		sqlite3_stmt *s = NULL;
		rc = sqlite3_prepare_v2(j->db, "PRAGMA journal_mode = WAL", -1, &s, NULL);
		if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
			snprintf(mode, size, "%s", col_text(s, 0));
			rc = SQLITE_OK;
		}
		sqlite3_finalize(s);
		if ((rc & 0xff) != SQLITE_BUSY || mem || waited >= j->busy_ms)
			return rc;
		sqlite3_sleep(10);
	}
}

/* Create or upgrade the schema inside BEGIN IMMEDIATE, re-reading the
 * version there: another process may have done it meanwhile. */
static int ensure_schema(struct journal *j, struct sitrep_error *err)
{
	int64_t ver, app_id, ntables;
	/* One statement, so one snapshot: a journal being created by another
	 * process at this very moment is seen before or after, never half-made. */
	if (read_header(j, &ver, &app_id, &ntables))
		goto storage;
	int empty = ver == 0 && ntables == 0;
	if (!empty && (app_id != APPLICATION_ID || ver < 1)) {
		open_err(err, "database '%s' is not a sitrep journal", j->path);
		return -1;
	}
	if (ver > SCHEMA_VERSION) {
		open_err(err, "database '%s' has schema version %lld, newer than this sitrep (%d)",
			j->path, (long long)ver, SCHEMA_VERSION);
		return -1;
	}
	if (ver == SCHEMA_VERSION)
		return 0;
	if (j->ro) {
		if (empty)
			open_err(err, "database '%s' is not a sitrep journal (it is empty)", j->path);
		else
			open_err(err, "database '%s' has schema version %lld, older than this sitrep (%d):"
				" open it once with write access to upgrade it",
				j->path, (long long)ver, SCHEMA_VERSION);
		return -1;
	}
	if (exec(j, "BEGIN IMMEDIATE", "lock"))
		goto storage;
	if (read_header(j, &ver, &app_id, &ntables))
		goto rollback;
	if (ver == 0 && ntables == 0) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA application_id = %d", APPLICATION_ID);
		if (exec(j, sql, "create") || exec(j, schema_v2, "create"))
			goto rollback;
	} else if (ver == 1) {
		if (migrate_1_to_2(j))
			goto rollback;
	} else if (ver != SCHEMA_VERSION) {
		exec(j, "ROLLBACK", "roll back");
		open_err(err, "database '%s' has schema version %lld, which this sitrep (%d) cannot use",
			j->path, (long long)ver, SCHEMA_VERSION);
		return -1;
	}
	if (exec(j, "COMMIT", "commit"))
		goto rollback;
	return 0;
rollback:
	if (!sqlite3_get_autocommit(j->db))
		sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
storage:
	open_err(err, "%s", j->msg);
	return -1;
}

struct journal *journal_open(const char *path, int flags, struct sitrep_error *err)
{
	if (!path) {
		open_err(err, "no database path");
		return NULL;
	}
	struct journal *j = xcalloc(1, sizeof *j);
	j->path = xstrdup(path);
	j->busy_ms = JOURNAL_BUSY_TIMEOUT_MS;
	int mem = is_memory(path);
	int want_ro = (flags & JOURNAL_READ_ONLY) != 0;
	int rc;

	if (!mem) {
		struct stat st;
		if (stat(path, &st) != 0) {
			if (errno != ENOENT || !(flags & JOURNAL_CREATE) || want_ro) {
				char e[128];
				errno_text(errno, e, sizeof e);
				open_err(err, "unable to open database '%s': %s", path, e);
				goto fail;
			}
			if (create_file(path, err) != 0)
				goto fail;
		} else if (S_ISDIR(st.st_mode)) {
			open_err(err, "unable to open database '%s': is a folder", path);
			goto fail;
		}
	}

	if (want_ro) {
		j->ro = 1;
		snprintf(j->ro_reason, sizeof j->ro_reason, "opened read-only");
		rc = mem ? open_db(j, path, SQLITE_OPEN_READONLY) : open_readonly(j);
	} else {
		rc = open_db(j, path, SQLITE_OPEN_READWRITE);
		int prim = rc & 0xff;
		if (!mem && rc == SQLITE_OK && sqlite3_db_readonly(j->db, "main") == 1) {
			j->ro = 1; /* SQLite fell back to read-only: say why */
			note_ro_reason(j);
		} else if (!mem && (prim == SQLITE_CANTOPEN || prim == SQLITE_READONLY)) {
			/* The folder refuses the WAL files: read what we can. */
			note_ro_reason(j);
			j->ro = 1;
			char keep[sizeof j->ro_reason];
			memcpy(keep, j->ro_reason, sizeof keep);
			rc = open_readonly(j);
			memcpy(j->ro_reason, keep, sizeof keep);
		}
	}
	if (rc != SQLITE_OK) {
		open_fail(j, err, rc);
		goto fail;
	}

	if (!j->ro) {
		char mode[32] = "";
		rc = set_wal(j, mem, mode, sizeof mode);
		if (rc != SQLITE_OK) {
			open_fail(j, err, rc);
			goto fail;
		}
		if (!mem && strcmp(mode, "wal") != 0) {
			open_err(err, "unable to use write-ahead logging on database '%s' (mode %s)",
				 path, mode);
			goto fail;
		}
		if (exec(j, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", "configure")) {
			open_err(err, "%s", j->msg);
			goto fail;
		}
	}
	if (ensure_schema(j, err) != 0)
		goto fail;
	j->msg[0] = '\0';
	return j;
fail:
	journal_close(j);
	return NULL;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	if (j->db && !sqlite3_get_autocommit(j->db))
		sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
	close_db(j);
	free(j->path);
	free(j);
}

int journal_set_busy_timeout(struct journal *j, int ms)
{
	int rc = sqlite3_busy_timeout(j->db, ms);
	if (rc != SQLITE_OK)
		return db_fail(j, rc, "configure");
	j->busy_ms = ms;
	return JOURNAL_OK;
}

/* ---------- transactions ---------- */

int journal_begin(struct journal *j)
{
	if (j->ro)
		return ro_fail(j);
	if (!sqlite3_get_autocommit(j->db))
		return set_msg(j, JOURNAL_ERROR, "a transaction is already open on database '%s'",
			       j->path);
	/* IMMEDIATE takes the write lock now, through the busy handler; a
	 * deferred BEGIN that reads and then writes cannot wait (SQLITE_BUSY at
	 * once) and lets two writers decide on the same state. */
	return exec(j, "BEGIN IMMEDIATE", "lock");
}

int journal_commit(struct journal *j)
{
	if (sqlite3_get_autocommit(j->db))
		return set_msg(j, JOURNAL_ERROR, "no transaction to commit on database '%s'", j->path);
	int rc = sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return JOURNAL_OK;
	int jrc = db_fail(j, rc, "commit to");
	/* Never leave the caller inside a half-failed transaction. */
	if (!sqlite3_get_autocommit(j->db))
		sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
	return jrc;
}

int journal_rollback(struct journal *j)
{
	if (sqlite3_get_autocommit(j->db))
		return JOURNAL_OK;
	return exec(j, "ROLLBACK", "roll back");
}

int journal_data_version(struct journal *j, int64_t *out)
{
	int jrc = JOURNAL_OK;
	sqlite3_stmt *s = stmt(j, ST_DATA_VERSION, &jrc);
	if (!s)
		return jrc;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		jrc = JOURNAL_OK;
	} else {
		jrc = db_fail(j, rc, "read");
	}
	done(s);
	return jrc;
}

static int need_write_txn(struct journal *j, const char *what)
{
	if (j->ro)
		return ro_fail(j);
	if (sqlite3_get_autocommit(j->db))
		return set_msg(j, JOURNAL_ERROR, "%s outside a transaction on database '%s'",
			       what, j->path);
	return JOURNAL_OK;
}

/* ---------- incidents ---------- */

void journal_incident_release(struct journal_incident *inc)
{
	if (!inc)
		return;
	free(inc->title);
	free(inc->plan_id);
	free(inc->plan_yaml);
	free(inc->plan_hash);
	inc->title = inc->plan_id = inc->plan_yaml = inc->plan_hash = NULL;
}

int journal_incident_create(struct journal *j, const char *title, const char *plan_id,
			    const char *plan_yaml, size_t yaml_len, const char *plan_hash,
			    int drill, int64_t created_at, int64_t *id)
{
	int jrc = need_write_txn(j, "incident created");
	if (jrc)
		return jrc;
	if (!title || !plan_id || !plan_yaml)
		return set_msg(j, JOURNAL_ERROR, "incident lacks a title, plan or plan text");
	char computed[65];
	if (!plan_hash) {
		sha256_hex(plan_yaml, yaml_len, computed);
		plan_hash = computed;
	}
	sqlite3_stmt *s = stmt(j, ST_NEXT_INCIDENT_ID, &jrc);
	if (!s)
		return jrc;
	int rc = sqlite3_step(s);
	int64_t new_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	done(s);
	if (rc != SQLITE_ROW)
		return db_fail(j, rc, "read");

	struct journal_incident inc = {
		.id = new_id, .title = (char *)title, .plan_id = (char *)plan_id,
		.plan_hash = (char *)plan_hash, .drill = drill ? 1 : 0, .created_at = created_at,
	};
	char genesis[65];
	journal_genesis_hash(&inc, genesis);

	if (!(s = stmt(j, ST_INSERT_INCIDENT, &jrc)))
		return jrc;
	if (!(jrc = bind_i64(j, s, 1, new_id)) &&
	    !(jrc = bind_text(j, s, 2, title, strlen(title))) &&
	    !(jrc = bind_text(j, s, 3, plan_id, strlen(plan_id))) &&
	    !(jrc = bind_text(j, s, 4, plan_yaml, yaml_len)) &&
	    !(jrc = bind_text(j, s, 5, plan_hash, strlen(plan_hash))) &&
	    !(jrc = bind_i64(j, s, 6, inc.drill)) &&
	    !(jrc = bind_i64(j, s, 7, created_at)) &&
	    !(jrc = bind_text(j, s, 8, genesis, 64))) {
		rc = sqlite3_step(s);
		jrc = rc == SQLITE_DONE ? JOURNAL_OK : db_fail(j, rc, "add an incident to");
	}
	done(s);
	if (jrc == JOURNAL_OK && id)
		*id = new_id;
	return jrc;
}

int journal_incident_get(struct journal *j, int64_t id, int with_yaml,
			 struct journal_incident *out)
{
	int jrc = JOURNAL_OK;
	sqlite3_stmt *s = stmt(j, ST_GET_INCIDENT, &jrc);
	if (!s)
		return jrc;
	memset(out, 0, sizeof *out);
	if ((jrc = bind_i64(j, s, 1, id)) || (jrc = bind_i64(j, s, 2, with_yaml ? 1 : 0))) {
		done(s);
		return jrc;
	}
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(s, 0);
		out->title = xstrdup(col_text(s, 1));
		out->plan_id = xstrdup(col_text(s, 2));
		if (with_yaml)
			out->plan_yaml = xstrdup(col_text(s, 3));
		out->plan_hash = xstrdup(col_text(s, 4));
		out->drill = sqlite3_column_int(s, 5);
		out->created_at = sqlite3_column_int64(s, 6);
		jrc = JOURNAL_OK;
	} else if (rc == SQLITE_DONE) {
		jrc = set_msg(j, JOURNAL_NOTFOUND, "no incident %lld", (long long)id);
	} else {
		jrc = db_fail(j, rc, "read");
	}
	done(s);
	return jrc;
}

int journal_incident_ids(struct journal *j, int64_t **ids, size_t *n)
{
	int jrc = JOURNAL_OK;
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *s = stmt(j, ST_INCIDENT_IDS, &jrc);
	if (!s)
		return jrc;
	size_t alloc = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*ids = xgrow(*ids, sizeof **ids, *n + 1, &alloc);
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	done(s);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return db_fail(j, rc, "read");
	}
	return JOURNAL_OK;
}

/* ---------- entries ---------- */

void journal_entry_release(struct journal_entry *e)
{
	if (!e)
		return;
	free(e->actor);
	free(e->role);
	free(e->kind);
	free(e->payload);
	e->actor = e->role = e->kind = e->payload = NULL;
}

/* Fill e from a row of ENTRY_COLUMNS; strings borrowed from the statement. */
static void row_entry(sqlite3_stmt *s, struct journal_entry *e)
{
	e->id = sqlite3_column_int64(s, 0);
	e->incident = sqlite3_column_int64(s, 1);
	e->recorded_at = sqlite3_column_int64(s, 2);
	e->occurred_at = sqlite3_column_int64(s, 3);
	e->actor = (char *)col_text(s, 4);
	e->role = (char *)col_text(s, 5);
	e->kind = (char *)col_text(s, 6);
	e->payload = (char *)col_text(s, 7);
	e->corrects = sqlite3_column_int64(s, 8);
	snprintf(e->prev_hash, sizeof e->prev_hash, "%s", col_text(s, 9));
	snprintf(e->hash, sizeof e->hash, "%s", col_text(s, 10));
}

int journal_entry_get(struct journal *j, int64_t id, struct journal_entry *out)
{
	int jrc = JOURNAL_OK;
	sqlite3_stmt *s = stmt(j, ST_GET_ENTRY, &jrc);
	if (!s)
		return jrc;
	memset(out, 0, sizeof *out);
	if ((jrc = bind_i64(j, s, 1, id))) {
		done(s);
		return jrc;
	}
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		row_entry(s, out);
		out->actor = xstrdup(out->actor);
		out->role = xstrdup(out->role);
		out->kind = xstrdup(out->kind);
		out->payload = xstrdup(out->payload);
		jrc = JOURNAL_OK;
	} else if (rc == SQLITE_DONE) {
		jrc = set_msg(j, JOURNAL_NOTFOUND, "no journal entry %lld", (long long)id);
	} else {
		jrc = db_fail(j, rc, "read");
	}
	done(s);
	return jrc;
}

/* The genesis hash stored for an incident (NOTFOUND when no such incident). */
static int incident_genesis(struct journal *j, int64_t incident, char out[65])
{
	int jrc = JOURNAL_OK;
	sqlite3_stmt *s = stmt(j, ST_INCIDENT_GENESIS, &jrc);
	if (!s)
		return jrc;
	if ((jrc = bind_i64(j, s, 1, incident))) {
		done(s);
		return jrc;
	}
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(out, 65, "%s", col_text(s, 0));
		jrc = JOURNAL_OK;
	} else if (rc == SQLITE_DONE) {
		jrc = set_msg(j, JOURNAL_NOTFOUND, "no incident %lld", (long long)incident);
	} else {
		jrc = db_fail(j, rc, "read");
	}
	done(s);
	return jrc;
}

int journal_head(struct journal *j, int64_t incident, int64_t *last_id, char head[65])
{
	char genesis[65];
	int jrc = incident_genesis(j, incident, genesis);
	if (jrc)
		return jrc;
	sqlite3_stmt *s = stmt(j, ST_HEAD, &jrc);
	if (!s)
		return jrc;
	if ((jrc = bind_i64(j, s, 1, incident))) {
		done(s);
		return jrc;
	}
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (last_id)
			*last_id = sqlite3_column_int64(s, 0);
		if (head)
			snprintf(head, 65, "%s", col_text(s, 1));
		jrc = JOURNAL_OK;
	} else if (rc == SQLITE_DONE) {
		if (last_id)
			*last_id = 0;
		if (head)
			memcpy(head, genesis, 65);
		jrc = JOURNAL_OK;
	} else {
		jrc = db_fail(j, rc, "read");
	}
	done(s);
	return jrc;
}

int journal_append(struct journal *j, struct journal_entry *e)
{
	int jrc = need_write_txn(j, "entry appended");
	if (jrc)
		return jrc;
	if (!e->actor || !e->actor[0] || !e->kind || !e->kind[0])
		return set_msg(j, JOURNAL_ERROR, "journal entry lacks an actor or a kind");
	if (e->occurred_at > e->recorded_at)
		return set_msg(j, JOURNAL_ERROR, "journal entry occurred after it was recorded");
	const char *role = e->role ? e->role : "";
	const char *payload = e->payload ? e->payload : "{}";

	if (e->corrects) {
		sqlite3_stmt *c = stmt(j, ST_ENTRY_INCIDENT, &jrc);
		if (!c)
			return jrc;
		if ((jrc = bind_i64(j, c, 1, e->corrects))) {
			done(c);
			return jrc;
		}
		int rc = sqlite3_step(c);
		int64_t inc = rc == SQLITE_ROW ? sqlite3_column_int64(c, 0) : 0;
		done(c);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_fail(j, rc, "read");
		if (rc == SQLITE_DONE || inc != e->incident)
			return set_msg(j, JOURNAL_NOTFOUND, "entry %lld to correct is not in incident %lld",
				       (long long)e->corrects, (long long)e->incident);
	}

	char prev[65];
	if ((jrc = journal_head(j, e->incident, NULL, prev)))
		return jrc;
	sqlite3_stmt *s = stmt(j, ST_NEXT_ENTRY_ID, &jrc);
	if (!s)
		return jrc;
	int rc = sqlite3_step(s);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	done(s);
	if (rc != SQLITE_ROW)
		return db_fail(j, rc, "read");

	struct journal_entry n = *e;
	n.id = id;
	n.role = (char *)role;
	n.payload = (char *)payload;
	char hash[65];
	if (journal_entry_hash(prev, &n, hash) != 0)
		return set_msg(j, JOURNAL_CORRUPT, "incident %lld has a malformed head hash",
			       (long long)e->incident);

	if (!(s = stmt(j, ST_INSERT_ENTRY, &jrc)))
		return jrc;
	if (!(jrc = bind_i64(j, s, 1, id)) &&
	    !(jrc = bind_i64(j, s, 2, e->incident)) &&
	    !(jrc = bind_i64(j, s, 3, e->recorded_at)) &&
	    !(jrc = bind_i64(j, s, 4, e->occurred_at)) &&
	    !(jrc = bind_text(j, s, 5, e->actor, strlen(e->actor))) &&
	    !(jrc = bind_text(j, s, 6, role, strlen(role))) &&
	    !(jrc = bind_text(j, s, 7, e->kind, strlen(e->kind))) &&
	    !(jrc = bind_text(j, s, 8, payload, strlen(payload))) &&
	    !(jrc = e->corrects ? bind_i64(j, s, 9, e->corrects) : JOURNAL_OK) &&
	    !(jrc = bind_text(j, s, 10, prev, 64)) &&
	    !(jrc = bind_text(j, s, 11, hash, 64))) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_DONE)
			jrc = JOURNAL_OK;
		else if (rc == SQLITE_CONSTRAINT_CHECK)
			jrc = set_msg(j, JOURNAL_ERROR, "journal entry payload is not valid JSON");
		else
			jrc = db_fail(j, rc, "append to");
	}
	done(s);
	if (jrc == JOURNAL_OK) {
		e->id = id;
		memcpy(e->prev_hash, prev, 65);
		memcpy(e->hash, hash, 65);
	}
	return jrc;
}

int journal_each(struct journal *j, int64_t incident, int64_t after_occ, int64_t after_id,
		 int64_t upto, journal_entry_fn fn, void *ctx)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(j->db,
		"SELECT " ENTRY_COLUMNS " FROM entries WHERE incident = ?1 AND occurred_at <= ?2"
		" AND (occurred_at, id) > (?3, ?4) ORDER BY occurred_at, id", -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 1, incident);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 2, upto);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 3, after_occ);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 4, after_id);
	if (rc != SQLITE_OK) {
		int jrc = db_fail(j, rc, "read");
		sqlite3_finalize(s);
		return jrc;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct journal_entry e;
		row_entry(s, &e);
		if (fn(&e, ctx)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	int jrc = rc == SQLITE_DONE ? JOURNAL_OK : db_fail(j, rc, "read");
	sqlite3_finalize(s);
	return jrc;
}

int journal_min_occurred_since(struct journal *j, int64_t incident, int64_t after_id,
			       int64_t *out)
{
	int jrc = JOURNAL_OK;
	sqlite3_stmt *s = stmt(j, ST_MIN_OCC, &jrc);
	if (!s)
		return jrc;
	if ((jrc = bind_i64(j, s, 1, incident)) || (jrc = bind_i64(j, s, 2, after_id))) {
		done(s);
		return jrc;
	}
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_type(s, 0) == SQLITE_NULL ? INT64_MAX
							      : sqlite3_column_int64(s, 0);
		jrc = JOURNAL_OK;
	} else {
		jrc = db_fail(j, rc, "read");
	}
	done(s);
	return jrc;
}

/* ---------- checkpoints ---------- */

void journal_checkpoint_release(struct journal_checkpoint *cp)
{
	if (!cp)
		return;
	free(cp->blob);
	cp->blob = NULL;
	cp->len = 0;
}

int journal_checkpoint_get(struct journal *j, int64_t incident, struct journal_checkpoint *out)
{
	int jrc = JOURNAL_OK;
	sqlite3_stmt *s = stmt(j, ST_CP_GET, &jrc);
	if (!s)
		return jrc;
	memset(out, 0, sizeof *out);
	if ((jrc = bind_i64(j, s, 1, incident))) {
		done(s);
		return jrc;
	}
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->max_id = sqlite3_column_int64(s, 0);
		out->pos_occ = sqlite3_column_int64(s, 1);
		out->pos_id = sqlite3_column_int64(s, 2);
		const void *b = sqlite3_column_blob(s, 3);
		int len = sqlite3_column_bytes(s, 3);
		if (b && len > 0) {
			out->blob = xmalloc((size_t)len);
			memcpy(out->blob, b, (size_t)len);
			out->len = (size_t)len;
		}
		jrc = JOURNAL_OK;
	} else if (rc == SQLITE_DONE) {
		jrc = set_msg(j, JOURNAL_NOTFOUND, "no checkpoint for incident %lld", (long long)incident);
	} else {
		jrc = db_fail(j, rc, "read");
	}
	done(s);
	return jrc;
}

int journal_checkpoint_put(struct journal *j, int64_t incident, const struct journal_checkpoint *cp)
{
	if (j->ro)
		return ro_fail(j);
	if (cp->len > INT_MAX)
		return set_msg(j, JOURNAL_ERROR, "checkpoint too large for database '%s'", j->path);
	int jrc = JOURNAL_OK;
	sqlite3_stmt *s = stmt(j, ST_CP_PUT, &jrc);
	if (!s)
		return jrc;
	int rc = sqlite3_bind_int64(s, 1, incident);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 2, cp->max_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 3, cp->pos_occ);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 4, cp->pos_id);
	if (rc == SQLITE_OK)
		rc = cp->len ? sqlite3_bind_blob(s, 5, cp->blob, (int)cp->len, SQLITE_STATIC)
			     : sqlite3_bind_zeroblob(s, 5, 0);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	jrc = rc == SQLITE_DONE ? JOURNAL_OK : db_fail(j, rc, "write a checkpoint to");
	done(s);
	return jrc;
}

/* ---------- verification ---------- */

static int verify_incident(struct journal *j, int64_t incident, const char *head,
			   int64_t *bad_id, struct strbuf *msg)
{
	struct journal_incident inc;
	int jrc = journal_incident_get(j, incident, 1, &inc);
	if (jrc)
		return jrc;
	char plan_hash[65], stored[65], want[65];
	journal_genesis_hash(&inc, want);
	jrc = incident_genesis(j, incident, stored);
	if (!jrc) {
		sha256_hex(inc.plan_yaml, strlen(inc.plan_yaml), plan_hash);
		if (strcmp(stored, want) != 0) {
			*bad_id = 0;
			sb_addf(msg, "incident %lld: the incident row does not match its genesis hash"
				" (title, plan, drill flag or creation time edited)", (long long)incident);
			jrc = JOURNAL_CORRUPT;
		} else if (strcmp(plan_hash, inc.plan_hash) != 0) {
			*bad_id = 0;
			sb_addf(msg, "incident %lld: the stored plan text does not match its plan hash",
				(long long)incident);
			jrc = JOURNAL_CORRUPT;
		}
	}
	journal_incident_release(&inc);
	if (jrc)
		return jrc;

	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(j->db, "SELECT " ENTRY_COLUMNS ","
		" (SELECT c.incident FROM entries c WHERE c.id = entries.corrects)"
		" FROM entries WHERE incident = ?1 ORDER BY id", -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 1, incident);
	char prev[65];
	int64_t last_id = 0;
	/* a kept head anchors the chain: it must be the hash of an entry in it
	 * (or the genesis). Entries appended after it was kept are fine; a cut
	 * that removed it is not. */
	int head_seen = head && strcmp(head, stored) == 0;
	memcpy(prev, stored, 65);
	while (rc == SQLITE_OK || rc == SQLITE_ROW) {
		if ((rc = sqlite3_step(s)) != SQLITE_ROW)
			break;
		struct journal_entry e;
		row_entry(s, &e);
		char h[65];
		if (journal_entry_hash(e.prev_hash, &e, h) != 0 || strcmp(h, e.hash) != 0) {
			sb_addf(msg, "incident %lld: entry %lld does not match its hash (edited, moved or"
				" inserted by hand)",
				(long long)incident, (long long)e.id);
		} else if (strcmp(e.prev_hash, prev) != 0) {
			sb_addf(msg, "incident %lld: entry %lld does not follow %s (an entry before it"
				" was deleted, inserted or moved)", (long long)incident, (long long)e.id,
				last_id ? "the entry before it" : "the incident's genesis");
		} else if (e.corrects && (e.corrects >= e.id ||
					  sqlite3_column_int64(s, 11) != incident)) {
			sb_addf(msg, "incident %lld: entry %lld corrects entry %lld, which is not an"
				" earlier entry of the incident", (long long)incident, (long long)e.id,
				(long long)e.corrects);
		} else {
			memcpy(prev, e.hash, 65);
			last_id = e.id;
			head_seen |= head && strcmp(head, e.hash) == 0;
			continue;
		}
		*bad_id = e.id;
		sqlite3_finalize(s);
		return JOURNAL_CORRUPT;
	}
	jrc = rc == SQLITE_DONE ? JOURNAL_OK : db_fail(j, rc, "read");
	sqlite3_finalize(s);
	if (jrc)
		return jrc;
	if (head && !head_seen) {
		*bad_id = last_id;
		sb_addf(msg, "incident %lld: the kept head %s is not in the chain, whose head is %s"
			" (entries were removed from the end)", (long long)incident, head, prev);
		return JOURNAL_CORRUPT;
	}
	return JOURNAL_OK;
}

int journal_verify(struct journal *j, int64_t incident, const char *head,
		   int64_t *bad_id, struct strbuf *msg)
{
	int64_t dummy;
	if (!bad_id)
		bad_id = &dummy;
	*bad_id = 0;
	if (incident > 0) {
		int jrc = verify_incident(j, incident, head, bad_id, msg);
		if (jrc && jrc != JOURNAL_CORRUPT)
			sb_adds(msg, j->msg);
		return jrc;
	}
	if (head) {
		sb_adds(msg, "a kept head belongs to one incident: name the incident");
		return set_msg(j, JOURNAL_ERROR, "a kept head belongs to one incident");
	}
	/* Entries whose incident row is missing cannot be in any chain. */
	int64_t orphans = 0;
	int jrc = query_i64(j, "SELECT coalesce(min(id), 0) FROM entries WHERE incident NOT IN"
			    " (SELECT id FROM incidents)", &orphans);
	if (!jrc && orphans) {
		*bad_id = orphans;
		sb_addf(msg, "entry %lld belongs to no incident", (long long)orphans);
		return JOURNAL_CORRUPT;
	}
	/* In id order, so the first bad entry reported is the oldest one. */
	sqlite3_stmt *s = NULL;
	int64_t *ids = NULL;
	size_t n = 0, alloc = 0;
	int rc = SQLITE_DONE;
	if (!jrc) {
		rc = sqlite3_prepare_v2(j->db, "SELECT id FROM incidents ORDER BY id", -1, &s, NULL);
		while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
			rc = SQLITE_OK;
			ids = xgrow(ids, sizeof *ids, n + 1, &alloc);
			ids[n++] = sqlite3_column_int64(s, 0);
		}
		if (rc != SQLITE_DONE)
			jrc = db_fail(j, rc, "read");
		sqlite3_finalize(s);
	}
	for (size_t i = 0; !jrc && i < n; i++)
		jrc = verify_incident(j, ids[i], NULL, bad_id, msg);
	free(ids);
	if (jrc && jrc != JOURNAL_CORRUPT)
		sb_adds(msg, j->msg);
	return jrc;
}

/* ---------- for tests and tools ---------- */

int journal_exec_unchecked(struct journal *j, const char *sql)
{
	return exec(j, sql, "run SQL on");
}

int journal_query_text(struct journal *j, const char *sql, struct strbuf *out)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(j->db, sql, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			sb_adds(out, col_text(s, 0));
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			rc = SQLITE_OK;
		}
	}
	int jrc = rc == SQLITE_OK ? JOURNAL_OK : db_fail(j, rc, "read");
	sqlite3_finalize(s);
	return jrc;
}
