/* app: the one path of every action, on a real journal file. Runs from the
 * top of the tree (plans/). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <math.h>

#include "sitrep/app.h"

static char dbpath[256];

static int64_t T(const char *iso)
{
	int64_t t;
	assert_int_equal(time_parse(iso, 0, &t), 0);
	return t;
}

static struct app *open_app(int no_checkpoint, int read_only)
{
	struct app_options o = { dbpath, "plans", read_only };
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct app *a;
	if (no_checkpoint)
		setenv("SITREP_NO_CHECKPOINT", "1", 1);
	else
		unsetenv("SITREP_NO_CHECKPOINT");
	a = app_open(&o, &err);
	unsetenv("SITREP_NO_CHECKPOINT");
	if (!a)
		fail_msg("app_open: %s", err.msg ? err.msg : "?");
	return a;
}

static int setup(void **state)
{
	int fd;
	(void)state;
	snprintf(dbpath, sizeof(dbpath), "/tmp/sitrep-test-app.XXXXXX");
	fd = mkstemp(dbpath);
	assert_true(fd >= 0);
	close(fd);
	unlink(dbpath);
	setenv("SITREP_NOW", "2026-05-01T12:00:00Z", 1);
	return 0;
}

static int teardown(void **state)
{
	char p[300];
	(void)state;
	unlink(dbpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
	unsetenv("SITREP_NOW");
	return 0;
}

static int act(struct app *a, enum plan_action k, int64_t id, const char *at, const char *text,
	       const char *target, struct app_outcome *out)
{
	struct app_request rq;
	memset(&rq, 0, sizeof(rq));
	rq.kind = k;
	rq.incident = id;
	rq.at = at ? T(at) : 0;
	rq.text = text;
	rq.target = target;
	rq.plan = "hotline-outage";
	app_outcome_release(out);
	app_outcome_init(out);
	return app_act(a, &rq, out);
}

static int metric(struct app *a, int64_t id, const char *at, const char *name, double v,
		  struct app_outcome *out)
{
	struct app_request rq;
	const char *names[1] = { name };
	double values[1] = { v };
	memset(&rq, 0, sizeof(rq));
	rq.kind = ACT_METRIC;
	rq.incident = id;
	rq.at = at ? T(at) : 0;
	rq.metric_names = names;
	rq.metric_values = values;
	rq.nmetrics = 1;
	app_outcome_release(out);
	app_outcome_init(out);
	return app_act(a, &rq, out);
}

static char *status_json(struct app *a, int64_t id, const char *at)
{
	struct app_incident inc;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct strbuf sb = STRBUF_INIT;
	if (app_incident_load(a, id, at ? T(at) : 0, &inc, &err) != 0)
		fail_msg("load: %s", err.msg ? err.msg : "?");
	sb_init(&sb);
	app_status_json(&inc, &sb);
	app_incident_release(&inc);
	return sb_detach(&sb);
}

struct hist_count { int entries, autos, refused; };
static int count_items(const struct app_item *it, const struct engine_state *st, void *ctx)
{
	struct hist_count *c = ctx;
	(void)st;
	if (it->entry_id == 0) {
		assert_string_equal(it->kind, "auto");
		c->autos++;
	} else {
		c->entries++;
	}
	c->refused += it->refused;
	assert_non_null(it->summary);
	assert_null(strchr(it->summary, '\033'));
	return 0;
}

static void test_actions_and_codes(void **state)
{
	struct app *a = open_app(0, 0);
	struct app_outcome out;
	int64_t id;
	char *js;
	(void)state;
	app_outcome_init(&out);
	assert_int_equal(act(a, ACT_OPEN, 0, "2026-05-01T10:00:00Z", "unit 单元", NULL, &out), 0);
	id = out.incident;
	assert_true(id > 0);
	assert_true(out.entry > 0);
	/* the future is a usage error */
	assert_int_equal(act(a, ACT_LOG, id, "2026-05-01T12:00:01Z", "x", NULL, &out), SITREP_EXIT_USAGE);
	/* unknown names are usage errors, not refusals */
	assert_int_equal(metric(a, id, NULL, "nosuch", 1, &out), SITREP_EXIT_USAGE);
	assert_int_equal(act(a, ACT_ESCALATE, id, NULL, "r", "IV", &out), SITREP_EXIT_USAGE);
	assert_int_equal(act(a, ACT_LOG, 999, NULL, "x", NULL, &out), SITREP_EXIT_USAGE);
	/* escalate into III, II, I, then refused */
	assert_int_equal(act(a, ACT_ESCALATE, id, "2026-05-01T10:30:00Z", "r", NULL, &out), 0);
	assert_int_equal(act(a, ACT_ESCALATE, id, "2026-05-01T10:31:00Z", "r", NULL, &out), 0);
	assert_int_equal(act(a, ACT_ESCALATE, id, "2026-05-01T10:32:00Z", "r", NULL, &out), 0);
	assert_int_equal(act(a, ACT_ESCALATE, id, NULL, "r", NULL, &out), SITREP_EXIT_REFUSED);
	assert_true(out.result.rule[0] != '\0');
	assert_non_null(strstr(out.message, "refused by rule '"));
	assert_true(out.entry > 0);   /* the refusal is journaled */
	/* backfill: a state change before the latest one is refused */
	assert_int_equal(act(a, ACT_DOWNGRADE, id, "2026-05-01T10:20:00Z", "r", NULL, &out),
			 SITREP_EXIT_REFUSED);
	assert_string_equal(out.result.rule, "backfill");
	/* ... a note is not */
	assert_int_equal(act(a, ACT_LOG, id, "2026-05-01T10:20:00Z", "late \033[1m", NULL, &out), 0);
	/* nothing before the open */
	assert_int_equal(act(a, ACT_LOG, id, "2026-05-01T09:00:00Z", "early", NULL, &out),
			 SITREP_EXIT_REFUSED);
	assert_string_equal(out.result.rule, "backfill");
	js = status_json(a, id, NULL);
	assert_non_null(strstr(js, "\"level\":\"I\""));
	assert_non_null(strstr(js, "\"title\":\"unit 单元\""));
	free(js);
	js = status_json(a, id, "2026-05-01T10:30:30Z");
	assert_non_null(strstr(js, "\"level\":\"III\""));
	free(js);
	app_outcome_release(&out);
	app_close(a);

	/* read-only: writes are storage errors */
	a = open_app(0, 1);
	app_outcome_init(&out);
	assert_int_equal(act(a, ACT_LOG, id, NULL, "x", NULL, &out), SITREP_EXIT_STORAGE);
	app_outcome_release(&out);
	app_close(a);
}

