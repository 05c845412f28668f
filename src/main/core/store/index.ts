export { JobStore, lowdbWriter, type FileWriter, type StoreOptions, type StoreProblem } from './jobStore';
export { MIGRATIONS, NewerSchemaError, SCHEMA_VERSION } from './schema';
