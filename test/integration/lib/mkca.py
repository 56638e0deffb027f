# SPDX-License-Identifier: Apache-2.0
"""Test CA material without a signing client: a CA certificate that carries
the token key's public key (the token checks only that, BIND_CA), and
TBSCertificates it would issue (mailbox strict, SBR 7.1.2.3).
  mkca.py ca PUBKEY.pem OUT.pem        CA certificate (throwaway signature)
  mkca.py tbs CA.pem OUT.der [bad|rsa|-] [EE.pub.pem]
                                       conforming TBS; bad: EKU serverAuth added;
                                       rsa: a fresh RSA-2048 subscriber key; the
                                       subscriber key from EE.pub.pem (else a fresh P-256 one)"""
import datetime, os, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
throwaway = ec.generate_private_key(ec.SECP256R1())
if sys.argv[1] == "ca":
    pub = serialization.load_pem_public_key(open(sys.argv[2], "rb").read())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "sbrguard tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "sbrguard QEMU Issuing CA")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(pub)
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
            .sign(throwaway, hashes.SHA256()))
    open(sys.argv[3], "wb").write(cert.public_bytes(serialization.Encoding.PEM))
else:
    ca = x509.load_pem_x509_certificate(open(sys.argv[2], "rb").read())
    ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    kind = sys.argv[4] if len(sys.argv) > 4 else ""
    if len(sys.argv) > 5:
        ee = serialization.load_pem_public_key(open(sys.argv[5], "rb").read())
    else:
        ee = (rsa.generate_private_key(65537, 2048) if kind == "rsa" else ec.generate_private_key(ec.SECP256R1())).public_key()
    eku = [ExtendedKeyUsageOID.EMAIL_PROTECTION]
    if kind == "bad":
        eku.append(ExtendedKeyUsageOID.SERVER_AUTH)
    b = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "alice@example.com")]))
         .issuer_name(ca.subject).public_key(ee).serial_number(int.from_bytes(os.urandom(16), "big") >> 1)
         .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=365))
         .add_extension(x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier("2.23.140.1.5.1.3"), None)]), critical=False)
         .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
             [x509.UniformResourceIdentifier("http://crl.example.com/ca.crl")], None, None, None)]), critical=False)
         .add_extension(x509.AuthorityInformationAccess([
             x509.AccessDescription(x509.AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier("http://ca.example.com/ca.crt")),
             x509.AccessDescription(x509.AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier("http://ocsp.example.com"))]), critical=False)
         .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
         .add_extension(x509.ExtendedKeyUsage(eku), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(ee), critical=False)
         .add_extension(x509.SubjectAlternativeName([x509.RFC822Name("alice@example.com")]), critical=False))
    # MKCA_HASH=sha384: the TBS announces ecdsa-with-SHA384 (a P-384 CA key).
    h = hashes.SHA384() if os.environ.get("MKCA_HASH") == "sha384" else hashes.SHA256()
    open(sys.argv[3], "wb").write(b.sign(throwaway, h).tbs_certificate_bytes)
