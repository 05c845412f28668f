import { useEffect, useState } from 'react';
import { requesterText } from '../../../shared/audit';
import { shortId, slug } from '../../../shared/containerName';
import type { Job } from '../../../shared/job';
import { eventText, inputLines, type JobEvent, type JobEventsFile } from '../../../shared/jobEvents';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';
import { downloadText } from './selection/download';
import './timeline.css';

const clock = (at: string) => new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** What a change of the job may have added to its timeline: read it again when this changes. */
const changeKey = (job: Job) =>
  [job.status, job.priority, job.suspended, job.pinned, job.notBefore, job.dependsOn.join(','), ...job.attempts.map((a) => `${a.number}:${a.status}`)].join('|');

/** The job's audit trail: every transition with its time, what it was and who asked; export and "Copy as issue". */
export function JobTimeline({ job }: { job: Job }) {
  const [events, setEvents] = useState<JobEvent[] | undefined>();
  // A pending job's wait follows the queue (paused, slots) and the engines: read again when they change.
  const queue = useApp((s) => (job.status === 'pending' ? `${s.queue.paused}:${s.queue.running}:${s.engines.map((e) => e.status).join()}` : ''));
  const key = `${changeKey(job)}#${queue}`;
  useEffect(() => {
    let live = true;
    void client.invoke('jobs.events', { id: job.id }).then((e) => live && setEvents(e), reportError);
    return () => {
      live = false;
    };
  }, [job.id, key]);

  const exportEvents = async () => {
    // Read again: the file holds the timeline as it is now, not as the page last drew it.
    const now = await client.invoke('jobs.events', { id: job.id });
    const file: JobEventsFile = { jobId: job.id, templateName: job.templateName, events: now };
    downloadText(`jobdeck-${slug(job.templateName)}-${shortId(job.id)}-events.json`, `${JSON.stringify(file, null, 2)}\n`, 'application/json');
  };
  const copyIssue = async () => {
    const { markdown } = await client.invoke('jobs.report', { id: job.id });
    await navigator.clipboard.writeText(markdown);
    useApp.getState().toast('success', 'Copied the job as Markdown for an issue');
  };

  return (
    <div className="panel" data-testid="job-timeline">
      <div className="panel-head">
        <h3>Timeline</h3>
        <div className="spacer" />
        <button className="small" onClick={() => void exportEvents().catch(reportError)} title="Download the events as a JSON file" data-testid="timeline-export">
          Export
        </button>
        <button className="small" onClick={() => void copyIssue().catch(reportError)} title="Copy a Markdown report of this job, ready to paste into a ticket" data-testid="copy-issue">
          Copy as issue
        </button>
      </div>
      {events === undefined && <p className="muted small">Loading…</p>}
      {events?.length === 0 && <p className="muted small">No events recorded (a job from before the audit trail).</p>}
      <ol className="plain timeline">
        {events?.map((e, i) => (
          <li key={i} data-testid="timeline-event" data-kind={e.kind}>
            <time className="mono muted" dateTime={e.at} title={e.at}>
              {clock(e.at)}
            </time>
            <span className="timeline-what">
              {eventText(e)}
              {e.kind === 'created' && inputLines(e.inputs).length > 0 && (
                <ul className="timeline-inputs" aria-label="Inputs given apart from the template">
                  {inputLines(e.inputs).map((line) => (
                    <li key={line} className="mono small">
                      {line}
                    </li>
                  ))}
                </ul>
              )}
            </span>
            {/* Only what someone asked for names them; the rest is the scheduler's own doing. */}
            {'by' in e && e.by && <span className="muted small timeline-by">by {requesterText(e.by)}</span>}
          </li>
        ))}
      </ol>
    </div>
  );
}
