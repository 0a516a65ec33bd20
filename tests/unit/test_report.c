/* Units for report.c: figures, timelines (text, md, csv, json), the review
 * (md, html with SVG), the text chart, the briefing and the statistics, over
 * a hand-made incident. Golden files live in tests/golden/; regenerate them
 * with SITREP_UPDATE_GOLDEN=1 after a deliberate change, and read the diff. */
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

#include "sitrep/json.h"
#include "sitrep/report.h"

#define T0 1767225600 /* 2026-01-01T00:00:00Z */
#define M 60
#define H 3600

/* ------------------------------------------------------------------ */
/* a small plan, built by hand so that these tests depend on report.c only */

static struct plan_metric metrics[] = {
	{ .id = "queue_min", .name = "average queue time", .unit = "min", .normal = 2, .has_normal = 1 },
	{ .id = "complaints_pct", .name = "complaints vs daily average", .unit = "%", .normal = 100,
	  .has_normal = 1 },
};
static char *cond_iii[] = { "single node down" };
static struct plan_level levels[] = {
	{ .id = "III", .name = "Level III (minor)", .colour = "yellow", .conditions = cond_iii,
	  .nconditions = 1 },
	{ .id = "II", .name = "Level II (major)", .colour = "orange" },
	{ .id = "I", .name = "Level I (特别重大)", .colour = "red" },
};
static struct plan_warning warnings[] = {
	{ .id = "blue", .name = "Blue warning", .max_duration = 4 * H },
	{ .id = "yellow", .name = "Yellow warning", .max_duration = 4 * H },
};
static struct plan_trigger triggers[] = {
	{ .id = "queue_long", .title = "queue above 8 min for 30 min",
	  .cond = { .metric = 0, .op = CMP_GT, .value = 8 }, .for_secs = 30 * M,
	  .raise_warning = 0, .propose_level = -1 },
	{ .id = "complaints_30", .title = "complaints above +30%",
	  .cond = { .metric = 1, .op = CMP_GT, .value = 130 }, .raise_warning = -1,
	  .propose_level = 1 },
};
static struct plan_criterion criteria[] = {
	{ .id = "safe", .title = "technical assessment confirms the system safe", .kind = CRIT_ATTEST,
	  .role = -1 },
	{ .id = "withdrawn", .title = "emergency resources withdrawn", .kind = CRIT_ATTEST, .role = -1 },
};
static int termination[] = { 0, 1 };
static struct plan_obligation obligations[] = {
	{ .id = "hq_meeting", .title = "first HQ meeting", .owner = 0, .within = 30 * M,
	  .anchor = { ANCHOR_RESPONSE, -1 } },
	{ .id = "report_up", .title = "report upward (major fault)", .owner = 0, .within = H,
	  .anchor = { ANCHOR_RESPONSE, -1 } },
	{ .id = "progress", .title = "progress update", .owner = 1, .is_cadence = 1,
	  .anchor = { ANCHOR_RESPONSE, -1 }, .every = 30 * M },
};
static struct plan_role roles[] = {
	{ .id = "commander", .name = "Incident commander", .actions = 0xffff },
	{ .id = "duty_manager", .name = "Duty manager", .actions = 0xffff },
};
static struct plan_resource resources[] = {
	{ .item = "emergency power vehicle", .count = 2, .location = "east store",
	  .owner = "logistics", .renewal = "yearly" },
};
static struct plan plan;

static void plan_setup(void)
{
	memset(&plan, 0, sizeof(plan));
	plan.id = "test-plan";
	plan.title = "Test hotline plan";
	plan.original_title = "客服热线中断应急预案";
	memset(plan.hash, 'a', 64);
	plan.metrics = metrics; plan.nmetrics = 2;
	plan.levels = levels; plan.nlevels = 3;
	plan.warnings = warnings; plan.nwarnings = 2;
	plan.triggers = triggers; plan.ntriggers = 2;
	plan.criteria = criteria; plan.ncriteria = 2;
	plan.termination = termination; plan.ntermination = 2;
	plan.obligations = obligations; plan.nobligations = 3;
	plan.roles = roles; plan.nroles = 2;
	plan.resources = resources; plan.nresources = 1;
	plan.matrix.default_level = -1;
}

