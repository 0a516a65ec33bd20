/* The console's actions and key tables, and what is generated from them:
 * the help screen and the key bar (neomutt's tables; DESIGN.md "Console
 * keys (the contract)"). The help is translated where it is built. */
#include <stdio.h>
#include <string.h>

#include "tui_int.h"

const struct tui_action_info tui_actions[A__COUNT] = {
	[A_NONE] = { "none", "" },
#define X(id, name, help) [A_##id] = { name, help },
	TUI_ACTIONS(X)
#undef X
};

/* A key-bar word, translated: in the "key bar" context where the same
 * English word means something else elsewhere ("open"). */
static const char *bar_word(const char *w)
{
	const char *t = i18n_pgettext("key bar", w);
	return t != w ? t : _(w);
}

const struct tui_binding tui_bindings[] = {
	/* everywhere */
	{ SCOPE_ALL, '?', A_HELP, NULL },
	{ SCOPE_ALL, 'q', A_BACK, N_("back") },
	{ SCOPE_ALL, TK_UP, A_UP, NULL },
	{ SCOPE_ALL, 'k', A_UP, NULL },
	{ SCOPE_ALL, TK_DOWN, A_DOWN, NULL },
	{ SCOPE_ALL, 'j', A_DOWN, NULL },
	{ SCOPE_ALL, TK_PGUP, A_PGUP, NULL },
	{ SCOPE_ALL, TK_PGDN, A_PGDN, NULL },
	{ SCOPE_ALL, ' ', A_PGDN, NULL },
	{ SCOPE_ALL, TK_HOME, A_FIRST, NULL },
	{ SCOPE_ALL, 'g', A_FIRST, NULL },
	{ SCOPE_ALL, TK_END, A_LAST, NULL },
	{ SCOPE_ALL, 'G', A_LAST, NULL },
	{ SCOPE_ALL, TK_CTRL('l'), A_REDRAW, NULL },
	{ SCOPE_ALL, '/', A_SEARCH, NULL },
	/* while a search is active */
	{ SCOPE_SEARCH, 'n', A_NEXT, N_("next") },
	{ SCOPE_SEARCH, 'N', A_PREV, N_("previous") },
	{ SCOPE_SEARCH, TK_ESC, A_CLEAR, N_("end search") },
	/* the incident list */
	{ SCOPE_LIST, TK_ENTER, A_ENTER, NC_("key bar", "open") },
	{ SCOPE_LIST, 'n', A_NEW, N_("new incident") },
	{ SCOPE_LIST, '/', A_SEARCH, N_("search") },
	/* the dashboard */
	{ SCOPE_DASH, 'l', A_LOG, N_("log") },
	{ SCOPE_DASH, 'm', A_METRIC, N_("metric") },
	{ SCOPE_DASH, 'w', A_WARN, N_("warn") },
	{ SCOPE_DASH, 'L', A_LIFT, NULL },
	{ SCOPE_DASH, 'e', A_ESCALATE, N_("escalate") },
	{ SCOPE_DASH, 'd', A_DOWNGRADE, N_("downgrade") },
	{ SCOPE_DASH, 'p', A_ACCEPT, N_("accept") },
	{ SCOPE_DASH, 'o', A_DONE, N_("done") },
	{ SCOPE_DASH, 's', A_NOTIFY, N_("notice") },
	{ SCOPE_DASH, 'a', A_ATTEST, NULL },
	{ SCOPE_DASH, 'H', A_HANDOVER, NULL },
	{ SCOPE_DASH, 't', A_TERMINATE, N_("terminate") },
	{ SCOPE_DASH, 'v', A_TIMELINE, N_("timeline") },
	{ SCOPE_DASH, 'r', A_REVIEW, N_("review") },
	{ SCOPE_DASH, 'A', A_APPROVE, NULL },
	{ SCOPE_DASH, 'R', A_ASSIGN, NULL },
	{ SCOPE_DASH, 'O', A_OWNER, NULL },
	{ SCOPE_DASH, 'T', A_TASK, NULL },
	{ SCOPE_DASH, 'D', A_DEPLOY, NULL },
	{ SCOPE_DASH, 'W', A_WITHDRAW, NULL },
	{ SCOPE_DASH, 'M', A_ASSESS, NULL },
	/* the timeline */
	{ SCOPE_TIMELINE, TK_ENTER, A_ENTER, N_("entry") },
	{ SCOPE_TIMELINE, '/', A_SEARCH, N_("search") },
	{ SCOPE_TIMELINE, 'f', A_FILTER, N_("filter") },
	{ SCOPE_TIMELINE, 'c', A_CORRECT, N_("correct") },
	{ SCOPE_TIMELINE, 'x', A_EXPORT, N_("export") },
	/* the review screen */
	{ SCOPE_REVIEW, 'N', A_NOTE, N_("write a review note") },
	{ SCOPE_REVIEW, 'F', A_FOLLOWUP, N_("follow-up") },
	{ SCOPE_PAGER, '/', A_SEARCH, N_("search") },
};
const size_t tui_nbindings = sizeof tui_bindings / sizeof tui_bindings[0];

