import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Settings } from '../../../shared/settings';
import { bySchema, checkHistory, parseStoreText, readHistoryLines, readStoreBytes, readStoreFile, settle, type HistoryRecords, type Loaded, type Read, type StoreProblem } from './files';
import { indexedRows, SEGMENT_NAME, segmentFile } from './history';
import { JOURNAL_NAME, journalFile, readJournal, type JournalRead } from './journal';
import { SCHEMA_VERSION, StateFile } from './schema';
import { readSummaryIndex } from './summaryIndex';

/** One history file as read at open; `dirty` if it must be written back (migrated or replaced). */
export interface HistoryLoad {
  n: number;
  data: HistoryRecords;
  dirty: boolean;
  /** Read through its summary index (summaryIndex.ts), which therefore describes it. */
  indexed: boolean;
}

/** Everything JobStore.open reads from the data directory, damaged files already set aside. */
export interface StoreDir {
  state: Loaded<StateFile>;
  history: HistoryLoad[];
  journals: [number, JournalRead][];
  /** The files set aside, to report once the store is up. */
  problems: StoreProblem[];
}

export function readStoreDir(dir: string): StoreDir {
  const stateFile = join(dir, 'state.json');
  const numbers = [0];
  const journalNumbers: number[] = [];
  for (const name of readdirSync(dir)) {
    const m = SEGMENT_NAME.exec(name);
    if (m) numbers.push(Number(m[1]));
    const k = JOURNAL_NAME.exec(name);
    if (k) journalNumbers.push(Number(k[1]));
  }
  numbers.sort((a, b) => a - b);
  journalNumbers.sort((a, b) => a - b);
  // Every file is read, and checked for a newer schema, before any is touched. A history file
  // gets its (pure) check as soon as it is read, so that what it need not keep goes at once.
  const stateRead = readStoreFile(stateFile);
  const indexed = new Set<number>();
  const reads = numbers.map((n): [string, Read, ReturnType<typeof checkHistory> | undefined] => {
    const file = segmentFile(dir, n);
    const bytes = readStoreBytes(file);
    if (bytes === undefined) return [file, { kind: 'missing' }, undefined];
    const current: Read = { kind: 'read', raw: {}, from: SCHEMA_VERSION, text: '' };
    // A file its index describes: its rows from the index, its records left undecoded until read.
    const index = readSummaryIndex(file, bytes);
    if (index) {
      indexed.add(n);
      return [file, current, { ok: true, data: { jobs: [], parsed: new Set(), rows: indexedRows(index, bytes) } }];
    }
    const text = bytes.toString('utf8');
    // This version's own files: line by line (files.ts); any other read whole.
    const lines = readHistoryLines(text);
    if (lines) return [file, current, { ok: true, data: lines }];
    const read = parseStoreText(file, text);
    if (read.kind !== 'read') return [file, read, undefined];
    const checked = checkHistory(read.raw, read);
    return [file, { ...read, raw: {}, text: '' }, checked];
  });
  const journals = journalNumbers.map((n): [number, JournalRead] => [n, readJournal(journalFile(dir, n))]);
  const problems: StoreProblem[] = [];
  const state = settle(stateFile, stateRead, bySchema(StateFile));
  if (state.kind === 'quarantined') problems.push(state.problem);
  const history: HistoryLoad[] = [];
  numbers.forEach((n, i) => {
    const [file, read, checked] = reads[i]!;
    reads[i] = [file, { kind: 'missing' }, undefined]; // let what was read go as soon as it can
    const h: Loaded<HistoryRecords> = settle(file, read, () => checked!);
    if (h.kind === 'quarantined') problems.push(h.problem);
    if (h.kind === 'ok') history.push({ n, data: h.data, dirty: h.migratedFrom !== undefined, indexed: indexed.has(n) });
    // A quarantined file is replaced at once so that it can never be read again by mistake.
    else if (h.kind === 'quarantined') history.push({ n, data: { jobs: [], parsed: new Set() }, dirty: true, indexed: false });
  });
  return { state, history, journals, problems };
}

/** The state of a fresh store. */
export function emptyState(): StateFile {
  return {
    schemaVersion: SCHEMA_VERSION,
    meta: { instanceId: randomUUID(), seq: 0, cronLastRun: {} },
    settings: Settings.parse({}),
    templates: [],
    jobs: [],
  };
}
