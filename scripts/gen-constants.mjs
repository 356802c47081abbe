// Writes src/native/constants.ts from the C++ headers, so that every number and name the
// TypeScript shares with the codec and the addon (opcodes, statuses, failure and handshake
// names, flags, the receive() layout, limits and defaults) has one source: the header.
//   node scripts/gen-constants.mjs          write the file (run by build:ts)
//   node scripts/gen-constants.mjs --check  exit 1 if the file is not what the headers give
// test/constants.test.ts also compares what this parser reads with what the compiled addon says.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUT = join(root, 'src', 'native', 'constants.ts');

/**
 * What to take from each header: enums (C++ name -> TypeScript name, and whether a names list
 * indexed by value goes with it), numeric constants, and namespaces of constants (as an enum).
 */
export const SOURCES = [
  {
    header: 'native/codec/include/gdws/codec.h',
    enums: {
      Role: { ts: 'Role' },
      Opcode: { ts: 'Opcode' },
      Status: { ts: 'CodecStatus', names: 'STATUS_NAMES' },
      Failure: { ts: 'Failure', names: 'FAILURE_NAMES' },
      Placement: { ts: 'Placement' },
    },
    constants: ['MAX_CONTROL_PAYLOAD', 'MAX_CLOSE_REASON', 'DEFAULT_BUFFER_SIZE', 'DEFAULT_MAX_QUEUED_PACKETS'],
    namespaces: { close_code: 'CloseCode' },
  },
  {
    header: 'native/codec/include/gdws/handshake.h',
    enums: { Result: { ts: 'HandshakeResult', names: 'HANDSHAKE_RESULT_NAMES' } },
    constants: ['MAX_HEADER_SIZE'],
    namespaces: {},
  },
  {
    header: 'native/node/boundary.h',
    enums: { StateFlag: { ts: 'SessionFlag' } },
    constants: [
      'META_CONSUMED', 'META_FLAGS', 'META_RECORDS', 'META_OUTPUT', 'META_HEADER', 'META_STRIDE',
      'RECORD_KIND', 'RECORD_PLACEMENT', 'RECORD_CHUNK', 'RECORD_OFFSET', 'RECORD_LENGTH',
    ],
    namespaces: {},
  },
];

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

/** Evaluates a constant expression of integers, operators and names already known. */
function evaluate(expression, known, where) {
  const decimal = expression.replace(/\b0x([0-9a-f]+)(?:u|ul|ull|l|ll)?\b/gi, (_, hex) => String(parseInt(hex, 16)));
  const substituted = decimal.replace(/\b([A-Za-z_]\w*)\b/g, (name) => {
    if (!(name in known)) throw new Error(`${where}: unknown name ${name} in "${expression}"`);
    return String(known[name]);
  }).replace(/\b(\d+)(?:u|ul|ull|l|ll)\b/gi, '$1');
  if (!/^[\d\s+\-*/()<>|&]+$/.test(substituted)) throw new Error(`${where}: cannot evaluate "${expression}"`);
  const value = Function(`"use strict"; return (${substituted});`)();
  if (!Number.isSafeInteger(value)) throw new Error(`${where}: "${expression}" is not a safe integer`);
  return value;
}

function parseEnum(text, name, where) {
  const match = new RegExp(`enum\\s+class\\s+${name}\\s*(?::\\s*\\w+)?\\s*\\{([^}]*)\\}`).exec(text);
  if (!match) throw new Error(`${where}: enum class ${name} not found`);
  const members = {};
  let next = 0;
  for (const item of match[1].split(',').map((s) => s.trim()).filter(Boolean)) {
    const [, member, expression] = /^(\w+)\s*(?:=\s*(.+))?$/.exec(item) ?? [];
    if (!member) throw new Error(`${where}: cannot read "${item}" in enum ${name}`);
    const value = expression === undefined ? next : evaluate(expression, members, `${where} ${name}`);
    members[member] = value;
    next = value + 1;
  }
  return members;
}

