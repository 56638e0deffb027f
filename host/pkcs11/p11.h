/* SPDX-License-Identifier: Apache-2.0 */
/* Internal interfaces of the sbrguard PKCS#11 module (libsbrguard-pkcs11.so).
 *
 * One slot per configured token (sg_token_list), each with its own
 * connection, login, sessions and lock: an entry point takes the lock of the
 * slot it works on (p11_slot_take, or p11_session_get for a session's slot)
 * and p11_g is that slot's state until p11_leave. */
#ifndef SG_P11_H
#define SG_P11_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <p11-kit-1/p11-kit/pkcs11.h>
#include "sbrguard/sbrguard.h"
#include "sbrguard/pkcs11_vendor.h"
#include "mbedtls/md.h"
#include "mbedtls/pk.h"

#define P11_MAX_SLOTS SG_MAX_TOKENS
/* A session handle carries its slot: (slot << P11_SESSION_SLOT_SHIFT) | n. */
#define P11_SESSION_SLOT_SHIFT 24

/* Object handles: token object h is (h << 2) | kind; module session objects
 * have bit 31 set. */
#define P11_K_PRIV 1u  /* private half of a token key */
#define P11_K_PUB 2u   /* public half of a token key */
#define P11_K_OTHER 3u /* certificate or data object */
#define P11_CLS_EVIDENCE 0xE5u /* module-only record class: CKO_SBRGUARD_EVIDENCE */
#define P11_H_SESSION 0x80000000UL
/* Module-only bits in a session object's p11_rec.flags (never sent). */
#define P11_F_FIXED 0x10000000u  /* created with CKA_MODIFIABLE = FALSE */
#define P11_F_NOCOPY 0x20000000u /* created with CKA_COPYABLE = FALSE */
#define P11_HANDLE(h, kind) ((((CK_OBJECT_HANDLE)(h)) << 2) | (kind))

/* Layers (README.md, checked by test/integration/host_layers.sh): funcs.c
 * names the entry points; an entry-point file (C_* functions) calls only
 * the helper units below, never another entry-point file. */

/* ---- slot state (state.c) ---------------------------------------------- */

struct p11_sign {
    int active, multipart;
    CK_SESSION_HANDLE owner; /* whose evidence objects go with the TBS */
    uint16_t key;        /* token handle */
    int key_type;        /* SG_KEY_* */
    size_t sig_len;
    sg_mech mech;
    uint8_t *buf;        /* multi-part data, SG_MAX_SIGN_DATA bytes */
    size_t len;
};

struct p11_session {
    struct p11_session *next;
    CK_SESSION_HANDLE handle;
    CK_FLAGS flags;
    int dead;            /* closed; freed when the current call leaves */
    int find_active;
    CK_OBJECT_HANDLE *found;
    size_t nfound, pos;
    struct p11_sign sign;
    struct p11_digest *digest; /* C_DigestInit..C_Digest(Final), host-side (digest.c) */
    struct p11_verify *verify; /* C_VerifyInit..C_Verify(Final), host-side (verify.c) */
};

/* A running C_Digest* (digest.c). */
struct p11_digest {
    mbedtls_md_context_t md;
    size_t len;
    int multipart;
};

#define P11_VERIFY_RAW_MAX 512 /* raw mechanisms: a digest or DigestInfo */
/* A running C_Verify* (verify.c). */
struct p11_verify {
    const struct p11_mech *m;
    sg_mech params;          /* PSS parameters */
    mbedtls_pk_context pk;
    mbedtls_md_context_t md; /* hash-and-sign: the running hash */
    int has_md, multipart;
    size_t sig_len;          /* the only signature length the key makes */
    size_t raw_len;
    uint8_t raw[P11_VERIFY_RAW_MAX];
};

/* An object's fields, from the token (sg_object) or a module session object. */
struct p11_rec {
    uint16_t handle;
    uint8_t cls, key_type;  /* SG_CLASS_*, SG_KEY_* */
    uint32_t flags;         /* SG_OBJ_* */
    uint16_t bound_key;
    const uint8_t *id; size_t id_len;
    const uint8_t *label; size_t label_len;
    const uint8_t *pubkey; size_t pubkey_len;
    const uint8_t *value; size_t value_len;
    const uint8_t *application; size_t application_len;
    const uint8_t *host_attrs; size_t host_attrs_len;
};

