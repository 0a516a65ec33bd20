/* json: a small recursive-descent JSON reader (RFC 8259). Depth is bounded so
 * that a hostile payload cannot overflow the stack. */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <math.h>

#include "sitrep/json.h"

struct parser {
	const char *s;
	size_t len;
	size_t pos;
	struct sitrep_error *err;
	int failed;
};

static void fail(struct parser *p, const char *what)
{
	int line = 1, col = 1;
	if (p->failed)
		return;
	p->failed = 1;
	for (size_t i = 0; i < p->pos && i < p->len; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)p->s[i] & 0xc0) != 0x80) {
			col++;
		}
	}
	if (p->err)
		err_set(p->err, SITREP_EXIT_USAGE, NULL, line, col, "%s", what);
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static int peek(struct parser *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static int hex4(struct parser *p, unsigned *out)
{
	unsigned v = 0;
	if (p->len - p->pos < 4) {
		fail(p, "expected 4 hex digits after \\u");
		return -1;
	}
	for (int i = 0; i < 4; i++) {
		char c = p->s[p->pos++];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else {
			p->pos--;
			fail(p, "expected a hex digit in \\u escape");
			return -1;
		}
	}
	*out = v;
	return 0;
}

static void add_utf8(struct strbuf *sb, unsigned cp)
{
	if (cp < 0x80) {
		sb_addc(sb, (char)cp);
	} else if (cp < 0x800) {
		sb_addc(sb, (char)(0xc0 | (cp >> 6)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sb_addc(sb, (char)(0xe0 | (cp >> 12)));
		sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3f)));
	} else {
		sb_addc(sb, (char)(0xf0 | (cp >> 18)));
		sb_addc(sb, (char)(0x80 | ((cp >> 12) & 0x3f)));
		sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3f)));
	}
}

/* At the opening quote. */
static int parse_string(struct parser *p, char **out, size_t *outlen)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	p->pos++; /* the quote */
	for (;;) {
		int c = peek(p);
		if (c < 0) {
			fail(p, "unterminated string");
			goto bad;
		}
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c < 0x20) {
			fail(p, "control character in string");
			goto bad;
		}
		if (c != '\\') {
			sb_addc(&sb, (char)c);
			p->pos++;
			continue;
		}
		p->pos++;
		c = peek(p);
		p->pos++;
		switch (c) {
		case '"': sb_addc(&sb, '"'); break;
		case '\\': sb_addc(&sb, '\\'); break;
		case '/': sb_addc(&sb, '/'); break;
		case 'b': sb_addc(&sb, '\b'); break;
		case 'f': sb_addc(&sb, '\f'); break;
		case 'n': sb_addc(&sb, '\n'); break;
		case 'r': sb_addc(&sb, '\r'); break;
		case 't': sb_addc(&sb, '\t'); break;
		case 'u': {
			unsigned cp, lo;
			if (hex4(p, &cp) < 0)
				goto bad;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (p->len - p->pos >= 6 && p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u') {
					p->pos += 2;
					if (hex4(p, &lo) < 0)
						goto bad;
					if (lo >= 0xdc00 && lo <= 0xdfff) {
						cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					} else {
						fail(p, "expected a low surrogate after a high surrogate");
						goto bad;
					}
				} else {
					fail(p, "lone high surrogate in \\u escape");
					goto bad;
				}
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				fail(p, "lone low surrogate in \\u escape");
				goto bad;
			}
			add_utf8(&sb, cp);
			break;
		}
		default:
			p->pos--;
			fail(p, "unknown escape in string");
			goto bad;
		}
	}
	*outlen = sb.len;
	*out = sb_detach(&sb);
	return 0;
bad:
	sb_release(&sb);
	return -1;
}

static int parse_number(struct parser *p, double *out)
{
	size_t start = p->pos;
	char buf[128];
	char *end;
	if (peek(p) == '-')
		p->pos++;
	if (peek(p) == '0') {
		p->pos++;
	} else if (peek(p) >= '1' && peek(p) <= '9') {
		while (peek(p) >= '0' && peek(p) <= '9')
			p->pos++;
	} else {
		fail(p, "expected a value");
		return -1;
	}
	if (peek(p) == '.') {
		p->pos++;
		if (!(peek(p) >= '0' && peek(p) <= '9')) {
			fail(p, "expected a digit after '.'");
			return -1;
		}
		while (peek(p) >= '0' && peek(p) <= '9')
			p->pos++;
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (!(peek(p) >= '0' && peek(p) <= '9')) {
			fail(p, "expected a digit in the exponent");
			return -1;
		}
		while (peek(p) >= '0' && peek(p) <= '9')
			p->pos++;
	}
	if (p->pos - start >= sizeof(buf)) {
		fail(p, "number too long");
		return -1;
	}
	memcpy(buf, p->s + start, p->pos - start);
	buf[p->pos - start] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	if (*end != '\0' || !isfinite(*out)) {
		p->pos = start;
		fail(p, "number out of range");
		return -1;
	}
	return 0;
}

