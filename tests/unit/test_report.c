/* Units for report (src/report*.c): every renderer over views built by hand
 * (an arena-backed struct view_incident, view_review ...), so that these
 * tests depend on report, util, text, names and i18n only.
 *
 * Checked: status --json field by field against DESIGN.md (parsed back with
 * jansson), nulls and times, a Chinese title, control characters and bidi
 * overrides escaped in every format, CSV formula neutralisation and the BOM,
 * the streamed timeline in each format, the review in md/html/json, and the
 * alignment of CJK text in the tables. Stable outputs are golden files in
 * tests/golden/; regenerate them with SITREP_UPDATE_GOLDEN=1 after a
 * deliberate change, and read the diff. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <jansson.h>

#include "sitrep/report.h"
#include "sitrep/text.h"

#define T0 1795136400 /* 2026-11-20T01:00:00Z */
#define M 60
#define H 3600

/* ------------------------------------------------------------------ */
/* capturing output */

struct cap {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *cap_open(struct cap *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	return c->f;
}

static char *cap_close(struct cap *c)
{
	fclose(c->f);
	c->f = NULL;
	return c->buf;
}

/* The text of a file, NULL when it does not exist; free() it. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static void golden(const char *name, const char *got)
{
	const char *dir = getenv("SITREP_GOLDEN_DIR") ? getenv("SITREP_GOLDEN_DIR") : "tests/golden";
	char path[512];
	char *want;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (getenv("SITREP_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		fwrite(got, 1, strlen(got), f);
		fclose(f);
		return;
	}
	want = slurp(path);
	if (!want)
		fail_msg("golden file %s is missing (SITREP_UPDATE_GOLDEN=1 writes it)", path);
	if (strcmp(want, got)) {
		fprintf(stderr, "--- %s differs; got:\n%s\n", path, got);
		free(want);
		fail_msg("output differs from %s", path);
	}
	free(want);
}

/* No raw terminal-hostile bytes: ESC, BEL, DEL, C1 NEL, a bidi override. */
static void assert_no_raw_controls(const char *what, const char *s)
{
	const char *bad[] = { "\x1b", "\x07", "\x7f", "\xc2\x85", "\xe2\x80\xae", "\xe2\x81\xa6" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (strstr(s, bad[i]))
			fail_msg("%s carries a raw control character (#%zu)", what, i);
}

/* ------------------------------------------------------------------ */
/* views built by hand */

#define NEW(a, n, type) ((type *)arena_alloc((a), (n) * sizeof(type)))

static const char *hostile = "esc\x1b[31m bel\x07 del\x7f nel\xc2\x85 rlo\xe2\x80\xae lri\xe2\x81\xa6 end";

static void levels_of(struct view_incident *v)
{
	static const char *ids[] = { "III", "II", "I" };
	static const char *names[] = { "Level III response (三级响应)", "Level II response (二级响应)",
				       "Level I response (一级响应)" };
	static const char *colours[] = { "yellow", "orange", "red" };
	v->nlevels = 3;
	v->levels = NEW(&v->mem, 3, struct view_level);
	for (int i = 0; i < 3; i++) {
		v->levels[i].id = ids[i];
		v->levels[i].name = names[i];
		v->levels[i].colour = colours[i];
		v->levels[i].index = i;
	}
	v->nwarnings = 2;
	v->warnings = NEW(&v->mem, 2, struct view_name);
	v->warnings[0].id = "blue";
	v->warnings[0].text = "Blue warning (蓝色预警)";
	v->warnings[1].id = "yellow";
	v->warnings[1].text = "Yellow warning (黄色预警)";
}

/* A live incident at Level II, two hours after the open. */
static void incident_live(struct view_incident *v, const char *title)
{
	struct arena *a = &v->mem;
	static const char *eff[] = { "level II", "proposal II answered" };
	memset(v, 0, sizeof(*v));
	levels_of(v);
	v->id = 7;
	v->title = arena_strdup(a, title);
	v->plan = "hotline-outage";
	v->plan_title = "客服热线中断应急预案";
	v->plan_hash = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	v->lang = "zh_CN";
	v->phase = PHASE_RESPONSE;
	v->level = v->levels[1];
	v->peak = v->levels[1];
	v->opened_at = T0;
	v->level_since = T0 + 55 * M;
	v->response_since = T0 + 42 * M;
	v->at = T0 + 2 * H;
	v->commander = "alice";
	v->user = "alice";
	v->last_entry = 42;
	memset(v->head, 'c', 64);

	v->nproposals = 1;
	v->proposals = NEW(a, 1, struct view_proposal);
	v->proposals[0] = (struct view_proposal){ "I", "Level I response (一级响应)", "red",
		"complaints_50", "complaints above +50%", T0 + 110 * M, 0 };

	v->ndeadlines = 3;
	v->deadlines = NEW(a, 3, struct view_deadline);
	v->deadlines[0] = (struct view_deadline){ .id = "verify_report", .title = "核实报告",
		.kind = OBLK_OBLIGATION, .owner = "duty_manager", .owner_name = "值班经理",
		.started = T0, .due = T0 + 2 * H - M, .overdue = 1, .seq = 1 };
	v->deadlines[1] = (struct view_deadline){ .id = "tech_report", .title = "技术组报告",
		.kind = OBLK_OBLIGATION, .owner = "tech_lead", .owner_name = "技术负责人",
		.person = "bob", .person_name = "王工", .started = T0 + 100 * M,
		.due = T0 + 2 * H + 14 * M + 59, .seq = 3 };
	v->deadlines[2] = (struct view_deadline){ .id = "t1", .title = "call the vendor",
		.kind = OBLK_TASK, .person = "carol", .person_name = "carol", .started = T0 + H };

	v->nlift = 1;
	v->lift = NEW(a, 1, struct view_criterion);
	v->lift[0] = (struct view_criterion){ "core_ok", "core indicators on target", "metric", 0,
		600, 30 * M, NULL, NULL, 0 };
	v->ntermination = 3;
	v->termination = NEW(a, 3, struct view_criterion);
	v->termination[0] = (struct view_criterion){ "stable_72h", "72 h with no anomaly", "metric",
		0, H, 72 * H, NULL, NULL, 0 };
	v->termination[1] = (struct view_criterion){ "safe", "系统安全", "attest", 1, -1, 0,
		"tech_lead", "carol", T0 + 90 * M };
	v->termination[2] = (struct view_criterion){ "withdrawn", "resources withdrawn",
		"resources", 0, -1, 0, NULL, NULL, 0 };

	v->nmetrics = 3;
	v->metrics = NEW(a, 3, struct view_metric);
	v->metrics[0] = (struct view_metric){ .id = "queue_min", .name = "平均排队时长", .unit = "min",
		.has_value = 1, .value = 9, .at = T0 + 119 * M, .age = M, .stale_after = 15 * M };
	v->metrics[1] = (struct view_metric){ .id = "availability_pct", .name = "系统可用率",
		.unit = "%", .has_value = 1, .value = 99.95, .at = T0 + 80 * M, .age = 40 * M,
		.stale = 1, .stale_after = 15 * M };
	v->metrics[2] = (struct view_metric){ .id = "cpu_pct", .name = "CPU", .unit = "%" };
	v->metrics[0].ntriggers = 1;
	v->metrics[0].triggers = NEW(a, 1, struct view_trigger);
	v->metrics[0].triggers[0] = (struct view_trigger){ "queue_long", "queue above 8 min", ">", 8,
		30 * M, 1, 89 * M, "blue", NULL };

	v->nresponders = 2;
	v->responders = NEW(a, 2, struct view_responder);
	v->responders[0] = (struct view_responder){ "commander", "应急指挥", "alice", "Alice 王",
		"13800000000", T0 };
	v->responders[1] = (struct view_responder){ "tech_lead", "技术负责人", "bob", "王工", NULL,
		T0 + 50 * M };

	v->nresources = 2;
	v->resources = NEW(a, 2, struct view_resource);
	v->resources[0] = (struct view_resource){ "power_vehicle", "应急电源车", 1, 2, T0 + H, "bob",
		3600 };
	v->resources[1] = (struct view_resource){ "testers", "network testers", 0, 10, 0, NULL, 0 };

	v->nnotices = 3;
	v->notices = NEW(a, 3, struct view_notice);
	v->notices[0] = (struct view_notice){ .id = "warn_notice", .title = "蓝色预警通知",
		.state = NOTICE_SENT, .to = "duty_manager", .channel = "sms",
		.text = "蓝色预警: queue above 8 min", .sent_at = T0 + 35 * M, .sent = 1 };
	v->notices[1] = (struct view_notice){ .id = "level_notice", .title = "启动响应通知",
		.state = NOTICE_DUE, .due = T0 + 2 * H + 10 * M, .to = "commander, comms",
		.to_people = "Alice 王, 李四", .channel = "sms", .review = "legal",
		.subject = "二级响应", .text = "已启动二级响应。\n请就位。" };
	v->notices[2] = (struct view_notice){ .id = "end_notice", .title = "终止通知",
		.state = NOTICE_PENDING, .to = "all" };

	v->nlatest = 2;
	v->latest = NEW(a, 2, struct view_row);
	v->latest[0] = (struct view_row){ .entry = 41, .occurred_at = T0 + 55 * M,
		.recorded_at = T0 + 55 * M, .actor = "alice", .role = "commander", .kind = "accept",
		.summary = "accepted level II", .text = "complaints +40%", .rule = "",
		.phase = "response", .level = "II", .effects = eff, .neffects = 2 };
	v->latest[1] = (struct view_row){ .entry = 30, .occurred_at = T0 + 42 * M,
		.recorded_at = T0 + 42 * M, .actor = "alice", .role = "commander",
		.kind = "escalate", .summary = "escalated to III", .text = "queue still rising",
		.rule = "", .phase = "response", .level = "III" };
}

/* A quiet incident: monitoring, nothing set, nothing known. */
static void incident_quiet(struct view_incident *v)
{
	memset(v, 0, sizeof(*v));
	levels_of(v);
	v->id = 9;
	v->title = "quiet";
	v->plan = "power-outage";
	v->plan_title = "power-outage";
	v->phase = PHASE_MONITORING;
	v->level.index = -1;
	v->peak.index = -1;
	v->opened_at = T0;
	v->at = T0 + 10 * M;
}

/* ------------------------------------------------------------------ */
/* status --json */

static json_t *parse(const char *s)
{
	json_error_t e;
	json_t *j = json_loads(s, 0, &e);
	if (!j)
		fail_msg("not JSON (%s, line %d): %s", e.text, e.line, s);
	return j;
}

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_string(v))
		fail_msg("key '%s' is not a string", k);
	return json_string_value(v);
}

