/* A scrollable page of text: the help screen, an entry in full, the review.
 * Lines are escaped and clipped to the screen when drawn. */
#include "tui_int.h"

#include <stdlib.h>
#include <string.h>

struct pager {
	char **lines;
	size_t n;
	int is_help;
	pager_build_fn build;   /* rebuilds the text on (re)load, or NULL */
	int64_t arg;
	pager_request_fn request; /* keys of its own (review), or NULL */
};

static void pager_set_text(struct view *v, const char *text)
{
	struct pager *p = v->priv;
	for (size_t i = 0; i < p->n; i++)
		free(p->lines[i]);
	free(p->lines);
	p->lines = NULL;
	p->n = 0;
	size_t alloc = 0;
	const char *s = text;
	/* Long lines wrap at the screen's width (as it is now), continued
	 * lines indented by two. */
	int width = COLS - 2 > 20 ? COLS - 2 : 20;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char *line = xstrndup(s, len);
		const char *rest = line;
		int first = 1;
		do {
			int w = first ? width : width - 2;
			size_t k = tui_prefix_fit(rest, w);
			p->lines = xgrow(p->lines, sizeof *p->lines, p->n + 1, &alloc);
			struct strbuf sb = STRBUF_INIT;
			sb_init(&sb);
			if (!first)
				sb_adds(&sb, "  ");
			sb_add(&sb, rest, k);
			p->lines[p->n++] = sb_detach(&sb);
			rest += k;
			first = 0;
		} while (*rest);
		free(line);
		s += len;
		if (*s == '\n')
			s++;
	}
	v->lines = (int)p->n;
}

static int pager_load(struct tui *t, struct view *v)
{
	struct pager *p = v->priv;
	if (!p->build)
		return 0;
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	p->build(t, p->arg, &sb);
	pager_set_text(v, sb.buf);
	sb_release(&sb);
	return 0;
}

static void pager_draw(struct tui *t, struct view *v, int top, int rows)
{
	struct pager *p = v->priv;
	tui_scroll_fit(v, rows);
	for (int r = 0; r < rows; r++) {
		size_t i = (size_t)(v->offset + r);
		if (i >= p->n)
			break;
		/* Headings (a line starting with a letter, in the help) stand out. */
		int st = p->is_help && p->lines[i][0] && p->lines[i][0] != ' ' ? ST_HEAD : ST_NORMAL;
		tui_put(t, top + r, 1, COLS - 2, st, p->lines[i], 0);
	}
	if ((int)p->n > rows) {
		char more[64];
		snprintf(more, sizeof more, " %d-%d of %zu ", v->offset + 1,
			 v->offset + rows < (int)p->n ? v->offset + rows : (int)p->n, p->n);
		int w = tui_width(more);
		tui_put(t, top + rows - 1, COLS - w, w, ST_TITLE, more, 0);
	}
}

static enum req_result pager_request(struct tui *t, struct view *v, enum tui_action a)
{
	struct pager *p = v->priv;
	if (a == A_HELP && p->is_help)
		return REQ_HANDLED; /* already here */
	if (p->request)
		return p->request(t, v, a);
	return REQ_UNHANDLED;
}

static void pager_done(struct view *v)
{
	struct pager *p = v->priv;
	for (size_t i = 0; i < p->n; i++)
		free(p->lines[i]);
	free(p->lines);
	free(p);
}

static const struct view_ops pager_ops = {
	.name = "page",
	.scope = SCOPE_PAGER,
	.open = pager_load,
	.draw = pager_draw,
	.request = pager_request,
	.done = pager_done,
};

/* The review screen: a pager with the SCOPE_REVIEW keys too. */
static const struct view_ops pager_keyed_ops = {
	.name = "page",
	.scope = SCOPE_PAGER | SCOPE_REVIEW,
	.open = pager_load,
	.draw = pager_draw,
	.request = pager_request,
	.done = pager_done,
};

static struct view *pager_new(struct tui *t, const char *title, pager_build_fn build,
			      int64_t arg, int is_help, pager_request_fn request)
{
	struct pager *p = xcalloc(1, sizeof *p);
	p->build = build;
	p->arg = arg;
	p->is_help = is_help;
	p->request = request;
	struct view *v = tui_push(t, request ? &pager_keyed_ops : &pager_ops, p, 0);
	v->scroll_only = 1;
	snprintf(v->title, sizeof v->title, "%s", title);
	return v;
}

void pager_open(struct tui *t, const char *title, const char *text)
{
	struct view *v = pager_new(t, title, NULL, 0, 0, NULL);
	pager_set_text(v, text);
}

void pager_open_built(struct tui *t, const char *title, pager_build_fn build, int64_t arg)
{
	pager_new(t, title, build, arg, 0, NULL);
}

void pager_open_keyed(struct tui *t, const char *title, pager_build_fn build, int64_t arg,
		      pager_request_fn request)
{
	pager_new(t, title, build, arg, 0, request);
}

int64_t pager_arg(const struct view *v)
{
	const struct pager *p = v->priv;
	return p ? p->arg : 0;
}

static void help_build(struct tui *t, int64_t arg, struct strbuf *out)
{
	(void)t;
	(void)arg;
	tui_help_text(out);
}

void help_open(struct tui *t)
{
	struct view *v = pager_new(t, "help: every key (q goes back)", help_build, 0, 1, NULL);
	(void)v;
}
