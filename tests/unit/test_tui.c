/* Units of the console, without a terminal: the view logic (clocks,
 * countdowns, sparklines, layout), the key tables and the help generated
 * from them, the status line's wrapping, pickers (several marked, a
 * Chinese filter), the `may` check before a form, and screen goldens:
 * every screen drawn at 80x24 and 100x30 from fixed views, in C.UTF-8
 * (English) and zh_CN.UTF-8 (Chinese plan texts; the chrome in a
 * pseudo-translation twice as wide, as Chinese is), compared with
 * tests/golden/screens/NAME.txt. UPDATE_GOLDENS=1 rewrites them.
 *
 * The console asks app for everything; here a fake app (below) answers
 * with fixed views and records what the console asked app_act to do. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../src/tui/tui_int.h"

/* i18n.h's _() is gettext (dcgettext once optimised): the pseudo
 * translation below stands in for a catalogue. */
#undef gettext
#undef dgettext
#undef dcgettext
#undef ngettext
#undef dngettext
#undef dcngettext

/* ====================================================== pseudo translation */

static int pseudo;  /* the chrome twice as wide: ASCII letters as fullwidth */

struct tr {
	char *id;              /* a copy: a msgid with a context is built on the stack */
	char *s;
	struct tr *next;
};
static struct tr *trs;

static const char *widen(const char *msgid)
{
	struct strbuf sb = STRBUF_INIT;
	struct tr *t;
	const char *key = msgid, *ctx_end = strchr(msgid, '\004');
	for (t = trs; t; t = t->next)
		if (!strcmp(t->id, key))
			return t->s;
	sb_init(&sb);
	if (ctx_end)
		msgid = ctx_end + 1; /* "context\004msgid": the msgid translated */
	for (const char *p = msgid; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '%') {
			/* a conversion stays as it is: flags, width, length, then its letter */
			sb_addc(&sb, *p++);
			while (*p && strchr("0123456789.-+ #'hlLqjzt", *p))
				sb_addc(&sb, *p++);
			if (!*p)
				break;
			sb_addc(&sb, *p);
			continue;
		}
		if (c >= 'a' && c <= 'z') {
			unsigned cp = 0xff41 + (c - 'a');
			sb_addc(&sb, (char)(0xe0 | (cp >> 12)));
			sb_addc(&sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
			sb_addc(&sb, (char)(0x80 | (cp & 0x3f)));
		} else if (c >= 'A' && c <= 'Z') {
			unsigned cp = 0xff21 + (c - 'A');
			sb_addc(&sb, (char)(0xe0 | (cp >> 12)));
			sb_addc(&sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
			sb_addc(&sb, (char)(0x80 | (cp & 0x3f)));
		} else {
			sb_addc(&sb, *p);
		}
	}
	t = xcalloc(1, sizeof *t);
	t->id = xstrdup(key);
	t->s = sb_detach(&sb);
	t->next = trs;
	trs = t;
	return t->s;
}

static void trs_free(void)
{
	while (trs) {
		struct tr *n = trs->next;
		free(trs->id);
		free(trs->s);
		free(trs);
		trs = n;
	}
}

char *gettext(const char *msgid);
char *dgettext(const char *domain, const char *msgid);
char *dcgettext(const char *domain, const char *msgid, int category);
char *ngettext(const char *one, const char *many, unsigned long n);
char *dngettext(const char *domain, const char *one, const char *many, unsigned long n);
char *dcngettext(const char *domain, const char *one, const char *many, unsigned long n,
		 int category);

char *gettext(const char *msgid)
{
	return (char *)(pseudo ? widen(msgid) : msgid);
}
char *dgettext(const char *domain, const char *msgid)
{
	(void)domain;
	return gettext(msgid);
}
char *dcgettext(const char *domain, const char *msgid, int category)
{
	(void)domain;
	(void)category;
	return gettext(msgid);
}
char *ngettext(const char *one, const char *many, unsigned long n)
{
	return gettext(n == 1 ? one : many);
}
char *dngettext(const char *domain, const char *one, const char *many, unsigned long n)
{
	(void)domain;
	return ngettext(one, many, n);
}
char *dcngettext(const char *domain, const char *one, const char *many, unsigned long n,
		 int category)
{
	(void)domain;
	(void)category;
	return ngettext(one, many, n);
}

/* ====================================================== the fake app */

#define NOW ((int64_t)1795138200) /* 2026-11-20T01:30:00Z */
static int zh;                    /* plan texts and names in Chinese */
static int64_t fake_now = NOW;
static int terminated_fixture;    /* incident 1 is terminated, `o` still allowed */
static int tl_rows = 12;          /* entries of the fake timeline */
static size_t tl_budget = 0;      /* entries a filtered page may scan (0: all) */
static int tl_pages;              /* pages asked for */
static size_t tl_asked[512];      /* the rows each page asked for */
static int fake_changed;
static int engine_sends;          /* app says per notice whether it may be sent */

struct rec {
	enum sitrep_action kind;
	char target[128], text[512], person[128], message[1024], by_hand[256], seen[32];
	int has_seen, withdraw, followup, nmetrics;
	int64_t count, entry, due_in;
};
static struct rec recs[64];
static int nrecs;
static const char *act_refuse; /* the next app_act refuses by this rule */
static const char *act_bad;    /* ... or is not taken for its input (exit 2) */

struct app { int unused; };
static struct app the_app;
#define APP (&the_app)

#define L(en, cn) (zh ? (cn) : (en))

int64_t app_now(const struct app *a) { (void)a; return fake_now; }
const char *app_user(const struct app *a) { (void)a; return "alice"; }
const char *app_plans_dir(const struct app *a) { (void)a; return "plans"; }
int app_changed(struct app *a) { int c = fake_changed; (void)a; fake_changed = 0; return c; }
int app_poll_fd(struct app *a) { (void)a; return -1; }
void app_outcome_init(struct app_outcome *o) { memset(o, 0, sizeof *o); }
void app_outcome_release(struct app_outcome *o) { free(o->message); err_release(&o->err); }

int app_parse_reading(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end)
		return -1;
	*out = v;
	return 0;
}

int app_act(struct app *a, const struct app_request *rq, struct app_outcome *out)
{
	struct rec *r = &recs[nrecs < 63 ? nrecs++ : 63];
	(void)a;
	memset(r, 0, sizeof *r);
	r->kind = rq->kind;
	snprintf(r->target, sizeof r->target, "%s", rq->target ? rq->target : "");
	snprintf(r->text, sizeof r->text, "%s", rq->text ? rq->text : "");
	snprintf(r->person, sizeof r->person, "%s", rq->person ? rq->person : "");
	snprintf(r->message, sizeof r->message, "%s", rq->message ? rq->message : "");
	snprintf(r->by_hand, sizeof r->by_hand, "%s", rq->by_hand ? rq->by_hand : "");
	snprintf(r->seen, sizeof r->seen, "%s", rq->seen_level ? rq->seen_level : "");
	r->has_seen = rq->has_seen;
	r->withdraw = rq->withdraw;
	r->followup = rq->followup;
	r->nmetrics = (int)rq->nmetrics;
	r->count = rq->count;
	r->entry = rq->entry;
	r->due_in = rq->due_in;
	if (act_refuse) {
		err_refuse(&out->err, act_refuse, "%s", "the due time is not in the future");
		act_refuse = NULL;
		return out->code = SITREP_EXIT_REFUSED;
	}
	if (act_bad) {
		err_set(&out->err, SITREP_EXIT_USAGE, NULL, 0, 0, "%s", act_bad);
		act_bad = NULL;
		return out->code = SITREP_EXIT_USAGE;
	}
	out->code = 0;
	out->incident = rq->kind == ACT_OPEN ? 9 : rq->incident;
	out->message = xstrdup(rq->kind == ACT_OPEN ? "opened incident 9" : "recorded");
	if (rq->kind == ACT_TASK)
		snprintf(out->id, sizeof out->id, "t%d", nrecs);
	return 0;
}

void view_incident_release(struct view_incident *v) { arena_release(&v->mem); memset(v, 0, sizeof *v); }
void view_list_release(struct view_list *l) { arena_release(&l->mem); memset(l, 0, sizeof *l); }
void view_page_release(struct view_page *p) { arena_release(&p->mem); memset(p, 0, sizeof *p); }
void view_plans_release(struct view_plans *p) { arena_release(&p->mem); memset(p, 0, sizeof *p); }

static struct view_criterion crit(struct arena *m, const char *id, const char *title,
				  const char *kind, int met, int64_t held, int64_t need)
{
	struct view_criterion c;
	memset(&c, 0, sizeof c);
	c.id = arena_strdup(m, id);
	c.title = arena_strdup(m, title);
	c.kind = kind;
	c.met = met;
	c.held = held;
	c.need = need;
	return c;
}

int app_incident(struct app *a, int64_t id, int64_t at, struct view_incident *v,
		 struct sitrep_error *err)
{
	struct arena *m;
	(void)a;
	(void)at;
	(void)err;
	memset(v, 0, sizeof *v);
	m = &v->mem;
	v->id = id;
	v->title = L("hotline down in the east", "客服热线中断");
	v->plan = "hotline-outage";
	v->plan_title = L("Customer-service hotline outage", "客服热线中断应急预案");
	v->phase = terminated_fixture ? PHASE_TERMINATED : PHASE_RESPONSE;
	v->level = (struct view_level){ "III", L("Level III response", "三级响应"), "yellow", 0 };
	v->peak = (struct view_level){ "II", "Level II", "orange", 1 };
	v->warning = "yellow";
	v->warning_name = L("Yellow warning", "黄色预警");
	v->warning_colour = "yellow";
	v->opened_at = NOW - 5400;
	v->warning_since = NOW - 4000;
	v->terminated_at = terminated_fixture ? NOW - 60 : 0;
	v->at = fake_now;
	v->commander = L("alice", "张伟");
	v->user = "alice";
	v->nlate = 1;

