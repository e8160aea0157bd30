/* Validation of domain XML: every rule reports the file, the line, the
 * field and what was expected. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/domain-xml.h"
#include "config/uuid.h"
#include "lib/xmalloc.h"

/* Line 6 holds `top`, line 8 holds `dev`, so messages have known lines. */
#define DOC(name_line, top, dev)                                     \
	"<domain type='lxc'>\n"                                      \
	name_line "\n"                                               \
	"  <uuid>1fbbabc1-1775-3429-950f-70c4bee1aa7d</uuid>\n"      \
	"  <memory unit='KiB'>524288</memory>\n"                     \
	"  <os><type>exe</type><init>/bin/sh</init></os>\n"          \
	top "\n"                                                     \
	"  <devices>\n"                                              \
	dev "\n"                                                     \
	"  </devices>\n"                                             \
	"</domain>\n"

struct result {
	int rc;
	struct domain *dom;
	char *text; /* all diagnostics, "" when none */
	size_t errors, warnings;
};

static struct result parse(const char *xml)
{
	struct result r = { 0 };
	struct diags d = { 0 };
	char *all;

	r.rc = dom_parse_buffer(xml, strlen(xml), "t.xml", &r.dom, &d);
	all = diag_format_all(&d);
	r.text = all != NULL ? all : xstrdup("");
	r.errors = diag_count(&d, DIAG_ERROR);
	r.warnings = diag_count(&d, DIAG_WARNING);
	diags_clear(&d);
	return r;
}

static void done(struct result *r)
{
	dom_free(r->dom);
	free(r->text);
}

/* Parses top/dev into the template and expects one error containing
 * every needle. */
static void expect_error(const char *top, const char *dev, const char *const *needles)
{
	char *xml = xasprintf(DOC("  <name>t</name>", "%s", "%s"), top, dev);
	struct result r = parse(xml);

	cr_expect_eq(r.rc, -1, "accepted:\n%s", xml);
	cr_expect_null(r.dom);
	cr_expect_geq(r.errors, 1);
	for (; *needles != NULL; needles++)
		cr_expect(strstr(r.text, *needles) != NULL, "'%s' not in:\n%s\nfor:\n%s", *needles,
			  r.text, xml);
	done(&r);
	free(xml);
}

#define NEEDLES(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define TOP_ERR(top, ...) expect_error(top, "", NEEDLES("t.xml:6: error:", __VA_ARGS__))
#define DEV_ERR(dev, ...) expect_error("", dev, NEEDLES("t.xml:8: error:", __VA_ARGS__))

Test(parse, valid_minimal)
{
	struct result r = parse(DOC("  <name>t</name>", "", ""));

	cr_assert_eq(r.rc, 0, "%s", r.text);
	cr_expect_str_eq(r.dom->name, "t");
	cr_expect_eq(r.dom->memory_kib, 524288);
	cr_expect_eq(r.dom->current_memory_kib, 524288);
	cr_expect_str_eq(r.dom->init, "/bin/sh");
	cr_expect_str_eq(r.text, "");
	done(&r);
}

Test(parse, bad_unit)
{
	TOP_ERR("  <memtune><hard_limit unit='kg'>1</hard_limit></memtune>",
		"<memtune><hard_limit>", "unknown unit 'kg'", "expected one of b, bytes, KB");
	DEV_ERR("<filesystem type='ram'><source usage='1' units='KIBI'/><target dir='/tmp'/></filesystem>",
		"<filesystem><source usage>", "unknown unit 'KIBI'");
}

