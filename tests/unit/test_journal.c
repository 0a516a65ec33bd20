/* Units for journal.c: append/read/replay, ordering, the hash chain and its
 * tampering cases, migration, checkpoints, read-only, locking, modes.
 * Tampering goes through journal_exec_unchecked: <sqlite3.h> stays in
 * journal.c. Run from the top of the tree (the shell example is read from
 * docs/journal-format.md). */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
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
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

static struct journal *open_ok(const char *path, int flags)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = journal_open(path, flags, &err);
	if (!j)
		fail_msg("journal_open: %s", err.msg);
	err_release(&err);
	return j;
}

/* journal_open must fail; returns the message (caller frees). */
static char *open_fails(const char *path, int flags)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = journal_open(path, flags, &err);
	if (j) {
		journal_close(j);
		fail_msg("journal_open of '%s' succeeded", path);
	}
	assert_int_equal(err.code, SITREP_EXIT_STORAGE);
	assert_non_null(err.msg);
	char *m = err.msg;
	err.msg = NULL;
	err_release(&err);
	return m;
}

static int64_t new_incident(struct journal *j, const char *title)
{
	int64_t id = 0;
	assert_int_equal(journal_begin(j), JOURNAL_OK);
	assert_int_equal(journal_incident_create(j, title, "test", PLAN_YAML, strlen(PLAN_YAML),
						 NULL, 0, T0, &id), JOURNAL_OK);
	assert_int_equal(journal_commit(j), JOURNAL_OK);
	assert_true(id > 0);
	return id;
}

static int64_t append(struct journal *j, int64_t inc, int64_t rec, int64_t occ, const char *kind,
		      const char *payload, int64_t corrects)
{
	struct journal_entry e = {
		.incident = inc, .recorded_at = rec, .occurred_at = occ, .actor = "alice",
		.role = "commander", .kind = (char *)kind, .payload = (char *)payload,
		.corrects = corrects,
	};
	assert_int_equal(journal_begin(j), JOURNAL_OK);
	int rc = journal_append(j, &e);
	if (rc != JOURNAL_OK)
		fail_msg("journal_append: %s", journal_errmsg(j));
	assert_int_equal(journal_commit(j), JOURNAL_OK);
	assert_true(e.id > 0);
	return e.id;
}

static char *query(struct journal *j, const char *sql)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	if (journal_query_text(j, sql, &sb) != JOURNAL_OK)
		fail_msg("query '%s': %s", sql, journal_errmsg(j));
	return sb_detach(&sb);
}

static void assert_query(struct journal *j, const char *sql, const char *want)
{
	char *got = query(j, sql);
	assert_string_equal(got, want);
	free(got);
}

struct collect {
	int64_t ids[64];
	int64_t occ[64];
	size_t n;
	size_t stop_after;   /* 0: never */
	char payload3[64];
};

static int collect_fn(const struct journal_entry *e, void *ctx)
{
	struct collect *c = ctx;
	assert_true(c->n < 64);
	c->ids[c->n] = e->id;
	c->occ[c->n] = e->occurred_at;
	c->n++;
	if (c->n == 3)
		snprintf(c->payload3, sizeof c->payload3, "%s", e->payload);
	return c->stop_after && c->n >= c->stop_after;
}

static int verify(struct journal *j, int64_t inc, const char *head, int64_t *bad, char **msg)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	int rc = journal_verify(j, inc, head, bad, &sb);
	*msg = sb_detach(&sb);
	return rc;
}

/* A journal with one incident and five entries 1..5 at T0+10..T0+50. */
static struct journal *five(int64_t *inc)
{
	struct journal *j = open_ok(":memory:", JOURNAL_CREATE);
	*inc = new_incident(j, "five");
	for (int i = 1; i <= 5; i++) {
		char p[32];
		snprintf(p, sizeof p, "{\"n\":%d}", i);
		assert_int_equal(append(j, *inc, T0 + 10 * i, T0 + 10 * i, "log", p, 0), i);
	}
	int64_t bad = -1;
	char *msg;
	assert_int_equal(verify(j, *inc, NULL, &bad, &msg), JOURNAL_OK);
	free(msg);
	return j;
}

static void expect_corrupt(struct journal *j, int64_t inc, const char *head, int64_t want_bad,
			   const char *want_in_msg)
{
	int64_t bad = -1;
	char *msg;
	int rc = verify(j, inc, head, &bad, &msg);
	if (rc != JOURNAL_CORRUPT)
		fail_msg("verify gave %d (%s), expected JOURNAL_CORRUPT", rc, msg);
	assert_int_equal(bad, want_bad);
	if (!strstr(msg, want_in_msg))
		fail_msg("verify message '%s' lacks '%s'", msg, want_in_msg);
	free(msg);
	/* verify of all incidents finds it too (without a head). */
	if (!head) {
		bad = -1;
		assert_int_equal(verify(j, 0, NULL, &bad, &msg), JOURNAL_CORRUPT);
		assert_int_equal(bad, want_bad);
		free(msg);
	}
}

#define DROP_GUARDS "DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete;" \
		    " DROP TRIGGER incidents_no_update; DROP TRIGGER incidents_no_delete;"

/* ---------- append, read, replay ---------- */

