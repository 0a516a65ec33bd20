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

#include "sitrep/i18n.h"
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

/* Load base_plan + extra in language lang; returns the plan (NULL on
 * errors, left in el). */
static struct plan *load_extra_lang(const char *extra, const char *lang, int expect_ok,
				    struct error_list *el)
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
	p = plan_load_buffer("x.yaml", sb.buf, sb.len, lang, el);
	sb_reset(&sb);
	errlist_format(el, &sb);
	if (expect_ok && !p)
		print_error("%s", sb.buf);
	sb_release(&sb);
	return p;
}

static struct plan *load_extra(const char *extra, int expect_ok, struct error_list *el)
{
	return load_extra_lang(extra, "en", expect_ok, el);
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
	/* a whole region down is its own value (000 §1.2), not one region's fault */
	assert_string_equal(p->matrix.dims[scope].values[plan_dim_value(p, scope, "regional")],
			    "regional");
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

/* What a dimension's values are called: each in the plan's chosen
 * language; a label must name a value (FILE:LINE:COL otherwise). */
static void test_dim_labels(void **state)
{
	static const char extra[] =
		"matrix:\n"
		"  dimensions:\n"
		"    - id: scope\n"
		"      values: [node, region]\n"
		"      labels:\n"
		"        node: {zh_CN: 单节点, en: one node}\n"
		"  rules: []\n";
	struct error_list el;
	struct plan *p;
	(void)state;
	p = load_extra_lang(extra, "zh_CN", 1, &el);
	assert_non_null(p->matrix.dims[0].labels);
	assert_string_equal(p->matrix.dims[0].labels[0], "单节点");
	assert_null(p->matrix.dims[0].labels[1]); /* shown as its id */
	plan_free(p);
	errlist_release(&el);
	p = load_extra_lang(extra, "en", 1, &el);
	assert_string_equal(p->matrix.dims[0].labels[0], "one node");
	plan_free(p);
	errlist_release(&el);
	assert_one_error("matrix:\n  dimensions:\n    - id: scope\n      values: [node]\n"
			 "      labels: {moon: Moon}\n  rules: []\n",
			 14, 16, "undefined value 'moon' of dimension 'scope'");
	assert_one_error("matrix:\n  dimensions:\n    - id: scope\n      values: [node]\n"
			 "      labels: [node]\n  rules: []\n",
			 14, 15, "expected a mapping of value: text for 'labels', found a list");
}

/* audiences: the names of the contact groups notices send to, in the
 * language the plan is loaded in; a key that is not an id is an error. */
static void test_audiences(void **state)
{
	static const char extra[] =
		"audiences:\n"
		"  superiors: {zh_CN: 上级主管部门, en: the superior authorities}\n"
		"  vp_ops: 分管运营副总经理\n";
	struct error_list el;
	struct plan *p;
	(void)state;
	p = load_extra_lang(extra, "zh_CN", 1, &el);
	assert_int_equal(p->naudiences, 2);
	assert_string_equal(p->audience_ids[0], "superiors");
	assert_string_equal(p->audience_names[0], "上级主管部门");
	assert_string_equal(p->audience_names[1], "分管运营副总经理");
	plan_free(p);
	errlist_release(&el);
	p = load_extra_lang(extra, "en", 1, &el);
	assert_string_equal(p->audience_names[0], "the superior authorities");
	plan_free(p);
	errlist_release(&el);
	assert_one_error("audiences:\n  the hq: HQ\n", 11, 3, "invalid audience id 'the hq'");
	assert_one_error("audiences: [superiors]\n", 10, 12,
			 "expected a mapping of group: text for 'audiences', found a list");
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
		assert_null(strstr(files[i], ".example.yaml"));
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

/* ------------------------------------------------------------------ */
/* Texts in several languages                                          */

static const char multilingual[] =
	"sitrep_plan: 1\n"
	"id: ml\n"
	"title: {zh_CN: 热线中断应急预案, en: Hotline outage plan}\n"
	"description: {en: Scope, zh: 范围, zh_TW: 範圍}\n"
	"metrics:\n"
	"  - {id: queue_min, name: {en: Queue, zh_CN: 排队时长}, unit: {en: min, zh_CN: 分钟}}\n"
	"levels:\n"
	"  - id: I\n"
	"    name: {zh_TW: 一級響應, en: Level I}\n"
	"    conditions:\n"
	"      - {en: nationwide, zh_CN: 全国}\n"
	"      - plain text\n"
	"warnings:\n"
	"  - {id: blue, notify: {en: the duty manager, zh_CN: 值班经理}}\n"
	"obligations:\n"
	"  - id: verify_report\n"
	"    title: {zh_CN: 值班经理5分钟内完成信息核实, en: Duty manager verifies the report within 5 minutes}\n"
	"    within: 5m\n"
	"    of: open\n"
	"roles:\n"
	"  - {id: commander, name: {fr: Commandant, en: Commander}, actions: all}\n"
	"groups:\n"
	"  - {id: hq, name: {en: HQ, zh_CN: 指挥部}, members: [{en: CTO, zh_CN: 首席技术官}, COO]}\n";

static struct plan *load_ml(const char *lang)
{
	struct error_list el;
	struct plan *p;
	errlist_init(&el);
	p = plan_load_buffer("ml.yaml", multilingual, strlen(multilingual), lang, &el);
	if (!p) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		errlist_format(&el, &sb);
		print_error("%s", sb.buf);
		sb_release(&sb);
	}
	assert_non_null(p);
	errlist_release(&el);
	return p;
}

/* exact language, else the same language, else the first given; ids never change */
static void test_texts_by_language(void **state)
{
	struct plan *p;
	(void)state;
	p = load_ml("zh_CN");
	assert_string_equal(p->lang, "zh_CN");
	assert_string_equal(p->title, "热线中断应急预案");
	assert_string_equal(p->description, "范围");          /* zh for zh_CN */
	assert_string_equal(p->metrics[0].name, "排队时长");
	assert_string_equal(p->metrics[0].unit, "分钟");
	assert_string_equal(p->levels[0].name, "一級響應");    /* zh_TW: same language */
	assert_int_equal(p->levels[0].nconditions, 2);
	assert_string_equal(p->levels[0].conditions[0], "全国");
	assert_string_equal(p->levels[0].conditions[1], "plain text");
	assert_string_equal(p->warnings[0].notify[0], "值班经理");
	assert_string_equal(p->obligations[0].title, "值班经理5分钟内完成信息核实");
	assert_string_equal(p->roles[0].name, "Commandant");   /* no zh: the first */
	assert_string_equal(p->groups[0].members[0], "首席技术官");
	assert_string_equal(p->groups[0].members[1], "COO");
	assert_string_equal(p->obligations[0].id, "verify_report");
	assert_string_equal(p->metrics[0].id, "queue_min");
	plan_free(p);

	p = load_ml("zh_TW");
	assert_string_equal(p->description, "範圍");          /* exact */
	assert_string_equal(p->title, "热线中断应急预案");    /* zh_CN: same language */
	plan_free(p);

	p = load_ml("zh");
	assert_string_equal(p->description, "范围");
	assert_string_equal(p->title, "热线中断应急预案");
	plan_free(p);

	p = load_ml("en_US");
	assert_string_equal(p->lang, "en_US");
	assert_string_equal(p->title, "Hotline outage plan");
	assert_string_equal(p->obligations[0].title,
			    "Duty manager verifies the report within 5 minutes");
	assert_string_equal(p->roles[0].name, "Commander");
	assert_string_equal(p->groups[0].members[0], "CTO");
	plan_free(p);

	p = load_ml("de");                                      /* none: the first given */
	assert_string_equal(p->title, "热线中断应急预案");
	assert_string_equal(p->description, "Scope");
	plan_free(p);

	/* NULL: the user's language */
	i18n_set_lang("zh_CN");
	p = load_ml(NULL);
	assert_string_equal(p->lang, "zh_CN");
	assert_string_equal(p->title, "热线中断应急预案");
	plan_free(p);
	i18n_set_lang(NULL);
}

static void test_text_errors(void **state)
{
	(void)state;
	assert_one_error("description: {zh-CN: 范围}\n", 10, 15,
			 "invalid language 'zh-CN' in 'description': write it like 'en', 'zh' or "
			 "'zh_CN'");
	assert_one_error("description: {}\n", 10, 14,
			 "expected at least one language in 'description', found an empty mapping");
	assert_one_error("description: {en: [a, b]}\n", 10, 19,
			 "expected a string for 'en' in 'description', found a list");
	assert_one_error("description: {en: }\n", 10, 19,
			 "expected a string for 'en' in 'description', found nothing");
	assert_one_error("warnings:\n  - {id: blue, notify: [a, {EN: b}]}\n", 11, 29,
			 "invalid language 'EN' in 'notify': write it like 'en', 'zh' or 'zh_CN'");
	/* a text that is not a text at all */
	assert_one_error("description: [a, b]\n", 10, 14,
			 "expected a string for 'description', found a list");
}

/* ------------------------------------------------------------------ */
/* Metrics, criteria, resources                                        */

static void test_stale_after(void **state)
{
	struct error_list el;
	struct plan *p;
	(void)state;
	p = load_extra("metrics:\n"
		       "  - {id: a}\n"
		       "  - {id: b, stale_after: 2h}\n", 1, &el);
	assert_non_null(p);
	assert_int_equal(p->metrics[0].stale_after, PLAN_STALE_AFTER);
	assert_int_equal(PLAN_STALE_AFTER, 3600);
	assert_int_equal(p->metrics[1].stale_after, 7200);
	plan_free(p);
	errlist_release(&el);
	assert_one_error("metrics:\n  - {id: a, stale_after: 0}\n", 11, 26,
			 "'stale_after' must be longer than 0");
	assert_one_error("metrics:\n  - {id: a, stale_after: -5m}\n", 11, 26,
			 "negative duration '-5m' for 'stale_after'");
	assert_one_error("metrics:\n  - {id: a, stale_after: soon}\n", 11, 26,
			 "expected a duration like 30s, 5m, 2h or 3d for 'stale_after', found 'soon'");
	assert_one_error("metrics:\n  - {id: a, stale_afer: 1h}\n", 11, 13,
			 "unknown key 'stale_afer' in metric (did you mean 'stale_after'?)");
}

/* a unit of "%" in every language gives the 0..100 range in every language */
static void test_pct_unit_any_language(void **state)
{
	static const char *const langs[] = { "en", "zh_CN" };
	size_t i;
	(void)state;
	for (i = 0; i < 2; i++) {
		struct error_list el;
		struct plan *p = load_extra_lang("metrics:\n"
						 "  - {id: a, unit: {en: \"%\", zh_CN: \"%\"}}\n"
						 "  - {id: b, unit: {en: \"%\", zh_CN: 百分比}}\n",
						 langs[i], 1, &el);
		assert_non_null(p);
		assert_true(p->metrics[0].has_max && p->metrics[0].max == 100);
		assert_false(p->metrics[1].has_max);
		plan_free(p);
		errlist_release(&el);
	}
}

static void test_resources(void **state)
{
	struct error_list el;
	struct plan *p;
	(void)state;
	p = load_extra("resources:\n"
		       "  - {id: power_vehicle, item: {en: Emergency power vehicle, zh_CN: 应急电源车}, count: 2}\n"
		       "  - {id: suits, item: Anti-static suits, count: 50}\n"
		       "criteria:\n"
		       "  - {id: withdrawn, title: All resources withdrawn, resources: withdrawn}\n"
		       "termination: withdrawn\n", 1, &el);
	assert_non_null(p);
	assert_int_equal(plan_resource_index(p, "power_vehicle"), 0);
	assert_int_equal(plan_resource_index(p, "suits"), 1);
	assert_int_equal(plan_resource_index(p, "Anti-static suits"), -1);
	assert_string_equal(plan_resource_id(p, 1), "suits");
	assert_null(plan_resource_id(p, 2));
	assert_string_equal(p->resources[0].item, "Emergency power vehicle");
	assert_int_equal(p->criteria[0].kind, CRIT_RESOURCES);
	assert_int_equal(p->criteria[0].role, -1);
	assert_int_equal(p->ntermination, 1);
	plan_free(p);
	errlist_release(&el);

	assert_one_error("resources:\n  - {item: Suits}\n", 11, 5, "missing key 'id' in resource");
	assert_one_error("resources:\n  - {id: suits, item: A}\n  - {id: suits, item: B}\n", 12, 10,
			 "duplicate resource id 'suits' (first at line 11)");
	assert_one_error("resources:\n  - {id: anti static, item: A}\n", 11, 10,
			 "invalid id 'anti static': use ASCII letters, digits, '_', '-' or '.'");
	assert_one_error("resources:\n  - {id: a, item: A}\n"
			 "criteria:\n  - {id: c, resources: deployed}\n", 13, 24,
			 "expected 'withdrawn' for 'resources', found 'deployed'");
	assert_one_error("resources:\n  - {id: a, item: A}\n"
			 "criteria:\n  - {id: c, attest: any, resources: withdrawn}\n", 13, 37,
			 "a criterion has either 'attest' or 'resources', not both");
	assert_one_error("resources:\n  - {id: a, item: A}\n"
			 "criteria:\n  - {id: c, resources: withdrawn, for: 1h}\n", 13, 40,
			 "'for' only applies to 'when' criteria");
	assert_one_error("criteria:\n  - {id: c, resources: withdrawn}\n", 11, 24,
			 "'resources: withdrawn' needs a resources ledger ('resources' in the plan)");
	assert_one_error("criteria:\n  - {id: c, title: C}\n", 11, 5,
			 "a criterion needs 'when' (metric conditions), 'attest' (a role) or "
			 "'resources: withdrawn'");
}

/* ------------------------------------------------------------------ */
/* Notices                                                             */

static const char notices_yaml[] =
	"warnings:\n"                                                     /* 10 */
	"  - {id: blue}\n"
	"triggers:\n"
	"  - {id: ddos, when: calls > 100, raise: blue}\n"
	"metrics:\n"
	"  - {id: calls}\n"                                               /* 15 */
	"  - {id: legal_ok}\n"
	"roles:\n"
	"  - {id: comms, actions: [log, notify, approve]}\n"
	"  - {id: legal, actions: approve}\n"
	"channels:\n"                                                     /* 20 */
	"  - {id: website, name: Website notice}\n"
	"obligations:\n"
	"  - {id: follow_up, title: Follow up, within: 1h, of: done:statement}\n"
	"notices:\n"
	"  - id: statement\n"                                             /* 25 */
	"    title: {en: Impact statement, zh_CN: 影响说明}\n"
	"    within: 15m\n"
	"    of: response\n"
	"    owner: comms\n"
	"    to: [website, hq, comms]\n"                                  /* 30 */
	"    review: legal\n"
	"    channel: sms\n"
	"    subject: '[{level}] {title}'\n"
	"    template: |\n"
	"      {incident}: {title} since {opened} ({tplus}).\n"          /* 35 */
	"      Level {level} ({level_name}); {{braces}} stay.\n"
	"    cite: 15分钟发布影响说明 (§3.4)\n"
	"  - id: progress\n"
	"    title: Progress update\n"
	"    every: 30m\n"                                                /* 40 */
	"    while: response\n"
	"    to: hq\n"
	"    template: '{readings} {responders} {changes} {now}'\n"
	"  - id: ddos_alert\n"
	"    title: DDoS alert\n"                                         /* 45 */
	"    within: 5m\n"
	"    of: trigger:ddos\n"
	"    repeat: true\n"
	"    met_by: [response]\n"
	"    to: [duty]\n"                                                /* 50 */
	"    template: >\n"
	"      {warning} {warning_name} {scope} {expected}\n"
	"      {measures} {commander} {plan} {notice}\n";

/* base_plan's roles are replaced: the test plan declares its own */
static struct plan *load_notices(const char *yaml, int expect_ok, struct error_list *el)
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
		     "# no roles here:\n"
		     "# the notices below\n"
		     "# declare them\n");
	sb_adds(&sb, yaml);
	errlist_init(el);
	p = plan_load_buffer("n.yaml", sb.buf, sb.len, "en", el);
	sb_reset(&sb);
	errlist_format(el, &sb);
	if (expect_ok && !p)
		print_error("%s", sb.buf);
	sb_release(&sb);
	return p;
}

