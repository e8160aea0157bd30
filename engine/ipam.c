/* Address leases in a locked, atomically replaced file per network. */
#include "engine/ipam.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "config/network.h"
#include "lib/cleanup.h"
#include "lib/error.h"
#include "lib/file.h"
#include "lib/xmalloc.h"

/* A lease file is a few lines per container; anything far larger is not
 * ours. */
#define LEASES_MAX (4u << 20)

struct span {
	uint32_t start, end; /* host byte order, inclusive */
};

struct ipam {
	char *path;
	char *lock_path;
	char *network;
	uint32_t own; /* the network's address, never leased */
	struct span *pool;
	size_t n_pool;
};

char *ipam_path(const char *run_dir, const char *network)
{
	return xasprintf("%s/.networks/%s.leases", run_dir, network);
}

static void fmt4(uint32_t host_order, char buf[INET_ADDRSTRLEN])
{
	struct in_addr a = { htonl(host_order) };
	inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

int ipam_open(const char *path, const struct network *net, struct ipam **out, struct error *err)
{
	const struct net_ip *ip = net_ipv4(net);
	_cleanup_free_ char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	struct ipam *ipam;

	*out = NULL;
	if (ip == NULL)
		return err_set(err, EINVAL, "network '%s' has no IPv4 <ip> to lease addresses from",
			       net->name);
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (file_mkdir_p(dir, 0755, err) < 0)
			return err_prefix(err, "leases of network '%s'", net->name);
	}
	ipam = xcalloc(1, sizeof(*ipam));
	ipam->path = xstrdup(path);
	ipam->lock_path = xasprintf("%s.lock", path);
	ipam->network = xstrdup(net->name);
	ipam->own = ntohl(ip->addr.v4.s_addr);
	if (ip->n_ranges > 0) {
		ipam->pool = xcalloc(ip->n_ranges, sizeof(*ipam->pool));
		for (size_t i = 0; i < ip->n_ranges; i++)
			ipam->pool[i] = (struct span){ ntohl(ip->ranges[i].start.s_addr),
						       ntohl(ip->ranges[i].end.s_addr) };
		ipam->n_pool = ip->n_ranges;
	} else {
		uint32_t m = ip->prefix == 0 ? 0 : 0xffffffffu << (32 - ip->prefix);
		struct span s = { ipam->own & m, (ipam->own & m) | ~m };
		/* Network and broadcast addresses exist only below /31. */
		if (ip->prefix < 31) {
			s.start++;
			s.end--;
		}
		ipam->pool = xmalloc(sizeof(*ipam->pool));
		ipam->pool[0] = s;
		ipam->n_pool = 1;
	}
	*out = ipam;
	return 0;
}

void ipam_free(struct ipam *ipam)
{
	if (ipam == NULL)
		return;
	free(ipam->path);
	free(ipam->lock_path);
	free(ipam->network);
	free(ipam->pool);
	free(ipam);
}

void ipam_leases_free(struct ipam_lease *leases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(leases[i].owner);
	free(leases);
}

struct table {
	struct ipam_lease *v;
	size_t n;
};

/* Takes the lock for one read-modify-write; a separate lock file because
 * the lease file itself is replaced by rename and a lock on it would stay
 * on the old inode. */
static int lock(struct ipam *ipam, struct error *err)
{
	int fd = open(ipam->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return err_sys(err, "open lock '%s'", ipam->lock_path);
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			err_sys(err, "lock '%s'", ipam->lock_path);
			close(fd);
			return -1;
		}
	}
	return fd;
}

static bool owner_valid(const char *owner)
{
	return owner != NULL && owner[0] != '\0' && strchr(owner, '\n') == NULL;
}

/* Lines "ADDRESS INDEX OWNER"; the owner is last because a domain name may
 * hold spaces. */
