// node:timers

const internal = require("internal");
module.exports = { ...internal.timers, promises: require("timers/promises") };
