/* corral's own <metadata> settings and signal names. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/domain-xml.h"
#include "config/signame.h"

static int parse_meta(const char *inner, struct domain **dom, char **text)
{
	char xml[2048];
	struct diags d = { 0 };
	int rc;

	snprintf(xml, sizeof(xml),
		 "<domain type='lxc'>\n<name>m</name>\n<metadata>\n"
		 "<corral:container xmlns:corral='" DOM_CORRAL_NS "'>\n%s\n"
		 "</corral:container>\n</metadata>\n"
		 "<os><type>exe</type><init>/bin/sh</init></os>\n</domain>\n",
		 inner);
	rc = dom_parse_buffer(xml, strlen(xml), "m.xml", dom, &d);
	*text = diag_format_all(&d);
	diags_clear(&d);
	return rc;
}

Test(corral_meta, settings_are_read)
{
	struct domain *dom = NULL;
	char *text = NULL;

	cr_assert_eq(parse_meta("<corral:pids max='64'/>\n"
				"<corral:signals shutdown='SIGRTMIN+4' reboot='INT'/>\n"
				"<corral:optional limits='blkio, net_cls'/>",
				&dom, &text),
		     0, "%s", text ? text : "");
	cr_expect_eq(dom->corral.pids_max, 64);
	cr_expect_eq(dom->corral.shutdown_signal, SIGRTMIN + 4);
	cr_expect_eq(dom->corral.reboot_signal, SIGINT);
	cr_expect_eq(dom->corral.optional, DOM_OPT_BLKIO | DOM_OPT_NET_CLS);
	char *out = dom_format(dom);
	cr_expect_not_null(strstr(out, "<corral:pids max=\"64\"/>"), "kept on write: %s", out);
	free(out);
	dom_free(dom);
	free(text);
}

Test(corral_meta, errors_name_line_and_field)
{
	struct domain *dom = NULL;
	char *text = NULL;

	cr_assert_lt(parse_meta("<corral:pids max='0'/>", &dom, &text), 0);
	cr_expect_not_null(strstr(text, "m.xml:5:"), "%s", text);
	cr_expect_not_null(strstr(text, "<corral:pids max>"), "%s", text);
	free(text);
	cr_assert_lt(parse_meta("<corral:signals shutdown='SIGNOPE'/>", &dom, &text), 0);
	cr_expect_not_null(strstr(text, "SIGNOPE"), "%s", text);
	free(text);
	cr_assert_lt(parse_meta("<corral:optional limits='memroy'/>", &dom, &text), 0);
	cr_expect_not_null(strstr(text, "'memroy'"), "%s", text);
	free(text);
	cr_assert_lt(parse_meta("<corral:pid max='3'/>", &dom, &text), 0);
	cr_expect_not_null(strstr(text, "unknown element 'pid'"), "%s", text);
	free(text);
	cr_assert_null(dom);
}

Test(signame, names_numbers_and_realtime)
{
	cr_expect_eq(signame_parse("SIGTERM"), SIGTERM);
	cr_expect_eq(signame_parse("term"), SIGTERM);
	cr_expect_eq(signame_parse("SIGPWR"), SIGPWR);
	cr_expect_eq(signame_parse("15"), 15);
	cr_expect_eq(signame_parse("SIGRTMIN+4"), SIGRTMIN + 4);
	cr_expect_eq(signame_parse("RTMAX-1"), SIGRTMAX - 1);
	cr_expect_eq(signame_parse("SIGRTMIN+99"), -1);
	cr_expect_eq(signame_parse("0"), -1);
	cr_expect_eq(signame_parse("SIGFOO"), -1);
	cr_expect_eq(signame_parse(""), -1);
}
