/* journal_pg: the PostgreSQL backend of the journal, and the only file that
 * includes <libpq-fe.h>. It moves rows in and out of one database (the
 * first schema of the connection's search_path), keeps its schema (version
 * 3, the SQLite backend's, table for table), takes the incident's row lock
 * for the rule check, NOTIFYs each commit to the consoles of every site,
 * reconnects a lost connection and answers what only its SQL can: the JSON
 * readings of a payload. The rules live in journal.c; the format, the
 * roles and the privileges: docs/journal-format.md, docs/deployment.md.
 *
 * Round trips are what costs here (a site may be far from the database):
 * every statement is prepared once per connection, a transaction's entries
 * and their readings go in batches of one statement, reads come in keyset
 * pages that grow, and values travel in binary (no text to parse, doubles
 * exact). */

#include "journal_int.h"

#ifdef SITREP_HAVE_LIBPQ

#include <inttypes.h>
#include <libpq-fe.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sitrep/util.h"

/* ---------- libpq, loaded when first needed ----------
 * libpq comes with some thirty libraries (TLS, Kerberos, LDAP, ...): linked
 * at start-up they cost every command milliseconds of dynamic linking, and
 * most sites never open a URL. So it is loaded (dlopen) when the first URL
 * is opened; the prototypes are <libpq-fe.h>'s, the calls go through this
 * table (the names below are macros for its members). */
#include <dlfcn.h>

#define PQ_FUNCS(X)                                                                      \
	X(PQclear) X(PQgetvalue) X(PQntuples) X(PQgetisnull) X(PQresultErrorField)       \
	X(PQgetlength) X(PQstatus) X(PQtransactionStatus) X(PQexec) X(PQfinish)         \
	X(PQresultStatus) X(PQerrorMessage) X(PQnfields) X(PQnotifies) X(PQisBusy)      \
	X(PQfreemem) X(PQconsumeInput) X(PQsocket) X(PQsetNoticeReceiver) X(PQprepare)  \
	X(PQexecPrepared) X(PQexecParams) X(PQescapeIdentifier) X(PQconnectdbParams)    \
	X(PQcmdTuples) X(PQcmdStatus) X(PQbackendPID) X(PQisthreadsafe)

static struct {
#define X(f) __typeof__(f) *f;
	PQ_FUNCS(X)
#undef X
} pq;
static int pq_loaded;

/* The soname Debian's libpq5 ships; SITREP_LIBPQ names another file. */
#define LIBPQ_SONAME "libpq.so.5"

