import { useApp } from '../store/app';
import './firstSteps.css';
import { TemplateEditor } from '../views/TemplateEditor';
import { DockerRunDialog } from './DockerRunDialog';
import { ExamplesDialog } from './ExamplesDialog';
import { RunImageDialog } from './RunImageDialog';
import { useFirstSteps, type FirstDialog } from './firstSteps';

const STEPS: { dialog: FirstDialog; title: string; text: string }[] = [
  { dialog: 'runImage', title: 'Run an image now', text: 'Pick an image your engines have (or type one), give a command, run it: a job with its live log.' },
  { dialog: 'examples', title: 'Start from an example', text: 'Hello in colour, retries with backoff, a cron schedule, an Indexed parallel job, a Kubernetes Job.' },
  { dialog: 'dockerRun', title: 'Paste a docker run line', text: 'Turn a docker run or podman run command line into a template, with what Jobdeck cannot honour named.' },
  { dialog: 'newTemplate', title: 'Create a template', text: 'Image, command, environment, limits, retries, schedule: saved once, run as often as you like.' },
];

/** What an empty Jobdeck shows first (the Queue with no templates, the New run dialog without one). */
export function FirstSteps({ then }: { then?(): void }) {
  const show = useFirstSteps((s) => s.show);
  return (
    <section className="first-steps" aria-labelledby="first-steps-title" data-testid="first-steps">
      <h2 id="first-steps-title">Get started</h2>
      <div className="first-steps-grid">
        {STEPS.map((s) => (
          <button
            key={s.dialog}
            className="first-step"
            onClick={() => {
              then?.();
              show(s.dialog);
            }}
            data-testid={`first-${s.dialog}`}
          >
            <b>{s.title}</b>
            <span className="muted">{s.text}</span>
          </button>
        ))}
      </div>
      <p className="muted first-steps-drop">Or drop a template file (Jobdeck YAML or JSON, a Kubernetes Job or CronJob) anywhere on the window.</p>
    </section>
  );
}

/** The dialog FirstSteps opened, wherever the user is. */
export function FirstStepsDialogs() {
  const open = useFirstSteps((s) => s.open);
  const editing = useFirstSteps((s) => s.editing);
  const close = () => useFirstSteps.getState().show(undefined);
  if (open === 'runImage') return <RunImageDialog onClose={close} />;
  if (open === 'dockerRun') return <DockerRunDialog onClose={close} />;
  if (open === 'examples') return <ExamplesDialog onClose={close} />;
  if (open === 'newTemplate' || open === 'editTemplate')
    return (
      <TemplateEditor
        template={open === 'editTemplate' ? editing : undefined}
        onDone={() => {
          close();
          useApp.getState().go('templates');
        }}
      />
    );
  return null;
}