static int load(struct ipam *ipam, struct table *t, struct error *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	char *line, *save = NULL;
	int lineno = 0;

	t->v = NULL;
	t->n = 0;
	if (file_read_all(ipam->path, LEASES_MAX, &buf, &len, err) < 0) {
		if ((err != NULL ? err->errnum : errno) == ENOENT) {
			if (err != NULL)
				err_clear(err);
			return 0;
		}
		return -1;
	}
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char addr[INET_ADDRSTRLEN];
		unsigned idx;
		int used = 0;
		struct ipam_lease l;

		lineno++;
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (sscanf(line, "%15s %u %n", addr, &idx, &used) != 2 || used == 0 ||
		    line[used] == '\0' || inet_pton(AF_INET, addr, &l.addr) != 1) {
			ipam_leases_free(t->v, t->n);
			t->v = NULL;
			t->n = 0;
			return err_set(err, EINVAL, "%s:%d: not a lease line (ADDRESS INDEX OWNER)",
				       ipam->path, lineno);
		}
		l.index = idx;
		l.owner = xstrdup(line + used);
		t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
		t->v[t->n++] = l;
	}
	return 0;
}

static int cmp_lease(const void *a, const void *b)
{
	uint32_t x = ntohl(((const struct ipam_lease *)a)->addr.s_addr);
	uint32_t y = ntohl(((const struct ipam_lease *)b)->addr.s_addr);
	return x < y ? -1 : x > y;
}

static int store(struct ipam *ipam, struct table *t, struct error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (f == NULL)
		abort();
	if (t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), cmp_lease);
	fprintf(f, "# corral address leases of network '%s': ADDRESS INDEX OWNER\n", ipam->network);
	for (size_t i = 0; i < t->n; i++) {
		char a[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &t->v[i].addr, a, sizeof(a));
		fprintf(f, "%s %u %s\n", a, t->v[i].index, t->v[i].owner);
	}
	if (fclose(f) != 0)
		abort();
	/* No fsync: the leases live under the runtime dir, which a reboot
	 * empties along with every container they name. */
	rc = file_write_replace(ipam->path, buf, len, 0644, err);
	free(buf);
	return rc;
}

static struct ipam_lease *find_key(struct table *t, const char *owner, unsigned index)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].index == index && strcmp(t->v[i].owner, owner) == 0)
			return &t->v[i];
	return NULL;
}

static struct ipam_lease *find_addr(struct table *t, uint32_t a)
{
	for (size_t i = 0; i < t->n; i++)
		if (ntohl(t->v[i].addr.s_addr) == a)
			return &t->v[i];
	return NULL;
}

static void add(struct table *t, const char *owner, unsigned index, uint32_t a)
{
	t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
	t->v[t->n++] = (struct ipam_lease){ { htonl(a) }, index, xstrdup(owner) };
}

static int pick(struct ipam *ipam, struct table *t, uint32_t *out)
{
	for (size_t s = 0; s < ipam->n_pool; s++) {
		/* 64-bit so that a range ending at 255.255.255.255 ends. */
		for (uint64_t a = ipam->pool[s].start; a <= ipam->pool[s].end; a++) {
			if ((uint32_t)a != ipam->own && find_addr(t, (uint32_t)a) == NULL) {
				*out = (uint32_t)a;
				return 0;
			}
		}
	}
	return -1;
}

static int pool_size_text(struct ipam *ipam, char *buf, size_t size)
{
	char s[INET_ADDRSTRLEN], e[INET_ADDRSTRLEN];

	fmt4(ipam->pool[0].start, s);
	fmt4(ipam->pool[ipam->n_pool - 1].end, e);
	return snprintf(buf, size, "%s to %s", s, e);
}

int ipam_allocate(struct ipam *ipam, const char *owner, unsigned index, struct in_addr *out,
		  struct error *err)
{
	_cleanup_close_ int lk = -1;
	struct table t;
	struct ipam_lease *l;
	uint32_t a;
	int rc = 0;

