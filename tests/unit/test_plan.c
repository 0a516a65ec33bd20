/* Units for plan.c: the shipped plans carry the sources' numbers, every
 * bad-plan fixture gives exactly its expected errors, hostile input (deep
 * nesting, alias bombs, huge files) fails with the right error. Run from the
 * repository root. */
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sitrep/plan.h"
#include "sitrep/text.h"

#define FIXTURES "tests/fixtures/bad-plans"

static struct plan *load_ok(const char *path)
{
	struct error_list el;
	struct strbuf sb = STRBUF_INIT;
	struct plan *p;
	errlist_init(&el);
	p = plan_load_file(path, "en", &el);
	sb_init(&sb);
	errlist_format(&el, &sb);
	if (!p)
		print_error("%s", sb.buf);
	assert_non_null(p);
	assert_int_equal(el.n, 0);
	sb_release(&sb);
	errlist_release(&el);
	return p;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	if (!f)
		return NULL;
	sb_init(&sb);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	if (len)
		*len = sb.len;
	return sb_detach(&sb);
}

static const struct plan_obligation *obl(const struct plan *p, const char *id)
{
	int i = plan_obligation_index(p, id);
	if (i < 0)
		print_error("no obligation '%s'\n", id);
	assert_true(i >= 0);
	return &p->obligations[i];
}

static const struct plan_trigger *trig(const struct plan *p, const char *id)
{
	size_t i;
	for (i = 0; i < p->ntriggers; i++)
		if (!strcmp(p->triggers[i].id, id))
			return &p->triggers[i];
	print_error("no trigger '%s'\n", id);
	fail();
	return NULL;
}

static const struct plan_criterion *crit(const struct plan *p, const char *id)
{
	int i = plan_criterion_index(p, id);
	assert_true(i >= 0);
	return &p->criteria[i];
}

static void assert_deadline(const struct plan *p, const char *id, int64_t within,
			    enum plan_anchor_kind kind, const char *ref)
{
	const struct plan_obligation *o = obl(p, id);
	assert_false(o->is_cadence);
	assert_int_equal(o->within, within);
	assert_int_equal(o->anchor.kind, kind);
	if (kind == ANCHOR_LEVEL)
		assert_string_equal(p->levels[o->anchor.ref].id, ref);
	if (kind == ANCHOR_WARNING_ID)
		assert_string_equal(p->warnings[o->anchor.ref].id, ref);
	if (kind == ANCHOR_DONE)
		assert_string_equal(p->obligations[o->anchor.ref].id, ref);
}

static void assert_cadence(const struct plan *p, const char *id, int64_t every,
			   enum plan_anchor_kind state)
{
	const struct plan_obligation *o = obl(p, id);
	assert_true(o->is_cadence);
	assert_int_equal(o->every, every);
	assert_int_equal(o->nduring, 1);
	assert_int_equal(o->during[0].kind, state);
}

