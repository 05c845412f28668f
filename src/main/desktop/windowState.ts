import { z } from 'zod';

export const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowState>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW: WindowState = { width: 1280, height: 800, maximized: false };

/**
 * The remembered size and place, if it still fits: a window restored onto a display that is
 * gone would open off screen, so it then keeps its size and is centred instead.
 */
export function restoreWindowState(saved: unknown, displays: Rect[]): WindowState {
  const parsed = WindowState.safeParse(saved);
  if (!parsed.success) return DEFAULT_WINDOW;
  const s = parsed.data;
  if (s.x === undefined || s.y === undefined) return s;
  const visible = displays.some(
    (d) => s.x! + 100 > d.x && s.x! < d.x + d.width - 100 && s.y! >= d.y - 10 && s.y! < d.y + d.height - 100,
  );
  if (visible) return s;
  const { x: _x, y: _y, ...rest } = s;
  return rest;
}
