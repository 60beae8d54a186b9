/*
 * kontor: the front of the suite.
 *
 *	kontor STAGE [ARGS]	runs kontor-STAGE with ARGS
 *	kontor run --tenant DIR	the nightly job: spool -> tax -> datev,
 *				delivered into DIR/out/ under the tenant lock
 *
 * The whole night is one process, kontor-tax --spool --datev: it reads
 * the spool as kontor-spool would, taking each order as the reading
 * mapped it, numbers, and books each invoice into the DATEV delivery
 * from memory as it stores it, where kontor-datev would read every
 * stored record back.  The deliveries, files and state are those of
 * the stages in a pipe.  `kontor run` takes
 * the tenant lock itself and hands the locked descriptor to its
 * child (KONTOR_LOCK_FD), together with the run's time and id
 * (KONTOR_NOW, KONTOR_RUN_ID), so that it does not wait for its own
 * parent's lock.  It reports each stage's status from the audit rows
 * and where the DATEV files are.  SIGTERM, SIGINT and SIGHUP sent to
 * it alone, as a batch system or a user's kill may, go on to the
 * child, so that a stopped run stops whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deliver.h"
#include "fs.h"
#include "msg.h"
#include "recover.h"
#include "run.h"
#include "state.h"
#include "tenant.h"

#define NSTAGES	1

static const char *const stages[] = {
	"spool", "import", "tax", "datev", "xrechnung", NULL
};

static void
usage(int status)
{
	FILE *fp = status == 0 ? stdout : stderr;

	fputs("usage: kontor run --tenant DIR [-qv] [--wait]\n"
	    "       kontor recover --tenant DIR\n"
	    "       kontor STAGE [ARGS ...]\n", fp);
	if (status == 0)
		fputs("\n"
		    "Stages: spool, import, tax, datev, xrechnung (kontor "
		    "STAGE --help)\n"
		    "\n"
		    "  -t, --tenant DIR  the tenant to run or recover\n"
		    "  -w, --wait        wait for a busy tenant instead of "
		    "exiting 75\n"
		    "  -q, --quiet       errors only\n"
		    "  -v, --verbose     also notes\n"
		    "  -h, --help        this text\n"
		    "  -V, --version     the version\n", fp);
	exit(status);
}

/* Runs kontor-NAME from our own folder if it is there, else from PATH. */
static void
exec_stage(const char *name, char **argv)
{
	char dir[PATH_MAX], path[PATH_MAX + 80], prog[64];

	snprintf(prog, sizeof(prog), "kontor-%s", name);
	fs_self_dir(dir, sizeof(dir));
	if (dir[0] != '\0') {
		snprintf(path, sizeof(path), "%s/%s", dir, prog);
		if (access(path, X_OK) == 0) {
			argv[0] = prog;
			execv(path, argv);
		}
	}
	argv[0] = prog;
	execvp(prog, argv);
	msg_errorf("cannot run %s: %s", prog, strerror(errno));
	_exit(EX_KSOFTWARE);
}

static int
known_stage(const char *name)
{
	size_t i;

	for (i = 0; stages[i] != NULL; i++)
		if (strcmp(stages[i], name) == 0)
			return 1;
	return 0;
}

struct child {
	pid_t pid;
	int status;		/* exit status, or 128 + signal */
};

/* The stages running, for the handler to pass a signal on to. */
static volatile pid_t running[NSTAGES];
static const int passed_on[] = { SIGTERM, SIGINT, SIGHUP };
#define NPASSED	(sizeof(passed_on) / sizeof(passed_on[0]))
/*
 * Which of them kontor run handles: not those it was started with
 * ignored (nohup, a background job of a script), which stay ignored in
 * the stages too.
 */
static int trapped[NPASSED];
/* The first signal passed on: no stage starts after it. */
static volatile sig_atomic_t stopped_by;

static void
pass_on(int sig)
{
	int saved = errno;
	size_t i;

	if (stopped_by == 0)
		stopped_by = sig;
	for (i = 0; i < NSTAGES; i++)
		if (running[i] > 0)
			kill(running[i], sig);
	errno = saved;
}

/*
 * From here on, the signals of passed_on that are not ignored go to the
 * stages started; they are held while a stage starts, so that none is
 * lost in between.
 */
static void
pass_signals_on(sigset_t *held)
{
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pass_on;
	sigemptyset(&sa.sa_mask);
	sigemptyset(held);
	for (i = 0; i < NPASSED; i++) {
		sigaddset(&sa.sa_mask, passed_on[i]);
		sigaddset(held, passed_on[i]);
	}
	for (i = 0; i < NPASSED; i++) {
		if (sigaction(passed_on[i], NULL, &old) != 0 ||
		    old.sa_handler == SIG_IGN)
			continue;
		trapped[i] = sigaction(passed_on[i], &sa, NULL) == 0;
	}
}

