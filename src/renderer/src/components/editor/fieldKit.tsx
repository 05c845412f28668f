import { useEffect, useRef, useState, type ReactNode } from 'react';
import { pathOf, type TemplateForm } from '../../views/templateForm';

type StringKey = { [K in keyof TemplateForm]: TemplateForm[K] extends string ? K : never }[keyof TemplateForm];
type BoolKey = { [K in keyof TemplateForm]: TemplateForm[K] extends boolean ? K : never }[keyof TemplateForm];

export interface FieldKitInput {
  uid: string;
  form: TemplateForm;
  issues: Record<string, string>;
  set<K extends keyof TemplateForm>(k: K, v: TemplateForm[K]): void;
}

/** The error of a field: outside its label, tied to the input, so the field keeps its name. */
function FieldError({ id, path, message }: { id: string; path: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <em className="field-error" id={`${id}-error`} data-testid={`error-${path}`}>
      {message}
    </em>
  );
}

/** One way every field of the editor is drawn: a label, the control, its hint and its error. */
export function fieldKit({ uid, form, issues, set }: FieldKitInput) {
  const described = (id: string, path: string, hint?: string) => {
    const ids = [issues[path] ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
    return { 'aria-invalid': !!issues[path], ...(ids ? { 'aria-describedby': ids } : {}) };
  };
  const wrap = (k: keyof TemplateForm, label: string, control: ReactNode, hint?: string, className = '') => {
    const id = `${uid}-${k}`;
    const path = pathOf(k);
    return (
      <div className={`field ${className} ${issues[path] ? 'invalid' : ''}`}>
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
        {control}
        {hint && (
          <span className="muted small" id={`${id}-hint`}>
            {hint}
          </span>
        )}
        <FieldError id={id} path={path} message={issues[path]} />
      </div>
    );
  };
  return {
    /** `first`: the field a person starts with gets the focus when the dialog opens. */
    text(k: StringKey, label: string, placeholder = '', hint?: string, first = false) {
      const id = `${uid}-${k}`;
      return wrap(k, label, <input id={id} name={k} value={form[k]} placeholder={placeholder} autoFocus={first} onChange={(e) => set(k, e.target.value)} {...described(id, pathOf(k), hint)} />, hint);
    },
    area(k: StringKey, label: string, placeholder = '', hint?: string, rows = 3) {
      const id = `${uid}-${k}`;
      return wrap(
        k,
        label,
        <textarea id={id} name={k} value={form[k]} placeholder={placeholder} rows={rows} spellCheck={false} onChange={(e) => set(k, e.target.value)} {...described(id, pathOf(k), hint)} />,
        hint,
        'grow',
      );
    },
    select(k: StringKey, label: string, options: readonly (string | { value: string; label: string })[], hint?: string) {
      const id = `${uid}-${k}`;
      const opts = options.map((o) => (typeof o === 'string' ? { value: o, label: o } : o));
      // A stored value the list does not offer (an engine removed since) stays choosable as it is.
      if (!opts.some((o) => o.value === form[k])) opts.push({ value: form[k], label: `${form[k]} (not available)` });
      return wrap(
        k,
        label,
        <select id={id} name={k} value={form[k]} onChange={(e) => set(k, e.target.value)} {...described(id, pathOf(k), hint)}>
          {opts.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>,
        hint,
      );
    },
    check(k: BoolKey, label: string) {
      return (
        <label className="check">
          <input type="checkbox" name={k} checked={form[k]} onChange={(e) => set(k, e.target.checked)} />
          {label}
        </label>
      );
    },
  };
}
export type FieldKit = ReturnType<typeof fieldKit>;

/**
 * A disclosure section: the common case stays short, the rest one click away. Open at first when
 * it holds values (`open`); opened when one of its fields has an error; otherwise the user's.
 */
export function Section({ title, summary, open = false, error = false, testId, children }: { title: string; summary?: string; open?: boolean; error?: boolean; testId: string; children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [initiallyOpen] = useState(open || error);
  useEffect(() => {
    if (error && ref.current) ref.current.open = true;
  }, [error]);
  return (
    <details className="editor-section" open={initiallyOpen} ref={ref} data-testid={testId}>
      <summary>
        {title}
        {summary && <span className="muted small">{summary}</span>}
      </summary>
      <div className="section-body">{children}</div>
    </details>
  );
}
