/* libFuzzer target: any bytes as a CSV of readings (`sitrep metric ID
 * --csv FILE`), imported into an incident of the hotline plan on a journal
 * in memory. Checks: all or nothing (a failed import journals at most its
 * one refusal); the exit codes are the documented ones; the journal
 * verifies after. Run from the top of the tree (plans/). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sitrep/app.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/sitrep-fuzz-csv-XXXXXX";
	struct app_options o = { .db = ":memory:", .plans_dir = "plans", .contacts = NULL,
				 .channels = NULL };
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct app_request rq;
	struct app_outcome out;
	struct strbuf msg = STRBUF_INIT;
	struct app *a;
	int fd, code;

	/* no site files: nothing of this machine's user in the run */
	unsetenv("SITREP_CONTACTS");
	unsetenv("SITREP_CHANNELS");
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	setenv("HOME", "/nonexistent", 1);
	setenv("SITREP_CACHE", "none", 1);
	setenv("SITREP_NOW", "2026-11-20T12:00:00Z", 1);
	a = app_open(&o, &err);
	if (!a)
		abort();
	app_outcome_init(&out);
	memset(&rq, 0, sizeof rq);
	rq.kind = ACT_OPEN;
	rq.plan = "hotline-outage";
	rq.text = "fuzz";
	rq.has_at = 1;
	if (time_parse("2026-11-20T08:00:00Z", 0, &rq.at) || app_act(a, &rq, &out))
		abort();
	fd = mkstemp(path);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || close(fd))
		abort();
	code = app_import_csv(a, out.incident, path, NULL, &out);
	unlink(path);
	if (code != 0 && code != 1 && code != 2)
		abort();
	sb_init(&msg);
	if (app_verify(a, out.incident, NULL, &msg) != 0)
		abort();
	sb_release(&msg);
	app_outcome_release(&out);
	app_close(a);
	err_release(&err);
	return 0;
}
