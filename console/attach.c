/* Raw attach: the console stream client behind `corral console`. */
#include "console/attach.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "engine/confr.h"
#include "engine/usock.h"
#include "lib/error.h"
#include "lib/log.h"

#define ATTACH_CHUNK 4096

struct attach {
	const struct attach_opts *o;
	int sock;
	int sigfd;
	bool tty;
	bool masked; /* oldmask holds the signal mask to restore */
	bool raw;    /* saved holds the terminal's settings to restore */
	struct termios saved;
	sigset_t oldmask;
	struct confr_dec dec;
	bool hist_done; /* the replay is over: quiet from here on means quiet */
	bool in_eof;
	long long quiet_since; /* last output or end of input, in ms */
	bool done;
	enum attach_end end;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int send_frame(struct attach *a, enum confr_type type, const void *payload, uint32_t len,
		      struct error *err)
{
	uint8_t hdr[CONFR_HDR];
	struct iovec iov[2] = { { hdr, CONFR_HDR }, { (void *)payload, len } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = len > 0 ? 2 : 1 };
	size_t left = CONFR_HDR + len;

	confr_header(hdr, type, len);
	while (left > 0) {
		ssize_t w = sendmsg(a->sock, &msg, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return err_sys(err, "console of '%s'", a->o->name);
		left -= (size_t)w;
		/* Skip what was sent across the two pieces. */
		while (msg.msg_iovlen > 0 && (size_t)w >= msg.msg_iov[0].iov_len) {
			w -= (ssize_t)msg.msg_iov[0].iov_len;
			msg.msg_iov++;
			msg.msg_iovlen--;
		}
		if (msg.msg_iovlen > 0) {
			msg.msg_iov[0].iov_base = (char *)msg.msg_iov[0].iov_base + w;
			msg.msg_iov[0].iov_len -= (size_t)w;
		}
	}
	return 0;
}

static int send_winsize(struct attach *a, struct error *err)
{
	struct winsize ws;
	uint8_t p[4];

	if (ioctl(a->o->in_fd, TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0 || ws.ws_col == 0)
		return 0;
	confr_put_u16(p, ws.ws_row);
	confr_put_u16(p + 2, ws.ws_col);
	return send_frame(a, CONFR_WINSZ, p, sizeof(p), err);
}

/* Notices share the terminal in raw mode, so they carry their own \r. */
static void notice(struct attach *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notice(struct attach *a, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	if (a->tty) {
		write_all(a->o->out_fd, "\r\n", 2);
		write_all(a->o->out_fd, buf, (size_t)n);
		write_all(a->o->out_fd, "\r\n", 2);
	} else {
		write_all(a->o->notice_fd, buf, (size_t)n);
		write_all(a->o->notice_fd, "\n", 1);
	}
}

static void finish(struct attach *a, enum attach_end end)
{
	if (!a->done) {
		a->done = true;
		a->end = end;
	}
}

static void on_event(struct attach *a, const uint8_t *text, uint32_t len)
{
	int n = len > 200 ? 200 : (int)len;

	if (len >= 8 && memcmp(text, "stopped ", 8) == 0) {
		notice(a, "Domain '%s' stopped (%.*s)", a->o->name, n - 8, (const char *)text + 8);
		finish(a, ATTACH_STOPPED);
	} else {
		notice(a, "Domain '%s' %.*s", a->o->name, n, (const char *)text);
	}
}

static int on_console(struct attach *a, struct error *err)
{
	uint8_t buf[16384];
	struct confr_frame f;
	ssize_t n;
	int rc;

	n = read(a->sock, buf, sizeof(buf));
	if (n < 0 && errno == EINTR)
		return 0;
	if (n < 0)
		return err_sys(err, "console of '%s'", a->o->name);
	if (n == 0) {
		finish(a, ATTACH_CLOSED);
		return 0;
	}
	a->quiet_since = now_ms();
	confr_dec_feed(&a->dec, buf, (size_t)n);
	while ((rc = confr_dec_next(&a->dec, &f)) == 1) {
		switch (f.type) {
		case CONFR_DATA:
			if (write_all(a->o->out_fd, f.payload, f.len) < 0)
				return err_sys(err, "write console output");
			break;
		case CONFR_MISSED:
			if (f.len >= 8)
				notice(a, "[%llu bytes of output skipped]",
				       (unsigned long long)confr_get_u64(f.payload));
			break;
		case CONFR_EVENT:
			on_event(a, f.payload, f.len);
			break;
		case CONFR_HIST_END:
			a->hist_done = true;
			break;
		default:
			break;
		}
	}
	if (rc < 0)
		return err_set(err, EPROTO, "console of '%s': corrupt stream", a->o->name);
	return 0;
}

static int on_input(struct attach *a, struct error *err)
{
	uint8_t buf[ATTACH_CHUNK];
	ssize_t n = read(a->o->in_fd, buf, sizeof(buf));
	size_t len;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n < 0 && !a->tty)
		return err_sys(err, "read input");
	if (n <= 0) {
		/* A terminal that hangs up has no one left to show output to. */
		if (a->tty)
			finish(a, ATTACH_DETACHED);
		a->in_eof = true;
		a->quiet_since = now_ms();
		return 0;
	}
	len = (size_t)n;
	if (a->tty) {
		uint8_t *esc = memchr(buf, ATTACH_ESCAPE, len);
		if (esc != NULL) {
			len = (size_t)(esc - buf);
			finish(a, ATTACH_DETACHED);
		}
	}
	return len > 0 ? send_frame(a, CONFR_DATA, buf, (uint32_t)len, err) : 0;
}

static int on_signal(struct attach *a, struct error *err)
{
	struct signalfd_siginfo si;

	while (read(a->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGWINCH) {
			if (send_winsize(a, err) < 0)
				return -1;
		} else if (si.ssi_signo != SIGPIPE) {
			finish(a, ATTACH_SIGNAL);
		}
	}
	return 0;
}

static int setup(struct attach *a, struct error *err)
{
	sigset_t set;
	struct termios raw;

	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	/* A closed stdout then fails the write instead of killing us raw. */
	sigaddset(&set, SIGPIPE);
	if (sigprocmask(SIG_BLOCK, &set, &a->oldmask) < 0)
		return err_sys(err, "sigprocmask");
	a->masked = true;
	a->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (a->sigfd < 0)
		return err_sys(err, "signalfd");
	a->sock = usock_connect(a->o->sock_path, err);
	if (a->sock < 0)
		return err_prefix(err, "console of '%s'", a->o->name);
	if (!a->tty)
		return 0;
	if (tcgetattr(a->o->in_fd, &a->saved) < 0)
		return err_sys(err, "tcgetattr");
	raw = a->saved;
	cfmakeraw(&raw);
	if (tcsetattr(a->o->in_fd, TCSAFLUSH, &raw) < 0)
		return err_sys(err, "tcsetattr");
	a->raw = true;
	return 0;
}

static void teardown(struct attach *a)
{
	if (a->raw) {
		write_all(a->o->out_fd, "\r\n", 2);
		tcsetattr(a->o->in_fd, TCSAFLUSH, &a->saved);
	}
	if (a->sock >= 0)
		close(a->sock);
	if (a->sigfd >= 0) {
		struct signalfd_siginfo si;
		/* Signals taken here must not act once unblocked. */
		while (read(a->sigfd, &si, sizeof(si)) == sizeof(si))
			;
		close(a->sigfd);
	}
	if (a->masked)
		sigprocmask(SIG_SETMASK, &a->oldmask, NULL);
	confr_dec_free(&a->dec);
}

static int poll_timeout(const struct attach *a)
{
	long long left;

	if (a->tty || !a->in_eof || !a->hist_done)
		return -1;
	left = a->quiet_since + a->o->idle_ms - now_ms();
	return left > 0 ? (int)left : 0;
}

static int loop(struct attach *a, struct error *err)
{
	while (!a->done) {
		struct pollfd pfd[3] = {
			{ .fd = a->sock, .events = POLLIN },
			{ .fd = a->sigfd, .events = POLLIN },
			{ .fd = a->in_eof ? -1 : a->o->in_fd, .events = POLLIN },
		};
		int timeout = poll_timeout(a);
		int rc = poll(pfd, 3, timeout);

		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return err_sys(err, "poll");
		if (rc == 0 && timeout >= 0) {
			finish(a, ATTACH_IDLE);
			break;
		}
		if (pfd[1].revents && on_signal(a, err) < 0)
			return -1;
		if (pfd[0].revents && on_console(a, err) < 0)
			return -1;
		if (!a->done && pfd[2].revents && on_input(a, err) < 0)
			return -1;
	}
	return 0;
}

int attach_run(const struct attach_opts *o, enum attach_end *end, struct error *err)
{
	struct attach a = {
		.o = o,
		.sock = -1,
		.sigfd = -1,
		.tty = isatty(o->in_fd) == 1,
		.end = ATTACH_CLOSED,
	};
	int rc;

	confr_dec_init(&a.dec);
	rc = setup(&a, err);
	if (rc == 0 && a.tty) {
		char banner[300];
		int n = snprintf(banner, sizeof(banner),
				 "Connected to domain '%s'\r\nEscape character is ^]\r\n", o->name);
		write_all(o->out_fd, banner, n > 0 && (size_t)n < sizeof(banner) ? (size_t)n : 0);
		rc = send_winsize(&a, err);
	}
	if (rc == 0)
		rc = loop(&a, err);
	teardown(&a);
	log_debug("console of '%s' ended (%d)", o->name, (int)a.end);
	if (rc == 0)
		*end = a.end;
	return rc;
}
