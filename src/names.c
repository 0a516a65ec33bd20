/* names: the tables generated from the lists in names.h. */
#include <string.h>

#include "sitrep/names.h"
#include "sitrep/i18n.h"

const struct action_info action_info[ACT__COUNT] = {
#define X(id, name, changes, text, target, help) { name, changes, text, target, help },
	SITREP_ACTIONS(X)
#undef X
};

int action_lookup(const char *name)
{
	if (!name)
		return -1;
	/* the first byte before the rest: a replay asks once per entry */
	for (int i = 0; i < ACT__COUNT; i++)
		if (action_info[i].name[0] == name[0] && strcmp(action_info[i].name, name) == 0)
			return i;
	return -1;
}

const char *action_name(int a)
{
	return a >= 0 && a < ACT__COUNT ? action_info[a].name : "?";
}

/* The actions as words people read, msgctxt "action": in English the
 * command's own word ("log recorded"), in Chinese what it does ("已记录备注"). */
static const char *const action_words[ACT__COUNT] = {
	[ACT_OPEN] = NC_("action", "open"),
	[ACT_LOG] = NC_("action", "log"),
	[ACT_METRIC] = NC_("action", "metric"),
	[ACT_CORRECT] = NC_("action", "correct"),
	[ACT_WARN] = NC_("action", "warn"),
	[ACT_LIFT] = NC_("action", "lift"),
	[ACT_ESCALATE] = NC_("action", "escalate"),
	[ACT_DOWNGRADE] = NC_("action", "downgrade"),
	[ACT_ACCEPT] = NC_("action", "accept"),
	[ACT_ASSESS] = NC_("action", "assess"),
	[ACT_ATTEST] = NC_("action", "attest"),
	[ACT_DONE] = NC_("action", "done"),
	[ACT_TERMINATE] = NC_("action", "terminate"),
	[ACT_HANDOVER] = NC_("action", "handover"),
	[ACT_ASSIGN] = NC_("action", "assign"),
	[ACT_UNASSIGN] = NC_("action", "unassign"),
	[ACT_OWNER] = NC_("action", "owner"),
	[ACT_TASK] = NC_("action", "task"),
	[ACT_RESOURCE] = NC_("action", "resource"),
	[ACT_APPROVE] = NC_("action", "approve"),
	[ACT_NOTIFY] = NC_("action", "notify"),
	[ACT_NOTE_REVIEW] = NC_("action", "note-review"),
};

const char *action_word(int a)
{
	if (a < 0 || a >= ACT__COUNT || !action_words[a])
		return action_name(a);
	return i18n_pgettext("action", action_words[a]);
}

/* The journal's kinds that are not actions, as words (msgctxt "kind"). */
static const char *const other_kinds[] = { NC_("kind", "refused"), NC_("kind", "auto"),
					   NC_("kind", "export") };

const char *kind_word(const char *kind)
{
	int a = action_lookup(kind);
	if (a >= 0)
		return action_word(a);
	for (size_t i = 0; kind && i < sizeof other_kinds / sizeof *other_kinds; i++)
		if (!strcmp(kind, other_kinds[i]))
			return i18n_pgettext("kind", other_kinds[i]);
	return kind ? kind : "";
}

static const char *const phase_names[PHASE__COUNT] = {
#define X(id, name, badge) name,
	SITREP_PHASES(X)
#undef X
};
static const char *const phase_badges[PHASE__COUNT] = {
#define X(id, name, badge) badge,
	SITREP_PHASES(X)
#undef X
};

const char *phase_name(int ph)
{
	return ph >= 0 && ph < PHASE__COUNT ? phase_names[ph] : "?";
}

const char *phase_text(int ph)
{
	static const char *const words[PHASE__COUNT] = {
		N_("monitoring"), N_("warning"), N_("response"), N_("terminated"),
	};
	return ph >= 0 && ph < PHASE__COUNT ? _(words[ph]) : "?";
}

const char *phase_badge(int ph)
{
	return ph >= 0 && ph < PHASE__COUNT ? phase_badges[ph] : "?";
}

static const char *const effect_names[EFF__COUNT] = {
#define X(id, name) name,
	SITREP_EFFECTS(X)
#undef X
};

const char *effect_name(int e)
{
	return e >= 0 && e < EFF__COUNT ? effect_names[e] : "effect";
}

static const char *const obl_kind_names[OBLK__COUNT] = {
#define X(id, name) name,
	SITREP_OBLIGATION_KINDS(X)
#undef X
};

const char *obl_kind_name(int k)
{
	return k >= 0 && k < OBLK__COUNT ? obl_kind_names[k] : "?";
}

static const char *const outcome_names[OUT__COUNT] = {
#define X(id, name, text) name,
	SITREP_OUTCOMES(X)
#undef X
};

const char *outcome_name(int o)
{
	return o >= 0 && o < OUT__COUNT ? outcome_names[o] : "?";
}

static const char *const notice_state_names[NOTICE__COUNT] = {
#define X(id, name) name,
	SITREP_NOTICE_STATES(X)
#undef X
};

const char *notice_state_name(int s)
{
	return s >= 0 && s < NOTICE__COUNT ? notice_state_names[s] : "?";
}

static const char *const rule_names[RULE__COUNT] = {
	"",
#define X(id, name, help) name,
	SITREP_RULES(X)
#undef X
};
static const char *const rule_helps[RULE__COUNT] = {
	"",
#define X(id, name, help) help,
	SITREP_RULES(X)
#undef X
};

const char *rule_name(int r)
{
	return r > 0 && r < RULE__COUNT ? rule_names[r] : "";
}

const char *rule_help(int r)
{
	return r > 0 && r < RULE__COUNT ? rule_helps[r] : "";
}

int rule_lookup(const char *name)
{
	if (!name || !*name)
		return RULE_NONE;
	for (int i = 1; i < RULE__COUNT; i++)
		if (strcmp(rule_names[i], name) == 0)
			return i;
	return RULE_NONE;
}

static const char *const section_names[SECTION__COUNT] = {
#define X(id, name, title) name,
	SITREP_REVIEW_SECTIONS(X)
#undef X
};
static const char *const section_titles[SECTION__COUNT] = {
#define X(id, name, title) title,
	SITREP_REVIEW_SECTIONS(X)
#undef X
};

const char *section_name(int s)
{
	return s >= 0 && s < SECTION__COUNT ? section_names[s] : "?";
}

const char *section_title(int s)
{
	return s >= 0 && s < SECTION__COUNT ? section_titles[s] : "?";
}

int section_lookup(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < SECTION__COUNT; i++)
		if (strcmp(section_names[i], name) == 0)
			return i;
	return -1;
}
