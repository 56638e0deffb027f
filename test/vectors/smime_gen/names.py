# SPDX-License-Identifier: Apache-2.0
"""Distinguished names: attribute values by string type."""
from .der import oid, seq, set_of, tlv
from .oids import OID

STRING = {"utf8": 0x0C, "printable": 0x13, "ia5": 0x16, "bmp": 0x1E, "teletex": 0x14}
DEFAULT_STRING = {"c": "printable", "emailAddress": "ia5", "serialNumber": "printable",
                  "organizationIdentifier": "printable"}


def attr_value(name, value, kind=None):
    kind = kind or DEFAULT_STRING.get(name, "utf8")
    if isinstance(value, bytes):
        return tlv(STRING[kind], value)
    if kind == "bmp":
        return tlv(STRING[kind], value.encode("utf-16-be"))
    return tlv(STRING[kind], value.encode("utf-8"))


def name(*rdns):
    """Name from RDNs; each RDN is a (attr, value[, string kind]) tuple or a list of them."""
    out = []
    for rdn in rdns:
        atvs = rdn if isinstance(rdn, list) else [rdn]
        out.append(set_of(*[seq(oid(OID.get(a[0], a[0])), attr_value(*a)) for a in atvs]))
    return seq(*out)
