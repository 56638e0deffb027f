/* SPDX-License-Identifier: Apache-2.0 */
/* What the C drivers of p11_conn.sh and p11_slots.sh share: the module's
 * function list f, the "ok - / not ok -" lines (is, yes), and loading the
 * module (argv[1]) with C_Initialize. */
#ifndef P11DRV_H
#define P11DRV_H
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <p11-kit-1/p11-kit/pkcs11.h>
static CK_FUNCTION_LIST_PTR f;
static int failed;
static void is(const char *what, CK_RV got, CK_RV want)
{
    printf("%s - %s", got == want ? "ok" : "not ok", what);
    if (got != want) {
        printf(" (0x%lx, want 0x%lx)", (unsigned long)got, (unsigned long)want);
        failed = 1;
    }
    printf("\n");
}
static inline void yes(const char *what, int cond) { is(what, cond ? CKR_OK : CKR_GENERAL_ERROR, CKR_OK); }
/* dlopen(path), C_GetFunctionList into f, C_Initialize(NULL); 0 if all went. */
static int p11drv_load(const char *path)
{
    void *h = dlopen(path, RTLD_NOW);
    CK_C_GetFunctionList gfl = h ? (CK_C_GetFunctionList)dlsym(h, "C_GetFunctionList") : NULL;
    return !gfl || gfl(&f) != CKR_OK || f->C_Initialize(NULL) != CKR_OK;
}
#endif