static int pq_load(struct sitrep_error *err)
{
	const char *name = getenv("SITREP_LIBPQ");
	void *h;

	if (pq_loaded)
		return JOURNAL_OK;
	if (!name || !*name)
		name = LIBPQ_SONAME;
	h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return journal_fail(err, JOURNAL_ERROR, "PostgreSQL needs libpq, which cannot be "
				    "loaded (Debian: apt-get install libpq5): %s", dlerror());
#define X(f)                                                                             \
	{                                                                                \
		void *sym = dlsym(h, #f);                                                \
		if (!sym) {                                                              \
			dlclose(h);                                                      \
			return journal_fail(err, JOURNAL_ERROR, "the libpq loaded from '%s'" \
					    " lacks %s: too old for sitrep", name, #f);     \
		}                                                                        \
		memcpy(&pq.f, &sym, sizeof pq.f);                                        \
	}
	PQ_FUNCS(X)
#undef X
	pq_loaded = 1; /* kept for the life of the process */
	return JOURNAL_OK;
}

#define PQclear (pq.PQclear)
#define PQgetvalue (pq.PQgetvalue)
#define PQntuples (pq.PQntuples)
#define PQgetisnull (pq.PQgetisnull)
#define PQresultErrorField (pq.PQresultErrorField)
#define PQgetlength (pq.PQgetlength)
#define PQstatus (pq.PQstatus)
#define PQtransactionStatus (pq.PQtransactionStatus)
#define PQexec (pq.PQexec)
#define PQfinish (pq.PQfinish)
#define PQresultStatus (pq.PQresultStatus)
#define PQerrorMessage (pq.PQerrorMessage)
#define PQnfields (pq.PQnfields)
#define PQnotifies (pq.PQnotifies)
#define PQisBusy (pq.PQisBusy)
#define PQfreemem (pq.PQfreemem)
#define PQconsumeInput (pq.PQconsumeInput)
#define PQsocket (pq.PQsocket)
#define PQsetNoticeReceiver (pq.PQsetNoticeReceiver)
#define PQprepare (pq.PQprepare)
#define PQexecPrepared (pq.PQexecPrepared)
#define PQexecParams (pq.PQexecParams)
#define PQescapeIdentifier (pq.PQescapeIdentifier)
#define PQconnectdbParams (pq.PQconnectdbParams)
#define PQcmdTuples (pq.PQcmdTuples)
#define PQcmdStatus (pq.PQcmdStatus)
#define PQbackendPID (pq.PQbackendPID)
#define PQisthreadsafe (pq.PQisthreadsafe)

#define SCHEMA_VERSION 3
/* pg_advisory_xact_lock(LOCK_CLASS, n): "sitr" in ASCII, as the SQLite
 * journal's application_id. */
#define LOCK_CLASS 1936290930
#define LOCK_SCHEMA 0                /* making the schema */
#define LOCK_IDS 1                   /* handing out incident and entry ids */
#define CHANNEL "sitrep"             /* LISTEN/NOTIFY; the payload is the incident id */
#define JSON_MAX_DEPTH 2000          /* SQLite's json_valid refuses deeper nesting */
#define RECONNECT_EVERY 2            /* seconds between attempts of journal_changed */
#define PAGE_FIRST 64                /* entries in a cursor's first page */
#define PAGE_MAX 4096                /* ... growing to this */

/* Built-in type oids (fixed in pg_type.dat since PostgreSQL 7). */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_TEXT 25

/* ---------- the schema ---------- */

#define GUARDS(table, what) \
	"CREATE TRIGGER " table "_no_update BEFORE UPDATE ON " table \
	" FOR EACH STATEMENT EXECUTE FUNCTION sitrep_append_only('" what "');\n" \
	"CREATE TRIGGER " table "_no_delete BEFORE DELETE ON " table \
	" FOR EACH STATEMENT EXECUTE FUNCTION sitrep_append_only('" what "');\n" \
	"CREATE TRIGGER " table "_no_truncate BEFORE TRUNCATE ON " table \
	" FOR EACH STATEMENT EXECUTE FUNCTION sitrep_append_only('" what "');\n"

/* Version 3, the SQLite schema in PostgreSQL's types: the same columns in
 * the same order, the same indexes, the same guards (and TRUNCATE, which
 * fires no DELETE trigger). The lock function follows, then the meta rows. */
static const char schema_head[] =
	"CREATE TABLE sitrep_meta (\n"
	"  name text PRIMARY KEY,\n"
	"  value text NOT NULL\n"
	");\n"
	"CREATE TABLE incidents (\n"
	"  id bigint PRIMARY KEY,\n"
	"  title text NOT NULL,\n"
	"  plan_id text NOT NULL,\n"
	"  plan_text bytea NOT NULL,\n"
	"  plan_len bigint NOT NULL,\n"
	"  plan_hash text NOT NULL,\n"
	"  drill smallint NOT NULL CHECK (drill IN (0, 1)),\n"
	"  created_at bigint NOT NULL,\n"
	"  genesis text NOT NULL,\n"
	"  CHECK (octet_length(plan_text) = plan_len)\n"
	");\n"
	"CREATE TABLE entries (\n"
	"  id bigint PRIMARY KEY,\n"
	"  incident bigint NOT NULL REFERENCES incidents (id),\n"
	"  recorded_at bigint NOT NULL,\n"
	"  occurred_at bigint NOT NULL,\n"
	"  actor text NOT NULL,\n"
	"  role text NOT NULL,\n"
	"  kind text NOT NULL,\n"
	"  payload json NOT NULL,\n"
	"  corrects bigint REFERENCES entries (id),\n"
	"  prev_hash text NOT NULL,\n"
	"  hash text NOT NULL\n"
	");\n"
	"CREATE INDEX entries_by_id ON entries (incident, id);\n"
	"CREATE INDEX entries_by_time ON entries (incident, occurred_at, id);\n"
	"CREATE TABLE readings (\n"
	"  entry bigint NOT NULL REFERENCES entries (id),\n"
	"  incident bigint NOT NULL,\n"
	"  occurred_at bigint NOT NULL,\n"
	"  seq integer NOT NULL,\n"
	"  metric text NOT NULL,\n"
	"  value double precision NOT NULL,\n"
	"  PRIMARY KEY (entry, seq)\n"
	");\n"
	"CREATE INDEX readings_by_metric ON readings (incident, metric, occurred_at, entry);\n"
	"CREATE INDEX entries_by_kind ON entries (incident, kind, occurred_at, id);\n"
	"CREATE TABLE snapshots (\n"
	"  incident bigint NOT NULL REFERENCES incidents (id),\n"
	"  pos_occ bigint NOT NULL,\n"
	"  pos_id bigint NOT NULL,\n"
	"  max_id bigint NOT NULL,\n"
	"  hash text NOT NULL,\n"
	"  blob bytea NOT NULL,\n"
	"  PRIMARY KEY (incident, pos_occ, pos_id)\n"
	");\n"
	"CREATE FUNCTION sitrep_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$\n"
	"BEGIN\n"
	"  RAISE EXCEPTION '% are append-only', TG_ARGV[0];\n"
	"END\n"
	"$f$;\n"
	GUARDS("incidents", "incidents")
	GUARDS("entries", "journal entries")
	GUARDS("readings", "readings")
	/* FOR UPDATE needs the UPDATE privilege, which writers must not have:
	 * the lock is taken by a function that runs as the journal's owner.
	 * Its search_path is pinned to the journal's schema (appended here). */
	"CREATE FUNCTION sitrep_lock_incident(bigint) RETURNS bigint LANGUAGE sql\n"
	"  SECURITY DEFINER SET search_path = ";
static const char schema_tail[] =
	", pg_temp\n"
	"  AS $f$ SELECT id FROM incidents WHERE id = $1 FOR UPDATE $f$;\n"
	"REVOKE ALL ON FUNCTION sitrep_lock_incident(bigint) FROM PUBLIC;\n"
	"INSERT INTO sitrep_meta (name, value) VALUES ('application', 'sitrep'),"
	" ('schema_version', '3'),"
	" ('journal_id', md5(random()::text || clock_timestamp()::text || pg_backend_pid()));\n";

/* What the connection finds where the journal should be: one statement. */
static const char info_sql[] =
	"SELECT current_schema(),"
	" (SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
	"  ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
	"  AND c.relname = 'sitrep_meta'),"
	" (SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_catalog.pg_class c"
	"  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	"  WHERE n.nspname = current_schema() AND c.relname IN"
	"  ('incidents', 'entries', 'readings', 'snapshots')),"
	" pg_catalog.pg_is_in_recovery(),"
	" pg_catalog.current_setting('server_encoding'),"
	" pg_catalog.current_setting('server_version_num')::int,"
	" current_user";

static const char meta_sql[] =
	"SELECT (SELECT value FROM sitrep_meta WHERE name = 'application'),"
	" (SELECT value FROM sitrep_meta WHERE name = 'schema_version'),"
	" (SELECT value FROM sitrep_meta WHERE name = 'journal_id'),"
	" coalesce(has_table_privilege(to_regclass('entries'), 'INSERT')"
	"  AND has_table_privilege(to_regclass('readings'), 'INSERT'), false),"
	" coalesce(has_function_privilege(to_regprocedure('sitrep_lock_incident(bigint)'),"
	"  'EXECUTE'), false)";

/* ---------- statements ---------- */

#define FOLD(x) "translate(" x ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
#define ENTRY_COLS \
	"e.id, e.incident, e.recorded_at, e.occurred_at, e.actor, e.role, e.kind," \
	" CASE WHEN $5 THEN e.payload::text END, coalesce(e.corrects, 0)," \
	" CASE WHEN $6 THEN e.prev_hash END, CASE WHEN $6 THEN e.hash END"
/* contains ($9) comes folded; translate() folds ASCII only, as tx_match
 * does (lower() would follow the database's locale). */
#define FILTERS \
	" AND e.occurred_at <= $4 AND ($7::text IS NULL OR e.kind = $7)" \
	" AND (NOT $8 OR e.kind NOT IN " JOURNAL_READ_KINDS_SQL ")" \
	" AND ($9::text IS NULL OR strpos(" FOLD("e.payload::text") ", $9) > 0" \
	" OR strpos(" FOLD("e.actor") ", $9) > 0 OR strpos(" FOLD("e.kind") ", $9) > 0)"
#define AT_POS_ASC " WHERE e.incident = $1 AND (e.occurred_at, e.id) > ($2, $3)" FILTERS
#define AT_POS_DESC " WHERE e.incident = $1 AND (e.occurred_at, e.id) < ($2, $3)" FILTERS
#define AT_ID_ASC " WHERE e.incident = $1 AND e.id > $3" FILTERS
#define AT_ID_DESC " WHERE e.incident = $1 AND e.id < $3" FILTERS
/* With a kind, the walk is the (incident, kind, occurred_at, id) index: the
 * few corrections or level changes among a million readings are found
 * without reading the readings (a plan for any kind could not use it). */
#define AT_KIND_ASC " WHERE e.incident = $1 AND e.kind = $7 AND (e.occurred_at, e.id) > ($2, $3)" \
	FILTERS
#define AT_KIND_DESC " WHERE e.incident = $1 AND e.kind = $7 AND (e.occurred_at, e.id) < ($2, $3)" \
	FILTERS
#define BY_POS_ASC " ORDER BY e.occurred_at, e.id"
#define BY_POS_DESC " ORDER BY e.occurred_at DESC, e.id DESC"
#define BY_ID_ASC " ORDER BY e.id"
#define BY_ID_DESC " ORDER BY e.id DESC"
/* A page: LIMIT entries ($10), with their readings joined after the limit,
 * so that a page never splits an entry's readings. Each entry's readings
 * are looked up by their key: given a large page, the planner would rather
 * hash the whole readings table, once per page (OFFSET 0 keeps it from
 * flattening the subquery into that join). */
#define PLAIN(where, order) "SELECT " ENTRY_COLS " FROM entries e" where order " LIMIT $10"
#define READINGS_OF_E \
	" LEFT JOIN LATERAL (SELECT x.seq, x.metric, x.value FROM readings x" \
	" WHERE x.entry = e.id ORDER BY x.seq OFFSET 0) r ON true"
#define JOINED(where, order) \
	"SELECT " ENTRY_COLS ", r.seq, r.metric, r.value FROM (SELECT * FROM entries e" where \
	order " LIMIT $10) e" READINGS_OF_E order ", r.seq"
/* In id order (verify, entry_get, migrate) with the payload, each entry
 * also brings what PostgreSQL's parser reads in its payload's `readings`,
 * as ST_PAYLOAD_READINGS would (obj: NULL no such member, false not an
 * object; then the members' keys, number texts and whether each is a
 * number): verify asks that of every entry, and would pay a round trip
 * each. Only for payloads that may hold readings (the word, or an escape
 * that could spell it), as journal.c asks. */
#define PARSED_OF_E \
	" LEFT JOIN LATERAL (SELECT t.obj," \
	" array_agg(m.key ORDER BY m.n) FILTER (WHERE m.key IS NOT NULL) AS k," \
	" array_agg(m.value::text ORDER BY m.n) FILTER (WHERE m.key IS NOT NULL) AS v," \
	" array_agg(json_typeof(m.value) = 'number' ORDER BY m.n)" \
	" FILTER (WHERE m.key IS NOT NULL) AS num" \
	" FROM (SELECT json_typeof(f.value) = 'object' AS obj, f.value" \
	" FROM json_each(CASE WHEN NOT $5 THEN '{}'" \
	" WHEN strpos(e.payload::text, 'readings') = 0 AND strpos(e.payload::text, '\\') = 0" \
	" THEN '{}' WHEN json_typeof(e.payload) = 'object' THEN e.payload ELSE '{}' END)" \
	" WITH ORDINALITY AS f (key, value, n) WHERE f.key = 'readings' ORDER BY f.n LIMIT 1) t" \
	" LEFT JOIN LATERAL json_each(CASE WHEN t.obj THEN t.value ELSE '{}' END)" \
	" WITH ORDINALITY AS m (key, value, n) ON true GROUP BY t.obj) p ON true"
#define JOINED_PARSED(where, order) \
	"SELECT " ENTRY_COLS ", r.seq, r.metric, r.value, p.obj, p.k, p.v, p.num" \
	" FROM (SELECT * FROM entries e" where order " LIMIT $10) e" PARSED_OF_E READINGS_OF_E \
	order ", r.seq"

enum stmt_id {
	ST_CLOCK,
	ST_LOCK_INCIDENT,
	ST_INCIDENT_INSERT,
	ST_INCIDENT_GET,
	ST_INCIDENTS,
	ST_HEAD,
	ST_HEAD_FULL,
	ST_ENTRY_LOCATE,
	ST_ENTRIES_INSERT,
	ST_PAYLOAD_READINGS,
	ST_SNAP_PUT,
	ST_SNAP_BEFORE,
	ST_SNAP_LAST,
	ST_METRIC_LATEST,
	ST_SNAP_DROP,
	/* cursors: base + (descending | by_id << 1 | readings << 2) */
	ST_CURSOR,
	/* cursors of one kind in position order: base + (descending | readings << 1) */
	ST_CURSOR_KIND = ST_CURSOR + 8,
	ST__COUNT = ST_CURSOR_KIND + 4
};

static const char *const stmt_sql[ST__COUNT] = {
	[ST_CLOCK] = "SELECT floor(extract(epoch FROM clock_timestamp()))::bigint",
	[ST_LOCK_INCIDENT] = "SELECT sitrep_lock_incident($1::bigint)",
	[ST_INCIDENT_INSERT] = "INSERT INTO incidents (id, title, plan_id, plan_text, plan_len,"
			       " plan_hash, drill, created_at, genesis) VALUES ($1::bigint,"
			       " $2::text, $3::text, $4::bytea, $5::bigint, $6::text,"
			       " $7::smallint, $8::bigint, $9::text) ON CONFLICT (id) DO NOTHING",
	[ST_INCIDENT_GET] = "SELECT id, title, plan_id, CASE WHEN $2::boolean THEN plan_text END,"
			    " plan_len, plan_hash, drill, created_at, genesis FROM incidents"
			    " WHERE id = $1::bigint",
	[ST_INCIDENTS] = "SELECT id, title, plan_id, NULL::bytea, plan_len, plan_hash, drill,"
			 " created_at, genesis FROM incidents"
			 " WHERE (created_at, id) < ($1::bigint, $2::bigint)"
			 " ORDER BY created_at DESC, id DESC LIMIT $3::bigint",
	[ST_HEAD] = "SELECT i.genesis, l.id, l.hash, l.recorded_at FROM incidents i"
		    " LEFT JOIN LATERAL (SELECT id, hash, recorded_at FROM entries"
		    " WHERE incident = i.id ORDER BY id DESC LIMIT 1) l ON true"
		    " WHERE i.id = $1::bigint",
	[ST_HEAD_FULL] = "SELECT i.genesis, l.id, l.hash, l.recorded_at,"
			 " CASE WHEN $2::bigint = 1 THEN (SELECT count(*) FROM entries"
			 " WHERE incident = i.id) ELSE -1 END,"
			 " p.occurred_at, p.id FROM incidents i"
			 " LEFT JOIN LATERAL (SELECT id, hash, recorded_at FROM entries"
			 " WHERE incident = i.id ORDER BY id DESC LIMIT 1) l ON true"
			 " LEFT JOIN LATERAL (SELECT occurred_at, id FROM entries"
			 " WHERE incident = i.id ORDER BY occurred_at DESC, id DESC LIMIT 1) p"
			 " ON true WHERE i.id = $1::bigint",
	[ST_ENTRY_LOCATE] = "SELECT incident, occurred_at, hash FROM entries WHERE id = $1::bigint",
	/* A transaction's entries and their readings, in one statement: a
	 * column each, as arrays (struct batch). */
	[ST_ENTRIES_INSERT] = "WITH e AS (INSERT INTO entries (id, incident, recorded_at,"
			      " occurred_at, actor, role, kind, payload, corrects, prev_hash, hash)"
			      " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[],"
			      " $4::bigint[], $5::text[], $6::text[], $7::text[], $8::json[],"
			      " $9::bigint[], $10::text[], $11::text[])"
			      " ON CONFLICT (id) DO NOTHING RETURNING 1),"
			      " r AS (INSERT INTO readings (entry, incident, occurred_at, seq, metric,"
			      " value) SELECT * FROM unnest($12::bigint[], $13::bigint[],"
			      " $14::bigint[], $15::integer[], $16::text[], $17::float8[]))"
			      " SELECT count(*) FROM e",
	/* The members of the payload's first top-level member `readings`
	 * (keys decoded); a `readings` that is not an object comes back as
	 * one row marked so. A payload that is not an object has none. */
	[ST_PAYLOAD_READINGS] = "SELECT r.key, r.value::text, json_typeof(r.value) = 'number',"
				" json_typeof(t.value) = 'object' FROM (SELECT x.value"
				" FROM json_each(CASE WHEN json_typeof($1::json) = 'object'"
				" THEN $1::json ELSE '{}' END) WITH ORDINALITY AS x (key, value, n)"
				" WHERE x.key = 'readings' ORDER BY x.n LIMIT 1) t,"
				" LATERAL json_each(CASE WHEN json_typeof(t.value) = 'object'"
				" THEN t.value ELSE '{\"\":0}' END) WITH ORDINALITY AS r (key, value, n)"
				" ORDER BY r.n",
	[ST_SNAP_PUT] = "INSERT INTO snapshots (incident, pos_occ, pos_id, max_id, hash, blob)"
			" VALUES ($1::bigint, $2::bigint, $3::bigint, $4::bigint, $5::text, $6::bytea)"
			" ON CONFLICT (incident, pos_occ, pos_id) DO UPDATE SET max_id = excluded.max_id,"
			" hash = excluded.hash, blob = excluded.blob",
	[ST_SNAP_BEFORE] = "SELECT pos_occ, pos_id, max_id, hash, blob FROM snapshots"
			   " WHERE incident = $1::bigint AND (pos_occ, pos_id) <= ($2::bigint, $3::bigint)"
			   " ORDER BY pos_occ DESC, pos_id DESC LIMIT $4::bigint",
	[ST_SNAP_LAST] = "SELECT pos_occ, pos_id FROM snapshots WHERE incident = $1::bigint"
			 " ORDER BY pos_occ DESC, pos_id DESC LIMIT 1",
	[ST_METRIC_LATEST] = "SELECT r.occurred_at, r.entry, r.value FROM readings r"
			     " WHERE r.incident = $1::bigint AND r.metric = $2::text"
			     " AND r.occurred_at <= $3::bigint AND ($4::text IS NULL OR"
			     " (SELECT e.kind FROM entries e WHERE e.id = r.entry) = $4::text)"
			     " ORDER BY r.occurred_at DESC, r.entry DESC LIMIT $5::bigint",
	[ST_SNAP_DROP] = "DELETE FROM snapshots WHERE incident = $1::bigint"
			 " AND (pos_occ, pos_id) > ($2::bigint, $3::bigint)",
	[ST_CURSOR + 0] = PLAIN(AT_POS_ASC, BY_POS_ASC),
	[ST_CURSOR + 1] = PLAIN(AT_POS_DESC, BY_POS_DESC),
	[ST_CURSOR + 2] = PLAIN(AT_ID_ASC, BY_ID_ASC),
	[ST_CURSOR + 3] = PLAIN(AT_ID_DESC, BY_ID_DESC),
	[ST_CURSOR + 4] = JOINED(AT_POS_ASC, BY_POS_ASC),
	[ST_CURSOR + 5] = JOINED(AT_POS_DESC, BY_POS_DESC),
	[ST_CURSOR + 6] = JOINED_PARSED(AT_ID_ASC, BY_ID_ASC),
	[ST_CURSOR + 7] = JOINED_PARSED(AT_ID_DESC, BY_ID_DESC),
	[ST_CURSOR_KIND + 0] = PLAIN(AT_KIND_ASC, BY_POS_ASC),
	[ST_CURSOR_KIND + 1] = PLAIN(AT_KIND_DESC, BY_POS_DESC),
	[ST_CURSOR_KIND + 2] = JOINED(AT_KIND_ASC, BY_POS_ASC),
	[ST_CURSOR_KIND + 3] = JOINED(AT_KIND_DESC, BY_POS_DESC),
};

/* The cursors' parameters, typed: $2 is not used by the id-order shapes. */
static const unsigned int cursor_types[10] = {
	OID_INT8, OID_INT8, OID_INT8, OID_INT8, OID_BOOL, OID_BOOL, OID_TEXT, OID_BOOL, OID_TEXT,
	OID_INT8,
};

/* What PostgreSQL's parser read in one payload's `readings`, brought by
 * a cursor page (PARSED_OF_E), keyed by the payload's bytes: the same
 * bytes parse the same, whichever entry they belong to. */
struct parsed {
	int valid;
	struct strbuf payload;       /* the key */
	int obj;                     /* -1 no `readings` member, 0 not an object, 1 an object */
	struct strbuf keys;          /* the members' keys, each followed by a NUL */
	size_t n, alloc;
	size_t *key_len;             /* owned, n of each */
	double *value;               /* owned */
	unsigned char *number;       /* owned */
};

/* Entries appended in this transaction, not sent yet: one INSERT for many
 * (per statement, PostgreSQL's overhead is most of an append's cost). Sent
 * before any other statement (so that every read, and the commit, sees
 * them), or when it grows past BATCH_MAX; a rollback drops them. Each
 * column is an array in binary, ready to send. */
enum { B_ID, B_INCIDENT, B_RECORDED, B_OCCURRED, B_ACTOR, B_ROLE, B_KIND, B_PAYLOAD, B_CORRECTS,
       B_PREV, B_HASH, B_R_ENTRY, B_R_INCIDENT, B_R_OCCURRED, B_R_SEQ, B_R_METRIC, B_R_VALUE,
       B__COUNT };
#define BATCH_MAX 1000               /* entries */
#define BATCH_BYTES (4 << 20)        /* of arrays */
struct batch {
	size_t n, nr;                /* entries, readings waiting */
	size_t bytes;
	int64_t first, last;         /* their ids, for messages */
	struct strbuf col[B__COUNT];
};

struct pg {
	struct journal base;         /* first: a struct journal * is a struct pg * */
	PGconn *conn;
	char *url;                   /* owned: as given (a password in it is needed to
	                                reconnect; never shown: base.where is redacted) */
	int busy_ms;                 /* lock_timeout */
	int want_ro;                 /* opened JOURNAL_READ_ONLY */
	int standby;                 /* the server is in recovery: no LISTEN there */
	char journal_id[40];         /* sitrep_meta's, to tell a database replaced under us */
	char replay_lsn[40];         /* a standby's last replayed WAL position */
	time_t last_try;             /* the last reconnection attempt */
	char fatal[256];             /* the server's last words, when it dropped us */
	unsigned char prepared[ST__COUNT];
	int64_t *written;            /* owned: incidents written in this transaction */
	size_t nwritten, awritten;
	struct strbuf sql;           /* owned: scratch */
	struct parsed parsed[2];     /* the last two entries' (a grouped walk reads one ahead) */
	int parsed_next;             /* the slot the next one goes to */
	struct batch batch;          /* entries waiting to be sent */
};

struct pg_cursor {
	struct journal_cursor base;  /* first */
	enum stmt_id id;
	struct journal_query q;      /* kind and contains point at the owned copies */
	char *kind, *folded;         /* owned */
	PGresult *res;               /* the current page */
	int row, nrows;
	int64_t limit;               /* entries asked for in the next page */
	int last_page;               /* the current page is the last one */
	struct journal_pos after;    /* where the next page starts */
};

static struct pg *PG(struct journal *j)
{
	return (struct pg *)j;
}

/* ---------- values ---------- */

/* Parameters: integers and flags as text, strings and bytes in binary
 * (exact lengths, no NUL needed), NULL as NULL. */
struct params {
	int n;
	const char *v[B__COUNT];
	int len[B__COUNT];
	int fmt[B__COUNT];
	char num[B__COUNT][24];
};

static void p_i64(struct params *ps, int64_t v)
{
	int i = ps->n++;
	snprintf(ps->num[i], sizeof ps->num[i], "%" PRId64, v);
	ps->v[i] = ps->num[i];
	ps->len[i] = 0;
	ps->fmt[i] = 0;
}

static void p_bool(struct params *ps, int v)
{
	int i = ps->n++;
	ps->v[i] = v ? "t" : "f";
	ps->len[i] = 0;
	ps->fmt[i] = 0;
}

/* A NUL-terminated text in text format (NULL stays NULL). */
static void p_cstr(struct params *ps, const char *s)
{
	int i = ps->n++;
	ps->v[i] = s;
	ps->len[i] = 0;
	ps->fmt[i] = 0;
}

/* Bytes in binary format: text, json and bytea all take them as they are. */
static int p_bytes(struct params *ps, const void *s, size_t len)
{
	if (len > INT_MAX / 2)
		return -1;
	int i = ps->n++;
	ps->v[i] = len ? s : "";
	ps->len[i] = (int)len;
	ps->fmt[i] = 1;
	return 0;
}

static uint64_t be(const unsigned char *b, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | b[i];
	return v;
}

/* An integer column in binary (int2, int4 or int8); 0 for NULL. */
static int64_t g_i64(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	const unsigned char *b = (const unsigned char *)PQgetvalue(r, row, col);
	switch (PQgetlength(r, row, col)) {
	case 8: return (int64_t)be(b, 8);
	case 4: return (int32_t)(uint32_t)be(b, 4);
	case 2: return (int16_t)(uint16_t)be(b, 2);
	case 1: return b[0];
	default: return 0;
	}
}

static double g_f64(const PGresult *r, int row, int col)
{
	uint64_t u = be((const unsigned char *)PQgetvalue(r, row, col), 8);
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

static int g_bool(const PGresult *r, int row, int col)
{
	return !PQgetisnull(r, row, col) && PQgetvalue(r, row, col)[0] != 0;
}

/* A text column: libpq ends every value with a NUL. */
static const char *g_text(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col);
}

static void g_hash(const PGresult *r, int row, int col, char out[65])
{
	const char *t = g_text(r, row, col);
	size_t n = strlen(t);
	if (n > 64)
		n = 64;
	memcpy(out, t, n);
	out[n] = '\0';
}

/* ---------- a strict JSON check ----------
 * What PostgreSQL's json type (and SQLite's json_valid) accept: RFC 8259,
 * nesting up to JSON_MAX_DEPTH. Checked before a payload is sent, because
 * an error inside a transaction aborts all of it in PostgreSQL, where
 * SQLite only refuses the statement. UTF-8 is journal.c's to check. */
struct jv {
	const unsigned char *p, *end;
	int depth;
};

static void jv_ws(struct jv *v)
{
	while (v->p < v->end && (*v->p == ' ' || *v->p == '\t' || *v->p == '\n' || *v->p == '\r'))
		v->p++;
}

static int jv_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int jv_string(struct jv *v)
{
	v->p++; /* the opening quote */
	while (v->p < v->end) {
		unsigned char c = *v->p++;
		if (c == '"')
			return 0;
		if (c < 0x20)
			return -1;
		if (c != '\\')
			continue;
		if (v->p >= v->end)
			return -1;
		c = *v->p++;
		if (c == 'u') {
			if (v->end - v->p < 4 || !jv_hex(v->p[0]) || !jv_hex(v->p[1]) ||
			    !jv_hex(v->p[2]) || !jv_hex(v->p[3]))
				return -1;
			v->p += 4;
		} else if (!strchr("\"\\/bfnrt", c) || c == 0) {
			return -1;
		}
	}
	return -1;
}

static int jv_digits(struct jv *v)
{
	const unsigned char *b = v->p;
	while (v->p < v->end && *v->p >= '0' && *v->p <= '9')
		v->p++;
	return v->p > b ? 0 : -1;
}

static int jv_number(struct jv *v)
{
	if (v->p < v->end && *v->p == '-')
		v->p++;
	if (v->p < v->end && *v->p == '0')
		v->p++;
	else if (v->p >= v->end || *v->p < '1' || *v->p > '9' || jv_digits(v))
		return -1;
	if (v->p < v->end && *v->p == '.' && (v->p++, jv_digits(v)))
		return -1;
	if (v->p < v->end && (*v->p == 'e' || *v->p == 'E')) {
		v->p++;
		if (v->p < v->end && (*v->p == '+' || *v->p == '-'))
			v->p++;
		if (jv_digits(v))
			return -1;
	}
	return 0;
}

static int jv_word(struct jv *v, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(v->end - v->p) < n || memcmp(v->p, w, n) != 0)
		return -1;
	v->p += n;
	return 0;
}

static int jv_value(struct jv *v)
{
	jv_ws(v);
	if (v->p >= v->end)
		return -1;
	switch (*v->p) {
	case '{':
	case '[': {
		char close = *v->p == '{' ? '}' : ']';
		int object = close == '}';
		if (++v->depth > JSON_MAX_DEPTH)
			return -1;
		v->p++;
		jv_ws(v);
		if (v->p < v->end && *v->p == close) {
			v->p++;
			v->depth--;
			return 0;
		}
		for (;;) {
			if (object) {
				jv_ws(v);
				if (v->p >= v->end || *v->p != '"' || jv_string(v))
					return -1;
				jv_ws(v);
				if (v->p >= v->end || *v->p++ != ':')
					return -1;
			}
			if (jv_value(v))
				return -1;
			jv_ws(v);
			if (v->p >= v->end)
				return -1;
			if (*v->p == ',') {
				v->p++;
				continue;
			}
			if (*v->p++ != close)
				return -1;
			v->depth--;
			return 0;
		}
	}
	case '"': return jv_string(v);
	case 't': return jv_word(v, "true");
	case 'f': return jv_word(v, "false");
	case 'n': return jv_word(v, "null");
	default: return jv_number(v);
	}
}

static int json_ok(const char *s, size_t len)
{
	struct jv v = { (const unsigned char *)s, (const unsigned char *)s + len, 0 };
	if (jv_value(&v))
		return 0;
	jv_ws(&v);
	return v.p == v.end;
}

static int flush(struct pg *p, struct sitrep_error *err);
static void batch_reset(struct batch *b);

/* ---------- errors ---------- */

/* libpq's text for messages: one line, whitespace runs (its "\n\t"
 * continuation lines) made one space, no trailing newline. */
static void clean_text(const char *in, char *out, size_t size)
{
	size_t n = 0;
	int space = 0;
	for (const char *s = in ? in : ""; *s && n + 1 < size; s++) {
		if (*s == '\n' || *s == '\t' || *s == '\r' || *s == ' ') {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < size)
			out[n++] = ' ';
		space = 0;
		out[n++] = *s;
	}
	out[n] = '\0';
}

/* Is the session usable? Not when libpq found it broken, nor when the
 * server said its last words (it is closing it). */
static int conn_ok(const struct pg *p)
{
	return p->conn && PQstatus(p->conn) == CONNECTION_OK && !p->fatal[0];
}

static int connection_lost(struct pg *p, const char *state)
{
	if (!conn_ok(p))
		return 1;
	/* connection exceptions, and the server shutting the session down */
	return state && (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
			 strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0);
}

/* Roll back a transaction an error aborted: PostgreSQL refuses everything
 * after an error until then, and holds its locks meanwhile. journal.c then
 * sees no transaction and says it was rolled back. */
static void abort_failed(struct pg *p)
{
	if (p->conn && PQtransactionStatus(p->conn) == PQTRANS_INERROR)
		PQclear(PQexec(p->conn, "ROLLBACK"));
	if (p->conn && PQtransactionStatus(p->conn) == PQTRANS_IDLE) {
		p->nwritten = 0;
		batch_reset(&p->batch);
	}
}

/* A failed statement (res, or the connection when res is NULL) as a
 * journal_rc with its message: `verb` says what was being done. Takes
 * res. */
static int pg_fail(struct pg *p, PGresult *res, const char *verb, struct sitrep_error *err)
{
	const char *where = p->base.where;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char msg[512], st[8] = "";
	clean_text(primary ? primary : p->fatal[0] ? p->fatal : p->conn ? PQerrorMessage(p->conn)
		   : "not connected", msg, sizeof msg);
	if (!msg[0])
		snprintf(msg, sizeof msg, "%s", "no answer from the server");
	if (state)
		snprintf(st, sizeof st, "%s", state);
	PQclear(res);
	if (connection_lost(p, st[0] ? st : NULL)) {
		p->nwritten = 0;
		return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': the connection was"
				    " lost (%s)%s", verb, where, msg, p->base.in_txn ?
				    ": nothing of this transaction was saved" : "");
	}
	abort_failed(p);
	if (strcmp(st, "55P03") == 0 || strcmp(st, "40P01") == 0 || strcmp(st, "40001") == 0)
		return journal_fail(err, JOURNAL_BUSY, "database '%s' is locked by another session"
				    " (%s)", where, msg);
	if (strcmp(st, "25006") == 0 || strcmp(st, "42501") == 0)
		return journal_fail(err, JOURNAL_READONLY, "database '%s' is read-only: %s", where,
				    p->base.ro_reason ? p->base.ro_reason : msg);
	if (strncmp(st, "XX", 2) == 0 && strcmp(st, "XX000") != 0)
		return journal_fail(err, JOURNAL_CORRUPT, "database '%s' is damaged: %s", where, msg);
	return journal_fail(err, JOURNAL_ERROR, "unable to %s database '%s': %s", verb, where, msg);
}