Test(parse, numbers_out_of_range)
{
	TOP_ERR("  <memtune><hard_limit>99999999999999999999</hard_limit></memtune>",
		"<memtune><hard_limit>", "too large", "expected at most 9007199254740991 KiB");
	TOP_ERR("  <memtune><soft_limit unit='EiB'>8</soft_limit></memtune>", "<memtune><soft_limit>",
		"too large");
	TOP_ERR("  <memtune><swap_hard_limit unit='KiB'>-5</swap_hard_limit></memtune>",
		"<memtune><swap_hard_limit>", "not a number");
	TOP_ERR("  <currentMemory unit='TiB'>9000000</currentMemory>", "<currentMemory>", "too large");
	TOP_ERR("  <cputune><shares>1</shares></cputune>", "<cputune><shares>", "from 2 to 262144");
	TOP_ERR("  <cputune><shares>262145</shares></cputune>", "<cputune><shares>", "out of range");
	TOP_ERR("  <cputune><period>999</period></cputune>", "<cputune><period>", "from 1000 to 1000000");
	TOP_ERR("  <cputune><period>1000001</period></cputune>", "<cputune><period>", "out of range");
	TOP_ERR("  <cputune><quota>0</quota></cputune>", "<cputune><quota>", "expected -1 (no limit)");
	TOP_ERR("  <cputune><quota>999</quota></cputune>", "<cputune><quota>", "1000 to 17592186044415");
	TOP_ERR("  <cputune><quota>-2</quota></cputune>", "<cputune><quota>", "-2");
	TOP_ERR("  <cputune><quota>17592186044416</quota></cputune>", "<cputune><quota>", "not valid");
	TOP_ERR("  <blkiotune><weight>99</weight></blkiotune>", "<blkiotune><weight>", "from 100 to 1000");
	TOP_ERR("  <blkiotune><weight>1001</weight></blkiotune>", "<blkiotune><weight>", "out of range");
	TOP_ERR("  <blkiotune><device><path>/dev/sda</path><weight>5</weight></device></blkiotune>",
		"<blkiotune><device><weight>", "0 (no weight) or 10 to 1000");
	TOP_ERR("  <blkiotune><device><weight>500</weight></device></blkiotune>",
		"<blkiotune><device>", "missing <path>");
	TOP_ERR("  <vcpu>0</vcpu>", "<vcpu>", "from 1 to 4096");
	TOP_ERR("  <vcpu>4097</vcpu>", "<vcpu>", "out of range");
	TOP_ERR("  <vcpu>18446744073709551616</vcpu>", "<vcpu>", "out of range");
	TOP_ERR("  <vcpu cpuset='1-'>2</vcpu>", "<vcpu cpuset>", "'1-' is not a valid CPU list");
	TOP_ERR("  <vcpu placement='dynamic'>2</vcpu>", "<vcpu placement>", "'static', 'auto'");
	TOP_ERR("  <numatune><memory mode='strict' nodeset='x'/></numatune>",
		"<numatune><memory nodeset>", "not a valid node list");
	TOP_ERR("  <idmap><uid start='0' target='1000' count='0'/><gid start='0' target='1' count='1'/></idmap>",
		"<idmap><uid> count", "from 1 to 4294967295");
	TOP_ERR("  <idmap><uid start='0' target='4294967296' count='1'/><gid start='0' target='1' count='1'/></idmap>",
		"<idmap><uid> target", "out of range");
}

Test(parse, accepts_limits)
{
	struct result r = parse(DOC("  <name>t</name>",
				    "  <cputune><shares>2</shares><period>1000000</period><quota>-1</quota></cputune>"
				    "<blkiotune><weight>100</weight><device><path>/dev/sda</path><weight>0</weight></device></blkiotune>"
				    "<vcpu cpuset='0-3,^2'>4096</vcpu>",
				    ""));

	cr_assert_eq(r.rc, 0, "%s", r.text);
	cr_expect_eq(r.dom->cpu_quota, -1);
	cr_expect(r.dom->has_cpu_quota);
	cr_expect_eq(r.dom->vcpus, 4096);
	cr_expect_eq(r.dom->blkio_devices[0].weight, 0);
	done(&r);
}

