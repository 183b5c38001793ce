// undici's Pool and connector alone, without the fetch, cache and proxy code its index pulls in (see scripts/build.mjs).
declare module 'undici/lib/dispatcher/pool.js' {
  import { Pool } from 'undici';
  export = Pool;
}
declare module 'undici/lib/core/connect.js' {
  import { buildConnector } from 'undici';
  export = buildConnector;
}
