/* libFuzzer target: any bytes as a plan (clang -fsanitize=fuzzer; see
 * tests/fuzz/README.md). Beyond "no crash, no leak, no overread", it checks
 * what callers rely on: NULL comes with errors and a plan with none; every
 * error is a plan error with a message; the snapshot is the input byte for
 * byte; each notice and its obligation point at each other; plan show
 * reads everything the loader set. */
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/plan.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		(void)setlocale(LC_CTYPE, "");
	return 0;
}

static void check_plan(const struct plan *p, const uint8_t *data, size_t size)
{
	size_t i;
	if (p->yaml_len != size || memcmp(p->yaml, data, size) != 0 || p->yaml[size] != '\0')
		abort();
	if (!p->lang || !p->nlevels || !p->nroles)
		abort();
	for (i = 0; i < p->nnotices; i++) {
		int o = p->notices[i].obligation;
		if (o < 0 || (size_t)o >= p->nobligations || p->obligations[o].notice != (int)i ||
		    !p->notices[i].template_text || !p->notices[i].nto)
			abort();
	}
	for (i = 0; i < p->nobligations; i++) {
		int n = p->obligations[i].notice;
		if (n >= 0 && ((size_t)n >= p->nnotices || p->notices[n].obligation != (int)i))
			abort();
	}
	for (i = 0; i < p->nmetrics; i++)
		if (p->metrics[i].stale_after <= 0)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { "zh_CN", "en", "zh", "fr" };
	struct error_list el;
	struct strbuf sb = STRBUF_INIT;
	struct plan *p;
	size_t i;
	errlist_init(&el);
	sb_init(&sb);
	p = plan_load_buffer("fuzz.yaml", (const char *)data, size, langs[size % 4], &el);
	if (!p == !el.n)
		abort();
	for (i = 0; i < el.n; i++)
		if (el.v[i].code != SITREP_EXIT_PLAN || !el.v[i].msg || el.v[i].line < 0 ||
		    el.v[i].col < 0)
			abort();
	if (p) {
		check_plan(p, data, size);
		plan_describe(p, &sb);
	}
	errlist_format(&el, &sb);
	plan_free(p);
	sb_release(&sb);
	errlist_release(&el);
	return 0;
}
