/**
 * Without jest's interceptors (in a child process): the gateway's agent keeps one connection alive
 * across requests, generated and raw alike, and closes it once idle for the timeout.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

it('reuses one keep-alive connection and closes it after the idle timeout', async () => {
  const probe = path.join(__dirname, 'fixtures', 'keep-alive-probe.ts');
  const out = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', probe], { timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
  expect(JSON.parse(out)).toEqual({
    afterRequests: { connections: 1, closed: 0 },
    afterIdle: { connections: 1, closed: 1 },
  });
}, 30_000);
