/**
 * A kysely plugin that makes a chosen statement fail, to prove that a failure in the middle of a
 * transaction leaves the database as it was. The statement throws when it is compiled, inside
 * the transaction, exactly as if the database had refused it.
 */
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/** The error the plugin throws; tests find it as the `cause` of the store's AppError. */
export class InjectedFault extends Error {
  constructor(what: string) {
    super(`injected fault: ${what}`);
    this.name = 'InjectedFault';
  }
}

const WRITE_KINDS = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode']);

/** A fault plugin with its controls. */
export interface FaultInjector {
  readonly plugin: KyselyPlugin;
  /** Fail the nth (1-based) insert/update/delete that touches table, counted from now; once. */
  failWrite(table: string, nth: number): void;
  /** How many faults have fired so far. */
  readonly fired: number;
}

export function createFaultInjector(): FaultInjector {
  let armed: { table: string; remaining: number } | undefined;
  let fired = 0;
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      if (armed !== undefined && WRITE_KINDS.has(args.node.kind) && tablesOf(args.node).has(armed.table)) {
        armed.remaining -= 1;
        if (armed.remaining === 0) {
          const what = `${args.node.kind} on ${armed.table}`;
          armed = undefined;
          fired += 1;
          throw new InjectedFault(what);
        }
      }
      return args.node;
    },
    transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      return Promise.resolve(args.result);
    },
  };
  return {
    plugin,
    failWrite(table, nth) {
      armed = { table, remaining: nth };
    },
    get fired() {
      return fired;
    },
  };
}

// Every table name in an operation tree (TableNode -> SchemableIdentifierNode -> IdentifierNode).
function tablesOf(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const child of node) tablesOf(child, found);
  } else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (record.kind === 'TableNode') {
      const table = record.table as { identifier?: { name?: unknown } } | undefined;
      if (typeof table?.identifier?.name === 'string') found.add(table.identifier.name);
    }
    for (const value of Object.values(record)) tablesOf(value, found);
  }
  return found;
}
