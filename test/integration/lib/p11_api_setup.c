/* SPDX-License-Identifier: Apache-2.0 */
/* p11_api.sh's client: initialization and locking, slot and mechanism lists, token set-up, key generation, attributes. */
#include "p11_api.h"

void s_locking(void)
{
    /* Locking arguments. */
    memset(&ia, 0, sizeof ia);
    ia.CreateMutex = m_create;
    rv_is("partial mutex callbacks rejected", f->C_Initialize(&ia), CKR_ARGUMENTS_BAD);
    ia.DestroyMutex = m_destroy;
    ia.LockMutex = m_lock;
    ia.UnlockMutex = m_unlock;
    rv_is("C_Initialize with application mutexes", f->C_Initialize(&ia), CKR_OK);
    rv_is("second C_Initialize", f->C_Initialize(NULL), CKR_CRYPTOKI_ALREADY_INITIALIZED);
    n = 0;
    f->C_CloseAllSessions(0); /* takes slot 0's lock */
    check("application mutex callbacks used", n_create == 1 && n_lock > 0);
    rv_is("C_Finalize", f->C_Finalize(NULL), CKR_OK);
    check("application mutex destroyed", n_destroy == 1);
    locks = n_lock;
    ia.flags = CKF_OS_LOCKING_OK;
    rv_is("C_Initialize with CKF_OS_LOCKING_OK and callbacks", f->C_Initialize(&ia), CKR_OK);
    f->C_CloseAllSessions(0);
    check("CKF_OS_LOCKING_OK: OS locks used", n_lock == locks);
    f->C_Finalize(NULL);
    memset(&os, 0, sizeof os);
    os.flags = CKF_OS_LOCKING_OK;
    rv_is("C_Initialize with CKF_OS_LOCKING_OK", f->C_Initialize(&os), CKR_OK);
    rv_is("C_GetInfo", f->C_GetInfo(&info), CKR_OK);
    check("C_GetInfo: 2.40, sbrguard", info.cryptokiVersion.major == 2 &&
                                        info.cryptokiVersion.minor == 40 &&
                                        !memcmp(info.manufacturerID, "sbrguard ", 9));

}

void s_lists(void)
{
    /* Lists: length query and short buffers. */
    n = 0;
    rv_is("C_GetSlotList length query", f->C_GetSlotList(CK_TRUE, NULL, &n), CKR_OK);
    check("one slot", n == 1);
    n = 0;
    rv_is("C_GetSlotList short buffer", f->C_GetSlotList(CK_TRUE, slots, &n), CKR_BUFFER_TOO_SMALL);
    check("C_GetSlotList short buffer returns the count", n == 1);
    n = 4;
    rv_is("C_GetSlotList", f->C_GetSlotList(CK_FALSE, slots, &n), CKR_OK);
    check("slot id 0", n == 1 && slots[0] == 0);
    rv_is("C_GetSlotInfo", f->C_GetSlotInfo(0, &si), CKR_OK);
    check("token present", (si.flags & CKF_TOKEN_PRESENT) != 0);
    rv_is("C_GetSlotInfo bad slot", f->C_GetSlotInfo(7, &si), CKR_SLOT_ID_INVALID);
    n = 0;
    rv_is("C_GetMechanismList length query", f->C_GetMechanismList(0, NULL, &n), CKR_OK);
    nm = n;
    check("17 mechanisms: 2 key-pair generations, 12 signatures, 3 digests", nm == 17);
    n = 2;
    rv_is("C_GetMechanismList short buffer", f->C_GetMechanismList(0, mechs, &n), CKR_BUFFER_TOO_SMALL);
    check("C_GetMechanismList short buffer returns the count", n == nm);
    n = 32;
    rv_is("C_GetMechanismList", f->C_GetMechanismList(0, mechs, &n), CKR_OK);
    digests = 0;
    for (CK_ULONG k = 0; k < n; k++)
        digests += mechs[k] == CKM_SHA256 || mechs[k] == CKM_SHA384 || mechs[k] == CKM_SHA512;
    check("the list names SHA-256, SHA-384 and SHA-512", n == nm && digests == 3);
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

}

void s_token(void)
{
    /* Token set-up. */
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

}

void s_keygen(void)
{
    /* Key generation. */
    rv_is("EC keygen needs a R/W session", gen_ec(ro, oid_p256, sizeof oid_p256, "e1", &pub, &priv),
          CKR_SESSION_READ_ONLY);
    rv_is("EC keygen P-256", gen_ec(rw, oid_p256, sizeof oid_p256, "e1", &pub, &ec_priv), CKR_OK);
    check("handles: (h << 2) | 1 private, | 2 public", (ec_priv & 3) == 1 && (pub & 3) == 2 &&
                                                        (ec_priv >> 2) == (pub >> 2));
    ec_pub = pub;
    rv_is("EC keygen P-384", gen_ec(rw, oid_p384, sizeof oid_p384, "e2", &pub, &p384), CKR_OK);
    rv_is("EC keygen P-521 by curve name", gen_ec(rw, name_p521, sizeof name_p521, "e3", &p521pub, &p521),
          CKR_OK);
    rv_is("EC keygen secp256k1", gen_ec(rw, oid_k256, sizeof oid_k256, "e4", &pub, &priv),
          CKR_CURVE_NOT_SUPPORTED);
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

}

void s_attributes(void)
{
    /* Attributes. */
    a = (CK_ATTRIBUTE){CKA_MODULUS, NULL, 0};
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

}
