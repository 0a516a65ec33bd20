/* names: the vocabulary every module shares, one list per set of names.
 * Each list is an X-macro that generates its enum, its names and its help
 * text (tig's and neomutt's habit): actions, phases, effects, obligation
 * kinds, notice states and refusal rules. Adding a name is one line here.
 *
 * The names are ids: they are journaled, printed in JSON and typed on the
 * command line, and never change with the language. The help texts are
 * English msgids, marked N_() and translated where they are shown. */
#ifndef SITREP_NAMES_H
#define SITREP_NAMES_H

#include <stddef.h>

#include "sitrep/i18n.h"

/* Actions: what a user may do to an incident. Columns:
 *   id          enum suffix (ACT_id)
 *   name        the command, the journal entry kind, the plan's role permission
 *   changes     1 when it changes the incident's phase, level, warning or
 *               command: such an action is never placed before the latest
 *               one already journaled (engine rule `backfill`)
 *   text        payload key of the user's text (reason, note, title), or NULL
 *   target      payload key of the target (level, criterion ...), or NULL
 *   help        one line, English msgid */
#define SITREP_ACTIONS(X)                                                                  \
	X(OPEN,        "open",        1, "title",  NULL,        N_("open an incident"))        \
	X(LOG,         "log",         0, "text",   NULL,        N_("add a note"))              \
	X(METRIC,      "metric",      0, "note",   NULL,        N_("record metric readings"))  \
	X(CORRECT,     "correct",     0, "reason", "entry",     N_("void or replace a reading")) \
	X(WARN,        "warn",        1, "reason", "warning",   N_("raise a warning"))         \
	X(LIFT,        "lift",        1, "reason", NULL,        N_("lift the warning"))        \
	X(ESCALATE,    "escalate",    1, "reason", "to",        N_("escalate the response level")) \
	X(DOWNGRADE,   "downgrade",   1, "reason", "to",        N_("downgrade the response level")) \
	X(ACCEPT,      "accept",      1, "reason", "level",     N_("accept a level proposal")) \
	X(ASSESS,      "assess",      0, "reason", NULL,        N_("assess the level with the decision matrix")) \
	X(ATTEST,      "attest",      0, "reason", "criterion", N_("attest a criterion"))      \
	X(DONE,        "done",        0, "note",   "obligation", N_("mark an obligation or task done")) \
	X(TERMINATE,   "terminate",   1, "reason", NULL,        N_("terminate the incident"))  \
	X(HANDOVER,    "handover",    1, "reason", "user",      N_("hand command over"))       \
	X(ASSIGN,      "assign",      0, "reason", "role",      N_("put a person in a role"))  \
	X(UNASSIGN,    "unassign",    0, "reason", "role",      N_("take a person out of a role")) \
	X(OWNER,       "owner",       0, "reason", "obligation", N_("name who carries a deadline")) \
	X(TASK,        "task",        0, "title",  NULL,        N_("add a task or a follow-up")) \
	X(RESOURCE,    "resource",    0, "note",   "item",      N_("deploy or withdraw resources")) \
	X(APPROVE,     "approve",     0, "note",   "notice",    N_("approve a notice's wording")) \
	X(NOTIFY,      "notify",      0, "note",   "notice",    N_("send a notice or record it given")) \
	X(NOTE_REVIEW, "note-review", 0, "text",   "section",   N_("write a review note"))

enum sitrep_action {
#define X(id, name, changes, text, target, help) ACT_##id,
	SITREP_ACTIONS(X)
#undef X
	ACT__COUNT
};

struct action_info {
	const char *name;
	int changes_state;
	const char *text_key;   /* NULL: the action carries no text */
	const char *target_key; /* NULL: no target */
	const char *help;       /* English msgid */
};
/* Borrowed static table, indexed by enum sitrep_action. */
extern const struct action_info action_info[ACT__COUNT];
/* The action named `name`, or -1. */
int action_lookup(const char *name);
/* action_info[a].name, or "?" out of range. */
const char *action_name(int a);
/* The action as a word people read, translated ("log", "备注"). */
const char *action_word(int a);
/* A journal entry's kind as a word people read: an action's word, or
 * "refused", "auto", "export" translated; another kind as it is. */
const char *kind_word(const char *kind);

/* Phases of an incident. */
#define SITREP_PHASES(X)                                   \
	X(MONITORING, "monitoring", "MONITORING")          \
	X(WARNING,    "warning",    "WARNING")             \
	X(RESPONSE,   "response",   "RESPONSE")            \
	X(TERMINATED, "terminated", "TERMINATED")
