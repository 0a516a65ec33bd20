/* Private to src/tui: the generic driver (a stack of views, tig's
 * view_ops), the console's actions and key tables (neomutt's three
 * tables), and the widgets (forms, pickers, the editor, pagers). No curses
 * here: views draw on a canvas (screen.h); only term.c talks to the
 * terminal. */
#ifndef SITREP_TUI_INT_H
#define SITREP_TUI_INT_H

#include <stddef.h>
#include <stdint.h>

#include "screen.h"
#include "sitrep/app.h"
#include "sitrep/i18n.h"
#include "sitrep/names.h"
#include "sitrep/text.h"
#include "sitrep/tui.h"
#include "sitrep/util.h"
#include "sitrep/view.h"

/* ---- table 1: the console's actions: id, name (shown in help), help
 * (an English msgid, translated where shown) ---- */
#define TUI_ACTIONS(X)                                                                        \
	X(HELP,      "help",       N_("show every key (this screen)"))                         \
	X(BACK,      "back",       N_("go back; quit at the incident list"))                   \
	X(UP,        "up",         N_("move up"))                                              \
	X(DOWN,      "down",       N_("move down"))                                            \
	X(PGUP,      "page-up",    N_("one page up"))                                          \
	X(PGDN,      "page-down",  N_("one page down"))                                        \
	X(FIRST,     "first",      N_("go to the top"))                                        \
	X(LAST,      "last",       N_("go to the bottom (the timeline: its newest entry)"))    \
	X(REDRAW,    "redraw",     N_("redraw the screen"))                                    \
	X(SEARCH,    "search",     N_("search: type the text (the form opens empty)"))         \
	X(NEXT,      "next",       N_("next match (while a search is active)"))                \
	X(PREV,      "previous",   N_("previous match (while a search is active)"))            \
	X(CLEAR,     "clear",      N_("end the search"))                                       \
	X(ENTER,     "open",       N_("open the highlighted item"))                            \
	X(NEW,       "new",        N_("new incident: pick a plan (type to filter), then the title (Tab: drill)")) \
	X(LOG,       "log",        N_("log a note"))                                           \
	X(METRIC,    "metric",     N_("enter a reading: name value (Tab completes the name)")) \
	X(WARN,      "warn",       N_("raise a warning: the colour, then reason, scope, expected duration, measures")) \
	X(LIFT,      "lift",       N_("lift the warning (says first what is unmet)"))          \
	X(ESCALATE,  "escalate",   N_("escalate one level from the level shown"))              \
	X(DOWNGRADE, "downgrade",  N_("downgrade one level from the level shown"))             \
	X(ATTEST,    "attest",     N_("attest a criterion: pick it, then a note"))             \
	X(DONE,      "done",       N_("mark deadlines done: Space marks several, Enter confirms")) \
	X(ACCEPT,    "accept",     N_("accept a proposal: the most severe first, Enter takes the highlighted one")) \
	X(HANDOVER,  "handover",   N_("hand command over: the person, then the reason"))       \
	X(TERMINATE, "terminate",  N_("terminate (says first what is unmet, and asks nothing)")) \
	X(TIMELINE,  "timeline",   N_("the incident's timeline"))                              \
	X(REVIEW,    "review",     N_("review: figures, the level chart, notes and follow-ups")) \
	X(NOTIFY,    "notify",     N_("send a notice: pick it, edit the draft, Ctrl-S sends")) \
	X(APPROVE,   "approve",    N_("approve a notice's wording (its reviewer)"))            \
	X(ASSIGN,    "assign",     N_("put a person in a role: the role, then the person"))    \
	X(OWNER,     "owner",      N_("name who carries a deadline: the deadline, then the person")) \
	X(TASK,      "task",       N_("add a task: title, owner, due"))                        \
	X(DEPLOY,    "deploy",     N_("deploy resources: the item, then how many"))            \
	X(WITHDRAW,  "withdraw",   N_("withdraw resources: the item, then how many"))          \
	X(ASSESS,    "assess",     N_("assess the level with the decision matrix: one pick per dimension")) \
	X(FILTER,    "filter",     N_("show one kind of entry only"))                          \
	X(EXPORT,    "export",     N_("export what is shown: the format, then the file (never overwritten unasked)")) \
	X(CORRECT,   "correct",    N_("correct the reading under the cursor: new values or void, then the reason")) \
	X(NOTE,      "note",       N_("write the team's review note: pick the section, then the text")) \
	X(FOLLOWUP,  "follow-up",  N_("add a follow-up: text, owner, due (7 days unless said)"))

