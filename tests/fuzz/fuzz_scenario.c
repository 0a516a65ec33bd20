/* libFuzzer target: any bytes as a scenario (`sitrep simulate`), run under
 * the hotline plan on a journal in memory, at most 300 steps
 * ($SITREP_SCENARIO_MAX_STEPS). Checks: the exit codes are the documented
 * ones; the journal verifies after. Run from the top of the tree. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sitrep/app.h"
#include "sitrep/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/sitrep-fuzz-scn-XXXXXX";
	struct app_options o = { .db = ":memory:", .plans_dir = "plans", .contacts = NULL,
				 .channels = NULL };
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct strbuf msg = STRBUF_INIT;
	struct app *a;
	FILE *devnull;
	int fd, code;

	unsetenv("SITREP_CONTACTS");
	unsetenv("SITREP_CHANNELS");
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	setenv("HOME", "/nonexistent", 1);
	setenv("SITREP_CACHE", "none", 1);
	setenv("SITREP_SCENARIO_MAX_STEPS", "300", 1);
	a = app_open(&o, &err);
	if (!a)
		abort();
	fd = mkstemp(path);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size || close(fd))
		abort();
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	code = scenario_run(a, "hotline-outage", path, devnull, &err);
	fclose(devnull);
	unlink(path);
	if (code < 0 || code > 6)
		abort();
	sb_init(&msg);
	if (app_verify(a, 0, NULL, &msg) != 0)
		abort();
	sb_release(&msg);
	app_close(a);
	err_release(&err);
	return 0;
}
