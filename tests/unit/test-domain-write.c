/* The writer: libvirt's defaults spelled out, escaping, and round trips of
 * settings the corpus does not cover. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "config/domain-xml.h"

static char *reformat(const char *xml)
{
	struct diags d = { 0 };
	struct domain *dom = NULL;
	char *out;

	cr_assert_eq(dom_parse_buffer(xml, strlen(xml), "w.xml", &dom, &d), 0, "%s",
		     d.n ? d.v[0].msg : "");
	out = dom_format(dom);
	dom_free(dom);
	diags_clear(&d);
	return out;
}

Test(write, fills_libvirt_defaults)
{
	char *out = reformat("<domain type='lxc'><name>d</name>"
			     "<uuid>8369f1ac-7e46-e869-4ca5-759d51478066</uuid>"
			     "<memory unit='MiB'>1</memory><vcpu>2</vcpu>"
			     "<os><type>exe</type><init>/bin/sh</init></os><devices>"
			     "<filesystem type='ram'><source usage='2' units='MiB'/><target dir='/run'/></filesystem>"
			     "<console/><console type='pty'/>"
			     "<interface type='direct'><mac address='02:00:15:8f:05:c1'/><source dev='eth0'/></interface>"
			     "</devices></domain>");

	cr_expect_str_eq(out, "<domain type='lxc'>\n"
			      "  <name>d</name>\n"
			      "  <uuid>8369f1ac-7e46-e869-4ca5-759d51478066</uuid>\n"
			      "  <memory unit='KiB'>1024</memory>\n"
			      "  <currentMemory unit='KiB'>1024</currentMemory>\n"
			      "  <vcpu placement='static'>2</vcpu>\n"
			      "  <os>\n"
			      "    <type>exe</type>\n"
			      "    <init>/bin/sh</init>\n"
			      "  </os>\n"
			      "  <on_poweroff>destroy</on_poweroff>\n"
			      "  <on_reboot>restart</on_reboot>\n"
			      "  <on_crash>destroy</on_crash>\n"
			      "  <devices>\n"
			      "    <filesystem type='ram' accessmode='passthrough'>\n"
			      "      <source usage='2048' units='KiB'/>\n"
			      "      <target dir='/run'/>\n"
			      "    </filesystem>\n"
			      "    <interface type='direct'>\n"
			      "      <mac address='02:00:15:8f:05:c1'/>\n"
			      "      <source dev='eth0' mode='vepa'/>\n"
			      "    </interface>\n"
			      "    <console type='pty'>\n"
			      "      <target type='lxc' port='0'/>\n"
			      "    </console>\n"
			      "    <console type='pty'>\n"
			      "      <target type='lxc' port='1'/>\n"
			      "    </console>\n"
			      "  </devices>\n"
			      "</domain>\n");
	free(out);
}

Test(write, escapes_and_keeps_metadata)
{
	const char *xml = "<domain type='lxc'>\n"
			  "  <name>d</name>\n"
			  "  <uuid>8369f1ac-7e46-e869-4ca5-759d51478066</uuid>\n"
			  "  <title>A &amp; B &lt;test&gt;</title>\n"
			  "  <description>it&apos;s \"quoted\"</description>\n"
			  "  <metadata>\n"
			  "    <app:info xmlns:app=\"http://example.org/app\"><app:owner>ops</app:owner></app:info>\n"
			  "    <x:y xmlns:x=\"http://example.org/x\" a=\"1\"/>\n"
			  "  </metadata>\n"
			  "  <os>\n"
			  "    <type>exe</type>\n"
			  "    <init>/bin/sh</init>\n"
			  "    <initarg>-c</initarg>\n"
			  "    <initarg>echo 'hi' &amp;&amp; sleep 1</initarg>\n"
			  "    <initenv name='A'>x&lt;y</initenv>\n"
			  "  </os>\n"
			  "  <on_poweroff>destroy</on_poweroff>\n"
			  "  <on_reboot>restart</on_reboot>\n"
			  "  <on_crash>destroy</on_crash>\n"
			  "  <devices>\n"
			  "  </devices>\n"
			  "</domain>\n";
	char *once = reformat(xml);
	char *twice = reformat(once);

	cr_expect(strstr(once, "<title>A &amp; B &lt;test&gt;</title>") != NULL, "%s", once);
	cr_expect(strstr(once, "<description>it&apos;s &quot;quoted&quot;</description>") != NULL, "%s", once);
	cr_expect(strstr(once, "<initarg>echo &apos;hi&apos; &amp;&amp; sleep 1</initarg>") != NULL, "%s", once);
	cr_expect(strstr(once, "    <app:info xmlns:app=\"http://example.org/app\"><app:owner>ops</app:owner></app:info>\n") != NULL,
		  "%s", once);
	cr_expect_str_eq(once, twice);
	free(once);
	free(twice);
}

Test(write, full_definition_round_trips)
{
	const char *xml =
		"<domain type='lxc' xmlns:lxc='http://libvirt.org/schemas/domain/lxc/1.0'>"
		"<name>full</name><uuid>8369f1ac-7e46-e869-4ca5-759d51478066</uuid>"
		"<memory unit='GiB'>2</memory><currentMemory unit='GiB'>1</currentMemory>"
		"<blkiotune><weight>500</weight><device><path>/dev/sda</path><read_iops_sec>10</read_iops_sec></device></blkiotune>"
		"<memtune><hard_limit unit='G'>1</hard_limit><soft_limit unit='M'>512</soft_limit><swap_hard_limit unit='G'>2</swap_hard_limit></memtune>"
		"<vcpu placement='auto' cpuset='0-1'>2</vcpu>"
		"<cputune><shares>512</shares><period>100000</period><quota>50000</quota></cputune>"
		"<numatune><memory mode='interleave' nodeset='0'/></numatune>"
		"<resource><partition>/machine</partition></resource>"
		"<os><type arch='aarch64'>exe</type><init>/sbin/init</init><initdir>/srv</initdir><inituser>u</inituser><initgroup>g</initgroup></os>"
		"<idmap><uid start='1000' target='200000' count='10'/><uid start='0' target='100000' count='1000'/><gid start='0' target='100000' count='65536'/></idmap>"
		"<features><privnet/><capabilities policy='deny'><sys_time state='on'/><chown state='on'/><chown state='off'/></capabilities></features>"
		"<clock offset='localtime'/><on_poweroff>preserve</on_poweroff><on_reboot>destroy</on_reboot><on_crash>coredump-restart</on_crash>"
		"<devices><emulator>/usr/libexec/libvirt_lxc</emulator>"
		"<filesystem type='block' accessmode='squash'><source dev='/dev/sdb1'/><target dir='/'/><readonly/></filesystem>"
		"<filesystem type='bind' accessmode='mapped'><source dir='/srv/data'/><target dir='/data'/></filesystem>"
		"<interface type='network'><mac address='52:54:00:aa:bb:cc'/><source network='default'/><target dev='veth9'/><link state='down'/></interface>"
		"<interface type='ethernet'><source><ip address='10.0.0.1' prefix='24'/></source><ip address='fd00::2' prefix='64' peer='fd00::1'/><route address='::' prefix='0' gateway='fd00::1'/></interface>"
		"<hostdev mode='capabilities' type='net'><source><interface>eth7</interface></source></hostdev>"
		"</devices>"
		"<seclabel type='static' model='selinux' relabel='no'><label>system_u:system_r:svirt_lxc_net_t:s0:c1,c2</label></seclabel>"
		"<lxc:namespace><lxc:shareipc type='pid' value='42'/></lxc:namespace></domain>";
	char *once = reformat(xml);
	char *twice = reformat(once);

	cr_expect_str_eq(once, twice);
	cr_expect(strstr(once, "<uid start='0' target='100000' count='1000'/>\n    <uid start='1000'") != NULL, "%s", once);
	cr_expect(strstr(once, "<capabilities policy='deny'>\n      <chown state='off'/>\n      <sys_time state='on'/>") != NULL,
		  "%s", once);
	cr_expect(strstr(once, "<route family='ipv6' address='::' prefix='0' gateway='fd00::1'/>") != NULL, "%s", once);
	cr_expect(strstr(once, "<hard_limit unit='KiB'>1048576</hard_limit>") != NULL, "%s", once);
	cr_expect(strstr(once, "<domain type='lxc' xmlns:lxc='http://libvirt.org/schemas/domain/lxc/1.0'>") != NULL, "%s", once);
	free(once);
	free(twice);
}