	v->nproposals = 2;
	v->proposals = arena_alloc(m, 2 * sizeof *v->proposals);
	v->proposals[0] = (struct view_proposal){ "I", "Level I", "red", "complaints_major",
		L("complaints above the daily average by more than 50%", "投诉量超过日均50%"),
		NOW - 600, 0 };
	v->proposals[1] = (struct view_proposal){ "II", "Level II", "orange", "complaints_regional",
		L("complaints above the daily average by more than 30%", "投诉量超过日均30%"),
		NOW - 900, 0 };

	v->ndeadlines = 5;
	v->deadlines = arena_alloc(m, 5 * sizeof *v->deadlines);
	v->deadlines[0] = (struct view_deadline){ .id = "verify_report",
		.title = L("Duty manager verifies the report within 5 minutes", "值班经理5分钟内完成信息核实"),
		.owner = "duty_manager", .owner_name = L("Duty manager", "值班经理"),
		.due = NOW - 60, .overdue = 1, .seq = 1 };
	v->deadlines[1] = (struct view_deadline){ .id = "warn_notice",
		.title = L("Publish the yellow warning", "发布黄色预警"), .due = NOW + 300, .seq = 1,
		.notice = 1 };
	v->deadlines[2] = (struct view_deadline){ .id = "tech_report",
		.title = L("Technical group reports every 30 minutes", "技术组每30分钟报告"),
		.owner = "tech_lead", .owner_name = L("Technical lead", "技术负责人"),
		.person = "bob", .person_name = L("Bob Li", "李强"), .due = NOW + 899, .seq = 3 };
	v->deadlines[3] = (struct view_deadline){ .id = "level_decision",
		.title = L("Decide the response level within 10 minutes", "10分钟内确定响应级别"),
		.owner = "commander", .owner_name = L("Commander", "指挥长"), .person = "alice",
		.person_name = L("Alice Zhang", "张伟"), .due = NOW + 3600, .seq = 1 };
	v->deadlines[4] = (struct view_deadline){ .id = "t1", .kind = OBLK_TASK,
		.title = L("Check the backup power", "检查备用电源"), .person = "carol",
		.person_name = L("Carol", "王芳"), .due = NOW + 7200, .seq = 1 };

	v->nnotices = 3;
	v->notices = arena_alloc(m, 3 * sizeof *v->notices);
	v->notices[0] = (struct view_notice){ .id = "warn_notice",
		.title = L("Publish the yellow warning", "发布黄色预警"), .state = NOTICE_DUE,
		.due = NOW + 300, .to = "duty_manager, leaders",
		.to_people = L("Dave Wu, Erin Xu", "吴迪, 徐宁"), .channel = "sms", .review = "legal",
		.subject = L("Yellow warning: hotline", "黄色预警：客服热线"),
		.text = L("Yellow warning for the hotline.\nScope: east region\nMeasures: extra agents",
			  "客服热线黄色预警。\n范围：华东区域\n措施：增加坐席") };
	v->notices[1] = (struct view_notice){ .id = "external_statement",
		.title = L("External impact statement", "对外影响说明"), .state = NOTICE_FAILED,
		.due = NOW - 30, .to = "public", .channel = "wecom", .failed = 1,
		.text = L("We are restoring the hotline.", "我们正在恢复客服热线。") };
	if (engine_sends) {
		static const struct view_may yes = { 1, "", "" };
		v->notices[0].send = &yes;
	}
	v->notices[2] = (struct view_notice){ .id = "termination_notice",
		.title = L("Termination notice", "终止通知"), .state = NOTICE_PENDING, .to = "all" };

	v->nmetrics = 4;
	v->metrics = arena_alloc(m, 4 * sizeof *v->metrics);
	{
		struct view_metric *c = &v->metrics[0];
		c->id = "complaints_pct";
		c->name = L("Complaints", "投诉量");
		c->unit = "% of daily average";
		c->has_value = 1;
		c->value = 160;
		c->at = NOW - 45;
		c->stale_after = 600;
		c->ntriggers = 3;
		c->triggers = arena_alloc(m, 3 * sizeof *c->triggers);
		c->triggers[0] = (struct view_trigger){ "complaints_peak", "peak", ">", 130, 0, 1, 0,
							"yellow", NULL };
		c->triggers[1] = (struct view_trigger){ "complaints_major", "major", ">", 150, 0, 1, 0,
							NULL, "I" };
		c->triggers[2] = (struct view_trigger){ "complaints_low", "low", "<", 85, 0, 0, -1, NULL,
							NULL };
		for (int i = 0; i < 12; i++)
			c->spark[i] = 100 + i * 6;
		c->nspark = 12;
	}
	{
		struct view_metric *c = &v->metrics[1];
		c->id = "queue_min";
		c->name = L("Queue time", "排队时长");
		c->unit = "min";
		c->has_value = 1;
		c->value = 9.5;
		c->at = NOW - 300;
		c->stale_after = 1800;
		c->ntriggers = 1;
		c->triggers = arena_alloc(m, sizeof *c->triggers);
		c->triggers[0] = (struct view_trigger){ "queue_sustained", "sustained", ">", 8, 1800, 0,
							720, "blue", NULL };
		c->spark[0] = 7;
		c->spark[1] = 9.5;
		c->nspark = 2;
	}
	{
		struct view_metric *c = &v->metrics[2];
		c->id = "cpu_pct";
		c->name = "CPU";
		c->unit = "%";
		c->has_value = 1;
		c->value = 92;
		c->at = NOW - 5000;
		c->stale = 1;
		c->stale_after = 600;
		c->ntriggers = 1;
		c->triggers = arena_alloc(m, sizeof *c->triggers);
		c->triggers[0] = (struct view_trigger){ "cpu_sustained", "cpu", ">", 90, 900, 0, -1,
							"blue", NULL };
	}
	{
		struct view_metric *c = &v->metrics[3];
		c->id = "availability_pct";
		c->name = L("Availability", "可用率");
	}

	v->nlift = 2;
	v->lift = arena_alloc(m, 2 * sizeof *v->lift);
	v->lift[0] = crit(m, "core_on_target", L("core indicators on target", "核心指标达标"),
			  "metric", 0, 600, 1800);
	v->lift[1] = crit(m, "no_secondary_risk", L("no secondary risk", "无次生风险"), "attest", 0,
			  -1, 0);
	v->ntermination = 3;
	v->termination = arena_alloc(m, 3 * sizeof *v->termination);
	v->termination[0] = crit(m, "stable_72h", L("72 hours with no anomaly", "72小时无异常"),
				 "metric", 0, 3600, 259200);
	v->termination[1] = crit(m, "resources_withdrawn", L("all resources withdrawn", "应急资源全部撤回"),
				 "resources", 0, -1, 0);
	v->termination[2] = crit(m, "system_safe", L("system confirmed safe", "技术评估确认安全"),
				 "attest", 1, -1, 0);
	v->termination[2].attested_by = "bob";

	v->nresponders = 2;
	v->responders = arena_alloc(m, 2 * sizeof *v->responders);
	v->responders[0] = (struct view_responder){ "commander", L("Commander", "指挥长"), "alice",
		L("Alice Zhang", "张伟"), NULL, NOW - 5400 };
	v->responders[1] = (struct view_responder){ "tech_lead", L("Technical lead", "技术负责人"),
		"bob", L("Bob Li", "李强"), NULL, NOW - 2000 };
	v->nresources = 2;
	v->resources = arena_alloc(m, 2 * sizeof *v->resources);
	v->resources[0] = (struct view_resource){ "power_vehicle",
		L("Emergency power vehicle", "应急电源车"), 1, 2, NOW - 1800, "carol", 0 };
	v->resources[1] = (struct view_resource){ "static_suits", L("Anti-static suits", "防静电服"),
		0, 50, 0, NULL, 0 };

	v->nlatest = 4;
	v->latest = arena_alloc(m, 4 * sizeof *v->latest);
	v->latest[0] = (struct view_row){ .entry = 9, .occurred_at = NOW - 100, .actor = "alice",
		.kind = "export", .summary = "exported brief" };
	v->latest[1] = (struct view_row){ .entry = 8, .occurred_at = NOW - 700, .actor = "alice",
		.kind = "escalate", .summary = L("escalated none \xe2\x86\x92 III", "升级 无 \xe2\x86\x92 III") };
	v->latest[2] = (struct view_row){ .entry = 7, .occurred_at = NOW - 1200, .actor = "bob",
		.kind = "refused", .summary = L("refused terminate: termination criteria unmet",
						"拒绝终止：终止条件未满足"), .refused = 1 };
	v->latest[3] = (struct view_row){ .entry = 1, .occurred_at = NOW - 5400, .actor = "alice",
		.kind = "open", .summary = L("opened: hotline down", "开启：客服热线中断") };

	for (int k = 0; k < ACT__COUNT; k++)
		v->may[k] = (struct view_may){ 1, "", "" };
	if (terminated_fixture) {
		for (int k = 0; k < ACT__COUNT; k++)
			v->may[k] = (struct view_may){ 0, "terminated", L("the incident is terminated",
									  "事件已终止") };
		v->may[ACT_DONE] = (struct view_may){ 1, "", "" };
		v->may[ACT_TASK] = (struct view_may){ 1, "", "" };
		v->may[ACT_NOTE_REVIEW] = (struct view_may){ 1, "", "" };
	}
	v->may[ACT_TERMINATE] = (struct view_may){ 0, "termination",
		L("termination criteria unmet: 72 hours with no anomaly; all resources withdrawn",
		  "终止条件未满足：72小时无异常；应急资源全部撤回") };