static int result_ok(const PGresult *r)
{
	ExecStatusType s = PQresultStatus(r);
	return s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK;
}

/* ---------- the connection ---------- */

/* What the server says outside an answer: NOTICEs ("... skipping") are
 * not for the terminal; its last words before it drops the session (a
 * FATAL: terminated, shutting down) tell a commit that the transaction is
 * gone. */
static void on_notice(void *arg, const PGresult *res)
{
	struct pg *p = arg;
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	if (sev && (strcmp(sev, "FATAL") == 0 || strcmp(sev, "PANIC") == 0) && !p->fatal[0])
		clean_text(msg ? msg : sev, p->fatal, sizeof p->fatal);
}

/* Read what the server sent meanwhile, without waiting: notifications
 * queue up for PQnotifies, a FATAL goes to on_notice, a closed socket
 * shows in PQstatus (PQconsumeInput reads; PQisBusy parses). */
static void take_input(struct pg *p)
{
	if (p->conn && PQstatus(p->conn) == CONNECTION_OK && PQconsumeInput(p->conn))
		(void)PQisBusy(p->conn);
}

/* Run SQL text (no parameters, text results); NULL with err filled. */
static PGresult *exec_text(struct pg *p, const char *sql, const char *verb, int *rc,
			   struct sitrep_error *err)
{
	if (p->batch.n && (*rc = flush(p, err)))
		return NULL;
	PGresult *r = PQexec(p->conn, sql);
	if (r && result_ok(r))
		return r;
	*rc = pg_fail(p, r, verb, err);
	return NULL;
}

