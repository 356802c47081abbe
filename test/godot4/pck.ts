// A Godot 4.6 resource pack (.pck, pack format 3) built from in-memory files, so a test project
// never touches the disk. Layout facts: /work/shared/notes/godot4-web-engine.md (checked against
// 4.6's core/io/file_access_pack.cpp; rebuilding the npm package's own index.pck this way gives
// the same length and directory offset).

import { createHash } from 'node:crypto';

/** Paths relative to `res://` ("project.godot", "scripts/a.gd") → contents. */
export type ProjectFiles = Readonly<Record<string, string | Uint8Array>>;

const MAGIC = 'GDPC';
const PACK_FORMAT_VERSION = 3;
const ENGINE_VERSION = [4, 6, 0] as const;
/** PACK_REL_FILEBASE: file offsets count from the file base, not from the start of the pack. */
const FLAG_REL_FILEBASE = 2;
const HEADER_SIZE = 112; // magic, 5 × u32, 2 × u64, 16 reserved u32
const FILE_ALIGNMENT = 16;

const align = (n: number, to: number) => Math.ceil(n / to) * to;

function normalisePath(path: string): string {
  const p = path.replace(/^res:\/\//, '').replace(/\\/g, '/');
  if (p === '' || p.startsWith('/') || p.split('/').some((part) => part === '..' || part === '')) {
    throw new Error(`pck: bad project path ${JSON.stringify(path)}`);
  }
  return p;
}

/** The bytes of a .pck holding `files` in their insertion order (text is stored as UTF-8). */
export function buildPck(files: ProjectFiles): Buffer {
  const entries = Object.entries(files).map(([path, contents]) => ({
    path: Buffer.from(normalisePath(path), 'utf8'),
    data: typeof contents === 'string' ? Buffer.from(contents, 'utf8') : Buffer.from(contents),
    offset: 0,
  }));
  const body: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    entry.offset = offset;
    const padded = align(entry.data.length, FILE_ALIGNMENT);
    body.push(entry.data, Buffer.alloc(padded - entry.data.length));
    offset += padded;
  }
  // Data in the given order, the directory sorted by path (as Godot's exporter writes it).
  const sorted = [...entries].sort((a, b) => Buffer.compare(a.path, b.path));
  const directory: Buffer[] = [u32(entries.length)];
  for (const entry of sorted) {
    const nameLength = align(entry.path.length, 4);
    directory.push(
      u32(nameLength),
      entry.path,
      Buffer.alloc(nameLength - entry.path.length),
      u64(entry.offset),
      u64(entry.data.length),
      createHash('md5').update(entry.data).digest(),
      u32(0), // per-file flags: not encrypted, not removed
    );
  }
  const header = Buffer.alloc(HEADER_SIZE);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(PACK_FORMAT_VERSION, 4);
  header.writeUInt32LE(ENGINE_VERSION[0], 8);
  header.writeUInt32LE(ENGINE_VERSION[1], 12);
  header.writeUInt32LE(ENGINE_VERSION[2], 16);
  header.writeUInt32LE(FLAG_REL_FILEBASE, 20);
  header.writeBigUInt64LE(BigInt(HEADER_SIZE), 24); // file base: data starts right after the header
  header.writeBigUInt64LE(BigInt(HEADER_SIZE + offset), 32); // directory offset, from the start
  return Buffer.concat([header, ...body, ...directory]);
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
}

function u64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
}
