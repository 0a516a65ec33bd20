/* Units for the journal (src/journal.c and both backends): append,
 * cursors and keyset paging, readings, snapshots, the hash chain and its
 * tampering cases, migration from versions 1 and 2, copying, the file
 * checks at open (owner, mode, type, empty, damaged), a file deleted under
 * an open journal, read-only use, locking and change detection.
 *
 * Two groups: every test on SQLite, then every test that means something
 * there on PostgreSQL, with the PostgreSQL-only ones (the incident's lock
 * across connections, a connection killed mid-transaction, NOTIFY, schema
 * versions, roles and privileges). The PostgreSQL group runs when
 * SITREP_TEST_PG holds a URL (tests/pg.sh start prints one; it must name a
 * superuser, for the tampering): each test gets a schema of its own there.
 * Without it the group is skipped, saying so.
 *
 * Tampering goes through journal_exec_unchecked: <sqlite3.h> and
 * <libpq-fe.h> stay in their backends. Run from the top of the tree (the
 * shell example is read from docs/journal-format.md, the roles from
 * docs/deployment.md). Several cases need a second process (fork) or
 * another user (they run as root here and drop to uid 65534 in a child). */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "sitrep/journal.h"
#include "sitrep/util.h"

#define PLAN_YAML "id: test\ntitle: 测试预案\n"
#define T0 1795000000 /* 2026-11-18 */
#define NOBODY 65534

/* ---------- helpers ---------- */

struct tmp {
	char dir[64];
	char db[128];
};

static void tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/sitrep-journal-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->db, sizeof t->db, "%s/journal.db", t->dir);
}

static void tmp_remove(struct tmp *t)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", t->dir, t->dir);
	assert_int_equal(system(cmd), 0);
}

static struct journal *open_ok(const char *path, unsigned flags)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = journal_open(path, flags, &err);
	if (!j)
		fail_msg("journal_open '%s': %s", path, err.msg);
	err_release(&err);
	return j;
}

/* journal_open must fail with exit code `code`; returns the message
 * (caller frees). */
static char *open_fails(const char *path, unsigned flags, int code)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = journal_open(path, flags, &err);
	if (j) {
		journal_close(j);
		fail_msg("journal_open of '%s' succeeded", path);
	}
	assert_non_null(err.msg);
	if (err.code != code)
		fail_msg("journal_open of '%s': code %d, expected %d (%s)", path, err.code, code,
			 err.msg);
	char *m = err.msg;
	err.msg = NULL;
	err_release(&err);
	return m;
}

static void must(int rc, const struct sitrep_error *err, const char *what)
{
	if (rc != JOURNAL_OK)
		fail_msg("%s: rc %d: %s", what, rc, err->msg ? err->msg : "(no message)");
}

static void begin(struct journal *j)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	must(journal_begin(j, &err), &err, "journal_begin");
	err_release(&err);
}

static void commit(struct journal *j)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	must(journal_commit(j, &err), &err, "journal_commit");
	err_release(&err);
}

static int64_t new_incident_plan(struct journal *j, const char *title, const char *plan,
				 size_t plan_len, int drill, int64_t created)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal_incident in = { .title = (char *)title, .plan_id = "test",
				       .plan_text = (char *)plan, .plan_len = plan_len,
				       .drill = drill, .created_at = created };
	begin(j);
	must(journal_incident_create(j, &in, &err), &err, "journal_incident_create");
	commit(j);
	err_release(&err);
	assert_true(in.id > 0);
	char g[65];
	journal_genesis_hash(&in, g);
	assert_string_equal(g, in.genesis);
	return in.id;
}

static int64_t new_incident(struct journal *j, const char *title)
{
	return new_incident_plan(j, title, PLAN_YAML, strlen(PLAN_YAML), 0, T0);
}

/* Append (in a transaction of its own); returns the id. */
static int64_t add(struct journal *j, struct journal_entry *e)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	begin(j);
	must(journal_append(j, e, &err), &err, "journal_append");
	commit(j);
	err_release(&err);
	assert_true(e->id > 0);
	return e->id;
}

static int64_t append(struct journal *j, int64_t inc, int64_t rec, int64_t occ, const char *kind,
		      const char *payload, int64_t corrects)
{
	struct journal_entry e = {
		.incident = inc, .recorded_at = rec, .occurred_at = occ, .actor = "alice",
		.role = "commander", .kind = kind, .payload = payload, .corrects = corrects,
	};
	return add(j, &e);
}

/* A metric entry with one reading, its payload built to match. */
static int64_t append_reading(struct journal *j, int64_t inc, int64_t at, const char *metric,
			      double value)
{
	char payload[160];
	snprintf(payload, sizeof payload, "{\"readings\":{\"%s\":%.17g}}", metric, value);
	struct journal_reading r = { metric, value };
	struct journal_entry e = {
		.incident = inc, .recorded_at = at, .occurred_at = at, .actor = "feed",
		.role = "", .kind = "metric", .payload = payload, .readings = &r, .nreadings = 1,
	};
	return add(j, &e);
}

/* journal_append in a transaction must fail with rc; returns the message. */
static char *append_fails(struct journal *j, struct journal_entry *e, int rc)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	int got = journal_append(j, e, &err);
	if (got != rc)
		fail_msg("journal_append gave %d (%s), expected %d", got, err.msg ? err.msg : "",
			 rc);
	assert_non_null(err.msg);
	assert_int_equal(err.code, rc == JOURNAL_NOTFOUND ? SITREP_EXIT_USAGE
				   : rc == JOURNAL_CORRUPT ? SITREP_EXIT_INTEGRITY
				   : SITREP_EXIT_STORAGE);
	char *m = err.msg;
	err.msg = NULL;
	err_release(&err);
	return m;
}

static void expect_append_fails(struct journal *j, struct journal_entry *e, int rc,
				const char *want_in_msg)
{
	char *m = append_fails(j, e, rc);
	if (!strstr(m, want_in_msg))
		fail_msg("message '%s' lacks '%s'", m, want_in_msg);
	free(m);
}

static void exec_ok(struct journal *j, const char *sql)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	must(journal_exec_unchecked(j, sql, &err), &err, sql);
	err_release(&err);
}

static char *exec_fails(struct journal *j, const char *sql, int rc)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	assert_int_equal(journal_exec_unchecked(j, sql, &err), rc);
	char *m = err.msg;
	err.msg = NULL;
	err_release(&err);
	return m;
}

static char *query(struct journal *j, const char *sql)
{
	struct strbuf sb = STRBUF_INIT;
	struct sitrep_error err = SITREP_ERROR_INIT;
	sb_init(&sb);
	must(journal_query_text(j, sql, &sb, &err), &err, sql);
	err_release(&err);
	return sb_detach(&sb);
}

static void assert_query(struct journal *j, const char *sql, const char *want)
{
	char *got = query(j, sql);
	if (strcmp(got, want) != 0)
		fail_msg("gave '%s', expected '%s', from %.200s", got, want, sql);
	free(got);
}

/* ---------- the backend under test ---------- */

static int PG;                   /* this group runs on PostgreSQL */
static const char *pg_base;      /* SITREP_TEST_PG */
static struct journal *pg_admin; /* a journal in the base database, to run SQL */
static int pg_schemas;           /* schemas made for tests so far */
static char pg_last_schema[64];  /* the one pg_new_where made last */

#define SQL2(sqlite, pg) (PG ? (pg) : (sqlite))

/* base with one more query parameter. Caller frees. */
static char *url_with(const char *base, const char *param)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	sb_addf(&sb, "%s%c%s", base, strchr(base, '?') ? '&' : '?', param);
	return sb_detach(&sb);
}

/* The URL of a new, empty schema of the test database. Caller frees. */
static char *pg_new_where(void)
{
	char sql[128], param[128];
	snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS sitrep_t%ld_%d CASCADE;"
		 " CREATE SCHEMA sitrep_t%ld_%d", (long)getpid(), pg_schemas, (long)getpid(),
		 pg_schemas);
	exec_ok(pg_admin, sql);
	snprintf(param, sizeof param, "options=-csearch_path%%3Dsitrep_t%ld_%d", (long)getpid(),
		 pg_schemas);
	snprintf(pg_last_schema, sizeof pg_last_schema, "sitrep_t%ld_%d", (long)getpid(),
		 pg_schemas);
	pg_schemas++;
	return url_with(pg_base, param);
}

/* A new, empty journal: ":memory:", or a schema of its own. */
static struct journal *fresh(void)
{
	if (!PG)
		return open_ok(":memory:", JOURNAL_CREATE);
	char *url = pg_new_where();
	struct journal *j = open_ok(url, JOURNAL_CREATE);
	free(url);
	return j;
}

/* A place for a journal that several connections open: a file in a
 * temporary folder, or a schema of its own. */
struct place {
	struct tmp t;
	char *where;             /* owned */
};

static void place_make(struct place *p)
{
	if (PG) {
		p->where = pg_new_where();
	} else {
		tmp_make(&p->t);
		p->where = xstrdup(p->t.db);
	}
}

static void place_remove(struct place *p)
{
	if (!PG)
		tmp_remove(&p->t);
	free(p->where);
}

/* Turn off the append-only guards, to tamper (again and again: fine). */
static void unguard(struct journal *j)
{
	exec_ok(j, SQL2("DROP TRIGGER IF EXISTS entries_no_update;"
			" DROP TRIGGER IF EXISTS entries_no_delete;"
			" DROP TRIGGER IF EXISTS incidents_no_update;"
			" DROP TRIGGER IF EXISTS incidents_no_delete;"
			" DROP TRIGGER IF EXISTS readings_no_update;"
			" DROP TRIGGER IF EXISTS readings_no_delete;",
			"ALTER TABLE entries DISABLE TRIGGER USER;"
			" ALTER TABLE incidents DISABLE TRIGGER USER;"
			" ALTER TABLE readings DISABLE TRIGGER USER;"));
}

static void exec_unguarded(struct journal *j, const char *sql)
{
	unguard(j);
	exec_ok(j, sql);
}

/* SQL with the foreign keys not enforced. */
static void exec_no_fk(struct journal *j, const char *sql)
{
	if (!PG) {
		exec_ok(j, "PRAGMA foreign_keys = OFF");
		exec_ok(j, sql);
		exec_ok(j, "PRAGMA foreign_keys = ON");
		return;
	}
	exec_ok(j, "SET session_replication_role = replica");
	exec_ok(j, sql);
	exec_ok(j, "SET session_replication_role = DEFAULT");
}

/* "database 'WHERE' ..." for this journal. */
static const char *db_msg(struct journal *j, const char *fmt_tail, char *buf, size_t size)
{
	snprintf(buf, size, "database '%s'%s", journal_where(j), fmt_tail);
	return buf;
}

static struct journal_query qry(int64_t inc)
{
	struct journal_query q = {
		.incident = inc, .after = JOURNAL_POS_FIRST, .upto = INT64_MAX,
	};
	return q;
}

struct got {
	int64_t ids[300];
	int64_t occ[300];
	size_t nread[300];
	size_t n;
};

/* Walk a cursor to its end, collecting ids (and checking the fields it
 * was asked for are the only ones filled). */
static void walk(struct journal *j, const struct journal_query *q, struct got *g)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal_cursor *c = NULL;
	const struct journal_entry *e;
	memset(g, 0, sizeof *g);
	must(journal_cursor_open(j, q, &c, &err), &err, "journal_cursor_open");
	int rc;
	while ((rc = journal_cursor_next(c, &e, &err)) == JOURNAL_OK && e) {
		assert_true(g->n < 300);
		g->ids[g->n] = e->id;
		g->occ[g->n] = e->occurred_at;
		g->nread[g->n] = e->nreadings;
		g->n++;
		if (!(q->fields & JF_PAYLOAD))
			assert_null(e->payload);
		else
			assert_non_null(e->payload);
		if (!(q->fields & JF_HASHES))
			assert_string_equal(e->hash, "");
		else
			assert_int_equal(strlen(e->hash), 64);
		if (!(q->fields & JF_READINGS))
			assert_int_equal(e->nreadings, 0);
	}
	must(rc, &err, "journal_cursor_next");
	journal_cursor_close(c);
	err_release(&err);
}

static void assert_ids(const struct got *g, const int64_t *want, size_t n)
{
	if (g->n != n)
		fail_msg("%zu entries, expected %zu", g->n, n);
	for (size_t i = 0; i < n; i++)
		if (g->ids[i] != want[i])
			fail_msg("entry %zu is %lld, expected %lld", i, (long long)g->ids[i],
				 (long long)want[i]);
}

static int verify(struct journal *j, int64_t inc, int64_t *bad, char **msg)
{
	struct strbuf sb = STRBUF_INIT;
	struct sitrep_error err = SITREP_ERROR_INIT;
	sb_init(&sb);
	int rc = journal_verify(j, inc, NULL, NULL, bad, &sb, &err);
	if (rc != JOURNAL_OK) {
		assert_non_null(err.msg); /* err is filled on every failure */
		assert_int_equal(err.code, rc == JOURNAL_CORRUPT ? SITREP_EXIT_INTEGRITY
					   : rc == JOURNAL_NOTFOUND ? SITREP_EXIT_USAGE
					   : SITREP_EXIT_STORAGE);
	}
	err_release(&err);
	*msg = sb_detach(&sb);
	return rc;
}

static void verify_ok(struct journal *j, int64_t inc)
{
	int64_t bad = -1;
	char *msg;
	int rc = verify(j, inc, &bad, &msg);
	if (rc != JOURNAL_OK)
		fail_msg("verify %lld: %d: %s", (long long)inc, rc, msg);
	free(msg);
}

static void expect_corrupt(struct journal *j, int64_t inc, int64_t want_bad,
			   const char *want_in_msg)
{
	int64_t bad = -1;
	char *msg;
	int rc = verify(j, inc, &bad, &msg);
	if (rc != JOURNAL_CORRUPT)
		fail_msg("verify gave %d (%s), expected JOURNAL_CORRUPT", rc, msg);
	if (bad != want_bad)
		fail_msg("verify blamed entry %lld (%s), expected %lld", (long long)bad, msg,
			 (long long)want_bad);
	if (!strstr(msg, want_in_msg))
		fail_msg("verify message '%s' lacks '%s'", msg, want_in_msg);
	free(msg);
	/* verify of every incident finds it too. */
	if (inc) {
		bad = -1;
		assert_int_equal(verify(j, 0, &bad, &msg), JOURNAL_CORRUPT);
		assert_int_equal(bad, want_bad);
		free(msg);
	}
}

/* A journal with one incident and five entries 1..5 at T0+10..T0+50. */
static struct journal *five(int64_t *inc)
{
	struct journal *j = fresh();
	*inc = new_incident(j, "five");
	for (int i = 1; i <= 5; i++) {
		char p[32];
		snprintf(p, sizeof p, "{\"n\":%d}", i);
		assert_int_equal(append(j, *inc, T0 + 10 * i, T0 + 10 * i, "log", p, 0), i);
	}
	verify_ok(j, *inc);
	return j;
}

/* SQLite's guards, as the migration tests rebuild its schema. */
#define DROP_GUARDS "DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete;" \
		    " DROP TRIGGER incidents_no_update; DROP TRIGGER incidents_no_delete;" \
		    " DROP TRIGGER readings_no_update; DROP TRIGGER readings_no_delete;"

/* Run fn in a child process as uid/gid 65534 (nobody) when run as root,
 * as the user otherwise; the child reports with its exit status (cmocka's
 * asserts cannot cross the fork). */
#define CHILD_CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: child check failed: %s\n", \
	__FILE__, __LINE__, #cond); _exit(1); } } while (0)

static void as_nobody(void (*fn)(void *), void *ctx)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 &&
		    (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 || setuid(NOBODY) != 0)) {
			perror("drop to nobody");
			_exit(2);
		}
		fn(ctx);
		_exit(0);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* ---------- append, read, the basics ---------- */

static void test_memory_roundtrip(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = fresh();
	char wmsg[512];
	assert_int_equal(journal_schema_version(), 3);
	assert_query(j, SQL2("PRAGMA user_version",
			     "SELECT value FROM sitrep_meta WHERE name = 'schema_version'"), "3");
	if (!PG) {
		assert_query(j, "PRAGMA foreign_keys", "1");
		assert_string_equal(journal_where(j), ":memory:");
	}
	assert_false(journal_readonly(j));
	assert_false(journal_is_url(":memory:"));
	assert_true(journal_is_url("postgresql://u:p@h/db"));
	assert_true(journal_is_url("postgres://h/db"));
	assert_true(journal_is_url("PostgreSQL://h/db"));
	assert_false(journal_is_url("postgresql:/h/db"));
	/* SQLite has nothing to wait on; PostgreSQL's socket brings NOTIFYs. */
	assert_int_equal(journal_poll_fd(j) >= 0, PG);
	int64_t now = 0;
	must(journal_clock(j, &now, &err), &err, "journal_clock");
	assert_true(now > T0 - 400000000 && now < INT64_C(4102444800));

	int64_t a = new_incident(j, "热线中断 hotline down");
	int64_t b = new_incident_plan(j, "second", PLAN_YAML, strlen(PLAN_YAML), 1, T0);
	assert_int_not_equal(a, b);

	struct journal_incident inc;
	must(journal_incident_get(j, a, 1, &inc, &err), &err, "get");
	assert_string_equal(inc.title, "热线中断 hotline down");
	assert_string_equal(inc.plan_id, "test");
	assert_int_equal(inc.plan_len, strlen(PLAN_YAML));
	assert_memory_equal(inc.plan_text, PLAN_YAML, strlen(PLAN_YAML));
	char ph[65];
	sha256_hex(PLAN_YAML, strlen(PLAN_YAML), ph);
	assert_string_equal(inc.plan_hash, ph);
	assert_int_equal(inc.drill, 0);
	assert_int_equal(inc.created_at, T0);
	char genesis[65];
	memcpy(genesis, inc.genesis, sizeof genesis);
	journal_incident_release(&inc);
	must(journal_incident_get(j, a, 0, &inc, &err), &err, "get");
	assert_null(inc.plan_text);
	journal_incident_release(&inc);
	assert_int_equal(journal_incident_get(j, 999, 0, &inc, &err), JOURNAL_NOTFOUND);
	assert_int_equal(err.code, SITREP_EXIT_USAGE);
	assert_string_equal(err.msg, db_msg(j, " has no incident 999", wmsg, sizeof wmsg));

	/* The head of an empty incident is its genesis hash. */
	struct journal_head h;
	must(journal_head(j, a, &h, &err), &err, "head");
	assert_int_equal(h.last_id, 0);
	assert_int_equal(h.count, 0);
	assert_string_equal(h.hash, genesis);
	assert_int_equal(journal_head(j, 999, &h, &err), JOURNAL_NOTFOUND);

	struct journal_entry e = {
		.incident = a, .recorded_at = T0 + 60, .occurred_at = T0 + 60, .actor = "李雷",
		.role = "", .kind = "log", .payload = "{\"text\":\"电话排队 \\u0007 ok\"}",
	};
	begin(j);
	assert_true(journal_in_transaction(j));
	must(journal_append(j, &e, &err), &err, "append");
	commit(j);
	assert_false(journal_in_transaction(j));
	assert_string_equal(e.prev_hash, genesis);
	int64_t e1 = e.id;
	int64_t e2 = append(j, b, T0 + 61, T0 + 61, "log", "{}", 0);
	int64_t e3 = append(j, a, T0 + 70, T0 + 70, "escalate", "{\"to\":\"II\"}", 0);
	int64_t e4 = append(j, a, T0 + 80, T0 + 80, "log", "{\"fix\":1}", e1);
	assert_true(e1 < e2 && e2 < e3 && e3 < e4);

	struct journal_entry got;
	must(journal_entry_get(j, e1, &got, &err), &err, "entry_get");
	assert_string_equal(got.actor, "李雷");
	assert_string_equal(got.role, "");
	assert_string_equal(got.kind, "log");
	assert_string_equal(got.payload, "{\"text\":\"电话排队 \\u0007 ok\"}");
	assert_int_equal(got.payload_len, strlen(got.payload));
	assert_string_equal(got.hash, e.hash);
	assert_string_equal(got.prev_hash, genesis);
	assert_int_equal(got.corrects, 0);
	assert_int_equal(got.nreadings, 0);
	journal_entry_free_owned(&got);
	must(journal_entry_get(j, e4, &got, &err), &err, "entry_get");
	assert_int_equal(got.corrects, e1);
	journal_entry_free_owned(&got);
	assert_int_equal(journal_entry_get(j, 9999, &got, &err), JOURNAL_NOTFOUND);
	assert_non_null(strstr(err.msg, "no entry 9999"));

	/* Incident a only, in order; b's entry is not in a's chain. */
	struct journal_query q = qry(a);
	q.fields = JF_PAYLOAD;
	struct got g;
	walk(j, &q, &g);
	int64_t want[] = { e1, e3, e4 };
	assert_ids(&g, want, 3);

	must(journal_head(j, a, &h, &err), &err, "head");
	assert_int_equal(h.last_id, e4);
	assert_int_equal(h.count, 3);
	assert_int_equal(h.last_recorded, T0 + 80);
	assert_int_equal(h.last_occ, T0 + 80);
	assert_int_equal(h.last_occ_id, e4);
	must(journal_entry_get(j, e4, &got, &err), &err, "entry_get");
	assert_string_equal(h.hash, got.hash);
	journal_entry_free_owned(&got);

	verify_ok(j, a);
	verify_ok(j, 0);
	err_release(&err);
	journal_close(j);
}

struct inc_list {
	int64_t ids[8];
	char titles[8][32];
	size_t n;
	size_t stop_after;
};

static int list_fn(const struct journal_incident *inc, void *ctx)
{
	struct inc_list *l = ctx;
	assert_null(inc->plan_text);
	l->ids[l->n] = inc->id;
	snprintf(l->titles[l->n], sizeof l->titles[0], "%s", inc->title);
	l->n++;
	return l->stop_after && l->n >= l->stop_after;
}

