/* Whole-file reads with a size cap, and atomic replacement of a file. */
#ifndef CORRAL_LIB_FILE_H
#define CORRAL_LIB_FILE_H

#include <stddef.h>
#include <sys/types.h>

struct error;

/* Reads all of path into a NUL-terminated buffer (*out, *len). A file larger
 * than max bytes is an error (EFBIG), so outside input cannot exhaust memory. */
int file_read_all(const char *path, size_t max, char **out, size_t *len, struct error *err);

/* Replaces path with data so that a crash at any point leaves either the old
 * file whole or the new one whole: a temp file in the same directory, fsync,
 * rename over path, fsync of the directory. */
int file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
		      struct error *err);

/* Atomic but not durable: readers see the old content or the new, never a
 * mix, but after a power cut the file may be empty or gone. For runtime
 * state under /run, which a reboot discards anyway: fsync there costs
 * milliseconds on every container start. */
int file_write_replace(const char *path, const void *data, size_t len, mode_t mode,
		       struct error *err);

/* The two halves of file_write_atomic, apart so that a test can stop between
 * them as a crash would. file_write_temp leaves a synced ".NAME.XXXXXX" beside
 * path and returns its name in *tmp_out; file_commit_temp renames it over
 * path and syncs the directory. */
int file_write_temp(const char *path, const void *data, size_t len, mode_t mode,
		    char **tmp_out, struct error *err);
int file_commit_temp(const char *tmp, const char *path, struct error *err);

/* Another corral program: beside the running one (the build tree), or in
 * ../libexec/corral from its folder once installed; NULL when neither has
 * it. */
char *file_find_companion(const char *name);

/* mkdir -p with the given mode for the directories it creates. */
int file_mkdir_p(const char *path, mode_t mode, struct error *err);

#endif