static void test_memory_roundtrip(void **state)
{
	(void)state;
	struct journal *j = open_ok(":memory:", JOURNAL_CREATE);
	assert_int_equal(journal_schema_version(), 2);
	assert_query(j, "PRAGMA user_version", "2");
	assert_query(j, "PRAGMA foreign_keys", "1");
	assert_false(journal_readonly(j));

	int64_t a = new_incident(j, "热线中断 hotline down");
	int64_t b = new_incident(j, "second");
	assert_int_not_equal(a, b);

	struct journal_incident inc;
	assert_int_equal(journal_incident_get(j, a, 1, &inc), JOURNAL_OK);
	assert_string_equal(inc.title, "热线中断 hotline down");
	assert_string_equal(inc.plan_id, "test");
	assert_string_equal(inc.plan_yaml, PLAN_YAML);
	char ph[65];
	sha256_hex(PLAN_YAML, strlen(PLAN_YAML), ph);
	assert_string_equal(inc.plan_hash, ph);
	assert_int_equal(inc.drill, 0);
	assert_int_equal(inc.created_at, T0);
	journal_incident_release(&inc);
	assert_int_equal(journal_incident_get(j, a, 0, &inc), JOURNAL_OK);
	assert_null(inc.plan_yaml);
	journal_incident_release(&inc);
	assert_int_equal(journal_incident_get(j, 999, 0, &inc), JOURNAL_NOTFOUND);

	int64_t *ids;
	size_t n;
	assert_int_equal(journal_incident_ids(j, &ids, &n), JOURNAL_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], b); /* newest first (same created_at: higher id) */
	assert_int_equal(ids[1], a);
	free(ids);

	/* The head of an empty incident is its genesis hash. */
	int64_t last = -1;
	char head[65], genesis[65];
	assert_int_equal(journal_head(j, a, &last, genesis), JOURNAL_OK);
	assert_int_equal(last, 0);
	assert_int_equal(strlen(genesis), 64);

	struct journal_entry e = {
		.incident = a, .recorded_at = T0 + 60, .occurred_at = T0 + 60, .actor = "李雷",
		.role = "", .kind = "log", .payload = "{\"text\":\"电话排队 \\u0007 ok\"}",
	};
	assert_int_equal(journal_begin(j), JOURNAL_OK);
	assert_true(journal_in_transaction(j));
	assert_int_equal(journal_append(j, &e), JOURNAL_OK);
	assert_int_equal(journal_commit(j), JOURNAL_OK);
	assert_false(journal_in_transaction(j));
	assert_string_equal(e.prev_hash, genesis);
	int64_t e1 = e.id;
	int64_t e2 = append(j, b, T0 + 61, T0 + 61, "log", "{}", 0);
	int64_t e3 = append(j, a, T0 + 70, T0 + 70, "escalate", "{\"to\":\"II\"}", 0);
	int64_t e4 = append(j, a, T0 + 80, T0 + 80, "log", "{\"fix\":1}", e1);
	assert_true(e1 < e2 && e2 < e3 && e3 < e4);

	struct journal_entry got;
	assert_int_equal(journal_entry_get(j, e1, &got), JOURNAL_OK);
	assert_string_equal(got.actor, "李雷");
	assert_string_equal(got.role, "");
	assert_string_equal(got.kind, "log");
	assert_string_equal(got.payload, "{\"text\":\"电话排队 \\u0007 ok\"}");
	assert_string_equal(got.hash, e.hash);
	assert_int_equal(got.corrects, 0);
	journal_entry_release(&got);
	assert_int_equal(journal_entry_get(j, e4, &got), JOURNAL_OK);
	assert_int_equal(got.corrects, e1);
	journal_entry_release(&got);
	assert_int_equal(journal_entry_get(j, 9999, &got), JOURNAL_NOTFOUND);

	/* Replay: incident a only, in order; b's entry is not in a's chain. */
	struct collect c = {0};
	assert_int_equal(journal_each(j, a, INT64_MIN, 0, INT64_MAX, collect_fn, &c), JOURNAL_OK);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.ids[0], e1);
	assert_int_equal(c.ids[1], e3);
	assert_int_equal(c.ids[2], e4);
	assert_string_equal(c.payload3, "{\"fix\":1}");

	assert_int_equal(journal_head(j, a, &last, head), JOURNAL_OK);
	assert_int_equal(last, e4);
	assert_int_equal(journal_entry_get(j, e4, &got), JOURNAL_OK);
	assert_string_equal(head, got.hash);
	journal_entry_release(&got);

	int64_t bad = -1;
	char *msg;
	assert_int_equal(verify(j, a, head, &bad, &msg), JOURNAL_OK);
	free(msg);
	assert_int_equal(verify(j, 0, NULL, &bad, &msg), JOURNAL_OK);
	free(msg);
	journal_close(j);
}

