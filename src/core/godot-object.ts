/**
 * GodotObject: the base of every class here. It carries the engine-binding members GodotSharp
 * puts on its classes (HasGodotClassMethod, HasGodotClassSignal, InvokeGodotClassMethod) over a
 * small registry that maps Godot's names to ours, and Dispose()/[Symbol.dispose].
 * The same registry gives the GDScript face (see gdscript.ts) its snake_case names.
 */

export interface GodotClassInfo {
  /** Godot's class name, e.g. "WebSocketPeer". */
  readonly name: string;
  /**
   * Godot method name → the C#-named method on the prototype ("connect_to_url" → "ConnectToUrl");
   * property accessors as "get:Name" / "set:Name" ("get_inbound_buffer_size" → "get:InboundBufferSize").
   */
  readonly methods: Readonly<Record<string, string>>;
  /** Godot property name → the C#-named property ("inbound_buffer_size" → "InboundBufferSize"). */
  readonly properties?: Readonly<Record<string, string>>;
  readonly signals?: readonly string[];
}

type Constructor = abstract new (...args: never[]) => object;
const registry = new Map<Constructor, GodotClassInfo>();

/** Registers a class's Godot names. Called once per class, next to its definition. */
export function registerGodotClass(cls: Constructor, info: GodotClassInfo): void {
  registry.set(cls, info);
}

/** Every registered class with its info, base classes included (used by the GDScript face). */
export function registeredGodotClasses(): ReadonlyMap<Constructor, GodotClassInfo> {
  return registry;
}

/** Finds a Godot method through the class chain: the JavaScript name of its implementation. */
function findGodotMethod(cls: Constructor | null, method: string): string | undefined {
  for (let c = cls; c; c = Object.getPrototypeOf(c) as Constructor | null) {
    const found = registry.get(c)?.methods[method];
    if (found) return found;
  }
  return undefined;
}

export abstract class GodotObject implements Disposable {
  private disposed = false;

  /** Whether this object's Godot class (or a base) has a method of that Godot name. */
  protected HasGodotClassMethod(method: string): boolean {
    return findGodotMethod(this.constructor as Constructor, method) !== undefined;
  }

  /** Whether this object's Godot class (or a base) declares a signal of that name. */
  protected HasGodotClassSignal(signal: string): boolean {
    for (let c = this.constructor as Constructor | null; c; c = Object.getPrototypeOf(c) as Constructor | null) {
      if (registry.get(c)?.signals?.includes(signal)) return true;
    }
    return false;
  }

  /**
   * Calls a method by its Godot name. Returns false when there is no such method; otherwise the
   * method's result is stored in `ret.value` (GodotSharp's `out godot_variant ret`).
   */
  protected InvokeGodotClassMethod(method: string, args: readonly unknown[], ret?: { value?: unknown }): boolean {
    const name = findGodotMethod(this.constructor as Constructor, method);
    if (name === undefined) return false;
    const self = this as unknown as Record<string, unknown>;
    let value: unknown;
    if (name.startsWith('get:')) {
      value = self[name.slice(4)];
    } else if (name.startsWith('set:')) {
      self[name.slice(4)] = args[0];
    } else {
      const fn = self[name];
      if (typeof fn !== 'function') return false;
      value = fn.apply(this, args);
    }
    if (ret) ret.value = value;
    return true;
  }

  /** Releases sockets and native state at once (as freeing the object does in Godot). Idempotent. */
  Dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.dispose();
  }

  [Symbol.dispose](): void {
    this.Dispose();
  }

  /** Subclasses release what they own. Called once. */
  protected dispose(): void {}
}

registerGodotClass(GodotObject, { name: 'Object', methods: {} });
