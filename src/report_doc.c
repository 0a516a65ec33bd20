/* report: escaping per format and the small document model the review is
 * written in once for Markdown and HTML (headings, paragraphs, tables,
 * lists, preformatted text). Each call writes its block to the FILE at once. */
#include <string.h>

#include "report_int.h"

/* ---- escaping ---- */

static void add_md(struct strbuf *out, const char *s)
{
	for (const char *p = s; *p; p++) {
		/* what Markdown would read as markup; '#' only opens a heading first */
		if (strchr("\\`*[]<>|", *p) || (*p == '#' && p == s))
			sb_addc(out, '\\');
		sb_addc(out, *p);
	}
}

static void add_html(struct strbuf *out, const char *s)
{
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '&': sb_adds(out, "&amp;"); break;
		case '<': sb_adds(out, "&lt;"); break;
		case '>': sb_adds(out, "&gt;"); break;
		case '"': sb_adds(out, "&quot;"); break;
		case '\'': sb_adds(out, "&#39;"); break;
		default: sb_addc(out, *p); break;
		}
	}
}

void rp_esc(enum rp_fmt f, struct strbuf *out, const char *s, unsigned flags)
{
	struct strbuf tmp = STRBUF_INIT;
	if (!s)
		return;
	if (f == RP_TEXT) {
		tx_escape(out, s, flags);
		return;
	}
	/* the text policy first (controls and bidi overrides become ASCII
	 * escapes), then the format's markup on that */
	sb_init(&tmp);
	tx_escape(&tmp, s, flags);
	if (f == RP_MD)
		add_md(out, tmp.buf);
	else
		add_html(out, tmp.buf);
	sb_release(&tmp);
}

/* ---- the document ---- */

void doc_init(struct rp_doc *d, enum rp_fmt f, FILE *out)
{
	d->f = f;
	d->out = out;
	d->ncols = 0;
	sb_init(&d->sb);
}

void doc_release(struct rp_doc *d)
{
	rp_flush(d->out, &d->sb);
	sb_release(&d->sb);
}

void doc_h(struct rp_doc *d, int level, const char *text)
{
	if (d->f == RP_HTML) {
		sb_addf(&d->sb, "<h%d>", level);
		rp_esc(RP_HTML, &d->sb, text, 0);
		sb_addf(&d->sb, "</h%d>\n", level);
	} else {
		for (int i = 0; i < level; i++)
			sb_addc(&d->sb, '#');
		sb_addc(&d->sb, ' ');
		rp_esc(RP_MD, &d->sb, text, 0);
		sb_adds(&d->sb, "\n\n");
	}
	rp_flush(d->out, &d->sb);
}

void doc_raw(struct rp_doc *d, const char *raw)
{
	sb_adds(&d->sb, raw);
	rp_flush(d->out, &d->sb);
}

void doc_p(struct rp_doc *d, const char *text)
{
	if (d->f == RP_HTML) {
		sb_adds(&d->sb, "<p>");
		rp_esc(RP_HTML, &d->sb, text, 0);
		sb_adds(&d->sb, "</p>\n");
	} else {
		rp_esc(RP_MD, &d->sb, text, 0);
		sb_adds(&d->sb, "\n\n");
	}
	rp_flush(d->out, &d->sb);
}

void doc_table(struct rp_doc *d, int ncols, const char *const *heads)
{
	d->ncols = ncols;
	if (d->f == RP_HTML) {
		sb_adds(&d->sb, "<table>\n<thead><tr>");
		for (int i = 0; i < ncols; i++) {
			sb_adds(&d->sb, "<th>");
			rp_esc(RP_HTML, &d->sb, heads[i], 0);
			sb_adds(&d->sb, "</th>");
		}
		sb_adds(&d->sb, "</tr></thead>\n<tbody>\n");
	} else {
		sb_addc(&d->sb, '|');
		for (int i = 0; i < ncols; i++) {
			sb_addc(&d->sb, ' ');
			rp_esc(RP_MD, &d->sb, heads[i], 0);
			sb_adds(&d->sb, " |");
		}
		sb_adds(&d->sb, "\n|");
		for (int i = 0; i < ncols; i++)
			sb_adds(&d->sb, "---|");
		sb_addc(&d->sb, '\n');
	}
	rp_flush(d->out, &d->sb);
}

void doc_row(struct rp_doc *d, const char *const *cells)
{
	if (d->f == RP_HTML) {
		sb_adds(&d->sb, "<tr>");
		for (int i = 0; i < d->ncols; i++) {
			sb_adds(&d->sb, "<td>");
			rp_esc(RP_HTML, &d->sb, cells[i] ? cells[i] : "-", 0);
			sb_adds(&d->sb, "</td>");
		}
		sb_adds(&d->sb, "</tr>\n");
	} else {
		sb_addc(&d->sb, '|');
		for (int i = 0; i < d->ncols; i++) {
			sb_addc(&d->sb, ' ');
			rp_esc(RP_MD, &d->sb, cells[i] ? cells[i] : "-", 0);
			sb_adds(&d->sb, " |");
		}
		sb_addc(&d->sb, '\n');
	}
	rp_flush(d->out, &d->sb);
}

void doc_table_end(struct rp_doc *d)
{
	sb_adds(&d->sb, d->f == RP_HTML ? "</tbody>\n</table>\n" : "\n");
	rp_flush(d->out, &d->sb);
}

void doc_ul(struct rp_doc *d)
{
	if (d->f == RP_HTML)
		doc_raw(d, "<ul>\n");
}

void doc_li(struct rp_doc *d, const char *text)
{
	if (d->f == RP_HTML) {
		sb_adds(&d->sb, "<li>");
		rp_esc(RP_HTML, &d->sb, text, 0);
		sb_adds(&d->sb, "</li>\n");
	} else {
		sb_adds(&d->sb, "- ");
		rp_esc(RP_MD, &d->sb, text, 0);
		sb_addc(&d->sb, '\n');
	}
	rp_flush(d->out, &d->sb);
}

void doc_ul_end(struct rp_doc *d)
{
	doc_raw(d, d->f == RP_HTML ? "</ul>\n" : "\n");
}

void doc_pre(struct rp_doc *d, const char *text)
{
	if (d->f == RP_HTML) {
		sb_adds(&d->sb, "<pre>");
		rp_esc(RP_HTML, &d->sb, text, TX_KEEP_NL);
		sb_adds(&d->sb, "</pre>\n");
	} else {
		/* inside a fence Markdown takes everything literally: only the text
		 * policy applies */
		sb_adds(&d->sb, "```\n");
		rp_esc(RP_TEXT, &d->sb, text, TX_KEEP_NL);
		if (d->sb.len && d->sb.buf[d->sb.len - 1] != '\n')
			sb_addc(&d->sb, '\n');
		sb_adds(&d->sb, "```\n\n");
	}
	rp_flush(d->out, &d->sb);
}