static void test_incident_list(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = fresh();
	int64_t a = new_incident_plan(j, "old", PLAN_YAML, strlen(PLAN_YAML), 0, T0);
	int64_t b = new_incident_plan(j, "new", PLAN_YAML, strlen(PLAN_YAML), 0, T0 + 100);
	int64_t c = new_incident_plan(j, "same time", PLAN_YAML, strlen(PLAN_YAML), 0, T0 + 100);
	struct inc_list l = { .n = 0 };
	must(journal_incidents(j, list_fn, &l, &err), &err, "incidents");
	assert_int_equal(l.n, 3);
	assert_int_equal(l.ids[0], c); /* newest first; same created_at: higher id */
	assert_int_equal(l.ids[1], b);
	assert_int_equal(l.ids[2], a);
	assert_string_equal(l.titles[2], "old");
	memset(&l, 0, sizeof l);
	l.stop_after = 1;
	must(journal_incidents(j, list_fn, &l, &err), &err, "incidents");
	assert_int_equal(l.n, 1);
	err_release(&err);
	journal_close(j);
}

static void test_append_rules(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = fresh();
	int64_t a = new_incident(j, "a");
	int64_t b = new_incident(j, "b");
	int64_t eb = append(j, b, T0, T0, "log", "{}", 0);
	struct journal_entry e = {
		.incident = a, .recorded_at = T0, .occurred_at = T0, .actor = "alice",
		.kind = "log", .payload = "{}",
	};
	/* Outside a transaction: refused, nothing written. */
	expect_append_fails(j, &e, JOURNAL_ERROR, "no transaction is open");
	struct journal_incident in = { .title = "x", .plan_id = "p", .plan_text = "y",
				       .plan_len = 1, .created_at = T0 };
	assert_int_equal(journal_incident_create(j, &in, &err), JOURNAL_ERROR);
	assert_int_equal(journal_commit(j, &err), JOURNAL_ERROR);
	char want[512];
	snprintf(want, sizeof want, "unable to commit to database '%s': no transaction is open",
		 journal_where(j));
	assert_string_equal(err.msg, want);

	begin(j);
	assert_int_equal(journal_begin(j, &err), JOURNAL_ERROR); /* no nesting */
	assert_non_null(strstr(err.msg, "one is already open"));
	e.incident = 999;
	expect_append_fails(j, &e, JOURNAL_NOTFOUND, "no incident 999");
	e.incident = a;
	e.payload = "{not json";
	expect_append_fails(j, &e, JOURNAL_ERROR, "not valid JSON");
	e.payload = "[1,2";
	expect_append_fails(j, &e, JOURNAL_ERROR, "not valid JSON");
	e.payload = "{\"t\":\"\xff\"}";
	expect_append_fails(j, &e, JOURNAL_ERROR, "not valid UTF-8");
	/* A NUL inside the given length: refused, not cut short. */
	e.payload = "{}\0{\"x\":1}";
	e.payload_len = 10;
	expect_append_fails(j, &e, JOURNAL_ERROR, "NUL");
	e.payload_len = 0;
	e.payload = "{}";
	e.occurred_at = T0 + 1; /* later than recorded */
	expect_append_fails(j, &e, JOURNAL_ERROR, "occurred");
	e.occurred_at = T0;
	e.corrects = eb; /* an entry of another incident */
	expect_append_fails(j, &e, JOURNAL_NOTFOUND, "not an earlier entry of incident");
	e.corrects = 4242; /* no such entry */
	expect_append_fails(j, &e, JOURNAL_NOTFOUND, "not an earlier entry of incident");
	e.corrects = 0;
	e.actor = "";
	expect_append_fails(j, &e, JOURNAL_ERROR, "has no actor");
	e.actor = "alice";
	e.kind = NULL;
	expect_append_fails(j, &e, JOURNAL_ERROR, "has no kind");
	e.kind = "log";
	e.role = "\xc3";
	expect_append_fails(j, &e, JOURNAL_ERROR, "role is not valid UTF-8");
	e.role = NULL; /* NULL role is "" */
	must(journal_append(j, &e, &err), &err, "append");
	journal_rollback(j);
	assert_false(journal_in_transaction(j));
	journal_rollback(j); /* without a transaction: nothing */

	/* The rolled-back entry is gone and the chain is whole: the cached
	 * head did not survive the rollback. */
	struct journal_head h;
	must(journal_head(j, a, &h, &err), &err, "head");
	assert_int_equal(h.last_id, 0);
	int64_t e1 = append(j, a, T0, T0, "log", "{}", 0);
	assert_int_equal(e1, eb + 1);
	int64_t e2 = append(j, a, T0, T0, "log", "{}", e1); /* same second: fine */
	assert_int_equal(e2, e1 + 1);

	/* Several appends in one transaction chain onto each other. */
	begin(j);
	struct journal_entry x = e, y = e;
	must(journal_append(j, &x, &err), &err, "append");
	must(journal_append(j, &y, &err), &err, "append");
	assert_string_equal(y.prev_hash, x.hash);
	assert_int_equal(y.id, x.id + 1);
	/* The same struct again, correcting the entry it just wrote: its old
	 * id is not the new entry's. */
	y.corrects = y.id;
	must(journal_append(j, &y, &err), &err, "append a correction");
	assert_int_equal(y.corrects, y.id - 1);
	commit(j);

	/* The append-only guard refuses edits made by mistake. */
	char *m = exec_fails(j, "UPDATE entries SET kind = 'x'", JOURNAL_ERROR);
	assert_non_null(strstr(m, "append-only"));
	free(m);
	free(exec_fails(j, "DELETE FROM entries", JOURNAL_ERROR));
	free(exec_fails(j, "UPDATE incidents SET title = 'x'", JOURNAL_ERROR));
	free(exec_fails(j, "DELETE FROM incidents", JOURNAL_ERROR));
	verify_ok(j, 0);
	err_release(&err);
	journal_close(j);
}

/* The clock must not go backwards within an incident. */
static void test_clock_backwards(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = fresh();
	int64_t a = new_incident(j, "clock");
	int64_t b = new_incident(j, "other");
	append(j, a, T0 + 100, T0 + 100, "log", "{}", 0);
	struct journal_entry e = { .incident = a, .recorded_at = T0 + 99, .occurred_at = T0 + 50,
				   .actor = "alice", .kind = "log", .payload = "{}" };
	begin(j);
	expect_append_fails(j, &e, JOURNAL_ERROR, "the clock went backwards");
	journal_rollback(j);
	/* Another incident has its own newest time. */
	append(j, b, T0 + 10, T0 + 10, "log", "{}", 0);
	/* Backfilled occurred_at is fine while recorded_at goes forward. */
	append(j, a, T0 + 100, T0 + 20, "log", "{}", 0);

	/* verify reports an entry recorded before its predecessor, even with a
	 * well-formed hash and link. */
	struct journal_head h;
	must(journal_head(j, a, &h, &err), &err, "head");
	struct journal_entry bad = { .id = 100, .incident = a, .recorded_at = T0 + 1,
				     .occurred_at = T0 + 1, .actor = "mallory", .role = "",
				     .kind = "log", .payload = "{}" };
	char hash[65], sql[512];
	assert_int_equal(journal_entry_hash(h.hash, &bad, hash), 0);
	snprintf(sql, sizeof sql, "INSERT INTO entries VALUES (100, %lld, %d, %d, 'mallory', '',"
		 " 'log', '{}', NULL, '%s', '%s')", (long long)a, T0 + 1, T0 + 1, h.hash, hash);
	exec_ok(j, sql);
	expect_corrupt(j, a, 100, "the clock went backwards");
	err_release(&err);
	journal_close(j);
}

/* ---------- readings ---------- */

/* The latest readings of one metric, newest first, bounded, up to a time,
 * of one kind of entry; other metrics and incidents are not seen. */
static void test_metric_latest(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = fresh();
	int64_t a = new_incident(j, "sparks"), b = new_incident(j, "other");
	struct journal_metric_reading r[8];
	size_t n = 0;
	for (int i = 0; i < 6; i++) {
		append_reading(j, a, T0 + 10 * i, "cpu_pct", 40 + i);
		append_reading(j, a, T0 + 10 * i + 1, "queue_min", 1 + i);
		append_reading(j, b, T0 + 10 * i + 2, "cpu_pct", 90);
	}
	/* a reading journaled by another kind of entry (a correction) */
	struct journal_reading fix = { "cpu_pct", 99 };
	struct journal_entry e = {
		.incident = a, .recorded_at = T0 + 100, .occurred_at = T0 + 100, .actor = "alice",
		.role = "", .kind = "correct", .payload = "{\"readings\":{\"cpu_pct\":99},\"entry\":1}",
		.readings = &fix, .nreadings = 1, .corrects = 1,
	};
	add(j, &e);
	must(journal_metric_latest(j, a, "cpu_pct", "metric", INT64_MAX, r, 4, &n, &err), &err,
	     "journal_metric_latest");
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(r[i].occurred_at, T0 + 10 * (5 - (int64_t)i));
		assert_true(r[i].value == 45 - (double)i);
	}
	/* any kind: the correction's reading comes first */
	must(journal_metric_latest(j, a, "cpu_pct", NULL, INT64_MAX, r, 8, &n, &err), &err,
	     "journal_metric_latest");
	assert_int_equal(n, 7);
	assert_true(r[0].value == 99);
	/* up to a time */
	must(journal_metric_latest(j, a, "cpu_pct", "metric", T0 + 25, r, 8, &n, &err), &err,
	     "journal_metric_latest");
	assert_int_equal(n, 3);
	assert_true(r[0].value == 42);
	/* none */
	must(journal_metric_latest(j, a, "nope", "metric", INT64_MAX, r, 8, &n, &err), &err,
	     "journal_metric_latest");
	assert_int_equal(n, 0);
	err_release(&err);
	journal_close(j);
}

static void test_readings(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = fresh();
	int64_t a = new_incident(j, "readings");
	struct journal_reading rd[] = { { "queue_min", 3.5 }, { "投诉率", 130 },
					{ "cpu_pct", 0.1 } };
	struct journal_entry e = {
		.incident = a, .recorded_at = T0, .occurred_at = T0, .actor = "feed", .role = "",
		.kind = "metric", .readings = rd, .nreadings = 3,
		/* the payload's order need not be the readings' order */
		.payload = "{\"readings\":{\"cpu_pct\":0.1,\"queue_min\":3.5,\"投诉率\":130},"
			   "\"source\":\"csv\"}",
	};
	int64_t m1 = add(j, &e);
	int64_t m2 = append_reading(j, a, T0 + 10, "queue_min", 4.25);
	int64_t l1 = append(j, a, T0 + 20, T0 + 20, "log", "{\"text\":\"readings look fine\"}", 0);

	/* Typed columns, in the order given. */
	if (!PG)
		assert_query(j, "SELECT group_concat(seq || ':' || metric || '=' || value || ':' ||"
			     " typeof(value), ' ') FROM (SELECT * FROM readings WHERE entry = 1"
			     " ORDER BY seq)",
			     "0:queue_min=3.5:real 1:投诉率=130.0:real 2:cpu_pct=0.1:real");
	else
		assert_query(j, "SELECT string_agg(seq || ':' || metric || '=' || value || ':' ||"
			     " pg_typeof(value), ' ' ORDER BY seq) FROM readings WHERE entry = 1",
			     "0:queue_min=3.5:double precision 1:投诉率=130:double precision"
			     " 2:cpu_pct=0.1:double precision");
	assert_query(j, "SELECT count(*) FROM readings", "4");
	assert_query(j, SQL2("SELECT group_concat(incident || '/' || occurred_at) FROM readings"
			     " WHERE entry = 2", "SELECT string_agg(incident || '/' || occurred_at,"
			     " ',') FROM readings WHERE entry = 2"), "1/1795000010");

	/* Replay reads them by join, without the payload. */
	struct journal_query q = qry(a);
	q.fields = JF_READINGS;
	struct sitrep_error cerr = SITREP_ERROR_INIT;
	struct journal_cursor *c;
	const struct journal_entry *got;
	must(journal_cursor_open(j, &q, &c, &cerr), &cerr, "cursor");
	must(journal_cursor_next(c, &got, &cerr), &cerr, "next");
	assert_int_equal(got->id, m1);
	assert_null(got->payload);
	assert_int_equal(got->nreadings, 3);
	assert_string_equal(got->readings[0].metric, "queue_min");
	assert_true(got->readings[0].value == 3.5);
	assert_string_equal(got->readings[1].metric, "投诉率");
	assert_true(got->readings[1].value == 130);
	assert_string_equal(got->readings[2].metric, "cpu_pct");
	assert_true(got->readings[2].value == 0.1);
	assert_string_equal(got->actor, "feed");
	assert_string_equal(got->kind, "metric");
	must(journal_cursor_next(c, &got, &cerr), &cerr, "next");
	assert_int_equal(got->id, m2);
	assert_int_equal(got->nreadings, 1);
	assert_true(got->readings[0].value == 4.25);
	must(journal_cursor_next(c, &got, &cerr), &cerr, "next");
	assert_int_equal(got->id, l1);
	assert_int_equal(got->nreadings, 0);
	assert_null(got->readings);
	must(journal_cursor_next(c, &got, &cerr), &cerr, "next");
	assert_null(got);
	must(journal_cursor_next(c, &got, &cerr), &cerr, "next"); /* stays at the end */
	assert_null(got);
	journal_cursor_close(c);
	err_release(&cerr);

	struct journal_entry owned;
	must(journal_entry_get(j, m1, &owned, &err), &err, "get");
	assert_int_equal(owned.nreadings, 3);
	assert_string_equal(owned.readings[1].metric, "投诉率");
	journal_entry_free_owned(&owned);

	/* The payload and the readings must agree. */
	begin(j);
	struct journal_reading one = { "queue_min", 3.5 };
	struct journal_entry x = { .incident = a, .recorded_at = T0 + 30, .occurred_at = T0 + 30,
				   .actor = "feed", .kind = "metric", .readings = &one,
				   .nreadings = 1, .payload = "{\"readings\":{}}" };
	expect_append_fails(j, &x, JOURNAL_ERROR, "its reading 'queue_min' = 3.5 is not in its payload");
	x.payload = "{\"text\":\"no readings member\"}";
	expect_append_fails(j, &x, JOURNAL_ERROR, "is not in its payload");
	x.payload = "{\"readings\":{\"queue_min\":3.25}}";
	expect_append_fails(j, &x, JOURNAL_ERROR, "'queue_min' = 3.25 is not among the entry's readings");
	x.payload = "{\"readings\":{\"queue_min\":3.5,\"cpu_pct\":1}}";
	expect_append_fails(j, &x, JOURNAL_ERROR, "'cpu_pct' = 1 is not among");
	x.payload = "{\"readings\":{\"queue_min\":\"3.5\"}}";
	expect_append_fails(j, &x, JOURNAL_ERROR, "is not a number");
	x.payload = "{\"readings\":[3.5]}";
	expect_append_fails(j, &x, JOURNAL_ERROR, "not an object");
	x.payload = "{\"r\\u0065adings\":{\"queue_min\":3.5}}"; /* an escaped key is the key */
	must(journal_append(j, &x, &err), &err, "escaped key");
	x.payload = "{\"readings\":{\"queue_min\":3.5}}";
	struct journal_reading two[] = { { "queue_min", 3.5 }, { "queue_min", 3.5 } };
	x.readings = two;
	x.nreadings = 2;
	expect_append_fails(j, &x, JOURNAL_ERROR, "read twice");
	struct journal_reading nan_r = { "queue_min", NAN };
	x.readings = &nan_r;
	x.nreadings = 1;
	expect_append_fails(j, &x, JOURNAL_ERROR, "not a finite number");
	struct journal_reading noname = { "", 1 };
	x.readings = &noname;
	expect_append_fails(j, &x, JOURNAL_ERROR, "no metric name");
	/* No readings but a payload that has some: refused too. */
	x.readings = NULL;
	x.nreadings = 0;
	expect_append_fails(j, &x, JOURNAL_ERROR, "'queue_min' = 3.5 is not among");
	/* A refusal carries no readings, whatever its payload echoes. */
	x.kind = "refused";
	must(journal_append(j, &x, &err), &err, "refused with echoed readings");
	int64_t refused = x.id;
	x.readings = &one;
	x.nreadings = 1;
	expect_append_fails(j, &x, JOURNAL_ERROR, "is not in its payload");
	commit(j);
	char want[64];
	snprintf(want, sizeof want, "%d", 0);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM readings WHERE entry = %lld",
		 (long long)refused);
	assert_query(j, sql, want);
	verify_ok(j, a);

	/* The readings table is append-only too. */
	char *msg = exec_fails(j, "UPDATE readings SET value = 1", JOURNAL_ERROR);
	assert_non_null(strstr(msg, "readings are append-only"));
	free(msg);
	free(exec_fails(j, "DELETE FROM readings", JOURNAL_ERROR));
	err_release(&err);
	journal_close(j);
}

/* journal_append reads a payload without backslashes with a small scanner
 * of its own, and one with them with SQLite's json_each (as verify always
 * does). Each payload is tried both ways (an escaped member at the end
 * sends it to SQLite): the two must decide alike. */
static void test_readings_parsers(void **state)
{
	(void)state;
	static const struct {
		const char *payload;      /* ends in '}': the escaped member goes before it */
		const char *metric;       /* the one reading given, or NULL for none */
		double value;
		int ok;
	} cases[] = {
		{ "{\"readings\":{\"q\":3.5}}", "q", 3.5, 1 },
		{ " { \"readings\" : { \"q\" : 3.5 } } ", "q", 3.5, 1 },
		{ "{\"a\":{\"readings\":{\"q\":1}},\"readings\":{\"q\":2}}", "q", 2, 1 },
		{ "{\"a\":[1,{\"b\":\"}]{[\"}],\"readings\":{\"q\":2}}", "q", 2, 1 },
		{ "{\"readings\":{\"q\":1e2}}", "q", 100, 1 },
		{ "{\"readings\":{\"q\":-0}}", "q", 0, 1 },
		{ "{\"readings\":{\"q\":-1.25E-3}}", "q", -1.25e-3, 1 },
		{ "{\"readings\":{\"q\":0.30000000000000004}}", "q", 0.1 + 0.2, 1 },
		{ "{\"readings\":{\"q\":0.3}}", "q", 0.1 + 0.2, 0 },
		{ "{\"readings\":{\"q\":12345678901234567890}}", "q", 12345678901234567890.0, 1 },
		{ "{\"readings\":{\"q\":1},\"readings\":{\"q\":2}}", "q", 1, 1 },
		{ "{\"readings\":{\"q\":1},\"readings\":{\"q\":2}}", "q", 2, 0 },
		{ "{\"readings\":{}}", NULL, 0, 1 },
		{ "{\"readings\":{\"q\":1}}", NULL, 0, 0 },
		{ "{\"readings\":{\"q\":1,\"r\":2}}", "q", 1, 0 },
		{ "{\"readings\":{\"q\":true}}", "q", 1, 0 },
		{ "{\"readings\":{\"q\":null}}", NULL, 0, 0 },
		{ "{\"readings\":5}", NULL, 0, 0 },
		{ "{\"readings\":[{\"q\":1}]}", "q", 1, 0 },
		{ "{\"text\":\"readings\"}", NULL, 0, 1 },
		{ "{\"text\":\"readings\"}", "q", 1, 0 },
		{ "{\"Readings\":{\"q\":1}}", "q", 1, 0 },
		{ "{\"readings\":{\"q\":1}", "q", 1, 0 }, /* not JSON */
		{ "{\"readings\":{\"q\":01}}", "q", 1, 0 }, /* not JSON */
		{ "{\"readings\":{\"测试\":7}}", "测试", 7, 1 },
	};
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = fresh();
	int64_t a = new_incident(j, "parsers");
	begin(j);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int esc = 0; esc <= 1; esc++) {
			char payload[256];
			const char *end = strrchr(cases[i].payload, '}');
			assert_non_null(end);
			if (esc)
				snprintf(payload, sizeof payload, "%.*s,\"z\":\"\\u0041\"%s",
					 (int)(end - cases[i].payload), cases[i].payload, end);
			else
				snprintf(payload, sizeof payload, "%s", cases[i].payload);
			struct journal_reading r = { cases[i].metric, cases[i].value };
			struct journal_entry e = {
				.incident = a, .recorded_at = T0, .occurred_at = T0, .actor = "feed",
				.kind = "metric", .payload = payload, .readings = &r,
				.nreadings = cases[i].metric ? 1 : 0,
			};
			int rc = journal_append(j, &e, &err);
			if ((rc == JOURNAL_OK) != cases[i].ok)
				fail_msg("case %zu (%s): %s: rc %d (%s)", i, esc ? "json_each" : "scanner",
					 payload, rc, rc ? err.msg : "accepted");
		}
	}
	commit(j);
	verify_ok(j, a);
	err_release(&err);
	journal_close(j);
}

