/* Private to the dashboard's two files: dash.c (loading and drawing) and
 * dash_act.c (its actions). */
#ifndef SITREP_TUI_DASH_H
#define SITREP_TUI_DASH_H

#include "tui_int.h"

/* What a chain of pickers and forms has gathered so far. The strings are
 * copies: the view under them reloads while they are open. */
struct dash_flow {
	char target[256];       /* a warning, criterion, notice, role, item, level */
	char person[256];
	int has_seen;           /* escalate/downgrade: the level on screen */
	char seen_level[64];
	char **ids;             /* marked deadlines (done), owned */
	size_t nids;
	char dims[4][64];       /* assess: one value per dimension so far */
	char vals[4][128];
	size_t ndims;
	char *text;             /* the notice's edited text (owned) */
	char *draft;            /* the notice's drafted text, to tell an edit (owned) */
	int withdraw;
};

struct dash {
	int64_t id;
	int loaded;
	struct view_incident v;
	struct strbuf alarms;   /* late deadlines and due notices seen: "id#seq\n..." */
	int alarms_known;       /* alarms holds a first reading */
	struct dash_flow flow;
	struct view_may said;   /* a refusal put in words (the unmet criteria's titles) */
	char why[1024];
};

void dash_flow_clear(struct dash_flow *f);

#endif
