/* Route netlink through libnl-route-3, one socket per network namespace. */
#include "engine/netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/veth.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>

#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

struct nl {
	struct nl_sock *sk;
	/* The errno of the kernel's last refusal: libnl folds errnos into its
	 * own codes and loses ones such as ENETUNREACH on the way. */
	int kerr;
};

static int on_kernel_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nl *nl = arg;

	nl->kerr = -e->error;
	return NL_STOP;
}

static int nle_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_NODEV: return ENODEV;
	case NLE_OBJ_NOTFOUND: return ENODEV;
	case NLE_EXIST: return EEXIST;
	case NLE_PERM: return EPERM;
	case NLE_NOACCESS: return EACCES;
	case NLE_INVAL: return EINVAL;
	case NLE_BUSY: return EBUSY;
	case NLE_NOMEM: return ENOMEM;
	case NLE_RANGE: return ERANGE;
	case NLE_AGAIN: return EAGAIN;
	case NLE_INTR: return EINTR;
	case NLE_OPNOTSUPP: return EOPNOTSUPP;
	case NLE_AF_NOSUPPORT: return EAFNOSUPPORT;
	case NLE_NOADDR: return EADDRNOTAVAIL;
	case NLE_MSGSIZE: return EMSGSIZE;
	default: return 0;
	}
}

/* Fills err from a libnl result, preferring the kernel's own errno. */
static int nl_fail(struct nl *nl, int nle, struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int nl_fail(struct nl *nl, int nle, struct error *err, const char *fmt, ...)
{
	_cleanup_free_ char *what = NULL;
	int errnum = nl->kerr != 0 ? nl->kerr : nle_errno(nle);
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	if (errnum != 0)
		return err_set(err, errnum, "%s", what ? what : fmt);
	return err_set(err, 0, "%s: %s", what ? what : fmt, nl_geterror(nle));
}

static int check_name(const char *name, struct error *err)
{
	if (name == NULL || name[0] == '\0' || strlen(name) >= IF_NAMESIZE)
		return err_set(err, EINVAL, "'%s' is not an interface name (1 to %d characters)",
			       name ? name : "", IF_NAMESIZE - 1);
	return 0;
}

int nl_open(struct nl **out, struct error *err)
{
	struct nl *nl = xcalloc(1, sizeof(*nl));
	int rc, fd;

	*out = NULL;
	nl->sk = nl_socket_alloc();
	if (nl->sk == NULL) {
		free(nl);
		return err_set(err, ENOMEM, "allocate a netlink socket");
	}
	rc = nl_connect(nl->sk, NETLINK_ROUTE);
	if (rc < 0) {
		nl_fail(nl, rc, err, "connect to route netlink");
		nl_socket_free(nl->sk);
		free(nl);
		return -1;
	}
	/* libnl opens with SOCK_CLOEXEC in current releases; older ones did
	 * not, and a container's init must never inherit the host's socket. */
	fd = nl_socket_get_fd(nl->sk);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		err_sys(err, "route netlink socket: set close-on-exec");
		nl_free(nl);
		return -1;
	}
	nl_socket_modify_err_cb(nl->sk, NL_CB_CUSTOM, on_kernel_error, nl);
	*out = nl;
	return 0;
}