static void
set_env(const char *name, const char *value)
{
	if (setenv(name, value, 1) != 0) {
		msg_errorf("cannot set %s: %s", name, strerror(errno));
		exit(EX_KSOFTWARE);
	}
}

/* Starts one stage with stdin from in and stdout to out (-1: keep). */
static pid_t
spawn(const char *stage, char **argv, int in, int out,
    const sigset_t *held)
{
	sigset_t was;
	pid_t pid;
	size_t i;

	sigprocmask(SIG_BLOCK, held, &was);
	pid = fork();
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &was, NULL);
		msg_errorf("cannot start kontor-%s: %s", stage,
		    strerror(errno));
		return -1;
	}
	if (pid > 0)
		return pid;	/* held until the caller notes the stage */
	for (i = 0; i < NPASSED; i++)
		if (trapped[i])
			signal(passed_on[i], SIG_DFL);
	sigprocmask(SIG_SETMASK, &was, NULL);
	if (in >= 0 && dup2(in, STDIN_FILENO) < 0)
		_exit(EX_KSOFTWARE);
	if (out >= 0 && dup2(out, STDOUT_FILENO) < 0)
		_exit(EX_KSOFTWARE);
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	exec_stage(stage, argv);
	return -1;
}

/*
 * Starts the i-th stage with stdin from in and stdout to out, and waits
 * for it; c[i].status says how it ended.
 */
static void
run_stage(struct child *c, int i, const char *stage, char **argv, int in,
    int out, const sigset_t *held)
{
	siginfo_t info;
	int st;

	c[i].pid = running[i] = spawn(stage, argv, in, out, held);
	/* A signal that came just before the stage began stops it too. */
	if (c[i].pid > 0 && stopped_by != 0)
		kill(c[i].pid, stopped_by);
	sigprocmask(SIG_UNBLOCK, held, NULL);
	if (c[i].pid < 0)
		return;
	/* Its pid is forgotten before it is freed for another. */
	while (waitid(P_PID, (id_t)c[i].pid, &info, WEXITED | WNOWAIT) < 0 &&
	    errno == EINTR)
		;
	sigprocmask(SIG_BLOCK, held, NULL);
	running[i] = 0;
	sigprocmask(SIG_UNBLOCK, held, NULL);
	while (waitpid(c[i].pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st))
		c[i].status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		c[i].status = 128 + WTERMSIG(st);
}

/*
 * Runs kontor-tax --spool --datev, which reads the spool, numbers and
 * delivers the DATEV bookings in one process.  c says how it ended
 * (EX_KSOFTWARE when it could not start).
 */
static void
run_stages(const char *dir, const char *verbosity, struct child *c)
{
	char *tax_argv[] = {NULL, "--spool", "--datev", "--tenant",
	    (char *)dir, (char *)verbosity, NULL};
	int nothing_out;
	sigset_t held;

	c[0].pid = -1;
	c[0].status = EX_KSOFTWARE;
	nothing_out = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (nothing_out < 0) {
		msg_errorf("cannot open /dev/null: %s", strerror(errno));
		return;
	}
	pass_signals_on(&held);
	run_stage(c, 0, "tax", tax_argv, -1, nothing_out, &held);
	close(nothing_out);
}

/* Picks "key=N" out of an audit row's counts; 0 when absent. */
static long
count_of(const char *counts, const char *key)
{
	size_t n = strlen(key);
	const char *p;

	for (p = counts; p != NULL && *p != '\0'; p = strchr(p, ' ')) {
		while (*p == ' ')
			p++;
		if (strncmp(p, key, n) == 0 && p[n] == '=')
			return strtol(p + n + 1, NULL, 10);
	}
	return 0;
}

struct report {
	long read, invoices, credits, again, bookings, rejected, waiting;
	long refunds;
	const char *dir;
	int files;
	int tax, datev;		/* the stages' statuses, -1 unknown */
};

/*
 * The audit row of each stage: kontor-tax --datev writes kontor-spool's
 * and kontor-datev's beside its own.
 */