/* verify checks the typed readings against the payload they came from. */
static void test_verify_readings(void **state)
{
	(void)state;
	struct journal *j;
	int64_t a;
	const char *tamper[] = {
		"DELETE FROM readings WHERE entry = 2",
		"UPDATE readings SET value = 99 WHERE entry = 2",
		"UPDATE readings SET metric = 'cpu_pct' WHERE entry = 2",
		"INSERT INTO readings VALUES (2, 1, 1795000020, 1, 'cpu_pct', 50)",
		"INSERT INTO readings VALUES (3, 1, 1795000030, 0, 'cpu_pct', 50)", /* a log entry */
	};
	const char *why[] = {
		"'queue_min' = 2 is not among the entry's readings",
		"is not among the entry's readings",
		"is not among the entry's readings",
		"its reading 'cpu_pct' = 50 is not in its payload",
		"its reading 'cpu_pct' is not in its payload",
	};
	for (size_t i = 0; i < sizeof tamper / sizeof tamper[0]; i++) {
		j = fresh();
		a = new_incident(j, "r");
		append_reading(j, a, T0 + 10, "queue_min", 1);
		append_reading(j, a, T0 + 20, "queue_min", 2);
		append(j, a, T0 + 30, T0 + 30, "log", "{}", 0);
		verify_ok(j, a);
		exec_unguarded(j, tamper[i]);
		expect_corrupt(j, a, i == 4 ? 3 : 2, why[i]);
		journal_close(j);
	}

	/* Filed under the wrong incident or time: the "last N readings of a
	 * metric" index would show it elsewhere. */
	j = fresh();
	a = new_incident(j, "r");
	int64_t b = new_incident(j, "s");
	append_reading(j, a, T0 + 10, "queue_min", 1);
	append_reading(j, b, T0 + 20, "queue_min", 2);
	exec_unguarded(j, "UPDATE readings SET incident = 2 WHERE entry = 1");
	expect_corrupt(j, a, 1, "does not belong to it");
	int64_t bad;
	char *msg;
	assert_int_equal(verify(j, b, &bad, &msg), JOURNAL_CORRUPT);
	assert_int_equal(bad, 1);
	free(msg);
	journal_close(j);

	j = fresh();
	a = new_incident(j, "r");
	append_reading(j, a, T0 + 10, "queue_min", 1);
	exec_unguarded(j, "UPDATE readings SET occurred_at = 5 WHERE entry = 1");
	expect_corrupt(j, a, 1, "does not belong to it");
	journal_close(j);

	/* A reading of an entry that is not there at all. */
	j = fresh();
	a = new_incident(j, "r");
	append_reading(j, a, T0 + 10, "queue_min", 1);
	exec_no_fk(j, "INSERT INTO readings VALUES (77, 1, 1795000010, 0, 'queue_min', 1)");
	expect_corrupt(j, a, 77, "does not belong to it");
	journal_close(j);
}

/* ---------- the plan snapshot, byte for byte ---------- */

static void test_plan_bytes(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	/* A UTF-16LE plan: a BOM, then NUL bytes after every ASCII letter. */
	static const char plan[] = "\xff\xfei\0d\0:\0 \0x\0\n\0\0\0tail";
	size_t len = sizeof plan - 1;
	struct journal *j = fresh();
	int64_t a = new_incident_plan(j, "utf-16", plan, len, 0, T0);
	int64_t e = new_incident_plan(j, "empty plan", "", 0, 0, T0);
	struct journal_incident inc;
	must(journal_incident_get(j, a, 1, &inc, &err), &err, "get");
	assert_int_equal(inc.plan_len, len);
	assert_memory_equal(inc.plan_text, plan, len);
	assert_int_equal(inc.plan_text[len], '\0'); /* terminated for convenience */
	char ph[65];
	sha256_hex(plan, len, ph);
	assert_string_equal(inc.plan_hash, ph);
	journal_incident_release(&inc);
	must(journal_incident_get(j, e, 1, &inc, &err), &err, "get");
	assert_int_equal(inc.plan_len, 0);
	assert_non_null(inc.plan_text);
	journal_incident_release(&inc);
	char want[32];
	snprintf(want, sizeof want, "%s %zu %zu", SQL2("blob", "bytea"), len, len);
	assert_query(j, SQL2("SELECT typeof(plan_text) || ' ' || plan_len || ' ' || length(plan_text)"
			     " FROM incidents WHERE id = 1", "SELECT pg_typeof(plan_text) || ' ' ||"
			     " plan_len || ' ' || octet_length(plan_text) FROM incidents WHERE id = 1"),
		     want);
	verify_ok(j, 0);
	/* One byte past the first NUL changed: verify sees it. */
	exec_unguarded(j, SQL2("UPDATE incidents SET plan_text = CAST(substr(plan_text, 1, 4) ||"
			       " x'01' || substr(plan_text, 6) AS BLOB) WHERE id = 1",
			       "UPDATE incidents SET plan_text = overlay(plan_text placing"
			       " '\\x01'::bytea from 5 for 1) WHERE id = 1"));
	expect_corrupt(j, a, 0, "plan text does not match its plan hash");
	err_release(&err);
	journal_close(j);
}

/* ---------- cursors: order, paging, filters ---------- */

static void test_cursor_order(void **state)
{
	(void)state;
	struct journal *j = fresh();
	int64_t a = new_incident(j, "backfill");
	/* Recorded in id order 1..5; occurred: 100, 300, 200 (backfilled), 300, 50. */
	int64_t e1 = append(j, a, T0 + 100, T0 + 100, "log", "{}", 0);
	int64_t e2 = append(j, a, T0 + 300, T0 + 300, "log", "{}", 0);
	int64_t e3 = append(j, a, T0 + 400, T0 + 200, "log", "{}", 0);
	int64_t e4 = append(j, a, T0 + 400, T0 + 300, "log", "{}", 0);
	int64_t e5 = append(j, a, T0 + 500, T0 + 50, "log", "{}", 0);

	struct journal_query q = qry(a);
	struct got g;
	walk(j, &q, &g);
	int64_t pos_order[] = { e5, e1, e3, e2, e4 };
	assert_ids(&g, pos_order, 5);

	/* upto: occurred_at <= T0+200. */
	q.upto = T0 + 200;
	walk(j, &q, &g);
	int64_t upto[] = { e5, e1, e3 };
	assert_ids(&g, upto, 3);
	q.upto = INT64_MAX;

	/* after (T0+300, e2): e4 only; after (T0+300, e4): nothing. */
	q.after = (struct journal_pos){ T0 + 300, e2 };
	walk(j, &q, &g);
	assert_ids(&g, &e4, 1);
	q.after = (struct journal_pos){ T0 + 300, e4 };
	walk(j, &q, &g);
	assert_int_equal(g.n, 0);

	/* Descending: the newest position first; before a position. */
	q = qry(a);
	q.descending = 1;
	q.after = JOURNAL_POS_LAST;
	walk(j, &q, &g);
	int64_t desc[] = { e4, e2, e3, e1, e5 };
	assert_ids(&g, desc, 5);
	q.after = (struct journal_pos){ T0 + 300, e2 };
	walk(j, &q, &g);
	int64_t desc_after[] = { e3, e1, e5 };
	assert_ids(&g, desc_after, 3);
	q.after = JOURNAL_POS_LAST;
	q.upto = T0 + 100;
	walk(j, &q, &g);
	int64_t desc_upto[] = { e1, e5 };
	assert_ids(&g, desc_upto, 2);

	/* In id order (verify, migrate), both ways, after an id. */
	q = qry(a);
	q.by_id = 1;
	walk(j, &q, &g);
	int64_t ids[] = { e1, e2, e3, e4, e5 };
	assert_ids(&g, ids, 5);
	q.after.id = e3;
	walk(j, &q, &g);
	assert_ids(&g, ids + 3, 2);
	q.descending = 1;
	q.after = JOURNAL_POS_LAST;
	walk(j, &q, &g);
	int64_t rids[] = { e5, e4, e3, e2, e1 };
	assert_ids(&g, rids, 5);
	q.after.id = e3;
	walk(j, &q, &g);
	assert_ids(&g, rids + 3, 2);

	/* Fields: hashes and payload only when asked for. */
	q = qry(a);
	q.fields = JF_HASHES | JF_PAYLOAD;
	walk(j, &q, &g);
	assert_int_equal(g.n, 5);

	/* An incident without entries, or none at all, yields nothing. */
	int64_t empty = new_incident(j, "empty");
	q = qry(empty);
	walk(j, &q, &g);
	assert_int_equal(g.n, 0);
	q = qry(4242);
	walk(j, &q, &g);
	assert_int_equal(g.n, 0);
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal_cursor *c;
	q = qry(0);
	assert_int_equal(journal_cursor_open(j, &q, &c, &err), JOURNAL_NOTFOUND);
	err_release(&err);
	journal_close(j);
}

/* Keyset paging: pages of 10 carry on from the last position seen, both
 * ways, with backfilled entries among them. */
static void test_keyset_paging(void **state)
{
	(void)state;
	struct journal *j = fresh();
	int64_t a = new_incident(j, "paging");
	for (int i = 0; i < 25; i++) /* every third one backfilled an hour */
		append(j, a, T0 + 10 * i, T0 + 10 * i - (i % 3 == 0 ? 3600 : 0), "log", "{}", 0);
	struct journal_query all = qry(a);
	struct got full;
	walk(j, &all, &full);
	assert_int_equal(full.n, 25);

	for (int desc = 0; desc <= 1; desc++) {
		struct journal_query q = qry(a);
		q.descending = desc;
		q.after = desc ? JOURNAL_POS_LAST : JOURNAL_POS_FIRST;
		size_t seen = 0, pages = 0;
		for (;;) {
			struct sitrep_error err = SITREP_ERROR_INIT;
			struct journal_cursor *c;
			const struct journal_entry *e;
			size_t n = 0;
			must(journal_cursor_open(j, &q, &c, &err), &err, "cursor");
			while (n < 10 && journal_cursor_next(c, &e, &err) == JOURNAL_OK && e) {
				size_t k = desc ? full.n - 1 - seen : seen;
				assert_int_equal(e->id, full.ids[k]);
				q.after = (struct journal_pos){ e->occurred_at, e->id };
				seen++;
				n++;
			}
			journal_cursor_close(c); /* closed mid-walk: fine */
			err_release(&err);
			if (!n)
				break;
			pages++;
		}
		assert_int_equal(seen, 25);
		assert_int_equal(pages, 3);
	}
	journal_close(j);
}

static void test_cursor_filters(void **state)
{
	(void)state;
	struct journal *j = fresh();
	int64_t a = new_incident(j, "filters");
	int64_t l1 = append(j, a, T0 + 1, T0 + 1, "log", "{\"text\":\"Hotline DOWN 热线中断\"}", 0);
	int64_t x1 = append(j, a, T0 + 2, T0 + 2, "export", "{\"format\":\"md\"}", 0);
	int64_t s1 = append(j, a, T0 + 3, T0 + 3, "escalate", "{\"to\":\"II\"}", 0);
	int64_t m1 = append_reading(j, a, T0 + 4, "queue_min", 3);
	int64_t x2 = append(j, a, T0 + 5, T0 + 5, "export", "{\"format\":\"csv\"}", 0);
	int64_t l2 = append(j, a, T0 + 6, T0 + 6, "log", "{\"text\":\"ÉCLAIR é\"}", 0);
	struct got g;

	struct journal_query q = qry(a);
	q.kind = "export";
	walk(j, &q, &g);
	int64_t exports[] = { x1, x2 };
	assert_ids(&g, exports, 2);

	/* The dashboard's latest actions: newest first, reads left out. */
	q = qry(a);
	q.descending = 1;
	q.after = JOURNAL_POS_LAST;
	q.actions_only = 1;
	walk(j, &q, &g);
	int64_t actions[] = { l2, m1, s1, l1 };
	assert_ids(&g, actions, 4);

	/* contains: payload, actor or kind; ASCII folds, the rest is exact. */
	q = qry(a);
	q.contains = "hotline down";
	walk(j, &q, &g);
	assert_ids(&g, &l1, 1);
	q.contains = "热线";
	walk(j, &q, &g);
	assert_ids(&g, &l1, 1);
	q.contains = "ESCAL"; /* the kind */
	walk(j, &q, &g);
	assert_ids(&g, &s1, 1);
	q.contains = "FEED"; /* the actor of append_reading */
	walk(j, &q, &g);
	assert_ids(&g, &m1, 1);
	q.contains = "éclair"; /* É does not fold: only ASCII does */
	walk(j, &q, &g);
	assert_int_equal(g.n, 0);
	q.contains = "ÉCLAIR";
	walk(j, &q, &g);
	assert_ids(&g, &l2, 1);
	q.contains = "";
	walk(j, &q, &g);
	assert_int_equal(g.n, 6);
	/* Filters combine, and work with readings joined and by id. */
	q.contains = "\"csv\"";
	q.kind = "export";
	q.fields = JF_READINGS | JF_PAYLOAD;
	walk(j, &q, &g);
	assert_ids(&g, &x2, 1);
	q = qry(a);
	q.by_id = 1;
	q.actions_only = 1;
	q.fields = JF_READINGS;
	walk(j, &q, &g);
	int64_t by_id[] = { l1, s1, m1, l2 };
	assert_ids(&g, by_id, 4);
	assert_int_equal(g.nread[2], 1);
	journal_close(j);
}

/* Cursors of the same kind at once, and appends while one is open: each
 * gets a statement of its own while the cached one is in use. */
static void test_cursor_nesting(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = fresh();
	int64_t a = new_incident(j, "nest");
	for (int i = 0; i < 4; i++)
		append_reading(j, a, T0 + i, "queue_min", i);
	struct journal_query q = qry(a);
	q.fields = JF_READINGS | JF_PAYLOAD;
	struct journal_cursor *c1, *c2;
	const struct journal_entry *e1, *e2;
	must(journal_cursor_open(j, &q, &c1, &err), &err, "c1");
	must(journal_cursor_next(c1, &e1, &err), &err, "c1 next");
	must(journal_cursor_open(j, &q, &c2, &err), &err, "c2");
	size_t n2 = 0;
	while (journal_cursor_next(c2, &e2, &err) == JOURNAL_OK && e2)
		n2++;
	assert_int_equal(n2, 4);
	journal_cursor_close(c2);
	assert_int_equal(e1->id, 1); /* c1's entry is intact */
	assert_true(e1->readings[0].value == 0);
	append_reading(j, a, T0 + 10, "queue_min", 10);
	size_t n1 = 1;
	while (journal_cursor_next(c1, &e1, &err) == JOURNAL_OK && e1) {
		assert_int_equal(e1->nreadings, 1);
		assert_true(e1->readings[0].value == (double)(e1->id - 1 < 4 ? e1->id - 1 : 10));
		n1++;
	}
	assert_true(n1 >= 4);
	journal_cursor_close(c1);
	journal_cursor_close(NULL);
	err_release(&err);
	journal_close(j);
}

/* ---------- the hash chain ---------- */

static void put_be(struct strbuf *sb, int64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)((uint64_t)v >> (56 - 8 * i));
	sb_add(sb, b, 8);
}

static void put_text(struct strbuf *sb, const char *s)
{
	put_be(sb, (int64_t)strlen(s));
	sb_adds(sb, s);
}

static void unhex(struct strbuf *sb, const char *hex)
{
	for (size_t i = 0; hex[i] && hex[i + 1]; i += 2) {
		unsigned int v;
		assert_int_equal(sscanf(hex + i, "%2x", &v), 1);
		sb_addc(sb, (char)v);
	}
}

/* Recompute a genesis and an entry hash from docs/journal-format.md by hand. */
static void test_hash_independent(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = fresh();
	int64_t id = new_incident_plan(j, "停电 drill", PLAN_YAML, strlen(PLAN_YAML), 1, T0 - 5);
	struct journal_incident inc;
	must(journal_incident_get(j, id, 0, &inc, &err), &err, "get");
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	put_text(&sb, "sitrep-incident-v1");
	put_be(&sb, id);
	put_text(&sb, "停电 drill");
	put_text(&sb, "test");
	put_text(&sb, inc.plan_hash);
	put_be(&sb, 1);
	put_be(&sb, T0 - 5);
	char genesis[65];
	sha256_hex(sb.buf, sb.len, genesis);
	assert_string_equal(inc.genesis, genesis);
	journal_incident_release(&inc);
	struct journal_head h;
	must(journal_head(j, id, &h, &err), &err, "head");
	assert_string_equal(h.hash, genesis);

	int64_t first = append(j, id, T0, T0 - 1, "log", "{\"t\":\"é\"}", 0);
	int64_t e = append(j, id, T0 + 7, T0 + 3, "note", "{\"x\":[1,2]}", first);
	struct journal_entry got1, got;
	must(journal_entry_get(j, first, &got1, &err), &err, "get");
	must(journal_entry_get(j, e, &got, &err), &err, "get");
	sb_reset(&sb);
	unhex(&sb, got1.hash); /* prev_hash as 32 raw bytes */
	assert_int_equal(sb.len, 32);
	put_text(&sb, "sitrep-entry-v1");
	put_be(&sb, e);
	put_be(&sb, id);
	put_be(&sb, T0 + 7);
	put_be(&sb, T0 + 3);
	put_text(&sb, "alice");
	put_text(&sb, "commander");
	put_text(&sb, "note");
	put_text(&sb, "{\"x\":[1,2]}");
	put_be(&sb, first);
	char want[65];
	sha256_hex(sb.buf, sb.len, want);
	assert_string_equal(got.hash, want);
	assert_string_equal(got.prev_hash, got1.hash);
	/* journal_entry_hash agrees, and refuses a malformed previous hash. */
	char again[65];
	assert_int_equal(journal_entry_hash(got1.hash, &got, again), 0);
	assert_string_equal(again, want);
	assert_int_equal(journal_entry_hash("abc", &got, again), -1);
	char upper[65];
	memcpy(upper, got1.hash, 65);
	upper[0] = 'A';
	assert_int_equal(journal_entry_hash(upper, &got, again), -1);
	journal_entry_free_owned(&got1);
	journal_entry_free_owned(&got);
	sb_release(&sb);
	err_release(&err);
	journal_close(j);
}

static void test_verify_edit(void **state)
{
	(void)state;
	int64_t a;
	struct journal *j = five(&a);
	exec_unguarded(j, "UPDATE entries SET payload = '{\"n\":33}' WHERE id = 3");
	expect_corrupt(j, a, 3, "entry 3 does not match its hash");
	journal_close(j);

	/* An edited time (the order derived from it) is an edit too. */
	j = five(&a);
	exec_unguarded(j, "UPDATE entries SET occurred_at = occurred_at - 100 WHERE id = 4");
	expect_corrupt(j, a, 4, "entry 4");
	journal_close(j);

	/* Text after a NUL byte is still text that was edited (SQLite: text
	 * in PostgreSQL cannot hold one). */
	if (PG)
		return;
	j = five(&a);
	exec_unguarded(j, "UPDATE entries SET payload = CAST(payload || x'00' || 'x' AS TEXT)"
		" WHERE id = 2");
	expect_corrupt(j, a, 2, "entry 2 does not match its hash");
	journal_close(j);
}

static void test_verify_delete(void **state)
{
	(void)state;
	int64_t a;
	struct journal *j = five(&a);
	exec_unguarded(j, "DELETE FROM entries WHERE id = 3");
	expect_corrupt(j, a, 4, "entry 4 does not follow");
	journal_close(j);

	j = five(&a); /* the first one: the second no longer follows the genesis */
	exec_unguarded(j, "DELETE FROM entries WHERE id = 1");
	expect_corrupt(j, a, 2, "genesis");
	journal_close(j);
}

static void test_verify_insert(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	int64_t a;
	struct journal *j = five(&a);
	/* A well-formed entry forked from entry 2, correctly hashed. */
	struct journal_entry e2;
	must(journal_entry_get(j, 2, &e2, &err), &err, "get");
	struct journal_entry x = {
		.id = 100, .incident = a, .recorded_at = T0 + 60, .occurred_at = T0 + 25,
		.actor = "mallory", .role = "", .kind = "log", .payload = "{}",
	};
	char h[65];
	assert_int_equal(journal_entry_hash(e2.hash, &x, h), 0);
	char sql[512];
	snprintf(sql, sizeof sql, "INSERT INTO entries VALUES (100, %lld, %d, %d, 'mallory', '',"
		 " 'log', '{}', NULL, '%s', '%s')", (long long)a, T0 + 60, T0 + 25, e2.hash, h);
	journal_entry_free_owned(&e2);
	exec_ok(j, sql);
	expect_corrupt(j, a, 100, "entry 100 does not follow");
	journal_close(j);

	/* A naive insertion with a copied hash. */
	j = five(&a);
	exec_ok(j, "INSERT INTO entries SELECT 50, incident, recorded_at, occurred_at,"
		   " 'mallory', role, kind, payload, corrects, hash, hash FROM entries WHERE id = 5");
	expect_corrupt(j, a, 50, "entry 50 does not match its hash");
	journal_close(j);

	/* An entry of no incident. */
	j = five(&a);
	exec_no_fk(j, "INSERT INTO entries SELECT 60, 77, recorded_at, occurred_at, actor, role,"
		   " kind, payload, corrects, prev_hash, hash FROM entries WHERE id = 5");
	verify_ok(j, a);
	int64_t bad;
	char *msg;
	assert_int_equal(verify(j, 0, &bad, &msg), JOURNAL_CORRUPT);
	assert_int_equal(bad, 60);
	assert_non_null(strstr(msg, "entry 60 belongs to no incident"));
	free(msg);
	err_release(&err);
	journal_close(j);
}

static void test_verify_reorder(void **state)
{
	(void)state;
	int64_t a;
	struct journal *j = five(&a);
	/* Swap entries 2 and 3 (ids exchanged, rows otherwise intact). */
	exec_unguarded(j, "UPDATE entries SET id = -2 WHERE id = 2;"
		"UPDATE entries SET id = 2 WHERE id = 3;"
		"UPDATE entries SET id = 3 WHERE id = -2;");
	expect_corrupt(j, a, 2, "entry 2");
	journal_close(j);
}

static void test_verify_corrects(void **state)
{
	(void)state;
	int64_t a;
	struct journal *j = five(&a);
	int64_t b = new_incident(j, "b");
	append(j, b, T0 + 60, T0 + 60, "log", "{}", 0); /* entry 6 */
	/* An entry claiming to correct an entry of another incident, hashed
	 * and linked as if it were honest. */
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal_head h;
	must(journal_head(j, a, &h, &err), &err, "head");
	struct journal_entry x = { .id = 7, .incident = a, .recorded_at = T0 + 70,
				   .occurred_at = T0 + 70, .actor = "m", .role = "", .kind = "log",
				   .payload = "{}", .corrects = 6 };
	char hash[65], sql[512];
	assert_int_equal(journal_entry_hash(h.hash, &x, hash), 0);
	snprintf(sql, sizeof sql, "INSERT INTO entries VALUES (7, %lld, %d, %d, 'm', '', 'log',"
		 " '{}', 6, '%s', '%s')", (long long)a, T0 + 70, T0 + 70, h.hash, hash);
	exec_ok(j, sql);
	expect_corrupt(j, a, 7, "entry 7 corrects entry 6, which is not an earlier entry");
	err_release(&err);
	journal_close(j);
}

