import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// A11: verification cannot be switched off. No flag, env variable or code path named like a bypass
// may exist in the server sources (tests excluded).
const SERVER_DIR = join(__dirname, '..');
const BYPASS =
  /skip[_-]?(signature|verif)|bypass|no[_-]?verify|(disable|insecure)[_-]?(signature|verif|auth)|allow[_-]?unsigned|trust[_-]?all/i;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return entry.name === '__tests__' ? [] : sourceFiles(join(dir, entry.name));
    return entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [];
  });
}

describe('no signature bypass in the server', () => {
  it('has no bypass switch in any source file', () => {
    const files = sourceFiles(SERVER_DIR);
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.filter((file) => BYPASS.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
