// Draws the extension icon (two linked boxes on a blue tile) as PNGs in public/icons/.
// Run once after changing the drawing: `node --import tsx scripts/make-icons.ts`.
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';


function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

type Rgba = [number, number, number, number];

function pixel(x: number, y: number): Rgba {
  // Unit coordinates 0..1; a rounded tile with two overlapping box outlines.
  const corner = 0.18;
  const dx = Math.max(corner - x, x - (1 - corner), 0);
  const dy = Math.max(corner - y, y - (1 - corner), 0);
  if (dx * dx + dy * dy > corner * corner) return [0, 0, 0, 0];
  const inBox = (x0: number, y0: number, size: number, stroke: number) =>
    x >= x0 && x <= x0 + size && y >= y0 && y <= y0 + size &&
    !(x > x0 + stroke && x < x0 + size - stroke && y > y0 + stroke && y < y0 + size - stroke);
  if (inBox(0.2, 0.2, 0.38, 0.08) || inBox(0.42, 0.42, 0.38, 0.08)) return [255, 255, 255, 255];
  return [29, 99, 196, 255];
}

function png(size: number): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel((x + 0.5) / size, (y + 0.5) / size);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

for (const size of [16, 32, 48, 128]) writeFileSync(`public/icons/icon-${size}.png`, png(size));
