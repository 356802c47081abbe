#include "check.h"

#include <cstring>

namespace check {

static int failures_in_case = 0;

std::vector<Case> &registry() {
	static std::vector<Case> cases;
	return cases;
}

void fail(const char *p_file, int p_line, const std::string &p_message) {
	failures_in_case++;
	std::fprintf(stderr, "    %s:%d: %s\n", p_file, p_line, p_message.c_str());
}

} // namespace check

// Usage: <test binary> [substring]  runs the cases whose name contains the substring.
int main(int p_argc, char **p_argv) {
	const char *filter = p_argc > 1 ? p_argv[1] : nullptr;
	int passed = 0;
	int failed = 0;
	for (const check::Case &c : check::registry()) {
		if (filter && !std::strstr(c.name, filter)) {
			continue;
		}
		check::failures_in_case = 0;
		c.fn();
		if (check::failures_in_case == 0) {
			passed++;
		} else {
			failed++;
			std::fprintf(stderr, "FAIL %s\n", c.name);
		}
	}
	std::printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 && passed > 0 ? 0 : 1;
}