static void test_hotline_plan(void **state)
{
	struct plan *p = load_ok("plans/hotline-outage.yaml");
	const struct plan_trigger *t;
	const struct plan_criterion *c;
	int m, ii, i1, yellow, blue;
	size_t i;
	(void)state;

	assert_string_equal(p->id, "hotline-outage");
	assert_non_null(p->original_title);
	assert_true(strlen(p->original_title) > 0);
	assert_int_equal(p->version, 1);

	/* levels III < II < I, warnings blue < yellow, each capped at 4h (§4.3) */
	assert_int_equal(p->nlevels, 3);
	assert_string_equal(p->levels[0].id, "III");
	assert_string_equal(p->levels[1].id, "II");
	assert_string_equal(p->levels[2].id, "I");
	assert_int_equal(p->nwarnings, 2);
	blue = plan_warning_index(p, "blue");
	yellow = plan_warning_index(p, "yellow");
	assert_int_equal(blue, 0);
	assert_int_equal(yellow, 1);
	assert_int_equal(p->warnings[0].max_duration, 4 * 3600);
	assert_int_equal(p->warnings[1].max_duration, 4 * 3600);
	ii = plan_level_index(p, "II");
	i1 = plan_level_index(p, "I");

	/* the fixed metric names */
	assert_true(plan_metric_index(p, "complaints_pct") >= 0);
	assert_true(plan_metric_index(p, "queue_min") >= 0);
	assert_true(plan_metric_index(p, "cpu_pct") >= 0);
	assert_true(plan_metric_index(p, "availability_pct") >= 0);
	assert_true(plan_metric_index(p, "call_success_pct") >= 0);
	m = plan_metric_index(p, "complaints_pct");
	assert_true(p->metrics[m].has_normal);
	assert_true(p->metrics[m].normal == 100);

	/* §4.1 automatic start thresholds */
	t = trig(p, "complaints_peak");
	assert_int_equal(t->cond.metric, m);
	assert_int_equal(t->cond.op, CMP_GT);
	assert_true(t->cond.value == 130);
	assert_int_equal(t->for_secs, 0);
	assert_int_equal(t->raise_warning, yellow);
	assert_int_equal(t->propose_level, ii);
	assert_true(t->has_clear && t->clear_value < 130);
	t = trig(p, "queue_sustained");
	assert_int_equal(t->cond.metric, plan_metric_index(p, "queue_min"));
	assert_true(t->cond.value == 8);
	assert_int_equal(t->for_secs, 30 * 60);
	assert_int_equal(t->raise_warning, blue);
	t = trig(p, "cpu_sustained");
	assert_int_equal(t->cond.metric, plan_metric_index(p, "cpu_pct"));
	assert_true(t->cond.value == 90);
	assert_true(t->for_secs > 0);
	assert_int_equal(t->raise_warning, blue);
	t = trig(p, "complaints_level_i");
	assert_true(t->cond.value == 150);
	assert_int_equal(t->propose_level, i1);

	/* three lift and five termination criteria (§5.3, §6.4) */
	assert_int_equal(p->nlift, 3);
	assert_int_equal(p->ntermination, 5);
	c = crit(p, "core_indicators_on_target");
	assert_int_equal(c->kind, CRIT_METRIC);
	assert_int_equal(c->for_secs, 30 * 60);
	assert_int_equal(c->nconds, 2);
	assert_true(c->conds[0].value == 99.9);
	c = crit(p, "stable_72h");
	assert_int_equal(c->for_secs, 72 * 3600);
	assert_int_equal(c->conds[0].metric, plan_metric_index(p, "availability_pct"));
	assert_true(c->conds[0].value == 99.9);
	c = crit(p, "complaints_below_85");
	assert_int_equal(c->conds[0].op, CMP_LT);
	assert_true(c->conds[0].value == 85);
	c = crit(p, "no_secondary_risk");
	assert_int_equal(c->kind, CRIT_ATTEST);
	assert_int_equal(c->role, plan_role_index(p, "tech_lead"));
	for (i = 0; i < p->nlift; i++)
		assert_true(p->lift[i] >= 0 && (size_t)p->lift[i] < p->ncriteria);

	/* the 5/15/60-minute chain (§4.1), 10-minute level decision (§6.1) */
	assert_deadline(p, "verify_report", 5 * 60, ANCHOR_OPEN, NULL);
	assert_deadline(p, "impact_assessment", 15 * 60, ANCHOR_OPEN, NULL);
	assert_deadline(p, "decision_meeting", 60 * 60, ANCHOR_OPEN, NULL);
	assert_deadline(p, "level_decision", 10 * 60, ANCHOR_PROPOSAL, NULL);
	/* every proposal asks for a decision; any change of level answers it */
	assert_true(obl(p, "level_decision")->repeat);
	assert_int_equal(obl(p, "level_decision")->nmet_by, 1);
	assert_int_equal(obl(p, "level_decision")->met_by[0].kind, ANCHOR_LEVEL);
	assert_int_equal(obl(p, "level_decision")->met_by[0].ref, -1);
	/* initial reports upward: once per incident, a major one covers the rest */
	assert_false(obl(p, "report_up_general")->repeat);
	assert_false(obl(p, "report_up_major_ii")->repeat);
	assert_int_equal(obl(p, "report_up_major_ii")->nmet_by, 1);
	assert_int_equal(obl(p, "report_up_major_ii")->met_by[0].kind, ANCHOR_DONE);
	assert_int_equal(obl(p, "report_up_major_ii")->met_by[0].ref,
			 plan_obligation_index(p, "report_up_major_i"));
	assert_int_equal(obl(p, "report_up_general")->nmet_by, 2);
	assert_int_equal(obl(p, "verify_report")->owner, plan_role_index(p, "duty_manager"));
	/* warning: hourly reports, preparation within 4h (§4.3, §5.2) */
	assert_cadence(p, "warning_monitoring_report", 3600, ANCHOR_WARNING);
	assert_deadline(p, "prep_diagnosis", 4 * 3600, ANCHOR_WARNING, NULL);
	assert_deadline(p, "prep_comfort", 4 * 3600, ANCHOR_WARNING, NULL);
	assert_deadline(p, "prep_backup_check", 4 * 3600, ANCHOR_WARNING, NULL);
	assert_deadline(p, "prep_room_access", 4 * 3600, ANCHOR_WARNING, NULL);
	assert_deadline(p, "prep_comms_equipment", 4 * 3600, ANCHOR_WARNING, NULL);
	/* response (§6.1, §4.4, §6.2, §3.4, §6.3, §3.3, §2.2, §6.4) */
	assert_deadline(p, "hq_first_meeting", 30 * 60, ANCHOR_RESPONSE, NULL);
	assert_cadence(p, "report_top_management", 2 * 3600, ANCHOR_RESPONSE);
	assert_cadence(p, "tech_report", 30 * 60, ANCHOR_RESPONSE);
	assert_cadence(p, "hq_evaluation", 3600, ANCHOR_RESPONSE);
	assert_cadence(p, "onsite_monitoring_log", 30 * 60, ANCHOR_RESPONSE);
	assert_cadence(p, "internal_progress", 30 * 60, ANCHOR_RESPONSE);
	assert_deadline(p, "external_statement", 15 * 60, ANCHOR_RESPONSE, NULL);
	assert_cadence(p, "external_updates", 30 * 60, ANCHOR_RESPONSE);
	assert_deadline(p, "external_support", 2 * 3600, ANCHOR_RESPONSE, NULL);
	assert_deadline(p, "report_up_major_ii", 3600, ANCHOR_LEVEL, "II");
	assert_deadline(p, "report_up_major_i", 3600, ANCHOR_LEVEL, "I");
	assert_deadline(p, "report_up_general", 6 * 3600, ANCHOR_LEVEL, "III");
	assert_deadline(p, "cause_analysis", 24 * 3600, ANCHOR_RESPONSE, NULL);
	assert_deadline(p, "root_cause", 48 * 3600, ANCHOR_RESPONSE, NULL);
	assert_deadline(p, "assessment_meeting", 3 * 86400, ANCHOR_TERMINATE, NULL);

	/* the §4.2 matrix: four dimensions, national -> I first, default III */
	assert_int_equal(p->matrix.ndims, 4);
	assert_string_equal(p->matrix.dims[0].id, "scope");
	assert_string_equal(p->matrix.dims[1].id, "recovery");
	assert_string_equal(p->matrix.dims[2].id, "criticality");
	assert_string_equal(p->matrix.dims[3].id, "risk");
	assert_int_equal(p->matrix.dims[1].nvalues, 3);
	assert_int_equal(p->matrix.dims[3].nvalues, 4);
	assert_true(p->matrix.nrules >= 4);
	assert_int_equal(p->matrix.rules[0].level, i1);
	assert_string_equal(p->levels[p->matrix.default_level].id, "III");

	/* roles: no roster (one-person default), the commander may do all */
	assert_int_equal(p->nroster, 0);
	assert_int_equal(p->roles[plan_role_index(p, "commander")].actions,
			 (1u << ACT__COUNT) - 1);
	/* ledger: emergency power vehicles x2 (§8.3) */
	for (i = 0; i < p->nresources; i++)
		if (strstr(p->resources[i].item, "power vehicle"))
			break;
	assert_true(i < p->nresources);
	assert_int_equal(p->resources[i].count, 2);
	plan_free(p);
}

