/* SPDX-License-Identifier: Apache-2.0 */
/* The PKCS#11 module as an application loads it: length queries, many
 * threads signing at once (CKF_OS_LOCKING_OK), and the token killed and
 * restarted under a live session. */
#include <p11-kit-1/p11-kit/pkcs11.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "check.h"
#include "sbrguard/pkcs11_vendor.h"
#include "p11mod.h"

#define THREADS 4
#define SIGNS 25

static char dir[] = "/tmp/sg-p11-XXXXXX";
static char sock[PATH_MAX];
static CK_FUNCTION_LIST_PTR f;
static CK_OBJECT_HANDLE priv, pub;

static CK_RV login_session(CK_SESSION_HANDLE *s)
{
    CK_RV rv = f->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, s);
    if (rv == CKR_OK) {
        rv = f->C_Login(*s, CKU_USER, (CK_UTF8CHAR_PTR) "1234", 4);
        if (rv == CKR_USER_ALREADY_LOGGED_IN)
            rv = CKR_OK;
    }
    return rv;
}

static CK_RV sign_once(CK_SESSION_HANDLE s, CK_ULONG *len)
{
    CK_MECHANISM m = { CKM_ECDSA_SHA256, NULL, 0 };
    CK_BYTE data[] = "threaded", sig[64];
    *len = sizeof sig;
    CK_RV rv = f->C_SignInit(s, &m, priv);
    return rv == CKR_OK ? f->C_Sign(s, data, sizeof data, sig, len) : rv;
}

static void *signer(void *arg)
{
    CK_SESSION_HANDLE s;
    CK_ULONG len;
    long ok = 0;
    (void)arg;
    if (f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s) != CKR_OK)
        return (void *)0;
    for (int i = 0; i < SIGNS; i++)
        ok += sign_once(s, &len) == CKR_OK && len == 64;
    f->C_CloseSession(s);
    return (void *)ok;
}

static void setup(void)
{
    CK_SESSION_HANDLE s;
    CK_UTF8CHAR label[32];
    memset(label, ' ', sizeof label);
    memcpy(label, "p11 unit", 8);
    CHECK(f->C_InitToken(0, (CK_UTF8CHAR_PTR) "12345678", 8, label) == CKR_OK, "C_InitToken");
    CHECK(f->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s) == CKR_OK &&
              f->C_Login(s, CKU_SO, (CK_UTF8CHAR_PTR) "12345678", 8) == CKR_OK &&
              f->C_InitPIN(s, (CK_UTF8CHAR_PTR) "1234", 4) == CKR_OK && f->C_Logout(s) == CKR_OK &&
              f->C_CloseSession(s) == CKR_OK, "SO login, C_InitPIN");
    CHECK(login_session(&s) == CKR_OK, "user login");
    CK_BYTE p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE pub_t[] = { { CKA_EC_PARAMS, p256, sizeof p256 }, { CKA_TOKEN, &yes, sizeof yes } };
    CK_ATTRIBUTE priv_t[] = { { CKA_TOKEN, &yes, sizeof yes }, { CKA_SIGN, &yes, sizeof yes } };
    CK_MECHANISM gen = { CKM_EC_KEY_PAIR_GEN, NULL, 0 };
    CHECK(f->C_GenerateKeyPair(s, &gen, pub_t, 2, priv_t, 2, &pub, &priv) == CKR_OK, "C_GenerateKeyPair P-256");
}

/* Spec 5.1/5.4: before C_Initialize every function but C_GetFunctionList
 * answers CKR_CRYPTOKI_NOT_INITIALIZED, whatever its arguments. */
