/* crashpoint: an LD_PRELOAD library for the power-loss test that kills the
 * process inside its Nth fsync or fdatasync, the moment where a real power
 * cut hurts a database most. CRASHPOINT_SYNC=N picks the call (counted over
 * all threads), CRASHPOINT_WHEN=before|after kills just before the real call
 * or just after it returns. CRASHPOINT_LOG=FILE gets one line per call so the
 * test can tell where each kill landed. A test tool, not part of Sayso: the
 * counter is the one piece of process-wide state an interposer must have. */
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int (*SyncFn)(int);

static atomic_int calls;

static void note(const char *what, int n)
{
    const char *path = getenv("CRASHPOINT_LOG");
    if (!path)
        return;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    char line[64];
    int len = snprintf(line, sizeof line, "%s %d\n", what, n);
    if (len > 0 && write(fd, line, (size_t)len) < 0)
        perror("crashpoint");
    close(fd);
}

static int interpose(const char *name, int fd)
{
    SyncFn real = (SyncFn)dlsym(RTLD_NEXT, name);
    int n = atomic_fetch_add(&calls, 1) + 1;
    const char *at = getenv("CRASHPOINT_SYNC");
    const char *when = getenv("CRASHPOINT_WHEN");
    bool kill_here = at && atoi(at) == n;
    bool before = !when || strcmp(when, "after") != 0;
    note(name, n);
    if (kill_here && before) {
        note("killed-before", n);
        raise(SIGKILL);
    }
    int rc = real ? real(fd) : -1;
    if (kill_here) {
        note("killed-after", n);
        raise(SIGKILL);
    }
    return rc;
}

int fsync(int fd)
{
    return interpose("fsync", fd);
}

int fdatasync(int fd)
{
    return interpose("fdatasync", fd);
}
