/** Header-word layout shared by the encoder and decoder (`variant-binary.md` §2). */

/** Bits 0–7 of the header: the type id. */
export const TYPE_MASK = 0xff;
/** INT, FLOAT and `real_t` math types: the payload uses 64-bit numbers. */
export const FLAG_64 = 1 << 16;
/** OBJECT: the payload is a u64 instance id instead of class name + properties. */
export const FLAG_OBJECT_AS_ID = 1 << 16;
/** 2-bit container type kinds: ARRAY element (bits 16–17), DICTIONARY key (16–17) and value (18–19). */
export const ELEMENT_KIND_SHIFT = 16;
export const KEY_KIND_SHIFT = 16;
export const VALUE_KIND_SHIFT = 18;
export const KIND_NONE = 0;
export const KIND_BUILTIN = 1;
export const KIND_CLASS_NAME = 2;
export const KIND_SCRIPT = 3;
/** Godot's `Variant::MAX_RECURSION_DEPTH`; deeper nesting is ERR_OUT_OF_MEMORY both ways. */
export const MAX_RECURSION_DEPTH = 1024;
