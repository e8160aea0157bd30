/* RFC 4122 UUIDs: parsing, formatting, generation, and a suggestion for the
 * transcription slips people make when copying one by hand. */
#ifndef CORRAL_CONFIG_UUID_H
#define CORRAL_CONFIG_UUID_H

#include <stdbool.h>
#include <stdint.h>

#define UUID_LEN 16
#define UUID_STR_LEN 37 /* 36 characters and the NUL */

struct error;

/* Accepts the canonical 8-4-4-4-12 form or 32 hex digits, either case,
 * with surrounding blanks; returns -1 for anything else. */
int uuid_parse(const char *s, uint8_t out[UUID_LEN]);
/* Lower-case 8-4-4-4-12. */
void uuid_format(const uint8_t u[UUID_LEN], char out[UUID_STR_LEN]);
/* A random (version 4) UUID from getrandom(2). */
int uuid_generate(uint8_t out[UUID_LEN], struct error *err);
/* When s is not a UUID but becomes one after reading the letters l, I as
 * the digit 1 and O, o as the digit 0, writes that UUID to out and returns
 * true. The caller only suggests it; it never applies it. */
bool uuid_suggest(const char *s, char out[UUID_STR_LEN]);
bool uuid_is_null(const uint8_t u[UUID_LEN]);

#endif
