// The parts of CodecGlue that do not depend on the Godot build.
#include "codec_glue.h"

namespace gdws_godot {

namespace {

struct KindName {
	gdws::Opcode kind;
	const char *name;
};

constexpr KindName KINDS[] = {
	{ gdws::Opcode::TEXT, "text" },
	{ gdws::Opcode::BINARY, "binary" },
	{ gdws::Opcode::PING, "ping" },
	{ gdws::Opcode::PONG, "pong" },
};

uint32_t key_from_wire(const uint8_t *p_bytes) {
	return (uint32_t(p_bytes[0]) << 24) | (uint32_t(p_bytes[1]) << 16) | (uint32_t(p_bytes[2]) << 8) | uint32_t(p_bytes[3]);
}

} // namespace

const char *kind_name(gdws::Opcode p_kind) {
	for (const KindName &entry : KINDS) {
		if (entry.kind == p_kind) {
			return entry.name;
		}
	}
	return "unknown";
}

bool kind_from_name(std::string_view p_name, gdws::Opcode *r_kind) {
	for (const KindName &entry : KINDS) {
		if (p_name == entry.name) {
			*r_kind = entry.kind;
			return true;
		}
	}
	return false;
}

void MaskKeys::set_replay(const uint8_t *p_wire_keys, size_t p_size) {
	_replay.clear();
	_replay_next = 0;
	for (size_t i = 0; i + 4 <= p_size; i += 4) {
		_replay.push_back(key_from_wire(p_wire_keys + i));
	}
}

uint32_t MaskKeys::next(void *p_user) {
	MaskKeys *self = static_cast<MaskKeys *>(p_user);
	if (self->_replay_next < self->_replay.size()) {
		return self->_replay[self->_replay_next++];
	}
	if (self->_pool_next + 4 > sizeof(self->_pool)) {
		// Without Crypto (it failed) the all-zero key still makes valid frames; Godot's Crypto
		// only fails when its random generator cannot be seeded.
		if (!self->_random(self->_pool, sizeof(self->_pool))) {
			return 0;
		}
		self->_pool_next = 0;
	}
	const uint32_t key = key_from_wire(self->_pool + self->_pool_next);
	self->_pool_next += 4;
	return key;
}

} // namespace gdws_godot
