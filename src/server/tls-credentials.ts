import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { EmulatorConfig } from '../config.js';
import { TlsError } from '../errors.js';

/** What the HTTPS server is started with. */
export interface TlsCredentials {
  key: string;
  cert: string;
  /**
   * The certificate of the authority that signed a generated development
   * certificate, for a phone or client to trust; undefined for the user's own.
   */
  ca: string | undefined;
  /** The CA's file, when there is one. */
  caFile: string | undefined;
  /** The names the certificate is good for, for the start-up lines. */
  names: string[];
  /**
   * True when a kept authority could not be used (cut short, edited) and a
   * new one was made: phones that trusted the old one must trust this one.
   */
  replacedAuthority?: boolean;
}

/** Where the development certificate and its authority are kept. */
export const TLS_FOLDER = 'tls';

const DAY_MS = 24 * 60 * 60 * 1000;

// Apple platforms refuse server certificates valid for more than 825 days,
// so the leaf stays well inside that; it is made again when it runs out or
// no longer names every address, while the authority a phone was told to
// trust lives on.
const LEAF_DAYS = 365;
const CA_DAYS = 10 * 365;
const RENEW_BEFORE_DAYS = 30;

/**
 * The key and certificate TLS is served with: the user's files, or a
 * development certificate for this machine's names, signed by an authority
 * of the emulator's own that is kept in `dataDir/tls/` so that a phone that
 * trusted it once keeps trusting it. Undefined when TLS is off. Throws
 * `TlsError` when files cannot be read or written.
 */
export async function loadTlsCredentials(
  config: EmulatorConfig,
): Promise<TlsCredentials | undefined> {
  if (config.tlsCert !== undefined && config.tlsKey !== undefined) {
    const cert = readPem(config.tlsCert, 'tlsCert');
    const key = readPem(config.tlsKey, 'tlsKey');

    checkPair(config.tlsCert, cert, config.tlsKey, key);

    return { key, cert, ca: undefined, caFile: undefined, names: [] };
  }
  if (!config.tlsSelfSigned) return undefined;

  return developmentCredentials(
    join(config.dataDir, TLS_FOLDER),
    certificateNames(config.host),
  );
}

/**
 * localhost, the loopback addresses, this machine's LAN addresses and the
 * address listened on: what a phone or browser may be told to connect to.
 */
export function certificateNames(host: string): string[] {
  const names = new Set(['localhost', '127.0.0.1', '::1']);
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && !info.internal)
    .filter((info) => info!.family === 'IPv4')
    .map((info) => info!.address);

  for (const address of lan) names.add(address);
  names.add(hostname().toLowerCase());
  if (host !== '0.0.0.0' && host !== '::') names.add(host.toLowerCase());

  return [...names];
}

async function developmentCredentials(
  folder: string,
  names: string[],
): Promise<TlsCredentials> {
  const files = {
    caCert: join(folder, 'ca.pem'),
    caKey: join(folder, 'ca-key.pem'),
    cert: join(folder, 'cert.pem'),
    key: join(folder, 'key.pem'),
  };

  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new TlsError(
      folder,
      `cannot make the certificate folder: ${(err as Error).message}`,
      { cause: err },
    );
  }

  let ca = readCached(files.caCert, files.caKey);
  const replacedAuthority = !ca && existsSync(files.caCert);

  if (!ca || !stillValid(ca.cert, CA_DAYS / 2)) {
    ca = await generateAuthority();
    writeCached(files.caCert, files.caKey, ca);
  }

  let leaf = readCached(files.cert, files.key);

  if (!leaf || !fits(leaf.cert, ca.cert, names)) {
    leaf = await generateLeaf(ca, names);
    writeCached(files.cert, files.key, leaf);
  }

  return {
    key: leaf.key,
    cert: leaf.cert,
    ca: ca.cert,
    caFile: files.caCert,
    names,
    replacedAuthority,
  };
}

interface KeyPair {
  cert: string;
  key: string;
}

async function generateAuthority(): Promise<KeyPair> {
  const now = Date.now();
  const pems = await generate(
    [
      {
        name: 'commonName',
        value: `cabinet-emulator development CA (${hostname()})`,
      },
      { name: 'organizationName', value: 'cabinet-emulator' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: new Date(now - DAY_MS),
      notAfterDate: new Date(now + CA_DAYS * DAY_MS),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    },
  );

  return { cert: pems.cert, key: pems.private };
}

async function generateLeaf(ca: KeyPair, names: string[]): Promise<KeyPair> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + LEAF_DAYS * DAY_MS),
    ca: { key: ca.key, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((name) =>
          isIP(name) ? { type: 7, ip: name } : { type: 2, value: name },
        ),
      },
    ],
  });

  return { cert: pems.cert, key: pems.private };
}

// A cached leaf serves on while its authority signed it, it names every
// address wanted and it has a month left.
function fits(cert: string, caCert: string, names: string[]): boolean {
  try {
    const leaf = new X509Certificate(cert);
    const ca = new X509Certificate(caCert);

    return (
      leaf.checkIssued(ca) &&
      leaf.verify(ca.publicKey) &&
      stillValid(cert, RENEW_BEFORE_DAYS) &&
      names.every((name) =>
        isIP(name) ? leaf.checkIP(name) : leaf.checkHost(name),
      )
    );
  } catch {
    return false;
  }
}

function stillValid(cert: string, days: number): boolean {
  try {
    return (
      Date.parse(new X509Certificate(cert).validTo) > Date.now() + days * DAY_MS
    );
  } catch {
    return false;
  }
}

// A kept pair, or undefined when it is missing or no longer a certificate
// and its own key (a file cut short or edited): it is then made anew, as it
// could not be used anyway.
function readCached(certFile: string, keyFile: string): KeyPair | undefined {
  try {
    const pair = {
      cert: readFileSync(certFile, 'utf8'),
      key: readFileSync(keyFile, 'utf8'),
    };

    return new X509Certificate(pair.cert).checkPrivateKey(
      createPrivateKey(pair.key),
    )
      ? pair
      : undefined;
  } catch {
    return undefined;
  }
}

function writeCached(certFile: string, keyFile: string, pair: KeyPair): void {
  try {
    writeFileSync(keyFile, pair.key, { mode: 0o600 });
    writeFileSync(certFile, pair.cert);
  } catch (err) {
    throw new TlsError(
      certFile,
      `cannot keep the generated certificate: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

// OpenSSL's own words for a bad file come late and name no file.
function checkPair(
  certFile: string,
  cert: string,
  keyFile: string,
  key: string,
): void {
  let certificate: X509Certificate;

  try {
    certificate = new X509Certificate(cert);
  } catch (err) {
    throw new TlsError(certFile, 'tlsCert: not a PEM certificate', {
      cause: err,
    });
  }

  let privateKey: ReturnType<typeof createPrivateKey>;

  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw new TlsError(
      keyFile,
      'tlsKey: not a PEM private key (or it needs a passphrase)',
      { cause: err },
    );
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new TlsError(
      keyFile,
      `tlsKey: not the private key of the certificate in ${certFile}`,
    );
  }
}

function readPem(file: string, option: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new TlsError(
      file,
      `${option}: cannot read the file: ${(err as Error).message}`,
      { cause: err },
    );
  }
}