static void test_notices(void **state)
{
	struct error_list el;
	struct strbuf sb = STRBUF_INIT;
	const struct plan_notice *n;
	const struct plan_obligation *o;
	struct plan *p;
	int i;
	(void)state;
	p = load_notices(notices_yaml, 1, &el);
	assert_non_null(p);
	assert_int_equal(p->nnotices, 3);
	/* one obligation per notice, after the plan's own */
	assert_int_equal(p->nobligations, 4);
	assert_int_equal(p->obligations[0].notice, -1);
	for (i = 0; i < 3; i++) {
		n = &p->notices[i];
		o = &p->obligations[n->obligation];
		assert_int_equal(n->obligation, 1 + i);
		assert_int_equal(o->notice, i);
		assert_string_equal(o->id, n->id);
		assert_string_equal(o->title, n->title);
		assert_int_equal(plan_notice_index(p, n->id), i);
		assert_string_equal(plan_notice_id(p, i), n->id);
		assert_int_equal(plan_obligation_index(p, n->id), n->obligation);
	}
	assert_null(plan_notice_id(p, 3));
	assert_int_equal(plan_notice_index(p, "follow_up"), -1);

	n = &p->notices[0];
	o = &p->obligations[n->obligation];
	assert_string_equal(n->title, "Impact statement");
	assert_false(o->is_cadence);
	assert_int_equal(o->within, 15 * 60);
	assert_int_equal(o->anchor.kind, ANCHOR_RESPONSE);
	assert_int_equal(o->owner, plan_role_index(p, "comms"));
	assert_string_equal(o->cite, "15分钟发布影响说明 (§3.4)");
	assert_int_equal(n->nto, 3);
	assert_string_equal(n->to[0], "website");
	assert_string_equal(n->to[1], "hq");
	assert_string_equal(n->to[2], "comms");
	assert_int_equal(n->review, plan_role_index(p, "legal"));
	assert_string_equal(n->channel, "sms");
	assert_string_equal(n->subject, "[{level}] {title}");
	assert_string_equal(n->template_text,
			    "{incident}: {title} since {opened} ({tplus}).\n"
			    "Level {level} ({level_name}); {{braces}} stay.\n");
	/* done:NOTICE names the notice's obligation */
	assert_int_equal(p->obligations[0].anchor.kind, ANCHOR_DONE);
	assert_int_equal(p->obligations[0].anchor.ref, n->obligation);

	n = &p->notices[1];
	o = &p->obligations[n->obligation];
	assert_true(o->is_cadence);
	assert_int_equal(o->every, 30 * 60);
	assert_int_equal(o->owner, -1);
	assert_int_equal(n->review, -1);
	assert_null(n->channel);
	assert_null(n->subject);

	n = &p->notices[2];
	o = &p->obligations[n->obligation];
	assert_int_equal(o->anchor.kind, ANCHOR_TRIGGER);
	assert_int_equal(o->anchor.ref, 0);
	assert_true(o->repeat);
	assert_int_equal(o->nmet_by, 1);
	assert_string_equal(n->template_text,
			    "{warning} {warning_name} {scope} {expected} {measures} {commander} "
			    "{plan} {notice}\n");

	sb_init(&sb);
	plan_describe(p, &sb);
	assert_non_null(strstr(sb.buf, "\nNotices"));
	assert_non_null(strstr(sb.buf, "within 15m of response"));
	assert_non_null(strstr(sb.buf, "to website, hq, comms via sms, reviewed by legal"));
	assert_non_null(strstr(sb.buf, "within 5m of trigger:ddos (each time), met by response"));
	sb_release(&sb);
	plan_free(p);
	errlist_release(&el);
}

