/* libFuzzer target: any bytes as an entry's JSON payload, the JSON sitrep
 * reads back: the journal's check of the payload's readings against the
 * typed ones (the scanner, then the database's parser), the chain's
 * verification, and the app's decoding of an entry for replay (jansson)
 * under the hotline plan, for each kind of entry. Checks: what the
 * journal accepts verifies; nothing crashes, leaks or reads past the end. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/app_int.h"
#include "sitrep/journal.h"
#include "sitrep/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct plan *hotline;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = { "metric", "correct", "warn", "escalate", "accept",
					     "notify", "task", "resource", "assess", "log" };
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct journal *j;
	struct journal_incident in;
	struct journal_entry e;
	struct journal_reading rd = { "cpu_pct", 91 };
	char *payload;
	int64_t bad;
	struct strbuf msg = STRBUF_INIT;

	if (!hotline) {
		struct error_list el;
		errlist_init(&el);
		hotline = plan_load_file("plans/hotline-outage.yaml", "en", &el);
		errlist_release(&el);
		if (!hotline)
			abort(); /* run from the top of the tree */
	}
	if (size < 1)
		return 0;
	payload = malloc(size);
	if (!payload)
		return 0;
	memcpy(payload, data + 1, size - 1);
	payload[size - 1] = '\0';

	/* the app's decoder, whatever the journal would say */
	memset(&e, 0, sizeof e);
	e.id = 2;
	e.incident = 1;
	e.recorded_at = e.occurred_at = 1795000000;
	e.actor = "fuzz";
	e.role = "";
	e.kind = kinds[data[0] % (sizeof kinds / sizeof kinds[0])];
	e.payload = payload;
	e.payload_len = strlen(payload);
	e.readings = data[0] & 0x80 ? &rd : NULL;
	e.nreadings = data[0] & 0x80 ? 1 : 0;
	{
		struct decoded d;
		entry_decode(hotline, &e, NULL, &d);
		decoded_release(&d);
	}

	/* the journal's checks, and verify of what it took */
	j = journal_open(":memory:", JOURNAL_CREATE, &err);
	if (!j)
		abort();
	memset(&in, 0, sizeof in);
	in.title = "fuzz";
	in.plan_id = "hotline-outage";
	in.plan_text = hotline->yaml;
	in.plan_len = hotline->yaml_len;
	in.created_at = 1795000000;
	if (journal_begin(j, &err) || journal_incident_create(j, &in, &err) ||
	    journal_commit(j, &err))
		abort();
	e.incident = in.id;
	e.id = 0;
	if (journal_begin(j, &err) == JOURNAL_OK) {
		if (journal_append(j, &e, &err) == JOURNAL_OK) {
			if (journal_commit(j, &err) != JOURNAL_OK)
				abort();
			sb_init(&msg);
			if (journal_verify(j, in.id, NULL, NULL, &bad, &msg, &err) != JOURNAL_OK)
				abort(); /* taken, then refused by verify */
			sb_release(&msg);
		} else {
			journal_rollback(j);
		}
	}
	journal_close(j);
	err_release(&err);
	free(payload);
	return 0;
}