static int
on_audit(void *arg, const char *command, const char *counts, int status)
{
	struct report *r = arg;

	if (strstr(command, "kontor-spool") != NULL) {
		r->read += count_of(counts, "read");
		r->rejected += count_of(counts, "rejected");
		r->tax = kerr_worse_status(r->tax < 0 ? 0 : r->tax, status);
	} else if (strstr(command, "kontor-tax") != NULL) {
		r->tax = kerr_worse_status(r->tax < 0 ? 0 : r->tax, status);
		r->invoices += count_of(counts, "invoiced");
		r->credits += count_of(counts, "credited");
		r->again += count_of(counts, "again");
		r->waiting += count_of(counts, "waiting");
		r->rejected += count_of(counts, "rejected");
	} else if (strstr(command, "kontor-datev") != NULL) {
		r->bookings += count_of(counts, "bookings");
		r->rejected += count_of(counts, "rejected");
		r->datev = status;
	}
	return KR_OK;
}

static int
on_file(void *arg, const char *delivery, const char *channel,
    const char *name)
{
	struct report *r = arg;

	if (strcmp(channel, "datev") != 0 || strcmp(name, "MANIFEST") == 0)
		return KR_OK;
	printf("DATEV: %s/out/%s/%s\n", r->dir, delivery, name);
	r->files++;
	return KR_OK;
}

/* What the run's audit rows say, into r; NULL on failure, said. */
static struct state *
collect(const struct tenant *t, const struct run *run, struct report *r)
{
	struct state *st;
	struct kerr e;

	memset(r, 0, sizeof(*r));
	r->dir = t->dir;
	r->tax = r->datev = -1;
	kerr_clear(&e);
	if (state_open(&st, t->dir, &e) != KR_OK) {
		msg_error(&e);
		return NULL;
	}
	if (state_each_audit(st, run->id, on_audit, r, &e) != KR_OK ||
	    state_refunds_waiting(st, &r->refunds, &e) != KR_OK)
		msg_error(&e);
	return st;
}

/* Where the DATEV files are, and what the run did, on stdout. */
static void
report(struct state *st, const struct run *run, struct report *r,
    int failed)
{
	struct kerr e;

	kerr_clear(&e);
	if (st != NULL && state_each_delivered_file(st, run->id, on_file, r,
	    &e) != KR_OK)
		msg_error(&e);
	if (r->files == 0)
		printf("DATEV: %s\n", failed ? "nothing delivered" :
		    "nothing new to deliver");
	printf("%ld order%s read, %ld invoice%s, %ld credit note%s, "
	    "%ld booking%s, %ld rejected", r->read, r->read == 1 ? "" : "s",
	    r->invoices, r->invoices == 1 ? "" : "s", r->credits,
	    r->credits == 1 ? "" : "s", r->bookings,
	    r->bookings == 1 ? "" : "s", r->rejected);
	if (r->waiting > 0)
		printf(", %ld waiting", r->waiting);
	if (r->again > 0)
		printf(", %ld invoiced before", r->again);
	if (r->refunds > 0)
		printf(", %ld refund%s waiting for credit notes", r->refunds,
		    r->refunds == 1 ? "" : "s");
	putchar('\n');
}

/*
 * Under the lock, before any number is drawn: the database must know
 * every delivery in out/, what a crash left is settled, and the run
 * gets an id of its own.
 */
static int
precheck(struct tenant *t, struct run *run, struct kerr *e)
{
	struct state *st;
	int rc;

	rc = state_open(&st, t->dir, e);
	if (rc != KR_OK)
		return rc;
	rc = deliver_check_known(t, st, e);
	if (rc == KR_OK)
		rc = deliver_settle(t, st, e);
	if (rc == KR_OK)
		rc = run_start(run, t->name, t->cfg.timezone, e);
	if (rc == KR_OK)
		rc = state_fresh_run_id(st, run->id, sizeof(run->id), e);
	state_close(st);
	return rc;
}