/* A module session object (CKA_TOKEN = FALSE): dies with its session. */
struct p11_sobj {
    struct p11_sobj *next;
    CK_OBJECT_HANDLE handle;
    CK_SESSION_HANDLE owner;
    struct p11_rec rec;     /* points into buf */
    uint8_t *buf;
};

/* One slot's state (one token). */
struct p11_global {
    CK_SLOT_ID slot;
    char socket[SG_SOCKET_MAX]; /* the token's, from the config */
    sg_client *client;
    pid_t pid;              /* process that opened client */
    int login;              /* SG_LOGIN_* of the module (= of the connection) */
    struct p11_session *sessions;
    CK_SESSION_HANDLE next_session;
    struct p11_sobj *objs;
    CK_ULONG next_obj;
    char refusal[512];      /* last policy refusal: "code [SBR s], ..." */
    unsigned refusal_seq;   /* counts refusals (p11_check) */
    uint16_t refusal_key;   /* token handle of the key refused (sign.c), if refusal_key_set */
    int refusal_key_set;
    struct { uint16_t key; int key_type, valid; } sign_memo; /* sign.c */
};
/* The state of the slot this thread's current call holds (a blank one
 * before it takes a slot). */
extern __thread struct p11_global *p11_cur;
#define p11_g (*p11_cur)

/* 1 between C_Initialize and C_Finalize. */
int p11_is_initialized(void);
/* C_Initialize (1) and C_Finalize (0); each 1 starts a new generation. */
void p11_set_initialized(int on);
unsigned p11_init_generation(void);
CK_RV p11_enter(void);
/* Takes slot id's lock for the rest of the call (p11_leave releases it);
 * CKR_SLOT_ID_INVALID for no such slot. One slot per call. */
CK_RV p11_slot_take(CK_SLOT_ID id);
void p11_leave(void);
/* Number of slots (configured tokens) since C_Initialize. */
CK_ULONG p11_slot_count(void);
/* The slot's token socket ("" for no such slot); fixed until C_Finalize. */
const char *p11_slot_socket(CK_SLOT_ID id);
/* 1 if something accepts connections on the slot's socket. */
int p11_token_present(CK_SLOT_ID id);
/* C_Initialize/C_Finalize (module.c): the slots from the config, their
 * locks (the app's mutex callbacks or pthreads), every lock at once, and
 * p11_g as slot id's state without its lock (none: id >= count). */
CK_RV p11_slots_load(void);
CK_RV p11_lock_setup(const CK_C_INITIALIZE_ARGS *a);
void p11_lock_free(void);
CK_RV p11_slots_lock_all(void);
void p11_slot_unlock_at(CK_ULONG id);
void p11_slot_select(CK_ULONG id);
/* Frees the sessions marked closed (at p11_leave). */
void p11_sessions_sweep(void);
/* Forgets the key C_SignInit last looked up (destroy, login, logout). */
void p11_sign_memo_drop(void);

/* ---- the connection (conn.c) and errors (errors.c) --------------------- */
/* Connected client, connecting lazily; CKR_DEVICE_ERROR if the token is gone. */
CK_RV p11_client(sg_client **c);
/* Maps a libsbrguard result to CKR_* (errors.c); drops the link if it broke. */
CK_RV p11_check(int sgrv, const char *what);
/* The table behind p11_check; tells what users should see (note.c) and
 * sets *link_broken if the connection is no longer usable. */
CK_RV p11_rv(int sgrv, const char *what, int *link_broken);
/* The connection is gone: the token-side login with it, so sessions that
 * relied on it are closed and the module is logged out. */
void p11_link_lost(void);

/* ---- the session list (sesslist.c) ------------------------------------- */
CK_RV p11_session_get(CK_SESSION_HANDLE h, struct p11_session **s);
/** p11_enter, then the session: on failure the module is left again. */
CK_RV p11_enter_session(CK_SESSION_HANDLE h, struct p11_session **s);
enum p11_op { P11_OP_SIGN, P11_OP_DIGEST, P11_OP_VERIFY, P11_OP_FIND };
/** p11_enter_session, then CKR_OPERATION_NOT_INITIALIZED (the module
 * left again) unless operation op runs in the session. */
