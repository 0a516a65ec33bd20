/* plan: a preparedness plan, loaded from YAML (libyaml lives only in the
 * plan loader: src/plan_yaml.c builds the tree the loaders read).
 *
 * A struct plan owns every string and array it points to; plan_free releases
 * all of it. Every id is a plain ASCII identifier. A text (title, name,
 * condition, description, template) may be written in the plan as a string
 * or as a mapping of language to text ({zh_CN: 核实报告, en: Verify the
 * report}); the loader keeps the one for the language the plan is loaded in
 * (plan_load_* `lang`, normally i18n_lang(): an exact match such as zh_CN,
 * else the same language zh, else the first given) in the char * field.
 * Durations are seconds. The format: docs/plan-format.md. */
#ifndef SITREP_PLAN_H
#define SITREP_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include "sitrep/names.h"
#include "sitrep/util.h"

enum plan_cmp { CMP_GT, CMP_GE, CMP_LT, CMP_LE, CMP_EQ, CMP_NE };

/* Role permissions are a bitmask over enum sitrep_action (names.h). */
struct plan_metric {
	char *id;            /* "complaints_pct" */
	char *name;          /* human name */
	char *unit;          /* "%", "min" ... may be NULL */
	double normal;       /* the value that means "normal" (e.g. 100 = daily average) */
	int has_normal;
	char *normal_text;   /* what normal is, in words; may be NULL */
	int has_min, has_max;/* valid range of readings (unit "%" defaults to 0..100) */
	double min, max;
	int64_t stale_after; /* a reading is fresh this long (default PLAN_STALE_AFTER):
	                        windows and criteria hold only while readings are fresh */
};
#define PLAN_STALE_AFTER (60 * 60) /* the default stale_after: 1 hour */

/* One metric comparison: metric OP value. */
struct plan_cond {
	int metric;          /* index into plan.metrics */
	enum plan_cmp op;
	double value;
};

struct plan_level {
	char *id;            /* "III", "II", "I" */
	char *name;
	char *colour;        /* "yellow", "orange", "red", ... (terminal colour name) */
	char **conditions;   /* text: what calls for this level */
	size_t nconditions;
	int *activated_by;   /* role indexes that may activate it; none = any role allowed to escalate */
	size_t nactivated_by;
	char *description;   /* may be NULL */
};

struct plan_warning {
	char *id;            /* "blue", "yellow" (ordered: later = more severe) */
	char *name;
	char **notify;       /* who is notified (text) */
	size_t nnotify;
	int64_t max_duration;/* 0 = no cap; past it, an "escalate or lift" obligation is due */
};

/* What a trigger does when it fires. */
struct plan_trigger {
	char *id;
	char *title;         /* may be NULL */
	struct plan_cond cond;
	int64_t for_secs;    /* the condition must hold on every reading across this window */
	int has_clear;       /* hysteresis: clears only when the reading is past clear_value */
	double clear_value;  /* on the other side of cond.op; without it, clears when cond is false */
	int raise_warning;   /* warning index or -1 */
	int propose_level;   /* level index or -1 */
	char *cite;          /* source wording, may be NULL */
};

/* The level decision matrix (000 §4.2). Each dimension lists its values;
 * rules are tried in order, the first whose every constraint matches gives
 * the level. A constraint is a set of allowed values of one dimension. */
#define PLAN_MAX_DIM_VALUES 8
struct plan_dimension {
	char *id;            /* "scope", "recovery", "criticality", "risk" */
	char *name;
	char **values;       /* "regional", "multi_region", "national" ... ordered mild -> severe */
	size_t nvalues;
	char **alias_names;  /* other words for a value ("regional" -> single_region) */
	int *alias_values;   /* value index of each alias */
	size_t naliases;
	char **labels;       /* what each value is called (the user's language), NULL
	                        or an entry NULL: the value itself; as values */
};
struct plan_matrix_rule {
	/* allowed[d] is a bitmask over dimension d's values; 0 = any value */
	uint32_t allowed[4];
	int level;           /* level index */
	char *why;           /* text, may be NULL */
};
struct plan_matrix {
	struct plan_dimension dims[4];
	size_t ndims;        /* 0 = the plan has no matrix */
	struct plan_matrix_rule *rules;
	size_t nrules;
	int default_level;   /* level index when no rule matches, -1 = no proposal */
};

enum plan_criterion_kind {
	CRIT_METRIC,         /* readings: every condition holds, on fresh readings, for `for` */
	CRIT_ATTEST,         /* a person attests it */
	CRIT_RESOURCES       /* everything deployed from the ledger is withdrawn */
};
struct plan_criterion {
	char *id;
	char *title;
	enum plan_criterion_kind kind;
	struct plan_cond *conds;  /* CRIT_METRIC: all must hold ... */
	size_t nconds;
	int64_t for_secs;         /* ... on every reading across this window (0 = latest reading) */
	int role;                 /* CRIT_ATTEST: the role that attests (index), -1 = any */
	char *cite;
};