/* Actions the key bar does not show, named in messages ("lift: not now"):
 * their words for the catalogue, in the key bar's context. */
static const char *const unbarred_words[] = {
	NC_("key bar", "lift"), NC_("key bar", "attest"), NC_("key bar", "handover"),
	NC_("key bar", "approve"), NC_("key bar", "assign"), NC_("key bar", "deploy"),
	NC_("key bar", "withdraw"), NC_("key bar", "assess"), NC_("key bar", "note"),
	NC_("key bar", "new"),
};

const char *tui_action_word(int action)
{
	(void)unbarred_words; /* read by xgettext: bar_word finds them by context */
	for (size_t i = 0; i < tui_nbindings; i++)
		if ((int)tui_bindings[i].action == action && tui_bindings[i].bar)
			return bar_word(tui_bindings[i].bar);
	return action >= 0 && action < A__COUNT ? bar_word(tui_actions[action].name) : "";
}

enum tui_action tui_key_action(unsigned scope, int key)
{
	/* pass 0: an active search; 1: the view's own keys; 2: everywhere */
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < tui_nbindings; i++) {
			const struct tui_binding *b = &tui_bindings[i];
			int want = pass == 0 ? b->scope == SCOPE_SEARCH && (scope & SCOPE_SEARCH)
				 : pass == 1 ? b->scope != SCOPE_ALL && b->scope != SCOPE_SEARCH &&
						       (b->scope & scope)
					     : b->scope == SCOPE_ALL;
			if (want && b->key == key)
				return b->action;
		}
	}
	return A_NONE;
}

const char *tk_name(int key, char *buf, size_t size)
{
	static const struct { int key; const char *name; } names[] = {
		{ TK_UP, "Up" }, { TK_DOWN, "Down" }, { TK_LEFT, "Left" }, { TK_RIGHT, "Right" },
		{ TK_PGUP, "PgUp" }, { TK_PGDN, "PgDn" }, { TK_HOME, "Home" }, { TK_END, "End" },
		{ TK_BACKSPACE, "Backspace" }, { TK_DELETE, "Delete" }, { TK_BTAB, "Shift-Tab" },
		{ TK_F2, "F2" }, { TK_ENTER, "Enter" }, { TK_ESC, "Esc" }, { TK_TAB, "Tab" },
		{ ' ', "Space" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].key == key) {
			snprintf(buf, size, "%s", names[i].name);
			return buf;
		}
	if (key > 0 && key < 0x20)
		snprintf(buf, size, "Ctrl-%c", key + 'A' - 1);
	else if (key >= 0x20 && key < 0x7f)
		snprintf(buf, size, "%c", key);
	else
		snprintf(buf, size, "?");
	return buf;
}

/* One section of the help: a line per action, its keys joined, in table
 * order. */
static void help_scope(struct strbuf *out, unsigned scope, const char *heading)
{
	int seen[A__COUNT];
	memset(seen, 0, sizeof seen);
	sb_addf(out, "%s\n", heading);
	for (size_t i = 0; i < tui_nbindings; i++) {
		const struct tui_binding *b = &tui_bindings[i];
		struct strbuf keys = STRBUF_INIT;
		if (b->scope != scope || seen[b->action])
			continue;
		seen[b->action] = 1;
		sb_init(&keys);
		for (size_t k = i; k < tui_nbindings; k++) {
			const struct tui_binding *c = &tui_bindings[k];
			char name[32];
			if (c->scope == scope && c->action == b->action)
				sb_addf(&keys, "%s%s", keys.len ? " " : "",
					tk_name(c->key, name, sizeof name));
		}
		sb_adds(out, "  ");
		tx_fit(out, keys.buf, 14);
		sb_adds(out, " ");
		tx_fit(out, tui_actions[b->action].name, 10);
		sb_addf(out, " %s\n", _(tui_actions[b->action].help));
		sb_release(&keys);
	}
	sb_addc(out, '\n');
}

