export { JobStore, type StoreOptions } from './jobStore';
export type { StoreProblem } from './files';
export { lowdbWriter, type FileWriter } from './writes';
export { MIGRATIONS, NewerSchemaError, SCHEMA_VERSION } from './schema';
