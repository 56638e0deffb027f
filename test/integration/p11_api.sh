#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# PKCS#11 API conformance of libsbrguard-pkcs11.so, checked call by call by a
# small C client compiled here: locking arguments, length queries and
# CKR_BUFFER_TOO_SMALL, attribute rules, sign state machine, session objects,
# many threads, and the token dying and coming back. Starts its own
# sbrguard-token. BIN (default build/host; build/asan for ASan+UBSan).
#
# Output: one line per check on stdout, "ok - what" or "not ok - what";
# details go to stderr. Exit status is non-zero if any check failed.
set -u
cd "$(dirname "$0")/../.."
BIN=${BIN:-build/host}
MOD=$PWD/$BIN/libsbrguard-pkcs11.so
TOKEN=$PWD/$BIN/sbrguard-token
TMP=$(mktemp -d)
cleanup() {
    [ -f "$TMP/token.pid" ] && kill "$(cat "$TMP/token.pid")" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

CFLAGS="-std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror"
RUN_ENV=()
if ldd "$MOD" 2>/dev/null | grep -q libasan; then
    CFLAGS="$CFLAGS -fsanitize=address,undefined -fno-omit-frame-pointer"
fi

# Token control for the client: start (waits for the socket) and kill -9.
cat >"$TMP/start" <<EOF
#!/bin/sh
rm -f "$TMP/token.sock"
"$TOKEN" --socket "$TMP/token.sock" --flash "$TMP/flash.bin" 2>>"$TMP/token.log" &
echo \$! >"$TMP/token.pid"
i=0; while [ ! -S "$TMP/token.sock" ] && [ \$i -lt 200 ]; do sleep 0.05; i=\$((i+1)); done
[ -S "$TMP/token.sock" ]
EOF
cat >"$TMP/kill" <<EOF
#!/bin/sh
kill -9 \$(cat "$TMP/token.pid") 2>/dev/null; rm -f "$TMP/token.pid"; sleep 0.1
EOF
chmod +x "$TMP/start" "$TMP/kill"

openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TMP/k.pem" \
    -subj "/CN=p11 api test" -days 30 -outform DER -out "$TMP/cert.der" 2>/dev/null

cat >"$TMP/api.c" <<'EOF'
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <p11-kit-1/p11-kit/pkcs11.h>
#include "sbrguard/pkcs11_vendor.h"

static CK_FUNCTION_LIST_PTR f;
static int failed;
static char *dir;

static void check(const char *what, int cond)
{
    printf("%s - %s\n", cond ? "ok" : "not ok", what);
    fflush(stdout);
    if (!cond)
        failed = 1;
}

static void rv_is(const char *what, CK_RV rv, CK_RV want)
{
    if (rv != want)
        fprintf(stderr, "%s: rv 0x%lx, want 0x%lx\n", what, rv, want);
    check(what, rv == want);
}

static int run(const char *name)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s/%s", dir, name);
    return system(cmd);
}

/* Application mutex callbacks, counted. */
static int n_create, n_lock, n_destroy;
static CK_RV m_create(void **m)
{
    pthread_mutex_t *p = malloc(sizeof *p);
    pthread_mutex_init(p, NULL);
    *m = p;
    n_create++;
    return CKR_OK;
}
static CK_RV m_destroy(void *m)
{
    pthread_mutex_destroy(m);
    free(m);
    n_destroy++;
    return CKR_OK;
}
static CK_RV m_lock(void *m) { pthread_mutex_lock(m); n_lock++; return CKR_OK; }
static CK_RV m_unlock(void *m) { pthread_mutex_unlock(m); return CKR_OK; }

static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
static const CK_BYTE oid_p256[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
static const CK_BYTE oid_p384[] = {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22};
static const CK_BYTE oid_p521[] = {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x23};
static const CK_BYTE oid_k256[] = {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x0A};
static const CK_BYTE name_p521[] = {0x13, 0x09, 's', 'e', 'c', 'p', '5', '2', '1', 'r', '1'};

static CK_RV gen_ec(CK_SESSION_HANDLE s, const CK_BYTE *params, CK_ULONG plen, const char *id,
                    CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM m = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_ATTRIBUTE pt[] = {{CKA_EC_PARAMS, (void *)params, plen}, {CKA_TOKEN, &yes, 1},
                         {CKA_VERIFY, &yes, 1}, {CKA_LABEL, (void *)id, strlen(id)}};
    CK_ATTRIBUTE kt[] = {{CKA_TOKEN, &yes, 1}, {CKA_PRIVATE, &yes, 1}, {CKA_SENSITIVE, &yes, 1},
                         {CKA_SIGN, &yes, 1}, {CKA_ID, (void *)id, strlen(id)}};
    return f->C_GenerateKeyPair(s, &m, pt, 4, kt, 5, pub, priv);
}

static CK_RV gen_rsa(CK_SESSION_HANDLE s, CK_ULONG bits, const CK_BYTE *e, CK_ULONG elen,
                     const char *id, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM m = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_ATTRIBUTE pt[] = {{CKA_MODULUS_BITS, &bits, sizeof bits}, {CKA_TOKEN, &yes, 1},
                         {CKA_PUBLIC_EXPONENT, (void *)e, elen}};
    CK_ATTRIBUTE kt[] = {{CKA_TOKEN, &yes, 1}, {CKA_SIGN, &yes, 1}, {CKA_DECRYPT, &yes, 1},
                         {CKA_ID, (void *)id, strlen(id)}};
    return f->C_GenerateKeyPair(s, &m, pt, e ? 3 : 2, kt, 4, pub, priv);
}

static CK_ULONG count_class(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls)
{
    CK_ATTRIBUTE t = {CKA_CLASS, &cls, sizeof cls};
    CK_OBJECT_HANDLE h[64];
    CK_ULONG n = 0;
    if (f->C_FindObjectsInit(s, &t, 1) != CKR_OK)
        return (CK_ULONG)-1;
    f->C_FindObjects(s, h, 64, &n);
    f->C_FindObjectsFinal(s);
    return n;
}

static CK_OBJECT_HANDLE ec_priv; /* P-256 key for the threads */
static int thread_errors;
static pthread_mutex_t te_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    (void)arg;
    CK_SESSION_HANDLE s;
    CK_MECHANISM m = {CKM_ECDSA_SHA256, NULL, 0};
    CK_BYTE data[100] = {1}, sig[64];
    int errs = 0;
    if (f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s) != CKR_OK)
        errs++;
    for (int i = 0; i < 40 && !errs; i++) {
        CK_ULONG n = sizeof sig;
        CK_BYTE label[64];
        CK_ATTRIBUTE t = {CKA_LABEL, label, sizeof label};
        if (f->C_SignInit(s, &m, ec_priv) != CKR_OK || f->C_Sign(s, data, sizeof data, sig, &n) != CKR_OK ||
            n != 64 || f->C_GetAttributeValue(s, ec_priv, &t, 1) != CKR_OK ||
            count_class(s, CKO_PUBLIC_KEY) == (CK_ULONG)-1)
            errs++;
    }
    f->C_CloseSession(s);
    pthread_mutex_lock(&te_lock);
    thread_errors += errs;
    pthread_mutex_unlock(&te_lock);
    return NULL;
}

static CK_BYTE cert[4096];
static size_t cert_len;

