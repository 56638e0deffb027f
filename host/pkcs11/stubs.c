/* SPDX-License-Identifier: Apache-2.0 */
/* The v2.40 functions the token does not offer. They must exist because
 * the function list names every one of them; like every other function they
 * answer CKR_CRYPTOKI_NOT_INITIALIZED before anything else. */
#include "p11.h"

/* Stubs ignore their arguments by design. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

#define P11_NOT_SUPPORTED(name, args) \
    CK_RV name args \
    { return p11_is_initialized() ? CKR_FUNCTION_NOT_SUPPORTED : CKR_CRYPTOKI_NOT_INITIALIZED; }

P11_NOT_SUPPORTED(C_GetOperationState,
                  (CK_SESSION_HANDLE h, CK_BYTE_PTR state, CK_ULONG_PTR len))
P11_NOT_SUPPORTED(C_SetOperationState,
                  (CK_SESSION_HANDLE h, CK_BYTE_PTR state, CK_ULONG len,
                   CK_OBJECT_HANDLE enc, CK_OBJECT_HANDLE auth))
P11_NOT_SUPPORTED(C_GetObjectSize, (CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ULONG_PTR size))
P11_NOT_SUPPORTED(C_EncryptInit, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k))
P11_NOT_SUPPORTED(C_Encrypt, (CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                              CK_BYTE_PTR out, CK_ULONG_PTR out_len))
P11_NOT_SUPPORTED(C_EncryptUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                                    CK_BYTE_PTR out, CK_ULONG_PTR out_len))
P11_NOT_SUPPORTED(C_EncryptFinal, (CK_SESSION_HANDLE h, CK_BYTE_PTR out, CK_ULONG_PTR out_len))
P11_NOT_SUPPORTED(C_DecryptInit, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k))
P11_NOT_SUPPORTED(C_Decrypt, (CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                              CK_BYTE_PTR out, CK_ULONG_PTR out_len))
P11_NOT_SUPPORTED(C_DecryptUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                                    CK_BYTE_PTR out, CK_ULONG_PTR out_len))
P11_NOT_SUPPORTED(C_DecryptFinal, (CK_SESSION_HANDLE h, CK_BYTE_PTR out, CK_ULONG_PTR out_len))
P11_NOT_SUPPORTED(C_SignRecoverInit, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k))
P11_NOT_SUPPORTED(C_SignRecover, (CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                                  CK_BYTE_PTR out, CK_ULONG_PTR out_len))
P11_NOT_SUPPORTED(C_VerifyRecoverInit,
                  (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k))
P11_NOT_SUPPORTED(C_VerifyRecover, (CK_SESSION_HANDLE h, CK_BYTE_PTR sig, CK_ULONG sig_len,
                                    CK_BYTE_PTR out, CK_ULONG_PTR out_len))
P11_NOT_SUPPORTED(C_DigestEncryptUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                                          CK_BYTE_PTR out, CK_ULONG_PTR out_len))
P11_NOT_SUPPORTED(C_DecryptDigestUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                                          CK_BYTE_PTR out, CK_ULONG_PTR out_len))
P11_NOT_SUPPORTED(C_SignEncryptUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                                        CK_BYTE_PTR out, CK_ULONG_PTR out_len))
P11_NOT_SUPPORTED(C_DecryptVerifyUpdate, (CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                                          CK_BYTE_PTR out, CK_ULONG_PTR out_len))
P11_NOT_SUPPORTED(C_GenerateKey, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_ATTRIBUTE_PTR t,
                                  CK_ULONG n, CK_OBJECT_HANDLE_PTR k))
P11_NOT_SUPPORTED(C_WrapKey, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE wk,
                              CK_OBJECT_HANDLE k, CK_BYTE_PTR out, CK_ULONG_PTR out_len))
P11_NOT_SUPPORTED(C_UnwrapKey, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE uk,
                                CK_BYTE_PTR in, CK_ULONG in_len, CK_ATTRIBUTE_PTR t,
                                CK_ULONG n, CK_OBJECT_HANDLE_PTR k))
P11_NOT_SUPPORTED(C_DeriveKey, (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE base,
                                CK_ATTRIBUTE_PTR t, CK_ULONG n, CK_OBJECT_HANDLE_PTR k))

/* Legacy parallel-function calls (spec: always this answer). */
CK_RV C_GetFunctionStatus(CK_SESSION_HANDLE h)
{
    return p11_is_initialized() ? CKR_FUNCTION_NOT_PARALLEL : CKR_CRYPTOKI_NOT_INITIALIZED;
}

CK_RV C_CancelFunction(CK_SESSION_HANDLE h)
{
    return p11_is_initialized() ? CKR_FUNCTION_NOT_PARALLEL : CKR_CRYPTOKI_NOT_INITIALIZED;
}
