/* SPDX-License-Identifier: Apache-2.0 */
/* Session key pairs through the PKCS#11 module (CKA_TOKEN = FALSE, PKCS#11
 * v2.40 sections 4.4 and 5.2): generated in read-only and read-write
 * sessions, signing and verifying, visible to every session of the
 * application and to no other application, destroyed with the session that
 * made them (C_CloseSession, C_CloseAllSessions, C_Finalize), their private
 * half at C_Logout; never CA keys; bad input with stable codes. */
#include <p11-kit-1/p11-kit/pkcs11.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "check.h"
#include "sbrguard/pkcs11_vendor.h"
#include "p11mod.h"

static char dir[] = "/tmp/sg-p11sk-XXXXXX";
static char sock[PATH_MAX];
static CK_FUNCTION_LIST_PTR f;
static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
static CK_BYTE p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static CK_BYTE kid[] = { 0x5e };

/* Generates a P-256 pair: pub_tok / priv_tok are CKA_TOKEN of each
 * template (-1: absent); ca adds CKA_SBRGUARD_CA = TRUE. */
static CK_RV gen(CK_SESSION_HANDLE s, int pub_tok, int priv_tok, int ca, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_ATTRIBUTE pt[4] = { { CKA_EC_PARAMS, p256, sizeof p256 }, { CKA_ID, kid, sizeof kid } }, vt[4] = {
        { CKA_SIGN, &yes, sizeof yes }, { CKA_ID, kid, sizeof kid } };
    CK_ULONG np = 2, nv = 2;
    if (pub_tok >= 0)
        pt[np++] = (CK_ATTRIBUTE){ CKA_TOKEN, pub_tok ? &yes : &no, sizeof yes };
    if (priv_tok >= 0)
        vt[nv++] = (CK_ATTRIBUTE){ CKA_TOKEN, priv_tok ? &yes : &no, sizeof yes };
    if (ca)
        vt[nv++] = (CK_ATTRIBUTE){ CKA_SBRGUARD_CA, &yes, sizeof yes };
    CK_MECHANISM m = { CKM_EC_KEY_PAIR_GEN, NULL, 0 };
    return f->C_GenerateKeyPair(s, &m, pt, np, vt, nv, pub, priv);
}

static CK_BBOOL bool_attr(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t, CK_RV *rv)
{
    CK_BBOOL b = 0xFF;
    CK_ATTRIBUTE a = { t, &b, sizeof b };
    *rv = f->C_GetAttributeValue(s, h, &a, 1);
    return b;
}

/* How many objects match CKA_CLASS cls and CKA_TOKEN token (-1: any). */
static int count(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls, int token)
{
    CK_BBOOL tk = token ? CK_TRUE : CK_FALSE;
    CK_ATTRIBUTE t[2] = { { CKA_CLASS, &cls, sizeof cls }, { CKA_TOKEN, &tk, sizeof tk } };
    CK_OBJECT_HANDLE h[64];
    CK_ULONG n = 0;
    if (f->C_FindObjectsInit(s, t, token < 0 ? 1 : 2) != CKR_OK)
        return -1;
    CK_RV rv = f->C_FindObjects(s, h, 64, &n);
    f->C_FindObjectsFinal(s);
    return rv == CKR_OK ? (int)n : -1;
}

static int sign_verify(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE priv, CK_OBJECT_HANDLE pub)
{
    CK_MECHANISM m = { CKM_ECDSA_SHA256, NULL, 0 };
    CK_BYTE data[] = "session key", sig[64];
    CK_ULONG len = sizeof sig;
    return f->C_SignInit(s, &m, priv) == CKR_OK && f->C_Sign(s, data, sizeof data, sig, &len) == CKR_OK &&
           len == 64 && f->C_VerifyInit(s, &m, pub) == CKR_OK &&
           f->C_Verify(s, data, sizeof data, sig, len) == CKR_OK;
}

