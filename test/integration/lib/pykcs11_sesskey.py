# SPDX-License-Identifier: Apache-2.0
"""PyKCS11: session key pairs (CKA_TOKEN = FALSE) on the token (p11_sesskeys.sh).
A P-256 and an RSA-2048 pair generated in a read-only session, each signs;
the signatures, data and public keys go to OUTDIR for openssl; after
closeSession the keys are gone. With "ec-only" (mps2-an386: one entry of
640 bytes) the RSA pair is refused with CKR_DEVICE_MEMORY instead.
  pykcs11_sesskey.py MODULE PIN OUTDIR [ec-only]"""
import sys
import PyKCS11
from PyKCS11 import PyKCS11Error
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
mod, pin, out = sys.argv[1:4]
ec_only = sys.argv[4:] == ["ec-only"]
failed = 0
def ok(what, cond):
    global failed
    print(("ok - " if cond else "not ok - ") + "pykcs11 session keys: " + what)
    failed |= not cond
def err(fn):
    try:
        fn()
        return "CKR_OK"
    except PyKCS11Error as e:
        return PyKCS11.CKR.get(e.value, str(e.value))
lib = PyKCS11.PyKCS11Lib()
lib.load(mod)
ro = lib.openSession(0)
ro.login(pin)
P256 = bytes([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07])
common = [(PyKCS11.CKA_TOKEN, PyKCS11.CK_FALSE), (PyKCS11.CKA_ID, (0x5e,)), (PyKCS11.CKA_LABEL, "session")]
ec_pub, ec_priv = ro.generateKeyPair(common + [(PyKCS11.CKA_EC_PARAMS, P256), (PyKCS11.CKA_VERIFY, PyKCS11.CK_TRUE)],
                                     common + [(PyKCS11.CKA_SIGN, PyKCS11.CK_TRUE)],
                                     mecha=PyKCS11.MechanismECGENERATEKEYPAIR)
ok("EC P-256 pair generated in a read-only session", ec_pub is not None and ec_priv is not None)
rsa = []
def rsa_gen():
    rsa[:] = ro.generateKeyPair(common + [(PyKCS11.CKA_MODULUS_BITS, 2048), (PyKCS11.CKA_PUBLIC_EXPONENT, (1, 0, 1))],
                                common + [(PyKCS11.CKA_SIGN, PyKCS11.CK_TRUE)],
                                mecha=PyKCS11.MechanismRSAGENERATEKEYPAIR)
got = err(rsa_gen)
if ec_only:
    ok("RSA-2048 session pair on a board without room for it: CKR_DEVICE_MEMORY (%s)" % got,
       got == "CKR_DEVICE_MEMORY")
else:
    ok("RSA-2048 pair generated in a read-only session (%s)" % got, got == "CKR_OK")
keys = [("ec", ec_pub, ec_priv, PyKCS11.CKM_ECDSA_SHA256)]
if len(rsa) == 2:
    keys.append(("rsa", rsa[0], rsa[1], PyKCS11.CKM_SHA256_RSA_PKCS))
tok = ro.getAttributeValue(ec_priv, [PyKCS11.CKA_TOKEN, PyKCS11.CKA_SBRGUARD_CA if hasattr(PyKCS11, "CKA_SBRGUARD_CA")
                                     else PyKCS11.CKA_TOKEN])[0]
ok("CKA_TOKEN is FALSE", not tok)
found = ro.findObjects([(PyKCS11.CKA_TOKEN, PyKCS11.CK_FALSE), (PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY)])
ok("findObjects(CKA_TOKEN = FALSE): the private keys", len(found) == len(keys))
data = b"signed by a session key" * 10
open(out + "/data", "wb").write(data)
for name, pub, priv, mech in keys:
    m = PyKCS11.Mechanism(mech, None)
    sig = bytes(ro.sign(priv, data, m))
    if name == "ec":
        sig = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
    open(out + "/" + name + ".sig", "wb").write(sig)
    spki = bytes(ro.getAttributeValue(pub, [PyKCS11.CKA_PUBLIC_KEY_INFO])[0])
    open(out + "/" + name + ".pub.der", "wb").write(spki)
    ok("%s: signed; public key info exported" % name, len(sig) > 0 and len(spki) > 0)
rw = lib.openSession(0, PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)
ok("another session of the application sees them",
   len(rw.findObjects([(PyKCS11.CKA_TOKEN, PyKCS11.CK_FALSE), (PyKCS11.CKA_LABEL, "session")])) == 2 * len(keys))
ro.closeSession()
ok("after closeSession: no session key is left",
   rw.findObjects([(PyKCS11.CKA_TOKEN, PyKCS11.CK_FALSE), (PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY)]) == [])
got = err(lambda: rw.sign(ec_priv, data, PyKCS11.Mechanism(PyKCS11.CKM_ECDSA_SHA256, None)))
ok("signing with the closed session's key: CKR_KEY_HANDLE_INVALID (%s)" % got, got == "CKR_KEY_HANDLE_INVALID")
got = err(lambda: rw.generateKeyPair([(PyKCS11.CKA_TOKEN, PyKCS11.CK_FALSE), (PyKCS11.CKA_EC_PARAMS, P256)],
                                     [(PyKCS11.CKA_TOKEN, PyKCS11.CK_TRUE)], mecha=PyKCS11.MechanismECGENERATEKEYPAIR))
ok("CKA_TOKEN FALSE and TRUE in one pair: CKR_TEMPLATE_INCONSISTENT (%s)" % got, got == "CKR_TEMPLATE_INCONSISTENT")
rw.logout()
rw.closeSession()
sys.exit(1 if failed else 0)