static void expect_name_error(const char *name_line, const char *needle)
{
	char *xml = xasprintf(DOC("%s", "", ""), name_line);
	struct result r = parse(xml);

	cr_expect_eq(r.rc, -1, "accepted %s", name_line);
	cr_expect(strstr(r.text, "t.xml:2: error: <name>") != NULL, "%s", r.text);
	cr_expect(strstr(r.text, needle) != NULL, "'%s' not in %s", needle, r.text);
	done(&r);
	free(xml);
}

Test(parse, names)
{
	expect_name_error("  <name></name>", "it is empty");
	expect_name_error("  <name>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</name>",
			  "longer than 64 bytes");
	expect_name_error("  <name>a/b</name>", "contains '/'");
	expect_name_error("  <name>.web</name>", "starts with '.'");
	expect_name_error("  <name>we&#9;b</name>", "control character");
}

Test(parse, missing_name)
{
	struct result r = parse(DOC("", "", ""));

	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.text, "t.xml:1: error: <domain>: missing <name>") != NULL, "%s", r.text);
	done(&r);
}

Test(parse, mac)
{
	DEV_ERR("<interface type='bridge'><mac address='00:16:3e:bb:7f'/><source bridge='br0'/></interface>",
		"<interface><mac>", "'00:16:3e:bb:7f' is not a MAC address", "six hex pairs");
	DEV_ERR("<interface type='bridge'><mac address='00:16:3e:bb:7f:zz'/><source bridge='br0'/></interface>",
		"<interface><mac>", "not a MAC address");
	DEV_ERR("<interface type='bridge'><mac address='01:16:3e:bb:7f:b6'/><source bridge='br0'/></interface>",
		"<interface><mac>", "multicast");
}

/* Parsing stays deterministic: the MAC of an interface without one is
 * derived at start time (netif), never invented here. */
Test(parse, missing_mac_stays_missing)
{
	struct result r = parse(DOC("  <name>t</name>", "",
				    "<interface type='network'><source network='default'/></interface>"));

	cr_assert_eq(r.rc, 0, "%s", r.text);
	cr_expect_not(r.dom->interfaces[0].has_mac);
	char *xml = dom_format(r.dom);
	cr_expect_null(strstr(xml, "<mac"), "%s", xml);
	free(xml);
	done(&r);
}

Test(parse, filesystem_paths)
{
	DEV_ERR("<filesystem type='mount'><source dir='rootfs'/><target dir='/'/></filesystem>",
		"<filesystem><source>", "'rootfs' is a relative path", "absolute path");
	DEV_ERR("<filesystem type='mount'><source dir='/srv'/><target dir='srv'/></filesystem>",
		"<filesystem><target>", "'srv' is a relative path");
	DEV_ERR("<filesystem type='file'><source file='img.raw'/><target dir='/'/></filesystem>",
		"<filesystem><source>", "relative path");
	DEV_ERR("<filesystem type='block'><source dev='sda1'/><target dir='/'/></filesystem>",
		"<filesystem><source>", "relative path");
	DEV_ERR("<filesystem type='mount'><target dir='/'/></filesystem>", "<filesystem>",
		"missing <source>");
	DEV_ERR("<filesystem type='mount'><source dir='/srv'/></filesystem>", "<filesystem>",
		"missing <target");
	DEV_ERR("<filesystem type='template'><source name='x'/><target dir='/'/></filesystem>",
		"<filesystem type>", "'mount', 'block', 'file', 'ram', 'bind'");
	DEV_ERR("<filesystem type='ram'><target dir='/tmp'/><source/></filesystem>",
		"<filesystem><source>", "missing usage");
}

Test(parse, duplicate_targets)
{
	struct result r = parse(DOC("  <name>t</name>", "",
				    "<filesystem><source dir='/a'/><target dir='/srv'/></filesystem>\n"
				    "<filesystem><source dir='/b'/><target dir='/srv'/></filesystem>"));

	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.text, "t.xml:9: error: <filesystem><target>: dir '/srv' is already the target of the filesystem on line 8") != NULL,
		  "%s", r.text);
	done(&r);
}