static void not_initialized(void)
{
    CK_BYTE b[8];
    CK_ULONG n = sizeof b;
    CK_MECHANISM m = { CKM_SHA256, NULL, 0 };
    CK_RV rv[] = {
        f->C_Finalize((void *)1), f->C_GetInfo(NULL), f->C_GetSlotList(0, NULL, NULL),
        f->C_GetSlotInfo(99, NULL), f->C_GetMechanismInfo(99, 0, NULL),
        f->C_OpenSession(99, 0, NULL, NULL, NULL), f->C_CloseSession(0),
        f->C_DigestInit(0, NULL), f->C_Digest(0, NULL, 1, NULL, NULL),
        f->C_DigestUpdate(0, NULL, 1), f->C_DigestKey(0, 0), f->C_DigestFinal(0, b, &n),
        f->C_SignInit(0, &m, 0), f->C_VerifyInit(0, &m, 0), f->C_EncryptInit(0, &m, 0),
        f->C_CopyObject(0, 0, NULL, 0, NULL), f->C_GetObjectSize(0, 0, NULL),
        f->C_WaitForSlotEvent(0, NULL, NULL), f->C_GetFunctionStatus(0),
        f->C_CancelFunction(0), f->C_GenerateKey(0, NULL, NULL, 0, NULL),
        f->C_SeedRandom(0, NULL, 0), f->C_GetOperationState(0, NULL, NULL),
    };
    size_t bad = 0;
    for (size_t i = 0; i < sizeof rv / sizeof rv[0]; i++)
        if (rv[i] != CKR_CRYPTOKI_NOT_INITIALIZED) {
            fprintf(stderr, "# call %zu: 0x%lx\n", i, (unsigned long)rv[i]);
            bad++;
        }
    CHECK(bad == 0, "before C_Initialize: CKR_CRYPTOKI_NOT_INITIALIZED first (%zu calls)",
          sizeof rv / sizeof rv[0]);
}

/* SHA-256/384/512 on the host: FIPS 180-2 "abc" vector, multi-part equals
 * one-shot, the length rules, and the state machine (spec 5.10). */
