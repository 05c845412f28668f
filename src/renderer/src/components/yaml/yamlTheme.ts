// The app's dark colours for CodeMirror, with token colours that keep WCAG AA contrast on its
// background (CodeMirror's default highlight style is made for a light page).
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

const theme = EditorView.theme(
  {
    '&': { backgroundColor: '#0b0f14', color: '#d8dee9', fontSize: '12px', border: '1px solid #2a3340', borderRadius: '6px' },
    '&.cm-focused': { outline: '2px solid #4f8cff' },
    '.cm-content': { fontFamily: "ui-monospace, 'SF Mono', 'JetBrains Mono', Menlo, Consolas, monospace", caretColor: '#d8dee9' },
    '.cm-gutters': { backgroundColor: '#131922', color: '#8b949e', borderRight: '1px solid #2a3340' },
    '.cm-activeLine': { backgroundColor: '#1a212c80' },
    '.cm-activeLineGutter': { backgroundColor: '#1a212c', color: '#d8dee9' },
    '.cm-selectionBackground, &.cm-focused .cm-selectionBackground, ::selection': { backgroundColor: '#264f78 !important' },
    '.cm-cursor': { borderLeftColor: '#d8dee9' },
    '.cm-tooltip': { backgroundColor: '#1a212c', color: '#d8dee9', border: '1px solid #2a3340' },
    '.cm-diagnostic-error': { borderLeftColor: '#f85149' },
  },
  { dark: true },
);

const highlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: '#79c0ff' },
  { tag: [t.string, t.special(t.string)], color: '#a5d6ff' },
  { tag: [t.number, t.bool, t.null, t.atom], color: '#ffa657' },
  { tag: [t.comment, t.lineComment], color: '#9ca3ad', fontStyle: 'italic' },
  { tag: [t.keyword, t.typeName, t.meta], color: '#ff9bce' },
  { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: '#c9d1d9' },
]);

export const darkTheme = [theme, syntaxHighlighting(highlight)];
