#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"

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

static void
vsay(const char *tag, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", prog_name, tag);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
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
	char text[KERR_FILE_MAX + KERR_FIELD_MAX + KERR_MSG_MAX + 32];

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
