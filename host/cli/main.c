/* SPDX-License-Identifier: Apache-2.0 */
/* sbrguard: command-line front end of the token. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

typedef struct {
    const char *name;
    int (*fn)(cli_args *a);
    const char *help;
} verb;

static const verb verbs[] = {
    { "token", cmd_token,
      "usage: sbrguard token start [--board sim|mps2-an386] | stop | status | list | set-time\n"
      "  start   start the token in the background: the sim token (sbrguard-token), or\n"
      "          the firmware on mps2-an386 in QEMU (--board, $SBRGUARD_BOARD or the\n"
      "          config's `board = mps2-an386`); its socket, flash file, pid and log\n"
      "          live in $SBRGUARD_HOME (default ~/.sbrguard); the config's\n"
      "          `idle-timeout = SECONDS` (sim, default 300) closes idle connections\n"
      "  stop    stop it\n"
      "  status  show the token's state (and its board's: last reset, stack, arena);\n"
      "          exit 3 if it is not reachable\n"
      "  list    every token the config file names (`socket`, then `token` lines), in\n"
      "          PKCS#11 slot order, with label and serial (what --token takes);\n"
      "          exit 3 if one is not reachable\n"
      "  set-time [--time SECONDS|now] --so-pin SOPIN\n"
      "          set the token's clock (security officer; default: this host's clock)\n" },
    { "init", cmd_init,
      "usage: sbrguard init --label LABEL --so-pin SOPIN --pin PIN [--policy-key SO.pub.pem]\n"
      "  Initializes the token (wipes every object), sets the security officer PIN\n"
      "  and the user PIN. On an initialized token SOPIN must be the current one.\n"
      "  PINs may come from $SBRGUARD_SO_PIN and $SBRGUARD_PIN instead. --policy-key: the\n"
      "  security officer's policy-signing public key (ECDSA P-256/P-384, RSA >= 2048); CA\n"
      "  keys sign only under a bundle it signed (sbrguard policy).\n" },
    { "keygen", cmd_keygen,
      "usage: sbrguard keygen --type TYPE --label LABEL [--id HEX] [--ca] [--pubout FILE] [--pin PIN]\n"
      "  Generates a key pair on the token. TYPE: ec-p256 ec-p384 ec-p521 rsa-2048\n"
      "  rsa-3072 rsa-4096. --ca reserves it as a CA key (signs only what the policy\n"
      "  accepts). --pubout writes the public key as PEM. Prints the handle.\n" },
    { "list", cmd_list,
      "usage: sbrguard list [--pin PIN]\n"
      "  Lists the token's objects (private data objects only with a PIN).\n" },
    { "cert", cmd_cert,
      "usage: sbrguard cert import --key HANDLE --cert FILE [--label LABEL] [--pin PIN]\n"
      "       sbrguard cert assemble --tbs FILE --sig FILE --out FILE [--alg-from-tbs] [--format pem|der]\n"
      "  import: binds a CA certificate (PEM or DER) to the key HANDLE: the token checks\n"
      "  the certificate carries the key's public key, and the key becomes a CA key.\n"
      "  assemble: builds the Certificate from a TBSCertificate and the token's\n"
      "  signature over it; signatureAlgorithm is the TBS's own signature field\n"
      "  (RFC 5280 4.1.1.2). ECDSA signatures may be DER or r || s. Default: PEM.\n" },
    { "sign", cmd_sign,
      "usage: sbrguard sign --key HANDLE --mech MECH --in FILE --out FILE [--salt-len N]\n"
      "                     [--evidence FILE] [--pin PIN]\n"
      "  Signs FILE's bytes. MECH: ecdsa ecdsa-sha256 ecdsa-sha384 ecdsa-sha512\n"
      "  rsa-pkcs sha256-rsa-pkcs sha384-rsa-pkcs sha512-rsa-pkcs rsa-pkcs-pss\n"
      "  sha256-rsa-pkcs-pss sha384-rsa-pkcs-pss sha512-rsa-pkcs-pss (raw ecdsa,\n"
      "  rsa-pkcs and rsa-pkcs-pss take a digest or DigestInfo). ECDSA signatures\n"
      "  are written as DER (what openssl verifies), RSA as the raw signature.\n"
      "  A CA key signs with a hash-and-sign mechanism only a TBSCertificate its\n"
      "  policy accepts, and a raw digest only once after `sbrguard authorize`;\n"
      "  a refusal lists every reason code with its SBR section. --evidence FILE\n"
      "  sends the signed validation evidence for the TBS (docs/evidence.md).\n" },
    { "authorize", cmd_authorize,
      "usage: sbrguard authorize --key HANDLE --mech MECH --tbs FILE [--digest-out FILE]\n"
      "                          [--evidence FILE] [--sign DIGEST --out SIG | -- COMMAND ARGS...]\n"
      "                          [--pin PIN]\n"
      "  Submits a TBSCertificate (DER) for the CA key HANDLE. MECH is the hash-and-sign\n"
      "  mechanism its signature field announces (ecdsa-sha256 ... sha512-rsa-pkcs-pss).\n"
      "  On acceptance the token allows ONE raw signature of exactly its digest (rsa-pkcs:\n"
      "  its DigestInfo), printed in hex, on this connection, for a short window.\n"
      "  --sign DIGEST --out SIG makes that signature here (raw ecdsa, rsa-pkcs or\n"
      "  rsa-pkcs-pss). -- COMMAND runs COMMAND with SBRGUARD_P11_AUTHORIZE=FILE: its\n"
      "  PKCS#11 module submits the TBS again on its own connection right before its\n"
      "  raw signature (e.g. openssl pkeyutl -engine pkcs11), with the evidence too\n"
      "  (SBRGUARD_P11_EVIDENCE=FILE). A refusal lists every reason code with its\n"
      "  SBR section.\n" },
    { "lint", cmd_lint,
      "usage: sbrguard lint [--ca CACERT] [--at TIME] [--blocklist FILE] [--format text|json] FILE...\n"
      "                     [--evidence FILE --va-key PEM... [--caa-domain D...] [--mpic-from TIME]\n"
      "                      [--skew SECONDS]]\n"
      "  Judges certificates (PEM or DER; their TBS is checked) or bare DER\n"
      "  TBSCertificates against the S/MIME Baseline Requirements with the token's\n"
      "  own policy engine. Effective dates are judged at --at TIME (seconds since\n"
      "  1970 or YYYY-MM-DDTHH:MM:SSZ), by default at each input's notBefore.\n"
      "  --ca adds the CA binding checks (issuer, AKI, signature algorithm).\n"
      "  Exit 0: all accepted, 1: any refused, 2: unreadable input.\n"
      "  --evidence judges validation evidence for every FILE as the token does\n"
      "  (docs/evidence.md), trusting the VA keys --va-key (public or private, PEM or\n"
      "  DER), the CA's CAA issuer domain names --caa-domain, MPIC from --mpic-from\n"
      "  (default 2025-05-15); evidence times may run --skew seconds ahead of the\n"
      "  clock (the bundle's skew-seconds; default 0); --now is --at.\n"
      "  --blocklist FILE refuses a subject key on the SBR 6.1.1.3 compromised-key list (a\n"
      "  signed `sbrguard blocklist` file or a plain list of hex SHA-256 hashes of SPKIs).\n"
      "  sbrguard lint --rules lists every rule: code, SBR section, message.\n" },
    { "evidence", cmd_evidence,
      "usage: sbrguard evidence make --va-key PEM --in TBS-OR-CERT --out FILE [--at TIME] [options]\n"
      "       sbrguard evidence show [--json] FILE\n"
      "  Validation evidence (docs/evidence.md), the validation authority's side.\n"
      "  make: one record per Mailbox Address and identity attribute the TBS needs\n"
      "  evidence for (the token's own list), bound to its subscriber key, signed with\n"
      "  the VA key (EC P-256/P-384/P-521: ECDSA; RSA: PKCS#1 v1.5, --pss for PSS).\n"
      "  Times: seconds, YYYY-MM-DDTHH:MM:SSZ, or relative to --at (default now) as\n"
      "  [+-]N[smhd]..., e.g. -398d-1s. Options (for every mailbox record):\n"
      "    --method domain|email|mail-server|acme (SBR 3.2.2.1-3.2.2.4; default email)\n"
      "    --tls-method N (TLS BR 3.2.2.4.N; default 7, mail-server 18) --reqs TEXT\n"
      "    --validated-at T --rv-created T --rv-used T --entropy BITS --no-random-value\n"
      "    --caa-checked-at T --caa-ttl S --caa-issuer DOMAIN... --no-caa\n"
      "    --mpic-at T --perspectives N --corroborated N --rirs N --no-mpic\n"
      "    --identity-validated-at T (every identity record)\n"
      "    --bind-key SPKI-OR-KEY (bind to another subscriber key) --bind-tbs (add the TBS hash)\n"
      "    --drop MAILBOX|CN|O|OU|organizationIdentifier|GN|SN|pseudonym|title|serialNumber|\n"
      "           C|L|ST|street|postalCode|authority (leave that record out)\n"
      "    --format-version N\n"
      "  show: prints every field (--json: one JSON object); the signature is checked\n"
      "  by `sbrguard lint --evidence` and by the token. Exit 1: not evidence.\n" },
    { "audit", cmd_audit,
      "usage: sbrguard audit export DIR [--pin PIN] [--prev EARLIER-EXPORT]\n"
      "       sbrguard audit verify DIR --key LOGKEY [--since CHECKPOINT] [--certs CERTDIR] [--format text|json]\n"
      "       sbrguard audit verify DIR... --key LOGKEY... [--since CHECKPOINT]... [--certs CERTDIR]...\n"
      "                             [--max-gap DURATION]\n"
      "       sbrguard audit report DIR... [--key LOGKEY]... [--since CHECKPOINT]... [--period FROM..TO]\n"
      "                             [--certs FILE|DIR...] [--max-gap DURATION] [--format html|csv|json] [--out FILE]\n"
      "       sbrguard audit proof --inclusion CERT DIR [--key LOGKEY] [--out FILE.tlog-proof]\n"
      "       sbrguard audit proof --consistency OLD NEW DIR [--key LOGKEY]\n"
      "       sbrguard audit ack DIR --so-pin SOPIN\n"
      "  The enforcement log (docs/log.md) for auditors.\n"
      "  export: reads every entry and a fresh signed checkpoint from the token, checks that\n"
      "  the tree of the entries has the checkpoint's root, and writes DIR in the C2SP\n"
      "  tlog-tiles layout (checkpoint, tile/<L>/<N>, tile/entries/<N>, partial tiles as\n"
      "  .p/<W>) with the log key as DIR/log.pub (PEM) and DIR/log.vkey (signed-note vkey).\n"
      "  With a PIN the export is itself logged. Entries the token freed after an\n"
      "  acknowledged export come from that export (--prev).\n"
      "  verify: offline, no token. Checks the checkpoint (C2SP tlog-checkpoint, signed-note\n"
      "  type 0x02 signature by LOGKEY: PEM/DER public key or vkey), rebuilds the tree from\n"
      "  the entry bundles, checks every hash tile, every entry's format, with --since that\n"
      "  an earlier checkpoint is a prefix of this log, with --certs that every certificate\n"
      "  in CERTDIR is in an accepted issuance entry. Prints a summary and clock findings (set\n"
      "  or run backwards, silences over --max-gap, default 7d). Exit 0: verified,\n"
      "  1: an inconsistency (the first failing entry or file is named), 2: usage.\n"
      "  Several DIRs (one per token's log, up to 8): --key (and --since, --certs, if given)\n"
      "  once per DIR in the same order; a section per export, then one line; exit 1 if any fails.\n"
      "  report: runs every check of verify on each token's export (DIR/log.pub unless --key,\n"
      "  one per DIR) and refuses to draw over a log that does not verify; then writes one\n"
      "  self-contained HTML file (inline CSS and SVG, no script, nothing fetched), a section\n"
      "  per token: verification, issuances accepted and refused per CA key, profile and\n"
      "  reason with its SBR section, a timeline, policy bundle and blocklist history, key\n"
      "  and escrow events, clock and state changes, and the --certs' inclusion. --since: an\n"
      "  earlier checkpoint (of the export with the same origin); the report covers what came\n"
      "  after it. --period FROM..TO (token time, YYYY-MM-DD, ISO or seconds; either may be\n"
      "  empty). --format csv: one row per entry; json: the report's figures. Default: stdout.\n"
      "  proof --inclusion: the accepted entry of CERT, its leaf hash and RFC 9162 inclusion\n"
      "  proof, verified against DIR's checkpoint; --out writes a c2sp.org/tlog-proof@v1.\n"
      "  proof --consistency: the RFC 9162 consistency proof between two checkpoints,\n"
      "  computed from DIR's hash tiles and verified.\n"
      "  ack DIR --so-pin SOPIN: the security officer acknowledges DIR's checkpoint after\n"
      "  verifying the export; the token then frees the log entries it covers.\n" },
    { "policy", cmd_policy,
      "usage: sbrguard policy sign --key SO.pem --in policy.conf --out bundle.der\n"
      "       sbrguard policy load --in bundle.der --so-pin SOPIN\n"
      "       sbrguard policy show [--in bundle.der [--key SO.pub.pem]] [--json]\n"
      "  The CA's signed policy bundle (docs/bundle.md). sign: compiles the source (format in\n"
      "  docs/bundle.md) and signs it with the security officer's policy key. load: the token\n"
      "  verifies it with the key given to `init --policy-key`, refuses an older or equal version,\n"
      "  logs and commits it. show: a bundle file, or the token's current one, readable or JSON.\n" },
    { "blocklist", cmd_blocklist,
      "usage: sbrguard blocklist build --out FILE [--key SO.pem [--seq N]] FILE...\n"
      "       sbrguard blocklist load --in FILE --so-pin SOPIN\n"
      "       sbrguard blocklist show [--in FILE [--key SO.pub.pem]]\n"
      "  The SBR 6.1.1.3 compromised-key blocklist (docs/blocklist.md): SHA-256 hashes of\n"
      "  SubjectPublicKeyInfo DER; a TBS whose key is listed is refused\n"
      "  (sbr.6.1.1.3.key.compromised). build: from PEM/DER public keys, certificates (their\n"
      "  subject key), signed blocklists and plain lists (one 64-hex-digit hash a line);\n"
      "  with --key signed by the security officer's policy key (sequence --seq, default the\n"
      "  time now, must rise with every load), without it a plain list. load: the token\n"
      "  checks order, signature and sequence, logs and commits it (in pieces; nothing takes\n"
      "  effect before the whole list is verified). show: a file, or the token's list.\n"
      "  `sbrguard lint --blocklist FILE` takes the signed file or a plain list.\n" },
    { "escrow", cmd_escrow,
      "usage: sbrguard escrow generate --ca HANDLE --profile TYPE-GEN --type KEYTYPE --consent FILE\n"
      "                                [--usage encrypt|sign|both] [--label L] [--pubout FILE] [--pin PIN]\n"
      "       sbrguard escrow deliver --key HANDLE --transport PUB.pem --out FILE [--pin PIN]\n"
      "       sbrguard escrow recover --key HANDLE [--transport PUB.pem] --out FILE --so-pin SOPIN\n"
      "  Key escrow under the CA's bundle (SBR 4.12, 6.1.2, 6.3.2). generate: a subscriber key pair\n"
      "  made on the token and escrowed wrapped (never in clear) if the CA's bundle allows it; the\n"
      "  consent FILE is the subscriber's signed authorization (its SHA-256 is recorded).\n"
      "  deliver / recover write RSA-OAEP-SHA256(K) || AES-256-KWP_K(PKCS#8 key): the first\n"
      "  modulus-length bytes decrypt with the transport (or agent) private key, the rest with\n"
      "  `openssl enc -d -id-aes256-wrap-pad -K HEX(K) -iv A65959A6` (docs/bundle.md).\n" },
};

static void usage(FILE *f)
{
    fputs("usage: sbrguard VERB [options]   (sbrguard VERB --help for details)\n"
          "verbs: token start|stop|status, init, keygen, list, cert import|assemble, sign,\n"
          "       authorize, lint, evidence make|show, audit export|verify|proof,\n"
          "       policy sign|load|show, escrow generate|deliver|recover\n"
          "The token's socket: $SBRGUARD_SOCKET, else `socket = PATH` in $SBRGUARD_CONF,\n"
          "~/.config/sbrguard/sbrguard.conf or /etc/sbrguard/sbrguard.conf, else\n"
          "$SBRGUARD_HOME/token.sock (default ~/.sbrguard/token.sock).\n"
          "Several tokens: `token = PATH` lines in the config file (after `socket`); every\n"
          "verb takes --token LABEL|SERIAL to pick one (default: the first).\n",
          f);
}

/* Sub-verbs that live in a file of their own: main picks them, so that no
 * verb file calls another (README.md). */
