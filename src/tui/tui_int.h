/* Private to src/tui: the driver, the views, the action list and the key
 * table. Include it first in every .c file of src/tui that draws. */
#ifndef SITREP_TUI_INT_H
#define SITREP_TUI_INT_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "sitrep/app.h"
#include "sitrep/tui.h"
#include "sitrep/util.h"

/* Every action of the console: enum suffix, name, help text. The help screen
 * is generated from this list and the key table (keys.c). */
#define TUI_ACTIONS(X)                                                          \
	X(HELP,      "help",      "show this help (generated from the key table)") \
	X(BACK,      "back",      "go back; quit at the incident list")          \
	X(UP,        "up",        "move up")                                      \
	X(DOWN,      "down",      "move down")                                    \
	X(PGUP,      "page-up",   "one page up")                                  \
	X(PGDN,      "page-down", "one page down")                                \
	X(FIRST,     "first",     "go to the top")                                \
	X(LAST,      "last",      "go to the bottom")                             \
	X(REDRAW,    "redraw",    "redraw the screen")                            \
	X(ENTER,     "open",      "open the highlighted item")                    \
	X(NEW,       "new",       "new incident: pick a plan (type to filter), then the title (Tab: drill)") \
	X(LOG,       "log",       "log a note")                                   \
	X(METRIC,    "metric",    "enter a reading: name value (Tab completes the name)") \
	X(WARN,      "warn",      "raise a warning: pick the colour, then the reason") \
	X(LIFT,      "lift",      "lift the warning (refused unless the lift criteria hold)") \
	X(ESCALATE,  "escalate",  "escalate one level (asks the reason)")         \
	X(DOWNGRADE, "downgrade", "downgrade one level (asks the reason)")        \
	X(ATTEST,    "attest",    "attest a criterion: pick it, then a note")     \
	X(DONE,      "done",      "mark an obligation done: pick it, then a note") \
	X(ACCEPT,    "accept",    "accept the engine's proposal")                 \
	X(HANDOVER,  "handover",  "hand command over: the user, then the reason") \
	X(TERMINATE, "terminate", "terminate (refused unless every criterion holds)") \
	X(TIMELINE,  "timeline",  "the incident's timeline")                      \
	X(REVIEW,    "review",    "review: figures, the level chart and the notes") \
	X(NOTE,      "note",      "write the team's review note: pick the section, then the text") \
	X(SEARCH,    "search",    "search the entries (empty clears)")            \
	X(FILTER,    "filter",    "show one kind of entry only")                  \
	X(EXPORT,    "export",    "export the timeline: pick a format, then the path")

enum tui_action {
	A_NONE = 0,
#define X(id, name, help) A_##id,
	TUI_ACTIONS(X)
#undef X
	A__COUNT
};
extern const char *const tui_action_names[A__COUNT];
extern const char *const tui_action_help[A__COUNT];

/* Where a key binding applies. */
enum tui_scope {
	SCOPE_ALL = 1,       /* everywhere */
	SCOPE_LIST = 2,      /* incident list */
	SCOPE_DASH = 4,      /* incident dashboard */
	SCOPE_TIMELINE = 8,  /* timeline */
	SCOPE_PAGER = 16,    /* help, entry, review */
	SCOPE_FORM = 32,     /* forms and pickers (their keys are fixed, listed in help) */
	SCOPE_REVIEW = 64    /* the review screen (a pager with its own keys) */
};

struct tui_binding {
	unsigned scope;
	int key;             /* a character, or a KEY_* code when is_code */
	int is_code;
	const char *label;   /* as shown in help: "j", "Down", "PgUp" */
	enum tui_action action;
};
extern const struct tui_binding tui_bindings[];
extern const size_t tui_nbindings;
/* The action bound to key in scope (SCOPE_ALL bindings come second). */
enum tui_action tui_key_action(unsigned scope, int key, int is_code);
/* Help text from the tables: tui_help_text (sitrep/tui.h). */

/* Styles; the driver maps them to colours or, without colour, to attributes. */
enum tui_style {
	ST_NORMAL, ST_TITLE, ST_HEAD, ST_SEL, ST_DIM, ST_BOLD, ST_OK, ST_ERR,
	ST_SOON, ST_OVERDUE, ST_MET, ST_UNMET, ST_DRILL, ST_FORM,
	ST__COUNT
};

struct tui;
struct view;

enum req_result { REQ_UNHANDLED = 0, REQ_HANDLED = 1 };

/* A screen. The driver owns the stack of views; each view file defines one
 * view_ops. What a view's request() does not handle goes back to the generic
 * driver (movement, back, help). */
struct view_ops {
	const char *name;    /* shown in the title bar */
	unsigned scope;      /* key bindings that apply */
	/* (Re)load data from app; keeps the view's place. 0, or -1 with the
	 * status line set. NULL: nothing to load. */
	int (*open)(struct tui *t, struct view *v);
	/* Draw into rows [top, top+rows) of the screen, all columns. */
	void (*draw)(struct tui *t, struct view *v, int top, int rows);
	/* Handle an action, or return REQ_UNHANDLED for the driver. */
	enum req_result (*request)(struct tui *t, struct view *v, enum tui_action a);
	/* Free priv. */
	void (*done)(struct view *v);
	/* Optional: raw keys before the key table (forms). 1 = consumed. */
	int (*key)(struct tui *t, struct view *v, wint_t ch, int is_code);
	/* Optional: once a second (live countdowns). */
	void (*tick)(struct tui *t, struct view *v);
};