/** Every `constexpr <type> NAME = <integer expression>;` of the text, in order. */
function parseConstants(text, where) {
  const known = {};
  for (const [, name, expression] of text.matchAll(/constexpr\s+[\w:]+(?:\s+[\w:]+)*\s+(\w+)\s*=\s*([^;]+);/g)) {
    if (/["']/.test(expression)) continue; // strings are not shared
    known[name] = evaluate(expression.trim(), known, where);
  }
  return known;
}

/** The values in the headers, by C++ name: { 'gdws::Opcode': {...}, 'gdws::MAX_HEADER_SIZE': 4096, ... }. */
export function readHeaders() {
  const values = {};
  for (const source of SOURCES) {
    const text = stripComments(readFileSync(join(root, source.header), 'utf8'));
    const scope = source.header.startsWith('native/node/') ? 'gdws_node' : source.header.endsWith('handshake.h') ? 'gdws::handshake' : 'gdws';
    for (const name of Object.keys(source.enums)) values[`${scope}::${name}`] = parseEnum(text, name, source.header);
    for (const [namespace] of Object.entries(source.namespaces)) {
      const block = new RegExp(`namespace\\s+${namespace}\\s*\\{([\\s\\S]*?)\\}`).exec(text);
      if (!block) throw new Error(`${source.header}: namespace ${namespace} not found`);
      values[`${scope}::${namespace}`] = parseConstants(block[1], source.header);
    }
    const constants = parseConstants(text, source.header);
    for (const name of source.constants) {
      if (!(name in constants)) throw new Error(`${source.header}: constexpr ${name} not found`);
      values[`${scope}::${name}`] = constants[name];
    }
  }
  return values;
}

const pascal = (name) => name.toLowerCase().replace(/(^|_)([a-z0-9])/g, (_, __, c) => c.toUpperCase());

export function render(values = readHeaders()) {
  const lines = [
    '// GENERATED by scripts/gen-constants.mjs from the C++ headers below. Do not edit: change the',
    '// header and run `npm run build:ts` (test/constants.test.ts fails when this file is stale).',
    ...SOURCES.map((s) => `//   ${s.header}`),
    '',
  ];
  for (const source of SOURCES) {
    const scope = source.header.startsWith('native/node/') ? 'gdws_node' : source.header.endsWith('handshake.h') ? 'gdws::handshake' : 'gdws';
    lines.push(`// ${source.header}`);
    for (const [name, { ts, names }] of Object.entries(source.enums)) {
      const members = values[`${scope}::${name}`];
      lines.push(`/** ${scope}::${name} */`, `export enum ${ts} {`);
      for (const [member, value] of Object.entries(members)) lines.push(`  ${pascal(member)} = ${value},`);
      lines.push('}');
      if (names) {
        const byValue = Object.entries(members).sort((a, b) => a[1] - b[1]);
        if (byValue.some(([, value], index) => value !== index)) throw new Error(`${name}: a names list needs values 0, 1, 2, ...`);
        lines.push(`/** The codec's stable names of ${scope}::${name}, by value. */`);
        lines.push(`export const ${names}: readonly string[] = [${byValue.map(([member]) => `'${member}'`).join(', ')}];`);
      }
    }
    for (const [namespace, ts] of Object.entries(source.namespaces)) {
      lines.push(`/** ${scope}::${namespace} */`, `export enum ${ts} {`);
      for (const [member, value] of Object.entries(values[`${scope}::${namespace}`])) lines.push(`  ${pascal(member)} = ${value},`);
      lines.push('}');
    }
    for (const name of source.constants) lines.push(`export const ${name} = ${values[`${scope}::${name}`]};`);
    lines.push('');
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = render();
  if (process.argv.includes('--check')) {
    let current = '';
    try { current = readFileSync(OUTPUT, 'utf8'); } catch { /* missing: stale */ }
    if (current !== text) {
      console.error(`${relative(root, OUTPUT)} is stale: run \`node scripts/gen-constants.mjs\``);
      process.exit(1);
    }
  } else {
    writeFileSync(OUTPUT, text);
  }
}
