/**
 * A secret value from the environment. It prints as `[secret]` everywhere (string conversion, JSON,
 * `util.inspect`), so a config object that ends up in a log line leaks nothing; code that needs the
 * value calls `reveal()` on purpose.
 */
import { inspect } from 'node:util';

const MASK = '[secret]';

/** A string that refuses to be printed; `reveal()` is the only way to read it. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself, for the one call that needs it (HMAC key, Authorization header, driver URL). */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [inspect.custom](): string {
    return MASK;
  }
}
