// Loaded into Frappe's socket.io server by the test command (node --require): every *.localhost
// name resolves to the loopback address, as browsers and systemd-resolved resolve it (RFC 6761).
// The socket.io server checks a browser's session by calling the site at the browser's origin, and
// a throwaway test site's name (korus-ci-….localhost) is in no hosts file.
const dns = require("dns");

const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
	if (typeof hostname === "string" && (hostname === "localhost" || hostname.endsWith(".localhost"))) {
		if (typeof options === "function") {
			callback = options;
			options = {};
		}
		const all = options && typeof options === "object" && options.all;
		return process.nextTick(() =>
			all ? callback(null, [{ address: "127.0.0.1", family: 4 }]) : callback(null, "127.0.0.1", 4)
		);
	}
	return lookup.apply(this, arguments);
};
