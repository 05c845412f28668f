/**
 * How the log pane's terminal looks and behaves; the renderer benchmark builds its bare xterm.js
 * baseline from the same object, so the two compare like with like.
 */
export const TERMINAL_OPTIONS = {
  scrollback: 10_000,
  fontSize: 12,
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  // stderr is red: xterm's default #cc0000 is under 4.5:1 on this background (WCAG AA).
  theme: { background: '#0d1117', foreground: '#d1d7e0', red: '#ff7b72', brightRed: '#ffa198' },
  // Any other colour a job prints (and dimmed text) is lifted to AA contrast by xterm itself.
  minimumContrastRatio: 4.5,
  disableStdin: true,
  cursorBlink: false,
} as const;