enum tui_action {
	A_NONE = 0,
#define X(id, name, help) A_##id,
	TUI_ACTIONS(X)
#undef X
	A__COUNT
};
struct tui_action_info {
	const char *name;
	const char *help;      /* English msgid */
};
extern const struct tui_action_info tui_actions[A__COUNT];

/* Where a binding applies: the view's scope bits. SCOPE_SEARCH applies
 * while the view has an active search, before the view's own keys. */
enum tui_scope {
	SCOPE_ALL = 1,
	SCOPE_LIST = 2,        /* the incident list */
	SCOPE_DASH = 4,        /* the dashboard */
	SCOPE_TIMELINE = 8,
	SCOPE_PAGER = 16,      /* help, an entry in full */
	SCOPE_REVIEW = 32,
	SCOPE_SEARCH = 64
};

/* ---- table 2: keys -> actions, per scope ---- */
struct tui_binding {
	unsigned scope;
	int key;               /* a character or TK_* */
	enum tui_action action;
	const char *bar;       /* its word in the key bar (N_()), NULL: not there */
};
extern const struct tui_binding tui_bindings[];
extern const size_t tui_nbindings;
/* An action's word as the key bar shows it, translated ("终止"). */
const char *tui_action_word(int action);
/* The action of `key` in a view of scope `scope`: SCOPE_SEARCH first (when
 * set), then the view's own, then SCOPE_ALL. */
enum tui_action tui_key_action(unsigned scope, int key);

struct tui;
struct view;

/* ---- table 3: actions -> handlers, per view, with the engine's `may`
 * each needs (view_incident.may[]): the driver asks it before calling, and
 * shows the refusal instead of opening a form ---- */
typedef void (*tui_handler_fn)(struct tui *t, struct view *v);
struct tui_handler {
	enum tui_action action;
	int may;               /* enum sitrep_action the user must be allowed, -1 none */
	tui_handler_fn fn;
};

/* A screen. The driver owns the stack, movement, scrolling, clipping and
 * search; a view renders rows and handles its own actions. */
struct view_ops {
	const char *name;
	unsigned scope;
	/* (Re)load from app, keeping the place. 0, or -1 with the status set. */
	int (*open)(struct tui *t, struct view *v);
	/* A view that draws itself (dashboard, pagers, overlays). */
	void (*draw)(struct tui *t, struct view *v, struct canvas *c, int top, int rows);
	/* A list view: heading rows (returns how many), then one call per
	 * visible line; the driver scrolls, highlights and clips. */
	int (*draw_head)(struct tui *t, struct view *v, struct canvas *c, int top);
	void (*draw_row)(struct tui *t, struct view *v, struct canvas *c, int y, int line, int sel);
	void (*draw_empty)(struct tui *t, struct view *v, struct canvas *c, int top, int rows);
	/* What a search matches in a line (the driver's own search). */
	void (*row_text)(struct view *v, int line, struct strbuf *out);
	/* A view that searches itself (the timeline asks app): query NULL ends
	 * the search. */
	void (*search)(struct tui *t, struct view *v, const char *query);
	/* After the driver moved the cursor (the timeline pages rows in). */
	void (*moved)(struct tui *t, struct view *v);
	/* The engine's answer for action `act`, NULL when not loaded. */
	const struct view_may *(*may)(struct view *v, int act);
	const struct tui_handler *handlers; /* ended by an A_NONE row */
	void (*done)(struct view *v);
	/* Overlays: raw keys first; 1 = consumed. */
	int (*key)(struct tui *t, struct view *v, int key);
	/* Once a second (countdowns); reload nothing here unless needed. */
	void (*tick)(struct tui *t, struct view *v);
	/* Background work (a search resuming where its page budget ended):
	 * returns 1 while there is more. */
	int (*work)(struct tui *t, struct view *v);
	/* Extra keys for the key bar (overlays: their hint), may be NULL. */
	const char *(*hint)(struct view *v);
};

