export { JobStore, type StoreOptions, type StoreProblem } from './jobStore';
export { SCHEMA_VERSION, NewerSchemaError } from './schema';