	v->nlevels = 3;
	v->levels = arena_alloc(m, 3 * sizeof *v->levels);
	v->levels[0] = (struct view_level){ "III", "Level III", "yellow", 0 };
	v->levels[1] = (struct view_level){ "II", "Level II", "orange", 1 };
	v->levels[2] = (struct view_level){ "I", "Level I", "red", 2 };
	v->nwarnings = 2;
	v->warnings = arena_alloc(m, 2 * sizeof *v->warnings);
	v->warnings[0] = (struct view_name){ "blue", L("Blue warning", "蓝色预警") };
	v->warnings[1] = (struct view_name){ "yellow", L("Yellow warning", "黄色预警") };
	v->nattestable = 2;
	v->attestable = arena_alloc(m, 2 * sizeof *v->attestable);
	v->attestable[0] = v->lift[1];
	v->attestable[1] = v->termination[2];
	v->nroles = 3;
	v->roles = arena_alloc(m, 3 * sizeof *v->roles);
	v->roles[0] = (struct view_name){ "commander", L("Commander", "指挥长") };
	v->roles[1] = (struct view_name){ "duty_manager", L("Duty manager", "值班经理") };
	v->roles[2] = (struct view_name){ "tech_lead", L("Technical lead", "技术负责人") };
	{
		static const char *const scope[] = { "single_region", "multi_region", "national" };
		static const char *const rec[] = { "2h", "6h", "24h" };
		v->ndims = 2;
		v->dims = arena_alloc(m, 2 * sizeof *v->dims);
		const char **labels = arena_alloc(m, 3 * sizeof *labels);
		labels[0] = L("part of one region", "单区域");
		labels[1] = L("several regions", "多区域");
		labels[2] = NULL; /* shown as its id */
		v->dims[0] = (struct view_dimension){ "scope", L("Scope", "范围"), scope, 3, labels };
		v->dims[1] = (struct view_dimension){ "recovery", L("Recovery time", "恢复时间"), rec, 3,
						      NULL };
	}
	return 0;
}

int app_list(struct app *a, int all, struct view_list *l, struct sitrep_error *err)
{
	(void)a;
	(void)all;
	(void)err;
	memset(l, 0, sizeof *l);
	l->n = 3;
	l->v = arena_alloc(&l->mem, 3 * sizeof *l->v);
	l->v[0] = (struct view_summary){ 3, L("hotline down in the east", "客服热线中断"),
		"hotline-outage", PHASE_RESPONSE, "III", "yellow", "yellow", 0, NOW - 5400, 0, 4, 1,
		NULL };
	/* closed after half an hour, a follow-up still open */
	l->v[1] = (struct view_summary){ 2, L("quarterly exercise", "季度演练"), "hotline-outage",
		PHASE_TERMINATED, NULL, NULL, NULL, 1, NOW - 90000, NOW - 88200, 1, 0, NULL };
	l->v[2] = (struct view_summary){ 1, L("power outage in the east building", "东楼停电"),
		"power-outage", PHASE_WARNING, NULL, NULL, "blue", 0, NOW - 200000, 0, 2, 0, NULL };
	return 0;
}

/* The fake timeline: entry i (1-based) at NOW - (tl_rows - i) * 60. */
static const char *const tl_kinds[] = { "open", "log", "metric", "warn", "escalate", "refused" };

static void tl_row(struct arena *m, int i, struct view_row *r, struct view_pos *k)
{
	const char *kind = i == 1 ? "open" : tl_kinds[1 + (i % 5)];
	memset(r, 0, sizeof *r);
	r->entry = i;
	r->occurred_at = NOW - (int64_t)(tl_rows - i) * 60;
	r->recorded_at = r->occurred_at;
	r->actor = i % 3 ? "alice" : L("bob", "李强");
	r->role = "";
	r->kind = kind;
	r->refused = !strcmp(kind, "refused");
	r->rule = "";
	r->phase = "response";
	if (!strcmp(kind, "metric")) {
		const char **rd = arena_alloc(m, sizeof *rd);
		rd[0] = "complaints_pct=160";
		r->readings = rd;
		r->nreadings = 1;
		r->summary = arena_printf(m, "complaints_pct=160 (%d)", i);
	} else if (i == 1) {
		r->summary = L("opened: hotline down", "开启：客服热线中断");
	} else {
		r->summary = arena_printf(m, L("%s entry %d", "%s 记录 %d"), kind, i);
	}
	if (i == 7)
		r->summary = L("note: failover done, recovering", "备注：切换完成，正在恢复");
	k->occ = r->occurred_at;
	k->id = i;
	k->sub = 0;
}

static int tl_match(struct arena *m, int i, const struct app_page_query *q)
{
	struct view_row r;
	struct view_pos k;
	tl_row(m, i, &r, &k);
	if (q->kind && *q->kind && strcmp(r.kind, q->kind))
		return 0;
	if (q->search && *q->search && !tx_match(r.summary, q->search) && !tx_match(r.kind, q->search))
		return 0;
	return 1;
}

int app_timeline_page(struct app *a, int64_t id, const struct app_page_query *q,
		      struct view_page *out, struct sitrep_error *err)
{
	size_t want = q->rows ? q->rows : 50, scanned = 0;
	int from = 1, to = tl_rows, filt = (q->kind && *q->kind) || (q->search && *q->search);
	(void)a;
	(void)id;
	(void)err;
	if ((size_t)tl_pages < sizeof tl_asked / sizeof *tl_asked)
		tl_asked[tl_pages] = q->rows;
	tl_pages++;
	memset(out, 0, sizeof *out);
	out->rows = arena_alloc(&out->mem, (want + 1) * sizeof *out->rows);
	out->pos = arena_alloc(&out->mem, (want + 1) * sizeof *out->pos);
	if (q->from == PAGE_AFTER)
		from = (int)q->pos.id + 1;
	if (q->from == PAGE_AT)
		from = (int)q->pos.id;
	if (q->from == PAGE_END || q->from == PAGE_BEFORE) {
		/* the last `want` entries before the key, then filtered (as app does) */
		int stop = q->from == PAGE_END ? tl_rows + 1 : (int)q->pos.id;
		int start = stop - (int)want;
		if (start < 1)
			start = 1;
		for (int i = start; i < stop; i++)
			if (!filt || tl_match(&out->mem, i, q)) {
				tl_row(&out->mem, i, &out->rows[out->nrows], &out->pos[out->nrows]);
				out->nrows++;
			}
		out->at_start = start == 1;
		out->at_end = q->from == PAGE_END;
		return 0;
	}
	for (int i = from; i <= to; i++) {
		if (filt && tl_budget && scanned++ >= tl_budget) {
			if (!out->nrows) {
				out->pos[0].occ = NOW - (int64_t)(tl_rows - (i - 1)) * 60;
				out->pos[0].id = i - 1;
			}
			return 0;
		}
		if (filt && !tl_match(&out->mem, i, q))
			continue;
		tl_row(&out->mem, i, &out->rows[out->nrows], &out->pos[out->nrows]);
		out->nrows++;
		if (out->nrows >= want)
			return 0;
	}
	out->at_end = 1;
	out->at_start = q->from == PAGE_START;
	return 0;
}

int app_entry_text(struct app *a, int64_t id, int64_t entry, struct strbuf *out,
		   struct sitrep_error *err)
{
	(void)a;
	(void)err;
	sb_addf(out, "entry %lld of incident %lld\nkind:      log\n", (long long)entry, (long long)id);
	return 0;
}

int app_review_text(struct app *a, int64_t id, int width, struct strbuf *out,
		    struct sitrep_error *err)
{
	(void)a;
	(void)err;
	sb_addf(out, L("Review of incident %lld\n\nFigures\n  escalations: 2 up, 1 down, 1 refused\n\n"
		       "Level over time\n", "事件 %lld 复盘\n\n数据\n  升级 2 次，降级 1 次，拒绝 1 次\n\n"
		       "级别变化\n"), (long long)id);
	for (int i = 0; i < width && i < 200; i++)
		sb_addc(out, i < width / 2 ? '#' : '=');
	sb_adds(out, L("\n\nReview notes\n  Degree of control (control): no notes yet\n",
		       "\n\n复盘记录\n  控制程度 (control)：暂无\n"));
	return 0;
}

int app_timeline(struct app *a, int64_t id, const struct app_export *x, FILE *out,
		 struct sitrep_error *err)
{
	(void)a;
	(void)err;
	fprintf(out, "timeline %lld %s kind=%s search=%s\n", (long long)id, x->format,
		x->kind ? x->kind : "", x->search ? x->search : "");
	return 0;
}

void app_plans(struct app *a, struct view_plans *p)
{
	(void)a;
	memset(p, 0, sizeof *p);
	p->n = 3;
	p->v = arena_alloc(&p->mem, 3 * sizeof *p->v);
	p->v[0] = (struct view_name){ "crisis-generic", L("Crisis event handling", "危机事件处理") };
	p->v[1] = (struct view_name){ "hotline-outage", L("Customer-service hotline outage",
							   "客服热线中断应急预案") };
	p->v[2] = (struct view_name){ "power-outage", L("Guest services power outage", "停电应急预案") };
}

static struct view_name people[3];
size_t app_people(struct app *a, struct view_name **out)
{
	(void)a;
	people[0] = (struct view_name){ "alice", L("Alice Zhang", "张伟") };
	people[1] = (struct view_name){ "bob", L("Bob Li", "李强") };
	people[2] = (struct view_name){ "carol", L("Carol Wang", "王芳") };
	*out = people;
	return 3;
}

/* ====================================================== the harness */

static struct tui *T;
static struct strbuf shot;

static void start(int cols, int rows)
{
	nrecs = 0;
	tl_pages = 0;
	T = tui_new(APP, cols, rows);
}

static void stop(void)
{
	tui_free(T);
	T = NULL;
	fake_now = NOW;
	terminated_fixture = 0;
	engine_sends = 0;
	tl_rows = 12;
	tl_budget = 0;
}

static void key(int k)
{
	tui_key(T, k);
	tui_refresh(T);
}

/* Type a UTF-8 string, one character a key. */
static void type(const char *s)
{
	size_t left = strlen(s);
	while (left) {
		uint32_t cp;
		int n = tx_decode(s, left, &cp);
		if (n <= 0)
			n = 1;
		key((int)cp);
		s += n;
		left -= (size_t)n;
	}
}

/* Every wide character whole: its right half right after it, nowhere else. */
static void check_canvas(const struct canvas *c)
{
	for (int y = 0; y < c->rows; y++)
		for (int x = 0; x < c->cols; x++) {
			const struct cell *k = cv_cell(c, y, x);
			if (k->width == 2) {
				assert_true(x + 1 < c->cols);
				assert_int_equal(cv_cell(c, y, x + 1)->width, -1);
			}
			if (k->width == -1) {
				assert_true(x > 0);
				assert_int_equal(cv_cell(c, y, x - 1)->width, 2);
			}
		}
}

