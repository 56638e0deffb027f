# SPDX-License-Identifier: Apache-2.0
"""Object identifiers, the profile policy OIDs (SBR 7.1.6.1) and AlgorithmIdentifiers (SBR 7.1.3)."""
from .der import NULL, oid, seq

OID = {
    "cn": "2.5.4.3", "surname": "2.5.4.4", "serialNumber": "2.5.4.5", "c": "2.5.4.6", "l": "2.5.4.7",
    "st": "2.5.4.8", "street": "2.5.4.9", "o": "2.5.4.10", "ou": "2.5.4.11", "title": "2.5.4.12",
    "postalCode": "2.5.4.17", "givenName": "2.5.4.42", "pseudonym": "2.5.4.65",
    "organizationIdentifier": "2.5.4.97", "emailAddress": "1.2.840.113549.1.9.1",
    "businessCategory": "2.5.4.15", "uid": "0.9.2342.19200300.100.1.1",
    # extensions
    "ku": "2.5.29.15", "eku": "2.5.29.37", "bc": "2.5.29.19", "cp": "2.5.29.32", "crldp": "2.5.29.31",
    "aia": "1.3.6.1.5.5.7.1.1", "aki": "2.5.29.35", "ski": "2.5.29.14", "san": "2.5.29.17",
    "smimecap": "1.2.840.113549.1.9.15", "sda": "2.5.29.9", "qc": "1.3.6.1.5.5.7.1.3",
    "lei": "1.3.6.1.4.1.52266.1", "lei_role": "1.3.6.1.4.1.52266.2",
    "adobe_ts": "1.2.840.113583.1.1.9.1", "adobe_archive": "1.2.840.113583.1.1.9.2",
    "name_constraints": "2.5.29.30", "private_ext": "2.999.2.1",
    # key purposes
    "kp_email": "1.3.6.1.5.5.7.3.4", "kp_server": "1.3.6.1.5.5.7.3.1", "kp_client": "1.3.6.1.5.5.7.3.2",
    "kp_code": "1.3.6.1.5.5.7.3.3", "kp_time": "1.3.6.1.5.5.7.3.8", "kp_any": "2.5.29.37.0",
    "kp_docsign": "1.3.6.1.5.5.7.3.36",
    # qualifiers, access methods, other names
    "qt_cps": "1.3.6.1.5.5.7.2.1", "qt_unotice": "1.3.6.1.5.5.7.2.2",
    "ad_ocsp": "1.3.6.1.5.5.7.48.1", "ad_ca_issuers": "1.3.6.1.5.5.7.48.2",
    "on_smtputf8": "1.3.6.1.5.5.7.8.9",
    "ca_policy": "2.999.1.1", "any_policy": "2.5.29.32.0",
}
PROFILE_TYPES = ["mailbox", "organization", "sponsor", "individual"]
PROFILE_GENS = ["legacy", "multipurpose", "strict"]


def policy_oid(typ, gen):
    return "2.23.140.1.5.%d.%d" % (PROFILE_TYPES.index(typ) + 1, PROFILE_GENS.index(gen) + 1)


# AlgorithmIdentifiers (SBR 7.1.3).
ALG_RSA = seq(oid("1.2.840.113549.1.1.1"), NULL)
ALG_P256 = seq(oid("1.2.840.10045.2.1"), oid("1.2.840.10045.3.1.7"))
ALG_P384 = seq(oid("1.2.840.10045.2.1"), oid("1.3.132.0.34"))
ALG_P521 = seq(oid("1.2.840.10045.2.1"), oid("1.3.132.0.35"))
ALG_ED25519 = seq(oid("1.3.101.112"))
ALG_MLDSA44 = seq(oid("2.16.840.1.101.3.4.3.17"))
ALG_MLKEM768 = seq(oid("2.16.840.1.101.3.4.4.2"))
SIG_ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"))
SIG_ECDSA_SHA384 = seq(oid("1.2.840.10045.4.3.3"))
SIG_RSA_SHA256 = seq(oid("1.2.840.113549.1.1.11"), NULL)