static void test_checkpoint_equals_replay(void **state)
{
	struct app *a = open_app(0, 0), *b;
	struct app_outcome out;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct hist_count hc = { 0, 0, 0 };
	const char *times[] = { NULL, "2026-05-01T10:20:00Z", "2026-05-01T10:45:00Z",
				"2026-05-01T11:10:00Z", "2026-05-01T11:59:00Z" };
	int64_t id;
	char at[32];
	(void)state;
	app_outcome_init(&out);
	assert_int_equal(act(a, ACT_OPEN, 0, "2026-05-01T10:00:00Z", "replay", NULL, &out), 0);
	id = out.incident;
	/* a queue over 8 min for 30 min raises blue; readings out of order */
	for (int i = 0; i < 40; i++) {
		snprintf(at, sizeof(at), "2026-05-01T10:%02d:00Z", 10 + i);
		assert_int_equal(metric(a, id, at, "queue_min", 9 + (i % 3), &out), 0);
	}
	assert_int_equal(metric(a, id, "2026-05-01T10:25:00Z", "queue_min", 4, &out), 0);
	assert_int_equal(metric(a, id, "2026-05-01T11:05:00Z", "complaints_pct", 140, &out), 0);
	assert_int_equal(act(a, ACT_LOG, id, "2026-05-01T10:05:00Z", "late note", NULL, &out), 0);
	assert_int_equal(metric(a, id, "2026-05-01T10:12:30Z", "queue_min", 7, &out), 0);
	b = open_app(1, 0);
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		char *x = status_json(a, id, times[i]);
		char *y = status_json(b, id, times[i]);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	/* the history shows time-driven transitions as "auto" items */
	assert_int_equal(app_history(a, id, 0, count_items, &hc, &err), 0);
	assert_int_equal(hc.entries, 45);
	assert_true(hc.autos > 0);
	app_close(b);
	app_outcome_release(&out);
	app_close(a);
}

