/* SPDX-License-Identifier: Apache-2.0 */
/* Starts the real sbrguard-token next to the test binary (build/X/). */
#ifndef TOKEN_PROC_H
#define TOKEN_PROC_H
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "sbrguard/sbrguard.h"

/* Path of a file in build/X/, the directory above the test binary's. */
static void tp_build_path(const char *name, char *out, size_t cap)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = 0;
    *strrchr(self, '/') = 0; /* build/X/test */
    *strrchr(self, '/') = 0; /* build/X */
    if (snprintf(out, cap, "%s/%s", self, name) >= (int)cap)
        out[0] = 0;
}

/* Forks the token on sock with its flash in dir; waits until it answers. */
static pid_t tp_start(const char *dir, const char *sock)
{
    char bin[PATH_MAX], flash[PATH_MAX];
    tp_build_path("sbrguard-token", bin, sizeof bin);
    if (snprintf(flash, sizeof flash, "%s/flash.bin", dir) >= (int)sizeof flash)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        execl(bin, "sbrguard-token", "--socket", sock, "--flash", flash, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 250; i++) {
        sg_client *c;
        if (sg_connect(&c, sock) == SG_OK) {
            sg_free(c);
            break;
        }
        struct timespec ts = { 0, 20000000 };
        nanosleep(&ts, NULL);
    }
    return pid;
}

#endif