static void test_power_plan(void **state)
{
	static const char *const roles[] = { "team_leader", "liaison", "technical_support",
					     "customer_service", "safety_supervisor" };
	struct plan *p = load_ok("plans/power-outage.yaml");
	size_t i;
	(void)state;
	assert_string_equal(p->id, "power-outage");
	assert_non_null(p->original_title);
	assert_int_equal(p->nlevels, 4);
	assert_string_equal(p->levels[0].id, "IV");
	assert_string_equal(p->levels[1].id, "III");
	assert_string_equal(p->levels[2].id, "II");
	assert_string_equal(p->levels[3].id, "I");
	for (i = 0; i < sizeof roles / sizeof *roles; i++)
		assert_true(plan_role_index(p, roles[i]) >= 0);
	assert_true(p->nresources >= 5);
	/* training quarterly, drills every six months (§7) */
	assert_true(p->nroutines >= 2);
	for (i = 0; i < p->nroutines; i++)
		if (!strcmp(p->routines[i].id, "drill"))
			assert_int_equal(p->routines[i].every, 182 * 86400);
	assert_int_equal(p->nroster, 0);
	plan_free(p);
}

static void test_crisis_plan(void **state)
{
	static const char *const roles[] = { "incident_commander", "liaison_officer",
					     "public_information_officer", "planning", "logistics",
					     "operations", "finance_admin", "technical_lead",
					     "communications_manager", "customer_support_lead" };
	struct plan *p = load_ok("plans/crisis-generic.yaml");
	size_t i;
	(void)state;
	assert_string_equal(p->id, "crisis-generic");
	assert_non_null(p->original_title);
	assert_int_equal(p->nlevels, 4);
	assert_string_equal(p->levels[0].id, "IV");
	assert_string_equal(p->levels[3].id, "I");
	for (i = 0; i < sizeof roles / sizeof *roles; i++)
		assert_true(plan_role_index(p, roles[i]) >= 0);
	assert_int_equal(p->nroster, 0);
	plan_free(p);
}

