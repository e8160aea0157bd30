/* Names and identifiers of a definition. */
#include "config/names.h"

#include <ctype.h>
#include <string.h>

#include "config/domain.h"
#include "lib/error.h"

const char *name_domain_problem(const char *name)
{
	size_t len = strlen(name);

	if (len == 0)
		return "it is empty";
	if (len > DOM_NAME_MAX)
		return "it is longer than 64 bytes";
	if (strchr(name, '/') != NULL)
		return "it contains '/'";
	if (name[0] == '.')
		return "it starts with '.'";
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "it contains a control character";
	return NULL;
}

int name_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int name_mac_parse(const char *s, uint8_t mac[6])
{
	if (strlen(s) != 17)
		return -1;
	for (int i = 0; i < 6; i++) {
		int hi = name_hex_digit(s[3 * i]), lo = name_hex_digit(s[3 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		if (i < 5 && s[3 * i + 2] != ':' && s[3 * i + 2] != '-')
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

bool name_mac_is_multicast(const uint8_t mac[6])
{
	return (mac[0] & 1) != 0;
}

bool name_env_valid(const char *name)
{
	if (!(isalpha((unsigned char)name[0]) || name[0] == '_'))
		return false;
	for (const char *p = name + 1; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_'))
			return false;
	return true;
}

bool name_is_placeholder(const char *s)
{
	size_t len = strlen(s);

	return len >= 3 && s[0] == '<' && s[len - 1] == '>' && strchr(s + 1, '<') == NULL;
}
