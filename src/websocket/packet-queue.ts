/**
 * The inbound packet queue of one WebSocketPeer: whole messages with their text flag, and the
 * byte total that InboundBufferSize bounds. A head index instead of shift() keeps popping O(1);
 * payloads and flags sit in two parallel arrays, so queueing a packet allocates nothing.
 * @internal
 */
/** Shared by every empty queue, never mutated: an idle peer holds no arrays. */
const NONE: never[] = [];

export class PacketQueue {
  private payloads: (Uint8Array | undefined)[] = NONE;
  private textFlags: boolean[] = NONE;
  private head = 0;
  private byteTotal = 0;
  /** Whether the packet last returned by shift() arrived as text. */
  shiftedIsText = false;

  get length(): number {
    return this.payloads.length - this.head;
  }

  get bytes(): number {
    return this.byteTotal;
  }

  push(data: Uint8Array, isText: boolean): void {
    if (this.payloads === NONE) {
      this.payloads = [];
      this.textFlags = [];
    }
    this.payloads.push(data);
    this.textFlags.push(isText);
    this.byteTotal += data.length;
  }

  /** The oldest packet (its text flag goes to shiftedIsText), or undefined. */
  shift(): Uint8Array | undefined {
    if (this.head >= this.payloads.length) return undefined;
    const data = this.payloads[this.head]!;
    this.shiftedIsText = this.textFlags[this.head]!;
    this.payloads[this.head] = undefined; // let the payload be collected
    this.head++;
    this.byteTotal -= data.length;
    if (this.head === this.payloads.length) {
      this.payloads.length = 0;
      this.textFlags.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.payloads.length) {
      this.payloads = this.payloads.slice(this.head);
      this.textFlags = this.textFlags.slice(this.head);
      this.head = 0;
    }
    return data;
  }

  clear(): void {
    this.payloads = NONE;
    this.textFlags = NONE;
    this.head = 0;
    this.byteTotal = 0;
  }
}