static void assert_jnull(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!v || !json_is_null(v))
		fail_msg("key '%s' is not null", k);
}

static void assert_keys(json_t *o, const char *const *keys)
{
	for (; *keys; keys++)
		if (!json_object_get(o, *keys))
			fail_msg("key '%s' is missing", *keys);
}

static void test_status_json_contract(void **state)
{
	struct view_incident v;
	struct cap c;
	json_t *j, *a, *e;
	char *out;
	static const char *const top[] = { "id", "plan", "state", "level", "warning",
		"warning_since", "drill", "commander", "proposals", "obligations", "lift", "termination",
		"metrics", "responders", "resources", "notices", NULL };
	static const char *const obl[] = { "id", "title", "due", "overdue", "owner", "person", "kind",
					   NULL };
	static const char *const crit[] = { "id", "title", "kind", "met", NULL };
	(void)state;
	incident_live(&v, "热线 DDoS 中断");
	report_status_json(&v, cap_open(&c));
	out = cap_close(&c);
	/* one object, one line */
	assert_int_equal(out[strlen(out) - 1], '\n');
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	j = parse(out);
	assert_true(json_is_object(j));
	assert_keys(j, top);
	assert_true(json_is_integer(json_object_get(j, "id")));
	assert_int_equal(json_integer_value(json_object_get(j, "id")), 7);
	assert_string_equal(jstr(j, "title"), "热线 DDoS 中断");
	assert_string_equal(jstr(j, "plan"), "hotline-outage");
	assert_string_equal(jstr(j, "state"), "response");
	assert_string_equal(jstr(j, "level"), "II");
	assert_jnull(j, "warning");
	assert_jnull(j, "warning_since");
	assert_true(json_is_false(json_object_get(j, "drill")));
	assert_string_equal(jstr(j, "commander"), "alice");
	assert_string_equal(jstr(j, "opened_at"), "2026-11-20T01:00:00Z");
	assert_string_equal(jstr(j, "at"), "2026-11-20T03:00:00Z");
	assert_string_equal(jstr(j, "level_since"), "2026-11-20T01:55:00Z");
	assert_string_equal(jstr(j, "peak_level"), "II");
	assert_jnull(j, "terminated_at");

	a = json_object_get(j, "proposals");
	assert_int_equal(json_array_size(a), 1);
	e = json_array_get(a, 0);
	assert_string_equal(jstr(e, "level"), "I");
	assert_string_equal(jstr(e, "rule"), "complaints_50");

	a = json_object_get(j, "obligations");
	assert_int_equal(json_array_size(a), 3);
	for (size_t i = 0; i < 3; i++)
		assert_keys(json_array_get(a, i), obl);
	e = json_array_get(a, 0);
	assert_string_equal(jstr(e, "id"), "verify_report");
	assert_string_equal(jstr(e, "title"), "核实报告");
	assert_string_equal(jstr(e, "due"), "2026-11-20T02:59:00Z");
	assert_true(json_is_true(json_object_get(e, "overdue")));
	assert_string_equal(jstr(e, "owner"), "duty_manager");
	assert_jnull(e, "person");
	assert_string_equal(jstr(e, "kind"), "obligation");
	e = json_array_get(a, 1);
	assert_string_equal(jstr(e, "person"), "bob");
	assert_true(json_is_false(json_object_get(e, "overdue")));
	e = json_array_get(a, 2);
	assert_string_equal(jstr(e, "kind"), "task");
	assert_jnull(e, "owner");
	assert_jnull(e, "due");

	a = json_object_get(j, "lift");
	assert_int_equal(json_array_size(a), 1);
	assert_keys(json_array_get(a, 0), crit);
	a = json_object_get(j, "termination");
	assert_int_equal(json_array_size(a), 3);
	for (size_t i = 0; i < 3; i++)
		assert_keys(json_array_get(a, i), crit);
	assert_string_equal(jstr(json_array_get(a, 0), "kind"), "metric");
	assert_string_equal(jstr(json_array_get(a, 1), "kind"), "attest");
	assert_string_equal(jstr(json_array_get(a, 2), "kind"), "resources");
	assert_true(json_is_true(json_object_get(json_array_get(a, 1), "met")));
	assert_true(json_is_false(json_object_get(json_array_get(a, 0), "met")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(a, 0), "held_for")), H);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(a, 0), "for")), 72 * H);
	assert_string_equal(jstr(json_array_get(a, 1), "attested_by"), "carol");

	/* only metrics with a value; numbers as numbers */
	a = json_object_get(j, "metrics");
	assert_int_equal(json_array_size(a), 2);
	e = json_array_get(a, 0);
	assert_string_equal(jstr(e, "name"), "queue_min");
	assert_true(json_is_number(json_object_get(e, "value")));
	assert_true(json_number_value(json_object_get(e, "value")) == 9);
	assert_string_equal(jstr(e, "at"), "2026-11-20T02:59:00Z");
	assert_true(json_is_false(json_object_get(e, "stale")));
	e = json_array_get(a, 1);
	assert_true(json_is_true(json_object_get(e, "stale")));
	assert_true(json_number_value(json_object_get(e, "value")) == 99.95);
	assert_non_null(strstr(out, "\"value\":99.95,"));
	assert_non_null(strstr(out, "\"value\":9,"));

	a = json_object_get(j, "responders");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(jstr(json_array_get(a, 0), "role"), "commander");
	assert_string_equal(jstr(json_array_get(a, 0), "person"), "alice");

	a = json_object_get(j, "resources");
	assert_int_equal(json_array_size(a), 2);
	e = json_array_get(a, 0);
	assert_string_equal(jstr(e, "item"), "power_vehicle");
	assert_int_equal(json_integer_value(json_object_get(e, "deployed")), 1);
	assert_int_equal(json_integer_value(json_object_get(e, "count")), 2);

	/* notices the incident has required: the pending one is left out */
	a = json_object_get(j, "notices");
	assert_int_equal(json_array_size(a), 2);
	e = json_array_get(a, 0);
	assert_string_equal(jstr(e, "id"), "warn_notice");
	assert_string_equal(jstr(e, "state"), "sent");
	assert_jnull(e, "due");
	e = json_array_get(a, 1);
	assert_string_equal(jstr(e, "state"), "due");
	assert_string_equal(jstr(e, "due"), "2026-11-20T03:10:00Z");
	assert_string_equal(jstr(e, "to"), "commander, comms");
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *s = jstr(json_array_get(a, i), "state");
		assert_true(!strcmp(s, "due") || !strcmp(s, "sent") || !strcmp(s, "failed"));
	}
	json_decref(j);
	golden("status.json", out);
	free(out);
	arena_release(&v.mem);
}

