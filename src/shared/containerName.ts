/**
 * Names that say which job a thing belongs to, for `docker ps` and for downloaded files:
 * `jobdeck-<template slug>-<short id>-<attempt>`. Docker allows [a-zA-Z0-9][a-zA-Z0-9_.-]+ in a
 * container name; the slug keeps letters and digits (accents folded), lower-cased, runs of anything
 * else as one '-', at most 40 characters. Reconcile finds containers by labels, never by this name.
 */
export function slug(name: string, max = 40): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, max)
    .replace(/^-+|-+$/g, '');
  return s || 'job';
}

/** The first 8 characters of a job id, as `docker ps` shortens ids. */
export const shortId = (jobId: string): string => jobId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8).toLowerCase() || 'job';

export const containerName = (templateName: string, jobId: string, attempt: number): string =>
  `jobdeck-${slug(templateName)}-${shortId(jobId)}-${attempt}`;