static void test_append_rules(void **state)
{
	(void)state;
	struct journal *j = open_ok(":memory:", JOURNAL_CREATE);
	int64_t a = new_incident(j, "a");
	int64_t b = new_incident(j, "b");
	int64_t eb = append(j, b, T0, T0, "log", "{}", 0);
	struct journal_entry e = {
		.incident = a, .recorded_at = T0, .occurred_at = T0, .actor = "alice",
		.kind = "log", .payload = "{}",
	};
	/* Outside a transaction: refused, nothing written. */
	assert_int_equal(journal_append(j, &e), JOURNAL_ERROR);
	assert_non_null(strstr(journal_errmsg(j), "outside a transaction"));
	int64_t id = 0;
	assert_int_equal(journal_incident_create(j, "x", "p", "y", 1, NULL, 0, T0, &id), JOURNAL_ERROR);

	assert_int_equal(journal_begin(j), JOURNAL_OK);
	assert_int_equal(journal_begin(j), JOURNAL_ERROR); /* no nesting */
	e.incident = 999;
	assert_int_equal(journal_append(j, &e), JOURNAL_NOTFOUND);
	e.incident = a;
	e.payload = "{not json";
	assert_int_equal(journal_append(j, &e), JOURNAL_ERROR);
	assert_non_null(strstr(journal_errmsg(j), "JSON"));
	e.payload = "{}";
	e.occurred_at = T0 + 1; /* later than recorded */
	assert_int_equal(journal_append(j, &e), JOURNAL_ERROR);
	e.occurred_at = T0;
	e.corrects = eb; /* an entry of another incident */
	assert_int_equal(journal_append(j, &e), JOURNAL_NOTFOUND);
	e.corrects = 0;
	e.actor = "";
	assert_int_equal(journal_append(j, &e), JOURNAL_ERROR);
	e.actor = "alice";
	assert_int_equal(journal_append(j, &e), JOURNAL_OK);
	assert_int_equal(journal_rollback(j), JOURNAL_OK);

	/* The rolled-back entry is gone and the chain is whole. */
	int64_t last = -1;
	char head[65];
	assert_int_equal(journal_head(j, a, &last, head), JOURNAL_OK);
	assert_int_equal(last, 0);
	int64_t e1 = append(j, a, T0, T0, "log", "{}", 0);
	assert_int_equal(e1, eb + 1);
	assert_int_equal(journal_commit(j), JOURNAL_ERROR); /* nothing open */

	/* The append-only guard refuses edits made by mistake. */
	assert_int_equal(journal_exec_unchecked(j, "UPDATE entries SET kind = 'x'"), JOURNAL_ERROR);
	assert_non_null(strstr(journal_errmsg(j), "append-only"));
	assert_int_equal(journal_exec_unchecked(j, "DELETE FROM entries"), JOURNAL_ERROR);
	assert_int_equal(journal_exec_unchecked(j, "UPDATE incidents SET title = 'x'"), JOURNAL_ERROR);
	int64_t bad;
	char *msg;
	assert_int_equal(verify(j, 0, NULL, &bad, &msg), JOURNAL_OK);
	free(msg);
	journal_close(j);
}

