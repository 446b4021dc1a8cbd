// SPDX-License-Identifier: MIT
/*
 * bench-run - time `sphc check` against the libyaml floor, for `make bench`.
 *
 *   bench-run [-r REPEATS] SPHC FLOOR GEN BOARD OUTDIR N...
 *
 * For each N: generate OUTDIR/bench-N.yaml with GEN (each time: it takes a
 * fraction of a second, and the board's path may have moved), a system that
 * names BOARD in its `board:` key, as users write it.
 * Then run, REPEATS times each (default 11) and interleaved, so that a load
 * that comes and goes weighs on all three alike:
 *   floor    FLOOR FILE (libyaml's event loop, nothing else)
 *   default  SPHC check -q FILE              (the path users run)
 *   board    SPHC check -q --board BOARD FILE (the board named again)
 * and print one figure per line, `NAME: VALUE UNIT`: the least and the
 * median wall time of each (clock_gettime around fork/exec/wait), the least
 * CPU time (user + system), their ratios to the floor, sphc's peak RSS (the
 * largest ru_maxrss over its runs) and that peak per region. Ratios are of
 * the least times: other jobs on the machine only ever add time, so the
 * least of several runs is the figure that repeats on a quiet machine.
 * On a shared one it does not (the least of 11 runs of one build read
 * 1.34 and 1.65), and a slow spell costs sphc more than the floor (it
 * touches six times the memory): `-paired-ratio` is the median of the
 * ratios of runs that were neighbours in time, which repeats better under
 * a steady load (1.54, 1.56, 1.57 in three runs), though not in a very
 * busy spell (2.76 once). The last line is
 * `default-path-ratio: X x`, the wall-time ratio of the default path at the
 * largest N. It never fails on slowness; it fails when a program does (a
 * generated system must check clean, but for the one finding no system of
 * that size can avoid: its blob outgrows the 1M the runtime accepts).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <yaml.h>

#define MAX_REPEATS 15

struct run {
	double secs, cpu;
	long maxrss_kib;
	int status; /* exit status, or 128 + signal */
};

/* Runs of one program: medians, the largest RSS, the first failure. */
struct series {
	double secs[MAX_REPEATS], cpu[MAX_REPEATS];
	int n;
	long maxrss_kib;
	int status;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double tv(struct timeval t)
{
	return (double)t.tv_sec + t.tv_usec / 1e6;
}

/* Run argv with stdout to /dev/null and stderr to @errfile. */
static struct run run(char *const argv[], const char *errfile)
{
	struct run r = { 0, 0, 0, 0 };
	struct rusage ru;
	double t0 = now();
	int status, fd;
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, STDOUT_FILENO);
		fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0)
			dup2(fd, STDERR_FILENO);
		execv(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("wait4");
			exit(2);
		}
	r.secs = now() - t0;
	r.cpu = tv(ru.ru_utime) + tv(ru.ru_stime);
	r.maxrss_kib = ru.ru_maxrss;
	r.status = WIFEXITED(status) ? WEXITSTATUS(status)
				     : 128 + WTERMSIG(status);
	return r;
}

static void add(struct series *s, const struct run *r)
{
	s->secs[s->n] = r->secs;
	s->cpu[s->n] = r->cpu;
	s->n++;
	if (r->maxrss_kib > s->maxrss_kib)
		s->maxrss_kib = r->maxrss_kib;
	if (r->status && !s->status)
		s->status = r->status;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * The median of the ratios of run r of @s to run r of @floor: runs r of both
 * are neighbours in time, so a slow spell of the machine weighs on both.
 */
static double paired_ratio(const struct series *s, const struct series *floor)
{
	double v[MAX_REPEATS];
	int r, n = 0;

	for (r = 0; r < s->n && r < floor->n; r++)
		if (floor->secs[r] > 0)
			v[n++] = s->secs[r] / floor->secs[r];
	return n ? median(v, n) : 0.0;
}

static void show_err(const char *what, int status, const char *errfile)
{
	char line[512];
	FILE *f = fopen(errfile, "r");
	int i;

	fprintf(stderr, "bench-run: %s exited with status %d\n", what, status);
	for (i = 0; f && i < 10 && fgets(line, sizeof(line), f); i++)
		fprintf(stderr, "    %s", line);
	if (f)
		fclose(f);
}

/*
 * Whether a failed check of a generated system reported nothing but the
 * blob's size limit (build-boot-area), which past a few thousand regions
 * every system has: the run is then as long as a clean one.
 */
static bool only_blob_limit(const char *errfile)
{
	char line[1024];
	FILE *f = fopen(errfile, "r");
	int findings = 0, blob = 0;

	while (f && fgets(line, sizeof(line), f)) {
		if (!strstr(line, ": error: ") && !strstr(line, ": warning: "))
			continue;
		findings++;
		blob += strstr(line,
			       ": error: the system blob may take up to") &&
			strstr(line, "[build-boot-area]");
	}
	if (f)
		fclose(f);
	return findings == 1 && blob == 1;
}

static void machine(int repeats)
{
	char line[256], *model = NULL;
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "model name", 10) && !model) {
			model = strchr(line, ':');
			model = model ? strdup(model + 2) : NULL;
		}
	if (f)
		fclose(f);
	if (model)
		model[strcspn(model, "\n")] = '\0';
	printf("# machine: %ld CPUs (%s), libyaml %s; %d runs each\n",
	       sysconf(_SC_NPROCESSORS_ONLN), model ? model : "unknown CPU",
	       yaml_get_version_string(), repeats);
	free(model);
}

