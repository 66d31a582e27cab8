/** The structured logger the gateway writes to (pino and FunctionLogger satisfy it). Never given tokens. */
export interface GatewayLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** A logger that drops everything: the default when none is injected. */
export const silentLogger: GatewayLogger = {
  debug: () => undefined,
  warn: () => undefined,
};