static void test_accept_proposal(void **state)
{
	struct app *a = open_app(0, 0);
	struct app_outcome out;
	int64_t id;
	char *js;
	(void)state;
	app_outcome_init(&out);
	assert_int_equal(act(a, ACT_OPEN, 0, NULL, "proposal", NULL, &out), 0);
	id = out.incident;
	app_outcome_release(&out);
	app_outcome_init(&out);
	assert_int_equal(app_accept_proposal(a, id, NULL, &out), SITREP_EXIT_USAGE);
	assert_int_equal(metric(a, id, NULL, "complaints_pct", 135, &out), 0);
	app_outcome_release(&out);
	app_outcome_init(&out);
	assert_int_equal(app_accept_proposal(a, id, "agreed", &out), 0);
	js = status_json(a, id, NULL);
	assert_non_null(strstr(js, "\"level\":\"II\""));
	assert_non_null(strstr(js, "\"proposals\":[]"));
	free(js);
	app_outcome_release(&out);
	app_close(a);
}

static void test_csv(void **state)
{
	struct app *a = open_app(0, 0);
	struct app_outcome out;
	char csv[300];
	FILE *fp;
	int64_t id;
	char *before, *after;
	(void)state;
	app_outcome_init(&out);
	assert_int_equal(act(a, ACT_OPEN, 0, "2026-05-01T10:00:00Z", "csv", NULL, &out), 0);
	id = out.incident;
	snprintf(csv, sizeof(csv), "%s.csv", dbpath);
	fp = fopen(csv, "w");
	assert_non_null(fp);
	fputs("time,name,value\n2026-05-01T10:10:00Z,queue_min,9\n2026-05-01T10:41:00Z,queue_min,9\n"
	      "2026-05-01T10:42:00Z,queue_min,x\n", fp);
	fclose(fp);
	before = status_json(a, id, NULL);
	app_outcome_release(&out);
	app_outcome_init(&out);
	assert_int_equal(app_import_csv(a, id, csv, NULL, &out), SITREP_EXIT_USAGE);
	assert_non_null(strstr(out.message, ":4:"));
	after = status_json(a, id, NULL);
	assert_string_equal(before, after);   /* nothing written */
	free(after);
	fp = fopen(csv, "w");
	assert_non_null(fp);
	fputs("2026-05-01T10:41:00Z,queue_min,9\n2026-05-01T10:10:00Z,queue_min,9\n"
	      "2026-05-01T10:10:00Z,cpu_pct,20\n", fp);
	fclose(fp);
	app_outcome_release(&out);
	app_outcome_init(&out);
	assert_int_equal(app_import_csv(a, id, csv, NULL, &out), 0);
	after = status_json(a, id, NULL);
	assert_non_null(strstr(after, "\"warning\":\"blue\""));
	free(after);
	free(before);
	unlink(csv);
	app_outcome_release(&out);
	app_close(a);
}

static void test_parse_reading(void **state)
{
	const char *good[] = { "0", "9", "-3", "+4", "9.5", ".5", "5.", "1e1", "2.5E-1", "1e-400" };
	const double want[] = { 0, 9, -3, 4, 9.5, 0.5, 5, 10, 0.25, 0 };
	const char *bad[] = { "", " ", "inf", "-inf", "INF", "infinity", "nan", "NaN", "nan(1)",
			      "1e400", "-1e400", "0x10", "0X1p4", "1,5", "12abc", ".", "e5", "1e",
			      "1e+", "--1", "+-1", " 1", "1 " };
	struct app *a;
	struct app_outcome out;
	struct app_request rq;
	const char *names[1] = { "queue_min" };
	double values[1];
	double v;
	int64_t id;
	char *before, *after;
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = -42;
		assert_int_equal(app_parse_reading(good[i], &v), 0);
		assert_true(v == want[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = -42;
		if (app_parse_reading(bad[i], &v) != -1)
			fail_msg("'%s' was accepted as %g", bad[i], v);
		assert_true(v == -42);
	}
	assert_int_equal(app_parse_reading(NULL, &v), -1);

	/* app_act refuses a non-finite value as usage, and journals nothing */
	a = open_app(0, 0);
	app_outcome_init(&out);
	assert_int_equal(act(a, ACT_OPEN, 0, "2026-05-01T10:00:00Z", "finite", NULL, &out), 0);
	id = out.incident;
	before = status_json(a, id, NULL);
	for (int k = 0; k < 3; k++) {
		values[0] = k == 0 ? INFINITY : k == 1 ? -INFINITY : NAN;
		memset(&rq, 0, sizeof(rq));
		rq.kind = ACT_METRIC;
		rq.incident = id;
		rq.metric_names = names;
		rq.metric_values = values;
		rq.nmetrics = 1;
		app_outcome_release(&out);
		app_outcome_init(&out);
		assert_int_equal(app_act(a, &rq, &out), SITREP_EXIT_USAGE);
		assert_int_equal(out.entry, 0);
		assert_non_null(strstr(out.message, "queue_min"));
	}
	after = status_json(a, id, NULL);
	assert_string_equal(before, after);
	free(before);
	free(after);
	app_outcome_release(&out);
	app_close(a);
}

static void tamper(const char *sql)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j = journal_open(dbpath, 0, &err);
	if (!j)
		fail_msg("journal_open: %s", err.msg ? err.msg : "?");
	assert_int_equal(journal_exec_unchecked(j, sql), JOURNAL_OK);
	journal_close(j);
}