/* A kept head anchors the chain: the caller checks it through fn. */
struct anchor {
	const char *head;
	int seen;
	int64_t stop_at;
};

static int anchor_fn(const struct journal_entry *e, void *ctx)
{
	struct anchor *a = ctx;
	assert_non_null(e->payload);
	a->seen |= strcmp(e->hash, a->head) == 0;
	return a->stop_at && e->id == a->stop_at;
}

static void test_verify_anchor_fn(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	int64_t a;
	struct journal *j = five(&a);
	struct journal_entry e3;
	must(journal_entry_get(j, 3, &e3, &err), &err, "get");
	struct anchor an = { .head = e3.hash };
	struct strbuf msg = STRBUF_INIT;
	sb_init(&msg);
	int64_t bad = -1;
	must(journal_verify(j, a, anchor_fn, &an, &bad, &msg, &err), &err, "verify");
	assert_true(an.seen);
	/* fn returning non-zero stops with JOURNAL_CORRUPT at that entry. */
	an.stop_at = 4;
	assert_int_equal(journal_verify(j, a, anchor_fn, &an, &bad, &msg, &err), JOURNAL_CORRUPT);
	assert_int_equal(bad, 4);
	assert_non_null(strstr(msg.buf, "entry 4 failed the caller's check"));
	assert_int_equal(err.code, SITREP_EXIT_INTEGRITY);
	/* A cut tail leaves a valid chain: only a kept head shows it. */
	exec_unguarded(j, "DELETE FROM entries WHERE id >= 3");
	an.seen = 0;
	an.stop_at = 0;
	sb_reset(&msg);
	must(journal_verify(j, a, anchor_fn, &an, &bad, &msg, &err), &err, "verify");
	assert_false(an.seen);
	/* msg and bad_id may be NULL. */
	must(journal_verify(j, 0, NULL, NULL, NULL, NULL, &err), &err, "verify");
	assert_int_equal(journal_verify(j, 42, NULL, NULL, &bad, &msg, &err), JOURNAL_NOTFOUND);
	journal_entry_free_owned(&e3);
	sb_release(&msg);
	err_release(&err);
	journal_close(j);
}

static void test_verify_incident_row(void **state)
{
	(void)state;
	int64_t a;
	struct journal *j = five(&a);
	exec_unguarded(j, "UPDATE incidents SET drill = 1");
	expect_corrupt(j, a, 0, "genesis hash");
	journal_close(j);

	j = five(&a);
	exec_unguarded(j, SQL2("UPDATE incidents SET plan_text = CAST(plan_text || x'0a' AS BLOB),"
			       " plan_len = plan_len + 1", "UPDATE incidents SET plan_text ="
			       " plan_text || '\\x0a'::bytea, plan_len = plan_len + 1"));
	expect_corrupt(j, a, 0, "plan text");
	journal_close(j);
}

/* ---------- the shell example of docs/journal-format.md ---------- */

static int have(const char *prog)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

/* Extract the ```sh block that follows "<!-- verify-by-hand -->". */
static char *doc_script(void)
{
	FILE *f = fopen("docs/journal-format.md", "r");
	if (!f)
		fail_msg("docs/journal-format.md not found: run from the top of the tree");
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	char line[4096];
	int state = 0; /* 0 before marker, 1 before fence, 2 inside */
	while (fgets(line, sizeof line, f)) {
		if (state == 0 && strstr(line, "<!-- verify-by-hand -->"))
			state = 1;
		else if (state == 1 && strncmp(line, "```sh", 5) == 0)
			state = 2;
		else if (state == 2 && strncmp(line, "```", 3) == 0)
			break;
		else if (state == 2)
			sb_adds(&sb, line);
	}
	fclose(f);
	assert_int_equal(state, 2);
	assert_true(sb.len > 0);
	return sb_detach(&sb);
}

static int run_script(struct tmp *t, const char *script, int64_t inc)
{
	char path[160], cmd[512];
	snprintf(path, sizeof path, "%s/verify.sh", t->dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(script, f);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof cmd, "cd '%s' && DB='%s' I=%lld sh verify.sh >out.txt 2>&1",
		 t->dir, t->db, (long long)inc);
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void test_shell_example(void **state)
{
	(void)state;
	char *script = doc_script();
	if (!have("sqlite3") || !have("sha256sum")) {
		free(script);
		skip(); /* the sqlite3 shell is not a build dependency */
	}
	struct tmp t;
	tmp_make(&t);
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	static const char utf16[] = "\xff\xfei\0d\0\n\0";
	int64_t a = new_incident_plan(j, "shell 验证 'quoted'", utf16, sizeof utf16 - 1, 0, T0);
	int64_t b = new_incident(j, "other");
	int64_t e1 = append(j, a, T0, T0, "log", "{\"text\":\"你好\"}", 0);
	append(j, b, T0 + 1, T0 + 1, "log", "{}", 0);
	append(j, a, T0 + 9, T0 + 2, "escalate", "{\"to\":\"II\",\"reason\":\"x\"}", 0);
	append(j, a, T0 + 10, T0 + 10, "log", "{\"fix\":true}", e1);
	append_reading(j, a, T0 + 11, "queue_min", 2.5);
	assert_int_equal(run_script(&t, script, a), 0);
	assert_int_equal(run_script(&t, script, b), 0);

	exec_unguarded(j, "UPDATE entries SET payload = '{\"text\":\"再见\"}' WHERE id = 1");
	assert_int_not_equal(run_script(&t, script, a), 0);
	assert_int_equal(run_script(&t, script, b), 0);
	journal_close(j);
	free(script);
	tmp_remove(&t);
}

/* ---------- migration ---------- */

#define DROP_V3 \
	DROP_GUARDS "DROP TABLE snapshots; DROP TABLE readings; DROP TABLE entries;" \
	" DROP TABLE incidents;"

#define V1_SCHEMA \
	"CREATE TABLE incidents (id INTEGER PRIMARY KEY, title TEXT NOT NULL," \
	" plan_id TEXT NOT NULL, plan_yaml TEXT NOT NULL, plan_hash TEXT NOT NULL," \
	" drill INTEGER NOT NULL CHECK (drill IN (0, 1)), created_at INTEGER NOT NULL);" \
	"CREATE TABLE entries (id INTEGER PRIMARY KEY, incident INTEGER NOT NULL" \
	" REFERENCES incidents (id), recorded_at INTEGER NOT NULL, occurred_at INTEGER NOT NULL," \
	" actor TEXT NOT NULL, role TEXT NOT NULL, kind TEXT NOT NULL," \
	" payload TEXT NOT NULL CHECK (json_valid(payload)), corrects INTEGER REFERENCES entries (id)," \
	" prev_hash TEXT NOT NULL, hash TEXT NOT NULL);" \
	"CREATE INDEX entries_by_id ON entries (incident, id);"

/* Version 2 as sitrep 2 created it (its SCHEMA_V2). */
#define V2_SCHEMA \
	"CREATE TABLE incidents (id INTEGER PRIMARY KEY, title TEXT NOT NULL," \
	" plan_id TEXT NOT NULL, plan_yaml TEXT NOT NULL, plan_hash TEXT NOT NULL," \
	" drill INTEGER NOT NULL CHECK (drill IN (0, 1)), created_at INTEGER NOT NULL," \
	" genesis TEXT NOT NULL);" \
	"CREATE TABLE entries (id INTEGER PRIMARY KEY, incident INTEGER NOT NULL" \
	" REFERENCES incidents (id), recorded_at INTEGER NOT NULL, occurred_at INTEGER NOT NULL," \
	" actor TEXT NOT NULL, role TEXT NOT NULL, kind TEXT NOT NULL," \
	" payload TEXT NOT NULL CHECK (json_valid(payload)), corrects INTEGER REFERENCES entries (id)," \
	" prev_hash TEXT NOT NULL, hash TEXT NOT NULL);" \
	"CREATE INDEX entries_by_id ON entries (incident, id);" \
	"CREATE INDEX entries_by_time ON entries (incident, occurred_at, id);" \
	"CREATE TABLE checkpoints (incident INTEGER PRIMARY KEY REFERENCES incidents (id)," \
	" max_id INTEGER NOT NULL, pos_occ INTEGER NOT NULL, pos_id INTEGER NOT NULL," \
	" blob BLOB NOT NULL);" \
	"CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries" \
	"  BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;" \
	"CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries" \
	"  BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;" \
	"CREATE TRIGGER incidents_no_update BEFORE UPDATE ON incidents" \
	"  BEGIN SELECT RAISE(ABORT, 'incidents are append-only'); END;" \
	"CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents" \
	"  BEGIN SELECT RAISE(ABORT, 'incidents are append-only'); END;"

/* The entries an older sitrep wrote for incident 1: a note, two metric
 * readings (one entry with two), a refusal echoing readings, a correction.
 * Their hashes, computed as it did, go into `heads` (last one = head). */
static void old_entries(struct journal *j, const char *genesis, char head[65])
{
	struct {
		int64_t rec, occ;
		const char *role, *kind, *payload;
		int64_t corrects;
	} rows[] = {
		{ T0 + 5, T0 + 5, "", "log", "{\"a\":1}", 0 },
		{ T0 + 6, T0 + 6, "duty", "metric", "{\"readings\":{\"queue_min\":3.5,"
		  "\"complaints_pct\":130},\"source\":\"cli\"}", 0 },
		{ T0 + 7, T0 + 7, "duty", "refused", "{\"action\":\"metric\",\"readings\":"
		  "{\"queue_min\":-1}}", 0 },
		{ T0 + 9, T0 + 6, "duty", "log", "{}", 1 },
		{ T0 + 10, T0 + 10, "", "metric", "{\"readings\":{\"cpu_pct\":93.25}}", 0 },
	};
	char prev[65], sql[1024];
	memcpy(prev, genesis, 65);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct journal_entry e = { .id = (int64_t)i + 1, .incident = 1,
					   .recorded_at = rows[i].rec, .occurred_at = rows[i].occ,
					   .actor = "bob", .role = rows[i].role, .kind = rows[i].kind,
					   .payload = rows[i].payload, .corrects = rows[i].corrects };
		char h[65];
		assert_int_equal(journal_entry_hash(prev, &e, h), 0);
		char corr[24];
		snprintf(corr, sizeof corr, "%lld", (long long)rows[i].corrects);
		snprintf(sql, sizeof sql, "INSERT INTO entries VALUES (%zu, 1, %lld, %lld, 'bob', '%s',"
			 " '%s', '%s', %s, '%s', '%s')", i + 1, (long long)rows[i].rec,
			 (long long)rows[i].occ, rows[i].role, rows[i].kind, rows[i].payload,
			 rows[i].corrects ? corr : "NULL", prev, h);
		exec_ok(j, sql);
		memcpy(prev, h, 65);
	}
	memcpy(head, prev, 65);
}

/* What an upgraded journal must hold: version 3, the chain intact, the
 * readings of the metric entries (not of the refusal) in typed columns,
 * snapshots instead of checkpoints, the guards; and it goes on. */
static void check_upgraded(struct journal *j, const char *genesis, const char *head)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	assert_query(j, "PRAGMA user_version", "3");
	assert_query(j, "PRAGMA foreign_keys", "1");
	assert_query(j, "SELECT genesis FROM incidents WHERE id = 1", genesis);
	assert_query(j, "SELECT count(*) FROM sqlite_master WHERE name IN ('snapshots',"
		     " 'readings', 'readings_by_metric', 'entries_by_time', 'readings_no_update',"
		     " 'readings_no_delete', 'incidents_no_update', 'incidents_no_delete',"
		     " 'entries_no_update', 'entries_no_delete')", "10");
	assert_query(j, "SELECT count(*) FROM sqlite_master WHERE name = 'checkpoints'", "0");
	assert_query(j, "SELECT group_concat(entry || '.' || seq || ':' || metric || '=' || value,"
		     " ' ') FROM (SELECT * FROM readings ORDER BY entry, seq)",
		     "2.0:queue_min=3.5 2.1:complaints_pct=130.0 5.0:cpu_pct=93.25");
	verify_ok(j, 1);
	verify_ok(j, 0);
	struct journal_head h;
	must(journal_head(j, 1, &h, &err), &err, "head");
	assert_string_equal(h.hash, head);
	assert_int_equal(h.count, 5);
	struct journal_entry got;
	must(journal_entry_get(j, 4, &got, &err), &err, "get");
	assert_int_equal(got.corrects, 1);
	assert_string_equal(got.role, "duty");
	journal_entry_free_owned(&got);
	must(journal_entry_get(j, 2, &got, &err), &err, "get");
	assert_int_equal(got.nreadings, 2);
	assert_string_equal(got.readings[1].metric, "complaints_pct");
	journal_entry_free_owned(&got);
	/* The chain goes on from the old head; the guards are in place. */
	int64_t e6 = append_reading(j, 1, T0 + 20, "queue_min", 5);
	must(journal_entry_get(j, e6, &got, &err), &err, "get");
	assert_string_equal(got.prev_hash, head);
	journal_entry_free_owned(&got);
	verify_ok(j, 0);
	free(exec_fails(j, "UPDATE entries SET kind = 'x'", JOURNAL_ERROR));
	free(exec_fails(j, "UPDATE readings SET value = 0", JOURNAL_ERROR));
	free(exec_fails(j, "UPDATE incidents SET title = 'x'", JOURNAL_ERROR));
	struct journal_snapshot s = { .pos = { T0 + 20, e6 }, .max_id = e6, .blob = "state",
				      .len = 5 };
	must(journal_snapshot_put(j, 1, &s, &err), &err, "snapshot");
	err_release(&err);
}

static void test_migration_v1(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	/* Turn the fresh file into a version-1 journal, written by hand as a
	 * version-1 sitrep would have: genesis computed, never stored. */
	exec_ok(j, DROP_V3 V1_SCHEMA "PRAGMA user_version = 1;");
	char ph[65];
	sha256_hex(PLAN_YAML, strlen(PLAN_YAML), ph);
	struct journal_incident inc = { .id = 1, .title = "旧 old", .plan_id = "test", .drill = 1,
					.created_at = T0 };
	memcpy(inc.plan_hash, ph, 65);
	char genesis[65], head[65], sql[1024];
	journal_genesis_hash(&inc, genesis);
	snprintf(sql, sizeof sql, "INSERT INTO incidents VALUES (1, '旧 old', 'test', '%s', '%s',"
		 " 1, %d);", PLAN_YAML, ph, T0);
	exec_ok(j, sql);
	old_entries(j, genesis, head);
	journal_close(j);

	/* Read-only cannot upgrade: a clear error. */
	char *m = open_fails(t.db, JOURNAL_READ_ONLY, SITREP_EXIT_STORAGE);
	assert_non_null(strstr(m, "schema version 1, older than this sitrep (3)"));
	free(m);

	j = open_ok(t.db, 0);
	check_upgraded(j, genesis, head);

	/* A schema from the future is refused, naming both versions. */
	exec_ok(j, "PRAGMA user_version = 4");
	journal_close(j);
	m = open_fails(t.db, 0, SITREP_EXIT_STORAGE); /* issue 15: exit 4, not damage */
	char want[256];
	snprintf(want, sizeof want, "database '%s' has schema version 4, newer than this sitrep (3)",
		 t.db);
	assert_string_equal(m, want);
	free(m);
	tmp_remove(&t);
}

static void test_migration_v2(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct tmp t;
	tmp_make(&t);
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	exec_ok(j, DROP_V3 V2_SCHEMA "PRAGMA user_version = 2;");
	/* Version 2 stored the plan as TEXT and read it up to the first NUL:
	 * a UTF-16 plan, bytes as stored. */
	static const char plan[] = "\xff\xfei\0d\0:\0 \0x\0\n\0";
	size_t plen = sizeof plan - 1;
	char ph[65], hex[2 * sizeof plan + 1];
	sha256_hex(plan, plen, ph);
	for (size_t i = 0; i < plen; i++)
		sprintf(hex + 2 * i, "%02x", (unsigned char)plan[i]);
	struct journal_incident inc = { .id = 1, .title = "v2", .plan_id = "test", .created_at = T0 };
	memcpy(inc.plan_hash, ph, 65);
	char genesis[65], head[65], sql[1024];
	journal_genesis_hash(&inc, genesis);
	snprintf(sql, sizeof sql, "INSERT INTO incidents VALUES (1, 'v2', 'test',"
		 " CAST(x'%s' AS TEXT), '%s', 0, %d, '%s');"
		 "INSERT INTO checkpoints VALUES (1, 0, 0, 0, x'00');", hex, ph, T0, genesis);
	exec_ok(j, sql);
	old_entries(j, genesis, head);
	journal_close(j);

	char *m = open_fails(t.db, JOURNAL_READ_ONLY, SITREP_EXIT_STORAGE);
	assert_non_null(strstr(m, "schema version 2, older than this sitrep (3): open it once"
				  " with write access to upgrade it"));
	free(m);
	j = open_ok(t.db, 0);
	check_upgraded(j, genesis, head);
	struct journal_incident got;
	must(journal_incident_get(j, 1, 1, &got, &err), &err, "get");
	assert_int_equal(got.plan_len, plen);
	assert_memory_equal(got.plan_text, plan, plen);
	journal_incident_release(&got);
	journal_close(j);
	/* Opened again, nothing more to do; read-only works now. */
	j = open_ok(t.db, JOURNAL_READ_ONLY);
	verify_ok(j, 0);
	journal_close(j);
	err_release(&err);
	tmp_remove(&t);
}

/* ---------- what open refuses ---------- */

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void test_not_a_journal(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	/* Not a database at all (or a journal damaged beyond its header). */
	static const char yaml[] = "id: not a database, a YAML plan\n";
	write_file(t.db, yaml, sizeof yaml - 1, 0600);
	char *m = open_fails(t.db, JOURNAL_CREATE, SITREP_EXIT_INTEGRITY);
	char want[256];
	snprintf(want, sizeof want, "database '%s' is not a sitrep journal: it is not a SQLite"
		 " database (damaged or truncated, or another kind of file)", t.db);
	assert_string_equal(m, want);
	free(m);
	m = open_fails(t.db, JOURNAL_READ_ONLY, SITREP_EXIT_INTEGRITY);
	assert_string_equal(m, want);
	free(m);
	assert_int_equal(unlink(t.db), 0);

	/* Another program's SQLite database. */
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	exec_ok(j, "PRAGMA application_id = 42;");
	journal_close(j);
	m = open_fails(t.db, 0, SITREP_EXIT_STORAGE);
	snprintf(want, sizeof want, "database '%s' is not a sitrep journal: another program's SQLite"
		 " database", t.db);
	assert_string_equal(m, want);
	free(m);
	assert_int_equal(unlink(t.db), 0);

	/* A sitrep journal missing a table. */
	j = open_ok(t.db, JOURNAL_CREATE);
	exec_ok(j, "DROP TABLE snapshots");
	journal_close(j);
	m = open_fails(t.db, 0, SITREP_EXIT_INTEGRITY);
	assert_non_null(strstr(m, "tables of the journal are missing"));
	free(m);

	/* No path at all, unknown flags, a URL without the backend. */
	struct sitrep_error err = SITREP_ERROR_INIT;
	assert_null(journal_open("", 0, &err));
	assert_int_equal(err.code, SITREP_EXIT_STORAGE);
	assert_null(journal_open(t.db, 0x100, &err));
	assert_null(journal_open(":memory:", JOURNAL_READ_ONLY, &err));
#ifndef SITREP_HAVE_LIBPQ
	assert_null(journal_open("postgresql://sitrep:secret@db.example/sitrep?password=x&a=1",
				 0, &err));
	assert_non_null(strstr(err.msg, "'postgresql://sitrep@db.example/sitrep?a=1'"));
	assert_null(strstr(err.msg, "secret"));
#endif
	assert_null(journal_open(t.db, 0, NULL)); /* err may be NULL */
	err_release(&err);
	tmp_remove(&t);
}

/* An empty file at the path is never adopted as a fresh journal. */
static void test_empty_file(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	char want[512];
	snprintf(want, sizeof want, "database '%s' is empty: a journal that existed and is now"
		 " empty is an integrity failure; remove it to start a new one", t.db);
	/* Pre-created by someone else. */
	write_file(t.db, "", 0, 0600);
	unsigned flags[] = { 0, JOURNAL_CREATE, JOURNAL_READ_ONLY };
	for (size_t i = 0; i < 3; i++) {
		char *m = open_fails(t.db, flags[i], SITREP_EXIT_INTEGRITY);
		assert_string_equal(m, want);
		free(m);
	}
	struct stat st;
	assert_int_equal(stat(t.db, &st), 0);
	assert_int_equal(st.st_size, 0); /* untouched */
	assert_int_equal(unlink(t.db), 0);

	/* A journal truncated to 0 bytes. */
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	int64_t a = new_incident(j, "soon empty");
	append(j, a, T0, T0, "log", "{}", 0);
	journal_close(j);
	assert_int_equal(truncate(t.db, 0), 0);
	char *m = open_fails(t.db, JOURNAL_CREATE, SITREP_EXIT_INTEGRITY);
	assert_string_equal(m, want);
	free(m);
	tmp_remove(&t);
}

/* Truncated or damaged files are integrity failures (exit 5), not storage
 * errors; verify runs quick_check and says where. */