Test(parse, placeholder)
{
	/* As pasted from a template: not even well-formed XML. */
	DEV_ERR("<filesystem type='mount' accessmode='passthrough'><source dir='<target_path>'/><target dir='/'/></filesystem>",
		"<source>: dir='<target_path>' looks like a placeholder",
		"replace it with the rootfs path");
	/* Escaped, so well-formed. */
	DEV_ERR("<filesystem type='mount'><source dir='&lt;rootfs&gt;'/><target dir='/'/></filesystem>",
		"<filesystem><source>: dir='<rootfs>' looks like a placeholder",
		"replace it with the rootfs path");
	DEV_ERR("<interface type='bridge'><source bridge='&lt;bridge&gt;'/></interface>",
		"<interface><source>: bridge='<bridge>' looks like a placeholder; replace it with a real value");
}

Test(parse, uuid)
{
	struct result r = parse("<domain type='lxc'>\n<name>t</name>\n"
				"<uuid>1fbbabc1-1775-3429-950f-70c4beelaa7d</uuid>\n"
				"<os><type>exe</type><init>/bin/sh</init></os></domain>");

	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.text, "t.xml:3: error: <uuid>: uuid '1fbbabc1-1775-3429-950f-70c4beelaa7d' is not valid; did you mean '1fbbabc1-1775-3429-950f-70c4bee1aa7d'?") != NULL,
		  "%s", r.text);
	done(&r);
	r = parse("<domain type='lxc'>\n<name>t</name>\n<uuid>not-a-uuid</uuid>\n"
		  "<os><type>exe</type><init>/bin/sh</init></os></domain>");
	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.text, "t.xml:3: error: <uuid>: uuid 'not-a-uuid' is not valid; expected 32 hex digits") != NULL,
		  "%s", r.text);
	cr_expect(strstr(r.text, "did you mean") == NULL);
	done(&r);
}

Test(parse, missing_uuid_is_generated)
{
	const char *xml = "<domain type='lxc'><name>t</name>"
			  "<os><type>exe</type><init>/bin/sh</init></os></domain>";
	struct result a = parse(xml), b = parse(xml);

	cr_assert_eq(a.rc, 0, "%s", a.text);
	cr_assert_eq(b.rc, 0, "%s", b.text);
	cr_expect_not(uuid_is_null(a.dom->uuid));
	cr_expect_eq(a.dom->uuid[6] >> 4, 4);
	cr_expect_neq(memcmp(a.dom->uuid, b.dom->uuid, UUID_LEN), 0);
	done(&a);
	done(&b);
}

Test(parse, os_and_init)
{
	struct result r = parse("<domain type='lxc'>\n<name>t</name>\n<os>\n<init>/bin/sh</init></os></domain>");

	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.text, "t.xml:3: error: <os>: missing <type>") != NULL, "%s", r.text);
	done(&r);
	r = parse("<domain type='lxc'>\n<name>t</name>\n<os><type>exe</type></os></domain>");
	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.text, "t.xml:3: error: <os>: missing <init>") != NULL, "%s", r.text);
	done(&r);
	/* An OS container boots /sbin/init when none is named, as in libvirt. */
	r = parse("<domain type='lxc'><name>t</name><os><type>exe</type></os><devices>"
		  "<filesystem><source dir='/r'/><target dir='/'/></filesystem></devices></domain>");
	cr_assert_eq(r.rc, 0, "%s", r.text);
	cr_expect_str_eq(r.dom->init, "/sbin/init");
	done(&r);
	r = parse("<domain type='lxc'>\n<name>t</name>\n<os><type>hvm</type><init>/s</init></os></domain>");
	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.text, "t.xml:3: error: <os><type>: 'hvm' is not valid for a container; expected <type>exe</type>") != NULL,
		  "%s", r.text);
	done(&r);
}

