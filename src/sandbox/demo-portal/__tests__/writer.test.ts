import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { generateDemoPortal, jsonChunks, writePortalFixture } from '../index.js';
import type { PortalFixture } from '../../fixture.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pillars-demo-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('jsonChunks', () => {
  it('produces the same value as JSON.stringify for awkward values', () => {
    const values: unknown[] = [
      {
        a: [],
        b: {},
        c: [1, [2, [3]], { d: undefined, e: null }],
        f: 'é"\\\n\u2028',
        g: undefined,
        h: () => 1,
      },
      [undefined, () => 1, new Date(0), { toJSON: () => 'x' }],
      { when: new Date(86_400_000), nested: { deeper: { list: [{ x: 1 }] } } },
      'text',
      42,
      null,
      [],
      {},
    ];
    for (const v of values) {
      expect(JSON.parse([...jsonChunks(v, 8)].join(''))).toEqual(JSON.parse(JSON.stringify(v) ?? 'null'));
    }
  });
});

describe('writePortalFixture', () => {
  it('round-trips a fixture: the file parses back to an equal object, byte-identical on rewrite', async () => {
    const fixture = generateDemoPortal({ seed: 5, size: 3_000, anchor: '2026-11-04' });
    const file = join(dir, 'small.json');
    await writePortalFixture(fixture, file);
    const text = await readFile(file, 'utf8');
    expect(isDeepStrictEqual(JSON.parse(text), JSON.parse(JSON.stringify(fixture)))).toBe(true);
    await writePortalFixture(
      generateDemoPortal({ seed: 5, size: 3_000, anchor: '2026-11-04' }),
      join(dir, 'again.json'),
    );
    expect((await readFile(join(dir, 'again.json'), 'utf8')) === text).toBe(true);
    // No partial file is left behind.
    expect((await readdir(dir)).sort()).toEqual(['again.json', 'small.json']);
  });

  it('streams a ~200k-engagement fixture in bounded chunks and reads it back equal', async () => {
    const fixture = generateDemoPortal({ seed: 1, size: 200_000, anchor: '2026-11-04' });
    // Never one giant string: every chunk stays near the 1 MiB batch size.
    let largest = 0;
    let total = 0;
    for (const chunk of jsonChunks(fixture)) {
      largest = Math.max(largest, chunk.length);
      total += chunk.length;
    }
    expect(total).toBeGreaterThan(50 * 2 ** 20);
    expect(largest).toBeLessThan(1.1 * 2 ** 20);

    const file = join(dir, 'large.json');
    await writePortalFixture(fixture, file);
    expect((await stat(file)).size).toBe(total); // ASCII-only content: bytes = characters
    const back = JSON.parse(await readFile(file, 'utf8')) as PortalFixture;
    expect(back.objects.calls.length).toBe(fixture.objects.calls.length);
    expect(isDeepStrictEqual(back, fixture)).toBe(true);
  }, 30_000);

  it('fails cleanly when the file cannot be written', async () => {
    const fixture = generateDemoPortal({ seed: 1, size: 100, anchor: '2026-11-04' });
    await expect(writePortalFixture(fixture, join(dir, 'missing', 'x.json'))).rejects.toThrow();
  });
});
