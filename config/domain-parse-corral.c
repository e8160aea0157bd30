/* corral's own settings in a domain's <metadata>, under its XML namespace:
 *   <corral:container xmlns:corral='http://corral.dev/xmlns/domain/1.0'>
 *     <corral:pids max='64'/>
 *     <corral:signals shutdown='SIGRTMIN+4' reboot='SIGINT'/>
 *     <corral:optional limits='blkio net_cls'/>
 *   </corral:container>
 * Checked as strictly as libvirt's own elements: a typo is an error. */
#include <stdlib.h>
#include <string.h>

#include "config/parse-ctx.h"
#include "config/signame.h"
#include "lib/cleanup.h"

static const struct {
	const char *name;
	unsigned bit;
} optional_names[] = {
	{ "memory", DOM_OPT_MEMORY }, { "swap", DOM_OPT_SWAP },	  { "cpu", DOM_OPT_CPU },
	{ "cpuset", DOM_OPT_CPUSET }, { "blkio", DOM_OPT_BLKIO }, { "pids", DOM_OPT_PIDS },
	{ "devices", DOM_OPT_DEVICES }, { "net_cls", DOM_OPT_NET_CLS },
};

static void attrs_only(struct px *p, xmlNode *n, const char *field, const char *const *ok)
{
	for (xmlAttr *a = n->properties; a != NULL; a = a->next) {
		bool known = false;
		for (const char *const *k = ok; *k != NULL; k++)
			if (strcmp((const char *)a->name, *k) == 0)
				known = true;
		if (!known)
			px_error(p, n, "%s: unknown attribute '%s'", field, (const char *)a->name);
	}
}

static void p_signals(struct px *p, xmlNode *n, struct domain *dom)
{
	static const char *const ok[] = { "shutdown", "reboot", NULL };
	static const char *const which[] = { "shutdown", "reboot" };
	int *dst[] = { &dom->corral.shutdown_signal, &dom->corral.reboot_signal };

	attrs_only(p, n, "<corral:signals>", ok);
	for (int i = 0; i < 2; i++) {
		_cleanup_free_ char *v = px_attr(p, n, which[i], "<corral:signals>");
		if (v == NULL)
			continue;
		int sig = signame_parse(v);
		if (sig < 0)
			px_error(p, n,
				 "<corral:signals %s='%s'>: not a signal; expected a name such as "
				 "SIGTERM, SIGPWR or SIGRTMIN+4",
				 which[i], v);
		else
			*dst[i] = sig;
	}
}

static void p_optional(struct px *p, xmlNode *n, struct domain *dom)
{
	static const char *const ok[] = { "limits", NULL };
	_cleanup_free_ char *v = px_attr(p, n, "limits", "<corral:optional>");

	attrs_only(p, n, "<corral:optional>", ok);
	if (v == NULL)
		return;
	for (char *save = NULL, *tok = strtok_r(v, " ,", &save); tok != NULL;
	     tok = strtok_r(NULL, " ,", &save)) {
		size_t i;
		for (i = 0; i < sizeof(optional_names) / sizeof(optional_names[0]); i++) {
			if (strcmp(tok, optional_names[i].name) == 0) {
				dom->corral.optional |= optional_names[i].bit;
				break;
			}
		}
		if (i == sizeof(optional_names) / sizeof(optional_names[0]))
			px_error(p, n,
				 "<corral:optional limits>: unknown limit class '%s'; expected "
				 "memory, swap, cpu, cpuset, blkio, pids, devices or net_cls",
				 tok);
	}
}

static void p_pids(struct px *p, xmlNode *n, struct domain *dom)
{
	static const char *const ok[] = { "max", NULL };
	_cleanup_free_ char *v = px_attr(p, n, "max", "<corral:pids>");

	attrs_only(p, n, "<corral:pids>", ok);
	if (v == NULL) {
		px_error(p, n, "<corral:pids>: needs max='N'");
		return;
	}
	/* The kernel's pid limit (PID_MAX_LIMIT) bounds pids.max. */
	px_u64(p, n, "<corral:pids max>", v, 1, 4194304, &dom->corral.pids_max);
}

void dom_parse_corral_meta(struct px *p, xmlNode *n, struct domain *dom)
{
	if (strcmp((const char *)n->name, "container") != 0) {
		px_error(p, n, "<metadata>: unknown corral element '%s'; expected <corral:container>",
			 (const char *)n->name);
		return;
	}
	for (xmlNode *c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const char *name = (const char *)c->name;
		if (strcmp(name, "signals") == 0)
			p_signals(p, c, dom);
		else if (strcmp(name, "optional") == 0)
			p_optional(p, c, dom);
		else if (strcmp(name, "pids") == 0)
			p_pids(p, c, dom);
		else
			px_error(p, c,
				 "<corral:container>: unknown element '%s'; expected pids, signals "
				 "or optional",
				 name);
	}
}