/* Every NAME.yaml under the fixtures gives exactly the lines of NAME.err. */
static void test_bad_fixtures(void **state)
{
	char **files;
	size_t n, i, checked = 0;
	(void)state;
	n = plan_list_dir(FIXTURES, &files);
	assert_true(n >= 15);
	for (i = 0; i < n; i++) {
		struct error_list el;
		struct strbuf got = STRBUF_INIT, errpath = STRBUF_INIT;
		struct plan *p;
		char *want;
		errlist_init(&el);
		sb_init(&got);
		sb_init(&errpath);
		sb_add(&errpath, files[i], strlen(files[i]) - 5);
		sb_adds(&errpath, ".err");
		want = slurp(errpath.buf, NULL);
		if (!want)
			print_error("missing %s\n", errpath.buf);
		assert_non_null(want);
		p = plan_load_file(files[i], "en", &el);
		assert_null(p);
		assert_true(el.n > 0);
		assert_int_equal(el.v[0].code, SITREP_EXIT_PLAN);
		errlist_format(&el, &got);
		if (strcmp(got.buf, want) != 0)
			print_error("%s:\n--- want\n%s--- got\n%s", files[i], want, got.buf);
		assert_string_equal(got.buf, want);
		checked++;
		free(want);
		sb_release(&got);
		sb_release(&errpath);
		errlist_release(&el);
		free(files[i]);
	}
	free(files);
	assert_int_equal(checked, n);
}

static const char base_plan[] =
	"sitrep_plan: 1\n"
	"id: t\n"
	"title: T\n"
	"levels:\n"
	"  - id: I\n"
	"roles:\n"
	"  - id: commander\n"
	"    actions: [all]\n";

/* 100,000 nested lists: fails at the depth limit, not after composing. */
static void test_deep_nesting(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct error_list el;
	struct plan *p;
	size_t i;
	(void)state;
	sb_init(&sb);
	sb_adds(&sb, base_plan);
	sb_adds(&sb, "description: ");
	for (i = 0; i < 100000; i++)
		sb_addc(&sb, '[');
	errlist_init(&el);
	p = plan_load_buffer("deep.yaml", sb.buf, sb.len, "en", &el);
	assert_null(p);
	assert_int_equal(el.n, 1);
	assert_int_equal(el.v[0].line, 9);
	/* the 65th '[' opens level 65 (the top mapping is level 1) */
	assert_int_equal(el.v[0].col, 14 + PLAN_MAX_DEPTH - 1);
	assert_string_equal(el.v[0].msg, "nesting deeper than 64 levels");
	errlist_release(&el);

	/* block style nesting the same way */
	sb_reset(&sb);
	for (i = 0; i < 100000; i++)
		sb_adds(&sb, "- ");
	sb_adds(&sb, "x\n");
	p = plan_load_buffer("deep2.yaml", sb.buf, sb.len, "en", &el);
	assert_null(p);
	assert_int_equal(el.n, 1);
	assert_string_equal(el.v[0].msg, "nesting deeper than 64 levels");
	errlist_release(&el);
	sb_release(&sb);
}