static void digests(void)
{
    static const CK_BYTE abc256[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
        0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
    CK_SESSION_HANDLE s;
    CK_BYTE out[64], out2[64];
    CK_ULONG n;
    CK_MECHANISM m = { CKM_SHA256, NULL, 0 };
    CHECK(f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s) == CKR_OK, "digest: RO session");
    CK_MECHANISM_INFO mi;
    CHECK(f->C_GetMechanismInfo(0, CKM_SHA384, &mi) == CKR_OK && (mi.flags & CKF_DIGEST) &&
              !(mi.flags & CKF_HW), "digest: CKM_SHA384 listed with CKF_DIGEST, not CKF_HW");
    CHECK(f->C_DigestFinal(s, out, &n) == CKR_OPERATION_NOT_INITIALIZED,
          "digest: C_DigestFinal without init -> CKR_OPERATION_NOT_INITIALIZED");
    CK_MECHANISM md5 = { CKM_MD5, NULL, 0 };
    CHECK(f->C_DigestInit(s, &md5) == CKR_MECHANISM_INVALID, "digest: MD5 -> CKR_MECHANISM_INVALID");
    CHECK(f->C_DigestInit(s, NULL) == CKR_ARGUMENTS_BAD, "digest: NULL mechanism -> CKR_ARGUMENTS_BAD");
    CHECK(f->C_DigestInit(s, &m) == CKR_OK, "digest: C_DigestInit SHA-256");
    CHECK(f->C_DigestInit(s, &m) == CKR_OPERATION_ACTIVE, "digest: second init -> CKR_OPERATION_ACTIVE");
    n = 0;
    CHECK(f->C_Digest(s, (CK_BYTE_PTR) "abc", 3, NULL, &n) == CKR_OK && n == 32,
          "digest: NULL output asks the length (32)");
    n = 31;
    CHECK(f->C_Digest(s, (CK_BYTE_PTR) "abc", 3, out, &n) == CKR_BUFFER_TOO_SMALL && n == 32,
          "digest: short buffer -> CKR_BUFFER_TOO_SMALL, operation kept");
    n = sizeof out;
    CHECK(f->C_Digest(s, (CK_BYTE_PTR) "abc", 3, out, &n) == CKR_OK && n == 32 &&
              memcmp(out, abc256, 32) == 0, "digest: SHA-256(\"abc\") is the FIPS 180-2 vector");
    CHECK(f->C_DigestUpdate(s, (CK_BYTE_PTR) "a", 1) == CKR_OPERATION_NOT_INITIALIZED,
          "digest: C_Digest ended the operation");
    static const CK_MECHANISM_TYPE all[] = { CKM_SHA256, CKM_SHA384, CKM_SHA512 };
    static const CK_ULONG lens[] = { 32, 48, 64 };
    for (size_t i = 0; i < 3; i++) {
        CK_MECHANISM mm = { all[i], NULL, 0 };
        CK_ULONG n1 = sizeof out, n2 = sizeof out2;
        CK_RV r1 = f->C_DigestInit(s, &mm);
        r1 = r1 == CKR_OK ? f->C_Digest(s, (CK_BYTE_PTR) "hello world", 11, out, &n1) : r1;
        CK_RV r2 = f->C_DigestInit(s, &mm);
        r2 = r2 == CKR_OK ? f->C_DigestUpdate(s, (CK_BYTE_PTR) "hello ", 6) : r2;
        r2 = r2 == CKR_OK ? f->C_DigestUpdate(s, NULL, 0) : r2;
        r2 = r2 == CKR_OK ? f->C_DigestUpdate(s, (CK_BYTE_PTR) "world", 5) : r2;
        r2 = r2 == CKR_OK ? f->C_DigestFinal(s, out2, &n2) : r2;
        CHECK(r1 == CKR_OK && r2 == CKR_OK && n1 == lens[i] && n2 == lens[i] &&
                  memcmp(out, out2, n1) == 0, "digest: mechanism 0x%lx multi-part equals one-shot",
              (unsigned long)all[i]);
    }
    CHECK(f->C_DigestInit(s, &m) == CKR_OK && f->C_DigestUpdate(s, (CK_BYTE_PTR) "a", 1) == CKR_OK &&
              f->C_Digest(s, (CK_BYTE_PTR) "b", 1, out, &n) == CKR_OPERATION_ACTIVE,
          "digest: C_Digest after C_DigestUpdate -> CKR_OPERATION_ACTIVE");
    CHECK(f->C_DigestUpdate(s, NULL, 5) == CKR_ARGUMENTS_BAD &&
              f->C_DigestFinal(s, out, &n) == CKR_OPERATION_NOT_INITIALIZED,
          "digest: a bad C_DigestUpdate ends the operation");
    CHECK(f->C_DigestInit(s, &m) == CKR_OK && f->C_DigestKey(s, priv) == CKR_KEY_INDIGESTIBLE &&
              f->C_DigestFinal(s, out, &n) == CKR_OPERATION_NOT_INITIALIZED,
          "digest: C_DigestKey of a token key -> CKR_KEY_INDIGESTIBLE, operation ended");
    CHECK(f->C_DigestInit(s, &m) == CKR_OK && f->C_DigestKey(s, (priv & ~3UL) | 2) == CKR_KEY_INDIGESTIBLE,
          "digest: C_DigestKey of a public key -> CKR_KEY_INDIGESTIBLE");
    CHECK(f->C_DigestInit(s, &m) == CKR_OK && f->C_DigestKey(s, 0x3FFF1) == CKR_KEY_HANDLE_INVALID &&
              f->C_DigestFinal(s, out, &n) == CKR_OPERATION_NOT_INITIALIZED,
          "digest: C_DigestKey of no object -> CKR_KEY_HANDLE_INVALID, operation ended");
    CHECK(f->C_DigestInit(s, &m) == CKR_OK && f->C_DigestKey(s, 0x80000123UL) == CKR_KEY_HANDLE_INVALID,
          "digest: C_DigestKey of an unknown session handle -> CKR_KEY_HANDLE_INVALID");
    CHECK(f->C_DigestInit(s, &m) == CKR_OK && f->C_DigestKey(s, CK_INVALID_HANDLE) == CKR_KEY_HANDLE_INVALID,
          "digest: C_DigestKey of CK_INVALID_HANDLE -> CKR_KEY_HANDLE_INVALID");
    CHECK(f->C_DigestInit(s, &m) == CKR_OK && f->C_DigestFinal(s, out, NULL) == CKR_ARGUMENTS_BAD &&
              f->C_DigestFinal(s, out, &n) == CKR_OPERATION_NOT_INITIALIZED,
          "digest: C_DigestFinal with NULL length -> CKR_ARGUMENTS_BAD, operation ended");
    CHECK(f->C_DigestInit(s, &m) == CKR_OK && f->C_CloseSession(s) == CKR_OK,
          "digest: closing a session with a digest running");
}