enum sitrep_phase {
#define X(id, name, badge) PHASE_##id,
	SITREP_PHASES(X)
#undef X
	PHASE__COUNT
};
const char *phase_name(int ph);  /* "monitoring" ...; "?" out of range */
const char *phase_text(int ph);  /* the same, translated: for text people read */
const char *phase_badge(int ph); /* "MONITORING" ... (English msgid) */

/* What an action or the passing of time caused (engine effects). */
#define SITREP_EFFECTS(X)                                            \
	X(OPENED,                "opened")                           \
	X(WARNING_RAISED,        "warning_raised")                   \
	X(WARNING_LIFTED,        "warning_lifted")                   \
	X(TRIGGER_FIRED,         "trigger_fired")                    \
	X(TRIGGER_CLEARED,       "trigger_cleared")                  \
	X(PROPOSAL,              "proposal")                         \
	X(PROPOSAL_WITHDRAWN,    "proposal_withdrawn")               \
	X(LEVEL,                 "level")                            \
	X(OBLIGATION_STARTED,    "obligation_started")               \
	X(OBLIGATION_DONE,       "obligation_done")                  \
	X(OBLIGATION_CANCELLED,  "obligation_cancelled")             \
	X(OBLIGATION_MISSED,     "obligation_missed")                \
	X(OBLIGATION_WITHDRAWN,  "obligation_withdrawn")             \
	X(ATTESTED,              "attested")                         \
	X(COMMANDER,             "commander")                        \
	X(TERMINATED,            "terminated")                       \
	X(ASSESSED,              "assessed")                         \
	X(ASSIGNED,              "assigned")                         \
	X(UNASSIGNED,            "unassigned")                       \
	X(OWNER,                 "owner")                            \
	X(TASK,                  "task")                             \
	X(DEPLOYED,              "deployed")                         \
	X(WITHDRAWN,             "withdrawn")                        \
	X(APPROVED,              "approved")                         \
	X(NOTICE_SENT,           "notice_sent")                      \
	X(NOTICE_FAILED,         "notice_failed")                    \
	X(READING_CORRECTED,     "reading_corrected")
enum sitrep_effect {
#define X(id, name) EFF_##id,
	SITREP_EFFECTS(X)
#undef X
	EFF__COUNT
};
const char *effect_name(int e); /* "warning_raised" ...; "effect" out of range */

/* Kinds of deadline (status --json obligations[].kind). */
#define SITREP_OBLIGATION_KINDS(X)          \
	X(OBLIGATION, "obligation")          \
	X(TASK,       "task")                \
	X(FOLLOWUP,   "followup")
enum sitrep_obl_kind {
#define X(id, name) OBLK_##id,
	SITREP_OBLIGATION_KINDS(X)
#undef X
	OBLK__COUNT
};
const char *obl_kind_name(int k);

/* How a deadline instance ended (the engine decides; the review counts). */
#define SITREP_OUTCOMES(X)                                          \
	X(OPEN,      "open",      N_("open"))                        \
	X(KEPT,      "kept",      N_("kept"))                        \
	X(LATE,      "late",      N_("late"))                        \
	X(MISSED,    "missed",    N_("missed"))                      \
	X(CANCELLED, "cancelled", N_("no longer applies"))           \
	X(WITHDRAWN, "withdrawn", N_("withdrawn"))
enum sitrep_outcome {
#define X(id, name, text) OUT_##id,
	SITREP_OUTCOMES(X)
#undef X
	OUT__COUNT
};
const char *outcome_name(int o);

/* States of a notice (status --json notices[].state, notices --json). */
#define SITREP_NOTICE_STATES(X)                                     \
	X(PENDING,  "pending")  /* its event has not happened */     \
	X(DUE,      "due")                                           \
	X(SENT,     "sent")                                          \
	X(FAILED,   "failed")                                        \
	X(UNKNOWN,  "unknown")  /* an attempt without an outcome */
enum sitrep_notice_state {
#define X(id, name) NOTICE_##id,
	SITREP_NOTICE_STATES(X)
#undef X
	NOTICE__COUNT
};
const char *notice_state_name(int s);

/* The six points a post-incident review evaluates (source 002), the
 * sections `note-review` writes to. */