static void test_status_json_nulls(void **state)
{
	struct view_incident v;
	struct cap c;
	json_t *j;
	char *out;
	(void)state;
	incident_quiet(&v);
	report_status_json(&v, cap_open(&c));
	out = cap_close(&c);
	j = parse(out);
	assert_string_equal(jstr(j, "state"), "monitoring");
	assert_jnull(j, "level");
	assert_jnull(j, "warning");
	assert_jnull(j, "warning_since");
	assert_jnull(j, "commander");
	assert_jnull(j, "terminated_at");
	assert_jnull(j, "peak_level");
	assert_jnull(j, "head");
	assert_true(json_is_array(json_object_get(j, "proposals")));
	assert_int_equal(json_array_size(json_object_get(j, "metrics")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "obligations")), 0);
	json_decref(j);
	free(out);

	/* a warning: its id and since */
	v.phase = PHASE_WARNING;
	v.warning = "yellow";
	v.warning_name = "Yellow warning";
	v.warning_since = T0 + 5 * M;
	v.drill = 1;
	report_status_json(&v, cap_open(&c));
	out = cap_close(&c);
	j = parse(out);
	assert_string_equal(jstr(j, "warning"), "yellow");
	assert_string_equal(jstr(j, "warning_since"), "2026-11-20T01:05:00Z");
	assert_true(json_is_true(json_object_get(j, "drill")));
	json_decref(j);
	free(out);
	arena_release(&v.mem);
}

/* ------------------------------------------------------------------ */
/* escaping in every format */

static struct view_row hostile_row(void)
{
	static const char *eff[1];
	eff[0] = hostile;
	return (struct view_row){ .entry = 5, .occurred_at = T0 + M, .recorded_at = T0 + M,
		.actor = hostile, .role = "commander", .kind = "log", .summary = hostile,
		.text = hostile, .rule = "", .phase = "monitoring", .effects = eff, .neffects = 1 };
}

static void hostile_review(struct view_review *r, struct view_incident *v)
{
	static struct view_row ref[1];
	static struct view_note notes[1];
	static struct view_change ch[1];
	static struct view_sent sent[1];
	static struct view_name act[1];
	memset(r, 0, sizeof(*r));
	r->inc = v;
	r->fig.to_ack = r->fig.to_first_level = r->fig.to_mitigation = r->fig.to_termination = -1;
	r->fig.peak_level = -1;
	ref[0] = hostile_row();
	ref[0].refused = 1;
	ref[0].rule = "roles";
	r->refusals = ref;
	r->nrefusals = 1;
	notes[0] = (struct view_note){ SECTION_SPEED, hostile, T0 + M, hostile };
	r->notes = notes;
	r->nnotes = 1;
	ch[0] = (struct view_change){ T0 + 2 * M, "escalate", NULL, "III", hostile, "commander",
				      hostile, NULL, -1 };
	r->changes = ch;
	r->nchanges = 1;
	sent[0] = (struct view_sent){ "n", hostile, T0, T0 + M, hostile, hostile, OUT_LATE, 0 };
	r->sent = sent;
	r->nsent = 1;
	act[0] = (struct view_name){ hostile, hostile };
	r->activity = act;
	r->nactivity = 1;
}

static void test_escaping_everywhere(void **state)
{
	struct view_incident v;
	struct view_review r;
	struct view_row row = hostile_row();
	struct view_list l;
	struct view_tasks t;
	struct view_summary sum;
	struct view_task task;
	struct report_stats_row sr;
	static const char *const formats[] = { "text", "md", "csv", "json" };
	struct cap c;
	char *out;
	(void)state;
	incident_live(&v, hostile);
	v.commander = hostile;
	v.notices[1].text = hostile;
	v.notices[1].to_people = hostile;
	v.deadlines[1].person_name = hostile;
	v.deadlines[1].title = hostile;
	v.latest[0].summary = hostile;
	v.responders[0].person_name = hostile;

	report_status_text(&v, cap_open(&c));
	out = cap_close(&c);
	assert_no_raw_controls("status text", out);
	assert_non_null(strstr(out, "esc\\x1b[31m bel\\x07"));
	assert_non_null(strstr(out, "rlo\\u202e"));
	free(out);

	report_status_json(&v, cap_open(&c));
	out = cap_close(&c);
	assert_no_raw_controls("status json", out);
	assert_non_null(strstr(out, "esc\\u001B[31m bel\\u0007 del\\u007f nel\\u0085 rlo\\u202e "
				    "lri\\u2066 end"));
	json_decref(parse(out));
	free(out);

	report_brief(&v, cap_open(&c));
	out = cap_close(&c);
	assert_no_raw_controls("brief", out);
	free(out);

	report_notices(&v, 0, cap_open(&c));
	out = cap_close(&c);
	assert_no_raw_controls("notices", out);
	free(out);
	report_notices(&v, 1, cap_open(&c));
	out = cap_close(&c);
	assert_no_raw_controls("notices json", out);
	json_decref(parse(out));
	free(out);

	for (size_t f = 0; f < 4; f++) {
		struct report_timeline *tl = report_timeline_begin(formats[f], 0, &v, cap_open(&c));
		assert_non_null(tl);
		report_timeline_row(tl, &row);
		report_timeline_end(tl, v.head);
		out = cap_close(&c);
		assert_no_raw_controls(formats[f], out);
		if (!strcmp(formats[f], "json"))
			json_decref(parse(out));
		free(out);
	}

	memset(&l, 0, sizeof(l));
	sum = (struct view_summary){ .id = 7, .title = hostile, .plan = "hotline-outage",
		.phase = PHASE_RESPONSE, .level = "II", .opened_at = T0, .problem = hostile };
	l.v = &sum;
	l.n = 1;
	report_list(&l, cap_open(&c));
	out = cap_close(&c);
	assert_no_raw_controls("list", out);
	free(out);

	memset(&t, 0, sizeof(t));
	task.incident = 7;
	task.incident_title = hostile;
	task.d = v.deadlines[1];
	t.v = &task;
	t.n = 1;
	for (int json = 0; json < 2; json++) {
		report_tasks(&t, json, cap_open(&c));
		out = cap_close(&c);
		assert_no_raw_controls("tasks", out);
		if (json)
			json_decref(parse(out));
		free(out);
	}

	hostile_review(&r, &v);
	for (int f = 0; f < 3; f++) {
		static const char *const rf[] = { "md", "html", "json" };
		struct cap s;
		char *svg;
		assert_int_equal(report_review(&r, rf[f], cap_open(&c), cap_open(&s)), 0);
		out = cap_close(&c);
		svg = cap_close(&s);
		assert_no_raw_controls(rf[f], out);
		assert_no_raw_controls("svg", svg);
		if (f == 2)
			json_decref(parse(out));
		free(out);
		free(svg);
	}
	sr.r = &r;
	v.drill = 1;
	report_stats(&sr, 1, 1, cap_open(&c));
	out = cap_close(&c);
	assert_no_raw_controls("stats drills", out);
	free(out);
	arena_release(&v.mem);
}