static int exec_done(struct pg *p, const char *sql, const char *verb, struct sitrep_error *err)
{
	int rc = JOURNAL_OK;
	PQclear(exec_text(p, sql, verb, &rc, err));
	return rc;
}

/* The session: what every connection (and reconnection) sets. */
static int session_setup(struct pg *p, struct sitrep_error *err)
{
	struct strbuf *sql = &p->sql;
	sb_reset(sql);
	/* Durable before acknowledged, whatever the server's default; READ
	 * COMMITTED so that a statement after a lock wait sees what the other
	 * writer committed (a serializable default would not). */
	sb_addf(sql, "SET client_encoding = 'UTF8'; SET standard_conforming_strings = on;"
		" SET synchronous_commit = on;"
		" SET default_transaction_isolation = 'read committed';"
		" SET lock_timeout = %d;", p->busy_ms > 0 ? p->busy_ms : 1);
	if (p->want_ro)
		sb_adds(sql, " SET default_transaction_read_only = on;");
	return exec_done(p, sql->buf, "configure", err);
}

static int do_connect(struct pg *p, struct sitrep_error *err)
{
	const char *kw[8], *val[8];
	int n = 0;
	kw[n] = "fallback_application_name", val[n++] = "sitrep";
	/* A dead network must not hang a console: the URL (after these) and
	 * PGCONNECT_TIMEOUT may say otherwise. */
	if (!getenv("PGCONNECT_TIMEOUT"))
		kw[n] = "connect_timeout", val[n++] = "10";
	kw[n] = "keepalives_idle", val[n++] = "30";
	kw[n] = "keepalives_interval", val[n++] = "10";
	kw[n] = "keepalives_count", val[n++] = "3";
	kw[n] = "dbname", val[n++] = p->url; /* expanded: the URL's settings win */
	kw[n] = NULL, val[n] = NULL;
	if (p->conn)
		PQfinish(p->conn);
	memset(p->prepared, 0, sizeof p->prepared);
	p->nwritten = 0;
	batch_reset(&p->batch); /* a transaction does not survive its session */
	p->conn = PQconnectdbParams(kw, val, 1);
	if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
		char msg[512];
		clean_text(p->conn ? PQerrorMessage(p->conn) : "out of memory", msg, sizeof msg);
		return journal_fail(err, JOURNAL_ERROR, "unable to connect to database '%s': %s",
				    p->base.where, msg);
	}
	p->fatal[0] = '\0';
	PQsetNoticeReceiver(p->conn, on_notice, p);
	return session_setup(p, err);
}

/* LISTEN on the channel every commit notifies (not on a standby, which
 * cannot: there journal_changed watches the replayed WAL instead). */
static int start_listening(struct pg *p, struct sitrep_error *err)
{
	if (p->standby)
		return JOURNAL_OK;
	return exec_done(p, "LISTEN " CHANNEL, "listen to", err);
}

static int read_meta(struct pg *p, char id[40], int *can_write, int *can_lock,
		     struct sitrep_error *err);
static int standby_now(struct pg *p, struct sitrep_error *err);

/* A lost connection, made again: the same settings, LISTEN again, and the
 * same journal (a database restored or replaced meanwhile is not). The
 * server may be another one now (a failover): a standby is read-only. */
static int reconnect(struct pg *p, struct sitrep_error *err)
{
	p->last_try = time(NULL);
	int rc = do_connect(p, err);
	char id[40];
	int w, l;
	if (rc || (rc = read_meta(p, id, &w, &l, err)) || (rc = standby_now(p, err)) ||
	    (rc = start_listening(p, err))) {
		/* a half-made session is no session: the next try starts over */
		if (p->conn) {
			PQfinish(p->conn);
			p->conn = NULL;
		}
		return rc;
	}
	if (strcmp(id, p->journal_id) != 0) {
		/* Neither written to nor read: it is not the journal opened. */
		p->base.gone = 1;
		PQfinish(p->conn);
		p->conn = NULL;
		return journal_fail(err, JOURNAL_GONE, "database '%s' was replaced while it was open"
				    " (it holds another journal now): the write is not saved",
				    p->base.where);
	}
	return JOURNAL_OK;
}

/* Before a statement outside a transaction: a connection found lost is made
 * again. Inside one, nothing can be: the transaction is gone with it. */
static int live(struct pg *p, struct sitrep_error *err)
{
	if (p->base.gone)
		return journal_fail(err, JOURNAL_GONE, "database '%s' was replaced while it was"
				    " open (it holds another journal now): nothing is read or written"
				    " there", p->base.where);
	take_input(p); /* a session the server ended while we were idle */
	if (conn_ok(p))
		return JOURNAL_OK;
	if (p->base.in_txn) {
		p->nwritten = 0;
		return journal_fail(err, JOURNAL_ERROR, "database '%s': the connection was lost:"
				    " nothing of this transaction was saved", p->base.where);
	}
	return reconnect(p, err);
}

/* Run a prepared statement (prepared on first use on this connection),
 * binary results; NULL with err filled. Outside a transaction, a
 * connection found lost on the way is made again and the statement run
 * once more (those statements read, or store a snapshot: again is safe). */
static PGresult *run(struct pg *p, enum stmt_id id, const struct params *ps, const char *verb,
		     int *rc, struct sitrep_error *err)
{
	char name[24];
	if (p->batch.n && (*rc = flush(p, err)))
		return NULL;
	snprintf(name, sizeof name, "sitrep_%d", (int)id);
	for (int attempt = 0;; attempt++) {
		PGresult *r = NULL;
		if ((*rc = live(p, err)))
			return NULL;
		if (!p->prepared[id]) {
			int cursor = id >= ST_CURSOR;
			r = PQprepare(p->conn, name, stmt_sql[id], cursor ? 10 : 0,
				      cursor ? cursor_types : NULL);
			if (r && PQresultStatus(r) == PGRES_COMMAND_OK) {
				PQclear(r);
				r = NULL;
				p->prepared[id] = 1;
			}
		}
		if (p->prepared[id]) {
			r = PQexecPrepared(p->conn, name, ps ? ps->n : 0, ps ? ps->v : NULL,
					   ps ? ps->len : NULL, ps ? ps->fmt : NULL, 1);
			if (r && result_ok(r))
				return r;
		}
		if (attempt == 0 && !p->base.in_txn &&
		    connection_lost(p, r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL)) {
			PQclear(r);
			continue;
		}
		*rc = pg_fail(p, r, verb, err);
		return NULL;
	}
}

/* ---------- opening: the schema ---------- */

struct info {
	char schema[256];
	int has_meta;
	char tables[256];            /* our table names found, comma-separated */
	int standby;
	char encoding[32];
	long version;
	char user[128];
};

static int read_info(struct pg *p, struct info *in, struct sitrep_error *err)
{
	int rc = JOURNAL_OK;
	PGresult *r = exec_text(p, info_sql, "read", &rc, err);
	if (!r)
		return rc;
	memset(in, 0, sizeof *in);
	in->has_meta = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) &&
		       strcmp(PQgetvalue(r, 0, 1), "0") != 0;
	if (PQntuples(r) == 1) {
		if (!PQgetisnull(r, 0, 0))
			snprintf(in->schema, sizeof in->schema, "%s", PQgetvalue(r, 0, 0));
		snprintf(in->tables, sizeof in->tables, "%s", PQgetvalue(r, 0, 2));
		in->standby = strcmp(PQgetvalue(r, 0, 3), "t") == 0;
		snprintf(in->encoding, sizeof in->encoding, "%s", PQgetvalue(r, 0, 4));
		in->version = strtol(PQgetvalue(r, 0, 5), NULL, 10);
		snprintf(in->user, sizeof in->user, "%s", PQgetvalue(r, 0, 6));
	}
	PQclear(r);
	return JOURNAL_OK;
}

#define STANDBY_REASON "the server is a standby, read-only until it is promoted"

/* Is the server (still, or now) a standby? Then the journal reads only. */
static int standby_now(struct pg *p, struct sitrep_error *err)
{
	int rc = JOURNAL_OK;
	PGresult *r = exec_text(p, "SELECT pg_catalog.pg_is_in_recovery()", "read", &rc, err);
	if (!r)
		return rc;
	p->standby = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	int was = p->base.ro_reason && strcmp(p->base.ro_reason, STANDBY_REASON) == 0;
	if (p->standby && !p->base.readonly) {
		p->base.readonly = 1;
		free(p->base.ro_reason);
		p->base.ro_reason = xstrdup(STANDBY_REASON);
	} else if (!p->standby && was) {
		p->base.readonly = 0;
		free(p->base.ro_reason);
		p->base.ro_reason = NULL;
	}
	return JOURNAL_OK;
}

/* The meta rows: the journal's id; whether this role may append (INSERT
 * on entries and readings) and take an incident's lock. Refuses what is not
 * a sitrep journal of this version. */
