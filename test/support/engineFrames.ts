/** One frame of the engine's multiplexed stream (1 = stdout, 2 = stderr): 8-byte header, then the text. */
export function engineFrame(type: 1 | 2, text: string): Buffer {
  const body = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = type;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
}
