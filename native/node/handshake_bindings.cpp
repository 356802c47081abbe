#include "handshake_bindings.h"

#include <gdws/codec.h>
#include <gdws/handshake.h>

#include <string>
#include <vector>

namespace gdws_node {

namespace hs = gdws::handshake;

namespace {

std::string string_arg(const Napi::Value &p_value) {
	return p_value.IsString() ? p_value.As<Napi::String>().Utf8Value() : std::string();
}

// Request and response heads are bytes; pass them through untouched.
std::string_view bytes_arg(const Napi::Value &p_value) {
	if (!p_value.IsTypedArray()) {
		return std::string_view();
	}
	Napi::Uint8Array bytes = p_value.As<Napi::Uint8Array>();
	return std::string_view(reinterpret_cast<const char *>(bytes.Data()), bytes.ByteLength());
}

std::vector<std::string> strings_arg(const Napi::Value &p_value) {
	std::vector<std::string> result;
	if (!p_value.IsArray()) {
		return result;
	}
	Napi::Array array = p_value.As<Napi::Array>();
	for (uint32_t i = 0; i < array.Length(); i++) {
		result.push_back(string_arg(array.Get(i)));
	}
	return result;
}

Napi::Array to_array(Napi::Env p_env, const std::vector<std::string> &p_strings) {
	Napi::Array array = Napi::Array::New(p_env, p_strings.size());
	for (uint32_t i = 0; i < p_strings.size(); i++) {
		array.Set(i, Napi::String::New(p_env, p_strings[i]));
	}
	return array;
}

Napi::Value compute_accept(const Napi::CallbackInfo &p_info) {
	return Napi::String::New(p_info.Env(), hs::compute_accept(string_arg(p_info[0])));
}

// makeKey(random: Uint8Array(16)) -> string
Napi::Value make_key(const Napi::CallbackInfo &p_info) {
	std::string_view random = bytes_arg(p_info[0]);
	if (random.size() != 16) {
		Napi::TypeError::New(p_info.Env(), "makeKey() needs 16 random bytes").ThrowAsJavaScriptException();
		return p_info.Env().Undefined();
	}
	return Napi::String::New(p_info.Env(), hs::make_key(reinterpret_cast<const uint8_t *>(random.data())));
}

// parseUrl(url) -> [result, tls, host, port, path]
Napi::Value parse_url(const Napi::CallbackInfo &p_info) {
	Napi::Env env = p_info.Env();
	hs::Url url;
	const hs::Result result = hs::parse_url(string_arg(p_info[0]), &url);
	Napi::Array out = Napi::Array::New(env, 5);
	out.Set(0u, Napi::Number::New(env, static_cast<double>(result)));
	out.Set(1u, Napi::Boolean::New(env, url.tls));
	out.Set(2u, Napi::String::New(env, url.host));
	out.Set(3u, Napi::Number::New(env, url.port));
	out.Set(4u, Napi::String::New(env, url.path));
	return out;
}

// findHeaderEnd(bytes) -> [result, length]
Napi::Value find_header_end(const Napi::CallbackInfo &p_info) {
	Napi::Env env = p_info.Env();
	std::string_view bytes = bytes_arg(p_info[0]);
	size_t length = 0;
	const hs::Result result = hs::find_header_end(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), &length);
	Napi::Array out = Napi::Array::New(env, 2);
	out.Set(0u, Napi::Number::New(env, static_cast<double>(result)));
	out.Set(1u, Napi::Number::New(env, static_cast<double>(length)));
	return out;
}

// checkHeadStart(bytes, isRequest) -> result
Napi::Value check_head_start(const Napi::CallbackInfo &p_info) {
	std::string_view bytes = bytes_arg(p_info[0]);
	const hs::HeadKind kind = p_info[1].ToBoolean() ? hs::HeadKind::REQUEST : hs::HeadKind::RESPONSE;
	const hs::Result result = hs::check_head_start(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), kind);
	return Napi::Number::New(p_info.Env(), static_cast<double>(result));
}

// buildClientRequest(tls, host, port, path, key, protocols[], headers[]) -> string
Napi::Value build_client_request(const Napi::CallbackInfo &p_info) {
	hs::ClientRequest request;
	request.url.tls = p_info[0].ToBoolean();
	request.url.host = string_arg(p_info[1]);
	request.url.port = static_cast<uint16_t>(p_info[2].As<Napi::Number>().Uint32Value());
	request.url.path = string_arg(p_info[3]);
	request.key = string_arg(p_info[4]);
	request.protocols = strings_arg(p_info[5]);
	request.extra_headers = strings_arg(p_info[6]);
	return Napi::String::New(p_info.Env(), hs::build_client_request(request));
}

