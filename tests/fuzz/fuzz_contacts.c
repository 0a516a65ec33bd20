/* libFuzzer target: any bytes as the site's contacts file (see
 * tests/fuzz/README.md). Checks: an error leaves the list empty, success
 * leaves no error; every contact has an id and a name and is found again
 * by its id; dates are UTC midnights. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sitrep/site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct site_contacts c;
	struct error_list el;
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int r;
	errlist_init(&el);
	sb_init(&sb);
	r = site_contacts_load_buffer("fuzz.yaml", (const char *)data, size, &c, &el);
	if ((r == 0) != (el.n == 0) || (r && (c.n || c.v)) || c.check_every <= 0)
		abort();
	for (i = 0; i < c.n; i++) {
		const struct site_contact *x = &c.v[i];
		if (!x->id || !x->name || site_contact_find(&c, x->id) != x ||
		    x->confirmed % 86400 != 0)
			abort();
	}
	errlist_format(&el, &sb);
	site_contacts_release(&c);
	sb_release(&sb);
	errlist_release(&el);
	return 0;
}