static const char *screen(void)
{
	while (tui_work(T))
		;
	tui_refresh(T);
	tui_render(T);
	check_canvas(&T->cv);
	sb_reset(&shot);
	cv_dump(&T->cv, &shot);
	if (getenv("TUI_DUMP"))
		fprintf(stderr, "%s----\n", shot.buf);
	return shot.buf;
}

static const char *row_text(int y)
{
	static struct strbuf r;
	if (!r.buf)
		sb_init(&r);
	sb_reset(&r);
	cv_row_text(&T->cv, y, &r);
	return r.buf;
}

static int on_screen(const char *s)
{
	return strstr(screen(), s) != NULL;
}

/* Compare the screen with tests/golden/screens/NAME.txt. */
static void golden(const char *name)
{
	const char *top = getenv("SITREP_TOP");
	char path[512];
	FILE *f;
	struct strbuf want = STRBUF_INIT;
	char buf[4096];
	size_t n;
	const char *got = screen();
	snprintf(path, sizeof path, "%s/tests/golden/screens/%s.txt", top && *top ? top : ".", name);
	if (getenv("UPDATE_GOLDENS") && !strcmp(getenv("UPDATE_GOLDENS"), "1")) {
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(got, f);
		fclose(f);
		return;
	}
	f = fopen(path, "r");
	if (!f) {
		print_error("missing golden %s (make it with UPDATE_GOLDENS=1)\n--- screen:\n%s", path, got);
		fail();
	}
	sb_init(&want);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&want, buf, n);
	fclose(f);
	if (strcmp(want.buf, got) != 0) {
		print_error("screen differs from %s (UPDATE_GOLDENS=1 rewrites it)\n--- want:\n%s--- got:\n%s",
			    path, want.buf, got);
		sb_release(&want);
		fail();
	}
	sb_release(&want);
}

static int lang_setup(int chinese)
{
	zh = chinese;
	pseudo = chinese;
	if (chinese) {
		if (!setlocale(LC_CTYPE, "zh_CN.UTF-8") && !setlocale(LC_CTYPE, "zh_CN.utf8"))
			return -1;
	} else if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "C.utf8")) {
		return -1;
	}
	return 0;
}

static int setup_en(void **state)
{
	(void)state;
	return lang_setup(0);
}

