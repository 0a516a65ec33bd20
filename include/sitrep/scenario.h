/* scenario: scripted plan scenarios (sitrep simulate) and the demo database
 * (sitrep demo). Drives `app` exactly like a user would. */
#ifndef SITREP_SCENARIO_H
#define SITREP_SCENARIO_H

#include <stdio.h>

#include "sitrep/app.h"
#include "sitrep/util.h"

/* Run SCENARIO (a file) for PLAN (a plan name in the app's plans folder)
 * against the app (normally opened on ":memory:"). Prints each transition to
 * out. Returns 0 when every expectation held, 1 on the first unmet one (out
 * names its file:line), 2 usage / 3 plan / 4 storage on other failures with
 * err filled. */
int scenario_run(struct app *a, const char *plan, const char *path, FILE *out,
		 struct sitrep_error *err);

/* Fill the app's database (which must hold no incident: the demo has a
 * database of its own) with a realistic finished incident and one live
 * incident in a warning, from plans/scenarios/demo-*.scn. An exit code. */
int scenario_demo(struct app *a, FILE *out, struct sitrep_error *err);

#endif
