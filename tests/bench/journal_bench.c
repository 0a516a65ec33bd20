/* journal_bench: the journal against plain SQLite on the same schema.
 *
 *   journal_bench [N] [FOLDER]      N entries (default 1000000), in FOLDER
 *                                   (default $TMPDIR or /tmp)
 *
 *  1. append: N entries of one reading each through journal_append, in one
 *     transaction (a CSV import), against the same rows (ids, hashes and
 *     all, read back from the first journal beforehand) put into a fresh
 *     journal of the same schema with plain prepared INSERTs through
 *     sqlite3 directly, also in one transaction;
 *  2. walk: a cursor over the incident in position order with its readings
 *     (replay: JF_READINGS, no payload), against
 *     SELECT * FROM entries WHERE incident = ? stepped to the end;
 *  3. verify: journal_verify of the incident (quick_check, the chain, the
 *     readings against the payloads), against the walk above.
 * Both sides use connections set up alike (WAL, synchronous=FULL, foreign
 * keys, no connection mutex); the disk is synced before each timed phase.
 * Prints times and ratios; no thresholds (a busy machine must not fail it).
 * The one file outside src/ that includes <sqlite3.h>: it measures what
 * the journal adds to SQLite, so it needs SQLite bare. */

#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sitrep/journal.h"
#include "sitrep/util.h"

#define T0 1795000000

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const struct sitrep_error *err)
{
	fprintf(stderr, "journal_bench: %s: %s\n", what, err && err->msg ? err->msg : "failed");
	exit(1);
}

static void sq_die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "journal_bench: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static int64_t make_incident(struct journal *j)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	static const char plan[] = "id: bench\n";
	struct journal_incident in = { .title = "bench", .plan_id = "bench",
				       .plan_text = (char *)plan, .plan_len = sizeof plan - 1,
				       .created_at = T0 };
	if (journal_begin(j, &err) || journal_incident_create(j, &in, &err) ||
	    journal_commit(j, &err))
		die("create the incident", &err);
	err_release(&err);
	return in.id;
}

/* 1a: N appends through the journal in one transaction. The payloads are
 * made beforehand, as the plain INSERTs get theirs: only the journal's own
 * work is timed. */
static double bench_append(struct journal *j, int64_t inc, long n)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	char **payloads = xmalloc((size_t)n * sizeof *payloads);
	double *values = xmalloc((size_t)n * sizeof *values);
	for (long i = 0; i < n; i++) {
		char p[96];
		values[i] = 90.0 + (double)(i % 1000) / 100.0;
		snprintf(p, sizeof p, "{\"readings\":{\"availability_pct\":%.17g},\"line\":%ld}",
			 values[i], i + 1);
		payloads[i] = xstrdup(p);
	}
	sync(); /* the writes before are not this phase's to wait for */
	double t = now_s();
	if (journal_begin(j, &err))
		die("begin", &err);
	for (long i = 0; i < n; i++) {
		struct journal_reading r = { "availability_pct", values[i] };
		struct journal_entry e = {
			.incident = inc, .recorded_at = T0 + n / 10 + 1, .occurred_at = T0 + i / 10,
			.actor = "duty", .role = "duty_manager", .kind = "metric",
			.payload = payloads[i], .readings = &r, .nreadings = 1,
		};
		if (journal_append(j, &e, &err))
			die("append", &err);
	}
	if (journal_commit(j, &err))
		die("commit", &err);
	t = now_s() - t;
	for (long i = 0; i < n; i++)
		free(payloads[i]);
	free(payloads);
	free(values);
	err_release(&err);
	return t;
}

struct row {
	int64_t id, incident, recorded, occurred;
	char *payload;     /* owned */
	char prev[65], hash[65];
	double value;
};

/* The rows of the first journal, to insert bare into the second. */
static struct row *load_rows(const char *path, long n)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	struct row *rows = xcalloc((size_t)n, sizeof *rows);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT e.id, e.incident, e.recorded_at, e.occurred_at,"
			       " e.payload, e.prev_hash, e.hash, r.value FROM entries e"
			       " JOIN readings r ON r.entry = e.id ORDER BY e.id", -1, &st,
			       NULL) != SQLITE_OK)
		sq_die(db, "read the rows");
	long i = 0;
	while (i < n && sqlite3_step(st) == SQLITE_ROW) {
		rows[i].id = sqlite3_column_int64(st, 0);
		rows[i].incident = sqlite3_column_int64(st, 1);
		rows[i].recorded = sqlite3_column_int64(st, 2);
		rows[i].occurred = sqlite3_column_int64(st, 3);
		rows[i].payload = xstrdup((const char *)sqlite3_column_text(st, 4));
		snprintf(rows[i].prev, 65, "%s", (const char *)sqlite3_column_text(st, 5));
		snprintf(rows[i].hash, 65, "%s", (const char *)sqlite3_column_text(st, 6));
		rows[i].value = sqlite3_column_double(st, 7);
		i++;
	}
	if (i != n)
		sq_die(db, "read back every row");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rows;
}