static int setup_zh(void **state)
{
	(void)state;
	if (lang_setup(1) != 0) {
		/* generate it: localedef -i zh_CN -f UTF-8 zh_CN.UTF-8 */
		fprintf(stderr, "test_tui: no zh_CN.UTF-8 locale\n");
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pseudo = 0;
	zh = 0;
	return 0;
}

/* ====================================================== view logic */

/* Readings typed in the console's forms (metric, correction): pairs by
 * space, '=' or comma; a name without a value, a word that is not a number
 * and more pairs than fit are refused whole, never cut short. */
static void test_readings(void **state)
{
	char text[512];
	const char *names[3], *bad = NULL;
	double values[3];
	(void)state;
	snprintf(text, sizeof text, "complaints_pct 135, calls=40\tqueue 7");
	assert_int_equal(tui_readings(text, names, values, 3, &bad), 3);
	assert_string_equal(names[0], "complaints_pct");
	assert_true(values[0] == 135);
	assert_string_equal(names[1], "calls");
	assert_true(values[1] == 40);
	assert_string_equal(names[2], "queue");
	assert_true(values[2] == 7);
	snprintf(text, sizeof text, "   ");
	assert_int_equal(tui_readings(text, names, values, 3, &bad), 0);
	snprintf(text, sizeof text, "calls 40 queue");
	assert_int_equal(tui_readings(text, names, values, 3, &bad), TUI_READINGS_UNPAIRED);
	snprintf(text, sizeof text, "a 1 b 2 c 3 d 4");
	assert_int_equal(tui_readings(text, names, values, 3, &bad), TUI_READINGS_MANY);
	snprintf(text, sizeof text, "calls forty");
	assert_int_equal(tui_readings(text, names, values, 3, &bad), TUI_READINGS_NAN);
	assert_string_equal(bad, "forty");
}

static void test_clocks(void **state)
{
	char buf[64];
	(void)state;
	assert_string_equal(tui_clock(0, buf, sizeof buf), "00:00:00");
	assert_string_equal(tui_clock(3723, buf, sizeof buf), "01:02:03");
	assert_string_equal(tui_clock(90061, buf, sizeof buf), "1d 01:01:01");
	assert_string_equal(tui_clock(-61, buf, sizeof buf), "-00:01:01");
	assert_string_equal(tui_elapsed(1000, 1000 + 3600 + 5, buf, sizeof buf), "T+01:00:05");
	assert_string_equal(tui_elapsed(1000, 990, buf, sizeof buf), "T-00:00:10");
}

static void test_countdown(void **state)
{
	char buf[64];
	int64_t due = 100000;
	(void)state;
	assert_int_equal(tui_countdown(due, due - 3600, 900, buf, sizeof buf), TUI_DUE_OK);
	assert_string_equal(buf, "in 01:00:00");
	assert_int_equal(tui_countdown(due, due - 899, 900, buf, sizeof buf), TUI_DUE_SOON);
	assert_string_equal(buf, "in 00:14:59");
	assert_int_equal(tui_countdown(due, due, 900, buf, sizeof buf), TUI_DUE_SOON);
	assert_string_equal(buf, "in 00:00:00");
	assert_int_equal(tui_countdown(due, due + 60, 900, buf, sizeof buf), TUI_DUE_OVERDUE);
	assert_string_equal(buf, "LATE 00:01:00");
	/* one style from a day on too: no "3d3h40m" */
	assert_int_equal(tui_countdown(due, due + 3 * 86400 + 3060, 900, buf, sizeof buf),
			 TUI_DUE_OVERDUE);
	assert_string_equal(buf, "LATE 3d 00:51:00");
}

static void test_sparkline(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const double rising[] = { 100, 110, 120, 130, 140, 150, 160, 170 };
	const double flat[] = { 5, 5, 5 };
	(void)state;
	sb_init(&sb);
	tui_sparkline(rising, 8, 8, &sb);
	assert_string_equal(sb.buf, "\xe2\x96\x81\xe2\x96\x82\xe2\x96\x83\xe2\x96\x84"
				    "\xe2\x96\x85\xe2\x96\x86\xe2\x96\x87\xe2\x96\x88");
	assert_int_equal(tx_width(sb.buf), 8);
	sb_reset(&sb);
	tui_sparkline(rising, 8, 2, &sb);
	assert_string_equal(sb.buf, "\xe2\x96\x81\xe2\x96\x88");
	sb_reset(&sb);
	tui_sparkline(flat, 3, 10, &sb);
	assert_string_equal(sb.buf, "\xe2\x96\x84\xe2\x96\x84\xe2\x96\x84");
	sb_reset(&sb);
	tui_sparkline(flat, 0, 10, &sb);
	assert_string_equal(sb.buf, "");
	sb_release(&sb);
}

static void test_layout(void **state)
{
	const int min[4] = { 4, 10, 8, 6 };
	const int grow[4] = { 0, 3, 1, 0 };
	int w[4];
	(void)state;
	assert_int_equal(tui_layout(min, grow, 4, 1, 80, w), 0);
	assert_int_equal(w[0], 4);
	assert_int_equal(w[3], 6);
	assert_int_equal(w[0] + w[1] + w[2] + w[3] + 3, 80);
	assert_true(w[1] > w[2]);
	assert_int_equal(w[1], 10 + 49 * 3 / 4);
	assert_int_equal(tui_layout(min, grow, 4, 1, 30, w), -1);
	assert_int_equal(w[1], 10);
}

static void test_size(void **state)
{
	char msg[128];
	(void)state;
	assert_int_equal(tui_size_ok(80, 24, msg, sizeof msg), 1);
	assert_int_equal(tui_size_ok(50, 12, msg, sizeof msg), 0);
	assert_string_equal(msg, "needs 80x24, have 50x12");
	assert_int_equal(tui_size_ok(80, 23, msg, sizeof msg), 0);
}

static void test_check_label(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	sb_init(&sb);
	tui_check_label(0, "drill", "Tab", &sb);
	assert_string_equal(sb.buf, "[ ] drill (Tab)");
	sb_reset(&sb);
	tui_check_label(1, "drill", NULL, &sb);
	assert_string_equal(sb.buf, "[x] drill");
	sb_release(&sb);
}

/* ====================================================== the canvas */

static void test_canvas_clips_by_width(void **state)
{
	struct canvas c;
	struct strbuf sb = STRBUF_INIT;
	const char *title = "\xe5\xae\xa2\xe6\x9c\x8d\xe7\x83\xad\xe7\xba\xbf\xe4\xb8\xad\xe6\x96\xad";
	(void)state;
	cv_init(&c, 20, 3);
	sb_init(&sb);
	/* 6 columns for 12: two characters (4) and "…", never half of the third */
	assert_int_equal(cv_put(&c, 0, 0, 6, ST_NORMAL, title), 5);
	cv_row_text(&c, 0, &sb);
	assert_string_equal(sb.buf, "\xe5\xae\xa2\xe6\x9c\x8d\xe2\x80\xa6");
	/* writing over half of a wide character blanks the other half */
	cv_put(&c, 1, 0, 20, ST_NORMAL, title);
	cv_put(&c, 1, 1, 1, ST_NORMAL, "x");
	sb_reset(&sb);
	cv_row_text(&c, 1, &sb);
	assert_string_equal(sb.buf, " x\xe6\x9c\x8d\xe7\x83\xad\xe7\xba\xbf\xe4\xb8\xad\xe6\x96\xad");
	/* never past the right edge: a wide character that would straddle it is not drawn */
	cv_put(&c, 2, 19, 5, ST_NORMAL, title);
	assert_int_equal(cv_cell(&c, 2, 19)->width, 1);
	assert_string_equal(cv_cell(&c, 2, 19)->s, "\xe2\x80\xa6");
	cv_fill(&c, 2, 0, 20, ST_NORMAL);
	/* controls are escaped by the one policy */
	cv_put(&c, 2, 0, 19, ST_NORMAL, "a\x1b[2J");
	sb_reset(&sb);
	cv_row_text(&c, 2, &sb);
	assert_string_equal(sb.buf, "a\\x1b[2J");
	cv_release(&c);
	sb_release(&sb);
}

/* ====================================================== key tables and help */

static void test_contract_keys(void **state)
{
	static const struct { unsigned scope; int key; enum tui_action a; } want[] = {
		{ SCOPE_LIST, '?', A_HELP }, { SCOPE_LIST, 'q', A_BACK }, { SCOPE_DASH, 'j', A_DOWN },
		{ SCOPE_DASH, 'k', A_UP }, { SCOPE_DASH, TK_PGUP, A_PGUP }, { SCOPE_DASH, TK_PGDN, A_PGDN },
		{ SCOPE_LIST, 'n', A_NEW }, { SCOPE_LIST, TK_ENTER, A_ENTER },
		{ SCOPE_DASH, 'l', A_LOG }, { SCOPE_DASH, 'm', A_METRIC }, { SCOPE_DASH, 'w', A_WARN },
		{ SCOPE_DASH, 'e', A_ESCALATE }, { SCOPE_DASH, 'd', A_DOWNGRADE },
		{ SCOPE_DASH, 'a', A_ATTEST }, { SCOPE_DASH, 'o', A_DONE }, { SCOPE_DASH, 'p', A_ACCEPT },
		{ SCOPE_DASH, 'H', A_HANDOVER }, { SCOPE_DASH, 't', A_TERMINATE },
		{ SCOPE_DASH, 'v', A_TIMELINE }, { SCOPE_DASH, 'r', A_REVIEW },
		{ SCOPE_DASH, 'L', A_LIFT }, { SCOPE_TIMELINE, '/', A_SEARCH },
		{ SCOPE_TIMELINE, 'f', A_FILTER }, { SCOPE_TIMELINE, 'x', A_EXPORT },
		{ SCOPE_TIMELINE, 'c', A_CORRECT }, { SCOPE_REVIEW | SCOPE_PAGER, 'N', A_NOTE },
		{ SCOPE_REVIEW | SCOPE_PAGER, 'F', A_FOLLOWUP }, { SCOPE_DASH, 's', A_NOTIFY },
		{ SCOPE_DASH, 'A', A_APPROVE }, { SCOPE_DASH, 'R', A_ASSIGN }, { SCOPE_DASH, 'O', A_OWNER },
		{ SCOPE_DASH, 'T', A_TASK }, { SCOPE_DASH, 'D', A_DEPLOY }, { SCOPE_DASH, 'W', A_WITHDRAW },
		{ SCOPE_DASH, 'M', A_ASSESS },
		/* while a search is active n/N step through it; otherwise n is the list's */
		{ SCOPE_LIST | SCOPE_SEARCH, 'n', A_NEXT }, { SCOPE_PAGER | SCOPE_SEARCH, 'N', A_PREV },
	};
	(void)state;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_int_equal(tui_key_action(want[i].scope, want[i].key), want[i].a);
	/* the review's N is its own: not the dashboard's */
	assert_int_equal(tui_key_action(SCOPE_DASH, 'N'), A_NONE);
	/* no key bound twice in one scope */
	for (size_t i = 0; i < tui_nbindings; i++)
		for (size_t k = i + 1; k < tui_nbindings; k++)
			assert_false(tui_bindings[i].scope == tui_bindings[k].scope &&
				     tui_bindings[i].key == tui_bindings[k].key);
}

/* The line of the help text that starts (after blanks) with key, within the
 * section headed `section`; NULL when none. */
static const char *help_line(const char *help, const char *section, const char *key)
{
	const char *s = strstr(help, section);
	if (!s)
		return NULL;
	s = strchr(s, '\n');
	while (s && s[1] == ' ') {
		const char *l = s + 1;
		while (*l == ' ')
			l++;
		if (!strncmp(l, key, strlen(key)) && l[strlen(key)] == ' ')
			return l;
		s = strchr(l, '\n');
	}
	return NULL;
}

static void test_help_from_tables(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const char *l;
	(void)state;
	sb_init(&sb);
	tui_help_text(&sb);
	/* every binding is in the help, under its screen, with its action */
	for (size_t i = 0; i < tui_nbindings; i++) {
		char name[32];
		const char *sec = tui_bindings[i].scope == SCOPE_ALL ? "Everywhere\n"
			: tui_bindings[i].scope == SCOPE_SEARCH ? "While a search is active\n"
			: tui_bindings[i].scope == SCOPE_LIST ? "Incident list\n"
			: tui_bindings[i].scope == SCOPE_DASH ? "Incident dashboard\n"
			: tui_bindings[i].scope == SCOPE_TIMELINE ? "Timeline\n"
			: tui_bindings[i].scope == SCOPE_REVIEW ? "Review screen\n" : NULL;
		if (!sec)
			continue;
		tk_name(tui_bindings[i].key, name, sizeof name);
		assert_non_null(strstr(sb.buf, sec));
		assert_non_null(strstr(strstr(sb.buf, sec), tui_actions[tui_bindings[i].action].name));
		(void)name;
	}
	l = help_line(sb.buf, "Review screen\n", "N");
	assert_non_null(l);
	assert_non_null(strstr(l, "section"));
	assert_true(strstr(l, "section") < strchr(l, '\n'));
	assert_null(help_line(sb.buf, "Incident dashboard\n", "N"));
	l = help_line(sb.buf, "Incident list\n", "n");
	assert_non_null(l);
	assert_true(strstr(l, "(Tab: drill)") && strstr(l, "(Tab: drill)") < strchr(l, '\n'));
	assert_non_null(strstr(sb.buf, "Tab Ctrl-D"));
	sb_release(&sb);
}

/* The help screen at 80 columns keeps "(Tab: drill)" whole on one row. */
static void test_help_screen_wraps_words(void **state)
{
	const char *s;
	(void)state;
	start(80, 24);
	list_open(T);
	key('?');
	for (int i = 0; i < 20 && !strstr(screen(), "Tab: drill"); i++)
		key('j');
	s = screen();
	assert_non_null(strstr(s, "(Tab: drill)"));
	stop();
}

/* ====================================================== the status line and the key bar */

static void test_status_wraps_at_words(void **state)
{
	const char *msg = "refused: termination criteria unmet: complaints_peak_sustained_for_thirty "
			  "minutes; 72 hours with no anomaly; complaints below 85% of the daily "
			  "average; no secondary-risk reports; all emergency resources withdrawn";
	struct strbuf joined = STRBUF_INIT;
	int first = -1;
	(void)state;
	start(80, 24);
	list_open(T);
	tui_status(T, ST_ERR, "%s", msg);
	screen();
	sb_init(&joined);
	for (int y = 24 - 3; y < 24; y++) {
		const char *r = row_text(y);
		if (strncmp(r, "refused", 7) == 0)
			first = y;
		if (first >= 0) {
			if (joined.len)
				sb_addc(&joined, ' ');
			sb_adds(&joined, r);
		}
	}
	/* joining the rows with one blank gives the message back: no word split */
	assert_true(first >= 0);
	assert_string_equal(joined.buf, msg);
	sb_release(&joined);
	/* longer than three rows: the last says so with one "…", not two */
	tui_status(T, ST_ERR, "%s %s %s", msg, msg, msg);
	screen();
	assert_non_null(strstr(row_text(23), "\xe2\x80\xa6"));
	assert_null(strstr(row_text(23), "\xe2\x80\xa6\xe2\x80\xa6"));
	stop();
}

static void test_keybar_keeps_all_keys(void **state)
{
	(void)state;
	start(80, 24);
	list_open(T);
	key(TK_ENTER);
	screen();
	assert_non_null(strstr(row_text(23), "? all keys"));
	assert_non_null(strstr(row_text(23), "l log"));
	stop();
}

/* ====================================================== the dashboard */

static void test_dash_header(void **state)
{
	const struct canvas *c;
	int lvl = -1, warn = -1;
	(void)state;
	start(100, 30);
	dash_open(T, 1);
	screen();
	c = &T->cv;
	/* the level once, the warning in its own style, the commander visible */
	assert_non_null(strstr(row_text(1), "LEVEL III"));
	assert_non_null(strstr(row_text(1), "YELLOW WARNING"));
	assert_null(strstr(strstr(row_text(1), "LEVEL III") + 1, "LEVEL III"));
	assert_null(strstr(row_text(2), "Level III"));
	assert_non_null(strstr(row_text(2), "commander alice"));
	for (int x = 0; x < c->cols; x++) {
		const struct cell *k = cv_cell(c, 1, x);
		if (k->s[0] == 'L' && lvl < 0)
			lvl = k->style;
		if (k->s[0] == 'Y' && warn < 0)
			warn = k->style;
	}
	assert_int_equal(lvl, ST_LEVEL + COL_YELLOW);
	assert_int_equal(warn, ST_WARN + COL_YELLOW);
	assert_int_not_equal(lvl, warn);
	/* countdowns in one style; the person carrying, or the role marked */
	assert_true(on_screen("LATE 00:01:00"));
	assert_true(on_screen("in 00:14:59"));
	assert_true(on_screen("nobody named (Duty manager)"));
	assert_true(on_screen("Bob Li"));
	/* every firing trigger on a metric, and the window held */
	assert_true(on_screen("FIRED complaints_peak  FIRED complaints_major"));
	assert_true(on_screen("queue_sustained 00:12:00/00:30:00"));
	/* no exported rows among the latest actions */
	assert_false(on_screen("exported brief"));
	/* a response: no lift block */
	assert_false(on_screen("LIFT ("));
	stop();
}

static void test_dash_counts_down_without_reload(void **state)
{
	(void)state;
	start(100, 30);
	dash_open(T, 1);
	assert_true(on_screen("in 00:14:59"));
	fake_now = NOW + 1;
	T->now = fake_now;
	tui_tick(T);
	assert_true(on_screen("in 00:14:58"));
	assert_true(on_screen("LATE 00:01:01"));
	stop();
}

static void test_bell_when_late(void **state)
{
	(void)state;
	start(100, 30);
	dash_open(T, 1);
	screen();
	assert_int_equal(T->bell, 0); /* what was late at open rings nothing */
	fake_now = NOW + 900;         /* tech_report #3 goes late */
	T->now = fake_now;
	tui_tick(T);
	assert_int_equal(T->bell, 1);
	stop();
}

static void test_terminate_refused_before_a_form(void **state)
{
	(void)state;
	start(100, 30);
	dash_open(T, 1);
	key('t');
	assert_false(T->top->overlay);
	assert_true(on_screen("72 hours with no anomaly"));
	assert_true(on_screen("by rule 'termination'")); /* which rule, as the CLI says */
	assert_int_equal(nrecs, 0);
	stop();
}

static void test_accept_offers_most_severe_first(void **state)
{
	(void)state;
	start(100, 30);
	dash_open(T, 1);
	key('p');
	assert_true(T->top->overlay);
	screen();
	assert_true(strstr(shot.buf, "LEVEL I  by rule complaints_major") <
		    strstr(shot.buf, "LEVEL II  by rule complaints_regional"));
	key(TK_ENTER);                /* the highlighted one: I */
	assert_true(on_screen("accept the proposal: level I"));
	key(TK_ENTER);
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].kind, ACT_ACCEPT);
	assert_string_equal(recs[0].target, "I");
	stop();
}

