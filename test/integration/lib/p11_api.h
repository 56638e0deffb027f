/* SPDX-License-Identifier: Apache-2.0 */
/* The PKCS#11 API client of p11_api.sh: checks call by call against
 * libsbrguard-pkcs11.so. The sections run in order and share the running
 * state below (sessions, keys, buffers), as one long test would. */
#ifndef P11_API_H
#define P11_API_H
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <p11-kit-1/p11-kit/pkcs11.h>
#include "sbrguard/pkcs11_vendor.h"

/* Output and the token control scripts (p11_api.c). */
extern CK_FUNCTION_LIST_PTR f;
extern int failed;
extern char *dir;
extern int n_create, n_lock, n_destroy;
extern CK_BBOOL yes, no;
extern const CK_BYTE oid_p256[10];
extern const CK_BYTE oid_p384[7];
extern const CK_BYTE oid_p521[7];
extern const CK_BYTE oid_k256[7];
extern const CK_BYTE name_p521[11];
extern CK_OBJECT_HANDLE ec_priv; /* P-256 key for the threads */
extern int thread_errors;
extern CK_BYTE cert[4096];
extern size_t cert_len;
void check(const char *what, int cond);
void rv_is(const char *what, CK_RV rv, CK_RV want);
int run(const char *name);
CK_RV m_create(void **m);
CK_RV m_destroy(void *m);
CK_ULONG count_class(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls);
void *worker(void *arg);
int bind_ca(CK_C_GetFunctionList gfl);
CK_RV m_lock(void *m);
CK_RV m_unlock(void *m);
CK_RV gen_ec(CK_SESSION_HANDLE s, const CK_BYTE *params, CK_ULONG plen, const char *id, CK_OBJECT_HANDLE *pub,
              CK_OBJECT_HANDLE *priv);
CK_RV gen_rsa(CK_SESSION_HANDLE s, CK_ULONG bits, const CK_BYTE *e, CK_ULONG elen, const char *id,
               CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv);

/* The running state of the sections. */
extern void *lib; /* the module, dlopen()ed by main */
extern CK_INFO info;
extern CK_C_INITIALIZE_ARGS ia;
extern CK_ULONG n;
extern int locks;
extern CK_C_INITIALIZE_ARGS os;
extern CK_SLOT_ID slots[4];
extern CK_SLOT_INFO si;
extern CK_MECHANISM_TYPE mechs[32];
extern CK_ULONG nm;
extern int digests;
extern CK_MECHANISM_INFO mi;
extern CK_TOKEN_INFO ti;
extern CK_UTF8CHAR label[32];
extern CK_SESSION_HANDLE rw, ro, s2;
extern CK_SESSION_INFO sinfo;
extern CK_OBJECT_HANDLE pub, priv, p384, p521, p521pub, rsa_pub, rsa_priv, h;
extern CK_OBJECT_HANDLE ec_pub;
extern const CK_BYTE f4[3], e3[1], f4z[4];
extern CK_BYTE buf[1024];
extern CK_ATTRIBUTE a;

/* The sections, in the order main runs them: p11_api_setup.c ... */
void s_locking(void);
void s_lists(void);
void s_token(void);
void s_keygen(void);
void s_attributes(void);
/* ... and p11_api_ops.c. */
void s_signing(void);
void s_finding(void);
void s_objects(void);
void s_verify(void);
void s_setattr(void);
void s_rng(void);
void s_threads(void);
void s_token_dies(void);
void s_fork(void);

#endif
