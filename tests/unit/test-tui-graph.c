/* The TUI's text graphs in UTF-8 and ASCII. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "tui/graph.h"

Test(tui_graph, sparkline_utf8)
{
	double v[] = { NAN, 0, 12.5, 50, 100, 200 };
	char out[sizeof(v) / sizeof(v[0]) * GRAPH_CELL_BYTES + 1];

	graph_spark(v, 6, 100, true, out);
	cr_expect_str_eq(out, " ▁▁▄██");
}

Test(tui_graph, sparkline_ascii)
{
	double v[] = { NAN, 0, 12.5, 50, 100, 1 };
	char out[32];

	graph_spark(v, 6, 100, false, out);
	cr_expect_str_eq(out, " __-#_");
}

Test(tui_graph, area_utf8)
{
	double v[] = { 0, 25, 50, 100, NAN, 10 };
	char r0[32], r1[32];
	char *rows[] = { r0, r1 };

	/* Two rows: 16 eighths; 25 % is 4 eighths, 10 % rounds to 2. */
	graph_area(v, 6, 100, 2, true, rows);
	cr_expect_str_eq(r0, "   █  ");
	cr_expect_str_eq(r1, " ▄██ ▂");
}

Test(tui_graph, area_ascii)
{
	double v[] = { 0, 25, 50, 100, NAN, 1 };
	char r0[32], r1[32];
	char *rows[] = { r0, r1 };

	graph_area(v, 6, 100, 2, false, rows);
	cr_expect_str_eq(r0, "   #  ");
	cr_expect_str_eq(r1, " :## .", "anything above zero shows");
}

Test(tui_graph, bar)
{
	char out[64];

	graph_bar(0.5, 4, false, out);
	cr_expect_str_eq(out, "##..");
	graph_bar(NAN, 3, false, out);
	cr_expect_str_eq(out, "...");
	graph_bar(0.5625, 2, true, out);
	cr_expect_str_eq(out, "█▏");
	graph_bar(2, 2, true, out);
	cr_expect_str_eq(out, "██");
	graph_bar(0, 2, true, out);
	cr_expect_str_eq(out, "░░");
}

Test(tui_graph, nice_scale)
{
	cr_expect_float_eq(graph_nice_max(0), 1, 1e-9);
	cr_expect_float_eq(graph_nice_max(3), 5, 1e-9);
	cr_expect_float_eq(graph_nice_max(100), 100, 1e-9);
	cr_expect_float_eq(graph_nice_max(101), 200, 1e-9);
	cr_expect_float_eq(graph_nice_max(0.3), 0.5, 1e-9);
	cr_expect_float_eq(graph_nice_max(7000), 10000, 1e-9);
}

Test(tui_graph, byte_scale)
{
	cr_expect_float_eq(graph_nice_bytes(0), 1, 1e-9);
	cr_expect_float_eq(graph_nice_bytes(1000), 1024, 1e-9);
	cr_expect_float_eq(graph_nice_bytes(500.0 * (1 << 20)), 512.0 * (1 << 20), 1e-9);
	cr_expect_float_eq(graph_nice_bytes(2048), 2048, 1e-9);
}