/* ------------------------------------------------------------------ */
/* the timeline */

static const char *eff_open[] = { "incident opened" };
static const char *eff_auto[] = { "trigger queue_long fired" };
static const char *eff_esc[] = { "blue warning ends: response level III", "level III" };
static const char *rd_metric[] = { "queue_min=9.5", "complaints_pct=140" };

static void timeline_rows(struct view_row *rows, size_t *n)
{
	size_t k = 0;
	rows[k++] = (struct view_row){ .entry = 1, .occurred_at = T0, .recorded_at = T0 + 2,
		.actor = "alice", .role = "duty_manager", .kind = "open", .summary = "opened: 热线 DDoS",
		.text = "热线 DDoS", .rule = "", .phase = "monitoring", .effects = eff_open,
		.neffects = 1 };
	rows[k++] = (struct view_row){ .entry = 2, .occurred_at = T0 + M, .recorded_at = T0 + M,
		.actor = "monitor", .role = "", .kind = "metric",
		.summary = "queue_min=9.5 complaints_pct=140", .rule = "", .phase = "monitoring",
		.readings = rd_metric, .nreadings = 2, .corrected_by = 6 };
	rows[k++] = (struct view_row){ .entry = 3, .occurred_at = T0 + 5 * M,
		.recorded_at = T0 + 5 * M, .actor = "张三丰", .role = "duty_manager", .kind = "log",
		.summary = "note", .text = "=HYPERLINK(\"http://x\",\"click\")", .rule = "",
		.phase = "monitoring" };
	rows[k++] = (struct view_row){ .entry = 0, .occurred_at = T0 + 31 * M,
		.recorded_at = T0 + 31 * M, .actor = "", .role = "", .kind = "auto",
		.summary = "blue warning raised by queue_long", .rule = "", .phase = "warning",
		.warning = "blue", .effects = eff_auto, .neffects = 1 };
	rows[k++] = (struct view_row){ .entry = 4, .occurred_at = T0 + 40 * M,
		.recorded_at = T0 + 40 * M, .actor = "carol", .role = "comms", .kind = "refused",
		.summary = "escalate refused: carol holds no role that may escalate",
		.text = "-carol, holds no role", .refused = 1, .rule = "roles", .phase = "warning",
		.warning = "blue" };
	rows[k++] = (struct view_row){ .entry = 5, .occurred_at = T0 + 42 * M,
		.recorded_at = T0 + 42 * M, .actor = "alice", .role = "commander", .kind = "escalate",
		.summary = "escalated to III", .text = "queue \"still\" rising, +2 min", .rule = "",
		.phase = "response", .level = "III", .effects = eff_esc, .neffects = 2 };
	rows[k++] = (struct view_row){ .entry = 7, .occurred_at = T0 + 26 * H + 3 * M,
		.recorded_at = T0 + 26 * H + 3 * M, .actor = "bob", .role = "commander",
		.kind = "warn", .summary = "yellow warning raised", .text = "@bob\tsays", .rule = "",
		.no_effect = 1, .phase = "response", .level = "III" };
	*n = k;
}

static char *timeline(const char *format, unsigned flags, struct view_incident *v)
{
	struct view_row rows[16];
	size_t n;
	struct cap c;
	struct report_timeline *t;
	timeline_rows(rows, &n);
	t = report_timeline_begin(format, flags, v, cap_open(&c));
	assert_non_null(t);
	for (size_t i = 0; i < n; i++)
		report_timeline_row(t, &rows[i]);
	report_timeline_end(t, v->head);
	return cap_close(&c);
}

static void test_timeline_text(void **state)
{
	struct view_incident v;
	char *out;
	(void)state;
	incident_live(&v, "热线 DDoS");
	out = timeline("text", 0, &v);
	assert_non_null(strstr(out, "T+1d 02:03:00"));
	assert_non_null(strstr(out, "(no effect after a correction)"));
	assert_non_null(strstr(out, "(corrected by entry 6)"));
	assert_non_null(strstr(out, "[rule roles]"));
	assert_non_null(strstr(out, "-> level III"));
	assert_non_null(strstr(out, "\nhead cccc"));
	/* the columns: CJK actors take two columns each */
	{
		const char *a = strstr(out, "张三丰"), *line = a;
		while (line > out && line[-1] != '\n')
			line--;
		char pre[256];
		snprintf(pre, sizeof pre, "%.*s", (int)(a - line), line);
		assert_int_equal(tx_width(pre), 19 + 1 + 13 + 1);
		assert_int_equal(strncmp(a + strlen("张三丰"), "       log ", 11), 0);
	}
	golden("timeline.txt", out);
	free(out);
	out = timeline("md", 0, &v);
	assert_non_null(strstr(out, "| 2026-11-20 01:00:00 | T+00:00:00 | alice |"));
	assert_non_null(strstr(out, "\nhead `cccc"));
	golden("timeline.md", out);
	free(out);
	assert_null(report_timeline_begin("xml", 0, &v, stdout));
	arena_release(&v.mem);
}

/* A filtered export says so under its title (text, Markdown) or in
 * "filter" (JSON): a part must not pass for the whole. What was typed is
 * escaped as any text. */
static void test_timeline_filtered(void **state)
{
	static const char *const formats[] = { "text", "md", "json", "csv" };
	struct view_incident v;
	(void)state;
	incident_live(&v, "hotline");
	for (size_t f = 0; f < 4; f++) {
		struct cap c;
		struct report_timeline *t = report_timeline_begin_filtered(formats[f], 0, &v, "refused",
									   "ddos\x1b[2J", cap_open(&c));
		char *out;
		assert_non_null(t);
		report_timeline_end(t, v.head);
		out = cap_close(&c);
		if (!strcmp(formats[f], "json")) {
			assert_non_null(strstr(out, "\"filter\":{\"kind\":\"refused\",\"search\":\"ddos\\u001B[2J\"}"));
		} else if (!strcmp(formats[f], "csv")) {
			assert_null(strstr(out, "Only the entries")); /* rows alone */
			assert_null(strstr(out, "ddos"));
		} else {
			assert_non_null(strstr(out, "Only the entries of kind 'refused'"));
			assert_non_null(strstr(out, "Only the entries containing 'ddos"));
			assert_null(strchr(out, '\x1b'));
		}
		free(out);
	}
	{
		/* unfiltered: nothing said */
		struct cap c;
		struct report_timeline *t = report_timeline_begin("text", 0, &v, cap_open(&c));
		char *out;
		report_timeline_end(t, v.head);
		out = cap_close(&c);
		assert_null(strstr(out, "Only the entries"));
		free(out);
	}
	arena_release(&v.mem);
}

