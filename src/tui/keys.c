/* The console's actions and key bindings: two tables, and the help screen
 * generated from them so it can never drift from the keys (DESIGN.md,
 * "Console keys (the contract)"). */
#include "tui_int.h"

#include <string.h>

const char *const tui_action_names[A__COUNT] = {
	[A_NONE] = "none",
#define X(id, name, help) [A_##id] = name,
	TUI_ACTIONS(X)
#undef X
};

const char *const tui_action_help[A__COUNT] = {
	[A_NONE] = "",
#define X(id, name, help) [A_##id] = help,
	TUI_ACTIONS(X)
#undef X
};

#define CTRL(c) ((c) & 0x1f)

const struct tui_binding tui_bindings[] = {
	/* everywhere */
	{ SCOPE_ALL, '?', 0, "?", A_HELP },
	{ SCOPE_ALL, 'q', 0, "q", A_BACK },
	{ SCOPE_ALL, KEY_UP, 1, "Up", A_UP },
	{ SCOPE_ALL, 'k', 0, "k", A_UP },
	{ SCOPE_ALL, KEY_DOWN, 1, "Down", A_DOWN },
	{ SCOPE_ALL, 'j', 0, "j", A_DOWN },
	{ SCOPE_ALL, KEY_PPAGE, 1, "PgUp", A_PGUP },
	{ SCOPE_ALL, KEY_NPAGE, 1, "PgDn", A_PGDN },
	{ SCOPE_ALL, ' ', 0, "Space", A_PGDN },
	{ SCOPE_ALL, KEY_HOME, 1, "Home", A_FIRST },
	{ SCOPE_ALL, 'g', 0, "g", A_FIRST },
	{ SCOPE_ALL, KEY_END, 1, "End", A_LAST },
	{ SCOPE_ALL, 'G', 0, "G", A_LAST },
	{ SCOPE_ALL, CTRL('l'), 0, "Ctrl-L", A_REDRAW },
	/* incident list */
	{ SCOPE_LIST, '\n', 0, "Enter", A_ENTER },
	{ SCOPE_LIST, '\r', 0, NULL, A_ENTER },
	{ SCOPE_LIST, KEY_ENTER, 1, NULL, A_ENTER },
	{ SCOPE_LIST, 'n', 0, "n", A_NEW },
	/* dashboard */
	{ SCOPE_DASH, 'l', 0, "l", A_LOG },
	{ SCOPE_DASH, 'm', 0, "m", A_METRIC },
	{ SCOPE_DASH, 'w', 0, "w", A_WARN },
	{ SCOPE_DASH, 'L', 0, "L", A_LIFT },
	{ SCOPE_DASH, 'e', 0, "e", A_ESCALATE },
	{ SCOPE_DASH, 'd', 0, "d", A_DOWNGRADE },
	{ SCOPE_DASH, 'a', 0, "a", A_ATTEST },
	{ SCOPE_DASH, 'o', 0, "o", A_DONE },
	{ SCOPE_DASH, 'p', 0, "p", A_ACCEPT },
	{ SCOPE_DASH, 'H', 0, "H", A_HANDOVER },
	{ SCOPE_DASH, 't', 0, "t", A_TERMINATE },
	{ SCOPE_DASH, 'v', 0, "v", A_TIMELINE },
	{ SCOPE_DASH, 'r', 0, "r", A_REVIEW },
	/* timeline */
	{ SCOPE_TIMELINE, '\n', 0, "Enter", A_ENTER },
	{ SCOPE_TIMELINE, '\r', 0, NULL, A_ENTER },
	{ SCOPE_TIMELINE, KEY_ENTER, 1, NULL, A_ENTER },
	{ SCOPE_TIMELINE, '/', 0, "/", A_SEARCH },
	{ SCOPE_TIMELINE, 'f', 0, "f", A_FILTER },
	{ SCOPE_TIMELINE, 'x', 0, "x", A_EXPORT },
	/* review screen */
	{ SCOPE_REVIEW, 'N', 0, "N", A_NOTE },
};
const size_t tui_nbindings = sizeof tui_bindings / sizeof tui_bindings[0];

enum tui_action tui_key_action(unsigned scope, int key, int is_code)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < tui_nbindings; i++) {
			const struct tui_binding *b = &tui_bindings[i];
			int want = pass == 0 ? (b->scope & scope) && b->scope != SCOPE_ALL
					     : b->scope == SCOPE_ALL;
			if (want && b->key == key && b->is_code == !!is_code)
				return b->action;
		}
	}
	return A_NONE;
}

static void help_scope(struct strbuf *out, unsigned scope, const char *heading)
{
	sb_addf(out, "%s\n", heading);
	/* One line per action, its keys joined, in table order. */
	int seen[A__COUNT];
	memset(seen, 0, sizeof seen);
	for (size_t i = 0; i < tui_nbindings; i++) {
		const struct tui_binding *b = &tui_bindings[i];
		if (b->scope != scope || !b->label || seen[b->action])
			continue;
		seen[b->action] = 1;
		struct strbuf keys = STRBUF_INIT;
		sb_init(&keys);
		for (size_t k = i; k < tui_nbindings; k++) {
			const struct tui_binding *c = &tui_bindings[k];
			if (c->scope == scope && c->action == b->action && c->label)
				sb_addf(&keys, "%s%s", keys.len ? " " : "", c->label);
		}
		sb_adds(out, "  ");
		tui_fit(out, keys.buf, 16);
		sb_addf(out, "%-10s %s\n", tui_action_names[b->action],
			tui_action_help[b->action]);
		sb_release(&keys);
	}
	sb_addc(out, '\n');
}

void tui_help_text(struct strbuf *out)
{
	help_scope(out, SCOPE_ALL, "Everywhere");
	help_scope(out, SCOPE_LIST, "Incident list");
	help_scope(out, SCOPE_DASH, "Incident dashboard");
	help_scope(out, SCOPE_TIMELINE, "Timeline");
	help_scope(out, SCOPE_REVIEW, "Review screen");
	sb_adds(out, "Forms and pickers\n");
	sb_adds(out, "  Enter           confirm\n");
	sb_adds(out, "  Esc             cancel: nothing is journaled\n");
	sb_adds(out, "  Tab             complete a metric name (metric form)\n");
	sb_adds(out, "  Tab Ctrl-D      flip the drill box (new incident's title)\n");
	sb_adds(out, "  Up Down         move in a picker; typing filters it\n");
	sb_adds(out, "  Left Right      move in a form; Backspace, Ctrl-U clears\n");
}