CK_RV p11_enter_op(CK_SESSION_HANDLE h, enum p11_op op, struct p11_session **s);
void p11_session_close(struct p11_session *s);
void p11_sessions_close_all(void);
void p11_ops_cancel_all(void);
void p11_find_reset(struct p11_session *s);
void p11_sign_reset(struct p11_sign *op);
void p11_digest_reset(struct p11_session *s);
void p11_verify_reset(struct p11_session *s);

/* ---- session key pairs (skeys.c) --------------------------------------- */
/* Remembers that PKCS#11 session owner made token session key th. */
CK_RV p11_skey_add(uint16_t th, CK_SESSION_HANDLE owner);
void p11_skey_forget(uint16_t th);
/* Destroys on the token the session keys owner made (0: forgets them all,
 * the connection that held them is gone). */
void p11_skeys_close(CK_SESSION_HANDLE owner);

/* ---- mechanisms (mech.c) ----------------------------------------------- */
enum p11_family { P11_EC = 1, P11_RSA = 2 };
struct p11_mech {
    CK_MECHANISM_TYPE type;
    CK_ULONG min_bits, max_bits;
    CK_FLAGS flags;
    uint8_t family;         /* enum p11_family */
    uint8_t pss;            /* takes CK_RSA_PKCS_PSS_PARAMS */
    CK_MECHANISM_TYPE hash; /* hash-and-sign: its hash, else 0 */
};
#define P11_MECHS_MAX 32
const struct p11_mech *p11_mech_find(CK_MECHANISM_TYPE type);
/* The whole table (C_GetMechanismList), *n rows. */
const struct p11_mech *p11_mech_table(size_t *n);
/* mbedTLS's type of a digest mechanism, MBEDTLS_MD_NONE for others. */
mbedtls_md_type_t p11_md_type(CK_MECHANISM_TYPE m);
/* A mechanism's parameters (PSS) as the token takes them (signing and verifying). */
CK_RV p11_sign_params(const struct p11_mech *m, const CK_MECHANISM *mech, sg_mech *out);
/* Mechanisms of a key family with a capability flag (CKA_ALLOWED_MECHANISMS). */
size_t p11_mechs_for(int family, CK_FLAGS flag, CK_MECHANISM_TYPE *out, size_t cap);
int p11_key_family(int key_type);

/* ---- attribute store and object views (attrs.c) ------------------------ */
#define P11_VIEW_MAX_ATTRS 64
#define P11_VIEW_BUF 12288
struct p11_attr {
    CK_ATTRIBUTE_TYPE type;
    uint32_t off, len;
    uint8_t sensitive;
};
struct p11_view {
    size_t n, used;
    struct p11_attr a[P11_VIEW_MAX_ATTRS];
    uint8_t buf[P11_VIEW_BUF];
};
const struct p11_attr *p11_view_find(const struct p11_view *v, CK_ATTRIBUTE_TYPE t);
/* Builds the attributes of object kind P11_K_* of record r. */
CK_RV p11_view_build(struct p11_view *v, const struct p11_rec *r, unsigned kind, int token,
                     CK_OBJECT_HANDLE bound_key);
/* 1 if every template attribute is present, readable and equal. */
int p11_view_match(const struct p11_view *v, const CK_ATTRIBUTE *t, CK_ULONG n);
void p11_rec_from_sg(struct p11_rec *r, const sg_object *o);