/* Binds ca.der (self-signed with the token key "r1") as its CA certificate. */
static int bind_ca(CK_C_GetFunctionList gfl)
{
    char path[4096];
    CK_BYTE der[4096], buf[256];
    snprintf(path, sizeof path, "%s/ca.der", dir);
    FILE *fp = fopen(path, "rb");
    size_t len = fp ? fread(der, 1, sizeof der, fp) : 0;
    if (fp)
        fclose(fp);
    CK_SESSION_HANDLE s;
    CK_OBJECT_HANDLE key = 0, crt, hs[4];
    CK_OBJECT_CLASS cc = CKO_CERTIFICATE, pk = CKO_PRIVATE_KEY;
    CK_ULONG n = 0;
    CK_BBOOL ca = CK_FALSE;
    gfl(&f);
    f->C_Initialize(NULL);
    f->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s);
    rv_is("bind: login", f->C_Login(s, CKU_USER, (CK_UTF8CHAR *)"1234", 4), CKR_OK);
    CK_ATTRIBUTE kt[] = {{CKA_CLASS, &pk, sizeof pk}, {CKA_ID, "r1", 2}};
    f->C_FindObjectsInit(s, kt, 2);
    f->C_FindObjects(s, &key, 1, &n);
    f->C_FindObjectsFinal(s);
    check("bind: key r1 found", n == 1);
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cc, sizeof cc}, {CKA_TOKEN, &yes, 1}, {CKA_VALUE, der, len},
                        {CKA_ID, "r1", 2}, {CKA_LABEL, "ca", 2}, {CKA_SBRGUARD_CA, &yes, 1}};
    rv_is("bind: C_CreateObject with CKA_SBRGUARD_CA", f->C_CreateObject(s, t, 6, &crt), CKR_OK);
    CK_OBJECT_HANDLE bound = 0;
    CK_ATTRIBUTE a[] = {{CKA_SBRGUARD_CA, &ca, 1}, {CKA_SBRGUARD_BOUND_KEY, &bound, sizeof bound},
                        {CKA_LABEL, buf, sizeof buf}, {CKA_ID, buf + 100, 100}};
    rv_is("bind: read the CA certificate", f->C_GetAttributeValue(s, crt, a, 4), CKR_OK);
    check("bind: CA flag and bound key", ca == CK_TRUE && bound == key && a[2].ulValueLen == 2);
    check("bind: the CA certificate has the key's CKA_ID", a[3].ulValueLen == 2 && !memcmp(buf + 100, "r1", 2));
    ca = CK_FALSE;
    f->C_GetAttributeValue(s, key, a, 1);
    check("bind: the key is now a CA key", ca == CK_TRUE);
    CK_ATTRIBUTE ct[] = {{CKA_CLASS, &cc, sizeof cc}, {CKA_SBRGUARD_CA, &yes, 1}};
    f->C_FindObjectsInit(s, ct, 2);
    f->C_FindObjects(s, hs, 4, &n);
    f->C_FindObjectsFinal(s);
    check("bind: find CA certificates by the vendor attribute", n == 1 && hs[0] == crt);
    rv_is("bind: a bound CA certificate cannot be destroyed", f->C_DestroyObject(s, crt),
          CKR_ACTION_PROHIBITED);
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_BYTE sig[512];
    CK_ULONG sl = sizeof sig;
    f->C_SignInit(s, &m, key);
    rv_is("bind: the CA key refuses arbitrary data", f->C_Sign(s, (CK_BYTE *)"hello", 5, sig, &sl),
          CKR_FUNCTION_REJECTED);
    /* The binding belongs to the private key: the public key goes alone. */
    CK_OBJECT_HANDLE kpub = (key & ~3UL) | 2;
    rv_is("bind: destroy the CA key's public key", f->C_DestroyObject(s, kpub), CKR_OK);
    ca = CK_FALSE;
    f->C_GetAttributeValue(s, key, a, 1);
    check("bind: the private key stays a CA key", ca == CK_TRUE);
    sl = sizeof sig;
    f->C_SignInit(s, &m, key);
    rv_is("bind: ... and still refuses arbitrary data", f->C_Sign(s, (CK_BYTE *)"hello", 5, sig, &sl),
          CKR_FUNCTION_REJECTED);
    rv_is("bind: its CA certificate still cannot be destroyed", f->C_DestroyObject(s, crt), CKR_ACTION_PROHIBITED);
    CK_ATTRIBUTE mv[] = {{CKA_ID, "zz", 2}};
    CK_OBJECT_HANDLE cpy;
    rv_is("bind: C_SetAttributeValue cannot move the binding (CKA_ID of the CA certificate)",
          f->C_SetAttributeValue(s, crt, mv, 1), CKR_ACTION_PROHIBITED);
    rv_is("bind: ... nor of the CA key", f->C_SetAttributeValue(s, key, mv, 1), CKR_ACTION_PROHIBITED);
    rv_is("bind: C_CopyObject of the CA certificate", f->C_CopyObject(s, crt, mv, 1, &cpy), CKR_ACTION_PROHIBITED);
    f->C_Finalize(NULL);
    return failed;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    dir = argv[2];
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "%s\n", dlerror());
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/cert.der", dir);
    FILE *cf = fopen(path, "rb");
    cert_len = cf ? fread(cert, 1, sizeof cert, cf) : 0;
    if (cf)
        fclose(cf);
    CK_C_GetFunctionList gfl = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
    if (argc > 3 && !strcmp(argv[3], "bind"))
        return bind_ca(gfl);
    check("C_GetFunctionList is exported", gfl != NULL);
    check("only C_GetFunctionList is exported", dlsym(lib, "C_Initialize") == NULL &&
                                                    dlsym(lib, "sg_connect") == NULL);
    rv_is("C_GetFunctionList", gfl(&f), CKR_OK);
    check("function list version 2.40", f->version.major == 2 && f->version.minor == 40);
    CK_INFO info;
    rv_is("C_GetInfo before C_Initialize", f->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);

    /* Locking arguments. */
    CK_C_INITIALIZE_ARGS ia = {0};
    ia.CreateMutex = m_create;
    rv_is("partial mutex callbacks rejected", f->C_Initialize(&ia), CKR_ARGUMENTS_BAD);
    ia.DestroyMutex = m_destroy;
    ia.LockMutex = m_lock;
    ia.UnlockMutex = m_unlock;
    rv_is("C_Initialize with application mutexes", f->C_Initialize(&ia), CKR_OK);
    rv_is("second C_Initialize", f->C_Initialize(NULL), CKR_CRYPTOKI_ALREADY_INITIALIZED);
    CK_ULONG n = 0;
    f->C_CloseAllSessions(0); /* takes slot 0's lock */
    check("application mutex callbacks used", n_create == 1 && n_lock > 0);
    rv_is("C_Finalize", f->C_Finalize(NULL), CKR_OK);
    check("application mutex destroyed", n_destroy == 1);
    int locks = n_lock;
    ia.flags = CKF_OS_LOCKING_OK;
    rv_is("C_Initialize with CKF_OS_LOCKING_OK and callbacks", f->C_Initialize(&ia), CKR_OK);
    f->C_CloseAllSessions(0);
    check("CKF_OS_LOCKING_OK: OS locks used", n_lock == locks);
    f->C_Finalize(NULL);
    CK_C_INITIALIZE_ARGS os = {0};
    os.flags = CKF_OS_LOCKING_OK;
    rv_is("C_Initialize with CKF_OS_LOCKING_OK", f->C_Initialize(&os), CKR_OK);
    rv_is("C_GetInfo", f->C_GetInfo(&info), CKR_OK);
    check("C_GetInfo: 2.40, sbrguard", info.cryptokiVersion.major == 2 &&
                                        info.cryptokiVersion.minor == 40 &&
                                        !memcmp(info.manufacturerID, "sbrguard ", 9));

    /* Lists: length query and short buffers. */
    CK_SLOT_ID slots[4];
    n = 0;
    rv_is("C_GetSlotList length query", f->C_GetSlotList(CK_TRUE, NULL, &n), CKR_OK);
    check("one slot", n == 1);
    n = 0;
    rv_is("C_GetSlotList short buffer", f->C_GetSlotList(CK_TRUE, slots, &n), CKR_BUFFER_TOO_SMALL);
    check("C_GetSlotList short buffer returns the count", n == 1);
    n = 4;
    rv_is("C_GetSlotList", f->C_GetSlotList(CK_FALSE, slots, &n), CKR_OK);
    check("slot id 0", n == 1 && slots[0] == 0);
    CK_SLOT_INFO si;
    rv_is("C_GetSlotInfo", f->C_GetSlotInfo(0, &si), CKR_OK);
    check("token present", (si.flags & CKF_TOKEN_PRESENT) != 0);
    rv_is("C_GetSlotInfo bad slot", f->C_GetSlotInfo(7, &si), CKR_SLOT_ID_INVALID);
    CK_MECHANISM_TYPE mechs[32];
    n = 0;
    rv_is("C_GetMechanismList length query", f->C_GetMechanismList(0, NULL, &n), CKR_OK);
    CK_ULONG nm = n;
    check("17 mechanisms: 2 key-pair generations, 12 signatures, 3 digests", nm == 17);
    n = 2;
    rv_is("C_GetMechanismList short buffer", f->C_GetMechanismList(0, mechs, &n), CKR_BUFFER_TOO_SMALL);
    check("C_GetMechanismList short buffer returns the count", n == nm);
    n = 32;
    rv_is("C_GetMechanismList", f->C_GetMechanismList(0, mechs, &n), CKR_OK);
    int digests = 0;
    for (CK_ULONG k = 0; k < n; k++)
        digests += mechs[k] == CKM_SHA256 || mechs[k] == CKM_SHA384 || mechs[k] == CKM_SHA512;
    check("the list names SHA-256, SHA-384 and SHA-512", n == nm && digests == 3);
    CK_MECHANISM_INFO mi;
    rv_is("C_GetMechanismInfo RSA keygen", f->C_GetMechanismInfo(0, CKM_RSA_PKCS_KEY_PAIR_GEN, &mi), CKR_OK);
    check("RSA keygen 2048..4096, generate_key_pair", mi.ulMinKeySize == 2048 && mi.ulMaxKeySize == 4096 &&
                                                      (mi.flags & CKF_GENERATE_KEY_PAIR) && (mi.flags & CKF_HW));
    rv_is("C_GetMechanismInfo ECDSA", f->C_GetMechanismInfo(0, CKM_ECDSA, &mi), CKR_OK);
    check("ECDSA 256..521, sign, named curves", mi.ulMinKeySize == 256 && mi.ulMaxKeySize == 521 &&
                                               (mi.flags & CKF_SIGN) && (mi.flags & CKF_EC_NAMEDCURVE) &&
                                               (mi.flags & CKF_EC_UNCOMPRESS) && (mi.flags & CKF_EC_F_P));
    check("ECDSA verifies (on the host)", (mi.flags & CKF_VERIFY) != 0);
    rv_is("C_GetMechanismInfo SHA384-RSA-PSS", f->C_GetMechanismInfo(0, CKM_SHA384_RSA_PKCS_PSS, &mi), CKR_OK);
    check("SHA384-RSA-PSS 2048..4096, sign and verify, no EC flags",
          mi.ulMinKeySize == 2048 && mi.ulMaxKeySize == 4096 && (mi.flags & CKF_SIGN) && (mi.flags & CKF_VERIFY) &&
              (mi.flags & CKF_HW) && !(mi.flags & (CKF_EC_F_P | CKF_EC_NAMEDCURVE | CKF_GENERATE_KEY_PAIR)));
    rv_is("C_GetMechanismInfo EC keygen", f->C_GetMechanismInfo(0, CKM_EC_KEY_PAIR_GEN, &mi), CKR_OK);
    check("EC keygen 256..521 (P-256, P-384, P-521), no sign", mi.ulMinKeySize == 256 && mi.ulMaxKeySize == 521 &&
                                                             (mi.flags & CKF_GENERATE_KEY_PAIR) && !(mi.flags & CKF_SIGN));
    rv_is("C_GetMechanismInfo SHA-512", f->C_GetMechanismInfo(0, CKM_SHA512, &mi), CKR_OK);
    check("SHA-512: digest on the host, no key sizes", mi.flags == CKF_DIGEST && mi.ulMinKeySize == 0 &&
                                                       mi.ulMaxKeySize == 0);
    rv_is("C_GetMechanismInfo NULL info", f->C_GetMechanismInfo(0, CKM_SHA512, NULL), CKR_ARGUMENTS_BAD);
    rv_is("C_GetMechanismInfo bad slot", f->C_GetMechanismInfo(3, CKM_SHA512, &mi), CKR_SLOT_ID_INVALID);
    rv_is("C_GetMechanismInfo SHA-1 RSA", f->C_GetMechanismInfo(0, CKM_SHA1_RSA_PKCS, &mi), CKR_MECHANISM_INVALID);

    /* Token set-up. */
    CK_TOKEN_INFO ti;
    CK_UTF8CHAR label[32];
    memset(label, ' ', 32);
    memcpy(label, "api", 3);
    rv_is("C_InitToken", f->C_InitToken(0, (CK_UTF8CHAR *)"12345678", 8, label), CKR_OK);
    rv_is("C_GetTokenInfo", f->C_GetTokenInfo(0, &ti), CKR_OK);
    check("token label, model, manufacturer", !memcmp(ti.label, "api ", 4) &&
                                              !memcmp(ti.model, "sbrguard-sim    ", 16) &&
                                              !memcmp(ti.manufacturerID, "sbrguard ", 9));
    check("token flags: initialized, no user PIN yet",
          (ti.flags & (CKF_TOKEN_INITIALIZED | CKF_RNG | CKF_LOGIN_REQUIRED | CKF_CLOCK_ON_TOKEN)) ==
              (CKF_TOKEN_INITIALIZED | CKF_RNG | CKF_LOGIN_REQUIRED | CKF_CLOCK_ON_TOKEN) &&
          !(ti.flags & CKF_USER_PIN_INITIALIZED));
    check("utcTime from the token clock", ti.utcTime[0] == '2' && ti.utcTime[14] == '0' &&
                                          ti.utcTime[15] == '0');
    check("PIN length 4..64", ti.ulMinPinLen == 4 && ti.ulMaxPinLen == 64);
    CK_SESSION_HANDLE rw, ro, s2;
    rv_is("C_OpenSession without CKF_SERIAL_SESSION",
          f->C_OpenSession(0, 0, NULL, NULL, &rw), CKR_SESSION_PARALLEL_NOT_SUPPORTED);
    rv_is("C_OpenSession R/W", f->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &rw), CKR_OK);
    rv_is("C_InitToken with a session open", f->C_InitToken(0, (CK_UTF8CHAR *)"12345678", 8, label),
          CKR_SESSION_EXISTS);
    rv_is("C_Login SO", f->C_Login(rw, CKU_SO, (CK_UTF8CHAR *)"12345678", 8), CKR_OK);
    rv_is("R/O session while SO is logged in",
          f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro), CKR_SESSION_READ_WRITE_SO_EXISTS);
    rv_is("C_InitPIN short PIN", f->C_InitPIN(rw, (CK_UTF8CHAR *)"12", 2), CKR_PIN_LEN_RANGE);
    rv_is("C_InitPIN", f->C_InitPIN(rw, (CK_UTF8CHAR *)"1234", 4), CKR_OK);
    rv_is("C_Login user while SO", f->C_Login(rw, CKU_USER, (CK_UTF8CHAR *)"1234", 4),
          CKR_USER_ANOTHER_ALREADY_LOGGED_IN);
    rv_is("C_Logout", f->C_Logout(rw), CKR_OK);
    rv_is("C_Logout again", f->C_Logout(rw), CKR_USER_NOT_LOGGED_IN);
    rv_is("C_OpenSession R/O", f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro), CKR_OK);
    rv_is("C_Login SO with a R/O session", f->C_Login(rw, CKU_SO, (CK_UTF8CHAR *)"12345678", 8),
          CKR_SESSION_READ_ONLY_EXISTS);
    rv_is("wrong user PIN", f->C_Login(ro, CKU_USER, (CK_UTF8CHAR *)"9999", 4), CKR_PIN_INCORRECT);
    f->C_GetTokenInfo(0, &ti);
    check("user PIN count low after a wrong PIN", (ti.flags & CKF_USER_PIN_COUNT_LOW) &&
                                                  (ti.flags & CKF_USER_PIN_INITIALIZED));
    rv_is("bad user type", f->C_Login(ro, 7, (CK_UTF8CHAR *)"1234", 4), CKR_USER_TYPE_INVALID);
    rv_is("C_Login user", f->C_Login(ro, CKU_USER, (CK_UTF8CHAR *)"1234", 4), CKR_OK);
    rv_is("C_Login user twice", f->C_Login(rw, CKU_USER, (CK_UTF8CHAR *)"1234", 4), CKR_USER_ALREADY_LOGGED_IN);
    CK_SESSION_INFO sinfo;
    f->C_GetSessionInfo(rw, &sinfo);
    check("R/W session state is RW_USER_FUNCTIONS", sinfo.state == CKS_RW_USER_FUNCTIONS);
    f->C_GetSessionInfo(ro, &sinfo);
    check("R/O session state is RO_USER_FUNCTIONS", sinfo.state == CKS_RO_USER_FUNCTIONS);
    rv_is("C_SetPIN needs a R/W session", f->C_SetPIN(ro, (CK_UTF8CHAR *)"1234", 4, (CK_UTF8CHAR *)"4321", 4),
          CKR_SESSION_READ_ONLY);
    rv_is("C_SetPIN wrong old PIN", f->C_SetPIN(rw, (CK_UTF8CHAR *)"0000", 4, (CK_UTF8CHAR *)"4321", 4),
          CKR_PIN_INCORRECT);
    rv_is("C_SetPIN", f->C_SetPIN(rw, (CK_UTF8CHAR *)"1234", 4, (CK_UTF8CHAR *)"4321", 4), CKR_OK);
    rv_is("C_SetPIN back", f->C_SetPIN(rw, (CK_UTF8CHAR *)"4321", 4, (CK_UTF8CHAR *)"1234", 4), CKR_OK);

    /* Key generation. */
    CK_OBJECT_HANDLE pub, priv, p384, p521, p521pub, rsa_pub, rsa_priv, h;
    rv_is("EC keygen needs a R/W session", gen_ec(ro, oid_p256, sizeof oid_p256, "e1", &pub, &priv),
          CKR_SESSION_READ_ONLY);
    rv_is("EC keygen P-256", gen_ec(rw, oid_p256, sizeof oid_p256, "e1", &pub, &ec_priv), CKR_OK);
    check("handles: (h << 2) | 1 private, | 2 public", (ec_priv & 3) == 1 && (pub & 3) == 2 &&
                                                        (ec_priv >> 2) == (pub >> 2));
    CK_OBJECT_HANDLE ec_pub = pub;
    rv_is("EC keygen P-384", gen_ec(rw, oid_p384, sizeof oid_p384, "e2", &pub, &p384), CKR_OK);
    rv_is("EC keygen P-521 by curve name", gen_ec(rw, name_p521, sizeof name_p521, "e3", &p521pub, &p521),
          CKR_OK);
    rv_is("EC keygen secp256k1", gen_ec(rw, oid_k256, sizeof oid_k256, "e4", &pub, &priv),
          CKR_CURVE_NOT_SUPPORTED);
    static const CK_BYTE f4[] = {1, 0, 1}, e3[] = {3}, f4z[] = {0, 1, 0, 1};
    rv_is("RSA keygen e = 3", gen_rsa(rw, 2048, e3, 1, "r0", &pub, &priv), CKR_ATTRIBUTE_VALUE_INVALID);
    rv_is("RSA keygen 1024", gen_rsa(rw, 1024, f4, 3, "r0", &pub, &priv), CKR_KEY_SIZE_RANGE);
    rv_is("RSA keygen 2048", gen_rsa(rw, 2048, f4z, 4, "r1", &rsa_pub, &rsa_priv), CKR_OK);
    {
        CK_MECHANISM m = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
        CK_ATTRIBUTE pt[] = {{CKA_EC_PARAMS, (void *)oid_p256, sizeof oid_p256}};
        CK_ATTRIBUTE bad[] = {{CKA_VENDOR_DEFINED | 0x777, &yes, 1}};
        CK_ATTRIBUTE ext[] = {{CKA_EXTRACTABLE, &yes, 1}};
        CK_ATTRIBUTE tok[] = {{CKA_TOKEN, &no, 1}};
        rv_is("keygen: unknown attribute", f->C_GenerateKeyPair(rw, &m, pt, 1, bad, 1, &pub, &priv),
              CKR_ATTRIBUTE_TYPE_INVALID);
        rv_is("keygen: extractable refused", f->C_GenerateKeyPair(rw, &m, pt, 1, ext, 1, &pub, &priv),
              CKR_ATTRIBUTE_VALUE_INVALID);
        /* A session pair (host/pkcs11/README.md), gone again at once. */
        rv_is("keygen: a session pair (CKA_TOKEN = FALSE)", f->C_GenerateKeyPair(rw, &m, pt, 1, tok, 1, &pub, &priv),
              CKR_OK);
        rv_is("keygen: its private half destroyed", f->C_DestroyObject(rw, priv), CKR_OK);
        rv_is("keygen: its public half destroyed", f->C_DestroyObject(rw, pub), CKR_OK);
        rv_is("keygen: no curve", f->C_GenerateKeyPair(rw, &m, NULL, 0, NULL, 0, &pub, &priv),
              CKR_TEMPLATE_INCOMPLETE);
    }

    /* Attributes. */
    CK_BYTE buf[1024];
    CK_ATTRIBUTE a = {CKA_MODULUS, NULL, 0};
    rv_is("C_GetAttributeValue length query", f->C_GetAttributeValue(ro, rsa_pub, &a, 1), CKR_OK);
    check("CKA_MODULUS is 256 bytes", a.ulValueLen == 256);
    a.pValue = buf;
    a.ulValueLen = 10;
    rv_is("C_GetAttributeValue short buffer", f->C_GetAttributeValue(ro, rsa_pub, &a, 1), CKR_BUFFER_TOO_SMALL);
    check("short buffer: CK_UNAVAILABLE_INFORMATION", a.ulValueLen == CK_UNAVAILABLE_INFORMATION);
    {
        CK_BYTE lbl[64], id[64], e[8];
        CK_ULONG bits = 0;
        CK_ATTRIBUTE t[] = {{CKA_ID, id, sizeof id}, {CKA_VENDOR_DEFINED | 0x4242, buf, 8},
                            {CKA_MODULUS_BITS, &bits, sizeof bits}, {CKA_PUBLIC_EXPONENT, e, sizeof e},
                            {CKA_LABEL, lbl, sizeof lbl}};
        rv_is("unknown attribute", f->C_GetAttributeValue(ro, rsa_pub, t, 5), CKR_ATTRIBUTE_TYPE_INVALID);
        check("unknown attribute: unavailable, the rest filled",
              t[1].ulValueLen == CK_UNAVAILABLE_INFORMATION && t[0].ulValueLen == 2 && !memcmp(id, "r1", 2) &&
                  bits == 2048 && t[3].ulValueLen == 3 && !memcmp(e, f4, 3) && t[4].ulValueLen == 0);
    }
    {
        CK_BBOOL sens = 0, ext = 1, nev = 0, alw = 0, loc = 0, sign = 0, dec = 1, mod = 1, pr = 0;
        CK_KEY_TYPE kt = 0;
        CK_MECHANISM_TYPE gm = 0;
        CK_ATTRIBUTE t[] = {{CKA_SENSITIVE, &sens, 1}, {CKA_EXTRACTABLE, &ext, 1},
                            {CKA_NEVER_EXTRACTABLE, &nev, 1}, {CKA_ALWAYS_SENSITIVE, &alw, 1},
                            {CKA_LOCAL, &loc, 1}, {CKA_SIGN, &sign, 1}, {CKA_DECRYPT, &dec, 1},
                            {CKA_MODIFIABLE, &mod, 1}, {CKA_PRIVATE, &pr, 1},
                            {CKA_KEY_TYPE, &kt, sizeof kt}, {CKA_KEY_GEN_MECHANISM, &gm, sizeof gm}};
        rv_is("private key attributes", f->C_GetAttributeValue(ro, ec_priv, t, 11), CKR_OK);
        check("private key: sensitive, never extractable, local, sign only",
              sens && !ext && nev && alw && loc && sign && !dec && !mod && pr && kt == CKK_EC &&
                  gm == CKM_EC_KEY_PAIR_GEN);
        CK_ATTRIBUTE v = {CKA_VALUE, buf, sizeof buf};
        rv_is("EC private value is sensitive", f->C_GetAttributeValue(ro, ec_priv, &v, 1), CKR_ATTRIBUTE_SENSITIVE);
        check("sensitive: CK_UNAVAILABLE_INFORMATION", v.ulValueLen == CK_UNAVAILABLE_INFORMATION);
        CK_ATTRIBUTE d = {CKA_PRIVATE_EXPONENT, buf, sizeof buf};
        rv_is("RSA private exponent is sensitive", f->C_GetAttributeValue(ro, rsa_priv, &d, 1),
              CKR_ATTRIBUTE_SENSITIVE);
        CK_ATTRIBUTE pt[] = {{CKA_EC_PARAMS, buf, sizeof buf}, {CKA_EC_POINT, buf + 100, 400}};
        rv_is("P-521 public key", f->C_GetAttributeValue(ro, p521pub, pt, 2), CKR_OK);
        check("CKA_EC_PARAMS is the P-521 OID", pt[0].ulValueLen == sizeof oid_p521 &&
                                                !memcmp(buf, oid_p521, sizeof oid_p521));
        check("CKA_EC_POINT is a DER OCTET STRING of 04||X||Y", pt[1].ulValueLen == 136 &&
                                                               !memcmp(buf + 100, "\x04\x81\x85\x04", 4));
        CK_ATTRIBUTE spki = {CKA_PUBLIC_KEY_INFO, NULL, 0};
        f->C_GetAttributeValue(ro, ec_pub, &spki, 1);
        check("CKA_PUBLIC_KEY_INFO present", spki.ulValueLen == 91);
        CK_ATTRIBUTE ca = {CKA_SBRGUARD_CA, &sens, 1};
        rv_is("vendor CA attribute", f->C_GetAttributeValue(ro, ec_priv, &ca, 1), CKR_OK);
        check("new key is not a CA key", sens == CK_FALSE);
        /* A CA key signs only what the token's policy accepts. */
        CK_MECHANISM cgm = {CKM_EC_KEY_PAIR_GEN, NULL, 0}, csm = {CKM_ECDSA_SHA256, NULL, 0};
        CK_ATTRIBUTE cpt[] = {{CKA_EC_PARAMS, (void *)oid_p256, sizeof oid_p256}};
        CK_ATTRIBUTE ckt[] = {{CKA_SBRGUARD_CA, &yes, 1}, {CKA_ID, "ca", 2}};
        CK_OBJECT_HANDLE ca_pub, ca_priv;
        rv_is("CA keygen", f->C_GenerateKeyPair(rw, &cgm, cpt, 1, ckt, 2, &ca_pub, &ca_priv), CKR_OK);
        sens = CK_FALSE;
        ca.pValue = &sens;
        f->C_GetAttributeValue(ro, ca_pub, &ca, 1);
        check("CA flag on the public half", sens == CK_TRUE);
        CK_BYTE sig[64];
        CK_ULONG sl = sizeof sig;
        rv_is("C_SignInit with the CA key", f->C_SignInit(ro, &csm, ca_priv), CKR_OK);
        rv_is("CA key refuses arbitrary data", f->C_Sign(ro, (CK_BYTE *)"not a TBS", 9, sig, &sl),
              CKR_FUNCTION_REJECTED);
        char why[512];
        CK_ATTRIBUTE lr = {CKA_SBRGUARD_LAST_REFUSAL, why, sizeof why - 1};
        rv_is("CKA_SBRGUARD_LAST_REFUSAL of the refused key", f->C_GetAttributeValue(ro, ca_priv, &lr, 1), CKR_OK);
        why[lr.ulValueLen < sizeof why ? lr.ulValueLen : 0] = 0;
        fprintf(stderr, "last refusal: %s\n", why);
        check("... names reason codes with their SBR sections", lr.ulValueLen > 5 && strstr(why, " [SBR "));
        lr.ulValueLen = sizeof why;
        rv_is("CKA_SBRGUARD_LAST_REFUSAL of another key", f->C_GetAttributeValue(ro, ec_priv, &lr, 1), CKR_OK);
        check("... is empty", lr.ulValueLen == 0);
        lr.pValue = NULL;
        rv_is("CKA_SBRGUARD_LAST_REFUSAL on a public key", f->C_GetAttributeValue(ro, ca_pub, &lr, 1),
              CKR_ATTRIBUTE_TYPE_INVALID);
        rv_is("destroy the CA private key", f->C_DestroyObject(rw, ca_priv), CKR_OK);
        rv_is("independent keys: the CA public key stays", f->C_GetAttributeValue(ro, ca_pub, &spki, 1), CKR_OK);
        sens = CK_TRUE;
        f->C_GetAttributeValue(ro, ca_pub, &ca, 1);
        check("independent keys: without its private key the public key is no CA key", sens == CK_FALSE);
        rv_is("independent keys: the destroyed private key cannot sign", f->C_SignInit(ro, &csm, ca_priv),
              CKR_KEY_HANDLE_INVALID);
        rv_is("independent keys: destroyed private key handle", f->C_DestroyObject(rw, ca_priv),
              CKR_OBJECT_HANDLE_INVALID);
        rv_is("independent keys: destroy the public key too", f->C_DestroyObject(rw, ca_pub), CKR_OK);
        rv_is("independent keys: both gone", f->C_GetAttributeValue(ro, ca_pub, &spki, 1), CKR_OBJECT_HANDLE_INVALID);
        CK_ATTRIBUTE lab = {CKA_LABEL, (void *)"x", 1};
        rv_is("C_SetAttributeValue", f->C_SetAttributeValue(rw, ec_priv, &lab, 1), CKR_ACTION_PROHIBITED);
    }

    /* Signing. */
    {
        CK_MECHANISM ecm = {CKM_ECDSA_SHA256, NULL, 0}, rsam = {CKM_SHA256_RSA_PKCS, NULL, 0};
        CK_BYTE data[300], sig[600], sig2[600];
        CK_ULONG sl;
        memset(data, 0x5A, sizeof data);
        rv_is("C_Sign without C_SignInit", f->C_Sign(ro, data, 10, sig, &sl), CKR_OPERATION_NOT_INITIALIZED);
        rv_is("ECDSA with an RSA key", f->C_SignInit(ro, &ecm, rsa_priv), CKR_KEY_TYPE_INCONSISTENT);
        rv_is("sign with a public key", f->C_SignInit(ro, &ecm, ec_pub), CKR_KEY_FUNCTION_NOT_PERMITTED);
        CK_MECHANISM sha1 = {CKM_SHA1_RSA_PKCS, NULL, 0};
        rv_is("unsupported mechanism", f->C_SignInit(ro, &sha1, rsa_priv), CKR_MECHANISM_INVALID);
        rv_is("C_SignInit", f->C_SignInit(ro, &ecm, ec_priv), CKR_OK);
        rv_is("C_SignInit twice", f->C_SignInit(ro, &ecm, ec_priv), CKR_OPERATION_ACTIVE);
        sl = 0;
        rv_is("C_Sign length query", f->C_Sign(ro, data, sizeof data, NULL, &sl), CKR_OK);
        check("ECDSA P-256 signature is 64 bytes", sl == 64);
        sl = 10;
        rv_is("C_Sign short buffer", f->C_Sign(ro, data, sizeof data, sig, &sl), CKR_BUFFER_TOO_SMALL);
        check("short buffer returns the length", sl == 64);
        sl = sizeof sig;
        rv_is("C_Sign after the short buffer", f->C_Sign(ro, data, sizeof data, sig, &sl), CKR_OK);
        check("signature length 64", sl == 64);
        rv_is("operation ended", f->C_Sign(ro, data, sizeof data, sig, &sl), CKR_OPERATION_NOT_INITIALIZED);
        f->C_SignInit(ro, &ecm, p384);
        sl = sizeof sig;
        rv_is("ECDSA P-384", f->C_Sign(ro, data, sizeof data, sig, &sl), CKR_OK);
        check("P-384 signature is 96 bytes", sl == 96);
        f->C_SignInit(ro, &ecm, p521);
        sl = sizeof sig;
        rv_is("ECDSA P-521", f->C_Sign(ro, data, sizeof data, sig, &sl), CKR_OK);
        check("P-521 signature is 132 bytes", sl == 132);
        CK_MECHANISM raw = {CKM_ECDSA, NULL, 0};
        f->C_SignInit(ro, &raw, ec_priv);
        sl = sizeof sig;
        rv_is("raw ECDSA of a digest", f->C_Sign(ro, data, 32, sig, &sl), CKR_OK);
        /* PKCS#1 v1.5 is deterministic: one-part and multi-part must agree. */
        f->C_SignInit(ro, &rsam, rsa_priv);
        sl = sizeof sig;
        rv_is("SHA256-RSA-PKCS", f->C_Sign(ro, data, sizeof data, sig, &sl), CKR_OK);
        rv_is("C_SignInit multi-part", f->C_SignInit(ro, &rsam, rsa_priv), CKR_OK);
        rv_is("C_SignUpdate 1", f->C_SignUpdate(ro, data, 100), CKR_OK);
        rv_is("C_SignUpdate 2", f->C_SignUpdate(ro, data + 100, 0), CKR_OK);
        rv_is("C_SignUpdate 3", f->C_SignUpdate(ro, data + 100, 200), CKR_OK);
        rv_is("C_Sign cannot end a multi-part operation", f->C_Sign(ro, data, 1, sig2, &sl), CKR_OPERATION_ACTIVE);
        CK_ULONG sl2 = 0;
        rv_is("C_SignFinal length query", f->C_SignFinal(ro, NULL, &sl2), CKR_OK);
        check("RSA-2048 signature is 256 bytes", sl2 == 256);
        sl2 = 100;
        rv_is("C_SignFinal short buffer", f->C_SignFinal(ro, sig2, &sl2), CKR_BUFFER_TOO_SMALL);
        sl2 = sizeof sig2;
        rv_is("C_SignFinal", f->C_SignFinal(ro, sig2, &sl2), CKR_OK);
        check("multi-part signature equals one-part", sl == 256 && sl2 == 256 && !memcmp(sig, sig2, 256));
        static CK_BYTE big[6145];
        f->C_SignInit(ro, &rsam, rsa_priv);
        sl = sizeof sig;
        rv_is("data above SG_MAX_SIGN_DATA", f->C_Sign(ro, big, sizeof big, sig, &sl), CKR_DATA_LEN_RANGE);
        rv_is("error ended the operation", f->C_SignFinal(ro, sig, &sl), CKR_OPERATION_NOT_INITIALIZED);
        f->C_SignInit(ro, &rsam, rsa_priv);
        f->C_SignUpdate(ro, big, 6000);
        rv_is("multi-part above SG_MAX_SIGN_DATA", f->C_SignUpdate(ro, big, 145), CKR_DATA_LEN_RANGE);
        f->C_SignInit(ro, &rsam, rsa_priv);
        sl = sizeof sig;
        rv_is("exactly SG_MAX_SIGN_DATA", f->C_Sign(ro, big, 6144, sig, &sl), CKR_OK);
        CK_RSA_PKCS_PSS_PARAMS pp = {CKM_SHA256, CKG_MGF1_SHA256, 32};
        CK_MECHANISM pss = {CKM_SHA256_RSA_PKCS_PSS, &pp, sizeof pp};
        CK_MECHANISM pss_bad = {CKM_SHA256_RSA_PKCS_PSS, &pp, 4};
        rv_is("PSS params of the wrong size", f->C_SignInit(ro, &pss_bad, rsa_priv), CKR_MECHANISM_PARAM_INVALID);
        pp.hashAlg = CKM_SHA384;
        rv_is("PSS hash differs from the mechanism's", f->C_SignInit(ro, &pss, rsa_priv),
              CKR_MECHANISM_PARAM_INVALID);
        pp.hashAlg = CKM_SHA256;
        rv_is("C_SignInit SHA256-RSA-PKCS-PSS", f->C_SignInit(ro, &pss, rsa_priv), CKR_OK);
        sl = sizeof sig;
        rv_is("SHA256-RSA-PKCS-PSS", f->C_Sign(ro, data, sizeof data, sig, &sl), CKR_OK);
        pp.sLen = 300;
        f->C_SignInit(ro, &pss, rsa_priv);
        sl = sizeof sig;
        rv_is("PSS salt too long (token)", f->C_Sign(ro, data, sizeof data, sig, &sl),
              CKR_MECHANISM_PARAM_INVALID);
    }

    /* Finding. */
    {
        CK_OBJECT_HANDLE hs[64];
        CK_OBJECT_CLASS pk = CKO_PRIVATE_KEY;
        CK_ATTRIBUTE t = {CKA_CLASS, &pk, sizeof pk};
        rv_is("C_FindObjects without init", f->C_FindObjects(ro, hs, 1, &n), CKR_OPERATION_NOT_INITIALIZED);
        rv_is("C_FindObjectsInit", f->C_FindObjectsInit(ro, &t, 1), CKR_OK);
        rv_is("C_FindObjectsInit twice", f->C_FindObjectsInit(ro, &t, 1), CKR_OPERATION_ACTIVE);
        CK_ULONG total = 0;
        while (f->C_FindObjects(ro, hs + total, 1, &n) == CKR_OK && n == 1)
            total++;
        rv_is("C_FindObjectsFinal", f->C_FindObjectsFinal(ro), CKR_OK);
        check("four private keys, one at a time", total == 4);
        CK_OBJECT_CLASS pubc = CKO_PUBLIC_KEY;
        CK_ATTRIBUTE t2[] = {{CKA_CLASS, &pubc, sizeof pubc}, {CKA_ID, "e2", 2}};
        f->C_FindObjectsInit(ro, t2, 2);
        f->C_FindObjects(ro, hs, 64, &n);
        f->C_FindObjectsFinal(ro);
        check("find public key by CKA_ID", n == 1 && (hs[0] & 3) == 2);
        CK_ATTRIBUTE t3 = {CKA_LABEL, "e3", 2};
        f->C_FindObjectsInit(ro, &t3, 1);
        f->C_FindObjects(ro, hs, 64, &n);
        f->C_FindObjectsFinal(ro);
        check("find by CKA_LABEL: both halves", n == 2);
    }

    /* Objects: session and token, data and certificates. */
    {
        CK_OBJECT_CLASS dc = CKO_DATA, cc = CKO_CERTIFICATE;
        CK_CERTIFICATE_TYPE x509 = CKC_X_509;
        CK_ATTRIBUTE d[] = {{CKA_CLASS, &dc, sizeof dc}, {CKA_TOKEN, &no, 1}, {CKA_LABEL, "sess", 4},
                            {CKA_VALUE, "hello", 5}, {CKA_APPLICATION, "api", 3}};
        CK_OBJECT_HANDLE so, so2, tc, td;
        CK_SESSION_HANDLE tmp;
        f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &tmp);
        rv_is("session data object in a R/O session", f->C_CreateObject(tmp, d, 5, &so), CKR_OK);
        check("session object handle has bit 31", (so & 0x80000000UL) != 0);
        CK_BBOOL tok = 1;
        CK_ATTRIBUTE g[] = {{CKA_VALUE, buf, sizeof buf}, {CKA_TOKEN, &tok, 1}};
        rv_is("read session object from another session", f->C_GetAttributeValue(ro, so, g, 2), CKR_OK);
        check("session object value", g[0].ulValueLen == 5 && !memcmp(buf, "hello", 5) && tok == CK_FALSE);
        CK_ATTRIBUTE c[] = {{CKA_CLASS, &cc, sizeof cc}, {CKA_CERTIFICATE_TYPE, &x509, sizeof x509},
                            {CKA_TOKEN, &no, 1}, {CKA_VALUE, cert, cert_len}, {CKA_ID, "c1", 2}};
        rv_is("session certificate", f->C_CreateObject(tmp, c, 5, &so2), CKR_OK);
        CK_ATTRIBUTE subj = {CKA_SUBJECT, buf, sizeof buf};
        rv_is("certificate subject", f->C_GetAttributeValue(ro, so2, &subj, 1), CKR_OK);
        check("subject parsed from the DER", subj.ulValueLen > 10 && buf[0] == 0x30 &&
                                             memmem(buf, subj.ulValueLen, "p11 api test", 12));
        rv_is("C_CloseSession", f->C_CloseSession(tmp), CKR_OK);
        rv_is("session objects die with their session", f->C_GetAttributeValue(ro, so, g, 1),
              CKR_OBJECT_HANDLE_INVALID);
        rv_is("closed session handle", f->C_GetSessionInfo(tmp, &sinfo), CKR_SESSION_HANDLE_INVALID);
        d[1].pValue = &yes;
        rv_is("token object in a R/O session", f->C_CreateObject(ro, d, 5, &td), CKR_SESSION_READ_ONLY);
        rv_is("token data object", f->C_CreateObject(rw, d, 5, &td), CKR_OK);
        check("token object handle (h << 2) | 3", (td & 3) == 3 && !(td & 0x80000000UL));
        c[2].pValue = &yes;
        rv_is("token certificate", f->C_CreateObject(rw, c, 5, &tc), CKR_OK);
        CK_ATTRIBUTE ser = {CKA_SERIAL_NUMBER, buf, sizeof buf};
        rv_is("certificate serial", f->C_GetAttributeValue(ro, tc, &ser, 1), CKR_OK);
        check("serial is a DER INTEGER", ser.ulValueLen > 2 && buf[0] == 0x02);
        CK_ATTRIBUTE cab[] = {{CKA_CLASS, &cc, sizeof cc}, {CKA_TOKEN, &yes, 1}, {CKA_VALUE, cert, cert_len},
                              {CKA_ID, "e1", 2}, {CKA_SBRGUARD_CA, &yes, 1}};
        rv_is("CA binding with a foreign certificate", f->C_CreateObject(rw, cab, 5, &h),
              CKR_ATTRIBUTE_VALUE_INVALID);
        CK_ATTRIBUTE bad[] = {{CKA_CLASS, &cc, sizeof cc}, {CKA_TOKEN, &yes, 1}};
        rv_is("certificate without value", f->C_CreateObject(rw, bad, 2, &h), CKR_TEMPLATE_INCOMPLETE);
        CK_OBJECT_CLASS kc = CKO_PRIVATE_KEY;
        CK_ATTRIBUTE key[] = {{CKA_CLASS, &kc, sizeof kc}};
        rv_is("key import refused", f->C_CreateObject(rw, key, 1, &h), CKR_ATTRIBUTE_VALUE_INVALID);
        {
            /* Independent keys: the public key goes alone, the private key still signs. */
            CK_OBJECT_HANDLE ip, iv;
            CK_MECHANISM im = {CKM_ECDSA_SHA256, NULL, 0};
            CK_BYTE isig[64];
            CK_ULONG isl = sizeof isig;
            rv_is("independent keys: keygen", gen_ec(rw, oid_p256, sizeof oid_p256, "ik", &ip, &iv), CKR_OK);
            rv_is("independent keys: public key from a R/O session", f->C_DestroyObject(ro, ip), CKR_SESSION_READ_ONLY);
            rv_is("independent keys: destroy the public key", f->C_DestroyObject(rw, ip), CKR_OK);
            rv_is("independent keys: the public key is gone", f->C_GetAttributeValue(ro, ip, g, 1),
                  CKR_OBJECT_HANDLE_INVALID);
            CK_ATTRIBUTE it = {CKA_ID, "ik", 2};
            CK_OBJECT_HANDLE fh[4];
            CK_ULONG fn = 9;
            f->C_FindObjectsInit(ro, &it, 1);
            f->C_FindObjects(ro, fh, 4, &fn);
            f->C_FindObjectsFinal(ro);
            check("independent keys: find shows the private key only", fn == 1 && fh[0] == iv);
            rv_is("independent keys: the private key still signs (init)", f->C_SignInit(ro, &im, iv), CKR_OK);
            rv_is("independent keys: the private key still signs", f->C_Sign(ro, (CK_BYTE *)"x", 1, isig, &isl), CKR_OK);
            rv_is("independent keys: public key again", f->C_DestroyObject(rw, ip), CKR_OBJECT_HANDLE_INVALID);
            rv_is("independent keys: destroy the private key", f->C_DestroyObject(rw, iv), CKR_OK);
            rv_is("independent keys: the private key is gone", f->C_SignInit(ro, &im, iv), CKR_KEY_HANDLE_INVALID);
        }
        rv_is("destroy from a R/O session", f->C_DestroyObject(ro, td), CKR_SESSION_READ_ONLY);
        rv_is("handle of the wrong kind", f->C_DestroyObject(rw, (ec_priv & ~3UL) | 3), CKR_OBJECT_HANDLE_INVALID);
        rv_is("destroy data object", f->C_DestroyObject(rw, td), CKR_OK);
        rv_is("destroyed object is gone", f->C_GetAttributeValue(ro, td, g, 1), CKR_OBJECT_HANDLE_INVALID);
        rv_is("destroy certificate", f->C_DestroyObject(rw, tc), CKR_OK);
        rv_is("destroy a key pair: the private key", f->C_DestroyObject(rw, p384), CKR_OK);
        rv_is("destroy a key pair: the public key", f->C_DestroyObject(rw, (p384 & ~3UL) | 2), CKR_OK);
        CK_ATTRIBUTE pd[] = {{CKA_CLASS, &dc, sizeof dc}, {CKA_PRIVATE, &yes, 1}, {CKA_LABEL, "p", 1},
                             {CKA_VALUE, "s", 1}};
        rv_is("private session object", f->C_CreateObject(ro, pd, 4, &so), CKR_OK);
        check("private objects listed while logged in", count_class(ro, CKO_DATA) == 1);
        f->C_Logout(ro);
        check("private objects hidden after logout", count_class(ro, CKO_DATA) == 0 &&
                                                     count_class(ro, CKO_PRIVATE_KEY) == 0 &&
                                                     count_class(ro, CKO_PUBLIC_KEY) == 3);
        rv_is("private key handle invalid after logout", f->C_GetAttributeValue(ro, ec_priv, g, 1),
              CKR_OBJECT_HANDLE_INVALID);
        rv_is("private object needs login", f->C_CreateObject(ro, pd, 4, &so), CKR_USER_NOT_LOGGED_IN);
        f->C_Login(ro, CKU_USER, (CK_UTF8CHAR *)"1234", 4);
    }

    /* Verification (host-side, against the token's public key objects):
     * every signing mechanism, one-part and multi-part, and its state machine. */
    {
        static const CK_BYTE digest_info256[19] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                                   0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
        CK_RSA_PKCS_PSS_PARAMS pss256 = {CKM_SHA256, CKG_MGF1_SHA256, 32}, pss384 = {CKM_SHA384, CKG_MGF1_SHA384, 48},
                               pss512 = {CKM_SHA512, CKG_MGF1_SHA512, 64};
        CK_BYTE msg[200], dig[19 + 32], sig[600];
        memset(msg, 0x33, sizeof msg);
        memcpy(dig, digest_info256, 19);
        memset(dig + 19, 0x44, 32);
        struct {
            CK_MECHANISM m;
            CK_OBJECT_HANDLE priv, pub;
            CK_ULONG len;      /* data length */
            const CK_BYTE *data;
            int multipart;
        } vc[] = {
            {{CKM_ECDSA, NULL, 0}, ec_priv, ec_pub, 32, msg, 0},
            {{CKM_ECDSA_SHA256, NULL, 0}, ec_priv, ec_pub, sizeof msg, msg, 1},
            {{CKM_ECDSA_SHA384, NULL, 0}, p521, p521pub, sizeof msg, msg, 1},
            {{CKM_ECDSA_SHA512, NULL, 0}, p521, p521pub, sizeof msg, msg, 1},
            {{CKM_RSA_PKCS, NULL, 0}, rsa_priv, rsa_pub, sizeof dig, dig, 0},
            {{CKM_SHA256_RSA_PKCS, NULL, 0}, rsa_priv, rsa_pub, sizeof msg, msg, 1},
            {{CKM_SHA384_RSA_PKCS, NULL, 0}, rsa_priv, rsa_pub, sizeof msg, msg, 1},
            {{CKM_SHA512_RSA_PKCS, NULL, 0}, rsa_priv, rsa_pub, sizeof msg, msg, 1},
            {{CKM_RSA_PKCS_PSS, &pss256, sizeof pss256}, rsa_priv, rsa_pub, 32, msg, 0},
            {{CKM_SHA256_RSA_PKCS_PSS, &pss256, sizeof pss256}, rsa_priv, rsa_pub, sizeof msg, msg, 1},
            {{CKM_SHA384_RSA_PKCS_PSS, &pss384, sizeof pss384}, rsa_priv, rsa_pub, sizeof msg, msg, 1},
            {{CKM_SHA512_RSA_PKCS_PSS, &pss512, sizeof pss512}, rsa_priv, rsa_pub, sizeof msg, msg, 1},
        };
        for (size_t i = 0; i < sizeof vc / sizeof vc[0]; i++) {
            char what[96];
            CK_ULONG sl = sizeof sig;
            CK_RV r1 = f->C_SignInit(ro, &vc[i].m, vc[i].priv);
            CK_RV r2 = r1 == CKR_OK ? f->C_Sign(ro, (CK_BYTE *)vc[i].data, vc[i].len, sig, &sl) : r1;
            snprintf(what, sizeof what, "verify 0x%lx: sign", (unsigned long)vc[i].m.mechanism);
            rv_is(what, r2, CKR_OK);
            snprintf(what, sizeof what, "verify 0x%lx: C_Verify accepts the token's signature", (unsigned long)vc[i].m.mechanism);
            f->C_VerifyInit(ro, &vc[i].m, vc[i].pub);
            rv_is(what, f->C_Verify(ro, (CK_BYTE *)vc[i].data, vc[i].len, sig, sl), CKR_OK);
            sig[sl / 3] ^= 0x10;
            snprintf(what, sizeof what, "verify 0x%lx: an altered signature is CKR_SIGNATURE_INVALID", (unsigned long)vc[i].m.mechanism);
            f->C_VerifyInit(ro, &vc[i].m, vc[i].pub);
            rv_is(what, f->C_Verify(ro, (CK_BYTE *)vc[i].data, vc[i].len, sig, sl), CKR_SIGNATURE_INVALID);
            sig[sl / 3] ^= 0x10;
            snprintf(what, sizeof what, "verify 0x%lx: a short signature is CKR_SIGNATURE_LEN_RANGE", (unsigned long)vc[i].m.mechanism);
            f->C_VerifyInit(ro, &vc[i].m, vc[i].pub);
            rv_is(what, f->C_Verify(ro, (CK_BYTE *)vc[i].data, vc[i].len, sig, sl - 1), CKR_SIGNATURE_LEN_RANGE);
            snprintf(what, sizeof what, "verify 0x%lx: the error ended the operation", (unsigned long)vc[i].m.mechanism);
            rv_is(what, f->C_VerifyFinal(ro, sig, sl), CKR_OPERATION_NOT_INITIALIZED);
            if (vc[i].multipart) {
                f->C_VerifyInit(ro, &vc[i].m, vc[i].pub);
                f->C_VerifyUpdate(ro, (CK_BYTE *)vc[i].data, 50);
                f->C_VerifyUpdate(ro, (CK_BYTE *)vc[i].data + 50, 0);
                f->C_VerifyUpdate(ro, (CK_BYTE *)vc[i].data + 50, vc[i].len - 50);
                snprintf(what, sizeof what, "verify 0x%lx: multi-part", (unsigned long)vc[i].m.mechanism);
                rv_is(what, f->C_VerifyFinal(ro, sig, sl), CKR_OK);
                f->C_VerifyInit(ro, &vc[i].m, vc[i].pub);
                f->C_VerifyUpdate(ro, (CK_BYTE *)vc[i].data, vc[i].len - 1);
                snprintf(what, sizeof what, "verify 0x%lx: multi-part over other data fails", (unsigned long)vc[i].m.mechanism);
                rv_is(what, f->C_VerifyFinal(ro, sig, sl), CKR_SIGNATURE_INVALID);
            }
        }
        CK_MECHANISM ecm = {CKM_ECDSA_SHA256, NULL, 0}, rsam = {CKM_SHA256_RSA_PKCS, NULL, 0};
        CK_MECHANISM shm = {CKM_SHA256, NULL, 0}, pssm = {CKM_SHA256_RSA_PKCS_PSS, NULL, 0};
        CK_RSA_PKCS_PSS_PARAMS mix = {CKM_SHA256, CKG_MGF1_SHA384, 32};
        CK_MECHANISM mixm = {CKM_SHA256_RSA_PKCS_PSS, &mix, sizeof mix};
        rv_is("C_Verify without C_VerifyInit", f->C_Verify(ro, msg, 10, sig, 64), CKR_OPERATION_NOT_INITIALIZED);
        rv_is("C_VerifyUpdate without C_VerifyInit", f->C_VerifyUpdate(ro, msg, 10), CKR_OPERATION_NOT_INITIALIZED);
        rv_is("C_VerifyFinal without C_VerifyInit", f->C_VerifyFinal(ro, sig, 64), CKR_OPERATION_NOT_INITIALIZED);
        rv_is("C_VerifyInit NULL mechanism", f->C_VerifyInit(ro, NULL, ec_pub), CKR_ARGUMENTS_BAD);
        rv_is("C_VerifyInit with a digest mechanism", f->C_VerifyInit(ro, &shm, ec_pub), CKR_MECHANISM_INVALID);
        rv_is("C_VerifyInit with a private key", f->C_VerifyInit(ro, &ecm, ec_priv), CKR_KEY_FUNCTION_NOT_PERMITTED);
        rv_is("C_VerifyInit ECDSA with an RSA key", f->C_VerifyInit(ro, &ecm, rsa_pub), CKR_KEY_TYPE_INCONSISTENT);
        rv_is("C_VerifyInit bad key handle", f->C_VerifyInit(ro, &ecm, 0x7FFF2), CKR_KEY_HANDLE_INVALID);
        rv_is("C_VerifyInit session object handle", f->C_VerifyInit(ro, &ecm, 0x80000002UL), CKR_KEY_HANDLE_INVALID);
        rv_is("C_VerifyInit PSS without parameters", f->C_VerifyInit(ro, &pssm, rsa_pub), CKR_MECHANISM_PARAM_INVALID);
        rv_is("C_VerifyInit PSS with a mixed MGF", f->C_VerifyInit(ro, &mixm, rsa_pub), CKR_MECHANISM_PARAM_INVALID);
        rv_is("C_VerifyInit", f->C_VerifyInit(ro, &rsam, rsa_pub), CKR_OK);
        rv_is("C_VerifyInit twice", f->C_VerifyInit(ro, &rsam, rsa_pub), CKR_OPERATION_ACTIVE);
        rv_is("C_VerifyUpdate", f->C_VerifyUpdate(ro, msg, 10), CKR_OK);
        rv_is("C_Verify cannot end a multi-part operation", f->C_Verify(ro, msg, 10, sig, 256), CKR_OPERATION_ACTIVE);
        rv_is("C_VerifyUpdate NULL data", f->C_VerifyUpdate(ro, NULL, 10), CKR_ARGUMENTS_BAD);
        rv_is("an error in C_VerifyUpdate ends it", f->C_VerifyFinal(ro, sig, 256), CKR_OPERATION_NOT_INITIALIZED);
        CK_MECHANISM raw = {CKM_ECDSA, NULL, 0};
        static CK_BYTE bigv[600];
        f->C_VerifyInit(ro, &raw, ec_pub);
        rv_is("raw ECDSA data above 512 bytes", f->C_Verify(ro, bigv, sizeof bigv, sig, 64), CKR_DATA_LEN_RANGE);
        f->C_VerifyInit(ro, &raw, ec_pub);
        rv_is("C_Verify NULL signature", f->C_Verify(ro, msg, 32, NULL, 64), CKR_ARGUMENTS_BAD);
        rv_is("... ended the operation", f->C_VerifyFinal(ro, sig, 64), CKR_OPERATION_NOT_INITIALIZED);
        f->C_VerifyInit(ro, &raw, ec_pub);
        CK_BYTE zeros[64] = {0};
        rv_is("all-zero ECDSA signature", f->C_Verify(ro, msg, 32, zeros, 64), CKR_SIGNATURE_INVALID);
        CK_SESSION_HANDLE vs;
        f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &vs);
        f->C_VerifyInit(vs, &rsam, rsa_pub);
        rv_is("closing a session with a verify running", f->C_CloseSession(vs), CKR_OK);
    }

    /* C_SetAttributeValue / C_CopyObject: session objects follow the
     * spec's modifiable attributes; token objects are fixed. */
    {
        CK_OBJECT_CLASS dcl = CKO_DATA;
        CK_BYTE vb[64];
        CK_OBJECT_HANDLE sd, cp, cp2, fx;
        CK_ATTRIBUTE dt[] = {{CKA_CLASS, &dcl, sizeof dcl}, {CKA_TOKEN, &no, 1}, {CKA_LABEL, "orig", 4},
                             {CKA_VALUE, "v1", 2}, {CKA_APPLICATION, "app", 3}};
        rv_is("set/copy: a session data object", f->C_CreateObject(ro, dt, 5, &sd), CKR_OK);
        CK_BBOOL modi = CK_FALSE, copyable = CK_FALSE;
        CK_ATTRIBUTE mq[] = {{CKA_MODIFIABLE, &modi, 1}, {CKA_COPYABLE, &copyable, 1}};
        f->C_GetAttributeValue(ro, sd, mq, 2);
        check("set/copy: session objects are CKA_MODIFIABLE and CKA_COPYABLE", modi == CK_TRUE && copyable == CK_TRUE);
        CK_ATTRIBUTE nl[] = {{CKA_LABEL, "renamed", 7}, {CKA_VALUE, "v2-longer", 9}, {CKA_ID, "i9", 2}};
        rv_is("set: label, value and ID of a session data object (R/O session)", f->C_SetAttributeValue(ro, sd, nl, 3), CKR_OK);
        CK_ATTRIBUTE rd[] = {{CKA_LABEL, vb, 32}, {CKA_VALUE, vb + 32, 32}};
        rv_is("set: read back", f->C_GetAttributeValue(ro, sd, rd, 2), CKR_OK);
        check("set: the new values", rd[0].ulValueLen == 7 && !memcmp(vb, "renamed", 7) && rd[1].ulValueLen == 9 &&
                                         !memcmp(vb + 32, "v2-longer", 9));
        CK_OBJECT_CLASS other = CKO_CERTIFICATE;
        CK_ATTRIBUTE bad1[] = {{CKA_LABEL, "x", 1}, {CKA_CLASS, &other, sizeof other}};
        rv_is("set: CKA_CLASS is read-only", f->C_SetAttributeValue(ro, sd, bad1, 2), CKR_ATTRIBUTE_READ_ONLY);
        rd[0].ulValueLen = 32;
        f->C_GetAttributeValue(ro, sd, rd, 1);
        check("set: all or nothing (the label did not change)", rd[0].ulValueLen == 7 && !memcmp(vb, "renamed", 7));
        CK_ATTRIBUTE bad2[] = {{CKA_TOKEN, &yes, 1}};
        rv_is("set: CKA_TOKEN is read-only", f->C_SetAttributeValue(ro, sd, bad2, 1), CKR_ATTRIBUTE_READ_ONLY);
        CK_ATTRIBUTE bad3[] = {{CKA_SBRGUARD_CA, &yes, 1}};
        rv_is("set: a session object cannot become a CA object", f->C_SetAttributeValue(ro, sd, bad3, 1),
              CKR_ATTRIBUTE_TYPE_INVALID);
        CK_ATTRIBUTE bad4[] = {{CKA_MODULUS, "x", 1}};
        rv_is("set: an attribute data objects do not have", f->C_SetAttributeValue(ro, sd, bad4, 1),
              CKR_ATTRIBUTE_TYPE_INVALID);
        static CK_BYTE longl[33]; /* SG_MAX_LABEL + 1 */
        memset(longl, 'a', sizeof longl);
        CK_ATTRIBUTE bad5[] = {{CKA_LABEL, longl, sizeof longl}};
        rv_is("set: a label above SG_MAX_LABEL", f->C_SetAttributeValue(ro, sd, bad5, 1), CKR_ATTRIBUTE_VALUE_INVALID);
        CK_ATTRIBUTE bad6[] = {{CKA_LABEL, NULL, 4}};
        rv_is("set: NULL value with a length", f->C_SetAttributeValue(ro, sd, bad6, 1), CKR_ATTRIBUTE_VALUE_INVALID);
        rv_is("set: NULL template with a count", f->C_SetAttributeValue(ro, sd, NULL, 1), CKR_ARGUMENTS_BAD);
        rv_is("set: a token object is not modifiable", f->C_SetAttributeValue(rw, ec_priv, nl, 1), CKR_ACTION_PROHIBITED);
        rv_is("set: unknown session object", f->C_SetAttributeValue(ro, 0x80007777UL, nl, 1), CKR_OBJECT_HANDLE_INVALID);
        CK_ATTRIBUTE cl[] = {{CKA_LABEL, "copy", 4}};
        rv_is("copy: a session data object with a new label", f->C_CopyObject(ro, sd, cl, 1, &cp), CKR_OK);
        rd[0].ulValueLen = 32;
        rd[1].ulValueLen = 32;
        f->C_GetAttributeValue(ro, cp, rd, 2);
        check("copy: new label, same value", cp != sd && rd[0].ulValueLen == 4 && !memcmp(vb, "copy", 4) &&
                                              rd[1].ulValueLen == 9 && !memcmp(vb + 32, "v2-longer", 9));
        rd[0].ulValueLen = 32;
        f->C_GetAttributeValue(ro, sd, rd, 1);
        check("copy: the original is unchanged", rd[0].ulValueLen == 7);
        rv_is("copy: CKA_TOKEN = TRUE", f->C_CopyObject(ro, sd, bad2, 1, &cp2), CKR_TEMPLATE_INCONSISTENT);
        rv_is("copy: CKA_SBRGUARD_CA = TRUE", f->C_CopyObject(ro, sd, bad3, 1, &cp2), CKR_TEMPLATE_INCONSISTENT);
        rv_is("copy: CKA_CLASS", f->C_CopyObject(ro, sd, bad1 + 1, 1, &cp2), CKR_ATTRIBUTE_READ_ONLY);
        rv_is("copy: NULL new handle", f->C_CopyObject(ro, sd, cl, 1, NULL), CKR_ARGUMENTS_BAD);
        rv_is("copy: a token object is not copyable", f->C_CopyObject(rw, ec_pub, cl, 1, &cp2), CKR_ACTION_PROHIBITED);
        CK_ATTRIBUTE ft[] = {{CKA_CLASS, &dcl, sizeof dcl}, {CKA_TOKEN, &no, 1}, {CKA_VALUE, "v", 1},
                             {CKA_MODIFIABLE, &no, 1}, {CKA_COPYABLE, &no, 1}};
        rv_is("set/copy: a session object made with CKA_MODIFIABLE = CKA_COPYABLE = FALSE",
              f->C_CreateObject(ro, ft, 5, &fx), CKR_OK);
        rv_is("set: it is not modifiable", f->C_SetAttributeValue(ro, fx, cl, 1), CKR_ACTION_PROHIBITED);
        rv_is("copy: it is not copyable", f->C_CopyObject(ro, fx, cl, 1, &cp2), CKR_ACTION_PROHIBITED);
        CK_SESSION_HANDLE cs;
        f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &cs);
        rv_is("copy: into another session", f->C_CopyObject(cs, sd, NULL, 0, &cp2), CKR_OK);
        f->C_CloseSession(cs);
        rv_is("copy: the copy dies with the session that made it", f->C_GetAttributeValue(ro, cp2, rd, 1),
              CKR_OBJECT_HANDLE_INVALID);
        f->C_DestroyObject(ro, sd);
        f->C_DestroyObject(ro, cp);
        f->C_DestroyObject(ro, fx);
    }

    /* RNG and functions we do not offer. */
    {
        static CK_BYTE r[3000];
        rv_is("C_GenerateRandom 3000 bytes", f->C_GenerateRandom(ro, r, sizeof r), CKR_OK);
        int nz = 0;
        for (size_t i = 2000; i < sizeof r; i++)
            nz += r[i] != 0;
        check("random bytes in the last chunk", nz > 900);
        rv_is("C_SeedRandom", f->C_SeedRandom(ro, r, 8), CKR_RANDOM_SEED_NOT_SUPPORTED);
        CK_MECHANISM m = {CKM_RSA_PKCS, NULL, 0};
        rv_is("C_EncryptInit", f->C_EncryptInit(ro, &m, rsa_pub), CKR_FUNCTION_NOT_SUPPORTED);
        rv_is("C_GetFunctionStatus", f->C_GetFunctionStatus(ro), CKR_FUNCTION_NOT_PARALLEL);
        rv_is("C_CancelFunction", f->C_CancelFunction(ro), CKR_FUNCTION_NOT_PARALLEL);
        CK_SLOT_ID sl;
        rv_is("C_WaitForSlotEvent, nothing changed", f->C_WaitForSlotEvent(CKF_DONT_BLOCK, &sl, NULL), CKR_NO_EVENT);
    }

    /* Many threads through the one connection. */
    {
        pthread_t th[8];
        for (int i = 0; i < 8; i++)
            pthread_create(&th[i], NULL, worker, NULL);
        for (int i = 0; i < 8; i++)
            pthread_join(th[i], NULL);
        check("8 threads x 40 sign/find/read rounds", thread_errors == 0);
    }

    /* The token dies while we are logged in, then comes back. */
    {
        CK_MECHANISM ecm = {CKM_ECDSA_SHA256, NULL, 0};
        CK_BYTE sig[64];
        CK_ULONG sl = sizeof sig;
        f->C_SignInit(ro, &ecm, ec_priv);
        run("kill");
        rv_is("token killed: CKR_DEVICE_ERROR", f->C_Sign(ro, sig, 10, sig, &sl), CKR_DEVICE_ERROR);
        rv_is("sessions that lost their login are closed", f->C_GetSessionInfo(ro, &sinfo),
              CKR_SESSION_HANDLE_INVALID);
        rv_is("token down: C_OpenSession", f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s2),
              CKR_DEVICE_ERROR);
        rv_is("token down: C_GetTokenInfo", f->C_GetTokenInfo(0, &ti), CKR_TOKEN_NOT_PRESENT);
        check("token restarts", run("start") == 0);
        rv_is("token back: C_OpenSession", f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s2), CKR_OK);
        f->C_GetSessionInfo(s2, &sinfo);
        check("new session is public", sinfo.state == CKS_RO_PUBLIC_SESSION);
        rv_is("token back: C_Login", f->C_Login(s2, CKU_USER, (CK_UTF8CHAR *)"1234", 4), CKR_OK);
        f->C_SignInit(s2, &ecm, ec_priv);
        sl = sizeof sig;
        rv_is("token back: same key signs", f->C_Sign(s2, sig, 10, sig, &sl), CKR_OK);
        /* Killed and restarted between two calls: the stale link fails once. */
        run("kill");
        check("token restarts again", run("start") == 0);
        rv_is("stale link: CKR_DEVICE_ERROR", f->C_SignInit(s2, &ecm, ec_priv), CKR_DEVICE_ERROR);
        rv_is("stale link: the session lost its login", f->C_SignInit(s2, &ecm, ec_priv),
              CKR_SESSION_HANDLE_INVALID);
        rv_is("stale link: C_OpenSession reconnects",
              f->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s2), CKR_OK);
        rv_is("C_Login after reconnect", f->C_Login(s2, CKU_USER, (CK_UTF8CHAR *)"1234", 4), CKR_OK);
        rv_is("C_CloseAllSessions", f->C_CloseAllSessions(0), CKR_OK);
        f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s2);
        f->C_GetSessionInfo(s2, &sinfo);
        check("closing the last session logged out", sinfo.state == CKS_RO_PUBLIC_SESSION);
    }

    /* A forked child initializes afresh and gets its own connection. */
    {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            CK_SESSION_HANDLE cs;
            CK_RV r1 = f->C_Initialize(NULL);
            CK_RV r2 = f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &cs);
            CK_RV r3 = f->C_GetTokenInfo(0, &ti);
            if (r1 || r2 || r3)
                fprintf(stderr, "child: 0x%lx 0x%lx 0x%lx\n", r1, r2, r3);
            _exit(r1 || r2 || r3);
        }
        int st = 1;
        waitpid(pid, &st, 0);
        check("forked child: C_Initialize, C_OpenSession, C_GetTokenInfo", WIFEXITED(st) &&
                                                                          WEXITSTATUS(st) == 0);
        rv_is("parent still reaches the token", f->C_GetTokenInfo(0, &ti), CKR_OK);
    }

    rv_is("C_Finalize", f->C_Finalize(NULL), CKR_OK);
    rv_is("C_GetInfo after C_Finalize", f->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
    rv_is("C_Initialize again", f->C_Initialize(NULL), CKR_OK);
    rv_is("C_Finalize again", f->C_Finalize(NULL), CKR_OK);
    dlclose(lib);
    return failed;
}
EOF