static int
cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"tenant", required_argument, NULL, 't'},
		{"wait", no_argument, NULL, 'w'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	const char *dir = NULL, *verbosity = NULL;
	struct child c[NSTAGES];
	struct report r;
	struct state *st;
	struct tenant t;
	struct run run;
	struct kerr e;
	char fd[16];
	int ch, wait = 0, status;

	while ((ch = getopt_long(argc, argv, "hqt:vw", opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			dir = optarg;
			break;
		case 'w':
			wait = 1;
			break;
		case 'q':
			verbosity = "-q";
			msg_init("kontor", MSG_QUIET);
			break;
		case 'v':
			verbosity = "-v";
			msg_init("kontor", MSG_VERBOSE);
			break;
		case 'h':
			usage(0);
			break;
		default:
			usage(EX_KUSAGE);
		}
	}
	if (dir == NULL || optind != argc) {
		if (dir == NULL)
			msg_errorf("--tenant DIR is required");
		usage(EX_KUSAGE);
	}

	kerr_clear(&e);
	if (tenant_open(&t, dir, &e) != KR_OK) {
		msg_error(&e);
		return kerr_exit_status(e.code);
	}
	if (tenant_lock(&t, wait, &e) != KR_OK ||
	    precheck(&t, &run, &e) != KR_OK) {
		msg_error(&e);
		tenant_close(&t);
		return kerr_exit_status(e.code);
	}
	snprintf(fd, sizeof(fd), "%d", t.lock_fd);
	set_env("KONTOR_LOCK_FD", fd);
	set_env("KONTOR_NOW", run.time_utc);
	set_env("KONTOR_RUN_ID", run.id);
	if (fcntl(t.lock_fd, F_SETFD, 0) != 0) {
		msg_errorf("cannot hand the lock on: %s", strerror(errno));
		return EX_KSOFTWARE;
	}

	run_stages(t.dir, verbosity, c);
	status = c[0].status;
	st = collect(&t, &run, &r);
	/* A stage that wrote no row, or a signal, gives the whole status. */
	if (status >= 128 || r.tax < 0)
		r.tax = status;
	if (status >= 128 || r.datev < 0)
		r.datev = status;
	if (r.tax == EX_KCONFIG || r.datev == EX_KCONFIG)
		msg_errorf("the tenant's configuration or tables are wrong "
		    "(see above): mend them and run it again; nothing was "
		    "lost");
	if (status != 0 && status != EX_REJECTED && status != EX_KCONFIG)
		msg_errorf("the run failed (spool and tax %d, datev %d); "
		    "nothing was lost: run it again", r.tax, r.datev);
	report(st, &run, &r, status != 0 && status != EX_REJECTED);
	state_close(st);
	tenant_close(&t);
	return msg_close_stdout(status);
}

static void
print_line(void *arg, const char *line)
{
	(void)arg;
	printf("%s\n", line);
}

/* kontor recover: reads back the deliveries the database does not know. */
static int
cmd_recover(int argc, char **argv)
{
	static const struct option opts[] = {
		{"tenant", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct recover_report r;
	struct tenant t;
	struct state *st = NULL;
	struct kerr e;
	const char *dir = NULL;
	int ch;

	/* The same spellings as kontor run: -t DIR, --tenant=DIR, -h. */
	while ((ch = getopt_long(argc, argv, "ht:", opts, NULL)) != -1) {
		if (ch == 't')
			dir = optarg;
		else
			usage(ch == 'h' ? 0 : EX_KUSAGE);
	}
	if (dir == NULL || optind != argc) {
		if (dir == NULL)
			msg_errorf("--tenant DIR is required");
		usage(EX_KUSAGE);
	}
	kerr_clear(&e);
	if (tenant_open(&t, dir, &e) != KR_OK) {
		msg_error(&e);
		return kerr_exit_status(e.code);
	}
	if (tenant_lock(&t, 1, &e) != KR_OK ||
	    state_open(&st, t.dir, &e) != KR_OK ||
	    deliver_settle(&t, st, &e) != KR_OK ||
	    recover_deliveries(&t, st, print_line, NULL, &r, &e) != KR_OK) {
		msg_error(&e);
		state_close(st);
		tenant_close(&t);
		return kerr_exit_status(e.code);
	}
	printf("%ld deliver%s read back, %ld document%s; numbering "
	    "continues after them\n", r.deliveries,
	    r.deliveries == 1 ? "y" : "ies", r.documents,
	    r.documents == 1 ? "" : "s");
	if (r.unmatched > 0)
		msg_warn("%ld documents match neither number pattern of the "
		    "configuration: check invoice.number_pattern",
		    r.unmatched);
	if (r.deliveries > 0)
		msg_warn("invoices numbered after the database's state are "
		    "known by their numbers only (docs/tenant.md)");
	state_close(st);
	tenant_close(&t);
	return msg_close_stdout(0);
}

int
main(int argc, char **argv)
{
	msg_init("kontor", MSG_NORMAL);
	if (argc < 2)
		usage(EX_KUSAGE);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		usage(0);
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("kontor %s\n", KONTOR_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "recover") == 0)
		return cmd_recover(argc - 1, argv + 1);
	if (!known_stage(argv[1])) {
		msg_errorf("unknown command '%s'", argv[1]);
		usage(EX_KUSAGE);
	}
	exec_stage(argv[1], argv + 1);
	return EX_KSOFTWARE;
}
