/* Text graphs: sparklines, bars and area graphs. */
#include "tui/graph.h"

#include <math.h>
#include <string.h>

/* Vertical eighths, index 1..8; index 0 is empty. */
static const char *const vert_utf8[9] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
static const char vert_ascii[9] = { ' ', '_', '.', ',', '-', '=', '+', '*', '#' };
/* Horizontal eighths, index 1..7 partial. */
static const char *const horiz_utf8[8] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };

static char *put(char *p, const char *s)
{
	size_t len = strlen(s);

	memcpy(p, s, len);
	return p + len;
}

static char *put_vert(char *p, int level, bool utf8)
{
	if (utf8)
		return put(p, vert_utf8[level]);
	*p = vert_ascii[level];
	return p + 1;
}

void graph_spark(const double *v, size_t n, double max, bool utf8, char *out)
{
	char *p = out;

	for (size_t i = 0; i < n; i++) {
		int level = 0;
		if (!isnan(v[i])) {
			double f = max > 0 ? v[i] / max * 8 : 0;
			/* Rounded up, so that any use shows above the idle mark. */
			level = (int)f + ((double)(int)f < f);
			level = level < 1 ? 1 : level > 8 ? 8 : level;
		}
		p = put_vert(p, level, utf8);
	}
	*p = '\0';
}

void graph_area(const double *v, size_t n, double max, int height, bool utf8, char **rows)
{
	for (int r = 0; r < height; r++) {
		char *p = rows[r];
		int below = (height - 1 - r) * 8; /* eighths under this row */
		for (size_t i = 0; i < n; i++) {
			int fill = 0;
			if (!isnan(v[i]) && max > 0 && v[i] > 0) {
				int eighths = (int)(v[i] / max * height * 8 + 0.5);
				/* Anything above zero shows on the bottom row. */
				if (eighths < 1)
					eighths = 1;
				fill = eighths - below;
				fill = fill < 0 ? 0 : fill > 8 ? 8 : fill;
			}
			if (utf8)
				p = put_vert(p, fill, true);
			else
				*p++ = fill >= 8 ? '#' : fill >= 4 ? ':' : fill > 0 ? '.' : ' ';
		}
		*p = '\0';
	}
}

void graph_bar(double frac, int width, bool utf8, char *out)
{
	char *p = out;
	int eighths = 0;

	if (!isnan(frac)) {
		frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
		eighths = (int)(frac * width * 8 + 0.5);
	}
	for (int i = 0; i < width; i++) {
		int fill = eighths - i * 8;
		fill = fill < 0 ? 0 : fill > 8 ? 8 : fill;
		if (!utf8)
			*p++ = fill >= 4 ? '#' : '.';
		else if (fill == 8)
			p = put(p, "█");
		else if (fill > 0)
			p = put(p, horiz_utf8[fill]);
		else
			p = put(p, "░");
	}
	*p = '\0';
}

double graph_nice_max(double max)
{
	double mag = 1;

	/* Loops rather than log10 and pow: the programs do not link libm. */
	if (!(max > 0))
		return 1;
	while (mag * 10 < max)
		mag *= 10;
	while (mag > max)
		mag /= 10;
	if (max <= mag)
		return mag;
	if (max <= 2 * mag)
		return 2 * mag;
	if (max <= 5 * mag)
		return 5 * mag;
	return 10 * mag;
}

double graph_nice_bytes(double max)
{
	double p = 1;

	while (p < max)
		p *= 2;
	return p;
}