/* Session keys another application (its own connection) sees in LIST. */
static int others_see(void)
{
    sg_client *c;
    sg_list_entry e[64];
    size_t n = 64;
    int k = 0;
    if (sg_connect(&c, sock) != SG_OK)
        return -1;
    if (sg_login(c, SG_USER_USER, "1234", 4) != SG_OK || sg_list(c, e, &n) != SG_OK)
        k = -1;
    for (size_t i = 0; k >= 0 && i < n; i++)
        k += (e[i].flags & SG_OBJ_SESSION) != 0;
    sg_free(c);
    return k;
}

static void setup(void)
{
    CK_SESSION_HANDLE s;
    CK_UTF8CHAR label[32];
    memset(label, ' ', sizeof label);
    memcpy(label, "p11 skeys", 9);
    CHECK(f->C_InitToken(0, (CK_UTF8CHAR_PTR) "12345678", 8, label) == CKR_OK &&
              f->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s) == CKR_OK &&
              f->C_Login(s, CKU_SO, (CK_UTF8CHAR_PTR) "12345678", 8) == CKR_OK &&
              f->C_InitPIN(s, (CK_UTF8CHAR_PTR) "1234", 4) == CKR_OK && f->C_CloseSession(s) == CKR_OK,
          "token initialized, user PIN set");
}

static void lifecycle(void)
{
    CK_SESSION_HANDLE ro, rw, other;
    CK_OBJECT_HANDLE pub, priv, tpub, tpriv;
    CK_RV rv;
    CHECK(f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &ro) == CKR_OK &&
              f->C_Login(ro, CKU_USER, (CK_UTF8CHAR_PTR) "1234", 4) == CKR_OK,
          "read-only session, user login");
    CHECK(gen(ro, 0, 0, 0, &pub, &priv) == CKR_OK, "R/O session: C_GenerateKeyPair with CKA_TOKEN = FALSE");
    CHECK(gen(ro, -1, 1, 0, &tpub, &tpriv) == CKR_SESSION_READ_ONLY, "R/O session: a token pair -> CKR_SESSION_READ_ONLY");
    CHECK(bool_attr(ro, pub, CKA_TOKEN, &rv) == CK_FALSE && rv == CKR_OK &&
              bool_attr(ro, priv, CKA_TOKEN, &rv) == CK_FALSE && rv == CKR_OK,
          "both halves show CKA_TOKEN = FALSE");
    CHECK(bool_attr(ro, priv, CKA_LOCAL, &rv) == CK_TRUE && bool_attr(ro, priv, CKA_SENSITIVE, &rv) == CK_TRUE &&
              bool_attr(ro, priv, CKA_SBRGUARD_CA, &rv) == CK_FALSE && rv == CKR_OK,
          "the private half: CKA_LOCAL, CKA_SENSITIVE, not a CA key");
    CHECK(sign_verify(ro, priv, pub), "it signs (on the token) and verifies (C_Verify with its public half)");
    CHECK(count(ro, CKO_PRIVATE_KEY, 0) == 1 && count(ro, CKO_PUBLIC_KEY, 0) == 1 && count(ro, CKO_PRIVATE_KEY, 1) == 0,
          "C_FindObjects: CKA_TOKEN = FALSE finds the pair, CKA_TOKEN = TRUE does not");
    CHECK(others_see() == 0, "another application (its own connection) does not see it");
    CHECK(f->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &rw) == CKR_OK &&
              count(rw, CKO_PRIVATE_KEY, 0) == 1 && sign_verify(rw, priv, pub),
          "another session of the application sees it and signs with it");
    CK_ATTRIBUTE lab = { CKA_LABEL, "x", 1 };
    CK_OBJECT_HANDLE cp;
    CHECK(f->C_SetAttributeValue(rw, priv, &lab, 1) == CKR_ACTION_PROHIBITED &&
              f->C_CopyObject(rw, priv, NULL, 0, &cp) == CKR_ACTION_PROHIBITED,
          "C_SetAttributeValue / C_CopyObject of a session key -> CKR_ACTION_PROHIBITED");
    CHECK(f->C_DestroyObject(ro, pub) == CKR_OK && bool_attr(ro, pub, CKA_TOKEN, &rv) != CK_FALSE &&
              rv == CKR_OBJECT_HANDLE_INVALID,
          "R/O session: C_DestroyObject of the public half; the private half stays");
    CK_MECHANISM m = { CKM_ECDSA_SHA256, NULL, 0 };
    CK_BYTE sig[64];
    CK_ULONG len = sizeof sig;
    CHECK(f->C_SignInit(ro, &m, priv) == CKR_OK && f->C_Sign(ro, (CK_BYTE_PTR) "a", 1, sig, &len) == CKR_OK,
          "the private half alone still signs");
    CHECK(f->C_CloseSession(ro) == CKR_OK && count(rw, CKO_PRIVATE_KEY, 0) == 0 &&
              bool_attr(rw, priv, CKA_TOKEN, &rv) != CK_FALSE && rv == CKR_OBJECT_HANDLE_INVALID,
          "C_CloseSession of the session that made it: gone (CKR_OBJECT_HANDLE_INVALID)");
    CHECK(f->C_SignInit(rw, &m, priv) == CKR_KEY_HANDLE_INVALID, "C_SignInit with it -> CKR_KEY_HANDLE_INVALID");

    /* Logout: private session objects go (spec C_Logout), the public half stays. */
    CHECK(gen(rw, 0, -1, 0, &pub, &priv) == CKR_OK, "R/W session: CKA_TOKEN = FALSE in the public template only");
    CHECK(f->C_Logout(rw) == CKR_OK && count(rw, CKO_PUBLIC_KEY, 0) == 1 &&
              f->C_Login(rw, CKU_USER, (CK_UTF8CHAR_PTR) "1234", 4) == CKR_OK && count(rw, CKO_PRIVATE_KEY, 0) == 0,
          "C_Logout destroys the private half; the public half stays");
    CHECK(f->C_SignInit(rw, &m, priv) == CKR_KEY_HANDLE_INVALID, "after a new login the old handle signs nothing");
    CHECK(f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &other) == CKR_OK &&
              gen(other, 0, 0, 0, &tpub, &tpriv) == CKR_OK && f->C_CloseAllSessions(0) == CKR_OK,
          "two sessions with session keys, C_CloseAllSessions");
    CHECK(f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &other) == CKR_OK &&
              f->C_Login(other, CKU_USER, (CK_UTF8CHAR_PTR) "1234", 4) == CKR_OK &&
              count(other, CKO_PUBLIC_KEY, 0) == 0 && count(other, CKO_PRIVATE_KEY, 0) == 0,
          "after C_CloseAllSessions no session key is left");
    CHECK(gen(other, 0, 0, 0, &pub, &priv) == CKR_OK && f->C_Finalize(NULL) == CKR_OK &&
              f->C_Initialize(NULL) == CKR_OK && f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &other) == CKR_OK &&
              f->C_Login(other, CKU_USER, (CK_UTF8CHAR_PTR) "1234", 4) == CKR_OK && count(other, CKO_PUBLIC_KEY, 0) == 0,
          "C_Finalize drops them too");
    f->C_CloseAllSessions(0);
}

