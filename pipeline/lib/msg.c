#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "msg.h"
#include "utf8.h"

static const char *prog_name = "kontor";
static enum msg_level level = MSG_NORMAL;

void
msg_init(const char *prog, enum msg_level lvl)
{
	prog_name = prog;
	level = lvl;
}

const char *
msg_prog(void)
{
	return prog_name;
}

enum msg_level
msg_level(void)
{
	return level;
}

void
msg_error(const struct kerr *e)
{
	kerr_print(e, prog_name);
}

/* One line "prog: tag text", the text escaped as kerr_format does. */
static void
vsay(const char *tag, const char *fmt, va_list ap)
{
	char *raw, *text;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		n = 0;
	raw = xmalloc((size_t)n + 1);
	vsnprintf(raw, (size_t)n + 1, fmt, ap);
	raw[n] = '\0';
	text = xmalloc(UTF8_ESCAPED_MAX((size_t)n));
	utf8_escape(raw, text, UTF8_ESCAPED_MAX((size_t)n));
	fprintf(stderr, "%s: %s%s\n", prog_name, tag, text);
	free(text);
	free(raw);
}

void
msg_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
}

void
msg_warn(const char *fmt, ...)
{
	va_list ap;

	if (level < MSG_NORMAL)
		return;
	va_start(ap, fmt);
	vsay("warning: ", fmt, ap);
	va_end(ap);
}

void
msg_warn_kerr(const struct kerr *e)
{
	char text[KERR_TEXT_MAX];

	if (level < MSG_NORMAL)
		return;
	kerr_format(e, text, sizeof(text));
	fprintf(stderr, "%s: warning: %s\n", prog_name, text);
}

void
msg_note(const char *fmt, ...)
{
	va_list ap;

	if (level < MSG_VERBOSE)
		return;
	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
}

void
msg_info(const char *fmt, ...)
{
	va_list ap;

	if (level < MSG_NORMAL)
		return;
	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
}

int
msg_close_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		fprintf(stderr, "%s: cannot write the output: %s\n", prog_name,
		    strerror(errno));
		return EX_KIOERR;
	}
	return status;
}

const char *
msg_plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}