/* The template's fields exist: every placeholder is in plan_template_fields. */
static void test_template_fields_list(void **state)
{
	static const char *const want[] = {
		"incident", "title", "plan", "level", "level_name", "warning", "warning_name",
		"scope", "expected", "measures", "readings", "commander", "tplus", "opened",
		"now", "changes", "responders", "notice"
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof want / sizeof *want; i++)
		assert_string_equal(plan_template_fields[i], want[i]);
	assert_null(plan_template_fields[i]);
}

static const char notice_head[] =
	"notices:\n"             /* 10 */
	"  - id: n\n"
	"    title: N\n"
	"    to: commander\n"
	"    within: 5m\n"
	"    of: open\n";         /* 15 */

static void assert_notice_error(const char *rest, int line, int col, const char *msg)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	sb_adds(&sb, notice_head);
	sb_adds(&sb, rest);
	assert_one_error(sb.buf, line, col, msg);
	sb_release(&sb);
}

/* An unknown {field} is an error where it is written. */
static void test_template_errors(void **state)
{
	(void)state;
	/* a literal block: the real line and column */
	assert_notice_error("    template: |\n"
			    "      Level {level} since {opened}.\n"
			    "      Scope: {scoep}\n", 18, 14,
			    "unknown field '{scoep}' in 'template' (did you mean '{scope}'?)");
	/* folded, with CJK before it: columns count characters */
	assert_notice_error("    template: >\n"
			    "      Level {level}\n"
			    "      级别 {levle}\n", 18, 10,
			    "unknown field '{levle}' in 'template' (did you mean '{level}'?)");
	/* the header's comment is not the text */
	assert_notice_error("    template: | # not {levle}\n"
			    "      {level} and {levle}\n", 17, 19,
			    "unknown field '{levle}' in 'template' (did you mean '{level}'?)");
	/* the same text twice: the second one */
	assert_notice_error("    template: |\n"
			    "      {{levle}} {levle}\n", 17, 17,
			    "unknown field '{levle}' in 'template' (did you mean '{level}'?)");
	/* quoted on one line: the exact column */
	assert_notice_error("    template: \"Level \\t{levle}\"\n", 16, 24,
			    "unknown field '{levle}' in 'template' (did you mean '{level}'?)");
	assert_notice_error("    template: 'It''s {weather}'\n", 16, 22,
			    "unknown field '{weather}' in 'template'");
	/* written with an escape: the string's start */
	assert_notice_error("    template: \"\\x7bweather}\"\n", 16, 15,
			    "unknown field '{weather}' in 'template'");
	/* every language is checked, whichever the plan is loaded in */
	assert_notice_error("    template: {en: '{level}', zh_CN: '级别 {levle}'}\n", 16, 42,
			    "unknown field '{levle}' in 'template' (did you mean '{level}'?)");
	/* a duplicated language is reported once, as a duplicate */
	assert_notice_error("    template: {en: '{level}', en: '{levle}'}\n", 16, 31,
			    "duplicate key 'en' (first at line 16)");
	assert_notice_error("    template: T\n    subject: 'x {Level}'\n", 17, 17,
			    "unknown field '{Level}' in 'subject' (did you mean '{level}'?)");
	assert_notice_error("    template: 'a { b'\n", 16, 18,
			    "unclosed '{' in 'template' (write '{{' for a brace)");
	assert_notice_error("    template: 'a } b'\n", 16, 18,
			    "single '}' in 'template' (write '}}' for a brace)");
	assert_notice_error("    template: 'a {} b'\n", 16, 18, "unknown field '{}' in 'template'");
}