static void test_damaged_file(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	int64_t a = new_incident(j, "damaged");
	char payload[1200];
	memset(payload, 0, sizeof payload);
	strcpy(payload, "{\"text\":\"");
	memset(payload + 9, 'x', 1000);
	strcat(payload, "\"}");
	begin(j);
	for (int i = 0; i < 400; i++) {
		struct sitrep_error err = SITREP_ERROR_INIT;
		struct journal_entry e = { .incident = a, .recorded_at = T0 + i, .occurred_at = T0 + i,
					   .actor = "alice", .kind = "log", .payload = payload };
		must(journal_append(j, &e, &err), &err, "append");
		err_release(&err);
	}
	commit(j);
	char *root = query(j, "SELECT rootpage FROM sqlite_master WHERE name = 'entries_by_time'");
	long page = atol(root);
	free(root);
	journal_close(j);
	struct stat st;
	assert_int_equal(stat(t.db, &st), 0);
	assert_true(st.st_size > 100 * 4096); /* room for a page in the middle */

	/* A bad b-tree page: opens (the damage is elsewhere) and verify finds
	 * it with quick_check, naming the index. */
	char copy[160];
	snprintf(copy, sizeof copy, "%s/copy.db", t.dir);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", t.db, copy);
	assert_int_equal(system(cmd), 0);
	int fd = open(copy, O_WRONLY);
	assert_true(fd >= 0);
	char junk[64];
	memset(junk, 0x5a, sizeof junk);
	assert_int_equal(pwrite(fd, junk, sizeof junk, (off_t)(page - 1) * 4096), (ssize_t)sizeof junk);
	assert_int_equal(close(fd), 0);
	j = open_ok(copy, JOURNAL_READ_ONLY);
	int64_t bad = -1;
	char *msg;
	assert_int_equal(verify(j, a, &bad, &msg), JOURNAL_CORRUPT);
	assert_int_equal(bad, 0);
	assert_non_null(strstr(msg, "is damaged: quick_check found"));
	assert_non_null(strstr(msg, "index entries_by_time"));
	free(msg);
	journal_close(j);

	/* Truncated in the middle: SQLite sees the file is shorter than its
	 * header says. */
	assert_int_equal(truncate(t.db, st.st_size / 2), 0);
	char *m = open_fails(t.db, 0, SITREP_EXIT_INTEGRITY);
	assert_non_null(strstr(m, "is damaged"));
	free(m);
	m = open_fails(t.db, JOURNAL_READ_ONLY, SITREP_EXIT_INTEGRITY);
	free(m);
	/* Cut inside its header. */
	assert_int_equal(truncate(t.db, 10), 0);
	m = open_fails(t.db, 0, SITREP_EXIT_INTEGRITY);
	assert_non_null(strstr(m, "not a SQLite database"));
	free(m);
	tmp_remove(&t);
}

static void alarm_fail(int sig)
{
	(void)sig;
	static const char msg[] = "journal_open blocked on a FIFO\n";
	ssize_t w = write(2, msg, sizeof msg - 1);
	(void)w;
	_exit(3);
}

static void test_file_types(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	char real[160], want[512];
	snprintf(real, sizeof real, "%s/real.db", t.dir);
	struct journal *j = open_ok(real, JOURNAL_CREATE);
	journal_close(j);

	/* A symbolic link, even to a good journal. */
	assert_int_equal(symlink(real, t.db), 0);
	char *m = open_fails(t.db, 0, SITREP_EXIT_STORAGE);
	snprintf(want, sizeof want, "unable to open database '%s': it is a symbolic link", t.db);
	assert_non_null(strstr(m, want));
	free(m);
	free(open_fails(t.db, JOURNAL_CREATE, SITREP_EXIT_STORAGE));
	free(open_fails(t.db, JOURNAL_READ_ONLY, SITREP_EXIT_STORAGE));
	assert_int_equal(unlink(t.db), 0);
	/* A dangling link is not followed to create a file elsewhere. */
	char elsewhere[160];
	snprintf(elsewhere, sizeof elsewhere, "%s/elsewhere.db", t.dir);
	assert_int_equal(symlink(elsewhere, t.db), 0);
	free(open_fails(t.db, JOURNAL_CREATE, SITREP_EXIT_STORAGE));
	struct stat st;
	assert_int_equal(lstat(elsewhere, &st), -1);
	assert_int_equal(unlink(t.db), 0);

	/* A FIFO: refused at once (list used to hang on one). */
	assert_int_equal(mkfifo(t.db, 0600), 0);
	signal(SIGALRM, alarm_fail);
	alarm(10);
	m = open_fails(t.db, 0, SITREP_EXIT_STORAGE);
	assert_non_null(strstr(m, "is a FIFO, not a file"));
	free(m);
	free(open_fails(t.db, JOURNAL_READ_ONLY, SITREP_EXIT_STORAGE));
	alarm(0);
	signal(SIGALRM, SIG_DFL);
	assert_int_equal(unlink(t.db), 0);

	/* A device, a folder. */
	m = open_fails("/dev/null", 0, SITREP_EXIT_STORAGE);
	assert_string_equal(m, "unable to open database '/dev/null': it is a device, not a file");
	free(m);
	m = open_fails(t.dir, JOURNAL_CREATE, SITREP_EXIT_STORAGE);
	assert_non_null(strstr(m, "is a folder"));
	free(m);
	/* No such folder. */
	char deep[200];
	snprintf(deep, sizeof deep, "%s/no/such.db", t.dir);
	m = open_fails(deep, JOURNAL_CREATE, SITREP_EXIT_STORAGE);
	assert_non_null(strstr(m, "no such file or directory"));
	free(m);
	tmp_remove(&t);
}

/* Who owns the file and who may write it. */
static void test_owner_and_mode(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	char want[512];
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	journal_close(j);
	if (geteuid() == 0) {
		/* Someone else's journal (root is no exception). */
		assert_int_equal(chown(t.db, NOBODY, NOBODY), 0);
		char *m = open_fails(t.db, 0, SITREP_EXIT_STORAGE);
		snprintf(want, sizeof want, "unable to open database '%s': it belongs to uid %d, not to"
			 " you (uid 0)", t.db, NOBODY);
		assert_non_null(strstr(m, want));
		free(m);
		free(open_fails(t.db, JOURNAL_READ_ONLY, SITREP_EXIT_STORAGE));
		assert_int_equal(chown(t.db, 0, 0), 0);
	}
	assert_int_equal(chmod(t.db, 0606), 0);
	char *m = open_fails(t.db, 0, SITREP_EXIT_STORAGE);
	snprintf(want, sizeof want, "unable to open database '%s': anyone may write it (mode 0606)",
		 t.db);
	assert_non_null(strstr(m, want));
	free(m);
	assert_int_equal(chmod(t.db, 0620), 0);
	assert_int_equal(chmod(t.dir, 0700), 0);
	m = open_fails(t.db, 0, SITREP_EXIT_STORAGE);
	assert_non_null(strstr(m, "its group may write it (mode 0620) but its folder is not"
				  " group-shared"));
	free(m);
	/* The same file in a group-shared folder is fine. */
	assert_int_equal(chmod(t.dir, 02700), 0);
	j = open_ok(t.db, 0);
	journal_close(j);
	assert_int_equal(chmod(t.dir, 0770), 0);
	j = open_ok(t.db, 0);
	journal_close(j);
	/* World-writable is not group-shared, sticky or not. */
	assert_int_equal(chmod(t.dir, 01777), 0);
	free(open_fails(t.db, 0, SITREP_EXIT_STORAGE));
	assert_int_equal(chmod(t.dir, 0700), 0);
	assert_int_equal(chmod(t.db, 0644), 0); /* others may read: their business */
	j = open_ok(t.db, 0);
	journal_close(j);
	tmp_remove(&t);
}

struct shared_ctx {
	const char *db;
};

/* In a group-shared folder, a group member who does not own the journal
 * uses it; outside one, not. */
static void shared_member(void *ctx)
{
	struct shared_ctx *s = ctx;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = journal_open(s->db, 0, &err);
	if (!j)
		fprintf(stderr, "child: %s\n", err.msg);
	CHILD_CHECK(j != NULL);
	CHILD_CHECK(!journal_readonly(j));
	CHILD_CHECK(journal_begin(j, &err) == JOURNAL_OK);
	struct journal_entry e = { .incident = 1, .recorded_at = T0 + 1, .occurred_at = T0 + 1,
				   .actor = "nobody", .kind = "log", .payload = "{}" };
	CHILD_CHECK(journal_append(j, &e, &err) == JOURNAL_OK);
	CHILD_CHECK(journal_commit(j, &err) == JOURNAL_OK);
	journal_close(j);
	err_release(&err);
}

