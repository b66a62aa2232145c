import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { converse } from './conversation.js';
import { BIN, launch, type Launched } from './launch.js';

/** Whether the server behind `url` still takes connections, after up to 5 s of waiting for it to stop. */
async function stillListening(url: string): Promise<boolean> {
  const { port } = new URL(url);

  for (let waited = 0; waited < 5_000; waited += 100) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');

      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });

    if (!open) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return true;
}

/** Waits for the printed purchase URL. */
async function purchaseUrlOf(launched: Launched): Promise<string> {
  // Long enough for npm start to compile first on a busy machine; each
  // test's own timeout ends the wait sooner.
  for (const deadline = Date.now() + 55_000; Date.now() < deadline;) {
    const match = /^purchase URL: (ws:\/\/\S+)$/m.exec(launched.output());

    if (match) return match[1]!;
    if (launched.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no purchase URL printed; output was:\n${launched.output()}`);
}

describe('cabinet-emu serve', () => {
  it('prints where it listens with a purchase URL that works, and stops cleanly on SIGTERM', async () => {
    const serve = launch('node', [
      BIN,
      'serve',
      '--port',
      '0',
      '--scenario',
      'empty',
      '--speed',
      '20',
      '--no-journal',
    ]);
    const url = await purchaseUrlOf(serve);

    expect(serve.output()).toMatch(
      /^cabinet-emulator listening on http:\/\/127\.0\.0\.1:\d+ \(scenario empty, seed [0-9a-f]{12}, speed ×20\)$/m,
    );
    expect(url).toMatch(
      /^ws:\/\/127\.0\.0\.1:\d+\/websocket\/ssib\/purchase\?token=demo-token&deviceNo=demo-cabinet&appId=demo-app$/,
    );

    const { frames } = await converse(url);

    expect(frames).toEqual([
      '{"msg":"","success":true,"type":"door"}',
      '{"data":{"list":[]},"type":"final"}',
    ]);

    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(serve.output()).toContain('cabinet-emu: shutting down');
  });

  it('takes the port from PORT', async () => {
    const serve = launch(
      'node',
      [BIN, 'serve', '--log-level', 'silent', '--no-journal'],
      { PORT: '0' },
    );
    const url = await purchaseUrlOf(serve);

    expect(url).not.toContain(':8080/');
    serve.child.kill('SIGINT');
    expect(await serve.exited).toBe(0);
  });

  it('runs with npm start and options after --', async () => {
    const serve = launch('npm', [
      'start',
      '--',
      '--port',
      '0',
      '--scenario',
      'empty',
      '--no-journal',
    ]);
    const url = await purchaseUrlOf(serve);

    expect(serve.output()).toMatch(/\(scenario empty, seed \w+\)$/m);
    const { frames } = await converse(url);

    expect(frames[0]).toBe('{"msg":"","success":true,"type":"door"}');

    // SIGTERM to npm alone must reach the emulator, as when CI kills `$!`.
    serve.child.kill('SIGTERM');
    await serve.exited;
    await expect(stillListening(url)).resolves.toBe(false);
  }, 60_000); // npm start compiles first: on a busy machine, over 15 s.

  it.each([
    [
      ['--port', 'abc'],
      "option '--port <number>' argument 'abc' is invalid. expected an integer from 0 to 65535.",
    ],
    [
      ['--scenario', 'nope'],
      'cabinet-emu: unknown scenario "nope"; expected one of: buy-two-get-one-free, client-drops,',
    ],
    [
      ['--speed', '-2'],
      "option '--speed <factor>' argument '-2' is invalid. expected a number from 0.01 to 1000.",
    ],
    [
      ['--speed', '5000'],
      "option '--speed <factor>' argument '5000' is invalid. expected a number from 0.01 to 1000.",
    ],
    [
      ['--speed', '0x14'],
      "option '--speed <factor>' argument '0x14' is invalid. expected a number from 0.01 to 1000.",
    ],
    [
      ['--host', ''],
      "option '--host <address>' argument '' is invalid. expected a host name or address.",
    ],
    [
      ['--fixtures', ' '],
      "option '--fixtures <dir>' argument ' ' is invalid. expected a folder path.",
    ],
    [
      ['--rounding', 'down'],
      "option '--rounding <mode>' argument 'down' is invalid. Allowed choices are half-up, up.",
    ],
    [
      ['--tls-cert', 'cert.pem'],
      'cabinet-emu: invalid options:\n  --tls-cert, --tls-key: expected both (a certificate and its key) or neither, got only the certificate',
    ],
    [
      ['--admin-token', 'short'],
      'cabinet-emu: invalid options:\n  --admin-token: expected at least 12 characters of A-Z a-z 0-9 - . _ ~, got a token of 5 characters',
    ],
  ])(
    'refuses %j with a clear message and exit code 1',
    async (args, message) => {
      const serve = launch('node', [BIN, 'serve', ...args]);

      expect(await serve.exited).toBe(1);
      expect(serve.output()).toContain(message);
    },
  );

  it('takes a speed written with a bare decimal point', async () => {
    const serve = launch('node', [
      BIN,
      'serve',
      '--port',
      '0',
      '--speed',
      '.5',
      '--log-level',
      'silent',
      '--no-journal',
    ]);

    await purchaseUrlOf(serve);
    expect(serve.output()).toMatch(/, speed ×0\.5\)$/m);
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  });

  it('takes an empty ADMIN_TOKEN or PORT in the environment as not given', async () => {
    const serve = launch(
      'node',
      [BIN, 'serve', '--port', '0', '--log-level', 'silent', '--no-journal'],
      { ADMIN_TOKEN: '', PORT: '' },
    );

    await purchaseUrlOf(serve);
    expect(serve.output()).not.toContain('admin token');
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  });

  it('says so when the port is taken', async () => {
    const first = launch('node', [
      BIN,
      'serve',
      '--port',
      '0',
      '--log-level',
      'silent',
      '--no-journal',
    ]);
    const port = /:(\d+)\//.exec(await purchaseUrlOf(first))![1]!;
    const second = launch('node', [
      BIN,
      'serve',
      '--port',
      port,
      '--log-level',
      'silent',
      '--no-journal',
    ]);

    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(
      'cabinet-emu: the port is already in use',
    );
    expect(second.output()).toContain('choose another with --port');
  });

  it('names a broken fixtures folder and exits 1', async () => {
    const serve = launch('node', [
      BIN,
      'serve',
      '--port',
      '0',
      '--fixtures',
      'no-such-folder',
      '--no-journal',
    ]);

    expect(await serve.exited).toBe(1);
    expect(serve.output()).toMatch(
      /cabinet-emu: .*no-such-folder.*cannot read the cabinets folder/,
    );
  });
});

describe('cabinet-emu --version', () => {
  it('prints the package version', async () => {
    const version = launch('node', [BIN, '--version']);

    expect(await version.exited).toBe(0);
    expect(version.output().trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('cabinet-emu scenarios', () => {
  it('lists every built-in scenario with what it does', async () => {
    const list = launch('node', [BIN, 'scenarios']);

    expect(await list.exited).toBe(0);
    for (const name of [
      'happy-path',
      'seed-fruit',
      'seed-yoghurt',
      'empty',
      'risk-control',
      'operation-failed',
    ]) {
      expect(list.output()).toMatch(new RegExp(`^${name} +\\S`, 'm'));
    }
  });
});