/* A template full of stray braces: 100 errors placed, then one line
 * saying so; placing each costs a pass over the text, so the check stops
 * there (it used to take seconds per 100 KB). */
static void test_template_error_cap(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct error_list el;
	struct plan *p;
	int i;
	(void)state;
	sb_init(&sb);
	sb_adds(&sb, notice_head);
	sb_adds(&sb, "    template: '");
	for (i = 0; i < 20000; i++)
		sb_adds(&sb, "{aaaaaaaaaaaaaaaaaaaa ");
	sb_adds(&sb, "'\n");
	p = load_extra(sb.buf, 0, &el);
	assert_null(p);
	assert_int_equal(el.n, 101);
	assert_int_equal(el.v[0].line, 16);
	assert_int_equal(el.v[0].col, 16);
	assert_int_equal(el.v[99].col, 16 + 99 * 22);
	assert_string_equal(el.v[100].msg, "too many errors, stopped after 100");
	errlist_release(&el);
	sb_release(&sb);
}

static void test_notice_errors(void **state)
{
	(void)state;
	assert_one_error("notices:\n  - {id: n, title: N, to: x, within: 5m, of: open}\n", 11, 5,
			 "missing key 'template' in notice");
	assert_one_error("notices:\n  - {id: n, title: N, template: T, within: 5m, of: open}\n",
			 11, 5,
			 "missing key 'to' in notice (the roles, channels or contact groups to tell)");
	assert_one_error("notices:\n  - {id: n, title: N, to: [], template: T, within: 5m, of: open}\n",
			 11, 27, "a notice needs at least one recipient in 'to'");
	assert_one_error("notices:\n  - {id: n, title: N, to: [the hq], template: T, within: 5m, of: open}\n",
			 11, 28,
			 "invalid recipient 'the hq': use ASCII letters, digits, '_', '-' or '.'");
	assert_one_error("notices:\n  - {id: n, title: N, to: hq, template: T}\n", 11, 5,
			 "a notice needs 'within' and 'of' (a deadline) or 'every' and 'while' (a "
			 "cadence)");
	assert_one_error("notices:\n  - {id: n, title: N, to: hq, template: T, within: 5m}\n", 11, 5,
			 "missing key 'of' in notice (the event the deadline runs from)");
	assert_one_error("notices:\n  - {id: n, title: N, to: hq, template: T, within: 5m, of: open, review: lawyer}\n",
			 11, 74, "undefined role 'lawyer'");
	assert_one_error("notices:\n  - {id: n, title: N, to: hq, template: T, within: 5m, of: open, chanel: sms}\n",
			 11, 66, "unknown key 'chanel' in notice (did you mean 'channel'?)");
	/* a notice is a deadline by its id */
	assert_one_error("obligations:\n  - {id: n, title: O, within: 5m, of: open}\n"
			 "notices:\n  - {id: n, title: N, to: hq, template: T, within: 5m, of: open}\n",
			 13, 10,
			 "notice id 'n' is also an obligation id (line 11): a notice is a deadline by "
			 "its id");
	assert_one_error("notices:\n  - {id: n, title: N, to: hq, template: T, within: 5m, of: open}\n"
			 "  - {id: n, title: M, to: hq, template: T, within: 5m, of: open}\n",
			 12, 10, "duplicate notice id 'n' (first at line 11)");
	assert_one_error("notices:\n  - {id: n, title: N, to: hq, template: T, every: 1h, while: lift}\n",
			 11, 62,
			 "'lift' is an event, not a state (expected open, warning, warning:ID, "
			 "response or level:ID)");
}