static int read_meta(struct pg *p, char id[40], int *can_write, int *can_lock,
		     struct sitrep_error *err)
{
	const char *where = p->base.where;
	int rc = JOURNAL_OK;
	PGresult *r = exec_text(p, meta_sql, "read", &rc, err);
	if (!r)
		return rc;
	const char *app = PQntuples(r) ? PQgetvalue(r, 0, 0) : "";
	const char *ver = PQntuples(r) ? PQgetvalue(r, 0, 1) : "";
	char *end;
	long v = strtol(ver, &end, 10);
	if (strcmp(app, "sitrep") != 0)
		rc = journal_fail(err, JOURNAL_ERROR, "database '%s' is not a sitrep journal: its"
				  " table sitrep_meta belongs to another program", where);
	else if (!ver[0] || *end || v < 1)
		rc = journal_fail(err, JOURNAL_CORRUPT, "database '%s' is damaged: a sitrep journal"
				  " without a schema version", where);
	else if (v > SCHEMA_VERSION)
		rc = journal_fail(err, JOURNAL_ERROR, "database '%s' has schema version %ld, newer"
				  " than this sitrep (%d)", where, v, SCHEMA_VERSION);
	else if (v < SCHEMA_VERSION)
		rc = journal_fail(err, JOURNAL_CORRUPT, "database '%s' has schema version %ld, which"
				  " no sitrep made on PostgreSQL", where, v);
	if (rc == JOURNAL_OK) {
		snprintf(id, 40, "%s", PQgetvalue(r, 0, 2));
		*can_write = strcmp(PQgetvalue(r, 0, 3), "t") == 0;
		*can_lock = strcmp(PQgetvalue(r, 0, 4), "t") == 0;
	}
	PQclear(r);
	return rc;
}

/* Make the schema, in one transaction, under an advisory lock: two first
 * users at once make it once (the second finds it made). */
static int create_schema(struct pg *p, struct info *in, struct sitrep_error *err)
{
	char lock[96];
	snprintf(lock, sizeof lock, "BEGIN; SELECT pg_advisory_xact_lock(%d, %d)", LOCK_CLASS,
		 LOCK_SCHEMA);
	int rc = exec_done(p, lock, "create", err);
	if (rc)
		return rc;
	if ((rc = read_info(p, in, err)))
		goto rollback;
	if (in->has_meta || in->tables[0])
		goto commit; /* made meanwhile (or not ours): open decides */
	char *quoted = PQescapeIdentifier(p->conn, in->schema, strlen(in->schema));
	if (!quoted) {
		rc = pg_fail(p, NULL, "create", err);
		goto rollback;
	}
	struct strbuf *sql = &p->sql;
	sb_reset(sql);
	sb_adds(sql, schema_head);
	sb_adds(sql, quoted);
	sb_adds(sql, schema_tail);
	PQfreemem(quoted);
	if ((rc = exec_done(p, sql->buf, "create a journal in", err)))
		goto rollback;
	if ((rc = read_info(p, in, err)))
		goto rollback;
commit:
	return exec_done(p, "COMMIT", "create a journal in", err);
rollback:
	if (p->conn && PQtransactionStatus(p->conn) != PQTRANS_IDLE)
		PQclear(PQexec(p->conn, "ROLLBACK"));
	return rc;
}

static int check_schema(struct pg *p, unsigned flags, struct sitrep_error *err)
{
	const char *where = p->base.where;
	struct info in;
	int rc = read_info(p, &in, err);
	if (rc)
		return rc;
	if (in.version < 110000)
		return journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': PostgreSQL"
				    " %ld.%ld is too old (sitrep needs 11 or later)", where,
				    in.version / 10000, in.version % 10000);
	if (strcmp(in.encoding, "UTF8") != 0)
		return journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': its encoding"
				    " is %s, sitrep needs UTF8 (createdb -E UTF8 -T template0)", where,
				    in.encoding);
	if (!in.schema[0])
		return journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': no schema of"
				    " its search_path exists", where);
	p->standby = in.standby;
	if (!in.has_meta && !in.tables[0]) {
		if (!(flags & JOURNAL_CREATE) || p->want_ro || in.standby)
			return journal_fail(err, JOURNAL_ERROR, "unable to open database '%s': it holds"
					    " no sitrep journal (schema \"%s\")%s", where, in.schema,
					    in.standby ? " and the server is a read-only standby" : "");
		if ((rc = create_schema(p, &in, err)))
			return rc;
	}
	if (!in.has_meta)
		return journal_fail(err, JOURNAL_ERROR, "database '%s' is not a sitrep journal: schema"
				    " \"%s\" holds tables of another program (%s)", where, in.schema,
				    in.tables);
	int can_write = 0, can_lock = 0;
	if ((rc = read_meta(p, p->journal_id, &can_write, &can_lock, err)))
		return rc;
	if (strcmp(in.tables, "entries, incidents, readings, snapshots") != 0)
		return journal_fail(err, JOURNAL_CORRUPT, "database '%s' is damaged: tables of the"
				    " journal are missing", where);
	/* Who may not write gets a journal to read, and the reason. */
	const char *why = NULL;
	char text[256];
	if (p->want_ro) {
		why = "opened read-only";
	} else if (in.standby) {
		why = STANDBY_REASON;
	} else if (!can_write || !can_lock) {
		snprintf(text, sizeof text, "role '%s' may not %s", in.user, !can_write ?
			 "append to it (no INSERT privilege on entries and readings)" :
			 "lock its incidents (no EXECUTE privilege on sitrep_lock_incident)");
		why = text;
	}
	if (why) {
		p->base.readonly = 1;
		p->base.ro_reason = xstrdup(why);
	}
	return JOURNAL_OK;
}

static void pg_free(struct pg *p)
{
	if (p->conn)
		PQfinish(p->conn);
	free(p->url);
	free(p->written);
	for (int i = 0; i < B__COUNT; i++)
		sb_release(&p->batch.col[i]);
	sb_release(&p->sql);
	for (int i = 0; i < 2; i++) {
		struct parsed *q = &p->parsed[i];
		sb_release(&q->payload);
		sb_release(&q->keys);
		free(q->key_len);
		free(q->value);
		free(q->number);
	}
	journal_base_release(&p->base);
	free(p);
}

static struct journal *pg_open(const char *where, unsigned flags, struct sitrep_error *err)
{
	struct pg *p;
	if (pq_load(err) != JOURNAL_OK)
		return NULL;
	p = xcalloc(1, sizeof *p);
	char *shown = journal_url_redacted(where);
	journal_base_init(&p->base, &journal_pg_ops, shown);
	p->base.threads = PQisthreadsafe() != 0;
	free(shown);
	p->url = xstrdup(where);
	p->busy_ms = JOURNAL_BUSY_TIMEOUT_MS;
	p->want_ro = (flags & JOURNAL_READ_ONLY) != 0;
	for (int i = 0; i < B__COUNT; i++)
		sb_init(&p->batch.col[i]);
	batch_reset(&p->batch);
	sb_init(&p->sql);
	for (int i = 0; i < 2; i++) {
		sb_init(&p->parsed[i].payload);
		sb_init(&p->parsed[i].keys);
	}
	if (do_connect(p, err) || check_schema(p, flags, err) || start_listening(p, err)) {
		pg_free(p);
		return NULL;
	}
	return &p->base;
}

static void pg_close(struct journal *j)
{
	struct pg *p = PG(j);
	if (p->conn && PQstatus(p->conn) == CONNECTION_OK &&
	    PQtransactionStatus(p->conn) != PQTRANS_IDLE)
		PQclear(PQexec(p->conn, "ROLLBACK")); /* closing regardless */
	pg_free(p);
}

static int pg_set_busy_timeout(struct journal *j, int ms, struct sitrep_error *err)
{
	struct pg *p = PG(j);
	char sql[64];
	int rc = live(p, err);
	if (rc)
		return rc;
	/* lock_timeout 0 waits for ever; a busy timeout of 0 waits not at all */
	snprintf(sql, sizeof sql, "SET lock_timeout = %d", ms > 0 ? ms : 1);
	if ((rc = exec_done(p, sql, "configure", err)))
		return rc;
	p->busy_ms = ms;
	return JOURNAL_OK;
}

static int pg_clock(struct journal *j, int64_t *now, struct sitrep_error *err)
{
	struct pg *p = PG(j);
	int rc = JOURNAL_OK;
	PGresult *r = run(p, ST_CLOCK, NULL, "read the clock of", &rc, err);
	if (!r)
		return rc;
	*now = g_i64(r, 0, 0);
	PQclear(r);
	return JOURNAL_OK;
}

/* Notifications from other sessions' commits (ours come back too: they
 * are not news). A lost connection is made again here, at most every
 * RECONNECT_EVERY seconds, and said while it cannot be. */
static int pg_changed(struct journal *j, int *changed, struct sitrep_error *err)
{
	struct pg *p = PG(j);
	if (p->base.gone)
		return journal_fail(err, JOURNAL_GONE, "database '%s' was replaced while it was"
				    " open", j->where);
	take_input(p);
	if (!conn_ok(p)) {
		if (p->base.in_txn)
			return live(p, err);
		time_t now = time(NULL);
		if (p->last_try && now >= p->last_try && now - p->last_try < RECONNECT_EVERY)
			return journal_fail(err, JOURNAL_ERROR, "the connection to database '%s' is"
					    " lost: trying again", j->where);
		int rc = reconnect(p, err);
		if (rc)
			return rc;
		*changed = 1; /* whatever happened meanwhile was not heard */
		return JOURNAL_OK;
	}
	PGnotify *n;
	int self = PQbackendPID(p->conn);
	while ((n = PQnotifies(p->conn)) != NULL) {
		if (n->be_pid != self)
			*changed = 1;
		PQfreemem(n);
	}
	if (p->standby) {
		int rc = JOURNAL_OK;
		PGresult *r = exec_text(p, "SELECT coalesce(pg_last_wal_replay_lsn()::text, '')",
					"read", &rc, err);
		if (!r)
			return rc;
		const char *lsn = PQntuples(r) ? PQgetvalue(r, 0, 0) : "";
		if (strcmp(lsn, p->replay_lsn) != 0) {
			*changed = p->replay_lsn[0] != 0;
			snprintf(p->replay_lsn, sizeof p->replay_lsn, "%s", lsn);
		}
		PQclear(r);
	}
	return JOURNAL_OK;
}

static int pg_poll_fd(struct journal *j)
{
	struct pg *p = PG(j);
	if (!conn_ok(p) || p->standby)
		return -1;
	return PQsocket(p->conn);
}

/* ---------- transactions ---------- */

static int pg_begin(struct journal *j, struct sitrep_error *err)
{
	struct pg *p = PG(j);
	int rc = live(p, err);
	if (rc)
		return rc;
	abort_failed(p);
	p->nwritten = 0;
	batch_reset(&p->batch);
	/* READ COMMITTED, whatever the server's default: see session_setup. */
	return exec_done(p, "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE", "begin a write on",
			 err);
}

static int pg_lock_incident(struct journal *j, int64_t incident, struct sitrep_error *err)
{
	struct pg *p = PG(j);
	struct params ps = { 0 };
	p_i64(&ps, incident);
	/* The row's FOR UPDATE lock, waited for up to the busy timeout; held
	 * to commit or rollback. No row locked is no incident, now: the head
	 * read next must not find one committed meanwhile and go on without
	 * its lock. */
	int rc = JOURNAL_OK;
	PGresult *r = run(p, ST_LOCK_INCIDENT, &ps, "lock an incident of", &rc, err);
	if (!r)
		return rc;
	int locked = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0);
	PQclear(r);
	if (!locked)
		return journal_fail(err, JOURNAL_NOTFOUND, "database '%s' has no incident %" PRId64,
				    j->where, incident);
	return JOURNAL_OK;
}

static void note_written(struct pg *p, int64_t incident)
{
	for (size_t i = 0; i < p->nwritten; i++)
		if (p->written[i] == incident)
			return;
	p->written = xgrow(p->written, sizeof *p->written, p->nwritten + 1, &p->awritten);
	p->written[p->nwritten++] = incident;
}

static void pg_rollback(struct journal *j)
{
	struct pg *p = PG(j);
	p->nwritten = 0;
	batch_reset(&p->batch); /* never sent: nothing to undo */
	if (p->conn && PQstatus(p->conn) == CONNECTION_OK &&
	    PQtransactionStatus(p->conn) != PQTRANS_IDLE)
		PQclear(PQexec(p->conn, "ROLLBACK")); /* a lost connection rolled it back */
}

