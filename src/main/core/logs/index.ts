export { LogBatcher } from './batcher';
export { AttemptLogWriter, LogStore } from './logStore';
