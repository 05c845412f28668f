export { LogBatcher } from './batcher';
export { AttemptLogWriter, LogStore, type ResumePoint } from './logStore';