# shellcheck disable=SC2086
if ! gcc $CFLAGS -Iinclude -o "$TMP/api" "$TMP/api.c" -ldl -lpthread >&2; then
    echo "not ok - compile the API client"
    exit 1
fi
if ! "$TMP/start"; then
    echo "not ok - token starts"
    exit 1
fi
echo "ok - token starts"
SBRGUARD_SOCKET=$TMP/token.sock SBRGUARD_HOME=$TMP "$TMP/api" "$MOD" "$TMP"
rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || { echo "not ok - API client ended with status $rc"; exit 1; }

# CA binding: a certificate for the token's key "r1", self-signed through
# OpenSSL's pkcs11 engine, then bound with CKA_SBRGUARD_CA.
PRELOAD=
if ldd "$MOD" 2>/dev/null | grep -q libasan; then
    PRELOAD=$(gcc -print-file-name=libasan.so)
fi
sed "s|@MOD@|$MOD|" test/integration/lib/engine.cnf.in >"$TMP/engine.cnf"
if SBRGUARD_SOCKET=$TMP/token.sock OPENSSL_CONF=$TMP/engine.cnf ASAN_OPTIONS=detect_leaks=0 \
    LD_PRELOAD=$PRELOAD openssl req -new -x509 -engine pkcs11 -keyform engine \
    -key "pkcs11:id=r1;type=private;pin-value=1234" -subj "/CN=p11 api CA" -days 30 \
    -outform DER -out "$TMP/ca.der" >&2 2>&1; then
    echo "ok - openssl engine self-signs with the token key"
else
    echo "not ok - openssl engine self-signs with the token key"
    rc=1
fi
SBRGUARD_SOCKET=$TMP/token.sock SBRGUARD_HOME=$TMP "$TMP/api" "$MOD" "$TMP" bind || rc=1
exit $rc