static void length_rules(void)
{
    CK_SESSION_HANDLE s;
    CK_MECHANISM m = { CKM_ECDSA_SHA256, NULL, 0 };
    CK_BYTE data[] = "len", sig[64];
    CK_ULONG len = 0;
    login_session(&s);
    CHECK(f->C_SignInit(s, &m, priv) == CKR_OK && f->C_Sign(s, data, sizeof data, NULL, &len) == CKR_OK &&
              len == 64, "C_Sign length query: 64");
    len = 10;
    CHECK(f->C_Sign(s, data, sizeof data, sig, &len) == CKR_BUFFER_TOO_SMALL && len == 64,
          "C_Sign into 10 bytes: CKR_BUFFER_TOO_SMALL, length 64");
    len = sizeof sig;
    CHECK(f->C_Sign(s, data, sizeof data, sig, &len) == CKR_OK && len == 64,
          "the operation stays active after CKR_BUFFER_TOO_SMALL");
    CK_BYTE point[80];
    CK_ATTRIBUTE a = { CKA_EC_POINT, NULL, 0 };
    CHECK(f->C_GetAttributeValue(s, pub, &a, 1) == CKR_OK && a.ulValueLen == 67,
          "CKA_EC_POINT length query: 67 (DER OCTET STRING of 65 bytes)");
    a.pValue = point;
    a.ulValueLen = 10;
    CHECK(f->C_GetAttributeValue(s, pub, &a, 1) == CKR_BUFFER_TOO_SMALL && a.ulValueLen == CK_UNAVAILABLE_INFORMATION,
          "CKA_EC_POINT into 10 bytes: CKR_BUFFER_TOO_SMALL");
    CK_BYTE tiny[2];
    CK_ATTRIBUTE val = { CKA_VALUE, tiny, sizeof tiny };
    CHECK(f->C_GetAttributeValue(s, priv, &val, 1) == CKR_ATTRIBUTE_SENSITIVE && val.ulValueLen == CK_UNAVAILABLE_INFORMATION,
          "private key CKA_VALUE: CKR_ATTRIBUTE_SENSITIVE");
    f->C_CloseSession(s);
}

static void threads(void)
{
    pthread_t t[THREADS];
    long total = 0;
    CK_SESSION_HANDLE s;
    login_session(&s);
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, signer, NULL);
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        total += (long)r;
    }
    CHECK(total == THREADS * SIGNS, "%d threads x %d C_Sign each: %ld succeeded", THREADS, SIGNS, total);
    f->C_CloseSession(s);
}

static void token_restart(pid_t *pid)
{
    CK_SESSION_HANDLE s;
    CK_ULONG len;
    CK_TOKEN_INFO ti;
    CHECK(login_session(&s) == CKR_OK && sign_once(s, &len) == CKR_OK, "signing before the token dies");
    kill(*pid, SIGKILL);
    waitpid(*pid, NULL, 0);
    CK_RV rv = sign_once(s, &len);
    CHECK(rv == CKR_DEVICE_ERROR || rv == CKR_DEVICE_REMOVED || rv == CKR_SESSION_HANDLE_INVALID,
          "token killed: C_Sign fails with a device error (0x%lx)", (unsigned long)rv);
    rv = f->C_GetTokenInfo(0, &ti);
    CHECK(rv == CKR_DEVICE_ERROR || rv == CKR_TOKEN_NOT_PRESENT || rv == CKR_DEVICE_REMOVED,
          "token killed: C_GetTokenInfo fails (0x%lx)", (unsigned long)rv);
    *pid = tp_start(dir, sock);
    CHECK(f->C_GetTokenInfo(0, &ti) == CKR_OK && !memcmp(ti.label, "p11 unit", 8), "token back: C_GetTokenInfo works");
    CK_SESSION_HANDLE s2;
    CHECK(login_session(&s2) == CKR_OK && sign_once(s2, &len) == CKR_OK && len == 64,
          "token back: a new session logs in and signs");
    f->C_CloseSession(s);
    f->C_CloseSession(s2);
}