static void test_limits(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct error_list el;
	struct plan *p;
	size_t i;
	(void)state;
	/* too many values, well under the size limit */
	sb_init(&sb);
	sb_adds(&sb, base_plan);
	sb_adds(&sb, "groups:\n  - id: g\n    members: [");
	for (i = 0; i <= PLAN_MAX_NODES; i++)
		sb_adds(&sb, "x,");
	sb_adds(&sb, "x]\n");
	assert_true(sb.len < PLAN_MAX_FILE);
	errlist_init(&el);
	p = plan_load_buffer("many.yaml", sb.buf, sb.len, "en", &el);
	assert_null(p);
	assert_int_equal(el.n, 1);
	assert_string_equal(el.v[0].msg, "more than 100000 values in one plan");
	errlist_release(&el);

	/* too big */
	sb_reset(&sb);
	sb_adds(&sb, base_plan);
	sb_adds(&sb, "description: ");
	while (sb.len <= PLAN_MAX_FILE)
		sb_adds(&sb, "lorem ipsum ");
	p = plan_load_buffer("big.yaml", sb.buf, sb.len, "en", &el);
	assert_null(p);
	assert_int_equal(el.n, 1);
	assert_string_equal(el.v[0].msg, "plan is larger than 1048576 bytes");
	errlist_release(&el);
	sb_release(&sb);

	/* a missing file */
	p = plan_load_file("tests/fixtures/no-such-plan.yaml", "en", &el);
	assert_null(p);
	assert_int_equal(el.n, 1);
	assert_int_equal(el.v[0].code, SITREP_EXIT_PLAN);
	errlist_release(&el);
}

/* A small plan with a roster, a matrix and both obligation forms. */
static void test_buffer_and_roster(void **state)
{
	static const char y[] =
		"sitrep_plan: 1\n"
		"id: small\n"
		"title: Small\n"
		"original_title: 小计划\n"
		"metrics:\n"
		"  - id: load\n"
		"    unit: \"%\"\n"
		"levels:\n"
		"  - {id: low, colour: yellow}\n"
		"  - {id: high, colour: red, activated_by: boss}\n"
		"warnings:\n"
		"  - {id: blue, max_duration: 1h30m}\n"
		"triggers:\n"
		"  - {id: hot, when: load >= 95.5, for: 5m, clear: 80, raise: blue, propose: high}\n"
		"matrix:\n"
		"  dimensions:\n"
		"    - {id: scope, values: [one, all]}\n"
		"  rules:\n"
		"    - {when: {scope: all}, level: high}\n"
		"  default: none\n"
		"criteria:\n"
		"  - {id: cool, when: [load < 50, load != 0], for: 10m}\n"
		"  - {id: ok, attest: any}\n"
		"lift: cool\n"
		"termination: [cool, ok]\n"
		"obligations:\n"
		"  - {id: a, title: A, owner: boss, within: 5m, of: warning:blue}\n"
		"  - {id: b, title: B, within: 10m, of: done:a, met_by: [level:high, lift]}\n"
		"  - {id: c, title: C, every: 1h, while: [warning, level:high]}\n"
		"roles:\n"
		"  - {id: boss, actions: all}\n"
		"  - {id: scribe, actions: [log, note-review]}\n"
		"roster:\n"
		"  alice: boss\n"
		"  bob: [scribe, boss]\n";
	struct error_list el;
	struct plan *p;
	char hash[65];
	(void)state;
	errlist_init(&el);
	p = plan_load_buffer("small.yaml", y, strlen(y), "en", &el);
	if (!p) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		errlist_format(&el, &sb);
		print_error("%s", sb.buf);
		sb_release(&sb);
	}
	assert_non_null(p);
	assert_string_equal(p->yaml, y);
	sha256_hex(y, strlen(y), hash);
	assert_string_equal(p->hash, hash);
	assert_string_equal(p->path, "small.yaml");
	assert_int_equal(p->warnings[0].max_duration, 5400);
	assert_true(p->metrics[0].has_max && p->metrics[0].max == 100);
	assert_int_equal(p->triggers[0].cond.op, CMP_GE);
	assert_true(p->triggers[0].cond.value == 95.5);
	assert_int_equal(p->triggers[0].for_secs, 300);
	assert_int_equal(p->triggers[0].propose_level, 1);
	assert_int_equal(p->levels[1].nactivated_by, 1);
	assert_int_equal(p->matrix.default_level, -1);
	assert_int_equal(p->matrix.rules[0].allowed[0], 2u);
	assert_int_equal(p->criteria[0].nconds, 2);
	assert_int_equal(p->criteria[0].conds[1].op, CMP_NE);
	assert_int_equal(p->criteria[1].role, -1);
	assert_int_equal(p->nlift, 1);
	assert_int_equal(p->ntermination, 2);
	assert_int_equal(p->obligations[0].anchor.kind, ANCHOR_WARNING_ID);
	assert_int_equal(p->obligations[0].owner, 0);
	assert_int_equal(p->obligations[1].anchor.kind, ANCHOR_DONE);
	assert_int_equal(p->obligations[1].anchor.ref, 0);
	assert_int_equal(p->obligations[1].nmet_by, 2);
	assert_int_equal(p->obligations[1].met_by[1].kind, ANCHOR_LIFT);
	assert_int_equal(p->obligations[2].nduring, 2);
	assert_int_equal(p->obligations[2].during[1].kind, ANCHOR_LEVEL);
	assert_int_equal(p->roles[1].actions, (1u << ACT_LOG) | (1u << ACT_NOTE_REVIEW));
	assert_int_equal(p->nroster, 2);
	assert_string_equal(p->roster[1].user, "bob");
	assert_int_equal(p->roster[1].nroles, 2);
	assert_int_equal(p->roster[1].roles[0], 1);
	assert_int_equal(el.n, 0);
	plan_free(p);
}

