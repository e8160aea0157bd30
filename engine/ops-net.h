/* Network operations of the control protocol (net-list, net-define,
 * net-undefine, net-start, net-destroy, net-autostart, net-dumpxml,
 * net-info) for the operations table in ops.c, and the interfaces a
 * running domain's dominfo shows. */
#ifndef CORRAL_ENGINE_OPS_NET_H
#define CORRAL_ENGINE_OPS_NET_H

#include <jansson.h>

#include "engine/ops.h"

struct error;
struct reg_domain;

/* Each adds its results to reply and returns 0, or a negative errno with
 * err filled. Requests name the network with "name". */
int opn_list(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err);
int opn_define(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err);
int opn_undefine(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err);
int opn_start(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err);
/* "force": true destroys a network that running containers use. */
int opn_destroy(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err);
int opn_autostart(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err);
int opn_dumpxml(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err);
int opn_info(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err);

/* A running domain's interface counters as its container sees them
 * (virsh domifstat): "interfaces":[{"name","host_dev","rx_bytes",…}]. */
int opn_domifstat(struct ops_ctx *ctx, json_t *req, json_t *reply, struct error *err);

/* "interfaces" for a domain's dominfo: what its monitor reported, [] when
 * it is not running. */
void opn_dominfo(struct ops_ctx *ctx, const struct reg_domain *d, json_t *info);

#endif
