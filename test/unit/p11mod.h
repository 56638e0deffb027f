/* SPDX-License-Identifier: Apache-2.0 */
/* The PKCS#11 module under test against a real sim token (token_proc.h):
 * started and loaded by pm_start, the token stopped and its folder removed
 * by pm_stop. */
#ifndef P11MOD_H
#define P11MOD_H
#include <dlfcn.h>
#include <p11-kit-1/p11-kit/pkcs11.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "token_proc.h"

/* The token on dir/t.sock (sock, cap bytes), SBRGUARD_SOCKET at it, its
 * pid in *pid; returns the module's function list (NULL if it cannot be
 * loaded). dir is made already (mkdtemp). */
static CK_FUNCTION_LIST_PTR pm_start(const char *dir, char *sock, size_t cap, pid_t *pid)
{
    char mod[PATH_MAX];
    CK_FUNCTION_LIST_PTR fl = NULL;
    snprintf(sock, cap, "%s/t.sock", dir);
    setenv("SBRGUARD_SOCKET", sock, 1);
    *pid = tp_start(dir, sock);
    tp_build_path("libsbrguard-pkcs11.so", mod, sizeof mod);
    void *h = dlopen(mod, RTLD_NOW);
    CK_C_GetFunctionList gfl = h ? (CK_C_GetFunctionList)dlsym(h, "C_GetFunctionList") : NULL;
    return gfl && gfl(&fl) == CKR_OK ? fl : NULL;
}

/* Stops the token and removes dir; 0 if that worked. */
static int pm_stop(const char *dir, pid_t pid)
{
    char cmd[PATH_MAX + 16];
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

#endif