static void test_timeline_csv(void **state)
{
	struct view_incident v;
	char *out;
	(void)state;
	incident_live(&v, "热线 DDoS");
	out = timeline("csv", 0, &v);
	/* sitrep 1's columns first, in their order: scripts read them */
	assert_int_equal(strncmp(out, "entry,occurred_at,recorded_at,t_plus_s,actor,role,kind,refused,rule,",
				 68), 0);
	/* RFC 4180: CRLF, quotes doubled, quoted when needed */
	assert_non_null(strstr(out, "\r\n1,2026-11-20T01:00:00Z,2026-11-20T01:00:02Z,0,alice,"));
	for (const char *p = strchr(out, '\n'); p; p = strchr(p + 1, '\n'))
		assert_int_equal(p[-1], '\r');
	/* formula neutralisation: = + - @ tab */
	assert_non_null(strstr(out, ",\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\","));
	assert_non_null(strstr(out, ",\"'-carol, holds no role\","));
	assert_non_null(strstr(out, ",'@bob\\x09says,"));
	assert_non_null(strstr(out, ",\"queue \"\"still\"\" rising, +2 min\","));
	/* no footer: the last line is the last row */
	assert_null(strstr(out, "head"));
	assert_int_equal(strncmp(out, "\xef\xbb\xbf", 3) == 0, 0);
	golden("timeline.csv", out);
	free(out);
	out = timeline("csv", REPORT_BOM, &v);
	assert_int_equal(strncmp(out, "\xef\xbb\xbf" "entry,", 9), 0);
	free(out);
	arena_release(&v.mem);
}

static void test_timeline_json(void **state)
{
	struct view_incident v;
	json_t *j, *rows, *r;
	char *out;
	(void)state;
	incident_live(&v, "热线 DDoS");
	out = timeline("json", 0, &v);
	j = parse(out);
	assert_int_equal(json_integer_value(json_object_get(j, "incident")), 7);
	assert_string_equal(jstr(j, "title"), "热线 DDoS");
	assert_string_equal(jstr(j, "head"), v.head);
	rows = json_object_get(j, "rows");
	assert_int_equal(json_array_size(rows), 7);
	r = json_array_get(rows, 1);
	assert_int_equal(json_integer_value(json_object_get(r, "corrected_by")), 6);
	assert_true(json_number_value(json_object_get(json_array_get(json_object_get(r, "readings"), 0),
						     "value")) == 9.5);
	assert_string_equal(jstr(json_array_get(json_object_get(r, "readings"), 1), "name"),
			    "complaints_pct");
	r = json_array_get(rows, 3);
	assert_true(json_is_null(json_object_get(r, "entry")));
	assert_string_equal(jstr(r, "kind"), "auto");
	r = json_array_get(rows, 4);
	assert_string_equal(jstr(r, "rule"), "roles");
	assert_true(json_is_true(json_object_get(r, "refused")));
	r = json_array_get(rows, 6);
	assert_true(json_is_true(json_object_get(r, "no_effect")));
	assert_int_equal(json_integer_value(json_object_get(r, "t_plus")), 26 * H + 3 * M);
	json_decref(j);
	golden("timeline.json", out);
	free(out);

	/* an empty stream is still one JSON document */
	{
		struct cap c;
		struct report_timeline *t = report_timeline_begin("json", 0, &v, cap_open(&c));
		report_timeline_end(t, NULL);
		out = cap_close(&c);
		j = parse(out);
		assert_int_equal(json_array_size(json_object_get(j, "rows")), 0);
		assert_true(json_is_null(json_object_get(j, "head")));
		json_decref(j);
		free(out);
	}
	arena_release(&v.mem);
}

/* Rows go out as they come: the stream's output grows with each row, and
 * many rows stream without trouble. */
static void test_timeline_streams(void **state)
{
	struct view_incident v;
	struct view_row rows[16];
	size_t n;
	static const char *const formats[] = { "text", "md", "csv", "json" };
	(void)state;
	incident_live(&v, "stream");
	timeline_rows(rows, &n);
	for (size_t f = 0; f < 4; f++) {
		struct cap c;
		struct report_timeline *t = report_timeline_begin(formats[f], 0, &v, cap_open(&c));
		size_t before;
		fflush(c.f);
		before = c.len;
		report_timeline_row(t, &rows[0]);
		fflush(c.f);
		assert_true(c.len > before);
		for (int i = 0; i < 20000; i++)
			report_timeline_row(t, &rows[(size_t)i % n]);
		report_timeline_end(t, v.head);
		free(cap_close(&c));
	}
	arena_release(&v.mem);
}

/* ------------------------------------------------------------------ */
/* status text, brief, notices, list, tasks */

static void test_status_text(void **state)
{
	struct view_incident v;
	struct cap c;
	char *out;
	(void)state;
	incident_live(&v, "热线 DDoS 中断");
	report_status_text(&v, cap_open(&c));
	out = cap_close(&c);
	assert_non_null(strstr(out, "LATE 00:01:00"));
	assert_non_null(strstr(out, "in 00:14:59"));
	assert_non_null(strstr(out, "role 值班经理 (nobody named)"));
	assert_non_null(strstr(out, "王工"));
	assert_non_null(strstr(out, "STALE"));
	assert_non_null(strstr(out, "age 00:40:00"));
	assert_non_null(strstr(out, "[x] safe"));
	assert_non_null(strstr(out, "[ ] stable_72h"));
	assert_non_null(strstr(out, "(held 01:00:00 of 3d)"));
	assert_non_null(strstr(out, "level I"));
	golden("status.txt", out);
	free(out);

	/* notices due soonest first, whatever the plan's order; a criterion
	 * not holding now says what it needs, not "held -" */
	v.notices[2].state = NOTICE_DUE;
	v.notices[2].due = T0 + H;
	v.termination[0].held = -1;
	report_status_text(&v, cap_open(&c));
	out = cap_close(&c);
	assert_non_null(strstr(out, "end_notice"));
	assert_true(strstr(out, "end_notice") < strstr(out, "level_notice"));
	assert_non_null(strstr(out, "stable_72h: 72 h with no anomaly (not holding now; needs 3d)"));
	assert_null(strstr(out, "held -"));
	free(out);
	v.notices[2].state = NOTICE_PENDING;
	v.notices[2].due = 0;
	v.termination[0].held = H;

	report_brief(&v, cap_open(&c));
	out = cap_close(&c);
	assert_non_null(strstr(out, "13800000000"));
	assert_non_null(strstr(out, "1. Situation"));
	assert_non_null(strstr(out, "7. Latest actions"));
	assert_non_null(strstr(out, "accept by alice: complaints +40%"));
	assert_non_null(strstr(out, "level_notice"));
	assert_non_null(strstr(out, "journal head cccc"));
	golden("brief.txt", out);
	free(out);
	arena_release(&v.mem);
}

/* The display column where `needle` starts on the line that holds it. */
static int column_of(const char *text, const char *line_has, const char *needle)
{
	const char *l = strstr(text, line_has), *start, *p;
	char pre[512];
	assert_non_null(l);
	start = l;
	while (start > text && start[-1] != '\n')
		start--;
	p = strstr(start, needle);
	assert_non_null(p);
	snprintf(pre, sizeof pre, "%.*s", (int)(p - start), start);
	return tx_width(pre);
}