/* Load base_plan + extra; returns the plan (NULL on errors, left in el). */
static struct plan *load_extra(const char *extra, int expect_ok, struct error_list *el)
{
	struct strbuf sb = STRBUF_INIT;
	struct plan *p;
	sb_init(&sb);
	sb_adds(&sb, "sitrep_plan: 1\n"
		     "id: t\n"
		     "title: T\n"
		     "levels:\n"
		     "  - id: I\n"
		     "  - id: II\n"
		     "roles:\n"
		     "  - id: commander\n"
		     "    actions: [all]\n"); /* 9 lines: `extra` starts on line 10 */
	sb_adds(&sb, extra);
	errlist_init(el);
	p = plan_load_buffer("x.yaml", sb.buf, sb.len, "en", el);
	sb_reset(&sb);
	errlist_format(el, &sb);
	if (expect_ok && !p)
		print_error("%s", sb.buf);
	sb_release(&sb);
	return p;
}

static void assert_one_error(const char *extra, int line, int col, const char *msg)
{
	struct error_list el;
	struct plan *p = load_extra(extra, 0, &el);
	assert_null(p);
	if (el.n != 1 || strcmp(el.v[0].msg, msg) || el.v[0].line != line || el.v[0].col != col) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		errlist_format(&el, &sb);
		print_error("want one error '%s', got:\n%s", msg, sb.buf);
		sb_release(&sb);
	}
	assert_int_equal(el.n, 1);
	assert_string_equal(el.v[0].msg, msg);
	assert_int_equal(el.v[0].line, line);
	assert_int_equal(el.v[0].col, col);
	errlist_release(&el);
}

/* `level` (any change of level) in `of` and `met_by`; not a state. */
static void test_any_level_event(void **state)
{
	struct error_list el;
	struct plan *p;
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	p = load_extra("obligations:\n"
		       "  - {id: a, title: A, within: 10m, of: proposal, met_by: [response, level]}\n"
		       "  - {id: b, title: B, within: 1h, of: level}\n"
		       "  - {id: c, title: C, within: 1h, of: level:II, met_by: level}\n",
		       1, &el);
	assert_non_null(p);
	assert_int_equal(el.n, 0);
	assert_int_equal(p->obligations[0].nmet_by, 2);
	assert_int_equal(p->obligations[0].met_by[0].kind, ANCHOR_RESPONSE);
	assert_int_equal(p->obligations[0].met_by[1].kind, ANCHOR_LEVEL);
	assert_int_equal(p->obligations[0].met_by[1].ref, -1);
	assert_int_equal(p->obligations[1].anchor.kind, ANCHOR_LEVEL);
	assert_int_equal(p->obligations[1].anchor.ref, -1);
	assert_int_equal(p->obligations[2].anchor.kind, ANCHOR_LEVEL);
	assert_int_equal(p->obligations[2].anchor.ref, 1);
	assert_int_equal(p->obligations[2].met_by[0].ref, -1);
	sb_init(&sb);
	plan_describe(p, &sb);
	assert_non_null(strstr(sb.buf, "within 10m of proposal, met by response|level "));
	assert_non_null(strstr(sb.buf, "within 1h of level "));
	assert_non_null(strstr(sb.buf, "within 1h of level:II, met by level "));
	sb_release(&sb);
	plan_free(p);
	errlist_release(&el);
	/* not a state: a cadence cannot run "while level" */
	assert_one_error("obligations:\n"
			 "  - {id: a, title: A, every: 1h, while: [response, level]}\n",
			 11, 52,
			 "'level' is an event (any change of level), not a state: use 'response' "
			 "for any level or 'level:ID' for one");
	/* `level:` with nothing after it is still unknown */
	assert_one_error("obligations:\n"
			 "  - {id: a, title: A, within: 1h, of: 'level:'}\n",
			 11, 39,
			 "unknown event 'level:' (expected open, warning, warning:ID, response, "
			 "level, level:ID, proposal, done:ID, lift or terminate)");
}

