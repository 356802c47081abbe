// A tiny test runner for the codec's C++ tests: TEST(name) registers a case, CHECK/CHECK_EQ record
// failures without stopping the case, and main() (in check_main.cpp) runs every case and exits
// non-zero when any failed. Kept dependency-free so the tests build wherever the codec builds.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace check {

struct Case {
	const char *name;
	void (*fn)();
};

std::vector<Case> &registry();
void fail(const char *p_file, int p_line, const std::string &p_message);

struct Register {
	Register(const char *p_name, void (*p_fn)()) { registry().push_back({ p_name, p_fn }); }
};

template <typename T>
std::string show(const T &p_value) {
	if constexpr (std::is_same_v<T, std::string>) {
		return "\"" + p_value + "\"";
	} else if constexpr (std::is_convertible_v<T, const char *>) {
		return std::string("\"") + p_value + "\"";
	} else if constexpr (std::is_enum_v<T>) {
		return std::to_string(static_cast<long long>(p_value));
	} else if constexpr (std::is_same_v<T, bool>) {
		return p_value ? "true" : "false";
	} else if constexpr (std::is_arithmetic_v<T>) {
		return std::to_string(p_value);
	} else {
		return "<value>";
	}
}

} // namespace check

#define CHECK_CONCAT_INNER(a, b) a##b
#define CHECK_CONCAT(a, b) CHECK_CONCAT_INNER(a, b)

#define TEST(p_name)                                                                \
	static void CHECK_CONCAT(test_fn_, __LINE__)();                                 \
	static check::Register CHECK_CONCAT(test_reg_, __LINE__)(p_name, &CHECK_CONCAT(test_fn_, __LINE__)); \
	static void CHECK_CONCAT(test_fn_, __LINE__)()

#define CHECK(p_cond)                                        \
	do {                                                     \
		if (!(p_cond)) {                                     \
			check::fail(__FILE__, __LINE__, "CHECK(" #p_cond ")"); \
		}                                                    \
	} while (0)

#define CHECK_EQ(p_actual, p_expected)                                                               \
	do {                                                                                             \
		const auto &check_a = (p_actual);                                                            \
		const auto &check_e = (p_expected);                                                          \
		if (!(check_a == check_e)) {                                                                 \
			check::fail(__FILE__, __LINE__,                                                          \
					"CHECK_EQ(" #p_actual ", " #p_expected "): got " + check::show(check_a) +          \
							", expected " + check::show(check_e));                                  \
		}                                                                                            \
	} while (0)