/* Obligation anchors: what starts a one-shot deadline or a cadence. */
enum plan_anchor_kind {
	ANCHOR_OPEN,         /* incident opened */
	ANCHOR_WARNING,      /* any warning raised (first raise of a warning episode) */
	ANCHOR_WARNING_ID,   /* warning `ref` raised */
	ANCHOR_RESPONSE,     /* entered the response state (any level) */
	ANCHOR_LEVEL,        /* entered level `ref`; ref -1 (`level`): any change of level
	                        (entry into the response, escalate, downgrade); an event only */
	ANCHOR_PROPOSAL,     /* a level proposal appeared */
	ANCHOR_DONE,         /* obligation `ref` was done */
	ANCHOR_LIFT,         /* warning lifted */
	ANCHOR_TERMINATE,    /* incident terminated */
	ANCHOR_TRIGGER       /* trigger `ref` fired (an event only) */
};
struct plan_anchor {
	enum plan_anchor_kind kind;
	int ref;             /* index of warning/level/obligation, -1 when unused */
};

struct plan_obligation {
	char *id;
	char *title;
	int owner;           /* role index, -1 = none */
	int is_cadence;      /* 0: one-shot `within` of `anchor`; 1: `every` while in `during` */
	int64_t within;      /* one-shot: due = anchor time + within */
	int repeat;          /* one-shot: start again on every occurrence of the anchor
	                        (default 0: at most once per incident, on the first) */
	struct plan_anchor anchor;
	int64_t every;       /* cadence: due every `every` while any of `during` holds */
	struct plan_anchor *during; /* cadence: states (WARNING, WARNING_ID, RESPONSE, LEVEL, OPEN) */
	size_t nduring;
	struct plan_anchor *met_by; /* events that complete it without a `done` (e.g. RESPONSE) */
	size_t nmet_by;
	int notice;          /* index into plan.notices when this deadline is a notice's
	                        (met by sending it, not by `done`), else -1 */
	char *cite;
};

struct plan_role {
	char *id;            /* "commander", "duty_manager", ... */
	char *name;
	uint32_t actions;    /* bitmask over enum sitrep_action */
	char *description;
};
struct plan_roster_entry {
	char *user;          /* OS user name */
	int *roles;          /* role indexes */
	size_t nroles;
};

/* Organisation and ledgers: displayed and reported, no rules attached. */
struct plan_group { char *id; char *name; char *lead; char **members; size_t nmembers; char *duties; };
struct plan_resource {
	char *id;            /* "power_vehicle": what `resource ID deploy ITEM` names */
	char *item;          /* the ledger's text: "Emergency power vehicle" */
	int64_t count;       /* how many the ledger holds (deploying more is refused) */
	char *location;
	char *owner;
	char *renewal;
};
struct plan_channel { char *id; char *name; char *audience; int64_t every; char *owner; };
/* Notices (DESIGN.md "Notices and channels"): who must be told what, by
 * when. Each notice falls due as an obligation (plan.obligations[obligation],
 * generated by the loader with the notice's id, timing and owner) that is
 * met only by sending it (`notify`), or recording it given by hand.
 * The template's fields ({level}, {scope} ...) are checked by the loader:
 * an unknown field is a plan error at its line and column. */
struct plan_notice {
	char *id;
	char *title;
	char **to;           /* recipients: role ids, contact groups, or channel ids of
	                        plan.channels (their audience) */
	size_t nto;
	char *template_text; /* the message, with {field} placeholders */
	char *subject;       /* optional subject template, may be NULL */
	int review;          /* role that must approve the wording first, -1 none */
	char *channel;       /* the site channel it goes through by default, may be NULL
	                        (then given by hand unless notify --channel) */
	int obligation;      /* index into plan.obligations */
	char *cite;
};
/* The fields a template may use (docs/plan-format.md); NULL-terminated. */
extern const char *const plan_template_fields[];

/* Preparedness routines outside incidents (training, drills, checks). */
struct plan_routine { char *id; char *title; int64_t every; char *owner; char *records; };

struct plan {
	char *path;          /* where it was loaded from */
	char *id;            /* "hotline-outage" */
	char *title;         /* English title */
	char *original_title;/* source-language title, may be NULL */
	char *source;        /* which source document, may be NULL */
	char *description;
	char *yaml;          /* the whole YAML text as loaded (snapshot source) */
	size_t yaml_len;
	char hash[65];       /* SHA-256 of yaml, lowercase hex */

	struct plan_metric *metrics; size_t nmetrics;
	struct plan_level *levels;   size_t nlevels;   /* least severe first */
	struct plan_warning *warnings; size_t nwarnings; /* least severe first */
	struct plan_trigger *triggers; size_t ntriggers;
	struct plan_matrix matrix;
	struct plan_criterion *criteria; size_t ncriteria;
	int *lift; size_t nlift;               /* criterion indexes, all must hold to lift a warning */
	int *termination; size_t ntermination; /* criterion indexes, all must hold to terminate */
	struct plan_obligation *obligations; size_t nobligations;
	struct plan_role *roles; size_t nroles;
	struct plan_roster_entry *roster; size_t nroster; /* 0 = everyone holds every role */
	struct plan_group *groups; size_t ngroups;
	struct plan_resource *resources; size_t nresources;
	struct plan_channel *channels; size_t nchannels;
	struct plan_routine *routines; size_t nroutines;
	struct plan_notice *notices; size_t nnotices;
	/* audiences: {superiors: 上级主管部门}: what a notice's recipients that
	 * are neither roles nor groups (the site's contact groups) are called
	 * where people read them; parallel arrays */
	char **audience_ids, **audience_names; size_t naudiences;
	char *lang;          /* the language the texts were chosen in ("zh_CN", "en") */
	int version;         /* sitrep_plan: format version (1) */
};

