/* SPDX-License-Identifier: Apache-2.0 */
/* The slots (one per configured token), their tokens, the mechanism list
 * and info (the table: mech.c), C_InitToken and the RNG. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "p11.h"

/* Fills a list the PKCS#11 way: NULL asks for the count, short -> too small. */
static CK_RV p11_fill_list(CK_ULONG *out, CK_ULONG *count, const CK_ULONG *src, CK_ULONG n)
{
    if (!count)
        return CKR_ARGUMENTS_BAD;
    if (!out) {
        *count = n;
        return CKR_OK;
    }
    if (*count < n) {
        *count = n;
        return CKR_BUFFER_TOO_SMALL;
    }
    memcpy(out, src, n * sizeof(*src));
    *count = n;
    return CKR_OK;
}

CK_RV C_GetSlotList(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList, CK_ULONG_PTR pulCount)
{
    CK_RV rv = p11_enter();
    if (rv != CKR_OK)
        return rv;
    /* No slot lock: the sockets are fixed, presence is a probe (state.c).
     * Slot ids are the tokens' places in the config. */
    CK_ULONG slots[P11_MAX_SLOTS], n = 0;
    for (CK_ULONG i = 0; i < p11_slot_count(); i++)
        if (!tokenPresent || p11_token_present(i))
            slots[n++] = i;
    rv = p11_fill_list(pSlotList, pulCount, slots, n);
    p11_leave();
    return rv;
}

CK_RV C_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo)
{
    CK_RV rv = p11_enter();
    if (rv != CKR_OK)
        return rv;
    if (slotID >= p11_slot_count()) {
        rv = CKR_SLOT_ID_INVALID;
    } else if (!pInfo) {
        rv = CKR_ARGUMENTS_BAD;
    } else {
        /* "sbrguard token" for slot 0, as with one token; then the socket's name. */
        char desc[64];
        const char *sock = p11_slot_socket(slotID), *base = strrchr(sock, '/');
        int n = slotID ? snprintf(desc, sizeof desc, "sbrguard token %lu %s", (unsigned long)slotID,
                                  base ? base + 1 : sock)
                       : snprintf(desc, sizeof desc, "sbrguard token");
        memset(pInfo, 0, sizeof(*pInfo));
        p11_pad(pInfo->slotDescription, sizeof(pInfo->slotDescription), desc,
                n < 0 ? 0 : (size_t)n < sizeof desc ? (size_t)n : sizeof desc - 1);
        p11_pad(pInfo->manufacturerID, sizeof(pInfo->manufacturerID), "sbrguard", 8);
        /* The token comes and goes with its process or board (hot-plug). */
        pInfo->flags = CKF_HW_SLOT | CKF_REMOVABLE_DEVICE |
                       (p11_token_present(slotID) ? CKF_TOKEN_PRESENT : 0);
        pInfo->hardwareVersion.major = 1;
        pInfo->firmwareVersion.major = 1;
    }
    p11_leave();
    return rv;
}

static CK_FLAGS p11_token_flags(const sg_info *in)
{
    CK_FLAGS f = CKF_RNG | CKF_LOGIN_REQUIRED | CKF_CLOCK_ON_TOKEN;
    if (in->flags & SG_TF_INITIALIZED)
        f |= CKF_TOKEN_INITIALIZED;
    if (in->flags & SG_TF_USER_PIN_SET)
        f |= CKF_USER_PIN_INITIALIZED;
    if (in->flags & SG_TF_USER_LOCKED)
        f |= CKF_USER_PIN_LOCKED;
    else if (in->user_tries == 1)
        f |= CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_COUNT_LOW;
    else if (in->user_tries < SG_USER_MAX_TRIES)
        f |= CKF_USER_PIN_COUNT_LOW;
    if (in->flags & SG_TF_SO_LOCKED)
        f |= CKF_SO_PIN_LOCKED;
    else if (in->so_tries == 1)
        f |= CKF_SO_PIN_FINAL_TRY | CKF_SO_PIN_COUNT_LOW;
    else if (in->so_tries < SG_SO_MAX_TRIES)
        f |= CKF_SO_PIN_COUNT_LOW;
    return f;
}

static void p11_utc_time(unsigned char out[16], uint64_t t)
{
    struct tm tm;
    time_t tt = (time_t)t;
    char buf[32];
    if (!gmtime_r(&tt, &tm) ||
        strftime(buf, sizeof(buf), "%Y%m%d%H%M%S00", &tm) != 16) {
        memset(out, ' ', 16);
        return;
    }
    memcpy(out, buf, 16);
}

