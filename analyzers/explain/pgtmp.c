/*
 * A throwaway PostgreSQL cluster (see pgtmp.h). Processes:
 *
 *   us ──fork──> janitor  (setsid, ignores INT/TERM/HUP, blocks on a socket)
 *    └──fork──> postmaster (setsid, unix socket only, log in DIR/log)
 *
 * The janitor starts as soon as the directory exists (before initdb). We
 * hold our end of its socket (CLOEXEC, so no child keeps it) and send it
 * the postmaster's pid, and pid 0 ("nothing to stop") the moment we reap
 * the postmaster, so it never signals a pid that may have been reused.
 * When the socket reaches EOF (we exited, however) the janitor asks the
 * postmaster for a fast shutdown, kills it after 10 s, and execs rm -rf on
 * the directory. bk_pgtmp_stop stops the postmaster itself, then closes
 * the socket and waits for the janitor to have removed the directory.
 *
 * The postmaster gets its own session, so a terminal Ctrl-C reaches only
 * bkgen; bkgen's exit is what the janitor acts on.
 *
 * Between fork and exec the children only make async-signal-safe calls;
 * everything they need is prepared before fork.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "explain/pgtmp.h"
#include "base/util.h"

#define STOP_WAIT_MS 10000

struct runas {
	int active;
	uid_t uid;
	gid_t gid;
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int is_executable(const char *dir, const char *name)
{
	struct bk_buf p = BK_BUF_INIT;
	struct stat st;
	int ok;

	bk_buf_printf(&p, "%s/%s", dir, name);
	ok = stat(p.ptr, &st) == 0 && S_ISREG(st.st_mode) && access(p.ptr, X_OK) == 0;
	bk_buf_release(&p);
	return ok;
}

static int has_server(const char *dir)
{
	return dir && *dir && is_executable(dir, "initdb") && is_executable(dir, "postgres");
}

/* In a child: stdio to fds (or /dev/null when -1), the rest closed. */
static void child_stdio(int out_fd, int err_fd)
{
	int null = open("/dev/null", O_RDWR);

	dup2(null, 0);
	dup2(out_fd >= 0 ? out_fd : null, 1);
	dup2(err_fd >= 0 ? err_fd : null, 2);
	close_range(3, ~0U, 0);
}

static void child_drop(const struct runas *ra)
{
	if (!ra || !ra->active)
		return;
	if (setgroups(0, NULL) < 0 || setgid(ra->gid) < 0 || setuid(ra->uid) < 0)
		_exit(126);
}

/*
 * Run argv (argv[0] a full path, or searched in PATH when search), capture
 * stdout (capture_err: stderr instead) into out; returns the exit status,
 * or -1 when it could not run.
 */
