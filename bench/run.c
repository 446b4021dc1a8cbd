// SPDX-License-Identifier: MIT
/*
 * bench-run - time `sphc check` against the libyaml floor, for `make bench`.
 *
 *   bench-run [-r REPEATS] SPHC FLOOR GEN BOARD OUTDIR N...
 *
 * For each N: generate OUTDIR/bench-N.yaml with GEN (once; kept for later
 * runs), run FLOOR on it and `SPHC check -q --board BOARD` on it REPEATS
 * times each (default 3), and print one table row: the median wall time of
 * each (clock_gettime around fork/exec/wait), their ratio, sphc's peak RSS
 * (the largest ru_maxrss that wait4 reports over its runs) and that peak
 * divided by N. It never fails on slowness; it fails when a program does
 * (a generated system must check clean).
 */
#include <errno.h>
#include <fcntl.h>
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
	double secs;
	long maxrss_kib;
	int status; /* exit status, or 128 + signal */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run argv with stdout to /dev/null and stderr to @errfile. */
static struct run run(char *const argv[], const char *errfile)
{
	struct run r = { 0, 0, 0 };
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
	r.maxrss_kib = ru.ru_maxrss;
	r.status = WIFEXITED(status) ? WEXITSTATUS(status)
				     : 128 + WTERMSIG(status);
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median time and largest RSS of @n runs; the first failure, if any. */
static struct run measure(char *const argv[], int n, const char *errfile)
{
	double t[MAX_REPEATS];
	struct run r, out = { 0, 0, 0 };
	int i;

	for (i = 0; i < n; i++) {
		r = run(argv, errfile);
		t[i] = r.secs;
		if (r.maxrss_kib > out.maxrss_kib)
			out.maxrss_kib = r.maxrss_kib;
		if (r.status && !out.status)
			out.status = r.status;
	}
	qsort(t, n, sizeof(t[0]), cmp_double);
	out.secs = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	return out;
}

static void show_err(const char *what, const struct run *r, const char *errfile)
{
	char line[512];
	FILE *f = fopen(errfile, "r");
	int i;

	fprintf(stderr, "bench-run: %s exited with status %d\n", what,
		r->status);
	for (i = 0; f && i < 10 && fgets(line, sizeof(line), f); i++)
		fprintf(stderr, "    %s", line);
	if (f)
		fclose(f);
}

static void machine(void)
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
	printf("machine: %ld CPUs (%s), libyaml %s; median of the runs\n\n",
	       sysconf(_SC_NPROCESSORS_ONLN), model ? model : "unknown CPU",
	       yaml_get_version_string());
	free(model);
}

int main(int argc, char **argv)
{
	int repeats = 3, failed = 0, i;
	char *sphc, *floor, *gen, *board, *outdir;
	char file[4096], errfile[4096], count[32];
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
	mkdir(outdir, 0755);
	snprintf(errfile, sizeof(errfile), "%s/stderr.txt", outdir);
	machine();
	printf("| regions | file | parse only (libyaml) | sphc check | ratio | "
	       "peak RSS | bytes/region |\n"
	       "|--:|--:|--:|--:|--:|--:|--:|\n");
	fflush(stdout);
	for (i = 6; i < argc; i++) {
		unsigned long long n = strtoull(argv[i], NULL, 0);
		struct run fl, ck;

		snprintf(count, sizeof(count), "%llu", n);
		snprintf(file, sizeof(file), "%s/bench-%llu.yaml", outdir, n);
		if (stat(file, &st)) {
			char *g[] = { gen, count, file, NULL };
			struct run r = run(g, errfile);

			if (r.status || stat(file, &st)) {
				show_err("bench-gen", &r, errfile);
				return 2;
			}
		}
		{
			char *f[] = { floor, file, NULL };
			char *c[] = { sphc,  "check", "-q", "--board",
				      board, file,    NULL };

			fl = measure(f, repeats, errfile);
			if (fl.status) {
				show_err("the floor", &fl, errfile);
				failed = 1;
			}
			ck = measure(c, repeats, errfile);
			if (ck.status) {
				show_err("sphc check", &ck, errfile);
				failed = 1;
			}
		}
		printf("| %llu | %.1f MB | %.3f s | %.3f s | %.2fx | %.1f MiB "
		       "| "
		       "%.0f |\n",
		       n, st.st_size / 1e6, fl.secs, ck.secs,
		       fl.secs > 0 ? ck.secs / fl.secs : 0.0,
		       ck.maxrss_kib / 1024.0, ck.maxrss_kib * 1024.0 / n);
		fflush(stdout);
	}
	return failed;
}