static void test_tables_cjk(void **state)
{
	struct view_incident v;
	struct view_list l;
	struct view_summary s[3];
	struct view_tasks t;
	struct view_task k[3];
	struct cap c;
	char *out;
	(void)state;
	memset(&l, 0, sizeof(l));
	s[0] = (struct view_summary){ .id = 12, .title = "热线全国中断", .plan = "hotline-outage",
		.phase = PHASE_RESPONSE, .level = "I", .opened_at = T0 + H, .nopen = 3, .nlate = 1 };
	s[1] = (struct view_summary){ .id = 3, .title = "ascii title", .plan = "电力预案",
		.phase = PHASE_WARNING, .warning = "blue", .opened_at = T0, .nopen = 1, .drill = 1 };
	s[2] = (struct view_summary){ .id = 1, .title = "done", .plan = "crisis-generic",
		.phase = PHASE_TERMINATED, .opened_at = T0 - 3 * 86400 };
	l.v = s;
	l.n = 3;
	report_list(&l, cap_open(&c));
	out = cap_close(&c);
	assert_int_equal(column_of(out, "热线全国中断", "热线全国中断"),
			 column_of(out, "ascii title", "[DRILL]"));
	assert_int_equal(column_of(out, "热线全国中断", "hotline-outage"),
			 column_of(out, "ascii title", "电力预案"));
	assert_int_equal(column_of(out, "done", "done"), column_of(out, "热线全国中断", "热线全国中断"));
	assert_non_null(strstr(out, "3 open, 1 late"));
	golden("list.txt", out);
	free(out);

	incident_live(&v, "x");
	memset(&t, 0, sizeof(t));
	k[0] = (struct view_task){ 7, "热线", v.deadlines[0] };
	k[1] = (struct view_task){ 7, "热线", v.deadlines[1] };
	k[2] = (struct view_task){ 12, "other", v.deadlines[2] };
	k[1].d.title = "一个非常非常非常非常长的中文标题会被截断而不是换行";
	t.v = k;
	t.n = 3;
	report_tasks(&t, 0, cap_open(&c));
	out = cap_close(&c);
	assert_non_null(strstr(out, "role 值班经理 (nobody named)"));
	assert_non_null(strstr(out, "OVERDUE"));
	assert_non_null(strstr(out, "…"));
	assert_int_equal(column_of(out, "verify_report", "role 值班经理"), column_of(out, "t1", "carol"));
	assert_int_equal(column_of(out, "tech_report", "王工"), column_of(out, "t1", "carol"));
	assert_int_equal(column_of(out, "WHO", "WHO"), column_of(out, "t1", "carol"));
	golden("tasks.txt", out);
	free(out);
	report_tasks(&t, 1, cap_open(&c));
	out = cap_close(&c);
	{
		json_t *j = parse(out), *e;
		static const char *const keys[] = { "incident", "id", "kind", "title", "owner", "person",
						    "due", "overdue", NULL };
		assert_int_equal(json_array_size(j), 3);
		for (size_t i = 0; i < 3; i++)
			assert_keys(json_array_get(j, i), keys);
		e = json_array_get(j, 0);
		assert_int_equal(json_integer_value(json_object_get(e, "incident")), 7);
		assert_jnull(e, "person");
		assert_string_equal(jstr(e, "owner"), "duty_manager");
		assert_string_equal(jstr(json_array_get(j, 2), "kind"), "task");
		json_decref(j);
	}
	free(out);

	report_notices(&v, 0, cap_open(&c));
	out = cap_close(&c);
	assert_int_equal(column_of(out, "warn_notice", "蓝色预警通知"),
			 column_of(out, "level_notice", "启动响应通知"));
	assert_non_null(strstr(out, "in 00:10:00"));
	assert_non_null(strstr(out, "    已启动二级响应。\n    请就位。\n"));
	golden("notices.txt", out);
	free(out);
	report_notices(&v, 1, cap_open(&c));
	out = cap_close(&c);
	{
		json_t *j = parse(out), *e;
		static const char *const keys[] = { "id", "title", "state", "due", "to", "channel", "text",
						    NULL };
		assert_int_equal(json_array_size(j), 2);
		for (size_t i = 0; i < 2; i++)
			assert_keys(json_array_get(j, i), keys);
		e = json_array_get(j, 1);
		assert_string_equal(jstr(e, "text"), "已启动二级响应。\n请就位。");
		assert_string_equal(jstr(e, "channel"), "sms");
		json_decref(j);
	}
	free(out);
	arena_release(&v.mem);
}

/* ------------------------------------------------------------------ */
/* the review */

static void review_of(struct view_review *r, struct view_incident *v)
{
	struct arena *a = &r->mem;
	memset(r, 0, sizeof(*r));
	incident_live(v, "热线 DDoS 中断");
	v->phase = PHASE_TERMINATED;
	v->level.id = NULL;
	v->level.index = -1;
	v->terminated_at = T0 + 4 * H;
	v->at = T0 + 5 * H;
	v->nproposals = 0;
	r->inc = v;
	r->fig = (struct view_figures){ .to_ack = 5 * M, .to_first_level = 42 * M,
		.to_mitigation = 2 * H + 30 * M, .mitigation_how = "first downgrade",
		.to_termination = 4 * H, .peak_level = 1, .escalations = 2, .downgrades = 1,
		.refusals = 1, .corrections = 1, .kept = 4, .late = 1, .missed = 2, .open = 0 };
	r->fig.in_warning[0] = 12 * M;
	r->fig.in_level[0] = 13 * M + 90 * M;
	r->fig.in_level[1] = 95 * M;

	r->nsegments = 5;
	r->segments = NEW(a, 5, struct view_segment);
	r->segments[0] = (struct view_segment){ T0, T0 + 30 * M, PHASE_MONITORING, -1, -1 };
	r->segments[1] = (struct view_segment){ T0 + 30 * M, T0 + 42 * M, PHASE_WARNING, -1, 0 };
	r->segments[2] = (struct view_segment){ T0 + 42 * M, T0 + 55 * M, PHASE_RESPONSE, 0, -1 };
	r->segments[3] = (struct view_segment){ T0 + 55 * M, T0 + 150 * M, PHASE_RESPONSE, 1, -1 };
	r->segments[4] = (struct view_segment){ T0 + 150 * M, T0 + 4 * H, PHASE_RESPONSE, 0, -1 };

	r->nchanges = 3;
	r->changes = NEW(a, 3, struct view_change);
	r->changes[0] = (struct view_change){ T0 + 42 * M, "escalate", NULL, "III", "alice",
		"commander", "queue still rising", NULL, -1 };
	r->changes[1] = (struct view_change){ T0 + 55 * M, "accept", "III", "II", "alice",
		"commander", "complaints +40%", "complaints_30", 5 * M };
	r->changes[2] = (struct view_change){ T0 + 150 * M, "downgrade", "II", "III", "bob",
		"commander", "recovered ahead of plan", NULL, -1 };

	r->ncompliance = 3;
	r->compliance = NEW(a, 3, struct view_compliance);
	r->compliance[0] = (struct view_compliance){ "verify_report", "核实报告", OBLK_OBLIGATION,
		1, 0, 0, 0, 0, 0 };
	r->compliance[1] = (struct view_compliance){ "tech_report", "技术组报告", OBLK_OBLIGATION,
		3, 1, 1, 0, 1, 0 };
	r->compliance[2] = (struct view_compliance){ "report_up", "向上级报告", OBLK_OBLIGATION,
		0, 0, 1, 0, 0, 0 };

	r->ninstances = 4;
	r->instances = NEW(a, 4, struct view_instance);
	r->instances[0] = (struct view_instance){ "verify_report", "核实报告", "duty_manager", NULL,
		1, T0 + 5 * M, T0 + 4 * M, "alice", OUT_KEPT, 0 };
	r->instances[1] = (struct view_instance){ "tech_report", "技术组报告", "tech_lead", "bob", 1,
		T0 + 72 * M, T0 + 80 * M, "bob", OUT_LATE, 0 };
	r->instances[2] = (struct view_instance){ "tech_report", "技术组报告", "tech_lead", "bob", 2,
		T0 + 110 * M, 0, NULL, OUT_MISSED, 0 };
	r->instances[3] = (struct view_instance){ "report_up", "向上级报告", "commander", NULL, 1,
		T0 + 102 * M, T0 + 4 * H, NULL, OUT_MISSED, 1 };

	r->nrefusals = 1;
	r->refusals = NEW(a, 1, struct view_row);
	r->refusals[0] = (struct view_row){ .entry = 4, .occurred_at = T0 + 40 * M,
		.recorded_at = T0 + 40 * M, .actor = "carol", .role = "comms", .kind = "refused",
		.summary = "escalate refused", .text = "carol holds no role that may escalate",
		.refused = 1, .rule = "roles" };

	r->nnotes = 3;
	r->notes = NEW(a, 3, struct view_note);
	r->notes[0] = (struct view_note){ SECTION_SPEED, "alice", T0 + 5 * H, "核实在 4 分钟内完成" };
	r->notes[1] = (struct view_note){ SECTION_RISK, "bob", T0 + 5 * H, "vendor DNS is a single point" };
	r->notes[2] = (struct view_note){ -1, "carol", T0 + 5 * H, "an old section" };

	r->nfollowups = 2;
	r->followups = NEW(a, 2, struct view_deadline);
	r->followups[0] = (struct view_deadline){ .id = "t2", .title = "补充 DNS 冗余",
		.kind = OBLK_FOLLOWUP, .person = "bob", .person_name = "王工", .due = T0 + 4 * 86400,
		.overdue = 0, .outcome = OUT_OPEN };
	r->followups[1] = (struct view_deadline){ .id = "t3", .title = "update the contact list",
		.kind = OBLK_FOLLOWUP, .person = "carol", .person_name = "carol", .due = T0 + 6 * H,
		.outcome = OUT_KEPT, .closed_at = T0 + 5 * H, .closed_by = "carol" };

	r->nsent = 2;
	r->sent = NEW(a, 2, struct view_sent);
	r->sent[0] = (struct view_sent){ "warn_notice", "蓝色预警通知", T0 + 40 * M, T0 + 35 * M,
		"alice", "sms", OUT_KEPT, 0 };
	r->sent[1] = (struct view_sent){ "level_notice", "启动响应通知", T0 + 57 * M, T0 + 70 * M,
		"carol", "by hand", OUT_LATE, 2 };

	r->nactivity = 3;
	r->activity = NEW(a, 3, struct view_name);
	r->activity[0] = (struct view_name){ "alice", "6 actions" };
	r->activity[1] = (struct view_name){ "bob", "4 actions" };
	r->activity[2] = (struct view_name){ "carol", "3 actions" };
}

