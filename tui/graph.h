/* Sparklines, bars and area graphs as text: Unicode eighth blocks, or ASCII
 * when the locale is not UTF-8. */
#ifndef CORRAL_TUI_GRAPH_H
#define CORRAL_TUI_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

/* Every cell is one column wide and at most this many bytes. */
#define GRAPH_CELL_BYTES 3

/* One cell per value, scaled to [0, max]; NAN (no sample) is a blank, zero
 * the lowest mark so that an idle container still shows a line. out holds
 * n * GRAPH_CELL_BYTES + 1 bytes. */
void graph_spark(const double *v, size_t n, double max, bool utf8, char *out);

/* height rows (top first) of n columns each, scaled to [0, max]; rows[r]
 * holds n * GRAPH_CELL_BYTES + 1 bytes. */
void graph_area(const double *v, size_t n, double max, int height, bool utf8, char **rows);

/* A bar of width cells filled to frac (0..1, NAN: empty). out holds
 * width * GRAPH_CELL_BYTES + 1 bytes. */
void graph_bar(double frac, int width, bool utf8, char *out);

/* A max that makes a round axis label: 1, 2, 5 times a power of ten. */
double graph_nice_max(double max);
/* For byte figures: the power of two at or above max (1 KiB, 512 MiB). */
double graph_nice_bytes(double max);

#endif
