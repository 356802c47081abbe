/**
 * What the GDScript face adds to the classes themselves (their prototypes get the snake_case
 * methods from the registry): `ClassName.new()`, static functions under GDScript's names
 * (`TLSOptions.client`, `PollLoop.start`) and class constants (`WebSocketPeer.STATE_OPEN`).
 * Used by both GDScript modules (src/gdscript.ts and src/multiplayer/gdscript.ts).
 * @internal
 */

/** A class as GDScript sees it: `new X()` and `X.new()` make the same object. */
export type GDClass<T> = (new () => T) & { new: () => T };

/** Adds static functions to a class: writable and not enumerable, as static methods are. */
export function installStatics(cls: object, statics: Readonly<Record<string, (...args: never[]) => unknown>>): void {
  for (const [name, value] of Object.entries(statics)) Object.defineProperty(cls, name, { value, writable: true, configurable: true });
}

/** Adds `ClassName.new()` to each class that takes no constructor arguments. */
export function installNew(classes: readonly (new () => object)[]): void {
  for (const cls of classes) installStatics(cls, { new: () => new cls() });
}

/** Adds class constants (STATE_OPEN): read-only and enumerable. */
export function installConstants(cls: object, constants: Readonly<Record<string, number>>): void {
  for (const [name, value] of Object.entries(constants)) Object.defineProperty(cls, name, { value, enumerable: true });
}