/* The public half a logout leaves is destroyed without a login: by
 * C_DestroyObject in a public session, and by closing its session. */
static void after_logout(void)
{
    CK_SESSION_HANDLE a, b;
    CK_OBJECT_HANDLE pub, priv;
    CHECK(f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &a) == CKR_OK &&
              f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &b) == CKR_OK &&
              f->C_Login(a, CKU_USER, (CK_UTF8CHAR_PTR) "1234", 4) == CKR_OK && gen(a, 0, 0, 0, &pub, &priv) == CKR_OK &&
              f->C_Logout(a) == CKR_OK && count(b, CKO_PUBLIC_KEY, 0) == 1,
          "after C_Logout the public half is there for a public session");
    CHECK(f->C_DestroyObject(b, pub) == CKR_OK && count(b, CKO_PUBLIC_KEY, 0) == 0,
          "R/O public session: C_DestroyObject of it");
    CHECK(f->C_Login(a, CKU_USER, (CK_UTF8CHAR_PTR) "1234", 4) == CKR_OK && gen(a, 0, 0, 0, &pub, &priv) == CKR_OK &&
              f->C_Logout(a) == CKR_OK && f->C_CloseSession(a) == CKR_OK && count(b, CKO_PUBLIC_KEY, 0) == 0,
          "C_CloseSession after C_Logout: the public half goes too (SESSION_KEY_DROP needs no login)");
    f->C_CloseSession(b);
}