static void review_release(struct view_review *r)
{
	arena_release(&r->inc->mem);
	arena_release(&r->mem);
}

static void test_review_json(void **state)
{
	struct view_review r;
	struct view_incident v;
	struct cap c;
	json_t *j, *a, *e;
	char *out;
	static const char *const keys[] = { "obligations", "figures", "changes", "instances",
		"refusals", "notices", "followups", "resources", "responders", NULL };
	(void)state;
	review_of(&r, &v);
	assert_int_equal(report_review(&r, "json", cap_open(&c), NULL), 0);
	out = cap_close(&c);
	j = parse(out);
	assert_keys(j, keys);
	a = json_object_get(j, "obligations");
	assert_int_equal(json_array_size(a), 3);
	e = json_array_get(a, 1);
	assert_string_equal(jstr(e, "id"), "tech_report");
	assert_int_equal(json_integer_value(json_object_get(e, "kept")), 3);
	assert_int_equal(json_integer_value(json_object_get(e, "late")), 1);
	assert_int_equal(json_integer_value(json_object_get(e, "missed")), 1);
	e = json_object_get(j, "figures");
	assert_int_equal(json_integer_value(json_object_get(e, "to_ack")), 5 * M);
	assert_int_equal(json_integer_value(json_object_get(e, "escalations")), 2);
	assert_string_equal(jstr(e, "peak_level"), "II");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(e, "in_level"), "II")),
			 95 * M);
	e = json_array_get(json_object_get(j, "changes"), 1);
	assert_string_equal(jstr(e, "answered"), "complaints_30");
	assert_int_equal(json_integer_value(json_object_get(e, "answered_after")), 5 * M);
	assert_string_equal(jstr(e, "direction"), "escalation");
	e = json_array_get(json_object_get(j, "notices"), 1);
	assert_string_equal(jstr(e, "outcome"), "late");
	assert_string_equal(jstr(e, "channel"), "by hand");
	json_decref(j);
	golden("review.json", out);
	free(out);
	assert_int_equal(report_review(&r, "pdf", stdout, NULL), -1);

	/* n/a figures are null */
	r.fig.to_termination = -1;
	report_review(&r, "json", cap_open(&c), NULL);
	out = cap_close(&c);
	j = parse(out);
	assert_true(json_is_null(json_object_get(json_object_get(j, "figures"), "to_termination")));
	json_decref(j);
	free(out);
	review_release(&r);
}

static void test_review_md_html(void **state)
{
	struct view_review r;
	struct view_incident v;
	struct cap c, s;
	struct strbuf name = STRBUF_INIT;
	char *out, *svg;
	(void)state;
	review_of(&r, &v);
	sb_init(&name);
	report_svg_name(7, &name);
	assert_string_equal(name.buf, "incident-7-levels.svg");

	/* Markdown with the SVG beside it: linked, and the text chart too */
	assert_int_equal(report_review(&r, "md", cap_open(&c), cap_open(&s)), 0);
	out = cap_close(&c);
	svg = cap_close(&s);
	assert_non_null(strstr(out, "![Level over time](incident-7-levels.svg)"));
	assert_int_equal(strncmp(svg, "<svg ", 5), 0);
	assert_non_null(strstr(svg, "</svg>\n"));
	assert_non_null(strstr(out, "## Obligations"));
	assert_non_null(strstr(out, "| tech_report | 技术组报告 | 3 | 1 | 1 | 0 | 1 | 0 |"));
	assert_non_null(strstr(out, "late by 00:08:00"));
	assert_non_null(strstr(out, "## Communications"));
	assert_non_null(strstr(out, "| level_notice | 启动响应通知 |"));
	assert_non_null(strstr(out, "2 failed attempts"));
	assert_non_null(strstr(out, "complaints_30 (proposed 00:05:00 before)"));
	assert_non_null(strstr(out, "### 1. Response speed (speed)"));
	assert_non_null(strstr(out, "### 6. Risk of future related incidents (risk)"));
	assert_non_null(strstr(out, "核实在 4 分钟内完成"));
	assert_non_null(strstr(out, "### Other notes"));
	assert_non_null(strstr(out, "## Follow-ups"));
	assert_non_null(strstr(out, "## Resources"));
	assert_non_null(strstr(out, "## Responders"));
	assert_non_null(strstr(out, "time to mitigation | 02:30:00 (first downgrade)"));
	golden("review.md", out);
	golden("review.svg", svg);
	free(out);
	free(svg);

	/* Markdown to stdout (no SVG file): no dangling link, the text chart */
	assert_int_equal(report_review(&r, "md", cap_open(&c), NULL), 0);
	out = cap_close(&c);
	assert_null(strstr(out, "!["));
	assert_null(strstr(out, ".svg"));
	assert_non_null(strstr(out, "```\nI       |"));
	free(out);

	/* HTML: self-contained, the SVG inline, no literal \n anywhere */
	assert_int_equal(report_review(&r, "html", cap_open(&c), NULL), 0);
	out = cap_close(&c);
	assert_int_equal(strncmp(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">", 35), 0);
	assert_non_null(strstr(out, "<svg xmlns="));
	assert_non_null(strstr(out, "<pre>I       |"));
	assert_null(strstr(out, "\\n"));
	assert_null(strstr(out, "<script"));
	assert_null(strstr(out, "src="));
	assert_null(strstr(out, "href="));
	assert_non_null(strstr(out, "</body>\n</html>\n"));
	golden("review.html", out);
	free(out);
	sb_release(&name);
	review_release(&r);
}

