/**
 * What the benchmarks share: a free loopback port for a backend to boot on, HubSpot's v3 request
 * signature (written out here, as HubSpot documents it, so a benchmark never depends on the code it
 * measures), and percentiles.
 */
import crypto from 'node:crypto';
import { createServer } from 'node:net';

/** A free loopback port (the backend's PUBLIC_ORIGIN must name it before it listens). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** X-HubSpot-Signature-v3 headers for a request, signed now. */
export function signedHeaders(
  secret: string,
  method: string,
  url: string,
  body = '',
): Record<string, string> {
  const timestamp = String(Date.now());
  const signature = crypto
    .createHmac('sha256', secret)
    .update(`${method.toUpperCase()}${url}${body}${timestamp}`, 'utf8')
    .digest('base64');
  return { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': timestamp };
}

/** The p-quantile (0..1) of sorted values (nearest rank). */
export function pct(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}
