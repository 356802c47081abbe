// Close codes: which failure sends which code, Godot's reason texts, which codes may appear on
// the wire, and the stable names of failures and statuses.
#include "gdws/codec.h"

namespace gdws {

int failure_close_code(Failure p_failure) {
	switch (p_failure) {
		case Failure::NONE:
			return 0; // not a failure: nothing is sent
		case Failure::INVALID_UTF8:
		case Failure::INVALID_CLOSE_REASON:
			return close_code::INVALID_PAYLOAD;
		case Failure::MESSAGE_TOO_BIG:
			return close_code::MESSAGE_TOO_BIG;
		default:
			return close_code::PROTOCOL_ERROR;
	}
}

const char *failure_name(Failure p_failure) {
	switch (p_failure) {
		case Failure::NONE:
			return "NONE";
		case Failure::RESERVED_BITS:
			return "RESERVED_BITS";
		case Failure::UNKNOWN_OPCODE:
			return "UNKNOWN_OPCODE";
		case Failure::UNMASKED_FRAME:
			return "UNMASKED_FRAME";
		case Failure::MASKED_FRAME:
			return "MASKED_FRAME";
		case Failure::CONTROL_TOO_LONG:
			return "CONTROL_TOO_LONG";
		case Failure::FRAGMENTED_CONTROL:
			return "FRAGMENTED_CONTROL";
		case Failure::NON_MINIMAL_LENGTH:
			return "NON_MINIMAL_LENGTH";
		case Failure::LENGTH_HIGH_BIT:
			return "LENGTH_HIGH_BIT";
		case Failure::UNEXPECTED_CONTINUATION:
			return "UNEXPECTED_CONTINUATION";
		case Failure::EXPECTED_CONTINUATION:
			return "EXPECTED_CONTINUATION";
		case Failure::INVALID_CLOSE_PAYLOAD:
			return "INVALID_CLOSE_PAYLOAD";
		case Failure::INVALID_CLOSE_CODE:
			return "INVALID_CLOSE_CODE";
		case Failure::INVALID_UTF8:
			return "INVALID_UTF8";
		case Failure::INVALID_CLOSE_REASON:
			return "INVALID_CLOSE_REASON";
		case Failure::MESSAGE_TOO_BIG:
			return "MESSAGE_TOO_BIG";
	}
	return "UNKNOWN";
}

const char *status_name(Status p_status) {
	switch (p_status) {
		case Status::OK:
			return "OK";
		case Status::INVALID_STATE:
			return "INVALID_STATE";
		case Status::INVALID_ARGUMENT:
			return "INVALID_ARGUMENT";
		case Status::QUEUE_FULL:
			return "QUEUE_FULL";
		case Status::BUFFER_FULL:
			return "BUFFER_FULL";
		case Status::INVALID_UTF8:
			return "INVALID_UTF8";
	}
	return "UNKNOWN";
}

const char *close_code_reason(int p_code) {
	switch (p_code) {
		case close_code::PROTOCOL_ERROR:
			return "Protocol error";
		case close_code::ABNORMAL:
			return "Abnormal closure";
		case close_code::INVALID_PAYLOAD:
			return "Invalid frame payload data";
		case close_code::MESSAGE_TOO_BIG:
			return "Message too big";
		default:
			return "Unknown";
	}
}

// RFC 6455 §7.4.1 defines 1000-1003 and 1007-1011 and reserves 1000-2999 for the protocol;
// 1004 is reserved, and 1005, 1006 and 1015 are for reporting only ("MUST NOT be set as a status
// code in a Close control frame"). IANA's registry has since added 1012 (Service Restart),
// 1013 (Try Again Later) and 1014 (Bad Gateway), which servers do send, so we accept them as
// ws and browsers do (Godot 4.4's wslay does not). 1016-2999 are unassigned protocol codes and
// are refused. 3000-3999 are registered by libraries and 4000-4999 are private use; both valid.
// 0-999 and 5000+ are never valid.
bool is_valid_wire_close_code(int p_code) {
	if (p_code >= 1000 && p_code <= 1014) {
		return p_code != 1004 && p_code != close_code::NO_STATUS && p_code != close_code::ABNORMAL;
	}
	return p_code >= 3000 && p_code <= 4999;
}

} // namespace gdws