CK_RV C_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo)
{
    CK_RV rv = p11_enter();
    if (rv != CKR_OK)
        return rv;
    sg_client *c;
    sg_info in;
    if ((rv = p11_slot_take(slotID)) != CKR_OK)
        ;
    else if (!pInfo)
        rv = CKR_ARGUMENTS_BAD;
    else if ((rv = p11_client(&c)) == CKR_OK)
        rv = p11_check(sg_get_info(c, &in), "info");
    if (rv == CKR_DEVICE_ERROR && !p11_token_present(slotID))
        rv = CKR_TOKEN_NOT_PRESENT; /* the slot shows it gone (hot-plug) */
    if (rv == CKR_OK) {
        memset(pInfo, 0, sizeof(*pInfo));
        in.label[SG_MAX_LABEL] = '\0';
        in.serial[SG_SERIAL_LEN] = '\0';
        p11_pad(pInfo->label, sizeof(pInfo->label), in.label, strlen(in.label));
        p11_pad(pInfo->manufacturerID, sizeof(pInfo->manufacturerID), "sbrguard", 8);
        p11_pad(pInfo->model, sizeof(pInfo->model), "sbrguard-sim", 12);
        p11_pad(pInfo->serialNumber, sizeof(pInfo->serialNumber), in.serial, strlen(in.serial));
        pInfo->flags = p11_token_flags(&in);
        pInfo->ulMaxSessionCount = CK_EFFECTIVELY_INFINITE;
        pInfo->ulMaxRwSessionCount = CK_EFFECTIVELY_INFINITE;
        pInfo->ulSessionCount = 0;
        pInfo->ulRwSessionCount = 0;
        for (struct p11_session *s = p11_g.sessions; s; s = s->next) {
            if (s->dead)
                continue;
            pInfo->ulSessionCount++;
            if (s->flags & CKF_RW_SESSION)
                pInfo->ulRwSessionCount++;
        }
        pInfo->ulMaxPinLen = SG_MAX_PIN;
        pInfo->ulMinPinLen = SG_MIN_PIN;
        pInfo->ulTotalPublicMemory = CK_UNAVAILABLE_INFORMATION;
        pInfo->ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
        pInfo->ulTotalPrivateMemory = CK_UNAVAILABLE_INFORMATION;
        pInfo->ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
        pInfo->hardwareVersion.major = 1;
        pInfo->firmwareVersion.major = in.fw_major;
        pInfo->firmwareVersion.minor = in.fw_minor;
        p11_utc_time(pInfo->utcTime, in.time);
    }
    p11_leave();
    return rv;
}

CK_RV C_GetMechanismList(CK_SLOT_ID slotID, CK_MECHANISM_TYPE_PTR pMechanismList,
                         CK_ULONG_PTR pulCount)
{
    CK_RV rv = p11_enter();
    if (rv != CKR_OK)
        return rv;
    if (slotID >= p11_slot_count()) {
        rv = CKR_SLOT_ID_INVALID;
    } else {
        size_t n;
        const struct p11_mech *all = p11_mech_table(&n);
        CK_MECHANISM_TYPE list[P11_MECHS_MAX];
        for (size_t i = 0; i < n; i++)
            list[i] = all[i].type;
        rv = p11_fill_list(pMechanismList, pulCount, list, n);
    }
    p11_leave();
    return rv;
}

CK_RV C_GetMechanismInfo(CK_SLOT_ID slotID, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR pInfo)
{
    CK_RV rv = p11_enter();
    if (rv != CKR_OK)
        return rv;
    const struct p11_mech *m = p11_mech_find(type);
    if (slotID >= p11_slot_count()) {
        rv = CKR_SLOT_ID_INVALID;
    } else if (!pInfo) {
        rv = CKR_ARGUMENTS_BAD;
    } else if (!m) {
        rv = CKR_MECHANISM_INVALID;
    } else {
        pInfo->ulMinKeySize = m->min_bits;
        pInfo->ulMaxKeySize = m->max_bits;
        pInfo->flags = m->flags;
    }
    p11_leave();
    return rv;
}

CK_RV C_InitToken(CK_SLOT_ID slotID, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen,
                  CK_UTF8CHAR_PTR pLabel)
{
    CK_RV rv = p11_enter();
    if (rv != CKR_OK)
        return rv;
    sg_client *c;
    char label[SG_MAX_LABEL + 1];
    if ((rv = p11_slot_take(slotID)) != CKR_OK)
        goto out;
    if (!pPin || !pLabel) {
        rv = CKR_ARGUMENTS_BAD;
        goto out;
    }
    if (ulPinLen > SG_MAX_PIN) {
        rv = CKR_PIN_LEN_RANGE;
        goto out;
    }
    for (struct p11_session *s = p11_g.sessions; s; s = s->next) {
        if (!s->dead) {
            rv = CKR_SESSION_EXISTS;
            goto out;
        }
    }
    /* The label is 32 blank-padded bytes; the token keeps it trimmed. */
    size_t n = 0;
    while (n < SG_MAX_LABEL && pLabel[n] != '\0') {
        label[n] = (char)pLabel[n];
        n++;
    }
    while (n > 0 && label[n - 1] == ' ')
        n--;
    label[n] = '\0';
    if ((rv = p11_client(&c)) == CKR_OK)
        rv = p11_check(sg_init_token(c, (const char *)pPin, ulPinLen, label), "init-token");
out:
    p11_leave();
    return rv;
}

CK_RV C_GenerateRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pRandomData, CK_ULONG ulRandomLen)
{
    struct p11_session *s;
    sg_client *c;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    if (!pRandomData && ulRandomLen)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK && ulRandomLen)
        rv = p11_client(&c);
    for (CK_ULONG off = 0; rv == CKR_OK && off < ulRandomLen;) {
        size_t n = ulRandomLen - off > SG_MAX_RANDOM ? SG_MAX_RANDOM : ulRandomLen - off;
        rv = p11_check(sg_random(c, pRandomData + off, n), "random");
        off += n;
    }
    p11_leave();
    return rv;
}

CK_RV C_SeedRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSeed, CK_ULONG ulSeedLen)
{
    (void)pSeed;
    (void)ulSeedLen;
    struct p11_session *s;
    CK_RV rv = p11_enter_session(hSession, &s);
    if (rv != CKR_OK)
        return rv;
    p11_leave();
    return rv == CKR_OK ? CKR_RANDOM_SEED_NOT_SUPPORTED : rv;
}
