/* A terminal pane: a libvterm emulator fed with a container's console
 * stream, tracking what needs redrawing, and turning keys into bytes for the
 * container. Drawing lives in pane-draw.h. */
#ifndef CORRAL_CONSOLE_PANE_H
#define CORRAL_CONSOLE_PANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vterm.h>
#include <wchar.h>

struct confr_frame;
struct error;
struct sb;

/* Bytes for the container: key presses and the emulator's replies. */
typedef void pane_output_fn(const char *bytes, size_t len, void *arg);

struct pane_opts {
	int id;            /* names the pane in logs */
	int rows, cols;
	size_t sb_lines;   /* scrollback budget in lines */
	size_t input_high; /* unparsed bytes that stop pane_wants_input; 0: 256 KiB */
	pane_output_fn *output;
	void *output_arg;
};

/* What changed since pane_take_changes last asked. */
enum pane_change {
	PANE_CH_DAMAGE = 1 << 0, /* some rows need redrawing */
	PANE_CH_CURSOR = 1 << 1, /* moved, shown or hidden */
	PANE_CH_TITLE = 1 << 2,
	PANE_CH_BELL = 1 << 3,
	PANE_CH_SCREEN = 1 << 4, /* alternate screen entered or left, reset */
};

/* Same values as VTermModifier. */
enum pane_mod { PANE_MOD_SHIFT = 1, PANE_MOD_ALT = 2, PANE_MOD_CTRL = 4 };

struct pane_stats {
	uint64_t parsed;          /* bytes through the emulator */
	uint64_t damage_calls;    /* libvterm damage callbacks */
	uint64_t moverect_calls;  /* libvterm moverect (scroll) callbacks */
	uint64_t discarded;       /* reply bytes dropped during replay */
	uint64_t missed;          /* bytes the monitor said we skipped */
	uint64_t dropped;         /* unparsed bytes thrown away on a resync */
};

struct pane *pane_new(const struct pane_opts *opts, struct error *err);
/* who names the holder in the debug log. The last unref frees the pane. */
struct pane *pane_ref(struct pane *p, const char *who);
void pane_unref(struct pane *p, const char *who);
int pane_id(const struct pane *p);

/* Input is queued by pane_feed and parsed by pane_process, at most budget
 * bytes per call, so that a flooding container cannot starve the loop.
 * Returns the bytes parsed. */
void pane_feed(struct pane *p, const void *bytes, size_t len);
size_t pane_process(struct pane *p, size_t budget);
size_t pane_pending(const struct pane *p);
/* False while the unparsed backlog is over input_high: the host stops
 * reading the console socket then, so that a flood piles up in the
 * monitor's ring, which tells us what we missed, instead of here. */
bool pane_wants_input(const struct pane *p);

/* History replay: bytes fed between pane_replay_begin and pane_replay_end
 * are drawn, but what the emulator would answer to them (device attributes,
 * cursor reports) is discarded, so old output can never type into the
 * container. The marks take effect in stream order, when parsing reaches
 * them. */
void pane_replay_begin(struct pane *p);
void pane_replay_end(struct pane *p);
/* True while parsing is inside replayed history. */
bool pane_replaying(const struct pane *p);

/* The monitor skipped n bytes of output: unparsed input is dropped and the
 * terminal reset; the recent tail follows in the stream. */
void pane_missed(struct pane *p, uint64_t n);
/* Full terminal reset (also used on re-attach to a restarted container). */
void pane_reset(struct pane *p);

/* Applies a console stream frame meant for the pane: DATA, HIST_END,
 * MISSED. Returns 1 when taken, 0 when the frame is not the pane's (EVENT,
 * WINSZ) and -1 on a malformed frame. */
int pane_frame(struct pane *p, const struct confr_frame *f, struct error *err);

/* A key from wget_wch: keycode is true when it returned KEY_CODE_YES. The
 * bytes go to the output function, replay or not. Returns -1 for a key code
 * the pane does not know (nothing is sent). */
int pane_key(struct pane *p, bool keycode, wint_t key, unsigned mods);
/* Pasted text, bracketed when the application asked for it. */
void pane_paste(struct pane *p, const char *text, size_t len);

void pane_resize(struct pane *p, int rows, int cols);
void pane_size(const struct pane *p, int *rows, int *cols);

unsigned pane_take_changes(struct pane *p);
/* The title set by OSC 0/2, control characters replaced; "" when none. */
const char *pane_title(const struct pane *p);
void pane_cursor(const struct pane *p, int *row, int *col, bool *visible);
bool pane_altscreen(const struct pane *p);
const struct pane_stats *pane_stats(const struct pane *p);

/* Damage, by row. */
bool pane_row_dirty(const struct pane *p, int row);
void pane_damage_all(struct pane *p);
void pane_damage_clear(struct pane *p);

/* A cell of the visible screen; -1 outside it. */
int pane_cell(const struct pane *p, int row, int col, VTermScreenCell *cell);
/* Plain text of a screen row without trailing blanks, NUL-terminated in
 * buf; returns the length. For tests and search. */
size_t pane_row_text(const struct pane *p, int row, char *buf, size_t size);
const struct sb *pane_scrollback(const struct pane *p);

#endif