static void test_group_shared_member(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip(); /* needs a second user */
	struct tmp t;
	tmp_make(&t);
	/* Root creates the journal in a folder shared with group nobody. */
	assert_int_equal(chown(t.dir, 0, NOBODY), 0);
	assert_int_equal(chmod(t.dir, 02770), 0);
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	new_incident(j, "shared");
	journal_close(j);
	struct stat st;
	assert_int_equal(stat(t.db, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0660);
	assert_int_equal(st.st_gid, NOBODY); /* inherited from the setgid folder */
	struct shared_ctx s = { t.db };
	as_nobody(shared_member, &s);
	j = open_ok(t.db, 0);
	verify_ok(j, 0);
	assert_query(j, "SELECT actor FROM entries", "nobody");
	journal_close(j);
	tmp_remove(&t);
}

static void test_file_roundtrip_and_mode(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	char *m = open_fails(t.db, 0, SITREP_EXIT_STORAGE); /* no JOURNAL_CREATE: not created */
	char want[256];
	snprintf(want, sizeof want, "unable to open database '%s': no such file or directory", t.db);
	assert_string_equal(m, want);
	free(m);

	mode_t old = umask(0); /* the mode does not depend on umask */
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	umask(old);
	assert_query(j, "PRAGMA journal_mode", "wal");
	assert_query(j, "PRAGMA synchronous", "2"); /* FULL */
	assert_query(j, "PRAGMA foreign_keys", "1");
	assert_query(j, "PRAGMA busy_timeout", "5000");
	assert_query(j, "PRAGMA application_id", "1936290930");
	assert_string_equal(journal_where(j), t.db);
	int64_t a = new_incident(j, "file");
	for (int i = 0; i < 10; i++)
		append_reading(j, a, T0 + i, "queue_min", 3.5);
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal_head head;
	must(journal_head(j, a, &head, &err), &err, "head");

	struct stat st;
	assert_int_equal(stat(t.db, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	char side[160];
	snprintf(side, sizeof side, "%s-wal", t.db);
	assert_int_equal(stat(side, &st), 0); /* WAL files get the database's mode */
	assert_int_equal(st.st_mode & 07777, 0600);
	journal_close(j);
	/* Nothing left behind by the creation. */
	char cmd[256];
	snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) -eq 1", t.dir);
	assert_int_equal(system(cmd), 0);

	/* Reopen (without JOURNAL_CREATE): everything is there. */
	j = open_ok(t.db, 0);
	struct journal_query q = qry(a);
	q.fields = JF_READINGS;
	struct got g;
	walk(j, &q, &g);
	assert_int_equal(g.n, 10);
	assert_int_equal(g.nread[9], 1);
	struct journal_head again;
	must(journal_head(j, a, &again, &err), &err, "head");
	assert_string_equal(again.hash, head.hash);
	verify_ok(j, a);
	journal_close(j);
	err_release(&err);
	tmp_remove(&t);
}

static void test_mode_group_shared(void **state)
{
	(void)state;
	struct tmp t;
	struct stat st;
	mode_t old = umask(077); /* the mode does not depend on umask */
	tmp_make(&t);
	assert_int_equal(chmod(t.dir, 02770), 0); /* setgid folder */
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	assert_int_equal(stat(t.db, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0660);
	journal_close(j);
	tmp_remove(&t);

	tmp_make(&t);
	assert_int_equal(chmod(t.dir, 0770), 0); /* group-writable folder */
	j = open_ok(t.db, JOURNAL_CREATE);
	assert_int_equal(stat(t.db, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0660);
	journal_close(j);
	tmp_remove(&t);

	/* A world-writable sticky folder like /tmp is not group-shared. */
	tmp_make(&t);
	assert_int_equal(chmod(t.dir, 01777), 0);
	j = open_ok(t.db, JOURNAL_CREATE);
	assert_int_equal(stat(t.db, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	journal_close(j);
	tmp_remove(&t);
	umask(old);
}

/* ---------- a file deleted or replaced under an open journal ---------- */

static void test_gone(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct tmp t;
	tmp_make(&t);
	char want[512];

	/* Deleted before a write begins. */
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	int64_t a = new_incident(j, "gone");
	assert_int_equal(unlink(t.db), 0);
	assert_int_equal(journal_begin(j, &err), JOURNAL_GONE);
	snprintf(want, sizeof want, "database '%s' was deleted while it was open: the write is not"
		 " saved", t.db);
	assert_string_equal(err.msg, want);
	assert_int_equal(err.code, SITREP_EXIT_STORAGE);
	assert_false(journal_in_transaction(j));
	assert_int_equal(journal_begin(j, &err), JOURNAL_GONE); /* and every time after */
	struct journal_snapshot s = { .max_id = 0 };
	assert_int_equal(journal_snapshot_put(j, a, &s, &err), JOURNAL_GONE);
	journal_close(j);

	/* Deleted while a transaction is open: the commit is not acknowledged. */
	j = open_ok(t.db, JOURNAL_CREATE);
	a = new_incident(j, "gone");
	begin(j);
	struct journal_entry e = { .incident = a, .recorded_at = T0, .occurred_at = T0,
				   .actor = "alice", .kind = "log", .payload = "{}" };
	must(journal_append(j, &e, &err), &err, "append");
	assert_int_equal(unlink(t.db), 0);
	assert_int_equal(journal_commit(j, &err), JOURNAL_GONE);
	assert_string_equal(err.msg, want);
	assert_false(journal_in_transaction(j));
	journal_close(j);

	/* A relative path, and a change of working folder after open: the
	 * file is still there. */
	char cwd[512];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(t.dir), 0);
	j = open_ok("relative.db", JOURNAL_CREATE);
	assert_int_equal(chdir("/"), 0);
	begin(j);
	commit(j);
	assert_string_equal(journal_where(j), "relative.db");
	journal_close(j);
	assert_int_equal(chdir(cwd), 0);

	/* Replaced by another file (another journal renamed over it). */
	char other[160];
	snprintf(other, sizeof other, "%s/other.db", t.dir);
	j = open_ok(t.db, JOURNAL_CREATE);
	a = new_incident(j, "replaced");
	struct journal *o = open_ok(other, JOURNAL_CREATE);
	journal_close(o);
	assert_int_equal(rename(other, t.db), 0);
	assert_int_equal(journal_begin(j, &err), JOURNAL_GONE);
	snprintf(want, sizeof want, "database '%s' was replaced by another file while it was open:"
		 " the write is not saved", t.db);
	assert_string_equal(err.msg, want);
	journal_close(j);
	/* The journal now at the path is the other one, untouched. */
	j = open_ok(t.db, 0);
	assert_query(j, "SELECT count(*) FROM incidents", "0");
	journal_close(j);

	/* A log left by a journal deleted while in use is never adopted. */
	assert_int_equal(unlink(t.db), 0);
	char wal[160];
	snprintf(wal, sizeof wal, "%s-wal", t.db);
	write_file(wal, "frames", 6, 0600);
	char *m = open_fails(t.db, JOURNAL_CREATE, SITREP_EXIT_INTEGRITY);
	assert_non_null(strstr(m, "is missing but its write-ahead log"));
	free(m);
	err_release(&err);
	tmp_remove(&t);
}

/* ---------- snapshots ---------- */

static void snap_put(struct journal *j, int64_t inc, int64_t occ, int64_t id, int64_t max_id,
		     const char *blob)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal_snapshot s = { .pos = { occ, id }, .max_id = max_id, .blob = (void *)blob,
				      .len = strlen(blob) };
	must(journal_snapshot_put(j, inc, &s, &err), &err, "snapshot_put");
	err_release(&err);
}

/* The blob of the snapshot before pos, or NULL (caller frees). */
static char *snap_at(struct journal *j, int64_t inc, int64_t occ, int64_t id)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal_snapshot s;
	int rc = journal_snapshot_before(j, inc, (struct journal_pos){ occ, id }, &s, &err);
	err_release(&err);
	if (rc == JOURNAL_NOTFOUND)
		return NULL;
	assert_int_equal(rc, JOURNAL_OK);
	char *b = xstrndup(s.blob, s.len);
	journal_snapshot_release(&s);
	return b;
}

static void assert_snap(struct journal *j, int64_t inc, int64_t occ, int64_t id, const char *want)
{
	char *got = snap_at(j, inc, occ, id);
	if (!want && got)
		fail_msg("snapshot '%s' found, none expected", got);
	if (want && (!got || strcmp(got, want) != 0))
		fail_msg("snapshot '%s', expected '%s'", got ? got : "(none)", want);
	free(got);
}

static void test_snapshots(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = fresh();
	int64_t a = new_incident(j, "snap");
	int64_t b = new_incident(j, "other");
	int64_t e[6];
	for (int i = 1; i <= 5; i++)
		e[i] = append(j, a, T0 + 10 * i, T0 + 10 * i, "log", "{}", 0);
	assert_snap(j, a, INT64_MAX, INT64_MAX, NULL);

	snap_put(j, a, INT64_MIN, 0, 0, "empty state"); /* before any entry: the genesis */
	snap_put(j, a, T0 + 20, e[2], e[2], "after 2");
	snap_put(j, a, T0 + 40, e[4], e[4], "after 4");
	assert_snap(j, a, INT64_MAX, INT64_MAX, "after 4");
	assert_snap(j, a, T0 + 40, e[4], "after 4"); /* at the position */
	assert_snap(j, a, T0 + 39, INT64_MAX, "after 2");
	assert_snap(j, a, T0 + 20, e[2], "after 2");
	assert_snap(j, a, T0 + 20, e[2] - 1, "empty state");
	assert_snap(j, b, INT64_MAX, INT64_MAX, NULL);
	struct journal_snapshot s;
	must(journal_snapshot_before(j, a, JOURNAL_POS_LAST, &s, &err), &err, "before");
	assert_int_equal(s.pos.occ, T0 + 40);
	assert_int_equal(s.pos.id, e[4]);
	assert_int_equal(s.max_id, e[4]);
	journal_snapshot_release(&s);
	/* The same position again replaces it; an empty blob is allowed. */
	snap_put(j, a, T0 + 40, e[4], e[4], "");
	assert_snap(j, a, INT64_MAX, INT64_MAX, "");
	snap_put(j, a, T0 + 40, e[4], e[4], "after 4");

	/* Tampered: its blob edited. Ignored; the one before is used (the
	 * reads above left "after 4" checked and remembered by this handle:
	 * an edit in place must still be seen, so must every case below). */
	exec_ok(j, SQL2("UPDATE snapshots SET blob = CAST('after 4, edited' AS BLOB) WHERE pos_id = 4",
			"UPDATE snapshots SET blob = convert_to('after 4, edited', 'UTF8')"
			" WHERE pos_id = 4"));
	assert_snap(j, a, INT64_MAX, INT64_MAX, "after 2");
	/* Planted: a row with a made-up hash. */
	exec_ok(j, SQL2("INSERT INTO snapshots VALUES (1, 1795000050, 5, 5, '"
			"0000000000000000000000000000000000000000000000000000000000000000', x'41')",
			"INSERT INTO snapshots VALUES (1, 1795000050, 5, 5, '"
			"0000000000000000000000000000000000000000000000000000000000000000',"
			" '\\x41')"));
	assert_snap(j, a, INT64_MAX, INT64_MAX, "after 2");
	/* Moved: a good snapshot claimed for a later position or another
	 * incident. */
	exec_ok(j, "INSERT INTO snapshots SELECT 1, 1795000045, 4, max_id, hash, blob FROM snapshots"
		" WHERE pos_id = 2");
	assert_snap(j, a, INT64_MAX, INT64_MAX, "after 2");
	exec_ok(j, "INSERT INTO snapshots SELECT 2, pos_occ, pos_id, max_id, hash, blob FROM"
		" snapshots WHERE pos_id = 2 AND incident = 1");
	assert_snap(j, b, INT64_MAX, INT64_MAX, NULL);
	/* Stale: the chain under it changed (entry 2's hash rewritten). */
	exec_unguarded(j, "UPDATE entries SET hash = prev_hash WHERE id = 2");
	assert_snap(j, a, INT64_MAX, INT64_MAX, "empty state");
	exec_ok(j, "UPDATE incidents SET genesis = 'x' WHERE id = 1");
	assert_snap(j, a, INT64_MAX, INT64_MAX, NULL);
	journal_close(j);

	/* Refused: an anchor entry of another incident, a position it does
	 * not cover, a read-only journal. */
	j = fresh();
	a = new_incident(j, "snap");
	b = new_incident(j, "other");
	int64_t x = append(j, a, T0, T0, "log", "{}", 0);
	int64_t y = append(j, b, T0, T0, "log", "{}", 0);
	struct journal_snapshot bad = { .pos = { T0, y }, .max_id = y, .blob = "s", .len = 1 };
	assert_int_equal(journal_snapshot_put(j, a, &bad, &err), JOURNAL_NOTFOUND);
	bad.pos.id = x + 1;
	bad.max_id = x;
	assert_int_equal(journal_snapshot_put(j, a, &bad, &err), JOURNAL_ERROR);
	/* Inside a transaction, and explicit drops. */
	begin(j);
	snap_put(j, a, T0, x, x, "in txn");
	must(journal_snapshot_drop_after(j, a, (struct journal_pos){ T0, x - 1 }, &err), &err, "drop");
	commit(j);
	assert_snap(j, a, INT64_MAX, INT64_MAX, NULL);
	assert_int_equal(journal_snapshot_drop_after(j, a, JOURNAL_POS_FIRST, &err), JOURNAL_ERROR);
	assert_non_null(strstr(err.msg, "no transaction is open"));
	err_release(&err);
	journal_close(j);
}

/* An append placed before snapshots (a backfill) or a correction drops
 * the snapshots it makes stale, in its own transaction. */
static void test_snapshots_dropped(void **state)
{
	(void)state;
	struct journal *j = fresh();
	int64_t a = new_incident(j, "drop");
	int64_t b = new_incident(j, "other");
	int64_t e[6];
	for (int i = 1; i <= 4; i++)
		e[i] = append(j, a, T0 + 10 * i, T0 + 10 * i, "log", "{}", 0);
	int64_t eb = append(j, b, T0 + 50, T0 + 50, "log", "{}", 0);
	snap_put(j, a, T0 + 20, e[2], e[2], "after 2");
	snap_put(j, a, T0 + 40, e[4], e[4], "after 4");
	snap_put(j, b, T0 + 50, eb, eb, "b");

	/* Appended at the end: nothing dropped. */
	e[5] = append(j, a, T0 + 60, T0 + 50, "log", "{}", 0);
	assert_snap(j, a, INT64_MAX, INT64_MAX, "after 4");
	/* Backfilled to T0+30: the snapshot after 4 did not see it. */
	append(j, a, T0 + 61, T0 + 30, "log", "{}", 0);
	assert_snap(j, a, INT64_MAX, INT64_MAX, "after 2");
	assert_snap(j, b, INT64_MAX, INT64_MAX, "b"); /* other incidents keep theirs */

	/* A correction of entry 2: the snapshot that folded entry 2 goes. */
	snap_put(j, a, T0 + 50, e[5], e[5], "after 5");
	append(j, a, T0 + 70, T0 + 70, "log", "{}", e[2]);
	assert_snap(j, a, INT64_MAX, INT64_MAX, NULL);

	/* Rolled back with the append that dropped it. */
	snap_put(j, a, T0 + 10, e[1], e[1], "after 1");
	struct sitrep_error err = SITREP_ERROR_INIT;
	begin(j);
	struct journal_entry x = { .incident = a, .recorded_at = T0 + 80, .occurred_at = T0 + 5,
				   .actor = "alice", .kind = "log", .payload = "{}" };
	must(journal_append(j, &x, &err), &err, "append");
	assert_snap(j, a, INT64_MAX, INT64_MAX, NULL);
	journal_rollback(j);
	assert_snap(j, a, INT64_MAX, INT64_MAX, "after 1");
	err_release(&err);
	journal_close(j);
}

/* ---------- copying a journal ---------- */

static void copy_all(struct journal *from, struct journal *to)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	begin(to);
	for (int64_t id = 1;; id++) {
		struct journal_incident inc;
		int rc = journal_incident_get(from, id, 1, &inc, &err);
		if (rc == JOURNAL_NOTFOUND)
			break;
		must(rc, &err, "get");
		must(journal_copy_incident(to, &inc, &err), &err, "copy incident");
		struct journal_query q = qry(id);
		q.by_id = 1;
		q.fields = JF_PAYLOAD | JF_READINGS | JF_HASHES;
		struct journal_cursor *c;
		const struct journal_entry *e;
		must(journal_cursor_open(from, &q, &c, &err), &err, "cursor");
		while ((rc = journal_cursor_next(c, &e, &err)) == JOURNAL_OK && e)
			must(journal_copy_entry(to, e, &err), &err, "copy entry");
		must(rc, &err, "next");
		journal_cursor_close(c);
		journal_incident_release(&inc);
	}
	commit(to);
	err_release(&err);
}

/* What a copy must keep, byte for byte, as each backend's SQL shows it:
 * the hashes, the incident rows with their plans, the readings, the
 * payloads. */
static char *dump(struct journal *j, int what)
{
	static const char *const sql[2][4] = {
		{ "SELECT group_concat(hash) FROM (SELECT hash FROM entries ORDER BY id)",
		  "SELECT group_concat(id || title || genesis || plan_hash || hex(plan_text))"
		  " FROM (SELECT * FROM incidents ORDER BY id)",
		  "SELECT group_concat(entry || '.' || seq || metric || printf('%.17g', value))"
		  " FROM (SELECT * FROM readings ORDER BY entry, seq)",
		  "SELECT group_concat(id || hex(payload) || role || coalesce(corrects, 0))"
		  " FROM (SELECT * FROM entries ORDER BY id)" },
		{ "SELECT string_agg(hash, ',' ORDER BY id) FROM entries",
		  "SELECT string_agg(id || title || genesis || plan_hash ||"
		  " upper(encode(plan_text, 'hex')), ',' ORDER BY id) FROM incidents",
		  "SELECT string_agg(entry || '.' || seq || metric || value, ',' ORDER BY entry, seq)"
		  " FROM readings",
		  "SELECT string_agg(id || upper(encode(convert_to(payload::text, 'UTF8'), 'hex')) ||"
		  " role || coalesce(corrects, 0), ',' ORDER BY id) FROM entries" },
	};
	return query(j, sql[journal_is_url(journal_where(j))][what]);
}

/* A journal copied from SQLite (to a file, or to PostgreSQL): the same
 * bytes, the same hashes, and it verifies there. */
static void test_copy(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct place t;
	place_make(&t);
	struct journal *from = open_ok(":memory:", JOURNAL_CREATE);
	static const char plan[] = "p\0lan \xe9\x00\xff";
	int64_t a = new_incident_plan(from, "a 热线", plan, sizeof plan - 1, 1, T0);
	int64_t b = new_incident(from, "b");
	append(from, a, T0 + 1, T0 + 1, "log", "{}", 0);
	append_reading(from, b, T0 + 2, "queue_min", 7.5);
	append(from, a, T0 + 3, T0 + 1, "log", "{}", 1); /* a backfilled correction */
	append(from, a, T0 + 4, T0 + 4, "refused", "{\"readings\":{\"x\":1}}", 0);
	append_reading(from, a, T0 + 5, "cpu_pct", 99);
	append(from, b, T0 + 6, T0 + 6, "log", "{ \"text\" : \"\\u00e9 é \\\"q\\\"\",\n\"n\":[1e3, -0.5]}",
	       0); /* spacing and escapes kept as written */

	struct journal *to = open_ok(t.where, JOURNAL_CREATE);
	copy_all(from, to);
	verify_ok(to, 0);
	for (int i = 0; i < 4; i++) {
		char *x = dump(from, i), *y = dump(to, i);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	for (int64_t inc = a; inc <= b; inc++) {
		struct journal_head hf, ht;
		must(journal_head(from, inc, &hf, &err), &err, "head");
		must(journal_head(to, inc, &ht, &err), &err, "head");
		assert_string_equal(hf.hash, ht.hash);
		assert_int_equal(hf.count, ht.count);
		assert_int_equal(hf.last_occ_id, ht.last_occ_id);
	}
	/* Appends go on from the copied heads and ids. */
	int64_t next = append(to, a, T0 + 9, T0 + 9, "log", "{}", 0);
	assert_int_equal(next, 7);
	verify_ok(to, 0);
	journal_close(to);

	/* What copy refuses: a bad genesis, a broken link, a bad hash, a
	 * correction pointing elsewhere, outside a transaction. */
	to = fresh();
	struct journal_incident inc;
	must(journal_incident_get(from, a, 1, &inc, &err), &err, "get");
	assert_int_equal(journal_copy_incident(to, &inc, &err), JOURNAL_ERROR); /* no txn */
	begin(to);
	inc.drill = 0;
	assert_int_equal(journal_copy_incident(to, &inc, &err), JOURNAL_CORRUPT);
	assert_non_null(strstr(err.msg, "does not match its genesis hash"));
	inc.drill = 1;
	inc.plan_text[0] = 'q';
	assert_int_equal(journal_copy_incident(to, &inc, &err), JOURNAL_CORRUPT);
	assert_non_null(strstr(err.msg, "plan text does not match"));
	inc.plan_text[0] = 'p';
	must(journal_copy_incident(to, &inc, &err), &err, "copy incident");
	assert_int_equal(journal_copy_incident(to, &inc, &err), JOURNAL_ERROR); /* twice */
	assert_non_null(strstr(err.msg, "already exists"));
	journal_incident_release(&inc);
	struct journal_entry e1, e3;
	must(journal_entry_get(from, 1, &e1, &err), &err, "get");
	must(journal_entry_get(from, 3, &e3, &err), &err, "get");
	assert_int_equal(journal_copy_entry(to, &e3, &err), JOURNAL_CORRUPT); /* skips entry 1 */
	assert_non_null(strstr(err.msg, "does not follow the head"));
	struct journal_entry edited = e1;
	edited.payload = "{\"x\":1}";
	edited.payload_len = 0;
	assert_int_equal(journal_copy_entry(to, &edited, &err), JOURNAL_CORRUPT);
	assert_non_null(strstr(err.msg, "does not match its hash"));
	must(journal_copy_entry(to, &e1, &err), &err, "copy");
	assert_int_equal(journal_copy_entry(to, &e1, &err), JOURNAL_CORRUPT); /* again */
	struct journal_entry wrong = e3;
	wrong.corrects = 2; /* not copied here: no such entry */
	char h[65];
	assert_int_equal(journal_entry_hash(wrong.prev_hash, &wrong, h), 0);
	memcpy(wrong.hash, h, 65);
	assert_int_equal(journal_copy_entry(to, &wrong, &err), JOURNAL_CORRUPT);
	must(journal_copy_entry(to, &e3, &err), &err, "copy");
	commit(to);
	verify_ok(to, 0);
	journal_entry_free_owned(&e1);
	journal_entry_free_owned(&e3);
	journal_close(to);
	journal_close(from);
	err_release(&err);
	place_remove(&t);
}

/* ---------- read-only, locking, change detection ---------- */

static void test_read_only(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct tmp t;
	tmp_make(&t);
	char *m = open_fails(t.db, JOURNAL_READ_ONLY | JOURNAL_CREATE, SITREP_EXIT_STORAGE);
	assert_non_null(strstr(m, "no such file"));
	free(m);

	struct journal *w = open_ok(t.db, JOURNAL_CREATE);
	int64_t a = new_incident(w, "ro");
	append(w, a, T0, T0, "log", "{}", 0);

	/* Read-only next to a live writer (WAL files present)... */
	struct journal *r = open_ok(t.db, JOURNAL_READ_ONLY);
	assert_true(journal_readonly(r));
	struct journal_query q = qry(a);
	struct got g;
	walk(r, &q, &g);
	assert_int_equal(g.n, 1);
	append(w, a, T0 + 1, T0 + 1, "log", "{}", 0);
	walk(r, &q, &g);
	assert_int_equal(g.n, 2); /* sees the writer's commit */
	journal_close(r);
	journal_close(w);

	/* ...and alone, after the writer closed. */
	r = open_ok(t.db, JOURNAL_READ_ONLY);
	walk(r, &q, &g);
	assert_int_equal(g.n, 2);
	verify_ok(r, 0);
	char want[256];
	snprintf(want, sizeof want, "database '%s' is read-only: opened read-only", t.db);
	assert_int_equal(journal_begin(r, &err), JOURNAL_READONLY);
	assert_string_equal(err.msg, want);
	assert_int_equal(err.code, SITREP_EXIT_STORAGE);
	struct journal_entry e = { .incident = a, .recorded_at = T0, .occurred_at = T0,
				   .actor = "alice", .kind = "log", .payload = "{}" };
	assert_int_equal(journal_append(r, &e, &err), JOURNAL_READONLY);
	assert_string_equal(err.msg, want);
	struct journal_snapshot put = { .max_id = 0 };
	assert_int_equal(journal_snapshot_put(r, a, &put, &err), JOURNAL_READONLY);
	assert_int_equal(journal_exec_unchecked(r, "CREATE TABLE x (y)", &err), JOURNAL_READONLY);
	journal_close(r);
	err_release(&err);
	tmp_remove(&t);
}

struct ro_ctx {
	char dir[64];
	char db[128];
};

/* As a user who cannot write: a read-write open falls back to reading and
 * says why on the first write. */
static void ro_as_user(void *ctx)
{
	struct ro_ctx *t = ctx;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = journal_open(t->db, JOURNAL_CREATE, &err);
	CHILD_CHECK(j != NULL);
	CHILD_CHECK(journal_begin(j, &err) == JOURNAL_OK);
	struct journal_incident in = { .title = "ro", .plan_id = "p", .plan_text = "y",
				       .plan_len = 1, .created_at = T0 };
	CHILD_CHECK(journal_incident_create(j, &in, &err) == JOURNAL_OK);
	CHILD_CHECK(journal_commit(j, &err) == JOURNAL_OK);
	journal_close(j);

	CHILD_CHECK(chmod(t->db, 0400) == 0);
	j = journal_open(t->db, 0, &err);
	CHILD_CHECK(j != NULL);
	CHILD_CHECK(journal_readonly(j));
	CHILD_CHECK(journal_begin(j, &err) == JOURNAL_READONLY);
	CHILD_CHECK(strstr(err.msg, "permission denied") != NULL);
	journal_close(j);

	/* A read-only folder: no WAL index can be made (immutable). */
	CHILD_CHECK(chmod(t->db, 0600) == 0);
	char side[160];
	snprintf(side, sizeof side, "%s-wal", t->db);
	unlink(side); /* as after a clean close: the folder has only the file */
	snprintf(side, sizeof side, "%s-shm", t->db);
	unlink(side);
	CHILD_CHECK(chmod(t->dir, 0500) == 0);
	j = journal_open(t->db, 0, &err);
	if (!j)
		fprintf(stderr, "child: %s\n", err.msg);
	CHILD_CHECK(j != NULL);
	CHILD_CHECK(journal_readonly(j));
	struct journal_incident inc;
	CHILD_CHECK(journal_incident_get(j, 1, 1, &inc, &err) == JOURNAL_OK);
	CHILD_CHECK(strcmp(inc.title, "ro") == 0);
	journal_incident_release(&inc);
	CHILD_CHECK(journal_begin(j, &err) == JOURNAL_READONLY);
	CHILD_CHECK(strstr(err.msg, "folder") != NULL);
	journal_close(j);
	j = journal_open(t->db, JOURNAL_READ_ONLY, &err);
	CHILD_CHECK(j != NULL);
	CHILD_CHECK(journal_verify(j, 0, NULL, NULL, NULL, NULL, &err) == JOURNAL_OK);
	journal_close(j);
	CHILD_CHECK(chmod(t->dir, 0700) == 0);
	err_release(&err);
}

static void test_read_only_user(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	if (geteuid() == 0) /* root writes anyway: drop to a user who cannot */
		assert_int_equal(chown(t.dir, NOBODY, NOBODY), 0);
	struct ro_ctx c;
	memcpy(c.dir, t.dir, sizeof c.dir);
	memcpy(c.db, t.db, sizeof c.db);
	as_nobody(ro_as_user, &c);
	tmp_remove(&t);
}

static void test_busy(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct tmp t;
	tmp_make(&t);
	struct journal *a = open_ok(t.db, JOURNAL_CREATE);
	struct journal *b = open_ok(t.db, 0);
	int64_t inc = new_incident(a, "busy");
	must(journal_set_busy_timeout(b, 50, &err), &err, "busy timeout");
	assert_query(b, "PRAGMA busy_timeout", "50");
	assert_int_equal(journal_set_busy_timeout(b, -1, &err), JOURNAL_ERROR);

	begin(a);
	/* b waits up to its timeout, then gives up: the lock is still held. */
	assert_int_equal(journal_begin(b, &err), JOURNAL_BUSY);
	char want[256];
	snprintf(want, sizeof want, "database '%s' is locked by another process", t.db);
	assert_string_equal(err.msg, want);
	assert_int_equal(err.code, SITREP_EXIT_STORAGE);
	assert_false(journal_in_transaction(b));
	/* Reads still work meanwhile (WAL). */
	struct journal_query q = qry(inc);
	struct got g;
	walk(b, &q, &g);
	struct journal_snapshot s = { .max_id = 0, .blob = "x", .len = 1 };
	assert_int_equal(journal_snapshot_put(b, inc, &s, &err), JOURNAL_BUSY);

	struct journal_entry e = { .incident = inc, .recorded_at = T0, .occurred_at = T0,
				   .actor = "alice", .kind = "log", .payload = "{}" };
	must(journal_lock_incident(a, inc, &err), &err, "lock");
	must(journal_append(a, &e, &err), &err, "append");
	commit(a);

	/* Once a commits, b gets the lock and chains onto a's entry: the head
	 * b had cached in no transaction does not exist. */
	begin(b);
	must(journal_lock_incident(b, inc, &err), &err, "lock");
	struct journal_entry f = e;
	must(journal_append(b, &f, &err), &err, "append");
	assert_string_equal(f.prev_hash, e.hash);
	commit(b);
	verify_ok(a, inc);
	journal_close(a);
	journal_close(b);
	err_release(&err);
	tmp_remove(&t);
}

static void test_lock_incident(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = fresh();
	int64_t a = new_incident(j, "lock");
	assert_int_equal(journal_lock_incident(j, a, &err), JOURNAL_ERROR);
	assert_non_null(strstr(err.msg, "no transaction is open"));
	begin(j);
	assert_int_equal(journal_lock_incident(j, 77, &err), JOURNAL_NOTFOUND);
	assert_int_equal(journal_lock_incident(j, 0, &err), JOURNAL_NOTFOUND);
	must(journal_lock_incident(j, a, &err), &err, "lock");
	journal_rollback(j);
	err_release(&err);
	journal_close(j);
}

/* journal_changed must say `want`. Another session's NOTIFY reaches us a
 * moment after its commit: wait (on the poll fd, as a console does) up to
 * five seconds for a change to arrive. */
static void expect_changed(struct journal *j, int want)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	int changed = -1;
	for (int waited = 0;; waited += 50) {
		must(journal_changed(j, &changed, &err), &err, "changed");
		if (changed || !want || !PG || waited >= 5000)
			break;
		struct pollfd pfd = { .fd = journal_poll_fd(j), .events = POLLIN };
		assert_true(pfd.fd >= 0);
		(void)poll(&pfd, 1, 50);
	}
	err_release(&err);
	if (changed != want)
		fail_msg("journal_changed said %d, expected %d", changed, want);
}

static void test_changed(void **state)
{
	(void)state;
	struct place t;
	place_make(&t);
	struct journal *a = open_ok(t.where, JOURNAL_CREATE);
	struct journal *b = open_ok(t.where, 0);
	int64_t inc = new_incident(a, "dv");
	expect_changed(a, 0); /* nothing from others */
	expect_changed(b, 1); /* a new incident is a change */
	expect_changed(b, 0);
	append(a, inc, T0, T0, "log", "{}", 0);
	expect_changed(a, 0); /* a's own commits do not count */
	expect_changed(b, 1); /* a's do, for b */
	expect_changed(b, 0); /* once */
	append(b, inc, T0 + 1, T0 + 1, "log", "{}", 0);
	expect_changed(a, 1);
	expect_changed(a, 0);
	/* A rolled-back write is no change. */
	struct sitrep_error err = SITREP_ERROR_INIT;
	begin(b);
	struct journal_entry e = { .incident = inc, .recorded_at = T0 + 2, .occurred_at = T0 + 2,
				   .actor = "alice", .kind = "log", .payload = "{}" };
	must(journal_append(b, &e, &err), &err, "append");
	journal_rollback(b);
	append(b, inc, T0 + 3, T0 + 3, "log", "{}", 0); /* what a waits for instead */
	expect_changed(a, 1);
	expect_changed(a, 0);
	err_release(&err);
	journal_close(a);
	journal_close(b);
	place_remove(&t);
}

/* Four processes open a database that does not exist yet, all at once, and
 * append; nothing is lost, nobody sees a lock error, the chain never forks,
 * and nobody finds an empty file on the way. */
#define WRITERS 4
#define PER_WRITER 40

static int writer_child(const char *db, int n)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = journal_open(db, JOURNAL_CREATE, &err);
	if (!j) {
		fprintf(stderr, "child %d: %s\n", n, err.msg);
		return 10;
	}
	int rc = 0;
	for (int i = 0; i < PER_WRITER && !rc; i++) {
		if (journal_begin(j, &err) != JOURNAL_OK) {
			rc = 11;
			break;
		}
		if (journal_lock_incident(j, 1, &err) == JOURNAL_NOTFOUND) {
			/* PostgreSQL locks the incident's row: one that does not
			 * exist yet locks nothing, and a second creator would make
			 * incident 2. There the first writer makes it; the others
			 * wait for it. */
			if (PG && n != 0) {
				journal_rollback(j);
				usleep(10000);
				i--;
				continue;
			}
			struct journal_incident in = { .title = "race", .plan_id = "test",
						       .plan_text = PLAN_YAML,
						       .plan_len = strlen(PLAN_YAML), .created_at = T0 };
			if (journal_incident_create(j, &in, &err) != JOURNAL_OK || in.id != 1)
				rc = 12;
		}
		char p[64];
		snprintf(p, sizeof p, "{\"w\":%d,\"i\":%d}", n, i);
		int64_t now = 0;
		if (!rc && journal_clock(j, &now, &err) != JOURNAL_OK)
			rc = 15;
		struct journal_entry e = { .incident = 1, .recorded_at = now, .occurred_at = now,
					   .actor = "w", .kind = "log", .payload = p };
		if (!rc && journal_append(j, &e, &err) != JOURNAL_OK)
			rc = 13;
		if (!rc && journal_commit(j, &err) != JOURNAL_OK)
			rc = 14;
		if (rc) {
			fprintf(stderr, "child %d: %s\n", n, err.msg);
			journal_rollback(j);
		}
	}
	journal_close(j);
	err_release(&err);
	return rc;
}

static void test_concurrent_writers(void **state)
{
	(void)state;
	struct place t;
	place_make(&t); /* PostgreSQL: an empty schema, the journal made by the first child */
	pid_t pids[WRITERS];
	for (int n = 0; n < WRITERS; n++) {
		pids[n] = fork();
		assert_true(pids[n] >= 0);
		if (pids[n] == 0)
			_exit(writer_child(t.where, n));
	}
	for (int n = 0; n < WRITERS; n++) {
		int st;
		assert_int_equal(waitpid(pids[n], &st, 0), pids[n]);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	struct journal *j = open_ok(t.where, 0);
	assert_query(j, "SELECT count(*) FROM incidents", "1");
	char want[16];
	snprintf(want, sizeof want, "%d", WRITERS * PER_WRITER);
	assert_query(j, "SELECT count(*) FROM entries WHERE incident = 1", want);
	assert_query(j, "SELECT count(DISTINCT prev_hash) FROM entries", want); /* no fork */
	/* ids follow the order of recording */
	assert_query(j, "SELECT count(*) FROM entries a JOIN entries b ON b.id = a.id + 1"
		     " WHERE b.recorded_at < a.recorded_at", "0");
	verify_ok(j, 0);
	journal_close(j);
	/* Nothing left behind but the journal and its log. */
	if (!PG) {
		char cmd[256];
		snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | grep -c new-) -eq 0", t.t.dir);
		assert_int_equal(system(cmd), 0);
	}
	place_remove(&t);
}

/* ---------- many pages ---------- */

/* Enough entries for a cursor to read many pages (PostgreSQL's grow from
 * 64 entries to 4096), two readings each, every way round: nothing lost,
 * nothing twice, an entry's readings never split between pages. */
static void expect_in(const char *msg, const char *needle)
{
	if (!msg || !strstr(msg, needle))
		fail_msg("'%s' lacks '%s'", msg ? msg : "(null)", needle);
}

/* Threads of this process (Linux: /proc/self/task). */
static int threads_now(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* A walk from the first entry, with readings and payloads, that may read
 * ahead. */
static struct journal_query ahead_query(int64_t incident)
{
	struct journal_query q = qry(incident);
	q.after = JOURNAL_POS_FIRST;
	q.fields = JF_READINGS | JF_PAYLOAD;
	q.read_ahead = 1;
	return q;
}

/* Walks of every order, with and without reading ahead (a second thread
 * takes over after 4,096 entries): the same entries, strings, readings and
 * hashes, in order; a walk closed while the reader is busy stops it. */
static void test_many_pages(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	enum { N = 9000 };
	static char hashes[N + 1][65];
	struct journal *j = fresh();
	int64_t a = new_incident(j, "pages");
	int64_t first = 0;
	begin(j);
	for (int i = 0; i < N; i++) {
		char payload[96];
		/* every fifth one backfilled: position and id orders differ */
		int64_t occ = T0 + i - (i % 5 == 0 ? 7 : 0);
		snprintf(payload, sizeof payload, "{\"readings\":{\"q\":%d,\"c\":%d.5}}", i, i);
		struct journal_reading r[2] = { { "q", i }, { "c", i + 0.5 } };
		struct journal_entry e = { .incident = a, .recorded_at = T0 + i, .occurred_at = occ,
					   .actor = i % 2 ? "feed" : "duty manager", .kind = "metric",
					   .payload = payload, .readings = r, .nreadings = 2 };
		must(journal_append(j, &e, &err), &err, "append");
		if (!first)
			first = e.id;
		memcpy(hashes[e.id - first], e.hash, 65);
	}
	commit(j);
	for (int v = 0; v < 8; v++) {
		struct journal_query q = qry(a);
		q.descending = v & 1;
		q.by_id = (v & 2) != 0;
		q.read_ahead = (v & 4) != 0;
		q.after = q.descending ? JOURNAL_POS_LAST : JOURNAL_POS_FIRST;
		q.fields = JF_READINGS | JF_HASHES | JF_PAYLOAD;
		struct journal_cursor *c;
		const struct journal_entry *e;
		must(journal_cursor_open(j, &q, &c, &err), &err, "cursor");
		size_t n = 0;
		struct journal_pos last = { 0, 0 };
		while (journal_cursor_next(c, &e, &err) == JOURNAL_OK && e) {
			struct journal_pos p = { q.by_id ? 0 : e->occurred_at, e->id };
			int64_t i = e->id - first;
			char payload[96];
			/* a slow caller for a while: the reader gets every batch
			 * ahead, and a batch refilled too soon shows here */
			if (q.read_ahead && n > 4096 && n < 6500)
				usleep(20);
			if (n) {
				int order = p.occ != last.occ ? (p.occ < last.occ ? -1 : 1)
							   : (p.id < last.id ? -1 : 1);
				if (order != (q.descending ? -1 : 1))
					fail_msg("walk %d: entry %lld out of order", v, (long long)e->id);
			}
			last = p;
			assert_int_equal(e->nreadings, 2);
			assert_string_equal(e->readings[0].metric, "q");
			assert_string_equal(e->readings[1].metric, "c");
			assert_true(e->readings[0].value == (double)i);
			assert_true(e->readings[1].value == (double)i + 0.5);
			assert_string_equal(e->actor, i % 2 ? "feed" : "duty manager");
			assert_string_equal(e->kind, "metric");
			snprintf(payload, sizeof payload, "{\"readings\":{\"q\":%d,\"c\":%d.5}}",
				 (int)i, (int)i);
			assert_int_equal(e->payload_len, strlen(payload));
			assert_memory_equal(e->payload, payload, e->payload_len);
			assert_string_equal(e->hash, hashes[i]);
			n++;
		}
		must(err.code ? JOURNAL_ERROR : JOURNAL_OK, &err, "next");
		/* the end is said again, as by any walk */
		assert_int_equal(journal_cursor_next(c, &e, &err), JOURNAL_OK);
		assert_null(e);
		journal_cursor_close(c);
		assert_int_equal(n, N);
	}
	/* closed after the reader started, before the end: it stops */
	for (int stop = 4097; stop < N; stop += 1999) {
		struct journal_query q = ahead_query(a);
		struct journal_cursor *c;
		const struct journal_entry *e;
		must(journal_cursor_open(j, &q, &c, &err), &err, "cursor");
		int before = threads_now();
		for (int k = 0; k < stop; k++) {
			must(journal_cursor_next(c, &e, &err), &err, "next");
			assert_non_null(e);
			if (k == 4095)
				assert_int_equal(threads_now(), before); /* not yet */
		}
		/* there while the walk has more than the batches it may hold
		 * (3 x 512) still to read; it may have ended on its own after */
		if (N - stop > 2048)
			assert_int_equal(threads_now(), before + 1);
		journal_cursor_close(c);
		assert_int_equal(threads_now(), before);
	}
	/* the journal is the caller's again: a write after the walks */
	begin(j);
	struct journal_entry e = { .incident = a, .recorded_at = T0 + N, .occurred_at = T0 + N,
				   .actor = "feed", .kind = "log", .payload = "{}" };
	must(journal_append(j, &e, &err), &err, "append after");
	commit(j);
	verify_ok(j, a);
	err_release(&err);
	journal_close(j);
}

/* A page that cannot be read, met by the second thread: the walk fails
 * with the storage's word for it, in the caller's error, and stops. */
static void test_read_ahead_fails(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	enum { N = 9000 };
	struct tmp t;
	tmp_make(&t);
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	int64_t a = new_incident(j, "damaged");
	begin(j);
	for (int i = 0; i < N; i++) {
		char payload[64];
		snprintf(payload, sizeof payload, "{\"readings\":{\"q\":%d,\"c\":%d}}", i, i);
		struct journal_reading r[2] = { { "q", i }, { "c", i } };
		struct journal_entry e = { .incident = a, .recorded_at = T0 + i, .occurred_at = T0 + i,
					   .actor = "feed", .kind = "metric", .payload = payload,
					   .readings = r, .nreadings = 2 };
		must(journal_append(j, &e, &err), &err, "append");
	}
	commit(j);
	journal_close(j);
	/* pages three quarters into the file: rows the walk meets late */
	struct stat st;
	assert_int_equal(stat(t.db, &st), 0);
	int fd = open(t.db, O_WRONLY);
	assert_true(fd >= 0);
	char junk[8 * 4096];
	memset(junk, 0xa5, sizeof junk);
	off_t at = (st.st_size * 3 / 4) / 4096 * 4096;
	assert_int_equal(pwrite(fd, junk, sizeof junk, at), (ssize_t)sizeof junk);
	assert_int_equal(close(fd), 0);

	j = open_ok(t.db, 0);
	/* the same walk in the caller's thread: where it fails, and how */
	struct journal_query q = ahead_query(a);
	struct journal_cursor *c;
	const struct journal_entry *e;
	size_t n = 0, n_alone = 0, nrd_last = 0, nrd_last_alone = 0;
	int rc, rc_alone;
	q.read_ahead = 0;
	must(journal_cursor_open(j, &q, &c, &err), &err, "cursor");
	while ((rc_alone = journal_cursor_next(c, &e, &err)) == JOURNAL_OK && e) {
		n_alone++;
		nrd_last_alone = e->nreadings;
	}
	journal_cursor_close(c);
	err_release(&err);
	q.read_ahead = 1;
	must(journal_cursor_open(j, &q, &c, &err), &err, "cursor");
	while ((rc = journal_cursor_next(c, &e, &err)) == JOURNAL_OK && e) {
		n++;
		nrd_last = e->nreadings;
	}
	assert_int_not_equal(rc, JOURNAL_OK);
	assert_true(n > 4096 && n < N);    /* met by the reader, not the caller */
	/* the entries handed out are those of a walk without it: none more,
	 * none cut short by the failure */
	assert_int_equal(rc, rc_alone);
	assert_int_equal(n, n_alone);
	assert_int_equal(nrd_last, nrd_last_alone);
	assert_non_null(err.msg);
	expect_in(err.msg, t.db);
	err_release(&err);
	/* and after: the walk is over, it says so */
	assert_int_not_equal(journal_cursor_next(c, &e, &err), JOURNAL_OK);
	assert_null(e);
	expect_in(err.msg, "failed already");
	journal_cursor_close(c);
	err_release(&err);
	journal_close(j);
	tmp_remove(&t);
}

/* ---------- PostgreSQL only ---------- */



/* base with its database replaced by db. Caller frees. */
static char *url_for_db(const char *base, const char *db)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	const char *rest = strstr(base, "://");
	assert_non_null(rest);
	rest += 3;
	size_t auth = strcspn(rest, "/?");
	sb_add(&sb, base, (size_t)(rest - base) + auth);
	rest += auth;
	if (*rest == '/')
		rest += 1 + strcspn(rest + 1, "?");
	sb_addf(&sb, "/%s%s", db, rest);
	return sb_detach(&sb);
}

/* The password never shows: not in journal_where, not in an error. */
static void test_pg_where(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	char *url = url_with(pg_base, "password=secret&application_name=x");
	struct journal *j = open_ok(url, 0); /* the base database (trust: no password asked) */
	assert_null(strstr(journal_where(j), "secret"));
	expect_in(journal_where(j), "application_name=x");
	journal_close(j);
	free(url);
	const char *bad = "postgresql://sitrep:secret@/nodb?host=/nonexistent/sitrep-test";
	assert_null(journal_open(bad, JOURNAL_CREATE, &err));
	assert_int_equal(err.code, SITREP_EXIT_STORAGE);
	expect_in(err.msg, "unable to connect to database"
			       " 'postgresql://sitrep@/nodb?host=/nonexistent/sitrep-test': ");
	assert_null(strstr(err.msg, "secret"));
	assert_null(strchr(err.msg, '\n'));
	err_release(&err);
}

/* A schema from a newer sitrep, a damaged one, another program's tables,
 * a database without a journal: refused, each saying so. */
static void test_pg_schema(void **state)
{
	(void)state;
	char want[512], sql[256];
	struct place t;
	place_make(&t);
	struct journal *j = open_ok(t.where, JOURNAL_CREATE);
	exec_ok(j, "UPDATE sitrep_meta SET value = '4' WHERE name = 'schema_version'");
	journal_close(j);
	char *m = open_fails(t.where, 0, SITREP_EXIT_STORAGE);
	snprintf(want, sizeof want, "has schema version 4, newer than this sitrep (3)");
	if (!strstr(m, want))
		fail_msg("'%s' lacks '%s'", m, want);
	free(m);
	m = open_fails(t.where, JOURNAL_READ_ONLY, SITREP_EXIT_STORAGE);
	free(m);
	place_remove(&t);

	place_make(&t);
	j = open_ok(t.where, JOURNAL_CREATE);
	exec_ok(j, "DROP TABLE snapshots");
	journal_close(j);
	m = open_fails(t.where, JOURNAL_CREATE, SITREP_EXIT_INTEGRITY);
	expect_in(m, "is damaged: tables of the journal are missing");
	free(m);
	place_remove(&t);

	/* An empty schema: made only when asked to (and not read-only). */
	place_make(&t);
	m = open_fails(t.where, 0, SITREP_EXIT_STORAGE);
	expect_in(m, "holds no sitrep journal");
	free(m);
	m = open_fails(t.where, JOURNAL_READ_ONLY | JOURNAL_CREATE, SITREP_EXIT_STORAGE);
	expect_in(m, "holds no sitrep journal");
	free(m);
	/* Another program's table of the same name: never adopted, never
	 * added to. */
	snprintf(sql, sizeof sql, "CREATE TABLE %s.entries (x int)", pg_last_schema);
	exec_ok(pg_admin, sql);
	m = open_fails(t.where, JOURNAL_CREATE, SITREP_EXIT_STORAGE);
	snprintf(want, sizeof want, "is not a sitrep journal: schema \"%s\" holds tables of"
		 " another program (entries)", pg_last_schema);
	if (!strstr(m, want))
		fail_msg("'%s' lacks '%s'", m, want);
	free(m);
	place_remove(&t);

	place_make(&t);
	snprintf(sql, sizeof sql, "CREATE TABLE %s.sitrep_meta (name text, value text);"
		 " INSERT INTO %s.sitrep_meta VALUES ('application', 'other')", pg_last_schema,
		 pg_last_schema);
	exec_ok(pg_admin, sql);
	m = open_fails(t.where, JOURNAL_CREATE, SITREP_EXIT_STORAGE);
	expect_in(m, "is not a sitrep journal: its table sitrep_meta belongs to"
			       " another program");
	free(m);
	place_remove(&t);
}

static void test_pg_read_only(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct place t;
	place_make(&t);
	struct journal *w = open_ok(t.where, JOURNAL_CREATE);
	int64_t a = new_incident(w, "ro");
	append(w, a, T0, T0, "log", "{}", 0);
	struct journal *r = open_ok(t.where, JOURNAL_READ_ONLY);
	assert_true(journal_readonly(r));
	struct journal_query q = qry(a);
	struct got g;
	walk(r, &q, &g);
	assert_int_equal(g.n, 1);
	append(w, a, T0 + 1, T0 + 1, "log", "{}", 0);
	walk(r, &q, &g);
	assert_int_equal(g.n, 2); /* sees the writer's commit */
	verify_ok(r, 0);
	char want[512];
	snprintf(want, sizeof want, "database '%s' is read-only: opened read-only", journal_where(r));
	assert_int_equal(journal_begin(r, &err), JOURNAL_READONLY);
	assert_string_equal(err.msg, want);
	assert_int_equal(err.code, SITREP_EXIT_STORAGE);
	struct journal_entry e = { .incident = a, .recorded_at = T0, .occurred_at = T0,
				   .actor = "alice", .kind = "log", .payload = "{}" };
	assert_int_equal(journal_append(r, &e, &err), JOURNAL_READONLY);
	struct journal_snapshot put = { .max_id = 0 };
	assert_int_equal(journal_snapshot_put(r, a, &put, &err), JOURNAL_READONLY);
	/* the session itself is read-only, not only the journal's checks */
	assert_int_equal(journal_exec_unchecked(r, "CREATE TABLE x (y int)", &err), JOURNAL_READONLY);
	journal_close(r);
	journal_close(w);
	err_release(&err);
	place_remove(&t);
}

/* The busy timeout is PostgreSQL's lock_timeout: a writer that cannot
 * have the incident's lock in time gives up, its transaction rolled back;
 * another incident is not locked meanwhile. */
static void test_pg_busy(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct place t;
	place_make(&t);
	struct journal *a = open_ok(t.where, JOURNAL_CREATE);
	struct journal *b = open_ok(t.where, 0);
	int64_t inc = new_incident(a, "busy");
	int64_t other = new_incident(a, "other");
	assert_query(b, "SHOW lock_timeout", "5s");
	must(journal_set_busy_timeout(b, 50, &err), &err, "busy timeout");
	assert_query(b, "SHOW lock_timeout", "50ms");
	assert_int_equal(journal_set_busy_timeout(b, -1, &err), JOURNAL_ERROR);

	begin(a);
	must(journal_lock_incident(a, inc, &err), &err, "lock");
	begin(b);
	assert_int_equal(journal_lock_incident(b, inc, &err), JOURNAL_BUSY);
	char want[512];
	snprintf(want, sizeof want, "database '%s' is locked by another session", journal_where(b));
	if (!strstr(err.msg, want))
		fail_msg("'%s' lacks '%s'", err.msg, want);
	assert_int_equal(err.code, SITREP_EXIT_STORAGE);
	assert_false(journal_in_transaction(b));
	journal_rollback(b);
	/* Reads still work meanwhile; another incident is free. */
	struct journal_query q = qry(inc);
	struct got g;
	walk(b, &q, &g);
	int64_t eo = append(b, other, T0, T0, "log", "{}", 0);

	struct journal_entry e = { .incident = inc, .recorded_at = T0, .occurred_at = T0,
				   .actor = "alice", .kind = "log", .payload = "{}" };
	must(journal_append(a, &e, &err), &err, "append");
	assert_true(e.id > eo);
	commit(a);

	/* Once a commits, b gets the lock and chains onto a's entry. */
	begin(b);
	must(journal_lock_incident(b, inc, &err), &err, "lock");
	struct journal_entry f = e;
	must(journal_append(b, &f, &err), &err, "append");
	assert_string_equal(f.prev_hash, e.hash);
	commit(b);
	verify_ok(a, 0);
	journal_close(a);
	journal_close(b);
	err_release(&err);
	place_remove(&t);
}

/* Two connections, one holding the incident's lock: the other waits for
 * it (no error), and once the first commits it has the lock and sees
 * what was committed: two commanders cannot decide on the same state. */
static void test_pg_lock_wait(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct place t;
	place_make(&t);
	struct journal *a = open_ok(t.where, JOURNAL_CREATE);
	int64_t inc = new_incident(a, "two commanders");
	int64_t e1 = append(a, inc, T0, T0, "log", "{}", 0);
	begin(a);
	must(journal_lock_incident(a, inc, &err), &err, "lock");

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sitrep_error cerr = SITREP_ERROR_INIT;
		struct journal *b = journal_open(t.where, 0, &cerr);
		CHILD_CHECK(b != NULL);
		CHILD_CHECK(journal_set_busy_timeout(b, 20000, &cerr) == JOURNAL_OK);
		CHILD_CHECK(journal_begin(b, &cerr) == JOURNAL_OK);
		CHILD_CHECK(journal_lock_incident(b, inc, &cerr) == JOURNAL_OK); /* waits */
		struct journal_head h;
		CHILD_CHECK(journal_head(b, inc, &h, &cerr) == JOURNAL_OK);
		CHILD_CHECK(h.last_id == e1 + 1); /* the entry a committed while b waited */
		struct journal_entry e = { .incident = inc, .recorded_at = T0 + 20,
					   .occurred_at = T0 + 20, .actor = "b", .kind = "escalate",
					   .payload = "{\"from\":\"II\"}" };
		CHILD_CHECK(journal_append(b, &e, &cerr) == JOURNAL_OK);
		CHILD_CHECK(strcmp(e.prev_hash, h.hash) == 0);
		CHILD_CHECK(journal_commit(b, &cerr) == JOURNAL_OK);
		journal_close(b);
		_exit(0);
	}
	/* Wait until b is waiting for a lock, then some more: it must still
	 * be waiting. */
	char *n = NULL;
	for (int i = 0; i < 100; i++) {
		free(n);
		n = query(pg_admin, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type ="
			  " 'Lock' AND datname = current_database()");
		if (strcmp(n, "1") == 0)
			break;
		usleep(50000);
	}
	assert_string_equal(n, "1");
	free(n);
	usleep(200000);
	int st;
	assert_int_equal(waitpid(pid, &st, WNOHANG), 0);
	struct journal_entry e = { .incident = inc, .recorded_at = T0 + 10, .occurred_at = T0 + 10,
				   .actor = "a", .kind = "escalate", .payload = "{\"from\":\"III\"}" };
	must(journal_append(a, &e, &err), &err, "append");
	commit(a);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	struct journal_head h;
	must(journal_head(a, inc, &h, &err), &err, "head");
	assert_int_equal(h.count, 3);
	verify_ok(a, inc);
	journal_close(a);
	err_release(&err);
	place_remove(&t);
}

