/**
 * PacketPeer: the packet API WebSocketPeer inherits (core/io/packet_peer.cpp behaviour):
 * GetPacket/PutPacket, GetPacketError, GetAvailablePacketCount, EncodeBufferMaxSize and the
 * Variant helpers GetVar/PutVar.
 */
import { checkBoolean, checkBytes, checkInteger } from './arguments.js';
import { warn, WarningCode } from './warnings.js';
import { Error } from './error.js';
import { GodotObject, registerGodotClass } from './godot-object.js';
import { checkVariantFormat, decodeVariantPacket, putEncodedVariant, type Variant, type VariantFormat, type VariantInput } from '../variant/index.js';

const DEFAULT_ENCODE_BUFFER_MAX_SIZE = 8 * 1024 * 1024;
const MIN_ENCODE_BUFFER_MAX_SIZE = 1024;
const MAX_ENCODE_BUFFER_MAX_SIZE = 256 * 1024 * 1024;
const EMPTY = new Uint8Array(0);

export interface PacketResult {
  error: Error;
  packet: Uint8Array;
}

export abstract class PacketPeer extends GodotObject {
  private encodeBufferMaxSize = DEFAULT_ENCODE_BUFFER_MAX_SIZE;
  private lastPacketError: Error = Error.Ok;
  private variantFormat: VariantFormat = 4;

  /**
   * Extension: the Variant format GetVar/PutVar speak. 4 (default) for Godot 4 peers, 3 for
   * Godot 3 games, whose type ids differ and whose format carries no version marker. Anything but
   * 3 or 4 throws TypeError.
   */
  get VariantFormat(): VariantFormat {
    return this.variantFormat;
  }
  set VariantFormat(value: VariantFormat) {
    checkVariantFormat('VariantFormat', value);
    this.variantFormat = value;
  }

  /**
   * Largest encoded PutVar value, 8 MiB by default. As in Godot, values below 1024 or above
   * 256 MiB are ignored and others are rounded up to a power of two.
   */
  get EncodeBufferMaxSize(): number {
    return this.encodeBufferMaxSize;
  }
  set EncodeBufferMaxSize(value: number) {
    checkInteger('EncodeBufferMaxSize', value);
    if (value < MIN_ENCODE_BUFFER_MAX_SIZE || value > MAX_ENCODE_BUFFER_MAX_SIZE) {
      warn(WarningCode.IgnoredValue, `EncodeBufferMaxSize must be between ${MIN_ENCODE_BUFFER_MAX_SIZE} and ${MAX_ENCODE_BUFFER_MAX_SIZE}; ignored.`);
      return;
    }
    this.encodeBufferMaxSize = 2 ** Math.ceil(Math.log2(value));
  }

  abstract GetAvailablePacketCount(): number;

  /** Pops one packet; on failure returns an empty array and records the error for GetPacketError(). */
  GetPacket(): Uint8Array {
    const { error, packet } = this.takePacket();
    this.lastPacketError = error;
    return error === Error.Ok ? packet : EMPTY;
  }

  /** The error of the last GetPacket() or GetVar(). */
  GetPacketError(): Error {
    return this.lastPacketError;
  }

  /** Sends one packet. An empty buffer returns Ok and sends nothing (as in Godot). */
  PutPacket(buffer: Uint8Array): Error {
    checkBytes('PutPacket', buffer);
    if (buffer.length === 0) return Error.Ok;
    return this.sendPacket(buffer);
  }

  /**
   * Pops one packet and decodes it as a Variant. Returns null on any error, which GetPacketError()
   * then reports (Godot prints it instead). The value must fill the packet: bytes left over are
   * InvalidData (a packet in the other Variant format, see decodeVariantPacket).
   */
  GetVar(allowObjects = false): Variant {
    checkBoolean('GetVar', allowObjects);
    const { error, packet } = this.takePacket();
    if (error !== Error.Ok) {
      this.lastPacketError = error;
      return null;
    }
    const decoded = decodeVariantPacket(packet, { allowObjects, format: this.variantFormat });
    this.lastPacketError = decoded.error;
    return decoded.error === Error.Ok ? decoded.value : null;
  }

  /** Encodes a Variant and sends it as one binary packet (straight from the encoder's buffer). */
  PutVar(value: VariantInput, fullObjects = false): Error {
    checkBoolean('PutVar', fullObjects);
    const options = { fullObjects, format: this.variantFormat, maxSize: this.encodeBufferMaxSize };
    return putEncodedVariant(value, options, (bytes) => this.PutPacket(bytes));
  }

  /** Implementations pop one packet (or say why not). */
  protected abstract takePacket(): PacketResult;
  /**
   * Implementations send one non-empty packet. They must not keep `buffer` after returning:
   * PutVar lends the encoder's scratch memory, reused by the next encode.
   */
  protected abstract sendPacket(buffer: Uint8Array): Error;
}

registerGodotClass(PacketPeer, {
  name: 'PacketPeer',
  methods: {
    get_available_packet_count: 'GetAvailablePacketCount',
    get_packet: 'GetPacket',
    get_packet_error: 'GetPacketError',
    put_packet: 'PutPacket',
    get_var: 'GetVar',
    put_var: 'PutVar',
    get_encode_buffer_max_size: 'get:EncodeBufferMaxSize',
    set_encode_buffer_max_size: 'set:EncodeBufferMaxSize',
  },
  properties: { encode_buffer_max_size: 'EncodeBufferMaxSize' },
});
