/**
 * Argument checks shared by every class: a wrong argument type is a programmer error and throws
 * TypeError, never an Error code.
 */

export function checkBytes(method: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${method}: expected a Uint8Array (or Buffer), got ${describe(value)}`);
  }
}

export function checkInteger(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name}: expected an integer, got ${describe(value)}`);
  }
}

export function checkNumber(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${name}: expected a number, got ${describe(value)}`);
  }
}

export function checkBoolean(name: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${name}: expected a boolean, got ${describe(value)}`);
  }
}

export function checkString(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') {
    throw new TypeError(`${name}: expected a string, got ${describe(value)}`);
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
