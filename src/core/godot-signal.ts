/**
 * GodotSignal: one Godot signal of one object. C# code writes `peer.PeerConnected += OnJoin`;
 * JavaScript has no `+=` for events, so the C# face is `peer.PeerConnected.Connect(onJoin)`, and the
 * GDScript face is the same object under the signal's own name: `peer.peer_connected.connect(on_join)`.
 * Listeners run synchronously, in connection order, inside the call that emits (usually Poll()).
 */
import { Error } from './error.js';
import { registerGodotClass } from './godot-object.js';

// Listener parameters are contravariant, so a signal's listeners are typed by its arguments.
export type Listener<Args extends unknown[]> = (...args: Args) => void;

export class GodotSignal<Args extends unknown[] = []> {
  private listeners: Listener<Args>[] = [];

  constructor(
    /** The signal's Godot name ("peer_connected"). */
    readonly name: string,
  ) {}

  /**
   * Adds a listener. As in Godot, connecting the same function twice is refused (Godot's
   * ERR_INVALID_PARAMETER); `oneShot` disconnects it after its first call (CONNECT_ONE_SHOT).
   */
  Connect(listener: Listener<Args>, oneShot = false): Error {
    if (typeof listener !== 'function') throw new TypeError(`${this.name}.Connect: expected a function`);
    if (this.IsConnected(listener)) return Error.InvalidParameter;
    if (oneShot) {
      const once: Listener<Args> & { original?: Listener<Args> } = (...args: Args) => {
        this.Disconnect(listener);
        listener(...args);
      };
      once.original = listener;
      this.listeners = [...this.listeners, once];
    } else {
      this.listeners = [...this.listeners, listener];
    }
    return Error.Ok;
  }

  Disconnect(listener: Listener<Args>): void {
    this.listeners = this.listeners.filter((l) => l !== listener && (l as { original?: unknown }).original !== listener);
  }

  IsConnected(listener: Listener<Args>): boolean {
    return this.listeners.some((l) => l === listener || (l as { original?: unknown }).original === listener);
  }

  GetConnections(): Listener<Args>[] {
    return this.listeners.map((l) => (l as { original?: Listener<Args> }).original ?? l);
  }

  /** Calls every listener. A listener that throws stops the emit and the exception reaches the caller. */
  Emit(...args: Args): void {
    // The array is replaced (never mutated) on connect/disconnect, so listeners may do either.
    for (const listener of this.listeners) listener(...args);
  }
}

registerGodotClass(GodotSignal, {
  name: 'Signal',
  methods: {
    connect: 'Connect',
    disconnect: 'Disconnect',
    is_connected: 'IsConnected',
    get_connections: 'GetConnections',
    emit: 'Emit',
  },
});
