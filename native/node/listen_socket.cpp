#include "listen_socket.h"

#ifndef _WIN32
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace gdws_node {

namespace {

// Result codes, mirrored in src/tcp-server.ts.
enum ListenResult : int {
	UNSUPPORTED = -1,
	BAD_ADDRESS = -2,
	CANT_CREATE = -3,
	BIND_FAILED = -4,
	LISTEN_FAILED = -5,
};

#ifndef _WIN32
int open_listening_socket(const std::string &p_address, int p_port, bool p_ipv6_only, int p_backlog) {
	sockaddr_storage storage;
	std::memset(&storage, 0, sizeof(storage));
	socklen_t length = 0;
	int family = AF_INET6;
	sockaddr_in6 *v6 = reinterpret_cast<sockaddr_in6 *>(&storage);
	sockaddr_in *v4 = reinterpret_cast<sockaddr_in *>(&storage);
	if (inet_pton(AF_INET6, p_address.c_str(), &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(static_cast<uint16_t>(p_port));
		length = sizeof(sockaddr_in6);
	} else if (inet_pton(AF_INET, p_address.c_str(), &v4->sin_addr) == 1) {
		family = AF_INET;
		v4->sin_family = AF_INET;
		v4->sin_port = htons(static_cast<uint16_t>(p_port));
		length = sizeof(sockaddr_in);
	} else {
		return BAD_ADDRESS;
	}
	const int fd = ::socket(family, SOCK_STREAM, 0);
	if (fd < 0) {
		return CANT_CREATE;
	}
	const int yes = 1;
	::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
	if (family == AF_INET6) {
		const int only = p_ipv6_only ? 1 : 0;
		::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof(only));
	}
	if (::bind(fd, reinterpret_cast<sockaddr *>(&storage), length) != 0) {
		::close(fd);
		return BIND_FAILED;
	}
	if (::listen(fd, p_backlog) != 0) {
		::close(fd);
		return LISTEN_FAILED;
	}
	return fd;
}
#endif

// listenSocket(address, port, ipv6Only, backlog) -> fd >= 0, or a negative ListenResult
Napi::Value listen_socket(const Napi::CallbackInfo &p_info) {
	Napi::Env env = p_info.Env();
	if (p_info.Length() < 4 || !p_info[0].IsString() || !p_info[1].IsNumber()) {
		Napi::TypeError::New(env, "listenSocket(address, port, ipv6Only, backlog)").ThrowAsJavaScriptException();
		return env.Undefined();
	}
#ifdef _WIN32
	return Napi::Number::New(env, UNSUPPORTED);
#else
	const int fd = open_listening_socket(p_info[0].As<Napi::String>().Utf8Value(), p_info[1].As<Napi::Number>().Int32Value(),
			p_info[2].ToBoolean(), p_info[3].As<Napi::Number>().Int32Value());
	return Napi::Number::New(env, fd);
#endif
}

} // namespace

void register_listen_socket(Napi::Env p_env, Napi::Object p_exports) {
	p_exports.Set("listenSocket", Napi::Function::New<listen_socket>(p_env, "listenSocket"));
}

} // namespace gdws_node
