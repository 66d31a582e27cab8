/**
 * Streaming JSON for fixtures far larger than V8's maximum string length (about 512 MiB): the
 * containers are walked and every array element is serialised on its own, then batched into
 * chunks of about 1 MiB, so no string ever holds more than a chunk.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PortalFixture } from '../fixture.js';

const CHUNK_CHARS = 1 << 20;

function isPlainContainer(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

function* walk(value: unknown, depth: number): Generator<string> {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    // Elements are the unit of serialisation: small records, however many of them.
    for (let i = 0; i < value.length; i++)
      yield (i === 0 ? '[\n' : ',\n') + (JSON.stringify(value[i]) ?? 'null');
    yield '\n]';
    return;
  }
  if (!isPlainContainer(value)) {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const v = value[key];
    // Same omissions as JSON.stringify.
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    yield (first ? '{' : ',') + (depth < 2 ? '\n' : '') + JSON.stringify(key) + ':';
    first = false;
    yield* walk(v, depth + 1);
  }
  yield first ? '{}' : depth < 2 ? '\n}' : '}';
}

/** The JSON text of `value` as a sequence of strings of about `chunkChars` characters each. */
export function* jsonChunks(value: unknown, chunkChars = CHUNK_CHARS): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const piece of walk(value, 0)) {
    parts.push(piece);
    length += piece.length;
    if (length >= chunkChars) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/** Write a fixture as JSON without building it as one string; the file appears only once complete. */
export async function writePortalFixture(fixture: PortalFixture, file: string): Promise<void> {
  const partial = `${file}.partial-${process.pid}`;
  try {
    await pipeline(Readable.from(jsonChunks(fixture)), createWriteStream(partial));
    await rename(partial, file);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
}
