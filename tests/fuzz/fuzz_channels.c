/* libFuzzer target: any bytes as the site's channels file (see
 * tests/fuzz/README.md). Checks: an error leaves the list empty, success
 * leaves no error; every channel has a program that is absolute or a bare
 * name, and a timeout within (0, 1h]. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct site_channels c;
	struct error_list el;
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int r;
	errlist_init(&el);
	sb_init(&sb);
	r = site_channels_load_buffer("fuzz.yaml", (const char *)data, size, &c, &el);
	if ((r == 0) != (el.n == 0) || (r && (c.n || c.v)))
		abort();
	for (i = 0; i < c.n; i++) {
		const struct site_channel *x = &c.v[i];
		if (!x->argc || !x->argv[0][0] ||
		    (x->argv[0][0] != '/' && strchr(x->argv[0], '/')) || x->timeout <= 0 ||
		    x->timeout > 3600 || site_channel_find(&c, x->id) != x)
			abort();
	}
	errlist_format(&el, &sb);
	site_channels_release(&c);
	sb_release(&sb);
	errlist_release(&el);
	return 0;
}