/* ---- templates (tmpl.c) ------------------------------------------------ */
enum p11_ctx { P11_C_CERT = 1, P11_C_DATA = 2, P11_C_PUB = 4, P11_C_PRIV = 8, P11_C_EVIDENCE = 16 };
#define P11_TMPL_ROWS 48
struct p11_tmpl {
    const CK_ATTRIBUTE *at[P11_TMPL_ROWS]; /* by row of the attribute table */
};
CK_RV p11_tmpl_parse(struct p11_tmpl *t, const CK_ATTRIBUTE *a, CK_ULONG n, unsigned ctx);
const CK_ATTRIBUTE *p11_tmpl_get(const struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type);
/* Value of a CK_BBOOL / CK_ULONG attribute, or def if absent. */
CK_BBOOL p11_tmpl_bool(const struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type, CK_BBOOL def);
CK_ULONG p11_tmpl_ulong(const struct p11_tmpl *t, CK_ATTRIBUTE_TYPE type, CK_ULONG def);
/* Appends the template's host-kept attributes (not yet in the blob). */
CK_RV p11_hattrs_encode(const struct p11_tmpl *t, uint8_t *blob, size_t cap, size_t *len);
/* Appends one entry to the host attribute blob. */
CK_RV p11_hattrs_put(uint8_t *blob, size_t cap, size_t *len, CK_ATTRIBUTE_TYPE type,
                     const void *v, size_t vlen);
/* CKA_LABEL as a C string (<= SG_MAX_LABEL, no NUL inside). */
CK_RV p11_tmpl_label(const struct p11_tmpl *t, char out[SG_MAX_LABEL + 1], int *present);
int p11_attr_is_ulong(CK_ATTRIBUTE_TYPE type);
/* Attribute types the host attribute blob may carry. */
int p11_attr_is_hattr(CK_ATTRIBUTE_TYPE type);
/* Template attributes that decide visibility without fetching an object. */
int p11_is_cheap_attr(CK_ATTRIBUTE_TYPE type);

/* ---- DER (der.c) ------------------------------------------------------- */
/* SG_KEY_EC_* for CKA_EC_PARAMS (OID or printable name), 0 if unknown. */
int p11_curve_from_params(const uint8_t *p, size_t len);
struct p11_spki {
    const uint8_t *ec_params; size_t ec_params_len;  /* OID TLV */
    const uint8_t *ec_point; size_t ec_point_len;    /* 04||X||Y */
    const uint8_t *modulus; size_t modulus_len;      /* no leading zeros */
    const uint8_t *exponent; size_t exponent_len;
};
int p11_spki_parse(const uint8_t *p, size_t len, struct p11_spki *out);
struct p11_cert {
    const uint8_t *serial; size_t serial_len;   /* whole TLVs */
    const uint8_t *issuer; size_t issuer_len;
    const uint8_t *subject; size_t subject_len;
    const uint8_t *spki; size_t spki_len;
};
int p11_cert_parse(const uint8_t *p, size_t len, struct p11_cert *out);
/* DER header (tag, length) for a value of len bytes; returns header size. */
size_t p11_der_hdr(uint8_t tag, size_t len, uint8_t out[4]);

/* ---- object handles (handles.c) ---------------------------------------- */
/* The user is logged in (private objects exist). */
int p11_user(void);
/* Whether an object of class cls, seen as kind P11_K_*, exists for the application. */
int p11_visible(uint8_t cls, unsigned kind, uint32_t flags);
/* Token handle and kind of a token object handle; 0 if it is none. */
int p11_split(CK_OBJECT_HANDLE h, uint16_t *th, unsigned *kind);
struct p11_sobj *p11_sobj_find(CK_OBJECT_HANDLE h);
/* Gives a new module session object of session owner its handle and
 * lists it in p11_g.objs; returns the handle. */
CK_OBJECT_HANDLE p11_sobj_add(struct p11_sobj *so, CK_SESSION_HANDLE owner);
/* Fetches token object th into o, as the handle's kind, if visible. */
CK_RV p11_fetch(uint16_t th, unsigned kind, sg_object *o);
CK_RV p11_token_view(const sg_object *o, unsigned kind, struct p11_view *v);
/* View of any object handle the application may see. */
CK_RV p11_obj_view(CK_OBJECT_HANDLE h, struct p11_view *v);
/* CKA_CLASS of any handle the application may see. */
CK_RV p11_object_class(CK_OBJECT_HANDLE h, CK_OBJECT_CLASS *cls);

/* ---- what the module tells (note.c) ------------------------------------ */
/* Copies s into a blank-padded fixed-size PKCS#11 field. */
void p11_pad(unsigned char *dst, size_t cap, const char *s, size_t len);
int p11_debug(void);
/* One line to stderr or syslog (config `p11-log`, default stderr). */
void p11_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