/* Fixed keys of the forms, pickers and the editor (they read raw keys). */
static const struct {
	const char *keys;
	const char *help;
} form_keys[] = {
	{ "Enter", N_("confirm (in a form of several fields: the next field)") },
	{ "Esc", N_("cancel: nothing is journaled") },
	{ "Up Down", N_("move between a form's fields") },
	{ "Tab", N_("complete a metric name (metric form)") },
	{ "Tab Ctrl-D", N_("flip the drill box (new incident's title)") },
	{ "Left Right", N_("move in the text; Home End, Backspace Delete; Ctrl-U clears") },
	{ "Up Down", N_("move in a picker; also Ctrl-N Ctrl-P, and j k before anything is typed") },
	{ "letters", N_("type into a picker's filter: it matches what is shown and the id") },
	{ "Space", N_("mark several deadlines (done picker); Enter confirms them all") },
	{ "Ctrl-S F2", N_("send the notice (editor)") },
	{ "Ctrl-B", N_("record the notice as given by hand (editor)") },
};

void tui_help_text(struct strbuf *out)
{
	help_scope(out, SCOPE_ALL, _("Everywhere"));
	help_scope(out, SCOPE_SEARCH, _("While a search is active"));
	help_scope(out, SCOPE_LIST, _("Incident list"));
	help_scope(out, SCOPE_DASH, _("Incident dashboard"));
	help_scope(out, SCOPE_TIMELINE, _("Timeline"));
	help_scope(out, SCOPE_REVIEW, _("Review screen"));
	sb_addf(out, "%s\n", _("Forms, pickers and the editor"));
	for (size_t i = 0; i < sizeof form_keys / sizeof form_keys[0]; i++) {
		sb_adds(out, "  ");
		tx_fit(out, form_keys[i].keys, 14);
		sb_addf(out, " %s\n", _(form_keys[i].help));
	}
}

void tui_draw_keybar(struct canvas *c, int y, unsigned scope, const char *extra)
{
	/* "? all keys" is reserved first, so it is never the one that goes */
	const char *all = _("all keys");
	int reserve = 2 + tx_width(all) + 1, x = 0, cols = c->cols;
	int seen[A__COUNT];
	memset(seen, 0, sizeof seen);
	cv_fill(c, y, 0, cols, ST_DIM);
	if (extra && *extra) {
		int w = tx_width(extra);
		if (w > cols - reserve - 1)
			w = cols - reserve - 1;
		x += cv_put(c, y, x, w, ST_DIM, extra) + 2;
	}
	for (int pass = 0; pass < 2; pass++) {
		unsigned want = pass == 0 ? (scope & SCOPE_SEARCH) : (scope & ~(unsigned)SCOPE_SEARCH);
		if (!want)
			continue;
		for (size_t i = 0; i < tui_nbindings; i++) {
			const struct tui_binding *b = &tui_bindings[i];
			char name[32];
			int kw, ww;
			if (!b->bar || !(b->scope & want) || b->scope == SCOPE_ALL || seen[b->action])
				continue;
			if (pass == 1 && (b->scope & SCOPE_SEARCH))
				continue;
			seen[b->action] = 1;
			tk_name(b->key, name, sizeof name);
			kw = tx_width(name);
			ww = tx_width(bar_word(b->bar));
			if (x + kw + 1 + ww + 2 > cols - reserve)
				continue;
			x += cv_put(c, y, x, kw, ST_KEY, name);
			x += cv_put(c, y, x, 1, ST_DIM, " ");
			x += cv_put(c, y, x, ww, ST_DIM, bar_word(b->bar));
			x += 2;
		}
	}
	/* the back key last but one, then every key */
	if (x + reserve <= cols) {
		x += cv_put(c, y, x, 1, ST_KEY, "?");
		x += cv_put(c, y, x, 1, ST_DIM, " ");
		cv_put(c, y, x, cols - x, ST_DIM, all);
	}
}