void nl_free(struct nl *nl)
{
	if (nl == NULL)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

/* Runs fn(out) in the network namespace of netns_fd and comes back; a
 * socket keeps the namespace it was made in. In this thread: a thread of
 * its own cost 0.6 ms a start here, most of it waking the other CPU. */
static int open_netns(int netns_fd, int (*fn)(void *out, struct error *err), void *out,
		      struct error *err)
{
	_cleanup_close_ int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	int rc;

	if (self < 0)
		return err_sys(err, "open '/proc/thread-self/ns/net'");
	if (setns(netns_fd, CLONE_NEWNET) < 0)
		return err_sys(err, "enter the network namespace");
	rc = fn(out, err);
	/* Every later socket of this thread would be the other namespace's:
	 * nothing can go on from there. */
	if (setns(self, CLONE_NEWNET) < 0) {
		log_error("return to the network namespace: %s", strerror(errno));
		abort();
	}
	return rc;
}

static int open_nl(void *out, struct error *err)
{
	return nl_open(out, err);
}

int nl_open_netns_fd(int netns_fd, struct nl **out, struct error *err)
{
	*out = NULL;
	return open_netns(netns_fd, open_nl, out, err);
}

int nl_open_netns_pid(pid_t pid, struct nl **out, struct error *err)
{
	char path[64];
	_cleanup_close_ int fd = -1;

	*out = NULL;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_sys(err, "open '%s'", path);
	if (nl_open_netns_fd(fd, out, err) < 0)
		return err_prefix(err, "network namespace of pid %d", (int)pid);
	return 0;
}

/* ---- bell ---- */

/* A plain socket, not libnl's: nothing is read from it but the fact that
 * something came. */
static int open_bell(void *out, struct error *err)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);

	if (fd < 0)
		return err_sys(err, "open a route netlink socket for link events");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err_sys(err, "subscribe to link events");
		close(fd);
		return -1;
	}
	*(int *)out = fd;
	return 0;
}

static bool same_netns(int netns_fd)
{
	struct stat a, b;

	return fstat(netns_fd, &a) == 0 && stat("/proc/thread-self/ns/net", &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Runs open(out) in the namespace nl acts in, which need not be the
 * caller's. */
static int open_beside(struct nl *nl, int (*fn)(void *out, struct error *err), void *out,
		       struct error *err)
{
	_cleanup_close_ int ns = ioctl(nl_socket_get_fd(nl->sk), SIOCGSKNS);

	if (ns < 0)
		return err_sys(err, "find the network namespace of a netlink socket");
	if (same_netns(ns))
		return fn(out, err);
	return open_netns(ns, fn, out, err);
}

int nl_bell_open(struct nl *nl, int *out, struct error *err)
{
	*out = -1;
	return open_beside(nl, open_bell, out, err);
}

int nl_bell_silence(int bell, struct error *err)
{
	char buf[8192];

	for (;;) {
		/* ENOBUFS says notifications were lost: a ring all the same. */
		if (recv(bell, buf, sizeof(buf), MSG_DONTWAIT) >= 0 || errno == ENOBUFS ||
		    errno == EINTR)
			continue;
		if (errno == EAGAIN)
			return 0;
		return err_sys(err, "read link events");
	}
}

void nl_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- links ---- */

static int get_link(struct nl *nl, const char *name, struct rtnl_link **out, struct error *err)
{
	int rc;

	*out = NULL;
	if (check_name(name, err) < 0)
		return -1;
	nl->kerr = 0;
	rc = rtnl_link_get_kernel(nl->sk, 0, name, out);
	if (rc < 0)
		return nl_fail(nl, rc, err, "link '%s'", name);
	return 0;
}

static void link_putp(struct rtnl_link **l)
{
	if (*l != NULL)
		rtnl_link_put(*l);
}
#define _cleanup_link_ __attribute__((cleanup(link_putp)))

int nl_link_index(struct nl *nl, const char *name, int *ifindex, struct error *err)
{
	_cleanup_link_ struct rtnl_link *l = NULL;

	if (get_link(nl, name, &l, err) < 0)
		return -1;
	*ifindex = rtnl_link_get_ifindex(l);
	return 0;
}

/* Applies the attributes set in ch to link name. */
static int change_link(struct nl *nl, const char *name, struct rtnl_link *ch, const char *what,
		       struct error *err)
{
	_cleanup_link_ struct rtnl_link *orig = NULL;
	int rc;

	if (get_link(nl, name, &orig, err) < 0)
		return err_prefix(err, "%s", what);
	nl->kerr = 0;
	rc = rtnl_link_change(nl->sk, orig, ch, 0);
	if (rc < 0)
		return nl_fail(nl, rc, err, "%s", what);
	return 0;
}

static struct rtnl_link *link_alloc(void)
{
	struct rtnl_link *l = rtnl_link_alloc();

	if (l == NULL)
		abort();
	return l;
}

/* flags: IFF_UP or 0, the state the link is created in. */
static struct nl_msg *newlink_msg(const char *name, unsigned flags)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_flags = flags, .ifi_change = IFF_UP };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);

	if (msg == NULL || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, name) < 0)
		abort();
	return msg;
}