static void bad_input(void)
{
    CK_SESSION_HANDLE s;
    CK_OBJECT_HANDLE pub, priv, h[8];
    CHECK(f->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s) == CKR_OK, "R/W session");
    CHECK(gen(s, 0, 0, 0, &pub, &priv) == CKR_USER_NOT_LOGGED_IN, "not logged in -> CKR_USER_NOT_LOGGED_IN");
    CHECK(f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR) "1234", 4) == CKR_OK, "user login");
    CHECK(gen(s, 1, 0, 0, &pub, &priv) == CKR_TEMPLATE_INCONSISTENT &&
              gen(s, 0, 1, 0, &pub, &priv) == CKR_TEMPLATE_INCONSISTENT,
          "CKA_TOKEN TRUE in one template, FALSE in the other -> CKR_TEMPLATE_INCONSISTENT");
    CHECK(gen(s, 0, 0, 1, &pub, &priv) == CKR_TEMPLATE_INCONSISTENT && count(s, CKO_PRIVATE_KEY, 0) == 0,
          "a session pair with CKA_SBRGUARD_CA = TRUE -> CKR_TEMPLATE_INCONSISTENT, nothing made");
    CHECK(gen(0x7777, 0, 0, 0, &pub, &priv) == CKR_SESSION_HANDLE_INVALID, "unknown session -> CKR_SESSION_HANDLE_INVALID");
    /* The sim token holds 8 session keys per token (all connections). */
    int made = 0;
    CK_RV rv = CKR_OK;
    while (made < 8 && (rv = gen(s, 0, 0, 0, &pub, &h[made])) == CKR_OK)
        made++;
    CHECK(made == 8 && gen(s, 0, 0, 0, &pub, &priv) == CKR_DEVICE_MEMORY,
          "the token's table full (%d keys) -> CKR_DEVICE_MEMORY", made);
    /* A CA certificate for the session key's CKA_ID binds to no session key. */
    CK_OBJECT_CLASS cc = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE x509 = CKC_X_509;
    CK_BYTE fake[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
    CK_ATTRIBUTE ct[] = { { CKA_CLASS, &cc, sizeof cc }, { CKA_CERTIFICATE_TYPE, &x509, sizeof x509 },
                          { CKA_TOKEN, &yes, sizeof yes }, { CKA_SBRGUARD_CA, &yes, sizeof yes },
                          { CKA_ID, kid, sizeof kid }, { CKA_VALUE, fake, sizeof fake } };
    CK_OBJECT_HANDLE cert;
    CHECK(f->C_CreateObject(s, ct, 6, &cert) == CKR_TEMPLATE_INCONSISTENT && count(s, CKO_CERTIFICATE, -1) == 0,
          "a CA certificate whose CKA_ID only a session key has -> CKR_TEMPLATE_INCONSISTENT, not bound");
    CHECK(f->C_DestroyObject(s, h[0]) == CKR_OK && f->C_DestroyObject(s, (h[0] & ~3UL) | 2) == CKR_OK &&
              gen(s, 0, 0, 0, &pub, &priv) == CKR_OK,
          "destroying both halves of one frees its entry");
    CHECK(f->C_DestroyObject(s, h[0]) == CKR_OBJECT_HANDLE_INVALID, "destroying it again -> CKR_OBJECT_HANDLE_INVALID");
    CHECK(f->C_CloseSession(s) == CKR_OK, "closing the session frees the table");
}

int main(void)
{
    pid_t pid;
    if (!mkdtemp(dir))
        return 1;
    f = pm_start(dir, sock, sizeof sock, &pid);
    CHECK(f && f->C_Initialize(NULL) == CKR_OK, "load the module, C_Initialize");
    if (!f)
        return 1;
    setup();
    lifecycle();
    after_logout();
    bad_input();
    /* The table is free again: another application can fill it. */
    CHECK(others_see() == 0, "no session key left on the token for anyone");
    CHECK(f->C_Finalize(NULL) == CKR_OK, "C_Finalize");
    return pm_stop(dir, pid) == 0 ? CHECK_DONE() : 1;
}