/* The session killed (pg_terminate_backend) in the middle of a write: a
 * storage error (exit 4) that says so, nothing of it saved; the journal
 * connects again and carries on. */
static void test_pg_killed(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct place t;
	place_make(&t);
	struct journal *j = open_ok(t.where, JOURNAL_CREATE);
	int64_t inc = new_incident(j, "killed");
	append(j, inc, T0, T0, "log", "{}", 0);
	char sql[128];

	/* Killed between the append and the commit. */
	char *pid = query(j, "SELECT pg_backend_pid()");
	begin(j);
	struct journal_reading r = { "queue_min", 9 };
	struct journal_entry e = { .incident = inc, .recorded_at = T0 + 1, .occurred_at = T0 + 1,
				   .actor = "alice", .kind = "metric", .readings = &r,
				   .nreadings = 1, .payload = "{\"readings\":{\"queue_min\":9}}" };
	must(journal_append(j, &e, &err), &err, "append");
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%s, 5000)", pid);
	assert_query(pg_admin, sql, "t");
	free(pid);
	assert_int_equal(journal_commit(j, &err), JOURNAL_ERROR);
	assert_int_equal(err.code, SITREP_EXIT_STORAGE);
	expect_in(err.msg, "the connection was lost before the commit");
	expect_in(err.msg, "nothing was saved");
	assert_false(journal_in_transaction(j));
	journal_rollback(j);

	struct journal *o = open_ok(t.where, 0);
	assert_query(o, "SELECT count(*) FROM entries", "1");
	assert_query(o, "SELECT count(*) FROM readings", "0");
	verify_ok(o, 0);

	/* journal_changed makes the connection again (and calls it a change:
	 * what happened meanwhile was not heard). */
	expect_changed(j, 1);
	int64_t e2 = append(j, inc, T0 + 2, T0 + 2, "log", "{}", 0);
	assert_int_equal(e2, 2);

	/* Killed in the middle of a transaction, before the next statement. */
	pid = query(j, "SELECT pg_backend_pid()");
	begin(j);
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%s, 5000)", pid);
	assert_query(pg_admin, sql, "t");
	free(pid);
	struct journal_entry f = { .incident = inc, .recorded_at = T0 + 3, .occurred_at = T0 + 3,
				   .actor = "alice", .kind = "log", .payload = "{}" };
	int rc = journal_append(j, &f, &err);
	assert_true(rc == JOURNAL_ERROR);
	assert_int_equal(err.code, SITREP_EXIT_STORAGE);
	expect_in(err.msg, "connection was lost");
	assert_int_equal(journal_commit(j, &err), JOURNAL_ERROR);
	journal_rollback(j);

	/* Killed while idle: the next read connects again by itself. */
	pid = query(j, "SELECT pg_backend_pid()");
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%s, 5000)", pid);
	assert_query(pg_admin, sql, "t");
	free(pid);
	struct journal_head h;
	must(journal_head(j, inc, &h, &err), &err, "head after a lost connection");
	assert_int_equal(h.count, 2);
	assert_query(o, "SELECT count(*) FROM entries", "2");
	verify_ok(o, 0);
	journal_close(o);
	journal_close(j);
	err_release(&err);
	place_remove(&t);
}

