/* libFuzzer target: any bytes as a time (--at, --due, CSV times) and as a
 * duration (plan deadlines, --expected, scenario offsets). Checks: a time
 * that parses formats back (UTC) to one that parses to the same second;
 * a duration that parses is not negative, formats back and parses to the
 * same seconds; the clock text of it fits its buffer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), buf[64], buf2[64];
	int64_t t, t2, d, d2;
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (time_parse(s, 1795000000, &t) == 0 && t >= 0 && t < INT64_C(253402300799)) {
		/* back through the canonical form */
		time_format_utc(t, buf, sizeof buf);
		if (time_parse(buf, 0, &t2) != 0 || t2 != t)
			abort();
	}
	if (dur_parse(s, &d) == 0) {
		if (d < 0)
			abort();
		dur_format(d, buf, sizeof buf);
		if (dur_parse(buf, &d2) != 0 || d2 != d)
			abort();
		dur_clock(d, buf2, sizeof buf2);
		if (strlen(buf2) >= sizeof buf2)
			abort();
	}
	free(s);
	return 0;
}