/* trigger:ID: an event in `of` and `met_by`, never a state */
static void test_trigger_event(void **state)
{
	struct error_list el;
	struct plan *p;
	(void)state;
	p = load_extra("metrics:\n  - {id: q}\n"
		       "triggers:\n  - {id: slow, when: q > 8, propose: II}\n"
		       "obligations:\n"
		       "  - {id: a, title: A, within: 5m, of: trigger:slow}\n"
		       "  - {id: b, title: B, within: 1h, of: open, met_by: [trigger:slow, response]}\n",
		       1, &el);
	assert_non_null(p);
	assert_int_equal(p->obligations[0].anchor.kind, ANCHOR_TRIGGER);
	assert_int_equal(p->obligations[0].anchor.ref, 0);
	assert_int_equal(p->obligations[1].met_by[0].kind, ANCHOR_TRIGGER);
	assert_int_equal(p->obligations[1].met_by[0].ref, 0);
	assert_string_equal(plan_trigger_id(p, 0), "slow");
	assert_null(plan_trigger_id(p, 1));
	plan_free(p);
	errlist_release(&el);
	assert_one_error("metrics:\n  - {id: q}\n"
			 "triggers:\n  - {id: slow, when: q > 8, propose: II}\n"
			 "obligations:\n  - {id: a, title: A, every: 5m, while: trigger:slow}\n",
			 15, 41,
			 "'trigger:slow' is an event, not a state (expected open, warning, "
			 "warning:ID, response or level:ID)");
	assert_one_error("metrics:\n  - {id: q}\n"
			 "triggers:\n  - {id: slow, when: q > 8, propose: II}\n"
			 "obligations:\n  - {id: a, title: A, within: 5m, of: trigger:slw}\n",
			 15, 39, "undefined trigger 'slw' (did you mean 'slow'?)");
	/* with triggers, the help names trigger:ID */
	assert_one_error("metrics:\n  - {id: q}\n"
			 "triggers:\n  - {id: slow, when: q > 8, propose: II}\n"
			 "obligations:\n  - {id: a, title: A, within: 5m, of: trigger}\n",
			 15, 39,
			 "unknown event 'trigger' (expected open, warning, warning:ID, response, "
			 "level, level:ID, proposal, trigger:ID, done:ID, lift or terminate)");
}

