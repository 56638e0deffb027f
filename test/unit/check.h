/* SPDX-License-Identifier: Apache-2.0 */
/* Minimal test output: one "ok - " / "not ok - " line per check. */
#ifndef CHECK_H
#define CHECK_H
#include <stdio.h>

static int check_failures;

#define CHECK(cond, ...)                                                           \
    do {                                                                           \
        if (cond) {                                                                \
            printf("ok - ");                                                       \
        } else {                                                                   \
            printf("not ok - ");                                                   \
            check_failures++;                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                          \
        printf(__VA_ARGS__);                                                       \
        printf("\n");                                                              \
        fflush(stdout);                                                            \
    } while (0)

#define CHECK_DONE() (check_failures ? 1 : 0)

#endif
