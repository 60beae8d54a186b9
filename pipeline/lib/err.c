#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "utf8.h"

void
kerr_clear(struct kerr *e)
{
	memset(e, 0, sizeof(*e));
}

int
kerr_vset(struct kerr *e, int code, const char *field, const char *fmt,
    va_list ap)
{
	if (e == NULL)
		return code;

	e->code = code;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return code;
}

int
kerr_set(struct kerr *e, int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kerr_vset(e, code, field, fmt, ap);
	va_end(ap);
	return code;
}

void
kerr_where(struct kerr *e, const char *file, long line)
{
	if (e == NULL)
		return;
	/* Once or twice a record: copied as snprintf would, without it. */
	if (file != NULL) {
		size_t n = strnlen(file, sizeof(e->file) - 1);

		memcpy(e->file, file, n);
		e->file[n] = '\0';
	}
	e->line = line;
}

void
kerr_format(const struct kerr *e, char *buf, size_t size)
{
	char raw[KERR_FILE_MAX + KERR_FIELD_MAX + KERR_MSG_MAX + 16];
	size_t n = 0;

	raw[0] = '\0';
	if (e->file[0] != '\0' && e->line > 0)
		n = snprintf(raw, sizeof(raw), "%s:%ld: ", e->file, e->line);
	else if (e->file[0] != '\0')
		n = snprintf(raw, sizeof(raw), "%s: ", e->file);
	if (n < sizeof(raw) && e->field[0] != '\0')
		n += snprintf(raw + n, sizeof(raw) - n, "%s: ", e->field);
	if (n < sizeof(raw))
		snprintf(raw + n, sizeof(raw) - n, "%s", e->msg);
	utf8_escape(raw, buf, size);
}

void
kerr_print(const struct kerr *e, const char *prog)
{
	char text[KERR_TEXT_MAX];

	kerr_format(e, text, sizeof(text));
	fprintf(stderr, "%s: %s\n", prog, text);
}

int
kerr_exit_status(int code)
{
	switch (code) {
	case KR_OK:
		return EX_KOK;
	case KR_BAD_INPUT:
	case KR_TOO_BIG:
	case KR_OVERFLOW:
	case KR_NOT_READY:
	case KR_NOT_FOUND:
		return EX_REJECTED;
	case KR_IO:
	case KR_NOMEM:
	case KR_STATE:
		return EX_KIOERR;
	case KR_CONFIG:
		return EX_KCONFIG;
	case KR_BUSY:
		return EX_KTEMPFAIL;
	default:
		return EX_KSOFTWARE;
	}
}

void
kbug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

int
kerr_worse_status(int a, int b)
{
	if (a == 0 || a == EX_REJECTED)
		return b == 0 ? a : b;
	if (b == 0 || b == EX_REJECTED)
		return a;
	return a > b ? a : b;
}

int
kerr_run_status(int a, int b)
{
	if (a == EX_KCONFIG && b != 0 && b != EX_REJECTED)
		return b;
	if (b == EX_KCONFIG && a != 0 && a != EX_REJECTED)
		return a;
	return kerr_worse_status(a, b);
}