/* `repeat`: a flag of one-shot obligations, false by default. */
static void test_repeat_key(void **state)
{
	struct error_list el;
	struct plan *p;
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	p = load_extra("obligations:\n"
		       "  - {id: a, title: A, within: 10m, of: proposal, repeat: true}\n"
		       "  - {id: b, title: B, within: 10m, of: proposal, repeat: false}\n"
		       "  - {id: c, title: C, within: 10m, of: proposal}\n",
		       1, &el);
	assert_non_null(p);
	assert_int_equal(el.n, 0);
	assert_int_equal(p->obligations[0].repeat, 1);
	assert_int_equal(p->obligations[1].repeat, 0);
	assert_int_equal(p->obligations[2].repeat, 0);
	sb_init(&sb);
	plan_describe(p, &sb);
	assert_non_null(strstr(sb.buf, "within 10m of proposal (each time) "));
	assert_null(strstr(sb.buf + (strstr(sb.buf, "(each time)") - sb.buf) + 1, "(each time)"));
	sb_release(&sb);
	plan_free(p);
	errlist_release(&el);
	assert_one_error("obligations:\n"
			 "  - {id: a, title: A, within: 10m, of: open, repeat: yes please}\n",
			 11, 54, "expected true or false for 'repeat', found 'yes please'");
	assert_one_error("obligations:\n"
			 "  - {id: a, title: A, within: 10m, of: open, repeat: [true]}\n",
			 11, 54, "expected a string for 'repeat', found a list");
	assert_one_error("obligations:\n"
			 "  - {id: a, title: A, every: 1h, while: response, repeat: true}\n",
			 11, 59,
			 "'repeat' goes with 'within', not 'every' (a cadence runs again each time "
			 "its state holds)");
}

/* Matrix values: ids, the plan's aliases, durations into buckets. */
static void test_dim_values(void **state)
{
	struct error_list errs;
	struct plan *p;
	int scope = -1, rec = -1;
	(void)state;
	errlist_init(&errs);
	p = plan_load_file("plans/hotline-outage.yaml", "en", &errs);
	assert_non_null(p);
	for (size_t d = 0; d < p->matrix.ndims; d++) {
		if (!strcmp(p->matrix.dims[d].id, "scope"))
			scope = (int)d;
		if (!strcmp(p->matrix.dims[d].id, "recovery"))
			rec = (int)d;
	}
	assert_true(scope >= 0 && rec >= 0);
	assert_string_equal(p->matrix.dims[scope].values[plan_dim_value(p, scope, "single_region")],
			    "single_region");
	assert_string_equal(p->matrix.dims[scope].values[plan_dim_value(p, scope, "regional")],
			    "single_region");
	assert_string_equal(p->matrix.dims[scope].values[plan_dim_value(p, scope, "nationwide")],
			    "national");
	assert_int_equal(plan_dim_value(p, scope, "moon"), -1);
	assert_int_equal(plan_dim_value(p, scope, "6h"), -1); /* scope is not a duration */
	assert_string_equal(p->matrix.dims[rec].values[plan_dim_value(p, rec, "6h")], "6h");
	assert_string_equal(p->matrix.dims[rec].values[plan_dim_value(p, rec, "90m")], "2h");
	assert_string_equal(p->matrix.dims[rec].values[plan_dim_value(p, rec, "2h1s")], "6h");
	assert_string_equal(p->matrix.dims[rec].values[plan_dim_value(p, rec, "4h")], "6h");
	assert_string_equal(p->matrix.dims[rec].values[plan_dim_value(p, rec, "3d")], "24h");
	assert_int_equal(plan_dim_value(p, rec, "soon"), -1);
	assert_int_equal(plan_dim_value(p, 99, "6h"), -1);
	plan_free(p);
	errlist_release(&errs);
}

