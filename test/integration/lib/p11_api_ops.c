/* SPDX-License-Identifier: Apache-2.0 */
/* p11_api.sh's client: signing, finding, objects, verification, attribute changes and copies, RNG, threads, a dying token, fork. */
#include "p11_api.h"

void s_signing(void)
{
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

}

void s_finding(void)
{
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

}

void s_objects(void)
{
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

}

void s_verify(void)
{
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

}

void s_setattr(void)
{
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

}

void s_rng(void)
{
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

}

void s_threads(void)
{
    /* Many threads through the one connection. */
    {
        pthread_t th[8];
        for (int i = 0; i < 8; i++)
            pthread_create(&th[i], NULL, worker, NULL);
        for (int i = 0; i < 8; i++)
            pthread_join(th[i], NULL);
        check("8 threads x 40 sign/find/read rounds", thread_errors == 0);
    }

}

void s_token_dies(void)
{
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

}

void s_fork(void)
{
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
}