static int pg_commit(struct journal *j, struct sitrep_error *err)
{
	struct pg *p = PG(j);
	const char *where = j->where;
	/* A connection dropped while the transaction was open (the server
	 * restarted, the session was terminated): the server rolled it back. */
	take_input(p);
	if (!conn_ok(p)) {
		p->nwritten = 0;
		char msg[256];
		clean_text(p->fatal[0] ? p->fatal : p->conn ? PQerrorMessage(p->conn) : "", msg,
			   sizeof msg);
		if (p->conn && PQstatus(p->conn) == CONNECTION_OK) {
			PQfinish(p->conn); /* a session the server ended: made again later */
			p->conn = NULL;
		}
		return journal_fail(err, JOURNAL_ERROR, "unable to commit to database '%s': the"
				    " connection was lost before the commit%s%s%s: nothing was saved",
				    where, msg[0] ? " (" : "", msg, msg[0] ? ")" : "");
	}
	/* The entries still waiting, then NOTIFY inside the transaction
	 * (sent on commit, never otherwise) and COMMIT in one round trip. */
	int frc = flush(p, err);
	if (frc) {
		pg_rollback(j);
		return frc;
	}
	struct strbuf *sql = &p->sql;
	sb_reset(sql);
	for (size_t i = 0; i < p->nwritten; i++)
		sb_addf(sql, "NOTIFY " CHANNEL ", '%" PRId64 "'; ", p->written[i]);
	sb_adds(sql, "COMMIT");
	p->nwritten = 0;
	PGresult *r = PQexec(p->conn, sql->buf);
	if (r && PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "COMMIT") == 0) {
		PQclear(r);
		return JOURNAL_OK;
	}
	if (r && PQresultStatus(r) == PGRES_COMMAND_OK) { /* "ROLLBACK": it had failed */
		PQclear(r);
		return journal_fail(err, JOURNAL_ERROR, "unable to commit to database '%s': the"
				    " database rolled the transaction back after an earlier error:"
				    " nothing was saved", where);
	}
	if (connection_lost(p, r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL)) {
		char msg[256];
		clean_text(r && PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) ?
			   PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) :
			   PQerrorMessage(p->conn), msg, sizeof msg);
		PQclear(r);
		return journal_fail(err, JOURNAL_ERROR, "unable to commit to database '%s': the"
				    " connection was lost while committing (%s): the transaction is"
				    " not acknowledged and may or may not have been saved", where, msg);
	}
	int rc = pg_fail(p, r, "commit to", err);
	pg_rollback(j); /* never leave the caller inside a half-failed transaction */
	return rc;
}

static int pg_in_transaction(const struct journal *j)
{
	const struct pg *p = (const struct pg *)j;
	if (!conn_ok(p))
		return 0;
	PGTransactionStatusType s = PQtransactionStatus(p->conn);
	return s == PQTRANS_INTRANS || s == PQTRANS_ACTIVE;
}

/* ---------- incidents ---------- */

/* The next id of `table` under the ids' advisory lock, held to commit: ids
 * are given in the order their transactions commit. The lock and the
 * read are two statements, so that the read's snapshot is taken after the
 * wait and sees what the last holder committed. */
static int next_id(struct pg *p, const char *table, int64_t *id, struct sitrep_error *err)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%d, %d);"
		 " SELECT coalesce(max(id), 0) + 1 FROM %s", LOCK_CLASS, LOCK_IDS, table);
	int rc = JOURNAL_OK;
	PGresult *r = exec_text(p, sql, "read", &rc, err);
	if (!r)
		return rc;
	*id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return JOURNAL_OK;
}

static int pg_incident_next_id(struct journal *j, int64_t *id, struct sitrep_error *err)
{
	return next_id(PG(j), "incidents", id, err);
}

static int pg_incident_insert(struct journal *j, const struct journal_incident *inc,
			      struct sitrep_error *err)
{
	struct pg *p = PG(j);
	struct params ps = { 0 };
	p_i64(&ps, inc->id);
	p_bytes(&ps, inc->title, strlen(inc->title));
	p_bytes(&ps, inc->plan_id, strlen(inc->plan_id));
	if (p_bytes(&ps, inc->plan_text, inc->plan_len))
		return journal_fail(err, JOURNAL_ERROR, "unable to add an incident to database '%s':"
				    " a plan of %zu bytes is too long", j->where, inc->plan_len);
	p_i64(&ps, (int64_t)inc->plan_len);
	p_bytes(&ps, inc->plan_hash, strlen(inc->plan_hash));
	p_i64(&ps, inc->drill ? 1 : 0);
	p_i64(&ps, inc->created_at);
	p_bytes(&ps, inc->genesis, strlen(inc->genesis));
	int rc = JOURNAL_OK;
	PGresult *r = run(p, ST_INCIDENT_INSERT, &ps, "add an incident to", &rc, err);
	if (!r)
		return rc;
	int added = strcmp(PQcmdTuples(r), "1") == 0;
	PQclear(r);
	if (!added)
		return journal_fail(err, JOURNAL_ERROR, "unable to add an incident to database '%s':"
				    " incident %" PRId64 " already exists", j->where, inc->id);
	note_written(p, inc->id);
	return JOURNAL_OK;
}

/* Fill inc from a row (columns: id, title, plan_id, plan_text or NULL,
 * plan_len, plan_hash, drill, created_at, genesis): owned copies, or
 * pointers into the result (the walk's callback). */
static void row_incident(const PGresult *r, int row, int owned, struct journal_incident *inc)
{
	inc->id = g_i64(r, row, 0);
	inc->title = owned ? xstrdup(g_text(r, row, 1)) : (char *)g_text(r, row, 1);
	inc->plan_id = owned ? xstrdup(g_text(r, row, 2)) : (char *)g_text(r, row, 2);
	inc->plan_text = NULL;
	inc->plan_len = 0;
	if (owned && !PQgetisnull(r, row, 3)) {
		size_t n = (size_t)PQgetlength(r, row, 3);
		inc->plan_text = xmalloc(n + 1);
		if (n)
			memcpy(inc->plan_text, PQgetvalue(r, row, 3), n);
		inc->plan_text[n] = '\0';
		inc->plan_len = n;
	}
	g_hash(r, row, 5, inc->plan_hash);
	inc->drill = (int)g_i64(r, row, 6);
	inc->created_at = g_i64(r, row, 7);
	g_hash(r, row, 8, inc->genesis);
}

static int pg_incident_get(struct journal *j, int64_t id, int with_plan,
			   struct journal_incident *out, struct sitrep_error *err)
{
	struct pg *p = PG(j);
	struct params ps = { 0 };
	p_i64(&ps, id);
	p_bool(&ps, with_plan);
	int rc = JOURNAL_OK;
	PGresult *r = run(p, ST_INCIDENT_GET, &ps, "read", &rc, err);
	if (!r)
		return rc;
	if (PQntuples(r) == 1)
		row_incident(r, 0, 1, out);
	else
		rc = journal_fail(err, JOURNAL_NOTFOUND, "database '%s' has no incident %" PRId64,
				  j->where, id);
	PQclear(r);
	return rc;
}

/* Newest first, in pages: the callback may read the journal meanwhile. */
static int pg_incidents(struct journal *j, journal_incident_fn fn, void *ctx,
			struct sitrep_error *err)
{
	struct pg *p = PG(j);
	int64_t at = INT64_MAX, at_id = INT64_MAX, limit = 256;
	for (;;) {
		struct params ps = { 0 };
		p_i64(&ps, at);
		p_i64(&ps, at_id);
		p_i64(&ps, limit);
		int rc = JOURNAL_OK;
		PGresult *r = run(p, ST_INCIDENTS, &ps, "read", &rc, err);
		if (!r)
			return rc;
		int n = PQntuples(r);
		for (int i = 0; i < n; i++) {
			struct journal_incident inc;
			row_incident(r, i, 0, &inc);
			at = inc.created_at;
			at_id = inc.id;
			if (fn(&inc, ctx)) {
				PQclear(r);
				return JOURNAL_OK;
			}
		}
		PQclear(r);
		if (n < limit)
			return JOURNAL_OK;
	}
}

/* ---------- entries ---------- */

static int pg_head(struct journal *j, int64_t incident, int full, struct journal_head *out,
		   struct sitrep_error *err)
{
	struct pg *p = PG(j);
	struct params ps = { 0 };
	p_i64(&ps, incident);
	if (full)
		p_i64(&ps, full == JOURNAL_HEAD_COUNT ? 1 : 0);
	memset(out, 0, sizeof *out);
	int rc = JOURNAL_OK;
	PGresult *r = run(p, full ? ST_HEAD_FULL : ST_HEAD, &ps, "read", &rc, err);
	if (!r)
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return journal_fail(err, JOURNAL_NOTFOUND, "database '%s' has no incident %" PRId64,
				    j->where, incident);
	}
	if (PQgetisnull(r, 0, 1)) {
		g_hash(r, 0, 0, out->hash); /* no entry: the genesis */
	} else {
		out->last_id = g_i64(r, 0, 1);
		g_hash(r, 0, 2, out->hash);
		out->last_recorded = g_i64(r, 0, 3);
	}
	if (full) {
		out->count = g_i64(r, 0, 4);
		out->last_occ = g_i64(r, 0, 5);
		out->last_occ_id = g_i64(r, 0, 6);
	}
	PQclear(r);
	return JOURNAL_OK;
}

static int pg_next_entry_id(struct journal *j, int64_t *id, struct sitrep_error *err)
{
	return next_id(PG(j), "entries", id, err);
}

static int pg_entry_locate(struct journal *j, int64_t id, int64_t *incident,
			   struct journal_pos *pos, char hash[65], struct sitrep_error *err)
{
	struct pg *p = PG(j);
	struct params ps = { 0 };
	p_i64(&ps, id);
	int rc = JOURNAL_OK;
	PGresult *r = run(p, ST_ENTRY_LOCATE, &ps, "read", &rc, err);
	if (!r)
		return rc;
	rc = JOURNAL_NOTFOUND; /* the caller says what was looked for */
	if (PQntuples(r) == 1) {
		*incident = g_i64(r, 0, 0);
		pos->occ = g_i64(r, 0, 1);
		pos->id = id;
		g_hash(r, 0, 2, hash);
		rc = JOURNAL_OK;
	}
	PQclear(r);
	return rc;
}

/* ---- the batch ---- */