static int run_capture(char *const argv[], int search, int capture_err,
		       const struct runas *ra, const char *cwd, struct bk_buf *out)
{
	int fds[2], status;
	char chunk[1024];
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		child_stdio(capture_err ? -1 : fds[1], capture_err ? fds[1] : -1);
		child_drop(ra);
		if (cwd && chdir(cwd) < 0)
			_exit(126);
		if (search)
			execvp(argv[0], argv);
		else
			execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while (pid > 0 && ((n = read(fds[0], chunk, sizeof(chunk))) > 0 ||
			   (n < 0 && errno == EINTR)))
		if (n > 0 && out)
			bk_buf_add(out, chunk, (size_t)n);
	close(fds[0]);
	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *bindir_from_pg_config(void)
{
	char *argv[] = { "pg_config", "--bindir", NULL };
	struct bk_buf out = BK_BUF_INIT;
	char *dir = NULL;

	if (run_capture(argv, 1, 0, NULL, NULL, &out) == 0) {
		while (out.len && (out.ptr[out.len - 1] == '\n' || out.ptr[out.len - 1] == ' '))
			out.ptr[--out.len] = '\0';
		if (has_server(out.ptr))
			dir = bk_buf_detach(&out);
	}
	bk_buf_release(&out);
	return dir;
}

/* The newest /usr/lib/postgresql/N/bin holding a server. */
static char *bindir_from_debian(void)
{
	DIR *d = opendir("/usr/lib/postgresql");
	struct dirent *e;
	char *best = NULL;
	long best_major = -1;

	while (d && (e = readdir(d))) {
		char *end;
		long major = strtol(e->d_name, &end, 10);
		struct bk_buf p = BK_BUF_INIT;

		if (end == e->d_name || *end || major <= best_major)
			continue;
		bk_buf_printf(&p, "/usr/lib/postgresql/%s/bin", e->d_name);
		if (has_server(p.ptr)) {
			free(best);
			best = bk_buf_detach(&p);
			best_major = major;
		}
		bk_buf_release(&p);
	}
	if (d)
		closedir(d);
	return best;
}

static char *bindir_from_path(void)
{
	const char *path = getenv("PATH");
	const char *p = path, *colon;

	while (p && *p) {
		colon = strchr(p, ':');
		char *dir = bk_xstrndup(p, colon ? (size_t)(colon - p) : strlen(p));
		if (has_server(dir))
			return dir;
		free(dir);
		p = colon ? colon + 1 : NULL;
	}
	return NULL;
}

char *bk_pgtmp_find_bindir(struct bk_err *err)
{
	const char *env = getenv("BKGEN_PG_BINDIR");
	char *dir;

	if (env && *env) {
		if (has_server(env))
			return bk_xstrdup(env);
		bk_err_set(err, BK_EIO, "BKGEN_PG_BINDIR '%s' holds no initdb and postgres", env);
		return NULL;
	}
	dir = bindir_from_pg_config();
	if (!dir)
		dir = bindir_from_debian();
	if (!dir)
		dir = bindir_from_path();
	if (!dir)
		bk_err_set(err, BK_EIO, "no PostgreSQL server found (initdb and postgres); "
			   "install it or set BKGEN_PG_BINDIR");
	return dir;
}

static int resolve_runas(struct runas *ra, struct bk_err *err)
{
	struct passwd *pw;

	memset(ra, 0, sizeof(*ra));
	if (geteuid() != 0)
		return 0;
	pw = getpwnam("postgres");
	if (!pw)
		pw = getpwnam("nobody");
	if (!pw)
		return bk_err_set(err, BK_EIO, "running as root, and there is neither a "
				  "'postgres' nor a 'nobody' user to run PostgreSQL as");
	ra->active = 1;
	ra->uid = pw->pw_uid;
	ra->gid = pw->pw_gid;
	return 0;
}

/* A fresh directory under $TMPDIR (if short enough for a socket path) or /tmp. */
static int make_dir(struct bk_pgtmp *t, const struct runas *ra, struct bk_err *err)
{
	const char *base = getenv("TMPDIR");
	struct bk_buf p = BK_BUF_INIT;

	if (!base || !*base || strlen(base) > 60)
		base = "/tmp";
	bk_buf_printf(&p, "%s/bkgen-pg-XXXXXX", base);
	if (!mkdtemp(p.ptr)) {
		bk_err_set(err, BK_EIO, "cannot create a directory in '%s': %s",
			   base, strerror(errno));
		bk_buf_release(&p);
		return BK_EIO;
	}
	t->dir = bk_buf_detach(&p);
	if (ra->active && chown(t->dir, ra->uid, ra->gid) < 0)
		return bk_err_set(err, BK_EIO, "cannot hand '%s' to the postgres user: %s",
				  t->dir, strerror(errno));
	return 0;
}

static int run_initdb(struct bk_pgtmp *t, const struct runas *ra, struct bk_err *err)
{
	struct bk_buf bin = BK_BUF_INIT, data = BK_BUF_INIT, out = BK_BUF_INIT;
	char *argv[] = { NULL, "-D", NULL, "-U", "bkgen", "-A", "trust", "-E", "UTF8",
			 "--no-sync", "--no-instructions", NULL };
	int rc = 0;

	bk_buf_printf(&bin, "%s/initdb", t->bindir);
	bk_buf_printf(&data, "%s/data", t->dir);
	argv[0] = bin.ptr;
	argv[2] = data.ptr;
	if (run_capture(argv, 0, 1, ra, t->dir, &out) != 0) {
		while (out.len && out.ptr[out.len - 1] == '\n')
			out.ptr[--out.len] = '\0';
		rc = bk_err_set(err, BK_EIO, "initdb failed in '%s': %s", t->dir,
				out.len ? out.ptr : "(no output)");
	}
	bk_buf_release(&bin);
	bk_buf_release(&data);
	bk_buf_release(&out);
	return rc;
}

static int pid_alive(pid_t pid)
{
	char path[64], stat[256];
	int fd;
	ssize_t n;
	const char *paren;

	if (pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH))
		return 0;
	/* a zombie nobody reaps (no init in a container) counts as gone */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	n = read(fd, stat, sizeof(stat) - 1);
	close(fd);
	stat[n > 0 ? n : 0] = '\0';
	paren = strrchr(stat, ')');
	return !(paren && paren[1] == ' ' && paren[2] == 'Z');
}