/* 1b: the same rows, plain INSERTs on a connection set up as the
 * journal's (WAL, synchronous=FULL, foreign keys on), one transaction. */
static double bench_insert(const char *path, const struct row *rows, long n)
{
	sqlite3 *db;
	sqlite3_stmt *ins, *rd;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
			 " PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO entries (id, incident, recorded_at, occurred_at,"
			       " actor, role, kind, payload, corrects, prev_hash, hash)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, ?9, ?10)", -1, &ins,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO readings (entry, incident, occurred_at, seq,"
			       " metric, value) VALUES (?1, ?2, ?3, 0, ?4, ?5)", -1, &rd,
			       NULL) != SQLITE_OK)
		sq_die(db, "prepare the plain inserts");
	sync();
	double t = now_s();
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		sq_die(db, "begin");
	for (long i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		sqlite3_bind_int64(ins, 1, r->id);
		sqlite3_bind_int64(ins, 2, r->incident);
		sqlite3_bind_int64(ins, 3, r->recorded);
		sqlite3_bind_int64(ins, 4, r->occurred);
		sqlite3_bind_text(ins, 5, "duty", 4, SQLITE_STATIC);
		sqlite3_bind_text(ins, 6, "duty_manager", 12, SQLITE_STATIC);
		sqlite3_bind_text(ins, 7, "metric", 6, SQLITE_STATIC);
		sqlite3_bind_text(ins, 8, r->payload, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 9, r->prev, 64, SQLITE_STATIC);
		sqlite3_bind_text(ins, 10, r->hash, 64, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			sq_die(db, "insert an entry");
		sqlite3_reset(ins);
		sqlite3_bind_int64(rd, 1, r->id);
		sqlite3_bind_int64(rd, 2, r->incident);
		sqlite3_bind_int64(rd, 3, r->occurred);
		sqlite3_bind_text(rd, 4, "availability_pct", 16, SQLITE_STATIC);
		sqlite3_bind_double(rd, 5, r->value);
		if (sqlite3_step(rd) != SQLITE_DONE)
			sq_die(db, "insert a reading");
		sqlite3_reset(rd);
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		sq_die(db, "commit");
	t = now_s() - t;
	sqlite3_finalize(ins);
	sqlite3_finalize(rd);
	sqlite3_close(db);
	return t;
}

/* 2a: a cursor in position order, readings joined, no payload. */
static double bench_walk(struct journal *j, int64_t inc, unsigned fields, long n, double *sum)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal_query q = { .incident = inc, .after = JOURNAL_POS_FIRST, .upto = INT64_MAX,
				   .fields = fields };
	struct journal_cursor *c;
	const struct journal_entry *e;
	long seen = 0;
	double t = now_s();
	if (journal_cursor_open(j, &q, &c, &err))
		die("cursor", &err);
	*sum = 0;
	while (journal_cursor_next(c, &e, &err) == JOURNAL_OK && e) {
		for (size_t k = 0; k < e->nreadings; k++)
			*sum += e->readings[k].value;
		seen++;
	}
	if (err.msg)
		die("walk", &err);
	journal_cursor_close(c);
	t = now_s() - t;
	if (seen != n) {
		fprintf(stderr, "journal_bench: the walk saw %ld entries, not %ld\n", seen, n);
		exit(1);
	}
	return t;
}

/* 2b: SELECT * FROM entries WHERE incident = ?, every column read. */
static double bench_select(const char *path, int64_t inc, long n)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT * FROM entries WHERE incident = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		sq_die(db, "prepare the select");
	double t = now_s();
	sqlite3_bind_int64(st, 1, inc);
	long seen = 0;
	size_t bytes = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int k = 0; k < sqlite3_column_count(st); k++) {
			sqlite3_column_text(st, k);
			bytes += (size_t)sqlite3_column_bytes(st, k);
		}
		seen++;
	}
	t = now_s() - t;
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (seen != n || !bytes) {
		fprintf(stderr, "journal_bench: the select saw %ld rows, not %ld\n", seen, n);
		exit(1);
	}
	return t;
}