struct view {
	const struct view_ops *ops;
	struct view *below;    /* the view under this one */
	int overlay;           /* drawn over the view below (forms, pickers) */
	int lines;             /* selectable lines (content lines when scroll_only) */
	int cursor, offset;
	int height;            /* rows for lines at the last draw */
	int scroll_only;       /* no highlight: movement scrolls */
	int stale;             /* another writer committed since the last load */
	char *search;          /* the active search, NULL none (driver-owned) */
	void *priv;            /* freed by ops->done */
	char title[256];       /* title bar text; "" = ops->name */
	char where[48];        /* the place in a long list ("1-22/84"), shown in the title bar */
};

struct tui {
	struct app *app;
	struct view *top;
	struct canvas cv;
	int quit;
	int64_t now;           /* app_now at the start of this turn */
	char status[1024];     /* plain text (escaped when drawn), "" = the key bar */
	int status_style;
	int bell;              /* ring at the next draw */
	int bells;             /* rung so far (tests) */
	int bell_off;          /* SITREP_BELL=0 */
	int64_t wake;          /* reload the visible views at this time, 0 none */
	int64_t last_change;   /* when app_changed last said yes */
	unsigned acts;         /* tui_act calls so far, and the last one's code: a */
	int last_code;         /* form refused after it closed opens again (form.c) */
};
/* After a form's or the editor's answer went through done: was it exactly
 * one action, refused or not taken for its input (exit 1 or 2), with
 * nothing opened over the owner? Then the form opens again with what was
 * typed, the refusal said in it: nothing typed is lost. */
int tui_act_refused_since(const struct tui *t, unsigned acts_before, const struct view *owner);
/* The status line's text into a form's or the editor's own message line,
 * cut at a character when it is longer. */
void tui_said_from_status(const struct tui *t, char *said, size_t size);