/* ------------------------------------------------------------------ */
/* the incident */

static struct engine_metric_state st_metrics[2];
static struct engine_trigger_state st_triggers[2];
static struct engine_criterion_state st_criteria[2];
static struct engine_obligation st_obls[5];
static struct engine_state final;

static struct engine_effect eff(enum engine_effect_kind k, int64_t at, int ref, int from,
				int trigger, const char *text)
{
	struct engine_effect e;
	memset(&e, 0, sizeof(e));
	e.kind = k;
	e.at = at;
	e.ref = ref;
	e.from = from;
	e.trigger = trigger;
	snprintf(e.text, sizeof(e.text), "%s", text);
	return e;
}

static int64_t next_entry;

static void add(struct report_input *in, int derived, int64_t t, const char *actor,
		const char *role, const char *kind, const char *summary, const char *payload,
		const char *text, const char *rule, enum engine_phase ph, int level, int warning,
		const struct engine_effect *effects, size_t neffects)
{
	struct report_item it;
	memset(&it, 0, sizeof(it));
	it.entry_id = derived ? 0 : ++next_entry;
	it.occurred_at = t;
	it.recorded_at = derived ? 0 : t + 2;
	it.actor = (char *)actor;
	it.role = (char *)role;
	it.kind = (char *)kind;
	it.summary = (char *)summary;
	it.payload = (char *)payload;
	it.text = (char *)text;
	it.refused = rule != NULL;
	it.rule = (char *)rule;
	it.phase = ph;
	it.level = level;
	it.warning = warning;
	it.effects = (struct engine_effect *)effects;
	it.neffects = neffects;
	report_input_add(in, &it);
}

static void obl(int i, int plan_index, int seq, int64_t due, enum engine_obl_status s,
		int64_t closed, const char *by)
{
	memset(&st_obls[i], 0, sizeof(st_obls[i]));
	st_obls[i].plan_index = plan_index;
	st_obls[i].seq = seq;
	st_obls[i].started = T0 + 42 * M;
	st_obls[i].due = due;
	st_obls[i].status = s;
	st_obls[i].closed_at = closed;
	snprintf(st_obls[i].closed_by, sizeof(st_obls[i].closed_by), "%s", by);
	st_obls[i].warning = -1;
}

/* A DDoS on the hotline: blue warning, level III, proposal -> II, mitigation,
 * downgrade, termination; a refusal, review notes, an export. */
