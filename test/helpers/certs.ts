/**
 * A throwaway PKI for the TLS tests, made at run time with the `openssl` CLI in a temp dir:
 * a test CA, server certificates signed by it (valid for localhost/127.0.0.1/::1, for a wrong
 * host, expired) and one from a second, untrusted CA. Nothing is checked in; a missing openssl
 * fails the test loudly.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate as NodeX509 } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  /** The certificate PEM (the leaf only). */
  readonly cert: string;
  /** Its private key, PKCS#8 PEM. */
  readonly key: string;
  /** Leaf followed by its issuing CA, as a server should present it. */
  readonly chain: string;
  readonly certPath: string;
  readonly keyPath: string;
}

export interface TestPki {
  readonly dir: string;
  /** The CA the tests trust. */
  readonly ca: TestCertificate;
  /** base64(SHA-256(SubjectPublicKeyInfo)) of the CA: Chromium's --ignore-certificate-errors-spki-list. */
  readonly caSpkiSha256: string;
  /** Signed by the CA, SANs DNS:localhost, IP:127.0.0.1, IP:::1. */
  readonly server: TestCertificate;
  /** Signed by the CA for DNS:wrong.example only. */
  readonly wrongHost: TestCertificate;
  /** Signed by the CA for localhost/127.0.0.1, valid only in January 2020. */
  readonly expired: TestCertificate;
  /** For localhost/127.0.0.1, signed by a second CA nobody trusts. */
  readonly unknownCa: TestCertificate;
  /** Removes the temp dir. */
  cleanup(): void;
}

const LOCAL_NAMES = 'DNS:localhost,IP:127.0.0.1,IP:::1';

/** Fails with a clear message when openssl is missing. */
function openssl(cwd: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error('the TLS tests need the `openssl` command line tool (Debian package openssl)');
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr?.toString() ?? e.message}`);
  }
}

/** openssl ca date format, UTC. */
function caDate(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

class PkiBuilder {
  constructor(readonly dir: string) {
    writeFileSync(join(dir, 'req.cnf'), [
      '[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = placeholder',
      '[v3_ca]', 'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash', '',
    ].join('\n'));
  }

  private file(name: string): string {
    return join(this.dir, name);
  }

  private newKey(name: string): void {
    openssl(this.dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);
  }

  /** A self-signed CA with its own `openssl ca` database. */
  makeCa(name: string, commonName: string): TestCertificate {
    this.newKey(name);
    openssl(this.dir, [
      'req', '-x509', '-new', '-config', 'req.cnf', '-extensions', 'v3_ca', '-key', `${name}.key`,
      '-subj', `/CN=${commonName}`, '-days', '2', '-sha256', '-out', `${name}.crt`,
    ]);
    writeFileSync(this.file(`${name}.index`), '');
    writeFileSync(this.file(`${name}.serial`), '1000\n');
    writeFileSync(this.file(`${name}.ca.cnf`), [
      '[ca]', `default_ca = this_ca`, '[this_ca]', `database = ${name}.index`, 'new_certs_dir = .',
      `serial = ${name}.serial`, 'default_md = sha256', 'policy = any', 'unique_subject = no',
      'copy_extensions = none', '[any]', 'commonName = supplied', '',
    ].join('\n'));
    return this.load(name, null);
  }

  /** A leaf for `altNames`, signed by `ca`, valid from `start` to `end`. */
  makeLeaf(name: string, ca: string, commonName: string, altNames: string, start: Date, end: Date): TestCertificate {
    this.newKey(name);
    openssl(this.dir, ['req', '-new', '-config', 'req.cnf', '-key', `${name}.key`, '-subj', `/CN=${commonName}`, '-out', `${name}.csr`]);
    writeFileSync(this.file(`${name}.ext`), [
      'basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature',
      'extendedKeyUsage = serverAuth', `subjectAltName = ${altNames}`,
      'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid', '',
    ].join('\n'));
    openssl(this.dir, [
      'ca', '-batch', '-notext', '-config', `${ca}.ca.cnf`, '-cert', `${ca}.crt`, '-keyfile', `${ca}.key`,
      '-in', `${name}.csr`, '-out', `${name}.crt`, '-extfile', `${name}.ext`,
      '-startdate', caDate(start), '-enddate', caDate(end),
    ]);
    return this.load(name, ca);
  }

  private load(name: string, ca: string | null): TestCertificate {
    const certPath = this.file(`${name}.crt`);
    const keyPath = this.file(`${name}.key`);
    const cert = readFileSync(certPath, 'utf8');
    const chain = ca === null ? cert : cert + readFileSync(this.file(`${ca}.crt`), 'utf8');
    return { cert, key: readFileSync(keyPath, 'utf8'), chain, certPath, keyPath };
  }
}

export function spkiSha256(certPem: string): string {
  const spki = new NodeX509(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** Builds the whole PKI (about a dozen openssl runs, well under a second). */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'gdws-pki-'));
  try {
    const pki = new PkiBuilder(dir);
    const now = Date.now();
    const from = new Date(now - 3600_000);
    const until = new Date(now + 86400_000);
    const ca = pki.makeCa('ca', 'gdws test CA');
    const otherCa = pki.makeCa('other-ca', 'gdws untrusted CA');
    return {
      dir,
      ca,
      caSpkiSha256: spkiSha256(ca.cert),
      server: pki.makeLeaf('server', 'ca', 'localhost', LOCAL_NAMES, from, until),
      wrongHost: pki.makeLeaf('wrong-host', 'ca', 'wrong.example', 'DNS:wrong.example', from, until),
      expired: pki.makeLeaf('expired', 'ca', 'localhost', LOCAL_NAMES, new Date('2020-01-01T00:00:00Z'), new Date('2020-02-01T00:00:00Z')),
      unknownCa: pki.makeLeaf('unknown-ca', 'other-ca', 'localhost', LOCAL_NAMES, from, until),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