// parseServerResponse(head: Uint8Array, key, protocols[]) -> [result, protocol]
Napi::Value parse_server_response(const Napi::CallbackInfo &p_info) {
	Napi::Env env = p_info.Env();
	std::string protocol;
	const hs::Result result = hs::parse_server_response(bytes_arg(p_info[0]), string_arg(p_info[1]), strings_arg(p_info[2]), &protocol);
	Napi::Array out = Napi::Array::New(env, 2);
	out.Set(0u, Napi::Number::New(env, static_cast<double>(result)));
	out.Set(1u, Napi::String::New(env, protocol));
	return out;
}

// parseClientRequest(head: Uint8Array, supported[]) -> [result, target, host, key, protocol, origin, extensions[], path]
Napi::Value parse_client_request(const Napi::CallbackInfo &p_info) {
	Napi::Env env = p_info.Env();
	hs::RequestInfo info;
	const hs::Result result = hs::parse_client_request(bytes_arg(p_info[0]), strings_arg(p_info[1]), &info);
	Napi::Array out = Napi::Array::New(env, 8);
	out.Set(0u, Napi::Number::New(env, static_cast<double>(result)));
	out.Set(1u, Napi::String::New(env, info.target));
	out.Set(2u, Napi::String::New(env, info.host));
	out.Set(3u, Napi::String::New(env, info.key));
	out.Set(4u, Napi::String::New(env, info.protocol));
	out.Set(5u, Napi::String::New(env, info.origin));
	out.Set(6u, to_array(env, info.offered_extensions));
	out.Set(7u, Napi::String::New(env, info.path));
	return out;
}

// buildServerResponse(key, protocol, headers[]) -> string
Napi::Value build_server_response(const Napi::CallbackInfo &p_info) {
	return Napi::String::New(p_info.Env(), hs::build_server_response(string_arg(p_info[0]), string_arg(p_info[1]), strings_arg(p_info[2])));
}

Napi::Value build_error_response(const Napi::CallbackInfo &p_info) {
	const auto reason = static_cast<hs::Result>(p_info[0].As<Napi::Number>().Uint32Value());
	return Napi::String::New(p_info.Env(), hs::build_error_response(reason));
}

Napi::Value result_name(const Napi::CallbackInfo &p_info) {
	return Napi::String::New(p_info.Env(), hs::result_name(static_cast<hs::Result>(p_info[0].As<Napi::Number>().Uint32Value())));
}

Napi::Value result_message(const Napi::CallbackInfo &p_info) {
	return Napi::String::New(p_info.Env(), hs::result_message(static_cast<hs::Result>(p_info[0].As<Napi::Number>().Uint32Value())));
}

Napi::Value close_code_reason(const Napi::CallbackInfo &p_info) {
	return Napi::String::New(p_info.Env(), gdws::close_code_reason(p_info[0].As<Napi::Number>().Int32Value()));
}

} // namespace

void register_handshake_bindings(Napi::Env p_env, Napi::Object p_exports) {
	p_exports.Set("computeAccept", Napi::Function::New<compute_accept>(p_env, "computeAccept"));
	p_exports.Set("makeKey", Napi::Function::New<make_key>(p_env, "makeKey"));
	p_exports.Set("parseUrl", Napi::Function::New<parse_url>(p_env, "parseUrl"));
	p_exports.Set("findHeaderEnd", Napi::Function::New<find_header_end>(p_env, "findHeaderEnd"));
	p_exports.Set("checkHeadStart", Napi::Function::New<check_head_start>(p_env, "checkHeadStart"));
	p_exports.Set("buildClientRequest", Napi::Function::New<build_client_request>(p_env, "buildClientRequest"));
	p_exports.Set("parseServerResponse", Napi::Function::New<parse_server_response>(p_env, "parseServerResponse"));
	p_exports.Set("parseClientRequest", Napi::Function::New<parse_client_request>(p_env, "parseClientRequest"));
	p_exports.Set("buildServerResponse", Napi::Function::New<build_server_response>(p_env, "buildServerResponse"));
	p_exports.Set("buildErrorResponse", Napi::Function::New<build_error_response>(p_env, "buildErrorResponse"));
	p_exports.Set("resultName", Napi::Function::New<result_name>(p_env, "resultName"));
	p_exports.Set("resultMessage", Napi::Function::New<result_message>(p_env, "resultMessage"));
	p_exports.Set("closeCodeReason", Napi::Function::New<close_code_reason>(p_env, "closeCodeReason"));
}

} // namespace gdws_node