/* CKO_SBRGUARD_EVIDENCE: a session object the module keeps and sends with
 * the session's TBS (pkcs11_vendor.h). */
static void evidence_objects(void)
{
    CK_SESSION_HANDLE s;
    CK_OBJECT_CLASS cls = CKO_SBRGUARD_EVIDENCE, got_cls = 0;
    CK_BBOOL yes = CK_TRUE, tok = CK_TRUE;
    static CK_BYTE ev[SG_MAX_EVIDENCE + 1];
    CK_BYTE back[16];
    CK_OBJECT_HANDLE h = 0, found[4];
    CK_ULONG n = 0, len;
    memset(ev, 0x30, sizeof ev);
    CHECK(login_session(&s) == CKR_OK, "evidence: user session");
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof cls }, { CKA_VALUE, ev, 16 }, { CKA_TOKEN, &yes, sizeof yes } };
    CHECK(f->C_CreateObject(s, t, 3, &h) == CKR_TEMPLATE_INCONSISTENT, "evidence on the token (CKA_TOKEN = TRUE): refused");
    CHECK(f->C_CreateObject(s, t, 1, &h) == CKR_TEMPLATE_INCOMPLETE, "evidence without CKA_VALUE: incomplete");
    t[1].ulValueLen = SG_MAX_EVIDENCE + 1;
    CHECK(f->C_CreateObject(s, t, 2, &h) == CKR_ATTRIBUTE_VALUE_INVALID, "evidence over SG_MAX_EVIDENCE bytes: refused");
    t[1].ulValueLen = 16;
    CHECK(f->C_CreateObject(s, t, 2, &h) == CKR_OK && h != 0, "evidence session object created");
    CK_ATTRIBUTE q[] = { { CKA_CLASS, &got_cls, sizeof got_cls }, { CKA_VALUE, back, sizeof back },
                         { CKA_TOKEN, &tok, sizeof tok } };
    CHECK(f->C_GetAttributeValue(s, h, q, 3) == CKR_OK && got_cls == CKO_SBRGUARD_EVIDENCE &&
              q[1].ulValueLen == 16 && memcmp(back, ev, 16) == 0 && tok == CK_FALSE,
          "evidence reads back: class, value, CKA_TOKEN = FALSE");
    CHECK(f->C_FindObjectsInit(s, t, 1) == CKR_OK && f->C_FindObjects(s, found, 4, &n) == CKR_OK &&
              f->C_FindObjectsFinal(s) == CKR_OK && n == 1 && found[0] == h,
          "C_FindObjects by CKO_SBRGUARD_EVIDENCE finds it");
    CHECK(sign_once(s, &len) == CKR_OK && len == 64, "a plain key signs with evidence attached");
    CHECK(f->C_DestroyObject(s, h) == CKR_OK &&
              f->C_GetAttributeValue(s, h, q, 1) == CKR_OBJECT_HANDLE_INVALID,
          "C_DestroyObject removes the evidence");
    f->C_CloseSession(s);
}

int main(void)
{
    pid_t pid;
    if (!mkdtemp(dir))
        return 1;
    f = pm_start(dir, sock, sizeof sock, &pid);
    CHECK(f, "load the module and get its function list");
    if (!f)
        return 1;
    not_initialized();
    CK_C_INITIALIZE_ARGS args = { .flags = CKF_OS_LOCKING_OK };
    CHECK(f->C_Initialize(&args) == CKR_OK, "C_Initialize with CKF_OS_LOCKING_OK");
    setup();
    length_rules();
    digests();
    evidence_objects();
    threads();
    token_restart(&pid);
    CHECK(f->C_Finalize(NULL) == CKR_OK, "C_Finalize");
    return pm_stop(dir, pid) == 0 ? CHECK_DONE() : 1;
}