static void test_done_marks_several(void **state)
{
	(void)state;
	start(100, 30);
	dash_open(T, 1);
	key('o');
	screen();
	/* sorted by due, the notices' own not here */
	assert_true(strstr(shot.buf, "[verify_report]") < strstr(shot.buf, "[tech_report]"));
	assert_true(strstr(shot.buf, "[tech_report]") < strstr(shot.buf, "Decide the response"));
	assert_null(strstr(shot.buf, "[warn_notice]"));
	key(' ');
	key(' ');
	key(' ');
	assert_true(on_screen("3 marked"));
	key(TK_ENTER);
	assert_true(on_screen("mark 3 deadlines done"));
	type("all three in");
	key(TK_ENTER);
	assert_int_equal(nrecs, 3);
	assert_string_equal(recs[0].target, "verify_report");
	assert_string_equal(recs[1].target, "tech_report");
	assert_string_equal(recs[2].target, "level_decision");
	for (int i = 0; i < 3; i++) {
		assert_int_equal(recs[i].kind, ACT_DONE);
		assert_string_equal(recs[i].text, "all three in");
	}
	stop();
}

static void test_done_after_termination(void **state)
{
	(void)state;
	terminated_fixture = 1;
	start(100, 30);
	dash_open(T, 1);
	key('o');                     /* the engine allows it: the picker opens */
	assert_true(T->top->overlay);
	key(TK_ESC);
	key('l');                     /* it does not allow a note: said at once */
	assert_false(T->top->overlay);
	assert_true(on_screen("the incident is terminated"));
	stop();
}

static void test_picker_filters_chinese(void **state)
{
	(void)state;
	zh = 1;
	start(100, 30);
	dash_open(T, 1);
	key('o');
	type("\xe6\x8a\xa5\xe5\x91\x8a");   /* 报告 */
	screen();
	assert_non_null(strstr(shot.buf, "\xe6\x8a\x80\xe6\x9c\xaf\xe7\xbb\x84")); /* 技术组 */
	assert_null(strstr(shot.buf, "[verify_report]"));
	/* the id matches too */
	key(TK_CTRL('u'));
	type("verify");
	screen();
	assert_non_null(strstr(shot.buf, "[verify_report]"));
	assert_null(strstr(shot.buf, "[tech_report]"));
	zh = 0;
	stop();
}

static void test_picker_moves_with_jk_until_typing(void **state)
{
	(void)state;
	start(100, 30);
	dash_open(T, 1);
	key('a');
	key('j');                     /* moves: nothing typed yet */
	assert_int_equal(T->top->cursor, 1);
	key(TK_CTRL('p'));
	assert_int_equal(T->top->cursor, 0);
	type("sk");                   /* letters type: "risk" */
	assert_true(on_screen("filter: sk"));
	key(TK_ESC);
	assert_int_equal(nrecs, 0);
	stop();
}

static void test_assign_person(void **state)
{
	(void)state;
	start(100, 30);
	dash_open(T, 1);
	key('R');
	type("duty");
	key(TK_ENTER);
	assert_true(on_screen("who takes the role 'Duty manager'?"));
	type("Dave Wu");              /* not in the contacts: the name typed */
	assert_true(on_screen("(the name typed)"));
	key(TK_ENTER);
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].kind, ACT_ASSIGN);
	assert_string_equal(recs[0].target, "duty_manager");
	assert_string_equal(recs[0].person, "Dave Wu");
	stop();
}

static void test_notice_needs_approval(void **state)
{
	(void)state;
	start(100, 30);
	dash_open(T, 1);
	key('s');
	key(TK_DOWN);                 /* soonest first: the overdue statement, then */
	key(TK_ENTER);                /* warn_notice, which legal approves */
	assert_true(on_screen("to: Dave Wu, Erin Xu"));
	assert_true(on_screen("channel: sms"));
	assert_true(on_screen("legal must approve it first"));
	key(TK_CTRL('s'));
	assert_int_equal(nrecs, 0);   /* refused: the editor stays */
	assert_true(T->top->overlay);
	key(TK_ESC);
	assert_int_equal(nrecs, 0);
	stop();
}

/* A reading that is not a number, a due that is not a time: said in the
 * form, which stays open with what was typed; mended, it is taken. */
static void test_form_keeps_bad_input(void **state)
{
	(void)state;
	start(100, 30);
	dash_open(T, 1);
	key('m');
	type("complaints_pct abc");
	key(TK_ENTER);
	assert_int_equal(nrecs, 0);
	assert_true(T->top->overlay);
	assert_true(on_screen("'abc' is not a number"));
	assert_true(on_screen("complaints_pct abc"));
	key(TK_BACKSPACE);
	key(TK_BACKSPACE);
	key(TK_BACKSPACE);
	type("135");
	key(TK_ENTER);
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].kind, ACT_METRIC);
	assert_int_equal(recs[0].nmetrics, 1);
	assert_false(T->top->overlay);

	key('T');
	type("call the vendor");
	key(TK_ENTER);
	key(TK_ENTER);                /* no owner */
	type("tomorrow");
	key(TK_ENTER);
	assert_int_equal(nrecs, 1);
	assert_true(on_screen("'tomorrow' is neither a duration"));
	assert_true(on_screen("tomorrow"));
	for (int i = 0; i < 8; i++)
		key(TK_BACKSPACE);
	type("2h");
	key(TK_ENTER);
	assert_int_equal(nrecs, 2);
	assert_int_equal(recs[1].kind, ACT_TASK);
	assert_int_equal(recs[1].due_in, 7200);
	stop();
}

/* The notice editor wraps at words: no word is cut across two rows (a
 * long line of a notice read "Aff|ected"), Chinese may break anywhere. */
static void test_editor_wraps_at_words(void **state)
{
	/* each word and how often the text holds it: every time whole on a row */
	static const struct { const char *w; int n; } words[] = {
		{ "Affected", 4 }, { "customers", 4 }, { "callback", 4 }, { "restoring", 5 },
		{ "switchboard", 4 }, { "overflowing", 4 },
	};
	(void)state;
	start(80, 24);
	dash_open(T, 1);
	key('s');
	key(TK_ENTER);                /* the statement */
	key(TK_END);
	for (int k = 0; k < 4; k++)
		type(" Affected customers get a callback while restoring the switchboard,"
		     " overflowing queues");
	screen();
	for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
		int whole = 0;
		for (int y = 0; y < 24; y++)
			for (const char *p = row_text(y); (p = strstr(p, words[w].w)) != NULL; p++)
				whole++;
		if (whole != words[w].n)
			fail_msg("'%s' whole %d times on the rows, %d in the text", words[w].w, whole,
				 words[w].n);
	}
	key(TK_ESC);
	stop();
}

/* A: the approver reads the wording first; what is approved is that text. */
static void test_approve_shows_wording(void **state)
{
	(void)state;
	start(100, 30);
	dash_open(T, 1);
	key('A');
	key(TK_ENTER);                /* warn_notice, which legal approves */
	assert_true(on_screen("Yellow warning for the hotline."));
	assert_true(on_screen("Ctrl-S approve this wording"));
	key(TK_CTRL('s'));
	type("checked with legal");
	key(TK_ENTER);
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].kind, ACT_APPROVE);
	assert_string_equal(recs[0].target, "warn_notice");
	assert_string_equal(recs[0].text, "checked with legal");
	assert_string_equal(recs[0].message,
			    "Yellow warning for the hotline.\nScope: east region\nMeasures: extra agents");
	stop();
}

/* When app says per notice what the engine allows, that decides. */
static void test_notice_engine_decides(void **state)
{
	(void)state;
	engine_sends = 1;
	start(100, 30);
	dash_open(T, 1);
	key('s');
	key(TK_DOWN);                 /* warn_notice, after the overdue statement */
	key(TK_ENTER);
	assert_false(on_screen("must approve it first"));
	key(TK_CTRL('s'));
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].kind, ACT_NOTIFY);
	assert_string_equal(recs[0].target, "warn_notice");
	assert_string_equal(recs[0].message, ""); /* unedited: app drafts it */
	stop();
}

/* A closed incident's row: its age stops at the termination, its open
 * follow-ups are counted (its badge says closed). */
static void test_list_closed_row(void **state)
{
	const char *row;
	(void)state;
	start(100, 30);
	list_open(T);
	screen();
	row = row_text(3);            /* the title row, then the head, then #3, #2 */
	for (int y = 0; y < 10 && !strstr(row, "quarterly exercise"); y++)
		row = row_text(y);
	assert_non_null(strstr(row, "quarterly exercise"));
	assert_non_null(strstr(row, "1 open"));
	assert_non_null(strstr(row, "00:30:00")); /* ran half an hour, not 25 */
	T->now += 600;                /* ten minutes on: still half an hour */
	screen();
	for (int y = 0; y < 10; y++)
		if (strstr(row_text(y), "quarterly exercise"))
			assert_non_null(strstr(row_text(y), "00:30:00"));
	stop();
}