static int send_sync(struct nl *nl, struct nl_msg *msg)
{
	nl->kerr = 0;
	/* Frees msg whatever happens. */
	return nl_send_sync(nl->sk, msg);
}

int nl_bridge_add(struct nl *nl, const char *name, const uint8_t *mac, int stp, int delay_s,
		  struct error *err)
{
	struct nl_msg *msg;
	struct nlattr *info, *data;
	int rc;

	if (check_name(name, err) < 0)
		return err_prefix(err, "create bridge");
	msg = newlink_msg(name, 0);
	if (mac != NULL && nla_put(msg, IFLA_ADDRESS, 6, mac) < 0)
		abort();
	/* libnl 3.7 has no setters for bridge options: the attributes are
	 * put by hand, forward delay first as the kernel applies them. */
	if ((info = nla_nest_start(msg, IFLA_LINKINFO)) == NULL ||
	    nla_put_string(msg, IFLA_INFO_KIND, "bridge") < 0 ||
	    (data = nla_nest_start(msg, IFLA_INFO_DATA)) == NULL)
		abort();
	if (delay_s >= 0 && nla_put_u32(msg, IFLA_BR_FORWARD_DELAY, (uint32_t)delay_s * 100) < 0)
		abort();
	if (stp >= 0 && nla_put_u32(msg, IFLA_BR_STP_STATE, stp ? 1 : 0) < 0)
		abort();
	nla_nest_end(msg, data);
	nla_nest_end(msg, info);
	rc = send_sync(nl, msg);
	if (rc < 0)
		return nl_fail(nl, rc, err, "create bridge '%s'", name);
	return 0;
}

int nl_veth_add(struct nl *nl, const struct nl_veth *v, struct error *err)
{
	struct ifinfomsg peer = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg;
	struct nlattr *info, *data, *pa;
	char what[96];
	int master = 0, rc;

	if (check_name(v->name, err) < 0 || check_name(v->peer, err) < 0)
		return err_prefix(err, "create veth pair");
	if (v->master != NULL && nl_link_index(nl, v->master, &master, err) < 0) {
		snprintf(what, sizeof(what), "attach '%s' to bridge '%s'", v->name, v->master);
		/* "link 'br0': No such device" says less than this. */
		if (err != NULL && err->errnum == ENODEV)
			return err_set(err, ENODEV, "%s: bridge '%s' does not exist", what, v->master);
		return err_prefix(err, "%s", what);
	}
	msg = newlink_msg(v->name, v->up ? IFF_UP : 0);
	if (master != 0 && nla_put_u32(msg, IFLA_MASTER, (uint32_t)master) < 0)
		abort();
	/* Built by hand because libnl's veth object changed its reference
	 * rules between releases; the message itself never did. */
	if ((info = nla_nest_start(msg, IFLA_LINKINFO)) == NULL ||
	    nla_put_string(msg, IFLA_INFO_KIND, "veth") < 0 ||
	    (data = nla_nest_start(msg, IFLA_INFO_DATA)) == NULL ||
	    (pa = nla_nest_start(msg, VETH_INFO_PEER)) == NULL ||
	    nlmsg_append(msg, &peer, sizeof(peer), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, v->peer) < 0)
		abort();
	if (v->peer_mac != NULL && nla_put(msg, IFLA_ADDRESS, 6, v->peer_mac) < 0)
		abort();
	if (v->peer_netns_fd >= 0 && nla_put_u32(msg, IFLA_NET_NS_FD, (uint32_t)v->peer_netns_fd) < 0)
		abort();
	nla_nest_end(msg, pa);
	nla_nest_end(msg, data);
	nla_nest_end(msg, info);
	rc = send_sync(nl, msg);
	if (rc < 0)
		return nl_fail(nl, rc, err, "create veth pair '%s' <-> '%s'", v->name, v->peer);
	return 0;
}