Test(parse, domain_root)
{
	struct result r = parse("<domain type='kvm'><name>t</name><os><type>exe</type><init>/s</init></os></domain>");

	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.text, "t.xml:1: error: <domain>: type='kvm' is not a container; expected <domain type='lxc'>") != NULL,
		  "%s", r.text);
	done(&r);
	r = parse("<network><name>t</name></network>");
	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.text, "the root element is <network>; expected <domain type='lxc'>") != NULL, "%s", r.text);
	done(&r);
}

Test(parse, malformed_xml)
{
	struct result r = parse("<domain type='lxc'>\n  <name>t</name>\n  <memory>1</memroy>\n</domain>\n");

	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.text, "t.xml:3: error: malformed XML: ") != NULL, "%s", r.text);
	cr_expect(strstr(r.text, "memory") != NULL, "%s", r.text);
	cr_expect_eq(r.errors, 1);
	done(&r);
	r = parse("");
	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.text, "malformed XML") != NULL, "%s", r.text);
	done(&r);
	/* The lxc: prefix needs its namespace declared. */
	r = parse("<domain type='lxc'><name>t</name>\n<lxc:namespace/></domain>");
	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.text, "t.xml:2: error: malformed XML: Namespace prefix lxc") != NULL, "%s", r.text);
	done(&r);
}

Test(parse, no_external_entities)
{
	struct result r = parse("<?xml version='1.0'?>\n"
				"<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n"
				"<domain type='lxc'><name>&x;</name></domain>");

	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.text, "DOCTYPE") != NULL, "%s", r.text);
	cr_expect(strstr(r.text, "root:") == NULL, "%s", r.text);
	done(&r);
}

Test(parse, oversize_and_missing_file)
{
	struct diags d = { 0 };
	struct domain *dom = (struct domain *)1;
	char *big = xmalloc(DOM_XML_MAX + 2);

	memset(big, ' ', DOM_XML_MAX + 1);
	big[DOM_XML_MAX + 1] = '\0';
	cr_expect_eq(dom_parse_buffer(big, DOM_XML_MAX + 1, "big.xml", &dom, &d), -1);
	cr_expect_null(dom);
	cr_expect(strstr(d.v[0].msg, "at most") != NULL, "%s", d.v[0].msg);
	diags_clear(&d);
	free(big);
	cr_expect_eq(dom_parse_file("/nonexistent/x.xml", &dom, &d), -1);
	cr_expect_eq(d.n, 1);
	cr_expect_str_eq(d.v[0].file, "/nonexistent/x.xml");
	diags_clear(&d);
}

Test(parse, unknown_elements_are_errors)
{
	TOP_ERR("  <memtune><swap_hardlimit unit='KiB'>1</swap_hardlimit></memtune>",
		"<memtune>: unknown element 'swap_hardlimit'; did you mean 'swap_hard_limit'?");
	TOP_ERR("  <cputune><shares>1024</shares><quot>-1</quot></cputune>",
		"<cputune>: unknown element 'quot'; did you mean 'quota'?");
	TOP_ERR("  <on_reboto>restart</on_reboto>", "did you mean 'on_reboot'?");
	DEV_ERR("<filesytem><source dir='/a'/><target dir='/a'/></filesystem>", "");
	DEV_ERR("<console type='pty'><taget type='lxc'/></console>",
		"<console>: unknown element 'taget'; did you mean 'target'?");
	TOP_ERR("  <frobnicate/>", "<domain>: unknown element 'frobnicate'");
}

Test(parse, unknown_attributes_are_errors)
{
	DEV_ERR("<filesystem type='mount' acessmode='passthrough'><source dir='/a'/><target dir='/a'/></filesystem>",
		"<filesystem>: unknown attribute 'acessmode'; did you mean 'accessmode'?");
	DEV_ERR("<interface type='bridge'><source brigde='br0'/></interface>",
		"unknown attribute 'brigde'; did you mean 'bridge'?");
	TOP_ERR("  <vcpu placment='static'>1</vcpu>", "did you mean 'placement'?");
}

