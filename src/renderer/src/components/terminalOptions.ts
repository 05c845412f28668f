/**
 * How the log pane's terminal looks and behaves; the renderer benchmark builds its bare xterm.js
 * baseline from the same object, so the two compare like with like.
 */
export const TERMINAL_OPTIONS = {
  scrollback: 10_000,
  fontSize: 12,
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  theme: { background: '#0d1117', foreground: '#d1d7e0' },
  disableStdin: true,
  cursorBlink: false,
} as const;
