/* UUID text forms and generation. */
#include "config/uuid.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "config/names.h"
#include "lib/error.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Hex digits of s[0..len) into out, with dashes exactly where the
 * canonical form has them when len is 36. */
static int parse_span(const char *s, size_t len, uint8_t out[UUID_LEN])
{
	size_t n = 0;

	if (len != 36 && len != 32)
		return -1;
	for (size_t i = 0; i < len; i += 2) {
		int hi, lo;

		if (len == 36 && (i == 8 || i == 13 || i == 18 || i == 23)) {
			if (s[i] != '-')
				return -1;
			i++;
		}
		hi = name_hex_digit(s[i]);
		lo = name_hex_digit(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
	}
	return n == UUID_LEN ? 0 : -1;
}

int uuid_parse(const char *s, uint8_t out[UUID_LEN])
{
	size_t len;

	while (is_blank(*s))
		s++;
	len = strlen(s);
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	return parse_span(s, len, out);
}

void uuid_format(const uint8_t u[UUID_LEN], char out[UUID_STR_LEN])
{
	snprintf(out, UUID_STR_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
		 u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
		 u[15]);
}

int uuid_generate(uint8_t out[UUID_LEN], struct error *err)
{
	size_t got = 0;

	while (got < UUID_LEN) {
		ssize_t r = getrandom(out + got, UUID_LEN - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return err_sys(err, "generate a UUID: getrandom");
		}
		got += (size_t)r;
	}
	out[6] = (uint8_t)((out[6] & 0x0f) | 0x40);
	out[8] = (uint8_t)((out[8] & 0x3f) | 0x80);
	return 0;
}

bool uuid_suggest(const char *s, char out[UUID_STR_LEN])
{
	char fixed[64];
	uint8_t u[UUID_LEN];
	size_t len;
	bool changed = false;

	while (is_blank(*s))
		s++;
	len = strlen(s);
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	if (len >= sizeof(fixed))
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == 'l' || c == 'I') {
			c = '1';
			changed = true;
		} else if (c == 'O' || c == 'o') {
			c = '0';
			changed = true;
		}
		fixed[i] = c;
	}
	if (!changed || parse_span(fixed, len, u) < 0)
		return false;
	uuid_format(u, out);
	return true;
}

bool uuid_is_null(const uint8_t u[UUID_LEN])
{
	for (size_t i = 0; i < UUID_LEN; i++)
		if (u[i] != 0)
			return false;
	return true;
}
