/* The review screen (`r`): the incident's figures, a text step chart of its
 * level over time and the review notes per section, rendered by
 * app_review_text. Viewing it writes nothing (app_report would journal an
 * export). `N` writes the team's note for one of the six review sections:
 * pick the section, then the text; it is journaled as `sitrep note-review
 * ID SECTION TEXT` would, and the screen re-renders. */
#include "tui_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void review_build(struct tui *t, int64_t id, struct strbuf *out)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	if (app_review_text(t->app, id, COLS - 4, out, &err) != 0) {
		sb_addf(out, "cannot load incident %" PRId64 ": %s\n", id, err.msg ? err.msg : "");
		err_release(&err);
		return;
	}
	sb_adds(out, "\nThe full review: sitrep report ID --format md|html\n");
}

/* The form's callback: tag is the section's index. */
static void note_done(struct tui *t, struct view *owner, int tag, const char *text)
{
	const char *const *ids = NULL;
	size_t n = app_review_sections(&ids, NULL);
	if (tag < 0 || (size_t)tag >= n)
		return;
	struct app_request rq;
	memset(&rq, 0, sizeof rq);
	rq.kind = ACT_NOTE_REVIEW;
	rq.incident = pager_arg(owner);
	rq.target = ids[tag];
	rq.text = text;
	tui_act(t, &rq, NULL); /* asks for a reload: the notes show */
}

static void section_picked(struct tui *t, struct view *owner, int tag, size_t index,
			   const char *id)
{
	const char *const *titles = NULL;
	size_t n = app_review_sections(NULL, &titles);
	(void)tag;
	if (index >= n)
		return;
	char prompt[256];
	snprintf(prompt, sizeof prompt, "review note on %s (%s): text", titles[index], id);
	struct form_spec fs = { .prompt = prompt, .tag = (int)index, .done = note_done };
	form_open(t, owner, &fs);
}

/* N: precondition: the incident loads (the note is refused otherwise). */
static void note_review(struct tui *t, struct view *v)
{
	const char *const *ids = NULL, *const *titles = NULL;
	size_t n = app_review_sections(&ids, &titles);
	char labels[16][160];
	const char *lp[16];
	if (n > 16)
		n = 16;
	for (size_t i = 0; i < n; i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		tui_fit(&sb, ids[i], 12);
		sb_addf(&sb, " %s", titles[i]);
		snprintf(labels[i], sizeof labels[i], "%s", sb.buf);
		sb_release(&sb);
		lp[i] = labels[i];
	}
	picker_open(t, v, "review note: which section?", ids, lp, n, 0, section_picked);
}

static enum req_result review_request(struct tui *t, struct view *v, enum tui_action a)
{
	if (a != A_NOTE)
		return REQ_UNHANDLED;
	note_review(t, v);
	return REQ_HANDLED;
}

void review_open(struct tui *t, int64_t incident)
{
	char title[64];
	snprintf(title, sizeof title, "review of %" PRId64 " (N note, q back)", incident);
	pager_open_keyed(t, title, review_build, incident, review_request);
}