int nl_link_delete(struct nl *nl, const char *name, struct error *err)
{
	_cleanup_link_ struct rtnl_link *l = NULL;
	int rc;

	if (check_name(name, err) < 0)
		return err_prefix(err, "delete link");
	l = link_alloc();
	rtnl_link_set_name(l, name);
	nl->kerr = 0;
	rc = rtnl_link_delete(nl->sk, l);
	if (rc < 0)
		return nl_fail(nl, rc, err, "delete link '%s'", name);
	return 0;
}

int nl_link_set_up(struct nl *nl, const char *name, bool up, struct error *err)
{
	_cleanup_link_ struct rtnl_link *ch = link_alloc();
	char what[64];

	snprintf(what, sizeof(what), "set '%s' %s", name, up ? "up" : "down");
	if (up)
		rtnl_link_set_flags(ch, IFF_UP);
	else
		rtnl_link_unset_flags(ch, IFF_UP);
	return change_link(nl, name, ch, what, err);
}

/* ---- deleting in the background ---- */

struct nl_delete {
	pthread_t thread;
	struct nl *nl; /* the thread's own: a libnl socket is for one thread */
	int ifindex;
	int done; /* eventfd, written as the thread ends */
	int rc;
	struct error err;
};

static void *delete_link(void *arg)
{
	struct nl_delete *d = arg;
	_cleanup_link_ struct rtnl_link *l = link_alloc();
	int rc;

	rtnl_link_set_ifindex(l, d->ifindex);
	d->nl->kerr = 0;
	rc = rtnl_link_delete(d->nl->sk, l);
	if (rc < 0) {
		nl_fail(d->nl, rc, &d->err, "delete link %d", d->ifindex);
		if (d->err.errnum == ENODEV)
			err_clear(&d->err);
		else
			d->rc = -1;
	}
	eventfd_write(d->done, 1);
	return NULL;
}

static void delete_free(struct nl_delete *d)
{
	nl_free(d->nl);
	if (d->done >= 0)
		close(d->done);
	err_clear(&d->err);
	free(d);
}

int nl_link_delete_start(struct nl *nl, int ifindex, struct nl_delete **out, struct error *err)
{
	struct nl_delete *d = xcalloc(1, sizeof(*d));
	int rc;

	*out = NULL;
	d->ifindex = ifindex;
	d->done = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->done < 0) {
		err_sys(err, "delete link %d: eventfd", ifindex);
		delete_free(d);
		return -1;
	}
	if (open_beside(nl, open_nl, &d->nl, err) < 0) {
		err_prefix(err, "delete link %d", ifindex);
		delete_free(d);
		return -1;
	}
	rc = pthread_create(&d->thread, NULL, delete_link, d);
	if (rc != 0) {
		err_set(err, rc, "delete link %d: start a thread", ifindex);
		delete_free(d);
		return -1;
	}
	*out = d;
	return 0;
}

int nl_delete_fd(const struct nl_delete *d)
{
	return d->done;
}

int nl_delete_join(struct nl_delete *d, struct error *err)
{
	int rc;

	pthread_join(d->thread, NULL);
	rc = d->rc;
	if (rc < 0 && err != NULL) {
		err_clear(err);
		*err = d->err;
		d->err = (struct error)ERROR_INIT;
	}
	delete_free(d);
	return rc;
}

/* ---- addresses and routes ---- */

static void addr_putp(struct nl_addr **a)
{
	if (*a != NULL)
		nl_addr_put(*a);
}
#define _cleanup_nladdr_ __attribute__((cleanup(addr_putp)))

