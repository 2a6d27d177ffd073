/* tests/unit/kube_fakeserver.c: the canned-reply server as a program, for
 * the shell tests of `dify-tui get` and `rollout-status` and for
 * bench/kube_list.sh. Usage: kube_fakeserver CASE PORTFILE REPORTFILE.
 * Writes its port to PORTFILE, serves until SIGTERM, then writes "served N of
 * M" and any differences from the script to REPORTFILE. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/util.h"
#include "tests/unit/kube_testserver.h"

static volatile sig_atomic_t stop;

static void on_signal(int s)
{
    stop = 1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: kube_fakeserver CASE PORTFILE REPORTFILE\n");
        return 2;
    }
    struct testserver *ts = testserver_start(argv[1]);
    if (!ts)
        return 1;
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    FILE *f = fopen(argv[2], "w");
    if (!f)
        return 1;
    fprintf(f, "%d\n", testserver_port(ts));
    fclose(f);
    while (!stop)
        pause();
    char *errs = testserver_errors(ts);
    f = fopen(argv[3], "w");
    if (f) {
        fprintf(f, "served %zu of %zu\n%s", testserver_served(ts), testserver_expected(ts), errs);
        fclose(f);
    }
    free(errs);
    testserver_stop(ts);
    return 0;
}