/* The janitor's life: wait for EOF, stop the postmaster, remove dir. */
static void __attribute__((noreturn)) janitor_main(int rfd, const char *dir)
{
	pid_t pid = 0, msg;
	size_t got = 0;
	ssize_t n;

	setsid();
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	while ((n = read(rfd, (char *)&msg + got, sizeof(msg) - got)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += (size_t)n;
		if (got == sizeof(msg)) {
			pid = msg;
			got = 0;
		}
	}
	if (pid > 0 && pid_alive(pid)) {
		kill(pid, SIGINT);
		for (int waited = 0; pid_alive(pid) && waited < STOP_WAIT_MS; waited += 50)
			sleep_ms(50);
		if (pid_alive(pid))
			kill(pid, SIGKILL);
		for (int waited = 0; pid_alive(pid) && waited < 2000; waited += 50)
			sleep_ms(50);
	}
	/*
	 * rm, not nftw: no malloc in a child forked from a threaded process.
	 * As ourselves (root too): the directory sits in a TMPDIR that the
	 * server's account may not be allowed to write.
	 */
	execl("/bin/rm", "rm", "-rf", "--", dir, (char *)NULL);
	_exit(1);
}

/* In the janitor: stdio to /dev/null, its socket as fd 3, nothing else open. */
static int janitor_fds(int rfd)
{
	int null = open("/dev/null", O_RDWR);
	int keep = fcntl(rfd, F_DUPFD, 10);

	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	dup2(keep, 3);
	close_range(4, ~0U, 0);
	return 3;
}

static int start_janitor(struct bk_pgtmp *t, struct bk_err *err)
{
	int fds[2];

	/* a socket, not a pipe: send(MSG_NOSIGNAL) to a dead janitor is no SIGPIPE */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
		return bk_err_set(err, BK_EIO, "socketpair: %s", strerror(errno));
	t->janitor = fork();
	if (t->janitor < 0) {
		close(fds[0]);
		close(fds[1]);
		t->janitor = 0;
		return bk_err_set(err, BK_EIO, "fork: %s", strerror(errno));
	}
	if (t->janitor == 0)
		janitor_main(janitor_fds(fds[0]), t->dir);
	close(fds[0]);
	t->janitor_fd = fds[1];
	return 0;
}

/* Tell the janitor which postmaster to stop (0: none, it was reaped). */
static int janitor_tell(const struct bk_pgtmp *t, pid_t pid)
{
	if (t->janitor_fd < 0)
		return 0;
	return send(t->janitor_fd, &pid, sizeof(pid), MSG_NOSIGNAL) < 0 ? -1 : 0;
}

static void add_arg(char ***argv, size_t *nr, size_t *alloc, char *arg)
{
	BK_ALLOC_GROW(*argv, *nr + 1, *alloc);
	(*argv)[(*nr)++] = arg;
}

/* postgres -D DIR/data -k DIR -p PORT -c ...; strings owned by the vector. */
static char **postmaster_argv(const struct bk_pgtmp *t, const struct bk_pgtmp_opts *o)
{
	static const char *const fixed[] = {
		"listen_addresses=", "fsync=off", "full_page_writes=off",
		"synchronous_commit=off", "autovacuum=off", "jit=off",
		"max_parallel_workers_per_gather=0",
	};
	char **argv = NULL, port[16];
	size_t nr = 0, alloc = 0;
	struct bk_buf b = BK_BUF_INIT;

	bk_buf_printf(&b, "%s/postgres", t->bindir);
	add_arg(&argv, &nr, &alloc, bk_buf_detach(&b));
	add_arg(&argv, &nr, &alloc, bk_xstrdup("-D"));
	bk_buf_printf(&b, "%s/data", t->dir);
	add_arg(&argv, &nr, &alloc, bk_buf_detach(&b));
	add_arg(&argv, &nr, &alloc, bk_xstrdup("-k"));
	add_arg(&argv, &nr, &alloc, bk_xstrdup(t->dir));
	add_arg(&argv, &nr, &alloc, bk_xstrdup("-p"));
	snprintf(port, sizeof(port), "%d", t->port);
	add_arg(&argv, &nr, &alloc, bk_xstrdup(port));
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		add_arg(&argv, &nr, &alloc, bk_xstrdup("-c"));
		add_arg(&argv, &nr, &alloc, bk_xstrdup(fixed[i]));
	}
	for (size_t i = 0; o && i < o->settings_nr; i++) {
		add_arg(&argv, &nr, &alloc, bk_xstrdup("-c"));
		add_arg(&argv, &nr, &alloc, bk_xstrdup(o->settings[i]));
	}
	add_arg(&argv, &nr, &alloc, NULL);
	return argv;
}