/* An IPv4 or IPv6 address (no prefix) as libnl's object. */
static int parse_ip(const char *s, int prefix, struct nl_addr **out, struct error *err)
{
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} bin;
	int family;

	if (inet_pton(AF_INET, s, &bin.v4) == 1)
		family = AF_INET;
	else if (inet_pton(AF_INET6, s, &bin.v6) == 1)
		family = AF_INET6;
	else
		return err_set(err, EINVAL, "'%s' is not an IP address", s);
	if (prefix < 0 || prefix > (family == AF_INET ? 32 : 128))
		return err_set(err, EINVAL, "'%s/%d': prefix out of range", s, prefix);
	*out = nl_addr_build(family, &bin, family == AF_INET ? 4 : 16);
	if (*out == NULL)
		abort();
	nl_addr_set_prefixlen(*out, prefix);
	return 0;
}

int nl_addr_add(struct nl *nl, const char *name, const char *address, int prefix,
		struct error *err)
{
	_cleanup_nladdr_ struct nl_addr *local = NULL;
	struct rtnl_addr *a;
	int idx, rc;

	if (parse_ip(address, prefix, &local, err) < 0 || nl_link_index(nl, name, &idx, err) < 0)
		return err_prefix(err, "add address %s/%d to '%s'", address, prefix, name);
	a = rtnl_addr_alloc();
	if (a == NULL)
		abort();
	rtnl_addr_set_ifindex(a, idx);
	rtnl_addr_set_local(a, local);
	rtnl_addr_set_prefixlen(a, prefix);
	nl->kerr = 0;
	rc = rtnl_addr_add(nl->sk, a, NLM_F_EXCL);
	rtnl_addr_put(a);
	if (rc < 0)
		return nl_fail(nl, rc, err, "add address %s/%d to '%s'", address, prefix, name);
	return 0;
}

