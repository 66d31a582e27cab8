/**
 * JSON parsing of an already verified raw body. Runs after the signature check, never before.
 */
import type { RequestHandler } from 'express';
import { AppError } from '../core/errors.js';
import { unsupportedMediaType } from './http-errors.js';

// Keys that reach for the prototype chain when a parsed object is later merged or assigned.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const utf8 = new TextDecoder('utf-8', { fatal: true });

function invalidJson(message: string): AppError {
  return new AppError('INVALID_INPUT', `invalid JSON body: ${message}`, {
    publicMessage: 'The request body is not valid JSON.',
    details: { reason: 'invalid_json' },
  });
}

/** Parse UTF-8 JSON text, refusing prototype-reaching keys; throws AppError INVALID_INPUT (`invalid_json`). */
export function parseJsonText(bytes: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw invalidJson('not UTF-8');
  }
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw new AppError('INVALID_INPUT', `forbidden key ${key}`);
      return value;
    });
  } catch (error) {
    if (error instanceof AppError) {
      throw new AppError('INVALID_INPUT', error.message, {
        publicMessage: 'The request body contains a forbidden key.',
        details: { reason: 'forbidden_key' },
      });
    }
    throw invalidJson(error instanceof Error ? error.message : 'unparseable');
  }
}

/** Set `req.body` from `res.locals.rawBody`: JSON only; an empty body leaves it undefined. */
export function parseJsonBody(): RequestHandler {
  return (req, res, next) => {
    const raw = res.locals.rawBody ?? Buffer.alloc(0);
    if (raw.length === 0) {
      req.body = undefined;
      next();
      return;
    }
    if (!req.is('application/json')) {
      next(unsupportedMediaType('application/json'));
      return;
    }
    req.body = parseJsonText(raw);
    next();
  };
}