static const struct {
    const char *verb, *sub;
    int (*fn)(cli_args *a);
} subverbs[] = {
    { "cert", "assemble", cmd_cert_assemble },
    { "evidence", "show", cmd_evidence_show },
};

static int run_verb(const char *name, int (*fn)(cli_args *a), cli_args *a)
{
    for (size_t i = 0; i < sizeof subverbs / sizeof *subverbs; i++)
        if (!strcmp(name, subverbs[i].verb) && a->argc >= 1 && !strcmp(a->argv[0], subverbs[i].sub))
            return subverbs[i].fn(a);
    return fn(a);
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++) {
        if (strcmp(argv[1], verbs[i].name))
            continue;
        cli_args a = { argc - 2, argv + 2 };
        if (cli_flag(&a, "--help") || cli_flag(&a, "-h")) {
            fputs(verbs[i].help, stdout);
            return 0;
        }
        /* start/stop go by $SBRGUARD_HOME (pid, flash), not by a running token's label. */
        if (!strcmp(verbs[i].name, "token") && a.argc && (!strcmp(a.argv[0], "start") || !strcmp(a.argv[0], "stop")) &&
            cli_flag(&a, "--token")) {
            cli_fail("token %s takes no --token: it acts on $SBRGUARD_HOME's token (set SBRGUARD_HOME and SBRGUARD_SOCKET)",
                     a.argv[0]);
            return 2;
        }
        if (cli_token_option(&a))
            return 1;
        return run_verb(verbs[i].name, verbs[i].fn, &a);
    }
    cli_fail("unknown verb '%s'", argv[1]);
    usage(stderr);
    return 2;
}
