/* A monitor that waits, already running, to be told its container. */
#ifndef CORRAL_ENGINE_MONITOR_STANDBY_H
#define CORRAL_ENGINE_MONITOR_STANDBY_H

struct error;

/* Reads the engine's one line {"name":…,"id":…} from fd, and nothing
 * after it: 1 with *name (to free) and *id set, 0 when the engine closed
 * the connection first (it needs no more monitors), -1 on a bad line. */
int standby_await(int fd, char **name, int *id, struct error *err);

/* Makes ps and pgrep show the command line a monitor started for name
 * would have had: argv with "--standby" replaced by "--name NAME --id ID",
 * cut short if the arguments and environment leave too little room. The
 * strings of argv are overwritten: nothing may point into them after. */
void standby_retitle(int argc, char **argv, const char *name, int id);

#endif
