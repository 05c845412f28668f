export { JobStore, type StoreOptions } from './jobStore';
export { JobRepository, type JobRepositoryPorts, type SaveOptions } from './repository';
export type { StoreProblem } from './files';
export { lowdbWriter, type FileWriter } from './writes';
export { MIGRATIONS, NewerSchemaError, SCHEMA_VERSION } from './schema';
