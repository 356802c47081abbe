// Variant encode/decode of a 1,000-entry Dictionary of mixed values (and of a small message) vs
// JSON.stringify/JSON.parse of the same data. Not a test: prints ops/s and the ratio.
// encode = GD.VarToBytes / encodeVariant (returns a copy); putvar = PutVar's path (the bytes are
// lent to the sender straight from the encoder's buffer; here the sender does nothing).
//   npm run build:ts && node bench/variant.mjs
// VARIANT_MODULE=<path to variant/index.js> benchmarks another build.
import { pathToFileURL } from 'node:url';

const modulePath = process.env.VARIANT_MODULE
  ? pathToFileURL(process.env.VARIANT_MODULE).href
  : new URL('../dist/cjs/variant/index.js', import.meta.url).href;
const { encodeVariant, decodeVariant, putEncodedVariant, Vector2 } = await import(modulePath).catch((error) => {
  console.error(`Cannot load ${modulePath}: run \`npm run build:ts\` first.\n${error.message}`);
  process.exit(1);
});

/** 1,000 entries cycling through the JSON-representable kinds of value a game sends. */
function mixedData() {
  const data = {};
  for (let i = 0; i < 1000; i++) {
    const key = `key_${i}`;
    switch (i % 8) {
      case 0: data[key] = i; break;
      case 1: data[key] = i * 0.25 + 0.1; break;
      case 2: data[key] = `value number ${i}`; break;
      case 3: data[key] = i % 3 === 0; break;
      case 4: data[key] = null; break;
      case 5: data[key] = [i, i + 1, `item ${i}`]; break;
      case 6: data[key] = { x: i * 1.5, y: -i, name: 'nested' }; break;
      default: data[key] = 'héllo ✓ ' + i; break;
    }
  }
  return data;
}

/** Runs fn repeatedly for about `ms` milliseconds (after a warm-up) and returns ops/s. */
function measure(fn, ms = 1000) {
  for (let i = 0; i < 50; i++) fn();
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 20; i++) fn();
    ops += 20;
    elapsed = performance.now() - start;
  }
  return (ops * 1000) / elapsed;
}

function row(name, ours, json) {
  const ratio = ours / json;
  console.log(`${name.padEnd(8)} variant ${ours.toFixed(0).padStart(7)} ops/s   JSON ${json.toFixed(0).padStart(7)} ops/s   ratio ${ratio.toFixed(2)}x`);
}

const data = mixedData();
const encoded = encodeVariant(data);
if (encoded.error !== 0) throw new Error(`encode failed: ${encoded.error}`);
const text = JSON.stringify(data);
const decoded = decodeVariant(encoded.bytes);
if (decoded.error !== 0 || decoded.value.size !== 1000) throw new Error('decode failed');

console.log(`1,000-entry Dictionary of mixed values: ${encoded.bytes.length} bytes as Variant, ${Buffer.byteLength(text)} bytes as JSON`);
row('encode', measure(() => encodeVariant(data)), measure(() => JSON.stringify(data)));
if (putEncodedVariant) row('putvar', measure(() => putEncodedVariant(data, {}, () => 0)), measure(() => JSON.stringify(data)));
row('decode', measure(() => decodeVariant(encoded.bytes)), measure(() => JSON.parse(text)));

const message = { op: 'move', id: 42, pos: { x: 1.5, y: -2.25 }, speed: 3.75, tags: ['run', 'jump'], alive: true, name: 'player one' };
const messageBytes = encodeVariant(message).bytes;
const messageText = JSON.stringify(message);
console.log(`a small message: ${messageBytes.length} bytes as Variant, ${messageText.length} bytes as JSON`);
row('encode', measure(() => encodeVariant(message)), measure(() => JSON.stringify(message)));
if (putEncodedVariant) row('putvar', measure(() => putEncodedVariant(message, {}, () => 0)), measure(() => JSON.stringify(message)));
row('decode', measure(() => decodeVariant(messageBytes)), measure(() => JSON.parse(messageText)));

// Godot-only types have no JSON twin; shown for scale.
const vectors = {};
for (let i = 0; i < 1000; i++) vectors[`v${i}`] = new Vector2(i, -i * 0.5);
const vectorBytes = encodeVariant(vectors).bytes;
console.log(`1,000 Vector2 values: encode ${measure(() => encodeVariant(vectors)).toFixed(0)} ops/s, decode ${measure(() => decodeVariant(vectorBytes)).toFixed(0)} ops/s`);