#define SITREP_REVIEW_SECTIONS(X)                                                   \
	X(SPEED,       "speed",       N_("Response speed"))                       \
	X(PERFORMANCE, "performance", N_("Overall task performance"))             \
	X(CONTROL,     "control",     N_("Degree of control"))                    \
	X(COMMANDER,   "commander",   N_("The commander's own performance"))      \
	X(PLAN,        "plan",        N_("Efficiency of the action plan"))        \
	X(RISK,        "risk",        N_("Risk of future related incidents"))
enum sitrep_section {
#define X(id, name, title) SECTION_##id,
	SITREP_REVIEW_SECTIONS(X)
#undef X
	SECTION__COUNT
};
const char *section_name(int s);   /* "speed" ...; "?" out of range */
const char *section_title(int s);  /* English msgid */
int section_lookup(const char *name); /* -1 when unknown */

/* Refusal rules: the rule an engine refusal names (exit 1, journaled). */
#define SITREP_RULES(X)                                                                          \
	X(OPEN,             "open",             "the incident is not open, or already open")   \
	X(TERMINATED,       "terminated",       "the incident is terminated")                  \
	X(ROLES,            "roles",            "the user holds no role that may do it")       \
	X(REASON,           "reason",           "the action needs a reason")                   \
	X(TEXT,             "text",             "the text is missing or too long")             \
	X(BACKFILL,         "backfill",         "placed before a later state change, or a later entry would no longer apply") \
	X(CLOCK,            "clock",            "this machine's clock is behind the journal")  \
	X(METRIC,           "metric",           "a reading is unknown or out of range")        \
	X(CORRECT,          "correct",          "the entry is not a reading that can be corrected") \
	X(WARN,             "warn",             "no such warning")                             \
	X(WARN_SAME,        "warn.same",        "the warning is already raised")               \
	X(WARN_LOWER,       "warn.lower",       "a warning only rises: lift it instead")      \
	X(WARN_RESPONSE,    "warn.response",    "warnings come before a response")            \
	X(LIFT,             "lift",             "no warning, or the lift criteria are unmet")  \
	X(ESCALATE,         "escalate",         "no such level, or no levels")                 \
	X(ESCALATE_MAX,     "escalate.max",     "already at the most severe level")            \
	X(ESCALATE_SAME,    "escalate.same",    "already at that level")                       \
	X(ESCALATE_LOWER,   "escalate.lower",   "that level is less severe: downgrade")        \
	X(ESCALATE_STALE,   "escalate.stale",   "the level changed since the caller looked")   \
	X(DOWNGRADE,        "downgrade",        "no response level to downgrade")              \
	X(DOWNGRADE_MIN,    "downgrade.min",    "already at the least severe level: terminate") \
	X(DOWNGRADE_SAME,   "downgrade.same",   "already at that level")                       \
	X(DOWNGRADE_HIGHER, "downgrade.higher", "that level is more severe: escalate")         \
	X(DOWNGRADE_STALE,  "downgrade.stale",  "the level changed since the caller looked")   \
	X(ACCEPT,           "accept",           "no pending proposal (of that level)")         \
	X(ASSESS,           "assess",           "no matrix, or a value is missing or unknown") \
	X(ATTEST,           "attest",           "no such criterion, or it is measured")        \
	X(DONE,             "done",             "no such deadline open")                       \
	X(TERMINATION,      "termination",      "termination criteria unmet")                  \
	X(HANDOVER,         "handover",         "no user to hand over to")                     \
	X(HANDOVER_SAME,    "handover.same",    "that user is already the commander")          \
	X(HANDOVER_ROSTER,  "handover.roster",  "the user is not in the plan's roster")        \
	X(ASSIGN,           "assign",           "no such role, or the person holds it already / does not hold it") \
	X(OWNER,            "owner",            "no such deadline")                            \
	X(TASK,             "task",             "the task has no title, or a bad due time")    \
	X(RESOURCE,         "resource",         "no such item, or beyond the ledger's count or what is deployed") \
	X(NOTICE,           "notice",           "no such notice, or it is not due")            \
	X(NOTICE_APPROVAL,  "notice.approval",  "the notice needs approval before it is sent") \
	X(NOTE_REVIEW,      "note-review",      "no such review section")
enum sitrep_rule {
	RULE_NONE = 0,
#define X(id, name, help) RULE_##id,
	SITREP_RULES(X)
#undef X
	RULE__COUNT
};
const char *rule_name(int r);  /* "escalate.max" ...; "" for RULE_NONE */
const char *rule_help(int r);  /* English msgid */
int rule_lookup(const char *name); /* RULE_NONE when unknown */


#endif