static void test_file_roundtrip_and_mode(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	char *m = open_fails(t.db, 0); /* no JOURNAL_CREATE: not created */
	assert_non_null(strstr(m, "unable to open database '"));
	assert_non_null(strstr(m, "no such file"));
	free(m);

	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	assert_query(j, "PRAGMA journal_mode", "wal");
	assert_query(j, "PRAGMA synchronous", "2"); /* FULL */
	assert_query(j, "PRAGMA foreign_keys", "1");
	assert_query(j, "PRAGMA busy_timeout", "5000");
	assert_string_equal(journal_path(j), t.db);
	int64_t a = new_incident(j, "file");
	for (int i = 0; i < 10; i++)
		append(j, a, T0 + i, T0 + i, "metric", "{\"queue_min\":3.5}", 0);
	char head[65];
	assert_int_equal(journal_head(j, a, NULL, head), JOURNAL_OK);

	struct stat st;
	assert_int_equal(stat(t.db, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	char wal[160];
	snprintf(wal, sizeof wal, "%s-wal", t.db);
	assert_int_equal(stat(wal, &st), 0); /* WAL files get the database's mode */
	assert_int_equal(st.st_mode & 07777, 0600);
	journal_close(j);

	/* Reopen (without JOURNAL_CREATE): everything is there. */
	j = open_ok(t.db, 0);
	struct collect c = {0};
	assert_int_equal(journal_each(j, a, INT64_MIN, 0, INT64_MAX, collect_fn, &c), JOURNAL_OK);
	assert_int_equal(c.n, 10);
	int64_t bad;
	char *msg;
	assert_int_equal(verify(j, a, head, &bad, &msg), JOURNAL_OK);
	free(msg);
	journal_close(j);
	tmp_remove(&t);
}

static void test_mode_group_shared(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	assert_int_equal(chmod(t.dir, 02770), 0); /* setgid folder */
	mode_t old = umask(077);                 /* the mode does not depend on umask */
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	umask(old);
	struct stat st;
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
}

/* ---------- ordering with backfilled entries ---------- */

static void test_backfill_order(void **state)
{
	(void)state;
	struct journal *j = open_ok(":memory:", JOURNAL_CREATE);
	int64_t a = new_incident(j, "backfill");
	/* Recorded in id order 1..5; occurred: 100, 300, 200 (backfilled), 300, 50. */
	int64_t e1 = append(j, a, T0 + 100, T0 + 100, "log", "{}", 0);
	int64_t e2 = append(j, a, T0 + 300, T0 + 300, "log", "{}", 0);
	int64_t e3 = append(j, a, T0 + 400, T0 + 200, "log", "{}", 0);
	int64_t e4 = append(j, a, T0 + 400, T0 + 300, "log", "{}", 0);
	int64_t e5 = append(j, a, T0 + 500, T0 + 50, "log", "{}", 0);

	struct collect c = {0};
	assert_int_equal(journal_each(j, a, INT64_MIN, 0, INT64_MAX, collect_fn, &c), JOURNAL_OK);
	int64_t want[] = { e5, e1, e3, e2, e4 };
	assert_int_equal(c.n, 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(c.ids[i], want[i]);

	/* upto: occurred_at <= T0+200. */
	memset(&c, 0, sizeof c);
	assert_int_equal(journal_each(j, a, INT64_MIN, 0, T0 + 200, collect_fn, &c), JOURNAL_OK);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.ids[2], e3);

	/* after (T0+300, e2): e4 only; after (T0+300, e4): nothing. */
	memset(&c, 0, sizeof c);
	assert_int_equal(journal_each(j, a, T0 + 300, e2, INT64_MAX, collect_fn, &c), JOURNAL_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.ids[0], e4);
	memset(&c, 0, sizeof c);
	assert_int_equal(journal_each(j, a, T0 + 300, e4, INT64_MAX, collect_fn, &c), JOURNAL_OK);
	assert_int_equal(c.n, 0);

	/* fn returning non-zero stops the walk. */
	memset(&c, 0, sizeof c);
	c.stop_after = 2;
	assert_int_equal(journal_each(j, a, INT64_MIN, 0, INT64_MAX, collect_fn, &c), JOURNAL_OK);
	assert_int_equal(c.n, 2);

	/* Has a checkpoint at e2 been overtaken by a backfilled entry? */
	int64_t m = 0;
	assert_int_equal(journal_min_occurred_since(j, a, e2, &m), JOURNAL_OK);
	assert_int_equal(m, T0 + 50);
	assert_int_equal(journal_min_occurred_since(j, a, e3, &m), JOURNAL_OK);
	assert_int_equal(m, T0 + 50);
	assert_int_equal(journal_min_occurred_since(j, a, e5, &m), JOURNAL_OK);
	assert_int_equal(m, INT64_MAX);
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
	for (size_t i = 0; i + 1 < strlen(hex) + 1 && hex[i]; i += 2) {
		unsigned int v;
		assert_int_equal(sscanf(hex + i, "%2x", &v), 1);
		sb_addc(sb, (char)v);
	}
}

/* Recompute a genesis and an entry hash from docs/journal-format.md by hand. */
static void test_hash_independent(void **state)
{
	(void)state;
	struct journal *j = open_ok(":memory:", JOURNAL_CREATE);
	int64_t id = 0;
	assert_int_equal(journal_begin(j), JOURNAL_OK);
	assert_int_equal(journal_incident_create(j, "停电 drill", "power-outage", PLAN_YAML,
						 strlen(PLAN_YAML), "abc", 1, T0 - 5, &id), JOURNAL_OK);
	assert_int_equal(journal_commit(j), JOURNAL_OK);
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	put_text(&sb, "sitrep-incident-v1");
	put_be(&sb, id);
	put_text(&sb, "停电 drill");
	put_text(&sb, "power-outage");
	put_text(&sb, "abc");
	put_be(&sb, 1);
	put_be(&sb, T0 - 5);
	char genesis[65], head[65];
	sha256_hex(sb.buf, sb.len, genesis);
	assert_int_equal(journal_head(j, id, NULL, head), JOURNAL_OK);
	assert_string_equal(head, genesis);

	int64_t first = append(j, id, T0, T0 - 1, "log", "{\"t\":\"é\"}", 0);
	int64_t e = append(j, id, T0 + 7, T0 + 3, "note", "{\"x\":[1,2]}", first);
	struct journal_entry got1, got;
	assert_int_equal(journal_entry_get(j, first, &got1), JOURNAL_OK);
	assert_int_equal(journal_entry_get(j, e, &got), JOURNAL_OK);
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
	journal_entry_release(&got1);
	journal_entry_release(&got);
	sb_release(&sb);
	journal_close(j);
}

static void test_verify_edit(void **state)
{
	(void)state;
	int64_t a;
	struct journal *j = five(&a);
	assert_int_equal(journal_exec_unchecked(j, DROP_GUARDS
		"UPDATE entries SET payload = '{\"n\":33}' WHERE id = 3"), JOURNAL_OK);
	expect_corrupt(j, a, NULL, 3, "entry 3 does not match its hash");
	journal_close(j);

	/* An edited time (the order derived from it) is an edit too. */
	j = five(&a);
	assert_int_equal(journal_exec_unchecked(j, DROP_GUARDS
		"UPDATE entries SET occurred_at = occurred_at - 100 WHERE id = 4"), JOURNAL_OK);
	expect_corrupt(j, a, NULL, 4, "entry 4");
	journal_close(j);
}

static void test_verify_delete(void **state)
{
	(void)state;
	int64_t a;
	struct journal *j = five(&a);
	assert_int_equal(journal_exec_unchecked(j, DROP_GUARDS
		"DELETE FROM entries WHERE id = 3"), JOURNAL_OK);
	expect_corrupt(j, a, NULL, 4, "entry 4 does not follow");
	journal_close(j);

	j = five(&a); /* the first one: the second no longer follows the genesis */
	assert_int_equal(journal_exec_unchecked(j, DROP_GUARDS
		"DELETE FROM entries WHERE id = 1"), JOURNAL_OK);
	expect_corrupt(j, a, NULL, 2, "genesis");
	journal_close(j);
}

static void test_verify_insert(void **state)
{
	(void)state;
	int64_t a;
	struct journal *j = five(&a);
	/* A well-formed entry forked from entry 2, correctly hashed. */
	struct journal_entry e2;
	assert_int_equal(journal_entry_get(j, 2, &e2), JOURNAL_OK);
	struct journal_entry x = {
		.id = 100, .incident = a, .recorded_at = T0 + 25, .occurred_at = T0 + 25,
		.actor = "mallory", .role = "", .kind = "log", .payload = "{}",
	};
	char h[65];
	assert_int_equal(journal_entry_hash(e2.hash, &x, h), 0);
	char sql[512];
	snprintf(sql, sizeof sql, "INSERT INTO entries VALUES (100, %lld, %d, %d, 'mallory', '',"
		 " 'log', '{}', NULL, '%s', '%s')", (long long)a, T0 + 25, T0 + 25, e2.hash, h);
	journal_entry_release(&e2);
	assert_int_equal(journal_exec_unchecked(j, sql), JOURNAL_OK);
	expect_corrupt(j, a, NULL, 100, "entry 100 does not follow");
	journal_close(j);

	/* A naive insertion with a copied hash. */
	j = five(&a);
	snprintf(sql, sizeof sql, "INSERT INTO entries SELECT 50, incident, recorded_at, occurred_at,"
		 " 'mallory', role, kind, payload, corrects, hash, hash FROM entries WHERE id = 5");
	assert_int_equal(journal_exec_unchecked(j, sql), JOURNAL_OK);
	expect_corrupt(j, a, NULL, 50, "entry 50 does not match its hash");
	journal_close(j);
}

static void test_verify_reorder(void **state)
{
	(void)state;
	int64_t a;
	struct journal *j = five(&a);
	/* Swap entries 2 and 3 (ids exchanged, rows otherwise intact). */
	assert_int_equal(journal_exec_unchecked(j, DROP_GUARDS
		"UPDATE entries SET id = -2 WHERE id = 2;"
		"UPDATE entries SET id = 2 WHERE id = 3;"
		"UPDATE entries SET id = 3 WHERE id = -2;"), JOURNAL_OK);
	expect_corrupt(j, a, NULL, 2, "entry 2");
	journal_close(j);
}

static void test_verify_head_and_tail(void **state)
{
	(void)state;
	int64_t a;
	struct journal *j = five(&a);
	char head[65], older[65];
	struct journal_entry e3;
	int64_t bad = -1;
	char *msg;
	assert_int_equal(journal_head(j, a, NULL, head), JOURNAL_OK);
	/* A head kept earlier (entry 3's, say from a report printed then) still
	 * anchors the chain after more entries were appended. */
	memset(&e3, 0, sizeof(e3));
	assert_int_equal(journal_entry_get(j, 3, &e3), JOURNAL_OK);
	memcpy(older, e3.hash, sizeof(older));
	journal_entry_release(&e3);
	assert_int_equal(verify(j, a, older, &bad, &msg), JOURNAL_OK);
	free(msg);
	assert_int_equal(journal_exec_unchecked(j, DROP_GUARDS
		"DELETE FROM entries WHERE id = 5"), JOURNAL_OK);
	/* A cut tail leaves a valid chain: only a kept head shows it. */
	assert_int_equal(verify(j, a, NULL, &bad, &msg), JOURNAL_OK);
	free(msg);
	expect_corrupt(j, a, head, 4, "is not in the chain");
	assert_int_equal(verify(j, a, older, &bad, &msg), JOURNAL_OK); /* not cut that far */
	free(msg);
	char bogus[65];
	memset(bogus, 'a', 64);
	bogus[64] = '\0';
	expect_corrupt(j, a, bogus, 4, bogus);
	/* A head for "all incidents" is a usage mistake, not corruption. */
	assert_int_equal(verify(j, 0, head, &bad, &msg), JOURNAL_ERROR);
	free(msg);
	journal_close(j);
}

static void test_verify_incident_row(void **state)
{
	(void)state;
	int64_t a;
	struct journal *j = five(&a);
	assert_int_equal(journal_exec_unchecked(j, DROP_GUARDS
		"UPDATE incidents SET drill = 1"), JOURNAL_OK);
	expect_corrupt(j, a, NULL, 0, "genesis hash");
	journal_close(j);

	j = five(&a);
	assert_int_equal(journal_exec_unchecked(j, DROP_GUARDS
		"UPDATE incidents SET plan_yaml = plan_yaml || 'x: 1\n'"), JOURNAL_OK);
	expect_corrupt(j, a, NULL, 0, "plan text");
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
	int64_t a = new_incident(j, "shell 验证 'quoted'");
	int64_t b = new_incident(j, "other");
	int64_t e1 = append(j, a, T0, T0, "log", "{\"text\":\"你好\"}", 0);
	append(j, b, T0 + 1, T0 + 1, "log", "{}", 0);
	append(j, a, T0 + 9, T0 + 2, "escalate", "{\"to\":\"II\",\"reason\":\"x\"}", 0);
	append(j, a, T0 + 10, T0 + 10, "log", "{\"fix\":true}", e1);
	assert_int_equal(run_script(&t, script, a), 0);
	assert_int_equal(run_script(&t, script, b), 0);

	assert_int_equal(journal_exec_unchecked(j, DROP_GUARDS
		"UPDATE entries SET payload = '{\"text\":\"再见\"}' WHERE id = 1"), JOURNAL_OK);
	assert_int_not_equal(run_script(&t, script, a), 0);
	assert_int_equal(run_script(&t, script, b), 0);
	journal_close(j);
	free(script);
	tmp_remove(&t);
}

/* ---------- migration and foreign files ---------- */

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

static void test_migration_v1(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	/* Turn the fresh file into a version-1 journal, written by hand as a
	 * version-1 sitrep would have: genesis computed, never stored. */
	assert_int_equal(journal_exec_unchecked(j,
		"DROP TABLE checkpoints; DROP TABLE entries; DROP TABLE incidents;"
		V1_SCHEMA "PRAGMA user_version = 1;"), JOURNAL_OK);
	char ph[65];
	sha256_hex(PLAN_YAML, strlen(PLAN_YAML), ph);
	struct journal_incident inc = { .id = 1, .title = "旧 old", .plan_id = "test",
					.plan_hash = ph, .drill = 1, .created_at = T0 };
	char genesis[65], h1[65], h2[65], sql[1024];
	journal_genesis_hash(&inc, genesis);
	struct journal_entry e1 = { .id = 1, .incident = 1, .recorded_at = T0 + 5, .occurred_at = T0 + 5,
				    .actor = "bob", .role = "", .kind = "log", .payload = "{\"a\":1}" };
	struct journal_entry e2 = { .id = 2, .incident = 1, .recorded_at = T0 + 9, .occurred_at = T0 + 6,
				    .actor = "bob", .role = "duty", .kind = "log", .payload = "{}",
				    .corrects = 1 };
	assert_int_equal(journal_entry_hash(genesis, &e1, h1), 0);
	assert_int_equal(journal_entry_hash(h1, &e2, h2), 0);
	snprintf(sql, sizeof sql,
		 "INSERT INTO incidents VALUES (1, '旧 old', 'test', '%s', '%s', 1, %d);"
		 "INSERT INTO entries VALUES (1, 1, %d, %d, 'bob', '', 'log', '{\"a\":1}', NULL, '%s', '%s');"
		 "INSERT INTO entries VALUES (2, 1, %d, %d, 'bob', 'duty', 'log', '{}', 1, '%s', '%s');",
		 PLAN_YAML, ph, T0, T0 + 5, T0 + 5, genesis, h1, T0 + 9, T0 + 6, h1, h2);
	assert_int_equal(journal_exec_unchecked(j, sql), JOURNAL_OK);
	journal_close(j);

	/* Read-only cannot upgrade: a clear error. */
	char *m = open_fails(t.db, JOURNAL_READ_ONLY);
	assert_non_null(strstr(m, "schema version 1, older than this sitrep (2)"));
	free(m);

	j = open_ok(t.db, 0);
	assert_query(j, "PRAGMA user_version", "2");
	assert_query(j, "SELECT genesis FROM incidents WHERE id = 1", genesis);
	assert_query(j, "SELECT count(*) FROM sqlite_master WHERE name IN ('checkpoints',"
		     " 'entries_by_time', 'entries_no_update', 'entries_no_delete')", "4");
	int64_t bad = -1;
	char *msg;
	assert_int_equal(verify(j, 1, h2, &bad, &msg), JOURNAL_OK);
	free(msg);
	struct journal_entry got;
	assert_int_equal(journal_entry_get(j, 2, &got), JOURNAL_OK);
	assert_int_equal(got.corrects, 1);
	assert_string_equal(got.role, "duty");
	journal_entry_release(&got);
	/* The chain goes on from the old head; the guards are in place. */
	int64_t e3 = append(j, 1, T0 + 20, T0 + 20, "log", "{}", 0);
	assert_int_equal(journal_entry_get(j, e3, &got), JOURNAL_OK);
	assert_string_equal(got.prev_hash, h2);
	journal_entry_release(&got);
	assert_int_equal(verify(j, 0, NULL, &bad, &msg), JOURNAL_OK);
	free(msg);
	assert_int_equal(journal_exec_unchecked(j, "UPDATE entries SET kind = 'x'"), JOURNAL_ERROR);
	struct journal_checkpoint cp = { .max_id = e3, .pos_occ = T0 + 20, .pos_id = e3,
					 .blob = "state", .len = 5 };
	assert_int_equal(journal_checkpoint_put(j, 1, &cp), JOURNAL_OK);

	/* A schema from the future is refused, naming both versions. */
	assert_int_equal(journal_exec_unchecked(j, "PRAGMA user_version = 3"), JOURNAL_OK);
	journal_close(j);
	m = open_fails(t.db, 0);
	char want[256];
	snprintf(want, sizeof want, "database '%s' has schema version 3, newer than this sitrep (2)",
		 t.db);
	assert_string_equal(m, want);
	free(m);
	tmp_remove(&t);
}

static void test_not_a_journal(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	FILE *f = fopen(t.db, "w");
	assert_non_null(f);
	fputs("id: not a database, a YAML plan\n", f);
	assert_int_equal(fclose(f), 0);
	char *m = open_fails(t.db, JOURNAL_CREATE);
	char want[256];
	snprintf(want, sizeof want, "database '%s' is not a sitrep journal", t.db);
	assert_string_equal(m, want);
	free(m);
	m = open_fails(t.db, JOURNAL_READ_ONLY);
	assert_string_equal(m, want);
	free(m);
	assert_int_equal(unlink(t.db), 0);

	/* Another program's SQLite database. */
	struct journal *j = open_ok(t.db, JOURNAL_CREATE);
	assert_int_equal(journal_exec_unchecked(j, "PRAGMA application_id = 42;"
						"CREATE TABLE other (x)"), JOURNAL_OK);
	journal_close(j);
	m = open_fails(t.db, 0);
	assert_string_equal(m, want);
	free(m);

	m = open_fails(t.dir, JOURNAL_CREATE);
	assert_non_null(strstr(m, "is a folder"));
	free(m);
	tmp_remove(&t);
}

/* ---------- checkpoints ---------- */

static void test_checkpoints(void **state)
{
	(void)state;
	struct journal *j = open_ok(":memory:", JOURNAL_CREATE);
	int64_t a = new_incident(j, "cp");
	int64_t e1 = append(j, a, T0, T0, "log", "{}", 0);
	struct journal_checkpoint cp;
	assert_int_equal(journal_checkpoint_get(j, a, &cp), JOURNAL_NOTFOUND);

	unsigned char blob[300];
	for (size_t i = 0; i < sizeof blob; i++)
		blob[i] = (unsigned char)(i * 7); /* NUL bytes included */
	struct journal_checkpoint put = { .max_id = e1, .pos_occ = T0, .pos_id = e1,
					  .blob = blob, .len = sizeof blob };
	assert_int_equal(journal_checkpoint_put(j, a, &put), JOURNAL_OK);
	assert_int_equal(journal_checkpoint_get(j, a, &cp), JOURNAL_OK);
	assert_int_equal(cp.max_id, e1);
	assert_int_equal(cp.pos_occ, T0);
	assert_int_equal(cp.pos_id, e1);
	assert_int_equal(cp.len, sizeof blob);
	assert_memory_equal(cp.blob, blob, sizeof blob);
	journal_checkpoint_release(&cp);

	/* Replaced, inside a transaction too; an empty blob is allowed. */
	int64_t e2 = append(j, a, T0 + 1, T0 + 1, "log", "{}", 0);
	struct journal_checkpoint put2 = { .max_id = e2, .pos_occ = T0 + 1, .pos_id = e2 };
	assert_int_equal(journal_begin(j), JOURNAL_OK);
	assert_int_equal(journal_checkpoint_put(j, a, &put2), JOURNAL_OK);
	assert_int_equal(journal_commit(j), JOURNAL_OK);
	assert_int_equal(journal_checkpoint_get(j, a, &cp), JOURNAL_OK);
	assert_int_equal(cp.max_id, e2);
	assert_int_equal(cp.len, 0);
	journal_checkpoint_release(&cp);
	assert_query(j, "SELECT count(*) FROM checkpoints", "1");

	/* Not part of the chain: the chain still verifies. */
	int64_t bad;
	char *msg;
	assert_int_equal(verify(j, a, NULL, &bad, &msg), JOURNAL_OK);
	free(msg);
	/* No checkpoint for an incident that does not exist. */
	assert_int_equal(journal_checkpoint_put(j, 999, &put), JOURNAL_ERROR);
	journal_close(j);
}

/* ---------- read-only, locking, change detection ---------- */

static void test_read_only(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	char *m = open_fails(t.db, JOURNAL_READ_ONLY | JOURNAL_CREATE);
	assert_non_null(strstr(m, "no such file"));
	free(m);

	struct journal *w = open_ok(t.db, JOURNAL_CREATE);
	int64_t a = new_incident(w, "ro");
	append(w, a, T0, T0, "log", "{}", 0);

	/* Read-only next to a live writer (WAL files present)... */
	struct journal *r = open_ok(t.db, JOURNAL_READ_ONLY);
	assert_true(journal_readonly(r));
	struct collect c = {0};
	assert_int_equal(journal_each(r, a, INT64_MIN, 0, INT64_MAX, collect_fn, &c), JOURNAL_OK);
	assert_int_equal(c.n, 1);
	append(w, a, T0 + 1, T0 + 1, "log", "{}", 0);
	memset(&c, 0, sizeof c);
	assert_int_equal(journal_each(r, a, INT64_MIN, 0, INT64_MAX, collect_fn, &c), JOURNAL_OK);
	assert_int_equal(c.n, 2); /* sees the writer's commit */
	journal_close(r);
	journal_close(w);

	/* ...and alone, after the writer closed. */
	r = open_ok(t.db, JOURNAL_READ_ONLY);
	memset(&c, 0, sizeof c);
	assert_int_equal(journal_each(r, a, INT64_MIN, 0, INT64_MAX, collect_fn, &c), JOURNAL_OK);
	assert_int_equal(c.n, 2);
	int64_t bad;
	char *msg;
	assert_int_equal(verify(r, 0, NULL, &bad, &msg), JOURNAL_OK);
	free(msg);
	struct journal_checkpoint cp;
	assert_int_equal(journal_checkpoint_get(r, a, &cp), JOURNAL_NOTFOUND);
	char want[256];
	snprintf(want, sizeof want, "database '%s' is read-only: opened read-only", t.db);
	assert_int_equal(journal_begin(r), JOURNAL_READONLY);
	assert_string_equal(journal_errmsg(r), want);
	struct journal_entry e = { .incident = a, .recorded_at = T0, .occurred_at = T0,
				   .actor = "alice", .kind = "log", .payload = "{}" };
	assert_int_equal(journal_append(r, &e), JOURNAL_READONLY);
	assert_string_equal(journal_errmsg(r), want);
	struct journal_checkpoint put = { .max_id = 1 };
	assert_int_equal(journal_checkpoint_put(r, a, &put), JOURNAL_READONLY);
	assert_int_equal(journal_exec_unchecked(r, "CREATE TABLE x (y)"), JOURNAL_READONLY);
	journal_close(r);

	/* A file the user may not write: open read-write falls back to
	 * reading and says why on the first write. Root writes anyway. */
	if (geteuid() != 0) {
		assert_int_equal(chmod(t.db, 0400), 0);
		r = open_ok(t.db, 0);
		assert_true(journal_readonly(r));
		assert_int_equal(journal_begin(r), JOURNAL_READONLY);
		assert_non_null(strstr(journal_errmsg(r), "permission denied"));
		journal_close(r);
		/* A read-only folder: no WAL index can be made (immutable). */
		assert_int_equal(chmod(t.db, 0600), 0);
		char side[160];
		snprintf(side, sizeof side, "%s-wal", t.db);
		unlink(side); /* as after a clean close: the folder has only the file */
		snprintf(side, sizeof side, "%s-shm", t.db);
		unlink(side);
		assert_int_equal(chmod(t.dir, 0500), 0);
		r = open_ok(t.db, 0);
		assert_true(journal_readonly(r));
		memset(&c, 0, sizeof c);
		assert_int_equal(journal_each(r, a, INT64_MIN, 0, INT64_MAX, collect_fn, &c), JOURNAL_OK);
		assert_int_equal(c.n, 2);
		assert_int_equal(journal_begin(r), JOURNAL_READONLY);
		assert_non_null(strstr(journal_errmsg(r), "folder"));
		journal_close(r);
		r = open_ok(t.db, JOURNAL_READ_ONLY);
		memset(&c, 0, sizeof c);
		assert_int_equal(journal_each(r, a, INT64_MIN, 0, INT64_MAX, collect_fn, &c), JOURNAL_OK);
		assert_int_equal(c.n, 2);
		journal_close(r);
		assert_int_equal(chmod(t.dir, 0700), 0);
	}
	tmp_remove(&t);
}

static void test_busy(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	struct journal *a = open_ok(t.db, JOURNAL_CREATE);
	struct journal *b = open_ok(t.db, 0);
	int64_t inc = new_incident(a, "busy");
	assert_int_equal(journal_set_busy_timeout(b, 50), JOURNAL_OK);
	assert_query(b, "PRAGMA busy_timeout", "50");

	assert_int_equal(journal_begin(a), JOURNAL_OK);
	/* b waits up to its timeout, then gives up: the lock is still held. */
	assert_int_equal(journal_begin(b), JOURNAL_BUSY);
	char want[256];
	snprintf(want, sizeof want, "database '%s' is locked by another process", t.db);
	assert_string_equal(journal_errmsg(b), want);
	assert_false(journal_in_transaction(b));
	/* Reads still work meanwhile (WAL). */
	struct collect c = {0};
	assert_int_equal(journal_each(b, inc, INT64_MIN, 0, INT64_MAX, collect_fn, &c), JOURNAL_OK);
	struct journal_checkpoint cp = { .max_id = 0 };
	assert_int_equal(journal_checkpoint_put(b, inc, &cp), JOURNAL_BUSY);

	struct journal_entry e = { .incident = inc, .recorded_at = T0, .occurred_at = T0,
				   .actor = "alice", .kind = "log", .payload = "{}" };
	assert_int_equal(journal_append(a, &e), JOURNAL_OK);
	assert_int_equal(journal_commit(a), JOURNAL_OK);

	/* Once a commits, b gets the lock and chains onto a's entry. */
	assert_int_equal(journal_begin(b), JOURNAL_OK);
	struct journal_entry f = e;
	assert_int_equal(journal_append(b, &f), JOURNAL_OK);
	assert_string_equal(f.prev_hash, e.hash);
	assert_int_equal(journal_commit(b), JOURNAL_OK);
	int64_t bad;
	char *msg;
	assert_int_equal(verify(a, inc, f.hash, &bad, &msg), JOURNAL_OK);
	free(msg);
	journal_close(a);
	journal_close(b);
	tmp_remove(&t);
}

static void test_data_version(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	struct journal *a = open_ok(t.db, JOURNAL_CREATE);
	struct journal *b = open_ok(t.db, 0);
	int64_t inc = new_incident(a, "dv");
	int64_t v1 = 0, v2 = 0, v3 = 0, v4 = 0;
	assert_int_equal(journal_data_version(a, &v1), JOURNAL_OK);
	assert_int_equal(journal_data_version(a, &v2), JOURNAL_OK);
	assert_true(v1 == v2); /* nothing happened */
	append(a, inc, T0, T0, "log", "{}", 0);
	assert_int_equal(journal_data_version(a, &v2), JOURNAL_OK);
	assert_true(v1 == v2); /* a's own commits do not count */
	append(b, inc, T0 + 1, T0 + 1, "log", "{}", 0);
	assert_int_equal(journal_data_version(a, &v3), JOURNAL_OK);
	assert_true(v3 != v2); /* b's commit does */
	assert_int_equal(journal_data_version(a, &v4), JOURNAL_OK);
	assert_true(v3 == v4);
	journal_close(a);
	journal_close(b);
	tmp_remove(&t);
}

/* Four processes open a database that does not exist yet, all at once, and
 * append; nothing is lost, nobody sees a lock error, the chain never forks. */
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
		if (journal_begin(j) != JOURNAL_OK) {
			rc = 11;
			break;
		}
		int64_t last;
		char head[65];
		if (journal_head(j, 1, &last, head) == JOURNAL_NOTFOUND) {
			int64_t id;
			if (journal_incident_create(j, "race", "test", PLAN_YAML, strlen(PLAN_YAML),
						    NULL, 0, T0, &id) != JOURNAL_OK || id != 1)
				rc = 12;
		}
		char p[32];
		snprintf(p, sizeof p, "{\"w\":%d,\"i\":%d}", n, i);
		struct journal_entry e = { .incident = 1, .recorded_at = T0 + i, .occurred_at = T0 + i,
					   .actor = "w", .kind = "metric", .payload = p };
		if (!rc && journal_append(j, &e) != JOURNAL_OK)
			rc = 13;
		if (!rc && journal_commit(j) != JOURNAL_OK)
			rc = 14;
		if (rc) {
			fprintf(stderr, "child %d: %s\n", n, journal_errmsg(j));
			journal_rollback(j);
		}
	}
	journal_close(j);
	return rc;
}