/* plan_X_id: NULL out of range, -1 and NULL plans included */
static void test_ids_by_index(void **state)
{
	struct plan *p = load_ok("plans/hotline-outage.yaml");
	(void)state;
	assert_string_equal(plan_metric_id(p, 0), "complaints_pct");
	assert_null(plan_metric_id(p, -1));
	assert_null(plan_metric_id(p, (int)p->nmetrics));
	assert_string_equal(plan_level_id(p, 0), "III");
	assert_null(plan_level_id(p, 3));
	assert_string_equal(plan_warning_id(p, 1), "yellow");
	assert_null(plan_warning_id(p, 2));
	assert_string_equal(plan_trigger_id(p, 0), "complaints_peak");
	assert_string_equal(plan_role_id(p, 0), "commander");
	assert_null(plan_role_id(p, -1));
	assert_string_equal(plan_criterion_id(p, 0), "core_indicators_on_target");
	assert_string_equal(plan_obligation_id(p, 0), "verify_report");
	assert_null(plan_obligation_id(p, (int)p->nobligations));
	assert_string_equal(plan_resource_id(p, 0), "power_vehicle");
	assert_int_equal(plan_resource_index(p, "power_vehicle"), 0);
	assert_non_null(plan_notice_id(p, 0)); /* the hotline plan has notices */
	assert_null(plan_notice_id(p, (int)p->nnotices));
	assert_null(plan_metric_id(NULL, 0));
	assert_int_equal(plan_metric_index(NULL, "x"), -1);
	assert_int_equal(plan_notice_index(p, NULL), -1);
	plan_free(p);
}

/* Role actions: every name of SITREP_ACTIONS, plus all */
static void test_role_actions(void **state)
{
	struct error_list el;
	struct plan *p;
	(void)state;
	p = load_notices("roles:\n"
			 "  - {id: comms, actions: [notify, approve, resource, assign, owner, task, correct]}\n"
			 "  - {id: boss, actions: all}\n", 1, &el);
	assert_non_null(p);
	assert_int_equal(p->roles[0].actions,
			 (1u << ACT_NOTIFY) | (1u << ACT_APPROVE) | (1u << ACT_RESOURCE) |
			 (1u << ACT_ASSIGN) | (1u << ACT_OWNER) | (1u << ACT_TASK) |
			 (1u << ACT_CORRECT));
	assert_int_equal(p->roles[1].actions, (1u << ACT__COUNT) - 1);
	plan_free(p);
	errlist_release(&el);
	p = load_notices("roles:\n  - {id: comms, actions: [notfy, al]}\n", 0, &el);
	assert_null(p);
	assert_int_equal(el.n, 2);
	assert_string_equal(el.v[0].msg, "unknown action 'notfy' (did you mean 'notify'?)");
	assert_string_equal(el.v[1].msg, "unknown action 'al' (did you mean 'all'?)");
	errlist_release(&el);
}

/* ------------------------------------------------------------------ */
/* Bad input                                                           */

static void assert_bytes_refused(const char *bytes, size_t len, int line, int col,
				 const char *msg)
{
	struct error_list el;
	/* exactly len bytes on the heap, no terminating NUL: a strlen would be
	 * caught by the address sanitizer */
	char *copy = xmalloc(len ? len : 1);
	struct plan *p;
	memcpy(copy, bytes, len);
	errlist_init(&el);
	p = plan_load_buffer("plans/x.yaml", copy, len, "en", &el);
	assert_null(p);
	if (el.n != 1 || strcmp(el.v[0].msg, msg) != 0)
		print_error("want '%s', got %zu errors, first '%s'\n", msg, el.n,
			    el.n ? el.v[0].msg : "");
	assert_int_equal(el.n, 1);
	assert_string_equal(el.v[0].path, "plans/x.yaml");
	assert_int_equal(el.v[0].line, line);
	assert_int_equal(el.v[0].col, col);
	assert_string_equal(el.v[0].msg, msg);
	errlist_release(&el);
	free(copy);
}

/* UTF-16 and UTF-32 (with or without a byte-order mark), NUL bytes,
 * invalid bytes: refused, saying what the file is. */