Test(parse, known_but_ignored_is_a_warning)
{
	struct result r = parse(DOC("  <name>t</name>",
				    "  <cpu mode='host-model'/><memtune><min_guarantee>1</min_guarantee></memtune>",
				    "<graphics type='vnc'/><filesystem type='mount' multidevs='remap'><source dir='/a'/><target dir='/a'/></filesystem>"));

	cr_assert_eq(r.rc, 0, "%s", r.text);
	cr_expect_eq(r.errors, 0);
	cr_expect_eq(r.warnings, 4, "%s", r.text);
	cr_expect(strstr(r.text, "t.xml:6: warning: <domain>: element 'cpu' is not supported by corral and is ignored") != NULL,
		  "%s", r.text);
	cr_expect(strstr(r.text, "t.xml:6: warning: <memtune>: element 'min_guarantee'") != NULL, "%s", r.text);
	cr_expect(strstr(r.text, "t.xml:8: warning: <devices>: element 'graphics'") != NULL, "%s", r.text);
	cr_expect(strstr(r.text, "t.xml:8: warning: <filesystem>: attribute 'multidevs'") != NULL, "%s", r.text);
	done(&r);
}

Test(parse, other_rules)
{
	TOP_ERR("  <memtune><hard_limit>2048</hard_limit><swap_hard_limit>1024</swap_hard_limit></memtune>",
		"<memtune>: swap_hard_limit (1024 KiB) is below hard_limit (2048 KiB)");
	TOP_ERR("  <idmap><uid start='1' target='1000' count='10'/><gid start='0' target='1000' count='10'/></idmap>",
		"<idmap>: the container's root is not mapped");
	TOP_ERR("  <on_crash>explode</on_crash>", "<on_crash>: 'explode' is not valid; expected one of 'destroy'");
	TOP_ERR("  <features><capabilities policy='allow'><mknod/></capabilities></features>",
		"<features><capabilities><mknod>: missing state");
	TOP_ERR("  <features><capabilities policy='allow'><sys_modul state='on'/></capabilities></features>",
		"did you mean 'sys_module'?");
	TOP_ERR("  <features><capabilities policy='permit'/></features>",
		"<features><capabilities policy>: 'permit' is not valid");
	TOP_ERR("  <os><initenv name='1BAD'>x</initenv></os>", "not a valid variable name");
	TOP_ERR("  <resource><partition>machine</partition></resource>", "<resource><partition>",
		"relative path");
	TOP_ERR("  <seclabel type='static' model='selinux'/>", "type='static' needs a <label>");
	TOP_ERR("  <title>a\nb</title>", "<title>");
	DEV_ERR("<interface type='network'/>", "<interface>: type='network' needs <source network=");
	DEV_ERR("<interface type='user'/>", "<interface type>: 'user' is not valid");
	DEV_ERR("<interface type='ethernet'><ip address='10.0.0.300'/></interface>",
		"<interface><ip>: address '10.0.0.300' is not an IP address");
	DEV_ERR("<interface type='ethernet'><ip address='10.0.0.3' prefix='33'/></interface>",
		"<interface><ip> prefix", "from 0 to 32");
	DEV_ERR("<interface type='ethernet'><ip address='::1' family='ipv4'/></interface>",
		"is not an ipv4 address");
	DEV_ERR("<interface type='ethernet'><route address='0.0.0.0'/></interface>",
		"<interface><route>: missing gateway");
	DEV_ERR("<interface type='bridge'><source bridge='br0'/><link state='sideways'/></interface>",
		"<interface><link state>");
	DEV_ERR("<console type='file'/>", "<console>: type='file' is not supported");
	DEV_ERR("<console type='pty'><target type='serial'/></console>", "expected type='lxc'");
	DEV_ERR("<hostdev mode='subsystem' type='usb'/>", "expected mode='capabilities'");
	DEV_ERR("<hostdev mode='capabilities' type='storage'><source><char>/dev/tty0</char></source></hostdev>",
		"not valid for type='storage'");
	DEV_ERR("<hostdev mode='capabilities' type='misc'><source><char>tty0</char></source></hostdev>",
		"relative path");
}

