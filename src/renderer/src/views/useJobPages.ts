import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobFilterInput, JobSummary } from '../../../shared/query';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';

export const PAGE_SIZE = 100;

/**
 * jobs.list paged on demand: only the pages the virtual list shows are fetched and kept, so
 * 100,000 jobs never come across at once. Any job change refetches the pages in view.
 */
export function useJobPages(filter: JobFilterInput) {
  const [total, setTotal] = useState(0);
  const [pages, setPages] = useState<Map<number, JobSummary[]>>(new Map());
  const loading = useRef(new Set<number>());
  const generation = useRef(0);
  const visible = useRef<[number, number]>([0, 0]);
  const version = useApp((s) => s.historyVersion);
  const key = JSON.stringify(filter);

  const fetchPage = useCallback(
    async (page: number, gen: number) => {
      if (loading.current.has(page)) return;
      loading.current.add(page);
      try {
        const res = await client.invoke('jobs.list', { ...filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
        if (gen !== generation.current) return;
        setTotal(res.total);
        setPages((old) => new Map(old).set(page, res.items));
      } catch (error) {
        reportError(error);
      } finally {
        loading.current.delete(page);
      }
    },
    [key], // the filter by value: a new object with the same fields is the same query
  );

  // New filter: start over from the first page.
  useEffect(() => {
    const gen = ++generation.current;
    loading.current.clear();
    setPages(new Map());
    void fetchPage(0, gen);
  }, [fetchPage]);

  // Jobs changed: refresh what is on screen, at most a few times a second.
  useEffect(() => {
    if (version === 0) return;
    const t = setTimeout(() => {
      const gen = ++generation.current;
      loading.current.clear();
      const [first, last] = visible.current;
      for (let p = first; p <= last; p++) void fetchPage(p, gen);
    }, 300);
    return () => clearTimeout(t);
  }, [version, fetchPage]);

  /** Called with the rows in view: fetches the pages they fall in and forgets far-away ones. */
  const need = useCallback(
    (firstRow: number, lastRow: number) => {
      const first = Math.floor(firstRow / PAGE_SIZE);
      const last = Math.floor(lastRow / PAGE_SIZE);
      visible.current = [first, last];
      for (let p = first; p <= last; p++) if (!pages.has(p)) void fetchPage(p, generation.current);
      if (pages.size > 20) {
        setPages((old) => new Map([...old].filter(([p]) => Math.abs(p - first) <= 5)));
      }
    },
    [pages, fetchPage],
  );

  const row = (i: number): JobSummary | undefined => pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE];
  return { total, row, need };
}