static void test_review_html_escapes(void **state)
{
	struct view_review r;
	struct view_incident v;
	struct cap c;
	char *out;
	(void)state;
	review_of(&r, &v);
	v.title = "<script>alert('x')</script> & \"co\"";
	r.notes[0].text = "**bold** | [link](x) `code`";
	report_review(&r, "html", cap_open(&c), NULL);
	out = cap_close(&c);
	assert_null(strstr(out, "<script>"));
	assert_non_null(strstr(out, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"));
	free(out);
	report_review(&r, "md", cap_open(&c), NULL);
	out = cap_close(&c);
	assert_non_null(strstr(out, "\\*\\*bold\\*\\* \\| \\[link\\](x) \\`code\\`"));
	free(out);
	review_release(&r);
}

static void test_review_text(void **state)
{
	struct view_review r;
	struct view_incident v;
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	review_of(&r, &v);
	sb_init(&sb);
	report_review_text(&r, 60, &sb);
	assert_non_null(strstr(sb.buf, "time to acknowledge"));
	assert_non_null(strstr(sb.buf, "00:05:00"));
	assert_non_null(strstr(sb.buf, "补充 DNS 冗余"));
	assert_non_null(strstr(sb.buf, "核实在 4 分钟内完成"));
	assert_null(strstr(sb.buf, "\\n"));
	/* the chart fits the width */
	for (const char *p = sb.buf; *p;) {
		const char *nl = strchr(p, '\n');
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)(nl ? nl - p : (long)strlen(p)), p);
		if (strchr(line, '|') && (line[0] == 'I' || !strncmp(line, "warning", 7)))
			assert_true(tx_width(line) <= 60);
		p = nl ? nl + 1 : p + strlen(p);
	}
	golden("review-text.txt", sb.buf);
	sb_release(&sb);
	review_release(&r);
}

/* ------------------------------------------------------------------ */
/* statistics */

static void test_stats(void **state)
{
	struct view_review r1, r2, r3;
	struct view_incident v1, v2, v3;
	struct report_stats_row rows[3];
	struct cap c;
	char *out;
	(void)state;
	review_of(&r1, &v1);
	review_of(&r2, &v2);
	review_of(&r3, &v3);
	v2.id = 8;
	r2.fig.to_ack = 15 * M;
	r2.fig.to_termination = -1;
	r2.fig.peak_level = 2;
	v3.id = 9;
	v3.drill = 1;
	v3.title = "演练: 热线中断";
	r3.participants = "alice, bob";
	rows[0].r = &r2;
	rows[1].r = &r3;
	rows[2].r = &r1;
	report_stats(rows, 3, 0, cap_open(&c));
	out = cap_close(&c);
	assert_non_null(strstr(out, "plan hotline-outage: 客服热线中断应急预案  (2 incidents)"));
	/* to_ack: 5 and 15 minutes: mean = median = 10 */
	assert_non_null(strstr(out, "time to acknowledge                      2  00:10:00     00:10:00"));
	/* to_termination: one n/a left out */
	assert_non_null(strstr(out, "time to termination                      1  04:00:00     04:00:00"));
	assert_non_null(strstr(out, "II x1, I x1"));
	assert_null(strstr(out, "演练"));
	golden("stats.txt", out);
	free(out);

	report_stats(rows, 3, 1, cap_open(&c));
	out = cap_close(&c);
	assert_non_null(strstr(out, "incident 9 (drill, hotline-outage): 演练: 热线中断"));
	assert_non_null(strstr(out, "participants   alice, bob"));
	assert_non_null(strstr(out, "escalation none → III by alice: queue still rising"));
	assert_non_null(strstr(out, "refused at T+00:40:00: carol (rule roles)"));
	assert_non_null(strstr(out, "deadline tech_report #1 due T+01:12:00: late by 00:08:00"));
	assert_non_null(strstr(out, "review note [speed] by alice"));
	assert_non_null(strstr(out, "[ ] t2 补充 DNS 冗余 (王工, open)"));
	golden("stats-drills.txt", out);
	free(out);

	report_stats(rows, 0, 0, cap_open(&c));
	out = cap_close(&c);
	assert_non_null(strstr(out, "no incidents"));
	free(out);
	review_release(&r1);
	review_release(&r2);
	review_release(&r3);
}

/* ------------------------------------------------------------------ */
/* nothing known: every renderer copes with zeroed views */

static void test_empty_views(void **state)
{
	struct view_incident v;
	struct view_review r;
	struct view_list l;
	struct view_tasks t;
	struct view_row row;
	struct report_stats_row sr;
	struct strbuf sb = STRBUF_INIT;
	static const char *const formats[] = { "text", "md", "csv", "json" };
	static const char *const rf[] = { "md", "html", "json" };
	struct cap c;
	char *out;
	(void)state;
	memset(&v, 0, sizeof(v));
	memset(&r, 0, sizeof(r));
	memset(&l, 0, sizeof(l));
	memset(&t, 0, sizeof(t));
	memset(&row, 0, sizeof(row));
	v.level.index = v.peak.index = -1;
	r.inc = &v;
	r.fig.to_ack = r.fig.to_first_level = r.fig.to_mitigation = r.fig.to_termination = -1;
	r.fig.peak_level = -1;

	report_status_text(&v, cap_open(&c));
	free(cap_close(&c));
	report_status_json(&v, cap_open(&c));
	out = cap_close(&c);
	json_decref(parse(out));
	free(out);
	report_brief(&v, cap_open(&c));
	free(cap_close(&c));
	for (int json = 0; json < 2; json++) {
		report_notices(&v, json, cap_open(&c));
		out = cap_close(&c);
		if (json)
			json_decref(parse(out));
		free(out);
		report_tasks(&t, json, cap_open(&c));
		out = cap_close(&c);
		if (json)
			json_decref(parse(out));
		free(out);
	}
	report_list(&l, cap_open(&c));
	free(cap_close(&c));
	for (size_t f = 0; f < 4; f++) {
		struct report_timeline *tl = report_timeline_begin(formats[f], REPORT_BOM, &v,
								   cap_open(&c));
		report_timeline_row(tl, &row);
		report_timeline_end(tl, NULL);
		out = cap_close(&c);
		if (f == 3)
			json_decref(parse(out));
		free(out);
	}
	for (size_t f = 0; f < 3; f++) {
		assert_int_equal(report_review(&r, rf[f], cap_open(&c), NULL), 0);
		out = cap_close(&c);
		if (f == 2)
			json_decref(parse(out));
		free(out);
	}
	sb_init(&sb);
	report_review_text(&r, 0, &sb);
	sb_release(&sb);
	sr.r = &r;
	report_stats(&sr, 1, 0, cap_open(&c));
	free(cap_close(&c));
	v.drill = 1;
	report_stats(&sr, 1, 1, cap_open(&c));
	free(cap_close(&c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_json_contract),
		cmocka_unit_test(test_status_json_nulls),
		cmocka_unit_test(test_escaping_everywhere),
		cmocka_unit_test(test_timeline_text),
		cmocka_unit_test(test_timeline_filtered),
		cmocka_unit_test(test_timeline_csv),
		cmocka_unit_test(test_timeline_json),
		cmocka_unit_test(test_timeline_streams),
		cmocka_unit_test(test_status_text),
		cmocka_unit_test(test_tables_cjk),
		cmocka_unit_test(test_review_json),
		cmocka_unit_test(test_review_md_html),
		cmocka_unit_test(test_review_html_escapes),
		cmocka_unit_test(test_review_text),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_empty_views),
	};
	/* fixed surroundings: UTC local times, UTF-8 widths, English words */
	setenv("TZ", "UTC", 1);
	tzset();
	unsetenv("LANGUAGE");
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "C.utf8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
