// node:https — the http client for https: URLs (TLS is the host's: it performs the request through
// the VM's egress policy). Servers are plain HTTP on VM ports, as in node:http.

const http = require("http");

class Agent extends http.Agent {}

module.exports = {
  ...http,
  Agent,
  globalAgent: new Agent(),
  request: (...args) => http._makeRequest("https:", args, false),
  get: (...args) => http._makeRequest("https:", args, true),
};
