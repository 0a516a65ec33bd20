/* The review screen (`r`): the incident's figures and a text step chart of
 * its level over time, rendered by app_review_text. Viewing it writes nothing
 * (app_report would journal an export). */
#include "tui_int.h"

#include <inttypes.h>
#include <stdio.h>

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

void review_open(struct tui *t, int64_t incident)
{
	char title[64];
	snprintf(title, sizeof title, "review of %" PRId64 " (q back)", incident);
	pager_open_built(t, title, review_build, incident);
}