	if (!owner_valid(owner))
		return err_set(err, EINVAL, "lease an address on network '%s': bad owner name",
			       ipam->network);
	if ((lk = lock(ipam, err)) < 0 || load(ipam, &t, err) < 0)
		return err_prefix(err, "lease an address on network '%s'", ipam->network);
	if ((l = find_key(&t, owner, index)) != NULL) {
		*out = l->addr;
	} else if (pick(ipam, &t, &a) < 0) {
		char range[64];
		pool_size_text(ipam, range, sizeof(range));
		rc = err_set(err, ENOSPC, "lease an address on network '%s': all %zu addresses of %s "
					  "are taken; widen its <dhcp><range> or stop a container",
			     ipam->network, t.n, range);
	} else {
		add(&t, owner, index, a);
		rc = store(ipam, &t, err);
		if (rc < 0)
			err_prefix(err, "lease an address on network '%s'", ipam->network);
		else
			out->s_addr = htonl(a);
	}
	ipam_leases_free(t.v, t.n);
	return rc;
}

int ipam_reserve(struct ipam *ipam, const char *owner, unsigned index, struct in_addr addr,
		 struct error *err)
{
	_cleanup_close_ int lk = -1;
	uint32_t a = ntohl(addr.s_addr);
	char as[INET_ADDRSTRLEN];
	struct table t;
	struct ipam_lease *l;
	int rc = 0;

	fmt4(a, as);
	if (!owner_valid(owner))
		return err_set(err, EINVAL, "reserve %s on network '%s': bad owner name", as,
			       ipam->network);
	if (a == ipam->own)
		return err_set(err, EADDRINUSE, "reserve %s on network '%s': it is the network's own "
						"address", as, ipam->network);
	if ((lk = lock(ipam, err)) < 0 || load(ipam, &t, err) < 0)
		return err_prefix(err, "reserve %s on network '%s'", as, ipam->network);
	l = find_addr(&t, a);
	if (l != NULL && (l->index != index || strcmp(l->owner, owner) != 0)) {
		rc = err_set(err, EADDRINUSE, "reserve %s on network '%s': interface %u of '%s' "
					      "holds it", as, ipam->network, l->index, l->owner);
	} else if (l == NULL) {
		/* A key holds one address: a new fixed one replaces its lease. */
		if ((l = find_key(&t, owner, index)) != NULL)
			l->addr = addr;
		else
			add(&t, owner, index, a);
		if ((rc = store(ipam, &t, err)) < 0)
			err_prefix(err, "reserve %s on network '%s'", as, ipam->network);
	}
	ipam_leases_free(t.v, t.n);
	return rc;
}

int ipam_release(struct ipam *ipam, const char *owner, struct error *err)
{
	_cleanup_close_ int lk = -1;
	struct table t;
	size_t kept = 0, before;
	int rc = 0;

	if ((lk = lock(ipam, err)) < 0 || load(ipam, &t, err) < 0)
		return err_prefix(err, "release the leases of '%s' on network '%s'", owner,
				  ipam->network);
	before = t.n;
	for (size_t i = 0; i < t.n; i++) {
		if (strcmp(t.v[i].owner, owner) == 0)
			free(t.v[i].owner);
		else
			t.v[kept++] = t.v[i];
	}
	t.n = kept;
	if (kept != before && (rc = store(ipam, &t, err)) < 0)
		err_prefix(err, "release the leases of '%s' on network '%s'", owner, ipam->network);
	ipam_leases_free(t.v, t.n);
	return rc;
}

int ipam_list(struct ipam *ipam, struct ipam_lease **leases, size_t *n, struct error *err)
{
	_cleanup_close_ int lk = -1;
	struct table t;

	*leases = NULL;
	*n = 0;
	if ((lk = lock(ipam, err)) < 0 || load(ipam, &t, err) < 0)
		return err_prefix(err, "list the leases of network '%s'", ipam->network);
	if (t.n > 1)
		qsort(t.v, t.n, sizeof(*t.v), cmp_lease);
	*leases = t.v;
	*n = t.n;
	return 0;
}
