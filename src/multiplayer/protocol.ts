/**
 * SceneMultiplayer's wire constants (Godot 4.6, modules/multiplayer). Every packet starts with a
 * command byte: the low 3 bits are the command, bits 4-7 are flags the command defines
 * (doc/multiplayer-wire.md has the layouts). Node paths and checksums travel as C strings.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 up to the first NUL (Godot reads C strings), or null when invalid. */
export function cString(bytes: Uint8Array): string | null {
  const end = bytes.indexOf(0);
  try {
    return utf8.decode(end < 0 ? bytes : bytes.subarray(0, end));
  } catch {
    return null;
  }
}

export enum Command {
  RemoteCall = 0,
  SimplifyPath = 1,
  ConfirmPath = 2,
  Raw = 3,
  Spawn = 4,
  Despawn = 5,
  Sync = 6,
  Sys = 7,
}

export const COMMAND_MASK = 0x07;

export enum SysCommand {
  Auth = 0,
  AddPeer = 1,
  DelPeer = 2,
  Relay = 3,
}

/** command byte, sys command byte, int32 peer id. */
export const SYS_HEADER_SIZE = 6;

// Remote-call flags in the command byte.
export const NODE_ID_SHIFT = 4; // 2 bits: how the node is named (below)
export const NAME_ID_SHIFT = 6; // 1 bit: 0 = u8 method id, 1 = u16
export const BYTES_OR_NO_ARGS_FLAG = 0x80; // no argument count: no arguments, or one raw PackedByteArray

export enum NodeIdSize {
  U8 = 0,
  U16 = 1,
  U32 = 2,
}

/** In a 32-bit node id: the path follows the arguments; the low 31 bits are its offset. */
export const INLINE_PATH_FLAG = 0x80000000;

/** SIMPLIFY_PATH: command, 32 hex digits + NUL, u32 cache id, path + NUL; the shortest Godot reads. */
export const SIMPLIFY_PATH_MIN_SIZE = 38;
export const CONFIRM_PATH_SIZE = 6;
