/**
 * The inbound packet queue of one WebSocketPeer: whole messages with their text flag, and the
 * byte total that InboundBufferSize bounds. A head index instead of shift() keeps popping O(1).
 * @internal
 */
export interface Packet {
  data: Uint8Array;
  isText: boolean;
}

export class PacketQueue {
  private items: Packet[] = [];
  private head = 0;
  private byteTotal = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.byteTotal;
  }

  push(packet: Packet): void {
    this.items.push(packet);
    this.byteTotal += packet.data.length;
  }

  shift(): Packet | undefined {
    if (this.head >= this.items.length) return undefined;
    const packet = this.items[this.head]!;
    this.items[this.head] = undefined as unknown as Packet; // let the payload be collected
    this.head++;
    this.byteTotal -= packet.data.length;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return packet;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.byteTotal = 0;
  }
}
