# SPDX-License-Identifier: Apache-2.0
"""PyKCS11 against libsbrguard-pkcs11.so (p11_clients.sh): sessions, find, sign
(checked by cryptography), verify, digest, a CA refusal and its reasons.
  pykcs11_check.py MODULE PIN PLAIN.pub.pem BAD-TBS.der"""
import sys, hashlib
import PyKCS11
from PyKCS11 import PyKCS11Error
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
mod, pin, pubpem, bad = sys.argv[1:5]
failed = 0
def ok(what, cond):
    global failed
    print(("ok - " if cond else "not ok - ") + "pykcs11: " + what)
    failed |= not cond
def rv(what, fn, want):
    try:
        fn()
        got = "CKR_OK"
    except PyKCS11Error as e:
        got = PyKCS11.CKR[e.value] if e.value in PyKCS11.CKR else str(e.value)
    ok(what + " (" + got + ")", got == want)
lib = PyKCS11.PyKCS11Lib()
lib.load(mod)
slots = lib.getSlotList(tokenPresent=True)
ok("one slot with the token", slots == [0] and lib.getTokenInfo(0).label.strip() == "clients")
ro = lib.openSession(0)
rw = lib.openSession(0, PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)
ok("R/O and R/W public sessions", ro.getSessionInfo().state == PyKCS11.CKS_RO_PUBLIC_SESSION and
   rw.getSessionInfo().state == PyKCS11.CKS_RW_PUBLIC_SESSION)
ok("no private keys before login", ro.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY)]) == [])
rw.login(pin)
ok("login: R/O session is a user session", ro.getSessionInfo().state == PyKCS11.CKS_RO_USER_FUNCTIONS)
privs = ro.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY)])
ok("find: two private keys after login", len(privs) == 2)
priv = ro.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY), (PyKCS11.CKA_LABEL, "plain")])
pub = ro.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_PUBLIC_KEY), (PyKCS11.CKA_ID, (0xe1,))])
ok("find by label and by CKA_ID", len(priv) == 1 and len(pub) == 1)
priv, pub = priv[0], pub[0]
ca = ro.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY), (PyKCS11.CKA_LABEL, "ca384")])[0]
certs = ro.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_CERTIFICATE)])
ok("find: both certificates (the CA's and the plain key's)", len(certs) == 2)
data = b"signed through PyKCS11" * 20
for mech, h, n in ((PyKCS11.CKM_ECDSA_SHA256, hashes.SHA256(), "ECDSA-SHA256"),
                   (PyKCS11.CKM_ECDSA_SHA384, hashes.SHA384(), "ECDSA-SHA384")):
    m = PyKCS11.Mechanism(mech, None)
    sig = bytes(ro.sign(priv, data, m))
    k = serialization.load_pem_public_key(open(pubpem, "rb").read())
    try:
        k.verify(encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")), data, ec.ECDSA(h))
        good = True
    except Exception:
        good = False
    ok("sign %s: cryptography verifies the signature" % n, len(sig) == 64 and good)
    ok("verify %s on the module: accepts it" % n, ro.verify(pub, data, sig, m))
    ok("verify %s on the module: rejects other data" % n, not ro.verify(pub, data + b"!", sig, m))
for mech, f in ((PyKCS11.CKM_SHA256, hashlib.sha256), (PyKCS11.CKM_SHA384, hashlib.sha384), (PyKCS11.CKM_SHA512, hashlib.sha512)):
    d = bytes(ro.digest(data, PyKCS11.Mechanism(mech, None)))
    ok("digest %s equals hashlib's" % f.__name__, d == f(data).digest())
    ds = ro.digestSession(PyKCS11.Mechanism(mech, None))
    ds.update(data[:100]); ds.update(data[100:])
    ok("multi-part digest %s equals hashlib's" % f.__name__, bytes(ds.final()) == f(data).digest())
rv("the CA key refuses a TBS with EKU serverAuth", lambda: ro.sign(ca, open(bad, "rb").read(),
   PyKCS11.Mechanism(PyKCS11.CKM_ECDSA_SHA384, None)), "CKR_FUNCTION_REJECTED")
why = bytes(ro.getAttributeValue(ca, [0xD3470003], allAsBinary=True)[0]).decode()
print("# last refusal:", why, file=sys.stderr)
ok("CKA_SBRGUARD_LAST_REFUSAL names the EKU reason", "sbr.7.1.2.3.eku.prohibited" in why)
rv("verify with a private key", lambda: ro.verify(priv, data, b"\0" * 64, PyKCS11.Mechanism(PyKCS11.CKM_ECDSA_SHA256, None)),
   "CKR_KEY_FUNCTION_NOT_PERMITTED")
rv("sign on a closed session", lambda: (rw.closeSession(), rw.sign(priv, data, PyKCS11.Mechanism(PyKCS11.CKM_ECDSA_SHA256, None))),
   "CKR_SESSION_HANDLE_INVALID")
ro.logout()
ok("logout: private keys hidden", ro.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY)]) == [])
ro.closeSession()
sys.exit(failed)