static void test_not_utf8(void **state)
{
	static const char u16le_bom[] = "\xff\xfes\0i\0t\0r\0e\0p\0_\0p\0l\0a\0n\0:\0 \0""1\0\n\0";
	static const char u16be_bom[] = "\xfe\xff\0s\0i\0t\0r\0e\0p\0_\0p\0l\0a\0n\0:\0 \0""1\0\n";
	static const char u16le[] = "s\0i\0t\0r\0e\0p\0_\0p\0l\0a\0n\0:\0 \0""1\0\n\0";
	static const char u16be[] = "\0s\0i\0t\0r\0e\0p";
	static const char u32le[] = "\xff\xfe\0\0s\0\0\0i\0\0\0";
	static const char u32be_nobom[] = "\0\0\0s\0\0\0i";
	static const char nul[] = "sitrep_plan: 1\nid: t\ntitle: T\0\n";
	static const char latin1[] = "sitrep_plan: 1\nid: t\ntitle: caf\xe9\n";
	static const char overlong[] = "title: \xc0\xaf\n";
	static const char surrogate[] = "title: \xed\xa0\x80\n";
	static const char cut[] = "title: \xe4\xb8";
	(void)state;
	assert_bytes_refused(u16le_bom, sizeof u16le_bom - 1, 1, 1,
			     "the plan is UTF-16; save it as UTF-8");
	assert_bytes_refused(u16be_bom, sizeof u16be_bom - 1, 1, 1,
			     "the plan is UTF-16; save it as UTF-8");
	assert_bytes_refused(u16le, sizeof u16le - 1, 1, 1, "the plan is UTF-16; save it as UTF-8");
	assert_bytes_refused(u16be, sizeof u16be - 1, 1, 1, "the plan is UTF-16; save it as UTF-8");
	assert_bytes_refused(u32le, sizeof u32le - 1, 1, 1, "the plan is UTF-32; save it as UTF-8");
	assert_bytes_refused(u32be_nobom, sizeof u32be_nobom - 1, 1, 1,
			     "the plan is UTF-32; save it as UTF-8");
	assert_bytes_refused(nul, sizeof nul - 1, 3, 9,
			     "the plan holds a NUL byte; save it as UTF-8 text");
	assert_bytes_refused("\0", 1, 1, 1, "the plan holds a NUL byte; save it as UTF-8 text");
	assert_bytes_refused(latin1, sizeof latin1 - 1, 3, 11,
			     "invalid text: invalid trailing UTF-8 octet");
	assert_bytes_refused("\xff", 1, 1, 1, "invalid text: invalid leading UTF-8 octet (byte 0xff)");
	assert_bytes_refused(overlong, sizeof overlong - 1, 1, 8,
			     "invalid text: invalid length of a UTF-8 sequence");
	assert_bytes_refused(surrogate, sizeof surrogate - 1, 1, 8,
			     "invalid text: invalid Unicode character");
	assert_bytes_refused(cut, sizeof cut - 1, 1, 8,
			     "invalid text: incomplete UTF-8 octet sequence");
	/* a NUL written as an escape */
	assert_one_error("description: \"a\\0b\"\n", 10, 14, "a string holds a NUL character");
}

/* A UTF-8 byte-order mark is fine, and positions after it are unchanged. */
static void test_utf8_bom(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct error_list el;
	struct plan *p;
	(void)state;
	sb_init(&sb);
	sb_adds(&sb, "\xef\xbb\xbf");
	sb_adds(&sb, base_plan);
	errlist_init(&el);
	p = plan_load_buffer("bom.yaml", sb.buf, sb.len, "en", &el);
	assert_non_null(p);
	assert_int_equal(p->yaml_len, sb.len);
	assert_memory_equal(p->yaml, sb.buf, sb.len);
	plan_free(p);
	sb_adds(&sb, "notices:\n  - {id: n, title: N, to: hq, within: 5m, of: open, template: '{x}'}\n");
	p = plan_load_buffer("bom.yaml", sb.buf, sb.len, "en", &el);
	assert_null(p);
	assert_int_equal(el.n, 1);
	assert_int_equal(el.v[0].line, 10);
	assert_int_equal(el.v[0].col, 64);
	errlist_release(&el);
	sb_release(&sb);
}

/* Every key that takes a list, given an empty one: loads or fails, and
 * (under the leak sanitizer) frees everything either way. */