static void free_argv(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static int spawn_postmaster(struct bk_pgtmp *t, const struct bk_pgtmp_opts *o,
			    const struct runas *ra, struct bk_err *err)
{
	struct bk_buf log = BK_BUF_INIT;
	char **argv = postmaster_argv(t, o);
	int logfd;

	bk_buf_printf(&log, "%s/log", t->dir);
	logfd = open(log.ptr, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	bk_buf_release(&log);
	if (logfd < 0) {
		free_argv(argv);
		return bk_err_set(err, BK_EIO, "cannot create '%s/log': %s", t->dir,
				  strerror(errno));
	}
	t->postmaster = fork();
	if (t->postmaster == 0) {
		child_stdio(-1, logfd);
		setsid();
		child_drop(ra);
		if (chdir(t->dir) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	close(logfd);
	free_argv(argv);
	if (t->postmaster < 0) {
		t->postmaster = 0;
		return bk_err_set(err, BK_EIO, "fork: %s", strerror(errno));
	}
	if (janitor_tell(t, t->postmaster) < 0)
		return bk_err_set(err, BK_EIO, "cannot reach the janitor: %s", strerror(errno));
	return 0;
}

/* The last lines of DIR/log, for error messages. */
static void log_tail(const struct bk_pgtmp *t, struct bk_buf *out)
{
	struct bk_buf path = BK_BUF_INIT, log = BK_BUF_INIT;
	size_t start;
	int lines = 0;

	bk_buf_printf(&path, "%s/log", t->dir);
	if (bk_read_file(&log, path.ptr) == 0) {
		while (log.len && log.ptr[log.len - 1] == '\n')
			log.ptr[--log.len] = '\0';
		for (start = log.len; start > 0 && log.len - start < 1200; start--)
			if (log.ptr[start - 1] == '\n' && ++lines == 8)
				break;
		bk_buf_puts(out, log.ptr + start);
	}
	if (!out->len)
		bk_buf_puts(out, "(empty log)");
	bk_buf_release(&path);
	bk_buf_release(&log);
}

/* Socket file present and postmaster.pid line 8 saying "ready". */
static int server_ready(const struct bk_pgtmp *t)
{
	struct bk_buf p = BK_BUF_INIT, pidfile = BK_BUF_INIT;
	struct stat st;
	const char *line;
	int ready = 0, nr = 1;

	bk_buf_printf(&p, "%s/.s.PGSQL.%d", t->dir, t->port);
	if (stat(p.ptr, &st) == 0 && S_ISSOCK(st.st_mode)) {
		bk_buf_reset(&p);
		bk_buf_printf(&p, "%s/data/postmaster.pid", t->dir);
		if (bk_read_file(&pidfile, p.ptr) == 0) {
			for (line = pidfile.ptr; line && nr < 8; nr++)
				line = (line = strchr(line, '\n')) ? line + 1 : NULL;
			ready = line && strncmp(line, "ready", 5) == 0;
		}
	}
	bk_buf_release(&p);
	bk_buf_release(&pidfile);
	return ready;
}

static int wait_ready(struct bk_pgtmp *t, int timeout_s, struct bk_err *err)
{
	uint64_t deadline = bk_now_ns() + (uint64_t)timeout_s * 1000000000ULL;
	struct bk_buf tail = BK_BUF_INIT;
	int status, rc;

	while (!server_ready(t)) {
		if (waitpid(t->postmaster, &status, WNOHANG) == t->postmaster) {
			t->postmaster = 0;
			janitor_tell(t, 0);
			log_tail(t, &tail);
			rc = bk_err_set(err, BK_EIO, "PostgreSQL exited while starting: %s",
					tail.ptr);
			bk_buf_release(&tail);
			return rc;
		}
		if (bk_now_ns() > deadline) {
			log_tail(t, &tail);
			rc = bk_err_set(err, BK_ETIMEOUT, "PostgreSQL did not start within "
					"%d s: %s", timeout_s, tail.ptr);
			bk_buf_release(&tail);
			return rc;
		}
		sleep_ms(20);
	}
	return 0;
}

static void make_conninfo(struct bk_pgtmp *t)
{
	struct bk_buf b = BK_BUF_INIT;
	int quote = strpbrk(t->dir, " '\\") != NULL;

	bk_buf_puts(&b, quote ? "host='" : "host=");
	for (const char *p = t->dir; *p; p++) {
		if (*p == '\'' || *p == '\\')
			bk_buf_putc(&b, '\\');
		bk_buf_putc(&b, *p);
	}
	bk_buf_printf(&b, "%s port=%d user=bkgen dbname=postgres", quote ? "'" : "", t->port);
	t->conninfo = bk_buf_detach(&b);
}

/* The port only names the socket file; vary it per process and directory. */
static int pick_port(const char *dir)
{
	unsigned h = (unsigned)getpid();

	for (const char *p = dir; *p; p++)
		h = h * 31 + (unsigned char)*p;
	return 50000 + (int)(h % 10000);
}

static void progress(const struct bk_pgtmp_opts *o, const char *what)
{
	if (o && o->progress)
		o->progress(o->progress_ctx, what);
}

static int start_steps(struct bk_pgtmp *t, const struct bk_pgtmp_opts *o,
		       struct bk_err *err)
{
	struct runas ra;
	int rc;

	t->bindir = o && o->bindir ? bk_xstrdup(o->bindir) : bk_pgtmp_find_bindir(err);
	if (!t->bindir)
		return BK_EIO;
	if (o && o->bindir && !has_server(t->bindir))
		return bk_err_set(err, BK_EIO, "'%s' holds no initdb and postgres", t->bindir);
	if ((rc = resolve_runas(&ra, err)) || (rc = make_dir(t, &ra, err)) ||
	    (rc = start_janitor(t, err)))
		return rc;
	progress(o, "initdb");
	if ((rc = run_initdb(t, &ra, err)))
		return rc;
	t->port = pick_port(t->dir);
	make_conninfo(t);
	progress(o, "starting");
	if ((rc = spawn_postmaster(t, o, &ra, err)))
		return rc;
	rc = wait_ready(t, o && o->start_timeout_s > 0 ? o->start_timeout_s : 60, err);
	if (!rc)
		progress(o, "ready");
	return rc;
}

int bk_pgtmp_start(struct bk_pgtmp *t, const struct bk_pgtmp_opts *o,
		   struct bk_err *err)
{
	int rc;

	memset(t, 0, sizeof(*t));
	t->janitor_fd = -1;
	rc = start_steps(t, o, err);
	if (rc)
		bk_pgtmp_stop(t);
	return rc;
}

/* Fast shutdown, then SIGKILL after STOP_WAIT_MS; reaps the postmaster. */
static void stop_postmaster(struct bk_pgtmp *t)
{
	pid_t pid = t->postmaster;
	int status, reaped = 0;

	kill(pid, SIGINT);
	for (int waited = 0; !reaped && waited < STOP_WAIT_MS; waited += 20) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		reaped = r == pid || (r < 0 && errno == ECHILD);
		if (!reaped)
			sleep_ms(20);
	}
	if (!reaped) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	t->postmaster = 0;
	janitor_tell(t, 0);
}

void bk_pgtmp_stop(struct bk_pgtmp *t)
{
	int status;

	if (!t)
		return;
	if (t->postmaster > 0)
		stop_postmaster(t);
	if (t->janitor_fd >= 0)
		close(t->janitor_fd);  /* EOF: the janitor removes the directory */
	if (t->janitor > 0)
		while (waitpid(t->janitor, &status, 0) < 0 && errno == EINTR)
			;
	else if (t->dir)
		bk_rm_tree(t->dir);
	free(t->dir);
	free(t->bindir);
	free(t->conninfo);
	memset(t, 0, sizeof(*t));
	t->janitor_fd = -1;
}