/* PRAGMA quick_check alone: the part of verify that reads the whole file. */
static double bench_quick_check(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK)
		sq_die(db, "prepare quick_check");
	double t = now_s();
	while (sqlite3_step(st) == SQLITE_ROW)
		;
	t = now_s() - t;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return t;
}

static double best(double a, double b)
{
	return a < b ? a : b;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
	const char *base = argc > 2 ? argv[2] : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char dir[512], a_path[600], b_path[600];
	if (n <= 0) {
		fprintf(stderr, "usage: journal_bench [N] [FOLDER]\n");
		return 2;
	}
	snprintf(dir, sizeof dir, "%s/journal-bench-XXXXXX", base);
	if (!mkdtemp(dir)) {
		perror("journal_bench: mkdtemp");
		return 1;
	}
	snprintf(a_path, sizeof a_path, "%s/journal.db", dir);
	snprintf(b_path, sizeof b_path, "%s/plain.db", dir);
	struct sitrep_error err = SITREP_ERROR_INIT;

	struct journal *a = journal_open(a_path, JOURNAL_CREATE, &err);
	if (!a)
		die("open", &err);
	int64_t inc = make_incident(a);
	double t_append = bench_append(a, inc, n);
	journal_close(a);

	struct row *rows = load_rows(a_path, n);
	struct journal *b = journal_open(b_path, JOURNAL_CREATE, &err);
	if (!b)
		die("open", &err);
	if (make_incident(b) != inc)
		die("the same incident id", NULL);
	journal_close(b);
	double t_insert = bench_insert(b_path, rows, n);
	for (long i = 0; i < n; i++)
		free(rows[i].payload);
	free(rows);

	a = journal_open(a_path, JOURNAL_READ_ONLY, &err);
	if (!a)
		die("open", &err);
	double sum1, sum2;
	double t_walk = best(bench_walk(a, inc, JF_READINGS, n, &sum1),
			     bench_walk(a, inc, JF_READINGS, n, &sum2));
	double t_walk_all = best(bench_walk(a, inc, JF_READINGS | JF_PAYLOAD | JF_HASHES, n, &sum1),
				 bench_walk(a, inc, JF_READINGS | JF_PAYLOAD | JF_HASHES, n, &sum2));
	double t_select = best(bench_select(a_path, inc, n), bench_select(a_path, inc, n));
	struct strbuf msg = STRBUF_INIT;
	sb_init(&msg);
	int64_t bad = 0;
	double t = now_s();
	if (journal_verify(a, inc, NULL, NULL, &bad, &msg, &err) != JOURNAL_OK)
		die("verify", &err);
	double t_verify = now_s() - t;
	t = now_s();
	struct journal_head h;
	if (journal_head(a, inc, &h, &err))
		die("head", &err);
	double t_head = now_s() - t;
	double t_qc = bench_quick_check(a_path);
	journal_close(a);
	sb_release(&msg);
	err_release(&err);

	printf("journal_bench: %ld entries, one reading each, SQLite %s\n", n, sqlite3_libversion());
	printf("  append in one transaction   %8.3f s  %6.2f us/entry\n", t_append, t_append / n * 1e6);
	printf("  plain INSERTs, same rows    %8.3f s  %6.2f us/entry   ratio %.2f\n", t_insert,
	       t_insert / n * 1e6, t_append / t_insert);
	printf("  walk with readings (replay) %8.3f s  %6.2f us/entry\n", t_walk, t_walk / n * 1e6);
	printf("  walk, every field           %8.3f s  %6.2f us/entry\n", t_walk_all,
	       t_walk_all / n * 1e6);
	printf("  SELECT * ... WHERE incident %8.3f s  %6.2f us/entry   ratio %.2f (every field %.2f)\n",
	       t_select, t_select / n * 1e6, t_walk / t_select, t_walk_all / t_select);
	printf("  verify                      %8.3f s  %6.2f us/entry   ratio %.2f to the select\n",
	       t_verify, t_verify / n * 1e6, t_verify / t_select);
	printf("    of which quick_check      %8.3f s\n", t_qc);
	printf("  head (with count)           %8.3f ms\n", t_head * 1e3);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "journal_bench: could not remove '%s'\n", dir);
	return 0;
}
