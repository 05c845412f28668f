import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { darkTheme } from './yamlTheme';
import { useEffect, useRef } from 'react';
import type { YamlProblem } from './yamlIssues';
import './yaml.css';

export interface YamlEditorProps {
  value: string;
  /** Absent: read-only (the import preview's "Show file"). */
  onChange?(text: string): void;
  /** The problems of a text, underlined where they are (the same check the list below shows). */
  check?(text: string): YamlProblem[];
  label: string;
  testId?: string;
}

/**
 * CodeMirror 6 with YAML. The view owns the text while the user types (React re-rendering a
 * controlled editor would move the cursor); a new `value` from outside replaces it.
 */
export function YamlEditor({ value, onChange, check, label, testId }: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  const checkRef = useRef(check);
  checkRef.current = check;
  const readOnly = !onChange;

  useEffect(() => {
    const extensions = [
      basicSetup,
      yaml(),
      darkTheme,
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': label, ...(readOnly ? { 'aria-readonly': 'true' } : {}) }),
      EditorState.readOnly.of(readOnly),
      EditorView.editable.of(!readOnly),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) changeRef.current?.(u.state.doc.toString());
      }),
    ];
    if (!readOnly) {
      extensions.push(
        lintGutter(),
        linter(
          (v): Diagnostic[] =>
            (checkRef.current?.(v.state.doc.toString()) ?? []).map((p) => ({ from: p.from, to: Math.min(p.to, v.state.doc.length), severity: 'error', message: p.message })),
          { delay: 200 },
        ),
      );
    }
    const v = new EditorView({ parent: host.current!, state: EditorState.create({ doc: value, extensions }) });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The view is made once per mode; later values arrive through the effect below.
  }, [readOnly, label]);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  return <div className={`yaml-editor ${readOnly ? 'read-only' : ''}`} ref={host} data-testid={testId} />;
}
