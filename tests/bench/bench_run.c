/* bench_run: run one command, print its wall time and peak memory.
 *
 *   bench_run [-i FILE] [-o FILE] CMD [ARG...]
 *
 * Prints "MS KB EXIT": the wall time in milliseconds (fork to exit), the
 * child's peak resident set (wait4's ru_maxrss, KB) and its exit status.
 * stdin from FILE (default /dev/null), stdout to FILE (default /dev/null);
 * stderr goes through. Used by tests/bench/run.sh. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	const char *in = "/dev/null", *out = "/dev/null";
	struct rusage ru;
	int i = 1, status = 0;
	double t0;
	pid_t pid;

	while (i + 1 < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-i"))
			in = argv[i + 1];
		else if (!strcmp(argv[i], "-o"))
			out = argv[i + 1];
		else
			break;
		i += 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: bench_run [-i FILE] [-o FILE] CMD [ARG...]\n");
		return 2;
	}
	t0 = ms_now();
	pid = fork();
	if (pid < 0) {
		perror("bench_run: fork");
		return 2;
	}
	if (pid == 0) {
		int fi = open(in, O_RDONLY), fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fi < 0 || fo < 0 || dup2(fi, 0) < 0 || dup2(fo, 1) < 0) {
			perror("bench_run: redirect");
			_exit(127);
		}
		execvp(argv[i], argv + i);
		perror("bench_run: exec");
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("bench_run: wait4");
		return 2;
	}
	printf("%.3f %ld %d\n", ms_now() - t0, ru.ru_maxrss,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