/* A timeline filter is in the title before the incident's (long) title. */
static void test_timeline_filter_in_title(void **state)
{
	(void)state;
	tl_rows = 30;
	start(80, 24);
	timeline_open(T, 1);
	key('f');
	type("refused");
	key(TK_ENTER);
	screen();
	assert_non_null(strstr(row_text(0), "only refused"));
	stop();
}

static void test_list_search(void **state)
{
	(void)state;
	start(80, 24);
	list_open(T);
	key('/');
	type("power");
	key(TK_ENTER);
	assert_int_equal(T->top->cursor, 2);
	assert_true(on_screen("search \"power\":"));
	key('n');                     /* one match: wraps onto itself */
	assert_int_equal(T->top->cursor, 2);
	key(TK_ESC);                  /* ends the search: n is the list's again */
	assert_null(T->top->search);
	key('/');
	type("nothing like it");
	key(TK_ENTER);
	assert_true(on_screen("nothing matches"));
	stop();
}

static void test_notice_sent_edited(void **state)
{
	(void)state;
	start(100, 30);
	dash_open(T, 1);
	key('s');
	key(TK_ENTER);                /* the statement, overdue, first: no approval needed */
	assert_true(on_screen("We are restoring the hotline."));
	key(TK_ENTER);
	type("\xe9\xa2\x84\xe8\xae\xa1 30 min"); /* 预计 30 min */
	key(TK_BACKSPACE);
	key(TK_CTRL('s'));
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].kind, ACT_NOTIFY);
	assert_string_equal(recs[0].target, "external_statement");
	assert_string_equal(recs[0].message,
			    "We are restoring the hotline.\n\xe9\xa2\x84\xe8\xae\xa1 30 mi");
	stop();
}

/* What the rules refuse after a form or the editor closed opens it again
 * with what was typed and the rule's refusal in it: nothing typed is lost. */
static void test_refused_answer_reopens(void **state)
{
	(void)state;
	start(100, 30);
	dash_open(T, 1);
	key('T');
	type("call the vendor");
	key(TK_ENTER);
	key(TK_ENTER);
	type("2h");
	act_refuse = "task";
	key(TK_ENTER);
	assert_int_equal(nrecs, 1);             /* tried once, refused */
	assert_true(T->top->overlay);           /* the form again */
	assert_true(on_screen("refused by rule 'task': the due time is not in the future"));
	assert_true(on_screen("2h"));
	key(TK_ESC);
	assert_false(T->top->overlay);

	/* the editor: a notice that cannot go (no channel) keeps its edit */
	key('s');
	key(TK_ENTER);
	key(TK_ENTER);
	type("ETA 30 min");
	act_bad = "no channel 'sms' in the channels file (docs/channels.md)";
	key(TK_CTRL('s'));
	assert_int_equal(nrecs, 2);
	assert_true(T->top->overlay);
	assert_true(on_screen("ETA 30 min"));
	assert_true(on_screen("no channel 'sms'"));
	key(TK_CTRL('s'));                      /* mended (here: the next try goes) */
	assert_int_equal(nrecs, 3);
	assert_false(T->top->overlay);
	assert_string_equal(recs[2].message, "We are restoring the hotline.\nETA 30 min");
	stop();
}

static void test_warn_form_fields(void **state)
{
	(void)state;
	start(80, 24);
	dash_open(T, 1);
	key('w');
	assert_true(on_screen("blue     "));
	assert_false(on_screen("yellow   ")); /* raised already: not offered */
	type("blue");
	key(TK_ENTER);
	type("queues growing");
	key(TK_ENTER);
	type("east");
	key(TK_ENTER);
	key(TK_ENTER);                /* expected duration: left empty */
	type("extra agents");
	key(TK_ENTER);
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].kind, ACT_WARN);
	assert_string_equal(recs[0].target, "blue");
	assert_string_equal(recs[0].text, "queues growing");

	/* an expected duration the command line would refuse, refused in the
	 * form, the cursor on it, the rest kept */
	key('w');
	type("blue");
	key(TK_ENTER);
	type("queues growing");
	key(TK_ENTER);
	key(TK_ENTER);
	type("two hours");
	key(TK_ENTER);
	type("extra agents");
	key(TK_ENTER);
	assert_int_equal(nrecs, 1);
	assert_true(on_screen("'two hours' is not a duration"));
	for (int i = 0; i < 9; i++)
		key(TK_BACKSPACE);
	type("2h");
	key(TK_ENTER);
	key(TK_ENTER);
	assert_int_equal(nrecs, 2);
	stop();
}

static void test_escalate_from_level_seen(void **state)
{
	(void)state;
	start(80, 24);
	dash_open(T, 1);
	key('e');
	assert_true(on_screen("escalate from level III one step: reason"));
	key(TK_ENTER);                /* empty: the form says so and stays */
	assert_true(on_screen("cannot be empty"));
	type("regional outage");
	key(TK_ENTER);
	assert_int_equal(recs[0].kind, ACT_ESCALATE);
	assert_int_equal(recs[0].has_seen, 1);
	assert_string_equal(recs[0].seen, "III");
	stop();
}

/* ====================================================== the timeline */

static void test_timeline_windows_a_long_incident(void **state)
{
	(void)state;
	tl_rows = 1000000;
	start(100, 30);
	timeline_open(T, 1);
	screen();
	/* opened at the end with one page, not the whole incident */
	assert_true(T->top->lines <= 100);
	assert_true(tl_pages <= 2);
	assert_true(on_screen("entry 1000000"));
	for (int i = 0; i < 150; i++)
		key('k');             /* up past a page: one more page in */
	assert_true(T->top->lines <= 200);
	assert_true(on_screen("entry 999850"));
	{
		/* the window holds the newest row: End moves there, no page again */
		int pages = tl_pages;
		key(TK_END);
		assert_true(on_screen("entry 1000000"));
		assert_int_equal(tl_pages, pages);
	}
	key(TK_HOME);
	assert_true(on_screen("opened: hotline down"));
	{
		/* from the first rows, End fetches the newest page */
		int pages = tl_pages;
		key(TK_END);
		assert_true(on_screen("entry 1000000"));
		assert_false(on_screen("opened: hotline down"));
		assert_int_equal(tl_pages, pages + 1);
	}
	stop();
}

/* The title's position ("12/100") is the cursor's after this key, not the
 * one before it. */
static void test_timeline_position_in_title(void **state)
{
	char want[32];
	(void)state;
	tl_rows = 1000;
	start(100, 30);
	timeline_open(T, 1);
	screen();
	key(TK_HOME);
	screen();
	snprintf(want, sizeof want, " 1/%d ", T->top->lines);
	assert_non_null(strstr(row_text(0), want));
	key('j');
	key('j');
	screen();
	snprintf(want, sizeof want, " 3/%d ", T->top->lines);
	assert_non_null(strstr(row_text(0), want));
	stop();
}

static void test_timeline_search_resumes(void **state)
{
	(void)state;
	tl_rows = 5000;
	tl_budget = 1000;             /* a page scans 1000 entries at most */
	start(100, 30);
	timeline_open(T, 1);
	key('/');
	assert_true(on_screen("search: type the text"));
	type("entry 4320");
	key(TK_ENTER);
	/* the first pages spend their budget: the background goes on */
	tui_render(T);
	assert_non_null(strstr(T->top->title, "search \"entry 4320\""));
	assert_true(on_screen("log entry 4320"));
	stop();
}

/* Rows of the screen that show "entry N" (this N, not N0...). */
static int entry_rows(const char *shot, int n)
{
	char want[32];
	int count = 0;
	snprintf(want, sizeof want, " entry %d", n);
	for (const char *p = strstr(shot, want); p; p = strstr(p + 1, want))
		if (p[strlen(want)] < '0' || p[strlen(want)] > '9')
			count++;
	return count;
}

static void test_timeline_search_first_hit(void **state)
{
	int pages;
	(void)state;
	tl_rows = 5000;               /* "entry 4" is in 1,111 of them */
	start(100, 30);
	timeline_open(T, 1);
	key('/');
	type("entry 4");
	pages = tl_pages;
	key(TK_ENTER);
	/* the first hit is asked alone and shown before the rest is read */
	assert_int_equal(tl_pages, pages + 1);
	assert_int_equal(tl_asked[pages], 1);
	assert_int_equal(T->top->lines, 1);
	/* the background fills the window after it, a page at a time */
	assert_int_equal(entry_rows(screen(), 4), 1);
	assert_int_equal(entry_rows(screen(), 40), 1);
	assert_int_equal(tl_asked[pages + 1], 100);
	assert_true(T->top->lines > 100);
	/* down past the window's pages and back: the one-row page is fetched
	 * again as it was (no row twice, none lost) */
	for (int i = 0; i < 60; i++)
		key(TK_PGDN);
	assert_int_equal(entry_rows(screen(), 4), 0);
	for (int i = 0; i < 60; i++)
		key(TK_PGUP);
	screen();
	assert_int_equal(entry_rows(screen(), 4), 1);
	assert_int_equal(entry_rows(screen(), 40), 1);
	assert_int_equal(entry_rows(screen(), 42), 1);
	stop();
}

static void test_timeline_correct_reading(void **state)
{
	(void)state;
	start(100, 30);
	timeline_open(T, 1);
	key(TK_HOME);
	for (int i = 0; i < 5; i++)
		key('j');             /* entry 6: a metric */
	key('c');
	assert_true(on_screen("correct reading 6"));
	assert_true(on_screen("complaints_pct=160"));
	key(TK_CTRL('u'));
	type("complaints_pct=13S");   /* a slip: said in the form, kept */
	key(TK_ENTER);
	type("typo: 135, not 160");
	key(TK_ENTER);
	assert_int_equal(nrecs, 0);
	assert_true(on_screen("'13S' is not a number"));
	assert_true(on_screen("complaints_pct=13S"));
	key(TK_END);                  /* the cursor is back in the values */
	key(TK_BACKSPACE);
	type("5");
	key(TK_ENTER);
	key(TK_ENTER);                /* the reason was kept too */
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].kind, ACT_CORRECT);
	assert_int_equal(recs[0].entry, 6);
	assert_int_equal(recs[0].nmetrics, 1);
	assert_string_equal(recs[0].text, "typo: 135, not 160");
	stop();
}