static void put_be(struct strbuf *b, uint64_t v, int n)
{
	unsigned char x[8];
	for (int i = 0; i < n; i++)
		x[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
	sb_add(b, x, (size_t)n);
}

static void set_be32(struct strbuf *b, size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b->buf[at + (size_t)i] = (char)(v >> (8 * (3 - i)));
}

/* A one-dimensional binary array of elements of type oid, its size to be
 * set by ba_finish: ndim, has-nulls, oid, size, lower bound. */
static void ba_start(struct strbuf *b, uint32_t oid)
{
	sb_reset(b);
	put_be(b, 1, 4);
	put_be(b, 0, 4);
	put_be(b, oid, 4);
	put_be(b, 0, 4);
	put_be(b, 1, 4);
}

static void ba_finish(struct strbuf *b, size_t n)
{
	if (n == 0) { /* no dimension at all: the empty array */
		set_be32(b, 0, 0);
		b->len = 12;
		return;
	}
	set_be32(b, 12, (uint32_t)n);
}

static void ba_i64(struct strbuf *b, int64_t v)
{
	put_be(b, 8, 4);
	put_be(b, (uint64_t)v, 8);
}

static void ba_bytes(struct strbuf *b, const void *s, size_t n)
{
	put_be(b, n, 4);
	sb_add(b, s, n);
}

static void batch_reset(struct batch *b)
{
	static const uint32_t oid[B__COUNT] = {
		[B_ID] = 20, [B_INCIDENT] = 20, [B_RECORDED] = 20, [B_OCCURRED] = 20,
		[B_ACTOR] = 25, [B_ROLE] = 25, [B_KIND] = 25, [B_PAYLOAD] = 114, [B_CORRECTS] = 20,
		[B_PREV] = 25, [B_HASH] = 25, [B_R_ENTRY] = 20, [B_R_INCIDENT] = 20,
		[B_R_OCCURRED] = 20, [B_R_SEQ] = 23, [B_R_METRIC] = 25, [B_R_VALUE] = 701,
	};
	for (int i = 0; i < B__COUNT; i++)
		ba_start(&b->col[i], oid[i]);
	b->n = b->nr = b->bytes = 0;
}

static void batch_add(struct batch *b, const struct journal_entry *e)
{
	struct strbuf *c = b->col;
	if (!b->n)
		b->first = e->id;
	b->last = e->id;
	ba_i64(&c[B_ID], e->id);
	ba_i64(&c[B_INCIDENT], e->incident);
	ba_i64(&c[B_RECORDED], e->recorded_at);
	ba_i64(&c[B_OCCURRED], e->occurred_at);
	ba_bytes(&c[B_ACTOR], e->actor, strlen(e->actor));
	ba_bytes(&c[B_ROLE], e->role, strlen(e->role));
	ba_bytes(&c[B_KIND], e->kind, strlen(e->kind));
	ba_bytes(&c[B_PAYLOAD], e->payload, e->payload_len);
	if (e->corrects) {
		ba_i64(&c[B_CORRECTS], e->corrects);
	} else {
		put_be(&c[B_CORRECTS], 0xffffffffu, 4); /* NULL */
		set_be32(&c[B_CORRECTS], 4, 1);          /* the array has NULLs */
	}
	ba_bytes(&c[B_PREV], e->prev_hash, strlen(e->prev_hash));
	ba_bytes(&c[B_HASH], e->hash, strlen(e->hash));
	for (size_t i = 0; i < e->nreadings; i++) {
		uint64_t u;
		ba_i64(&c[B_R_ENTRY], e->id);
		ba_i64(&c[B_R_INCIDENT], e->incident);
		ba_i64(&c[B_R_OCCURRED], e->occurred_at);
		put_be(&c[B_R_SEQ], 4, 4);
		put_be(&c[B_R_SEQ], (uint64_t)i, 4);
		ba_bytes(&c[B_R_METRIC], e->readings[i].metric, strlen(e->readings[i].metric));
		memcpy(&u, &e->readings[i].value, sizeof u);
		put_be(&c[B_R_VALUE], 8, 4);
		put_be(&c[B_R_VALUE], u, 8);
	}
	b->n++;
	b->nr += e->nreadings;
	b->bytes += e->payload_len + 256 + 64 * e->nreadings;
}

/* Send what waits (before any other statement, and at commit). */
static int flush(struct pg *p, struct sitrep_error *err)
{
	struct batch *b = &p->batch;
	if (!b->n)
		return JOURNAL_OK;
	size_t n = b->n;
	int64_t first = b->first, last = b->last;
	struct params ps = { 0 };
	for (int i = 0; i < B__COUNT; i++) {
		ba_finish(&b->col[i], i >= B_R_ENTRY ? b->nr : b->n);
		ps.v[ps.n] = b->col[i].buf;
		ps.len[ps.n] = (int)b->col[i].len;
		ps.fmt[ps.n] = 1;
		ps.n++;
	}
	b->n = 0; /* run() sends what waits first: nothing now */
	int rc = JOURNAL_OK;
	PGresult *r = run(p, ST_ENTRIES_INSERT, &ps, "append to", &rc, err);
	batch_reset(b);
	if (!r)
		return rc;
	int64_t added = PQntuples(r) == 1 ? g_i64(r, 0, 0) : -1;
	PQclear(r);
	if (added != (int64_t)n)
		return journal_fail(err, JOURNAL_ERROR, "unable to append to database '%s': %" PRId64
				    " of the entries %" PRId64 "-%" PRId64 " of this transaction"
				    " already exist", p->base.where, (int64_t)n - added, first, last);
	return JOURNAL_OK;
}

static int pg_entry_insert(struct journal *j, const struct journal_entry *e,
			   struct sitrep_error *err)
{
	struct pg *p = PG(j);
	/* What PostgreSQL would refuse, refused here: an error would abort
	 * the whole transaction (SQLite refuses the statement alone). */
	if (!json_ok(e->payload, e->payload_len))
		return journal_fail(err, JOURNAL_ERROR, "unable to append to database '%s': the"
				    " payload is not valid JSON", j->where);
	if (e->payload_len > INT_MAX / 4)
		return journal_fail(err, JOURNAL_ERROR, "unable to append to database '%s': a"
				    " payload of %zu bytes is too long", j->where, e->payload_len);
	if (!conn_ok(p))
		return live(p, err);
	batch_add(&p->batch, e);
	note_written(p, e->incident);
	if (p->batch.n >= BATCH_MAX || p->batch.bytes >= BATCH_BYTES)
		return flush(p, err);
	return JOURNAL_OK;
}

/* A one-dimensional array in binary: ndim, has-nulls, element type, then
 * (size, lower bound) per dimension, then each element's length (-1:
 * NULL) and bytes. NULL column: no elements. */
struct arr {
	const unsigned char *p, *end;
	int64_t n;
};

static int arr_open(struct arr *a, const PGresult *r, int row, int col)
{
	memset(a, 0, sizeof *a);
	if (PQgetisnull(r, row, col))
		return 0;
	a->p = (const unsigned char *)PQgetvalue(r, row, col);
	a->end = a->p + PQgetlength(r, row, col);
	if (a->end - a->p < 12)
		return -1;
	uint32_t ndim = (uint32_t)be(a->p, 4);
	a->p += 12;
	if (ndim == 0)
		return 0;
	if (ndim != 1 || a->end - a->p < 8)
		return -1;
	a->n = (int32_t)(uint32_t)be(a->p, 4);
	a->p += 8;
	return a->n < 0 ? -1 : 0;
}

/* The next element: *v its bytes (NULL for NULL), *len their length. */
static int arr_next(struct arr *a, const char **v, int *len)
{
	if (a->end - a->p < 4)
		return -1;
	int32_t l = (int32_t)(uint32_t)be(a->p, 4);
	a->p += 4;
	if (l < 0) {
		*v = NULL;
		*len = 0;
		return 0;
	}
	if (a->end - a->p < l)
		return -1;
	*v = (const char *)a->p;
	*len = l;
	a->p += l;
	return 0;
}

/* Keep what the page says of row i's payload (columns 14-17). A row
 * that does not decode is simply not kept: payload_readings then asks. */
static void keep_parsed(struct pg *p, const PGresult *r, int i)
{
	if (PQgetisnull(r, i, 7))
		return;
	struct parsed *q = &p->parsed[p->parsed_next];
	p->parsed_next ^= 1;
	q->valid = 0;
	sb_reset(&q->payload);
	sb_add(&q->payload, PQgetvalue(r, i, 7), (size_t)PQgetlength(r, i, 7));
	sb_reset(&q->keys);
	q->n = 0;
	q->obj = PQgetisnull(r, i, 14) ? -1 : g_bool(r, i, 14);
	struct arr k, v, num;
	if (arr_open(&k, r, i, 15) || arr_open(&v, r, i, 16) || arr_open(&num, r, i, 17) ||
	    k.n != v.n || k.n != num.n)
		return;
	for (int64_t m = 0; m < k.n; m++) {
		const char *kb, *vb, *nb;
		int kl, vl, nl;
		if (arr_next(&k, &kb, &kl) || arr_next(&v, &vb, &vl) || arr_next(&num, &nb, &nl) ||
		    !kb || !vb || !nb || nl != 1)
			return;
		size_t n = q->n;
		size_t a = q->alloc;
		q->key_len = xgrow(q->key_len, sizeof *q->key_len, n + 1, &a);
		a = q->alloc;
		q->value = xgrow(q->value, sizeof *q->value, n + 1, &a);
		a = q->alloc;
		q->number = xgrow(q->number, sizeof *q->number, n + 1, &a);
		q->alloc = a;
		q->key_len[n] = (size_t)kl;
		sb_add(&q->keys, kb, (size_t)kl);
		sb_addc(&q->keys, '\0');
		/* The JSON number's text, to its nearest double (as the
		 * append path's scanner reads it). */
		char num_text[64], *end;
		q->number[n] = nb[0] != 0 && vl > 0 && vl < (int)sizeof num_text;
		q->value[n] = 0;
		if (q->number[n]) {
			memcpy(num_text, vb, (size_t)vl);
			num_text[vl] = '\0';
			q->value[n] = strtod(num_text, &end);
			q->number[n] = *end == '\0';
		}
		q->n++;
	}
	q->valid = 1;
}

/* payload_readings from what a page brought, if it brought this payload's. */
static int replay_parsed(struct pg *p, const char *payload, size_t len,
			 journal_payload_reading_fn fn, void *ctx)
{
	for (int s = 0; s < 2; s++) {
		struct parsed *q = &p->parsed[s];
		if (!q->valid || q->payload.len != len || memcmp(q->payload.buf, payload, len) != 0)
			continue;
		if (q->obj == 0) {
			fn(ctx, NULL, 0, 0, 0);
			return 1;
		}
		const char *key = q->keys.buf;
		for (size_t m = 0; m < q->n; m++) {
			if (fn(ctx, key, q->key_len[m], q->number[m], q->value[m]))
				break;
			key += q->key_len[m] + 1;
		}
		return 1;
	}
	return 0;
}

static int pg_payload_readings(struct journal *j, const char *payload, size_t len,
			       journal_payload_reading_fn fn, void *ctx, int *not_json,
			       struct sitrep_error *err)
{
	struct pg *p = PG(j);
	*not_json = 0;
	if (replay_parsed(p, payload, len, fn, ctx))
		return JOURNAL_OK;
	if (!json_ok(payload, len)) {
		*not_json = 1;
		return JOURNAL_OK;
	}
	struct params ps = { 0 };
	if (p_bytes(&ps, payload, len))
		return journal_fail(err, JOURNAL_ERROR, "unable to read database '%s': a payload of"
				    " %zu bytes is too long", j->where, len);
	int rc = JOURNAL_OK;
	PGresult *r = run(p, ST_PAYLOAD_READINGS, &ps, "read", &rc, err);
	if (!r)
		return rc;
	for (int i = 0, n = PQntuples(r); i < n; i++) {
		if (!g_bool(r, i, 3)) {
			fn(ctx, NULL, 0, 0, 0); /* `readings` is not an object */
			break;
		}
		const char *key = g_text(r, i, 0);
		int is_number = g_bool(r, i, 2);
		double v = 0;
		if (is_number) {
			/* The JSON number's text, to its nearest double (as the
			 * append path's scanner reads it). */
			char *end;
			const char *t = g_text(r, i, 1);
			v = strtod(t, &end);
			if (end == t || *end)
				is_number = 0;
		}
		if (fn(ctx, key, (size_t)PQgetlength(r, i, 0), is_number, v))
			break;
	}
	PQclear(r);
	return JOURNAL_OK;
}

/* ---------- cursors: keyset pages ---------- */

static int fetch_page(struct pg_cursor *c, struct sitrep_error *err)
{
	struct pg *p = PG(c->base.j);
	const struct journal_query *q = &c->q;
	struct params ps = { 0 };
	PQclear(c->res);
	c->res = NULL;
	c->row = c->nrows = 0;
	p_i64(&ps, q->incident);
	p_i64(&ps, c->after.occ);
	p_i64(&ps, c->after.id);
	p_i64(&ps, q->upto);
	p_bool(&ps, (q->fields & JF_PAYLOAD) != 0);
	p_bool(&ps, (q->fields & JF_HASHES) != 0);
	p_cstr(&ps, c->kind);
	p_bool(&ps, q->actions_only);
	p_cstr(&ps, c->folded);
	p_i64(&ps, c->limit);
	int rc = JOURNAL_OK;
	c->res = run(p, c->id, &ps, "read", &rc, err);
	if (!c->res)
		return rc;
	c->nrows = PQntuples(c->res);
	/* Count the page's entries (rows are entry x reading, grouped): fewer
	 * than asked means it is the last page. */
	int64_t entries = 0, prev = 0;
	for (int i = 0; i < c->nrows; i++) {
		int64_t id = g_i64(c->res, i, 0);
		if (i == 0 || id != prev)
			entries++;
		prev = id;
	}
	c->last_page = entries < c->limit;
	if (c->nrows) {
		c->after.occ = g_i64(c->res, c->nrows - 1, 3);
		c->after.id = g_i64(c->res, c->nrows - 1, 0);
	}
	if (c->limit < PAGE_MAX)
		c->limit *= 2;
	return JOURNAL_OK;
}

static void pg_cursor_free(struct pg_cursor *c)
{
	PQclear(c->res);
	free(c->kind);
	free(c->folded);
	free(c);
}

static int pg_cursor_open(struct journal *j, const struct journal_query *q,
			  struct journal_cursor **out, struct sitrep_error *err)
{
	struct pg_cursor *c = xcalloc(1, sizeof *c);
	int variant = (q->descending ? 1 : 0) | (q->by_id ? 2 : 0) |
		      ((q->fields & JF_READINGS) ? 4 : 0);
	c->base.j = j;
	c->base.fields = q->fields;
	c->id = (enum stmt_id)(ST_CURSOR + variant);
	if (q->kind && !q->by_id)
		c->id = (enum stmt_id)(ST_CURSOR_KIND + (q->descending ? 1 : 0) +
				       ((q->fields & JF_READINGS) ? 2 : 0));
	c->q = *q;
	c->kind = q->kind ? xstrdup(q->kind) : NULL;
	c->folded = q->contains ? journal_fold_ascii(q->contains) : NULL;
	c->q.kind = c->kind;
	c->q.contains = c->folded;
	c->after = q->after;
	c->limit = PAGE_FIRST;
	int rc = fetch_page(c, err);
	if (rc) {
		pg_cursor_free(c);
		return rc;
	}
	*out = &c->base;
	return JOURNAL_OK;
}

static int pg_cursor_step(struct journal_cursor *c_, struct journal_row *row,
			  struct sitrep_error *err)
{
	struct pg_cursor *c = (struct pg_cursor *)c_;
	while (c->row >= c->nrows) {
		if (c->last_page)
			return JOURNAL_NOTFOUND;
		int rc = fetch_page(c, err);
		if (rc)
			return rc;
	}
	const PGresult *r = c->res;
	int i = c->row++;
	struct journal_entry *e = &row->e;
	memset(row, 0, sizeof *row);
	e->id = g_i64(r, i, 0);
	e->incident = g_i64(r, i, 1);
	e->recorded_at = g_i64(r, i, 2);
	e->occurred_at = g_i64(r, i, 3);
	e->actor = g_text(r, i, 4);
	e->role = g_text(r, i, 5);
	e->kind = g_text(r, i, 6);
	if ((c_->fields & JF_PAYLOAD) && !PQgetisnull(r, i, 7)) {
		e->payload = PQgetvalue(r, i, 7);
		e->payload_len = (size_t)PQgetlength(r, i, 7);
	}
	e->corrects = g_i64(r, i, 8);
	if (c_->fields & JF_HASHES) {
		g_hash(r, i, 9, e->prev_hash);
		g_hash(r, i, 10, e->hash);
	}
	if ((c_->fields & JF_READINGS) && PQnfields(r) > 13 && !PQgetisnull(r, i, 11)) {
		row->has_reading = 1;
		row->metric = g_text(r, i, 12);
		row->value = g_f64(r, i, 13);
	}
	if (PQnfields(r) > 17 && (i == 0 || g_i64(r, i - 1, 0) != e->id))
		keep_parsed(PG(c_->j), r, i);
	return JOURNAL_OK;
}

static void pg_cursor_close(struct journal_cursor *c_)
{
	pg_cursor_free((struct pg_cursor *)c_);
}

/* ---------- snapshots ---------- */

static int pg_snapshot_put(struct journal *j, int64_t incident, const struct journal_snapshot *s,
			   const char hash[65], struct sitrep_error *err)
{
	struct pg *p = PG(j);
	struct params ps = { 0 };
	p_i64(&ps, incident);
	p_i64(&ps, s->pos.occ);
	p_i64(&ps, s->pos.id);
	p_i64(&ps, s->max_id);
	p_bytes(&ps, hash, strlen(hash));
	if (p_bytes(&ps, s->blob, s->len))
		return journal_fail(err, JOURNAL_ERROR, "unable to store a snapshot in database"
				    " '%s': %zu bytes are too many for one value", j->where, s->len);
	int rc = JOURNAL_OK;
	PQclear(run(p, ST_SNAP_PUT, &ps, "store a snapshot in", &rc, err));
	return rc;
}

/* Newest first, in small pages: the first one usually checks. */
static int pg_snapshots_before(struct journal *j, int64_t incident, struct journal_pos pos,
			       journal_snapshot_fn fn, void *ctx, struct sitrep_error *err)
{
	struct pg *p = PG(j);
	int64_t limit = 4;
	for (;;) {
		struct params ps = { 0 };
		p_i64(&ps, incident);
		p_i64(&ps, pos.occ);
		p_i64(&ps, pos.id);
		p_i64(&ps, limit);
		int rc = JOURNAL_OK;
		PGresult *r = run(p, ST_SNAP_BEFORE, &ps, "read", &rc, err);
		if (!r)
			return rc;
		int n = PQntuples(r);
		for (int i = 0; i < n; i++) {
			struct journal_snapshot s = {
				.pos = { g_i64(r, i, 0), g_i64(r, i, 1) },
				.max_id = g_i64(r, i, 2),
				.blob = PQgetvalue(r, i, 4),
				.len = (size_t)PQgetlength(r, i, 4),
			};
			char hash[65];
			g_hash(r, i, 3, hash);
			/* the next page: strictly before this one (ids are >= 0) */
			pos.occ = s.pos.occ;
			pos.id = s.pos.id - 1;
			if (fn(ctx, &s, hash)) {
				PQclear(r);
				return JOURNAL_OK;
			}
		}
		PQclear(r);
		if (n < limit || (pos.id < 0 && pos.occ == INT64_MIN))
			return JOURNAL_OK;
		if (limit < 64)
			limit *= 4;
	}
}

static int pg_metric_latest(struct journal *j, int64_t incident, const char *metric,
			    const char *kind, int64_t upto, struct journal_metric_reading *out,
			    size_t max, size_t *n, struct sitrep_error *err)
{
	struct pg *p = PG(j);
	struct params ps = { 0 };
	p_i64(&ps, incident);
	p_cstr(&ps, metric);
	p_i64(&ps, upto);
	p_cstr(&ps, kind);
	p_i64(&ps, (int64_t)max);
	int rc = JOURNAL_OK;
	PGresult *r = run(p, ST_METRIC_LATEST, &ps, "read", &rc, err);
	if (!r)
		return rc;
	for (int i = 0; i < PQntuples(r) && *n < max; i++) {
		out[*n].occurred_at = g_i64(r, i, 0);
		out[*n].entry = g_i64(r, i, 1);
		out[*n].value = g_f64(r, i, 2);
		(*n)++;
	}
	PQclear(r);
	return JOURNAL_OK;
}

static int pg_snapshot_last(struct journal *j, int64_t incident, int *any,
			    struct journal_pos *pos, struct sitrep_error *err)
{
	struct pg *p = PG(j);
	struct params ps = { 0 };
	p_i64(&ps, incident);
	*any = 0;
	int rc = JOURNAL_OK;
	PGresult *r = run(p, ST_SNAP_LAST, &ps, "read", &rc, err);
	if (!r)
		return rc;
	if (PQntuples(r) == 1) {
		*any = 1;
		pos->occ = g_i64(r, 0, 0);
		pos->id = g_i64(r, 0, 1);
	}
	PQclear(r);
	return JOURNAL_OK;
}

static int pg_snapshot_drop_after(struct journal *j, int64_t incident, struct journal_pos pos,
				  struct sitrep_error *err)
{
	struct pg *p = PG(j);
	struct params ps = { 0 };
	p_i64(&ps, incident);
	p_i64(&ps, pos.occ);
	p_i64(&ps, pos.id);
	int rc = JOURNAL_OK;
	PQclear(run(p, ST_SNAP_DROP, &ps, "drop snapshots from", &rc, err));
	return rc;
}

/* ---------- verification ---------- */

static int pg_check_storage(struct journal *j, struct strbuf *msg, struct sitrep_error *err)
{
	/* PostgreSQL checks its pages as it reads them (a damaged one is an
	 * error, XX001/XX002, reported as damage); there is no quick_check
	 * to run. The chain is what verify checks. */
	(void)j;
	(void)msg;
	(void)err;
	return JOURNAL_OK;
}

static int query_i64(struct pg *p, const char *sql, const int64_t *arg, int64_t *out,
		     struct sitrep_error *err)
{
	char num[24];
	const char *v[1] = { num };
	int rc = live(p, err);
	if (rc)
		return rc;
	if (arg)
		snprintf(num, sizeof num, "%" PRId64, *arg);
	if ((rc = flush(p, err)))
		return rc;
	PGresult *r = PQexecParams(p->conn, sql, arg ? 1 : 0, NULL, arg ? v : NULL, NULL, NULL, 0);
	if (!r || !result_ok(r))
		return pg_fail(p, r, "read", err);
	*out = PQntuples(r) ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
	PQclear(r);
	return JOURNAL_OK;
}

static int pg_orphan_entry(struct journal *j, int64_t *id, struct sitrep_error *err)
{
	return query_i64(PG(j), "SELECT coalesce(min(id), 0) FROM entries e WHERE NOT EXISTS"
			 " (SELECT 1 FROM incidents i WHERE i.id = e.incident)", NULL, id, err);
}

static int pg_misplaced_reading(struct journal *j, int64_t incident, int64_t *entry,
				struct sitrep_error *err)
{
	/* Readings filed under the incident whose entry is not there as
	 * filed, and readings of its entries filed elsewhere. */
	static const char one[] =
		"SELECT coalesce(min(x), 0) FROM ("
		" SELECT min(r.entry) AS x FROM readings r WHERE r.incident = $1::bigint AND NOT EXISTS"
		"  (SELECT 1 FROM entries e WHERE e.id = r.entry AND e.incident = r.incident"
		"   AND e.occurred_at = r.occurred_at)"
		" UNION ALL"
		" SELECT min(e.id) FROM entries e JOIN readings r ON r.entry = e.id"
		"  WHERE e.incident = $1::bigint AND (r.incident <> e.incident"
		"  OR r.occurred_at <> e.occurred_at)) m";
	static const char all[] =
		"SELECT coalesce(min(r.entry), 0) FROM readings r WHERE NOT EXISTS"
		" (SELECT 1 FROM entries e WHERE e.id = r.entry AND e.incident = r.incident"
		"  AND e.occurred_at = r.occurred_at)";
	return query_i64(PG(j), incident ? one : all, incident ? &incident : NULL, entry, err);
}

/* ---------- for tests and tools ---------- */

static int pg_exec_unchecked(struct journal *j, const char *sql, struct sitrep_error *err)
{
	struct pg *p = PG(j);
	int rc = live(p, err);
	return rc ? rc : exec_done(p, sql, "run SQL on", err);
}

static int pg_query_text(struct journal *j, const char *sql, struct strbuf *out,
			 struct sitrep_error *err)
{
	struct pg *p = PG(j);
	int rc = live(p, err);
	if (rc)
		return rc;
	PGresult *r = exec_text(p, sql, "read", &rc, err);
	if (!r)
		return rc;
	if (PQntuples(r) > 0 && PQnfields(r) > 0 && !PQgetisnull(r, 0, 0))
		sb_add(out, PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
	PQclear(r);
	return JOURNAL_OK;
}

const struct journal_ops journal_pg_ops = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.set_busy_timeout = pg_set_busy_timeout,
	.clock = pg_clock,
	.changed = pg_changed,
	.poll_fd = pg_poll_fd,
	.begin = pg_begin,
	.lock_incident = pg_lock_incident,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_transaction = pg_in_transaction,
	.incident_next_id = pg_incident_next_id,
	.incident_insert = pg_incident_insert,
	.incident_get = pg_incident_get,
	.incidents = pg_incidents,
	.head = pg_head,
	.next_entry_id = pg_next_entry_id,
	.entry_locate = pg_entry_locate,
	.entry_insert = pg_entry_insert,
	.payload_readings = pg_payload_readings,
	.cursor_open = pg_cursor_open,
	.cursor_step = pg_cursor_step,
	.cursor_close = pg_cursor_close,
	.snapshot_put = pg_snapshot_put,
	.snapshots_before = pg_snapshots_before,
	.snapshot_last = pg_snapshot_last,
	.metric_latest = pg_metric_latest,
	.snapshot_drop_after = pg_snapshot_drop_after,
	.check_storage = pg_check_storage,
	.orphan_entry = pg_orphan_entry,
	.misplaced_reading = pg_misplaced_reading,
	.exec_unchecked = pg_exec_unchecked,
	.query_text = pg_query_text,
};

#else
/* Built without libpq (SITREP_NO_LIBPQ): journal.c refuses URLs. */
typedef int journal_pg_unused;
#endif