/* ---- the driver (tui.c) ---- */
struct tui *tui_new(struct app *a, int cols, int rows);
void tui_free(struct tui *t);
struct view *tui_push(struct tui *t, const struct view_ops *ops, void *priv, int overlay);
void tui_pop(struct tui *t);
void tui_status(struct tui *t, int style, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* One intent through app_act; the outcome in the status line; every view
 * stale. Returns the code; out (may be NULL) gets the outcome. */
int tui_act(struct tui *t, const struct app_request *rq, int64_t *incident);
/* Every view reloads when next shown (after an action or a commit). */
void tui_changed(struct tui *t);
/* Ask for a reload of the visible views at `when` (time-driven changes:
 * a deadline falling due, a window completing). */
void tui_wake_at(struct tui *t, int64_t when);
void tui_scroll_fit(struct view *v, int rows);
/* One key, as the loop hands it over. */
void tui_key(struct tui *t, int key);
/* A second passed: ticks, and the reloads due. */
void tui_tick(struct tui *t);
/* Reload the visible views that are stale. */
void tui_refresh(struct tui *t);
/* Draw everything on t->cv. */
void tui_render(struct tui *t);
/* Background work of the visible views; 1 while more is pending. */
int tui_work(struct tui *t);
/* The view below the overlays. */
struct view *tui_base(struct tui *t);

/* ---- keys and help (keys.c) ---- */
/* The key bar of a scope in `cols` columns: the bar words that fit, and
 * "? all keys" always last. */
void tui_draw_keybar(struct canvas *c, int y, unsigned scope, const char *extra);

/* ---- badges and words (words.c) ---- */
struct tui_badge {
	char text[96];
	int style;
};
/* The incident's main badge: LEVEL II, YELLOW WARNING, MONITORING, CLOSED. */
void tui_badge_main(enum sitrep_phase ph, const char *level, const char *level_colour,
		    const char *warning, const char *peak, struct tui_badge *b);
/* A warning's badge: "! YELLOW WARNING !" (style of its colour). */
void tui_badge_warning(const char *warning, struct tui_badge *b);
/* A level's badge: "LEVEL II" (style of its colour). */
void tui_badge_level(const char *level, const char *colour, struct tui_badge *b);
/* A duration as a countdown style (one style everywhere). */
const char *tui_phase_text(enum sitrep_phase ph);
/* "hh:mm:ss" of a local time, or "MM-DD hh:mm" when not today. */
char *tui_when(int64_t t, int64_t now, char *buf, size_t size);
/* Readings typed in a form: "name value" or "name=value" pairs, apart by
 * spaces, tabs or commas. Splits text in place (names point into it).
 * Returns how many pairs (0 none); TUI_READINGS_UNPAIRED when a name has
 * no value, TUI_READINGS_MANY past max pairs, TUI_READINGS_NAN with *bad
 * the value that is not a number. */
enum { TUI_READINGS_UNPAIRED = -1, TUI_READINGS_MANY = -2, TUI_READINGS_NAN = -3 };
#define TUI_READINGS_MAX 32
int tui_readings(char *text, const char **names, double *values, size_t max, const char **bad);
/* tui_readings for a form: at most TUI_READINGS_MAX pairs; the count, or -1
 * with what is wrong in msg (translated). A correction may give none (it
 * voids the reading), a reading may not; each form says it its way. */
int tui_readings_said(char *text, const char **names, double *values, int correction, char *msg,
		      size_t size);
/* A form's readings checked, the text left as it is: 0, or -1 with what is
 * wrong in msg (a form's check hook). */
int tui_readings_problem(const char *text, int correction, char *msg, size_t size);
/* A form's due: empty (nothing set), a duration (*due_in) or a time
 * (*due, against now). 0, or -1 with what is wrong in msg (translated). */
int tui_due_said(const char *text, int64_t now, int64_t *due_in, int64_t *due, char *msg,
		 size_t size);

/* ---- widgets ---- */

/* Forms: one or more one-line fields drawn at the bottom of the screen.
 * Enter on the last field confirms (on another, goes to the next); Up,
 * Down (and Tab without completions) move between fields; Esc cancels and
 * calls nothing, so nothing is journaled. values[i] are the fields' texts,
 * trimmed (borrowed for the call). */
typedef void (*form_done_fn)(struct tui *t, struct view *owner, int tag,
			     const char *const *values, int toggle);
/* The answers checked before the form closes: 0 takes them; otherwise msg
 * says what is wrong and the form stays open with what was typed, its
 * cursor in field N-1 when the check returns N > 0. */
typedef int (*form_check_fn)(struct tui *t, struct view *owner, int tag,
			     const char *const *values, char *msg, size_t size);
struct form_field {
	const char *label;     /* "" for a single field (the title says it) */
	const char *initial;   /* prefilled, or NULL */
	int optional;          /* may be left empty */
	const char *const *completions; /* Tab completes the first word (copied) */
	size_t ncompletions;
};
#define FORM_FIELDS_MAX 6
struct form_spec {
	const char *title;
	const struct form_field *fields;
	size_t nfields;
	const char *toggle;    /* a check box ("drill"): Tab or Ctrl-D flips it */
	int toggle_on;
	int tag;
	form_done_fn done;
	form_check_fn check;   /* may be NULL */
};
void form_open(struct tui *t, struct view *owner, const struct form_spec *spec);
/* Code points to UTF-8; UTF-8 to code points (what is not UTF-8, and
 * controls other than '\n', are dropped); a key that types a character. */
void form_encode(const uint32_t *cps, size_t n, struct strbuf *out);
size_t form_decode(const char *s, uint32_t *out, size_t max);
int form_typable(int key);
int form_cp_width(uint32_t cp);
/* A form of one field. */
void form_ask(struct tui *t, struct view *owner, int tag, const char *prompt,
	      const char *initial, int optional, form_done_fn done);

/* Pickers: choose from a list drawn over the owner. Typing filters (on the
 * label and the id, Chinese included); Up/Down, Ctrl-N/Ctrl-P, PgUp/PgDn
 * move, and j/k until something is typed; Enter takes the highlighted
 * item. A multi picker marks several with Space (Enter then takes the
 * marked ones, or the highlighted one when none is). A free-text picker
 * offers what was typed as a choice of its own (a person's name). */
struct picker_item {
	const char *id;
	const char *label;     /* shown and matched */
	const char *right;     /* shown right-aligned, may be NULL */
	int style;             /* of the right part, ST_NORMAL when 0 */
	int64_t due;           /* a live countdown on the right instead, 0 none */
};
typedef void (*picker_done_fn)(struct tui *t, struct view *owner, int tag,
			       const char *const *ids, size_t n, int typed);
struct picker_spec {
	const char *title;
	const struct picker_item *items; /* copied, shown in this order */
	size_t n;
	int multi;
	const char *free_text; /* the typed row's words ("the name typed"), NULL none */
	const char *empty;     /* shown when there are no items */
	int tag;
	picker_done_fn done;
};
void picker_open(struct tui *t, struct view *owner, const struct picker_spec *spec);

/* The multi-line editor (a notice's draft): Enter breaks the line; Ctrl-S
 * (or F2) sends, Ctrl-B records it as given by hand (when allowed), Esc
 * cancels. `refuse`: sending is refused with this message (approval
 * missing); the editor stays open. */
enum { EDIT_SEND = 1, EDIT_BY_HAND };
typedef void (*editor_done_fn)(struct tui *t, struct view *owner, int tag, int how,
			       const char *text);
struct editor_spec {
	const char *title;
	const char *const *info; /* lines above the text (recipients, channel, approval) */
	size_t ninfo;
	const char *text;      /* prefilled */
	const char *refuse;    /* NULL: may send */
	int by_hand;           /* Ctrl-B allowed */
	int approve;           /* Ctrl-S approves this wording (the key bar says so) */
	int tag;
	editor_done_fn done;
};
void editor_open(struct tui *t, struct view *owner, const struct editor_spec *spec);

/* Pagers: a page of text, wrapped at word boundaries to the screen's width
 * (continuation lines indented to `indent`), searchable. */
struct pager {
	char *text;            /* the source text (owned) */
	char **lines;          /* wrapped, owned */
	size_t n;
	int width;             /* wrapped for */
	int help;              /* headings stand out */
	int indent;            /* continuation indent, -1: under the text after the key columns */
};
void pager_set(struct pager *p, const char *text);
void pager_wrap(struct pager *p, int width);
void pager_release(struct pager *p);
void pager_draw_lines(struct tui *t, struct view *v, struct pager *p, struct canvas *c,
		      int top, int rows);
void pager_open(struct tui *t, const char *title, const char *text);
void help_open(struct tui *t);

/* ---- views ---- */
void list_open(struct tui *t);
void dash_open(struct tui *t, int64_t incident);
void timeline_open(struct tui *t, int64_t incident);
void review_open(struct tui *t, int64_t incident);

/* The dashboard's actions (dash_act.c) */
extern const struct tui_handler dash_handlers[];
struct dash;
const struct view_incident *dash_view(const struct view *v);

#endif