static void test_concurrent_writers(void **state)
{
	(void)state;
	struct tmp t;
	tmp_make(&t);
	pid_t pids[WRITERS];
	for (int n = 0; n < WRITERS; n++) {
		pids[n] = fork();
		assert_true(pids[n] >= 0);
		if (pids[n] == 0)
			_exit(writer_child(t.db, n));
	}
	for (int n = 0; n < WRITERS; n++) {
		int st;
		assert_int_equal(waitpid(pids[n], &st, 0), pids[n]);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	struct journal *j = open_ok(t.db, 0);
	assert_query(j, "SELECT count(*) FROM incidents", "1");
	char want[16];
	snprintf(want, sizeof want, "%d", WRITERS * PER_WRITER);
	assert_query(j, "SELECT count(*) FROM entries WHERE incident = 1", want);
	assert_query(j, "SELECT count(DISTINCT prev_hash) FROM entries", want); /* no fork */
	int64_t bad;
	char *msg;
	assert_int_equal(verify(j, 0, NULL, &bad, &msg), JOURNAL_OK);
	free(msg);
	journal_close(j);
	tmp_remove(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_roundtrip),
		cmocka_unit_test(test_append_rules),
		cmocka_unit_test(test_file_roundtrip_and_mode),
		cmocka_unit_test(test_mode_group_shared),
		cmocka_unit_test(test_backfill_order),
		cmocka_unit_test(test_hash_independent),
		cmocka_unit_test(test_verify_edit),
		cmocka_unit_test(test_verify_delete),
		cmocka_unit_test(test_verify_insert),
		cmocka_unit_test(test_verify_reorder),
		cmocka_unit_test(test_verify_head_and_tail),
		cmocka_unit_test(test_verify_incident_row),
		cmocka_unit_test(test_shell_example),
		cmocka_unit_test(test_migration_v1),
		cmocka_unit_test(test_not_a_journal),
		cmocka_unit_test(test_checkpoints),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_data_version),
		cmocka_unit_test(test_concurrent_writers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
