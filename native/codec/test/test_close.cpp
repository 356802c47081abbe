// Close code tables: which codes may appear on the wire, which code each failure sends, and the
// reason texts Godot reports.
#include "check.h"
#include "gdws/codec.h"

#include <set>
#include <string>

using gdws::Failure;

TEST("accepts exactly 1000-1003, 1007-1014 and 3000-4999 on the wire") {
	// The rule written out as an explicit list, checked over every code a frame can carry.
	std::set<int> valid = { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014 };
	for (int code = 3000; code <= 4999; code++) {
		valid.insert(code);
	}
	int wrong = 0;
	for (int code = -2; code <= 70000; code++) {
		if (gdws::is_valid_wire_close_code(code) != (valid.count(code) == 1)) {
			wrong++;
			if (wrong < 5) {
				check::fail(__FILE__, __LINE__, "wrong verdict for code " + std::to_string(code));
			}
		}
	}
	CHECK_EQ(wrong, 0);
}

TEST("refuses the reporting-only and reserved codes") {
	for (int code : { 0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535, -1 }) {
		CHECK(!gdws::is_valid_wire_close_code(code));
	}
}

TEST("maps each failure to 1002, 1007 or 1009") {
	CHECK_EQ(gdws::failure_close_code(Failure::NONE), 0);
	for (Failure f : { Failure::RESERVED_BITS, Failure::UNKNOWN_OPCODE, Failure::UNMASKED_FRAME, Failure::MASKED_FRAME,
				 Failure::CONTROL_TOO_LONG, Failure::FRAGMENTED_CONTROL, Failure::NON_MINIMAL_LENGTH,
				 Failure::LENGTH_HIGH_BIT, Failure::UNEXPECTED_CONTINUATION, Failure::EXPECTED_CONTINUATION,
				 Failure::INVALID_CLOSE_PAYLOAD, Failure::INVALID_CLOSE_CODE }) {
		CHECK_EQ(gdws::failure_close_code(f), 1002);
	}
	CHECK_EQ(gdws::failure_close_code(Failure::INVALID_UTF8), 1007);
	CHECK_EQ(gdws::failure_close_code(Failure::INVALID_CLOSE_REASON), 1007);
	CHECK_EQ(gdws::failure_close_code(Failure::MESSAGE_TOO_BIG), 1009);
}

TEST("names every failure by its enum member") {
	CHECK_EQ(std::string(gdws::failure_name(Failure::NONE)), "NONE");
	CHECK_EQ(std::string(gdws::failure_name(Failure::RESERVED_BITS)), "RESERVED_BITS");
	CHECK_EQ(std::string(gdws::failure_name(Failure::UNKNOWN_OPCODE)), "UNKNOWN_OPCODE");
	CHECK_EQ(std::string(gdws::failure_name(Failure::UNMASKED_FRAME)), "UNMASKED_FRAME");
	CHECK_EQ(std::string(gdws::failure_name(Failure::MASKED_FRAME)), "MASKED_FRAME");
	CHECK_EQ(std::string(gdws::failure_name(Failure::CONTROL_TOO_LONG)), "CONTROL_TOO_LONG");
	CHECK_EQ(std::string(gdws::failure_name(Failure::FRAGMENTED_CONTROL)), "FRAGMENTED_CONTROL");
	CHECK_EQ(std::string(gdws::failure_name(Failure::NON_MINIMAL_LENGTH)), "NON_MINIMAL_LENGTH");
	CHECK_EQ(std::string(gdws::failure_name(Failure::LENGTH_HIGH_BIT)), "LENGTH_HIGH_BIT");
	CHECK_EQ(std::string(gdws::failure_name(Failure::UNEXPECTED_CONTINUATION)), "UNEXPECTED_CONTINUATION");
	CHECK_EQ(std::string(gdws::failure_name(Failure::EXPECTED_CONTINUATION)), "EXPECTED_CONTINUATION");
	CHECK_EQ(std::string(gdws::failure_name(Failure::INVALID_CLOSE_PAYLOAD)), "INVALID_CLOSE_PAYLOAD");
	CHECK_EQ(std::string(gdws::failure_name(Failure::INVALID_CLOSE_CODE)), "INVALID_CLOSE_CODE");
	CHECK_EQ(std::string(gdws::failure_name(Failure::INVALID_UTF8)), "INVALID_UTF8");
	CHECK_EQ(std::string(gdws::failure_name(Failure::INVALID_CLOSE_REASON)), "INVALID_CLOSE_REASON");
	CHECK_EQ(std::string(gdws::failure_name(Failure::MESSAGE_TOO_BIG)), "MESSAGE_TOO_BIG");
	CHECK_EQ(std::string(gdws::failure_name(Failure(200))), "UNKNOWN");
}

TEST("reports Godot's reason text for the codes it sends") {
	CHECK_EQ(std::string(gdws::close_code_reason(1002)), "Protocol error");
	CHECK_EQ(std::string(gdws::close_code_reason(1006)), "Abnormal closure");
	CHECK_EQ(std::string(gdws::close_code_reason(1007)), "Invalid frame payload data");
	CHECK_EQ(std::string(gdws::close_code_reason(1009)), "Message too big");
	for (int code : { -1, 0, 1000, 1001, 1003, 1005, 1008, 1011, 4000 }) {
		CHECK_EQ(std::string(gdws::close_code_reason(code)), "Unknown");
	}
}