static void test_helpers(void **state)
{
	struct plan_cond c = { 0, CMP_GT, 130 };
	int i;
	(void)state;
	assert_true(plan_cond_holds(&c, 131));
	assert_false(plan_cond_holds(&c, 130));
	c.op = CMP_GE;
	assert_true(plan_cond_holds(&c, 130));
	c.op = CMP_LT;
	assert_true(plan_cond_holds(&c, 129.9));
	c.op = CMP_LE;
	assert_false(plan_cond_holds(&c, 130.1));
	c.op = CMP_EQ;
	assert_true(plan_cond_holds(&c, 130));
	c.op = CMP_NE;
	assert_false(plan_cond_holds(&c, 130));
	assert_string_equal(plan_cmp_name(CMP_GE), ">=");
	assert_string_equal(plan_cmp_name(CMP_NE), "!=");
	for (i = 0; i < ACT__COUNT; i++)
		assert_int_equal(action_lookup(action_info[i].name), i);
	assert_int_equal(action_lookup("note-review"), ACT_NOTE_REVIEW);
	assert_int_equal(action_lookup("all"), -1);
	assert_int_equal(action_lookup(NULL), -1);
}

static void test_find_and_list(void **state)
{
	struct error_list el;
	struct plan *p;
	char **files;
	size_t n, i;
	int seen = 0;
	(void)state;
	n = plan_list_dir("plans", &files);
	assert_true(n >= 3);
	for (i = 0; i < n; i++) {
		if (i)
			assert_true(strcmp(files[i - 1], files[i]) < 0);
		if (!strcmp(files[i], "plans/hotline-outage.yaml"))
			seen = 1;
	}
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	assert_true(seen);
	assert_int_equal(plan_list_dir("tests/no-such-dir", &files), 0);

	errlist_init(&el);
	p = plan_find("plans", "power-outage", "en", &el);
	assert_non_null(p);
	assert_string_equal(p->id, "power-outage");
	plan_free(p);
	p = plan_find("plans", "plans/crisis-generic.yaml", "en", &el);
	assert_non_null(p);
	assert_string_equal(p->id, "crisis-generic");
	plan_free(p);
	assert_int_equal(el.n, 0);
	p = plan_find("plans", "no-such-plan", "en", &el);
	assert_null(p);
	assert_int_equal(el.n, 1);
	assert_int_equal(el.v[0].code, SITREP_EXIT_PLAN);
	errlist_release(&el);
}

/* plan show: every section, CJK columns aligned by display width. */
static void test_describe(void **state)
{
	struct plan *p = load_ok("plans/hotline-outage.yaml");
	struct strbuf sb = STRBUF_INIT;
	const char *groups, *line, *end;
	int col = -1;
	(void)state;
	sb_init(&sb);
	plan_describe(p, &sb);
	assert_non_null(strstr(sb.buf, p->original_title));
	assert_non_null(strstr(sb.buf, "\nLevels"));
	assert_non_null(strstr(sb.buf, "\nWarnings"));
	assert_non_null(strstr(sb.buf, "\nTriggers"));
	assert_non_null(strstr(sb.buf, "\nLevel decision matrix"));
	assert_non_null(strstr(sb.buf, "\nLift criteria"));
	assert_non_null(strstr(sb.buf, "\nTermination criteria"));
	assert_non_null(strstr(sb.buf, "\nObligations"));
	assert_non_null(strstr(sb.buf, "\nRoles"));
	assert_non_null(strstr(sb.buf, "\nResources"));
	assert_non_null(strstr(sb.buf, "\nChannels"));
	assert_non_null(strstr(sb.buf, "queue_min > 8"));
	assert_non_null(strstr(sb.buf, "within 5m of open"));
	assert_non_null(strstr(sb.buf, "every 2h while response"));
	/* in the Groups table (names hold CJK), "lead:" starts at one column */
	groups = strstr(sb.buf, "\nGroups\n");
	assert_non_null(groups);
	line = groups + strlen("\nGroups\n");
	while (*line == ' ') {
		const char *lead = strstr(line, "lead:");
		char *prefix;
		int w;
		end = strchr(line, '\n');
		assert_non_null(lead);
		assert_true(lead < end);
		prefix = strndup(line, (size_t)(lead - line));
		w = tx_width(prefix);
		free(prefix);
		if (col < 0)
			col = w;
		assert_int_equal(w, col);
		line = end + 1;
	}
	assert_true(col > 0);
	sb_release(&sb);
	plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hotline_plan),
		cmocka_unit_test(test_power_plan),
		cmocka_unit_test(test_crisis_plan),
		cmocka_unit_test(test_bad_fixtures),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_buffer_and_roster),
		cmocka_unit_test(test_any_level_event),
		cmocka_unit_test(test_repeat_key),
		cmocka_unit_test(test_dim_values),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_find_and_list),
		cmocka_unit_test(test_describe),
	};
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