/* Loader limits (docs/plan-format.md). */
#define PLAN_MAX_FILE (1024 * 1024) /* bytes */
#define PLAN_MAX_DEPTH 64           /* nesting of lists and mappings */
#define PLAN_MAX_NODES 100000
#define PLAN_MAX_LEVELS 8
#define PLAN_MAX_WARNINGS 8
#define PLAN_MAX_ROLES 32
#define PLAN_MAX_CONDS 8            /* = ENGINE_MAX_CONDS */

/* Load and validate a plan from a file. Returns a new plan (free with
 * plan_free) or NULL; on NULL every error found is appended to errs
 * (code SITREP_EXIT_PLAN, path:line:col set). A file that is not UTF-8 (a
 * UTF-16 plan, a NUL byte) is refused with a message saying so. Texts are
 * chosen in language `lang` (NULL: i18n_lang()). */
struct plan *plan_load_file(const char *path, const char *lang, struct error_list *errs);
/* Same from memory, byte for byte (len bytes, NULs included); `path` is
 * only used in messages and plan->path. */
struct plan *plan_load_buffer(const char *path, const char *yaml, size_t len,
			      const char *lang, struct error_list *errs);
/* plan_load_buffer, and the parsed form appended to `frozen` (may be NULL):
 * the text, its hash and the YAML tree in binary, for a cache keyed by the
 * hash. plan_load_frozen loads such a blob without parsing the YAML again
 * (libyaml is most of the cost of a command); NULL, errors untouched, when
 * the blob is not one (or not of `hash`, when given): the caller then
 * parses the text. Both make the same plan; the blob is checked as it is
 * read, never trusted. */
struct plan *plan_load_buffer_frozen(const char *path, const char *yaml, size_t len,
				     const char *lang, struct error_list *errs,
				     struct strbuf *frozen);
struct plan *plan_load_frozen(const char *path, const void *blob, size_t len, const char *hash,
			      const char *lang, struct error_list *errs);
void plan_free(struct plan *p);

/* Find a plan by id or file stem in a folder ("hotline-outage" ->
 * DIR/hotline-outage.yaml, else the first *.yaml whose id matches). A name
 * holding '/' or ending in ".yaml" is loaded as a path.
 * Returns a new plan or NULL with errors. */
struct plan *plan_find(const char *dir, const char *name, const char *lang,
			struct error_list *errs);
/* List the *.yaml files of a folder as paths "DIR/NAME.yaml", sorted,
 * leaving out *.example.yaml (the site files' examples shipped beside the
 * plans); returns the count (0 when the folder cannot be read), *out owned
 * by the caller (free each string, then the array). */
size_t plan_list_dir(const char *dir, char ***out);

/* Ids by index: NULL when out of range (-1 included). */
const char *plan_metric_id(const struct plan *p, int i);
const char *plan_level_id(const struct plan *p, int i);
const char *plan_warning_id(const struct plan *p, int i);
const char *plan_trigger_id(const struct plan *p, int i);
const char *plan_role_id(const struct plan *p, int i);
const char *plan_criterion_id(const struct plan *p, int i);
const char *plan_obligation_id(const struct plan *p, int i);
const char *plan_resource_id(const struct plan *p, int i);
const char *plan_notice_id(const struct plan *p, int i);

/* Lookups by id; -1 when absent. */
int plan_metric_index(const struct plan *p, const char *id);
int plan_level_index(const struct plan *p, const char *id);
int plan_warning_index(const struct plan *p, const char *id);
int plan_role_index(const struct plan *p, const char *id);
int plan_criterion_index(const struct plan *p, const char *id);
int plan_obligation_index(const struct plan *p, const char *id);
int plan_resource_index(const struct plan *p, const char *id);
int plan_notice_index(const struct plan *p, const char *id);

/* The index of a matrix dimension's value named `name`: its id, an alias
 * the plan declares, or, when every value of the dimension is a duration
 * ("2h", "6h", "24h"), a duration that falls into a bucket (4h -> 6h; past
 * the last bucket -> the last). -1 when nothing matches. */
int plan_dim_value(const struct plan *p, size_t dim, const char *name);

/* True when cond holds for value. */
int plan_cond_holds(const struct plan_cond *c, double value);
const char *plan_cmp_name(enum plan_cmp op); /* ">", ">=", ... */

/* Readable description of the whole plan (plan show): levels, warnings,
 * triggers, matrix, criteria, obligations, roles; CJK aligned. */
void plan_describe(const struct plan *p, struct strbuf *out);

#endif
