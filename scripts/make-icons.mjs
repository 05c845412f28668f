// Draws Jobdeck's icons as PNGs (app icon and the three tray states) with nothing but zlib,
// so the repository holds their source. Run: node scripts/make-icons.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32 = (buf) => {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x / size, y / size), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// Three stacked cards (a deck), in the state's colour.
function deck(rgb) {
  return (u, v) => {
    const inCard = (i) => {
      const top = 0.18 + i * 0.2;
      return u > 0.14 + i * 0.04 && u < 0.86 - i * 0.04 && v > top && v < top + 0.22;
    };
    for (let i = 2; i >= 0; i--) if (inCard(i)) return [...rgb.map((c) => Math.round(c * (1 - i * 0.18))), 255];
    return [0, 0, 0, 0];
  };
}

mkdirSync('resources', { recursive: true });
const states = { idle: [139, 147, 163], running: [76, 141, 255], failed: [229, 72, 77] };
for (const [name, rgb] of Object.entries(states)) {
  writeFileSync(`resources/tray-${name}.png`, png(16, deck(rgb)));
  writeFileSync(`resources/tray-${name}@2x.png`, png(32, deck(rgb)));
}
writeFileSync('resources/icon.png', png(512, deck(states.running)));
console.log('icons written to resources/');