struct view {
	const struct view_ops *ops;
	struct view *below;  /* the view under this one, NULL at the bottom */
	int overlay;         /* drawn over the view below (forms, pickers) */
	int lines;           /* selectable lines (or content lines when scroll_only) */
	int cursor;          /* highlighted line */
	int offset;          /* first line shown */
	int height;          /* rows shown at the last draw (page moves) */
	int scroll_only;     /* no highlight: movement scrolls (dashboard, pager) */
	void *priv;          /* the view's own data, freed by ops->done */
	char title[256];     /* title bar text; "" = ops->name */
};

struct tui {
	struct app *app;
	struct view *top;    /* the stack of views */
	int quit;
	int reload;          /* reload every view before the next draw */
	int mono;            /* no colour: NO_COLOR or a monochrome terminal */
	int64_t now;         /* app_now at the start of this loop turn */
	attr_t style[ST__COUNT];
	char status[1024];   /* status line text (plain; escaped when drawn) */
	int status_style;
	int cursor_y, cursor_x; /* where a form wants the terminal cursor, -1 none */
};

/* Driver (tui.c). */
struct view *tui_push(struct tui *t, const struct view_ops *ops, void *priv, int overlay);
void tui_pop(struct tui *t);
void tui_status(struct tui *t, int style, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Report an action's outcome in the status line; asks for a reload. */
void tui_outcome(struct tui *t, const struct app_outcome *o);
/* Carry out one request through app, show its outcome in the status line
 * (and ask for a reload); returns the exit code, *incident (if non-NULL) the
 * incident it named (the new one for an open). */
int tui_act(struct tui *t, const struct app_request *rq, int64_t *incident);
/* Keep v->cursor inside [0, lines) and visible in `rows` rows. */
void tui_scroll_fit(struct view *v, int rows);

/* Drawing helpers (draw.c). Every string is escaped and measured with its
 * real width; nothing is written past the last column. */
/* Write s at (y, x) clipped to cols (padded when pad); returns columns used. */
int tui_put(struct tui *t, int y, int x, int cols, int style, const char *s, int pad);
int tui_put_attr(int y, int x, int cols, attr_t attr, const char *s, int pad);
int tui_putf(struct tui *t, int y, int x, int cols, int style, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Fill a row with blanks in a style. */
void tui_fill(struct tui *t, int y, int x, int cols, int style);
/* Attribute for a coloured badge ("red", "yellow", "blue" ...). */
attr_t tui_badge_attr(struct tui *t, const char *colour);
/* Set up colour pairs and styles (mono when NO_COLOR or no colours). */
void tui_styles_init(struct tui *t);

/* Badge text and colour of an incident state. */
struct tui_badge {
	char text[80];       /* "LEVEL II", "YELLOW WARNING", "MONITORING", "CLOSED" */
	const char *colour;  /* colour name or NULL */
};
void tui_badge_level(const struct plan *p, const struct engine_state *st, struct tui_badge *b);
void tui_badge_warning(const struct plan *p, const struct engine_state *st, struct tui_badge *b);

/* Forms and pickers (form.c), drawn over their owner. On Enter the form is
 * popped, then done() is called with the owner and the text (borrowed for the
 * call); Esc pops it and calls nothing: nothing is journaled. */
typedef void (*form_done_fn)(struct tui *t, struct view *owner, int tag, const char *text);
/* A form with a check box (toggle): done_toggle gets its state too. */
typedef void (*form_toggle_fn)(struct tui *t, struct view *owner, int tag, const char *text,
			       int on);
struct form_spec {
	const char *prompt;
	const char *initial;     /* prefilled text or NULL */
	int allow_empty;         /* Enter on an empty line accepted */
	const char *const *completions; /* Tab completes the first word; copied */
	size_t ncompletions;
	int tag;
	form_done_fn done;
	/* Optional check box: its label ("drill"); Tab or Ctrl-D flips it (no
	 * completions then); shown in the hint line as "[ ] drill (Tab)". On
	 * Enter done_toggle is called instead of done. */
	const char *toggle;
	int toggle_on;           /* its state when the form opens */
	form_toggle_fn done_toggle;
};
void form_open(struct tui *t, struct view *owner, const struct form_spec *spec);

/* Picker: choose one of n items (labels shown; typing filters). done() gets
 * the index of the chosen item and its id. */
typedef void (*picker_done_fn)(struct tui *t, struct view *owner, int tag, size_t index,
			       const char *id);
void picker_open(struct tui *t, struct view *owner, const char *title,
		 const char *const *ids, const char *const *labels, size_t n, int tag,
		 picker_done_fn done);

/* Views. */
void list_open(struct tui *t);
void dash_open(struct tui *t, int64_t incident);
void timeline_open(struct tui *t, int64_t incident);
void review_open(struct tui *t, int64_t incident);
/* A scrollable page of text (help, an entry in full). title and text copied. */
void pager_open(struct tui *t, const char *title, const char *text);
/* A pager whose text is built by build(t, arg, out) at each (re)load. */
typedef void (*pager_build_fn)(struct tui *t, int64_t arg, struct strbuf *out);
void pager_open_built(struct tui *t, const char *title, pager_build_fn build, int64_t arg);
/* The same with keys of its own (scope SCOPE_PAGER | SCOPE_REVIEW): request
 * gets first go at each action. The review screen. */
typedef enum req_result (*pager_request_fn)(struct tui *t, struct view *v, enum tui_action a);
void pager_open_keyed(struct tui *t, const char *title, pager_build_fn build, int64_t arg,
		      pager_request_fn request);
/* The arg a built pager was opened with (its incident). */
int64_t pager_arg(const struct view *v);
void help_open(struct tui *t);

#endif