int main(int argc, char **argv)
{
	enum { FLOOR, DEFAULT, BOARD, NPROGS };
	static const char *const names[NPROGS] = { "floor", "default",
						   "board" };
	int repeats = 11, failed = 0, i, r, p;
	char *sphc, *floor, *gen, *board, *outdir, abs_board[PATH_MAX];
	char file[4096], errfile[4096], count[32];
	double ratio = 0, secs[NPROGS], cpu[NPROGS], med[NPROGS];
	double paired[NPROGS];
	struct stat st;

	if (argc > 2 && !strcmp(argv[1], "-r")) {
		repeats = atoi(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc < 7 || repeats < 1 || repeats > MAX_REPEATS) {
		fprintf(stderr, "usage: bench-run [-r REPEATS] SPHC FLOOR GEN "
				"BOARD OUTDIR N...\n");
		return 2;
	}
	sphc = argv[1], floor = argv[2], gen = argv[3], board = argv[4];
	outdir = argv[5];
	/* The system names its board by an absolute path: it lives elsewhere.
	 */
	if (!realpath(board, abs_board)) {
		perror(board);
		return 2;
	}
	mkdir(outdir, 0755);
	snprintf(errfile, sizeof(errfile), "%s/stderr.txt", outdir);
	machine(repeats);
	for (i = 6; i < argc; i++) {
		unsigned long long n = strtoull(argv[i], NULL, 0);
		struct series s[NPROGS];
		bool blob_limit = false;

		memset(s, 0, sizeof(s));
		snprintf(count, sizeof(count), "%llu", n);
		snprintf(file, sizeof(file), "%s/bench-%llu.yaml", outdir, n);
		{
			char *g[] = { gen, "-b", abs_board, count, file, NULL };
			struct run gr = run(g, errfile);

			if (gr.status || stat(file, &st)) {
				show_err("bench-gen", gr.status, errfile);
				return 2;
			}
		}
		{
			char *argvs[NPROGS][7] = {
				{ floor, file, NULL },
				{ sphc, "check", "-q", file, NULL },
				{ sphc, "check", "-q", "--board", board, file,
				  NULL },
			};

			for (r = 0; r < repeats; r++)
				for (p = 0; p < NPROGS; p++) {
					struct run one = run(argvs[p], errfile);

					if (p != FLOOR && one.status == 1 &&
					    only_blob_limit(errfile)) {
						one.status = 0;
						blob_limit = true;
					}
					add(&s[p], &one);
					if (one.status && s[p].n == 1)
						show_err(names[p], one.status,
							 errfile);
				}
		}
		printf("file-%llu: %.1f MB\n", n, st.st_size / 1e6);
		if (blob_limit)
			printf("# %llu regions: check's one finding is the "
			       "blob's 1M limit (build-boot-area)\n",
			       n);
		/* Before the medians below sort the runs out of their order. */
		for (p = DEFAULT; p < NPROGS; p++)
			paired[p] = paired_ratio(&s[p], &s[FLOOR]);
		for (p = 0; p < NPROGS; p++) {
			failed |= s[p].status != 0;
			med[p] = median(s[p].secs, s[p].n); /* sorts */
			secs[p] = s[p].secs[0];
			median(s[p].cpu, s[p].n);
			cpu[p] = s[p].cpu[0];
			printf("%s-%llu-wall: %.3f s\n", names[p], n, secs[p]);
			printf("%s-%llu-wall-median: %.3f s\n", names[p], n,
			       med[p]);
			printf("%s-%llu-cpu: %.3f s\n", names[p], n, cpu[p]);
		}
		for (p = DEFAULT; p < NPROGS; p++) {
			printf("%s-%llu-ratio: %.2f x\n", names[p], n,
			       secs[FLOOR] > 0 ? secs[p] / secs[FLOOR] : 0.0);
			printf("%s-%llu-median-ratio: %.2f x\n", names[p], n,
			       med[FLOOR] > 0 ? med[p] / med[FLOOR] : 0.0);
			printf("%s-%llu-cpu-ratio: %.2f x\n", names[p], n,
			       cpu[FLOOR] > 0 ? cpu[p] / cpu[FLOOR] : 0.0);
			printf("%s-%llu-paired-ratio: %.2f x\n", names[p], n,
			       paired[p]);
			printf("%s-%llu-peak-rss: %.1f MiB\n", names[p], n,
			       s[p].maxrss_kib / 1024.0);
			printf("%s-%llu-bytes-per-region: %.0f B\n", names[p],
			       n, s[p].maxrss_kib * 1024.0 / n);
		}
		ratio = secs[FLOOR] > 0 ? secs[DEFAULT] / secs[FLOOR] : 0.0;
		fflush(stdout);
	}
	printf("default-path-ratio: %.2f x\n", ratio);
	return failed;
}