static void test_empty_lists(void **state)
{
	static const struct { const char *extra, *err; } cases[] = {
		{ "lift: []\n", NULL },
		{ "termination: []\n", NULL },
		{ "warnings:\n  - {id: blue, notify: []}\n", NULL },
		{ "groups:\n  - {id: g, members: []}\n", NULL },
		{ ("metrics: []\nwarnings: []\ntriggers: []\ncriteria: []\nobligations: []\n"
		   "notices: []\ngroups: []\nresources: []\nchannels: []\nroutines: []\n"), NULL },
		{ "obligations:\n  - {id: a, title: A, within: 5m, of: open, met_by: []}\n", NULL },
		{ "obligations:\n  - {id: a, title: A, every: 5m, while: []}\n",
		  "missing value for 'while' in obligation" },
		{ "criteria:\n  - {id: c, when: []}\n", "expected at least one condition in 'when'" },
		{ "roster: {}\n", NULL },
		{ "roster:\n  alice: []\n", "user 'alice' has no roles" },
		{ "matrix:\n  dimensions: []\n  rules: []\n", "a matrix needs at least one dimension" },
		{ "matrix:\n  dimensions:\n    - {id: s, values: [a], aliases: {}}\n  rules: []\n", NULL },
		{ "matrix:\n  dimensions:\n    - {id: s, values: []}\n  rules: []\n",
		  "a dimension needs at least one value" },
		{ "matrix:\n  dimensions:\n    - {id: s, values: [a]}\n  rules:\n    - {when: {s: []}, level: I}\n",
		  NULL },
		{ "notices:\n  - {id: n, title: N, to: [], template: T, within: 5m, of: open}\n",
		  "a notice needs at least one recipient in 'to'" },
		{ "description: {}\n",
		  "expected at least one language in 'description', found an empty mapping" },
	};
	static const char *const plans[] = {
		/* the fuzzer's reproducer */
		"sitrep_plan: 1\nid: bad\ntitle: Bad \nroles:\n  - iplan\nlitle: Again\nlift:  []\n",
		"sitrep_plan: 1\nid: t\ntitle: T\nlevels: []\nroles: []\n",
		("sitrep_plan: 1\nid: t\ntitle: T\nlevels:\n  - {id: I, conditions: [], activated_by: []}\n"
		 "roles:\n  - {id: c, actions: []}\n"),
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct error_list el;
		struct plan *p = load_extra(cases[i].extra, !cases[i].err, &el);
		if (cases[i].err) {
			assert_null(p);
			assert_int_equal(el.n, 1);
			assert_string_equal(el.v[0].msg, cases[i].err);
		} else {
			assert_non_null(p);
		}
		plan_free(p);
		errlist_release(&el);
	}
	for (i = 0; i < sizeof plans / sizeof *plans; i++) {
		struct error_list el;
		struct plan *p;
		errlist_init(&el);
		p = plan_load_buffer("e.yaml", plans[i], strlen(plans[i]), "en", &el);
		if (i < 2) {
			assert_null(p);
			assert_true(el.n > 0);
		} else {
			assert_non_null(p);
			assert_int_equal(p->roles[0].actions, 0);
			assert_int_equal(p->levels[0].nconditions, 0);
		}
		plan_free(p);
		errlist_release(&el);
	}
}

/* The parsed form kept between runs loads the very same plan, in either
 * language; a damaged or foreign blob is refused, never trusted. */
static void test_frozen_plan(void **state)
{
	static const char *const langs[] = { "en", "zh_CN" };
	size_t len;
	char *yaml = slurp("plans/hotline-outage.yaml", &len);
	(void)state;
	assert_non_null(yaml);
	for (size_t l = 0; l < 2; l++) {
		struct error_list el;
		struct strbuf frozen = STRBUF_INIT, d1 = STRBUF_INIT, d2 = STRBUF_INIT;
		struct plan *p1, *p2;
		errlist_init(&el);
		sb_init(&frozen);
		sb_init(&d1);
		sb_init(&d2);
		p1 = plan_load_buffer_frozen("hotline", yaml, len, langs[l], &el, &frozen);
		assert_non_null(p1);
		p2 = plan_load_frozen("hotline", frozen.buf, frozen.len, p1->hash, langs[l], &el);
		assert_non_null(p2);
		assert_int_equal(el.n, 0);
		plan_describe(p1, &d1);
		plan_describe(p2, &d2);
		assert_string_equal(d1.buf, d2.buf);
		assert_string_equal(p1->hash, p2->hash);
		assert_int_equal(p1->yaml_len, p2->yaml_len);
		assert_memory_equal(p1->yaml, p2->yaml, p1->yaml_len);
		assert_int_equal(p1->nobligations, p2->nobligations);
		assert_int_equal(p1->nnotices, p2->nnotices);
		/* another hash, a cut blob, flipped bytes: refused, or a plan that
		 * still loads cleanly (a flip inside a text) -- never a crash */
		assert_null(plan_load_frozen("hotline", frozen.buf, frozen.len,
					     "0000000000000000000000000000000000000000000000000000000000000000",
					     langs[l], &el));
		for (size_t cut = 0; cut < frozen.len; cut += frozen.len / 97 + 1)
			assert_null(plan_load_frozen("hotline", frozen.buf, cut, NULL, langs[l], &el));
		for (size_t at = 0; at < frozen.len; at += frozen.len / 61 + 1) {
			struct plan *q;
			frozen.buf[at] ^= 0x5a;
			q = plan_load_frozen("hotline", frozen.buf, frozen.len, NULL, langs[l], &el);
			plan_free(q);
			frozen.buf[at] ^= 0x5a;
		}
		assert_int_equal(el.n, 0);
		plan_free(p1);
		plan_free(p2);
		sb_release(&frozen);
		sb_release(&d1);
		sb_release(&d2);
		errlist_release(&el);
	}
	free(yaml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hotline_plan),
		cmocka_unit_test(test_frozen_plan),
		cmocka_unit_test(test_power_plan),
		cmocka_unit_test(test_crisis_plan),
		cmocka_unit_test(test_bad_fixtures),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_buffer_and_roster),
		cmocka_unit_test(test_any_level_event),
		cmocka_unit_test(test_repeat_key),
		cmocka_unit_test(test_dim_values),
		cmocka_unit_test(test_dim_labels),
		cmocka_unit_test(test_audiences),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_find_and_list),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_texts_by_language),
		cmocka_unit_test(test_text_errors),
		cmocka_unit_test(test_stale_after),
		cmocka_unit_test(test_pct_unit_any_language),
		cmocka_unit_test(test_resources),
		cmocka_unit_test(test_notices),
		cmocka_unit_test(test_template_fields_list),
		cmocka_unit_test(test_template_errors),
		cmocka_unit_test(test_template_error_cap),
		cmocka_unit_test(test_notice_errors),
		cmocka_unit_test(test_trigger_event),
		cmocka_unit_test(test_ids_by_index),
		cmocka_unit_test(test_role_actions),
		cmocka_unit_test(test_not_utf8),
		cmocka_unit_test(test_utf8_bom),
		cmocka_unit_test(test_empty_lists),
	};
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