static void test_verify_checkpoint(void **state)
{
	struct app *a = open_app(0, 0), *r;
	struct app_outcome out;
	struct app_incident inc;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct strbuf msg = STRBUF_INIT;
	int64_t one, two;
	char *truth, *x, sql[512], want[128];
	(void)state;
	app_outcome_init(&out);
	assert_int_equal(act(a, ACT_OPEN, 0, "2026-05-01T10:00:00Z", "one", NULL, &out), 0);
	one = out.incident;
	assert_int_equal(act(a, ACT_ESCALATE, one, "2026-05-01T10:10:00Z", "r", NULL, &out), 0);
	assert_int_equal(act(a, ACT_OPEN, 0, "2026-05-01T10:20:00Z", "two", NULL, &out), 0);
	two = out.incident;
	assert_int_equal(act(a, ACT_ESCALATE, two, "2026-05-01T10:30:00Z", "r", "I", &out), 0);
	truth = status_json(a, one, NULL);
	sb_init(&msg);
	assert_int_equal(app_verify(a, 0, NULL, &msg), 0);
	sb_release(&msg);
	app_close(a);

	/* incident two's state under incident one's position */
	snprintf(sql, sizeof(sql), "UPDATE checkpoints SET blob = (SELECT blob FROM checkpoints "
		 "WHERE incident = %lld) WHERE incident = %lld", (long long)two, (long long)one);
	tamper(sql);
	r = open_app(0, 1);  /* read-only, as the verify command opens it */
	x = status_json(r, one, NULL);
	assert_string_not_equal(x, truth);  /* the tampered checkpoint is read */
	free(x);
	sb_init(&msg);
	assert_int_equal(app_verify(r, two, NULL, &msg), 0);  /* only the incident checked */
	sb_release(&msg);
	sb_init(&msg);
	assert_int_equal(app_verify(r, 0, NULL, &msg), SITREP_EXIT_INTEGRITY);
	snprintf(want, sizeof(want), "incident %lld: checkpoint disagrees with the journal; it was "
		 "discarded and the state will be replayed", (long long)one);
	assert_non_null(strstr(msg.buf, want));
	sb_release(&msg);
	x = status_json(r, one, NULL);
	assert_string_equal(x, truth);
	free(x);
	sb_init(&msg);
	assert_int_equal(app_verify(r, 0, NULL, &msg), 0);
	sb_release(&msg);

	/* a position beyond the last entry is ignored by reads, flagged by verify */
	snprintf(sql, sizeof(sql), "UPDATE checkpoints SET blob = (SELECT blob FROM checkpoints "
		 "WHERE incident = %lld), max_id = 1000 WHERE incident = %lld", (long long)two,
		 (long long)one);
	tamper(sql);
	x = status_json(r, one, NULL);
	assert_string_equal(x, truth);
	free(x);
	sb_init(&msg);
	assert_int_equal(app_verify(r, one, NULL, &msg), SITREP_EXIT_INTEGRITY);
	assert_non_null(strstr(msg.buf, "checkpoint disagrees"));
	sb_release(&msg);
	sb_init(&msg);
	assert_int_equal(app_verify(r, one, NULL, &msg), 0);
	sb_release(&msg);

	/* status before the open: usage, naming the open time */
	assert_int_equal(app_incident_load(r, one, T("2026-05-01T09:59:59Z"), &inc, &err),
			 SITREP_EXIT_USAGE);
	assert_non_null(strstr(err.msg, "was opened at 2026-05-01T10:00:00Z"));
	err_release(&err);
	assert_int_equal(app_incident_load(r, one, T("2026-05-01T10:00:00Z"), &inc, &err), 0);
	app_incident_release(&inc);
	app_close(r);
	free(truth);
	app_outcome_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_actions_and_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkpoint_equals_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_proposal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_reading, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_checkpoint, setup, teardown),
	};
	return cmocka_run_group_tests_name("app", tests, NULL, NULL);
}
