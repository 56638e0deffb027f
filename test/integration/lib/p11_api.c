/* SPDX-License-Identifier: Apache-2.0 */
/* p11_api.sh's client: output, helpers, the token control, main. */
#include "p11_api.h"


CK_FUNCTION_LIST_PTR f;
int failed;
char *dir;

void check(const char *what, int cond)
{
    printf("%s - %s\n", cond ? "ok" : "not ok", what);
    fflush(stdout);
    if (!cond)
        failed = 1;
}

void rv_is(const char *what, CK_RV rv, CK_RV want)
{
    if (rv != want)
        fprintf(stderr, "%s: rv 0x%lx, want 0x%lx\n", what, rv, want);
    check(what, rv == want);
}

int run(const char *name)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s/%s", dir, name);
    return system(cmd);
}

/* Application mutex callbacks, counted. */
int n_create, n_lock, n_destroy;
CK_RV m_create(void **m)
{
    pthread_mutex_t *p = malloc(sizeof *p);
    pthread_mutex_init(p, NULL);
    *m = p;
    n_create++;
    return CKR_OK;
}
CK_RV m_destroy(void *m)
{
    pthread_mutex_destroy(m);
    free(m);
    n_destroy++;
    return CKR_OK;
}
CK_RV m_lock(void *m) { pthread_mutex_lock(m); n_lock++; return CKR_OK; }
CK_RV m_unlock(void *m) { pthread_mutex_unlock(m); return CKR_OK; }

CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
const CK_BYTE oid_p256[] = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
const CK_BYTE oid_p384[] = {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22};
const CK_BYTE oid_p521[] = {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x23};
const CK_BYTE oid_k256[] = {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x0A};
const CK_BYTE name_p521[] = {0x13, 0x09, 's', 'e', 'c', 'p', '5', '2', '1', 'r', '1'};

CK_RV gen_ec(CK_SESSION_HANDLE s, const CK_BYTE *params, CK_ULONG plen, const char *id,
             CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM m = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
    CK_ATTRIBUTE pt[] = {{CKA_EC_PARAMS, (void *)params, plen}, {CKA_TOKEN, &yes, 1},
                         {CKA_VERIFY, &yes, 1}, {CKA_LABEL, (void *)id, strlen(id)}};
    CK_ATTRIBUTE kt[] = {{CKA_TOKEN, &yes, 1}, {CKA_PRIVATE, &yes, 1}, {CKA_SENSITIVE, &yes, 1},
                         {CKA_SIGN, &yes, 1}, {CKA_ID, (void *)id, strlen(id)}};
    return f->C_GenerateKeyPair(s, &m, pt, 4, kt, 5, pub, priv);
}

CK_RV gen_rsa(CK_SESSION_HANDLE s, CK_ULONG bits, const CK_BYTE *e, CK_ULONG elen,
              const char *id, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM m = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0};
    CK_ATTRIBUTE pt[] = {{CKA_MODULUS_BITS, &bits, sizeof bits}, {CKA_TOKEN, &yes, 1},
                         {CKA_PUBLIC_EXPONENT, (void *)e, elen}};
    CK_ATTRIBUTE kt[] = {{CKA_TOKEN, &yes, 1}, {CKA_SIGN, &yes, 1}, {CKA_DECRYPT, &yes, 1},
                         {CKA_ID, (void *)id, strlen(id)}};
    return f->C_GenerateKeyPair(s, &m, pt, e ? 3 : 2, kt, 4, pub, priv);
}

CK_ULONG count_class(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls)
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

CK_OBJECT_HANDLE ec_priv; /* P-256 key for the threads */
int thread_errors;
static pthread_mutex_t te_lock = PTHREAD_MUTEX_INITIALIZER;

void *worker(void *arg)
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

CK_BYTE cert[4096];
size_t cert_len;

/* Binds ca.der (self-signed with the token key "r1") as its CA certificate. */
int bind_ca(CK_C_GetFunctionList gfl)
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


/* The running state (p11_api.h). */
void *lib;
CK_INFO info;
CK_C_INITIALIZE_ARGS ia;
CK_ULONG n;
int locks;
CK_C_INITIALIZE_ARGS os;
CK_SLOT_ID slots[4];
CK_SLOT_INFO si;
CK_MECHANISM_TYPE mechs[32];
CK_ULONG nm;
int digests;
CK_MECHANISM_INFO mi;
CK_TOKEN_INFO ti;
CK_UTF8CHAR label[32];
CK_SESSION_HANDLE rw, ro, s2;
CK_SESSION_INFO sinfo;
CK_OBJECT_HANDLE pub, priv, p384, p521, p521pub, rsa_pub, rsa_priv, h;
CK_OBJECT_HANDLE ec_pub;
const CK_BYTE f4[] = {1, 0, 1}, e3[] = {3}, f4z[] = {0, 1, 0, 1};
CK_BYTE buf[1024];
CK_ATTRIBUTE a;

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    dir = argv[2];
    lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
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
    rv_is("C_GetInfo before C_Initialize", f->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);

    s_locking();
    s_lists();
    s_token();
    s_keygen();
    s_attributes();
    s_signing();
    s_finding();
    s_objects();
    s_verify();
    s_setattr();
    s_rng();
    s_threads();
    s_token_dies();
    s_fork();
    return failed;
}