/* Appends wait in the backend and go in one statement: every read of the
 * transaction sees them, a rollback drops them, and a batch that cannot go
 * in fails the commit with nothing of the transaction saved. */
static void test_pg_batch(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct place t;
	place_make(&t);
	struct journal *j = open_ok(t.where, JOURNAL_CREATE);
	struct journal *o = open_ok(t.where, 0);
	int64_t inc = new_incident(j, "batch");
	int64_t other = new_incident(j, "other");
	int64_t e1 = append(j, inc, T0, T0, "log", "{}", 0);
	begin(j);
	struct journal_entry e = { .incident = inc, .recorded_at = T0 + 1, .occurred_at = T0 + 1,
				   .actor = "bob", .kind = "log", .payload = "{}" };
	must(journal_append(j, &e, &err), &err, "append");
	struct journal_entry f = e;
	must(journal_append(j, &f, &err), &err, "append");
	struct journal_head h;
	must(journal_head(j, inc, &h, &err), &err, "head"); /* sends them first */
	assert_int_equal(h.count, 3);
	assert_string_equal(h.hash, f.hash);
	struct journal_entry got;
	must(journal_entry_get(j, f.id, &got, &err), &err, "get");
	journal_entry_free_owned(&got);
	assert_query(o, "SELECT count(*) FROM entries", "1"); /* not committed */
	/* Someone takes the id the next append will have, by hand, in another
	 * incident (this one is locked). */
	char sql[256];
	snprintf(sql, sizeof sql, "INSERT INTO entries SELECT %lld, %lld, recorded_at,"
		 " occurred_at, 'mallory', role, kind, payload, corrects, hash, hash FROM entries"
		 " WHERE id = %lld", (long long)f.id + 1, (long long)other, (long long)e1);
	exec_ok(o, sql);
	struct journal_entry g = e;
	must(journal_append(j, &g, &err), &err, "append (waits in the batch)");
	assert_int_equal(g.id, f.id + 1);
	assert_int_equal(journal_commit(j, &err), JOURNAL_ERROR);
	expect_in(err.msg, "1 of the entries");
	expect_in(err.msg, "already exist");
	assert_false(journal_in_transaction(j));
	assert_query(o, "SELECT count(*) FROM entries WHERE actor = 'bob'", "0");
	/* A rolled-back batch is no trace either. */
	begin(j);
	must(journal_append(j, &e, &err), &err, "append");
	journal_rollback(j);
	assert_query(o, "SELECT count(*) FROM entries WHERE actor = 'bob'", "0");
	journal_close(o);
	journal_close(j);
	err_release(&err);
	place_remove(&t);
}

/* The database replaced under an open journal (dropped and made again,
 * restored from another journal, a failover to the wrong server): once the
 * connection is made again, the journal's id differs, and nothing is read
 * from or written to the other journal. */
static void test_pg_replaced(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct place t;
	place_make(&t);
	char schema[64], sql[256];
	snprintf(schema, sizeof schema, "%s", pg_last_schema);
	struct journal *j = open_ok(t.where, JOURNAL_CREATE);
	int64_t inc = new_incident(j, "the original");
	char *pid = query(j, "SELECT pg_backend_pid()");
	snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE; CREATE SCHEMA %s", schema, schema);
	exec_ok(pg_admin, sql);
	struct journal *o = open_ok(t.where, JOURNAL_CREATE);
	new_incident(o, "another journal");
	journal_close(o);
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%s, 5000)", pid);
	assert_query(pg_admin, sql, "t");
	free(pid);
	assert_int_equal(journal_begin(j, &err), JOURNAL_GONE);
	assert_int_equal(err.code, SITREP_EXIT_STORAGE);
	expect_in(err.msg, "was replaced while it was open");
	struct journal_incident got;
	assert_int_equal(journal_incident_get(j, inc, 0, &got, &err), JOURNAL_GONE);
	int changed;
	assert_int_equal(journal_changed(j, &changed, &err), JOURNAL_GONE);
	journal_close(j);
	err_release(&err);
	place_remove(&t);
}

/* The clock is the server's: one clock for every site. */
static void test_pg_clock(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = fresh();
	int64_t now = 0;
	char *server = query(j, "SELECT floor(extract(epoch FROM clock_timestamp()))::bigint");
	must(journal_clock(j, &now, &err), &err, "clock");
	assert_true(now >= strtoll(server, NULL, 10) && now <= strtoll(server, NULL, 10) + 2);
	free(server);
	journal_close(j);
	err_release(&err);
}

/* The psql query of docs/journal-format.md ("Verifying by hand with
 * psql") finds what journal_verify finds, with PostgreSQL's own SHA-256. */
static char *doc_sql(const char *marker)
{
	FILE *f = fopen("docs/journal-format.md", "r");
	if (!f)
		fail_msg("docs/journal-format.md not found: run from the top of the tree");
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	char line[1024];
	int state = 0;
	while (fgets(line, sizeof line, f)) {
		if (state == 0 && strstr(line, marker))
			state = 1;
		else if (state == 1 && strncmp(line, "```sql", 6) == 0)
			state = 2;
		else if (state == 2 && strncmp(line, "```", 3) == 0)
			break;
		else if (state == 2)
			sb_adds(&sb, line);
	}
	fclose(f);
	if (state != 2)
		fail_msg("docs/journal-format.md has no ```sql block after '%s'", marker);
	return sb_detach(&sb);
}

static struct journal *by_hand_journal(int64_t *a)
{
	static const char utf16[] = "\xff\xfei\0d\0\n\0";
	struct journal *j = fresh();
	*a = new_incident_plan(j, "手工 'quoted' \\ check", utf16, sizeof utf16 - 1, 1, T0);
	int64_t b = new_incident(j, "other");
	int64_t e1 = append(j, *a, T0, T0, "log", "{\"text\":\"你好\"}", 0);
	append(j, b, T0 + 1, T0 + 1, "log", "{}", 0);
	append(j, *a, T0 + 9, T0 + 2, "escalate", "{ \"to\" : \"II\",\n \"reason\":\"x\\u00e9\" }", 0);
	append(j, *a, T0 + 10, T0 + 10, "log", "{\"fix\":true}", e1);
	append_reading(j, *a, T0 + 11, "queue_min", 2.5);
	return j;
}

static void test_pg_by_hand(void **state)
{
	(void)state;
	char *sql = doc_sql("<!-- pg-verify-by-hand -->");
	int64_t a;
	struct journal *j = by_hand_journal(&a);
	verify_ok(j, 0);
	assert_query(j, sql, "ok");
	exec_unguarded(j, "UPDATE entries SET payload = '{\"text\":\"再见\"}' WHERE id = 1");
	assert_query(j, sql, "entry 1: does not match its hash");
	expect_corrupt(j, a, 1, "entry 1 does not match its hash");
	journal_close(j);

	j = by_hand_journal(&a);
	exec_unguarded(j, "DELETE FROM entries WHERE id = 3");
	assert_query(j, sql, "entry 4: does not follow the entry before it");
	expect_corrupt(j, a, 4, "entry 4 does not follow");
	journal_close(j);

	j = by_hand_journal(&a);
	exec_unguarded(j, "UPDATE incidents SET drill = 0 WHERE id = 1");
	assert_query(j, sql, "incident 1: row does not match its genesis");
	journal_close(j);

	j = by_hand_journal(&a);
	exec_unguarded(j, "UPDATE incidents SET plan_text = plan_text || '\\x00'::bytea,"
		       " plan_len = plan_len + 1 WHERE id = 1");
	assert_query(j, sql, "incident 1: plan text does not match plan_hash");
	journal_close(j);

	j = by_hand_journal(&a);
	exec_no_fk(j, "INSERT INTO entries SELECT 60, 77, recorded_at, occurred_at, actor, role,"
		   " kind, payload, corrects, prev_hash, hash FROM entries WHERE id = 5");
	assert_query(j, sql, "entry 60: belongs to no incident; entry 60: does not match its hash");
	journal_close(j);
	free(sql);
}

/* ---- the roles and privileges of docs/deployment.md ---- */

/* The ```sql block after `marker` in docs/deployment.md, with the doc's
 * names made the test's (roles are the cluster's: a test must not touch a
 * real alice). Caller frees. */
static char *deployment_sql(const char *marker)
{
	static const char *const names[][2] = {
		{ "sitrep_owner", "sitrep_test_owner" }, { "sitrep_writer", "sitrep_test_writer" },
		{ "sitrep_reader", "sitrep_test_reader" }, { "alice", "sitrep_test_alice" },
		{ "audit", "sitrep_test_audit" }, { "sitrep", "sitrep_test_roles" },
	};
	FILE *f = fopen("docs/deployment.md", "r");
	if (!f)
		fail_msg("docs/deployment.md not found: run from the top of the tree");
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	char line[1024];
	int state = 0;
	while (fgets(line, sizeof line, f)) {
		if (state == 0 && strstr(line, marker))
			state = 1;
		else if (state == 1 && strncmp(line, "```sql", 6) == 0)
			state = 2;
		else if (state == 2 && strncmp(line, "```", 3) == 0)
			break;
		else if (state == 2 && strncmp(line, "--", 2) != 0) {
			/* whole words only: sitrep_lock_incident stays */
			for (const char *p = line; *p;) {
				size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz_0123456789");
				size_t k = 0;
				while (n && k < sizeof names / sizeof names[0] &&
				       !(strlen(names[k][0]) == n && strncmp(p, names[k][0], n) == 0))
					k++;
				if (n && k < sizeof names / sizeof names[0] && !(p > line && p[-1] == '.'))
					sb_adds(&sb, names[k][1]);
				else
					sb_add(&sb, p, n ? n : 1);
				p += n ? n : 1;
			}
		}
	}
	fclose(f);
	if (state != 2)
		fail_msg("docs/deployment.md has no ```sql block after '%s'", marker);
	return sb_detach(&sb);
}

static void roles_clean(void)
{
	exec_ok(pg_admin, "DROP DATABASE IF EXISTS sitrep_test_roles");
	exec_ok(pg_admin, "DROP ROLE IF EXISTS sitrep_test_alice");
	exec_ok(pg_admin, "DROP ROLE IF EXISTS sitrep_test_audit");
	exec_ok(pg_admin, "DROP ROLE IF EXISTS sitrep_test_writer");
	exec_ok(pg_admin, "DROP ROLE IF EXISTS sitrep_test_reader");
	exec_ok(pg_admin, "DROP ROLE IF EXISTS sitrep_test_owner");
}

/* Run every statement of sql on j (CREATE DATABASE cannot share a
 * transaction: one at a time). */
static void exec_each(struct journal *j, char *sql)
{
	for (char *s = strtok(sql, ";"); s; s = strtok(NULL, ";")) {
		if (strspn(s, " \t\n") == strlen(s))
			continue;
		exec_ok(j, s);
	}
}

static void test_pg_roles(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	roles_clean();
	char *sql = deployment_sql("<!-- pg-roles -->");
	exec_each(pg_admin, sql); /* the roles and the database, as a superuser */
	free(sql);
	char *db = url_for_db(pg_base, "sitrep_test_roles");

	/* The journal is made as its owner (the doc's first run). */
	char *as_owner = url_with(db, "options=-crole%3Dsitrep_test_owner");
	struct journal *owner = open_ok(as_owner, JOURNAL_CREATE);
	assert_query(owner, "SELECT tableowner FROM pg_tables WHERE tablename = 'entries'",
		     "sitrep_test_owner");
	sql = deployment_sql("<!-- pg-grants -->");
	exec_each(owner, sql);
	free(sql);

	/* A writer appends, locks, keeps snapshots... */
	char *as_alice = url_with(db, "user=sitrep_test_alice");
	struct journal *w = open_ok(as_alice, JOURNAL_CREATE);
	assert_false(journal_readonly(w));
	int64_t inc = new_incident(w, "by alice");
	append_reading(w, inc, T0 + 1, "queue_min", 4);
	begin(w);
	must(journal_lock_incident(w, inc, &err), &err, "lock as a writer");
	commit(w);
	int64_t e2 = append(w, inc, T0 + 2, T0 + 2, "log", "{}", 0);
	snap_put(w, inc, T0 + 2, e2, e2, "state");
	must(journal_snapshot_drop_after(w, inc, JOURNAL_POS_FIRST, &err) == JOURNAL_ERROR ?
	     JOURNAL_OK : JOURNAL_ERROR, &err, "drop outside a transaction is refused");
	verify_ok(w, 0);
	/* ...and alters nothing. */
	static const char *const alter[] = {
		"UPDATE entries SET kind = 'x'", "DELETE FROM entries", "TRUNCATE entries",
		"UPDATE readings SET value = 0", "DELETE FROM incidents", "TRUNCATE incidents CASCADE",
		"UPDATE sitrep_meta SET value = '9'", "ALTER TABLE entries DISABLE TRIGGER USER",
		"DROP TABLE readings",
	};
	for (size_t i = 0; i < sizeof alter / sizeof alter[0]; i++) {
		assert_int_not_equal(journal_exec_unchecked(w, alter[i], &err), JOURNAL_OK);
		if (!strstr(err.msg, "permission denied") && !strstr(err.msg, "must be owner"))
			fail_msg("%s: %s", alter[i], err.msg);
	}
	/* A reader reads and verifies; writing is refused, naming why. */
	char *as_audit = url_with(db, "user=sitrep_test_audit");
	struct journal *r = open_ok(as_audit, JOURNAL_CREATE);
	assert_true(journal_readonly(r));
	verify_ok(r, 0);
	assert_int_equal(journal_begin(r, &err), JOURNAL_READONLY);
	expect_in(err.msg, "role 'sitrep_test_audit' may not append to it");
	/* Even the owner's mistakes are stopped by the guards. */
	char *m = exec_fails(owner, "UPDATE entries SET kind = 'x'", JOURNAL_ERROR);
	expect_in(m, "journal entries are append-only");
	free(m);
	m = exec_fails(owner, "TRUNCATE readings", JOURNAL_ERROR);
	expect_in(m, "readings are append-only");
	free(m);
	journal_close(r);
	journal_close(w);
	journal_close(owner);
	free(as_audit);
	free(as_alice);
	free(as_owner);
	free(db);
	roles_clean();
	err_release(&err);
}

/* ---------- the groups ---------- */

static int pg_setup(void **state)
{
	(void)state;
	struct sitrep_error err = SITREP_ERROR_INIT;
	PG = 1;
	pg_admin = journal_open(pg_base, JOURNAL_CREATE, &err);
	if (!pg_admin) {
		fprintf(stderr, "SITREP_TEST_PG='%s': %s\n", pg_base, err.msg);
		err_release(&err);
		return -1;
	}
	return 0;
}

static int pg_teardown(void **state)
{
	(void)state;
	char sql[128];
	for (int i = 0; i < pg_schemas; i++) {
		snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS sitrep_t%ld_%d CASCADE", (long)getpid(),
			 i);
		exec_ok(pg_admin, sql);
	}
	journal_close(pg_admin);
	pg_admin = NULL;
	PG = 0;
	return 0;
}

int main(void)
{
	/* Every test, on SQLite. */
	const struct CMUnitTest sqlite_tests[] = {
		cmocka_unit_test(test_memory_roundtrip),
		cmocka_unit_test(test_incident_list),
		cmocka_unit_test(test_append_rules),
		cmocka_unit_test(test_clock_backwards),
		cmocka_unit_test(test_readings),
		cmocka_unit_test(test_metric_latest),
		cmocka_unit_test(test_readings_parsers),
		cmocka_unit_test(test_verify_readings),
		cmocka_unit_test(test_plan_bytes),
		cmocka_unit_test(test_cursor_order),
		cmocka_unit_test(test_keyset_paging),
		cmocka_unit_test(test_cursor_filters),
		cmocka_unit_test(test_cursor_nesting),
		cmocka_unit_test(test_many_pages),
		cmocka_unit_test(test_read_ahead_fails),
		cmocka_unit_test(test_hash_independent),
		cmocka_unit_test(test_verify_edit),
		cmocka_unit_test(test_verify_delete),
		cmocka_unit_test(test_verify_insert),
		cmocka_unit_test(test_verify_reorder),
		cmocka_unit_test(test_verify_corrects),
		cmocka_unit_test(test_verify_anchor_fn),
		cmocka_unit_test(test_verify_incident_row),
		cmocka_unit_test(test_shell_example),
		cmocka_unit_test(test_migration_v1),
		cmocka_unit_test(test_migration_v2),
		cmocka_unit_test(test_not_a_journal),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_damaged_file),
		cmocka_unit_test(test_file_types),
		cmocka_unit_test(test_owner_and_mode),
		cmocka_unit_test(test_group_shared_member),
		cmocka_unit_test(test_file_roundtrip_and_mode),
		cmocka_unit_test(test_mode_group_shared),
		cmocka_unit_test(test_gone),
		cmocka_unit_test(test_snapshots),
		cmocka_unit_test(test_snapshots_dropped),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_read_only_user),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_lock_incident),
		cmocka_unit_test(test_changed),
		cmocka_unit_test(test_concurrent_writers),
	};
	/* On PostgreSQL: every test that means something there (not the
	 * file's: modes, owners, a deleted file, SQLite's upgrades, its shell
	 * example), and PostgreSQL's own. */
	const struct CMUnitTest pg_tests[] = {
		cmocka_unit_test(test_memory_roundtrip),
		cmocka_unit_test(test_incident_list),
		cmocka_unit_test(test_append_rules),
		cmocka_unit_test(test_clock_backwards),
		cmocka_unit_test(test_readings),
		cmocka_unit_test(test_metric_latest),
		cmocka_unit_test(test_readings_parsers),
		cmocka_unit_test(test_verify_readings),
		cmocka_unit_test(test_plan_bytes),
		cmocka_unit_test(test_cursor_order),
		cmocka_unit_test(test_keyset_paging),
		cmocka_unit_test(test_cursor_filters),
		cmocka_unit_test(test_cursor_nesting),
		cmocka_unit_test(test_many_pages),
		cmocka_unit_test(test_hash_independent),
		cmocka_unit_test(test_verify_edit),
		cmocka_unit_test(test_verify_delete),
		cmocka_unit_test(test_verify_insert),
		cmocka_unit_test(test_verify_reorder),
		cmocka_unit_test(test_verify_corrects),
		cmocka_unit_test(test_verify_anchor_fn),
		cmocka_unit_test(test_verify_incident_row),
		cmocka_unit_test(test_snapshots),
		cmocka_unit_test(test_snapshots_dropped),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_lock_incident),
		cmocka_unit_test(test_changed),
		cmocka_unit_test(test_concurrent_writers),
		cmocka_unit_test(test_pg_where),
		cmocka_unit_test(test_pg_schema),
		cmocka_unit_test(test_pg_read_only),
		cmocka_unit_test(test_pg_busy),
		cmocka_unit_test(test_pg_lock_wait),
		cmocka_unit_test(test_pg_killed),
		cmocka_unit_test(test_pg_batch),
		cmocka_unit_test(test_pg_replaced),
		cmocka_unit_test(test_pg_clock),
		cmocka_unit_test(test_pg_by_hand),
		cmocka_unit_test(test_pg_roles),
	};
	int failed = cmocka_run_group_tests_name("journal on SQLite", sqlite_tests, NULL, NULL);
	pg_base = getenv("SITREP_TEST_PG");
	if (!pg_base || !pg_base[0]) {
		printf("SKIP journal on PostgreSQL: SITREP_TEST_PG is not set (tests/pg.sh start"
		       " makes a throw-away server and prints its URL)\n");
		return failed;
	}
	if (!journal_is_url(pg_base)) {
		printf("journal on PostgreSQL: SITREP_TEST_PG='%s' is not a postgresql:// URL\n",
		       pg_base);
		return 1;
	}
	return failed + cmocka_run_group_tests_name("journal on PostgreSQL", pg_tests, pg_setup,
						    pg_teardown);
}