static int parse_value(struct parser *p, struct json_value *v, int depth);

static int literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);
	if (p->len - p->pos >= n && memcmp(p->s + p->pos, word, n) == 0) {
		p->pos += n;
		return 1;
	}
	return 0;
}

static int parse_container(struct parser *p, struct json_value *v, int depth, int is_obj)
{
	size_t alloc = 0, kalloc = 0;
	char close = is_obj ? '}' : ']';
	v->type = is_obj ? JSON_OBJECT : JSON_ARRAY;
	p->pos++;
	skip_ws(p);
	if (peek(p) == close) {
		p->pos++;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		size_t klen;
		skip_ws(p);
		if (is_obj) {
			if (peek(p) != '"') {
				fail(p, "expected a string key");
				return -1;
			}
			if (parse_string(p, &key, &klen) < 0)
				return -1;
			skip_ws(p);
			if (peek(p) != ':') {
				free(key);
				fail(p, "expected ':' after a key");
				return -1;
			}
			p->pos++;
		}
		v->items = xgrow(v->items, sizeof(*v->items), v->n + 1, &alloc);
		if (is_obj) {
			v->keys = xgrow(v->keys, sizeof(*v->keys), v->n + 1, &kalloc);
			v->keys[v->n] = key;
		}
		memset(&v->items[v->n], 0, sizeof(v->items[v->n]));
		v->n++;
		if (parse_value(p, &v->items[v->n - 1], depth + 1) < 0)
			return -1;
		skip_ws(p);
		if (peek(p) == ',') {
			p->pos++;
			continue;
		}
		if (peek(p) == close) {
			p->pos++;
			return 0;
		}
		fail(p, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
		return -1;
	}
}

static int parse_value(struct parser *p, struct json_value *v, int depth)
{
	int c;
	skip_ws(p);
	c = peek(p);
	memset(v, 0, sizeof(*v));
	if ((c == '{' || c == '[') && depth >= JSON_MAX_DEPTH) {
		/* at most JSON_MAX_DEPTH nested containers: no stack overflow */
		fail(p, "nesting too deep");
		return -1;
	}
	switch (c) {
	case '{':
		return parse_container(p, v, depth, 1);
	case '[':
		return parse_container(p, v, depth, 0);
	case '"':
		v->type = JSON_STRING;
		return parse_string(p, &v->str, &v->len);
	case 't':
	case 'f':
	case 'n':
		if (literal(p, "true")) {
			v->type = JSON_BOOL;
			v->boolean = 1;
			return 0;
		}
		if (literal(p, "false")) {
			v->type = JSON_BOOL;
			return 0;
		}
		if (literal(p, "null")) {
			v->type = JSON_NULL;
			return 0;
		}
		fail(p, "expected a value");
		return -1;
	case -1:
		fail(p, "unexpected end of input");
		return -1;
	default:
		v->type = JSON_NUMBER;
		return parse_number(p, &v->number);
	}
}

int json_parse(const char *text, size_t len, struct json_value *out, struct sitrep_error *err)
{
	struct parser p = { text, len, 0, err, 0 };
	memset(out, 0, sizeof(*out));
	if (parse_value(&p, out, 0) == 0) {
		skip_ws(&p);
		if (p.pos == p.len)
			return 0;
		fail(&p, "unexpected text after the value");
	}
	json_free(out);
	return -1;
}

void json_free(struct json_value *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		json_free(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

const struct json_value *json_get(const struct json_value *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (obj->keys[i] && strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}

const char *json_get_str(const struct json_value *obj, const char *key)
{
	const struct json_value *v = json_get(obj, key);
	return v && v->type == JSON_STRING ? v->str : NULL;
}

double json_get_num(const struct json_value *obj, const char *key, double def)
{
	const struct json_value *v = json_get(obj, key);
	return v && v->type == JSON_NUMBER ? v->number : def;
}

int json_get_bool(const struct json_value *obj, const char *key, int def)
{
	const struct json_value *v = json_get(obj, key);
	return v && v->type == JSON_BOOL ? v->boolean : def;
}
