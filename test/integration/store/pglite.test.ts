// The store contract on PGlite: real PostgreSQL SQL, in process, in every `npm test`.
import { describeStoreContract } from '../../support/store-contract.js';
import { openPgliteStore } from '../../support/pglite-store.js';

describeStoreContract('PGlite (in-process PostgreSQL)', (options) =>
  openPgliteStore({ plugins: options?.plugins }),
);