/* Pickers without deadlines show no countdown (their items were once left
 * unset, and showed "in 87517448142165d"). */
static void test_pickers_without_countdowns(void **state)
{
	(void)state;
	start(100, 30);
	timeline_open(T, 1);
	key('f');
	assert_true(on_screen("all kinds"));
	assert_false(on_screen("LATE"));
	for (char dd[4] = "0d "; dd[0] <= '9'; dd[0]++)
		assert_false(on_screen(dd)); /* "in 87517448142165d 13:20:53" */
	key(TK_ESC);
	key(TK_ESC);
	review_open(T, 1);
	key('N');
	assert_true(on_screen("which section?"));
	assert_false(on_screen("LATE"));
	for (char dd[4] = "0d "; dd[0] <= '9'; dd[0]++)
		assert_false(on_screen(dd));
	key(TK_ESC);
	stop();
}

/* The assessment offers a dimension's values by the plan's labels, the id
 * beside; a value without a label shows as its id; typing the id finds it. */
static void test_assess_labels(void **state)
{
	(void)state;
	start(100, 30);
	dash_open(T, 1);
	key('M');
	assert_true(on_screen("assess (1/2): Scope"));
	assert_true(on_screen("part of one region"));
	assert_true(on_screen("single_region"));
	assert_true(on_screen("national"));
	type("multi_region");
	key(TK_ENTER);
	assert_true(on_screen("assess (2/2): Recovery time"));
	key(TK_ESC);
	stop();
}

/* The review's follow-up form keeps what was typed when the due is wrong
 * (said in the form, the cursor in the due). */
static void test_followup_keeps_bad_due(void **state)
{
	(void)state;
	start(100, 30);
	review_open(T, 1);
	key('F');
	type("replace the core switch");
	key(TK_ENTER);
	type("wang.wu");
	key(TK_ENTER);
	type("tomorrow");
	key(TK_ENTER);
	assert_int_equal(nrecs, 0);
	assert_true(T->top->overlay);
	assert_true(on_screen("'tomorrow' is neither a duration"));
	assert_true(on_screen("replace the core switch"));
	assert_true(on_screen("wang.wu"));
	for (int i = 0; i < 8; i++)
		key(TK_BACKSPACE);
	type("3d");
	key(TK_ENTER);
	assert_int_equal(nrecs, 1);
	assert_int_equal(recs[0].kind, ACT_TASK);
	assert_int_equal(recs[0].due_in, 3 * 86400);
	assert_false(T->top->overlay);
	stop();
}

static void test_export_never_overwrites(void **state)
{
	char path[] = "/tmp/sitrep-test-tui-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	char buf[200] = "";
	(void)state;
	assert_true(fd >= 0);
	assert_true(write(fd, "keep me\n", 8) == 8);
	close(fd);
	start(100, 30);
	timeline_open(T, 1);
	key('f');
	type("escalate");
	key(TK_ENTER);
	key('x');
	key(TK_ENTER);                /* text */
	key(TK_CTRL('u'));
	type(path);
	key(TK_ENTER);
	assert_true(on_screen("exists: overwrite it?"));
	key(TK_ESC);                  /* kept */
	f = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	assert_string_equal(buf, "keep me\n");
	key('x');
	key(TK_ENTER);
	key(TK_CTRL('u'));
	type(path);
	key(TK_ENTER);
	type("y");
	key(TK_ENTER);
	assert_true(on_screen("only escalate entries"));
	f = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	/* what the view shows: its filter */
	assert_string_equal(buf, "timeline 1 text kind=escalate search=\n");
	unlink(path);
	/* a folder that is not there: said in the form, the path kept */
	key('x');
	key(TK_ENTER);
	key(TK_CTRL('u'));
	type("/tmp/sitrep-no-such-folder-tui/x.txt");
	key(TK_ENTER);
	assert_true(T->top->overlay);
	assert_true(on_screen("cannot write '/tmp/sitrep-no-such-folder-tui/x.txt'"));
	assert_true(on_screen("sitrep-no-such-folder-tui/x.txt"));
	key(TK_CTRL('u'));
	type(path);
	key(TK_ENTER);
	assert_false(T->top->overlay);
	assert_true(on_screen("only escalate entries"));
	unlink(path);
	stop();
}

/* ====================================================== goldens */

struct shot_spec {
	const char *name;
	void (*open)(void);
};

static void open_list(void) { list_open(T); }
static void open_dash(void) { dash_open(T, 1); }
static void open_timeline(void) { timeline_open(T, 1); key(TK_HOME); }
static void open_review(void) { review_open(T, 1); }
static void open_help(void) { list_open(T); key('?'); }
static void open_accept(void) { dash_open(T, 1); key('p'); }
static void open_done(void) { dash_open(T, 1); key('o'); key(' '); }
static void open_notice(void) { dash_open(T, 1); key('s'); key(TK_DOWN); key(TK_ENTER); }
static void open_warn(void) { dash_open(T, 1); key('w'); key(TK_DOWN); key(TK_ENTER); type("queues"); }
static void open_new(void) { list_open(T); key('n'); type("hot"); }
static void open_title(void) { list_open(T); key('n'); type("hot"); key(TK_ENTER); key('\t'); }
static void open_task(void) { dash_open(T, 1); key('T'); }

static const struct shot_spec shots[] = {
	{ "list", open_list }, { "dash", open_dash }, { "timeline", open_timeline },
	{ "review", open_review }, { "help", open_help }, { "accept", open_accept },
	{ "done", open_done }, { "notice", open_notice }, { "warn", open_warn },
	{ "new", open_new }, { "title", open_title }, { "task", open_task },
};

static void goldens(int chinese)
{
	static const int sizes[2][2] = { { 80, 24 }, { 100, 30 } };
	for (size_t i = 0; i < sizeof shots / sizeof shots[0]; i++)
		for (int s = 0; s < 2; s++) {
			char name[128];
			start(sizes[s][0], sizes[s][1]);
			shots[i].open();
			snprintf(name, sizeof name, "%s_%dx%d.%s", shots[i].name, sizes[s][0],
				 sizes[s][1], chinese ? "zh" : "en");
			/* every screen draws: something under the title bar */
			screen();
			assert_true(strlen(row_text(1)) + strlen(row_text(2)) + strlen(row_text(3)) > 0);
			golden(name);
			stop();
		}
}

static void test_goldens_en(void **state)
{
	(void)state;
	goldens(0);
}

static void test_goldens_zh(void **state)
{
	(void)state;
	goldens(1);
}

int main(void)
{
	const struct CMUnitTest en[] = {
		cmocka_unit_test(test_readings),
		cmocka_unit_test(test_clocks),
		cmocka_unit_test(test_countdown),
		cmocka_unit_test(test_sparkline),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_check_label),
		cmocka_unit_test(test_canvas_clips_by_width),
		cmocka_unit_test(test_contract_keys),
		cmocka_unit_test(test_help_from_tables),
		cmocka_unit_test(test_help_screen_wraps_words),
		cmocka_unit_test(test_status_wraps_at_words),
		cmocka_unit_test(test_keybar_keeps_all_keys),
		cmocka_unit_test(test_dash_header),
		cmocka_unit_test(test_dash_counts_down_without_reload),
		cmocka_unit_test(test_bell_when_late),
		cmocka_unit_test(test_terminate_refused_before_a_form),
		cmocka_unit_test(test_accept_offers_most_severe_first),
		cmocka_unit_test(test_done_marks_several),
		cmocka_unit_test(test_done_after_termination),
		cmocka_unit_test(test_picker_filters_chinese),
		cmocka_unit_test(test_picker_moves_with_jk_until_typing),
		cmocka_unit_test(test_assign_person),
		cmocka_unit_test(test_notice_needs_approval),
		cmocka_unit_test(test_approve_shows_wording),
		cmocka_unit_test(test_editor_wraps_at_words),
		cmocka_unit_test(test_refused_answer_reopens),
		cmocka_unit_test(test_form_keeps_bad_input),
		cmocka_unit_test(test_notice_sent_edited),
		cmocka_unit_test(test_notice_engine_decides),
		cmocka_unit_test(test_list_search),
		cmocka_unit_test(test_warn_form_fields),
		cmocka_unit_test(test_escalate_from_level_seen),
		cmocka_unit_test(test_timeline_windows_a_long_incident),
		cmocka_unit_test(test_timeline_filter_in_title),
		cmocka_unit_test(test_list_closed_row),
		cmocka_unit_test(test_timeline_position_in_title),
		cmocka_unit_test(test_timeline_search_resumes),
		cmocka_unit_test(test_timeline_search_first_hit),
		cmocka_unit_test(test_timeline_correct_reading),
		cmocka_unit_test(test_pickers_without_countdowns),
		cmocka_unit_test(test_export_never_overwrites),
		cmocka_unit_test(test_followup_keeps_bad_due),
		cmocka_unit_test(test_assess_labels),
		cmocka_unit_test(test_goldens_en),
	};
	const struct CMUnitTest cn[] = {
		cmocka_unit_test(test_goldens_zh),
	};
	int rc;
	if (getenv("TUI_TEST"))
		cmocka_set_test_filter(getenv("TUI_TEST")); /* one test: TUI_TEST=test_dash_header */
	setenv("TZ", "UTC", 1);
	tzset();
	sb_init(&shot);
	rc = cmocka_run_group_tests_name("tui (C.UTF-8)", en, setup_en, teardown);
	rc |= cmocka_run_group_tests_name("tui (zh_CN.UTF-8)", cn, setup_zh, teardown);
	sb_release(&shot);
	trs_free();
	return rc;
}