int nl_route_add(struct nl *nl, const char *name, const char *dst, int prefix,
		 const char *gateway, struct error *err)
{
	_cleanup_nladdr_ struct nl_addr *d = NULL;
	_cleanup_nladdr_ struct nl_addr *gw = NULL;
	struct rtnl_route *r;
	struct rtnl_nexthop *nh;
	char what[160];
	int idx, rc, family;

	if (dst != NULL)
		snprintf(what, sizeof(what), "add route to %s/%d via %s on '%s'", dst, prefix,
			 gateway ? gateway : "link", name);
	else
		snprintf(what, sizeof(what), "add default route via %s on '%s'",
			 gateway ? gateway : "link", name);
	if (gateway != NULL && parse_ip(gateway, 0, &gw, err) < 0)
		return err_prefix(err, "%s", what);
	if (dst != NULL) {
		if (parse_ip(dst, prefix, &d, err) < 0)
			return err_prefix(err, "%s", what);
	} else {
		static const uint8_t zero[16];
		if (gw == NULL)
			return err_set(err, EINVAL, "%s: a default route needs a gateway", what);
		family = nl_addr_get_family(gw);
		d = nl_addr_build(family, zero, family == AF_INET ? 4 : 16);
		if (d == NULL)
			abort();
		nl_addr_set_prefixlen(d, 0);
	}
	family = nl_addr_get_family(d);
	if (gw != NULL && nl_addr_get_family(gw) != family)
		return err_set(err, EINVAL, "%s: gateway and destination differ in family", what);
	if (nl_link_index(nl, name, &idx, err) < 0)
		return err_prefix(err, "%s", what);

	r = rtnl_route_alloc();
	nh = rtnl_route_nh_alloc();
	if (r == NULL || nh == NULL)
		abort();
	rtnl_route_set_family(r, (uint8_t)family);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_protocol(r, RTPROT_STATIC);
	rtnl_route_set_type(r, RTN_UNICAST);
	rtnl_route_set_scope(r, gw != NULL ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
	rtnl_route_set_dst(r, d);
	rtnl_route_nh_set_ifindex(nh, idx);
	if (gw != NULL)
		rtnl_route_nh_set_gateway(nh, gw);
	rtnl_route_add_nexthop(r, nh); /* r owns nh now */
	nl->kerr = 0;
	rc = rtnl_route_add(nl->sk, r, NLM_F_EXCL);
	rtnl_route_put(r);
	if (rc < 0)
		return nl_fail(nl, rc, err, "%s", what);
	return 0;
}

/* ---- reading ---- */

int nl_link_exists(struct nl *nl, const char *name, struct error *err)
{
	_cleanup_link_ struct rtnl_link *l = NULL;
	int rc;

	if (check_name(name, err) < 0)
		return -1;
	nl->kerr = 0;
	rc = rtnl_link_get_kernel(nl->sk, 0, name, &l);
	if (rc >= 0)
		return 1;
	if (nl->kerr == ENODEV || (nl->kerr == 0 && nle_errno(rc) == ENODEV))
		return 0;
	return nl_fail(nl, rc, err, "look up link '%s'", name);
}

int nl_link_index_exists(struct nl *nl, int ifindex, struct error *err)
{
	_cleanup_link_ struct rtnl_link *l = NULL;
	int rc;

	nl->kerr = 0;
	rc = rtnl_link_get_kernel(nl->sk, ifindex, NULL, &l);
	if (rc >= 0)
		return 1;
	if (nl->kerr == ENODEV || (nl->kerr == 0 && nle_errno(rc) == ENODEV))
		return 0;
	return nl_fail(nl, rc, err, "look up link %d", ifindex);
}

int nl_link_info(struct nl *nl, const char *name, struct nl_link_info *out, struct error *err)
{
	_cleanup_link_ struct rtnl_link *l = NULL;
	struct nl_addr *a;
	const char *kind;

	memset(out, 0, sizeof(*out));
	if (get_link(nl, name, &l, err) < 0)
		return -1;
	snprintf(out->name, sizeof(out->name), "%s", rtnl_link_get_name(l));
	out->ifindex = rtnl_link_get_ifindex(l);
	out->master = rtnl_link_get_master(l);
	out->up = (rtnl_link_get_flags(l) & IFF_UP) != 0;
	out->running = (rtnl_link_get_flags(l) & IFF_RUNNING) != 0;
	out->mtu = rtnl_link_get_mtu(l);
	a = rtnl_link_get_addr(l);
	if (a != NULL && nl_addr_get_len(a) == 6)
		memcpy(out->mac, nl_addr_get_binary_addr(a), 6);
	kind = rtnl_link_get_type(l);
	snprintf(out->kind, sizeof(out->kind), "%s", kind ? kind : "");
	return 0;
}

int nl_link_stats(struct nl *nl, const char *name, struct nl_link_stats *out, struct error *err)
{
	_cleanup_link_ struct rtnl_link *l = NULL;

	memset(out, 0, sizeof(*out));
	if (get_link(nl, name, &l, err) < 0)
		return err_prefix(err, "read counters");
	out->rx_bytes = rtnl_link_get_stat(l, RTNL_LINK_RX_BYTES);
	out->rx_packets = rtnl_link_get_stat(l, RTNL_LINK_RX_PACKETS);
	out->rx_errors = rtnl_link_get_stat(l, RTNL_LINK_RX_ERRORS);
	out->rx_dropped = rtnl_link_get_stat(l, RTNL_LINK_RX_DROPPED);
	out->tx_bytes = rtnl_link_get_stat(l, RTNL_LINK_TX_BYTES);
	out->tx_packets = rtnl_link_get_stat(l, RTNL_LINK_TX_PACKETS);
	out->tx_errors = rtnl_link_get_stat(l, RTNL_LINK_TX_ERRORS);
	out->tx_dropped = rtnl_link_get_stat(l, RTNL_LINK_TX_DROPPED);
	return 0;
}

static void cache_freep(struct nl_cache **c)
{
	if (*c != NULL)
		nl_cache_free(*c);
}
#define _cleanup_cache_ __attribute__((cleanup(cache_freep)))

int nl_link_list(struct nl *nl, char ***names, size_t *n, struct error *err)
{
	_cleanup_cache_ struct nl_cache *cache = NULL;
	char **v = NULL;
	size_t cnt = 0;
	int rc;

	*names = NULL;
	*n = 0;
	nl->kerr = 0;
	rc = rtnl_link_alloc_cache(nl->sk, AF_UNSPEC, &cache);
	if (rc < 0)
		return nl_fail(nl, rc, err, "list links");
	for (struct nl_object *o = nl_cache_get_first(cache); o != NULL; o = nl_cache_get_next(o)) {
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		v[cnt++] = xstrdup(rtnl_link_get_name((struct rtnl_link *)o));
	}
	*names = v;
	*n = cnt;
	return 0;
}

static void fmt_addr(struct nl_addr *a, bool with_prefix, char *buf, size_t size)
{
	char tmp[INET6_ADDRSTRLEN] = "";

	if (a == NULL) {
		buf[0] = '\0';
		return;
	}
	inet_ntop(nl_addr_get_family(a), nl_addr_get_binary_addr(a), tmp, sizeof(tmp));
	if (with_prefix)
		snprintf(buf, size, "%s/%u", tmp, nl_addr_get_prefixlen(a));
	else
		snprintf(buf, size, "%s", tmp);
}

int nl_addr_list(struct nl *nl, const char *name, char ***addrs, size_t *n, struct error *err)
{
	_cleanup_cache_ struct nl_cache *cache = NULL;
	char **v = NULL;
	size_t cnt = 0;
	int idx, rc;

	*addrs = NULL;
	*n = 0;
	if (nl_link_index(nl, name, &idx, err) < 0)
		return err_prefix(err, "list addresses");
	nl->kerr = 0;
	rc = rtnl_addr_alloc_cache(nl->sk, &cache);
	if (rc < 0)
		return nl_fail(nl, rc, err, "list addresses of '%s'", name);
	for (struct nl_object *o = nl_cache_get_first(cache); o != NULL; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		char buf[INET6_ADDRSTRLEN + 8];

		if (rtnl_addr_get_ifindex(a) != idx)
			continue;
		fmt_addr(rtnl_addr_get_local(a), false, buf, sizeof(buf));
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		v[cnt++] = xasprintf("%s/%d", buf, rtnl_addr_get_prefixlen(a));
	}
	*addrs = v;
	*n = cnt;
	return 0;
}

int nl_route_list(struct nl *nl, int family, struct nl_route **routes, size_t *n,
		  struct error *err)
{
	_cleanup_cache_ struct nl_cache *cache = NULL;
	_cleanup_cache_ struct nl_cache *links = NULL;
	struct nl_route *v = NULL;
	size_t cnt = 0;
	int rc;

	*routes = NULL;
	*n = 0;
	nl->kerr = 0;
	/* Interface names come from this socket's namespace, which need not
	 * be the caller's: if_indextoname would look in the wrong one. */
	rc = rtnl_link_alloc_cache(nl->sk, AF_UNSPEC, &links);
	if (rc >= 0)
		rc = rtnl_route_alloc_cache(nl->sk, family, 0, &cache);
	if (rc < 0)
		return nl_fail(nl, rc, err, "list routes");
	for (struct nl_object *o = nl_cache_get_first(cache); o != NULL; o = nl_cache_get_next(o)) {
		struct rtnl_route *r = (struct rtnl_route *)o;
		struct nl_addr *dst = rtnl_route_get_dst(r);
		struct nl_route e = { .family = rtnl_route_get_family(r) };

		if (rtnl_route_get_table(r) != RT_TABLE_MAIN || rtnl_route_get_type(r) != RTN_UNICAST)
			continue;
		if (dst == NULL || nl_addr_get_prefixlen(dst) == 0)
			snprintf(e.dst, sizeof(e.dst), "default");
		else
			fmt_addr(dst, true, e.dst, sizeof(e.dst));
		if (rtnl_route_get_nnexthops(r) == 1) {
			struct rtnl_nexthop *nh = rtnl_route_nexthop_n(r, 0);
			fmt_addr(rtnl_route_nh_get_gateway(nh), false, e.gateway, sizeof(e.gateway));
			rtnl_link_i2name(links, rtnl_route_nh_get_ifindex(nh), e.dev, sizeof(e.dev));
		}
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		v[cnt++] = e;
	}
	*routes = v;
	*n = cnt;
	return 0;
}
