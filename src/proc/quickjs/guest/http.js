// node:http — not yet available: the networking issue adds servers on VM ports and egress.

const internal = require("internal");
const fail = (what) => () => {
  throw internal.unsupported(`node:http ${what}`);
};
module.exports = {
  createServer: fail("createServer()"),
  request: fail("request()"),
  get: fail("get()"),
  Agent: class Agent {},
  STATUS_CODES: {
    200: "OK",
    201: "Created",
    204: "No Content",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    500: "Internal Server Error",
  },
  METHODS: ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
};
