import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTcp } from 'node:net';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchFolder } from '../support/scratch-folder.js';
import WebSocket from 'ws';
import type { RunningEmulator } from '../../src/index.js';
import { startQuietEmulator } from './conversation.js';
import { capturingLogger } from './log-capture.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MANUAL_PAYMENT = join(ROOT, 'scenarios', 'manual-payment.yaml');
const DOOR = '{"msg":"","success":true,"type":"door"}';

/** Frames until the server closes, over wss:// trusting only `ca`. */
function converseSecurely(url: string, ca: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { ca });
    const frames: string[] = [];

    socket.on('message', (data) => frames.push(String(data)));
    socket.on('close', () => resolve(frames));
    socket.on('error', reject);
  });
}

function httpsGet(url: string, ca: string) {
  return new Promise<{ status: number; type: string }>((resolve, reject) => {
    get(url, { ca }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve({
          status: response.statusCode!,
          type: String(response.headers['content-type']),
        }),
      );
    }).on('error', reject);
  });
}

describe('TLS with a generated development certificate', () => {
  let dataDir: string;
  let emulator: RunningEmulator;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'emu-tls-'));
    emulator = await startQuietEmulator({
      scenario: MANUAL_PAYMENT,
      tlsSelfSigned: true,
      dataDir,
    });
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves https:// and wss:// addresses', () => {
    expect(emulator.url).toBe(`https://127.0.0.1:${emulator.port}`);
    expect(emulator.purchaseUrl()).toBe(
      `wss://127.0.0.1:${emulator.port}/websocket/ssib/purchase?token=demo-token&deviceNo=demo-cabinet&appId=demo-app`,
    );
    expect(emulator.tlsCaFile).toBe(join(dataDir, 'tls', 'ca.pem'));
    expect(emulator.tlsCa).toBe(readFileSync(emulator.tlsCaFile!, 'utf8'));
  });

  it('plays a purchase over wss:// trusted through its authority, with https:// pictures and payment page', async () => {
    const frames = await converseSecurely(
      emulator.purchaseUrl(),
      emulator.tlsCa!,
    );
    const origin = `https://127.0.0.1:${emulator.port}`;

    expect(frames[0]).toBe(DOOR);
    expect(frames.at(-1)).toContain(`"thumbImage":"${origin}/upload/image/`);
    expect(frames.at(-1)).toMatch(
      new RegExp(`"orderInfo":"${origin}/pay/\\d{20}"`),
    );

    const picture = /"thumbImage":"([^"]+)"/.exec(frames.at(-1)!)![1]!;

    expect(await httpsGet(picture, emulator.tlsCa!)).toEqual({
      status: 200,
      type: 'image/jpeg',
    });
  });

  it('lets a client that checks nothing in too', async () => {
    const first = await new Promise<string>((resolve, reject) => {
      const socket = new WebSocket(emulator.purchaseUrl({ deviceNo: 'D2' }), {
        rejectUnauthorized: false,
      });

      socket.once('message', (data) => {
        resolve(String(data));
        socket.terminate();
      });
      socket.on('error', reject);
    });

    expect(first).toBe(DOOR);
  });

  it('names localhost and the loopback addresses in the certificate, signed by its authority', () => {
    const leaf = new X509Certificate(
      readFileSync(join(dataDir, 'tls', 'cert.pem')),
    );
    const ca = new X509Certificate(emulator.tlsCa!);

    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkIP('::1')).toBe('::1');
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(ca.ca).toBe(true);
  });

  it('refuses a client that speaks only TLS 1.1', async () => {
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const socket = connect({
        host: '127.0.0.1',
        port: emulator.port,
        minVersion: 'TLSv1.1',
        maxVersion: 'TLSv1.1',
        // OpenSSL 3 would not even offer TLS 1.1 at its default level; this
        // client must, so that the refusal is the server's.
        ciphers: 'DEFAULT@SECLEVEL=0',
        rejectUnauthorized: false,
      });

      socket.once('secureConnect', () =>
        resolve(new Error('handshake succeeded') as NodeJS.ErrnoException),
      );
      socket.once('error', resolve);
    });

    expect(error.code).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  });

  it('keeps its certificate and authority across restarts', async () => {
    const files = ['ca.pem', 'ca-key.pem', 'cert.pem', 'key.pem'].map((name) =>
      join(dataDir, 'tls', name),
    );
    const before = files.map((file) => readFileSync(file, 'utf8'));
    const again = await startQuietEmulator({ tlsSelfSigned: true, dataDir });

    try {
      expect(files.map((file) => readFileSync(file, 'utf8'))).toEqual(before);
      expect(again.tlsCa).toBe(emulator.tlsCa);
    } finally {
      await again.close();
    }
  });

  it('makes a damaged authority anew instead of failing, and warns that phones must trust it again', async () => {
    const other = scratchFolder('emu-tls-damaged-');
    const first = await startQuietEmulator({
      tlsSelfSigned: true,
      dataDir: other,
    });

    await first.close();
    writeFileSync(join(other, 'tls', 'ca-key.pem'), 'not a key\n');
    rmSync(join(other, 'tls', 'cert.pem'));

    const { logger, lines } = capturingLogger('warn');
    const again = await startQuietEmulator({
      tlsSelfSigned: true,
      dataDir: other,
      logger,
    });

    try {
      expect(again.tlsCa).not.toBe(first.tlsCa);
      expect(lines.map(({ msg }) => msg)).toContain(
        'the kept development authority could not be read and was made anew; phones that trusted the old one must trust this one',
      );
      expect(
        await converseSecurely(
          again.purchaseUrl({ deviceNo: 'renewed' }),
          again.tlsCa!,
        ),
      ).toContain(DOOR);
    } finally {
      await again.close();
    }
  });

  it("serves the user's own certificate and key", async () => {
    const own = await startQuietEmulator({
      scenario: 'empty',
      tlsCert: join(dataDir, 'tls', 'cert.pem'),
      tlsKey: join(dataDir, 'tls', 'key.pem'),
    });

    try {
      expect(own.url).toMatch(/^https:/);
      expect(own.tlsCa).toBeUndefined();
      expect(
        await converseSecurely(own.purchaseUrl(), emulator.tlsCa!),
      ).toEqual([DOOR, '{"data":{"list":[]},"type":"final"}']);
    } finally {
      await own.close();
    }
  });

  it('shuts down at once with a client connected that never began its TLS handshake', async () => {
    const own = await startQuietEmulator({ tlsSelfSigned: true, dataDir });
    const silent = connectTcp(own.port, '127.0.0.1');
    const cut = new Promise((resolve) => silent.once('close', resolve));

    await new Promise((resolve) => silent.once('connect', resolve));
    // Without cutting it, close() waits out TLS's two-minute handshake
    // timeout, far past this test's own.
    await own.close();
    await cut;
    expect(silent.destroyed).toBe(true);
  });

  it('refuses a key that is not the certificate’s', async () => {
    const other = mkdtempSync(join(tmpdir(), 'emu-tls-other-'));
    const second = await startQuietEmulator({
      tlsSelfSigned: true,
      dataDir: other,
    });

    await second.close();

    const cert = join(dataDir, 'tls', 'cert.pem');
    const key = join(other, 'tls', 'key.pem');

    await expect(
      startQuietEmulator({ tlsCert: cert, tlsKey: key }),
    ).rejects.toMatchObject({
      code: 'EMU_ERR_TLS',
      message: `${key}: tlsKey: not the private key of the certificate in ${cert}`,
    });
    rmSync(other, { recursive: true, force: true });
  });
});

describe('TLS options', () => {
  it('need a certificate and its key together', async () => {
    await expect(
      startQuietEmulator({ tlsCert: 'cert.pem' }),
    ).rejects.toMatchObject({
      code: 'EMU_ERR_CONFIG_INVALID',
      message:
        'invalid options:\n  tlsCert, tlsKey: expected both (a certificate and its key) or neither, got only the certificate',
    });
  });

  it('do not take a generated certificate and files at once', async () => {
    await expect(
      startQuietEmulator({
        tlsSelfSigned: true,
        tlsCert: 'cert.pem',
        tlsKey: 'key.pem',
      }),
    ).rejects.toMatchObject({
      message:
        'invalid options:\n  tlsSelfSigned, tlsCert, tlsKey: expected either a generated certificate or a certificate and key of your own, got both',
    });
  });
});