Test(parse, lxc_namespace)
{
	struct result r = parse("<domain type='lxc' xmlns:lxc='http://libvirt.org/schemas/domain/lxc/1.0'>"
				"<name>t</name><os><type>exe</type><init>/bin/sh</init></os>"
				"<lxc:namespace><lxc:sharenet type='netns' value='red'/>"
				"<lxc:shareuts type='name' value='c1'/></lxc:namespace></domain>");

	cr_assert_eq(r.rc, 0, "%s", r.text);
	cr_expect_str_eq(r.dom->ns_share[DOM_NS_SHARE_NET].type, "netns");
	cr_expect_str_eq(r.dom->ns_share[DOM_NS_SHARE_NET].value, "red");
	cr_expect_null(r.dom->ns_share[DOM_NS_SHARE_IPC].type);
	cr_expect_str_eq(r.dom->ns_share[DOM_NS_SHARE_UTS].value, "c1");
	cr_expect(dom_wants_netns(r.dom));
	done(&r);
	r = parse("<domain type='lxc' xmlns:lxc='http://libvirt.org/schemas/domain/lxc/1.0'>"
		  "<name>t</name><os><type>exe</type><init>/bin/sh</init></os>\n"
		  "<lxc:namespace><lxc:shareipc type='netns' value='red'/><lxc:sharepid type='pid' value='1'/></lxc:namespace></domain>");
	cr_expect_eq(r.rc, -1);
	cr_expect(strstr(r.text, "t.xml:2: error: <lxc:namespace><lxc:shareipc>: type='netns' is only valid for sharenet") != NULL,
		  "%s", r.text);
	cr_expect(strstr(r.text, "unknown element 'lxc:sharepid'; did you mean 'lxc:sharenet'?") != NULL,
		  "%s", r.text);
	done(&r);
}

Test(parse, current_memory_is_capped)
{
	struct result r = parse(DOC("  <name>t</name>", "  <currentMemory unit='GiB'>4</currentMemory>", ""));

	cr_assert_eq(r.rc, 0, "%s", r.text);
	cr_expect_eq(r.dom->current_memory_kib, 524288);
	done(&r);
}

Test(parse, fixtures)
{
	static const struct {
		const char *file;
		const char *needle;
	} bad[] = {
		{ "tests/fixtures/xml/bad-uuid-letter.xml", "bad-uuid-letter.xml:4: error: <uuid>: uuid '1fbbabc1-1775-3429-950f-70c4beelaa7d' is not valid; did you mean '1fbbabc1-1775-3429-950f-70c4bee1aa7d'?" },
		{ "tests/fixtures/xml/bad-placeholder.xml", "bad-placeholder.xml:21: error: <source>: dir='<target_path>' looks like a placeholder; replace it with the rootfs path" },
		{ "tests/fixtures/xml/bad-swap-typo.xml", "bad-swap-typo.xml:8: error: <memtune>: unknown element 'swap_hardlimit'; did you mean 'swap_hard_limit'?" },
		{ "tests/fixtures/xml/bad-not-wellformed.xml", "bad-not-wellformed.xml:5: error: malformed XML" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct diags d = { 0 };
		struct domain *dom = NULL;
		char *all;

		cr_expect_eq(dom_parse_file(bad[i].file, &dom, &d), -1, "%s", bad[i].file);
		all = diag_format_all(&d);
		cr_expect(all != NULL && strstr(all, bad[i].needle) != NULL, "'%s' not in:\n%s",
			  bad[i].needle, all ? all : "");
		free(all);
		diags_clear(&d);
	}
}