static void build(struct report_input *in, int drill)
{
	struct engine_effect e[4];
	plan_setup();
	next_entry = 0;
	report_input_init(in);
	in->id = 7;
	in->title = strdup("热线 DDoS, \"queue\" | spike");
	in->plan = &plan;
	in->plan_hash = strdup("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	in->drill = drill;
	in->at = T0 + 6 * H;
	memset(in->head, 'c', 64);

	e[0] = eff(EFF_OPENED, T0, 0, 0, -1, "incident opened");
	add(in, 0, T0, "alice", "duty_manager", "open", "opened: 热线 DDoS", "{\"title\":\"热线 DDoS\"}",
	    "热线 DDoS", NULL, PHASE_MONITORING, -1, -1, e, 1);
	add(in, 0, T0 + 1 * M, "monitor", "duty_manager", "metric", "queue_min=9",
	    "{\"readings\":{\"queue_min\":9}}", NULL, NULL, PHASE_MONITORING, -1, -1, NULL, 0);
	add(in, 0, T0 + 5 * M, "alice", "duty_manager", "log", "verified\\x07: queue rising",
	    "{}", "verified\a: queue rising", NULL, PHASE_MONITORING, -1, -1, NULL, 0);
	e[0] = eff(EFF_TRIGGER_FIRED, T0 + 31 * M, 0, 0, 0, "trigger queue_long fired");
	e[1] = eff(EFF_WARNING_RAISED, T0 + 31 * M, 0, -1, 0, "blue warning raised by queue_long");
	add(in, 1, T0 + 31 * M, "", "", "auto", "blue warning raised by queue_long", "{}", NULL,
	    NULL, PHASE_WARNING, -1, 0, e, 2);
	add(in, 0, T0 + 40 * M, "carol", "", "refused", "escalate refused: carol holds no role that may escalate",
	    "{\"action\":\"escalate\",\"message\":\"carol holds no role that may escalate\"}",
	    "too slow, \"really\"", "roles", PHASE_WARNING, -1, 0, NULL, 0);
	/* the warning ends because the response starts: no mitigation */
	e[0] = eff(EFF_WARNING_LIFTED, T0 + 42 * M, 0, 0, -1, "blue warning ends: response level III");
	e[1] = eff(EFF_LEVEL, T0 + 42 * M, 0, -1, -1, "level III");
	add(in, 0, T0 + 42 * M, "alice", "commander", "escalate", "escalated to III",
	    "{\"to\":\"III\"}", "queue | growing *fast* <b>", NULL, PHASE_RESPONSE, 0, -1, e, 2);
	e[0] = eff(EFF_TRIGGER_FIRED, T0 + 50 * M, 1, 0, 1, "trigger complaints_30 fired");
	e[1] = eff(EFF_PROPOSAL, T0 + 50 * M, 1, 0, 1, "level II proposed by complaints_30");
	add(in, 0, T0 + 50 * M, "monitor", "duty_manager", "metric", "complaints_pct=140",
	    "{\"readings\":{\"complaints_pct\":140}}", NULL, NULL, PHASE_RESPONSE, 0, -1, e, 2);
	e[0] = eff(EFF_LEVEL, T0 + 55 * M, 1, 0, -1, "level II");
	e[1] = eff(EFF_PROPOSAL_WITHDRAWN, T0 + 55 * M, 1, 0, 1, "proposal II answered");
	add(in, 0, T0 + 55 * M, "alice", "commander", "escalate", "escalated to II",
	    "{\"to\":\"II\"}", "accepting proposal complaints_30", NULL, PHASE_RESPONSE, 1, -1, e, 2);
	e[0] = eff(EFF_COMMANDER, T0 + 70 * M, 0, 0, -1, "bob");
	add(in, 0, T0 + 70 * M, "alice", "commander", "handover", "command handed to bob",
	    "{\"to\":\"bob\"}", "shift change", NULL, PHASE_RESPONSE, 1, -1, e, 1);
	e[0] = eff(EFF_TRIGGER_CLEARED, T0 + 2 * H, 0, 0, 0, "trigger queue_long cleared");
	e[1] = eff(EFF_TRIGGER_CLEARED, T0 + 2 * H, 1, 0, 1, "trigger complaints_30 cleared");
	add(in, 0, T0 + 2 * H, "monitor", "duty_manager", "metric", "queue_min=3 complaints_pct=80",
	    "{\"readings\":{\"queue_min\":3,\"complaints_pct\":80}}", NULL, NULL, PHASE_RESPONSE, 1,
	    -1, e, 2);
	e[0] = eff(EFF_LEVEL, T0 + 150 * M, 0, 1, -1, "level III");
	add(in, 0, T0 + 150 * M, "bob", "commander", "downgrade", "downgraded to III",
	    "{\"to\":\"III\"}", "recovered ahead of plan", NULL, PHASE_RESPONSE, 0, -1, e, 1);
	e[0] = eff(EFF_ATTESTED, T0 + 3 * H, 0, 0, -1, "safe attested");
	add(in, 0, T0 + 3 * H, "bob", "commander", "attest", "attested safe", "{\"criterion\":\"safe\"}",
	    NULL, NULL, PHASE_RESPONSE, 0, -1, e, 1);
	e[0] = eff(EFF_ATTESTED, T0 + 3 * H + 10 * M, 1, 0, -1, "withdrawn attested");
	add(in, 0, T0 + 3 * H + 10 * M, "bob", "commander", "attest", "attested withdrawn",
	    "{\"criterion\":\"withdrawn\"}", NULL, NULL, PHASE_RESPONSE, 0, -1, e, 1);
	e[0] = eff(EFF_TERMINATED, T0 + 4 * H, 0, 0, -1, "terminated");
	e[1] = eff(EFF_OBLIGATION_CANCELLED, T0 + 4 * H, 4, 0, -1, "progress cancelled");
	add(in, 0, T0 + 4 * H, "bob", "commander", "terminate", "terminated",
	    "{}", "all five criteria hold", NULL, PHASE_TERMINATED, 0, -1, e, 2);
	add(in, 0, T0 + 5 * H, "bob", "commander", "note-review", "review note (speed)",
	    "{\"section\":\"speed\"}", "响应及时 <ok>; level II came 5 min after the proposal", NULL,
	    PHASE_TERMINATED, 0, -1, NULL, 0);
	add(in, 0, T0 + 5 * H + M, "carol", "", "note-review", "review note (risk)",
	    "{\"section\":\"risk\"}", "DDoS may recur: scrubbing contract ends in March", NULL,
	    PHASE_TERMINATED, 0, -1, NULL, 0);
	add(in, 0, T0 + 5 * H + 2 * M, "carol", "", "note-review", "review note (misc)",
	    "{\"section\":\"misc\"}", "coffee ran out", NULL, PHASE_TERMINATED, 0, -1, NULL, 0);
	add(in, 0, T0 + 5 * H + 3 * M, "alice", "", "export", "exported timeline csv",
	    "{\"format\":\"csv\",\"head\":\"cc\"}", NULL, NULL, PHASE_TERMINATED, 0, -1, NULL, 0);

	memset(&final, 0, sizeof(final));
	final.phase = PHASE_TERMINATED;
	final.opened = 1;
	final.drill = drill;
	final.level = 0;
	final.warning = -1;
	final.peak_level = 1;
	final.now = in->at;
	final.opened_at = T0;
	final.level_since = T0 + 150 * M;
	final.response_since = T0 + 42 * M;
	final.terminated_at = T0 + 4 * H;
	snprintf(final.commander, sizeof(final.commander), "bob");
	memset(st_metrics, 0, sizeof(st_metrics));
	st_metrics[0] = (struct engine_metric_state){ 1, 3, T0 + 2 * H, 2 };
	st_metrics[1] = (struct engine_metric_state){ 1, 80, T0 + 2 * H, 2 };
	final.nmetrics = 2; final.metrics = st_metrics;
	memset(st_triggers, 0, sizeof(st_triggers));
	st_triggers[0].since = st_triggers[1].since = -1;
	final.ntriggers = 2; final.triggers = st_triggers;
	memset(st_criteria, 0, sizeof(st_criteria));
	st_criteria[0].attested = st_criteria[1].attested = 1;
	final.ncriteria = 2; final.criteria = st_criteria;
	/* hq_meeting on time; report_up late by 10m; progress #1 missed (open past due
	 * would be at the end: cancelled while overdue), #2 done, #3 cancelled before due */
	obl(0, 0, 1, T0 + 72 * M, OBL_DONE, T0 + 60 * M, "bob");
	obl(1, 1, 1, T0 + 102 * M, OBL_DONE, T0 + 112 * M, "alice");
	obl(2, 2, 1, T0 + 72 * M, OBL_DONE, T0 + 70 * M, "alice");
	obl(3, 2, 2, T0 + 102 * M, OBL_CANCELLED, T0 + 4 * H, "");
	obl(4, 2, 3, T0 + 4 * H + 12 * M, OBL_CANCELLED, T0 + 4 * H, "");
	final.nobls = 5; final.obls = st_obls;
	in->final = &final;
}

/* ------------------------------------------------------------------ */
/* golden files */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	sb_init(&sb);
	if (!f) {
		sb_release(&sb);
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	*len = sb.len;
	return sb_detach(&sb);
}

static void golden(const char *name, const struct strbuf *got)
{
	char path[512];
	const char *top = getenv("SITREP_TOP");
	size_t len = 0;
	char *want;
	if (top)
		snprintf(path, sizeof(path), "%s/tests/golden/%s", top, name);
	else
		snprintf(path, sizeof(path), "tests/golden/%s", name);
	if (getenv("SITREP_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(got->buf, 1, got->len, f), got->len);
		assert_int_equal(fclose(f), 0);
	}
	want = slurp(path, &len);
	if (!want)
		fail_msg("missing golden file '%s' (run with SITREP_UPDATE_GOLDEN=1 from the top folder)", path);
	if (len != got->len || memcmp(want, got->buf, len)) {
		FILE *f;
		char out[600];
		snprintf(out, sizeof(out), "%s.got", path);
		f = fopen(out, "wb");
		if (f) {
			fwrite(got->buf, 1, got->len, f);
			fclose(f);
		}
		free(want);
		fail_msg("output differs from '%s' (see '%s')", path, out);
	}
	free(want);
}

/* ------------------------------------------------------------------ */
/* tests */

static void test_figures(void **state)
{
	struct report_input in;
	struct report_figures f;
	(void)state;
	build(&in, 0);
	report_figures(&in, &f);
	assert_int_equal(f.to_ack, 5 * M);            /* the log, not the metric at +1m */
	assert_int_equal(f.to_first_level, 42 * M);
	assert_int_equal(f.to_mitigation, 2 * H);     /* every trigger clear before the downgrade */
	assert_int_equal(f.to_termination, 4 * H);
	assert_int_equal(f.peak_level, 1);
	assert_int_equal(f.in_warning[0], 11 * M);    /* blue from +31m to +42m */
	assert_int_equal(f.in_warning[1], 0);
	assert_int_equal(f.in_level[0], 13 * M + 90 * M);
	assert_int_equal(f.in_level[1], 95 * M);
	assert_int_equal(f.escalations, 2);
	assert_int_equal(f.downgrades, 1);
	assert_int_equal(f.refusals, 1);
	assert_int_equal(f.obl_on_time, 2);
	assert_int_equal(f.obl_late, 1);
	assert_int_equal(f.obl_missed, 1);
	assert_int_equal(f.obl_open, 0);
	report_input_release(&in);
}

static void test_figures_mitigation_by_downgrade(void **state)
{
	struct report_input in;
	struct report_figures f;
	size_t i;
	(void)state;
	build(&in, 0);
	/* drop the readings that cleared the triggers: the downgrade mitigates */
	for (i = 0; i < in.nitems; i++)
		if (in.items[i].occurred_at == T0 + 2 * H)
			in.items[i].neffects = 0;
	report_figures(&in, &f);
	assert_int_equal(f.to_mitigation, 150 * M);
	report_input_release(&in);
}

static void test_figures_open_incident(void **state)
{
	struct report_input in;
	struct report_figures f;
	size_t n;
	(void)state;
	build(&in, 0);
	n = in.nitems;
	/* the same incident seen at +1h: not terminated, an obligation overdue */
	in.nitems = 8; /* up to the handover */
	final.phase = PHASE_RESPONSE;
	final.terminated_at = 0;
	final.level = 1;
	in.at = T0 + 80 * M;
	obl(1, 1, 1, T0 + 102 * M, OBL_OPEN, 0, "");
	obl(3, 2, 2, T0 + 78 * M, OBL_OPEN, 0, "");
	final.nobls = 4;
	report_figures(&in, &f);
	assert_int_equal(f.to_termination, -1);
	assert_int_equal(f.to_mitigation, -1);
	assert_int_equal(f.in_level[1], 25 * M);
	assert_int_equal(f.obl_missed, 1);  /* progress #2, due +78m, still open at +80m */
	assert_int_equal(f.obl_open, 1);    /* report_up, due +102m */
	in.nitems = n;
	report_input_release(&in);
}

static void test_timeline_text(void **state)
{
	struct report_input in;
	struct strbuf out = STRBUF_INIT;
	const char *p;
	int col = -1;
	(void)state;
	build(&in, 0);
	sb_init(&out);
	assert_int_equal(report_timeline(&in, "text", &out), 0);
	/* control characters never reach the terminal raw */
	for (p = out.buf; *p; p++)
		assert_false((unsigned char)*p < 0x20 && *p != '\n');
	assert_non_null(strstr(out.buf, "\\x07"));
	assert_non_null(strstr(out.buf, "T+05:00"));
	/* aligned: every row's summary starts at the same display column */
	{
		size_t k = 0;
		for (p = out.buf; *p;) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			if (!strncmp(p, "2026-", 5)) {
				char line[512], *w;
				struct strbuf esc = STRBUF_INIT;
				sb_init(&esc);
				assert_true(k < in.nitems);
				sb_add_escaped(&esc, in.items[k].summary);
				snprintf(line, sizeof(line), "%.*s", (int)len, p);
				w = strstr(line, esc.buf);
				assert_non_null(w);
				*w = 0;
				if (col < 0)
					col = utf8_width(line);
				assert_int_equal(utf8_width(line), col);
				sb_release(&esc);
				k++;
			}
			p += len + (nl ? 1 : 0);
		}
		assert_int_equal(k, in.nitems);
	}
	golden("timeline.txt", &out);
	sb_release(&out);
	report_input_release(&in);
}

static void test_timeline_md(void **state)
{
	struct report_input in;
	struct strbuf out = STRBUF_INIT;
	(void)state;
	build(&in, 1);
	sb_init(&out);
	assert_int_equal(report_timeline(&in, "md", &out), 0);
	assert_null(strchr(out.buf, '\a'));
	assert_non_null(strstr(out.buf, "**DRILL**"));
	assert_non_null(strstr(out.buf, "\\| spike")); /* the pipe in the title cannot break the table */
	golden("timeline.md", &out);
	sb_release(&out);
	report_input_release(&in);
}

static void test_timeline_csv(void **state)
{
	struct report_input in;
	struct strbuf out = STRBUF_INIT;
	const char *p;
	size_t lines = 0;
	(void)state;
	build(&in, 0);
	sb_init(&out);
	assert_int_equal(report_timeline(&in, "csv", &out), 0);
	/* RFC 4180: CRLF records; a quote in a field is doubled inside quotes */
	for (p = out.buf; (p = strstr(p, "\r\n")); p += 2)
		lines++;
	assert_int_equal(lines, in.nitems + 1);
	assert_non_null(strstr(out.buf, ",\"too slow, \"\"really\"\"\","));
	assert_non_null(strstr(out.buf, ",queue_min=3 complaints_pct=80,")); /* no quotes needed */
	assert_non_null(strstr(out.buf, ",verified\a: queue rising,")); /* data: raw */
	golden("timeline.csv", &out);
	sb_release(&out);
	report_input_release(&in);
}

static void test_timeline_json(void **state)
{
	struct report_input in;
	struct strbuf out = STRBUF_INIT;
	struct json_value v;
	struct sitrep_error err = SITREP_ERROR_INIT;
	const struct json_value *items;
	(void)state;
	build(&in, 0);
	sb_init(&out);
	assert_int_equal(report_timeline(&in, "json", &out), 0);
	assert_int_equal(json_parse(out.buf, out.len, &v, &err), 0);
	assert_string_equal(json_get_str(&v, "title"), "热线 DDoS, \"queue\" | spike");
	items = json_get(&v, "items");
	assert_non_null(items);
	assert_int_equal(items->type, JSON_ARRAY);
	assert_int_equal(items->n, in.nitems);
	assert_string_equal(json_get_str(&items->items[2], "text"), "verified\a: queue rising");
	assert_int_equal(json_get(&items->items[1], "payload")->type, JSON_OBJECT);
	assert_string_equal(json_get_str(&items->items[5], "level"), "III");
	json_free(&v);
	golden("timeline.json", &out);
	assert_int_equal(report_timeline(&in, "yaml", &out), -1);
	sb_release(&out);
	report_input_release(&in);
}

static void test_review_md(void **state)
{
	struct report_input in;
	struct strbuf out = STRBUF_INIT, svg = STRBUF_INIT, again = STRBUF_INIT;
	int s;
	(void)state;
	build(&in, 0);
	sb_init(&out);
	sb_init(&svg);
	sb_init(&again);
	assert_int_equal(report_review(&in, "md", &out, &svg), 0);
	assert_int_equal(report_review(&in, "md", &again, NULL), 0);
	assert_string_equal(out.buf, again.buf); /* deterministic */
	for (s = 0; s < REPORT_NSECTIONS; s++)
		assert_non_null(strstr(out.buf, report_section_titles[s]));
	assert_non_null(strstr(out.buf, "响应及时 \\<ok\\>"));
	assert_non_null(strstr(out.buf, "coffee ran out"));          /* unknown section: other notes */
	assert_non_null(strstr(out.buf, "late by 10m"));
	assert_non_null(strstr(out.buf, "complaints_30 (proposed 5m before)"));
	assert_non_null(strstr(out.buf, "incident-7-levels.svg"));
	/* ends with the journal's head */
	assert_non_null(strstr(out.buf, "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc`\n"));
	assert_int_equal(out.buf[out.len - 1], '\n');
	assert_null(strchr(out.buf, '\a'));
	assert_non_null(strstr(svg.buf, "<svg"));
	assert_non_null(strstr(svg.buf, "class=\"escalation\""));
	assert_non_null(strstr(svg.buf, "class=\"downgrade\""));
	assert_non_null(strstr(svg.buf, "class=\"warning\""));
	golden("review.md", &out);
	golden("review.svg", &svg);
	sb_release(&out);
	sb_release(&svg);
	sb_release(&again);
	report_input_release(&in);
}

static void test_review_html(void **state)
{
	struct report_input in;
	struct strbuf out = STRBUF_INIT;
	(void)state;
	build(&in, 1);
	sb_init(&out);
	assert_int_equal(report_review(&in, "html", &out, NULL), 0);
	assert_non_null(strstr(out.buf, "<svg"));
	assert_non_null(strstr(out.buf, "DRILL"));
	assert_non_null(strstr(out.buf, "queue | growing *fast* &lt;b&gt;"));
	assert_null(strstr(out.buf, "<b>"));
	assert_non_null(strstr(out.buf, "&lt;ok&gt;"));
	assert_non_null(strstr(out.buf, "</html>\n"));
	assert_int_equal(report_review(&in, "pdf", &out, NULL), -1);
	golden("review.html", &out);
	sb_release(&out);
	report_input_release(&in);
}

static void test_chart_text(void **state)
{
	struct report_input in;
	struct strbuf out = STRBUF_INIT;
	const char *p;
	(void)state;
	build(&in, 0);
	sb_init(&out);
	report_chart_text(&in, 60, &out);
	/* rows: I, II, III, warning, axis, labels, legend */
	assert_memory_equal(out.buf, "I ", 2);
	p = strstr(out.buf, "\nII ");
	assert_non_null(p);
	assert_non_null(strchr(out.buf, '^'));
	assert_non_null(strchr(out.buf, 'v'));
	assert_non_null(strstr(out.buf, "T+04:00"));
	for (p = out.buf; *p;) {          /* every line fits the width */
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		assert_true((size_t)utf8_width(p) - (nl ? (size_t)utf8_width(nl) : 0) <= 60);
		p += len + (nl ? 1 : 0);
	}
	golden("chart.txt", &out);
	sb_release(&out);
	report_input_release(&in);
}

static void test_brief(void **state)
{
	struct report_input in;
	struct strbuf out = STRBUF_INIT;
	size_t n;
	(void)state;
	build(&in, 0);
	n = in.nitems;
	/* the live picture at +80 min: level II, an open obligation */
	in.nitems = 9;
	final.phase = PHASE_RESPONSE;
	final.terminated_at = 0;
	final.level = 1;
	final.level_since = T0 + 55 * M;
	in.at = T0 + 80 * M;
	obl(1, 1, 1, T0 + 102 * M, OBL_OPEN, 0, "");
	obl(3, 2, 2, T0 + 78 * M, OBL_OPEN, 0, "");
	final.nobls = 4;
	st_criteria[0].attested = 0;
	st_criteria[1].attested = 0;
	sb_init(&out);
	report_brief(&in, &out);
	assert_non_null(strstr(out.buf, "level II"));
	assert_non_null(strstr(out.buf, "accepting proposal complaints_30"));
	assert_non_null(strstr(out.buf, "OVERDUE progress"));
	assert_non_null(strstr(out.buf, "commander: bob"));
	assert_non_null(strstr(out.buf, "emergency power vehicle"));
	assert_non_null(strstr(out.buf, "[ ] safe"));
	golden("brief.txt", &out);
	sb_release(&out);
	in.nitems = n;
	report_input_release(&in);
}

static void test_stats(void **state)
{
	struct report_input in;
	struct report_stats_row rows[3];
	struct strbuf out = STRBUF_INIT;
	(void)state;
	build(&in, 0);
	report_stats_row_fill(&rows[0], &in);
	in.id = 8;
	report_stats_row_fill(&rows[1], &in);
	rows[1].f.to_ack = 15 * M;
	rows[1].f.escalations = 4;
	report_input_release(&in);
	build(&in, 1);
	in.id = 9;
	report_stats_row_fill(&rows[2], &in);
	rows[2].f.to_ack = 99 * M; /* a drill: must not move the statistics */
	report_input_release(&in);
	assert_string_equal(rows[2].participants, "alice, bob, carol, monitor");
	assert_non_null(strstr(rows[2].problems, "rule roles"));
	assert_non_null(strstr(rows[2].problems, "review note [risk] by carol"));
	assert_non_null(strstr(rows[2].problems, "obligation report_up"));

	sb_init(&out);
	report_stats(rows, 3, 0, &out);
	assert_non_null(strstr(out.buf, "(2 incidents)"));
	assert_null(strstr(out.buf, "1h39m"));
	assert_non_null(strstr(out.buf, "10m        10m")); /* mean and median of 5m and 15m */
	assert_non_null(strstr(out.buf, "II x2"));
	golden("stats.txt", &out);
	sb_reset(&out);
	report_stats(rows, 3, 1, &out);
	assert_non_null(strstr(out.buf, "incident 9"));
	assert_null(strstr(out.buf, "incident 7"));
	assert_non_null(strstr(out.buf, "participants alice, bob, carol, monitor"));
	golden("stats-drills.txt", &out);
	sb_release(&out);
	report_stats_row_release(&rows[0]);
	report_stats_row_release(&rows[1]);
	report_stats_row_release(&rows[2]);
}

static void test_sections(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	assert_int_equal(report_section_index("speed"), 0);
	assert_int_equal(report_section_index("risk"), 5);
	assert_int_equal(report_section_index("Speed"), -1);
	assert_int_equal(report_section_index(NULL), -1);
	sb_init(&sb);
	report_svg_name(12, &sb);
	assert_string_equal(sb.buf, "incident-12-levels.svg");
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_figures_mitigation_by_downgrade),
		cmocka_unit_test(test_figures_open_incident),
		cmocka_unit_test(test_timeline_text),
		cmocka_unit_test(test_timeline_md),
		cmocka_unit_test(test_timeline_csv),
		cmocka_unit_test(test_timeline_json),
		cmocka_unit_test(test_review_md),
		cmocka_unit_test(test_review_html),
		cmocka_unit_test(test_chart_text),
		cmocka_unit_test(test_brief),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_sections),
	};
	setenv("TZ", "UTC", 1);
	tzset();
	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
