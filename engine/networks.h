/* The engine's networks: definitions from ROOT/etc/corral/networks with
 * their autostart marks, the live definition of each active network under
 * RUN/.networks (what monitors read), its bridge on the host, and which
 * containers use it. */
#ifndef CORRAL_ENGINE_NETWORKS_H
#define CORRAL_ENGINE_NETWORKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct domain;
struct error;
struct ipam_lease;
struct network;
struct networks;
struct nl;
struct paths;
struct registry;

struct net_entry {
	struct network *def;    /* in force: the live definition while active */
	struct network *newdef; /* a define made while active, applied at destroy */
	bool persistent;        /* has ROOT/etc/corral/networks/NAME.xml */
	/* Started by the engine as soon as a container needs it (nets_prepare),
	 * not at the engine's own start: an engine whose containers have no
	 * interfaces never touches the host's links. */
	bool autostart;
	bool active;            /* its bridge was made by an engine of this root */
};

/* The live definition of an active network, beside its leases: what its
 * bridge was made from and what monitors read (networks-live.c, which
 * needs no libxml2). RUN_DIR/.networks and RUN_DIR/.networks/NAME.json;
 * the caller frees. */
char *nets_live_dir(const char *run_dir);
char *nets_live_path(const char *run_dir, const char *name);
/* ENOENT when the network is not active. */
int nets_live_load(const char *run_dir, const char *name, struct network **out,
		   struct error *err);
/* Runtime files: replaced without fsync, the directory made when missing. */
int nets_live_save(const char *run_dir, const struct network *net, struct error *err);
int nets_live_delete(const char *run_dir, const char *name, struct error *err);

/* host (taken) is the socket bridges are made through; p must outlive the
 * table. default_name: corrald.conf's default_network. */
struct networks *nets_new(const struct paths *p, struct nl *host, const char *default_name);
void nets_free(struct networks *n);

/* Loads every definition and autostart mark, and which networks are active
 * (a live definition whose bridge exists). On the first start of a root it
 * defines the default network (net_default) with autostart on, unless one
 * of that name exists; undefined later, it
 * stays undefined. A definition that does not parse is logged and left
 * out; only an unreadable directory fails. */
int nets_load(struct networks *n, struct error *err);

struct net_entry *nets_lookup(struct networks *n, const char *name);
/* In name order; valid until the next change to the table. */
size_t nets_count(const struct networks *n);
struct net_entry *nets_at(const struct networks *n, size_t i);

/* The functions below return 0, or a negative errno naming the kind of
 * failure with err filled, as the registry's do: -ENOENT, -EEXIST, -EINVAL,
 * -EBUSY (not in this state), -EIO (the store or the host failed). */

/* Makes def (taken in every case) persistent: saved, then added or
 * replacing the definition of that name (as newdef while it is active).
 * A name with another UUID, a UUID with another name, or a bridge another
 * network has, is refused. Without a UUID it keeps the old one or gets a
 * random one. */
int nets_define(struct networks *n, struct network *def, struct net_entry **out, bool *created,
		struct error *err);
/* Removes the definition; an active network stays, transient, until
 * destroyed. */
int nets_undefine(struct networks *n, struct net_entry *e, struct error *err);
/* Creates the bridge with its addresses and records the live definition. */
int nets_start(struct networks *n, struct net_entry *e, struct error *err);
/* Removes the bridge (users or not: see nets_users), the live definition
 * and, when no lease is left, the lease file; a transient network is gone
 * after. */
int nets_destroy(struct networks *n, struct net_entry *e, struct error *err);
int nets_set_autostart(struct networks *n, struct net_entry *e, bool on, struct error *err);

/* Names of reg's running (or starting) domains whose live definition has
 * an interface on e: type='network' naming it, or type='bridge' on its
 * bridge. The names are borrowed; the caller frees the array. */
size_t nets_users(const struct net_entry *e, struct registry *reg, const char ***names);
/* The leases of e's network, in address order. */
int nets_leases(struct networks *n, const struct net_entry *e, struct ipam_lease **leases,
		size_t *count, struct error *err);

/* Before dom starts: every network its interfaces name is defined and
 * active, autostart ones started on the way. */
int nets_prepare(struct networks *n, const struct domain *dom, struct error *err);
/* What a monitor that died may have left of dom: its veths and leases;
 * and the lease file of a network destroyed while dom used it. */
void nets_cleanup_domain(struct networks *n, const struct domain *dom);
/* The counters of dom's interfaces as the container sees them, read from
 * their host ends: [{"name","host_dev","rx_bytes","rx_packets","rx_errors",
 * "rx_dropped","tx_bytes",…}], for the statistics sampler. */
int nets_domain_stats(struct networks *n, const struct domain *dom, json_t **out,
		      struct error *err);

#endif
